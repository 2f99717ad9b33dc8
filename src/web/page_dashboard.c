/*
 * page_dashboard.c: GET /dashboard — the indicators people look at first, as cards grouped by
 * the three RBA questions (and by groep), each with its latest figure against the target and
 * the regional benchmark, a small trend chart and its table. The subject is a societal result
 * (?resultaat=ID: the indicators linked to it), a gemeente (?gemeente=CBS code) or an aanbieder
 * (?aanbieder=org id), by default the user's own organisation. Below the cards a comparison:
 * a gemeente sees the aanbieders it contracts, a region its gemeenten, a provider its own
 * clients per gemeente. Figures come only through web/figures.h; the scope is the policy's.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "store/indicator_store.h"
#include "store/store.h"
#include "web/action_panel.h"
#include "web/figures.h"
#include "web/figures_context.h"
#include "web/figures_page.h"
#include "web/page.h"
#include "web/router.h"
#include <math.h>

#define DASH_MAX_RESULTS 200 /* results offered in the subject menu */

struct card {
    const struct ind_catalog_entry *ind;
    struct mx_view view;
    int rc;
    struct err_ctx e;
    bool empty; /* computed, nothing counted in any period: listed at the end, not a card */
};

struct dash {
    struct http_req *req;
    struct mx_scope sc;
    struct figures_opts base;
    struct result result; /* when ?resultaat= */
    bool has_result;
    const char *subject; /* "Emmen", "Zorgaanbieder X", "alle gemeenten" */
    enum mx_dim compare_dim;
    struct card *cards;
    size_t ncards;
    struct fig_context ctx; /* context events of the subject (web/figures_context.h) */
};

static bool may_view_figures(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_FIGURES,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return policy_allows(&req->actor, ACT_VIEW, &o);
}

/* Whom the figures are about, in words. */
static const char *subject_text(struct dash *d)
{
    struct http_req *req = d->req;
    const struct mx_where *g = &d->base.where[MX_DIM_GEMEENTE];
    const struct mx_where *a = &d->base.where[MX_DIM_AANBIEDER];
    char own[32];
    if (a->n == 1 && g->n == 1)
        return arena_printf(req->arena, _("%s in %s"),
                            figures_label(req, MX_DIM_AANBIEDER, a->codes[0]),
                            figures_label(req, MX_DIM_GEMEENTE, g->codes[0]));
    if (a->n == 1)
        return figures_label(req, MX_DIM_AANBIEDER, a->codes[0]);
    if (g->n == 1)
        return figures_label(req, MX_DIM_GEMEENTE, g->codes[0]);
    if (d->sc.aanbieder_id != 0) {
        snprintf(own, sizeof own, "%" PRId64, d->sc.aanbieder_id);
        return figures_label(req, MX_DIM_AANBIEDER, arena_strdup(req->arena, own));
    }
    if (!d->sc.all_gemeenten && d->sc.ngemeenten == 1)
        return figures_label(req, MX_DIM_GEMEENTE, d->sc.gemeenten[0]);
    if (!d->sc.all_gemeenten) {
        struct org o;
        if (org_get_internal(req->arena, req->app->store, req->actor.org_id, &o) == 0)
            return o.name;
        return _("uw gemeenten");
    }
    return _("alle gemeenten");
}

/* What the comparison below the cards is per: the natural "who is next to whom". */
static enum mx_dim compare_dim(const struct dash *d)
{
    const struct mx_where *g = &d->base.where[MX_DIM_GEMEENTE];
    const struct mx_where *a = &d->base.where[MX_DIM_AANBIEDER];
    if (a->n == 1 || d->sc.aanbieder_id != 0)
        return MX_DIM_GEMEENTE; /* one provider: its clients per gemeente */
    if (g->n == 1 || (!d->sc.all_gemeenten && d->sc.ngemeenten == 1))
        return MX_DIM_AANBIEDER; /* one gemeente: the providers it contracts */
    return MX_DIM_GEMEENTE;      /* a region: its gemeenten */
}

