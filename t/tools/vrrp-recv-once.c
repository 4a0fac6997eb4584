/*
 * Test tool for lib/sock's receive side: open a receiving VRRP socket on an
 * interface, print one line per packet received (what vrrp_sock_recv()
 * learnt and what vrrp_rcv_decode() made of it), exit after -n packets
 * (0) or after -w milliseconds (1). With -x ADDR it first sends one v3
 * advert (vrid 99, priority 1) for ADDR from the same socket, to show that
 * one socket both sends and receives.
 *
 * vrrp-recv-once -4|-6 -i IF [-n COUNT] [-w MS] [-a PASS] [-x ADDR]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "sock.h"
#include "vrrp.h"

static void
print_pkt(const struct vrrp_rcv *r, const struct vrrp_pkt *p,
    enum vrrp_verdict v)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN];
	int i;

	inet_ntop(r->family, &r->src, s, sizeof(s));
	inet_ntop(r->family, &r->dst, d, sizeof(d));
	printf("src=%s dst=%s ttl=%d ifindex=%u len=%zu verdict=%s version=%d "
	    "vrid=%d priority=%d interval_cs=%d checksum=%s addrs=",
	    s, d, r->ttl, r->ifindex, r->msglen, vrrp_verdict_name(v),
	    p->version, p->vrid, p->priority, p->interval_cs,
	    vrrp_cksum_name(p->cksum));
	for (i = 0; i < p->naddrs_present; i++) {
		inet_ntop(r->family, r->family == AF_INET ?
		    (const void *)&p->addrs.v4[i] :
		    (const void *)&p->addrs.v6[i], a, sizeof(a));
		printf("%s%s", i ? "," : "", a);
	}
	printf("\n");
	fflush(stdout);
}

int
main(int argc, char *argv[])
{
	static struct vrrp_pkt pkt;
	uint8_t buf[VRRP_SOCK_BUFLEN];
	struct vrrp_expect exp;
	struct vrrp_sock s;
	struct vrrp_rcv r;
	union vrrp_ip grp;
	struct pollfd pfd;
	const char *ifname = NULL, *xaddr = NULL;
	long long deadline, left;
	int family = 0, count = 1, wait_ms = 5000, got = 0, ch, n;
	char why[256];

	cli_init(argv[0]);
	memset(&exp, 0, sizeof(exp));
	while ((ch = getopt(argc, argv, "46i:n:w:a:x:")) != -1) {
		switch (ch) {
		case '4':
			family = AF_INET;
			break;
		case '6':
			family = AF_INET6;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'n':
			count = (int)cli_int("-n", optarg, 1, 1000);
			break;
		case 'w':
			wait_ms = (int)cli_int("-w", optarg, 0, 600000);
			break;
		case 'a':
			exp.auth_pass = optarg;
			break;
		case 'x':
			xaddr = optarg;
			break;
		default:
			fprintf(stderr, "usage: vrrp-recv-once -4|-6 -i IF "
			    "[-n COUNT] [-w MS] [-a PASS] [-x ADDR]\n");
			return 2;
		}
	}
	if (family == 0 || ifname == NULL || count < 1 || wait_ms < 0) {
		fprintf(stderr, "vrrp-recv-once: need -4 or -6, -i IF\n");
		return 2;
	}
	if (vrrp_sock_open(&s, family, ifname, NULL,
	    VRRP_SOCK_RECV | VRRP_SOCK_NONBLOCK) == -1) {
		fprintf(stderr, "vrrp-recv-once: %s: %s\n", ifname,
		    vrrp_sock_error(&s, errno, why, sizeof(why)));
		return 3;
	}
	printf("listening on %s ifindex %u joined=%d\n", s.ifname, s.ifindex,
	    s.joined);
	fflush(stdout);
	if (xaddr != NULL) {
		pkt.family = family;
		pkt.version = 3;
		pkt.vrid = 99;
		pkt.priority = 1;
		pkt.interval_cs = 100;
		pkt.naddrs = 1;
		memcpy(&pkt.src, &s.src, sizeof(s.src));
		vrrp_sock_group(family, &grp);
		memcpy(&pkt.dst, &grp, sizeof(grp));
		if (inet_pton(family, xaddr, &pkt.addrs) != 1 ||
		    (n = vrrp_encode(&pkt, 0, buf, sizeof(buf))) < 0 ||
		    vrrp_sock_send(&s, buf, (size_t)n, NULL) == -1) {
			fprintf(stderr, "vrrp-recv-once: send: %s\n",
			    strerror(errno));
			return 3;
		}
	}
	deadline = mono_ms() + wait_ms;
	pfd.fd = s.fd;
	pfd.events = POLLIN;
	while (got < count && (left = deadline - mono_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if (vrrp_sock_recv(&s, buf, sizeof(buf), &r) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			fprintf(stderr, "vrrp-recv-once: recv: %s\n",
			    strerror(errno));
			return 3;
		}
		print_pkt(&r, &pkt, vrrp_rcv_decode(&r, &pkt, &exp));
		got++;
	}
	vrrp_sock_close(&s);
	return got == count ? 0 : 1;
}
