/* reminders: dialogs/reminders.json (read and checked like dialogs/policy.json: HR's copy
 * replaces the shipped one whole, every problem is a line for the person who edits it) and the
 * pure rules of when each kind of reminder is due. See include/karirbot/reminders.h. */
#include "karirbot/reminders.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/buf.h"
#include "karirbot/config.h"
#include "karirbot/diag.h"
#include "karirbot/idfmt.h"
#include "karirbot/workdays.h"

#define RULES_FILE_MAX (64 * 1024)
#define PATH_MAX_LEN   128
#define BACK_DAYS_MAX  60 /* kb_cal_on_or_before looks this far back for a working day */

/* ---- reading the file ----------------------------------------------------------------------- */

struct loader {
    struct kb_diag *diag;
    const char *file;
    int bad;
};

static void __attribute__((format(printf, 3, 4)))
err(struct loader *L, const char *where, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kb_diag_add(L->diag, KB_DIAG_ERROR, L->file, where, "%s", msg);
    L->bad = 1;
}

static void path(char *out, size_t cap, const char *base, const char *name)
{
    snprintf(out, cap, "%s%s%s", base, *base ? "." : "", name);
}

/* Reports members the format does not know (a note for people starts with '_') and members
 * written twice. */
static void check_fields(struct loader *L, const cJSON *obj, const char *where,
                         const char *const *known)
{
    char shown[48];
    for (const cJSON *m = obj->child; m; m = m->next) {
        if (!m->string || m->string[0] == '_')
            continue;
        int found = 0;
        for (const char *const *k = known; *k && !found; k++)
            found = !strcmp(*k, m->string);
        if (!found) {
            err(L, *where ? where : NULL,
                "unknown field '%s' (a note for people must start with '_')",
                kb_diag_show(shown, sizeof shown, m->string));
            continue;
        }
        for (const cJSON *o = obj->child; o != m; o = o->next)
            if (o->string && !strcmp(o->string, m->string)) {
                err(L, *where ? where : NULL, "the field '%s' is written twice", m->string);
                break;
            }
    }
}

static const cJSON *get_obj(struct loader *L, const cJSON *obj, const char *base, const char *name,
                            const char *const *known)
{
    char where[PATH_MAX_LEN];
    path(where, sizeof where, base, name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v) {
        err(L, *base ? base : NULL, "'%s' is missing", name);
        return NULL;
    }
    if (!cJSON_IsObject(v)) {
        err(L, where, "must be an object in braces { }");
        return NULL;
    }
    check_fields(L, v, where, known);
    return v;
}

static int get_int(struct loader *L, const cJSON *obj, const char *base, const char *name, int lo,
                   int hi, int *out)
{
    char where[PATH_MAX_LEN];
    path(where, sizeof where, base, name);
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    if (!obj)
        return -1;
    if (!v) {
        err(L, *base ? base : NULL, "'%s' is missing", name);
        return -1;
    }
    /* valuedouble, not valueint, which saturates at INT_MAX. */
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble)) {
        err(L, where, "must be a whole number (without quotes)");
        return -1;
    }
    if (v->valuedouble < lo || v->valuedouble > hi) {
        err(L, where, "must be between %d and %d", lo, hi);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 0;
}

/* "HH:MM", 00:00 to 24:00, into minutes after midnight. */
static int get_time(struct loader *L, const cJSON *obj, const char *base, const char *name,
                    int *out)
{
    char where[PATH_MAX_LEN];
    path(where, sizeof where, base, name);
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    if (!obj)
        return -1;
    if (!v) {
        err(L, *base ? base : NULL, "'%s' is missing", name);
        return -1;
    }
    const char *s = cJSON_IsString(v) ? v->valuestring : "";
    int h = -1, m = -1;
    if (strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
        s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9') {
        h = (s[0] - '0') * 10 + (s[1] - '0');
        m = (s[3] - '0') * 10 + (s[4] - '0');
    }
    if (h < 0 || h > 24 || (h == 24 && m != 0)) {
        err(L, where, "must be a time of day in quotes, such as \"08:00\"");
        return -1;
    }
    *out = h * 60 + m;
    return 0;
}

