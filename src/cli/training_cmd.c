/* training_cmd: `karirbot training list|propose|accept|waitlist|complete|certificate|verify` —
 * HR moves training registrations through the stages after the supervisor's approval:
 *
 *   disetujui (a seat is held) --propose--> diusulkan --accept--> diterima --complete--> selesai
 *        \_____________________ waitlist ______________________/            verify: JP recognised
 *
 * The organiser decides who takes part: `accept` of someone on the waiting list gives them a
 * seat (the quota grows by one when none is free: the organiser made room), and `waitlist` of a
 * participant gives the seat up and lowers the quota by one (the organiser has no room, so the
 * seat is not handed to the next in line as if it existed). Completion is the store's
 * kb_training_complete(): the training's JP enter the employee's RPI, recognised once HR
 * verifies the certificate. The employee is told at each step, in their language, through the
 * outbox (tell.h); the service sends it within a second.
 *
 * Each registration is one short transaction, and the certificate download (getFile, then the
 * file, over libcurl's easy interface: a command has no event loop) happens outside any
 * transaction, so the running service is never held up (DESIGN invariant 14). The token is in
 * the request URLs only: it is never printed, and curl's messages are redacted before they
 * are. */
#include "karirbot/training_cmd.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/approval_rows.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/hr_store.h"
#include "karirbot/idfmt.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/rpi.h"
#include "karirbot/store.h"
#include "karirbot/tell.h"
#include "karirbot/trainings.h"

#define BUSY_MS        5000
#define IDS_MAX        100000              /* registrations one command moves at most */
#define FILE_MAX_BYTES (20L * 1024 * 1024) /* the Bot API serves files up to 20 MB */
#define ANSWER_MAX     (64 * 1024)         /* bytes of a getFile answer */
#define URL_MAX        2048

enum op { OP_LIST, OP_PROPOSE, OP_ACCEPT, OP_WAITLIST, OP_COMPLETE, OP_CERTIFICATE, OP_VERIFY };

static const struct {
    const char *name;
    enum op op;
    const char *statuses; /* what --code selects: seated registrations in these statuses */
} ops[] = {
    {"list", OP_LIST, NULL},
    {"propose", OP_PROPOSE, "|disetujui|"},
    {"accept", OP_ACCEPT, "|disetujui|diusulkan|"},
    {"waitlist", OP_WAITLIST, NULL},
    {"complete", OP_COMPLETE, "|diterima|"},
    {"certificate", OP_CERTIFICATE, NULL},
    {"verify", OP_VERIFY, NULL},
};

struct opts {
    enum op op;
    const char *statuses;
    const char *code;
    const char *by; /* NIP of the HR officer who verified */
    const char *dir;
    int csv;
    int notify;
    int64_t *ids;
    int nids;
};

/* What every step needs. */
struct run {
    const struct kb_config *cfg;
    const struct opts *o;
    struct kb_store *st;
    struct kb_locale *loc;
    int64_t verifier; /* employee id given with --by, or 0 */
};

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot training COMMAND [ARGS] [--db PATH]\n\n"
            "HR's stages of a training registration, after the supervisor's approval. The\n"
            "employee is told on Telegram at each step (unless --no-notify).\n\n"
            "  list --code CODE [--csv]     the registrations of a training (the nominee list),\n"
            "                               in registration order; --csv for Excel (UTF-8 with\n"
            "                               BOM, ';' separated)\n"
            "  propose REG_ID...|--code CODE   disetujui -> diusulkan: proposed to the organiser\n"
            "  accept REG_ID...|--code CODE    -> diterima: the organiser accepted them; one on\n"
            "                               the waiting list takes a seat (the quota grows by one\n"
            "                               when none is free)\n"
            "  waitlist REG_ID...           -> daftar_tunggu: the organiser has no room; the seat\n"
            "                               is given up and the quota lowered by one, and the\n"
            "                               registration keeps its place by registration time\n"
            "  complete REG_ID...|--code CODE  -> selesai: the training's JP enter the RPI\n"
            "                               (--code takes the accepted participants)\n"
            "  certificate REG_ID... --dir DIR  download the certificate the employee sent to\n"
            "                               the bot (through the Bot API; needs the token)\n"
            "  verify REG_ID... [--by NIP] [--dir DIR]  the certificate is accepted: the JP are\n"
            "                               recognised; with --dir it is downloaded first (and\n"
            "                               not verified when that fails)\n\n"
            "  --by NIP        the HR officer who verified (default: the unit's HR officer)\n"
            "  --no-notify     change the records without telling the employees\n\n"
            "Registration ids are in `list`. Each registration is its own short transaction:\n"
            "one that cannot be moved is reported on stderr (exit status 1) and the others\n"
            "are.\n");
}

