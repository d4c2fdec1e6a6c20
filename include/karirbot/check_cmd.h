/* check_cmd: `karirbot check`, which validates the dialogs and locales HR edits (the shipped
 * files merged with the override directory, as the service would load them). */
#ifndef KARIRBOT_CHECK_CMD_H
#define KARIRBOT_CHECK_CMD_H

struct kb_config;

/* Loads locales and dialogs from kb_config_defaults_dir() with kb_config_override_dir(cfg)
 * taking precedence, prints every problem to stderr and a summary line to stdout. Returns the
 * exit status: 0 when there is no error (warnings allowed), 1 otherwise. */
int kb_cmd_check(const struct kb_config *cfg);

#endif
