/* report_build: each report kind as a table — which rows, which columns, and the few rules read
 * from the rows (the JP target or ceiling from the policy, a promotion file's current stage and
 * its working days against the policy's expected days, how long approvals have waited).
 *
 * Everything is read in one read transaction, page by page (store/reports.c), into the table;
 * the table is then sorted as HR reads it. "Today" is the date in each person's own zone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/policy.h"
#include "karirbot/promotions.h"
#include "karirbot/report.h"
#include "karirbot/reports_store.h"
#include "karirbot/rpi.h"
#include "karirbot/store.h"
#include "karirbot/workdays.h"

#define PAGE 500

#define T KB_CELL_TEXT
#define I KB_CELL_INT
#define M KB_CELL_MONEY
#define D KB_CELL_DATE
#define N KB_CELL_ID

/* ---- the columns of each report (the names HR's spreadsheets use) ---------------------------- */

enum {
    R_NIP,
    R_NAMA,
    R_UNIT,
    R_ASN,
    R_STATUS,
    R_ACT,
    R_DONE,
    R_LATE,
    R_WAIT,
    R_JPP,
    R_JPR,
    R_JPU,
    R_PCT
};
static const struct kb_report_col rpi_cols[] = {
    {"nip", N},
    {"nama", T},
    {"unit_kerja", T},
    {"jenis_asn", T},
    {"status_rpi", T},
    {"kegiatan_direncanakan", I},
    {"kegiatan_selesai", I},
    {"kegiatan_terlambat", I},
    {"kegiatan_menunggu_persetujuan", I},
    {"jp_direncanakan", I},
    {"jp_diakui", I},
    {"jp_menunggu_verifikasi", I},
    {"persen_kegiatan_selesai", I},
};

enum { U_UNIT, U_PEOPLE, U_NOPLAN, U_PLAN0 /* one per plan status */ };
static const char *const plan_statuses[5] = {"draf", "diajukan", "revisi", "disetujui",
                                             "ditetapkan"};
enum { U_ACT = U_PLAN0 + 5, U_DONE, U_LATE, U_JPP, U_JPR, U_PCT };
static const struct kb_report_col unit_cols[] = {
    {"unit_kerja", T},
    {"jumlah_pegawai", I},
    {"tanpa_rpi", I},
    {"rpi_draf", I},
    {"rpi_diajukan", I},
    {"rpi_revisi", I},
    {"rpi_disetujui", I},
    {"rpi_ditetapkan", I},
    {"kegiatan_direncanakan", I},
    {"kegiatan_selesai", I},
    {"kegiatan_terlambat", I},
    {"jp_direncanakan", I},
    {"jp_diakui", I},
    {"persen_kegiatan_selesai", I},
};

enum { J_NIP, J_NAMA, J_UNIT, J_ASN, J_JPP, J_JPR, J_JPU, J_RULE, J_GOAL, J_SHORT, J_NOTE };
static const struct kb_report_col jp_cols[] = {
    {"nip", N},
    {"nama", T},
    {"unit_kerja", T},
    {"jenis_asn", T},
    {"jp_direncanakan", I},
    {"jp_diakui", I},
    {"jp_menunggu_verifikasi", I},
    {"ketentuan", T},     /* target (PNS, CPNS) or batas (PPPK: a ceiling) */
    {"jp_ketentuan", I},  /* the figure of the policy */
    {"kekurangan_jp", I}, /* target minus recognised; empty for a ceiling */
    {"keterangan", T},
};

enum {
    TR_CODE,
    TR_TITLE,
    TR_PROVIDER,
    TR_FORM,
    TR_STATUS,
    TR_START,
    TR_END,
    TR_DEADLINE,
    TR_JP,
    TR_QUOTA,
    TR_SEATS,
    TR_PCT,
    TR_FREE,
    TR_BY0 /* one per registration status */
};
enum { TR_COST = TR_BY0 + 8, TR_TOTAL };
static const struct kb_report_col training_cols[] = {
    {"kode", T},
    {"judul", T},
    {"penyelenggara", T},
    {"bentuk", T},
    {"status", T},
    {"mulai", D},
    {"selesai", D},
    {"batas_daftar", D},
    {"jp", I},
    {"kuota", I},
    {"kursi_terisi", I},
    {"persen_terisi", I},
    {"sisa_kursi", I},
    {"jumlah_diajukan", I},
    {"jumlah_disetujui", I},
    {"jumlah_ditolak", I},
    {"jumlah_diusulkan", I},
    {"jumlah_diterima", I},
    {"jumlah_daftar_tunggu", I},
    {"jumlah_dibatalkan", I},
    {"jumlah_selesai", I},
    {"biaya_per_kursi", M},
    {"biaya_total", M},
};