static void parse_hours(struct loader *L, const cJSON *root, struct kb_reminder_rules *r)
{
    static const char *const hours_fields[] = {"working", "urgent", NULL};
    static const char *const span_fields[] = {"from", "to", NULL};
    const cJSON *h = get_obj(L, root, "", "hours", hours_fields);
    if (!h)
        return;
    const cJSON *w = get_obj(L, h, "hours", "working", span_fields);
    const cJSON *u = get_obj(L, h, "hours", "urgent", span_fields);
    int ok = get_time(L, w, "hours.working", "from", &r->work_from) == 0;
    ok &= get_time(L, w, "hours.working", "to", &r->work_to) == 0;
    ok &= get_time(L, u, "hours.urgent", "from", &r->urgent_from) == 0;
    ok &= get_time(L, u, "hours.urgent", "to", &r->urgent_to) == 0;
    if (!ok)
        return;
    if (r->work_from >= r->work_to)
        err(L, "hours.working", "'from' must be before 'to'");
    if (r->urgent_from >= r->urgent_to)
        err(L, "hours.urgent", "'from' must be before 'to'");
    if (r->urgent_from > r->work_from || r->urgent_to < r->work_to)
        err(L, "hours.urgent",
            "must include the working hours: urgent reminders may come at any time a normal one "
            "may");
}

static void parse_start_days(struct loader *L, const cJSON *t, struct kb_reminder_rules *r)
{
    const cJSON *v = t ? cJSON_GetObjectItemCaseSensitive(t, "days_before_start") : NULL;
    if (!t)
        return;
    if (!cJSON_IsArray(v)) {
        err(L, v ? "trainings.days_before_start" : "trainings",
            v ? "must be a list of whole numbers in brackets, such as [3, 1]"
              : "'days_before_start' is missing");
        return;
    }
    int n = cJSON_GetArraySize(v);
    if (n > KB_REM_START_MAX) {
        err(L, "trainings.days_before_start", "has more than %d entries", KB_REM_START_MAX);
        return;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        char where[PATH_MAX_LEN];
        snprintf(where, sizeof where, "trainings.days_before_start[%zu]", r->nstart);
        if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) || e->valuedouble < 1 ||
            e->valuedouble > 60) {
            err(L, where, "must be a whole number of days between 1 and 60");
            return;
        }
        if (r->nstart && e->valuedouble >= r->start_days[r->nstart - 1]) {
            err(L, where, "must be fewer days than the entry before it (largest first)");
            return;
        }
        r->start_days[r->nstart++] = (int)e->valuedouble;
    }
}

