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

/* Read the first line of a secret file (no trailing newline) into buf. */
int	cli_read_secret(const char *path, char *buf, size_t len);

#endif
