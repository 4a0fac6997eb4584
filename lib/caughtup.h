/*
 * Has a replica applied everything it received? Pure: no connection, no
 * clock, no printing. The caller reads SHOW SLAVE/REPLICA STATUS (and on
 * MariaDB @@gtid_slave_pos) and cu_decide() answers from those values, so
 * unit tests and fuzzers drive it with fabricated server output.
 *
 * Three ways to compare what was received with what was executed, the
 * first that applies wins:
 *   MariaDB GTID   Gtid_IO_Pos against @@gtid_slave_pos, per domain
 *   MySQL GTID     Retrieved_Gtid_Set minus Executed_Gtid_Set
 *   file/position  Master_Log_File:Read_Master_Log_Pos against
 *                  Relay_Master_Log_File:Exec_Master_Log_Pos
 * Seconds_Behind_Master is never used: NULL and 0 prove nothing.
 */
#ifndef VIPKIT_CAUGHTUP_H
#define VIPKIT_CAUGHTUP_H

#include <stddef.h>
#include <stdint.h>

#include "dbstatus.h"

/* A MariaDB GTID position: at most one domain-server-seqno per domain. */
struct mgtid {
	uint32_t	 domain;
	uint32_t	 server;
	uint64_t	 seq;
};

struct mgtid_pos {
	size_t		 n, cap;
	struct mgtid	*v;		/* sorted by domain */
};

void	mgtid_pos_init(struct mgtid_pos *);
void	mgtid_pos_free(struct mgtid_pos *);
/*
 * Parse "0-1-42,1-2-7" (whitespace around entries allowed; "" is the
 * empty position). A domain given twice keeps its highest seqno, as in
 * gtid_binlog_state. Returns 0, or -1 with *errstr set (pos left empty).
 */
int	mgtid_pos_parse(struct mgtid_pos *, const char *s, size_t len,
	    const char **errstr);
/*
 * How far `have` is behind `want`: the sum over want's domains of the
 * seqno difference (a domain missing from have counts its whole seqno).
 * Saturates at INT64_MAX. 0 means have reached want in every domain.
 */
uint64_t mgtid_pos_behind(const struct mgtid_pos *have,
	    const struct mgtid_pos *want);

/* A MySQL GTID set: per source UUID (and tag, MySQL 8.3+) intervals. */
struct gtid_ival {
	uint64_t	 lo, hi;	/* inclusive, 1 <= lo <= hi < 2^63 */
};

struct gtid_sid {
	char		 uuid[37];	/* lower case, with dashes */
	char		 tag[33];	/* "" when untagged */
	size_t		 n, cap;
	struct gtid_ival *iv;		/* sorted, merged, disjoint */
};

struct gtid_set {
	size_t		 n, cap;
	struct gtid_sid	*s;		/* sorted by (uuid, tag), unique */
};

void	gtid_set_init(struct gtid_set *);
void	gtid_set_free(struct gtid_set *);
/*
 * Parse "uuid:1-5:7,uuid2:tag:1-3" as printed by MySQL (also with the
 * newlines MySQL puts after the commas; "" is the empty set). Returns 0,
 * or -1 with *errstr set (set left empty).
 */
int	gtid_set_parse(struct gtid_set *, const char *s, size_t len,
	    const char **errstr);
/* The number of transactions in want that are not in have (saturating
 * at INT64_MAX). */
uint64_t gtid_set_missing(const struct gtid_set *have,
	    const struct gtid_set *want);
/* The number of transactions in a set (saturating at INT64_MAX). */
uint64_t gtid_set_count(const struct gtid_set *);

enum cu_state {
	CU_CAUGHT_UP = 0,	/* executed everything received */
	CU_BEHIND,		/* still applying: wait */
	CU_CANNOT,		/* will not catch up by waiting */
	CU_UNKNOWN		/* the server's answer cannot be compared */
};

enum cu_method {
	CU_NONE = 0,
	CU_MARIADB_GTID,
	CU_MYSQL_GTID,
	CU_FILEPOS
};

struct cu_input {
	const struct db_replica_status *rs;	/* rs->present 0: no replication */
	const char	*slave_pos;	/* MariaDB @@gtid_slave_pos, NULL if not read */
	int		 ignore_delay;	/* wait for a delayed replica anyway */
};

struct cu_verdict {
	enum cu_state	 state;
	enum cu_method	 method;
	long long	 trx_behind;	/* transactions (GTID), -1 unknown */
	long long	 bytes_behind;	/* same binlog file, -1 unknown */
	long long	 files_behind;	/* binlog files, -1 unknown */
	const char	*received;	/* Gtid_IO_Pos / Retrieved_Gtid_Set /
					   "file:pos" (points into rs or here);
					   NULL: nothing received yet */
	const char	*executed;	/* gtid_slave_pos / Executed_Gtid_Set */
	char		 filepos_received[300], filepos_executed[300];
	char		 reason[768];	/* one line */
};

/* Decide. Pure; returns v->state. */
enum cu_state cu_decide(const struct cu_input *, struct cu_verdict *);

const char *cu_state_name(enum cu_state);	/* "caught-up", "behind", ... */
const char *cu_method_name(enum cu_method);	/* "mariadb-gtid", ... */
/* The exit code of the contract: 0 caught up, 1 behind, 3 otherwise. */
int	cu_state_exit(enum cu_state);

/*
 * The sequence number of a binlog file name ("mysql-bin.000042" -> 42),
 * or -1 when it has no numeric extension.
 */
long long cu_binlog_seq(const char *name);

#endif
