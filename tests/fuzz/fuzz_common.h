/* fuzz_common: what every libFuzzer target shares — the prototypes of the entry points (the
 * build warns about a global function without one), a check that turns a broken promise of a
 * parser into a crash libFuzzer records, and a scratch directory for the loaders that only read
 * files by name (dialogs, locales, policy, reminders). */
#ifndef KARIRBOT_FUZZ_COMMON_H
#define KARIRBOT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A wrong answer is a finding like a crash: abort, so that libFuzzer keeps the input, after
 * saying which promise was broken. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)
void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* Call first from LLVMFuzzerInitialize. Sets karirbot's log level from $KB_FUZZ_LOG (default
 * info, the service's: the lines are formatted from fuzzed text as in production; run.sh
 * discards them with -close_fd_mask=2) and keeps a copy of stderr for fuzz_fail. */
void fuzz_setup(void);

/* This process's own directory: under $KB_FUZZ_TMP, else /dev/shm, $TMPDIR or /tmp. Made on
 * first use, removed at a normal exit. */
const char *fuzz_scratch(void);
/* Makes <scratch>/<rel> and the directories above it. Returns 0 or -1. */
int fuzz_mkdirs(const char *rel);
/* Writes data to <scratch>/<rel>, replacing it. Returns 0 or -1. */
int fuzz_write(const char *rel, const uint8_t *data, size_t size);
/* Removes <scratch>/<rel> if it exists. */
void fuzz_remove(const char *rel);
/* A NUL-terminated copy of data[0..size), the C string the parsers take. Never NULL. */
char *fuzz_cstr(const uint8_t *data, size_t size);

#endif
