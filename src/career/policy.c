/* policy: owns dialogs/policy.json — reading it (HR's copy replaces the shipped one whole),
 * checking every field of it, and the read-only lookups the flows and the eligibility check
 * use. It holds no regulation figure of its own: every number and list comes from the file.
 *
 * The parsed cJSON tree is kept for the life of the policy, and the structs below point at its
 * strings, so nothing is copied string by string. Every list has a maximum length and every
 * string a maximum size; going over is an error in the file, reported like any other.
 *
 * Problems become lines of a struct kb_diag for the HR officer who edits the file:
 * "dialogs/policy.json: reguler.education_ceiling.list[2].max: unknown rank 'III/x' ...". */
#include "karirbot/policy.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/buf.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/utf8.h"

#define POLICY_FILE_MAX    (256 * 1024) /* bytes of policy.json */
#define POLICY_TEXT_MAX    256          /* bytes of a name, source or sentence */
#define POLICY_ID_MAX      32           /* bytes of an id: [a-z0-9_] */
#define POLICY_RANKS_MAX   32
#define POLICY_PPPK_MAX    32
#define POLICY_CAL_MAX     16
#define POLICY_LABELS_MAX  8
#define POLICY_CEIL_MAX    32
#define POLICY_STLUD_MAX   8
#define POLICY_EXEMPT_MAX  16
#define POLICY_AK_MAX      32
#define POLICY_STAGES_MAX  16
#define POLICY_RETURNS_MAX 8
#define POLICY_FORMS_MAX   32
#define POLICY_DOCS_MAX    24
#define POLICY_PATH_MAX    160 /* bytes of a field path in a diag line */

/* One promotion-calendar regime: from its first day on, periods fall on the first day of the
 * months in the mask (bit m for month m), or of every month. */
struct period {
    int64_t from; /* days since 1970-01-01 */
    bool monthly;
    unsigned months;
};

/* A kind of KP: the public rule and the storage its pointers point at. */
struct kp_data {
    struct kb_kp_rule rule;
    const char *accepted[POLICY_LABELS_MAX];
    struct kb_ceiling ceil[POLICY_CEIL_MAX];
    struct kb_stlud_step stlud[POLICY_STLUD_MAX];
    const char *exempt[POLICY_STLUD_MAX][POLICY_EXEMPT_MAX];
    struct kb_ak_req ak[POLICY_AK_MAX];
};

struct kb_policy {
    cJSON *root;
    int minutes_per_jp;
    struct kb_jp_rule jp[4]; /* by enum kb_asn_kind */
    bool has_jp[4];
    struct kb_rank ranks[POLICY_RANKS_MAX];
    size_t nranks;
    const char *pppk[POLICY_PPPK_MAX];
    size_t npppk;
    struct period cal[POLICY_CAL_MAX];
    size_t ncal;
    struct kb_perf_label labels[POLICY_LABELS_MAX];
    size_t nlabels;
    struct kp_data kp[4]; /* by enum kb_kp_type; [KB_KP_NONE] unused */
    struct kb_stage stages[POLICY_STAGES_MAX];
    size_t nstages;
    struct kb_return_code returns[POLICY_RETURNS_MAX];
    size_t nreturns;
    struct kb_dev_form forms[POLICY_FORMS_MAX];
    size_t nforms;
    const char *docs[4][POLICY_DOCS_MAX]; /* by enum kb_kp_type */
    size_t ndocs[4];
};

/* ---- reporting and field readers ----------------------------------------------------------- */

/* The file being read and where its problems go. */
struct loader {
    struct kb_diag *diag;
    const char *file;
};

#define ERR(L, where, ...) kb_diag_add((L)->diag, KB_DIAG_ERROR, (L)->file, where, __VA_ARGS__)

/* Writes a field path, cut at cap - 1 bytes: a cut path still names the place. */
static void __attribute__((format(printf, 3, 4))) pathf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0)
        out[0] = '\0';
}

static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > POLICY_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static int text_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > POLICY_TEXT_MAX || !kb_utf8_valid(s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* A rank, golongan or return code: 1..8 of letters, digits and '/', as "III/a" or "BTL". */
static int code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > KB_POLICY_CODE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '/'))
            return 0;
    return 1;
}

enum str_kind { STR_TEXT, STR_ID, STR_CODE };

/* Checks the syntax of s; reports and returns -1 when it is wrong. */
static int check_str(struct loader *L, const char *where, const char *s, enum str_kind kind)
{
    char shown[48];
    switch (kind) {
    case STR_ID:
        if (id_ok(s))
            return 0;
        ERR(L, where, "'%s' is not a valid id: use 1 to %d lowercase letters, digits or '_'",
            kb_diag_show(shown, sizeof shown, s), POLICY_ID_MAX);
        return -1;
    case STR_CODE:
        if (code_ok(s))
            return 0;
        ERR(L, where, "'%s' is not a valid code: use 1 to %d letters, digits or '/'",
            kb_diag_show(shown, sizeof shown, s), KB_POLICY_CODE_MAX);
        return -1;
    case STR_TEXT:
        if (text_ok(s))
            return 0;
        ERR(L, where,
            "must be a text of 1 to %d bytes, valid UTF-8, without line breaks or other "
            "control characters",
            POLICY_TEXT_MAX);
        return -1;
    }
    return -1;
}

/* Checks a string value v at where; NULL after reporting. */
static const char *str_value(struct loader *L, const cJSON *v, const char *where,
                             enum str_kind kind)
{
    if (!cJSON_IsString(v)) {
        ERR(L, where, "must be a text in double quotes");
        return NULL;
    }
    return check_str(L, where, v->valuestring, kind) == 0 ? v->valuestring : NULL;
}

/* Reads the string field name of obj (path base). Returns it; NULL after reporting when it is
 * missing or wrong. */
static const char *get_str(struct loader *L, const cJSON *obj, const char *base, const char *name,
                           enum str_kind kind)
{
    char where[POLICY_PATH_MAX];
    pathf(where, sizeof where, "%s.%s", base, name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v) {
        ERR(L, base, "'%s' is missing", name);
        return NULL;
    }
    return str_value(L, v, where, kind);
}

