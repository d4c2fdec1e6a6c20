/* check.h: the unit tests' few lines of framework. CHECK() prints file:line and the failed
 * expression and counts the failure; RUN() runs one test function and counts it as passed when
 * none of its checks failed; CHECK_SUMMARY() prints the closing line ctest and CI read and gives
 * main()'s exit status. Included once, by the one .c file of each test program. */
#ifndef KARIRBOT_TEST_CHECK_H
#define KARIRBOT_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int checks_failed;
static int checks_run;
static int tests_passed, tests_failed;

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        checks_run++;                                                                              \
        if (!(expr)) {                                                                             \
            checks_failed++;                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        checks_run++;                                                                              \
        if (!g_ || strcmp(g_, w_) != 0) {                                                          \
            checks_failed++;                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s == \"%s\" (got \"%s\")\n", __FILE__,          \
                    __LINE__, #got, w_, g_ ? g_ : "(null)");                                       \
        }                                                                                          \
    } while (0)

static void check_run(const char *name, void (*fn)(void))
{
    int before = checks_failed;
    fn();
    if (checks_failed == before) {
        tests_passed++;
    } else {
        tests_failed++;
        fprintf(stderr, "FAIL %s\n", name);
    }
}
#define RUN(fn) check_run(#fn, fn)

#define CHECK_SUMMARY()                                                                            \
    (printf("%d checks, %d failed\n", checks_run, checks_failed),                                  \
     printf("%d passed, %d failed\n", tests_passed, tests_failed), tests_failed ? 1 : 0)

#endif
