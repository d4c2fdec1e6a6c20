/* test_idfmt: unit tests of src/base/idfmt.c — calendar arithmetic, Indonesian and English
 * dates and numbers, local dates and hours in WIB/WITA/WIT, and greeting parts.
 *
 * Expected instants and weekdays were computed independently with GNU date
 * (`date -u -d 2026-12-31T17:30:00Z +%s`, `date -d 2027-01-12 +%A`).
 *
 * No framework: CHECK() prints file:line and the failed expression and counts the failure;
 * main() runs every test and returns non-zero when any check failed. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "karirbot/idfmt.h"

#include "check.h"

/* Formats with f and checks both the return code and the text. */
#define CHECK_FMT(call, want)                                                                      \
    do {                                                                                           \
        char out_[512];                                                                            \
        memset(out_, 'x', sizeof out_);                                                            \
        int rc_ = call;                                                                            \
        CHECK(rc_ == 0);                                                                           \
        CHECK_STR(out_, want);                                                                     \
    } while (0)

/* Instants (UTC seconds) around the turn of 2027. */
#define T_2026_12_31_1730Z 1798738200
#define T_2026_12_31_1700Z 1798736400
#define T_2026_12_31_1500Z 1798729200

/* ---- calendar ------------------------------------------------------------------------------ */

static void test_days_from_civil_matches_known_dates(void)
{
    CHECK(kb_days_from_civil(1970, 1, 1) == 0);
    CHECK(kb_days_from_civil(2027, 1, 12) == 20830);
    CHECK(kb_days_from_civil(2000, 2, 29) == 11016);
    CHECK(kb_days_from_civil(2028, 2, 29) == 21243);
    CHECK(kb_days_from_civil(1945, 8, 17) == -8903);
    CHECK(kb_days_from_civil(1969, 12, 31) == -1);
}

