/* idfmt: owns calendar arithmetic (days from civil and back, after Howard Hinnant's
 * "chrono-compatible low-level date algorithms"), the formatting of dates and numbers in
 * Indonesian and English, and the local date and hour of an instant in WIB, WITA and WIT.
 *
 * Nothing here calls mktime, localtime or setlocale: results do not depend on the TZ
 * environment or the C locale of the process. */
#include "karirbot/idfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY 86400

/* Keeps civil_from_days away from int64 overflow and its year inside an int. */
#define DAYS_LIMIT ((int64_t)1 << 31)

/* Floor division and its non-negative remainder, for instants before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b; /* not a - floor_div(a, b) * b, which overflows near INT64_MIN */
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

/* Writes "" into buf (when there is room for it) and returns -1: the one failure path. */
static int fail(char *buf, size_t cap)
{
    if (buf && cap > 0)
        buf[0] = '\0';
    return -1;
}

/* ---- calendar ------------------------------------------------------------------------------ */

bool kb_is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int kb_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && kb_is_leap_year(y) ? 29 : days[m - 1];
}

int64_t kb_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;                                           /* [0, 399] */
    int64_t doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void kb_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    if (days > DAYS_LIMIT)
        days = DAYS_LIMIT;
    if (days < -DAYS_LIMIT)
        days = -DAYS_LIMIT;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
}

/* Reads n ASCII digits at s; -1 when one of them is not a digit (or is the terminating NUL). */
static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int kb_date_parse(const char *ymd, int *y, int *m, int *d)
{
    if (!ymd)
        return -1;
    /* Checked in order, so a short string stops at its NUL before anything past it is read. */
    int yy = digits_at(ymd, 4);
    if (yy < 1 || ymd[4] != '-')
        return -1;
    int mm = digits_at(ymd + 5, 2);
    if (mm < 1 || mm > 12 || ymd[7] != '-')
        return -1;
    int dd = digits_at(ymd + 8, 2);
    if (dd < 1 || dd > kb_days_in_month(yy, mm) || ymd[10] != '\0')
        return -1;
    if (y)
        *y = yy;
    if (m)
        *m = mm;
    if (d)
        *d = dd;
    return 0;
}

int kb_date_make(char out[11], int y, int m, int d)
{
    if (y < 1 || y > 9999 || d < 1 || d > kb_days_in_month(y, m))
        return fail(out, 11);
    const int parts[3][2] = {{y, 4}, {m, 2}, {d, 2}};
    char *p = out;
    for (int i = 0; i < 3; i++) {
        if (i > 0)
            *p++ = '-';
        for (int k = parts[i][1] - 1, v = parts[i][0]; k >= 0; k--, v /= 10)
            p[k] = (char)('0' + v % 10);
        p += parts[i][1];
    }
    *p = '\0';
    return 0;
}

int kb_weekday(const char *ymd)
{
    int y, m, d;
    if (kb_date_parse(ymd, &y, &m, &d) != 0)
        return -1;
    /* 1970-01-01 was a Thursday (ISO weekday 4). */
    return (int)floor_mod(kb_days_from_civil(y, m, d) + 3, 7) + 1;
}

/* ---- dates --------------------------------------------------------------------------------- */

int kb_fmt_date(char *buf, size_t cap, const char *ymd, const char *const months[12])
{
    int y, m, d;
    if (!buf || !months || kb_date_parse(ymd, &y, &m, &d) != 0 || !months[m - 1])
        return fail(buf, cap);
    int n = snprintf(buf, cap, "%d %s %d", d, months[m - 1], y);
    if (n < 0 || (size_t)n >= cap)
        return fail(buf, cap);
    return 0;
}

/* ---- numbers ------------------------------------------------------------------------------- */

/* Longest digit string we build: 309 integer digits of DBL_MAX, 9 decimals, a carry. */
#define NUM_DIGITS_MAX 330

/* Writes [-]int_digits[,frac_digits] with a thousands separator every three integer digits.
 * int_digits has nint >= 1 digits, frac_digits nfrac >= 0. */
static int put_grouped(char *buf, size_t cap, bool neg, const char *int_digits, size_t nint,
                       const char *frac_digits, size_t nfrac, char thousands, char point)
{
    size_t need = (neg ? 1 : 0) + nint + (nint - 1) / 3 + (nfrac ? 1 + nfrac : 0);
    if (!buf || need >= cap)
        return fail(buf, cap);
    size_t o = 0;
    if (neg)
        buf[o++] = '-';
    for (size_t i = 0; i < nint; i++) {
        if (i > 0 && (nint - i) % 3 == 0)
            buf[o++] = thousands;
        buf[o++] = int_digits[i];
    }
    if (nfrac) {
        buf[o++] = point;
        memcpy(buf + o, frac_digits, nfrac);
        o += nfrac;
    }
    buf[o] = '\0';
    return 0;
}

static int fmt_int(char *buf, size_t cap, int64_t v, char thousands)
{
    char digits[24];
    size_t n = 0;
    /* The magnitude as unsigned, so INT64_MIN has one too. */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (size_t i = 0; i < n / 2; i++) {
        char t = digits[i];
        digits[i] = digits[n - 1 - i];
        digits[n - 1 - i] = t;
    }
    return put_grouped(buf, cap, v < 0, digits, n, "", 0, thousands, '\0');
}

int kb_fmt_int_id(char *buf, size_t cap, int64_t v)
{
    return fmt_int(buf, cap, v, '.');
}

int kb_fmt_int_en(char *buf, size_t cap, int64_t v)
{
    return fmt_int(buf, cap, v, ',');
}

