/*
 * Unit tests for lib/vrrp: decode real keepalived 2.2 adverts captured in
 * the lab (v2 PASS, v3 IPv4, v3 IPv6), re-encode them byte for byte, and
 * give every damaged variant its verdict.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "sock.h"
#include "vrrp.h"
#include "unit.h"

/* keepalived v3 IPv4: vrid 52, prio 100, 0.5 s, 192.0.2.231 */
static const uint8_t ka_v3_ip4[] = {
	0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x18, 0x99,
	0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12,
	0x31, 0x34, 0x64, 0x01, 0x00, 0x32, 0x05, 0x20, 0xc0, 0x00, 0x02, 0xe7,
};
/* keepalived v3 IPv6: vrid 53, prio 200, 1 s, 2001:db8::230 */
static const uint8_t ka_v3_ip6[] = {
	0x6c, 0x01, 0x4c, 0xad, 0x00, 0x18, 0x70, 0xff,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x5e, 0xff, 0xfe, 0x10, 0x00, 0x01,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x12,
	0x31, 0x35, 0xc8, 0x01, 0x00, 0x64, 0x7b, 0x4c,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x30,
};
/* keepalived v2 IPv4: vrid 51, prio 150, 1 s, PASS "secret1", 192.0.2.230 */
static const uint8_t ka_v2[] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x18, 0x91,
	0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12,
	0x21, 0x33, 0x96, 0x01, 0x01, 0x01, 0x17, 0x97, 0xc0, 0x00, 0x02, 0xe6,
	0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x31, 0x00,
};

static struct vrrp_pkt pkt;

static enum vrrp_verdict
dec(const uint8_t *b, size_t len, const char *pass)
{
	struct vrrp_expect e = { .auth_pass = pass, .ttl_known = 1 };

	return vrrp_decode_ip(b, len, &pkt, &e);
}

static void
test_real_packets(void)
{
	uint8_t out[VRRP_MAX_LEN];
	char s[INET6_ADDRSTRLEN];

	CHECK_EQ(dec(ka_v3_ip4, sizeof(ka_v3_ip4), NULL), VRRP_OK);
	CHECK_EQ(pkt.family, AF_INET);
	CHECK_EQ(pkt.version, 3);
	CHECK_EQ(pkt.vrid, 52);
	CHECK_EQ(pkt.priority, 100);
	CHECK_EQ(pkt.interval_cs, 50);
	CHECK_EQ(pkt.naddrs, 1);
	CHECK_EQ(pkt.ttl, 255);
	CHECK_EQ(pkt.checksum, 0x0520);
	CHECK_EQ(pkt.cksum, VRRP_CK_PSEUDO);
	CHECK_STR(inet_ntop(AF_INET, &pkt.addrs.v4[0], s, sizeof(s)), "192.0.2.231");
	CHECK_STR(inet_ntop(AF_INET, &pkt.src.v4, s, sizeof(s)), "192.0.2.1");
	CHECK_EQ(vrrp_encode(&pkt, 0, out, sizeof(out)), 12);
	CHECK(memcmp(out, ka_v3_ip4 + 20, 12) == 0);

	CHECK_EQ(dec(ka_v3_ip6, sizeof(ka_v3_ip6), NULL), VRRP_OK);
	CHECK_EQ(pkt.family, AF_INET6);
	CHECK_EQ(pkt.vrid, 53);
	CHECK_EQ(pkt.priority, 200);
	CHECK_EQ(pkt.interval_cs, 100);
	CHECK_EQ(pkt.cksum, VRRP_CK_PSEUDO);
	CHECK_STR(inet_ntop(AF_INET6, &pkt.addrs.v6[0], s, sizeof(s)), "2001:db8::230");
	CHECK_STR(inet_ntop(AF_INET6, &pkt.src.v6, s, sizeof(s)), "fe80::5eff:fe10:1");
	CHECK_EQ(vrrp_encode(&pkt, 0, out, sizeof(out)), 24);
	CHECK(memcmp(out, ka_v3_ip6 + 40, 24) == 0);

	CHECK_EQ(dec(ka_v2, sizeof(ka_v2), NULL), VRRP_OK);
	CHECK_EQ(pkt.version, 2);
	CHECK_EQ(pkt.vrid, 51);
	CHECK_EQ(pkt.priority, 150);
	CHECK_EQ(pkt.interval_cs, 100);
	CHECK_EQ(pkt.auth_type, VRRP_AUTH_PASS);
	CHECK(memcmp(pkt.auth, "secret1\0", 8) == 0);
	CHECK_EQ(pkt.cksum, VRRP_CK_V2);
	CHECK_EQ(vrrp_encode(&pkt, 0, out, sizeof(out)), 20);
	CHECK(memcmp(out, ka_v2 + 20, 20) == 0);
	CHECK_EQ(dec(ka_v2, sizeof(ka_v2), "secret1"), VRRP_OK);
	CHECK_EQ(dec(ka_v2, sizeof(ka_v2), "secret2"), VRRP_AUTH_MISMATCH);
	CHECK_EQ(dec(ka_v2, sizeof(ka_v2), "secret12"), VRRP_AUTH_MISMATCH);
	/* configured without authentication: a v2 PASS advert is an
	 * auth-type mismatch (RFC 3768 7.1) */
	{
		struct vrrp_expect none = { .ttl_known = 1, .auth_none = 1 };

		CHECK_EQ(vrrp_decode_ip(ka_v2, sizeof(ka_v2), &pkt, &none),
		    VRRP_AUTH_MISMATCH);
		CHECK_EQ(vrrp_decode_ip(ka_v3_ip4, sizeof(ka_v3_ip4), &pkt,
		    &none), VRRP_OK);
	}
	/* v3 has no authentication: a pass is not checked */
	CHECK_EQ(dec(ka_v3_ip4, sizeof(ka_v3_ip4), "secret1"), VRRP_OK);
}

