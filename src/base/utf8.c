/* utf8: strict UTF-8 decoding (RFC 3629) for validation, repair and UTF-16 counting. */
#include "karirbot/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t kb_utf8_seqlen(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if (c >= 0xe0 && c <= 0xef)
        return 3;
    if (c >= 0xf0 && c <= 0xf4)
        return 4;
    return 1;
}

/* Decodes one code point at s (n bytes left). Returns its length, or 0 if ill-formed. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len = kb_utf8_seqlen(c);
    if (len == 1 || len > n)
        return 0;
    uint32_t v = c & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_for_len[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

bool kb_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    uint32_t cp;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = decode(p + i, n - i, &cp);
        if (!len)
            return false;
        i += len;
    }
    return true;
}

char *kb_utf8_sanitize(const char *s, size_t n)
{
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(n * 3 + 1); /* each bad byte becomes 3 bytes of U+FFFD */
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    uint32_t cp;
    while (i < n) {
        size_t len = decode(p + i, n - i, &cp);
        if (len && !(len == 1 && p[i] == 0)) {
            memcpy(out + o, p + i, len);
            o += len;
            i += len;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

size_t kb_utf16_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t units = 0;
    for (size_t i = 0; i < n;) {
        size_t len = kb_utf8_seqlen(p[i]);
        units += len == 4 ? 2 : 1;
        i += len;
    }
    return units;
}
