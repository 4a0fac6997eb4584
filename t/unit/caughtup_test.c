/*
 * Unit tests for lib/caughtup (MariaDB GTID positions, MySQL GTID sets,
 * the caught-up decision) and the pure part of lib/dbpromote, with
 * fabricated SHOW SLAVE/REPLICA STATUS rows of both namings.
 */
#include <stdint.h>
#include <string.h>

#include "caughtup.h"
#include "dbpromote.h"
#include "unit.h"

#define UA "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define UB "8a94f357-aab4-11df-86ab-c80aa9429562"

static int
mpos(struct mgtid_pos *p, const char *s)
{
	const char *errstr = NULL;

	return mgtid_pos_parse(p, s, strlen(s), &errstr);
}

static long long
mbehind(const char *have, const char *want)
{
	struct mgtid_pos h, w;
	long long n;

	mgtid_pos_init(&h);
	mgtid_pos_init(&w);
	if (mpos(&h, have) != 0 || mpos(&w, want) != 0)
		return -1;
	n = (long long)mgtid_pos_behind(&h, &w);
	mgtid_pos_free(&h);
	mgtid_pos_free(&w);
	return n;
}

static int
gset(struct gtid_set *g, const char *s)
{
	const char *errstr = NULL;

	return gtid_set_parse(g, s, strlen(s), &errstr);
}

static long long
gmissing(const char *have, const char *want)
{
	struct gtid_set h, w;
	long long n;

	gtid_set_init(&h);
	gtid_set_init(&w);
	if (gset(&h, have) != 0 || gset(&w, want) != 0) {
		gtid_set_free(&h);
		gtid_set_free(&w);
		return -1;
	}
	n = (long long)gtid_set_missing(&h, &w);
	gtid_set_free(&h);
	gtid_set_free(&w);
	return n;
}

static long long
gcount(const char *s)
{
	struct gtid_set g;
	long long n;

	gtid_set_init(&g);
	if (gset(&g, s) != 0)
		return -1;
	n = (long long)gtid_set_count(&g);
	gtid_set_free(&g);
	return n;
}

static void
test_mariadb_positions(void)
{
	struct mgtid_pos p;
	const char *errstr = NULL;

	mgtid_pos_init(&p);
	CHECK_EQ(mpos(&p, ""), 0);
	CHECK_EQ(p.n, 0);
	CHECK_EQ(mpos(&p, "0-1-42"), 0);
	CHECK_EQ(p.n, 1);
	CHECK_EQ(p.v[0].domain, 0);
	CHECK_EQ(p.v[0].server, 1);
	CHECK_EQ(p.v[0].seq, 42);
	CHECK_EQ(mpos(&p, "1-2-7,0-1-42"), 0);
	CHECK_EQ(p.n, 2);
	CHECK_EQ(p.v[0].domain, 0);	/* sorted */
	CHECK_EQ(p.v[1].seq, 7);
	/* a domain twice (gtid_binlog_state style): the highest seqno */
	CHECK_EQ(mpos(&p, " 0-1-5 ,\n0-2-9, 0-3-8 "), 0);
	CHECK_EQ(p.n, 1);
	CHECK_EQ(p.v[0].seq, 9);
	CHECK_EQ(p.v[0].server, 2);
	CHECK_EQ(mpos(&p, "4294967295-4294967295-18446744073709551615"), 0);
	CHECK(p.v[0].seq == UINT64_MAX);

	CHECK_EQ(mpos(&p, "0-1"), -1);
	CHECK_EQ(p.n, 0);		/* left empty on error */
	CHECK_EQ(mpos(&p, "a-1-2"), -1);
	CHECK_EQ(mpos(&p, "0-1-2,"), -1);
	CHECK_EQ(mpos(&p, ",0-1-2"), -1);
	CHECK_EQ(mpos(&p, "0-1-2;1-1-1"), -1);
	CHECK_EQ(mpos(&p, "0-1-18446744073709551616"), -1);
	CHECK_EQ(mpos(&p, "4294967296-1-1"), -1);
	CHECK_EQ(mpos(&p, "0--1-2"), -1);
	CHECK_EQ(mpos(&p, "0-1-2 0-1-3"), -1);
	CHECK_EQ(mgtid_pos_parse(&p, "0-1-2\0-5", 8, &errstr), -1);
	CHECK(errstr != NULL);
	/* length bounds the parse, not a NUL */
	CHECK_EQ(mgtid_pos_parse(&p, "0-1-2999", 5, &errstr), 0);
	CHECK_EQ(p.v[0].seq, 2);
	mgtid_pos_free(&p);

	CHECK_EQ(mbehind("0-1-42", "0-1-42"), 0);
	CHECK_EQ(mbehind("0-1-40", "0-1-42"), 2);
	CHECK_EQ(mbehind("0-1-50", "0-1-42"), 0);	/* ahead */
	CHECK_EQ(mbehind("0-2-42", "0-1-42"), 0);	/* server id ignored */
	CHECK_EQ(mbehind("", "0-1-42"), 42);		/* domain never applied */
	CHECK_EQ(mbehind("0-1-40,1-1-3", "0-1-42,1-1-10"), 9);
	CHECK_EQ(mbehind("0-1-40,5-1-3", "0-1-40"), 0);	/* extra domain */
	CHECK_EQ(mbehind("0-1-1", ""), 0);
	CHECK_EQ(mbehind("", "0-1-18446744073709551615,1-1-18446744073709551615"),
	    INT64_MAX);
}

