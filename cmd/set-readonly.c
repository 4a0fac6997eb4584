/*
 * set-readonly: turn a MySQL/MariaDB server's read_only on or off safely,
 * prove it by reading it back, and optionally end the client sessions
 * that could still write (the fence of a demoted primary). The server
 * steps live in lib/dbpromote; this file is options, order and output.
 *
 *   on      read_only=ON (+ super_read_only on MySQL) under a session
 *           lock_wait_timeout; with --kill-sessions a lock timeout ends the
 *           sessions and tries once more, and after success every client
 *           session but replication's, the server's and its own is ended.
 *           Prints the final binlog position.
 *   off     refused while replication threads run, unless --force.
 *   status  exit 0 read-only, 1 writable.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "dbpromote.h"
#include "dbstatus.h"
#include "json.h"
#include "log.h"

static const char usage[] =
"usage: set-readonly on|off|status [connection options] [--kill-sessions]\n"
"                    [--force] [--lock-wait-timeout S] [-j] [-q]\n"
"Make a MySQL/MariaDB server read-only or writable and verify it.\n"
"on: exit 0 done, 1 not done (lock wait timed out); off: 1 also when refused\n"
"on a running replica; status: 0 read-only, 1 writable. 2 usage, 3 could not\n"
"decide (cannot connect, missing privilege; the privilege is named).\n"
"\n"
"  -k, --kill-sessions        on: end every client session except replication\n"
"                             threads, system threads and its own\n"
"  -f, --force                off: also on a server whose replication runs\n"
"  -w, --lock-wait-timeout S  wait at most S seconds for locks (default 5)\n"
"  -j, --json                 print the result as a JSON object\n"
"  -q, --quiet                no answer line\n"
"  -h, --help                 this text\n"
"  -V, --version              version\n"
"\n"
DB_USAGE;

static const struct option longopts[] = {
	DB_LONGOPTS,
	{ "kill-sessions", no_argument, NULL, 'k' },
	{ "force", no_argument, NULL, 'f' },
	{ "lock-wait-timeout", required_argument, NULL, 'w' },
	CLI_LONGOPTS_COMMON,
	{ NULL, 0, NULL, 0 }
};

enum action { ACT_ON, ACT_OFF, ACT_STATUS };

static const char *const action_names[] = { "on", "off", "status" };

/* What happened, for the answer line or the JSON object. */
struct result {
	enum action	 act;
	int		 code;
	char		 reason[1024];	/* the failure, when code != 0 */
	int		 was_ro, was_sro;	/* -1 unknown */
	int		 ro, sro;		/* -1 unknown */
	struct dbp_session *ended;
	size_t		 nended;
	int		 have_pos;
	struct dbp_position pos;
	char		 warning[512];
	int		 replicating;	/* off: threads running (forced) */
};

static struct db_opts opts;
static struct db conn;
static struct cli_common co;

static const char *
onoff(int v)
{
	return v < 0 ? "unknown" : v ? "ON" : "OFF";
}

static void
json_tri(struct json *j, const char *key, int v)
{
	if (v < 0)
		json_null(j, key);
	else
		json_bool(j, key, v);
}

