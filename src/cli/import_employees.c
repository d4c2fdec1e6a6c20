/* import_employees: `karirbot import employees FILE` — the employees, their units and their
 * supervisors, and who keeps access.
 *
 * A row is matched by NIP and written only when a column differs; a linked employee stays
 * linked. Optional columns missing from the header leave what is stored; an empty value in a
 * column that is there clears it. Units are found by kode_unit when given, else by name, and
 * made when new (their zone from the first row of theirs with a zona_waktu). An employee's
 * zone is stored only when it differs from the unit's.
 *
 * Supervisors are resolved after every row is written, so a supervisor may come after the
 * employee, or be in the database already; a loop of supervisors, a supervisor who is nobody
 * or who loses access in the same import are errors. When a supervisor changes, the requests
 * that waited for the former one (every kind a supervisor decides) go to the new one.
 *
 * Access: a row with status_aktif nonaktif, or (with --deactivate-missing) an active employee
 * the file does not name, loses access: unlinked from Telegram, unused codes revoked, marked
 * inactive; the records stay. A row that names an inactive employee as aktif (or without the
 * column) makes them active again; they need a new code to link. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "karirbot/import_store.h"
#include "karirbot/policy.h"
#include "karirbot/store.h"

enum {
    C_NIP,
    C_NAMA,
    C_JENIS_ASN,
    C_GOLONGAN,
    C_TMT,
    C_PENDIDIKAN,
    C_JABATAN,
    C_JENIS_JABATAN,
    C_UNIT,
    C_NIP_ATASAN,
    C_ZONA,
    C_PRED_1,
    C_PRED_2,
    /* optional */
    C_JK,
    C_TGL_LAHIR,
    C_BUP,
    C_JENJANG,
    C_AK,
    C_STLUD,
    C_STATUS,
    C_KODE_UNIT,
    C_N
};

static const struct imp_col cols[C_N] = {
    {"nip", 1},
    {"nama", 1},
    {"jenis_asn", 1},
    {"golongan_ruang", 1},
    {"tmt_pangkat", 1},
    {"pendidikan", 1},
    {"jabatan", 1},
    {"jenis_jabatan", 1},
    {"unit_kerja", 1},
    {"nip_atasan", 1},
    {"zona_waktu", 1},
    {"predikat_kinerja_tahun_lalu", 1},
    {"predikat_kinerja_dua_tahun_lalu", 1},
    {"jenis_kelamin", 0},
    {"tanggal_lahir", 0},
    {"bup", 0},
    {"jenjang_jf", 0},
    {"angka_kredit_kumulatif", 0},
    {"stlud", 0},
    {"status_aktif", 0},
    {"kode_unit", 0},
};

#define TEXT_MAX 127 /* bytes of a name, position or unit (what the flows show) */
#define AK_MAX   100000
#define BUP_MIN  40
#define BUP_MAX  80

/* More than this share of the active employees lost at once needs --force. */
#define DEACTIVATE_SHARE 10 /* percent */
#define DEACTIVATE_FEW   10 /* ... unless they are this few */

struct unit {
    const char *name; /* as in the file */
    const char *code; /* the first kode_unit given for it, or NULL */
    int code_line;
    char zone[8]; /* the first zona_waktu of its rows, or "" */
    int line;     /* its first row */
    int64_t id;
    char db_zone[8];
};

struct row {
    int line;
    int bad;
    char nip[IMP_NIP_LEN + 1];
    char sup[IMP_NIP_LEN + 1]; /* "" when none */
    const char *name, *position, *asn, *pos_kind, *educ, *perf1, *perf2, *jf_level;
    char grade[8], tmt[11], birth[11], zone[8], gender[2];
    int part_time, stlud, bup, active, has_ak;
    double ak;
    int unit;   /* index into units, -1 when none */
    int64_t id; /* its id in the database: known before writing when it is there */
    char state; /* 'n' new, 'c' changed, 'u' unchanged */
};

struct emp {
    struct row *rows;
    size_t n;
    size_t *order; /* the order rows are written in: supervisors first */
    struct unit *units;
    size_t nunits;
    struct imp_map by_nip, by_unit, by_code;
};

/* ---- one row -------------------------------------------------------------------------------- */

