#include <time.h>

#include "clock.h"

long long
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long
mono_ms(void)
{
	return mono_us() / 1000;
}
