/*
 * vrrp-listen: capture VRRP on an interface or read it from a pcap file,
 * decode and validate every advertisement, and print one line per packet
 * or, with --watch, one line per change of master and on split brain.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"
#include "clock.h"
#include "json.h"
#include "log.h"
#include "vrrp.h"
#include "watch.h"

static const char usage_text[] =
"usage: vrrp-listen (-i IF | -r FILE.pcap) [-j] [-d VRID] [-c COUNT]\n"
"                   [-t SECONDS] [-a AUTH-PASS-FILE] [-w]\n"
"  -i, --interface IF      capture live on interface IF\n"
"  -r, --read FILE         read a pcap or pcapng file\n"
"  -j, --json              one JSON object per line\n"
"  -d, --vrid N            only virtual router N (1-255)\n"
"  -c, --count N           stop after N packets (exit 0)\n"
"  -t, --timeout SECONDS   give up after SECONDS (exit 1 unless done)\n"
"  -a, --auth-pass-file F  check v2 PASS authentication against F\n"
"  -w, --watch             print master changes and SPLIT-BRAIN only\n"
"  -h, --help              this text\n"
"  -V, --version           print the version\n"
"Exit: 0 done, 1 timed out (or file ended) before COUNT packets,\n"
"2 usage, 3 capture could not start.\n";

static const struct option longopts[] = {
	{ "interface",		required_argument,	NULL, 'i' },
	{ "read",		required_argument,	NULL, 'r' },
	CLI_LONGOPT_JSON,
	{ "vrid",		required_argument,	NULL, 'd' },
	{ "count",		required_argument,	NULL, 'c' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ "auth-pass-file",	required_argument,	NULL, 'a' },
	{ "watch",		no_argument,		NULL, 'w' },
	CLI_LONGOPT_HELP,
	CLI_LONGOPT_VERSION,
	{ NULL,			0,			NULL, 0 }
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Output is built in one buffer without allocation or printf per field:
 * the hot path on a large file is formatting, not decoding. A line is at
 * most 255 IPv6 addresses long (about 10 kB).
 */
static char out[1 << 17];
static size_t outlen;
#define OUT_HIGH	(sizeof(out) - (1 << 15))

static void
put(const char *s, size_t n)
{
	size_t room = sizeof(out) - outlen;

	if (n > room)
		n = room;
	memcpy(out + outlen, s, n);
	outlen += n;
}

/* Write the buffer out; returns -1 when stdout failed. */
static int
out_flush(void)
{
	if (outlen > 0 && fwrite(out, 1, outlen, stdout) != outlen) {
		outlen = 0;
		return -1;
	}
	outlen = 0;
	return fflush(stdout) == EOF ? -1 : 0;
}

/* A line is complete: write when the buffer fills up. */
static void
line_end(void)
{
	if (outlen < sizeof(out))
		out[outlen++] = '\n';
	if (outlen >= OUT_HIGH && fwrite(out, 1, outlen, stdout) != outlen)
		die(EXIT_UNKNOWN, "stdout: %s", strerror(errno));
	if (outlen >= OUT_HIGH)
		outlen = 0;
}

static void
puts_(const char *s)
{
	put(s, strlen(s));
}

static void
putc_(char c)
{
	put(&c, 1);
}

static void
putu(unsigned long v)
{
	char b[24];
	int i = sizeof(b);

	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(b + i, sizeof(b) - (size_t)i);
}

/* Fixed width zero padded. */
static void
putu0(unsigned long v, int width)
{
	char b[24];
	int i;

	for (i = width - 1; i >= 0; i--) {
		b[i] = (char)('0' + v % 10);
		v /= 10;
	}
	put(b, (size_t)width);
}

/*
 * IPv6 text as inet_ntop() writes it (RFC 5952: lower case, the first
 * longest run of two or more zero groups as "::"), without its sprintf
 * per group. Embedded IPv4 forms (::a.b.c.d, ::ffff:a.b.c.d) are left to
 * inet_ntop().
 */
