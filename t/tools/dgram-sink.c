/*
 * dgram-sink: a stand-in syslog daemon for the tests. Binds a unix
 * datagram socket at PATH and writes every datagram received to stdout as
 * one line (a trailing newline added when missing), flushed at once, until
 * SIGTERM/SIGINT or -w SECONDS pass.
 *
 *   dgram-sink [-w SECONDS] PATH
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"

int
main(int argc, char **argv)
{
	struct sockaddr_un sun;
	char buf[8192];
	struct pollfd pf;
	ssize_t n;
	long long deadline, left;
	int fd, ch, limit_ms = 60000;

	cli_init(argv[0]);
	while ((ch = getopt(argc, argv, "w:")) != -1) {
		if (ch != 'w') {
			fprintf(stderr, "usage: dgram-sink [-w SECONDS] PATH\n");
			return 2;
		}
		limit_ms = (int)cli_int("-w", optarg, 1, 3600) * 1000;
	}
	if (optind + 1 != argc ||
	    strlen(argv[optind]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: dgram-sink [-w SECONDS] PATH\n");
		return 2;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[optind]);
	unlink(sun.sun_path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "dgram-sink: %s: %s\n", sun.sun_path,
		    strerror(errno));
		return 3;
	}
	pf.fd = fd;
	pf.events = POLLIN;
	deadline = mono_ms() + limit_ms;
	while ((left = deadline - mono_ms()) > 0) {
		if (poll(&pf, 1, (int)left) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		fputs(buf, stdout);
		if (buf[n - 1] != '\n')
			fputc('\n', stdout);
		fflush(stdout);
	}
	unlink(sun.sun_path);
	return 0;
}
