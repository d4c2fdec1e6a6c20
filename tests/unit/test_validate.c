/* test_validate: unit tests of src/dialog/validate.c — every validator's accepted forms, every
 * reason it refuses with and the numbers it carries, date boundaries, hostile input, and the
 * reason keys and message variables the dialog engine renders.
 *
 * "Today" is fixed at 2026-06-15 through opts (or the test clock) so that results do not
 * depend on when the tests run.
 *
 * No framework: CHECK() prints file:line and the failed expression and counts the failure;
 * main() runs every test and returns non-zero when any check failed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/locale.h"
#include "karirbot/validate.h"

#include "check.h"

/* The result of the last validation: kb_valid is large, so it is not put on the stack. */
static struct kb_valid v;

static const struct kb_validate_opts today_opts = {.today = "2026-06-15"};

/* Validates input and checks that it is accepted with value `want`. */
#define ACCEPT(name, opts, input, want)                                                            \
    do {                                                                                           \
        int rc_ = kb_validate(name, opts, input, &v);                                              \
        checks_run++;                                                                              \
        if (rc_ != KB_VALID || v.reason != KB_VALID || strcmp(v.value, want) != 0) {               \
            checks_failed++;                                                                       \
            fprintf(stderr, "%s:%d: %s(\"%s\"): want accepted \"%s\", got reason %d \"%s\"\n",     \
                    __FILE__, __LINE__, name, #input, want, rc_, v.value);                         \
        }                                                                                          \
    } while (0)

/* Validates input and checks that it is refused for `reason` with the numbers got and want. */
#define REFUSE(name, opts, input, why, got_, want_)                                                \
    do {                                                                                           \
        int rc_ = kb_validate(name, opts, input, &v);                                              \
        checks_run++;                                                                              \
        if (rc_ != (why) || v.reason != (why) || v.got != (got_) || v.want != (want_) ||           \
            v.value[0] != '\0') {                                                                  \
            checks_failed++;                                                                       \
            fprintf(stderr,                                                                        \
                    "%s:%d: %s(%s): want reason %d got=%lld want=%lld, got reason %d "             \
                    "got=%lld want=%lld value \"%s\"\n",                                           \
                    __FILE__, __LINE__, name, #input, (int)(why), (long long)(got_),               \
                    (long long)(want_), rc_, (long long)v.got, (long long)v.want, v.value);        \
        }                                                                                          \
    } while (0)

/* Returns a newly allocated string of n copies of c (the caller frees it). */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* ---- nip ----------------------------------------------------------------------------------- */

static void test_nip_accepts_digits_with_or_without_spaces(void)
{
    ACCEPT("nip", &today_opts, "198503122010011002", "198503122010011002");
    CHECK(v.gender == 1);
    ACCEPT("nip", &today_opts, "19850312 201001 1 002", "198503122010011002");
    CHECK(v.gender == 1);
    ACCEPT("nip", &today_opts, "  19850312 201001 2 002 \n", "198503122010012002");
    CHECK(v.gender == 2);
    ACCEPT("nip", &today_opts, "19850312\t201001\t1\t002", "198503122010011002");
    /* A no-break space, as pasted from a document. */
    ACCEPT("nip", &today_opts,
           "19850312\xc2\xa0"
           "201001 1 002",
           "198503122010011002");
    /* Born on a leap day. */
    ACCEPT("nip", &today_opts, "198402292010011002", "198402292010011002");
}

static void test_nip_length_reason_carries_the_count_typed(void)
{
    REFUSE("nip", &today_opts, "19850312201001100", KB_INVALID_NIP_LENGTH, 17, 18);
    REFUSE("nip", &today_opts, "19850312 201001 1 00", KB_INVALID_NIP_LENGTH, 17, 18);
    REFUSE("nip", &today_opts, "1985031220100110021", KB_INVALID_NIP_LENGTH, 19, 18);
    REFUSE("nip", &today_opts, "1", KB_INVALID_NIP_LENGTH, 1, 18);
}

static void test_nip_refuses_other_characters(void)
{
    REFUSE("nip", &today_opts, "1985031220100110O2", KB_INVALID_NIP_CHARS, 0, 0);
    REFUSE("nip", &today_opts, "19850312-201001-1-002", KB_INVALID_NIP_CHARS, 0, 0);
    REFUSE("nip", &today_opts, "NIP 198503122010011002", KB_INVALID_NIP_CHARS, 0, 0);
    REFUSE("nip", &today_opts, "\xf0\x9f\x91\x8d", KB_INVALID_NIP_CHARS, 0, 0);
    /* A lone lead byte of a no-break space is not a space. */
    REFUSE("nip", &today_opts,
           "19850312\xc2"
           "201001",
           KB_INVALID_NIP_CHARS, 0, 0);
}

static void test_nip_refuses_an_impossible_birth_date(void)
{
    REFUSE("nip", &today_opts, "198502302010011002", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
    REFUSE("nip", &today_opts, "198502292010011002", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
    REFUSE("nip", &today_opts, "198513122010011002", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
    REFUSE("nip", &today_opts, "198500122010011002", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
    REFUSE("nip", &today_opts, "198503002010011002", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
    REFUSE("nip", &today_opts, "193912312010011002", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
    ACCEPT("nip", &today_opts, "194001011960011002", "194001011960011002");
}

static void test_nip_birth_year_at_most_fifteen_years_ago(void)
{
    /* Today is 2026-06-15: born in 2011 passes, in 2012 does not. */
    ACCEPT("nip", &today_opts, "201101012026061001", "201101012026061001");
    REFUSE("nip", &today_opts, "201201012027061001", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
}

static void test_nip_refuses_an_implausible_tmt(void)
{
    REFUSE("nip", &today_opts, "198503122010001002", KB_INVALID_NIP_TMT, 0, 0);
    REFUSE("nip", &today_opts, "198503122010131002", KB_INVALID_NIP_TMT, 0, 0);
    /* Before the age of fifteen (by year). */
    REFUSE("nip", &today_opts, "198503121999121002", KB_INVALID_NIP_TMT, 0, 0);
    ACCEPT("nip", &today_opts, "198503122000011002", "198503122000011002");
    /* At most twelve months after today's month (2026-06). */
    ACCEPT("nip", &today_opts, "198503122027061002", "198503122027061002");
    REFUSE("nip", &today_opts, "198503122027071002", KB_INVALID_NIP_TMT, 0, 0);
}

static void test_nip_refuses_a_bad_gender_digit_with_the_digit(void)
{
    REFUSE("nip", &today_opts, "198503122010013002", KB_INVALID_NIP_GENDER, 3, 0);
    REFUSE("nip", &today_opts, "198503122010010002", KB_INVALID_NIP_GENDER, 0, 0);
    REFUSE("nip", &today_opts, "198503122010019002", KB_INVALID_NIP_GENDER, 9, 0);
}

static void test_nip_refuses_sequence_000(void)
{
    REFUSE("nip", &today_opts, "198503122010011000", KB_INVALID_NIP_SEQUENCE, 0, 0);
    ACCEPT("nip", &today_opts, "198503122010011001", "198503122010011001");
    ACCEPT("nip", &today_opts, "198503122010011999", "198503122010011999");
}

static void test_nip_reports_the_first_failing_part(void)
{
    /* Everything after the birth date is wrong too; the birth date is reported. */
    REFUSE("nip", &today_opts, "198502302010139000", KB_INVALID_NIP_BIRTH_DATE, 0, 0);
    REFUSE("nip", &today_opts, "198503122010139000", KB_INVALID_NIP_TMT, 0, 0);
    REFUSE("nip", &today_opts, "198503122010019000", KB_INVALID_NIP_GENDER, 9, 0);
}

static void test_nip_without_today_uses_the_clock_in_wit(void)
{
    /* 2026-05-31T15:00:00Z is 2026-06-01 00:00 in WIT but still May in WIB and WITA: a TMT
     * twelve months ahead is June 2027 only in WIT. */
    kb_clock_set(1780239600);
    ACCEPT("nip", NULL, "198503122027061002", "198503122027061002");
    REFUSE("nip", NULL, "198503122027071002", KB_INVALID_NIP_TMT, 0, 0);
    kb_clock_set(0);
}

static void test_nip_refuses_bad_today_in_opts(void)
{
    struct kb_validate_opts o = {.today = "2026-13-01"};
    REFUSE("nip", &o, "198503122010011002", KB_INVALID_BAD_OPTS, 0, 0);
}

/* ---- nip_or_ni_pppk ------------------------------------------------------------------------ */

static void test_nip_or_ni_pppk_accepts_a_nip_with_gender(void)
{
    ACCEPT("nip_or_ni_pppk", &today_opts, "19850312 201001 2 002", "198503122010012002");
    CHECK(v.number == 1);
    CHECK(v.gender == 2);
}

static void test_nip_or_ni_pppk_accepts_any_18_digits_without_gender(void)
{
    ACCEPT("nip_or_ni_pppk", &today_opts, "123456789012345678", "123456789012345678");
    CHECK(v.number == 0);
    CHECK(v.gender == 0);
    ACCEPT("nip_or_ni_pppk", &today_opts, "198503122010011000", "198503122010011000");
    CHECK(v.number == 0);
    CHECK(v.gender == 0);
}

static void test_nip_or_ni_pppk_refuses_with_its_own_reasons(void)
{
    REFUSE("nip_or_ni_pppk", &today_opts, "12345678901234567", KB_INVALID_NIP_PPPK_LENGTH, 17, 18);
    REFUSE("nip_or_ni_pppk", &today_opts, "1234567890123456789", KB_INVALID_NIP_PPPK_LENGTH, 19,
           18);
    REFUSE("nip_or_ni_pppk", &today_opts, "12345678901234567x", KB_INVALID_NIP_PPPK_CHARS, 0, 0);
}

/* ---- date ---------------------------------------------------------------------------------- */

static void test_date_accepts_numeric_forms(void)
{
    ACCEPT("date", NULL, "12-01-2027", "2027-01-12");
    CHECK(v.number == 20830);
    ACCEPT("date", NULL, "12/01/2027", "2027-01-12");
    ACCEPT("date", NULL, "12.01.2027", "2027-01-12");
    ACCEPT("date", NULL, "2027-01-12", "2027-01-12");
    ACCEPT("date", NULL, "2027/1/12", "2027-01-12");
    ACCEPT("date", NULL, "1-1-2027", "2027-01-01");
    ACCEPT("date", NULL, "01/01/2027", "2027-01-01");
    ACCEPT("date", NULL, " 5.6.2027 ", "2027-06-05");
}

static void test_date_accepts_month_names_and_abbreviations(void)
{
    ACCEPT("date", NULL, "12 Januari 2027", "2027-01-12");
    ACCEPT("date", NULL, "12 jan 2027", "2027-01-12");
    ACCEPT("date", NULL, "12 JANUARI 2027", "2027-01-12");
    ACCEPT("date", NULL, "12-Jan-2027", "2027-01-12");
    ACCEPT("date", NULL, "12 Jan. 2027", "2027-01-12");
    ACCEPT("date", NULL, "12  januari,  2027", "2027-01-12");
    ACCEPT("date", NULL, "3 Februari 2027", "2027-02-03");
    ACCEPT("date", NULL, "3 Pebruari 2027", "2027-02-03");
    ACCEPT("date", NULL, "3 Maret 2027", "2027-03-03");
    ACCEPT("date", NULL, "5 Mei 2027", "2027-05-05");
    ACCEPT("date", NULL, "17 Agustus 2027", "2027-08-17");
    ACCEPT("date", NULL, "17 agu 2027", "2027-08-17");
    ACCEPT("date", NULL, "17 Agt 2027", "2027-08-17");
    ACCEPT("date", NULL, "17 August 2027", "2027-08-17");
    ACCEPT("date", NULL, "1 okt 2027", "2027-10-01");
    ACCEPT("date", NULL, "10 Nopember 2027", "2027-11-10");
    ACCEPT("date", NULL, "25 Des 2027", "2027-12-25");
    ACCEPT("date", NULL, "25 december 2027", "2027-12-25");
}

static void test_date_refuses_days_the_month_does_not_have(void)
{
    REFUSE("date", NULL, "31-02-2027", KB_INVALID_DATE_NO_SUCH_DAY, 31, 28);
    REFUSE("date", NULL, "29-02-2027", KB_INVALID_DATE_NO_SUCH_DAY, 29, 28);
    ACCEPT("date", NULL, "29-02-2028", "2028-02-29");
    ACCEPT("date", NULL, "29 Februari 2000", "2000-02-29");
    REFUSE("date", NULL, "29 Februari 2100", KB_INVALID_DATE_NO_SUCH_DAY, 29, 28);
    REFUSE("date", NULL, "31-04-2027", KB_INVALID_DATE_NO_SUCH_DAY, 31, 30);
    ACCEPT("date", NULL, "30-04-2027", "2027-04-30");
    ACCEPT("date", NULL, "31-12-2027", "2027-12-31");
}

static void test_date_refuses_what_is_not_a_date(void)
{
    static const char *const bad[] = {
        "32-01-2027",  "12-13-2027",      "00-01-2027",       "12-00-2027",  "12-01-27",
        "12-01/2027",  "12--01--2027",    "12 01 2027",       "12 januari",  "januari 2027",
        "besok",       "12 Jnauari 2027", "2027-01-12T10:00", "12-01-2027.", "-12-01-2027",
        "123-01-2027", "12-001-2027",     "12 jan 20270",     "12 ja 2027",  "12 januari 2027 2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = kb_validate("date", NULL, bad[i], &v);
        CHECK(rc == KB_INVALID_DATE_FORMAT);
        if (rc != KB_INVALID_DATE_FORMAT)
            fprintf(stderr, "  input \"%s\" gave %d\n", bad[i], rc);
    }
}

static void test_date_range_bounds_are_inclusive_and_reported(void)
{
    struct kb_validate_opts o = {.min_date = "2027-01-01", .max_date = "2027-12-31"};
    REFUSE("date", &o, "31-12-2026", KB_INVALID_DATE_TOO_EARLY, 0, 0);
    CHECK_STR(v.bound, "2027-01-01");
    ACCEPT("date", &o, "01-01-2027", "2027-01-01");
    CHECK(v.bound[0] == '\0');
    ACCEPT("date", &o, "31 Desember 2027", "2027-12-31");
    REFUSE("date", &o, "1 Januari 2028", KB_INVALID_DATE_TOO_LATE, 0, 0);
    CHECK_STR(v.bound, "2027-12-31");
}

static void test_date_range_today_is_the_users_date(void)
{
    struct kb_validate_opts o = {.today = "2026-06-15", .min_date = "today"};
    REFUSE("date", &o, "14-06-2026", KB_INVALID_DATE_TOO_EARLY, 0, 0);
    CHECK_STR(v.bound, "2026-06-15");
    ACCEPT("date", &o, "15-06-2026", "2026-06-15");
    o = (struct kb_validate_opts){.today = "2026-06-15", .max_date = "today"};
    REFUSE("date", &o, "16-06-2026", KB_INVALID_DATE_TOO_LATE, 0, 0);
    CHECK_STR(v.bound, "2026-06-15");
}

static void test_date_default_range_is_1900_to_2199(void)
{
    REFUSE("date", NULL, "31-12-1899", KB_INVALID_DATE_TOO_EARLY, 0, 0);
    CHECK_STR(v.bound, "1900-01-01");
    REFUSE("date", NULL, "0000-01-01", KB_INVALID_DATE_TOO_EARLY, 0, 0);
    ACCEPT("date", NULL, "1-1-1900", "1900-01-01");
    ACCEPT("date", NULL, "31-12-2199", "2199-12-31");
    REFUSE("date", NULL, "01-01-2200", KB_INVALID_DATE_TOO_LATE, 0, 0);
    CHECK_STR(v.bound, "2199-12-31");
}

static void test_date_refuses_bad_range_opts(void)
{
    struct kb_validate_opts o = {.min_date = "2027-02-30"};
    REFUSE("date", &o, "12-01-2027", KB_INVALID_BAD_OPTS, 0, 0);
    o = (struct kb_validate_opts){.min_date = "2028-01-01", .max_date = "2027-01-01"};
    REFUSE("date", &o, "12-01-2027", KB_INVALID_BAD_OPTS, 0, 0);
    o = (struct kb_validate_opts){.max_date = "tomorrow"};
    REFUSE("date", &o, "12-01-2027", KB_INVALID_BAD_OPTS, 0, 0);
}

/* ---- integer ------------------------------------------------------------------------------- */

static void test_integer_accepts_whole_numbers(void)
{
    ACCEPT("integer", NULL, "20", "20");
    CHECK(v.number == 20);
    ACCEPT("integer", NULL, " 20 ", "20");
    ACCEPT("integer", NULL, "-5", "-5");
    CHECK(v.number == -5);
    ACCEPT("integer", NULL, "+7", "7");
    ACCEPT("integer", NULL, "007", "7");
    ACCEPT("integer", NULL, "-0", "0");
    ACCEPT("integer", NULL, "9223372036854775807", "9223372036854775807");
    CHECK(v.number == INT64_MAX);
    ACCEPT("integer", NULL, "-9223372036854775808", "-9223372036854775808");
    CHECK(v.number == INT64_MIN);
}

static void test_integer_refuses_what_is_not_a_whole_number(void)
{
    static const char *const bad[] = {"2.5",
                                      "2,5",
                                      "abc",
                                      "20 JP",
                                      "2 0",
                                      "-",
                                      "+",
                                      "--5",
                                      "0x10",
                                      "1.000",
                                      "1e3",
                                      "\xd9\xa3" /* ٣ */,
                                      "\xef\xbc\x92" /* fullwidth 2 */,
                                      "5-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = kb_validate("integer", NULL, bad[i], &v);
        CHECK(rc == KB_INVALID_INT_FORMAT);
        if (rc != KB_INVALID_INT_FORMAT)
            fprintf(stderr, "  input \"%s\" gave %d\n", bad[i], rc);
    }
}

static void test_integer_bounds_carry_value_and_bound(void)
{
    struct kb_validate_opts o = {.has_min = true, .min = 1, .has_max = true, .max = 100};
    REFUSE("integer", &o, "0", KB_INVALID_INT_TOO_SMALL, 0, 1);
    REFUSE("integer", &o, "-3", KB_INVALID_INT_TOO_SMALL, -3, 1);
    ACCEPT("integer", &o, "1", "1");
    ACCEPT("integer", &o, "100", "100");
    REFUSE("integer", &o, "101", KB_INVALID_INT_TOO_BIG, 101, 100);
    /* Only the bound that is set applies. */
    o = (struct kb_validate_opts){.has_max = true, .max = 24};
    ACCEPT("integer", &o, "-1000", "-1000");
    REFUSE("integer", &o, "25", KB_INVALID_INT_TOO_BIG, 25, 24);
}

static void test_integer_overflow_is_out_of_range(void)
{
    REFUSE("integer", NULL, "9223372036854775808", KB_INVALID_INT_TOO_BIG, 0, INT64_MAX);
    REFUSE("integer", NULL, "-9223372036854775809", KB_INVALID_INT_TOO_SMALL, 0, INT64_MIN);
    REFUSE("integer", NULL, "99999999999999999999999999", KB_INVALID_INT_TOO_BIG, 0, INT64_MAX);
    /* 2^64 and 2^64 + 1 would wrap to 0 and 1 in unsigned arithmetic. */
    REFUSE("integer", NULL, "18446744073709551616", KB_INVALID_INT_TOO_BIG, 0, INT64_MAX);
    REFUSE("integer", NULL, "-18446744073709551617", KB_INVALID_INT_TOO_SMALL, 0, INT64_MIN);
    struct kb_validate_opts o = {.has_max = true, .max = 100};
    char *huge = repeat('9', 5000);
    REFUSE("integer", &o, huge, KB_INVALID_INT_TOO_BIG, 0, 100);
    free(huge);
}

static void test_integer_refuses_min_above_max(void)
{
    struct kb_validate_opts o = {.has_min = true, .min = 10, .has_max = true, .max = 5};
    REFUSE("integer", &o, "7", KB_INVALID_BAD_OPTS, 0, 0);
}

/* ---- text ---------------------------------------------------------------------------------- */

static void test_text_trims_and_keeps_inner_newlines_and_tabs(void)
{
    ACCEPT("text", NULL, "  Halo dunia \n", "Halo dunia");
    ACCEPT("text", NULL, "baris 1\nbaris 2\tx", "baris 1\nbaris 2\tx");
    ACCEPT("text", NULL, "\r\nKursus Analisis Data\r\n", "Kursus Analisis Data");
}

static void test_text_counts_code_points_not_bytes(void)
{
    struct kb_validate_opts o = {.min_len = 3, .max_len = 3};
    /* ñé: 2 code points in 4 bytes; ñéü: 3 in 6; a thumbs-up emoji is 1 in 4 bytes. */
    REFUSE("text", &o, "\xc3\xb1\xc3\xa9", KB_INVALID_TEXT_TOO_SHORT, 2, 3);
    ACCEPT("text", &o, "\xc3\xb1\xc3\xa9\xc3\xbc", "\xc3\xb1\xc3\xa9\xc3\xbc");
    REFUSE("text", &o,
           "\xc3\xb1\xc3\xa9\xc3\xbc"
           "a",
           KB_INVALID_TEXT_TOO_LONG, 4, 3);
    ACCEPT("text", &o, "ok\xf0\x9f\x91\x8d", "ok\xf0\x9f\x91\x8d");
}

static void test_text_length_counts_after_trimming(void)
{
    struct kb_validate_opts o = {.min_len = 5, .max_len = 10};
    REFUSE("text", &o, "   abcd    ", KB_INVALID_TEXT_TOO_SHORT, 4, 5);
    ACCEPT("text", &o, "      abcdefghij      ", "abcdefghij");
    REFUSE("text", &o, "abcdefghijk", KB_INVALID_TEXT_TOO_LONG, 11, 10);
}

static void test_text_refuses_invalid_utf8_and_control_characters(void)
{
    static const char *const bad[] = {
        "abc\xff",
        "\xc0\xaf",
        "ab\xe2\x82",
        "\xed\xa0\x80" /* surrogate */,
        "a\x01z",
        "\x1b[31mred",
        "a\x7f",
        "a\xc2\x85z" /* NEL, C1 */,
        "line\rover",
        "\xf4\x90\x80\x80" /* > U+10FFFF */,
        "a\x0b"
        "b",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = kb_validate("text", NULL, bad[i], &v);
        CHECK(rc == KB_INVALID_TEXT_CHARS);
        if (rc != KB_INVALID_TEXT_CHARS)
            fprintf(stderr, "  input %zu gave %d\n", i, rc);
    }
    /* U+00A0 and U+00FF start with C2/C3 but are not controls. */
    ACCEPT("text", NULL, "a\xc2\xa0z", "a\xc2\xa0z");
}

static void test_text_refuses_empty_whatever_min_len(void)
{
    REFUSE("text", NULL, "", KB_INVALID_EMPTY, 0, 0);
    REFUSE("text", NULL, " \n\t ", KB_INVALID_EMPTY, 0, 0);
    ACCEPT("text", NULL, "x", "x");
}

static void test_text_refuses_min_above_max(void)
{
    struct kb_validate_opts o = {.min_len = 5, .max_len = 3};
    REFUSE("text", &o, "abcd", KB_INVALID_BAD_OPTS, 0, 0);
}

/* ---- choice -------------------------------------------------------------------------------- */

static const char *const forms[] = {"Klasikal", "E-learning", "Magang"};

static void test_choice_matches_text_ignoring_case_and_spaces(void)
{
    struct kb_validate_opts o = {.choices = forms, .nchoices = 3};
    ACCEPT("choice", &o, "klasikal", "Klasikal");
    CHECK(v.number == 0);
    ACCEPT("choice", &o, "  MAGANG ", "Magang");
    CHECK(v.number == 2);
    ACCEPT("choice", &o, "e-LEARNING", "E-learning");
    CHECK(v.number == 1);
    static const char *const two_words[] = {"Pelatihan Teknis", "Seminar"};
    o = (struct kb_validate_opts){.choices = two_words, .nchoices = 2};
    ACCEPT("choice", &o, "pelatihan \t  teknis", "Pelatihan Teknis");
}

static void test_choice_matches_its_number(void)
{
    struct kb_validate_opts o = {.choices = forms, .nchoices = 3};
    ACCEPT("choice", &o, "2", "E-learning");
    CHECK(v.number == 1);
    ACCEPT("choice", &o, "3.", "Magang");
    ACCEPT("choice", &o, " 1) ", "Klasikal");
    ACCEPT("choice", &o, "03", "Magang");
}

static void test_choice_text_match_wins_over_number(void)
{
    static const char *const years[] = {"2024", "2025", "1"};
    struct kb_validate_opts o = {.choices = years, .nchoices = 3};
    ACCEPT("choice", &o, "2025", "2025");
    CHECK(v.number == 1);
    ACCEPT("choice", &o, "1", "1");
    CHECK(v.number == 2);
    ACCEPT("choice", &o, "2", "2025");
}

static void test_choice_refuses_others_with_the_number_of_choices(void)
{
    struct kb_validate_opts o = {.choices = forms, .nchoices = 3};
    REFUSE("choice", &o, "4", KB_INVALID_CHOICE, 0, 3);
    REFUSE("choice", &o, "0", KB_INVALID_CHOICE, 0, 3);
    REFUSE("choice", &o, "-1", KB_INVALID_CHOICE, 0, 3);
    REFUSE("choice", &o, "Mag", KB_INVALID_CHOICE, 0, 3);
    REFUSE("choice", &o, "Magang!", KB_INVALID_CHOICE, 0, 3);
    REFUSE("choice", &o, "0000002", KB_INVALID_CHOICE, 0, 3);
    REFUSE("choice", &o, "99999999999999999999", KB_INVALID_CHOICE, 0, 3);
    REFUSE("choice", &o, ".", KB_INVALID_CHOICE, 0, 3);
}

static void test_choice_refuses_bad_opts(void)
{
    REFUSE("choice", NULL, "1", KB_INVALID_BAD_OPTS, 0, 0);
    struct kb_validate_opts o = {.choices = forms, .nchoices = 0};
    REFUSE("choice", &o, "1", KB_INVALID_BAD_OPTS, 0, 0);
    static const char *const with_null[] = {"a", NULL};
    o = (struct kb_validate_opts){.choices = with_null, .nchoices = 2};
    REFUSE("choice", &o, "a", KB_INVALID_BAD_OPTS, 0, 0);
}

/* ---- yes_no -------------------------------------------------------------------------------- */

static void test_yes_no_understands_yes(void)
{
    static const char *const yes[] = {"ya",         "Ya",       "YA!",  "iya.",      "y",
                                      "ok",         "Oke",      "okay", "setuju",    "benar",
                                      "Betul!",     "yes",      " ya ", "ya benar.", "ya   setuju",
                                      "Ya, benar.", "ya,setuju"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        ACCEPT("yes_no", NULL, yes[i], "ya");
        CHECK(v.number == 1);
    }
}

static void test_yes_no_understands_no(void)
{
    static const char *const no[] = {"tidak",      "Tidak.",
                                     "TDK",        "t",
                                     "no",         "n",
                                     "nggak",      "gak",
                                     "ga",         "enggak",
                                     "bukan",      "belum!!",
                                     "jangan",     "tidak setuju",
                                     "tidak jadi", "Tidak, terima kasih."};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        ACCEPT("yes_no", NULL, no[i], "tidak");
        CHECK(v.number == 0);
    }
}

static void test_yes_no_refuses_everything_else(void)
{
    static const char *const bad[] = {"batal", "mungkin",   "ya tidak", "yaa",
                                      "?",     "...",       "tidak?ya", "\xf0\x9f\x91\x8d",
                                      "1",     "ya tidak,", ", ya"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = kb_validate("yes_no", NULL, bad[i], &v);
        CHECK(rc == KB_INVALID_YES_NO);
        if (rc != KB_INVALID_YES_NO)
            fprintf(stderr, "  input \"%s\" gave %d\n", bad[i], rc);
    }
}

/* ---- every validator ----------------------------------------------------------------------- */

static const char *const names[] = {"nip",  "nip_or_ni_pppk", "date",  "integer",
                                    "text", "choice",         "yes_no"};

static void test_validator_known_lists_exactly_the_validators(void)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(kb_validator_known(names[i]) == 1);
    CHECK(kb_validator_known("NIP") == 0);
    CHECK(kb_validator_known("email") == 0);
    CHECK(kb_validator_known("") == 0);
    CHECK(kb_validator_known(NULL) == 0);
}

static void test_unknown_validator_is_a_reason(void)
{
    REFUSE("email", NULL, "a@b.c", KB_INVALID_UNKNOWN_VALIDATOR, 0, 0);
    CHECK(kb_validate(NULL, NULL, "x", &v) == KB_INVALID_UNKNOWN_VALIDATOR);
    CHECK(v.reason == KB_INVALID_UNKNOWN_VALIDATOR);
}

static void test_empty_input_is_empty_for_every_validator(void)
{
    struct kb_validate_opts o = {.choices = forms, .nchoices = 3, .today = "2026-06-15"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        REFUSE(names[i], &o, "", KB_INVALID_EMPTY, 0, 0);
        REFUSE(names[i], &o, " \t\r\n ", KB_INVALID_EMPTY, 0, 0);
        REFUSE(names[i], &o, NULL, KB_INVALID_EMPTY, 0, 0);
    }
}

static void test_input_over_the_byte_limit_is_too_long_for_every_validator(void)
{
    struct kb_validate_opts o = {.choices = forms, .nchoices = 3, .today = "2026-06-15"};
    char *big = repeat('a', KB_VALIDATE_INPUT_MAX + 1);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        REFUSE(names[i], &o, big, KB_INVALID_TOO_LONG, 0, KB_VALIDATE_INPUT_MAX);
    free(big);
    /* Exactly at the limit is looked at. */
    char *edge = repeat('a', KB_VALIDATE_INPUT_MAX);
    CHECK(kb_validate("text", NULL, edge, &v) == KB_VALID);
    CHECK(strlen(v.value) == KB_VALIDATE_INPUT_MAX);
    free(edge);
}

static void test_five_thousand_characters_get_exact_counts(void)
{
    char *digits = repeat('1', 5000);
    REFUSE("nip", &today_opts, digits, KB_INVALID_NIP_LENGTH, 5000, 18);
    free(digits);
    char *text = repeat('a', 5000);
    struct kb_validate_opts o = {.max_len = 1000};
    REFUSE("text", &o, text, KB_INVALID_TEXT_TOO_LONG, 5000, 1000);
    REFUSE("date", NULL, text, KB_INVALID_DATE_FORMAT, 0, 0);
    REFUSE("yes_no", NULL, text, KB_INVALID_YES_NO, 0, 0);
    ACCEPT("text", NULL, text, text);
    free(text);
}

static void test_sql_text_is_just_text(void)
{
    const char *sql = "'; DROP TABLE pegawai; --";
    struct kb_validate_opts o = {.choices = forms, .nchoices = 3, .today = "2026-06-15"};
    REFUSE("nip", &o, sql, KB_INVALID_NIP_CHARS, 0, 0);
    REFUSE("nip_or_ni_pppk", &o, sql, KB_INVALID_NIP_PPPK_CHARS, 0, 0);
    REFUSE("date", &o, sql, KB_INVALID_DATE_FORMAT, 0, 0);
    REFUSE("integer", &o, sql, KB_INVALID_INT_FORMAT, 0, 0);
    REFUSE("choice", &o, sql, KB_INVALID_CHOICE, 0, 3);
    REFUSE("yes_no", &o, sql, KB_INVALID_YES_NO, 0, 0);
    ACCEPT("text", &o, sql, sql);
}

static void test_refusal_clears_the_previous_answer(void)
{
    ACCEPT("nip", &today_opts, "198503122010012002", "198503122010012002");
    CHECK(v.gender == 2);
    REFUSE("nip", &today_opts, "1985", KB_INVALID_NIP_LENGTH, 4, 18);
    CHECK(v.gender == 0);
    CHECK(v.number == 0);
    struct kb_validate_opts o = {.max_date = "2027-01-01"};
    REFUSE("date", &o, "2-1-2027", KB_INVALID_DATE_TOO_LATE, 0, 0);
    REFUSE("date", &o, "1-1-2027x", KB_INVALID_DATE_FORMAT, 0, 0);
    CHECK(v.bound[0] == '\0');
}

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

static void test_random_bytes_keep_every_contract(void)
{
    /* Bytes biased towards the interesting ones: digits, separators, letters, UTF-8 leads. */
    static const char alphabet[] = "0123456789 -/.,:ayYtTjJ\t\n\r\x01\x7f\x80\xbf\xc2\xa0\xe2\xf0"
                                   "\xf4\xff";
    struct kb_validate_opts o = {.choices = forms,
                                 .nchoices = 3,
                                 .today = "2026-06-15",
                                 .min_len = 2,
                                 .max_len = 20,
                                 .has_min = true,
                                 .min = -50,
                                 .has_max = true,
                                 .max = 50};
    char input[80];
    int broken = 0, accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = rng() % (sizeof input - 1);
        for (size_t i = 0; i < n; i++)
            input[i] = alphabet[rng() % (sizeof alphabet - 1)];
        input[n] = '\0';
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            int rc = kb_validate(names[k], &o, input, &v);
            if (rc != v.reason || rc < 0 || rc >= KB_INVALID__COUNT)
                broken++;
            else if (rc == KB_VALID && (v.value[0] == '\0' || v.bound[0] != '\0'))
                broken++;
            else if (rc != KB_VALID && v.value[0] != '\0')
                broken++;
            accepted += rc == KB_VALID;
        }
    }
    CHECK(broken == 0);
    CHECK(accepted > 0); /* the generator does reach accepted answers */
}

/* ---- reason keys and message variables ------------------------------------------------------ */

static void test_every_reason_has_a_distinct_locale_key(void)
{
    CHECK_STR(kb_invalid_key(KB_VALID), "");
    CHECK(kb_invalid_key(KB_INVALID__COUNT) == NULL);
    CHECK(kb_invalid_key(-1) == NULL);
    CHECK_STR(kb_invalid_key(KB_INVALID_NIP_LENGTH), "invalid_nip_length");
    int bad = 0;
    for (int r = 1; r < KB_INVALID__COUNT; r++) {
        const char *k = kb_invalid_key(r);
        if (!k || strncmp(k, "invalid_", 8) != 0 || strlen(k) <= 8)
            bad++;
        for (int s = 1; k && s < r; s++)
            if (kb_invalid_key(s) && strcmp(kb_invalid_key(s), k) == 0)
                bad++;
    }
    CHECK(bad == 0);
}

static void test_valid_vars_in_indonesian_and_english(void)
{
    /* The shipped catalogs: month names are words people read, so they live in locales/. */
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    CHECK(loc != NULL);
    if (!loc)
        return;
    struct kb_valid_vars vars;
    REFUSE("nip", &today_opts, "19850312201001100", KB_INVALID_NIP_LENGTH, 17, 18);
    kb_valid_vars(&v, loc, "id", &vars);
    CHECK(vars.npairs == 3);
    CHECK_STR(vars.pairs[0], "got");
    CHECK_STR(vars.pairs[1], "17");
    CHECK_STR(vars.pairs[2], "want");
    CHECK_STR(vars.pairs[3], "18");
    CHECK_STR(vars.pairs[4], "bound");
    CHECK_STR(vars.pairs[5], "");

    char *text = repeat('a', 5000);
    struct kb_validate_opts o = {.max_len = 1000};
    REFUSE("text", &o, text, KB_INVALID_TEXT_TOO_LONG, 5000, 1000);
    free(text);
    kb_valid_vars(&v, loc, "id", &vars);
    CHECK_STR(vars.pairs[1], "5.000");
    CHECK_STR(vars.pairs[3], "1.000");
    kb_valid_vars(&v, loc, "en", &vars);
    CHECK_STR(vars.pairs[1], "5,000");

    o = (struct kb_validate_opts){.min_date = "2027-01-01"};
    REFUSE("date", &o, "31-12-2026", KB_INVALID_DATE_TOO_EARLY, 0, 0);
    kb_valid_vars(&v, loc, "id", &vars);
    CHECK_STR(vars.pairs[5], "1 Januari 2027");
    kb_valid_vars(&v, loc, "en", &vars);
    CHECK_STR(vars.pairs[5], "1 January 2027");
    kb_valid_vars(&v, loc, NULL, &vars);
    CHECK_STR(vars.pairs[5], "1 Januari 2027");
    kb_locale_free(loc);
}

static void test_every_reason_has_a_message_in_both_locales(void)
{
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    CHECK(loc != NULL);
    if (!loc)
        return;
    for (int r = KB_INVALID_EMPTY; r < KB_INVALID__COUNT; r++) {
        const char *key = kb_invalid_key(r);
        for (int lang = 0; lang < 2; lang++) {
            char *text = kb_locale_render(loc, lang ? "en" : "id", key, NULL, 0);
            CHECK(text && strcmp(text, key) != 0); /* the key itself means it is missing */
            free(text);
        }
    }
    kb_locale_free(loc);
}

/* ---- main ---------------------------------------------------------------------------------- */

int main(void)
{
    RUN(test_nip_accepts_digits_with_or_without_spaces);
    RUN(test_nip_length_reason_carries_the_count_typed);
    RUN(test_nip_refuses_other_characters);
    RUN(test_nip_refuses_an_impossible_birth_date);
    RUN(test_nip_birth_year_at_most_fifteen_years_ago);
    RUN(test_nip_refuses_an_implausible_tmt);
    RUN(test_nip_refuses_a_bad_gender_digit_with_the_digit);
    RUN(test_nip_refuses_sequence_000);
    RUN(test_nip_reports_the_first_failing_part);
    RUN(test_nip_without_today_uses_the_clock_in_wit);
    RUN(test_nip_refuses_bad_today_in_opts);

    RUN(test_nip_or_ni_pppk_accepts_a_nip_with_gender);
    RUN(test_nip_or_ni_pppk_accepts_any_18_digits_without_gender);
    RUN(test_nip_or_ni_pppk_refuses_with_its_own_reasons);

    RUN(test_date_accepts_numeric_forms);
    RUN(test_date_accepts_month_names_and_abbreviations);
    RUN(test_date_refuses_days_the_month_does_not_have);
    RUN(test_date_refuses_what_is_not_a_date);
    RUN(test_date_range_bounds_are_inclusive_and_reported);
    RUN(test_date_range_today_is_the_users_date);
    RUN(test_date_default_range_is_1900_to_2199);
    RUN(test_date_refuses_bad_range_opts);

    RUN(test_integer_accepts_whole_numbers);
    RUN(test_integer_refuses_what_is_not_a_whole_number);
    RUN(test_integer_bounds_carry_value_and_bound);
    RUN(test_integer_overflow_is_out_of_range);
    RUN(test_integer_refuses_min_above_max);

    RUN(test_text_trims_and_keeps_inner_newlines_and_tabs);
    RUN(test_text_counts_code_points_not_bytes);
    RUN(test_text_length_counts_after_trimming);
    RUN(test_text_refuses_invalid_utf8_and_control_characters);
    RUN(test_text_refuses_empty_whatever_min_len);
    RUN(test_text_refuses_min_above_max);

    RUN(test_choice_matches_text_ignoring_case_and_spaces);
    RUN(test_choice_matches_its_number);
    RUN(test_choice_text_match_wins_over_number);
    RUN(test_choice_refuses_others_with_the_number_of_choices);
    RUN(test_choice_refuses_bad_opts);

    RUN(test_yes_no_understands_yes);
    RUN(test_yes_no_understands_no);
    RUN(test_yes_no_refuses_everything_else);

    RUN(test_validator_known_lists_exactly_the_validators);
    RUN(test_unknown_validator_is_a_reason);
    RUN(test_empty_input_is_empty_for_every_validator);
    RUN(test_input_over_the_byte_limit_is_too_long_for_every_validator);
    RUN(test_five_thousand_characters_get_exact_counts);
    RUN(test_sql_text_is_just_text);
    RUN(test_refusal_clears_the_previous_answer);
    RUN(test_random_bytes_keep_every_contract);

    RUN(test_every_reason_has_a_distinct_locale_key);
    RUN(test_valid_vars_in_indonesian_and_english);
    RUN(test_every_reason_has_a_message_in_both_locales);

    return CHECK_SUMMARY();
}
