#include <sys/socket.h>
#include <sys/uio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "iface.h"
#include "sock.h"

void
vrrp_sock_group(int family, union vrrp_ip *out)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET)
		inet_pton(AF_INET, VRRP_MCAST4, &out->v4);
	else
		inet_pton(AF_INET6, VRRP_MCAST6, &out->v6);
}

/*
 * 1 when addr is configured on interface ifindex, 0 when not, -1 on
 * error: asked through netlink (lib/addr), so an address with a label
 * (eth0:vip) counts as eth0's, as the kernel sees it.
 */
static int
addr_on_iface(unsigned ifindex, int family, const union vrrp_ip *addr)
{
	struct addr_found f;
	struct vaddr v;

	memset(&v, 0, sizeof(v));
	v.family = family;
	memcpy(v.a.b, addr, family == AF_INET ? 4 : 16);
	v.prefixlen = family == AF_INET ? 32 : 128;
	if (addr_nl_query(ifindex, &v, &f) == -1)
		return -1;
	return f.present;
}

static int
setopt(struct vrrp_sock *s, int level, int name, const void *val,
    socklen_t len, const char *what)
{
	if (setsockopt(s->fd, level, name, val, len) == -1) {
		s->what = what;
		return -1;
	}
	return 0;
}

static int
setup_v4(struct vrrp_sock *s, int flags)
{
	struct ip_mreqn mreq;
	union vrrp_ip grp;
	int ttl = VRRP_TTL, off = 0, on = 1, tos = VRRP_SOCK_TOS;

	if (setopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl),
	    "setsockopt IP_TTL") == -1 ||
	    setopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof(tos),
	    "setsockopt IP_TOS") == -1 ||
	    setopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl),
	    "setsockopt IP_MULTICAST_TTL") == -1 ||
	    setopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off),
	    "setsockopt IP_MULTICAST_LOOP") == -1)
		return -1;
	memset(&mreq, 0, sizeof(mreq));
	mreq.imr_address = s->src.v4;
	mreq.imr_ifindex = (int)s->ifindex;
	if (setopt(s, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq),
	    "setsockopt IP_MULTICAST_IF") == -1)
		return -1;
	if (!(flags & VRRP_SOCK_RECV))
		return 0;
	/* The TTL and destination come with the IP header; the index here. */
	if (setopt(s, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on),
	    "setsockopt IP_PKTINFO") == -1)
		return -1;
	vrrp_sock_group(AF_INET, &grp);
	mreq.imr_multiaddr = grp.v4;
	memset(&mreq.imr_address, 0, sizeof(mreq.imr_address));
	if (setopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq),
	    "join 224.0.0.18") == -1)
		return -1;
	s->joined = 1;
	return 0;
}

static int
setup_v6(struct vrrp_sock *s, int flags)
{
	struct ipv6_mreq mreq;
	union vrrp_ip grp;
	int hops = VRRP_TTL, off = 0, on = 1, nocsum = -1, idx;
	int tclass = VRRP_SOCK_TOS;

	/*
	 * Linux computes and checks a raw IPv6 checksum only when
	 * IPV6_CHECKSUM is set (ICMPv6 aside); say "never" explicitly so
	 * the v3 checksum from lib/vrrp.c goes out as encoded.
	 */
	if (setopt(s, IPPROTO_IPV6, IPV6_CHECKSUM, &nocsum, sizeof(nocsum),
	    "setsockopt IPV6_CHECKSUM") == -1 ||
	    setopt(s, IPPROTO_IPV6, IPV6_TCLASS, &tclass, sizeof(tclass),
	    "setsockopt IPV6_TCLASS") == -1 ||
	    setopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops),
	    "setsockopt IPV6_UNICAST_HOPS") == -1 ||
	    setopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops),
	    "setsockopt IPV6_MULTICAST_HOPS") == -1 ||
	    setopt(s, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off),
	    "setsockopt IPV6_MULTICAST_LOOP") == -1)
		return -1;
	idx = (int)s->ifindex;
	if (setopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx),
	    "setsockopt IPV6_MULTICAST_IF") == -1)
		return -1;
	if (!(flags & VRRP_SOCK_RECV))
		return 0;
	if (setopt(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on),
	    "setsockopt IPV6_RECVPKTINFO") == -1 ||
	    setopt(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on),
	    "setsockopt IPV6_RECVHOPLIMIT") == -1)
		return -1;
	vrrp_sock_group(AF_INET6, &grp);
	memset(&mreq, 0, sizeof(mreq));
	mreq.ipv6mr_multiaddr = grp.v6;
	mreq.ipv6mr_interface = s->ifindex;
	if (setopt(s, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq),
	    "join ff02::12") == -1)
		return -1;
	s->joined = 1;
	return 0;
}

