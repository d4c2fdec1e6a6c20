/* test_accounts: linking a Telegram account with a one-time activation code, on the shipped
 * dialogs and texts, the demo organisation and a real SQLite file. The codes themselves (format,
 * reading what people type, uniqueness, only a hash stored, expiry, a newer code revoking an
 * older one), then whole conversations through the engine: the deep link and typing, the name
 * check (Ya / Bukan), single use, an account or employee linked already, the rate limits per
 * chat and overall (and their windows sliding), /keluar, and that a code never stays in the
 * conversation log, the session or a reply. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/buf.h"
#include "karirbot/clock.h"
#include "karirbot/engine.h"
#include "karirbot/people.h"
#include "karirbot/script.h"
#include "karirbot/store.h"

#define T0        1795000000LL /* 2026-11-18 11:06 UTC, 19:06 in WITA */
#define DAY       86400
#define MAYA      10 /* the demo's unlinked employee */
#define MAYA_CHAT 2000000010LL
#define DEWI      4
#define DEWI_CHAT 2000000004LL
#define STRANGER  3000000001LL /* an unlinked Telegram account with no record */

struct world {
    char path[512];
    struct kb_store *st;
    struct kb_script *script;
    struct kb_locale *loc;
    struct kb_engine *engine;
    struct kb_outq out;
    int64_t update_id;
};

static void world_open(struct world *w, const char *name)
{
    demo_path(w->path, sizeof w->path, "accounts", name);
    struct kb_diag diag = {0};
    w->script = kb_script_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "dialogs: %s\n", diag.lines[i]);
    kb_diag_free(&diag);
    w->loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    CHECK(w->script && w->loc && kb_store_open(&w->st, w->path, 1000) == KB_OK);
    w->engine = kb_engine_new(w->script, w->loc);
    w->out.len = 0;
    w->update_id = 0;
    CHECK(demo_seed(w->st, "2026-11-18") == 0);
    kb_clock_set(T0);
}

static void world_close(struct world *w)
{
    kb_clock_set(0);
    kb_outq_clear(&w->out);
    kb_engine_free(w->engine);
    kb_store_close(w->st);
    kb_script_free(w->script);
    kb_locale_free(w->loc);
    demo_remove(w->path);
}

/* One event through the engine in its own transaction, logged first as the pipeline does. */
static int turn(struct world *w, struct kb_event *ev)
{
    kb_outq_clear(&w->out);
    ev->update_id = ++w->update_id;
    ev->chat_kind = KB_CHAT_PRIVATE;
    ev->user_id = ev->chat_id;
    struct kb_handler h = kb_engine_handler(w->engine);
    int refused;
    if (kb_store_begin(w->st) != KB_OK)
        return -1;
    int rc = kb_chats_touch(w->st, ev->chat_id, KB_CHAT_PRIVATE, kb_now(), &refused) == KB_OK &&
                     kb_convlog_add(w->st, ev->chat_id, ev->update_id,
                                    ev->kind == KB_EV_CALLBACK ? ev->callback_data : ev->text,
                                    kb_now()) == KB_OK &&
                     h.handle(h.ctx, ev, w->st, &w->out) == 0
                 ? 0
                 : -1;
    if (rc == 0)
        rc = kb_store_commit(w->st) == KB_OK ? 0 : -1;
    else
        kb_store_rollback(w->st);
    return rc;
}

/* Sends text (a /command is split as the Telegram adapter splits it). */
static int send(struct world *w, int64_t chat, const char *text)
{
    struct kb_event ev = {
        .kind = KB_EV_TEXT, .chat_id = chat, .text = strdup(text), .first_name = strdup("Tamu")};
    kb_event_split_command(&ev);
    int rc = turn(w, &ev);
    kb_event_free(&ev);
    return rc;
}

/* The texts of the last turn's messages, joined by " | ". */
static const char *said(struct world *w)
{
    static char buf[8192];
    buf[0] = '\0';
    for (size_t i = 0; i < w->out.len; i++) {
        const struct kb_out *o = &w->out.items[i];
        if (o->kind == KB_OUT_CALLBACK_ANSWER)
            continue;
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "%s%s", len ? " | " : "", o->text ? o->text : "");
    }
    return buf;
}