/* The indicators of the dashboard: those linked to the result, or the whole catalogue. */
static int pick_indicators(struct dash *d, struct ind_catalog_entry *cat, size_t ncat)
{
    struct http_req *req = d->req;
    d->cards = arena_calloc(req->arena, ncat ? ncat : 1, sizeof *d->cards);
    if (!d->cards)
        return ERR_NOMEM;
    /* A rate per 1,000 inhabitants belongs to a gemeente; for one provider it means nothing. */
    bool provider = d->sc.aanbieder_id != 0 || d->base.where[MX_DIM_AANBIEDER].n > 0;
    if (!d->has_result) {
        for (size_t i = 0; i < ncat; i++)
            if (!(provider && cat[i].def.agg == IND_AGG_RATE))
                d->cards[d->ncards++].ind = &cat[i];
        return 0;
    }
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = indicator_store_result_links(req->arena, store_reader(req->app->store), d->result.id,
                                          &ids, &n);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ncat; j++)
            if (cat[j].id == ids[i]) {
                if (!(provider && cat[j].def.agg == IND_AGG_RATE))
                    d->cards[d->ncards++].ind = &cat[j];
                break;
            }
    return 0;
}

/* The heading of a groep: known codes get a readable name, others their code with a capital. */
static const char *group_label(struct arena *a, const char *g)
{
    static const struct {
        const char *code, *label;
    } known[] = {
        {"volume", N_("Aantallen")},
        {"proces", N_("Doorlooptijd en wachttijd")},
        {"uitkomst_jeugd", N_("Uitkomsten van jeugdhulp")},
        {"toegang", N_("Toegang: ervaringen van Wmo-cliënten")},
        {"kwaliteit", N_("Kwaliteit: ervaringen van Wmo-cliënten")},
        {"effect", N_("Effect: ervaringen van Wmo-cliënten")},
    };
    if (!g)
        return "";
    for (size_t i = 0; i < ARRAY_LEN(known); i++)
        if (strcmp(g, known[i].code) == 0)
            return _(known[i].label);
    char *s = arena_strdup(a, g);
    if (!s)
        return g;
    for (char *p = s; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (*s >= 'a' && *s <= 'z')
        *s = (char)(*s - 'a' + 'A');
    return s;
}

/* The link from a card to the indicator page, keeping the subject and the period. */
static const char *indicator_href(struct dash *d, int64_t id, const char *extra)
{
    static const char *const drop[] = {"resultaat", "vergelijk", "per", "per2"};
    const char *q = fp_query_string(d->req, drop, (int)ARRAY_LEN(drop));
    return arena_printf(d->req->arena, "/indicatoren/%" PRId64 "%s%s%s%s", id,
                        *q || extra ? "?" : "", q, *q && extra ? "&" : "", extra ? extra : "");
}

static void card(struct html *h, struct dash *d, struct card *c, bool in_group)
{
    struct http_req *req = d->req;
    const struct ind_def *def = &c->ind->def;
    char hid[48], json_id[48], caption[400];
    const char *href = indicator_href(d, c->ind->id, NULL);

    snprintf(hid, sizeof hid, "kaart-%" PRId64, c->ind->id);
    snprintf(json_id, sizeof json_id, "kaart-cijfers-%" PRId64, c->ind->id);
    html_raw(h, "<li class=\"duiding-dash-card\"><article");
    html_attr(h, "aria-labelledby", hid);
    html_raw(h, ">");
    if (in_group)
        html_raw(h, "<h4 class=\"utrecht-heading-4 duiding-dash-card__title\"");
    else
        html_raw(h, "<h3 class=\"utrecht-heading-3 duiding-dash-card__title\"");
    html_attr(h, "id", hid);
    html_raw(h, "><a class=\"utrecht-link\"");
    html_url_attr(h, "href", href);
    html_raw(h, ">");
    html_text(h, def->name && *def->name ? def->name : def->code);
    html_raw(h, "</a>");
    if (in_group)
        html_raw(h, "</h4>");
    else
        html_raw(h, "</h3>");

    if (c->rc != 0) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, c->rc == ERR_INVALID && c->e.msg[0] ? c->e.msg
                                                         : _("Nu geen cijfers beschikbaar."));
        html_raw(h, "</p></article></li>");
        return;
    }
    const struct mx_view *v = &c->view;
    const struct mx_vcell *latest = fp_latest_total(v);
    html_raw(h, "<p class=\"utrecht-paragraph duiding-dash-card__value\">");
    if (latest) {
        char val[FP_NUM_MAX];
        mx_view_format_value(v, latest, val, sizeof val);
        html_raw(h, "<span class=\"duiding-big-num\">");
        html_text(h, val);
        html_raw(h, "</span> <span class=\"duiding-muted\">");
        html_text(h, fp_period_label(req->arena, v, latest->period_idx));
        html_raw(h, "</span>");
    } else {
        html_raw(h, "<span class=\"duiding-big-num\">.</span> <span class=\"duiding-muted\">");
        html_text(h, fp_no_figure_text(v));
        html_raw(h, "</span>");
    }
    html_raw(h, "</p>");
    if (latest && !isnan(latest->prev)) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-dash-card__line\">");
        fp_trend(h, v, latest);
        html_raw(h, "</p>");
    }
    if (latest && !isnan(latest->target)) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-dash-card__line\">");
        fp_target_text(h, v, latest);
        html_raw(h, "</p>");
    }
    if (fp_bench_shown(v, latest)) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-dash-card__line duiding-muted\">");
        fp_bench_text(h, v, latest);
        html_raw(h, "</p>");
    }
    fp_json_script(
        h, json_id,
        figures_context_json(req, mx_view_to_json(v, figures_label, req, req->arena), &d->ctx));
    snprintf(caption, sizeof caption, _("Verloop: %s"),
             def->name && *def->name ? def->name : def->code);
    fp_chart(h, v, "trend", json_id, caption, NULL, true);
    html_raw(h, "<details class=\"duiding-dash-card__table\"><summary>");
    html_text(h, _("Alle cijfers in een tabel"));
    html_raw(h, "</summary>");
    char tid[48];
    snprintf(tid, sizeof tid, "kaart-tabel-%" PRId64, c->ind->id);
    fp_table(h, req, v, caption, tid, FP_ROWS_TOTALS, -1);
    html_raw(h, "</details>");
    figures_context_story_link(h, req, &d->ctx, c->ind->id);
    html_raw(h, "</article></li>");
}

