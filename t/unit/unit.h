/*
 * A tiny unit-test harness: CHECK() records failures with file:line and
 * the test program exits non-zero when any failed. Output is TAP-like.
 */
#ifndef VIPKIT_UNIT_H
#define VIPKIT_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failed, unit_checks;

#define CHECK(cond) do {						\
	unit_checks++;							\
	if (!(cond)) {							\
		unit_failed++;						\
		printf("not ok - %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	unit_checks++;							\
	if (a_ != b_) {							\
		unit_failed++;						\
		printf("not ok - %s:%d: %s == %s (%lld != %lld)\n",	\
		    __FILE__, __LINE__, #a, #b, a_, b_);		\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	unit_checks++;							\
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {		\
		unit_failed++;						\
		printf("not ok - %s:%d: %s == %s (\"%s\" != \"%s\")\n",	\
		    __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",	\
		    b_ ? b_ : "(null)");				\
	}								\
} while (0)

#define UNIT_DONE() do {						\
	printf("%s: %d checks, %d failed\n", __FILE__, unit_checks,	\
	    unit_failed);						\
	return unit_failed ? 1 : 0;					\
} while (0)

#endif
