/*
 * vip-add: add, remove or check a virtual IP address on an interface,
 * idempotently, through libnl-route-3.
 */
#include <sys/socket.h>

#include <errno.h>
#include <net/if.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "cli.h"
#include "iface.h"
#include "json.h"
#include "log.h"

static const char usage[] =
"usage: vip-add [-q] [--json] [--label LABEL] ADDRESS[/PREFIX] dev IFACE\n"
"       vip-add --del [-q] [--json] ADDRESS[/PREFIX] dev IFACE\n"
"       vip-add --check [-q] [--json] ADDRESS[/PREFIX] dev IFACE\n"
"Add a virtual IP address to an interface unless it is there already.\n"
"  -d, --del          remove the address (every copy, any prefix length)\n"
"  -c, --check        exit 0 when the address is present and usable, 1 if not\n"
"  -l, --label LABEL  IPv4 label, IFACE or IFACE:SUFFIX (as keepalived's label)\n"
"  -j, --json         print one JSON object instead of the human line\n"
"  -q, --quiet        print nothing on success\n"
"  -h, --help         this help\n"
"  -V, --version      print the version\n"
"Without /PREFIX the host prefix is used (/32, /128), as ip and keepalived do.\n"
"An IPv6 address is added without duplicate address detection (nodad).\n"
"Exit: 0 done or present, 1 absent (--check) or unusable, 2 usage,\n"
"3 no such interface, no permission or netlink failure.\n";

enum mode { MODE_ADD, MODE_DEL, MODE_CHECK };

struct out {
	struct cli_common co;	/* json, quiet */
	const char	*arg;		/* the address as given */
	const char	*dev;
	struct vaddr	 v;
};

static void
emit(const struct out *o, const char *action, const struct addr_found *f,
    const char *line)
{
	struct json j;
	struct vaddr p;
	char buf[ADDR_STRLEN];

	if (o->co.quiet)
		return;
	if (!o->co.json) {
		printf("%s\n", line);
		return;
	}
	json_init(&j);
	json_obj_begin(&j, NULL);
	json_str(&j, "action", action);
	json_str(&j, "address", addr_format(&o->v, buf, sizeof(buf)));
	json_str(&j, "dev", o->dev);
	if (f != NULL && f->present) {
		p = o->v;
		p.prefixlen = f->prefixlen;
		json_str(&j, "present_as", addr_format(&p, buf, sizeof(buf)));
		json_bool(&j, "prefix_differs", f->prefixlen != o->v.prefixlen);
		if (o->v.family == AF_INET)
			json_str(&j, "label", f->label);
		else {
			json_bool(&j, "tentative", f->tentative);
			json_bool(&j, "dadfailed", f->dadfailed);
		}
	}
	json_obj_end(&j);
	printf("%s\n", json_text(&j));
	json_free(&j);
}

static void __attribute__((noreturn))
fail(const struct out *o, const char *what, int err)
{
	char buf[ADDR_STRLEN];

	addr_format(&o->v, buf, sizeof(buf));
	if (err == ENODEV)
		die(EXIT_UNKNOWN, "%s: no such interface", o->dev);
	if (err == EPERM)
		die(EXIT_UNKNOWN, "cannot %s %s on %s: permission denied "
		    "(needs CAP_NET_ADMIN)", what, buf, o->dev);
	if (err == EACCES && o->v.family == AF_INET6)
		die(EXIT_UNKNOWN, "cannot %s %s on %s: netlink: %s (is IPv6 "
		    "disabled on %s?)", what, buf, o->dev, strerror(err),
		    o->dev);
	die(EXIT_UNKNOWN, "cannot %s %s on %s: netlink: %s", what, buf,
	    o->dev, strerror(err));
}

/* Say what is odd about an address that is present; 1 when unusable. */
static int
warn_present(const struct out *o, const struct addr_found *f)
{
	char a[ADDR_STRLEN];

	addr_ntop(&o->v, a, sizeof(a));
	if (f->prefixlen != o->v.prefixlen)
		log_warn("warning: %s is on %s as /%d, not /%d; left as it is",
		    a, o->dev, f->prefixlen, o->v.prefixlen);
	if (f->count > 1)
		log_warn("warning: %s is on %s %d times (different prefix "
		    "lengths)", a, o->dev, f->count);
	if (f->dadfailed) {
		log_err("%s on %s failed duplicate address detection: "
		    "another host holds it", a, o->dev);
		return 1;
	}
	if (f->tentative)
		log_warn("warning: %s on %s is tentative (duplicate address "
		    "detection has not finished)", a, o->dev);
	return 0;
}

/*
 * Another interface holding the same address answers ARP / neighbour
 * solicitations for it too: say where, and how to undo it.
 */
static void
warn_elsewhere(const struct out *o, const struct addr_found *f)
{
	char a[ADDR_STRLEN], other[IF_NAMESIZE];

	if (f->elsewhere == 0 || if_indextoname(f->elsewhere, other) == NULL)
		return;
	log_warn("warning: %s is also on %s; two interfaces holding it "
	    "confuse neighbours and routing (remove it there: vip-add --del "
	    "%s dev %s)", addr_ntop(&o->v, a, sizeof(a)), other, a, other);
}

