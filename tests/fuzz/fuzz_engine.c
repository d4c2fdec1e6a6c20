/* fuzz_engine: the dialog engine as the pipeline drives it (fuzz_engine.h). */
#include "fuzz_engine.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "karirbot/buf.h"
#include "karirbot/check.h"
#include "karirbot/clock.h"
#include "karirbot/diag.h"
#include "karirbot/engine.h"
#include "karirbot/locale.h"
#include "karirbot/policy.h"
#include "karirbot/reminders.h"
#include "karirbot/script.h"
#include "karirbot/store.h"
#include "karirbot/telegram.h"
#include "karirbot/textsplit.h"
#include "karirbot/utf8.h"

#define TOKENS_MAX  16
#define TODAY       "2026-03-10"
#define T0          1773104400 /* 2026-03-10 01:00 UTC: 09:00 WITA, the demo's zone, a Tuesday */
#define NOTE_SEQ    (-1)       /* engine.c: a card's buttons belong to no step */
#define PARTS_MAX   8          /* pipeline.c: of one long reply */
#define DEMO_USER   2000000000LL
#define STRANGER_ID 4503599627370001LL

static struct kb_store *st;
static int trace; /* $KB_FUZZ_TRACE set: print the conversation, for writing seeds */
static struct kb_engine *engine;
static const struct kb_locale *engine_loc;
static int64_t now; /* the clock of the conversation */
static int nevents;

/* Who the digits are: the demo's user (= chat) ids are 2000000000 + the employee id. */
static const int64_t chats[10] = {
    DEMO_USER + 4,  /* Dewi: staff, supervisor Hendra */
    DEMO_USER + 2,  /* Hendra: approves Dewi's requests */
    DEMO_USER + 11, /* Lina: the unit's HR officer */
    DEMO_USER + 8,  /* Yuni: PPPK */
    DEMO_USER + 10, /* Maya: not linked */
    STRANGER_ID,    /* nobody karirbot knows */
    DEMO_USER + 9,  /* Fajar: a promotion file waiting at BKN, Ratna's mentee */
    DEMO_USER + 3,  /* Ratna */
    DEMO_USER + 7,  /* Bambang: fungsional, angka kredit */
    DEMO_USER + 6,  /* Siti */
};

/* The tokens of the last keyboard each chat received, of the one before it, and of the last
 * one anyone received. */
struct keyboard {
    int64_t chat;
    char tokens[TOKENS_MAX][80];
    int n;
};
static struct keyboard last[10], prev[10], last_any;

/* The first name Telegram gives for each chat: at most 64 characters, UTF-8. */
static char names[10][257];
#define NAME_DEFAULT "Dewi \xF0\x9F\x8C\xB8" /* with an emoji, as people do */

static char *read_text(const char *path)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    if (kb_buf_read_file(&b, path) != 0)
        abort();
    return kb_buf_take(&b);
}

void fuzz_engine_init(const struct kb_script *script, const struct kb_locale *loc)
{
    trace = getenv("KB_FUZZ_TRACE") != NULL;
    kb_clock_set(T0);
    struct kb_diag diag = {0};
    struct kb_policy *policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    struct kb_reminder_rules *rules = kb_reminder_rules_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "fuzz_engine: %s\n", diag.lines[i]);
    kb_diag_free(&diag);
    char *demo = read_text(KB_SOURCE_DATA_DIR "/deploy/demo/demo.sql");
    if (!policy || !rules || kb_store_open(&st, ":memory:", 0) != KB_OK ||
        kb_store_exec_seed(st, demo, TODAY) != KB_OK)
        abort();
    free(demo);
    kb_reminder_rules_publish(rules);
    engine_loc = loc;
    engine = kb_engine_new(script, loc);
    kb_engine_set_policy(engine, policy);
    /* The policy and the rules live as long as the process. */
}

void fuzz_engine_use(const struct kb_script *script)
{
    kb_engine_reload(engine, script, engine_loc);
}

void fuzz_engine_begin(void)
{
    now = T0;
    nevents = 0;
    kb_clock_set(now);
    memset(last, 0, sizeof last);
    memset(prev, 0, sizeof prev);
    memset(&last_any, 0, sizeof last_any);
    for (int i = 0; i < 10; i++)
        snprintf(names[i], sizeof names[i], "%s", NAME_DEFAULT);
    FUZZ_CHECK(kb_store_begin(st) == KB_OK);
}

void fuzz_engine_end(void)
{
    kb_store_rollback(st);
}

