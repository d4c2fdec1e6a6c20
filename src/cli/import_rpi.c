/* import_rpi: `karirbot import rpi FILE` — the RPI plans HR keeps in spreadsheets, with their
 * activities (by NIP, year and title). The rules on what an import may change in a plan that
 * already exists follow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_internal.h"
#include "karirbot/idfmt.h"
#include "karirbot/import_store.h"
#include "karirbot/policy.h"
#include "karirbot/rpi.h"
#include "karirbot/store.h"

/* ---- RPI: plans and their activities -------------------------------------------------------
 *
 * One row per activity; the plan (NIP, year) is made when it is missing. An activity is found
 * in its plan by its title (kegiatan), ignoring case and repeated spaces: the same file again
 * finds every activity it made and changes nothing. What the import may do to a plan that
 * exists is bounded by where the plan stands, because a plan the supervisor approved is the
 * supervisor's decision and what the employee records in the chat is theirs:
 *
 * - a plan the import makes takes the file's status_rpi (draf when none), so a plan approved
 *   or established outside karirbot comes in as it is;
 * - activities are added, and what an activity is (bentuk, jp, target_selesai, kompetensi)
 *   changed, only in a draft plan (draf, revisi). Not in a plan submitted, approved or
 *   established: there the employee adds an activity in the chat and the supervisor approves
 *   it. --force makes the file authoritative: it adds and changes there too;
 * - an existing plan's status is not changed: a file that is behind karirbot (the employee
 *   submitted the plan meanwhile) is a warning, one that is ahead (approving or establishing)
 *   an error: the supervisor approves in the chat and `karirbot rpi set` establishes. --force
 *   sets the file's status;
 * - the year's progress (status, tanggal_selesai) is recorded in an approved plan without
 *   --force: rencana, berjalan, ditunda, selesai, batal. berjalan, selesai and ditunda belong
 *   to an approved plan (disetujui, ditetapkan) only: before, activities are rencana or batal;
 * - an activity finished in karirbot (selesai) is left as recorded there, and one the
 *   supervisor has not approved (menunggu) or rejected (ditolak) is changed only with --force;
 * - an activity the import records as selesai is recognised at once (HR's records are the
 *   evidence): its JP count toward the year's JP as a verified activity's do, in Cek RPI, the
 *   reports and the reminders;
 * - nothing is deleted: an activity not in the file stays; batal takes one out of the count. */

enum {
    R_NIP,
    R_TAHUN,
    R_KEGIATAN,
    R_BENTUK,
    R_KOMPETENSI,
    R_JP,
    R_TARGET,
    R_STATUS,
    R_TANGGAL,
    R_STATUS_RPI,
    R_N
};
static const struct imp_col rpi_cols[R_N] = {
    {"nip", 1}, {"tahun", 1},          {"kegiatan", 1}, {"bentuk", 1},          {"kompetensi", 0},
    {"jp", 1},  {"target_selesai", 1}, {"status", 0},   {"tanggal_selesai", 0}, {"status_rpi", 0},
};

#define RPI_JP_MAX    200 /* per activity, as the chat asks */
#define RPI_TITLE_MIN 5   /* characters, as the chat asks */
#define RPI_TITLE_MAX 150

struct rrow {
    int line, bad;
    char nip[IMP_NIP_LEN + 1];
    int year;
    const char *title;      /* the CSV's */
    const char *form;       /* the policy's id */
    const char *competency; /* teknis, manajerial, sosial_kultural; NULL: none given (none
                             * when new, else kept) */
    int jp;
    char target[11], done_on[11];
    const char *status;      /* NULL: none given (rencana when new, else kept) */
    const char *plan_status; /* NULL: none given */
    char plan_key[32];       /* nip|year, "" when either is bad */
    char *key;               /* nip|year|folded title */
    size_t plan;             /* the plan's first row */
    long status_row;         /* at a plan's first row: the first row giving status_rpi, or -1 */
    size_t next;             /* the plan's next row, or (size_t)-1 */
    size_t tail;             /* at a plan's first row: its last row so far */
};
struct rstate {
    struct rrow *rows;
    size_t n;
    struct imp_map by_key, by_plan;
    struct kb_imp_rpi_act *acts; /* one plan's, while it is written */
    size_t done;                 /* rows written, for the progress line */
    int plans_new, plans_set, finished, jp_recognised;
};