/* Reads the whole-number field name of obj, lo..hi, into *out. Returns 0, or -1 after
 * reporting (missing, not a whole number, out of range). */
static int get_int(struct loader *L, const cJSON *obj, const char *base, const char *name, int lo,
                   int hi, int *out)
{
    char where[POLICY_PATH_MAX];
    pathf(where, sizeof where, "%s.%s", base, name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v) {
        ERR(L, base, "'%s' is missing", name);
        return -1;
    }
    /* valuedouble, not valueint, which saturates at INT_MAX. */
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble)) {
        ERR(L, where, "must be a whole number (without quotes)");
        return -1;
    }
    if (v->valuedouble < lo || v->valuedouble > hi) {
        ERR(L, where, "must be between %d and %d", lo, hi);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 0;
}

/* Reads the object field name of obj; NULL after reporting when missing or not an object. */
static const cJSON *get_obj(struct loader *L, const cJSON *obj, const char *base, const char *name)
{
    char where[POLICY_PATH_MAX];
    pathf(where, sizeof where, "%s%s%s", base, *base ? "." : "", name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v) {
        ERR(L, *base ? base : NULL, "'%s' is missing", name);
        return NULL;
    }
    if (!cJSON_IsObject(v)) {
        ERR(L, where, "must be an object in braces { }");
        return NULL;
    }
    return v;
}

/* Reads the list field name of obj with 1..max elements (0..max when may_be_empty); NULL after
 * reporting. *n gets the length. */
static const cJSON *get_list(struct loader *L, const cJSON *obj, const char *base, const char *name,
                             size_t max, bool may_be_empty, size_t *n)
{
    char where[POLICY_PATH_MAX];
    pathf(where, sizeof where, "%s%s%s", base, *base ? "." : "", name);
    *n = 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v) {
        ERR(L, *base ? base : NULL, "'%s' is missing", name);
        return NULL;
    }
    if (!cJSON_IsArray(v)) {
        ERR(L, where, "must be a list in brackets [ ]");
        return NULL;
    }
    int len = cJSON_GetArraySize(v);
    if (len < 0 || (size_t)len > max) {
        ERR(L, where, "has more than %zu entries; karirbot reads at most %zu", max, max);
        return NULL;
    }
    if (len == 0 && !may_be_empty) {
        ERR(L, where, "is empty; it needs at least one entry");
        return NULL;
    }
    *n = (size_t)len;
    return v;
}

/* Reports members of obj that the format does not know (a misspelt "sumber" would otherwise be
 * ignored in silence) and members written twice. Names starting with '_' are notes for people
 * and are skipped. Returns -1 when anything was reported. */
static int check_fields(struct loader *L, const cJSON *obj, const char *where,
                        const char *const *known)
{
    int bad = 0;
    char shown[48];
    for (const cJSON *m = obj->child; m; m = m->next) {
        if (!m->string || m->string[0] == '_')
            continue;
        int found = 0;
        for (const char *const *k = known; *k && !found; k++)
            found = !strcmp(*k, m->string);
        if (!found) {
            ERR(L, where, "unknown field '%s' (a note for people must start with '_')",
                kb_diag_show(shown, sizeof shown, m->string));
            bad = -1;
            continue;
        }
        for (const cJSON *o = obj->child; o != m; o = o->next)
            if (o->string && !strcmp(o->string, m->string)) {
                ERR(L, where, "the field '%s' is written twice", m->string);
                bad = -1;
                break;
            }
    }
    return bad;
}

/* Checks the fields every rule entry carries: "source" (which regulation, required),
 * "verified" (true or false, optional) and, when verified is false, the "_note" saying what
 * is uncertain. Returns -1 after reporting. */
static int check_source(struct loader *L, const cJSON *obj, const char *where)
{
    int bad = 0;
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(obj, "source");
    if (!src) {
        ERR(L, where,
            "'source' is missing: write the regulation this comes from, e.g. "
            "\"PP 11/2017 Pasal 203 ayat (4)\"");
        bad = -1;
    } else {
        char w[POLICY_PATH_MAX];
        pathf(w, sizeof w, "%s.source", where);
        if (!str_value(L, src, w, STR_TEXT))
            bad = -1;
    }
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(obj, "verified");
    if (ver && !cJSON_IsBool(ver)) {
        char w[POLICY_PATH_MAX];
        pathf(w, sizeof w, "%s.verified", where);
        ERR(L, w, "must be true or false (without quotes)");
        bad = -1;
    } else if (cJSON_IsFalse(ver)) {
        const cJSON *note = cJSON_GetObjectItemCaseSensitive(obj, "_note");
        if (!cJSON_IsString(note) || !note->valuestring[0]) {
            ERR(L, where,
                "is marked \"verified\": false but has no '_note' saying what is uncertain");
            bad = -1;
        }
    }
    return bad;
}

/* A rule entry of the form {"value": n, "source": ...}: reads n (lo..hi). */
static int get_value_entry(struct loader *L, const cJSON *obj, const char *base, const char *name,
                           int lo, int hi, int *out)
{
    static const char *const fields[] = {"value", "source", "verified", NULL};
    char where[POLICY_PATH_MAX];
    pathf(where, sizeof where, "%s%s%s", base, *base ? "." : "", name);
    const cJSON *e = get_obj(L, obj, base, name);
    if (!e)
        return -1;
    int bad = check_fields(L, e, where, fields);
    bad |= check_source(L, e, where);
    bad |= get_int(L, e, where, "value", lo, hi, out);
    return bad;
}

/* ---- lookups shared by the loader and the accessors ---------------------------------------- */

static int rank_index(const struct kb_policy *p, const char *code)
{
    for (size_t i = 0; code && i < p->nranks; i++)
        if (!strcmp(p->ranks[i].code, code))
            return (int)i;
    return -1;
}

static const struct kb_perf_label *label_find(const struct kb_policy *p, const char *id)
{
    for (size_t i = 0; id && i < p->nlabels; i++)
        if (!strcmp(p->labels[i].id, id))
            return &p->labels[i];
    return NULL;
}

