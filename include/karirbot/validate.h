/* validate: the input validators a dialog names ("nip", "date", "integer", ...). Each checks one
 * answer typed by a user and either gives its normalised value or a reason code with the
 * numbers its message needs. Pure: no I/O, no SQL, no words — the caller renders the reason's
 * locale key (kb_invalid_key) with the variables from kb_valid_vars. The one outside input is
 * the wall clock (kb_now), read only when opts->today is not given. */
#ifndef KARIRBOT_VALIDATE_H
#define KARIRBOT_VALIDATE_H

struct kb_locale;

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* No validator looks past this many bytes of input. It is above the longest message Telegram
 * delivers (4096 UTF-16 units, at most 12288 bytes of UTF-8), so only other channels (the
 * terminal) can reach KB_INVALID_TOO_LONG. */
#define KB_VALIDATE_INPUT_MAX 16384

/* Why an answer was refused. 0 is success. The last two, KB_INVALID_UNKNOWN_VALIDATOR and
 * KB_INVALID_BAD_OPTS, are programming or data errors, not the user's: log them and show a
 * generic apology. In each comment, got/want/bound name the kb_valid fields (and message
 * variables) the reason fills in; the others are 0 or "". */
enum kb_invalid {
    KB_VALID = 0,
    KB_INVALID_EMPTY,             /* nothing but whitespace */
    KB_INVALID_TOO_LONG,          /* over KB_VALIDATE_INPUT_MAX bytes; want = that limit */
    KB_INVALID_NIP_CHARS,         /* something other than digits and spaces */
    KB_INVALID_NIP_LENGTH,        /* got = digits typed, want = 18 */
    KB_INVALID_NIP_BIRTH_DATE,    /* digits 1-8 are not a plausible birth date */
    KB_INVALID_NIP_TMT,           /* digits 9-14 are not a plausible TMT CPNS (YYYYMM) */
    KB_INVALID_NIP_GENDER,        /* got = digit 15, which is neither 1 nor 2 */
    KB_INVALID_NIP_SEQUENCE,      /* digits 16-18 are 000 */
    KB_INVALID_NIP_PPPK_CHARS,    /* nip_or_ni_pppk: something other than digits and spaces */
    KB_INVALID_NIP_PPPK_LENGTH,   /* nip_or_ni_pppk: got = digits typed, want = 18 */
    KB_INVALID_DATE_FORMAT,       /* not a date in any accepted form */
    KB_INVALID_DATE_NO_SUCH_DAY,  /* got = day typed, want = last day of that month */
    KB_INVALID_DATE_TOO_EARLY,    /* bound = earliest date accepted (YYYY-MM-DD) */
    KB_INVALID_DATE_TOO_LATE,     /* bound = latest date accepted (YYYY-MM-DD) */
    KB_INVALID_INT_FORMAT,        /* not a whole number */
    KB_INVALID_INT_TOO_SMALL,     /* want = smallest accepted */
    KB_INVALID_INT_TOO_BIG,       /* want = largest accepted */
    KB_INVALID_TEXT_TOO_SHORT,    /* got = characters typed, want = minimum */
    KB_INVALID_TEXT_TOO_LONG,     /* got = characters typed, want = maximum */
    KB_INVALID_TEXT_CHARS,        /* invalid UTF-8 or a control character */
    KB_INVALID_CHOICE,            /* want = number of choices */
    KB_INVALID_YES_NO,            /* neither a yes nor a no */
    KB_INVALID_NEEDS_FILE,        /* file: text came where a photo or document was asked */
    KB_INVALID_UNKNOWN_VALIDATOR, /* programming error: no validator has that name */
    KB_INVALID_BAD_OPTS,          /* data error: opts unusable for this validator */
    KB_INVALID__COUNT
};

/* Options; zero-initialise and set what the validator uses. Strings are borrowed. */
struct kb_validate_opts {
    /* The user's local date "YYYY-MM-DD" (kb_local_date in the unit's zone): the "not in the
     * future" of nip and the "today" bound of date. NULL: today in WIT, the zone furthest
     * ahead, so no date is called future that is not future somewhere in Indonesia. */
    const char *today;
    /* integer: bounds, each used only when its has_ flag is set. */
    bool has_min, has_max;
    int64_t min, max;
    /* text: length in characters (code points) after trimming; max_len 0 means no maximum
     * but the byte limit. Empty input is always KB_INVALID_EMPTY, whatever min_len says. */
    size_t min_len, max_len;
    /* date: inclusive bounds "YYYY-MM-DD" or "today"; NULL means 1900-01-01 / 2199-12-31. */
    const char *min_date, *max_date;
    /* choice: the accepted answers, in the order the user sees them numbered from 1. */
    const char *const *choices;
    size_t nchoices;
};

struct kb_valid {
    int reason; /* enum kb_invalid, the same value kb_validate returns */
    /* Normalised answer, NUL-terminated; "" when refused:
     *   nip, nip_or_ni_pppk  the 18 digits          date     "YYYY-MM-DD"
     *   integer              decimal, e.g. "-5"     text     the trimmed text
     *   choice               the choice as listed   yes_no   "ya" or "tidak" */
    char value[KB_VALIDATE_INPUT_MAX + 1];
    /* integer: the value; yes_no: 1 or 0; choice: 0-based index into opts.choices;
     * date: days since 1970-01-01; nip_or_ni_pppk: 1 when it is also a valid NIP, else 0. */
    int64_t number;
    /* NIP gender digit: 1 (address as Bapak) or 2 (Ibu); 0 when unknown (NI PPPK). */
    int gender;
    int64_t got, want; /* numbers for the message, see enum kb_invalid */
    char bound[11];    /* date bound for TOO_EARLY / TOO_LATE, else "" */
};

/* Validates input with the validator called name. Returns 0 (KB_VALID) when it is accepted,
 * otherwise the enum kb_invalid reason; out is always filled in. opts may be NULL when the
 * validator needs none (nip, nip_or_ni_pppk, integer without bounds, text, yes_no; date
 * without a range). input NULL is treated as "". Never reads more than
 * KB_VALIDATE_INPUT_MAX + 1 bytes of input. */
int kb_validate(const char *name, const struct kb_validate_opts *opts, const char *input,
                struct kb_valid *out);

/* 1 when a validator with this name exists, else 0 (for `karirbot check`). */
int kb_validator_known(const char *name);

/* The locale key of a reason, e.g. "invalid_nip_length"; "" for KB_VALID and NULL out of
 * range. Every key from KB_INVALID_EMPTY to KB_INVALID__COUNT - 1 must exist in locales/. */
const char *kb_invalid_key(int reason);

/* Message variables of a refused answer as name/value pairs for kb_locale_render:
 * {got} and {want} with thousands separators, {bound} as a written date ("12 Januari 2027"),
 * in lang ("en" for English, anything else Indonesian). pairs points into vars itself:
 * use it before vars goes out of scope and do not copy the struct. Month names come from
 * loc. */
struct kb_valid_vars {
    const char *pairs[6];
    size_t npairs;
    char got[32], want[32], bound[40];
};
void kb_valid_vars(const struct kb_valid *v, const struct kb_locale *loc, const char *lang,
                   struct kb_valid_vars *vars);

#endif
