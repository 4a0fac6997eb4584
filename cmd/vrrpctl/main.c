/*
 * vrrpctl: a VRRP router that reads keepalived.conf, and its control
 * command. main() only dispatches to the subcommands.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "vrrpctl.h"

static const char usage[] =
"usage: vrrpctl [-hV] COMMAND [ARGS]\n"
"\n"
"Commands:\n"
"  check [-q] [-f FILE]   parse and validate FILE, report every problem as\n"
"                         FILE:LINE: message (default " VRRPCTL_DEFAULT_CONF ")\n"
"  run [-f FILE] [-c SOCKET] [--hook-timeout S] [--syslog]\n"
"                         run the VRRP router in the foreground\n"
"  status [-j] [-c SOCKET] show the instances of the running daemon\n"
"  demote [-c SOCKET] NAME\n"
"                         priority 0, release the VIPs, stay BACKUP\n"
"  resume [-c SOCKET] NAME\n"
"                         back to the configured priority\n"
"\n"
"Options:\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Exit status: 0 ok, 1 no such instance, 2 usage or configuration error,\n"
"3 system error or daemon not reachable.\n"
"'vrrpctl COMMAND --help' describes a command.\n";

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
} cmds[] = {
	{ "check",	cmd_check },
	{ "run",	cmd_run },
	{ "status",	cmd_status },
	{ "demote",	cmd_demote },
	{ "resume",	cmd_resume },
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPT_HELP,
		CLI_LONGOPT_VERSION,
		{ NULL,		0,		NULL, 0 }
	};
	struct cli_common co = { 0, 0 };
	size_t i;
	int ch;

	cli_init(argv[0]);
	/* Options before the command only; "+" stops at the first operand. */
	while ((ch = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1)
		cli_common_opt(ch, usage, &co);
	argc -= optind;
	argv += optind;
	if (argc == 0)
		cli_usage_error("no command given");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[0], cmds[i].name) == 0) {
			optind = 1;
			return cmds[i].fn(argc, argv);
		}
	}
	cli_usage_error("%s: unknown command", argv[0]);
}
