/*
 * figures_context.c: context events and stories beside the figures (web/figures_context.h).
 * Everything goes through the domain (context_event_list, story_list), so what a user sees of
 * the stories is what the policy allows, exactly as on /verhalen.
 */
#include "web/figures_context.h"
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "web/page_kit.h"
#include <jansson.h>

void figures_context_load(struct http_req *req, const struct figures_opts *o, int64_t ind_id,
                          int max_stories, struct fig_context *out)
{
    struct mx_scope sc;
    struct err_ctx e = {0};
    int total = 0;
    memset(out, 0, sizeof *out);
    out->ind_id = ind_id;
    if (figures_scope(req, &sc) != 0)
        return;
    struct context_event_filter f = {.scoped = true, .limit = FIGCTX_MAX_EVENTS};
    const struct mx_where *g = &o->where[MX_DIM_GEMEENTE];
    const struct mx_where *a = &o->where[MX_DIM_AANBIEDER];
    if (g->n > 0) {
        f.scope_gemeenten = g->codes;
        f.nscope_gemeenten = (int)g->n;
    } else if (!sc.all_gemeenten) {
        f.scope_gemeenten = sc.gemeenten;
        f.nscope_gemeenten = (int)sc.ngemeenten;
    }
    if (f.nscope_gemeenten == 1)
        out->gemeente = f.scope_gemeenten[0];
    int64_t aanbieder = sc.aanbieder_id;
    if (a->n == 1)
        aanbieder = kit_id(a->codes[0]);
    f.scope_aanbieder = aanbieder;
    if (o->first.year > 0 && o->last.year > 0) {
        f.has_range = true;
        f.from = period_start(o->first);
        f.to = period_end(o->last);
    }
    if (context_event_list(req->arena, req->app->store, &req->actor, &f, &out->events,
                           &out->nevents, &total, &e) != 0) {
        out->events = NULL;
        out->nevents = 0;
    }
    if (ind_id <= 0 || max_stories <= 0)
        return;
    struct story_filter sf = {.indicator_id = ind_id,
                              .gemeente = out->gemeente,
                              .gemeente_or_none = out->gemeente != NULL,
                              .limit = max_stories};
    if (story_list(req->arena, req->app->store, &req->actor, &sf, &out->stories, &out->nstories,
                   &out->stories_total, &e) != 0) {
        out->stories = NULL;
        out->nstories = out->stories_total = 0;
    }
}

static json_t *day_json(day_t d)
{
    char s[11];
    day_format_iso(d, s);
    return json_string(s);
}

const char *figures_context_json(struct http_req *req, const char *view_json,
                                 const struct fig_context *c)
{
    if (!view_json || !c)
        return view_json;
    json_t *root = json_loads(view_json, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return view_json;
    }
    json_t *evs = json_array(), *sts = json_array();
    for (int i = 0; evs && i < c->nevents; i++) {
        const struct context_event *ev = &c->events[i];
        json_array_append_new(evs, json_pack("{s:o, s:o, s:s, s:I}", "datum", day_json(ev->on_date),
                                             "tot",
                                             ev->has_until ? day_json(ev->until_date) : json_null(),
                                             "label", ev->title, "id", (json_int_t)ev->id));
    }
    for (int i = 0; sts && i < c->nstories; i++) {
        const struct story *s = &c->stories[i];
        json_array_append_new(sts,
                              json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)s->id,
                                        "titel", s->title, "soort", story_kind_code(s->kind),
                                        "toestemming", story_consent_code(s->consent), "url",
                                        arena_printf(req->arena, "/verhalen/%" PRId64, s->id)));
    }
    json_object_set_new(root, "gebeurtenissen", evs ? evs : json_array());
    json_object_set_new(root, "verhalen", sts ? sts : json_array());
    char *dumped = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!dumped)
        return view_json;
    const char *out = arena_strdup(req->arena, dumped);
    free(dumped);
    return out ? out : view_json;
}

void figures_context_events_html(struct html *h, struct http_req *req, const struct fig_context *c)
{
    (void)req;
    if (!c || c->nevents == 0)
        return;
    html_raw(h, "<div class=\"duiding-context\"><h3 class=\"utrecht-heading-3\">");
    html_text(h, _("Gebeurtenissen in deze periode"));
    html_raw(h, "</h3><ul class=\"utrecht-unordered-list duiding-context__events\">");
    for (int i = 0; i < c->nevents; i++) {
        const struct context_event *ev = &c->events[i];
        html_raw(h, "<li>");
        kit_time_day(h, ev->on_date);
        if (ev->has_until && ev->until_date != ev->on_date) {
            html_text(h, " – ");
            kit_time_day(h, ev->until_date);
        }
        html_text(h, ": ");
        html_raw(h, "<a class=\"utrecht-link\"");
        html_url_attr(h, "href", arena_printf(req->arena, "/context/%" PRId64, ev->id));
        html_raw(h, ">");
        html_text(h, ev->title);
        html_raw(h, "</a>");
        if (ev->gemeente_name || ev->aanbieder_name) {
            html_text(h, " (");
            html_text(h, ev->gemeente_name ? ev->gemeente_name : ev->aanbieder_name);
            html_text(h, ")");
        }
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul></div>");
}

void figures_context_stories_html(struct html *h, struct http_req *req, const struct fig_context *c)
{
    if (!c || c->nstories == 0)
        return;
    html_raw(h, "<div class=\"duiding-context\"><h3 class=\"utrecht-heading-3\">");
    html_text(h, _("Verhalen bij deze cijfers"));
    html_raw(h, "</h3><ul class=\"utrecht-unordered-list duiding-context__stories\">");
    for (int i = 0; i < c->nstories; i++) {
        const struct story *s = &c->stories[i];
        html_raw(h, "<li><a class=\"utrecht-link\"");
        html_url_attr(h, "href", arena_printf(req->arena, "/verhalen/%" PRId64, s->id));
        html_raw(h, ">");
        html_text(h, s->title);
        html_raw(h, "</a> <span class=\"duiding-muted\">(");
        html_text(h, story_kind_label(s->kind));
        html_text(h, ", ");
        html_text(h, s->teller_role);
        html_raw(h, ")</span></li>");
    }
    html_raw(h, "</ul>");
    html_raw(h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
    html_url_attr(h, "href", arena_printf(req->arena, "/verhalen?indicator=%" PRId64, c->ind_id));
    html_raw(h, ">");
    html_text(h, _("Alle verhalen bij deze indicator"));
    html_raw(h, "</a></p>");
    html_raw(h, "</div>");
}

void figures_context_story_link(struct html *h, struct http_req *req, const struct fig_context *c,
                                int64_t ind_id)
{
    struct story_filter sf = {.indicator_id = ind_id,
                              .gemeente = c ? c->gemeente : NULL,
                              .gemeente_or_none = c && c->gemeente,
                              .limit = 1};
    struct story *rows = NULL;
    struct err_ctx e = {0};
    int n = 0, total = 0;
    if (ind_id <= 0 ||
        story_list(req->arena, req->app->store, &req->actor, &sf, &rows, &n, &total, &e) != 0 ||
        total == 0)
        return;
    html_raw(h, "<p class=\"utrecht-paragraph duiding-dash-card__line\"><a class=\"utrecht-link\"");
    html_url_attr(h, "href", arena_printf(req->arena, "/verhalen?indicator=%" PRId64, ind_id));
    html_raw(h, ">");
    html_textf(
        h,
        ngettext("%d verhaal bij dit cijfer", "%d verhalen bij dit cijfer", (unsigned long)total),
        total);
    html_raw(h, "</a></p>");
}
