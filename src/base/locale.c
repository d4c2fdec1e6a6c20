/* locale: message catalogs from <dir>/locales/<lang>.json and <dir>/locales/<lang>/<area>.json (the
 * texts of one area of flows per file) — the shipped defaults, with the entries of an override
 * directory (HR's edits) taking precedence. A key missing in the
 * requested language falls back to Indonesian, then English, then the key itself (logged). */
#include "karirbot/locale.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/buf.h"
#include "karirbot/idfmt.h"
#include "karirbot/log.h"

#define LOCALE_FILE_MAX (1 << 20)
#define LOCALE_TEXT_MAX (64 * 1024)

static const char *const known_langs[] = {"id", "en"};
#define NLANGS (sizeof known_langs / sizeof known_langs[0])

struct kb_locale {
    cJSON *catalog[NLANGS];
};

static char *read_file(const char *path, size_t max)
{
    struct kb_buf b;
    kb_buf_init(&b, max);
    if (kb_buf_read_file(&b, path) != 0) {
        kb_buf_free(&b);
        return NULL;
    }
    return kb_buf_take(&b);
}

/* Reads <dir>/locales/<lang>.json. Returns the parsed object, NULL with *absent set when the
 * file does not exist, or NULL after logging when it is unreadable or not a JSON object. */
static cJSON *load_catalog(const char *dir, const char *lang, int *absent)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/locales/%s.json", dir, lang);
    *absent = 0;
    if (access(path, F_OK) != 0) {
        *absent = 1;
        return NULL;
    }
    char *text = read_file(path, LOCALE_FILE_MAX);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsObject(root)) {
        KB_ERROR("locale.invalid", "lang=%s path=%s reason=\"%s\"", lang, path,
                 text ? "not a JSON object" : "unreadable or larger than 1 MiB");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* Moves every entry of from into into, replacing entries of the same name; frees from. */
static void merge(cJSON *into, cJSON *from)
{
    while (from && from->child) {
        cJSON *item = cJSON_DetachItemViaPointer(from, from->child);
        cJSON_DeleteItemFromObjectCaseSensitive(into, item->string);
        cJSON_AddItemToObject(into, item->string, item);
    }
    cJSON_Delete(from);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Merges <dir>/locales/<lang>/<area>.json, in name order, into cat. A key defined by two files
 * is an error: each text has one home. Returns 0, or -1 after logging. */
static int load_parts(const char *dir, const char *lang, cJSON *cat)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/locales/%s", dir, lang);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        size_t len = strlen(e->d_name);
        char *name = e->d_name[0] != '.' && len > 5 && !strcmp(e->d_name + len - 5, ".json")
                         ? strdup(e->d_name)
                         : NULL;
        if (name)
            names[n++] = name;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int absent;
        char part[4200];
        snprintf(part, sizeof part, "%s/%.*s", lang, (int)strlen(names[i]) - 5, names[i]);
        cJSON *c = rc == 0 ? load_catalog(dir, part, &absent) : NULL;
        if (!c)
            rc = -1;
        for (const cJSON *it = c ? c->child : NULL; it && rc == 0; it = it->next) {
            if (cJSON_GetObjectItemCaseSensitive(cat, it->string)) {
                KB_ERROR("locale.duplicate_key", "lang=%s file=%s key=%s", lang, names[i],
                         it->string);
                rc = -1;
            }
        }
        if (rc == 0)
            merge(cat, c);
        else
            cJSON_Delete(c);
        free(names[i]);
    }
    return rc;
}

struct kb_locale *kb_locale_load(const char *defaults_dir, const char *override_dir)
{
    struct kb_locale *loc = calloc(1, sizeof *loc);
    if (!loc)
        return NULL;
    for (size_t i = 0; i < NLANGS; i++) {
        int absent;
        loc->catalog[i] = load_catalog(defaults_dir, known_langs[i], &absent);
        if (!loc->catalog[i]) {
            if (absent)
                KB_ERROR("locale.missing", "lang=%s dir=%s", known_langs[i], defaults_dir);
            goto fail;
        }
        if (load_parts(defaults_dir, known_langs[i], loc->catalog[i]) != 0)
            goto fail;
        if (!override_dir)
            continue;
        cJSON *over = load_catalog(override_dir, known_langs[i], &absent);
        if (!over && !absent)
            goto fail; /* a broken override is an error, not a silent fallback */
        merge(loc->catalog[i], over);
    }
    return loc;
fail:
    kb_locale_free(loc);
    return NULL;
}

void kb_locale_free(struct kb_locale *loc)
{
    if (!loc)
        return;
    for (size_t i = 0; i < NLANGS; i++)
        cJSON_Delete(loc->catalog[i]);
    free(loc);
}

