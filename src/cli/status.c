/* status: `karirbot status [--json]` — what an operator (or a monitoring check) needs to know
 * about a karirbot database: the schema version, how many employees and linked accounts, open
 * conversations, the outbox by priority, the oldest unsent message, and when the service last
 * reached Telegram and what failed last.
 *
 * It opens the database read-only and never migrates it, so it is safe beside a running service
 * of any version. The poll figures are what the service records (meta keys poll_ok_at,
 * poll_error, poll_error_at; written at most once a minute while all is well). The warning the
 * README promises: Telegram keeps unconfirmed updates for 24 hours, so an hour without a
 * successful call is worth waking someone for. */
#include "karirbot/status.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "karirbot/admin_store.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/event.h"
#include "karirbot/store.h"

#define OUTAGE_WARN_S 3600 /* as the service's own telegram.outage log line */
#define REPLY_WAIT_S  600  /* a reply or button answer unsent this long: the sender is stuck */
#define WARNINGS_MAX  4

static const char *const prio_names[KB_PRIO_COUNT] = {"button_answer", "reply", "reminder",
                                                      "broadcast"};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot status [--json] [--db PATH]\n\n"
            "Shows the state of a karirbot database, read-only (safe while the service runs):\n"
            "the schema version, employees and linked accounts, open conversations, messages\n"
            "waiting and undeliverable by kind, the oldest unsent message, when the service\n"
            "last reached Telegram and its last error.\n\n"
            "  --json   the same as one JSON object, for monitoring\n\n"
            "Exit status: 0 all well; 2 with a warning (no successful call to Telegram for an\n"
            "hour: Telegram drops messages it could not deliver within 24 hours; or a reply\n"
            "unsent for %d minutes); 1 when the database cannot be read.\n",
            REPLY_WAIT_S / 60);
}

/* "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
static void age(int64_t s, char *out, size_t cap)
{
    if (s < 0)
        s = 0;
    if (s < 120)
        snprintf(out, cap, "%lld s", (long long)s);
    else if (s < 7200)
        snprintf(out, cap, "%lld min", (long long)(s / 60));
    else if (s < 2 * 86400)
        snprintf(out, cap, "%lld h %02lld min", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        snprintf(out, cap, "%lld d %lld h", (long long)(s / 86400), (long long)(s % 86400 / 3600));
}

static void utc_time(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void count(char *out, size_t cap, int64_t v)
{
    if (v < 0)
        snprintf(out, cap, "?");
    else
        snprintf(out, cap, "%lld", (long long)v);
}

struct view {
    struct kb_status s;
    int64_t now;
    int oldest_prio; /* -1: nothing unsent */
    int64_t oldest_at;
    const char *warnings[WARNINGS_MAX];
    char warn_buf[WARNINGS_MAX][256];
    int nwarnings;
};

static void warn(struct view *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct view *v, const char *fmt, ...)
{
    if (v->nwarnings == WARNINGS_MAX)
        return;
    char *b = v->warn_buf[v->nwarnings];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof v->warn_buf[0], fmt, ap);
    va_end(ap);
    v->warnings[v->nwarnings++] = b;
}

static void judge(struct view *v)
{
    const struct kb_status *s = &v->s;
    v->oldest_prio = -1;
    for (int p = 0; p < KB_PRIO_COUNT; p++)
        if (s->oldest_at[p] > 0 && (v->oldest_prio < 0 || s->oldest_at[p] < v->oldest_at)) {
            v->oldest_prio = p;
            v->oldest_at = s->oldest_at[p];
        }
    if (!s->poll_ok_at)
        warn(v, "the service has never reached Telegram with this database");
    else if (v->now - s->poll_ok_at >= OUTAGE_WARN_S)
        warn(v,
             "no successful call to Telegram for %lld minutes: Telegram drops messages it could "
             "not deliver within 24 hours; check the service and its network",
             (long long)((v->now - s->poll_ok_at) / 60));
    for (int p = KB_PRIO_CALLBACK; p <= KB_PRIO_REPLY; p++)
        if (s->oldest_at[p] > 0 && v->now - s->oldest_at[p] >= REPLY_WAIT_S) {
            warn(v, "a reply has waited %lld minutes to be sent: is the service running?",
                 (long long)((v->now - s->oldest_at[p]) / 60));
            break;
        }
    if (s->version >= 0 && s->version < s->latest)
        warn(v, "the database is at schema version %lld; the service migrates it when it starts",
             (long long)s->version);
}

