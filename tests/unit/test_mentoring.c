/* test_mentoring: mentoring and coaching on real SQLite files in KARIRBOT_TEST_TMP, on the demo
 * organisation (deploy/demo/demo.sql): areas and matching (area, free capacity, the mentee
 * never proposed to themself, an existing pair excluded), the capacity boundary, the areas
 * kept in step with mentors.areas, a request sent and decided (accepted, declined, accepted
 * after the mentor became full, by someone else), sessions adding up to JP in the mentee's RPI,
 * and who may log a session. The actions run through kb_action_run with the shipped locales
 * and policy; messages to other people are captured by a notify that records them. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/access.h"
#include "karirbot/actions.h"
#include "karirbot/approvals.h"
#include "karirbot/buf.h"
#include "karirbot/diag.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/mentoring.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/store.h"

/* White box: the fixture edits and reads rows through the store's connection. */
#include "../../src/store/internal.h"

#include "check.h"
#include "demo.h"

#define NOW   1795000000LL /* 2026-11-18 in WITA, as the transcripts */
#define TODAY "2026-11-18"

/* Demo employees. */
enum {
    AGUS = 1,
    HENDRA = 2,
    RATNA = 3,
    DEWI = 4,
    RUDI = 5,
    SITI = 6,
    BAMBANG = 7,
    YUNI = 8,
    FAJAR = 9,
    MAYA = 10,
    LINA = 11
};

/* ---- fixture ------------------------------------------------------------------------------- */

struct note {
    int64_t to;
    char key[64];
    char text[2048];
    size_t nbuttons;
};

struct world {
    struct kb_store *st;
    struct kb_locale *loc;
    struct kb_policy *policy;
    struct kb_event ev;
    struct kb_person actor;
    cJSON *answers;
    struct kb_action_ctx ctx;
    struct note notes[16];
    size_t nnotes;
    char path[600];
};

static struct world *current; /* the notify below records into it */

static int record_notify(struct kb_action_ctx *ctx, int64_t employee_id, const char *key,
                         const char *const *vars, size_t nvars,
                         const struct kb_note_button *buttons, size_t nbuttons, int64_t *sent_to)
{
    (void)buttons;
    struct kb_person p;
    int found = 0;
    *sent_to = 0;
    if (kb_person_by_id(ctx->st, employee_id, &p, &found) != KB_OK)
        return -1;
    if (!found || !p.chat_id)
        return 0;
    if (current->nnotes < sizeof current->notes / sizeof current->notes[0]) {
        struct note *n = &current->notes[current->nnotes++];
        n->to = employee_id;
        snprintf(n->key, sizeof n->key, "%s", key);
        char *text = kb_locale_render(ctx->loc, "id", key, vars, nvars);
        snprintf(n->text, sizeof n->text, "%s", text ? text : "");
        free(text);
        n->nbuttons = nbuttons;
    }
    *sent_to = p.chat_id;
    return 0;
}

static void exec_sql(struct world *w, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(w->st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fixture SQL failed: %s\n", err ? err : "?");
        sqlite3_free(err);
        exit(2);
    }
}