static int says(struct world *w, const char *part)
{
    int yes = strstr(said(w), part) != NULL;
    if (!yes)
        fprintf(stderr, "  expected \"%s\" in: %s\n", part, said(w));
    return yes;
}

/* Presses the button labelled label in the last turn's messages. */
static int press(struct world *w, int64_t chat, const char *label)
{
    char token[80] = "";
    for (size_t i = 0; i < w->out.len && !token[0]; i++) {
        cJSON *rows = w->out.items[i].keyboard ? cJSON_Parse(w->out.items[i].keyboard) : NULL;
        const cJSON *row, *b;
        cJSON_ArrayForEach(row, rows) cJSON_ArrayForEach(b, row)
        {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "text");
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(b, "data");
            if (cJSON_IsString(t) && !strcmp(t->valuestring, label) && cJSON_IsString(d))
                snprintf(token, sizeof token, "%s", d->valuestring);
        }
        cJSON_Delete(rows);
    }
    if (!token[0]) {
        fprintf(stderr, "  no button \"%s\" in: %s\n", label, said(w));
        return -1;
    }
    struct kb_event ev = {.kind = KB_EV_CALLBACK,
                          .chat_id = chat,
                          .message_id = 77,
                          .callback_id = strdup("cb"),
                          .callback_data = strdup(token),
                          .first_name = strdup("Tamu")};
    int rc = turn(w, &ev);
    kb_event_free(&ev);
    return rc;
}

/* Issues employee a code valid for days from now, in its own transaction. */
static void issue(struct world *w, int64_t employee, int days, char code[KB_CODE_LEN + 1])
{
    CHECK(kb_store_begin(w->st) == KB_OK);
    CHECK(kb_code_issue(w->st, employee, kb_now(), kb_now() + (int64_t)days * DAY, code) == KB_OK);
    CHECK(kb_store_commit(w->st) == KB_OK);
}

static int64_t linked_employee(struct world *w, int64_t user)
{
    struct kb_person p;
    int found = 0;
    CHECK(kb_person_by_user(w->st, user, &p, &found) == KB_OK);
    return found ? p.id : 0;
}

static int code_state(struct world *w, const char *code)
{
    unsigned char hash[KB_CODE_HASH_LEN];
    int state = -1;
    int64_t employee;
    CHECK(kb_code_hash(code, hash) == 0);
    CHECK(kb_code_find(w->st, hash, kb_now(), &state, &employee) == KB_OK);
    return state;
}

/* 1 when needle occurs anywhere in the file (the database and its WAL hold every row). */
static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = strlen(needle), cap = 1 << 16, len = 0;
    char *buf = malloc(cap + n);
    int found = 0;
    size_t got;
    while (buf && !found && (got = fread(buf + len, 1, cap, f)) > 0) {
        len += got;
        for (size_t i = 0; i + n <= len && !found; i++)
            found = !memcmp(buf + i, needle, n);
        if (len >= n) { /* keep the tail, in case the needle straddles two reads */
            memmove(buf, buf + len - (n - 1), n - 1);
            len = n - 1;
        }
    }
    free(buf);
    fclose(f);
    return found;
}

/* ---- the codes ------------------------------------------------------------------------------ */

