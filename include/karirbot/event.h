/* event: what the platform hands to the dialog engine (kb_event) and what the engine hands
 * back to be sent (kb_out). Neither knows Telegram JSON or HTTP. */
#ifndef KARIRBOT_EVENT_H
#define KARIRBOT_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum kb_event_kind {
    KB_EV_TEXT,     /* a text message, possibly a /command */
    KB_EV_MEDIA,    /* a photo or document, with caption */
    KB_EV_CALLBACK, /* a button press */
    KB_EV_OTHER     /* anything else: logged and skipped */
};

enum kb_chat_kind { KB_CHAT_PRIVATE, KB_CHAT_GROUP, KB_CHAT_CHANNEL, KB_CHAT_UNKNOWN };

#define KB_EVF_INVALID_UTF8 0x1u /* text or caption was not UTF-8; it holds U+FFFD instead */

struct kb_event {
    int64_t update_id;
    enum kb_event_kind kind;
    enum kb_chat_kind chat_kind;
    int64_t chat_id;
    int64_t user_id;
    int64_t message_id; /* of the message, or of the message carrying the pressed button */
    int64_t date;       /* seconds since the epoch, as the platform said */
    unsigned flags;
    char *text;          /* text or caption (UTF-8), or NULL */
    char *command;       /* "start" for "/start@bot x", lower-case; NULL if not a command */
    char *args;          /* what follows the command, trimmed; "" if nothing */
    char *file_id;       /* KB_EV_MEDIA */
    char *media_kind;    /* "photo" or "document" */
    char *callback_id;   /* KB_EV_CALLBACK */
    char *callback_data; /* KB_EV_CALLBACK */
    char *first_name;
    char *language_code;
    char *other_kind; /* KB_EV_OTHER: the update's field name, e.g. "edited_message" */
};

void kb_event_free(struct kb_event *ev);
/* Fills command and args from text: "/start@bot PAYLOAD" gives "start" and "PAYLOAD". Leaves
 * them NULL when text is not a command. */
void kb_event_split_command(struct kb_event *ev);

enum kb_out_kind {
    KB_OUT_TEXT = 0,            /* a new message */
    KB_OUT_EDIT = 1,            /* replace the text of an earlier message */
    KB_OUT_CALLBACK_ANSWER = 2, /* stop the spinner on a pressed button */
};

/* Lower sends first. Callback answers are not chat messages and skip per-chat pacing. */
enum kb_priority {
    KB_PRIO_CALLBACK = 0,
    KB_PRIO_REPLY = 1,
    KB_PRIO_REMINDER = 2,
    KB_PRIO_BROADCAST = 3,
};
#define KB_PRIO_COUNT 4

struct kb_out {
    enum kb_out_kind kind;
    enum kb_priority priority;
    int64_t chat_id;
    char *text;     /* HTML-formatted, already escaped; may be NULL for a callback answer */
    char *keyboard; /* platform-neutral JSON: [[{"text":"..","data":".."}]] or NULL */
    char *ref_text; /* KB_OUT_CALLBACK_ANSWER: the callback id */
    int64_t ref_id; /* KB_OUT_EDIT: the platform message id to edit */
};

/* A bounded list of outgoing messages produced while handling one event. */
#define KB_OUTQ_MAX 16
struct kb_outq {
    struct kb_out items[KB_OUTQ_MAX];
    size_t len;
};

/* Appends a copy of the strings; returns 0, or -1 when the queue is full or memory runs out. */
int kb_outq_push(struct kb_outq *q, const struct kb_out *o);
void kb_outq_clear(struct kb_outq *q);

#endif
