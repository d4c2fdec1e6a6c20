/* test_base: unit tests of src/base (bounded buffers, UTF-8, text splitting, locale catalogs,
 * logging, configuration) and of the sender's int64 map (src/net/i64map.c).
 *
 * No framework: CHECK() prints file:line and the failed expression and counts the failure;
 * main() runs every test and returns non-zero when any check failed. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "karirbot/buf.h"
#include "karirbot/config.h"
#include "karirbot/i64map.h"
#include "karirbot/locale.h"
#include "karirbot/log.h"
#include "karirbot/textsplit.h"
#include "karirbot/utf8.h"

#include "check.h"

/* The scratch directory given by CMake, or /tmp when run by hand. */
static const char *tmp_dir(void)
{
    const char *d = getenv("KARIRBOT_TEST_TMP");
    return d && *d ? d : "/tmp";
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* Returns the content of path (caller frees), or NULL. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0, n;
    char *s = malloc(cap + 1);
    while (s && (n = fread(s + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *t = realloc(s, cap * 2 + 1);
            if (!t) {
                free(s);
                s = NULL;
                break;
            }
            s = t;
            cap *= 2;
        }
    }
    fclose(f);
    if (s)
        s[len] = '\0';
    return s;
}

static size_t count_substr(const char *s, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += k)
        n++;
    return n;
}

/* ---- buf ------------------------------------------------------------------------------- */

static void test_buf_add_refuses_growth_past_max(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 10);
    CHECK(kb_buf_add(&b, "0123456789", 10) == 0);
    CHECK(b.len == 10);
    CHECK(kb_buf_add(&b, "x", 1) == -1);
    CHECK(b.len == 10);
    CHECK_STR(b.data, "0123456789");
    CHECK(b.cap <= 11); /* never allocates beyond max + NUL */
    kb_buf_reset(&b);
    CHECK(b.len == 0 && b.data[0] == '\0');
    CHECK(kb_buf_add(&b, "abc", 3) == 0);
    CHECK_STR(b.data, "abc");
    kb_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0 && b.max == 10);
}

static void test_buf_add_grows_across_many_appends(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 100000);
    for (int i = 0; i < 10000; i++)
        CHECK(kb_buf_add(&b, "abcdefghij", i % 10 + 1) == 0);
    size_t want = 0;
    for (int i = 0; i < 10000; i++)
        want += (size_t)(i % 10 + 1);
    CHECK(b.len == want);
    CHECK(strlen(b.data) == want);
    CHECK(memcmp(b.data + b.len - 10, "abcdefghij", 10) == 0);
    kb_buf_free(&b);
}

static void test_buf_addf_formats_and_respects_max(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 16);
    CHECK(kb_buf_addf(&b, "%d-%s", 42, "ok") == 0);
    CHECK_STR(b.data, "42-ok");
    CHECK(kb_buf_addf(&b, "%s", "this is too long") == -1);
    CHECK_STR(b.data, "42-ok");
    CHECK(b.len == 5);
    CHECK(kb_buf_addf(&b, "%011d", 7) == 0); /* exactly fills the 16 bytes */
    CHECK_STR(b.data, "42-ok00000000007");
    CHECK(kb_buf_addf(&b, "%s", "") == 0);
    CHECK(kb_buf_addf(&b, "%c", 'x') == -1);
    kb_buf_free(&b);
}

static void test_buf_add_html_escapes_specials(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1024);
    CHECK(kb_buf_add_html(&b, "<a href=\"x\">R&D</a> caf\xc3\xa9") == 0);
    CHECK_STR(b.data, "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt; caf\xc3\xa9");
    kb_buf_reset(&b);
    CHECK(kb_buf_add_html(&b, "plain") == 0);
    CHECK_STR(b.data, "plain");
    kb_buf_reset(&b);
    CHECK(kb_buf_add_html(&b, "") == 0);
    CHECK(b.len == 0);
    kb_buf_free(&b);
}

static void test_buf_add_html_over_max_leaves_buffer_unchanged(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 8);
    CHECK(kb_buf_adds(&b, "ab") == 0);
    CHECK(kb_buf_add_html(&b, "cd<e") == -1); /* "abcd&lt;e" is 9 bytes */
    CHECK_STR(b.data, "ab");
    CHECK(b.len == 2);
    kb_buf_free(&b);
}

static void test_buf_take_hands_over_content(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 64);
    char *empty = kb_buf_take(&b);
    CHECK(empty != NULL && empty[0] == '\0');
    free(empty);
    CHECK(kb_buf_adds(&b, "hello") == 0);
    char *s = kb_buf_take(&b);
    CHECK_STR(s, "hello");
    CHECK(b.data == NULL && b.len == 0 && b.max == 64);
    free(s);
}

/* ---- utf8 ------------------------------------------------------------------------------ */

#define VALID(lit) kb_utf8_valid(lit, sizeof(lit) - 1)

static void test_utf8_accepts_well_formed_text(void)
{
    CHECK(VALID(""));
    CHECK(VALID("plain ASCII"));
    CHECK(VALID("caf\xc3\xa9"));              /* U+00E9 */
    CHECK(VALID("\xe2\x82\xac"));             /* U+20AC */
    CHECK(VALID("\xf0\x9f\x98\x80"));         /* U+1F600 */
    CHECK(VALID("\xf4\x8f\xbf\xbf"));         /* U+10FFFF, the last code point */
    CHECK(VALID("\xed\x9f\xbf\xee\x80\x80")); /* U+D7FF and U+E000 around the surrogates */
    CHECK(VALID("\xc2\x80\xe0\xa0\x80"));     /* the smallest 2- and 3-byte forms */
    CHECK(kb_utf8_valid("a\0b", 3));          /* NUL is a code point */
    CHECK(kb_utf8_valid("\xc3\xa9xyz", 2));   /* n bounds the scan */
}

static void test_utf8_rejects_ill_formed_text(void)
{
    CHECK(!VALID("\xc0\xaf"));         /* overlong '/' */
    CHECK(!VALID("\xc1\xbf"));         /* overlong */
    CHECK(!VALID("\xe0\x80\xaf"));     /* overlong 3-byte */
    CHECK(!VALID("\xe0\x9f\xbf"));     /* overlong U+07FF */
    CHECK(!VALID("\xf0\x80\x80\xaf")); /* overlong 4-byte */
    CHECK(!VALID("\xf0\x8f\xbf\xbf")); /* overlong U+FFFF */
    CHECK(!VALID("\xed\xa0\x80"));     /* U+D800, a surrogate */
    CHECK(!VALID("\xed\xbf\xbf"));     /* U+DFFF */
    CHECK(!VALID("\xf4\x90\x80\x80")); /* U+110000 */
    CHECK(!VALID("\xf5\x80\x80\x80")); /* lead byte beyond U+10FFFF */
    CHECK(!VALID("\xff"));
    CHECK(!VALID("\xfe\xff"));
    CHECK(!VALID("\x80"));                /* lone continuation byte */
    CHECK(!VALID("abc\xe2\x82"));         /* truncated at the end */
    CHECK(!VALID("\xf0\x9f\x98"));        /* truncated emoji */
    CHECK(!VALID("\xe2\x82x"));           /* truncated in the middle */
    CHECK(!kb_utf8_valid("\xc3\xa9", 1)); /* cut by n */
}

