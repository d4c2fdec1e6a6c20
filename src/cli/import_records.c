/* import_records: `karirbot import trainings|mentors|promotions FILE` — the trainings HR opens
 * (matched by code), the mentors and their areas (by NIP) and the stages the promotion files
 * reached in SIASN (by NIP, period and stage); the RPI is in import_rpi.c. Each row is compared
 * with what is stored and written only when it differs. The employees must be imported first:
 * a NIP the database does not know is an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_internal.h"
#include "karirbot/import_store.h"
#include "karirbot/locale.h"
#include "karirbot/mentoring.h"
#include "karirbot/policy.h"
#include "karirbot/promotions.h"
#include "karirbot/reminders_store.h"
#include "karirbot/store.h"
#include "karirbot/tell.h"
#include "karirbot/training_cmd.h"
#include "karirbot/trainings.h"

int imp_employee_of(struct imp *im, int line, const char *nip, struct kb_imp_employee_row *r)
{
    int found = 0;
    int rc = kb_imp_employee_get(im->st, nip, r, &found);
    if (rc != KB_OK)
        return rc;
    if (!found) {
        r->id = 0;
        imp_error(im, line, "nip", "no employee with NIP %s (import the employees first)", nip);
    } else if (!r->active) {
        r->id = 0;
        imp_error(im, line, "nip", "%s (%s) no longer has access (inactive)", nip, r->name);
    }
    return KB_OK;
}

void imp_count(struct imp *im, char state)
{
    if (state == 'n')
        im->n_new++;
    else if (state == 'c')
        im->n_changed++;
    else if (state == 'u')
        im->n_unchanged++;
}

/* ---- trainings ------------------------------------------------------------------------------ */

enum {
    T_KODE,
    T_JUDUL,
    T_PENYELENGGARA,
    T_BENTUK,
    T_MULAI,
    T_SELESAI,
    T_JP,
    T_KUOTA,
    T_BATAS,
    T_GOLONGAN,
    T_BIAYA,
    T_N
};
static const struct imp_col training_cols[T_N] = {
    {"kode", 1},
    {"judul", 1},
    {"penyelenggara", 1},
    {"bentuk", 1},
    {"mulai", 1},
    {"selesai", 1},
    {"jp", 1},
    {"kuota", 1},
    {"batas_daftar", 1},
    {"golongan_minimal", 1},
    {"biaya", 1},
};

#define JP_MAX    1000
#define QUOTA_MAX 100000

struct trow {
    int line, bad;
    struct kb_imp_training t;
    char start[11], end[11], deadline[11], grade[8];
};
struct tstate {
    struct trow *rows;
    size_t n;
    struct imp_map by_code;
    struct kb_locale *loc; /* loaded when a raised quota seats the waiting list */
    int seated, told;
};

static void t_done(void *state)
{
    struct tstate *s = state;
    if (!s)
        return;
    free(s->rows);
    imp_map_free(&s->by_code);
    kb_locale_free(s->loc);
    free(s);
}

/* A raised quota gives the new seats to the waiting list at once, oldest first, and tells
 * each new holder (in the import's transaction: a dry run or a refused file tells no one). */
static int t_seat_waiting(struct imp *im, struct tstate *s, int64_t training_id)
{
    if (!s->loc && !(s->loc = kb_tell_locale(im->cfg)))
        return KB_ERR;
    int seated = 0, told = 0;
    if (kb_training_seat_waiting(im->st, s->loc, training_id, &seated, &told) != 0)
        return KB_ERR;
    s->seated += seated;
    s->told += told;
    return KB_OK;
}

