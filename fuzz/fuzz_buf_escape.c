/*
 * fuzz_buf_escape.c: the escaping appenders of core/buf.c. Properties: HTML output contains
 * no raw < > " ' and unescaping the five entities gives the input back; JSON string output has
 * no raw control bytes, quotes, backslashes or < > & and decodes back to the input; URL
 * encoding keeps only unreserved characters and %XX and decodes back. When the buffer's limit
 * is hit the appender returns ERR_TOO_BIG and the buffer has been freed.
 */
#include "fuzz.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/common.h"

#define FUZZ_BUF_MAX 4096u /* small on purpose so that the limit path is exercised too */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void check_limit(struct buf *b, int rc)
{
    FUZZ_CHECK(rc == 0 || rc == ERR_TOO_BIG);
    if (rc == ERR_TOO_BIG)
        FUZZ_CHECK(b->p == NULL && b->len == 0);
    else /* NUL-terminated (p may still be NULL when nothing was appended) */
        FUZZ_CHECK(b->len < b->max && buf_cstr(b)[b->len] == '\0');
}

static void check_html(const char *in, size_t n)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    struct buf b;
    buf_init(&b, FUZZ_BUF_MAX);
    int rc = buf_append_html(&b, in, n);
    check_limit(&b, rc);
    if (rc)
        return;
    size_t j = 0;
    for (size_t i = 0; i < b.len;) {
        char c = b.p[i];
        FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
        if (c == '&') {
            size_t k = 0;
            while (k < ARRAY_LEN(ents) && strncmp(b.p + i, ents[k].ent, strlen(ents[k].ent)) != 0)
                k++;
            FUZZ_CHECK(k < ARRAY_LEN(ents)); /* every & starts one of our entities */
            FUZZ_CHECK(j < n && in[j] == ents[k].c);
            i += strlen(ents[k].ent);
        } else {
            FUZZ_CHECK(j < n && in[j] == c);
            i++;
        }
        j++;
    }
    FUZZ_CHECK(j == n);
    buf_release(&b);
}

static void check_json(const char *in, size_t n)
{
    struct buf b;
    buf_init(&b, FUZZ_BUF_MAX);
    int rc = buf_append_json_str(&b, in, n);
    check_limit(&b, rc);
    if (rc)
        return;
    size_t j = 0;
    for (size_t i = 0; i < b.len; j++) {
        unsigned char c = (unsigned char)b.p[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '"' && c != '<' && c != '>' && c != '&');
        FUZZ_CHECK(j < n);
        if (c != '\\') {
            FUZZ_CHECK(in[j] == (char)c);
            i++;
            continue;
        }
        FUZZ_CHECK(i + 1 < b.len);
        char e = b.p[i + 1], want;
        if (e == 'u') {
            FUZZ_CHECK(i + 5 < b.len && b.p[i + 2] == '0' && b.p[i + 3] == '0');
            int hi = hexval(b.p[i + 4]), lo = hexval(b.p[i + 5]);
            FUZZ_CHECK(hi >= 0 && lo >= 0);
            want = (char)(hi * 16 + lo);
            i += 6;
        } else {
            want = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
            FUZZ_CHECK(e == 'n' || e == 'r' || e == 't' || e == '"' || e == '\\');
            i += 2;
        }
        FUZZ_CHECK(in[j] == want);
    }
    FUZZ_CHECK(j == n);
    buf_release(&b);
}

static void check_url(const char *in, size_t n)
{
    struct buf b;
    buf_init(&b, FUZZ_BUF_MAX);
    int rc = buf_append_urlenc(&b, in, n);
    check_limit(&b, rc);
    if (rc)
        return;
    size_t j = 0;
    for (size_t i = 0; i < b.len; j++) {
        char c = b.p[i];
        FUZZ_CHECK(j < n);
        if (c == '%') {
            FUZZ_CHECK(i + 2 < b.len);
            int hi = hexval(b.p[i + 1]), lo = hexval(b.p[i + 2]);
            FUZZ_CHECK(hi >= 0 && lo >= 0);
            FUZZ_CHECK((unsigned char)in[j] == (unsigned)(hi * 16 + lo));
            i += 3;
        } else {
            FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~');
            FUZZ_CHECK(in[j] == c);
            i++;
        }
    }
    FUZZ_CHECK(j == n);
    buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    check_html(in, size);
    check_json(in, size);
    check_url(in, size);
    return 0;
}