/* Reads a rank code at where and checks it names a rank of the ladder; -1 after reporting. */
static int known_rank(struct loader *L, const struct kb_policy *p, const cJSON *obj,
                      const char *base, const char *name, const char **out)
{
    char shown[48], where[POLICY_PATH_MAX];
    *out = get_str(L, obj, base, name, STR_CODE);
    if (!*out)
        return -1;
    if (p->nranks && rank_index(p, *out) < 0) {
        pathf(where, sizeof where, "%s.%s", base, name);
        ERR(L, where, "unknown rank '%s': use a code from ranks.pns.list, such as \"III/a\"",
            kb_diag_show(shown, sizeof shown, *out));
        *out = NULL;
        return -1;
    }
    return 0;
}

/* ---- sections ------------------------------------------------------------------------------ */

static int parse_jp(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {"minutes_per_jp", "kinds", NULL};
    static const char *const kind_fields[] = {"asn",    "rule",     "jp_per_year", "period",
                                              "source", "verified", NULL};
    static const char *const kinds[] = {NULL, "PNS", "CPNS", "PPPK"};
    const cJSON *jp = get_obj(L, root, "", "jp");
    if (!jp)
        return -1;
    int bad = check_fields(L, jp, "jp", fields);
    bad |= get_value_entry(L, jp, "jp", "minutes_per_jp", 1, 240, &p->minutes_per_jp);
    size_t n;
    const cJSON *list = get_list(L, jp, "jp", "kinds", 3, false, &n);
    if (!list)
        return -1;
    char where[POLICY_PATH_MAX], shown[48];
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, (int)i);
        pathf(where, sizeof where, "jp.kinds[%zu]", i);
        if (!cJSON_IsObject(e)) {
            ERR(L, where, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, e, where, kind_fields);
        bad |= check_source(L, e, where);
        const char *asn = get_str(L, e, where, "asn", STR_CODE);
        const char *rule = get_str(L, e, where, "rule", STR_ID);
        const char *period = get_str(L, e, where, "period", STR_ID);
        int jpy = 0;
        bad |= get_int(L, e, where, "jp_per_year", 1, 1000, &jpy);
        if (!asn || !rule || !period) {
            bad = -1;
            continue;
        }
        int k = 0;
        for (int j = 1; j < 4 && !k; j++)
            if (!strcmp(asn, kinds[j]))
                k = j;
        if (!k) {
            ERR(L, where, "unknown ASN kind '%s': use \"PNS\", \"CPNS\" or \"PPPK\"",
                kb_diag_show(shown, sizeof shown, asn));
            bad = -1;
            continue;
        }
        if (p->has_jp[k]) {
            ERR(L, where, "%s is listed twice", kinds[k]);
            bad = -1;
        }
        if (strcmp(rule, "target") != 0 && strcmp(rule, "ceiling") != 0) {
            ERR(L, where,
                "'rule' must be \"target\" (a yearly minimum) or \"ceiling\" (a maximum)");
            bad = -1;
        }
        if (strcmp(period, "calendar_year") != 0 && strcmp(period, "contract_year") != 0) {
            ERR(L, where, "'period' must be \"calendar_year\" or \"contract_year\"");
            bad = -1;
        }
        p->has_jp[k] = true;
        p->jp[k].ceiling = !strcmp(rule, "ceiling");
        p->jp[k].contract_year = !strcmp(period, "contract_year");
        p->jp[k].jp_per_year = jpy;
    }
    for (int k = 1; k < 4; k++)
        if (!p->has_jp[k]) {
            ERR(L, "jp.kinds", "there is no entry for %s", kinds[k]);
            bad = -1;
        }
    return bad;
}

static int parse_ranks(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {"pns", "pppk", NULL};
    static const char *const list_fields[] = {"list", "source", "verified", NULL};
    static const char *const rank_fields[] = {"code", "pangkat", NULL};
    const cJSON *ranks = get_obj(L, root, "", "ranks");
    if (!ranks)
        return -1;
    int bad = check_fields(L, ranks, "ranks", fields);
    char where[POLICY_PATH_MAX], shown[48];
    size_t n;

    const cJSON *pns = get_obj(L, ranks, "ranks", "pns");
    const cJSON *list = NULL;
    if (pns) {
        bad |= check_fields(L, pns, "ranks.pns", list_fields);
        bad |= check_source(L, pns, "ranks.pns");
        list = get_list(L, pns, "ranks.pns", "list", POLICY_RANKS_MAX, false, &n);
    }
    if (!list) {
        bad = -1;
    } else {
        for (size_t i = 0; i < n; i++) {
            const cJSON *e = cJSON_GetArrayItem(list, (int)i);
            pathf(where, sizeof where, "ranks.pns.list[%zu]", i);
            if (!cJSON_IsObject(e)) {
                ERR(L, where, "must be an object in braces { }");
                bad = -1;
                continue;
            }
            bad |= check_fields(L, e, where, rank_fields);
            const char *code = get_str(L, e, where, "code", STR_CODE);
            const char *pangkat = get_str(L, e, where, "pangkat", STR_TEXT);
            if (!code || !pangkat) {
                bad = -1;
                continue;
            }
            if (rank_index(p, code) >= 0) {
                ERR(L, where, "the rank '%s' is listed twice",
                    kb_diag_show(shown, sizeof shown, code));
                bad = -1;
                continue;
            }
            p->ranks[p->nranks++] = (struct kb_rank){.code = code, .pangkat = pangkat};
        }
    }

    const cJSON *pppk = get_obj(L, ranks, "ranks", "pppk");
    list = NULL;
    if (pppk) {
        bad |= check_fields(L, pppk, "ranks.pppk", list_fields);
        bad |= check_source(L, pppk, "ranks.pppk");
        list = get_list(L, pppk, "ranks.pppk", "list", POLICY_PPPK_MAX, false, &n);
    }
    if (!list)
        return -1;
    for (size_t i = 0; i < n; i++) {
        pathf(where, sizeof where, "ranks.pppk.list[%zu]", i);
        const char *g = str_value(L, cJSON_GetArrayItem(list, (int)i), where, STR_CODE);
        if (!g) {
            bad = -1;
            continue;
        }
        for (size_t j = 0; j < p->npppk; j++)
            if (!strcmp(p->pppk[j], g)) {
                ERR(L, where, "the golongan '%s' is listed twice",
                    kb_diag_show(shown, sizeof shown, g));
                bad = -1;
                g = NULL;
                break;
            }
        if (g)
            p->pppk[p->npppk++] = g;
    }
    return bad;
}

