/*
 * Interface facts read from the kernel (getifaddrs/ioctl): index, MAC,
 * primary IPv4 address, IPv6 link-local address. For address changes and
 * presence checks through netlink, see addr.h.
 */
#ifndef VIPKIT_IFACE_H
#define VIPKIT_IFACE_H

#include <netinet/in.h>
#include <stdint.h>

/* ifindex, or 0 with errno set (ENODEV: no such interface). */
unsigned	iface_index(const char *ifname);
/*
 * The ARP hardware type (ARPHRD_ETHER, ...) and, in mac, the first 6 bytes
 * of the hardware address (the MAC on Ethernet), from one ioctl; or -1
 * with errno set.
 */
int		iface_hwaddr(const char *ifname, uint8_t mac[6]);
/*
 * 0 and the first (primary) IPv4 address, whatever its label (eth0 or
 * eth0:NAME), or -1 (errno EADDRNOTAVAIL when none).
 */
int		iface_primary_v4(const char *ifname, struct in_addr *out);
/* 0 and the first link-local IPv6 address, or -1 (errno EADDRNOTAVAIL when none). */
int		iface_linklocal_v6(const char *ifname, struct in6_addr *out);
/* 1 when the interface is administratively and operationally up, 0 if not, -1 on error. */
int		iface_is_up(const char *ifname);

#endif
