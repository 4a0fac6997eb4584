/*
 * VRRP v2 (RFC 3768) and v3 (RFC 5798) codec. Pure: byte arrays in and out.
 *
 * v2 message:  ver|type vrid prio count | auth_type adver_int(s) cksum |
 *              count * IPv4 | 8 bytes auth data
 * v3 message:  ver|type vrid prio count | rsvd(4) max_adver_int(12, cs) cksum |
 *              count * IPv4 or IPv6
 */
#include <sys/socket.h>

#include <stddef.h>
#include <string.h>

#include "vrrp.h"

static const char *const verdict_names[VRRP_VERDICT_MAX] = {
	[VRRP_OK] = "ok",
	[VRRP_TRUNCATED] = "truncated",
	[VRRP_BAD_VERSION] = "bad-version",
	[VRRP_BAD_TYPE] = "bad-type",
	[VRRP_BAD_CHECKSUM] = "bad-checksum",
	[VRRP_BAD_TTL] = "bad-ttl",
	[VRRP_BAD_ADDR_COUNT] = "bad-addr-count",
	[VRRP_AUTH_MISMATCH] = "auth-mismatch",
	[VRRP_NOT_VRRP] = "not-vrrp",
};

const char *
vrrp_verdict_name(enum vrrp_verdict v)
{
	if ((unsigned)v >= VRRP_VERDICT_MAX)
		return "unknown";
	return verdict_names[v];
}

const char *
vrrp_cksum_name(enum vrrp_cksum c)
{
	switch (c) {
	case VRRP_CK_V2:
		return "v2";
	case VRRP_CK_PSEUDO:
		return "pseudo-header";
	case VRRP_CK_RFC9568:
		return "rfc9568";
	case VRRP_CK_BAD:
	default:
		return "bad";
	}
}

