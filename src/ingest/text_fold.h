/*
 * text_fold.h: folding of header names and coded values from providers' exports for
 * comparison: lower case, Latin accents dropped ("Cliënt" -> "client"), and every run of
 * punctuation or white space one single space ("Datum_aanvang." -> "datum aanvang"). Used
 * to match column headers (profile.c, registration.c) and value maps.
 */
#ifndef DUIDING_INGEST_TEXT_FOLD_H
#define DUIDING_INGEST_TEXT_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* Folded text longer than this is cut (headers and codes are short). */
#define TEXT_FOLD_MAX 256

/**
 * Folds s[0..n) into out (NUL-terminated, at most cap-1 bytes, cut at a character boundary).
 * Returns the length written. Letters outside Latin-1/Latin Extended-A are kept as they are;
 * invalid UTF-8 bytes count as punctuation.
 */
size_t text_fold(const char *s, size_t n, char *out, size_t cap);
/** True if a and b fold to the same text. */
bool text_fold_eq(const char *a, size_t an, const char *b, size_t bn);

#endif