static void test_civil_from_days_walks_every_day_1900_to_2200(void)
{
    /* Walks day by day with days_in_month and checks both directions at every step. */
    int y = 1900, m = 1, d = 1, bad = 0;
    for (int64_t z = kb_days_from_civil(1900, 1, 1); y < 2200; z++) {
        int yy, mm, dd;
        kb_civil_from_days(z, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d || kb_days_from_civil(y, m, d) != z)
            bad++;
        if (++d > kb_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    CHECK(bad == 0);
    int yy, mm, dd;
    kb_civil_from_days(-8903, &yy, &mm, &dd);
    CHECK(yy == 1945 && mm == 8 && dd == 17);
}

static void test_civil_from_days_clamps_absurd_values(void)
{
    int y = 0, m = 0, d = 0;
    kb_civil_from_days(INT64_MAX, &y, &m, &d);
    CHECK(y > 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
    kb_civil_from_days(INT64_MIN, &y, &m, &d);
    CHECK(y < 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
}

static void test_leap_years_follow_gregorian_rules(void)
{
    CHECK(kb_is_leap_year(2000));
    CHECK(kb_is_leap_year(2024));
    CHECK(kb_is_leap_year(2028));
    CHECK(!kb_is_leap_year(1900));
    CHECK(!kb_is_leap_year(2027));
    CHECK(!kb_is_leap_year(2100));
}

static void test_days_in_month_handles_february_and_bad_months(void)
{
    CHECK(kb_days_in_month(2027, 2) == 28);
    CHECK(kb_days_in_month(2028, 2) == 29);
    CHECK(kb_days_in_month(2100, 2) == 28);
    CHECK(kb_days_in_month(2027, 4) == 30);
    CHECK(kb_days_in_month(2027, 12) == 31);
    CHECK(kb_days_in_month(2027, 0) == 0);
    CHECK(kb_days_in_month(2027, 13) == 0);
}

static void test_date_parse_accepts_only_real_iso_dates(void)
{
    int y = 0, m = 0, d = 0;
    CHECK(kb_date_parse("2027-01-12", &y, &m, &d) == 0);
    CHECK(y == 2027 && m == 1 && d == 12);
    CHECK(kb_date_parse("2028-02-29", NULL, NULL, NULL) == 0);
    CHECK(kb_date_parse("2027-02-29", &y, &m, &d) == -1);
    CHECK(y == 2027 && m == 1 && d == 12); /* untouched on failure */
    CHECK(kb_date_parse("2027-04-31", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027-13-01", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027-00-10", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027-01-00", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("0000-01-01", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027-1-12", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027-01-1", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027-01-12 ", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("12-01-2027", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027/01/12", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse("2027", NULL, NULL, NULL) == -1);
    CHECK(kb_date_parse(NULL, NULL, NULL, NULL) == -1);
}

static void test_weekday_of_dates(void)
{
    CHECK(kb_weekday("2027-01-12") == 2); /* Tuesday */
    CHECK(kb_weekday("1970-01-01") == 4); /* Thursday */
    CHECK(kb_weekday("1945-08-17") == 5); /* Friday */
    CHECK(kb_weekday("2026-01-04") == 7); /* Sunday */
    CHECK(kb_weekday("2026-01-05") == 1); /* Monday */
    CHECK(kb_weekday("1969-12-28") == 7); /* Sunday, before the epoch */
    CHECK(kb_weekday("2027-02-29") == -1);
}

/* ---- dates --------------------------------------------------------------------------------- */

/* The month names come from the locale in the program; any twelve names do here. */
static const char *const months_id[12] = {"Januari",   "Februari", "Maret",    "April",
                                          "Mei",       "Juni",     "Juli",     "Agustus",
                                          "September", "Oktober",  "November", "Desember"};

static void test_fmt_date_writes_day_month_year(void)
{
    CHECK_FMT(kb_fmt_date(out_, sizeof out_, "2027-01-12", months_id), "12 Januari 2027");
    CHECK_FMT(kb_fmt_date(out_, sizeof out_, "2027-03-03", months_id), "3 Maret 2027");
    CHECK_FMT(kb_fmt_date(out_, sizeof out_, "1945-08-17", months_id), "17 Agustus 1945");
    CHECK_FMT(kb_fmt_date(out_, sizeof out_, "2027-05-01", months_id), "1 Mei 2027");
    CHECK_FMT(kb_fmt_date(out_, sizeof out_, "2026-12-31", months_id), "31 Desember 2026");
    CHECK_FMT(kb_fmt_date(out_, sizeof out_, "2028-02-29", months_id), "29 Februari 2028");
}

static void test_fmt_date_refuses_bad_dates_and_small_buffers(void)
{
    char out[32] = "junk";
    CHECK(kb_fmt_date(out, sizeof out, "2027-02-29", months_id) == -1);
    CHECK_STR(out, "");
    memcpy(out, "junk", 5);
    CHECK(kb_fmt_date(out, sizeof out, "12-01-2027", months_id) == -1);
    CHECK_STR(out, "");
    CHECK(kb_fmt_date(out, sizeof out, NULL, months_id) == -1);
    CHECK(kb_fmt_date(out, sizeof out, "2027-01-12", NULL) == -1);
    /* "12 Januari 2027" is 15 bytes: 16 fits, 15 does not. */
    CHECK(kb_fmt_date(out, 16, "2027-01-12", months_id) == 0);
    CHECK_STR(out, "12 Januari 2027");
    CHECK(kb_fmt_date(out, 15, "2027-01-12", months_id) == -1);
    CHECK_STR(out, "");
    CHECK(kb_fmt_date(out, 0, "2027-01-12", months_id) == -1);
}

/* ---- numbers ------------------------------------------------------------------------------- */

static void test_fmt_int_groups_thousands(void)
{
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, 0), "0");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, 20), "20");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, 999), "999");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, 1000), "1.000");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, -999), "-999");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, -1000000), "-1.000.000");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, 123456789), "123.456.789");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, INT64_MAX), "9.223.372.036.854.775.807");
    CHECK_FMT(kb_fmt_int_id(out_, sizeof out_, INT64_MIN), "-9.223.372.036.854.775.808");
    CHECK_FMT(kb_fmt_int_en(out_, sizeof out_, -1000000), "-1,000,000");
}

static void test_fmt_int_refuses_small_buffer(void)
{
    char out[8] = "junk";
    /* "-1.000" is 6 bytes: 7 fits, 6 does not. */
    CHECK(kb_fmt_int_id(out, 7, -1000) == 0);
    CHECK_STR(out, "-1.000");
    CHECK(kb_fmt_int_id(out, 6, -1000) == -1);
    CHECK_STR(out, "");
    CHECK(kb_fmt_int_en(out, 1, 0) == -1);
    CHECK(kb_fmt_int_en(out, 2, 0) == 0);
    CHECK_STR(out, "0");
}

