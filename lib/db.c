#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>

#include "clock.h"
#include "cli.h"
#include "db.h"
#include "log.h"

void
db_opts_init(struct db_opts *o, const char *group)
{
	memset(o, 0, sizeof(*o));
	o->group = group;
	o->connect_timeout = 2;
	o->read_timeout = 2;
	o->write_timeout = 2;
}

static unsigned int
timeout_arg(const char *opt, const char *arg)
{
	return (unsigned int)cli_int(opt, arg, 1, 3600);
}

int
db_opts_handle(struct db_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'S':
		o->socket = arg;
		break;
	case 'H':
		if (*arg == '\0')
			cli_usage_error("--host: empty host");
		o->host = arg;
		break;
	case 'P':
		o->port = (unsigned int)cli_int("--port", arg, 1, 65535);
		break;
	case 'u':
		o->user = arg;
		break;
	case DB_OPT_DEFAULTS_FILE:
		o->defaults_file = arg;
		break;
	case DB_OPT_PASSWORD_FILE:
		o->password_file = arg;
		break;
	case DB_OPT_SSL:
		o->tls = 1;
		break;
	case DB_OPT_SSL_CA:
		o->tls_ca = arg;
		o->tls = 1;
		break;
	case DB_OPT_SSL_CAPATH:
		o->tls_capath = arg;
		o->tls = 1;
		break;
	case DB_OPT_SSL_CERT:
		o->tls_cert = arg;
		o->tls = 1;
		break;
	case DB_OPT_SSL_KEY:
		o->tls_key = arg;
		o->tls = 1;
		break;
	case DB_OPT_SSL_CIPHER:
		o->tls_cipher = arg;
		o->tls = 1;
		break;
	case DB_OPT_SSL_CRL:
		o->tls_crl = arg;
		o->tls = 1;
		break;
	case DB_OPT_SSL_VERIFY:
		o->tls_verify = 1;
		o->tls = 1;
		break;
	case DB_OPT_CONNECT_TIMEOUT:
		o->connect_timeout = timeout_arg("--connect-timeout", arg);
		break;
	case DB_OPT_READ_TIMEOUT:
		o->read_timeout = timeout_arg("--read-timeout", arg);
		break;
	case DB_OPT_WRITE_TIMEOUT:
		o->write_timeout = timeout_arg("--write-timeout", arg);
		break;
	default:
		return 0;
	}
	return 1;
}

void
db_opts_finish(struct db_opts *o)
{
	struct stat st;
	FILE *f;
	size_t n;

	if (o->defaults_file != NULL) {
		if ((f = fopen(o->defaults_file, "r")) == NULL)
			cli_usage_error("--defaults-file: %s: cannot read: %s",
			    o->defaults_file, strerror(errno));
		fclose(f);
	}
	if (o->password_file == NULL)
		return;
	if (cli_read_secret(o->password_file, o->password,
	    sizeof(o->password)) != 0)
		cli_usage_error("--password-file: %s: cannot read: %s",
		    o->password_file, strerror(errno));
	n = strlen(o->password);
	if (n == 0)
		cli_usage_error("--password-file: %s: the first line is empty "
		    "(for an account without a password, leave the option "
		    "out)", o->password_file);
	if (n >= sizeof(o->password) - 1)
		cli_usage_error("--password-file: %s: the password is %zu bytes "
		    "or more, at most %zu are taken", o->password_file, n,
		    sizeof(o->password) - 2);
	if (stat(o->password_file, &st) == 0 && (st.st_mode & S_IROTH))
		log_warn("--password-file: %s: readable by every user "
		    "(chmod o-r)", o->password_file);
	o->have_password = 1;
}

const char *
db_opts_target(const struct db_opts *o, char *buf, size_t len)
{
	if (o->socket != NULL && o->host == NULL)
		snprintf(buf, len, "socket %s", o->socket);
	else if (o->host != NULL || o->port != 0)
		snprintf(buf, len, "%s:%u", o->host != NULL ? o->host :
		    "127.0.0.1", o->port != 0 ? o->port : 3306);
	else
		snprintf(buf, len, "the default server");
	return buf;
}

void
db_init(struct db *d, const struct db_opts *o)
{
	memset(d, 0, sizeof(*d));
	d->opts = o;
}

void
db_close(struct db *d)
{
	if (d->my != NULL)
		mysql_close(d->my);
	d->my = NULL;
	d->server[0] = '\0';
}