static void quadrant_section(struct html *h, struct dash *d, enum ind_quadrant q)
{
    bool any = false;
    for (size_t i = 0; i < d->ncards && !any; i++)
        any = d->cards[i].ind->def.quadrant == q && !d->cards[i].empty;
    if (!any)
        return;
    html_raw(
        h, "<section class=\"duiding-section duiding-quadrant\"><h2 class=\"utrecht-heading-2\">");
    html_text(h, _(ind_quadrant_label(q)));
    html_raw(h, "</h2>");
    /* First the cards without a group, then one block per group in order of appearance. */
    bool open = false;
    for (size_t i = 0; i < d->ncards; i++) {
        if (d->cards[i].ind->def.quadrant != q || d->cards[i].ind->def.group || d->cards[i].empty)
            continue;
        if (!open)
            html_raw(h, "<ul class=\"duiding-dash-cards\">");
        open = true;
        card(h, d, &d->cards[i], false);
    }
    if (open)
        html_raw(h, "</ul>");
    for (size_t i = 0; i < d->ncards; i++) {
        const char *g = d->cards[i].ind->def.group;
        bool seen = false;
        if (d->cards[i].ind->def.quadrant != q || !g || d->cards[i].empty)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = d->cards[j].ind->def.quadrant == q && d->cards[j].ind->def.group &&
                   !d->cards[j].empty && strcmp(d->cards[j].ind->def.group, g) == 0;
        if (seen)
            continue;
        html_raw(h, "<h3 class=\"utrecht-heading-3 duiding-dash-group\">");
        html_text(h, group_label(d->req->arena, g));
        html_raw(h, "</h3><ul class=\"duiding-dash-cards\">");
        for (size_t j = i; j < d->ncards; j++)
            if (d->cards[j].ind->def.quadrant == q && d->cards[j].ind->def.group &&
                !d->cards[j].empty && strcmp(d->cards[j].ind->def.group, g) == 0)
                card(h, d, &d->cards[j], true);
        html_raw(h, "</ul>");
    }
    html_raw(h, "</section>");
}

/* True when nothing at all was counted for the view's subject in any period (every total
 * "no data"): e.g. client-experience answers for a provider, or a rate without population
 * figures. Hidden small numbers do not count as empty: those cards explain themselves. */
