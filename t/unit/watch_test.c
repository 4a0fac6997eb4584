/* Unit tests for lib/watch: master tracking on a simulated clock. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include "unit.h"
#include "watch.h"

static struct watch w;
static struct watch_event ev[WATCH_MAX_EVENTS];

static struct vrrp_pkt *
adv(const char *src, int vrid, int prio, int interval_cs)
{
	static struct vrrp_pkt p;

	memset(&p, 0, sizeof(p));
	if (strchr(src, ':') != NULL) {
		p.family = AF_INET6;
		inet_pton(AF_INET6, src, &p.src.v6);
	} else {
		p.family = AF_INET;
		inet_pton(AF_INET, src, &p.src.v4);
	}
	p.version = 3;
	p.vrid = (uint8_t)vrid;
	p.priority = (uint8_t)prio;
	p.interval_cs = (uint16_t)interval_cs;
	return &p;
}

static const char *
addr(const struct watch_event *e, const struct watch_src *s)
{
	static char buf[2][INET6_ADDRSTRLEN];
	static int k;

	k ^= 1;
	inet_ntop(e->family, &s->addr, buf[k], sizeof(buf[k]));
	return buf[k];
}

static int
feed(const char *src, int vrid, int prio, int64_t t)
{
	return watch_feed(&w, adv(src, vrid, prio, 100), t, ev);
}

static void
test_new_master_and_steady(void)
{
	int t;

	watch_init(&w);
	CHECK(watch_master(&w, AF_INET, 51) == NULL);
	CHECK_EQ(feed("192.0.2.1", 51, 150, 0), 1);
	CHECK_EQ(ev[0].kind, WATCH_NEW_MASTER);
	CHECK_EQ(ev[0].vrid, 51);
	CHECK_EQ(ev[0].cur.priority, 150);
	CHECK_STR(addr(&ev[0], &ev[0].cur), "192.0.2.1");
	CHECK_STR(watch_kind_name(ev[0].kind), "new-master");
	/* Steady adverts (with jitter) say nothing. */
	for (t = 1000; t <= 20000; t += 1000)
		CHECK_EQ(feed("192.0.2.1", 51, 150, t + (t % 3000 ? 30 : -30)), 0);
	CHECK(watch_master(&w, AF_INET, 51) != NULL);
	CHECK_EQ(watch_master(&w, AF_INET, 51)->priority, 150);
	/* Another VRID and the other family are separate tables. */
	CHECK_EQ(feed("192.0.2.2", 52, 100, 20500), 1);
	CHECK_EQ(ev[0].kind, WATCH_NEW_MASTER);
	CHECK_EQ(feed("2001:db8::1", 51, 100, 20600), 1);
	CHECK_EQ(ev[0].kind, WATCH_NEW_MASTER);
	CHECK_EQ(ev[0].family, AF_INET6);
	CHECK_STR(addr(&ev[0], &ev[0].cur), "2001:db8::1");
}

static void
test_leave_then_takeover(void)
{
	watch_init(&w);
	CHECK_EQ(feed("192.0.2.1", 51, 150, 0), 1);
	CHECK_EQ(feed("192.0.2.1", 51, 150, 1000), 0);
	/* The master steps down with priority 0. */
	CHECK_EQ(feed("192.0.2.1", 51, 0, 1500), 1);
	CHECK_EQ(ev[0].kind, WATCH_LEFT);
	CHECK_STR(addr(&ev[0], &ev[0].cur), "192.0.2.1");
	CHECK(watch_master(&w, AF_INET, 51) == NULL);
	/* Repeated priority 0 from the same source: one event only. */
	CHECK_EQ(feed("192.0.2.1", 51, 0, 1510), 0);
	/* The backup takes over within its skew time. */
	CHECK_EQ(feed("192.0.2.2", 51, 100, 1900), 1);
	CHECK_EQ(ev[0].kind, WATCH_TAKEOVER);
	CHECK(ev[0].has_old);
	CHECK_STR(addr(&ev[0], &ev[0].cur), "192.0.2.2");
	CHECK_STR(addr(&ev[0], &ev[0].old), "192.0.2.1");
	CHECK_EQ(ev[0].old.priority, 0);
	CHECK_EQ(feed("192.0.2.2", 51, 100, 2900), 0);
	/* The old master returns and preempts with its higher priority. */
	CHECK_EQ(feed("192.0.2.1", 51, 150, 3100), 1);
	CHECK_EQ(ev[0].kind, WATCH_TAKEOVER);
	CHECK_STR(addr(&ev[0], &ev[0].cur), "192.0.2.1");
	CHECK_STR(addr(&ev[0], &ev[0].old), "192.0.2.2");
	/* The preempted master falls silent: no split brain, no event. */
	CHECK_EQ(feed("192.0.2.1", 51, 150, 4100), 0);
	CHECK_EQ(feed("192.0.2.1", 51, 150, 5100), 0);
	CHECK_EQ(watch_master(&w, AF_INET, 51)->priority, 150);
}

