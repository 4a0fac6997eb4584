/*
 * The config parser: the VRRP part of keepalived.conf, read unchanged.
 *
 * Syntax: blocks in braces, '#' and '!' comments, quoted strings with
 * keepalived's escapes, `include PATTERN` (glob(3) with braces, relative to
 * the including file's directory) anywhere a line may start. Every keyword
 * that is accepted is implemented; any other keyword is an error naming
 * FILE:LINE, never silently ignored. All problems are collected, not only
 * the first.
 *
 * Pure apart from file reading, which goes through a struct conf_reader
 * (conf_reader_files() reads real files); nothing is printed.
 */
#ifndef VIPKIT_CONF_H
#define VIPKIT_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

#define CONF_INCLUDE_DEPTH	8	/* nested include levels */
#define CONF_MAX_VIPS		255	/* the advert's address count is 8 bits */
#define CONF_AUTH_PASS_LEN	8	/* v2 PASS: only 8 bytes go on the wire */

/* An IPv4 or IPv6 address, with a prefix length where one applies. */
struct conf_addr {
	int		family;		/* AF_INET, AF_INET6; 0 = unset */
	int		prefixlen;	/* 0..32 / 0..128 */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
		uint8_t		bytes[16];	/* network order: 4 or 16 used */
	} u;
};

/* Where something was written. file points into struct conf's file list. */
struct conf_loc {
	const char	*file;
	int		 line;
};

/* A problem found: text is "FILE:LINE: message" (warnings:
 * "FILE:LINE: warning: message"). */
struct conf_msg {
	struct conf_loc	 loc;
	char		*text;
};

/*
 * A command to run (vrrp_script script, notify_*): text as written, argv
 * split as keepalived does (unquoted whitespace separates arguments,
 * single or double quotes group them, backslash escapes). No shell.
 */
struct conf_exec {
	char		*text;
	char	       **argv;		/* NULL-terminated, argc entries */
	int		 argc;
	char		*user;		/* NULL: global script_user */
	char		*group;		/* NULL: the user's group */
	struct conf_loc	 loc;
};

struct conf_script {
	char		*name;
	struct conf_exec exec;		/* exec.text NULL: no script given */
	int64_t		 interval_ms;	/* default 1000 */
	int64_t		 timeout_ms;	/* default: the interval */
	int		 fall;		/* failures to KO, default 1 */
	int		 rise;		/* successes to OK, default 1 */
	int		 weight;	/* -253..253, default 0 (0 = FAULT) */
	int		 init_fail;	/* start in the failed state */
	struct conf_loc	 loc;
};

/* A line of track_script { NAME [weight N] }. */
struct conf_track_script {
	char		*name;
	int		 script;	/* index in conf->scripts */
	int		 weight;	/* effective: own if given, else the script's */
	int		 own_weight;	/* weight given on this line */
	struct conf_loc	 loc;
};

/* A line of track_interface { IFNAME [weight N] }. */
struct conf_track_if {
	char		 name[IF_NAMESIZE];
	int		 weight;	/* 0: link down = FAULT */
	struct conf_loc	 loc;
};

/* A line of virtual_ipaddress(_excluded): ADDR[/LEN] [dev IF] [label L]. */
struct conf_vip {
	struct conf_addr addr;		/* prefixlen default 32 / 128 */
	char		 dev[IF_NAMESIZE];	/* "": the instance interface */
	char		 label[IF_NAMESIZE];	/* "": none */
	struct conf_loc	 loc;
};

enum conf_notify {
	CONF_NOTIFY_MASTER,
	CONF_NOTIFY_BACKUP,
	CONF_NOTIFY_FAULT,
	CONF_NOTIFY_STOP,
	CONF_NOTIFY_ANY,		/* `notify`: gets INSTANCE NAME STATE PRIO */
	CONF_NOTIFY_MAX
};