static void remember_tokens(struct keyboard *k, int64_t chat, const char *json)
{
    cJSON *rows = cJSON_Parse(json);
    FUZZ_CHECK(cJSON_IsArray(rows));
    k->chat = chat;
    k->n = 0;
    const cJSON *row, *b;
    cJSON_ArrayForEach(row, rows)
    {
        FUZZ_CHECK(cJSON_IsArray(row));
        cJSON_ArrayForEach(b, row)
        {
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(b, "text");
            const cJSON *data = cJSON_GetObjectItemCaseSensitive(b, "data");
            FUZZ_CHECK(cJSON_IsString(text) && cJSON_IsString(data));
            size_t n = strlen(data->valuestring);
            FUZZ_CHECK(n >= 1 && n <= 64); /* Telegram's limit of callback data */
            FUZZ_CHECK(kb_utf8_valid(text->valuestring, strlen(text->valuestring)));
            if (k->n < TOKENS_MAX)
                snprintf(k->tokens[k->n++], sizeof k->tokens[0], "%s", data->valuestring);
        }
    }
    cJSON_Delete(rows);
}

/* One outgoing message as the sender would send it: the request body must be expressible. */
static void check_request(const struct kb_out *o, const char *text)
{
    struct kb_outbox_row row = {.chat_id = o->chat_id,
                                .kind = (int)o->kind,
                                .priority = (int)o->priority,
                                .text = (char *)text,
                                .keyboard = o->keyboard,
                                .ref_text = o->ref_text,
                                .ref_id = o->ref_id};
    const char *method = NULL, *why = NULL;
    char *body = kb_tg_outbox_body(&row, o->ref_id ? o->ref_id : 1, &method, &why);
    FUZZ_CHECK(body != NULL);
    free(body);
}

/* What the pipeline (queue_out) and the sender do with each queued message. */
static void check_out(const struct kb_outq *q)
{
    FUZZ_CHECK(q->len <= KB_OUTQ_MAX);
    for (size_t i = 0; i < q->len; i++) {
        const struct kb_out *o = &q->items[i];
        if (trace)
            fprintf(stderr, "  -> %lld kind=%d: %s\n     %s\n", (long long)o->chat_id, (int)o->kind,
                    o->text ? o->text : "-", o->keyboard ? o->keyboard : "");
        if (o->kind == KB_OUT_CALLBACK_ANSWER) {
            FUZZ_CHECK(o->ref_text != NULL);
            check_request(o, o->text);
            continue;
        }
        FUZZ_CHECK(o->text && *o->text && o->chat_id != 0);
        size_t n = strlen(o->text);
        char why[128];
        FUZZ_CHECK(kb_utf8_valid(o->text, n));
        const char *problem = kb_html_problem(o->text, why, sizeof why);
        if (problem)
            fuzz_fail(__FILE__, __LINE__, problem);
        if (o->keyboard) {
            for (int k = 0; k < 10; k++)
                if (chats[k] == o->chat_id) {
                    prev[k] = last[k];
                    remember_tokens(&last[k], o->chat_id, o->keyboard);
                }
            remember_tokens(&last_any, o->chat_id, o->keyboard);
        }
        char **parts = NULL;
        size_t nparts = 0;
        if (o->kind == KB_OUT_TEXT && n > KB_TEXT_LIMIT &&
            kb_html_visible_len(o->text, n) > KB_TEXT_LIMIT) {
            FUZZ_CHECK(kb_text_split(o->text, KB_TEXT_LIMIT, PARTS_MAX, &parts, &nparts) == 0);
            for (size_t p = 0; p < nparts; p++) {
                FUZZ_CHECK(kb_html_visible_len(parts[p], strlen(parts[p])) <= KB_TEXT_LIMIT);
                FUZZ_CHECK(kb_html_problem(parts[p], why, sizeof why) == NULL);
            }
        } else {
            FUZZ_CHECK(kb_html_visible_len(o->text, n) <= KB_TEXT_LIMIT);
        }
        for (size_t p = 0; p < (parts ? nparts : 1); p++) {
            struct kb_out part = *o;
            if (parts) {
                part.text = parts[p];
                if (p + 1 < nparts)
                    part.keyboard = NULL;
            }
            FUZZ_CHECK(kb_outbox_add(st, &part, now, NULL) == KB_OK);
            check_request(&part, part.text);
        }
        for (size_t p = 0; p < nparts; p++)
            free(parts[p]);
        free(parts);
    }
}

/* The step counter of chat's session (the seq a step's buttons carry); 0 outside a flow. */
static int64_t session_seq(int64_t chat)
{
    struct kb_session_row row;
    int found = 0;
    int64_t seq = 0;
    FUZZ_CHECK(kb_session_get(st, chat, &row, &found) == KB_OK);
    if (!found)
        return 0;
    cJSON *d = cJSON_Parse(row.data);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, "seq");
    if (cJSON_IsNumber(v))
        seq = (int64_t)v->valuedouble;
    cJSON_Delete(d);
    free(row.data);
    return seq;
}