static bool view_empty(const struct mx_view *v)
{
    for (size_t i = 0; i < v->ncells; i++)
        if (fp_is_total(v, &v->cells[i]) && v->cells[i].reason != DC_NO_DATA)
            return false;
    return true;
}

/* The indicators without any data for this subject: one list instead of empty cards. */
static void empty_section(struct html *h, struct dash *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->ncards; i++)
        n += d->cards[i].empty;
    if (n == 0)
        return;
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"zonder-cijfers\"><h2 "
                "class=\"utrecht-heading-2\" id=\"zonder-cijfers\">");
    html_text(h, _("Indicatoren zonder gegevens"));
    html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
    html_textf(h, _("Voor %s zijn er in deze perioden geen gegevens voor:"), d->subject);
    html_raw(h, "</p><ul class=\"utrecht-unordered-list duiding-empty-list\">");
    for (size_t i = 0; i < d->ncards; i++) {
        const struct card *c = &d->cards[i];
        if (!c->empty)
            continue;
        html_raw(h, "<li class=\"utrecht-unordered-list__item\"><a class=\"utrecht-link\"");
        html_url_attr(h, "href", indicator_href(d, c->ind->id, NULL));
        html_raw(h, ">");
        html_text(h, c->ind->def.name && *c->ind->def.name ? c->ind->def.name : c->ind->def.code);
        html_raw(h, "</a>");
        if (c->ind->def.agg == IND_AGG_RATE) {
            html_raw(h, " <span class=\"duiding-muted\">");
            html_text(h, fp_no_figure_text(&c->view));
            html_raw(h, "</span>");
        }
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul></section>");
}

/* The subject form: result, gemeente, aanbieder, period kind and audience. */
static void subject_form(struct html *h, struct dash *d)
{
    struct http_req *req = d->req;
    struct result_filter f = {.limit = DASH_MAX_RESULTS};
    struct result *rs = NULL;
    int n = 0, total = 0;
    static const struct {
        const char *code, *label;
    } kinds[] = {
        {"maand", N_("Maand")},
        {"kwartaal", N_("Kwartaal")},
        {"halfjaar", N_("Halfjaar")},
        {"jaar", N_("Jaar")},
    };
    struct form_option kopts[ARRAY_LEN(kinds)];
    const char *kind = http_query(req, "periode");

    html_raw(h, "<form class=\"utrecht-form duiding-filter duiding-figures-filter\" method=\"get\" "
                "action=\"/dashboard\" role=\"search\"");
    html_attr(h, "aria-label", _("Dashboard kiezen"));
    html_raw(h, ">");
    if (result_list(req->arena, req->app->store, &req->actor, &f, &rs, &n, &total) == 0 && n > 0) {
        struct form_option *opts = arena_calloc(req->arena, (size_t)n + 1, sizeof *opts);
        const char *cur = http_query(req, "resultaat");
        if (opts) {
            int no = 0;
            opts[no++] = (struct form_option){"", _("Alle indicatoren")};
            for (int i = 0; i < n; i++)
                opts[no++] = (struct form_option){arena_printf(req->arena, "%" PRId64, rs[i].id),
                                                  rs[i].title};
            form_select(h, NULL, "resultaat", _("Maatschappelijk resultaat"), opts, no,
                        cur ? cur : "", NULL);
        }
    }
    struct mx_engine *eng = figures_engine(req);
    fp_dim_select(h, req, eng, &d->sc, MX_DIM_GEMEENTE);
    fp_dim_select(h, req, eng, &d->sc, MX_DIM_AANBIEDER);
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        kopts[i] = (struct form_option){kinds[i].code, _(kinds[i].label)};
    form_select(h, NULL, "periode", _("Cijfers per"), kopts, (int)ARRAY_LEN(kinds),
                kind && *kind ? kind : "kwartaal", NULL);
    enum dc_audience own = figures_audience(req);
    if (own != DC_PUBLISHED) {
        struct form_option aopts[2] = {
            {"", _(dc_audience_label(own))},
            {dc_audience_code(DC_PUBLISHED), _("Publicatieversie (voor openbare stukken)")},
        };
        const char *cur = http_query(req, "publiek");
        form_select(h, NULL, "publiek", _("Versie"), aopts, 2, cur ? cur : "", NULL);
    }
    html_raw(h,
             "<div class=\"utrecht-button-group\"><button type=\"submit\" class=\"utrecht-button "
             "utrecht-button--primary-action\">");
    html_text(h, _("Dashboard tonen"));
    html_raw(h, "</button></div></form>");
}

