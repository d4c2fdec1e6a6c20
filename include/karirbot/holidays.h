/* holidays: `karirbot holidays`, HR's command for the calendar of national holidays and cuti
 * bersama (SKB 3 Menteri, revised mid-year), which working-day counts skip (workdays.h). */
#ifndef KARIRBOT_HOLIDAYS_H
#define KARIRBOT_HOLIDAYS_H

struct kb_config;

/* argv holds the arguments after "holidays": `import FILE [--dry-run]` or `list [--year Y]`
 * (`karirbot holidays --help`). An import is one transaction that replaces, for each year the
 * file names, that year's holidays as a whole; a file with a bad row changes nothing. Returns
 * the exit status: 0, 1 when the file has bad rows (each reported with its line, column and
 * reason) or cannot be read, 64 for a usage error. */
int kb_cmd_holidays(const struct kb_config *cfg, int argc, char **argv);

#endif
