/*
 * A small JSON writer into a growing buffer, for --json output
 * (one object per line for streams, like `ip -j`). No I/O.
 */
#ifndef VIPKIT_JSON_H
#define VIPKIT_JSON_H

#include <stddef.h>

#define JSON_MAX_DEPTH 16

struct json {
	char	*s;
	size_t	 len, cap;
	int	 depth;
	int	 oom;
	unsigned char first[JSON_MAX_DEPTH];
};

void	json_init(struct json *);
void	json_reset(struct json *);	/* empty it for the next line */
void	json_free(struct json *);
/* The text so far ("" on allocation failure). */
const char *json_text(const struct json *);

/* key is NULL at the top level and inside arrays. */
void	json_obj_begin(struct json *, const char *key);
void	json_obj_end(struct json *);
void	json_arr_begin(struct json *, const char *key);
void	json_arr_end(struct json *);
void	json_str(struct json *, const char *key, const char *val); /* NULL: null */
void	json_strn(struct json *, const char *key, const char *val, size_t n);
void	json_int(struct json *, const char *key, long long val);
void	json_bool(struct json *, const char *key, int val);
void	json_null(struct json *, const char *key);
/* A number given scaled: json_fixed(j, "lag", 1234, 3) -> 1.234 */
void	json_fixed(struct json *, const char *key, long long val, int decimals);

#endif
