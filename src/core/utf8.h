/*
 * utf8.h: UTF-8 validation at the boundary (HTTP params, CSV fields, XML text).
 */
#ifndef DUIDING_CORE_UTF8_H
#define DUIDING_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/**
 * True if p[0..n) is well-formed UTF-8 (no overlongs, no surrogates, max U+10FFFF).
 * If err_at is not NULL and the input is invalid, *err_at receives the offset of the first bad
 * byte.
 */
bool utf8_valid(const char *p, size_t n, size_t *err_at);
/** Number of code points in valid UTF-8 (for length limits that users understand). */
size_t utf8_count(const char *p, size_t n);
/** True if the text contains ASCII control characters other than \t \n \r. */
bool utf8_has_controls(const char *p, size_t n);

#endif
