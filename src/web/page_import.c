/*
 * page_import.c: the data intake pages ("Gegevens"): the overview of deliveries, the upload
 * form, the progress page of a running import, the batch report with its rejected records and
 * correction file, and undoing a batch. What a user may see or do is decided by the domain
 * (batch_*, import_run) through the policy; policy_allows() is asked here only to hide buttons
 * that would fail.
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/policy.h"
#include "ingest/batch.h"
#include "ingest/pipeline.h"
#include "ingest/profile.h"
#include "web/import_job.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <unistd.h>

#define BATCH_PAGE_SIZE     25
#define REJECTION_PAGE_SIZE 100
#define PROGRESS_REFRESH    2 /* seconds between reloads without JavaScript */
#define PROFILE_OPTIONS     200

/* Form fields of the upload form. */
#define F_FILE    "bestand"
#define F_KIND    "soort"
#define F_PROFILE "profiel"

static const struct {
    const char *code;  /* form value and API code */
    const char *label; /* msgid */
    enum import_kind kind;
} kinds[] = {
    {"automatisch", N_("Automatisch herkennen"), IMPORT_AUTO},
    {"berichten", N_("Berichten (iJw/iWmo, XML of zip)"), IMPORT_MESSAGES},
    {"registratie", N_("Registratie-export (CSV of Excel)"), IMPORT_REGISTRATION},
    {"bevolking", N_("Bevolkingscijfers CBS (CSV)"), IMPORT_POPULATION},
};

static const struct {
    const char *code, *label; /* label: msgid */
} statuses[] = {
    {"actief", N_("Actief")},
    {"ongedaan", N_("Ongedaan gemaakt")},
    {"mislukt", N_("Mislukt")},
};

static const struct {
    const char *code, *label; /* label: msgid */
} vias[] = {
    {"web", N_("website")},
    {"api", N_("API")},
    {"cli", N_("opdrachtregel")},
    {"demo", N_("demo")},
};

/* Short names of the stored kinds, for lists and reports. */
static const struct {
    const char *code, *label; /* label: msgid */
} kind_names[] = {
    {"berichten", N_("Berichten (iJw/iWmo)")},
    {"registratie", N_("Registratie-export")},
    {"bevolking", N_("Bevolkingscijfers")},
};

static const char *kind_label(const char *code)
{
    for (size_t i = 0; code && i < ARRAY_LEN(kind_names); i++)
        if (strcmp(code, kind_names[i].code) == 0)
            return _(kind_names[i].label);
    return code;
}

static const char *status_label(const char *code)
{
    for (size_t i = 0; code && i < ARRAY_LEN(statuses); i++)
        if (strcmp(code, statuses[i].code) == 0)
            return _(statuses[i].label);
    return code;
}

static const char *via_label(const char *code)
{
    for (size_t i = 0; code && i < ARRAY_LEN(vias); i++)
        if (strcmp(code, vias[i].code) == 0)
            return _(vias[i].label);
    return code;
}

/* Known filter value or NULL: a list never errors on a silly query. */
static const char *known_status(const char *s)
{
    for (size_t i = 0; s && i < ARRAY_LEN(statuses); i++)
        if (strcmp(s, statuses[i].code) == 0)
            return statuses[i].code;
    return NULL;
}

static const char *known_kind(const char *s)
{
    for (size_t i = 1; s && i < ARRAY_LEN(kinds); i++)
        if (strcmp(s, kinds[i].code) == 0)
            return kinds[i].code;
    return NULL;
}

/* "12.345" with Dutch thousands separators. */
static const char *num(struct arena *a, int64_t v)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v);
    size_t k = 0;
    if (v < 0)
        out[k++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[k++] = '.';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return arena_strdup(a, out);
}

/* "1,4 MB": sizes in the Dutch way, 1 kB = 1000 bytes (like file managers show them). */
static const char *size_text(struct arena *a, int64_t bytes)
{
    static const char *const units[] = {"kB", "MB", "GB", "TB"};
    if (bytes < 1000)
        return arena_printf(a, ngettext("%lld byte", "%lld bytes", (unsigned long)bytes),
                            (long long)bytes);
    double v = (double)bytes;
    size_t u = 0;
    v /= 1000.0;
    while (v >= 1000.0 && u + 1 < ARRAY_LEN(units)) {
        v /= 1000.0;
        u++;
    }
    char *s = arena_printf(a, "%.1f %s", v, units[u]);
    for (char *p = s; p && *p; p++)
        if (*p == '.')
            *p = ',';
    return s;
}

static const char *batch_href(struct http_req *req, int64_t id, const char *suffix)
{
    return arena_printf(req->arena, "/gegevens/batches/%" PRId64 "%s", id, suffix);
}

static struct object_ref batch_ref(const struct import_batch *b)
{
    return (struct object_ref){.kind = OBJ_IMPORT_BATCH, .id = b->id, .owner_org_id = b->org_id};
}

/* Registration exports need a column-mapping profile: show the way to the wizard. */
static bool may_manage_profiles(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_MAPPING_PROFILE,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return policy_allows(&req->actor, ACT_LIST, &o);
}

