/*
 * request.c: input accessors for handlers: headers, query and form fields, cookies, path ids.
 * Everything is arena-backed and UTF-8 validated when parsed, so handlers see clean strings.
 */
#include "web/http.h"
#include "core/common.h"
#include "core/err.h"
#include "core/str.h"
#include "core/utf8.h"

static bool eq_nocase(const char *a, const char *b)
{
    return str_eq_nocase(str_from(a), str_from(b));
}

const char *http_header(struct http_req *req, const char *name)
{
    for (int i = 0; i < req->nheaders; i++)
        if (eq_nocase(req->headers[i].key, name))
            return req->headers[i].value;
    return NULL;
}

static const char *find(struct http_kv *kv, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(kv[i].key, name) == 0)
            return kv[i].value;
    return NULL;
}

const char *http_query(struct http_req *req, const char *name)
{
    return find(req->query, req->nquery, name);
}

const char *http_query_repeated(struct http_req *req)
{
    for (int i = 0; i < req->nquery; i++)
        for (int k = i + 1; k < req->nquery; k++)
            if (strcmp(req->query[i].key, req->query[k].key) == 0)
                return req->query[i].key;
    return NULL;
}

const char *http_form(struct http_req *req, const char *name)
{
    return find(req->form, req->nform, name);
}

const char **http_form_all(struct http_req *req, const char *name, int *n)
{
    int count = 0;
    for (int i = 0; i < req->nform; i++)
        if (strcmp(req->form[i].key, name) == 0)
            count++;
    const char **out = arena_calloc(req->arena, (size_t)count + 1, sizeof *out);
    int k = 0;
    if (out)
        for (int i = 0; i < req->nform; i++)
            if (strcmp(req->form[i].key, name) == 0)
                out[k++] = req->form[i].value;
    *n = out ? count : 0;
    return out;
}

const char *http_cookie(struct http_req *req, const char *name)
{
    const char *h = http_header(req, "Cookie");
    size_t nlen = strlen(name);
    if (!h)
        return NULL;
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *eq = strchr(p, '=');
        const char *end = strchr(p, ';');
        if (!end)
            end = p + strlen(p);
        if (eq && eq < end && (size_t)(eq - p) == nlen && memcmp(p, name, nlen) == 0) {
            const char *v = eq + 1;
            size_t vlen = (size_t)(end - v);
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                v++;
                vlen -= 2;
            }
            return arena_strndup(req->arena, v, vlen);
        }
        p = end;
    }
    return NULL;
}

int http_param_id_or_404(struct http_req *req, int i, int64_t *out)
{
    int64_t v;
    if (i < req->nparams && str_parse_i64_c(req->params[i], 1, INT64_MAX, &v) == 0) {
        *out = v;
        return 0;
    }
    if (req->is_api)
        http_resp_problem(req, 404, _("Niet gevonden"), _("Dit object bestaat niet."), NULL);
    else
        http_resp_text(req, 404, _("Niet gevonden"));
    return ERR_NOT_FOUND;
}

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

/* Decodes %XX and '+' into a new arena string; rejects bad escapes, NUL and invalid UTF-8. */
static int decode(struct arena *a, const char *s, size_t n, char **out, size_t *out_len)
{
    char *d = arena_alloc(a, n + 1);
    size_t k = 0;
    if (!d)
        return ERR_TOO_BIG;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n) /* truncated escape */
                return ERR_INVALID;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return ERR_INVALID;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0')
            return ERR_INVALID;
        d[k++] = c;
    }
    d[k] = '\0';
    if (!utf8_valid(d, k, NULL))
        return ERR_INVALID;
    *out = d;
    *out_len = k;
    return 0;
}

int http_parse_urlencoded(struct arena *a, const char *s, size_t n, struct http_kv **out,
                          int *count)
{
    int fields = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '&')
            fields++;
    fields++;
    if (fields > HTTP_MAX_FIELDS)
        return ERR_TOO_BIG;
    struct http_kv *kv = arena_calloc(a, (size_t)fields, sizeof *kv);
    if (!kv)
        return ERR_TOO_BIG;
    int k = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '&')
            continue;
        size_t len = i - start;
        const char *part = s + start;
        start = i + 1;
        if (len == 0)
            continue;
        const char *eq = memchr(part, '=', len);
        size_t klen = eq ? (size_t)(eq - part) : len;
        size_t vlen = eq ? len - klen - 1 : 0;
        if (vlen > HTTP_MAX_FIELD_LEN * 3 || klen > 256)
            return ERR_TOO_BIG;
        char *key, *val;
        size_t dk, dv;
        int rc = decode(a, part, klen, &key, &dk);
        if (!rc)
            rc = decode(a, eq ? eq + 1 : "", vlen, &val, &dv);
        if (rc)
            return rc;
        if (dv > HTTP_MAX_FIELD_LEN)
            return ERR_TOO_BIG;
        kv[k].key = key;
        kv[k].value = val;
        kv[k].value_len = dv;
        k++;
    }
    *out = kv;
    *count = k;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one. */
static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
    size_t n = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    if (n > left || !utf8_valid((const char *)p, n, NULL))
        return 0;
    return n;
}

/* Characters that must not reach a file name shown to people: C0/C1 controls, DEL, and the
 * bidirectional overrides that make "rapport\u202Epdf.exe" look like a PDF. */
static bool name_char_bad(const unsigned char *p, size_t n)
{
    if (n == 1)
        return p[0] < 0x20 || p[0] == 0x7f;
    if (n == 2)
        return p[0] == 0xC2 && p[1] < 0xA0;
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x80)
        return p[2] >= 0xAA && p[2] <= 0xAE; /* U+202A..U+202E */
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x81)
        return p[2] >= 0xA6 && p[2] <= 0xA9; /* U+2066..U+2069 */
    return false;
}

const char *http_sanitize_file_name(struct arena *a, const char *name, size_t len)
{
    const unsigned char *p = (const unsigned char *)(name ? name : "");
    char *out;
    size_t k = 0;
    if (!name)
        len = 0;
    out = arena_alloc(a, len + 1);
    if (!out)
        return "";
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (n == 0) {
            i++; /* an invalid byte is dropped */
            continue;
        }
        if (!name_char_bad(p + i, n)) {
            if (n == 1 && (p[i] == '/' || p[i] == '\\')) {
                k = 0; /* only the part after the last separator counts */
            } else {
                memcpy(out + k, p + i, n);
                k += n;
            }
        }
        i += n;
    }
    out[k] = '\0';
    /* Trim spaces, then cut on a character boundary. */
    size_t b = 0;
    while (out[b] == ' ')
        b++;
    while (k > b && out[k - 1] == ' ')
        k--;
    size_t keep = b;
    while (keep < k) {
        size_t n = utf8_seq_len((const unsigned char *)out + keep, k - keep);
        if (n == 0 || keep + n - b > HTTP_UPLOAD_NAME_MAX)
            break;
        keep += n;
    }
    while (keep > b && out[keep - 1] == ' ') /* the cut may end on a space */
        keep--;
    out[keep] = '\0';
    const char *r = out + b;
    if (strcmp(r, ".") == 0 || strcmp(r, "..") == 0)
        return "";
    return r;
}
