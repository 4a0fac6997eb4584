/*
 * vrrp-announce: send VRRP advertisements (v2/v3, IPv4/IPv6, any priority
 * including 0) as a router would, until --count or a signal.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "cli.h"
#include "json.h"
#include "log.h"
#include "sock.h"
#include "vrrp.h"

static const char usage[] =
"usage: vrrp-announce -i IF -r VRID [-p PRIO] [-t SECONDS] [-v 2|3]\n"
"           [-a FILE] [-c N] [-u PEER]... [-s ADDR] [--checksum-rfc9568]\n"
"           [-q] [-j] ADDRESS...\n"
"Send VRRP advertisements for ADDRESS... on interface IF.\n"
"  -i, --interface IF        send on IF (required)\n"
"  -r, --vrid N              virtual router id, 1..255 (required)\n"
"  -p, --priority P          priority 0..255 (default 100; 0 = master leaves)\n"
"  -t, --interval SECONDS    advertisement interval (default 1): v3 0.01..40.95,\n"
"                            v2 whole seconds 1..255\n"
"  -v, --version 2|3         VRRP version (default 3; 2 is IPv4 only)\n"
"  -a, --auth-pass-file F    v2 PASS authentication, first line of F (<= 8 bytes)\n"
"  -c, --count N             send N advertisements, then exit (default: until\n"
"                            SIGINT/SIGTERM)\n"
"  -u, --unicast PEER        send to PEER instead of the multicast group\n"
"                            (repeatable)\n"
"  -s, --source ADDR         send from ADDR (default: IF's primary IPv4 or\n"
"                            IPv6 link-local address)\n"
"      --checksum-rfc9568    v3 IPv4: checksum without the pseudo-header\n"
"  -q, --quiet               no human line per advertisement (--json stays)\n"
"  -j, --json                one JSON object per advertisement sent\n"
"  -h, --help                this help\n"
"  -V                        print the program version (so does a lone\n"
"                            --version)\n"
"Exit status: 0 done or stopped by a signal, 2 usage, 3 cannot send (no such\n"
"interface, no address to send from, socket error).\n";

enum { OPT_RFC9568 = 256 };

static const struct option longopts[] = {
	{ "interface",		required_argument,	NULL, 'i' },
	{ "vrid",		required_argument,	NULL, 'r' },
	{ "priority",		required_argument,	NULL, 'p' },
	{ "interval",		required_argument,	NULL, 't' },
	{ "version",		required_argument,	NULL, 'v' },
	{ "auth-pass-file",	required_argument,	NULL, 'a' },
	{ "count",		required_argument,	NULL, 'c' },
	{ "unicast",		required_argument,	NULL, 'u' },
	{ "source",		required_argument,	NULL, 's' },
	{ "checksum-rfc9568",	no_argument,		NULL, OPT_RFC9568 },
	CLI_LONGOPT_QUIET,
	CLI_LONGOPT_JSON,
	CLI_LONGOPT_HELP,	/* --version is the VRRP version here */
	{ NULL,			0,			NULL, 0 }
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *
family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* Parse s for option opt; all addresses must be of family *fam. */
static void
parse_addr(const char *opt, const char *s, int *fam, union vrrp_ip *out)
{
	struct vaddr v;
	const char *errstr;
	int f;

	if (addr_parse(s, 0, &v, &errstr) == -1)
		cli_usage_error("%s'%s': %s", opt, s, errstr);
	f = v.family;
	memset(out, 0, sizeof(*out));
	if (f == AF_INET)
		out->v4 = v.a.v4;
	else
		out->v6 = v.a.v6;
	if (*fam != 0 && f != *fam)
		cli_usage_error("%s'%s' is %s, but the virtual addresses are %s: "
		    "all addresses must be of one family", opt, s,
		    family_name(f), family_name(*fam));
	*fam = f;
}

static long long
interval_cs(const char *s, int version)
{
	const char *errstr;
	long long v;

	if (version == 3)
		return cli_fixed("--interval", s, 2, 1, VRRP_V3_MAX_INTERVAL);
	if (parse_int(s, 1, 255, &v, &errstr) == -1)
		cli_usage_error("--interval: '%s': VRRP version 2 needs whole "
		    "seconds from 1 to 255", s);
	return v * 100;
}

static void
read_pass(const char *path, struct vrrp_pkt *pkt)
{
	char buf[1024];
	size_t n;

	if (cli_read_secret(path, buf, sizeof(buf)) == -1)
		cli_usage_error("--auth-pass-file: %s: %s", path,
		    strerror(errno));
	n = strlen(buf);
	if (n == 0)
		cli_usage_error("--auth-pass-file: %s: the first line is empty",
		    path);
	if (n > VRRP_AUTH_LEN)
		cli_usage_error("--auth-pass-file: %s: the password is %zu%s "
		    "bytes, VRRP allows at most %d", path, n,
		    n >= sizeof(buf) - 1 ? " or more" : "", VRRP_AUTH_LEN);
	pkt->auth_type = VRRP_AUTH_PASS;
	memset(pkt->auth, 0, sizeof(pkt->auth));
	memcpy(pkt->auth, buf, n);
	explicit_bzero(buf, sizeof(buf));
}

