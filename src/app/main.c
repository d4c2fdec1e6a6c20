/* main: command dispatch. `karirbot [run]` serves the bot; the other commands (the terminal
 * chat, the checker, HR's admin commands) are one line each in the table below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "karirbot/approvals_cmd.h"
#include "karirbot/backup.h"
#include "karirbot/broadcast.h"
#include "karirbot/chat.h"
#include "karirbot/check_cmd.h"
#include "karirbot/config.h"
#include "karirbot/holidays.h"
#include "karirbot/import.h"
#include "karirbot/invite.h"
#include "karirbot/jsonmem.h"
#include "karirbot/log.h"
#include "karirbot/purge.h"
#include "karirbot/remind.h"
#include "karirbot/report.h"
#include "karirbot/role.h"
#include "karirbot/rpi_cmd.h"
#include "karirbot/service.h"
#include "karirbot/status.h"
#include "karirbot/store.h"
#include "karirbot/training_cmd.h"
#include "karirbot/unit.h"

static int cmd_migrate(const struct kb_config *cfg, int argc, char **argv);
static int cmd_check(const struct kb_config *cfg, int argc, char **argv);

/* Every command but run: its name, a one-line summary for `karirbot help`, and the function,
 * which gets the command's own arguments (after the name) and returns the exit status. */
static const struct command {
    const char *name;
    const char *summary;
    int (*run)(const struct kb_config *cfg, int argc, char **argv);
} commands[] = {
    {"chat", "talk to karirbot in this terminal (--demo: on a demo organisation)", kb_cmd_chat},
    {"check", "validate dialogs/, locales/ and the policy data (shipped and edited)", cmd_check},
    {"migrate", "create or upgrade the database, then exit", cmd_migrate},
    {"invite", "activation codes: invite NIP...|--unit NAME|--unlinked [--csv]", kb_cmd_invite},
    /* admin commands: one line each, in the order HR meets them */
    {"report", "HR's reports as CSV or XLSX: report KIND [--unit NAME] [--year Y]", kb_cmd_report},
    {"training", "registrations: training list|propose|accept|waitlist|complete|verify",
     kb_cmd_training},
    {"rpi", "plans: rpi set (establish approved plans) | rpi new-year", kb_cmd_rpi},
    {"approvals", "requests: approvals list|reassign|delegate (Plt/Plh)", kb_cmd_approvals},
    {"holidays", "days off: holidays import FILE | list [--year Y]", kb_cmd_holidays},
    {"broadcast", "announce: broadcast --unit NAME|--all --text-file FILE", kb_cmd_broadcast},
    {"unit", "a unit's zone and working days: unit list | set NAME [--zone] [--workdays]",
     kb_cmd_unit},
    {"role", "roles: role grant|revoke|list [--admin|--hr-unit NAME] NIP", kb_cmd_role},
    {"status", "schema, counts, outbox, last poll and error (--json)", kb_cmd_status},
    {"purge", "delete old conversation logs: purge [--older-than DAYS]", kb_cmd_purge},
    {"backup", "a consistent copy of the live database: backup FILE", kb_cmd_backup},
    {"import", "spreadsheets in: import employees|trainings|mentors|promotions|rpi FILE",
     kb_cmd_import},
    {"remind", "one reminder pass now: remind [--now SECS] [--dry-run]", kb_cmd_remind},
};

static void usage(void)
{
    fprintf(stderr,
            "karirbot %s — career-development assistant for ASN on Telegram\n\n"
            "Usage: karirbot [COMMAND] [--setting VALUE]...\n\n"
            "Commands:\n"
            "  %-10s%s\n",
            KB_VERSION, "run", "serve the bot (the default)");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, "  %-10s%s\n", commands[i].name, commands[i].summary);
    fprintf(stderr, "  %-10s%s\n  %-10s%s\n\nEach command has --help. Settings:\n", "version",
            "print the version", "help", "this text");
    kb_config_usage();
}

static void no_token(void)
{
    fprintf(stderr, "karirbot needs a Telegram bot token to serve users.\n\n"
                    "  1. In Telegram, open @BotFather, send /newbot and follow the steps;\n"
                    "     it answers with a token like 123456789:AA...\n"
                    "  2. Save it in a file only you can read and start karirbot with it:\n"
                    "       KARIRBOT_TOKEN_FILE=/path/to/token karirbot run\n"
                    "     (or KARIRBOT_TOKEN=...; under systemd, LoadCredential=token:/path).\n\n"
                    "To try karirbot without a token: `karirbot chat --demo`, the terminal\n"
                    "chat on a demo organisation.\n");
}

static int cmd_migrate(const struct kb_config *cfg, int argc, char **argv)
{
    (void)argv;
    if (argc > 0) {
        fprintf(stderr, "Usage: karirbot migrate [--db PATH]\n\nCreates or upgrades the "
                        "database, then exits.\n");
        return argc == 1 && !strcmp(argv[0], "--help") ? 0 : 64;
    }
    struct kb_store *st;
    if (kb_store_open(&st, cfg->db_path, 5000) != KB_OK)
        return 1;
    printf("%s: schema version %d\n", cfg->db_path, kb_store_version(st));
    kb_store_close(st);
    return 0;
}

static int cmd_check(const struct kb_config *cfg, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "Usage: karirbot check\n\nValidates the dialogs, texts and policy "
                        "data, shipped and edited (KARIRBOT_DATA_DIR), as the service loads "
                        "them.\n");
        return argc == 1 && !strcmp(argv[0], "--help") ? 0 : 64;
    }
    return kb_cmd_check(cfg);
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    struct kb_config cfg;
    if (kb_config_load(&cfg, &argc, argv) != 0) {
        kb_config_free(&cfg);
        kb_log_clear_secrets();
        return 64;
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    kb_json_init();
    const char *cmd = argc > 1 ? argv[1] : NULL;
    int rc;
    if (!cmd && (!cfg.token || !*cfg.token)) { /* the embedded default: try it in a terminal */
        fprintf(stderr, "No bot token: starting the terminal chat on the demo organisation "
                        "(`karirbot run` serves Telegram; `karirbot help` says how).\n");
        char demo[] = "--demo", *args[] = {demo, NULL};
        rc = kb_cmd_chat(&cfg, 1, args);
    } else if (!cmd || !strcmp(cmd, "run")) {
        if (!cfg.token || !*cfg.token) {
            no_token();
            rc = 78;
        } else {
            rc = kb_service_run(&cfg);
        }
    } else if (find(cmd)) {
        rc = find(cmd)->run(&cfg, argc - 2, argv + 2);
    } else if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("karirbot %s\n", KB_VERSION);
        rc = 0;
    } else if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage();
        rc = 0;
    } else {
        fprintf(stderr, "karirbot: unknown command '%s'\n\n", cmd);
        usage();
        rc = 64;
    }
    kb_config_free(&cfg);
    kb_log_clear_secrets();
    return rc;
}
