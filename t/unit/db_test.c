/*
 * Replica status parsing (both column namings) and role evaluation from
 * fabricated rows; the agent reply; error classification.
 */
#include <string.h>

#include "cli.h"
#include "db.h"
#include "dbstatus.h"
#include "unit.h"

/* A MariaDB SHOW SLAVE STATUS row, healthy. */
static const char *maria_names[] = {
	"Slave_IO_State", "Master_Host", "Master_User", "Master_Port",
	"Master_Log_File", "Read_Master_Log_Pos", "Relay_Log_File",
	"Relay_Log_Pos", "Relay_Master_Log_File", "Slave_IO_Running",
	"Slave_SQL_Running", "Last_Errno", "Last_Error",
	"Exec_Master_Log_Pos", "Seconds_Behind_Master", "Last_IO_Errno",
	"Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error",
	"Master_Server_Id", "Using_Gtid", "Gtid_IO_Pos", "SQL_Delay",
	"SQL_Remaining_Delay", "Slave_SQL_Running_State", "Unknown_Column",
};
static const char *maria_values[] = {
	"Waiting for master to send event", "10.0.0.1", "repl", "3306",
	"bin.000003", "1234", "relay.000002", "555", "bin.000003", "Yes",
	"Yes", "0", "", "1234", "0", "0", "", "0", "", "1", "Slave_Pos",
	"0-1-42", "0", NULL, "Slave has read all relay log", "x",
};

/* MySQL 8.0.22+ SHOW REPLICA STATUS names. */
static const char *mysql_names[] = {
	"Replica_IO_State", "Source_Host", "Source_Port", "Source_Log_File",
	"Read_Source_Log_Pos", "Relay_Source_Log_File", "Exec_Source_Log_Pos",
	"Replica_IO_Running", "Replica_SQL_Running", "Seconds_Behind_Source",
	"Last_IO_Errno", "Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error",
	"Retrieved_Gtid_Set", "Executed_Gtid_Set", "Auto_Position",
	"Replica_SQL_Running_State", "Source_Server_Id",
};
static const char *mysql_values[] = {
	"Waiting for source to send event", "db1", "3307", "binlog.000010",
	"999", "binlog.000009", "777", "Connecting", "No", NULL, "2003",
	"error connecting to source", "1062", "Duplicate entry '5' for key",
	"uuid:1-10", "uuid:1-8", "1", "", "11",
};

#define N(a) ((unsigned int)(sizeof(a) / sizeof(a[0])))

static void
obs_ok(struct db_observation *o, int ro)
{
	memset(o, 0, sizeof(*o));
	db_rs_init(&o->rs);
	o->cls = DB_OK;
	o->read_only = ro;
	o->super_read_only = -1;
	o->asked_replica = 1;
}

static void
eval(enum db_role role, long long max_lag, const struct db_observation *o,
    struct db_verdict *v)
{
	struct db_check c = { role, max_lag };

	db_evaluate(&c, o, v);
}

