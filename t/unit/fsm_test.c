/*
 * The VRRP state machine against the RFC 3768 / RFC 5798 timings, with a
 * simulated clock (microseconds). Every deadline is checked exactly.
 */
#include <sys/socket.h>

#include <arpa/inet.h>

#include "fsm.h"
#include "unit.h"

#define S	1000000LL

static struct fsm_config
cfg(int version, int priority, int advert_cs, const char *self)
{
	struct fsm_config c;

	memset(&c, 0, sizeof(c));
	c.version = version;
	c.priority = priority;
	c.advert_cs = advert_cs;
	c.preempt = 1;
	if (strchr(self, ':') != NULL) {
		c.family = AF_INET6;
		inet_pton(AF_INET6, self, c.self_addr);
	} else {
		c.family = AF_INET;
		inet_pton(AF_INET, self, c.self_addr);
	}
	return c;
}

static struct fsm_advert
adv(int priority, int interval_cs, const char *src)
{
	struct fsm_advert a;

	memset(&a, 0, sizeof(a));
	a.priority = priority;
	a.interval_cs = interval_cs;
	if (strchr(src, ':') != NULL)
		inet_pton(AF_INET6, src, a.src);
	else
		inet_pton(AF_INET, src, a.src);
	return a;
}

/* The action types as a string: S=send V=vips-add D=vips-del
 * A=adver-timer T=down-timer >=state. */
static const char *
seq(const struct fsm_actions *a)
{
	static char buf[FSM_MAX_ACTIONS + 1];
	static const char code[] = "SVDAT>";
	int i;

	for (i = 0; i < a->n; i++)
		buf[i] = code[a->v[i].type];
	buf[i] = '\0';
	return buf;
}

static const struct fsm_action *
find(const struct fsm_actions *a, enum fsm_action_type t)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].type == t)
			return &a->v[i];
	return NULL;
}

#define RUN(call) do { acts.n = 0; call; } while (0)

static struct fsm_actions acts;

static int64_t
deadline(enum fsm_action_type t)
{
	const struct fsm_action *x = find(&acts, t);

	return x ? x->deadline : -1;
}

static int
sent_prio(void)
{
	const struct fsm_action *x = find(&acts, FSM_A_SEND);

	return x ? x->priority : -1;
}

static void
test_v2_timings(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 100, 100, "192.0.2.1");

	fsm_init(&f, &c);
	CHECK_EQ(f.state, FSM_INIT);
	/* Skew_Time = (256 - 100) / 256 s = 0.609375 s. */
	CHECK_EQ(fsm_skew_us(&f), 609375);
	CHECK_EQ(fsm_master_down_us(&f), 3 * S + 609375);

	RUN(fsm_startup(&f, 1000, &acts));
	CHECK_STR(seq(&acts), "T>");
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 1000 + 3609375);
	CHECK_EQ(acts.v[1].from, FSM_INIT);
	CHECK_EQ(acts.v[1].to, FSM_BACKUP);
	CHECK_EQ(fsm_next_deadline(&f), 3610375);

	/* Nothing before the deadline. */
	RUN(fsm_tick(&f, 3610374, &acts));
	CHECK_EQ(acts.n, 0);
	CHECK_EQ(f.state, FSM_BACKUP);

	/* Master_Down_Timer fires: advert, VIPs (+GARP), Adver_Timer, MASTER. */
	RUN(fsm_tick(&f, 3610375, &acts));
	CHECK_STR(seq(&acts), "SVTA>");
	CHECK_EQ(sent_prio(), 100);
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 0);
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 3610375 + S);
	CHECK_EQ(f.state, FSM_MASTER);
	CHECK_EQ(f.stats.became_master, 1);

	/* Adver_Timer: one advert per interval, no drift. */
	RUN(fsm_tick(&f, 4610375, &acts));
	CHECK_STR(seq(&acts), "SA");
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 5610375);
	RUN(fsm_tick(&f, 5610375 + 300, &acts));
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 6610375);

	/* Priority 150: Skew_Time = 106/256 s = 414062.5 us, truncated. */
	c = cfg(2, 150, 300, "192.0.2.1");
	fsm_init(&f, &c);
	CHECK_EQ(fsm_skew_us(&f), 414062);
	CHECK_EQ(fsm_master_down_us(&f), 9 * S + 414062);
}