static void parse_asn(struct imp *im, const struct kb_csv_row *r, struct row *w)
{
    char key[32], shown[IMP_SHOW];
    const char *s = imp_get(im, r, C_JENIS_ASN);
    imp_key(s, key, sizeof key);
    w->part_time = 0;
    if (!strcmp(key, "pns"))
        w->asn = "PNS";
    else if (!strcmp(key, "cpns"))
        w->asn = "CPNS";
    else if (!strcmp(key, "pppk"))
        w->asn = "PPPK";
    else if (!strcmp(key, "pppkparuhwaktu") || !strcmp(key, "pppkpw"))
        w->asn = "PPPK", w->part_time = 1;
    else {
        w->asn = NULL;
        w->bad = 1;
        imp_error(im, r->line, "jenis_asn", "%s is not PNS, CPNS, PPPK or PPPK paruh waktu",
                  *s ? imp_show(s, shown) : "empty");
    }
}

static void parse_grade(struct imp *im, const struct kb_csv_row *r, struct row *w)
{
    char shown[IMP_SHOW];
    const char *s = imp_get(im, r, C_GOLONGAN);
    if (!w->asn)
        return;
    int pppk = !strcmp(w->asn, "PPPK");
    if (kb_import_grade(im->policy, pppk, s, w->grade) == 0)
        return;
    w->bad = 1;
    if (!*s) {
        imp_error(im, r->line, "golongan_ruang", "empty: every row needs one");
    } else if (pppk) {
        imp_error(im, r->line, "golongan_ruang", "unknown golongan %s for PPPK (I to XVII)",
                  imp_show(s, shown));
    } else {
        size_t n;
        const struct kb_rank *ranks = kb_policy_ranks(im->policy, &n);
        imp_error(im, r->line, "golongan_ruang", "unknown rank %s for a %s (%s to %s)",
                  imp_show(s, shown), w->asn, n ? ranks[0].code : "?", n ? ranks[n - 1].code : "?");
    }
}

static void parse_education(struct imp *im, const struct kb_csv_row *r, struct row *w)
{
    const char *s = imp_get(im, r, C_PENDIDIKAN);
    w->educ = NULL;
    if (!*s || (w->educ = kb_import_education(im->policy, s)))
        return;
    char list[400] = "", shown[IMP_SHOW];
    const struct kb_kp_rule *rule = kb_policy_kp_rule(im->policy, KB_KP_REGULER);
    size_t k = 0;
    for (size_t i = 0; rule && i < rule->nceilings && k < sizeof list; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "",
                              rule->ceilings[i].name);
    w->bad = 1;
    imp_error(im, r->line, "pendidikan", "unknown level %s (the policy's levels: %s)",
              imp_show(s, shown), list);
}

