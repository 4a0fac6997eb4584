/*
 * wait-replica-caught-up: block until a MySQL/MariaDB replica has applied
 * everything its IO thread received, or time out. The decision is
 * lib/caughtup's; this file reads the server, waits and reports.
 *
 * Waiting: each round reads SHOW SLAVE/REPLICA STATUS (and on MariaDB
 * @@gtid_slave_pos), decides, and when still behind waits one slice
 * (--interval, default 0.5 s) inside the server with MASTER_GTID_WAIT
 * (MariaDB GTID) or WAIT_FOR_EXECUTED_GTID_SET (MySQL GTID), which return
 * as soon as the target is applied; with file/position it sleeps the
 * slice. The wait functions only pace the loop: the answer always comes
 * from a fresh status read, so a SQL thread that stops is noticed within
 * one slice and the target follows what the IO thread keeps receiving.
 * It only reads: it never stops, starts, resets or reconfigures anything.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caughtup.h"
#include "cli.h"
#include "clock.h"
#include "db.h"
#include "dbstatus.h"
#include "json.h"
#include "log.h"

static const char usage[] =
"usage: wait-replica-caught-up [connection options] [-t S] [--interval S]\n"
"                              [--ignore-delay] [-j] [-q]\n"
"Wait until a replica has executed everything its IO thread received:\n"
"exit 0 caught up, 1 timed out (still behind), 2 usage, 3 it cannot catch\n"
"up (not a replica, SQL thread stopped or failed, delayed replication) or\n"
"the server could not be asked. Works while the primary is down.\n"
"\n"
"  -t, --timeout S            give up after S seconds (default 60; 0: look once)\n"
"      --interval S           re-read the status every S seconds (default 0.5)\n"
"      --ignore-delay         wait for a delayed replica (SQL_Delay) too\n"
"  -j, --json                 print the final state as a JSON object\n"
"  -q, --quiet                no progress and no answer line\n"
"  -h, --help                 this text\n"
"  -V, --version              version\n"
"\n"
DB_USAGE;

enum {
	OPT_INTERVAL = 0x1000,
	OPT_IGNORE_DELAY
};

static const struct option longopts[] = {
	DB_LONGOPTS,
	{ "timeout", required_argument, NULL, 't' },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "ignore-delay", no_argument, NULL, OPT_IGNORE_DELAY },
	CLI_LONGOPTS_COMMON,
	{ NULL, 0, NULL, 0 }
};

static void
sleep_ms(long long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The progress line: stderr when it is a terminal, else stdout if it is. */
static FILE *progress;
static int progress_shown;

static void
show_progress(const struct cu_verdict *v, double rate, long long left_ms)
{
	char what[96];

	if (progress == NULL)
		return;
	if (v->trx_behind >= 0)
		snprintf(what, sizeof(what), "%lld transaction%s",
		    v->trx_behind, v->trx_behind == 1 ? "" : "s");
	else if (v->bytes_behind > 0)
		snprintf(what, sizeof(what), "%lld bytes", v->bytes_behind);
	else if (v->files_behind > 0)
		snprintf(what, sizeof(what), "%lld binlog files",
		    v->files_behind);
	else
		snprintf(what, sizeof(what), "some events");
	fprintf(progress, "\r\033[K%s: %s behind, applying %.1f/s, "
	    "%lld.%llds to timeout", cli_progname, what, rate,
	    left_ms / 1000, (left_ms % 1000) / 100);
	fflush(progress);
	progress_shown = 1;
}

static void
clear_progress(void)
{
	if (progress != NULL && progress_shown) {
		fprintf(progress, "\r\033[K");
		fflush(progress);
	}
}

static void
json_count(struct json *j, const char *key, long long v)
{
	if (v >= 0)
		json_int(j, key, v);
	else
		json_null(j, key);
}

