/* act_approvals: the one mechanism by which a request waits for someone's decision.
 *
 * An area asks with kb_approval_request(): a row in `approvals` and a card to the approver
 * with Setujui / Tolak / Detail. A press on the card starts the flow `kartu_persetujuan` for the
 * person who pressed (the token is bound to the approver's chat, so a forwarded card is refused
 * before any flow runs); `/persetujuan` lists what waits. Either way the flow calls
 * approval_open, which checks with access.h that the actor is the recorded approver and the
 * request still waits, then approval_approve or approval_reject, which record the decision
 * (only if still waiting: a second press, or a press after a withdrawal, changes nothing) and
 * let the area apply it and tell the requester. */
#include "karirbot/approvals.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/access.h"
#include "karirbot/approval_rows.h"
#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/log.h"

#define WAITING_MAX 64 /* /persetujuan lists the oldest this many */

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

/* ---- asking --------------------------------------------------------------------------------- */

int kb_approval_request(struct kb_action_ctx *ctx, const struct kb_approval_kind *kind,
                        int64_t subject_id, int64_t approver_id, int64_t *approval_id,
                        int *approver_linked)
{
    *approval_id = 0;
    *approver_linked = 0;
    if (!ctx->actor)
        return -1;
    /* A Plt/Plh acting for the supervisor on the requester's date decides instead
     * (hr_store.h); whether to guide a mentee stays the chosen mentor's or coach's own. */
    if (strcmp(kind->kind, "mentor") != 0)
        approver_id = kb_delegation_resolve(ctx->st, approver_id, ctx->actor->id, ctx->today);
    if (kb_approval_insert(ctx->st, kind->kind, subject_id, ctx->actor->id, approver_id, ctx->now,
                           approval_id) != KB_OK)
        return -1;
    /* The card is read by the approver: describe the subject in their language. */
    char what[512] = "", lang[8] = "";
    struct kb_person approver;
    int found = 0;
    if (kb_person_by_id(ctx->st, approver_id, &approver, &found) != KB_OK ||
        (found && approver.chat_id &&
         kb_chat_lang_get(ctx->st, approver.chat_id, lang, sizeof lang) != KB_OK))
        return -1;
    struct kb_action_ctx in_their_lang = *ctx;
    in_their_lang.lang = lang[0] ? lang : "id";
    char detail[1024] = "";
    if (kind->describe(&in_their_lang, subject_id, what, sizeof what) != 0 ||
        (kind->detail && kind->detail(&in_their_lang, subject_id, detail, sizeof detail) != 0))
        return -1;
    char card_key[48], id[24], yes[32], no[32], more[32];
    snprintf(card_key, sizeof card_key, "approval_card_%s", kind->kind);
    snprintf(id, sizeof id, "%lld", (long long)*approval_id);
    snprintf(yes, sizeof yes, "%s:yes", id);
    snprintf(no, sizeof no, "%s:no", id);
    snprintf(more, sizeof more, "%s:detail", id);
    const char *vars[] = {"requester", ctx->actor->name, "unit", ctx->actor->unit, "what",
                          what,        "detail",         detail};
    const struct kb_note_button buttons[] = {{"btn_approve", "kartu_persetujuan", yes},
                                             {"btn_reject", "kartu_persetujuan", no},
                                             {"btn_detail", "kartu_persetujuan", more}};
    int64_t chat = 0;
    if (ctx->notify(ctx, approver_id, card_key, vars, 4, buttons, 3, &chat) != 0)
        return -1;
    *approver_linked = chat != 0;
    KB_INFO("approval.requested", "id=%lld kind=%s requester=%lld approver=%lld linked=%d",
            (long long)*approval_id, kind->kind, (long long)ctx->actor->id, (long long)approver_id,
            *approver_linked);
    return 0;
}

int kb_approval_withdraw(struct kb_action_ctx *ctx, const char *kind, int64_t subject_id)
{
    int changed = 0;
    if (kb_approval_withdraw_subject(ctx->st, kind, subject_id, ctx->now, &changed) != KB_OK)
        return -1;
    if (changed)
        KB_INFO("approval.withdrawn", "kind=%s subject=%lld", kind, (long long)subject_id);
    return 0;
}

