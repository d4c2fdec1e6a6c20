/* import: `karirbot import employees|trainings|mentors|promotions|rpi FILE [--dry-run]` — HR's
 * spreadsheets into the database, as one transaction: every row or none.
 *
 * The file is read whole and parsed (import_csv.c), then checked row by row without the
 * database (each kind's check(): formats, NIPs, ranks against the policy data, duplicates,
 * loops of supervisors); then one write transaction checks what needs the database and
 * writes every row that differs from what is stored (apply()). Any bad row rolls the whole
 * transaction back, and so does --dry-run after counting what would change; so a dry run
 * reports the same rows and counts as the real import. Rows are upserted by NIP or code and
 * compared column by column, so importing the same file again changes nothing.
 *
 * Bad rows are reported on stderr as "FILE:LINE: column NAME: reason", in line order; the
 * summary ("n new, m changed, k unchanged") goes to stdout. A progress line is drawn on
 * stderr when it is a terminal. */
#include "karirbot/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "import_internal.h"
#include "karirbot/buf.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/policy.h"
#include "karirbot/store.h"
#include "karirbot/validate.h"

#define BUSY_MS   5000 /* the service's transactions are short: a wait this long is a fault */
#define MSGS_MAX  2000 /* messages kept and printed; the rest are only counted */
#define CACHE_KIB (256 * 1024) /* SQLite's page cache at most (it grows as it is used) */

static const struct imp_kind *const kinds[] = {&imp_kind_employees, &imp_kind_trainings,
                                               &imp_kind_mentors, &imp_kind_promotions,
                                               &imp_kind_rpi};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot import employees|trainings|mentors|promotions|rpi FILE [--dry-run]\n"
            "                       [--deactivate-missing] [--force] [--db PATH]\n\n"
            "Imports a CSV file as Excel saves it (UTF-8 with or without BOM, comma or\n"
            "semicolon, quoted values, CRLF). The header line names the columns, in any order;\n"
            "dates are YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.\n\n"
            "  employees   nip,nama,jenis_asn,golongan_ruang,tmt_pangkat,pendidikan,jabatan,\n"
            "              jenis_jabatan,unit_kerja,nip_atasan,zona_waktu,\n"
            "              predikat_kinerja_tahun_lalu,predikat_kinerja_dua_tahun_lalu\n"
            "              optional: jenis_kelamin,tanggal_lahir,bup,jenjang_jf,\n"
            "              angka_kredit_kumulatif,stlud,status_aktif,kode_unit\n"
            "  trainings   kode,judul,penyelenggara,bentuk,mulai,selesai,jp,kuota,batas_daftar,\n"
            "              golongan_minimal,biaya\n"
            "  mentors     nip,bidang,kapasitas (bidang: areas separated by |)\n"
            "  promotions  nip,jenis_kp,golongan_tujuan,periode,tahap,tanggal_tahap,catatan\n"
            "              (one row per stage reached)\n"
            "  rpi         nip,tahun,kegiatan,bentuk,jp,target_selesai\n"
            "              optional: kompetensi,status,tanggal_selesai,status_rpi\n"
            "              (one row per activity of the plan (RPI) of NIP for year tahun; the\n"
            "              plan is made when missing, with status_rpi draf|diajukan|disetujui|\n"
            "              revisi|ditetapkan, draf when empty; bentuk a form of the policy data;\n"
            "              status rencana|berjalan|selesai|ditunda|batal; a selesai activity\n"
            "              needs tanggal_selesai and its JP count as recognised)\n\n"
            "The import is one transaction: every row or none. Rows are matched by NIP (or\n"
            "training code; an activity by NIP, year and title) and only what differs is\n"
            "written, so importing the same file again changes nothing. Every bad row is\n"
            "reported as FILE:LINE: column NAME: reason.\n\n"
            "  --dry-run             check and count, write nothing\n"
            "  --deactivate-missing  (employees) employees not in the file lose access: their\n"
            "                        Telegram link and unused codes are removed and they are\n"
            "                        marked inactive; their records stay. (A status_aktif\n"
            "                        column, aktif/nonaktif, does the same row by row.)\n"
            "  --force               (employees) allow --deactivate-missing to remove more than\n"
            "                        a tenth of the active employees; (rpi) the file is\n"
            "                        authoritative: it may add and change activities of plans\n"
            "                        submitted, approved or established, and sets a plan's\n"
            "                        status to status_rpi. Without it only draft plans (draf,\n"
            "                        revisi) take new or changed activities; an approved plan\n"
            "                        takes the year's progress (status, tanggal_selesai)\n"
            "  --now UNIX_SECONDS    import as if it were then (for tests)\n\n"
            "Exit status: 0 imported (or, with --dry-run, would be), 1 bad rows or a database\n"
            "error (nothing written), 64 usage error.\n");
}

