/*
 * figures.c: the web layer's door to indicator figures (figures.h). The acting user becomes a
 * scope (policy_figure_scope plus the organisation store: which gemeenten, which aanbieder) and
 * an audience (whose disclosure rules apply); the targets that apply are loaded; and
 * metrics/view.c computes the disclosed view. Also the shared query parameters and the labels
 * of dimension codes. Nothing here sees a raw figure.
 */
#include "web/figures.h"
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/cbs.h"
#include "domain/codelist.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/indicator_store.h"
#include "store/org_store.h"
#include <pthread.h>
#include <time.h>

#define FIG_MAX_PERIODS      240
#define FIG_DEFAULT_PERIODS  8
#define FIG_MAX_FILTER_CODES 50
#define FIG_MAX_CODE_LEN     32
#define FIG_MAX_REGION_GEM   1000 /* gemeenten per region (the Netherlands has 342) */
#define FIG_NAME_ECHO_MAX    32   /* a parameter name longer than this is not repeated back */

/* ---- The engine. --------------------------------------------------------------------------- */

/* Builds of the shared engine are serialised; app->engine is only read under this lock. */
static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;

struct mx_engine *figures_engine(struct http_req *req)
{
    struct app *app = req->app;
    if (!app || !app->store)
        return NULL;
    struct db *db = store_reader(app->store);
    if (!db) {
        log_error("figures.engine", "rid", req->rid, "error", "no database connection", NULL);
        return NULL;
    }
    pthread_mutex_lock(&engine_lock);
    if (!app->engine) {
        struct err_ctx e = {0};
        struct mx_engine *eng = NULL;
        if (mx_engine_build(db, &eng, &e) == 0)
            app->engine = eng;
        else
            log_error("figures.engine_build", "rid", req->rid, "error",
                      e.msg[0] ? e.msg : err_name(e.code), NULL);
    }
    struct mx_engine *eng = app->engine;
    pthread_mutex_unlock(&engine_lock);
    if (!eng)
        return NULL;
    /* Fresh figures: apply what imports and undos committed since the last sync (cheap when
     * nothing changed). A failed sync leaves the engine as it was; say so in the log. */
    struct err_ctx e = {0};
    if (mx_engine_sync(eng, db, &e) != 0)
        log_error("figures.engine_sync", "rid", req->rid, "error",
                  e.msg[0] ? e.msg : err_name(e.code), NULL);
    return eng;
}

/* ---- Audience and scope. ------------------------------------------------------------------- */

enum dc_audience figures_audience(const struct http_req *req)
{
    const struct actor *a = &req->actor;
    if (a->user_id == 0)
        return DC_PUBLISHED;
    if (a->roles & ROLE_RAAD)
        return DC_PUBLISHED; /* council members see what may be published */
    if (a->org_kind == ORG_AANBIEDER)
        return DC_PROVIDER;
    return DC_INTERNAL;
}

/* "GM0114" -> "0114": the engine keys gemeenten by the bare CBS number. */
static const char *bare_cbs(const char *s)
{
    return (s && (s[0] == 'G' || s[0] == 'g') && (s[1] == 'M' || s[1] == 'm')) ? s + 2 : s;
}

/* The bare CBS codes of the gemeenten in a region (not archived). */
static int region_gemeenten(struct arena *a, struct db *db, int64_t region, const char **codes,
                            size_t cap, size_t *n)
{
    struct org_query q = {.kind = ORG_GEMEENTE, .parent_id = region, .limit = FIG_MAX_REGION_GEM};
    struct org *orgs = arena_calloc(a, FIG_MAX_REGION_GEM, sizeof *orgs);
    if (!orgs)
        return ERR_TOO_BIG;
    int got = 0;
    int rc = org_store_list(a, db, &q, orgs, FIG_MAX_REGION_GEM, &got);
    if (rc)
        return rc;
    for (int i = 0; i < got; i++) {
        const char *c = bare_cbs(orgs[i].cbs_code);
        if (!c || !*c)
            continue;
        bool dup = false;
        for (size_t j = 0; j < *n && !dup; j++)
            dup = strcmp(codes[j], c) == 0;
        if (!dup && *n < cap)
            codes[(*n)++] = c;
    }
    return 0;
}

