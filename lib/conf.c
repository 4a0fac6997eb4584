/*
 * The keepalived.conf (VRRP part) lexer and parser. See conf.h.
 *
 * Two passes: the lexer turns the main file and everything it includes into
 * one token stream (words, braces, end-of-line, each with FILE:LINE); the
 * parser walks that stream line by line. Cross-references (track_script
 * names, the VRRP version, inherited global defaults, duplicate VRIDs) are
 * resolved once the whole stream is parsed.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cli.h"
#include "conf.h"
#include "proc.h"

enum tok_type { T_WORD, T_LBRACE, T_RBRACE, T_EOL };

struct tok {
	enum tok_type	 type;
	char		*s;		/* T_WORD */
	struct conf_loc	 loc;
};

/* Per-instance facts needed only until the end of the parse. */
struct inst_aux {
	struct conf_loc	 advert_loc, version_loc, auth_loc, preempt_loc,
			 delay_loc, native6_loc, vips_loc, peers_loc, src_loc,
			 state_loc;
	struct conf_loc	*peer_locs;	/* the line of each in->peers[] */
	int		 version;	/* `version` keyword, 0 = unset */
	int		 has_vips, has_peers, native6, seen_auth_pass;
	int		 garp_delay, garp_repeat, garp_refresh, garp_refresh_repeat;
};

struct parser {
	struct conf	*c;
	const struct conf_reader *rd;
	struct tok	*t;
	size_t		 n, cap, pos;
	char		*stack[CONF_INCLUDE_DEPTH + 2];	/* canonical names */
	int		 depth;
	struct inst_aux	*aux;
	int		 oom;
};

/* A statement: the words of one line, and whether a block follows. */
struct line {
	struct tok	*w;		/* n consecutive T_WORD tokens */
	int		 n;
	int		 opens;		/* a '{' followed */
	int		 closes;	/* this "line" is a '}' */
	struct conf_loc	 loc;
};

#define W(l, i)	((l)->w[(i)].s)

/* ---- messages ---------------------------------------------------------- */

static void
add_msg(struct parser *P, struct conf_msg **v, int *n, struct conf_loc loc,
    const char *kind, const char *fmt, va_list ap)
{
	struct conf_msg *nv;
	char *m = NULL, *text = NULL;

	if (vasprintf(&m, fmt, ap) < 0) {
		P->oom = 1;
		return;
	}
	if (loc.file != NULL && loc.line > 0) {
		if (asprintf(&text, "%s:%d: %s%s", loc.file, loc.line, kind,
		    m) < 0)
			text = NULL;
	} else if (loc.file != NULL) {
		if (asprintf(&text, "%s: %s%s", loc.file, kind, m) < 0)
			text = NULL;
	} else if (asprintf(&text, "%s%s", kind, m) < 0)
		text = NULL;
	free(m);
	if (text == NULL) {
		P->oom = 1;
		return;
	}
	nv = reallocarray(*v, *n + 1, sizeof(**v));
	if (nv == NULL) {
		free(text);
		P->oom = 1;
		return;
	}
	*v = nv;
	nv[*n].loc = loc;
	nv[*n].text = text;
	(*n)++;
}

