/*
 * MySQL/MariaDB connections through libmariadb, shared by every database
 * program so that they take identical connection options:
 *
 *	static const struct option longopts[] = {
 *		DB_LONGOPTS,
 *		{ "json", no_argument, NULL, 'j' },
 *		{ NULL, 0, NULL, 0 }
 *	};
 *	struct db_opts o;
 *	db_opts_init(&o, "dbcheck");		(the program's option group)
 *	while ((ch = getopt_long(argc, argv, DB_SHORTOPTS "jqhV", ...)) != -1)
 *		if (!db_opts_handle(&o, ch, optarg)) switch (ch) { ... }
 *	db_opts_finish(&o);			(reads --password-file; exits 2)
 *	struct db d; db_init(&d, &o);
 *	if (db_connect(&d) != 0) -> d.cls (enum db_class), d.error
 *
 * Every failing call returns -1 and leaves d.cls, d.err_no and d.error
 * ("what: NNNN: server message") set; a DB_DOWN failure also closes the
 * connection so that the next db_connect() starts afresh.
 */
#ifndef VIPKIT_DB_H
#define VIPKIT_DB_H

#include <getopt.h>
#include <stddef.h>

#include "dbstatus.h"

struct st_mysql;

struct db_opts {
	const char	*socket;	/* -S: unix socket */
	const char	*host;		/* -H */
	unsigned int	 port;		/* -P; 0: option files / default */
	const char	*user;		/* -u */
	const char	*defaults_file;	/* --defaults-file: read only this file */
	const char	*group;		/* the program's own option group */
	const char	*password_file;	/* --password-file */
	char		 password[256];	/* from --password-file */
	int		 have_password;
	int		 tls;		/* --ssl: refuse a plain connection */
	int		 tls_verify;	/* --ssl-verify-server-cert */
	const char	*tls_ca, *tls_capath, *tls_cert, *tls_key,
			*tls_cipher, *tls_crl;
	unsigned int	 connect_timeout;	/* seconds, default 2 */
	unsigned int	 read_timeout;		/* seconds, default 2 */
	unsigned int	 write_timeout;		/* seconds, default 2 */
};

/* Long-only option values; short ones are the letters of DB_SHORTOPTS. */
enum {
	DB_OPT_DEFAULTS_FILE = 0x1100,
	DB_OPT_PASSWORD_FILE,
	DB_OPT_SSL,
	DB_OPT_SSL_CA,
	DB_OPT_SSL_CAPATH,
	DB_OPT_SSL_CERT,
	DB_OPT_SSL_KEY,
	DB_OPT_SSL_CIPHER,
	DB_OPT_SSL_CRL,
	DB_OPT_SSL_VERIFY,
	DB_OPT_CONNECT_TIMEOUT,
	DB_OPT_READ_TIMEOUT,
	DB_OPT_WRITE_TIMEOUT
};

#define DB_SHORTOPTS "S:H:P:u:"

#define DB_LONGOPTS							\
	{ "socket", required_argument, NULL, 'S' },			\
	{ "host", required_argument, NULL, 'H' },			\
	{ "port", required_argument, NULL, 'P' },			\
	{ "user", required_argument, NULL, 'u' },			\
	{ "defaults-file", required_argument, NULL, DB_OPT_DEFAULTS_FILE }, \
	{ "password-file", required_argument, NULL, DB_OPT_PASSWORD_FILE }, \
	{ "ssl", no_argument, NULL, DB_OPT_SSL },			\
	{ "ssl-ca", required_argument, NULL, DB_OPT_SSL_CA },		\
	{ "ssl-capath", required_argument, NULL, DB_OPT_SSL_CAPATH },	\
	{ "ssl-cert", required_argument, NULL, DB_OPT_SSL_CERT },	\
	{ "ssl-key", required_argument, NULL, DB_OPT_SSL_KEY },		\
	{ "ssl-cipher", required_argument, NULL, DB_OPT_SSL_CIPHER },	\
	{ "ssl-crl", required_argument, NULL, DB_OPT_SSL_CRL },		\
	{ "ssl-verify-server-cert", no_argument, NULL, DB_OPT_SSL_VERIFY }, \
	{ "connect-timeout", required_argument, NULL, DB_OPT_CONNECT_TIMEOUT }, \
	{ "read-timeout", required_argument, NULL, DB_OPT_READ_TIMEOUT }, \
	{ "write-timeout", required_argument, NULL, DB_OPT_WRITE_TIMEOUT }