/* Returns 0, 64 after a usage error, or 1 for --help. */
static int parse(int argc, char **argv, struct opts *o)
{
    o->notify = 1;
    if (argc < 1)
        return 64;
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") || !strcmp(argv[0], "help"))
        return 1;
    size_t k = 0;
    while (k < sizeof ops / sizeof ops[0] && strcmp(ops[k].name, argv[0]))
        k++;
    if (k == sizeof ops / sizeof ops[0]) {
        fprintf(stderr, "karirbot training: unknown command '%s'\n", argv[0]);
        return 64;
    }
    o->op = ops[k].op;
    o->statuses = ops[k].statuses;
    o->ids = calloc((size_t)argc, sizeof *o->ids);
    if (!o->ids)
        return 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return 1;
        } else if (!strcmp(a, "--code") && v) {
            o->code = v;
            i++;
        } else if (!strcmp(a, "--by") && v) {
            o->by = v;
            i++;
        } else if (!strcmp(a, "--dir") && v) {
            o->dir = v;
            i++;
        } else if (!strcmp(a, "--csv")) {
            o->csv = 1;
        } else if (!strcmp(a, "--no-notify")) {
            o->notify = 0;
        } else if (!strcmp(a, "--now") && v) {
            int64_t now;
            if (kb_admin_id(v, &now) != 0)
                return 64;
            kb_clock_set(now);
            i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "karirbot training: unknown option %s\n", a);
            return 64;
        } else if (kb_admin_id(a, &o->ids[o->nids]) == 0) {
            o->nids++;
        } else {
            fprintf(stderr, "karirbot training: '%s' is not a registration id\n", a);
            return 64;
        }
    }
    if (o->op == OP_LIST && (!o->code || o->nids)) {
        fprintf(stderr, "karirbot training list: name the training with --code CODE\n");
        return 64;
    }
    if (o->op != OP_LIST && !o->nids == !o->code) {
        fprintf(stderr, "karirbot training %s: name registration ids%s\n", argv[0],
                o->statuses ? " or --code CODE (not both)" : "");
        return 64;
    }
    if (o->code && o->op != OP_LIST && !o->statuses) {
        fprintf(stderr, "karirbot training %s: name the registrations by id\n", argv[0]);
        return 64;
    }
    if (o->op == OP_CERTIFICATE && !o->dir) {
        fprintf(stderr, "karirbot training certificate: name the folder with --dir DIR\n");
        return 64;
    }
    return 0;
}

/* ---- texts for the employee ---------------------------------------------------------------- */

/* A training's dates in lang, with the patterns of the training flows (training_dates_*). */
static void dates_text(const struct kb_locale *loc, const char *lang, const char *start,
                       const char *end, char *buf, size_t cap)
{
    int y1, m1, d1, y2, m2, d2;
    const char *months[12];
    if (kb_date_parse(start, &y1, &m1, &d1) != 0 || kb_date_parse(end, &y2, &m2, &d2) != 0 ||
        kb_locale_names(loc, lang, "months", months, 12) != 0 || strcmp(start, end) >= 0) {
        kb_tell_date(loc, lang, start, buf, cap);
        return;
    }
    char sd[8], sy[8], ed[8], ey[8];
    snprintf(sd, sizeof sd, "%d", d1);
    snprintf(sy, sizeof sy, "%d", y1);
    snprintf(ed, sizeof ed, "%d", d2);
    snprintf(ey, sizeof ey, "%d", y2);
    const char *vars[] = {"d1", sd, "m1", months[m1 - 1], "y1", sy,
                          "d2", ed, "m2", months[m2 - 1], "y2", ey};
    const char *key = y1 != y2   ? "training_dates_years"
                      : m1 != m2 ? "training_dates_months"
                                 : "training_dates_days";
    char *text = kb_locale_render_plain(loc, lang, key, vars, 6);
    snprintf(buf, cap, "%s", text ? text : start);
    free(text);
}

static void fmt_count(const char *lang, int64_t v, char *buf, size_t cap)
{
    if ((strcmp(lang, "en") ? kb_fmt_int_id : kb_fmt_int_en)(buf, cap, v) != 0)
        snprintf(buf, cap, "%lld", (long long)v);
}