static void parse_perf(struct imp *im, const struct kb_csv_row *r, int c, const char **out,
                       int *bad)
{
    const char *s = imp_get(im, r, c);
    *out = NULL;
    if (!*s || (*out = kb_import_perf(im->policy, s)))
        return;
    char list[300] = "", shown[IMP_SHOW];
    size_t n, k = 0;
    const struct kb_perf_label *l = kb_policy_perf_labels(im->policy, &n);
    for (size_t i = 0; i < n && k < sizeof list; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", l[i].name);
    *bad = 1;
    imp_error(im, r->line, cols[c].name, "unknown predikat %s (%s)", imp_show(s, shown), list);
}

static void parse_optional(struct imp *im, const struct kb_csv_row *r, struct row *w)
{
    char key[32], shown[IMP_SHOW];
    const char *s;

    s = imp_get(im, r, C_JK);
    imp_key(s, key, sizeof key);
    static const char *const male[] = {"l", "lakilaki", "pria", NULL}, *const female[] = {
                                                                           "p", "perempuan",
                                                                           "wanita", NULL};
    w->gender[0] = '\0';
    if (imp_one_of(key, male))
        strcpy(w->gender, "L");
    else if (imp_one_of(key, female))
        strcpy(w->gender, "P");
    else if (*s) {
        w->bad = 1;
        imp_error(im, r->line, "jenis_kelamin", "%s is neither L nor P", imp_show(s, shown));
    }
    /* The NIP's 15th digit says the same (1 man, 2 woman); the salutation follows the NIP. */
    if (w->gender[0] && w->asn && strcmp(w->asn, "PPPK") != 0 && w->nip[0] &&
        w->nip[14] != (w->gender[0] == 'L' ? '1' : '2'))
        imp_warning(im, r->line, "jenis_kelamin", "%s, but the NIP's 15th digit is %c", w->gender,
                    w->nip[14]);

    if (imp_date(im, r->line, "tanggal_lahir", imp_get(im, r, C_TGL_LAHIR), 1, w->birth) != 0)
        w->bad = 1;
    else if (w->birth[0] && strcmp(w->birth, im->today) > 0) {
        w->bad = 1;
        imp_error(im, r->line, "tanggal_lahir", "%s is in the future", w->birth);
    } else if (w->birth[0] && w->asn && strcmp(w->asn, "PPPK") != 0 && w->nip[0] &&
               (memcmp(w->birth, w->nip, 4) || memcmp(w->birth + 5, w->nip + 4, 2) ||
                memcmp(w->birth + 8, w->nip + 6, 2)))
        imp_warning(im, r->line, "tanggal_lahir", "%s, but the NIP begins with %.8s", w->birth,
                    w->nip);

    long v;
    s = imp_get(im, r, C_BUP);
    w->bup = 0;
    if (*s && kb_import_int(s, BUP_MIN, BUP_MAX, &v) != 0) {
        w->bad = 1;
        imp_error(im, r->line, "bup", "%s is not a retirement age in years (%d to %d)",
                  imp_show(s, shown), BUP_MIN, BUP_MAX);
    } else if (*s) {
        w->bup = (int)v;
    }

    static const struct {
        const char *key, *id;
    } levels[] = {
        {"pemula", "pemula"},        {"terampil", "terampil"},        {"mahir", "mahir"},
        {"penyelia", "penyelia"},    {"ahlipertama", "ahli_pertama"}, {"ahlimuda", "ahli_muda"},
        {"ahlimadya", "ahli_madya"}, {"ahliutama", "ahli_utama"}};
    s = imp_get(im, r, C_JENJANG);
    imp_key(s, key, sizeof key);
    w->jf_level = NULL;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (!strcmp(key, levels[i].key))
            w->jf_level = levels[i].id;
    if (*s && !w->jf_level) {
        w->bad = 1;
        imp_error(im, r->line, "jenjang_jf",
                  "unknown jenjang %s (Pemula, Terampil, Mahir, Penyelia, Ahli Pertama, Ahli "
                  "Muda, Ahli Madya, Ahli Utama)",
                  imp_show(s, shown));
    }

    s = imp_get(im, r, C_AK);
    w->has_ak = 0;
    if (*s && (kb_import_decimal(s, &w->ak) != 0 || w->ak > AK_MAX)) {
        w->bad = 1;
        imp_error(im, r->line, "angka_kredit_kumulatif",
                  "%s is not a number of credit points (e.g. 125,5)", imp_show(s, shown));
    } else if (*s) {
        w->has_ak = 1;
    }

    static const char *const yes[] = {"ya", "y", "sudah", "lulus", "1", NULL},
                             *const no[] = {"tidak", "t", "belum", "belumlulus", "0", NULL};
    s = imp_get(im, r, C_STLUD);
    imp_key(s, key, sizeof key);
    w->stlud = imp_one_of(key, yes) ? 1 : imp_one_of(key, no) ? 0 : -1;
    if (*s && w->stlud < 0) {
        w->bad = 1;
        imp_error(im, r->line, "stlud", "%s is neither ya nor tidak", imp_show(s, shown));
    }

    static const char *const on[] = {"aktif", NULL}, *const off[] = {"nonaktif", "tidakaktif",
                                                                     NULL};
    s = imp_get(im, r, C_STATUS);
    imp_key(s, key, sizeof key);
    w->active = !*s || imp_one_of(key, on) ? 1 : imp_one_of(key, off) ? 0 : -1;
    if (w->active < 0) {
        w->bad = 1;
        w->active = 1;
        imp_error(im, r->line, "status_aktif", "%s is neither aktif nor nonaktif",
                  imp_show(s, shown));
    }
}

static void parse_row(struct imp *im, const struct kb_csv_row *r, struct row *w)
{
    char shown[IMP_SHOW];
    memset(w, 0, sizeof *w);
    w->line = r->line;
    w->unit = -1;
    parse_asn(im, r, w);
    int pppk = w->asn && !strcmp(w->asn, "PPPK");
    /* An unknown kind is checked as the laxer NI PPPK, so that only the kind is reported. */
    if (imp_nip(im, r->line, "nip", imp_get(im, r, C_NIP),
                !w->asn ? IMP_NIP_ANY
                : pppk  ? IMP_NI_PPPK
                        : IMP_NIP,
                w->nip) != 0)
        w->bad = 1;
    w->name = imp_get(im, r, C_NAMA);
    if (!*w->name) {
        w->bad = 1;
        imp_error(im, r->line, "nama", "empty: every row needs one");
    } else if (imp_text(im, r->line, "nama", w->name, TEXT_MAX) != 0) {
        w->bad = 1;
    }
    parse_grade(im, r, w);
    if (imp_date(im, r->line, "tmt_pangkat", imp_get(im, r, C_TMT), 1, w->tmt) != 0)
        w->bad = 1;
    parse_education(im, r, w);
    w->position = imp_get(im, r, C_JABATAN);
    if (imp_text(im, r->line, "jabatan", w->position, TEXT_MAX) != 0)
        w->bad = 1;
    const char *s = imp_get(im, r, C_JENIS_JABATAN);
    w->pos_kind = *s ? kb_import_position_kind(s) : NULL;
    if (*s && !w->pos_kind) {
        w->bad = 1;
        imp_error(im, r->line, "jenis_jabatan", "%s is not pelaksana, fungsional or struktural",
                  imp_show(s, shown));
    }
    s = imp_get(im, r, C_NIP_ATASAN);
    if (*s && imp_nip(im, r->line, "nip_atasan", s, IMP_NIP_ANY, w->sup) != 0)
        w->bad = 1;
    else if (w->sup[0] && !strcmp(w->sup, w->nip)) {
        w->bad = 1;
        w->sup[0] = '\0'; /* not a loop besides */
        imp_error(im, r->line, "nip_atasan", "the employee's own NIP");
    }
    s = imp_get(im, r, C_ZONA);
    char key[16];
    imp_key(s, key, sizeof key);
    if (!strcmp(key, "wib") || !strcmp(key, "wita") || !strcmp(key, "wit")) {
        for (size_t i = 0; key[i]; i++)
            w->zone[i] = (char)toupper((unsigned char)key[i]);
    } else if (*s) {
        w->bad = 1;
        imp_error(im, r->line, "zona_waktu", "%s is not WIB, WITA or WIT", imp_show(s, shown));
    }
    parse_perf(im, r, C_PRED_1, &w->perf1, &w->bad);
    parse_perf(im, r, C_PRED_2, &w->perf2, &w->bad);
    parse_optional(im, r, w);
}

/* ---- the file: units, duplicates, loops ----------------------------------------------------- */

/* Adds the row's unit to the file's units (found by name), checking kode_unit. */
static int note_unit(struct imp *im, struct emp *e, const struct kb_csv_row *r, struct row *w)
{
    char shown[IMP_SHOW];
    const char *name = imp_get(im, r, C_UNIT), *code = imp_get(im, r, C_KODE_UNIT);
    if (imp_text(im, r->line, "unit_kerja", name, TEXT_MAX) != 0 ||
        imp_text(im, r->line, "kode_unit", code, KB_IMP_UNIT_CODE_MAX) != 0) {
        w->bad = 1;
        return 0;
    }
    if (!*name) {
        if (*code) {
            w->bad = 1;
            imp_error(im, r->line, "kode_unit", "a code without a unit_kerja");
        }
        return 0;
    }
    size_t u;
    int rc = imp_map_put(&e->by_unit, name, e->nunits, &u);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        u = e->nunits++;
        e->units[u] = (struct unit){.name = name, .line = r->line};
    }
    struct unit *un = &e->units[u];
    w->unit = (int)u;
    if (!un->zone[0] && w->zone[0])
        snprintf(un->zone, sizeof un->zone, "%s", w->zone);
    if (!*code)
        return 0;
    if (un->code && strcmp(un->code, code) != 0) {
        w->bad = 1;
        imp_error(im, r->line, "kode_unit", "%s, but line %d gives unit %s the code %s",
                  imp_show(code, shown), un->code_line, imp_show(name, shown), un->code);
        return 0;
    }
    size_t other;
    rc = imp_map_put(&e->by_code, code, u, &other);
    if (rc < 0)
        return -1;
    if (rc == 1 && other != u) {
        w->bad = 1;
        imp_error(im, r->line, "kode_unit", "%s is the code of %s on line %d",
                  imp_show(code, shown), e->units[other].name, e->units[other].code_line);
        return 0;
    }
    if (!un->code) {
        un->code = code;
        un->code_line = r->line;
    }
    return 0;
}

