/* validate: owns the checking and normalising of typed answers (NIP, NI PPPK, dates, whole
 * numbers, free text, choices, yes/no) and the names of the reasons an answer is refused.
 *
 * Every validator works on a trimmed (pointer, length) view of at most KB_VALIDATE_INPUT_MAX
 * bytes, never writes outside struct kb_valid, and compares bytes only after checking their
 * class, so invalid UTF-8, emoji or SQL text is refused like any other wrong answer. Case
 * folding is ASCII only: month names and yes/no words are ASCII, choices are Indonesian words
 * in Latin script, and folding other scripts would depend on the C locale. */
#include "karirbot/validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/utf8.h"

#define NIP_DIGITS 18
/* Plausibility bounds of a NIP, not rules from a regulation: the oldest birth year still
 * seen in records, the youngest a CPNS can be (the legal minimum is 18; 15 leaves room for
 * odd records), and how far ahead a TMT CPNS may lie: a NIP is issued with the SK CPNS,
 * which can be dated months before the TMT it sets. */
#define NIP_BIRTH_YEAR_MIN   1940
#define NIP_MIN_AGE_YEARS    15
#define NIP_TMT_AHEAD_MONTHS 12

#define DATE_MIN_DEFAULT         "1900-01-01"
#define DATE_MAX_DEFAULT         "2199-12-31"
#define DATE_TEXT_MAX            40 /* "12 Desember 2027" with generous spacing */
#define CHOICE_NUMBER_DIGITS_MAX 6
#define YES_NO_TEXT_MAX          32 /* longer than any word in yes_words and no_words */

static const char *const invalid_keys[KB_INVALID__COUNT] = {
    [KB_VALID] = "",
    [KB_INVALID_EMPTY] = "invalid_empty",
    [KB_INVALID_TOO_LONG] = "invalid_too_long",
    [KB_INVALID_NIP_CHARS] = "invalid_nip_chars",
    [KB_INVALID_NIP_LENGTH] = "invalid_nip_length",
    [KB_INVALID_NIP_BIRTH_DATE] = "invalid_nip_birth_date",
    [KB_INVALID_NIP_TMT] = "invalid_nip_tmt",
    [KB_INVALID_NIP_GENDER] = "invalid_nip_gender",
    [KB_INVALID_NIP_SEQUENCE] = "invalid_nip_sequence",
    [KB_INVALID_NIP_PPPK_CHARS] = "invalid_nip_pppk_chars",
    [KB_INVALID_NIP_PPPK_LENGTH] = "invalid_nip_pppk_length",
    [KB_INVALID_DATE_FORMAT] = "invalid_date_format",
    [KB_INVALID_DATE_NO_SUCH_DAY] = "invalid_date_no_such_day",
    [KB_INVALID_DATE_TOO_EARLY] = "invalid_date_too_early",
    [KB_INVALID_DATE_TOO_LATE] = "invalid_date_too_late",
    [KB_INVALID_INT_FORMAT] = "invalid_int_format",
    [KB_INVALID_INT_TOO_SMALL] = "invalid_int_too_small",
    [KB_INVALID_INT_TOO_BIG] = "invalid_int_too_big",
    [KB_INVALID_TEXT_TOO_SHORT] = "invalid_text_too_short",
    [KB_INVALID_TEXT_TOO_LONG] = "invalid_text_too_long",
    [KB_INVALID_TEXT_CHARS] = "invalid_text_chars",
    [KB_INVALID_CHOICE] = "invalid_choice",
    [KB_INVALID_YES_NO] = "invalid_yes_no",
    [KB_INVALID_NEEDS_FILE] = "invalid_needs_file",
    [KB_INVALID_UNKNOWN_VALIDATOR] = "invalid_unknown_validator",
    [KB_INVALID_BAD_OPTS] = "invalid_bad_opts",
};