static void test_codes_are_ten_unambiguous_characters_each_different(void)
{
    struct world w;
    world_open(&w, "format");
    static char seen[500][KB_CODE_LEN + 1];
    int ok = kb_store_begin(w.st) == KB_OK;
    for (int i = 0; i < 500; i++) {
        ok &= kb_code_issue(w.st, MAYA, T0, T0 + 14 * DAY, seen[i]) == KB_OK;
        ok &= strlen(seen[i]) == KB_CODE_LEN &&
              strspn(seen[i], "0123456789ABCDEFGHJKMNPQRSTVWXYZ") == KB_CODE_LEN;
        for (int j = 0; j < i; j++)
            ok &= strcmp(seen[i], seen[j]) != 0;
    }
    CHECK(ok && kb_store_commit(w.st) == KB_OK);
    char shown[KB_CODE_SHOWN], back[KB_CODE_LEN + 1];
    kb_code_group("K7QFM2XP9H", shown);
    CHECK_STR(shown, "K7QF-M2XP-9H");
    /* What people type: any case, dashes, spaces; O, I and L read as the digits they look like. */
    CHECK(kb_code_normalize("k7qf-m2xp-9h", back) == 0);
    CHECK_STR(back, "K7QFM2XP9H");
    CHECK(kb_code_normalize("  K7QF M2XP 9H ", back) == 0);
    CHECK_STR(back, "K7QFM2XP9H");
    CHECK(kb_code_normalize("OIL0-1234-56", back) == 0);
    CHECK_STR(back, "0110123456");
    CHECK(kb_code_normalize("K7QF-M2XP-9", back) != 0);         /* too short */
    CHECK(kb_code_normalize("K7QF-M2XP-9HH", back) != 0);       /* too long */
    CHECK(kb_code_normalize("K7QF-M2XP-9U", back) != 0);        /* U is not in the alphabet */
    CHECK(kb_code_normalize("K7QF-M2XP-9\xc3\xa9", back) != 0); /* nor is é */
    CHECK(kb_code_normalize("", back) != 0);
    CHECK_STR(back, "");
    world_close(&w);
}

static void test_only_the_hash_is_stored(void)
{
    struct world w;
    world_open(&w, "hash");
    char code[KB_CODE_LEN + 1], shown[KB_CODE_SHOWN];
    issue(&w, MAYA, 14, code);
    kb_code_group(code, shown);
    unsigned char hash[KB_CODE_HASH_LEN];
    CHECK(kb_code_hash(code, hash) == 0);
    CHECK(code_state(&w, code) == KB_CODE_VALID);
    /* A hash found is the code's; the code's text is in no table, nor anywhere in the files. */
    int state;
    int64_t employee;
    CHECK(kb_code_find(w.st, hash, kb_now(), &state, &employee) == KB_OK && employee == MAYA);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", w.path);
    CHECK(!file_has(w.path, code) && !file_has(wal, code));
    CHECK(!file_has(w.path, shown) && !file_has(wal, shown));
    char hex[KB_CODE_HASH_HEX];
    unsigned char again[KB_CODE_HASH_LEN];
    kb_code_hash_hex(hash, hex);
    CHECK(strlen(hex) == 64 && kb_code_hash_from_hex(hex, again) == 0 &&
          !memcmp(hash, again, sizeof hash));
    CHECK(kb_code_hash_from_hex("abc", again) != 0);
    world_close(&w);
}

static void test_a_code_expires_and_a_newer_one_replaces_it(void)
{
    struct world w;
    world_open(&w, "expiry");
    char first[KB_CODE_LEN + 1], second[KB_CODE_LEN + 1];
    issue(&w, MAYA, 14, first);
    kb_clock_set(T0 + 14 * DAY - 1);
    CHECK(code_state(&w, first) == KB_CODE_VALID);
    kb_clock_set(T0 + 14 * DAY);
    CHECK(code_state(&w, first) == KB_CODE_EXPIRED);
    kb_clock_set(T0);
    issue(&w, MAYA, 14, second);
    CHECK(code_state(&w, first) == KB_CODE_EXPIRED);
    CHECK(code_state(&w, second) == KB_CODE_VALID);
    CHECK(code_state(&w, "K7QFM2XP9H") == KB_CODE_UNKNOWN);
    /* In the conversation: the replaced code is no longer valid, the expired one neither. */
    CHECK(send(&w, MAYA_CHAT, "/start") == 0);
    CHECK(send(&w, MAYA_CHAT, first) == 0);
    CHECK(says(&w, "sudah tidak berlaku"));
    kb_clock_set(T0 + 15 * DAY);
    /* After a day the old conversation has ended, and the engine says so first. */
    CHECK(send(&w, MAYA_CHAT, "/start") == 0);
    CHECK(says(&w, "sudah berakhir"));
    CHECK(send(&w, MAYA_CHAT, "/start") == 0);
    CHECK(send(&w, MAYA_CHAT, second) == 0);
    CHECK(says(&w, "sudah tidak berlaku"));
    CHECK(linked_employee(&w, MAYA_CHAT) == 0);
    world_close(&w);
}

/* ---- conversations ----------------------------------------------------------------------------
 */