/* ---- deciding ------------------------------------------------------------------------------- */

/* The request this turn is about: answers.approval (chosen from /persetujuan) or the card's
 * answers.arg "<id>:<yes|no|detail>". */
static int64_t request_id(struct kb_action_ctx *ctx, const char **op)
{
    const char *arg = kb_action_answer(ctx, "arg");
    *op = "detail";
    if (*arg) {
        const char *colon = strchr(arg, ':');
        *op = colon ? colon + 1 : "detail";
        return strtoll(arg, NULL, 10);
    }
    return kb_action_answer_i64(ctx, "approval");
}

static int date_of(struct kb_action_ctx *ctx, int64_t instant, char *out, size_t cap)
{
    char ymd[KB_DATE_LEN];
    const char *zone = ctx->actor ? ctx->actor->zone : "WIB";
    if (kb_local_date(instant, zone, ymd) != 0)
        return -1;
    return kb_locale_date(ctx->loc, ctx->lang, ymd, out, cap);
}

/* Loads the request and its variables ({requester}, {what}, {kind}, {asked_on}, {days},
 * {decided_on}, {decision}, {reason}); the result word says what may happen next. */
static int open_request(struct kb_action_ctx *ctx, struct kb_action_out *out,
                        struct kb_approval_row *r, const struct kb_approval_kind **kind)
{
    const char *op;
    int64_t id = request_id(ctx, &op);
    int found = 0;
    if (id <= 0 || kb_approval_get(ctx->st, id, r, &found) != KB_OK)
        return id <= 0 ? (snprintf(out->result, sizeof out->result, "gone"), 0) : -1;
    *kind = found ? kind_named(r->kind) : NULL;
    if (!found || !*kind) {
        snprintf(out->result, sizeof out->result, "gone");
        return 0;
    }
    int access = kb_access_approval(ctx->actor, r->approver_id, r->status);
    if (access == KB_ACCESS_DENIED) {
        KB_WARN("approval.not_approver", "id=%lld actor=%lld", (long long)r->id,
                (long long)(ctx->actor ? ctx->actor->id : 0));
        snprintf(out->result, sizeof out->result, "forbidden");
        return 0;
    }
    struct kb_person requester;
    char what[512] = "", detail[1024] = "", buf[64], key[48];
    if (kb_person_by_id(ctx->st, r->requester_id, &requester, &found) != KB_OK ||
        (*kind)->describe(ctx, r->subject_id, what, sizeof what) != 0 ||
        ((*kind)->detail && (*kind)->detail(ctx, r->subject_id, detail, sizeof detail) != 0))
        return -1;
    snprintf(key, sizeof key, "approval_kind_%s", r->kind);
    char *kind_name = kb_action_render(ctx, key, NULL, 0);
    int rc = kind_name ? 0 : -1;
    rc |= kb_action_var(out, "requester", found ? requester.name : "");
    rc |= kb_action_var(out, "requester_unit", found ? requester.unit : "");
    rc |= kb_action_var(out, "what", what);
    rc |= kb_action_var(out, "detail", detail);
    rc |= kb_action_var(out, "kind", kind_name ? kind_name : "");
    free(kind_name);
    rc |= date_of(ctx, r->created_at, buf, sizeof buf) | kb_action_var(out, "asked_on", buf);
    rc |= kb_action_varf(out, "days", "%lld", (long long)((ctx->now - r->created_at) / 86400));
    if (r->decided_at)
        rc |= date_of(ctx, r->decided_at, buf, sizeof buf) | kb_action_var(out, "decided_on", buf);
    rc |= kb_action_var(out, "reason", r->reason);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)r->id);
    cJSON_DeleteItemFromObjectCaseSensitive(ctx->answers, "approval");
    cJSON_AddStringToObject(ctx->answers, "approval", id_text);
    if (access == KB_ACCESS_GONE)
        snprintf(out->result, sizeof out->result, "%s",
                 !strcmp(r->status, "ditarik")     ? "withdrawn"
                 : !strcmp(r->status, "disetujui") ? "approved_before"
                                                   : "rejected_before");
    else
        snprintf(out->result, sizeof out->result, "%s",
                 !strcmp(op, "yes")  ? "approve"
                 : !strcmp(op, "no") ? "reject"
                                     : "detail");
    return rc ? -1 : 0;
}

