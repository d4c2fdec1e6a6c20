/* chat: terminal users talking to the engine. Each line is one event, applied in its own
 * transaction exactly as the service applies an update; the replies are printed instead of
 * queued. HTML is shown as plain text; buttons as numbered lines.
 *
 * With --demo the database gets the demo organisation (deploy/demo/demo.sql) once, and the
 * terminal speaks as one of its employees (--as NIP; Dewi Lestari by default). A line ":as NIP"
 * switches the person typing, so one terminal can play a requester and then the supervisor who
 * decides; messages karirbot sends to someone else are printed with their name. A typed number
 * presses a button of the last message that person got, as a tap on Telegram would. ":foto"
 * and ":dokumen" send a photo or a document (a certificate). */
#include "karirbot/chat.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/buf.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/engine.h"
#include "karirbot/idfmt.h"
#include "karirbot/log.h"
#include "karirbot/people.h"
#include "karirbot/policy.h"
#include "karirbot/remind.h"
#include "karirbot/script.h"
#include "karirbot/store.h"
#include "karirbot/utf8.h"

#define LINE_MAX_BYTES 16384
#define CHAT_ID        1000001              /* the terminal's chat without --demo */
#define DEMO_ID_BASE   2000000000           /* a demo employee's account: this + employee id */
#define DEMO_NIP       "199003222015032001" /* Dewi Lestari */
#define KEYS_MAX       24

/* The last keyboard each terminal person got, so a typed number can press it. */
struct pad {
    int64_t chat_id;
    int64_t message_id;
    char tokens[KEYS_MAX][68];
    int ntokens;
};

struct term {
    struct kb_store *st;
    struct kb_engine *e;
    int64_t chat_id; /* who is typing */
    const char *name;
    char first_name[64];
    int64_t seq;
    int64_t next_message_id;
    struct pad pads[16];
};

static struct pad *pad_for(struct term *t, int64_t chat_id)
{
    struct pad *free_pad = NULL;
    for (size_t i = 0; i < sizeof t->pads / sizeof t->pads[0]; i++) {
        if (t->pads[i].chat_id == chat_id)
            return &t->pads[i];
        if (!t->pads[i].chat_id && !free_pad)
            free_pad = &t->pads[i];
    }
    if (!free_pad)
        free_pad = &t->pads[0];
    memset(free_pad, 0, sizeof *free_pad);
    free_pad->chat_id = chat_id;
    return free_pad;
}