static void test_a_deep_link_asks_who_then_links_once(void)
{
    struct world w;
    world_open(&w, "deeplink");
    char code[KB_CODE_LEN + 1], start[64];
    issue(&w, MAYA, 14, code);
    snprintf(start, sizeof start, "/start %s", code);
    CHECK(send(&w, MAYA_CHAT, start) == 0);
    CHECK(says(&w, "Apakah benar Anda <b>Maya Anggraini</b>, Dinas Komunikasi dan Informatika?"));
    CHECK(linked_employee(&w, MAYA_CHAT) == 0); /* not before "Ya" */
    CHECK(press(&w, MAYA_CHAT, "Ya") == 0);
    CHECK(says(&w, "Terima kasih, Ibu Maya Anggraini."));
    CHECK(linked_employee(&w, MAYA_CHAT) == MAYA);
    CHECK(code_state(&w, code) == KB_CODE_USED);
    /* Now /start greets by the time of day in her unit's zone (19:06 WITA) and shows the menu. */
    CHECK(send(&w, MAYA_CHAT, "/start") == 0);
    CHECK(says(&w, "Selamat malam, Ibu Maya Anggraini. | <b>Menu utama</b>"));
    /* The code again, from this account: it is linked already and needs none. */
    CHECK(send(&w, MAYA_CHAT, start) == 0);
    CHECK(says(&w, "sudah terhubung dengan data kepegawaian Ibu Maya Anggraini"));
    /* From another account: used. */
    CHECK(send(&w, STRANGER, start) == 0);
    CHECK(says(&w, "sudah pernah digunakan"));
    CHECK(linked_employee(&w, STRANGER) == 0);
    /* The code was in no reply, and is neither in the conversation log nor in a session. */
    char shown[KB_CODE_SHOWN], wal[600];
    kb_code_group(code, shown);
    snprintf(wal, sizeof wal, "%s-wal", w.path);
    CHECK(!file_has(w.path, code) && !file_has(wal, code));
    world_close(&w);
}

static void test_typing_the_code_after_the_welcome_links(void)
{
    struct world w;
    world_open(&w, "typed");
    char code[KB_CODE_LEN + 1], shown[KB_CODE_SHOWN], typed[32];
    issue(&w, MAYA, 14, code);
    kb_code_group(code, shown);
    CHECK(send(&w, MAYA_CHAT, "/start") == 0);
    CHECK(says(&w, "Selamat datang di karirbot"));
    CHECK(send(&w, MAYA_CHAT, "halo, saya Maya") == 0); /* not a code: as in any step */
    CHECK(says(&w, "Silakan pilih salah satu tombol") && says(&w, "Selamat datang di karirbot"));
    CHECK(press(&w, MAYA_CHAT, "Belum punya kode") == 0);
    CHECK(says(&w, "BKPSDM"));
    CHECK(press(&w, MAYA_CHAT, "Saya punya kode aktivasi") == 0);
    CHECK(says(&w, "Silakan ketik kode aktivasi"));
    CHECK(send(&w, MAYA_CHAT, "halo") == 0); /* not a code: said so, and no wrong try counted */
    CHECK(says(&w, "terdiri dari 10 huruf dan angka"));
    int n = -1;
    CHECK(kb_link_attempts_count(w.st, MAYA_CHAT, 0, &n) == KB_OK && n == 0);
    /* Typed in lower case with spaces for the dashes. */
    for (size_t i = 0; shown[i]; i++)
        typed[i] =
            shown[i] == '-'
                ? ' '
                : (char)(shown[i] >= 'A' && shown[i] <= 'Z' ? shown[i] - 'A' + 'a' : shown[i]);
    typed[strlen(shown)] = '\0';
    CHECK(send(&w, MAYA_CHAT, typed) == 0);
    CHECK(says(&w, "Apakah benar Anda <b>Maya Anggraini</b>"));
    CHECK(strstr(said(&w), code) == NULL && strstr(said(&w), shown) == NULL);
    /* Between the question and the answer the session holds the hash, never the code. */
    struct kb_session_row row;
    int found = 0;
    CHECK(kb_session_get(w.st, MAYA_CHAT, &row, &found) == KB_OK && found);
    if (found) {
        CHECK(strstr(row.data, code) == NULL && strstr(row.data, typed) == NULL);
        free(row.data);
    }
    CHECK(press(&w, MAYA_CHAT, "Ya") == 0);
    CHECK(linked_employee(&w, MAYA_CHAT) == MAYA);
    world_close(&w);
}

