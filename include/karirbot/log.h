/* log: one line per event on stderr, key=value, with the bot token redacted.
 *
 * A line looks like: ts=2026-11-29T08:21:10.123Z level=info event=poll.batch count=100
 * Values are formatted by the caller (printf style); the logger quotes nothing itself,
 * so callers use kb_log_quote() for free text. Every line passes through redaction. */
#ifndef KARIRBOT_LOG_H
#define KARIRBOT_LOG_H

#include <stddef.h>

enum kb_log_level { KB_LOG_DEBUG, KB_LOG_INFO, KB_LOG_WARN, KB_LOG_ERROR };

/* Parses "debug|info|warn|error"; returns -1 on anything else. */
int kb_log_parse_level(const char *name);
void kb_log_set_level(enum kb_log_level level);
int kb_log_enabled(enum kb_log_level level);

/* Registers a secret that must never be printed (copied). At most a few secrets. */
void kb_log_add_secret(const char *secret);
void kb_log_clear_secrets(void);

/* Replaces every registered secret in buf (NUL-terminated, capacity cap) with "<redacted>". */
void kb_log_redact(char *buf, size_t cap);

/* Logs "event" and the formatted key=value tail. */
void kb_log(enum kb_log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes s into out as a double-quoted value with quotes, backslashes and control characters
 * escaped, truncated to cap-1 bytes with "..." when longer. Returns out. */
const char *kb_log_quote(char *out, size_t cap, const char *s);

#define KB_DEBUG(ev, ...) kb_log(KB_LOG_DEBUG, ev, __VA_ARGS__)
#define KB_INFO(ev, ...)  kb_log(KB_LOG_INFO, ev, __VA_ARGS__)
#define KB_WARN(ev, ...)  kb_log(KB_LOG_WARN, ev, __VA_ARGS__)
#define KB_ERROR(ev, ...) kb_log(KB_LOG_ERROR, ev, __VA_ARGS__)

#endif