/* The comparison below the cards: one indicator, the latest period, per compare_dim. */
static void comparison(struct html *h, struct dash *d)
{
    struct http_req *req = d->req;
    const struct card *chosen = NULL;
    int64_t want = 0;
    const char *s = http_query(req, "vergelijk");
    if (s)
        (void)str_parse_i64_c(s, 1, INT64_MAX, &want);
    for (size_t i = 0; i < d->ncards && !chosen; i++)
        if (d->cards[i].ind->id == want)
            chosen = &d->cards[i];
    /* Default: a "how well" indicator people compare on: first one with a target, then a
     * share (groups of ten already give one; a median needs more to be shown), then any
     * "how well" figure, else the first with one. */
    for (int pass = 0; pass < 3 && !chosen; pass++)
        for (size_t i = 0; i < d->ncards && !chosen; i++) {
            const struct card *c = &d->cards[i];
            const struct mx_vcell *latest = c->rc == 0 ? fp_latest_total(&c->view) : NULL;
            if (!latest || c->ind->def.quadrant != IND_HOW_WELL)
                continue;
            if ((pass == 0 && !isnan(latest->target)) ||
                (pass == 1 && c->ind->def.agg == IND_AGG_PROPORTION) || pass == 2)
                chosen = c;
        }
    for (size_t i = 0; i < d->ncards && !chosen; i++)
        if (d->cards[i].rc == 0 && !d->cards[i].empty)
            chosen = &d->cards[i];
    if (!chosen)
        return;

    const char *dim_label = fp_dim_word(req->arena, d->compare_dim);
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"vergelijking\"><h2 "
                "class=\"utrecht-heading-2\" id=\"vergelijking\">");
    html_textf(h, _("Vergelijking per %s"), dim_label);
    html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
    html_text(h, d->compare_dim == MX_DIM_AANBIEDER
                     ? _("Hoe doen de aanbieders het bij elkaar vergeleken? Kies een indicator.")
                     : _("Hoe gaat het in de verschillende gemeenten? Kies een indicator."));
    html_raw(h, "</p>");

    /* Choose the indicator; the other parameters stay as they are. */
    html_raw(h, "<form class=\"utrecht-form duiding-filter\" method=\"get\" action=\"/dashboard\" "
                "role=\"search\"");
    html_attr(h, "aria-label", _("Indicator voor de vergelijking kiezen"));
    html_raw(h, ">");
    for (int i = 0; i < req->nquery; i++) {
        if (strcmp(req->query[i].key, "vergelijk") == 0 || !req->query[i].value ||
            !*req->query[i].value)
            continue;
        html_raw(h, "<input type=\"hidden\"");
        html_attr(h, "name", req->query[i].key);
        html_attr(h, "value", req->query[i].value);
        html_raw(h, ">");
    }
    struct form_option *opts = arena_calloc(req->arena, d->ncards + 1, sizeof *opts);
    int no = 0;
    for (size_t i = 0; opts && i < d->ncards; i++)
        opts[no++] = (struct form_option){arena_printf(req->arena, "%" PRId64, d->cards[i].ind->id),
                                          d->cards[i].ind->def.name ? d->cards[i].ind->def.name
                                                                    : d->cards[i].ind->def.code};
    form_select(h, NULL, "vergelijk", _("Indicator"), opts, no,
                arena_printf(req->arena, "%" PRId64, chosen->ind->id), NULL);
    html_raw(h,
             "<div class=\"utrecht-button-group\"><button type=\"submit\" class=\"utrecht-button "
             "utrecht-button--secondary-action\">");
    html_text(h, _("Vergelijken"));
    html_raw(h, "</button></div></form>");

    struct figures_opts o = d->base;
    struct mx_view v;
    struct err_ctx e = {0};
    o.ind_id = chosen->ind->id;
    o.by[0] = d->compare_dim;
    o.nby = 1;
    int rc = figures_view(req, &o, &v, &e);
    if (rc != 0) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, rc == ERR_INVALID && e.msg[0] ? e.msg : _("Nu geen cijfers beschikbaar."));
        html_raw(h, "</p></section>");
        return;
    }
    const char *name = chosen->ind->def.name ? chosen->ind->def.name : chosen->ind->def.code;
    int p = fp_latest_breakdown_period(&v);
    if (p < 0) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_text(h, _("Er zijn geen cijfers per groep die we mogen tonen. Bij kleine aantallen "
                       "laten we ze niet zien, om de privacy te beschermen."));
        html_raw(h, "</p>");
    } else {
        char period[PERIOD_CODE_MAX], caption[512];
        period_code(v.periods[p], period);
        fp_json_script(h, "vergelijking-cijfers",
                       mx_view_to_json(&v, figures_label, req, req->arena));
        snprintf(caption, sizeof caption, _("%s per %s, %s"), name, dim_label,
                 fp_period_label(req->arena, &v, p));
        fp_chart(h, &v, "verdeling", "vergelijking-cijfers", caption, period, false);
        fp_table(h, req, &v, caption, "vergelijking-tabel", FP_ROWS_ALL, p);
    }
    const char *extra = arena_printf(req->arena, "per=%s", mx_dim_code(d->compare_dim));
    html_raw(h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
    html_url_attr(h, "href", indicator_href(d, chosen->ind->id, extra));
    html_raw(h, ">");
    html_textf(h, _("%s per %s: alle perioden"), name, dim_label);
    html_raw(h, "</a></p></section>");
}

