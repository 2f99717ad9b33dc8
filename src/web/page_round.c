/*
 * page_round.c: /enquetes/{id}/rondes: the rounds (uitvragen) of a questionnaire with their
 * response rate, a new round, opening and closing, making invitation codes, and the codes for
 * distribution: print-ready letters (one A4 per page, B1 Dutch, the code, the address and a QR
 * code as inline SVG from report/qr_svg.h) and a CSV for mail-merge. Codes are ACT_EDIT on the
 * round: the round's aanbieder sees the response rate, never a code. (Like every page, they
 * are sent with Cache-Control: no-store by web/server.c.)
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/survey.h"
#include "domain/survey_round.h"
#include "report/qr_svg.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define LETTERS_MAX (64u * 1024u * 1024u) /* 20,000 letters of ~3 kB */

/* ---- Helpers. ------------------------------------------------------------------------------ */

static const char *round_path(struct http_req *req, int64_t sid, int64_t rid, const char *suffix)
{
    if (rid)
        return arena_printf(req->arena, "/enquetes/%" PRId64 "/rondes/%" PRId64 "%s", sid, rid,
                            suffix ? suffix : "");
    return arena_printf(req->arena, "/enquetes/%" PRId64 "/rondes%s", sid, suffix ? suffix : "");
}

static const char *day_text(struct http_req *req, int32_t d)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return arena_printf(req->arena, "%d-%d-%d", dd, m, y);
}

static const char *permille_text(struct http_req *req, const struct survey_round *r)
{
    int pm = round_response_permille(r);
    if (pm < 0)
        return r->public_slug ? _("open link: geen codes") : "–";
    return arena_printf(req->arena, "%d,%d%%", pm / 10, pm % 10);
}

/* The questionnaire of path parameter 0; answers itself on failure. */
static int load_survey(struct http_req *req, struct survey *sv)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = survey_get(req->arena, req->app->store, &req->actor, id, sv);
    if (rc)
        kit_fail(req, rc);
    return rc;
}

/* The round of path parameter 1 belonging to survey sv; answers itself on failure. */
static int load_round(struct http_req *req, struct survey *sv, struct survey_round *r)
{
    int64_t rid;
    if (load_survey(req, sv) || http_param_id_or_404(req, 1, &rid))
        return ERR_NOT_FOUND;
    int rc = round_get(req->arena, req->app->store, &req->actor, rid, r);
    if (!rc && r->survey_id != sv->id)
        rc = ERR_NOT_FOUND;
    if (rc)
        kit_fail(req, rc);
    return rc;
}