static void __attribute__((format(printf, 3, 4)))
err(struct parser *P, struct conf_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_msg(P, &P->c->errors, &P->c->nerrors, loc, "", fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
warn(struct parser *P, struct conf_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_msg(P, &P->c->warnings, &P->c->nwarnings, loc, "warning: ",
	    fmt, ap);
	va_end(ap);
}

static void *
grow(struct parser *P, void *v, int n, size_t size)
{
	void *nv;

	nv = reallocarray(v, (size_t)n + 1, size);
	if (nv == NULL) {
		P->oom = 1;
		return NULL;
	}
	memset((char *)nv + (size_t)n * size, 0, size);
	return nv;
}

static char *
xstrdup(struct parser *P, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		P->oom = 1;
	return d;
}

/* ---- lexer ------------------------------------------------------------- */

static const char *
add_file(struct parser *P, const char *name)
{
	char **nv, *d;

	if ((d = strdup(name)) == NULL ||
	    (nv = reallocarray(P->c->files, P->c->nfiles + 1,
	    sizeof(*nv))) == NULL) {
		free(d);
		P->oom = 1;
		return NULL;
	}
	P->c->files = nv;
	nv[P->c->nfiles++] = d;
	return d;
}

static int
push_tok(struct parser *P, enum tok_type type, char *s, struct conf_loc loc)
{
	struct tok *nt;

	if (P->n == P->cap) {
		size_t ncap = P->cap ? P->cap * 2 : 256;

		if ((nt = reallocarray(P->t, ncap, sizeof(*nt))) == NULL) {
			free(s);
			P->oom = 1;
			return -1;
		}
		P->t = nt;
		P->cap = ncap;
	}
	P->t[P->n].type = type;
	P->t[P->n].s = s;
	P->t[P->n].loc = loc;
	P->n++;
	return 0;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * One escape inside quotes, keepalived's set: \a \b \E \f \n \r \t \v,
 * \nnn (octal), \xXX (hex), \cC (control C), \C = C. *ip is at the
 * backslash; returns the byte (0 is reported by the caller).
 */
static int
unescape(const char *b, size_t len, size_t *ip)
{
	size_t i = *ip + 1;
	int ch, v, k;

	if (i >= len || b[i] == '\n') {
		*ip = i;
		return '\\';
	}
	ch = (unsigned char)b[i++];
	switch (ch) {
	case 'a': v = '\a'; break;
	case 'b': v = '\b'; break;
	case 'E': v = 033; break;
	case 'f': v = '\f'; break;
	case 'n': v = '\n'; break;
	case 'r': v = '\r'; break;
	case 't': v = '\t'; break;
	case 'v': v = '\v'; break;
	case 'x':
		v = 0;
		for (k = 0; k < 2 && i < len && hexval(b[i]) >= 0; k++)
			v = v * 16 + hexval(b[i++]);
		if (k == 0)
			v = 'x';
		break;
	case 'c':
		if (i < len && b[i] != '\n')
			v = b[i++] & 0x1f;
		else
			v = 'c';
		break;
	default:
		if (ch >= '0' && ch <= '7') {
			v = ch - '0';
			for (k = 1; k < 3 && i < len && b[i] >= '0' &&
			    b[i] <= '7'; k++)
				v = v * 8 + (b[i++] - '0');
			v &= 0xff;
		} else
			v = ch;
		break;
	}
	*ip = i;
	return v;
}

/* Append ch to the word being built; -1 when out of memory. */
static int
wput(struct parser *P, char **w, size_t *wlen, size_t *wcap, int ch)
{
	if (*wlen + 2 > *wcap) {
		char *nw = realloc(*w, *wcap * 2);

		if (nw == NULL) {
			P->oom = 1;
			return -1;
		}
		*w = nw;
		*wcap *= 2;
	}
	(*w)[(*wlen)++] = (char)ch;
	return 0;
}

static int	lex_file(struct parser *, const char *, const char *,
		    const char *, size_t, struct conf_loc);

static int
has_wildcard(const char *s)
{
	return strpbrk(s, "*?[{") != NULL;
}

/* include PATTERN...: expand each pattern relative to file's directory. */
static void
do_include(struct parser *P, const char *file, struct tok *pat, int npat,
    struct conf_loc loc)
{
	char **paths = NULL, *full = NULL, *buf = NULL, *canon;
	const char *slash;
	size_t blen;
	int i, j, np;

	if (npat == 0) {
		err(P, loc, "include: no file name");
		return;
	}
	if (P->rd == NULL) {
		err(P, loc, "include: not available here");
		return;
	}
	for (i = 0; i < npat && !P->oom; i++) {
		const char *p = pat[i].s;

		slash = strrchr(file, '/');
		if (p[0] == '/' || slash == NULL)
			full = strdup(p);
		else if (asprintf(&full, "%.*s/%s", (int)(slash - file),
		    file, p) < 0)
			full = NULL;
		if (full == NULL) {
			P->oom = 1;
			return;
		}
		np = P->rd->glob(P->rd->arg, full, &paths);
		if (np < 0)
			err(P, loc, "include %s: %s", full, strerror(errno));
		else if (np == 0 && has_wildcard(p))
			warn(P, loc, "include %s: no file matches", full);
		else if (np == 0)
			err(P, loc, "include %s: no such file", full);
		for (j = 0; j < np; j++) {
			if (P->depth >= CONF_INCLUDE_DEPTH) {
				err(P, loc, "include %s: nested more than %d "
				    "levels deep", paths[j], CONF_INCLUDE_DEPTH);
				continue;
			}
			canon = P->rd->canon(P->rd->arg, paths[j]);
			if (canon == NULL) {
				err(P, loc, "include %s: %s", paths[j],
				    strerror(errno));
				continue;
			}
			if (P->rd->read(P->rd->arg, paths[j], &buf,
			    &blen) == -1) {
				err(P, loc, "include %s: %s", paths[j],
				    strerror(errno));
				free(canon);
				continue;
			}
			lex_file(P, paths[j], canon, buf, blen, loc);
			free(canon);
			free(buf);
			buf = NULL;
		}
		for (j = 0; j < np; j++)
			free(paths[j]);
		free(paths);
		paths = NULL;
		free(full);
		full = NULL;
	}
}

/*
 * The rest of an include line, from b + i: whitespace-separated patterns
 * taken raw (braces are glob syntax here), up to a comment or the end of
 * the line. Returns the index of the newline (or len).
 */
static size_t
include_line(struct parser *P, const char *name, const char *b, size_t len,
    size_t i, struct conf_loc loc)
{
	struct tok pat[16];
	size_t start;
	int npat = 0, k;

	memset(pat, 0, sizeof(pat));
	while (i < len && b[i] != '\n' && b[i] != '#' && b[i] != '!') {
		if (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
			i++;
			continue;
		}
		start = i;
		while (i < len && strchr(" \t\r\n#!", b[i]) == NULL &&
		    b[i] != '\0')
			i++;
		if (i == start) {
			i++;		/* a NUL byte */
			continue;
		}
		if (npat == (int)(sizeof(pat) / sizeof(pat[0]))) {
			err(P, loc, "include: more than %d patterns", npat);
			break;
		}
		if ((pat[npat].s = strndup(b + start, i - start)) == NULL) {
			P->oom = 1;
			break;
		}
		pat[npat++].loc = loc;
	}
	while (i < len && b[i] != '\n')
		i++;
	if (!P->oom)
		do_include(P, name, pat, npat, loc);
	for (k = 0; k < npat; k++)
		free(pat[k].s);
	return i;
}

/*
 * Lex buf (the contents of name) onto P's token stream; include lines are
 * expanded in place. canon identifies the file for cycle detection.
 */
static int
lex_file(struct parser *P, const char *name, const char *canon,
    const char *b, size_t len, struct conf_loc from)
{
	struct conf_loc loc;
	size_t i = 0, line_start_tok, wlen, wcap;
	char *w;
	int d;

	for (d = 0; d < P->depth; d++) {
		if (strcmp(P->stack[d], canon) == 0) {
			err(P, from, "include %s: include cycle", name);
			return -1;
		}
	}
	if ((loc.file = add_file(P, name)) == NULL)
		return -1;
	if ((P->stack[P->depth] = strdup(canon)) == NULL) {
		P->oom = 1;
		return -1;
	}
	P->depth++;
	loc.line = 1;
	line_start_tok = P->n;

	while (i < len && !P->oom) {
		int ch = (unsigned char)b[i];

		if (ch == '\n') {
			push_tok(P, T_EOL, NULL, loc);
			loc.line++;
			i++;
			line_start_tok = P->n;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
		    ch == '\f') {
			i++;
			continue;
		}
		if (ch == '#' || ch == '!') {
			while (i < len && b[i] != '\n')
				i++;
			continue;
		}
		if (ch == '{' || ch == '}') {
			push_tok(P, ch == '{' ? T_LBRACE : T_RBRACE, NULL, loc);
			i++;
			continue;
		}
		if (P->n == line_start_tok && len - i >= 7 &&
		    memcmp(b + i, "include", 7) == 0 && (len - i == 7 ||
		    strchr(" \t\r\n#!", b[i + 7]) != NULL)) {
			i = include_line(P, name, b, len, i + 7, loc);
			continue;
		}
		/* A word: unquoted runs and quoted runs, glued together. */
		wcap = 32;
		wlen = 0;
		if ((w = malloc(wcap)) == NULL) {
			P->oom = 1;
			break;
		}
		while (i < len) {
			ch = (unsigned char)b[i];
			if (ch == '\n' || ch == ' ' || ch == '\t' ||
			    ch == '\r' || ch == '\v' || ch == '\f' ||
			    ch == '{' || ch == '}' || ch == '#' || ch == '!')
				break;
			if (ch == '"' || ch == '\'') {
				int q = ch, closed = 0;

				i++;
				while (i < len && b[i] != '\n') {
					ch = (unsigned char)b[i];
					if (ch == q) {
						closed = 1;
						i++;
						break;
					}
					if (ch == '\\')
						ch = unescape(b, len, &i);
					else
						i++;
					if (ch == 0) {
						err(P, loc, "NUL byte in a "
						    "quoted string");
						continue;
					}
					if (wput(P, &w, &wlen, &wcap, ch) == -1)
						break;
				}
				if (!closed)
					err(P, loc, "unterminated %s quote",
					    q == '"' ? "double" : "single");
				if (P->oom)
					break;
				continue;
			}
			if (ch == 0) {
				err(P, loc, "NUL byte in the file");
				i++;
				continue;
			}
			if (wput(P, &w, &wlen, &wcap, ch) == -1)
				break;
			i++;
		}
		if (P->oom) {
			free(w);
			break;
		}
		w[wlen] = '\0';
		push_tok(P, T_WORD, w, loc);
	}
	push_tok(P, T_EOL, NULL, loc);
	P->depth--;
	free(P->stack[P->depth]);
	P->stack[P->depth] = NULL;
	return P->oom ? -1 : 0;
}

/* ---- the line reader --------------------------------------------------- */

/* Next statement; 0 at the end of the stream. */
static int
next_line(struct parser *P, struct line *l)
{
	memset(l, 0, sizeof(*l));
	while (P->pos < P->n && P->t[P->pos].type == T_EOL)
		P->pos++;
	if (P->pos >= P->n)
		return 0;
	l->loc = P->t[P->pos].loc;
	if (P->t[P->pos].type == T_RBRACE) {
		P->pos++;
		l->closes = 1;
		return 1;
	}
	l->w = &P->t[P->pos];
	while (P->pos < P->n && P->t[P->pos].type == T_WORD) {
		P->pos++;
		l->n++;
	}
	if (P->pos < P->n && P->t[P->pos].type == T_LBRACE) {
		P->pos++;
		l->opens = 1;
	}
	return 1;
}

/* For block keywords: accept the '{' on the following line too. */
static int
want_block(struct parser *P, struct line *l)
{
	size_t p = P->pos;

	if (l->opens)
		return 1;
	while (p < P->n && P->t[p].type == T_EOL)
		p++;
	if (p < P->n && P->t[p].type == T_LBRACE) {
		P->pos = p + 1;
		l->opens = 1;
		return 1;
	}
	return 0;
}

/* Skip the rest of a block whose '{' was consumed. */
static void
skip_block(struct parser *P)
{
	int depth = 1;

	while (P->pos < P->n && depth > 0) {
		if (P->t[P->pos].type == T_LBRACE)
			depth++;
		else if (P->t[P->pos].type == T_RBRACE)
			depth--;
		P->pos++;
	}
}

/* A block keyword whose block is missing, or a statement with a stray one. */
static void
unsupported(struct parser *P, struct line *l, const char *where)
{
	if (l->n == 0)
		err(P, l->loc, "'{' without a keyword%s%s", where ? " in " : "",
		    where ? where : "");
	else if (where != NULL)
		err(P, l->loc, "unsupported keyword '%s' in %s", W(l, 0), where);
	else
		err(P, l->loc, "unsupported keyword '%s'", W(l, 0));
	if (l->opens)
		skip_block(P);
}

/* ---- values ------------------------------------------------------------ */

static int
nargs(struct parser *P, struct line *l, int min, int max)
{
	int n = l->n - 1;

	if (n < min || n > max) {
		if (min == max && min == 0)
			err(P, l->loc, "%s takes no argument", W(l, 0));
		else if (min == max)
			err(P, l->loc, "%s: expected %d argument%s, got %d",
			    W(l, 0), min, min == 1 ? "" : "s", n);
		else
			err(P, l->loc, "%s: expected %d to %d arguments, got %d",
			    W(l, 0), min, max, n);
		if (l->opens)
			skip_block(P);
		return -1;
	}
	if (l->opens) {
		err(P, l->loc, "%s does not take a block", W(l, 0));
		skip_block(P);
		return -1;
	}
	return 0;
}

static int
int_arg(struct parser *P, struct line *l, int i, long long min,
    long long max, int *out)
{
	const char *errstr;
	long long v;

	if (parse_int(W(l, i), min, max, &v, &errstr) == -1) {
		err(P, l->loc, "%s '%s': %s (%lld to %lld)", W(l, 0), W(l, i),
		    errstr, min, max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* A decimal number of seconds into units of 10^-decimals s. */
static int
fixed_arg(struct parser *P, struct line *l, int i, int decimals,
    long long min, long long max, int64_t *out)
{
	const char *errstr;
	long long v;

	if (parse_fixed(W(l, i), decimals, min, max, &v, &errstr) == -1) {
		long long unit = 1;
		int k;

		for (k = 0; k < decimals; k++)
			unit *= 10;
		err(P, l->loc, "%s '%s': %s (%lld.%0*lld to %lld.%0*lld "
		    "seconds)", W(l, 0), W(l, i), errstr, min / unit, decimals,
		    min % unit, max / unit, decimals, max % unit);
		return -1;
	}
	*out = v;
	return 0;
}

static int
bool_word(const char *s)
{
	static const char *yes[] = { "on", "true", "yes" };
	static const char *no[] = { "off", "false", "no" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* KEYWORD [BOOL]: a flag, on when the argument is missing. */
static int
bool_arg(struct parser *P, struct line *l, int *out)
{
	int v;

	if (nargs(P, l, 0, 1) == -1)
		return -1;
	if (l->n == 1) {
		*out = 1;
		return 0;
	}
	if ((v = bool_word(W(l, 1))) < 0) {
		err(P, l->loc, "%s '%s': expected on/off, true/false or "
		    "yes/no", W(l, 0), W(l, 1));
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * ADDR[/LEN] by lib/addr's rules (the ones vip-add applies: no unspecified,
 * multicast or broadcast address, prefix 1..32 / 1..128). On error, names
 * what and the value at l's line.
 */
static int
addr_arg(struct parser *P, struct line *l, const char *what, const char *s,
    int allow_prefix, struct conf_addr *a)
{
	struct vaddr v;
	const char *errstr;

	if (addr_parse(s, allow_prefix, &v, &errstr) == -1) {
		err(P, l->loc, "%s '%s': %s", what, s, errstr);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->family = v.family;
	a->prefixlen = v.prefixlen;
	memcpy(a->u.bytes, v.a.b, sizeof(a->u.bytes));
	return 0;
}

const char *
conf_addr_str(const struct conf_addr *a, char *buf, size_t len)
{
	if (a->family == 0 || inet_ntop(a->family, &a->u, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "(none)");
	return buf;
}

static int
addr_eq(const struct conf_addr *a, const struct conf_addr *b)
{
	return a->family == b->family && memcmp(&a->u, &b->u,
	    a->family == AF_INET ? 4 : 16) == 0;
}

static const char *
family_name(int af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

static void
copy_str(char *dst, const char *src, size_t size)
{
	snprintf(dst, size, "%s", src);
}

static int
ifname_ok(struct parser *P, struct line *l, const char *what, const char *s)
{
	if (*s == '\0' || strlen(s) >= IF_NAMESIZE || strchr(s, '/') != NULL) {
		err(P, l->loc, "%s '%s': not a valid interface name "
		    "(at most %d characters, no '/')", what, s, IF_NAMESIZE - 1);
		return -1;
	}
	return 0;
}

/*
 * Split a command into argv as keepalived does (lib/proc's rule), into
 * separately allocated words so that exec_free() can release them.
 * Returns -1 with *why set on a syntax error, with *why NULL when out of
 * memory.
 */
static int
split_argv(const char *s, char ***argvp, int *argcp, const char **why)
{
	size_t len = strlen(s) + 1;
	int max = (int)(len / 2) + 2, argc, i;
	char **words, **argv = NULL, *buf;

	*why = NULL;
	words = calloc((size_t)max, sizeof(*words));
	buf = malloc(len);
	if (words == NULL || buf == NULL)
		goto fail;
	if ((argc = proc_split(s, words, max, buf, len, why)) == -1)
		goto fail;
	if ((argv = calloc((size_t)argc + 1, sizeof(*argv))) == NULL)
		goto fail;
	for (i = 0; i < argc; i++) {
		if ((argv[i] = strdup(words[i])) == NULL) {
			while (i-- > 0)
				free(argv[i]);
			free(argv);
			goto fail;
		}
	}
	free(words);
	free(buf);
	*argvp = argv;
	*argcp = argc;
	return 0;
fail:
	free(words);
	free(buf);
	return -1;
}

/* Fill e from text; errors name what. */
static int
exec_set(struct parser *P, struct line *l, struct conf_exec *e,
    const char *text)
{
	const char *why;

	if ((e->text = xstrdup(P, text)) == NULL)
		return -1;
	e->loc = l->loc;
	if (split_argv(text, &e->argv, &e->argc, &why) == -1) {
		if (why == NULL)
			P->oom = 1;
		else
			err(P, l->loc, "%s: %s", W(l, 0), why);
		return -1;
	}
	return 0;
}

static void
exec_free(struct conf_exec *e)
{
	int i;

	free(e->text);
	for (i = 0; i < e->argc; i++)
		free(e->argv[i]);
	free(e->argv);
	free(e->user);
	free(e->group);
	memset(e, 0, sizeof(*e));
}

static int
user_group(struct parser *P, struct line *l, int at, char **user,
    char **group)
{
	if (l->n > at && (*user = xstrdup(P, W(l, at))) == NULL)
		return -1;
	if (l->n > at + 1 && (*group = xstrdup(P, W(l, at + 1))) == NULL)
		return -1;
	return 0;
}

/* ---- global_defs ------------------------------------------------------- */

static void
parse_globals(struct parser *P, struct conf_loc at)
{
	struct conf_globals *g = &P->c->g;
	struct line l;
	int64_t v64;
	int v;

	while (next_line(P, &l)) {
		const char *k;

		if (l.closes)
			return;
		if (l.n == 0) {
			unsupported(P, &l, "global_defs");
			continue;
		}
		k = W(&l, 0);
		if (strcmp(k, "router_id") == 0) {
			if (nargs(P, &l, 1, 1) == 0) {
				free(g->router_id);
				g->router_id = xstrdup(P, W(&l, 1));
			}
		} else if (strcmp(k, "vrrp_version") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 2, 3, &v) == 0)
				g->vrrp_version = v;
		} else if (strcmp(k, "script_user") == 0) {
			if (nargs(P, &l, 1, 2) == 0) {
				free(g->script_user);
				free(g->script_group);
				g->script_user = g->script_group = NULL;
				user_group(P, &l, 1, &g->script_user,
				    &g->script_group);
			}
		} else if (strcmp(k, "enable_script_security") == 0) {
			if (nargs(P, &l, 0, 0) == 0)
				g->enable_script_security = 1;
		} else if (strcmp(k, "vrrp_garp_master_delay") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 0, 86400, &v) == 0)
				g->garp_master_delay_s = v;
		} else if (strcmp(k, "vrrp_garp_master_repeat") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 1, 255, &v) == 0)
				g->garp_master_repeat = v;
		} else if (strcmp(k, "vrrp_garp_master_refresh") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 0, 86400, &v) == 0)
				g->garp_master_refresh_s = v;
		} else if (strcmp(k, "vrrp_garp_master_refresh_repeat") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 1, 255, &v) == 0)
				g->garp_master_refresh_repeat = v;
		} else if (strcmp(k, "vrrp_garp_interval") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    fixed_arg(P, &l, 1, 6, 0, 1000000, &v64) == 0)
				g->garp_interval_us = v64;
		} else if (strcmp(k, "vrrp_gna_interval") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    fixed_arg(P, &l, 1, 6, 0, 1000000, &v64) == 0)
				g->gna_interval_us = v64;
		} else if (strcmp(k, "vrrp_min_garp") == 0) {
			if (bool_arg(P, &l, &v) == 0 && v) {
				g->garp_master_repeat = 1;
				g->garp_master_delay_s = 0;
				g->garp_master_refresh_repeat = 1;
			}
		} else
			unsupported(P, &l, "global_defs");
	}
	err(P, at, "global_defs: no closing '}'");
}

