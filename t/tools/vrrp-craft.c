/*
 * vrrp-craft: write a pcap file of crafted VRRP packets for the tests and
 * the benchmark. Good packets come from vrrp_encode(); damaged ones are
 * good ones with bytes changed afterwards (checksum recomputed unless the
 * checksum is the damage).
 *
 *   vrrp-craft -o FILE [-l LINK] [--vlan ID]... [-n REPEAT] [-s STEP]
 *       [--seed-dir DIR] SPEC...
 *
 * SPEC is KIND[,KEY=VALUE...]. KIND is a base (v2, v3, v6) or a shortcut:
 *   good-v2, good-v3, good-v3-rfc9568, good-v6, bad-checksum, ttl-254,
 *   truncated, bad-version, bad-type, bad-addr-count, auth (v2, PASS "secret")
 * KEYs: src, vrid, prio, int (seconds, 0.01 steps), addrs (a+b+...),
 *   pass, ttl, t (seconds after the start), cksum (bad|rfc9568),
 *   version, type, count (the on-wire count field), cut (keep only N bytes
 *   of the VRRP message), ipcut (drop the last N bytes of the IP packet
 *   while the IP header keeps the full length, as a short snaplen does).
 * LINK: en10mb (default), sll, sll2, raw, null.
 * Packet k is stamped START + k * STEP (default 1 s) unless it has t=.
 * --seed-dir also writes each frame as DIR/NNN-KIND for the capture_frame
 * fuzz target: one byte selecting the link type, then the frame.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "cli.h"
#include "vrrp.h"

#define START_SEC	1700000000
#define MAX_FRAME	(64 + 40 + VRRP_MAX_LEN)

struct spec {
	char		 kind[32];
	struct vrrp_pkt	 pkt;
	int		 rfc9568, badsum, ttl;
	int		 version, type, count, cut, ipcut;
	long long	 t_cs;		/* -1: by position */
};

/* The link types and the fuzz target's selector byte for each. */
static const struct {
	const char	*name;
	int		 dlt;
	int		 selector;
} links[] = {
	{ "en10mb", DLT_EN10MB, 0 },
	{ "sll", DLT_LINUX_SLL, 1 },
	{ "sll2", DLT_LINUX_SLL2, 2 },
	{ "raw", DLT_RAW, 3 },
	{ "null", DLT_NULL, 4 },
};

static int link_idx;
static int vlans[4], nvlans;

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
parse_addr(struct vrrp_pkt *p, const char *s, void *dst)
{
	if (inet_pton(p->family, s, dst) != 1)
		errx(2, "%s: not an %s address", s,
		    p->family == AF_INET ? "IPv4" : "IPv6");
}

static void
set_addrs(struct spec *sp, const char *list)
{
	char buf[4096], *tok, *save = NULL;
	struct vrrp_pkt *p = &sp->pkt;

	snprintf(buf, sizeof(buf), "%s", list);
	p->naddrs = 0;
	for (tok = strtok_r(buf, "+", &save); tok != NULL;
	    tok = strtok_r(NULL, "+", &save)) {
		if (p->naddrs == VRRP_MAX_ADDRS)
			errx(2, "addrs: more than %d", VRRP_MAX_ADDRS);
		parse_addr(p, tok, p->family == AF_INET ?
		    (void *)&p->addrs.v4[p->naddrs] :
		    (void *)&p->addrs.v6[p->naddrs]);
		p->naddrs++;
	}
}

static void
base(struct spec *sp, const char *b)
{
	struct vrrp_pkt *p = &sp->pkt;

	memset(sp, 0, sizeof(*sp));
	sp->ttl = 255;
	sp->version = sp->type = sp->count = sp->cut = -1;
	sp->t_cs = -1;
	p->vrid = 51;
	p->priority = 100;
	p->interval_cs = 100;
	if (strcmp(b, "v2") == 0) {
		p->family = AF_INET;
		p->version = 2;
	} else if (strcmp(b, "v3") == 0) {
		p->family = AF_INET;
		p->version = 3;
	} else if (strcmp(b, "v6") == 0) {
		p->family = AF_INET6;
		p->version = 3;
	} else
		errx(2, "%s: unknown packet kind", b);
	if (p->family == AF_INET) {
		parse_addr(p, "192.0.2.1", &p->src.v4);
		parse_addr(p, VRRP_MCAST4, &p->dst.v4);
		set_addrs(sp, "192.0.2.100");
	} else {
		parse_addr(p, "fe80::1", &p->src.v6);
		parse_addr(p, VRRP_MCAST6, &p->dst.v6);
		set_addrs(sp, "2001:db8::100");
	}
}