static void
test_rfc9568_variant(void)
{
	uint8_t ip[64], out[VRRP_MAX_LEN];
	int n;

	CHECK_EQ(dec(ka_v3_ip4, sizeof(ka_v3_ip4), NULL), VRRP_OK);
	n = vrrp_encode(&pkt, 1, out, sizeof(out));
	CHECK_EQ(n, 12);
	CHECK(memcmp(out, ka_v3_ip4 + 20, 6) == 0);
	CHECK(memcmp(out + 6, ka_v3_ip4 + 26, 2) != 0);
	CHECK_EQ(vrrp_inet_cksum(out, 12, 0), 0);
	memcpy(ip, ka_v3_ip4, 20);
	memcpy(ip + 20, out, 12);
	CHECK_EQ(dec(ip, 32, NULL), VRRP_OK);
	CHECK_EQ(pkt.cksum, VRRP_CK_RFC9568);
	/* IPv6 has only one variant: the flag changes nothing */
	CHECK_EQ(dec(ka_v3_ip6, sizeof(ka_v3_ip6), NULL), VRRP_OK);
	CHECK_EQ(vrrp_encode(&pkt, 1, out, sizeof(out)), 24);
	CHECK(memcmp(out, ka_v3_ip6 + 40, 24) == 0);
}

static void
test_damage(void)
{
	uint8_t b[128];
	size_t i;

	/* bad checksum */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[31] ^= 0x01;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_BAD_CHECKSUM);
	CHECK_EQ(pkt.cksum, VRRP_CK_BAD);
	memcpy(b, ka_v2, sizeof(ka_v2));
	b[39] = 'x';
	CHECK_EQ(dec(b, sizeof(ka_v2), NULL), VRRP_BAD_CHECKSUM);
	/* a v2 packet whose checksum uses a pseudo-header is bad */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[20] = 0x21;
	CHECK(dec(b, sizeof(ka_v3_ip4), NULL) != VRRP_OK);

	/* TTL 254 (IPv4) and hop limit 254 (IPv6) */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[8] = 254;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_BAD_TTL);
	CHECK_EQ(pkt.ttl, 254);
	memcpy(b, ka_v3_ip6, sizeof(ka_v3_ip6));
	b[7] = 1;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip6), NULL), VRRP_BAD_TTL);

	/* truncated: every prefix of every packet */
	for (i = 0; i < sizeof(ka_v3_ip4); i++)
		CHECK_EQ(dec(ka_v3_ip4, i, NULL), VRRP_TRUNCATED);
	for (i = 0; i < sizeof(ka_v3_ip6); i++)
		CHECK_EQ(dec(ka_v3_ip6, i, NULL), VRRP_TRUNCATED);
	for (i = 0; i < sizeof(ka_v2); i++)
		CHECK_EQ(dec(ka_v2, i, NULL), VRRP_TRUNCATED);

	/* bad version */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[20] = 0x41;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_BAD_VERSION);
	memcpy(b, ka_v3_ip6, sizeof(ka_v3_ip6));
	b[40] = 0x21;	/* v2 over IPv6 */
	CHECK_EQ(dec(b, sizeof(ka_v3_ip6), NULL), VRRP_BAD_VERSION);

	/* bad type */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[20] = 0x32;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_BAD_TYPE);

	/* address count larger than the packet, and zero */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[23] = 5;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_BAD_ADDR_COUNT);
	CHECK_EQ(pkt.naddrs, 5);
	CHECK_EQ(pkt.naddrs_present, 1);
	b[23] = 255;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_BAD_ADDR_COUNT);
	b[23] = 0;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_BAD_ADDR_COUNT);
	memcpy(b, ka_v2, sizeof(ka_v2));
	b[23] = 2;	/* the auth data would be read as an address */
	CHECK_EQ(dec(b, sizeof(ka_v2), NULL), VRRP_BAD_ADDR_COUNT);
	CHECK_EQ(pkt.naddrs_present, 1);
	b[23] = 10;
	CHECK_EQ(dec(b, sizeof(ka_v2), NULL), VRRP_BAD_ADDR_COUNT);
	CHECK_EQ(pkt.naddrs_present, 1);

	/* not VRRP: UDP, fragments, not IP */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[9] = 17;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_NOT_VRRP);
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	b[6] = 0x20;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_NOT_VRRP);
	b[0] = 0x55;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_NOT_VRRP);
	memcpy(b, ka_v3_ip6, sizeof(ka_v3_ip6));
	b[6] = 17;
	CHECK_EQ(dec(b, sizeof(ka_v3_ip6), NULL), VRRP_NOT_VRRP);

	/* Ethernet padding after the IP packet is ignored */
	memset(b, 0, sizeof(b));
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	CHECK_EQ(dec(b, 46, NULL), VRRP_OK);
}