static void
test_mysql_sets(void)
{
	struct gtid_set g;
	const char *errstr = NULL;

	gtid_set_init(&g);
	CHECK_EQ(gset(&g, ""), 0);
	CHECK_EQ(g.n, 0);
	CHECK_EQ(gset(&g, "  \n"), 0);
	CHECK_EQ(gset(&g, UA ":1-5"), 0);
	CHECK_EQ(g.n, 1);
	CHECK_STR(g.s[0].uuid, UA);
	CHECK_STR(g.s[0].tag, "");
	CHECK_EQ(g.s[0].n, 1);
	/* upper case in, lower case kept; intervals merged and sorted */
	CHECK_EQ(gset(&g, "3E11FA47-71CA-11E1-9E33-C80AA9429562:7-9:1-5:6"), 0);
	CHECK_STR(g.s[0].uuid, UA);
	CHECK_EQ(g.s[0].n, 1);
	CHECK_EQ(g.s[0].iv[0].lo, 1);
	CHECK_EQ(g.s[0].iv[0].hi, 9);
	/* MySQL prints a newline after each comma */
	CHECK_EQ(gset(&g, UB ":1-3,\n" UA ":1-100:200"), 0);
	CHECK_EQ(g.n, 2);
	CHECK_STR(g.s[0].uuid, UA);	/* sorted */
	CHECK_EQ(g.s[0].n, 2);
	gtid_set_free(&g);

	CHECK_EQ(gcount(UA ":1-5"), 5);
	CHECK_EQ(gcount(UA ":1-5:7-9"), 8);
	CHECK_EQ(gcount(UA ":1-5:3-8"), 8);		/* overlap */
	CHECK_EQ(gcount(UA ":1-5," UA ":6-10"), 10);	/* same UUID twice */
	CHECK_EQ(gcount(UB ":1-3,\n" UA ":1-100"), 103);
	/* MySQL 8.3 tags: their own transactions, tag names lower-cased */
	CHECK_EQ(gcount(UA ":1-3:Domain_1:1-2"), 5);
	CHECK_EQ(gcount(UA ":tag_a:1-2:tag_b:1-4"), 6);
	CHECK_EQ(gmissing(UA ":TAG:1-2", UA ":tag:1-2"), 0);
	CHECK_EQ(gmissing(UA ":1-2", UA ":tag:1-2"), 2);
	CHECK_EQ(gcount(UA ":1-9223372036854775806"), INT64_MAX - 1);
	CHECK_EQ(gcount(UA ":1-9223372036854775806," UB ":1-9223372036854775806"),
	    INT64_MAX);

	CHECK_EQ(gcount(UA), -1);			/* no intervals */
	CHECK_EQ(gcount(UA ":"), -1);
	CHECK_EQ(gcount(UA ":0-5"), -1);		/* 0 is not a GNO */
	CHECK_EQ(gcount(UA ":5-3"), -1);
	CHECK_EQ(gcount(UA ":1-"), -1);
	CHECK_EQ(gcount(UA ":tag"), -1);		/* tag without intervals */
	CHECK_EQ(gcount(UA ":tag:1-3:other"), -1);
	CHECK_EQ(gcount(UA ":1-9223372036854775807"), -1);	/* too big */
	CHECK_EQ(gcount(UA ":1-5,"), -1);
	CHECK_EQ(gcount(UA ":1-5 x"), -1);
	CHECK_EQ(gcount("3e11fa47-71ca-11e1-9e33-c80aa942956:1-5"), -1);
	CHECK_EQ(gcount("3e11fa4771ca11e19e33c80aa9429562:1-5"), -1);
	CHECK_EQ(gcount("3e11fa47-71ca-11e1-9e33_c80aa9429562:1-5"), -1);
	CHECK_EQ(gcount(UA ":abcdefghijabcdefghijabcdefghijabc:1"), -1); /* 33 */
	CHECK_EQ(gcount(UA ":abcdefghijabcdefghijabcdefghijab:1"), 1);	  /* 32 */
	CHECK_EQ(gcount(UA ":1:2tag:1"), -1);		/* tags start with a letter */
	gtid_set_init(&g);
	CHECK_EQ(gtid_set_parse(&g, UA ":1-5\0", sizeof(UA ":1-5"), &errstr),
	    -1);
	CHECK_EQ(g.n, 0);

	/* Retrieved minus Executed */
	CHECK_EQ(gmissing(UA ":1-7," UB ":1-100", UA ":1-10"), 3);
	CHECK_EQ(gmissing(UA ":1-10", UA ":1-10"), 0);
	CHECK_EQ(gmissing(UA ":1-3:5-10", UA ":1-10"), 1);	/* a hole */
	CHECK_EQ(gmissing(UA ":2:4:6", UA ":1-7"), 4);
	CHECK_EQ(gmissing(UA ":1-100", UA ":5-7:50-60"), 0);
	CHECK_EQ(gmissing(UB ":1-10", UA ":1-10"), 10);	/* other source */
	CHECK_EQ(gmissing("", UA ":1-10"), 10);
	CHECK_EQ(gmissing(UA ":1-10", ""), 0);
	CHECK_EQ(gmissing(UA ":3-4:8-9", UA ":1-5:7-10"), 5);
}

