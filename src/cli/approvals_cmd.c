/* approvals_cmd: `karirbot approvals list|reassign|delegate|delegations|undelegate`.
 *
 * reassign: a request waits for an approver who cannot decide (no Telegram account, on leave,
 * moved away). HR gives it to someone else. The approval card with its Setujui/Tolak buttons is
 * made by the dialog engine (its buttons are tokens of an engine turn), so a command cannot
 * send one; it re-routes the row and tells the new approver in a message that points to
 * /persetujuan, which lists the request with the same decision buttons. The requester is told
 * where their request went. A card the former approver still holds answers that the request
 * is no longer theirs (access.h).
 *
 * delegate: a Plt/Plh acts for an official from one date to another (both included). While the
 * delegation is active, a new request addressed to the official goes to the delegate
 * (kb_delegation_resolve, called where the approvals core picks the approver); with
 * --move-waiting, the requests already waiting for the official move too. Mentoring and
 * coaching requests stay with the chosen mentor or coach: nobody accepts a mentee for
 * someone else.
 *
 * Every change is one short transaction (DESIGN invariant 14); messages go through the outbox
 * (tell.h). */
#include "karirbot/approvals_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/actions.h"
#include "karirbot/approval_rows.h"
#include "karirbot/approvals.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/diag.h"
#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/import.h"
#include "karirbot/locale.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/store.h"
#include "karirbot/tell.h"

#define BUSY_MS  5000
#define LIST_MAX 200 /* delegations listed */

enum op { OP_LIST, OP_REASSIGN, OP_DELEGATE, OP_DELEGATIONS, OP_UNDELEGATE };

struct opts {
    enum op op;
    const char *to, *from; /* NIPs */
    const char *approver;  /* NIP, for list */
    const char *from_date, *to_date;
    int unlinked, all, move_waiting, notify;
    int64_t *ids;
    int nids;
};

