/*
 * vrrp-forge: send VRRP advertisements that a receiver must drop, for the
 * receive-validation tests: a TTL / hop limit other than 255, a damaged
 * checksum, or (with the ordinary options) any version, VRID, priority,
 * interval and v2 password. The packets come from vrrp_encode() and
 * lib/sock, like vrrp-announce's; only the chosen field is spoiled.
 *
 *   vrrp-forge -i IF -r VRID [-4|-6] [-v 2|3] [-p PRIO] [-t CS] [-T TTL]
 *       [-b] [-9] [-a PASS] [-c COUNT] [-g MS] ADDRESS...
 *
 *   -t CS    the interval field in centiseconds (v2: a multiple of 100)
 *   -T TTL   IPv4 TTL / IPv6 hop limit (default 255)
 *   -b       damage the checksum (XOR 0x5a5a after encoding)
 *   -9       v3 IPv4: checksum without the pseudo-header (RFC 9568)
 *   -g MS    gap between packets (default 100)
 *
 * Exit 0 when every packet was sent, 2 on a usage error, 3 on a socket
 * error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sock.h"
#include "vrrp.h"

static void
usage(void)
{
	fprintf(stderr, "usage: vrrp-forge -i IF -r VRID [-4|-6] [-v 2|3] "
	    "[-p PRIO] [-t CS] [-T TTL] [-b] [-9] [-a PASS] [-c COUNT] "
	    "[-g MS] ADDRESS...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct vrrp_sock s;
	struct vrrp_pkt pkt;
	union vrrp_ip dst;
	uint8_t buf[VRRP_MAX_LEN];
	char why[256];
	const char *ifname = NULL, *pass = NULL;
	int ch, i, len, family = AF_INET, ttl = 255, bad = 0, rfc9568 = 0;
	int count = 1, gap_ms = 100, vrid = -1, version = 3, prio = 100;
	int interval = 100;

	cli_init(argv[0]);
	while ((ch = getopt(argc, argv, "46i:r:v:p:t:T:b9a:c:g:")) != -1) {
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
		case 'r':
			vrid = (int)cli_int("-r", optarg, 1, 255);
			break;
		case 'v':
			version = (int)cli_int("-v", optarg, 2, 3);
			break;
		case 'p':
			prio = (int)cli_int("-p", optarg, 0, 255);
			break;
		case 't':
			interval = (int)cli_int("-t", optarg, 1, 25500);
			break;
		case 'T':
			ttl = (int)cli_int("-T", optarg, 1, 255);
			break;
		case 'b':
			bad = 1;
			break;
		case '9':
			rfc9568 = 1;
			break;
		case 'a':
			pass = optarg;
			break;
		case 'c':
			count = (int)cli_int("-c", optarg, 1, 1000);
			break;
		case 'g':
			gap_ms = (int)cli_int("-g", optarg, 0, 10000);
			break;
		default:
			usage();
		}
	}
	if (ifname == NULL || vrid < 0 || optind == argc ||
	    argc - optind > 16 || (pass != NULL && strlen(pass) > 8))
		usage();

	memset(&pkt, 0, sizeof(pkt));
	pkt.family = family;
	pkt.version = version;
	pkt.type = VRRP_TYPE_ADVERT;
	pkt.vrid = vrid;
	pkt.priority = prio;
	pkt.interval_cs = interval;
	if (pass != NULL) {
		pkt.auth_type = VRRP_AUTH_PASS;
		memcpy(pkt.auth, pass, strlen(pass));
	}
	for (i = optind; i < argc; i++) {
		if (inet_pton(family, argv[i], family == AF_INET ?
		    (void *)&pkt.addrs.v4[pkt.naddrs] :
		    (void *)&pkt.addrs.v6[pkt.naddrs]) != 1) {
			fprintf(stderr, "vrrp-forge: %s: not an address\n",
			    argv[i]);
			return 2;
		}
		pkt.naddrs++;
	}

	if (vrrp_sock_open(&s, family, ifname, NULL, 0) == -1) {
		fprintf(stderr, "vrrp-forge: %s: %s\n", ifname,
		    vrrp_sock_error(&s, errno, why, sizeof(why)));
		return 3;
	}
	if ((family == AF_INET && (setsockopt(s.fd, IPPROTO_IP,
	    IP_MULTICAST_TTL, &ttl, sizeof(ttl)) == -1 || setsockopt(s.fd,
	    IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1)) ||
	    (family == AF_INET6 && (setsockopt(s.fd, IPPROTO_IPV6,
	    IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl)) == -1 ||
	    setsockopt(s.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
	    sizeof(ttl)) == -1))) {
		fprintf(stderr, "vrrp-forge: TTL %d: %s\n", ttl,
		    strerror(errno));
		return 3;
	}
	vrrp_sock_group(family, &dst);
	memcpy(&pkt.src, &s.src, sizeof(pkt.src));
	memcpy(&pkt.dst, &dst, sizeof(pkt.dst));
	len = vrrp_encode(&pkt, rfc9568, buf, sizeof(buf));
	if (len < 0) {
		fprintf(stderr, "vrrp-forge: cannot encode that packet\n");
		return 2;
	}
	if (bad) {
		buf[6] ^= 0x5a;
		buf[7] ^= 0x5a;
	}
	for (i = 0; i < count; i++) {
		if (i > 0 && gap_ms > 0)
			usleep(gap_ms * 1000);
		if (vrrp_sock_send(&s, buf, len, NULL) == -1) {
			fprintf(stderr, "vrrp-forge: send: %s\n",
			    strerror(errno));
			return 3;
		}
	}
	vrrp_sock_close(&s);
	return 0;
}
