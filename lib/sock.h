/*
 * VRRP socket I/O: raw IPPROTO_VRRP (112) sockets for IPv4 and IPv6, bound
 * to one interface, TTL / hop limit 255, multicast to 224.0.0.18 / ff02::12
 * or unicast to peers, and a receive side that hands back the VRRP message
 * with the IP source, destination and TTL for vrrp_decode_msg().
 *
 * The socket is never bind(2)ed to an address: on a raw socket a bound
 * address also filters what is received (only packets sent to that address
 * would arrive, not the multicast group). The source address goes with
 * every packet instead (IP_PKTINFO / IPV6_PKTINFO), so one socket both
 * sends and receives.
 *
 * The kernel computes no checksum for protocol 112: IPV6_CHECKSUM is set
 * to -1 explicitly, since lib/vrrp.c computes the v3 checksum itself.
 *
 * Functions return -1 with errno set on failure and print nothing;
 * vrrp_sock_error() words the reason for the caller's message.
 */
#ifndef VIPKIT_SOCK_H
#define VIPKIT_SOCK_H

#include <sys/types.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#include "vrrp.h"

union vrrp_ip {
	struct in_addr	v4;
	struct in6_addr	v6;
};

struct vrrp_sock {
	int		fd;
	int		family;		/* AF_INET or AF_INET6 */
	unsigned	ifindex;
	char		ifname[IF_NAMESIZE];
	union vrrp_ip	src;		/* the source of every packet sent */
	int		joined;		/* member of the VRRP multicast group */
	const char	*what;		/* on failure: the step that failed */
};

/* IP TOS / IPv6 traffic class: precedence "internetwork control" (CS6),
 * what routers (keepalived too) mark VRRP with. */
#define VRRP_SOCK_TOS		0xc0

/* vrrp_sock_open() flags */
#define VRRP_SOCK_RECV		0x1	/* join the group, ask for TTL/pktinfo */
#define VRRP_SOCK_NONBLOCK	0x2	/* O_NONBLOCK, for an event loop */

/*
 * Open a raw VRRP socket of family (AF_INET or AF_INET6) on ifname:
 * SO_BINDTODEVICE, TTL / hop limit 255 for unicast and multicast, TOS
 * CS6, multicast out of ifname with loopback off; with VRRP_SOCK_RECV
 * also joined to the group on ifname, with the TTL and destination of
 * each packet delivered.
 * src is a struct in_addr / in6_addr to send from, which must be an
 * address of ifname, or NULL for the default: the interface's primary
 * IPv4 address, or its IPv6 link-local address. errno ENODEV: no such
 * interface; EADDRNOTAVAIL: no address to send from (or src is not on
 * the interface); EPERM: not allowed to open a raw socket.
 * On failure s->what names the step and no descriptor is left open.
 */
int	vrrp_sock_open(struct vrrp_sock *s, int family, const char *ifname,
	    const void *src, int flags);
void	vrrp_sock_close(struct vrrp_sock *s);

/*
 * The reason of the last failure of vrrp_sock_open() (errno still as it
 * left it) as text for "PROG: IFNAME: reason", e.g. "no such interface",
 * "no IPv4 address to send from", "setsockopt IP_MULTICAST_IF: ...".
 */
const char *vrrp_sock_error(const struct vrrp_sock *s, int err, char *buf,
	    size_t len);

/* The VRRP multicast group of family: 224.0.0.18 or ff02::12. */
void	vrrp_sock_group(int family, union vrrp_ip *out);

/*
 * Send one encoded VRRP message (no IP header) to dst, or to the
 * multicast group when dst is NULL, from s->src with TTL 255.
 * Returns the bytes sent or -1 with errno.
 */
ssize_t	vrrp_sock_send(struct vrrp_sock *s, const uint8_t *msg, size_t len,
	    const union vrrp_ip *dst);

/* What vrrp_sock_recv() learnt about one received packet. */
struct vrrp_rcv {
	int		 family;
	union vrrp_ip	 src, dst;
	int		 ttl;		/* TTL / hop limit; -1 when unknown */
	unsigned	 ifindex;	/* 0 when unknown */
	int		 truncated;	/* the datagram was larger than buf */
	const uint8_t	*msg;		/* the VRRP message inside buf */
	size_t		 msglen;
};

/* A receive buffer large enough for any VRRP packet with its IP header. */
#define VRRP_SOCK_BUFLEN	(60 + VRRP_MAX_LEN)

/*
 * Receive one packet into buf. IPv4 raw sockets deliver the IP header:
 * it is parsed for src, dst and TTL and msg points past it; IPv6 raw
 * sockets deliver the message only, and the addresses and hop limit come
 * from IPV6_PKTINFO / IPV6_HOPLIMIT. Returns the bytes received, or -1
 * with errno (EAGAIN on a non-blocking socket with nothing to read,
 * EBADMSG for an IPv4 packet without a whole IP header).
 */
ssize_t	vrrp_sock_recv(struct vrrp_sock *s, uint8_t *buf, size_t len,
	    struct vrrp_rcv *rcv);

/*
 * Decode a received message: sets family, src, dst and ttl in *pkt from
 * rcv and runs vrrp_decode_msg() (the TTL check only when it is known).
 * A datagram that did not fit the buffer (rcv->truncated) is
 * VRRP_TRUNCATED, whatever its first bytes decode as.
 */
enum vrrp_verdict vrrp_rcv_decode(const struct vrrp_rcv *rcv,
	    struct vrrp_pkt *pkt, const struct vrrp_expect *exp);

#endif
