/*
 * page_result.c: the pages for maatschappelijke resultaten (societal results): the list with
 * filters, one result, and the forms to create, edit, archive and restore. Access is decided
 * by the domain (result_*) and asked of policy_allows() only to hide buttons that would fail.
 * A result's page also lists the indicators linked to it (issue 4) and lets its editors set them.
 */
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/audit.h"
#include "domain/conversation.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "metrics/catalog.h"
#include "store/indicator_store.h"
#include "store/store.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define RESULT_PAGE_SIZE      25 /* rows per list page */
#define FORM_YEAR_MIN         0  /* "is it a year at all"; the domain checks the real range */
#define FORM_YEAR_MAX         9999
#define RESULT_OFFSET_MAX     1000000 /* deeper than any real list; stops silly offsets early */
#define RESULT_MAX_OWNERS     (ACTOR_MAX_REGIONS + 1)
#define RESULT_MAX_INDICATORS 64 /* indicators linked to one result */

/* Form field names. The domain names its fields in its own words; field_for() maps them. */
#define F_OWNER       "eigenaar"
#define F_THEME       "thema"
#define F_TITLE       "titel"
#define F_DESCRIPTION "beschrijving"
#define F_START       "startjaar"
#define F_END         "eindjaar"
#define F_VERSION     "versie"

/* What the user typed, kept as text so a re-rendered form shows exactly their input. */
struct result_form {
    int64_t id;      /* 0 when creating */
    int64_t version; /* the version the user started editing */
    const char *owner, *theme, *title, *description, *start_year, *end_year;
    const char *owner_name;  /* edit: the (fixed) owner, shown as text */
    const char *saved_title; /* edit: the stored title, for the breadcrumb */
};

/* An organisation the actor may create a result for. */
struct owner_choice {
    int64_t id;
    const char *name;
    enum org_kind kind;
};

/*
 * Maps a domain field name to the form field. The domain may say "start_year", "startYear"
 * or "startjaar"; comparing without '_' and case covers all of them. Unknown: NULL, so the
 * message still shows in the summary, only without a link.
 */
