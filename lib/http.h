/*
 * A small HTTP/1.x request parser and response formatter for health-check
 * servers (HAProxy `option httpchk`). Pure: bytes in, a verdict out.
 * One request per connection; request bodies are not accepted.
 */
#ifndef VIPKIT_HTTP_H
#define VIPKIT_HTTP_H

#include <stddef.h>

#define HTTP_MAX_REQUEST	8192	/* request line + headers */
#define HTTP_MAX_HEADERS	64

enum http_parse {
	HTTP_INCOMPLETE = 0,	/* need more bytes */
	HTTP_DONE,		/* a complete, valid request */
	HTTP_BAD		/* malformed or too large: answer 400 */
};

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OPTIONS, HTTP_OTHER };

struct http_request {
	enum http_method method;
	int		 minor;		/* HTTP/1.<minor>: 0 or 1 */
	size_t		 target_off;	/* request-target in the buffer */
	size_t		 target_len;
	size_t		 len;		/* bytes of the request (headers) */
	int		 headers;	/* header field count */
	const char	*error;		/* why HTTP_BAD */
};

/*
 * Parse the request at the start of buf. HTTP_INCOMPLETE while the header
 * section has not ended (and len < HTTP_MAX_REQUEST); HTTP_BAD with
 * req->error set for anything invalid, a body (Content-Length other than 0,
 * Transfer-Encoding), or a request larger than HTTP_MAX_REQUEST.
 * Lines end in CRLF or a lone LF.
 */
enum http_parse http_parse_request(const char *buf, size_t len,
	    struct http_request *req);

const char *http_reason(int status);

/*
 * Format a complete response: status line (HTTP/1.<minor>), Content-Type
 * text/plain, Content-Length, Cache-Control: no-store, Connection: close,
 * Allow for 405, then body unless head_only. Returns the length; the
 * output is truncated at cap - 1 and always NUL-terminated (cap > 0).
 */
size_t	http_format_response(char *out, size_t cap, int minor, int status,
	    int head_only, const char *body);

#endif