static void test_fmt_number_rounds_and_groups(void)
{
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 1234.5, 1), "1.234,5");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 20, 0), "20");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 20, 1), "20,0");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 0, 2), "0,00");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 22.5, 1), "22,5");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, -1000000, 0), "-1.000.000");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, -1234567.891, 2), "-1.234.567,89");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 1e15, 0), "1.000.000.000.000.000");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 0.75, 3), "0,750");
    CHECK_FMT(kb_fmt_number_en(out_, sizeof out_, 1234.5, 1), "1,234.5");
    CHECK_FMT(kb_fmt_number_en(out_, sizeof out_, -0.25, 2), "-0.25");
}

static void test_fmt_number_rounds_half_away_from_zero_in_decimal(void)
{
    /* 1.005 and 2.675 are a hair below the half in binary; a person expects them rounded up. */
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 1.005, 2), "1,01");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 2.675, 2), "2,68");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 0.5, 0), "1");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, -0.5, 0), "-1");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 1.4999, 0), "1");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 0.005, 2), "0,01");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 0.001, 2), "0,00");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 0.1 + 0.2, 2), "0,30");
    /* A carry that ripples into a new thousands group. */
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 999.95, 1), "1.000,0");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 999999.5, 0), "1.000.000");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 9.96, 1), "10,0");
    /* The rounding digit is the 15th and last significant digit kept. */
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 123456.789012345, 8), "123.456,78901235");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, 123456.789012344, 8), "123.456,78901234");
}

static void test_fmt_number_drops_the_sign_of_zero(void)
{
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, -0.04, 1), "0,0");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, -0.0, 0), "0");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, -0.4, 0), "0");
    CHECK_FMT(kb_fmt_number_id(out_, sizeof out_, -0.05, 1), "-0,1");
}

static void test_fmt_number_refuses_non_finite_and_bad_arguments(void)
{
    char out[64] = "junk";
    CHECK(kb_fmt_number_id(out, sizeof out, NAN, 0) == -1);
    CHECK_STR(out, "");
    CHECK(kb_fmt_number_id(out, sizeof out, INFINITY, 0) == -1);
    CHECK(kb_fmt_number_id(out, sizeof out, -INFINITY, 2) == -1);
    CHECK(kb_fmt_number_id(out, sizeof out, 1, 10) == -1);
    CHECK(kb_fmt_number_id(out, sizeof out, 1, -1) == -1);
    CHECK(kb_fmt_number_id(out, sizeof out, 1, 9) == 0);
    CHECK_STR(out, "1,000000000");
    /* "1.234,5" is 7 bytes: 8 fits, 7 does not. */
    CHECK(kb_fmt_number_id(out, 8, 1234.5, 1) == 0);
    CHECK(kb_fmt_number_id(out, 7, 1234.5, 1) == -1);
    CHECK_STR(out, "");
    CHECK(kb_fmt_number_id(out, sizeof out, 1e300, 0) == -1);
}

static void test_fmt_number_handles_the_largest_double(void)
{
    char out[512];
    CHECK(kb_fmt_number_id(out, sizeof out, 1e300, 0) == 0);
    CHECK(strlen(out) == 301 + 100); /* 301 digits, 100 separators */
    CHECK(strncmp(out, "1.000.000.", 10) == 0);
    CHECK(kb_fmt_number_id(out, sizeof out, -1.7976931348623157e308, 9) == 0);
    CHECK(strncmp(out, "-179.769.313.486.232.000.", 25) == 0);
    CHECK(strlen(out) == 1 + 309 + 102 + 1 + 9);
}

/* ---- zones --------------------------------------------------------------------------------- */

static void test_zone_offset_knows_the_three_zones(void)
{
    CHECK(kb_zone_offset("WIB") == 7);
    CHECK(kb_zone_offset("WITA") == 8);
    CHECK(kb_zone_offset("WIT") == 9);
    CHECK(kb_zone_offset("wita") == 8);
    CHECK(kb_zone_offset("Wit") == 9);
    CHECK(kb_zone_offset("WI") == -1);
    CHECK(kb_zone_offset("WITA ") == -1);
    CHECK(kb_zone_offset("UTC") == -1);
    CHECK(kb_zone_offset("") == -1);
    CHECK(kb_zone_offset(NULL) == -1);
}