static void test_bukan_links_nothing_and_keeps_the_code(void)
{
    struct world w;
    world_open(&w, "bukan");
    char code[KB_CODE_LEN + 1], start[64];
    issue(&w, MAYA, 14, code);
    snprintf(start, sizeof start, "/start %s", code);
    CHECK(send(&w, STRANGER, start) == 0);
    CHECK(press(&w, STRANGER, "Bukan") == 0);
    CHECK(says(&w, "hubungi BKPSDM"));
    CHECK(linked_employee(&w, STRANGER) == 0);
    CHECK(code_state(&w, code) == KB_CODE_VALID); /* Maya can still use it */
    CHECK(send(&w, MAYA_CHAT, start) == 0);
    CHECK(press(&w, MAYA_CHAT, "Ya") == 0);
    CHECK(linked_employee(&w, MAYA_CHAT) == MAYA);
    world_close(&w);
}

static void test_an_employee_linked_elsewhere_is_not_named(void)
{
    struct world w;
    world_open(&w, "elsewhere");
    char code[KB_CODE_LEN + 1], start[64];
    issue(&w, DEWI, 14, code); /* Dewi's account is linked in the demo */
    snprintf(start, sizeof start, "/start %s", code);
    CHECK(send(&w, STRANGER, start) == 0);
    CHECK(says(&w, "sudah terhubung dengan akun Telegram lain"));
    CHECK(strstr(said(&w), "Dewi") == NULL);
    CHECK(linked_employee(&w, STRANGER) == 0);
    CHECK(linked_employee(&w, DEWI_CHAT) == DEWI);
    world_close(&w);
}

static void test_five_wrong_tries_an_hour_per_chat(void)
{
    struct world w;
    world_open(&w, "chatlimit");
    char code[KB_CODE_LEN + 1], start[64];
    issue(&w, MAYA, 30, code);
    snprintf(start, sizeof start, "/start %s", code);
    CHECK(send(&w, MAYA_CHAT, "/start") == 0);
    static const char *const wrong[] = {"AAAA-AAAA-AA", "BBBB-BBBB-BB", "CCCC-CCCC-CC",
                                        "DDDD-DDDD-DD", "EEEE-EEEE-EE"};
    for (int i = 0; i < 5; i++) {
        kb_clock_set(T0 + i * 60);
        CHECK(send(&w, MAYA_CHAT, wrong[i]) == 0);
        CHECK(says(&w, "tidak dikenali"));
    }
    /* The sixth try is refused even with the right code, and says nothing about it. */
    kb_clock_set(T0 + 3599);
    CHECK(send(&w, MAYA_CHAT, start) == 0);
    CHECK(says(&w, "pemeriksaan kode aktivasi sedang dibatasi"));
    CHECK(strstr(said(&w), "Maya") == NULL);
    CHECK(linked_employee(&w, MAYA_CHAT) == 0);
    /* Another chat is not limited by this one. */
    CHECK(send(&w, STRANGER, "/start FFFF-FFFF-FF") == 0);
    CHECK(says(&w, "tidak dikenali"));
    /* An hour after the first wrong try one more try is allowed: the window slides. */
    kb_clock_set(T0 + 3600);
    CHECK(send(&w, MAYA_CHAT, start) == 0);
    CHECK(says(&w, "Apakah benar Anda <b>Maya Anggraini</b>"));
    CHECK(press(&w, MAYA_CHAT, "Ya") == 0);
    CHECK(linked_employee(&w, MAYA_CHAT) == MAYA);
    world_close(&w);
}

