/*
 * page_story.c: the story pages (/verhalen): the list with full-text search and filters, one
 * story with its links, and the forms to record, edit, archive and restore. Saving runs the
 * anonymisation check; when it finds something the form comes back with the findings and a
 * "Ik heb dit gecontroleerd" checkbox, and only saves once that is ticked. Which stories are
 * shown is decided by the domain (story_list / story_get ask the policy per story).
 */
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "domain/story.h"
#include "metrics/catalog.h"
#include "store/store.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <time.h>

#define STORY_PAGE_SIZE    25
#define FORM_MAX_CHOICES   STORY_MAX_LINKS
#define RESULT_CHOICES_MAX 500

/* Form fields and the names the domain may give them in err_ctx.field. */
static const struct kit_field fields[] = {
    {"titel", "titel title"},
    {"soort", "soort kind"},
    {"tekst", "tekst body"},
    {"rol", "rol tellerrole"},
    {"datum", "datum toldon"},
    {"toestemming", "toestemming consent"},
    {"gemeente", "gemeente"},
    {"aanbieder", "aanbieder aanbiederid"},
    {"periode_van", "periodfrom periodevan"},
    {"periode_tot", "periodto periodetot"},
    {"resultaat", "resultids resultaat"},
    {"indicator", "indicatorids indicator"},
    {"labels", "tags labels"},
    {"gecontroleerd", "anon gecontroleerd"},
    {"eigenaar", "ownerorgid"},
};

/* What the form held, as text, so a refused form comes back exactly as it was sent. */
struct story_form {
    int64_t id, version;
    const char *saved_title;
    const char *titel, *soort, *tekst, *rol, *datum, *toestemming, *gemeente, *aanbieder;
    const char *van, *tot, *labels;
    const char **resultaat, **indicator;
    int nresultaat, nindicator;
};

static void story_href(char *out, size_t n, int64_t id, const char *suffix)
{
    snprintf(out, n, "/verhalen/%" PRId64 "%s", id, suffix);
}

