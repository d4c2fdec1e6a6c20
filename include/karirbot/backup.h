/* backup: `karirbot backup FILE`, a consistent copy of a live database. */
#ifndef KARIRBOT_BACKUP_H
#define KARIRBOT_BACKUP_H

struct kb_config;

/* argv holds the command's own arguments after "backup": FILE, and --force (replace an
 * existing FILE), --pages N (pages per step). Copies the database (cfg->db_path) to FILE with
 * SQLite's online backup API while the service may run, and checks the copy. Returns the exit
 * status: 0, 1 when no copy was made, 64 for a usage error. */
int kb_cmd_backup(const struct kb_config *cfg, int argc, char **argv);

#endif