static int parse_calendar(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {"from", "rule", "months", "source", "verified", NULL};
    size_t n;
    const cJSON *list = get_list(L, root, "", "promotion_calendar", POLICY_CAL_MAX, false, &n);
    if (!list)
        return -1;
    int bad = 0;
    char where[POLICY_PATH_MAX], w2[POLICY_PATH_MAX], shown[48];
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, (int)i);
        pathf(where, sizeof where, "promotion_calendar[%zu]", i);
        if (!cJSON_IsObject(e)) {
            ERR(L, where, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, e, where, fields);
        bad |= check_source(L, e, where);
        const char *from = get_str(L, e, where, "from", STR_TEXT);
        const char *rule = get_str(L, e, where, "rule", STR_ID);
        int y, m, d;
        if (!from || !rule) {
            bad = -1;
            continue;
        }
        pathf(w2, sizeof w2, "%s.from", where);
        if (kb_date_parse(from, &y, &m, &d) != 0) {
            ERR(L, w2, "'%s' is not a date written YYYY-MM-DD",
                kb_diag_show(shown, sizeof shown, from));
            bad = -1;
            continue;
        }
        struct period per = {.from = kb_days_from_civil(y, m, d)};
        if (prev && per.from <= p->cal[p->ncal - 1].from) {
            ERR(L, w2,
                "%s is not after the start of the entry before it (%s): list the periods "
                "oldest first",
                from, prev);
            bad = -1;
        }
        const cJSON *months = cJSON_GetObjectItemCaseSensitive(e, "months");
        pathf(w2, sizeof w2, "%s.months", where);
        if (!strcmp(rule, "monthly")) {
            per.monthly = true;
            if (months) {
                ERR(L, w2, "a \"monthly\" rule has no 'months': remove it, or use \"dates\"");
                bad = -1;
            }
        } else if (!strcmp(rule, "dates")) {
            size_t nm = 0;
            const cJSON *ml = get_list(L, e, where, "months", 12, false, &nm);
            int last = 0;
            for (size_t j = 0; ml && j < nm; j++) {
                const cJSON *v = cJSON_GetArrayItem(ml, (int)j);
                if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
                    v->valuedouble < 1 || v->valuedouble > 12) {
                    ERR(L, w2, "entry %zu must be a month number 1 to 12", j);
                    bad = -1;
                    continue;
                }
                int mo = (int)v->valuedouble;
                if (mo <= last) {
                    ERR(L, w2, "list the months in increasing order, each once (%d after %d)", mo,
                        last);
                    bad = -1;
                }
                last = mo;
                per.months |= 1u << mo;
            }
            if (!ml)
                bad = -1;
        } else {
            ERR(L, where, "'rule' must be \"monthly\" or \"dates\"");
            bad = -1;
            continue;
        }
        p->cal[p->ncal++] = per;
        prev = from;
    }
    return bad;
}

static int parse_labels(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {"list", "source", "verified", NULL};
    static const char *const label_fields[] = {"id", "name", "at_least_baik", NULL};
    const cJSON *sec = get_obj(L, root, "", "performance_labels");
    if (!sec)
        return -1;
    int bad = check_fields(L, sec, "performance_labels", fields);
    bad |= check_source(L, sec, "performance_labels");
    size_t n;
    const cJSON *list =
        get_list(L, sec, "performance_labels", "list", POLICY_LABELS_MAX, false, &n);
    if (!list)
        return -1;
    char where[POLICY_PATH_MAX], shown[48];
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, (int)i);
        pathf(where, sizeof where, "performance_labels.list[%zu]", i);
        if (!cJSON_IsObject(e)) {
            ERR(L, where, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, e, where, label_fields);
        const char *id = get_str(L, e, where, "id", STR_ID);
        const char *name = get_str(L, e, where, "name", STR_TEXT);
        const cJSON *alb = cJSON_GetObjectItemCaseSensitive(e, "at_least_baik");
        if (!cJSON_IsBool(alb)) {
            ERR(L, where, "'at_least_baik' must be true or false (without quotes)");
            bad = -1;
        }
        if (!id || !name || !cJSON_IsBool(alb)) {
            bad = -1;
            continue;
        }
        if (label_find(p, id)) {
            ERR(L, where, "the label '%s' is listed twice", kb_diag_show(shown, sizeof shown, id));
            bad = -1;
            continue;
        }
        p->labels[p->nlabels++] =
            (struct kb_perf_label){.id = id, .name = name, .at_least_baik = cJSON_IsTrue(alb)};
    }
    return bad;
}

static int parse_performance(struct loader *L, struct kb_policy *p, const cJSON *sec,
                             const char *base, struct kp_data *kd)
{
    static const char *const fields[] = {"years", "accepted", "source", "verified", NULL};
    char where[POLICY_PATH_MAX], w2[POLICY_PATH_MAX], shown[48];
    pathf(where, sizeof where, "%s.performance", base);
    const cJSON *e = get_obj(L, sec, base, "performance");
    if (!e)
        return -1;
    int bad = check_fields(L, e, where, fields);
    bad |= check_source(L, e, where);
    /* Two at most: an employee's profile holds the last two years' labels. */
    bad |= get_int(L, e, where, "years", 1, 2, &kd->rule.perf_years);
    size_t n;
    const cJSON *list = get_list(L, e, where, "accepted", POLICY_LABELS_MAX, false, &n);
    if (!list)
        return -1;
    for (size_t i = 0; i < n; i++) {
        pathf(w2, sizeof w2, "%s.accepted[%zu]", where, i);
        const char *id = str_value(L, cJSON_GetArrayItem(list, (int)i), w2, STR_ID);
        if (!id) {
            bad = -1;
            continue;
        }
        if (p->nlabels && !label_find(p, id)) {
            ERR(L, w2, "unknown label '%s': use an id from performance_labels.list",
                kb_diag_show(shown, sizeof shown, id));
            bad = -1;
            continue;
        }
        kd->accepted[kd->rule.nperf_accepted++] = id;
    }
    kd->rule.perf_accepted = kd->accepted;
    return bad;
}

