/*
 * conversation_figures.c: the figures of a quality conversation (conversation_figures.h). The
 * scope comes from the conversation itself, not from whoever looks: the gemeente(n) it is
 * about, narrowed to its one aanbieder party, at the strictest audience of everyone at the
 * table, so the data pack shows the same figures to both sides. Targets are matched as the
 * figure pages match them (web/figures.c): a target without a gemeente holds for its owner's
 * area. Every figure comes from metrics/view.h.
 */
#include "report/conversation_figures.h"
#include "core/common.h"
#include "domain/org.h"
#include "domain/role.h"
#include "store/indicator_store.h"
#include "store/org_store.h"
#include "store/user_store.h"
#include <math.h>
#include <time.h>

#define LATEST_LOOKBACK 8 /* quarters */

/* "GM0114" -> "0114": the engine keys gemeenten by the bare CBS number. */
static const char *bare_cbs(const char *s)
{
    return (s && (s[0] == 'G' || s[0] == 'g') && (s[1] == 'M' || s[1] == 'm')) ? s + 2 : s;
}

static int add_code(const char **codes, size_t *n, const char *c)
{
    if (c == NULL || *c == '\0')
        return 0;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(codes[i], c) == 0)
            return 0;
    if (*n >= CONV_FIG_MAX_GEMEENTEN)
        return ERR_TOO_BIG;
    codes[(*n)++] = c;
    return 0;
}

static int region_members(struct arena *a, struct db *db, int64_t region, const char **codes,
                          size_t *n)
{
    enum { CAP = 1000 };
    struct org_query q = {.kind = ORG_GEMEENTE, .parent_id = region, .limit = CAP};
    struct org *orgs = arena_calloc(a, CAP, sizeof *orgs);
    if (orgs == NULL)
        return ERR_NOMEM;
    int got = 0;
    int rc = org_store_list(a, db, &q, orgs, CAP, &got);
    for (int i = 0; !rc && i < got; i++)
        rc = add_code(codes, n, bare_cbs(orgs[i].cbs_code));
    return rc;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

/* The stricter of two rule sets, threshold by threshold. */
static void stricter(struct dc_rules *r, const struct dc_rules *o)
{
    r->min_count = imax(r->min_count, o->min_count);
    r->min_denominator = imax(r->min_denominator, o->min_denominator);
    r->round_to = imax(r->round_to, o->round_to);
    r->min_benchmark = imax(r->min_benchmark, o->min_benchmark);
}

int conv_fig_scope(struct arena *a, struct store *s, const struct config *cfg,
                   const struct conversation *c, struct conv_fig_scope *out, struct err_ctx *e)
{
    memset(out, 0, sizeof *out);
    struct db *db = store_reader(s);
    if (db == NULL)
        return err_set(e, ERR_DB, NULL, "no database connection");
    const char **codes = arena_calloc(a, CONV_FIG_MAX_GEMEENTEN, sizeof *codes);
    int64_t *aanb = arena_calloc(a, CONV_FIG_MAX_AANBIEDERS, sizeof *aanb);
    if (codes == NULL || aanb == NULL)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    size_t n = 0;
    int rc = 0;
    if (c->gemeente && *c->gemeente) {
        rc = add_code(codes, &n, bare_cbs(c->gemeente));
    } else {
        struct org owner;
        rc = org_store_get(a, db, c->owner_org_id, &owner);
        if (!rc && owner.kind == ORG_GEMEENTE)
            rc = add_code(codes, &n, bare_cbs(owner.cbs_code));
        else if (!rc && owner.kind == ORG_REGION)
            rc = region_members(a, db, owner.id, codes, &n);
    }
    if (rc)
        return err_set(e, rc, NULL, "%s",
                       _("De gemeenten van dit gesprek konden niet worden bepaald."));
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "gemeente", "%s",
                       _("Dit gesprek gaat niet over een gemeente: er zijn geen cijfers."));

    /* Audience: the strictest of everyone at the table. */
    enum dc_audience aud = DC_INTERNAL;
    int naanb = 0;
    for (int i = 0; i < c->nparties; i++) {
        if (c->parties[i].org_kind != ORG_AANBIEDER)
            continue;
        if (aud < DC_PROVIDER)
            aud = DC_PROVIDER;
        if (naanb < CONV_FIG_MAX_AANBIEDERS)
            aanb[naanb++] = c->parties[i].org_id;
    }
    for (int i = 0; i < c->nparticipants; i++) {
        struct user u;
        if (user_store_get(a, db, c->participants[i].user_id, &u) != 0)
            continue;
        if (u.roles & ROLE_RAAD)
            aud = DC_PUBLISHED; /* a council member reads what may be published */
        else if (aud < DC_PROVIDER && c->participants[i].org_id != c->owner_org_id) {
            struct org o;
            if (org_store_get(a, db, c->participants[i].org_id, &o) == 0 && o.kind == ORG_AANBIEDER)
                aud = DC_PROVIDER;
        }
    }
    out->audience = aud;
    dc_rules_for(cfg, DC_INTERNAL, &out->rules);
    for (int k = DC_INTERNAL + 1; k <= (int)aud; k++) {
        struct dc_rules r;
        dc_rules_for(cfg, (enum dc_audience)k, &r);
        stricter(&out->rules, &r);
    }
    out->gemeenten = codes;
    out->ngemeenten = n;
    out->aanbieders = aanb;
    out->naanbieders = naanb;
    out->scope.all_gemeenten = false;
    out->scope.gemeenten = codes;
    out->scope.ngemeenten = n;
    out->scope.aanbieder_id = naanb == 1 ? aanb[0] : 0;
    out->bench_dim = naanb >= 1 ? MX_DIM_AANBIEDER : MX_DIM_GEMEENTE;
    return 0;
}

