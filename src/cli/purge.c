/* purge: `karirbot purge [--older-than DAYS] [--dry-run]` — deletes what karirbot keeps of
 * conversations once the retention period has passed (UU 27/2022: personal data is kept no
 * longer than its purpose needs):
 *   - conversation_log: what people sent;
 *   - the outbox's sent and undeliverable rows: what karirbot sent them (a pending row is still
 *     to be delivered and stays; so does the card of an approval still waiting for a decision);
 *   - dead letters: updates that could not be handled, kept with their raw text.
 * Records HR must keep — employees, plans, registrations, approvals, promotion files — are not
 * touched. Run it daily (a systemd timer or cron); the period is KARIRBOT_RETENTION_DAYS.
 *
 * Deletion goes in batches of BATCH rows, each its own short transaction, so the running service
 * waits for at most one batch (DESIGN invariant 14). The outbox has no index on its age, but its
 * ids grow with time: it is walked from the oldest id in windows of BATCH ids (jumping over gaps
 * left by earlier purges), and the walk stops at the first window that holds a row young enough
 * to keep. (Rows written with a clock set back — never by the service — may be left for a
 * later run.) */
#include "karirbot/purge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "karirbot/admin_store.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/store.h"

#define BATCH        1000
#define DEFAULT_DAYS 180
#define BUSY_MS      5000
#define BUSY_WAIT_MS 20000
#define PAUSE_MS     2
#define MAX_DAYS     36500

static void usage(int days)
{
    fprintf(stderr,
            "Usage: karirbot purge [--older-than DAYS] [--dry-run] [--db PATH]\n\n"
            "Deletes conversation logs older than DAYS (default %d, from\n"
            "KARIRBOT_RETENTION_DAYS): the messages people sent, the messages karirbot sent\n"
            "them once delivered or found undeliverable, and updates that could not be\n"
            "handled. Records HR must keep (employees, plans, registrations, approvals,\n"
            "promotion files) stay. Safe while the service runs: it deletes in small batches.\n\n"
            "  --older-than DAYS   the retention period in days (1 to %d)\n"
            "  --dry-run           count what would be deleted; delete nothing\n"
            "  --now UNIX_SECONDS  act as if it were then (for tests)\n",
            days, MAX_DAYS);
}

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

enum what { CONVLOG, DEAD, OUTBOX };

/* One batch of one kind in its own transaction, retried while the database is busy. For the
 * outbox, *cursor is the window's start and moves on; *more says whether to go on. */
static int batch(struct kb_store *st, enum what w, int64_t before, int64_t *cursor, int *deleted,
                 int *more)
{
    for (int waited = 0;; waited += 100) {
        int newer = 0;
        int64_t next = -1;
        int rc = kb_store_begin(st);
        if (rc == KB_OK) {
            rc = w == CONVLOG ? kb_purge_convlog(st, before, BATCH, deleted)
                 : w == DEAD
                     ? kb_purge_dead_letters(st, before, BATCH, deleted)
                     : kb_purge_outbox_window(st, before, *cursor, BATCH, deleted, &newer, &next);
            rc = rc == KB_OK ? kb_store_commit(st) : (kb_store_rollback(st), rc);
        }
        if (rc == KB_BUSY && waited < BUSY_WAIT_MS) {
            pause_ms(100);
            continue;
        }
        if (rc != KB_OK)
            return rc;
        if (w == OUTBOX) {
            *cursor = next;
            *more = !newer && next >= 0;
        } else {
            *more = *deleted == BATCH;
        }
        return KB_OK;
    }
}

int kb_cmd_purge(const struct kb_config *cfg, int argc, char **argv)
{
    int days = cfg->retention_days > 0 ? cfg->retention_days : DEFAULT_DAYS;
    int dry_run = 0;
    for (int i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(argv[i], "--dry-run")) {
            dry_run = 1;
        } else if (!strcmp(argv[i], "--older-than") && v) {
            long d = strtol(v, &end, 10);
            if (*end || end == v || d < 1 || d > MAX_DAYS) {
                fprintf(stderr,
                        "karirbot purge: --older-than takes a number of days from 1 to "
                        "%d\n",
                        MAX_DAYS);
                return 64;
            }
            days = (int)d;
            i++;
        } else if (!strcmp(argv[i], "--now") && v) {
            long long now = strtoll(v, &end, 10);
            if (*end || end == v || now <= 0)
                return 64;
            kb_clock_set(now);
            i++;
        } else {
            usage(days);
            return !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ? 0 : 64;
        }
    }
    int64_t before = kb_now() - (int64_t)days * 86400;
    char cut[40];
    time_t t = (time_t)before;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(cut, sizeof cut, "%Y-%m-%d %H:%M UTC", &tm);

    struct kb_store *st = NULL;
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK)
        return 1;
    int rc = 1;
    if (dry_run) {
        int64_t c = 0, o = 0, d = 0;
        if (kb_purge_count(st, before, &c, &o, &d) == KB_OK) {
            printf("Older than %d days (before %s), a purge would delete:\n"
                   "  %lld conversation log rows (messages people sent)\n"
                   "  %lld outbox rows (messages karirbot sent, delivered or undeliverable)\n"
                   "  %lld dead letters\n"
                   "Dry run: nothing was deleted.\n",
                   days, cut, (long long)c, (long long)o, (long long)d);
            rc = 0;
        }
        kb_store_close(st);
        return rc;
    }
    int tty = isatty(STDERR_FILENO);
    long long totals[3] = {0, 0, 0};
    static const enum what order[] = {CONVLOG, OUTBOX, DEAD};
    int failed = KB_OK;
    for (size_t k = 0; k < 3 && failed == KB_OK; k++) {
        enum what w = order[k];
        int64_t cursor = 0;
        if (w == OUTBOX && (failed = kb_outbox_first_id(st, &cursor)) != KB_OK)
            break;
        int more = 1;
        while (more) {
            int deleted = 0;
            if ((failed = batch(st, w, before, &cursor, &deleted, &more)) != KB_OK)
                break;
            totals[w] += deleted;
            if (tty)
                fprintf(stderr, "\rdeleted %lld rows", totals[0] + totals[1] + totals[2]);
            if (more)
                pause_ms(PAUSE_MS);
        }
    }
    if (tty)
        fputc('\n', stderr);
    printf("Older than %d days (before %s), deleted:\n"
           "  %lld conversation log rows (messages people sent)\n"
           "  %lld outbox rows (messages karirbot sent, delivered or undeliverable)\n"
           "  %lld dead letters\n",
           days, cut, totals[CONVLOG], totals[OUTBOX], totals[DEAD]);
    if (failed != KB_OK)
        fprintf(stderr, "karirbot purge: %s; run it again to finish\n",
                failed == KB_BUSY ? "the database stayed busy" : "a deletion failed");
    else
        rc = 0;
    kb_store_close(st);
    return rc;
}
