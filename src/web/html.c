/*
 * html.c: the HTML builder over a bounded buffer (BUF_MAX_PAGE). Every appender escapes;
 * only html_raw_ copies bytes verbatim, and its macro front restricts it to literals.
 */
#include "web/html.h"
#include "core/common.h"
#include "core/err.h"

void html_init(struct html *h)
{
    buf_init(&h->b, BUF_MAX_PAGE);
    h->err = 0;
}

void html_release(struct html *h)
{
    buf_release(&h->b);
}

int html_error(const struct html *h)
{
    return h->err;
}

static void track(struct html *h, int rc)
{
    if (rc && !h->err)
        h->err = rc;
}

void html_raw_(struct html *h, const char *lit, size_t n)
{
    if (!h->err)
        track(h, buf_append(&h->b, lit, n));
}

void html_textn(struct html *h, const char *s, size_t n)
{
    if (!h->err && s)
        track(h, buf_append_html(&h->b, s, n));
}

void html_text(struct html *h, const char *s)
{
    if (s)
        html_textn(h, s, strlen(s));
}

void html_int(struct html *h, int64_t v)
{
    if (!h->err)
        track(h, buf_appendf(&h->b, "%" PRId64, v));
}

static bool valid_attr_name(const char *name)
{
    if (!*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

static void attr_open(struct html *h, const char *name)
{
    /* Attribute names are code, never input; a bad one is a programmer error. */
    if (NEVER(!valid_attr_name(name))) {
        track(h, ERR_INTERNAL);
        return;
    }
    if (!h->err) {
        track(h, buf_append_char(&h->b, ' '));
        track(h, buf_append_str(&h->b, name));
        track(h, buf_append(&h->b, "=\"", 2));
    }
}

void html_attr(struct html *h, const char *name, const char *value)
{
    if (!value)
        return;
    attr_open(h, name);
    html_text(h, value);
    html_raw(h, "\"");
}

void html_attr_int(struct html *h, const char *name, int64_t v)
{
    attr_open(h, name);
    html_int(h, v);
    html_raw(h, "\"");
}

void html_attr_bool(struct html *h, const char *name, int on)
{
    if (!on || NEVER(!valid_attr_name(name)))
        return;
    if (!h->err) {
        track(h, buf_append_char(&h->b, ' '));
        track(h, buf_append_str(&h->b, name));
    }
}

static bool safe_url(const char *u)
{
    if (u[0] == '/' && u[1] != '/' && u[1] != '\\')
        return true; /* local path; "//host" would be protocol-relative */
    if (u[0] == '#' || u[0] == '?')
        return true;
    return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

void html_url_attr(struct html *h, const char *name, const char *url)
{
    if (!url)
        return;
    html_attr(h, name, safe_url(url) ? url : "#");
}

void html_textf(struct html *h, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    html_textn(h, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}