/* The index of the row of the supervisor of row i in the file, or -1. */
static long sup_in_file(const struct emp *e, size_t i)
{
    size_t j;
    if (!e->rows[i].sup[0] || !imp_map_get(&e->by_nip, e->rows[i].sup, &j))
        return -1;
    return (long)j;
}

/* Reports each loop of supervisors within the file once, on the row where it closes. */
static int find_loops(struct imp *im, struct emp *e)
{
    unsigned char *color = calloc(e->n ? e->n : 1, 1); /* 0 new, 1 on the path, 2 done */
    size_t *path = malloc((e->n ? e->n : 1) * sizeof *path);
    if (!color || !path) {
        free(color);
        free(path);
        return -1;
    }
    for (size_t i = 0; i < e->n; i++) {
        size_t np = 0;
        long j = (long)i;
        while (j >= 0 && color[j] == 0) {
            color[j] = 1;
            path[np++] = (size_t)j;
            long next = sup_in_file(e, (size_t)j);
            if (next >= 0 && color[next] == 1) {
                char chain[200];
                size_t k = 0, from = 0;
                while (path[from] != (size_t)next)
                    from++;
                for (size_t p = from; p < np && k < sizeof chain - 40; p++)
                    k += (size_t)snprintf(chain + k, sizeof chain - k, "%s -> ",
                                          e->rows[path[p]].nip);
                snprintf(chain + k, sizeof chain - k, "%s", e->rows[next].nip);
                e->rows[next].bad = 1;
                imp_error(im, e->rows[next].line, "nip_atasan", "supervisors form a loop: %s",
                          chain);
                break;
            }
            j = next;
        }
        for (size_t p = 0; p < np; p++)
            color[path[p]] = 2;
    }
    free(color);
    free(path);
    return 0;
}