static size_t
fmt_ip6(const uint8_t *p, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int i, best = -1, bestlen = 0, run = -1, shift;
	char *s = buf;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned)p[2 * i] << 8 | p[2 * i + 1];
	if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 &&
	    (w[5] == 0xffff || (w[5] == 0 && (w[6] != 0 || w[7] > 1)))) {
		if (inet_ntop(AF_INET6, p, buf, (socklen_t)len) == NULL)
			buf[0] = '\0';
		return strlen(buf);
	}
	for (i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (run == -1)
				run = i;
		} else if (run != -1) {
			if (i - run > bestlen) {
				best = run;
				bestlen = i - run;
			}
			run = -1;
		}
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			*s++ = ':';
			if (i + bestlen == 8)
				*s++ = ':';
			i += bestlen - 1;
			continue;
		}
		if (i > 0)
			*s++ = ':';
		for (shift = 12; shift > 0 && (w[i] >> shift) == 0; shift -= 4)
			;
		for (; shift >= 0; shift -= 4)
			*s++ = hex[w[i] >> shift & 0xf];
	}
	*s = '\0';
	return (size_t)(s - buf);
}

/* Text of an IPv4 or IPv6 address into buf, returns its length. */
static size_t
fmt_addr(int family, const void *a, char *buf, size_t len)
{
	const uint8_t *p = a;
	char *s = buf;
	int i, v;

	if (family == AF_INET6)
		return fmt_ip6(p, buf, len);
	for (i = 0; i < 4; i++) {
		v = p[i];
		if (v >= 100)
			*s++ = (char)('0' + v / 100);
		if (v >= 10)
			*s++ = (char)('0' + v / 10 % 10);
		*s++ = (char)('0' + v % 10);
		if (i < 3)
			*s++ = '.';
	}
	*s = '\0';
	return (size_t)(s - buf);
}

/*
 * Captures repeat a few addresses over and over: keep the text of recent
 * ones in a small direct-mapped cache.
 */
static void
putaddr(int family, const void *a)
{
	static struct {
		int	family;
		uint8_t	addr[16];
		char	text[INET6_ADDRSTRLEN];
		size_t	len;
	} cache[64];
	const uint8_t *p = a;
	size_t alen = family == AF_INET6 ? 16 : 4;
	unsigned k;

	k = (unsigned)(p[alen - 1] ^ p[alen - 2] << 1 ^ p[alen - 3] << 2) % 64;
	if (cache[k].family != family || memcmp(cache[k].addr, p, alen) != 0) {
		cache[k].family = family;
		memcpy(cache[k].addr, p, alen);
		cache[k].len = fmt_addr(family, p, cache[k].text,
		    sizeof(cache[k].text));
	}
	put(cache[k].text, cache[k].len);
}

/*
 * "2024-05-01T12:00:00.123456Z" into buf (at least 32 bytes), returns its
 * length. The date is cached per day, the rest is arithmetic: gmtime and
 * strftime per packet would cost more than the decoding.
 */
