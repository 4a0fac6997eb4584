/*
 * vrrpctl status / demote / resume: one request over the daemon's control
 * socket. The protocol: the client writes one line ("status", "status
 * json", "demote NAME", "resume NAME"); the daemon answers with a line
 * holding the exit status, then text, and closes.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "vrrpctl.h"

static const char status_usage[] =
"usage: vrrpctl status [-hj] [-c SOCKET]\n"
"\n"
"Show every instance of the running vrrpctl: state, configured and\n"
"effective priority, VRID, interface, current master, VIPs, failed tracks\n"
"and dropped-packet counters.\n"
"\n"
"  -j, --json           one JSON document {\"instances\": [...]}\n"
"  -c, --control PATH   control socket (default " VRRPCTL_DEFAULT_SOCK ")\n"
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 ok, 2 usage error, 3 daemon not reachable.\n";

static const char demote_usage[] =
"usage: vrrpctl demote [-h] [-c SOCKET] NAME\n"
"       vrrpctl resume [-h] [-c SOCKET] NAME\n"
"\n"
"demote: instance NAME sends priority 0, releases its VIPs and stays\n"
"BACKUP at priority 0 (a peer takes over at once) until resumed.\n"
"resume: back to the configured priority (preempting if allowed).\n"
"\n"
"  -c, --control PATH   control socket (default " VRRPCTL_DEFAULT_SOCK ")\n"
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 done, 1 no such instance, 2 usage error,\n"
"3 daemon not reachable.\n";

/* What a sysadmin can do about a failed connect(). */
static const char *
connect_hint(int e)
{
	switch (e) {
	case ENOENT:
		return " (is 'vrrpctl run' running? another socket: "
		    "--control PATH)";
	case ECONNREFUSED:
		return " (the daemon that made this socket is gone: start "
		    "'vrrpctl run')";
	case EACCES:
	case EPERM:
		return " (the control socket is root-only: run as root)";
	default:
		return "";
	}
}

static int
request(const char *path, const char *req)
{
	struct sockaddr_un sun;
	char buf[4096], *nl;
	struct timeval tv = { 5, 0 };
	ssize_t n;
	size_t have = 0;
	const char *errstr;
	long long status;
	int fd, e, code = -1;
	FILE *out = stdout;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "%s: %s: control socket path too long\n",
		    cli_progname, path);
		return EXIT_USAGE;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1) {
		e = errno;
		fprintf(stderr, "%s: %s: cannot reach the daemon: %s%s\n",
		    cli_progname, path, strerror(e), connect_hint(e));
		if (fd != -1)
			close(fd);
		return EXIT_UNKNOWN;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (dprintf(fd, "%s\n", req) < 0) {
		fprintf(stderr, "%s: %s: %s\n", cli_progname, path,
		    strerror(errno));
		close(fd);
		return EXIT_UNKNOWN;
	}
	while ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += n;
		buf[have] = '\0';
		if (code < 0) {
			if ((nl = strchr(buf, '\n')) == NULL) {
				if (have < sizeof(buf) - 1)
					continue;
				break;
			}
			*nl = '\0';
			if (parse_int(buf, EXIT_YES, EXIT_UNKNOWN, &status,
			    &errstr) == -1) {
				fprintf(stderr, "%s: %s: not an answer of "
				    "vrrpctl run: '%.40s' (is --control the "
				    "right socket?)\n", cli_progname, path, buf);
				close(fd);
				return EXIT_UNKNOWN;
			}
			code = (int)status;
			out = code == 0 ? stdout : stderr;
			if (code != 0)
				fprintf(stderr, "%s: ", cli_progname);
			fputs(nl + 1, out);
		} else
			fputs(buf, out);
		have = 0;
	}
	e = errno;
	close(fd);
	if (code < 0) {
		if (n < 0 && (e == EAGAIN || e == EWOULDBLOCK))
			fprintf(stderr, "%s: %s: no answer from the daemon "
			    "within %d s\n", cli_progname, path,
			    (int)tv.tv_sec);
		else
			fprintf(stderr, "%s: %s: no answer from the daemon%s%s"
			    "\n", cli_progname, path, n < 0 ? ": " : "",
			    n < 0 ? strerror(e) : "");
		return EXIT_UNKNOWN;
	}
	return code;
}

static const struct option ctl_longopts[] = {
	{ "control",	required_argument,	NULL, 'c' },
	CLI_LONGOPT_JSON,
	CLI_LONGOPT_HELP,
	{ NULL,		0,			NULL, 0 }
};

int
cmd_status(int argc, char **argv)
{
	const char *path = VRRPCTL_DEFAULT_SOCK;
	struct cli_common co = { 0, 0 };
	int ch;

	while ((ch = getopt_long(argc, argv, "c:jh", ctl_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		default:
			cli_common_opt(ch, status_usage, &co);
		}
	}
	if (optind != argc)
		cli_usage_error("status: unexpected argument '%s'",
		    argv[optind]);
	return request(path, co.json ? "status json" : "status");
}

static int
demote_resume(int argc, char **argv, const char *verb)
{
	const char *path = VRRPCTL_DEFAULT_SOCK;
	struct cli_common co = { 0, 0 };
	char req[128];
	int ch;

	while ((ch = getopt_long(argc, argv, "c:h", ctl_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		default:
			cli_common_opt(ch, demote_usage, &co);
		}
	}
	if (optind + 1 != argc)
		cli_usage_error("%s: exactly one instance name expected",
		    verb);
	if (strlen(argv[optind]) > 100 || strpbrk(argv[optind], " \n"))
		cli_usage_error("%s: %s: not an instance name", verb,
		    argv[optind]);
	snprintf(req, sizeof(req), "%s %s", verb, argv[optind]);
	return request(path, req);
}

int
cmd_demote(int argc, char **argv)
{
	return demote_resume(argc, argv, "demote");
}

int
cmd_resume(int argc, char **argv)
{
	return demote_resume(argc, argv, "resume");
}
