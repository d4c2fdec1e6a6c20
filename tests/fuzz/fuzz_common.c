/* fuzz_common: helpers of the libFuzzer targets (fuzz_common.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz_common.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "karirbot/log.h"

static FILE *report; /* stderr as it was before libFuzzer's -close_fd_mask=2 */

void fuzz_setup(void)
{
    const char *level = getenv("KB_FUZZ_LOG");
    int l = level ? kb_log_parse_level(level) : KB_LOG_INFO;
    kb_log_set_level(l < 0 ? KB_LOG_INFO : (enum kb_log_level)l);
    int fd = dup(STDERR_FILENO);
    report = fd >= 0 ? fdopen(fd, "w") : NULL;
}

void fuzz_fail(const char *file, int line, const char *what)
{
    FILE *out = report ? report : stderr;
    fprintf(out, "\n%s:%d: fuzz check failed: %s\n", file, line, what);
    fflush(out);
    abort();
}

static char scratch[512];

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void scratch_remove(void)
{
    if (scratch[0])
        nftw(scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_scratch(void)
{
    if (scratch[0])
        return scratch;
    /* Memory first: a loader's file is rewritten for every input, and on a disk file system
     * (ext4 flushes a file rewritten over itself when it is closed) that would be most of
     * the time spent. */
    const char *base = getenv("KB_FUZZ_TMP");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    mkdir(base, 0700); /* run.sh's directory may not exist yet */
    char tmpl[sizeof scratch];
    int n = snprintf(tmpl, sizeof tmpl, "%s/kb-fuzz-XXXXXX", base);
    if (n < 0 || (size_t)n >= sizeof tmpl || !mkdtemp(tmpl)) {
        fprintf(stderr, "fuzz: cannot make a scratch directory under %s\n", base);
        abort();
    }
    memcpy(scratch, tmpl, sizeof scratch);
    atexit(scratch_remove);
    return scratch;
}

static int path_of(char *out, size_t cap, const char *rel)
{
    int n = snprintf(out, cap, "%s/%s", fuzz_scratch(), rel);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int fuzz_mkdirs(const char *rel)
{
    char p[1024];
    if (path_of(p, sizeof p, rel) != 0)
        return -1;
    for (char *s = p + strlen(fuzz_scratch()) + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(p, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int fuzz_write(const char *rel, const uint8_t *data, size_t size)
{
    char p[1024];
    if (path_of(p, sizeof p, rel) != 0)
        return -1;
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    return close(fd) == 0 && done == size ? 0 : -1;
}

void fuzz_remove(const char *rel)
{
    char p[1024];
    if (path_of(p, sizeof p, rel) == 0)
        unlink(p);
}

char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}