static bool may_create(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_IMPORT_BATCH,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

static bool may_list(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_IMPORT_BATCH,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return policy_allows(&req->actor, ACT_LIST, &o);
}

/* The domain's failure as an error page; only messages written for users are shown. */
static void fail_page(struct http_req *req, int rc, const struct err_ctx *e)
{
    if (e && e->msg[0] && (rc == ERR_CONFLICT || rc == ERR_INVALID))
        page_error(req, rc == ERR_CONFLICT ? 409 : 422, e->msg);
    else
        kit_fail(req, rc);
}

/* --- Overview: GET /gegevens --- */

static void totals_section(struct html *h, struct http_req *req)
{
    struct intake_totals t = {0};
    struct err_ctx e = {0};
    if (intake_totals(req->app->store, &req->actor, &t, &e) != 0)
        return; /* the list below still helps; the totals are a summary only */
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"kop-totalen\">"
                "<h2 class=\"utrecht-heading-2\" id=\"kop-totalen\">");
    html_text(h, _("In duiding"));
    html_raw(h, "</h2>");
    kit_dl_begin(h);
    kit_dl_item(h, _("Trajecten"), num(req->arena, t.trajectories));
    kit_dl_item(h, _("Waarvan nog lopend"), num(req->arena, t.open_trajectories));
    kit_dl_item(h, _("Gegevensregels (feiten)"), num(req->arena, t.facts));
    kit_dl_item(h, _("Actieve aanleveringen"), num(req->arena, t.batches_active));
    kit_dl_end(h);
    html_raw(h, "</section>");
}

static void filter_form(struct html *h, const char *status, const char *kind)
{
    struct form_option sopts[ARRAY_LEN(statuses) + 1], kopts[ARRAY_LEN(kinds)];
    int ns = 0, nk = 0;
    sopts[ns++] = (struct form_option){"", _("Alle statussen")};
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
        sopts[ns++] = (struct form_option){statuses[i].code, _(statuses[i].label)};
    kopts[nk++] = (struct form_option){"", _("Alle soorten")};
    for (size_t i = 0; i < ARRAY_LEN(kind_names); i++)
        kopts[nk++] = (struct form_option){kind_names[i].code, _(kind_names[i].label)};
    kit_filter_begin(h, "/gegevens", _("Aanleveringen filteren"));
    form_select(h, NULL, "status", _("Status"), sopts, ns, status ? status : "", NULL);
    form_select(h, NULL, "soort", _("Soort"), kopts, nk, kind ? kind : "", NULL);
    kit_filter_end(h, "/gegevens");
}

/* "120 gelezen: 100 geaccepteerd, 15 afgewezen, 5 overgeslagen" for a list cell. */
static void counts_cell(struct html *h, struct http_req *req, const struct import_batch *b)
{
    kit_cell_begin(h);
    html_textf(h, _("%s gelezen"), num(req->arena, b->n_read));
    html_raw(h, "<br><span class=\"duiding-muted\">");
    html_textf(h, _("%s geaccepteerd, %s afgewezen, %s overgeslagen"),
               num(req->arena, b->n_accepted), num(req->arena, b->n_rejected),
               num(req->arena, b->n_skipped));
    html_raw(h, "</span>");
    kit_cell_end(h);
}

