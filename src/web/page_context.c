/*
 * page_context.c: the context-event pages (/context): the list (oldest first, filters by
 * gemeente and text), one event, and the forms to record, edit, archive and restore. Context
 * events appear as markers on every time chart (web/figures.c) and under the figure tables.
 */
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/context_event.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define CEVENT_PAGE_SIZE 50

static const struct kit_field fields[] = {
    {"titel", "titel title"},   {"beschrijving", "beschrijving description"},
    {"datum", "datum ondate"},  {"tot", "tot untildate"},
    {"gemeente", "gemeente"},   {"aanbieder", "aanbieder aanbiederid"},
    {"eigenaar", "ownerorgid"},
};

struct ce_form {
    int64_t id, version;
    const char *saved_title;
    const char *titel, *beschrijving, *datum, *tot, *gemeente, *aanbieder;
};

static void ce_href(char *out, size_t n, int64_t id, const char *suffix)
{
    snprintf(out, n, "/context/%" PRId64 "%s", id, suffix);
}

static bool may(struct http_req *req, enum action act, int64_t id, int64_t owner)
{
    struct org o;
    struct object_ref ref = {.kind = OBJ_CONTEXT_EVENT, .id = id, .owner_org_id = owner};
    if (owner && org_get_internal(req->arena, req->app->store, owner, &o) == 0)
        ref.owner_org_kind = o.kind;
    else
        ref.owner_org_kind = req->actor.org_kind;
    return policy_allows(&req->actor, act, &ref);
}

static void when(struct html *h, const struct context_event *ev)
{
    kit_time_day(h, ev->on_date);
    if (ev->has_until && ev->until_date != ev->on_date) {
        html_text(h, " – ");
        kit_time_day(h, ev->until_date);
    }
}

