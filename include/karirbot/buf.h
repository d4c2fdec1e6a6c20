/* buf: a growable byte buffer with a hard maximum size set at init (as curl's dynbuf).
 * The content is always NUL-terminated. Growing past the maximum fails and leaves the
 * buffer unchanged; nothing read from the network grows without a bound. */
#ifndef KARIRBOT_BUF_H
#define KARIRBOT_BUF_H

#include <stddef.h>

struct kb_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
};

void kb_buf_init(struct kb_buf *b, size_t max);
void kb_buf_free(struct kb_buf *b);
void kb_buf_reset(struct kb_buf *b);
/* Return 0 on success, -1 when the result would exceed the maximum or memory runs out. */
int kb_buf_add(struct kb_buf *b, const void *p, size_t n);
int kb_buf_adds(struct kb_buf *b, const char *s);
int kb_buf_addf(struct kb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with <, > and & written as HTML entities (and " as &quot;). */
int kb_buf_add_html(struct kb_buf *b, const char *s);
/* Appends the whole file at path. Returns 0; -1 when it cannot be opened or read; -2 when it
 * is larger than the buffer's maximum (the buffer is then reset). */
int kb_buf_read_file(struct kb_buf *b, const char *path);
/* Hands the content to the caller (who frees it) and resets the buffer. */
char *kb_buf_take(struct kb_buf *b);

#endif
