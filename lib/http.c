#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"

static int
tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/*
 * Find the line that starts at pos: its content ends at *end, the next
 * line starts at *next. 0: found; 1: not complete within lim; -1: bad byte
 * (a control character other than HTAB, or CR not followed by LF).
 */
static int
next_line(const char *buf, size_t lim, size_t pos, size_t *end, size_t *next)
{
	size_t i;
	unsigned char c;

	for (i = pos; i < lim; i++) {
		c = (unsigned char)buf[i];
		if (c == '\n') {
			*end = i;
			*next = i + 1;
			return 0;
		}
		if (c == '\r') {
			if (i + 1 == lim)
				return 1;
			if (buf[i + 1] != '\n')
				return -1;
			*end = i;
			*next = i + 2;
			return 0;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -1;
	}
	return 1;
}

static enum http_parse
bad(struct http_request *req, const char *why)
{
	req->error = why;
	return HTTP_BAD;
}

static enum http_parse
request_line(const char *buf, size_t pos, size_t end, struct http_request *req)
{
	size_t i, m, t, tlen;
	const char *v;

	for (i = pos; i < end && tchar((unsigned char)buf[i]); i++)
		;
	m = i - pos;
	if (m == 0 || i == end || buf[i] != ' ')
		return bad(req, "bad request line");
	if (m == 3 && memcmp(buf + pos, "GET", 3) == 0)
		req->method = HTTP_GET;
	else if (m == 4 && memcmp(buf + pos, "HEAD", 4) == 0)
		req->method = HTTP_HEAD;
	else if (m == 7 && memcmp(buf + pos, "OPTIONS", 7) == 0)
		req->method = HTTP_OPTIONS;
	else
		req->method = HTTP_OTHER;
	t = i + 1;
	for (i = t; i < end && buf[i] > 0x20 && buf[i] < 0x7f; i++)
		;
	tlen = i - t;
	if (tlen == 0 || i == end || buf[i] != ' ')
		return bad(req, "bad request line");
	if (buf[t] != '/' && !(tlen == 1 && buf[t] == '*' &&
	    req->method == HTTP_OPTIONS) &&
	    !(tlen > 7 && strncasecmp(buf + t, "http://", 7) == 0) &&
	    !(tlen > 8 && strncasecmp(buf + t, "https://", 8) == 0))
		return bad(req, "bad request target");
	req->target_off = t;
	req->target_len = tlen;
	v = buf + i + 1;
	if (end - (i + 1) != 8 || memcmp(v, "HTTP/1.", 7) != 0 ||
	    (v[7] != '0' && v[7] != '1'))
		return bad(req, "unsupported HTTP version");
	req->minor = v[7] - '0';
	return HTTP_DONE;
}

static enum http_parse
header(const char *buf, size_t pos, size_t end, struct http_request *req)
{
	size_t i, colon, vs, ve;

	if (buf[pos] == ' ' || buf[pos] == '\t')
		return bad(req, "obsolete header line folding");
	for (i = pos; i < end && tchar((unsigned char)buf[i]); i++)
		;
	if (i == pos || i == end || buf[i] != ':')
		return bad(req, "bad header field");
	colon = i;
	for (vs = colon + 1; vs < end && (buf[vs] == ' ' || buf[vs] == '\t');
	    vs++)
		;
	for (ve = end; ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t');
	    ve--)
		;
	if (++req->headers > HTTP_MAX_HEADERS)
		return bad(req, "too many header fields");
	if (colon - pos == 17 &&
	    strncasecmp(buf + pos, "Transfer-Encoding", 17) == 0)
		return bad(req, "request body not accepted");
	if (colon - pos == 14 &&
	    strncasecmp(buf + pos, "Content-Length", 14) == 0) {
		if (vs == ve)
			return bad(req, "bad Content-Length");
		for (i = vs; i < ve; i++) {
			if (buf[i] < '0' || buf[i] > '9')
				return bad(req, "bad Content-Length");
			if (buf[i] != '0')
				return bad(req, "request body not accepted");
		}
	}
	return HTTP_DONE;
}

enum http_parse
http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	size_t lim, pos = 0, end, next;
	enum http_parse r;
	int lines = 0, n;

	memset(req, 0, sizeof(*req));
	lim = len < HTTP_MAX_REQUEST ? len : HTTP_MAX_REQUEST;
	/* A server should ignore an empty line or two before the request. */
	while (lines < 2 && pos < lim && (buf[pos] == '\r' || buf[pos] == '\n')) {
		if ((n = next_line(buf, lim, pos, &end, &next)) != 0)
			goto partial;
		if (end != pos)
			break;
		pos = next;
		lines++;
	}
	if ((n = next_line(buf, lim, pos, &end, &next)) != 0)
		goto partial;
	if ((r = request_line(buf, pos, end, req)) != HTTP_DONE)
		return r;
	for (pos = next;;) {
		if ((n = next_line(buf, lim, pos, &end, &next)) != 0)
			goto partial;
		if (end == pos) {
			req->len = next;
			return HTTP_DONE;
		}
		if ((r = header(buf, pos, end, req)) != HTTP_DONE)
			return r;
		pos = next;
	}

partial:
	if (n < 0)
		return bad(req, "control character in request");
	if (len >= HTTP_MAX_REQUEST)
		return bad(req, "request too large");
	/* A request line that cannot become valid need not be waited for. */
	if (pos == 0 && lim > 0 && !tchar((unsigned char)buf[0]) &&
	    buf[0] != '\r' && buf[0] != '\n')
		return bad(req, "bad request line");
	return HTTP_INCOMPLETE;
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return "Unknown";
	}
}

size_t
http_format_response(char *out, size_t cap, int minor, int status,
    int head_only, const char *body)
{
	size_t blen = body != NULL ? strlen(body) : 0;
	int n;

	if (cap == 0)
		return 0;
	n = snprintf(out, cap, "HTTP/1.%d %d %s\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "%s"
	    "Connection: close\r\n\r\n%s",
	    minor == 0 ? 0 : 1, status, http_reason(status), blen,
	    status == 405 ? "Allow: GET, HEAD, OPTIONS\r\n" : "",
	    head_only || body == NULL ? "" : body);
	if (n < 0)
		return 0;
	if ((size_t)n >= cap)
		return cap - 1;
	return (size_t)n;
}