static int ceiling_has(const struct kp_data *kd, const char *educ)
{
    for (size_t i = 0; i < kd->rule.nceilings; i++)
        if (!strcmp(kd->ceil[i].education, educ))
            return 1;
    return 0;
}

static int parse_ceiling(struct loader *L, struct kb_policy *p, const cJSON *sec, const char *base,
                         struct kp_data *kd)
{
    static const char *const fields[] = {"list", "source", "verified", NULL};
    static const char *const item_fields[] = {"education", "name", "max", NULL};
    char where[POLICY_PATH_MAX], w2[POLICY_PATH_MAX], shown[48];
    pathf(where, sizeof where, "%s.education_ceiling", base);
    const cJSON *e = get_obj(L, sec, base, "education_ceiling");
    if (!e)
        return -1;
    int bad = check_fields(L, e, where, fields);
    bad |= check_source(L, e, where);
    size_t n;
    const cJSON *list = get_list(L, e, where, "list", POLICY_CEIL_MAX, false, &n);
    if (!list)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(list, (int)i);
        pathf(w2, sizeof w2, "%s.list[%zu]", where, i);
        if (!cJSON_IsObject(it)) {
            ERR(L, w2, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, it, w2, item_fields);
        const char *educ = get_str(L, it, w2, "education", STR_ID);
        const char *name = get_str(L, it, w2, "name", STR_TEXT);
        const char *max = NULL;
        int r = known_rank(L, p, it, w2, "max", &max);
        if (!educ || !name || r != 0) {
            bad = -1;
            continue;
        }
        if (ceiling_has(kd, educ)) {
            ERR(L, w2, "the education '%s' is listed twice",
                kb_diag_show(shown, sizeof shown, educ));
            bad = -1;
            continue;
        }
        kd->ceil[kd->rule.nceilings++] =
            (struct kb_ceiling){.education = educ, .name = name, .max_rank = max};
    }
    kd->rule.ceilings = kd->ceil;
    return bad;
}

static int parse_stlud(struct loader *L, struct kb_policy *p, const cJSON *sec, const char *base,
                       struct kp_data *kd)
{
    static const char *const fields[] = {"steps", "source", "verified", NULL};
    static const char *const step_fields[] = {"from", "to", "exempt_education", NULL};
    char where[POLICY_PATH_MAX], w2[POLICY_PATH_MAX], w3[POLICY_PATH_MAX], shown[48];
    pathf(where, sizeof where, "%s.stlud", base);
    const cJSON *e = get_obj(L, sec, base, "stlud");
    if (!e)
        return -1;
    int bad = check_fields(L, e, where, fields);
    bad |= check_source(L, e, where);
    size_t n;
    const cJSON *list = get_list(L, e, where, "steps", POLICY_STLUD_MAX, false, &n);
    if (!list)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(list, (int)i);
        pathf(w2, sizeof w2, "%s.steps[%zu]", where, i);
        if (!cJSON_IsObject(it)) {
            ERR(L, w2, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, it, w2, step_fields);
        const char *from = NULL, *to = NULL;
        int r = known_rank(L, p, it, w2, "from", &from);
        r |= known_rank(L, p, it, w2, "to", &to);
        if (r != 0) {
            bad = -1;
            continue;
        }
        int fi = rank_index(p, from), ti = rank_index(p, to);
        if (fi >= 0 && ti != fi + 1) {
            ERR(L, w2, "'to' must be the rank right above '%s'", from);
            bad = -1;
            continue;
        }
        size_t k = kd->rule.nstlud;
        struct kb_stlud_step *st = &kd->stlud[k];
        *st = (struct kb_stlud_step){.from = from, .to = to, .exempt_educ = kd->exempt[k]};
        const cJSON *ex = cJSON_GetObjectItemCaseSensitive(it, "exempt_education");
        size_t nex = 0;
        if (ex && !(ex = get_list(L, it, w2, "exempt_education", POLICY_EXEMPT_MAX, true, &nex)))
            bad = -1;
        for (size_t j = 0; ex && j < nex; j++) {
            pathf(w3, sizeof w3, "%s.exempt_education[%zu]", w2, j);
            const char *educ = str_value(L, cJSON_GetArrayItem(ex, (int)j), w3, STR_ID);
            if (!educ) {
                bad = -1;
                continue;
            }
            if (kd->rule.nceilings && !ceiling_has(kd, educ)) {
                ERR(L, w3, "unknown education '%s': use an id from %s.education_ceiling.list",
                    kb_diag_show(shown, sizeof shown, educ), base);
                bad = -1;
                continue;
            }
            kd->exempt[k][st->nexempt++] = educ;
        }
        kd->rule.nstlud++;
    }
    kd->rule.stlud = kd->stlud;
    return bad;
}

static int parse_ak(struct loader *L, struct kb_policy *p, const cJSON *sec, const char *base,
                    struct kp_data *kd)
{
    static const char *const fields[] = {"required", "source", "verified", NULL};
    static const char *const item_fields[] = {"to", "ak", NULL};
    char where[POLICY_PATH_MAX], w2[POLICY_PATH_MAX];
    pathf(where, sizeof where, "%s.angka_kredit", base);
    const cJSON *e = get_obj(L, sec, base, "angka_kredit");
    if (!e)
        return -1;
    int bad = check_fields(L, e, where, fields);
    bad |= check_source(L, e, where);
    kd->rule.angka_kredit = true;
    size_t n;
    const cJSON *list = get_list(L, e, where, "required", POLICY_AK_MAX, true, &n);
    if (!list)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(list, (int)i);
        pathf(w2, sizeof w2, "%s.required[%zu]", where, i);
        if (!cJSON_IsObject(it)) {
            ERR(L, w2, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, it, w2, item_fields);
        const char *to = NULL;
        int r = known_rank(L, p, it, w2, "to", &to);
        const cJSON *ak = cJSON_GetObjectItemCaseSensitive(it, "ak");
        if (!cJSON_IsNumber(ak) || !isfinite(ak->valuedouble) || ak->valuedouble < 0 ||
            ak->valuedouble > 100000) {
            ERR(L, w2, "'ak' must be a number from 0 to 100000 (without quotes)");
            r = -1;
        }
        for (size_t j = 0; r == 0 && j < kd->rule.nak; j++)
            if (!strcmp(kd->ak[j].to, to)) {
                ERR(L, w2, "the rank '%s' is listed twice", to);
                r = -1;
            }
        if (r != 0) {
            bad = -1;
            continue;
        }
        kd->ak[kd->rule.nak++] = (struct kb_ak_req){.to = to, .ak = ak->valuedouble};
    }
    kd->rule.ak = kd->ak;
    return bad;
}

