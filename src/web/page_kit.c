/*
 * page_kit.c: shared building blocks of the beheer pages (see page_kit.h). Times are shown in
 * Amsterdam local time (core/local_time.h).
 */
#include "web/page_kit.h"
#include "core/common.h"
#include "core/local_time.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/role.h"
#include "web/app.h"

void kit_time_from_unix(int64_t t, bool seconds, char out[static KIT_TIME_MAX])
{
    local_time_format(t, seconds, out);
}

bool kit_time_from_iso(const char *iso, bool seconds, char out[static KIT_TIME_MAX])
{
    return local_time_from_iso(iso, seconds, out);
}

static void time_element(struct html *h, int64_t t, bool seconds)
{
    char local[KIT_TIME_MAX], iso[LOCAL_TIME_MAX];
    local_time_iso(t, iso);
    kit_time_from_unix(t, seconds, local);
    /* nowrap: a "-" in the date would otherwise let narrow columns break it. */
    html_raw(h, "<time class=\"duiding-nowrap\"");
    if (iso[0])
        html_attr(h, "datetime", iso);
    html_raw(h, ">");
    html_text(h, local);
    html_raw(h, "</time>");
}

void kit_time_iso(struct html *h, const char *iso, bool seconds, const char *none)
{
    int64_t t;
    if (!iso || !*iso)
        html_text(h, none);
    else if (local_time_parse_iso(iso, &t))
        time_element(h, t, seconds);
    else
        html_text(h, iso);
}

void kit_time_unix(struct html *h, int64_t t, bool seconds, const char *none)
{
    if (t <= 0)
        html_text(h, none);
    else
        time_element(h, t, seconds);
}

void kit_filter_begin(struct html *h, const char *action, const char *label)
{
    html_raw(h, "<form class=\"utrecht-form duiding-filter\" method=\"get\" role=\"search\"");
    html_url_attr(h, "action", action);
    html_attr(h, "aria-label", label);
    html_raw(h, ">");
}

void kit_filter_text(struct html *h, const char *name, const char *label, const char *value,
                     const char *hint)
{
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
                "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-");
    html_text(h, name);
    html_raw(h, "\">");
    html_text(h, label);
    html_raw(h, "</label></div>");
    if (hint) {
        html_raw(h, "<div class=\"utrecht-form-field-description utrecht-form-field__description\" "
                    "id=\"hint-");
        html_text(h, name);
        html_raw(h, "\">");
        html_text(h, hint);
        html_raw(h, "</div>");
    }
    html_raw(h, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
                "utrecht-textbox--html-input\" type=\"search\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    html_attr(h, "value", value);
    if (hint) {
        html_raw(h, " aria-describedby=\"hint-");
        html_text(h, name);
        html_raw(h, "\"");
    }
    html_raw(h, "></div></div>");
}

