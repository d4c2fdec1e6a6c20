/* jsonmem: cJSON trees that live in an arena. A Bot API response is parsed, read and dropped
 * within one callback; allocating its hundreds of nodes from a bump arena and dropping them all
 * at once costs a fraction of one malloc and free per node. */
#ifndef KARIRBOT_JSONMEM_H
#define KARIRBOT_JSONMEM_H

#include <stddef.h>

struct cJSON;

/* Installs the cJSON allocation hooks (once per process, before any other cJSON use). Nodes
 * allocated outside kb_json_parse() come from malloc as before. */
void kb_json_init(void);

struct kb_json_arena {
    char *base;
    size_t cap, used;
};

/* Parses len bytes of text into a tree allocated from a (which grows no larger than its
 * first size; past it, nodes come from malloc; a NULL arena means malloc throughout).
 * Returns NULL on a parse error. Free the tree with kb_json_free(), which also empties the
 * arena; one tree per arena at a time. */
struct cJSON *kb_json_parse(struct kb_json_arena *a, const char *text, size_t len);
void kb_json_free(struct kb_json_arena *a, struct cJSON *root);
void kb_json_arena_release(struct kb_json_arena *a);

#endif
