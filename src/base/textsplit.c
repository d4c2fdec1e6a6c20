/* textsplit: measures HTML text as Telegram does and cuts it into sendable parts.
 *
 * A scan walks the text once per part, tracking the visible length (UTF-16 units, tags not
 * counted, an entity counted once) and the open tags. A cut goes at the last paragraph break
 * that fits, else the last line break, else the last space — never inside a tag's markup — and
 * only when none exists is a word cut. Tags open at the cut are closed and reopened around it. */
#include "karirbot/textsplit.h"

#include <stdlib.h>
#include <string.h>

#include "karirbot/buf.h"
#include "karirbot/utf8.h"

#define MAX_DEPTH    8
#define TAG_NAME_MAX 16
#define TAG_MAX      4096 /* bytes of one tag, attributes included */
#define ENTITY_MAX   256

struct tagstack {
    int depth;
    char name[MAX_DEPTH][TAG_NAME_MAX];
    size_t open_at[MAX_DEPTH]; /* byte offset of the full opening tag */
    size_t open_len[MAX_DEPTH];
};

/* Length of the markup unit at s (a tag or an entity), 0 for a plain character. */
static size_t markup_len(const char *s, size_t n, int *is_tag)
{
    char end = s[0] == '<' ? '>' : s[0] == '&' ? ';' : 0;
    if (!end)
        return 0;
    /* A link's tag can be long (tracking URLs); an entity is short. */
    size_t max = end == '>' ? TAG_MAX : ENTITY_MAX;
    for (size_t i = 1; i < n && i < max; i++) {
        if (s[i] == end) {
            *is_tag = end == '>';
            return i + 1;
        }
        if (end == ';' && !(s[i] == '#' || (s[i] >= '0' && s[i] <= '9') ||
                            (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    }
    return 0;
}

static void track_tag(struct tagstack *ts, const char *tag, size_t len, size_t at)
{
    int closing = tag[1] == '/';
    const char *name = tag + 1 + closing;
    size_t nlen = strcspn(name, " >/");
    if (nlen >= TAG_NAME_MAX)
        nlen = TAG_NAME_MAX - 1;
    if (closing) {
        if (ts->depth > 0)
            ts->depth--;
    } else if (ts->depth < MAX_DEPTH) {
        memcpy(ts->name[ts->depth], name, nlen);
        ts->name[ts->depth][nlen] = '\0';
        ts->open_at[ts->depth] = at;
        ts->open_len[ts->depth] = len;
        ts->depth++;
    }
}

size_t kb_html_visible_len(const char *s, size_t n)
{
    size_t units = 0;
    for (size_t i = 0; i < n;) {
        int is_tag = 0;
        size_t m = markup_len(s + i, n - i, &is_tag);
        if (m) {
            units += is_tag ? 0 : 1;
            i += m;
            continue;
        }
        size_t len = kb_utf8_seqlen((unsigned char)s[i]);
        units += len == 4 ? 2 : 1;
        i += len;
    }
    return units;
}

/* Finds where the part starting at `start` must end. Sets *resume (start of the next part)
 * and copies the open tag stack at the cut into *open. */
static size_t find_cut(const char *s, size_t n, size_t start, size_t limit, size_t *resume,
                       struct tagstack *open, const struct tagstack *inherited)
{
    struct tagstack ts = *inherited;
    size_t units = 0, hard = start, para = 0, line = 0, space = 0;
    /* The tags open at each candidate cut, closed and reopened when the cut is inside them. */
    struct tagstack hard_ts = ts, para_ts = ts, line_ts = ts, space_ts = ts;
    size_t i = start;
    while (i < n) {
        int is_tag = 0;
        size_t m = markup_len(s + i, n - i, &is_tag);
        size_t adv = m ? m : kb_utf8_seqlen((unsigned char)s[i]);
        if (adv > n - i)
            adv = n - i; /* a sequence truncated by the end of the text */
        size_t cost = m ? (is_tag ? 0 : 1) : (adv == 4 ? 2 : 1);
        if (units + cost > limit)
            break;
        if (m && is_tag)
            track_tag(&ts, s + i, m, i);
        units += cost;
        i += adv;
        if (!m) {
            if (s[i - 1] == '\n' && i >= 2 && s[i - 2] == '\n') {
                para = i;
                para_ts = ts;
            } else if (s[i - 1] == '\n') {
                line = i;
                line_ts = ts;
            } else if (s[i - 1] == ' ') {
                space = i;
                space_ts = ts;
            }
        }
        hard = i;
        hard_ts = ts;
    }
    if (i >= n) {
        *resume = n;
        memset(open, 0, sizeof *open);
        return n;
    }
    size_t cut = para ? para : line ? line : space;
    if (cut > start) {
        *resume = cut;
        *open = para ? para_ts : line ? line_ts : space_ts;
        size_t end = cut;
        while (end > start && (s[end - 1] == '\n' || s[end - 1] == ' '))
            end--;
        return end;
    }
    *resume = hard;
    *open = hard_ts;
    return hard;
}

int kb_text_split(const char *s, size_t limit, size_t max_parts, char ***parts_out, size_t *nparts)
{
    size_t n = strlen(s), start = 0, count = 0;
    char **parts = calloc(max_parts ? max_parts : 1, sizeof *parts);
    struct tagstack carry = {0};
    if (!parts || limit < 16)
        goto fail;
    do {
        if (count == max_parts)
            goto fail;
        struct tagstack open;
        size_t resume;
        size_t end = find_cut(s, n, start, limit, &resume, &open, &carry);
        struct kb_buf b;
        kb_buf_init(&b, n + 64 * MAX_DEPTH);
        int rc = 0;
        for (int d = 0; d < carry.depth; d++) /* reopen what the previous part closed */
            rc |= kb_buf_add(&b, s + carry.open_at[d], carry.open_len[d]);
        rc |= kb_buf_add(&b, s + start, end - start);
        for (int d = open.depth - 1; d >= 0; d--)
            rc |= kb_buf_addf(&b, "</%s>", open.name[d]);
        if (rc) {
            kb_buf_free(&b);
            goto fail;
        }
        parts[count++] = kb_buf_take(&b);
        carry = open;
        start = resume;
        while (start < n && s[start] == '\n')
            start++;
    } while (start < n);
    *parts_out = parts;
    *nparts = count;
    return 0;
fail:
    for (size_t i = 0; parts && i < count; i++)
        free(parts[i]);
    free(parts);
    return -1;
}
