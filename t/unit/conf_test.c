/*
 * The config parser, driven from memory: the structs it fills, the
 * lexer's quoting rules, includes through an in-memory reader (globs,
 * cycles, depth), and the exact FILE:LINE of its messages.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>

#include "conf.h"
#include "unit.h"

/* An in-memory file system for includes. */
struct memfile {
	const char	*path;
	const char	*text;
};

static const struct memfile *memfs;

static int
mem_read(void *arg, const char *path, char **buf, size_t *len)
{
	const struct memfile *m;

	(void)arg;
	for (m = memfs; m->path != NULL; m++) {
		if (strcmp(m->path, path) == 0) {
			*len = strlen(m->text);
			*buf = malloc(*len + 1);
			memcpy(*buf, m->text, *len + 1);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

static int
mem_glob(void *arg, const char *pattern, char ***paths)
{
	const struct memfile *m;
	int n = 0;

	(void)arg;
	*paths = calloc(32, sizeof(**paths));
	for (m = memfs; m->path != NULL && n < 31; m++)
		if (fnmatch(pattern, m->path, FNM_PATHNAME) == 0)
			(*paths)[n++] = strdup(m->path);
	return n;
}

static char *
mem_canon(void *arg, const char *path)
{
	(void)arg;
	return strdup(path);
}

static const struct conf_reader memrd = { mem_read, mem_glob, mem_canon, NULL };

static int
parse(const char *text, struct conf *c)
{
	return conf_parse_mem("t.conf", text, strlen(text), &memrd, c);
}

/* The n-th error text, or "" */
static const char *
errn(const struct conf *c, int n)
{
	return n < c->nerrors ? c->errors[n].text : "";
}

static void
test_full_instance(void)
{
	struct conf c;
	const struct conf_instance *in;
	char a[64];
	int r;

	r = parse(
	    "! comment\n"
	    "global_defs {\n"
	    "  router_id lab1   # trailing comment\n"
	    "  script_user nobody nogroup\n"
	    "  enable_script_security\n"
	    "  vrrp_garp_master_repeat 3\n"
	    "}\n"
	    "vrrp_instance VI_1 {\n"
	    "  state BACKUP\n"
	    "  interface eth0\n"
	    "  virtual_router_id 51\n"
	    "  priority 150\n"
	    "  advert_int 2\n"
	    "  nopreempt\n"
	    "  authentication {\n"
	    "    auth_type PASS\n"
	    "    auth_pass 123456789\n"
	    "  }\n"
	    "  virtual_ipaddress {\n"
	    "    192.0.2.100/24 dev eth1 label eth1:vip\n"
	    "    192.0.2.101\n"
	    "  }\n"
	    "  virtual_ipaddress_excluded {\n"
	    "    2001:db8::100/64\n"
	    "  }\n"
	    "  unicast_src_ip 192.0.2.1\n"
	    "  unicast_peer {\n"
	    "    192.0.2.2\n"
	    "    192.0.2.3\n"
	    "  }\n"
	    "  track_script {\n"
	    "    chk_db weight -20\n"
	    "    chk_db2\n"
	    "  }\n"
	    "  track_interface {\n"
	    "    eth1 weight 5\n"
	    "    eth2\n"
	    "  }\n"
	    "  notify_master \"/usr/local/bin/promote --to 'the master'\" root\n"
	    "  notify /bin/notify\n"
	    "  garp_master_delay 0\n"
	    "  v3_checksum_as_v2 off\n"
	    "}\n"
	    "vrrp_script chk_db {\n"
	    "  script \"/usr/bin/dbcheck -q\"\n"
	    "  interval 1.5\n"
	    "  fall 3\n"
	    "  rise 2\n"
	    "  weight 10\n"
	    "  user nobody\n"
	    "}\n"
	    "vrrp_script chk_db2 {\n"
	    "  script /bin/true\n"
	    "  weight -7\n"
	    "  timeout 0.25\n"
	    "}\n", &c);
	CHECK_EQ(r, 0);
	CHECK_EQ(c.nerrors, 0);
	CHECK_STR(errn(&c, 0), "");
	CHECK_STR(c.g.router_id, "lab1");
	CHECK_STR(c.g.script_user, "nobody");
	CHECK_STR(c.g.script_group, "nogroup");
	CHECK_EQ(c.g.enable_script_security, 1);
	CHECK_EQ(c.g.vrrp_version, 2);
	CHECK_EQ(c.ninstances, 1);
	in = &c.instances[0];
	CHECK_STR(in->name, "VI_1");
	CHECK_STR(in->loc.file, "t.conf");
	CHECK_EQ(in->loc.line, 8);
	CHECK_EQ(in->state_master, 0);
	CHECK_STR(in->interface, "eth0");
	CHECK_EQ(in->vrid, 51);
	CHECK_EQ(in->priority, 150);
	CHECK_EQ(in->advert_cs, 200);
	CHECK_EQ(in->version, 2);
	CHECK_EQ(in->family, AF_INET);
	CHECK_EQ(in->preempt, 0);
	CHECK_EQ(in->auth_type, 1);
	/* Only 8 bytes go on the wire; a warning says so. */
	CHECK_STR(in->auth_pass, "12345678");
	CHECK_EQ(c.nwarnings, 1);
	CHECK_STR(c.warnings[0].text, "t.conf:17: warning: auth_pass: only "
	    "the first 8 characters are used (as keepalived does)");
	CHECK_EQ(in->nvips, 2);
	CHECK_STR(conf_addr_str(&in->vips[0].addr, a, sizeof(a)),
	    "192.0.2.100");
	CHECK_EQ(in->vips[0].addr.prefixlen, 24);
	CHECK_STR(in->vips[0].dev, "eth1");
	CHECK_STR(in->vips[0].label, "eth1:vip");
	CHECK_EQ(in->vips[1].addr.prefixlen, 32);
	CHECK_STR(in->vips[1].dev, "");
	CHECK_EQ(in->nevips, 1);
	CHECK_EQ(in->evips[0].addr.family, AF_INET6);
	CHECK_EQ(in->evips[0].addr.prefixlen, 64);
	CHECK_STR(conf_addr_str(&in->src, a, sizeof(a)), "192.0.2.1");
	CHECK_EQ(in->npeers, 2);
	CHECK_STR(conf_addr_str(&in->peers[1], a, sizeof(a)), "192.0.2.3");
	/* track_script: own weight wins; else the script's. Scripts may be
	 * defined after the instance. */
	CHECK_EQ(in->ntscripts, 2);
	CHECK_EQ(in->tscripts[0].script, 0);
	CHECK_EQ(in->tscripts[0].weight, -20);
	CHECK_EQ(in->tscripts[1].script, 1);
	CHECK_EQ(in->tscripts[1].weight, -7);
	CHECK_EQ(in->ntifs, 2);
	CHECK_STR(in->tifs[0].name, "eth1");
	CHECK_EQ(in->tifs[0].weight, 5);
	CHECK_EQ(in->tifs[1].weight, 0);
	/* Commands: argv split as keepalived does, user after the command. */
	CHECK(in->notify[CONF_NOTIFY_MASTER] != NULL);
	CHECK_EQ(in->notify[CONF_NOTIFY_MASTER]->argc, 3);
	CHECK_STR(in->notify[CONF_NOTIFY_MASTER]->argv[0],
	    "/usr/local/bin/promote");
	CHECK_STR(in->notify[CONF_NOTIFY_MASTER]->argv[2], "the master");
	CHECK(in->notify[CONF_NOTIFY_MASTER]->argv[3] == NULL);
	CHECK_STR(in->notify[CONF_NOTIFY_MASTER]->user, "root");
	CHECK(in->notify[CONF_NOTIFY_BACKUP] == NULL);
	CHECK_STR(in->notify[CONF_NOTIFY_ANY]->argv[0], "/bin/notify");
	/* garp: own value, else global, else keepalived's default. */
	CHECK_EQ(in->garp_master_delay_s, 0);
	CHECK_EQ(in->garp_master_repeat, 3);
	CHECK_EQ(in->garp_master_refresh_s, 0);
	CHECK_EQ(in->garp_master_refresh_repeat, 1);
	CHECK_EQ(in->v3_checksum_as_v2, 0);

	CHECK_EQ(c.nscripts, 2);
	CHECK_STR(c.scripts[0].exec.text, "/usr/bin/dbcheck -q");
	CHECK_EQ(c.scripts[0].exec.argc, 2);
	CHECK_STR(c.scripts[0].exec.user, "nobody");
	CHECK_EQ(c.scripts[0].interval_ms, 1500);
	CHECK_EQ(c.scripts[0].timeout_ms, 1500);
	CHECK_EQ(c.scripts[0].fall, 3);
	CHECK_EQ(c.scripts[0].rise, 2);
	CHECK_EQ(c.scripts[1].interval_ms, 1000);
	CHECK_EQ(c.scripts[1].timeout_ms, 250);
	CHECK_EQ(c.scripts[1].fall, 1);
	CHECK_EQ(conf_find_instance(&c, "VI_1"), 0);
	CHECK_EQ(conf_find_instance(&c, "VI_2"), -1);
	CHECK_EQ(conf_find_script(&c, "chk_db2"), 1);
	conf_free(&c);
}

static void
test_defaults_and_versions(void)
{
	struct conf c;
	int r;

	r = parse(
	    "global_defs {\n vrrp_version 3\n vrrp_min_garp\n}\n"
	    "vrrp_instance A { interface eth0\n virtual_router_id 1\n"
	    " advert_int 0.1\n virtual_ipaddress { 192.0.2.1 }\n}\n"
	    "vrrp_instance B\n{\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n  2001:db8::1\n }\n}\n", &c);
	CHECK_EQ(r, 0);
	CHECK_STR(errn(&c, 0), "");
	CHECK_EQ(c.ninstances, 2);
	CHECK_EQ(c.instances[0].version, 3);
	CHECK_EQ(c.instances[0].advert_cs, 10);
	CHECK_EQ(c.instances[0].priority, 100);
	CHECK_EQ(c.instances[0].preempt, 1);
	CHECK_EQ(c.instances[0].garp_master_repeat, 1);
	CHECK_EQ(c.instances[0].garp_master_delay_s, 0);
	/* Same VRID, other family: fine. The '{' may be on its own line. */
	CHECK_EQ(c.instances[1].family, AF_INET6);
	CHECK_EQ(c.instances[1].version, 3);
	CHECK_EQ(c.instances[1].advert_cs, 100);
	conf_free(&c);

	/* IPv6 under a global vrrp_version 2 is v3, as keepalived does. */
	r = parse("global_defs {\n vrrp_version 2\n}\n"
	    "vrrp_instance B {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n  fe80::1\n }\n}\n", &c);
	CHECK_EQ(r, 0);
	CHECK_EQ(c.instances[0].version, 3);
	CHECK_EQ(c.instances[0].garp_master_delay_s, 5);
	CHECK_EQ(c.instances[0].garp_master_repeat, 5);
	conf_free(&c);

	/* nopreempt with state MASTER: cleared, with a warning. */
	r = parse("vrrp_instance A {\n state MASTER\n nopreempt\n"
	    " preempt_delay 10\n interface eth0\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n",
	    &c);
	CHECK_EQ(r, 0);
	CHECK_EQ(c.instances[0].preempt, 1);
	CHECK_EQ(c.instances[0].preempt_delay_ms, 0);
	CHECK_EQ(c.nwarnings, 2);
	CHECK_STR(c.warnings[0].text, "t.conf:3: warning: nopreempt does "
	    "not work with state MASTER: ignored (use state BACKUP)");
	conf_free(&c);

	/* An owner written as state BACKUP still starts as Master: say so;
	 * an owner with no state keyword is not warned about. */
	r = parse("vrrp_instance A {\n interface eth0\n state BACKUP\n"
	    " priority 255\n virtual_router_id 1\n virtual_ipaddress {\n"
	    " 192.0.2.1\n }\n}\n", &c);
	CHECK_EQ(r, 0);
	CHECK_EQ(c.nwarnings, 1);
	CHECK_STR(c.nwarnings ? c.warnings[0].text : "", "t.conf:3: warning: "
	    "state BACKUP with priority 255: the address owner becomes Master "
	    "at once at start-up (use state MASTER, or a priority below 255 "
	    "for a backup)");
	conf_free(&c);
	r = parse("vrrp_instance A {\n interface eth0\n priority 255\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n",
	    &c);
	CHECK_EQ(r, 0);
	CHECK_EQ(c.nwarnings, 0);
	conf_free(&c);
}

static void
test_duplicate_vips(void)
{
	struct conf c;
	int r;

	r = parse("vrrp_instance A {\n"			/* 1 */
	    " interface eth0\n"
	    " virtual_router_id 1\n"
	    " virtual_ipaddress {\n"
	    "  192.0.2.1/24\n"				/* 5 */
	    "  192.0.2.2 dev eth1\n"			/* 6 */
	    " }\n"
	    " virtual_ipaddress_excluded {\n"
	    "  192.0.2.1 dev eth0\n"			/* 9: same device */
	    "  192.0.2.2\n"				/* 10: eth0, not eth1 */
	    " }\n"
	    "}\n"
	    "vrrp_instance B {\n"			/* 13 */
	    " interface eth0\n"
	    " virtual_router_id 2\n"
	    " virtual_ipaddress {\n"
	    "  192.0.2.2\n"				/* 17 */
	    "  192.0.2.3\n"
	    " }\n"
	    "}\n", &c);
	CHECK_EQ(r, 0);
	CHECK_EQ(c.nwarnings, 2);
	CHECK_STR(c.nwarnings > 0 ? c.warnings[0].text : "", "t.conf:9: "
	    "warning: 192.0.2.1: listed twice (first at line 5)");
	CHECK_STR(c.nwarnings > 1 ? c.warnings[1].text : "", "t.conf:17: "
	    "warning: 192.0.2.2 on eth0: also in vrrp_instance A at t.conf:10; "
	    "whichever is not Master removes it (keep it in one instance)");
	conf_free(&c);
}

static void
test_lexer(void)
{
	struct conf c;
	int r;

	/* Quotes glue to words, keep spaces; escapes inside quotes;
	 * '#' and '!' inside quotes are not comments. */
	r = parse("vrrp_script s {\n"
	    "  script ab\"c d\"'e f'  # comment\n"
	    "}\n"
	    "vrrp_script t {\n"
	    "  script \"printf '%s\\t!#' x\\x41\\101\"\n"
	    "}\n"
	    "vrrp_script u{script \"/bin/true\"}\n", &c);
	CHECK_EQ(r, 0);
	CHECK_STR(errn(&c, 0), "");
	CHECK_EQ(c.nscripts, 3);
	CHECK_STR(c.scripts[0].exec.text, "abc de f");
	/* The text is then split into argv: "abc", "de", "f". */
	CHECK_EQ(c.scripts[0].exec.argc, 3);
	CHECK_STR(c.scripts[1].exec.text, "printf '%s\t!#' xAA");
	CHECK_EQ(c.scripts[1].exec.argc, 3);
	CHECK_STR(c.scripts[1].exec.argv[1], "%s\t!#");
	CHECK_STR(c.scripts[1].exec.argv[2], "xAA");
	CHECK_STR(c.scripts[2].exec.text, "/bin/true");
	conf_free(&c);

	/* A NUL byte and an unterminated quote are errors on their line. */
	{
		static const char buf[] = "vrrp_script s {\n script a\0b\n"
		    " user \"x\n}\n";

		r = conf_parse_mem("n.conf", buf, sizeof(buf) - 1, NULL, &c);
		CHECK_EQ(r, -1);
		CHECK_EQ(c.nerrors, 2);
		CHECK_STR(errn(&c, 0), "n.conf:2: NUL byte in the file");
		CHECK_STR(errn(&c, 1), "n.conf:3: unterminated double quote");
		conf_free(&c);
	}
}

static void
test_errors_collected(void)
{
	struct conf c;
	int r;

	r = parse(
	    "vrrp_instance A {\n"			/* 1 */
	    "  interface eth0\n"
	    "  virtual_router_id 0\n"			/* 3 */
	    "  priority 256\n"				/* 4 */
	    "  smtp_alert\n"				/* 5 */
	    "  virtual_ipaddress {\n"
	    "    192.0.2.300\n"				/* 7 */
	    "    192.0.2.1/33\n"			/* 8 */
	    "    192.0.2.2 brd 192.0.2.255\n"		/* 9 */
	    "    192.0.2.3 label bad:1\n"		/* 10 */
	    "  }\n"
	    "  track_interface {\n"
	    "    averyveryverylongname0\n"		/* 13 */
	    "  }\n"
	    "  notify_master\n"				/* 15 */
	    "}\n"
	    "vrrp_script x {\n"				/* 17 */
	    "  interval 0\n"				/* 18 */
	    "}\n", &c);
	CHECK_EQ(r, -1);
	CHECK_EQ(c.nerrors, 12);
	CHECK_STR(errn(&c, 0), "t.conf:1: vrrp_instance A: no "
	    "virtual_router_id");
	CHECK_STR(errn(&c, 1), "t.conf:3: virtual_router_id '0': too small "
	    "(1 to 255)");
	CHECK_STR(errn(&c, 2), "t.conf:4: priority '256': too large "
	    "(1 to 255)");
	CHECK_STR(errn(&c, 3), "t.conf:5: unsupported keyword 'smtp_alert' "
	    "in vrrp_instance");
	CHECK_STR(errn(&c, 4), "t.conf:7: virtual_ipaddress '192.0.2.300': "
	    "not an address");
	CHECK_STR(errn(&c, 5), "t.conf:8: virtual_ipaddress '192.0.2.1/33': "
	    "prefix length must be 1 to 32");
	CHECK_STR(errn(&c, 6), "t.conf:9: address option 'brd' is not "
	    "supported (only dev and label)");
	CHECK_STR(errn(&c, 7), "t.conf:10: label 'bad:1' on eth0: label must "
	    "be the interface name or start with 'IFACE:'");
	CHECK_STR(errn(&c, 8), "t.conf:13: track_interface "
	    "'averyveryverylongname0': not a valid interface name (at most 15 "
	    "characters, no '/')");
	CHECK_STR(errn(&c, 9), "t.conf:15: notify_master: expected 1 to 3 "
	    "arguments, got 0");
	CHECK_STR(errn(&c, 10), "t.conf:17: vrrp_script x: no script");
	CHECK_STR(errn(&c, 11), "t.conf:18: interval '0': too small (0.001 to "
	    "86400.000 seconds)");
	conf_free(&c);

	/* Duplicate names. */
	r = parse("vrrp_script x {\n script /bin/true\n}\n"
	    "vrrp_script x {\n script /bin/false\n}\n", &c);
	CHECK_STR(errn(&c, 0), "t.conf:4: vrrp_script x: already defined at "
	    "t.conf:1");
	conf_free(&c);

	/* Unicast instances with disjoint peers may share a VRID. */
	r = parse("vrrp_instance A {\n interface eth0\n virtual_router_id 9\n"
	    " virtual_ipaddress {\n 192.0.2.1\n }\n unicast_peer {\n"
	    " 192.0.2.2\n }\n}\n"
	    "vrrp_instance B {\n interface eth0\n virtual_router_id 9\n"
	    " virtual_ipaddress {\n 192.0.2.3\n }\n unicast_peer {\n"
	    " 192.0.2.4\n }\n}\n", &c);
	CHECK_EQ(r, 0);
	CHECK_STR(errn(&c, 0), "");
	conf_free(&c);

	/* Addresses follow lib/addr's rules (vip-add's): no unspecified,
	 * multicast or broadcast address anywhere, labels IFNAME[:X]. */
	r = parse("vrrp_instance A {\n"				/* 1 */
	    " interface eth0\n"
	    " virtual_router_id 9\n"
	    " virtual_ipaddress {\n"
	    "  0.0.0.0/24\n"					/* 5 */
	    "  192.0.2.5 label eth0x\n"			/* 6 */
	    "  192.0.2.6\n"
	    " }\n"
	    " virtual_ipaddress_excluded {\n"
	    "  255.255.255.255\n"				/* 10 */
	    " }\n"
	    " unicast_src_ip ff02::1\n"			/* 12 */
	    " unicast_peer {\n"
	    "  224.0.0.18\n"					/* 14 */
	    "  192.0.2.7/24\n"					/* 15 */
	    "  192.0.2.8\n"
	    " }\n"
	    "}\n", &c);
	CHECK_EQ(r, -1);
	CHECK_EQ(c.nerrors, 6);
	CHECK_STR(errn(&c, 0), "t.conf:5: virtual_ipaddress '0.0.0.0/24': the "
	    "unspecified address is not usable");
	CHECK_STR(errn(&c, 1), "t.conf:6: label 'eth0x' on eth0: label must be "
	    "the interface name or start with 'IFACE:'");
	CHECK_STR(errn(&c, 2), "t.conf:10: virtual_ipaddress_excluded "
	    "'255.255.255.255': the broadcast address is not usable");
	CHECK_STR(errn(&c, 3), "t.conf:12: unicast_src_ip 'ff02::1': a "
	    "multicast address is not usable");
	CHECK_STR(errn(&c, 4), "t.conf:14: unicast_peer '224.0.0.18': a "
	    "multicast address is not usable");
	CHECK_STR(errn(&c, 5), "t.conf:15: unicast_peer '192.0.2.7/24': takes "
	    "an address without a prefix length");
	conf_free(&c);
}

static void
test_includes(void)
{
	static const struct memfile fs[] = {
		{ "/etc/k/main.conf",
		    "global_defs {\n router_id r1\n}\n"
		    "include conf.d/*.conf\n"
		    "include /etc/k/none/*.conf\n" },
		{ "/etc/k/conf.d/10-script.conf",
		    "vrrp_script chk {\n script /bin/true\n}\n" },
		{ "/etc/k/conf.d/20-inst.conf",
		    "vrrp_instance V {\n interface eth0\n"
		    " include parts/vrid.inc\n"
		    " virtual_ipaddress {\n 192.0.2.1\n }\n"
		    " track_script {\n chk\n }\n bogus\n}\n" },
		{ "/etc/k/conf.d/parts/vrid.inc", "virtual_router_id 42\n" },
		{ "/etc/k/cycle.conf", "include cycle.conf\n" },
		{ "/etc/k/missing.conf", "include nothere.conf\n" },
		{ NULL, NULL }
	};
	struct conf c;
	int r;

	memfs = fs;
	r = conf_load("/etc/k/main.conf", &memrd, &c);
	CHECK_EQ(r, -1);
	CHECK_EQ(c.ninstances, 1);
	CHECK_EQ(c.instances[0].vrid, 42);
	CHECK_EQ(c.instances[0].tscripts[0].script, 0);
	CHECK_STR(c.g.router_id, "r1");
	/* An error inside an included file names that file and line. */
	CHECK_EQ(c.nerrors, 1);
	CHECK_STR(errn(&c, 0), "/etc/k/conf.d/20-inst.conf:10: unsupported "
	    "keyword 'bogus' in vrrp_instance");
	/* A glob matching nothing is a warning. */
	CHECK_EQ(c.nwarnings, 1);
	CHECK_STR(c.warnings[0].text, "/etc/k/main.conf:5: warning: include "
	    "/etc/k/none/*.conf: no file matches");
	CHECK_EQ(c.nfiles, 4);
	conf_free(&c);

	r = conf_load("/etc/k/cycle.conf", &memrd, &c);
	CHECK_EQ(r, -1);
	CHECK_STR(errn(&c, 0), "/etc/k/cycle.conf:1: include /etc/k/cycle.conf: "
	    "include cycle");
	conf_free(&c);

	r = conf_load("/etc/k/missing.conf", &memrd, &c);
	CHECK_STR(errn(&c, 0), "/etc/k/missing.conf:1: include "
	    "/etc/k/nothere.conf: no such file");
	conf_free(&c);

	/* Without a reader, include is an error, not a file access. */
	r = conf_parse_mem("m", "include x\n", 10, NULL, &c);
	CHECK_STR(errn(&c, 0), "m:1: include: not available here");
	conf_free(&c);
}

/* A chain deeper than CONF_INCLUDE_DEPTH is cut off with an error. */
static void
test_include_depth(void)
{
	static char text[CONF_INCLUDE_DEPTH + 2][32];
	static char path[CONF_INCLUDE_DEPTH + 2][16];
	static struct memfile fs[CONF_INCLUDE_DEPTH + 3];
	struct conf c;
	int i, r;

	for (i = 0; i <= CONF_INCLUDE_DEPTH + 1; i++) {
		snprintf(path[i], sizeof(path[i]), "/d/%d", i);
		snprintf(text[i], sizeof(text[i]), "include %d\n", i + 1);
		fs[i].path = path[i];
		fs[i].text = text[i];
	}
	fs[i].path = NULL;
	memfs = fs;
	r = conf_load("/d/0", &memrd, &c);
	CHECK_EQ(r, -1);
	CHECK_EQ(c.nerrors, 1);
	CHECK_STR(errn(&c, 0), "/d/7:1: include /d/8: nested more than 8 "
	    "levels deep");
	conf_free(&c);
}

int
main(void)
{
	test_full_instance();
	test_defaults_and_versions();
	test_lexer();
	test_errors_collected();
	test_duplicate_vips();
	test_includes();
	test_include_depth();
	UNIT_DONE();
}