static size_t
fmt_time(const struct timeval *tv, char *buf)
{
	static char date[16];
	static long long cached = -1;
	long long day, sod;
	time_t t;
	struct tm tm;
	long us;
	char *p;
	int i;

	day = (long long)tv->tv_sec / 86400;
	sod = (long long)tv->tv_sec % 86400;
	if (sod < 0) {
		sod += 86400;
		day--;
	}
	if (day != cached) {
		cached = day;
		t = (time_t)(day * 86400);
		if (gmtime_r(&t, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		if (strftime(date, sizeof(date), "%Y-%m-%dT", &tm) != 11)
			memcpy(date, "0000-00-00T", 12);
	}
	memcpy(buf, date, 11);
	p = buf + 11;
	p[0] = (char)('0' + sod / 36000);
	p[1] = (char)('0' + sod / 3600 % 10);
	p[2] = ':';
	p[3] = (char)('0' + sod % 3600 / 600);
	p[4] = (char)('0' + sod % 3600 / 60 % 10);
	p[5] = ':';
	p[6] = (char)('0' + sod % 60 / 10);
	p[7] = (char)('0' + sod % 10);
	p[8] = '.';
	us = (long)tv->tv_usec;
	for (i = 14; i >= 9; i--) {
		p[i] = (char)('0' + us % 10);
		us /= 10;
	}
	p[15] = 'Z';
	p[16] = '\0';
	return 27;
}

static void
put_time(const struct timeval *tv)
{
	char b[40];

	put(b, fmt_time(tv, b));
}

static const void *
addr_at(const struct vrrp_pkt *pkt, int i)
{
	return pkt->family == AF_INET6 ? (const void *)&pkt->addrs.v6[i] :
	    (const void *)&pkt->addrs.v4[i];
}

/* Show the checksum variant: v3 over IPv4 can match two. */
static const char *
cksum_label(const struct vrrp_pkt *pkt, enum vrrp_verdict v)
{
	if (pkt->cksum != VRRP_CK_BAD)
		return vrrp_cksum_name(pkt->cksum);
	if (v == VRRP_BAD_CHECKSUM)
		return vrrp_cksum_name(VRRP_CK_BAD);
	return NULL;		/* not checked: the packet failed earlier */
}

static void
print_text(const struct timeval *ts, const struct vrrp_pkt *pkt,
    enum vrrp_verdict v)
{
	int i;

	put_time(ts);
	putc_(' ');
	putaddr(pkt->family, &pkt->src);
	puts_(" ttl ");
	putu(pkt->ttl);
	puts_(" v");
	putu(pkt->version);
	puts_(" vrid ");
	putu(pkt->vrid);
	puts_(" prio ");
	putu(pkt->priority);
	puts_(" int ");
	putu(pkt->interval_cs / 100);
	putc_('.');
	putu0(pkt->interval_cs % 100, 2);
	puts_("s addrs ");
	for (i = 0; i < pkt->naddrs_present; i++) {
		if (i > 0)
			putc_(',');
		putaddr(pkt->family, addr_at(pkt, i));
	}
	if (pkt->naddrs_present == 0)
		putc_('-');
	if (pkt->version == 3 && pkt->family == AF_INET &&
	    pkt->cksum != VRRP_CK_BAD) {
		puts_(" cksum ");
		puts_(vrrp_cksum_name(pkt->cksum));
	}
	putc_(' ');
	puts_(vrrp_verdict_name(v));
	line_end();
}

static void
print_json(struct json *j, const struct timeval *ts,
    const struct vrrp_pkt *pkt, enum vrrp_verdict v)
{
	char a[INET6_ADDRSTRLEN], t[40];
	int i;

	json_reset(j);
	json_obj_begin(j, NULL);
	fmt_time(ts, t);
	json_str(j, "time", t);
	json_str(j, "family", pkt->family == AF_INET6 ? "ipv6" : "ipv4");
	fmt_addr(pkt->family, &pkt->src, a, sizeof(a));
	json_str(j, "src", a);
	fmt_addr(pkt->family, &pkt->dst, a, sizeof(a));
	json_str(j, "dst", a);
	json_int(j, "ttl", pkt->ttl);
	json_int(j, "version", pkt->version);
	json_int(j, "type", pkt->type);
	json_int(j, "vrid", pkt->vrid);
	json_int(j, "priority", pkt->priority);
	json_int(j, "interval_cs", pkt->interval_cs);
	json_int(j, "count", pkt->naddrs);
	json_arr_begin(j, "addresses");
	for (i = 0; i < pkt->naddrs_present; i++) {
		fmt_addr(pkt->family, addr_at(pkt, i), a, sizeof(a));
		json_str(j, NULL, a);
	}
	json_arr_end(j);
	if (pkt->version == 2)
		json_int(j, "auth_type", pkt->auth_type);
	json_str(j, "checksum", cksum_label(pkt, v));
	json_str(j, "verdict", vrrp_verdict_name(v));
	json_obj_end(j);
	puts_(json_text(j));
	line_end();
}

static const char *
fam(int family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}

static void
print_event_text(const struct timeval *ts, const struct watch_event *e)
{
	put_time(ts);
	puts_(" vrid ");
	putu(e->vrid);
	putc_(' ');
	puts_(fam(e->family));
	puts_(": ");
	switch (e->kind) {
	case WATCH_NEW_MASTER:
		puts_("new master ");
		putaddr(e->family, &e->cur.addr);
		puts_(" priority ");
		putu(e->cur.priority);
		break;
	case WATCH_TAKEOVER:
		puts_("takeover: master ");
		putaddr(e->family, &e->cur.addr);
		puts_(" priority ");
		putu(e->cur.priority);
		puts_(", was ");
		putaddr(e->family, &e->old.addr);
		puts_(" priority ");
		putu(e->old.priority);
		break;
	case WATCH_LEFT:
		putaddr(e->family, &e->cur.addr);
		puts_(" left (priority 0)");
		break;
	case WATCH_SPLIT_BRAIN:
		puts_("SPLIT-BRAIN ");
		putaddr(e->family, &e->cur.addr);
		puts_(" priority ");
		putu(e->cur.priority);
		puts_(" and ");
		putaddr(e->family, &e->old.addr);
		puts_(" priority ");
		putu(e->old.priority);
		puts_(" both advertise");
		break;
	}
	line_end();
}

static void
print_event_json(struct json *j, const struct timeval *ts,
    const struct watch_event *e)
{
	char a[INET6_ADDRSTRLEN], t[40];

	json_reset(j);
	json_obj_begin(j, NULL);
	fmt_time(ts, t);
	json_str(j, "time", t);
	json_str(j, "event", watch_kind_name(e->kind));
	json_str(j, "family", fam(e->family));
	json_int(j, "vrid", e->vrid);
	fmt_addr(e->family, &e->cur.addr, a, sizeof(a));
	json_str(j, "src", a);
	json_int(j, "priority", e->cur.priority);
	json_int(j, "interval_cs", e->cur.interval_cs);
	if (e->has_old) {
		fmt_addr(e->family, &e->old.addr, a, sizeof(a));
		json_str(j, e->kind == WATCH_SPLIT_BRAIN ? "other_src" :
		    "old_src", a);
		json_int(j, e->kind == WATCH_SPLIT_BRAIN ? "other_priority" :
		    "old_priority", e->old.priority);
	}
	json_obj_end(j);
	puts_(json_text(j));
	line_end();
}

int
main(int argc, char **argv)
{
	static struct vrrp_pkt pkt;
	static struct watch watch;
	struct watch_event ev[WATCH_MAX_EVENTS];
	struct capture cap;
	struct capture_frame fr;
	struct vrrp_expect exp;
	struct sigaction sa;
	struct pollfd pfd;
	struct json j;
	enum vrrp_verdict v;
	const char *ifname = NULL, *path = NULL, *passfile = NULL;
	char err[512], pass[256];
	long long vrid = 0, count = 0, timeout_cs = -1, deadline = 0, left;
	long long seen = 0, polls = 0;
	struct cli_common co = { 0, 0 };
	int c, watching = 0, timed_out = 0, rc, i, n, wait_ms;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "i:r:d:c:t:a:wjhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'r':
			path = optarg;
			break;
		case 'd':
			vrid = cli_int("--vrid", optarg, 1, 255);
			break;
		case 'c':
			count = cli_int("--count", optarg, 1, 1LL << 62);
			break;
		case 't':
			timeout_cs = cli_fixed("--timeout", optarg, 2, 1,
			    100LL * 86400 * 365);
			break;
		case 'a':
			passfile = optarg;
			break;
		case 'w':
			watching = 1;
			break;
		default:
			cli_common_opt(c, usage_text, &co);
		}
	}
	if (optind < argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
	if ((ifname == NULL) == (path == NULL))
		cli_usage_error("give exactly one of --interface and --read");

	memset(&exp, 0, sizeof(exp));
	exp.ttl_known = 1;
	if (passfile != NULL) {
		if (cli_read_secret(passfile, pass, sizeof(pass)) == -1)
			cli_usage_error("--auth-pass-file: %s: cannot read: %s",
			    passfile, strerror(errno));
		if (pass[0] == '\0')
			cli_usage_error("--auth-pass-file: %s: the first line "
			    "is empty", passfile);
		if (strlen(pass) > VRRP_AUTH_LEN)
			log_warn("%s: a VRRP password has at most %d "
			    "characters; comparing the first %d", passfile,
			    VRRP_AUTH_LEN, VRRP_AUTH_LEN);
		exp.auth_pass = pass;
	}

	if (ifname != NULL)
		rc = capture_open_live(&cap, ifname, err, sizeof(err));
	else
		rc = capture_open_file(&cap, path, err, sizeof(err));
	if (rc == -1)
		die(EXIT_UNKNOWN, "%s", err);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/* A file is read at full speed; a live capture shows each line. */
	if (ifname == NULL)
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	json_init(&j);
	watch_init(&watch);
	if (timeout_cs >= 0)
		deadline = mono_ms() + timeout_cs * 10;

	while (!stop) {
		rc = capture_next(&cap, &fr, err, sizeof(err));
		if (rc == 1) {
			/* The clock costs little, but not per packet. */
			if (timeout_cs >= 0 && ++polls % 1024 == 0 &&
			    mono_ms() >= deadline) {
				timed_out = 1;
				break;
			}
			v = capture_decode_frame(cap.dlt, fr.data, fr.caplen,
			    &pkt, &exp);
			if (v == VRRP_NOT_VRRP)
				continue;
			if (vrid != 0 && pkt.vrid != vrid)
				continue;
			seen++;
			if (watching) {
				if (v != VRRP_OK)
					goto counted;
				n = watch_feed(&watch, &pkt,
				    (int64_t)fr.ts.tv_sec * 1000 +
				    fr.ts.tv_usec / 1000, ev);
				for (i = 0; i < n; i++) {
					if (co.json)
						print_event_json(&j, &fr.ts,
						    &ev[i]);
					else
						print_event_text(&fr.ts,
						    &ev[i]);
				}
			} else if (co.json)
				print_json(&j, &fr.ts, &pkt, v);
			else
				print_text(&fr.ts, &pkt, v);
 counted:
			if (count > 0 && seen >= count)
				break;
			continue;
		}
		if (rc == -1)
			break;
		if (rc == -2) {
			out_flush();
			die(EXIT_UNKNOWN, "%s", err);
		}
		/* Live and nothing ready: show what we have, then wait. */
		if (out_flush() == -1)
			die(EXIT_UNKNOWN, "stdout: %s", strerror(errno));
		wait_ms = -1;
		if (timeout_cs >= 0) {
			left = deadline - mono_ms();
			if (left <= 0) {
				timed_out = 1;
				break;
			}
			wait_ms = left > 1000 ? 1000 : (int)left;
		}
		pfd.fd = cap.fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, wait_ms) == -1 && errno != EINTR) {
			out_flush();
			die(EXIT_UNKNOWN, "%s: poll: %s", cap.name,
			    strerror(errno));
		}
	}
	if (out_flush() == -1 || ferror(stdout))
		die(EXIT_UNKNOWN, "stdout: %s", strerror(errno));
	if (capture_dropped(&cap) > 0)
		log_warn("%s: the kernel dropped %lu packets", cap.name,
		    capture_dropped(&cap));
	capture_close(&cap);
	json_free(&j);

	/* Done when COUNT packets came; without --count, unless a timeout
	 * passed before any packet. */
	if (count > 0)
		return seen >= count ? EXIT_YES : EXIT_NO;
	return timed_out && seen == 0 ? EXIT_NO : EXIT_YES;
}