static void test_utf8_sanitize_replaces_bad_bytes_with_replacement_char(void)
{
    char *s = kb_utf8_sanitize("a\xff"
                               "b",
                               3);
    CHECK_STR(s, "a\xef\xbf\xbd"
                 "b");
    free(s);

    s = kb_utf8_sanitize("x\xed\xa0\x80y", 5); /* surrogate: every byte replaced */
    CHECK(s && kb_utf8_valid(s, strlen(s)));
    CHECK(s && strncmp(s, "x\xef\xbf\xbd", 4) == 0);
    CHECK(s && s[strlen(s) - 1] == 'y');
    CHECK(s && strstr(s, "\xed\xa0") == NULL);
    free(s);

    s = kb_utf8_sanitize("ok\xf0\x9f\x98", 5); /* truncated at the end */
    CHECK(s && kb_utf8_valid(s, strlen(s)));
    CHECK(s && strncmp(s, "ok\xef\xbf\xbd", 5) == 0);
    free(s);

    s = kb_utf8_sanitize("\xc0\xaf", 2); /* overlong */
    CHECK_STR(s, "\xef\xbf\xbd\xef\xbf\xbd");
    free(s);

    const char good[] = "Halo \xf0\x9f\x98\x80 caf\xc3\xa9";
    s = kb_utf8_sanitize(good, sizeof good - 1);
    CHECK_STR(s, good);
    free(s);
}

static void test_utf16_len_counts_astral_characters_as_two(void)
{
    CHECK(kb_utf16_len("abc", 3) == 3);
    CHECK(kb_utf16_len("caf\xc3\xa9", 5) == 4);
    CHECK(kb_utf16_len("\xe2\x82\xac", 3) == 1);
    CHECK(kb_utf16_len("\xf0\x9f\x98\x80", 4) == 2);
    CHECK(kb_utf16_len("a\xf0\x9f\x98\x80"
                       "b",
                       6) == 4);
    CHECK(kb_utf16_len("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 8) == 4); /* thumbs up + skin tone */
    CHECK(kb_utf16_len("", 0) == 0);
}

static void test_utf8_seqlen_reports_lead_byte_lengths(void)
{
    CHECK(kb_utf8_seqlen('a') == 1);
    CHECK(kb_utf8_seqlen(0xc3) == 2);
    CHECK(kb_utf8_seqlen(0xe2) == 3);
    CHECK(kb_utf8_seqlen(0xf0) == 4);
    CHECK(kb_utf8_seqlen(0x80) == 1);
    CHECK(kb_utf8_seqlen(0xc0) == 1);
    CHECK(kb_utf8_seqlen(0xf5) == 1);
    CHECK(kb_utf8_seqlen(0xff) == 1);
}

/* ---- textsplit ------------------------------------------------------------------------- */

/* A copy of an HTML part without its tags (entities kept as written). */
static char *strip_tags(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    size_t o = 0;
    int in_tag = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '<')
            in_tag = 1;
        else if (*p == '>' && in_tag)
            in_tag = 0;
        else if (!in_tag)
            out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

/* Appends the whitespace-separated words of the visible text of s to *words (a "\x1f" joined
 * list), so that a word cut in two shows up as two words. */
static void collect_words(struct kb_buf *words, const char *s)
{
    char *v = strip_tags(s);
    for (char *p = v; *p;) {
        while (*p == ' ' || *p == '\n')
            p++;
        size_t n = strcspn(p, " \n");
        if (n) {
            kb_buf_add(words, p, n);
            kb_buf_adds(words, "\x1f");
        }
        p += n;
    }
    free(v);
}

static void free_parts(char **parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    free(parts);
}

static int parts_keep_words(const char *text, char **parts, size_t n)
{
    struct kb_buf a, b;
    kb_buf_init(&a, 1 << 22);
    kb_buf_init(&b, 1 << 22);
    collect_words(&a, text);
    for (size_t i = 0; i < n; i++)
        collect_words(&b, parts[i]);
    int same = a.len == b.len && a.len > 0 && memcmp(a.data, b.data, a.len) == 0;
    kb_buf_free(&a);
    kb_buf_free(&b);
    return same;
}

static int balanced(const char *part, const char *open, const char *close)
{
    return count_substr(part, open) == count_substr(part, close);
}

static void test_visible_len_ignores_tags_and_counts_entities_once(void)
{
#define VIS(lit) kb_html_visible_len(lit, sizeof(lit) - 1)
    CHECK(VIS("<b>bold</b>") == 4);
    CHECK(VIS("a &amp; b") == 5);
    CHECK(VIS("&lt;&gt;&quot;") == 3);
    CHECK(VIS("&#128512;") == 1);
    CHECK(VIS("<a href=\"https://example.test/x?a=1&b=2\">link</a>") == 4);
    CHECK(VIS("<b>Halo</b> &amp; \xf0\x9f\x98\x80") == 9);
    CHECK(VIS("caf\xc3\xa9") == 4);
    CHECK(VIS("a & b") == 5); /* a bare ampersand is a character */
    CHECK(VIS("") == 0);
#undef VIS
}

/* About 10,000 characters in paragraphs of 300 to 900 characters of unique words. */
static char *make_paragraphs(size_t target)
{
    struct kb_buf b;
    kb_buf_init(&b, target * 2);
    unsigned seed = 12345, word = 0;
    while (b.len < target) {
        seed = seed * 1103515245u + 12345u;
        size_t para = 300 + (seed >> 16) % 600, start = b.len;
        if (b.len)
            kb_buf_adds(&b, "\n\n");
        while (b.len - start < para) {
            kb_buf_addf(&b, "%skata%05u", b.len - start > 2 ? " " : "", word++);
        }
    }
    return kb_buf_take(&b);
}

static void test_split_long_text_at_paragraph_boundaries(void)
{
    char *text = make_paragraphs(10000);
    size_t n = strlen(text);
    CHECK(kb_html_visible_len(text, n) >= 10000);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 3); /* 10,000 in paragraphs under 900: three parts, no more */
    for (size_t i = 0; i < np; i++) {
        size_t len = strlen(parts[i]);
        CHECK(kb_html_visible_len(parts[i], len) <= KB_TEXT_LIMIT);
        CHECK(len > 0);
        const char *at = strstr(text, parts[i]);
        CHECK(at != NULL);
        if (!at)
            continue;
        size_t pos = (size_t)(at - text);
        /* Each part is a run of whole paragraphs. */
        CHECK(pos == 0 || (pos >= 2 && text[pos - 1] == '\n' && text[pos - 2] == '\n'));
        CHECK(pos + len == n || strncmp(text + pos + len, "\n\n", 2) == 0);
    }
    CHECK(parts_keep_words(text, parts, np));
    free_parts(parts, np);
    free(text);
}

static void test_split_text_that_fits_is_one_part(void)
{
    char text[KB_TEXT_LIMIT + 1];
    memset(text, 'a', KB_TEXT_LIMIT);
    text[KB_TEXT_LIMIT] = '\0';
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 4, &parts, &np) == 0);
    CHECK(np == 1);
    CHECK(np == 1 && strcmp(parts[0], text) == 0);
    free_parts(parts, np);
}

