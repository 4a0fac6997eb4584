/*
 * Running commands: no shell unless asked, each in its own process group
 * (so a hook and everything it started can be terminated together),
 * optionally as another user, bounded by a timeout. Exec failures come back
 * as errno from proc_start() instead of a silent exit 127.
 */
#ifndef VIPKIT_PROC_H
#define VIPKIT_PROC_H

#include <stddef.h>
#include <sys/types.h>

#define PROC_MAX_ARGS	64

struct proc_spec {
	char *const	*argv;		/* argv[0]: a path, or a name found on PATH */
	int		 set_user;	/* run as uid/gid (and its groups) */
	uid_t		 uid;
	gid_t		 gid;
	const char	*user;		/* for initgroups(); NULL: no supplementary */
	char *const	*env;		/* extra "NAME=value" entries, or NULL */
	int		 out_fd;	/* stdout/stderr of the child; -1: /dev/null */
	int		 err_fd;
};

struct proc {
	pid_t	pid;		/* 0 when none */
	int	pidfd;		/* pollable: readable when the child exits */
	int	status;		/* wait status once reaped */
	int	signalled;	/* proc_kill() was called */
};

/* Start the child in a new process group. 0, or -1 with errno (exec's). */
int	proc_start(struct proc *, const struct proc_spec *);
/*
 * Signal the whole process group of the child. A group once signalled is
 * ended for good: when proc_reap() finds its leader gone, it sends SIGKILL
 * to what is left of the group (a child that ignored SIGTERM must not go
 * on with a stopped command's work).
 */
int	proc_kill(struct proc *, int sig);
/* Reap without blocking: 1 exited (status set), 0 still running, -1 error. */
int	proc_reap(struct proc *);
/* Release the pidfd (after reaping). */
void	proc_close(struct proc *);
/*
 * Start, wait at most timeout_ms (< 0: forever); on timeout send SIGTERM
 * to the group, then SIGKILL after grace_ms. Returns 0 when it exited by
 * itself (p->status set), 1 when it was killed at the timeout, -1 on error.
 */
int	proc_run(struct proc *, const struct proc_spec *, int timeout_ms,
	    int grace_ms);
/* "exited 0", "exited 3", "killed by SIGKILL". */
const char *proc_status_str(int status, char *buf, size_t len);

/*
 * Split a command line the way keepalived does for scripts: words
 * separated by blanks; "double" and 'single' quotes group; a backslash
 * escapes the next character outside single quotes. Pure. Writes the words
 * into buf and pointers into argv (NULL terminated). Returns the word
 * count, or -1 with *err set ("unterminated quote", "too many words",
 * "command too long", "empty command").
 */
int	proc_split(const char *cmd, char **argv, int max, char *buf,
	    size_t buflen, const char **err);

/*
 * keepalived's enable_script_security rule: refuse a script when the file
 * or any directory above it is writable by a non-root user (or group), or
 * owned by one. Returns 0 when safe, -1 with a message in why (naming the
 * path and what is unsafe).
 */
int	proc_script_secure(const char *path, char *why, size_t len);

#endif
