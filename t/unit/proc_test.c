/* Unit tests for lib/proc: command splitting, running, timeouts, groups. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "unit.h"

static void
test_split(void)
{
	char *argv[8], buf[128];
	const char *err = NULL;

	CHECK_EQ(proc_split("  /bin/echo a  'b c' \"d\\\"e\" f\\ g ", argv, 8,
	    buf, sizeof(buf), &err), 5);
	CHECK_STR(argv[0], "/bin/echo");
	CHECK_STR(argv[1], "a");
	CHECK_STR(argv[2], "b c");
	CHECK_STR(argv[3], "d\"e");
	CHECK_STR(argv[4], "f g");
	CHECK(argv[5] == NULL);
	CHECK_EQ(proc_split("a'b'c", argv, 8, buf, sizeof(buf), &err), 1);
	CHECK_STR(argv[0], "abc");
	CHECK_EQ(proc_split("'x\\y'", argv, 8, buf, sizeof(buf), &err), 1);
	CHECK_STR(argv[0], "x\\y");
	CHECK_EQ(proc_split("''", argv, 8, buf, sizeof(buf), &err), 1);
	CHECK_STR(argv[0], "");
	CHECK_EQ(proc_split("   ", argv, 8, buf, sizeof(buf), &err), -1);
	CHECK_STR(err, "empty command");
	CHECK_EQ(proc_split("a 'b", argv, 8, buf, sizeof(buf), &err), -1);
	CHECK_STR(err, "unterminated quote");
	CHECK_EQ(proc_split("a\\", argv, 8, buf, sizeof(buf), &err), -1);
	CHECK_EQ(proc_split("1 2 3 4 5 6 7 8", argv, 8, buf, sizeof(buf), &err), -1);
	CHECK_STR(err, "too many words");
	CHECK_EQ(proc_split("1 2 3 4 5 6 7", argv, 8, buf, sizeof(buf), &err), 7);
	CHECK_EQ(proc_split("abcdefgh", argv, 8, buf, 8, &err), -1);
	CHECK_STR(err, "command too long");
	CHECK_EQ(proc_split("abcdefg", argv, 8, buf, 8, &err), 1);
}

static long long
ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_run(void)
{
	char *t[] = { "true", NULL }, *f[] = { "/bin/false", NULL };
	char *missing[] = { "/nonexistent/hook", NULL };
	char *slow[] = { "sleep", "5", NULL };
	char *group[] = { "/bin/sh", "-c", "sleep 30 & echo $! >&2; sleep 30", NULL };
	struct proc_spec s = { .out_fd = -1, .err_fd = -1 };
	struct proc p;
	char buf[64];
	long long t0;
	int fds[2], child;
	ssize_t n;

	s.argv = t;
	CHECK_EQ(proc_run(&p, &s, 5000, 100), 0);
	CHECK(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0);
	s.argv = f;
	CHECK_EQ(proc_run(&p, &s, 5000, 100), 0);
	CHECK_STR(proc_status_str(p.status, buf, sizeof(buf)), "exited 1");

	s.argv = missing;
	errno = 0;
	CHECK_EQ(proc_start(&p, &s), -1);
	CHECK_EQ(errno, ENOENT);

	s.argv = slow;
	t0 = ms();
	CHECK_EQ(proc_run(&p, &s, 100, 100), 1);
	CHECK(ms() - t0 < 1500);
	CHECK_STR(proc_status_str(p.status, buf, sizeof(buf)), "killed by SIGTERM");

	/* the whole group goes, also the background child of the shell */
	CHECK(pipe(fds) == 0);
	s.argv = group;
	s.err_fd = fds[1];
	/* long enough for the shell to start and report its child under load */
	CHECK_EQ(proc_run(&p, &s, 2000, 100), 1);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = '\0';
	child = atoi(buf);
	CHECK(child > 0);
	/* we are its subreaper: it must have been killed, not left running */
	{
		int st = 0, i;
		pid_t r = 0;

		for (i = 0; i < 100 && r == 0; i++) {
			r = waitpid(child, &st, WNOHANG);
			if (r == 0)
				usleep(10000);
		}
		/*
		 * Either we reaped it (killed by a signal), or the shell reaped
		 * it before dying (ECHILD). Never still running: as its
		 * subreaper we would get 0.
		 */
		if (r == -1)
			CHECK_EQ(errno, ECHILD);
		else {
			CHECK_EQ(r, child);
			CHECK(WIFSIGNALED(st));
		}
	}
	s.err_fd = -1;
}

/*
 * proc_start, proc_kill, proc_reap (the daemon's way, no proc_run): once
 * the group was signalled, reaping the leader kills a member that ignored
 * SIGTERM; an unsignalled command's children are left alone.
 */