/* ---- vrrp_script ------------------------------------------------------- */

static void
parse_script(struct parser *P, struct line *hdr)
{
	struct conf_script *s, *ns;
	struct line l;
	int64_t v64;
	int v, i, timeout_set = 0;

	if ((ns = grow(P, P->c->scripts, P->c->nscripts, sizeof(*ns))) == NULL)
		return;
	P->c->scripts = ns;
	s = &ns[P->c->nscripts++];
	s->loc = hdr->loc;
	s->interval_ms = 1000;
	s->fall = s->rise = 1;
	if ((s->name = xstrdup(P, W(hdr, 1))) == NULL)
		return;
	for (i = 0; i < P->c->nscripts - 1; i++) {
		if (strcmp(P->c->scripts[i].name, s->name) == 0) {
			err(P, hdr->loc, "vrrp_script %s: already defined at "
			    "%s:%d", s->name, P->c->scripts[i].loc.file,
			    P->c->scripts[i].loc.line);
			break;
		}
	}
	while (next_line(P, &l)) {
		const char *k;

		if (l.closes)
			goto done;
		if (l.n == 0) {
			unsupported(P, &l, "vrrp_script");
			continue;
		}
		k = W(&l, 0);
		if (strcmp(k, "script") == 0) {
			char *text = NULL;
			size_t tl = 1;
			int j;

			if (nargs(P, &l, 1, INT_MAX) == -1)
				continue;
			for (j = 1; j < l.n; j++)
				tl += strlen(W(&l, j)) + 1;
			if ((text = malloc(tl)) == NULL) {
				P->oom = 1;
				return;
			}
			text[0] = '\0';
			for (j = 1; j < l.n; j++) {
				if (j > 1)
					strcat(text, " ");
				strcat(text, W(&l, j));
			}
			{
				char *u = s->exec.user, *gr = s->exec.group;

				s->exec.user = s->exec.group = NULL;
				exec_free(&s->exec);
				s->exec.user = u;
				s->exec.group = gr;
			}
			exec_set(P, &l, &s->exec, text);
			free(text);
		} else if (strcmp(k, "interval") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    fixed_arg(P, &l, 1, 3, 1, 86400000, &v64) == 0)
				s->interval_ms = v64;
		} else if (strcmp(k, "timeout") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    fixed_arg(P, &l, 1, 3, 1, 86400000, &v64) == 0) {
				s->timeout_ms = v64;
				timeout_set = 1;
			}
		} else if (strcmp(k, "fall") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 1, 1000000, &v) == 0)
				s->fall = v;
		} else if (strcmp(k, "rise") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 1, 1000000, &v) == 0)
				s->rise = v;
		} else if (strcmp(k, "weight") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, -253, 253, &v) == 0)
				s->weight = v;
		} else if (strcmp(k, "user") == 0) {
			if (nargs(P, &l, 1, 2) == 0) {
				free(s->exec.user);
				free(s->exec.group);
				s->exec.user = s->exec.group = NULL;
				user_group(P, &l, 1, &s->exec.user,
				    &s->exec.group);
			}
		} else if (strcmp(k, "init_fail") == 0) {
			if (nargs(P, &l, 0, 0) == 0)
				s->init_fail = 1;
		} else
			unsupported(P, &l, "vrrp_script");
	}
	err(P, hdr->loc, "vrrp_script %s: no closing '}'", s->name);
