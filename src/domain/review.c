/*
 * review.c: provider reviews (toetsing): codes and labels, the lifecycle (concept -> ingediend
 * -> in_beoordeling -> besloten), validation of self-declarations, views and decisions,
 * optimistic locking on the review's version, audit in the same transaction, visibility of each
 * viewpoint's verdicts, the triangulation rule (a difference of more than one step is flagged)
 * and the status per theme for overviews and the mirror report. Who may do what is asked of
 * the policy (OBJ_REVIEW, OBJ_REVIEW_VIEW, rules 16-18); the lifecycle checks are made here.
 */
#include "domain/review.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/provider_event.h"
#include "store/framework_store.h"
#include "store/provider_event_store.h"
#include "store/review_store.h"
#include <time.h>

#define DETAIL_MAX 160

/* ---- Codes and labels ------------------------------------------------------------------------ */

struct code_label {
    const char *code;
    const char *label; /* msgid */
};

static const struct code_label kinds[] = {
    [REVIEW_TOELATING] = {"toelating", N_("Toelating")},
    [REVIEW_PERIODIEK] = {"periodiek", N_("Periodieke toetsing")},
    [REVIEW_GEBEURTENIS] = {"gebeurtenis", N_("Toetsing na gebeurtenis")},
};
static const struct code_label statuses[] = {
    [REVIEW_CONCEPT] = {"concept", N_("Concept")},
    [REVIEW_INGEDIEND] = {"ingediend", N_("Ingediend")},
    [REVIEW_IN_BEOORDELING] = {"in_beoordeling", N_("In beoordeling")},
    [REVIEW_BESLOTEN] = {"besloten", N_("Besloten")},
};
static const struct code_label verdicts[] = {
    [VERDICT_NONE] = {"", N_("Nog geen oordeel")},
    [VERDICT_VOLDOET] = {"voldoet", N_("Voldoet")},
    [VERDICT_DEELS] = {"deels", N_("Voldoet deels")},
    [VERDICT_NOG_NIET] = {"nog_niet", N_("Voldoet nog niet")},
    [4] = {NULL, NULL},
    [5] = {NULL, NULL},
    [6] = {NULL, NULL},
    [7] = {NULL, NULL},
    [8] = {NULL, NULL},
    [VERDICT_NVT] = {"nvt", N_("Niet van toepassing")},
};
static const struct code_label methods[] = {
    [METHOD_DOCUMENT] = {"document", N_("Documentonderzoek")},
    [METHOD_GESPREK] = {"gesprek", N_("Verificatiegesprek")},
    [METHOD_ONDERZOEK] = {"onderzoek", N_("Aanvullend onderzoek")},
};
static const struct code_label decisions[] = {
    [DECISION_NONE] = {"", N_("Nog geen besluit")},
    [DECISION_TOEGELATEN] = {"toegelaten", N_("Toegelaten")},
    [DECISION_VOORWAARDELIJK] = {"voorwaardelijk", N_("Voorwaardelijk toegelaten")},
    [DECISION_NIET_TOEGELATEN] = {"niet_toegelaten", N_("Niet toegelaten")},
};
/* Index = review_viewpoint_index. */
static const struct code_label viewpoints[VIEWPOINT_COUNT] = {
    {"aanbieder", N_("Aanbieder")},
    {"contractmanager", N_("Contractmanager")},
    {"toegang", N_("Toegang")},
    {"backoffice", N_("Backoffice")},
    {"toezichthouder", N_("Toezichthouder")},
};

static const char *code_at(const struct code_label *t, int n, int k)
{
    return k >= 0 && k < n && t[k].code ? t[k].code : "";
}

static const char *label_at(const struct code_label *t, int n, int k)
{
    return k >= 0 && k < n && t[k].label ? _(t[k].label) : "";
}

static int parse_in(const struct code_label *t, int min, int n, const char *code, int *out)
{
    for (int k = min; code && *code && k < n; k++)
        if (t[k].code && strcmp(t[k].code, code) == 0) {
            *out = k;
            return 0;
        }
    return ERR_INVALID;
}

#define N(t) ((int)ARRAY_LEN(t))

const char *review_kind_code(enum review_kind k)
{
    return code_at(kinds, N(kinds), (int)k);
}
const char *review_kind_label(enum review_kind k)
{
    return label_at(kinds, N(kinds), (int)k);
}
const char *review_status_code(enum review_status s)
{
    return code_at(statuses, N(statuses), (int)s);
}
const char *review_status_label(enum review_status s)
{
    return label_at(statuses, N(statuses), (int)s);
}
const char *review_verdict_code(enum review_verdict v)
{
    return code_at(verdicts, N(verdicts), (int)v);
}
const char *review_verdict_label(enum review_verdict v)
{
    return label_at(verdicts, N(verdicts), (int)v);
}
const char *review_decision_code(enum review_decision d)
{
    return code_at(decisions, N(decisions), (int)d);
}
const char *review_decision_label(enum review_decision d)
{
    return label_at(decisions, N(decisions), (int)d);
}
const char *review_method_code(enum review_method m)
{
    return code_at(methods, N(methods), (int)m);
}
const char *review_method_label(enum review_method m)
{
    return label_at(methods, N(methods), (int)m);
}

int review_viewpoint_index(unsigned viewpoint)
{
    for (int k = 0; k < VIEWPOINT_COUNT; k++)
        if (viewpoint == (1u << k))
            return k;
    return -1;
}

const char *review_viewpoint_code(enum review_viewpoint v)
{
    int k = review_viewpoint_index((unsigned)v);
    return k < 0 ? "" : viewpoints[k].code;
}
const char *review_viewpoint_label(enum review_viewpoint v)
{
    int k = review_viewpoint_index((unsigned)v);
    return k < 0 ? "" : _(viewpoints[k].label);
}