enum db_class
db_classify(unsigned int e)
{
	switch (e) {
	case 0:
		return DB_OK;
	case 1044:	/* ER_DBACCESS_DENIED_ERROR */
	case 1045:	/* ER_ACCESS_DENIED_ERROR */
	case 1129:	/* ER_HOST_IS_BLOCKED */
	case 1130:	/* ER_HOST_NOT_PRIVILEGED */
	case 1698:	/* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */
	case 1820:	/* ER_MUST_CHANGE_PASSWORD */
	case 1862:	/* ER_MUST_CHANGE_PASSWORD_LOGIN */
	case 3118:	/* MySQL: account locked */
	case 4151:	/* MariaDB: account locked */
		return DB_DENIED;
	case 1142:	/* ER_TABLEACCESS_DENIED_ERROR */
	case 1143:	/* ER_COLUMNACCESS_DENIED_ERROR */
	case 1227:	/* ER_SPECIFIC_ACCESS_DENIED_ERROR */
	case 1370:	/* ER_PROCACCESS_DENIED_ERROR */
		return DB_NOPRIV;
	case 1040:	/* ER_CON_COUNT_ERROR: too many connections */
	case 1053:	/* ER_SERVER_SHUTDOWN */
	case 1152:	/* ER_ABORTING_CONNECTION */
	case 1158: case 1159: case 1160: case 1161:	/* net errors */
	case 1184:	/* ER_NEW_ABORTING_CONNECTION */
	case 1203:	/* ER_TOO_MANY_USER_CONNECTIONS */
	case 1927:	/* ER_CONNECTION_KILLED */
		return DB_DOWN;
	case 1205:	/* ER_LOCK_WAIT_TIMEOUT */
	case 1969:	/* MariaDB: ER_STATEMENT_TIMEOUT (max_statement_time) */
	case 3024:	/* MySQL: query execution interrupted, timeout */
		return DB_BUSY;
	case CR_SSL_CONNECTION_ERROR:
	case CR_AUTH_PLUGIN_CANNOT_LOAD:
	case CR_OUT_OF_MEMORY:
	case CR_VERSION_ERROR:
	case CR_WRONG_HOST_INFO:
	case CR_NOT_IMPLEMENTED:
	case CR_COMMANDS_OUT_OF_SYNC:
		return DB_FAILED;
	}
	if (e >= 2000 && e < 3000)
		return DB_DOWN;		/* client side: could not reach it */
	if (e >= 5000 && e < 6000)
		return DB_DOWN;		/* Connector/C extended client errors */
	return DB_FAILED;
}

