/* textsplit: cutting a long HTML message into parts Telegram accepts (≤ 4096 characters
 * after entity parsing), at paragraph, then line, then word boundaries. */
#ifndef KARIRBOT_TEXTSPLIT_H
#define KARIRBOT_TEXTSPLIT_H

#include <stddef.h>

#define KB_TEXT_LIMIT 4096

/* Visible length of HTML text in UTF-16 code units (tags removed, entities counted once). */
size_t kb_html_visible_len(const char *s, size_t n);

/* Splits s into parts of at most limit visible characters, never inside a tag or an entity.
 * On success *parts is an allocated array of *nparts allocated strings (caller frees each and
 * the array) and 0 is returned; -1 when out of memory or more than max_parts are needed. */
int kb_text_split(const char *s, size_t limit, size_t max_parts, char ***parts, size_t *nparts);

#endif