/* "Hele regio", the gemeente's name, or the aanbieder's name. */
static const char *scope_text(const struct context_event *ev)
{
    if (ev->gemeente)
        return ev->gemeente_name ? ev->gemeente_name : ev->gemeente;
    if (ev->aanbieder_id)
        return ev->aanbieder_name ? ev->aanbieder_name : _("Aanbieder");
    return _("Hele regio");
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

static void list_page(struct http_req *req)
{
    const char *zoek = http_query(req, "zoek");
    const char *gemeente = http_query(req, "gemeente");
    const char *archief = http_query(req, "archief");
    int offset = kit_offset(req);
    struct context_event_filter f = {.limit = CEVENT_PAGE_SIZE, .offset = offset};
    struct context_event *rows = NULL;
    struct err_ctx e = {0};
    int n = 0, total = 0;
    const char *notice = NULL;
    f.q = zoek && *zoek && strlen(zoek) <= KIT_QUERY_MAX ? zoek : NULL;
    f.include_archived = archief && strcmp(archief, "1") == 0;
    if (gemeente && *gemeente) {
        /* A gemeente's chart shows its own events and the region-wide ones. */
        f.scoped = true;
        f.scope_gemeenten = &gemeente;
        f.nscope_gemeenten = 1;
    }
    int rc =
        context_event_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total, &e);
    if (rc == ERR_INVALID) {
        notice = e.msg[0] ? e.msg : _("Dit filter kan niet worden gebruikt.");
        rc = 0;
        n = total = 0;
    }
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Context"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Contextgebeurtenissen"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    kit_para(&h, _("Gebeurtenissen die helpen om een verandering in de cijfers te begrijpen, "
                   "zoals coronamaatregelen, een nieuw toegangsteam of een wachtlijstmaatregel. "
                   "Ze staan als markering in elke grafiek door de tijd."));
    if (may(req, ACT_CREATE, 0, req->actor.org_id)) {
        kit_actions_begin(&h);
        kit_button_link(&h, "/context/nieuw", _("Nieuwe gebeurtenis"), true);
        kit_actions_end(&h);
    }
    struct form_option *gems = NULL;
    int ng = org_options(req, ORG_GEMEENTE, _("Alle gemeenten"), &gems);
    kit_filter_begin(&h, "/context", _("Gebeurtenissen zoeken"));
    html_raw(&h, "<div class=\"duiding-filter__fields\">");
    kit_filter_text(&h, "zoek", _("Zoeken"), f.q, NULL);
    if (gems)
        form_select(&h, NULL, "gemeente", _("Gemeente"), gems, ng, gemeente, NULL);
    html_raw(&h, "</div>");
    kit_filter_check(&h, "archief", _("Ook gearchiveerde gebeurtenissen tonen"),
                     f.include_archived);
    kit_filter_end(&h, "/context");
    if (notice)
        page_alert(&h, "warning", notice);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-count\" role=\"status\">");
    html_textf(
        &h,
        ngettext("%d gebeurtenis gevonden.", "%d gebeurtenissen gevonden.", (unsigned long)total),
        total);
    html_raw(&h, "</p>");
    if (n > 0) {
        const char *headers[] = {_("Datum"), _("Gebeurtenis"), _("Voor"), _("Vastgelegd door")};
        table_begin(&h, _("Contextgebeurtenissen"), headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            char href[64];
            ce_href(href, sizeof href, rows[i].id, "");
            table_row_begin(&h);
            kit_cell_begin(&h);
            when(&h, &rows[i]);
            kit_cell_end(&h);
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
            table_cell(&h, scope_text(&rows[i]));
            table_cell(&h, rows[i].owner_name);
            table_row_end(&h);
        }
        table_end(&h);
        const char *kv[] = {"zoek",   f.q,       "gemeente",
                            gemeente, "archief", f.include_archived ? "1" : NULL};
        page_pager(&h, kit_url(req->arena, "/context", kv, 3), offset, CEVENT_PAGE_SIZE, total);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void view_page(struct http_req *req)
{
    int64_t id;
    struct context_event ev;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = context_event_get(req->arena, req->app->store, &req->actor, id, &ev);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Context"), "/context"}, {ev.title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, ev.title, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    if (ev.archived)
        page_alert(&h, "info", _("Deze gebeurtenis staat in het archief."));
    if (may(req, ACT_EDIT, id, ev.owner_org_id)) {
        char edit[64], arch[64];
        ce_href(edit, sizeof edit, id, "/bewerken");
        ce_href(arch, sizeof arch, id, ev.archived ? "/herstellen" : "/archiveren");
        kit_actions_begin(&h);
        if (!ev.archived)
            kit_button_link(&h, edit, _("Bewerken"), true);
        form_button(&h, req, arch, ev.archived ? _("Herstellen") : _("Archiveren"), !ev.archived);
        kit_actions_end(&h);
    }
    kit_dl_begin(&h);
    kit_dl_item_begin(&h, _("Datum"));
    when(&h, &ev);
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Voor"), scope_text(&ev));
    kit_dl_item(&h, _("Beschrijving"), ev.description);
    kit_dl_item(&h, _("Vastgelegd door"), ev.owner_name);
    kit_dl_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void render_form(struct http_req *req, const struct ce_form *cf,
                        const struct form_errors *fe, int status, const char *notice)
{
    char back[64], action[64];
    struct form_option *gems = NULL, *provs = NULL;
    int ng = org_options(req, ORG_GEMEENTE, _("Geen (de hele regio of een aanbieder)"), &gems);
    int np = org_options(req, ORG_AANBIEDER, _("Geen"), &provs);
    if (cf->id) {
        ce_href(back, sizeof back, cf->id, "");
        ce_href(action, sizeof action, cf->id, "");
    } else {
        snprintf(back, sizeof back, "/context");
        snprintf(action, sizeof action, "/context");
    }
    struct crumb cr[4];
    int ncr = 0;
    cr[ncr++] = (struct crumb){_("Start"), "/"};
    cr[ncr++] = (struct crumb){_("Context"), "/context"};
    if (cf->id)
        cr[ncr++] = (struct crumb){cf->saved_title, back};
    cr[ncr++] = (struct crumb){cf->id ? _("Bewerken") : _("Nieuw"), NULL};
    struct html h;
    html_init(&h);
    page_begin(&h, req, cf->id ? _("Gebeurtenis bewerken") : _("Nieuwe gebeurtenis"), cr, ncr);
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    form_begin(&h, req, action);
    if (cf->id) {
        html_raw(&h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(&h, "value", cf->version);
        html_raw(&h, ">");
    }
    form_input(&h, fe, "titel", _("Titel"), "text", cf->titel,
               _("Kort, bijvoorbeeld: Nieuw toegangsteam gestart"), true, "off");
    form_textarea(&h, fe, "beschrijving", _("Beschrijving"), cf->beschrijving,
                  _("Wat veranderde er, en wat kan dat doen met de cijfers?"));
    html_raw(&h, "<div class=\"duiding-field-row\">");
    form_input(&h, fe, "datum", _("Datum"), "date", cf->datum, _("Wanneer het begon"), true, "off");
    form_input(&h, fe, "tot", _("Tot en met"), "date", cf->tot,
               _("Alleen voor iets dat een tijd duurde. Niet verplicht."), false, "off");
    html_raw(&h, "</div>");
    if (gems)
        optional_select(&h, fe, "gemeente", _("Voor gemeente"), gems, ng, cf->gemeente,
                        _("Leeg laten voor een gebeurtenis in de hele regio."));
    if (provs)
        optional_select(&h, fe, "aanbieder", _("Of voor aanbieder"), provs, np, cf->aanbieder,
                        NULL);
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, _("Opslaan"));
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

static void new_page(struct http_req *req)
{
    if (!may(req, ACT_CREATE, 0, req->actor.org_id)) {
        page_error(req, 403, NULL);
        return;
    }
    struct ce_form cf = {0};
    render_form(req, &cf, NULL, 200, NULL);
}

static void save(struct http_req *req, int64_t id)
{
    struct ce_form cf = {0};
    struct form_errors fe = {0};
    struct context_event_input in = {0};
    struct context_event cur;
    struct err_ctx e = {0};
    int rc;
    if (id) {
        if ((rc = context_event_get(req->arena, req->app->store, &req->actor, id, &cur)) != 0) {
            kit_fail(req, rc);
            return;
        }
        if (!may(req, ACT_EDIT, id, cur.owner_org_id)) {
            page_error(req, 403, NULL);
            return;
        }
        cf.id = id;
        cf.saved_title = cur.title;
        cf.version = kit_id(http_form(req, "versie"));
        in.owner_org_id = cur.owner_org_id;
        in.version = cf.version;
    } else {
        if (!may(req, ACT_CREATE, 0, req->actor.org_id)) {
            page_error(req, 403, NULL);
            return;
        }
        in.owner_org_id = req->actor.org_id;
    }
    cf.titel = http_form(req, "titel");
    cf.beschrijving = http_form(req, "beschrijving");
    cf.datum = http_form(req, "datum");
    cf.tot = http_form(req, "tot");
    cf.gemeente = http_form(req, "gemeente");
    cf.aanbieder = http_form(req, "aanbieder");
    in.title = cf.titel ? cf.titel : "";
    in.description = cf.beschrijving ? cf.beschrijving : "";
    if (!kit_parse_day(cf.datum, &in.on_date))
        kit_error(&fe, "datum", _("Vul de datum in, bijvoorbeeld 2024-03-01."));
    if (cf.tot && str_trim(str_from(cf.tot)).len > 0) {
        in.has_until = true;
        if (!kit_parse_day(cf.tot, &in.until_date))
            kit_error(&fe, "tot", _("Vul de einddatum in als datum, of laat het veld leeg."));
    }
    in.gemeente = cf.gemeente;
    if (cf.aanbieder && *cf.aanbieder) {
        in.aanbieder_id = kit_id(cf.aanbieder);
        if (!in.aanbieder_id)
            kit_error(&fe, "aanbieder", _("Kies een aanbieder uit de lijst."));
    }
    if (fe.n > 0) {
        render_form(req, &cf, &fe, 422, NULL);
        return;
    }
    int64_t new_id = id;
    rc = id ? context_event_update(req->app->store, &req->actor, id, &in, &e)
            : context_event_create(req->app->store, &req->actor, &in, &new_id, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_form(req, &cf, &fe, 422, NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_form(req, &cf, NULL, 409, e.msg[0] ? e.msg : NULL);
        return;
    }
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    char loc[80];
    ce_href(loc, sizeof loc, new_id, id ? "?melding=opgeslagen" : "?melding=aangemaakt");
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
    struct context_event ev;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = context_event_get(req->arena, req->app->store, &req->actor, id, &ev);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    if (!may(req, ACT_EDIT, id, ev.owner_org_id)) {
        page_error(req, 403, NULL);
        return;
    }
    struct ce_form cf = {
        .id = id,
        .version = ev.version,
        .saved_title = ev.title,
        .titel = ev.title,
        .beschrijving = ev.description,
        .datum = kit_day_iso(req->arena, ev.on_date),
        .tot = ev.has_until ? kit_day_iso(req->arena, ev.until_date) : NULL,
        .gemeente = ev.gemeente ? arena_printf(req->arena, "GM%s", ev.gemeente) : NULL,
        .aanbieder =
            ev.aanbieder_id ? arena_printf(req->arena, "%" PRId64, ev.aanbieder_id) : NULL};
    render_form(req, &cf, NULL, 200, NULL);
}

static void set_archived(struct http_req *req, bool archived)
{
    kit_set_archived(req, context_event_set_archived, "/context", archived);
}

static void archive(struct http_req *req)
{
    set_archived(req, true);
}

static void restore(struct http_req *req)
{
    set_archived(req, false);
}

const struct route context_page_routes[] = {
    {"GET", "/context", list_page, 0, "context.list"},
    {"GET", "/context/nieuw", new_page, 0, "context.new"},
    {"POST", "/context", create, 0, "context.create"},
    {"GET", "/context/{id}", view_page, 0, "context.view"},
    {"GET", "/context/{id}/bewerken", edit_page, 0, "context.edit"},
    {"POST", "/context/{id}", update, 0, "context.update"},
    {"POST", "/context/{id}/archiveren", archive, 0, "context.archive"},
    {"POST", "/context/{id}/herstellen", restore, 0, "context.restore"},
    ROUTES_END,
};
