/* rpi_cmd: `karirbot rpi set|new-year` — HR's part of the yearly plan (RPI).
 *
 * set: a plan the supervisor approved (disetujui) is established (ditetapkan) by HR for the
 * PPK — for named employees, a unit, or every approved plan of the year.
 * new-year: every active employee (of a unit, or all) gets a draft plan for the year, created
 * only where none exists; the unfinished, approved activities of the year before come along,
 * with the RPI store's carry-over (each remembers where it came from, so running it twice
 * copies nothing twice).
 *
 * A whole organisation is walked by id in pages, each page one short transaction (DESIGN
 * invariant 14), so the running service waits at most a few milliseconds. Each employee whose
 * plan changed is told on Telegram through the outbox (tell.h). */
#include "karirbot/rpi_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/people.h"
#include "karirbot/rpi.h"
#include "karirbot/store.h"
#include "karirbot/tell.h"

#define BUSY_MS 5000
#define BATCH   100 /* plans or employees changed in one transaction */

struct opts {
    int new_year; /* 0: set */
    int year;
    const char *unit;
    int all;
    int carry;
    int notify;
    int dry_run;
    char **nips;
    int nnips;
};

struct tally {
    int changed, already, refused, failed;
    int told, unlinked;
    int carried_plans, carried;
};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot rpi set (NIP... | --unit NAME | --all) [--year Y]\n"
            "       karirbot rpi new-year (--unit NAME | --all) [--year Y] [--no-carry]\n"
            "                             [--dry-run]\n\n"
            "  set        establishes (tetapkan) the plans of year Y their supervisors approved\n"
            "             (disetujui -> ditetapkan): of the employees named, of a unit, or all\n"
            "  new-year   opens a draft plan of year Y for each active employee who has none,\n"
            "             with the unfinished, approved activities of Y-1 carried over (not\n"
            "             with --no-carry); a plan that exists is left as it is, so running it\n"
            "             twice changes nothing. --dry-run counts without writing.\n\n"
            "  --year Y       the plan year (default: this year, in WIB)\n"
            "  --no-notify    change the plans without telling the employees\n\n"
            "Employees are told on Telegram; those without a linked account are counted.\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    char today[11];
    kb_admin_today(today);
    o->year = atoi(today);
    o->carry = 1;
    o->notify = 1;
    if (argc < 1)
        return 64;
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") || !strcmp(argv[0], "help"))
        return 1;
    if (!strcmp(argv[0], "new-year"))
        o->new_year = 1;
    else if (strcmp(argv[0], "set") != 0) {
        fprintf(stderr, "karirbot rpi: unknown command '%s'\n", argv[0]);
        return 64;
    }
    o->nips = calloc((size_t)argc, sizeof *o->nips);
    if (!o->nips)
        return 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return 1;
        } else if (!strcmp(a, "--year") && v) {
            char *end;
            long y = strtol(v, &end, 10);
            if (*end || end == v || y < 2000 || y > 9998) {
                fprintf(stderr, "karirbot rpi: --year takes a year such as 2027\n");
                return 64;
            }
            o->year = (int)y;
            i++;
        } else if (!strcmp(a, "--unit") && v) {
            o->unit = v;
            i++;
        } else if (!strcmp(a, "--all")) {
            o->all = 1;
        } else if (!strcmp(a, "--no-carry") && o->new_year) {
            o->carry = 0;
        } else if (!strcmp(a, "--dry-run") && o->new_year) {
            o->dry_run = 1;
        } else if (!strcmp(a, "--no-notify")) {
            o->notify = 0;
        } else if (!strcmp(a, "--now") && v) {
            int64_t now;
            if (kb_admin_id(v, &now) != 0)
                return 64;
            kb_clock_set(now);
            i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "karirbot rpi: unknown option %s\n", a);
            return 64;
        } else if (!o->new_year) {
            o->nips[o->nnips++] = argv[i];
        } else {
            fprintf(stderr, "karirbot rpi new-year: choose the employees with --unit or --all\n");
            return 64;
        }
    }
    if ((o->nnips > 0) + (o->unit != NULL) + o->all != 1) {
        fprintf(stderr, "karirbot rpi: name the employees one way: %s--unit NAME or --all\n",
                o->new_year ? "" : "NIPs, ");
        return 64;
    }
    return 0;
}