static void
set_key(struct spec *sp, const char *key, const char *val)
{
	struct vrrp_pkt *p = &sp->pkt;
	const char *e;
	long long v;

#define NUM(lo, hi) do {						\
	if (parse_int(val, (lo), (hi), &v, &e) == -1)			\
		errx(2, "%s=%s: %s", key, val, e);			\
} while (0)
	if (strcmp(key, "src") == 0)
		parse_addr(p, val, &p->src);
	else if (strcmp(key, "vrid") == 0) {
		NUM(1, 255);
		p->vrid = (uint8_t)v;
	} else if (strcmp(key, "prio") == 0) {
		NUM(0, 255);
		p->priority = (uint8_t)v;
	} else if (strcmp(key, "int") == 0) {
		if (parse_fixed(val, 2, 1, 25500, &v, &e) == -1)
			errx(2, "int=%s: %s", val, e);
		p->interval_cs = (uint16_t)v;
	} else if (strcmp(key, "addrs") == 0)
		set_addrs(sp, val);
	else if (strcmp(key, "pass") == 0) {
		p->auth_type = VRRP_AUTH_PASS;
		memset(p->auth, 0, sizeof(p->auth));
		memcpy(p->auth, val, strnlen(val, VRRP_AUTH_LEN));
	} else if (strcmp(key, "ttl") == 0) {
		NUM(0, 255);
		sp->ttl = (int)v;
	} else if (strcmp(key, "t") == 0) {
		if (parse_fixed(val, 2, 0, 100000000, &v, &e) == -1)
			errx(2, "t=%s: %s", val, e);
		sp->t_cs = v;
	} else if (strcmp(key, "cksum") == 0) {
		if (strcmp(val, "bad") == 0)
			sp->badsum = 1;
		else if (strcmp(val, "rfc9568") == 0)
			sp->rfc9568 = 1;
		else
			errx(2, "cksum=%s: bad or rfc9568", val);
	} else if (strcmp(key, "version") == 0) {
		NUM(0, 15);
		sp->version = (int)v;
	} else if (strcmp(key, "type") == 0) {
		NUM(0, 15);
		sp->type = (int)v;
	} else if (strcmp(key, "count") == 0) {
		NUM(0, 255);
		sp->count = (int)v;
	} else if (strcmp(key, "cut") == 0) {
		NUM(0, VRRP_MAX_LEN);
		sp->cut = (int)v;
	} else if (strcmp(key, "ipcut") == 0) {
		NUM(1, VRRP_MAX_LEN);
		sp->ipcut = (int)v;
	} else
		errx(2, "%s: unknown key", key);
#undef NUM
}

static void
parse_spec(struct spec *sp, const char *arg)
{
	static const struct {
		const char *name, *base, *keys;
	} shortcuts[] = {
		{ "good-v2", "v2", "" },
		{ "good-v3", "v3", "" },
		{ "good-v3-rfc9568", "v3", "cksum=rfc9568" },
		{ "good-v6", "v6", "" },
		{ "bad-checksum", "v2", "cksum=bad" },
		{ "ttl-254", "v2", "ttl=254" },
		{ "truncated", "v2", "cut=6" },
		{ "bad-version", "v2", "version=4" },
		{ "bad-type", "v2", "type=2" },
		{ "bad-addr-count", "v2", "count=10" },
		{ "auth", "v2", "pass=secret" },
	};
	char buf[8192], *tok, *eq, *save = NULL, keys[64];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", arg);
	tok = strtok_r(buf, ",", &save);
	if (tok == NULL)
		errx(2, "empty packet spec");
	keys[0] = '\0';
	for (i = 0; i < sizeof(shortcuts) / sizeof(shortcuts[0]); i++)
		if (strcmp(tok, shortcuts[i].name) == 0)
			break;
	if (i < sizeof(shortcuts) / sizeof(shortcuts[0])) {
		base(sp, shortcuts[i].base);
		snprintf(keys, sizeof(keys), "%s", shortcuts[i].keys);
	} else
		base(sp, tok);
	snprintf(sp->kind, sizeof(sp->kind), "%s", tok);
	if (keys[0] != '\0') {
		eq = strchr(keys, '=');
		*eq = '\0';
		set_key(sp, keys, eq + 1);
	}
	while ((tok = strtok_r(NULL, ",", &save)) != NULL) {
		if ((eq = strchr(tok, '=')) == NULL)
			errx(2, "%s: expected KEY=VALUE", tok);
		*eq = '\0';
		set_key(sp, tok, eq + 1);
	}
}

