/*
 * page_conversation.c: the conversation pages' shared frame and the plan: /gesprekken (the list
 * with filters), /gesprekken/nieuw (plan a conversation: kind, title, goal, results, parties,
 * period, date, place and the invited people with their roles), /gesprekken/{id} (overview
 * with the step indicator), editing and cancelling the plan, and the one route table of all
 * conversation pages (the steps live in page_conversation_*.c). What is shown is decided by
 * the domain (conversation_get / conversation_list ask the policy).
 */
#include "web/page_conversation.h"
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "store/store.h"
#include "web/app.h"
#include "web/figures.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define CONV_PAGE_SIZE 25
#define ORG_CHOICES    500

/* ---- Shared ---------------------------------------------------------------------------------- */

const char *conv_href(struct http_req *req, int64_t id, const char *suffix)
{
    return arena_printf(req->arena, "/gesprekken/%" PRId64 "%s", id, suffix ? suffix : "");
}

int conv_page_load(struct http_req *req, struct conversation *c)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return 1;
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, c);
    if (rc) {
        kit_fail(req, rc);
        return 1;
    }
    return 0;
}

bool conv_page_may(struct http_req *req, enum action act, const struct conversation *c)
{
    struct object_ref obj;
    conversation_object(c, req->arena, &obj);
    return policy_allows(&req->actor, act, &obj);
}

/* Which steps are done, by status (a step is done when the conversation has gone past it). */
static bool step_done(const struct conversation *c, enum conv_step s)
{
    switch (s) {
    case STEP_PLAN:
        return true;
    case STEP_VOORBEREIDEN:
        return c->status != CONV_GEPLAND;
    case STEP_HOUDEN:
        return c->status == CONV_GEHOUDEN || c->status == CONV_AFGEROND;
    case STEP_AFRONDEN:
        return c->status == CONV_AFGEROND;
    case STEP_EVALUEREN:
    case STEP_NONE:
        break;
    }
    return false;
}

void conv_page_begin(struct html *h, struct http_req *req, const struct conversation *c,
                     const char *page_title, enum conv_step step)
{
    static const struct {
        const char *label, *suffix;
    } steps[] = {
        {N_("Plan"), ""},
        {N_("Voorbereiden"), "/voorbereiden"},
        {N_("Houden"), "/houden"},
        {N_("Afronden"), "/afronden"},
        {N_("Evalueren"), "/evaluatie"},
    };
    const char *href = conv_href(req, c->id, NULL);
    struct crumb crumbs[4] = {{_("Start"), "/"}, {_("Gesprekken"), "/gesprekken"}};
    int nc = 2;
    if (page_title) {
        crumbs[nc++] = (struct crumb){c->title, href};
        crumbs[nc++] = (struct crumb){page_title, NULL};
    } else {
        crumbs[nc++] = (struct crumb){c->title, NULL};
    }
    const char *title =
        page_title ? arena_printf(req->arena, "%s: %s", page_title, c->title) : c->title;
    page_begin(h, req, title ? title : c->title, crumbs, nc);
    html_raw(h, "<link rel=\"stylesheet\" href=\"/static/gesprek.css\">");
    page_flash(h, req);
    conv_flash(h, req);
    html_raw(h, "<nav class=\"duiding-steps\" aria-label=\"");
    html_text(h, _("Stappen van het gesprek"));
    html_raw(h, "\"><ol>");
    for (int k = 0; k < (int)ARRAY_LEN(steps); k++) {
        bool cur = k == (int)step;
        html_raw(h, "<li class=\"duiding-steps__step");
        if (step_done(c, (enum conv_step)k))
            html_raw(h, " duiding-steps__step--done");
        html_raw(h, "\"><a class=\"utrecht-link\"");
        html_url_attr(h, "href", conv_href(req, c->id, steps[k].suffix));
        if (cur)
            html_raw(h, " aria-current=\"step\"");
        html_raw(h, "><span class=\"duiding-steps__nr\">");
        html_int(h, k + 1);
        html_raw(h, "</span> ");
        html_text(h, _(steps[k].label));
        if (step_done(c, (enum conv_step)k) && k < STEP_EVALUEREN) {
            html_raw(h, "<span class=\"duiding-visually-hidden\"> (");
            html_text(h, _("gedaan"));
            html_raw(h, ")</span>");
        }
        html_raw(h, "</a></li>");
    }
    html_raw(h, "</ol></nav>");
    if (c->status == CONV_GEANNULEERD)
        page_alert(h, "info", _("Dit gesprek is geannuleerd."));
}

void conv_paragraphs(struct html *h, const char *text)
{
    const char *p = text ? text : "";
    if (!*p) {
        html_raw(h, "<p class=\"utrecht-paragraph\">–</p>");
        return;
    }
    while (*p) {
        while (*p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (n && p[n - 1] == '\r')
                n--;
            html_textn(h, p, n);
            if (!nl) {
                p += strlen(p);
                break;
            }
            p = nl + 1;
            if (*p == '\n' || (*p == '\r' && p[1] == '\n'))
                break;
            if (*p)
                html_raw(h, "<br>");
        }
        html_raw(h, "</p>");
    }
}

