/* idfmt: calendar arithmetic, Indonesian (and English) dates and numbers, and local time in the
 * three Indonesian zones (WIB UTC+7, WITA UTC+8, WIT UTC+9).
 *
 * Calendar dates are strings "YYYY-MM-DD", never instants (DESIGN invariant 9); instants are
 * int64 UTC seconds. All arithmetic is days-from-civil on the proleptic Gregorian calendar:
 * nothing here reads the TZ environment, the C locale or the clock. Month and day names are
 * formatting data like strftime's tables; sentences and greetings live in locales/. */
#ifndef KARIRBOT_IDFMT_H
#define KARIRBOT_IDFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- calendar ---------------------------------------------------------------------------- */

bool kb_is_leap_year(int y);
/* Days in month m (1..12) of year y; 0 when m is out of range. */
int kb_days_in_month(int y, int m);
/* Days since 1970-01-01 of the civil date y-m-d (which must be a real date), and back;
 * kb_civil_from_days clamps days to +-2^31 (about 5.8 million years) so its year fits an int. */
int64_t kb_days_from_civil(int y, int m, int d);
void kb_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Parses a strict "YYYY-MM-DD" that names a real date (years 0001..9999). Returns 0 and fills
 * the out parameters (any may be NULL), or -1 and leaves them alone. */
int kb_date_parse(const char *ymd, int *y, int *m, int *d);
/* Writes the real date y-m-d (years 0001..9999) as "YYYY-MM-DD" into out[11] and returns 0;
 * -1 (out set to "") when it is not a real date in that range. */
int kb_date_make(char out[11], int y, int m, int d);
/* ISO weekday of a "YYYY-MM-DD" date: 1 = Monday (Senin) ... 7 = Sunday (Minggu); -1 when the
 * string is not a real date. */
int kb_weekday(const char *ymd);

/* ---- formatting ---------------------------------------------------------------------------
 * Each writes a NUL-terminated string into buf[0..cap) and returns 0, or returns -1 (and
 * leaves "" in buf when cap > 0) when the input is invalid or the result does not fit. */

/* "2027-01-12" -> "12 Januari 2027" (day without a leading zero) with the month names given;
 * the names are words people read, so they come from the locale (kb_locale_date()). */
int kb_fmt_date(char *buf, size_t cap, const char *yyyy_mm_dd, const char *const months[12]);

/* Integers with thousands separators, exact over the whole int64 range:
 * -1000000 -> "-1.000.000" (id) / "-1,000,000" (en). */
int kb_fmt_int_id(char *buf, size_t cap, int64_t v);
int kb_fmt_int_en(char *buf, size_t cap, int64_t v);

/* A finite number with exactly `decimals` (0..9) digits after the decimal comma (id) or point
 * (en): (1234.5, 1) -> "1.234,5"; (20, 0) -> "20"; (20, 1) -> "20,0". Rounds half away from
 * zero on the shortest decimal form of v (15 significant digits), so 1.005 with 2 decimals is
 * "1,01" as a person expects, not "1,00" as printf gives. A result that rounds to zero has no
 * minus sign. NaN and infinities are invalid. */
int kb_fmt_number_id(char *buf, size_t cap, double v, int decimals);
int kb_fmt_number_en(char *buf, size_t cap, double v, int decimals);

/* ---- zones and local time ------------------------------------------------------------------ */

#define KB_DATE_LEN 11 /* "YYYY-MM-DD" and its NUL */

/* Offset from UTC in hours of "WIB" (7), "WITA" (8) or "WIT" (9), case-insensitive; -1 for any
 * other name (there is no default zone: the caller decides what an unknown zone means). */
int kb_zone_offset(const char *zone);
/* The calendar date in zone at the UTC instant utc_seconds, as "YYYY-MM-DD". Returns 0, or -1
 * (out set to "") when the zone is unknown or the year falls outside 0001..9999. */
int kb_local_date(int64_t utc_seconds, const char *zone, char out[KB_DATE_LEN]);
/* The hour (0..23) in zone at utc_seconds; -1 when the zone is unknown. */
int kb_local_hour(int64_t utc_seconds, const char *zone);

/* Part of the day for a greeting; the words ("Selamat pagi") come from locales/. */
enum kb_greeting_part {
    KB_GREET_PAGI,  /* 04:00-10:59 */
    KB_GREET_SIANG, /* 11:00-14:59 */
    KB_GREET_SORE,  /* 15:00-17:59 */
    KB_GREET_MALAM  /* 18:00-03:59 */
};
/* The part of the day that hour falls in; hours outside 0..23 are taken modulo 24. */
enum kb_greeting_part kb_greeting_part(int hour);
/* Locale key of the greeting for a part: "greet_pagi", "greet_siang", "greet_sore",
 * "greet_malam"; NULL for a value outside the enum. */
const char *kb_greeting_key(enum kb_greeting_part part);

#endif