static void test_split_without_breaks_cuts_between_words(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    for (unsigned w = 0; b.len < 9000; w++)
        kb_buf_addf(&b, "%sword%04u", w ? " " : "", w);
    char *text = kb_buf_take(&b);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 3);
    for (size_t i = 0; i < np; i++) {
        CHECK(kb_html_visible_len(parts[i], strlen(parts[i])) <= KB_TEXT_LIMIT);
        CHECK(parts[i][0] != ' ' && parts[i][strlen(parts[i]) - 1] != ' ');
    }
    CHECK(parts_keep_words(text, parts, np));
    free_parts(parts, np);
    free(text);
}

static void test_split_single_long_word_is_hard_split(void)
{
    char *text = malloc(5001);
    memset(text, 'x', 5000);
    text[5000] = '\0';
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 2);
    if (np == 2) {
        CHECK(strlen(parts[0]) == KB_TEXT_LIMIT);
        CHECK(strlen(parts[1]) == 5000 - KB_TEXT_LIMIT);
        CHECK(strspn(parts[0], "x") == KB_TEXT_LIMIT && strspn(parts[1], "x") == 904);
    }
    free_parts(parts, np);
    free(text);
}

static void test_split_closes_and_reopens_tag_spanning_a_hard_cut(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    kb_buf_adds(&b, "<b>");
    for (int i = 0; i < 5000; i++)
        kb_buf_adds(&b, "y");
    kb_buf_adds(&b, "</b>");
    char *text = kb_buf_take(&b);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 2);
    struct kb_buf vis;
    kb_buf_init(&vis, 1 << 20);
    for (size_t i = 0; i < np; i++) {
        size_t len = strlen(parts[i]);
        CHECK(kb_html_visible_len(parts[i], len) <= KB_TEXT_LIMIT);
        CHECK(strncmp(parts[i], "<b>", 3) == 0);
        CHECK(len >= 4 && strcmp(parts[i] + len - 4, "</b>") == 0);
        CHECK(count_substr(parts[i], "<b>") == 1 && balanced(parts[i], "<b>", "</b>"));
        char *v = strip_tags(parts[i]);
        kb_buf_adds(&vis, v);
        free(v);
    }
    CHECK(vis.len == 5000 && strspn(vis.data, "y") == 5000);
    kb_buf_free(&vis);
    free_parts(parts, np);
    free(text);
}

static void test_split_reopens_link_with_its_attributes(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    kb_buf_adds(&b, "<a href=\"https://example.test/p?a=1&amp;b=2\"><i>");
    for (int i = 0; i < 6000; i++)
        kb_buf_adds(&b, "z");
    kb_buf_adds(&b, "</i></a>");
    char *text = kb_buf_take(&b);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 2);
    for (size_t i = 0; i < np; i++) {
        CHECK(strncmp(parts[i], "<a href=\"https://example.test/p?a=1&amp;b=2\"><i>", 48) == 0);
        size_t len = strlen(parts[i]);
        CHECK(len > 8 && strcmp(parts[i] + len - 8, "</i></a>") == 0);
        CHECK(kb_html_visible_len(parts[i], len) <= KB_TEXT_LIMIT);
    }
    free_parts(parts, np);
    free(text);
}

static void test_split_never_cuts_inside_a_long_link_tag(void)
{
    /* Tracking links often exceed 256 bytes; the tag must still count as markup. */
    struct kb_buf url;
    kb_buf_init(&url, 4096);
    kb_buf_adds(&url, "<a href=\"https://forms.example.test/viewform?");
    for (int i = 0; i < 120; i++)
        kb_buf_addf(&url, "p%d=v&amp;", i);
    kb_buf_adds(&url, "end=1\">");
    CHECK(url.len > 600);
    char *tag = kb_buf_take(&url);
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    kb_buf_adds(&b, tag);
    kb_buf_adds(&b, "formulir</a>");
    CHECK(kb_html_visible_len(b.data, b.len) == 8);
    for (int i = 0; i < 4000; i++)
        kb_buf_adds(&b, "x");
    kb_buf_adds(&b, tag);
    for (int i = 0; i < 3000; i++)
        kb_buf_adds(&b, "y");
    kb_buf_adds(&b, "</a>");
    char *text = kb_buf_take(&b);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 2);
    for (size_t i = 0; i < np; i++) {
        CHECK(kb_html_visible_len(parts[i], strlen(parts[i])) <= KB_TEXT_LIMIT);
        CHECK(balanced(parts[i], "<a ", "</a>"));
        CHECK(count_substr(parts[i], "<a ") == count_substr(parts[i], tag)); /* whole tags */
    }
    free_parts(parts, np);
    free(text);
    free(tag);
}

static void test_split_bold_text_with_spaces_cuts_between_words(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    kb_buf_adds(&b, "<b>");
    for (unsigned w = 0; b.len < 7000; w++)
        kb_buf_addf(&b, "%spenting%04u", w ? " " : "", w);
    kb_buf_adds(&b, "</b>");
    char *text = kb_buf_take(&b);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 2);
    for (size_t i = 0; i < np; i++) {
        CHECK(kb_html_visible_len(parts[i], strlen(parts[i])) <= KB_TEXT_LIMIT);
        CHECK(balanced(parts[i], "<b>", "</b>"));
    }
    CHECK(parts_keep_words(text, parts, np)); /* no word cut in two */
    free_parts(parts, np);
    free(text);
}

