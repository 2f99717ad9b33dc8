/*
 * log.h: one logfmt line per event on stderr (journald captures it). Values are quoted and
 * control characters escaped so that input cannot forge log lines. Never log secrets or
 * personal data; log pseudonymised ids only.
 */
#ifndef DUIDING_CORE_LOG_H
#define DUIDING_CORE_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

extern enum log_level log_threshold;

/** Sets the threshold from "error|warn|info|debug"; 0 or ERR_INVALID. */
int log_set_level(const char *name);

/* Checks the level before formatting (redis serverLog idiom). */
#define log_at(level, evt, ...)                                                                    \
    do {                                                                                           \
        if ((level) <= log_threshold)                                                              \
            log_emit((level), (evt), __VA_ARGS__);                                                 \
    } while (0)
#define log_error(evt, ...) log_at(LOG_ERROR, evt, __VA_ARGS__)
#define log_warn(evt, ...)  log_at(LOG_WARN, evt, __VA_ARGS__)
#define log_info(evt, ...)  log_at(LOG_INFO, evt, __VA_ARGS__)
#define log_debug(evt, ...) log_at(LOG_DEBUG, evt, __VA_ARGS__)

/**
 * Writes `ts=… level=… evt=<evt>` followed by key/value pairs given as alternating
 * const char * arguments, terminated by NULL:
 *     log_info("http.req", "rid", rid, "path", path, NULL);
 * Values are always quoted and escaped.
 */
void log_emit(enum log_level level, const char *evt, ...);

/** Redirects output (tests); NULL restores stderr. */
void log_set_stream(void *file);

#endif
