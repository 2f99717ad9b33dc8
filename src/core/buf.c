/*
 * buf.c: the bounded buffer. Growth doubles up to the declared maximum; crossing it frees the
 * content so a caller that ignores one error cannot keep appending half a document.
 */
#include "core/buf.h"
#include "core/common.h"
#include "core/err.h"
#include "core/xalloc.h"

void buf_init(struct buf *b, size_t max)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_release(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len_out)
{
    char *p = b->p;
    if (len_out)
        *len_out = b->len;
    if (!p)
        p = xstrdup("");
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

static int grow(struct buf *b, size_t extra)
{
    /* len < max always holds for a live buffer, so max - len - 1 cannot wrap; comparing extra
     * against the room left (instead of computing len + extra + 1) cannot overflow either. */
    if (b->max == 0 || b->len >= b->max || extra > b->max - b->len - 1) {
        buf_release(b);
        return ERR_TOO_BIG;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > b->max / 2 ? b->max : cap * 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
    return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    int rc = grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int buf_append_str(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_append_char(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

int buf_appendf(struct buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    int rc = ERR_INVALID;
    if (n >= 0) {
        rc = grow(b, (size_t)n);
        if (!rc) {
            vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap2);
            b->len += (size_t)n;
        }
    }
    va_end(ap2);
    return rc;
}

int buf_append_html(struct buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        int rc = buf_append(b, s + start, i - start);
        if (!rc)
            rc = buf_append_str(b, rep);
        if (rc)
            return rc;
        start = i + 1;
    }
    return buf_append(b, s + start, n - start);
}

int buf_append_json_str(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[7];
        size_t elen = 2;
        esc[0] = '\\';
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
        } else if (c == '\n') {
            esc[1] = 'n';
        } else if (c == '\r') {
            esc[1] = 'r';
        } else if (c == '\t') {
            esc[1] = 't';
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
            /* < > & as \u escapes so JSON can sit inside <script type=application/json> */
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        } else {
            continue;
        }
        int rc = buf_append(b, s + start, i - start);
        if (!rc)
            rc = buf_append(b, esc, elen);
        if (rc)
            return rc;
        start = i + 1;
    }
    return buf_append(b, s + start, n - start);
}

int buf_append_urlenc(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int rc;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            rc = buf_append_char(b, (char)c);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = buf_append(b, enc, 3);
        }
        if (rc)
            return rc;
    }
    return 0;
}

const char *buf_cstr(const struct buf *b)
{
    return b->p ? b->p : "";
}
