/* Address and prefix parsing and printing. Pure: no sockets, no output. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

static int
parse_prefix(const char *s, int max, int *out)
{
	int v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 3)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

int
addr_parse(const char *s, int allow_prefix, struct vaddr *out,
    const char **errstr)
{
	char buf[ADDR_STRLEN];
	const char *slash;
	struct vaddr v;
	size_t alen;
	int max;

	memset(&v, 0, sizeof(v));
	if (s == NULL || *s == '\0') {
		*errstr = "not an address";
		return -1;
	}
	slash = strchr(s, '/');
	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= INET6_ADDRSTRLEN) {
		*errstr = "not an address";
		return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (memchr(buf, '%', alen) != NULL) {
		*errstr = "a zone index (%IFACE) is not accepted; the "
		    "interface is named on its own";
		return -1;
	}
	if (memchr(buf, ':', alen) != NULL) {
		v.family = AF_INET6;
		max = 128;
	} else {
		v.family = AF_INET;
		max = 32;
	}
	if (inet_pton(v.family, buf, &v.a) != 1) {
		*errstr = "not an address";
		return -1;
	}
	if (v.family == AF_INET) {
		uint32_t h = ntohl(v.a.v4.s_addr);

		if (h == 0) {
			*errstr = "the unspecified address is not usable";
			return -1;
		}
		if ((h >> 28) == 0xe) {
			*errstr = "a multicast address is not usable";
			return -1;
		}
		if (h == 0xffffffffU) {
			*errstr = "the broadcast address is not usable";
			return -1;
		}
	} else {
		if (IN6_IS_ADDR_UNSPECIFIED(&v.a.v6)) {
			*errstr = "the unspecified address is not usable";
			return -1;
		}
		if (IN6_IS_ADDR_MULTICAST(&v.a.v6)) {
			*errstr = "a multicast address is not usable";
			return -1;
		}
	}
	if (slash != NULL) {
		if (!allow_prefix) {
			*errstr = "takes an address without a prefix length";
			return -1;
		}
		if (parse_prefix(slash + 1, max, &v.prefixlen) == -1) {
			*errstr = max == 32 ? "prefix length must be 1 to 32" :
			    "prefix length must be 1 to 128";
			return -1;
		}
		v.prefix_given = 1;
	} else
		v.prefixlen = max;
	*out = v;
	return 0;
}

const char *
addr_ntop(const struct vaddr *v, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (inet_ntop(v->family, &v->a, buf, (socklen_t)len) == NULL)
		buf[0] = '\0';
	return buf;
}

const char *
addr_format(const struct vaddr *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (len == 0)
		return buf;
	addr_ntop(v, a, sizeof(a));
	if (snprintf(buf, len, "%s/%d", a, v->prefixlen) >= (int)len)
		buf[len - 1] = '\0';
	return buf;
}

int
addr_same(const struct vaddr *x, const struct vaddr *y)
{
	if (x->family != y->family)
		return 0;
	return memcmp(&x->a, &y->a, x->family == AF_INET ? 4 : 16) == 0;
}

int
addr_label_check(const char *label, const char *ifname, const char **errstr)
{
	size_t i, n, ln;

	if (label == NULL || *label == '\0') {
		*errstr = "empty label";
		return -1;
	}
	ln = strlen(label);
	if (ln >= IFNAMSIZ) {
		*errstr = "label longer than 15 bytes";
		return -1;
	}
	for (i = 0; i < ln; i++) {
		if (!isgraph((unsigned char)label[i])) {
			*errstr = "label has a blank or control character";
			return -1;
		}
	}
	n = strlen(ifname);
	if (strncmp(label, ifname, n) != 0 ||
	    (label[n] != '\0' && label[n] != ':')) {
		*errstr = "label must be the interface name or start with "
		    "'IFACE:'";
		return -1;
	}
	return 0;
}

const char *
addr_action_name(enum addr_action a)
{
	switch (a) {
	case ADDR_ADDED:
		return "added";
	case ADDR_ALREADY_PRESENT:
		return "already-present";
	case ADDR_REMOVED:
		return "removed";
	case ADDR_ABSENT:
	default:
		return "absent";
	}
}
