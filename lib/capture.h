/*
 * VRRP capture: a libpcap wrapper for a live interface or a pcap file with
 * a BPF filter for IP protocol / IPv6 next header 112, and a pure function
 * that strips the link layer of a captured frame and decodes the VRRP
 * packet inside it.
 */
#ifndef VIPKIT_CAPTURE_H
#define VIPKIT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "vrrp.h"

/*
 * Link-layer types are pcap's DLT_ values (<pcap/dlt.h>): DLT_EN10MB (with
 * 802.1Q / 802.1ad / QinQ tags), DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
 * DLT_IPV4, DLT_IPV6, DLT_NULL and DLT_LOOP.
 */
#define CAPTURE_MAX_VLAN_TAGS	4	/* 802.1Q / QinQ tags skipped at most */

/* The BPF filter (also with up to two VLAN tags on Ethernet). */
#define CAPTURE_FILTER \
	"ip proto 112 or ip6 proto 112 or (vlan and (ip proto 112 or " \
	"ip6 proto 112 or (vlan and (ip proto 112 or ip6 proto 112))))"
#define CAPTURE_FILTER_PLAIN	"ip proto 112 or ip6 proto 112"

/* Returns 1 when the decoder understands link-layer type dlt. Pure. */
int	capture_dlt_supported(int dlt);

/*
 * Find the IP packet in a frame of link-layer type dlt: returns its offset
 * in frame, or -1 when the frame is not IPv4/IPv6 (or too short for its
 * link-layer header). Pure.
 */
long	capture_ip_offset(int dlt, const uint8_t *frame, size_t caplen);

/*
 * Strip the link layer and decode the VRRP packet inside: the verdict of
 * vrrp_decode_ip(), or VRRP_NOT_VRRP when the frame carries no IP.
 * Never reads past frame + caplen. Pure.
 */
enum vrrp_verdict capture_decode_frame(int dlt, const uint8_t *frame,
	    size_t caplen, struct vrrp_pkt *pkt, const struct vrrp_expect *exp);

struct capture {
	void		*pcap;		/* pcap_t */
	int		 dlt;
	int		 live;
	int		 fd;		/* live: selectable descriptor */
	char		 name[256];	/* interface or file, for messages */
};

/* Frame returned by capture_next(); valid until the next call. */
struct capture_frame {
	const uint8_t	*data;
	size_t		 caplen;
	size_t		 len;		/* length on the wire */
	struct timeval	 ts;
};

/*
 * Open a live capture on interface ifname (promiscuous, immediate mode,
 * non-blocking, with the VRRP filter in the kernel) or a pcap/pcapng file
 * (every frame is returned; capture_decode_frame() says VRRP_NOT_VRRP).
 * On failure returns -1 with a message in err that names the interface
 * or file and says why ("eth9: no such device exists (...)").
 */
int	capture_open_live(struct capture *, const char *ifname, char *err,
	    size_t errlen);
int	capture_open_file(struct capture *, const char *path, char *err,
	    size_t errlen);

/*
 * Next frame: 1 with *f filled, 0 when no frame is ready now (live:
 * poll capture->fd), -1 at the end of a file, -2 on error (err set).
 */
int	capture_next(struct capture *, struct capture_frame *f, char *err,
	    size_t errlen);

/* Frames the kernel dropped (live), or 0. */
unsigned long	capture_dropped(struct capture *);

void	capture_close(struct capture *);

#endif