static void overview_page(struct http_req *req)
{
    const char *status = known_status(http_query(req, "status"));
    const char *kind = known_kind(http_query(req, "soort"));
    int offset = kit_offset(req);
    struct batch_filter f = {
        .status = status, .kind = kind, .offset = offset, .limit = BATCH_PAGE_SIZE};
    struct import_batch *bs = NULL;
    int n = 0;
    int64_t total = 0;
    struct err_ctx e = {0};
    if (!may_list(req)) {
        page_error(req, 403,
                   _("Gegevens aanleveren en bekijken kan alleen met de rol contractmanager of "
                     "beleidsadviseur (gemeente of regio), kwaliteitsmedewerker (aanbieder) of "
                     "beheerder."));
        return;
    }
    int rc = batch_list(req->app->store, &req->actor, &f, req->arena, &bs, &n, &total, &e);
    if (rc) {
        fail_page(req, rc, &e);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Gegevens"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Gegevens"), crumbs, 2);
    kit_para(&h, _("Hier ziet u welke gegevens in duiding zijn ingelezen: berichten uit het "
                   "berichtenverkeer, exports uit registratiesystemen en bevolkingscijfers. "
                   "Iedere aanlevering heeft een verslag met wat er is overgenomen en wat niet."));
    if (may_create(req)) {
        kit_actions_begin(&h);
        kit_button_link(&h, "/gegevens/aanleveren", _("Gegevens aanleveren"), true);
        if (may_manage_profiles(req))
            kit_button_link(&h, "/gegevens/profielen", _("Kolomprofielen"), false);
        kit_actions_end(&h);
    }
    totals_section(&h, req);

    html_raw(&h, "<section class=\"duiding-section\" aria-labelledby=\"kop-aanleveringen\">"
                 "<h2 class=\"utrecht-heading-2\" id=\"kop-aanleveringen\">");
    html_text(&h, _("Aanleveringen"));
    html_raw(&h, "</h2>");
    filter_form(&h, status, kind);
    if (n == 0) {
        kit_para(&h, offset > 0 || status || kind
                         ? _("Er zijn geen aanleveringen die passen bij uw filter.")
                     : (req->actor.roles & ROLE_BEHEERDER)
                         ? _("Er zijn nog geen gegevens aangeleverd.")
                         /* Others see only their own organisation's batches (policy). */
                         : _("Uw organisatie heeft nog geen gegevens aangeleverd. Aanleveringen "
                             "van andere organisaties staan hier niet."));
    } else {
        const char *headers[] = {_("Bestand"), _("Soort"),     _("Aangeleverd"),
                                 _("Door"),    _("Aantallen"), _("Status")};
        char caption[128];
        snprintf(caption, sizeof caption, _("Aanleveringen (%lld), nieuwste eerst"),
                 (long long)total);
        table_begin(&h, caption, headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            const struct import_batch *b = &bs[i];
            table_row_begin(&h);
            table_cell_link(&h, batch_href(req, b->id, ""),
                            b->file_name && *b->file_name
                                ? b->file_name
                                : arena_printf(req->arena, _("Batch %lld"), (long long)b->id));
            table_cell(&h, kind_label(b->kind));
            kit_cell_begin(&h);
            kit_time_iso(&h, b->created_at, false, "–");
            kit_cell_end(&h);
            kit_cell_begin(&h);
            html_text(&h, b->user_name ? b->user_name : _("systeem"));
            if (b->org_name) {
                html_raw(&h, "<br><span class=\"duiding-muted\">");
                html_text(&h, b->org_name);
                html_raw(&h, "</span>");
            }
            kit_cell_end(&h);
            counts_cell(&h, req, b);
            table_cell(&h, status_label(b->status));
            table_row_end(&h);
        }
        table_end(&h);
    }
    const char *kv[] = {"status", status, "soort", kind};
    page_pager(&h, kit_url(req->arena, "/gegevens", kv, 2), offset, BATCH_PAGE_SIZE,
               total > INT32_MAX ? INT32_MAX : (int)total);
    html_raw(&h, "</section>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- Upload form: GET/POST /gegevens/aanleveren --- */

struct upload_form {
    const char *kind, *profile;
};

static void file_field(struct html *h, const struct form_errors *fe)
{
    const char *error = form_error_for(fe, F_FILE);
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text");
    if (error)
        html_raw(h, " utrecht-form-field--invalid");
    html_raw(h, "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-" F_FILE "\">");
    html_text(h, _("Bestand"));
    html_raw(h, "</label></div><div class=\"utrecht-form-field-description "
                "utrecht-form-field__description\" id=\"hint-" F_FILE "\">");
    html_text(h, _("Een XML-bericht, een zip-bestand met berichten, of een CSV- of "
                   "Excel-bestand (.xlsx)."));
    html_raw(h, "</div>");
    if (error) {
        html_raw(h, "<div class=\"utrecht-form-field-error-message "
                    "utrecht-form-field__error-message\" id=\"fout-" F_FILE "\">");
        html_text(h, error);
        html_raw(h, "</div>");
    }
    html_raw(h, "<div class=\"utrecht-form-field__input\"><input type=\"file\" "
                "class=\"utrecht-textbox utrecht-textbox--html-input duiding-file\" "
                "id=\"veld-" F_FILE "\" name=\"" F_FILE "\" accept=\".xml,.zip,.csv,.xlsx\" "
                "required");
    if (error)
        html_raw(h, " aria-invalid=\"true\" aria-describedby=\"hint-" F_FILE " fout-" F_FILE "\"");
    else
        html_raw(h, " aria-describedby=\"hint-" F_FILE "\"");
    html_raw(h, "></div></div>");
}

static void profile_field(struct html *h, struct http_req *req, const struct form_errors *fe,
                          const char *selected)
{
    struct mapping_profile *ps = NULL;
    int n = 0;
    struct err_ctx e = {0};
    if (profile_list(req->app->store, &req->actor, 0, req->arena, &ps, &n, &e) != 0)
        n = 0; /* without profiles only messages and population figures can be read */
    if (n > PROFILE_OPTIONS)
        n = PROFILE_OPTIONS;
    struct form_option *opts = arena_calloc(req->arena, (size_t)n + 1, sizeof *opts);
    int k = 0;
    if (!opts)
        return;
    opts[k++] = (struct form_option){"", _("Geen profiel")};
    for (int i = 0; i < n; i++) {
        if (ps[i].archived)
            continue;
        const char *id = arena_printf(req->arena, "%" PRId64, ps[i].id);
        const char *label = ps[i].org_name
                                ? arena_printf(req->arena, "%s (%s)", ps[i].name, ps[i].org_name)
                                : ps[i].name;
        if (id && label)
            opts[k++] = (struct form_option){id, label};
    }
    form_select(h, fe, F_PROFILE, _("Profiel voor een registratie-export"), opts, k,
                selected ? selected : "",
                k > 1 ? _("Alleen nodig voor een CSV- of Excel-export uit uw registratiesysteem. "
                          "Het profiel zegt welke kolom wat betekent.")
                      : _("Er is nog geen profiel. Een profiel is alleen nodig voor een CSV- of "
                          "Excel-export uit een registratiesysteem; berichten en "
                          "bevolkingscijfers kunnen zonder."));
}

static void explanation(struct html *h, struct http_req *req)
{
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"kop-uitleg\">"
                "<h2 class=\"utrecht-heading-2\" id=\"kop-uitleg\">");
    html_text(h, _("Wat kunt u aanleveren?"));
    html_raw(h, "</h2><ul class=\"utrecht-unordered-list\"><li>");
    html_text(h, _("Berichten uit het berichtenverkeer Jeugd en Wmo (iJw en iWmo, versie 3.2). "
                   "Een los XML-bestand of een zip-bestand met veel berichten."));
    html_raw(h, "</li><li>");
    html_text(h, _("Een export uit het registratiesysteem van een aanbieder, als CSV of Excel "
                   "(.xlsx). Daarvoor is een profiel nodig."));
    html_raw(h, "</li><li>");
    html_text(h, _("Bevolkingscijfers van het CBS per gemeente (CSV)."));
    html_raw(h, "</li></ul><p class=\"utrecht-paragraph\">");
    html_textf(h, _("Een bestand mag maximaal %d MB groot zijn."),
               req->app->cfg->upload_max_mb > 0 ? req->app->cfg->upload_max_mb : 2048);
    html_raw(h, "</p><h2 class=\"utrecht-heading-2\">");
    html_text(h, _("Wat gebeurt er met burgerservicenummers?"));
    html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
    html_text(h, _("duiding vervangt elk burgerservicenummer (BSN) meteen bij het inlezen door "
                   "een pseudoniem. Dat is een code waaruit niemand het BSN kan terughalen. Het "
                   "BSN zelf wordt nergens bewaard."));
    html_raw(h, "</p><h2 class=\"utrecht-heading-2\">");
    html_text(h, _("Wat gebeurt er daarna?"));
    html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
    html_text(h, _("duiding controleert elk record. Goede records worden opgeslagen. Records met "
                   "een fout worden niet opgeslagen; u ziet per record wat er mis is en kunt een "
                   "correctiebestand downloaden. Stuurt u hetzelfde bestand nog een keer, dan "
                   "verandert er niets."));
    html_raw(h, "</p></section>");
}

