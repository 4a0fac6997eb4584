#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture.h"

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_8021Q	0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_QINQ	0x9100	/* pre-standard QinQ */

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int
capture_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_NULL:
	case DLT_EN10MB:
	case DLT_RAW:
	case DLT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_IPV4:
	case DLT_IPV6:
		return 1;
	}
	return 0;
}

/*
 * The ethertype at off, after any VLAN tags: returns the offset of the
 * payload when it is IPv4 or IPv6, else -1. Each tag is TPID + TCI, and
 * the TPID sits where the ethertype would be.
 */
static long
after_ethertype(const uint8_t *frame, size_t caplen, size_t off)
{
	unsigned type;
	int tags = 0;

	for (;;) {
		if (caplen < off + 2)
			return -1;
		type = get16(frame + off);
		if (type != ETHERTYPE_8021Q && type != ETHERTYPE_8021AD &&
		    type != ETHERTYPE_QINQ)
			break;
		if (++tags > CAPTURE_MAX_VLAN_TAGS)
			return -1;
		off += 4;
	}
	if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6)
		return -1;
	return (long)(off + 2);
}

/* BSD loopback address family values for IPv4 and IPv6 (any BSD, Linux). */
static int
null_family_is_ip(uint32_t af)
{
	return af == 2 || af == 10 || af == 24 || af == 28 || af == 30;
}

long
capture_ip_offset(int dlt, const uint8_t *frame, size_t caplen)
{
	uint32_t le, be;

	switch (dlt) {
	case DLT_EN10MB:
		/* dst MAC, src MAC, then the ethertype at 12 */
		return after_ethertype(frame, caplen, 12);
	case DLT_LINUX_SLL:
		/* packet type, ARPHRD, address length, 8-byte address, protocol */
		return after_ethertype(frame, caplen, 14);
	case DLT_LINUX_SLL2:
		/* protocol, reserved, ifindex, ARPHRD, type, addr len, address */
		if (caplen < 20)
			return -1;
		switch (get16(frame)) {
		case ETHERTYPE_IPV4:
		case ETHERTYPE_IPV6:
			return 20;
		}
		return -1;
	case DLT_NULL:
	case DLT_LOOP:
		if (caplen < 4)
			return -1;
		le = (uint32_t)frame[0] | (uint32_t)frame[1] << 8 |
		    (uint32_t)frame[2] << 16 | (uint32_t)frame[3] << 24;
		be = (uint32_t)frame[3] | (uint32_t)frame[2] << 8 |
		    (uint32_t)frame[1] << 16 | (uint32_t)frame[0] << 24;
		/* DLT_NULL is in the capturing host's order: accept either. */
		if (null_family_is_ip(dlt == DLT_LOOP ? be : le) ||
		    (dlt == DLT_NULL && null_family_is_ip(be)))
			return 4;
		return -1;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		if (caplen < 1)
			return -1;
		switch (frame[0] >> 4) {
		case 4:
			return dlt == DLT_IPV6 ? -1 : 0;
		case 6:
			return dlt == DLT_IPV4 ? -1 : 0;
		}
		return -1;
	}
	return -1;
}

enum vrrp_verdict
capture_decode_frame(int dlt, const uint8_t *frame, size_t caplen,
    struct vrrp_pkt *pkt, const struct vrrp_expect *exp)
{
	long off;

	off = capture_ip_offset(dlt, frame, caplen);
	if (off < 0)
		return VRRP_NOT_VRRP;
	return vrrp_decode_ip(frame + off, caplen - (size_t)off, pkt, exp);
}

