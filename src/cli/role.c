/* role: `karirbot role grant|revoke|list [--admin|--hr-unit NAME] NIP` — who administers karirbot
 * (admin) and who is each unit's HR officer (hr_unit): the officer receives that unit's digests
 * of stalled files and decides what only HR decides. A unit has one officer, the one
 * units.hr_employee_id names (the flows' "tell HR" paths read it), so granting the role to
 * someone else replaces the previous officer, and the command says whom it replaced. Each change
 * is one short transaction; the roles table keeps when and by whom it was granted. */
#include "karirbot/role.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "karirbot/admin_store.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/people.h"
#include "karirbot/store.h"

#define BUSY_MS  5000
#define NIP_LEN  18
#define LIST_MAX 1000

enum verb { GRANT, REVOKE, LIST };

struct opts {
    enum verb verb;
    int admin;
    const char *unit;
    const char *nip;
    const char *by;
};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot role grant  --admin|--hr-unit NAME NIP [--by NAME]\n"
            "       karirbot role revoke --admin|--hr-unit NAME NIP\n"
            "       karirbot role list   [--admin|--hr-unit NAME] [NIP]\n\n"
            "Roles in karirbot:\n"
            "  --admin          administers karirbot\n"
            "  --hr-unit NAME   the HR officer of the unit NAME (as in the unit_kerja column):\n"
            "                   receives the unit's digests of stalled files and decides what\n"
            "                   only HR decides. A unit has one officer: granting the role to\n"
            "                   someone else replaces the previous one.\n\n"
            "list shows every role (or those asked for), with when and by whom it was granted;\n"
            "an officer named by an import rather than by this command shows as such.\n"
            "  --by NAME        who grants it, for the record (default: the login name)\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    if (argc < 1)
        return 64;
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))
        return 1;
    if (!strcmp(argv[0], "grant"))
        o->verb = GRANT;
    else if (!strcmp(argv[0], "revoke"))
        o->verb = REVOKE;
    else if (!strcmp(argv[0], "list"))
        o->verb = LIST;
    else
        return 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return 1;
        } else if (!strcmp(a, "--admin")) {
            o->admin = 1;
        } else if (!strcmp(a, "--hr-unit") && v) {
            o->unit = v;
            i++;
        } else if (!strcmp(a, "--by") && v) {
            o->by = v;
            i++;
        } else if (a[0] != '-' && !o->nip) {
            o->nip = a;
        } else {
            fprintf(stderr, "karirbot role: unexpected argument %s\n", a);
            return 64;
        }
    }
    if (o->admin && o->unit) {
        fprintf(stderr, "karirbot role: name one role: --admin or --hr-unit NAME\n");
        return 64;
    }
    if (o->verb != LIST && (!o->nip || (!o->admin && !o->unit))) {
        fprintf(stderr, "karirbot role: grant and revoke need a role (--admin or --hr-unit NAME) "
                        "and a NIP\n");
        return 64;
    }
    return 0;
}

/* A NIP as people write it ("19850312 201001 1 002"): its 18 digits, or -1. */
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

static int list(struct kb_store *st, const char *role, int64_t unit_id, int64_t employee_id)
{
    struct kb_role_row *rows = calloc(LIST_MAX, sizeof *rows);
    int n = 0;
    if (!rows || kb_role_list(st, role, unit_id, employee_id, rows, LIST_MAX, &n) != KB_OK) {
        free(rows);
        fprintf(stderr, "karirbot role: could not read the roles\n");
        return 1;
    }
    if (n == 0)
        printf("No roles%s.\n", role && *role ? " of that kind" : " are granted");
    int width = 0; /* the role column, as wide as its longest entry */
    for (int i = 0; i < n; i++) {
        int w = !strcmp(rows[i].role, KB_ROLE_ADMIN) ? 5 : 14 + (int)strlen(rows[i].unit);
        width = w > width ? w : width;
    }
    for (int i = 0; i < n; i++) {
        const struct kb_role_row *r = &rows[i];
        char what[160], when[32] = "";
        if (!strcmp(r->role, KB_ROLE_ADMIN))
            snprintf(what, sizeof what, "admin");
        else
            snprintf(what, sizeof what, "HR officer of %s", r->unit);
        printf("%-*s  %s  %s", width, what, r->nip, r->name);
        if (r->granted_at) {
            time_t t = (time_t)r->granted_at;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%d", &tm);
            printf("  (granted %s%s%s)\n", when, *r->granted_by ? " by " : "", r->granted_by);
        } else {
            printf("  (named by the unit's record, not by karirbot role)\n");
        }
    }
    if (n == LIST_MAX)
        printf("(the first %d shown)\n", LIST_MAX);
    free(rows);
    return 0;
}