/* A replica status row from name/value pairs (value NULL = SQL NULL). */
struct kv {
	const char *k, *v;
};

static void
fill(struct db_replica_status *rs, const struct kv *kv)
{
	const char *names[64], *values[64];
	unsigned int n;

	for (n = 0; kv[n].k != NULL; n++) {
		names[n] = kv[n].k;
		values[n] = kv[n].v;
	}
	db_rs_init(rs);
	CHECK_EQ(db_rs_parse(rs, n, names, values, NULL), 0);
}

static enum cu_state
decide(const struct kv *kv, const char *slave_pos, int ignore_delay,
    struct cu_verdict *v)
{
	struct db_replica_status rs;
	struct cu_input in;
	enum cu_state s;

	fill(&rs, kv);
	in.rs = &rs;
	in.slave_pos = slave_pos;
	in.ignore_delay = ignore_delay;
	s = cu_decide(&in, v);
	/* pointers into rs would dangle: tests only look at the text */
	v->received = v->executed = NULL;
	db_rs_free(&rs);
	return s;
}

static void
test_decide_mariadb(void)
{
	struct cu_verdict v;
	struct db_replica_status none;
	struct cu_input in;
	/* The failover case: primary dead, IO thread reconnecting, lag NULL. */
	struct kv up[] = {
		{ "Slave_IO_State", "Reconnecting after a failed master event read" },
		{ "Master_Host", "192.0.2.10" },
		{ "Master_Port", "3306" },
		{ "Master_Log_File", "p-bin.000002" },
		{ "Read_Master_Log_Pos", "5000" },
		{ "Relay_Master_Log_File", "p-bin.000002" },
		{ "Exec_Master_Log_Pos", "5000" },
		{ "Slave_IO_Running", "Connecting" },
		{ "Slave_SQL_Running", "Yes" },
		{ "Last_SQL_Errno", "0" },
		{ "Last_SQL_Error", "" },
		{ "Seconds_Behind_Master", NULL },
		{ "SQL_Delay", "0" },
		{ "Using_Gtid", "Slave_Pos" },
		{ "Gtid_IO_Pos", "0-1-42" },
		{ NULL, NULL }
	};

	db_rs_init(&none);
	in.rs = &none;
	in.slave_pos = NULL;
	in.ignore_delay = 0;
	CHECK_EQ(cu_decide(&in, &v), CU_CANNOT);
	CHECK_STR(v.reason, "not a replica (no replication configured)");
	CHECK_EQ(cu_state_exit(v.state), 3);
	in.rs = NULL;
	CHECK_EQ(cu_decide(&in, &v), CU_CANNOT);

	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_CAUGHT_UP);
	CHECK_EQ(v.method, CU_MARIADB_GTID);
	CHECK_EQ(v.trx_behind, 0);
	CHECK_EQ(v.bytes_behind, 0);
	CHECK_STR(v.reason, "gtid_slave_pos 0-1-42 has reached Gtid_IO_Pos 0-1-42");
	CHECK_EQ(cu_state_exit(v.state), 0);

	CHECK_EQ(decide(up, "0-1-39", 0, &v), CU_BEHIND);
	CHECK_EQ(v.trx_behind, 3);
	CHECK_STR(v.reason, "3 transactions behind (gtid_slave_pos 0-1-39, "
	    "Gtid_IO_Pos 0-1-42)");
	CHECK_EQ(cu_state_exit(v.state), 1);
	CHECK_EQ(decide(up, "0-1-41", 0, &v), CU_BEHIND);
	CHECK_STR(v.reason, "1 transaction behind (gtid_slave_pos 0-1-41, "
	    "Gtid_IO_Pos 0-1-42)");

	/* Seconds_Behind_Master 0 proves nothing either */
	up[11].v = "0";
	CHECK_EQ(decide(up, "0-1-39", 0, &v), CU_BEHIND);

	/* The seed's trap: SQL thread stopped, lag NULL, nothing pending */
	up[11].v = NULL;
	up[8].v = "No";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_CANNOT);
	CHECK_STR(v.reason, "SQL thread stopped; gtid_slave_pos 0-1-42 has "
	    "reached Gtid_IO_Pos 0-1-42");
	CHECK_EQ(cu_state_exit(v.state), 3);
	CHECK_EQ(decide(up, "0-1-40", 0, &v), CU_CANNOT);
	CHECK(strstr(v.reason, "SQL thread stopped; 2 transactions behind") ==
	    v.reason);

	/* SQL error, with a newline in the server's message */
	up[9].v = "1062";
	up[10].v = "Could not execute Write_rows_v1 event on table app.t;\n"
	    "Duplicate entry '5' for key 'PRIMARY'";
	CHECK_EQ(decide(up, "0-1-40", 0, &v), CU_CANNOT);
	CHECK(strstr(v.reason, "SQL thread stopped (Last_SQL_Errno 1062: "
	    "Could not execute Write_rows_v1 event on table app.t; "
	    "Duplicate entry") == v.reason);
	CHECK(strchr(v.reason, '\n') == NULL);
	/* running but with an error */
	up[8].v = "Yes";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_CANNOT);
	CHECK(strncmp(v.reason, "SQL thread error (Last_SQL_Errno 1062", 37) ==
	    0);
	up[9].v = "0";
	up[10].v = "";

	/* SQL thread state missing or odd: unknown, exit 3 */
	up[8].v = "Maybe";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_UNKNOWN);
	CHECK_EQ(cu_state_exit(v.state), 3);
	up[8].v = "Yes";

	/* delayed replication */
	up[12].v = "3600";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_CANNOT);
	CHECK(strncmp(v.reason, "delayed replication (SQL_Delay 3600 s", 37) ==
	    0);
	CHECK_EQ(decide(up, "0-1-40", 1, &v), CU_BEHIND);
	CHECK_EQ(decide(up, "0-1-42", 1, &v), CU_CAUGHT_UP);
	up[12].v = "0";

	/* unparseable positions: unknown, not a guess */
	up[14].v = "0-1-x";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_UNKNOWN);
	CHECK(strstr(v.reason, "Gtid_IO_Pos '0-1-x'") == v.reason);
	up[14].v = "0-1-42";
	CHECK_EQ(decide(up, "garbage", 0, &v), CU_UNKNOWN);

	/* multi-domain */
	up[14].v = "0-1-42,1-5-10";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_BEHIND);
	CHECK_EQ(v.trx_behind, 10);
	CHECK_EQ(decide(up, "1-5-10,0-1-42,2-2-2", 0, &v), CU_CAUGHT_UP);

	/* without gtid_slave_pos (not read), or Using_Gtid No: file/position */
	up[14].v = "0-1-42";
	CHECK_EQ(decide(up, NULL, 0, &v), CU_CAUGHT_UP);
	CHECK_EQ(v.method, CU_FILEPOS);
	up[13].v = "No";
	up[6].v = "4000";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_BEHIND);
	CHECK_EQ(v.method, CU_FILEPOS);
	CHECK_EQ(v.bytes_behind, 1000);
	CHECK_STR(v.reason, "1000 bytes behind (read p-bin.000002:5000, "
	    "executed p-bin.000002:4000)");
	up[5].v = "p-bin.000001";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_BEHIND);
	CHECK_EQ(v.bytes_behind, -1);
	CHECK_EQ(v.files_behind, 1);
	CHECK(strncmp(v.reason, "1 binlog file behind (read p-bin.000002:5000",
	    44) == 0);
	up[5].v = "p-bin.000002";
	up[6].v = "5000";
	CHECK_EQ(decide(up, "0-1-42", 0, &v), CU_CAUGHT_UP);
	CHECK_STR(v.reason, "executed position p-bin.000002:5000 has reached "
	    "the read position");
}

