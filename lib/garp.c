/*
 * Gratuitous ARP and unsolicited NA frames (pure builders), and the
 * AF_PACKET socket that sends them.
 */
#include <sys/socket.h>

#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <net/ethernet.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "garp.h"
#include "iface.h"
#include "vrrp.h"

static uint8_t *
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)(v & 0xff);
	return p + 2;
}

static uint8_t *
put(uint8_t *p, const void *src, size_t n)
{
	memcpy(p, src, n);
	return p + n;
}

size_t
garp_build_arp(uint8_t *buf, size_t len, const uint8_t mac[6],
    struct in_addr ip, int reply)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint8_t *p = buf;

	if (len < GARP_ARP_LEN)
		return 0;
	memset(buf, 0, GARP_ARP_LEN);
	/* Ethernet */
	p = put(p, bcast, 6);
	p = put(p, mac, 6);
	p = put16(p, ETHERTYPE_ARP);
	/* ARP: Ethernet/IPv4, 6/4 address lengths */
	p = put16(p, 1);
	p = put16(p, ETHERTYPE_IP);
	*p++ = 6;
	*p++ = 4;
	p = put16(p, reply ? 2 : 1);
	p = put(p, mac, 6);
	p = put(p, &ip, 4);
	p = put(p, reply ? mac : zero, 6);
	put(p, &ip, 4);
	return GARP_ARP_LEN;
}

size_t
garp_build_na(uint8_t *buf, size_t len, const uint8_t mac[6],
    const struct in6_addr *src, const struct in6_addr *target)
{
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const uint8_t allnodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t pseudo[40 + 32], *p = buf, *icmp;
	uint16_t ck;

	if (len < GARP_NA_LEN)
		return 0;
	memset(buf, 0, GARP_NA_LEN);
	/* Ethernet */
	p = put(p, allnodes_mac, 6);
	p = put(p, mac, 6);
	p = put16(p, ETHERTYPE_IPV6);
	/* IPv6: version 6, no traffic class or flow label */
	*p = 0x60;
	p += 4;
	p = put16(p, 32);		/* payload: NA 24 + option 8 */
	*p++ = IPPROTO_ICMPV6;
	*p++ = 255;			/* hop limit */
	p = put(p, src, 16);
	p = put(p, allnodes, 16);
	/* ICMPv6 Neighbor Advertisement */
	icmp = p;
	*p++ = 136;			/* type */
	*p++ = 0;			/* code */
	p += 2;				/* checksum, below */
	*p = 0x20;			/* R=0 S=0 O=1 */
	p += 4;
	p = put(p, target, 16);
	*p++ = 2;			/* Target Link-Layer Address */
	*p++ = 1;			/* length in units of 8 bytes */
	put(p, mac, 6);
	/* Checksum over the pseudo-header (src, dst, length, next header). */
	memset(pseudo, 0, sizeof(pseudo));
	memcpy(pseudo, src, 16);
	memcpy(pseudo + 16, allnodes, 16);
	pseudo[35] = 32;
	pseudo[39] = IPPROTO_ICMPV6;
	memcpy(pseudo + 40, icmp, 32);
	ck = vrrp_inet_cksum(pseudo, sizeof(pseudo), 0);
	put16(icmp + 2, ck);
	return GARP_NA_LEN;
}

int
garp_open(unsigned ifindex)
{
	struct sockaddr_ll sll;
	int fd, saved;

	/* Protocol 0: this socket sends only and never queues a frame. */
	if ((fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
garp_open_any(void)
{
	return socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
}

int
garp_iface_get(const char *ifname, int want_ll6, struct garp_iface *gi)
{
	int type;

	memset(gi, 0, sizeof(*gi));
	if ((gi->ifindex = iface_index(ifname)) == 0)
		return -1;
	if ((type = iface_hwaddr(ifname, gi->mac)) == -1)
		return -1;
	gi->hatype = (unsigned short)type;
	if (type != ARPHRD_ETHER) {
		errno = ENOTSUP;
		return -1;
	}
	if (want_ll6)
		gi->has_ll6 = iface_linklocal_v6(ifname, &gi->ll6) == 0;
	return 0;
}

size_t
garp_frame(const struct garp_iface *gi, const struct vaddr *v, int reply,
    uint8_t *buf, size_t len, struct in6_addr *src6)
{
	const struct in6_addr *src;
	size_t n;

	if (v->family == AF_INET)
		n = garp_build_arp(buf, len, gi->mac, v->a.v4, reply);
	else if (v->family == AF_INET6) {
		src = gi->has_ll6 ? &gi->ll6 : &v->a.v6;
		if (src6 != NULL)
			*src6 = *src;
		n = garp_build_na(buf, len, gi->mac, src, &v->a.v6);
	} else {
		errno = EAFNOSUPPORT;
		return 0;
	}
	if (n == 0)
		errno = EMSGSIZE;
	return n;
}

int
garp_send(int fd, unsigned ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll;
	ssize_t n;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)ifindex;
	if (len >= 14)		/* the frame's EtherType, network order */
		memcpy(&sll.sll_protocol, frame + 12, 2);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, frame, 6);
	do
		n = sendto(fd, frame, len, 0, (struct sockaddr *)&sll,
		    sizeof(sll));
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}
