/* broadcast: `karirbot broadcast --unit NAME|--all --text-file FILE [--dry-run] [--again]` —
 * HR's announcement to every linked employee of a unit, or of all units.
 *
 * The text is HR's own HTML, checked with the rule `karirbot check` applies to every locale text
 * (kb_html_problem) and against Telegram's 4096 characters, so that no row is queued that
 * Telegram would refuse. It goes through the outbox at KB_PRIO_BROADCAST, below replies and
 * reminders, and the service's sender paces it (DESIGN invariants 3 and 4); the sender looks for
 * rows added by another process every second (invariant 14), so nothing needs to wake it.
 *
 * Rows are queued in batches of BATCH rows, each one short transaction that also moves the
 * broadcast's cursor: the running service waits for at most one batch, and a run that is
 * interrupted resumes where it stopped when started again with the same file. A text that went
 * to the same people in the last 24 hours is refused unless --again: re-running a command from
 * the shell history must not greet everyone twice. */
#include "karirbot/broadcast.h"

#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "karirbot/admin_store.h"
#include "karirbot/buf.h"
#include "karirbot/check.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/event.h"
#include "karirbot/store.h"
#include "karirbot/textsplit.h"
#include "karirbot/utf8.h"

#define BATCH        500
#define FILE_MAX     (64 * 1024) /* bytes of the text file */
#define BUSY_MS      5000        /* the service's transactions are short */
#define BUSY_WAIT_MS 20000       /* give up when the database stays locked this long */
#define PAUSE_MS     10          /* between batches: room for the service's own writes */
#define DUP_WINDOW_S 86400
#define STALE_POLL_S 300 /* the service does not seem to run when it has not polled since */

struct opts {
    const char *unit;
    int all;
    const char *file;
    int dry_run;
    int again;
    const char *by;
};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot broadcast --unit NAME|--all --text-file FILE [--dry-run] [--again]\n"
            "                          [--by NAME] [--db PATH]\n\n"
            "Sends an announcement to every linked employee of a unit (--unit, the name as\n"
            "in the unit_kerja column) or of all units (--all). Employees whose chat blocked\n"
            "karirbot are skipped. The running service sends the messages after replies and\n"
            "reminders, at the configured rate (KARIRBOT_RATE_GLOBAL); this command prints how\n"
            "many people it reaches and about how long that takes.\n\n"
            "The file is UTF-8 text of at most 4096 characters; it may use Telegram's HTML\n"
            "tags (<b>, <i>, <u>, <s>, <code>, <pre>, <a href=\"...\">), so write & as &amp;,\n"
            "< as &lt; and > as &gt; (the same rules `karirbot check` applies to the texts).\n\n"
            "  --dry-run     check the text and count the recipients; queue nothing\n"
            "  --again       send a text that went to the same people in the last 24 hours\n"
            "                (otherwise refused, so that a repeated command sends nothing twice)\n"
            "  --by NAME     who sends it, for the record (default: the login name)\n"
            "  --now UNIX_SECONDS   act as if it were then (for tests)\n\n"
            "A run that was interrupted continues where it stopped when started again with the\n"
            "same file and unit. Exit status: 0 done, 1 refused or failed, 64 usage error.\n");
}

/* Returns 0, 64 after a usage error, or 1 for --help. */
static int parse(int argc, char **argv, struct opts *o)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return 1;
        } else if (!strcmp(a, "--all")) {
            o->all = 1;
        } else if (!strcmp(a, "--dry-run")) {
            o->dry_run = 1;
        } else if (!strcmp(a, "--again")) {
            o->again = 1;
        } else if (!strcmp(a, "--unit") && v) {
            o->unit = v;
            i++;
        } else if (!strcmp(a, "--text-file") && v) {
            o->file = v;
            i++;
        } else if (!strcmp(a, "--by") && v) {
            o->by = v;
            i++;
        } else if (!strcmp(a, "--now") && v) {
            long long now = strtoll(v, &end, 10);
            if (*end || end == v || now <= 0)
                return 64;
            kb_clock_set(now);
            i++;
        } else {
            fprintf(stderr, "karirbot broadcast: unknown argument %s\n", a);
            return 64;
        }
    }
    if (!o->file || (!o->unit == !o->all)) {
        fprintf(stderr, "karirbot broadcast: name the text (--text-file FILE) and either one unit "
                        "(--unit NAME) or --all\n");
        return 64;
    }
    return 0;
}