/* Activities of a plan read at once: a plan holds at most KB_RPI_PLAN_MAX_ROWS. */
#define RPI_ACTS_CAP 256

static void r_done(void *state)
{
    struct rstate *s = state;
    if (!s)
        return;
    for (size_t i = 0; s->rows && i < s->n; i++)
        free(s->rows[i].key);
    free(s->rows);
    free(s->acts);
    imp_map_free(&s->by_key);
    imp_map_free(&s->by_plan);
    free(s);
}

/* A title as matched: ASCII letters in lower case, runs of spaces as one, none around. */
static void fold_title(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    int space = 0;
    for (; *s && k + 2 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t') {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[k] = '\0';
}

/* Looks s up as a key (imp_key) in a table of {key, value}; NULL when not there. */
static const char *alias(const char *s, const char *const (*table)[2], size_t n)
{
    char key[48];
    imp_key(s, key, sizeof key);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(key, table[i][0]))
            return table[i][1];
    return NULL;
}

static const char *activity_status(const char *s)
{
    static const char *const t[][2] = {
        {"rencana", "rencana"},         {"direncanakan", "rencana"}, {"berjalan", "berjalan"},
        {"sedangberjalan", "berjalan"}, {"selesai", "selesai"},      {"ditunda", "ditunda"},
        {"tunda", "ditunda"},           {"batal", "batal"},          {"dibatalkan", "batal"},
    };
    return alias(s, t, sizeof t / sizeof t[0]);
}

static const char *plan_status(const char *s)
{
    static const char *const t[][2] = {
        {"draf", "draf"},           {"draft", "draf"},    {"diajukan", "diajukan"},
        {"disetujui", "disetujui"}, {"revisi", "revisi"}, {"ditetapkan", "ditetapkan"},
    };
    return alias(s, t, sizeof t / sizeof t[0]);
}

static const char *competency_of(const char *s)
{
    static const char *const t[][2] = {
        {"teknis", "teknis"},
        {"manajerial", "manajerial"},
        {"sosialkultural", "sosial_kultural"},
    };
    return alias(s, t, sizeof t / sizeof t[0]);
}

/* The policy's id of a development form, by id or name in any spelling; NULL when unknown. */
static const char *form_of(const struct kb_policy *p, const char *s)
{
    char key[96], k2[96];
    imp_key(s, key, sizeof key);
    if (!*key)
        return NULL;
    size_t n;
    const struct kb_dev_form *f = kb_policy_forms(p, &n);
    for (size_t i = 0; i < n; i++) {
        imp_key(f[i].id, k2, sizeof k2);
        if (!strcmp(key, k2))
            return f[i].id;
        imp_key(f[i].name, k2, sizeof k2);
        if (!strcmp(key, k2))
            return f[i].id;
    }
    return NULL;
}

/* Where a plan status is on the way to ditetapkan: revisi is a draft sent back. */
static int plan_rank(const char *status)
{
    return !strcmp(status, "ditetapkan")  ? 3
           : !strcmp(status, "disetujui") ? 2
           : !strcmp(status, "diajukan")  ? 1
                                          : 0;
}

static int plan_is_draft(const char *status)
{
    return !strcmp(status, "draf") || !strcmp(status, "revisi");
}

static int plan_is_approved(const char *status)
{
    return !strcmp(status, "disetujui") || !strcmp(status, "ditetapkan");
}

/* berjalan, selesai and ditunda: what happens to an activity of an approved plan. */
static int needs_approved_plan(const char *status)
{
    return status && (!strcmp(status, "berjalan") || !strcmp(status, "selesai") ||
                      !strcmp(status, "ditunda"));
}

