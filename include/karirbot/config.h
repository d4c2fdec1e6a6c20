/* config: settings from the environment (KARIRBOT_*) and the same names as flags
 * (KARIRBOT_API_URL is --api-url). Flags win over the environment. */
#ifndef KARIRBOT_CONFIG_H
#define KARIRBOT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

struct kb_config {
    char *token;      /* never logged; registered as a log secret on load */
    char *token_file; /* path, read at load time */
    char *api_url;    /* root of the Bot API, without a trailing slash */
    char *db_path;
    int db_default;     /* db_path is the default, named neither by flag nor environment */
    char *bot_username; /* for invite links; NULL: the one the service learnt from getMe */
    char *data_dir;     /* explicit KARIRBOT_DATA_DIR, or NULL */
    int poll_timeout_s; /* getUpdates long-poll timeout */
    int log_level;      /* enum kb_log_level */
    bool pacing;        /* false switches every rate limit off (benchmarks) */
    double rate_global; /* messages per second, all chats */
    double rate_chat;   /* messages per second, one private chat */
    double chat_burst;  /* messages a private chat may receive at once */
    double rate_group;  /* messages per minute, one group chat */
    int max_inflight;   /* concurrent sends */
    int shutdown_deadline_s;
    int max_attempts;    /* handler attempts before an update becomes a dead letter */
    int retry_base_ms;   /* first backoff after a 5xx or network error */
    int retry_max_ms;    /* longest backoff */
    int give_up_after_s; /* age after which an unsendable row is recorded undeliverable */
    int http_timeout_s;  /* per request, besides getUpdates */
    long max_response;   /* bytes; larger responses are refused */
    int retention_days;  /* conversation logs kept this long by `karirbot purge`; 0: 180 */
    long fake_now;       /* tests only: the wall clock stands at these UNIX seconds; 0: real */
};

/* Fills cfg with defaults, then the environment, then argv (flags only; positional arguments
 * are left for the caller: argc and argv are rewritten to hold them). Returns 0, or -1 after
 * printing a clear error to stderr. The caller frees with kb_config_free(). */
int kb_config_load(struct kb_config *cfg, int *argc, char **argv);
void kb_config_free(struct kb_config *cfg);

/* Where the shipped dialogs/ and locales/ are: the source tree when run from a build
 * directory, else the installed data directory. */
const char *kb_config_defaults_dir(void);
/* Where HR's edited copies are (they take precedence): KARIRBOT_DATA_DIR, else /etc/karirbot. */
const char *kb_config_override_dir(const struct kb_config *cfg);

/* Prints the settings list (for --help). */
void kb_config_usage(void);

#endif
