/*
 * vrrpctl check: parse and validate a config, print every problem as
 * FILE:LINE: message, exit 2 on any error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "vrrpctl.h"

static const char check_usage[] =
"usage: vrrpctl check [-hq] [-f FILE]\n"
"\n"
"Parse and validate a keepalived.conf (its VRRP part) without running it.\n"
"Every problem is printed to stderr as FILE:LINE: message.\n"
"\n"
"  -f, --config FILE   the config (default " VRRPCTL_DEFAULT_CONF ")\n"
"  -q, --quiet         no summary line when the config is valid\n"
"  -h, --help          show this help\n"
"\n"
"Exit status: 0 valid, 2 invalid or usage error, 3 out of memory.\n";

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'f' },
		CLI_LONGOPT_QUIET,
		CLI_LONGOPT_HELP,
		{ NULL,		0,			NULL, 0 }
	};
	const char *path = VRRPCTL_DEFAULT_CONF;
	struct conf c;
	struct cli_common co = { 0, 0 };
	int ch, i, r;

	while ((ch = getopt_long(argc, argv, "f:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			path = optarg;
			break;
		default:
			cli_common_opt(ch, check_usage, &co);
		}
	}
	if (optind != argc)
		cli_usage_error("check: unexpected argument '%s'", argv[optind]);

	r = conf_load(path, NULL, &c);
	for (i = 0; i < c.nerrors; i++)
		fprintf(stderr, "%s\n", c.errors[i].text);
	for (i = 0; i < c.nwarnings; i++)
		fprintf(stderr, "%s\n", c.warnings[i].text);
	if (r == -1 && c.nerrors == 0) {
		fprintf(stderr, "%s: %s: %s\n", cli_progname, path,
		    strerror(errno));
		conf_free(&c);
		return EXIT_UNKNOWN;
	}
	if (r == -1) {
		fprintf(stderr, "%s: %s: %d error%s\n", cli_progname, path,
		    c.nerrors, c.nerrors == 1 ? "" : "s");
		conf_free(&c);
		return EXIT_USAGE;
	}
	if (!co.quiet)
		printf("%s: %d instance%s, %d script%s: ok\n", path,
		    c.ninstances, c.ninstances == 1 ? "" : "s", c.nscripts,
		    c.nscripts == 1 ? "" : "s");
	conf_free(&c);
	return EXIT_YES;
}
