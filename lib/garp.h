/*
 * Gratuitous ARP (IPv4) and unsolicited Neighbor Advertisement (IPv6):
 * pure Ethernet frame builders, and sending over AF_PACKET.
 */
#ifndef VIPKIT_GARP_H
#define VIPKIT_GARP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define GARP_ARP_LEN	60	/* 14 + 28, padded to the Ethernet minimum */
#define GARP_NA_LEN	86	/* 14 + 40 (IPv6) + 24 (NA) + 8 (TLLA option) */

/*
 * A gratuitous ARP to ff:ff:ff:ff:ff:ff from mac: sender and target
 * protocol address = ip, sender hardware address = mac. A request
 * (reply 0) has a zero target hardware address (RFC 5227, "ignored");
 * a reply has target hardware address = mac (RFC 2002 4.6; Linux only
 * treats a reply as gratuitous when it does). Returns GARP_ARP_LEN, or 0
 * when len is too small. Pure.
 */
size_t	garp_build_arp(uint8_t *buf, size_t len, const uint8_t mac[6],
	    struct in_addr ip, int reply);

/*
 * An unsolicited Neighbor Advertisement (RFC 4861 7.2.6) from src and mac
 * to ff02::1 (33:33:00:00:00:01): hop limit 255, Override set, Router and
 * Solicited clear, target = target, a Target Link-Layer Address option
 * with mac, the ICMPv6 checksum over the pseudo-header. Returns
 * GARP_NA_LEN, or 0 when len is too small. Pure.
 */
size_t	garp_build_na(uint8_t *buf, size_t len, const uint8_t mac[6],
	    const struct in6_addr *src, const struct in6_addr *target);

/*
 * Open an AF_PACKET socket bound to ifindex that receives nothing.
 * Returns the fd and the interface's ARP hardware type in *hatype
 * (ARPHRD_ETHER = 1 for Ethernet), or -1 with errno set.
 */
int	garp_open(unsigned ifindex, unsigned short *hatype);
/*
 * An AF_PACKET socket bound to no interface that receives nothing, for a
 * daemon that announces on several interfaces: garp_send() names the
 * interface of each frame. The fd, or -1 with errno set (EPERM without
 * CAP_NET_RAW).
 */
int	garp_open_any(void);

/*
 * The announcement of v on interface ifname, as garp-send makes it: a
 * gratuitous ARP (request, or reply) from the interface's MAC for IPv4;
 * for IPv6 an unsolicited NA from the interface's link-local address (the
 * address itself when it has none). Returns the frame length, or 0 with
 * errno set (the interface's MAC cannot be read; ENOTSUP: not an Ethernet
 * interface; EAFNOSUPPORT). When from is not NULL it receives the MAC and,
 * for IPv6, the NA's source address.
 */
struct vaddr;
struct garp_from {
	uint8_t		mac[6];
	struct in6_addr	src6;
};
size_t	garp_build_for(const char *ifname, const struct vaddr *v, int reply,
	    uint8_t *buf, size_t len, struct garp_from *from);

/* Send one frame on fd (from garp_open). 0, or -1 with errno set. */
int	garp_send(int fd, unsigned ifindex, const uint8_t *frame, size_t len);

#endif