/* net.ipv4.conf.NAME.promote_secondaries: 1 on, 0 off or unknown. */
static int
sysctl_promote(const char *name)
{
	char path[128];
	FILE *fp;
	int c = '0';

	snprintf(path, sizeof(path),
	    "/proc/sys/net/ipv4/conf/%s/promote_secondaries", name);
	if ((fp = fopen(path, "r")) != NULL) {
		c = fgetc(fp);
		fclose(fp);
	}
	return c == '1';
}

/* The kernel promotes when "all" or the interface's own setting is on. */
static int
promote_secondaries(const char *dev)
{
	return sysctl_promote(dev) || sysctl_promote("all");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "del", no_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'c' },
		{ "label", required_argument, NULL, 'l' },
		CLI_LONGOPTS_COMMON,
		{ NULL, 0, NULL, 0 }
	};
	struct out o;
	struct addr_found f;
	enum mode mode = MODE_ADD;
	const char *label = NULL, *errstr;
	char buf[ADDR_STRLEN], line[256];
	unsigned ifindex;
	int ch, rc, ndel = 0, ncheck = 0;

	cli_init(argv[0]);
	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "dcl:" CLI_OPTS_COMMON, longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			mode = MODE_DEL;
			ndel = 1;
			break;
		case 'c':
			mode = MODE_CHECK;
			ncheck = 1;
			break;
		case 'l':
			label = optarg;
			break;
		default:
			cli_common_opt(ch, usage, &o.co);
		}
	}
	argc -= optind;
	argv += optind;
	if (ndel && ncheck)
		cli_usage_error("--del and --check exclude each other");
	if (argc != 3 || strcmp(argv[1], "dev") != 0)
		cli_usage_error("expected ADDRESS[/PREFIX] dev IFACE");
	o.arg = argv[0];
	o.dev = argv[2];
	if (addr_parse(o.arg, 1, &o.v, &errstr) == -1)
		die(EXIT_USAGE, "%s: %s", o.arg, errstr);
	if (label != NULL) {
		if (mode != MODE_ADD)
			cli_usage_error("--label applies when adding");
		if (o.v.family != AF_INET)
			cli_usage_error("--label applies to IPv4 addresses "
			    "only");
		if (addr_label_check(label, o.dev, &errstr) == -1)
			die(EXIT_USAGE, "%s: %s (%s)", label, errstr, o.dev);
	}
	if ((ifindex = iface_index(o.dev)) == 0)
		die(EXIT_UNKNOWN, "%s: no such interface", o.dev);
	addr_format(&o.v, buf, sizeof(buf));

	switch (mode) {
	case MODE_CHECK:
		if (addr_nl_query(ifindex, &o.v, &f) == -1)
			fail(&o, "check", errno);
		if (!f.present) {
			snprintf(line, sizeof(line), "%s absent from %s", buf,
			    o.dev);
			emit(&o, "absent", &f, line);
			return EXIT_NO;
		}
		rc = warn_present(&o, &f) || f.tentative;
		warn_elsewhere(&o, &f);
		snprintf(line, sizeof(line), "%s present on %s%s", buf, o.dev,
		    rc ? " but not usable" : "");
		emit(&o, "present", &f, line);
		return rc ? EXIT_NO : EXIT_YES;
	case MODE_DEL:
		if ((rc = addr_nl_del(ifindex, &o.v, &f)) == -1)
			fail(&o, "remove", errno);
		if (rc == ADDR_REMOVED && f.primary && f.secondaries > 0 &&
		    !promote_secondaries(o.dev))
			log_warn("warning: %s/%d was the primary address of "
			    "its subnet on %s: the kernel removed its %d "
			    "secondary address%s too (set net.ipv4.conf.%s."
			    "promote_secondaries=1, or use a /32 VIP)",
			    addr_ntop(&o.v, line, sizeof(line)), f.prefixlen,
			    o.dev, f.secondaries,
			    f.secondaries == 1 ? "" : "es", o.dev);
		if (rc == ADDR_REMOVED && f.count > 1)
			snprintf(line, sizeof(line), "removed %s from %s (%d "
			    "copies)", buf, o.dev, f.count);
		else if (rc == ADDR_REMOVED)
			snprintf(line, sizeof(line), "removed %s from %s", buf,
			    o.dev);
		else
			snprintf(line, sizeof(line), "%s already absent from %s",
			    buf, o.dev);
		emit(&o, addr_action_name(rc), &f, line);
		return EXIT_YES;
	case MODE_ADD:
	default:
		if ((rc = addr_nl_add(ifindex, &o.v, label, &f)) == -1)
			fail(&o, "add", errno);
		warn_elsewhere(&o, &f);
		if (rc == ADDR_ADDED) {
			snprintf(line, sizeof(line), "added %s to %s", buf,
			    o.dev);
			emit(&o, addr_action_name(rc), NULL, line);
			return EXIT_YES;
		}
		rc = warn_present(&o, &f);
		if (label != NULL && strcmp(label, f.label) != 0)
			log_warn("warning: %s on %s has label %s, not %s; "
			    "left as it is", buf, o.dev, f.label, label);
		snprintf(line, sizeof(line), "%s already present on %s", buf,
		    o.dev);
		emit(&o, "already-present", &f, line);
		return rc ? EXIT_NO : EXIT_YES;
	}
}