static void
test_silent_master(void)
{
	watch_init(&w);
	CHECK_EQ(feed("192.0.2.1", 7, 200, 0), 1);
	CHECK_EQ(feed("192.0.2.1", 7, 200, 1000), 0);
	/* A lower priority source while the master is active: no takeover. */
	CHECK_EQ(feed("192.0.2.9", 7, 50, 1200), 0);
	CHECK_STR(addr(&ev[0], watch_master(&w, AF_INET, 7)), "192.0.2.1");
	/* The master dies; the backup takes over after Master_Down_Interval. */
	CHECK_EQ(feed("192.0.2.2", 7, 100, 4300), 1);
	CHECK_EQ(ev[0].kind, WATCH_TAKEOVER);
	CHECK_STR(addr(&ev[0], &ev[0].cur), "192.0.2.2");
	CHECK_STR(addr(&ev[0], &ev[0].old), "192.0.2.1");
	CHECK_EQ(ev[0].old.priority, 200);
}

static void
test_equal_priority_address_wins(void)
{
	watch_init(&w);
	CHECK_EQ(feed("192.0.2.10", 9, 100, 0), 1);
	/* Equal priority, lower address: not a takeover. */
	CHECK_EQ(feed("192.0.2.3", 9, 100, 100), 0);
	/* Equal priority, higher address: preempts. */
	CHECK_EQ(feed("192.0.2.20", 9, 100, 200), 1);
	CHECK_EQ(ev[0].kind, WATCH_TAKEOVER);
}

static void
test_preemption_race_is_not_split_brain(void)
{
	int k, t;

	watch_init(&w);
	CHECK_EQ(feed("192.0.2.1", 51, 100, 0), 1);
	CHECK_EQ(feed("192.0.2.1", 51, 100, 1000), 0);
	CHECK_EQ(feed("192.0.2.1", 51, 100, 2000), 0);
	CHECK_EQ(feed("192.0.2.2", 51, 150, 2500), 1);
	CHECK_EQ(ev[0].kind, WATCH_TAKEOVER);
	/* One advert of the old master was already in flight. */
	CHECK_EQ(feed("192.0.2.1", 51, 100, 2510), 0);
	for (k = 0, t = 3500; t < 9000; t += 1000, k++)
		CHECK_EQ(feed("192.0.2.2", 51, 150, t), 0);
}

static void
test_split_brain(void)
{
	int t, n, splits = 0, takeovers = 0, i;

	watch_init(&w);
	CHECK_EQ(feed("192.0.2.1", 51, 100, 0), 1);
	/* Two sources keep advertising, half an interval apart. */
	for (t = 500; t <= 6000; t += 500) {
		n = feed(t % 1000 ? "192.0.2.2" : "192.0.2.1", 51, 100, t);
		for (i = 0; i < n; i++) {
			if (ev[i].kind == WATCH_SPLIT_BRAIN) {
				splits++;
				CHECK(t <= 2500);
				CHECK_EQ(ev[i].cur.priority, 100);
				CHECK_EQ(ev[i].old.priority, 100);
				CHECK(strcmp(addr(&ev[i], &ev[i].cur),
				    addr(&ev[i], &ev[i].old)) != 0);
				CHECK_STR(watch_kind_name(ev[i].kind),
				    "split-brain");
			} else if (ev[i].kind == WATCH_TAKEOVER)
				takeovers++;
		}
	}
	/* Reported once for the episode; mastership does not flap. */
	CHECK_EQ(splits, 1);
	CHECK(takeovers <= 1);
	/* One side (the master, .2) stops: .1 takes over, the episode ends;
	 * a new one is reported again. */
	CHECK_EQ(feed("192.0.2.1", 51, 100, 8000), 1);
	CHECK_EQ(ev[0].kind, WATCH_TAKEOVER);
	CHECK_STR(addr(&ev[0], &ev[0].old), "192.0.2.2");
	CHECK_EQ(feed("192.0.2.1", 51, 100, 9000), 0);
	splits = 0;
	for (t = 9500; t <= 14000; t += 500) {
		n = feed(t % 1000 ? "192.0.2.2" : "192.0.2.1", 51, 100, t);
		for (i = 0; i < n; i++)
			splits += ev[i].kind == WATCH_SPLIT_BRAIN;
	}
	CHECK_EQ(splits, 1);
	/* Priority 0 from one side is not a split brain. */
	watch_init(&w);
	CHECK_EQ(feed("192.0.2.1", 51, 100, 0), 1);
	for (t = 500; t <= 6000; t += 500) {
		n = feed(t % 1000 ? "192.0.2.2" : "192.0.2.1", 51,
		    t % 1000 ? 0 : 100, t);
		for (i = 0; i < n; i++)
			CHECK(ev[i].kind != WATCH_SPLIT_BRAIN);
	}
}

static void
test_many_sources(void)
{
	char a[32];
	int i;

	/* More sources than slots: the table recycles, the master stays. */
	watch_init(&w);
	CHECK_EQ(feed("192.0.2.200", 3, 250, 0), 1);
	for (i = 1; i <= 3 * WATCH_SOURCES; i++) {
		snprintf(a, sizeof(a), "192.0.2.%d", i);
		feed(a, 3, 10, i * 10);
	}
	CHECK(watch_master(&w, AF_INET, 3) != NULL);
	CHECK_EQ(watch_master(&w, AF_INET, 3)->priority, 250);
}

int
main(void)
{
	test_new_master_and_steady();
	test_leave_then_takeover();
	test_silent_master();
	test_equal_priority_address_wins();
	test_preemption_race_is_not_split_brain();
	test_split_brain();
	test_many_sources();
	UNIT_DONE();
}
