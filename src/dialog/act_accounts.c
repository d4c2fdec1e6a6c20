/* act_accounts: linking a Telegram account to an employee record with a one-time activation code
 * that HR issued (`karirbot invite`), and unlinking it (/keluar). The flows are dialogs/start.json
 * and dialogs/keluar.json.
 *
 * The code is the proof of identity: a NIP alone is printed on too many documents. It arrives as
 * the payload of a deep link (/start CODE) or typed. Whatever was sent as a code is removed from
 * the conversation log at once and never saved in the session, logged or repeated; between the
 * check and the person's "Ya" the session keeps only the code's hash.
 *
 * Guessing is bounded twice, and a refusal over either limit says nothing about the code:
 *   - per chat: CHAT_TRIES_MAX wrong codes in any CHAT_WINDOW_S (5 an hour);
 *   - overall: GLOBAL_TRIES_MAX wrong codes in any GLOBAL_WINDOW_S across all chats (30 a
 *     minute). Real typing mistakes during a mass roll-out stay far below it (thousands of
 *     people linking in a day make a few mistakes a minute), while someone with many Telegram
 *     accounts gets at most 43,200 guesses a day at 2^50 codes; reaching the limit on purpose
 *     to block others takes 360 accounts at 5 tries an hour each.
 * Only unknown codes count as wrong: an expired or used code was issued by HR, so only its
 * holder can know it, and the holder should hear what happened to it. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/actions.h"
#include "karirbot/log.h"
#include "karirbot/people.h"

#define CHAT_TRIES_MAX   5
#define CHAT_WINDOW_S    3600
#define GLOBAL_TRIES_MAX 30
#define GLOBAL_WINDOW_S  60
#define REF_ANSWER       "link_ref" /* answers.link_ref: the hex hash of the code being confirmed */

static void result(struct kb_action_out *out, const char *word)
{
    snprintf(out->result, sizeof out->result, "%s", word);
}

static int is_start(const struct kb_event *ev)
{
    return ev->command && !strcmp(ev->command, "start");
}

/* What was sent as a code in this event: the payload of /start, or a typed text. */
static const char *code_input(const struct kb_event *ev)
{
    if (is_start(ev))
        return ev->args ? ev->args : "";
    if (ev->kind == KB_EV_TEXT && !ev->command && ev->text)
        return ev->text;
    return "";
}

/* Sets the variables that name the employee a code is for: {link_name}, {link_who} ("<b>name</b>,
 * unit" as HTML) and {link_salutation}. */
static int person_vars(struct kb_action_ctx *ctx, struct kb_action_out *out,
                       const struct kb_person *p)
{
    const char *vars[] = {"name", p->name, "unit", p->unit};
    char *who = kb_action_render(ctx, p->unit[0] ? "link_who_unit" : "link_who", vars, 2);
    char *sal = kb_action_render(ctx, kb_person_salutation_key(p), NULL, 0);
    int rc = who && sal && kb_action_html(out, "link_who", who) == 0 &&
                     kb_action_var(out, "link_salutation", sal) == 0 &&
                     kb_action_var(out, "link_name", p->name) == 0
                 ? 0
                 : -1;
    free(who);
    free(sal);
    return rc;
}

/* The first step of /start. Results: "linked" (greet and show the menu), "linked_code" (a linked
 * account sent a code: say it needs none), "code" (an unlinked account sent a code: check it),
 * "welcome" (anyone else). Plain text counts as a code only when it reads as one, so a remark
 * that lands here is welcomed, not called a wrong code. */
static int link_start(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *input = code_input(ctx->ev);
    char code[KB_CODE_LEN + 1];
    int sent = is_start(ctx->ev) ? *input != '\0' : kb_code_normalize(input, code) == 0;
    if (sent && kb_link_redact_input(ctx->st, ctx->ev->chat_id, is_start(ctx->ev)) != KB_OK)
        return -1;
    if (ctx->actor)
        result(out, sent ? "linked_code" : "linked");
    else
        result(out, sent ? "code" : "welcome");
    return 0;
}

/* Over a limit: refuse before looking at the code. */
static int limited(struct kb_action_ctx *ctx, int *over)
{
    int chat_n = 0, all_n = 0;
    *over = 0;
    if (kb_link_attempts_count(ctx->st, ctx->ev->chat_id, ctx->now - CHAT_WINDOW_S + 1, &chat_n) !=
            KB_OK ||
        kb_link_attempts_count(ctx->st, 0, ctx->now - GLOBAL_WINDOW_S + 1, &all_n) != KB_OK)
        return -1;
    if (chat_n >= CHAT_TRIES_MAX || all_n >= GLOBAL_TRIES_MAX) {
        *over = 1;
        KB_WARN("link.limited", "chat=%lld scope=%s", (long long)ctx->ev->chat_id,
                chat_n >= CHAT_TRIES_MAX ? "chat" : "all");
    }
    return 0;
}

/* Checks the code sent in this event. Results: "ok" (answers.link_ref holds its hash and
 * {link_who} names the employee: ask "is this you?"), "malformed" (cannot be a code), "wrong",
 * "limited", "expired", "used", "linked_elsewhere" (the employee is linked to another account:
 * never say which), "already_linked" (this account is linked already). */
