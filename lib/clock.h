/*
 * The monotonic clock (CLOCK_MONOTONIC) in milliseconds and microseconds:
 * the only clock deadlines and timeouts use. Never the wall clock.
 */
#ifndef VIPKIT_CLOCK_H
#define VIPKIT_CLOCK_H

long long	mono_ms(void);
long long	mono_us(void);

#endif
