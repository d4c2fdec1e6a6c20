/* test_admin: the store and checks behind HR's and the operator's admin commands, on real SQLite
 * files and the demo organisation: a broadcast's text check, its recipients (linked, active, not
 * blocked, of a unit), its batches with a cursor (resumed without queueing anyone twice), the
 * 24-hour duplicate rule; roles and units.hr_employee_id; the figures of `karirbot status` and
 * what the service notes about polling (redacted); purge in bounded batches (young, pending and
 * waiting-card rows kept; gaps in the outbox's ids jumped); /hapusdata through the engine for a
 * linked and an unlinked person; backups (a consistent snapshot while another connection
 * writes between the steps, mode 0600, never over an existing file) and the copy made before a
 * migration. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "demo.h"
#include "karirbot/admin_store.h"
#include "karirbot/broadcast.h"
#include "karirbot/buf.h"
#include "karirbot/clock.h"
#include "karirbot/engine.h"
#include "karirbot/event.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/script.h"
#include "karirbot/store.h"

#define T0         1795000000LL /* 2026-11-18 */
#define DAY        86400
#define DISKOMINFO 1 /* the demo's units */
#define BKPSDM     2
#define DEWI       4
#define LINA       11
#define MAYA       10 /* not linked */
#define DEWI_CHAT  2000000004LL
#define RUDI_CHAT  2000000005LL
#define STRANGER   3000000001LL

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
    memset(w, 0, sizeof *w);
    demo_path(w->path, sizeof w->path, "admin", name);
    struct kb_diag diag = {0};
    w->script = kb_script_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "dialogs: %s\n", diag.lines[i]);
    kb_diag_free(&diag);
    w->loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    CHECK(w->script && w->loc && kb_store_open(&w->st, w->path, 1000) == KB_OK);
    w->engine = kb_engine_new(w->script, w->loc);
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

/* Runs SQL on the world's database outside the store's API (fixtures, and looking at rows). */
static void sql(struct world *w, const char *text)
{
    sqlite3 *db;
    CHECK(sqlite3_open(w->path, &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    char *err = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "  sql failed: %s: %s\n", err ? err : "?", text);
        CHECK(0);
    }
    sqlite3_free(err);
    sqlite3_close(db);
}

static int64_t num(struct world *w, const char *query)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t v = -1;
    CHECK(sqlite3_open(w->path, &db) == SQLITE_OK);
    if (sqlite3_prepare_v2(db, query, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    } else {
        fprintf(stderr, "  query failed: %s: %s\n", sqlite3_errmsg(db), query);
    }
    sqlite3_close(db);
    return v;
}

/* ---- the text of a broadcast ----------------------------------------------------------------- */

static const char *problem(const char *text)
{
    static char copy[20000], buf[256];
    snprintf(copy, sizeof copy, "%s", text);
    return kb_broadcast_text_problem(copy, buf, sizeof buf);
}

static void test_broadcast_text_is_checked_and_normalised(void)
{
    char t[64] = "\xEF\xBB\xBF\r\n  <b>Rapat</b> pukul 09.00\r\nLantai 2\r\n\r\n";
    char buf[256];
    CHECK(kb_broadcast_text_problem(t, buf, sizeof buf) == NULL);
    CHECK_STR(t, "<b>Rapat</b> pukul 09.00\nLantai 2"); /* BOM, CRLF and blank edges gone */
    CHECK(problem("A &amp; B, 3 &lt; 4, <i>x</i> <a href=\"https://x.go.id\">link</a>") == NULL);
    CHECK(problem("") != NULL && strstr(problem("  \r\n "), "empty"));
    CHECK(strstr(problem("A & B"), "&amp;"));
    CHECK(strstr(problem("<blink>x</blink>"), "not one Telegram knows"));
    CHECK(strstr(problem("<b>x"), "never closed"));
    CHECK(strstr(problem("2 > 1"), "&gt;"));
    CHECK(strstr(problem("\xC3\x28"), "UTF-8"));
    /* Telegram counts UTF-16 units after the entities are parsed: 4096 fit, 4097 do not. */
    static char big[20000];
    memset(big, 'x', 4096);
    big[4096] = '\0';
    CHECK(problem(big) == NULL);
    strcat(big, "y");
    CHECK(problem(big) && strstr(problem(big), "4097"));
    memset(big, 0, sizeof big);
    for (int i = 0; i < 1000; i++)
        strcat(big, "&amp;"); /* 5 bytes, 1 character */
    CHECK(problem(big) == NULL);
    memset(big, 0, sizeof big);
    for (int i = 0; i < 2049; i++)
        strcat(big, "\xF0\x9F\x93\xA2"); /* an emoji: 2 UTF-16 units */
    CHECK(problem(big) != NULL);
}