int figures_scope(struct http_req *req, struct mx_scope *out)
{
    memset(out, 0, sizeof *out);
    struct figure_scope fs;
    policy_figure_scope(&req->actor, &fs);
    struct store *s = req->app ? req->app->store : NULL;
    switch (fs.kind) {
    case FIGSCOPE_NONE:
        return ERR_DENIED;
    case FIGSCOPE_ALL:
        out->all_gemeenten = true;
        return 0;
    case FIGSCOPE_AANBIEDER:
        out->all_gemeenten = true;
        out->aanbieder_id = fs.org_id;
        return 0;
    case FIGSCOPE_GEMEENTE: {
        if (!s)
            return ERR_INTERNAL;
        struct org o;
        int rc = org_get_internal(req->arena, s, fs.org_id, &o);
        if (rc)
            return rc == ERR_NOT_FOUND ? ERR_DENIED : rc;
        const char **codes = arena_calloc(req->arena, 1, sizeof *codes);
        if (!codes)
            return ERR_NOMEM;
        const char *c = bare_cbs(o.cbs_code);
        out->gemeenten = codes;
        if (c && *c) { /* a gemeente without a CBS code sees nothing, never everything */
            codes[0] = c;
            out->ngemeenten = 1;
        }
        return 0;
    }
    case FIGSCOPE_REGIONS: {
        if (!s)
            return ERR_INTERNAL;
        struct db *db = store_reader(s);
        if (!db)
            return ERR_DB;
        size_t cap = FIG_MAX_REGION_GEM;
        const char **codes = arena_calloc(req->arena, cap, sizeof *codes);
        if (!codes)
            return ERR_NOMEM;
        size_t n = 0;
        for (int i = 0; i < fs.nregions; i++) {
            int rc = region_gemeenten(req->arena, db, fs.region_ids[i], codes, cap, &n);
            if (rc)
                return rc;
        }
        out->gemeenten = codes;
        out->ngemeenten = n;
        return 0;
    }
    }
    return ERR_DENIED;
}

/* ---- Targets. ------------------------------------------------------------------------------ */

static bool in_regions(const struct actor *a, int64_t id)
{
    for (int i = 0; i < a->nregions && i < ACTOR_MAX_REGIONS; i++)
        if (a->region_ids[i] == id)
            return true;
    return false;
}

/*
 * The streefwaarden of an indicator as the view matches them (by gemeente and aanbieder). A
 * target without a gemeente holds for the owner's area: a gemeente owner's own code; for a
 * region owner, the actor's own region keeps it general, anyone else gets it per member
 * gemeente, so it never lands on gemeenten outside that region.
 */
