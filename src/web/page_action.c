/*
 * page_action.c: the improvement-action pages: /acties (the overview per gemeente, aanbieder
 * and region for the actor, grouped by owner, overdue marked in words and not by colour alone,
 * with filters and CSV/XLSX downloads), /acties/{id} (detail, movement of the linked
 * indicators since the baseline, status change with reason, history), /acties/{id}/bewerken,
 * and /gesprekken/{id}/acties/nieuw (a new action from a conversation). Which actions are
 * shown and who may change them is decided by the domain and the policy (domain/action.h).
 */
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/action.h"
#include "domain/conversation.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "report/action_export.h"
#include "report/action_movement.h"
#include "web/figures.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define LIST_MAX  500 /* actions on one overview page (grouped: no pager) */
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Form fields and the names the domain may give them in err_ctx.field. */
static const struct kit_field fields[] = {
    {"beschrijving", "beschrijving description"},
    {"effect", "effect expectedeffect"},
    {"eigenaar", "eigenaar ownerorgid"},
    {"persoon", "persoon owneruserid"},
    {"einddatum", "einddatum dueon"},
    {"indicator", "indicator indicatorids"},
    {"status", "status"},
    {"reden", "reden reason note"},
    {"versie", "versie version"},
};

static void action_href(char *out, size_t n, int64_t id, const char *suffix)
{
    snprintf(out, n, "/acties/%" PRId64 "%s", id, suffix);
}

static void status_tag(struct html *h, const struct improvement_action *a)
{
    html_raw(h, "<span class=\"duiding-tag duiding-action-status\"");
    html_attr(h, "data-status", action_status_code(a->status));
    html_raw(h, ">");
    html_text(h, action_status_label(a->status));
    html_raw(h, "</span>");
    if (a->overdue) {
        /* In words and with an icon-like prefix: never by colour alone. */
        html_raw(h, " <strong class=\"duiding-tag duiding-overdue\">");
        html_text(h, _("Te laat"));
        html_raw(h, "</strong>");
    }
}

static void paragraphs(struct html *h, const char *text)
{
    const char *p = text ? text : "";
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        struct str t = str_trim((struct str){p, len});
        if (t.len > 0) {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            html_textn(h, t.p, t.len);
            html_raw(h, "</p>");
        }
        p += len;
        if (*p == '\n')
            p++;
    }
}

/* ---- Overview -------------------------------------------------------------------------------- */