/* Tells the registration's employee key, with {title}, {dates}, {place} and extra. *told: the
 * chat written to, or 0. */
static int tell_employee(struct run *r, const struct kb_person *p,
                         const struct kb_registration *reg, const char *key,
                         const char *const *extra, size_t nextra, int64_t *told)
{
    *told = 0;
    if (!r->o->notify)
        return 0;
    char lang[8], dates[128], place[16];
    kb_tell_lang(r->st, p, lang);
    dates_text(r->loc, lang, reg->start_date, reg->end_date, dates, sizeof dates);
    snprintf(place, sizeof place, "%d", reg->place);
    const char *vars[2 * 8] = {"title", reg->title, "dates", dates, "place", place};
    size_t n = 3;
    for (size_t i = 0; i < nextra && n < 8; i++, n++) {
        vars[2 * n] = extra[2 * i];
        vars[2 * n + 1] = extra[2 * i + 1];
    }
    return kb_tell(r->st, r->loc, p, key, vars, n, kb_now(), told);
}

int kb_training_seat_waiting(struct kb_store *st, const struct kb_locale *loc, int64_t training_id,
                             int *seated, int *told)
{
    enum { BATCH = 64 };
    struct kb_seat_given given[BATCH];
    *seated = *told = 0;
    for (int n = BATCH; n == BATCH;) {
        if (kb_training_fill_seats(st, training_id, kb_now(), given, BATCH, &n) != KB_OK)
            return -1;
        for (int i = 0; i < n; i++) {
            struct kb_registration reg;
            struct kb_person p;
            int found = 0, person = 0;
            if (kb_registration_get(st, given[i].registration_id, &reg, NULL, 0, &found) != KB_OK ||
                kb_person_by_id(st, given[i].employee_id, &p, &person) != KB_OK)
                return -1;
            (*seated)++;
            if (!found || !person)
                continue;
            char lang[8], dates[128];
            int64_t chat = 0;
            kb_tell_lang(st, &p, lang);
            dates_text(loc, lang, reg.start_date, reg.end_date, dates, sizeof dates);
            const char *vars[] = {"title", reg.title, "dates", dates};
            if (kb_tell(st, loc, &p, "training_note_seat_given", vars, 2, kb_now(), &chat) != 0)
                return -1;
            *told += chat != 0;
        }
    }
    return 0;
}

static const char *told_note(const struct run *r, int64_t told)
{
    return !r->o->notify ? "not told (--no-notify)"
           : told        ? "told on Telegram"
                         : "NOT told: no linked Telegram account; please tell them yourself";
}

/* ---- one registration ------------------------------------------------------------------------ */

/* Why a registration could not be moved, and the exit status. */
static int refuse(const struct kb_registration *reg, const char *what)
{
    fprintf(stderr, "karirbot training: registration %lld is %s: %s\n", (long long)reg->id,
            reg->status, what);
    return 1;
}

static int busy_or_error(struct kb_store *st, int64_t id, int rc)
{
    kb_store_rollback(st);
    fprintf(stderr, "karirbot training: registration %lld: %s\n", (long long)id,
            rc == KB_BUSY ? "the database stayed busy; try again" : "could not be changed");
    return 1;
}