static void test_thirty_wrong_tries_a_minute_overall(void)
{
    struct world w;
    world_open(&w, "globallimit");
    char code[KB_CODE_LEN + 1], start[64];
    issue(&w, MAYA, 14, code);
    snprintf(start, sizeof start, "/start %s", code);
    /* Six accounts, five wrong tries each, all within a minute. */
    for (int i = 0; i < 30; i++) {
        kb_clock_set(T0 + i);
        CHECK(send(&w, STRANGER + 1 + i / 5, "/start AAAA-AAAA-AA") == 0);
        CHECK(says(&w, "tidak dikenali"));
    }
    /* Maya has tried nothing, but the right code waits for the minute to pass. */
    kb_clock_set(T0 + 40);
    CHECK(send(&w, MAYA_CHAT, start) == 0);
    CHECK(says(&w, "pemeriksaan kode aktivasi sedang dibatasi"));
    CHECK(linked_employee(&w, MAYA_CHAT) == 0);
    kb_clock_set(T0 + 60); /* the first wrong try is a minute old */
    CHECK(send(&w, MAYA_CHAT, start) == 0);
    CHECK(says(&w, "Apakah benar Anda"));
    world_close(&w);
}

static void test_keluar_unlinks_after_a_confirmation_and_keeps_the_record(void)
{
    struct world w;
    world_open(&w, "keluar");
    CHECK(send(&w, DEWI_CHAT, "/keluar") == 0);
    CHECK(says(&w, "Apakah Ibu ingin memutuskan hubungan tersebut?"));
    CHECK(press(&w, DEWI_CHAT, "Tidak") == 0);
    CHECK(says(&w, "tetap terhubung"));
    CHECK(linked_employee(&w, DEWI_CHAT) == DEWI);
    CHECK(send(&w, DEWI_CHAT, "/keluar") == 0);
    CHECK(press(&w, DEWI_CHAT, "Ya, putuskan") == 0);
    CHECK(says(&w, "sudah diputuskan"));
    CHECK(linked_employee(&w, DEWI_CHAT) == 0);
    struct kb_person p;
    int found = 0;
    CHECK(kb_person_by_id(w.st, DEWI, &p, &found) == KB_OK && found && p.chat_id == 0);
    CHECK(send(&w, DEWI_CHAT, "/keluar") == 0); /* nothing left to unlink */
    CHECK(says(&w, "belum terhubung"));
    CHECK(send(&w, DEWI_CHAT, "/start") == 0); /* welcomed like anyone unlinked */
    CHECK(says(&w, "Selamat datang di karirbot"));
    /* A new code links her again. */
    char code[KB_CODE_LEN + 1], start[64];
    issue(&w, DEWI, 14, code);
    snprintf(start, sizeof start, "/start %s", code);
    CHECK(send(&w, DEWI_CHAT, start) == 0);
    CHECK(press(&w, DEWI_CHAT, "Ya") == 0);
    CHECK(linked_employee(&w, DEWI_CHAT) == DEWI);
    world_close(&w);
}

static void test_the_bot_username_is_kept(void)
{
    struct world w;
    world_open(&w, "username");
    char name[40];
    CHECK(kb_bot_username_get(w.st, name, sizeof name) == KB_OK);
    CHECK_STR(name, "");
    CHECK(
        kb_store_begin(w.st) == KB_OK && kb_bot_username_set(w.st, "karirbot_demo_bot") == KB_OK &&
        kb_bot_username_set(w.st, "karirbot_pemda_bot") == KB_OK && kb_store_commit(w.st) == KB_OK);
    CHECK(kb_bot_username_get(w.st, name, sizeof name) == KB_OK);
    CHECK_STR(name, "karirbot_pemda_bot");
    world_close(&w);
}

int main(void)
{
    RUN(test_codes_are_ten_unambiguous_characters_each_different);
    RUN(test_only_the_hash_is_stored);
    RUN(test_a_code_expires_and_a_newer_one_replaces_it);
    RUN(test_a_deep_link_asks_who_then_links_once);
    RUN(test_typing_the_code_after_the_welcome_links);
    RUN(test_bukan_links_nothing_and_keeps_the_code);
    RUN(test_an_employee_linked_elsewhere_is_not_named);
    RUN(test_five_wrong_tries_an_hour_per_chat);
    RUN(test_thirty_wrong_tries_a_minute_overall);
    RUN(test_keluar_unlinks_after_a_confirmation_and_keeps_the_record);
    RUN(test_the_bot_username_is_kept);
    return CHECK_SUMMARY();
}
