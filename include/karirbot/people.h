/* people: employees as HR imports them, their units, and the link between an employee and a
 * Telegram account (store/people.c). Every other area names people by employee id. */
#ifndef KARIRBOT_PEOPLE_H
#define KARIRBOT_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/store.h"

struct kb_person {
    int64_t id;
    char nip[24];
    char name[128];
    char asn_kind[8];   /* PNS, CPNS, PPPK */
    char grade[8];      /* III/a, or IX for PPPK */
    char tmt_grade[11]; /* YYYY-MM-DD or "" */
    char education[16];
    char position[128];
    char position_kind[16]; /* pelaksana, fungsional, struktural or "" */
    char unit[128];
    char zone[8];          /* the employee's, else the unit's: WIB, WITA or WIT */
    int unit_workdays;     /* 5 or 6 */
    int64_t supervisor_id; /* 0: none recorded */
    char perf_last[32], perf_prev[32];
    double credit_points; /* < 0: unknown */
    int stlud;            /* 1, 0, or -1 unknown */
    int64_t chat_id;      /* the linked chat, 0 when not linked */
    int64_t unit_hr_id;   /* the HR officer of the unit (units.hr_employee_id), 0 when none */
};

/* Each sets *found (0: no such person; p untouched). */
int kb_person_by_id(struct kb_store *st, int64_t id, struct kb_person *p, int *found);
int kb_person_by_nip(struct kb_store *st, const char *nip, struct kb_person *p, int *found);
/* The employee linked to a Telegram account. */
int kb_person_by_user(struct kb_store *st, int64_t user_id, struct kb_person *p, int *found);

/* "sal_bapak", "sal_ibu" or "sal_unknown": the locale key of the salutation, from the gender
 * digit (the 15th) of a PNS NIP; PPPK numbers carry no such digit. */
const char *kb_person_salutation_key(const struct kb_person *p);

/* Units: their zone (WIB, WITA, WIT) and working days per week (5 or 6), which decide when
 * reminders go out and how working days are counted. */
struct kb_unit_row {
    char name[128];
    char zone[8];
    int workdays;
    int employees; /* active ones */
};
/* Changes the zone (NULL: keep) and working days (0: keep) of the unit called name; *found 0
 * when there is no such unit. */
int kb_unit_update(struct kb_store *st, const char *name, const char *zone, int workdays,
                   int *found);
/* The units by name, at most cap. */
int kb_units_list(struct kb_store *st, struct kb_unit_row *rows, int cap, int *n);

/* Links: one account per employee and one employee per account. */
int kb_link_set(struct kb_store *st, int64_t employee_id, int64_t user_id, int64_t chat_id,
                int64_t now);
int kb_link_clear_user(struct kb_store *st, int64_t user_id, int *removed);

/* ---- activation codes ------------------------------------------------------------------------
 * HR issues a one-time code per employee (`karirbot invite`); the employee sends it to the bot
 * (a deep link /start CODE, or typed) to link their Telegram account. A code is KB_CODE_LEN
 * characters of Crockford's base 32 (0-9 and A-Z without I, L, O, U: 50 random bits), shown
 * grouped as "K7QF-M2XP-9H". Only its hash is stored. */
#define KB_CODE_LEN      10
#define KB_CODE_SHOWN    13 /* "K7QF-M2XP-9H" and its NUL */
#define KB_CODE_HASH_LEN 32
#define KB_CODE_HASH_HEX (2 * KB_CODE_HASH_LEN + 1)

/* Reads a code as someone typed it: case, spaces, dashes and dots are ignored, O is read as 0
 * and I or L as 1. Returns 0 with the KB_CODE_LEN canonical characters in out, or -1 when the
 * text cannot be a code (then out is ""). */
int kb_code_normalize(const char *typed, char out[KB_CODE_LEN + 1]);
/* The canonical code grouped for people to read and type: "K7QF-M2XP-9H". */
void kb_code_group(const char *code, char out[KB_CODE_SHOWN]);
/* The stored form of a canonical code. Returns 0, or -1 when libsodium cannot start. */
int kb_code_hash(const char *code, unsigned char hash[KB_CODE_HASH_LEN]);
void kb_code_hash_hex(const unsigned char hash[KB_CODE_HASH_LEN], char hex[KB_CODE_HASH_HEX]);
/* Returns 0, or -1 when hex is not exactly the 64 hex digits of a hash. */
int kb_code_hash_from_hex(const char *hex, unsigned char hash[KB_CODE_HASH_LEN]);

/* Issues a new random code for the employee, valid until expires_at, and revokes the
 * employee's earlier unused codes. The canonical code is written to code (the caller shows it
 * once; it is stored nowhere). Run it inside a write transaction. */
int kb_code_issue(struct kb_store *st, int64_t employee_id, int64_t now, int64_t expires_at,
                  char code[KB_CODE_LEN + 1]);

enum kb_code_state {
    KB_CODE_UNKNOWN = 0, /* no such code */
    KB_CODE_VALID = 1,
    KB_CODE_USED = 2,    /* it linked an account already */
    KB_CODE_EXPIRED = 3, /* past its expiry, or replaced by a newer code for the employee */
};
/* Looks a code up by its hash at now: *state is a kb_code_state, *employee_id its employee (0
 * when unknown). */
int kb_code_find(struct kb_store *st, const unsigned char hash[KB_CODE_HASH_LEN], int64_t now,
                 int *state, int64_t *employee_id);
/* Marks a code used by user_id; *changed is 0 when it was not valid any more. */
int kb_code_use(struct kb_store *st, const unsigned char hash[KB_CODE_HASH_LEN], int64_t user_id,
                int64_t now, int *changed);

/* Wrong codes tried, for the rate limits of linking. Adding one also deletes a few rows older
 * than prune_before, so the table never holds more than the windows need. */
int kb_link_attempt_add(struct kb_store *st, int64_t chat_id, int64_t now, int64_t prune_before);
/* Wrong tries at or after since: of one chat, or (chat_id 0) of all chats. */
int kb_link_attempts_count(struct kb_store *st, int64_t chat_id, int64_t since, int *count);

/* Replaces the text of the chat's latest conversation-log row (the message being handled, logged
 * in the same transaction) with a placeholder, which keeps "/start" when was_start: what someone
 * sent as an activation code is never kept. */
int kb_link_redact_input(struct kb_store *st, int64_t chat_id, int was_start);

/* The bot's Telegram username (without '@'), as the service learnt it from getMe, for the deep
 * links `karirbot invite` prints; "" when never learnt. */
int kb_bot_username_get(struct kb_store *st, char *out, size_t cap);
int kb_bot_username_set(struct kb_store *st, const char *username);

#endif