/* e->order: every row after the row of its supervisor in the file, so that a supervisor is
 * written (and has an id) before their staff. Rows in a loop (reported) come in any order. */
static int order_rows(struct emp *e)
{
    unsigned char *placed = calloc(e->n ? e->n : 1, 1); /* 0 no, 1 on the path, 2 placed */
    size_t *path = malloc((e->n ? e->n : 1) * sizeof *path), k = 0;
    e->order = malloc((e->n ? e->n : 1) * sizeof *e->order);
    if (!placed || !path || !e->order) {
        free(placed);
        free(path);
        return -1;
    }
    for (size_t i = 0; i < e->n; i++) {
        size_t np = 0;
        for (long j = (long)i; j >= 0 && placed[j] == 0; j = sup_in_file(e, (size_t)j)) {
            placed[j] = 1;
            path[np++] = (size_t)j;
        }
        while (np > 0) { /* the supervisor first */
            size_t j = path[--np];
            placed[j] = 2;
            e->order[k++] = j;
        }
    }
    free(placed);
    free(path);
    return 0;
}

static void emp_done(void *state)
{
    struct emp *e = state;
    if (!e)
        return;
    free(e->rows);
    free(e->order);
    free(e->units);
    imp_map_free(&e->by_nip);
    imp_map_free(&e->by_unit);
    imp_map_free(&e->by_code);
    free(e);
}

static int emp_check(struct imp *im, void **state)
{
    *state = NULL;
    if (imp_bind(im, cols, C_N) != 0)
        return KB_OK;
    struct emp *e = calloc(1, sizeof *e);
    size_t n = im->csv.nrows;
    if (!e || !(e->rows = calloc(n ? n : 1, sizeof *e->rows)) ||
        !(e->units = calloc(n ? n : 1, sizeof *e->units)) || imp_map_init(&e->by_nip, n) != 0 ||
        imp_map_init(&e->by_unit, 64) != 0 || imp_map_init(&e->by_code, 64) != 0) {
        emp_done(e);
        return KB_ERR;
    }
    e->n = n;
    for (size_t i = 0; i < n; i++) {
        const struct kb_csv_row *r = &im->csv.rows[i];
        struct row *w = &e->rows[i];
        if (im->row_bad[i]) {
            w->line = r->line;
            w->bad = 1;
            w->unit = -1;
            continue;
        }
        parse_row(im, r, w);
        if (note_unit(im, e, r, w) != 0) {
            emp_done(e);
            return KB_ERR;
        }
        size_t first;
        int rc = w->nip[0] ? imp_map_put(&e->by_nip, w->nip, i, &first) : 0;
        if (rc < 0) {
            emp_done(e);
            return KB_ERR;
        }
        if (rc == 1) {
            w->bad = 1;
            w->nip[0] = '\0'; /* the first row keeps the NIP */
            imp_error(im, r->line, "nip", "duplicate: NIP %s is on line %d too", e->rows[first].nip,
                      e->rows[first].line);
        }
        imp_progress(im, "checking", i + 1, n);
    }
    if (find_loops(im, e) != 0 || order_rows(e) != 0) {
        emp_done(e);
        return KB_ERR;
    }
    /* A supervisor in the file must keep access. */
    for (size_t i = 0; i < n; i++) {
        long j = sup_in_file(e, i);
        if (j >= 0 && e->rows[i].active && !e->rows[j].active) {
            e->rows[i].bad = 1;
            imp_error(im, e->rows[i].line, "nip_atasan",
                      "supervisor %s is marked nonaktif on line %d", e->rows[i].sup,
                      e->rows[j].line);
        }
    }
    *state = e;
    return KB_OK;
}