/* ---- small helpers ------------------------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int refuse(struct kb_valid *out, int reason, int64_t got, int64_t want)
{
    out->reason = reason;
    out->value[0] = '\0';
    out->number = 0;
    out->gender = 0;
    out->got = got;
    out->want = want;
    return reason;
}

static int accept(struct kb_valid *out, const char *value, size_t n)
{
    memcpy(out->value, value, n);
    out->value[n] = '\0';
    out->reason = KB_VALID;
    return KB_VALID;
}

/* Reads n digits at s as a number; the caller has checked they are digits. */
static int num_at(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* True when a[0..an) and the string b are equal ignoring ASCII case and with every run of
 * whitespace in either taken as one space (both are already trimmed or trimmed here). */
static bool loose_eq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    while (bn && is_space(b[bn - 1]))
        bn--;
    while (bn && is_space(*b)) {
        b++;
        bn--;
    }
    size_t i = 0, j = 0;
    while (i < an && j < bn) {
        if (is_space(a[i]) && is_space(b[j])) {
            while (i < an && is_space(a[i]))
                i++;
            while (j < bn && is_space(b[j]))
                j++;
            continue;
        }
        if (lower(a[i]) != lower(b[j]))
            return false;
        i++;
        j++;
    }
    return i == an && j == bn;
}

/* The user's local date, from opts or else today in WIT. */
static int today_of(const struct kb_validate_opts *o, int *y, int *m, int *d)
{
    if (o && o->today)
        return kb_date_parse(o->today, y, m, d);
    char now[KB_DATE_LEN];
    if (kb_local_date(kb_now(), "WIT", now) != 0)
        return -1;
    return kb_date_parse(now, y, m, d);
}

/* ---- nip and nip_or_ni_pppk ---------------------------------------------------------------- */

/* Collects the digits of s[0..n), skipping spaces, tabs and no-break spaces (U+00A0, common in
 * text pasted from documents). Keeps the first 18 in digits and counts all of them in *count.
 * Returns -1 at the first other byte. */
static int collect_digits(const char *s, size_t n, char digits[NIP_DIGITS + 1], size_t *count)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i])) {
            if (k < NIP_DIGITS)
                digits[k] = s[i];
            k++;
        } else if (s[i] == ' ' || s[i] == '\t') {
            continue;
        } else if ((unsigned char)s[i] == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
            i++;
        } else {
            return -1;
        }
    }
    digits[k < NIP_DIGITS ? k : NIP_DIGITS] = '\0';
    *count = k;
    return 0;
}

/* Checks the structure of 18 digits (Perka BKN 22/2007): birth date YYYYMMDD, TMT CPNS
 * YYYYMM, gender 1/2, sequence 001-999. Returns KB_VALID or the first failing reason; *gender
 * receives the gender digit. */
static int nip_structure(const char *d, int ty, int tm, int *gender)
{
    int by = num_at(d, 4), bm = num_at(d + 4, 2), bd = num_at(d + 6, 2);
    if (by < NIP_BIRTH_YEAR_MIN || by > ty - NIP_MIN_AGE_YEARS || bd < 1 ||
        bd > kb_days_in_month(by, bm))
        return KB_INVALID_NIP_BIRTH_DATE;
    int cy = num_at(d + 8, 4), cm = num_at(d + 12, 2);
    if (cm < 1 || cm > 12 || cy < by + NIP_MIN_AGE_YEARS ||
        cy * 12 + cm > ty * 12 + tm + NIP_TMT_AHEAD_MONTHS)
        return KB_INVALID_NIP_TMT;
    *gender = d[14] - '0';
    if (*gender != 1 && *gender != 2)
        return KB_INVALID_NIP_GENDER;
    if (num_at(d + 15, 3) == 0)
        return KB_INVALID_NIP_SEQUENCE;
    return KB_VALID;
}

/* The 18 digits of a NIP or NI PPPK (spaces allowed) and today's date, or the refusal. */
static int nip_digits(const struct kb_validate_opts *o, const char *s, size_t n, int chars_reason,
                      int length_reason, char digits[NIP_DIGITS + 1], int *ty, int *tm,
                      struct kb_valid *out)
{
    size_t count;
    int td;
    if (collect_digits(s, n, digits, &count) != 0)
        return refuse(out, chars_reason, 0, 0);
    if (count != NIP_DIGITS)
        return refuse(out, length_reason, (int64_t)count, NIP_DIGITS);
    if (today_of(o, ty, tm, &td) != 0)
        return refuse(out, KB_INVALID_BAD_OPTS, 0, 0);
    return KB_VALID;
}

static int v_nip(const struct kb_validate_opts *o, const char *s, size_t n, struct kb_valid *out)
{
    char digits[NIP_DIGITS + 1];
    int ty, tm, gender = 0;
    int r = nip_digits(o, s, n, KB_INVALID_NIP_CHARS, KB_INVALID_NIP_LENGTH, digits, &ty, &tm, out);
    if (r != KB_VALID)
        return r;
    r = nip_structure(digits, ty, tm, &gender);
    if (r != KB_VALID)
        return refuse(out, r, r == KB_INVALID_NIP_GENDER ? gender : 0, 0);
    out->gender = gender;
    return accept(out, digits, NIP_DIGITS);
}

