/*
 * libFuzzer target for vrrp-listen's receive path: a captured frame of any
 * supported link type goes through link-layer stripping and the VRRP
 * decoder, and ok packets feed the --watch table. The first input byte
 * picks the link type (the selector vrrp-craft --seed-dir writes), the
 * rest is the frame. Properties: the IP offset lies inside the frame, and
 * decoding the frame equals decoding the IP packet at that offset.
 */
#include <sys/socket.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "capture.h"
#include "watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL,
	DLT_LOOP, DLT_IPV4, DLT_IPV6
};

/* Equal fields, and equal addresses as far as they were decoded. */
static int
same_pkt(const struct vrrp_pkt *a, const struct vrrp_pkt *b)
{
	size_t alen = a->family == AF_INET6 ? 16 : 4;

	return memcmp(a, b, offsetof(struct vrrp_pkt, addrs)) == 0 &&
	    memcmp(&a->addrs, &b->addrs,
	    (size_t)a->naddrs_present * alen) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrrp_pkt pkt, direct;
	static struct watch w;
	static int64_t now;
	static int init;
	struct watch_event ev[WATCH_MAX_EVENTS];
	struct vrrp_expect exp = { .auth_pass = "secret", .ttl_known = 1 };
	enum vrrp_verdict v, v2;
	long off;
	int dlt, n, i;

	if (!init) {
		watch_init(&w);
		init = 1;
	}
	if (size < 1)
		return 0;
	dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	data++;
	size--;

	off = capture_ip_offset(dlt, data, size);
	if (off > (long)size)
		abort();
	v = capture_decode_frame(dlt, data, size, &pkt, NULL);
	if ((unsigned)v >= VRRP_VERDICT_MAX)
		abort();
	if (off < 0) {
		if (v != VRRP_NOT_VRRP)
			abort();
		return 0;
	}
	v2 = vrrp_decode_ip(data + off, size - (size_t)off, &direct, NULL);
	if (v2 != v || !same_pkt(&pkt, &direct))
		abort();
	(void)capture_decode_frame(dlt, data, size, &direct, &exp);
	if (v != VRRP_OK)
		return 0;
	now += 1 + (pkt.priority & 0x3f) * 37;
	n = watch_feed(&w, &pkt, now, ev);
	if (n < 0 || n > WATCH_MAX_EVENTS)
		abort();
	for (i = 0; i < n; i++)
		if (ev[i].vrid != pkt.vrid || ev[i].family != pkt.family)
			abort();
	return 0;
}
