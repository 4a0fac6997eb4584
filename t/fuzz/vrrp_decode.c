/*
 * libFuzzer target for the VRRP decoder (untrusted input from the wire).
 * Besides "no crash", it checks a property: an advert that decodes as ok
 * re-encodes, and the re-encoded message decodes as ok with equal fields.
 */
#include <stdlib.h>
#include <string.h>

#include "vrrp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrrp_pkt pkt, again;
	static uint8_t out[VRRP_MAX_LEN];
	struct vrrp_expect exp = { .auth_pass = "secret1", .ttl_known = 1 };
	enum vrrp_verdict v;
	int n;

	v = vrrp_decode_ip(data, size, &pkt, NULL);
	(void)vrrp_decode_ip(data, size, &pkt, &exp);
	(void)vrrp_decode_msg(data, size, &again, &exp);
	if ((unsigned)v >= VRRP_VERDICT_MAX)
		abort();
	v = vrrp_decode_ip(data, size, &pkt, NULL);
	if (v != VRRP_OK)
		return 0;
	if (pkt.naddrs != pkt.naddrs_present)
		abort();
	if (pkt.vrid == 0 || pkt.interval_cs == 0)
		return 0;
	n = vrrp_encode(&pkt, pkt.cksum == VRRP_CK_RFC9568, out, sizeof(out));
	if (n <= 0)
		abort();
	memset(&again, 0, sizeof(again));
	again.family = pkt.family;
	again.src = pkt.src;
	again.dst = pkt.dst;
	again.ttl = 255;
	if (vrrp_decode_msg(out, (size_t)n, &again, NULL) != VRRP_OK)
		abort();
	if (again.vrid != pkt.vrid || again.priority != pkt.priority ||
	    again.interval_cs != pkt.interval_cs || again.naddrs != pkt.naddrs ||
	    again.cksum != pkt.cksum)
		abort();
	return 0;
}
