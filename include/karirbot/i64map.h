/* i64map: an open-addressing hash map from int64_t keys to pointers (the sender's chats). */
#ifndef KARIRBOT_I64MAP_H
#define KARIRBOT_I64MAP_H

#include <stddef.h>
#include <stdint.h>

struct kb_i64map {
    int64_t *keys;
    void **vals; /* NULL marks an empty slot; TOMBSTONE a deleted one */
    size_t cap;  /* a power of two, or 0 */
    size_t len;  /* live entries */
    size_t used; /* live entries + tombstones */
};

void kb_i64map_init(struct kb_i64map *m);
void kb_i64map_free(struct kb_i64map *m);
void *kb_i64map_get(const struct kb_i64map *m, int64_t key);
/* val must not be NULL. Returns 0, or -1 when out of memory. */
int kb_i64map_put(struct kb_i64map *m, int64_t key, void *val);
void *kb_i64map_del(struct kb_i64map *m, int64_t key);
/* Calls fn for every entry; fn must not change the map. */
void kb_i64map_each(const struct kb_i64map *m, void (*fn)(int64_t key, void *val, void *ctx),
                    void *ctx);

#endif
