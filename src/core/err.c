/*
 * err.c: error code names and the bounded error context.
 */
#include "core/err.h"
#include "core/common.h"

const char *err_name(int code)
{
    switch (code) {
    case ERR_OK:
        return "ok";
    case ERR_NOMEM:
        return "nomem";
    case ERR_INVALID:
        return "invalid";
    case ERR_TOO_BIG:
        return "too_big";
    case ERR_NOT_FOUND:
        return "not_found";
    case ERR_CONFLICT:
        return "conflict";
    case ERR_IO:
        return "io";
    case ERR_DB:
        return "db";
    case ERR_INTERNAL:
        return "internal";
    case ERR_DENIED:
        return "denied";
    case ERR_UNAUTH:
        return "unauthenticated";
    case ERR_BUSY:
        return "busy";
    default:
        return "unknown";
    }
}

int err_set(struct err_ctx *e, int code, const char *field, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        e->code = code;
        e->field = field;
        va_start(ap, fmt);
        /* Truncation is acceptable: the message is bounded by design. */
        int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        if (n < 0)
            e->msg[0] = '\0';
    }
    return code;
}

void err_clear(struct err_ctx *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}