/* ---- writing -------------------------------------------------------------------------------- */

static int apply_units(struct imp *im, struct emp *e, int *created, int *renamed)
{
    char shown[IMP_SHOW];
    *created = *renamed = 0;
    for (size_t i = 0; i < e->nunits; i++) {
        struct unit *u = &e->units[i];
        struct kb_imp_unit db, other;
        int found = 0, found2 = 0, rc = KB_OK;
        if (u->code)
            rc = kb_imp_unit_by_code(im->st, u->code, &db, &found);
        if (rc == KB_OK && found && strcmp(db.name, u->name) != 0) {
            /* The unit with this code has a new name. */
            rc = kb_imp_unit_by_name(im->st, u->name, &other, &found2);
            if (rc == KB_OK && found2) {
                imp_error(im, u->code_line, "unit_kerja",
                          "%s is the name of another unit (code %s) in the database",
                          imp_show(u->name, shown), other.code[0] ? other.code : "none");
                continue;
            }
            if (rc == KB_OK)
                rc = kb_imp_unit_update(im->st, db.id, u->name, NULL);
            (*renamed)++;
        } else if (rc == KB_OK && !found) {
            rc = kb_imp_unit_by_name(im->st, u->name, &db, &found);
            if (rc == KB_OK && found && u->code && db.code[0]) {
                imp_error(im, u->code_line, "kode_unit",
                          "%s, but unit %s has the code %s in the database",
                          imp_show(u->code, shown), u->name, db.code);
                continue;
            }
            if (rc == KB_OK && found && u->code)
                rc = kb_imp_unit_update(im->st, db.id, db.name, u->code);
        }
        if (rc == KB_OK && !found) {
            rc = kb_imp_unit_add(im->st, u->name, u->code, u->zone, &db.id);
            snprintf(db.zone, sizeof db.zone, "%s", u->zone[0] ? u->zone : "WIB");
            (*created)++;
        }
        if (rc != KB_OK)
            return rc;
        u->id = db.id;
        snprintf(u->db_zone, sizeof u->db_zone, "%s", db.zone);
    }
    return KB_OK;
}

static const char *opt_text(const struct imp *im, int c, const char *v, const char *stored)
{
    return imp_has(im, c) ? v : stored;
}

/* The supervisor row i names: *target the id (0 for none). *skip 1 when the row cannot be
 * written: its supervisor is nobody or has no access (reported here), or its supervisor's
 * own row is bad (reported there). Rows are written supervisors first (e->order), so a
 * supervisor from the file has its id by now. */
static int resolve_supervisor(struct imp *im, struct emp *e, size_t i, int64_t *target, int *skip)
{
    static struct kb_imp_employee_row s; /* large: one, not one per call on the stack */
    struct row *w = &e->rows[i];
    *target = 0;
    *skip = 0;
    if (!w->sup[0])
        return KB_OK;
    long j = sup_in_file(e, i);
    if (j >= 0) {
        *target = e->rows[j].id;
        *skip = e->rows[j].bad || !*target;
        return KB_OK;
    }
    int found = 0;
    int rc = kb_imp_employee_get(im->st, w->sup, &s, &found);
    if (rc != KB_OK)
        return rc;
    *skip = 1;
    if (!found)
        imp_error(im, w->line, "nip_atasan",
                  "unknown supervisor %s: in neither this file nor the database", w->sup);
    else if (!s.active)
        imp_error(im, w->line, "nip_atasan", "supervisor %s (%s) no longer has access (inactive)",
                  w->sup, s.name);
    else if (im->deactivate_missing)
        imp_error(im, w->line, "nip_atasan",
                  "supervisor %s (%s) is not in this file, and --deactivate-missing removes "
                  "the access of everyone who is not",
                  w->sup, s.name);
    else
        *skip = 0;
    if (!*skip)
        *target = s.id;
    return KB_OK;
}