enum { A_NIP, A_NAMA, A_POS, A_UNIT, A_ACTIVE, A_LINKED, A_WAITING, A_KIND0 /* one per kind */ };
enum { A_SINCE = A_KIND0 + 5, A_DAYS };
/* The request kinds (kb_rep_approval_kinds) in their Indonesian column names: rpi_plan,
 * rpi_activity, training, mentor, evidence. */
/* clang-format off */
static const struct kb_report_col approval_cols[] = {
    {"nip_atasan", N},          /* the approver */
    {"nama_atasan", T},
    {"jabatan", T},
    {"unit_kerja", T},
    {"aktif", T},               /* ya, or tidak: left (requests to re-route) */
    {"terhubung_telegram", T},  /* ya, or tidak: cannot get the cards */
    {"menunggu", I},            /* requests waiting */
    {"rencana_rpi", I},         /* of each kind */
    {"kegiatan_rpi", I},
    {"diklat", I},
    {"mentor", I},
    {"bukti", I},
    {"menunggu_sejak", D},      /* the oldest request's date, in the approver's zone */
    {"hari_kerja_menunggu", I}, /* its working days of waiting */
};
/* clang-format on */

enum {
    P_NIP,
    P_NAMA,
    P_UNIT,
    P_GRADE,
    P_KIND,
    P_TARGET,
    P_PERIOD,
    P_STAGE,
    P_STAGE_NAME,
    P_SINCE,
    P_DAYS,
    P_EXPECTED,
    P_OVER,
    P_ACTOR,
    P_NOTE
};
static const struct kb_report_col promotion_cols[] = {
    {"nip", N},
    {"nama", T},
    {"unit_kerja", T},
    {"golongan_ruang", T},
    {"jenis_kp", T},
    {"golongan_tujuan", T},
    {"periode", D},
    {"tahap", T},
    {"nama_tahap", T},
    {"tanggal_tahap", D},
    {"hari_kerja_di_tahap", I},
    {"hari_kerja_diharapkan", I},
    {"hari_kerja_terlambat", I},
    {"pihak_yang_bertindak", T},
    {"catatan", T},
};

enum {
    NO_CODE,
    NO_NIP,
    NO_NAMA,
    NO_UNIT,
    NO_GRADE,
    NO_POS,
    NO_SUP_NIP,
    NO_SUP_NAME,
    NO_STATUS,
    NO_SEAT,
    NO_PLACE,
    NO_CREATED,
    NO_DECISION,
    NO_DECIDED
};
static const struct kb_report_col nominee_cols[] = {
    {"kode", T},
    {"nip", N},
    {"nama", T},
    {"unit_kerja", T},
    {"golongan_ruang", T},
    {"jabatan", T},
    {"nip_atasan", N},
    {"nama_atasan", T},
    {"status", T},
    {"kursi", T},
    {"urutan_tunggu", I},
    {"tanggal_daftar", D},
    {"keputusan_atasan", T},
    {"tanggal_keputusan_atasan", D},
};

#define NCOLS(a) (sizeof a / sizeof a[0])

/* ---- building ------------------------------------------------------------------------------- */

struct build {
    struct kb_store *st;
    const struct kb_policy *policy;
    const struct kb_report_opts *o;
    struct kb_report *r;
    struct kb_rep_today today;
    const char *training_code;
    int failed; /* a row could not be added */
};

static const char *today_in(const struct build *b, const char *zone)
{
    return !strcmp(zone, "WITA")  ? b->today.wita
           : !strcmp(zone, "WIT") ? b->today.wit
                                  : b->today.wib;
}

/* The local date of an instant in zone (WIB when the zone is unknown). */
static void local_date(int64_t at, const char *zone, char out[KB_DATE_LEN])
{
    if (kb_local_date(at, zone, out) != 0 && kb_local_date(at, "WIB", out) != 0)
        out[0] = '\0';
}

/* Working days from one date to another in a unit's week, without the national holidays and
 * cuti bersama HR imported — counted as the employee's own view counts them
 * (dialog/act_promotion.c). -1 when a date is invalid. */
