/*
 * Unit tests for lib/hookq: order, one hook at a time, timeouts, stale
 * termination on a state change, late or unknown pids, a full queue.
 */
#include <stdio.h>

#include "hookq.h"
#include "unit.h"

#define S	1000000LL

static void
push1(struct hookq *q, const char *cmd)
{
	char *argv[3] = { (char *)cmd, "x", NULL };

	CHECK_EQ(hookq_push(q, argv, 1, NULL), 0);
}

/* Step expecting a START of cmd, and answer it with pid. */
static void
start_expect(struct hookq *q, int64_t now, const char *cmd, pid_t pid)
{
	struct hookq_action a;

	CHECK_EQ(hookq_step(q, now, &a), HOOKQ_START);
	CHECK(a.job != NULL);
	if (a.job != NULL) {
		CHECK_STR(a.job->argv[0], cmd);
		CHECK_STR(a.job->argv[1], "x");
	}
	hookq_started(q, pid, now);
}

static void
test_order(void)
{
	struct hookq q;
	struct hookq_action a;

	hookq_init(&q, 10 * S, S);
	CHECK_EQ(hookq_step(&q, 0, &a), HOOKQ_NONE);
	CHECK_EQ(hookq_deadline(&q), 0);
	push1(&q, "notify_master");
	push1(&q, "notify");
	push1(&q, "third");
	CHECK_EQ(hookq_pending(&q), 3);
	start_expect(&q, 100, "notify_master", 41);
	CHECK_EQ(hookq_deadline(&q), 100 + 10 * S);
	/* one at a time: nothing else starts while it runs */
	CHECK_EQ(hookq_step(&q, 200, &a), HOOKQ_NONE);
	CHECK_EQ(hookq_step(&q, 300, &a), HOOKQ_NONE);
	CHECK_STR(hookq_current(&q)->argv[0], "notify_master");
	CHECK_EQ(hookq_pending(&q), 2);
	CHECK_EQ(hookq_reaped(&q, 41), 1);
	CHECK(hookq_current(&q) == NULL);
	start_expect(&q, 400, "notify", 42);
	CHECK_EQ(hookq_reaped(&q, 42), 1);
	start_expect(&q, 500, "third", 43);
	CHECK_EQ(hookq_reaped(&q, 43), 1);
	CHECK_EQ(hookq_step(&q, 600, &a), HOOKQ_NONE);
	CHECK_EQ(hookq_pending(&q), 0);
	hookq_free(&q);
}

static void
test_failed_start(void)
{
	struct hookq q;
	struct hookq_action a;

	hookq_init(&q, 10 * S, S);
	push1(&q, "missing");
	push1(&q, "next");
	CHECK_EQ(hookq_step(&q, 0, &a), HOOKQ_START);
	/* no answer yet: nothing else is handed out */
	CHECK_EQ(hookq_step(&q, 0, &a), HOOKQ_NONE);
	hookq_failed(&q);
	CHECK(hookq_current(&q) == NULL);
	start_expect(&q, 1, "next", 7);
	CHECK_EQ(hookq_reaped(&q, 7), 1);
	hookq_free(&q);
}

static void
test_timeout(void)
{
	struct hookq q;
	struct hookq_action a;

	hookq_init(&q, 5 * S, S);
	push1(&q, "slow");
	push1(&q, "after");
	start_expect(&q, 0, "slow", 50);
	CHECK_EQ(hookq_step(&q, 5 * S - 1, &a), HOOKQ_NONE);
	CHECK_EQ(hookq_step(&q, 5 * S, &a), HOOKQ_TERM);
	CHECK_EQ(a.why, HOOKQ_WHY_TIMEOUT);
	CHECK_STR(a.job->argv[0], "slow");
	CHECK_EQ(hookq_deadline(&q), 6 * S);
	/* the next job waits until the timed-out one is gone */
	CHECK_EQ(hookq_step(&q, 5 * S + 10, &a), HOOKQ_NONE);
	CHECK_EQ(hookq_step(&q, 6 * S, &a), HOOKQ_KILL);
	CHECK_EQ(a.why, HOOKQ_WHY_GRACE);
	CHECK_EQ(hookq_deadline(&q), 7 * S);
	/* a second SIGKILL a grace period later if it is still there */
	CHECK_EQ(hookq_step(&q, 7 * S, &a), HOOKQ_KILL);
	CHECK_EQ(hookq_reaped(&q, 50), 1);
	start_expect(&q, 7 * S + 1, "after", 51);
	CHECK_EQ(hookq_deadline(&q), 12 * S + 1);
	CHECK_EQ(hookq_reaped(&q, 51), 1);
	hookq_free(&q);

	/* a custom timeout */
	hookq_init(&q, 250000, 100000);
	push1(&q, "quick");
	start_expect(&q, 1000, "quick", 60);
	CHECK_EQ(hookq_step(&q, 251000 - 1, &a), HOOKQ_NONE);
	CHECK_EQ(hookq_step(&q, 251000, &a), HOOKQ_TERM);
	CHECK_EQ(hookq_deadline(&q), 351000);
	hookq_free(&q);
}

