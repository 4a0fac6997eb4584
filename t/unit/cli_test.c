/* Unit tests for lib/cli (number parsing) and lib/json (the writer). */
#include <limits.h>

#include "cli.h"
#include "json.h"
#include "unit.h"

static void
test_parse_int(void)
{
	long long v = -7;
	const char *e = NULL;

	CHECK(parse_int("42", 0, 100, &v, &e) == 0);
	CHECK_EQ(v, 42);
	CHECK(parse_int("-5", -10, 10, &v, &e) == 0);
	CHECK_EQ(v, -5);
	CHECK(parse_int("", 0, 10, &v, &e) == -1);
	CHECK_STR(e, "not a number");
	CHECK(parse_int("12x", 0, 100, &v, &e) == -1);
	CHECK_STR(e, "not a number");
	CHECK(parse_int(" 1", 0, 100, &v, &e) == -1);
	CHECK(parse_int("+1", 0, 100, &v, &e) == -1);
	/* no white space of any kind before the number, nor a sign twice */
	CHECK(parse_int("\n1", 0, 100, &v, &e) == -1);
	CHECK_STR(e, "not a number");
	CHECK(parse_int("\r1", 0, 100, &v, &e) == -1);
	CHECK(parse_int("\v1", 0, 100, &v, &e) == -1);
	CHECK(parse_int("\f1", 0, 100, &v, &e) == -1);
	CHECK(parse_int("- 1", -10, 100, &v, &e) == -1);
	CHECK(parse_int("-+1", -10, 100, &v, &e) == -1);
	CHECK(parse_int("-", -10, 100, &v, &e) == -1);
	CHECK(parse_int("1 ", 0, 100, &v, &e) == -1);
	CHECK(parse_int("256", 0, 255, &v, &e) == -1);
	CHECK_STR(e, "too large");
	CHECK(parse_int("-1", 0, 255, &v, &e) == -1);
	CHECK_STR(e, "too small");
	CHECK(parse_int("99999999999999999999", 0, LLONG_MAX, &v, &e) == -1);
	CHECK_STR(e, "too large");
	CHECK(parse_int(NULL, 0, 1, &v, &e) == -1);
}

static void
test_parse_fixed(void)
{
	long long v = 0;
	const char *e = NULL;

	CHECK(parse_fixed("0.1", 2, 1, 4095, &v, &e) == 0);
	CHECK_EQ(v, 10);
	CHECK(parse_fixed("1", 2, 1, 4095, &v, &e) == 0);
	CHECK_EQ(v, 100);
	CHECK(parse_fixed("40.95", 2, 1, 4095, &v, &e) == 0);
	CHECK_EQ(v, 4095);
	CHECK(parse_fixed("40.96", 2, 1, 4095, &v, &e) == -1);
	CHECK_STR(e, "too large");
	CHECK(parse_fixed("0.001", 2, 0, 4095, &v, &e) == -1);
	CHECK_STR(e, "too precise");
	CHECK(parse_fixed("0", 2, 1, 4095, &v, &e) == -1);
	CHECK_STR(e, "too small");
	CHECK(parse_fixed(".5", 2, 0, 4095, &v, &e) == -1);
	CHECK(parse_fixed("1.", 2, 0, 4095, &v, &e) == -1);
	CHECK(parse_fixed("1.2.3", 2, 0, 4095, &v, &e) == -1);
	CHECK(parse_fixed("-1", 2, 0, 4095, &v, &e) == -1);
	CHECK(parse_fixed("1e3", 2, 0, 4095, &v, &e) == -1);
	CHECK(parse_fixed("2.5", 3, 0, 100000, &v, &e) == 0);
	CHECK_EQ(v, 2500);
	CHECK(parse_fixed("3", 0, 0, 10, &v, &e) == 0);
	CHECK_EQ(v, 3);
	CHECK(parse_fixed("3.0", 0, 0, 10, &v, &e) == -1);
	CHECK(parse_fixed("99999999999999999999", 2, 0, LLONG_MAX, &v, &e) == -1);
}

static void
test_json(void)
{
	struct json j;

	json_init(&j);
	json_obj_begin(&j, NULL);
	json_str(&j, "src", "192.0.2.1");
	json_int(&j, "vrid", 51);
	json_bool(&j, "ok", 1);
	json_null(&j, "lag");
	json_fixed(&j, "interval", 10, 2);
	json_arr_begin(&j, "addresses");
	json_str(&j, NULL, "a\"b\\c\n\x01");
	json_str(&j, NULL, NULL);
	json_arr_end(&j);
	json_obj_begin(&j, "inner");
	json_obj_end(&j);
	json_obj_end(&j);
	CHECK_STR(json_text(&j), "{\"src\":\"192.0.2.1\",\"vrid\":51,\"ok\":true,"
	    "\"lag\":null,\"interval\":0.10,\"addresses\":[\"a\\\"b\\\\c\\n\\u0001\","
	    "null],\"inner\":{}}");
	json_reset(&j);
	json_arr_begin(&j, NULL);
	json_int(&j, NULL, 1);
	json_int(&j, NULL, -2);
	json_fixed(&j, NULL, -1234, 3);
	json_arr_end(&j);
	CHECK_STR(json_text(&j), "[1,-2,-1.234]");
	json_free(&j);
}

int
main(void)
{
	test_parse_int();
	test_parse_fixed();
	test_json();
	UNIT_DONE();
}