static void render_upload_form(struct http_req *req, const struct upload_form *uf,
                               const struct form_errors *fe, int status)
{
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Gegevens"), "/gegevens"}, {_("Aanleveren"), NULL}};
    struct form_option kopts[ARRAY_LEN(kinds)];
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        kopts[i] = (struct form_option){kinds[i].code, _(kinds[i].label)};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Gegevens aanleveren"), crumbs, 3);
    form_error_summary(&h, fe);
    /* A multipart body is streamed to disk before it is parsed, so the CSRF token travels in
     * the action's query string; the server checks it before accepting a byte. */
    struct buf action;
    buf_init(&action, BUF_MAX_SMALL);
    if (buf_append_str(&action, "/gegevens/aanleveren?csrf=") ||
        buf_append_urlenc(&action, req->csrf_token ? req->csrf_token : "",
                          req->csrf_token ? strlen(req->csrf_token) : 0))
        buf_reset(&action);
    html_raw(&h, "<form class=\"utrecht-form duiding-upload\" method=\"post\" "
                 "enctype=\"multipart/form-data\" novalidate");
    html_url_attr(&h, "action", action.len ? buf_cstr(&action) : "/gegevens/aanleveren");
    html_raw(&h, ">");
    buf_release(&action);
    file_field(&h, fe);
    form_select(&h, fe, F_KIND, _("Soort gegevens"), kopts, (int)ARRAY_LEN(kopts),
                uf->kind ? uf->kind : "automatisch",
                _("Meestal herkent duiding zelf wat voor bestand het is."));
    profile_field(&h, req, fe, uf->profile);
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, _("Bestand inlezen"));
    html_raw(&h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\" href=\"/gegevens\">");
    html_text(&h, _("Annuleren"));
    html_raw(&h, "</a></div></form>");
    explanation(&h, req);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void upload_form_page(struct http_req *req)
{
    struct upload_form uf = {0};
    if (!may_create(req)) {
        page_error(req, 403, _("U mag geen gegevens aanleveren."));
        return;
    }
    render_upload_form(req, &uf, NULL, 200);
}

static int kind_from_code(const char *code, enum import_kind *out)
{
    for (size_t i = 0; code && i < ARRAY_LEN(kinds); i++)
        if (strcmp(code, kinds[i].code) == 0) {
            *out = kinds[i].kind;
            return 0;
        }
    return ERR_INVALID;
}

/* POST /gegevens/aanleveren (streamed): keeps the file and starts the import in the background. */
static void upload(struct http_req *req)
{
    struct upload_form uf = {.kind = http_form(req, F_KIND), .profile = http_form(req, F_PROFILE)};
    struct form_errors fe = {0};
    enum import_kind kind = IMPORT_AUTO;
    int64_t profile_id = 0;
    if (!may_create(req)) {
        page_error(req, 403, _("U mag geen gegevens aanleveren."));
        return;
    }
    const struct http_upload *up = http_upload(req);
    if (!up)
        kit_error(&fe, F_FILE, _("Kies een bestand."));
    else if (up->bytes == 0)
        kit_error(&fe, F_FILE, _("Het bestand is leeg. Kies een ander bestand."));
    if (uf.kind && *uf.kind && kind_from_code(uf.kind, &kind) != 0)
        kit_error(&fe, F_KIND, _("Kies een soort uit de lijst."));
    if (uf.profile && *uf.profile) {
        profile_id = kit_id(uf.profile);
        if (!profile_id)
            kit_error(&fe, F_PROFILE, _("Kies een profiel uit de lijst."));
    }
    if (kind == IMPORT_REGISTRATION && !profile_id && fe.n == 0)
        kit_error(&fe, F_PROFILE,
                  _("Kies het profiel dat bij deze export hoort. Zonder profiel weet duiding niet "
                    "welke kolom wat betekent."));
    if (fe.n > 0) {
        render_upload_form(req, &uf, &fe, 422);
        return;
    }
    const char *path = http_upload_keep(req);
    struct import_job_spec spec = {.path = path,
                                   .file_name = up->file_name[0] ? up->file_name : _("bestand"),
                                   .bytes = up->bytes,
                                   .kind = kind,
                                   .profile_id = profile_id,
                                   .via = VIA_WEB,
                                   .lang = req->lang};
    char id[IMPORT_JOB_ID_LEN + 1];
    struct err_ctx e = {0};
    if (!path || import_job_start(req->app, &req->actor, &spec, id, &e) != 0) {
        if (path)
            (void)unlink(path); /* kept, but no job took it */
        http_resp_header(req, "Retry-After", "30");
        page_error(req, 503, e.msg[0] ? e.msg : NULL);
        return;
    }
    http_redirect(req, arena_printf(req->arena, "/gegevens/taken/%s", id));
}