int review_kind_parse(const char *code, enum review_kind *out)
{
    int k;
    int ret = parse_in(kinds, 1, N(kinds), code, &k);
    if (!ret)
        *out = (enum review_kind)k;
    return ret;
}
int review_status_parse(const char *code, enum review_status *out)
{
    int k;
    int ret = parse_in(statuses, 1, N(statuses), code, &k);
    if (!ret)
        *out = (enum review_status)k;
    return ret;
}
int review_verdict_parse(const char *code, enum review_verdict *out)
{
    int k;
    int ret = parse_in(verdicts, 1, N(verdicts), code, &k);
    if (!ret)
        *out = (enum review_verdict)k;
    return ret;
}
int review_method_parse(const char *code, enum review_method *out)
{
    int k;
    int ret = parse_in(methods, 1, N(methods), code, &k);
    if (!ret)
        *out = (enum review_method)k;
    return ret;
}
int review_decision_parse(const char *code, enum review_decision *out)
{
    int k;
    int ret = parse_in(decisions, 1, N(decisions), code, &k);
    if (!ret)
        *out = (enum review_decision)k;
    return ret;
}
int review_viewpoint_parse(const char *code, enum review_viewpoint *out)
{
    for (int k = 0; code && k < VIEWPOINT_COUNT; k++)
        if (strcmp(viewpoints[k].code, code) == 0) {
            *out = (enum review_viewpoint)(1u << k);
            return 0;
        }
    return ERR_INVALID;
}

static bool is_step(enum review_verdict v)
{
    return v == VERDICT_VOLDOET || v == VERDICT_DEELS || v == VERDICT_NOG_NIET;
}

int review_verdict_distance(enum review_verdict a, enum review_verdict b)
{
    if (!is_step(a) || !is_step(b))
        return -1;
    return a > b ? (int)a - (int)b : (int)b - (int)a;
}

/* ---- Policy ---------------------------------------------------------------------------------- */

void review_object(const struct review *r, struct arena *a, struct object_ref *out)
{
    *out = (struct object_ref){.kind = OBJ_REVIEW, .share = SHARE_PARTIES};
    if (!r)
        return;
    out->id = r->id;
    out->owner_org_id = r->owner_org_id;
    out->owner_org_kind = r->owner_org_kind;
    int64_t *parties = a ? arena_calloc(a, 1, sizeof *parties) : NULL;
    if (parties) {
        parties[0] = r->aanbieder_id;
        out->party_org_ids = parties;
        out->nparties = 1;
    }
}

/* The policy object of one viewpoint's verdicts in a review. */
static struct object_ref view_object(const struct object_ref *review, unsigned viewpoint,
                                     bool shared)
{
    struct object_ref o = *review;
    o.kind = OBJ_REVIEW_VIEW;
    o.viewpoint = viewpoint;
    o.share = shared ? SHARE_PARTIES : SHARE_OWNER;
    return o;
}

unsigned review_my_viewpoints(struct arena *a, const struct actor *who, const struct review *r)
{
    struct object_ref obj;
    review_object(r, a, &obj);
    return policy_review_viewpoints(who, &obj);
}

/* Loads a review from db and checks that the actor may view it (ERR_NOT_FOUND otherwise). */
static int load(struct arena *a, struct db *db, const struct actor *who, int64_t id,
                struct review *out, struct object_ref *obj)
{
    int ret = review_store_get(a, db, id, out);
    if (ret)
        return ret;
    review_object(out, a, obj);
    return policy_allows(who, ACT_VIEW, obj) ? 0 : ERR_NOT_FOUND;
}

int review_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct review *out)
{
    struct db *db = store_reader(s);
    struct object_ref obj;
    if (!db)
        return ERR_DB;
    if (id <= 0)
        return ERR_NOT_FOUND;
    return load(a, db, who, id, out, &obj);
}

int review_list(struct arena *a, struct store *s, const struct actor *who,
                const struct review_filter *f, struct review **out, int *n)
{
    struct db *db = store_reader(s);
    struct review *rows = NULL;
    int nrows = 0;
    *out = NULL;
    *n = 0;
    if (!db)
        return ERR_DB;
    struct object_ref coll = {.kind = OBJ_REVIEW};
    if (!policy_allows(who, ACT_LIST, &coll))
        return ERR_DENIED;
    struct review_query q = {
        .aanbieder_id = f ? f->aanbieder_id : 0,
        .owner_org_id = f ? f->owner_org_id : 0,
        .status_code = f && f->status ? review_status_code((enum review_status)f->status) : NULL,
    };
    int limit = f && f->limit > 0 && f->limit < REVIEW_LIST_MAX ? f->limit : REVIEW_LIST_MAX;
    int ret = review_store_list(a, db, &q, REVIEW_LIST_MAX * 5, &rows, &nrows);
    if (ret)
        return ret;
    int k = 0;
    for (int i = 0; i < nrows && k < limit; i++) {
        struct object_ref obj;
        review_object(&rows[i], a, &obj);
        if (policy_allows(who, ACT_VIEW, &obj))
            rows[k++] = rows[i];
    }
    *out = rows;
    *n = k;
    return 0;
}

int review_items(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                 struct review_item **out, int *n)
{
    struct db *db = store_reader(s);
    struct review r;
    struct object_ref obj;
    *out = NULL;
    *n = 0;
    if (!db)
        return ERR_DB;
    int ret = load(a, db, who, id, &r, &obj);
    return ret ? ret : review_store_items(a, db, id, out, n);
}

/* Clears the views the actor may not see (rule 18): the cell then says "niet gedeeld". */
static void hide_views(const struct actor *who, const struct object_ref *obj, struct review_view *v,
                       int n)
{
    for (int i = 0; i < n; i++) {
        struct object_ref vo = view_object(obj, (unsigned)v[i].viewpoint, v[i].shared);
        if (policy_allows(who, ACT_VIEW, &vo))
            continue;
        v[i].hidden = true;
        v[i].verdict = VERDICT_NONE;
        v[i].reason = NULL;
        v[i].by_user = 0;
        v[i].by_name = NULL;
        v[i].at = NULL;
    }
}

int review_views(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                 struct review_view **out, int *n)
{
    struct db *db = store_reader(s);
    struct review r;
    struct object_ref obj;
    *out = NULL;
    *n = 0;
    if (!db)
        return ERR_DB;
    int ret = load(a, db, who, id, &r, &obj);
    if (!ret)
        ret = review_store_views(a, db, id, out, n);
    if (!ret)
        hide_views(who, &obj, *out, *n);
    return ret;
}

