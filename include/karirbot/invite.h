/* invite: `karirbot invite`, HR's command that issues one-time activation codes with which
 * employees link their Telegram account (the flow in dialogs/start.json). */
#ifndef KARIRBOT_INVITE_H
#define KARIRBOT_INVITE_H

struct kb_config;

/* argv holds the command's own arguments after "invite": NIPs and flags (--days N, --csv,
 * --bot-username NAME, --now UNIX_SECONDS). For each employee prints the NIP, name, code and
 * deep link (CSV with a header with --csv) to stdout; unknown NIPs and notes go to stderr.
 * Each employee is one short transaction. Returns the exit status: 0, 1 when some NIP could not
 * be served (the others were), 64 for a usage error. */
int kb_cmd_invite(const struct kb_config *cfg, int argc, char **argv);

#endif
