/* telegram: the Bot API — request bodies for the methods karirbot calls, response parsing
 * (ok/result, error_code, description, retry_after), and update parsing into kb_event. */
#ifndef KARIRBOT_TELEGRAM_H
#define KARIRBOT_TELEGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "karirbot/event.h"
#include "karirbot/store.h"

struct cJSON;
struct kb_json_arena;

/* The parsed envelope of a Bot API response. */
struct kb_tg_reply {
    int ok;
    int error_code;  /* Telegram's, or the HTTP status when the body is not an envelope */
    int retry_after; /* seconds, from parameters.retry_after, 0 if absent */
    char description[256];
    struct cJSON *root;         /* owned; free with kb_tg_reply_free */
    const struct cJSON *result; /* inside root */
    struct kb_json_arena *arena;
};

/* Parses body, with the tree in arena (may be NULL); returns 0 when it is a JSON envelope
 * (ok true or false), -1 when it is not (then error_code is the HTTP status and description
 * says why). */
int kb_tg_reply_parse(struct kb_tg_reply *r, struct kb_json_arena *arena, long http_status,
                      const char *body, size_t len);
void kb_tg_reply_free(struct kb_tg_reply *r);

/* Reads an integer field exactly (ids exceed 2^31; cJSON's valueint saturates).
 * Returns 0 and *out, or -1 if missing or not an integral number. */
int kb_tg_int64(const struct cJSON *obj, const char *name, int64_t *out);

/* Parses one element of getUpdates' result. Returns 0 and fills ev (free with
 * kb_event_free); -1 when the element has no usable update_id (then *why is set). */
int kb_tg_parse_update(const struct cJSON *upd, struct kb_event *ev, const char **why);

/* Finds the first "update_id": N in raw text that is not valid JSON; -1 if none. */
int kb_tg_scan_update_id(const char *body, size_t len, int64_t *out);

/* Request bodies (allocated JSON strings the caller frees). */
char *kb_tg_get_updates_body(int64_t offset, int limit, int timeout_s);
char *kb_tg_delete_webhook_body(void);
/* setMyCommands with n commands (names [a-z0-9_]{1,32}, descriptions 1..256 characters). */
char *kb_tg_set_commands_body(const char *const *names, const char *const *descriptions, size_t n);
/* The method and body that deliver an outbox row. *method is static. NULL if the row cannot
 * be expressed (then *why says why). */
char *kb_tg_outbox_body(const struct kb_outbox_row *row, int64_t edit_message_id,
                        const char **method, const char **why);

/* Builds "<api_url>/bot<token>/<method>" into buf. Returns 0, or -1 if it does not fit. */
int kb_tg_url(char *buf, size_t cap, const char *api_url, const char *token, const char *method);

#endif
