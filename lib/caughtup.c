#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caughtup.h"
#include "cli.h"

#define SAT_MAX	((uint64_t)INT64_MAX)

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	if (a >= SAT_MAX || b >= SAT_MAX - a)
		return SAT_MAX;
	return a + b;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parse decimal digits at s[*i] into *out (<= max). 0 or -1. */
static int
digits(const char *s, size_t len, size_t *i, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *i;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		unsigned d = (unsigned)(s[*i] - '0');

		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
		(*i)++;
	}
	if (*i == start)
		return -1;
	*out = v;
	return 0;
}

/* MariaDB positions */

void
mgtid_pos_init(struct mgtid_pos *p)
{
	memset(p, 0, sizeof(*p));
}

void
mgtid_pos_free(struct mgtid_pos *p)
{
	free(p->v);
	mgtid_pos_init(p);
}

static int
mgtid_cmp(const void *a, const void *b)
{
	const struct mgtid *x = a, *y = b;

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq > y->seq ? -1 : 1;	/* highest first */
	return 0;
}

int
mgtid_pos_parse(struct mgtid_pos *p, const char *s, size_t len,
    const char **errstr)
{
	size_t i = 0, o, k;
	uint64_t d, srv, seq;

	mgtid_pos_free(p);
	for (;;) {
		while (i < len && is_ws(s[i]))
			i++;
		if (i == len && p->n == 0)
			break;		/* the empty position */
		if (digits(s, len, &i, UINT32_MAX, &d) != 0 ||
		    i >= len || s[i++] != '-' ||
		    digits(s, len, &i, UINT32_MAX, &srv) != 0 ||
		    i >= len || s[i++] != '-' ||
		    digits(s, len, &i, UINT64_MAX, &seq) != 0) {
			*errstr = "not a GTID position (want "
			    "domain-server-seqno[,...])";
			goto fail;
		}
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 4;
			struct mgtid *v = realloc(p->v, cap * sizeof(*v));

			if (v == NULL) {
				*errstr = "out of memory";
				goto fail;
			}
			p->v = v;
			p->cap = cap;
		}
		p->v[p->n].domain = (uint32_t)d;
		p->v[p->n].server = (uint32_t)srv;
		p->v[p->n].seq = seq;
		p->n++;
		while (i < len && is_ws(s[i]))
			i++;
		if (i == len)
			break;
		if (s[i] != ',') {
			*errstr = "not a GTID position (want "
			    "domain-server-seqno[,...])";
			goto fail;
		}
		i++;
	}
	if (p->n > 1) {
		qsort(p->v, p->n, sizeof(p->v[0]), mgtid_cmp);
		/* keep the first (highest seqno) of each domain */
		for (o = 1, k = 1; k < p->n; k++)
			if (p->v[k].domain != p->v[o - 1].domain)
				p->v[o++] = p->v[k];
		p->n = o;
	}
	return 0;
fail:
	mgtid_pos_free(p);
	return -1;
}

static const struct mgtid *
mgtid_find(const struct mgtid_pos *p, uint32_t domain)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->v[mid].domain == domain)
			return &p->v[mid];
		if (p->v[mid].domain < domain)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t
mgtid_pos_behind(const struct mgtid_pos *have, const struct mgtid_pos *want)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < want->n; i++) {
		const struct mgtid *h = mgtid_find(have, want->v[i].domain);
		uint64_t hs = h != NULL ? h->seq : 0;

		if (want->v[i].seq > hs)
			sum = sat_add(sum, want->v[i].seq - hs);
	}
	return sum;
}

/* MySQL GTID sets */

void
gtid_set_init(struct gtid_set *g)
{
	memset(g, 0, sizeof(*g));
}

void
gtid_set_free(struct gtid_set *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->s[i].iv);
	free(g->s);
	gtid_set_init(g);
}

static struct gtid_sid *
sid_add(struct gtid_set *g, const char *uuid, const char *tag)
{
	struct gtid_sid *s;

	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 4;
		struct gtid_sid *v = realloc(g->s, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		g->s = v;
		g->cap = cap;
	}
	s = &g->s[g->n++];
	memset(s, 0, sizeof(*s));
	memcpy(s->uuid, uuid, sizeof(s->uuid));
	snprintf(s->tag, sizeof(s->tag), "%s", tag);
	return s;
}

static int
ival_add(struct gtid_sid *s, uint64_t lo, uint64_t hi)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct gtid_ival *v = realloc(s->iv, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->iv = v;
		s->cap = cap;
	}
	s->iv[s->n].lo = lo;
	s->iv[s->n].hi = hi;
	s->n++;
	return 0;
}

