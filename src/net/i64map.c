/* i64map: linear probing with tombstones; grows at 3/4 occupancy. */
#include "karirbot/i64map.h"

#include <stdlib.h>

static char tombstone_mark;
#define TOMBSTONE ((void *)&tombstone_mark)

static size_t slot(int64_t key, size_t cap)
{
    uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

void kb_i64map_init(struct kb_i64map *m)
{
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->len = m->used = 0;
}

void kb_i64map_free(struct kb_i64map *m)
{
    free(m->keys);
    free(m->vals);
    kb_i64map_init(m);
}

static size_t find(const struct kb_i64map *m, int64_t key)
{
    for (size_t i = slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->vals[i] || (m->vals[i] != TOMBSTONE && m->keys[i] == key))
            return i;
    }
}

void *kb_i64map_get(const struct kb_i64map *m, int64_t key)
{
    if (!m->cap)
        return NULL;
    return m->vals[find(m, key)];
}

static int grow(struct kb_i64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (m->len * 2 < m->cap)
        cap = m->cap; /* mostly tombstones: rebuild at the same size */
    struct kb_i64map n = {calloc(cap, sizeof(int64_t)), calloc(cap, sizeof(void *)), cap, 0, 0};
    if (!n.keys || !n.vals) {
        free(n.keys);
        free(n.vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->vals[i] && m->vals[i] != TOMBSTONE) {
            size_t j = find(&n, m->keys[i]);
            n.keys[j] = m->keys[i];
            n.vals[j] = m->vals[i];
            n.len++;
            n.used++;
        }
    }
    free(m->keys);
    free(m->vals);
    *m = n;
    return 0;
}

int kb_i64map_put(struct kb_i64map *m, int64_t key, void *val)
{
    if ((m->used + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    size_t i = find(m, key);
    if (!m->vals[i]) {
        m->used++;
        m->len++;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    return 0;
}

void *kb_i64map_del(struct kb_i64map *m, int64_t key)
{
    if (!m->cap)
        return NULL;
    size_t i = find(m, key);
    void *v = m->vals[i];
    if (!v)
        return NULL;
    m->vals[i] = TOMBSTONE;
    m->len--;
    return v;
}

void kb_i64map_each(const struct kb_i64map *m, void (*fn)(int64_t, void *, void *), void *ctx)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->vals[i] && m->vals[i] != TOMBSTONE)
            fn(m->keys[i], m->vals[i], ctx);
}