struct conf_instance {
	char		*name;
	struct conf_loc	 loc;
	int		 state_master;	/* `state MASTER` (the initial wish) */
	char		 interface[IF_NAMESIZE];
	int		 vrid;		/* 1..255 */
	int		 priority;	/* 1..255, default 100; 255 = owner */
	int		 version;	/* 2 or 3, resolved (IPv6: 3) */
	int		 family;	/* AF_INET / AF_INET6, from the VIPs */
	int		 advert_cs;	/* advertisement interval, centiseconds */
	int		 preempt;	/* 1 unless nopreempt */
	int64_t		 preempt_delay_ms;
	int		 auth_type;	/* 0 none, 1 PASS (v2 only) */
	char		 auth_pass[CONF_AUTH_PASS_LEN + 1];
	struct conf_vip	*vips;		/* virtual_ipaddress: in the advert */
	int		 nvips;
	struct conf_vip	*evips;		/* virtual_ipaddress_excluded */
	int		 nevips;
	struct conf_addr src;		/* unicast_src_ip / mcast_src_ip; family 0 = primary */
	struct conf_addr *peers;	/* unicast_peer: non-empty = unicast */
	int		 npeers;
	struct conf_track_script *tscripts;
	int		 ntscripts;
	struct conf_track_if *tifs;
	int		 ntifs;
	struct conf_exec *notify[CONF_NOTIFY_MAX];	/* NULL: none */
	int		 garp_master_delay_s;	/* second GARP burst after N s, 0 = none */
	int		 garp_master_repeat;	/* GARPs per burst */
	int		 garp_master_refresh_s;	/* 0 = no periodic GARP */
	int		 garp_master_refresh_repeat;
	int		 v3_checksum_as_v2;	/* v3 IPv4: checksum without pseudo-header */
	int		 dont_track_primary;	/* interface down does not mean FAULT */
};

struct conf_globals {
	char		*router_id;	/* NULL: the host name */
	int		 vrrp_version;	/* default 2 */
	char		*script_user;	/* NULL: keepalived_script if it exists, else root */
	char		*script_group;
	int		 enable_script_security;
	int		 garp_master_delay_s;	/* default 5 */
	int		 garp_master_repeat;	/* default 5 */
	int		 garp_master_refresh_s;	/* default 0 */
	int		 garp_master_refresh_repeat;	/* default 1 */
	int64_t		 garp_interval_us;	/* between GARPs, default 0 */
	int64_t		 gna_interval_us;	/* between unsolicited NAs, default 0 */
};

struct conf {
	struct conf_globals	 g;
	struct conf_script	*scripts;
	int			 nscripts;
	struct conf_instance	*instances;
	int			 ninstances;
	char		       **files;		/* every file read (for conf_loc.file) */
	int			 nfiles;
	struct conf_msg		*errors;	/* the config is valid iff nerrors == 0 */
	int			 nerrors;
	struct conf_msg		*warnings;	/* accepted, but worth saying */
	int			 nwarnings;
};

/*
 * How the parser reads files. read: the whole file into a malloc'd buffer;
 * 0, or -1 with errno set. glob: expand pattern into a malloc'd array of
 * malloc'd paths, sorted; returns the count (0 = no match), -1 with errno.
 * canon: a canonical name of path (for include cycle detection), malloc'd;
 * NULL when it cannot be resolved.
 */
struct conf_reader {
	int	(*read)(void *arg, const char *path, char **buf, size_t *len);
	int	(*glob)(void *arg, const char *pattern, char ***paths);
	char   *(*canon)(void *arg, const char *path);
	void	*arg;
};

/* The reader for real files: stdio, glob(3) with GLOB_BRACE, realpath(3). */
const struct conf_reader *conf_reader_files(void);

/*
 * Parse the config at path (through reader; NULL = real files) into *c.
 * Returns 0 when valid, -1 when c->nerrors > 0; -1 with errno and
 * c->nerrors == 0 only on out-of-memory. Call conf_free() in both cases.
 */
int	conf_load(const char *path, const struct conf_reader *reader,
	    struct conf *c);

/*
 * Parse a config held in memory, named name in messages. Includes go
 * through reader (NULL: an include is an error). Same result as conf_load.
 */
int	conf_parse_mem(const char *name, const char *buf, size_t len,
	    const struct conf_reader *reader, struct conf *c);

void	conf_free(struct conf *c);

/* Index of the instance / script called name, or -1. */
int	conf_find_instance(const struct conf *c, const char *name);
int	conf_find_script(const struct conf *c, const char *name);

/* "MASTER", "BACKUP", "FAULT", "STOP", "notify" (the notify_* suffix). */
const char *conf_notify_name(enum conf_notify);

/* Print an address (no prefix) into buf (INET6_ADDRSTRLEN bytes). */
const char *conf_addr_str(const struct conf_addr *a, char *buf, size_t len);

#endif