static int link_check(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    const char *input = code_input(ctx->ev);
    cJSON_DeleteItemFromObjectCaseSensitive(ctx->answers, REF_ANSWER);
    if (*input && kb_link_redact_input(ctx->st, ctx->ev->chat_id, is_start(ctx->ev)) != KB_OK)
        return -1;
    if (ctx->actor) {
        result(out, "already_linked");
        return 0;
    }
    char code[KB_CODE_LEN + 1];
    if (kb_code_normalize(input, code) != 0) {
        result(out, "malformed");
        return 0;
    }
    int over;
    if (limited(ctx, &over) != 0)
        return -1;
    if (over) {
        result(out, "limited");
        return 0;
    }
    unsigned char hash[KB_CODE_HASH_LEN];
    int state;
    int64_t employee_id;
    int rc = kb_code_hash(code, hash) == 0 &&
                     kb_code_find(ctx->st, hash, ctx->now, &state, &employee_id) == KB_OK
                 ? 0
                 : -1;
    memset(code, 0, sizeof code);
    if (rc != 0)
        return -1;
    struct kb_person p;
    int found = 0;
    if (state == KB_CODE_VALID && kb_person_by_id(ctx->st, employee_id, &p, &found) != KB_OK)
        return -1;
    if (state == KB_CODE_UNKNOWN || (state == KB_CODE_VALID && !found)) {
        if (kb_link_attempt_add(ctx->st, ctx->ev->chat_id, ctx->now, ctx->now - CHAT_WINDOW_S) !=
            KB_OK)
            return -1;
        result(out, "wrong");
    } else if (state != KB_CODE_VALID) {
        result(out, state == KB_CODE_USED ? "used" : "expired");
    } else if (p.chat_id) {
        result(out, "linked_elsewhere");
    } else {
        char hex[KB_CODE_HASH_HEX];
        kb_code_hash_hex(hash, hex);
        cJSON_DeleteItemFromObjectCaseSensitive(ctx->answers, REF_ANSWER);
        if (!cJSON_AddStringToObject(ctx->answers, REF_ANSWER, hex) ||
            person_vars(ctx, out, &p) != 0)
            return -1;
        result(out, "ok");
    }
    KB_INFO("link.check", "chat=%lld result=%s", (long long)ctx->ev->chat_id, out->result);
    return 0;
}

/* The person said "Ya": links the account to the employee of the code being confirmed, and uses
 * the code up. Everything is checked again (the code may have expired, been replaced or used,
 * or the employee linked, since the question). Results: "ok" ({link_name} and
 * {link_salutation} set: the turn still sees the account as unlinked), "expired", "used",
 * "linked_elsewhere", "already_linked". */
static int link_confirm(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    unsigned char hash[KB_CODE_HASH_LEN];
    int ref_ok = kb_code_hash_from_hex(kb_action_answer(ctx, REF_ANSWER), hash) == 0;
    cJSON_DeleteItemFromObjectCaseSensitive(ctx->answers, REF_ANSWER);
    if (ctx->actor) {
        result(out, "already_linked");
        return 0;
    }
    int state = KB_CODE_UNKNOWN;
    int64_t employee_id = 0;
    if (ref_ok && kb_code_find(ctx->st, hash, ctx->now, &state, &employee_id) != KB_OK)
        return -1;
    struct kb_person p;
    int found = 0;
    if (state == KB_CODE_VALID && kb_person_by_id(ctx->st, employee_id, &p, &found) != KB_OK)
        return -1;
    if (state == KB_CODE_USED) {
        result(out, "used");
    } else if (state != KB_CODE_VALID || !found) {
        result(out, "expired");
    } else if (p.chat_id) {
        result(out, "linked_elsewhere");
    } else {
        int used = 0;
        if (kb_code_use(ctx->st, hash, ctx->ev->user_id, ctx->now, &used) != KB_OK || !used ||
            kb_link_set(ctx->st, p.id, ctx->ev->user_id, ctx->ev->chat_id, ctx->now) != KB_OK ||
            person_vars(ctx, out, &p) != 0)
            return -1;
        KB_INFO("link.linked", "chat=%lld employee=%lld", (long long)ctx->ev->chat_id,
                (long long)p.id);
        result(out, "ok");
    }
    return 0;
}

/* /keluar, confirmed: removes the sender's own link (no record id comes from the user, so there
 * is nobody else's to check). The employee's records stay; a new code links again. Results:
 * "ok", "not_linked". */
static int link_remove(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    if (!ctx->actor) {
        result(out, "not_linked");
        return 0;
    }
    int removed = 0;
    if (kb_link_clear_user(ctx->st, ctx->ev->user_id, &removed) != KB_OK)
        return -1;
    KB_INFO("link.removed", "chat=%lld employee=%lld", (long long)ctx->ev->chat_id,
            (long long)ctx->actor->id);
    result(out, removed ? "ok" : "not_linked");
    return 0;
}

const struct kb_action_def kb_actions_accounts[] = {
    {"link_start", link_start},
    {"link_check", link_check},
    {"link_confirm", link_confirm},
    {"link_remove", link_remove},
    {NULL, NULL},
};
