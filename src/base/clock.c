/* clock: the one place that reads time. */
#include "karirbot/clock.h"

#include <time.h>

static int64_t fixed;

int64_t kb_now(void)
{
    return fixed ? fixed : (int64_t)time(NULL);
}

int64_t kb_now_ms(void)
{
    if (fixed)
        return fixed * 1000;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t kb_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void kb_clock_set(int64_t fixed_now)
{
    fixed = fixed_now;
}
