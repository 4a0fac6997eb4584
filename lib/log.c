#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>

#include "cli.h"
#include "log.h"

static int use_syslog;
static int stamps;
static enum log_level max_level = LOG_LVL_INFO;

void
log_use_syslog(int on)
{
	if (on && !use_syslog)
		openlog(cli_progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	use_syslog = on;
}

void
log_set_level(enum log_level l)
{
	max_level = l;
}

void
log_set_timestamps(int on)
{
	stamps = on;
}

static void
vlog(enum log_level l, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	struct timespec ts;

	if (l > max_level)
		return;
	if (use_syslog) {
		vsyslog(prio[l], fmt, ap);
		return;
	}
	if (stamps) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		fprintf(stderr, "[%lld.%03ld] ", (long long)ts.tv_sec,
		    ts.tv_nsec / 1000000);
	}
	fprintf(stderr, "%s: ", cli_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOGFN(name, lvl)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
	va_start(ap, fmt);				\
	vlog(lvl, fmt, ap);				\
	va_end(ap);					\
}
LOGFN(log_err, LOG_LVL_ERR)
LOGFN(log_warn, LOG_LVL_WARN)
LOGFN(log_info, LOG_LVL_INFO)
LOGFN(log_debug, LOG_LVL_DEBUG)

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	exit(code);
}