/* ---- broadcasts ------------------------------------------------------------------------------ */

/* 30 more linked employees in BKPSDM (ids 101..130, chats 4000000101..), one of them blocked the
 * bot, one left the service (inactive), one has no link. */
static void more_people(struct world *w)
{
    sql(w,
        "WITH RECURSIVE n(i) AS (SELECT 101 UNION ALL SELECT i + 1 FROM n WHERE i < 132) "
        "INSERT INTO employees(id, nip, name, asn_kind, grade, unit_id) "
        "SELECT i, '1990010120150310' || printf('%02d', i - 100), 'Staf ' || i, 'PNS', 'III/a', 2 "
        "FROM n;"
        "INSERT INTO links(employee_id, user_id, chat_id, linked_at) "
        "SELECT id, 4000000000 + id, 4000000000 + id, 0 FROM employees WHERE id BETWEEN 101 "
        "AND 131;"
        "INSERT INTO chats(chat_id, kind, first_seen, last_seen, blocked_at) "
        "VALUES(4000000105, 0, 0, 0, 1);"
        "UPDATE employees SET active = 0 WHERE id = 106;");
}

static int64_t queue(struct world *w, int64_t id, int limit, int *batches)
{
    int64_t total = 0;
    int done = 0;
    *batches = 0;
    while (!done && *batches < 100) {
        int queued = 0;
        CHECK(kb_store_begin(w->st) == KB_OK);
        CHECK(kb_broadcast_queue_batch(w->st, id, limit, kb_now(), &queued, &done) == KB_OK);
        CHECK(kb_store_commit(w->st) == KB_OK);
        total += queued;
        (*batches)++;
    }
    return total;
}

static void test_broadcast_recipients_and_batches(void)
{
    struct world w;
    world_open(&w, "recipients");
    more_people(&w);
    int64_t n = 0, blocked = 0;
    /* Demo: 10 linked (Maya is not). BKPSDM: Lina, 31 linked staff, one blocked, one inactive. */
    CHECK(kb_broadcast_recipients(w.st, 0, &n, &blocked) == KB_OK);
    CHECK(n == 10 + 31 - 1 - 1 && blocked == 1);
    CHECK(kb_broadcast_recipients(w.st, BKPSDM, &n, &blocked) == KB_OK);
    CHECK(n == 1 + 29 && blocked == 1);
    CHECK(kb_broadcast_recipients(w.st, DISKOMINFO, &n, &blocked) == KB_OK);
    CHECK(n == 9 && blocked == 0);

    const char *text = "Pengumuman <b>Latsar</b>";
    int64_t id = 0;
    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_broadcast_create(w.st, text, BKPSDM, 30, "hr", kb_now(), &id) == KB_OK);
    CHECK(kb_store_commit(w.st) == KB_OK);
    /* An interrupted run: one batch of 7, then a new process continues from the cursor. */
    int queued = 0, done = 0, batches = 0;
    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_broadcast_queue_batch(w.st, id, 7, kb_now(), &queued, &done) == KB_OK);
    CHECK(kb_store_commit(w.st) == KB_OK);
    CHECK(queued == 7 && !done);
    struct kb_broadcast b;
    int found = 0;
    CHECK(kb_broadcast_find_same(w.st, text, BKPSDM, kb_now() - DAY, &b, &found) == KB_OK);
    CHECK(found && b.id == id && b.queued == 7 && b.finished_at == 0);
    CHECK(queue(&w, id, 7, &batches) == 23);
    CHECK(batches == 4); /* 7 + 7 + 7 + 2: the short batch ends it */
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE priority = 3 AND kind = 0 AND state = 0") ==
          30);
    CHECK(num(&w, "SELECT count(*) FROM (SELECT chat_id FROM outbox GROUP BY chat_id "
                  "HAVING count(*) > 1)") == 0);
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE chat_id IN (4000000105, 4000000106, "
                  "4000000132, 2000000004)") == 0); /* blocked, inactive, unlinked, other unit */
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE chat_id = 2000000011") == 1); /* Lina */
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE text <> 'Pengumuman <b>Latsar</b>'") == 0);
    CHECK(num(&w, "SELECT queued FROM broadcasts") == 30);
    CHECK(num(&w, "SELECT finished_at FROM broadcasts") == T0);
    /* Finished: more batches add nothing. */
    CHECK(queue(&w, id, 7, &batches) == 0 && batches == 1);
    int64_t ahead = 0;
    CHECK(kb_outbox_pending_upto(w.st, 3, &ahead) == KB_OK && ahead == 30);
    CHECK(kb_outbox_pending_upto(w.st, 2, &ahead) == KB_OK && ahead == 0);
    world_close(&w);
}