static void
test_parse(void)
{
	struct db_replica_status rs;

	db_rs_init(&rs);
	CHECK_EQ(rs.present, 0);
	CHECK_EQ(rs.lag, -1);
	CHECK_STR(rs.source_host, "");
	CHECK_EQ(db_rs_parse(&rs, N(maria_names), maria_names, maria_values,
	    NULL), 0);
	CHECK_EQ(rs.present, 1);
	CHECK_STR(rs.source_host, "10.0.0.1");
	CHECK_EQ(rs.source_port, 3306);
	CHECK_STR(rs.source_log_file, "bin.000003");
	CHECK_EQ(rs.read_source_log_pos, 1234);
	CHECK_STR(rs.relay_source_log_file, "bin.000003");
	CHECK_EQ(rs.exec_source_log_pos, 1234);
	CHECK_EQ(rs.io_running, DB_THREAD_YES);
	CHECK_EQ(rs.sql_running, DB_THREAD_YES);
	CHECK_EQ(rs.lag, 0);
	CHECK_STR(rs.using_gtid, "Slave_Pos");
	CHECK_STR(rs.gtid_io_pos, "0-1-42");
	CHECK_EQ(rs.sql_delay, 0);
	CHECK_EQ(rs.sql_remaining_delay, -1);
	CHECK_EQ(rs.auto_position, -1);
	CHECK_EQ(rs.source_server_id, 1);
	db_rs_free(&rs);
	CHECK_EQ(rs.present, 0);

	CHECK_EQ(db_rs_parse(&rs, N(mysql_names), mysql_names, mysql_values,
	    NULL), 0);
	CHECK_STR(rs.source_host, "db1");
	CHECK_EQ(rs.source_port, 3307);
	CHECK_STR(rs.source_log_file, "binlog.000010");
	CHECK_EQ(rs.read_source_log_pos, 999);
	CHECK_STR(rs.relay_source_log_file, "binlog.000009");
	CHECK_EQ(rs.exec_source_log_pos, 777);
	CHECK_EQ(rs.io_running, DB_THREAD_CONNECTING);
	CHECK_EQ(rs.sql_running, DB_THREAD_NO);
	CHECK_EQ(rs.lag, -1);
	CHECK_EQ(rs.last_io_errno, 2003);
	CHECK_EQ(rs.last_sql_errno, 1062);
	CHECK_STR(rs.retrieved_gtid_set, "uuid:1-10");
	CHECK_STR(rs.executed_gtid_set, "uuid:1-8");
	CHECK_EQ(rs.auto_position, 1);
	CHECK_EQ(rs.source_server_id, 11);
	db_rs_free(&rs);

	/* Lengths given, values not NUL-terminated; junk numbers. */
	{
		const char *names[] = { "Master_Host", "Master_Port",
		    "Seconds_Behind_Master", "Slave_IO_Running" };
		const char *vals[] = { "hostXXX", "12ab", "-5", "yes" };
		unsigned long lens[] = { 4, 4, 2, 3 };

		CHECK_EQ(db_rs_parse(&rs, 4, names, vals, lens), 0);
		CHECK_STR(rs.source_host, "host");
		CHECK_EQ(rs.source_port, -1);
		CHECK_EQ(rs.lag, -1);
		CHECK_EQ(rs.io_running, DB_THREAD_YES);
		db_rs_free(&rs);
	}
}

static void
set(struct db_observation *o, const char *const *names,
    const char *const *vals, unsigned int n)
{
	db_rs_free(&o->rs);
	CHECK_EQ(db_rs_parse(&o->rs, n, names, vals, NULL), 0);
}