/* The usage lines for the options above, for every program's --help. */
#define DB_USAGE							\
"Connection:\n"								\
"  -S, --socket PATH          unix socket of the server\n"		\
"  -H, --host HOST            server host (IP or name)\n"		\
"  -P, --port PORT            TCP port (default 3306)\n"			\
"  -u, --user USER            user name\n"				\
"      --defaults-file FILE   read options only from FILE\n"		\
"      --password-file FILE   read the password from FILE's first line\n" \
"      --ssl                  require TLS\n"				\
"      --ssl-ca FILE, --ssl-capath DIR, --ssl-cert FILE, --ssl-key FILE,\n" \
"      --ssl-cipher LIST, --ssl-crl FILE   TLS settings (imply --ssl)\n" \
"      --ssl-verify-server-cert            check the server's name\n"	\
"      --connect-timeout S    connect and handshake limit (default 2)\n" \
"      --read-timeout S       limit per read from the server (default 2)\n" \
"      --write-timeout S      limit per write to the server (default 2)\n" \
"The password comes from --password-file, the option files ([client] and\n" \
"the program's own group), or MYSQL_PWD; never from the command line.\n"

/* Defaults; group is the program's option group ("dbcheck"). */
void	db_opts_init(struct db_opts *, const char *group);
/*
 * Handle one getopt_long result. Returns 1 when ch is a connection option
 * (bad values exit 2 with a message), 0 when it is not.
 */
int	db_opts_handle(struct db_opts *, int ch, const char *arg);
/* After option parsing: reads --password-file (exit 2 when unreadable). */
void	db_opts_finish(struct db_opts *);
/* "socket /run/mysqld.sock", "127.0.0.1:3306" or "default server". */
const char *db_opts_target(const struct db_opts *, char *buf, size_t len);

enum db_flavour { DB_UNKNOWN = 0, DB_MARIADB, DB_MYSQL };

struct db {
	const struct db_opts *opts;
	struct st_mysql	*my;		/* NULL while not connected */
	enum db_flavour	 flavour;
	unsigned long	 version;	/* 10.11.19 -> 101119 */
	char		 server[96];	/* the server's version string */
	int		 multi;		/* multi-statements: set by db_observe
					   for its own SQL while not connected,
					   so the connection has them */
	enum db_class	 cls;		/* of the last failure */
	unsigned int	 err_no;	/* server or client error number */
	char		 error[512];	/* of the last failure */
};

void	db_init(struct db *, const struct db_opts *);
/* Connect unless connected. 0, or -1 with cls/error set. */
int	db_connect(struct db *);
void	db_close(struct db *);

/* Run a statement and discard any result. */
int	db_exec(struct db *, const char *sql);
/*
 * Run a query and copy the first column of its first row into buf.
 * Returns 1 (row; *is_null tells SQL NULL), 0 (no row), -1 (error; also
 * when the value does not fit in len - 1 bytes: DB_FAILED, never cut).
 */
int	db_query_value(struct db *, const char *sql, char *buf, size_t len,
	    int *is_null);
/* Like db_query_value for an integer; NULL gives 0 with *is_null set. */
int	db_query_int(struct db *, const char *sql, long long *out,
	    int *is_null);
/*
 * Run a query and hand each row to fn (names/values/lengths as for
 * db_rs_parse); fn returns non-zero to stop. Returns the row count or -1.
 */
int	db_query_rows(struct db *, const char *sql,
	    int (*fn)(void *arg, unsigned int n, const char *const *names,
	    const char *const *values, const unsigned long *lens), void *arg);

/* "SHOW REPLICA STATUS" where the server has it, else "SHOW SLAVE STATUS". */
const char *db_replica_status_sql(const struct db *);
/* The privilege that statement needs: "REPLICA MONITOR" / "REPLICATION CLIENT". */
const char *db_monitor_privilege(const struct db *);
/*
 * Fill rs (db_rs_init first; db_rs_free after) from the default replication
 * connection. Returns 1 (configured), 0 (not a replica), -1 (error; a
 * missing privilege gives DB_NOPRIV and names it in error).
 */
int	db_replica_status(struct db *, struct db_replica_status *);
/* read_only, and super_read_only where it exists (else -1). */
int	db_read_only(struct db *, int *read_only, int *super_read_only);

/*
 * What a check needs, in one call: connects when needed, runs `query`
 * (when not NULL), reads read_only when want_ro, replica status when
 * want_rs. Without a query, read_only and replica status are asked in one
 * round trip (one multi-statement). A reused connection that turns out
 * dead is re-opened once.
 * o must have been db_rs_init()ed; the caller db_rs_free()s it.
 */
void	db_observe(struct db *, const char *query, int want_ro, int want_rs,
	    struct db_observation *o);

/* Classify an error number (server 1xxx or client 2xxx). Pure. */
enum db_class db_classify(unsigned int err_no);

#endif
