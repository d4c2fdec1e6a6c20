/* event: ownership helpers for kb_event and kb_outq. */
#include "karirbot/event.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void kb_event_free(struct kb_event *ev)
{
    free(ev->text);
    free(ev->command);
    free(ev->args);
    free(ev->file_id);
    free(ev->media_kind);
    free(ev->callback_id);
    free(ev->callback_data);
    free(ev->first_name);
    free(ev->language_code);
    free(ev->other_kind);
    memset(ev, 0, sizeof *ev);
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

static void out_free(struct kb_out *o)
{
    free(o->text);
    free(o->keyboard);
    free(o->ref_text);
}

int kb_outq_push(struct kb_outq *q, const struct kb_out *o)
{
    if (q->len >= KB_OUTQ_MAX)
        return -1;
    struct kb_out *d = &q->items[q->len];
    *d = *o;
    if (dup_or_null(&d->text, o->text) || dup_or_null(&d->keyboard, o->keyboard) ||
        dup_or_null(&d->ref_text, o->ref_text)) {
        out_free(d);
        return -1;
    }
    q->len++;
    return 0;
}

void kb_outq_clear(struct kb_outq *q)
{
    for (size_t i = 0; i < q->len; i++)
        out_free(&q->items[i]);
    q->len = 0;
}

/* Splits "/start@bot payload" into command "start" and args "payload". */
void kb_event_split_command(struct kb_event *ev)
{
    const char *t = ev->text;
    if (!t || t[0] != '/')
        return;
    size_t n = 1;
    while (t[n] && (isalnum((unsigned char)t[n]) || t[n] == '_'))
        n++;
    if (n == 1 || n > 33 || (t[n] && t[n] != '@' && !isspace((unsigned char)t[n])))
        return;
    const char *rest = t + n;
    if (*rest == '@')
        rest += strcspn(rest, " \t\n");
    while (*rest && isspace((unsigned char)*rest))
        rest++;
    size_t alen = strlen(rest);
    while (alen && isspace((unsigned char)rest[alen - 1]))
        alen--;
    ev->command = malloc(n);
    ev->args = malloc(alen + 1);
    if (!ev->command || !ev->args) {
        free(ev->command);
        free(ev->args);
        ev->command = ev->args = NULL;
        return;
    }
    for (size_t i = 1; i < n; i++)
        ev->command[i - 1] = (char)tolower((unsigned char)t[i]);
    ev->command[n - 1] = '\0';
    memcpy(ev->args, rest, alen);
    ev->args[alen] = '\0';
}
