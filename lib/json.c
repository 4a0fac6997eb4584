#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void
json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
	j->first[0] = 1;
}

void
json_reset(struct json *j)
{
	j->len = 0;
	if (j->s != NULL)
		j->s[0] = '\0';
	j->depth = 0;
	j->first[0] = 1;
}

void
json_free(struct json *j)
{
	free(j->s);
	json_init(j);
}

const char *
json_text(const struct json *j)
{
	return j->s != NULL && !j->oom ? j->s : "";
}

static void
put(struct json *j, const char *p, size_t n)
{
	char *ns;
	size_t nc;

	if (j->oom)
		return;
	if (j->len + n + 1 > j->cap) {
		nc = j->cap ? j->cap : 128;
		while (nc < j->len + n + 1)
			nc *= 2;
		if ((ns = realloc(j->s, nc)) == NULL) {
			j->oom = 1;
			return;
		}
		j->s = ns;
		j->cap = nc;
	}
	memcpy(j->s + j->len, p, n);
	j->len += n;
	j->s[j->len] = '\0';
}

static void
puts_(struct json *j, const char *p)
{
	put(j, p, strlen(p));
}

static void
quote(struct json *j, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7];
	size_t i;
	unsigned char c;

	put(j, "\"", 1);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(j, esc, 2);
		} else if (c == '\n') {
			put(j, "\\n", 2);
		} else if (c == '\r') {
			put(j, "\\r", 2);
		} else if (c == '\t') {
			put(j, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(j, esc, 6);
		} else {
			put(j, (const char *)&s[i], 1);
		}
	}
	put(j, "\"", 1);
}

static void
member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		put(j, ",", 1);
	j->first[j->depth] = 0;
	if (key != NULL) {
		quote(j, key, strlen(key));
		put(j, ":", 1);
	}
}

static void
open_(struct json *j, const char *key, const char *c)
{
	member(j, key);
	puts_(j, c);
	if (j->depth + 1 < JSON_MAX_DEPTH) {
		j->depth++;
		j->first[j->depth] = 1;
	} else {
		j->oom = 1;
	}
}

static void
close_(struct json *j, const char *c)
{
	puts_(j, c);
	if (j->depth > 0)
		j->depth--;
}

void
json_obj_begin(struct json *j, const char *key)
{
	open_(j, key, "{");
}

void
json_obj_end(struct json *j)
{
	close_(j, "}");
}

void
json_arr_begin(struct json *j, const char *key)
{
	open_(j, key, "[");
}

void
json_arr_end(struct json *j)
{
	close_(j, "]");
}

void
json_strn(struct json *j, const char *key, const char *val, size_t n)
{
	member(j, key);
	if (val == NULL)
		puts_(j, "null");
	else
		quote(j, val, n);
}

void
json_str(struct json *j, const char *key, const char *val)
{
	json_strn(j, key, val, val != NULL ? strlen(val) : 0);
}

void
json_int(struct json *j, const char *key, long long val)
{
	char buf[32];

	member(j, key);
	snprintf(buf, sizeof(buf), "%lld", val);
	puts_(j, buf);
}

void
json_bool(struct json *j, const char *key, int val)
{
	member(j, key);
	puts_(j, val ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	member(j, key);
	puts_(j, "null");
}

void
json_fixed(struct json *j, const char *key, long long val, int decimals)
{
	char buf[96];
	long long div = 1, a;
	int i;

	for (i = 0; i < decimals && i < 18; i++)
		div *= 10;
	member(j, key);
	a = val < 0 ? -val : val;
	if (decimals <= 0)
		snprintf(buf, sizeof(buf), "%lld", val);
	else if (snprintf(buf, sizeof(buf), "%s%lld.%0*lld", val < 0 ? "-" : "",
	    a / div, decimals, a % div) >= (int)sizeof(buf))
		buf[sizeof(buf) - 1] = '\0';
	puts_(j, buf);
}
