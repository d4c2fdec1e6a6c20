/* import_fields: reading one value of a spreadsheet cell as HR writes it — dates in the three
 * forms of the contract, rupiah and decimal numbers in the Indonesian way (1.500.000; 12,5),
 * education levels, ranks and predikat kinerja matched to the policy data whatever their
 * spelling, and the kind of a position. The spellings accepted here are ways of writing
 * the same thing, not regulation: which levels, ranks and labels exist comes from the policy. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/idfmt.h"
#include "karirbot/import.h"
#include "karirbot/policy.h"

/* s without leading and trailing spaces, copied into out (cap bytes); -1 when it does not
 * fit. */
static int trimmed(const char *s, char *out, size_t cap)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= cap)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* Lowercase ASCII letters and digits of s[0..n) only: "S-1" and "s 1" are both "s1". */
static void key_of(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) && c < 0x80)
            out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
}

static int digits_at(const char *s, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

int kb_import_date(const char *s, char out[11])
{
    char t[16];
    out[0] = '\0';
    if (trimmed(s, t, sizeof t) != 0)
        return -1;
    /* Three runs of digits split by two equal separators. */
    const char *p = t;
    size_t len[3];
    const char *part[3];
    char sep = 0;
    for (int i = 0; i < 3; i++) {
        part[i] = p;
        len[i] = strspn(p, "0123456789");
        p += len[i];
        if (i < 2) {
            if ((*p != '-' && *p != '/') || (sep && *p != sep))
                return -1;
            sep = *p++;
        }
    }
    if (*p)
        return -1;
    int y, m, d;
    if (len[0] == 4 && sep == '-' && len[1] >= 1 && len[1] <= 2 && len[2] >= 1 && len[2] <= 2) {
        digits_at(part[0], 4, &y);
        digits_at(part[1], len[1], &m);
        digits_at(part[2], len[2], &d);
    } else if (len[2] == 4 && len[0] >= 1 && len[0] <= 2 && len[1] >= 1 && len[1] <= 2) {
        digits_at(part[0], len[0], &d);
        digits_at(part[1], len[1], &m);
        digits_at(part[2], 4, &y);
    } else {
        return -1;
    }
    if (y < 1900 || y > 2199)
        return -1;
    return kb_date_make(out, y, m, d);
}

/* Digits grouped by thousands with sep ("1.500.000"), or plain digits: the digits into out.
 * Returns -1 for anything else. */
static int grouped_digits(const char *s, char sep, char *out, size_t cap)
{
    size_t k = 0, run = 0;
    int groups = 0;
    for (const char *p = s;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (k + 1 >= cap)
                return -1;
            out[k++] = *p;
            run++;
        } else if (sep && *p == sep) {
            if (run == 0 || (groups ? run != 3 : run > 3))
                return -1;
            groups++;
            run = 0;
        } else if (*p == '\0') {
            break;
        } else {
            return -1;
        }
    }
    out[k] = '\0';
    if (k == 0 || (groups && run != 3))
        return -1;
    return 0;
}

int kb_import_rupiah(const char *s, int64_t *out)
{
    char t[48], digits[24];
    *out = 0;
    if (trimmed(s, t, sizeof t) != 0 || !*t)
        return -1;
    char *p = t;
    if ((p[0] == 'R' || p[0] == 'r') && (p[1] == 'p' || p[1] == 'P')) {
        p += 2;
        if (*p == '.')
            p++;
        while (*p == ' ')
            p++;
    }
    size_t n = strlen(p);
    /* No cents: ",-", ",0", ",00" (or with a point) end a whole amount. */
    if (n >= 2 && p[n - 1] == '-' && (p[n - 2] == ',' || p[n - 2] == '.'))
        p[n -= 2] = '\0';
    else if (n >= 3 && (p[n - 2] == ',' || p[n - 2] == '.') && p[n - 1] == '0')
        p[n -= 2] = '\0';
    else if (n >= 4 && (p[n - 3] == ',' || p[n - 3] == '.') && p[n - 2] == '0' && p[n - 1] == '0')
        p[n -= 3] = '\0';
    char sep = strchr(p, '.') ? '.' : strchr(p, ',') ? ',' : 0;
    if (grouped_digits(p, sep, digits, sizeof digits) != 0 || strlen(digits) > 15)
        return -1;
    *out = strtoll(digits, NULL, 10);
    return 0;
}