int kit_org_options(struct http_req *req, enum org_kind kind, const char *first,
                    struct form_option **out)
{
    struct org_filter f = {.kind = (int)kind, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int n = 0, total = 0;
    *out = NULL;
    if (org_list(req->arena, req->app->store, &req->actor, &f, &orgs, &n, &total) != 0)
        n = 0;
    struct form_option *opts = arena_calloc(req->arena, (size_t)n + 1, sizeof *opts);
    if (!opts)
        return 0;
    int k = 0;
    opts[k++] = (struct form_option){"", first};
    for (int i = 0; i < n; i++) {
        const char *v = kind == ORG_GEMEENTE ? orgs[i].cbs_code
                                             : arena_printf(req->arena, "%" PRId64, orgs[i].id);
        if (v)
            opts[k++] = (struct form_option){v, orgs[i].name};
    }
    *out = opts;
    return k;
}

void kit_filter_check(struct html *h, const char *name, const char *label, bool on)
{
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\">"
                "<div class=\"utrecht-form-field__input\"><input type=\"checkbox\" "
                "class=\"utrecht-checkbox utrecht-checkbox--html-input\" value=\"1\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    html_attr_bool(h, "checked", on);
    html_raw(h, "></div><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
                "utrecht-form-label--checkbox\" for=\"veld-");
    html_text(h, name);
    html_raw(h, "\">");
    html_text(h, label);
    html_raw(h, "</label></div></div>");
}

void kit_filter_end(struct html *h, const char *reset_href)
{
    html_raw(h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                "class=\"utrecht-button utrecht-button--secondary-action\">");
    html_text(h, _("Filteren"));
    html_raw(h, "</button><a class=\"utrecht-link duiding-filter__reset\"");
    html_url_attr(h, "href", reset_href);
    html_raw(h, ">");
    html_text(h, _("Alles tonen"));
    html_raw(h, "</a></div></form>");
}

void kit_button_link(struct html *h, const char *href, const char *label, bool primary)
{
    html_raw(h, "<a class=\"utrecht-button-link utrecht-button-link--html-a ");
    if (primary)
        html_raw(h, "utrecht-button-link--primary-action\"");
    else
        html_raw(h, "utrecht-button-link--secondary-action\"");
    html_url_attr(h, "href", href);
    html_raw(h, ">");
    html_text(h, label);
    html_raw(h, "</a>");
}

void kit_actions_begin(struct html *h)
{
    html_raw(h, "<div class=\"utrecht-button-group duiding-actions\">");
}

void kit_buttons_begin(struct html *h)
{
    html_raw(h, "<div class=\"utrecht-button-group\">");
}

void kit_actions_end(struct html *h)
{
    html_raw(h, "</div>");
}

void kit_para(struct html *h, const char *text)
{
    html_raw(h, "<p class=\"utrecht-paragraph\">");
    html_text(h, text);
    html_raw(h, "</p>");
}

void kit_h2(struct html *h, const char *text)
{
    kit_h2_id(h, NULL, text);
}

void kit_h2_id(struct html *h, const char *id, const char *text)
{
    html_raw(h, "<h2 class=\"utrecht-heading-2\"");
    if (id)
        html_attr(h, "id", id);
    html_raw(h, ">");
    html_text(h, text);
    html_raw(h, "</h2>");
}

void kit_dl_begin(struct html *h)
{
    html_raw(h, "<dl class=\"utrecht-data-list utrecht-data-list--rows\">");
}

void kit_dl_item_begin(struct html *h, const char *key)
{
    html_raw(h,
             "<div class=\"utrecht-data-list__item\"><dt class=\"utrecht-data-list__item-key\">");
    html_text(h, key);
    html_raw(h, "</dt><dd class=\"utrecht-data-list__item-value "
                "utrecht-data-list__item-value--html-dd\">");
}

void kit_dl_item_end(struct html *h)
{
    html_raw(h, "</dd></div>");
}

void kit_dl_item(struct html *h, const char *key, const char *value)
{
    kit_dl_item_begin(h, key);
    html_text(h, value && *value ? value : "–");
    kit_dl_item_end(h);
}

void kit_dl_end(struct html *h)
{
    html_raw(h, "</dl>");
}

void kit_cell_begin(struct html *h)
{
    html_raw(h, "<td class=\"utrecht-table__cell\">");
}

void kit_cell_end(struct html *h)
{
    html_raw(h, "</td>");
}

int kit_offset(struct http_req *req)
{
    int64_t v = 0;
    const char *s = http_query(req, "offset");
    if (!s || str_parse_i64_c(s, 0, KIT_OFFSET_MAX, &v))
        return 0;
    return (int)v;
}

int64_t kit_id(const char *s)
{
    int64_t v = 0;
    if (!s || str_parse_i64_c(s, 1, INT64_MAX, &v))
        return 0;
    return v;
}

const char *kit_trimmed(struct arena *a, const char *s)
{
    struct str t = str_trim(str_from(s));
    if (t.len == 0)
        return NULL;
    return arena_strndup(a, t.p, t.len);
}

const char *kit_url(struct arena *a, const char *path, const char *const *kv, int npairs)
{
    struct buf b;
    const char *res = path;
    bool first = true;
    int rc = 0;
    buf_init(&b, BUF_MAX_SMALL);
    rc = buf_append_str(&b, path);
    for (int i = 0; rc == 0 && i < npairs; i++) {
        const char *k = kv[2 * i], *v = kv[2 * i + 1];
        /* An overlong search term is left out rather than cut inside a UTF-8 sequence. */
        if (!v || !*v || strlen(v) > KIT_QUERY_MAX)
            continue;
        rc = buf_append_char(&b, first ? '?' : '&');
        if (!rc)
            rc = buf_append_urlenc(&b, k, strlen(k));
        if (!rc)
            rc = buf_append_char(&b, '=');
        if (!rc)
            rc = buf_append_urlenc(&b, v, strlen(v));
        first = false;
    }
    if (rc == 0) {
        char *copy = arena_strndup(a, buf_cstr(&b), b.len);
        if (copy)
            res = copy;
    }
    buf_release(&b);
    return res;
}

const char *kit_roles_text(struct arena *a, uint32_t roles)
{
    struct buf b;
    const char *res = "";
    int rc = 0;
    buf_init(&b, BUF_MAX_SMALL);
    for (int i = 0; i < ROLE_COUNT && rc == 0; i++) {
        enum role r = role_at(i);
        if (!(roles & (uint32_t)r))
            continue;
        if (b.len)
            rc = buf_append_str(&b, ", ");
        if (!rc)
            rc = buf_append_str(&b, role_label(r));
    }
    if (rc == 0 && b.len) {
        char *copy = arena_strndup(a, buf_cstr(&b), b.len);
        if (copy)
            res = copy;
    }
    buf_release(&b);
    return res;
}

/* Lower case without '_', '-' and '.', so "display_name", "displayName" and "display-name"
 * all compare equal. */
static void normalise(const char *s, char *out, size_t n)
{
    size_t j = 0;
    for (; *s && j + 1 < n; s++) {
        char c = *s;
        if (c == '_' || c == '-' || c == '.')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[j++] = c;
    }
    out[j] = '\0';
}

/* True if word occurs as a whole space-separated word in list. */
static bool word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    const char *p = list;
    while (n && (p = strstr(p, word)) != NULL) {
        bool start = p == list || p[-1] == ' ';
        bool end = p[n] == '\0' || p[n] == ' ';
        if (start && end)
            return true;
        p += n;
    }
    return false;
}