/* ---- messages ------------------------------------------------------------------------------- */

/* Appends to text[*n] what fmt says, keeping *n within cap (snprintf returns what it would
 * have written: a long file name must not carry *n past the end). */
static void append(char *text, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *text, size_t cap, size_t *n, const char *fmt, ...)
{
    if (*n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(text + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (k > 0)
        *n = *n + (size_t)k < cap ? *n + (size_t)k : cap - 1;
}

__attribute__((format(printf, 5, 0))) static void
add_msg(struct imp *im, int error, int line, const char *col, const char *fmt, va_list ap)
{
    if (error)
        im->errors++;
    else
        im->warnings++;
    if (im->nmsgs >= MSGS_MAX)
        return;
    if (im->nmsgs == im->msgcap) {
        size_t cap = im->msgcap ? im->msgcap * 2 : 64;
        struct imp_msg *m = realloc(im->msgs, cap * sizeof *m);
        if (!m)
            return;
        im->msgs = m;
        im->msgcap = cap;
    }
    char text[600];
    size_t n = 0;
    if (line > 0)
        append(text, sizeof text, &n, "%s:%d: ", im->file, line);
    else
        append(text, sizeof text, &n, "%s: ", im->file);
    if (!error)
        append(text, sizeof text, &n, "warning: ");
    if (col)
        append(text, sizeof text, &n, "column %s: ", col);
    if (n + 1 < sizeof text)
        vsnprintf(text + n, sizeof text - n, fmt, ap);
    char *copy = strdup(text);
    if (!copy)
        return;
    im->msgs[im->nmsgs] = (struct imp_msg){line, im->nmsgs, error, copy};
    im->nmsgs++;
}

void imp_error(struct imp *im, int line, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_msg(im, 1, line, col, fmt, ap);
    va_end(ap);
}

void imp_warning(struct imp *im, int line, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_msg(im, 0, line, col, fmt, ap);
    va_end(ap);
}

void imp_note(struct imp *im, const char *fmt, ...)
{
    if (im->nnotes >= (int)(sizeof im->notes / sizeof im->notes[0]))
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->notes[im->nnotes++], sizeof im->notes[0], fmt, ap);
    va_end(ap);
}

static int msg_cmp(const void *a, const void *b)
{
    const struct imp_msg *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void print_msgs(struct imp *im)
{
    if (im->nmsgs)
        qsort(im->msgs, im->nmsgs, sizeof *im->msgs, msg_cmp);
    for (size_t i = 0; i < im->nmsgs; i++)
        fprintf(stderr, "%s\n", im->msgs[i].text);
    if (im->errors + im->warnings > im->nmsgs)
        fprintf(stderr, "%s: ... and %zu more messages\n", im->file,
                im->errors + im->warnings - im->nmsgs);
}

/* ---- progress ------------------------------------------------------------------------------- */

void imp_progress(struct imp *im, const char *what, size_t done, size_t total)
{
    if (!im->tty)
        return;
    uint64_t t = kb_mono_ms();
    if (done < total && t - im->progress_at < 200)
        return;
    im->progress_at = t;
    fprintf(stderr, "\r\033[Kkarirbot import: %s %zu/%zu rows", what, done, total);
    fflush(stderr);
    im->progress_shown = 1;
}

void imp_progress_end(struct imp *im)
{
    if (im->progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        im->progress_shown = 0;
    }
}

/* ---- columns and values --------------------------------------------------------------------- */

static void trim_copy(const char *s, char *out, size_t cap)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static const char *sep_name(char sep)
{
    return sep == '\t' ? "tab" : sep == ';' ? ";" : ",";
}

int imp_bind(struct imp *im, const struct imp_col *cols, int ncols)
{
    const struct kb_csv_row *h = &im->csv.header;
    int bad = 0, matched = 0;
    char names[KB_CSV_FIELDS_MAX][64];
    int which[KB_CSV_FIELDS_MAX];
    im->cols = cols;
    im->ncols = ncols;
    for (int c = 0; c < ncols; c++)
        im->col[c] = -1;
    for (int i = 0; i < h->nfields; i++) {
        trim_copy(h->fields[i], names[i], sizeof names[i]);
        for (char *q = names[i]; *q; q++)
            if ((unsigned char)*q < 0x20)
                *q = '?';
        which[i] = 0;
        while (which[i] < ncols && strcasecmp(names[i], cols[which[i]].name) != 0)
            which[i]++;
        matched += which[i] < ncols;
    }
    if (!matched) { /* another kind of file, or another separator: one line says it */
        imp_error(im, h->line, NULL,
                  "the header names none of the columns of a file of %s (%s, %s, ...; see "
                  "karirbot import --help): another kind of file? (separator found: '%s')",
                  im->kind, cols[0].name, cols[1].name, sep_name(im->csv.sep));
        return -1;
    }
    for (int i = 0; i < h->nfields; i++) {
        int c = which[i];
        if (c == ncols) {
            if (*names[i])
                imp_warning(im, h->line, names[i], "not a column of a file of %s: ignored",
                            im->kind);
        } else if (im->col[c] >= 0) {
            imp_error(im, h->line, cols[c].name, "named twice in the header (columns %d and %d)",
                      im->col[c] + 1, i + 1);
            bad = 1;
        } else {
            im->col[c] = i;
        }
    }
    for (int c = 0; c < ncols; c++)
        if (im->col[c] < 0 && cols[c].required) {
            imp_error(im, h->line, cols[c].name, "missing from the header");
            bad = 1;
        }
    return bad ? -1 : 0;
}

const char *imp_get(const struct imp *im, const struct kb_csv_row *r, int c)
{
    int i = im->col[c];
    return i >= 0 && i < r->nfields ? r->fields[i] : "";
}

int imp_has(const struct imp *im, int c)
{
    return im->col[c] >= 0;
}

const char *imp_show(const char *s, char out[IMP_SHOW])
{
    size_t k = 0, n = strlen(s);
    out[k++] = '\'';
    for (size_t i = 0; i < n && k < IMP_SHOW - 6; i++) {
        unsigned char c = (unsigned char)s[i];
        out[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    /* Never end inside a UTF-8 sequence. */
    while (k > 1 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 1 && ((unsigned char)out[k - 1] & 0xC0) == 0xC0)
        k--;
    if (k - 1 < n) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k++] = '\'';
    out[k] = '\0';
    return out;
}

void imp_key(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; *s && k + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80 && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
            out[k++] = (char)c;
        else if (c >= 'A' && c <= 'Z')
            out[k++] = (char)(c - 'A' + 'a');
    }
    out[k] = '\0';
}

int imp_one_of(const char *key, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(key, list[i]))
            return 1;
    return 0;
}

static const char *nip_reason(const struct kb_valid *v, const char *what, char *buf, size_t cap)
{
    switch (v->reason) {
    case KB_INVALID_EMPTY:
        return "empty";
    case KB_INVALID_NIP_CHARS:
    case KB_INVALID_NIP_PPPK_CHARS:
        return "holds something other than digits and spaces";
    case KB_INVALID_NIP_LENGTH:
    case KB_INVALID_NIP_PPPK_LENGTH:
        snprintf(buf, cap, "has %lld digits; a %s has 18", (long long)v->got, what);
        return buf;
    case KB_INVALID_NIP_BIRTH_DATE:
        return "digits 1-8 are not a plausible birth date (YYYYMMDD)";
    case KB_INVALID_NIP_TMT:
        return "digits 9-14 are not a plausible TMT CPNS (YYYYMM)";
    case KB_INVALID_NIP_GENDER:
        snprintf(buf, cap, "digit 15 is %lld; it must be 1 (man) or 2 (woman)", (long long)v->got);
        return buf;
    case KB_INVALID_NIP_SEQUENCE:
        return "digits 16-18 are 000";
    case KB_INVALID_TOO_LONG:
        return "too long";
    default:
        return "not a NIP";
    }
}

int imp_nip(struct imp *im, int line, const char *col, const char *s, enum imp_nip_kind kind,
            char out[IMP_NIP_LEN + 1])
{
    int pppk = kind != IMP_NIP;
    const char *what = kind == IMP_NI_PPPK ? "NI PPPK" : "NIP";
    static struct kb_valid v; /* 16 KiB: not on the stack of every row */
    char shown[IMP_SHOW], why[80];
    out[0] = '\0';
    while (*s == ' ')
        s++;
    if (*s == '\'') /* Excel's mark for "text", when someone typed it into the file */
        s++;
    /* "1.98503E+17": the column was a number, and Excel rounded the NIP away. */
    const char *e = strpbrk(s, "eE");
    if (e && (e[1] == '+' || (e[1] >= '0' && e[1] <= '9')) &&
        strspn(s, "0123456789.,") == (size_t)(e - s)) {
        imp_error(im, line, col,
                  "%s is a number Excel rounded: format the column as Text and enter the %s again",
                  imp_show(s, shown), what);
        return -1;
    }
    struct kb_validate_opts o = {.today = im->today};
    if (kb_validate(pppk ? "nip_or_ni_pppk" : "nip", &o, s, &v) != KB_VALID) {
        if (v.reason == KB_INVALID_EMPTY)
            imp_error(im, line, col, "empty: every row needs one");
        else
            imp_error(im, line, col, "invalid %s %s: %s", what, imp_show(s, shown),
                      nip_reason(&v, what, why, sizeof why));
        return -1;
    }
    memcpy(out, v.value, IMP_NIP_LEN);
    out[IMP_NIP_LEN] = '\0';
    return 0;
}

int imp_text(struct imp *im, int line, const char *col, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        imp_error(im, line, col, "too long (%zu bytes; at most %zu)", n, max);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            imp_error(im, line, col, "holds a line break or a control character");
            return -1;
        }
    return 0;
}