/* Prints HTML as text: tags dropped, the five entities decoded. */
static void print_plain(const char *html)
{
    static const struct {
        const char *ent, *ch;
    } ents[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"}};
    for (const char *p = html; *p;) {
        if (*p == '<') {
            const char *end = strchr(p, '>');
            if (end) {
                p = end + 1;
                continue;
            }
        }
        if (*p == '&') {
            size_t i;
            for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
                if (!strncmp(p, ents[i].ent, strlen(ents[i].ent)))
                    break;
            if (i < sizeof ents / sizeof ents[0]) {
                fputs(ents[i].ch, stdout);
                p += strlen(ents[i].ent);
                continue;
            }
        }
        putchar(*p++);
    }
}

static void print_out(struct term *t, const struct kb_outq *out)
{
    for (size_t i = 0; i < out->len; i++) {
        const struct kb_out *o = &out->items[i];
        if (o->kind == KB_OUT_CALLBACK_ANSWER) {
            if (o->text && *o->text)
                printf("(%s)\n", o->text);
            continue;
        }
        if (o->chat_id != t->chat_id) {
            struct kb_person p;
            int found = 0;
            kb_person_by_user(t->st, o->chat_id, &p, &found);
            printf("karirbot -> %s: ", found ? p.name : "?");
        } else {
            printf(o->kind == KB_OUT_EDIT ? "karirbot (edits its message): " : "karirbot: ");
        }
        print_plain(o->text ? o->text : "");
        putchar('\n');
        cJSON *rows = o->keyboard ? cJSON_Parse(o->keyboard) : NULL;
        struct pad *pad = pad_for(t, o->chat_id);
        pad->ntokens = 0;
        pad->message_id = o->kind == KB_OUT_EDIT ? o->ref_id : ++t->next_message_id;
        const cJSON *row, *b;
        cJSON_ArrayForEach(row, rows) cJSON_ArrayForEach(b, row)
        {
            const cJSON *label = cJSON_GetObjectItemCaseSensitive(b, "text");
            const cJSON *data = cJSON_GetObjectItemCaseSensitive(b, "data");
            printf("  [%d] %s\n", pad->ntokens + 1,
                   cJSON_IsString(label) ? label->valuestring : "?");
            if (pad->ntokens < KEYS_MAX && cJSON_IsString(data))
                snprintf(pad->tokens[pad->ntokens++], sizeof pad->tokens[0], "%s",
                         data->valuestring);
        }
        cJSON_Delete(rows);
    }
    fflush(stdout);
}

/* A line that is only the number of a button on the last keyboard this person got. */
static const char *pressed_token(struct term *t, const char *line, int64_t *message_id)
{
    char *end;
    long n = strtol(line, &end, 10);
    while (*end == ' ' || *end == '.')
        end++;
    struct pad *pad = pad_for(t, t->chat_id);
    if (*end || end == line || n < 1 || n > pad->ntokens)
        return NULL;
    *message_id = pad->message_id;
    return pad->tokens[n - 1];
}

/* Applies one typed line as an event: a button press, a photo or document (":foto",
 * ":dokumen"), or text. Returns 0, or -1 when the engine failed. */
static int one_line(struct term *t, char *line)
{
    struct kb_store *st = t->st;
    struct kb_event ev = {.update_id = ++t->seq,
                          .kind = KB_EV_TEXT,
                          .chat_kind = KB_CHAT_PRIVATE,
                          .chat_id = t->chat_id,
                          .user_id = t->chat_id,
                          .date = kb_now()};
    size_t n = strlen(line);
    int64_t message_id = 0;
    const char *token = pressed_token(t, line, &message_id);
    if (token) {
        char id[32];
        snprintf(id, sizeof id, "cb%lld", (long long)ev.update_id);
        ev.kind = KB_EV_CALLBACK;
        ev.callback_data = strdup(token);
        ev.callback_id = strdup(id);
        ev.message_id = message_id;
        ev.text = strdup("");
    } else if (!strncmp(line, ":foto", 5) || !strncmp(line, ":dokumen", 8)) {
        char id[48];
        snprintf(id, sizeof id, "terminal-file-%lld", (long long)ev.update_id);
        ev.kind = KB_EV_MEDIA;
        ev.media_kind = strdup(line[1] == 'f' ? "photo" : "document");
        ev.file_id = strdup(id);
        ev.text = strdup(line + strcspn(line, " ") + (line[strcspn(line, " ")] ? 1 : 0));
    } else if (kb_utf8_valid(line, n)) {
        ev.text = strdup(line);
    } else {
        ev.text = kb_utf8_sanitize(line, n);
        ev.flags |= KB_EVF_INVALID_UTF8;
    }
    ev.first_name = strdup(t->name);
    if (!ev.text || !ev.first_name) {
        kb_event_free(&ev);
        return -1;
    }
    if (ev.kind == KB_EV_TEXT)
        kb_event_split_command(&ev);
    struct kb_outq out = {.len = 0};
    struct kb_handler h = kb_engine_handler(t->e);
    int refused, rc = kb_store_begin(st);
    if (rc == KB_OK)
        rc = kb_chats_touch(st, ev.chat_id, ev.chat_kind, kb_now(), &refused);
    if (rc == KB_OK)
        rc = kb_convlog_add(st, ev.chat_id, 0, ev.text, kb_now());
    if (rc == KB_OK)
        rc = h.handle(h.ctx, &ev, st, &out) == 0 ? KB_OK : KB_ERR;
    if (rc == KB_OK)
        rc = kb_store_commit(st);
    else
        kb_store_rollback(st);
    if (rc == KB_OK)
        print_out(t, &out);
    kb_outq_clear(&out);
    kb_event_free(&ev);
    return rc == KB_OK ? 0 : -1;
}

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot chat [--demo] [--as NIP] [--name NAME] [--now UNIX_SECONDS]\n"
            "                     [--db PATH]\n\n"
            "Talk to karirbot in this terminal: type a message, or the number of a\n"
            "button. Lines piped in are read one by one and the replies printed.\n"
            "Ctrl-D ends the chat.\n\n"
            "  --demo     use the demo organisation (created once in the database,\n"
            "             karirbot-demo.db unless --db or KARIRBOT_DB says otherwise)\n"
            "  --as NIP   speak as this demo employee (default Dewi Lestari)\n\n"
            "In the chat, \":as NIP\" switches the person typing (try 197804152003121004,\n"
            "Hendra Pratama, the supervisor), and \":foto\" or \":dokumen\" sends a file.\n"
            "\":pengingat\" runs a reminder pass at the chat's clock (--now) and shows what\n"
            "was sent to whom.\n");
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends <dir>/demo.sql, then the other *.sql of dir in name order (the rows each area's
 * flows show), to b. Returns 0 or -1. */