void kit_error_add(struct form_errors *fe, const struct err_ctx *e, const struct kit_field *map,
                   int nmap)
{
    struct err_ctx copy = *e;
    char norm[64];
    copy.field = NULL;
    if (e->field) {
        normalise(e->field, norm, sizeof norm);
        for (int i = 0; i < nmap; i++) {
            if (strcmp(e->field, map[i].form) == 0 || word_in(map[i].aliases, norm)) {
                copy.field = map[i].form;
                break;
            }
        }
    }
    if (!copy.msg[0])
        snprintf(copy.msg, sizeof copy.msg, "%s",
                 _("Controleer de gegevens en probeer het opnieuw."));
    form_error_add(fe, &copy);
}

void kit_error(struct form_errors *fe, const char *field, const char *msg)
{
    struct err_ctx e = {.code = ERR_INVALID, .field = field};
    snprintf(e.msg, sizeof e.msg, "%s", msg);
    form_error_add(fe, &e);
}

void kit_fail(struct http_req *req, int rc)
{
    switch (rc) {
    case ERR_DENIED:
        page_error(req, 403, NULL);
        break;
    case ERR_NOT_FOUND:
        page_error(req, 404, NULL);
        break;
    case ERR_CONFLICT:
        page_error(req, 409, NULL);
        break;
    case ERR_BUSY:
        page_error(req, 503, NULL);
        break;
    default:
        page_error(req, 500, NULL);
        break;
    }
}

void kit_set_archived(struct http_req *req, kit_archive_fn set, const char *base, bool archived)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    struct err_ctx e = {0};
    int rc = set(req->app->store, &req->actor, id, archived, &e);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, arena_printf(req->arena, "%s/%" PRId64 "%s", base, id,
                                    archived ? "?melding=gearchiveerd" : "?melding=hersteld"));
}

void kit_time_day(struct html *h, day_t d)
{
    char iso[11], out[40];
    day_format_iso(d, iso);
    date_format_long(d, out, sizeof out);
    html_raw(h, "<time");
    html_attr(h, "datetime", iso);
    html_raw(h, ">");
    html_text(h, out);
    html_raw(h, "</time>");
}

bool kit_parse_day(const char *s, day_t *out)
{
    struct str t = str_trim(str_from(s));
    return t.len > 0 && (str_parse_date_iso(t, out) == 0 || str_parse_date_nl(t, out) == 0);
}

const char *kit_day_iso(struct arena *a, day_t d)
{
    char s[11];
    day_format_iso(d, s);
    return arena_strdup(a, s);
}