/* propose, accept, waitlist or complete of one registration, in one transaction. */
static int move_one(struct run *r, int64_t id)
{
    struct kb_store *st = r->st;
    struct kb_registration reg;
    struct kb_person p;
    int found = 0, changed = 0, quota = 0;
    char before[16];
    int rc = kb_store_begin(st);
    if (rc != KB_OK)
        return busy_or_error(st, id, rc);
    if (kb_registration_get(st, id, &reg, NULL, 0, &found) != KB_OK)
        return busy_or_error(st, id, KB_ERR);
    if (!found) {
        kb_store_rollback(st);
        fprintf(stderr, "karirbot training: no registration %lld\n", (long long)id);
        return 1;
    }
    snprintf(before, sizeof before, "%s", reg.status);
    const char *key = NULL, *target = NULL;
    char jp[24] = "", year[16] = "";
    switch (r->o->op) {
    case OP_PROPOSE:
        target = "diusulkan", key = "hr_training_proposed";
        if (strcmp(before, target))
            rc = kb_hr_registration_propose(st, id, kb_now(), &changed);
        break;
    case OP_ACCEPT:
        target = "diterima", key = "hr_training_accepted";
        if (strcmp(before, target))
            rc = kb_hr_registration_accept(st, id, kb_now(), &changed, &quota);
        break;
    case OP_WAITLIST:
        target = "daftar_tunggu", key = "hr_training_waitlisted";
        if (strcmp(before, target))
            rc = kb_hr_registration_waitlist(st, id, kb_now(), &changed, &quota);
        break;
    case OP_COMPLETE: {
        target = "selesai", key = "hr_training_completed";
        if (!strcmp(before, target))
            break;
        rc = kb_training_complete(st, id, kb_now());
        changed = rc == KB_OK;
        if (rc == KB_TRAINING_NOT_SEATED || rc == KB_TRAINING_NO_SUCH)
            rc = KB_OK; /* refused below, with the status */
        break;
    }
    default:
        rc = KB_ERR;
    }
    if (rc != KB_OK)
        return busy_or_error(st, id, rc);
    if (!strcmp(before, target)) {
        kb_store_rollback(st);
        printf("registration %lld: already %s; nothing changed\n", (long long)id, target);
        return 0;
    }
    if (!changed) {
        kb_store_rollback(st);
        const char *why = r->o->op == OP_PROPOSE ? "only an approved registration holding a seat "
                                                   "(disetujui) can be proposed"
                          : r->o->op == OP_ACCEPT
                              ? "only disetujui, diusulkan or daftar_tunggu can be accepted (and "
                                "not for a cancelled training)"
                          : r->o->op == OP_WAITLIST
                              ? "only disetujui, diusulkan or diterima can be put on the waiting "
                                "list"
                              : "only a participant holding a seat (disetujui, diusulkan, "
                                "diterima) can complete the training";
        return refuse(&reg, why);
    }
    /* Read again: the place on the waiting list, and the activity completion filled. */
    if (kb_registration_get(st, id, &reg, NULL, 0, &found) != KB_OK || !found ||
        kb_person_by_id(st, reg.employee_id, &p, &found) != KB_OK || !found)
        return busy_or_error(st, id, KB_ERR);
    if (r->o->op == OP_COMPLETE) {
        int64_t act = 0;
        struct kb_rpi_activity a;
        if (kb_hr_registration_activity(st, id, &act) != KB_OK ||
            (act && kb_rpi_activity_get(st, act, &a, &found) != KB_OK))
            return busy_or_error(st, id, KB_ERR);
        char lang[8];
        kb_tell_lang(st, &p, lang);
        fmt_count(lang, act && found ? a.jp_planned : 0, jp, sizeof jp);
        snprintf(year, sizeof year, "%d", act && found ? a.year : 0);
    }
    const char *extra[] = {"jp", jp, "year", year};
    int64_t told = 0;
    if (tell_employee(r, &p, &reg, key, extra, 2, &told) != 0)
        return busy_or_error(st, id, KB_ERR);
    if ((rc = kb_store_commit(st)) != KB_OK)
        return busy_or_error(st, id, rc);
    printf("registration %lld: %s %s, %s: %s -> %s; %s\n", (long long)id, p.nip, p.name, reg.title,
           before, reg.status, told_note(r, told));
    if (r->o->op == OP_ACCEPT && quota)
        printf("  no seat was free: the quota of the training was raised by one\n");
    if (r->o->op == OP_WAITLIST && reg.place)
        printf("  place %d on the waiting list%s\n", reg.place,
               quota ? "; the quota of the training was lowered by one" : "");
    return 0;
}

/* ---- certificates --------------------------------------------------------------------------- */

struct sink {
    char *buf; /* memory, for getFile's answer */
    size_t len, cap;
    FILE *file; /* or a file, for the certificate */
    long written;
    int over;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *k = userdata;
    size_t n = size * nmemb;
    if (k->file) {
        if (k->written + (long)n > FILE_MAX_BYTES) {
            k->over = 1;
            return 0;
        }
        k->written += (long)n;
        return fwrite(data, 1, n, k->file);
    }
    if (k->len + n + 1 > k->cap) {
        k->over = 1;
        return 0;
    }
    memcpy(k->buf + k->len, data, n);
    k->len += n;
    k->buf[k->len] = '\0';
    return n;
}

