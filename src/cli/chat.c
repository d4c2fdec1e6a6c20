/* chat: one terminal user talking to the engine. Each line is one event, applied in its own
 * transaction exactly as the service applies an update; the replies are printed instead of
 * queued. HTML is shown as plain text; buttons as numbered lines. */
#include "karirbot/chat.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "karirbot/clock.h"
#include "karirbot/engine.h"
#include "karirbot/log.h"
#include "karirbot/script.h"
#include "karirbot/store.h"
#include "karirbot/utf8.h"

#define LINE_MAX_BYTES 16384
#define CHAT_ID        1000001 /* the terminal's one chat */

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

static void print_out(const struct kb_outq *out)
{
    for (size_t i = 0; i < out->len; i++) {
        const struct kb_out *o = &out->items[i];
        if (o->kind == KB_OUT_CALLBACK_ANSWER) {
            if (o->text && *o->text)
                printf("(%s)\n", o->text);
            continue;
        }
        printf("karirbot: ");
        print_plain(o->text ? o->text : "");
        putchar('\n');
        cJSON *rows = o->keyboard ? cJSON_Parse(o->keyboard) : NULL;
        int n = 0;
        const cJSON *row, *b;
        cJSON_ArrayForEach(row, rows) cJSON_ArrayForEach(b, row)
        {
            const cJSON *label = cJSON_GetObjectItemCaseSensitive(b, "text");
            printf("  [%d] %s\n", ++n, cJSON_IsString(label) ? label->valuestring : "?");
        }
        cJSON_Delete(rows);
    }
    fflush(stdout);
}

/* Applies one typed line as a text event. Returns 0, or -1 when the engine failed. */
static int one_line(struct kb_store *st, struct kb_engine *e, const char *name, char *line,
                    int64_t seq)
{
    struct kb_event ev = {.update_id = seq,
                          .kind = KB_EV_TEXT,
                          .chat_kind = KB_CHAT_PRIVATE,
                          .chat_id = CHAT_ID,
                          .user_id = CHAT_ID,
                          .date = kb_now()};
    size_t n = strlen(line);
    if (kb_utf8_valid(line, n)) {
        ev.text = strdup(line);
    } else {
        ev.text = kb_utf8_sanitize(line, n);
        ev.flags |= KB_EVF_INVALID_UTF8;
    }
    ev.first_name = strdup(name);
    if (!ev.text || !ev.first_name) {
        kb_event_free(&ev);
        return -1;
    }
    kb_event_split_command(&ev);
    struct kb_outq out = {.len = 0};
    struct kb_handler h = kb_engine_handler(e);
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
        print_out(&out);
    kb_outq_clear(&out);
    kb_event_free(&ev);
    return rc == KB_OK ? 0 : -1;
}

static void usage(void)
{
    fprintf(stderr, "Usage: karirbot chat [--name NAME] [--now UNIX_SECONDS] [--db PATH]\n\n"
                    "Talk to karirbot in this terminal: type a message, or the number of a\n"
                    "button. Lines piped in are read one by one and the replies printed.\n"
                    "Ctrl-D ends the chat.\n");
}

int kb_cmd_chat(const struct kb_config *cfg, int argc, char **argv)
{
    const char *name = "Dewi";
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--name") && i + 1 < argc) {
            name = argv[++i];
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
    struct kb_diag diag = {0};
    struct kb_locale *loc = kb_locale_load(kb_config_defaults_dir(), kb_config_override_dir(cfg));
    struct kb_script *script =
        kb_script_load(kb_config_defaults_dir(), kb_config_override_dir(cfg), &diag);
    for (size_t i = 0; i < diag.nlines; i++)
        fprintf(stderr, "%s\n", diag.lines[i]);
    kb_diag_free(&diag);
    struct kb_store *st = NULL;
    struct kb_engine *e = NULL;
    int rc = 1;
    if (!loc || !script || kb_store_open(&st, cfg->db_path, 5000) != KB_OK ||
        !(e = kb_engine_new(script, loc)))
        goto out;
    int tty = isatty(STDIN_FILENO);
    if (tty)
        fprintf(stderr, "karirbot chat on %s — type /start, or Ctrl-D to leave.\n", cfg->db_path);
    char *line = malloc(LINE_MAX_BYTES);
    int64_t seq = kb_now() * 1000;
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
        if (one_line(st, e, name, line, ++seq) != 0) {
            fprintf(stderr, "karirbot chat: that message could not be handled (see the log)\n");
            rc = 1;
        }
    }
    free(line);
out:
    kb_engine_free(e);
    kb_store_close(st);
    kb_script_free(script);
    kb_locale_free(loc);
    return rc;
}