static void test_the_same_text_twice_in_a_day_is_found(void)
{
    struct world w;
    world_open(&w, "same");
    const char *text = "Libur nasional";
    int64_t id = 0;
    int batches = 0, found = 0;
    struct kb_broadcast b;
    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_broadcast_create(w.st, text, DISKOMINFO, 9, NULL, kb_now(), &id) == KB_OK);
    CHECK(kb_store_commit(w.st) == KB_OK);
    CHECK(queue(&w, id, 500, &batches) == 9);
    /* The same unit, or everyone (overlaps), within 24 hours: found. */
    CHECK(kb_broadcast_find_same(w.st, text, DISKOMINFO, kb_now() - DAY, &b, &found) == KB_OK);
    CHECK(found && b.id == id && b.finished_at == T0 && b.unit_id == DISKOMINFO);
    CHECK(kb_broadcast_find_same(w.st, text, 0, kb_now() - DAY, &b, &found) == KB_OK && found);
    /* Another unit: nobody would get it twice. Another text: not the same. */
    CHECK(kb_broadcast_find_same(w.st, text, BKPSDM, kb_now() - DAY, &b, &found) == KB_OK &&
          !found);
    CHECK(kb_broadcast_find_same(w.st, "Libur nasional!", DISKOMINFO, kb_now() - DAY, &b, &found) ==
              KB_OK &&
          !found);
    /* A day later: a finished one is history. An unfinished one is found at any age. */
    kb_clock_set(T0 + DAY + 1);
    CHECK(kb_broadcast_find_same(w.st, text, DISKOMINFO, kb_now() - DAY, &b, &found) == KB_OK &&
          !found);
    sql(&w, "UPDATE broadcasts SET finished_at = NULL");
    CHECK(kb_broadcast_find_same(w.st, text, DISKOMINFO, kb_now() - DAY, &b, &found) == KB_OK &&
          found);
    /* ... unless it was sent again (--again) since: that newer one is what counts. */
    int64_t again = 0;
    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_broadcast_create(w.st, text, DISKOMINFO, 9, NULL, kb_now(), &again) == KB_OK);
    CHECK(kb_store_commit(w.st) == KB_OK);
    CHECK(queue(&w, again, 500, &batches) == 9);
    kb_clock_set(T0 + 3 * DAY);
    CHECK(kb_broadcast_find_same(w.st, text, DISKOMINFO, kb_now() - DAY, &b, &found) == KB_OK &&
          !found);
    world_close(&w);
}

/* ---- roles ----------------------------------------------------------------------------------- */