done:
	if (!timeout_set)
		s->timeout_ms = s->interval_ms;
	if (s->exec.text == NULL)
		err(P, s->loc, "vrrp_script %s: no script", s->name);
}

/* ---- vrrp_instance ----------------------------------------------------- */

/* KEYWORD {: no arguments, a block; on error the block is skipped. */
static int
block_hdr(struct parser *P, struct line *l)
{
	int opens = want_block(P, l);

	if (l->n != 1) {
		err(P, l->loc, "%s takes no argument", W(l, 0));
		if (opens)
			skip_block(P);
		return -1;
	}
	if (!opens) {
		err(P, l->loc, "%s: expected '{'", W(l, 0));
		return -1;
	}
	return 0;
}

/* Lines of a list block, handed to fn one by one. */
static void
parse_list(struct parser *P, struct line *hdr, const char *what,
    void (*fn)(struct parser *, struct conf_instance *, struct line *),
    struct conf_instance *in)
{
	struct line l;

	if (block_hdr(P, hdr) == -1)
		return;
	while (next_line(P, &l)) {
		if (l.closes)
			return;
		if (l.n == 0 || l.opens) {
			err(P, l.loc, "%s: unexpected '{'", what);
			if (l.opens)
				skip_block(P);
			continue;
		}
		fn(P, in, &l);
	}
	err(P, hdr->loc, "%s: no closing '}'", what);
}

static void
vip_line(struct parser *P, const char *what, struct conf_vip **vv, int *nv,
    struct line *l)
{
	struct conf_vip *v, *nvv;
	int i;

	if ((nvv = grow(P, *vv, *nv, sizeof(*nvv))) == NULL)
		return;
	*vv = nvv;
	v = &nvv[*nv];
	v->loc = l->loc;
	if (addr_arg(P, l, what, W(l, 0), 1, &v->addr) == -1)
		return;
	for (i = 1; i < l->n; i++) {
		const char *o = W(l, i);

		if ((strcmp(o, "dev") == 0 || strcmp(o, "label") == 0) &&
		    i + 1 >= l->n) {
			err(P, l->loc, "'%s' needs a value", o);
			return;
		}
		if (strcmp(o, "dev") == 0) {
			if (ifname_ok(P, l, "dev", W(l, i + 1)) == -1)
				return;
			copy_str(v->dev, W(l, ++i), sizeof(v->dev));
		} else if (strcmp(o, "label") == 0) {
			if (v->addr.family != AF_INET) {
				err(P, l->loc, "label: only IPv4 addresses "
				    "have labels");
				return;
			}
			if (strlen(W(l, i + 1)) >= IF_NAMESIZE) {
				err(P, l->loc, "label '%s': longer than %d "
				    "characters", W(l, i + 1), IF_NAMESIZE - 1);
				return;
			}
			copy_str(v->label, W(l, ++i), sizeof(v->label));
		} else {
			err(P, l->loc, "address option '%s' is not supported "
			    "(only dev and label)", o);
			return;
		}
	}
	(*nv)++;
}

static void
vip_in(struct parser *P, struct conf_instance *in, struct line *l)
{
	vip_line(P, "virtual_ipaddress", &in->vips, &in->nvips, l);
}