static void
test_decide_other(void)
{
	struct cu_verdict v;
	/* MySQL 8.0.22+ SHOW REPLICA STATUS naming */
	struct kv my[] = {
		{ "Replica_IO_State", "" },
		{ "Source_Host", "192.0.2.11" },
		{ "Source_Log_File", "binlog.000007" },
		{ "Read_Source_Log_Pos", "900" },
		{ "Relay_Source_Log_File", "binlog.000007" },
		{ "Exec_Source_Log_Pos", "700" },
		{ "Replica_IO_Running", "No" },
		{ "Replica_SQL_Running", "Yes" },
		{ "Last_SQL_Errno", "0" },
		{ "Seconds_Behind_Source", NULL },
		{ "SQL_Delay", "0" },
		{ "Retrieved_Gtid_Set", UA ":1-10" },
		{ "Executed_Gtid_Set", UA ":1-7,\n" UB ":1-5" },
		{ "Auto_Position", "1" },
		{ NULL, NULL }
	};
	/* MySQL 5.7/8.0 SHOW SLAVE STATUS naming, file/position */
	struct kv old[] = {
		{ "Master_Log_File", "mysql-bin.000005" },
		{ "Read_Master_Log_Pos", "120" },
		{ "Relay_Master_Log_File", "mysql-bin.000003" },
		{ "Exec_Master_Log_Pos", "9000" },
		{ "Slave_IO_Running", "Yes" },
		{ "Slave_SQL_Running", "Yes" },
		{ "Last_SQL_Errno", "0" },
		{ "Seconds_Behind_Master", "0" },
		{ "Retrieved_Gtid_Set", "" },
		{ "Executed_Gtid_Set", "" },
		{ "Auto_Position", "0" },
		{ NULL, NULL }
	};
	/* a replica that never received anything */
	struct kv fresh[] = {
		{ "Master_Log_File", "" },
		{ "Read_Master_Log_Pos", "4" },
		{ "Relay_Master_Log_File", "" },
		{ "Exec_Master_Log_Pos", "4" },
		{ "Slave_IO_Running", "Connecting" },
		{ "Slave_SQL_Running", "Yes" },
		{ NULL, NULL }
	};
	/*
	 * A GTID replica restarted after a crash, replication not started:
	 * master.info never had a file, Gtid_IO_Pos is empty until a thread
	 * starts, relay-log.info has the executed position.
	 */
	struct kv restarted[] = {
		{ "Master_Log_File", "" },
		{ "Read_Master_Log_Pos", "4" },
		{ "Relay_Master_Log_File", "p-bin.000001" },
		{ "Exec_Master_Log_Pos", "1891" },
		{ "Slave_IO_Running", "No" },
		{ "Slave_SQL_Running", "No" },
		{ "Using_Gtid", "Slave_Pos" },
		{ "Gtid_IO_Pos", "" },
		{ NULL, NULL }
	};
	struct kv nopos[] = {
		{ "Slave_IO_Running", "Yes" },
		{ "Slave_SQL_Running", "Yes" },
		{ NULL, NULL }
	};

	CHECK_EQ(decide(my, NULL, 0, &v), CU_BEHIND);
	CHECK_EQ(v.method, CU_MYSQL_GTID);
	CHECK_EQ(v.trx_behind, 3);
	CHECK_EQ(v.bytes_behind, 200);
	CHECK_STR(v.reason, "3 transactions behind (in Retrieved_Gtid_Set, "
	    "not in Executed_Gtid_Set)");
	my[12].v = UB ":1-5,\n" UA ":1-10:12";
	CHECK_EQ(decide(my, NULL, 0, &v), CU_CAUGHT_UP);
	CHECK_STR(v.reason, "Executed_Gtid_Set contains Retrieved_Gtid_Set");
	my[12].v = "not a set";
	CHECK_EQ(decide(my, NULL, 0, &v), CU_UNKNOWN);
	my[12].v = UA ":1-10";
	my[7].v = "No";
	CHECK_EQ(decide(my, NULL, 0, &v), CU_CANNOT);

	CHECK_EQ(decide(old, NULL, 0, &v), CU_BEHIND);
	CHECK_EQ(v.method, CU_FILEPOS);
	CHECK_EQ(v.files_behind, 2);
	CHECK_STR(v.reason, "2 binlog files behind (read mysql-bin.000005:120, "
	    "executed mysql-bin.000003:9000)");

	CHECK_EQ(decide(fresh, NULL, 0, &v), CU_CAUGHT_UP);
	CHECK_STR(v.reason, "nothing received or executed yet "
	    "(Master_Log_File and Relay_Master_Log_File empty)");
	CHECK_STR(v.filepos_received, "");
	CHECK_EQ(v.bytes_behind, 0);

	/* GTID mode: nothing received since the start, whatever the
	 * stale file/position says */
	CHECK_EQ(decide(restarted, "0-1-12", 0, &v), CU_CANNOT);
	CHECK_EQ(v.method, CU_MARIADB_GTID);
	CHECK_EQ(v.trx_behind, 0);
	CHECK_STR(v.reason, "SQL thread stopped; nothing received yet "
	    "(Gtid_IO_Pos empty), executed gtid_slave_pos 0-1-12");
	/* without gtid_slave_pos: no read position, never ":4", never
	 * caught up */
	CHECK_EQ(decide(restarted, NULL, 0, &v), CU_CANNOT);
	CHECK_EQ(v.method, CU_FILEPOS);
	CHECK_STR(v.reason, "SQL thread stopped; read position unknown "
	    "(Master_Log_File empty: nothing received yet), executed "
	    "p-bin.000001:1891");
	CHECK_STR(v.filepos_received, "");
	CHECK_EQ(v.bytes_behind, -1);
	CHECK_EQ(v.files_behind, -1);
	restarted[5].v = "Yes";
	CHECK_EQ(decide(restarted, NULL, 0, &v), CU_BEHIND);
	CHECK(strncmp(v.reason, "read position unknown", 21) == 0);
	CHECK_EQ(decide(nopos, NULL, 0, &v), CU_UNKNOWN);

	CHECK_EQ(cu_binlog_seq("mysql-bin.000042"), 42);
	CHECK_EQ(cu_binlog_seq("p-bin.1"), 1);
	CHECK_EQ(cu_binlog_seq("nodot"), -1);
	CHECK_EQ(cu_binlog_seq("bin."), -1);
	CHECK_EQ(cu_binlog_seq("bin.00x"), -1);
	CHECK_STR(cu_state_name(CU_CANNOT), "cannot-catch-up");
	CHECK_STR(cu_method_name(CU_MYSQL_GTID), "mysql-gtid");
}