static const char *lookup(const struct kb_locale *loc, const char *lang, const char *key)
{
    const char *order[3] = {lang, "id", "en"};
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < NLANGS; i++) {
            if (!order[k] || strcmp(order[k], known_langs[i]) != 0)
                continue;
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(loc->catalog[i], key);
            if (cJSON_IsString(v))
                return v->valuestring;
        }
    }
    return NULL;
}

const char *kb_locale_text(const struct kb_locale *loc, const char *lang, const char *key)
{
    for (size_t i = 0; i < NLANGS; i++) {
        if (lang && !strcmp(lang, known_langs[i])) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(loc->catalog[i], key);
            return cJSON_IsString(v) ? v->valuestring : NULL;
        }
    }
    return NULL;
}

static char *render(const struct kb_locale *loc, const char *lang, const char *key,
                    const char *const *vars, size_t nvars, int escape)
{
    const char *tmpl = lookup(loc, lang, key);
    struct kb_buf b;
    kb_buf_init(&b, LOCALE_TEXT_MAX);
    if (!tmpl) {
        KB_WARN("locale.key_missing", "key=%s lang=%s", key, lang ? lang : "-");
        if ((escape ? kb_buf_add_html(&b, key) : kb_buf_add(&b, key, strlen(key))) != 0)
            goto fail;
        return kb_buf_take(&b);
    }
    for (const char *p = tmpl; *p;) {
        size_t run = strcspn(p, "{");
        if (run) {
            if (kb_buf_add(&b, p, run) != 0)
                goto fail;
            p += run;
            continue;
        }
        const char *close = strchr(p, '}');
        if (close) {
            size_t len = (size_t)(close - p - 1);
            const char *value = NULL;
            int raw = 0;
            for (size_t i = 0; i < nvars; i++) {
                const char *name = vars[2 * i];
                int r = name[0] == '!';
                if (strlen(name + r) == len && !strncmp(name + r, p + 1, len)) {
                    value = vars[2 * i + 1];
                    raw = r;
                }
            }
            if (value) {
                if ((raw || !escape ? kb_buf_add(&b, value, strlen(value))
                                    : kb_buf_add_html(&b, value)) != 0)
                    goto fail;
                p = close + 1;
                continue;
            }
        }
        if (kb_buf_add(&b, p, 1) != 0)
            goto fail;
        p++;
    }
    return kb_buf_take(&b);
fail:
    kb_buf_free(&b);
    return NULL;
}

char *kb_locale_render(const struct kb_locale *loc, const char *lang, const char *key,
                       const char *const *vars, size_t nvars)
{
    return render(loc, lang, key, vars, nvars, 1);
}

char *kb_locale_render_plain(const struct kb_locale *loc, const char *lang, const char *key,
                             const char *const *vars, size_t nvars)
{
    return render(loc, lang, key, vars, nvars, 0);
}

void kb_locale_each(const struct kb_locale *loc, const char *lang,
                    void (*fn)(void *ctx, const char *key, const char *text), void *ctx)
{
    for (size_t i = 0; i < NLANGS; i++) {
        if (!lang || strcmp(lang, known_langs[i]) != 0)
            continue;
        const cJSON *v;
        cJSON_ArrayForEach(v, loc->catalog[i])
        {
            if (cJSON_IsString(v) && v->string)
                fn(ctx, v->string, v->valuestring);
        }
    }
}

int kb_locale_names(const struct kb_locale *loc, const char *lang, const char *key,
                    const char **out, size_t n)
{
    const char *order[3] = {lang, "id", "en"};
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < NLANGS; i++) {
            if (!order[k] || strcmp(order[k], known_langs[i]) != 0)
                continue;
            const cJSON *arr = cJSON_GetObjectItemCaseSensitive(loc->catalog[i], key);
            if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != n)
                continue;
            size_t j = 0;
            const cJSON *v;
            cJSON_ArrayForEach(v, arr)
            {
                if (!cJSON_IsString(v))
                    break;
                out[j++] = v->valuestring;
            }
            if (j == n)
                return 0;
        }
    }
    KB_WARN("locale.names_missing", "key=%s lang=%s", key, lang ? lang : "-");
    return -1;
}

int kb_locale_date(const struct kb_locale *loc, const char *lang, const char *ymd, char *buf,
                   size_t cap)
{
    const char *months[12];
    if (kb_locale_names(loc, lang, "months", months, 12) != 0) {
        if (cap)
            buf[0] = '\0';
        return -1;
    }
    return kb_fmt_date(buf, cap, ymd, months);
}