static void
evip_in(struct parser *P, struct conf_instance *in, struct line *l)
{
	vip_line(P, "virtual_ipaddress_excluded", &in->evips, &in->nevips,
	    l);
}

static void
peer_in(struct parser *P, struct conf_instance *in, struct line *l)
{
	struct inst_aux *ax = &P->aux[in - P->c->instances];
	struct conf_addr a, *np;
	struct conf_loc *nl;
	int i;

	if (l->n > 1) {
		err(P, l->loc, "unicast_peer option '%s' is not supported",
		    W(l, 1));
		return;
	}
	if (addr_arg(P, l, "unicast_peer", W(l, 0), 0, &a) == -1)
		return;
	for (i = 0; i < in->npeers; i++) {
		if (addr_eq(&in->peers[i], &a)) {
			warn(P, l->loc, "unicast_peer %s: listed twice",
			    W(l, 0));
			return;
		}
	}
	if ((np = grow(P, in->peers, in->npeers, sizeof(*np))) == NULL)
		return;
	in->peers = np;
	if ((nl = grow(P, ax->peer_locs, in->npeers, sizeof(*nl))) == NULL)
		return;
	ax->peer_locs = nl;
	nl[in->npeers] = l->loc;
	np[in->npeers++] = a;
}

/* NAME [weight N]; returns the weight through *w, -1 on error. */
static int
track_weight(struct parser *P, struct line *l, int *w, int *own)
{
	*own = 0;
	*w = 0;
	if (l->n == 1)
		return 0;
	if (l->n == 3 && strcmp(W(l, 1), "weight") == 0) {
		const char *errstr;
		long long v;

		if (parse_int(W(l, 2), -253, 253, &v, &errstr) == -1) {
			err(P, l->loc, "weight '%s': %s (-253 to 253)",
			    W(l, 2), errstr);
			return -1;
		}
		*w = (int)v;
		*own = 1;
		return 0;
	}
	if (l->n >= 2 && strcmp(W(l, 1), "weight") == 0 && l->n == 2)
		err(P, l->loc, "weight needs a value");
	else
		err(P, l->loc, "'%s %s': expected NAME [weight N] (reverse "
		    "is not supported)", W(l, 0), W(l, 1));
	return -1;
}

static void
tscript_in(struct parser *P, struct conf_instance *in, struct line *l)
{
	struct conf_track_script *nt;
	int w, own, i;

	if (track_weight(P, l, &w, &own) == -1)
		return;
	for (i = 0; i < in->ntscripts; i++) {
		if (strcmp(in->tscripts[i].name, W(l, 0)) == 0) {
			err(P, l->loc, "track_script %s: listed twice",
			    W(l, 0));
			return;
		}
	}
	if ((nt = grow(P, in->tscripts, in->ntscripts, sizeof(*nt))) == NULL)
		return;
	in->tscripts = nt;
	nt = &nt[in->ntscripts];
	if ((nt->name = xstrdup(P, W(l, 0))) == NULL)
		return;
	nt->script = -1;
	nt->weight = w;
	nt->own_weight = own;
	nt->loc = l->loc;
	in->ntscripts++;
}

static void
tif_in(struct parser *P, struct conf_instance *in, struct line *l)
{
	struct conf_track_if *nt;
	int w, own, i;

	if (track_weight(P, l, &w, &own) == -1 ||
	    ifname_ok(P, l, "track_interface", W(l, 0)) == -1)
		return;
	for (i = 0; i < in->ntifs; i++) {
		if (strcmp(in->tifs[i].name, W(l, 0)) == 0) {
			err(P, l->loc, "track_interface %s: listed twice",
			    W(l, 0));
			return;
		}
	}
	if ((nt = grow(P, in->tifs, in->ntifs, sizeof(*nt))) == NULL)
		return;
	in->tifs = nt;
	nt = &nt[in->ntifs++];
	copy_str(nt->name, W(l, 0), sizeof(nt->name));
	nt->weight = w;
	nt->loc = l->loc;
}

static void
parse_auth(struct parser *P, struct conf_instance *in, struct inst_aux *ax,
    struct line *hdr)
{
	struct line l;

	ax->auth_loc = hdr->loc;
	if (block_hdr(P, hdr) == -1)
		return;
	while (next_line(P, &l)) {
		if (l.closes)
			goto done;
		if (l.n == 0) {
			unsupported(P, &l, "authentication");
			continue;
		}
		if (strcmp(W(&l, 0), "auth_type") == 0) {
			if (nargs(P, &l, 1, 1) == -1)
				continue;
			if (strcmp(W(&l, 1), "PASS") == 0)
				in->auth_type = 1;
			else if (strcmp(W(&l, 1), "AH") == 0)
				err(P, l.loc, "auth_type AH is not supported "
				    "(only PASS)");
			else
				err(P, l.loc, "auth_type '%s': expected PASS",
				    W(&l, 1));
		} else if (strcmp(W(&l, 0), "auth_pass") == 0) {
			if (nargs(P, &l, 1, 1) == -1)
				continue;
			if (W(&l, 1)[0] == '\0') {
				err(P, l.loc, "auth_pass: empty password");
				continue;
			}
			if (strlen(W(&l, 1)) > CONF_AUTH_PASS_LEN)
				warn(P, l.loc, "auth_pass: only the first %d "
				    "characters are used (as keepalived does)",
				    CONF_AUTH_PASS_LEN);
			memset(in->auth_pass, 0, sizeof(in->auth_pass));
			strncpy(in->auth_pass, W(&l, 1), CONF_AUTH_PASS_LEN);
			ax->seen_auth_pass = 1;
		} else
			unsupported(P, &l, "authentication");
	}
	err(P, hdr->loc, "authentication: no closing '}'");
done:
	if (in->auth_type == 1 && !ax->seen_auth_pass)
		err(P, ax->auth_loc, "authentication: auth_type PASS without "
		    "auth_pass");
	if (in->auth_type == 0 && ax->seen_auth_pass)
		err(P, ax->auth_loc, "authentication: auth_pass without "
		    "auth_type PASS");
}

static const char *notify_kw[CONF_NOTIFY_MAX] = {
	"notify_master", "notify_backup", "notify_fault", "notify_stop",
	"notify"
};

