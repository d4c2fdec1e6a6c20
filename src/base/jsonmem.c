/* jsonmem: a bump allocator behind cJSON's hooks. The free hook ignores pointers inside a
 * registered arena; everything else goes to the C library as usual. */
#include "karirbot/jsonmem.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>

#define ARENA_SIZE (64 * 1024)
#define ARENAS_MAX 4
#define ALIGN(n)   (((n) + 15) & ~(size_t)15)

static struct kb_json_arena *arenas[ARENAS_MAX];
static struct kb_json_arena *current; /* the arena kb_json_parse() is filling */

static int owns(const struct kb_json_arena *a, const void *p)
{
    return a && a->base && (const char *)p >= a->base && (const char *)p < a->base + a->cap;
}

static void *arena_malloc(size_t n)
{
    struct kb_json_arena *a = current;
    if (a && a->base && n <= a->cap - a->used && ALIGN(n) <= a->cap - a->used) {
        void *p = a->base + a->used;
        a->used += ALIGN(n);
        return p;
    }
    return malloc(n);
}

static void arena_free(void *p)
{
    for (int i = 0; i < ARENAS_MAX; i++)
        if (owns(arenas[i], p))
            return;
    free(p);
}

void kb_json_init(void)
{
    static int done;
    if (done)
        return;
    cJSON_Hooks hooks = {.malloc_fn = arena_malloc, .free_fn = arena_free};
    cJSON_InitHooks(&hooks);
    done = 1;
}

static int attach(struct kb_json_arena *a)
{
    if (a->base)
        return 0;
    int slot = -1;
    for (int i = 0; i < ARENAS_MAX && slot < 0; i++)
        if (!arenas[i])
            slot = i;
    if (slot < 0 || !(a->base = malloc(ARENA_SIZE)))
        return -1;
    a->cap = ARENA_SIZE;
    a->used = 0;
    arenas[slot] = a;
    return 0;
}

struct cJSON *kb_json_parse(struct kb_json_arena *a, const char *text, size_t len)
{
    kb_json_init();
    if (a && attach(a) == 0)
        current = a; /* without an arena the tree simply comes from malloc */
    cJSON *root = cJSON_ParseWithLength(text, len);
    current = NULL;
    if (!root && a)
        a->used = 0; /* cJSON freed what it had built */
    return root;
}

void kb_json_free(struct kb_json_arena *a, struct cJSON *root)
{
    cJSON_Delete(root); /* frees the nodes that overflowed to malloc */
    if (a)
        a->used = 0;
}

void kb_json_arena_release(struct kb_json_arena *a)
{
    for (int i = 0; i < ARENAS_MAX; i++)
        if (arenas[i] == a)
            arenas[i] = NULL;
    free(a->base);
    a->base = NULL;
    a->cap = a->used = 0;
}