int review_triangulate(struct arena *a, const struct review_item *items, int nitems,
                       const struct review_view *views, int nviews, struct review_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (nitems <= 0)
        return 0;
    struct review_row *rows = arena_calloc(a, (size_t)nitems, sizeof *rows);
    if (!rows)
        return ERR_NOMEM;
    for (int i = 0; i < nitems; i++) {
        struct review_row *row = &rows[i];
        row->item = &items[i];
        row->max_distance = -1;
        row->diff_a = row->diff_b = -1;
        for (int j = 0; j < nviews; j++) {
            int k = review_viewpoint_index((unsigned)views[j].viewpoint);
            if (views[j].criterion_id != items[i].criterion_id || k < 0)
                continue;
            row->cells[k] = views[j];
            row->present[k] = true;
        }
        /* Only the verdicts the actor sees are compared, so a hidden view leaks nothing. */
        for (int x = 0; x < VIEWPOINT_COUNT; x++)
            for (int y = x + 1; y < VIEWPOINT_COUNT; y++) {
                if (!row->present[x] || !row->present[y] || row->cells[x].hidden ||
                    row->cells[y].hidden)
                    continue;
                int d = review_verdict_distance(row->cells[x].verdict, row->cells[y].verdict);
                if (d > row->max_distance) {
                    row->max_distance = d;
                    row->diff_a = x;
                    row->diff_b = y;
                }
            }
    }
    *out = rows;
    *n = nitems;
    return 0;
}

/* ---- Status per theme ------------------------------------------------------------------------ */

/* The final verdict of a criterion: the contract manager's, else the aanbieder's own. */
static enum review_verdict final_verdict(const struct review_row *row)
{
    int cm = review_viewpoint_index(VIEWPOINT_CONTRACTMANAGER);
    int ab = review_viewpoint_index(VIEWPOINT_AANBIEDER);
    if (row->present[cm] && !row->cells[cm].hidden && row->cells[cm].verdict != VERDICT_NONE)
        return row->cells[cm].verdict;
    if (row->present[ab] && !row->cells[ab].hidden)
        return row->cells[ab].verdict;
    return VERDICT_NONE;
}

/* Whether two views the writers shared differ by more than one step. */
static bool shared_difference(const struct review_row *row)
{
    for (int x = 0; x < VIEWPOINT_COUNT; x++)
        for (int y = x + 1; y < VIEWPOINT_COUNT; y++)
            if (row->present[x] && row->present[y] && row->cells[x].shared &&
                row->cells[y].shared && !row->cells[x].hidden && !row->cells[y].hidden &&
                review_verdict_distance(row->cells[x].verdict, row->cells[y].verdict) > 1)
                return true;
    return false;
}

static int theme_status(struct arena *a, const struct review_row *rows, int nrows,
                        struct review_theme_status **out, int *n)
{
    struct review_theme_status *t = nrows ? arena_calloc(a, (size_t)nrows, sizeof *t) : NULL;
    int nt = 0;
    if (nrows && !t)
        return ERR_NOMEM;
    for (int i = 0; i < nrows; i++) {
        const struct review_item *it = rows[i].item;
        if (!it->applicable)
            continue;
        struct review_theme_status *cur = NULL;
        for (int k = 0; k < nt && !cur; k++)
            if (t[k].theme_id == it->theme_id)
                cur = &t[k];
        if (!cur) {
            cur = &t[nt++];
            cur->theme_id = it->theme_id;
            cur->theme = it->theme;
        }
        cur->ncriteria++;
        switch (final_verdict(&rows[i])) {
        case VERDICT_VOLDOET:
        case VERDICT_NVT:
            cur->nvoldoet++;
            break;
        case VERDICT_DEELS:
            cur->ndeels++;
            break;
        case VERDICT_NOG_NIET:
            cur->nnog_niet++;
            break;
        case VERDICT_NONE:
            cur->nopen++;
            break;
        }
        if (shared_difference(&rows[i]))
            cur->ndifferences++;
    }
    *out = t;
    *n = nt;
    return 0;
}

int review_latest_status(struct arena *a, struct store *s, const struct actor *who,
                         int64_t aanbieder_id, struct review *out, bool *found,
                         struct review_theme_status **themes, int *nthemes)
{
    struct review *rows = NULL;
    int nrows = 0;
    *found = false;
    *themes = NULL;
    *nthemes = 0;
    struct review_filter f = {.aanbieder_id = aanbieder_id};
    if (aanbieder_id <= 0)
        return 0;
    int ret = review_list(a, s, who, &f, &rows, &nrows);
    if (ret || nrows == 0)
        return ret;
    const struct review *pick = &rows[0]; /* newest first */
    for (int i = 0; i < nrows; i++)
        if (rows[i].status == REVIEW_BESLOTEN) {
            pick = &rows[i];
            break;
        }
    struct review_item *items = NULL;
    struct review_view *views = NULL;
    struct review_row *tri = NULL;
    int ni = 0, nv = 0, nt = 0;
    if ((ret = review_items(a, s, who, pick->id, &items, &ni)) ||
        (ret = review_views(a, s, who, pick->id, &views, &nv)) ||
        (ret = review_triangulate(a, items, ni, views, nv, &tri, &nt)) ||
        (ret = theme_status(a, tri, nt, themes, nthemes)))
        return ret;
    *out = *pick;
    *found = true;
    return 0;
}

/* ---- Validation helpers ---------------------------------------------------------------------- */

static int check_text(struct arena *a, const char *in, bool required, int max, const char *field,
                      const char *what, const char **out, struct err_ctx *e)
{
    struct str t = str_trim(str_from(in ? in : ""));
    if (t.len == 0 && required)
        return err_set(e, ERR_INVALID, field, _("Vul %s in."), what);
    if (!utf8_valid(t.p, t.len, NULL) || utf8_has_controls(t.p, t.len))
        return err_set(e, ERR_INVALID, field, _("Er staan ongeldige tekens in %s."), what);
    if (utf8_count(t.p, t.len) > (size_t)max)
        return err_set(e, ERR_INVALID, field, _("Maak %s korter (maximaal %d tekens)."), what, max);
    *out = arena_strndup(a, t.p, t.len);
    return *out ? 0 : ERR_NOMEM;
}