struct run {
    const struct kb_config *cfg;
    const struct opts *o;
    struct kb_store *st;
    struct kb_locale *loc;
    struct kb_policy *policy;
    char today[11];
};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot approvals COMMAND [ARGS] [--db PATH]\n\n"
            "  list [--unlinked] [--approver NIP]\n"
            "        requests waiting for a decision, oldest first; --unlinked: only those whose\n"
            "        approver has no linked Telegram account (they cannot decide)\n"
            "  reassign APPROVAL_ID... --to NIP\n"
            "        gives waiting requests to another approver, who is told on Telegram to\n"
            "        decide them with /persetujuan; the requester is told too\n"
            "  delegate --from NIP --to NIP --from-date DATE --to-date DATE [--move-waiting]\n"
            "        Plt/Plh: from DATE to DATE (both included), new requests addressed to the\n"
            "        first go to the second (not mentoring or coaching requests, which stay\n"
            "        the chosen mentor's); --move-waiting also moves the requests waiting for\n"
            "        the first now (when the delegation has begun). Both are told.\n"
            "  delegations [--all]\n"
            "        delegations active or to come (--all: also those that ended)\n"
            "  undelegate DELEGATION_ID\n"
            "        ends a delegation now; requests already routed stay where they are\n\n"
            "  --no-notify   change the records without telling anyone\n"
            "Dates as in the import files: YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct {
        const char *name;
        enum op op;
    } ops[] = {{"list", OP_LIST},
               {"reassign", OP_REASSIGN},
               {"delegate", OP_DELEGATE},
               {"delegations", OP_DELEGATIONS},
               {"undelegate", OP_UNDELEGATE}};
    o->notify = 1;
    if (argc < 1)
        return 64;
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") || !strcmp(argv[0], "help"))
        return 1;
    size_t k = 0;
    while (k < sizeof ops / sizeof ops[0] && strcmp(ops[k].name, argv[0]))
        k++;
    if (k == sizeof ops / sizeof ops[0]) {
        fprintf(stderr, "karirbot approvals: unknown command '%s'\n", argv[0]);
        return 64;
    }
    o->op = ops[k].op;
    o->ids = calloc((size_t)argc, sizeof *o->ids);
    if (!o->ids)
        return 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(a, "--to")          ? &o->to
                            : !strcmp(a, "--from")      ? &o->from
                            : !strcmp(a, "--approver")  ? &o->approver
                            : !strcmp(a, "--from-date") ? &o->from_date
                            : !strcmp(a, "--to-date")   ? &o->to_date
                                                        : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return 1;
        } else if (slot && v) {
            *slot = v;
            i++;
        } else if (!strcmp(a, "--unlinked")) {
            o->unlinked = 1;
        } else if (!strcmp(a, "--all")) {
            o->all = 1;
        } else if (!strcmp(a, "--move-waiting")) {
            o->move_waiting = 1;
        } else if (!strcmp(a, "--no-notify")) {
            o->notify = 0;
        } else if (!strcmp(a, "--now") && v) {
            int64_t now;
            if (kb_admin_id(v, &now) != 0)
                return 64;
            kb_clock_set(now);
            i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "karirbot approvals: unknown option %s%s\n", a,
                    slot ? " (it needs a value)" : "");
            return 64;
        } else if (kb_admin_id(a, &o->ids[o->nids]) == 0) {
            o->nids++;
        } else {
            fprintf(stderr, "karirbot approvals: '%s' is not an id\n", a);
            return 64;
        }
    }
    const char *need = NULL;
    if (o->op == OP_REASSIGN && (!o->nids || !o->to))
        need = "reassign needs request ids and --to NIP";
    else if (o->op == OP_DELEGATE && (!o->from || !o->to || !o->from_date || !o->to_date))
        need = "delegate needs --from NIP --to NIP --from-date DATE --to-date DATE";
    else if (o->op == OP_UNDELEGATE && o->nids != 1)
        need = "undelegate needs one delegation id";
    else if ((o->op == OP_LIST || o->op == OP_DELEGATIONS || o->op == OP_DELEGATE) && o->nids)
        need = "this command takes no ids";
    if (need) {
        fprintf(stderr, "karirbot approvals: %s\n", need);
        return 64;
    }
    return 0;
}

/* The employee with the NIP given for flag, into p. Returns 0, or -1 after saying why. */
static int person_named(struct run *r, const char *flag, const char *given, struct kb_person *p)
{
    char nip[19];
    int found = 0;
    if (kb_admin_nip(given, nip) != 0) {
        fprintf(stderr, "karirbot approvals: %s '%s' is not a NIP (18 digits)\n", flag, given);
        return -1;
    }
    if (kb_person_by_nip(r->st, nip, p, &found) != KB_OK || !found) {
        fprintf(stderr, "karirbot approvals: %s: no employee with NIP %s\n", flag, nip);
        return -1;
    }
    return 0;
}

/* ---- describing a request for its readers ---------------------------------------------------- */

static const struct kb_approval_kind *kind_named(const char *name)
{
    const struct kb_approval_kind *const kinds[] = {&kb_approval_rpi_activity,
                                                    &kb_approval_rpi_plan, &kb_approval_evidence,
                                                    &kb_approval_training, &kb_approval_mentor};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i]->kind, name))
            return kinds[i];
    return NULL;
}

/* The request's kind ("training registration") and subject, as its area describes them, in
 * lang: the same words as the approver's card. */
static int describe(struct run *r, const struct kb_approval_row *a, const char *lang, char *kind,
                    size_t kcap, char *what, size_t wcap)
{
    char key[48];
    snprintf(key, sizeof key, "approval_kind_%s", a->kind);
    char *k = kb_locale_render_plain(r->loc, lang, key, NULL, 0);
    snprintf(kind, kcap, "%s", k ? k : a->kind);
    free(k);
    const struct kb_approval_kind *def = kind_named(a->kind);
    struct kb_action_ctx ctx = {
        .st = r->st, .lang = lang, .loc = r->loc, .policy = r->policy, .now = kb_now()};
    snprintf(ctx.today, sizeof ctx.today, "%s", r->today);
    what[0] = '\0';
    if (!def || def->describe(&ctx, a->subject_id, what, wcap) != 0)
        snprintf(what, wcap, "#%lld", (long long)a->subject_id);
    return 0;
}

