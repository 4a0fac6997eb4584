/*
 * The server-side steps of a promotion or demotion, built on lib/db:
 * read_only on/off under a lock-wait timeout and read back, the client
 * sessions that a fence must end, and the final binlog position.
 * dbp_session_fenced() is pure; the rest talk to the server.
 */
#ifndef VIPKIT_DBPROMOTE_H
#define VIPKIT_DBPROMOTE_H

#include <stddef.h>

#include "db.h"

/* MariaDB/MySQL error numbers these steps look at. */
enum {
	DBP_ER_NO_SUCH_THREAD = 1094,
	DBP_ER_KILL_DENIED = 1095,
	DBP_ER_LOCK_WAIT_TIMEOUT = 1205,
	DBP_ER_SPECIFIC_ACCESS_DENIED = 1227
};

/*
 * Set read_only (and super_read_only where the server has it) on or off,
 * each SET bounded by a session lock_wait_timeout of lwt seconds, then
 * read both back into *ro / *sro (-1: the server has no super_read_only).
 * Returns 0 when the read-back shows the wanted state, -1 on a failed
 * statement (d->err_no: DBP_ER_LOCK_WAIT_TIMEOUT when a lock held it up,
 * d->cls DB_NOPRIV when a privilege is missing) and -2 when the statements
 * succeeded but the read-back disagrees (d->error says what it saw).
 */
int	dbp_set_read_only(struct db *, int on, unsigned int lwt, int *ro,
	    int *sro);

/* The privilege SET GLOBAL read_only needs on this server. */
const char *dbp_read_only_privilege(const struct db *);
/* The privilege that KILL of another user's session needs. */
const char *dbp_kill_privilege(const struct db *);

/*
 * What a sysadmin runs to give the current account the first privilege of
 * privs ("READ_ONLY ADMIN or SUPER" -> READ_ONLY ADMIN):
 * "GRANT READ_ONLY ADMIN ON *.* TO 'user'@'host'", into buf ("" when the
 * account cannot be read). d's last error is kept.
 */
void	dbp_grant_hint(struct db *, const char *privs, char *buf, size_t len);

/* One row of the process list. */
struct dbp_session {
	long long	 id;
	char		 user[129];
	char		 host[256];
	char		 command[32];
	char		 state[65];
	long long	 time;		/* seconds in this state, -1 unknown */
};

/*
 * Must a read-only fence end this session? Not its own connection (self),
 * not replication threads (Slave_IO/SQL/worker, Binlog Dump to replicas,
 * Register Slave), not the server's own (system user, event_scheduler,
 * Daemon). Every other client session could hold an open transaction or
 * write with READ_ONLY ADMIN / SUPER. Pure.
 */
int	dbp_session_fenced(const char *user, const char *command, long long id,
	    long long self);

/*
 * Does the current account see every session (the PROCESS privilege, read
 * from information_schema.USER_PRIVILEGES)? 1 yes, 0 no, -1 error.
 */
int	dbp_sees_all_sessions(struct db *);

/*
 * The sessions a fence must end (dbp_session_fenced), into a malloc'ed
 * array (*out, *n; free() it). Returns 0 or -1.
 */
int	dbp_fenced_sessions(struct db *, struct dbp_session **out, size_t *n);

/* KILL CONNECTION id: 0 killed, 1 it had already gone, -1 error. */
int	dbp_kill(struct db *, long long id);

/* Where this server's binary log ends: what a replica must reach. */
struct dbp_position {
	char		 gtid[8192];	/* gtid_binlog_pos / gtid_executed */
	int		 have_gtid;
	char		 file[256];	/* SHOW MASTER / BINARY LOG STATUS */
	long long	 pos;
	int		 have_file;	/* 0: binary log off or no privilege */
	char		 error[512];	/* why file/pos is missing, or "" */
};

/*
 * Read the position. A missing privilege for the binlog status or a
 * disabled binary log is not a failure: have_file stays 0 and error says
 * why. Returns 0, or -1 when even the GTID variable cannot be read.
 */
int	dbp_position(struct db *, struct dbp_position *);

#endif