/* Local date of t in zone (test helper). */
static const char *ld(int64_t t, const char *zone)
{
    static char out[KB_DATE_LEN];
    if (kb_local_date(t, zone, out) != 0)
        return "(error)";
    return out;
}

static void test_local_date_at_1730_utc_on_new_years_eve_is_new_year_everywhere(void)
{
    /* 17:30Z is 00:30 WIB, 01:30 WITA, 02:30 WIT on 1 January. */
    CHECK_STR(ld(T_2026_12_31_1730Z, "WIB"), "2027-01-01");
    CHECK_STR(ld(T_2026_12_31_1730Z, "WITA"), "2027-01-01");
    CHECK_STR(ld(T_2026_12_31_1730Z, "WIT"), "2027-01-01");
    CHECK(kb_local_hour(T_2026_12_31_1730Z, "WIB") == 0);
    CHECK(kb_local_hour(T_2026_12_31_1730Z, "WITA") == 1);
    CHECK(kb_local_hour(T_2026_12_31_1730Z, "WIT") == 2);
}

static void test_local_date_turns_at_each_zones_own_midnight(void)
{
    /* WIB turns at 17:00Z, WITA at 16:00Z, WIT at 15:00Z. */
    CHECK_STR(ld(T_2026_12_31_1700Z - 1, "WIB"), "2026-12-31");
    CHECK(kb_local_hour(T_2026_12_31_1700Z - 1, "WIB") == 23);
    CHECK_STR(ld(T_2026_12_31_1700Z, "WIB"), "2027-01-01");
    CHECK_STR(ld(T_2026_12_31_1700Z - 3600 - 1, "WITA"), "2026-12-31");
    CHECK_STR(ld(T_2026_12_31_1700Z - 3600, "WITA"), "2027-01-01");
    CHECK_STR(ld(T_2026_12_31_1500Z - 1, "WIT"), "2026-12-31");
    CHECK(kb_local_hour(T_2026_12_31_1500Z - 1, "WIT") == 23);
    CHECK_STR(ld(T_2026_12_31_1500Z, "WIT"), "2027-01-01");
    CHECK(kb_local_hour(T_2026_12_31_1500Z, "WIT") == 0);
    /* At 15:30Z only WIT is in the new year. */
    CHECK_STR(ld(T_2026_12_31_1500Z + 1800, "WIB"), "2026-12-31");
    CHECK_STR(ld(T_2026_12_31_1500Z + 1800, "WITA"), "2026-12-31");
    CHECK_STR(ld(T_2026_12_31_1500Z + 1800, "WIT"), "2027-01-01");
}

static void test_local_date_before_the_epoch_and_on_leap_day(void)
{
    /* 1969-12-31T16:00Z is 23:00 WIB that day and midnight WITA of 1970-01-01. */
    CHECK_STR(ld(-28800, "WIB"), "1969-12-31");
    CHECK(kb_local_hour(-28800, "WIB") == 23);
    CHECK_STR(ld(-28800, "WITA"), "1970-01-01");
    CHECK(kb_local_hour(-28800, "WITA") == 0);
    /* 2024-02-28T17:00Z is the first moment of the leap day in WIB. */
    CHECK_STR(ld(1709139600, "WIB"), "2024-02-29");
    CHECK_STR(ld(1709139600 - 1, "WIB"), "2024-02-28");
    CHECK_STR(ld(1709139600 + 86400, "WIB"), "2024-03-01");
}

static void test_local_date_refuses_unknown_zone_and_absurd_instants(void)
{
    char out[KB_DATE_LEN] = "junk";
    CHECK(kb_local_date(T_2026_12_31_1730Z, "UTC", out) == -1);
    CHECK_STR(out, "");
    CHECK(kb_local_date(T_2026_12_31_1730Z, NULL, out) == -1);
    CHECK(kb_local_hour(T_2026_12_31_1730Z, "XYZ") == -1);
    CHECK(kb_local_date(INT64_MAX, "WIT", out) == -1);
    CHECK(kb_local_date(INT64_MIN, "WIB", out) == -1);
    int h = kb_local_hour(INT64_MAX, "WIT");
    CHECK(h >= 0 && h <= 23);
    h = kb_local_hour(INT64_MIN, "WIB");
    CHECK(h >= 0 && h <= 23);
}

