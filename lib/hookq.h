/*
 * A per-instance hook queue: the commands a VRRP transition runs, one at
 * a time, in transition order, each bounded by a timeout; a state change
 * terminates the running hook of the old state and drops its queued ones.
 *
 * Pure: no fork, no clock, no printing. The caller passes the time
 * (monotonic microseconds) and carries out the actions it gets back:
 *
 *	while (hookq_step(q, now, &a) != HOOKQ_NONE)
 *		switch (a.type) {
 *		case HOOKQ_START: start a.job, then hookq_started(q, pid)
 *		    or hookq_failed(q)
 *		case HOOKQ_TERM: SIGTERM to the running hook's process group
 *		case HOOKQ_KILL: SIGKILL to it
 *		}
 *
 * and calls hookq_reaped() when a child exits, hookq_flush() when the
 * state changes, and sleeps at most until hookq_deadline().
 */
#ifndef VIPKIT_HOOKQ_H
#define VIPKIT_HOOKQ_H

#include <stdint.h>
#include <sys/types.h>

#define HOOKQ_MAX		64	/* queued jobs per instance */
#define HOOKQ_TIMEOUT_US	(30 * 1000000LL)	/* default */
#define HOOKQ_GRACE_US		(1000000LL)	/* SIGTERM to SIGKILL */

struct hookq_job {
	char	**argv;		/* NULL-terminated, owned by the queue */
	int	  user;		/* a user's command (script_user, security) */
	char	 *runas;	/* its own user, or NULL */
};

enum hookq_type {
	HOOKQ_NONE,		/* nothing to do now */
	HOOKQ_START,		/* start .job */
	HOOKQ_TERM,		/* SIGTERM to the running hook (.why) */
	HOOKQ_KILL		/* SIGKILL to the running hook (.why) */
};

enum hookq_why {
	HOOKQ_WHY_NONE,
	HOOKQ_WHY_STALE,	/* the state changed while it ran */
	HOOKQ_WHY_TIMEOUT,	/* it ran past its timeout */
	HOOKQ_WHY_GRACE		/* still alive a grace period after SIGTERM */
};

struct hookq_action {
	enum hookq_type		 type;
	enum hookq_why		 why;
	const struct hookq_job	*job;	/* START: to start; TERM/KILL: running */
};

struct hookq {
	struct hookq_job	 v[HOOKQ_MAX];	/* queued, v[head] first */
	int			 head, n;
	struct hookq_job	 cur;		/* running or being started */
	int			 starting;	/* START handed out, no answer yet */
	int			 running;
	pid_t			 pid;
	int64_t			 deadline;	/* timeout, then the kill time */
	int			 termed;	/* SIGTERM sent */
	int64_t			 timeout_us;
	int64_t			 grace_us;
};

/* An empty queue; timeout_us bounds each hook, grace_us the SIGTERM. */
void	hookq_init(struct hookq *, int64_t timeout_us, int64_t grace_us);
/* Free the queued and running jobs' memory (the process is the
 * caller's). */
void	hookq_free(struct hookq *);

/*
 * Queue a command (argv NULL-terminated, copied). Returns 0, or -1 when
 * the queue is full (HOOKQ_MAX) or out of memory: the job is not queued.
 */
int	hookq_push(struct hookq *, char *const *argv, int user,
	    const char *runas);

/*
 * The next thing to do at now: a timed-out hook is terminated (then
 * killed after the grace period), else the next job is started when none
 * runs. HOOKQ_NONE when there is nothing to do.
 */
enum hookq_type hookq_step(struct hookq *, int64_t now, struct hookq_action *);
/* The answer to HOOKQ_START: it runs as pid, or could not start. */
void	hookq_started(struct hookq *, pid_t pid, int64_t now);
void	hookq_failed(struct hookq *);

/*
 * The state changed: the queued jobs are dropped (returns how many), and a
 * running hook that was not yet told to stop gets HOOKQ_TERM (stale) in
 * *a (else HOOKQ_NONE).
 */
int	hookq_flush(struct hookq *, int64_t now, struct hookq_action *);

/*
 * A child exited. Returns 1 when it was the running hook (now finished;
 * the caller reads hookq_current() before calling), 0 when the pid is not
 * ours (unknown, or late: already reaped).
 */
int	hookq_reaped(struct hookq *, pid_t pid);

/* The running job, or NULL. */
const struct hookq_job *hookq_current(const struct hookq *);
/* The running hook's deadline (timeout or kill time), 0 when none. */
int64_t	hookq_deadline(const struct hookq *);
/* Jobs waiting (not counting the running one). */
int	hookq_pending(const struct hookq *);

const char *hookq_why_name(enum hookq_why);

#endif