void conv_flash(struct html *h, struct http_req *req)
{
    static const struct {
        const char *code, *msg;
    } flashes[] = {
        {"gepland", N_("Het gesprek is gepland.")},
        {"geannuleerd", N_("Het gesprek is geannuleerd.")},
        {"gehouden", N_("Vastgelegd dat het gesprek is gehouden.")},
        {"notitie", N_("De notitie is opgeslagen.")},
        {"verwijderd", N_("De notitie is verwijderd.")},
        {"afgerond", N_("Samenvatting en conclusies zijn opgeslagen.")},
        {"goedgekeurd", N_("Het verslag is goedgekeurd namens uw organisatie.")},
        {"ingetrokken-akkoord", N_("Uw goedkeuring is ingetrokken.")},
        {"geevalueerd", N_("Dank u wel: uw evaluatie is opgeslagen.")},
        {"startvragen", N_("De antwoorden staan in de verandertheorie.")},
    };
    const char *m = http_query(req, "melding");
    for (size_t i = 0; m && i < ARRAY_LEN(flashes); i++)
        if (strcmp(m, flashes[i].code) == 0)
            page_alert(h, "ok", _(flashes[i].msg));
}

/* ---- List ------------------------------------------------------------------------------------ */

static bool may_plan(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_CONVERSATION,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

static void list_page(struct http_req *req)
{
    struct conv_filter f = {.limit = CONV_PAGE_SIZE, .offset = kit_offset(req)};
    const char *status = kit_trimmed(req->arena, http_query(req, "status"));
    const char *van = kit_trimmed(req->arena, http_query(req, "van"));
    const char *tot = kit_trimmed(req->arena, http_query(req, "tot"));
    enum conv_status st;
    if (status && conv_status_parse(status, &st) == 0)
        f.status = st;
    else
        status = NULL;
    day_t dv, dt;
    if (van && tot && kit_parse_day(van, &dv) && kit_parse_day(tot, &dt) && dv <= dt) {
        f.has_period = true;
        f.from = dv;
        f.to = dt;
    }
    f.party_org_id = kit_id(http_query(req, "aanbieder"));
    f.result_id = kit_id(http_query(req, "resultaat"));
    struct conversation *rows = NULL;
    int n = 0, total = 0;
    int rc = conversation_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Gesprekken"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Kwaliteitsgesprekken"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    conv_flash(&h, req);
    kit_para(&h, _("Gesprekken tussen gemeente en aanbieders over de resultaten: plannen, "
                   "voorbereiden met een datapakket, houden in vier fasen, afronden met "
                   "verbeteracties en evalueren. U ziet de gesprekken waar uw organisatie aan "
                   "meedoet of waarvoor u bent uitgenodigd."));
    kit_actions_begin(&h);
    if (may_plan(req))
        kit_button_link(&h, "/gesprekken/nieuw", _("Gesprek plannen"), true);
    /* The evaluations across conversations are for the organising gemeente or region. */
    struct object_ref stats = {.kind = OBJ_CONVERSATION_STATS,
                               .owner_org_id = req->actor.org_id,
                               .owner_org_kind = req->actor.org_kind};
    if (policy_allows(&req->actor, ACT_VIEW, &stats))
        kit_button_link(&h, "/gesprekken/evaluaties", _("Evaluaties over gesprekken"), false);
    kit_actions_end(&h);
    kit_filter_begin(&h, "/gesprekken", _("Gesprekken filteren"));
    struct form_option sopts[6] = {{"", _("Alle")}};
    for (int k = CONV_GEPLAND; k <= CONV_GEANNULEERD; k++)
        sopts[k] = (struct form_option){conv_status_code((enum conv_status)k),
                                        conv_status_label((enum conv_status)k)};
    form_select(&h, NULL, "status", _("Status"), sopts, 6, status ? status : "", NULL);
    kit_filter_text(&h, "van", _("Datum vanaf"), van, _("Bijvoorbeeld 1-1-2025"));
    kit_filter_text(&h, "tot", _("Datum tot en met"), tot, NULL);
    kit_filter_end(&h, "/gesprekken");
    if (n == 0) {
        kit_para(&h, _("Er zijn (nog) geen gesprekken die u kunt zien."));
    } else {
        const char *heads[] = {_("Gesprek"), _("Datum"), _("Soort"), _("Partijen"), _("Status")};
        table_begin(&h, _("Gesprekken"), heads, (int)ARRAY_LEN(heads));
        for (int k = 0; k < n; k++) {
            const struct conversation *c = &rows[k];
            table_row_begin(&h);
            table_cell_link(&h, conv_href(req, c->id, NULL), c->title);
            kit_cell_begin(&h);
            kit_time_day(&h, c->held_on);
            kit_cell_end(&h);
            table_cell(&h, conv_kind_label(c->kind));
            kit_cell_begin(&h);
            for (int p = 0; p < c->nparties; p++) {
                if (p)
                    html_raw(&h, ", ");
                html_text(&h, c->parties[p].org_name);
            }
            kit_cell_end(&h);
            table_cell(&h, conv_status_label(c->status));
            table_row_end(&h);
        }
        table_end(&h);
        const char *kv[] = {"status", status, "van", van, "tot", tot};
        page_pager(&h, kit_url(req->arena, "/gesprekken", kv, 3), f.offset, f.limit, total);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- Plan form ------------------------------------------------------------------------------- */

static const struct kit_field fields[] = {
    {"soort", "soort kind"},       {"titel", "titel title"},
    {"doel", "doel goal"},         {"resultaat", "resultids resultaat"},
    {"partij", "parties partij"},  {"deelnemers", "participants deelnemers"},
    {"periode_van", "periodfrom"}, {"periode_tot", "periodto"},
    {"datum", "heldon datum"},     {"plaats", "place plaats"},
    {"gemeente", "gemeente"},      {"vorige", "previousid vorige"},
};

/* The form as sent (text), so a refused form comes back as it was. */
struct plan_form {
    int64_t id, version, previous_id;
    const char *soort, *titel, *doel, *gemeente, *van, *tot, *datum, *plaats;
    const char **resultaat, **partij;
    int nresultaat, npartij;
    int64_t *role_user;
    int *role;
    int nrole;
};

static bool in_list(const char **list, int n, const char *v)
{
    for (int k = 0; k < n; k++)
        if (list[k] && strcmp(list[k], v) == 0)
            return true;
    return false;
}

static int role_of(const struct plan_form *pf, int64_t user)
{
    for (int k = 0; k < pf->nrole; k++)
        if (pf->role_user[k] == user)
            return pf->role[k];
    return 0;
}

static void render_plan(struct http_req *req, const struct plan_form *pf,
                        const struct form_errors *fe, int status, const char *notice,
                        const struct conversation *cur)
{
    struct arena *a = req->arena;
    struct store *s = req->app->store;
    /* Results of the owner and of its regions. */
    int64_t owner = cur ? cur->owner_org_id : req->actor.org_id;
    struct result_filter rf = {.owner_org_id = owner, .limit = 500};
    struct result *res = NULL;
    int nres = 0, tres = 0;
    result_list(a, s, &req->actor, &rf, &res, &nres, &tres);
    struct org ownerorg;
    struct result *more[ACTOR_MAX_REGIONS] = {0};
    int nmore[ACTOR_MAX_REGIONS] = {0};
    int nparents = 0;
    if (org_get_internal(a, s, owner, &ownerorg) == 0) {
        nparents = ownerorg.nparents;
        for (int k = 0; k < nparents; k++) {
            struct result_filter rr = {.owner_org_id = ownerorg.parent_ids[k], .limit = 500};
            int t;
            result_list(a, s, &req->actor, &rr, &more[k], &nmore[k], &t);
        }
    }
    /* Parties: aanbieders, and the regions and toegang teams. */
    struct org_filter of = {.kind = ORG_AANBIEDER, .limit = ORG_CHOICES};
    struct org *prov = NULL;
    int nprov = 0, tprov = 0;
    org_list(a, s, &req->actor, &of, &prov, &nprov, &tprov);
    struct org_filter ofr = {.kind = ORG_REGION, .limit = 100};
    struct org *regs = NULL;
    int nregs = 0, tregs = 0;
    org_list(a, s, &req->actor, &ofr, &regs, &nregs, &tregs);

    struct html h;
    html_init(&h);
    const char *title = cur ? _("Planning wijzigen") : _("Gesprek plannen");
    if (cur) {
        conv_page_begin(&h, req, cur, title, STEP_PLAN);
    } else {
        const struct crumb crumbs[] = {
            {_("Start"), "/"}, {_("Gesprekken"), "/gesprekken"}, {title, NULL}};
        page_begin(&h, req, title, crumbs, (int)ARRAY_LEN(crumbs));
    }
    if (notice)
        page_alert(&h, "warning", notice);
    form_error_summary(&h, fe);
    form_begin(&h, req, cur ? conv_href(req, cur->id, NULL) : "/gesprekken");
    if (cur) {
        html_raw(&h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(&h, "value", pf->version);
        html_raw(&h, ">");
    }
    if (pf->previous_id > 0) {
        html_raw(&h, "<input type=\"hidden\" name=\"vorige\"");
        html_attr_int(&h, "value", pf->previous_id);
        html_raw(&h, ">");
        page_alert(&h, "info",
                   _("Dit is een vervolggesprek: het datapakket begint bij de open acties van het "
                     "vorige gesprek."));
    }
    const struct form_option kinds[] = {
        {"achterkant", conv_kind_label(CONV_ACHTERKANT)},
        {"voorkant", conv_kind_label(CONV_VOORKANT)},
    };
    form_select(&h, fe, "soort", _("Soort gesprek"), kinds, 2, pf->soort,
                _("Een voorkantgesprek gaat over de resultaten en de verandertheorie (weinig "
                  "gegevens); een achterkantgesprek over de cijfers en verhalen."));
    form_input(&h, fe, "titel", _("Titel"), "text", pf->titel, NULL, true, "off");
    form_textarea(&h, fe, "doel", _("Doel van het gesprek"), pf->doel,
                  _("Wat willen we samen weten of besluiten?"));
    int nopts = nres;
    for (int k = 0; k < nparents; k++)
        nopts += nmore[k];
    struct form_option *ropts = arena_calloc(a, (size_t)nopts + 1, sizeof *ropts);
    bool *rchk = arena_calloc(a, (size_t)nopts + 1, sizeof *rchk);
    int nr = 0;
    for (int k = 0; ropts && rchk && k < nres; k++, nr++) {
        ropts[nr].value = arena_printf(a, "%" PRId64, res[k].id);
        ropts[nr].label = res[k].title;
        rchk[nr] = in_list(pf->resultaat, pf->nresultaat, ropts[nr].value);
    }
    for (int p = 0; ropts && rchk && p < nparents; p++)
        for (int k = 0; k < nmore[p]; k++, nr++) {
            ropts[nr].value = arena_printf(a, "%" PRId64, more[p][k].id);
            ropts[nr].label = arena_printf(a, "%s (%s)", more[p][k].title, more[p][k].owner_name);
            rchk[nr] = in_list(pf->resultaat, pf->nresultaat, ropts[nr].value);
        }
    if (ropts && rchk)
        form_checkboxes(&h, fe, "resultaat", _("Maatschappelijke resultaten"), ropts, nr, rchk);
    struct form_option *popts = arena_calloc(a, (size_t)(nprov + nregs) + 1, sizeof *popts);
    bool *pchk = arena_calloc(a, (size_t)(nprov + nregs) + 1, sizeof *pchk);
    int np = 0;
    for (int k = 0; popts && pchk && k < nprov + nregs; k++) {
        const struct org *o = k < nprov ? &prov[k] : &regs[k - nprov];
        if (o->id == owner || o->archived)
            continue;
        popts[np].value = arena_printf(a, "%" PRId64, o->id);
        popts[np].label = k < nprov ? o->name : arena_printf(a, "%s (%s)", o->name, _("regio"));
        pchk[np] = in_list(pf->partij, pf->npartij, popts[np].value);
        np++;
    }
    if (popts && pchk)
        form_checkboxes(&h, fe, "partij", _("Aanbieders en andere partijen"), popts, np, pchk);
    /* Which gemeente the figures are about: a gemeente plans about itself; a region chooses one
     * of its gemeenten, or the whole region. */
    if (req->actor.org_kind == ORG_REGION) {
        struct org_filter gf = {.kind = ORG_GEMEENTE, .parent_id = owner, .limit = 200};
        struct org *gms = NULL;
        int ngm = 0, tgm = 0;
        org_list(a, s, &req->actor, &gf, &gms, &ngm, &tgm);
        struct form_option *gopts = arena_calloc(a, (size_t)ngm + 1, sizeof *gopts);
        int ng = 0;
        if (gopts) {
            gopts[ng++] = (struct form_option){"", _("De hele regio")};
            for (int k = 0; k < ngm; k++)
                if (gms[k].cbs_code && !gms[k].archived)
                    gopts[ng++] = (struct form_option){gms[k].cbs_code, gms[k].name};
            form_select(&h, fe, "gemeente", _("Gemeente"), gopts, ng, pf->gemeente,
                        _("Over welke gemeente gaan de cijfers?"));
        }
    } else if (pf->gemeente && *pf->gemeente) {
        html_raw(&h, "<input type=\"hidden\" name=\"gemeente\"");
        html_attr(&h, "value", pf->gemeente);
        html_raw(&h, ">");
    }
    form_input(&h, fe, "periode_van", _("Periode vanaf"), "text", pf->van,
               _("Over welke periode gaan de cijfers? Bijvoorbeeld 1-1-2025"), true, "off");
    form_input(&h, fe, "periode_tot", _("Periode tot en met"), "text", pf->tot,
               _("Bijvoorbeeld 31-12-2025"), true, "off");
    form_input(&h, fe, "datum", _("Datum van het gesprek"), "text", pf->datum,
               _("Bijvoorbeeld 10-2-2026"), true, "off");
    form_input(&h, fe, "plaats", _("Plaats"), "text", pf->plaats, NULL, false, "off");

    /* Participants: the people of the owner and the chosen or possible parties. */
    int64_t *orgs = arena_calloc(a, (size_t)nprov + 2, sizeof *orgs);
    int norgs = 0;
    if (orgs) {
        orgs[norgs++] = owner;
        for (int k = 0; k < nprov; k++)
            orgs[norgs++] = prov[k].id;
    }
    struct conv_participant *cand = NULL;
    int ncand = 0;
    conversation_candidates(a, s, &req->actor, cur ? cur->id : 0, orgs, norgs, &cand, &ncand);
    const char *perr = form_error_for(fe, "deelnemers");
    html_raw(&h, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset\" "
                 "id=\"veld-deelnemers\"><legend class=\"utrecht-form-fieldset__legend "
                 "utrecht-form-fieldset__legend--html-legend\">");
    html_text(&h, _("Deelnemers"));
    html_raw(&h, "</legend><p class=\"utrecht-paragraph duiding-hint\" id=\"hint-deelnemers\">");
    html_text(&h, _("Tip: werk in duo's. Nodig van elke kant twee mensen uit, bijvoorbeeld twee "
                    "professionals van de aanbieder en twee van de gemeente, en kies een "
                    "gespreksleider en een notulist."));
    html_raw(&h, "</p>");
    if (perr) {
        html_raw(&h, "<div class=\"utrecht-form-field-error-message\">");
        html_text(&h, perr);
        html_raw(&h, "</div>");
    }
    struct form_option role_opts[5] = {{"", _("Niet uitgenodigd")}};
    for (int r = CROLE_GESPREKSLEIDER; r <= CROLE_TOEHOORDER; r++)
        role_opts[r] = (struct form_option){conv_role_code((enum conv_role)r),
                                            conv_role_label((enum conv_role)r)};
    for (int k = 0; k < ncand; k++) {
        const char *name = arena_printf(a, "rol-%" PRId64, cand[k].user_id);
        const char *label = arena_printf(a, "%s (%s)", cand[k].display_name, cand[k].org_name);
        int r = role_of(pf, cand[k].user_id);
        form_select(&h, NULL, name ? name : "rol", label ? label : "", role_opts, 5,
                    r ? conv_role_code((enum conv_role)r) : "", NULL);
    }
    html_raw(&h, "</fieldset>");
    form_submit(&h, cur ? _("Opslaan") : _("Gesprek plannen"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void form_from(struct http_req *req, struct plan_form *pf, const struct conversation *c)
{
    struct arena *a = req->arena;
    memset(pf, 0, sizeof *pf);
    pf->id = c->id;
    pf->version = c->version;
    pf->previous_id = c->previous_id;
    pf->soort = conv_kind_code(c->kind);
    pf->titel = c->title;
    pf->doel = c->goal;
    pf->gemeente = c->gemeente;
    pf->van = kit_day_iso(a, c->period_from);
    pf->tot = kit_day_iso(a, c->period_to);
    pf->datum = kit_day_iso(a, c->held_on);
    pf->plaats = c->place;
    pf->resultaat = arena_calloc(a, (size_t)c->nresults + 1, sizeof *pf->resultaat);
    for (int k = 0; pf->resultaat && k < c->nresults; k++)
        pf->resultaat[pf->nresultaat++] = arena_printf(a, "%" PRId64, c->result_ids[k]);
    pf->partij = arena_calloc(a, (size_t)c->nparties + 1, sizeof *pf->partij);
    for (int k = 0; pf->partij && k < c->nparties; k++)
        pf->partij[pf->npartij++] = arena_printf(a, "%" PRId64, c->parties[k].org_id);
    pf->role_user = arena_calloc(a, (size_t)c->nparticipants + 1, sizeof *pf->role_user);
    pf->role = arena_calloc(a, (size_t)c->nparticipants + 1, sizeof *pf->role);
    for (int k = 0; pf->role_user && pf->role && k < c->nparticipants; k++) {
        pf->role_user[pf->nrole] = c->participants[k].user_id;
        pf->role[pf->nrole++] = (int)c->participants[k].role;
    }
}

static void new_page(struct http_req *req)
{
    if (!may_plan(req)) {
        page_error(req, 403,
                   _("Alleen beleids- of contractmedewerkers van een gemeente of regio "
                     "plannen gesprekken."));
        return;
    }
    struct plan_form pf = {.soort = "achterkant"};
    pf.previous_id = kit_id(http_query(req, "vorige"));
    if (pf.previous_id > 0) {
        struct conversation prev;
        if (conversation_get(req->arena, req->app->store, &req->actor, pf.previous_id, &prev) ==
            0) {
            /* A follow-up starts from the previous plan: same results, parties and people. */
            form_from(req, &pf, &prev);
            pf.id = 0;
            pf.version = 0;
            pf.previous_id = prev.id;
            pf.titel = arena_printf(req->arena, "%s (%s)", prev.title, _("vervolg"));
            pf.datum = NULL;
        } else {
            pf.previous_id = 0;
        }
    }
    /* From a result's page: that result ticked. */
    const char *rid = http_query(req, "resultaat");
    if (pf.nresultaat == 0 && kit_id(rid) > 0) {
        pf.resultaat = arena_calloc(req->arena, 1, sizeof *pf.resultaat);
        if (pf.resultaat) {
            pf.resultaat[0] = arena_printf(req->arena, "%" PRId64, kit_id(rid));
            pf.nresultaat = pf.resultaat[0] ? 1 : 0;
        }
    }
    render_plan(req, &pf, NULL, 200, NULL, NULL);
}

/* Reads the plan form into pf and in; problems the page finds itself go to fe. */
static void read_plan(struct http_req *req, struct plan_form *pf, struct form_errors *fe,
                      struct conv_input *in)
{
    struct arena *a = req->arena;
    pf->soort = http_form(req, "soort");
    pf->titel = http_form(req, "titel");
    pf->doel = http_form(req, "doel");
    pf->gemeente = kit_trimmed(a, http_form(req, "gemeente"));
    pf->van = http_form(req, "periode_van");
    pf->tot = http_form(req, "periode_tot");
    pf->datum = http_form(req, "datum");
    pf->plaats = http_form(req, "plaats");
    pf->previous_id = kit_id(http_form(req, "vorige"));
    pf->resultaat = http_form_all(req, "resultaat", &pf->nresultaat);
    pf->partij = http_form_all(req, "partij", &pf->npartij);
    enum conv_kind kind = 0;
    if (conv_kind_parse(pf->soort, &kind))
        kit_error(fe, "soort", _("Kies het soort gesprek."));
    in->kind = (int)kind;
    in->title = pf->titel;
    in->goal = pf->doel;
    in->place = pf->plaats;
    in->gemeente = pf->gemeente;
    in->previous_id = pf->previous_id;
    if (!pf->van || !kit_parse_day(pf->van, &in->period_from))
        kit_error(fe, "periode_van", _("Vul het begin van de periode in, bijvoorbeeld 1-1-2025."));
    if (!pf->tot || !kit_parse_day(pf->tot, &in->period_to))
        kit_error(fe, "periode_tot",
                  _("Vul het einde van de periode in, bijvoorbeeld 31-12-2025."));
    if (!pf->datum || !kit_parse_day(pf->datum, &in->held_on))
        kit_error(fe, "datum", _("Vul de datum van het gesprek in, bijvoorbeeld 10-2-2026."));
    int64_t *rids = arena_calloc(a, (size_t)pf->nresultaat + 1, sizeof *rids);
    for (int k = 0; rids && k < pf->nresultaat && k <= CONV_MAX_RESULTS; k++)
        rids[in->nresults++] = kit_id(pf->resultaat[k]);
    in->result_ids = rids;
    struct conv_party_input *parties = arena_calloc(a, (size_t)pf->npartij + 1, sizeof *parties);
    for (int k = 0; parties && k < pf->npartij && k < CONV_MAX_PARTIES; k++)
        parties[in->nparties++] = (struct conv_party_input){.org_id = kit_id(pf->partij[k])};
    in->parties = parties;
    /* Roles: every field "rol-<user id>" with a role. */
    int cap = CONV_MAX_PARTICIPANTS + 1;
    pf->role_user = arena_calloc(a, (size_t)cap, sizeof *pf->role_user);
    pf->role = arena_calloc(a, (size_t)cap, sizeof *pf->role);
    struct conv_participant_input *people = arena_calloc(a, (size_t)cap, sizeof *people);
    for (int k = 0; people && pf->role && pf->role_user && k < req->nform; k++) {
        const char *name = req->form[k].key;
        if (strncmp(name, "rol-", 4) != 0 || !req->form[k].value || !*req->form[k].value)
            continue;
        enum conv_role r;
        int64_t uid = kit_id(name + 4);
        if (uid <= 0 || conv_role_parse(req->form[k].value, &r))
            continue;
        if (pf->nrole >= cap) {
            kit_error(fe, "deelnemers", _("Nodig hoogstens 40 deelnemers uit."));
            break;
        }
        pf->role_user[pf->nrole] = uid;
        pf->role[pf->nrole++] = (int)r;
        people[in->nparticipants++] = (struct conv_participant_input){uid, (int)r};
    }
    in->participants = people;
}

static void save_plan(struct http_req *req, int64_t id)
{
    struct plan_form pf = {0};
    struct form_errors fe = {0};
    struct conv_input in = {0};
    struct err_ctx e = {0};
    struct conversation cur;
    int rc;
    if (id) {
        if (conv_page_load(req, &cur))
            return;
        if (!conv_page_may(req, ACT_EDIT, &cur)) {
            page_error(req, 403, NULL);
            return;
        }
        pf.id = id;
        pf.version = kit_id(http_form(req, "versie"));
        in.version = pf.version;
        in.owner_org_id = cur.owner_org_id;
    } else {
        if (!may_plan(req)) {
            page_error(req, 403, NULL);
            return;
        }
        in.owner_org_id = req->actor.org_id;
    }
    read_plan(req, &pf, &fe, &in);
    if (fe.n > 0) {
        render_plan(req, &pf, &fe, 422, NULL, id ? &cur : NULL);
        return;
    }
    rc = id ? conversation_update(req->app->store, &req->actor, id, &in, &e)
            : conversation_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_plan(req, &pf, &fe, 422, NULL, pf.id ? &cur : NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_plan(req, &pf, NULL, 409, e.msg, &cur);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, id, pf.id ? "?melding=opgeslagen" : "?melding=gepland"));
}

static void create_post(struct http_req *req)
{
    save_plan(req, 0);
}

static void update_post(struct http_req *req)
{
    int64_t id;
    if (!http_param_id_or_404(req, 0, &id))
        save_plan(req, id);
}

static void edit_page(struct http_req *req)
{
    struct conversation c;
    if (conv_page_load(req, &c))
        return;
    if (!conv_page_may(req, ACT_EDIT, &c)) {
        page_error(req, 403, NULL);
        return;
    }
    if (c.status != CONV_GEPLAND && c.status != CONV_VOORBEREID) {
        page_error(req, 409,
                   _("Dit gesprek is al gehouden of geannuleerd; de planning ligt vast."));
        return;
    }
    struct plan_form pf;
    form_from(req, &pf, &c);
    render_plan(req, &pf, NULL, 200, NULL, &c);
}

static void cancel_post(struct http_req *req)
{
    struct conversation c;
    struct err_ctx e = {0};
    if (conv_page_load(req, &c))
        return;
    int rc = conversation_cancel(req->app->store, &req->actor, c.id,
                                 kit_id(http_form(req, "versie")), &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        page_error(req, 409, e.msg);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id, "?melding=geannuleerd"));
}

/* ---- Overview -------------------------------------------------------------------------------- */

static void version_button(struct html *h, struct http_req *req, const char *action,
                           const char *label, int64_t version, bool danger)
{
    form_begin(h, req, action);
    html_raw(h, "<input type=\"hidden\" name=\"versie\"");
    html_attr_int(h, "value", version);
    html_raw(h, "><button type=\"submit\" class=\"utrecht-button ");
    html_raw(h, "utrecht-button--secondary-action");
    if (danger)
        html_raw(h, " duiding-button--danger");
    html_raw(h, "\">");
    html_text(h, label);
    html_raw(h, "</button>");
    form_end(h);
}

static void view_page(struct http_req *req)
{
    struct conversation c;
    if (conv_page_load(req, &c))
        return;
    bool editable = c.status == CONV_GEPLAND || c.status == CONV_VOORBEREID;
    struct html h;
    html_init(&h);
    conv_page_begin(&h, req, &c, NULL, STEP_PLAN);
    kit_actions_begin(&h);
    if (editable && conv_page_may(req, ACT_EDIT, &c))
        kit_button_link(&h, conv_href(req, c.id, "/bewerken"), _("Planning wijzigen"), false);
    kit_button_link(&h, conv_href(req, c.id, "/voorbereiden"), _("Voorbereiden"), editable);
    kit_button_link(&h, conv_href(req, c.id, "/houden"), _("Naar het gesprek"), false);
    if (c.status == CONV_AFGEROND)
        kit_button_link(&h, conv_href(req, c.id, "/verslag"), _("Verslag"), true);
    if (c.status == CONV_AFGEROND && may_plan(req) && req->actor.org_id == c.owner_org_id)
        kit_button_link(&h, arena_printf(req->arena, "/gesprekken/nieuw?vorige=%" PRId64, c.id),
                        _("Vervolggesprek plannen"), false);
    kit_actions_end(&h);
    kit_h2(&h, _("Het gesprek"));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Soort"), conv_kind_label(c.kind));
    kit_dl_item(&h, _("Status"), conv_status_label(c.status));
    kit_dl_item_begin(&h, _("Datum"));
    kit_time_day(&h, c.held_on);
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Plaats"), c.place);
    kit_dl_item_begin(&h, _("Periode van de cijfers"));
    kit_time_day(&h, c.period_from);
    html_text(&h, " – ");
    kit_time_day(&h, c.period_to);
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Gemeente"),
                c.gemeente ? figures_label(req, MX_DIM_GEMEENTE, c.gemeente) : c.owner_name);
    kit_dl_item(&h, _("Georganiseerd door"), c.owner_name);
    kit_dl_item_begin(&h, _("Maatschappelijke resultaten"));
    for (int k = 0; k < c.nresults; k++) {
        struct result r;
        if (k)
            html_raw(&h, ", ");
        html_raw(&h, "<a class=\"utrecht-link\"");
        html_url_attr(&h, "href",
                      arena_printf(req->arena, "/resultaten/%" PRId64, c.result_ids[k]));
        html_raw(&h, ">");
        if (result_get(req->arena, req->app->store, &req->actor, c.result_ids[k], &r) == 0)
            html_text(&h, r.title);
        else
            html_int(&h, c.result_ids[k]);
        html_raw(&h, "</a>");
    }
    kit_dl_item_end(&h);
    if (c.previous_id > 0) {
        kit_dl_item_begin(&h, _("Vervolg op"));
        html_raw(&h, "<a class=\"utrecht-link\"");
        html_url_attr(&h, "href", conv_href(req, c.previous_id, NULL));
        html_raw(&h, ">");
        html_text(&h, _("het vorige gesprek"));
        html_raw(&h, "</a>");
        kit_dl_item_end(&h);
    }
    kit_dl_end(&h);
    kit_h2(&h, _("Doel"));
    conv_paragraphs(&h, c.goal);

    const char *pheads[] = {_("Partij"), _("Kant"), _("Verslag goedgekeurd")};
    table_begin(&h, _("Partijen"), pheads, 3);
    for (int k = 0; k < c.nparties; k++) {
        const struct conv_party *p = &c.parties[k];
        table_row_begin(&h);
        table_cell(&h, p->org_name);
        table_cell(&h, conv_side_label(p->side));
        kit_cell_begin(&h);
        if (p->approved_at) {
            html_text(&h, _("Ja, door "));
            html_text(&h, p->approved_by_name ? p->approved_by_name : "–");
            html_text(&h, " ");
            kit_time_iso(&h, p->approved_at, false, NULL);
        } else {
            html_text(&h, _("Nog niet"));
        }
        kit_cell_end(&h);
        table_row_end(&h);
    }
    table_end(&h);
    const char *uheads[] = {_("Naam"), _("Organisatie"), _("Rol")};
    table_begin(&h, _("Deelnemers"), uheads, 3);
    for (int k = 0; k < c.nparticipants; k++) {
        table_row_begin(&h);
        table_cell(&h, c.participants[k].display_name);
        table_cell(&h, c.participants[k].org_name);
        table_cell(&h, conv_role_label(c.participants[k].role));
        table_row_end(&h);
    }
    table_end(&h);
    if (c.nparticipants == 0)
        kit_para(&h, _("Er is nog niemand persoonlijk uitgenodigd."));
    for (int k = 0; k < c.nparties; k++)
        if (conversation_count_participants_of(&c, c.parties[k].org_id) == 1) {
            page_alert(&h, "info",
                       _("Tip: van een van de partijen is maar één persoon uitgenodigd. Een duo "
                         "per kant helpt om samen te duiden."));
            break;
        }
    if (editable && conv_page_may(req, ACT_ARCHIVE, &c)) {
        kit_h2(&h, _("Annuleren"));
        version_button(&h, req, conv_href(req, c.id, "/annuleren"), _("Gesprek annuleren"),
                       c.version, true);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

const struct route conversation_page_routes[] = {
    {"GET", "/gesprekken", list_page, 0, "conversation.list"},
    {"GET", "/gesprekken/nieuw", new_page, 0, "conversation.new"},
    {"GET", "/gesprekken/evaluaties", conv_stats_page, 0, "conversation.stats"},
    {"POST", "/gesprekken", create_post, 0, "conversation.create"},
    {"GET", "/gesprekken/{id}", view_page, 0, "conversation.view"},
    {"POST", "/gesprekken/{id}", update_post, 0, "conversation.update"},
    {"GET", "/gesprekken/{id}/bewerken", edit_page, 0, "conversation.edit"},
    {"POST", "/gesprekken/{id}/annuleren", cancel_post, 0, "conversation.cancel"},
    {"GET", "/gesprekken/{id}/voorbereiden", conv_prepare_page, 0, "conversation.prepare"},
    {"POST", "/gesprekken/{id}/notities", conv_prep_create_post, 0, "conversation.prep_create"},
    {"POST", "/gesprekken/{id}/notities/{id}", conv_prep_update_post, 0,
     "conversation.prep_update"},
    {"POST", "/gesprekken/{id}/notities/{id}/verwijderen", conv_prep_delete_post, 0,
     "conversation.prep_delete"},
    {"GET", "/gesprekken/{id}/houden", conv_hold_page, 0, "conversation.hold"},
    {"POST", "/gesprekken/{id}/fasen/{phase}", conv_phase_post, 0, "conversation.phase_save"},
    {"POST", "/gesprekken/{id}/gehouden", conv_held_post, 0, "conversation.held"},
    {"POST", "/gesprekken/{id}/startvragen/{id}", conv_starters_post, 0, "conversation.starters"},
    {"GET", "/gesprekken/{id}/afronden", conv_conclude_page, 0, "conversation.conclude_form"},
    {"POST", "/gesprekken/{id}/afronden", conv_conclude_post, 0, "conversation.conclude"},
    {"GET", "/gesprekken/{id}/verslag", conv_minutes_page, 0, "conversation.minutes"},
    {"GET", "/gesprekken/{id}/verslag.pdf", conv_minutes_pdf, 0, "conversation.minutes_pdf"},
    {"POST", "/gesprekken/{id}/goedkeuren", conv_approve_post, 0, "conversation.approve"},
    {"POST", "/gesprekken/{id}/goedkeuring-intrekken", conv_unapprove_post, 0,
     "conversation.unapprove"},
    {"GET", "/gesprekken/{id}/evaluatie", conv_eval_page, 0, "conversation.evaluation"},
    {"POST", "/gesprekken/{id}/evaluatie", conv_eval_post, 0, "conversation.evaluate"},
    ROUTES_END,
};