static void
test_roles(void)
{
	struct db_observation o;
	struct db_verdict v;
	const char *names[] = { "Slave_IO_Running", "Slave_SQL_Running",
	    "Seconds_Behind_Master", "Last_SQL_Errno", "Last_SQL_Error",
	    "Last_IO_Errno", "Last_IO_Error", "Master_Host", "Master_Port" };
	const char *healthy[] = { "Yes", "Yes", "0", "0", "", "0", "",
	    "p1", "3306" };
	const char *sqlstop[] = { "Yes", "No", NULL, "0", "", "0", "",
	    "p1", "3306" };
	const char *sqlerr[] = { "Yes", "No", NULL, "1062",
	    "Duplicate entry", "0", "", "p1", "3306" };
	const char *iostop[] = { "No", "Yes", NULL, "0", "", "0", "",
	    "p1", "3306" };
	const char *ioconn[] = { "Connecting", "Yes", NULL, "0", "", "2003",
	    "cannot reach", "p1", "3306" };
	const char *bothstop[] = { "No", "No", NULL, "0", "", "0", "",
	    "p1", "3306" };
	const char *lag30[] = { "Yes", "Yes", "30", "0", "", "0", "",
	    "p1", "3306" };
	const char *lagnull[] = { "Yes", "Yes", NULL, "0", "", "0", "",
	    "p1", "3306" };
	const char *lag5[] = { "Yes", "Yes", "5", "0", "", "0", "",
	    "p1", "3306" };
	unsigned int n = N(names);

	/* A primary: no row, read_only off. */
	obs_ok(&o, 0);
	eval(DB_ROLE_PRIMARY, -1, &o, &v);
	CHECK_EQ(v.code, 0);
	CHECK_STR(v.role_seen, "primary");
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "not a replica (no replication configured)");
	eval(DB_ROLE_WRITABLE, -1, &o, &v);
	CHECK_EQ(v.code, 0);
	eval(DB_ROLE_ANY, -1, &o, &v);
	CHECK_EQ(v.code, 0);
	eval(DB_ROLE_ALIVE, -1, &o, &v);
	CHECK_EQ(v.code, 0);
	o.read_only = 1;
	eval(DB_ROLE_PRIMARY, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "read_only is ON");
	CHECK_STR(v.role_seen, "read-only");
	o.read_only = 0;
	o.super_read_only = 1;
	eval(DB_ROLE_WRITABLE, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "super_read_only is ON");
	o.super_read_only = -1;

	/* A stopped replica (STOP SLAVE, no error) with read_only off is a
	   primary (the state right after a promotion). */
	set(&o, names, bothstop, n);
	eval(DB_ROLE_PRIMARY, -1, &o, &v);
	CHECK_EQ(v.code, 0);
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "replication stopped (IO and SQL threads not "
	    "running)");

	set(&o, names, healthy, n);
	o.read_only = 1;
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 0);
	CHECK_STR(v.role_seen, "replica");
	CHECK_EQ(v.weight, 100);
	CHECK_STR(v.reason, "ok (IO and SQL threads running, lag 0 s)");
	eval(DB_ROLE_PRIMARY, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "replicating from p1:3306 (IO thread Yes, SQL "
	    "thread Yes)");
	eval(DB_ROLE_ANY, -1, &o, &v);
	CHECK_EQ(v.code, 0);

	set(&o, names, sqlstop, n);
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "SQL thread stopped");
	eval(DB_ROLE_ANY, -1, &o, &v);
	CHECK_EQ(v.code, 1);

	set(&o, names, sqlerr, n);
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "SQL thread stopped (Last_SQL_Errno 1062: "
	    "Duplicate entry)");

	set(&o, names, iostop, n);
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "IO thread stopped");

	set(&o, names, ioconn, n);
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "IO thread connecting to p1:3306 "
	    "(Last_IO_Errno 2003: cannot reach)");

	/* Lag: NULL is never 0. */
	set(&o, names, lagnull, n);
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 0);
	eval(DB_ROLE_REPLICA, 10, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_STR(v.reason, "lag unknown (Seconds_Behind_Master is NULL)");
	set(&o, names, lag30, n);
	eval(DB_ROLE_REPLICA, 10, &o, &v);
	CHECK_EQ(v.code, 1);
	CHECK_EQ(v.lagging, 1);
	CHECK_STR(v.reason, "lag 30 s > max 10 s");
	eval(DB_ROLE_REPLICA, 30, &o, &v);
	CHECK_EQ(v.code, 0);
	CHECK_EQ(v.weight, 10);
	set(&o, names, lag5, n);
	eval(DB_ROLE_REPLICA, 10, &o, &v);
	CHECK_EQ(v.code, 0);
	CHECK_EQ(v.weight, 55);

	/* Failures to look are classified. */
	o.cls = DB_DENIED;
	strcpy(o.error, "access denied (1045: x)");
	eval(DB_ROLE_REPLICA, -1, &o, &v);
	CHECK_EQ(v.code, 3);
	CHECK_STR(v.reason, "access denied (1045: x)");
	o.cls = DB_NOPRIV;
	eval(DB_ROLE_PRIMARY, -1, &o, &v);
	CHECK_EQ(v.code, 3);
	o.cls = DB_DOWN;
	eval(DB_ROLE_ALIVE, -1, &o, &v);
	CHECK_EQ(v.code, 1);
	o.cls = DB_FAILED;
	eval(DB_ROLE_ALIVE, -1, &o, &v);
	CHECK_EQ(v.code, 3);
	db_rs_free(&o.rs);
}

static void
test_agent(void)
{
	struct db_verdict v;
	char buf[256];
	size_t n;

	memset(&v, 0, sizeof(v));
	v.code = 0;
	v.weight = 100;
	n = db_agent_reply(&v, "replica", buf, sizeof(buf));
	CHECK_STR(buf, "up ready 100%\n");
	CHECK_EQ(n, strlen(buf));
	v.weight = 55;
	db_agent_reply(&v, "replica", buf, sizeof(buf));
	CHECK_STR(buf, "up ready 55%\n");
	v.code = 1;
	strcpy(v.reason, "SQL thread stopped (x\ny\r)");
	db_agent_reply(&v, "replica", buf, sizeof(buf));
	CHECK_STR(buf, "down #replica: SQL thread stopped (x y )\n");
	v.lagging = 1;
	strcpy(v.reason, "lag 30 s > max 10 s");
	db_agent_reply(&v, "replica", buf, sizeof(buf));
	CHECK_STR(buf, "up drain #replica: lag 30 s > max 10 s\n");
	/* Truncated replies still end in a newline. */
	v.lagging = 0;
	memset(v.reason, 'a', 300);
	v.reason[300] = '\0';
	n = db_agent_reply(&v, "replica", buf, 40);
	CHECK_EQ(n, 39);
	CHECK_EQ(buf[38], '\n');
	CHECK_EQ(db_agent_reply(&v, "replica", buf, 10), 0);
}

