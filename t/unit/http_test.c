/*
 * The HTTP request parser and response formatter.
 */
#include <string.h>

#include "http.h"
#include "unit.h"

static enum http_parse
parse(const char *s, struct http_request *r)
{
	return http_parse_request(s, strlen(s), r);
}

static void
bad(const char *s, const char *why)
{
	struct http_request r;

	CHECK_EQ(parse(s, &r), HTTP_BAD);
	CHECK_STR(r.error, why);
}

static void
test_good(void)
{
	struct http_request r;
	const char *s;

	s = "GET /health HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n";
	CHECK_EQ(parse(s, &r), HTTP_DONE);
	CHECK_EQ(r.method, HTTP_GET);
	CHECK_EQ(r.minor, 1);
	CHECK_EQ(r.target_len, 7);
	CHECK(memcmp(s + r.target_off, "/health", 7) == 0);
	CHECK_EQ(r.len, strlen(s));
	CHECK_EQ(r.headers, 2);

	/* HAProxy's default httpchk request. */
	CHECK_EQ(parse("OPTIONS / HTTP/1.0\r\n\r\n", &r), HTTP_DONE);
	CHECK_EQ(r.method, HTTP_OPTIONS);
	CHECK_EQ(r.minor, 0);
	CHECK_EQ(parse("OPTIONS * HTTP/1.1\r\n\r\n", &r), HTTP_DONE);
	CHECK_EQ(parse("HEAD / HTTP/1.0\n\n", &r), HTTP_DONE);
	CHECK_EQ(r.method, HTTP_HEAD);
	CHECK_EQ(parse("\r\nGET / HTTP/1.0\r\n\r\n", &r), HTTP_DONE);
	CHECK_EQ(parse("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &r),
	    HTTP_DONE);
	CHECK_EQ(r.method, HTTP_OTHER);
	CHECK_EQ(parse("GET http://a/b HTTP/1.1\r\nX:  v v \r\n\r\n", &r),
	    HTTP_DONE);
	/* Pipelined bytes after the request are not part of it. */
	s = "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n";
	CHECK_EQ(parse(s, &r), HTTP_DONE);
	CHECK_EQ(r.len, 18);
}

static void
test_incomplete(void)
{
	struct http_request r;
	const char *s = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	size_t i;

	for (i = 0; i < strlen(s); i++)
		CHECK_EQ(http_parse_request(s, i, &r), HTTP_INCOMPLETE);
	CHECK_EQ(http_parse_request(s, strlen(s), &r), HTTP_DONE);
	CHECK_EQ(parse("GE", &r), HTTP_INCOMPLETE);
	CHECK_EQ(parse("GET / HTTP/1.1\r", &r), HTTP_INCOMPLETE);
}

static void
test_bad(void)
{
	char big[HTTP_MAX_REQUEST + 10];
	struct http_request r;
	int i;

	bad("garbage\x01\r\n\r\n", "control character in request");
	bad("\x16\x03\x01\x02", "control character in request");
	bad("{\"json\": 1}\r\n\r\n", "bad request line");
	bad("GET\r\n\r\n", "bad request line");
	bad("GET  / HTTP/1.1\r\n\r\n", "bad request line");
	bad("GET / HTTP/1.1 \r\n\r\n", "unsupported HTTP version");
	bad("GET / HTTP/2.0\r\n\r\n", "unsupported HTTP version");
	bad("GET / HTTP/1.10\r\n\r\n", "unsupported HTTP version");
	bad("GET foo HTTP/1.1\r\n\r\n", "bad request target");
	bad("GET * HTTP/1.1\r\n\r\n", "bad request target");
	bad("GET / HTTP/1.1\r\nHost x\r\n\r\n", "bad header field");
	bad("GET / HTTP/1.1\r\nHost : x\r\n\r\n", "bad header field");
	bad("GET / HTTP/1.1\r\n: x\r\n\r\n", "bad header field");
	bad("GET / HTTP/1.1\r\nA: b\r\n  folded\r\n\r\n",
	    "obsolete header line folding");
	bad("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
	    "request body not accepted");
	bad("GET / HTTP/1.1\r\ncontent-length: x\r\n\r\n",
	    "bad Content-Length");
	bad("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
	    "request body not accepted");
	bad("GET / HTTP/1.1\rX\n\r\n", "control character in request");
	bad("GET / HTTP/1.1\r\nA: \x7f\r\n\r\n",
	    "control character in request");
	/* Oversized: no end of headers within the limit. */
	memset(big, 'A', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	CHECK_EQ(http_parse_request(big, sizeof(big), &r), HTTP_BAD);
	CHECK_STR(r.error, "request too large");
	CHECK_EQ(http_parse_request(big, HTTP_MAX_REQUEST - 1, &r),
	    HTTP_INCOMPLETE);
	/* Too many headers. */
	{
		char many[4096];
		size_t n = 0;

		n += (size_t)snprintf(many, sizeof(many), "GET / HTTP/1.1\r\n");
		for (i = 0; i < HTTP_MAX_HEADERS + 1; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n,
			    "H%d: v\r\n", i);
		snprintf(many + n, sizeof(many) - n, "\r\n");
		bad(many, "too many header fields");
	}
}

static void
test_format(void)
{
	char out[512];
	size_t n;

	n = http_format_response(out, sizeof(out), 1, 200, 0, "ok\n");
	CHECK_EQ(n, strlen(out));
	CHECK(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
	CHECK(strstr(out, "\r\nContent-Length: 3\r\n") != NULL);
	CHECK(strstr(out, "\r\nConnection: close\r\n\r\nok\n") != NULL);
	n = http_format_response(out, sizeof(out), 0, 503, 1, "down\n");
	CHECK(strncmp(out, "HTTP/1.0 503 Service Unavailable\r\n", 34) == 0);
	CHECK(strstr(out, "\r\nContent-Length: 5\r\n") != NULL);
	CHECK_EQ(out[n - 1], '\n');
	CHECK(strstr(out, "down") == NULL);
	http_format_response(out, sizeof(out), 1, 405, 0, "no\n");
	CHECK(strstr(out, "\r\nAllow: GET, HEAD, OPTIONS\r\n") != NULL);
	n = http_format_response(out, 20, 1, 200, 0, "ok\n");
	CHECK_EQ(n, 19);
	CHECK_EQ(strlen(out), 19);
	CHECK_STR(http_reason(400), "Bad Request");
}

int
main(void)
{
	test_good();
	test_incomplete();
	test_bad();
	test_format();
	UNIT_DONE();
}