int kb_cmd_role(const struct kb_config *cfg, int argc, char **argv)
{
    struct opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        usage();
        return rc == 1 ? 0 : rc;
    }
    char nip[NIP_LEN + 1] = "";
    if (o.nip && nip_digits(o.nip, nip) != 0) {
        fprintf(stderr, "karirbot role: '%s' is not a NIP (18 digits)\n", o.nip);
        return 1;
    }
    struct kb_store *st = NULL;
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK)
        return 1;
    rc = 1;
    struct kb_person p = {0};
    int found = 0;
    int64_t unit_id = 0, replaced = 0;
    char unit[128] = "";
    if (*nip && kb_person_by_nip(st, nip, &p, &found) != KB_OK)
        goto out;
    if (*nip && !found) {
        fprintf(stderr, "karirbot role: no employee with NIP %s\n", nip);
        goto out;
    }
    if (o.unit) {
        if (kb_unit_find(st, o.unit, &unit_id, unit, sizeof unit) != KB_OK)
            goto out;
        if (!unit_id) {
            fprintf(stderr, "karirbot role: no unit named '%s'\n", o.unit);
            goto out;
        }
    }
    const char *role = o.admin ? KB_ROLE_ADMIN : o.unit ? KB_ROLE_HR_UNIT : "";
    if (o.verb == LIST) {
        rc = list(st, role, unit_id, *nip ? p.id : 0);
        goto out;
    }
    int changed = 0;
    int brc = kb_store_begin(st);
    if (brc == KB_OK) {
        brc = o.verb == GRANT ? kb_role_grant(st, p.id, role, unit_id, operator_name(o.by),
                                              kb_now(), &changed, &replaced)
                              : kb_role_revoke(st, p.id, role, unit_id, &changed);
        brc = brc == KB_OK ? kb_store_commit(st) : (kb_store_rollback(st), brc);
    }
    if (brc != KB_OK) {
        fprintf(stderr, "karirbot role: %s\n",
                brc == KB_BUSY ? "the database stayed busy; try again"
                               : "could not change the role");
        goto out;
    }
    char what[200];
    if (o.admin)
        snprintf(what, sizeof what, "an admin");
    else
        snprintf(what, sizeof what, "the HR officer of %s", unit);
    if (o.verb == GRANT && !changed) {
        printf("%s %s is %s already.\n", p.nip, p.name, what);
    } else if (o.verb == GRANT) {
        printf("%s %s is now %s.\n", p.nip, p.name, what);
        struct kb_person prev;
        int had = 0;
        if (replaced > 0 && kb_person_by_id(st, replaced, &prev, &had) == KB_OK && had)
            printf("This replaces %s %s, who no longer has that role.\n", prev.nip, prev.name);
        if (!p.chat_id)
            printf("Note: %s has not linked a Telegram account yet, so karirbot cannot reach "
                   "them; issue a code with: karirbot invite %s\n",
                   p.name, p.nip);
    } else if (!changed) {
        printf("%s %s was not %s: nothing to revoke.\n", p.nip, p.name, what);
    } else {
        printf("%s %s is no longer %s.\n", p.nip, p.name, what);
        if (o.unit)
            printf("The unit has no HR officer now: grant the role to someone with\n"
                   "  karirbot role grant --hr-unit \"%s\" NIP\n",
                   unit);
    }
    rc = 0;
out:
    kb_store_close(st);
    return rc;
}
