/* demo.h: the unit tests' scratch databases and the demo organisation in them. demo_path()
 * names a database file in KARIRBOT_TEST_TMP (CMake's scratch directory, or /tmp when run by
 * hand) per area, test and process, with any old file and its -wal/-shm removed; demo_remove()
 * removes the file, -wal and -shm when a test is done with it; demo_seed() runs
 * deploy/demo/demo.sql on a store with temp.seed(today) = today, and demo_seed_area() then an
 * area's own deploy/demo/<area>.sql when there is one. The seeds return 0, or -1 with the reason
 * on stderr, and leave checking to the test. Included once, by the one .c file of each test
 * program; its functions are static inline, as not every test uses all of them. */
#ifndef KARIRBOT_TEST_DEMO_H
#define KARIRBOT_TEST_DEMO_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "karirbot/buf.h"
#include "karirbot/store.h"

/* The scratch directory given by CMake, or /tmp when run by hand. */
static inline const char *demo_tmp_dir(void)
{
    const char *d = getenv("KARIRBOT_TEST_TMP");
    return d && *d ? d : "/tmp";
}

/* Removes a database file and its -wal and -shm. */
static inline void demo_remove(const char *path)
{
    char p[4096];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* <tmp>/<area>-<name>-<pid>.db in out, with nothing left there from before; returns out. */
static inline char *demo_path(char *out, size_t cap, const char *area, const char *name)
{
    snprintf(out, cap, "%s/%s-%s-%d.db", demo_tmp_dir(), area, name, (int)getpid());
    demo_remove(out);
    return out;
}

/* Runs the SQL file at path on st; missing_ok: a file that cannot be read is skipped. */
static inline int demo_run_file(struct kb_store *st, const char *path, const char *today,
                                int missing_ok)
{
    struct kb_buf b;
    kb_buf_init(&b, 4 << 20);
    if (kb_buf_read_file(&b, path) != 0) {
        kb_buf_free(&b);
        if (missing_ok)
            return 0;
        fprintf(stderr, "demo: cannot read %s\n", path);
        return -1;
    }
    char *sql = kb_buf_take(&b); /* NUL-terminated, "" for an empty file */
    int rc = st && sql && kb_store_exec_seed(st, sql, today) == KB_OK ? 0 : -1;
    if (rc != 0) /* the store has logged SQLite's reason */
        fprintf(stderr, "demo: %s failed%s\n", path, st ? "" : ": no store");
    free(sql);
    return rc;
}

/* The demo organisation (deploy/demo/demo.sql) alone, as of today (YYYY-MM-DD). */
static inline int demo_seed(struct kb_store *st, const char *today)
{
    return demo_run_file(st, KB_SOURCE_DATA_DIR "/deploy/demo/demo.sql", today, 0);
}

/* demo.sql, then deploy/demo/<area>.sql when the area has demo rows of its own. */
static inline int demo_seed_area(struct kb_store *st, const char *today, const char *area)
{
    char path[4096];
    if (demo_seed(st, today) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/deploy/demo/%s.sql", KB_SOURCE_DATA_DIR, area);
    return demo_run_file(st, path, today, 1);
}

#endif
