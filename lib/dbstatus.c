#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "dbstatus.h"

enum col_kind { COL_STR, COL_NUM, COL_THREAD, COL_BOOL };

struct col {
	const char	*name;
	enum col_kind	 kind;
	size_t		 off;
};

#define S(n, f)	{ n, COL_STR, offsetof(struct db_replica_status, f) }
#define N(n, f)	{ n, COL_NUM, offsetof(struct db_replica_status, f) }
#define T(n, f)	{ n, COL_THREAD, offsetof(struct db_replica_status, f) }
#define B(n, f)	{ n, COL_BOOL, offsetof(struct db_replica_status, f) }

/* Both spellings of every column we use. */
static const struct col cols[] = {
	S("Slave_IO_State", io_state),
	S("Replica_IO_State", io_state),
	S("Master_Host", source_host),
	S("Source_Host", source_host),
	S("Master_User", source_user),
	S("Source_User", source_user),
	N("Master_Port", source_port),
	N("Source_Port", source_port),
	S("Master_Log_File", source_log_file),
	S("Source_Log_File", source_log_file),
	N("Read_Master_Log_Pos", read_source_log_pos),
	N("Read_Source_Log_Pos", read_source_log_pos),
	S("Relay_Log_File", relay_log_file),
	N("Relay_Log_Pos", relay_log_pos),
	S("Relay_Master_Log_File", relay_source_log_file),
	S("Relay_Source_Log_File", relay_source_log_file),
	T("Slave_IO_Running", io_running),
	T("Replica_IO_Running", io_running),
	T("Slave_SQL_Running", sql_running),
	T("Replica_SQL_Running", sql_running),
	N("Last_Errno", last_errno),
	S("Last_Error", last_error),
	N("Exec_Master_Log_Pos", exec_source_log_pos),
	N("Exec_Source_Log_Pos", exec_source_log_pos),
	N("Relay_Log_Space", relay_log_space),
	N("Seconds_Behind_Master", lag),
	N("Seconds_Behind_Source", lag),
	N("Last_IO_Errno", last_io_errno),
	S("Last_IO_Error", last_io_error),
	N("Last_SQL_Errno", last_sql_errno),
	S("Last_SQL_Error", last_sql_error),
	N("Master_Server_Id", source_server_id),
	N("Source_Server_Id", source_server_id),
	N("SQL_Delay", sql_delay),
	N("SQL_Remaining_Delay", sql_remaining_delay),
	S("Slave_SQL_Running_State", sql_state),
	S("Replica_SQL_Running_State", sql_state),
	S("Using_Gtid", using_gtid),
	S("Gtid_IO_Pos", gtid_io_pos),
	S("Retrieved_Gtid_Set", retrieved_gtid_set),
	S("Executed_Gtid_Set", executed_gtid_set),
	B("Auto_Position", auto_position),
};

#undef S
#undef N
#undef T
#undef B

static char empty[1];

void
db_rs_init(struct db_replica_status *rs)
{
	size_t i;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		char *p = (char *)rs + cols[i].off;

		switch (cols[i].kind) {
		case COL_STR:
			*(char **)(void *)p = empty;
			break;
		case COL_NUM:
			*(long long *)(void *)p = -1;
			break;
		case COL_THREAD:
			*(enum db_thread *)(void *)p = DB_THREAD_UNKNOWN;
			break;
		case COL_BOOL:
			*(int *)(void *)p = -1;
			break;
		}
	}
}

void
db_rs_free(struct db_replica_status *rs)
{
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		char **sp;

		if (cols[i].kind != COL_STR)
			continue;
		sp = (char **)(void *)((char *)rs + cols[i].off);
		if (*sp != empty)
			free(*sp);
		*sp = empty;
	}
	db_rs_init(rs);
}