static int
sid_cmp(const void *a, const void *b)
{
	const struct gtid_sid *x = a, *y = b;
	int c = strcmp(x->uuid, y->uuid);

	return c != 0 ? c : strcmp(x->tag, y->tag);
}

static int
ival_cmp(const void *a, const void *b)
{
	const struct gtid_ival *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

static void
ival_normalize(struct gtid_sid *s)
{
	size_t o, k;

	if (s->n < 2)
		return;
	qsort(s->iv, s->n, sizeof(s->iv[0]), ival_cmp);
	for (o = 0, k = 1; k < s->n; k++) {
		/* hi < 2^63, so hi + 1 cannot overflow */
		if (s->iv[k].lo <= s->iv[o].hi + 1) {
			if (s->iv[k].hi > s->iv[o].hi)
				s->iv[o].hi = s->iv[k].hi;
		} else
			s->iv[++o] = s->iv[k];
	}
	s->n = o + 1;
}

/* Sort sids, merge duplicates, normalize intervals. 0 or -1 (memory). */
static int
gtid_set_normalize(struct gtid_set *g)
{
	size_t o, k, j;

	if (g->n > 1)
		qsort(g->s, g->n, sizeof(g->s[0]), sid_cmp);
	for (o = 0, k = 0; k < g->n; k++) {
		if (o > 0 && sid_cmp(&g->s[o - 1], &g->s[k]) == 0) {
			struct gtid_sid *d = &g->s[o - 1];

			for (j = 0; j < g->s[k].n; j++)
				if (ival_add(d, g->s[k].iv[j].lo,
				    g->s[k].iv[j].hi) != 0) {
					/* free the unmerged rest */
					for (; k < g->n; k++)
						free(g->s[k].iv);
					g->n = o;
					return -1;
				}
			free(g->s[k].iv);
			continue;
		}
		g->s[o++] = g->s[k];
	}
	g->n = o;
	for (k = 0; k < g->n; k++)
		ival_normalize(&g->s[k]);
	return 0;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* 8-4-4-4-12 hex digits; lower-cased into out[37]. */
static int
uuid_parse(const char *s, size_t len, size_t *i, char *out)
{
	size_t k;

	if (len - *i < 36)
		return -1;
	for (k = 0; k < 36; k++) {
		char c = s[*i + k];

		if (k == 8 || k == 13 || k == 18 || k == 23) {
			if (c != '-')
				return -1;
		} else if (!is_hex(c))
			return -1;
		out[k] = (char)tolower((unsigned char)c);
	}
	out[36] = '\0';
	*i += 36;
	return 0;
}

static int
tag_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int
gtid_set_parse(struct gtid_set *g, const char *s, size_t len,
    const char **errstr)
{
	char uuid[37], tag[33];
	struct gtid_sid *cur;
	size_t i = 0, t;
	uint64_t lo, hi;
	const uint64_t maxno = (uint64_t)INT64_MAX - 1;

	gtid_set_free(g);
	for (;;) {
		while (i < len && is_ws(s[i]))
			i++;
		if (i == len && g->n == 0)
			break;		/* the empty set */
		if (uuid_parse(s, len, &i, uuid) != 0) {
			*errstr = "not a GTID set: bad source UUID";
			goto fail;
		}
		tag[0] = '\0';
		cur = NULL;
		/* one or more ":interval" or ":tag" items */
		if (i >= len || s[i] != ':') {
			*errstr = "not a GTID set: UUID without intervals";
			goto fail;
		}
		while (i < len && s[i] == ':') {
			i++;
			if (i < len && tag_start(s[i])) {
				if (cur == NULL && tag[0] != '\0') {
					*errstr = "not a GTID set: tag "
					    "without intervals";
					goto fail;
				}
				for (t = 0; i < len && t < sizeof(tag) - 1 &&
				    (tag_start(s[i]) ||
				    (s[i] >= '0' && s[i] <= '9')); t++, i++)
					tag[t] = (char)tolower(
					    (unsigned char)s[i]);
				tag[t] = '\0';
				if (i < len && (tag_start(s[i]) ||
				    (s[i] >= '0' && s[i] <= '9'))) {
					*errstr = "not a GTID set: tag longer "
					    "than 32 characters";
					goto fail;
				}
				cur = NULL;
				continue;
			}
			if (digits(s, len, &i, maxno, &lo) != 0) {
				*errstr = "not a GTID set: bad interval";
				goto fail;
			}
			hi = lo;
			if (i < len && s[i] == '-') {
				i++;
				if (digits(s, len, &i, maxno, &hi) != 0) {
					*errstr = "not a GTID set: bad "
					    "interval";
					goto fail;
				}
			}
			if (lo == 0 || hi < lo) {
				*errstr = "not a GTID set: interval out of "
				    "order or zero";
				goto fail;
			}
			if (cur == NULL && (cur = sid_add(g, uuid, tag)) ==
			    NULL) {
				*errstr = "out of memory";
				goto fail;
			}
			if (ival_add(cur, lo, hi) != 0) {
				*errstr = "out of memory";
				goto fail;
			}
		}
		if (cur == NULL) {
			*errstr = "not a GTID set: UUID or tag without "
			    "intervals";
			goto fail;
		}
		while (i < len && is_ws(s[i]))
			i++;
		if (i == len)
			break;
		if (s[i] != ',') {
			*errstr = "not a GTID set: expected ',' between "
			    "sources";
			goto fail;
		}
		i++;
	}
	if (gtid_set_normalize(g) != 0) {
		*errstr = "out of memory";
		goto fail;
	}
	return 0;
fail:
	gtid_set_free(g);
	return -1;
}

static const struct gtid_sid *
sid_find(const struct gtid_set *g, const struct gtid_sid *key)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sid_cmp(&g->s[mid], key);

		if (c == 0)
			return &g->s[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Transactions of want's intervals not covered by have's (both sorted). */
static uint64_t
ival_missing(const struct gtid_sid *have, const struct gtid_sid *want)
{
	uint64_t sum = 0, a, b, lo, hi;
	size_t i, j = 0;

	for (i = 0; i < want->n; i++) {
		a = want->iv[i].lo;
		b = want->iv[i].hi;
		sum = sat_add(sum, b - a + 1);
		if (have == NULL)
			continue;
		while (j < have->n && have->iv[j].hi < a)
			j++;
		/* subtract every have interval overlapping [a, b] */
		for (size_t k = j; k < have->n && have->iv[k].lo <= b; k++) {
			lo = have->iv[k].lo > a ? have->iv[k].lo : a;
			hi = have->iv[k].hi < b ? have->iv[k].hi : b;
			if (sum < SAT_MAX)
				sum -= hi - lo + 1;
		}
	}
	return sum;
}

uint64_t
gtid_set_missing(const struct gtid_set *have, const struct gtid_set *want)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < want->n; i++)
		sum = sat_add(sum, ival_missing(sid_find(have, &want->s[i]),
		    &want->s[i]));
	return sum;
}

uint64_t
gtid_set_count(const struct gtid_set *g)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < g->n; i++)
		sum = sat_add(sum, ival_missing(NULL, &g->s[i]));
	return sum;
}

