/*
 * garp-send: announce an address the host holds, so that neighbours on
 * the segment update their ARP or neighbour cache at once: gratuitous ARP
 * for IPv4, unsolicited Neighbor Advertisement for IPv6.
 */
#include <sys/socket.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "cli.h"
#include "garp.h"
#include "json.h"
#include "log.h"

static const char usage[] =
"usage: garp-send [-c N] [-i SECONDS] [--reply] [--force] [-q] [--json]\n"
"                 ADDRESS[/PREFIX] dev IFACE\n"
"Announce ADDRESS on IFACE: gratuitous ARP (IPv4) or unsolicited\n"
"Neighbor Advertisement with the Override flag (IPv6).\n"
"  -c, --count N         packets to send (1 to 1000, default 3)\n"
"  -i, --interval SECS   time between packets (0 to 60, default 0.2)\n"
"  -r, --reply           IPv4: send ARP replies instead of requests\n"
"  -f, --force           announce an address not configured on IFACE\n"
"  -j, --json            print one JSON object instead of the human line\n"
"  -q, --quiet           print nothing on success\n"
"  -h, --help            this help\n"
"  -V, --version         print the version\n"
"A /PREFIX is accepted and ignored, so vip-add's argument can be reused.\n"
"Exit: 0 sent, 1 address not configured (or tentative) on IFACE,\n"
"2 usage or not an Ethernet interface, 3 no such interface or send failure.\n";

static void
sleep_until(const struct timespec *t)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) ==
	    EINTR)
		;
}

static const char *
mac_str(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
	return buf;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "reply", no_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		CLI_LONGOPTS_COMMON,
		{ NULL, 0, NULL, 0 }
	};
	struct vaddr v, src;
	struct addr_found f;
	struct timespec next;
	struct json j;
	const char *dev, *errstr, *kind;
	char abuf[ADDR_STRLEN], sbuf[ADDR_STRLEN], mbuf[18];
	struct garp_iface gi;
	struct in6_addr src6;
	uint8_t frame[GARP_NA_LEN];
	long long count = 3, interval_ms = 200, i;
	size_t flen;
	struct cli_common co = { 0, 0 };
	int ch, reply = 0, force = 0, fd;

	cli_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "c:i:rf" CLI_OPTS_COMMON, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			count = cli_int("--count", optarg, 1, 1000);
			break;
		case 'i':
			interval_ms = cli_fixed("--interval", optarg, 3, 0,
			    60000);
			break;
		case 'r':
			reply = 1;
			break;
		case 'f':
			force = 1;
			break;
		default:
			cli_common_opt(ch, usage, &co);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3 || strcmp(argv[1], "dev") != 0)
		cli_usage_error("expected ADDRESS dev IFACE");
	dev = argv[2];
	if (addr_parse(argv[0], 1, &v, &errstr) == -1)
		die(EXIT_USAGE, "%s: %s", argv[0], errstr);
	if (reply && v.family != AF_INET)
		cli_usage_error("--reply applies to IPv4 (ARP) only");
	addr_ntop(&v, abuf, sizeof(abuf));
	/* The interface's index, MAC and, for IPv6, link-local address. */
	if (garp_iface_get(dev, v.family == AF_INET6, &gi) == -1) {
		if (errno == ENODEV)
			die(EXIT_UNKNOWN, "%s: no such interface", dev);
		if (errno == ENOTSUP)
			die(EXIT_USAGE, "%s: not an Ethernet interface (ARP "
			    "hardware type %u)", dev, gi.hatype);
		die(EXIT_UNKNOWN, "%s: cannot read the MAC address: %s", dev,
		    strerror(errno));
	}

	/* Announcing an address we do not hold poisons the neighbours. */
	if (addr_nl_query(gi.ifindex, &v, &f) == -1)
		die(EXIT_UNKNOWN, "cannot look up %s on %s: %s", abuf, dev,
		    strerror(errno));
	if (!force && !f.present)
		die(EXIT_NO, "%s: not configured on %s (--force announces it "
		    "anyway)", abuf, dev);
	if (!force && (f.tentative || f.dadfailed))
		die(EXIT_NO, "%s: %s on %s (--force announces it anyway)",
		    abuf, f.dadfailed ? "failed duplicate address detection" :
		    "tentative", dev);

	if ((fd = garp_open(gi.ifindex)) == -1)
		die(EXIT_UNKNOWN, "%s: cannot open a packet socket: %s%s", dev,
		    strerror(errno), errno == EPERM ?
		    " (needs CAP_NET_RAW)" : "");
	/* IPv6: from the link-local address, as neighbour discovery does;
	 * from the address itself when the interface has none. */
	if ((flen = garp_frame(&gi, &v, reply, frame, sizeof(frame),
	    &src6)) == 0)
		die(EXIT_UNKNOWN, "%s: cannot build the frame: %s", abuf,
		    strerror(errno));
	if (v.family == AF_INET)
		kind = reply ? "arp-reply" : "arp-request";
	else {
		kind = "na";
		src = v;
		src.a.v6 = src6;
		addr_ntop(&src, sbuf, sizeof(sbuf));
	}

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (i = 0; i < count; i++) {
		if (i > 0) {
			next.tv_nsec += (interval_ms % 1000) * 1000000;
			next.tv_sec += interval_ms / 1000 +
			    next.tv_nsec / 1000000000;
			next.tv_nsec %= 1000000000;
			sleep_until(&next);
		}
		if (garp_send(fd, gi.ifindex, frame, flen) == -1)
			die(EXIT_UNKNOWN, "%s: cannot send on %s: %s", abuf, dev,
			    errno == ENETDOWN ? "interface is down" :
			    strerror(errno));
	}
	close(fd);

	if (co.quiet)
		return EXIT_YES;
	mac_str(gi.mac, mbuf, sizeof(mbuf));
	if (co.json) {
		json_init(&j);
		json_obj_begin(&j, NULL);
		json_str(&j, "address", abuf);
		json_str(&j, "dev", dev);
		json_str(&j, "type", kind);
		json_str(&j, "mac", mbuf);
		if (v.family == AF_INET6)
			json_str(&j, "source", sbuf);
		json_int(&j, "sent", count);
		json_fixed(&j, "interval", interval_ms, 3);
		json_bool(&j, "configured", f.present);
		json_obj_end(&j);
		printf("%s\n", json_text(&j));
		json_free(&j);
	} else if (v.family == AF_INET)
		printf("sent %lld gratuitous ARP %s%s for %s on %s (%s)\n",
		    count, reply ? "repl" : "request", count == 1 ? (reply ?
		    "y" : "") : (reply ? "ies" : "s"), abuf, dev, mbuf);
	else
		printf("sent %lld unsolicited neighbor advertisement%s for %s "
		    "on %s (%s) from %s\n", count, count == 1 ? "" : "s", abuf,
		    dev, mbuf, sbuf);
	return EXIT_YES;
}
