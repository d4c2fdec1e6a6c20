/* remind: `karirbot remind [--now UNIX_SECONDS] [--dry-run] [--quiet]` — one reminder pass, as
 * the service's scheduler runs it every few minutes: slice by slice, each slice one short
 * transaction that writes its outbox rows together with the keys that keep them from being
 * sent twice. The messages wait in the outbox for the service's sender, which paces them below
 * replies. --dry-run shows what would be queued and writes nothing; it also checks
 * dialogs/reminders.json (shipped, or HR's copy in the override directory). */
#include "karirbot/remind.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/remind_pass.h"
#include "karirbot/reminders.h"
#include "karirbot/store.h"

#define BUSY_MS 5000 /* the service's transactions are short: a wait this long is a fault */

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot remind [--now UNIX_SECONDS] [--dry-run] [--quiet] [--db PATH]\n\n"
            "Runs one reminder pass now, as the service does every few minutes: the RPI\n"
            "activities due, requests waiting for a decision (and their escalation), promotion\n"
            "files that stall, trainings about to start or to close, the yearly JP pace and\n"
            "idle mentoring pairs, each to the person who must act, in their working hours and\n"
            "days, at most a few a day, never twice. The messages are queued in the outbox;\n"
            "the running service delivers them. Each is printed, then a summary.\n\n"
            "  --now UNIX_SECONDS   run as if it were then (to try reminders, and for tests)\n"
            "  --dry-run            show what would be queued; write nothing\n"
            "  --quiet              print only the summary\n\n"
            "The rules are dialogs/reminders.json (your copy in the override directory,\n"
            "KARIRBOT_DATA_DIR or /etc/karirbot, replaces the shipped one); a problem in it is\n"
            "printed and the exit status is 1.\n");
}

/* Prints HTML as text: tags dropped, the five entities decoded. */
static void print_plain(FILE *out, const char *html)
{
    static const struct {
        const char *ent, *ch;
    } ents[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"}};
    for (const char *p = html; *p;) {
        if (*p == '<' && strchr(p, '>')) {
            p = strchr(p, '>') + 1;
            continue;
        }
        size_t i = 0;
        while (*p == '&' && i < sizeof ents / sizeof ents[0] &&
               strncmp(p, ents[i].ent, strlen(ents[i].ent)))
            i++;
        if (*p == '&' && i < sizeof ents / sizeof ents[0]) {
            fputs(ents[i].ch, out);
            p += strlen(ents[i].ent);
            continue;
        }
        fputc(*p++, out);
    }
}

struct printer {
    struct kb_store *st;
    int quiet;
};

static void print_message(void *ctx, const struct kb_out *o, int64_t employee_id)
{
    struct printer *pr = ctx;
    if (pr->quiet)
        return;
    struct kb_person p;
    int found = 0;
    kb_person_by_id(pr->st, employee_id, &p, &found);
    printf("-> %s (employee %lld, chat %lld):\n", found ? p.name : "?", (long long)employee_id,
           (long long)o->chat_id);
    print_plain(stdout, o->text ? o->text : "");
    putchar('\n');
    cJSON *rows = o->keyboard ? cJSON_Parse(o->keyboard) : NULL;
    const cJSON *row, *b;
    cJSON_ArrayForEach(row, rows) cJSON_ArrayForEach(b, row)
    {
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(b, "text");
        printf("  [%s]", cJSON_IsString(label) ? label->valuestring : "?");
    }
    if (rows)
        putchar('\n');
    cJSON_Delete(rows);
    putchar('\n');
}

static struct kb_reminder_rules *load_rules(const struct kb_config *cfg)
{
    struct kb_diag diag = {0};
    struct kb_reminder_rules *r =
        kb_reminder_rules_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "%s\n", diag.lines[i]);
    kb_diag_free(&diag);
    return r;
}

