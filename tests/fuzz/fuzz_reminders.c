/* fuzz_reminders: dialogs/reminders.json as HR may edit it (their copy replaces the shipped
 * one whole), read by kb_reminder_rules_load, then, when it loads, used as the reminder pass
 * uses it: the hours open on several days and zones, and when each kind of reminder is due
 * for records around a date. Rules the loader accepts must never make those divide by zero,
 * loop or give an occurrence that is not a date.
 *
 * Input: the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/reminders.h"

static char over[600];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    if (fuzz_mkdirs("over/dialogs") != 0)
        abort();
    snprintf(over, sizeof over, "%s/over", fuzz_scratch());
    return 0;
}

static const char holidays[][11] = {"2026-03-19", "2026-03-20", "2026-03-20", "2026-04-03"};
static const char *const days[] = {"2026-01-01", "2026-03-09", "2026-03-10", "2026-03-14",
                                   "2026-03-20", "2026-12-31", "2027-02-28"};
#define NDAYS (sizeof days / sizeof days[0])

static void check_due(int due, const struct kb_rem_due *d)
{
    FUZZ_CHECK(due == 0 || due == 1);
    if (!due)
        return;
    FUZZ_CHECK(d->kind >= 0 && d->kind < KB_REM__COUNT);
    FUZZ_CHECK(memchr(d->occurrence, '\0', sizeof d->occurrence) != NULL);
    char key[KB_REM_KEY_MAX];
    FUZZ_CHECK(kb_rem_key(key, d->kind, "rpi42", 7, d->occurrence) == 0);
}

static void use(const struct kb_reminder_rules *r)
{
    struct kb_calendar cal = {.workdays = 5, .holidays = holidays, .nholidays = 4};
    FUZZ_CHECK(r->nstart <= KB_REM_START_MAX && r->ncheckpoints <= KB_REM_CHECKPOINT_MAX);
    static const char *const zones[] = {"WIB", "WITA", "WIT", "UTC"};
    for (int h = 0; h < 48; h += 5)
        for (size_t z = 0; z < 4; z++) {
            int open = kb_rem_open(r, &cal, 1773104400 + h * 3600, zones[z]);
            FUZZ_CHECK(open >= 0 && open <= (KB_REM_OPEN_NORMAL | KB_REM_OPEN_URGENT));
        }
    for (size_t i = 0; i < NDAYS; i++) {
        const char *today = days[i];
        struct kb_rem_due d;
        int64_t waited;
        for (int64_t off = -40; off <= 40; off += 7) {
            char when[11];
            FUZZ_CHECK(kb_rem_date_add(today, off, when) == 0);
            memset(&d, 0, sizeof d);
            check_due(kb_rem_rpi(r, when, today, &d), &d);
            int a = kb_rem_approval(r, &cal, when, today, &waited);
            FUZZ_CHECK(a >= 0 && a <= 2);
            (void)kb_rem_stage_news(r, when, today);
            memset(&d, 0, sizeof d);
            check_due(kb_rem_training_start(r, &cal, when, today, &d), &d);
            memset(&d, 0, sizeof d);
            check_due(kb_rem_deadline(r, when, today, &d), &d);
            memset(&d, 0, sizeof d);
            check_due(kb_rem_mentor_idle(r, when, today, &d), &d);
        }
        for (int jp = 0; jp <= 40; jp += 20) {
            memset(&d, 0, sizeof d);
            check_due(kb_rem_jp_pace(r, today, jp, 20, &d), &d);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_write("over/dialogs/" KB_REMINDERS_FILE, data, size) != 0)
        abort();
    struct kb_diag diag = {0};
    struct kb_reminder_rules *r = kb_reminder_rules_load(KB_SOURCE_DATA_DIR, over, &diag);
    FUZZ_CHECK((r != NULL) == (diag.errors == 0));
    if (r)
        use(r);
    kb_reminder_rules_free(r);
    kb_diag_free(&diag);
    return 0;
}