/* Tells p key with {year}, {count}, {prev_year}; counts who was reached. */
static int tell(struct kb_store *st, const struct kb_locale *loc, const struct opts *o,
                const struct kb_person *p, const char *key, int count, struct tally *t)
{
    if (!o->notify)
        return 0;
    char year[16], prev[16], n[16];
    snprintf(year, sizeof year, "%d", o->year);
    snprintf(prev, sizeof prev, "%d", o->year - 1);
    snprintf(n, sizeof n, "%d", count);
    const char *vars[] = {"year", year, "prev_year", prev, "count", n};
    int64_t chat = 0;
    if (kb_tell(st, loc, p, key, vars, 3, kb_now(), &chat) != 0)
        return -1;
    if (chat)
        t->told++;
    else
        t->unlinked++;
    return 0;
}

/* ---- set -------------------------------------------------------------------------------- */

/* Establishes one plan (inside the caller's transaction) and prints what happened. Returns 0,
 * or -1 on a database error. */
static int set_plan(struct kb_store *st, const struct kb_locale *loc, const struct opts *o,
                    const struct kb_rpi_plan *plan, const struct kb_person *p, struct tally *t)
{
    if (!strcmp(plan->status, "ditetapkan")) {
        t->already++;
        printf("%s %s: the %d plan is established already\n", p->nip, p->name, plan->year);
        return 0;
    }
    int changed = 0;
    if (kb_rpi_plan_set_established(st, plan->id, kb_now(), &changed) != KB_OK)
        return -1;
    if (!changed) {
        t->refused++;
        fprintf(stderr,
                "karirbot rpi set: %s %s: the %d plan is %s; only a plan the supervisor "
                "approved (disetujui) can be established\n",
                p->nip, p->name, plan->year, plan->status);
        return 0;
    }
    t->changed++;
    printf("%s %s: the %d plan is established\n", p->nip, p->name, plan->year);
    return tell(st, loc, o, p, "hr_rpi_established", 0, t);
}

static int set_by_nip(struct kb_store *st, const struct kb_locale *loc, const struct opts *o,
                      struct tally *t)
{
    for (int i = 0; i < o->nnips; i++) {
        char nip[19];
        struct kb_person p;
        struct kb_rpi_plan plan;
        int found = 0, have = 0;
        if (kb_admin_nip(o->nips[i], nip) != 0) {
            fprintf(stderr, "karirbot rpi set: '%s' is not a NIP (18 digits)\n", o->nips[i]);
            t->failed++;
            continue;
        }
        int rc = kb_store_begin(st);
        if (rc == KB_OK && kb_person_by_nip(st, nip, &p, &found) == KB_OK && found &&
            kb_rpi_plan_get(st, p.id, o->year, &plan, &have) == KB_OK && have &&
            set_plan(st, loc, o, &plan, &p, t) == 0 && kb_store_commit(st) == KB_OK)
            continue;
        kb_store_rollback(st);
        t->failed++;
        fprintf(stderr, "karirbot rpi set: %s: %s\n", o->nips[i],
                rc == KB_BUSY ? "the database stayed busy; try again"
                : rc != KB_OK ? "could not be changed"
                : !found      ? "no employee with this NIP"
                : !have       ? "has no plan for that year"
                              : "could not be changed");
    }
    return 0;
}

/* The unit's id into *unit_id (0 for --all). Returns 0, or -1 after saying why. */
static int unit_of(struct kb_store *st, const struct opts *o, int64_t *unit_id)
{
    *unit_id = 0;
    if (!o->unit)
        return 0;
    if (kb_hr_unit_id(st, o->unit, unit_id) != KB_OK || !*unit_id) {
        fprintf(stderr, "karirbot rpi: no unit named '%s'\n", o->unit);
        return -1;
    }
    return 0;
}

static int set_many(struct kb_store *st, const struct kb_locale *loc, const struct opts *o,
                    int64_t unit_id, struct tally *t)
{
    int64_t ids[BATCH], after = 0;
    int n = 0;
    do {
        int rc = kb_store_begin(st);
        if (rc == KB_OK)
            rc = kb_hr_plans_page(st, o->year, "disetujui", unit_id, after, ids, BATCH, &n);
        for (int i = 0; rc == KB_OK && i < n; i++) {
            struct kb_rpi_plan plan;
            struct kb_person p;
            int found = 0, who = 0;
            rc = kb_rpi_plan_by_id(st, ids[i], &plan, &found);
            if (rc == KB_OK && found)
                rc = kb_person_by_id(st, plan.employee_id, &p, &who);
            if (rc == KB_OK && found && who && set_plan(st, loc, o, &plan, &p, t) != 0)
                rc = KB_ERR;
        }
        if (rc == KB_OK)
            rc = kb_store_commit(st);
        if (rc != KB_OK) {
            kb_store_rollback(st);
            fprintf(stderr, "karirbot rpi set: stopped: %s\n",
                    rc == KB_BUSY ? "the database stayed busy; run it again to go on"
                                  : "a plan could not be changed; run it again to go on");
            t->failed++;
            return -1;
        }
        after = n ? ids[n - 1] : after;
    } while (n == BATCH);
    return 0;
}