/* A section describing one kind of KP. Each part is optional, so that a regulation change
 * (say, an ujian dinas for KP pilihan) is an edit of the file; min_years is required. */
static int parse_kp(struct loader *L, struct kb_policy *p, const cJSON *root, const char *name,
                    enum kb_kp_type type)
{
    static const char *const fields[] = {"min_years", "performance",  "education_ceiling",
                                         "stlud",     "angka_kredit", "position_ceiling",
                                         NULL};
    struct kp_data *kd = &p->kp[type];
    const cJSON *sec = get_obj(L, root, "", name);
    if (!sec)
        return -1;
    int bad = check_fields(L, sec, name, fields);
    bad |= get_value_entry(L, sec, name, "min_years", 1, 40, &kd->rule.min_years);
    if (cJSON_GetObjectItemCaseSensitive(sec, "performance"))
        bad |= parse_performance(L, p, sec, name, kd);
    if (cJSON_GetObjectItemCaseSensitive(sec, "education_ceiling"))
        bad |= parse_ceiling(L, p, sec, name, kd);
    if (cJSON_GetObjectItemCaseSensitive(sec, "stlud"))
        bad |= parse_stlud(L, p, sec, name, kd);
    if (cJSON_GetObjectItemCaseSensitive(sec, "angka_kredit"))
        bad |= parse_ak(L, p, sec, name, kd);
    if (cJSON_GetObjectItemCaseSensitive(sec, "position_ceiling")) {
        static const char *const pc_fields[] = {"source", "verified", NULL};
        char where[POLICY_PATH_MAX];
        pathf(where, sizeof where, "%s.position_ceiling", name);
        const cJSON *pc = get_obj(L, sec, name, "position_ceiling");
        if (pc) {
            bad |= check_fields(L, pc, where, pc_fields);
            bad |= check_source(L, pc, where);
            kd->rule.position_ceiling = true;
        } else {
            bad = -1;
        }
    }
    return bad;
}

static int parse_stages(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {"stages", "returns", "source", "verified", NULL};
    static const char *const stage_fields[] = {"id", "name", "actor", "expected_days", NULL};
    static const char *const ret_fields[] = {"code", "name", "meaning", "action", NULL};
    const char *base = "promotion_stages";
    const cJSON *sec = get_obj(L, root, "", base);
    if (!sec)
        return -1;
    int bad = check_fields(L, sec, base, fields);
    bad |= check_source(L, sec, base);
    char where[POLICY_PATH_MAX], shown[48];
    size_t n;
    const cJSON *list = get_list(L, sec, base, "stages", POLICY_STAGES_MAX, false, &n);
    if (!list)
        bad = -1;
    for (size_t i = 0; list && i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, (int)i);
        pathf(where, sizeof where, "%s.stages[%zu]", base, i);
        if (!cJSON_IsObject(e)) {
            ERR(L, where, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, e, where, stage_fields);
        struct kb_stage st = {0};
        st.id = get_str(L, e, where, "id", STR_ID);
        st.name = get_str(L, e, where, "name", STR_TEXT);
        st.actor = get_str(L, e, where, "actor", STR_TEXT);
        int r = get_int(L, e, where, "expected_days", 1, 365, &st.expected_days);
        if (!st.id || !st.name || !st.actor || r != 0) {
            bad = -1;
            continue;
        }
        if (kb_policy_stage(p, st.id)) {
            ERR(L, where, "the stage '%s' is listed twice",
                kb_diag_show(shown, sizeof shown, st.id));
            bad = -1;
            continue;
        }
        p->stages[p->nstages++] = st;
    }
    list = get_list(L, sec, base, "returns", POLICY_RETURNS_MAX, false, &n);
    if (!list)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, (int)i);
        pathf(where, sizeof where, "%s.returns[%zu]", base, i);
        if (!cJSON_IsObject(e)) {
            ERR(L, where, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, e, where, ret_fields);
        struct kb_return_code rc = {0};
        rc.code = get_str(L, e, where, "code", STR_CODE);
        rc.name = get_str(L, e, where, "name", STR_TEXT);
        rc.meaning = get_str(L, e, where, "meaning", STR_TEXT);
        rc.action = get_str(L, e, where, "action", STR_TEXT);
        if (!rc.code || !rc.name || !rc.meaning || !rc.action) {
            bad = -1;
            continue;
        }
        if (kb_policy_return_code(p, rc.code)) {
            ERR(L, where, "the code '%s' is listed twice",
                kb_diag_show(shown, sizeof shown, rc.code));
            bad = -1;
            continue;
        }
        p->returns[p->nreturns++] = rc;
    }
    return bad;
}

