/* invite: `karirbot invite NIP... | --unit NAME | --unlinked [--days N] [--csv]` — HR issues each
 * employee a new one-time activation code (an older unused one stops working) and gets, per
 * employee, the NIP, name, code and the deep link https://t.me/<bot>?start=<code> to send them, as
 * text or as CSV for a mail merge. Only the code's hash is stored: this output is the one place the
 * code appears, so it goes to stdout and nowhere else (never to the log).
 *
 * The command runs beside the service on the same database, so each employee is one short
 * transaction (DESIGN invariant 14). Who gets a code is decided in one place, collect(): the
 * NIPs named on the command line, and the selections: --unit NAME, the employees of a unit who
 * have no linked account yet, and --unlinked, every employee without one. Employees who lost
 * access (inactive: `karirbot import` marks them) get no code.
 *
 * The bot's username comes from KARIRBOT_BOT_USERNAME (or --bot-username), else from what the
 * service learnt from Telegram's getMe; without it the codes are printed without links. */
#include "karirbot/invite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/idfmt.h"
#include "karirbot/import_store.h"
#include "karirbot/people.h"
#include "karirbot/store.h"

#define DAYS_DEFAULT 14
#define DAYS_MAX     365
#define BUSY_MS      5000 /* the service's transactions are short: a wait this long is a fault */
#define USERNAME_MAX 33   /* Telegram usernames have 5 to 32 characters */
#define NIP_LEN      18

struct invite_opts {
    int days;
    int csv;
    const char *bot_username; /* from the flag or the environment, or NULL */
    char **nips;              /* the positional arguments */
    int nnips;
    const char *unit; /* --unit NAME, or NULL */
    int unlinked;     /* --unlinked */
};

/* One employee to invite, as the selection names them. */
struct target {
    char nip[NIP_LEN + 1];
    const char *as_given; /* for messages */
};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot invite NIP... | --unit NAME | --unlinked [--days N] [--csv]\n"
            "                       [--db PATH]\n\n"
            "Issues each employee a new one-time activation code (an older unused code of\n"
            "theirs stops working) and prints their NIP, name, code and the link that opens\n"
            "karirbot with the code, for HR to send to them. Codes are stored only as a hash:\n"
            "this output is the only copy.\n\n"
            "  --unit NAME          the employees of the unit who have no linked account yet\n"
            "                       (name one by NIP to issue a code to a linked employee)\n"
            "  --unlinked           every employee without a linked account\n"
            "  --days N             the code is valid for N days (default %d, at most %d)\n"
            "  --csv                CSV with a header (nip,name,code,link,valid_until), UTF-8,\n"
            "                       for a mail merge\n"
            "  --bot-username NAME  the bot's Telegram username for the links (also\n"
            "                       KARIRBOT_BOT_USERNAME); by default the one the service\n"
            "                       learnt from Telegram\n"
            "  --now UNIX_SECONDS   issue as if it were then (for tests)\n\n"
            "Employees who no longer have access (inactive) get no code. Unknown NIPs are\n"
            "reported on stderr and make the exit status 1; the others are served.\n",
            DAYS_DEFAULT, DAYS_MAX);
}

/* Returns 0, 64 after a usage error, or 1 for --help (exit 0 after the usage). */
static int parse(int argc, char **argv, struct invite_opts *o)
{
    o->days = DAYS_DEFAULT;
    o->nips = calloc((size_t)argc + 1, sizeof *o->nips);
    if (!o->nips)
        return 64;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(a, "--csv")) {
            o->csv = 1;
        } else if (!strcmp(a, "--days") && v) {
            long d = strtol(v, &end, 10);
            if (*end || end == v || d < 1 || d > DAYS_MAX) {
                fprintf(stderr, "karirbot invite: --days takes a number from 1 to %d\n", DAYS_MAX);
                return 64;
            }
            o->days = (int)d;
            i++;
        } else if (!strcmp(a, "--bot-username") && v) {
            o->bot_username = v;
            i++;
        } else if (!strcmp(a, "--now") && v) {
            long long now = strtoll(v, &end, 10);
            if (*end || end == v || now <= 0)
                return 64;
            kb_clock_set(now);
            i++;
        } else if (!strcmp(a, "--unit") && v) {
            o->unit = v;
            i++;
        } else if (!strcmp(a, "--unlinked")) {
            o->unlinked = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "karirbot invite: unknown option %s\n", a);
            return 64;
        } else {
            o->nips[o->nnips++] = argv[i];
        }
    }
    if (o->nnips == 0 && !o->unit && !o->unlinked) {
        fprintf(stderr, "karirbot invite: name at least one NIP, or --unit NAME or --unlinked\n");
        return 64;
    }
    return 0;
}

