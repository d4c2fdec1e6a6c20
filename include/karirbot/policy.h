/* policy: the regulation figures karirbot works with — JP targets and ceilings, the PNS rank
 * ladder, the promotion calendar, the rules of each kind of kenaikan pangkat, predikat kinerja,
 * the SIASN stages and return codes, the forms of competency development and the document
 * checklists — read from dialogs/policy.json, where each figure cites its regulation. No figure
 * of a regulation is a constant in C: HR edits the file when a regulation changes.
 *
 * A loaded policy is read-only. Every pointer an accessor returns points into it and lives
 * until kb_policy_free(). Ids and codes are compared exactly (case and spaces matter). */
#ifndef KARIRBOT_POLICY_H
#define KARIRBOT_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#define KB_POLICY_FILE     "policy.json" /* in dialogs/; the dialog loader skips it */
#define KB_POLICY_CODE_MAX 8             /* bytes of a rank, golongan or return code */

struct kb_diag;
struct kb_policy;

enum kb_asn_kind { KB_ASN_UNKNOWN = 0, KB_ASN_PNS, KB_ASN_CPNS, KB_ASN_PPPK };
enum kb_kp_type { KB_KP_NONE = 0, KB_KP_REGULER, KB_KP_PILIHAN, KB_KP_FUNGSIONAL };

/* Reads <override_dir>/dialogs/policy.json when that file exists (it replaces the shipped file
 * whole), else <defaults_dir>/dialogs/policy.json; override_dir may be NULL. Validates all of
 * it and adds one line to diag for each problem. Returns the policy (free it with
 * kb_policy_free()), or NULL when any error was found. */
struct kb_policy *kb_policy_load(const char *defaults_dir, const char *override_dir,
                                 struct kb_diag *diag);
void kb_policy_free(struct kb_policy *p);

/* ---- jam pelajaran ------------------------------------------------------------------------- */

struct kb_jp_rule {
    bool ceiling;       /* true: at most jp_per_year (PPPK); false: a yearly target */
    bool contract_year; /* counted per contract year rather than per calendar year */
    int jp_per_year;
};
/* The rule for an ASN kind; NULL for KB_ASN_UNKNOWN or a kind the file does not list. */
const struct kb_jp_rule *kb_policy_jp(const struct kb_policy *p, enum kb_asn_kind kind);
int kb_policy_minutes_per_jp(const struct kb_policy *p);

/* ---- ranks --------------------------------------------------------------------------------- */

struct kb_rank {
    const char *code;    /* "III/a" */
    const char *pangkat; /* "Penata Muda" */
};
/* The PNS ladder, lowest first. */
const struct kb_rank *kb_policy_ranks(const struct kb_policy *p, size_t *n);
/* Position of a PNS rank code on the ladder (0 = the lowest); -1 when unknown. */
int kb_policy_rank_index(const struct kb_policy *p, const char *code);
/* The rank of that code, and the one above it; NULL when unknown or at the top. */
const struct kb_rank *kb_policy_rank(const struct kb_policy *p, const char *code);
const struct kb_rank *kb_policy_rank_next(const struct kb_policy *p, const char *code);
/* Writes "Penata Muda (III/a)" into buf[0..cap). Returns 0; -1 (buf "" when cap > 0) when the
 * code is unknown or the text does not fit. */
int kb_policy_rank_format(const struct kb_policy *p, const char *code, char *buf, size_t cap);
/* Whether code is a PPPK golongan ("I" .. "XVII"). */
bool kb_policy_pppk_golongan(const struct kb_policy *p, const char *code);

/* ---- promotion calendar and rules ---------------------------------------------------------- */

/* The first promotion period ("YYYY-MM-DD") on or after the date on_or_after, under the
 * calendar regime in force at that period. Returns 0; -1 (out "") when the date is invalid,
 * before the first regime of the file, or the period would fall after 9999. */
int kb_policy_next_period(const struct kb_policy *p, const char *on_or_after, char out[11]);

struct kb_ceiling {
    const char *education; /* id of the education level, e.g. "s1" */
    const char *name;      /* "Sarjana (S-1)" */
    const char *max_rank;  /* highest PNS rank code that ijazah reaches by this kind of KP */
};
struct kb_stlud_step {
    const char *from, *to;          /* rank codes of a move that needs the ujian dinas */
    const char *const *exempt_educ; /* education ids exempt from it */
    size_t nexempt;
};
struct kb_ak_req {
    const char *to; /* target rank code */
    double ak;      /* angka kredit kumulatif needed */
};
/* The conditions of one kind of kenaikan pangkat; a part with n == 0 (or false) does not
 * apply to that kind. */
struct kb_kp_rule {
    int min_years;                    /* years in the current rank */
    int perf_years;                   /* 1 or 2 latest years judged; 0: no condition */
    const char *const *perf_accepted; /* performance label ids that pass */
    size_t nperf_accepted;
    const struct kb_ceiling *ceilings; /* by education */
    size_t nceilings;
    const struct kb_stlud_step *stlud;
    size_t nstlud;
    bool angka_kredit;          /* needs enough angka kredit */
    const struct kb_ak_req *ak; /* known AK figures per target rank (may be none) */
    size_t nak;
    bool position_ceiling; /* the post's highest rank applies (HR checks) */
};
/* The rule of a kind of KP; NULL for KB_KP_NONE. */
const struct kb_kp_rule *kb_policy_kp_rule(const struct kb_policy *p, enum kb_kp_type type);

struct kb_perf_label {
    const char *id;   /* "baik" */
    const char *name; /* "Baik" */
    bool at_least_baik;
};
const struct kb_perf_label *kb_policy_perf_labels(const struct kb_policy *p, size_t *n);
const struct kb_perf_label *kb_policy_perf_label(const struct kb_policy *p, const char *id);

/* ---- the file's journey (SIASN) ------------------------------------------------------------ */

struct kb_stage {
    const char *id, *name;
    const char *actor; /* who must act: "BKPSDM", "BKN", "PPK", ... */
    int expected_days; /* working days, > 0 */
};
/* The stages in order; one by id (NULL when unknown). */
const struct kb_stage *kb_policy_stages(const struct kb_policy *p, size_t *n);
const struct kb_stage *kb_policy_stage(const struct kb_policy *p, const char *id);

struct kb_return_code {
    const char *code; /* "BTL", "BTS", "TMS" */
    const char *name, *meaning, *action;
};
const struct kb_return_code *kb_policy_return_code(const struct kb_policy *p, const char *code);

/* ---- competency development and documents --------------------------------------------------- */

enum kb_form_group {
    KB_FORM_KLASIKAL,
    KB_FORM_NONKLASIKAL,
    KB_FORM_PENDIDIKAN,
    KB_FORM_SERTIFIKASI
};
struct kb_dev_form {
    const char *id, *name;
    enum kb_form_group group;
    int jp_per_day; /* a default equivalent from agency guidance; 0 when none */
};
const struct kb_dev_form *kb_policy_forms(const struct kb_policy *p, size_t *n);
const struct kb_dev_form *kb_policy_form(const struct kb_policy *p, const char *id);

/* The document checklist of a kind of KP; NULL (and *n = 0) for KB_KP_NONE. */
const char *const *kb_policy_documents(const struct kb_policy *p, enum kb_kp_type type, size_t *n);

#endif