static void
test_v3_timings(void)
{
	struct fsm f;
	struct fsm_config c = cfg(3, 100, 10, "192.0.2.1");
	struct fsm_advert a;

	fsm_init(&f, &c);
	/* Skew = (156 * 10 cs) / 256 = 6.09375 cs = 60937 us. */
	CHECK_EQ(fsm_skew_us(&f), 60937);
	CHECK_EQ(fsm_master_down_us(&f), 300000 + 60937);
	RUN(fsm_startup(&f, 0, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 360937);

	/* The Backup adopts the Master's interval (50 cs). */
	a = adv(200, 50, "192.0.2.9");
	RUN(fsm_advert(&f, 100000, &a, &acts));
	CHECK_STR(seq(&acts), "T");
	CHECK_EQ(f.master_adver_cs, 50);
	/* Skew = 156 * 50 cs / 256 = 30.46875 cs = 304687 us. */
	CHECK_EQ(fsm_skew_us(&f), 304687);
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 100000 + 1500000 + 304687);
	CHECK(f.master_known);
	CHECK_EQ(f.master_priority, 200);

	/* A v3 Master keeps sending at its own interval. */
	RUN(fsm_tick(&f, 100000 + 1804687, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 100000 + 1804687 + 100000);

	/* A v3 Master stepping down adopts the new Master's interval. */
	a = adv(250, 20, "192.0.2.9");
	RUN(fsm_advert(&f, 3 * S, &a, &acts));
	CHECK_STR(seq(&acts), "ADT>");
	CHECK_EQ(f.state, FSM_BACKUP);
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 0);
	/* 3 * 20 cs + 156 * 20 / 256 cs = 600000 + 121875 us. */
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 3 * S + 600000 + 121875);

	/* v3 accepts another interval: no mismatch counted. */
	CHECK_EQ(f.stats.rx_interval_mismatch, 0);

	/* IPv6 works the same. */
	c = cfg(3, 100, 100, "2001:db8::1");
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 3 * S + 609375);
}

static void
test_priority_zero(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 100, 100, "192.0.2.1");
	struct fsm_advert a;

	/* Backup: priority 0 sets Master_Down_Timer to Skew_Time. */
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	a = adv(200, 100, "192.0.2.9");
	RUN(fsm_advert(&f, 1 * S, &a, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 1 * S + 3609375);
	a = adv(0, 100, "192.0.2.9");
	RUN(fsm_advert(&f, 2 * S, &a, &acts));
	CHECK_STR(seq(&acts), "T");
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 2 * S + 609375);
	CHECK_EQ(f.stats.rx_prio0, 1);
	RUN(fsm_tick(&f, 2 * S + 609375, &acts));
	CHECK_EQ(f.state, FSM_MASTER);

	/* v3 with 1 s adverts from a Master at 0.5 s: skew uses 50 cs. */
	c = cfg(3, 100, 100, "192.0.2.1");
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	a = adv(200, 50, "192.0.2.9");
	RUN(fsm_advert(&f, S, &a, &acts));
	a = adv(0, 50, "192.0.2.9");
	RUN(fsm_advert(&f, 2 * S, &a, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 2 * S + 304687);

	/* Master: priority 0 from another router makes it advertise now. */
	c = cfg(2, 100, 100, "192.0.2.1");
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_tick(&f, 3609375, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	a = adv(0, 100, "192.0.2.9");
	RUN(fsm_advert(&f, 4 * S, &a, &acts));
	CHECK_STR(seq(&acts), "SA");
	CHECK_EQ(sent_prio(), 100);
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 5 * S);
	CHECK_EQ(f.state, FSM_MASTER);
}