static int approval_open(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    struct kb_approval_row r;
    const struct kb_approval_kind *kind;
    return open_request(ctx, out, &r, &kind);
}

static int decide(struct kb_action_ctx *ctx, struct kb_action_out *out, int approved)
{
    struct kb_approval_row r;
    const struct kb_approval_kind *kind = NULL;
    if (open_request(ctx, out, &r, &kind) != 0)
        return -1;
    /* Open again at the moment of deciding: the request may have changed while the approver
     * typed a reason. */
    if (strcmp(out->result, "approve") && strcmp(out->result, "reject") &&
        strcmp(out->result, "detail"))
        return 0;
    const char *reason = approved ? NULL : kb_action_answer(ctx, "reason");
    int changed = 0;
    if (kb_approval_decide(ctx->st, r.id, approved ? "disetujui" : "ditolak", reason,
                           ctx->actor->id, ctx->now, &changed) != KB_OK)
        return -1;
    if (!changed) {
        snprintf(out->result, sizeof out->result, "gone");
        return 0;
    }
    KB_INFO("approval.decided", "id=%lld kind=%s approver=%lld decision=%s", (long long)r.id,
            r.kind, (long long)ctx->actor->id, approved ? "approved" : "rejected");
    if (kind->decided(ctx, r.subject_id, r.requester_id, approved, reason) != 0)
        return -1;
    char buf[64];
    if (date_of(ctx, ctx->now, buf, sizeof buf) != 0 ||
        kb_action_var(out, "decided_on", buf) != 0 ||
        kb_action_var(out, "reason", reason ? reason : "") != 0 ||
        kb_action_var(out, "approver", ctx->actor->name) != 0)
        return -1;
    snprintf(out->result, sizeof out->result, "%s", approved ? "approved" : "rejected");
    return 0;
}

static int approval_approve(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    return decide(ctx, out, 1);
}

static int approval_reject(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    return decide(ctx, out, 0);
}

/* /persetujuan: the requests waiting for the actor, oldest first. */
static int approvals_waiting(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor) {
        snprintf(out->result, sizeof out->result, "none");
        return 0;
    }
    struct kb_approval_row *rows = calloc(WAITING_MAX, sizeof *rows);
    int n = 0;
    int64_t total = 0;
    int rc = rows ? kb_approvals_waiting(ctx->st, ctx->actor->id, rows, WAITING_MAX, &n, &total)
                  : KB_ERR;
    for (int i = 0; rc == KB_OK && i < n; i++) {
        struct kb_person p;
        int found = 0;
        char key[48], label[128], value[24], asked_on[64];
        snprintf(key, sizeof key, "approval_kind_%s", rows[i].kind);
        if (kb_person_by_id(ctx->st, rows[i].requester_id, &p, &found) != KB_OK) {
            rc = KB_ERR;
            break;
        }
        if (date_of(ctx, rows[i].created_at, asked_on, sizeof asked_on) != 0)
            asked_on[0] = '\0';
        char *kind = kb_action_render_plain(ctx, key, NULL, 0);
        const char *vars[] = {"requester",      found ? p.name : "?", "kind",
                              kind ? kind : "", "asked_on",           asked_on};
        char *item = kb_action_render_plain(ctx, "approval_list_item", vars, 3);
        snprintf(label, sizeof label, "%s", item ? item : "");
        snprintf(value, sizeof value, "%lld", (long long)rows[i].id);
        if (!kind || !item || kb_action_item(out, label, value) != 0)
            rc = KB_ERR;
        free(kind);
        free(item);
    }
    free(rows);
    if (rc != KB_OK)
        return -1;
    if (kb_action_varf(out, "count", "%lld", (long long)total) != 0)
        return -1;
    snprintf(out->result, sizeof out->result, "%s", n ? "some" : "none");
    return 0;
}

const struct kb_action_def kb_actions_approvals[] = {
    {"approvals_waiting", approvals_waiting},
    {"approval_open", approval_open},
    {"approval_approve", approval_approve},
    {"approval_reject", approval_reject},
    {NULL, NULL},
};
