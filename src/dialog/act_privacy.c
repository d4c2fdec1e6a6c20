/* act_privacy: /hapusdata (dialogs/hapusdata.json) — anyone, linked or not, deletes what karirbot
 * keeps of their own conversation (UU 27/2022 gives the data subject that right).
 *
 * Deleted, for the chat the request comes from (no id comes from the user, so there is nobody
 * else's data to check for):
 *   - the conversation log: what the person sent, including this request;
 *   - karirbot's messages to them that were delivered or found undeliverable (the outbox rows):
 *     they are the other half of the same conversation and repeat its personal data (rank,
 *     plan, performance labels). Messages still pending stay: they are yet to be delivered, and
 *     the confirmation of this very deletion is one of them. A card of an approval still
 *     waiting for this person's decision stays too (it is edited when they decide);
 *   - dead letters of the chat (updates that could not be handled, kept with their raw text).
 * Kept: the records HR must keep (employee data, plans, registrations, approvals, promotion
 * files), the link to the employee record, the chat's language and whether it blocked the bot.
 * Telegram keeps its own copy of the chat; the texts say so. */
#include <stdio.h>

#include "karirbot/actions.h"
#include "karirbot/admin_store.h"
#include "karirbot/log.h"

/* Results: "ok" after the deletion; variables {from_user} and {from_bot} count the messages. */
static int privacy_forget_chat(struct kb_action_ctx *ctx, struct kb_action_out *out)
{
    int64_t from_user = 0, from_bot = 0;
    if (kb_privacy_delete_chat(ctx->st, ctx->ev->chat_id, &from_user, &from_bot) != KB_OK)
        return -1;
    KB_INFO("privacy.chat_forgotten", "chat=%lld from_user=%lld from_bot=%lld",
            (long long)ctx->ev->chat_id, (long long)from_user, (long long)from_bot);
    if (kb_action_varf(out, "from_user", "%lld", (long long)from_user) != 0 ||
        kb_action_varf(out, "from_bot", "%lld", (long long)from_bot) != 0)
        return -1;
    snprintf(out->result, sizeof out->result, "ok");
    return 0;
}

const struct kb_action_def kb_actions_privacy[] = {
    {"privacy_forget_chat", privacy_forget_chat},
    {NULL, NULL},
};
