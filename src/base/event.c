/* event: ownership helpers for kb_event and kb_outq. */
#include "karirbot/event.h"

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
