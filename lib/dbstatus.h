/*
 * Database replica status and role evaluation. Pure: no connection, no
 * clock, no printing. lib/db.c fills these structures from a server; unit
 * tests fill them from fabricated rows.
 */
#ifndef VIPKIT_DBSTATUS_H
#define VIPKIT_DBSTATUS_H

#include <stddef.h>

/* Slave_IO_Running / Replica_IO_Running and the SQL counterpart. */
enum db_thread {
	DB_THREAD_UNKNOWN = 0,	/* column absent or unrecognised */
	DB_THREAD_NO,
	DB_THREAD_YES,
	DB_THREAD_CONNECTING	/* IO thread only: "Connecting" */
};

/*
 * One row of SHOW SLAVE STATUS / SHOW REPLICA STATUS. Both naming schemes
 * (Master_/Slave_ of MariaDB and MySQL < 8.0.22, Source_/Replica_ of MySQL
 * 8.0.22+) fill the same fields. Strings are NUL-terminated copies owned
 * by the structure ("" when the column is absent or NULL); numbers are -1
 * when the column is absent, NULL or not a number.
 */
struct db_replica_status {
	int	 present;		/* a row was parsed */
	char	*io_state;		/* Slave_IO_State */
	char	*source_host;		/* Master_Host / Source_Host */
	long long source_port;
	char	*source_user;
	char	*source_log_file;	/* Master_Log_File: IO thread position */
	long long read_source_log_pos;	/* Read_Master_Log_Pos */
	char	*relay_log_file;
	long long relay_log_pos;
	char	*relay_source_log_file;	/* Relay_Master_Log_File: SQL position */
	long long exec_source_log_pos;	/* Exec_Master_Log_Pos */
	long long relay_log_space;
	enum db_thread io_running;
	enum db_thread sql_running;
	long long last_errno;
	char	*last_error;
	long long last_io_errno;
	char	*last_io_error;
	long long last_sql_errno;
	char	*last_sql_error;
	long long lag;			/* Seconds_Behind_Master; -1 = NULL */
	long long source_server_id;
	long long sql_delay;		/* SQL_Delay */
	long long sql_remaining_delay;	/* SQL_Remaining_Delay; -1 = NULL */
	char	*sql_state;		/* Slave_SQL_Running_State */
	char	*using_gtid;		/* MariaDB: No, Slave_Pos, Current_Pos */
	char	*gtid_io_pos;		/* MariaDB: Gtid_IO_Pos */
	char	*retrieved_gtid_set;	/* MySQL */
	char	*executed_gtid_set;	/* MySQL */
	int	 auto_position;		/* MySQL: 1, 0, or -1 absent */
};

void	db_rs_init(struct db_replica_status *);
void	db_rs_free(struct db_replica_status *);

/*
 * Fill rs from one result row: n columns with their names and values
 * (values[i] NULL = SQL NULL; lens[i] its length, or lens NULL to use
 * strlen). Unknown columns are ignored. Returns 0, or -1 when out of memory.
 */
int	db_rs_parse(struct db_replica_status *, unsigned int n,
	    const char *const *names, const char *const *values,
	    const unsigned long *lens);

const char *db_thread_name(enum db_thread);

/* The roles a check can ask for. */
enum db_role {
	DB_ROLE_ALIVE = 0,	/* no role: connect and run a query */
	DB_ROLE_ANY,		/* anything but a broken or lagging replica */
	DB_ROLE_PRIMARY,	/* not replicating and read_only off */
	DB_ROLE_REPLICA,	/* IO and SQL threads running, no error, lag */
	DB_ROLE_WRITABLE	/* read_only off */
};

/* "primary" -> DB_ROLE_PRIMARY ...; -1 on an unknown name. */
int	db_role_parse(const char *, enum db_role *);
const char *db_role_name(enum db_role);

/* How a failed operation is classified. */
enum db_class {
	DB_OK = 0,
	DB_DOWN,	/* unreachable, timed out, lost, refusing: unhealthy;
			   the connection is closed */
	DB_BUSY,	/* a statement gave up inside a reachable server (lock
			   wait timeout, execution time limit): unhealthy; the
			   connection stays usable */
	DB_DENIED,	/* access denied (login): could not decide */
	DB_NOPRIV,	/* missing privilege for a statement: could not decide */
	DB_FAILED	/* other error (bad --query, TLS, client setup): could not decide */
};

/* The exit code of the contract for a class (DB_OK -> 0, DB_DOWN and DB_BUSY
   -> 1, else 3). */
int	db_class_exit(enum db_class);
const char *db_class_name(enum db_class);

/* What a check saw on the server. */
struct db_observation {
	enum db_class cls;		/* DB_OK, or why it could not look */
	char	 error[512];		/* the failure, when cls != DB_OK */
	int	 read_only;		/* -1 not asked */
	int	 super_read_only;	/* -1 not asked or absent (MariaDB) */
	int	 asked_replica;		/* replica status was queried */
	struct db_replica_status rs;	/* rs.present: it has replication */
};

struct db_check {
	enum db_role role;
	long long max_lag;		/* seconds; -1 = not given */
};

struct db_verdict {
	int	 code;			/* 0 healthy, 1 unhealthy, 3 unknown */
	const char *role_seen;		/* "primary", "replica", "read-only",
					   or NULL when not known */
	int	 lagging;		/* a replica beyond --max-lag */
	int	 weight;		/* agent weight 0..100 */
	char	 reason[640];		/* one line, no role prefix */
};

/* Decide. Pure. */
void	db_evaluate(const struct db_check *, const struct db_observation *,
	    struct db_verdict *);

/*
 * The HAProxy agent-check reply for a verdict: "up ready N%\n" when
 * healthy, "up drain 0% #reason\n" when a replica lags beyond --max-lag,
 * "down #reason\n" otherwise. The reason is made safe for one line.
 * Returns the length (always < cap; cap must be at least 32).
 */
size_t	db_agent_reply(const struct db_verdict *, const char *role_label,
	    char *out, size_t cap);

/*
 * " (WHAT NO: MSG)", " (WHAT NO)" when MSG is empty, or "" when NO <= 0:
 * a replication thread's last error, for messages.
 */
void	db_errtext(char *buf, size_t len, const char *what, long long no,
	    const char *msg);

#endif