/* The salutation and the name of p in lang ("Mr Hendra Pratama" in English). */
static void titled(struct run *r, const char *lang, const struct kb_person *p, char *buf,
                   size_t cap)
{
    char *sal = kb_locale_render_plain(r->loc, lang, kb_person_salutation_key(p), NULL, 0);
    snprintf(buf, cap, "%s%s%s", sal ? sal : "", sal && *sal ? " " : "", p->name);
    free(sal);
}

/* Moves one waiting request to `to` and tells both sides, inside the caller's transaction.
 * *moved 0 when it was no longer waiting (or already with to). Returns 0 or -1. */
static int move_request(struct run *r, const struct kb_approval_row *a, const struct kb_person *to,
                        int64_t delegation_id, int *moved, int64_t *told_to, int64_t *told_req)
{
    *told_to = *told_req = 0;
    if (kb_hr_approval_reassign(r->st, a->id, to->id, delegation_id, kb_now(), moved) != KB_OK)
        return -1;
    if (!*moved || !r->o->notify)
        return 0;
    struct kb_person req;
    int found = 0;
    if (kb_person_by_id(r->st, a->requester_id, &req, &found) != KB_OK || !found)
        return found ? 0 : -1;
    char lang[8], kind[128], what[512], who[192];
    kb_tell_lang(r->st, to, lang);
    describe(r, a, lang, kind, sizeof kind, what, sizeof what);
    const char *v1[] = {"kind", kind, "requester", req.name, "unit", req.unit, "what", what};
    if (kb_tell(r->st, r->loc, to, "hr_approval_reassigned", v1, 4, kb_now(), told_to) != 0)
        return -1;
    kb_tell_lang(r->st, &req, lang);
    describe(r, a, lang, kind, sizeof kind, what, sizeof what);
    titled(r, lang, to, who, sizeof who);
    const char *v2[] = {"kind", kind, "what", what, "approver", who};
    return kb_tell(r->st, r->loc, &req, "hr_approval_reassigned_requester", v2, 3, kb_now(),
                   told_req);
}

/* ---- list ----------------------------------------------------------------------------------- */

static int list(struct run *r)
{
    int64_t approver = 0;
    if (r->o->approver) {
        struct kb_person p;
        if (person_named(r, "--approver", r->o->approver, &p) != 0)
            return 64;
        approver = p.id;
    }
    struct kb_hr_approval *rows = calloc(KB_HR_PAGE_MAX, sizeof *rows);
    if (!rows)
        return 1;
    printf("%-7s %-13s %-7s %-18s %-24s %-6s %s\n", "id", "kind", "waiting", "approver nip",
           "approver", "linked", "requester");
    int64_t after = 0, now = kb_now();
    int n = 0, total = 0, rc;
    do {
        rc = kb_store_read_begin(r->st);
        if (rc == KB_OK)
            rc = kb_hr_approvals_waiting(r->st, approver, r->o->unlinked, after, rows,
                                         KB_HR_PAGE_MAX, &n);
        kb_store_read_end(r->st);
        for (int i = 0; rc == KB_OK && i < n; i++) {
            const struct kb_hr_approval *a = &rows[i];
            char days[24];
            snprintf(days, sizeof days, "%lldd", (long long)((now - a->created_at) / 86400));
            printf("%-7lld %-13s %-7s %-18s %-24.24s %-6s %s\n", (long long)a->id, a->kind, days,
                   a->approver_nip, a->approver_name, a->approver_linked ? "yes" : "NO",
                   a->requester_name);
            after = a->id;
        }
        total += rc == KB_OK ? n : 0;
    } while (rc == KB_OK && n == KB_HR_PAGE_MAX);
    free(rows);
    if (rc != KB_OK) {
        fprintf(stderr, "karirbot approvals list: the requests could not be read\n");
        return 1;
    }
    printf("\n%d request%s waiting%s\n", total, total == 1 ? "" : "s",
           r->o->unlinked ? " for an approver without a linked account" : "");
    return 0;
}