/* Prints a download failure with the token redacted from whatever curl said. */
static void download_error(int64_t id, const char *what, const char *detail)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", detail ? detail : "");
    kb_log_redact(msg, sizeof msg);
    fprintf(stderr, "karirbot training: registration %lld: certificate: %s%s%s\n", (long long)id,
            what, *msg ? ": " : "", msg);
}

/* One request: POST body (JSON) when body is not NULL. Returns the HTTP status, or -1 with
 * curl's message in err. */
static long http_call(const struct kb_config *cfg, const char *url, const char *body,
                      struct sink *sink, int whole_timeout, char err[CURL_ERROR_SIZE])
{
    CURL *c = curl_easy_init();
    struct curl_slist *headers = NULL;
    long status = -1;
    err[0] = '\0';
    if (!c) {
        snprintf(err, CURL_ERROR_SIZE, "libcurl could not start");
        return -1;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)FILE_MAX_BYTES);
    if (whole_timeout) {
        curl_easy_setopt(c, CURLOPT_TIMEOUT,
                         (long)(cfg->http_timeout_s > 0 ? cfg->http_timeout_s : 30));
    } else { /* a large file on a slow line: give up only when it stalls */
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    }
    if (body) {
        headers = curl_slist_append(NULL, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    else if (!err[0])
        snprintf(err, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return status;
}

/* Telegram's file_path of a file id, checked to be a plain relative path. Returns 0. */
static int file_path_of(const struct kb_config *cfg, int64_t id, const char *file_id, char *path,
                        size_t cap)
{
    char url[URL_MAX], err[CURL_ERROR_SIZE];
    struct sink k = {.cap = ANSWER_MAX};
    cJSON *req = cJSON_CreateObject();
    char *body = req && cJSON_AddStringToObject(req, "file_id", file_id)
                     ? cJSON_PrintUnformatted(req)
                     : NULL;
    cJSON_Delete(req);
    k.buf = malloc(k.cap);
    int n = snprintf(url, sizeof url, "%s/bot%s/getFile", cfg->api_url, cfg->token);
    long status = body && k.buf && n > 0 && (size_t)n < sizeof url
                      ? http_call(cfg, url, body, &k, 1, err)
                      : (snprintf(err, sizeof err, "out of memory"), -1);
    memset(url, 0, sizeof url);
    free(body);
    int rc = -1;
    cJSON *answer = status > 0 && k.len ? cJSON_Parse(k.buf) : NULL;
    cJSON *result = cJSON_GetObjectItemCaseSensitive(answer, "result");
    const char *fp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(result, "file_path"));
    if (status < 0) {
        download_error(id, "the Bot API could not be reached", err);
    } else if (status != 200 || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "ok"))) {
        const char *d =
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(answer, "description"));
        char what[64];
        snprintf(what, sizeof what, "getFile answered %ld", status);
        download_error(id, what, d ? d : "no description");
    } else if (!fp || !*fp || strlen(fp) >= cap || strstr(fp, "..") || fp[0] == '/' ||
               strspn(fp, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") !=
                   strlen(fp)) {
        download_error(id, "getFile gave no usable file path", NULL);
    } else {
        snprintf(path, cap, "%s", fp);
        rc = 0;
    }
    cJSON_Delete(answer);
    free(k.buf);
    return rc;
}

/* Downloads the file with id file_id into dir as <stem>.<extension of Telegram's path>; the
 * saved name goes to saved. Returns 0, or 1 after saying why. */