static int64_t query_i64(struct world *w, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v = INT64_MIN;
    if (sqlite3_prepare_v2(w->st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return v;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void query_text(struct world *w, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *s;
    out[0] = '\0';
    if (sqlite3_prepare_v2(w->st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

static void world_open(struct world *w, const char *name)
{
    memset(w, 0, sizeof *w);
    current = w;
    demo_path(w->path, sizeof w->path, "mentoring", name);
    if (kb_store_open(&w->st, w->path, 1000) != KB_OK) {
        fprintf(stderr, "cannot open %s\n", w->path);
        exit(2);
    }
    if (demo_seed(w->st, TODAY) != 0)
        exit(2);
    struct kb_diag diag = {0};
    w->loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    w->policy = kb_policy_load(KB_SOURCE_DATA_DIR, NULL, &diag);
    kb_diag_free(&diag);
    if (!w->loc || !w->policy) {
        fprintf(stderr, "cannot load the shipped locales or policy\n");
        exit(2);
    }
}

static void world_close(struct world *w)
{
    cJSON_Delete(w->answers);
    kb_locale_free(w->loc);
    kb_policy_free(w->policy);
    kb_store_close(w->st);
    demo_remove(w->path);
    current = NULL;
}

/* The action context of a turn by employee id (0: nobody linked), answers emptied. */
static struct kb_action_ctx *as(struct world *w, int64_t id)
{
    int found = 0;
    memset(&w->actor, 0, sizeof w->actor);
    if (id)
        kb_person_by_id(w->st, id, &w->actor, &found);
    cJSON_Delete(w->answers);
    w->answers = cJSON_CreateObject();
    w->ev.chat_id = 2000000000 + id;
    w->ev.user_id = w->ev.chat_id;
    w->ctx = (struct kb_action_ctx){.st = w->st,
                                    .ev = &w->ev,
                                    .lang = "id",
                                    .loc = w->loc,
                                    .policy = w->policy,
                                    .answers = w->answers,
                                    .actor = found ? &w->actor : NULL,
                                    .now = NOW,
                                    .notify = record_notify};
    snprintf(w->ctx.today, sizeof w->ctx.today, "%s", TODAY);
    w->nnotes = 0;
    return &w->ctx;
}

static void answer(struct world *w, const char *name, const char *value)
{
    cJSON_DeleteItemFromObjectCaseSensitive(w->answers, name);
    cJSON_AddStringToObject(w->answers, name, value);
}

/* Runs an action; returns its result word (in a static buffer) or "(failed)". */
static const char *run(struct world *w, const char *action, struct kb_action_out *out)
{
    static char word[KB_ACTION_RESULT_MAX];
    memset(out, 0, sizeof *out);
    int rc = kb_action_run(action, &w->ctx, out);
    snprintf(word, sizeof word, "%s", rc == 0 ? out->result : "(failed)");
    return word;
}

static const char *var(const struct kb_action_out *out, const char *name)
{
    for (size_t i = 0; i < out->nvars; i++)
        if (!strcmp(out->vars[i].name, name))
            return out->vars[i].value;
    return NULL;
}

static const struct note *note_to(struct world *w, int64_t id, const char *key)
{
    for (size_t i = 0; i < w->nnotes; i++)
        if (w->notes[i].to == id && (!key || !strcmp(w->notes[i].key, key)))
            return &w->notes[i];
    return NULL;
}

static int64_t count_where(struct world *w, const char *sql)
{
    return query_i64(w, sql);
}

/* ---- matching ------------------------------------------------------------------------------ */

static int has_candidate(const struct kb_mentor_candidate *c, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (c[i].id == id)
            return 1;
    return 0;
}

static void test_areas_are_the_distinct_areas_of_other_mentors(void)
{
    struct world w;
    world_open(&w, "areas");
    char areas[KB_MENTOR_LIST_MAX][KB_MENTOR_AREA_MAX];
    int n = 0;
    CHECK(kb_mentor_areas(w.st, DEWI, areas, KB_MENTOR_LIST_MAX, &n) == KB_OK);
    CHECK(n == 6); /* "analisis data" and "kebijakan publik" are offered twice: listed once */
    CHECK_STR(areas[0], "analisis data");
    CHECK_STR(areas[5], "statistik");
    /* Ratna is the only mentor of "statistik": she is not offered her own area. */
    CHECK(kb_mentor_areas(w.st, RATNA, areas, KB_MENTOR_LIST_MAX, &n) == KB_OK);
    int statistik = 0;
    for (int i = 0; i < n; i++)
        statistik |= !strcmp(areas[i], "statistik");
    CHECK(n == 5 && !statistik);
    /* The cap holds. */
    CHECK(kb_mentor_areas(w.st, DEWI, areas, 2, &n) == KB_OK && n == 2);

    /* As a list action: the same areas, as buttons whose value is the area. */
    struct kb_action_out out;
    as(&w, DEWI);
    CHECK_STR(run(&w, "mentor_areas", &out), "some");
    CHECK(out.nitems == 6 && !strcmp(out.items[1].value, "kebijakan publik"));
    kb_action_out_free(&out);
    world_close(&w);
}

static void test_matching_by_area_free_place_never_self_nor_an_existing_pair(void)
{
    struct world w;
    world_open(&w, "match");
    struct kb_mentor_candidate c[8];
    int n = 0, total, paired, free_places;

    /* Bambang (capacity 1, mentoring Siti) is full: for Dewi only Ratna is free. */
    CHECK(kb_mentor_match(w.st, "kebijakan publik", DEWI, c, 8, &n) == KB_OK);
    CHECK(n == 1 && c[0].id == RATNA);
    CHECK_STR(c[0].name, "Ratna Sari");
    CHECK_STR(c[0].position, "Kepala Bidang Statistik");
    CHECK_STR(c[0].unit, "Dinas Komunikasi dan Informatika");
    CHECK(c[0].capacity == 2 && c[0].active == 1);
    /* Areas match whatever the case. */
    CHECK(kb_mentor_match(w.st, "Kebijakan Publik", DEWI, c, 8, &n) == KB_OK && n == 1);
    CHECK(kb_mentor_area_counts(w.st, "kebijakan publik", DEWI, &total, &paired, &free_places) ==
              KB_OK &&
          total == 2 && paired == 0 && free_places == 1);

    /* Nobody free in "penulisan naskah dinas": Bambang is its one mentor. */
    CHECK(kb_mentor_match(w.st, "penulisan naskah dinas", DEWI, c, 8, &n) == KB_OK && n == 0);
    CHECK(kb_mentor_full(w.st, "penulisan naskah dinas", DEWI, c, 8, &n) == KB_OK && n == 1 &&
          c[0].id == BAMBANG);

    /* Never the mentee themself: Ratna looking in her own area sees only full Bambang. */
    CHECK(kb_mentor_match(w.st, "kebijakan publik", RATNA, c, 8, &n) == KB_OK && n == 0);
    CHECK(kb_mentor_area_counts(w.st, "kebijakan publik", RATNA, &total, &paired, &free_places) ==
              KB_OK &&
          total == 1 && free_places == 0);

    /* Never someone already their mentor: Fajar is Ratna's mentee in "analisis data". */
    CHECK(kb_mentor_match(w.st, "analisis data", FAJAR, c, 8, &n) == KB_OK);
    CHECK(n == 1 && c[0].id == HENDRA && !has_candidate(c, n, RATNA));
    CHECK(kb_mentor_area_counts(w.st, "analisis data", FAJAR, &total, &paired, &free_places) ==
              KB_OK &&
          total == 2 && paired == 1 && free_places == 1);
    /* ... nor one they already asked (a request still waiting). */
    exec_sql(&w, "INSERT INTO mentor_requests(mentee_id, mentor_id, kind, area, topic, status, "
                 "created_at) VALUES(4, 2, 'mentoring', 'analisis data', 'x', 'diajukan', 0)");
    CHECK(kb_mentor_match(w.st, "analisis data", DEWI, c, 8, &n) == KB_OK);
    CHECK(n == 1 && c[0].id == RATNA);
    /* A declined request binds nobody. */
    exec_sql(&w, "UPDATE mentor_requests SET status = 'ditolak' WHERE mentee_id = 4");
    CHECK(kb_mentor_match(w.st, "analisis data", DEWI, c, 8, &n) == KB_OK && n == 2);
    /* An unknown area has nobody. */
    CHECK(kb_mentor_match(w.st, "astronomi", DEWI, c, 8, &n) == KB_OK && n == 0);

    /* The actions say the same in words: "full_one" names Bambang. */
    struct kb_action_out out;
    as(&w, DEWI);
    answer(&w, "area", "penulisan naskah dinas");
    CHECK_STR(run(&w, "mentor_match", &out), "full_one");
    CHECK(var(&out, "match_text") && strstr(var(&out, "match_text"), "Bapak Bambang Wijaya"));
    kb_action_out_free(&out);
    CHECK_STR(run(&w, "mentor_candidates", &out), "none");
    CHECK(out.nitems == 1 && !strcmp(out.items[0].value, "coaching"));
    kb_action_out_free(&out);
    answer(&w, "area", "kebijakan publik");
    CHECK_STR(run(&w, "mentor_candidates", &out), "some");
    CHECK(out.nitems == 1 && !strcmp(out.items[0].value, "3"));
    CHECK(strstr(out.items[0].label, "Ratna Sari") &&
          strstr(out.items[0].label, "Kepala Bidang Statistik"));
    kb_action_out_free(&out);
    world_close(&w);
}

static void test_capacity_boundary(void)
{
    struct world w;
    world_open(&w, "capacity");
    struct kb_mentor_candidate c[8];
    int n = 0;
    /* Ratna: capacity 2, one active pair (Fajar): one place left. */
    CHECK(kb_mentor_match(w.st, "statistik", DEWI, c, 8, &n) == KB_OK && n == 1);
    /* A request waiting takes no place; coaching takes no place. */
    exec_sql(&w, "INSERT INTO mentor_requests(mentee_id, mentor_id, kind, area, topic, status, "
                 "created_at) VALUES(5, 3, 'mentoring', 'statistik', 'x', 'diajukan', 0),"
                 "(6, 3, 'coaching', 'laporan', 'x', 'diterima', 0)");
    CHECK(kb_mentor_match(w.st, "statistik", DEWI, c, 8, &n) == KB_OK && n == 1);
    CHECK(c[0].active == 1);
    /* The second active mentoring pair fills her: active == capacity is full. */
    exec_sql(&w, "UPDATE mentor_requests SET status = 'berjalan' WHERE mentee_id = 5");
    CHECK(kb_mentor_match(w.st, "statistik", DEWI, c, 8, &n) == KB_OK && n == 0);
    CHECK(kb_mentor_full(w.st, "statistik", DEWI, c, 8, &n) == KB_OK && n == 1 &&
          c[0].active == 2 && c[0].capacity == 2);
    /* A finished pair frees the place again. */
    exec_sql(&w, "UPDATE mentor_requests SET status = 'selesai' WHERE mentee_id = 5");
    CHECK(kb_mentor_match(w.st, "statistik", DEWI, c, 8, &n) == KB_OK && n == 1);
    /* Capacity 0: never proposed. */
    exec_sql(&w, "UPDATE mentors SET capacity = 0 WHERE employee_id = 3");
    CHECK(kb_mentor_match(w.st, "statistik", DEWI, c, 8, &n) == KB_OK && n == 0);
    world_close(&w);
}

static void test_areas_follow_edits_of_mentors(void)
{
    struct world w;
    world_open(&w, "triggers");
    struct kb_mentor_candidate c[8];
    int n = 0;
    exec_sql(&w, "UPDATE mentors SET areas = ' Statistik |kearsipan||statistik' "
                 "WHERE employee_id = 3");
    CHECK(count_where(&w, "SELECT count(*) FROM mentor_areas WHERE employee_id = 3") == 2);
    CHECK(kb_mentor_match(w.st, "kearsipan", DEWI, c, 8, &n) == KB_OK && n == 1);
    CHECK(kb_mentor_match(w.st, "kebijakan publik", DEWI, c, 8, &n) == KB_OK && n == 0);
    exec_sql(&w, "INSERT INTO mentors(employee_id, areas, capacity) "
                 "VALUES(11, 'manajemen ASN|kearsipan', 2)");
    CHECK(kb_mentor_match(w.st, "kearsipan", DEWI, c, 8, &n) == KB_OK && n == 2);
    CHECK(kb_mentor_match(w.st, "manajemen asn", DEWI, c, 8, &n) == KB_OK && n == 1);
    exec_sql(&w, "DELETE FROM mentors WHERE employee_id = 11");
    CHECK(count_where(&w, "SELECT count(*) FROM mentor_areas WHERE employee_id = 11") == 0);
    /* An area too long for a list button is refused at import, not cut. */
    char *err = NULL;
    CHECK(sqlite3_exec(w.st->db,
                       "UPDATE mentors SET areas = 'pengembangan kompetensi aparatur sipil negara "
                       "di lingkungan pemerintah daerah' WHERE employee_id = 7",
                       NULL, NULL, &err) != SQLITE_OK);
    sqlite3_free(err);
    world_close(&w);
}

/* ---- requests and decisions ---------------------------------------------------------------- */

/* Dewi asks Ratna for mentoring in "kebijakan publik"; returns the request id. */
static int64_t dewi_asks_ratna(struct world *w)
{
    struct kb_action_out out;
    as(w, DEWI);
    answer(w, "kind", "mentoring");
    answer(w, "area", "kebijakan publik");
    answer(w, "mentor", "3");
    answer(w, "topic", "Menyusun naskah kebijakan layanan data terbuka");
    CHECK_STR(run(w, "mentor_submit", &out), "sent_mentoring");
    CHECK(var(&out, "mentor") && !strcmp(var(&out, "mentor"), "Ibu Ratna Sari"));
    CHECK(var(&out, "supervisor_note") && strstr(var(&out, "supervisor_note"), "Hendra Pratama"));
    kb_action_out_free(&out);
    return query_i64(w, "SELECT max(id) FROM mentor_requests");
}

static int decide(struct world *w, int64_t by, int64_t request, int approved, const char *reason)
{
    as(w, by);
    return kb_approval_mentor.decided(&w->ctx, request, DEWI, approved, reason);
}

static void test_a_request_goes_to_the_mentor_and_the_supervisor_hears_of_it(void)
{
    struct world w;
    world_open(&w, "request");
    int64_t id = dewi_asks_ratna(&w);
    char status[32];
    query_text(&w,
               "SELECT status || '/' || kind || '/' || mentor_id FROM mentor_requests "
               "ORDER BY id DESC LIMIT 1",
               status, sizeof status);
    CHECK_STR(status, "diajukan/mentoring/3");
    CHECK(count_where(&w, "SELECT count(*) FROM approvals WHERE kind = 'mentor' AND "
                          "approver_id = 3 AND requester_id = 4 AND status = 'menunggu'") == 1);
    const struct note *card = note_to(&w, RATNA, "approval_card_mentor");
    CHECK(card && card->nbuttons == 3);
    CHECK(card && strstr(card->text, "kebijakan publik") && strstr(card->text, "Setujui") &&
          strstr(card->text, "mentee"));
    const struct note *info = note_to(&w, HENDRA, "mentor_supervisor_info");
    CHECK(info && info->nbuttons == 0 && strstr(info->text, "Ibu Dewi Lestari") &&
          strstr(info->text, "Ibu Ratna Sari"));
    CHECK(w.nnotes == 2);

    /* The same mentor cannot be asked twice while the request waits. */
    struct kb_action_out out;
    as(&w, DEWI);
    answer(&w, "kind", "mentoring");
    answer(&w, "area", "kebijakan publik");
    answer(&w, "mentor", "3");
    answer(&w, "topic", "Topik yang sama sekali lagi");
    CHECK_STR(run(&w, "mentor_submit", &out), "open");
    kb_action_out_free(&out);
    /* A mentor who is full, not in the area, or the actor: refused when sending. */
    answer(&w, "area", "penulisan naskah dinas");
    answer(&w, "mentor", "7");
    CHECK_STR(run(&w, "mentor_submit", &out), "full");
    kb_action_out_free(&out);
    answer(&w, "area", "statistik");
    answer(&w, "mentor", "7");
    CHECK_STR(run(&w, "mentor_submit", &out), "gone");
    kb_action_out_free(&out);
    answer(&w, "mentor", "4");
    CHECK_STR(run(&w, "mentor_submit", &out), "gone");
    kb_action_out_free(&out);
    CHECK(count_where(&w, "SELECT count(*) FROM mentor_requests") == 3);

    /* The card's one line, in the approver's words. */
    char what[512];
    as(&w, RATNA);
    CHECK(kb_approval_mentor.describe(&w.ctx, id, what, sizeof what) == 0);
    CHECK_STR(what, "Mentoring bidang kebijakan publik — Menyusun naskah kebijakan layanan data "
                    "terbuka");
    /* And the detail: the requester's position and the mentor's load. */
    char detail[1024];
    CHECK(kb_approval_mentor.detail(&w.ctx, id, detail, sizeof detail) == 0);
    CHECK(strstr(detail, "Pranata Komputer Ahli Pertama") && strstr(detail, "1 dari kapasitas 2"));
    exec_sql(&w, "UPDATE mentors SET capacity = 1 WHERE employee_id = 3");
    CHECK(kb_approval_mentor.detail(&w.ctx, id, detail, sizeof detail) == 0);
    CHECK(strstr(detail, "1 dari kapasitas 1") && strstr(detail, "tidak ada tempat"));
    world_close(&w);
}

static void test_accepted_declined_and_accepted_when_full(void)
{
    struct world w;
    world_open(&w, "decide");
    int64_t id = dewi_asks_ratna(&w);
    /* Only the recorded mentor decides, and only while it waits. */
    CHECK(decide(&w, BAMBANG, id, 1, NULL) != 0);
    CHECK(decide(&w, RATNA, id, 1, NULL) == 0);
    char row[64];
    query_text(&w, "SELECT status || '/' || accepted_on FROM mentor_requests ORDER BY id DESC", row,
               sizeof row);
    CHECK_STR(row, "diterima/" TODAY);
    const struct note *told = note_to(&w, DEWI, "mentor_accepted_mentee");
    CHECK(told && strstr(told->text, "Ibu Ratna Sari") && strstr(told->text, "/sesimentor"));
    CHECK(decide(&w, RATNA, id, 1, NULL) != 0); /* a second time: no longer waiting */
    /* Ratna is now full (Fajar and Dewi): Dewi's pair is an active one. */
    struct kb_mentor_candidate c[4];
    int n = 0;
    CHECK(kb_mentor_match(w.st, "statistik", RUDI, c, 4, &n) == KB_OK && n == 0);

    /* Declined, with the reason, and the mentee offered another mentor. */
    exec_sql(&w, "UPDATE mentor_requests SET status = 'diajukan', accepted_on = NULL "
                 "WHERE id = (SELECT max(id) FROM mentor_requests)");
    CHECK(decide(&w, RATNA, id, 0, "Jadwal akhir tahun sangat padat") == 0);
    query_text(&w, "SELECT status || '/' || reason FROM mentor_requests ORDER BY id DESC", row,
               sizeof row);
    CHECK_STR(row, "ditolak/Jadwal akhir tahun sangat padat");
    told = note_to(&w, DEWI, "mentor_declined_mentee");
    CHECK(told && told->nbuttons == 1 && strstr(told->text, "Jadwal akhir tahun sangat padat"));

    /* Accepted after the mentor became full meanwhile: not started, both told. */
    exec_sql(&w, "UPDATE mentor_requests SET status = 'diajukan', reason = NULL "
                 "WHERE id = (SELECT max(id) FROM mentor_requests);"
                 "INSERT INTO mentor_requests(mentee_id, mentor_id, kind, area, topic, status, "
                 "created_at) VALUES(8, 3, 'mentoring', 'statistik', 'x', 'diterima', 0)");
    CHECK(decide(&w, RATNA, id, 1, NULL) == 0);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT status FROM mentor_requests WHERE id = %lld", (long long)id);
    query_text(&w, sql, row, sizeof row);
    CHECK_STR(row, "dibatalkan");
    CHECK(note_to(&w, DEWI, "mentor_full_mentee") &&
          note_to(&w, DEWI, "mentor_full_mentee")->nbuttons == 1);
    const struct note *to_mentor = note_to(&w, RATNA, "mentor_full_mentor");
    CHECK(to_mentor && strstr(to_mentor->text, "2 mentee") && strstr(to_mentor->text, "BKPSDM"));
    world_close(&w);
}

static void test_coaching_goes_to_the_supervisor_and_takes_no_place(void)
{
    struct world w;
    world_open(&w, "coaching");
    struct kb_action_out out;
    as(&w, DEWI);
    CHECK_STR(run(&w, "coach_supervisor", &out), "ok");
    CHECK(var(&out, "coach") && !strcmp(var(&out, "coach"), "Bapak Hendra Pratama"));
    kb_action_out_free(&out);
    answer(&w, "kind", "coaching");
    answer(&w, "area", "Penyusunan laporan kinerja");
    answer(&w, "mentor", "7"); /* ignored for coaching: the supervisor is the coach */
    answer(&w, "topic", "Laporan triwulan tepat waktu");
    CHECK_STR(run(&w, "mentor_submit", &out), "sent_coaching");
    kb_action_out_free(&out);
    CHECK(count_where(&w, "SELECT count(*) FROM mentor_requests WHERE kind = 'coaching' AND "
                          "mentor_id = 2 AND mentee_id = 4 AND status = 'diajukan'") == 1);
    CHECK(note_to(&w, HENDRA, "approval_card_mentor") != NULL);
    CHECK(note_to(&w, HENDRA, "mentor_supervisor_info") == NULL); /* he is the one asked */
    int64_t id = query_i64(&w, "SELECT max(id) FROM mentor_requests");
    as(&w, DEWI);
    CHECK_STR(run(&w, "coach_supervisor", &out), "open");
    kb_action_out_free(&out);
    CHECK(decide(&w, HENDRA, id, 1, NULL) == 0);
    CHECK(note_to(&w, DEWI, "coach_accepted_mentee") != NULL);
    /* Hendra still has both mentoring places. */
    struct kb_mentor_candidate c[4];
    int n = 0;
    CHECK(kb_mentor_match(w.st, "manajemen proyek", RUDI, c, 4, &n) == KB_OK && n == 1 &&
          c[0].active == 0);
    /* Without a supervisor recorded there is nobody to ask. */
    as(&w, LINA);
    CHECK_STR(run(&w, "coach_supervisor", &out), "none");
    kb_action_out_free(&out);
    world_close(&w);
}

static void test_a_mentor_without_an_account_gets_help_from_hr(void)
{
    struct world w;
    world_open(&w, "unlinked");
    exec_sql(&w, "DELETE FROM links WHERE employee_id = 3");
    struct kb_action_out out;
    as(&w, DEWI);
    answer(&w, "kind", "mentoring");
    answer(&w, "area", "kebijakan publik");
    answer(&w, "mentor", "3");
    answer(&w, "topic", "Menyusun naskah kebijakan layanan data terbuka");
    CHECK_STR(run(&w, "mentor_submit", &out), "sent_unlinked");
    kb_action_out_free(&out);
    const struct note *hr = note_to(&w, LINA, "mentor_hr_help");
    CHECK(hr && strstr(hr->text, "Ratna Sari") && strstr(hr->text, "197512082000032002"));
    /* Nobody at HR to ask either: the requester is told to ask BKPSDM. */
    exec_sql(&w, "UPDATE units SET hr_employee_id = NULL; DELETE FROM mentor_requests "
                 "WHERE mentee_id = 4");
    as(&w, DEWI);
    answer(&w, "kind", "mentoring");
    answer(&w, "area", "kebijakan publik");
    answer(&w, "mentor", "3");
    answer(&w, "topic", "Menyusun naskah kebijakan layanan data terbuka");
    CHECK_STR(run(&w, "mentor_submit", &out), "sent_nohr");
    kb_action_out_free(&out);
    world_close(&w);
}

/* ---- sessions ------------------------------------------------------------------------------- */

static const char *log_session(struct world *w, int64_t by, int64_t pair, const char *held_on,
                               const char *minutes, struct kb_action_out *out)
{
    as(w, by);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)pair);
    answer(w, "pair", id);
    answer(w, "session_topic", "Menyusun indikator kinerja");
    answer(w, "minutes", minutes);
    answer(w, "held_on", held_on);
    return run(w, "sesi_log", out);
}

static void test_sessions_add_up_to_jp_in_the_mentees_plan(void)
{
    struct world w;
    world_open(&w, "jp");
    struct kb_action_out out;
    /* Pair 2: Fajar (mentee) and Ratna; it already has one 90-minute session this year. Fajar
     * has no plan for 2026: it is made, as draf. */
    CHECK_STR(log_session(&w, FAJAR, 2, "2026-11-10", "45", &out), "ok");
    CHECK(var(&out, "rpi_note") && strstr(var(&out, "rpi_note"), "3 JP"));
    CHECK(var(&out, "count") && !strcmp(var(&out, "count"), "2"));
    CHECK(var(&out, "total_minutes") && !strcmp(var(&out, "total_minutes"), "135"));
    CHECK(var(&out, "sessions") && strstr(var(&out, "sessions"), "10 November 2026"));
    kb_action_out_free(&out);
    char row[200];
    query_text(&w,
               "SELECT p.status || '/' || a.form || '/' || a.jp_planned || '/' || a.source || "
               "'/' || a.source_id || '/' || a.target_date FROM rpi_activities a "
               "JOIN rpi_plans p ON p.id = a.plan_id WHERE p.employee_id = 9 AND p.year = 2026",
               row, sizeof row);
    CHECK_STR(row, "draf/mentoring/3/mentoring/2/2026-11-10");
    /* The pair keeps one activity per year: a third session updates it (90 + 45 + 30 = 165
     * minutes: still 3 JP, rounded down). */
    CHECK_STR(log_session(&w, RATNA, 2, "2026-11-12", "30", &out), "ok"); /* by the mentor */
    CHECK(var(&out, "rpi_note") && strstr(var(&out, "rpi_note"), "Bapak Fajar Nugroho"));
    kb_action_out_free(&out);
    CHECK(count_where(&w, "SELECT count(*) FROM rpi_activities WHERE source = 'mentoring' "
                          "AND source_id = 2") == 1);
    CHECK(count_where(&w, "SELECT jp_planned FROM rpi_activities WHERE source_id = 2") == 3);
    query_text(&w, "SELECT target_date FROM rpi_activities WHERE source_id = 2", row, sizeof row);
    CHECK_STR(row, "2026-11-12");
    CHECK(count_where(&w, "SELECT count(*) FROM mentor_requests WHERE id = 2 AND "
                          "status = 'berjalan'") == 1);
    /* A session of another year goes to that year's plan. */
    CHECK_STR(log_session(&w, FAJAR, 2, "2025-12-30", "60", &out), "ok");
    kb_action_out_free(&out);
    CHECK(count_where(&w, "SELECT a.jp_planned FROM rpi_activities a JOIN rpi_plans p ON "
                          "p.id = a.plan_id WHERE p.employee_id = 9 AND p.year = 2025") == 1);
    /* Dewi's plan of 2026 exists (disetujui): the activity joins it, no second plan. */
    int64_t id = dewi_asks_ratna(&w);
    exec_sql(&w, "UPDATE mentors SET capacity = 3 WHERE employee_id = 3");
    CHECK(decide(&w, RATNA, id, 1, NULL) == 0);
    CHECK_STR(log_session(&w, DEWI, id, TODAY, "90", &out), "ok");
    kb_action_out_free(&out);
    CHECK(count_where(&w, "SELECT count(*) FROM rpi_plans WHERE employee_id = 4") == 1);
    CHECK(count_where(&w, "SELECT a.jp_planned FROM rpi_activities a WHERE a.plan_id = 1 AND "
                          "a.source = 'mentoring'") == 2);
    world_close(&w);
}

static void test_only_the_pair_logs_its_sessions(void)
{
    struct world w;
    world_open(&w, "access");
    struct kb_action_out out;
    int64_t before = count_where(&w, "SELECT count(*) FROM mentor_sessions");
    /* Rudi is neither mentee nor mentor of pair 2. */
    CHECK_STR(log_session(&w, RUDI, 2, "2026-11-10", "60", &out), "denied");
    kb_action_out_free(&out);
    /* Not linked at all. */
    CHECK_STR(log_session(&w, 0, 2, "2026-11-10", "60", &out), "denied");
    kb_action_out_free(&out);
    /* The pair's own list does not show it to Rudi either. */
    as(&w, RUDI);
    CHECK_STR(run(&w, "mentor_pairs", &out), "none");
    CHECK(out.nitems == 0);
    kb_action_out_free(&out);
    CHECK_STR(run(&w, "sesi_pair_open", &out), "gone"); /* no pair chosen */
    kb_action_out_free(&out);
    answer(&w, "pair", "2");
    CHECK_STR(run(&w, "sesi_pair_open", &out), "denied");
    CHECK(var(&out, "partner") && !*var(&out, "partner")); /* nothing of it shown */
    kb_action_out_free(&out);
    /* Ratna sees the pair as mentor, Fajar as mentee. */
    as(&w, RATNA);
    CHECK_STR(run(&w, "mentor_pairs", &out), "some");
    CHECK(out.nitems == 1 && strstr(out.items[0].label, "Fajar Nugroho"));
    kb_action_out_free(&out);
    /* A date in the future, or before the pair began, is refused. */
    exec_sql(&w, "UPDATE mentor_requests SET accepted_on = '2026-11-01' WHERE id = 2");
    CHECK_STR(log_session(&w, FAJAR, 2, "2026-11-19", "60", &out), "future");
    kb_action_out_free(&out);
    CHECK_STR(log_session(&w, FAJAR, 2, "2026-10-31", "60", &out), "early");
    CHECK(var(&out, "since") && !strcmp(var(&out, "since"), "1 November 2026"));
    kb_action_out_free(&out);
    /* Minutes outside 15..480 never reach the table. */
    CHECK_STR(log_session(&w, FAJAR, 2, "2026-11-10", "481", &out), "gone");
    kb_action_out_free(&out);
    /* A finished pair takes no more sessions. */
    exec_sql(&w, "UPDATE mentor_requests SET status = 'selesai' WHERE id = 2");
    CHECK_STR(log_session(&w, FAJAR, 2, "2026-11-10", "60", &out), "gone");
    kb_action_out_free(&out);
    CHECK(count_where(&w, "SELECT count(*) FROM mentor_sessions") == before);

    /* The rule itself. */
    struct kb_person p = {.id = RUDI};
    CHECK(kb_access_mentor_pair(&p, FAJAR, RATNA, "berjalan") == KB_ACCESS_DENIED);
    CHECK(kb_access_mentor_pair(NULL, FAJAR, RATNA, "berjalan") == KB_ACCESS_DENIED);
    p.id = FAJAR;
    CHECK(kb_access_mentor_pair(&p, FAJAR, RATNA, "diterima") == KB_ACCESS_OK);
    CHECK(kb_access_mentor_pair(&p, FAJAR, RATNA, "diajukan") == KB_ACCESS_GONE);
    p.id = RATNA;
    CHECK(kb_access_mentor_pair(&p, FAJAR, RATNA, "berjalan") == KB_ACCESS_OK);
    CHECK(kb_access_mentor_decision(&p, RATNA, "diajukan") == KB_ACCESS_OK);
    CHECK(kb_access_mentor_decision(&p, RATNA, "diterima") == KB_ACCESS_GONE);
    p.id = BAMBANG;
    CHECK(kb_access_mentor_decision(&p, RATNA, "diajukan") == KB_ACCESS_DENIED);
    world_close(&w);
}

int main(void)
{
    kb_log_set_level(KB_LOG_ERROR); /* the refusals the tests provoke log errors: expected */
    RUN(test_areas_are_the_distinct_areas_of_other_mentors);
    RUN(test_matching_by_area_free_place_never_self_nor_an_existing_pair);
    RUN(test_capacity_boundary);
    RUN(test_areas_follow_edits_of_mentors);
    RUN(test_a_request_goes_to_the_mentor_and_the_supervisor_hears_of_it);
    RUN(test_accepted_declined_and_accepted_when_full);
    RUN(test_coaching_goes_to_the_supervisor_and_takes_no_place);
    RUN(test_a_mentor_without_an_account_gets_help_from_hr);
    RUN(test_sessions_add_up_to_jp_in_the_mentees_plan);
    RUN(test_only_the_pair_logs_its_sessions);
    return CHECK_SUMMARY();
}
