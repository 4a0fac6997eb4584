/* Unit tests for lib/capture: link-layer stripping and frame decoding. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <pcap/dlt.h>

#include "capture.h"
#include "unit.h"

static uint8_t ipkt[128];	/* a good VRRPv2 IPv4 packet */
static size_t ilen;
static uint8_t ipkt6[128];	/* a good VRRPv3 IPv6 packet */
static size_t ilen6;

static void
make_packets(void)
{
	struct vrrp_pkt p;
	int n;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.version = 2;
	p.vrid = 51;
	p.priority = 150;
	p.interval_cs = 100;
	p.naddrs = 1;
	inet_pton(AF_INET, "192.0.2.1", &p.src.v4);
	inet_pton(AF_INET, "224.0.0.18", &p.dst.v4);
	inet_pton(AF_INET, "192.0.2.100", &p.addrs.v4[0]);
	memset(ipkt, 0, sizeof(ipkt));
	ipkt[0] = 0x45;
	ipkt[8] = 255;
	ipkt[9] = VRRP_PROTO;
	memcpy(ipkt + 12, &p.src.v4, 4);
	memcpy(ipkt + 16, &p.dst.v4, 4);
	n = vrrp_encode(&p, 0, ipkt + 20, sizeof(ipkt) - 20);
	CHECK(n > 0);
	ilen = 20 + (size_t)n;
	ipkt[3] = (uint8_t)ilen;

	p.family = AF_INET6;
	p.version = 3;
	inet_pton(AF_INET6, "fe80::1", &p.src.v6);
	inet_pton(AF_INET6, "ff02::12", &p.dst.v6);
	inet_pton(AF_INET6, "2001:db8::100", &p.addrs.v6[0]);
	memset(ipkt6, 0, sizeof(ipkt6));
	ipkt6[0] = 0x60;
	ipkt6[6] = VRRP_PROTO;
	ipkt6[7] = 255;
	memcpy(ipkt6 + 8, &p.src.v6, 16);
	memcpy(ipkt6 + 24, &p.dst.v6, 16);
	n = vrrp_encode(&p, 0, ipkt6 + 40, sizeof(ipkt6) - 40);
	CHECK(n > 0);
	ilen6 = 40 + (size_t)n;
	ipkt6[5] = (uint8_t)n;
}

/* frame = hdr (hlen bytes) + IP packet */
static size_t
frame(uint8_t *f, const void *hdr, size_t hlen, int v6)
{
	if (hlen > 0)
		memcpy(f, hdr, hlen);
	memcpy(f + hlen, v6 ? ipkt6 : ipkt, v6 ? ilen6 : ilen);
	return hlen + (v6 ? ilen6 : ilen);
}

static void
test_ethernet(void)
{
	static const uint8_t eth[] = { 1, 0, 0x5e, 0, 0, 0x12, 0, 0, 0x5e, 0,
	    1, 51, 0x08, 0x00 };
	static const uint8_t eth6[] = { 0x33, 0x33, 0, 0, 0, 0x12, 0, 0, 0x5e,
	    0, 2, 51, 0x86, 0xdd };
	static const uint8_t vlan[] = { 1, 0, 0x5e, 0, 0, 0x12, 0, 0, 0x5e, 0,
	    1, 51, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00 };
	static const uint8_t qinq[] = { 1, 0, 0x5e, 0, 0, 0x12, 0, 0, 0x5e, 0,
	    1, 51, 0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0xc8, 0x86,
	    0xdd };
	static const uint8_t arp[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0,
	    0x5e, 0, 1, 51, 0x08, 0x06 };
	uint8_t f[256], tags[64];
	struct vrrp_pkt p;
	size_t n;
	int i;

	n = frame(f, eth, sizeof(eth), 0);
	CHECK_EQ(capture_ip_offset(DLT_EN10MB, f, n), 14);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, NULL), VRRP_OK);
	CHECK_EQ(p.vrid, 51);
	CHECK_EQ(p.priority, 150);
	CHECK_EQ(p.ttl, 255);
	/* Ethernet padding after the IP packet is ignored. */
	memset(f + n, 0, 20);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n + 20, &p, NULL),
	    VRRP_OK);

	n = frame(f, eth6, sizeof(eth6), 1);
	CHECK_EQ(capture_ip_offset(DLT_EN10MB, f, n), 14);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, NULL), VRRP_OK);
	CHECK_EQ(p.family, AF_INET6);
	CHECK_EQ(p.version, 3);

	n = frame(f, vlan, sizeof(vlan), 0);
	CHECK_EQ(capture_ip_offset(DLT_EN10MB, f, n), 18);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, NULL), VRRP_OK);
	n = frame(f, qinq, sizeof(qinq), 1);
	CHECK_EQ(capture_ip_offset(DLT_EN10MB, f, n), 22);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, NULL), VRRP_OK);

	/* More tags than we skip: not IP. */
	memcpy(tags, eth, 12);
	for (i = 0; i <= CAPTURE_MAX_VLAN_TAGS; i++) {
		tags[12 + 4 * i] = 0x81;
		tags[13 + 4 * i] = 0x00;
		tags[14 + 4 * i] = 0;
		tags[15 + 4 * i] = 1;
	}
	tags[12 + 4 * i] = 0x08;
	tags[13 + 4 * i] = 0x00;
	n = frame(f, tags, 14 + 4 * (size_t)i, 0);
	CHECK_EQ(capture_ip_offset(DLT_EN10MB, f, n), -1);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, NULL),
	    VRRP_NOT_VRRP);

	/* Not IP, and frames too short for their headers. */
	n = frame(f, arp, sizeof(arp), 0);
	CHECK_EQ(capture_ip_offset(DLT_EN10MB, f, n), -1);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, NULL),
	    VRRP_NOT_VRRP);
	for (n = 0; n < 14; n++)
		CHECK_EQ(capture_ip_offset(DLT_EN10MB, eth, n), -1);
	CHECK_EQ(capture_ip_offset(DLT_EN10MB, vlan, 16), -1);
	/* The IP packet cut short by the snap length: truncated. */
	n = frame(f, eth, sizeof(eth), 0);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n - 3, &p, NULL),
	    VRRP_TRUNCATED);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, 14, &p, NULL),
	    VRRP_TRUNCATED);
}