static void test_roles_and_the_units_hr_officer(void)
{
    struct world w;
    world_open(&w, "roles");
    int changed = 0, removed = 0, n = 0;
    int64_t replaced = 0;
    struct kb_role_row rows[8];
    /* The demo names Lina the officer of both units through the units table only. */
    CHECK(kb_role_list(w.st, "", 0, 0, rows, 8, &n) == KB_OK && n == 2);
    CHECK(!strcmp(rows[0].role, "hr_unit") && rows[0].granted_at == 0 &&
          !strcmp(rows[0].name, "Lina Marlina"));

    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_role_grant(w.st, DEWI, KB_ROLE_ADMIN, 0, "op", kb_now(), &changed, &replaced) ==
          KB_OK);
    CHECK(changed && !replaced);
    CHECK(kb_role_grant(w.st, DEWI, KB_ROLE_ADMIN, 0, "op", kb_now(), &changed, &replaced) ==
          KB_OK);
    CHECK(!changed); /* held already */
    CHECK(kb_role_grant(w.st, DEWI, KB_ROLE_ADMIN, BKPSDM, "op", kb_now(), &changed, &replaced) ==
          KB_ERR); /* admin has no unit */
    /* Dewi becomes Diskominfo's officer, replacing Lina there (not in BKPSDM). */
    CHECK(kb_role_grant(w.st, DEWI, KB_ROLE_HR_UNIT, DISKOMINFO, "op", kb_now(), &changed,
                        &replaced) == KB_OK);
    CHECK(changed && replaced == LINA);
    CHECK(kb_store_commit(w.st) == KB_OK);
    CHECK(num(&w, "SELECT hr_employee_id FROM units WHERE id = 1") == DEWI);
    CHECK(num(&w, "SELECT hr_employee_id FROM units WHERE id = 2") == LINA);
    struct kb_person p;
    int found = 0;
    CHECK(kb_person_by_nip(w.st, "199107102019031005", &p, &found) == KB_OK && found);
    CHECK(p.unit_hr_id == DEWI); /* what the flows' "tell HR" paths read */

    /* Maya replaces Dewi: one officer per unit, and Dewi's role row goes. */
    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_role_grant(w.st, MAYA, KB_ROLE_HR_UNIT, DISKOMINFO, NULL, kb_now(), &changed,
                        &replaced) == KB_OK);
    CHECK(changed && replaced == DEWI);
    CHECK(kb_store_commit(w.st) == KB_OK);
    CHECK(num(&w, "SELECT count(*) FROM roles WHERE role = 'hr_unit'") == 1);
    CHECK(kb_role_list(w.st, KB_ROLE_HR_UNIT, DISKOMINFO, 0, rows, 8, &n) == KB_OK && n == 1);
    CHECK(!strcmp(rows[0].name, "Maya Anggraini") && rows[0].granted_at == T0);

    /* Revoking clears the unit; revoking Lina's import-named role in BKPSDM works too. */
    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_role_revoke(w.st, MAYA, KB_ROLE_HR_UNIT, DISKOMINFO, &removed) == KB_OK && removed);
    CHECK(kb_role_revoke(w.st, MAYA, KB_ROLE_HR_UNIT, DISKOMINFO, &removed) == KB_OK && !removed);
    CHECK(kb_role_revoke(w.st, LINA, KB_ROLE_HR_UNIT, BKPSDM, &removed) == KB_OK && removed);
    CHECK(kb_role_revoke(w.st, DEWI, KB_ROLE_ADMIN, 0, &removed) == KB_OK && removed);
    CHECK(kb_store_commit(w.st) == KB_OK);
    CHECK(num(&w, "SELECT count(*) FROM units WHERE hr_employee_id IS NOT NULL") == 0);
    CHECK(kb_role_list(w.st, "", 0, 0, rows, 8, &n) == KB_OK && n == 0);
    world_close(&w);
}

/* ---- status ---------------------------------------------------------------------------------- */

static void test_status_figures_and_what_the_service_notes(void)
{
    struct world w;
    world_open(&w, "status");
    sql(&w, "INSERT INTO outbox(chat_id, kind, priority, text, state, created_at) VALUES"
            " (1, 0, 1, 'a', 0, 1795000000 - 700), (1, 0, 3, 'b', 0, 1795000000 - 9000),"
            " (1, 0, 3, 'c', 0, 1795000000 - 10), (1, 0, 1, 'd', 2, 0), (1, 0, 2, 'e', 2, 0),"
            " (1, 0, 2, 'f', 1, 0);"
            "INSERT INTO chats(chat_id, kind, first_seen, last_seen) VALUES(1, 0, 0, 0);"
            "INSERT INTO sessions(chat_id, flow, state, updated_at, expires_at) VALUES"
            " (1, 'menu', 'x', 0, 1795000000 + 60);"
            "INSERT INTO dead_letters(reason, created_at) VALUES('x', 0);"
            "UPDATE employees SET active = 0 WHERE id = 5;");
    struct kb_status s;
    CHECK(kb_status_read(w.st, kb_now(), &s) == KB_OK);
    CHECK(s.version == s.latest && s.latest == kb_store_latest_version());
    CHECK(s.employees == 11 && s.active == 10 && s.linked == 10 && s.open_sessions == 1);
    CHECK(s.dead_letters == 1);
    CHECK(s.pending[1] == 1 && s.pending[3] == 2 && s.pending[0] == 0 && s.pending[2] == 0);
    CHECK(s.failed[1] == 1 && s.failed[2] == 1 && s.failed[3] == 0);
    CHECK(s.oldest_at[1] == T0 - 700 && s.oldest_at[3] == T0 - 9000 && s.oldest_at[2] == 0);
    CHECK(s.poll_ok_at == 0 && s.poll_error_at == 0 && s.poll_error[0] == '\0');

    kb_log_add_secret("123456:SECRET-token");
    CHECK(kb_poll_note(w.st, NULL, T0 - 100) == KB_OK);
    CHECK(kb_poll_note(w.st, "getUpdates: 502 url /bot123456:SECRET-token/getUpdates", T0 - 50) ==
          KB_OK);
    kb_log_clear_secrets();
    CHECK(kb_status_read(w.st, kb_now(), &s) == KB_OK);
    CHECK(s.poll_ok_at == T0 - 100 && s.poll_error_at == T0 - 50);
    CHECK(strstr(s.poll_error, "getUpdates: 502") && !strstr(s.poll_error, "SECRET"));
    /* Read-only, and the same figures. */
    struct kb_store *ro = kb_store_open_readonly(w.path, 100);
    CHECK(ro != NULL);
    if (ro) {
        CHECK(kb_status_read(ro, kb_now(), &s) == KB_OK && s.employees == 11);
        CHECK(kb_poll_note(ro, NULL, T0) != KB_OK); /* it cannot write */
        kb_store_close(ro);
    }
    char missing[600];
    demo_path(missing, sizeof missing, "admin", "no-such");
    CHECK(kb_store_open_readonly(missing, 100) == NULL && access(missing, F_OK) != 0);
    world_close(&w);
}

