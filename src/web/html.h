/*
 * html.h: escaping-by-construction HTML builder. Text and attribute values are always escaped;
 * raw markup can only come from string literals (html_raw is a macro that refuses variables),
 * so user data cannot inject markup. Errors are sticky: check html_error() once at the end.
 */
#ifndef DUIDING_WEB_HTML_H
#define DUIDING_WEB_HTML_H

#include "core/buf.h"
#include <stddef.h>
#include <stdint.h>

/* Owned by: the caller's stack; release with html_release() unless detached by page_send. */
struct html {
    struct buf b;
    int err; /* first error (ERR_TOO_BIG), sticky */
};

void html_init(struct html *h);
void html_release(struct html *h);
/** 0, or the first error that happened while building. */
int html_error(const struct html *h);

/* Literal markup only: `html_raw(h, "<p>")`. Passing a variable does not compile. */
#define html_raw(h, lit) html_raw_((h), "" lit "", sizeof(lit) - 1)
void html_raw_(struct html *h, const char *lit, size_t n);

/** Escaped text (NULL writes nothing). */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t n);
/** Decimal integer. */
void html_int(struct html *h, int64_t v);
/** ` name="value"` with value escaped; name must be a literal attribute name. NULL value: nothing.
 */
void html_attr(struct html *h, const char *name, const char *value);
/** ` name="123"`. */
void html_attr_int(struct html *h, const char *name, int64_t v);
/** ` name` (boolean attribute) when on. */
void html_attr_bool(struct html *h, const char *name, int on);
/**
 * ` name="url"` for href/action/src: only relative URLs starting with '/' or '#', or
 * http(s) absolute URLs, are written; anything else (javascript:, data:) becomes "#".
 */
void html_url_attr(struct html *h, const char *name, const char *url);
/** Escaped text formatted printf-style: for numbers and already-safe formats. Output is escaped. */
void html_textf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