static long long
num(const char *v, size_t len)
{
	char buf[32];
	long long out;
	const char *errstr;

	if (v == NULL || len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (parse_int(buf, 0, (long long)1 << 62, &out, &errstr) != 0)
		return -1;
	return out;
}

static enum db_thread
thread(const char *v, size_t len)
{
	if (v == NULL)
		return DB_THREAD_UNKNOWN;
	if (len == 3 && strncasecmp(v, "Yes", 3) == 0)
		return DB_THREAD_YES;
	if (len == 2 && strncasecmp(v, "No", 2) == 0)
		return DB_THREAD_NO;
	if (len == 10 && strncasecmp(v, "Connecting", 10) == 0)
		return DB_THREAD_CONNECTING;
	return DB_THREAD_UNKNOWN;
}

int
db_rs_parse(struct db_replica_status *rs, unsigned int n,
    const char *const *names, const char *const *values,
    const unsigned long *lens)
{
	unsigned int i;
	size_t c, len;

	rs->present = 1;
	for (i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		len = values[i] == NULL ? 0 :
		    lens != NULL ? lens[i] : strlen(values[i]);
		for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			char *p = (char *)rs + cols[c].off;

			if (strcasecmp(names[i], cols[c].name) != 0)
				continue;
			switch (cols[c].kind) {
			case COL_STR: {
				char **sp = (char **)(void *)p, *s;

				if (values[i] == NULL)
					break;
				if ((s = malloc(len + 1)) == NULL)
					return -1;
				memcpy(s, values[i], len);
				s[len] = '\0';
				if (*sp != empty)
					free(*sp);
				*sp = s;
				break;
			}
			case COL_NUM:
				*(long long *)(void *)p = num(values[i], len);
				break;
			case COL_THREAD:
				*(enum db_thread *)(void *)p =
				    thread(values[i], len);
				break;
			case COL_BOOL: {
				long long b = num(values[i], len);

				*(int *)(void *)p = b < 0 ? -1 : b != 0;
				break;
			}
			}
			break;
		}
	}
	return 0;
}

const char *
db_thread_name(enum db_thread t)
{
	switch (t) {
	case DB_THREAD_NO:
		return "No";
	case DB_THREAD_YES:
		return "Yes";
	case DB_THREAD_CONNECTING:
		return "Connecting";
	default:
		return "unknown";
	}
}

static const char *const role_names[] = {
	[DB_ROLE_ALIVE] = "alive",
	[DB_ROLE_ANY] = "any",
	[DB_ROLE_PRIMARY] = "primary",
	[DB_ROLE_REPLICA] = "replica",
	[DB_ROLE_WRITABLE] = "writable",
};

int
db_role_parse(const char *s, enum db_role *out)
{
	size_t i;

	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum db_role)i;
			return 0;
		}
	}
	return -1;
}

const char *
db_role_name(enum db_role r)
{
	if ((size_t)r < sizeof(role_names) / sizeof(role_names[0]))
		return role_names[r];
	return "unknown";
}

int
db_class_exit(enum db_class c)
{
	switch (c) {
	case DB_OK:
		return EXIT_YES;
	case DB_DOWN:
	case DB_BUSY:
		return EXIT_NO;
	default:
		return EXIT_UNKNOWN;
	}
}

const char *
db_class_name(enum db_class c)
{
	switch (c) {
	case DB_OK:
		return "ok";
	case DB_DOWN:
		return "unreachable";
	case DB_BUSY:
		return "statement timeout";
	case DB_DENIED:
		return "access denied";
	case DB_NOPRIV:
		return "missing privilege";
	default:
		return "error";
	}
}