static bool may_create(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_STORY,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

static bool may_on(struct http_req *req, enum action act, const struct story *s)
{
    int64_t parties[2];
    struct object_ref o = story_ref(s, parties);
    return policy_allows(&req->actor, act, &o);
}

/* "YYYY-MM-DD" or "D-M-YYYY"; false for anything else (or empty). */
/* Text as paragraphs: a blank line starts a new one, a single newline is a <br>. */
static void paragraphs(struct html *h, const char *text)
{
    const char *p = text ? text : "";
    while (*p) {
        while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        for (;;) {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            size_t show = len > 0 && p[len - 1] == '\r' ? len - 1 : len;
            html_textn(h, p, show);
            if (!eol) {
                p += len;
                break;
            }
            const char *q = eol + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r')
                q++;
            p = eol + 1;
            if (*q == '\n' || *q == '\0')
                break;
            html_raw(h, "<br>");
        }
        html_raw(h, "</p>");
    }
}

/* --- Choices for selects --- */

static int kind_options(struct form_option *opts, const char *first)
{
    int n = 0;
    if (first)
        opts[n++] = (struct form_option){"", first};
    for (int k = STORY_KIND_MIN; k <= STORY_KIND_MAX; k++)
        opts[n++] = (struct form_option){story_kind_code((enum story_kind)k),
                                         story_kind_label((enum story_kind)k)};
    return n;
}

static int consent_options(struct form_option *opts, const char *first)
{
    int n = 0;
    if (first)
        opts[n++] = (struct form_option){"", first};
    for (int c = CONSENT_MIN; c <= CONSENT_MAX; c++)
        opts[n++] = (struct form_option){story_consent_code((enum story_consent)c),
                                         story_consent_label((enum story_consent)c)};
    return n;
}

/* A select whose label says "niet verplicht" (form_select marks every select as required). */
static void optional_select(struct html *h, const struct form_errors *fe, const char *name,
                            const char *label, const struct form_option *opts, int nopts,
                            const char *selected, const char *hint)
{
    const char *error = form_error_for(fe, name);
    form_field_open(h, name, label, hint, error, false);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><select class=\"utrecht-select "
                "utrecht-select--html-select\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    form_described_by(h, name, hint, error);
    html_raw(h, ">");
    for (int i = 0; i < nopts; i++) {
        html_raw(h, "<option");
        html_attr(h, "value", opts[i].value);
        html_attr_bool(h, "selected", selected && strcmp(selected, opts[i].value) == 0);
        html_raw(h, ">");
        html_text(h, opts[i].label);
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></div></div>");
}

/* A required textarea (form_textarea marks its field as optional). */
static void required_textarea(struct html *h, const struct form_errors *fe, const char *name,
                              const char *label, const char *value, const char *hint)
{
    const char *error = form_error_for(fe, name);
    form_field_open(h, name, label, hint, error, true);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><textarea class=\"utrecht-textarea "
                "utrecht-textarea--html-textarea\" rows=\"10\" required id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    form_described_by(h, name, hint, error);
    html_raw(h, ">");
    html_text(h, value);
    html_raw(h, "</textarea></div></div>");
}

/* Organisations of one kind as options (gemeenten by CBS code, aanbieders by id). */
static int org_options(struct http_req *req, enum org_kind kind, const char *first,
                       struct form_option **out)
{
    struct org_filter f = {.kind = (int)kind, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int n = 0, total = 0;
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

/* --- List --- */

struct list_query {
    const char *q, *soort, *toestemming, *gemeente, *label, *van, *tot;
    int64_t resultaat, indicator, aanbieder;
    bool archief;
    int offset;
};

static const char *qtext(struct http_req *req, const char *name)
{
    const char *s = http_query(req, name);
    if (!s)
        return NULL;
    struct str t = str_trim(str_from(s));
    if (t.len == 0 || t.len > KIT_QUERY_MAX)
        return NULL;
    return arena_strndup(req->arena, t.p, t.len);
}

static void parse_list_query(struct http_req *req, struct list_query *lq)
{
    memset(lq, 0, sizeof *lq);
    /* The search text itself is checked by the domain (length, UTF-8), with a message. */
    const char *q = http_query(req, "zoek");
    if (q && str_trim(str_from(q)).len > 0)
        lq->q = q;
    lq->soort = qtext(req, "soort");
    lq->toestemming = qtext(req, "toestemming");
    lq->gemeente = qtext(req, "gemeente");
    lq->label = qtext(req, "label");
    lq->van = qtext(req, "van");
    lq->tot = qtext(req, "tot");
    lq->resultaat = kit_id(http_query(req, "resultaat"));
    lq->indicator = kit_id(http_query(req, "indicator"));
    lq->aanbieder = kit_id(http_query(req, "aanbieder"));
    const char *a = http_query(req, "archief");
    lq->archief = a && strcmp(a, "1") == 0;
    lq->offset = kit_offset(req);
}

static const char *list_path(struct http_req *req, const struct list_query *lq)
{
    const char *kv[] = {
        "zoek",        lq->q && strlen(lq->q) <= KIT_QUERY_MAX ? lq->q : NULL,
        "soort",       lq->soort,
        "toestemming", lq->toestemming,
        "gemeente",    lq->gemeente,
        "label",       lq->label,
        "van",         lq->van,
        "tot",         lq->tot,
        "resultaat",   lq->resultaat ? arena_printf(req->arena, "%" PRId64, lq->resultaat) : NULL,
        "indicator",   lq->indicator ? arena_printf(req->arena, "%" PRId64, lq->indicator) : NULL,
        "aanbieder",   lq->aanbieder ? arena_printf(req->arena, "%" PRId64, lq->aanbieder) : NULL,
        "archief",     lq->archief ? "1" : NULL,
    };
    return kit_url(req->arena, "/verhalen", kv, (int)ARRAY_LEN(kv) / 2);
}

static void list_filters(struct html *h, struct http_req *req, const struct list_query *lq)
{
    struct form_option kinds[STORY_KIND_MAX + 1], consents[CONSENT_MAX + 1], *gems = NULL;
    int nk = kind_options(kinds, _("Alle soorten"));
    int nc = consent_options(consents, _("Alle"));
    int ng = org_options(req, ORG_GEMEENTE, _("Alle gemeenten"), &gems);
    kit_filter_begin(h, "/verhalen", _("Verhalen zoeken en filteren"));
    html_raw(h, "<div class=\"duiding-filter__fields\">");
    kit_filter_text(h, "zoek", _("Zoeken in de tekst"), lq->q,
                    _("Woorden zoeken ook zonder accenten: client vindt cliënt. Gebruik * "
                      "achter een woord voor woorden die zo beginnen."));
    form_select(h, NULL, "soort", _("Soort verhaal"), kinds, nk, lq->soort, NULL);
    form_select(h, NULL, "toestemming", _("Toestemming"), consents, nc, lq->toestemming, NULL);
    if (gems)
        form_select(h, NULL, "gemeente", _("Gemeente"), gems, ng, lq->gemeente, NULL);
    kit_filter_text(h, "label", _("Label"), lq->label, NULL);
    kit_filter_text(h, "van", _("Vanaf datum"), lq->van, _("Bijvoorbeeld 2024-01-01"));
    kit_filter_text(h, "tot", _("Tot en met datum"), lq->tot, NULL);
    html_raw(h, "</div>");
    /* Links from the figures pass these; keep them while filtering further. */
    if (lq->resultaat) {
        html_raw(h, "<input type=\"hidden\" name=\"resultaat\"");
        html_attr_int(h, "value", lq->resultaat);
        html_raw(h, ">");
    }
    if (lq->indicator) {
        html_raw(h, "<input type=\"hidden\" name=\"indicator\"");
        html_attr_int(h, "value", lq->indicator);
        html_raw(h, ">");
    }
    if (lq->aanbieder) {
        html_raw(h, "<input type=\"hidden\" name=\"aanbieder\"");
        html_attr_int(h, "value", lq->aanbieder);
        html_raw(h, ">");
    }
    kit_filter_check(h, "archief", _("Ook gearchiveerde verhalen tonen"), lq->archief);
    kit_filter_end(h, "/verhalen");
}

static void consent_tag(struct html *h, enum story_consent c)
{
    html_raw(h, "<span class=\"duiding-tag\">");
    html_text(h, story_consent_label(c));
    html_raw(h, "</span>");
}

static void list_page(struct http_req *req)
{
    struct list_query lq;
    struct story *rows = NULL;
    struct err_ctx e = {0};
    int n = 0, total = 0;
    parse_list_query(req, &lq);
    struct story_filter f = {.q = lq.q,
                             .result_id = lq.resultaat,
                             .indicator_id = lq.indicator,
                             .aanbieder_id = lq.aanbieder,
                             .tag = lq.label,
                             .include_archived = lq.archief,
                             .limit = STORY_PAGE_SIZE,
                             .offset = lq.offset};
    enum story_kind k;
    enum story_consent c;
    const char *notice = NULL;
    if (lq.soort && story_kind_parse(lq.soort, &k) == 0)
        f.kind = (int)k;
    if (lq.toestemming && story_consent_parse(lq.toestemming, &c) == 0)
        f.consent = (int)c;
    if (lq.gemeente)
        f.gemeente = lq.gemeente;
    if (lq.van || lq.tot) {
        f.has_period = true;
        f.period_from = STORY_DAY_MIN;
        f.period_to = STORY_DAY_MAX;
        if ((lq.van && !kit_parse_day(lq.van, &f.period_from)) ||
            (lq.tot && !kit_parse_day(lq.tot, &f.period_to))) {
            f.has_period = false;
            notice = _("Een datum in het filter is niet goed. Schrijf bijvoorbeeld 2024-03-01.");
        }
    }
    int rc = story_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total, &e);
    if (rc == ERR_INVALID) {
        /* A bad search text or filter: show the list empty with the reason, never fail. */
        notice = e.msg[0] ? e.msg : _("Dit filter kan niet worden gebruikt.");
        rows = NULL;
        n = total = 0;
        rc = 0;
    }
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Verhalen"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Verhalen"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    kit_para(&h, _("Verhalen van inwoners en professionals geven betekenis aan de cijfers. U ziet "
                   "hier de verhalen die met uw organisatie gedeeld zijn."));
    if (may_create(req)) {
        kit_actions_begin(&h);
        kit_button_link(&h, "/verhalen/nieuw", _("Nieuw verhaal"), true);
        kit_actions_end(&h);
    }
    list_filters(&h, req, &lq);
    if (notice)
        page_alert(&h, "warning", notice);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-count\" role=\"status\">");
    html_textf(&h, ngettext("%d verhaal gevonden.", "%d verhalen gevonden.", (unsigned long)total),
               total);
    html_raw(&h, "</p>");
    if (n > 0) {
        const char *headers[] = {_("Titel"), _("Soort"),       _("Verteller"),
                                 _("Datum"), _("Toestemming"), _("Vastgelegd door")};
        html_raw(&h, "<div class=\"duiding-results\">");
        table_begin(&h, _("Verhalen"), headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            char href[64];
            story_href(href, sizeof href, rows[i].id, "");
            table_row_begin(&h);
            kit_cell_begin(&h);
            html_raw(&h, "<a class=\"utrecht-link\"");
            html_url_attr(&h, "href", href);
            html_raw(&h, ">");
            html_text(&h, rows[i].title);
            html_raw(&h, "</a>");
            if (rows[i].archived) {
                html_raw(&h, " <span class=\"duiding-tag\">");
                html_text(&h, _("gearchiveerd"));
                html_raw(&h, "</span>");
            }
            kit_cell_end(&h);
            table_cell(&h, story_kind_label(rows[i].kind));
            table_cell(&h, rows[i].teller_role);
            kit_cell_begin(&h);
            kit_time_day(&h, rows[i].told_on);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            consent_tag(&h, rows[i].consent);
            kit_cell_end(&h);
            table_cell(&h, rows[i].owner_name);
            table_row_end(&h);
        }
        table_end(&h);
        html_raw(&h, "</div>");
        page_pager(&h, list_path(req, &lq), lq.offset, STORY_PAGE_SIZE, total);
    } else if (!notice) {
        kit_para(&h, _("Er zijn geen verhalen die passen bij uw zoekopdracht."));
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- One story --- */

static void archive_button(struct html *h, struct http_req *req, int64_t id, bool archive)
{
    char action[80];
    story_href(action, sizeof action, id, archive ? "/archiveren" : "/herstellen");
    form_button(h, req, action, archive ? _("Archiveren") : _("Herstellen"), archive);
}

static void view_page(struct http_req *req)
{
    int64_t id;
    struct story s;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = story_get(req->arena, req->app->store, &req->actor, id, &s);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Verhalen"), "/verhalen"}, {s.title, NULL}};
    bool can_edit = may_on(req, ACT_EDIT, &s);
    struct html h;
    html_init(&h);
    page_begin(&h, req, s.title, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    if (s.archived)
        page_alert(&h, "info", _("Dit verhaal staat in het archief."));
    if (can_edit) {
        char edit[80];
        story_href(edit, sizeof edit, id, "/bewerken");
        kit_actions_begin(&h);
        if (!s.archived)
            kit_button_link(&h, edit, _("Bewerken"), true);
        archive_button(&h, req, id, !s.archived);
        kit_actions_end(&h);
    }
    html_raw(&h, "<section class=\"duiding-section duiding-prose\" aria-labelledby=\"kop-tekst\">"
                 "<h2 class=\"utrecht-heading-2\" id=\"kop-tekst\">");
    html_text(&h, story_kind_label(s.kind));
    html_raw(&h, "</h2>");
    if (s.kind == STORY_CITAAT)
        html_raw(&h, "<blockquote class=\"duiding-quote\">");
    paragraphs(&h, s.body);
    if (s.kind == STORY_CITAAT)
        html_raw(&h, "</blockquote>");
    html_raw(&h, "</section>");
    kit_h2(&h, _("Over dit verhaal"));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Verteld door"), s.teller_role);
    kit_dl_item_begin(&h, _("Datum"));
    kit_time_day(&h, s.told_on);
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Toestemming"), story_consent_label(s.consent));
    kit_dl_item(&h, _("Vastgelegd door"), s.owner_name);
    kit_dl_item(&h, _("Gemeente"), s.gemeente_name ? s.gemeente_name : s.gemeente);
    kit_dl_item(&h, _("Aanbieder"), s.aanbieder_name);
    kit_dl_item_begin(&h, _("Periode"));
    if (s.has_period) {
        kit_time_day(&h, s.period_from);
        html_text(&h, " – ");
        kit_time_day(&h, s.period_to);
    } else {
        html_text(&h, "–");
    }
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Maatschappelijke resultaten"));
    for (int i = 0; i < s.nresults; i++) {
        if (i)
            html_raw(&h, ", ");
        html_raw(&h, "<a class=\"utrecht-link\"");
        html_url_attr(&h, "href",
                      arena_printf(req->arena, "/resultaten/%" PRId64, s.results[i].id));
        html_raw(&h, ">");
        html_text(&h, s.results[i].title);
        html_raw(&h, "</a>");
    }
    if (s.nresults == 0)
        html_text(&h, "–");
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Indicatoren"));
    for (int i = 0; i < s.nindicators; i++) {
        if (i)
            html_raw(&h, ", ");
        html_raw(&h, "<a class=\"utrecht-link\"");
        html_url_attr(&h, "href",
                      arena_printf(req->arena, "/indicatoren/%" PRId64, s.indicators[i].id));
        html_raw(&h, ">");
        html_text(&h, s.indicators[i].title);
        html_raw(&h, "</a>");
    }
    if (s.nindicators == 0)
        html_text(&h, "–");
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Labels"));
    for (int i = 0; i < s.ntags; i++) {
        html_raw(&h, "<a class=\"utrecht-link duiding-tag\"");
        html_url_attr(
            &h, "href",
            kit_url(req->arena, "/verhalen", (const char *const[]){"label", s.tags[i]}, 1));
        html_raw(&h, ">");
        html_text(&h, s.tags[i]);
        html_raw(&h, "</a> ");
    }
    if (s.ntags == 0)
        html_text(&h, "–");
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Gewijzigd"));
    kit_time_iso(&h, s.updated_at, false, NULL);
    html_textf(&h, " (%s %" PRId64 ")", _("versie"), s.version);
    kit_dl_item_end(&h);
    kit_dl_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- Form (create and edit) --- */

static void form_from_story(struct http_req *req, struct story_form *sf, const struct story *s)
{
    struct arena *a = req->arena;
    memset(sf, 0, sizeof *sf);
    sf->id = s->id;
    sf->version = s->version;
    sf->saved_title = s->title;
    sf->titel = s->title;
    sf->soort = story_kind_code(s->kind);
    sf->tekst = s->body;
    sf->rol = s->teller_role;
    sf->datum = kit_day_iso(a, s->told_on);
    sf->toestemming = story_consent_code(s->consent);
    sf->gemeente = s->gemeente ? arena_printf(a, "GM%s", s->gemeente) : NULL;
    sf->aanbieder = s->aanbieder_id ? arena_printf(a, "%" PRId64, s->aanbieder_id) : NULL;
    if (s->has_period) {
        sf->van = kit_day_iso(a, s->period_from);
        sf->tot = kit_day_iso(a, s->period_to);
    }
    struct buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < s->ntags; i++)
        buf_appendf(&b, "%s%s", i ? ", " : "", s->tags[i]);
    sf->labels = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    sf->resultaat = arena_calloc(a, (size_t)s->nresults + 1, sizeof *sf->resultaat);
    sf->indicator = arena_calloc(a, (size_t)s->nindicators + 1, sizeof *sf->indicator);
    for (int i = 0; sf->resultaat && i < s->nresults; i++)
        sf->resultaat[sf->nresultaat++] = arena_printf(a, "%" PRId64, s->results[i].id);
    for (int i = 0; sf->indicator && i < s->nindicators; i++)
        sf->indicator[sf->nindicator++] = arena_printf(a, "%" PRId64, s->indicators[i].id);
}

static bool in_list(const char **vals, int n, const char *v)
{
    for (int i = 0; i < n; i++)
        if (vals[i] && strcmp(vals[i], v) == 0)
            return true;
    return false;
}

/* Checkboxes of the societal results and indicators a story can be linked to. */
static void link_fields(struct html *h, struct http_req *req, const struct form_errors *fe,
                        const struct story_form *sf)
{
    struct result_filter rf = {.limit = RESULT_CHOICES_MAX};
    struct result *rs = NULL;
    int nr = 0, total = 0;
    if (result_list(req->arena, req->app->store, &req->actor, &rf, &rs, &nr, &total) == 0 &&
        nr > 0) {
        struct form_option *opts = arena_calloc(req->arena, (size_t)nr, sizeof *opts);
        bool *on = arena_calloc(req->arena, (size_t)nr, sizeof *on);
        for (int i = 0; opts && on && i < nr; i++) {
            opts[i].value = arena_printf(req->arena, "%" PRId64, rs[i].id);
            opts[i].label = arena_printf(req->arena, "%s (%s)", rs[i].title, rs[i].owner_name);
            on[i] = in_list(sf->resultaat, sf->nresultaat, opts[i].value);
        }
        if (opts && on) {
            html_raw(h, "<details class=\"duiding-details\"");
            html_attr_bool(h, "open", sf->nresultaat > 0 || form_error_for(fe, "resultaat"));
            html_raw(h, "><summary>");
            html_text(h, _("Koppelen aan maatschappelijke resultaten"));
            html_raw(h, "</summary>");
            form_checkboxes(h, fe, "resultaat", _("Bij welke resultaten hoort dit verhaal?"), opts,
                            nr, on);
            html_raw(h, "</details>");
        }
    }
    struct ind_catalog_entry *cat = NULL;
    size_t ncat = 0;
    struct err_ctx e = {0};
    struct db *db = store_reader(req->app->store);
    if (db && ind_catalog_load(db, req->arena, &cat, &ncat, NULL, &e) == 0 && ncat > 0) {
        struct form_option *opts = arena_calloc(req->arena, ncat, sizeof *opts);
        bool *on = arena_calloc(req->arena, ncat, sizeof *on);
        int n = 0;
        for (size_t i = 0; opts && on && i < ncat; i++) {
            if (cat[i].archived)
                continue;
            opts[n].value = arena_printf(req->arena, "%" PRId64, cat[i].id);
            opts[n].label = cat[i].def.name ? cat[i].def.name : cat[i].code;
            on[n] = in_list(sf->indicator, sf->nindicator, opts[n].value);
            n++;
        }
        if (n > 0) {
            html_raw(h, "<details class=\"duiding-details\"");
            html_attr_bool(h, "open", sf->nindicator > 0 || form_error_for(fe, "indicator"));
            html_raw(h, "><summary>");
            html_text(h, _("Koppelen aan indicatoren"));
            html_raw(h, "</summary>");
            form_checkboxes(h, fe, "indicator",
                            _("Bij welke cijfers hoort dit verhaal? Het verschijnt dan naast die "
                              "cijfers."),
                            opts, n, on);
            html_raw(h, "</details>");
        }
    }
}

/* The findings of the anonymisation check and the confirmation box. */
static void findings_block(struct html *h, const struct anon_report *r)
{
    html_raw(h, "<div class=\"utrecht-alert utrecht-alert--warning\" role=\"alert\" "
                "id=\"controle\"><div class=\"utrecht-alert__content\"><h2 "
                "class=\"utrecht-heading-3\">");
    html_text(h, _("Controleer de tekst op persoonsgegevens"));
    html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
    html_text(h, _("In een verhaal mogen geen namen, adressen, geboortedata, telefoonnummers, "
                   "e-mailadressen of BSN's staan. De controle vond het volgende. Haal het weg of "
                   "maak het algemeen (bijvoorbeeld 'de moeder' in plaats van een naam). Is het "
                   "geen persoonsgegeven, vink dan hieronder aan dat u het gecontroleerd heeft."));
    html_raw(h, "</p><ul class=\"utrecht-unordered-list\">");
    for (size_t i = 0; i < r->nfindings; i++) {
        html_raw(h, "<li>");
        html_text(h, anon_kind_label(r->findings[i].kind));
        html_text(h, ": ");
        html_raw(h, "<mark>");
        html_text(h, r->findings[i].excerpt);
        html_raw(h, "</mark>");
        if (r->findings[i].kind == ANON_BSN_LIKE && r->findings[i].elfproef) {
            html_text(h, " ");
            html_text(h, _("(voldoet aan de elfproef: dit kan een echt BSN zijn)"));
        }
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul>");
    if (r->ntotal > r->nfindings) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_textf(h, _("En nog %zu meer."), r->ntotal - r->nfindings);
        html_raw(h, "</p>");
    }
    html_raw(h, "</div></div>");
}

static void render_form(struct http_req *req, const struct story_form *sf,
                        const struct form_errors *fe, int status, const char *notice,
                        const struct anon_report *findings)
{
    char back[64], action[64];
    struct form_option kinds[STORY_KIND_MAX + 1], consents[CONSENT_MAX + 1];
    struct form_option *gems = NULL, *provs = NULL;
    int nk = kind_options(kinds, _("Kies een soort"));
    int nc = consent_options(consents, _("Kies de toestemming"));
    int ng = org_options(req, ORG_GEMEENTE, _("Geen gemeente (de hele regio)"), &gems);
    int np = org_options(req, ORG_AANBIEDER, _("Geen aanbieder"), &provs);
    if (sf->id) {
        story_href(back, sizeof back, sf->id, "");
        story_href(action, sizeof action, sf->id, "");
    } else {
        snprintf(back, sizeof back, "/verhalen");
        snprintf(action, sizeof action, "/verhalen");
    }
    const char *title = sf->id ? _("Verhaal bewerken") : _("Nieuw verhaal");
    struct crumb cr[4];
    int ncr = 0;
    cr[ncr++] = (struct crumb){_("Start"), "/"};
    cr[ncr++] = (struct crumb){_("Verhalen"), "/verhalen"};
    if (sf->id)
        cr[ncr++] = (struct crumb){sf->saved_title, back};
    cr[ncr++] = (struct crumb){sf->id ? _("Bewerken") : _("Nieuw"), NULL};

    struct html h;
    html_init(&h);
    page_begin(&h, req, title, cr, ncr);
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    if (findings && findings->ntotal > 0)
        findings_block(&h, findings);
    if (!sf->id)
        kit_para(&h, _("Leg een verhaal vast zonder namen of andere gegevens waaraan iemand te "
                       "herkennen is. Schrijf op wie het vertelt als rol, bijvoorbeeld "
                       "'moeder van een tiener' of 'wijkcoach'."));
    form_begin(&h, req, action);
    if (sf->id) {
        html_raw(&h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(&h, "value", sf->version);
        html_raw(&h, ">");
    }
    form_input(&h, fe, "titel", _("Titel"), "text", sf->titel,
               _("Kort, bijvoorbeeld: Eindelijk iemand die meedenkt"), true, "off");
    form_select(&h, fe, "soort", _("Soort verhaal"), kinds, nk, sf->soort, NULL);
    required_textarea(&h, fe, "tekst", _("Het verhaal"), sf->tekst,
                      _("Een lege regel begint een nieuwe alinea. Geen namen, adressen of andere "
                        "persoonsgegevens."));
    form_input(&h, fe, "rol", _("Wie vertelt het (rol, geen naam)"), "text", sf->rol,
               _("Bijvoorbeeld: jongere (16), mantelzorger, wijkcoach"), true, "off");
    form_input(&h, fe, "datum", _("Datum van het verhaal"), "date", sf->datum,
               _("Wanneer het verteld of opgeschreven is"), true, "off");
    form_select(&h, fe, "toestemming", _("Toestemming van de verteller"), consents, nc,
                sf->toestemming,
                _("Alleen intern: alleen uw organisatie. Voor kwaliteitsgesprekken: ook de "
                  "gemeente en aanbieder van het verhaal. Publicatie: iedereen, ook in "
                  "openbare rapporten."));
    if (gems)
        optional_select(&h, fe, "gemeente", _("Gemeente"), gems, ng, sf->gemeente, NULL);
    if (provs)
        optional_select(&h, fe, "aanbieder", _("Aanbieder"), provs, np, sf->aanbieder, NULL);
    html_raw(&h, "<div class=\"duiding-field-row\">");
    form_input(&h, fe, "periode_van", _("Periode vanaf"), "date", sf->van,
               _("Over welke tijd gaat het verhaal? Niet verplicht."), false, "off");
    form_input(&h, fe, "periode_tot", _("Periode tot en met"), "date", sf->tot, NULL, false, "off");
    html_raw(&h, "</div>");
    link_fields(&h, req, fe, sf);
    form_input(&h, fe, "labels", _("Labels"), "text", sf->labels,
               _("Gescheiden door komma's, bijvoorbeeld: wachttijd, samenwerking"), false, "off");
    if (findings && findings->ntotal > 0) {
        const struct form_option ok[] = {
            {"1", _("Ik heb dit gecontroleerd: er staan geen gegevens in waaraan iemand te "
                    "herkennen is.")}};
        form_checkboxes(&h, fe, "gecontroleerd", _("Bevestiging"), ok, 1, NULL);
    }
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, sf->id ? _("Wijzigingen opslaan") : _("Verhaal opslaan"));
    html_raw(&h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\"");
    html_url_attr(&h, "href", back);
    html_raw(&h, ">");
    html_text(&h, _("Annuleren"));
    html_raw(&h, "</a></div>");
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

/* Splits "a, b, c" into tags (the domain normalises and checks them). */
static int split_tags(struct arena *a, const char *s, const char **out, int max)
{
    int n = 0;
    const char *p = s ? s : "";
    while (*p && n <= max) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        struct str t = str_trim((struct str){p, len});
        if (t.len > 0) {
            if (n == max)
                return max + 1; /* too many: the domain says so */
            out[n++] = arena_strndup(a, t.p, t.len);
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return n;
}

static int ids_from(const char **vals, int n, int64_t *out, int max)
{
    int k = 0;
    for (int i = 0; i < n && k < max; i++) {
        int64_t v = kit_id(vals[i]);
        out[k++] = v > 0 ? v : -1; /* -1: the domain names the field */
    }
    return n > max ? max + 1 : k;
}

/* Reads the posted form into sf and in; errors the page can see itself go into fe. */
static void read_form(struct http_req *req, struct story_form *sf, struct form_errors *fe,
                      struct story_input *in, int64_t *rids, int64_t *iids, const char **tags)
{
    enum story_kind k;
    enum story_consent c;
    struct arena *a = req->arena;
    sf->titel = http_form(req, "titel");
    sf->soort = http_form(req, "soort");
    sf->tekst = http_form(req, "tekst");
    sf->rol = http_form(req, "rol");
    sf->datum = http_form(req, "datum");
    sf->toestemming = http_form(req, "toestemming");
    sf->gemeente = http_form(req, "gemeente");
    sf->aanbieder = http_form(req, "aanbieder");
    sf->van = http_form(req, "periode_van");
    sf->tot = http_form(req, "periode_tot");
    sf->labels = http_form(req, "labels");
    sf->resultaat = http_form_all(req, "resultaat", &sf->nresultaat);
    sf->indicator = http_form_all(req, "indicator", &sf->nindicator);
    const char *ok = http_form(req, "gecontroleerd");
    in->anon_confirmed = ok && strcmp(ok, "1") == 0;
    in->title = sf->titel ? sf->titel : "";
    in->body = sf->tekst ? sf->tekst : "";
    in->teller_role = sf->rol ? sf->rol : "";
    if (sf->soort && story_kind_parse(sf->soort, &k) == 0)
        in->kind = (int)k;
    else
        kit_error(fe, "soort", _("Kies het soort verhaal."));
    if (sf->toestemming && story_consent_parse(sf->toestemming, &c) == 0)
        in->consent = (int)c;
    else
        kit_error(fe, "toestemming", _("Kies waarvoor de verteller toestemming gaf."));
    if (!kit_parse_day(sf->datum, &in->told_on))
        kit_error(fe, "datum", _("Vul de datum in, bijvoorbeeld 2025-03-14."));
    in->gemeente = sf->gemeente;
    in->aanbieder_id = 0;
    if (sf->aanbieder && *sf->aanbieder) {
        in->aanbieder_id = kit_id(sf->aanbieder);
        if (!in->aanbieder_id)
            kit_error(fe, "aanbieder", _("Kies een aanbieder uit de lijst."));
    }
    bool has_from = sf->van && str_trim(str_from(sf->van)).len > 0;
    bool has_to = sf->tot && str_trim(str_from(sf->tot)).len > 0;
    if (has_from || has_to) {
        in->has_period = true;
        if (!has_from || !kit_parse_day(sf->van, &in->period_from))
            kit_error(fe, "periode_van", _("Vul het begin van de periode in als datum."));
        if (!has_to || !kit_parse_day(sf->tot, &in->period_to))
            kit_error(fe, "periode_tot", _("Vul het einde van de periode in als datum."));
    }
    in->result_ids = rids;
    in->nresults = ids_from(sf->resultaat, sf->nresultaat, rids, FORM_MAX_CHOICES);
    in->indicator_ids = iids;
    in->nindicators = ids_from(sf->indicator, sf->nindicator, iids, FORM_MAX_CHOICES);
    in->tags = tags;
    in->ntags = split_tags(a, sf->labels, tags, STORY_MAX_TAGS);
}

static void new_page(struct http_req *req)
{
    if (!may_create(req)) {
        page_error(req, 403,
                   _("Alleen beleidsadviseurs, contractmanagers en "
                     "kwaliteitsmedewerkers kunnen verhalen vastleggen."));
        return;
    }
    struct story_form sf = {0};
    sf.datum = kit_day_iso(req->arena, day_today());
    render_form(req, &sf, NULL, 200, NULL, NULL);
}

/* Saves (create when id is 0) and answers: redirect, or the form again. */
static void save(struct http_req *req, int64_t id)
{
    struct story_form sf = {0};
    struct form_errors fe = {0};
    struct story_input in = {0};
    struct anon_report r = {0};
    struct err_ctx e = {0};
    int64_t rids[FORM_MAX_CHOICES + 1], iids[FORM_MAX_CHOICES + 1];
    const char *tags[STORY_MAX_TAGS + 1];
    struct story cur;
    int rc;

    if (id) {
        if ((rc = story_get(req->arena, req->app->store, &req->actor, id, &cur)) != 0) {
            kit_fail(req, rc);
            return;
        }
        if (!may_on(req, ACT_EDIT, &cur)) {
            page_error(req, 403, NULL);
            return;
        }
        sf.id = id;
        sf.saved_title = cur.title;
        sf.version = kit_id(http_form(req, "versie"));
        in.owner_org_id = cur.owner_org_id;
        in.version = sf.version;
    } else {
        if (!may_create(req)) {
            page_error(req, 403, NULL);
            return;
        }
        in.owner_org_id = req->actor.org_id;
    }
    read_form(req, &sf, &fe, &in, rids, iids, tags);
    /* Screen even when the form has other errors, so the writer sees everything at once. */
    if (fe.n > 0) {
        story_screen(req->arena, &in, &r);
        render_form(req, &sf, &fe, 422, NULL, &r);
        return;
    }
    rc = id ? story_update(req->app->store, &req->actor, id, &in, req->arena, &r, &e)
            : story_create(req->app->store, &req->actor, &in, &id, req->arena, &r, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        if (!(e.field && strcmp(e.field, "anon") == 0))
            story_screen(req->arena, &in, &r);
        render_form(req, &sf, &fe, 422, NULL, &r);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_form(req, &sf, NULL, 409, e.msg[0] ? e.msg : NULL, NULL);
        return;
    }
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    char loc[80];
    story_href(loc, sizeof loc, id, sf.id ? "?melding=opgeslagen" : "?melding=aangemaakt");
    http_redirect(req, loc);
}

static void create(struct http_req *req)
{
    save(req, 0);
}

static void update(struct http_req *req)
{
    int64_t id;
    if (!http_param_id_or_404(req, 0, &id))
        save(req, id);
}

static void edit_page(struct http_req *req)
{
    int64_t id;
    struct story s;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = story_get(req->arena, req->app->store, &req->actor, id, &s);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    if (!may_on(req, ACT_EDIT, &s)) {
        page_error(req, 403, NULL);
        return;
    }
    struct story_form sf;
    form_from_story(req, &sf, &s);
    render_form(req, &sf, NULL, 200, NULL, NULL);
}

static void set_archived(struct http_req *req, bool archived)
{
    kit_set_archived(req, story_set_archived, "/verhalen", archived);
}

static void archive(struct http_req *req)
{
    set_archived(req, true);
}

static void restore(struct http_req *req)
{
    set_archived(req, false);
}

const struct route story_page_routes[] = {
    {"GET", "/verhalen", list_page, 0, "story.list"},
    {"GET", "/verhalen/nieuw", new_page, 0, "story.new"},
    {"POST", "/verhalen", create, 0, "story.create"},
    {"GET", "/verhalen/{id}", view_page, 0, "story.view"},
    {"GET", "/verhalen/{id}/bewerken", edit_page, 0, "story.edit"},
    {"POST", "/verhalen/{id}", update, 0, "story.update"},
    {"POST", "/verhalen/{id}/archiveren", archive, 0, "story.archive"},
    {"POST", "/verhalen/{id}/herstellen", restore, 0, "story.restore"},
    ROUTES_END,
};