static void
test_cooked_raw_null(void)
{
	uint8_t sll[16] = { 0, 2, 0, 1, 0, 6, 0, 0, 0x5e, 0, 1, 51, 0, 0,
	    0x08, 0x00 };
	uint8_t sllv[20] = { 0, 2, 0, 1, 0, 6, 0, 0, 0x5e, 0, 1, 51, 0, 0,
	    0x81, 0x00, 0x00, 0x05, 0x86, 0xdd };
	uint8_t sll2[20] = { 0x86, 0xdd, 0, 0, 0, 0, 0, 2, 0, 1, 2, 6, 0, 0,
	    0x5e, 0, 2, 51, 0, 0 };
	uint8_t nul_le[4] = { 2, 0, 0, 0 }, nul_be[4] = { 0, 0, 0, 2 };
	uint8_t nul6[4] = { 30, 0, 0, 0 }, nul_x[4] = { 7, 0, 0, 0 };
	uint8_t f[256];
	struct vrrp_pkt p;
	size_t n;

	n = frame(f, sll, sizeof(sll), 0);
	CHECK_EQ(capture_ip_offset(DLT_LINUX_SLL, f, n), 16);
	CHECK_EQ(capture_decode_frame(DLT_LINUX_SLL, f, n, &p, NULL), VRRP_OK);
	n = frame(f, sllv, sizeof(sllv), 1);
	CHECK_EQ(capture_ip_offset(DLT_LINUX_SLL, f, n), 20);
	CHECK_EQ(capture_decode_frame(DLT_LINUX_SLL, f, n, &p, NULL), VRRP_OK);
	n = frame(f, sll2, sizeof(sll2), 1);
	CHECK_EQ(capture_ip_offset(DLT_LINUX_SLL2, f, n), 20);
	CHECK_EQ(capture_decode_frame(DLT_LINUX_SLL2, f, n, &p, NULL), VRRP_OK);
	CHECK_EQ(p.family, AF_INET6);
	CHECK_EQ(capture_ip_offset(DLT_LINUX_SLL2, f, 19), -1);
	sll2[1] = 0x06;			/* ARP */
	n = frame(f, sll2, sizeof(sll2), 1);
	CHECK_EQ(capture_ip_offset(DLT_LINUX_SLL2, f, n), -1);

	n = frame(f, NULL, 0, 0);
	CHECK_EQ(capture_ip_offset(DLT_RAW, f, n), 0);
	CHECK_EQ(capture_decode_frame(DLT_RAW, f, n, &p, NULL), VRRP_OK);
	CHECK_EQ(capture_ip_offset(DLT_IPV4, f, n), 0);
	CHECK_EQ(capture_ip_offset(DLT_IPV6, f, n), -1);
	CHECK_EQ(capture_ip_offset(DLT_RAW, f, 0), -1);
	n = frame(f, NULL, 0, 1);
	CHECK_EQ(capture_decode_frame(DLT_IPV6, f, n, &p, NULL), VRRP_OK);
	CHECK_EQ(capture_ip_offset(DLT_IPV4, f, n), -1);

	n = frame(f, nul_le, 4, 0);
	CHECK_EQ(capture_decode_frame(DLT_NULL, f, n, &p, NULL), VRRP_OK);
	n = frame(f, nul_be, 4, 0);
	CHECK_EQ(capture_decode_frame(DLT_NULL, f, n, &p, NULL), VRRP_OK);
	CHECK_EQ(capture_decode_frame(DLT_LOOP, f, n, &p, NULL), VRRP_OK);
	n = frame(f, nul6, 4, 1);
	CHECK_EQ(capture_decode_frame(DLT_NULL, f, n, &p, NULL), VRRP_OK);
	n = frame(f, nul_x, 4, 0);
	CHECK_EQ(capture_ip_offset(DLT_NULL, f, n), -1);
	CHECK_EQ(capture_ip_offset(DLT_NULL, f, 3), -1);

	/* Link types we do not know. */
	CHECK(!capture_dlt_supported(DLT_IEEE802_11));
	CHECK(capture_dlt_supported(DLT_LINUX_SLL2));
	CHECK_EQ(capture_ip_offset(DLT_IEEE802_11, f, n), -1);
}

static void
test_expectations_pass_through(void)
{
	static const uint8_t eth[] = { 1, 0, 0x5e, 0, 0, 0x12, 0, 0, 0x5e, 0,
	    1, 51, 0x08, 0x00 };
	struct vrrp_expect exp = { .auth_pass = "secret", .ttl_known = 1 };
	struct vrrp_pkt p;
	uint8_t f[256];
	size_t n;

	n = frame(f, eth, sizeof(eth), 0);
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, &exp),
	    VRRP_AUTH_MISMATCH);
	f[14 + 8] = 254;		/* TTL */
	CHECK_EQ(capture_decode_frame(DLT_EN10MB, f, n, &p, NULL),
	    VRRP_BAD_TTL);
}

int
main(void)
{
	make_packets();
	test_ethernet();
	test_cooked_raw_null();
	test_expectations_pass_through();
	UNIT_DONE();
}