static int fetch_certificate(const struct kb_config *cfg, int64_t id, const char *file_id,
                             const char *dir, const char *stem, char *saved, size_t cap)
{
    char path[512], url[URL_MAX], part[4096], err[CURL_ERROR_SIZE];
    if (file_path_of(cfg, id, file_id, path, sizeof path) != 0)
        return 1;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *dot = strrchr(base, '.');
    char ext[12] = "bin";
    if (dot && dot[1] && strlen(dot + 1) < sizeof ext &&
        strspn(dot + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
            strlen(dot + 1))
        snprintf(ext, sizeof ext, "%s", dot + 1);
    int n1 = snprintf(part, sizeof part, "%s/.%s.part", dir, stem);
    int n2 = snprintf(saved, cap, "%s/%s.%s", dir, stem, ext);
    int n3 = snprintf(url, sizeof url, "%s/file/bot%s/%s", cfg->api_url, cfg->token, path);
    if (n1 < 0 || (size_t)n1 >= sizeof part || n2 < 0 || (size_t)n2 >= cap || n3 < 0 ||
        (size_t)n3 >= sizeof url) {
        memset(url, 0, sizeof url);
        download_error(id, "the folder's path is too long", NULL);
        return 1;
    }
    struct sink k = {.file = fopen(part, "wb")};
    if (!k.file) {
        memset(url, 0, sizeof url);
        download_error(id, "cannot write in the folder", strerror(errno));
        return 1;
    }
    long status = http_call(cfg, url, NULL, &k, 0, err);
    memset(url, 0, sizeof url);
    int bad = fclose(k.file) != 0;
    if (status != 200 || bad || k.over) {
        unlink(part);
        char what[64];
        snprintf(what, sizeof what, "the download %s",
                 k.over       ? "is larger than the Bot API's 20 MB"
                 : bad        ? "could not be written"
                 : status < 0 ? "failed"
                              : "was refused");
        if (status > 0 && !k.over && !bad)
            snprintf(err, sizeof err, "HTTP %ld", status);
        download_error(id, what, k.over || bad ? NULL : err);
        return 1;
    }
    if (rename(part, saved) != 0) {
        unlink(part);
        download_error(id, "cannot save the file", strerror(errno));
        return 1;
    }
    return 0;
}

/* The finished registration's RPI activity, read in its own snapshot. Returns 0, or 1 after
 * saying why not. */
static int finished_activity(struct run *r, int64_t id, struct kb_registration *reg,
                             struct kb_person *p, struct kb_rpi_activity *a)
{
    int found = 0, rc = kb_store_read_begin(r->st);
    int64_t act = 0;
    if (rc == KB_OK && kb_registration_get(r->st, id, reg, NULL, 0, &found) == KB_OK && found &&
        kb_person_by_id(r->st, reg->employee_id, p, &found) == KB_OK && found &&
        !strcmp(reg->status, "selesai") && kb_hr_registration_activity(r->st, id, &act) == KB_OK &&
        act)
        rc = kb_rpi_activity_get(r->st, act, a, &found);
    else if (rc == KB_OK)
        rc = KB_ERR;
    kb_store_read_end(r->st);
    if (rc == KB_OK && found)
        return 0;
    if (!reg->id || reg->id != id)
        fprintf(stderr, "karirbot training: no registration %lld\n", (long long)id);
    else if (strcmp(reg->status, "selesai"))
        return refuse(reg, "not completed yet: run `karirbot training complete` first");
    else
        fprintf(stderr, "karirbot training: registration %lld: its RPI activity is missing\n",
                (long long)id);
    return 1;
}

/* Downloads the certificate of a finished registration when the employee sent one. *had: a
 * file was on record. Returns 0, or 1 after saying why. */
static int download_one(struct run *r, const struct kb_registration *reg, const struct kb_person *p,
                        const struct kb_rpi_activity *a, int *had)
{
    *had = a->evidence_file_id[0] != '\0';
    if (!*had) {
        printf("registration %lld: %s %s: no certificate was sent to the bot; ask for it\n",
               (long long)reg->id, p->nip, p->name);
        return 0;
    }
    char stem[64], saved[4200];
    snprintf(stem, sizeof stem, "%lld-%s", (long long)reg->id, p->nip);
    if (fetch_certificate(r->cfg, reg->id, a->evidence_file_id, r->o->dir, stem, saved,
                          sizeof saved) != 0)
        return 1;
    printf("registration %lld: %s %s: certificate saved as %s\n", (long long)reg->id, p->nip,
           p->name, saved);
    return 0;
}

/* verify (and, with --dir, download first) one registration. */
static int verify_one(struct run *r, int64_t id)
{
    struct kb_registration reg = {0};
    struct kb_person p;
    struct kb_rpi_activity a;
    int had = 0;
    if (finished_activity(r, id, &reg, &p, &a) != 0)
        return 1;
    if (a.verified) {
        printf("registration %lld: already verified; nothing changed\n", (long long)id);
        return 0;
    }
    if (r->o->dir && download_one(r, &reg, &p, &a, &had) != 0)
        return 1; /* not verified without the file HR asked to see */
    struct kb_store *st = r->st;
    struct kb_rpi_totals t;
    int changed = 0, withdrawn = 0;
    int64_t by = r->verifier ? r->verifier : p.unit_hr_id;
    int rc = kb_store_begin(st);
    if (rc != KB_OK)
        return busy_or_error(st, id, rc);
    /* A supervisor's card asking to verify the same evidence no longer needs a decision. */
    if (kb_hr_activity_verify(st, a.id, by, kb_now(), &changed) != KB_OK ||
        (changed &&
         kb_approval_withdraw_subject(st, "evidence", a.id, kb_now(), &withdrawn) != KB_OK) ||
        kb_rpi_totals(st, a.plan_id, "0000-01-01", &t) != KB_OK)
        return busy_or_error(st, id, KB_ERR);
    if (!changed) {
        kb_store_rollback(st);
        printf("registration %lld: already verified; nothing changed\n", (long long)id);
        return 0;
    }
    char lang[8], jp[24], total[24], year[16];
    kb_tell_lang(st, &p, lang);
    fmt_count(lang, a.jp_planned, jp, sizeof jp);
    fmt_count(lang, t.jp_recognised, total, sizeof total);
    snprintf(year, sizeof year, "%d", a.year);
    const char *extra[] = {"jp", jp, "total", total, "year", year};
    int64_t told = 0;
    if (tell_employee(r, &p, &reg, "hr_training_verified", extra, 3, &told) != 0)
        return busy_or_error(st, id, KB_ERR);
    if ((rc = kb_store_commit(st)) != KB_OK)
        return busy_or_error(st, id, rc);
    printf("registration %lld: %s %s, %s: certificate verified, %d JP recognised (%d JP "
           "recognised in %d)%s; %s\n",
           (long long)id, p.nip, p.name, reg.title, a.jp_planned, t.jp_recognised, a.year,
           withdrawn ? "; the supervisor's verification request was withdrawn" : "",
           told_note(r, told));
    return 0;
}

static int certificate_one(struct run *r, int64_t id)
{
    struct kb_registration reg = {0};
    struct kb_person p;
    struct kb_rpi_activity a;
    int had = 0;
    if (finished_activity(r, id, &reg, &p, &a) != 0)
        return 1;
    return download_one(r, &reg, &p, &a, &had);
}

/* ---- list ----------------------------------------------------------------------------------- */

static void csv_field(const char *s)
{
    if (!strpbrk(s, ";,\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int list(struct run *r, const struct kb_training *t)
{
    struct kb_hr_nominee *rows = calloc(KB_HR_PAGE_MAX, sizeof *rows);
    if (!rows)
        return 1;
    if (r->o->csv) {
        /* For Excel in an Indonesian locale: UTF-8 with a BOM, ';' between fields. */
        fputs("\xEF\xBB\xBFid_pendaftaran;nip;nama;unit_kerja;status;kursi;urutan_tunggu;"
              "tanggal_daftar;kegiatan_rpi\r\n",
              stdout);
    } else {
        printf("%s  %s\n%s to %s, %d JP; quota %d, %d seats held, %d waiting\n\n", t->code,
               t->title, t->start_date, t->end_date, t->jp, t->quota, t->seats_held, t->waiting);
        printf("%-8s %-18s %-28s %-13s %-4s %-5s %s\n", "reg", "nip", "name", "status", "seat",
               "place", "registered");
    }
    int64_t after = 0;
    int n = 0, total = 0, rc = KB_OK;
    do {
        rc = kb_store_read_begin(r->st);
        if (rc == KB_OK)
            rc = kb_hr_nominees(r->st, t->id, after, rows, KB_HR_PAGE_MAX, &n);
        kb_store_read_end(r->st);
        for (int i = 0; rc == KB_OK && i < n; i++) {
            const struct kb_hr_nominee *x = &rows[i];
            char day[KB_DATE_LEN] = "", id[24], seat[4], place[16];
            if (x->created_at > 0)
                kb_local_date(x->created_at, "WIB", day);
            snprintf(id, sizeof id, "%lld", (long long)x->registration_id);
            snprintf(seat, sizeof seat, "%d", x->seat);
            snprintf(place, sizeof place, "%d", x->place);
            if (r->o->csv) {
                const char *f[] = {id,   x->nip, x->name,           x->unit,          x->status,
                                   seat, place,  day[0] ? day : "", x->activity_title};
                for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
                    if (k)
                        putchar(';');
                    csv_field(f[k]);
                }
                fputs("\r\n", stdout);
            } else {
                printf("%-8s %-18s %-28.28s %-13s %-4s %-5s %s\n", id, x->nip, x->name, x->status,
                       x->seat ? "yes" : "-", x->place ? place : "-", day[0] ? day : "-");
            }
            after = x->registration_id;
        }
        total += rc == KB_OK ? n : 0;
    } while (rc == KB_OK && n == KB_HR_PAGE_MAX);
    free(rows);
    if (rc != KB_OK) {
        fprintf(stderr, "karirbot training list: the registrations could not be read\n");
        return 1;
    }
    if (!r->o->csv)
        printf("\n%d registration%s\n", total, total == 1 ? "" : "s");
    return 0;
}

/* ---- the command ---------------------------------------------------------------------------- */

/* The ids --code selects (seated registrations in the subcommand's statuses). */
static int select_by_code(struct run *r, const struct kb_training *t, struct opts *o)
{
    free(o->ids);
    o->ids = NULL;
    o->nids = 0;
    int64_t after = 0, page[KB_HR_PAGE_MAX];
    int n = 0, cap = 0;
    do {
        int rc = kb_store_read_begin(r->st);
        if (rc == KB_OK)
            rc = kb_hr_registrations_seated(r->st, t->id, o->statuses, after, page, KB_HR_PAGE_MAX,
                                            &n);
        kb_store_read_end(r->st);
        if (rc != KB_OK || o->nids + n > IDS_MAX)
            return -1;
        if (o->nids + n > cap) {
            cap = (o->nids + n) * 2;
            int64_t *grown = realloc(o->ids, (size_t)cap * sizeof *grown);
            if (!grown)
                return -1;
            o->ids = grown;
        }
        memcpy(o->ids + o->nids, page, (size_t)n * sizeof *page);
        o->nids += n;
        after = n ? page[n - 1] : after;
    } while (n == KB_HR_PAGE_MAX);
    return 0;
}

int kb_cmd_training(const struct kb_config *cfg, int argc, char **argv)
{
    struct opts o = {0};
    struct run r = {.cfg = cfg, .o = &o};
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        usage();
        free(o.ids);
        return rc == 1 ? 0 : rc;
    }
    int fetch = o.op == OP_CERTIFICATE || (o.op == OP_VERIFY && o.dir);
    if (fetch && (!cfg->token || !*cfg->token)) {
        fprintf(stderr, "karirbot training: downloading a certificate needs the bot token "
                        "(KARIRBOT_TOKEN_FILE, as for `karirbot run`)\n");
        free(o.ids);
        return 78;
    }
    if (fetch && access(o.dir, W_OK) != 0) {
        fprintf(stderr, "karirbot training: cannot write in %s: %s\n", o.dir, strerror(errno));
        free(o.ids);
        return 64;
    }
    rc = 1;
    if (kb_store_open(&r.st, cfg->db_path, BUSY_MS) != KB_OK)
        goto out;
    if (o.op != OP_LIST && o.op != OP_CERTIFICATE && !(r.loc = kb_tell_locale(cfg)))
        goto out;
    if (o.by) {
        char nip[19];
        struct kb_person p;
        int found = 0;
        if (kb_admin_nip(o.by, nip) != 0 || kb_person_by_nip(r.st, nip, &p, &found) != KB_OK ||
            !found) {
            fprintf(stderr, "karirbot training: --by %s is no employee's NIP\n", o.by);
            rc = 64;
            goto out;
        }
        r.verifier = p.id;
    }
    struct kb_training t;
    if (o.code) {
        int found = 0;
        if (kb_hr_training_by_code(r.st, o.code, &t, &found) != KB_OK)
            goto out;
        if (!found) {
            fprintf(stderr, "karirbot training: no training with the code %s\n", o.code);
            goto out;
        }
        if (o.op == OP_LIST) {
            rc = list(&r, &t);
            goto out;
        }
        if (select_by_code(&r, &t, &o) != 0) {
            fprintf(stderr, "karirbot training: the registrations of %s could not be read\n",
                    o.code);
            goto out;
        }
        if (!o.nids)
            printf("%s: no registration to %s\n", o.code, argv[0]);
    }
    if (fetch)
        curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = 0;
    for (int i = 0; i < o.nids; i++)
        failed += o.op == OP_VERIFY        ? verify_one(&r, o.ids[i])
                  : o.op == OP_CERTIFICATE ? certificate_one(&r, o.ids[i])
                                           : move_one(&r, o.ids[i]);
    if (fetch)
        curl_global_cleanup();
    rc = failed ? 1 : 0;
out:
    kb_locale_free(r.loc);
    kb_store_close(r.st);
    free(o.ids);
    return rc;
}