static void parse_checkpoints(struct loader *L, const cJSON *jp, struct kb_reminder_rules *r)
{
    static const char *const fields[] = {"date", "share", NULL};
    const cJSON *v = jp ? cJSON_GetObjectItemCaseSensitive(jp, "checkpoints") : NULL;
    if (!jp)
        return;
    if (!cJSON_IsArray(v)) {
        err(L, v ? "jp_pace.checkpoints" : "jp_pace",
            v ? "must be a list in brackets [ ]" : "'checkpoints' is missing");
        return;
    }
    if (cJSON_GetArraySize(v) > KB_REM_CHECKPOINT_MAX) {
        err(L, "jp_pace.checkpoints", "has more than %d entries", KB_REM_CHECKPOINT_MAX);
        return;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        char where[PATH_MAX_LEN];
        snprintf(where, sizeof where, "jp_pace.checkpoints[%zu]", r->ncheckpoints);
        if (!cJSON_IsObject(e)) {
            err(L, where, "must be an object such as {\"date\": \"07-01\", \"share\": 0.5}");
            return;
        }
        check_fields(L, e, where, fields);
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "date");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "share");
        struct kb_rem_checkpoint c = {0};
        char probe[16];
        if (!cJSON_IsString(d) || strlen(d->valuestring) != 5 || d->valuestring[2] != '-' ||
            sscanf(d->valuestring, "%2d-%2d", &c.month, &c.day) != 2 ||
            snprintf(probe, sizeof probe, "2023-%s", d->valuestring) < 0 ||
            kb_date_parse(probe, NULL, NULL, NULL) != 0) {
            err(L, where, "'date' must be a month and day in quotes, such as \"07-01\"");
            return;
        }
        if (!cJSON_IsNumber(s) || !(s->valuedouble > 0) || s->valuedouble > 1) {
            err(L, where, "'share' must be a number above 0 and at most 1, such as 0.5");
            return;
        }
        c.share = s->valuedouble;
        if (r->ncheckpoints) {
            const struct kb_rem_checkpoint *p = &r->checkpoints[r->ncheckpoints - 1];
            if (p->month * 100 + p->day >= c.month * 100 + c.day) {
                err(L, where, "must come later in the year than the checkpoint before it");
                return;
            }
        }
        r->checkpoints[r->ncheckpoints++] = c;
    }
}

/* The names under "buttons", in the order of enum kb_rem_flow. */
static const char *const flow_names[KB_REM_FLOW__COUNT + 1] = {
    "rpi", "settings", "approvals", "trainings", "promotion", "mentoring", NULL};

static void parse_flows(struct loader *L, const cJSON *o, struct kb_reminder_rules *r)
{
    char where[PATH_MAX_LEN], shown[64];
    for (int i = 0; o && i < KB_REM_FLOW__COUNT; i++) {
        path(where, sizeof where, "buttons", flow_names[i]);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, flow_names[i]);
        const char *id = cJSON_IsString(v) ? v->valuestring : NULL;
        size_t n = id ? strlen(id) : 0;
        if (!v) {
            err(L, "buttons", "'%s' is missing", flow_names[i]);
        } else if (!id || n == 0 || n >= KB_REM_FLOW_ID_MAX ||
                   strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
            err(L, where, "must be the id of a flow in dialogs/ (a-z, 0-9, _), not '%s'",
                id ? kb_diag_show(shown, sizeof shown, id) : "(not text)");
        } else {
            memcpy(r->flows[i], id, n + 1);
        }
    }
}

const char *kb_rem_flow_name(enum kb_rem_flow f)
{
    return f >= 0 && f < KB_REM_FLOW__COUNT ? flow_names[f] : "";
}