struct tally {
    int lost, unlinked, back;
    long rerouted;
};

/* Writes row i when it differs from what is stored; sets w->id and w->state. When the
 * supervisor changes, the requests waiting for the former one follow. */
static int apply_row(struct imp *im, struct emp *e, size_t i, struct tally *t)
{
    static struct kb_imp_employee_row old;
    struct row *w = &e->rows[i];
    const struct unit *u = w->unit >= 0 ? &e->units[w->unit] : NULL;
    int64_t sup = 0;
    int skip = 0, found = 0;
    int rc = u && !u->id ? KB_OK : resolve_supervisor(im, e, i, &sup, &skip);
    if (rc != KB_OK)
        return rc;
    if ((u && !u->id) || skip) {
        w->bad = 1; /* reported, here or at its unit or supervisor; its staff are skipped */
        return KB_OK;
    }
    if (w->id)
        rc = kb_imp_employee_by_id(im->st, w->id, &old, &found);
    if (rc != KB_OK)
        return rc;
    if (!found) {
        memset(&old, 0, sizeof old);
        old.stlud = -1;
    }
    struct kb_imp_employee v = {
        .nip = w->nip,
        .name = w->name,
        .asn_kind = w->asn,
        .part_time = w->part_time,
        .grade = w->grade,
        .tmt_grade = w->tmt,
        .education = w->educ,
        .position = w->position,
        .position_kind = w->pos_kind,
        .unit_id = u ? u->id : 0,
        .zone = w->zone[0] && !(u && !strcmp(u->db_zone, w->zone)) ? w->zone : NULL,
        .perf_last = w->perf1,
        .perf_prev = w->perf2,
        .gender = opt_text(im, C_JK, w->gender, old.gender),
        .birth_date = opt_text(im, C_TGL_LAHIR, w->birth, old.birth_date),
        .jf_level = opt_text(im, C_JENJANG, w->jf_level, old.jf_level),
        .has_credit_points = imp_has(im, C_AK) ? w->has_ak : old.has_credit_points,
        .credit_points = imp_has(im, C_AK) ? w->ak : old.credit_points,
        .stlud = imp_has(im, C_STLUD) ? w->stlud : old.stlud,
        .retirement_age = imp_has(im, C_BUP) ? w->bup : old.retirement_age,
        .active = w->active,
        .supervisor_id = sup,
    };
    if (!found) {
        w->state = 'n';
        return kb_imp_employee_insert(im->st, &v, im->now, &w->id);
    }
    w->id = old.id;
    w->state = kb_imp_employee_same(&old, &v) ? 'u' : 'c';
    if (w->state == 'c')
        rc = kb_imp_employee_update(im->st, old.id, &v, im->now);
    if (rc == KB_OK && old.active && !w->active) {
        int ul = 0;
        rc = kb_imp_employee_remove_access(im->st, old.id, im->now, &ul);
        t->lost++;
        t->unlinked += ul;
    } else if (!old.active && w->active) {
        t->back++;
    }
    if (rc == KB_OK && old.supervisor_id && sup && old.supervisor_id != sup) {
        int moved = 0;
        rc = kb_imp_approvals_reroute(im->st, old.id, old.supervisor_id, sup, &moved);
        t->rerouted += moved;
    } else if (rc == KB_OK && old.supervisor_id && !sup) {
        int waiting = 0;
        rc = kb_imp_approvals_waiting(im->st, old.id, old.supervisor_id, &waiting);
        if (rc == KB_OK && waiting)
            imp_warning(im, w->line, "nip_atasan",
                        "empty now: %d request%s still wait%s for the former supervisor", waiting,
                        waiting == 1 ? "" : "s", waiting == 1 ? "s" : "");
    }
    return rc;
}