struct list_query {
    const char *status, *gemeente;
    int64_t aanbieder, regio, resultaat, gesprek;
    bool te_laat, eigen;
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

static bool qflag(struct http_req *req, const char *name)
{
    const char *s = http_query(req, name);
    return s && strcmp(s, "1") == 0;
}

static void parse_list_query(struct http_req *req, struct list_query *lq)
{
    memset(lq, 0, sizeof *lq);
    lq->status = qtext(req, "status");
    lq->gemeente = qtext(req, "gemeente");
    lq->aanbieder = kit_id(http_query(req, "aanbieder"));
    lq->regio = kit_id(http_query(req, "regio"));
    lq->resultaat = kit_id(http_query(req, "resultaat"));
    lq->gesprek = kit_id(http_query(req, "gesprek"));
    lq->te_laat = qflag(req, "te_laat");
    lq->eigen = qflag(req, "eigen");
}

static const char *id_text(struct arena *a, int64_t id)
{
    return id ? arena_printf(a, "%" PRId64, id) : NULL;
}

static const char *list_url(struct http_req *req, const char *path, const struct list_query *lq)
{
    const char *kv[] = {
        "status",    lq->status,
        "gemeente",  lq->gemeente,
        "aanbieder", id_text(req->arena, lq->aanbieder),
        "regio",     id_text(req->arena, lq->regio),
        "resultaat", id_text(req->arena, lq->resultaat),
        "gesprek",   id_text(req->arena, lq->gesprek),
        "te_laat",   lq->te_laat ? "1" : NULL,
        "eigen",     lq->eigen ? "1" : NULL,
    };
    return kit_url(req->arena, path, kv, (int)ARRAY_LEN(kv) / 2);
}

/* The filter from the query; false (with a notice) when a value is not usable. */
static bool make_filter(struct http_req *req, const struct list_query *lq, struct action_filter *f,
                        const char **notice)
{
    memset(f, 0, sizeof *f);
    f->aanbieder_id = lq->aanbieder;
    f->region_id = lq->regio;
    f->result_id = lq->resultaat;
    f->conversation_id = lq->gesprek;
    f->overdue_only = lq->te_laat;
    f->gemeente = lq->gemeente;
    f->limit = LIST_MAX;
    if (lq->eigen)
        f->owner_org_id = req->actor.org_id;
    if (lq->status) {
        enum action_status s;
        if (strcmp(lq->status, "lopend") == 0) {
            f->status_mask = ACTION_STATUS_PENDING;
        } else if (action_status_parse(lq->status, &s) == 0) {
            f->status_mask = ACTION_STATUS_BIT(s);
        } else {
            *notice = _("Deze status bestaat niet.");
            return false;
        }
    }
    return true;
}

static void list_filters(struct html *h, struct http_req *req, const struct list_query *lq)
{
    struct form_option st[ACTION_STATUS_MAX + 2];
    int ns = 0;
    st[ns++] = (struct form_option){"", _("Alle statussen")};
    st[ns++] = (struct form_option){"lopend", _("Open en bezig")};
    for (int s = ACTION_STATUS_MIN; s <= ACTION_STATUS_MAX; s++)
        st[ns++] = (struct form_option){action_status_code((enum action_status)s),
                                        action_status_label((enum action_status)s)};
    struct form_option *gems = NULL, *provs = NULL, *regs = NULL;
    int ng = kit_org_options(req, ORG_GEMEENTE, _("Alle gemeenten"), &gems);
    int np = kit_org_options(req, ORG_AANBIEDER, _("Alle aanbieders"), &provs);
    int nr = kit_org_options(req, ORG_REGION, _("Alle regio's"), &regs);
    const char *aanb = id_text(req->arena, lq->aanbieder), *regio = id_text(req->arena, lq->regio);
    kit_filter_begin(h, "/acties", _("Acties filteren"));
    html_raw(h, "<div class=\"duiding-filter__fields\">");
    form_select(h, NULL, "status", _("Status"), st, ns, lq->status, NULL);
    if (gems)
        form_select(h, NULL, "gemeente", _("Gemeente"), gems, ng, lq->gemeente, NULL);
    if (provs)
        form_select(h, NULL, "aanbieder", _("Aanbieder (eigenaar of partij)"), provs, np, aanb,
                    NULL);
    if (regs)
        form_select(h, NULL, "regio", _("Regio"), regs, nr, regio, NULL);
    html_raw(h, "</div>");
    if (lq->resultaat || lq->gesprek) {
        html_raw(h, "<input type=\"hidden\" name=\"");
        html_text(h, lq->resultaat ? "resultaat" : "gesprek");
        html_raw(h, "\"");
        html_attr_int(h, "value", lq->resultaat ? lq->resultaat : lq->gesprek);
        html_raw(h, ">");
    }
    kit_filter_check(h, "te_laat", _("Alleen acties die te laat zijn"), lq->te_laat);
    kit_filter_check(h, "eigen", _("Alleen acties van mijn organisatie"), lq->eigen);
    kit_filter_end(h, "/acties");
}

/* One table per owner; rows stay in the domain's order (overdue first, then by due date). */
static void grouped_tables(struct html *h, struct improvement_action *rows, int n)
{
    const char *headers[] = {_("Actie"), _("Gesprek"), _("Persoon"), _("Einddatum"), _("Status")};
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = rows[j].owner_org_id == rows[i].owner_org_id;
        if (seen)
            continue;
        int count = 0, late = 0;
        for (int j = i; j < n; j++)
            if (rows[j].owner_org_id == rows[i].owner_org_id) {
                count++;
                late += rows[j].overdue;
            }
        html_raw(h, "<section class=\"duiding-action-group\"><h2 class=\"utrecht-heading-2\">");
        html_text(h, rows[i].owner_name);
        html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
        html_textf(h, ngettext("%d actie", "%d acties", (unsigned long)count), count);
        if (late) {
            html_text(h, ", ");
            html_textf(h, ngettext("%d te laat", "%d te laat", (unsigned long)late), late);
        }
        html_raw(h, "</p>");
        table_begin(h, rows[i].owner_name, headers, (int)ARRAY_LEN(headers));
        for (int j = i; j < n; j++) {
            const struct improvement_action *r = &rows[j];
            if (r->owner_org_id != rows[i].owner_org_id)
                continue;
            char href[64], conv[64];
            action_href(href, sizeof href, r->id, "");
            table_row_begin(h);
            table_cell_link(h, href, r->description);
            if (r->conversation_id) {
                snprintf(conv, sizeof conv, "/gesprekken/%" PRId64, r->conversation_id);
                table_cell_link(h, conv, r->conversation_title ? r->conversation_title : "");
            } else {
                table_cell(h, "–");
            }
            table_cell(h, r->owner_user_name ? r->owner_user_name : "–");
            kit_cell_begin(h);
            kit_time_day(h, r->due_on);
            kit_cell_end(h);
            kit_cell_begin(h);
            status_tag(h, r);
            kit_cell_end(h);
            table_row_end(h);
        }
        table_end(h);
        html_raw(h, "</section>");
    }
}