static int read_demo_sql(const char *dir, struct kb_buf *b)
{
    char path[4096 + 512];
    snprintf(path, sizeof path, "%s/demo.sql", dir);
    if (kb_buf_read_file(b, path) != 0)
        return -1;
    DIR *d = opendir(dir);
    char *names[32];
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < 32) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".sql") && strcmp(e->d_name, "demo.sql"))
            if ((names[n] = strdup(e->d_name)) != NULL)
                n++;
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct kb_buf part;
        kb_buf_init(&part, 1 << 20);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == 0 && (kb_buf_read_file(&part, path) != 0 || kb_buf_add(b, "\n", 1) != 0 ||
                        kb_buf_add(b, part.data, part.len) != 0))
            rc = -1;
        kb_buf_free(&part);
        free(names[i]);
    }
    return rc == 0 ? kb_buf_add(b, "", 1) : -1;
}

/* Creates the demo organisation in an empty database. Returns 0, or -1 after saying why. */
static int seed_demo(struct kb_store *st)
{
    struct kb_person p;
    int found = 0;
    if (kb_person_by_id(st, 1, &p, &found) != KB_OK)
        return -1;
    if (found)
        return 0; /* created before: keep what the demo user did */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/deploy/demo", kb_config_defaults_dir());
    if (access(dir, R_OK) != 0)
        snprintf(dir, sizeof dir, "%s/demo", kb_config_defaults_dir());
    struct kb_buf b;
    kb_buf_init(&b, 4 << 20);
    char today[KB_DATE_LEN];
    int rc = read_demo_sql(dir, &b) == 0 && kb_local_date(kb_now(), "WITA", today) == 0
                 ? kb_store_exec_seed(st, b.data, today)
                 : KB_ERR;
    if (rc != KB_OK)
        fprintf(stderr, "karirbot chat: could not create the demo data from %s\n", dir);
    kb_buf_free(&b);
    return rc == KB_OK ? 0 : -1;
}

/* A reminder the pass of ":pengingat" queued: printed like a reply, its buttons pressable. */
static void show_reminder(void *ctx, const struct kb_out *o)
{
    struct kb_outq q = {.len = 1};
    q.items[0] = *o;
    print_out(ctx, &q);
}

/* ":as NIP": the demo account of that employee types from now on. */
static int switch_person(struct term *t, const char *nip)
{
    struct kb_person p;
    int found = 0;
    char digits[24];
    size_t n = 0;
    for (const char *c = nip; *c && n + 1 < sizeof digits; c++)
        if (*c >= '0' && *c <= '9')
            digits[n++] = *c;
    digits[n] = '\0';
    if (kb_person_by_nip(t->st, digits, &p, &found) != KB_OK)
        return -1;
    if (!found) {
        printf("(no employee with NIP %s in this database)\n", digits);
        return 0;
    }
    t->chat_id = DEMO_ID_BASE + p.id;
    /* What Telegram would call them: the first word of the name. */
    snprintf(t->first_name, sizeof t->first_name, "%.*s", (int)strcspn(p.name, " "), p.name);
    t->name = t->first_name;
    printf("(now typing: %s, %s)\n", p.name, p.position);
    fflush(stdout);
    return 0;
}

