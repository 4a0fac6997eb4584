#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "db.h"
#include "dbpromote.h"

const char *
dbp_read_only_privilege(const struct db *d)
{
	if (d->flavour == DB_MYSQL)
		return "SYSTEM_VARIABLES_ADMIN or SUPER";
	if (d->version >= 101100)
		return "READ_ONLY ADMIN";
	if (d->version >= 100502)
		return "READ_ONLY ADMIN or SUPER";
	return "SUPER";
}

const char *
dbp_kill_privilege(const struct db *d)
{
	if (d->flavour == DB_MYSQL)
		return "CONNECTION_ADMIN or SUPER";
	if (d->version >= 100502)
		return "CONNECTION ADMIN";
	return "SUPER";
}

int
dbp_set_read_only(struct db *d, int on, unsigned int lwt, int *ro, int *sro)
{
	char sql[64];
	const char *val = on ? "ON" : "OFF";

	*ro = *sro = -1;
	snprintf(sql, sizeof(sql), "SET SESSION lock_wait_timeout = %u", lwt);
	if (db_exec(d, sql) != 0)
		return -1;
	if (d->flavour == DB_MYSQL) {
		/* super_read_only=ON implies read_only=ON; OFF goes first. */
		snprintf(sql, sizeof(sql), "SET GLOBAL super_read_only = %s",
		    val);
		if (db_exec(d, sql) != 0)
			return -1;
	}
	snprintf(sql, sizeof(sql), "SET GLOBAL read_only = %s", val);
	if (db_exec(d, sql) != 0)
		return -1;
	if (db_read_only(d, ro, sro) != 0)
		return -1;
	if (*ro != on || (*sro >= 0 && *sro != on)) {
		d->cls = DB_FAILED;
		d->err_no = 0;
		snprintf(d->error, sizeof(d->error), "read back read_only=%s%s "
		    "after setting it %s", *ro ? "ON" : "OFF",
		    *sro < 0 ? "" : *sro ? ", super_read_only=ON" :
		    ", super_read_only=OFF", val);
		return -2;
	}
	return 0;
}

int
dbp_session_fenced(const char *user, const char *command, long long id,
    long long self)
{
	static const char *const keep_users[] = {
		"system user", "event_scheduler",
	};
	static const char *const keep_commands[] = {
		"Binlog Dump", "Binlog Dump GTID", "Register Slave",
		"Slave_IO", "Slave_SQL", "Slave_worker", "Daemon",
	};
	size_t i;

	if (id == self)
		return 0;
	for (i = 0; i < sizeof(keep_users) / sizeof(keep_users[0]); i++)
		if (user != NULL && strcasecmp(user, keep_users[i]) == 0)
			return 0;
	for (i = 0; i < sizeof(keep_commands) / sizeof(keep_commands[0]); i++)
		if (command != NULL && strcasecmp(command, keep_commands[i]) ==
		    0)
			return 0;
	return 1;
}

/* The current account as GRANTEE spells it: 'user'@'host'. */
#define ACCOUNT_SQL	"CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), " \
			"'''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"

int
dbp_sees_all_sessions(struct db *d)
{
	long long n;

	/* Only the current account's rows: an admin sees everybody's. */
	if (db_query_int(d, "SELECT COUNT(*) FROM "
	    "information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = "
	    "'PROCESS' AND GRANTEE = " ACCOUNT_SQL, &n, NULL) < 0)
		return -1;
	return n > 0;
}

void
dbp_grant_hint(struct db *d, const char *privs, char *buf, size_t len)
{
	char account[300], error[sizeof(d->error)];
	const char *or = strstr(privs, " or ");
	enum db_class cls = d->cls;
	unsigned int err_no = d->err_no;
	int null = 0;

	buf[0] = '\0';
	/* The failure being reported stays the connection's last one. */
	memcpy(error, d->error, sizeof(error));
	if (db_query_value(d, "SELECT " ACCOUNT_SQL, account, sizeof(account),
	    &null) == 1 && !null && account[0] != '\0')
		snprintf(buf, len, "GRANT %.*s ON *.* TO %s",
		    (int)(or != NULL ? (size_t)(or - privs) : strlen(privs)),
		    privs, account);
	d->cls = cls;
	d->err_no = err_no;
	memcpy(d->error, error, sizeof(error));
}

struct list_arg {
	long long	 self;
	struct dbp_session *v;
	size_t		 n, cap;
	int		 oom;
};

static void
copy(char *dst, size_t cap, const char *v, unsigned long len)
{
	size_t l;

	if (v == NULL) {
		dst[0] = '\0';
		return;
	}
	l = len < cap ? len : cap - 1;
	memcpy(dst, v, l);
	dst[l] = '\0';
}