/* Add big-endian 16-bit words of buf to sum (unfolded). */
static uint32_t
sum_words(const uint8_t *b, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
vrrp_inet_cksum(const void *buf, size_t len, uint32_t sum)
{
	return fold(sum_words(buf, len, sum));
}

/* Sum of the IPv4 or IPv6 pseudo-header for a VRRP message of len bytes. */
static uint32_t
pseudo_sum(int family, const void *src, const void *dst, size_t len)
{
	uint32_t sum = 0;

	if (family == AF_INET) {
		sum = sum_words(src, 4, sum);
		sum = sum_words(dst, 4, sum);
		sum += VRRP_PROTO;
		sum += (uint32_t)(len & 0xffff);
	} else {
		sum = sum_words(src, 16, sum);
		sum = sum_words(dst, 16, sum);
		sum += (uint32_t)(len >> 16) & 0xffff;
		sum += (uint32_t)len & 0xffff;
		sum += VRRP_PROTO;
	}
	return sum;
}

static size_t
addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

int
vrrp_encode(const struct vrrp_pkt *pkt, int rfc9568, uint8_t *buf, size_t len)
{
	size_t alen, need, off;
	int i;

	if (pkt == NULL || buf == NULL)
		return -1;
	if (pkt->family != AF_INET && pkt->family != AF_INET6)
		return -1;
	if (pkt->version != 2 && pkt->version != 3)
		return -1;
	if (pkt->version == 2 && pkt->family != AF_INET)
		return -1;
	if (pkt->vrid == 0 || pkt->naddrs < 1 || pkt->naddrs > VRRP_MAX_ADDRS)
		return -1;
	if (pkt->version == 2) {
		if (pkt->interval_cs == 0 || pkt->interval_cs % 100 != 0 ||
		    pkt->interval_cs / 100 > 255)
			return -1;
	} else if (pkt->interval_cs == 0 ||
	    pkt->interval_cs > VRRP_V3_MAX_INTERVAL)
		return -1;

	alen = addr_len(pkt->family);
	need = VRRP_HDR_LEN + (size_t)pkt->naddrs * alen +
	    (pkt->version == 2 ? VRRP_AUTH_LEN : 0);
	if (len < need)
		return -1;

	buf[0] = (uint8_t)(pkt->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = pkt->vrid;
	buf[2] = pkt->priority;
	buf[3] = (uint8_t)pkt->naddrs;
	if (pkt->version == 2) {
		buf[4] = pkt->auth_type;
		buf[5] = (uint8_t)(pkt->interval_cs / 100);
	} else {
		buf[4] = (uint8_t)(pkt->interval_cs >> 8 & 0x0f);
		buf[5] = (uint8_t)(pkt->interval_cs & 0xff);
	}
	off = VRRP_HDR_LEN;
	for (i = 0; i < pkt->naddrs; i++, off += alen) {
		if (pkt->family == AF_INET)
			memcpy(buf + off, &pkt->addrs.v4[i], 4);
		else
			memcpy(buf + off, &pkt->addrs.v6[i], 16);
	}
	if (pkt->version == 2) {
		if (pkt->auth_type == VRRP_AUTH_NONE)
			memset(buf + off, 0, VRRP_AUTH_LEN);
		else
			memcpy(buf + off, pkt->auth, VRRP_AUTH_LEN);
	}

	vrrp_set_cksum(pkt, rfc9568, buf, need);
	return (int)need;
}

void
vrrp_set_cksum(const struct vrrp_pkt *pkt, int rfc9568, uint8_t *msg,
    size_t len)
{
	uint16_t ck;

	msg[6] = msg[7] = 0;
	if (pkt->version == 2 || (pkt->family == AF_INET && rfc9568))
		ck = vrrp_inet_cksum(msg, len, 0);
	else
		ck = vrrp_inet_cksum(msg, len,
		    pseudo_sum(pkt->family, &pkt->src, &pkt->dst, len));
	msg[6] = (uint8_t)(ck >> 8);
	msg[7] = (uint8_t)(ck & 0xff);
}

void
vrrp_pkt_reset(struct vrrp_pkt *pkt)
{
	memset(pkt, 0, offsetof(struct vrrp_pkt, addrs));
}

static enum vrrp_verdict
decode_msg(const uint8_t *p, size_t len, struct vrrp_pkt *pkt,
    const struct vrrp_expect *exp, int ttl_known)
{
	size_t alen, need, fit;
	uint8_t pass[VRRP_AUTH_LEN];
	int i;

	/* Keep what the IP layer told us; reset the rest. */
	pkt->version = pkt->type = pkt->vrid = pkt->priority = 0;
	pkt->interval_cs = 0;
	pkt->auth_type = 0;
	memset(pkt->auth, 0, sizeof(pkt->auth));
	pkt->checksum = 0;
	pkt->cksum = VRRP_CK_BAD;
	pkt->naddrs = pkt->naddrs_present = 0;
	if (pkt->family != AF_INET6)
		pkt->family = AF_INET;

	if (len < VRRP_HDR_LEN)
		return VRRP_TRUNCATED;
	pkt->version = p[0] >> 4;
	pkt->type = p[0] & 0x0f;
	pkt->vrid = p[1];
	pkt->priority = p[2];
	pkt->naddrs = p[3];
	pkt->checksum = (uint16_t)(p[6] << 8 | p[7]);
	if (pkt->version == 2) {
		pkt->auth_type = p[4];
		pkt->interval_cs = (uint16_t)(p[5] * 100);
	} else {
		pkt->interval_cs = (uint16_t)((p[4] & 0x0f) << 8 | p[5]);
	}

	alen = addr_len(pkt->family);
	fit = len - VRRP_HDR_LEN;
	if (pkt->version == 2)		/* the auth data is not an address */
		fit = fit > VRRP_AUTH_LEN ? fit - VRRP_AUTH_LEN : 0;
	fit /= alen;
	if (fit > (size_t)pkt->naddrs)
		fit = (size_t)pkt->naddrs;
	for (i = 0; i < (int)fit; i++) {
		if (pkt->family == AF_INET)
			memcpy(&pkt->addrs.v4[i], p + VRRP_HDR_LEN + i * alen, 4);
		else
			memcpy(&pkt->addrs.v6[i], p + VRRP_HDR_LEN + i * alen, 16);
	}
	pkt->naddrs_present = (int)fit;

	if (pkt->version != 2 && pkt->version != 3)
		return VRRP_BAD_VERSION;
	if (pkt->version == 2 && pkt->family == AF_INET6)
		return VRRP_BAD_VERSION;
	if (pkt->type != VRRP_TYPE_ADVERT)
		return VRRP_BAD_TYPE;

	need = VRRP_HDR_LEN + (size_t)pkt->naddrs * alen +
	    (pkt->version == 2 ? VRRP_AUTH_LEN : 0);
	if (pkt->naddrs == 0 || len < need)
		return VRRP_BAD_ADDR_COUNT;
	if (pkt->version == 2)
		memcpy(pkt->auth, p + need - VRRP_AUTH_LEN, VRRP_AUTH_LEN);

	if (pkt->version == 2) {
		if (vrrp_inet_cksum(p, len, 0) == 0)
			pkt->cksum = VRRP_CK_V2;
	} else if (vrrp_inet_cksum(p, len,
	    pseudo_sum(pkt->family, &pkt->src, &pkt->dst, len)) == 0) {
		pkt->cksum = VRRP_CK_PSEUDO;
	} else if (pkt->family == AF_INET && vrrp_inet_cksum(p, len, 0) == 0) {
		pkt->cksum = VRRP_CK_RFC9568;
	}
	if (pkt->cksum == VRRP_CK_BAD)
		return VRRP_BAD_CHECKSUM;

	if (ttl_known && pkt->ttl != VRRP_TTL)
		return VRRP_BAD_TTL;

	/* RFC 3768 7.1: the auth type must match the configured one. */
	if (exp != NULL && exp->auth_none && pkt->version == 2 &&
	    pkt->auth_type != VRRP_AUTH_NONE)
		return VRRP_AUTH_MISMATCH;
	if (exp != NULL && exp->auth_pass != NULL && pkt->version == 2) {
		memset(pass, 0, sizeof(pass));
		memcpy(pass, exp->auth_pass, strnlen(exp->auth_pass,
		    VRRP_AUTH_LEN));
		if (pkt->auth_type != VRRP_AUTH_PASS ||
		    memcmp(pass, pkt->auth, VRRP_AUTH_LEN) != 0)
			return VRRP_AUTH_MISMATCH;
	}
	return VRRP_OK;
}

enum vrrp_verdict
vrrp_decode_msg(const uint8_t *p, size_t len, struct vrrp_pkt *pkt,
    const struct vrrp_expect *exp)
{
	return decode_msg(p, len, pkt, exp, exp != NULL && exp->ttl_known);
}

static int
is_ext_header(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60;	/* hop-by-hop, routing, dest */
}

enum vrrp_verdict
vrrp_decode_ip(const uint8_t *p, size_t len, struct vrrp_pkt *pkt,
    const struct vrrp_expect *exp)
{
	size_t hl, tot, off, end, hlen;
	enum vrrp_verdict v;
	int cut = 0;
	uint8_t nh;

	vrrp_pkt_reset(pkt);
	pkt->family = AF_INET;
	if (len < 1)
		return VRRP_TRUNCATED;

	switch (p[0] >> 4) {
	case 4:
		if (len < 20)
			return VRRP_TRUNCATED;
		hl = (size_t)(p[0] & 0x0f) * 4;
		tot = (size_t)(p[2] << 8 | p[3]);
		if (hl < 20 || tot < hl)
			return VRRP_NOT_VRRP;
		if (p[9] != VRRP_PROTO)
			return VRRP_NOT_VRRP;
		if ((p[6] & 0x3f) != 0 || p[7] != 0)	/* MF or offset */
			return VRRP_NOT_VRRP;
		if (len < hl)
			return VRRP_TRUNCATED;
		pkt->ttl = p[8];
		memcpy(&pkt->src.v4, p + 12, 4);
		memcpy(&pkt->dst.v4, p + 16, 4);
		if (tot > len) {
			cut = 1;
			tot = len;
		}
		v = decode_msg(p + hl, tot - hl, pkt, exp, 1);
		break;
	case 6:
		pkt->family = AF_INET6;
		if (len < 40)
			return VRRP_TRUNCATED;
		end = 40 + (size_t)(p[4] << 8 | p[5]);
		nh = p[6];
		pkt->ttl = p[7];
		memcpy(&pkt->src.v6, p + 8, 16);
		memcpy(&pkt->dst.v6, p + 24, 16);
		if (end > len) {
			cut = 1;
			end = len;
		}
		off = 40;
		while (is_ext_header(nh)) {
			if (off + 2 > end)
				return cut ? VRRP_TRUNCATED : VRRP_NOT_VRRP;
			hlen = ((size_t)p[off + 1] + 1) * 8;
			nh = p[off];
			if (off + hlen > end)
				return cut ? VRRP_TRUNCATED : VRRP_NOT_VRRP;
			off += hlen;
		}
		if (nh != VRRP_PROTO)
			return VRRP_NOT_VRRP;
		v = decode_msg(p + off, end - off, pkt, exp, 1);
		break;
	default:
		return VRRP_NOT_VRRP;
	}
	return cut ? VRRP_TRUNCATED : v;
}

void
vrrp_vmac(int family, uint8_t vrid, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = vrid;
}