static void
test_ipv6_ext_header(void)
{
	uint8_t b[128];

	/* insert an 8-byte hop-by-hop header (PadN) before the VRRP message */
	memcpy(b, ka_v3_ip6, 40);
	b[5] = 0x18 + 8;
	b[6] = 0;	/* next header: hop-by-hop */
	b[40] = 112;
	b[41] = 0;
	b[42] = 1;	/* PadN, 4 bytes */
	b[43] = 4;
	memset(b + 44, 0, 4);
	memcpy(b + 48, ka_v3_ip6 + 40, 24);
	CHECK_EQ(dec(b, 72, NULL), VRRP_OK);
	CHECK_EQ(pkt.vrid, 53);
	/* an extension header running past the packet */
	b[41] = 9;
	CHECK(dec(b, 72, NULL) != VRRP_OK);
}

static void
test_encode_rejects(void)
{
	uint8_t out[VRRP_MAX_LEN];
	struct vrrp_pkt p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.version = 2;
	p.vrid = 1;
	p.priority = 0;
	p.interval_cs = 100;
	p.naddrs = 1;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == 20);
	CHECK(vrrp_encode(&p, 0, out, 19) == -1);
	p.interval_cs = 150;		/* v2: whole seconds only */
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.interval_cs = 25600;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.interval_cs = 100;
	p.family = AF_INET6;		/* v2 over IPv6 */
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.version = 3;
	p.interval_cs = 4095;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == 24);
	p.interval_cs = 4096;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.interval_cs = 0;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.interval_cs = 10;
	p.naddrs = 0;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.naddrs = 256;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.naddrs = 255;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == 8 + 255 * 16);
	p.vrid = 0;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	p.vrid = 1;
	p.version = 4;
	CHECK(vrrp_encode(&p, 0, out, sizeof(out)) == -1);
	/* priority 0 ("master is leaving") encodes and decodes */
	p.version = 3;
	p.naddrs = 1;
	CHECK_EQ(vrrp_encode(&p, 0, out, sizeof(out)), 24);
	CHECK_EQ(out[2], 0);
}