/* Rounds v to `decimals` places in decimal (not binary) arithmetic: v is first written with 15
 * significant digits, the precision a double keeps for any decimal a person typed, and the
 * digit string is then rounded half away from zero. */
static int fmt_number(char *buf, size_t cap, double v, int decimals, char thousands, char point)
{
    if (!buf || !isfinite(v) || decimals < 0 || decimals > 9)
        return fail(buf, cap);

    char sci[64];
    int n = snprintf(sci, sizeof sci, "%.14e", v);
    if (n < 0 || (size_t)n >= sizeof sci)
        return fail(buf, cap);
    /* sci is [-]d.dddddddddddddde[+-]x..: collect the 15 mantissa digits and the exponent.
     * Any non-digit before 'e' is skipped, so a locale's decimal comma does not matter. */
    bool neg = sci[0] == '-';
    char mant[16];
    int nm = 0, exp10 = 0;
    const char *p = sci + (neg ? 1 : 0);
    for (; *p && *p != 'e' && *p != 'E'; p++)
        if (*p >= '0' && *p <= '9' && nm < 15)
            mant[nm++] = *p;
    if (nm != 15 || !*p)
        return fail(buf, cap);
    p++;
    int esign = 1;
    if (*p == '+' || *p == '-')
        esign = *p++ == '-' ? -1 : 1;
    for (; *p >= '0' && *p <= '9'; p++)
        exp10 = exp10 * 10 + (*p - '0');
    exp10 *= esign; /* mant[i] has place value 10^(exp10 - i) */

    /* digits[1..] holds places from max(exp10, 0) down to -decimals; digits[0] takes a carry. */
    char digits[NUM_DIGITS_MAX];
    int top = exp10 > 0 ? exp10 : 0;
    size_t nd = 1;
    digits[0] = '0';
    for (int place = top; place >= -decimals; place--) {
        int i = exp10 - place;
        digits[nd++] = i >= 0 && i < 15 ? mant[i] : '0';
    }
    int ri = exp10 + decimals + 1; /* index in mant of the first dropped digit */
    if (ri >= 0 && ri < 15 && mant[ri] >= '5') {
        size_t i = nd;
        while (i-- > 0) {
            if (digits[i] == '9') {
                digits[i] = '0';
            } else {
                digits[i]++;
                break;
            }
        }
    }
    size_t first = digits[0] == '0' ? 1 : 0;
    size_t nint = nd - first - (size_t)decimals;
    bool nonzero = false;
    for (size_t i = first; i < nd; i++)
        nonzero |= digits[i] != '0';
    return put_grouped(buf, cap, neg && nonzero, digits + first, nint, digits + first + nint,
                       (size_t)decimals, thousands, point);
}

int kb_fmt_number_id(char *buf, size_t cap, double v, int decimals)
{
    return fmt_number(buf, cap, v, decimals, '.', ',');
}

int kb_fmt_number_en(char *buf, size_t cap, double v, int decimals)
{
    return fmt_number(buf, cap, v, decimals, ',', '.');
}

/* ---- zones --------------------------------------------------------------------------------- */

static bool ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

int kb_zone_offset(const char *zone)
{
    if (!zone)
        return -1;
    if (ascii_ieq(zone, "WIB"))
        return 7;
    if (ascii_ieq(zone, "WITA"))
        return 8;
    if (ascii_ieq(zone, "WIT"))
        return 9;
    return -1;
}

/* Splits the local time of utc_seconds in zone into whole days since 1970-01-01 and seconds
 * into that day. Adds the offset after dividing so that no instant can overflow. */
static int local_split(int64_t utc_seconds, const char *zone, int64_t *days, int64_t *secs)
{
    int off = kb_zone_offset(zone);
    if (off < 0)
        return -1;
    *days = floor_div(utc_seconds, SECONDS_PER_DAY);
    *secs = floor_mod(utc_seconds, SECONDS_PER_DAY) + (int64_t)off * 3600;
    if (*secs >= SECONDS_PER_DAY) {
        *secs -= SECONDS_PER_DAY;
        (*days)++;
    }
    return 0;
}

int kb_local_date(int64_t utc_seconds, const char *zone, char out[KB_DATE_LEN])
{
    int64_t days, secs;
    if (local_split(utc_seconds, zone, &days, &secs) != 0 || days < kb_days_from_civil(1, 1, 1) ||
        days > kb_days_from_civil(9999, 12, 31))
        return fail(out, KB_DATE_LEN);
    int y, m, d;
    kb_civil_from_days(days, &y, &m, &d);
    return kb_date_make(out, y, m, d);
}

int kb_local_hour(int64_t utc_seconds, const char *zone)
{
    int64_t days, secs;
    if (local_split(utc_seconds, zone, &days, &secs) != 0)
        return -1;
    return (int)(secs / 3600);
}

enum kb_greeting_part kb_greeting_part(int hour)
{
    int h = (int)floor_mod(hour, 24);
    if (h >= 4 && h < 11)
        return KB_GREET_PAGI;
    if (h >= 11 && h < 15)
        return KB_GREET_SIANG;
    if (h >= 15 && h < 18)
        return KB_GREET_SORE;
    return KB_GREET_MALAM;
}

const char *kb_greeting_key(enum kb_greeting_part part)
{
    switch (part) {
    case KB_GREET_PAGI:
        return "greet_pagi";
    case KB_GREET_SIANG:
        return "greet_siang";
    case KB_GREET_SORE:
        return "greet_sore";
    case KB_GREET_MALAM:
        return "greet_malam";
    }
    return NULL;
}