/* The token argument names: "#k" in the chat's last keyboard, "%k" in the one before (a
 * stale button), "@k" in anyone's last; else the argument itself. */
static const char *token_for(int who, const char *arg)
{
    const struct keyboard *k = arg[0] == '#'   ? &last[who]
                               : arg[0] == '%' ? &prev[who]
                               : arg[0] == '@' ? &last_any
                                               : NULL;
    if (!k || arg[1] < '0' || arg[1] > '9')
        return arg;
    unsigned long i = strtoul(arg + 1, NULL, 10);
    return i < (unsigned long)k->n ? k->tokens[i] : arg;
}

void fuzz_engine_event(int who, char what, const char *arg)
{
    int n = nevents++;
    int64_t chat = chats[who];
    char token[32], cbid[32], *fixed = NULL;
    struct kb_event ev = {.update_id = 1000 + n,
                          .chat_kind = KB_CHAT_PRIVATE,
                          .chat_id = chat,
                          .user_id = chat,
                          .message_id = 500 + n,
                          .date = now,
                          .first_name = names[who],
                          .language_code = "id"};
    snprintf(cbid, sizeof cbid, "cb%d", n);
    switch (what) {
    case 'x':
        now += 3600 * (int64_t)(strtoul(arg, NULL, 10) % (24 * 400));
        kb_clock_set(now);
        return;
    case 'f': { /* as tgparse gives it: repaired UTF-8, cut at 64 characters */
        char *name = kb_utf8_sanitize(arg, strlen(arg));
        size_t k = 0, chars = 0;
        for (; name && name[k] && chars <= 64 && k < sizeof names[0] - 4; k++)
            chars += ((unsigned char)name[k] & 0xc0) != 0x80;
        while (k && ((unsigned char)name[k] & 0xc0) == 0x80)
            k--;
        snprintf(names[who], sizeof names[who], "%.*s", (int)k, name ? name : "");
        free(name);
        return;
    }
    case 'n':
    case 's':
        /* The engine stores only choices it made, from texts that are UTF-8. */
        snprintf(token, sizeof token, "fz%02d", n);
        fixed = kb_utf8_sanitize(arg, strlen(arg));
        if (!fixed || strlen(fixed) >= 96 ||
            kb_button_add(st, token, chat, what == 'n' ? NOTE_SEQ : session_seq(chat), fixed, now,
                          now + 86400) != KB_OK) {
            free(fixed);
            return;
        }
        ev.kind = KB_EV_CALLBACK;
        ev.callback_id = cbid;
        ev.callback_data = token;
        break;
    case 'p':
        ev.kind = KB_EV_CALLBACK;
        ev.callback_id = cbid;
        ev.callback_data = (char *)token_for(who, arg);
        break;
    case 'm':
    case 'd':
        ev.kind = KB_EV_MEDIA;
        ev.media_kind = what == 'm' ? "photo" : "document";
        ev.file_id = (char *)arg;
        ev.text = "";
        break;
    default:
        ev.kind = KB_EV_TEXT;
        /* As tgparse does: text that is not UTF-8 arrives repaired and flagged. */
        if (!kb_utf8_valid(arg, strlen(arg))) {
            fixed = kb_utf8_sanitize(arg, strlen(arg));
            ev.flags |= KB_EVF_INVALID_UTF8;
        }
        ev.text = fixed ? fixed : (char *)arg;
        kb_event_split_command(&ev);
        break;
    }
    if (trace)
        fprintf(stderr, "%lld %c %s%s%s\n", (long long)chat, what, arg,
                ev.callback_data ? " = " : "", ev.callback_data ? ev.callback_data : "");
    int refused;
    struct kb_outq out = {0};
    struct kb_handler h = kb_engine_handler(engine);
    FUZZ_CHECK(kb_store_savepoint(st) == KB_OK);
    int rc = kb_chats_touch(st, chat, KB_CHAT_PRIVATE, now, &refused) == KB_OK
                 ? h.handle(h.ctx, &ev, st, &out)
                 : -1;
    if (rc == 0) {
        check_out(&out);
        FUZZ_CHECK(kb_store_release(st) == KB_OK);
    } else {
        kb_store_rollback_savepoint(st);
    }
    kb_outq_clear(&out);
    free(ev.command); /* kb_event_split_command's, for a text */
    free(ev.args);
    free(fixed);
}
