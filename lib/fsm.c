/*
 * The VRRP state machine (RFC 3768 section 6.4, RFC 5798 section 6.4),
 * with Fault and admin demote. Pure. See fsm.h.
 */
#include <sys/socket.h>

#include <string.h>

#include "fsm.h"

#define CS_US	10000LL		/* microseconds per centisecond */
#define S_US	1000000LL

static void
act(struct fsm_actions *a, enum fsm_action_type type, int priority,
    int64_t deadline, enum fsm_state from, enum fsm_state to)
{
	struct fsm_action *x;

	if (a == NULL || a->n >= FSM_MAX_ACTIONS)
		return;
	x = &a->v[a->n++];
	x->type = type;
	x->priority = priority;
	x->deadline = deadline;
	x->from = from;
	x->to = to;
}

static void
send_advert(struct fsm *f, struct fsm_actions *a, int priority)
{
	f->stats.tx_adverts++;
	act(a, FSM_A_SEND, priority, 0, f->state, f->state);
}

static void
set_adver(struct fsm *f, struct fsm_actions *a, int64_t at)
{
	if (at == 0 && f->adver_at == 0)
		return;
	f->adver_at = at;
	act(a, FSM_A_ADVER_TIMER, 0, at, f->state, f->state);
}

static void
set_down(struct fsm *f, struct fsm_actions *a, int64_t at)
{
	if (at == 0 && f->down_at == 0)
		return;
	f->down_at = at;
	act(a, FSM_A_DOWN_TIMER, 0, at, f->state, f->state);
}

static void
go(struct fsm *f, struct fsm_actions *a, enum fsm_state to)
{
	enum fsm_state from = f->state;

	f->state = to;
	if (to == FSM_MASTER)
		f->stats.became_master++;
	act(a, FSM_A_STATE, 0, 0, from, to);
}

static int
addr_len(const struct fsm *f)
{
	return f->cfg.family == AF_INET6 ? 16 : 4;
}

void
fsm_init(struct fsm *f, const struct fsm_config *cfg)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	f->state = FSM_INIT;
	f->master_adver_cs = cfg->advert_cs;
}

int
fsm_priority(const struct fsm *f)
{
	int p;

	if (f->demoted)
		return 0;
	if (f->cfg.priority >= 255)
		return 255;
	p = f->cfg.priority + f->track_delta;
	if (p < 1)
		p = 1;
	if (p > 254)
		p = 254;
	return p;
}

int64_t
fsm_adver_us(const struct fsm *f)
{
	return (int64_t)f->cfg.advert_cs * CS_US;
}

int64_t
fsm_skew_us(const struct fsm *f)
{
	int64_t inv = 256 - fsm_priority(f);

	if (f->cfg.version == 2)
		return inv * S_US / 256;
	return inv * (int64_t)f->master_adver_cs * CS_US / 256;
}

/* master_adver_cs is our own interval under v2 (another one is discarded),
 * the learned one under v3: one formula for both. */
int64_t
fsm_master_down_us(const struct fsm *f)
{
	return 3 * (int64_t)f->master_adver_cs * CS_US + fsm_skew_us(f);
}

int64_t
fsm_next_deadline(const struct fsm *f)
{
	if (f->adver_at != 0 && (f->down_at == 0 || f->adver_at < f->down_at))
		return f->adver_at;
	return f->down_at;
}

static void
become_master(struct fsm *f, int64_t now, struct fsm_actions *a)
{
	send_advert(f, a, fsm_priority(f));
	act(a, FSM_A_VIPS_ADD, 0, 0, f->state, FSM_MASTER);
	set_down(f, a, 0);
	set_adver(f, a, now + fsm_adver_us(f));
	f->master_known = 0;
	f->preempt_at = 0;
	go(f, a, FSM_MASTER);
}

static void
become_backup(struct fsm *f, struct fsm_actions *a, int64_t down_at)
{
	if (f->state == FSM_MASTER) {
		set_adver(f, a, 0);
		act(a, FSM_A_VIPS_DEL, 0, 0, FSM_MASTER, FSM_BACKUP);
	}
	set_down(f, a, down_at);
	go(f, a, FSM_BACKUP);
}

/* Leave Initialize (startup, or the end of a fault). */
static void
leave_init(struct fsm *f, int64_t now, struct fsm_actions *a)
{
	int64_t down;

	f->master_adver_cs = f->cfg.advert_cs;
	f->master_known = 0;
	f->preempt_at = 0;
	if (fsm_priority(f) == 255) {
		become_master(f, now, a);
		return;
	}
	down = now + fsm_master_down_us(f);
	if (f->cfg.preempt && f->cfg.preempt_delay_us > 0)
		down += f->cfg.preempt_delay_us;
	become_backup(f, a, down);
}

void
fsm_startup(struct fsm *f, int64_t now, struct fsm_actions *a)
{
	if (f->state != FSM_INIT)
		return;
	if (f->fault) {
		go(f, a, FSM_FAULT);
		return;
	}
	leave_init(f, now, a);
}

static void
note_master(struct fsm *f, const struct fsm_advert *ad)
{
	memcpy(f->master_addr, ad->src, sizeof(f->master_addr));
	f->master_priority = ad->priority;
	f->master_known = 1;
}

void
fsm_advert(struct fsm *f, int64_t now, const struct fsm_advert *ad,
    struct fsm_actions *a)
{
	int local = fsm_priority(f);

