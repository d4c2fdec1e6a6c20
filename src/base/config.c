/* config: one table of settings, read from KARIRBOT_<NAME> and then from --<name> flags. */
#include "karirbot/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "karirbot/clock.h"
#include "karirbot/log.h"

enum kind { K_STR, K_INT, K_DBL, K_BOOL, K_LEVEL, K_LONG };

struct setting {
    const char *env; /* KARIRBOT_ + env; the flag is its lower-case, dashed form */
    enum kind kind;
    size_t off;
    double lo, hi;
    const char *help;
};

#define OFF(f) offsetof(struct kb_config, f)
static const struct setting settings[] = {
    {"TOKEN", K_STR, OFF(token), 0, 0, "bot token from @BotFather (prefer TOKEN_FILE)"},
    {"TOKEN_FILE", K_STR, OFF(token_file), 0, 0, "file holding the bot token"},
    {"API_URL", K_STR, OFF(api_url), 0, 0, "Bot API root (default https://api.telegram.org)"},
    {"DB", K_STR, OFF(db_path), 0, 0, "SQLite database path (default karirbot.db)"},
    {"BOT_USERNAME", K_STR, OFF(bot_username), 0, 0,
     "the bot's @username for invite links (default: as Telegram said at the last start)"},
    {"DATA_DIR", K_STR, OFF(data_dir), 0, 0,
     "directory whose dialogs/ and locales/ override the shipped ones (/etc/karirbot)"},
    {"POLL_TIMEOUT", K_INT, OFF(poll_timeout_s), 0, 50, "getUpdates long-poll seconds (30)"},
    {"LOG_LEVEL", K_LEVEL, OFF(log_level), 0, 0, "debug, info, warn or error (info)"},
    {"PACING", K_BOOL, OFF(pacing), 0, 0, "on or off: off disables all rate limits (on)"},
    {"RATE_GLOBAL", K_DBL, OFF(rate_global), 0.1, 1e6, "messages per second overall (28)"},
    {"RATE_CHAT", K_DBL, OFF(rate_chat), 0.01, 1e6, "messages per second per chat (1)"},
    {"CHAT_BURST", K_DBL, OFF(chat_burst), 1, 1e6, "messages a chat may get at once (3)"},
    {"RATE_GROUP", K_DBL, OFF(rate_group), 0.1, 1e6, "messages per minute per group (20)"},
    {"MAX_INFLIGHT", K_INT, OFF(max_inflight), 1, 256, "concurrent sends (8)"},
    {"SHUTDOWN_DEADLINE", K_INT, OFF(shutdown_deadline_s), 0, 600,
     "seconds to flush the outbox on shutdown (5)"},
    {"MAX_ATTEMPTS", K_INT, OFF(max_attempts), 1, 100,
     "attempts at an update before it becomes a dead letter (5)"},
    {"RETRY_BASE_MS", K_INT, OFF(retry_base_ms), 1, 3600000,
     "first backoff after a server or network error (1000)"},
    {"RETRY_MAX_MS", K_INT, OFF(retry_max_ms), 1, 86400000, "longest backoff (300000)"},
    {"GIVE_UP_AFTER", K_INT, OFF(give_up_after_s), 1, 30 * 86400,
     "seconds after which an unsendable message is recorded undeliverable (86400)"},
    {"HTTP_TIMEOUT", K_INT, OFF(http_timeout_s), 1, 600, "seconds per Bot API call (30)"},
    {"MAX_RESPONSE", K_LONG, OFF(max_response), 4096, 1e9,
     "largest Bot API response accepted, bytes (4194304)"},
    {"RETENTION_DAYS", K_INT, OFF(retention_days), 1, 36500,
     "days conversation logs are kept; karirbot purge deletes older ones (180)"},
    {"FAKE_NOW", K_LONG, OFF(fake_now), 0, 1e11,
     "for tests only: the clock stands still at these UNIX seconds (0: the real clock)"},
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

static void defaults(struct kb_config *c)
{
    memset(c, 0, sizeof *c);
    c->poll_timeout_s = 30;
    c->log_level = KB_LOG_INFO;
    c->pacing = true;
    /* Telegram allows about 30 messages a second and counts them as they reach it: a margin
     * keeps the sends that a network or scheduling delay bunches together under the limit
     * (tests/bench/bench_bulk.py: 10,000 reminders at 30/s drew a few 429s; at 28/s none). */
    c->rate_global = 28;
    c->rate_chat = 1;
    c->chat_burst = 3;
    c->rate_group = 20;
    c->max_inflight = 8;
    c->shutdown_deadline_s = 5;
    c->max_attempts = 5;
    c->retry_base_ms = 1000;
    c->retry_max_ms = 300000;
    c->give_up_after_s = 86400;
    c->http_timeout_s = 30;
    c->max_response = 4L << 20;
}

static int set_value(struct kb_config *c, const struct setting *s, const char *v, const char *from)
{
    char *p = (char *)c + s->off;
    char *end;
    errno = 0;
    switch (s->kind) {
    case K_STR: {
        char **dst = (char **)(void *)p;
        free(*dst);
        *dst = strdup(v);
        return *dst ? 0 : -1;
    }
    case K_INT:
    case K_LONG: {
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < s->lo || n > s->hi)
            goto bad;
        if (s->kind == K_INT)
            *(int *)(void *)p = (int)n;
        else
            *(long *)(void *)p = n;
        return 0;
    }
    case K_DBL: {
        double d = strtod(v, &end);
        if (errno || end == v || *end || d < s->lo || d > s->hi)
            goto bad;
        *(double *)(void *)p = d;
        return 0;
    }
    case K_BOOL:
        if (!strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes"))
            *(bool *)(void *)p = true;
        else if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
            *(bool *)(void *)p = false;
        else
            goto bad;
        return 0;
    case K_LEVEL: {
        int lvl = kb_log_parse_level(v);
        if (lvl < 0)
            goto bad;
        *(int *)(void *)p = lvl;
        return 0;
    }
    }
bad:
    fprintf(stderr, "karirbot: invalid value for %s (%s)%s%s\n", from, s->help,
            s->kind == K_STR ? "" : ": ", s->kind == K_STR ? "" : v);
    return -1;
}

static void flag_name(const struct setting *s, char *out, size_t cap)
{
    size_t i = 0;
    for (const char *p = s->env; *p && i + 1 < cap; p++)
        out[i++] = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    out[i] = '\0';
}

static const struct setting *find_flag(const char *name, size_t len)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        char f[40];
        flag_name(&settings[i], f, sizeof f);
        if (strlen(f) == len && !strncmp(f, name, len))
            return &settings[i];
    }
    return NULL;
}