/* Build one frame; returns its length. */
static size_t
build(const struct spec *sp, uint8_t *f)
{
	const struct vrrp_pkt *p = &sp->pkt;
	uint8_t msg[VRRP_MAX_LEN], *ip, mac[6];
	int mlen, ethertype, i;
	size_t off = 0, iplen, hl;

	if ((mlen = vrrp_encode(p, sp->rfc9568, msg, sizeof(msg))) < 0)
		errx(2, "%s: vrrp_encode refused the packet", sp->kind);
	if (sp->version >= 0)
		msg[0] = (uint8_t)(sp->version << 4 | (msg[0] & 0x0f));
	if (sp->type >= 0)
		msg[0] = (uint8_t)((msg[0] & 0xf0) | sp->type);
	if (sp->count >= 0)
		msg[3] = (uint8_t)sp->count;
	if (sp->version >= 0 || sp->type >= 0 || sp->count >= 0)
		vrrp_set_cksum(p, sp->rfc9568, msg, (size_t)mlen);
	if (sp->badsum)
		msg[6] ^= 0x5a;
	if (sp->cut >= 0 && sp->cut < mlen)
		mlen = sp->cut;

	ethertype = p->family == AF_INET ? 0x0800 : 0x86dd;
	switch (links[link_idx].dlt) {
	case DLT_EN10MB:
		if (p->family == AF_INET)
			memcpy(f, "\x01\x00\x5e\x00\x00\x12", 6);
		else
			memcpy(f, "\x33\x33\x00\x00\x00\x12", 6);
		vrrp_vmac(p->family, p->vrid, mac);
		memcpy(f + 6, mac, 6);
		off = 12;
		for (i = 0; i < nvlans; i++, off += 4) {
			put16(f + off, i + 1 < nvlans ? 0x88a8 : 0x8100);
			put16(f + off + 2, (unsigned)vlans[i]);
		}
		put16(f + off, (unsigned)ethertype);
		off += 2;
		break;
	case DLT_LINUX_SLL:
		memset(f, 0, 16);
		put16(f, 2);			/* multicast, from somebody else */
		put16(f + 2, 1);		/* ARPHRD_ETHER */
		put16(f + 4, 6);
		vrrp_vmac(p->family, p->vrid, f + 6);
		off = 14;
		for (i = 0; i < nvlans; i++, off += 4) {
			put16(f + off, 0x8100);
			put16(f + off + 2, (unsigned)vlans[i]);
		}
		put16(f + off, (unsigned)ethertype);
		off += 2;
		break;
	case DLT_LINUX_SLL2:
		memset(f, 0, 20);
		put16(f, (unsigned)ethertype);
		f[7] = 2;			/* ifindex */
		put16(f + 8, 1);
		f[10] = 2;
		f[11] = 6;
		vrrp_vmac(p->family, p->vrid, f + 12);
		off = 20;
		break;
	case DLT_NULL:
		put32le(f, p->family == AF_INET ? 2 : 10);
		off = 4;
		break;
	case DLT_RAW:
		off = 0;
		break;
	}

	ip = f + off;
	if (p->family == AF_INET) {
		hl = 20;
		iplen = hl + (size_t)mlen;
		memset(ip, 0, hl);
		ip[0] = 0x45;
		ip[1] = 0xc0;
		put16(ip + 2, (unsigned)iplen);
		ip[8] = (uint8_t)sp->ttl;
		ip[9] = VRRP_PROTO;
		memcpy(ip + 12, &p->src.v4, 4);
		memcpy(ip + 16, &p->dst.v4, 4);
		put16(ip + 10, vrrp_inet_cksum(ip, hl, 0));
	} else {
		hl = 40;
		iplen = hl + (size_t)mlen;
		memset(ip, 0, hl);
		ip[0] = 0x6c;
		put16(ip + 4, (unsigned)mlen);
		ip[6] = VRRP_PROTO;
		ip[7] = (uint8_t)sp->ttl;
		memcpy(ip + 8, &p->src.v6, 16);
		memcpy(ip + 24, &p->dst.v6, 16);
	}
	memcpy(ip + hl, msg, (size_t)mlen);
	off += iplen;
	/* A frame cut short by the capture: no Ethernet padding either. */
	if (sp->ipcut > 0)
		return (size_t)sp->ipcut < iplen ? off - (size_t)sp->ipcut :
		    off - iplen;
	/* Ethernet pads short frames to 60 bytes. */
	if (links[link_idx].dlt == DLT_EN10MB && off < 60) {
		memset(f + off, 0, 60 - off);
		off = 60;
	}
	return off;
}