static void
test_misc(void)
{
	enum db_role r;

	CHECK_EQ(db_classify(0), DB_OK);
	CHECK_EQ(db_classify(1045), DB_DENIED);
	CHECK_EQ(db_classify(1698), DB_DENIED);
	CHECK_EQ(db_classify(1227), DB_NOPRIV);
	CHECK_EQ(db_classify(1142), DB_NOPRIV);
	CHECK_EQ(db_classify(2002), DB_DOWN);
	CHECK_EQ(db_classify(2003), DB_DOWN);
	CHECK_EQ(db_classify(2013), DB_DOWN);
	CHECK_EQ(db_classify(1040), DB_DOWN);
	CHECK_EQ(db_classify(2026), DB_FAILED);
	CHECK_EQ(db_classify(1064), DB_FAILED);
	/* A statement timeout: unhealthy, but the connection is kept. */
	CHECK_EQ(db_classify(1205), DB_BUSY);
	CHECK_EQ(db_classify(1969), DB_BUSY);
	CHECK_EQ(db_classify(3024), DB_BUSY);
	CHECK_EQ(db_class_exit(DB_BUSY), EXIT_NO);
	CHECK_STR(db_class_name(DB_BUSY), "statement timeout");
	CHECK_EQ(db_class_exit(DB_OK), EXIT_YES);
	CHECK_EQ(db_class_exit(DB_DOWN), EXIT_NO);
	CHECK_EQ(db_class_exit(DB_DENIED), EXIT_UNKNOWN);
	CHECK_EQ(db_class_exit(DB_NOPRIV), EXIT_UNKNOWN);
	CHECK_EQ(db_role_parse("replica", &r), 0);
	CHECK_EQ(r, DB_ROLE_REPLICA);
	CHECK_EQ(db_role_parse("writable", &r), 0);
	CHECK_EQ(r, DB_ROLE_WRITABLE);
	CHECK_EQ(db_role_parse("master", &r), -1);
	CHECK_STR(db_role_name(DB_ROLE_PRIMARY), "primary");
	CHECK_STR(db_thread_name(DB_THREAD_CONNECTING), "Connecting");
}

static void
test_opts(void)
{
	struct db_opts o;
	struct db d;
	char buf[128];

	db_opts_init(&o, "dbcheck");
	CHECK_EQ(o.connect_timeout, 2);
	CHECK_STR(db_opts_target(&o, buf, sizeof(buf)), "the default server");
	CHECK_EQ(db_opts_handle(&o, 'S', "/run/x.sock"), 1);
	CHECK_STR(db_opts_target(&o, buf, sizeof(buf)), "socket /run/x.sock");
	CHECK_EQ(db_opts_handle(&o, 'P', "3307"), 1);
	CHECK_EQ(o.port, 3307);
	CHECK_EQ(db_opts_handle(&o, 'H', "10.1.1.1"), 1);
	CHECK_STR(db_opts_target(&o, buf, sizeof(buf)), "10.1.1.1:3307");
	CHECK_EQ(db_opts_handle(&o, DB_OPT_SSL_CA, "/ca.pem"), 1);
	CHECK_EQ(o.tls, 1);
	CHECK_EQ(db_opts_handle(&o, DB_OPT_READ_TIMEOUT, "7"), 1);
	CHECK_EQ(o.read_timeout, 7);
	CHECK_EQ(db_opts_handle(&o, 'x', "1"), 0);

	/* Statement choice by flavour and version. */
	db_init(&d, &o);
	d.flavour = DB_MARIADB;
	d.version = 101119;
	CHECK_STR(db_replica_status_sql(&d), "SHOW REPLICA STATUS");
	CHECK_STR(db_monitor_privilege(&d), "REPLICA MONITOR");
	d.version = 100406;
	CHECK_STR(db_replica_status_sql(&d), "SHOW SLAVE STATUS");
	CHECK_STR(db_monitor_privilege(&d), "REPLICATION CLIENT");
	d.flavour = DB_MYSQL;
	d.version = 80036;
	CHECK_STR(db_replica_status_sql(&d), "SHOW REPLICA STATUS");
	CHECK_STR(db_monitor_privilege(&d), "REPLICATION CLIENT");
	d.version = 80021;
	CHECK_STR(db_replica_status_sql(&d), "SHOW SLAVE STATUS");
}

int
main(void)
{
	test_parse();
	test_roles();
	test_agent();
	test_misc();
	test_opts();
	UNIT_DONE();
}