static void
fmt_ip(int family, const void *a, char *buf, size_t len)
{
	if (inet_ntop(family, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

static void
report(const struct vrrp_sock *s, const struct vrrp_pkt *pkt,
    const union vrrp_ip *dst, int rfc9568, long long seq, int n, int json)
{
	struct json j;
	struct timespec now;
	char src[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN];
	const char *ck;
	int i;

	fmt_ip(pkt->family, &s->src, src, sizeof(src));
	fmt_ip(pkt->family, dst, d, sizeof(d));
	if (pkt->version == 2)
		ck = vrrp_cksum_name(VRRP_CK_V2);
	else if (pkt->family == AF_INET && rfc9568)
		ck = vrrp_cksum_name(VRRP_CK_RFC9568);
	else
		ck = vrrp_cksum_name(VRRP_CK_PSEUDO);
	if (!json) {
		printf("sent v%d vrid %d priority %d interval %d.%02ds %s -> %s "
		    "on %s:", pkt->version, pkt->vrid, pkt->priority,
		    pkt->interval_cs / 100, pkt->interval_cs % 100, src, d,
		    s->ifname);
		for (i = 0; i < pkt->naddrs; i++) {
			fmt_ip(pkt->family, pkt->family == AF_INET ?
			    (const void *)&pkt->addrs.v4[i] :
			    (const void *)&pkt->addrs.v6[i], a, sizeof(a));
			printf(" %s", a);
		}
		printf("\n");
		fflush(stdout);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	json_init(&j);
	json_obj_begin(&j, NULL);
	json_fixed(&j, "time", (long long)now.tv_sec * 1000 +
	    now.tv_nsec / 1000000, 3);
	json_int(&j, "seq", seq);
	json_str(&j, "interface", s->ifname);
	json_str(&j, "src", src);
	json_str(&j, "dst", d);
	json_int(&j, "ttl", VRRP_TTL);
	json_int(&j, "version", pkt->version);
	json_int(&j, "vrid", pkt->vrid);
	json_int(&j, "priority", pkt->priority);
	json_int(&j, "interval_cs", pkt->interval_cs);
	json_arr_begin(&j, "addresses");
	for (i = 0; i < pkt->naddrs; i++) {
		fmt_ip(pkt->family, pkt->family == AF_INET ?
		    (const void *)&pkt->addrs.v4[i] :
		    (const void *)&pkt->addrs.v6[i], a, sizeof(a));
		json_str(&j, NULL, a);
	}
	json_arr_end(&j);
	json_str(&j, "auth", pkt->version == 2 ?
	    (pkt->auth_type == VRRP_AUTH_PASS ? "pass" : "none") : NULL);
	json_str(&j, "checksum", ck);
	json_int(&j, "bytes", n);
	json_obj_end(&j);
	printf("%s\n", json_text(&j));
	fflush(stdout);
	json_free(&j);
}

static void
ts_add_cs(struct timespec *t, long long cs)
{
	t->tv_sec += cs / 100;
	t->tv_nsec += (cs % 100) * 10000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Sleep until the monotonic deadline, or until SIGINT/SIGTERM arrives. */
static void
wait_until(const struct timespec *deadline, const sigset_t *unblocked)
{
	struct timespec now, left;

	for (;;) {
		if (stop)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = deadline->tv_sec - now.tv_sec;
		left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0)
			return;
		/* Signals are blocked but here: no race with the check. */
		if (ppoll(NULL, 0, &left, unblocked) == 0)
			return;
	}
}

int
main(int argc, char *argv[])
{
	static struct vrrp_pkt pkt;
	static union vrrp_ip peers[VRRP_MAX_ADDRS];
	uint8_t buf[VRRP_MAX_LEN];
	char why[256];
	struct vrrp_sock s;
	struct sigaction sa;
	struct timespec next;
	sigset_t block, unblocked;
	union vrrp_ip src, addr, *dst;
	static const char *peerarg[VRRP_MAX_ADDRS];
	const char *ifname = NULL, *passfile = NULL, *intv = "1";
	const char *srcarg = NULL;
	long long count = 0, seq, version = 3, vrid = -1, prio = 100;
	struct cli_common co = { 0, 0 };
	int family = 0, npeers = 0, rfc9568 = 0, ch, i, n, ndst;

	cli_init(argv[0]);
	argv[0] = (char *)(uintptr_t)cli_progname;	/* getopt's messages */
	/* --version takes the VRRP version; alone it asks for ours. */
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		cli_version();
	while ((ch = getopt_long(argc, argv, "i:r:p:t:v:a:c:u:s:" CLI_OPTS_COMMON, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'i':
			ifname = optarg;
			break;
		case 'r':
			vrid = cli_int("--vrid", optarg, 1, 255);
			break;
		case 'p':
			prio = cli_int("--priority", optarg, 0, 255);
			break;
		case 't':
			intv = optarg;
			break;
		case 'v':
			version = cli_int("--version", optarg, 2, 3);
			break;
		case 'a':
			passfile = optarg;
			break;
		case 'c':
			count = cli_int("--count", optarg, 1, 1000000000LL);
			break;
		case 'u':
			if (npeers == VRRP_MAX_ADDRS)
				cli_usage_error("--unicast: at most %d peers",
				    VRRP_MAX_ADDRS);
			peerarg[npeers++] = optarg;
			break;
		case 's':
			srcarg = optarg;
			break;
		case OPT_RFC9568:
			rfc9568 = 1;
			break;
		default:
			cli_common_opt(ch, usage, &co);
		}
	}
	argc -= optind;
	argv += optind;

	if (ifname == NULL)
		cli_usage_error("--interface is required");
	if (vrid == -1)
		cli_usage_error("--vrid is required");
	if (argc == 0)
		cli_usage_error("no virtual address given");
	if (argc > VRRP_MAX_ADDRS)
		cli_usage_error("%d virtual addresses, at most %d fit in one "
		    "advertisement", argc, VRRP_MAX_ADDRS);
	memset(&pkt, 0, sizeof(pkt));
	for (i = 0; i < argc; i++) {
		parse_addr("", argv[i], &family, &addr);
		if (family == AF_INET)
			pkt.addrs.v4[i] = addr.v4;
		else
			pkt.addrs.v6[i] = addr.v6;
	}
	/* The virtual addresses decide the family; peers and source follow. */
	for (i = 0; i < npeers; i++)
		parse_addr("--unicast: ", peerarg[i], &family, &peers[i]);
	if (srcarg != NULL)
		parse_addr("--source: ", srcarg, &family, &src);
	if (version == 2 && family == AF_INET6)
		cli_usage_error("VRRP version 2 is IPv4 only (RFC 3768); use "
		    "--version 3 for IPv6 addresses");
	if (passfile != NULL && version != 2)
		cli_usage_error("--auth-pass-file: authentication exists only "
		    "in VRRP version 2 (RFC 5798 removed it)");
	if (rfc9568 && (version != 3 || family != AF_INET))
		cli_usage_error("--checksum-rfc9568 applies to VRRP version 3 "
		    "over IPv4 only");
	pkt.family = family;
	pkt.version = (uint8_t)version;
	pkt.type = VRRP_TYPE_ADVERT;
	pkt.vrid = (uint8_t)vrid;
	pkt.priority = (uint8_t)prio;
	pkt.interval_cs = (uint16_t)interval_cs(intv, (int)version);
	pkt.naddrs = argc;
	pkt.auth_type = VRRP_AUTH_NONE;
	if (passfile != NULL)
		read_pass(passfile, &pkt);

	if (vrrp_sock_open(&s, family, ifname, srcarg != NULL ? &src : NULL, 0) == -1)
		die(EXIT_UNKNOWN, "%s: %s", ifname,
		    vrrp_sock_error(&s, errno, why, sizeof(why)));
	if (family == AF_INET)
		pkt.src.v4 = s.src.v4;
	else
		pkt.src.v6 = s.src.v6;
	if (npeers == 0) {
		vrrp_sock_group(family, &peers[0]);
		ndst = 1;
	} else
		ndst = npeers;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (seq = 1; !stop; seq++) {
		for (i = 0; i < ndst; i++) {
			dst = &peers[i];
			if (family == AF_INET)
				pkt.dst.v4 = dst->v4;
			else
				pkt.dst.v6 = dst->v6;
			/* v3 checksums cover the destination: encode per peer. */
			if ((n = vrrp_encode(&pkt, rfc9568, buf, sizeof(buf))) < 0)
				die(EXIT_USAGE, "cannot encode this advertisement");
			if (vrrp_sock_send(&s, buf, (size_t)n, dst) == -1) {
				fmt_ip(family, dst, why, sizeof(why));
				die(EXIT_UNKNOWN, "%s: send to %s: %s", ifname,
				    why, strerror(errno));
			}
			if (!co.quiet || co.json)
				report(&s, &pkt, dst, rfc9568, seq, n,
				    co.json);
		}
		if (count != 0 && seq >= count)
			break;
		ts_add_cs(&next, pkt.interval_cs);
		wait_until(&next, &unblocked);
	}
	vrrp_sock_close(&s);
	return EXIT_YES;
}