/* ---- greetings ----------------------------------------------------------------------------- */

static void test_greeting_part_boundaries(void)
{
    CHECK(kb_greeting_part(3) == KB_GREET_MALAM);
    CHECK(kb_greeting_part(4) == KB_GREET_PAGI);
    CHECK(kb_greeting_part(10) == KB_GREET_PAGI);
    CHECK(kb_greeting_part(11) == KB_GREET_SIANG);
    CHECK(kb_greeting_part(14) == KB_GREET_SIANG);
    CHECK(kb_greeting_part(15) == KB_GREET_SORE);
    CHECK(kb_greeting_part(17) == KB_GREET_SORE);
    CHECK(kb_greeting_part(18) == KB_GREET_MALAM);
    CHECK(kb_greeting_part(23) == KB_GREET_MALAM);
    CHECK(kb_greeting_part(0) == KB_GREET_MALAM);
    /* Outside 0..23: modulo 24. */
    CHECK(kb_greeting_part(28) == KB_GREET_PAGI);
    CHECK(kb_greeting_part(-1) == KB_GREET_MALAM);
    CHECK(kb_greeting_part(-13) == KB_GREET_SIANG);
}

static void test_greeting_from_an_instant_depends_on_the_zone(void)
{
    /* 20:30Z on 31 December: 03:30 WIB (malam), 04:30 WITA (pagi). */
    int64_t t = T_2026_12_31_1730Z + 3 * 3600;
    CHECK(kb_greeting_part(kb_local_hour(t, "WIB")) == KB_GREET_MALAM);
    CHECK(kb_greeting_part(kb_local_hour(t, "WITA")) == KB_GREET_PAGI);
    CHECK(kb_greeting_part(kb_local_hour(t, "WIT")) == KB_GREET_PAGI);
}

static void test_greeting_keys(void)
{
    CHECK_STR(kb_greeting_key(KB_GREET_PAGI), "greet_pagi");
    CHECK_STR(kb_greeting_key(KB_GREET_SIANG), "greet_siang");
    CHECK_STR(kb_greeting_key(KB_GREET_SORE), "greet_sore");
    CHECK_STR(kb_greeting_key(KB_GREET_MALAM), "greet_malam");
    CHECK(kb_greeting_key((enum kb_greeting_part)99) == NULL);
}

/* ---- main ---------------------------------------------------------------------------------- */

int main(void)
{
    RUN(test_days_from_civil_matches_known_dates);
    RUN(test_civil_from_days_walks_every_day_1900_to_2200);
    RUN(test_civil_from_days_clamps_absurd_values);
    RUN(test_leap_years_follow_gregorian_rules);
    RUN(test_days_in_month_handles_february_and_bad_months);
    RUN(test_date_parse_accepts_only_real_iso_dates);
    RUN(test_weekday_of_dates);

    RUN(test_fmt_date_writes_day_month_year);
    RUN(test_fmt_date_refuses_bad_dates_and_small_buffers);

    RUN(test_fmt_int_groups_thousands);
    RUN(test_fmt_int_refuses_small_buffer);
    RUN(test_fmt_number_rounds_and_groups);
    RUN(test_fmt_number_rounds_half_away_from_zero_in_decimal);
    RUN(test_fmt_number_drops_the_sign_of_zero);
    RUN(test_fmt_number_refuses_non_finite_and_bad_arguments);
    RUN(test_fmt_number_handles_the_largest_double);

    RUN(test_zone_offset_knows_the_three_zones);
    RUN(test_local_date_at_1730_utc_on_new_years_eve_is_new_year_everywhere);
    RUN(test_local_date_turns_at_each_zones_own_midnight);
    RUN(test_local_date_before_the_epoch_and_on_leap_day);
    RUN(test_local_date_refuses_unknown_zone_and_absurd_instants);

    RUN(test_greeting_part_boundaries);
    RUN(test_greeting_from_an_instant_depends_on_the_zone);
    RUN(test_greeting_keys);

    return CHECK_SUMMARY();
}