static int parse_forms(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {"forms", "source", "verified", NULL};
    static const char *const form_fields[] = {"id", "name", "group", "jp_per_day", NULL};
    static const char *const groups[] = {"klasikal", "nonklasikal", "pendidikan", "sertifikasi"};
    const char *base = "development_forms";
    const cJSON *sec = get_obj(L, root, "", base);
    if (!sec)
        return -1;
    int bad = check_fields(L, sec, base, fields);
    bad |= check_source(L, sec, base);
    char where[POLICY_PATH_MAX], shown[48];
    size_t n;
    const cJSON *list = get_list(L, sec, base, "forms", POLICY_FORMS_MAX, false, &n);
    if (!list)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, (int)i);
        pathf(where, sizeof where, "%s.forms[%zu]", base, i);
        if (!cJSON_IsObject(e)) {
            ERR(L, where, "must be an object in braces { }");
            bad = -1;
            continue;
        }
        bad |= check_fields(L, e, where, form_fields);
        struct kb_dev_form f = {0};
        f.id = get_str(L, e, where, "id", STR_ID);
        f.name = get_str(L, e, where, "name", STR_TEXT);
        const char *group = get_str(L, e, where, "group", STR_ID);
        int g = -1;
        for (int j = 0; group && j < 4 && g < 0; j++)
            if (!strcmp(group, groups[j]))
                g = j;
        if (group && g < 0)
            ERR(L, where,
                "'group' must be \"klasikal\", \"nonklasikal\", \"pendidikan\" or "
                "\"sertifikasi\"");
        int r = 0;
        if (cJSON_GetObjectItemCaseSensitive(e, "jp_per_day"))
            r = get_value_entry(L, e, where, "jp_per_day", 1, 24, &f.jp_per_day);
        if (!f.id || !f.name || g < 0 || r != 0) {
            bad = -1;
            continue;
        }
        f.group = (enum kb_form_group)g;
        if (kb_policy_form(p, f.id)) {
            ERR(L, where, "the form '%s' is listed twice", kb_diag_show(shown, sizeof shown, f.id));
            bad = -1;
            continue;
        }
        p->forms[p->nforms++] = f;
    }
    return bad;
}

static int parse_documents(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {"reguler", "pilihan",  "fungsional",
                                         "source",  "verified", NULL};
    static const enum kb_kp_type types[] = {KB_KP_REGULER, KB_KP_PILIHAN, KB_KP_FUNGSIONAL};
    const char *base = "documents";
    const cJSON *sec = get_obj(L, root, "", base);
    if (!sec)
        return -1;
    int bad = check_fields(L, sec, base, fields);
    bad |= check_source(L, sec, base);
    char where[POLICY_PATH_MAX];
    for (size_t t = 0; t < 3; t++) {
        const char *name = fields[t];
        size_t n;
        const cJSON *list = get_list(L, sec, base, name, POLICY_DOCS_MAX, false, &n);
        if (!list) {
            bad = -1;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            pathf(where, sizeof where, "%s.%s[%zu]", base, name, i);
            const char *s = str_value(L, cJSON_GetArrayItem(list, (int)i), where, STR_TEXT);
            if (!s) {
                bad = -1;
                continue;
            }
            p->docs[types[t]][p->ndocs[types[t]]++] = s;
        }
    }
    return bad;
}

static int parse_policy(struct loader *L, struct kb_policy *p, const cJSON *root)
{
    static const char *const fields[] = {
        "jp",         "ranks",   "promotion_calendar", "performance_labels", "reguler",
        "fungsional", "pilihan", "promotion_stages",   "development_forms",  "documents",
        NULL};
    int bad = check_fields(L, root, NULL, fields);
    /* Ranks and labels first: the rules refer to them. */
    bad |= parse_jp(L, p, root);
    bad |= parse_ranks(L, p, root);
    bad |= parse_calendar(L, p, root);
    bad |= parse_labels(L, p, root);
    bad |= parse_kp(L, p, root, "reguler", KB_KP_REGULER);
    bad |= parse_kp(L, p, root, "fungsional", KB_KP_FUNGSIONAL);
    bad |= parse_kp(L, p, root, "pilihan", KB_KP_PILIHAN);
    bad |= parse_stages(L, p, root);
    bad |= parse_forms(L, p, root);
    bad |= parse_documents(L, p, root);
    return bad;
}

/* ---- loading ------------------------------------------------------------------------------- */

struct kb_policy *kb_policy_load(const char *defaults_dir, const char *override_dir,
                                 struct kb_diag *diag)
{
    size_t errors_before = diag->errors;
    char path[4096], shown[4096];
    struct loader L = {.diag = diag, .file = "dialogs/" KB_POLICY_FILE};
    struct kb_policy *p = NULL;
    char *text = NULL;

    /* HR's copy replaces the shipped file whole, like a dialog file: a rule list merged from
     * two files could mix two regulations. The override is named by its full path so that a
     * problem points at the file to edit. */
    int len = -1;
    if (override_dir) {
        len = snprintf(path, sizeof path, "%s/dialogs/%s", override_dir, KB_POLICY_FILE);
        if (len < 0 || (size_t)len >= sizeof path) {
            ERR(&L, NULL, "the directory name %s is too long", override_dir);
            goto done;
        }
        if (access(path, F_OK) == 0) {
            snprintf(shown, sizeof shown, "%s", path);
            L.file = shown;
        } else {
            len = -1;
        }
    }
    if (len < 0) {
        len = snprintf(path, sizeof path, "%s/dialogs/%s", defaults_dir, KB_POLICY_FILE);
        if (len < 0 || (size_t)len >= sizeof path) {
            ERR(&L, NULL, "the directory name %s is too long", defaults_dir);
            goto done;
        }
    }

    struct kb_buf b;
    kb_buf_init(&b, POLICY_FILE_MAX);
    int rc = kb_buf_read_file(&b, path);
    if (rc != 0) {
        ERR(&L, NULL, rc == -2 ? "is larger than 256 KiB" : "cannot be read");
        kb_buf_free(&b);
        goto done;
    }
    size_t tlen = b.len;
    text = kb_buf_take(&b);
    p = calloc(1, sizeof *p);
    if (!text || !p) {
        ERR(&L, NULL, "out of memory");
        goto done;
    }
    const char *end = NULL;
    p->root = cJSON_ParseWithLengthOpts(text, tlen, &end, 0);
    if (!p->root) {
        int line = 1;
        for (const char *c = text; end && c < end && c < text + tlen; c++)
            line += *c == '\n';
        ERR(&L, NULL,
            "is not valid JSON near line %d (look for a missing comma, quote or brace there or "
            "just before)",
            line);
        goto done;
    }
    if (!cJSON_IsObject(p->root)) {
        ERR(&L, NULL, "must be one JSON object in braces { }");
        goto done;
    }
    parse_policy(&L, p, p->root);

done:
    free(text);
    if (diag->errors != errors_before) {
        kb_policy_free(p);
        return NULL;
    }
    return p;
}

