/* backup: `karirbot backup FILE [--force]` — a consistent copy of the database, taken while the
 * service runs. The work is kb_backup_file() (store/admin.c): SQLite's online backup API over
 * one read snapshot, in steps of a few hundred pages, so the copy is a single instant of the
 * database and the service's writes are never blocked; the copy is checked, made a plain
 * single-file database, synced, and only then given its name. It holds personal data, so it is
 * created readable by its owner only. The same code copies a database before a migration
 * upgrades it (<db>.pre-v<N>.bak). */
#include "karirbot/backup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "karirbot/admin_store.h"
#include "karirbot/clock.h"
#include "karirbot/config.h"
#include "karirbot/store.h"

#define PAGES_MAX 1000000

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot backup FILE [--force] [--db PATH]\n\n"
            "Writes a consistent copy of the database to FILE while karirbot keeps running\n"
            "(SQLite's online backup API: the copy is one instant of the database, and the\n"
            "service is not held up). The copy is checked (quick_check), is a single file\n"
            "readable only by you (it holds personal data), and appears under its name only\n"
            "when complete. Restore by stopping the service and copying it back.\n\n"
            "  --force     replace FILE if it exists (otherwise refused)\n"
            "  --pages N   pages copied per step (default 256)\n");
}

struct progress {
    int tty;
    int last_pct;
};

static void on_progress(int copied, int total, void *data)
{
    struct progress *p = data;
    int pct = total > 0 ? (int)(100LL * copied / total) : 100;
    if (p->tty && pct != p->last_pct) {
        fprintf(stderr, "\rcopied %d%% of %d pages", pct, total);
        p->last_pct = pct;
    }
}

int kb_cmd_backup(const struct kb_config *cfg, int argc, char **argv)
{
    const char *dest = NULL;
    struct kb_backup_opts o = {0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 0;
        } else if (!strcmp(a, "--force")) {
            o.overwrite = 1;
        } else if (!strcmp(a, "--pages") && i + 1 < argc) {
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > PAGES_MAX) {
                usage();
                return 64;
            }
            o.pages_per_step = (int)n;
        } else if (a[0] == '-' || dest) {
            fprintf(stderr, "karirbot backup: unexpected argument %s\n", a);
            usage();
            return 64;
        } else {
            dest = a;
        }
    }
    if (!dest) {
        usage();
        return 64;
    }
    if (access(cfg->db_path, F_OK) != 0) {
        fprintf(stderr, "karirbot backup: there is no database at %s (KARIRBOT_DB or --db)\n",
                cfg->db_path);
        return 1;
    }
    struct progress p = {isatty(STDERR_FILENO), -1};
    o.progress = on_progress;
    o.data = &p;
    char err[512];
    uint64_t t0 = kb_mono_ms();
    int rc = kb_backup_file(cfg->db_path, dest, &o, err, sizeof err);
    if (p.tty && p.last_pct >= 0)
        fputc('\n', stderr);
    if (rc != KB_OK) {
        fprintf(stderr, "karirbot backup: no copy was made: %s\n", err);
        return 1;
    }
    struct stat sb;
    long long bytes = stat(dest, &sb) == 0 ? (long long)sb.st_size : -1;
    printf("Copied %s to %s (%lld bytes, %.1f s); the copy passed SQLite's quick_check.\n",
           cfg->db_path, dest, bytes, (double)(kb_mono_ms() - t0) / 1000.0);
    return 0;
}