/* ---- reassign ------------------------------------------------------------------------------- */

static int reassign(struct run *r)
{
    struct kb_person to;
    if (person_named(r, "--to", r->o->to, &to) != 0)
        return 64;
    if (!to.chat_id)
        fprintf(stderr,
                "karirbot approvals: note: %s %s has no linked Telegram account either; they "
                "can decide once linked (karirbot invite %s)\n",
                to.nip, to.name, to.nip);
    int failed = 0;
    for (int i = 0; i < r->o->nids; i++) {
        int64_t id = r->o->ids[i], told_to = 0, told_req = 0;
        struct kb_approval_row a;
        int found = 0, moved = 0;
        int rc = kb_store_begin(r->st);
        if (rc == KB_OK && kb_approval_get(r->st, id, &a, &found) != KB_OK)
            rc = KB_ERR;
        const char *why = rc == KB_BUSY                  ? "the database stayed busy; try again"
                          : rc != KB_OK                  ? "could not be changed"
                          : !found                       ? "no such request"
                          : strcmp(a.status, "menunggu") ? "it is not waiting any more"
                          : a.requester_id == to.id      ? "nobody decides their own request"
                          : a.approver_id == to.id       ? NULL
                                                         : "";
        if (why && !*why && move_request(r, &a, &to, 0, &moved, &told_to, &told_req) != 0)
            why = "could not be changed";
        if (why && *why) {
            kb_store_rollback(r->st);
            fprintf(stderr, "karirbot approvals: request %lld: %s%s%s\n", (long long)id, why,
                    found && strcmp(a.status, "menunggu") ? ": " : "",
                    found && strcmp(a.status, "menunggu") ? a.status : "");
            failed++;
            continue;
        }
        if (!why || !moved) {
            kb_store_rollback(r->st);
            printf("request %lld: already with %s; nothing changed\n", (long long)id, to.name);
            continue;
        }
        if ((rc = kb_store_commit(r->st)) != KB_OK) {
            kb_store_rollback(r->st);
            fprintf(stderr, "karirbot approvals: request %lld: could not be changed\n",
                    (long long)id);
            failed++;
            continue;
        }
        printf("request %lld (%s): now with %s %s; %s; the requester %s\n", (long long)id, a.kind,
               to.nip, to.name,
               !r->o->notify ? "nobody told (--no-notify)"
               : told_to     ? "told on Telegram to decide with /persetujuan"
                             : "NOT told (no linked account)",
               !r->o->notify ? "not told"
               : told_req    ? "was told"
                             : "has no linked account");
    }
    return failed ? 1 : 0;
}

/* ---- delegations ----------------------------------------------------------------------------- */

/* Tells p key about the delegation: {principal}, {delegate}, {from}, {to} in p's language. */
static int tell_delegation(struct run *r, const struct kb_person *p, const char *key,
                           const struct kb_person *principal, const struct kb_person *delegate,
                           const char *from, const char *to, int64_t *told)
{
    *told = 0;
    if (!r->o->notify)
        return 0;
    char lang[8], pn[192], dn[192], f[64], t[64];
    kb_tell_lang(r->st, p, lang);
    titled(r, lang, principal, pn, sizeof pn);
    titled(r, lang, delegate, dn, sizeof dn);
    kb_tell_date(r->loc, lang, from, f, sizeof f);
    kb_tell_date(r->loc, lang, to, t, sizeof t);
    const char *vars[] = {"principal", pn, "delegate", dn, "from", f, "to", t};
    return kb_tell(r->st, r->loc, p, key, vars, 4, kb_now(), told);
}

/* The principal's waiting requests (other than mentoring) move to the delegate, in pages of
 * one transaction each. Returns how many moved, or -1. */
