/*
 * The VRRP codec: encode, decode and validate VRRP v2 (RFC 3768) and v3
 * (RFC 5798) advertisements over IPv4 and IPv6. Pure: no sockets, clocks or
 * printing, so tests and fuzzers drive it with byte arrays.
 *
 * Checksums: v2 covers the VRRP message only. v3 covers an IP pseudo-header
 * plus the message; for v3 over IPv4, RFC 9568 (and Cisco/Juniper) leave the
 * pseudo-header out, keepalived/FRR/tshark put it in. We send with it by
 * default and accept both, reporting which one matched.
 */
#ifndef VIPKIT_VRRP_H
#define VIPKIT_VRRP_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define VRRP_PROTO		112
#define VRRP_TTL		255
#define VRRP_TYPE_ADVERT	1
#define VRRP_AUTH_LEN		8	/* v2 auth data: 8-byte plain password */
#define VRRP_AUTH_NONE		0
#define VRRP_AUTH_PASS		1
#define VRRP_MAX_ADDRS		255	/* Count IPvX Addrs is 8 bits */
#define VRRP_V3_MAX_INTERVAL	4095	/* 12 bits of centiseconds */
#define VRRP_HDR_LEN		8
#define VRRP_MAX_LEN		(VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN)
#define VRRP_MCAST4		"224.0.0.18"
#define VRRP_MCAST6		"ff02::12"

enum vrrp_verdict {
	VRRP_OK = 0,
	VRRP_TRUNCATED,		/* cut short: shorter than its IP header says,
				   or than the 8-byte VRRP header */
	VRRP_BAD_VERSION,	/* not 2 or 3, or v2 over IPv6 */
	VRRP_BAD_TYPE,		/* not ADVERTISEMENT (1) */
	VRRP_BAD_CHECKSUM,
	VRRP_BAD_TTL,		/* IPv4 TTL / IPv6 hop limit not 255 */
	VRRP_BAD_ADDR_COUNT,	/* count zero, or more addresses (plus v2
				   auth data) than the complete packet holds */
	VRRP_AUTH_MISMATCH,	/* v2: auth type/password differ from expected */
	VRRP_NOT_VRRP,		/* IP protocol / next header is not 112, or not IP */
	VRRP_VERDICT_MAX
};

/* Which checksum variant matched (v3 IPv4 can match two). */
enum vrrp_cksum {
	VRRP_CK_BAD = 0,	/* none matched */
	VRRP_CK_V2,		/* v2: message only */
	VRRP_CK_PSEUDO,		/* v3 with the IP pseudo-header (the default) */
	VRRP_CK_RFC9568		/* v3 IPv4 without the pseudo-header */
};

/* A decoded (or to-be-encoded) advertisement. */
struct vrrp_pkt {
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		version;	/* 2 or 3 */
	uint8_t		type;
	uint8_t		vrid;
	uint8_t		priority;
	uint16_t	interval_cs;	/* v3 Max_Adver_Int; v2 Adver_Int * 100 */
	uint8_t		auth_type;	/* v2 only */
	uint8_t		auth[VRRP_AUTH_LEN]; /* v2 only, zero padded */
	uint16_t	checksum;	/* as on the wire (host order) */
	enum vrrp_cksum	cksum;		/* decode: which variant matched */
	uint8_t		ttl;		/* decode: TTL / hop limit; 0 if unknown */
	union {				/* IP source / destination */
		struct in_addr	v4;
		struct in6_addr	v6;
	} src, dst;
	int		naddrs;		/* count field (decode: as on the wire) */
	int		naddrs_present;	/* decode: addresses actually parsed */
	union {				/* last: vrrp_pkt_reset() keeps it */
		struct in_addr	v4[VRRP_MAX_ADDRS];
		struct in6_addr	v6[VRRP_MAX_ADDRS];
	} addrs;
};

/* Validation options for decode. */
struct vrrp_expect {
	const char	*auth_pass;	/* v2: require AUTH_PASS with this; NULL: no check */
	int		 ttl_known;	/* 0: skip the TTL check (ttl unknown) */
	int		 auth_none;	/* v2: require auth type 0 (RFC 3768 7.1) */
};

/* "ok", "truncated", "bad-version", "bad-type", "bad-checksum", "bad-ttl",
 * "bad-addr-count", "auth-mismatch", "not-vrrp". */
const char	*vrrp_verdict_name(enum vrrp_verdict);
/* "bad", "v2", "pseudo-header", "rfc9568" */
const char	*vrrp_cksum_name(enum vrrp_cksum);

/* The Internet checksum (RFC 1071) of buf, folded, complemented. */
uint16_t	 vrrp_inet_cksum(const void *buf, size_t len, uint32_t sum);

/*
 * Encode the VRRP message (no IP header: the kernel adds it) from pkt:
 * family, version, vrid, priority, interval_cs, naddrs, addrs, and for v2
 * auth_type/auth; src/dst are used for the v3 pseudo-header. With
 * rfc9568 set, a v3 IPv4 checksum leaves the pseudo-header out.
 * Returns the length written, or -1 when pkt is invalid (v2 over IPv6,
 * v2 interval not whole seconds or > 255 s, v3 interval > 4095 cs,
 * naddrs 0 or > 255) or buf too small.
 */
int	vrrp_encode(const struct vrrp_pkt *pkt, int rfc9568, uint8_t *buf,
	    size_t len);

/*
 * Write the checksum field (bytes 6-7) of the VRRP message msg (len
 * bytes) as vrrp_encode() does, for pkt's version, family, src and dst
 * (and rfc9568 likewise); the field's old value does not count. For a
 * test that changes a header field of an encoded message and wants the
 * checksum to stay right.
 */
void	vrrp_set_cksum(const struct vrrp_pkt *pkt, int rfc9568, uint8_t *msg,
	    size_t len);

/*
 * Zero every field of *pkt but the address array, which is 4 kB and only
 * read up to naddrs_present: the decoders do this per packet instead of
 * clearing the whole struct.
 */
void	vrrp_pkt_reset(struct vrrp_pkt *pkt);

/*
 * Decode the VRRP message at p (len bytes) whose IP header gave family,
 * src, dst and ttl (already set in *pkt by the caller). Fills *pkt (the
 * addresses up to naddrs_present; the rest of the array keeps what it
 * held) and returns the verdict. Never reads past p + len.
 */
enum vrrp_verdict vrrp_decode_msg(const uint8_t *p, size_t len,
	    struct vrrp_pkt *pkt, const struct vrrp_expect *exp);

/*
 * Decode a whole IPv4 or IPv6 packet (starting at the IP header; the
 * version nibble decides) carrying VRRP: parses the IP header (IPv4
 * options; IPv6 extension headers hop-by-hop, routing, destination),
 * sets src, dst and ttl, then decodes the message. Returns VRRP_NOT_VRRP
 * when it is not protocol 112.
 */
enum vrrp_verdict vrrp_decode_ip(const uint8_t *p, size_t len,
	    struct vrrp_pkt *pkt, const struct vrrp_expect *exp);

/* Virtual MAC 00-00-5E-00-01-VRID (IPv4) / 00-00-5E-00-02-VRID (IPv6). */
void	vrrp_vmac(int family, uint8_t vrid, uint8_t mac[6]);

#endif