static bool may_create(struct http_req *req, const struct survey *sv)
{
    struct org owner;
    if (org_get_internal(req->arena, req->app->store, sv->owner_org_id, &owner) != 0)
        return false;
    struct object_ref o = {
        .kind = OBJ_SURVEY_ROUND, .owner_org_id = owner.id, .owner_org_kind = owner.kind};
    if (owner.kind == ORG_GEMEENTE) {
        o.owner_region_ids = owner.parent_ids;
        o.owner_nregions = owner.nparents;
    }
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

/* ---- List and create. ---------------------------------------------------------------------- */

/* Gemeenten a round of this owner can be for: the owner itself, or the region's gemeenten. */
static int gemeente_options(struct http_req *req, const struct survey *sv, struct form_option **out)
{
    struct org owner;
    *out = NULL;
    if (org_get_internal(req->arena, req->app->store, sv->owner_org_id, &owner) != 0)
        return 0;
    struct org *list = &owner;
    int n = 1, total = 0;
    if (owner.kind != ORG_GEMEENTE) {
        struct org_filter f = {.kind = ORG_GEMEENTE, .parent_id = owner.id, .limit = ORG_LIST_MAX};
        if (org_list(req->arena, req->app->store, &req->actor, &f, &list, &n, &total) != 0)
            return 0;
    }
    struct form_option *o = arena_calloc(req->arena, (size_t)(n > 0 ? n : 1), sizeof *o);
    int k = 0;
    for (int i = 0; o && i < n; i++)
        if (list[i].cbs_code && strlen(list[i].cbs_code) == 6)
            o[k++] = (struct form_option){list[i].cbs_code + 2, list[i].name};
    *out = o;
    return k;
}

static int aanbieder_options(struct http_req *req, struct form_option **out)
{
    struct org_filter f = {.kind = ORG_AANBIEDER, .limit = ORG_LIST_MAX};
    struct org *list = NULL;
    int n = 0, total = 0;
    *out = NULL;
    if (org_list(req->arena, req->app->store, &req->actor, &f, &list, &n, &total) != 0)
        n = 0;
    struct form_option *o = arena_calloc(req->arena, (size_t)n + 1, sizeof *o);
    if (!o)
        return 0;
    o[0] = (struct form_option){"", _("Geen: over alle aanbieders")};
    for (int i = 0; i < n; i++)
        o[i + 1] =
            (struct form_option){arena_printf(req->arena, "%" PRId64, list[i].id), list[i].name};
    *out = o;
    return n + 1;
}

static void round_form(struct html *h, struct http_req *req, const struct survey *sv,
                       const struct form_errors *fe)
{
    struct form_option *gm = NULL, *ab = NULL;
    int ngm = gemeente_options(req, sv, &gm);
    int nab = aanbieder_options(req, &ab);
    kit_h2(h, _("Nieuwe uitvraag"));
    form_begin(h, req, round_path(req, sv->id, 0, NULL));
    form_input(h, fe, "naam", _("Naam"), "text", http_form(req, "naam"),
               _("Bijvoorbeeld: Cliëntervaring Wmo 2026."), true, "off");
    form_select(h, fe, "gemeente", _("Gemeente"), gm, ngm, http_form(req, "gemeente"),
                _("De inwoners van deze gemeente krijgen een uitnodiging."));
    form_select(h, fe, "aanbieder", _("Aanbieder"), ab, nab, http_form(req, "aanbieder"),
                _("Alleen als de uitvraag over de hulp van één aanbieder gaat. De aanbieder ziet "
                  "dan het aantal reacties, nooit de codes."));
    const struct form_option laws[] = {
        {"", _("Geen wet vastleggen")}, {"2", _("Wmo")}, {"1", _("Jeugdwet")}};
    form_select(h, fe, "wet", _("Wet"), laws, 3, http_form(req, "wet"), NULL);
    form_input(h, fe, "categorie", _("Productcategorie"), "text", http_form(req, "categorie"),
               _("Niet verplicht, bijvoorbeeld 02 (begeleiding)."), false, "off");
    html_raw(h, "<div class=\"duiding-field-row\">");
    form_input(h, fe, "van", _("Open vanaf"), "date", http_form(req, "van"), NULL, true, "off");
    form_input(h, fe, "tot", _("Open tot en met"), "date", http_form(req, "tot"), NULL, true,
               "off");
    html_raw(h, "</div>");
    struct form_option link = {"1", _("Ook een open link maken (zonder code, voor iedereen)")};
    bool on = http_form(req, "open_link") != NULL;
    form_checkboxes(h, fe, "open_link", _("Open link"), &link, 1, &on);
    form_submit(h, _("Uitvraag maken"));
    form_end(h);
}

static void list_render(struct http_req *req, const struct survey *sv, const struct form_errors *fe,
                        int status)
{
    struct survey_round *rounds = NULL;
    int n = 0;
    int rc = round_list(req->arena, req->app->store, &req->actor, sv->id, &rounds, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Enquêtes"), "/enquetes"},
        {sv->title, arena_printf(req->arena, "/enquetes/%" PRId64, sv->id)},
        {_("Uitvragen"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Uitvragen"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    form_error_summary(&h, fe);
    kit_para(&h, _("Een uitvraag stuurt de vragenlijst naar de inwoners van één gemeente. Elke "
                   "inwoner krijgt een brief met een eigen code die één keer werkt."));
    if (n == 0) {
        kit_para(&h, _("Er zijn nog geen uitvragen die u mag zien."));
    } else {
        const char *heads[] = {_("Uitvraag"), _("Gemeente"),      _("Aanbieder"), _("Periode"),
                               _("Status"),   _("Uitnodigingen"), _("Reacties"),  _("Respons")};
        table_begin(&h, _("Uitvragen van deze vragenlijst"), heads, (int)ARRAY_LEN(heads));
        for (int i = 0; i < n; i++) {
            const struct survey_round *r = &rounds[i];
            table_row_begin(&h);
            table_cell_link(&h, round_path(req, sv->id, r->id, NULL), r->name);
            table_cell(&h, r->gemeente);
            table_cell(&h, r->aanbieder_name);
            table_cell(&h, arena_printf(req->arena, "%s – %s", day_text(req, r->opens_on),
                                        day_text(req, r->closes_on)));
            table_cell(&h, round_status_label(r->status));
            table_cell(&h, arena_printf(req->arena, "%" PRId64, r->n_invitations));
            table_cell(&h, arena_printf(req->arena, "%" PRId64, r->n_responses));
            table_cell(&h, permille_text(req, r));
            table_row_end(&h);
        }
        table_end(&h);
    }
    if (!sv->archived && may_create(req, sv))
        round_form(&h, req, sv, fe);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void list_page(struct http_req *req)
{
    struct survey sv;
    if (load_survey(req, &sv))
        return;
    list_render(req, &sv, NULL, 200);
}

static const struct kit_field round_fields[] = {
    {"naam", "name naam"},   {"gemeente", "gemeente"},  {"aanbieder", "aanbiederid"},
    {"wet", "law wet"},      {"categorie", "category"}, {"van", "openson van"},
    {"tot", "closeson tot"}, {"naam", "surveyid"},
};

static void create(struct http_req *req)
{
    struct survey sv;
    if (load_survey(req, &sv))
        return;
    if (!may_create(req, &sv)) {
        page_error(req, 403, NULL);
        return;
    }
    struct form_errors fe = {0};
    struct round_input in = {.survey_id = sv.id,
                             .name = http_form(req, "naam"),
                             .gemeente = http_form(req, "gemeente"),
                             .category = kit_trimmed(req->arena, http_form(req, "categorie")),
                             .public_link = http_form(req, "open_link") != NULL};
    const char *ab = http_form(req, "aanbieder");
    if (ab && *ab && !(in.aanbieder_id = kit_id(ab)))
        kit_error(&fe, "aanbieder", _("Kies een aanbieder uit de lijst."));
    const char *wet = http_form(req, "wet");
    in.law = wet && strcmp(wet, "1") == 0 ? 1 : wet && strcmp(wet, "2") == 0 ? 2 : 0;
    day_t d;
    const char *van = http_form(req, "van"), *tot = http_form(req, "tot");
    if (!van || str_parse_date_iso(str_from(van), &d) != 0)
        kit_error(&fe, "van", _("Vul een datum in als 2026-03-01."));
    else
        in.opens_on = d;
    if (!tot || str_parse_date_iso(str_from(tot), &d) != 0)
        kit_error(&fe, "tot", _("Vul een datum in als 2026-04-30."));
    else
        in.closes_on = d;
    if (fe.n > 0) {
        list_render(req, &sv, &fe, 422);
        return;
    }
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = round_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, round_fields, (int)ARRAY_LEN(round_fields));
        list_render(req, &sv, &fe, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, round_path(req, sv.id, id, "?melding=aangemaakt"));
}

/* ---- One round. ---------------------------------------------------------------------------- */

static const char *public_link(struct http_req *req, const char *slug)
{
    return arena_printf(req->arena, "%s/enquete/open/%s", req->app->cfg->public_url, slug);
}

static void round_render(struct http_req *req, const struct survey *sv,
                         const struct survey_round *r, const struct form_errors *fe, int status)
{
    bool edit = round_may_edit(req->arena, req->app->store, &req->actor, r);
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Enquêtes"), "/enquetes"},
        {sv->title, arena_printf(req->arena, "/enquetes/%" PRId64, sv->id)},
        {_("Uitvragen"), round_path(req, sv->id, 0, NULL)},
        {r->name, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, r->name, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    form_error_summary(&h, fe);
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Status"), round_status_label(r->status));
    kit_dl_item(&h, _("Gemeente"), r->gemeente);
    kit_dl_item(&h, _("Aanbieder"), r->aanbieder_name);
    kit_dl_item(&h, _("Wet"), r->law == 1 ? _("Jeugdwet") : r->law == 2 ? _("Wmo") : NULL);
    kit_dl_item(&h, _("Productcategorie"), r->category);
    kit_dl_item(&h, _("Periode"),
                arena_printf(req->arena, "%s – %s", day_text(req, r->opens_on),
                             day_text(req, r->closes_on)));
    kit_dl_item(&h, _("Versie van de vragenlijst"),
                arena_printf(req->arena, "%" PRId64, r->survey_version));
    kit_dl_item(&h, _("Uitnodigingen"), arena_printf(req->arena, "%" PRId64, r->n_invitations));
    kit_dl_item(&h, _("Codes gebruikt"), arena_printf(req->arena, "%" PRId64, r->n_used));
    kit_dl_item(&h, _("Reacties"), arena_printf(req->arena, "%" PRId64, r->n_responses));
    kit_dl_item(&h, _("Respons"), permille_text(req, r));
    if (r->public_slug && edit)
        kit_dl_item(&h, _("Open link"), public_link(req, r->public_slug));
    kit_dl_end(&h);
    if (r->n_responses > 0) {
        /* the results page applies its own rights and the disclosure rules */
        kit_actions_begin(&h);
        kit_button_link(&h,
                        arena_printf(req->arena, "/enquetes/%" PRId64 "/resultaten?ronde=%" PRId64,
                                     sv->id, r->id),
                        _("Resultaten van deze uitvraag"), true);
        kit_actions_end(&h);
    }
    if (edit) {
        kit_actions_begin(&h);
        if (r->status == ROUND_CONCEPT)
            form_button(&h, req, round_path(req, sv->id, r->id, "/openen"), _("Uitvraag openen"),
                        false);
        if (r->status != ROUND_CLOSED)
            form_button(&h, req, round_path(req, sv->id, r->id, "/sluiten"), _("Uitvraag sluiten"),
                        true);
        kit_actions_end(&h);
        if (r->status != ROUND_CLOSED) {
            kit_h2(&h, _("Codes maken"));
            kit_para(&h, _("Maak één code per inwoner die een brief krijgt. Een code werkt één "
                           "keer. Nieuwe codes komen bij de bestaande."));
            form_begin(&h, req, round_path(req, sv->id, r->id, "/codes"));
            form_input(&h, fe, "aantal", _("Aantal codes"), "number", http_form(req, "aantal"),
                       arena_printf(req->arena, _("Hoogstens %d tegelijk."), ROUND_MAX_CODES), true,
                       "off");
            form_submit(&h, _("Codes maken"));
            form_end(&h);
        }
        if (r->n_invitations > 0) {
            kit_h2(&h, _("Brieven en codes"));
            kit_para(&h, _("Print de brieven op A4: elke brief staat op een eigen pagina. Of "
                           "download de codes voor een samenvoegbrief. Wie dit opent, wordt in "
                           "het auditlog vastgelegd."));
            kit_para(&h, _("Welke code al gebruikt is, laat duiding niet zien: anders is een "
                           "antwoord aan een adres te koppelen. Een herinnering gaat daarom naar "
                           "iedereen, met de zin: heeft u al meegedaan, dan hoeft u niets te "
                           "doen."));
            kit_buttons_begin(&h);
            kit_button_link(&h, round_path(req, sv->id, r->id, "/brieven"), _("Brieven"), true);
            kit_button_link(&h, round_path(req, sv->id, r->id, "/codes.csv"), _("Codes als CSV"),
                            false);
            kit_actions_end(&h);
        }
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void round_page(struct http_req *req)
{
    struct survey sv;
    struct survey_round r;
    if (load_round(req, &sv, &r))
        return;
    round_render(req, &sv, &r, NULL, 200);
}

static void set_status(struct http_req *req, enum round_status to)
{
    struct survey sv;
    struct survey_round r;
    if (load_round(req, &sv, &r))
        return;
    struct err_ctx e = {0};
    int rc = round_set_status(req->app->store, &req->actor, r.id, to, &e);
    if (rc == ERR_INVALID) {
        struct form_errors fe = {0};
        kit_error(&fe, NULL, e.msg);
        round_render(req, &sv, &r, &fe, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, round_path(req, sv.id, r.id, "?melding=opgeslagen"));
}

static void open_round(struct http_req *req)
{
    set_status(req, ROUND_OPEN);
}

static void close_round(struct http_req *req)
{
    set_status(req, ROUND_CLOSED);
}

static void make_codes(struct http_req *req)
{
    struct survey sv;
    struct survey_round r;
    if (load_round(req, &sv, &r))
        return;
    if (!round_may_edit(req->arena, req->app->store, &req->actor, &r)) {
        page_error(req, 403, NULL);
        return;
    }
    struct form_errors fe = {0};
    int64_t n = 0;
    const char *s = http_form(req, "aantal");
    if (!s || str_parse_i64_c(s, 1, ROUND_MAX_CODES, &n) != 0) {
        kit_error(
            &fe, "aantal",
            arena_printf(req->arena, _("Vul een aantal in van 1 tot en met %d."), ROUND_MAX_CODES));
        round_render(req, &sv, &r, &fe, 422);
        return;
    }
    struct err_ctx e = {0};
    const struct survey_code_key *k = survey_code_key_shared(req->app->cfg->key_path, &e);
    int rc = k ? round_make_codes(req->app->store, k, &req->actor, r.id, (int)n, &e) : ERR_IO;
    if (rc == ERR_INVALID) {
        e.field = "aantal";
        form_error_add(&fe, &e);
        round_render(req, &sv, &r, &fe, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, round_path(req, sv.id, r.id, "?melding=aangemaakt"));
}

/* ---- Letters and CSV. ---------------------------------------------------------------------- */

static void text(struct buf *b, const char *s)
{
    buf_append_html(b, s, strlen(s));
}

static void letters(struct http_req *req)
{
    struct survey sv;
    struct survey_round r;
    if (load_round(req, &sv, &r))
        return;
    struct round_code *codes = NULL;
    int n = 0;
    int rc = round_codes(req->arena, req->app->store, &req->actor, r.id, &codes, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct questionnaire q;
    struct err_ctx e = {0};
    const char *title = survey_parse(req->arena, sv.document, &q, &e) == 0 ? q.title : sv.title;
    const char *base = req->app->cfg->public_url;
    const char *site = arena_printf(req->arena, "%s/enquete", base);
    struct buf b;
    buf_init(&b, LETTERS_MAX);
    buf_append_str(&b, "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<title>");
    text(&b, _("Uitnodigingsbrieven"));
    buf_append_str(&b, " – ");
    text(&b, r.name);
    buf_append_str(&b, "</title><link rel=\"stylesheet\" href=\"/static/brieven.css\"></head>"
                       "<body><main>");
    if (n == 0) {
        buf_append_str(&b, "<h1>");
        text(&b, _("Er zijn nog geen codes om te printen."));
        buf_append_str(&b, "</h1>");
    }
    for (int i = 0; i < n; i++) {
        char shown[SURVEY_CODE_SHOWN_LEN + 1];
        survey_code_format(codes[i].code, shown);
        const char *url = arena_printf(req->arena, "%s?code=%s", site, shown);
        buf_append_str(&b, "<article class=\"brief\"");
        buf_appendf(&b, " aria-labelledby=\"brief-%d\"><p class=\"afzender\">", i + 1);
        text(&b, r.owner_name);
        buf_appendf(&b, "</p><h1 id=\"brief-%d\">", i + 1);
        text(&b, title);
        buf_append_str(&b, "</h1><p>");
        text(&b, _("Beste inwoner,"));
        buf_append_str(&b, "</p><p>");
        text(&b, _("U krijgt hulp of ondersteuning via de gemeente. Wij willen graag weten hoe u "
                   "die hulp ervaart. Zo kunnen we de hulp beter maken. Wilt u daarom een paar "
                   "vragen beantwoorden? Dat duurt ongeveer 5 minuten."));
        buf_append_str(&b, "</p><p>");
        text(&b, _("Uw antwoorden zijn anoniem. Niemand kan zien wat u heeft ingevuld. Meedoen "
                   "is niet verplicht. Of u meedoet, heeft geen gevolgen voor uw hulp."));
        buf_append_str(&b, "</p><h2>");
        text(&b, _("Zo doet u mee"));
        buf_append_str(&b, "</h2><div class=\"meedoen\"><ol><li>");
        text(&b, _("Ga op uw telefoon, tablet of computer naar:"));
        buf_append_str(&b, " <strong class=\"adres\">");
        text(&b, site);
        buf_append_str(&b, "</strong></li><li>");
        text(&b, _("Vul deze code in:"));
        buf_append_str(&b, " <strong class=\"code\">");
        text(&b, shown);
        buf_append_str(&b, "</strong></li><li>");
        text(&b, _("Beantwoord de vragen. U kunt tussendoor stoppen en later verder gaan met "
                   "dezelfde code."));
        buf_append_str(&b, "</li></ol><figure class=\"qr\">");
        if (qr_svg(&b, url, _("QR-code met een link naar de vragenlijst en uw code"), 35) != 0) {
            buf_release(&b);
            page_error(req, 500, NULL);
            return;
        }
        buf_append_str(&b, "<figcaption>");
        text(&b, _("Of scan deze QR-code met de camera van uw telefoon."));
        buf_append_str(&b, "</figcaption></figure></div><p>");
        text(&b, arena_printf(req->arena, _("U kunt meedoen tot en met %s."),
                              day_text(req, r.closes_on)));
        buf_append_str(&b, "</p><p>");
        text(&b, _("Heeft u vragen of wilt u de vragen liever op papier of met hulp invullen? "
                   "Neem dan contact op met de gemeente."));
        buf_append_str(&b, "</p><p>");
        text(&b, _("Alvast bedankt voor uw hulp."));
        buf_append_str(&b, "</p><p>");
        text(&b, r.owner_name);
        buf_append_str(&b, "</p></article>");
    }
    buf_append_str(&b, "</main></body></html>");
    if (!b.p) {
        page_error(req, 500, NULL);
        return;
    }
    http_resp_html(req, 200, b.p, b.len);
    buf_release(&b);
}

static void codes_csv(struct http_req *req)
{
    struct survey sv;
    struct survey_round r;
    if (load_round(req, &sv, &r))
        return;
    struct round_code *codes = NULL;
    int n = 0;
    int rc = round_codes(req->arena, req->app->store, &req->actor, r.id, &codes, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct buf b;
    buf_init(&b, LETTERS_MAX);
    /* A BOM so spreadsheet programs read UTF-8; ';' as Dutch Excel expects. */
    buf_append_str(&b, "\xEF\xBB\xBF"
                       "code;link\r\n");
    for (int i = 0; i < n; i++) {
        char shown[SURVEY_CODE_SHOWN_LEN + 1];
        survey_code_format(codes[i].code, shown);
        /* Codes and the configured URL cannot hold ; " or a formula lead character
         * (alphabet and config checks), so no quoting is needed. */
        buf_appendf(&b, "%s;%s/enquete?code=%s\r\n", shown, req->app->cfg->public_url, shown);
    }
    if (!b.p) {
        page_error(req, 500, NULL);
        return;
    }
    req->resp.status = 200;
    req->resp.content_type = "text/csv; charset=utf-8";
    req->resp.body = arena_strndup(req->arena, b.p, b.len);
    req->resp.body_len = b.len;
    buf_release(&b);
    http_resp_header(
        req, "Content-Disposition",
        arena_printf(req->arena, "attachment; filename=\"codes-uitvraag-%" PRId64 ".csv\"", r.id));
}

const struct route round_page_routes[] = {
    {"GET", "/enquetes/{id}/rondes", list_page, 0, "round.list"},
    {"POST", "/enquetes/{id}/rondes", create, 0, "round.create"},
    {"GET", "/enquetes/{id}/rondes/{id}", round_page, 0, "round.view"},
    {"POST", "/enquetes/{id}/rondes/{id}/openen", open_round, 0, "round.open"},
    {"POST", "/enquetes/{id}/rondes/{id}/sluiten", close_round, 0, "round.close"},
    {"POST", "/enquetes/{id}/rondes/{id}/codes", make_codes, 0, "round.codes_make"},
    {"GET", "/enquetes/{id}/rondes/{id}/brieven", letters, 0, "round.letters"},
    {"GET", "/enquetes/{id}/rondes/{id}/codes.csv", codes_csv, 0, "round.codes_csv"},
    ROUTES_END,
};