/* ---- retention ------------------------------------------------------------------------------- */

static void test_purge_deletes_old_rows_in_batches_and_keeps_what_must_stay(void)
{
    struct world w;
    world_open(&w, "purge");
    /* Oldest first, as the service writes them: 2,500 old rows of each kind, an old pending row,
     * an old card still waiting for a decision, then young rows. A gap of 5,000 deleted ids
     * sits in the middle of the old rows. */
    sql(&w,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
        "INSERT INTO conversation_log(chat_id, text, created_at) "
        "SELECT 7, 'old', 1795000000 - 200 * 86400 + i FROM n;"
        "INSERT INTO conversation_log(chat_id, text, created_at) VALUES(7, 'young', 1795000000);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) "
        "INSERT INTO outbox(chat_id, kind, priority, text, state, created_at) "
        "SELECT 7, 0, 1, 'old', 1 + i % 2, 1795000000 - 200 * 86400 + i FROM n;"
        "INSERT INTO outbox(chat_id, kind, priority, text, state, created_at) VALUES"
        " (7, 0, 1, 'old pending', 0, 1795000000 - 199 * 86400),"
        " (7, 0, 1, 'old card', 1, 1795000000 - 199 * 86400);"
        "INSERT INTO approvals(kind, subject_id, requester_id, approver_id, created_at, "
        " card_outbox_id) VALUES('training', 1, 4, 2, 0, (SELECT max(id) FROM outbox));"
        "INSERT INTO outbox(id, chat_id, kind, priority, text, state, created_at) "
        " VALUES(7000, 7, 0, 1, 'old after a gap', 1, 1795000000 - 190 * 86400);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1300) "
        "INSERT INTO outbox(chat_id, kind, priority, text, state, created_at) "
        "SELECT 7, 0, 1, 'old', 1, 1795000000 - 181 * 86400 + i FROM n;"
        "INSERT INTO outbox(chat_id, kind, priority, text, state, created_at) VALUES"
        " (7, 0, 1, 'young', 1, 1795000000 - 86400);"
        "INSERT INTO dead_letters(chat_id, reason, created_at) VALUES"
        " (7, 'old', 0), (7, 'young', 1795000000);");
    int64_t before = kb_now() - 180LL * DAY, c = 0, o = 0, d = 0;
    CHECK(kb_purge_count(w.st, before, &c, &o, &d) == KB_OK);
    CHECK(c == 2500 && o == 1200 + 1 + 1300 && d == 1);

    int deleted = 0, total = 0, rounds = 0;
    do {
        CHECK(kb_store_begin(w.st) == KB_OK);
        CHECK(kb_purge_convlog(w.st, before, 1000, &deleted) == KB_OK);
        CHECK(kb_store_commit(w.st) == KB_OK);
        total += deleted;
        rounds++;
    } while (deleted == 1000 && rounds < 10);
    CHECK(total == 2500 && rounds == 3);

    int64_t cursor = 0, next = 0;
    int newer = 0;
    CHECK(kb_outbox_first_id(w.st, &cursor) == KB_OK && cursor == 0);
    total = rounds = 0;
    for (;;) {
        CHECK(kb_store_begin(w.st) == KB_OK);
        CHECK(kb_purge_outbox_window(w.st, before, cursor, 1000, &deleted, &newer, &next) == KB_OK);
        CHECK(kb_store_commit(w.st) == KB_OK);
        total += deleted;
        rounds++;
        if (newer || next < 0 || rounds > 20)
            break;
        cursor = next;
    }
    /* Windows: 1..1000, 1001..2000 (then a jump over the gap), 7000..7999, 8000..8999. */
    CHECK(total == 1200 + 1 + 1300);
    CHECK(rounds == 4);
    CHECK(num(&w, "SELECT count(*) FROM outbox") == 3);
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE text IN ('old pending', 'old card', "
                  "'young')") == 3);

    CHECK(kb_store_begin(w.st) == KB_OK);
    CHECK(kb_purge_dead_letters(w.st, before, 1000, &deleted) == KB_OK && deleted == 1);
    CHECK(kb_store_commit(w.st) == KB_OK);
    CHECK(num(&w, "SELECT count(*) FROM conversation_log") == 1);
    world_close(&w);
}