static void
test_fence(void)
{
	CHECK_EQ(dbp_session_fenced("app", "Sleep", 17, 20), 1);
	CHECK_EQ(dbp_session_fenced("admin", "Query", 18, 20), 1);
	CHECK_EQ(dbp_session_fenced("unauthenticated user", "Connect", 19, 20),
	    1);
	CHECK_EQ(dbp_session_fenced("app", "Killed", 21, 20), 1);
	CHECK_EQ(dbp_session_fenced("root", "Query", 20, 20), 0);	/* self */
	CHECK_EQ(dbp_session_fenced("system user", "Slave_SQL", 5, 20), 0);
	CHECK_EQ(dbp_session_fenced("system user", "Query", 5, 20), 0);
	CHECK_EQ(dbp_session_fenced("repl", "Binlog Dump", 6, 20), 0);
	CHECK_EQ(dbp_session_fenced("repl", "Binlog Dump GTID", 6, 20), 0);
	CHECK_EQ(dbp_session_fenced("event_scheduler", "Daemon", 7, 20), 0);
	CHECK_EQ(dbp_session_fenced("", "Daemon", 8, 20), 0);
	CHECK_EQ(dbp_session_fenced(NULL, "Slave_worker", 9, 20), 0);
	CHECK_EQ(dbp_session_fenced(NULL, NULL, 9, 20), 1);
}

int
main(void)
{
	test_mariadb_positions();
	test_mysql_sets();
	test_decide_mariadb();
	test_decide_other();
	test_fence();
	UNIT_DONE();
}
