/* utf8: validation and measuring of UTF-8 text as Telegram counts it. */
#ifndef KARIRBOT_UTF8_H
#define KARIRBOT_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF). */
bool kb_utf8_valid(const char *s, size_t n);

/* Returns a newly allocated copy of s[0..n) with each ill-formed sequence replaced by U+FFFD.
 * The caller frees it. NULL when out of memory. */
char *kb_utf8_sanitize(const char *s, size_t n);

/* Number of UTF-16 code units of valid UTF-8 text (Telegram's "characters"). */
size_t kb_utf16_len(const char *s, size_t n);

/* Length in bytes of the UTF-8 sequence starting with lead byte c (1 for invalid leads). */
size_t kb_utf8_seqlen(unsigned char c);

#endif