const char *kb_broadcast_text_problem(char *text, char *buf, size_t cap)
{
    char *r = text, *w = text;
    if (!strncmp(r, "\xEF\xBB\xBF", 3)) /* Notepad's byte-order mark */
        r += 3;
    for (; *r; r++) { /* CRLF and lone CR become LF */
        if (*r == '\r') {
            *w++ = '\n';
            if (r[1] == '\n')
                r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    size_t n = strlen(text);
    while (n && strchr(" \t\n", text[n - 1]))
        text[--n] = '\0';
    size_t lead = strspn(text, " \t\n");
    memmove(text, text + lead, n - lead + 1);
    n -= lead;
    if (n == 0)
        return "the file is empty";
    if (!kb_utf8_valid(text, n))
        return "the file is not UTF-8 text (save it as UTF-8)";
    char why[128];
    const char *p = kb_html_problem(text, why, sizeof why);
    if (p) {
        snprintf(buf, cap, "the text is not HTML Telegram accepts: %s", p);
        return buf;
    }
    size_t visible = kb_html_visible_len(text, n);
    if (visible > KB_TEXT_LIMIT) {
        snprintf(buf, cap,
                 "the text has %zu characters as Telegram counts them; at most %d fit "
                 "in one message",
                 visible, KB_TEXT_LIMIT);
        return buf;
    }
    return NULL;
}

/* The text of the file, checked; NULL after saying why on stderr. */
static char *read_text(const char *path)
{
    struct kb_buf b;
    kb_buf_init(&b, FILE_MAX);
    int rc = kb_buf_read_file(&b, path);
    if (rc != 0) {
        fprintf(stderr, "karirbot broadcast: %s: %s\n", path,
                rc == -2 ? "larger than 64 KiB: an announcement must fit in one message"
                         : strerror(errno));
        kb_buf_free(&b);
        return NULL;
    }
    if (!b.data || strlen(b.data) != b.len) {
        fprintf(stderr, "karirbot broadcast: %s: %s\n", path,
                b.data ? "holds a NUL byte: it is not a text file" : "the file is empty");
        kb_buf_free(&b);
        return NULL;
    }
    char *text = kb_buf_take(&b);
    char buf[256];
    const char *why = kb_broadcast_text_problem(text, buf, sizeof buf);
    if (why) {
        fprintf(stderr, "karirbot broadcast: %s: %s\n", path, why);
        free(text);
        return NULL;
    }
    return text;
}

static const char *operator_name(const char *given)
{
    if (given && *given)
        return given;
    const char *sudo = getenv("SUDO_USER");
    if (sudo && *sudo)
        return sudo;
    const struct passwd *pw = getpwuid(geteuid());
    return pw ? pw->pw_name : getenv("USER");
}

/* "about 8 seconds", "about 3 minutes", "about 1 hour 20 minutes". */
static void duration(double seconds, char *out, size_t cap)
{
    long s = (long)ceil(seconds);
    if (s < 90)
        snprintf(out, cap, "about %ld second%s", s, s == 1 ? "" : "s");
    else if (s < 5400)
        snprintf(out, cap, "about %ld minutes", (s + 30) / 60);
    else
        snprintf(out, cap, "about %ld hours %ld minutes", s / 3600, (s % 3600 + 30) / 60);
}

static void utc_time(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M UTC", &tm);
}

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void print_unit(const char *name, void *data)
{
    (void)data;
    fprintf(stderr, "  %s\n", name);
}

/* Queues every batch of broadcast id; returns 0 or 1 (said why). */
static int queue_all(struct kb_store *st, int64_t id, int64_t expected, int64_t already)
{
    int tty = isatty(STDERR_FILENO);
    int64_t total = already;
    int waited = 0;
    for (;;) {
        int queued = 0, done = 0;
        int rc = kb_store_begin(st);
        if (rc == KB_OK) {
            rc = kb_broadcast_queue_batch(st, id, BATCH, kb_now(), &queued, &done);
            rc = rc == KB_OK ? kb_store_commit(st) : (kb_store_rollback(st), rc);
        }
        if (rc == KB_BUSY && waited < BUSY_WAIT_MS) {
            pause_ms(100);
            waited += 100;
            continue;
        }
        if (rc != KB_OK) {
            fprintf(stderr,
                    "\nkarirbot broadcast: %s after %lld messages; run the same command again "
                    "to queue the rest (nobody gets it twice)\n",
                    rc == KB_BUSY ? "the database stayed busy" : "could not queue the messages",
                    (long long)total);
            return 1;
        }
        waited = 0;
        total += queued;
        if (tty)
            fprintf(stderr, "\rqueued %lld of %lld", (long long)total, (long long)expected);
        if (done)
            break;
        pause_ms(PAUSE_MS);
    }
    if (tty)
        fputc('\n', stderr);
    printf("Queued %lld message%s as broadcast #%lld.\n", (long long)total, total == 1 ? "" : "s",
           (long long)id);
    return 0;
}

int kb_cmd_broadcast(const struct kb_config *cfg, int argc, char **argv)
{
    struct opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        usage();
        return rc == 1 ? 0 : rc;
    }
    char *text = read_text(o.file);
    if (!text)
        return 1;
    struct kb_store *st = NULL;
    rc = 1;
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK)
        goto out;

    int64_t unit_id = 0, n = 0, blocked = 0, ahead = 0, last_poll = 0;
    char unit[128] = "all units";
    if (o.unit) {
        if (kb_unit_find(st, o.unit, &unit_id, unit, sizeof unit) != KB_OK)
            goto out;
        if (!unit_id) {
            fprintf(stderr, "karirbot broadcast: no unit named '%s'. The units are:\n", o.unit);
            kb_unit_each(st, 50, print_unit, NULL);
            goto out;
        }
    }
    int64_t now = kb_now();
    struct kb_broadcast same;
    int found = 0;
    if (kb_store_read_begin(st) != KB_OK ||
        kb_broadcast_recipients(st, unit_id, &n, &blocked) != KB_OK ||
        kb_outbox_pending_upto(st, KB_PRIO_BROADCAST, &ahead) != KB_OK ||
        kb_meta_get_i64(st, "poll_ok_at", 0, &last_poll) != KB_OK ||
        kb_broadcast_find_same(st, text, unit_id, now - DUP_WINDOW_S, &same, &found) != KB_OK) {
        kb_store_read_end(st);
        fprintf(stderr, "karirbot broadcast: could not read the database\n");
        goto out;
    }
    kb_store_read_end(st);

    /* An interrupted run of this very broadcast continues; a finished one is not repeated. */
    int resume = found && !o.again && !same.finished_at && same.unit_id == unit_id;
    if (found && !o.again && !resume) {
        char when[32];
        utc_time(same.created_at, when, sizeof when);
        fprintf(stderr,
                "karirbot broadcast: this text was already queued for %s at %s (broadcast #%lld, "
                "%lld messages)%s; sending it again would reach people twice. Add --again if "
                "that is what you want.\n",
                same.unit_id == unit_id ? "the same people" : "some of the same people", when,
                (long long)same.id, (long long)same.queued,
                same.finished_at ? "" : ", and that run was interrupted");
        goto out;
    }
    printf("Broadcast to %s: %lld recipient%s (linked employees", unit, (long long)n,
           n == 1 ? "" : "s");
    if (blocked)
        printf("; %lld whose chat blocked karirbot skipped", (long long)blocked);
    printf(").\n");
    int64_t left = resume ? n - same.queued : n;
    if (left < 0)
        left = 0;
    if (cfg->pacing) {
        char d[64];
        duration((double)(ahead + left) / cfg->rate_global, d, sizeof d);
        printf("At %g messages per second (KARIRBOT_RATE_GLOBAL) delivery takes %s",
               cfg->rate_global, d);
        if (ahead)
            printf(", counting %lld messages already waiting, which go first", (long long)ahead);
        printf(".\n");
    } else {
        printf("Pacing is off (KARIRBOT_PACING): the service sends as fast as Telegram answers.\n");
    }
    if (now - last_poll > STALE_POLL_S)
        printf("Note: the service has not reached Telegram %s; the messages wait in the outbox "
               "until it runs (karirbot status).\n",
               last_poll ? "in the last 5 minutes" : "yet");
    if (o.dry_run) {
        printf("Dry run: nothing was queued.\n");
        rc = 0;
        goto out;
    }
    if (n == 0 && !resume) {
        printf("Nobody to send to: nothing was queued.\n");
        rc = 0;
        goto out;
    }
    int64_t id = same.id;
    if (resume) {
        printf("Continuing broadcast #%lld, interrupted after %lld messages.\n", (long long)id,
               (long long)same.queued);
    } else {
        int brc = kb_store_begin(st);
        if (brc == KB_OK) {
            brc = kb_broadcast_create(st, text, unit_id, n, operator_name(o.by), now, &id);
            brc = brc == KB_OK ? kb_store_commit(st) : (kb_store_rollback(st), brc);
        }
        if (brc != KB_OK) {
            fprintf(stderr, "karirbot broadcast: %s\n",
                    brc == KB_BUSY ? "the database stayed busy; try again"
                                   : "could not record the broadcast");
            goto out;
        }
    }
    rc = queue_all(st, id, n, resume ? same.queued : 0);
out:
    kb_store_close(st);
    free(text);
    return rc;
}