static int v_nip_or_ni_pppk(const struct kb_validate_opts *o, const char *s, size_t n,
                            struct kb_valid *out)
{
    char digits[NIP_DIGITS + 1];
    int ty, tm, gender = 0;
    int r = nip_digits(o, s, n, KB_INVALID_NIP_PPPK_CHARS, KB_INVALID_NIP_PPPK_LENGTH, digits, &ty,
                       &tm, out);
    if (r != KB_VALID)
        return r;
    /* An NI PPPK is checked for its length only, so its digits say nothing reliable about
     * gender: the salutation stays the neutral one unless the number is a well-formed NIP. */
    if (nip_structure(digits, ty, tm, &gender) == KB_VALID) {
        out->number = 1;
        out->gender = gender;
    }
    return accept(out, digits, NIP_DIGITS);
}

/* ---- date ---------------------------------------------------------------------------------- */

struct month_word {
    const char *word;
    int month;
};

/* Indonesian and English names and the abbreviations seen in Indonesian writing, including
 * the older spellings Pebruari and Nopember. Compared after ASCII lowercasing. */
static const struct month_word month_words[] = {
    {"januari", 1},   {"january", 1},  {"jan", 1},       {"februari", 2},  {"february", 2},
    {"pebruari", 2},  {"feb", 2},      {"peb", 2},       {"maret", 3},     {"march", 3},
    {"mar", 3},       {"april", 4},    {"apr", 4},       {"mei", 5},       {"may", 5},
    {"juni", 6},      {"june", 6},     {"jun", 6},       {"juli", 7},      {"july", 7},
    {"jul", 7},       {"agustus", 8},  {"august", 8},    {"agu", 8},       {"agt", 8},
    {"ags", 8},       {"aug", 8},      {"september", 9}, {"sept", 9},      {"sep", 9},
    {"oktober", 10},  {"october", 10}, {"okt", 10},      {"oct", 10},      {"november", 11},
    {"nopember", 11}, {"nov", 11},     {"nop", 11},      {"desember", 12}, {"december", 12},
    {"des", 12},      {"dec", 12},
};

static int month_from_word(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof month_words / sizeof month_words[0]; i++)
        if (strlen(month_words[i].word) == n && memcmp(month_words[i].word, w, n) == 0)
            return month_words[i].month;
    return 0;
}

struct date_token {
    char kind; /* 'd' digits, 'a' letters */
    size_t off, len;
};

/* Reads one of the accepted date forms from t[0..n) (already lowercased):
 *   D-M-YYYY, D/M/YYYY, D.M.YYYY    one separator, the same twice
 *   YYYY-M-D (and with / or .)      the same, year first
 *   D <month> YYYY                  month name or abbreviation; spaces, -, /, . or , around it
 * Fills y, m, d without checking that the day exists. Returns 0, or -1 for anything else. */
static int date_scan(const char *t, size_t n, int *y, int *m, int *d)
{
    struct date_token tok[3];
    size_t sep_off[2] = {0, 0}, sep_len[2] = {0, 0};
    size_t ntok = 0;
    for (size_t i = 0; i < n;) {
        char kind = is_digit(t[i]) ? 'd' : (t[i] >= 'a' && t[i] <= 'z') ? 'a' : 0;
        if (!kind) {
            /* A separator must sit between two tokens (input holds no NUL for strchr). */
            if (ntok == 0 || ntok == 3 || !strchr(" -/.,", t[i]))
                return -1;
            if (sep_len[ntok - 1] == 0)
                sep_off[ntok - 1] = i;
            sep_len[ntok - 1]++;
            i++;
            continue;
        }
        if (ntok == 3)
            return -1;
        size_t start = i;
        while (i < n && (kind == 'd' ? is_digit(t[i]) : (t[i] >= 'a' && t[i] <= 'z')))
            i++;
        tok[ntok++] = (struct date_token){kind, start, i - start};
    }
    if (ntok != 3)
        return -1;

    if (tok[0].kind == 'd' && tok[1].kind == 'd' && tok[2].kind == 'd') {
        if (sep_len[0] != 1 || sep_len[1] != 1 || t[sep_off[0]] != t[sep_off[1]] ||
            !strchr("-/.", t[sep_off[0]]))
            return -1;
        const struct date_token *ty = &tok[2], *tm = &tok[1], *td = &tok[0];
        if (tok[0].len == 4) {
            ty = &tok[0];
            td = &tok[2];
        }
        if (ty->len != 4 || tm->len > 2 || td->len > 2)
            return -1;
        *y = num_at(t + ty->off, ty->len);
        *m = num_at(t + tm->off, tm->len);
        *d = num_at(t + td->off, td->len);
        return 0;
    }
    if (tok[0].kind == 'd' && tok[1].kind == 'a' && tok[2].kind == 'd') {
        if (tok[0].len > 2 || tok[2].len != 4)
            return -1;
        *m = month_from_word(t + tok[1].off, tok[1].len);
        if (*m == 0)
            return -1;
        *d = num_at(t + tok[0].off, tok[0].len);
        *y = num_at(t + tok[2].off, tok[2].len);
        return 0;
    }
    return -1;
}

