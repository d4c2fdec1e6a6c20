/* log: one key=value line per event on stderr; every line is redacted before it is written. */
#include "karirbot/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define LOG_LINE_MAX    4096
#define LOG_SECRETS_MAX 4

static enum kb_log_level min_level = KB_LOG_INFO;
static char *secrets[LOG_SECRETS_MAX];

static const char *const level_names[] = {"debug", "info", "warn", "error"};

int kb_log_parse_level(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, level_names[i]) == 0)
            return i;
    return -1;
}

void kb_log_set_level(enum kb_log_level level)
{
    min_level = level;
}

int kb_log_enabled(enum kb_log_level level)
{
    return level >= min_level;
}

void kb_log_add_secret(const char *secret)
{
    if (!secret || strlen(secret) < 4)
        return;
    for (int i = 0; i < LOG_SECRETS_MAX; i++) {
        if (!secrets[i]) {
            secrets[i] = strdup(secret);
            return;
        }
    }
}

void kb_log_clear_secrets(void)
{
    for (int i = 0; i < LOG_SECRETS_MAX; i++) {
        free(secrets[i]);
        secrets[i] = NULL;
    }
}

void kb_log_redact(char *buf, size_t cap)
{
    static const char mask[] = "<redacted>";
    for (int i = 0; i < LOG_SECRETS_MAX; i++) {
        if (!secrets[i])
            continue;
        size_t slen = strlen(secrets[i]);
        char *p = buf;
        while ((p = strstr(p, secrets[i])) != NULL) {
            size_t tail = strlen(p + slen);
            size_t at = (size_t)(p - buf);
            size_t mlen = sizeof mask - 1;
            if (at + mlen + 1 > cap) {
                *p = '\0';
                break;
            }
            if (at + mlen + tail + 1 > cap)
                tail = cap - 1 - at - mlen;
            memmove(p + mlen, p + slen, tail);
            memcpy(p, mask, mlen);
            p[mlen + tail] = '\0';
            p += mlen;
        }
    }
}

/* A line cut at LOG_LINE_MAX may end with the first part of a secret, which kb_log_redact()
 * cannot recognise: drops any tail of line that is the beginning of a secret. */
static void drop_secret_prefix(char *line)
{
    size_t len = strlen(line);
    for (int i = 0; i < LOG_SECRETS_MAX; i++) {
        if (!secrets[i])
            continue;
        for (size_t k = strlen(secrets[i]) - 1; k > 0; k--) {
            if (k <= len && memcmp(line + len - k, secrets[i], k) == 0) {
                len -= k;
                line[len] = '\0';
                break;
            }
        }
    }
}

const char *kb_log_quote(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    if (cap < 8) {
        out[0] = '\0';
        return out;
    }
    out[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        char esc[8];
        size_t n;
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            n = 2;
        } else if (*p == '\n') {
            memcpy(esc, "\\n", 2);
            n = 2;
        } else if (*p < 0x20 || *p == 0x7f) {
            n = (size_t)snprintf(esc, sizeof esc, "\\x%02x", *p);
        } else {
            esc[0] = (char)*p;
            n = 1;
        }
        if (o + n + 5 > cap) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(out + o, esc, n);
        o += n;
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}

void kb_log(enum kb_log_level level, const char *event, const char *fmt, ...)
{
    if (level < min_level)
        return;
    char line[LOG_LINE_MAX];
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     (long)(tv.tv_usec / 1000), level_names[level], event);
    if (n < 0)
        return;
    int cut = (size_t)n >= sizeof line;
    size_t used = cut ? sizeof line - 1 : (size_t)n;
    if (fmt && *fmt && used + 2 < sizeof line) {
        line[used++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + used, sizeof line - used, fmt, ap);
        va_end(ap);
        if (m > 0 && (size_t)m >= sizeof line - used)
            cut = 1;
        if (m > 0)
            used += cut ? sizeof line - used - 1 : (size_t)m;
    }
    line[used] = '\0';
    kb_log_redact(line, sizeof line);
    if (cut)
        drop_secret_prefix(line);
    fprintf(stderr, "%s\n", line);
}
