#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "proc.h"

extern char **environ;

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static void
child(const struct proc_spec *s, int errfd)
{
	sigset_t none;
	int fd, i, saved;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	setpgid(0, 0);

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		goto fail;
	dup2(fd, 0);
	dup2(s->out_fd >= 0 ? s->out_fd : fd, 1);
	dup2(s->err_fd >= 0 ? s->err_fd : fd, 2);
	if (fd > 2)
		close(fd);

	if (s->set_user) {
		if (s->user != NULL && initgroups(s->user, s->gid) == -1)
			goto fail;
		if (s->user == NULL && setgroups(0, NULL) == -1)
			goto fail;
		if (setgid(s->gid) == -1 || setuid(s->uid) == -1)
			goto fail;
	}
	if (s->env != NULL)
		for (i = 0; s->env[i] != NULL; i++)
			putenv(s->env[i]);
	if (strchr(s->argv[0], '/') != NULL)
		execv(s->argv[0], s->argv);
	else
		execvp(s->argv[0], s->argv);
fail:
	saved = errno;
	if (write(errfd, &saved, sizeof(saved)) != (ssize_t)sizeof(saved))
		_exit(127);
	_exit(127);
}

int
proc_start(struct proc *p, const struct proc_spec *s)
{
	int pfd[2], err, saved;
	ssize_t n;
	pid_t pid;

	memset(p, 0, sizeof(*p));
	p->pidfd = -1;
	if (s->argv == NULL || s->argv[0] == NULL || s->argv[0][0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		saved = errno;
		close(pfd[0]);
		close(pfd[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		child(s, pfd[1]);
	}
	/* Also from the parent, so the group exists before anyone signals it. */
	setpgid(pid, pid);
	close(pfd[1]);
	do
		n = read(pfd[0], &err, sizeof(err));
	while (n == -1 && errno == EINTR);
	close(pfd[0]);
	p->pid = pid;
	if (n == (ssize_t)sizeof(err)) {
		waitpid(pid, &p->status, 0);
		p->pid = 0;
		errno = err;
		return -1;
	}
	p->pidfd = pidfd_open_(pid);
	return 0;
}

int
proc_kill(struct proc *p, int sig)
{
	if (p->pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	p->signalled = 1;
	if (kill(-p->pid, sig) == -1 && kill(p->pid, sig) == -1)
		return -1;
	return 0;
}

int
proc_reap(struct proc *p)
{
	pid_t r;

	if (p->pid <= 0)
		return 1;
	r = waitpid(p->pid, &p->status, WNOHANG);
	if (r == -1)
		return -1;
	if (r == 0)
		return 0;
	p->pid = 0;
	if (p->signalled)
		kill(-r, SIGKILL);	/* the rest of a stopped group */
	return 1;
}

void
proc_close(struct proc *p)
{
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

/* Wait until the child exits or deadline (ms, < 0: none). 1 exited, 0 not. */
static int
wait_until(struct proc *p, long long deadline)
{
	struct pollfd pf;
	long long left;
	int r;

	for (;;) {
		if ((r = proc_reap(p)) != 0)
			return r < 0 ? -1 : 1;
		left = deadline < 0 ? 100 : deadline - mono_ms();
		if (deadline >= 0 && left <= 0)
			return 0;
		if (left > 100)
			left = 100;	/* also covers a missing pidfd */
		pf.fd = p->pidfd;
		pf.events = POLLIN;
		if (p->pidfd >= 0)
			poll(&pf, 1, (int)left);
		else
			usleep((useconds_t)left * 1000);
	}
}

int
proc_run(struct proc *p, const struct proc_spec *s, int timeout_ms,
    int grace_ms)
{
	long long start;
	int r;

	if (proc_start(p, s) == -1)
		return -1;
	start = mono_ms();
	r = wait_until(p, timeout_ms < 0 ? -1 : start + timeout_ms);
	if (r != 0) {
		proc_close(p);
		return r < 0 ? -1 : 0;
	}
	proc_kill(p, SIGTERM);
	if (wait_until(p, mono_ms() + (grace_ms > 0 ? grace_ms : 0)) != 1) {
		proc_kill(p, SIGKILL);
		wait_until(p, -1);
	}
	proc_close(p);
	return 1;
}

const char *
proc_status_str(int status, char *buf, size_t len)
{
	const char *name;

	if (WIFEXITED(status)) {
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		name = sigabbrev_np(WTERMSIG(status));
		if (name != NULL)
			snprintf(buf, len, "killed by SIG%s", name);
		else
			snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(buf, len, "status %d", status);
	}
	return buf;
}

int
proc_split(const char *cmd, char **argv, int max, char *buf, size_t buflen,
    const char **err)
{
	const char *s = cmd;
	size_t o = 0;
	int argc = 0, inword, q;

	if (max < 2 || buflen == 0) {
		*err = "command too long";
		return -1;
	}
	for (;;) {
		while (is_blank(*s))
			s++;
		if (*s == '\0')
			break;
		if (argc >= max - 1) {
			*err = "too many words";
			return -1;
		}
		argv[argc++] = buf + o;
		inword = 1;
		q = 0;
		while (inword && *s != '\0') {
			char c = *s++;

			if (q == 0 && is_blank(c)) {
				inword = 0;
				continue;
			}
			if (q == 0 && (c == '"' || c == '\'')) {
				q = c;
				continue;
			}
			if (q != 0 && c == q) {
				q = 0;
				continue;
			}
			if (c == '\\' && q != '\'') {
				if (*s == '\0') {
					*err = "backslash at the end";
					return -1;
				}
				c = *s++;
			}
			if (o + 1 >= buflen) {
				*err = "command too long";
				return -1;
			}
			buf[o++] = c;
		}
		if (q != 0) {
			*err = "unterminated quote";
			return -1;
		}
		if (o + 1 > buflen) {
			*err = "command too long";
			return -1;
		}
		buf[o++] = '\0';
	}
	argv[argc] = NULL;
	if (argc == 0) {
		*err = "empty command";
		return -1;
	}
	return argc;
}

static int
check_one(const char *path, const struct stat *st, int is_file, char *why,
    size_t len)
{
	if (st->st_uid != 0) {
		snprintf(why, len, "%s: %s owned by uid %u, not root", path,
		    is_file ? "script" : "directory", (unsigned)st->st_uid);
		return -1;
	}
	if (st->st_mode & S_IWOTH) {
		snprintf(why, len, "%s: %s writable by everyone", path,
		    is_file ? "script" : "directory");
		return -1;
	}
	if ((st->st_mode & S_IWGRP) && st->st_gid != 0) {
		snprintf(why, len, "%s: %s writable by group %u", path,
		    is_file ? "script" : "directory", (unsigned)st->st_gid);
		return -1;
	}
	return 0;
}

int
proc_script_secure(const char *path, char *why, size_t len)
{
	char real[PATH_MAX], *slash;
	struct stat st;

	if (realpath(path, real) == NULL) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (stat(real, &st) == -1) {
		snprintf(why, len, "%s: %s", real, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s: not a regular file", real);
		return -1;
	}
	if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
		snprintf(why, len, "%s: not executable", real);
		return -1;
	}
	if (check_one(real, &st, 1, why, len) == -1)
		return -1;
	while ((slash = strrchr(real, '/')) != NULL) {
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(real, &st) == -1) {
			snprintf(why, len, "%s: %s", real, strerror(errno));
			return -1;
		}
		if (check_one(real, &st, 0, why, len) == -1)
			return -1;
		if (strcmp(real, "/") == 0)
			break;
	}
	return 0;
}