static void
test_preemption(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 150, 100, "192.0.2.1");
	struct fsm_advert lo = adv(100, 100, "192.0.2.9");

	/* Preempt: a lower Master's adverts are discarded; we take over
	 * when Master_Down_Timer runs out. */
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	CHECK_EQ(f.down_at, 3414062);
	RUN(fsm_advert(&f, 1 * S, &lo, &acts));
	CHECK_EQ(acts.n, 0);
	CHECK_EQ(f.down_at, 3414062);
	CHECK_EQ(f.stats.rx_lower_discarded, 1);
	RUN(fsm_advert(&f, 2 * S, &lo, &acts));
	RUN(fsm_advert(&f, 3 * S, &lo, &acts));
	RUN(fsm_tick(&f, 3414062, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	/* The Master ignores the lower advert. */
	RUN(fsm_advert(&f, 4 * S, &lo, &acts));
	CHECK_EQ(acts.n, 0);
	CHECK_EQ(f.state, FSM_MASTER);

	/* nopreempt: the lower Master's adverts reset the timer. */
	c.preempt = 0;
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_advert(&f, 1 * S, &lo, &acts));
	CHECK_STR(seq(&acts), "T");
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 1 * S + 3414062);
	RUN(fsm_advert(&f, 2 * S, &lo, &acts));
	RUN(fsm_advert(&f, 3 * S, &lo, &acts));
	RUN(fsm_tick(&f, 3414062, &acts));
	CHECK_EQ(f.state, FSM_BACKUP);
	CHECK_EQ(f.down_at, 3 * S + 3414062);
	/* ... but takes over when the lower Master goes silent. */
	RUN(fsm_tick(&f, 3 * S + 3414062, &acts));
	CHECK_EQ(f.state, FSM_MASTER);

	/* Equal priority at a Backup is accepted (resets the timer). */
	c = cfg(2, 100, 100, "192.0.2.200");
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	lo = adv(100, 100, "192.0.2.9");
	RUN(fsm_advert(&f, 1 * S, &lo, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 1 * S + 3609375);
}

static void
test_preempt_delay(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 150, 100, "192.0.2.1");
	struct fsm_advert lo = adv(100, 100, "192.0.2.9");

	c.preempt_delay_us = 2 * S;
	fsm_init(&f, &c);
	/* At startup the delay is added to Master_Down_Interval. */
	RUN(fsm_startup(&f, 0, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 3414062 + 2 * S);
	/* A lower Master is followed for preempt_delay, then ignored. */
	RUN(fsm_advert(&f, 1 * S, &lo, &acts));
	CHECK_EQ(f.preempt_at, 3 * S);
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 1 * S + 3414062);
	RUN(fsm_advert(&f, 2 * S, &lo, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 2 * S + 3414062);
	RUN(fsm_advert(&f, 3 * S, &lo, &acts));
	CHECK_EQ(acts.n, 0);
	RUN(fsm_advert(&f, 4 * S, &lo, &acts));
	CHECK_EQ(acts.n, 0);
	RUN(fsm_tick(&f, 2 * S + 3414061, &acts));
	CHECK_EQ(f.state, FSM_BACKUP);
	RUN(fsm_tick(&f, 2 * S + 3414062, &acts));
	CHECK_EQ(f.state, FSM_MASTER);

	/* A higher Master cancels a pending preemption. */
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_advert(&f, 1 * S, &lo, &acts));
	CHECK_EQ(f.preempt_at, 3 * S);
	lo = adv(200, 100, "192.0.2.9");
	RUN(fsm_advert(&f, 2 * S, &lo, &acts));
	CHECK_EQ(f.preempt_at, 0);
}