static void
print_json(int code, const char *state, const char *reason,
    const struct cu_verdict *v, const struct db_replica_status *rs,
    long long waited, long long timeout)
{
	struct json j;

	json_init(&j);
	json_obj_begin(&j, NULL);
	json_bool(&j, "caught_up", code == EXIT_YES);
	json_int(&j, "code", code);
	json_str(&j, "state", state);
	json_str(&j, "reason", reason);
	json_fixed(&j, "waited", waited, 3);
	json_fixed(&j, "timeout", timeout, 3);
	if (v != NULL) {
		json_str(&j, "method", cu_method_name(v->method));
		json_count(&j, "transactions_behind", v->trx_behind);
		json_count(&j, "bytes_behind", v->bytes_behind);
		json_count(&j, "binlog_files_behind", v->files_behind);
		json_str(&j, "received", v->received);
		json_str(&j, "executed", v->executed);
	}
	if (rs != NULL && rs->present) {
		json_str(&j, "source_host", rs->source_host);
		json_count(&j, "source_port", rs->source_port);
		json_str(&j, "io_running", db_thread_name(rs->io_running));
		json_str(&j, "sql_running", db_thread_name(rs->sql_running));
		json_count(&j, "last_io_errno", rs->last_io_errno);
		json_count(&j, "last_sql_errno", rs->last_sql_errno);
		json_str(&j, "last_sql_error", rs->last_sql_error);
		json_count(&j, "sql_delay", rs->sql_delay);
		json_count(&j, "seconds_behind_master", rs->lag);
		json_str(&j, "using_gtid", rs->using_gtid[0] != '\0' ?
		    rs->using_gtid : NULL);
	}
	json_obj_end(&j);
	printf("%s\n", json_text(&j));
	json_free(&j);
}

/* One status read: rs and (MariaDB) the executed GTID position. */
static int
observe(struct db *d, struct db_replica_status *rs, char *slave_pos,
    size_t len, int *have_slave_pos)
{
	int r, null = 0;

	db_rs_free(rs);
	*have_slave_pos = 0;
	if ((r = db_replica_status(d, rs)) < 0)
		return -1;
	/* After the status: an executed position read later is newer. */
	if (r == 1 && d->flavour == DB_MARIADB) {
		r = db_query_value(d, "SELECT @@GLOBAL.gtid_slave_pos",
		    slave_pos, len, &null);
		if (r < 0)
			return -1;
		*have_slave_pos = r == 1 && !null;
	}
	return 0;
}

/*
 * Wait up to ms inside the server for the target, or sleep. A GTID
 * verdict's target (v->received) was parsed by lib/caughtup before the
 * state could be CU_BEHIND, so it holds only digits, hex, letters of a
 * tag, '-', ':', ',' and white space: safe inside quotes.
 */
static void
pace(struct db *d, const struct cu_verdict *v, long long ms, int *use_fn)
{
	char *sql;
	const char *fn = NULL;
	long long r;

	if (v->method == CU_MARIADB_GTID)
		fn = "MASTER_GTID_WAIT";
	else if (v->method == CU_MYSQL_GTID)
		fn = "WAIT_FOR_EXECUTED_GTID_SET";
	if (fn == NULL || !*use_fn || v->received == NULL) {
		sleep_ms(ms);
		return;
	}
	if (asprintf(&sql, "SELECT %s('%s', %lld.%03lld)", fn, v->received,
	    ms / 1000, ms % 1000) < 0) {
		sleep_ms(ms);
		return;
	}
	if (db_query_int(d, sql, &r, NULL) < 0) {
		/* Fall back to polling; a lost connection shows next round. */
		log_debug("%s: %s", fn, d->error);
		*use_fn = 0;
		free(sql);
		sleep_ms(ms);
		return;
	}
	free(sql);
}