static int stale(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "version", "%s",
                   _("Iemand anders heeft deze toetsing intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

static int wrong_status(struct err_ctx *e, const char *msg)
{
    return err_set(e, ERR_CONFLICT, "status", "%s", msg);
}

/* A write on one review: opens the transaction, loads the review (ERR_NOT_FOUND when the actor
 * may not view it), then bumps its version (ERR_CONFLICT when stale). */
struct txn {
    struct arena *a;
    struct db *db;
    bool writing;
    struct review r;
    struct object_ref obj;
    char now[AUDIT_TS_SIZE];
};

static int txn_open(struct txn *t, struct store *s, const struct actor *who, int64_t id,
                    int64_t version, struct err_ctx *e)
{
    memset(t, 0, sizeof *t);
    t->a = arena_new(0);
    if (!t->a)
        return ERR_NOMEM;
    audit_format_time(time(NULL), t->now);
    int ret = store_write_begin(s, &t->db);
    if (ret)
        return ret;
    t->writing = true;
    if ((ret = load(t->a, t->db, who, id, &t->r, &t->obj)))
        return ret == ERR_NOT_FOUND ? err_set(e, ret, NULL, "%s", _("Deze toetsing bestaat niet."))
                                    : ret;
    (void)version; /* checked by txn_version after the policy: authorisation comes first */
    return 0;
}

static int txn_version(const struct txn *t, int64_t version, struct err_ctx *e)
{
    return t->r.version != version ? stale(e) : 0;
}

static int txn_close(struct txn *t, struct store *s, int ret)
{
    ret = store_write_finish(s, t->writing, ret);
    arena_free(t->a);
    return ret;
}

static bool has_item(struct arena *a, struct db *db, int64_t id, int64_t criterion_id,
                     struct review_item *out)
{
    struct review_item *items = NULL;
    int n = 0;
    if (review_store_items(a, db, id, &items, &n))
        return false;
    for (int i = 0; i < n; i++)
        if (items[i].criterion_id == criterion_id) {
            if (out)
                *out = items[i];
            return true;
        }
    return false;
}

/* ---- Create ---------------------------------------------------------------------------------- */

static bool in_regions(const struct org *o, int64_t region)
{
    for (int i = 0; i < o->nparents; i++)
        if (o->parent_ids[i] == region)
            return true;
    return false;
}

int review_create(struct store *s, const struct actor *who, const struct review_input *in,
                  int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct org owner, prov;
    struct framework fw;
    char now[AUDIT_TS_SIZE];
    int64_t id = 0;
    int ret;

    if (!a || !in) {
        ret = ERR_INVALID;
        goto out;
    }
    ret = in->owner_org_id > 0 ? org_get_internal(a, s, in->owner_org_id, &owner) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND) {
        ret = err_set(e, ERR_INVALID, "owner_org_id", "%s", _("Deze organisatie bestaat niet."));
        goto out;
    }
    if (ret)
        goto out;
    struct review probe = {.owner_org_id = owner.id, .owner_org_kind = owner.kind};
    struct object_ref obj;
    review_object(&probe, a, &obj);
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (in->kind < REVIEW_TOELATING || in->kind > REVIEW_GEBEURTENIS) {
        ret = err_set(e, ERR_INVALID, "kind", "%s",
                      _("Kies toelating, periodieke toetsing of toetsing na gebeurtenis."));
        goto out;
    }
    ret = in->aanbieder_id > 0 ? org_get_internal(a, s, in->aanbieder_id, &prov) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND || (!ret && (prov.kind != ORG_AANBIEDER || prov.archived))) {
        ret = err_set(e, ERR_INVALID, "aanbieder_id", "%s", _("Kies een aanbieder."));
        goto out;
    }
    if (ret)
        goto out;
    if (in->laws < 1 || in->laws > FW_LAW_ALL) {
        ret = err_set(e, ERR_INVALID, "laws", "%s", _("Kies Jeugdwet, Wmo of beide."));
        goto out;
    }
    if (in->period_from < REVIEW_DAY_MIN || in->period_from > REVIEW_DAY_MAX) {
        ret = err_set(e, ERR_INVALID, "period_from", "%s", _("Vul een geldige begindatum in."));
        goto out;
    }
    if (in->period_to < REVIEW_DAY_MIN || in->period_to > REVIEW_DAY_MAX ||
        in->period_to < in->period_from) {
        ret = err_set(e, ERR_INVALID, "period_to", "%s",
                      _("Vul een einddatum in die niet voor de begindatum ligt."));
        goto out;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    ret = in->framework_id > 0 ? fw_store_get(a, db, in->framework_id, &fw) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND || (!ret && (fw.archived || (fw.owner_org_id != owner.id &&
                                                          !in_regions(&owner, fw.owner_org_id))))) {
        ret = err_set(e, ERR_INVALID, "framework_id", "%s",
                      _("Kies het kwaliteitskader van de eigen regio."));
        goto out;
    }
    if (ret)
        goto out;
    if (in->kind == REVIEW_GEBEURTENIS || in->provider_event_id > 0) {
        struct provider_event ev;
        struct object_ref eo;
        ret = in->provider_event_id > 0 ? pev_store_get(a, db, in->provider_event_id, &ev)
                                        : ERR_NOT_FOUND;
        if (!ret)
            provider_event_object(&ev, &eo);
        if (ret == ERR_NOT_FOUND ||
            (!ret && (ev.aanbieder_id != prov.id || !policy_allows(who, ACT_VIEW, &eo) ||
                      in->kind != REVIEW_GEBEURTENIS))) {
            ret = err_set(e, ERR_INVALID, "provider_event_id", "%s",
                          _("Een toetsing na een gebeurtenis hoort bij een gebeurtenis van deze "
                            "aanbieder."));
            goto out;
        }
        if (ret)
            goto out;
    }
    int64_t *crit = NULL;
    int ncrit = 0;
    if ((ret = review_store_applicable(a, db, fw.id, in->laws,
                                       owner.kind == ORG_GEMEENTE ? owner.id : 0, &crit, &ncrit)))
        goto out;
    if (ncrit == 0) {
        ret = err_set(e, ERR_INVALID, "laws", "%s",
                      _("Er zijn geen criteria van dit kwaliteitskader voor deze wet."));
        goto out;
    }
    audit_format_time(time(NULL), now);
    struct review_values v = {
        .framework_id = fw.id,
        .owner_org_id = owner.id,
        .aanbieder_id = prov.id,
        .kind_code = review_kind_code((enum review_kind)in->kind),
        .contract_id = in->contract_id,
        .provider_event_id = in->provider_event_id,
        .period_from = in->period_from,
        .period_to = in->period_to,
        .laws = in->laws,
        .user_id = who->user_id,
        .now = now,
    };
    ret = review_store_insert(db, &v, crit, ncrit, &id);
    if (ret == ERR_CONFLICT) { /* only the contract reference can still fail */
        ret = err_set(e, ERR_INVALID, "contract_id", "%s", _("Dit contract bestaat niet."));
        goto out;
    }
    if (ret)
        goto out;
    char detail[DETAIL_MAX];
    snprintf(detail, sizeof detail, "aanbieder=%" PRId64 " kind=%s criteria=%d", prov.id,
             v.kind_code, ncrit);
    ret = audit_write(db, who, "review.create", "review", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

/* ---- Self-declaration, principles, submission ------------------------------------------------ */

int review_set_item(struct store *s, const struct actor *who, int64_t id, int64_t version,
                    int64_t criterion_id, bool applicable, const char *reason,
                    const char *self_declaration, int verdict, struct err_ctx *e)
{
    struct txn t;
    int ret = txn_open(&t, s, who, id, version, e);
    if (ret)
        goto out;
    struct object_ref vo = view_object(&t.obj, VIEWPOINT_AANBIEDER, true);
    if (!policy_allows(who, ACT_EDIT, &vo)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (t.r.status != REVIEW_CONCEPT) {
        ret = wrong_status(e, _("De zelfverklaring kan alleen worden gewijzigd zolang de "
                                "toetsing een concept is."));
        goto out;
    }
    if (!has_item(t.a, t.db, id, criterion_id, NULL)) {
        ret = err_set(e, ERR_INVALID, "criterion_id", "%s",
                      _("Dit criterium hoort niet bij deze toetsing."));
        goto out;
    }
    const char *why = NULL, *decl = NULL;
    if ((ret = check_text(t.a, reason, !applicable, REVIEW_TEXT_MAX, "reason",
                          _("waarom het criterium niet van toepassing is"), &why, e)) ||
        (ret = check_text(t.a, self_declaration, false, REVIEW_DECL_MAX, "self_declaration",
                          _("de zelfverklaring"), &decl, e)))
        goto out;
    if (verdict != VERDICT_NONE && !is_step((enum review_verdict)verdict) &&
        verdict != VERDICT_NVT) {
        ret = err_set(e, ERR_INVALID, "verdict", "%s",
                      _("Kies voldoet, voldoet deels, voldoet nog niet of niet van toepassing."));
        goto out;
    }
    if ((ret = txn_version(&t, version, e)) || (ret = review_store_bump(t.db, id, version, t.now)))
        goto out;
    if ((ret = review_store_set_item(t.db, id, criterion_id, applicable, applicable ? "" : why,
                                     decl, t.now)))
        goto out;
    enum review_verdict own = applicable ? (enum review_verdict)verdict : VERDICT_NVT;
    if (own != VERDICT_NONE) {
        struct review_view v = {.criterion_id = criterion_id,
                                .viewpoint = VIEWPOINT_AANBIEDER,
                                .verdict = own,
                                .reason = applicable ? decl : why,
                                .method = METHOD_DOCUMENT,
                                .shared = true,
                                .by_user = who->user_id,
                                .at = t.now};
        if ((ret = review_store_set_view(t.db, id, &v)))
            goto out;
    }
    char detail[DETAIL_MAX];
    snprintf(detail, sizeof detail, "criterion=%" PRId64, criterion_id);
    ret = audit_write(t.db, who, "review.self_declaration", "review", id, detail);
out:
    return txn_close(&t, s, ret);
}

int review_accept_principles(struct store *s, const struct actor *who, int64_t id, int64_t version,
                             struct err_ctx *e)
{
    struct txn t;
    int ret = txn_open(&t, s, who, id, version, e);
    if (ret)
        goto out;
    if (!(policy_review_viewpoints(who, &t.obj) & VIEWPOINT_AANBIEDER)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (t.r.status != REVIEW_CONCEPT) {
        ret = wrong_status(e, _("Deze toetsing is al ingediend."));
        goto out;
    }
    if ((ret = txn_version(&t, version, e)) ||
        (ret = review_store_bump(t.db, id, version, t.now)) ||
        (ret = review_store_set_principles(t.db, id, who->user_id, t.now)))
        goto out;
    ret = audit_write(t.db, who, "review.principles", "review", id, NULL);
out:
    return txn_close(&t, s, ret);
}

/* Submission inside an open transaction (policy checked by the caller): optionally records the
 * principles first, then checks the principles and every applicable criterion. */
static int submit_in(struct txn *t, const struct actor *who, int64_t id, int64_t version,
                     bool accept_principles, struct err_ctx *e)
{
    int ret;
    if (t->r.status != REVIEW_CONCEPT)
        return wrong_status(e, _("Deze toetsing is al ingediend."));
    bool accepting = accept_principles && !t->r.principles_accepted_at;
    if (!t->r.principles_accepted_at && !accepting)
        return err_set(e, ERR_INVALID, "principles", "%s",
                       _("Neem eerst de leidende principes aan."));
    struct review_item *items = NULL;
    struct review_view *views = NULL;
    int ni = 0, nv = 0;
    if ((ret = review_store_items(t->a, t->db, id, &items, &ni)) ||
        (ret = review_store_views(t->a, t->db, id, &views, &nv)))
        return ret;
    for (int i = 0; i < ni; i++) {
        bool judged = false;
        for (int j = 0; j < nv && !judged; j++)
            judged = views[j].criterion_id == items[i].criterion_id &&
                     views[j].viewpoint == VIEWPOINT_AANBIEDER;
        if (items[i].applicable && (!items[i].self_declaration || !*items[i].self_declaration))
            return err_set(e, ERR_INVALID, "self_declaration",
                           _("Vul de zelfverklaring in bij criterium %s."), items[i].code);
        if (items[i].applicable && !judged)
            return err_set(e, ERR_INVALID, "verdict",
                           _("Geef bij criterium %s aan in hoeverre u voldoet."), items[i].code);
    }
    if ((ret = txn_version(t, version, e)) || (ret = review_store_bump(t->db, id, version, t->now)))
        return ret;
    if (accepting && ((ret = review_store_set_principles(t->db, id, who->user_id, t->now)) ||
                      (ret = audit_write(t->db, who, "review.principles", "review", id, NULL))))
        return ret;
    if ((ret = review_store_set_status(t->db, id, "ingediend", t->now)))
        return ret;
    return audit_write(t->db, who, "review.submit", "review", id, NULL);
}

int review_submit_accepting(struct store *s, const struct actor *who, int64_t id, int64_t version,
                            bool accept_principles, struct err_ctx *e)
{
    struct txn t;
    int ret = txn_open(&t, s, who, id, version, e);
    if (ret)
        goto out;
    if (!(policy_review_viewpoints(who, &t.obj) & VIEWPOINT_AANBIEDER)) {
        ret = ERR_DENIED;
        goto out;
    }
    ret = submit_in(&t, who, id, version, accept_principles, e);
out:
    return txn_close(&t, s, ret);
}

int review_submit(struct store *s, const struct actor *who, int64_t id, int64_t version,
                  struct err_ctx *e)
{
    return review_submit_accepting(s, who, id, version, false, e);
}

/* ---- Views, conversation, decision ----------------------------------------------------------- */

int review_set_view(struct store *s, const struct actor *who, int64_t id, int64_t version,
                    const struct review_view_input *in, struct err_ctx *e)
{
    struct txn t;
    int ret = txn_open(&t, s, who, id, version, e);
    if (ret)
        goto out;
    if (policy_review_viewpoints(who, &t.obj) == 0) {
        ret = ERR_DENIED; /* before any validation: a refused user learns nothing */
        goto out;
    }
    if (!in || review_viewpoint_index(in->viewpoint) < 0) {
        ret = err_set(e, ERR_INVALID, "viewpoint", "%s", _("Kies een gezichtspunt."));
        goto out;
    }
    struct object_ref vo = view_object(&t.obj, in->viewpoint, in->shared);
    if (!policy_allows(who, ACT_EDIT, &vo)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (in->viewpoint == VIEWPOINT_AANBIEDER && t.r.status != REVIEW_CONCEPT) {
        ret = wrong_status(e, _("De zelfevaluatie kan alleen worden gewijzigd zolang de "
                                "toetsing een concept is."));
        goto out;
    }
    if (in->viewpoint != VIEWPOINT_AANBIEDER && t.r.status != REVIEW_INGEDIEND &&
        t.r.status != REVIEW_IN_BEOORDELING) {
        ret = wrong_status(e, t.r.status == REVIEW_BESLOTEN
                                  ? _("Over deze toetsing is al besloten.")
                                  : _("De aanbieder heeft deze toetsing nog niet ingediend."));
        goto out;
    }
    if (!has_item(t.a, t.db, id, in->criterion_id, NULL)) {
        ret = err_set(e, ERR_INVALID, "criterion_id", "%s",
                      _("Dit criterium hoort niet bij deze toetsing."));
        goto out;
    }
    enum review_verdict verdict = (enum review_verdict)in->verdict;
    if (!is_step(verdict) && verdict != VERDICT_NVT) {
        ret = err_set(e, ERR_INVALID, "verdict", "%s",
                      _("Kies voldoet, voldoet deels, voldoet nog niet of niet van toepassing."));
        goto out;
    }
    if (in->method < METHOD_DOCUMENT || in->method > METHOD_ONDERZOEK) {
        ret = err_set(e, ERR_INVALID, "method", "%s",
                      _("Kies documentonderzoek, verificatiegesprek of aanvullend onderzoek."));
        goto out;
    }
    const char *reason = NULL;
    if ((ret = check_text(t.a, in->reason, verdict != VERDICT_VOLDOET, REVIEW_DECL_MAX, "reason",
                          _("de onderbouwing"), &reason, e)))
        goto out;
    if ((ret = txn_version(&t, version, e)) || (ret = review_store_bump(t.db, id, version, t.now)))
        goto out;
    struct review_view v = {.criterion_id = in->criterion_id,
                            .viewpoint = (enum review_viewpoint)in->viewpoint,
                            .verdict = verdict,
                            .reason = reason,
                            .method = (enum review_method)in->method,
                            .shared = in->shared,
                            .by_user = who->user_id,
                            .at = t.now};
    if ((ret = review_store_set_view(t.db, id, &v)))
        goto out;
    if (t.r.status == REVIEW_INGEDIEND &&
        (ret = review_store_set_status(t.db, id, "in_beoordeling", t.now)))
        goto out;
    char detail[DETAIL_MAX];
    snprintf(detail, sizeof detail, "criterion=%" PRId64 " viewpoint=%s verdict=%s shared=%d",
             in->criterion_id, review_viewpoint_code(v.viewpoint), review_verdict_code(verdict),
             in->shared ? 1 : 0);
    ret = audit_write(t.db, who, "review.view", "review", id, detail);
out:
    return txn_close(&t, s, ret);
}

int review_set_conversation(struct store *s, const struct actor *who, int64_t id, int64_t version,
                            const char *on_date, const char *report, struct err_ctx *e)
{
    struct txn t;
    int ret = txn_open(&t, s, who, id, version, e);
    if (ret)
        goto out;
    if (!(policy_review_viewpoints(who, &t.obj) & VIEWPOINT_CONTRACTMANAGER)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (t.r.status != REVIEW_INGEDIEND && t.r.status != REVIEW_IN_BEOORDELING) {
        ret = wrong_status(e, t.r.status == REVIEW_BESLOTEN
                                  ? _("Over deze toetsing is al besloten.")
                                  : _("De aanbieder heeft deze toetsing nog niet ingediend."));
        goto out;
    }
    day_t day;
    if (str_parse_date_iso(str_trim(str_from(on_date ? on_date : "")), &day) ||
        day < REVIEW_DAY_MIN || day > REVIEW_DAY_MAX) {
        ret = err_set(e, ERR_INVALID, "conversation_on", "%s",
                      _("Vul de datum van het gesprek in als dd-mm-jjjj of jjjj-mm-dd."));
        goto out;
    }
    char iso[11];
    day_format_iso(day, iso);
    const char *text = NULL;
    if ((ret = check_text(t.a, report, true, REVIEW_TEXT_MAX, "conversation_report",
                          _("het verslag van het gesprek"), &text, e)))
        goto out;
    if ((ret = txn_version(&t, version, e)) ||
        (ret = review_store_bump(t.db, id, version, t.now)) ||
        (ret = review_store_set_conversation(t.db, id, iso, text)))
        goto out;
    ret = audit_write(t.db, who, "review.conversation", "review", id, iso);
out:
    return txn_close(&t, s, ret);
}

int review_decide(struct store *s, const struct actor *who, int64_t id, int64_t version,
                  int decision, const char *reason, struct err_ctx *e)
{
    struct txn t;
    int ret = txn_open(&t, s, who, id, version, e);
    if (ret)
        goto out;
    if (!policy_allows(who, ACT_APPROVE, &t.obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (t.r.status != REVIEW_INGEDIEND && t.r.status != REVIEW_IN_BEOORDELING) {
        ret = wrong_status(e, t.r.status == REVIEW_BESLOTEN
                                  ? _("Over deze toetsing is al besloten.")
                                  : _("De aanbieder heeft deze toetsing nog niet ingediend."));
        goto out;
    }
    if (decision < DECISION_TOEGELATEN || decision > DECISION_NIET_TOEGELATEN) {
        ret = err_set(e, ERR_INVALID, "decision", "%s",
                      _("Kies toegelaten, voorwaardelijk toegelaten of niet toegelaten."));
        goto out;
    }
    const char *why = NULL;
    if ((ret = check_text(t.a, reason, decision != DECISION_TOEGELATEN, REVIEW_TEXT_MAX, "reason",
                          _("de reden van het besluit"), &why, e)))
        goto out;
    const char *code = review_decision_code((enum review_decision)decision);
    if ((ret = txn_version(&t, version, e)) ||
        (ret = review_store_bump(t.db, id, version, t.now)) ||
        (ret = review_store_set_decision(t.db, id, code, why, who->user_id, t.now)))
        goto out;
    ret = audit_write(t.db, who, "review.decide", "review", id, code);
out:
    return txn_close(&t, s, ret);
}

/* ---- Principles and indicator links ---------------------------------------------------------- */

int review_principles(struct arena *a, struct store *s, int64_t framework_id, const char **out)
{
    struct db *db = store_reader(s);
    *out = "";
    return db ? review_store_principles(a, db, framework_id, out) : ERR_DB;
}

/* The policy object of a framework or criterion owned by org_id. */
static int owned_object(struct arena *a, struct store *s, enum object_kind k, int64_t id,
                        int64_t org_id, struct object_ref *out)
{
    struct org o;
    int ret = org_get_internal(a, s, org_id, &o);
    if (ret)
        return ret;
    *out = (struct object_ref){.kind = k, .id = id, .owner_org_id = o.id, .owner_org_kind = o.kind};
    return 0;
}

int review_principles_check(const char *text, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    const char *clean = NULL;
    int ret = a ? check_text(a, text, false, REVIEW_PRINCIPLES_MAX, "principles",
                             _("de leidende principes"), &clean, e)
                : ERR_NOMEM;
    arena_free(a);
    return ret;
}

/* version < 0: the seeding path (no version check, no new framework version). */
static int set_principles(struct store *s, const struct actor *who, int64_t framework_id,
                          int64_t version, const char *text, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct framework fw;
    struct object_ref obj;
    const char *clean = NULL, *cur = NULL;
    char now[AUDIT_TS_SIZE];
    int ret = a ? 0 : ERR_NOMEM;
    if (ret || (ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = fw_store_get(a, db, framework_id, &fw)) ||
        (ret = owned_object(a, s, OBJ_FRAMEWORK, fw.id, fw.owner_org_id, &obj)))
        goto out;
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (version >= 0 && version != fw.version) {
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft dit kwaliteitskader intussen gewijzigd. Laad de "
                        "pagina opnieuw."));
        goto out;
    }
    if ((ret = check_text(a, text, false, REVIEW_PRINCIPLES_MAX, "principles",
                          _("de leidende principes"), &clean, e)) ||
        (ret = review_store_principles(a, db, fw.id, &cur)))
        goto out;
    if (cur && strcmp(cur, clean) == 0)
        goto out; /* unchanged: no new version */
    if ((ret = review_store_set_principles_text(db, fw.id, clean)))
        goto out;
    if (version >= 0) {
        int64_t next = 0;
        audit_format_time(time(NULL), now);
        if ((ret = fw_store_bump(db, fw.id, _("Leidende principes gewijzigd"), now, who->user_id,
                                 &next)))
            goto out;
    }
    ret = audit_write(db, who, "framework.principles", "framework", fw.id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit kwaliteitskader bestaat niet."));
    arena_free(a);
    return ret;
}

int review_set_principles(struct store *s, const struct actor *who, int64_t framework_id,
                          const char *text, struct err_ctx *e)
{
    return set_principles(s, who, framework_id, -1, text, e);
}

int review_update_principles(struct store *s, const struct actor *who, int64_t framework_id,
                             int64_t version, const char *text, struct err_ctx *e)
{
    return set_principles(s, who, framework_id, version < 0 ? 0 : version, text, e);
}

int review_links(struct arena *a, struct store *s, int64_t framework_id,
                 struct criterion_link **out, int *n)
{
    struct db *db = store_reader(s);
    *out = NULL;
    *n = 0;
    return db ? review_store_links(a, db, framework_id, out, n) : ERR_DB;
}

int review_link_indicator(struct store *s, const struct actor *who, int64_t criterion_id,
                          int64_t indicator_id, bool linked, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct criterion c;
    struct framework fw;
    struct object_ref obj;
    int ret = a ? 0 : ERR_NOMEM;
    if (ret || (ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = crit_store_get(a, db, criterion_id, &c)) ||
        (ret = fw_store_get(a, db, c.framework_id, &fw)) ||
        (ret = owned_object(a, s, OBJ_CRITERION, c.id,
                            c.local_org_id > 0 ? c.local_org_id : fw.owner_org_id, &obj)))
        goto out;
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    ret = review_store_link(db, criterion_id, indicator_id, linked);
    if (ret == ERR_CONFLICT) {
        ret = err_set(e, ERR_INVALID, "indicator_id", "%s", _("Deze indicator bestaat niet."));
        goto out;
    }
    if (ret)
        goto out;
    char detail[DETAIL_MAX];
    snprintf(detail, sizeof detail, "indicator=%" PRId64 " linked=%d", indicator_id,
             linked ? 1 : 0);
    ret = audit_write(db, who, "criterion.indicator", "criterion", criterion_id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit criterium bestaat niet."));
    arena_free(a);
    return ret;
}

int review_criterion_links(struct arena *a, struct store *s, int64_t criterion_id,
                           struct criterion_link **out, int *n)
{
    struct db *db = store_reader(s);
    *out = NULL;
    *n = 0;
    return db ? review_store_criterion_links(a, db, criterion_id, out, n) : ERR_DB;
}

int review_indicator_choices(struct arena *a, struct store *s, struct criterion_link **out, int *n)
{
    struct db *db = store_reader(s);
    *out = NULL;
    *n = 0;
    return db ? review_store_indicators(a, db, out, n) : ERR_DB;
}

static bool link_has(const struct criterion_link *l, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (l[i].indicator_id == id)
            return true;
    return false;
}

static bool ids_have(const int64_t *ids, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* Appends " id" to a bounded detail text. */
static void detail_add(char *buf, size_t cap, int64_t id)
{
    size_t len = strlen(buf);
    if (len + 24 < cap)
        snprintf(buf + len, cap - len, " %" PRId64, id);
}

int review_set_criterion_links(struct store *s, const struct actor *who, int64_t criterion_id,
                               const int64_t *ids, int n, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct criterion c;
    struct framework fw;
    struct object_ref obj;
    struct criterion_link *cur = NULL, *choices = NULL;
    int ncur = 0, nchoices = 0, changed = 0;
    char added[DETAIL_MAX / 2] = "", removed[DETAIL_MAX / 2] = "";
    int ret = a ? 0 : ERR_NOMEM;
    if (ret || (ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = crit_store_get(a, db, criterion_id, &c)) ||
        (ret = fw_store_get(a, db, c.framework_id, &fw)) ||
        (ret = owned_object(a, s, OBJ_CRITERION, c.id,
                            c.local_org_id > 0 ? c.local_org_id : fw.owner_org_id, &obj)))
        goto out;
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (n < 0 || n > REVIEW_LINKS_MAX) {
        ret = err_set(e, ERR_INVALID, "indicator_id", _("Kies ten hoogste %d indicatoren."),
                      REVIEW_LINKS_MAX);
        goto out;
    }
    if ((ret = review_store_indicators(a, db, &choices, &nchoices)) ||
        (ret = review_store_criterion_links(a, db, criterion_id, &cur, &ncur)))
        goto out;
    for (int i = 0; i < n; i++)
        if (!link_has(choices, nchoices, ids[i])) {
            ret = err_set(e, ERR_INVALID, "indicator_id", "%s",
                          _("Kies alleen indicatoren uit de lijst; een van de gekozen "
                            "indicatoren bestaat niet (meer)."));
            goto out;
        }
    for (int i = 0; i < n; i++)
        if (!link_has(cur, ncur, ids[i]) && !ids_have(ids, i, ids[i])) {
            if ((ret = review_store_link(db, criterion_id, ids[i], true)))
                goto out;
            detail_add(added, sizeof added, ids[i]);
            changed++;
        }
    for (int i = 0; i < ncur; i++)
        if (!ids_have(ids, n, cur[i].indicator_id)) {
            if ((ret = review_store_link(db, criterion_id, cur[i].indicator_id, false)))
                goto out;
            detail_add(removed, sizeof removed, cur[i].indicator_id);
            changed++;
        }
    if (changed == 0)
        goto out;
    char detail[sizeof added + sizeof removed + 32]; /* both lists always fit */
    snprintf(detail, sizeof detail, "added=%s removed=%s", added[0] ? added + 1 : "-",
             removed[0] ? removed + 1 : "-");
    ret = audit_write(db, who, "criterion.indicator", "criterion", criterion_id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit criterium bestaat niet."));
    arena_free(a);
    return ret;
}

/* ---- Provider overview ----------------------------------------------------------------------- */

int review_providers(struct arena *a, struct store *s, const struct actor *who,
                     struct review_provider **out, int *n)
{
    struct db *db = store_reader(s);
    struct review_provider *rows = NULL;
    int nrows = 0;
    *out = NULL;
    *n = 0;
    if (!db)
        return ERR_DB;
    if (!who || who->user_id == 0)
        return ERR_DENIED;
    int64_t only = who->org_kind == ORG_AANBIEDER ? who->org_id : 0;
    int ret = review_store_aanbieders(a, db, only, &rows, &nrows);
    if (ret)
        return ret;
    struct review *revs = NULL;
    int nrevs = 0;
    struct review_filter f = {.aanbieder_id = only};
    if ((ret = review_list(a, s, who, &f, &revs, &nrevs)))
        return ret;
    struct provider_event *evs = NULL;
    int nevs = 0;
    if ((ret = provider_event_list(a, s, who, only, false, &evs, &nevs)))
        return ret;
    day_t since = day_today() - 365;
    for (int i = 0; i < nrows; i++) {
        for (int k = 0; k < nrevs && !rows[i].has_review; k++)
            if (revs[k].aanbieder_id == rows[i].id) {
                rows[i].latest = revs[k]; /* newest first */
                rows[i].has_review = true;
            }
        for (int k = 0; k < nevs; k++)
            if (evs[k].aanbieder_id == rows[i].id && evs[k].on_date >= since)
                rows[i].open_events++;
    }
    *out = rows;
    *n = nrows;
    return 0;
}

int review_owners_of_aanbieder(struct arena *a, struct store *s, int64_t aanbieder_id,
                               int64_t **out, int *n)
{
    return review_store_owners_of(a, store_reader(s), aanbieder_id, out, n);
}