static void
parse_instance(struct parser *P, struct line *hdr)
{
	struct conf_instance *in, *ni;
	struct inst_aux *ax, *na;
	struct line l;
	int64_t v64;
	int v, i, idx;

	if ((ni = grow(P, P->c->instances, P->c->ninstances,
	    sizeof(*ni))) == NULL)
		return;
	P->c->instances = ni;
	if ((na = grow(P, P->aux, P->c->ninstances, sizeof(*na))) == NULL)
		return;
	P->aux = na;
	idx = P->c->ninstances++;
	in = &ni[idx];
	ax = &na[idx];
	in->loc = hdr->loc;
	in->priority = 100;
	in->advert_cs = 100;
	in->preempt = 1;
	ax->garp_delay = ax->garp_repeat = ax->garp_refresh =
	    ax->garp_refresh_repeat = -1;
	if ((in->name = xstrdup(P, W(hdr, 1))) == NULL)
		return;
	for (i = 0; i < idx; i++) {
		if (strcmp(P->c->instances[i].name, in->name) == 0) {
			err(P, hdr->loc, "vrrp_instance %s: already defined at "
			    "%s:%d", in->name, P->c->instances[i].loc.file,
			    P->c->instances[i].loc.line);
			break;
		}
	}

	while (next_line(P, &l)) {
		const char *k;
		int n;

		if (l.closes)
			return;
		if (l.n == 0) {
			unsupported(P, &l, "vrrp_instance");
			continue;
		}
		k = W(&l, 0);
		for (n = 0; n < CONF_NOTIFY_MAX; n++)
			if (strcmp(k, notify_kw[n]) == 0)
				break;
		if (n < CONF_NOTIFY_MAX) {
			struct conf_exec *e;

			if (nargs(P, &l, 1, 3) == -1)
				continue;
			if (in->notify[n] != NULL) {
				warn(P, l.loc, "%s given again: the earlier one "
				    "at line %d is replaced", k,
				    in->notify[n]->loc.line);
				exec_free(in->notify[n]);
				free(in->notify[n]);
				in->notify[n] = NULL;
			}
			if ((e = calloc(1, sizeof(*e))) == NULL) {
				P->oom = 1;
				return;
			}
			in->notify[n] = e;
			if (exec_set(P, &l, e, W(&l, 1)) == 0)
				user_group(P, &l, 2, &e->user, &e->group);
		} else if (strcmp(k, "state") == 0) {
			if (nargs(P, &l, 1, 1) == -1)
				continue;
			if (strcmp(W(&l, 1), "MASTER") == 0)
				in->state_master = 1;
			else if (strcmp(W(&l, 1), "BACKUP") == 0)
				in->state_master = 0;
			else {
				err(P, l.loc, "state '%s': expected MASTER or "
				    "BACKUP", W(&l, 1));
				continue;
			}
			ax->state_loc = l.loc;
		} else if (strcmp(k, "interface") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    ifname_ok(P, &l, "interface", W(&l, 1)) == 0)
				copy_str(in->interface, W(&l, 1),
				    sizeof(in->interface));
		} else if (strcmp(k, "virtual_router_id") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 1, 255, &v) == 0)
				in->vrid = v;
		} else if (strcmp(k, "priority") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 1, 255, &v) == 0)
				in->priority = v;
		} else if (strcmp(k, "advert_int") == 0) {
			/* Centiseconds; whole seconds for v2, checked later. */
			if (nargs(P, &l, 1, 1) == 0 &&
			    fixed_arg(P, &l, 1, 2, 1, 25500, &v64) == 0) {
				in->advert_cs = (int)v64;
				ax->advert_loc = l.loc;
			}
		} else if (strcmp(k, "version") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    int_arg(P, &l, 1, 2, 3, &v) == 0) {
				ax->version = v;
				ax->version_loc = l.loc;
			}
		} else if (strcmp(k, "nopreempt") == 0) {
			if (nargs(P, &l, 0, 0) == 0) {
				in->preempt = 0;
				ax->preempt_loc = l.loc;
			}
		} else if (strcmp(k, "preempt") == 0) {
			/* keepalived's backward-compatible default. */
			if (nargs(P, &l, 0, 0) == 0)
				in->preempt = 1;
		} else if (strcmp(k, "preempt_delay") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    fixed_arg(P, &l, 1, 3, 0, 1000000, &v64) == 0) {
				in->preempt_delay_ms = v64;
				ax->delay_loc = l.loc;
			}
		} else if (strcmp(k, "authentication") == 0) {
			parse_auth(P, in, ax, &l);
		} else if (strcmp(k, "virtual_ipaddress") == 0) {
			ax->has_vips = 1;
			ax->vips_loc = l.loc;
			parse_list(P, &l, k, vip_in, in);
		} else if (strcmp(k, "virtual_ipaddress_excluded") == 0) {
			parse_list(P, &l, k, evip_in, in);
		} else if (strcmp(k, "unicast_peer") == 0) {
			ax->has_peers = 1;
			ax->peers_loc = l.loc;
			parse_list(P, &l, k, peer_in, in);
		} else if (strcmp(k, "track_script") == 0) {
			parse_list(P, &l, k, tscript_in, in);
		} else if (strcmp(k, "track_interface") == 0) {
			parse_list(P, &l, k, tif_in, in);
		} else if (strcmp(k, "unicast_src_ip") == 0 ||
		    strcmp(k, "mcast_src_ip") == 0) {
			if (nargs(P, &l, 1, 1) == 0 &&
			    addr_arg(P, &l, k, W(&l, 1), 0, &in->src) == 0)
				ax->src_loc = l.loc;
		} else if (strcmp(k, "garp_master_delay") == 0) {
			if (nargs(P, &l, 1, 1) == 0)
				int_arg(P, &l, 1, 0, 86400, &ax->garp_delay);
		} else if (strcmp(k, "garp_master_repeat") == 0) {
			if (nargs(P, &l, 1, 1) == 0)
				int_arg(P, &l, 1, 1, 255, &ax->garp_repeat);
		} else if (strcmp(k, "garp_master_refresh") == 0) {
			if (nargs(P, &l, 1, 1) == 0)
				int_arg(P, &l, 1, 0, 86400, &ax->garp_refresh);
		} else if (strcmp(k, "garp_master_refresh_repeat") == 0) {
			if (nargs(P, &l, 1, 1) == 0)
				int_arg(P, &l, 1, 1, 255,
				    &ax->garp_refresh_repeat);
		} else if (strcmp(k, "v3_checksum_as_v2") == 0) {
			if (bool_arg(P, &l, &v) == 0)
				in->v3_checksum_as_v2 = v;
		} else if (strcmp(k, "native_ipv6") == 0) {
			if (nargs(P, &l, 0, 0) == 0) {
				ax->native6 = 1;
				ax->native6_loc = l.loc;
			}
		} else if (strcmp(k, "dont_track_primary") == 0) {
			if (nargs(P, &l, 0, 0) == 0)
				in->dont_track_primary = 1;
		} else
			unsupported(P, &l, "vrrp_instance");
	}
	err(P, hdr->loc, "vrrp_instance %s: no closing '}'", in->name);
}

/* ---- top level and cross-checks ---------------------------------------- */

static void
parse_top(struct parser *P)
{
	struct line l;

	while (!P->oom && next_line(P, &l)) {
		const char *k;

		if (l.closes) {
			err(P, l.loc, "unexpected '}'");
			continue;
		}
		if (l.n == 0) {
			unsupported(P, &l, NULL);
			continue;
		}
		k = W(&l, 0);
		if (strcmp(k, "global_defs") == 0) {
			if (block_hdr(P, &l) == 0)
				parse_globals(P, l.loc);
		} else if (strcmp(k, "vrrp_script") == 0 ||
		    strcmp(k, "vrrp_instance") == 0) {
			if (l.n != 2) {
				err(P, l.loc, "%s: expected one name, got %d",
				    k, l.n - 1);
				if (want_block(P, &l))
					skip_block(P);
			} else if (!want_block(P, &l))
				err(P, l.loc, "%s %s: expected '{'", k,
				    W(&l, 1));
			else if (k[5] == 's')
				parse_script(P, &l);
			else
				parse_instance(P, &l);
		} else if (strcmp(k, "virtual_server") == 0 ||
		    strcmp(k, "virtual_server_group") == 0 ||
		    strcmp(k, "real_server") == 0) {
			err(P, l.loc, "%s: LVS is not supported by vrrpctl", k);
			if (want_block(P, &l))
				skip_block(P);
		} else {
			if (want_block(P, &l))
				l.opens = 1;
			unsupported(P, &l, NULL);
		}
	}
}

/* Do two unicast instances share a peer? */
static int
peers_overlap(const struct conf_instance *a, const struct conf_instance *b)
{
	int i, j;

	if (a->npeers == 0 || b->npeers == 0)
		return a->npeers == 0 && b->npeers == 0;
	for (i = 0; i < a->npeers; i++)
		for (j = 0; j < b->npeers; j++)
			if (addr_eq(&a->peers[i], &b->peers[j]))
				return 1;
	return 0;
}

/* An IPv4 label by lib/addr's rule (vip-add's): IFNAME or IFNAME:SUFFIX. */
static void
check_labels(struct parser *P, const struct conf_instance *in,
    const struct conf_vip *v, int n)
{
	const char *errstr;
	int i;

	for (i = 0; i < n; i++) {
		const char *dev = v[i].dev[0] ? v[i].dev : in->interface;

		if (v[i].label[0] != '\0' &&
		    addr_label_check(v[i].label, dev, &errstr) == -1)
			err(P, v[i].loc, "label '%s' on %s: %s", v[i].label,
			    dev, errstr);
	}
}