static int
finish(struct result *r)
{
	struct json j;
	char line[2048];
	size_t i, len;

	if (co.json) {
		json_init(&j);
		json_obj_begin(&j, NULL);
		json_str(&j, "action", action_names[r->act]);
		json_bool(&j, "ok", r->code == EXIT_YES);
		json_int(&j, "code", r->code);
		json_str(&j, "reason", r->reason[0] != '\0' ? r->reason :
		    NULL);
		json_tri(&j, "read_only", r->ro);
		json_tri(&j, "super_read_only", r->sro);
		if (r->act != ACT_STATUS) {
			json_tri(&j, "was_read_only", r->was_ro);
			json_bool(&j, "changed", r->was_ro >= 0 && r->ro >= 0 &&
			    r->was_ro != r->ro);
		}
		if (r->act == ACT_ON) {
			json_arr_begin(&j, "sessions_ended");
			for (i = 0; i < r->nended; i++) {
				json_obj_begin(&j, NULL);
				json_int(&j, "id", r->ended[i].id);
				json_str(&j, "user", r->ended[i].user);
				json_str(&j, "host", r->ended[i].host);
				json_str(&j, "command", r->ended[i].command);
				json_obj_end(&j);
			}
			json_arr_end(&j);
			json_str(&j, "gtid_position", r->have_pos &&
			    r->pos.have_gtid ? r->pos.gtid : NULL);
			json_str(&j, "binlog_file", r->have_pos &&
			    r->pos.have_file ? r->pos.file : NULL);
			if (r->have_pos && r->pos.have_file)
				json_int(&j, "binlog_pos", r->pos.pos);
			else
				json_null(&j, "binlog_pos");
		}
		if (r->act == ACT_OFF)
			json_bool(&j, "replicating", r->replicating);
		json_str(&j, "warning", r->warning[0] != '\0' ? r->warning :
		    NULL);
		json_obj_end(&j);
		printf("%s\n", json_text(&j));
		json_free(&j);
	} else {
		if (r->warning[0] != '\0' && r->code != EXIT_UNKNOWN)
			log_warn("%s", r->warning);
		if (r->code == EXIT_UNKNOWN)
			fprintf(stderr, "%s: %s\n", cli_progname, r->reason);
		else if (r->code != EXIT_YES && r->act != ACT_STATUS)
			printf("%s: %s\n", cli_progname, r->reason);
		else if (!co.quiet) {
			len = (size_t)snprintf(line, sizeof(line),
			    "read_only %s", onoff(r->ro));
			if (r->sro >= 0)
				len += (size_t)snprintf(line + len,
				    sizeof(line) - len, ", super_read_only %s",
				    onoff(r->sro));
			if (r->act != ACT_STATUS && r->was_ro >= 0 &&
			    len < sizeof(line))
				len += (size_t)snprintf(line + len,
				    sizeof(line) - len, " (was %s)",
				    onoff(r->was_ro));
			for (i = 0; i < r->nended && i < 8 &&
			    len < sizeof(line); i++)
				len += (size_t)snprintf(line + len,
				    sizeof(line) - len, "%s %lld %s@%s",
				    i == 0 ? "; ended sessions" : ",",
				    r->ended[i].id, r->ended[i].user,
				    r->ended[i].host);
			if (r->nended > 8 && len < sizeof(line))
				len += (size_t)snprintf(line + len,
				    sizeof(line) - len, " and %zu more",
				    r->nended - 8);
			if (r->have_pos && r->pos.have_gtid &&
			    len < sizeof(line))
				len += (size_t)snprintf(line + len,
				    sizeof(line) - len, "; gtid %s",
				    r->pos.gtid);
			if (r->have_pos && r->pos.have_file &&
			    len < sizeof(line))
				snprintf(line + len, sizeof(line) - len,
				    "; binlog %s:%lld", r->pos.file,
				    r->pos.pos);
			printf("%s\n", line);
		}
	}
	free(r->ended);
	db_close(&conn);
	if (fflush(stdout) != 0)
		return EXIT_UNKNOWN;
	return r->code;
}

static int
fail(struct result *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct result *r, int code, const char *fmt, ...)
{
	va_list ap;

	r->code = code;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return finish(r);
}

/* "; to grant it: GRANT ... TO 'user'@'host'" for privilege, or "". */
static const char *
grant_text(const char *privilege)
{
	static char text[400];
	char grant[360];

	dbp_grant_hint(&conn, privilege, grant, sizeof(grant));
	snprintf(text, sizeof(text), "%s%s", grant[0] != '\0' ?
	    "; to grant it: " : "", grant);
	return text;
}

/* A failed statement: 3, naming a missing privilege and its GRANT. */
static int
fail_db(struct result *r, const char *what, const char *privilege)
{
	if (conn.cls == DB_NOPRIV && privilege != NULL)
		return fail(r, EXIT_UNKNOWN, "%s: missing privilege %s (%s)%s",
		    what, privilege, conn.error, grant_text(privilege));
	/* A statement timeout (max_statement_time, a lock wait) is "not
	 * done", like the lock-wait timeout of SET GLOBAL read_only. */
	if (conn.cls == DB_BUSY)
		return fail(r, EXIT_NO, "%s: timed out: %s", what, conn.error);
	return fail(r, EXIT_UNKNOWN, "%s: %s", what, conn.error);
}