int
main(int argc, char *argv[])
{
	struct db_opts opts;
	struct db d;
	struct db_replica_status rs;
	struct cu_verdict v;
	struct cu_input in;
	static char slave_pos[16384];
	long long timeout = 60000, interval = 500, t0, now, left, waited;
	long long last_t, last_n = -1;
	double rate = 0;
	struct cli_common co = { 0, 0 };
	int ch, ignore_delay = 0, have_sp, use_fn = 1;
	int code;
	unsigned int need_rt;
	char msg[1024], ioinfo[128];

	cli_init(argv[0]);
	db_opts_init(&opts, "wait-replica-caught-up");
	while ((ch = getopt_long(argc, argv, DB_SHORTOPTS "t:" CLI_OPTS_COMMON, longopts,
	    NULL)) != -1) {
		if (db_opts_handle(&opts, ch, optarg))
			continue;
		switch (ch) {
		case 't':
			timeout = cli_fixed("--timeout", optarg, 3, 0,
			    86400000LL * 7);
			break;
		case OPT_INTERVAL:
			interval = cli_fixed("--interval", optarg, 3, 10,
			    10000);
			break;
		case OPT_IGNORE_DELAY:
			ignore_delay = 1;
			break;
		default:
			cli_common_opt(ch, usage, &co);
		}
	}
	if (optind != argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
	db_opts_finish(&opts);
	/* A wait slice must end before the client's read timeout does. */
	need_rt = (unsigned int)((interval + 999) / 1000) + 2;
	if (opts.read_timeout < need_rt)
		opts.read_timeout = need_rt;
	if (!co.quiet) {
		if (isatty(STDERR_FILENO))
			progress = stderr;
		else if (!co.json && isatty(STDOUT_FILENO))
			progress = stdout;
	}

	db_init(&d, &opts);
	db_rs_init(&rs);
	t0 = last_t = mono_ms();
	for (;;) {
		if (observe(&d, &rs, slave_pos, sizeof(slave_pos),
		    &have_sp) != 0) {
			clear_progress();
			waited = mono_ms() - t0;
			if (co.json)
				print_json(EXIT_UNKNOWN, "unknown", d.error,
				    NULL, NULL, waited, timeout);
			else
				fprintf(stderr, "%s: %s\n", cli_progname,
				    d.error);
			db_close(&d);
			db_rs_free(&rs);
			return EXIT_UNKNOWN;
		}
		in.rs = &rs;
		in.slave_pos = have_sp ? slave_pos : NULL;
		in.ignore_delay = ignore_delay;
		cu_decide(&in, &v);
		now = mono_ms();
		if (v.state != CU_BEHIND || now - t0 >= timeout)
			break;
		if (v.trx_behind >= 0 || v.bytes_behind >= 0) {
			long long n = v.trx_behind >= 0 ? v.trx_behind :
			    v.bytes_behind;

			if (last_n >= 0 && now > last_t) {
				double r = (double)(last_n - n) * 1000.0 /
				    (double)(now - last_t);

				rate = rate == 0 ? r : 0.5 * rate + 0.5 * r;
			}
			last_n = n;
			last_t = now;
		}
		left = timeout - (now - t0);
		show_progress(&v, rate, left);
		pace(&d, &v, left < interval ? left : interval, &use_fn);
	}
	clear_progress();
	waited = mono_ms() - t0;
	code = cu_state_exit(v.state);
	ioinfo[0] = '\0';
	if (rs.present && rs.io_running != DB_THREAD_YES)
		snprintf(ioinfo, sizeof(ioinfo), "IO thread %s",
		    db_thread_name(rs.io_running));
	switch (v.state) {
	case CU_CAUGHT_UP:
		snprintf(msg, sizeof(msg), "caught up: %s (%s%swaited "
		    "%lld.%03lld s)", v.reason, ioinfo,
		    ioinfo[0] != '\0' ? "; " : "", waited / 1000,
		    waited % 1000);
		break;
	case CU_BEHIND:
		snprintf(msg, sizeof(msg), "timed out after %lld.%03lld s: "
		    "%s%s%s%s", waited / 1000, waited % 1000, v.reason,
		    ioinfo[0] != '\0' ? " (" : "", ioinfo,
		    ioinfo[0] != '\0' ? ")" : "");
		break;
	default:
		snprintf(msg, sizeof(msg), "%s", v.reason);
		break;
	}
	if (co.json)
		print_json(code, cu_state_name(v.state), msg, &v, &rs, waited,
		    timeout);
	else if (code == EXIT_UNKNOWN)
		fprintf(stderr, "%s: %s\n", cli_progname, msg);
	else if (!co.quiet)
		printf("%s: %s\n", cli_progname, msg);
	db_close(&d);
	db_rs_free(&rs);
	if (fflush(stdout) != 0)
		return EXIT_UNKNOWN;
	return code;
}
