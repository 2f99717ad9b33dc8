/*
 * err.h: error codes shared by every layer and a bounded, user-facing error context.
 */
#ifndef DUIDING_CORE_ERR_H
#define DUIDING_CORE_ERR_H

#include <stdint.h>

/* Functions that can fail return 0 or one of these (negative). */
enum err {
    ERR_OK = 0,
    ERR_NOMEM = -1,
    ERR_INVALID = -2, /* input did not validate; details in struct err_ctx */
    ERR_TOO_BIG = -3, /* a declared limit was exceeded */
    ERR_NOT_FOUND = -4,
    ERR_CONFLICT = -5, /* unique constraint, stale edit, duplicate */
    ERR_IO = -6,
    ERR_DB = -7,
    ERR_INTERNAL = -8,
    ERR_DENIED = -9,  /* authorisation refused */
    ERR_UNAUTH = -10, /* not authenticated */
    ERR_BUSY = -11,   /* queue full, rate limited: try again later */
};

#define ERR_MSG_MAX 200

/*
 * What went wrong, in words a user may see. `msg` is already translated (gettext) or plain
 * English for CLI/log use; `field` names the form/API field (static string, may be NULL);
 * `line`/`col` locate the problem in an input file (0 = not applicable).
 */
struct err_ctx {
    int code;
    char msg[ERR_MSG_MAX];
    const char *field;
    uint32_t line, col;
};

/** Name of an error code for logs ("invalid", "not_found", ...). Never NULL. */
const char *err_name(int code);

/**
 * Fills `e` (if not NULL) with code, field and a printf-formatted message, truncating the
 * message to ERR_MSG_MAX. Returns `code` so callers can write `return err_set(e, ...)`.
 */
int err_set(struct err_ctx *e, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Clears an error context. */
void err_clear(struct err_ctx *e);

#endif
