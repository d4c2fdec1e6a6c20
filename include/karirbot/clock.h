/* clock: wall and monotonic time in one place, so that tests can move time later. */
#ifndef KARIRBOT_CLOCK_H
#define KARIRBOT_CLOCK_H

#include <stdint.h>

/* Wall clock, UTC, seconds and milliseconds since the epoch. */
int64_t kb_now(void);
int64_t kb_now_ms(void);
/* Monotonic milliseconds, for pacing and timeouts. */
uint64_t kb_mono_ms(void);
/* Overrides the wall clock (seconds since the epoch); 0 restores the real clock. */
void kb_clock_set(int64_t fixed_now);

#endif