static void
test_stale(void)
{
	struct hookq q;
	struct hookq_action a;

	hookq_init(&q, 30 * S, S);
	/* MASTER's hooks: notify_master runs, notify waits */
	push1(&q, "notify_master");
	push1(&q, "notify-MASTER");
	start_expect(&q, 0, "notify_master", 70);
	/* the state changes to BACKUP */
	CHECK_EQ(hookq_flush(&q, 2 * S, &a), 1);
	CHECK_EQ(a.type, HOOKQ_TERM);
	CHECK_EQ(a.why, HOOKQ_WHY_STALE);
	CHECK_STR(a.job->argv[0], "notify_master");
	CHECK_EQ(hookq_deadline(&q), 3 * S);
	CHECK_EQ(hookq_pending(&q), 0);
	/* BACKUP's hooks queue behind the terminated one */
	push1(&q, "notify_backup");
	CHECK_EQ(hookq_step(&q, 2 * S + 1, &a), HOOKQ_NONE);
	/* another change while it dies: no second SIGTERM; drops BACKUP's */
	CHECK_EQ(hookq_flush(&q, 2 * S + 2, &a), 1);
	CHECK_EQ(a.type, HOOKQ_NONE);
	push1(&q, "notify_fault");
	/* it ignores SIGTERM: SIGKILL after the grace period */
	CHECK_EQ(hookq_step(&q, 3 * S, &a), HOOKQ_KILL);
	CHECK_EQ(hookq_reaped(&q, 70), 1);
	/* only the newest state's hook runs; the dropped ones never do */
	start_expect(&q, 3 * S + 5, "notify_fault", 71);
	CHECK_EQ(hookq_reaped(&q, 71), 1);
	CHECK_EQ(hookq_step(&q, 4 * S, &a), HOOKQ_NONE);
	/* a flush with nothing running */
	CHECK_EQ(hookq_flush(&q, 5 * S, &a), 0);
	CHECK_EQ(a.type, HOOKQ_NONE);
	hookq_free(&q);
}

static void
test_reap_unknown(void)
{
	struct hookq q;
	struct hookq_action a;

	hookq_init(&q, 30 * S, S);
	CHECK_EQ(hookq_reaped(&q, 99), 0);	/* nothing runs */
	push1(&q, "a");
	push1(&q, "b");
	start_expect(&q, 0, "a", 80);
	CHECK_EQ(hookq_reaped(&q, 99), 0);	/* not ours */
	CHECK_EQ(hookq_reaped(&q, 0), 0);
	CHECK_EQ(hookq_reaped(&q, -1), 0);
	CHECK_STR(hookq_current(&q)->argv[0], "a");
	CHECK_EQ(hookq_reaped(&q, 80), 1);
	CHECK_EQ(hookq_reaped(&q, 80), 0);	/* late: already reaped */
	start_expect(&q, 1, "b", 81);
	CHECK_EQ(hookq_reaped(&q, 80), 0);	/* the old pid again */
	CHECK_STR(hookq_current(&q)->argv[0], "b");
	CHECK_EQ(hookq_step(&q, 2, &a), HOOKQ_NONE);
	CHECK_EQ(hookq_reaped(&q, 81), 1);
	hookq_free(&q);
}

static void
test_full(void)
{
	struct hookq q;
	struct hookq_action a;
	char name[16], *argv[2] = { name, NULL };
	int i;

	hookq_init(&q, 30 * S, S);
	for (i = 0; i < HOOKQ_MAX; i++) {
		snprintf(name, sizeof(name), "j%d", i);
		CHECK_EQ(hookq_push(&q, argv, 0, "nobody"), 0);
	}
	CHECK_EQ(hookq_push(&q, argv, 0, NULL), -1);
	CHECK_EQ(hookq_pending(&q), HOOKQ_MAX);
	/* an empty command is refused */
	argv[0] = NULL;
	CHECK_EQ(hookq_push(&q, argv, 0, NULL), -1);
	argv[0] = name;
	/* one out: room for one more, kept in order across the wrap */
	CHECK_EQ(hookq_step(&q, 0, &a), HOOKQ_START);
	CHECK_STR(a.job->argv[0], "j0");
	CHECK_STR(a.job->runas, "nobody");
	CHECK_EQ(a.job->user, 0);
	hookq_started(&q, 1000, 0);
	snprintf(name, sizeof(name), "last");
	CHECK_EQ(hookq_push(&q, argv, 1, NULL), 0);
	CHECK_EQ(hookq_push(&q, argv, 1, NULL), -1);
	for (i = 1; i <= HOOKQ_MAX; i++) {
		char want[16];

		CHECK_EQ(hookq_reaped(&q, 1000 + i - 1), 1);
		CHECK_EQ(hookq_step(&q, i, &a), HOOKQ_START);
		snprintf(want, sizeof(want), "j%d", i);
		CHECK_STR(a.job->argv[0], i == HOOKQ_MAX ? "last" : want);
		hookq_started(&q, 1000 + i, i);
	}
	CHECK_EQ(a.job->user, 1);
	CHECK(a.job->runas == NULL);
	/* freeing with a running job and a queue releases everything */
	push1(&q, "left");
	hookq_free(&q);
	CHECK(hookq_current(&q) == NULL);
	CHECK_EQ(hookq_pending(&q), 0);
	CHECK_STR(hookq_why_name(HOOKQ_WHY_STALE), "stale");
	CHECK_STR(hookq_why_name(HOOKQ_WHY_TIMEOUT), "timeout");
}

int
main(void)
{
	test_order();
	test_failed_start();
	test_timeout();
	test_stale();
	test_reap_unknown();
	test_full();
	UNIT_DONE();
}