int kb_import_decimal(const char *s, double *out)
{
    char t[48], num[48];
    *out = 0;
    if (trimmed(s, t, sizeof t) != 0 || !*t)
        return -1;
    char *comma = strchr(t, ','), *frac = NULL;
    if (comma) { /* decimal comma; points group thousands */
        if (strchr(comma + 1, ',') || strchr(comma + 1, '.'))
            return -1;
        *comma = '\0';
        frac = comma + 1;
        if (grouped_digits(t, strchr(t, '.') ? '.' : 0, num, sizeof num) != 0)
            return -1;
    } else {
        char *point = strchr(t, '.');
        if (point) {
            if (strchr(point + 1, '.'))
                return -1;
            *point = '\0';
            frac = point + 1;
        }
        if (grouped_digits(t, 0, num, sizeof num) != 0)
            return -1;
    }
    if (frac) {
        if (!*frac || strspn(frac, "0123456789") != strlen(frac) ||
            strlen(num) + strlen(frac) + 2 > sizeof num)
            return -1;
        strcat(num, ".");
        strcat(num, frac);
    }
    *out = strtod(num, NULL);
    return 0;
}

int kb_import_int(const char *s, long min, long max, long *out)
{
    char t[32], digits[24];
    *out = 0;
    if (trimmed(s, t, sizeof t) != 0 || !*t)
        return -1;
    if (grouped_digits(t, strchr(t, '.') ? '.' : 0, digits, sizeof digits) != 0 ||
        strlen(digits) > 12)
        return -1;
    long long v = strtoll(digits, NULL, 10);
    if (v < min || v > max)
        return -1;
    *out = (long)v;
    return 0;
}

/* ---- education ------------------------------------------------------------------------------ */

/* Common ways of writing a level, as keys (key_of), and the id the policy ships for it. */
static const struct {
    const char *key, *id;
} educ_aliases[] = {
    {"sd", "sd"},         {"mi", "sd"},       {"sekolahdasar", "sd"}, {"sltp", "sltp"},
    {"smp", "sltp"},      {"mts", "sltp"},    {"slta", "slta"},       {"sma", "slta"},
    {"smu", "slta"},      {"smk", "slta"},    {"ma", "slta"},         {"stm", "slta"},
    {"smea", "slta"},     {"d1", "d1"},       {"di", "d1"},           {"d2", "d2"},
    {"dii", "d2"},        {"d3", "d3"},       {"diii", "d3"},         {"d4", "d4"},
    {"div", "d4"},        {"s1", "s1"},       {"sarjana", "s1"},      {"s2", "s2"},
    {"magister", "s2"},   {"master", "s2"},   {"s3", "s3"},           {"doktor", "s3"},
    {"dokter", "dokter"}, {"sgplb", "sgplb"},
};

static const char *educ_one(const struct kb_ceiling *c, size_t n, const char *s, size_t len)
{
    char key[64], k2[64];
    key_of(s, len, key, sizeof key);
    if (!*key)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        key_of(c[i].education, strlen(c[i].education), k2, sizeof k2);
        if (!strcmp(key, k2))
            return c[i].education;
        key_of(c[i].name, strlen(c[i].name), k2, sizeof k2);
        if (!strcmp(key, k2))
            return c[i].education;
    }
    for (size_t a = 0; a < sizeof educ_aliases / sizeof educ_aliases[0]; a++)
        if (!strcmp(key, educ_aliases[a].key))
            for (size_t i = 0; i < n; i++)
                if (!strcmp(c[i].education, educ_aliases[a].id))
                    return c[i].education;
    return NULL;
}

const char *kb_import_education(const struct kb_policy *p, const char *s)
{
    const struct kb_kp_rule *r = kb_policy_kp_rule(p, KB_KP_REGULER);
    if (!r || !r->nceilings)
        return NULL;
    /* "SMA/SLTA": every part must name the same level. */
    const char *found = NULL;
    for (const char *part = s;;) {
        const char *end = strchr(part, '/');
        size_t len = end ? (size_t)(end - part) : strlen(part);
        const char *id = educ_one(r->ceilings, r->nceilings, part, len);
        if (!id || (found && strcmp(found, id) != 0))
            return NULL;
        found = id;
        if (!end)
            break;
        part = end + 1;
    }
    return found;
}