static void parse(struct loader *L, const cJSON *root, struct kb_reminder_rules *r)
{
    static const char *const top[] = {
        "schedule", "hours",     "daily_cap", "rpi",       "approvals", "promotion", "trainings",
        "jp_pace",  "mentoring", "snooze",    "keep_days", "buttons",   NULL};
    static const char *const schedule[] = {"pass_every_minutes", "first_pass_seconds",
                                           "slice_people",       "slice_messages",
                                           "slice_pause_ms",     NULL};
    static const char *const rpi[] = {"days_before", "overdue_every_days", "overdue_times", NULL};
    static const char *const approvals[] = {"nudge_after_workdays", "escalate_after_workdays",
                                            NULL};
    static const char *const promotion[] = {"stage_news_days", NULL};
    static const char *const trainings[] = {"days_before_start", "deadline_days_before", NULL};
    static const char *const jp[] = {"checkpoints", "suggestions", NULL};
    static const char *const mentoring[] = {"idle_days", NULL};
    static const char *const snooze[] = {"max_days", "approvals_max_days", NULL};
    check_fields(L, root, "", top);

    parse_flows(L, get_obj(L, root, "", "buttons", flow_names), r);

    const cJSON *o = get_obj(L, root, "", "schedule", schedule);
    int minutes = 0;
    if (get_int(L, o, "schedule", "pass_every_minutes", 1, 1440, &minutes) == 0)
        r->pass_every_s = minutes * 60;
    get_int(L, o, "schedule", "first_pass_seconds", 1, 3600, &r->first_pass_s);
    get_int(L, o, "schedule", "slice_people", 1, 100000, &r->slice_people);
    get_int(L, o, "schedule", "slice_messages", 1, 100000, &r->slice_messages);
    get_int(L, o, "schedule", "slice_pause_ms", 0, 60000, &r->slice_pause_ms);
    parse_hours(L, root, r);
    get_int(L, root, "", "daily_cap", 1, 50, &r->daily_cap);

    o = get_obj(L, root, "", "rpi", rpi);
    get_int(L, o, "rpi", "days_before", 1, 90, &r->rpi_days_before);
    get_int(L, o, "rpi", "overdue_every_days", 1, 90, &r->rpi_overdue_every);
    get_int(L, o, "rpi", "overdue_times", 0, 100, &r->rpi_overdue_times);

    o = get_obj(L, root, "", "approvals", approvals);
    get_int(L, o, "approvals", "nudge_after_workdays", 0, 60, &r->nudge_after);
    if (get_int(L, o, "approvals", "escalate_after_workdays", 1, 120, &r->escalate_after) == 0 &&
        r->escalate_after <= r->nudge_after)
        err(L, "approvals.escalate_after_workdays",
            "must be more than nudge_after_workdays: the approver is nudged before anyone "
            "above them is told");

    o = get_obj(L, root, "", "promotion", promotion);
    get_int(L, o, "promotion", "stage_news_days", 0, 30, &r->stage_news_days);

    o = get_obj(L, root, "", "trainings", trainings);
    parse_start_days(L, o, r);
    get_int(L, o, "trainings", "deadline_days_before", 0, 60, &r->deadline_days);

    o = get_obj(L, root, "", "jp_pace", jp);
    parse_checkpoints(L, o, r);
    get_int(L, o, "jp_pace", "suggestions", 0, 5, &r->suggestions);

    o = get_obj(L, root, "", "mentoring", mentoring);
    get_int(L, o, "mentoring", "idle_days", 1, 365, &r->mentor_idle_days);

    o = get_obj(L, root, "", "snooze", snooze);
    get_int(L, o, "snooze", "max_days", 1, 365, &r->snooze_max_days);
    get_int(L, o, "snooze", "approvals_max_days", 1, 30, &r->approvals_snooze_max_days);

    if (get_int(L, root, "", "keep_days", 30, 3660, &r->keep_days) == 0 &&
        r->keep_days < 366 + (r->rpi_overdue_times + 1) * r->rpi_overdue_every)
        err(L, "keep_days",
            "must be longer than a year and the weeks a late activity is reminded of (%d "
            "days), or a reminder could be sent again",
            366 + (r->rpi_overdue_times + 1) * r->rpi_overdue_every);
}