static void print_text(const char *path, const struct view *v)
{
    const struct kb_status *s = &v->s;
    char a[32], b[32], c[32], t[64], g[32];
    printf("karirbot status: %s\n", path);
    printf("  %-22s %d (this karirbot: %d)\n", "schema version", s->version, s->latest);
    count(a, sizeof a, s->employees);
    count(b, sizeof b, s->active);
    count(c, sizeof c, s->linked);
    printf("  %-22s %s (%s active, %s linked to Telegram)\n", "employees", a, b, c);
    count(a, sizeof a, s->open_sessions);
    printf("  %-22s %s\n", "open conversations", a);
    for (int failed = 0; failed < 2; failed++) {
        const int64_t *by = failed ? s->failed : s->pending;
        int64_t total = 0;
        for (int p = 0; p < KB_PRIO_COUNT; p++)
            total += by[p] > 0 ? by[p] : 0;
        printf("  %-22s %lld (", failed ? "outbox undeliverable" : "outbox pending",
               (long long)total);
        for (int p = KB_PRIO_REPLY; p < KB_PRIO_COUNT; p++) { /* replies first, as sent */
            count(a, sizeof a, by[p]);
            printf("%s%s %s", p == KB_PRIO_REPLY ? "" : ", ", prio_names[p], a);
        }
        count(a, sizeof a, by[KB_PRIO_CALLBACK]);
        printf(", button answers %s)\n", a);
    }
    if (v->oldest_prio >= 0) {
        age(v->now - v->oldest_at, a, sizeof a);
        printf("  %-22s %s ago (%s)\n", "oldest unsent", a, prio_names[v->oldest_prio]);
    } else {
        printf("  %-22s none\n", "oldest unsent");
    }
    if (s->poll_ok_at) {
        utc_time(s->poll_ok_at, t, sizeof t);
        age(v->now - s->poll_ok_at, g, sizeof g);
        printf("  %-22s %s (%s ago)\n", "last poll", t, g);
    } else {
        printf("  %-22s never\n", "last poll");
    }
    if (s->poll_error_at) {
        utc_time(s->poll_error_at, t, sizeof t);
        age(v->now - s->poll_error_at, g, sizeof g);
        printf("  %-22s %s (%s ago): %s\n", "last error", t, g, s->poll_error);
    } else {
        printf("  %-22s none\n", "last error");
    }
    count(a, sizeof a, s->dead_letters);
    printf("  %-22s %s\n", "dead letters", a);
    for (int i = 0; i < v->nwarnings; i++)
        printf("WARNING: %s\n", v->warnings[i]);
}

static void add_count(cJSON *o, const char *name, int64_t v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, name);
    else
        cJSON_AddNumberToObject(o, name, (double)v);
}

static int print_json(const char *path, const struct view *v)
{
    const struct kb_status *s = &v->s;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddStringToObject(o, "database", path);
    cJSON_AddNumberToObject(o, "schema_version", s->version);
    cJSON_AddNumberToObject(o, "schema_latest", s->latest);
    add_count(o, "employees", s->employees);
    add_count(o, "active", s->active);
    add_count(o, "linked", s->linked);
    add_count(o, "open_sessions", s->open_sessions);
    add_count(o, "dead_letters", s->dead_letters);
    cJSON *outbox = cJSON_AddObjectToObject(o, "outbox");
    const char *names[2] = {"pending", "failed"};
    for (int failed = 0; outbox && failed < 2; failed++) {
        cJSON *by = cJSON_AddObjectToObject(outbox, names[failed]);
        int64_t total = 0;
        for (int p = 0; by && p < KB_PRIO_COUNT; p++) {
            const int64_t n = failed ? s->failed[p] : s->pending[p];
            add_count(by, prio_names[p], n);
            total += n > 0 ? n : 0;
        }
        if (by)
            cJSON_AddNumberToObject(by, "total", (double)total);
    }
    add_count(o, "oldest_unsent_age_s", v->oldest_prio >= 0 ? v->now - v->oldest_at : -1);
    if (v->oldest_prio >= 0)
        cJSON_AddStringToObject(o, "oldest_unsent_kind", prio_names[v->oldest_prio]);
    else
        cJSON_AddNullToObject(o, "oldest_unsent_kind");
    add_count(o, "last_poll_at", s->poll_ok_at ? s->poll_ok_at : -1);
    add_count(o, "last_poll_age_s", s->poll_ok_at ? v->now - s->poll_ok_at : -1);
    add_count(o, "last_error_at", s->poll_error_at ? s->poll_error_at : -1);
    if (s->poll_error_at)
        cJSON_AddStringToObject(o, "last_error", s->poll_error);
    else
        cJSON_AddNullToObject(o, "last_error");
    cJSON *w = cJSON_AddArrayToObject(o, "warnings");
    for (int i = 0; w && i < v->nwarnings; i++)
        cJSON_AddItemToArray(w, cJSON_CreateString(v->warnings[i]));
    cJSON_AddBoolToObject(o, "ok", v->nwarnings == 0);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        return -1;
    puts(text);
    free(text);
    return 0;
}

int kb_cmd_status(const struct kb_config *cfg, int argc, char **argv)
{
    int json = 0;
    for (int i = 0; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--now") && i + 1 < argc) {
            long long now = strtoll(argv[++i], &end, 10);
            if (*end || now <= 0) {
                usage();
                return 64;
            }
            kb_clock_set(now);
        } else {
            usage();
            return !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ? 0 : 64;
        }
    }
    struct kb_store *st = kb_store_open_readonly(cfg->db_path, 2000);
    if (!st) {
        fprintf(stderr, "karirbot status: cannot read the database %s (KARIRBOT_DB or --db)\n",
                cfg->db_path);
        return 1;
    }
    struct view *v = calloc(1, sizeof *v);
    int rc = 1;
    if (v) {
        v->now = kb_now();
        if (kb_status_read(st, v->now, &v->s) == KB_OK) {
            judge(v);
            if (json ? print_json(cfg->db_path, v) : (print_text(cfg->db_path, v), 0))
                rc = 1;
            else
                rc = v->nwarnings ? 2 : 0;
        } else {
            fprintf(stderr, "karirbot status: could not read %s\n", cfg->db_path);
        }
    }
    free(v);
    kb_store_close(st);
    return rc;
}