static void list_page(struct http_req *req)
{
    struct list_query lq;
    struct action_filter f;
    struct improvement_action *rows = NULL;
    const char *notice = NULL;
    int n = 0, total = 0, rc = 0;
    parse_list_query(req, &lq);
    if (make_filter(req, &lq, &f, &notice)) {
        rc = action_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total);
        if (rc == ERR_INVALID) {
            notice = _("Dit filter kan niet worden gebruikt.");
            rc = 0;
            n = total = 0;
        }
    }
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    struct action_counts counts = {0};
    for (int i = 0; i < n; i++)
        counts.overdue += rows[i].overdue;
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Verbeteracties"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Verbeteracties"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    kit_para(&h, _("De acties die in kwaliteitsgesprekken zijn afgesproken, per eigenaar. U ziet "
                   "de acties van de gesprekken waaraan uw organisatie meedoet."));
    list_filters(&h, req, &lq);
    if (notice)
        page_alert(&h, "warning", notice);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-count\" role=\"status\">");
    html_textf(&h, ngettext("%d actie gevonden", "%d acties gevonden", (unsigned long)total),
               total);
    if (counts.overdue) {
        html_text(&h, ", ");
        html_textf(
            &h, ngettext("waarvan %d te laat", "waarvan %d te laat", (unsigned long)counts.overdue),
            counts.overdue);
    }
    html_text(&h, ".");
    html_raw(&h, "</p>");
    if (total > n)
        page_alert(&h, "info",
                   _("Niet alle acties passen op deze pagina. Gebruik de filters of download "
                     "het overzicht."));
    if (n > 0) {
        kit_buttons_begin(&h);
        kit_button_link(&h, list_url(req, "/acties.csv", &lq), _("Download als CSV"), false);
        kit_button_link(&h, list_url(req, "/acties.xlsx", &lq), _("Download als Excel"), false);
        kit_actions_end(&h);
        grouped_tables(&h, rows, n);
    } else if (!notice) {
        kit_para(&h, _("Er zijn geen acties die passen bij deze filters."));
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void export(struct http_req *req, bool xlsx)
{
    struct list_query lq;
    struct action_filter f;
    struct improvement_action *rows = NULL;
    const char *notice = NULL, *out = NULL;
    size_t len = 0;
    struct err_ctx e = {0};
    int n = 0, total = 0;
    parse_list_query(req, &lq);
    if (!make_filter(req, &lq, &f, &notice)) {
        page_error(req, 400, notice);
        return;
    }
    f.limit = ACTION_LIST_MAX;
    int rc = action_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total);
    if (rc == ERR_INVALID) {
        page_error(req, 400, _("Dit filter kan niet worden gebruikt."));
        return;
    }
    if (!rc)
        rc = xlsx ? action_export_xlsx(req->arena, rows, n,
                                       arena_printf(req->arena, "%s/tmp", req->app->cfg->data_dir),
                                       &out, &len, &e)
                  : action_export_csv(req->arena, rows, n, &out, &len, &e);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    req->resp.status = 200;
    req->resp.content_type = xlsx ? XLSX_TYPE : "text/csv; charset=utf-8";
    req->resp.body = out;
    req->resp.body_len = len;
    http_resp_header(req, "Content-Disposition",
                     xlsx ? "attachment; filename=\"verbeteracties.xlsx\""
                          : "attachment; filename=\"verbeteracties.csv\"");
}