int kb_cmd_chat(const struct kb_config *cfg, int argc, char **argv)
{
    const char *name = "Dewi", *as = NULL;
    int demo = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--name") && i + 1 < argc) {
            name = argv[++i];
        } else if (!strcmp(argv[i], "--demo")) {
            demo = 1;
        } else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
            as = argv[++i];
            demo = 1;
        } else if (!strcmp(argv[i], "--now") && i + 1 < argc) {
            char *end;
            long long now = strtoll(argv[++i], &end, 10);
            if (*end || now <= 0) {
                usage();
                return 64;
            }
            kb_clock_set(now); /* for transcripts and trying time-dependent steps */
        } else {
            usage();
            return strcmp(argv[i], "--help") ? 64 : 0;
        }
    }
    if (!getenv("KARIRBOT_LOG_LEVEL"))
        kb_log_set_level(KB_LOG_WARN); /* the conversation, not the log, is what a person reads */
    const char *db_path = cfg->db_path;
    if (demo && cfg->db_default)
        db_path = "karirbot-demo.db";
    struct kb_diag diag = {0};
    struct kb_locale *loc = kb_locale_load(kb_config_defaults_dir(), kb_config_override_dir(cfg));
    struct kb_script *script =
        kb_script_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    struct kb_policy *policy =
        kb_policy_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "%s\n", diag.lines[i]);
    kb_diag_free(&diag);
    struct term t = {.chat_id = CHAT_ID, .name = name};
    int rc = 1;
    if (!loc || !script || !policy || kb_store_open(&t.st, db_path, 5000) != KB_OK ||
        !(t.e = kb_engine_new(script, loc)))
        goto out;
    kb_engine_set_policy(t.e, policy);
    if (demo && (seed_demo(t.st) != 0 || switch_person(&t, as ? as : DEMO_NIP) != 0))
        goto out;
    if (demo && t.chat_id == CHAT_ID) /* --as named nobody */
        goto out;
    int tty = isatty(STDIN_FILENO);
    if (tty)
        fprintf(stderr, "karirbot chat on %s — type /start, or Ctrl-D to leave.\n", db_path);
    char *line = malloc(LINE_MAX_BYTES);
    t.seq = kb_now() * 1000;
    rc = line ? 0 : 1;
    while (line && (tty ? (fputs("> ", stdout), fflush(stdout), 1) : 1) &&
           fgets(line, LINE_MAX_BYTES, stdin)) {
        size_t n = strcspn(line, "\r\n");
        int whole = line[n] != '\0' || feof(stdin);
        line[n] = '\0';
        if (!whole) { /* longer than the buffer: read the rest away, keep the start */
            int c;
            while ((c = getchar()) != EOF && c != '\n')
                ;
        }
        if (!tty)
            printf("> %s\n", line);
        if (!*line)
            continue;
        if (!strncmp(line, ":as ", 4)) {
            if (switch_person(&t, line + 4) != 0)
                rc = 1;
            continue;
        }
        if (!strcmp(line, ":pengingat")) {
            int sent = kb_remind_terminal(cfg, t.st, loc, policy, show_reminder, &t);
            if (sent == 0)
                printf("(no reminder is due now)\n");
            rc = sent < 0 ? 1 : rc;
            continue;
        }
        if (one_line(&t, line) != 0) {
            fprintf(stderr, "karirbot chat: that message could not be handled (see the log)\n");
            rc = 1;
        }
    }
    free(line);
out:
    kb_engine_free(t.e);
    kb_store_close(t.st);
    kb_script_free(script);
    kb_policy_free(policy);
    kb_locale_free(loc);
    return rc;
}
