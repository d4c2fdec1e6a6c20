/* test_engine: the dialog engine on a fixture script (tests/fixtures/engine) with a real SQLite
 * store and no network: flows, buttons as tokens (stale, replayed, someone else's), validators
 * with reasons, /batal, /menu, /bantuan, Kembali, paging, typed numbers, expiry, restarts;
 * flows for linked employees only, the person's variables, file answers, and card buttons. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/actions.h"
#include "karirbot/clock.h"
#include "karirbot/engine.h"
#include "karirbot/people.h"
#include "karirbot/script.h"
#include "karirbot/store.h"

#define FIXTURE KB_SOURCE_DATA_DIR "/tests/fixtures/engine"
#define CHAT    4503599627370001LL
#define OTHER   4503599627370002LL

struct world {
    char path[512];
    struct kb_store *st;
    struct kb_script *script;
    struct kb_locale *loc;
    struct kb_engine *engine;
    struct kb_outq out;
    int64_t update_id;
};

static void world_open_at(struct world *w, const char *name, const char *data_dir)
{
    demo_path(w->path, sizeof w->path, "engine", name);
    struct kb_diag diag = {0};
    w->script = kb_script_load(data_dir, NULL, &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "fixture: %s\n", diag.lines[i]);
    kb_diag_free(&diag);
    /* The fixture's texts over the shipped ones: validator reasons read as users see them. */
    w->loc =
        kb_locale_load(KB_SOURCE_DATA_DIR, strcmp(data_dir, KB_SOURCE_DATA_DIR) ? data_dir : NULL);
    CHECK(w->script && w->loc && kb_store_open(&w->st, w->path, 1000) == KB_OK);
    w->engine = kb_engine_new(w->script, w->loc);
    w->out.len = 0;
}

static void world_open(struct world *w, const char *name)
{
    world_open_at(w, name, FIXTURE);
}

static void world_close(struct world *w, int remove)
{
    kb_outq_clear(&w->out);
    kb_engine_free(w->engine);
    kb_store_close(w->st);
    kb_script_free(w->script);
    kb_locale_free(w->loc);
    if (remove)
        demo_remove(w->path);
}

/* Runs one event through the engine in a transaction, as the pipeline does. */
static int turn(struct world *w, struct kb_event *ev)
{
    kb_outq_clear(&w->out);
    ev->update_id = ++w->update_id;
    ev->chat_kind = KB_CHAT_PRIVATE;
    if (!ev->first_name)
        ev->first_name = "Dewi";
    int refused;
    struct kb_handler h = kb_engine_handler(w->engine);
    if (kb_store_begin(w->st) != KB_OK)
        return -1;
    int rc = kb_chats_touch(w->st, ev->chat_id, KB_CHAT_PRIVATE, kb_now(), &refused) == KB_OK &&
                     h.handle(h.ctx, ev, w->st, &w->out) == 0
                 ? 0
                 : -1;
    if (rc == 0)
        rc = kb_store_commit(w->st) == KB_OK ? 0 : -1;
    else
        kb_store_rollback(w->st);
    return rc;
}

static int text(struct world *w, int64_t chat, const char *s)
{
    struct kb_event ev = {.kind = KB_EV_TEXT, .chat_id = chat, .text = (char *)s};
    char cmd[40] = "", *args = "";
    if (s[0] == '/') {
        size_t n = strcspn(s + 1, " ");
        snprintf(cmd, sizeof cmd, "%.*s", (int)n, s + 1);
        ev.command = cmd;
        ev.args = args;
    }
    return turn(w, &ev);
}

static int press(struct world *w, int64_t chat, const char *token)
{
    struct kb_event ev = {.kind = KB_EV_CALLBACK,
                          .chat_id = chat,
                          .message_id = 77, /* the message carrying the buttons */
                          .callback_id = "cb",
                          .callback_data = (char *)token};
    return turn(w, &ev);
}

/* The texts of the last turn's messages, joined by " | ". */
static const char *said(struct world *w)
{
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; i < w->out.len; i++) {
        const struct kb_out *o = &w->out.items[i];
        const char *t =
            o->kind == KB_OUT_CALLBACK_ANSWER ? (o->text ? o->text : "(answer)") : o->text;
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "%s%s", len ? " | " : "", t ? t : "");
    }
    return buf;
}