static void export_csv(struct http_req *req)
{
    export(req, false);
}

static void export_xlsx(struct http_req *req)
{
    export(req, true);
}

/* ---- One action ------------------------------------------------------------------------------ */

/* Whether the actor may change the action (asked of the policy with its conversation). */
static bool may_edit(struct http_req *req, const struct improvement_action *a)
{
    struct conversation c;
    struct object_ref o;
    bool have = a->conversation_id && conversation_get(req->arena, req->app->store, &req->actor,
                                                       a->conversation_id, &c) == 0;
    action_object(a, have ? &c : NULL, req->arena, &o);
    return policy_allows(&req->actor, ACT_EDIT, &o);
}

static void movement_table(struct html *h, struct http_req *req, const struct improvement_action *a)
{
    struct action_move_row *mv = NULL;
    int n = 0;
    kit_h2(h, _("Hoe bewogen de cijfers sinds de afspraak?"));
    if (a->nindicators == 0) {
        kit_para(h, _("Aan deze actie zijn geen indicatoren gekoppeld."));
        return;
    }
    if (action_movements(figures_engine(req), req->app->cfg, req->app->store, req->arena,
                         &req->actor, a, &mv, &n) != 0)
        n = 0;
    const char *headers[] = {_("Indicator"), _("Bij de afspraak"), _("Nu"), _("Beweging")};
    table_begin(h, _("Beweging van de gekoppelde indicatoren"), headers, (int)ARRAY_LEN(headers));
    for (int i = 0; i < n; i++) {
        char href[64];
        snprintf(href, sizeof href, "/indicatoren/%" PRId64, mv[i].indicator_id);
        table_row_begin(h);
        table_cell_link(h, href, mv[i].name);
        kit_cell_begin(h);
        html_text(h, mv[i].has_baseline ? mv[i].baseline_text : _("niet bekend"));
        if (mv[i].has_baseline && mv[i].baseline_period) {
            html_text(h, " (");
            html_text(h, mv[i].baseline_period);
            html_text(h, ")");
        }
        kit_cell_end(h);
        kit_cell_begin(h);
        html_text(h, mv[i].has_now ? mv[i].now_text : _("niet bekend"));
        if (mv[i].has_now) {
            html_text(h, " (");
            html_text(h, mv[i].now_period);
            html_text(h, ")");
        }
        kit_cell_end(h);
        kit_cell_begin(h);
        html_raw(h, "<span class=\"duiding-move\"");
        html_attr(h, "data-move", action_move_code(mv[i].move));
        html_raw(h, ">");
        html_text(h, action_move_label(mv[i].move));
        html_raw(h, "</span>");
        kit_cell_end(h);
        table_row_end(h);
    }
    table_end(h);
    kit_para(h, _("Gelijk gebleven betekent: het verschil valt binnen de onzekerheidsmarge van "
                  "het cijfer. Een cijfer dat te klein is om te tonen, staat er als 'niet "
                  "bekend'."));
}

static void status_form(struct html *h, struct http_req *req, const struct improvement_action *a,
                        const struct form_errors *fe, const char *reason)
{
    struct form_option opts[ACTION_STATUS_MAX + 1];
    int n = 0;
    opts[n++] = (struct form_option){"", _("Kies de nieuwe status")};
    for (int s = ACTION_STATUS_MIN; s <= ACTION_STATUS_MAX; s++)
        if (action_transition_allowed(a->status, (enum action_status)s))
            opts[n++] = (struct form_option){action_status_code((enum action_status)s),
                                             action_status_label((enum action_status)s)};
    char action[64];
    action_href(action, sizeof action, a->id, "/status");
    kit_h2(h, _("Status wijzigen"));
    form_begin(h, req, action);
    html_raw(h, "<input type=\"hidden\" name=\"versie\"");
    html_attr_int(h, "value", a->version);
    html_raw(h, ">");
    form_select(h, fe, "status", _("Nieuwe status"), opts, n, NULL, NULL);
    form_textarea(h, fe, "reden", _("Toelichting"), reason,
                  _("Verplicht als de actie vervalt: schrijf op waarom."));
    form_submit(h, _("Status opslaan"));
    form_end(h);
}