static void test_split_never_cuts_an_emoji_in_half(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    kb_buf_adds(&b, "a"); /* puts an emoji across the 4096-unit boundary */
    for (int i = 0; i < 3000; i++)
        kb_buf_adds(&b, "\xf0\x9f\x98\x80");
    char *text = kb_buf_take(&b);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 2);
    struct kb_buf all;
    kb_buf_init(&all, 1 << 20);
    for (size_t i = 0; i < np; i++) {
        size_t len = strlen(parts[i]);
        CHECK(kb_utf8_valid(parts[i], len));
        CHECK(kb_html_visible_len(parts[i], len) <= KB_TEXT_LIMIT);
        kb_buf_adds(&all, parts[i]);
    }
    CHECK(np == 2 && kb_html_visible_len(parts[0], strlen(parts[0])) == KB_TEXT_LIMIT - 1);
    CHECK(all.len == strlen(text) && strcmp(all.data, text) == 0);
    kb_buf_free(&all);
    free_parts(parts, np);
    free(text);
}

static void test_split_never_cuts_an_entity(void)
{
    struct kb_buf b;
    kb_buf_init(&b, 1 << 20);
    for (int i = 0; i < 4094; i++)
        kb_buf_adds(&b, "x");
    for (int i = 0; i < 10; i++)
        kb_buf_adds(&b, "&amp;");
    char *text = kb_buf_take(&b);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 8, &parts, &np) == 0);
    CHECK(np == 2);
    for (size_t i = 0; i < np; i++) {
        CHECK(count_substr(parts[i], "&") == count_substr(parts[i], "&amp;"));
        CHECK(kb_html_visible_len(parts[i], strlen(parts[i])) <= KB_TEXT_LIMIT);
    }
    CHECK(np == 2 && count_substr(parts[0], "&amp;") + count_substr(parts[1], "&amp;") == 10);
    free_parts(parts, np);
    free(text);
}

static void test_split_fails_when_max_parts_exceeded(void)
{
    char *text = make_paragraphs(10000);
    char **parts = NULL;
    size_t np = 77;
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 2, &parts, &np) == -1);
    CHECK(parts == NULL && np == 77); /* outputs untouched on failure */
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 0, &parts, &np) == -1);
    CHECK(kb_text_split(text, KB_TEXT_LIMIT, 3, &parts, &np) == 0);
    CHECK(np == 3);
    free_parts(parts, np);
    free(text);
}

static void test_split_truncated_sequence_at_end_stays_in_bounds(void)
{
    /* Exactly sized heap copy, so that AddressSanitizer sees any read past the NUL. */
    const char src[] = "abc\xf0\x9f";
    char *text = malloc(sizeof src);
    memcpy(text, src, sizeof src);
    char **parts = NULL;
    size_t np = 0;
    CHECK(kb_text_split(text, 16, 4, &parts, &np) == 0);
    CHECK(np == 1 && strcmp(parts[0], src) == 0);
    free_parts(parts, np);
    free(text);
}

/* ---- locale ---------------------------------------------------------------------------- */

static char locale_dir[512];