/* The decision */

long long
cu_binlog_seq(const char *name)
{
	const char *dot = strrchr(name, '.');
	long long v;
	const char *errstr;

	if (dot == NULL || dot[1] == '\0')
		return -1;
	if (parse_int(dot + 1, 0, INT64_MAX, &v, &errstr) != 0)
		return -1;
	return v;
}

const char *
cu_state_name(enum cu_state s)
{
	switch (s) {
	case CU_CAUGHT_UP:
		return "caught-up";
	case CU_BEHIND:
		return "behind";
	case CU_CANNOT:
		return "cannot-catch-up";
	default:
		return "unknown";
	}
}

const char *
cu_method_name(enum cu_method m)
{
	switch (m) {
	case CU_MARIADB_GTID:
		return "mariadb-gtid";
	case CU_MYSQL_GTID:
		return "mysql-gtid";
	case CU_FILEPOS:
		return "file-position";
	default:
		return "none";
	}
}

int
cu_state_exit(enum cu_state s)
{
	switch (s) {
	case CU_CAUGHT_UP:
		return EXIT_YES;
	case CU_BEHIND:
		return EXIT_NO;
	default:
		return EXIT_UNKNOWN;
	}
}

static void
say(struct cu_verdict *v, enum cu_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct cu_verdict *v, enum cu_state st, const char *fmt, ...)
{
	va_list ap;

	v->state = st;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

static const char *
plural(long long n)
{
	return n == 1 ? "" : "s";
}

/* Has file/position data worth comparing? */
static int
have_filepos(const struct db_replica_status *rs)
{
	return rs->read_source_log_pos >= 0 && rs->exec_source_log_pos >= 0;
}

/*
 * Fill the file/position fields; returns the state that comparison gives.
 * An empty Master_Log_File means nothing was received since the IO
 * thread's position was last set (CHANGE MASTER, or a crash before
 * master.info was written): filepos_received stays "" (no read position).
 * That is caught up only when nothing was executed either.
 */
static enum cu_state
filepos(const struct db_replica_status *rs, struct cu_verdict *v)
{
	long long a, b;

	snprintf(v->filepos_executed, sizeof(v->filepos_executed),
	    "%s:%lld", rs->relay_source_log_file, rs->exec_source_log_pos);
	if (rs->source_log_file[0] == '\0') {
		if (rs->relay_source_log_file[0] != '\0')
			return CU_BEHIND;
		v->files_behind = v->bytes_behind = 0;
		return CU_CAUGHT_UP;
	}
	snprintf(v->filepos_received, sizeof(v->filepos_received),
	    "%s:%lld", rs->source_log_file, rs->read_source_log_pos);
	if (strcmp(rs->source_log_file, rs->relay_source_log_file) == 0) {
		v->files_behind = 0;
		v->bytes_behind = rs->read_source_log_pos >
		    rs->exec_source_log_pos ? rs->read_source_log_pos -
		    rs->exec_source_log_pos : 0;
		return v->bytes_behind == 0 ? CU_CAUGHT_UP : CU_BEHIND;
	}
	a = cu_binlog_seq(rs->source_log_file);
	b = cu_binlog_seq(rs->relay_source_log_file);
	if (a >= 0 && b >= 0 && a > b)
		v->files_behind = a - b;
	return CU_BEHIND;
}

/* Compare received and executed; sets method, counts and a reason. */
static void
compare(const struct cu_input *in, struct cu_verdict *v)
{
	const struct db_replica_status *rs = in->rs;
	enum cu_state fp = CU_UNKNOWN;
	const char *errstr = NULL;
	int use_mariadb;

	if (have_filepos(rs))
		fp = filepos(rs, v);

	use_mariadb = in->slave_pos != NULL && rs->using_gtid[0] != '\0' &&
	    strcasecmp(rs->using_gtid, "No") != 0;
	if (use_mariadb) {
		struct mgtid_pos io, sl;
		uint64_t n;

		v->method = CU_MARIADB_GTID;
		v->executed = in->slave_pos;
		if (rs->gtid_io_pos[0] == '\0') {
			/*
			 * No replication thread ran since the server started
			 * (or since CHANGE MASTER): nothing was received, and
			 * file/position is stale after a crash. Starting
			 * replication in GTID mode discards the relay log.
			 */
			v->trx_behind = 0;
			say(v, CU_CAUGHT_UP, "nothing received yet (Gtid_IO_Pos "
			    "empty), executed gtid_slave_pos %s",
			    in->slave_pos[0] != '\0' ? in->slave_pos : "(empty)");
			return;
		}
		v->received = rs->gtid_io_pos;
		mgtid_pos_init(&io);
		mgtid_pos_init(&sl);
		if (mgtid_pos_parse(&io, rs->gtid_io_pos,
		    strlen(rs->gtid_io_pos), &errstr) != 0) {
			say(v, CU_UNKNOWN, "Gtid_IO_Pos '%s': %s",
			    rs->gtid_io_pos, errstr);
			return;
		}
		if (mgtid_pos_parse(&sl, in->slave_pos, strlen(in->slave_pos),
		    &errstr) != 0) {
			mgtid_pos_free(&io);
			say(v, CU_UNKNOWN, "gtid_slave_pos '%s': %s",
			    in->slave_pos, errstr);
			return;
		}
		n = mgtid_pos_behind(&sl, &io);
		mgtid_pos_free(&io);
		mgtid_pos_free(&sl);
		v->trx_behind = (long long)n;
		if (n == 0)
			say(v, CU_CAUGHT_UP, "gtid_slave_pos %s has reached "
			    "Gtid_IO_Pos %s", in->slave_pos, rs->gtid_io_pos);
		else
			say(v, CU_BEHIND, "%lld transaction%s behind "
			    "(gtid_slave_pos %s, Gtid_IO_Pos %s)",
			    v->trx_behind, plural(v->trx_behind),
			    in->slave_pos, rs->gtid_io_pos);
		return;
	}
	if (rs->retrieved_gtid_set[0] != '\0') {
		struct gtid_set got, done;
		uint64_t n;

		v->method = CU_MYSQL_GTID;
		v->received = rs->retrieved_gtid_set;
		v->executed = rs->executed_gtid_set;
		gtid_set_init(&got);
		gtid_set_init(&done);
		if (gtid_set_parse(&got, rs->retrieved_gtid_set,
		    strlen(rs->retrieved_gtid_set), &errstr) != 0) {
			say(v, CU_UNKNOWN, "Retrieved_Gtid_Set: %s", errstr);
			return;
		}
		if (gtid_set_parse(&done, rs->executed_gtid_set,
		    strlen(rs->executed_gtid_set), &errstr) != 0) {
			gtid_set_free(&got);
			say(v, CU_UNKNOWN, "Executed_Gtid_Set: %s", errstr);
			return;
		}
		n = gtid_set_missing(&done, &got);
		gtid_set_free(&got);
		gtid_set_free(&done);
		v->trx_behind = (long long)n;
		if (n == 0)
			say(v, CU_CAUGHT_UP, "Executed_Gtid_Set contains "
			    "Retrieved_Gtid_Set");
		else
			say(v, CU_BEHIND, "%lld transaction%s behind "
			    "(in Retrieved_Gtid_Set, not in Executed_Gtid_Set)",
			    v->trx_behind, plural(v->trx_behind));
		return;
	}
	v->method = CU_FILEPOS;
	v->received = v->filepos_received[0] != '\0' ? v->filepos_received :
	    NULL;
	v->executed = v->filepos_executed;
	switch (fp) {
	case CU_CAUGHT_UP:
		if (v->received == NULL) {
			v->executed = NULL;
			say(v, CU_CAUGHT_UP, "nothing received or executed yet "
			    "(Master_Log_File and Relay_Master_Log_File empty)");
		} else
			say(v, CU_CAUGHT_UP, "executed position %s has reached "
			    "the read position", v->filepos_executed);
		break;
	case CU_BEHIND:
		if (v->received == NULL)
			say(v, CU_BEHIND, "read position unknown "
			    "(Master_Log_File empty: nothing received yet), "
			    "executed %s", v->filepos_executed);
		else if (v->bytes_behind > 0)
			say(v, CU_BEHIND, "%lld byte%s behind (read %s, "
			    "executed %s)", v->bytes_behind,
			    plural(v->bytes_behind), v->filepos_received,
			    v->filepos_executed);
		else if (v->files_behind > 0)
			say(v, CU_BEHIND, "%lld binlog file%s behind (read %s, "
			    "executed %s)", v->files_behind,
			    plural(v->files_behind), v->filepos_received,
			    v->filepos_executed);
		else
			say(v, CU_BEHIND, "behind (read %s, executed %s)",
			    v->filepos_received, v->filepos_executed);
		break;
	default:
		v->received = v->executed = NULL;
		say(v, CU_UNKNOWN, "no position to compare (Read_Master_Log_Pos "
		    "or Exec_Master_Log_Pos missing)");
		break;
	}
}

static void
one_line(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

enum cu_state
cu_decide(const struct cu_input *in, struct cu_verdict *v)
{
	const struct db_replica_status *rs = in->rs;
	char cmp[sizeof(v->reason)], err[400];
	enum cu_state cs;

	memset(v, 0, sizeof(*v));
	v->trx_behind = v->bytes_behind = v->files_behind = -1;
	if (rs == NULL || !rs->present) {
		say(v, CU_CANNOT, "not a replica (no replication configured)");
		return v->state;
	}
	compare(in, v);
	cs = v->state;
	memcpy(cmp, v->reason, sizeof(cmp));
	db_errtext(err, sizeof(err), "Last_SQL_Errno", rs->last_sql_errno,
	    rs->last_sql_error);

	if (rs->sql_running == DB_THREAD_NO)
		say(v, CU_CANNOT, "SQL thread stopped%s; %s", err, cmp);
	else if (rs->sql_running != DB_THREAD_YES)
		say(v, CU_UNKNOWN, "SQL thread state unknown; %s", cmp);
	else if (rs->last_sql_errno > 0)
		say(v, CU_CANNOT, "SQL thread error%s; %s", err, cmp);
	else if (rs->sql_delay > 0 && !in->ignore_delay)
		say(v, CU_CANNOT, "delayed replication (SQL_Delay %lld s; "
		    "--ignore-delay waits anyway); %s", rs->sql_delay, cmp);
	else
		v->state = cs;
	one_line(v->reason);
	return v->state;
}