/* --deactivate-missing: every active employee the file does not name loses access. */
static int deactivate_missing(struct imp *im, struct emp *e, long *lost, long *unlinked)
{
    int64_t ids[KB_IMP_PAGE_MAX], after = 0, active = 0;
    char nips[KB_IMP_PAGE_MAX][24];
    int64_t *gone = NULL;
    size_t ngone = 0, cap = 0;
    int n, rc = kb_imp_active_count(im->st, &active);
    while (rc == KB_OK &&
           (rc = kb_imp_active_page(im->st, after, ids, nips, KB_IMP_PAGE_MAX, &n)) == KB_OK &&
           n > 0) {
        for (int k = 0; k < n; k++) {
            size_t row;
            if (imp_map_get(&e->by_nip, nips[k], &row))
                continue;
            if (ngone == cap) {
                cap = cap ? cap * 2 : 256;
                int64_t *g = realloc(gone, cap * sizeof *g);
                if (!g) {
                    free(gone);
                    return KB_ERR;
                }
                gone = g;
            }
            gone[ngone++] = ids[k];
        }
        after = ids[n - 1];
    }
    if (rc == KB_OK && ngone > DEACTIVATE_FEW && (int64_t)ngone * 100 > active * DEACTIVATE_SHARE &&
        !im->force) {
        imp_error(im, 0, NULL,
                  "--deactivate-missing would remove the access of %zu of the %lld active "
                  "employees (more than %d%%): is this the whole organisation? Check the file, "
                  "or add --force",
                  ngone, (long long)active, DEACTIVATE_SHARE);
        free(gone);
        return KB_OK;
    }
    for (size_t k = 0; rc == KB_OK && k < ngone; k++) {
        int ul = 0;
        rc = kb_imp_employee_remove_access(im->st, gone[k], im->now, &ul);
        *unlinked += ul;
    }
    *lost = rc == KB_OK ? (long)ngone : 0;
    free(gone);
    return rc;
}

/* Finds which rows of the file are in the database: one pass over the employees' NIPs
 * instead of one lookup per row. */
static int match_stored(struct imp *im, struct emp *e)
{
    int64_t ids[KB_IMP_PAGE_MAX], after = 0;
    static char nips[KB_IMP_PAGE_MAX][24];
    int n, rc;
    while ((rc = kb_imp_employee_page(im->st, after, ids, nips, KB_IMP_PAGE_MAX, &n)) == KB_OK &&
           n > 0) {
        for (int k = 0; k < n; k++) {
            size_t row;
            if (imp_map_get(&e->by_nip, nips[k], &row))
                e->rows[row].id = ids[k];
        }
        after = ids[n - 1];
    }
    return rc;
}

static int emp_apply(struct imp *im, void *state)
{
    struct emp *e = state;
    struct tally t = {0};
    int created = 0, renamed = 0;
    long lost_missing = 0, unlinked_missing = 0;
    int rc = match_stored(im, e);
    if (rc == KB_OK)
        rc = apply_units(im, e, &created, &renamed);
    for (size_t k = 0; rc == KB_OK && k < e->n; k++) {
        struct row *w = &e->rows[e->order[k]];
        if (w->bad)
            continue;
        rc = apply_row(im, e, e->order[k], &t);
        if (w->state == 'n')
            im->n_new++;
        else if (w->state == 'c')
            im->n_changed++;
        else if (w->state == 'u')
            im->n_unchanged++;
        imp_progress(im, "writing", k + 1, e->n);
    }
    if (rc == KB_OK && im->deactivate_missing && !im->errors)
        rc = deactivate_missing(im, e, &lost_missing, &unlinked_missing);
    int64_t stuck = 0;
    if (rc == KB_OK)
        rc = kb_imp_approvals_waiting_on_inactive(im->st, &stuck);
    if (rc != KB_OK)
        return rc;
    if (created || renamed)
        imp_note(im, "units: %d created, %d renamed", created, renamed);
    if (t.rerouted)
        imp_note(im, "%ld pending approval%s re-routed to the new supervisor", t.rerouted,
                 t.rerouted == 1 ? "" : "s");
    if (t.lost || lost_missing)
        imp_note(im,
                 "%ld employee%s lost access (%ld not in the file, %d marked nonaktif); %ld of "
                 "them had a linked Telegram account, now unlinked",
                 t.lost + lost_missing, t.lost + lost_missing == 1 ? "" : "s", lost_missing, t.lost,
                 t.unlinked + unlinked_missing);
    if (t.back)
        imp_note(im, "%d inactive employee%s active again (they need a new code: karirbot invite)",
                 t.back, t.back == 1 ? " is" : "s are");
    if (stuck)
        imp_note(im,
                 "%lld request%s wait for an approver who no longer has access: give them a new "
                 "supervisor in the file",
                 (long long)stuck, stuck == 1 ? "" : "s");
    return KB_OK;
}

const struct imp_kind imp_kind_employees = {"employees", "employees", emp_check, emp_apply,
                                            emp_done};