/* Resolves a bound from opts: NULL gives dflt, "today" the user's local date. */
static int date_bound(const struct kb_validate_opts *o, const char *bound, const char *dflt,
                      int64_t *days, char text[11])
{
    int y, m, d;
    if (!bound)
        bound = dflt;
    if (strcmp(bound, "today") == 0) {
        if (today_of(o, &y, &m, &d) != 0)
            return -1;
    } else if (kb_date_parse(bound, &y, &m, &d) != 0) {
        return -1;
    }
    *days = kb_days_from_civil(y, m, d);
    return kb_date_make(text, y, m, d);
}

static int v_date(const struct kb_validate_opts *o, const char *s, size_t n, struct kb_valid *out)
{
    int64_t lo, hi;
    char lo_text[11], hi_text[11];
    if (date_bound(o, o ? o->min_date : NULL, DATE_MIN_DEFAULT, &lo, lo_text) != 0 ||
        date_bound(o, o ? o->max_date : NULL, DATE_MAX_DEFAULT, &hi, hi_text) != 0 || lo > hi)
        return refuse(out, KB_INVALID_BAD_OPTS, 0, 0);

    char t[DATE_TEXT_MAX];
    int y, m, d;
    if (n > sizeof t)
        return refuse(out, KB_INVALID_DATE_FORMAT, 0, 0);
    for (size_t i = 0; i < n; i++)
        t[i] = lower(s[i]);
    if (date_scan(t, n, &y, &m, &d) != 0 || m < 1 || m > 12 || d < 1 || d > 31)
        return refuse(out, KB_INVALID_DATE_FORMAT, 0, 0);
    if (d > kb_days_in_month(y, m))
        return refuse(out, KB_INVALID_DATE_NO_SUCH_DAY, d, kb_days_in_month(y, m));

    int64_t days = kb_days_from_civil(y, m, d);
    if (days < lo) {
        refuse(out, KB_INVALID_DATE_TOO_EARLY, 0, 0);
        memcpy(out->bound, lo_text, sizeof out->bound);
        return out->reason;
    }
    if (days > hi) {
        refuse(out, KB_INVALID_DATE_TOO_LATE, 0, 0);
        memcpy(out->bound, hi_text, sizeof out->bound);
        return out->reason;
    }
    char value[11];
    /* Cannot fail: the date is real and not before a bound, whose year is at least 1. */
    kb_date_make(value, y, m, d);
    out->number = days;
    return accept(out, value, 10);
}

/* ---- integer ------------------------------------------------------------------------------- */

static int v_integer(const struct kb_validate_opts *o, const char *s, size_t n,
                     struct kb_valid *out)
{
    int64_t lo = o && o->has_min ? o->min : INT64_MIN;
    int64_t hi = o && o->has_max ? o->max : INT64_MAX;
    if (lo > hi)
        return refuse(out, KB_INVALID_BAD_OPTS, 0, 0);

    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i++;
    }
    if (i == n)
        return refuse(out, KB_INVALID_INT_FORMAT, 0, 0);
    /* The magnitude, saturated just above 2^63 so that overflow stays visible. */
    const uint64_t limit = (uint64_t)INT64_MAX + 1;
    uint64_t mag = 0;
    for (; i < n; i++) {
        if (!is_digit(s[i]))
            return refuse(out, KB_INVALID_INT_FORMAT, 0, 0);
        /* Past limit / 10 another digit can only overflow: saturate instead of wrapping. */
        mag = mag > limit / 10 ? limit + 1 : mag * 10 + (uint64_t)(s[i] - '0');
    }
    if (neg && mag > limit)
        return refuse(out, KB_INVALID_INT_TOO_SMALL, 0, lo);
    if (!neg && mag > (uint64_t)INT64_MAX)
        return refuse(out, KB_INVALID_INT_TOO_BIG, 0, hi);
    int64_t v = neg ? (mag == limit ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    if (v < lo)
        return refuse(out, KB_INVALID_INT_TOO_SMALL, v, lo);
    if (v > hi)
        return refuse(out, KB_INVALID_INT_TOO_BIG, v, hi);
    char value[24];
    int len = snprintf(value, sizeof value, "%" PRId64, v);
    out->number = v;
    return accept(out, value, (size_t)len);
}