static int64_t workdays(struct build *b, const char *from, const char *to, int days_per_week)
{
    char holidays[KB_HOLIDAYS_SPAN_MAX][11];
    size_t nholidays = 0;
    int64_t n;
    if (kb_holidays_between(b->st, from, to, holidays, KB_HOLIDAYS_SPAN_MAX, &nholidays) != KB_OK)
        nholidays = 0; /* counted without them rather than not at all */
    return kb_workdays_between_except(from, to, days_per_week == 6 ? 6 : 5, holidays, nholidays,
                                      &n) == 0
               ? n
               : -1;
}

static int64_t percent(int64_t part, int64_t whole)
{
    return (part * 100 + whole / 2) / whole;
}

/* Adds a row; on failure marks the build failed and returns -1 (the callback then stops). */
static int row(struct build *b)
{
    if (kb_report_row(b->r) != 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

static void text(struct build *b, size_t col, const char *s)
{
    if (kb_report_text(b->r, col, s) != 0)
        b->failed = 1;
}

static void num(struct build *b, size_t col, int64_t v)
{
    kb_report_int(b->r, col, v);
}

static void date(struct build *b, size_t col, const char *ymd)
{
    if (kb_report_date(b->r, col, ymd) != 0)
        b->failed = 1;
}

static void person(struct build *b, const struct kb_rep_person *p, size_t nip, size_t name,
                   size_t unit)
{
    text(b, nip, p->nip);
    text(b, name, p->name);
    text(b, unit, p->unit);
}

/* ---- comparing rows ------------------------------------------------------------------------- */

static int cmp_text(const struct kb_report *r, size_t a, size_t b, int col)
{
    return strcmp(kb_report_cell_text(r, a, (size_t)col), kb_report_cell_text(r, b, (size_t)col));
}

/* Numbers; an empty cell sorts as `empty`. */
static int cmp_num(const struct kb_report *r, size_t a, size_t b, int col, int64_t empty)
{
    const struct kb_cell *x = kb_report_cell(r, a, (size_t)col),
                         *y = kb_report_cell(r, b, (size_t)col);
    int64_t u = x->type == KB_CELL_EMPTY ? empty : x->v,
            v = y->type == KB_CELL_EMPTY ? empty : y->v;
    return (u > v) - (u < v);
}

/* By unit, name, NIP: the order of a list of people. */
static int cmp_people(const struct kb_report *r, size_t a, size_t b, int unit, int name, int nip)
{
    int c = cmp_text(r, a, b, unit);
    if (!c)
        c = cmp_text(r, a, b, name);
    return c ? c : cmp_text(r, a, b, nip);
}

/* ---- rpi ------------------------------------------------------------------------------------ */

static int rpi_row(void *ctx, const struct kb_rep_rpi *x)
{
    struct build *b = ctx;
    if (row(b) != 0)
        return 1;
    person(b, &x->p, R_NIP, R_NAMA, R_UNIT);
    text(b, R_ASN, x->p.asn_kind);
    text(b, R_STATUS, x->plan_status);
    /* Without a plan every count is 0, and the share done is empty (nothing to finish). */
    num(b, R_ACT, x->activities);
    num(b, R_DONE, x->finished);
    num(b, R_LATE, x->late);
    num(b, R_WAIT, x->waiting);
    num(b, R_JPP, x->jp_planned);
    num(b, R_JPR, x->jp_recognised);
    num(b, R_JPU, x->jp_unverified);
    if (x->activities > 0)
        num(b, R_PCT, percent(x->finished, x->activities));
    return b->failed;
}

static int cmp_rpi(const struct kb_report *r, size_t a, size_t b, void *arg)
{
    (void)arg;
    return cmp_people(r, a, b, R_UNIT, R_NAMA, R_NIP);
}

static int walk_rpi(struct build *b, int64_t unit_id, int year)
{
    int64_t after = 0;
    int n, rc;
    do
        rc = kb_rep_rpi_page(b->st, unit_id, year, &b->today, after, PAGE, rpi_row, b, &n, &after);
    while (rc == KB_OK && n == PAGE);
    return rc;
}

/* The unit summary, from the employee rows sorted by unit. */
static int rpi_units(struct build *b, const struct kb_report *people)
{
    for (size_t i = 0; i < people->nrows;) {
        const char *unit = kb_report_cell_text(people, i, R_UNIT);
        int64_t sum[NCOLS(unit_cols)] = {0};
        size_t j = i;
        for (; j < people->nrows && !strcmp(kb_report_cell_text(people, j, R_UNIT), unit); j++) {
            const char *status = kb_report_cell_text(people, j, R_STATUS);
            sum[U_PEOPLE]++;
            sum[U_NOPLAN] += !status[0];
            for (int k = 0; k < 5; k++)
                sum[U_PLAN0 + k] += !strcmp(status, plan_statuses[k]);
            sum[U_ACT] += kb_report_cell(people, j, R_ACT)->v;
            sum[U_DONE] += kb_report_cell(people, j, R_DONE)->v;
            sum[U_LATE] += kb_report_cell(people, j, R_LATE)->v;
            sum[U_JPP] += kb_report_cell(people, j, R_JPP)->v;
            sum[U_JPR] += kb_report_cell(people, j, R_JPR)->v;
        }
        if (row(b) != 0)
            return -1;
        text(b, U_UNIT, unit);
        for (size_t c = U_PEOPLE; c < U_PCT; c++)
            num(b, c, sum[c]);
        if (sum[U_ACT] > 0)
            num(b, U_PCT, percent(sum[U_DONE], sum[U_ACT]));
        i = j;
    }
    return b->failed ? -1 : 0;
}

/* ---- jp ------------------------------------------------------------------------------------- */

/* The policy's kind of an ASN; a part-time PPPK ("PPPK paruh waktu") is a PPPK. */
static enum kb_asn_kind asn_kind(const char *s)
{
    if (!strcmp(s, "PNS"))
        return KB_ASN_PNS;
    if (!strcmp(s, "CPNS"))
        return KB_ASN_CPNS;
    return !strncmp(s, "PPPK", 4) && (!s[4] || s[4] == ' ') ? KB_ASN_PPPK : KB_ASN_UNKNOWN;
}

static int jp_row(void *ctx, const struct kb_rep_rpi *x)
{
    struct build *b = ctx;
    const struct kb_jp_rule *rule = kb_policy_jp(b->policy, asn_kind(x->p.asn_kind));
    int shortfall = 0;
    if (rule && !rule->ceiling && x->jp_recognised < rule->jp_per_year)
        shortfall = rule->jp_per_year - x->jp_recognised;
    if (b->o->below_target && shortfall == 0)
        return 0;
    if (row(b) != 0)
        return 1;
    person(b, &x->p, J_NIP, J_NAMA, J_UNIT);
    text(b, J_ASN, x->p.asn_kind);
    num(b, J_JPP, x->jp_planned);
    num(b, J_JPR, x->jp_recognised);
    num(b, J_JPU, x->jp_unverified);
    if (rule) {
        struct kb_rpi_jp_view v;
        kb_rpi_jp_judge(rule->ceiling, rule->jp_per_year, x->jp_planned, x->jp_recognised, &v);
        text(b, J_RULE, rule->ceiling ? "batas" : "target");
        num(b, J_GOAL, rule->jp_per_year);
        if (!rule->ceiling)
            num(b, J_SHORT, shortfall);
        /* A ceiling is never a target: PPPK are within it or over it, never "below". */
        text(b, J_NOTE,
             rule->ceiling ? (v.over ? "melebihi_batas" : "dalam_batas")
                           : (v.met ? "memenuhi_target" : "di_bawah_target"));
    }
    return b->failed;
}

/* The largest shortfall first (a ceiling has none: after every target), then unit, name. */
static int cmp_jp(const struct kb_report *r, size_t a, size_t b, void *arg)
{
    (void)arg;
    int c = -cmp_num(r, a, b, J_SHORT, -1);
    return c ? c : cmp_people(r, a, b, J_UNIT, J_NAMA, J_NIP);
}

static int walk_jp(struct build *b, int64_t unit_id, int year)
{
    int64_t after = 0;
    int n, rc;
    do
        rc = kb_rep_rpi_page(b->st, unit_id, year, &b->today, after, PAGE, jp_row, b, &n, &after);
    while (rc == KB_OK && n == PAGE);
    return rc;
}

/* ---- trainings ------------------------------------------------------------------------------ */

static int training_row(void *ctx, const struct kb_rep_training *t)
{
    struct build *b = ctx;
    if (row(b) != 0)
        return 1;
    text(b, TR_CODE, t->code);
    text(b, TR_TITLE, t->title);
    text(b, TR_PROVIDER, t->provider);
    text(b, TR_FORM, t->form);
    text(b, TR_STATUS, t->status);
    date(b, TR_START, t->start_date);
    date(b, TR_END, t->end_date);
    date(b, TR_DEADLINE, t->deadline);
    num(b, TR_JP, t->jp);
    num(b, TR_QUOTA, t->quota);
    num(b, TR_SEATS, t->seats);
    if (t->quota > 0)
        num(b, TR_PCT, percent(t->seats, t->quota));
    num(b, TR_FREE, t->seats_free);
    for (int k = 0; k < 8; k++)
        num(b, TR_BY0 + (size_t)k, t->by_status[k]);
    num(b, TR_COST, t->cost);
    num(b, TR_TOTAL, (int64_t)t->seats * t->cost);
    return b->failed;
}

static int cmp_training(const struct kb_report *r, size_t a, size_t b, void *arg)
{
    (void)arg;
    int c = cmp_text(r, a, b, TR_START);
    return c ? c : cmp_text(r, a, b, TR_CODE);
}

static int walk_trainings(struct build *b, int64_t unit_id, int year)
{
    char from[11], to[11];
    int ranged = year > 0 && year <= 9999;
    if (ranged) {
        snprintf(from, sizeof from, "%04d-01-01", year);
        snprintf(to, sizeof to, "%04d-12-31", year);
    }
    int64_t after = 0;
    int n, rc;
    do
        rc = kb_rep_trainings_page(b->st, unit_id, ranged ? from : NULL, ranged ? to : NULL, after,
                                   PAGE, training_row, b, &n, &after);
    while (rc == KB_OK && n == PAGE);
    return rc;
}

/* ---- nominees ------------------------------------------------------------------------------- */

static int nominee_row(void *ctx, const struct kb_rep_nominee *x)
{
    struct build *b = ctx;
    char day[KB_DATE_LEN];
    if (row(b) != 0)
        return 1;
    text(b, NO_CODE, b->training_code);
    person(b, &x->p, NO_NIP, NO_NAMA, NO_UNIT);
    text(b, NO_GRADE, x->p.grade);
    text(b, NO_POS, x->p.position);
    text(b, NO_SUP_NIP, x->supervisor_nip);
    text(b, NO_SUP_NAME, x->supervisor_name);
    text(b, NO_STATUS, x->status);
    text(b, NO_SEAT, x->seat ? "ya" : "tidak");
    if (x->place > 0)
        num(b, NO_PLACE, x->place);
    local_date(x->created_at, x->p.zone, day);
    date(b, NO_CREATED, day);
    text(b, NO_DECISION, x->decision);
    if (x->decision[0] && x->decided_at > 0) {
        local_date(x->decided_at, x->p.zone, day);
        date(b, NO_DECIDED, day);
    }
    return b->failed;
}

/* Seat holders by name, then the waiting list in its order, then the rest by status and name. */
static int nominee_group(const struct kb_report *r, size_t i)
{
    if (!strcmp(kb_report_cell_text(r, i, NO_SEAT), "ya"))
        return 0;
    return kb_report_cell(r, i, NO_PLACE)->type != KB_CELL_EMPTY ? 1 : 2;
}

static int cmp_nominee(const struct kb_report *r, size_t a, size_t b, void *arg)
{
    (void)arg;
    int ga = nominee_group(r, a), gb = nominee_group(r, b);
    if (ga != gb)
        return ga - gb;
    int c = ga == 1 ? cmp_num(r, a, b, NO_PLACE, 0) : 0;
    if (!c && ga == 2)
        c = cmp_text(r, a, b, NO_STATUS);
    if (!c)
        c = cmp_text(r, a, b, NO_NAMA);
    return c ? c : cmp_text(r, a, b, NO_NIP);
}

static int walk_nominees(struct build *b, int64_t training_id)
{
    int64_t after = 0;
    int n, rc;
    do
        rc = kb_rep_nominees_page(b->st, training_id, after, PAGE, nominee_row, b, &n, &after);
    while (rc == KB_OK && n == PAGE);
    return rc;
}

/* ---- approvals ------------------------------------------------------------------------------ */

static int approver_row(void *ctx, const struct kb_rep_approver *x)
{
    struct build *b = ctx;
    char since[KB_DATE_LEN];
    if (row(b) != 0)
        return 1;
    person(b, &x->p, A_NIP, A_NAMA, A_UNIT);
    text(b, A_POS, x->p.position);
    text(b, A_ACTIVE, x->active ? "ya" : "tidak");
    text(b, A_LINKED, x->linked ? "ya" : "tidak");
    num(b, A_WAITING, x->waiting);
    for (int k = 0; k < 5; k++)
        num(b, A_KIND0 + (size_t)k, x->by_kind[k]);
    /* The request was made on a date in the approver's zone; the working days since then are
     * those of the approver's unit. */
    local_date(x->oldest_at, x->p.zone, since);
    date(b, A_SINCE, since);
    int64_t days = workdays(b, since, today_in(b, x->p.zone), x->p.workdays);
    if (days >= 0)
        num(b, A_DAYS, days);
    return b->failed;
}

/* The longest wait first, then the most waiting, then by name. */
static int cmp_approver(const struct kb_report *r, size_t a, size_t b, void *arg)
{
    (void)arg;
    int c = -cmp_num(r, a, b, A_DAYS, -1);
    if (!c)
        c = -cmp_num(r, a, b, A_WAITING, 0);
    if (!c)
        c = cmp_text(r, a, b, A_NAMA);
    return c ? c : cmp_text(r, a, b, A_NIP);
}

static int walk_approvers(struct build *b, int64_t unit_id)
{
    int64_t after = 0;
    int n, rc;
    do
        rc = kb_rep_approvers_page(b->st, unit_id, after, PAGE, approver_row, b, &n, &after);
    while (rc == KB_OK && n == PAGE);
    return rc;
}

/* ---- promotions ----------------------------------------------------------------------------- */

/* Where a file is, read from its stage rows as the employee's view reads them
 * (dialog/act_promotion.c): the rows the policy knows, in the order they happened (by date,
 * by order of recording, then in the policy's order); the file is at the latest stage reached,
 * or returned when the latest row is a return code. Rows the policy does not know are left
 * out, as the employee's view leaves them out. */
struct position {
    const struct kb_promotion_stage_row *row; /* the current stage's or the return's; NULL */
    int index;                                /* of the current stage in the policy; -1 */
    const struct kb_return_code *ret;         /* when returned */
};

#define RETURN_INDEX 1000

static void file_position(const struct kb_policy *p, const struct kb_promotion_file *f,
                          struct position *pos)
{
    size_t nstages;
    const struct kb_stage *stages = kb_policy_stages(p, &nstages);
    const struct kb_promotion_stage_row *last = NULL, *cur = NULL;
    int last_index = -1, cur_index = -1;
    for (size_t i = 0; i < f->nstages; i++) {
        const struct kb_promotion_stage_row *s = &f->stages[i];
        int index = -1;
        for (size_t k = 0; k < nstages && index < 0; k++)
            if (!strcmp(stages[k].id, s->stage))
                index = (int)k;
        if (index < 0 && kb_policy_return_code(p, s->stage))
            index = RETURN_INDEX;
        if (index < 0)
            continue;
        /* Later in the order of events than the latest so far? */
        int c = last ? strcmp(s->reached_on, last->reached_on) : 1;
        if (!c)
            c = (s->seq > last->seq) - (s->seq < last->seq);
        if (!c)
            c = index - last_index;
        if (c > 0) {
            last = s;
            last_index = index;
        }
        if (index != RETURN_INDEX) {
            c = cur ? strcmp(s->reached_on, cur->reached_on) : 1;
            if (!c)
                c = (s->seq > cur->seq) - (s->seq < cur->seq);
            if (!c)
                c = index - cur_index;
            if (c > 0) {
                cur = s;
                cur_index = index;
            }
        }
    }
    pos->ret = last && last_index == RETURN_INDEX ? kb_policy_return_code(p, last->stage) : NULL;
    pos->row = pos->ret ? last : cur;
    pos->index = cur_index;
}

struct promotion_ctx {
    struct build *b;
    struct kb_promotion_file *file; /* large: one, reused */
};

static int promotion_row(void *ctx, const struct kb_rep_promotion *x)
{
    struct promotion_ctx *pc = ctx;
    struct build *b = pc->b;
    const struct kb_policy *p = b->policy;
    /* A file that aims no higher than the rank the employee holds now is history. */
    int target = kb_policy_rank_index(p, x->target_grade),
        now = kb_policy_rank_index(p, x->p.grade);
    if (target >= 0 && now >= 0 && target <= now)
        return 0;
    int found = 0;
    if (kb_promotion_current(b->st, x->p.id, pc->file, &found) != KB_OK || !found ||
        pc->file->id != x->id) {
        b->failed = 1;
        return 1;
    }
    struct position pos;
    file_position(p, pc->file, &pos);
    size_t nstages;
    const struct kb_stage *stages = kb_policy_stages(p, &nstages);

    if (row(b) != 0)
        return 1;
    person(b, &x->p, P_NIP, P_NAMA, P_UNIT);
    text(b, P_GRADE, x->p.grade);
    text(b, P_KIND, x->kind);
    text(b, P_TARGET, x->target_grade);
    date(b, P_PERIOD, x->period);
    const struct kb_stage *cs = pos.index >= 0 ? &stages[pos.index] : NULL;
    int final = cs && pos.index + 1 == (int)nstages;
    if (pos.row) {
        text(b, P_STAGE, pos.row->stage);
        text(b, P_STAGE_NAME, pos.ret ? pos.ret->name : cs->name);
        date(b, P_SINCE, pos.row->reached_on);
        int64_t days = workdays(b, pos.row->reached_on, today_in(b, x->p.zone), x->p.workdays);
        if (days >= 0)
            num(b, P_DAYS, days);
        if (!pos.ret && !final) {
            num(b, P_EXPECTED, cs->expected_days);
            if (days >= 0)
                num(b, P_OVER, days > cs->expected_days ? days - cs->expected_days : 0);
        }
        text(b, P_NOTE, pos.row->note);
    }
    /* Who must act: the current stage's actor; a file not started or returned goes back to
     * whoever prepares files (the first stage's actor); a finished file needs no one. */
    if (pos.ret || !pos.row)
        text(b, P_ACTOR, nstages ? stages[0].actor : "");
    else if (!final)
        text(b, P_ACTOR, cs->actor);
    return b->failed;
}

/* Per stage in the policy's order (returned files after the last stage, files without a stage
 * after those), the longest at their stage first, then by name. */
static int stage_rank(const struct kb_policy *p, const struct kb_report *r, size_t i)
{
    const char *id = kb_report_cell_text(r, i, P_STAGE);
    size_t nstages;
    const struct kb_stage *stages = kb_policy_stages(p, &nstages);
    for (size_t k = 0; k < nstages; k++)
        if (!strcmp(stages[k].id, id))
            return (int)k;
    return *id ? RETURN_INDEX : RETURN_INDEX + 1;
}

static int cmp_promotion(const struct kb_report *r, size_t a, size_t b, void *arg)
{
    const struct kb_policy *p = arg;
    int c = stage_rank(p, r, a) - stage_rank(p, r, b);
    if (!c)
        c = -cmp_num(r, a, b, P_DAYS, -1);
    if (!c)
        c = cmp_text(r, a, b, P_NAMA);
    return c ? c : cmp_text(r, a, b, P_NIP);
}

static int walk_promotions(struct build *b, int64_t unit_id, int year)
{
    struct promotion_ctx pc = {b, malloc(sizeof *pc.file)};
    if (!pc.file)
        return KB_ERR;
    int64_t after = 0;
    int n, rc;
    do
        rc = kb_rep_promotions_page(b->st, unit_id, year, after, PAGE, promotion_row, &pc, &n,
                                    &after);
    while (rc == KB_OK && n == PAGE);
    free(pc.file);
    return rc;
}

/* ---- the report ----------------------------------------------------------------------------- */

static void init_table(struct kb_report *r, enum kb_report_kind kind)
{
    switch (kind) {
    case KB_REPORT_RPI:
        kb_report_init(r, "rpi", "RPI", rpi_cols, NCOLS(rpi_cols));
        break;
    case KB_REPORT_RPI_UNITS:
        kb_report_init(r, "rpi-per-unit", "RPI per unit", unit_cols, NCOLS(unit_cols));
        break;
    case KB_REPORT_JP:
        kb_report_init(r, "jp", "JP", jp_cols, NCOLS(jp_cols));
        break;
    case KB_REPORT_TRAININGS:
        kb_report_init(r, "trainings", "Diklat", training_cols, NCOLS(training_cols));
        break;
    case KB_REPORT_APPROVALS:
        kb_report_init(r, "approvals", "Persetujuan", approval_cols, NCOLS(approval_cols));
        break;
    case KB_REPORT_PROMOTIONS:
        kb_report_init(r, "promotions", "Kenaikan pangkat", promotion_cols, NCOLS(promotion_cols));
        break;
    case KB_REPORT_NOMINEES:
    default:
        kb_report_init(r, "nominees", "Peserta", nominee_cols, NCOLS(nominee_cols));
        break;
    }
}

int kb_report_build(struct kb_store *st, const struct kb_policy *policy,
                    const struct kb_report_opts *o, struct kb_report *r, char *err, size_t errcap)
{
    struct build b = {.st = st, .policy = policy, .o = o, .r = r};
    init_table(r, o->kind);
    err[0] = '\0';
    if (!policy && (o->kind == KB_REPORT_JP || o->kind == KB_REPORT_PROMOTIONS)) {
        snprintf(err, errcap, "this report needs the policy data (dialogs/policy.json)");
        return -1;
    }
    if (kb_local_date(o->now, "WIB", b.today.wib) != 0 ||
        kb_local_date(o->now, "WITA", b.today.wita) != 0 ||
        kb_local_date(o->now, "WIT", b.today.wit) != 0) {
        snprintf(err, errcap, "the clock is not usable");
        return -1;
    }
    int year = o->year;
    if (year == 0 &&
        (o->kind == KB_REPORT_RPI || o->kind == KB_REPORT_RPI_UNITS || o->kind == KB_REPORT_JP))
        year = atoi(b.today.wib); /* this year, in WIB */

    int rc = kb_store_read_begin(st);
    if (rc != KB_OK) {
        snprintf(err, errcap, "cannot read the database");
        return -1;
    }
    int64_t unit_id = 0, training_id = 0;
    if (rc == KB_OK && o->unit && *o->unit) {
        char exact[256];
        rc = kb_rep_unit_find(st, o->unit, &unit_id, exact, sizeof exact);
        if (rc == KB_OK && !unit_id) {
            snprintf(err, errcap, "no unit named '%s'", o->unit);
            rc = KB_ERR;
        }
    }
    if (rc == KB_OK && o->kind == KB_REPORT_NOMINEES) {
        b.training_code = o->training ? o->training : "";
        rc = kb_rep_training_find(st, b.training_code, &training_id);
        if (rc == KB_OK && !training_id) {
            snprintf(err, errcap, "no training with code '%s'", b.training_code);
            rc = KB_ERR;
        }
    }
    struct kb_report people;
    int people_used = 0;
    if (rc == KB_OK) {
        switch (o->kind) {
        case KB_REPORT_RPI:
            rc = walk_rpi(&b, unit_id, year);
            break;
        case KB_REPORT_RPI_UNITS:
            /* per employee first, then summed per unit */
            init_table(&people, KB_REPORT_RPI);
            people_used = 1;
            b.r = &people;
            rc = walk_rpi(&b, unit_id, year);
            b.r = r;
            break;
        case KB_REPORT_JP:
            rc = walk_jp(&b, unit_id, year);
            break;
        case KB_REPORT_TRAININGS:
            rc = walk_trainings(&b, unit_id, year);
            break;
        case KB_REPORT_APPROVALS:
            rc = walk_approvers(&b, unit_id);
            break;
        case KB_REPORT_PROMOTIONS:
            rc = walk_promotions(&b, unit_id, year);
            break;
        case KB_REPORT_NOMINEES:
            rc = walk_nominees(&b, training_id);
            break;
        }
    }
    kb_store_read_end(st);

    int full = r->full;
    if (people_used) {
        full |= people.full;
        if (rc == KB_OK && !b.failed) {
            kb_report_sort(&people, cmp_rpi, NULL);
            rpi_units(&b, &people);
        }
        kb_report_free(&people);
    }
    if (err[0])
        return -1; /* said above: an unknown unit or training */
    if (full || b.failed || rc != KB_OK) {
        if (full)
            snprintf(err, errcap, "the report has more than %d rows; narrow it with --unit",
                     KB_REPORT_ROWS_MAX);
        else if (b.failed)
            snprintf(err, errcap, "out of memory, or a text over %d bytes", KB_REPORT_TEXT_MAX);
        else
            snprintf(err, errcap, "%s",
                     rc == KB_BUSY ? "the database stayed busy; try again"
                                   : "cannot read the database (see the log line above)");
        return -1;
    }

    switch (o->kind) {
    case KB_REPORT_RPI:
        kb_report_sort(r, cmp_rpi, NULL);
        break;
    case KB_REPORT_JP:
        kb_report_sort(r, cmp_jp, NULL);
        break;
    case KB_REPORT_TRAININGS:
        kb_report_sort(r, cmp_training, NULL);
        break;
    case KB_REPORT_APPROVALS:
        kb_report_sort(r, cmp_approver, NULL);
        break;
    case KB_REPORT_PROMOTIONS:
        kb_report_sort(r, cmp_promotion, (void *)policy);
        break;
    case KB_REPORT_NOMINEES:
        kb_report_sort(r, cmp_nominee, NULL);
        break;
    default:
        break;
    }
    return 0;
}
