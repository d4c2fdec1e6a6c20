/* rpi_cmd: `karirbot rpi`, HR's command for the yearly plans (RPI): establish (tetapkan) the
 * plans supervisors approved, and open a new year's draft plans for everyone with their
 * unfinished activities carried over. Employees are told on Telegram. */
#ifndef KARIRBOT_RPI_CMD_H
#define KARIRBOT_RPI_CMD_H

struct kb_config;

/* argv holds the arguments after "rpi": a subcommand (set, new-year) and its flags
 * (`karirbot rpi --help`). Works in short transactions of a few dozen plans. Returns the exit
 * status: 0, 1 when some plan could not be changed (the others were), 64 for a usage error. */
int kb_cmd_rpi(const struct kb_config *cfg, int argc, char **argv);

#endif