void kb_policy_free(struct kb_policy *p)
{
    if (!p)
        return;
    cJSON_Delete(p->root);
    free(p);
}

/* ---- accessors ----------------------------------------------------------------------------- */

const struct kb_jp_rule *kb_policy_jp(const struct kb_policy *p, enum kb_asn_kind kind)
{
    if (!p || kind <= KB_ASN_UNKNOWN || kind > KB_ASN_PPPK || !p->has_jp[kind])
        return NULL;
    return &p->jp[kind];
}

int kb_policy_minutes_per_jp(const struct kb_policy *p)
{
    return p ? p->minutes_per_jp : 0;
}

const struct kb_rank *kb_policy_ranks(const struct kb_policy *p, size_t *n)
{
    *n = p ? p->nranks : 0;
    return p ? p->ranks : NULL;
}

int kb_policy_rank_index(const struct kb_policy *p, const char *code)
{
    return p ? rank_index(p, code) : -1;
}

const struct kb_rank *kb_policy_rank(const struct kb_policy *p, const char *code)
{
    int i = kb_policy_rank_index(p, code);
    return i < 0 ? NULL : &p->ranks[i];
}

const struct kb_rank *kb_policy_rank_next(const struct kb_policy *p, const char *code)
{
    int i = kb_policy_rank_index(p, code);
    return i < 0 || (size_t)i + 1 >= p->nranks ? NULL : &p->ranks[i + 1];
}

int kb_policy_rank_format(const struct kb_policy *p, const char *code, char *buf, size_t cap)
{
    const struct kb_rank *r = kb_policy_rank(p, code);
    if (!buf || cap == 0)
        return -1;
    int n = r ? snprintf(buf, cap, "%s (%s)", r->pangkat, r->code) : -1;
    if (n < 0 || (size_t)n >= cap) {
        buf[0] = '\0';
        return -1;
    }
    return 0;
}

bool kb_policy_pppk_golongan(const struct kb_policy *p, const char *code)
{
    for (size_t i = 0; p && code && i < p->npppk; i++)
        if (!strcmp(p->pppk[i], code))
            return true;
    return false;
}

/* The first period on or after day `from` under regime r (whose own start is not checked). */
static int64_t regime_next(const struct period *r, int64_t from)
{
    int y, m, d;
    kb_civil_from_days(from, &y, &m, &d);
    if (d > 1) { /* periods fall on the first of a month: this month's has passed */
        if (++m > 12)
            m = 1, y++;
    }
    /* At most 12 months on: a regime names at least one month. */
    for (int k = 0; k <= 12; k++) {
        if (r->monthly || (r->months & (1u << m)))
            return kb_days_from_civil(y, m, 1);
        if (++m > 12)
            m = 1, y++;
    }
    return INT64_MAX;
}

int kb_policy_next_period(const struct kb_policy *p, const char *on_or_after, char out[11])
{
    int y, m, d;
    out[0] = '\0';
    if (!p || !p->ncal || kb_date_parse(on_or_after, &y, &m, &d) != 0)
        return -1;
    int64_t day = kb_days_from_civil(y, m, d);
    if (day < p->cal[0].from)
        return -1;
    /* Walk the regimes from the one in force at `day`: a candidate counts only when it falls
     * before the next regime starts (1 Oct 2025 is the first monthly period, even though the
     * six-dates regime would also name 1 Oct). */
    size_t i = 0;
    while (i + 1 < p->ncal && p->cal[i + 1].from <= day)
        i++;
    for (; i < p->ncal; i++) {
        int64_t start = day > p->cal[i].from ? day : p->cal[i].from;
        int64_t cand = regime_next(&p->cal[i], start);
        if (i + 1 < p->ncal && cand >= p->cal[i + 1].from)
            continue;
        if (cand == INT64_MAX)
            return -1;
        kb_civil_from_days(cand, &y, &m, &d);
        return kb_date_make(out, y, m, d);
    }
    return -1;
}

const struct kb_kp_rule *kb_policy_kp_rule(const struct kb_policy *p, enum kb_kp_type type)
{
    if (!p || type <= KB_KP_NONE || type > KB_KP_FUNGSIONAL)
        return NULL;
    return &p->kp[type].rule;
}

const struct kb_perf_label *kb_policy_perf_labels(const struct kb_policy *p, size_t *n)
{
    *n = p ? p->nlabels : 0;
    return p ? p->labels : NULL;
}

const struct kb_perf_label *kb_policy_perf_label(const struct kb_policy *p, const char *id)
{
    return p ? label_find(p, id) : NULL;
}

const struct kb_stage *kb_policy_stages(const struct kb_policy *p, size_t *n)
{
    *n = p ? p->nstages : 0;
    return p ? p->stages : NULL;
}

const struct kb_stage *kb_policy_stage(const struct kb_policy *p, const char *id)
{
    for (size_t i = 0; p && id && i < p->nstages; i++)
        if (!strcmp(p->stages[i].id, id))
            return &p->stages[i];
    return NULL;
}

const struct kb_return_code *kb_policy_return_code(const struct kb_policy *p, const char *code)
{
    for (size_t i = 0; p && code && i < p->nreturns; i++)
        if (!strcmp(p->returns[i].code, code))
            return &p->returns[i];
    return NULL;
}

const struct kb_dev_form *kb_policy_forms(const struct kb_policy *p, size_t *n)
{
    *n = p ? p->nforms : 0;
    return p ? p->forms : NULL;
}

const struct kb_dev_form *kb_policy_form(const struct kb_policy *p, const char *id)
{
    for (size_t i = 0; p && id && i < p->nforms; i++)
        if (!strcmp(p->forms[i].id, id))
            return &p->forms[i];
    return NULL;
}

const char *const *kb_policy_documents(const struct kb_policy *p, enum kb_kp_type type, size_t *n)
{
    *n = 0;
    if (!p || type <= KB_KP_NONE || type > KB_KP_FUNGSIONAL)
        return NULL;
    *n = p->ndocs[type];
    return p->docs[type];
}
