/*
 * Addresses: parsing and printing of IPv4/IPv6 addresses with an optional
 * prefix length (pure), and adding, removing and finding an address on an
 * interface through libnl-route-3 (lib/netlink.c).
 */
#ifndef VIPKIT_ADDR_H
#define VIPKIT_ADDR_H

#include <netinet/in.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

/* "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128" plus NUL */
#define ADDR_STRLEN	(INET6_ADDRSTRLEN + 4)

struct vaddr {
	int		family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
		uint8_t		b[16];
	} a;
	int		prefixlen;	/* 1..32 or 1..128 */
	int		prefix_given;	/* 0: defaulted to the host prefix */
};

/*
 * Parse "ADDRESS" or "ADDRESS/PREFIX". Without a prefix the host prefix
 * is used (/32, /128), as ip(8) and keepalived do. Rejects the
 * unspecified address, multicast, 255.255.255.255, zones ("%eth0"),
 * prefix 0, and anything that is not a whole dotted quad or RFC 4291
 * text. With allow_prefix 0, a "/PREFIX" is an error.
 * Returns 0, or -1 and *errstr ("not an address", "prefix length must
 * be 1 to 32", "a zone index (%IFACE) is not accepted; ...", ...). Pure.
 */
int	addr_parse(const char *s, int allow_prefix, struct vaddr *out,
	    const char **errstr);

/* "192.0.2.1" (no prefix) into buf of at least ADDR_STRLEN. Pure. */
const char *addr_ntop(const struct vaddr *, char *buf, size_t len);
/* "192.0.2.1/24" into buf of at least ADDR_STRLEN. Pure. */
const char *addr_format(const struct vaddr *, char *buf, size_t len);
/* 1 when family and address bytes are equal (prefix ignored). Pure. */
int	addr_same(const struct vaddr *, const struct vaddr *);

/*
 * An IPv4 label must be the interface name or "IFNAME:SUFFIX", at most
 * IFNAMSIZ - 1 bytes, printable, no blanks (the convention ip(8) enforces
 * and ifconfig aliases rely on). Returns 0, or -1 and *errstr. Pure.
 */
int	addr_label_check(const char *label, const char *ifname,
	    const char **errstr);

/* What is on the interface for an address (prefix ignored). */
struct addr_found {
	int		present;	/* 0 or 1 */
	int		count;		/* copies (IPv4 allows one per prefix) */
	int		prefixlen;	/* of the first copy when present */
	int		tentative;	/* IPv6 DAD not finished (or failed) */
	int		dadfailed;
	int		primary;	/* IPv4: not flagged secondary */
	int		secondaries;	/* IPv4: secondaries of its subnet the
					   kernel drops with it when it is
					   primary (unless promote_secondaries) */
	char		label[IFNAMSIZ];	/* IPv4 only, "" otherwise */
	unsigned	elsewhere;	/* ifindex of another interface that
					   has the address too, 0 if none */
};

enum addr_action {
	ADDR_ADDED,		/* was absent, now present */
	ADDR_ALREADY_PRESENT,	/* was present (maybe with another prefix) */
	ADDR_REMOVED,		/* was present, now absent */
	ADDR_ABSENT		/* was absent */
};

/* "added", "already-present", "removed", "absent" */
const char *addr_action_name(enum addr_action);

/*
 * Netlink (libnl-route-3), for programs and for vrrpctl directly. Each
 * call opens and closes its own netlink socket. On failure they return
 * -1 with errno set (ENODEV: no such interface, EPERM: not allowed,
 * others: the kernel's answer); "before" (may be NULL) gets what was
 * there before the change.
 *
 * addr_nl_query: 0 and *found.
 * addr_nl_add: the action; an address present with any prefix length
 *   counts as present and is left alone (never added twice). IPv6 is
 *   added with IFA_F_NODAD, so it is usable at once. label may be NULL.
 * addr_nl_del: the action; removes every copy, whatever its prefix.
 */
int	addr_nl_query(unsigned ifindex, const struct vaddr *,
	    struct addr_found *found);
int	addr_nl_add(unsigned ifindex, const struct vaddr *, const char *label,
	    struct addr_found *before);
int	addr_nl_del(unsigned ifindex, const struct vaddr *,
	    struct addr_found *before);

#endif