static void dashboard(struct http_req *req)
{
    struct dash d;
    struct err_ctx e = {0};
    struct ind_catalog_entry *cat = NULL;
    size_t ncat = 0, nbad = 0;
    int rc;

    memset(&d, 0, sizeof d);
    d.req = req;
    if (!may_view_figures(req) || figures_scope(req, &d.sc) != 0) {
        page_error(req, 403, _("U kunt geen cijfers inzien."));
        return;
    }
    rc = figures_parse_query(req, &d.base, &e);
    if (rc != 0) {
        page_error(req, 400, e.msg[0] ? e.msg : _("Deze vraag kan niet worden beantwoord."));
        return;
    }
    if (!fp_filters_in_scope(&d.sc, &d.base)) {
        /* A provider asking for another provider (or a gemeente for another gemeente) by URL. */
        page_error(req, 403, _("Deze cijfers vallen buiten wat u mag inzien."));
        return;
    }
    /* Cards show totals: a breakdown in the URL is for the indicator page. */
    d.base.nby = 0;
    if (d.base.where[MX_DIM_AANBIEDER].n == 1 && d.sc.aanbieder_id == 0)
        d.base.bench_dim = MX_DIM_AANBIEDER; /* one provider: beside the other providers */
    const char *rs = http_query(req, "resultaat");
    if (rs && *rs) {
        int64_t rid;
        if (str_parse_i64_c(rs, 1, INT64_MAX, &rid) != 0) {
            page_error(req, 404, NULL);
            return;
        }
        rc = result_get(req->arena, req->app->store, &req->actor, rid, &d.result);
        if (rc != 0) {
            page_error(req, rc == ERR_DENIED ? 403 : rc == ERR_NOT_FOUND ? 404 : 500, NULL);
            return;
        }
        d.has_result = true;
    }
    rc = ind_catalog_load(store_reader(req->app->store), req->arena, &cat, &ncat, &nbad, &e);
    if (rc == 0)
        rc = pick_indicators(&d, cat, ncat);
    if (rc != 0) {
        log_error("dashboard.indicators", "rid", req->rid, "msg", e.msg, NULL);
        page_error(req, 500, NULL);
        return;
    }
    d.subject = subject_text(&d);
    d.compare_dim = compare_dim(&d);
    size_t failed = 0;
    for (size_t i = 0; i < d.ncards; i++) {
        struct figures_opts o = d.base;
        o.ind_id = d.cards[i].ind->id;
        d.cards[i].rc = figures_view(req, &o, &d.cards[i].view, &d.cards[i].e);
        d.cards[i].empty = d.cards[i].rc == 0 && view_empty(&d.cards[i].view);
        if (d.cards[i].rc != 0 && d.cards[i].rc != ERR_INVALID) {
            failed++;
            log_warn("dashboard.view", "rid", req->rid, "code", d.cards[i].ind->def.code, "msg",
                     d.cards[i].e.msg, NULL);
        }
    }
    figures_context_load(req, &d.base, 0, 0, &d.ctx);
    if (d.ncards > 0 && failed == d.ncards) {
        page_error(req, 500, _("De cijfers konden nu niet worden berekend."));
        return;
    }

    struct html h;
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Dashboard"), NULL}};
    html_init(&h);
    page_begin(&h, req, _("Dashboard"), crumbs, ARRAY_LEN(crumbs));
    fp_assets(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
    if (d.has_result)
        html_textf(&h, _("Cijfers bij het resultaat \"%s\", voor %s."), d.result.title, d.subject);
    else
        html_textf(&h, _("Cijfers voor %s."), d.subject);
    html_raw(&h, " ");
    html_text(&h, _("Bij elk cijfer ziet u de streefwaarde als die er is, en hoe anderen in de "
                    "regio het doen."));
    html_raw(&h, "</p><p class=\"utrecht-paragraph duiding-audience\">");
    html_textf(&h, _("U ziet de cijfers als: %s."),
               _(dc_audience_label(d.base.audience >= 0 ? (enum dc_audience)d.base.audience
                                                        : figures_audience(req))));
    html_raw(&h, "</p>");
    subject_form(&h, &d);
    action_panel(&h, req);
    if (d.has_result) {
        char href[64];
        snprintf(href, sizeof href, "/resultaten/%" PRId64, d.result.id);
        html_raw(&h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
        html_url_attr(&h, "href", href);
        html_raw(&h, ">");
        html_textf(&h, _("Over het resultaat \"%s\""), d.result.title);
        html_raw(&h, "</a></p>");
    }
    /* Cards without a figure because numbers are small (not those without any data). */
    size_t small = 0, relevant = 0;
    for (size_t i = 0; i < d.ncards; i++) {
        if (d.cards[i].empty)
            continue;
        relevant++;
        small += d.cards[i].rc != 0 || !fp_latest_total(&d.cards[i].view);
    }
    if (relevant > 0 && small * 2 > relevant && d.base.pkind != PERIOD_YEAR) {
        /* Small numbers per quarter are hidden; a year often has enough to show. */
        static const char *const drop[] = {"periode", "van", "tot"};
        const char *q = fp_query_string(req, drop, (int)ARRAY_LEN(drop));
        html_raw(&h, "<div class=\"utrecht-alert utrecht-alert--info\" role=\"status\"><div "
                     "class=\"utrecht-alert__content\"><div class=\"utrecht-alert__message\"><p "
                     "class=\"utrecht-paragraph\">");
        html_text(&h, _("Veel cijfers zijn te klein om te tonen: we laten ze dan weg om de privacy "
                        "te beschermen. Per jaar zijn de aantallen groter."));
        html_raw(&h, " <a class=\"utrecht-link\"");
        html_url_attr(&h, "href",
                      arena_printf(req->arena, "/dashboard?periode=jaar%s%s", *q ? "&" : "", q));
        html_raw(&h, ">");
        html_text(&h, _("Toon de cijfers per jaar"));
        html_raw(&h, "</a></p></div></div></div>");
    }
    if (d.ncards == 0) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, d.has_result ? _("Aan dit resultaat zijn nog geen indicatoren gekoppeld.")
                                   : _("Er zijn nog geen indicatoren."));
        html_raw(&h, "</p>");
    } else {
        quadrant_section(&h, &d, IND_HOW_MUCH);
        quadrant_section(&h, &d, IND_HOW_WELL);
        quadrant_section(&h, &d, IND_BETTER_OFF);
        comparison(&h, &d);
        empty_section(&h, &d);
    }
    figures_context_events_html(&h, req, &d.ctx);
    html_raw(&h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/indicatoren\">");
    html_text(&h, _("Alle indicatoren en hoe ze berekend worden"));
    html_raw(&h, "</a></p>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

const struct route dashboard_page_routes[] = {
    {"GET", "/dashboard", dashboard, 0, "dashboard"},
    ROUTES_END,
};
