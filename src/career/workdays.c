/* workdays: working days by counting, not by walking the calendar. W(x), the number of working
 * days up to and including day x (days since 1970-01-01), grows by one on each working day;
 * the days between two dates are W(to) - W(from). Weeks start on Monday, and the working days
 * are the first five or six of each week. */
#include "karirbot/workdays.h"

#include "karirbot/idfmt.h"

#define N_MAX_DAYS 3660000 /* about 10,000 years: more than any pair of valid dates apart */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* 1970-01-01 was a Thursday: day x is day (x + 3) mod 7 of its week, Monday being 0. */
static int64_t week_pos(int64_t days)
{
    return days + 3;
}

static int64_t cumulative(int64_t days, int per_week)
{
    int64_t k = week_pos(days);
    int64_t weeks = floor_div(k, 7);
    int64_t rem = k - 7 * weeks; /* 0 (Monday) .. 6 (Sunday) */
    return weeks * per_week + (rem + 1 < per_week ? rem + 1 : per_week);
}

static int to_days(const char *ymd, int64_t *days)
{
    int y, m, d;
    if (!ymd || kb_date_parse(ymd, &y, &m, &d) != 0)
        return -1;
    *days = kb_days_from_civil(y, m, d);
    return 0;
}

static int valid_week(int per_week)
{
    return per_week == 5 || per_week == 6;
}

bool kb_is_workday(const char *ymd, int days_per_week)
{
    int64_t days;
    if (!valid_week(days_per_week) || to_days(ymd, &days) != 0)
        return false;
    int64_t k = week_pos(days);
    return k - 7 * floor_div(k, 7) < days_per_week;
}

int kb_workdays_between(const char *from, const char *to, int days_per_week, int64_t *out)
{
    int64_t a, b;
    if (!out || !valid_week(days_per_week) || to_days(from, &a) != 0 || to_days(to, &b) != 0)
        return -1;
    *out = b > a ? cumulative(b, days_per_week) - cumulative(a, days_per_week) : 0;
    return 0;
}

int kb_workdays_between_except(const char *from, const char *to, int days_per_week,
                               const char (*holidays)[11], size_t nholidays, int64_t *out)
{
    int64_t a, b, count;
    if (!out || (nholidays && !holidays) || to_days(from, &a) != 0 || to_days(to, &b) != 0 ||
        kb_workdays_between(from, to, days_per_week, &count) != 0)
        return -1;
    int64_t prev = INT64_MIN;
    for (size_t i = 0; i < nholidays; i++) {
        int64_t h;
        if (to_days(holidays[i], &h) != 0 || h < prev)
            return -1;
        /* Each day once, however many holidays it holds; only days the count included. */
        if (h != prev && h > a && h <= b && kb_is_workday(holidays[i], days_per_week))
            count--;
        prev = h;
    }
    *out = count;
    return 0;
}

int kb_workdays_add(const char *from, int64_t n, int days_per_week, char out[11])
{
    int64_t a;
    out[0] = '\0';
    if (!valid_week(days_per_week) || n < 0 || n > N_MAX_DAYS || to_days(from, &a) != 0)
        return -1;
    int64_t x = a;
    if (n > 0) { /* the working day at which the count reaches W(from) + n */
        int64_t target = cumulative(a, days_per_week) + n;
        int64_t weeks = floor_div(target - 1, days_per_week);
        int64_t rem = target - 1 - weeks * days_per_week;
        x = weeks * 7 + rem - 3;
    }
    int y, m, d;
    kb_civil_from_days(x, &y, &m, &d);
    return kb_date_make(out, y, m, d);
}
