/* bench_engine: dialog engine steps per second and stored session state per chat, on the
 * demo organisation with a real SQLite file (durable commits, one per batch of 100 turns, as
 * the service's batches). No network: this is the engine's own cost — load the session and the
 * sender's employee record, react, render, write the session and the button tokens.
 *
 *   build/tests/bench_engine [CHATS] [ROUNDS]   (defaults 1000 and 5)
 *
 * Each round every chat (a linked demo employee, or a stranger) sends /start, presses the menu's
 * first entry and types /batal: three steps. Prints steps/s, microseconds per step and the
 * average session row size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "karirbot/buf.h"
#include "karirbot/engine.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/policy.h"
#include "karirbot/script.h"
#include "karirbot/store.h"

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *first_token(const struct kb_outq *out)
{
    static char tok[80];
    tok[0] = '\0';
    for (size_t i = 0; i < out->len; i++) {
        const char *k = out->items[i].keyboard, *d = k ? strstr(k, "\"data\":\"") : NULL;
        if (d)
            snprintf(tok, sizeof tok, "%.16s", d + 8);
    }
    return tok;
}

int main(int argc, char **argv)
{
    int chats = argc > 1 ? atoi(argv[1]) : 1000, rounds = argc > 2 ? atoi(argv[2]) : 5;
    kb_log_set_level(KB_LOG_ERROR);
    char path[256];
    snprintf(path, sizeof path, "/tmp/bench-engine-%d.db", (int)getpid());
    struct kb_diag diag = {0};
    struct kb_script *script = kb_script_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    struct kb_policy *policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    struct kb_store *st = NULL;
    struct kb_buf sql;
    kb_buf_init(&sql, 1 << 20);
    if (!script || !loc || !policy || kb_store_open(&st, path, 1000) != KB_OK ||
        kb_buf_read_file(&sql, KB_SOURCE_DATA_DIR "/deploy/demo/demo.sql") != 0 ||
        kb_buf_add(&sql, "", 1) != 0 || kb_store_exec_seed(st, sql.data, "2026-11-18") != KB_OK) {
        fprintf(stderr, "bench_engine: setup failed\n");
        return 1;
    }
    struct kb_engine *e = kb_engine_new(script, loc);
    kb_engine_set_policy(e, policy);
    struct kb_handler h = kb_engine_handler(e);
    struct kb_outq out = {.len = 0};
    char(*tokens)[80] = calloc((size_t)chats, sizeof *tokens);
    int64_t update = 0;
    long steps = 0;
    double t0 = seconds();
    for (int r = 0; r < rounds; r++) {
        for (int phase = 0; phase < 3; phase++) {
            for (int c = 0; c < chats; c++) {
                if (c % 100 == 0 && kb_store_begin(st) != KB_OK)
                    return 1;
                /* Every tenth chat is a demo employee (linked), the rest strangers. */
                int64_t chat = c % 10 == 0 ? 2000000000 + 1 + (c / 10) % 11 : 5000000000 + c;
                struct kb_event ev = {.update_id = ++update,
                                      .chat_kind = KB_CHAT_PRIVATE,
                                      .chat_id = chat,
                                      .user_id = chat,
                                      .first_name = "Dewi"};
                if (phase == 1 && tokens[c][0]) {
                    ev.kind = KB_EV_CALLBACK;
                    ev.callback_id = "cb";
                    ev.callback_data = tokens[c];
                    ev.message_id = 1;
                } else {
                    ev.kind = KB_EV_TEXT;
                    ev.text = phase == 0 ? "/start" : "/batal";
                    ev.command = phase == 0 ? "start" : "batal";
                    ev.args = "";
                }
                int refused;
                kb_outq_clear(&out);
                if (kb_chats_touch(st, chat, KB_CHAT_PRIVATE, 0, &refused) != KB_OK ||
                    h.handle(h.ctx, &ev, st, &out) != 0)
                    return 1;
                if (phase == 0)
                    snprintf(tokens[c], sizeof tokens[c], "%s", first_token(&out));
                steps++;
                if (c % 100 == 99 || c == chats - 1)
                    if (kb_store_commit(st) != KB_OK)
                        return 1;
            }
        }
    }
    double dt = seconds() - t0;
    kb_outq_clear(&out);
    sqlite3 *db;
    double avg = 0;
    int rows = 0;
    if (sqlite3_open(path, &db) == SQLITE_OK) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(db,
                               "SELECT count(*), avg(length(flow) + length(state) + "
                               "length(data) + 24) FROM sessions",
                               -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW) {
            rows = sqlite3_column_int(s, 0);
            avg = sqlite3_column_double(s, 1);
        }
        sqlite3_finalize(s);
        sqlite3_close(db);
    }
    printf("engine: %ld steps in %.2f s = %.0f steps/s, %.1f us/step (%d chats x %d rounds)\n",
           steps, dt, steps / dt, dt * 1e6 / steps, chats, rounds);
    printf("session state: %d chats in a flow, %.0f bytes per chat on average\n", rows, avg);
    free(tokens);
    kb_buf_free(&sql);
    kb_engine_free(e);
    kb_store_close(st);
    kb_script_free(script);
    kb_policy_free(policy);
    kb_locale_free(loc);
    kb_diag_free(&diag);
    unlink(path);
    char p2[300];
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
    return 0;
}