/* The bot's username without '@' in out, or "" when unknown. Returns 0, or -1 when the
 * configured one is not a Telegram username. */
static int bot_username(struct kb_store *st, const char *configured, char out[USERNAME_MAX])
{
    out[0] = '\0';
    if (configured && *configured) {
        snprintf(out, USERNAME_MAX, "%s", configured + (configured[0] == '@'));
    } else if (kb_bot_username_get(st, out, USERNAME_MAX) != KB_OK) {
        return -1;
    }
    size_t n = strlen(out);
    int ok = n == 0 || (n >= 5 && n <= 32);
    for (size_t i = 0; i < n && ok; i++) {
        char c = out[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok) {
        fprintf(stderr, "karirbot invite: '%s' is not a Telegram bot username\n", out);
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* A NIP as people write it ("19990315 202503 2 006"): its 18 digits, or -1. */
static int nip_digits(const char *s, char out[NIP_LEN + 1])
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        if (*s < '0' || *s > '9' || n == NIP_LEN)
            return -1;
        out[n++] = *s;
    }
    out[n] = '\0';
    return n == NIP_LEN ? 0 : -1;
}

/* Adds a target to *t (n used, *cap allocated). Returns 0, or -1 out of memory. */
static int add_target(struct target **t, int n, int *cap, const char *nip, const char *as_given)
{
    if (n == *cap) {
        int c = *cap ? *cap * 2 : 64;
        struct target *m = realloc(*t, (size_t)c * sizeof *m);
        if (!m)
            return -1;
        *t = m;
        *cap = c;
    }
    snprintf((*t)[n].nip, sizeof(*t)[n].nip, "%s", nip);
    (*t)[n].as_given = as_given;
    return 0;
}

/* The employees of the selection (--unit, --unlinked) who are not among the first nnamed
 * targets, in id order, appended to *t; as_given is left NULL. Returns the new count, or -1
 * (said on stderr). */
static int collect_selection(struct kb_store *st, const struct invite_opts *o, struct target **t,
                             int n, int *cap, int nnamed)
{
    int64_t unit_id = 0, linked = 0, after = 0, ids[KB_IMP_PAGE_MAX];
    char nips[KB_IMP_PAGE_MAX][24];
    if (o->unit) {
        struct kb_imp_unit u;
        int found = 0;
        if (kb_imp_unit_by_name(st, o->unit, &u, &found) != KB_OK)
            return -1;
        if (!found) {
            fprintf(stderr, "karirbot invite: no unit is named '%s'\n", o->unit);
            return -1;
        }
        unit_id = u.id;
    }
    /* Read in one snapshot, page by page. */
    int page, rc = kb_store_read_begin(st);
    if (rc == KB_OK)
        rc = kb_imp_linked_count(st, unit_id, &linked);
    while (rc == KB_OK &&
           (rc = kb_imp_invite_page(st, unit_id, 1, after, ids, nips, KB_IMP_PAGE_MAX, &page)) ==
               KB_OK &&
           page > 0) {
        for (int k = 0; k < page; k++) {
            int seen = 0;
            for (int j = 0; j < nnamed && !seen; j++) /* a second code would revoke the first */
                seen = !strcmp((*t)[j].nip, nips[k]);
            if (!seen && add_target(t, n++, cap, nips[k], NULL) != 0) {
                rc = KB_ERR;
                break;
            }
        }
        after = ids[page - 1];
    }
    kb_store_read_end(st);
    if (rc != KB_OK) {
        fprintf(stderr, "karirbot invite: could not read the employees to invite\n");
        return -1;
    }
    if (linked)
        fprintf(stderr,
                "karirbot invite: %lld employee%s linked already: no code for them (name one "
                "by NIP to issue a code anyway)\n",
                (long long)linked,
                o->unit ? (linked == 1 ? " of the unit is" : "s of the unit are")
                        : (linked == 1 ? " is" : "s are"));
    return n;
}

/* The employees to invite: those named, in the order named, each once, then the selection.
 * Returns the count (into *out, which the caller frees), or -1; *bad counts the arguments that
 * are no NIP or name an employee without access (reported here). */
static int collect(struct kb_store *st, const struct invite_opts *o, struct target **out, int *bad)
{
    struct target *t = NULL;
    int n = 0, cap = 0;
    *bad = 0;
    *out = NULL;
    for (int i = 0; i < o->nnips; i++) {
        char nip[NIP_LEN + 1];
        if (nip_digits(o->nips[i], nip) != 0) {
            fprintf(stderr, "karirbot invite: '%s' is not a NIP (18 digits)\n", o->nips[i]);
            (*bad)++;
            continue;
        }
        int seen = 0;
        for (int j = 0; j < n && !seen; j++)
            seen = !strcmp(t[j].nip, nip);
        if (seen)
            continue; /* a second code would revoke the first one printed */
        int active = -1;
        if (kb_imp_employee_active(st, nip, &active) != KB_OK) {
            free(t);
            return -1;
        }
        if (active == 0) {
            fprintf(stderr,
                    "karirbot invite: %s no longer has access (inactive); import them "
                    "with status_aktif aktif first\n",
                    nip);
            (*bad)++;
            continue;
        }
        if (add_target(&t, n++, &cap, nip, o->nips[i]) != 0) {
            free(t);
            return -1;
        }
    }
    int named = n;
    if (o->unit || o->unlinked)
        n = collect_selection(st, o, &t, n, &cap, named);
    for (int i = named; i < n; i++)
        t[i].as_given = t[i].nip;
    *out = t;
    return n;
}

/* Writes s as one CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
static void csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

/* Issues the code of one employee in its own transaction. Returns 0, or 1 when this employee
 * could not be served (said on stderr). */
static int invite_one(struct kb_store *st, const struct invite_opts *o, const struct target *t,
                      const char *bot)
{
    struct kb_person p;
    int found = 0;
    char code[KB_CODE_LEN + 1] = "";
    int64_t now = kb_now(), expires = now + (int64_t)o->days * 86400;
    int rc = kb_store_begin(st);
    if (rc == KB_OK) {
        rc = kb_person_by_nip(st, t->nip, &p, &found);
        if (rc == KB_OK && found)
            rc = kb_code_issue(st, p.id, now, expires, code);
        rc = rc == KB_OK && found ? kb_store_commit(st) : (kb_store_rollback(st), rc);
    }
    if (rc != KB_OK) {
        fprintf(stderr, "karirbot invite: %s: %s\n", t->as_given,
                rc == KB_BUSY ? "the database stayed busy; try again" : "could not issue a code");
        return 1;
    }
    if (!found) {
        fprintf(stderr, "karirbot invite: no employee with NIP %s\n", t->nip);
        return 1;
    }
    if (p.chat_id)
        fprintf(stderr,
                "karirbot invite: note: %s (%s) is linked to a Telegram account already; the "
                "new code works only after that link is removed (/keluar)\n",
                p.nip, p.name);
    char shown[KB_CODE_SHOWN], link[128] = "", until[KB_DATE_LEN];
    kb_code_group(code, shown);
    if (*bot)
        snprintf(link, sizeof link, "https://t.me/%s?start=%s", bot, code);
    if (kb_local_date(expires, p.zone, until) != 0)
        kb_local_date(expires, "WIB", until);
    if (o->csv) {
        const char *fields[] = {p.nip, p.name, shown, link, until};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            if (i)
                putchar(',');
            csv_field(fields[i]);
        }
        fputs("\r\n", stdout);
    } else {
        printf("%s  %s\n  code  %s  (valid until %s %s)\n", p.nip, p.name, shown, until,
               kb_zone_offset(p.zone) < 0 ? "WIB" : p.zone);
        if (*link)
            printf("  link  %s\n", link);
    }
    fflush(stdout);
    memset(code, 0, sizeof code);
    return 0;
}

int kb_cmd_invite(const struct kb_config *cfg, int argc, char **argv)
{
    struct invite_opts o = {0};
    struct target *targets = NULL;
    struct kb_store *st = NULL;
    o.bot_username = cfg->bot_username;
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        usage();
        free(o.nips);
        return rc == 1 ? 0 : rc;
    }
    char bot[USERNAME_MAX];
    int bad = 0, n = -1;
    rc = 1;
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK ||
        (n = collect(st, &o, &targets, &bad)) < 0)
        goto out;
    if (bot_username(st, o.bot_username, bot) != 0) {
        rc = 64;
        goto out;
    }
    if (o.csv)
        fputs("nip,name,code,link,valid_until\r\n", stdout);
    int failed = bad;
    for (int i = 0; i < n; i++)
        failed += invite_one(st, &o, &targets[i], bot);
    if (!*bot && n > 0)
        fprintf(stderr, "karirbot invite: the links need the bot's username: set "
                        "KARIRBOT_BOT_USERNAME, or start the service once (it learns the name "
                        "from Telegram). The codes above work when typed to the bot.\n");
    rc = failed ? 1 : 0;
out:
    kb_store_close(st);
    free(targets);
    free(o.nips);
    return rc;
}
