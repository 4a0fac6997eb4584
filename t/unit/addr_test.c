/* Unit tests for the pure half of lib/addr: parsing, printing, labels. */
#include <sys/socket.h>

#include "addr.h"
#include "unit.h"

static const char *
fmt(const char *s, int allow_prefix)
{
	static char buf[ADDR_STRLEN];
	struct vaddr v;
	const char *e;

	if (addr_parse(s, allow_prefix, &v, &e) == -1)
		return e;
	return addr_format(&v, buf, sizeof(buf));
}

static void
test_parse(void)
{
	struct vaddr v;
	const char *e = NULL;
	char buf[ADDR_STRLEN];

	CHECK(addr_parse("192.0.2.230/24", 1, &v, &e) == 0);
	CHECK_EQ(v.family, AF_INET);
	CHECK_EQ(v.prefixlen, 24);
	CHECK_EQ(v.prefix_given, 1);
	CHECK_EQ(v.a.b[0], 192);
	CHECK_EQ(v.a.b[3], 230);
	CHECK_STR(addr_ntop(&v, buf, sizeof(buf)), "192.0.2.230");

	/* No prefix: the host prefix, as ip and keepalived use. */
	CHECK(addr_parse("192.0.2.230", 1, &v, &e) == 0);
	CHECK_EQ(v.prefixlen, 32);
	CHECK_EQ(v.prefix_given, 0);
	CHECK_STR(fmt("2001:db8::230", 1), "2001:db8::230/128");
	CHECK_STR(fmt("2001:DB8:0:0::230/64", 1), "2001:db8::230/64");
	CHECK_STR(fmt("192.0.2.1/1", 1), "192.0.2.1/1");
	CHECK_STR(fmt("2001:db8::1/128", 1), "2001:db8::1/128");
	CHECK_STR(fmt("fe80::1/64", 1), "fe80::1/64");
	CHECK_STR(fmt("::ffff:192.0.2.1/128", 1), "::ffff:192.0.2.1/128");

	CHECK_STR(fmt("192.0.2.300/24", 1), "not an address");
	CHECK_STR(fmt("192.0.2/24", 1), "not an address");
	CHECK_STR(fmt("192.0.2.1.5", 1), "not an address");
	CHECK_STR(fmt("192.0.2.01", 1), "not an address");
	CHECK_STR(fmt(" 192.0.2.1", 1), "not an address");
	CHECK_STR(fmt("eth0", 1), "not an address");
	CHECK_STR(fmt("", 1), "not an address");
	CHECK_STR(fmt("/24", 1), "not an address");
	CHECK_STR(fmt("fe80::1%eth0", 1), "a zone index (%IFACE) is not "
	    "accepted; the interface is named on its own");
	CHECK_STR(fmt("fe80::1%eth0/64", 1), "a zone index (%IFACE) is not "
	    "accepted; the interface is named on its own");
	CHECK_STR(fmt("192.0.2.1%", 1), "a zone index (%IFACE) is not "
	    "accepted; the interface is named on its own");
	CHECK_STR(fmt("2001:db8:::1", 1), "not an address");
	CHECK_STR(fmt("2001:db8::1::2", 1), "not an address");
	CHECK_STR(fmt("0.0.0.0", 1), "the unspecified address is not usable");
	CHECK_STR(fmt("::/64", 1), "the unspecified address is not usable");
	CHECK_STR(fmt("224.0.0.18", 1), "a multicast address is not usable");
	CHECK_STR(fmt("ff02::1", 1), "a multicast address is not usable");
	CHECK_STR(fmt("255.255.255.255", 1),
	    "the broadcast address is not usable");

	CHECK_STR(fmt("192.0.2.1/33", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("192.0.2.1/0", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("192.0.2.1/", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("192.0.2.1/-1", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("192.0.2.1/+24", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("192.0.2.1/24 ", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("192.0.2.1/0024", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("192.0.2.1/24/24", 1), "prefix length must be 1 to 32");
	CHECK_STR(fmt("2001:db8::1/129", 1), "prefix length must be 1 to 128");
	CHECK_STR(fmt("192.0.2.1/024", 1), "192.0.2.1/24");

	CHECK_STR(fmt("192.0.2.1", 0), "192.0.2.1/32");
	CHECK_STR(fmt("192.0.2.1/24", 0),
	    "takes an address without a prefix length");

	/* A failed parse leaves the output alone. */
	v.prefixlen = 77;
	CHECK(addr_parse("nope", 1, &v, &e) == -1);
	CHECK_EQ(v.prefixlen, 77);
	CHECK(addr_parse(NULL, 1, &v, &e) == -1);
}

static void
test_same(void)
{
	struct vaddr a, b, c;
	const char *e;

	addr_parse("192.0.2.230/24", 1, &a, &e);
	addr_parse("192.0.2.230/32", 1, &b, &e);
	addr_parse("::ffff:192.0.2.230", 1, &c, &e);
	CHECK(addr_same(&a, &b));
	CHECK(!addr_same(&a, &c));
	addr_parse("192.0.2.231", 1, &b, &e);
	CHECK(!addr_same(&a, &b));
}

static void
test_label(void)
{
	const char *e = NULL;

	CHECK(addr_label_check("eth0", "eth0", &e) == 0);
	CHECK(addr_label_check("eth0:vip", "eth0", &e) == 0);
	CHECK(addr_label_check("eth0:", "eth0", &e) == 0);
	CHECK(addr_label_check("eth1:vip", "eth0", &e) == -1);
	CHECK_STR(e, "label must be the interface name or start with 'IFACE:'");
	CHECK(addr_label_check("eth0vip", "eth0", &e) == -1);
	CHECK(addr_label_check("vip", "eth0", &e) == -1);
	CHECK(addr_label_check("", "eth0", &e) == -1);
	CHECK_STR(e, "empty label");
	CHECK(addr_label_check("eth0:0123456789", "eth0", &e) == 0);
	CHECK(addr_label_check("eth0:01234567890", "eth0", &e) == -1);
	CHECK_STR(e, "label longer than 15 bytes");
	CHECK(addr_label_check("eth0:a b", "eth0", &e) == -1);
	CHECK_STR(e, "label has a blank or control character");
}

static void
test_names(void)
{
	CHECK_STR(addr_action_name(ADDR_ADDED), "added");
	CHECK_STR(addr_action_name(ADDR_ALREADY_PRESENT), "already-present");
	CHECK_STR(addr_action_name(ADDR_REMOVED), "removed");
	CHECK_STR(addr_action_name(ADDR_ABSENT), "absent");
}

int
main(void)
{
	test_parse();
	test_same();
	test_label();
	test_names();
	UNIT_DONE();
}