static int load_targets(struct http_req *req, int64_t ind_id, struct mx_target **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct db *db = store_reader(req->app->store);
    if (!db)
        return ERR_DB;
    struct indicator_target_row *rows = NULL;
    size_t nrows = 0;
    int rc = indicator_store_targets(req->arena, db, ind_id, &rows, &nrows);
    if (rc)
        return rc;
    size_t cap = nrows * 4 + 4, k = 0;
    struct mx_target *t = arena_calloc(req->arena, cap, sizeof *t);
    if (!t)
        return ERR_NOMEM;
    const struct actor *a = &req->actor;
    for (size_t i = 0; i < nrows; i++) {
        const struct indicator_target_row *r = &rows[i];
        struct mx_target base = {NULL, r->aanbieder_id, r->valid_from, r->valid_to, r->value};
        if (r->gemeente && *r->gemeente) {
            base.gemeente = bare_cbs(r->gemeente);
        } else if (r->owner_org_id != 0) {
            struct org o;
            if (org_get_internal(req->arena, req->app->store, r->owner_org_id, &o) != 0)
                continue;
            if (o.kind == ORG_GEMEENTE) {
                if (!o.cbs_code)
                    continue;
                base.gemeente = bare_cbs(o.cbs_code);
            } else if (o.kind == ORG_REGION && r->owner_org_id != a->org_id &&
                       !in_regions(a, r->owner_org_id)) {
                const char *codes[FIG_MAX_REGION_GEM];
                size_t nc = 0;
                if (region_gemeenten(req->arena, db, r->owner_org_id, codes, FIG_MAX_REGION_GEM,
                                     &nc) != 0)
                    continue;
                for (size_t j = 0; j < nc; j++) {
                    if (k == cap) {
                        size_t ncap = cap * 2 + nc;
                        struct mx_target *nt = arena_calloc(req->arena, ncap, sizeof *nt);
                        if (!nt)
                            return ERR_NOMEM;
                        memcpy(nt, t, k * sizeof *t);
                        t = nt;
                        cap = ncap;
                    }
                    t[k] = base;
                    t[k++].gemeente = codes[j];
                }
                continue;
            }
        }
        if (k == cap) {
            size_t ncap = cap * 2;
            struct mx_target *nt = arena_calloc(req->arena, ncap, sizeof *nt);
            if (!nt)
                return ERR_NOMEM;
            memcpy(nt, t, k * sizeof *t);
            t = nt;
            cap = ncap;
        }
        t[k++] = base;
    }
    *out = t;
    *n = k;
    return 0;
}

/* ---- The view. ----------------------------------------------------------------------------- */

static int imax(int a, int b)
{
    return a > b ? a : b;
}

/*
 * The engine names a rejected breakdown "by"; people asked for it as 'per' or 'per2'. With two
 * breakdowns, ask again for the first alone over one period (cheap): if that is refused too,
 * 'per' was the problem, else 'per2'.
 */
static const char *by_param(struct mx_engine *eng, const struct mx_view_req *vr, struct arena *a)
{
    if (vr->nby < 2)
        return "per";
    struct mx_view_req one = *vr;
    one.nby = 1;
    one.first = vr->last;
    struct mx_view tmp;
    struct err_ctx e1 = {0};
    int rc = mx_view_compute(eng, &one, a, &tmp, &e1);
    return rc == ERR_INVALID && e1.field && strcmp(e1.field, "by") == 0 ? "per" : "per2";
}

int figures_view(struct http_req *req, const struct figures_opts *o, struct mx_view *out,
                 struct err_ctx *e)
{
    memset(out, 0, sizeof *out);
    const struct object_ref obj = {.kind = OBJ_FIGURES};
    if (!policy_allows(&req->actor, ACT_VIEW, &obj))
        return err_set(e, ERR_DENIED, NULL, "%s", _("U kunt geen cijfers inzien."));
    struct mx_scope scope;
    int rc = figures_scope(req, &scope);
    if (rc == ERR_DENIED)
        return err_set(e, ERR_DENIED, NULL, "%s", _("U kunt geen cijfers inzien."));
    if (rc)
        return err_set(e, rc, NULL, "%s", _("De cijfers zijn nu niet beschikbaar."));
    struct mx_engine *eng = figures_engine(req);
    if (!eng)
        return err_set(e, ERR_INTERNAL, NULL, "%s", _("De cijfers zijn nu niet beschikbaar."));

    /* The actor's audience; a stricter one on request (a publication version), never a
     * looser one. Rules: the stricter of both per threshold, whatever the configuration. */
    enum dc_audience own = figures_audience(req), aud = own;
    const struct config *cfg = req->app->cfg;
    struct dc_rules rules;
    dc_rules_for(cfg, own, &rules);
    if (o->audience >= 0 && o->audience < DC__AUDIENCES && (enum dc_audience)o->audience > own) {
        aud = (enum dc_audience)o->audience;
        struct dc_rules r2;
        dc_rules_for(cfg, aud, &r2);
        rules.min_count = imax(rules.min_count, r2.min_count);
        rules.min_denominator = imax(rules.min_denominator, r2.min_denominator);
        rules.round_to = imax(rules.round_to, r2.round_to);
        rules.min_benchmark = imax(rules.min_benchmark, r2.min_benchmark);
    }