static int
set_filter(struct capture *c, char *err, size_t errlen)
{
	struct bpf_program prog;
	pcap_t *p = c->pcap;

	/* Link types without VLAN support reject the full filter. */
	if (pcap_compile(p, &prog, CAPTURE_FILTER, 1,
	    PCAP_NETMASK_UNKNOWN) == -1 &&
	    pcap_compile(p, &prog, CAPTURE_FILTER_PLAIN, 1,
	    PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "%s: cannot compile the VRRP filter: %s",
		    c->name, pcap_geterr(p));
		return -1;
	}
	if (pcap_setfilter(p, &prog) == -1) {
		snprintf(err, errlen, "%s: cannot set the VRRP filter: %s",
		    c->name, pcap_geterr(p));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

static void
fail(struct capture *c, char *err, size_t errlen, const char *what,
    const char *why)
{
	snprintf(err, errlen, "%s: %s%s", c->name, what, why);
	if (c->pcap != NULL)
		pcap_close(c->pcap);
	c->pcap = NULL;
}

static void
init(struct capture *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	snprintf(c->name, sizeof(c->name), "%s", name);
}

/* Take the link type of the open capture; fail unless we decode it. */
static int
link_type(struct capture *c, char *err, size_t errlen)
{
	const char *name;

	c->dlt = pcap_datalink(c->pcap);
	if (capture_dlt_supported(c->dlt))
		return 0;
	name = pcap_datalink_val_to_name(c->dlt);
	fail(c, err, errlen, "unsupported link-layer type ",
	    name != NULL ? name : "(unknown)");
	return -1;
}

int
capture_open_live(struct capture *c, const char *ifname, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	const char *why;
	pcap_t *p;
	int rc;

	init(c, ifname);
	c->live = 1;
	if ((p = pcap_create(ifname, ebuf)) == NULL) {
		fail(c, err, errlen, "cannot capture: ", ebuf);
		return -1;
	}
	c->pcap = p;
	if (pcap_set_snaplen(p, 65535) != 0 || pcap_set_promisc(p, 1) != 0 ||
	    pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_timeout(p, 100) != 0) {
		fail(c, err, errlen, "cannot set capture options: ",
		    pcap_geterr(p));
		return -1;
	}
	rc = pcap_activate(p);
	if (rc < 0) {
		/* pcap's message names the problem; fall back to its status. */
		why = pcap_geterr(p);
		if (why == NULL || *why == '\0')
			why = pcap_statustostr(rc);
		if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			fail(c, err, errlen, "no such interface: ", why);
		else if (rc == PCAP_ERROR_PERM_DENIED)
			fail(c, err, errlen, "permission denied: ", why);
		else if (rc == PCAP_ERROR_IFACE_NOT_UP)
			fail(c, err, errlen, "interface is down: ", why);
		else
			fail(c, err, errlen, "cannot capture: ", why);
		return -1;
	}
	if (link_type(c, err, errlen) == -1)
		return -1;
	if (set_filter(c, err, errlen) == -1) {
		pcap_close(p);
		c->pcap = NULL;
		return -1;
	}
	if (pcap_setnonblock(p, 1, ebuf) == -1) {
		fail(c, err, errlen, "cannot set non-blocking mode: ", ebuf);
		return -1;
	}
	if ((c->fd = pcap_get_selectable_fd(p)) == -1) {
		fail(c, err, errlen, "cannot capture: ",
		    "no selectable descriptor");
		return -1;
	}
	return 0;
}

int
capture_open_file(struct capture *c, const char *path, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	const char *why;
	pcap_t *p;
	size_t n;

	init(c, path);
	if ((p = pcap_open_offline(path, ebuf)) == NULL) {
		/* pcap may already have put the path in front. */
		why = ebuf;
		n = strlen(path);
		if (strncmp(why, path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
			why += n + 2;
		fail(c, err, errlen, "", why);
		return -1;
	}
	c->pcap = p;
	if (link_type(c, err, errlen) == -1)
		return -1;
	/*
	 * No BPF filter on a file: the frame decoder rejects what is not
	 * VRRP faster than the BPF interpreter, and it also understands
	 * encapsulations that pcap's filter language does not (VLAN tags in
	 * Linux cooked captures).
	 */
	return 0;
}

int
capture_next(struct capture *c, struct capture_frame *f, char *err,
    size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	rc = pcap_next_ex(c->pcap, &h, &data);
	switch (rc) {
	case 1:
		f->data = data;
		f->caplen = h->caplen;
		f->len = h->len;
		f->ts = h->ts;
		return 1;
	case 0:
		return 0;
	case PCAP_ERROR_BREAK:
		return -1;
	}
	snprintf(err, errlen, "%s: %s", c->name, pcap_geterr(c->pcap));
	return -2;
}

unsigned long
capture_dropped(struct capture *c)
{
	struct pcap_stat st;

	if (!c->live || c->pcap == NULL || pcap_stats(c->pcap, &st) != 0)
		return 0;
	return st.ps_drop;
}

void
capture_close(struct capture *c)
{
	if (c->pcap != NULL)
		pcap_close(c->pcap);
	c->pcap = NULL;
	c->fd = -1;
}