static bool in_list(const char *const *codes, size_t n, const char *c)
{
    for (size_t i = 0; c && i < n; i++)
        if (strcmp(codes[i], c) == 0)
            return true;
    return false;
}

/* The targets of an indicator for the conversation's gemeenten (see the file comment). */
static int load_targets(struct arena *a, struct db *db, int64_t ind_id,
                        const struct conv_fig_scope *sc, struct mx_target **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct indicator_target_row *rows = NULL;
    size_t nrows = 0;
    int rc = indicator_store_targets(a, db, ind_id, &rows, &nrows);
    if (rc)
        return rc;
    size_t cap = nrows * (sc->ngemeenten + 1) + 1, k = 0;
    struct mx_target *t = arena_calloc(a, cap, sizeof *t);
    if (t == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < nrows; i++) {
        const struct indicator_target_row *r = &rows[i];
        struct mx_target base = {NULL, r->aanbieder_id, r->valid_from, r->valid_to, r->value};
        if (r->gemeente && *r->gemeente) {
            base.gemeente = bare_cbs(r->gemeente);
            t[k++] = base;
            continue;
        }
        if (r->owner_org_id == 0) {
            t[k++] = base; /* a general target */
            continue;
        }
        struct org o;
        if (org_store_get(a, db, r->owner_org_id, &o) != 0)
            continue;
        if (o.kind == ORG_GEMEENTE) {
            if (o.cbs_code == NULL)
                continue;
            base.gemeente = bare_cbs(o.cbs_code);
            t[k++] = base;
        } else if (o.kind == ORG_REGION) {
            /* For each of the conversation's gemeenten that is part of this region. */
            const char **members = arena_calloc(a, CONV_FIG_MAX_GEMEENTEN, sizeof *members);
            size_t nm = 0;
            if (members == NULL)
                return ERR_NOMEM;
            if (region_members(a, db, o.id, members, &nm) != 0)
                continue;
            for (size_t j = 0; j < sc->ngemeenten; j++)
                if (in_list(members, nm, sc->gemeenten[j])) {
                    t[k] = base;
                    t[k++].gemeente = sc->gemeenten[j];
                }
        }
    }
    *out = t;
    *n = k;
    return 0;
}

int conv_fig_view(struct mx_engine *eng, const struct config *cfg, struct store *s, struct arena *a,
                  const struct conversation *c, int64_t ind_id, int64_t aanbieder_id,
                  struct period first, struct period last, struct mx_view *out, struct err_ctx *e)
{
    struct conv_fig_scope sc;
    int rc = conv_fig_scope(a, s, cfg, c, &sc, e);
    if (rc)
        return rc;
    if (aanbieder_id != 0) {
        bool party = false;
        for (int i = 0; i < sc.naanbieders; i++)
            party = party || sc.aanbieders[i] == aanbieder_id;
        if (!party)
            return err_set(e, ERR_INVALID, "aanbieder", "%s",
                           _("Deze aanbieder neemt niet deel aan het gesprek."));
        sc.scope.aanbieder_id = aanbieder_id;
    }
    struct mx_target *targets = NULL;
    size_t ntargets = 0;
    rc = load_targets(a, store_reader(s), ind_id, &sc, &targets, &ntargets);
    if (rc)
        return err_set(e, rc, NULL, "%s", _("De streefwaarden konden niet worden gelezen."));
    struct mx_view_req vr = {
        .ind_id = ind_id,
        .pkind = PERIOD_QUARTER,
        .first = first,
        .last = last,
        .scope = &sc.scope,
        .audience = sc.audience,
        .rules = &sc.rules,
        /* One aanbieder's figure is compared with the other aanbieders; the gemeente's total
         * (several aanbieders at the table) with the other gemeenten. */
        .bench_dim = sc.scope.aanbieder_id != 0 ? MX_DIM_AANBIEDER : MX_DIM_GEMEENTE,
        .targets = targets,
        .ntargets = ntargets,
    };
    return mx_view_compute(eng, &vr, a, out, e);
}

int conv_figure_latest(struct mx_engine *eng, const struct config *cfg, struct store *s,
                       const struct conversation *c, int64_t ind_id, double *value,
                       struct period *p)
{
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    time_t now = time(NULL);
    day_t today = (day_t)(now / 86400);
    struct period last = period_of(today, PERIOD_QUARTER), first = last;
    for (int i = 1; i < LATEST_LOOKBACK; i++)
        first = period_prev(first);
    struct mx_view v;
    int rc = conv_fig_view(eng, cfg, s, a, c, ind_id, 0, first, last, &v, &e);
    if (rc == 0) {
        rc = ERR_NOT_FOUND;
        for (int i = v.nperiods - 1; i >= 0; i--) {
            const struct mx_vcell *cell = mx_view_cell(&v, i, NULL, NULL);
            if (cell && cell->reason == DC_SHOWN && isfinite(cell->value)) {
                *value = cell->value;
                *p = v.periods[i];
                rc = 0;
                break;
            }
        }
    }
    arena_free(a);
    return rc;
}
