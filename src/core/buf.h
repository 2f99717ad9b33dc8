/*
 * buf.h: bounded growable byte buffer with curl dynbuf semantics. Every buffer declares its
 * maximum size at init; an append past it frees the buffer and returns ERR_TOO_BIG, so no
 * attacker-driven growth is possible. The content is always NUL-terminated.
 */
#ifndef DUIDING_CORE_BUF_H
#define DUIDING_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>

#define BUF_MAX_PAGE   (8u * 1024u * 1024u)   /* one rendered HTML page or JSON answer */
#define BUF_MAX_SMALL  (64u * 1024u)          /* headers, cookies, small strings */
#define BUF_MAX_EXPORT (512u * 1024u * 1024u) /* large exports */

/* Owned by: the caller's storage; release with buf_release() or transfer with buf_detach(). */
struct buf {
    char *p;    /* NULL until the first append; always NUL-terminated after one */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len + 1 */
};

/** Prepares an empty buffer that may hold at most max-1 bytes. */
void buf_init(struct buf *b, size_t max);
/** Frees the content; the buffer may be reused (same max). */
void buf_release(struct buf *b);
/** Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
/** Hands the content to the caller (free() it); *len_out optional. Buffer is empty after. */
char *buf_detach(struct buf *b, size_t *len_out);

/** Appends n bytes. 0, or ERR_TOO_BIG (buffer freed). */
int buf_append(struct buf *b, const void *p, size_t n);
/** Appends a NUL-terminated string. */
int buf_append_str(struct buf *b, const char *s);
/** Appends one byte. */
int buf_append_char(struct buf *b, char c);
/** printf-style append. */
int buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Appends s with & < > " ' escaped for HTML text or attribute values. */
int buf_append_html(struct buf *b, const char *s, size_t n);
/** Appends s as the inside of a JSON string (no quotes), escaping '<' as \u003c. */
int buf_append_json_str(struct buf *b, const char *s, size_t n);
/** Appends s percent-encoded for a URL query or path segment (RFC 3986 unreserved kept). */
int buf_append_urlenc(struct buf *b, const char *s, size_t n);

/** The content as a C string ("" when empty). Borrowed. */
const char *buf_cstr(const struct buf *b);

#endif