static int t_int(struct imp *im, int line, const char *col, const char *s, long max, int *out)
{
    long v;
    char shown[IMP_SHOW];
    if (kb_import_int(s, 0, max, &v) != 0) {
        imp_error(im, line, col, "%s is not a whole number from 0 to %ld",
                  *s ? imp_show(s, shown) : "empty", max);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static void t_row(struct imp *im, const struct kb_csv_row *r, struct trow *w)
{
    char shown[IMP_SHOW];
    int bad = 0;
    w->line = r->line;
    struct kb_imp_training *t = &w->t;
    t->code = imp_get(im, r, T_KODE);
    t->title = imp_get(im, r, T_JUDUL);
    t->provider = imp_get(im, r, T_PENYELENGGARA);
    t->form = imp_get(im, r, T_BENTUK);
    if (!*t->code) {
        bad = 1;
        imp_error(im, r->line, "kode", "empty: every training needs a code");
    }
    if (!*t->title) {
        bad = 1;
        imp_error(im, r->line, "judul", "empty: every training needs a title");
    }
    bad |= imp_text(im, r->line, "kode", t->code, 31) != 0;
    bad |= imp_text(im, r->line, "judul", t->title, KB_TRAINING_TITLE_MAX - 1) != 0;
    bad |= imp_text(im, r->line, "penyelenggara", t->provider, 127) != 0;
    bad |= imp_text(im, r->line, "bentuk", t->form, 31) != 0;
    bad |= imp_date(im, r->line, "mulai", imp_get(im, r, T_MULAI), 0, w->start) != 0;
    bad |= imp_date(im, r->line, "selesai", imp_get(im, r, T_SELESAI), 0, w->end) != 0;
    bad |= imp_date(im, r->line, "batas_daftar", imp_get(im, r, T_BATAS), 0, w->deadline) != 0;
    if (w->start[0] && w->end[0] && strcmp(w->end, w->start) < 0) {
        bad = 1;
        imp_error(im, r->line, "selesai", "%s is before mulai (%s)", w->end, w->start);
    }
    if (w->deadline[0] && w->end[0] && strcmp(w->deadline, w->end) > 0) {
        bad = 1;
        imp_error(im, r->line, "batas_daftar", "%s is after the training ends (%s)", w->deadline,
                  w->end);
    }
    bad |= t_int(im, r->line, "jp", imp_get(im, r, T_JP), JP_MAX, &t->jp) != 0;
    bad |= t_int(im, r->line, "kuota", imp_get(im, r, T_KUOTA), QUOTA_MAX, &t->quota) != 0;
    const char *g = imp_get(im, r, T_GOLONGAN);
    if (*g && kb_import_grade(im->policy, 0, g, w->grade) != 0) {
        bad = 1;
        imp_error(im, r->line, "golongan_minimal", "unknown rank %s (a PNS rank such as III/a)",
                  imp_show(g, shown));
    }
    const char *c = imp_get(im, r, T_BIAYA);
    if (*c && kb_import_rupiah(c, &t->cost) != 0) {
        bad = 1;
        imp_error(im, r->line, "biaya", "%s is not an amount in rupiah (e.g. 1.500.000)",
                  imp_show(c, shown));
    }
    t->start_date = w->start;
    t->end_date = w->end;
    t->deadline = w->deadline;
    t->min_grade = w->grade;
    w->bad = bad;
}

static int t_check(struct imp *im, void **state)
{
    *state = NULL;
    if (imp_bind(im, training_cols, T_N) != 0)
        return KB_OK;
    struct tstate *s = calloc(1, sizeof *s);
    size_t n = im->csv.nrows;
    if (!s || !(s->rows = calloc(n ? n : 1, sizeof *s->rows)) ||
        imp_map_init(&s->by_code, n) != 0) {
        t_done(s);
        return KB_ERR;
    }
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        struct trow *w = &s->rows[i];
        w->line = im->csv.rows[i].line;
        if (im->row_bad[i]) {
            w->bad = 1;
            continue;
        }
        t_row(im, &im->csv.rows[i], w);
        size_t first;
        int rc = *w->t.code ? imp_map_put(&s->by_code, w->t.code, i, &first) : 0;
        if (rc < 0) {
            t_done(s);
            return KB_ERR;
        }
        if (rc == 1) {
            w->bad = 1;
            imp_error(im, w->line, "kode", "duplicate: code %s is on line %d too", w->t.code,
                      s->rows[first].line);
        }
        imp_progress(im, "checking", i + 1, n);
    }
    *state = s;
    return KB_OK;
}

static int t_apply(struct imp *im, void *state)
{
    struct tstate *s = state;
    static struct kb_imp_training_row old;
    for (size_t i = 0; i < s->n; i++) {
        struct trow *w = &s->rows[i];
        if (w->bad)
            continue;
        int found = 0;
        int rc = kb_imp_training_get(im->st, w->t.code, &old, &found);
        char st = !found ? 'n' : kb_imp_training_same(&old, &w->t) ? 'u' : 'c';
        if (rc == KB_OK && st != 'u')
            rc = kb_imp_training_put(im->st, &w->t);
        if (rc != KB_OK)
            return rc;
        if (found && w->t.quota < old.seats_held)
            imp_warning(im, w->line, "kuota",
                        "%d, but %d participants hold a seat already: nobody loses theirs",
                        w->t.quota, old.seats_held);
        if (found && w->t.quota > old.quota && (rc = t_seat_waiting(im, s, old.id)) != KB_OK)
            return rc;
        imp_count(im, st);
        imp_progress(im, "writing", i + 1, s->n);
    }
    if (s->seated)
        imp_note(im,
                 "%d seat%s given to the waiting list (%d told on Telegram, %d without a "
                 "linked account)",
                 s->seated, s->seated == 1 ? "" : "s", s->told, s->seated - s->told);
    return KB_OK;
}

const struct imp_kind imp_kind_trainings = {"trainings", "trainings", t_check, t_apply, t_done};

/* ---- mentors -------------------------------------------------------------------------------- */

enum { M_NIP, M_BIDANG, M_KAPASITAS, M_N };
static const struct imp_col mentor_cols[M_N] = {{"nip", 1}, {"bidang", 1}, {"kapasitas", 1}};

#define CAPACITY_MAX 50   /* the mentoring schema's CHECK */
#define AREAS_MAX    1024 /* bytes of a mentor's areas joined with '|' */

struct mrow {
    int line, bad;
    char nip[IMP_NIP_LEN + 1];
    char *areas; /* trimmed, without empty or repeated areas, joined with '|' */
    int capacity;
};
struct mstate {
    struct mrow *rows;
    size_t n;
    struct imp_map by_nip;
};

static void m_done(void *state)
{
    struct mstate *s = state;
    if (!s)
        return;
    for (size_t i = 0; s->rows && i < s->n; i++)
        free(s->rows[i].areas);
    free(s->rows);
    imp_map_free(&s->by_nip);
    free(s);
}

/* Splits bidang at '|' into w->areas. Returns 0, 1 when it is bad (reported), -1 out of
 * memory. */
static int m_areas(struct imp *im, int line, const char *s, struct mrow *w)
{
    char shown[IMP_SHOW];
    size_t len = strlen(s);
    if (!(w->areas = malloc(len + 1)))
        return -1;
    size_t k = 0;
    int n = 0, bad = 0;
    for (const char *p = s;;) {
        const char *end = strchr(p, '|');
        size_t a = end ? (size_t)(end - p) : strlen(p);
        while (a && (*p == ' ' || *p == '\t'))
            p++, a--;
        while (a && (p[a - 1] == ' ' || p[a - 1] == '\t'))
            a--;
        char area[KB_CSV_FIELD_MAX + 1];
        memcpy(area, p, a);
        area[a] = '\0';
        if (a >= KB_MENTOR_AREA_MAX) {
            imp_error(im, line, "bidang", "the area %s is %zu bytes long; at most %d",
                      imp_show(area, shown), a, KB_MENTOR_AREA_MAX - 1);
            bad = 1;
        } else if (a && imp_text(im, line, "bidang", area, KB_MENTOR_AREA_MAX - 1) != 0) {
            bad = 1;
        } else if (a) {
            /* The same area twice (in any case) is kept once, as matching ignores case. */
            int seen = 0;
            for (const char *q = w->areas; q < w->areas + k && !seen;) {
                const char *qe = memchr(q, '|', (size_t)(w->areas + k - q));
                size_t ql = qe ? (size_t)(qe - q) : (size_t)(w->areas + k - q);
                seen = ql == a && !strncasecmp(q, area, a);
                q += ql + 1;
            }
            if (!seen) {
                if (k)
                    w->areas[k++] = '|';
                memcpy(w->areas + k, area, a);
                k += a;
                n++;
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    w->areas[k] = '\0';
    if (!bad && n == 0) {
        imp_error(im, line, "bidang", "empty: a mentor needs at least one area");
        bad = 1;
    }
    if (!bad && k > AREAS_MAX) {
        imp_error(im, line, "bidang", "%zu bytes in all; at most %d", k, AREAS_MAX);
        bad = 1;
    }
    return bad;
}

static int m_check(struct imp *im, void **state)
{
    *state = NULL;
    if (imp_bind(im, mentor_cols, M_N) != 0)
        return KB_OK;
    struct mstate *s = calloc(1, sizeof *s);
    size_t n = im->csv.nrows;
    if (!s || !(s->rows = calloc(n ? n : 1, sizeof *s->rows)) || imp_map_init(&s->by_nip, n) != 0) {
        m_done(s);
        return KB_ERR;
    }
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        const struct kb_csv_row *r = &im->csv.rows[i];
        struct mrow *w = &s->rows[i];
        w->line = r->line;
        if (im->row_bad[i]) {
            w->bad = 1;
            continue;
        }
        /* Mentors may be PPPK: their NI PPPK is checked for its length. */
        if (imp_nip(im, r->line, "nip", imp_get(im, r, M_NIP), IMP_NIP_ANY, w->nip) != 0)
            w->bad = 1;
        int rc = m_areas(im, r->line, imp_get(im, r, M_BIDANG), w);
        if (rc < 0) {
            m_done(s);
            return KB_ERR;
        }
        w->bad |= rc;
        w->bad |= t_int(im, r->line, "kapasitas", imp_get(im, r, M_KAPASITAS), CAPACITY_MAX,
                        &w->capacity) != 0;
        size_t first;
        rc = w->nip[0] ? imp_map_put(&s->by_nip, w->nip, i, &first) : 0;
        if (rc < 0) {
            m_done(s);
            return KB_ERR;
        }
        if (rc == 1) {
            w->bad = 1;
            imp_error(im, w->line, "nip", "duplicate: NIP %s is on line %d too", w->nip,
                      s->rows[first].line);
        }
        imp_progress(im, "checking", i + 1, n);
    }
    *state = s;
    return KB_OK;
}

static int m_apply(struct imp *im, void *state)
{
    struct mstate *s = state;
    static struct kb_imp_employee_row e;
    static char areas[AREAS_MAX + 2];
    for (size_t i = 0; i < s->n; i++) {
        struct mrow *w = &s->rows[i];
        if (w->bad)
            continue;
        int rc = imp_employee_of(im, w->line, w->nip, &e);
        if (rc != KB_OK)
            return rc;
        if (!e.id)
            continue;
        int found = 0, capacity = 0, active = 0;
        rc = kb_imp_mentor_get(im->st, e.id, areas, sizeof areas, &capacity, &active, &found);
        char st = !found ? 'n' : !strcmp(areas, w->areas) && capacity == w->capacity ? 'u' : 'c';
        if (rc == KB_OK && st != 'u')
            rc = kb_imp_mentor_put(im->st, e.id, w->areas, w->capacity);
        if (rc != KB_OK)
            return rc;
        if (found && w->capacity < active)
            imp_warning(im, w->line, "kapasitas",
                        "%d, but %s mentors %d people now: no new mentee until some finish",
                        w->capacity, e.name, active);
        imp_count(im, st);
        imp_progress(im, "writing", i + 1, s->n);
    }
    return KB_OK;
}

const struct imp_kind imp_kind_mentors = {"mentors", "mentors", m_check, m_apply, m_done};

/* ---- promotions ----------------------------------------------------------------------------- */

enum { P_NIP, P_JENIS, P_GOLONGAN, P_PERIODE, P_TAHAP, P_TANGGAL, P_CATATAN, P_N };
static const struct imp_col promotion_cols[P_N] = {
    {"nip", 1},   {"jenis_kp", 1},      {"golongan_tujuan", 1}, {"periode", 1},
    {"tahap", 1}, {"tanggal_tahap", 1}, {"catatan", 1},
};

struct prow {
    int line, bad;
    char nip[IMP_NIP_LEN + 1];
    const char *kind;
    char grade[8], period[11], date[11];
    char stage[KB_PROMOTION_STAGE_LEN];
    const char *note;
    char file_key[32];  /* nip|period */
    char stage_key[64]; /* nip|period|stage */
    long first;         /* the first row of the same file (itself when it is the first) */
    int64_t promotion_id;
    char state;
};
struct pstate {
    struct prow *rows;
    size_t n;
    struct imp_map by_file, by_stage;
};

static void p_done(void *state)
{
    struct pstate *s = state;
    if (!s)
        return;
    free(s->rows);
    imp_map_free(&s->by_file);
    imp_map_free(&s->by_stage);
    free(s);
}

/* The kinds of kenaikan pangkat, as stored (at most 15 bytes: promotions.h). */
static const char *kp_kind(const char *s)
{
    static const struct {
        const char *key, *kind;
    } kinds[] = {
        {"reguler", "reguler"},
        {"pilihan", "pilihan"},
        {"pilihanjabatan", "pilihan"},
        {"struktural", "pilihan"},
        {"fungsional", "fungsional"},
        {"jabatanfungsional", "fungsional"},
        {"penyesuaianijazah", "penyesuaian"},
        {"penyesuaian", "penyesuaian"},
        {"pengabdian", "pengabdian"},
        {"anumerta", "anumerta"},
    };
    char key[48];
    imp_key(s, key, sizeof key);
    const char *k = key;
    if (!strncmp(k, "kp", 2) && k[2])
        k += 2;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(k, kinds[i].key))
            return kinds[i].kind;
    return NULL;
}

/* A stage id of the policy (by id or name, any case) or a return code, as stored. */
static int stage_of(const struct kb_policy *p, const char *s, char out[KB_PROMOTION_STAGE_LEN])
{
    char key[96], k2[96];
    imp_key(s, key, sizeof key);
    if (!*key)
        return -1;
    size_t n;
    const struct kb_stage *st = kb_policy_stages(p, &n);
    for (size_t i = 0; i < n; i++) {
        imp_key(st[i].id, k2, sizeof k2);
        int same = !strcmp(key, k2);
        imp_key(st[i].name, k2, sizeof k2);
        if ((same || !strcmp(key, k2)) && strlen(st[i].id) < KB_PROMOTION_STAGE_LEN) {
            snprintf(out, KB_PROMOTION_STAGE_LEN, "%s", st[i].id);
            return 0;
        }
    }
    static const char *const returns[] = {"BTL", "BTS", "TMS"};
    for (size_t i = 0; i < sizeof returns / sizeof returns[0]; i++) {
        imp_key(returns[i], k2, sizeof k2);
        if (!strcmp(key, k2) && kb_policy_return_code(p, returns[i])) {
            snprintf(out, KB_PROMOTION_STAGE_LEN, "%s", returns[i]);
            return 0;
        }
    }
    return -1;
}

static void p_row(struct imp *im, const struct kb_csv_row *r, struct prow *w)
{
    char shown[IMP_SHOW];
    int bad = 0;
    w->line = r->line;
    /* Checked for its length: whether the employee is a PNS is the database's to say. */
    bad |= imp_nip(im, r->line, "nip", imp_get(im, r, P_NIP), IMP_NIP_ANY, w->nip) != 0;
    const char *s = imp_get(im, r, P_JENIS);
    if (!(w->kind = kp_kind(s))) {
        bad = 1;
        imp_error(im, r->line, "jenis_kp",
                  "%s is not reguler, pilihan, fungsional, penyesuaian ijazah, pengabdian or "
                  "anumerta",
                  *s ? imp_show(s, shown) : "empty");
    }
    s = imp_get(im, r, P_GOLONGAN);
    if (kb_import_grade(im->policy, 0, s, w->grade) != 0) {
        bad = 1;
        imp_error(im, r->line, "golongan_tujuan", "unknown rank %s (a PNS rank such as III/d)",
                  *s ? imp_show(s, shown) : "empty");
    }
    bad |= imp_date(im, r->line, "periode", imp_get(im, r, P_PERIODE), 0, w->period) != 0;
    if (w->period[0] && strcmp(w->period + 8, "01") != 0)
        imp_warning(im, r->line, "periode", "%s is not the first of a month", w->period);
    s = imp_get(im, r, P_TAHAP);
    if (stage_of(im->policy, s, w->stage) != 0) {
        size_t n, k = 0;
        char list[400] = "";
        const struct kb_stage *st = kb_policy_stages(im->policy, &n);
        for (size_t i = 0; i < n && k < sizeof list; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s, ", st[i].id);
        bad = 1;
        imp_error(im, r->line, "tahap", "unknown stage %s (%sBTL, BTS or TMS)",
                  *s ? imp_show(s, shown) : "empty", list);
    }
    bad |= imp_date(im, r->line, "tanggal_tahap", imp_get(im, r, P_TANGGAL), 0, w->date) != 0;
    if (w->date[0] && strcmp(w->date, im->today) > 0) {
        bad = 1;
        imp_error(im, r->line, "tanggal_tahap", "%s is in the future", w->date);
    }
    w->note = imp_get(im, r, P_CATATAN);
    size_t nl = strlen(w->note);
    if (nl > KB_PROMOTION_NOTE_MAX) {
        bad = 1;
        imp_error(im, r->line, "catatan", "too long (%zu bytes; at most %d)", nl,
                  KB_PROMOTION_NOTE_MAX);
    }
    for (size_t i = 0; i < nl && !bad; i++) {
        unsigned char c = (unsigned char)w->note[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
            bad = 1;
            imp_error(im, r->line, "catatan", "holds a control character");
        }
    }
    w->bad = bad;
    snprintf(w->file_key, sizeof w->file_key, "%s|%s", w->nip, w->period);
    snprintf(w->stage_key, sizeof w->stage_key, "%s|%s|%s", w->nip, w->period, w->stage);
}

static int p_check(struct imp *im, void **state)
{
    *state = NULL;
    if (imp_bind(im, promotion_cols, P_N) != 0)
        return KB_OK;
    struct pstate *s = calloc(1, sizeof *s);
    size_t n = im->csv.nrows;
    if (!s || !(s->rows = calloc(n ? n : 1, sizeof *s->rows)) ||
        imp_map_init(&s->by_file, n) != 0 || imp_map_init(&s->by_stage, n) != 0) {
        p_done(s);
        return KB_ERR;
    }
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        struct prow *w = &s->rows[i];
        w->first = (long)i;
        if (im->row_bad[i]) {
            w->bad = 1;
            continue;
        }
        p_row(im, &im->csv.rows[i], w);
        imp_progress(im, "checking", i + 1, n);
        if (w->bad)
            continue;
        size_t first;
        int rc = imp_map_put(&s->by_stage, w->stage_key, i, &first);
        if (rc == 1) {
            w->bad = 1;
            imp_error(im, w->line, "tahap",
                      "duplicate: stage %s of NIP %s for period %s is on line %d too", w->stage,
                      w->nip, w->period, s->rows[first].line);
            continue;
        }
        if (rc == 0)
            rc = imp_map_put(&s->by_file, w->file_key, i, &first);
        if (rc < 0) {
            p_done(s);
            return KB_ERR;
        }
        if (rc == 1) {
            const struct prow *f = &s->rows[first];
            w->first = (long)first;
            if (strcmp(f->kind, w->kind) != 0) {
                w->bad = 1;
                imp_error(im, w->line, "jenis_kp", "%s, but line %d gives %s for the same file",
                          w->kind, f->line, f->kind);
            }
            if (strcmp(f->grade, w->grade) != 0) {
                w->bad = 1;
                imp_error(im, w->line, "golongan_tujuan",
                          "%s, but line %d gives %s for the same file", w->grade, f->line,
                          f->grade);
            }
        }
    }
    *state = s;
    return KB_OK;
}

static int p_apply(struct imp *im, void *state)
{
    struct pstate *s = state;
    static struct kb_imp_employee_row e;
    static char note[KB_PROMOTION_NOTE_MAX + 1];
    int files_new = 0, moved = 0;
    for (size_t i = 0; i < s->n; i++) {
        struct prow *w = &s->rows[i];
        if (w->bad)
            continue;
        int rc = KB_OK;
        char file_state = 'u';
        if (w->first == (long)i) { /* the file, at its first row */
            rc = imp_employee_of(im, w->line, w->nip, &e);
            if (rc != KB_OK)
                return rc;
            if (!e.id)
                continue;
            if (!strcmp(e.asn_kind, "PPPK")) {
                imp_error(im, w->line, "nip", "%s (%s) is PPPK: PPPK have no kenaikan pangkat",
                          w->nip, e.name);
                continue;
            }
            if (kb_policy_rank_index(im->policy, w->grade) <=
                kb_policy_rank_index(im->policy, e.grade))
                imp_warning(im, w->line, "golongan_tujuan", "%s is not above %s's rank %s",
                            w->grade, e.name, e.grade);
            char kind[16] = "", grade[8] = "";
            rc = kb_imp_promotion_get(im->st, e.id, w->period, &w->promotion_id, kind, grade);
            if (rc == KB_OK &&
                (!w->promotion_id || strcmp(kind, w->kind) != 0 || strcmp(grade, w->grade) != 0)) {
                file_state = w->promotion_id ? 'c' : 'n';
                files_new += !w->promotion_id;
                rc = kb_promotion_file_set(im->st, e.id, w->kind, w->grade, w->period,
                                           &w->promotion_id);
            }
        } else {
            w->promotion_id = s->rows[w->first].promotion_id;
            if (!w->promotion_id)
                continue; /* its file was refused at its first row (reported) */
        }
        int found = 0;
        char on[11] = "";
        if (rc == KB_OK)
            rc = kb_imp_stage_get(im->st, w->promotion_id, w->stage, on, note, sizeof note, &found);
        int differs = !found || strcmp(on, w->date) != 0 || strcmp(note, w->note) != 0;
        if (rc == KB_OK && differs)
            rc = kb_promotion_stage_set(im->st, w->promotion_id, w->stage, w->date, w->note);
        moved |= differs;
        if (rc != KB_OK)
            return rc;
        imp_count(im, !found ? 'n' : differs || file_state != 'u' ? 'c' : 'u');
        imp_progress(im, "writing", i + 1, s->n);
    }
    if (files_new)
        imp_note(im, "%d new promotion file%s", files_new, files_new == 1 ? "" : "s");
    /* The employees hear of a stage reached from the running service's next reminder pass,
     * which this asks to start now (reminders.json: stage news is urgent, 07:00-21:00). */
    return moved ? kb_rem_request_pass(im->st, im->now) : KB_OK;
}

const struct imp_kind imp_kind_promotions = {"promotions", "promotion stages", p_check, p_apply,
                                             p_done};