static void
test_tie_break(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 100, 100, "192.0.2.5");
	struct fsm_advert a;

	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_tick(&f, 3609375, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	/* Equal priority from a lower address: discarded. */
	a = adv(100, 100, "192.0.2.4");
	RUN(fsm_advert(&f, 4 * S, &a, &acts));
	CHECK_EQ(acts.n, 0);
	CHECK_EQ(f.state, FSM_MASTER);
	/* Equal priority from a higher address: step down. */
	a = adv(100, 100, "192.0.2.6");
	RUN(fsm_advert(&f, 5 * S, &a, &acts));
	CHECK_STR(seq(&acts), "ADT>");
	CHECK_EQ(f.state, FSM_BACKUP);
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 5 * S + 3609375);
	CHECK_EQ(acts.v[3].from, FSM_MASTER);

	/* IPv6: addresses compare as 128-bit numbers. */
	c = cfg(3, 100, 100, "2001:db8::5");
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_tick(&f, f.down_at, &acts));
	a = adv(100, 100, "2001:db8::4");
	RUN(fsm_advert(&f, 5 * S, &a, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	a = adv(100, 100, "2001:db8::1:0");
	RUN(fsm_advert(&f, 5 * S, &a, &acts));
	CHECK_EQ(f.state, FSM_BACKUP);
}

static void
test_v2_interval_mismatch(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 100, 100, "192.0.2.1");
	struct fsm_advert a = adv(200, 200, "192.0.2.9");

	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_advert(&f, 1 * S, &a, &acts));
	CHECK_EQ(acts.n, 0);
	CHECK_EQ(f.down_at, 3609375);
	CHECK_EQ(f.stats.rx_interval_mismatch, 1);
	CHECK(!f.master_known);
	/* Even priority 0 is discarded when the interval differs. */
	a = adv(0, 300, "192.0.2.9");
	RUN(fsm_advert(&f, 1 * S, &a, &acts));
	CHECK_EQ(acts.n, 0);
	CHECK_EQ(f.stats.rx_interval_mismatch, 2);
	/* And a Master is not pushed out by one. */
	RUN(fsm_tick(&f, 3609375, &acts));
	a = adv(250, 200, "192.0.2.9");
	RUN(fsm_advert(&f, 4 * S, &a, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	CHECK_EQ(f.stats.rx_interval_mismatch, 3);
}

static void
test_fault(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 100, 100, "192.0.2.1");
	struct fsm_advert a = adv(200, 100, "192.0.2.9");

	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_tick(&f, 3609375, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	/* Master -> Fault: priority 0 advert, VIPs released. */
	RUN(fsm_set_fault(&f, 5 * S, 1, &acts));
	CHECK_STR(seq(&acts), "ASD>");
	CHECK_EQ(sent_prio(), 0);
	CHECK_EQ(f.state, FSM_FAULT);
	CHECK_EQ(fsm_next_deadline(&f), 0);
	/* Adverts and ticks do nothing in Fault. */
	RUN(fsm_advert(&f, 6 * S, &a, &acts));
	RUN(fsm_tick(&f, 100 * S, &acts));
	CHECK_EQ(acts.n, 0);
	/* Fault ends: Backup with a fresh Master_Down_Timer. */
	RUN(fsm_set_fault(&f, 10 * S, 0, &acts));
	CHECK_STR(seq(&acts), "T>");
	CHECK_EQ(acts.v[1].from, FSM_FAULT);
	CHECK_EQ(acts.v[1].to, FSM_BACKUP);
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 10 * S + 3609375);
	/* Backup -> Fault disarms the timer. */
	RUN(fsm_set_fault(&f, 11 * S, 1, &acts));
	CHECK_STR(seq(&acts), "T>");
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 0);
	/* A fault present at startup starts in Fault. */
	fsm_init(&f, &c);
	RUN(fsm_set_fault(&f, 0, 1, &acts));
	CHECK_EQ(acts.n, 0);
	RUN(fsm_startup(&f, 0, &acts));
	CHECK_EQ(f.state, FSM_FAULT);
}

static void
test_demote(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 150, 100, "192.0.2.1");
	struct fsm_advert lo = adv(100, 100, "192.0.2.9");

	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_tick(&f, 3414062, &acts));
	CHECK_EQ(f.state, FSM_MASTER);
	/* Demote: priority 0 advert, VIPs released, Backup at priority 0. */
	RUN(fsm_demote(&f, 5 * S, &acts));
	CHECK_STR(seq(&acts), "ASDT>");
	CHECK_EQ(sent_prio(), 0);
	CHECK_EQ(f.state, FSM_BACKUP);
	CHECK_EQ(fsm_priority(&f), 0);
	/* Priority 0: Skew_Time = 256/256 s. */
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 5 * S + 4 * S);
	/* The lower peer takes over; we follow it, never preempt. */
	RUN(fsm_advert(&f, 6 * S, &lo, &acts));
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 6 * S + 4 * S);
	CHECK(f.master_known);
	/* Even when nobody advertises, we stay Backup. */
	RUN(fsm_tick(&f, 10 * S, &acts));
	CHECK_STR(seq(&acts), "T");
	CHECK_EQ(f.state, FSM_BACKUP);
	CHECK(!f.master_known);
	RUN(fsm_tick(&f, 100 * S, &acts));
	CHECK_EQ(f.state, FSM_BACKUP);
	/* Resume: priority back, take over after Master_Down_Interval. */
	RUN(fsm_resume(&f, 200 * S, &acts));
	CHECK_EQ(fsm_priority(&f), 150);
	CHECK_EQ(deadline(FSM_A_DOWN_TIMER), 200 * S + 3414062);
	RUN(fsm_tick(&f, 200 * S + 3414062, &acts));
	CHECK_EQ(f.state, FSM_MASTER);

	/* Resume with a lower Master present: preempt (its adverts are
	 * discarded from now on, so the timer runs out). */
	RUN(fsm_demote(&f, 300 * S, &acts));
	RUN(fsm_advert(&f, 301 * S, &lo, &acts));
	RUN(fsm_resume(&f, 302 * S, &acts));
	CHECK_EQ(acts.n, 0);
	RUN(fsm_advert(&f, 303 * S, &lo, &acts));
	CHECK_EQ(acts.n, 0);
	RUN(fsm_tick(&f, 301 * S + 4 * S, &acts));
	CHECK_EQ(f.state, FSM_MASTER);

	/* An owner demoted before startup stays Backup. */
	c = cfg(2, 255, 100, "192.0.2.1");
	fsm_init(&f, &c);
	RUN(fsm_demote(&f, 0, &acts));
	RUN(fsm_startup(&f, 0, &acts));
	CHECK_EQ(f.state, FSM_BACKUP);
}

