/* unit: `karirbot unit list` and `karirbot unit set NAME [--zone WIB|WITA|WIT] [--workdays 5|6]`
 * — a unit's zone and its working days decide when its people get reminders and how waiting
 * is counted in working days (schools and puskesmas often work six days). Units are created by
 * `karirbot import employees`; this changes them, in one short transaction. */
#include "karirbot/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "karirbot/idfmt.h"
#include "karirbot/people.h"
#include "karirbot/store.h"

#define BUSY_MS   5000
#define UNITS_MAX 5000

static void usage(void)
{
    fprintf(stderr,
            "Usage: karirbot unit list\n"
            "       karirbot unit set NAME [--zone WIB|WITA|WIT] [--workdays 5|6]\n\n"
            "A unit's time zone and its working days per week decide when its people get\n"
            "reminders (in working hours, on working days) and how long a request has waited\n"
            "in working days. NAME is the unit as in the unit_kerja column of the import.\n");
}

static int list(struct kb_store *st)
{
    struct kb_unit_row *rows = calloc(UNITS_MAX, sizeof *rows);
    int n = 0;
    if (!rows || kb_units_list(st, rows, UNITS_MAX, &n) != KB_OK) {
        free(rows);
        return 1;
    }
    printf("%-50s %-5s %-9s %s\n", "unit", "zone", "workdays", "employees");
    for (int i = 0; i < n; i++)
        printf("%-50s %-5s %-9d %d\n", rows[i].name, rows[i].zone, rows[i].workdays,
               rows[i].employees);
    free(rows);
    return 0;
}

int kb_cmd_unit(const struct kb_config *cfg, int argc, char **argv)
{
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        usage();
        return argc < 1 ? 64 : 0;
    }
    int set = !strcmp(argv[0], "set");
    if (!set && (strcmp(argv[0], "list") != 0 || argc != 1)) {
        usage();
        return 64;
    }
    const char *name = NULL, *zone = NULL;
    int workdays = 0;
    for (int i = 1; set && i < argc; i++) {
        if (!strcmp(argv[i], "--zone") && i + 1 < argc) {
            zone = argv[++i];
        } else if (!strcmp(argv[i], "--workdays") && i + 1 < argc) {
            workdays = atoi(argv[++i]);
            if (workdays != 5 && workdays != 6) {
                fprintf(stderr, "karirbot unit: --workdays is 5 or 6\n");
                return 64;
            }
        } else if (argv[i][0] != '-' && !name) {
            name = argv[i];
        } else {
            usage();
            return 64;
        }
    }
    if (set && (!name || (!zone && !workdays))) {
        usage();
        return 64;
    }
    if (zone && kb_zone_offset(zone) < 0) {
        fprintf(stderr, "karirbot unit: --zone is WIB, WITA or WIT\n");
        return 64;
    }
    char zone_upper[8] = "";
    for (size_t i = 0; zone && zone[i] && i + 1 < sizeof zone_upper; i++)
        zone_upper[i] = (char)(zone[i] >= 'a' && zone[i] <= 'z' ? zone[i] - 32 : zone[i]);
    struct kb_store *st = NULL;
    if (kb_store_open(&st, cfg->db_path, BUSY_MS) != KB_OK)
        return 1;
    int rc = 0;
    if (!set) {
        rc = list(st);
    } else {
        int found = 0;
        if (kb_store_begin(st) != KB_OK ||
            kb_unit_update(st, name, zone ? zone_upper : NULL, workdays, &found) != KB_OK ||
            kb_store_commit(st) != KB_OK) {
            kb_store_rollback(st);
            rc = 1;
        } else if (!found) {
            fprintf(stderr, "karirbot unit: no unit called '%s' (see karirbot unit list)\n", name);
            rc = 1;
        } else {
            printf("%s: %s%s%s%s\n", name, zone ? "zone " : "", zone ? zone_upper : "",
                   zone && workdays ? ", " : "",
                   workdays == 6   ? "six working days a week"
                   : workdays == 5 ? "five working days a week"
                                   : "");
        }
    }
    kb_store_close(st);
    return rc;
}
