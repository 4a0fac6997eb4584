/*
 * Add, remove and find an address on an interface through libnl-route-3
 * (the netlink half of addr.h).
 */
#include <sys/socket.h>

#include <linux/if_addr.h>

#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>

#include "addr.h"

/* libnl's error codes back to errno values, for callers and strerror(). */
static int
nlerr_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_PERM:
		return EPERM;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_NODEV:
		return ENODEV;
	case NLE_EXIST:
		return EEXIST;
	case NLE_NOADDR:
	case NLE_OBJ_NOTFOUND:
		return EADDRNOTAVAIL;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_INVAL:
		return EINVAL;
	case NLE_RANGE:
		return ERANGE;
	case NLE_AF_NOSUPPORT:
		return EAFNOSUPPORT;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_BUSY:
		return EBUSY;
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_INTR:
		return EINTR;
	case NLE_BAD_SOCK:
		return EBADF;
	default:
		return EIO;
	}
}

struct nlctx {
	struct nl_sock	*sk;
	struct nl_cache	*cache;
};

static void
ctx_close(struct nlctx *c)
{
	if (c->cache != NULL)
		nl_cache_free(c->cache);
	if (c->sk != NULL)
		nl_socket_free(c->sk);
	c->cache = NULL;
	c->sk = NULL;
}