static void usage(int) __attribute__((noreturn));

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: vrrp-craft -o FILE [-l en10mb|sll|sll2|raw|null] "
	    "[--vlan ID]... [-n REPEAT]\n"
	    "           [-s STEP] [--seed-dir DIR] SPEC...\n"
	    "SPEC: KIND[,KEY=VALUE...]; see the comment at the top of "
	    "t/tools/vrrp-craft.c\n");
	exit(code);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "link", required_argument, NULL, 'l' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "step", required_argument, NULL, 's' },
		{ "seed-dir", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static uint8_t frame[MAX_FRAME];
	const char *out = NULL, *seeddir = NULL;
	struct spec *specs;
	long long repeat = 1, step = 100, r, k = 0, t;
	uint8_t hdr[24], rec[16];
	char path[4096];
	FILE *fp, *sf;
	size_t n, i, len;
	int c;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "o:l:n:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'l':
			for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
				if (strcmp(optarg, links[i].name) == 0)
					break;
			if (i == sizeof(links) / sizeof(links[0]))
				errx(2, "%s: unknown link type", optarg);
			link_idx = (int)i;
			break;
		case 'v':
			if (nvlans == 4)
				errx(2, "at most 4 VLAN tags");
			vlans[nvlans++] = (int)cli_int("--vlan", optarg, 0, 4095);
			break;
		case 'n':
			repeat = cli_int("--repeat", optarg, 1, 10000000);
			break;
		case 's':
			step = cli_fixed("--step", optarg, 2, 0, 100000000);
			break;
		case 'S':
			seeddir = optarg;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (out == NULL || argc == 0)
		usage(2);
	n = (size_t)argc;
	if ((specs = calloc(n, sizeof(*specs))) == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++)
		parse_spec(&specs[i], argv[i]);

	if ((fp = fopen(out, "w")) == NULL)
		err(3, "%s", out);
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	memset(hdr, 0, sizeof(hdr));
	put32le(hdr, 0xa1b2c3d4);
	hdr[4] = 2;			/* version 2.4, little endian */
	hdr[6] = 4;
	put32le(hdr + 16, 65535);
	put32le(hdr + 20, (uint32_t)links[link_idx].dlt);
	fwrite(hdr, 1, sizeof(hdr), fp);
	if (seeddir != NULL)
		mkdir(seeddir, 0755);

	for (r = 0; r < repeat; r++) {
		for (i = 0; i < n; i++, k++) {
			len = build(&specs[i], frame);
			t = specs[i].t_cs >= 0 ? specs[i].t_cs : k * step;
			put32le(rec, (uint32_t)(START_SEC + t / 100));
			put32le(rec + 4, (uint32_t)(t % 100 * 10000));
			put32le(rec + 8, (uint32_t)len);
			put32le(rec + 12, (uint32_t)len);
			fwrite(rec, 1, sizeof(rec), fp);
			fwrite(frame, 1, len, fp);
			if (seeddir == NULL || r > 0)
				continue;
			snprintf(path, sizeof(path), "%s/%03zu-%s-%s", seeddir,
			    i, links[link_idx].name, specs[i].kind);
			if ((sf = fopen(path, "w")) == NULL)
				err(3, "%s", path);
			fputc(links[link_idx].selector, sf);
			fwrite(frame, 1, len, sf);
			if (fclose(sf) != 0)
				err(3, "%s", path);
		}
	}
	if (fclose(fp) != 0)
		err(3, "%s", out);
	free(specs);
	return 0;
}