/* The i-th of an instance's addresses, both lists, and its device. */
static const struct conf_vip *
vip_at(const struct conf_instance *in, int i)
{
	return i < in->nvips ? &in->vips[i] : &in->evips[i - in->nvips];
}

static const char *
vip_dev(const struct conf_instance *in, const struct conf_vip *v)
{
	return v->dev[0] != '\0' ? v->dev : in->interface;
}

/*
 * An address is managed once per device: twice in one instance is a
 * slip; in two instances, the one that is not Master removes what the
 * other holds.
 */
static void
check_dup_vips(struct parser *P, int idx)
{
	const struct conf_instance *in = &P->c->instances[idx], *o;
	const struct conf_vip *v, *w;
	char a[INET6_ADDRSTRLEN];
	int i, j, k, found;

	for (i = 0; i < in->nvips + in->nevips; i++) {
		v = vip_at(in, i);
		found = 0;
		for (j = 0; j < i && !found; j++) {
			w = vip_at(in, j);
			if (addr_eq(&v->addr, &w->addr) && strcmp(vip_dev(in,
			    v), vip_dev(in, w)) == 0) {
				warn(P, v->loc, "%s: listed twice (first at "
				    "line %d)", conf_addr_str(&v->addr, a,
				    sizeof(a)), w->loc.line);
				found = 1;
			}
		}
		for (k = 0; k < idx && !found; k++) {
			o = &P->c->instances[k];
			for (j = 0; j < o->nvips + o->nevips && !found; j++) {
				w = vip_at(o, j);
				if (!addr_eq(&v->addr, &w->addr) ||
				    strcmp(vip_dev(in, v), vip_dev(o, w)) != 0)
					continue;
				warn(P, v->loc, "%s on %s: also in "
				    "vrrp_instance %s at %s:%d; whichever is "
				    "not Master removes it (keep it in one "
				    "instance)", conf_addr_str(&v->addr, a,
				    sizeof(a)), vip_dev(in, v), o->name,
				    w->loc.file, w->loc.line);
				found = 1;
			}
		}
	}
}

static void
finish_instance(struct parser *P, int idx)
{
	struct conf *c = P->c;
	struct conf_instance *in = &c->instances[idx];
	struct inst_aux *ax = &P->aux[idx];
	char a[INET6_ADDRSTRLEN];
	int i, j;

	if (in->interface[0] == '\0')
		err(P, in->loc, "vrrp_instance %s: no interface", in->name);
	if (in->vrid == 0)
		err(P, in->loc, "vrrp_instance %s: no virtual_router_id",
		    in->name);
	if (in->nvips == 0) {
		if (ax->has_vips)
			err(P, ax->vips_loc, "vrrp_instance %s: "
			    "virtual_ipaddress is empty", in->name);
		else
			err(P, in->loc, "vrrp_instance %s: no "
			    "virtual_ipaddress", in->name);
	} else if (in->nvips > CONF_MAX_VIPS)
		err(P, in->vips[CONF_MAX_VIPS].loc, "vrrp_instance %s: more "
		    "than %d addresses in virtual_ipaddress (use "
		    "virtual_ipaddress_excluded)", in->name, CONF_MAX_VIPS);

	/* The family comes from the VIPs; all of them share it. */
	in->family = in->nvips > 0 ? in->vips[0].addr.family :
	    (ax->native6 ? AF_INET6 : AF_INET);
	for (i = 1; i < in->nvips; i++) {
		if (in->vips[i].addr.family != in->family) {
			err(P, in->vips[i].loc, "%s: virtual_ipaddress mixes "
			    "IPv4 and IPv6 (the first is %s; put the other "
			    "family in virtual_ipaddress_excluded)",
			    conf_addr_str(&in->vips[i].addr, a, sizeof(a)),
			    family_name(in->family));
		}
	}
	check_dup_vips(P, idx);
	if (ax->native6 && in->family != AF_INET6)
		err(P, ax->native6_loc, "native_ipv6 with IPv4 "
		    "virtual_ipaddress");

	/* Version: the instance's, else global; IPv6 is always v3. */
	in->version = ax->version ? ax->version :
	    (c->g.vrrp_version ? c->g.vrrp_version : 2);
	if (in->family == AF_INET6 && in->version == 2) {
		if (ax->version == 2)
			err(P, ax->version_loc, "version 2: VRRPv2 is IPv4 "
			    "only, and the addresses are IPv6");
		in->version = 3;
	}
	if (in->version == 2 && in->advert_cs % 100 != 0) {
		err(P, ax->advert_loc, "advert_int %d.%02d: VRRPv2 needs whole "
		    "seconds (use vrrp_version 3 for fractions)",
		    in->advert_cs / 100, in->advert_cs % 100);
	}
	if (in->version == 3 && in->advert_cs > 4095)
		err(P, ax->advert_loc, "advert_int %d.%02d: VRRPv3 allows at "
		    "most 40.95 seconds", in->advert_cs / 100,
		    in->advert_cs % 100);
	if (in->auth_type != 0 && in->version == 3)
		err(P, ax->auth_loc, "authentication: VRRPv3 has no "
		    "authentication (remove it or use version 2)");
	if (in->v3_checksum_as_v2 && (in->version != 3 ||
	    in->family != AF_INET))
		warn(P, in->loc, "vrrp_instance %s: v3_checksum_as_v2 applies "
		    "only to VRRPv3 over IPv4", in->name);

	if (in->src.family != 0 && in->nvips > 0 &&
	    in->src.family != in->family)
		err(P, ax->src_loc, "vrrp_instance %s: source address %s is "
		    "not %s like the virtual addresses", in->name,
		    conf_addr_str(&in->src, a, sizeof(a)),
		    family_name(in->family));
	if (ax->has_peers && in->npeers == 0)
		err(P, ax->peers_loc, "unicast_peer: no peers listed");
	for (i = 0; i < in->npeers; i++) {
		if (in->peers[i].family != in->family)
			err(P, ax->peer_locs[i], "vrrp_instance %s: "
			    "unicast_peer %s is not %s like the virtual "
			    "addresses", in->name,
			    conf_addr_str(&in->peers[i], a, sizeof(a)),
			    family_name(in->family));
	}

	check_labels(P, in, in->vips, in->nvips);
	check_labels(P, in, in->evips, in->nevips);

	/* The owner leaves Initialize for Master at once, whatever state. */
	if (in->priority == 255 && !in->state_master &&
	    ax->state_loc.line > 0)
		warn(P, ax->state_loc, "state BACKUP with priority 255: the "
		    "address owner becomes Master at once at start-up (use "
		    "state MASTER, or a priority below 255 for a backup)");

	/* keepalived clears these with initial state MASTER; say so. */
	if (in->state_master && !in->preempt) {
		warn(P, ax->preempt_loc, "nopreempt does not work with state "
		    "MASTER: ignored (use state BACKUP)");
		in->preempt = 1;
	}
	if (in->state_master && in->preempt_delay_ms > 0) {
		warn(P, ax->delay_loc, "preempt_delay does not work with state "
		    "MASTER: ignored (use state BACKUP)");
		in->preempt_delay_ms = 0;
	}

	for (i = 0; i < in->ntscripts; i++) {
		struct conf_track_script *t = &in->tscripts[i];

		t->script = conf_find_script(c, t->name);
		if (t->script < 0)
			err(P, t->loc, "track_script %s: no vrrp_script of that "
			    "name", t->name);
		else if (!t->own_weight)
			t->weight = c->scripts[t->script].weight;
	}

	in->garp_master_delay_s = ax->garp_delay >= 0 ? ax->garp_delay :
	    c->g.garp_master_delay_s;
	in->garp_master_repeat = ax->garp_repeat >= 0 ? ax->garp_repeat :
	    c->g.garp_master_repeat;
	in->garp_master_refresh_s = ax->garp_refresh >= 0 ?
	    ax->garp_refresh : c->g.garp_master_refresh_s;
	in->garp_master_refresh_repeat = ax->garp_refresh_repeat >= 0 ?
	    ax->garp_refresh_repeat : c->g.garp_master_refresh_repeat;

	/* One VRID per interface and family (unless unicast peers differ). */
	for (j = 0; j < idx; j++) {
		struct conf_instance *o = &c->instances[j];

		if (o->vrid == in->vrid && in->vrid != 0 && o->family ==
		    in->family && strcmp(o->interface, in->interface) == 0 &&
		    in->interface[0] != '\0' && peers_overlap(o, in)) {
			err(P, in->loc, "vrrp_instance %s: virtual_router_id %d "
			    "on %s (%s) is already used by vrrp_instance %s at "
			    "%s:%d", in->name, in->vrid, in->interface,
			    family_name(in->family), o->name, o->loc.file,
			    o->loc.line);
			break;
		}
	}
}

