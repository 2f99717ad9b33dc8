/*
 * qr_svg.c: QR codes as inline SVG (qr_svg.h). libqrencode makes the module matrix; this draws
 * every dark module as a 1x1 square in one path ("M x y h1 v1 h-1 z", runs of a row merged), in
 * a viewBox with a 4-module quiet zone, so the image is exact at any print size.
 */
#include "report/qr_svg.h"
#include "core/common.h"
#include <qrencode.h>

#define QUIET 4 /* modules of white around the code (ISO/IEC 18004) */

static QRcode *encode(const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > QR_SVG_TEXT_MAX)
        return NULL;
    return QRcode_encodeData((int)n, (const unsigned char *)text, 0, QR_ECLEVEL_M);
}

int qr_modules(const char *text, unsigned char **out, int *width)
{
    *out = NULL;
    *width = 0;
    QRcode *qr = encode(text);
    if (!qr)
        return text && strlen(text) > 0 && strlen(text) <= QR_SVG_TEXT_MAX ? ERR_NOMEM
                                                                           : ERR_INVALID;
    size_t cells = (size_t)qr->width * (size_t)qr->width;
    unsigned char *m = malloc(cells);
    if (!m) {
        QRcode_free(qr);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < cells; i++)
        m[i] = qr->data[i] & 1; /* bit 0: dark module; the other bits are qrencode's own */
    *out = m;
    *width = qr->width;
    QRcode_free(qr);
    return 0;
}

int qr_svg(struct buf *out, const char *text, const char *title, int size_mm)
{
    unsigned char *m = NULL;
    int w = 0;
    int ret = qr_modules(text, &m, &w);
    if (ret)
        return ret;
    int full = w + 2 * QUIET;
    if (size_mm < 10 || size_mm > 200)
        size_mm = 40;
    ret = buf_appendf(out,
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%dmm\" "
                      "height=\"%dmm\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
                      "<title>",
                      size_mm, size_mm, full, full);
    if (!ret && title)
        ret = buf_append_html(out, title, strlen(title));
    if (!ret)
        ret = buf_appendf(out,
                          "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
                          "<path fill=\"#000\" d=\"",
                          full, full);
    for (int y = 0; y < w && !ret; y++) {
        for (int x = 0; x < w && !ret;) {
            if (!m[y * w + x]) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && m[y * w + x + run])
                run++;
            ret = buf_appendf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    }
    if (!ret)
        ret = buf_append_str(out, "\"/></svg>");
    free(m);
    return ret;
}
