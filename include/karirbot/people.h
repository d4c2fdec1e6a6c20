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
};

/* Each sets *found (0: no such person; p untouched). */
int kb_person_by_id(struct kb_store *st, int64_t id, struct kb_person *p, int *found);
int kb_person_by_nip(struct kb_store *st, const char *nip, struct kb_person *p, int *found);
/* The employee linked to a Telegram account. */
int kb_person_by_user(struct kb_store *st, int64_t user_id, struct kb_person *p, int *found);

/* "sal_bapak", "sal_ibu" or "sal_unknown": the locale key of the salutation, from the gender
 * digit (the 15th) of a PNS NIP; PPPK numbers carry no such digit. */
const char *kb_person_salutation_key(const struct kb_person *p);

/* Links: one account per employee and one employee per account. */
int kb_link_set(struct kb_store *st, int64_t employee_id, int64_t user_id, int64_t chat_id,
                int64_t now);
int kb_link_clear_user(struct kb_store *st, int64_t user_id, int *removed);

#endif