/* ---- /hapusdata --------------------------------------------------------------------------------
 */

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
    /* The pipeline's part: every reply becomes an outbox row, delivered at once here. */
    for (size_t i = 0; rc == 0 && i < w->out.len; i++) {
        struct kb_out o = w->out.items[i];
        int64_t id = 0;
        if (kb_outbox_add(w->st, &o, kb_now(), &id) != KB_OK ||
            kb_outbox_mark_sent(w->st, id, 1000 + id, kb_now()) != KB_OK)
            rc = -1;
    }
    if (rc == 0)
        rc = kb_store_commit(w->st) == KB_OK ? 0 : -1;
    else
        kb_store_rollback(w->st);
    return rc;
}

static int send(struct world *w, int64_t chat, const char *text)
{
    struct kb_event ev = {
        .kind = KB_EV_TEXT, .chat_id = chat, .text = strdup(text), .first_name = strdup("Tamu")};
    kb_event_split_command(&ev);
    int rc = turn(w, &ev);
    kb_event_free(&ev);
    return rc;
}

static const char *said(struct world *w)
{
    static char buf[8192];
    buf[0] = '\0';
    for (size_t i = 0; i < w->out.len; i++) {
        const struct kb_out *o = &w->out.items[i];
        size_t len = strlen(buf);
        if (o->kind != KB_OUT_CALLBACK_ANSWER)
            snprintf(buf + len, sizeof buf - len, "%s%s", len ? " | " : "", o->text ? o->text : "");
    }
    return buf;
}