/* Make sure every session is visible, then end the fenced ones. */
static int
end_sessions(struct result *r, int *failed)
{
	struct dbp_session *s;
	size_t n, i;
	int k, denied = 0;
	long long denied_id = -1;

	*failed = 1;
	k = dbp_sees_all_sessions(&conn);
	if (k < 0)
		return fail_db(r, "checking the PROCESS privilege", NULL);
	if (k == 0)
		return fail(r, EXIT_UNKNOWN, "cannot end sessions: missing "
		    "privilege PROCESS (needed to see other users' sessions)"
		    "%s%s", r->ro > 0 ? "; read_only is ON" : "",
		    grant_text("PROCESS"));
	if (dbp_fenced_sessions(&conn, &s, &n) != 0)
		return fail_db(r, "listing sessions", "PROCESS");
	for (i = 0; i < n; i++) {
		k = dbp_kill(&conn, s[i].id);
		if (k == 0) {
			struct dbp_session *v = realloc(r->ended,
			    (r->nended + 1) * sizeof(*v));

			if (v == NULL) {
				free(s);
				return fail(r, EXIT_UNKNOWN, "out of memory");
			}
			r->ended = v;
			r->ended[r->nended++] = s[i];
		} else if (k < 0) {
			if (conn.err_no != DBP_ER_KILL_DENIED) {
				free(s);
				return fail_db(r, "ending sessions",
				    dbp_kill_privilege(&conn));
			}
			denied++;
			denied_id = s[i].id;
		}
	}
	free(s);
	if (denied > 0)
		return fail(r, EXIT_UNKNOWN, "cannot end %d session%s (e.g. "
		    "%lld): missing privilege %s%s%s", denied,
		    denied == 1 ? "" : "s", denied_id,
		    dbp_kill_privilege(&conn),
		    r->ro > 0 ? "; read_only is ON" : "",
		    grant_text(dbp_kill_privilege(&conn)));
	*failed = 0;
	return 0;
}

static int
do_on(struct result *r, unsigned int lwt, int kill)
{
	int k, failed;

	k = dbp_set_read_only(&conn, 1, lwt, &r->ro, &r->sro);
	if (k == -1 && conn.err_no == DBP_ER_LOCK_WAIT_TIMEOUT && kill) {
		/* A session holds a lock: end the sessions, then again. */
		k = end_sessions(r, &failed);
		if (failed)
			return k;
		k = dbp_set_read_only(&conn, 1, lwt, &r->ro, &r->sro);
	}
	if (k == -1 && conn.err_no == DBP_ER_LOCK_WAIT_TIMEOUT)
		return fail(r, EXIT_NO, "read_only not set: lock wait timed "
		    "out after %u s (a session holds a table lock or a long "
		    "write%s)", lwt, kill ? "" : "; --kill-sessions ends it");
	if (k == -1)
		return fail_db(r, "SET GLOBAL read_only",
		    dbp_read_only_privilege(&conn));
	if (k == -2)
		return fail(r, EXIT_NO, "not verified: %s", conn.error);
	if (kill) {
		k = end_sessions(r, &failed);
		if (failed)
			return k;
	}
	if (dbp_position(&conn, &r->pos) == 0) {
		r->have_pos = 1;
		if (r->pos.error[0] != '\0')
			snprintf(r->warning, sizeof(r->warning), "%s",
			    r->pos.error);
	} else
		snprintf(r->warning, sizeof(r->warning), "position unknown: "
		    "%.400s", conn.error);
	r->code = EXIT_YES;
	return finish(r);
}

