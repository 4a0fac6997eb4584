/*
 * libFuzzer target for the GTID parsers of lib/caughtup: they read text
 * that the server prints (Gtid_IO_Pos, gtid_slave_pos, Retrieved_ and
 * Executed_Gtid_Set). The input is split at the first 0xff byte into two
 * strings A and B. Besides "no crash", it checks properties: a parsed set
 * misses nothing of itself, A minus B never exceeds A's size, the
 * MariaDB distance of a position to itself is 0, and text either parser
 * accepts is made only of characters that are safe inside an SQL string
 * (wait-replica-caught-up quotes it into MASTER_GTID_WAIT and
 * WAIT_FOR_EXECUTED_GTID_SET without another check).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caughtup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sql_safe(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '\0' || strchr("0123456789abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_:-, \t\r\n", s[i]) == NULL)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *errstr;
	const uint8_t *cut = memchr(data, 0xff, size);
	size_t la = cut != NULL ? (size_t)(cut - data) : size;
	size_t lb = cut != NULL ? size - la - 1 : 0;
	const char *b = cut != NULL ? (const char *)cut + 1 : "";
	struct gtid_set ga, gb;
	struct mgtid_pos pa, pb;
	int ra, rb;

	gtid_set_init(&ga);
	gtid_set_init(&gb);
	ra = gtid_set_parse(&ga, s, la, &errstr);
	rb = gtid_set_parse(&gb, b, lb, &errstr);
	if (ra == 0) {
		if (!sql_safe(s, la))
			abort();
		if (gtid_set_missing(&ga, &ga) != 0)
			abort();
		if (gtid_set_missing(&gb, &ga) > gtid_set_count(&ga))
			abort();
		for (size_t i = 0; i < ga.n; i++)
			for (size_t k = 0; k < ga.s[i].n; k++)
				if (ga.s[i].iv[k].lo == 0 ||
				    ga.s[i].iv[k].hi < ga.s[i].iv[k].lo ||
				    (k > 0 && ga.s[i].iv[k].lo <=
				    ga.s[i].iv[k - 1].hi + 1))
					abort();
	} else if (ga.n != 0)
		abort();
	if (rb == 0 && ra == 0 && gtid_set_missing(&ga, &gb) >
	    gtid_set_count(&gb))
		abort();
	gtid_set_free(&ga);
	gtid_set_free(&gb);

	mgtid_pos_init(&pa);
	mgtid_pos_init(&pb);
	ra = mgtid_pos_parse(&pa, s, la, &errstr);
	rb = mgtid_pos_parse(&pb, b, lb, &errstr);
	if (ra == 0) {
		if (!sql_safe(s, la))
			abort();
		if (mgtid_pos_behind(&pa, &pa) != 0)
			abort();
		for (size_t i = 1; i < pa.n; i++)
			if (pa.v[i].domain <= pa.v[i - 1].domain)
				abort();
	} else if (pa.n != 0)
		abort();
	if (ra == 0 && rb == 0)
		(void)mgtid_pos_behind(&pa, &pb);
	mgtid_pos_free(&pa);
	mgtid_pos_free(&pb);
	return 0;
}
