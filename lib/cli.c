#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_progname = "vipkit";

void
cli_init(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	cli_progname = p != NULL ? p + 1 : argv0;
}

int
parse_int(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	long long v;
	char *end;

	/* strtoll would skip any leading white space and take a '+'. */
	if (s == NULL || (*s != '-' && (*s < '0' || *s > '9'))) {
		*errstr = "not a number";
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0') {
		*errstr = "not a number";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int
parse_fixed(const char *s, int decimals, long long min, long long max,
    long long *out, const char **errstr)
{
	long long v = 0;
	int frac = -1, digits = 0;
	const char *p;

	if (s == NULL || *s == '\0' || decimals < 0 || decimals > 9) {
		*errstr = "not a number";
		return -1;
	}
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (frac >= 0 || digits == 0) {
				*errstr = "not a number";
				return -1;
			}
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9') {
			*errstr = "not a number";
			return -1;
		}
		if (frac >= 0 && ++frac > decimals) {
			*errstr = "too precise";
			return -1;
		}
		if (v > (LLONG_MAX - 9) / 10) {
			*errstr = "too large";
			return -1;
		}
		v = v * 10 + (*p - '0');
		digits++;
	}
	if (frac == 0) {	/* "1." */
		*errstr = "not a number";
		return -1;
	}
	for (frac = frac < 0 ? 0 : frac; frac < decimals; frac++) {
		if (v > LLONG_MAX / 10) {
			*errstr = "too large";
			return -1;
		}
		v *= 10;
	}
	if (v < min) {
		*errstr = "too small";
		return -1;
	}
	if (v > max) {
		*errstr = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

static void
fmt_scaled(char *buf, size_t len, long long v, int decimals)
{
	long long div = 1;
	int i;

	for (i = 0; i < decimals; i++)
		div *= 10;
	if (decimals == 0 || v % div == 0)
		snprintf(buf, len, "%lld", v / div);
	else if (snprintf(buf, len, "%lld.%0*lld", v / div, decimals,
	    v % div) >= (int)len)
		buf[len - 1] = '\0';
}

long long
cli_fixed(const char *opt, const char *s, int decimals, long long min,
    long long max)
{
	const char *errstr;
	char lo[32], hi[32];
	long long v;

	if (parse_fixed(s, decimals, min, max, &v, &errstr) == 0)
		return v;
	fmt_scaled(lo, sizeof(lo), min, decimals);
	fmt_scaled(hi, sizeof(hi), max, decimals);
	if (strcmp(errstr, "too precise") == 0)
		fprintf(stderr, "%s: %s: '%s' has more than %d decimal%s\n",
		    cli_progname, opt, s, decimals, decimals == 1 ? "" : "s");
	else if (strcmp(errstr, "not a number") == 0)
		fprintf(stderr, "%s: %s: '%s' is not a number\n",
		    cli_progname, opt, s);
	else
		fprintf(stderr, "%s: %s: '%s' is out of range (%s to %s)\n",
		    cli_progname, opt, s, lo, hi);
	exit(EXIT_USAGE);
}

long long
cli_int(const char *opt, const char *s, long long min, long long max)
{
	const char *errstr;
	long long v;

	if (parse_int(s, min, max, &v, &errstr) == 0)
		return v;
	if (strcmp(errstr, "not a number") == 0)
		fprintf(stderr, "%s: %s: '%s' is not a whole number\n",
		    cli_progname, opt, s);
	else
		fprintf(stderr, "%s: %s: '%s' is out of range (%lld to %lld)\n",
		    cli_progname, opt, s, min, max);
	exit(EXIT_USAGE);
}

void
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
	    cli_progname);
	exit(EXIT_USAGE);
}

void
cli_usage(const char *usage, int code)
{
	FILE *f = code == 0 ? stdout : stderr;

	fputs(usage, f);
	exit(code);
}

void
cli_common_opt(int ch, const char *usage, struct cli_common *co)
{
	switch (ch) {
	case 'j':
		co->json = 1;
		return;
	case 'q':
		co->quiet = 1;
		return;
	case 'h':
		cli_usage(usage, EXIT_YES);
	case 'V':
		cli_version();
	default:
		cli_usage(usage, EXIT_USAGE);
	}
}

void
cli_version(void)
{
	printf("%s (vipkit) %s\n", cli_progname, VIPKIT_VERSION);
	exit(EXIT_YES);
}

int
cli_read_secret(const char *path, char *buf, size_t len)
{
	FILE *f;
	size_t n;

	if (len == 0 || (f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, (int)len, f) == NULL) {
		buf[0] = '\0';
		if (ferror(f)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}