static int
session_row(void *arg, unsigned int n, const char *const *names,
    const char *const *values, const unsigned long *lens)
{
	struct list_arg *la = arg;
	struct dbp_session s;
	const char *errstr;
	char num[32];

	(void)names;
	if (n < 6 || values[0] == NULL)
		return 0;
	memset(&s, 0, sizeof(s));
	copy(num, sizeof(num), values[0], lens[0]);
	if (parse_int(num, 0, (long long)1 << 62, &s.id, &errstr) != 0)
		return 0;
	copy(s.user, sizeof(s.user), values[1], lens[1]);
	copy(s.host, sizeof(s.host), values[2], lens[2]);
	copy(s.command, sizeof(s.command), values[3], lens[3]);
	copy(s.state, sizeof(s.state), values[4], lens[4]);
	copy(num, sizeof(num), values[5], lens[5]);
	if (values[5] == NULL ||
	    parse_int(num, 0, (long long)1 << 62, &s.time, &errstr) != 0)
		s.time = -1;
	if (!dbp_session_fenced(s.user, s.command, s.id, la->self))
		return 0;
	if (la->n == la->cap) {
		size_t cap = la->cap ? la->cap * 2 : 16;
		struct dbp_session *v = realloc(la->v, cap * sizeof(*v));

		if (v == NULL) {
			la->oom = 1;
			return 1;
		}
		la->v = v;
		la->cap = cap;
	}
	la->v[la->n++] = s;
	return 0;
}

int
dbp_fenced_sessions(struct db *d, struct dbp_session **out, size_t *n)
{
	struct list_arg la;

	memset(&la, 0, sizeof(la));
	*out = NULL;
	*n = 0;
	if (db_query_int(d, "SELECT CONNECTION_ID()", &la.self, NULL) < 0)
		return -1;
	if (db_query_rows(d, "SELECT ID, USER, HOST, COMMAND, STATE, TIME "
	    "FROM information_schema.PROCESSLIST ORDER BY ID", session_row,
	    &la) < 0) {
		free(la.v);
		return -1;
	}
	if (la.oom) {
		free(la.v);
		d->cls = DB_FAILED;
		d->err_no = 0;
		snprintf(d->error, sizeof(d->error), "process list: out of "
		    "memory");
		return -1;
	}
	*out = la.v;
	*n = la.n;
	return 0;
}

int
dbp_kill(struct db *d, long long id)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "KILL CONNECTION %lld", id);
	if (db_exec(d, sql) == 0)
		return 0;
	if (d->err_no == DBP_ER_NO_SUCH_THREAD)
		return 1;
	return -1;
}

static int
status_row(void *arg, unsigned int n, const char *const *names,
    const char *const *values, const unsigned long *lens)
{
	struct dbp_position *p = arg;
	const char *errstr;
	char num[32];

	(void)names;
	if (n < 2 || values[0] == NULL || values[1] == NULL)
		return 1;
	copy(p->file, sizeof(p->file), values[0], lens[0]);
	copy(num, sizeof(num), values[1], lens[1]);
	if (parse_int(num, 0, (long long)1 << 62, &p->pos, &errstr) == 0)
		p->have_file = 1;
	return 1;
}

int
dbp_position(struct db *d, struct dbp_position *p)
{
	const char *sql, *priv;
	int r, null = 0;

	memset(p, 0, sizeof(*p));
	p->pos = -1;
	r = db_query_value(d, d->flavour == DB_MYSQL ?
	    "SELECT @@GLOBAL.gtid_executed" :
	    "SELECT @@GLOBAL.gtid_binlog_pos", p->gtid, sizeof(p->gtid),
	    &null);
	if (r < 0)
		return -1;
	p->have_gtid = r > 0 && !null && p->gtid[0] != '\0';
	if (d->flavour == DB_MYSQL && d->version >= 80200) {
		sql = "SHOW BINARY LOG STATUS";
		priv = "REPLICATION CLIENT";
	} else {
		sql = "SHOW MASTER STATUS";
		priv = d->flavour == DB_MARIADB && d->version >= 100502 ?
		    "BINLOG MONITOR" : "REPLICATION CLIENT";
	}
	r = db_query_rows(d, sql, status_row, p);
	if (r < 0) {
		if (d->cls != DB_NOPRIV && d->cls != DB_FAILED)
			return -1;
		if (d->cls == DB_NOPRIV)
			snprintf(p->error, sizeof(p->error), "binlog position "
			    "unknown: missing privilege %s for %s", priv, sql);
		else
			snprintf(p->error, sizeof(p->error), "binlog position "
			    "unknown: %.400s", d->error);
		return 0;
	}
	if (!p->have_file)
		snprintf(p->error, sizeof(p->error), "binary log is off");
	return 0;
}