    struct mx_target *targets = NULL;
    size_t ntargets = 0;
    if (!o->preview && o->ind_id > 0) {
        rc = load_targets(req, o->ind_id, &targets, &ntargets);
        if (rc)
            return err_set(e, rc, NULL, "%s", _("De streefwaarden konden niet worden gelezen."));
    }

    struct mx_view_req vr = {
        .ind_id = o->ind_id,
        .preview = o->preview,
        .pkind = o->pkind,
        .first = o->first,
        .last = o->last,
        .nby = o->nby,
        .scope = &scope,
        .audience = aud,
        .rules = &rules,
        .bench_dim = o->bench_dim >= 0         ? o->bench_dim
                     : scope.aanbieder_id != 0 ? MX_DIM_AANBIEDER
                                               : MX_DIM_GEMEENTE,
        .targets = targets,
        .ntargets = ntargets,
    };
    for (int k = 0; k < o->nby && k < MX_MAX_BY; k++)
        vr.by[k] = o->by[k];
    memcpy(vr.where, o->where, sizeof vr.where);
    rc = mx_view_compute(eng, &vr, req->arena, out, e);
    if (rc == ERR_INVALID && e && e->field && strcmp(e->field, "by") == 0)
        e->field = by_param(eng, &vr, req->arena);
    return rc;
}

/* ---- Labels. ------------------------------------------------------------------------------- */

/*
 * Organisation names are looked up once per request. The cache lives in the request's arena
 * and is found through a small registry keyed by that arena; the arena's cleanup removes the
 * entry before its memory goes, so a reused address never finds a stale cache.
 */
struct name_entry {
    int64_t id;
    const char *name;
};