static void
test_owner_and_shutdown(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 255, 100, "192.0.2.1");

	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 7, &acts));
	CHECK_STR(seq(&acts), "SVA>");
	CHECK_EQ(sent_prio(), 255);
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 7 + S);
	CHECK_EQ(f.state, FSM_MASTER);
	/* An owner's priority does not move with tracking. */
	RUN(fsm_set_track(&f, 8, -50, &acts));
	CHECK_EQ(fsm_priority(&f), 255);
	/* Shutdown: cancel Adver_Timer, priority 0, release, Initialize. */
	RUN(fsm_shutdown(&f, 2 * S, &acts));
	CHECK_STR(seq(&acts), "ASD>");
	CHECK_EQ(sent_prio(), 0);
	CHECK_EQ(deadline(FSM_A_ADVER_TIMER), 0);
	CHECK_EQ(acts.v[3].to, FSM_INIT);
	CHECK_EQ(f.state, FSM_INIT);
	CHECK_EQ(fsm_next_deadline(&f), 0);

	/* Backup shutdown: no advert. */
	c = cfg(2, 100, 100, "192.0.2.1");
	fsm_init(&f, &c);
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_shutdown(&f, 1, &acts));
	CHECK_STR(seq(&acts), "T>");
	CHECK_EQ(f.state, FSM_INIT);
}

static void
test_track_priority(void)
{
	struct fsm f;
	struct fsm_config c = cfg(2, 100, 100, "192.0.2.1");

	fsm_init(&f, &c);
	RUN(fsm_set_track(&f, 0, -30, &acts));
	CHECK_EQ(acts.n, 0);
	CHECK_EQ(fsm_priority(&f), 70);
	/* (256 - 70) / 256 s = 726562.5 us. */
	CHECK_EQ(fsm_skew_us(&f), 726562);
	fsm_set_track(&f, 0, -200, NULL);
	CHECK_EQ(fsm_priority(&f), 1);
	fsm_set_track(&f, 0, 200, NULL);
	CHECK_EQ(fsm_priority(&f), 254);
	fsm_set_track(&f, 0, 20, NULL);
	/* The Master advertises the tracked priority. */
	RUN(fsm_startup(&f, 0, &acts));
	RUN(fsm_tick(&f, f.down_at, &acts));
	CHECK_EQ(sent_prio(), 120);
	RUN(fsm_tick(&f, f.adver_at, &acts));
	CHECK_EQ(sent_prio(), 120);
	fsm_set_track(&f, 0, -10, NULL);
	RUN(fsm_tick(&f, f.adver_at, &acts));
	CHECK_EQ(sent_prio(), 90);
	/* And compares with it: 95 now beats us. */
	{
		struct fsm_advert a = adv(95, 100, "192.0.2.9");

		RUN(fsm_advert(&f, f.adver_at, &a, &acts));
		CHECK_EQ(f.state, FSM_BACKUP);
	}
	CHECK_STR(fsm_state_name(FSM_BACKUP), "BACKUP");
	CHECK_STR(fsm_state_name(FSM_FAULT), "FAULT");
}

int
main(void)
{
	test_v2_timings();
	test_v3_timings();
	test_priority_zero();
	test_preemption();
	test_preempt_delay();
	test_tie_break();
	test_v2_interval_mismatch();
	test_fault();
	test_demote();
	test_owner_and_shutdown();
	test_track_priority();
	UNIT_DONE();
}
