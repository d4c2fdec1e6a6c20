/* workdays: counting working days between calendar dates, for a unit that works five days a
 * week (Monday to Friday) or six (Monday to Saturday). Pure arithmetic on "YYYY-MM-DD" dates:
 * no clock, no time zone, no database.
 *
 * National holidays and cuti bersama change every year and are revised mid-year, so they are
 * data HR maintains (`karirbot holidays import`), not rules: kb_workdays_between_except() takes
 * them as a sorted list of dates (the store reads them: kb_holidays_between()); the functions
 * without it count a holiday as a working day. */
#ifndef KARIRBOT_WORKDAYS_H
#define KARIRBOT_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the date is a working day in a week of days_per_week (5 or 6) working days. False
 * for an invalid date or week. */
bool kb_is_workday(const char *ymd, int days_per_week);

/* The number of working days d with from < d <= to: how many working days have passed since
 * `from` by the end of `to` (a stage reached on Friday and looked at on Monday has been there
 * 1 working day; the same day is 0). 0 when to is not after from. Returns 0 and sets *out, or
 * -1 when a date is invalid or days_per_week is not 5 or 6 (*out untouched). */
int kb_workdays_between(const char *from, const char *to, int days_per_week, int64_t *out);

/* The same count with the dates in holidays[0..n) not counted: a holiday that falls on one of
 * the unit's working days between the two dates is a day off (one on a Sunday, or a Saturday
 * in a five-day week, changes nothing). holidays are real dates, "YYYY-MM-DD", in ascending
 * order; a date may repeat (two holidays on one day) and dates outside the span are ignored.
 * Returns 0 and sets *out, or -1 on invalid input, including a holiday list that is not
 * sorted (*out untouched). */
int kb_workdays_between_except(const char *from, const char *to, int days_per_week,
                               const char (*holidays)[11], size_t nholidays, int64_t *out);

/* The date n (>= 0) working days after from: the first date d with
 * kb_workdays_between(from, d) == n (from itself when n is 0). For when an expected number of
 * working days runs out. Returns 0 and writes out[11]; -1 (out "") on invalid input or a date
 * after 9999. */
int kb_workdays_add(const char *from, int64_t n, int days_per_week, char out[11]);

#endif
