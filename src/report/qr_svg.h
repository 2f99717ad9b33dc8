/*
 * qr_svg.h: a QR code as an inline SVG image (libqrencode encodes, this draws): one <path> of
 * unit squares with a 4-module quiet zone, crisp edges, and a <title> for screen readers.
 */
#ifndef DUIDING_REPORT_QR_SVG_H
#define DUIDING_REPORT_QR_SVG_H

#include "core/buf.h"
#include "core/err.h"
#include <stddef.h>

#define QR_SVG_TEXT_MAX 1024 /* longest payload accepted */

/**
 * Appends <svg ...>...</svg> for text (UTF-8, 8-bit mode, error correction level M) to out,
 * drawn size_mm millimetres wide. title is the accessible name (escaped). ERR_INVALID for
 * empty or too long text, ERR_NOMEM.
 */
int qr_svg(struct buf *out, const char *text, const char *title, int size_mm);

/** The module matrix (1 = dark) of text as qrencode makes it, for tests: *width modules per
 *  side, *out malloc'd width*width bytes (caller frees). */
int qr_modules(const char *text, unsigned char **out, int *width);

#endif