static const char *field_for(const char *domain_field)
{
    static const struct {
        const char *name, *field;
    } map[] = {
        {"title", F_TITLE},
        {"titel", F_TITLE},
        {"description", F_DESCRIPTION},
        {"beschrijving", F_DESCRIPTION},
        {"theme", F_THEME},
        {"thema", F_THEME},
        {"startyear", F_START},
        {"startjaar", F_START},
        {"endyear", F_END},
        {"eindjaar", F_END},
        {"ownerorgid", F_OWNER},
        {"owner", F_OWNER},
        {"eigenaar", F_OWNER},
        {"ownerorg", F_OWNER},
    };
    char norm[32];
    size_t n = 0;
    if (!domain_field)
        return NULL;
    for (const char *p = domain_field; *p && n + 1 < sizeof norm; p++)
        if (*p != '_' && *p != '-')
            norm[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
    norm[n] = '\0';
    for (size_t i = 0; i < ARRAY_LEN(map); i++)
        if (strcmp(norm, map[i].name) == 0)
            return map[i].field;
    return NULL;
}

static void add_error(struct form_errors *fe, const char *field, const char *msg)
{
    struct err_ctx e = {.code = ERR_INVALID, .field = field};
    snprintf(e.msg, sizeof e.msg, "%s", msg);
    form_error_add(fe, &e);
}

static void result_href(char *out, size_t n, int64_t id, const char *suffix)
{
    snprintf(out, n, "/resultaten/%" PRId64 "%s", id, suffix);
}

/* Path parameter 0 as an id; answers with the 404 page itself. */
/* The domain's answer as an error page (for the cases a form cannot show). */
static void error_page_for(struct http_req *req, int rc, const struct err_ctx *e)
{
    int status = http_status_for_err(rc);
    /* Only validation and conflict messages are written for users; others stay generic. */
    bool user_msg = e && e->msg[0] && (rc == ERR_INVALID || rc == ERR_CONFLICT);
    page_error(req, status == 400 ? 422 : status, user_msg ? e->msg : NULL);
}

/* The object the policy judges: the owner's kind and regions come from the owner itself. */
static void result_ref(struct http_req *req, const struct result *r, struct object_ref *o)
{
    struct org *owner = arena_alloc(req->arena, sizeof *owner);
    *o = (struct object_ref){.kind = OBJ_RESULT, .id = r->id, .owner_org_id = r->owner_org_id};
    if (owner && org_get_internal(req->arena, req->app->store, r->owner_org_id, owner) == 0) {
        o->owner_org_kind = owner->kind;
        o->owner_region_ids = owner->parent_ids;
        o->owner_nregions = owner->nparents;
    }
}

static bool may(struct http_req *req, enum action act, const struct result *r)
{
    struct object_ref o;
    result_ref(req, r, &o);
    return policy_allows(&req->actor, act, &o);
}

/*
 * Organisations the actor may create a result for: their own and, for a gemeente, the regions
 * it belongs to, each only if the policy says yes. Usually exactly one (the own organisation).
 */
static int owner_choices(struct http_req *req, struct owner_choice *out)
{
    int64_t ids[RESULT_MAX_OWNERS];
    int nids = 0, n = 0;
    ids[nids++] = req->actor.org_id;
    for (int i = 0; i < req->actor.nregions && i < ACTOR_MAX_REGIONS; i++) {
        bool dup = false;
        for (int j = 0; j < nids; j++)
            dup = dup || ids[j] == req->actor.region_ids[i];
        if (!dup)
            ids[nids++] = req->actor.region_ids[i];
    }
    for (int i = 0; i < nids; i++) {
        struct org o;
        if (ids[i] == 0 || org_get_internal(req->arena, req->app->store, ids[i], &o) != 0)
            continue;
        struct object_ref ref = {.kind = OBJ_RESULT,
                                 .owner_org_id = o.id,
                                 .owner_org_kind = o.kind,
                                 .owner_region_ids = o.parent_ids,
                                 .owner_nregions = o.nparents};
        if (!policy_allows(&req->actor, ACT_CREATE, &ref))
            continue;
        out[n++] = (struct owner_choice){.id = o.id, .name = o.name, .kind = o.kind};
    }
    return n;
}

static void period_text(struct html *h, int start_year, int end_year)
{
    if (start_year == end_year)
        html_int(h, start_year);
    else
        html_textf(h, "%d–%d", start_year, end_year);
}

/* "2025-03-12T10:04:05Z" as <time> showing "12 maart 2025"; the raw text if it is no date. */
static void date_text(struct html *h, const char *iso)
{
    day_t d;
    char day[11], out[40];
    if (!iso)
        return;
    if (strlen(iso) < 10 || str_parse_date_iso((struct str){iso, 10}, &d) != 0) {
        html_text(h, iso);
        return;
    }
    day_format_iso(d, day);
    date_format_long(d, out, sizeof out);
    html_raw(h, "<time");
    html_attr(h, "datetime", day);
    html_raw(h, ">");
    html_text(h, out);
    html_raw(h, "</time>");
}

/* Description as paragraphs: a blank line starts a new one, a single newline is a <br>. */
static void description_paragraphs(struct html *h, const char *text)
{
    const char *p = text;
    while (*p) {
        while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        for (;;) {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            size_t show = len;
            if (show > 0 && p[show - 1] == '\r')
                show--;
            html_textn(h, p, show);
            if (!eol) {
                p += len;
                break;
            }
            /* Is the next line blank? Then this paragraph ends here. */
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

/* --- List --- */

struct list_query {
    int64_t owner;
    int theme;
    const char *q;
    bool archived;
    int offset;
};

/* Filters from the query string. Nonsense values mean "no filter": a list never errors. */
static void parse_list_query(struct http_req *req, struct list_query *lq)
{
    int64_t v;
    enum result_theme t;
    const char *s;
    memset(lq, 0, sizeof *lq);
    s = http_query(req, F_OWNER);
    if (s && str_parse_i64_c(s, 1, INT64_MAX, &v) == 0)
        lq->owner = v;
    s = http_query(req, F_THEME);
    if (s && theme_parse(s, &t) == 0)
        lq->theme = (int)t;
    s = http_query(req, "zoek");
    if (s) {
        struct str tq = str_trim(str_from(s));
        if (tq.len > 0)
            lq->q = arena_strndup(req->arena, tq.p, tq.len);
    }
    s = http_query(req, "archief");
    lq->archived = s && strcmp(s, "1") == 0;
    s = http_query(req, "offset");
    if (s && str_parse_i64_c(s, 0, RESULT_OFFSET_MAX, &v) == 0)
        lq->offset = (int)v;
}

/* "/resultaten?eigenaar=..&thema=.." with the current filters, for the pager. */
static const char *list_path(struct http_req *req, const struct list_query *lq)
{
    struct buf b;
    const char *out = NULL;
    char sep = '?';
    int rc;
    buf_init(&b, BUF_MAX_SMALL);
    rc = buf_append_str(&b, "/resultaten");
    if (rc == 0 && lq->owner) {
        rc = buf_appendf(&b, "%ceigenaar=%" PRId64, sep, lq->owner);
        sep = '&';
    }
    if (rc == 0 && lq->theme) {
        rc = buf_appendf(&b, "%cthema=%s", sep, theme_code((enum result_theme)lq->theme));
        sep = '&';
    }
    if (rc == 0 && lq->q) {
        rc = buf_appendf(&b, "%czoek=", sep);
        if (rc == 0)
            rc = buf_append_urlenc(&b, lq->q, strlen(lq->q));
        sep = '&';
    }
    if (rc == 0 && lq->archived)
        rc = buf_appendf(&b, "%carchief=1", sep);
    /* On overflow (a huge search text) the pager loses the filters rather than the page. */
    if (rc == 0)
        out = arena_strdup(req->arena, buf_cstr(&b));
    buf_release(&b);
    return out ? out : "/resultaten";
}

static void owner_filter(struct html *h, struct http_req *req, int64_t selected)
{
    static const struct {
        enum org_kind kind;
        const char *group; /* msgid */
    } groups[] = {{ORG_REGION, N_("Regio's")}, {ORG_GEMEENTE, N_("Gemeenten")}};
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
                "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-" F_OWNER "\">");
    html_text(h, _("Eigenaar"));
    html_raw(h, "</label></div><div class=\"utrecht-form-field__input\"><select "
                "class=\"utrecht-select utrecht-select--html-select\" id=\"veld-" F_OWNER "\" "
                "name=\"" F_OWNER "\"><option value=\"\">");
    html_text(h, _("Alle gemeenten en regio's"));
    html_raw(h, "</option>");
    for (size_t g = 0; g < ARRAY_LEN(groups); g++) {
        struct org_filter f = {.kind = groups[g].kind, .limit = ORG_LIST_MAX};
        struct org *orgs = NULL;
        int n = 0, total = 0;
        if (org_list(req->arena, req->app->store, &req->actor, &f, &orgs, &n, &total) != 0 ||
            n == 0)
            continue;
        html_raw(h, "<optgroup");
        html_attr(h, "label", _(groups[g].group));
        html_raw(h, ">");
        for (int i = 0; i < n; i++) {
            html_raw(h, "<option");
            html_attr_int(h, "value", orgs[i].id);
            html_attr_bool(h, "selected", orgs[i].id == selected);
            html_raw(h, ">");
            html_text(h, orgs[i].name);
            html_raw(h, "</option>");
        }
        html_raw(h, "</optgroup>");
    }
    html_raw(h, "</select></div></div>");
}

static void theme_select(struct html *h, const struct form_errors *fe, const char *label,
                         const char *first, const char *selected, bool filter)
{
    struct form_option opts[THEME_MAX - THEME_MIN + 2];
    int n = 0;
    opts[n++] = (struct form_option){"", first};
    for (int t = THEME_MIN; t <= THEME_MAX; t++)
        opts[n++] = (struct form_option){theme_code((enum result_theme)t),
                                         theme_label((enum result_theme)t)};
    form_select(h, fe, F_THEME, label, opts, n, selected,
                filter ? NULL
                       : _("Het thema uit het sociaal domein waar dit resultaat bij hoort."));
}

static void list_filters(struct html *h, struct http_req *req, const struct list_query *lq)
{
    html_raw(h, "<form class=\"utrecht-form duiding-filter\" method=\"get\" action=\"/resultaten\" "
                "role=\"search\"");
    html_attr(h, "aria-label", _("Resultaten zoeken en filteren"));
    html_raw(h, "><div class=\"duiding-filter__fields\">");
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
                "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-zoek\">");
    html_text(h, _("Zoeken"));
    html_raw(h, "</label></div><div class=\"utrecht-form-field__input\"><input "
                "class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"search\" "
                "id=\"veld-zoek\" name=\"zoek\"");
    html_attr(h, "value", lq->q);
    html_raw(h, "></div></div>");
    owner_filter(h, req, lq->owner);
    theme_select(h, NULL, _("Thema"), _("Alle thema's"),
                 lq->theme ? theme_code((enum result_theme)lq->theme) : "", true);
    html_raw(h, "</div><div class=\"utrecht-form-field utrecht-form-field--checkbox\">"
                "<div class=\"utrecht-form-field__input\"><input type=\"checkbox\" "
                "class=\"utrecht-checkbox utrecht-checkbox--html-input\" id=\"veld-archief\" "
                "name=\"archief\" value=\"1\"");
    html_attr_bool(h, "checked", lq->archived);
    html_raw(h, "></div><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
                "utrecht-form-label--checkbox\" for=\"veld-archief\">");
    html_text(h, _("Ook gearchiveerde resultaten tonen"));
    html_raw(h, "</label></div></div><div class=\"utrecht-button-group\"><button type=\"submit\" "
                "class=\"utrecht-button utrecht-button--secondary-action\">");
    html_text(h, _("Filteren"));
    html_raw(h, "</button>");
    if (lq->owner || lq->theme || lq->q || lq->archived) {
        html_raw(h, "<a class=\"utrecht-link duiding-filter__reset\" href=\"/resultaten\">");
        html_text(h, _("Filters wissen"));
        html_raw(h, "</a>");
    }
    html_raw(h, "</div></form>");
}

static void list_page(struct http_req *req)
{
    struct list_query lq;
    struct result *rs = NULL;
    int n = 0, total = 0;
    struct owner_choice owners[RESULT_MAX_OWNERS];
    parse_list_query(req, &lq);
    struct result_filter f = {.owner_org_id = lq.owner,
                              .theme = lq.theme,
                              .include_archived = lq.archived,
                              .q = lq.q,
                              .limit = RESULT_PAGE_SIZE,
                              .offset = lq.offset};
    int rc = result_list(req->arena, req->app->store, &req->actor, &f, &rs, &n, &total);
    if (rc != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    if (n == 0 && total > 0 && lq.offset > 0) {
        /* Past the end (an old link after archiving): back to the first page. */
        http_redirect(req, list_path(req, &lq));
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Resultaten"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Maatschappelijke resultaten"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
    html_text(&h, _("Wat gemeenten en de regio willen bereiken voor hun inwoners: de stip op de "
                    "horizon. Elk resultaat hoort bij een thema en een periode."));
    html_raw(&h, "</p>");
    if (owner_choices(req, owners) > 0) {
        html_raw(&h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-button-link "
                     "utrecht-button-link--html-a utrecht-button-link--primary-action\" "
                     "href=\"/resultaten/nieuw\">");
        html_text(&h, _("Nieuw resultaat"));
        html_raw(&h, "</a></p>");
    }
    list_filters(&h, req, &lq);

    html_raw(&h, "<p class=\"utrecht-paragraph duiding-count\">");
    html_textf(&h,
               ngettext("%d resultaat gevonden.", "%d resultaten gevonden.", (unsigned long)total),
               total);
    html_raw(&h, "</p>");
    if (n == 0) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        if (lq.owner || lq.theme || lq.q)
            html_text(&h, _("Er zijn geen resultaten die passen bij uw zoekopdracht. Kies "
                            "andere filters of wis de filters."));
        else
            html_text(&h, _("Er zijn nog geen resultaten vastgelegd."));
        html_raw(&h, "</p>");
    } else {
        const char *headers[] = {_("Titel"), _("Eigenaar"), _("Thema"), _("Periode")};
        html_raw(&h, "<div class=\"duiding-results\">");
        table_begin(&h, _("Maatschappelijke resultaten"), headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            char href[64];
            result_href(href, sizeof href, rs[i].id, "");
            table_row_begin(&h);
            html_raw(&h, "<td class=\"utrecht-table__cell\"><a class=\"utrecht-link\"");
            html_url_attr(&h, "href", href);
            html_raw(&h, ">");
            html_text(&h, rs[i].title);
            html_raw(&h, "</a>");
            if (rs[i].archived) {
                html_raw(&h, " <span class=\"duiding-tag\">");
                html_text(&h, _("gearchiveerd"));
                html_raw(&h, "</span>");
            }
            html_raw(&h, "</td>");
            table_cell(&h, rs[i].owner_name);
            table_cell(&h, theme_label(rs[i].theme));
            html_raw(&h, "<td class=\"utrecht-table__cell duiding-nowrap\">");
            period_text(&h, rs[i].start_year, rs[i].end_year);
            html_raw(&h, "</td>");
            table_row_end(&h);
        }
        table_end(&h);
        html_raw(&h, "</div>");
        page_pager(&h, list_path(req, &lq), lq.offset, RESULT_PAGE_SIZE, total);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- Form (create and edit) --- */

static void data_item(struct html *h, const char *key)
{
    html_raw(h,
             "<div class=\"utrecht-data-list__item\"><dt class=\"utrecht-data-list__item-key\">");
    html_text(h, key);
    html_raw(h, "</dt><dd class=\"utrecht-data-list__item-value "
                "utrecht-data-list__item-value--html-dd\">");
}

static void owner_field(struct html *h, const struct form_errors *fe, const struct result_form *rf,
                        const struct owner_choice *owners, int nowners)
{
    if (rf->id || nowners == 1) {
        /* Nothing to choose: show the owner as text (a hidden field carries it on create). */
        const char *name = rf->id ? rf->owner_name : owners[0].name;
        const char *error = form_error_for(fe, F_OWNER);
        /* The id lets the error summary link here, although nothing can be typed. */
        html_raw(h, "<div class=\"utrecht-form-field duiding-readonly-field");
        if (error)
            html_raw(h, " utrecht-form-field--invalid");
        html_raw(h, "\" id=\"veld-" F_OWNER "\" tabindex=\"-1\"><div "
                    "class=\"utrecht-form-field__label\"><span class=\"utrecht-form-label\">");
        html_text(h, _("Eigenaar"));
        html_raw(h, "</span></div>");
        if (error) {
            html_raw(h, "<div class=\"utrecht-form-field-error-message "
                        "utrecht-form-field__error-message\">");
            html_text(h, error);
            html_raw(h, "</div>");
        }
        html_raw(h, "<p class=\"utrecht-paragraph duiding-readonly\">");
        html_text(h, name);
        html_raw(h, "</p>");
        if (!rf->id) {
            html_raw(h, "<input type=\"hidden\" name=\"" F_OWNER "\"");
            html_attr_int(h, "value", owners[0].id);
            html_raw(h, ">");
        }
        html_raw(h, "</div>");
        return;
    }
    struct form_option opts[RESULT_MAX_OWNERS];
    char ids[RESULT_MAX_OWNERS][24];
    for (int i = 0; i < nowners; i++) {
        snprintf(ids[i], sizeof ids[i], "%" PRId64, owners[i].id);
        opts[i] = (struct form_option){.value = ids[i], .label = owners[i].name};
    }
    form_select(h, fe, F_OWNER, _("Eigenaar"), opts, nowners, rf->owner,
                _("De gemeente of regio die dit resultaat wil bereiken."));
}

/* The stored version beside the user's draft after an edit conflict, folded away. */
static void conflict_current(struct html *h, const struct result *cur)
{
    html_raw(h, "<details class=\"duiding-details\"><summary>");
    html_text(h, _("Bekijk de versie die nu is opgeslagen"));
    html_raw(h, "</summary><dl class=\"utrecht-data-list utrecht-data-list--rows\">");
    data_item(h, _("Titel"));
    html_text(h, cur->title);
    html_raw(h, "</dd></div>");
    data_item(h, _("Thema"));
    html_text(h, theme_label(cur->theme));
    html_raw(h, "</dd></div>");
    data_item(h, _("Periode"));
    period_text(h, cur->start_year, cur->end_year);
    html_raw(h, "</dd></div>");
    data_item(h, _("Beschrijving"));
    description_paragraphs(h, cur->description ? cur->description : "");
    html_raw(h, "</dd></div></dl></details>");
}

/* current: after a conflict, the stored version to compare with (else NULL). */
static void render_form(struct http_req *req, const struct result_form *rf,
                        const struct form_errors *fe, int status, const char *notice,
                        const struct result *current)
{
    struct owner_choice owners[RESULT_MAX_OWNERS];
    int nowners = rf->id ? 0 : owner_choices(req, owners);
    char back[64], action[64];
    struct html h;

    if (!rf->id && nowners == 0) {
        page_error(req, 403,
                   _("Alleen beleidsadviseurs van een gemeente of regio kunnen een "
                     "resultaat vastleggen."));
        return;
    }
    if (rf->id) {
        result_href(back, sizeof back, rf->id, "");
        result_href(action, sizeof action, rf->id, "");
    } else {
        snprintf(back, sizeof back, "/resultaten");
        snprintf(action, sizeof action, "/resultaten");
    }
    const char *title = rf->id ? _("Resultaat bewerken") : _("Nieuw maatschappelijk resultaat");
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Resultaten"), "/resultaten"},
        {rf->id ? rf->saved_title : NULL, back},
        {rf->id ? _("Bewerken") : _("Nieuw"), NULL},
    };
    struct crumb cr[4];
    int ncr = 0;
    for (size_t i = 0; i < ARRAY_LEN(crumbs); i++)
        if (crumbs[i].label)
            cr[ncr++] = crumbs[i];

    html_init(&h);
    page_begin(&h, req, title, cr, ncr);
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    if (current)
        conflict_current(&h, current);
    if (!rf->id) {
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
        html_text(&h, _("Een maatschappelijk resultaat beschrijft wat u samen met aanbieders wilt "
                        "bereiken voor inwoners: de stip op de horizon."));
        html_raw(&h, "</p>");
    }
    form_begin(&h, req, action);
    if (rf->id) {
        html_raw(&h, "<input type=\"hidden\" name=\"" F_VERSION "\"");
        html_attr_int(&h, "value", rf->version);
        html_raw(&h, ">");
    }
    owner_field(&h, fe, rf, owners, nowners);
    theme_select(&h, fe, _("Thema"), _("Kies een thema"), rf->theme, false);
    form_input(&h, fe, F_TITLE, _("Titel"), "text", rf->title,
               _("Kort en duidelijk. Bijvoorbeeld: Kinderen groeien veilig en gezond op."), true,
               "off");
    form_textarea(&h, fe, F_DESCRIPTION, _("Beschrijving"), rf->description,
                  _("Beschrijf de stip op de horizon in gewone taal: wat is er beter voor "
                    "inwoners als dit lukt? Schrijf zo dat iedereen het begrijpt. Een lege regel "
                    "begint een nieuwe alinea."));
    html_raw(&h, "<div class=\"duiding-field-row\">");
    form_input(&h, fe, F_START, _("Beginjaar"), "text", rf->start_year, _("Bijvoorbeeld 2025"),
               true, "off");
    form_input(&h, fe, F_END, _("Eindjaar"), "text", rf->end_year,
               _("Het laatste jaar van de periode"), true, "off");
    html_raw(&h, "</div><div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, rf->id ? _("Wijzigingen opslaan") : _("Resultaat opslaan"));
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

/* Reads the posted fields into rf and checks what the web layer can: presence and number form.
 * The domain validates the rest (lengths, year range, end after start). */
static void read_form(struct http_req *req, struct result_form *rf, struct form_errors *fe,
                      struct result_input *in)
{
    int64_t v;
    enum result_theme t;
    rf->owner = http_form(req, F_OWNER);
    rf->theme = http_form(req, F_THEME);
    rf->title = http_form(req, F_TITLE);
    rf->description = http_form(req, F_DESCRIPTION);
    rf->start_year = http_form(req, F_START);
    rf->end_year = http_form(req, F_END);

    if (!rf->id) {
        if (rf->owner && str_parse_i64_c(rf->owner, 1, INT64_MAX, &v) == 0)
            in->owner_org_id = v;
        else
            add_error(fe, F_OWNER, _("Kies de eigenaar van het resultaat."));
    }
    if (rf->theme && theme_parse(rf->theme, &t) == 0)
        in->theme = (int)t;
    else
        add_error(fe, F_THEME, _("Kies een thema."));
    if (!rf->title || str_trim(str_from(rf->title)).len == 0)
        add_error(fe, F_TITLE, _("Vul een titel in."));
    in->title = rf->title ? rf->title : "";
    in->description = rf->description ? rf->description : "";

    struct {
        const char *text, *field, *empty, *bad;
        int *out;
    } years[] = {
        {rf->start_year, F_START, _("Vul het beginjaar in."),
         _("Vul het beginjaar in als jaartal, bijvoorbeeld 2025."), &in->start_year},
        {rf->end_year, F_END, _("Vul het eindjaar in."),
         _("Vul het eindjaar in als jaartal, bijvoorbeeld 2028."), &in->end_year},
    };
    for (size_t i = 0; i < ARRAY_LEN(years); i++) {
        struct str s = str_trim(str_from(years[i].text));
        if (s.len == 0)
            add_error(fe, years[i].field, years[i].empty);
        else if (str_parse_i64(s, FORM_YEAR_MIN, FORM_YEAR_MAX, &v) != 0)
            add_error(fe, years[i].field, years[i].bad);
        else
            *years[i].out = (int)v;
    }
}

static void form_from_result(struct result_form *rf, const struct result *r, struct arena *a)
{
    rf->id = r->id;
    rf->version = r->version;
    rf->owner_name = r->owner_name;
    rf->saved_title = r->title;
    rf->theme = theme_code(r->theme);
    rf->title = r->title;
    rf->description = r->description;
    rf->start_year = arena_printf(a, "%d", r->start_year);
    rf->end_year = arena_printf(a, "%d", r->end_year);
}

/*
 * May the actor create a result for owner_id? Without a usable owner the answer is whether
 * they may create for anyone (the form then says which owner to pick); an owner that does not
 * exist is left to validation.
 */
static bool may_create_for(struct http_req *req, int64_t owner_id)
{
    struct owner_choice owners[RESULT_MAX_OWNERS];
    struct org o;
    if (owner_id == 0)
        return owner_choices(req, owners) > 0;
    if (org_get_internal(req->arena, req->app->store, owner_id, &o) != 0)
        return owner_choices(req, owners) > 0;
    struct object_ref ref = {.kind = OBJ_RESULT,
                             .owner_org_id = o.id,
                             .owner_org_kind = o.kind,
                             .owner_region_ids = o.parent_ids,
                             .owner_nregions = o.nparents};
    return policy_allows(&req->actor, ACT_CREATE, &ref);
}

static void new_page(struct http_req *req)
{
    struct result_form rf = {0};
    struct owner_choice owners[RESULT_MAX_OWNERS];
    int n = owner_choices(req, owners);
    if (n > 0)
        rf.owner = arena_printf(req->arena, "%" PRId64, owners[0].id);
    render_form(req, &rf, NULL, 200, NULL, NULL);
}

static void create(struct http_req *req)
{
    struct result_form rf = {0};
    struct form_errors fe = {0};
    struct result_input in = {0};
    struct err_ctx e = {0};
    int64_t id = 0;
    read_form(req, &rf, &fe, &in);
    if (!may_create_for(req, in.owner_org_id)) {
        /* Before any validation: someone who may not create learns nothing from error texts. */
        page_error(req, 403, NULL);
        return;
    }
    if (fe.n > 0) {
        render_form(req, &rf, &fe, 422, NULL, NULL);
        return;
    }
    int rc = result_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc == ERR_INVALID) {
        e.field = field_for(e.field);
        form_error_add(&fe, &e);
        render_form(req, &rf, &fe, 422, NULL, NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_form(req, &rf, NULL, 409, e.msg[0] ? e.msg : _("Dit resultaat bestaat al."), NULL);
        return;
    }
    if (rc != 0) {
        error_page_for(req, rc, &e);
        return;
    }
    char loc[80];
    result_href(loc, sizeof loc, id, "?melding=aangemaakt");
    http_redirect(req, loc);
}

/* --- One result --- */

static void archive_button(struct html *h, struct http_req *req, int64_t id, bool archive)
{
    char action[80];
    result_href(action, sizeof action, id, archive ? "/archiveren" : "/herstellen");
    html_raw(h, "<form class=\"duiding-inline-form\" method=\"post\"");
    html_url_attr(h, "action", action);
    if (archive)
        html_attr(h, "data-confirm",
                  _("Weet u zeker dat u dit resultaat wilt archiveren? U kunt het later "
                    "herstellen."));
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    html_raw(h, "><button type=\"submit\" class=\"utrecht-button utrecht-button--secondary-action");
    if (archive)
        html_raw(h, " utrecht-button--danger");
    html_raw(h, "\">");
    html_text(h, archive ? _("Archiveren") : _("Herstellen"));
    html_raw(h, "</button></form>");
}

/* --- Linked indicators --- */

/* May this indicator be linked to the result? The standard set, and local indicators of the
 * result's owner (or of the editor's own organisation). */
static bool indicator_offered(const struct ind_catalog_entry *c, const struct result *r,
                              const struct actor *who)
{
    return c->standard || c->owner_org_id == 0 || c->owner_org_id == r->owner_org_id ||
           c->owner_org_id == who->org_id;
}

static const struct ind_catalog_entry *catalog_find(const struct ind_catalog_entry *cat, size_t n,
                                                    int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (cat[i].id == id)
            return &cat[i];
    return NULL;
}

static void indicators_section(struct html *h, struct http_req *req, const struct result *r,
                               bool can_edit)
{
    struct db *db = store_reader(req->app->store);
    struct ind_catalog_entry *cat = NULL;
    size_t ncat = 0, nlinks = 0;
    int64_t *links = NULL;
    struct err_ctx e = {0};
    bool have_links = indicator_store_result_links(req->arena, db, r->id, &links, &nlinks) == 0;
    bool have_cat = ind_catalog_load(db, req->arena, &cat, &ncat, NULL, &e) == 0;
    html_raw(h, "<section class=\"duiding-section\" id=\"indicatoren\" "
                "aria-labelledby=\"kop-indicatoren\"><h2 class=\"utrecht-heading-2\" "
                "id=\"kop-indicatoren\">");
    html_text(h, _("Indicatoren"));
    html_raw(h, "</h2>");
    if (!have_links || !have_cat) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_text(h, _("De indicatoren kunnen nu niet worden getoond."));
        html_raw(h, "</p></section>");
        return;
    }
    if (nlinks == 0) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, _("Er zijn nog geen indicatoren aan dit resultaat gekoppeld."));
        html_raw(h, "</p>");
    } else {
        html_raw(h, "<ul class=\"utrecht-unordered-list\">");
        for (size_t i = 0; i < nlinks; i++) {
            const struct ind_catalog_entry *c = catalog_find(cat, ncat, links[i]);
            html_raw(h, "<li>");
            if (c) {
                html_raw(h, "<a class=\"utrecht-link\"");
                html_url_attr(h, "href", arena_printf(req->arena, "/indicatoren/%" PRId64, c->id));
                html_raw(h, ">");
                html_text(h, c->def.name);
                html_raw(h, "</a>");
            } else {
                html_textf(h, _("Indicator %lld (gearchiveerd)"), (long long)links[i]);
            }
            html_raw(h, "</li>");
        }
        html_raw(h, "</ul><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
        html_url_attr(h, "href", arena_printf(req->arena, "/dashboard?resultaat=%" PRId64, r->id));
        html_raw(h, ">");
        html_text(h, _("Bekijk de cijfers van dit resultaat op het dashboard"));
        html_raw(h, "</a></p>");
    }
    if (can_edit) {
        struct form_option *opts = arena_calloc(req->arena, ncat + 1, sizeof *opts);
        bool *checked = arena_calloc(req->arena, ncat + 1, sizeof *checked);
        int n = 0;
        for (size_t i = 0; opts && checked && i < ncat; i++) {
            bool linked = false;
            for (size_t j = 0; j < nlinks; j++)
                linked = linked || links[j] == cat[i].id;
            if (!linked && !indicator_offered(&cat[i], r, &req->actor))
                continue;
            opts[n].value = arena_printf(req->arena, "%" PRId64, cat[i].id);
            opts[n].label = cat[i].def.name ? cat[i].def.name : cat[i].def.code;
            checked[n++] = linked;
        }
        if (n > 0) {
            html_raw(h, "<details class=\"duiding-details\" id=\"indicatoren-kiezen\"><summary>");
            html_text(h, _("Indicatoren kiezen"));
            html_raw(h, "</summary>");
            form_begin(h, req,
                       arena_printf(req->arena, "/resultaten/%" PRId64 "/indicatoren", r->id));
            form_checkboxes(h, NULL, "indicator",
                            _("Welke indicatoren laten zien of dit "
                              "resultaat dichterbij komt?"),
                            opts, n, checked);
            form_submit(h, _("Indicatoren opslaan"));
            form_end(h);
            html_raw(h, "</details>");
        }
    }
    html_raw(h, "</section>");
}

/* POST /resultaten/{id}/indicatoren: replaces the linked indicators (checkboxes "indicator"). */
static void set_indicators(struct http_req *req)
{
    int64_t id;
    struct result r;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = result_get(req->arena, req->app->store, &req->actor, id, &r);
    if (rc != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    if (!may(req, ACT_EDIT, &r)) {
        page_error(req, 403, NULL);
        return;
    }
    if (r.archived) {
        page_error(req, 409, _("Dit resultaat staat in het archief."));
        return;
    }
    int nv = 0;
    const char **vals = http_form_all(req, "indicator", &nv);
    if (nv > RESULT_MAX_INDICATORS) {
        page_error(req, 422, _("U kunt hoogstens 64 indicatoren aan een resultaat koppelen."));
        return;
    }
    struct ind_catalog_entry *cat = NULL;
    size_t ncat = 0, nlinks = 0, n = 0;
    int64_t *links = NULL, ids[RESULT_MAX_INDICATORS];
    struct err_ctx e = {0};
    struct db *db = store_reader(req->app->store);
    if ((rc = ind_catalog_load(db, req->arena, &cat, &ncat, NULL, &e)) != 0 ||
        (rc = indicator_store_result_links(req->arena, db, id, &links, &nlinks)) != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    for (int i = 0; i < nv; i++) {
        int64_t v;
        const struct ind_catalog_entry *c = NULL;
        bool linked = false, dup = false;
        if (vals[i] && str_parse_i64_c(vals[i], 1, INT64_MAX, &v) == 0)
            c = catalog_find(cat, ncat, v);
        for (size_t j = 0; c && j < nlinks; j++)
            linked = linked || links[j] == v;
        if (!c || (!linked && !indicator_offered(c, &r, &req->actor))) {
            page_error(req, 422, _("Kies indicatoren uit de lijst."));
            return;
        }
        for (size_t j = 0; j < n; j++)
            dup = dup || ids[j] == v;
        if (!dup)
            ids[n++] = v;
    }
    char detail[64];
    struct db *w;
    if ((rc = store_write_begin(req->app->store, &w)) != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    rc = indicator_store_set_result_links(w, id, ids, n);
    snprintf(detail, sizeof detail, "indicators=%zu", n);
    if (rc == 0)
        rc = audit_write(w, &req->actor, "result.indicators", "result", id, detail);
    int end = store_write_end(req->app->store, rc == 0);
    if (rc == 0)
        rc = end;
    if (rc != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    char loc[96];
    result_href(loc, sizeof loc, id, "?melding=opgeslagen#indicatoren");
    http_redirect(req, loc);
}

/* The quality conversations about this result that the actor is a member of (policy rule 13),
 * newest first, and the way to plan one. */
static void conversations_section(struct html *h, struct http_req *req, const struct result *r)
{
    struct conv_filter f = {.result_id = r->id, .limit = 10};
    struct conversation *list = NULL;
    int n = 0, total = 0;
    if (conversation_list(req->arena, req->app->store, &req->actor, &f, &list, &n, &total) != 0)
        n = total = 0;
    struct object_ref plan = {.kind = OBJ_CONVERSATION,
                              .owner_org_id = req->actor.org_id,
                              .owner_org_kind = req->actor.org_kind};
    bool can_plan = !r->archived && policy_allows(&req->actor, ACT_CREATE, &plan);
    if (n == 0 && !can_plan)
        return;
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"kop-gesprekken\">"
                "<h2 class=\"utrecht-heading-2\" id=\"kop-gesprekken\">");
    html_text(h, _("Kwaliteitsgesprekken"));
    html_raw(h, "</h2>");
    if (n == 0) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, _("Er zijn nog geen gesprekken over dit resultaat die u kunt zien."));
        html_raw(h, "</p>");
    } else {
        html_raw(h, "<ul class=\"utrecht-unordered-list\">");
        for (int i = 0; i < n; i++) {
            html_raw(h, "<li class=\"utrecht-unordered-list__item\"><a class=\"utrecht-link\"");
            html_url_attr(h, "href", arena_printf(req->arena, "/gesprekken/%" PRId64, list[i].id));
            html_raw(h, ">");
            html_text(h, list[i].title);
            html_raw(h, "</a> · ");
            kit_time_day(h, list[i].held_on);
            html_raw(h, " · ");
            html_text(h, conv_status_label(list[i].status));
            html_raw(h, "</li>");
        }
        html_raw(h, "</ul>");
        if (total > n) {
            html_raw(h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
            html_url_attr(h, "href",
                          arena_printf(req->arena, "/gesprekken?resultaat=%" PRId64, r->id));
            html_raw(h, ">");
            html_textf(h, _("Alle %d gesprekken over dit resultaat"), total);
            html_raw(h, "</a></p>");
        }
    }
    if (can_plan) {
        html_raw(h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
        html_url_attr(h, "href",
                      arena_printf(req->arena, "/gesprekken/nieuw?resultaat=%" PRId64, r->id));
        html_raw(h, ">");
        html_text(h, _("Een gesprek over dit resultaat plannen"));
        html_raw(h, "</a></p>");
    }
    html_raw(h, "</section>");
}

static void view_page(struct http_req *req)
{
    int64_t id;
    struct result r;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = result_get(req->arena, req->app->store, &req->actor, id, &r);
    if (rc != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Resultaten"), "/resultaten"}, {r.title, NULL}};
    struct object_ref ref;
    result_ref(req, &r, &ref);
    bool can_edit = policy_allows(&req->actor, ACT_EDIT, &ref);
    bool can_archive = policy_allows(&req->actor, ACT_ARCHIVE, &ref);
    struct html h;
    html_init(&h);
    const char *melding = http_query(req, "melding");
    page_begin(&h, req, r.title, crumbs, (int)ARRAY_LEN(crumbs));
    /* Right after archiving, the archive notice below says it all; one message is enough. */
    if (!(r.archived && melding && strcmp(melding, "gearchiveerd") == 0))
        page_flash(&h, req);
    if (r.archived)
        page_alert(&h, "info",
                   can_archive ? _("Dit resultaat staat in het archief. U kunt het herstellen als "
                                   "het weer nodig is.")
                               : _("Dit resultaat staat in het archief."));

    html_raw(&h, "<dl class=\"utrecht-data-list utrecht-data-list--rows duiding-facts\">");
    data_item(&h, _("Eigenaar"));
    html_text(&h, r.owner_name);
    html_raw(&h, "</dd></div>");
    data_item(&h, _("Thema"));
    html_text(&h, theme_label(r.theme));
    html_raw(&h, "</dd></div>");
    data_item(&h, _("Periode"));
    period_text(&h, r.start_year, r.end_year);
    html_raw(&h, "</dd></div></dl>");

    html_raw(&h, "<section class=\"duiding-section\" aria-labelledby=\"kop-beschrijving\">"
                 "<h2 class=\"utrecht-heading-2\" id=\"kop-beschrijving\">");
    html_text(&h, _("Beschrijving"));
    html_raw(&h, "</h2>");
    if (r.description && str_trim(str_from(r.description)).len > 0) {
        html_raw(&h, "<div class=\"duiding-prose\">");
        description_paragraphs(&h, r.description);
        html_raw(&h, "</div>");
    } else {
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(&h, _("Er is nog geen beschrijving."));
        html_raw(&h, "</p>");
    }
    html_raw(&h, "</section>");
    /* The theory of change of this result (web/page_theory.c). */
    html_raw(&h, "<section class=\"duiding-section\" aria-labelledby=\"kop-verandertheorie\">"
                 "<h2 class=\"utrecht-heading-2\" id=\"kop-verandertheorie\">");
    html_text(&h, _("Verandertheorie"));
    html_raw(&h, "</h2><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
    html_url_attr(&h, "href",
                  arena_printf(req->arena, "/resultaten/%" PRId64 "/verandertheorie", id));
    html_raw(&h, ">");
    html_text(&h, _("Bekijk de verandertheorie: welke activiteiten bijdragen aan dit resultaat, "
                    "en waarom"));
    html_raw(&h, "</a></p></section>");
    indicators_section(&h, req, &r, can_edit && !r.archived);
    conversations_section(&h, req, &r);

    if (can_edit || can_archive) {
        html_raw(&h, "<div class=\"utrecht-button-group duiding-actions\">");
        if (can_edit && !r.archived) {
            char href[80];
            result_href(href, sizeof href, r.id, "/bewerken");
            html_raw(&h, "<a class=\"utrecht-button-link utrecht-button-link--html-a "
                         "utrecht-button-link--primary-action\"");
            html_url_attr(&h, "href", href);
            html_raw(&h, ">");
            html_text(&h, _("Bewerken"));
            html_raw(&h, "</a>");
        }
        if (can_archive)
            archive_button(&h, req, r.id, !r.archived);
        html_raw(&h, "</div>");
    }

    html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted duiding-meta\">");
    html_textf(&h, _("Versie %lld"), (long long)r.version);
    if (r.updated_at) {
        html_raw(&h, " · ");
        html_text(&h, _("laatst gewijzigd op"));
        html_raw(&h, " ");
        date_text(&h, r.updated_at);
    }
    html_raw(&h, "</p>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- Edit --- */

static void edit_page(struct http_req *req)
{
    int64_t id;
    struct result r;
    struct result_form rf = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = result_get(req->arena, req->app->store, &req->actor, id, &r);
    if (rc != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    if (!may(req, ACT_EDIT, &r)) {
        page_error(req, 403,
                   _("Alleen beleidsadviseurs van de eigenaar kunnen dit resultaat "
                     "bewerken."));
        return;
    }
    form_from_result(&rf, &r, req->arena);
    render_form(req, &rf, NULL, 200, NULL, NULL);
}

static void update(struct http_req *req)
{
    int64_t id, version;
    struct result cur;
    struct result_form rf = {0};
    struct form_errors fe = {0};
    struct result_input in = {0};
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = result_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc != 0) {
        error_page_for(req, rc, NULL);
        return;
    }
    if (!may(req, ACT_EDIT, &cur)) {
        /* Before any validation: someone who may not edit learns nothing from error texts. */
        page_error(req, 403, NULL);
        return;
    }
    const char *vs = http_form(req, F_VERSION);
    if (!vs || str_parse_i64_c(vs, 0, INT64_MAX, &version) != 0) {
        page_error(req, 400, _("Het formulier is niet compleet. Open het opnieuw."));
        return;
    }
    rf.id = id;
    rf.version = version;
    rf.owner_name = cur.owner_name;
    rf.saved_title = cur.title;
    read_form(req, &rf, &fe, &in);
    in.owner_org_id = cur.owner_org_id;
    in.version = version;
    if (fe.n > 0) {
        render_form(req, &rf, &fe, 422, NULL, NULL);
        return;
    }
    rc = result_update(req->app->store, &req->actor, id, &in, &e);
    if (rc == ERR_INVALID) {
        e.field = field_for(e.field);
        form_error_add(&fe, &e);
        render_form(req, &rf, &fe, 422, NULL, NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        /* Keep the user's text, but carry the current version: saving again is then a
         * deliberate choice to overwrite the other change. */
        struct result now;
        bool have_now = result_get(req->arena, req->app->store, &req->actor, id, &now) == 0;
        if (have_now) {
            rf.version = now.version;
            rf.saved_title = now.title;
        }
        render_form(req, &rf, NULL, 409,
                    _("Iemand anders heeft dit resultaat gewijzigd terwijl u het bewerkte. Uw "
                      "wijzigingen zijn nog niet opgeslagen. Uw tekst staat hieronder. Vergelijk "
                      "hem met de versie die nu is opgeslagen. Klik daarna opnieuw op "
                      "Wijzigingen opslaan om uw versie te bewaren."),
                    have_now ? &now : NULL);
        return;
    }
    if (rc != 0) {
        error_page_for(req, rc, &e);
        return;
    }
    char loc[80];
    result_href(loc, sizeof loc, id, "?melding=opgeslagen");
    http_redirect(req, loc);
}

/* --- Archive and restore --- */

static void set_archived(struct http_req *req, bool archived)
{
    kit_set_archived(req, result_set_archived, "/resultaten", archived);
}

static void archive(struct http_req *req)
{
    set_archived(req, true);
}

static void restore(struct http_req *req)
{
    set_archived(req, false);
}

/* "nieuw" comes before "{id}": the router takes the first pattern that matches. */
const struct route result_page_routes[] = {
    {"GET", "/resultaten", list_page, 0, "result.list"},
    {"GET", "/resultaten/nieuw", new_page, 0, "result.new"},
    {"POST", "/resultaten", create, 0, "result.create"},
    {"GET", "/resultaten/{id}", view_page, 0, "result.view"},
    {"GET", "/resultaten/{id}/bewerken", edit_page, 0, "result.edit"},
    {"POST", "/resultaten/{id}", update, 0, "result.update"},
    {"POST", "/resultaten/{id}/archiveren", archive, 0, "result.archive"},
    {"POST", "/resultaten/{id}/herstellen", restore, 0, "result.restore"},
    {"POST", "/resultaten/{id}/indicatoren", set_indicators, 0, "result.indicators"},
    ROUTES_END,
};