static void
test_reap_group(void)
{
	char *group[] = { "/bin/sh", "-c",
	    "sh -c 'trap \"\" TERM; echo $$ >&2; exec sleep 30' & exec sleep 30",
	    NULL };
	char *quick[] = { "/bin/sh", "-c",
	    "sh -c 'echo $$ >&2; exec sleep 30' & exit 0", NULL };
	struct proc_spec s = { .out_fd = -1, .err_fd = -1 };
	struct proc p;
	char buf[32];
	int fds[2], i, st, r, child;
	ssize_t n;

	CHECK(pipe(fds) == 0);
	s.argv = group;
	s.err_fd = fds[1];
	CHECK_EQ(proc_start(&p, &s), 0);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);	/* its trap is set */
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	child = atoi(buf);
	CHECK(child > 0);
	CHECK_EQ(proc_kill(&p, SIGTERM), 0);
	for (i = 0, r = 0; i < 500 && r == 0; i++)
		if ((r = proc_reap(&p)) == 0)
			usleep(10000);
	CHECK_EQ(r, 1);
	CHECK(WIFSIGNALED(p.status) && WTERMSIG(p.status) == SIGTERM);
	proc_close(&p);
	/* we are the subreaper of the member that ignored SIGTERM */
	for (i = 0, r = 0; i < 100 && r == 0; i++)
		if ((r = waitpid(child, &st, WNOHANG)) == 0)
			usleep(10000);
	CHECK_EQ(r, child);
	CHECK(r == child && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	/* not signalled: a background child outlives its shell */
	CHECK(pipe(fds) == 0);
	s.argv = quick;
	s.err_fd = fds[1];
	CHECK_EQ(proc_start(&p, &s), 0);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	child = atoi(buf);
	CHECK(child > 0);
	for (i = 0, r = 0; i < 500 && r == 0; i++)
		if ((r = proc_reap(&p)) == 0)
			usleep(10000);
	CHECK_EQ(r, 1);
	proc_close(&p);
	usleep(100000);
	CHECK_EQ(waitpid(child, &st, WNOHANG), 0);
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
}

static void
test_user(void)
{
	char *id[] = { "id", "-u", NULL };
	struct proc_spec s = { .argv = id, .out_fd = -1, .err_fd = -1 };
	struct passwd *pw;
	struct proc p;
	char buf[32];
	int fds[2];
	ssize_t n;

	if (getuid() != 0 || (pw = getpwnam("nobody")) == NULL) {
		CHECK(!"proc_test must run as root with a 'nobody' user");
		return;
	}
	CHECK(pipe(fds) == 0);
	s.set_user = 1;
	s.uid = pw->pw_uid;
	s.gid = pw->pw_gid;
	s.user = "nobody";
	s.out_fd = fds[1];
	CHECK_EQ(proc_run(&p, &s, 5000, 100), 0);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_EQ(atoi(buf), (long long)pw->pw_uid);
}

static void
test_script_security(void)
{
	char dir[] = "/run/proc_test.XXXXXX", path[64], tmp[] = "/tmp/proc_test.XXXXXX";
	char why[256];
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	chmod(dir, 0755);
	snprintf(path, sizeof(path), "%s/check.sh", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0755);
	CHECK(fd >= 0);
	close(fd);
	chmod(path, 0755);
	CHECK_EQ(proc_script_secure(path, why, sizeof(why)), 0);
	chmod(path, 0757);
	CHECK_EQ(proc_script_secure(path, why, sizeof(why)), -1);
	CHECK(strstr(why, "script writable by everyone") != NULL);
	chmod(path, 0755);
	chmod(dir, 0777);
	CHECK_EQ(proc_script_secure(path, why, sizeof(why)), -1);
	CHECK(strstr(why, "directory writable by everyone") != NULL);
	chmod(dir, 0755);
	CHECK(chown(path, 65534, 0) == 0);
	CHECK_EQ(proc_script_secure(path, why, sizeof(why)), -1);
	CHECK(strstr(why, "owned by uid 65534") != NULL);
	chmod(path, 0644);
	CHECK(chown(path, 0, 0) == 0);
	CHECK_EQ(proc_script_secure(path, why, sizeof(why)), -1);
	CHECK(strstr(why, "not executable") != NULL);
	unlink(path);
	rmdir(dir);
	CHECK_EQ(proc_script_secure("/nonexistent/x", why, sizeof(why)), -1);
	/* /tmp is writable by everyone: scripts there are refused */
	fd = mkstemp(tmp);
	CHECK(fd >= 0);
	fchmod(fd, 0755);
	close(fd);
	CHECK_EQ(proc_script_secure(tmp, why, sizeof(why)), -1);
	unlink(tmp);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	test_split();
	test_run();
	test_reap_group();
	test_user();
	test_script_security();
	UNIT_DONE();
}
