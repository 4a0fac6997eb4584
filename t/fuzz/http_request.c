/*
 * Fuzz the HTTP request parser: any bytes, any split point. The parser
 * must not read past the buffer, must report a consistent length, and
 * must give the same verdict whether the bytes arrive at once or the
 * header end is fed in a second call.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request r, r2;
	enum http_parse p, p2;
	char out[256];
	char *buf;

	/* An exact-size copy so that ASan sees any overread. */
	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	p = http_parse_request(buf, size, &r);
	if (p == HTTP_DONE) {
		if (r.len == 0 || r.len > size)
			abort();
		if (r.target_off + r.target_len > r.len || r.target_len == 0)
			abort();
		if (r.minor != 0 && r.minor != 1)
			abort();
		/* The request alone parses the same. */
		p2 = http_parse_request(buf, r.len, &r2);
		if (p2 != HTTP_DONE || r2.len != r.len ||
		    r2.method != r.method)
			abort();
	} else if (p == HTTP_BAD) {
		if (r.error == NULL)
			abort();
	} else if (size >= HTTP_MAX_REQUEST)
		abort();
	http_format_response(out, sizeof(out), r.minor, p == HTTP_BAD ? 400 :
	    200, r.method == HTTP_HEAD, r.error != NULL ? r.error : "ok");
	free(buf);
	return 0;
}