/* Presses the button whose label is locale key in Indonesian. */
static int press(struct world *w, int64_t chat, const char *key)
{
    const char *label = kb_locale_text(w->loc, "id", key);
    char token[80] = "";
    for (size_t i = 0; label && i < w->out.len && !token[0]; i++) {
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
        fprintf(stderr, "  no button %s in: %s\n", key, said(w));
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

static void test_hapusdata_deletes_the_chats_log_after_a_confirmation(void)
{
    struct world w;
    world_open(&w, "hapusdata");
    /* Dewi (linked) and Rudi chat; a stranger too. Dewi has a pending broadcast row. */
    CHECK(send(&w, DEWI_CHAT, "/start") == 0);
    CHECK(send(&w, DEWI_CHAT, "/menu") == 0);
    CHECK(send(&w, RUDI_CHAT, "/start") == 0);
    CHECK(send(&w, STRANGER, "halo") == 0);
    sql(&w, "INSERT INTO outbox(chat_id, kind, priority, text, created_at) "
            "VALUES(2000000004, 0, 3, 'pending broadcast', 0);"
            "INSERT INTO dead_letters(chat_id, reason, raw, created_at) "
            "VALUES(2000000004, 'x', 'raw text', 0);");
    int64_t rudi_log = num(&w, "SELECT count(*) FROM conversation_log WHERE chat_id = 2000000005");
    int64_t rudi_out = num(&w, "SELECT count(*) FROM outbox WHERE chat_id = 2000000005");
    CHECK(rudi_log == 1 && rudi_out >= 1);

    /* "Tidak" keeps everything. */
    CHECK(send(&w, DEWI_CHAT, "/hapusdata") == 0);
    CHECK(strstr(said(&w), "Telegram") != NULL); /* it says Telegram keeps its own copy */
    CHECK(press(&w, DEWI_CHAT, "btn_hapusdata_no") == 0);
    CHECK(num(&w, "SELECT count(*) FROM conversation_log WHERE chat_id = 2000000004") == 4);

    CHECK(send(&w, DEWI_CHAT, "/hapusdata") == 0);
    int64_t bot_before =
        num(&w, "SELECT count(*) FROM outbox WHERE chat_id = 2000000004 AND state = 1 AND "
                "kind <> 2");
    CHECK(press(&w, DEWI_CHAT, "btn_hapusdata_yes") == 0);
    CHECK(strstr(said(&w), " 6 ") != NULL); /* from her: 4 before, /hapusdata twice, the press */
    char bot[32];
    snprintf(bot, sizeof bot, " %lld ", (long long)bot_before);
    CHECK(strstr(said(&w), bot) != NULL);
    CHECK(num(&w, "SELECT count(*) FROM conversation_log WHERE chat_id = 2000000004") == 0);
    CHECK(num(&w, "SELECT count(*) FROM dead_letters WHERE chat_id = 2000000004") == 0);
    /* Left in her chat: the pending broadcast and this turn's own reply (now sent). */
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE chat_id = 2000000004 AND state = 0") == 1);
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE chat_id = 2000000004 AND state <> 0") ==
          (int64_t)w.out.len);
    /* Nobody else's, and none of her records. */
    CHECK(num(&w, "SELECT count(*) FROM conversation_log WHERE chat_id = 2000000005") == rudi_log);
    CHECK(num(&w, "SELECT count(*) FROM outbox WHERE chat_id = 2000000005") == rudi_out);
    CHECK(num(&w, "SELECT count(*) FROM conversation_log WHERE chat_id = 3000000001") == 1);
    CHECK(num(&w, "SELECT count(*) FROM links WHERE employee_id = 4") == 1);
    CHECK(num(&w, "SELECT count(*) FROM rpi_plans WHERE employee_id = 4") >= 1);

    /* Someone not linked may use it too. */
    CHECK(send(&w, STRANGER, "/hapusdata") == 0);
    CHECK(press(&w, STRANGER, "btn_hapusdata_yes") == 0);
    CHECK(strstr(said(&w), " 3 ") != NULL);
    CHECK(num(&w, "SELECT count(*) FROM conversation_log WHERE chat_id = 3000000001") == 0);
    world_close(&w);
}

/* ---- backups --------------------------------------------------------------------------------- */

struct writer {
    struct kb_store *other; /* another connection, as the service */
    int steps;
};

static void write_between_steps(int copied, int total, void *data)
{
    (void)copied;
    (void)total;
    struct writer *wr = data;
    wr->steps++;
    CHECK(kb_store_begin(wr->other) == KB_OK); /* never blocked by the copy */
    struct kb_out o = {.kind = KB_OUT_TEXT,
                       .priority = KB_PRIO_REPLY,
                       .chat_id = 9,
                       .text = "written during the backup"};
    CHECK(kb_outbox_add(wr->other, &o, kb_now(), NULL) == KB_OK);
    CHECK(kb_store_commit(wr->other) == KB_OK);
}

static void test_a_backup_is_one_snapshot_while_another_connection_writes(void)
{
    struct world w;
    world_open(&w, "backup");
    sql(&w, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
            "INSERT INTO conversation_log(chat_id, text, created_at) "
            "SELECT 7, printf('%0500d', i), 0 FROM n;");
    int64_t rows = num(&w, "SELECT count(*) FROM outbox");
    char dest[600];
    demo_path(dest, sizeof dest, "admin", "backup-copy");
    struct writer wr = {0};
    CHECK(kb_store_open(&wr.other, w.path, 1000) == KB_OK);
    struct kb_backup_opts o = {.pages_per_step = 16, .progress = write_between_steps, .data = &wr};
    char err[256];
    CHECK(kb_backup_file(w.path, dest, &o, err, sizeof err) == KB_OK);
    CHECK(wr.steps > 10); /* many steps, each followed by a commit elsewhere */
    kb_store_close(wr.other);
    struct stat sb;
    CHECK(stat(dest, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    struct kb_store *copy = kb_store_open_readonly(dest, 100);
    CHECK(copy != NULL);
    if (copy) {
        CHECK(kb_store_integrity_ok(copy) == KB_OK);
        CHECK(kb_store_version(copy) == kb_store_latest_version());
        kb_store_close(copy);
    }
    /* The copy is the instant it began: none of the rows written meanwhile. */
    sqlite3 *db;
    sqlite3_stmt *s;
    CHECK(sqlite3_open(dest, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM "
                             "conversation_log), (SELECT * FROM pragma_journal_mode)",
                             -1, &s, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(s, 0) == rows && sqlite3_column_int64(s, 1) == 3000);
    CHECK_STR((const char *)sqlite3_column_text(s, 2), "delete"); /* a single file */
    sqlite3_finalize(s);
    sqlite3_close(db);
    CHECK(num(&w, "SELECT count(*) FROM outbox") == rows + wr.steps);
    /* Never over an existing file, unless asked. */
    struct kb_backup_opts plain = {0};
    CHECK(kb_backup_file(w.path, dest, &plain, err, sizeof err) == KB_ERR);
    CHECK(strstr(err, "exists") != NULL);
    plain.overwrite = 1;
    CHECK(kb_backup_file(w.path, dest, &plain, err, sizeof err) == KB_OK);
    unlink(dest);
    world_close(&w);
}

static int64_t file_version(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return v;
}

static void test_a_database_is_copied_before_a_migration(void)
{
    char path[600], bak[700];
    demo_path(path, sizeof path, "admin", "premigrate");
    int latest = kb_store_latest_version();
    snprintf(bak, sizeof bak, "%s.pre-v%d.bak", path, latest);
    unlink(bak);
    /* A new database and one at the latest version are not copied. */
    struct kb_store *st = NULL;
    CHECK(kb_store_open(&st, path, 1000) == KB_OK);
    kb_store_close(st);
    CHECK(kb_store_open(&st, path, 1000) == KB_OK);
    kb_store_close(st);
    CHECK(access(bak, F_OK) != 0);
    /* One step behind (the last step's tables exist, so the step itself fails here: the copy
     * must exist before any step runs, and the database stays as it was). */
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    char q[64];
    snprintf(q, sizeof q, "PRAGMA user_version = %d", latest - 1);
    CHECK(sqlite3_exec(db, q, NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE marker(x); INSERT INTO marker VALUES(42)", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    st = NULL;
    CHECK(kb_store_open(&st, path, 1000) == KB_ERR);
    CHECK(access(bak, F_OK) == 0);
    CHECK(file_version(bak) == latest - 1 && file_version(path) == latest - 1);
    struct stat sb;
    CHECK(stat(bak, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK(sqlite3_open(bak, &db) == SQLITE_OK);
    sqlite3_stmt *s;
    CHECK(sqlite3_prepare_v2(db, "SELECT x FROM marker", -1, &s, NULL) == SQLITE_OK &&
          sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 42);
    sqlite3_finalize(s);
    sqlite3_close(db);
    /* A second attempt keeps the first copy (it is the original). */
    struct stat first;
    CHECK(stat(bak, &first) == 0);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE marker SET x = 43", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK(kb_store_open(&st, path, 1000) == KB_ERR);
    CHECK(sqlite3_open(bak, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "SELECT x FROM marker", -1, &s, NULL) == SQLITE_OK &&
          sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 42);
    sqlite3_finalize(s);
    sqlite3_close(db);
    unlink(bak);
    demo_remove(path);
}

int main(void)
{
    kb_log_set_level(KB_LOG_WARN);
    RUN(test_broadcast_text_is_checked_and_normalised);
    RUN(test_broadcast_recipients_and_batches);
    RUN(test_the_same_text_twice_in_a_day_is_found);
    RUN(test_roles_and_the_units_hr_officer);
    RUN(test_status_figures_and_what_the_service_notes);
    RUN(test_purge_deletes_old_rows_in_batches_and_keeps_what_must_stay);
    RUN(test_hapusdata_deletes_the_chats_log_after_a_confirmation);
    RUN(test_a_backup_is_one_snapshot_while_another_connection_writes);
    RUN(test_a_database_is_copied_before_a_migration);
    return CHECK_SUMMARY();
}