static void
parser_init(struct parser *P, struct conf *c, const struct conf_reader *rd)
{
	memset(c, 0, sizeof(*c));
	memset(P, 0, sizeof(*P));
	P->c = c;
	P->rd = rd;
	c->g.vrrp_version = 0;
	c->g.garp_master_delay_s = 5;
	c->g.garp_master_repeat = 5;
	c->g.garp_master_refresh_s = 0;
	c->g.garp_master_refresh_repeat = 1;
}

static int
file_index(const struct conf *c, const char *f)
{
	int i;

	for (i = 0; i < c->nfiles; i++)
		if (c->files[i] == f)
			return i;
	return -1;
}

/* Messages in file order, then line order (stable: insertion sort). */
static void
sort_msgs(const struct conf *c, struct conf_msg *v, int n)
{
	struct conf_msg m;
	int i, j, fi;

	for (i = 1; i < n; i++) {
		m = v[i];
		fi = file_index(c, m.loc.file);
		for (j = i; j > 0; j--) {
			int fj = file_index(c, v[j - 1].loc.file);

			if (fj < fi || (fj == fi && v[j - 1].loc.line <=
			    m.loc.line))
				break;
			v[j] = v[j - 1];
		}
		v[j] = m;
	}
}

static int
parser_finish(struct parser *P)
{
	size_t i;
	int k;

	if (!P->oom) {
		P->pos = 0;
		parse_top(P);
	}
	for (k = 0; k < P->c->ninstances && !P->oom; k++)
		finish_instance(P, k);
	if (P->c->g.vrrp_version == 0)
		P->c->g.vrrp_version = 2;
	sort_msgs(P->c, P->c->errors, P->c->nerrors);
	sort_msgs(P->c, P->c->warnings, P->c->nwarnings);
	for (i = 0; i < P->n; i++)
		free(P->t[i].s);
	free(P->t);
	for (k = 0; k < P->c->ninstances; k++)
		free(P->aux[k].peer_locs);
	free(P->aux);
	for (k = 0; k < CONF_INCLUDE_DEPTH + 2; k++)
		free(P->stack[k]);
	if (P->oom) {
		errno = ENOMEM;
		return -1;
	}
	return P->c->nerrors > 0 ? -1 : 0;
}

int
conf_parse_mem(const char *name, const char *buf, size_t len,
    const struct conf_reader *reader, struct conf *c)
{
	struct parser P;
	char *canon = NULL;

	parser_init(&P, c, reader);
	if (reader != NULL)
		canon = reader->canon(reader->arg, name);
	lex_file(&P, name, canon ? canon : name, buf, len,
	    (struct conf_loc){ name, 0 });
	free(canon);
	return parser_finish(&P);
}

int
conf_load(const char *path, const struct conf_reader *reader, struct conf *c)
{
	struct parser P;
	char *buf = NULL, *canon;
	size_t len;

	if (reader == NULL)
		reader = conf_reader_files();
	parser_init(&P, c, reader);
	if (reader->read(reader->arg, path, &buf, &len) == -1) {
		const char *f = add_file(&P, path);

		err(&P, (struct conf_loc){ f, 0 }, "%s", strerror(errno));
		return parser_finish(&P);
	}
	canon = reader->canon(reader->arg, path);
	lex_file(&P, path, canon ? canon : path, buf, len,
	    (struct conf_loc){ path, 0 });
	free(canon);
	free(buf);
	return parser_finish(&P);
}

void
conf_free(struct conf *c)
{
	int i, k;

	free(c->g.router_id);
	free(c->g.script_user);
	free(c->g.script_group);
	for (i = 0; i < c->nscripts; i++) {
		free(c->scripts[i].name);
		exec_free(&c->scripts[i].exec);
	}
	free(c->scripts);
	for (i = 0; i < c->ninstances; i++) {
		struct conf_instance *in = &c->instances[i];

		free(in->name);
		free(in->vips);
		free(in->evips);
		free(in->peers);
		for (k = 0; k < in->ntscripts; k++)
			free(in->tscripts[k].name);
		free(in->tscripts);
		free(in->tifs);
		for (k = 0; k < CONF_NOTIFY_MAX; k++) {
			if (in->notify[k] != NULL) {
				exec_free(in->notify[k]);
				free(in->notify[k]);
			}
		}
	}
	free(c->instances);
	for (i = 0; i < c->nerrors; i++)
		free(c->errors[i].text);
	free(c->errors);
	for (i = 0; i < c->nwarnings; i++)
		free(c->warnings[i].text);
	free(c->warnings);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	memset(c, 0, sizeof(*c));
}

int
conf_find_instance(const struct conf *c, const char *name)
{
	int i;

	for (i = 0; i < c->ninstances; i++)
		if (c->instances[i].name != NULL &&
		    strcmp(c->instances[i].name, name) == 0)
			return i;
	return -1;
}

int
conf_find_script(const struct conf *c, const char *name)
{
	int i;

	for (i = 0; i < c->nscripts; i++)
		if (c->scripts[i].name != NULL &&
		    strcmp(c->scripts[i].name, name) == 0)
			return i;
	return -1;
}

const char *
conf_notify_name(enum conf_notify n)
{
	static const char *names[CONF_NOTIFY_MAX] = {
		"MASTER", "BACKUP", "FAULT", "STOP", "notify"
	};

	return (unsigned)n < CONF_NOTIFY_MAX ? names[n] : "?";
}

/* ---- the real-file reader ---------------------------------------------- */

static int
files_read(void *arg, const char *path, char **bufp, size_t *lenp)
{
	struct stat st;
	FILE *f;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, r;

	(void)arg;
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return -1;
	}
	for (;;) {
		if (len + 4096 > cap) {
			if (cap > (size_t)16 << 20) {
				free(buf);
				fclose(f);
				errno = EFBIG;
				return -1;
			}
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	*bufp = buf;
	*lenp = len;
	return 0;
}

static int
files_glob(void *arg, const char *pattern, char ***pathsp)
{
	glob_t g;
	char **v;
	size_t i;
	int r;

	(void)arg;
	memset(&g, 0, sizeof(g));
	r = glob(pattern, GLOB_BRACE, NULL, &g);
	if (r == GLOB_NOMATCH) {
		globfree(&g);
		*pathsp = NULL;
		return 0;
	}
	if (r != 0) {
		globfree(&g);
		errno = r == GLOB_NOSPACE ? ENOMEM : EIO;
		return -1;
	}
	if ((v = calloc(g.gl_pathc + 1, sizeof(*v))) == NULL) {
		globfree(&g);
		return -1;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		if ((v[i] = strdup(g.gl_pathv[i])) == NULL) {
			while (i > 0)
				free(v[--i]);
			free(v);
			globfree(&g);
			return -1;
		}
	}
	r = (int)g.gl_pathc;
	globfree(&g);
	*pathsp = v;
	return r;
}

static char *
files_canon(void *arg, const char *path)
{
	(void)arg;
	return realpath(path, NULL);
}

const struct conf_reader *
conf_reader_files(void)
{
	static const struct conf_reader r = {
		files_read, files_glob, files_canon, NULL
	};

	return &r;
}
