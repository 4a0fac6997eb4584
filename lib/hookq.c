/*
 * The per-instance hook queue (see hookq.h). Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "hookq.h"

static void
job_free(struct hookq_job *j)
{
	int i;

	if (j->argv != NULL) {
		for (i = 0; j->argv[i] != NULL; i++)
			free(j->argv[i]);
		free(j->argv);
	}
	free(j->runas);
	memset(j, 0, sizeof(*j));
}

void
hookq_init(struct hookq *q, int64_t timeout_us, int64_t grace_us)
{
	memset(q, 0, sizeof(*q));
	q->timeout_us = timeout_us;
	q->grace_us = grace_us;
}

void
hookq_free(struct hookq *q)
{
	int i;

	for (i = 0; i < q->n; i++)
		job_free(&q->v[(q->head + i) % HOOKQ_MAX]);
	job_free(&q->cur);
	q->n = 0;
	q->head = 0;
	q->running = 0;
	q->starting = 0;
	q->pid = 0;
}

int
hookq_push(struct hookq *q, char *const *argv, int user, const char *runas)
{
	struct hookq_job j;
	int n, i;

	if (q->n == HOOKQ_MAX || argv == NULL || argv[0] == NULL)
		return -1;
	memset(&j, 0, sizeof(j));
	for (n = 0; argv[n] != NULL; n++)
		;
	if ((j.argv = calloc(n + 1, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((j.argv[i] = strdup(argv[i])) == NULL) {
			job_free(&j);
			return -1;
		}
	}
	j.user = user;
	if (runas != NULL && (j.runas = strdup(runas)) == NULL) {
		job_free(&j);
		return -1;
	}
	q->v[(q->head + q->n) % HOOKQ_MAX] = j;
	q->n++;
	return 0;
}

enum hookq_type
hookq_step(struct hookq *q, int64_t now, struct hookq_action *a)
{
	memset(a, 0, sizeof(*a));
	if (q->starting)
		return HOOKQ_NONE;	/* waiting for started/failed */
	if (q->running) {
		if (q->deadline > now)
			return HOOKQ_NONE;
		a->job = &q->cur;
		q->deadline = now + q->grace_us;
		if (!q->termed) {
			q->termed = 1;
			a->type = HOOKQ_TERM;
			a->why = HOOKQ_WHY_TIMEOUT;
		} else {
			a->type = HOOKQ_KILL;
			a->why = HOOKQ_WHY_GRACE;
		}
		return a->type;
	}
	if (q->n == 0)
		return HOOKQ_NONE;
	q->cur = q->v[q->head];
	memset(&q->v[q->head], 0, sizeof(q->v[q->head]));
	q->head = (q->head + 1) % HOOKQ_MAX;
	q->n--;
	q->starting = 1;
	a->type = HOOKQ_START;
	a->job = &q->cur;
	return HOOKQ_START;
}

void
hookq_started(struct hookq *q, pid_t pid, int64_t now)
{
	if (!q->starting)
		return;
	q->starting = 0;
	q->running = 1;
	q->pid = pid;
	q->termed = 0;
	q->deadline = now + q->timeout_us;
}

void
hookq_failed(struct hookq *q)
{
	if (!q->starting)
		return;
	q->starting = 0;
	job_free(&q->cur);
}

int
hookq_flush(struct hookq *q, int64_t now, struct hookq_action *a)
{
	int i, dropped = q->n;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < q->n; i++)
		job_free(&q->v[(q->head + i) % HOOKQ_MAX]);
	q->n = 0;
	q->head = 0;
	if (q->running && !q->termed) {
		q->termed = 1;
		q->deadline = now + q->grace_us;
		a->type = HOOKQ_TERM;
		a->why = HOOKQ_WHY_STALE;
		a->job = &q->cur;
	}
	return dropped;
}

int
hookq_reaped(struct hookq *q, pid_t pid)
{
	if (!q->running || pid <= 0 || pid != q->pid)
		return 0;
	job_free(&q->cur);
	q->running = 0;
	q->pid = 0;
	q->termed = 0;
	q->deadline = 0;
	return 1;
}

const struct hookq_job *
hookq_current(const struct hookq *q)
{
	return q->running || q->starting ? &q->cur : NULL;
}

int64_t
hookq_deadline(const struct hookq *q)
{
	return q->running ? q->deadline : 0;
}

int
hookq_pending(const struct hookq *q)
{
	return q->n;
}

const char *
hookq_why_name(enum hookq_why w)
{
	switch (w) {
	case HOOKQ_WHY_STALE:
		return "stale";
	case HOOKQ_WHY_TIMEOUT:
		return "timeout";
	case HOOKQ_WHY_GRACE:
		return "grace";
	default:
		return "none";
	}
}
