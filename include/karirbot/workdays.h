/* workdays: counting working days between calendar dates, for a unit that works five days a
 * week (Monday to Friday) or six (Monday to Saturday). Pure arithmetic on "YYYY-MM-DD" dates:
 * no clock, no time zone, no database.
 *
 * National holidays and cuti bersama are not taken into account yet: they change every year
 * and are revised mid-year, so they will be HR-maintained data (a later issue) that these
 * functions then skip as well. Until then a holiday counts as a working day. */
#ifndef KARIRBOT_WORKDAYS_H
#define KARIRBOT_WORKDAYS_H

#include <stdbool.h>
#include <stdint.h>

/* Whether the date is a working day in a week of days_per_week (5 or 6) working days. False
 * for an invalid date or week. */
bool kb_is_workday(const char *ymd, int days_per_week);

/* The number of working days d with from < d <= to: how many working days have passed since
 * `from` by the end of `to` (a stage reached on Friday and looked at on Monday has been there
 * 1 working day; the same day is 0). 0 when to is not after from. Returns 0 and sets *out, or
 * -1 when a date is invalid or days_per_week is not 5 or 6 (*out untouched). */
int kb_workdays_between(const char *from, const char *to, int days_per_week, int64_t *out);

/* The date n (>= 0) working days after from: the first date d with
 * kb_workdays_between(from, d) == n (from itself when n is 0). For when an expected number of
 * working days runs out. Returns 0 and writes out[11]; -1 (out "") on invalid input or a date
 * after 9999. */
int kb_workdays_add(const char *from, int64_t n, int days_per_week, char out[11]);

#endif
