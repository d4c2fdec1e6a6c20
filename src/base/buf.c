/* buf: bounded growable buffers. */
#include "karirbot/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kb_buf_init(struct kb_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void kb_buf_free(struct kb_buf *b)
{
    free(b->data);
    kb_buf_init(b, b->max);
}

void kb_buf_reset(struct kb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int buf_reserve(struct kb_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int kb_buf_add(struct kb_buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int kb_buf_adds(struct kb_buf *b, const char *s)
{
    return kb_buf_add(b, s, strlen(s));
}

int kb_buf_addf(struct kb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int kb_buf_add_html(struct kb_buf *b, const char *s)
{
    size_t len0 = b->len; /* a failure leaves the buffer as it was, like kb_buf_add */
    const char *run = s;
    for (const char *p = s;; p++) {
        const char *ent = NULL;
        switch (*p) {
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '&':
            ent = "&amp;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\0':
            if (kb_buf_add(b, run, (size_t)(p - run)) == 0)
                return 0;
            goto fail;
        default:
            continue;
        }
        if (kb_buf_add(b, run, (size_t)(p - run)) != 0 || kb_buf_adds(b, ent) != 0)
            goto fail;
        run = p + 1;
    }
fail:
    b->len = len0;
    if (b->data)
        b->data[len0] = '\0';
    return -1;
}

int kb_buf_read_file(struct kb_buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (kb_buf_add(b, chunk, n) != 0)
            rc = -2;
    if (rc == 0 && ferror(f))
        rc = -1;
    fclose(f);
    if (rc != 0)
        kb_buf_reset(b);
    return rc;
}

char *kb_buf_take(struct kb_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    kb_buf_init(b, b->max);
    return p;
}