int
vrrp_sock_open(struct vrrp_sock *s, int family, const char *ifname,
    const void *src, int flags)
{
	int type, saved, rc;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->family = family;
	if (family != AF_INET && family != AF_INET6) {
		s->what = "address family";
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (ifname == NULL || strlen(ifname) >= sizeof(s->ifname) ||
	    (s->ifindex = iface_index(ifname)) == 0) {
		s->what = "interface";
		errno = ENODEV;
		return -1;
	}
	memcpy(s->ifname, ifname, strlen(ifname) + 1);

	s->what = "source address";
	if (src != NULL) {
		memcpy(&s->src, src, family == AF_INET ?
		    sizeof(struct in_addr) : sizeof(struct in6_addr));
		if ((rc = addr_on_iface(s->ifindex, family, &s->src)) == -1)
			return -1;
		if (rc == 0) {
			errno = EADDRNOTAVAIL;
			return -1;
		}
	} else if (family == AF_INET) {
		if (iface_primary_v4(ifname, &s->src.v4) == -1)
			return -1;
	} else if (iface_linklocal_v6(ifname, &s->src.v6) == -1)
		return -1;

	type = SOCK_RAW | SOCK_CLOEXEC;
	if (flags & VRRP_SOCK_NONBLOCK)
		type |= SOCK_NONBLOCK;
	if ((s->fd = socket(family, type, VRRP_PROTO)) == -1) {
		s->what = "raw socket";
		return -1;
	}
	if (setopt(s, SOL_SOCKET, SO_BINDTODEVICE, s->ifname,
	    (socklen_t)strlen(s->ifname), "setsockopt SO_BINDTODEVICE") == -1)
		goto fail;
	rc = family == AF_INET ? setup_v4(s, flags) : setup_v6(s, flags);
	if (rc == -1)
		goto fail;
	s->what = NULL;
	return 0;
fail:
	saved = errno;
	close(s->fd);
	s->fd = -1;
	s->joined = 0;
	errno = saved;
	return -1;
}

void
vrrp_sock_close(struct vrrp_sock *s)
{
	if (s->fd != -1)
		close(s->fd);	/* leaves the group, too */
	s->fd = -1;
	s->joined = 0;
}

const char *
vrrp_sock_error(const struct vrrp_sock *s, int err, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	const char *fam = s->family == AF_INET6 ? "IPv6 link-local" : "IPv4";

	if (err == ENODEV)
		snprintf(buf, len, "no such interface");
	else if (s->what != NULL && strcmp(s->what, "source address") == 0 &&
	    err == EADDRNOTAVAIL) {
		if (inet_ntop(s->family, &s->src, a, sizeof(a)) != NULL &&
		    memcmp(&s->src, &(union vrrp_ip){ 0 }, sizeof(s->src)) != 0)
			snprintf(buf, len, "%s is not an address of this "
			    "interface", a);
		else
			snprintf(buf, len, "no %s address to send from", fam);
	} else if (err == EPERM || err == EACCES)
		snprintf(buf, len, "%s: %s (raw sockets need CAP_NET_RAW)",
		    s->what != NULL ? s->what : "socket", strerror(err));
	else
		snprintf(buf, len, "%s: %s", s->what != NULL ? s->what :
		    "socket", strerror(err));
	return buf;
}

ssize_t
vrrp_sock_send(struct vrrp_sock *s, const uint8_t *msg, size_t len,
    const union vrrp_ip *dst)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cm;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct in_pktinfo *pi4;
	struct in6_pktinfo *pi6;
	struct cmsghdr *c;
	struct msghdr mh;
	struct iovec iov;
	union vrrp_ip grp;

	if (dst == NULL) {
		vrrp_sock_group(s->family, &grp);
		dst = &grp;
	}
	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = (void *)(uintptr_t)msg;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	c = &cm.hdr;
	if (s->family == AF_INET) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr = dst->v4;
		mh.msg_name = &sin;
		mh.msg_namelen = sizeof(sin);
		mh.msg_controllen = CMSG_SPACE(sizeof(*pi4));
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(*pi4));
		pi4 = (struct in_pktinfo *)(void *)CMSG_DATA(c);
		pi4->ipi_ifindex = (int)s->ifindex;
		pi4->ipi_spec_dst = s->src.v4;
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_addr = dst->v6;
		if (IN6_IS_ADDR_LINKLOCAL(&dst->v6) ||
		    IN6_IS_ADDR_MC_LINKLOCAL(&dst->v6))
			sin6.sin6_scope_id = s->ifindex;
		mh.msg_name = &sin6;
		mh.msg_namelen = sizeof(sin6);
		mh.msg_controllen = CMSG_SPACE(sizeof(*pi6));
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(*pi6));
		pi6 = (struct in6_pktinfo *)(void *)CMSG_DATA(c);
		pi6->ipi6_ifindex = s->ifindex;
		pi6->ipi6_addr = s->src.v6;
	}
	return sendmsg(s->fd, &mh, 0);
}

