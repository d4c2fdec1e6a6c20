/* training_cmd: `karirbot training`, HR's command for the later stages of a training
 * registration — the nominee list of a training, proposing participants to the organiser,
 * accepting them or putting them on the waiting list, recording completion (the JP enter the
 * RPI) and verifying the certificate (the JP are recognised), with each employee told on
 * Telegram at each step. */
#ifndef KARIRBOT_TRAINING_CMD_H
#define KARIRBOT_TRAINING_CMD_H

#include <stdint.h>

struct kb_config;
struct kb_locale;
struct kb_store;

/* argv holds the arguments after "training": a subcommand (list, propose, accept, waitlist,
 * complete, certificate, verify), registration ids and flags (`karirbot training --help`).
 * Each registration is one short transaction. Returns the exit status: 0, 1 when some
 * registration could not be moved (the others were), 64 for a usage error, 78 when a
 * certificate download has no bot token. */
int kb_cmd_training(const struct kb_config *cfg, int argc, char **argv);

/* Gives the free seats of a training to its waiting list, oldest first (a raised quota), and
 * tells each new holder on Telegram, inside the caller's write transaction. *seated: seats
 * given; *told: holders told (the others have no linked account). Returns 0, or -1. */
int kb_training_seat_waiting(struct kb_store *st, const struct kb_locale *loc, int64_t training_id,
                             int *seated, int *told);

#endif