static void
say(struct db_verdict *v, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct db_verdict *v, int code, const char *fmt, ...)
{
	va_list ap;

	v->code = code;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

/* " (Last_SQL_Errno 1062: text)" or "" */
void
db_errtext(char *buf, size_t len, const char *what, long long no,
    const char *msg)
{
	if (no <= 0) {
		buf[0] = '\0';
		return;
	}
	if (msg != NULL && *msg != '\0')
		snprintf(buf, len, " (%s %lld: %s)", what, no, msg);
	else
		snprintf(buf, len, " (%s %lld)", what, no);
}

static int
replicating(const struct db_replica_status *rs)
{
	return rs->present && (rs->io_running != DB_THREAD_NO ||
	    rs->sql_running != DB_THREAD_NO || rs->last_io_errno > 0 ||
	    rs->last_sql_errno > 0);
}

static void
eval_replica(const struct db_check *chk, const struct db_replica_status *rs,
    struct db_verdict *v)
{
	char sqle[300], ioe[300];
	long long w;

	db_errtext(sqle, sizeof(sqle), "Last_SQL_Errno", rs->last_sql_errno,
	    rs->last_sql_error);
	db_errtext(ioe, sizeof(ioe), "Last_IO_Errno", rs->last_io_errno,
	    rs->last_io_error);
	if (!rs->present) {
		say(v, EXIT_NO, "not a replica (no replication configured)");
		return;
	}
	if (rs->sql_running != DB_THREAD_YES &&
	    rs->io_running == DB_THREAD_NO && rs->last_sql_errno <= 0 &&
	    rs->last_io_errno <= 0) {
		say(v, EXIT_NO, "replication stopped (IO and SQL threads "
		    "not running)");
		return;
	}
	if (rs->sql_running != DB_THREAD_YES) {
		say(v, EXIT_NO, "SQL thread %s%s",
		    rs->sql_running == DB_THREAD_NO ? "stopped" :
		    "not running", sqle);
		return;
	}
	if (rs->last_sql_errno > 0) {
		say(v, EXIT_NO, "SQL thread error%s", sqle);
		return;
	}
	if (rs->io_running == DB_THREAD_CONNECTING) {
		say(v, EXIT_NO, "IO thread connecting to %s:%lld%s",
		    rs->source_host, rs->source_port, ioe);
		return;
	}
	if (rs->io_running != DB_THREAD_YES) {
		say(v, EXIT_NO, "IO thread %s%s",
		    rs->io_running == DB_THREAD_NO ? "stopped" :
		    "not running", ioe);
		return;
	}
	if (chk->max_lag >= 0) {
		if (rs->lag < 0) {
			say(v, EXIT_NO, "lag unknown (Seconds_Behind_Master "
			    "is NULL)");
			return;
		}
		if (rs->lag > chk->max_lag) {
			v->lagging = 1;
			say(v, EXIT_NO, "lag %lld s > max %lld s", rs->lag,
			    chk->max_lag);
			return;
		}
		w = 100;
		if (chk->max_lag > 0)
			w = 100 - rs->lag * 90 / chk->max_lag;
		v->weight = (int)(w < 10 ? 10 : w > 100 ? 100 : w);
	} else
		v->weight = 100;
	if (rs->lag < 0)
		say(v, EXIT_YES, "ok (IO and SQL threads running, lag NULL)");
	else
		say(v, EXIT_YES, "ok (IO and SQL threads running, lag %lld s)",
		    rs->lag);
}

void
db_evaluate(const struct db_check *chk, const struct db_observation *o,
    struct db_verdict *v)
{
	const struct db_replica_status *rs = &o->rs;

	memset(v, 0, sizeof(*v));
	if (o->cls != DB_OK) {
		say(v, db_class_exit(o->cls), "%s", o->error);
		return;
	}
	if (o->asked_replica && replicating(rs))
		v->role_seen = "replica";
	else if (o->asked_replica && o->read_only == 0 &&
	    o->super_read_only <= 0)
		v->role_seen = "primary";
	else if (o->asked_replica && o->read_only >= 0)
		v->role_seen = "read-only";

	switch (chk->role) {
	case DB_ROLE_ALIVE:
		v->weight = 100;
		say(v, EXIT_YES, "ok (query succeeded)");
		return;
	case DB_ROLE_REPLICA:
		eval_replica(chk, rs, v);
		return;
	case DB_ROLE_ANY:
		if (replicating(rs)) {
			eval_replica(chk, rs, v);
			return;
		}
		v->weight = 100;
		say(v, EXIT_YES, "ok (%s, not replicating)",
		    v->role_seen != NULL ? v->role_seen : "server");
		return;
	case DB_ROLE_PRIMARY:
		if (replicating(rs)) {
			say(v, EXIT_NO, "replicating from %s:%lld "
			    "(IO thread %s, SQL thread %s)", rs->source_host,
			    rs->source_port, db_thread_name(rs->io_running),
			    db_thread_name(rs->sql_running));
			return;
		}
		/* FALLTHROUGH */
	case DB_ROLE_WRITABLE:
		if (o->read_only > 0) {
			say(v, EXIT_NO, "read_only is ON");
			return;
		}
		if (o->super_read_only > 0) {
			say(v, EXIT_NO, "super_read_only is ON");
			return;
		}
		if (o->read_only < 0) {
			say(v, EXIT_UNKNOWN, "read_only unknown");
			return;
		}
		v->weight = 100;
		say(v, EXIT_YES, chk->role == DB_ROLE_PRIMARY ?
		    "ok (read_only OFF, not replicating)" :
		    "ok (read_only OFF)");
		return;
	}
	say(v, EXIT_UNKNOWN, "unknown role");
}

size_t
db_agent_reply(const struct db_verdict *v, const char *role_label, char *out,
    size_t cap)
{
	char why[200];
	size_t i;
	int n;

	if (cap < 32) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	if (v->code == EXIT_YES)
		n = snprintf(out, cap, "up ready %d%%\n", v->weight);
	else {
		snprintf(why, sizeof(why), "%.40s: %.150s", role_label, v->reason);
		for (i = 0; why[i] != '\0'; i++) {
			unsigned char ch = (unsigned char)why[i];

			if (ch < 0x20 || ch == 0x7f)
				why[i] = ' ';
		}
		n = snprintf(out, cap, "%s #%s\n",
		    v->lagging ? "up drain" : "down", why);
	}
	if (n < 0)
		n = 0;
	if ((size_t)n >= cap) {
		n = (int)cap - 1;
		out[n - 1] = '\n';
	}
	return (size_t)n;
}
