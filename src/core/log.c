/*
 * log.c: the logfmt writer. Each line is built in a local buffer and written with one
 * fputs so lines from different threads do not interleave.
 */
#include "core/log.h"
#include "core/common.h"
#include "core/err.h"
#include "core/utf8.h"
#include <pthread.h>
#include <time.h>

enum log_level log_threshold = LOG_INFO;
static FILE *log_stream;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

int log_set_level(const char *name)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (name && strcmp(name, names[i]) == 0) {
            log_threshold = (enum log_level)i;
            return 0;
        }
    return ERR_INVALID;
}

void log_set_stream(void *file)
{
    log_stream = file;
}

/* Length of the well-formed UTF-8 sequence starting at p (NUL-terminated), or 0. */
static size_t utf8_seq_len(const unsigned char *p)
{
    size_t len = 0;
    if (*p >= 0xC2 && *p <= 0xDF)
        len = 2;
    else if (*p >= 0xE0 && *p <= 0xEF)
        len = 3;
    else if (*p >= 0xF0 && *p <= 0xF4)
        len = 4;
    for (size_t k = 1; k < len; k++)
        if (!p[k]) /* do not read past the terminator */
            return 0;
    return len && utf8_valid((const char *)p, len, NULL) ? len : 0;
}

/* Appends v quoted, with " \ control bytes and bytes that are not UTF-8 escaped as \xNN. */
static size_t put_value(char *out, size_t at, size_t cap, const char *v)
{
    static const char hex[] = "0123456789abcdef";
    if (at + 1 < cap)
        out[at++] = '"';
    for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p && at + 5 < cap; p++) {
        size_t seq = *p >= 0x80 ? utf8_seq_len(p) : 0;
        if (seq) {
            if (at + seq + 1 >= cap)
                break;
            memcpy(out + at, p, seq);
            at += seq;
            p += seq - 1;
        } else if (*p == '"' || *p == '\\') {
            out[at++] = '\\';
            out[at++] = (char)*p;
        } else if (*p < 0x20 || *p >= 0x7f) {
            out[at++] = '\\';
            out[at++] = 'x';
            out[at++] = hex[*p >> 4];
            out[at++] = hex[*p & 15];
        } else {
            out[at++] = (char)*p;
        }
    }
    if (at + 1 < cap)
        out[at++] = '"';
    return at;
}

static size_t put_raw(char *out, size_t at, size_t cap, const char *s)
{
    while (*s && at + 1 < cap)
        out[at++] = *s++;
    return at;
}

void log_emit(enum log_level level, const char *evt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    char line[4096];
    size_t at = 0;
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line,
                     "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s evt=", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000L, names[level & 3]);
    at = n > 0 ? (size_t)n : 0;
    at = put_raw(line, at, sizeof line, evt);
    va_list ap;
    va_start(ap, evt);
    for (;;) {
        const char *key = va_arg(ap, const char *);
        if (!key)
            break;
        const char *val = va_arg(ap, const char *);
        at = put_raw(line, at, sizeof line, " ");
        at = put_raw(line, at, sizeof line, key);
        at = put_raw(line, at, sizeof line, "=");
        at = put_value(line, at, sizeof line, val);
    }
    va_end(ap);
    if (at >= sizeof line - 1)
        at = sizeof line - 2;
    line[at++] = '\n';
    line[at] = '\0';
    pthread_mutex_lock(&log_lock);
    fputs(line, log_stream ? log_stream : stderr);
    fflush(log_stream ? log_stream : stderr);
    pthread_mutex_unlock(&log_lock);
}
