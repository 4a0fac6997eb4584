/*
 * Unit tests for lib/garp: byte-exact gratuitous ARP and unsolicited NA
 * frames. The NA vector's checksum was confirmed good by tshark.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "addr.h"
#include "garp.h"
#include "unit.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };

static const uint8_t arp_request[GARP_ARP_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02,
	0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x5e, 0x10, 0x00, 0x02, 0xc0, 0x00, 0x02, 0xe6,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0xe6,
	/* 18 bytes of padding to the 60-byte minimum */
};

static const uint8_t arp_reply[GARP_ARP_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02,
	0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
	0x02, 0x00, 0x5e, 0x10, 0x00, 0x02, 0xc0, 0x00, 0x02, 0xe6,
	0x02, 0x00, 0x5e, 0x10, 0x00, 0x02, 0xc0, 0x00, 0x02, 0xe6,
};

static const uint8_t na[GARP_NA_LEN] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02,
	0x86, 0xdd,
	/* IPv6: payload 32, next header 58, hop limit 255 */
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x5e, 0xff, 0xfe, 0x10, 0x00, 0x02,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	/* NA: type 136, code 0, checksum 0x6b11, flags O */
	0x88, 0x00, 0x6b, 0x11, 0x20, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x30,
	/* Target Link-Layer Address option */
	0x02, 0x01, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02,
};

/* The one's-complement sum over pseudo-header and ICMPv6, written plainly. */
static unsigned
icmp6_sum(const uint8_t *f)
{
	unsigned long sum = 0;
	int i;

	for (i = 22; i < 54; i += 2)		/* source and destination */
		sum += (unsigned)f[i] << 8 | f[i + 1];
	sum += 32 + 58;
	for (i = 54; i < GARP_NA_LEN; i += 2)
		sum += (unsigned)f[i] << 8 | f[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned)sum;
}

static void
test_arp(void)
{
	uint8_t buf[128];
	struct in_addr ip;

	inet_pton(AF_INET, "192.0.2.230", &ip);
	memset(buf, 0xaa, sizeof(buf));
	CHECK_EQ(garp_build_arp(buf, sizeof(buf), mac, ip, 0), GARP_ARP_LEN);
	CHECK(memcmp(buf, arp_request, GARP_ARP_LEN) == 0);
	CHECK_EQ(buf[GARP_ARP_LEN], 0xaa);	/* nothing written beyond */
	CHECK_EQ(garp_build_arp(buf, sizeof(buf), mac, ip, 1), GARP_ARP_LEN);
	CHECK(memcmp(buf, arp_reply, GARP_ARP_LEN) == 0);
	/* too small a buffer: nothing built */
	memset(buf, 0xaa, sizeof(buf));
	CHECK_EQ(garp_build_arp(buf, GARP_ARP_LEN - 1, mac, ip, 0), 0);
	CHECK_EQ(buf[0], 0xaa);
}

static void
test_na(void)
{
	uint8_t buf[128];
	struct in6_addr src, target;

	inet_pton(AF_INET6, "fe80::5eff:fe10:2", &src);
	inet_pton(AF_INET6, "2001:db8::230", &target);
	memset(buf, 0xaa, sizeof(buf));
	CHECK_EQ(garp_build_na(buf, sizeof(buf), mac, &src, &target),
	    GARP_NA_LEN);
	CHECK(memcmp(buf, na, GARP_NA_LEN) == 0);
	CHECK_EQ(buf[GARP_NA_LEN], 0xaa);
	CHECK_EQ(icmp6_sum(buf), 0xffff);
	CHECK_EQ(garp_build_na(buf, GARP_NA_LEN - 1, mac, &src, &target), 0);

	/* Another source and target: the checksum still verifies. */
	inet_pton(AF_INET6, "2001:db8::ffff", &src);
	inet_pton(AF_INET6, "2001:db8::ffff", &target);
	CHECK_EQ(garp_build_na(buf, sizeof(buf), mac, &src, &target),
	    GARP_NA_LEN);
	CHECK_EQ(icmp6_sum(buf), 0xffff);
	CHECK_EQ(buf[21], 255);
	CHECK_EQ(buf[58], 0x20);
	CHECK(memcmp(buf + 62, &target, 16) == 0);
}

/* garp_frame: the frames of garp_build_* from an interface read once. */
static void
test_frame(void)
{
	struct garp_iface gi;
	struct vaddr v;
	struct in6_addr src6;
	uint8_t buf[128];
	const char *e;

	memset(&gi, 0, sizeof(gi));
	memcpy(gi.mac, mac, 6);
	CHECK(addr_parse("192.0.2.230/24", 1, &v, &e) == 0);
	CHECK_EQ(garp_frame(&gi, &v, 0, buf, sizeof(buf), NULL), GARP_ARP_LEN);
	CHECK(memcmp(buf, arp_request, GARP_ARP_LEN) == 0);
	CHECK_EQ(garp_frame(&gi, &v, 1, buf, sizeof(buf), NULL), GARP_ARP_LEN);
	CHECK(memcmp(buf, arp_reply, GARP_ARP_LEN) == 0);
	errno = 0;
	CHECK_EQ(garp_frame(&gi, &v, 0, buf, GARP_ARP_LEN - 1, NULL), 0);
	CHECK_EQ(errno, EMSGSIZE);

	/* IPv6: from the link-local address when there is one */
	gi.has_ll6 = 1;
	inet_pton(AF_INET6, "fe80::5eff:fe10:2", &gi.ll6);
	CHECK(addr_parse("2001:db8::230", 1, &v, &e) == 0);
	CHECK_EQ(garp_frame(&gi, &v, 0, buf, sizeof(buf), &src6),
	    GARP_NA_LEN);
	CHECK(memcmp(buf, na, GARP_NA_LEN) == 0);
	CHECK(memcmp(&src6, &gi.ll6, 16) == 0);
	/* from the address itself when there is none */
	gi.has_ll6 = 0;
	CHECK_EQ(garp_frame(&gi, &v, 0, buf, sizeof(buf), &src6),
	    GARP_NA_LEN);
	CHECK(memcmp(&src6, &v.a.v6, 16) == 0);
	CHECK(memcmp(buf + 22, &v.a.v6, 16) == 0);
	CHECK_EQ(icmp6_sum(buf), 0xffff);
}

int
main(void)
{
	test_arp();
	test_na();
	test_frame();
	UNIT_DONE();
}
