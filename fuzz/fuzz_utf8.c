/*
 * fuzz_utf8.c: differential test of utf8_valid against a straightforward reference decoder
 * written from the definition (decode the code point, then reject overlongs, surrogates and
 * values above U+10FFFF), plus utf8_count and utf8_has_controls on the same input.
 */
#include "fuzz.h"
#include "core/utf8.h"
#include "core/common.h"

/* Decodes one sequence at p[0..n). Returns its length, or 0 if it is not well-formed. */
static size_t ref_decode(const unsigned char *p, size_t n, uint32_t *cp_out)
{
    size_t len;
    uint32_t cp, min;
    if (p[0] < 0x80) {
        *cp_out = p[0];
        return 1;
    } else if ((p[0] & 0xE0) == 0xC0) {
        len = 2;
        cp = p[0] & 0x1Fu;
        min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        len = 3;
        cp = p[0] & 0x0Fu;
        min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        len = 4;
        cp = p[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0; /* continuation byte or 0xF8..0xFF */
    }
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *cp_out = cp;
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i = 0, count = 0;
    bool ref_ok = true, ref_controls = false;
    while (i < size) {
        uint32_t cp;
        size_t len = ref_decode(data + i, size - i, &cp);
        if (!len) {
            ref_ok = false;
            break;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
            ref_controls = true;
        count++;
        i += len;
    }
    size_t err_at = SIZE_MAX;
    bool ok = utf8_valid((const char *)data, size, &err_at);
    FUZZ_CHECK(ok == ref_ok);
    if (ok) {
        FUZZ_CHECK(err_at == SIZE_MAX); /* untouched */
        FUZZ_CHECK(utf8_count((const char *)data, size) == count);
        FUZZ_CHECK(utf8_has_controls((const char *)data, size) == ref_controls);
    } else {
        FUZZ_CHECK(err_at == i); /* the start of the first bad sequence */
        FUZZ_CHECK(utf8_valid((const char *)data, i, NULL)); /* everything before it is fine */
    }
    return 0;
}