ssize_t
vrrp_sock_recv(struct vrrp_sock *s, uint8_t *buf, size_t len,
    struct vrrp_rcv *rcv)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
				    CMSG_SPACE(sizeof(int)) +
				    CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cm;
	struct sockaddr_storage from;
	struct in_pktinfo pi4;
	struct in6_pktinfo pi6;
	struct cmsghdr *c;
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;
	size_t ihl, tot;
	int hl;

	memset(rcv, 0, sizeof(*rcv));
	rcv->family = s->family;
	rcv->ttl = -1;
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	if ((n = recvmsg(s->fd, &mh, 0)) == -1)
		return -1;
	rcv->truncated = (mh.msg_flags & MSG_TRUNC) != 0;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(pi4))) {
			memcpy(&pi4, CMSG_DATA(c), sizeof(pi4));
			rcv->ifindex = (unsigned)pi4.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(pi6))) {
			memcpy(&pi6, CMSG_DATA(c), sizeof(pi6));
			rcv->ifindex = pi6.ipi6_ifindex;
			rcv->dst.v6 = pi6.ipi6_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(hl))) {
			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			rcv->ttl = hl;
		}
	}
	if (s->family == AF_INET6) {
		if (mh.msg_namelen >= sizeof(struct sockaddr_in6))
			rcv->src.v6 = ((struct sockaddr_in6 *)(void *)&from)->sin6_addr;
		rcv->msg = buf;
		rcv->msglen = (size_t)n < len ? (size_t)n : len;
		return n;
	}
	/* IPv4: the IP header comes first (its options too). */
	if ((size_t)n < 20 || len < 20 || (buf[0] >> 4) != 4 ||
	    (ihl = (size_t)(buf[0] & 0x0f) * 4) < 20 || ihl > (size_t)n ||
	    ihl > len) {
		errno = EBADMSG;
		return -1;
	}
	rcv->ttl = buf[8];
	memcpy(&rcv->src.v4, buf + 12, sizeof(rcv->src.v4));
	memcpy(&rcv->dst.v4, buf + 16, sizeof(rcv->dst.v4));
	tot = (size_t)n < len ? (size_t)n : len;
	if (((size_t)buf[2] << 8 | buf[3]) >= ihl &&
	    ((size_t)buf[2] << 8 | buf[3]) < tot)
		tot = (size_t)buf[2] << 8 | buf[3];	/* link padding */
	rcv->msg = buf + ihl;
	rcv->msglen = tot - ihl;
	return n;
}

enum vrrp_verdict
vrrp_rcv_decode(const struct vrrp_rcv *rcv, struct vrrp_pkt *pkt,
    const struct vrrp_expect *exp)
{
	struct vrrp_expect e;
	enum vrrp_verdict v;

	memset(&e, 0, sizeof(e));
	if (exp != NULL)
		e = *exp;
	e.ttl_known = rcv->ttl >= 0;
	vrrp_pkt_reset(pkt);
	pkt->family = rcv->family;
	pkt->ttl = rcv->ttl >= 0 ? (uint8_t)rcv->ttl : 0;
	if (rcv->family == AF_INET) {
		pkt->src.v4 = rcv->src.v4;
		pkt->dst.v4 = rcv->dst.v4;
	} else {
		pkt->src.v6 = rcv->src.v6;
		pkt->dst.v6 = rcv->dst.v6;
	}
	v = vrrp_decode_msg(rcv->msg, rcv->msglen, pkt, &e);
	/* A datagram larger than the buffer was cut: as vrrp_decode_ip(). */
	return rcv->truncated ? VRRP_TRUNCATED : v;
}
