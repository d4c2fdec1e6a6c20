/* chat: `karirbot chat` — the dialog engine and the database in a terminal. Buttons are
 * numbered and answered by typing the number; lines from a pipe give a readable transcript
 * (for tests and for dialog authors). */
#ifndef KARIRBOT_CHAT_H
#define KARIRBOT_CHAT_H

#include "karirbot/config.h"

/* argv holds the command's own arguments after "chat". Returns the exit status. */
int kb_cmd_chat(const struct kb_config *cfg, int argc, char **argv);

#endif