static void locale_fixture(void)
{
    snprintf(locale_dir, sizeof locale_dir, "%s/locale-%d-XXXXXX", tmp_dir(), (int)getpid());
    if (!mkdtemp(locale_dir)) {
        perror("mkdtemp");
        exit(2);
    }
    char path[700];
    snprintf(path, sizeof path, "%s/locales", locale_dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/locales/id.json", locale_dir);
    write_file(path, "{\"hello\": \"Halo, <b>{name}</b>!\",\n"
                     " \"only_id\": \"Hanya bahasa Indonesia\",\n"
                     " \"two\": \"{a} dan {b} dan {a}\",\n"
                     " \"unknown_var\": \"Nilai {x} untuk {name}\"}\n");
    snprintf(path, sizeof path, "%s/locales/en.json", locale_dir);
    write_file(path, "{\"hello\": \"Hello, <b>{name}</b>!\",\n"
                     " \"only_en\": \"English only\"}\n");
}

static void locale_cleanup(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/locales/id.json", locale_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/locales/en.json", locale_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/locales", locale_dir);
    rmdir(path);
    rmdir(locale_dir);
}

static void test_locale_renders_with_escaped_variables(void)
{
    struct kb_locale *loc = kb_locale_load(locale_dir, NULL);
    CHECK(loc != NULL);
    if (!loc)
        return;
    const char *vars[] = {"name", "<Budi & \"Ani\">"};
    char *s = kb_locale_render(loc, "id", "hello", vars, 1);
    CHECK_STR(s, "Halo, <b>&lt;Budi &amp; &quot;Ani&quot;&gt;</b>!");
    free(s);
    s = kb_locale_render(loc, "en", "hello", vars, 1);
    CHECK_STR(s, "Hello, <b>&lt;Budi &amp; &quot;Ani&quot;&gt;</b>!");
    free(s);
    const char *two[] = {"a", "1", "b", "2"};
    s = kb_locale_render(loc, "id", "two", two, 2);
    CHECK_STR(s, "1 dan 2 dan 1");
    free(s);
    kb_locale_free(loc);
}

static void test_locale_missing_key_falls_back_to_english(void)
{
    struct kb_locale *loc = kb_locale_load(locale_dir, NULL);
    CHECK(loc != NULL);
    if (!loc)
        return;
    char *s = kb_locale_render(loc, "id", "only_en", NULL, 0);
    CHECK_STR(s, "English only");
    free(s);
    s = kb_locale_render(loc, "fr", "hello", (const char *const[]){"name", "Ani"}, 1);
    CHECK_STR(s, "Halo, <b>Ani</b>!"); /* an unknown language is served in Indonesian */
    free(s);
    s = kb_locale_render(loc, NULL, "only_id", NULL, 0);
    CHECK_STR(s, "Hanya bahasa Indonesia");
    free(s);
    kb_locale_free(loc);
}

static void test_locale_missing_everywhere_returns_the_key(void)
{
    struct kb_locale *loc = kb_locale_load(locale_dir, NULL);
    CHECK(loc != NULL);
    if (!loc)
        return;
    char *s = kb_locale_render(loc, "id", "no_such_key", NULL, 0);
    CHECK_STR(s, "no_such_key");
    free(s);
    s = kb_locale_render(loc, "id", "<key>", NULL, 0);
    CHECK_STR(s, "&lt;key&gt;");
    free(s);
    kb_locale_free(loc);
}

static void test_locale_unknown_variable_is_left_as_is(void)
{
    struct kb_locale *loc = kb_locale_load(locale_dir, NULL);
    CHECK(loc != NULL);
    if (!loc)
        return;
    const char *vars[] = {"name", "Ani"};
    char *s = kb_locale_render(loc, "id", "unknown_var", vars, 1);
    CHECK_STR(s, "Nilai {x} untuk Ani");
    free(s);
    s = kb_locale_render(loc, "id", "unknown_var", NULL, 0);
    CHECK_STR(s, "Nilai {x} untuk {name}");
    free(s);
    kb_locale_free(loc);
}

static void test_locale_load_fails_without_a_catalog(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/locales/en.json", locale_dir);
    char *saved = slurp(path);
    unlink(path);
    CHECK(kb_locale_load(locale_dir, NULL) == NULL);
    write_file(path, "[\"not an object\"]");
    CHECK(kb_locale_load(locale_dir, NULL) == NULL);
    write_file(path, "{\"broken\": ");
    CHECK(kb_locale_load(locale_dir, NULL) == NULL);
    write_file(path, saved ? saved : "{}");
    free(saved);
    struct kb_locale *loc = kb_locale_load(locale_dir, NULL);
    CHECK(loc != NULL);
    kb_locale_free(loc);
}

/* HR's copy in an override directory wins entry by entry; the rest stays as shipped. */
static void test_locale_override_directory_takes_precedence(void)
{
    char over[600], path[700];
    snprintf(over, sizeof over, "%s-override", locale_dir);
    mkdir(over, 0700);
    snprintf(path, sizeof path, "%s/locales", over);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/locales/id.json", over);
    write_file(path, "{\"hello\": \"Salam, {name}.\", \"new_key\": \"Baru\"}");
    struct kb_locale *loc = kb_locale_load(locale_dir, over);
    CHECK(loc != NULL);
    if (loc) {
        char *t = kb_locale_render(loc, "id", "hello", (const char *const[]){"name", "Ani"}, 1);
        CHECK_STR(t, "Salam, Ani.");
        free(t);
        t = kb_locale_render(loc, "id", "only_id", NULL, 0); /* not overridden: as shipped */
        CHECK_STR(t, "Hanya bahasa Indonesia");
        free(t);
        t = kb_locale_render(loc, "id", "new_key", NULL, 0);
        CHECK_STR(t, "Baru");
        free(t);
        t = kb_locale_render(loc, "en", "hello", (const char *const[]){"name", "Ani"}, 1);
        CHECK_STR(t, "Hello, <b>Ani</b>!"); /* no English override file: English as shipped */
        free(t);
        kb_locale_free(loc);
    }
    write_file(path, "{\"hello\": "); /* a broken edit is refused, not half applied */
    CHECK(kb_locale_load(locale_dir, over) == NULL);
    unlink(path);
    snprintf(path, sizeof path, "%s/locales", over);
    rmdir(path);
    rmdir(over);
    loc = kb_locale_load(locale_dir, "/nonexistent-karirbot-override"); /* no overrides at all */
    CHECK(loc != NULL);
    kb_locale_free(loc);
}

static void test_locale_dates_and_day_names_come_from_the_catalogs(void)
{
    struct kb_locale *loc = kb_locale_load(KB_SOURCE_DATA_DIR, NULL);
    CHECK(loc != NULL);
    if (!loc)
        return;
    char buf[40];
    CHECK(kb_locale_date(loc, "id", "2027-01-12", buf, sizeof buf) == 0);
    CHECK_STR(buf, "12 Januari 2027");
    CHECK(kb_locale_date(loc, "en", "2027-08-17", buf, sizeof buf) == 0);
    CHECK_STR(buf, "17 August 2027");
    CHECK(kb_locale_date(loc, "fr", "2027-05-01", buf, sizeof buf) == 0); /* falls back to id */
    CHECK_STR(buf, "1 Mei 2027");
    CHECK(kb_locale_date(loc, "id", "2027-02-30", buf, sizeof buf) == -1);
    CHECK_STR(buf, "");
    const char *days[7];
    CHECK(kb_locale_names(loc, "id", "days", days, 7) == 0);
    CHECK_STR(days[0], "Senin");
    CHECK_STR(days[6], "Minggu");
    CHECK(kb_locale_names(loc, "id", "days", days, 6) == -1);     /* not an array of six */
    CHECK(kb_locale_names(loc, "id", "greeting", days, 1) == -1); /* not an array at all */
    kb_locale_free(loc);
}

/* ---- log ------------------------------------------------------------------------------- */

#define SECRET "123456789:AAH-secret_token-Value"

static void test_log_redact_replaces_secret_everywhere(void)
{
    kb_log_clear_secrets();
    kb_log_add_secret(SECRET);
    char buf[256] = "url=https://x/bot" SECRET "/getMe again=" SECRET " end";
    kb_log_redact(buf, sizeof buf);
    CHECK_STR(buf, "url=https://x/bot<redacted>/getMe again=<redacted> end");
    CHECK(strstr(buf, "secret_token") == NULL);

    char plain[64] = "nothing to hide here";
    kb_log_redact(plain, sizeof plain);
    CHECK_STR(plain, "nothing to hide here");
    kb_log_clear_secrets();
    char after[128] = "bot" SECRET;
    kb_log_redact(after, sizeof after);
    CHECK_STR(after, "bot" SECRET); /* cleared secrets are no longer redacted */
}

static void test_log_redact_short_secret_growing_past_capacity(void)
{
    kb_log_clear_secrets();
    kb_log_add_secret("abc"); /* too short to be a secret: ignored */
    kb_log_add_secret("wxyz");
    char buf[16] = "wxyz-wxyz-wxyz";
    kb_log_redact(buf, sizeof buf);
    CHECK(strlen(buf) < sizeof buf);
    CHECK(strstr(buf, "wxyz") == NULL);
    CHECK(strncmp(buf, "<redacted>", 10) == 0);
    char s3[16] = "abc";
    kb_log_redact(s3, sizeof s3);
    CHECK_STR(s3, "abc");
    kb_log_clear_secrets();
}

static void test_log_quote_escapes_and_truncates(void)
{
    char out[128];
    CHECK_STR(kb_log_quote(out, sizeof out, "say \"hi\"\nback\\slash\x01\x7f"),
              "\"say \\\"hi\\\"\\nback\\\\slash\\x01\\x7f\"");
    CHECK_STR(kb_log_quote(out, sizeof out, NULL), "\"\"");
    CHECK_STR(kb_log_quote(out, sizeof out, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");

    char small[16];
    kb_log_quote(small, sizeof small, "abcdefghijklmnopqrstuvwxyz");
    CHECK(strlen(small) < sizeof small);
    CHECK(small[0] == '"' && small[strlen(small) - 1] == '"');
    CHECK(strstr(small, "...\"") != NULL);
    CHECK(strncmp(small, "\"abcdef", 7) == 0);

    kb_log_quote(small, sizeof small, "\n\n\n\n\n\n\n\n\n\n"); /* escapes never cut in half */
    size_t len = strlen(small);
    CHECK(len < sizeof small);
    CHECK(strcmp(small + len - 4, "...\"") == 0);
    CHECK(count_substr(small, "\\n") * 2 + 5 == len);

    char tiny[4] = "xyz";
    kb_log_quote(tiny, sizeof tiny, "abc");
    CHECK(strlen(tiny) < sizeof tiny);
}

/* Runs kb_log with stderr sent to a file and returns what it wrote (caller frees). */
static char *capture_log(const char *event, const char *value)
{
    char path[600];
    snprintf(path, sizeof path, "%s/log-%d.txt", tmp_dir(), (int)getpid());
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    if (saved < 0 || fd < 0)
        return NULL;
    dup2(fd, 2);
    close(fd);
    kb_log(KB_LOG_ERROR, event, "value=%s", value);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *s = slurp(path);
    unlink(path);
    return s;
}

static void test_log_line_never_shows_a_secret(void)
{
    kb_log_clear_secrets();
    kb_log_add_secret(SECRET);
    char *s = capture_log("test.secret", "https://api.example/bot" SECRET "/getUpdates");
    CHECK(s && strstr(s, "event=test.secret") != NULL);
    CHECK(s && strstr(s, "value=https://api.example/bot<redacted>/getUpdates") != NULL);
    CHECK(s && strstr(s, "secret_token") == NULL);
    free(s);

    /* A line cut at its size limit must not end with the first half of the token. */
    size_t pad_len = 8000;
    char *pad = malloc(pad_len + sizeof SECRET);
    for (size_t shift = 0; shift < sizeof SECRET; shift += 5) {
        /* Place the secret so that the line limit falls inside it. */
        size_t prefix = 4096 - 80 + shift;
        memset(pad, '.', prefix);
        memcpy(pad + prefix, SECRET, sizeof SECRET);
        s = capture_log("test.long", pad);
        CHECK(s != NULL);
        CHECK(s && strstr(s, "123456789") == NULL);
        free(s);
    }
    free(pad);
    kb_log_clear_secrets();
}

static void test_log_parse_level_accepts_only_known_names(void)
{
    CHECK(kb_log_parse_level("debug") == KB_LOG_DEBUG);
    CHECK(kb_log_parse_level("error") == KB_LOG_ERROR);
    CHECK(kb_log_parse_level("INFO") == -1);
    CHECK(kb_log_parse_level("") == -1);
    CHECK(kb_log_parse_level(NULL) == -1);
    kb_log_set_level(KB_LOG_WARN);
    CHECK(!kb_log_enabled(KB_LOG_INFO));
    CHECK(kb_log_enabled(KB_LOG_ERROR));
    kb_log_set_level(KB_LOG_INFO);
}

/* ---- config ---------------------------------------------------------------------------- */

static void config_clear_env(void)
{
    static const char *const names[] = {
        "KARIRBOT_TOKEN",        "KARIRBOT_TOKEN_FILE",   "KARIRBOT_API_URL",
        "KARIRBOT_DB",           "KARIRBOT_DATA_DIR",     "KARIRBOT_POLL_TIMEOUT",
        "KARIRBOT_LOG_LEVEL",    "KARIRBOT_PACING",       "KARIRBOT_RATE_GLOBAL",
        "KARIRBOT_RATE_CHAT",    "KARIRBOT_CHAT_BURST",   "KARIRBOT_RATE_GROUP",
        "KARIRBOT_MAX_INFLIGHT", "KARIRBOT_MAX_ATTEMPTS", "CREDENTIALS_DIRECTORY",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unsetenv(names[i]);
}

/* Loads a config from a NULL-terminated list of arguments (copied, so that the loader may
 * rewrite argv). Returns kb_config_load's result; *argc_out and out_argv hold what is left. */
static int load_args(struct kb_config *c, const char *const *args, int *argc_out, char **out_argv)
{
    int argc = 0;
    while (args[argc]) {
        out_argv[argc] = (char *)args[argc];
        argc++;
    }
    out_argv[argc] = NULL;
    int rc = kb_config_load(c, &argc, out_argv);
    *argc_out = argc;
    return rc;
}

static void test_config_defaults_without_env_or_flags(void)
{
    config_clear_env();
    struct kb_config c;
    char *argv[4];
    int argc;
    CHECK(load_args(&c, (const char *const[]){"karirbot", "run", NULL}, &argc, argv) == 0);
    CHECK_STR(c.api_url, "https://api.telegram.org");
    CHECK_STR(c.db_path, "karirbot.db");
    CHECK(c.token == NULL);
    CHECK(c.poll_timeout_s == 30 && c.max_inflight == 8 && c.pacing);
    CHECK(argc == 2 && strcmp(argv[1], "run") == 0 && argv[2] == NULL);
    kb_config_free(&c);
}

static void test_config_flag_wins_over_env(void)
{
    config_clear_env();
    setenv("KARIRBOT_API_URL", "http://from-env.test:9000", 1);
    setenv("KARIRBOT_POLL_TIMEOUT", "10", 1);
    struct kb_config c;
    char *argv[8];
    int argc;
    CHECK(load_args(&c,
                    (const char *const[]){"karirbot", "--api-url=http://from-flag.test:8081/",
                                          "run", NULL},
                    &argc, argv) == 0);
    CHECK_STR(c.api_url, "http://from-flag.test:8081");
    CHECK(c.poll_timeout_s == 10); /* from the environment, no flag given */
    CHECK(argc == 2 && strcmp(argv[1], "run") == 0);
    kb_config_free(&c);

    CHECK(load_args(&c, (const char *const[]){"karirbot", "run", NULL}, &argc, argv) == 0);
    CHECK_STR(c.api_url, "http://from-env.test:9000");
    kb_config_free(&c);
    config_clear_env();
}

static void test_config_strips_trailing_slashes_from_api_url(void)
{
    config_clear_env();
    setenv("KARIRBOT_API_URL", "http://127.0.0.1:8081///", 1);
    struct kb_config c;
    char *argv[4];
    int argc;
    CHECK(load_args(&c, (const char *const[]){"karirbot", NULL}, &argc, argv) == 0);
    CHECK_STR(c.api_url, "http://127.0.0.1:8081");
    CHECK(argc == 1 && argv[1] == NULL);
    kb_config_free(&c);
    config_clear_env();
}

static void test_config_accepts_flag_with_separate_value(void)
{
    config_clear_env();
    struct kb_config c;
    char *argv[8];
    int argc;
    CHECK(load_args(&c,
                    (const char *const[]){"karirbot", "--db", "x.db", "chat", "--pacing", "off",
                                          "--log-level=debug", NULL},
                    &argc, argv) == 0);
    CHECK_STR(c.db_path, "x.db");
    CHECK(!c.pacing);
    CHECK(c.log_level == KB_LOG_DEBUG);
    CHECK(argc == 2 && strcmp(argv[1], "chat") == 0 && argv[2] == NULL);
    kb_config_free(&c);
    kb_log_set_level(KB_LOG_INFO);

    CHECK(load_args(&c, (const char *const[]){"karirbot", "run", "--db", NULL}, &argc, argv) ==
          -1); /* a flag without its value */
    kb_config_free(&c);
}

static void test_config_rejects_invalid_numbers(void)
{
    config_clear_env();
    struct kb_config c;
    char *argv[4];
    int argc;
    CHECK(load_args(&c, (const char *const[]){"karirbot", "--poll-timeout=abc", NULL}, &argc,
                    argv) == -1);
    kb_config_free(&c);
    CHECK(load_args(&c, (const char *const[]){"karirbot", "--poll-timeout=12x", NULL}, &argc,
                    argv) == -1);
    kb_config_free(&c);
    CHECK(load_args(&c, (const char *const[]){"karirbot", "--poll-timeout=51", NULL}, &argc,
                    argv) == -1); /* out of range */
    kb_config_free(&c);
    CHECK(load_args(&c, (const char *const[]){"karirbot", "--rate-global=", NULL}, &argc, argv) ==
          -1);
    kb_config_free(&c);
    CHECK(load_args(&c, (const char *const[]){"karirbot", "--pacing=maybe", NULL}, &argc, argv) ==
          -1);
    kb_config_free(&c);
    CHECK(load_args(&c, (const char *const[]){"karirbot", "--log-level=loud", NULL}, &argc, argv) ==
          -1);
    kb_config_free(&c);
    setenv("KARIRBOT_MAX_INFLIGHT", "0", 1);
    CHECK(load_args(&c, (const char *const[]){"karirbot", NULL}, &argc, argv) == -1);
    kb_config_free(&c);
    setenv("KARIRBOT_MAX_INFLIGHT", "99999999999999999999", 1);
    CHECK(load_args(&c, (const char *const[]){"karirbot", NULL}, &argc, argv) == -1);
    kb_config_free(&c);
    config_clear_env();

    CHECK(load_args(&c,
                    (const char *const[]){"karirbot", "--poll-timeout=0", "--rate-chat=0.5", NULL},
                    &argc, argv) == 0);
    CHECK(c.poll_timeout_s == 0 && c.rate_chat == 0.5);
    kb_config_free(&c);
}

static void test_config_reads_and_trims_token_file(void)
{
    config_clear_env();
    char path[600];
    snprintf(path, sizeof path, "%s/token-%d.txt", tmp_dir(), (int)getpid());
    write_file(path, "987654321:ZZfile-token-value \r\n\n");
    setenv("KARIRBOT_TOKEN_FILE", path, 1);
    setenv("KARIRBOT_TOKEN", "111111111:from-env", 1); /* the file wins */
    struct kb_config c;
    char *argv[4];
    int argc;
    CHECK(load_args(&c, (const char *const[]){"karirbot", NULL}, &argc, argv) == 0);
    CHECK_STR(c.token, "987654321:ZZfile-token-value");
    /* The token is registered as a log secret. */
    char line[128] = "GET /bot987654321:ZZfile-token-value/getMe";
    kb_log_redact(line, sizeof line);
    CHECK_STR(line, "GET /bot<redacted>/getMe");
    kb_config_free(&c);
    kb_log_clear_secrets();

    unlink(path);
    CHECK(load_args(&c, (const char *const[]){"karirbot", NULL}, &argc, argv) == -1);
    kb_config_free(&c);
    config_clear_env();
}

static void test_config_reads_token_from_systemd_credentials(void)
{
    config_clear_env();
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/creds-%d-XXXXXX", tmp_dir(), (int)getpid());
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    snprintf(path, sizeof path, "%s/token", dir);
    write_file(path, "555:credential-token\n");
    setenv("CREDENTIALS_DIRECTORY", dir, 1);
    struct kb_config c;
    char *argv[4];
    int argc;
    CHECK(load_args(&c, (const char *const[]){"karirbot", NULL}, &argc, argv) == 0);
    CHECK_STR(c.token, "555:credential-token");
    kb_config_free(&c);
    /* An explicit token wins over the credential. */
    setenv("KARIRBOT_TOKEN", "777:explicit", 1);
    CHECK(load_args(&c, (const char *const[]){"karirbot", NULL}, &argc, argv) == 0);
    CHECK_STR(c.token, "777:explicit");
    kb_config_free(&c);
    kb_log_clear_secrets();
    unlink(path);
    rmdir(dir);
    config_clear_env();
}

static void test_config_leaves_unknown_flags_for_the_caller(void)
{
    config_clear_env();
    struct kb_config c;
    char *argv[10];
    int argc;
    CHECK(load_args(&c,
                    (const char *const[]){"karirbot", "admin", "--csv", "--db=a.db", "--foo=bar",
                                          "--", "x", NULL},
                    &argc, argv) == 0);
    CHECK(argc == 6);
    if (argc == 6) {
        CHECK_STR(argv[0], "karirbot");
        CHECK_STR(argv[1], "admin");
        CHECK_STR(argv[2], "--csv");
        CHECK_STR(argv[3], "--foo=bar");
        CHECK_STR(argv[4], "--");
        CHECK_STR(argv[5], "x");
        CHECK(argv[6] == NULL);
    }
    CHECK_STR(c.db_path, "a.db");
    kb_config_free(&c);
}

/* ---- i64map ---------------------------------------------------------------------------- */

static int64_t test_key(int i)
{
    /* Negative ids, ids beyond 2^40, small ids and the extremes all mixed together. */
    switch (i % 4) {
    case 0:
        return (int64_t)i;
    case 1:
        return -1000000000000LL - i;
    case 2:
        return (INT64_C(1) << 40) + (int64_t)i * 7919;
    default:
        return 4503599627370495LL - i;
    }
}

static void *val_of(int i)
{
    return (void *)(uintptr_t)(i * 2 + 1);
}

static void test_i64map_put_get_many_keys(void)
{
    struct kb_i64map m;
    kb_i64map_init(&m);
    CHECK(kb_i64map_get(&m, 1) == NULL);
    CHECK(kb_i64map_del(&m, 1) == NULL);
    const int n = 20000;
    for (int i = 0; i < n; i++)
        CHECK(kb_i64map_put(&m, test_key(i), val_of(i)) == 0);
    CHECK(kb_i64map_put(&m, INT64_MIN, val_of(n)) == 0);
    CHECK(kb_i64map_put(&m, INT64_MAX, val_of(n + 1)) == 0);
    CHECK(m.len == (size_t)n + 2);
    CHECK(m.cap >= m.len && (m.cap & (m.cap - 1)) == 0);
    CHECK(m.used * 4 <= m.cap * 3);
    int wrong = 0;
    for (int i = 0; i < n; i++)
        wrong += kb_i64map_get(&m, test_key(i)) != val_of(i);
    CHECK(wrong == 0);
    CHECK(kb_i64map_get(&m, INT64_MIN) == val_of(n));
    CHECK(kb_i64map_get(&m, INT64_MAX) == val_of(n + 1));
    CHECK(kb_i64map_get(&m, -1) == NULL);
    CHECK(kb_i64map_get(&m, (INT64_C(1) << 40) + 1) == NULL);

    CHECK(kb_i64map_put(&m, test_key(5), val_of(99999)) == 0); /* overwrite */
    CHECK(m.len == (size_t)n + 2);
    CHECK(kb_i64map_get(&m, test_key(5)) == val_of(99999));
    kb_i64map_free(&m);
    CHECK(m.cap == 0 && m.len == 0 && kb_i64map_get(&m, 0) == NULL);
}

static void test_i64map_delete_keeps_other_keys_reachable(void)
{
    struct kb_i64map m;
    kb_i64map_init(&m);
    const int n = 5000;
    for (int i = 0; i < n; i++)
        kb_i64map_put(&m, test_key(i), val_of(i));
    for (int i = 0; i < n; i += 2)
        CHECK(kb_i64map_del(&m, test_key(i)) == val_of(i));
    CHECK(m.len == (size_t)n / 2);
    CHECK(kb_i64map_del(&m, test_key(0)) == NULL); /* already gone */
    int wrong = 0;
    for (int i = 0; i < n; i++)
        wrong += kb_i64map_get(&m, test_key(i)) != (i % 2 ? val_of(i) : NULL);
    CHECK(wrong == 0);
    CHECK(kb_i64map_put(&m, test_key(0), val_of(7)) == 0); /* a deleted key comes back */
    CHECK(kb_i64map_get(&m, test_key(0)) == val_of(7));
    CHECK(m.len == (size_t)n / 2 + 1);
    kb_i64map_free(&m);
}

static void sum_entries(int64_t key, void *val, void *ctx)
{
    int64_t *acc = ctx;
    acc[0] += key;
    acc[1] += (int64_t)(uintptr_t)val;
    acc[2]++;
}

static void test_i64map_each_visits_live_entries_once(void)
{
    struct kb_i64map m;
    kb_i64map_init(&m);
    int64_t want[3] = {0, 0, 0};
    for (int i = 0; i < 300; i++) {
        kb_i64map_put(&m, test_key(i), val_of(i));
        if (i % 3 == 0)
            kb_i64map_del(&m, test_key(i));
        else {
            want[0] += test_key(i);
            want[1] += (int64_t)(uintptr_t)val_of(i);
            want[2]++;
        }
    }
    int64_t got[3] = {0, 0, 0};
    kb_i64map_each(&m, sum_entries, got);
    CHECK(got[0] == want[0] && got[1] == want[1] && got[2] == want[2]);
    CHECK(got[2] == (int64_t)m.len);
    kb_i64map_free(&m);
}

static void test_i64map_churn_reuses_tombstones_without_growing(void)
{
    struct kb_i64map m;
    kb_i64map_init(&m);
    /* At most 8 live chats at a time, 200,000 different chats over time: the table is rebuilt
     * in place instead of growing with its tombstones. */
    for (int i = 0; i < 200000; i++) {
        CHECK(kb_i64map_put(&m, test_key(i), val_of(i)) == 0);
        if (i >= 8)
            CHECK(kb_i64map_del(&m, test_key(i - 8)) == val_of(i - 8));
    }
    CHECK(m.len == 8);
    CHECK(m.cap <= 64);
    CHECK(m.used * 4 <= m.cap * 3);
    int wrong = 0;
    for (int i = 200000 - 8; i < 200000; i++)
        wrong += kb_i64map_get(&m, test_key(i)) != val_of(i);
    CHECK(wrong == 0);
    CHECK(kb_i64map_get(&m, test_key(200000 - 9)) == NULL);
    kb_i64map_free(&m);
}

/* ---- main ------------------------------------------------------------------------------ */

int main(void)
{
    RUN(test_buf_add_refuses_growth_past_max);
    RUN(test_buf_add_grows_across_many_appends);
    RUN(test_buf_addf_formats_and_respects_max);
    RUN(test_buf_add_html_escapes_specials);
    RUN(test_buf_add_html_over_max_leaves_buffer_unchanged);
    RUN(test_buf_take_hands_over_content);

    RUN(test_utf8_accepts_well_formed_text);
    RUN(test_utf8_rejects_ill_formed_text);
    RUN(test_utf8_sanitize_replaces_bad_bytes_with_replacement_char);
    RUN(test_utf16_len_counts_astral_characters_as_two);
    RUN(test_utf8_seqlen_reports_lead_byte_lengths);

    RUN(test_visible_len_ignores_tags_and_counts_entities_once);
    RUN(test_split_long_text_at_paragraph_boundaries);
    RUN(test_split_text_that_fits_is_one_part);
    RUN(test_split_without_breaks_cuts_between_words);
    RUN(test_split_single_long_word_is_hard_split);
    RUN(test_split_closes_and_reopens_tag_spanning_a_hard_cut);
    RUN(test_split_reopens_link_with_its_attributes);
    RUN(test_split_never_cuts_inside_a_long_link_tag);
    RUN(test_split_bold_text_with_spaces_cuts_between_words);
    RUN(test_split_never_cuts_an_emoji_in_half);
    RUN(test_split_never_cuts_an_entity);
    RUN(test_split_fails_when_max_parts_exceeded);
    RUN(test_split_truncated_sequence_at_end_stays_in_bounds);

    locale_fixture();
    RUN(test_locale_renders_with_escaped_variables);
    RUN(test_locale_missing_key_falls_back_to_english);
    RUN(test_locale_missing_everywhere_returns_the_key);
    RUN(test_locale_unknown_variable_is_left_as_is);
    RUN(test_locale_load_fails_without_a_catalog);
    RUN(test_locale_override_directory_takes_precedence);
    RUN(test_locale_dates_and_day_names_come_from_the_catalogs);
    locale_cleanup();

    RUN(test_log_redact_replaces_secret_everywhere);
    RUN(test_log_redact_short_secret_growing_past_capacity);
    RUN(test_log_quote_escapes_and_truncates);
    RUN(test_log_line_never_shows_a_secret);
    RUN(test_log_parse_level_accepts_only_known_names);

    RUN(test_config_defaults_without_env_or_flags);
    RUN(test_config_flag_wins_over_env);
    RUN(test_config_strips_trailing_slashes_from_api_url);
    RUN(test_config_accepts_flag_with_separate_value);
    RUN(test_config_rejects_invalid_numbers);
    RUN(test_config_reads_and_trims_token_file);
    RUN(test_config_reads_token_from_systemd_credentials);
    RUN(test_config_leaves_unknown_flags_for_the_caller);

    RUN(test_i64map_put_get_many_keys);
    RUN(test_i64map_delete_keeps_other_keys_reachable);
    RUN(test_i64map_each_visits_live_entries_once);
    RUN(test_i64map_churn_reuses_tombstones_without_growing);

    return CHECK_SUMMARY();
}