static void
fail(struct db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the libmariadb error of d->my with a context prefix. */
static void
fail(struct db *d, const char *fmt, ...)
{
	char ctx[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	d->err_no = d->my != NULL ? mysql_errno(d->my) : CR_OUT_OF_MEMORY;
	d->cls = db_classify(d->err_no);
	snprintf(d->error, sizeof(d->error), "%s (%u: %s)", ctx, d->err_no,
	    d->my != NULL ? mysql_error(d->my) : "out of memory");
	/* After a network or client-side failure the connection is useless. */
	if (d->cls == DB_DOWN || (d->err_no >= 2000 && d->err_no < 3000))
		db_close(d);
}

/*
 * The OpenSSL configuration file. libmariadb's first mysql_init() has
 * OpenSSL read openssl.cnf whether or not the connection will use TLS;
 * that is about half a millisecond, a fifth of a one-shot dbcheck. When
 * no TLS option was given and the library does not use TLS by default
 * (Connector/C before 3.4), OpenSSL is told to skip the file, and it is
 * read the moment a connection turns out to want TLS after all (TLS
 * settings in an option file): that connection is then made again, so
 * that TLS always runs under the system's OpenSSL configuration. In that
 * case OpenSSL is also told not to free its tables in an atexit handler
 * (about 0.1 ms): the process is ending, the kernel reclaims them, and
 * they stay reachable from OpenSSL's globals (no leak for LSan or
 * valgrind). Nothing is done when libmariadb does not use OpenSSL.
 */
#define OSSL_INIT_NO_LOAD_CONFIG	0x00000080ULL	/* OPENSSL_INIT_* */
#define OSSL_INIT_NO_ATEXIT		0x00080000ULL
#define OSSL_CONF_FLAGS			(0x10 | 0x20)	/* CONF_MFLAGS_IGNORE_
							   MISSING_FILE, _DEFAULT_SECTION */
/* Whether openssl.cnf was skipped; decided before the first mysql_init(). */
static enum { TLSCONF_UNDECIDED, TLSCONF_LIBRARY, TLSCONF_SKIPPED } tls_conf;

static void
tls_conf_before_init(const struct db_opts *o)
{
	int (*init_crypto)(unsigned long long, const void *);

	if (tls_conf != TLSCONF_UNDECIDED)
		return;
	tls_conf = TLSCONF_LIBRARY;
	if (o->tls || mysql_get_client_version() >= 30400)
		return;
	*(void **)&init_crypto = dlsym(RTLD_DEFAULT, "OPENSSL_init_crypto");
	if (init_crypto != NULL && init_crypto(OSSL_INIT_NO_LOAD_CONFIG |
	    OSSL_INIT_NO_ATEXIT, NULL) == 1)
		tls_conf = TLSCONF_SKIPPED;
}

/* Read openssl.cnf now. 0 when it was read, -1 when it cannot be. */
static int
tls_conf_load(void)
{
	int (*load)(const void *, const char *, unsigned long);

	*(void **)&load = dlsym(RTLD_DEFAULT, "CONF_modules_load_file");
	if (load == NULL || load(NULL, NULL, OSSL_CONF_FLAGS) <= 0)
		return -1;
	tls_conf = TLSCONF_LIBRARY;
	return 0;
}

int
db_connect(struct db *d)
{
	const struct db_opts *o = d->opts;
	const char *host = o->host, *info;
	unsigned int proto;
	char target[300];
	my_bool yes = 1;
	int ok;

	if (d->my != NULL)
		return 0;
	tls_conf_before_init(o);
again:
	d->cls = DB_OK;
	d->err_no = 0;
	d->error[0] = '\0';
	if ((d->my = mysql_init(NULL)) == NULL) {
		fail(d, "cannot initialise the client library");
		return -1;
	}
	if (o->group != NULL)
		mysql_optionsv(d->my, MYSQL_READ_DEFAULT_GROUP, o->group);
	if (o->defaults_file != NULL)
		mysql_optionsv(d->my, MYSQL_READ_DEFAULT_FILE,
		    o->defaults_file);
	mysql_optionsv(d->my, MYSQL_OPT_CONNECT_TIMEOUT, &o->connect_timeout);
	mysql_optionsv(d->my, MYSQL_OPT_READ_TIMEOUT, &o->read_timeout);
	mysql_optionsv(d->my, MYSQL_OPT_WRITE_TIMEOUT, &o->write_timeout);
	if (o->socket != NULL && o->host == NULL) {
		proto = MYSQL_PROTOCOL_SOCKET;
		mysql_optionsv(d->my, MYSQL_OPT_PROTOCOL, &proto);
	} else if (o->host != NULL || o->port != 0) {
		proto = MYSQL_PROTOCOL_TCP;
		mysql_optionsv(d->my, MYSQL_OPT_PROTOCOL, &proto);
		if (host == NULL)
			host = "127.0.0.1";
	}
	if (o->tls) {
		/* Files first: mysql_ssl_set() would reset the enforcement. */
		if (o->tls_key != NULL)
			mysql_optionsv(d->my, MYSQL_OPT_SSL_KEY, o->tls_key);
		if (o->tls_cert != NULL)
			mysql_optionsv(d->my, MYSQL_OPT_SSL_CERT, o->tls_cert);
		if (o->tls_ca != NULL)
			mysql_optionsv(d->my, MYSQL_OPT_SSL_CA, o->tls_ca);
		if (o->tls_capath != NULL)
			mysql_optionsv(d->my, MYSQL_OPT_SSL_CAPATH,
			    o->tls_capath);
		if (o->tls_cipher != NULL)
			mysql_optionsv(d->my, MYSQL_OPT_SSL_CIPHER,
			    o->tls_cipher);
		if (o->tls_crl != NULL)
			mysql_optionsv(d->my, MYSQL_OPT_SSL_CRL, o->tls_crl);
		if (o->tls_verify)
			mysql_optionsv(d->my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
			    &yes);
		mysql_optionsv(d->my, MYSQL_OPT_SSL_ENFORCE, &yes);
	}
	ok = mysql_real_connect(d->my, host, o->user,
	    o->have_password ? o->password : NULL, NULL, o->port, o->socket,
	    d->multi ? CLIENT_MULTI_STATEMENTS : 0) != NULL;
	if (tls_conf == TLSCONF_SKIPPED && (ok ?
	    mysql_get_ssl_cipher(d->my) != NULL :
	    mysql_errno(d->my) == CR_SSL_CONNECTION_ERROR)) {
		/*
		 * TLS after all (an option file asks for it), tried without
		 * openssl.cnf: read the file and connect again. Loading sets
		 * tls_conf, so this happens once.
		 */
		db_close(d);
		if (tls_conf_load() == 0)
			goto again;
		db_opts_target(o, target, sizeof(target));
		d->cls = DB_FAILED;
		d->err_no = CR_SSL_CONNECTION_ERROR;
		snprintf(d->error, sizeof(d->error), "cannot connect to %s "
		    "(TLS is wanted, but the OpenSSL configuration cannot be "
		    "read: check OPENSSL_CONF and openssl.cnf)", target);
		return -1;
	}
	if (!ok) {
		d->err_no = mysql_errno(d->my);
		db_opts_target(o, target, sizeof(target));
		if (db_classify(d->err_no) == DB_DENIED)
			fail(d, "access denied");
		else
			fail(d, "cannot connect to %s", target);
		db_close(d);
		return -1;
	}
	if (o->tls && mysql_get_ssl_cipher(d->my) == NULL) {
		/* Not every library version enforces it: check ourselves. */
		db_opts_target(o, target, sizeof(target));
		d->cls = DB_FAILED;
		d->err_no = CR_SSL_CONNECTION_ERROR;
		snprintf(d->error, sizeof(d->error), "cannot connect to %s "
		    "(TLS required, but the connection is not encrypted: "
		    "give the server ssl_cert and ssl_key, or drop --ssl)",
		    target);
		db_close(d);
		return -1;
	}
	info = mysql_get_server_info(d->my);
	snprintf(d->server, sizeof(d->server), "%s", info ? info : "");
	d->flavour = strstr(d->server, "MariaDB") != NULL ? DB_MARIADB :
	    DB_MYSQL;
	d->version = mysql_get_server_version(d->my);
	return 0;
}

typedef int row_fn(void *, unsigned int, const char *const *,
    const char *const *, const unsigned long *);

/*
 * Run sql, one statement or several (multi-statement connection), and hand
 * each row of every result to fn until it returns non-zero. A failure
 * names what[k], the statement whose result failed (the last one when
 * there are fewer names). Every result is read, so the connection stays
 * usable. Returns the row count or -1.
 */
static int
run_query(struct db *d, const char *sql, const char *const *what, size_t nwhat,
    row_fn *fn, void *arg)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	MYSQL_FIELD *f;
	const char *names[256];
	unsigned int n, i;
	size_t k = 0;
	int rows = 0, stop = 0;

	if (db_connect(d) != 0)
		return -1;
	if (mysql_real_query(d->my, sql, strlen(sql)) != 0)
		goto failed;
	do {
		if ((res = mysql_store_result(d->my)) == NULL) {
			if (mysql_field_count(d->my) != 0)
				goto failed;
			continue;
		}
		n = mysql_num_fields(res);
		f = mysql_fetch_fields(res);
		if (n > sizeof(names) / sizeof(names[0]))
			n = sizeof(names) / sizeof(names[0]);
		for (i = 0; i < n; i++)
			names[i] = f[i].name;
		while (!stop && (row = mysql_fetch_row(res)) != NULL) {
			rows++;
			if (fn != NULL && fn(arg, n, names,
			    (const char *const *)row,
			    mysql_fetch_lengths(res)) != 0)
				stop = 1;
		}
		mysql_free_result(res);
	} while (mysql_more_results(d->my) && (++k, mysql_next_result(d->my)
	    == 0));
	if (mysql_errno(d->my) == 0)
		return rows;
failed:
	sql = what[k < nwhat ? k : nwhat - 1];
	if (db_classify(mysql_errno(d->my)) == DB_DOWN)
		fail(d, "no answer from the server to %s", sql);
	else
		fail(d, "%s", sql);
	return -1;
}

int
db_query_rows(struct db *d, const char *sql, row_fn *fn, void *arg)
{
	return run_query(d, sql, &sql, 1, fn, arg);
}

int
db_exec(struct db *d, const char *sql)
{
	return db_query_rows(d, sql, NULL, NULL) < 0 ? -1 : 0;
}

struct value_arg {
	char	*buf;
	size_t	 len;
	int	 is_null;
	int	 got;
	unsigned long need;	/* length of a value that did not fit */
};

static int
value_row(void *arg, unsigned int n, const char *const *names,
    const char *const *values, const unsigned long *lens)
{
	struct value_arg *va = arg;

	(void)names;
	va->got = 1;
	va->buf[0] = '\0';
	if (n == 0 || values[0] == NULL) {
		va->is_null = 1;
		return 1;
	}
	if (lens[0] >= va->len) {
		va->need = lens[0];
		return 1;
	}
	memcpy(va->buf, values[0], lens[0]);
	va->buf[lens[0]] = '\0';
	return 1;
}

int
db_query_value(struct db *d, const char *sql, char *buf, size_t len,
    int *is_null)
{
	struct value_arg va = { buf, len, 0, 0, 0 };

	if (len == 0)
		return -1;
	buf[0] = '\0';
	if (db_query_rows(d, sql, value_row, &va) < 0)
		return -1;
	if (va.need != 0) {
		/* A cut GTID set or name would be a wrong answer. */
		d->cls = DB_FAILED;
		d->err_no = 0;
		snprintf(d->error, sizeof(d->error), "%.300s: the value is "
		    "%lu bytes, more than the %zu this program takes", sql,
		    va.need, len - 1);
		return -1;
	}
	if (is_null != NULL)
		*is_null = va.is_null;
	return va.got;
}

int
db_query_int(struct db *d, const char *sql, long long *out, int *is_null)
{
	char buf[64];
	const char *errstr;
	int null = 0, r;

	*out = 0;
	if ((r = db_query_value(d, sql, buf, sizeof(buf), &null)) <= 0)
		return r;
	if (is_null != NULL)
		*is_null = null;
	if (null)
		return 1;
	if (parse_int(buf, -((long long)1 << 62), (long long)1 << 62, out,
	    &errstr) != 0) {
		d->cls = DB_FAILED;
		d->err_no = 0;
		snprintf(d->error, sizeof(d->error), "%s: '%s' is %s", sql,
		    buf, errstr);
		return -1;
	}
	return 1;
}

const char *
db_replica_status_sql(const struct db *d)
{
	if ((d->flavour == DB_MARIADB && d->version >= 100501) ||
	    (d->flavour == DB_MYSQL && d->version >= 80022))
		return "SHOW REPLICA STATUS";
	return "SHOW SLAVE STATUS";
}

const char *
db_monitor_privilege(const struct db *d)
{
	if (d->flavour == DB_MARIADB && d->version >= 100509)
		return "REPLICA MONITOR";
	if (d->flavour == DB_MARIADB && d->version >= 100502)
		return "REPLICATION SLAVE ADMIN";
	return "REPLICATION CLIENT";
}

static int
rs_fill(struct db *d, struct db_replica_status *rs, unsigned int n,
    const char *const *names, const char *const *values,
    const unsigned long *lens, int *bad)
{
	/* The default (unnamed) connection comes first; one row is enough. */
	if (db_rs_parse(rs, n, names, values, lens) != 0) {
		/* never a half-filled status taken for the whole */
		d->cls = DB_FAILED;
		d->err_no = 0;
		snprintf(d->error, sizeof(d->error), "%s: out of memory "
		    "reading the replica status", db_replica_status_sql(d));
		*bad = 1;
	}
	return 1;
}

struct rs_arg {
	struct db			*d;
	struct db_replica_status	*rs;
	int				 bad;
};

static int
rs_row(void *arg, unsigned int n, const char *const *names,
    const char *const *values, const unsigned long *lens)
{
	struct rs_arg *a = arg;

	return rs_fill(a->d, a->rs, n, names, values, lens, &a->bad);
}

/* A failed replica status statement: name the privilege it needs. */
static void
rs_failed(struct db *d)
{
	char msg[sizeof(d->error)];

	if (d->cls != DB_NOPRIV)
		return;
	snprintf(msg, sizeof(msg), "%s", d->error);
	snprintf(d->error, sizeof(d->error), "missing privilege %s for %.400s",
	    db_monitor_privilege(d), msg);
}

int
db_replica_status(struct db *d, struct db_replica_status *rs)
{
	struct rs_arg a = { d, rs, 0 };

	if (db_connect(d) != 0)
		return -1;
	if (db_query_rows(d, db_replica_status_sql(d), rs_row, &a) < 0) {
		rs_failed(d);
		return -1;
	}
	if (a.bad)
		return -1;
	return rs->present ? 1 : 0;
}

/* "SELECT @@global.read_only[, @@global.super_read_only]" for d. */
static const char *
read_only_sql(const struct db *d)
{
	return d->flavour == DB_MYSQL ?
	    "SELECT @@global.read_only, @@global.super_read_only" :
	    "SELECT @@global.read_only";
}

struct ro_arg {
	struct db	*d;
	int		*ro, *sro;
	int		 bad;		/* a value was not 0 or 1 */
	struct db_replica_status *rs;	/* observe_both: the second result */
};

/* The row of read_only_sql(), or (with rs) of the replica status. */
static int
ro_row(void *arg, unsigned int n, const char *const *names,
    const char *const *values, const unsigned long *lens)
{
	struct ro_arg *a = arg;
	const char *errstr;
	long long v;
	unsigned int i;

	if (a->rs != NULL && *a->ro >= 0)
		return rs_fill(a->d, a->rs, n, names, values, lens, &a->bad);
	for (i = 0; i < n && i < 2; i++) {
		if (values[i] == NULL || parse_int(values[i], 0, 1, &v,
		    &errstr) != 0) {
			a->d->cls = DB_FAILED;
			a->d->err_no = 0;
			snprintf(a->d->error, sizeof(a->d->error), "%s: '%s' is "
			    "not 0 or 1", read_only_sql(a->d), values[i] != NULL ?
			    values[i] : "NULL");
			a->bad = 1;
			return 1;
		}
		*(i == 0 ? a->ro : a->sro) = v != 0;
	}
	return a->rs != NULL ? 0 : 1;
}

int
db_read_only(struct db *d, int *ro, int *sro)
{
	struct ro_arg a = { d, ro, sro, 0, NULL };

	*ro = *sro = -1;
	if (db_query_rows(d, read_only_sql(d), ro_row, &a) < 0 || a.bad)
		return -1;
	if (*ro < 0) {
		d->cls = DB_FAILED;
		d->err_no = 0;
		snprintf(d->error, sizeof(d->error), "%s: no row",
		    read_only_sql(d));
		return -1;
	}
	return 0;
}

/*
 * read_only and replica status in one round trip, on a connection made
 * with multi-statements. Errors name the statement that failed, as the
 * separate queries would.
 */
static int
observe_both(struct db *d, struct db_observation *o)
{
	const char *what[2] = { read_only_sql(d), db_replica_status_sql(d) };
	struct ro_arg a = { d, &o->read_only, &o->super_read_only, 0, &o->rs };
	char sql[128];

	snprintf(sql, sizeof(sql), "%s; %s", what[0], what[1]);
	o->asked_replica = 1;
	if (run_query(d, sql, what, 2, ro_row, &a) < 0) {
		rs_failed(d);
		return -1;
	}
	return a.bad ? -1 : 0;
}

static int
observe_once(struct db *d, const char *query, int want_ro, int want_rs,
    struct db_observation *o)
{
	if (db_connect(d) != 0)
		return -1;
	if (query == NULL && want_ro && want_rs && d->multi)
		return observe_both(d, o);
	if (query != NULL && db_exec(d, query) != 0)
		return -1;
	if (want_ro && db_read_only(d, &o->read_only, &o->super_read_only) != 0)
		return -1;
	if (want_rs) {
		o->asked_replica = 1;
		if (db_replica_status(d, &o->rs) < 0)
			return -1;
	}
	return 0;
}

void
db_observe(struct db *d, const char *query, int want_ro, int want_rs,
    struct db_observation *o)
{
	long long t0;
	int reused;

	o->cls = DB_OK;
	o->error[0] = '\0';
	o->read_only = o->super_read_only = -1;
	o->asked_replica = 0;
	reused = d->my != NULL;
	if (!reused)
		d->multi = query == NULL && want_ro && want_rs;
	t0 = mono_ms();
	if (observe_once(d, query, want_ro, want_rs, o) == 0)
		return;
	/*
	 * A kept connection may have died since the last check (server
	 * restarted, idle timeout): open a new one once, unless the failure
	 * itself took a read timeout (a hung server stays hung).
	 */
	if (reused && d->cls == DB_DOWN &&
	    mono_ms() - t0 < (long long)d->opts->read_timeout * 1000 / 2) {
		db_rs_free(&o->rs);
		o->read_only = o->super_read_only = -1;
		o->asked_replica = 0;
		if (observe_once(d, query, want_ro, want_rs, o) == 0)
			return;
	}
	o->cls = d->cls;
	snprintf(o->error, sizeof(o->error), "%s", d->error);
}