	if (f->state != FSM_BACKUP && f->state != FSM_MASTER)
		return;
	f->stats.rx_adverts++;
	/* v2 (RFC 3768 7.1): an interval other than ours is discarded. v3:
	 * a zero interval cannot be adopted. */
	if ((f->cfg.version == 2 && ad->interval_cs != f->cfg.advert_cs) ||
	    ad->interval_cs <= 0) {
		f->stats.rx_interval_mismatch++;
		return;
	}
	if (ad->priority == 0)
		f->stats.rx_prio0++;

	if (f->state == FSM_BACKUP) {
		if (ad->priority == 0) {
			/* The Master is leaving: take over after Skew_Time. */
			f->master_known = 0;
			set_down(f, a, now + fsm_skew_us(f));
			return;
		}
		if (!f->demoted && f->cfg.preempt && ad->priority < local) {
			/* A lower Master: preempt, after preempt_delay. */
			if (f->cfg.preempt_delay_us > 0) {
				if (f->preempt_at == 0)
					f->preempt_at = now +
					    f->cfg.preempt_delay_us;
			}
			if (f->preempt_at == 0 || now >= f->preempt_at) {
				f->stats.rx_lower_discarded++;
				note_master(f, ad);
				return;
			}
		} else
			f->preempt_at = 0;
		if (f->cfg.version == 3)
			f->master_adver_cs = ad->interval_cs;
		note_master(f, ad);
		set_down(f, a, now + fsm_master_down_us(f));
		return;
	}

	/* Master. */
	if (ad->priority == 0) {
		send_advert(f, a, local);
		set_adver(f, a, now + fsm_adver_us(f));
		return;
	}
	if (ad->priority > local || (ad->priority == local &&
	    memcmp(ad->src, f->cfg.self_addr, addr_len(f)) > 0)) {
		if (f->cfg.version == 3)
			f->master_adver_cs = ad->interval_cs;
		note_master(f, ad);
		become_backup(f, a, now + fsm_master_down_us(f));
		return;
	}
	f->stats.rx_lower_discarded++;
}

void
fsm_tick(struct fsm *f, int64_t now, struct fsm_actions *a)
{
	if (f->state == FSM_MASTER && f->adver_at != 0 && now >= f->adver_at) {
		int64_t next = f->adver_at + fsm_adver_us(f);

		/* No drift; but after a long stall, start afresh from now. */
		if (next <= now)
			next = now + fsm_adver_us(f);
		send_advert(f, a, fsm_priority(f));
		set_adver(f, a, next);
	}
	if (f->state == FSM_BACKUP && f->down_at != 0 && now >= f->down_at) {
		if (f->demoted) {
			/* Nobody advertises; a demoted router waits. */
			f->master_known = 0;
			set_down(f, a, 0);
			return;
		}
		become_master(f, now, a);
	}
}

void
fsm_set_track(struct fsm *f, int64_t now, int delta, struct fsm_actions *a)
{
	(void)now;
	(void)a;
	/* The new priority goes into the next advert and comparisons. */
	f->track_delta = delta;
}

void
fsm_set_fault(struct fsm *f, int64_t now, int on, struct fsm_actions *a)
{
	if (on) {
		if (f->fault)
			return;
		f->fault = 1;
		switch (f->state) {
		case FSM_MASTER:
			set_adver(f, a, 0);
			send_advert(f, a, 0);
			act(a, FSM_A_VIPS_DEL, 0, 0, FSM_MASTER, FSM_FAULT);
			go(f, a, FSM_FAULT);
			break;
		case FSM_BACKUP:
			set_down(f, a, 0);
			go(f, a, FSM_FAULT);
			break;
		default:
			break;
		}
		f->master_known = 0;
		f->preempt_at = 0;
		return;
	}
	if (!f->fault)
		return;
	f->fault = 0;
	if (f->state == FSM_FAULT)
		leave_init(f, now, a);
}

void
fsm_shutdown(struct fsm *f, int64_t now, struct fsm_actions *a)
{
	(void)now;
	switch (f->state) {
	case FSM_MASTER:
		set_adver(f, a, 0);
		send_advert(f, a, 0);
		act(a, FSM_A_VIPS_DEL, 0, 0, FSM_MASTER, FSM_INIT);
		go(f, a, FSM_INIT);
		break;
	case FSM_BACKUP:
		set_down(f, a, 0);
		go(f, a, FSM_INIT);
		break;
	case FSM_FAULT:
		go(f, a, FSM_INIT);
		break;
	case FSM_INIT:
		break;
	}
	f->master_known = 0;
	f->preempt_at = 0;
}

void
fsm_demote(struct fsm *f, int64_t now, struct fsm_actions *a)
{
	if (f->demoted)
		return;
	f->demoted = 1;
	f->preempt_at = 0;
	if (f->state == FSM_MASTER) {
		set_adver(f, a, 0);
		send_advert(f, a, 0);
		act(a, FSM_A_VIPS_DEL, 0, 0, FSM_MASTER, FSM_BACKUP);
		/* Watch for the new Master; the timer never promotes us. */
		set_down(f, a, now + fsm_master_down_us(f));
		go(f, a, FSM_BACKUP);
	}
}

void
fsm_resume(struct fsm *f, int64_t now, struct fsm_actions *a)
{
	if (!f->demoted)
		return;
	f->demoted = 0;
	/* With no Master heard, take over after Master_Down_Interval. */
	if (f->state == FSM_BACKUP && f->down_at == 0)
		set_down(f, a, now + fsm_master_down_us(f));
}

const char *
fsm_state_name(enum fsm_state s)
{
	switch (s) {
	case FSM_INIT:
		return "INIT";
	case FSM_BACKUP:
		return "BACKUP";
	case FSM_MASTER:
		return "MASTER";
	case FSM_FAULT:
		return "FAULT";
	}
	return "?";
}