static int move_waiting(struct run *r, const struct kb_person *principal,
                        const struct kb_person *delegate, int64_t delegation_id)
{
    struct kb_hr_approval *rows = calloc(KB_HR_PAGE_MAX, sizeof *rows);
    int64_t after = 0;
    int n = 0, moved_total = 0;
    if (!rows)
        return -1;
    do {
        int rc = kb_store_begin(r->st);
        if (rc == KB_OK)
            rc = kb_hr_approvals_waiting(r->st, principal->id, 0, after, rows, 50, &n);
        for (int i = 0; rc == KB_OK && i < n; i++) {
            struct kb_approval_row a;
            int found = 0, moved = 0;
            int64_t t1, t2;
            after = rows[i].id;
            if (!strcmp(rows[i].kind, "mentor") || rows[i].requester_id == delegate->id)
                continue;
            if (kb_approval_get(r->st, rows[i].id, &a, &found) != KB_OK ||
                (found && move_request(r, &a, delegate, delegation_id, &moved, &t1, &t2) != 0))
                rc = KB_ERR;
            moved_total += moved;
        }
        if (rc == KB_OK)
            rc = kb_store_commit(r->st);
        if (rc != KB_OK) {
            kb_store_rollback(r->st);
            free(rows);
            return -1;
        }
    } while (n == 50);
    free(rows);
    return moved_total;
}

static int delegate(struct run *r)
{
    struct kb_person principal, deputy;
    char from[11], to[11];
    if (person_named(r, "--from", r->o->from, &principal) != 0 ||
        person_named(r, "--to", r->o->to, &deputy) != 0)
        return 64;
    if (kb_import_date(r->o->from_date, from) != 0 || kb_import_date(r->o->to_date, to) != 0) {
        fprintf(stderr, "karirbot approvals: the dates must be YYYY-MM-DD, DD-MM-YYYY or "
                        "DD/MM/YYYY\n");
        return 64;
    }
    if (strcmp(from, to) > 0 || strcmp(to, r->today) < 0 || principal.id == deputy.id) {
        fprintf(stderr, "karirbot approvals: %s\n",
                principal.id == deputy.id ? "nobody acts for themselves"
                : strcmp(from, to) > 0    ? "--from-date is after --to-date"
                                          : "the delegation would have ended already");
        return 64;
    }
    int64_t id = 0, overlap = 0, t1 = 0, t2 = 0;
    int rc = kb_store_begin(r->st);
    if (rc == KB_OK && kb_delegation_add(r->st, principal.id, deputy.id, from, to, kb_now(), &id,
                                         &overlap) != KB_OK)
        rc = KB_ERR;
    if (rc == KB_OK && id &&
        (tell_delegation(r, &deputy, "hr_delegation_delegate", &principal, &deputy, from, to,
                         &t1) != 0 ||
         tell_delegation(r, &principal, "hr_delegation_principal", &principal, &deputy, from, to,
                         &t2) != 0))
        rc = KB_ERR;
    if (rc == KB_OK && id)
        rc = kb_store_commit(r->st);
    if (rc != KB_OK || !id) {
        kb_store_rollback(r->st);
        if (overlap)
            fprintf(stderr,
                    "karirbot approvals: %s %s already has delegation %lld in those dates; end "
                    "it first (karirbot approvals undelegate %lld)\n",
                    principal.nip, principal.name, (long long)overlap, (long long)overlap);
        else
            fprintf(stderr, "karirbot approvals: the delegation could not be recorded%s\n",
                    rc == KB_BUSY ? ": the database stayed busy; try again" : "");
        return 1;
    }
    printf("delegation %lld: %s %s acts for %s %s from %s to %s; %s\n", (long long)id, deputy.nip,
           deputy.name, principal.nip, principal.name, from, to,
           !r->o->notify ? "nobody told (--no-notify)"
           : t1          ? "the delegate was told on Telegram"
                         : "the delegate has NO linked Telegram account: they cannot decide "
                           "until linked (karirbot invite)");
    if (r->o->move_waiting) {
        if (strcmp(from, r->today) > 0) {
            printf("  the requests waiting now stay with %s: the delegation begins on %s\n",
                   principal.name, from);
        } else {
            int moved = move_waiting(r, &principal, &deputy, id);
            if (moved < 0) {
                fprintf(stderr,
                        "karirbot approvals: the waiting requests could not all be "
                        "moved; run `karirbot approvals list --approver %s`\n",
                        principal.nip);
                return 1;
            }
            printf("  %d waiting request%s moved to %s\n", moved, moved == 1 ? "" : "s",
                   deputy.name);
        }
    }
    return 0;
}