/* --- Progress: GET /gegevens/taken/{id} and {id}.json --- */

static int percent_of(const struct import_job_view *v)
{
    if (v->state == JOB_DONE)
        return 100;
    if (!v->bytes_total)
        return -1;
    uint64_t done = v->bytes_done > v->bytes_total ? v->bytes_total : v->bytes_done;
    return (int)(done * 100 / v->bytes_total);
}

/* Where the browser goes when the job is over: the report, or this page for a final message. */
static const char *finished_target(struct http_req *req, const struct import_job_view *v)
{
    if (v->state == JOB_DONE && !v->report.duplicate && v->report.batch_id > 0)
        return batch_href(req, v->report.batch_id, "?melding=ingelezen");
    return arena_printf(req->arena, "/gegevens/taken/%s", v->id);
}

static void progress_json(struct http_req *req, const struct import_job_view *v)
{
    struct buf b;
    bool over = v->state == JOB_DONE || v->state == JOB_FAILED;
    int pct = percent_of(v);
    buf_init(&b, BUF_MAX_SMALL);
    int rc = buf_appendf(&b,
                         "{\"status\":\"%s\",\"percentage\":%d,\"bytesGelezen\":%" PRIu64
                         ",\"bytesTotaal\":%" PRIu64 ",\"records\":%" PRIu64 ",\"klaar\":%s",
                         import_job_state_code(v->state), pct, v->bytes_done, v->bytes_total,
                         v->records, over ? "true" : "false");
    if (!rc && over) {
        const char *t = finished_target(req, v);
        rc = buf_append_str(&b, ",\"doel\":\"");
        if (!rc)
            rc = buf_append_json_str(&b, t, strlen(t));
        if (!rc)
            rc = buf_append_str(&b, "\"");
    }
    if (!rc)
        rc = buf_append_str(&b, "}");
    if (rc)
        http_resp_text(req, 500, "error");
    else
        http_resp_json(req, 200, b.p, b.len);
    buf_release(&b);
}

static void progress_status_text(struct html *h, struct http_req *req,
                                 const struct import_job_view *v)
{
    int pct = percent_of(v);
    if (v->state == JOB_QUEUED) {
        html_text(h, _("In de wachtrij: het inlezen begint zo."));
        return;
    }
    if (pct >= 0)
        html_textf(h, _("%d%% gelezen"), pct);
    else
        html_text(h, _("Bezig met inlezen"));
    html_text(h, " · ");
    html_textf(h, _("%s records gelezen"), num(req->arena, (int64_t)v->records));
}