int kb_cmd_remind(const struct kb_config *cfg, int argc, char **argv)
{
    int dry_run = 0, quiet = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--dry-run")) {
            dry_run = 1;
        } else if (!strcmp(argv[i], "--quiet")) {
            quiet = 1;
        } else if (!strcmp(argv[i], "--now") && i + 1 < argc) {
            char *end;
            long long now = strtoll(argv[++i], &end, 10);
            if (*end || now <= 0) {
                fprintf(stderr, "karirbot remind: --now takes seconds since 1970 (UTC)\n");
                return 64;
            }
            kb_clock_set(now);
        } else {
            usage();
            return strcmp(argv[i], "--help") && strcmp(argv[i], "-h") ? 64 : 0;
        }
    }
    struct kb_diag diag = {0};
    struct kb_reminder_rules *rules = load_rules(cfg);
    struct kb_locale *loc = kb_locale_load(kb_config_defaults_dir(), kb_config_override_dir(cfg));
    struct kb_policy *policy =
        kb_policy_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "%s\n", diag.lines[i]);
    kb_diag_free(&diag);
    struct kb_store *st = NULL;
    int rc = 1;
    if (!rules || !loc || !policy) {
        fprintf(stderr, "karirbot remind: the data files above do not load; nothing was done\n");
        goto out;
    }
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK)
        goto out;
    kb_reminder_rules_publish(rules);
    struct printer pr = {.st = st, .quiet = quiet};
    struct kb_remind_env env = {.st = st,
                                .loc = loc,
                                .policy = policy,
                                .rules = rules,
                                .on_message = print_message,
                                .ctx = &pr};
    struct kb_remind_stats s;
    int64_t now = kb_now();
    int pass = kb_remind_run(&env, now, dry_run, &s);
    kb_reminder_rules_publish(NULL);
    char wib[11];
    kb_local_date(now, "WIB", wib);
    printf("karirbot remind%s: %s %02d:%02d WIB, %lld people, %lld messages carrying %lld "
           "reminders, %lld held for later, %lld slices, longest %.1f ms\n",
           dry_run ? " (dry run, nothing written)" : "", wib, kb_local_hour(now, "WIB"),
           (int)((now % 3600) / 60), (long long)s.people, (long long)s.messages,
           (long long)s.reminders, (long long)s.held, (long long)s.slices, s.longest_slice_ms);
    if (pass != KB_OK) {
        fprintf(stderr,
                "karirbot remind: the pass stopped early (%s); what was queued "
                "stays queued and the next pass goes on\n",
                pass == KB_BUSY ? "the database was busy" : "see the log");
        goto out;
    }
    rc = 0;
out:
    kb_store_close(st);
    kb_policy_free(policy);
    kb_locale_free(loc);
    kb_reminder_rules_free(rules);
    return rc;
}

/* ---- the terminal's ":pengingat" ------------------------------------------------------------- */

struct shower {
    void (*show)(void *ctx, const struct kb_out *o);
    void *ctx;
};

static void show_message(void *ctx, const struct kb_out *o, int64_t employee_id)
{
    (void)employee_id;
    struct shower *sh = ctx;
    sh->show(sh->ctx, o);
}

int kb_remind_terminal(const struct kb_config *cfg, struct kb_store *st,
                       const struct kb_locale *loc, const struct kb_policy *policy,
                       void (*show)(void *ctx, const struct kb_out *o), void *ctx)
{
    struct kb_reminder_rules *rules = load_rules(cfg);
    if (!rules)
        return -1;
    kb_reminder_rules_publish(rules);
    struct shower sh = {show, ctx};
    struct kb_remind_env env = {.st = st,
                                .loc = loc,
                                .policy = policy,
                                .rules = rules,
                                .on_message = show_message,
                                .ctx = &sh};
    struct kb_remind_stats s;
    int rc = kb_remind_run(&env, kb_now(), 0, &s);
    kb_reminder_rules_publish(NULL);
    kb_reminder_rules_free(rules);
    if (rc != KB_OK) {
        fprintf(stderr, "karirbot chat: the reminder pass failed (see the log)\n");
        return -1;
    }
    return (int)s.messages;
}
