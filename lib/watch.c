#include <sys/socket.h>

#include <string.h>

#include "watch.h"

const char *
watch_kind_name(enum watch_kind k)
{
	switch (k) {
	case WATCH_NEW_MASTER:
		return "new-master";
	case WATCH_TAKEOVER:
		return "takeover";
	case WATCH_LEFT:
		return "left";
	case WATCH_SPLIT_BRAIN:
		return "split-brain";
	}
	return "unknown";
}

void
watch_init(struct watch *w)
{
	int f, v;

	memset(w, 0, sizeof(*w));
	for (f = 0; f < 2; f++)
		for (v = 0; v < 256; v++)
			w->v[f][v].master = -1;
}

/* Still advertising: seen within its interval plus half of it. */
static int
active(const struct watch_src *s, int64_t now)
{
	int64_t iv;

	if (!s->used || s->priority == 0)
		return 0;
	iv = (int64_t)(s->interval_cs > 0 ? s->interval_cs : 1) * 10;
	return now - s->last_ms <= iv + iv / 2;
}

/* Does a beat b for mastership (RFC 3768 6.4.3, RFC 5798 6.4.3)? */
static int
beats(const struct watch_src *a, const struct watch_src *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return memcmp(&a->addr, &b->addr, sizeof(a->addr)) > 0;
}

static int
find_src(struct watch_vrid *v, const struct in6_addr *addr)
{
	int i, victim = -1;

	for (i = 0; i < WATCH_SOURCES; i++)
		if (v->src[i].used &&
		    memcmp(&v->src[i].addr, addr, sizeof(*addr)) == 0)
			return i;
	/* A free slot, else the least recently seen one that is not master. */
	for (i = 0; i < WATCH_SOURCES; i++) {
		if (!v->src[i].used)
			return -1 - i;
		if (i != v->master && (victim == -1 ||
		    v->src[i].last_ms < v->src[victim].last_ms))
			victim = i;
	}
	return -1 - victim;
}

static struct watch_event *
event(struct watch_event *ev, int *n, enum watch_kind kind,
    const struct vrrp_pkt *pkt, int64_t now, const struct watch_src *cur)
{
	struct watch_event *e = &ev[(*n)++];

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->family = pkt->family;
	e->vrid = pkt->vrid;
	e->time_ms = now;
	e->cur = *cur;
	return e;
}

int
watch_feed(struct watch *w, const struct vrrp_pkt *pkt, int64_t now,
    struct watch_event *ev)
{
	struct watch_vrid *v;
	struct watch_src *s, *m;
	struct watch_event *e;
	struct in6_addr addr;
	int i, j, found, was_left, rival, n = 0;

	v = &w->v[pkt->family == AF_INET6][pkt->vrid];
	memset(&addr, 0, sizeof(addr));
	if (pkt->family == AF_INET6)
		addr = pkt->src.v6;
	else
		memcpy(&addr, &pkt->src.v4, 4);

	i = find_src(v, &addr);
	found = i >= 0;
	if (!found) {
		i = -1 - i;
		memset(&v->src[i], 0, sizeof(v->src[i]));
		v->src[i].used = 1;
		v->src[i].addr = addr;
	}
	s = &v->src[i];
	was_left = found && s->priority == 0;
	s->priority = pkt->priority;
	s->interval_cs = pkt->interval_cs;
	s->last_ms = now;

	if (pkt->priority == 0) {
		s->overlap = 0;
		if (!was_left)
			event(ev, &n, WATCH_LEFT, pkt, now, s);
		if (v->master == i) {
			v->prev = *s;
			v->has_prev = 1;
			v->master = -1;
		}
		return n;
	}

	rival = -1;
	for (j = 0; j < WATCH_SOURCES; j++)
		if (j != i && active(&v->src[j], now) &&
		    (rival == -1 || v->src[j].overlap > v->src[rival].overlap))
			rival = j;
	if (rival >= 0)
		s->overlap++;
	else {
		s->overlap = 0;
		v->split = 0;
	}

	if (v->master == -1) {
		if (v->has_prev && memcmp(&v->prev.addr, &addr,
		    sizeof(addr)) != 0) {
			e = event(ev, &n, WATCH_TAKEOVER, pkt, now, s);
			e->old = v->prev;
			e->has_old = 1;
		} else
			event(ev, &n, WATCH_NEW_MASTER, pkt, now, s);
		v->master = i;
	} else if (v->master != i) {
		m = &v->src[v->master];
		if (!active(m, now) || beats(s, m)) {
			e = event(ev, &n, WATCH_TAKEOVER, pkt, now, s);
			e->old = *m;
			e->has_old = 1;
			v->master = i;
		}
	}

	if (rival >= 0 && !v->split && s->overlap >= 2 &&
	    v->src[rival].overlap >= 2) {
		e = event(ev, &n, WATCH_SPLIT_BRAIN, pkt, now, s);
		e->old = v->src[rival];
		e->has_old = 1;
		v->split = 1;
	}
	return n;
}

const struct watch_src *
watch_master(const struct watch *w, int family, uint8_t vrid)
{
	const struct watch_vrid *v = &w->v[family == AF_INET6][vrid];

	return v->master >= 0 ? &v->src[v->master] : NULL;
}