int imp_date(struct imp *im, int line, const char *col, const char *s, int optional, char out[11])
{
    char shown[IMP_SHOW];
    out[0] = '\0';
    if (!*s) {
        if (optional)
            return 0;
        imp_error(im, line, col, "empty: a date is needed");
        return -1;
    }
    if (kb_import_date(s, out) != 0) {
        imp_error(im, line, col, "not a date: %s (write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)",
                  imp_show(s, shown));
        return -1;
    }
    return 0;
}

/* ---- map ------------------------------------------------------------------------------------ */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int imp_map_init(struct imp_map *m, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2)
        cap *= 2;
    m->keys = calloc(cap, sizeof *m->keys);
    m->vals = calloc(cap, sizeof *m->vals);
    m->cap = cap;
    m->n = 0;
    return m->keys && m->vals ? 0 : -1;
}

void imp_map_free(struct imp_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static int map_grow(struct imp_map *m)
{
    struct imp_map bigger;
    if (imp_map_init(&bigger, m->cap) != 0) {
        imp_map_free(&bigger);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            imp_map_put(&bigger, m->keys[i], m->vals[i], NULL);
    imp_map_free(m);
    *m = bigger;
    return 0;
}

int imp_map_put(struct imp_map *m, const char *key, size_t val, size_t *old)
{
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0)
        return -1;
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key)) {
            if (old)
                *old = m->vals[i];
            return 1;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 0;
}