static void r_row(struct imp *im, const struct kb_csv_row *r, struct rrow *w, int this_year)
{
    char shown[IMP_SHOW];
    int bad = 0;
    long v;
    w->line = r->line;
    bad |= imp_nip(im, r->line, "nip", imp_get(im, r, R_NIP), IMP_NIP_ANY, w->nip) != 0;
    const char *s = imp_get(im, r, R_TAHUN);
    if (kb_import_int(s, 2000, this_year + 1, &v) != 0) {
        bad = 1;
        imp_error(im, r->line, "tahun", "%s is not a year from 2000 to %d",
                  *s ? imp_show(s, shown) : "empty", this_year + 1);
    } else {
        w->year = (int)v;
    }
    w->title = imp_get(im, r, R_KEGIATAN);
    size_t chars = 0;
    for (const char *p = w->title; *p; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80;
    if (!*w->title) {
        bad = 1;
        imp_error(im, r->line, "kegiatan", "empty: every activity needs a title");
    } else if (imp_text(im, r->line, "kegiatan", w->title, KB_RPI_TITLE_MAX - 1) != 0) {
        bad = 1;
    } else if (chars < RPI_TITLE_MIN || chars > RPI_TITLE_MAX) {
        bad = 1;
        imp_error(im, r->line, "kegiatan", "%zu characters; a title has %d to %d", chars,
                  RPI_TITLE_MIN, RPI_TITLE_MAX);
    }
    s = imp_get(im, r, R_BENTUK);
    if (!(w->form = form_of(im->policy, s))) {
        size_t n, k = 0;
        char list[400] = "";
        const struct kb_dev_form *f = kb_policy_forms(im->policy, &n);
        for (size_t i = 0; i < n && k < sizeof list; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", f[i].id);
        bad = 1;
        imp_error(im, r->line, "bentuk", "unknown form %s (the policy's forms: %s)",
                  *s ? imp_show(s, shown) : "empty", list);
    }
    s = imp_get(im, r, R_KOMPETENSI);
    if (*s && !(w->competency = competency_of(s))) {
        bad = 1;
        imp_error(im, r->line, "kompetensi", "%s is not teknis, manajerial or sosial_kultural",
                  imp_show(s, shown));
    }
    s = imp_get(im, r, R_JP);
    if (kb_import_int(s, 0, RPI_JP_MAX, &v) != 0) {
        bad = 1;
        imp_error(im, r->line, "jp", "%s is not a whole number of JP from 0 to %d",
                  *s ? imp_show(s, shown) : "empty", RPI_JP_MAX);
    } else {
        w->jp = (int)v;
    }
    /* The chat's bounds: from the plan's year to the end of the next one (a postponement). */
    bad |= imp_date(im, r->line, "target_selesai", imp_get(im, r, R_TARGET), 0, w->target) != 0;
    if (w->target[0] && w->year) {
        char first[11], last[11];
        kb_date_make(first, w->year, 1, 1);
        kb_date_make(last, w->year + 1, 12, 31);
        if (strcmp(w->target, first) < 0 || strcmp(w->target, last) > 0) {
            bad = 1;
            imp_error(im, r->line, "target_selesai",
                      "%s is outside the plan's year and the next (%s to %s)", w->target, first,
                      last);
        }
    }
    s = imp_get(im, r, R_STATUS);
    if (*s && !(w->status = activity_status(s))) {
        bad = 1;
        imp_error(im, r->line, "status",
                  "%s is not rencana, berjalan, selesai, ditunda or batal (the status of the "
                  "activity)",
                  imp_show(s, shown));
    }
    bad |= imp_date(im, r->line, "tanggal_selesai", imp_get(im, r, R_TANGGAL), 1, w->done_on) != 0;
    if (w->status && !strcmp(w->status, "selesai") && !w->done_on[0] &&
        !*imp_get(im, r, R_TANGGAL)) {
        bad = 1;
        imp_error(im, r->line, "tanggal_selesai",
                  "empty: a finished activity (status selesai) needs the day it was finished");
    } else if (w->done_on[0] && (!w->status || strcmp(w->status, "selesai") != 0)) {
        bad = 1;
        imp_error(im, r->line, "tanggal_selesai", "%s, but the status is %s, not selesai",
                  w->done_on, w->status ? w->status : "empty");
    } else if (w->done_on[0] && strcmp(w->done_on, im->today) > 0) {
        bad = 1;
        imp_error(im, r->line, "tanggal_selesai", "%s is in the future", w->done_on);
    } else if (w->done_on[0] && w->year && atoi(w->done_on) < w->year) {
        bad = 1;
        imp_error(im, r->line, "tanggal_selesai", "%s is before the plan's year %d", w->done_on,
                  w->year);
    }
    s = imp_get(im, r, R_STATUS_RPI);
    if (*s && !(w->plan_status = plan_status(s))) {
        bad = 1;
        imp_error(im, r->line, "status_rpi",
                  "%s is not draf, diajukan, disetujui, revisi or ditetapkan (the status of the "
                  "plan)",
                  imp_show(s, shown));
    }
    if (w->plan_status && needs_approved_plan(w->status) && !plan_is_approved(w->plan_status)) {
        bad = 1;
        imp_error(im, r->line, "status",
                  "%s, but the plan is %s: an activity is under way, finished or postponed only "
                  "in an approved plan (disetujui or ditetapkan)",
                  w->status, w->plan_status);
    }
    if (w->nip[0] && w->year)
        snprintf(w->plan_key, sizeof w->plan_key, "%s|%d", w->nip, w->year);
    w->bad = bad;
}

static int r_check(struct imp *im, void **state)
{
    *state = NULL;
    if (imp_bind(im, rpi_cols, R_N) != 0)
        return KB_OK;
    struct rstate *s = calloc(1, sizeof *s);
    size_t n = im->csv.nrows;
    if (!s || !(s->rows = calloc(n ? n : 1, sizeof *s->rows)) || imp_map_init(&s->by_key, n) != 0 ||
        imp_map_init(&s->by_plan, n / 4 + 1) != 0) {
        r_done(s);
        return KB_ERR;
    }
    s->n = n;
    int this_year = atoi(im->today);
    char folded[KB_RPI_TITLE_MAX], shown[IMP_SHOW];
    for (size_t i = 0; i < n; i++) {
        struct rrow *w = &s->rows[i];
        w->line = im->csv.rows[i].line;
        w->next = (size_t)-1;
        w->status_row = -1;
        w->plan = i;
        if (im->row_bad[i]) {
            w->bad = 1;
            continue;
        }
        r_row(im, &im->csv.rows[i], w, this_year);
        imp_progress(im, "checking", i + 1, n);
        if (!w->plan_key[0])
            continue;
        size_t first;
        int rc = imp_map_put(&s->by_plan, w->plan_key, i, &first);
        if (rc < 0) {
            r_done(s);
            return KB_ERR;
        }
        if (rc == 0) {
            w->tail = i;
        } else { /* the plan's rows are chained in line order from its first one */
            w->plan = first;
            s->rows[s->rows[first].tail].next = i;
            s->rows[first].tail = i;
        }
        if (w->bad || !*w->title)
            continue;
        fold_title(w->title, folded, sizeof folded);
        size_t len = strlen(w->plan_key) + strlen(folded) + 2;
        if (!(w->key = malloc(len))) {
            r_done(s);
            return KB_ERR;
        }
        snprintf(w->key, len, "%s|%s", w->plan_key, folded);
        rc = imp_map_put(&s->by_key, w->key, i, &first);
        if (rc < 0) {
            r_done(s);
            return KB_ERR;
        }
        if (rc == 1) {
            w->bad = 1;
            imp_error(im, w->line, "kegiatan",
                      "duplicate: the activity %s of NIP %s for %d is on line %d too",
                      imp_show(w->title, shown), w->nip, w->year, s->rows[first].line);
            continue;
        }
        if (w->plan_status) {
            struct rrow *head = &s->rows[w->plan];
            if (head->status_row < 0) {
                head->status_row = (long)i;
            } else if (strcmp(s->rows[head->status_row].plan_status, w->plan_status) != 0) {
                w->bad = 1;
                imp_error(im, w->line, "status_rpi", "%s, but line %d gives %s for the same plan",
                          w->plan_status, s->rows[head->status_row].line,
                          s->rows[head->status_row].plan_status);
            }
        }
    }
    *state = s;
    return KB_OK;
}

/* The activity of the plan titled like w (the first, by id, when several are), or NULL. */
static const struct kb_imp_rpi_act *r_match(const struct rstate *s, int nacts, const struct rrow *w,
                                            int *same_titles)
{
    char a[KB_RPI_TITLE_MAX], b[KB_RPI_TITLE_MAX];
    const struct kb_imp_rpi_act *found = NULL;
    *same_titles = 0;
    fold_title(w->title, a, sizeof a);
    for (int k = 0; k < nacts; k++) {
        fold_title(s->acts[k].title, b, sizeof b);
        if (!strcmp(a, b)) {
            if (!found)
                found = &s->acts[k];
            (*same_titles)++;
        }
    }
    return found;
}

/* What the row makes of activity a (NULL: a new one) into *out; the column of the first
 * difference in what the activity is (bentuk, kompetensi, jp, target_selesai) into *content,
 * NULL when there is none, and whether the status or the day it was finished differ into
 * *progress. */
static void r_wanted(const struct rrow *w, const struct kb_imp_rpi_act *a, int approved,
                     struct kb_imp_rpi_activity *out, const char **content, int *progress)
{
    *out = (struct kb_imp_rpi_activity){.form = w->form,
                                        .title = a ? a->title : w->title,
                                        .competency = w->competency,
                                        .target_date = w->target,
                                        .status = w->status ? w->status : "rencana",
                                        .approval = "disetujui",
                                        .done_on = w->done_on,
                                        .jp = w->jp};
    *content = NULL;
    *progress = 0;
    if (!a)
        return;
    if (!w->competency) /* none given: the one recorded stays */
        out->competency = a->competency;
    if (!w->status)
        out->status = a->status;
    out->approval = a->approval;
    if (strcmp(out->status, "selesai") != 0)
        out->done_on = "";
    /* A postponement in an approved plan moves the target date: progress, not a change. */
    int postponed = approved && !strcmp(out->status, "ditunda");
    if (strcmp(a->form, out->form) != 0)
        *content = "bentuk";
    else if (strcmp(a->competency, out->competency ? out->competency : "") != 0)
        *content = "kompetensi";
    else if (a->jp_planned != out->jp)
        *content = "jp";
    else if (strcmp(a->target_date, out->target_date) != 0 && !postponed)
        *content = "target_selesai";
    *progress = strcmp(a->status, out->status) != 0 || strcmp(a->done_on, out->done_on) != 0 ||
                (postponed && strcmp(a->target_date, out->target_date) != 0);
}

/* The values of column col (as r_wanted names it) in the file and in karirbot, for a message. */
static void content_values(const char *col, const struct kb_imp_rpi_activity *want,
                           const struct kb_imp_rpi_act *a, char file[40], char db[40])
{
    if (!strcmp(col, "jp")) {
        snprintf(file, 40, "%d", want->jp);
        snprintf(db, 40, "%d", a->jp_planned);
        return;
    }
    const char *f = !strcmp(col, "bentuk")       ? want->form
                    : !strcmp(col, "kompetensi") ? want->competency
                                                 : want->target_date;
    const char *d = !strcmp(col, "bentuk")       ? a->form
                    : !strcmp(col, "kompetensi") ? a->competency
                                                 : a->target_date;
    snprintf(file, 40, "%s", f && *f ? f : "none");
    snprintf(db, 40, "%s", *d ? d : "none");
}

/* The rows of one plan (from its first row, head), inside the transaction. */
static int r_plan(struct imp *im, struct rstate *s, size_t head)
{
    struct {
        int64_t id;
        char name[128];
        int active;
    } e;
    const struct rrow *h = &s->rows[head];
    size_t good = 0;
    for (size_t i = head; i != (size_t)-1; i = s->rows[i].next)
        good += !s->rows[i].bad;
    if (!good) /* every row reported already: no plan is made */
        return KB_OK;
    int found = 0;
    int rc = kb_imp_rpi_employee(im->st, h->nip, &e.id, e.name, &e.active, &found);
    if (rc != KB_OK)
        return rc;
    if (!found || !e.active) {
        for (size_t i = head; i != (size_t)-1; i = s->rows[i].next)
            if (!s->rows[i].bad) {
                if (!found)
                    imp_error(im, s->rows[i].line, "nip",
                              "no employee with NIP %s (import the employees first)", h->nip);
                else
                    imp_error(im, s->rows[i].line, "nip", "%s (%s) no longer has access (inactive)",
                              h->nip, e.name);
            }
        return KB_OK;
    }
    const struct rrow *given = h->status_row >= 0 ? &s->rows[h->status_row] : NULL;
    struct kb_rpi_plan plan;
    int have = 0, created = 0, nacts = 0, total = 0;
    rc = kb_rpi_plan_get(im->st, e.id, h->year, &plan, &have);
    if (rc != KB_OK)
        return rc;
    if (!have) {
        snprintf(plan.status, sizeof plan.status, "%s", given ? given->plan_status : "draf");
        rc = kb_imp_rpi_plan_add(im->st, e.id, h->year, plan.status, im->now, &plan.id);
        if (rc != KB_OK)
            return rc;
        created = 1;
        s->plans_new++;
    } else if (given && strcmp(given->plan_status, plan.status) != 0) {
        if (im->force) {
            rc = kb_imp_rpi_plan_set_status(im->st, plan.id, given->plan_status, im->now);
            if (rc != KB_OK)
                return rc;
            snprintf(plan.status, sizeof plan.status, "%s", given->plan_status);
            s->plans_set++;
        } else if (plan_rank(given->plan_status) > plan_rank(plan.status)) {
            imp_error(im, given->line, "status_rpi",
                      "%s, but %s's %d plan is %s in karirbot: the import approves or establishes "
                      "no plan that exists (the supervisor approves it in the chat, `karirbot rpi "
                      "set` establishes it), unless with --force",
                      given->plan_status, e.name, h->year, plan.status);
        } else {
            imp_warning(im, given->line, "status_rpi",
                        "%s, but %s's %d plan is %s in karirbot already: left as it is",
                        given->plan_status, e.name, h->year, plan.status);
        }
    }
    if (!created) {
        rc = kb_imp_rpi_activities(im->st, plan.id, s->acts, RPI_ACTS_CAP, &total);
        if (rc != KB_OK)
            return rc;
        nacts = total < RPI_ACTS_CAP ? total : RPI_ACTS_CAP;
    }
    int draft = created || plan_is_draft(plan.status);
    int approved = plan_is_approved(plan.status);
    char shown[IMP_SHOW];
    for (size_t i = head; i != (size_t)-1; i = s->rows[i].next) {
        struct rrow *w = &s->rows[i];
        if (w->bad)
            continue;
        imp_progress(im, "writing", ++s->done, s->n);
        if (needs_approved_plan(w->status) && !approved) {
            if (!w->plan_status || plan_is_approved(w->plan_status)) /* else check() said so */
                imp_error(im, w->line, "status",
                          "%s, but %s's %d plan is %s: an activity is under way, finished or "
                          "postponed only in an approved plan (disetujui or ditetapkan)",
                          w->status, e.name, h->year, plan.status);
            continue;
        }
        int same = 0;
        const struct kb_imp_rpi_act *a = r_match(s, nacts, w, &same);
        struct kb_imp_rpi_activity want;
        const char *content;
        int progress;
        r_wanted(w, a, approved, &want, &content, &progress);
        if (!a) {
            if (!draft && !im->force) {
                imp_error(im, w->line, "kegiatan",
                          "%s is not in %s's %d plan, which is %s: the import adds activities "
                          "only to a draft plan (draf, revisi); the employee adds it in the chat "
                          "for the supervisor's approval, or import with --force",
                          imp_show(w->title, shown), e.name, h->year, plan.status);
                continue;
            }
            if (total >= KB_RPI_PLAN_MAX_ROWS) {
                imp_error(im, w->line, "kegiatan",
                          "%s's %d plan has %d activities already: at most %d", e.name, h->year,
                          total, KB_RPI_PLAN_MAX_ROWS);
                continue;
            }
            int64_t id;
            rc = kb_imp_rpi_activity_add(im->st, plan.id, &want, im->now, &id);
            if (rc != KB_OK)
                return rc;
            total++;
            im->n_new++;
        } else {
            if (same > 1)
                imp_warning(im, w->line, "kegiatan",
                            "%s's %d plan has %d activities titled %s: the first is imported to",
                            e.name, h->year, same, imp_show(w->title, shown));
            if (!strcmp(a->status, "selesai")) {
                if (content || progress)
                    imp_warning(im, w->line, content ? content : "status",
                                "%s was finished in karirbot (selesai, %s): left as recorded "
                                "there",
                                imp_show(a->title, shown), a->done_on[0] ? a->done_on : "-");
                im->n_unchanged++;
                continue;
            }
            if (!content && !progress) {
                im->n_unchanged++;
                continue;
            }
            if (strcmp(a->approval, "disetujui") != 0 && !im->force) {
                imp_error(im, w->line, "kegiatan",
                          "%s is %s by the supervisor in karirbot: the import changes it only "
                          "with --force",
                          imp_show(a->title, shown),
                          !strcmp(a->approval, "menunggu") ? "waiting for approval" : "rejected");
                continue;
            }
            if (content && !draft && !im->force) {
                char file[40], db[40];
                content_values(content, &want, a, file, db);
                imp_error(im, w->line, content,
                          "%s, but karirbot has %s, and %s's %d plan is %s: the import changes "
                          "what an activity is (bentuk, kompetensi, jp, target_selesai) only in a "
                          "draft plan (draf, revisi), or with --force",
                          file, db, e.name, h->year, plan.status);
                continue;
            }
            want.approval = "disetujui";
            rc = kb_imp_rpi_activity_update(im->st, a->id, &want, im->now);
            if (rc != KB_OK)
                return rc;
            im->n_changed++;
        }
        if (!strcmp(want.status, "selesai")) {
            s->finished++;
            s->jp_recognised += want.jp;
        }
    }
    return KB_OK;
}

static int r_apply(struct imp *im, void *state)
{
    struct rstate *s = state;
    if (!s->acts && !(s->acts = malloc(RPI_ACTS_CAP * sizeof *s->acts)))
        return KB_ERR;
    for (size_t i = 0; i < s->n; i++) {
        if (!s->rows[i].plan_key[0] || s->rows[i].plan != i)
            continue; /* not a plan's first row */
        int rc = r_plan(im, s, i);
        if (rc != KB_OK)
            return rc;
    }
    if (s->plans_new)
        imp_note(im, "plans: %d new", s->plans_new);
    if (s->plans_set)
        imp_note(im, "plans: %d given the file's status (--force)", s->plans_set);
    if (s->finished)
        imp_note(im, "%d activit%s recorded as finished: %d JP recognised", s->finished,
                 s->finished == 1 ? "y" : "ies", s->jp_recognised);
    return KB_OK;
}

const struct imp_kind imp_kind_rpi = {"rpi", "RPI activities", r_check, r_apply, r_done};