static void progress_page(struct http_req *req)
{
    struct import_job_view v;
    const char *param = req->nparams ? req->params[0] : "";
    size_t plen = strlen(param);
    bool json = plen > 5 && strcmp(param + plen - 5, ".json") == 0;
    const char *id = json ? arena_strndup(req->arena, param, plen - 5) : param;
    memset(&v, 0, sizeof v);
    /* Someone else's job does not exist as far as this user can tell. */
    if (!id || import_job_get(id, req->actor.user_id, &v) != 0) {
        if (json)
            http_resp_json(req, 404, "{\"status\":\"onbekend\"}",
                           strlen("{\"status\":\"onbekend\"}"));
        else
            page_error(req, 404,
                       _("Deze import is niet (meer) bekend. Het verslag van een afgeronde "
                         "aanlevering vindt u bij Gegevens."));
        return;
    }
    if (json) {
        progress_json(req, &v);
        return;
    }
    if (v.state == JOB_DONE && !v.report.duplicate && v.report.batch_id > 0) {
        http_redirect(req, finished_target(req, &v));
        return;
    }
    bool over = v.state == JOB_DONE || v.state == JOB_FAILED;
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Gegevens"), "/gegevens"}, {_("Inlezen"), NULL}};
    struct html h;
    html_init(&h);
    page_begin_refresh(&h, req, over ? _("Inlezen afgerond") : _("Gegevens worden ingelezen"),
                       crumbs, 3, over ? 0 : PROGRESS_REFRESH);
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Bestand"), v.file_name);
    kit_dl_item(&h, _("Grootte"), size_text(req->arena, (int64_t)v.bytes_total));
    kit_dl_end(&h);
    struct import_batch dup;
    struct err_ctx de = {0};
    if (v.state == JOB_DONE && v.report.duplicate &&
        batch_get(req->app->store, &req->actor, v.report.batch_id, req->arena, &dup, &de) != 0) {
        /* Delivered before by an organisation this user cannot see: no number, no link. */
        page_alert(&h, "info",
                   _("Dit bestand is al eerder aangeleverd door een andere organisatie; er is "
                     "niets veranderd."));
    } else if (v.state == JOB_DONE && v.report.duplicate) {
        const char *href = batch_href(req, v.report.batch_id, "");
        html_raw(&h, "<div class=\"utrecht-alert utrecht-alert--info\" role=\"status\">"
                     "<div class=\"utrecht-alert__content\"><div class=\"utrecht-alert__message\">"
                     "<p class=\"utrecht-paragraph\">");
        html_textf(&h, _("Dit bestand is al ingelezen in batch %lld; er is niets veranderd."),
                   (long long)v.report.batch_id);
        html_raw(&h, " <a class=\"utrecht-link\"");
        html_url_attr(&h, "href", href);
        html_raw(&h, ">");
        html_textf(&h, _("Bekijk batch %lld"), (long long)v.report.batch_id);
        html_raw(&h, "</a></p></div></div></div>");
    } else if (v.state == JOB_DONE) {
        /* Done without a batch to show (should not happen): say so, and where to look. */
        page_alert(&h, "info", _("Het inlezen is klaar. Het verslag staat bij Gegevens."));
        kit_actions_begin(&h);
        kit_button_link(&h, "/gegevens", _("Naar Gegevens"), true);
        kit_actions_end(&h);
    } else if (v.state == JOB_FAILED) {
        page_alert(&h, "error", v.error[0] ? v.error : _("Het inlezen is mislukt."));
        kit_actions_begin(&h);
        kit_button_link(&h, "/gegevens/aanleveren", _("Opnieuw proberen"), true);
        kit_actions_end(&h);
    } else {
        int pct = percent_of(&v);
        /* The script polls data-voortgang and updates the bar and the status text. */
        html_raw(&h, "<div class=\"duiding-progress\"");
        html_attr(&h, "data-voortgang", arena_printf(req->arena, "/gegevens/taken/%s.json", v.id));
        /* {p} and {r} are filled in by the script: percentage and records read. */
        /* xgettext:no-c-format */
        html_attr(&h, "data-tekst", _("{p}% gelezen · {r} records gelezen"));
        html_raw(&h, "><label class=\"utrecht-form-label\" for=\"voortgang\">");
        html_text(&h, _("Voortgang"));
        html_raw(&h, "</label><progress id=\"voortgang\" class=\"duiding-progress__bar\" "
                     "max=\"100\"");
        if (pct >= 0)
            html_attr_int(&h, "value", pct);
        html_raw(&h, ">");
        if (pct >= 0)
            html_textf(&h, "%d%%", pct);
        html_raw(&h, "</progress><p class=\"utrecht-paragraph duiding-progress__status\">");
        progress_status_text(&h, req, &v);
        html_raw(&h, "</p></div>");
        kit_para(&h, _("U kunt deze pagina open laten. Als het inlezen klaar is, ziet u het "
                       "verslag. U kunt ook verder werken: het verslag staat daarna bij "
                       "Gegevens."));
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- Batch report: GET /gegevens/batches/{id} --- */

static void location_text(struct html *h, const struct import_rejection *r)
{
    bool any = false;
    if (r->source && *r->source) {
        html_text(h, r->source);
        any = true;
    }
    if (r->line > 0) {
        if (any)
            html_text(h, ", ");
        html_textf(h, _("regel %lld"), (long long)r->line);
        any = true;
    }
    if (r->col > 0) {
        if (any)
            html_text(h, ", ");
        html_textf(h, _("kolom %lld"), (long long)r->col);
        any = true;
    }
    if (r->element && *r->element) {
        if (any)
            html_text(h, ", ");
        html_textf(h, _("element %s"), r->element);
        any = true;
    }
    if (!any && r->record > 0) {
        html_textf(h, _("record %lld"), (long long)r->record);
        any = true;
    }
    if (!any)
        html_text(h, "–");
}

static void rejections_section(struct html *h, struct http_req *req, const struct import_batch *b)
{
    int offset = kit_offset(req);
    struct import_rejection *rs = NULL;
    int n = 0;
    int64_t total = 0;
    struct err_ctx e = {0};
    if (b->n_rejected + b->n_skipped == 0)
        return;
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"kop-afgewezen\">"
                "<h2 class=\"utrecht-heading-2\" id=\"kop-afgewezen\">");
    html_text(h, _("Afgewezen en overgeslagen records"));
    html_raw(h, "</h2>");
    if (batch_rejections(req->app->store, &req->actor, b->id, offset, REJECTION_PAGE_SIZE,
                         req->arena, &rs, &n, &total, &e) != 0) {
        page_alert(h, "warning", _("De afgewezen records konden niet worden geladen."));
        html_raw(h, "</section>");
        return;
    }
    if (b->n_rejected > 0)
        kit_para(h, _("Afgewezen records zijn niet opgeslagen. Verbeter ze in de bron en lever ze "
                      "opnieuw aan. Het correctiebestand bevat dezelfde lijst."));
    if (b->n_skipped > 0)
        kit_para(h, _("Overgeslagen records tellen bewust niet mee, bijvoorbeeld een bericht dat "
                      "al eerder is aangeleverd of een soort bericht dat duiding niet gebruikt. "
                      "Daar hoeft u niets aan te doen."));
    kit_buttons_begin(h);
    kit_button_link(h, batch_href(req, b->id, "/correctiebestand"),
                    _("Correctiebestand downloaden (CSV)"), false);
    kit_actions_end(h);
    if (n > 0) {
        const char *headers[] = {_("Nr."), _("Uitkomst"), _("Plaats"), _("Reden")};
        char caption[160];
        snprintf(caption, sizeof caption, _("Afgewezen en overgeslagen records (%lld)"),
                 (long long)total);
        table_begin(h, caption, headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            table_row_begin(h);
            table_cell(h, num(req->arena, rs[i].seq));
            table_cell(h, rs[i].skipped ? _("overgeslagen") : _("afgewezen"));
            kit_cell_begin(h);
            location_text(h, &rs[i]);
            kit_cell_end(h);
            /* Reasons are stored in Dutch; fixed ones are msgids and translate here. */
            table_cell(h, rs[i].reason && *rs[i].reason ? _(rs[i].reason) : "");
            table_row_end(h);
        }
        table_end(h);
    }
    if (total > IMPORT_MAX_REJECTIONS || b->n_rejected + b->n_skipped > total)
        kit_para(h, _("Niet alle afgewezen records zijn bewaard: alleen de eerste 100.000 staan "
                      "in deze lijst en in het correctiebestand."));
    page_pager(h, batch_href(req, b->id, ""), offset, REJECTION_PAGE_SIZE,
               total > INT32_MAX ? INT32_MAX : (int)total);
    html_raw(h, "</section>");
}

static void counts_section(struct html *h, struct http_req *req, const struct import_batch *b)
{
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"kop-aantallen\">"
                "<h2 class=\"utrecht-heading-2\" id=\"kop-aantallen\">");
    html_text(h, _("Aantallen"));
    html_raw(h, "</h2><p class=\"utrecht-paragraph duiding-sum\">");
    html_textf(h, _("%s gelezen = %s geaccepteerd + %s afgewezen + %s overgeslagen"),
               num(req->arena, b->n_read), num(req->arena, b->n_accepted),
               num(req->arena, b->n_rejected), num(req->arena, b->n_skipped));
    html_raw(h, "</p>");
    kit_dl_begin(h);
    kit_dl_item(h, _("Gelezen"), num(req->arena, b->n_read));
    kit_dl_item(h, _("Geaccepteerd"), num(req->arena, b->n_accepted));
    kit_dl_item(h, _("Afgewezen"), num(req->arena, b->n_rejected));
    kit_dl_item(h, _("Overgeslagen"), num(req->arena, b->n_skipped));
    kit_dl_item(h, _("Met een opmerking (wel opgeslagen)"), num(req->arena, b->n_flagged));
    kit_dl_item(h, _("Testrecords (ketentest)"), num(req->arena, b->n_test));
    kit_dl_item(h, _("Trajecten opnieuw opgebouwd"), num(req->arena, b->n_trajectories));
    kit_dl_end(h);
    html_raw(h, "</section>");
}

