/*
 * log.c: the logfmt writer. Each line is built in a local buffer and written with one
 * fputs so lines from different threads do not interleave.
 */
#include "core/log.h"
#include "core/common.h"
#include "core/err.h"
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

/* Appends v quoted, with " \ and non-printable bytes escaped as \xNN. */
static size_t put_value(char *out, size_t at, size_t cap, const char *v)
{
    static const char hex[] = "0123456789abcdef";
    if (at + 1 < cap)
        out[at++] = '"';
    for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p && at + 5 < cap; p++) {
        if (*p == '"' || *p == '\\') {
            out[at++] = '\\';
            out[at++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7f) {
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
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s evt=",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000L, names[level & 3]);
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