/* ---- text ---------------------------------------------------------------------------------- */

/* An explicit bidirectional embedding, override or isolate (U+202A..U+202E, U+2066..U+2069,
 * E2 80 AA..AE and E2 81 A6..A9): typed text never needs one (right-to-left scripts follow the
 * implicit algorithm), and inside a card or a notice one would reorder the words after it, so a
 * title could make the date or the JP beside it read differently to the supervisor. */
static int bidi_control(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n < 3 || u[0] != 0xe2)
        return 0;
    return (u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
           (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9);
}

static int v_text(const struct kb_validate_opts *o, const char *s, size_t n, struct kb_valid *out)
{
    size_t min = o ? o->min_len : 0;
    size_t max = o && o->max_len ? o->max_len : SIZE_MAX;
    if (min > max)
        return refuse(out, KB_INVALID_BAD_OPTS, 0, 0);
    if (!kb_utf8_valid(s, n))
        return refuse(out, KB_INVALID_TEXT_CHARS, 0, 0);
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* C0 controls but tab and newline, DEL, and C1 controls (U+0080..U+009F, which
         * are C2 80..C2 9F in valid UTF-8). */
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ||
            (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0) ||
            bidi_control(s + i, n - i))
            return refuse(out, KB_INVALID_TEXT_CHARS, 0, 0);
        if ((c & 0xc0) != 0x80)
            chars++;
    }
    if (chars < min)
        return refuse(out, KB_INVALID_TEXT_TOO_SHORT, (int64_t)chars, (int64_t)min);
    if (chars > max)
        return refuse(out, KB_INVALID_TEXT_TOO_LONG, (int64_t)chars, (int64_t)max);
    return accept(out, s, n);
}

/* ---- choice -------------------------------------------------------------------------------- */

static int v_choice(const struct kb_validate_opts *o, const char *s, size_t n, struct kb_valid *out)
{
    if (!o || !o->choices || o->nchoices == 0)
        return refuse(out, KB_INVALID_BAD_OPTS, 0, 0);
    for (size_t i = 0; i < o->nchoices; i++)
        if (!o->choices[i] || strlen(o->choices[i]) > KB_VALIDATE_INPUT_MAX)
            return refuse(out, KB_INVALID_BAD_OPTS, 0, 0);

    size_t found = SIZE_MAX;
    for (size_t i = 0; i < o->nchoices && found == SIZE_MAX; i++)
        if (loose_eq(s, n, o->choices[i]))
            found = i;
    if (found == SIZE_MAX) {
        /* Its number as shown in a list: "2", also "2." or "2)". */
        size_t k = n;
        if (k > 1 && (s[k - 1] == '.' || s[k - 1] == ')'))
            k--;
        bool digits = k <= CHOICE_NUMBER_DIGITS_MAX;
        for (size_t i = 0; i < k && digits; i++)
            digits = is_digit(s[i]);
        if (digits) {
            size_t num = (size_t)num_at(s, k);
            if (num >= 1 && num <= o->nchoices)
                found = num - 1;
        }
    }
    if (found == SIZE_MAX)
        return refuse(out, KB_INVALID_CHOICE, 0, (int64_t)o->nchoices);
    out->number = (int64_t)found;
    return accept(out, o->choices[found], strlen(o->choices[found]));
}

/* ---- yes_no -------------------------------------------------------------------------------- */

/* "batal" is not here: it cancels the dialog, which is the engine's business, not an answer.
 * Informal forms (nggak, gak) are accepted because people type them, though karirbot never
 * writes them. */
static const char *const yes_words[] = {"ya",    "y",     "iya",      "yes",
                                        "ok",    "oke",   "okay",     "setuju",
                                        "benar", "betul", "ya benar", "ya setuju"};