static void batch_page(struct http_req *req)
{
    int64_t id;
    struct import_batch b;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = batch_get(req->app->store, &req->actor, id, req->arena, &b, &e);
    if (rc) {
        fail_page(req, rc, &e);
        return;
    }
    const char *title = arena_printf(req->arena, _("Aanlevering %lld"), (long long)b.id);
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Gegevens"), "/gegevens"}, {title, NULL}};
    struct object_ref ref = batch_ref(&b);
    bool can_undo =
        b.status && strcmp(b.status, "actief") == 0 && policy_allows(&req->actor, ACT_UNDO, &ref);
    const char *melding = http_query(req, "melding");
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, 3);
    if (melding && strcmp(melding, "ingelezen") == 0 && b.status && strcmp(b.status, "actief") == 0)
        page_alert(&h, "ok", _("Het bestand is ingelezen."));
    if (melding && strcmp(melding, "ongedaan") == 0)
        page_alert(&h, "ok",
                   _("De aanlevering is ongedaan gemaakt. De trajecten zijn opnieuw opgebouwd "
                     "uit de gegevens die overblijven."));
    if (b.status && strcmp(b.status, "mislukt") == 0)
        page_alert(&h, "error",
                   b.error && *b.error ? b.error
                                       : _("Het bestand kon niet worden gelezen. Er is niets "
                                           "opgeslagen."));
    else if (b.status && strcmp(b.status, "ongedaan") == 0)
        page_alert(&h, "info",
                   _("Deze aanlevering is ongedaan gemaakt. Haar gegevens tellen "
                     "niet meer mee."));

    kit_dl_begin(&h);
    kit_dl_item(&h, _("Bestand"), b.file_name);
    kit_dl_item(&h, _("Soort"), kind_label(b.kind));
    kit_dl_item(&h, _("Grootte"), size_text(req->arena, b.file_bytes));
    kit_dl_item_begin(&h, _("Vingerafdruk (SHA-256)"));
    html_raw(&h, "<code class=\"duiding-hash\">");
    html_text(&h, b.file_sha256);
    html_raw(&h, "</code>");
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Aangeleverd door"),
                b.user_name
                    ? (b.org_name ? arena_printf(req->arena, "%s (%s)", b.user_name, b.org_name)
                                  : b.user_name)
                    : _("systeem"));
    kit_dl_item_begin(&h, _("Aangeleverd op"));
    kit_time_iso(&h, b.created_at, false, "–");
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Via"), via_label(b.via));
    kit_dl_item(&h, _("Profiel"), b.profile_name);
    kit_dl_item(&h, _("Status"), status_label(b.status));
    if (b.undone_at) {
        kit_dl_item_begin(&h, _("Ongedaan gemaakt"));
        kit_time_iso(&h, b.undone_at, false, "–");
        if (b.undone_by_name) {
            html_text(&h, " ");
            html_textf(&h, _("door %s"), b.undone_by_name);
        }
        kit_dl_item_end(&h);
    }
    kit_dl_end(&h);
    counts_section(&h, req, &b);
    rejections_section(&h, req, &b);
    if (can_undo) {
        html_raw(&h, "<section class=\"duiding-section\" aria-labelledby=\"kop-ongedaan\">"
                     "<h2 class=\"utrecht-heading-2\" id=\"kop-ongedaan\">");
        html_text(&h, _("Ongedaan maken"));
        html_raw(&h, "</h2>");
        kit_para(&h, _("Was dit het verkeerde bestand? Dan kunt u de aanlevering ongedaan maken. "
                       "Alle gegevens uit dit bestand worden dan weer verwijderd."));
        kit_buttons_begin(&h);
        kit_button_link(&h, batch_href(req, b.id, "/ongedaan-maken"), _("Ongedaan maken"), false);
        kit_actions_end(&h);
        html_raw(&h, "</section>");
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* GET /gegevens/batches/{id}/correctiebestand */
static void correction_file(struct http_req *req)
{
    int64_t id;
    struct buf out;
    const char *name = NULL;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    buf_init(&out, BUF_MAX_EXPORT);
    int rc = batch_correction_file(req->app->store, &req->actor, id, req->arena, &out, &name, &e);
    if (rc) {
        buf_release(&out);
        fail_page(req, rc, &e);
        return;
    }
    /* The header's file name: ASCII letters, digits, '.', '-' and '_' only. */
    char safe[120];
    size_t k = 0;
    for (const char *p = name ? name : ""; *p && k + 1 < sizeof safe; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_';
        safe[k++] = ok ? c : '_';
    }
    safe[k] = '\0';
    if (k == 0)
        snprintf(safe, sizeof safe, "correctie-%" PRId64 ".csv", id);
    size_t len = 0;
    char *body = buf_detach(&out, &len);
    arena_defer(req->arena, free, body);
    req->resp.status = 200;
    req->resp.content_type = "text/csv; charset=utf-8";
    req->resp.body = body;
    req->resp.body_len = len;
    http_resp_header(req, "Content-Disposition",
                     arena_printf(req->arena, "attachment; filename=\"%s\"", safe));
}

/* --- Undo: GET (confirmation) and POST /gegevens/batches/{id}/ongedaan-maken --- */

static void undo_confirm_page(struct http_req *req)
{
    int64_t id;
    struct import_batch b;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = batch_get(req->app->store, &req->actor, id, req->arena, &b, &e);
    if (rc) {
        fail_page(req, rc, &e);
        return;
    }
    struct object_ref ref = batch_ref(&b);
    if (!policy_allows(&req->actor, ACT_UNDO, &ref)) {
        page_error(req, 403, _("U mag deze aanlevering niet ongedaan maken."));
        return;
    }
    const char *back = batch_href(req, b.id, "");
    if (!b.status || strcmp(b.status, "actief") != 0) {
        page_error(req, 409, _("Alleen een actieve aanlevering kan ongedaan worden gemaakt."));
        return;
    }
    const char *title = _("Aanlevering ongedaan maken");
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Gegevens"), "/gegevens"},
        {arena_printf(req->arena, _("Aanlevering %lld"), (long long)b.id), back},
        {_("Ongedaan maken"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, 4);
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    html_textf(&h,
               _("Weet u zeker dat u de aanlevering van %s ongedaan wilt maken? De %s "
                 "geaccepteerde records uit dit bestand worden verwijderd en de trajecten worden "
                 "opnieuw opgebouwd uit wat overblijft."),
               b.file_name ? b.file_name : "", num(req->arena, b.n_accepted));
    html_raw(&h, "</p>");
    kit_para(&h, _("Daarna kunt u het bestand (of een verbeterde versie) opnieuw aanleveren."));
    html_raw(&h, "<div class=\"utrecht-button-group duiding-actions\">");
    form_button(&h, req, batch_href(req, b.id, "/ongedaan-maken"), _("Ja, maak ongedaan"), true);
    html_raw(&h, "<a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\"");
    html_url_attr(&h, "href", back);
    html_raw(&h, ">");
    html_text(&h, _("Nee, terug"));
    html_raw(&h, "</a></div>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void undo(struct http_req *req)
{
    int64_t id;
    struct import_batch b;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    /* Who may not undo hears so before anything about the batch's state. */
    int rc = batch_get(req->app->store, &req->actor, id, req->arena, &b, &e);
    if (rc) {
        fail_page(req, rc, &e);
        return;
    }
    struct object_ref ref = batch_ref(&b);
    if (!policy_allows(&req->actor, ACT_UNDO, &ref)) {
        page_error(req, 403, _("U mag deze aanlevering niet ongedaan maken."));
        return;
    }
    rc = batch_undo(req->app->store, &req->actor, id, &e);
    if (rc) {
        fail_page(req, rc, &e);
        return;
    }
    http_redirect(req, batch_href(req, id, "?melding=ongedaan"));
}

/* "aanleveren" is a literal next to no {id}, so the order here is only for readability. */
const struct route import_page_routes[] = {
    {"GET", "/gegevens", overview_page, 0, "import.overview"},
    {"GET", "/gegevens/aanleveren", upload_form_page, 0, "import.new"},
    {"POST", "/gegevens/aanleveren", upload, ROUTE_UPLOAD, "import.upload"},
    {"GET", "/gegevens/taken/{id}", progress_page, 0, "import.progress"},
    {"GET", "/gegevens/batches/{id}", batch_page, 0, "import.batch"},
    {"GET", "/gegevens/batches/{id}/correctiebestand", correction_file, 0, "import.correction"},
    {"GET", "/gegevens/batches/{id}/ongedaan-maken", undo_confirm_page, 0, "import.undo_confirm"},
    {"POST", "/gegevens/batches/{id}/ongedaan-maken", undo, 0, "import.undo"},
    ROUTES_END,
};