static int
do_off(struct result *r, unsigned int lwt, int force)
{
	struct db_replica_status rs;
	int k;

	db_rs_init(&rs);
	k = db_replica_status(&conn, &rs);
	if (k < 0 && !force) {
		db_rs_free(&rs);
		return fail(r, EXIT_UNKNOWN, "cannot tell whether it "
		    "replicates: %s%s", conn.error, conn.cls == DB_NOPRIV ?
		    grant_text(db_monitor_privilege(&conn)) : "");
	}
	if (k < 0)
		snprintf(r->warning, sizeof(r->warning), "replication state "
		    "unknown: %.400s", conn.error);
	if (k > 0 && (rs.io_running == DB_THREAD_YES ||
	    rs.io_running == DB_THREAD_CONNECTING ||
	    rs.sql_running == DB_THREAD_YES)) {
		r->replicating = 1;
		if (!force) {
			fail(r, EXIT_NO, "refused: replication is running "
			    "(IO thread %s, SQL thread %s, source %s:%lld); "
			    "a writable replica invites conflicts "
			    "(--force overrides)",
			    db_thread_name(rs.io_running),
			    db_thread_name(rs.sql_running), rs.source_host,
			    rs.source_port);
			db_rs_free(&rs);
			return r->code;
		}
		snprintf(r->warning, sizeof(r->warning), "writable while "
		    "replication runs (IO thread %s, SQL thread %s): --force",
		    db_thread_name(rs.io_running),
		    db_thread_name(rs.sql_running));
	}
	db_rs_free(&rs);
	k = dbp_set_read_only(&conn, 0, lwt, &r->ro, &r->sro);
	if (k == -1 && conn.err_no == DBP_ER_LOCK_WAIT_TIMEOUT)
		return fail(r, EXIT_NO, "read_only not cleared: lock wait "
		    "timed out after %u s", lwt);
	if (k == -1)
		return fail_db(r, "SET GLOBAL read_only",
		    dbp_read_only_privilege(&conn));
	if (k == -2)
		return fail(r, EXIT_NO, "not verified: %s", conn.error);
	r->code = EXIT_YES;
	return finish(r);
}

int
main(int argc, char *argv[])
{
	struct result r;
	unsigned int lwt = 5;
	int ch, kill = 0, force = 0;
	size_t i;

	cli_init(argv[0]);
	memset(&r, 0, sizeof(r));
	r.was_ro = r.was_sro = r.ro = r.sro = -1;
	db_opts_init(&opts, "set-readonly");
	while ((ch = getopt_long(argc, argv, DB_SHORTOPTS "kfw:" CLI_OPTS_COMMON,
	    longopts, NULL)) != -1) {
		if (db_opts_handle(&opts, ch, optarg))
			continue;
		switch (ch) {
		case 'k':
			kill = 1;
			break;
		case 'f':
			force = 1;
			break;
		case 'w':
			lwt = (unsigned int)cli_int("--lock-wait-timeout",
			    optarg, 1, 86400);
			break;
		default:
			cli_common_opt(ch, usage, &co);
		}
	}
	if (optind == argc)
		cli_usage_error("missing action: on, off or status");
	for (i = 0; i < 3; i++)
		if (strcmp(argv[optind], action_names[i]) == 0)
			break;
	if (i == 3)
		cli_usage_error("'%s': expected on, off or status",
		    argv[optind]);
	r.act = (enum action)i;
	if (optind + 1 != argc)
		cli_usage_error("unexpected argument '%s'", argv[optind + 1]);
	if (kill && r.act != ACT_ON)
		cli_usage_error("--kill-sessions goes with 'on'");
	if (force && r.act != ACT_OFF)
		cli_usage_error("--force goes with 'off'");
	db_opts_finish(&opts);
	/* The server must give up on a lock before the client does. */
	if (opts.read_timeout < lwt + 2)
		opts.read_timeout = lwt + 2;
	db_init(&conn, &opts);

	if (db_connect(&conn) != 0)
		return fail(&r, EXIT_UNKNOWN, "%s", conn.error);
	if (db_read_only(&conn, &r.was_ro, &r.was_sro) != 0)
		return fail_db(&r, "reading read_only", NULL);
	switch (r.act) {
	case ACT_STATUS:
		r.ro = r.was_ro;
		r.sro = r.was_sro;
		r.was_ro = r.was_sro = -1;
		r.code = r.ro > 0 ? EXIT_YES : EXIT_NO;
		if (r.code == EXIT_NO)
			snprintf(r.reason, sizeof(r.reason), "writable "
			    "(read_only OFF)");
		return finish(&r);
	case ACT_ON:
		return do_on(&r, lwt, kill);
	case ACT_OFF:
		return do_off(&r, lwt, force);
	}
	return EXIT_UNKNOWN;
}