static const char *const no_words[] = {"tidak",       "tdk",        "t",
                                       "no",          "n",          "nggak",
                                       "ngga",        "gak",        "ga",
                                       "enggak",      "engga",      "bukan",
                                       "belum",       "jangan",     "tidak setuju",
                                       "tidak benar", "tidak jadi", "tidak terima kasih"};

/* file: the answer is a photo or a document, which the engine takes before any validator
 * sees text; typed text is never one. */
static int v_file(const struct kb_validate_opts *o, const char *s, size_t n, struct kb_valid *out)
{
    (void)o;
    (void)s;
    (void)n;
    return refuse(out, KB_INVALID_NEEDS_FILE, 0, 0);
}

static int v_yes_no(const struct kb_validate_opts *o, const char *s, size_t n, struct kb_valid *out)
{
    (void)o;
    while (n && (strchr(".,!?;:", s[n - 1]) || is_space(s[n - 1])))
        n--;
    /* "Ya, benar": a comma between words counts as a space. */
    char t[YES_NO_TEXT_MAX];
    if (n > sizeof t)
        return refuse(out, KB_INVALID_YES_NO, 0, 0);
    for (size_t i = 0; i < n; i++)
        t[i] = s[i] == ',' ? ' ' : s[i];
    s = t;
    for (size_t i = 0; i < sizeof yes_words / sizeof yes_words[0]; i++)
        if (loose_eq(s, n, yes_words[i])) {
            out->number = 1;
            return accept(out, "ya", 2);
        }
    for (size_t i = 0; i < sizeof no_words / sizeof no_words[0]; i++)
        if (loose_eq(s, n, no_words[i])) {
            out->number = 0;
            return accept(out, "tidak", 5);
        }
    return refuse(out, KB_INVALID_YES_NO, 0, 0);
}

/* ---- entry points -------------------------------------------------------------------------- */

typedef int (*validator_fn)(const struct kb_validate_opts *o, const char *s, size_t n,
                            struct kb_valid *out);

static const struct {
    const char *name;
    validator_fn fn;
} validators[] = {
    {"nip", v_nip},       {"nip_or_ni_pppk", v_nip_or_ni_pppk},
    {"date", v_date},     {"integer", v_integer},
    {"text", v_text},     {"choice", v_choice},
    {"yes_no", v_yes_no}, {"file", v_file},
};

static validator_fn find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof validators / sizeof validators[0]; i++)
        if (strcmp(validators[i].name, name) == 0)
            return validators[i].fn;
    return NULL;
}

int kb_validator_known(const char *name)
{
    return find(name) != NULL;
}

int kb_validate(const char *name, const struct kb_validate_opts *opts, const char *input,
                struct kb_valid *out)
{
    out->bound[0] = '\0';
    refuse(out, KB_VALID, 0, 0);
    validator_fn fn = find(name);
    if (!fn)
        return refuse(out, KB_INVALID_UNKNOWN_VALIDATOR, 0, 0);
    if (!input)
        input = "";
    size_t n = strnlen(input, KB_VALIDATE_INPUT_MAX + 1);
    if (n > KB_VALIDATE_INPUT_MAX)
        return refuse(out, KB_INVALID_TOO_LONG, 0, KB_VALIDATE_INPUT_MAX);
    const char *s = input;
    while (n && is_space(s[n - 1]))
        n--;
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    if (n == 0)
        return refuse(out, KB_INVALID_EMPTY, 0, 0);
    return fn(opts, s, n, out);
}

const char *kb_invalid_key(int reason)
{
    if (reason < 0 || reason >= KB_INVALID__COUNT)
        return NULL;
    return invalid_keys[reason];
}

void kb_valid_vars(const struct kb_valid *v, const struct kb_locale *loc, const char *lang,
                   struct kb_valid_vars *vars)
{
    bool en = lang && strcmp(lang, "en") == 0;
    (en ? kb_fmt_int_en : kb_fmt_int_id)(vars->got, sizeof vars->got, v->got);
    (en ? kb_fmt_int_en : kb_fmt_int_id)(vars->want, sizeof vars->want, v->want);
    if (!v->bound[0] || kb_locale_date(loc, lang, v->bound, vars->bound, sizeof vars->bound) != 0)
        vars->bound[0] = '\0';
    vars->pairs[0] = "got";
    vars->pairs[1] = vars->got;
    vars->pairs[2] = "want";
    vars->pairs[3] = vars->want;
    vars->pairs[4] = "bound";
    vars->pairs[5] = vars->bound;
    vars->npairs = 3;
}
