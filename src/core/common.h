/*
 * common.h: the first project header every .c file includes after its own header.
 * System includes, attributes and small macros; ends by poisoning unsafe string functions
 * (house style C5) so that they cannot be used anywhere in duiding.
 */
#ifndef DUIDING_CORE_COMMON_H
#define DUIDING_CORE_COMMON_H

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LEN(a)           (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x)              ((void)(x))
#define ATTR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ATTR_NODISCARD         __attribute__((warn_unused_result))

/* "Cannot happen, but must not crash in production" (SQLite style): asserts in debug builds,
 * still branches in release builds. Never use on input. */
#ifndef NDEBUG
#define ALWAYS(x) ((x) ? 1 : (assert(0), 0))
#define NEVER(x)  ((x) ? (assert(0), 1) : 0)
#else
#define ALWAYS(x) (x)
#define NEVER(x)  (x)
#endif

/* Anything that reaches the user's screen goes through gettext; _() marks it for xgettext. */
#include <libintl.h>
#define _(s)  gettext(s)
#define N_(s) (s)

#pragma GCC poison sprintf vsprintf strcpy strcat strncpy strncat strtok gets atoi atol sscanf

#endif