static int delegations(struct run *r)
{
    struct kb_delegation *rows = calloc(LIST_MAX, sizeof *rows);
    int n = 0;
    int rc =
        rows ? kb_delegations_list(r->st, r->o->all ? NULL : r->today, rows, LIST_MAX, &n) : KB_ERR;
    if (rc != KB_OK) {
        free(rows);
        fprintf(stderr, "karirbot approvals: the delegations could not be read\n");
        return 1;
    }
    printf("%-6s %-10s %-10s %-28s %-28s %s\n", "id", "from", "to", "acting (delegate)",
           "for (principal)", "state");
    for (int i = 0; i < n; i++) {
        const struct kb_delegation *d = &rows[i];
        const char *state = strcmp(d->to_date, r->today) < 0     ? "ended"
                            : strcmp(d->from_date, r->today) > 0 ? "to come"
                                                                 : "active";
        printf("%-6lld %-10s %-10s %-28.28s %-28.28s %s\n", (long long)d->id, d->from_date,
               d->to_date, d->delegate_name, d->principal_name, state);
    }
    printf("\n%d delegation%s%s\n", n, n == 1 ? "" : "s", n == LIST_MAX ? " (the first ones)" : "");
    free(rows);
    return 0;
}

static int undelegate(struct run *r)
{
    int changed = 0;
    int rc = kb_store_begin(r->st);
    if (rc == KB_OK && kb_delegation_cancel(r->st, r->o->ids[0], kb_now(), &changed) != KB_OK)
        rc = KB_ERR;
    if (rc == KB_OK)
        rc = kb_store_commit(r->st);
    if (rc != KB_OK) {
        kb_store_rollback(r->st);
        fprintf(stderr, "karirbot approvals: the delegation could not be ended\n");
        return 1;
    }
    if (!changed) {
        fprintf(stderr, "karirbot approvals: no delegation %lld in force\n",
                (long long)r->o->ids[0]);
        return 1;
    }
    printf("delegation %lld ended: new requests go to the official again\n",
           (long long)r->o->ids[0]);
    return 0;
}

int kb_cmd_approvals(const struct kb_config *cfg, int argc, char **argv)
{
    struct opts o = {0};
    struct run r = {.cfg = cfg, .o = &o};
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        usage();
        free(o.ids);
        return rc == 1 ? 0 : rc;
    }
    kb_admin_today(r.today);
    rc = 1;
    if (kb_store_open(&r.st, cfg->db_path, BUSY_MS) != KB_OK)
        goto out;
    if (o.op == OP_REASSIGN || o.op == OP_DELEGATE) {
        struct kb_diag diag = {0};
        r.loc = kb_tell_locale(cfg);
        /* For the areas' descriptions (a form's name); they manage without it. */
        r.policy = kb_policy_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
        kb_diag_free(&diag);
        if (!r.loc)
            goto out;
    }
    switch (o.op) {
    case OP_LIST:
        rc = list(&r);
        break;
    case OP_REASSIGN:
        rc = reassign(&r);
        break;
    case OP_DELEGATE:
        rc = delegate(&r);
        break;
    case OP_DELEGATIONS:
        rc = delegations(&r);
        break;
    case OP_UNDELEGATE:
        rc = undelegate(&r);
        break;
    }
out:
    kb_policy_free(r.policy);
    kb_locale_free(r.loc);
    kb_store_close(r.st);
    free(o.ids);
    return rc;
}
