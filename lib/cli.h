/*
 * Shared command-line conventions: the exit-code contract, strtonum-style
 * number parsing, fixed-point durations, usage and version output.
 */
#ifndef VIPKIT_CLI_H
#define VIPKIT_CLI_H

#include <stdio.h>

/* The exit-code contract every program follows. */
enum {
	EXIT_YES = 0,		/* yes / healthy / done */
	EXIT_NO = 1,		/* no / unhealthy / timed out */
	EXIT_USAGE = 2,		/* usage or configuration error */
	EXIT_UNKNOWN = 3	/* could not decide: connect, permission, system error */
};

/* Program name used in every message; set once by cli_init(). */
extern const char *cli_progname;

void	cli_init(const char *argv0);

/*
 * strtonum-like: parse a whole decimal integer in [min, max].
 * Returns 0 and sets *out, or -1 and sets *errstr ("not a number",
 * "too small", "too large"). Pure.
 */
int	parse_int(const char *s, long long min, long long max, long long *out,
	    const char **errstr);

/*
 * Parse a non-negative decimal with at most `decimals` fractional digits
 * into an integer scaled by 10^decimals ("0.1" with 2 decimals -> 10).
 * Range is checked on the scaled value. Pure.
 */
int	parse_fixed(const char *s, int decimals, long long min, long long max,
	    long long *out, const char **errstr);

/*
 * Option helpers for main(): on bad input they print
 * "PROG: OPTION: 'VALUE' is not a number" (or out of range, naming the range)
 * to stderr and exit EXIT_USAGE.
 */
long long	cli_int(const char *opt, const char *s, long long min, long long max);
long long	cli_fixed(const char *opt, const char *s, int decimals,
		    long long min, long long max);

/* Print "PROG: message" plus "Try 'PROG --help'." to stderr; exit 2. */
void	cli_usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* Print usage text (to stdout with code 0, else to stderr) and exit. */
void	cli_usage(const char *usage, int code) __attribute__((noreturn));
/* Print "PROG (vipkit) VERSION" and exit 0. */
void	cli_version(void) __attribute__((noreturn));

/*
 * The options every program shares, for getopt_long tables and the
 * default branch of the option switch:
 *
 *	static const struct option longopts[] = {
 *		{ "count", required_argument, NULL, 'c' },
 *		CLI_LONGOPTS_COMMON,
 *		{ NULL, 0, NULL, 0 }
 *	};
 *	...getopt_long(argc, argv, "c:" CLI_OPTS_COMMON, longopts, NULL)...
 *		default:
 *			cli_common_opt(ch, usage, &co);
 *
 * cli_common_opt() sets json/quiet, prints help or the version and exits,
 * and exits with usage on anything else.
 */
#define CLI_OPTS_COMMON		"jqhV"
#define CLI_LONGOPT_JSON	{ "json", no_argument, NULL, 'j' }
#define CLI_LONGOPT_QUIET	{ "quiet", no_argument, NULL, 'q' }
#define CLI_LONGOPT_HELP	{ "help", no_argument, NULL, 'h' }
#define CLI_LONGOPT_VERSION	{ "version", no_argument, NULL, 'V' }
#define CLI_LONGOPTS_COMMON	CLI_LONGOPT_JSON, CLI_LONGOPT_QUIET, \
				CLI_LONGOPT_HELP, CLI_LONGOPT_VERSION

struct cli_common {
	int	json;		/* -j, --json */
	int	quiet;		/* -q, --quiet */
};

void	cli_common_opt(int ch, const char *usage, struct cli_common *co);

/* Read the first line of a secret file (no trailing newline) into buf. */
int	cli_read_secret(const char *path, char *buf, size_t len);

#endif