static int read_token_file(struct kb_config *c)
{
    FILE *f = fopen(c->token_file, "r");
    if (!f) {
        fprintf(stderr, "karirbot: cannot read the token file %s: %s\n", c->token_file,
                strerror(errno));
        return -1;
    }
    char line[512];
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    while (n && isspace((unsigned char)line[n - 1]))
        line[--n] = '\0';
    free(c->token);
    c->token = strdup(line);
    return c->token ? 0 : -1;
}

int kb_config_load(struct kb_config *c, int *argc, char **argv)
{
    defaults(c);
    for (size_t i = 0; i < NSETTINGS; i++) {
        char env[64];
        snprintf(env, sizeof env, "KARIRBOT_%s", settings[i].env);
        const char *v = getenv(env);
        if (v && *v && set_value(c, &settings[i], v, env) != 0)
            return -1;
    }
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || !a[2]) {
            argv[out++] = argv[i];
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct setting *s = find_flag(name, len);
        if (!s) {
            argv[out++] = argv[i]; /* a subcommand's own flag */
            continue;
        }
        const char *v = eq ? eq + 1 : (i + 1 < *argc ? argv[++i] : NULL);
        if (!v) {
            fprintf(stderr, "karirbot: --%.*s needs a value\n", (int)len, name);
            return -1;
        }
        if (set_value(c, s, v, a) != 0)
            return -1;
    }
    argv[out] = NULL;
    *argc = out;
    const char *creds = getenv("CREDENTIALS_DIRECTORY"); /* systemd LoadCredential= */
    if (!c->token && !c->token_file && creds) {
        char path[4096];
        snprintf(path, sizeof path, "%s/token", creds);
        if (access(path, R_OK) == 0 && !(c->token_file = strdup(path)))
            return -1;
    }
    if (c->token_file && read_token_file(c) != 0)
        return -1;
    if (!c->api_url && !(c->api_url = strdup("https://api.telegram.org")))
        return -1;
    size_t n = strlen(c->api_url);
    while (n && c->api_url[n - 1] == '/')
        c->api_url[--n] = '\0';
    c->db_default = !c->db_path;
    if (!c->db_path && !(c->db_path = strdup("karirbot.db")))
        return -1;
    if (c->fake_now)
        kb_clock_set(c->fake_now); /* KARIRBOT_FAKE_NOW: tests move time by restarting */
    if (c->token && *c->token)
        kb_log_add_secret(c->token);
    kb_log_set_level((enum kb_log_level)c->log_level);
    return 0;
}

void kb_config_free(struct kb_config *c)
{
    free(c->token);
    free(c->token_file);
    free(c->api_url);
    free(c->db_path);
    free(c->data_dir);
    free(c->bot_username);
    memset(c, 0, sizeof *c);
}

/* Whether the running program lies inside the build directory (compared by device and inode,
 * so that a symbolic link in either path does not matter). */
static int running_from_build_dir(void)
{
    struct stat b, d;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || stat(KB_BUILD_DIR, &b) != 0)
        return 0;
    exe[n] = '\0';
    for (char *slash = strrchr(exe, '/'); slash && slash != exe; slash = strrchr(exe, '/')) {
        *slash = '\0';
        if (stat(exe, &d) == 0 && d.st_dev == b.st_dev && d.st_ino == b.st_ino)
            return 1;
    }
    return 0;
}

const char *kb_config_defaults_dir(void)
{
    /* The source tree serves only a binary run from its build directory (a developer's build,
     * the tests). An installed copy of the same binary reads the install prefix even while the
     * tree it was built from exists: what the operator installed is what runs. */
    if (running_from_build_dir() && access(KB_SOURCE_DATA_DIR "/locales/id.json", R_OK) == 0)
        return KB_SOURCE_DATA_DIR;
    return KB_INSTALL_DATA_DIR;
}

const char *kb_config_override_dir(const struct kb_config *c)
{
    return c->data_dir ? c->data_dir : "/etc/karirbot";
}

void kb_config_usage(void)
{
    fprintf(stderr, "Settings (environment variable, or the same name as a flag):\n");
    for (size_t i = 0; i < NSETTINGS; i++) {
        char f[40];
        flag_name(&settings[i], f, sizeof f);
        fprintf(stderr, "  KARIRBOT_%-18s --%-18s %s\n", settings[i].env, f, settings[i].help);
    }
}