int imp_map_get(const struct imp_map *m, const char *key, size_t *val)
{
    if (!m->cap)
        return 0;
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key)) {
            *val = m->vals[i];
            return 1;
        }
        i = (i + 1) & (m->cap - 1);
    }
    return 0;
}

/* ---- the command ---------------------------------------------------------------------------- */

struct opts {
    const struct imp_kind *kind;
    const char *file;
    int dry_run, deactivate_missing, force;
};

/* Returns 0, 64 after a usage error, or 1 for --help. */
static int parse(int argc, char **argv, struct opts *o)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return 1;
        if (!strcmp(a, "--dry-run")) {
            o->dry_run = 1;
        } else if (!strcmp(a, "--deactivate-missing")) {
            o->deactivate_missing = 1;
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else if (!strcmp(a, "--now") && i + 1 < argc) {
            char *end;
            long long now = strtoll(argv[++i], &end, 10);
            if (*end || now <= 0) {
                fprintf(stderr, "karirbot import: --now takes seconds since 1970\n");
                return 64;
            }
            kb_clock_set(now);
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "karirbot import: unknown option %s\n", a);
            return 64;
        } else if (npos < 2) {
            pos[npos++] = a;
        } else {
            fprintf(stderr, "karirbot import: one file at a time (%s?)\n", a);
            return 64;
        }
    }
    if (npos < 2) {
        fprintf(stderr, "karirbot import: name the kind of file and the file\n");
        return 64;
    }
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (!strcmp(pos[0], kinds[k]->name))
            o->kind = kinds[k];
    if (!o->kind) {
        fprintf(stderr,
                "karirbot import: '%s' is no kind of file: employees, trainings, mentors, "
                "promotions or rpi\n",
                pos[0]);
        return 64;
    }
    if (o->deactivate_missing && o->kind != &imp_kind_employees) {
        fprintf(stderr, "karirbot import: --deactivate-missing is for employees\n");
        return 64;
    }
    if (o->force && o->kind != &imp_kind_employees && o->kind != &imp_kind_rpi) {
        fprintf(stderr, "karirbot import: --force is for employees and rpi\n");
        return 64;
    }
    if (o->force && o->kind == &imp_kind_employees && !o->deactivate_missing) {
        fprintf(stderr, "karirbot import: --force goes with --deactivate-missing\n");
        return 64;
    }
    o->file = pos[1];
    return 0;
}