struct kb_reminder_rules *kb_reminder_rules_load(const char *defaults_dir, const char *override_dir,
                                                 struct kb_diag *diag)
{
    char file[4096], shown[4096];
    struct loader L = {.diag = diag, .file = "dialogs/" KB_REMINDERS_FILE};
    int len = -1;
    if (override_dir) {
        len = snprintf(file, sizeof file, "%s/dialogs/%s", override_dir, KB_REMINDERS_FILE);
        if (len > 0 && (size_t)len < sizeof file && access(file, F_OK) == 0) {
            snprintf(shown, sizeof shown, "%s", file);
            L.file = shown;
        } else {
            len = -1;
        }
    }
    if (len < 0) {
        len = snprintf(file, sizeof file, "%s/dialogs/%s", defaults_dir, KB_REMINDERS_FILE);
        if (len < 0 || (size_t)len >= sizeof file) {
            err(&L, NULL, "the directory name %s is too long", defaults_dir);
            return NULL;
        }
    }
    struct kb_buf b;
    kb_buf_init(&b, RULES_FILE_MAX);
    int rc = kb_buf_read_file(&b, file);
    if (rc != 0) {
        err(&L, NULL, rc == -2 ? "is larger than 64 KiB" : "cannot be read");
        kb_buf_free(&b);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(b.data, b.len, &end, 0);
    struct kb_reminder_rules *r = calloc(1, sizeof *r);
    if (!root) {
        int line = 1;
        for (const char *c = b.data; end && c < end && c < b.data + b.len; c++)
            line += *c == '\n';
        err(&L, NULL,
            "is not valid JSON near line %d (look for a missing comma, quote or brace there or "
            "just before)",
            line);
    } else if (!cJSON_IsObject(root)) {
        err(&L, NULL, "must be one JSON object in braces { }");
    } else if (!r) {
        err(&L, NULL, "out of memory");
    } else {
        parse(&L, root, r);
    }
    cJSON_Delete(root);
    kb_buf_free(&b);
    if (L.bad) {
        free(r);
        return NULL;
    }
    return r;
}

void kb_reminder_rules_free(struct kb_reminder_rules *r)
{
    free(r);
}

/* ---- the rules the dialogs use -------------------------------------------------------------- */

static const struct kb_reminder_rules *published;
static struct kb_reminder_rules *own; /* loaded on first use when nobody published */

void kb_reminder_rules_publish(const struct kb_reminder_rules *r)
{
    published = r;
}

const struct kb_reminder_rules *kb_reminder_rules_shared(void)
{
    if (published)
        return published;
    if (!own) {
        struct kb_diag diag = {0};
        const char *over = getenv("KARIRBOT_DATA_DIR");
        own = kb_reminder_rules_load(kb_config_defaults_dir(),
                                     over && *over ? over : "/etc/karirbot", &diag);
        kb_diag_free(&diag);
    }
    return own;
}

/* ---- kinds ---------------------------------------------------------------------------------- */

static const char *const kind_names[KB_REM__COUNT] = {
    [KB_REM_APPR_ESCALATE] = "appr_escalate",
    [KB_REM_APPR_NUDGE] = "appr_nudge",
    [KB_REM_HR_DIGEST] = "hr_digest",
    [KB_REM_KP_STAGE] = "kp_stage",
    [KB_REM_APPR_ESCALATED] = "appr_told",
    [KB_REM_RPI_DUE] = "rpi_due",
    [KB_REM_TR_START] = "tr_start",
    [KB_REM_TR_DEADLINE] = "tr_deadline",
    [KB_REM_KP_STALLED] = "kp_stalled",
    [KB_REM_RPI_SOON] = "rpi_soon",
    [KB_REM_JP_PACE] = "jp_pace",
    [KB_REM_JP_OVER] = "jp_over",
    [KB_REM_MENTOR_IDLE] = "mentor_idle",
};

enum kb_rem_class kb_rem_class_of(enum kb_rem_kind kind)
{
    switch (kind) {
    case KB_REM_APPR_ESCALATE:
    case KB_REM_APPR_NUDGE:
    case KB_REM_HR_DIGEST:
        return KB_REM_DUTY;
    case KB_REM_KP_STAGE:
        return KB_REM_URGENT;
    default:
        return KB_REM_NORMAL;
    }
}

const char *kb_rem_kind_name(enum kb_rem_kind kind)
{
    return (int)kind >= 0 && kind < KB_REM__COUNT ? kind_names[kind] : NULL;
}

int kb_rem_key(char out[KB_REM_KEY_MAX], enum kb_rem_kind kind, const char *subject,
               int64_t recipient_id, const char *occurrence)
{
    const char *name = kb_rem_kind_name(kind);
    int n = name ? snprintf(out, KB_REM_KEY_MAX, "%s:%s:emp%lld:%s", name, subject,
                            (long long)recipient_id, occurrence)
                 : -1;
    if (n < 0 || n >= KB_REM_KEY_MAX) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* ---- dates and calendars -------------------------------------------------------------------- */

static int to_days(const char *ymd, int64_t *days)
{
    int y, m, d;
    if (!ymd || kb_date_parse(ymd, &y, &m, &d) != 0)
        return -1;
    *days = kb_days_from_civil(y, m, d);
    return 0;
}

int kb_rem_date_add(const char *ymd, int64_t days, char out[11])
{
    int64_t x;
    if (to_days(ymd, &x) != 0 || days > 3660000 || days < -3660000) { /* ymd may be out */
        out[0] = '\0';
        return -1;
    }
    int y, m, d;
    kb_civil_from_days(x + days, &y, &m, &d);
    return kb_date_make(out, y, m, d);
}

int kb_rem_days(const char *from, const char *to, int64_t *out)
{
    int64_t a, b;
    if (to_days(from, &a) != 0 || to_days(to, &b) != 0)
        return -1;
    *out = b - a;
    return 0;
}

static int cmp_date(const void *key, const void *item)
{
    return strcmp(key, item);
}

bool kb_cal_is_holiday(const struct kb_calendar *c, const char *ymd)
{
    return c->nholidays && bsearch(ymd, c->holidays, c->nholidays, sizeof c->holidays[0], cmp_date);
}

bool kb_cal_is_workday(const struct kb_calendar *c, const char *ymd)
{
    return kb_is_workday(ymd, c->workdays == 6 ? 6 : 5) && !kb_cal_is_holiday(c, ymd);
}

int kb_cal_between(const struct kb_calendar *c, const char *from, const char *to, int64_t *out)
{
    return kb_workdays_between_except(from, to, c->workdays == 6 ? 6 : 5, c->holidays, c->nholidays,
                                      out);
}

int kb_cal_on_or_before(const struct kb_calendar *c, const char *ymd, char out[11])
{
    char d[11];
    snprintf(d, sizeof d, "%s", ymd);
    for (int i = 0; i <= BACK_DAYS_MAX; i++) {
        if (kb_cal_is_workday(c, d)) {
            memcpy(out, d, sizeof d);
            return 0;
        }
        char prev[11];
        if (kb_rem_date_add(d, -1, prev) != 0)
            break;
        memcpy(d, prev, sizeof d);
    }
    if (kb_date_parse(ymd, NULL, NULL, NULL) != 0) {
        out[0] = '\0';
        return -1;
    }
    snprintf(out, 11, "%s", ymd); /* no working day within reach: the day itself */
    return 0;
}

int kb_rem_open(const struct kb_reminder_rules *r, const struct kb_calendar *c, int64_t now,
                const char *zone)
{
    int off = kb_zone_offset(zone);
    char today[KB_DATE_LEN];
    if (off < 0 || kb_local_date(now, zone, today) != 0)
        return 0;
    int64_t local = now + (int64_t)off * 3600;
    int64_t sod = local % 86400;
    if (sod < 0)
        sod += 86400;
    int minute = (int)(sod / 60);
    int open = 0;
    if (minute >= r->urgent_from && minute < r->urgent_to)
        open |= KB_REM_OPEN_URGENT;
    if (minute >= r->work_from && minute < r->work_to && kb_cal_is_workday(c, today))
        open |= KB_REM_OPEN_NORMAL;
    return open;
}

/* ---- when each kind is due ------------------------------------------------------------------ */

static int due(struct kb_rem_due *d, enum kb_rem_kind kind, const char *occurrence, int64_t n)
{
    d->kind = kind;
    snprintf(d->occurrence, sizeof d->occurrence, "%s", occurrence);
    d->n = n;
    return 1;
}

int kb_rem_rpi(const struct kb_reminder_rules *r, const char *target, const char *today,
               struct kb_rem_due *d)
{
    int64_t late;
    char occ[11];
    if (kb_rem_days(target, today, &late) != 0 || late < -(int64_t)r->rpi_days_before)
        return 0;
    if (late < 0)
        return kb_rem_date_add(target, -r->rpi_days_before, occ) == 0 &&
               due(d, KB_REM_RPI_SOON, occ, -late);
    int64_t k = late / r->rpi_overdue_every; /* 0: the day itself and the days after it */
    if (k > r->rpi_overdue_times)
        return 0;
    return kb_rem_date_add(target, k * r->rpi_overdue_every, occ) == 0 &&
           due(d, KB_REM_RPI_DUE, occ, late);
}

int kb_rem_approval(const struct kb_reminder_rules *r, const struct kb_calendar *c,
                    const char *asked_on, const char *today, int64_t *waited)
{
    *waited = 0;
    if (kb_cal_between(c, asked_on, today, waited) != 0)
        return 0;
    return *waited > r->escalate_after ? 2 : *waited > r->nudge_after ? 1 : 0;
}

int kb_rem_stage_stalled(const struct kb_calendar *c, const char *reached_on, const char *today,
                         int expected, int64_t *waited)
{
    *waited = 0;
    return kb_cal_between(c, reached_on, today, waited) == 0 && *waited > expected;
}

int kb_rem_stage_news(const struct kb_reminder_rules *r, const char *reached_on, const char *today)
{
    int64_t age;
    return kb_rem_days(reached_on, today, &age) == 0 && age >= 0 && age <= r->stage_news_days;
}

int kb_rem_training_start(const struct kb_reminder_rules *r, const struct kb_calendar *c,
                          const char *start, const char *today, struct kb_rem_due *d)
{
    int64_t left;
    if (kb_rem_days(today, start, &left) != 0 || left <= 0)
        return 0;
    /* Nearest first: the last window that has opened. A window that opens on a day off opens
     * on the working day before it instead; two that open on the same day are one. */
    for (size_t i = r->nstart; i-- > 0;) {
        char nominal[11], opens[11], occ[24];
        if (kb_rem_date_add(start, -r->start_days[i], nominal) != 0 ||
            kb_cal_on_or_before(c, nominal, opens) != 0)
            return 0;
        if (strcmp(opens, today) <= 0) {
            snprintf(occ, sizeof occ, "h%d/%s", r->start_days[i], start);
            return due(d, KB_REM_TR_START, occ, left);
        }
    }
    return 0;
}

int kb_rem_deadline(const struct kb_reminder_rules *r, const char *deadline, const char *today,
                    struct kb_rem_due *d)
{
    int64_t left;
    if (kb_rem_days(today, deadline, &left) != 0 || left < 0 || left > r->deadline_days)
        return 0;
    return due(d, KB_REM_TR_DEADLINE, deadline, left);
}

int kb_rem_jp_pace(const struct kb_reminder_rules *r, const char *today, int recognised, int target,
                   struct kb_rem_due *d)
{
    int y, m, dd;
    if (target <= 0 || kb_date_parse(today, &y, &m, &dd) != 0)
        return 0;
    const struct kb_rem_checkpoint *at = NULL;
    for (size_t i = 0; i < r->ncheckpoints; i++)
        if (r->checkpoints[i].month * 100 + r->checkpoints[i].day <= m * 100 + dd)
            at = &r->checkpoints[i];
    if (!at)
        return 0;
    int64_t expected = (int64_t)ceil(at->share * target - 1e-9);
    char occ[11];
    if (recognised >= expected || kb_date_make(occ, y, at->month, at->day) != 0)
        return 0;
    return due(d, KB_REM_JP_PACE, occ, expected);
}

int kb_rem_mentor_idle(const struct kb_reminder_rules *r, const char *last, const char *today,
                       struct kb_rem_due *d)
{
    int64_t idle;
    char occ[11];
    if (kb_rem_days(last, today, &idle) != 0 || idle < r->mentor_idle_days)
        return 0;
    int64_t k = idle / r->mentor_idle_days;
    return kb_rem_date_add(last, k * r->mentor_idle_days, occ) == 0 &&
           due(d, KB_REM_MENTOR_IDLE, occ, idle);
}