/* Check the interface, connect, dump the addresses. -1 and errno on error. */
static int
ctx_open(struct nlctx *c, unsigned ifindex)
{
	char name[IF_NAMESIZE];
	int rc;

	c->sk = NULL;
	c->cache = NULL;
	if (ifindex == 0 || if_indextoname(ifindex, name) == NULL) {
		errno = ENODEV;
		return -1;
	}
	if ((c->sk = nl_socket_alloc()) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if ((rc = nl_connect(c->sk, NETLINK_ROUTE)) < 0 ||
	    (rc = rtnl_addr_alloc_cache(c->sk, &c->cache)) < 0) {
		c->cache = NULL;
		ctx_close(c);
		errno = nlerr_errno(rc);
		return -1;
	}
	return 0;
}

/* ra is address v, on whatever interface. */
static int
same_addr(struct rtnl_addr *ra, const struct vaddr *v)
{
	struct nl_addr *local;
	size_t n = v->family == AF_INET ? 4 : 16;

	if (rtnl_addr_get_family(ra) != v->family)
		return 0;
	if ((local = rtnl_addr_get_local(ra)) == NULL ||
	    nl_addr_get_len(local) != n)
		return 0;
	return memcmp(nl_addr_get_binary_addr(local), &v->a, n) == 0;
}

static int
matches(struct rtnl_addr *ra, unsigned ifindex, const struct vaddr *v)
{
	return rtnl_addr_get_ifindex(ra) == (int)ifindex && same_addr(ra, v);
}

/* Same IPv4 subnet (network bits of plen). */
static int
same_subnet4(const uint8_t *a, const uint8_t *b, int plen)
{
	uint32_t x, y, mask;

	x = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | a[2] << 8 | a[3];
	y = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | b[2] << 8 | b[3];
	mask = plen <= 0 ? 0 : plen >= 32 ? 0xffffffffU :
	    ~(0xffffffffU >> plen);
	return (x & mask) == (y & mask);
}

/* IPv4 secondaries that hang on the primary address f describes. */
static void
count_secondaries(struct nl_cache *cache, unsigned ifindex,
    const struct vaddr *v, struct addr_found *f)
{
	struct nl_object *o;
	struct rtnl_addr *ra;
	struct nl_addr *local;

	for (o = nl_cache_get_first(cache); o != NULL;
	    o = nl_cache_get_next(o)) {
		ra = (struct rtnl_addr *)o;
		if (rtnl_addr_get_ifindex(ra) != (int)ifindex ||
		    rtnl_addr_get_family(ra) != AF_INET ||
		    !(rtnl_addr_get_flags(ra) & IFA_F_SECONDARY) ||
		    rtnl_addr_get_prefixlen(ra) != f->prefixlen ||
		    (local = rtnl_addr_get_local(ra)) == NULL ||
		    nl_addr_get_len(local) != 4)
			continue;
		if (same_subnet4(nl_addr_get_binary_addr(local), v->a.b,
		    f->prefixlen))
			f->secondaries++;
	}
}

static void
scan(struct nl_cache *cache, unsigned ifindex, const struct vaddr *v,
    struct addr_found *f)
{
	struct nl_object *o;
	struct rtnl_addr *ra;
	const char *label;
	unsigned flags;

	memset(f, 0, sizeof(*f));
	for (o = nl_cache_get_first(cache); o != NULL;
	    o = nl_cache_get_next(o)) {
		ra = (struct rtnl_addr *)o;
		if (!same_addr(ra, v))
			continue;
		if (rtnl_addr_get_ifindex(ra) != (int)ifindex) {
			if (f->elsewhere == 0)
				f->elsewhere =
				    (unsigned)rtnl_addr_get_ifindex(ra);
			continue;
		}
		if (f->count++ > 0)
			continue;
		f->present = 1;
		f->prefixlen = rtnl_addr_get_prefixlen(ra);
		flags = rtnl_addr_get_flags(ra);
		f->tentative = (flags & IFA_F_TENTATIVE) != 0;
		f->dadfailed = (flags & IFA_F_DADFAILED) != 0;
		f->primary = v->family == AF_INET &&
		    !(flags & IFA_F_SECONDARY);
		if (v->family == AF_INET &&
		    (label = rtnl_addr_get_label(ra)) != NULL) {
			strncpy(f->label, label, sizeof(f->label) - 1);
			f->label[sizeof(f->label) - 1] = '\0';
		}
	}
	if (f->primary)
		count_secondaries(cache, ifindex, v, f);
}

int
addr_nl_query(unsigned ifindex, const struct vaddr *v, struct addr_found *found)
{
	struct nlctx c;

	if (ctx_open(&c, ifindex) == -1)
		return -1;
	scan(c.cache, ifindex, v, found);
	ctx_close(&c);
	return 0;
}

static int
refill(struct nlctx *c, unsigned ifindex, const struct vaddr *v,
    struct addr_found *f)
{
	int rc;

	if ((rc = nl_cache_refill(c->sk, c->cache)) < 0) {
		errno = nlerr_errno(rc);
		return -1;
	}
	scan(c->cache, ifindex, v, f);
	return 0;
}

int
addr_nl_add(unsigned ifindex, const struct vaddr *v, const char *label,
    struct addr_found *before)
{
	struct nlctx c;
	struct addr_found f;
	struct rtnl_addr *ra = NULL;
	struct nl_addr *local = NULL;
	int rc, ret = -1, err = EIO;

	if (ctx_open(&c, ifindex) == -1)
		return -1;
	scan(c.cache, ifindex, v, &f);
	if (before != NULL)
		*before = f;
	if (f.present) {
		ctx_close(&c);
		return ADDR_ALREADY_PRESENT;
	}
	if ((ra = rtnl_addr_alloc()) == NULL ||
	    (local = nl_addr_build(v->family, &v->a,
	    v->family == AF_INET ? 4 : 16)) == NULL) {
		err = ENOMEM;
		goto out;
	}
	rtnl_addr_set_ifindex(ra, (int)ifindex);
	rtnl_addr_set_family(ra, v->family);
	if ((rc = rtnl_addr_set_local(ra, local)) < 0) {
		err = nlerr_errno(rc);
		goto out;
	}
	rtnl_addr_set_prefixlen(ra, v->prefixlen);
	if (v->family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	if (label != NULL && v->family == AF_INET &&
	    (rc = rtnl_addr_set_label(ra, label)) < 0) {
		err = nlerr_errno(rc);
		goto out;
	}
	rc = rtnl_addr_add(c.sk, ra, NLM_F_EXCL);
	if (rc == -NLE_EXIST) {
		/* Someone else added it meanwhile: it is present. */
		ret = ADDR_ALREADY_PRESENT;
		if (before != NULL && refill(&c, ifindex, v, before) == -1)
			err = errno, ret = -1;
	} else if (rc < 0)
		err = nlerr_errno(rc);
	else
		ret = ADDR_ADDED;
out:
	if (local != NULL)
		nl_addr_put(local);
	if (ra != NULL)
		rtnl_addr_put(ra);
	ctx_close(&c);
	if (ret == -1)
		errno = err;
	return ret;
}

int
addr_nl_del(unsigned ifindex, const struct vaddr *v, struct addr_found *before)
{
	struct nlctx c;
	struct addr_found f;
	struct nl_object *o;
	int rc, removed = 0, err = 0;

	if (ctx_open(&c, ifindex) == -1)
		return -1;
	scan(c.cache, ifindex, v, &f);
	if (before != NULL)
		*before = f;
	for (o = nl_cache_get_first(c.cache); o != NULL;
	    o = nl_cache_get_next(o)) {
		if (!matches((struct rtnl_addr *)o, ifindex, v))
			continue;
		rc = rtnl_addr_delete(c.sk, (struct rtnl_addr *)o, 0);
		if (rc == 0)
			removed++;
		else if (rc != -NLE_NOADDR && rc != -NLE_OBJ_NOTFOUND &&
		    err == 0)
			err = nlerr_errno(rc);
	}
	ctx_close(&c);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return removed > 0 ? ADDR_REMOVED : ADDR_ABSENT;
}