struct name_cache {
    struct arena *arena;
    struct name_entry *e;
    size_t n, cap;
    struct name_cache *next;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct name_cache *caches;

static void cache_drop(void *p)
{
    pthread_mutex_lock(&cache_lock);
    for (struct name_cache **c = &caches; *c; c = &(*c)->next)
        if (*c == p) {
            *c = (*c)->next;
            break;
        }
    pthread_mutex_unlock(&cache_lock);
}

static struct name_cache *cache_for(struct arena *a)
{
    pthread_mutex_lock(&cache_lock);
    struct name_cache *c = caches;
    while (c && c->arena != a)
        c = c->next;
    pthread_mutex_unlock(&cache_lock);
    if (c)
        return c;
    c = arena_calloc(a, 1, sizeof *c);
    if (!c)
        return NULL;
    c->arena = a;
    arena_defer(a, cache_drop, c);
    pthread_mutex_lock(&cache_lock);
    c->next = caches;
    caches = c;
    pthread_mutex_unlock(&cache_lock);
    return c;
}

static const char *org_name(struct http_req *req, const char *code)
{
    int64_t id;
    if (str_parse_i64_c(code, 1, INT64_MAX, &id) != 0)
        return code;
    struct name_cache *c = cache_for(req->arena);
    if (c)
        for (size_t i = 0; i < c->n; i++)
            if (c->e[i].id == id)
                return c->e[i].name;
    struct org o;
    const char *name = NULL;
    if (req->app && req->app->store && org_get_internal(req->arena, req->app->store, id, &o) == 0)
        name = o.name;
    if (!name || !*name)
        name = arena_printf(req->arena, _("Aanbieder %s"), code);
    if (!name)
        return code;
    if (c) {
        if (c->n == c->cap) {
            size_t ncap = c->cap ? c->cap * 2 : 32;
            struct name_entry *ne = arena_calloc(req->arena, ncap, sizeof *ne);
            if (!ne)
                return name;
            if (c->n)
                memcpy(ne, c->e, c->n * sizeof *ne);
            c->e = ne;
            c->cap = ncap;
        }
        c->e[c->n++] = (struct name_entry){id, name};
    }
    return name;
}

static const char *code_label(const char *list, const char *release, const char *code)
{
    const struct code_entry *ce = codelist_find(list, release, code);
    return ce && ce->label && *ce->label ? ce->label : NULL;
}

const char *figures_label(void *ctx, enum mx_dim d, const char *code)
{
    struct http_req *req = ctx;
    if (!code)
        return _("Totaal");
    if (!*code)
        return _("onbekend");
    const char *s = NULL;
    switch (d) {
    case MX_DIM_AANBIEDER:
        return req ? org_name(req, code) : code;
    case MX_DIM_GEMEENTE: {
        const struct cbs_gemeente *g = cbs_find(code);
        return g ? g->name : code;
    }
    case MX_DIM_LAW:
        if (strcmp(code, "jw") == 0)
            return _("Jeugdwet");
        if (strcmp(code, "wmo") == 0)
            return _("Wmo 2015");
        return code;
    case MX_DIM_CATEGORY:
        s = code_label("JZ020", "3.2", code);
        if (!s)
            s = code_label("WMO020", "3.2", code);
        break;
    case MX_DIM_HULPVORM:
        s = code_label("CBS-HULPVORM", "v7", code);
        break;
    case MX_DIM_REFERRER:
        s = code_label("COD327", "3.2", code);
        if (!s)
            s = code_label("CBS-VERWIJZER", "v7", code);
        break;
    case MX_DIM_GENDER:
        if (strcmp(code, "1") == 0)
            return _("Man");
        if (strcmp(code, "2") == 0)
            return _("Vrouw");
        if (strcmp(code, "0") == 0)
            return _("onbekend");
        return code;
    case MX_DIM_AGE_BAND:
        if (strcmp(code, "onbekend") == 0)
            return _("onbekend");
        return req && req->arena ? arena_printf(req->arena, _("%s jaar"), code) : code;
    case MX_DIM_AREA:
    case MX_DIM__COUNT:
        break;
    }
    return s ? s : code;
}

/* ---- Query parameters. --------------------------------------------------------------------- */

static const struct {
    const char *code;
    enum period_kind kind;
} period_kinds[] = {
    {"maand", PERIOD_MONTH},
    {"kwartaal", PERIOD_QUARTER},
    {"halfjaar", PERIOD_HALF},
    {"jaar", PERIOD_YEAR},
};

/* The filter parameters and their dimensions. */
static const struct {
    const char *param;
    enum mx_dim dim;
} filter_params[] = {
    {"gemeente", MX_DIM_GEMEENTE}, {"gebied", MX_DIM_AREA},        {"aanbieder", MX_DIM_AANBIEDER},
    {"wet", MX_DIM_LAW},           {"categorie", MX_DIM_CATEGORY}, {"hulpvorm", MX_DIM_HULPVORM},
    {"leeftijd", MX_DIM_AGE_BAND}, {"geslacht", MX_DIM_GENDER},    {"verwijzer", MX_DIM_REFERRER},
};

static bool code_char_ok(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch == '-' || ch == '+' || ch == '_';
}

/* One filter code, checked and normalised for its dimension. NULL with e set if invalid. */
static const char *filter_code(struct arena *a, const char *param, enum mx_dim d, const char *p,
                               size_t len, struct err_ctx *e)
{
    if (len > FIG_MAX_CODE_LEN) {
        err_set(e, ERR_INVALID, param, _("Een code in '%s' is te lang (hoogstens %d tekens)."),
                param, FIG_MAX_CODE_LEN);
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        if (!code_char_ok(p[i])) {
            err_set(e, ERR_INVALID, param,
                    _("'%s' bevat een ongeldige code: gebruik letters, cijfers en - + _, "
                      "gescheiden door komma's."),
                    param);
            return NULL;
        }
    char *c = arena_strndup(a, p, len);
    if (!c) {
        err_set(e, ERR_TOO_BIG, param, "%s", _("De opvraag is te groot."));
        return NULL;
    }
    if (strcmp(c, "onbekend") == 0 && d != MX_DIM_AGE_BAND)
        return ""; /* the unknown value; the age band "onbekend" is its own code */
    switch (d) {
    case MX_DIM_GEMEENTE: {
        const char *b = bare_cbs(c);
        int64_t v;
        if (strlen(b) != 4 || str_parse_i64_c(b, 0, 9999, &v) != 0) {
            err_set(e, ERR_INVALID, param,
                    _("'%s' verwacht CBS-gemeentecodes zoals 0344 of GM0344."), param);
            return NULL;
        }
        return b;
    }
    case MX_DIM_AANBIEDER: {
        int64_t v;
        if (str_parse_i64_c(c, 1, INT64_MAX, &v) != 0) {
            err_set(e, ERR_INVALID, param, _("'%s' verwacht nummers van aanbieders."), param);
            return NULL;
        }
        return c;
    }
    case MX_DIM_LAW:
        if (strcmp(c, "jw") != 0 && strcmp(c, "wmo") != 0) {
            err_set(e, ERR_INVALID, param, _("'%s' kan 'jw' of 'wmo' zijn."), param);
            return NULL;
        }
        return c;
    default:
        return c;
    }
}

static int parse_filter(struct http_req *req, const char *param, enum mx_dim d, struct mx_where *w,
                        struct err_ctx *e)
{
    *w = (struct mx_where){NULL, 0};
    const char *s = http_query(req, param);
    if (!s || !*s)
        return 0;
    const char **codes = arena_calloc(req->arena, FIG_MAX_FILTER_CODES, sizeof *codes);
    if (!codes)
        return err_set(e, ERR_TOO_BIG, param, "%s", _("De opvraag is te groot."));
    size_t n = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        struct str t = str_trim((struct str){p, len});
        if (t.len > 0) {
            if (n == FIG_MAX_FILTER_CODES)
                return err_set(e, ERR_INVALID, param, _("'%s' mag hoogstens %d codes bevatten."),
                               param, FIG_MAX_FILTER_CODES);
            const char *c = filter_code(req->arena, param, d, t.p, t.len, e);
            if (!c)
                return e ? e->code : ERR_INVALID;
            codes[n++] = c;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    *w = (struct mx_where){codes, n};
    return 0;
}

static int parse_period(const char *param, const char *s, enum period_kind kind, struct period *p,
                        struct err_ctx *e)
{
    if (period_parse(str_from(s), p) != 0 || p->kind != kind) {
        static const char *const examples[] = {"2024-07", "2024-Q3", "2024-H2", "2024"};
        return err_set(e, ERR_INVALID, param,
                       _("'%s' is geen geldige periode van de gekozen soort; bijvoorbeeld %s."),
                       param, examples[kind]);
    }
    return 0;
}

int figures_parse_query(struct http_req *req, struct figures_opts *o, struct err_ctx *e)
{
    int64_t ind_id = o->ind_id;
    const struct ind_def *preview = o->preview;
    memset(o, 0, sizeof *o);
    o->ind_id = ind_id;
    o->preview = preview;
    o->audience = -1;
    o->bench_dim = -1;

    const char *twice = http_query_repeated(req);
    if (twice) {
        bool echo = strlen(twice) <= FIG_NAME_ECHO_MAX;
        return err_set(e, ERR_INVALID, echo ? twice : NULL,
                       _("'%s' staat meer dan eens in de vraag. Geef het één keer; meer codes "
                         "scheidt u met komma's."),
                       echo ? twice : "?");
    }

    /* periode */
    o->pkind = PERIOD_QUARTER;
    const char *s = http_query(req, "periode");
    if (s && *s) {
        bool found = false;
        for (size_t i = 0; i < ARRAY_LEN(period_kinds) && !found; i++)
            if (strcmp(s, period_kinds[i].code) == 0) {
                o->pkind = period_kinds[i].kind;
                found = true;
            }
        if (!found)
            return err_set(e, ERR_INVALID, "periode", "%s",
                           _("'periode' kan 'maand', 'kwartaal', 'halfjaar' of 'jaar' zijn."));
    }

    /* van / tot: by default the last periods up to the data date. */
    const char *van = http_query(req, "van"), *tot = http_query(req, "tot");
    bool have_first = van && *van, have_last = tot && *tot;
    if (have_first && parse_period("van", van, o->pkind, &o->first, e))
        return ERR_INVALID;
    if (have_last && parse_period("tot", tot, o->pkind, &o->last, e))
        return ERR_INVALID;
    if (!have_last) {
        day_t ref = DAY_NONE;
        struct mx_engine *eng = figures_engine(req);
        if (eng) {
            struct mx_engine_stats st;
            mx_engine_get_stats(eng, &st);
            ref = st.data_date;
        }
        if (ref == DAY_NONE || ref == 0) {
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            ref = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        }
        o->last = period_of(ref, o->pkind);
        if (have_first && period_start(o->first) > period_start(o->last)) {
            o->last = o->first;
            for (int i = 1; i < FIG_DEFAULT_PERIODS; i++)
                o->last = period_next(o->last);
        }
    }
    if (!have_first) {
        o->first = o->last;
        for (int i = 1; i < FIG_DEFAULT_PERIODS; i++)
            o->first = period_prev(o->first);
    }
    if (period_start(o->first) > period_start(o->last))
        return err_set(e, ERR_INVALID, "van", "%s", _("'van' ligt na 'tot'."));
    int n = 0;
    for (struct period p = o->first;
         period_start(p) <= period_start(o->last) && n <= FIG_MAX_PERIODS; p = period_next(p))
        n++;
    if (n > FIG_MAX_PERIODS)
        return err_set(e, ERR_INVALID, "tot",
                       _("Kies hoogstens %d perioden tussen 'van' en 'tot'."), FIG_MAX_PERIODS);

    /* per / per2 */
    const char *per = http_query(req, "per"), *per2 = http_query(req, "per2");
    if (per && *per) {
        int d = mx_dim_parse(per);
        if (d < 0)
            return err_set(e, ERR_INVALID, "per", "%s",
                           _("'per' kent deze uitsplitsing niet; kies bijvoorbeeld gemeente, "
                             "aanbieder, wet of leeftijd."));
        o->by[o->nby++] = (enum mx_dim)d;
    }
    if (per2 && *per2) {
        if (o->nby == 0)
            return err_set(e, ERR_INVALID, "per2", "%s",
                           _("'per2' kan alleen samen met 'per' worden gebruikt."));
        int d = mx_dim_parse(per2);
        if (d < 0)
            return err_set(e, ERR_INVALID, "per2", "%s",
                           _("'per2' kent deze uitsplitsing niet; kies bijvoorbeeld gemeente, "
                             "aanbieder, wet of leeftijd."));
        if ((enum mx_dim)d == o->by[0])
            return err_set(e, ERR_INVALID, "per2", "%s",
                           _("'per2' moet een andere uitsplitsing zijn dan 'per'."));
        o->by[o->nby++] = (enum mx_dim)d;
    }

    /* filters */
    for (size_t i = 0; i < ARRAY_LEN(filter_params); i++) {
        int rc = parse_filter(req, filter_params[i].param, filter_params[i].dim,
                              &o->where[filter_params[i].dim], e);
        if (rc)
            return rc;
    }

    /* publiek */
    const char *pub = http_query(req, "publiek");
    if (pub && *pub) {
        int a = dc_audience_parse(pub);
        if (a < 0)
            return err_set(e, ERR_INVALID, "publiek", "%s",
                           _("'publiek' kan 'intern', 'aanbieder' of 'publiek' zijn."));
        o->audience = a;
    }
    return 0;
}
