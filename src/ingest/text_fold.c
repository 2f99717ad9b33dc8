/*
 * text_fold.c: folding of export headers and coded values for comparison (see text_fold.h).
 * Only what Dutch exports need: ASCII, Latin-1 and Latin Extended-A letters (including the
 * Dutch ij ligature); every other letter is kept, everything else is a separator.
 */
#include "ingest/text_fold.h"
#include "core/common.h"

/* Base letters of U+00C0..U+00FF and U+0100..U+017F, lower case; '?' marks the special ones
 * (ligatures, thorn, sharp s, multiplication and division signs). */
static const char latin1[] = "aaaaaa?ceeeeiiii"
                             "dnooooo?ouuuuy??"
                             "aaaaaa?ceeeeiiii"
                             "dnooooo?ouuuuy?y";
static const char latin_ext_a[] = "aaaaaaccccccccdd"
                                  "ddeeeeeeeeeegggg"
                                  "gggghhhhiiiiiiii"
                                  "ii??jjkkklllllll"
                                  "lllnnnnnnnnnoooo"
                                  "oo??rrrrrrssssss"
                                  "ssttttttuuuuuuuu"
                                  "uuuuwwyyyzzzzzzs";

/* Decodes one UTF-8 sequence at s[0..n); *len receives its length (1 for an invalid byte,
 * which then decodes as U+FFFD). */
static uint32_t decode(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t c = s[0];
    size_t need;
    uint32_t min;
    *len = 1;
    if (c < 0x80)
        return c;
    if ((c & 0xe0) == 0xc0) {
        need = 1;
        c &= 0x1f;
        min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        need = 2;
        c &= 0x0f;
        min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        need = 3;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0xfffd;
    }
    if (need >= n)
        return 0xfffd;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0xfffd;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0xfffd;
    *len = need + 1;
    return c;
}

/* The folded form of code point c: up to 2 ASCII bytes in out (returns their count), 0 for a
 * separator, or -1 to keep the original bytes. */
static int fold_cp(uint32_t c, char out[2])
{
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z') {
            out[0] = (char)(c - 'A' + 'a');
            return 1;
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out[0] = (char)c;
            return 1;
        }
        return 0;
    }
    if (c < 0xc0 || c == 0xd7 || c == 0xf7 || c == 0xfffd || c == 0xfeff ||
        (c >= 0x2000 && c <= 0x206f) || c == 0x3000)
        return 0; /* symbols, no-break space, general punctuation, BOM */
    const char *two = NULL;
    char one = 0;
    if (c <= 0xff) {
        one = latin1[c - 0xc0];
        if (one == '?')
            two = (c == 0xc6 || c == 0xe6) ? "ae" : (c == 0xdf) ? "ss" : "th";
    } else if (c <= 0x17f) {
        one = latin_ext_a[c - 0x100];
        if (one == '?')
            two = (c == 0x132 || c == 0x133) ? "ij" : "oe";
    } else {
        return -1;
    }
    if (two) {
        out[0] = two[0];
        out[1] = two[1];
        return 2;
    }
    out[0] = one;
    return 1;
}

size_t text_fold(const char *s, size_t n, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = 0, i = 0;
    bool space = false;
    if (cap == 0)
        return 0;
    while (s && i < n) {
        size_t clen;
        char f[2];
        uint32_t c = decode(p + i, n - i, &clen);
        int k = fold_cp(c, f);
        const char *add = k > 0 ? f : (const char *)p + i;
        size_t addn = k > 0 ? (size_t)k : clen;
        i += clen;
        if (k == 0) {
            space = len > 0;
            continue;
        }
        if (len + (space ? 1 : 0) + addn >= cap)
            break;
        if (space)
            out[len++] = ' ';
        space = false;
        memcpy(out + len, add, addn);
        len += addn;
    }
    out[len] = '\0';
    return len;
}

bool text_fold_eq(const char *a, size_t an, const char *b, size_t bn)
{
    char fa[TEXT_FOLD_MAX], fb[TEXT_FOLD_MAX];
    size_t la = text_fold(a, an, fa, sizeof fa);
    size_t lb = text_fold(b, bn, fb, sizeof fb);
    return la == lb && memcmp(fa, fb, la) == 0;
}