static int read_csv(struct imp *im)
{
    struct kb_buf b;
    kb_buf_init(&b, KB_CSV_FILE_MAX);
    int rc = kb_buf_read_file(&b, im->file);
    if (rc == -1) {
        fprintf(stderr, "karirbot import: cannot read %s: %s\n", im->file, strerror(errno));
        kb_buf_free(&b);
        return -1;
    }
    if (rc == -2) {
        fprintf(stderr, "karirbot import: %s is larger than %u MiB: split it\n", im->file,
                KB_CSV_FILE_MAX >> 20);
        kb_buf_free(&b);
        return -1;
    }
    char err[200];
    int line;
    rc = kb_csv_parse(b.data ? b.data : "", b.len, &im->csv, err, sizeof err, &line);
    kb_buf_free(&b);
    if (rc != 0) {
        if (line > 0)
            fprintf(stderr, "%s:%d: %s\n", im->file, line, err);
        else
            fprintf(stderr, "%s: %s\n", im->file, err);
        return -1;
    }
    /* A row with more values than the header has columns: a separator inside a value that
     * is not quoted, most likely, so every value after it is in the wrong column; the row is
     * reported once and not read further. (Excel writes every row as wide as the sheet, so
     * this never happens to a file it saved. Fewer values are read as empty ones.) */
    if (!(im->row_bad = calloc(im->csv.nrows ? im->csv.nrows : 1, 1))) {
        fprintf(stderr, "karirbot import: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < im->csv.nrows; i++) {
        const struct kb_csv_row *r = &im->csv.rows[i];
        if (r->nfields <= im->csv.header.nfields)
            continue;
        im->row_bad[i] = 1;
        imp_error(im, r->line, NULL,
                  "%d values, but the header has %d columns (a '%s' inside a value that is not "
                  "in quotes?)",
                  r->nfields, im->csv.header.nfields, sep_name(im->csv.sep));
    }
    return 0;
}

static void summary(struct imp *im, const char *kind)
{
    printf("%s: %zu %s: %ld new, %ld changed, %ld unchanged\n", im->file, im->csv.nrows, kind,
           im->n_new, im->n_changed, im->n_unchanged);
    for (int i = 0; i < im->nnotes; i++)
        printf("  %s\n", im->notes[i]);
    if (im->warnings)
        printf("  %zu warning%s (above)\n", im->warnings, im->warnings == 1 ? "" : "s");
    if (im->dry_run)
        printf("dry run: nothing was written\n");
}

int kb_cmd_import(const struct kb_config *cfg, int argc, char **argv)
{
    struct opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        usage();
        return rc == 1 ? 0 : rc;
    }
    struct imp im = {.file = o.file,
                     .kind = o.kind->name,
                     .dry_run = o.dry_run,
                     .deactivate_missing = o.deactivate_missing,
                     .force = o.force,
                     .tty = isatty(STDERR_FILENO)};
    struct kb_diag diag = {0};
    struct kb_policy *policy =
        kb_policy_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    void *state = NULL;
    int status = 1;
    if (!policy) {
        for (size_t i = 0; i < diag.nlines; i++)
            fprintf(stderr, "%s\n", diag.lines[i]);
        fprintf(stderr, "karirbot import: the policy data has errors (see `karirbot check`)\n");
        goto out;
    }
    im.policy = policy;
    im.cfg = cfg;
    im.now = kb_now();
    if (kb_local_date(im.now, "WIT", im.today) != 0)
        goto out;
    if (read_csv(&im) != 0)
        goto out;

    rc = o.kind->check(&im, &state);
    imp_progress_end(&im);
    if (rc == KB_ERR || !state)
        goto report;
    if (kb_store_open(&im.st, cfg->db_path, BUSY_MS) != KB_OK) {
        fprintf(stderr, "karirbot import: cannot open the database %s\n", cfg->db_path);
        goto report;
    }
    /* The rows of one import are written in one transaction: a page cache that holds them
     * keeps SQLite from spilling pages to the WAL and reading them back mid-transaction. */
    kb_store_set_cache_kib(im.st, CACHE_KIB);
    rc = kb_store_begin(im.st);
    if (rc == KB_OK) {
        rc = o.kind->apply(&im, state);
        imp_progress_end(&im);
        if (rc == KB_OK && !im.errors && !im.dry_run)
            rc = kb_store_commit(im.st);
        else
            kb_store_rollback(im.st);
    }
    if (rc == KB_BUSY)
        fprintf(stderr,
                "karirbot import: the database stayed busy for %d s; nothing was "
                "written: try again\n",
                BUSY_MS / 1000);
    else if (rc != KB_OK)
        fprintf(stderr, "karirbot import: database error: %s; nothing was written\n",
                kb_store_errmsg(im.st));
    else if (!im.errors)
        status = 0;
report:
    print_msgs(&im);
    if (im.errors)
        fprintf(stderr, "karirbot import: %s: %zu error%s: nothing was imported\n", im.file,
                im.errors, im.errors == 1 ? "" : "s");
    else if (status == 0)
        summary(&im, o.kind->rows);
out:
    if (state)
        o.kind->done(state);
    kb_store_close(im.st);
    kb_csv_free(&im.csv);
    for (size_t i = 0; i < im.nmsgs; i++)
        free(im.msgs[i].text);
    free(im.msgs);
    free(im.row_bad);
    kb_policy_free(policy);
    kb_diag_free(&diag);
    return status;
}