/* The token of the button labelled label in the last turn's last keyboard ("" if none). */
static const char *token_of(struct world *w, const char *label)
{
    static char tok[80];
    tok[0] = '\0';
    for (size_t i = w->out.len; i-- > 0;) {
        if (!w->out.items[i].keyboard)
            continue;
        cJSON *rows = cJSON_Parse(w->out.items[i].keyboard);
        const cJSON *row, *b;
        cJSON_ArrayForEach(row, rows) cJSON_ArrayForEach(b, row)
        {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "text");
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(b, "data");
            if (cJSON_IsString(t) && !strcmp(t->valuestring, label) && cJSON_IsString(d))
                snprintf(tok, sizeof tok, "%s", d->valuestring);
        }
        cJSON_Delete(rows);
        break;
    }
    return tok;
}

static int count_buttons(struct world *w)
{
    int n = 0;
    for (size_t i = 0; i < w->out.len; i++) {
        cJSON *rows = w->out.items[i].keyboard ? cJSON_Parse(w->out.items[i].keyboard) : NULL;
        const cJSON *row;
        cJSON_ArrayForEach(row, rows) n += cJSON_GetArraySize(row);
        cJSON_Delete(rows);
    }
    return n;
}

static void session_of(struct world *w, int64_t chat, char *flow, char *state)
{
    struct kb_session_row row;
    int found = 0;
    flow[0] = state[0] = '\0';
    if (kb_session_get(w->st, chat, &row, &found) == KB_OK && found) {
        snprintf(flow, 40, "%s", row.flow);
        snprintf(state, 40, "%s", row.state);
        free(row.data);
    }
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_start_welcomes_by_name_and_offers_the_menu(void)
{
    struct world w;
    world_open(&w, "start");
    CHECK(text(&w, CHAT, "/start") == 0);
    CHECK_STR(said(&w), "Selamat datang, Dewi.");
    CHECK(token_of(&w, "Menu")[0] != '\0');
    CHECK(strlen(token_of(&w, "Menu")) <= 64);
    char flow[40], state[40];
    session_of(&w, CHAT, flow, state);
    CHECK_STR(flow, "start");
    CHECK_STR(state, "welcome");
    world_close(&w, 1);
}

static void test_menu_lists_flows_in_order_and_pages_them(void)
{
    struct world w;
    world_open(&w, "menu");
    text(&w, CHAT, "/start");
    CHECK(press(&w, CHAT, token_of(&w, "Menu")) == 0);
    CHECK(strstr(said(&w), "Menu utama") != NULL);
    CHECK(count_buttons(&w) == 9); /* 8 entries and "Berikutnya" */
    CHECK(token_of(&w, "Cek NIP")[0] != '\0');
    CHECK(token_of(&w, "Ekstra 10")[0] == '\0');
    CHECK(press(&w, CHAT, token_of(&w, "Berikutnya")) == 0);
    CHECK(w.out.len == 2 && w.out.items[1].kind == KB_OUT_EDIT && w.out.items[1].ref_id == 77);
    CHECK(token_of(&w, "Ekstra 10")[0] != '\0');
    CHECK(token_of(&w, "Sebelumnya")[0] != '\0');
    CHECK(count_buttons(&w) == 3); /* 9 and 10, and "Sebelumnya" */
    world_close(&w, 1);
}

static void test_buttons_pressed_twice_or_by_someone_else_change_nothing(void)
{
    struct world w;
    world_open(&w, "stale");
    text(&w, CHAT, "/start");
    char menu[80];
    snprintf(menu, sizeof menu, "%s", token_of(&w, "Menu"));
    CHECK(press(&w, OTHER, menu) == 0);
    CHECK_STR(said(&w), "Tombol ini bukan untuk Anda.");
    CHECK(press(&w, CHAT, menu) == 0);
    CHECK(strstr(said(&w), "Menu utama") != NULL);
    CHECK(press(&w, CHAT, menu) == 0); /* the same button again */
    CHECK_STR(said(&w), "Tombol ini sudah tidak berlaku.");
    CHECK(press(&w, CHAT, "forged-token-xyz") == 0);
    CHECK_STR(said(&w), "Tombol ini sudah tidak berlaku.");
    char flow[40], state[40];
    session_of(&w, CHAT, flow, state);
    CHECK_STR(flow, "menu");
    world_close(&w, 1);
}

static void test_invalid_answers_get_a_reason_and_the_question_again(void)
{
    struct world w;
    world_open(&w, "ask");
    CHECK(text(&w, CHAT, "/nip") == 0);
    CHECK_STR(said(&w), "Kita cek NIP Anda. | Ketik NIP Anda.");
    CHECK(text(&w, CHAT, "19850312 201001 1 00") == 0); /* 17 digits */
    CHECK_STR(said(&w), "Maaf, NIP terdiri dari 18 digit angka, sedangkan yang Anda ketik 17 "
                        "digit. Silakan ketik ulang, atau ketik /batal untuk kembali ke menu. | "
                        "Ketik NIP Anda.");
    text(&w, CHAT, "abc");
    CHECK(strstr(said(&w), "hint_cancel") == NULL && strstr(said(&w), "/batal") == NULL);
    text(&w, CHAT, "123");
    CHECK(strstr(said(&w), "Ketik /batal untuk berhenti.") != NULL); /* the third failure */
    CHECK(text(&w, CHAT, "19850312 201001 1 002") == 0);
    CHECK_STR(said(&w), "NIP Anda 198503122010011002. Benar?");
    CHECK(press(&w, CHAT, token_of(&w, "Ya")) == 0);
    CHECK_STR(said(&w), "(answer) | Terima kasih, 198503122010011002 tercatat.");
    char flow[40], state[40];
    session_of(&w, CHAT, flow, state);
    CHECK_STR(flow, ""); /* the flow ended */
    world_close(&w, 1);
}

static void test_batal_menu_bantuan_and_unknown_commands_work_in_any_state(void)
{
    struct world w;
    world_open(&w, "commands");
    text(&w, CHAT, "/nip");
    CHECK(text(&w, CHAT, "/bantuan") == 0);
    CHECK_STR(said(&w), "NIP ada di kartu pegawai.");
    CHECK(text(&w, CHAT, "/batal") == 0);
    CHECK(strncmp(said(&w), "Dibatalkan. | Menu utama", 24) == 0);
    CHECK(text(&w, CHAT, "/tidakada") == 0);
    CHECK_STR(said(&w), "Perintah tidak dikenal.");
    CHECK(text(&w, CHAT, "/menu") == 0);
    CHECK(strstr(said(&w), "Menu utama") != NULL);
    world_close(&w, 1);
}

static void test_back_returns_to_the_previous_question(void)
{
    struct world w;
    world_open(&w, "back");
    text(&w, CHAT, "/nip");
    text(&w, CHAT, "198503122010011002");
    CHECK(press(&w, CHAT, token_of(&w, "Kembali")) == 0);
    CHECK_STR(said(&w), "(answer) | Ketik NIP Anda.");
    char flow[40], state[40];
    session_of(&w, CHAT, flow, state);
    CHECK_STR(state, "ask");
    world_close(&w, 1);
}

static void test_a_typed_number_presses_that_button(void)
{
    struct world w;
    world_open(&w, "typed");
    text(&w, CHAT, "/nip");
    text(&w, CHAT, "198503122010011002");
    CHECK(text(&w, CHAT, "2") == 0); /* "Tidak": ask again */
    CHECK_STR(said(&w), "Ketik NIP Anda.");
    text(&w, CHAT, "198503122010011002");
    CHECK(text(&w, CHAT, "halo") == 0);
    CHECK_STR(said(&w), "Pilih tombol. | NIP Anda 198503122010011002. Benar?");
    world_close(&w, 1);
}

static void test_an_idle_session_expires_politely(void)
{
    struct world w;
    world_open(&w, "expiry");
    text(&w, CHAT, "/nip");
    kb_clock_set(kb_now() + 31 * 60);
    CHECK(text(&w, CHAT, "198503122010011002") == 0);
    CHECK(strncmp(said(&w), "Sesi berakhir. | Menu utama", 27) == 0);
    /* A command after expiry is not swallowed: the note, then what the command does. */
    text(&w, CHAT, "/nip");
    kb_clock_set(kb_now() + 31 * 60);
    CHECK(text(&w, CHAT, "/nip") == 0);
    CHECK(strcmp(said(&w), "Sesi berakhir. | Kita cek NIP Anda. | Ketik NIP Anda.") == 0);
    kb_clock_set(0);
    world_close(&w, 1);
}

static void test_a_restart_keeps_the_dialog_where_it_was(void)
{
    struct world w;
    world_open(&w, "restart");
    text(&w, CHAT, "/nip");
    text(&w, CHAT, "198503122010011002");
    char yes[80];
    snprintf(yes, sizeof yes, "%s", token_of(&w, "Ya"));
    /* A new process: new engine, new connection, the same database file. */
    kb_engine_free(w.engine);
    kb_store_close(w.st);
    CHECK(kb_store_open(&w.st, w.path, 1000) == KB_OK);
    w.engine = kb_engine_new(w.script, w.loc);
    CHECK(press(&w, CHAT, yes) == 0);
    CHECK_STR(said(&w), "(answer) | Terima kasih, 198503122010011002 tercatat.");
    world_close(&w, 1);
}

/* The shipped dialogs run too: /bahasa switches the chat to English and back, and the menu
 * leads to each career flow. */
static void test_shipped_bahasa_switches_the_language_and_keeps_it(void)
{
    struct world w;
    world_open_at(&w, "bahasa", KB_SOURCE_DATA_DIR);
    CHECK(text(&w, CHAT, "/bahasa") == 0);
    CHECK(strstr(said(&w), "Silakan pilih bahasa") != NULL);
    CHECK(press(&w, CHAT, token_of(&w, "English")) == 0);
    CHECK(token_of(&w, "Open menu")[0] != '\0'); /* the confirmation is already in English */
    char lang[8];
    CHECK(kb_chat_lang_get(w.st, CHAT, lang, sizeof lang) == KB_OK);
    CHECK_STR(lang, "en");
    CHECK(press(&w, CHAT, token_of(&w, "Open menu")) == 0); /* not linked: told so, in English */
    CHECK(strstr(said(&w), "linked to your employee record") != NULL);
    CHECK(token_of(&w, "I have an activation code")[0] != '\0');
    CHECK(text(&w, OTHER, "/menu") == 0); /* another chat still starts in Indonesian */
    CHECK(token_of(&w, "Saya punya kode aktivasi")[0] != '\0');
    world_close(&w, 1);
}

/* Employee 1 (Dewi, NIP gender digit 2, in a WITA unit) linked to Telegram user CHAT. */
static void link_dewi(struct world *w)
{
    static const char sql[] =
        "INSERT INTO units(id, name, zone) VALUES(1, 'Dinas Kominfo', 'WITA');"
        "INSERT INTO employees(id, nip, name, asn_kind, grade, unit_id) VALUES"
        "  (1, '199003222015032001', 'Dewi Lestari', 'PNS', 'III/b', 1);"
        "INSERT INTO links(employee_id, user_id, chat_id, linked_at) VALUES(1, 4503599627370001,"
        "  4503599627370001, 0);";
    CHECK(kb_store_exec_seed(w->st, sql, "2026-11-18") == KB_OK);
}

static int text_as(struct world *w, int64_t chat, const char *s)
{
    struct kb_event ev = {.kind = KB_EV_TEXT, .chat_id = chat, .user_id = chat, .text = (char *)s};
    char cmd[40];
    if (s[0] == '/') {
        snprintf(cmd, sizeof cmd, "%s", s + 1);
        ev.command = cmd;
        ev.args = "";
    }
    return turn(w, &ev);
}

static void test_a_linked_flow_is_only_for_a_linked_employee(void)
{
    struct world w;
    world_open(&w, "linked");
    kb_clock_set(1794985600); /* 2026-11-18 07:06 UTC: 15:06 in WITA */
    CHECK(text_as(&w, CHAT, "/private") == 0);
    CHECK(strstr(said(&w), "Hubungkan akun") != NULL); /* needs_link, then /start's welcome */
    char flow[40], state[40];
    session_of(&w, CHAT, flow, state);
    CHECK_STR(flow, "start");
    link_dewi(&w);
    CHECK(text_as(&w, CHAT, "/private") == 0);
    /* The record's name (not Telegram's "Dewi"), Ibu from the NIP, afternoon in WITA. */
    CHECK_STR(said(&w), "Selamat sore, Ibu Dewi Lestari.");
    kb_clock_set(0);
    world_close(&w, 1);
}

static void test_a_file_answer_keeps_the_file_and_its_kind(void)
{
    struct world w;
    world_open(&w, "file");
    link_dewi(&w);
    CHECK(text_as(&w, CHAT, "/private") == 0);
    CHECK(press(&w, CHAT, token_of(&w, "Unggah")) == 0);
    CHECK(text_as(&w, CHAT, "ini sertifikatnya") == 0); /* text where a file is asked */
    CHECK(strstr(said(&w), "Kirim berkas.") != NULL);   /* invalid_needs_file, and again */
    CHECK(strstr(said(&w), "Kirim sertifikat.") != NULL);
    struct kb_event ev = {.kind = KB_EV_MEDIA,
                          .chat_id = CHAT,
                          .user_id = CHAT,
                          .file_id = "AgACAgUAAxkBAAIB",
                          .media_kind = "photo",
                          .text = ""};
    CHECK(turn(&w, &ev) == 0);
    CHECK_STR(said(&w), "Diterima: photo AgACAgUAAxkBAAIB.");
    ev.media_kind = "document"; /* outside a file question a file is not understood */
    CHECK(turn(&w, &ev) == 0);
    CHECK(strstr(said(&w), "AgACAgUAAxkBAAIB") == NULL);
    world_close(&w, 1);
}

static void test_a_card_button_starts_its_flow_and_edits_the_card(void)
{
    struct world w;
    world_open(&w, "card");
    link_dewi(&w);
    int64_t now = kb_now();
    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_button_add(w.st, "cardtoken0000001", CHAT, -1, "s:cardflow:42:yes", now,
                        now + 86400) == KB_OK);
    CHECK(kb_store_commit(w.st) == KB_OK);
    struct kb_event ev = {.kind = KB_EV_CALLBACK,
                          .chat_id = CHAT,
                          .user_id = CHAT,
                          .message_id = 501,
                          .callback_id = "cb",
                          .callback_data = "cardtoken0000001"};
    /* Hours after the person's last conversation: the expired session does not swallow it. */
    CHECK(text_as(&w, CHAT, "/private") == 0);
    kb_clock_set(now + 2 * 3600);
    CHECK(turn(&w, &ev) == 0);
    kb_clock_set(0);
    CHECK(w.out.len == 2 && w.out.items[0].kind == KB_OUT_CALLBACK_ANSWER);
    CHECK(w.out.items[1].kind == KB_OUT_EDIT && w.out.items[1].ref_id == 501);
    CHECK_STR(w.out.items[1].text, "Kartu 42:yes: <b>selesai</b>.");
    ev.chat_id = ev.user_id = OTHER; /* a forwarded card pressed by someone else */
    CHECK(turn(&w, &ev) == 0);
    CHECK(w.out.len == 1 && w.out.items[0].kind == KB_OUT_CALLBACK_ANSWER);
    world_close(&w, 1);
}

int main(void)
{
    RUN(test_a_linked_flow_is_only_for_a_linked_employee);
    RUN(test_a_file_answer_keeps_the_file_and_its_kind);
    RUN(test_a_card_button_starts_its_flow_and_edits_the_card);
    RUN(test_start_welcomes_by_name_and_offers_the_menu);
    RUN(test_menu_lists_flows_in_order_and_pages_them);
    RUN(test_buttons_pressed_twice_or_by_someone_else_change_nothing);
    RUN(test_invalid_answers_get_a_reason_and_the_question_again);
    RUN(test_batal_menu_bantuan_and_unknown_commands_work_in_any_state);
    RUN(test_back_returns_to_the_previous_question);
    RUN(test_a_typed_number_presses_that_button);
    RUN(test_an_idle_session_expires_politely);
    RUN(test_a_restart_keeps_the_dialog_where_it_was);
    RUN(test_shipped_bahasa_switches_the_language_and_keeps_it);
    return CHECK_SUMMARY();
}