static void
test_names(void)
{
	uint8_t mac[6];

	CHECK_STR(vrrp_verdict_name(VRRP_OK), "ok");
	CHECK_STR(vrrp_verdict_name(VRRP_TRUNCATED), "truncated");
	CHECK_STR(vrrp_verdict_name(VRRP_BAD_VERSION), "bad-version");
	CHECK_STR(vrrp_verdict_name(VRRP_BAD_TYPE), "bad-type");
	CHECK_STR(vrrp_verdict_name(VRRP_BAD_CHECKSUM), "bad-checksum");
	CHECK_STR(vrrp_verdict_name(VRRP_BAD_TTL), "bad-ttl");
	CHECK_STR(vrrp_verdict_name(VRRP_BAD_ADDR_COUNT), "bad-addr-count");
	CHECK_STR(vrrp_verdict_name(VRRP_AUTH_MISMATCH), "auth-mismatch");
	CHECK_STR(vrrp_verdict_name(VRRP_VERDICT_MAX), "unknown");
	CHECK_STR(vrrp_cksum_name(VRRP_CK_PSEUDO), "pseudo-header");
	CHECK_STR(vrrp_cksum_name(VRRP_CK_RFC9568), "rfc9568");
	CHECK_STR(vrrp_cksum_name(VRRP_CK_V2), "v2");
	CHECK_STR(vrrp_cksum_name(VRRP_CK_BAD), "bad");
	vrrp_vmac(AF_INET, 51, mac);
	CHECK(memcmp(mac, "\x00\x00\x5e\x00\x01\x33", 6) == 0);
	vrrp_vmac(AF_INET6, 255, mac);
	CHECK(memcmp(mac, "\x00\x00\x5e\x00\x02\xff", 6) == 0);
}

/* vrrp_set_cksum(): the checksum of a real packet, and after a damage. */
static void
test_set_cksum(void)
{
	uint8_t b[128];

	memcpy(b, ka_v3_ip6, sizeof(ka_v3_ip6));
	CHECK_EQ(dec(b, sizeof(ka_v3_ip6), NULL), VRRP_OK);
	b[46] = b[47] = 0xff;
	vrrp_set_cksum(&pkt, 0, b + 40, sizeof(ka_v3_ip6) - 40);
	CHECK(memcmp(b, ka_v3_ip6, sizeof(ka_v3_ip6)) == 0);
	/* a changed count keeps a right checksum: the count is at fault */
	memcpy(b, ka_v2, sizeof(ka_v2));
	CHECK_EQ(dec(b, sizeof(ka_v2), NULL), VRRP_OK);
	b[23] = 9;
	vrrp_set_cksum(&pkt, 0, b + 20, sizeof(ka_v2) - 20);
	CHECK_EQ(dec(b, sizeof(ka_v2), NULL), VRRP_BAD_ADDR_COUNT);
	/* v3 IPv4: either variant, as the decoder reports it */
	memcpy(b, ka_v3_ip4, sizeof(ka_v3_ip4));
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_OK);
	b[22] = 7;
	vrrp_set_cksum(&pkt, 1, b + 20, sizeof(ka_v3_ip4) - 20);
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_OK);
	CHECK_EQ(pkt.cksum, VRRP_CK_RFC9568);
	CHECK_EQ(pkt.priority, 7);
	vrrp_set_cksum(&pkt, 0, b + 20, sizeof(ka_v3_ip4) - 20);
	CHECK_EQ(dec(b, sizeof(ka_v3_ip4), NULL), VRRP_OK);
	CHECK_EQ(pkt.cksum, VRRP_CK_PSEUDO);
}

/* vrrp_rcv_decode(): what lib/sock received, as the decoder sees it. */
static void
test_rcv_decode(void)
{
	struct vrrp_rcv r;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	memcpy(&r.src.v4, ka_v2 + 12, 4);
	memcpy(&r.dst.v4, ka_v2 + 16, 4);
	r.ttl = 255;
	r.msg = ka_v2 + 20;
	r.msglen = sizeof(ka_v2) - 20;
	CHECK_EQ(vrrp_rcv_decode(&r, &pkt, NULL), VRRP_OK);
	CHECK_EQ(pkt.vrid, 51);
	CHECK_EQ(pkt.ttl, 255);
	r.ttl = 254;
	CHECK_EQ(vrrp_rcv_decode(&r, &pkt, NULL), VRRP_BAD_TTL);
	r.ttl = -1;		/* unknown: not checked */
	CHECK_EQ(vrrp_rcv_decode(&r, &pkt, NULL), VRRP_OK);
	/* cut by a short buffer: truncated, even where the bytes decode */
	r.ttl = 255;
	r.truncated = 1;
	CHECK_EQ(vrrp_rcv_decode(&r, &pkt, NULL), VRRP_TRUNCATED);
	CHECK_EQ(pkt.vrid, 51);
}

int
main(void)
{
	test_real_packets();
	test_rfc9568_variant();
	test_damage();
	test_set_cksum();
	test_rcv_decode();
	test_ipv6_ext_header();
	test_encode_rejects();
	test_names();
	UNIT_DONE();
}
