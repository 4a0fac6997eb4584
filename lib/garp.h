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
 * Returns the fd, or -1 with errno set (EPERM without CAP_NET_RAW).
 */
int	garp_open(unsigned ifindex);
/*
 * An AF_PACKET socket bound to no interface that receives nothing, for a
 * daemon that announces on several interfaces: garp_send() names the
 * interface of each frame. The fd, or -1 with errno set (EPERM without
 * CAP_NET_RAW).
 */
int	garp_open_any(void);

/*
 * What announcing on one interface needs, read once (garp_iface_get) and
 * then used for every address and every round (garp_frame).
 */
struct garp_iface {
	unsigned	ifindex;
	unsigned short	hatype;		/* ARP hardware type */
	uint8_t		mac[6];
	int		has_ll6;	/* ll6 is set */
	struct in6_addr	ll6;		/* the IPv6 link-local address */
};

/*
 * Read ifname's index, ARP hardware type and MAC (one ioctl) and, when
 * want_ll6, its IPv6 link-local address (getifaddrs; has_ll6 0 when it
 * has none). 0, or -1 with errno set: ENODEV no such interface, ENOTSUP
 * not an Ethernet interface (gi->hatype says what it is), others from
 * the kernel.
 */
int	garp_iface_get(const char *ifname, int want_ll6, struct garp_iface *gi);

/*
 * The announcement of v from gi, as garp-send makes it: a gratuitous ARP
 * (request, or reply) for IPv4; for IPv6 an unsolicited NA from the
 * link-local address (from v itself when gi has none; *src6, when not
 * NULL, says which). Returns the frame length, or 0 with errno set
 * (EMSGSIZE: len too small, EAFNOSUPPORT). Pure.
 */
struct vaddr;
size_t	garp_frame(const struct garp_iface *gi, const struct vaddr *v,
	    int reply, uint8_t *buf, size_t len, struct in6_addr *src6);

/* Send one frame on fd (from garp_open). 0, or -1 with errno set. */
int	garp_send(int fd, unsigned ifindex, const uint8_t *frame, size_t len);

#endif