/* ---- new year --------------------------------------------------------------------------- */

/* Opens the plan of one employee (inside the caller's transaction). */
static int open_plan(struct kb_store *st, const struct kb_locale *loc, const struct opts *o,
                     int64_t employee_id, struct tally *t)
{
    struct kb_person p;
    struct kb_rpi_plan prev, plan;
    int found = 0, have_prev = 0, created = 0, copied = 0, n = 0;
    int64_t plan_id = 0;
    if (kb_person_by_id(st, employee_id, &p, &found) != KB_OK)
        return -1;
    if (!found)
        return 0;
    if (o->carry && kb_rpi_plan_get(st, employee_id, o->year - 1, &prev, &have_prev) != KB_OK)
        return -1;
    if (o->dry_run) {
        if (kb_rpi_plan_get(st, employee_id, o->year, &plan, &found) != KB_OK ||
            (!found && have_prev && kb_rpi_carry_count(st, prev.id, &n) != KB_OK))
            return -1;
        if (found) {
            t->already++;
        } else {
            t->changed++;
            t->carried += n;
            t->carried_plans += n > 0;
        }
        return 0;
    }
    if (kb_rpi_plan_create(st, employee_id, o->year, &plan_id, &created) != KB_OK)
        return -1;
    if (!created) {
        t->already++;
        return 0;
    }
    if (have_prev && kb_rpi_carry_over(st, prev.id, plan_id, o->year, kb_now(), &copied) != KB_OK)
        return -1;
    t->changed++;
    t->carried += copied;
    t->carried_plans += copied > 0;
    return tell(st, loc, o, &p, copied ? "hr_rpi_new_year_carried" : "hr_rpi_new_year", copied, t);
}

static int new_year(struct kb_store *st, const struct kb_locale *loc, const struct opts *o,
                    int64_t unit_id, struct tally *t)
{
    int64_t ids[BATCH], after = 0;
    int n = 0;
    do {
        int rc = o->dry_run ? kb_store_read_begin(st) : kb_store_begin(st);
        if (rc == KB_OK)
            rc = kb_hr_employees_page(st, unit_id, after, ids, BATCH, &n);
        for (int i = 0; rc == KB_OK && i < n; i++)
            if (open_plan(st, loc, o, ids[i], t) != 0)
                rc = KB_ERR;
        if (o->dry_run)
            kb_store_read_end(st);
        else if (rc == KB_OK)
            rc = kb_store_commit(st);
        if (rc != KB_OK) {
            if (!o->dry_run)
                kb_store_rollback(st);
            fprintf(stderr, "karirbot rpi new-year: stopped: %s\n",
                    rc == KB_BUSY ? "the database stayed busy; run it again to go on"
                                  : "a plan could not be opened; run it again to go on");
            t->failed++;
            return -1;
        }
        after = n ? ids[n - 1] : after;
    } while (n == BATCH);
    return 0;
}

int kb_cmd_rpi(const struct kb_config *cfg, int argc, char **argv)
{
    struct opts o = {0};
    struct tally t = {0};
    struct kb_store *st = NULL;
    struct kb_locale *loc = NULL;
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        usage();
        free(o.nips);
        return rc == 1 ? 0 : rc;
    }
    int64_t unit_id = 0;
    rc = 1;
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK || !(loc = kb_tell_locale(cfg)))
        goto out;
    if (unit_of(st, &o, &unit_id) != 0) {
        rc = 64;
        goto out;
    }
    if (o.new_year) {
        new_year(st, loc, &o, unit_id, &t);
        printf("%s%d: %d plan%s %s (%d with %d unfinished activit%s carried over from %d), %d "
               "existed already\n",
               o.dry_run ? "dry run, nothing written: " : "", o.year, t.changed,
               t.changed == 1 ? "" : "s", o.dry_run ? "would be opened" : "opened", t.carried_plans,
               t.carried, t.carried == 1 ? "y" : "ies", o.year - 1, t.already);
    } else {
        if (o.nnips)
            set_by_nip(st, loc, &o, &t);
        else
            set_many(st, loc, &o, unit_id, &t);
        printf("%d: %d plan%s established, %d established already\n", o.year, t.changed,
               t.changed == 1 ? "" : "s", t.already);
    }
    if (o.notify && !o.dry_run && (t.told || t.unlinked))
        printf("told %d employee%s on Telegram; %d without a linked account were not told\n",
               t.told, t.told == 1 ? "" : "s", t.unlinked);
    rc = t.failed || t.refused ? 1 : 0;
out:
    kb_locale_free(loc);
    kb_store_close(st);
    free(o.nips);
    return rc;
}