static void history(struct html *h, const struct improvement_action *a)
{
    kit_h2(h, _("Geschiedenis"));
    const char *headers[] = {_("Wanneer"), _("Wie"), _("Wat"), _("Toelichting")};
    table_begin(h, _("Geschiedenis van de actie"), headers, (int)ARRAY_LEN(headers));
    for (int i = a->nevents - 1; i >= 0; i--) {
        const struct action_event *ev = &a->events[i];
        table_row_begin(h);
        kit_cell_begin(h);
        kit_time_iso(h, ev->at, false, NULL);
        kit_cell_end(h);
        table_cell(h, ev->user_login ? ev->user_login : "–");
        kit_cell_begin(h);
        if (ev->from_status == 0) {
            html_text(h, _("Aangemaakt"));
        } else if (ev->from_status == (int)ev->to_status) {
            html_text(h, _("Bewerkt"));
        } else {
            html_textf(h, _("Status van %s naar %s"),
                       action_status_label((enum action_status)ev->from_status),
                       action_status_label(ev->to_status));
        }
        kit_cell_end(h);
        table_cell(h, ev->note && *ev->note ? ev->note : "–");
        table_row_end(h);
    }
    table_end(h);
}

static void render_view(struct http_req *req, const struct improvement_action *a,
                        const struct form_errors *fe, const char *reason, const char *notice,
                        int status)
{
    char edit[64], conv[64];
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Verbeteracties"), "/acties"}, {_("Actie"), NULL}};
    bool editable = may_edit(req, a);
    struct html h;
    html_init(&h);
    page_begin(&h, req, a->description, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    if (editable) {
        action_href(edit, sizeof edit, a->id, "/bewerken");
        kit_actions_begin(&h);
        kit_button_link(&h, edit, _("Bewerken"), false);
        kit_actions_end(&h);
    }
    kit_dl_begin(&h);
    kit_dl_item_begin(&h, _("Status"));
    status_tag(&h, a);
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Gesprek"));
    if (a->conversation_id) {
        snprintf(conv, sizeof conv, "/gesprekken/%" PRId64, a->conversation_id);
        html_raw(&h, "<a class=\"utrecht-link\"");
        html_url_attr(&h, "href", conv);
        html_raw(&h, ">");
        html_text(&h, a->conversation_title ? a->conversation_title : "");
        html_raw(&h, "</a>");
    } else {
        html_text(&h, _("Het gesprek bestaat niet meer."));
    }
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Eigenaar"), a->owner_name);
    kit_dl_item(&h, _("Kant van de tafel"), conv_side_label(a->owner_side));
    kit_dl_item(&h, _("Persoon"), a->owner_user_name);
    kit_dl_item_begin(&h, _("Einddatum"));
    kit_time_day(&h, a->due_on);
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Verwacht effect"));
    if (a->expected_effect && *a->expected_effect)
        paragraphs(&h, a->expected_effect);
    else
        html_text(&h, "–");
    kit_dl_item_end(&h);
    if (a->status == ACTION_VERVALLEN)
        kit_dl_item(&h, _("Reden van vervallen"), a->drop_reason);
    kit_dl_end(&h);
    movement_table(&h, req, a);
    if (editable)
        status_form(&h, req, a, fe, reason);
    history(&h, a);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void view_page(struct http_req *req)
{
    int64_t id;
    struct improvement_action a;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = action_get(req->arena, req->app->store, &req->actor, id, &a);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    render_view(req, &a, NULL, NULL, NULL, 200);
}

static void set_status(struct http_req *req)
{
    int64_t id;
    struct improvement_action a;
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    enum action_status to = 0;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = action_get(req->arena, req->app->store, &req->actor, id, &a);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const char *st = http_form(req, "status"), *reason = http_form(req, "reden");
    int64_t version = kit_id(http_form(req, "versie"));
    if (!st || action_status_parse(st, &to) != 0) {
        kit_error(&fe, "status", _("Kies de nieuwe status."));
        render_view(req, &a, &fe, reason, NULL, 422);
        return;
    }
    rc = action_set_status(req->app->store, &req->actor, id, version, to, reason, req->arena, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_view(req, &a, &fe, reason, NULL, 422);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_view(req, &a, NULL, reason, e.msg[0] ? e.msg : NULL, 409);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    char loc[80];
    action_href(loc, sizeof loc, id, "?melding=opgeslagen");
    http_redirect(req, loc);
}

/* ---- Create and edit ------------------------------------------------------------------------- */

/* What the form held, as text, so a refused form comes back as it was sent. */
struct action_form {
    int64_t id, version, conversation_id;
    const char *beschrijving, *effect, *eigenaar, *persoon, *einddatum;
    const char **indicator;
    int nindicator;
};

static bool in_list(const char **vals, int n, const char *v)
{
    for (int i = 0; i < n; i++)
        if (vals[i] && strcmp(vals[i], v) == 0)
            return true;
    return false;
}

static void render_form(struct http_req *req, const struct conversation *c,
                        const struct action_form *af, const struct form_errors *fe, int status,
                        const char *notice)
{
    char action[80], back[80];
    if (af->id) {
        action_href(action, sizeof action, af->id, "");
        action_href(back, sizeof back, af->id, "");
    } else {
        snprintf(action, sizeof action, "/gesprekken/%" PRId64 "/acties/nieuw", c->id);
        snprintf(back, sizeof back, "/gesprekken/%" PRId64, c->id);
    }
    /* Owner party: one of the conversation's parties. */
    struct form_option *owners = arena_calloc(req->arena, (size_t)c->nparties + 1, sizeof *owners);
    int no = 0;
    if (owners) {
        owners[no++] = (struct form_option){"", _("Kies de eigenaar")};
        for (int i = 0; i < c->nparties; i++)
            owners[no++] =
                (struct form_option){id_text(req->arena, c->parties[i].org_id),
                                     arena_printf(req->arena, "%s (%s)", c->parties[i].org_name,
                                                  conv_side_label(c->parties[i].side))};
    }
    /* Owner person: the people invited to the conversation. */
    struct form_option *people =
        arena_calloc(req->arena, (size_t)c->nparticipants + 1, sizeof *people);
    int npp = 0;
    if (people) {
        people[npp++] = (struct form_option){"", _("Nog niemand")};
        for (int i = 0; i < c->nparticipants; i++)
            people[npp++] = (struct form_option){
                id_text(req->arena, c->participants[i].user_id),
                arena_printf(req->arena, "%s (%s)", c->participants[i].display_name,
                             c->participants[i].org_name ? c->participants[i].org_name : "")};
    }
    struct action_indicator *choices = NULL;
    int nch = 0;
    if (action_indicator_choices(req->arena, req->app->store, &req->actor, c->id, &choices, &nch) !=
        0)
        nch = 0;
    const char *title = af->id ? _("Actie bewerken") : _("Nieuwe verbeteractie");
    char conv_href[64];
    snprintf(conv_href, sizeof conv_href, "/gesprekken/%" PRId64, c->id);
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Gesprekken"), "/gesprekken"}, {c->title, conv_href}, {title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    if (!af->id)
        kit_para(&h, _("Spreek af wie wat gaat doen en wanneer, en aan welke cijfers u straks "
                       "ziet of het helpt. De waarde van die cijfers nu wordt bewaard als "
                       "beginpunt."));
    form_begin(&h, req, action);
    if (af->id) {
        html_raw(&h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(&h, "value", af->version);
        html_raw(&h, ">");
    }
    form_textarea(
        &h, fe, "beschrijving", _("Wat gaat er gebeuren?"), af->beschrijving,
        _("Verplicht. Beschrijf de actie zo dat iedereen later weet wat is afgesproken."));
    form_select(&h, fe, "eigenaar", _("Eigenaar (partij)"), owners, no, af->eigenaar, NULL);
    form_select(&h, fe, "persoon", _("Eigenaar (persoon)"), people, npp, af->persoon,
                _("Niet verplicht."));
    form_input(&h, fe, "einddatum", _("Klaar op"), "date", af->einddatum,
               _("Bijvoorbeeld 2026-06-30"), true, "off");
    if (nch > 0) {
        struct form_option *opts = arena_calloc(req->arena, (size_t)nch, sizeof *opts);
        bool *on = arena_calloc(req->arena, (size_t)nch, sizeof *on);
        for (int i = 0; opts && on && i < nch; i++) {
            opts[i].value = id_text(req->arena, choices[i].indicator_id);
            opts[i].label = choices[i].name;
            on[i] = in_list(af->indicator, af->nindicator, opts[i].value);
        }
        if (opts && on)
            form_checkboxes(&h, fe, "indicator",
                            _("Aan welke cijfers ziet u of de actie helpt? (niet verplicht)"), opts,
                            nch, on);
    }
    form_textarea(&h, fe, "effect", _("Verwacht effect"), af->effect,
                  _("Wat verwacht u dat er verandert, en voor wie?"));
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, af->id ? _("Wijzigingen opslaan") : _("Actie opslaan"));
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

/* May the actor add an action to c at all (for some party)? */
static bool may_create_in(struct http_req *req, const struct conversation *c)
{
    for (int i = 0; i < c->nparties; i++) {
        struct improvement_action draft = {.owner_org_id = c->parties[i].org_id};
        struct object_ref o;
        action_object(&draft, c, req->arena, &o);
        if (policy_allows(&req->actor, ACT_CREATE, &o))
            return true;
    }
    return false;
}

/* The conversation of the path (404 when not visible); false when it answered. */
static bool conversation_or_fail(struct http_req *req, struct conversation *c)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return false;
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, c);
    if (rc) {
        kit_fail(req, rc);
        return false;
    }
    if (!may_create_in(req, c)) {
        page_error(req, 403, _("U kunt bij dit gesprek geen acties vastleggen."));
        return false;
    }
    return true;
}

static void new_page(struct http_req *req)
{
    struct conversation c;
    if (!conversation_or_fail(req, &c))
        return;
    struct action_form af = {.conversation_id = c.id};
    /* The actor's own party first, when it is one. */
    for (int i = 0; i < c.nparties; i++)
        if (c.parties[i].org_id == req->actor.org_id)
            af.eigenaar = id_text(req->arena, req->actor.org_id);
    render_form(req, &c, &af, NULL, 200, NULL);
}

static void read_form(struct http_req *req, struct action_form *af, struct form_errors *fe,
                      struct action_input *in, int64_t *iids)
{
    af->beschrijving = http_form(req, "beschrijving");
    af->effect = http_form(req, "effect");
    af->eigenaar = http_form(req, "eigenaar");
    af->persoon = http_form(req, "persoon");
    af->einddatum = http_form(req, "einddatum");
    af->indicator = http_form_all(req, "indicator", &af->nindicator);
    in->description = af->beschrijving ? af->beschrijving : "";
    in->expected_effect = af->effect ? af->effect : "";
    in->owner_org_id = kit_id(af->eigenaar);
    if (!in->owner_org_id)
        kit_error(fe, "eigenaar", _("Kies de eigenaar van de actie."));
    in->owner_user_id = 0;
    if (af->persoon && *af->persoon) {
        in->owner_user_id = kit_id(af->persoon);
        if (!in->owner_user_id)
            kit_error(fe, "persoon", _("Kies een persoon uit de lijst."));
    }
    if (!kit_parse_day(af->einddatum, &in->due_on))
        kit_error(fe, "einddatum",
                  _("Vul de datum in waarop de actie klaar is, bijvoorbeeld "
                    "2026-06-30."));
    int n = 0;
    for (int i = 0; i < af->nindicator && n <= ACTION_MAX_INDICATORS; i++) {
        int64_t v = kit_id(af->indicator[i]);
        iids[n++] = v > 0 ? v : -1; /* -1: the domain names the field */
    }
    in->indicator_ids = iids;
    in->nindicators = n;
}

/* Baselines for the indicators of in (the figures the conversation's scope shows now). */
static void add_baselines(struct http_req *req, int64_t conv_id, struct action_input *in)
{
    struct action_baseline *bl = NULL;
    if (in->nindicators > 0 && conv_id > 0 &&
        action_baselines(figures_engine(req), req->app->cfg, req->app->store, req->arena,
                         &req->actor, conv_id, in->indicator_ids, in->nindicators, &bl) == 0) {
        in->baselines = bl;
        in->nbaselines = in->nindicators;
    }
}

static void save(struct http_req *req, struct conversation *c, int64_t id)
{
    struct action_form af = {.id = id, .conversation_id = c->id};
    struct form_errors fe = {0};
    struct action_input in = {.conversation_id = c->id};
    struct err_ctx e = {0};
    int64_t iids[ACTION_MAX_INDICATORS + 2];
    read_form(req, &af, &fe, &in, iids);
    if (id) {
        af.version = kit_id(http_form(req, "versie"));
        in.version = af.version;
    }
    if (fe.n > 0) {
        render_form(req, c, &af, &fe, 422, NULL);
        return;
    }
    add_baselines(req, c->id, &in);
    int rc = id ? action_update(req->app->store, &req->actor, id, &in, req->arena, &e)
                : action_create(req->app->store, &req->actor, &in, &id, req->arena, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_form(req, c, &af, &fe, 422, NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_form(req, c, &af, NULL, 409, e.msg[0] ? e.msg : NULL);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    char loc[80];
    action_href(loc, sizeof loc, id, af.id ? "?melding=opgeslagen" : "?melding=aangemaakt");
    http_redirect(req, loc);
}

static void create(struct http_req *req)
{
    struct conversation c;
    if (conversation_or_fail(req, &c))
        save(req, &c, 0);
}

/* The action of the path with its conversation, if the actor may edit it. */
static bool editable_or_fail(struct http_req *req, struct improvement_action *a,
                             struct conversation *c)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return false;
    int rc = action_get(req->arena, req->app->store, &req->actor, id, a);
    if (rc) {
        kit_fail(req, rc);
        return false;
    }
    if (!may_edit(req, a)) {
        page_error(req, 403, NULL);
        return false;
    }
    if (!a->conversation_id ||
        conversation_get(req->arena, req->app->store, &req->actor, a->conversation_id, c) != 0) {
        page_error(req, 409,
                   _("Deze actie hoort niet meer bij een gesprek en kan niet worden "
                     "bewerkt."));
        return false;
    }
    return true;
}

static void edit_page(struct http_req *req)
{
    struct improvement_action a;
    struct conversation c;
    if (!editable_or_fail(req, &a, &c))
        return;
    struct action_form af = {.id = a.id,
                             .version = a.version,
                             .conversation_id = c.id,
                             .beschrijving = a.description,
                             .effect = a.expected_effect,
                             .eigenaar = id_text(req->arena, a.owner_org_id),
                             .persoon = id_text(req->arena, a.owner_user_id),
                             .einddatum = kit_day_iso(req->arena, a.due_on)};
    const char **inds = arena_calloc(req->arena, (size_t)a.nindicators + 1, sizeof *inds);
    for (int i = 0; inds && i < a.nindicators; i++)
        inds[i] = id_text(req->arena, a.indicators[i].indicator_id);
    af.indicator = inds;
    af.nindicator = inds ? a.nindicators : 0;
    render_form(req, &c, &af, NULL, 200, NULL);
}

static void update(struct http_req *req)
{
    struct improvement_action a;
    struct conversation c;
    if (editable_or_fail(req, &a, &c))
        save(req, &c, a.id);
}

const struct route action_page_routes[] = {
    {"GET", "/acties", list_page, 0, "action.list"},
    {"GET", "/acties.csv", export_csv, 0, "action.export_csv"},
    {"GET", "/acties.xlsx", export_xlsx, 0, "action.export_xlsx"},
    {"GET", "/acties/{id}", view_page, 0, "action.view"},
    {"GET", "/acties/{id}/bewerken", edit_page, 0, "action.edit"},
    {"POST", "/acties/{id}", update, 0, "action.update"},
    {"POST", "/acties/{id}/status", set_status, 0, "action.status"},
    {"GET", "/gesprekken/{id}/acties/nieuw", new_page, 0, "action.new"},
    {"POST", "/gesprekken/{id}/acties/nieuw", create, 0, "action.create"},
    ROUTES_END,
};