/* ---- ranks ---------------------------------------------------------------------------------- */

static const char *const roman[] = {"I", "II", "III", "IV",   "V",   "VI", "VII", "VIII", "IX",
                                    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"};
#define NROMAN ((int)(sizeof roman / sizeof roman[0]))

/* The number written in s[0..n) as Roman (any case) or Arabic digits, 1..17; 0 otherwise. */
static int golongan_number(const char *s, size_t n)
{
    char up[8];
    if (n == 0 || n >= sizeof up)
        return 0;
    int v;
    if (digits_at(s, n, &v) == 0)
        return v >= 1 && v <= NROMAN ? v : 0;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)toupper((unsigned char)s[i]);
    up[n] = '\0';
    for (int i = 0; i < NROMAN; i++)
        if (!strcmp(up, roman[i]))
            return i + 1;
    return 0;
}

int kb_import_grade(const struct kb_policy *p, int pppk, const char *s, char out[8])
{
    char t[16];
    out[0] = '\0';
    if (trimmed(s, t, sizeof t) != 0 || !*t)
        return -1;
    size_t n = strspn(t, "IVXivx0123456789");
    int g = golongan_number(t, n);
    if (!g)
        return -1;
    const char *rest = t + n;
    if (pppk) {
        if (*rest)
            return -1;
        snprintf(out, 8, "%s", roman[g - 1]);
        return kb_policy_pppk_golongan(p, out) ? 0 : -1;
    }
    rest += strspn(rest, " /.-"); /* "III/a", "III a", "III-a", "IIIa" */
    if (!isalpha((unsigned char)rest[0]) || rest[1])
        return -1;
    snprintf(out, 8, "%s/%c", roman[g - 1], tolower((unsigned char)rest[0]));
    return kb_policy_rank_index(p, out) >= 0 ? 0 : (out[0] = '\0', -1);
}

/* ---- predikat kinerja and positions --------------------------------------------------------- */

const char *kb_import_perf(const struct kb_policy *p, const char *s)
{
    char key[64], k2[64];
    key_of(s, strlen(s), key, sizeof key);
    if (!*key)
        return NULL;
    size_t n;
    const struct kb_perf_label *l = kb_policy_perf_labels(p, &n);
    for (size_t i = 0; i < n; i++) {
        key_of(l[i].id, strlen(l[i].id), k2, sizeof k2);
        if (!strcmp(key, k2))
            return l[i].name;
        for (const char *part = l[i].name;;) {
            const char *end = strchr(part, '/');
            size_t len = end ? (size_t)(end - part) : strlen(part);
            key_of(part, len, k2, sizeof k2);
            if (!strcmp(key, k2))
                return l[i].name;
            if (!end)
                break;
            part = end + 1;
        }
        key_of(l[i].name, strlen(l[i].name), k2, sizeof k2);
        if (!strcmp(key, k2))
            return l[i].name;
    }
    return NULL;
}

const char *kb_import_position_kind(const char *s)
{
    static const struct {
        const char *key, *kind;
    } kinds[] = {
        /* Jabatan fungsional umum (JFU) is the older name of jabatan pelaksana. */
        {"pelaksana", "pelaksana"},
        {"fungsionalumum", "pelaksana"},
        {"jfu", "pelaksana"},
        {"fungsional", "fungsional"},
        {"fungsionaltertentu", "fungsional"},
        {"jft", "fungsional"},
        {"jf", "fungsional"},
        {"struktural", "struktural"},
        {"pimpinantinggi", "struktural"},
        {"jpt", "struktural"},
        {"administrator", "struktural"},
        {"pengawas", "struktural"},
        {"manajerial", "struktural"},
    };
    char key[64];
    key_of(s, strlen(s), key, sizeof key);
    const char *k = key;
    if (!strncmp(k, "jabatan", 7) && k[7])
        k += 7;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(k, kinds[i].key))
            return kinds[i].kind;
    if (!strncmp(k, "pimpinantinggi", 14)) /* pratama, madya, utama */
        return "struktural";
    return NULL;
}
