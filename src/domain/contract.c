/*
 * contract.c: contracts with outcome agreements (contract.h): validation of every field with a
 * Dutch message naming the field, the policy object (OBJ_CONTRACT, rule 20 in policy.c),
 * create / update / archive in one write transaction with an audit event, and reads filtered
 * by what the actor may view. Agreements become indicator_target rows (store) so dashboards
 * and data packs use them without knowing about contracts.
 */
#include "domain/contract.h"
#include "core/common.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/codelist.h"
#include "domain/org.h"
#include "store/contract_store.h"
#include "store/intake_store.h"
#include <math.h>
#include <time.h>

#define DETAIL_MAX 512

/* ---- Codes. ---------------------------------------------------------------------------------- */

const char *contract_variant_code(enum contract_variant v)
{
    switch (v) {
    case CONTRACT_INSPANNINGSGERICHT:
        return "inspanningsgericht";
    case CONTRACT_OUTPUTGERICHT:
        return "outputgericht";
    case CONTRACT_TAAKGERICHT:
        return "taakgericht";
    }
    return "";
}

const char *contract_variant_label(enum contract_variant v)
{
    switch (v) {
    case CONTRACT_INSPANNINGSGERICHT:
        return _("Inspanningsgericht");
    case CONTRACT_OUTPUTGERICHT:
        return _("Outputgericht");
    case CONTRACT_TAAKGERICHT:
        return _("Taakgericht");
    }
    return "";
}

int contract_variant_parse(const char *code, enum contract_variant *out)
{
    for (int v = CONTRACT_INSPANNINGSGERICHT; code && v <= CONTRACT_TAAKGERICHT; v++)
        if (strcmp(code, contract_variant_code((enum contract_variant)v)) == 0) {
            *out = (enum contract_variant)v;
            return 0;
        }
    return ERR_INVALID;
}

const char *agreement_comparison_code(enum agreement_comparison c)
{
    return c == AGREE_MAX ? "max" : c == AGREE_MIN ? "min" : "";
}

const char *agreement_comparison_label(enum agreement_comparison c)
{
    return c == AGREE_MAX ? _("ten hoogste") : c == AGREE_MIN ? _("ten minste") : "";
}

int agreement_comparison_parse(const char *code, enum agreement_comparison *out)
{
    if (code && strcmp(code, "min") == 0)
        *out = AGREE_MIN;
    else if (code && strcmp(code, "max") == 0)
        *out = AGREE_MAX;
    else
        return ERR_INVALID;
    return 0;
}

bool agreement_met(enum agreement_comparison c, double value, double target)
{
    if (!isfinite(value) || !isfinite(target))
        return false;
    return c == AGREE_MAX ? value <= target : value >= target;
}

/* ---- Money. ---------------------------------------------------------------------------------- */

int contract_parse_euro(const char *text, int64_t *cents_out)
{
    if (!text)
        return ERR_INVALID;
    struct str t = str_trim(str_from(text));
    /* An optional euro sign (UTF-8 E2 82 AC) or "EUR" in front. */
    if (t.len >= 3 && memcmp(t.p, "\xE2\x82\xAC", 3) == 0)
        t = str_trim((struct str){t.p + 3, t.len - 3});
    else if (t.len >= 3 && memcmp(t.p, "EUR", 3) == 0)
        t = str_trim((struct str){t.p + 3, t.len - 3});
    if (t.len == 0 || t.len > 40)
        return ERR_INVALID;
    /* The last ',' or '.' followed by one or two digits at the end is the decimal mark; every
     * other '.' (or ' ') must group thousands. */
    size_t dec = SIZE_MAX;
    for (size_t i = t.len; i-- > 0;)
        if (t.p[i] == ',' || t.p[i] == '.') {
            if (t.len - i - 1 >= 1 && t.len - i - 1 <= 2 && t.p[i] == ',')
                dec = i;
            else if (t.len - i - 1 >= 1 && t.len - i - 1 <= 2 && t.p[i] == '.')
                dec = i;
            break;
        }
    int64_t euros = 0, cents = 0;
    size_t digits = 0, group = 0;
    bool grouped = false;
    size_t end = dec == SIZE_MAX ? t.len : dec;
    for (size_t i = 0; i < end; i++) {
        char ch = t.p[i];
        if (ch >= '0' && ch <= '9') {
            if (euros > (CONTRACT_MONEY_MAX / 100) / 10 + 1)
                return ERR_INVALID;
            euros = euros * 10 + (ch - '0');
            digits++;
            group++;
        } else if ((ch == '.' || ch == ' ') && digits > 0 && (grouped ? group == 3 : group <= 3)) {
            grouped = true;
            group = 0;
        } else {
            return ERR_INVALID;
        }
    }
    if (digits == 0 || (grouped && group != 3))
        return ERR_INVALID;
    if (dec != SIZE_MAX) {
        size_t nd = t.len - dec - 1;
        for (size_t i = dec + 1; i < t.len; i++) {
            if (t.p[i] < '0' || t.p[i] > '9')
                return ERR_INVALID;
            cents = cents * 10 + (t.p[i] - '0');
        }
        if (nd == 1)
            cents *= 10;
    }
    if (euros > CONTRACT_MONEY_MAX / 100 || euros * 100 + cents > CONTRACT_MONEY_MAX)
        return ERR_INVALID;
    *cents_out = euros * 100 + cents;
    return 0;
}

/* ---- Policy object. -------------------------------------------------------------------------- */

int contract_object(struct arena *a, struct store *s, const struct contract *c,
                    struct object_ref *out)
{
    memset(out, 0, sizeof *out);
    out->kind = OBJ_CONTRACT;
    out->id = c->id;
    out->owner_org_id = c->owner_org_id;
    out->owner_org_kind = c->owner_kind;
    out->share = SHARE_PARTIES;
    struct org owner;
    if (c->owner_org_id > 0 && org_get_internal(a, s, c->owner_org_id, &owner) == 0) {
        out->owner_org_kind = owner.kind;
        if (owner.kind == ORG_GEMEENTE && owner.nparents > 0) {
            int64_t *r = arena_calloc(a, (size_t)owner.nparents, sizeof *r);
            if (!r)
                return ERR_NOMEM;
            memcpy(r, owner.parent_ids, (size_t)owner.nparents * sizeof *r);
            out->owner_region_ids = r;
            out->owner_nregions = owner.nparents;
        }
    }
    int64_t *orgs = NULL;
    int norgs = 0;
    int ret = contract_store_gemeente_orgs(a, store_reader(s), (const char(*)[5])c->gemeenten,
                                           c->ngemeenten, &orgs, &norgs);
    if (ret)
        return ret;
    int64_t *parties = arena_calloc(a, (size_t)norgs + 1, sizeof *parties);
    if (!parties)
        return ERR_NOMEM;
    int np = 0;
    if (c->aanbieder_id > 0)
        parties[np++] = c->aanbieder_id;
    for (int i = 0; i < norgs; i++)
        parties[np++] = orgs[i];
    out->party_org_ids = parties;
    out->nparties = np;
    return 0;
}

/* ---- Validation. ----------------------------------------------------------------------------- */

struct checked {
    const char *name, *note;
    enum org_kind owner_kind;
    char (*gemeenten)[5];
    int ngemeenten;
    struct contract_product *products;
    int nproducts;
    struct contract_agreement *agreements;
    int nagreements;
};

static int check_text(struct arena *a, const char *in, bool required, size_t max, const char *field,
                      const char *what, const char **out, struct err_ctx *e)
{
    struct str t = str_trim(str_from(in ? in : ""));
    if (t.len == 0 && required)
        return err_set(e, ERR_INVALID, field, _("Vul %s in."), what);
    if (!utf8_valid(t.p, t.len, NULL) || utf8_has_controls(t.p, t.len))
        return err_set(e, ERR_INVALID, field, _("Er staan ongeldige tekens in %s."), what);
    if (utf8_count(t.p, t.len) > max)
        return err_set(e, ERR_INVALID, field, _("Maak %s korter (maximaal %zu tekens)."), what,
                       max);
    *out = arena_strndup(a, t.p, t.len);
    return *out ? 0 : ERR_NOMEM;
}

/* "0114" or "GM0114" -> "0114". */
static bool norm_gemeente(const char *in, char out[5])
{
    if (!in)
        return false;
    if ((in[0] == 'G' || in[0] == 'g') && (in[1] == 'M' || in[1] == 'm'))
        in += 2;
    if (strlen(in) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (in[i] < '0' || in[i] > '9')
            return false;
    memcpy(out, in, 5);
    return true;
}

static bool product_code_ok(const char *code)
{
    size_t n = strlen(code);
    if (n > 5)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z') ||
              (code[i] >= 'a' && code[i] <= 'z')))
            return false;
    return true;
}

static int check_fields(struct arena *a, struct store *s, int64_t owner_id,
                        const struct contract_input *in, struct checked *c, struct err_ctx *e)
{
    struct db *db = store_reader(s);
    int ret;
    memset(c, 0, sizeof *c);
    if ((ret =
             check_text(a, in->name, true, CONTRACT_NAME_MAX, "name", _("de naam"), &c->name, e)) ||
        (ret = check_text(a, in->note, false, CONTRACT_NOTE_MAX, "note", _("de toelichting"),
                          &c->note, e)))
        return ret;
    struct org owner, aanb;
    if (owner_id <= 0 || org_get_internal(a, s, owner_id, &owner) != 0 ||
        (owner.kind != ORG_GEMEENTE && owner.kind != ORG_REGION))
        return err_set(e, ERR_INVALID, "owner_org_id", "%s",
                       _("Een contract hoort bij een gemeente of een regio."));
    c->owner_kind = owner.kind;
    if (in->aanbieder_id <= 0 || org_get_internal(a, s, in->aanbieder_id, &aanb) != 0 ||
        aanb.kind != ORG_AANBIEDER)
        return err_set(e, ERR_INVALID, "aanbieder_id", "%s", _("Kies een bestaande aanbieder."));
    if (aanb.archived)
        return err_set(e, ERR_INVALID, "aanbieder_id", "%s", _("Deze aanbieder is gearchiveerd."));
    if (in->law != LAW_JW && in->law != LAW_WMO)
        return err_set(e, ERR_INVALID, "law", "%s", _("Kies Jeugdwet of Wmo."));
    if (in->variant < CONTRACT_INSPANNINGSGERICHT || in->variant > CONTRACT_TAAKGERICHT)
        return err_set(e, ERR_INVALID, "variant", "%s", _("Kies een uitvoeringsvariant."));
    if (in->valid_from == DAY_NONE)
        return err_set(e, ERR_INVALID, "valid_from", "%s", _("Vul de begindatum in."));
    if (in->valid_to != DAY_NONE && in->valid_to < in->valid_from)
        return err_set(e, ERR_INVALID, "valid_to", "%s",
                       _("De einddatum ligt voor de begindatum."));
    if (in->budget_cents < 0 || in->budget_cents > CONTRACT_MONEY_MAX)
        return err_set(e, ERR_INVALID, "budget", "%s",
                       _("Het budget moet een bedrag van 0 euro of meer zijn."));
    if (in->cap_cents < -1 || in->cap_cents > CONTRACT_MONEY_MAX)
        return err_set(e, ERR_INVALID, "cap", "%s",
                       _("Het omzetplafond moet een bedrag van 0 euro of meer zijn."));

    /* Gemeenten: a gemeente's contract is for itself; a region's for some of its gemeenten
     * (all of them when none are named). */
    char **members = NULL;
    int nmembers = 0;
    if (owner.kind == ORG_REGION &&
        (ret = intake_region_gemeenten(a, db, owner.id, &members, &nmembers)))
        return ret;
    if (in->ngemeenten > CONTRACT_MAX_GEMEENTEN)
        return err_set(e, ERR_INVALID, "gemeenten", _("Kies ten hoogste %d gemeenten."),
                       CONTRACT_MAX_GEMEENTEN);
    int cap = owner.kind == ORG_REGION ? (in->ngemeenten > 0 ? in->ngemeenten : nmembers) : 1;
    c->gemeenten = arena_calloc(a, (size_t)(cap > 0 ? cap : 1), 5);
    if (!c->gemeenten)
        return ERR_NOMEM;
    if (owner.kind == ORG_GEMEENTE) {
        char own[5];
        if (!norm_gemeente(owner.cbs_code, own))
            return err_set(e, ERR_INVALID, "owner_org_id", "%s",
                           _("De gemeente heeft geen CBS-code."));
        for (int i = 0; i < in->ngemeenten; i++) {
            char g[5];
            if (!norm_gemeente(in->gemeenten[i], g) || strcmp(g, own) != 0)
                return err_set(e, ERR_INVALID, "gemeenten", "%s",
                               _("Een contract van een gemeente geldt alleen voor die gemeente."));
        }
        memcpy(c->gemeenten[0], own, 5);
        c->ngemeenten = 1;
    } else if (in->ngemeenten == 0) {
        for (int i = 0; i < nmembers; i++)
            snprintf(c->gemeenten[c->ngemeenten++], 5, "%s", members[i]);
    } else {
        for (int i = 0; i < in->ngemeenten; i++) {
            char g[5];
            if (!norm_gemeente(in->gemeenten[i], g))
                return err_set(e, ERR_INVALID, "gemeenten", _("'%.20s' is geen gemeentecode."),
                               in->gemeenten[i] ? in->gemeenten[i] : "");
            bool member = false;
            for (int k = 0; k < nmembers && !member; k++)
                member = strcmp(members[k], g) == 0;
            if (!member)
                return err_set(e, ERR_INVALID, "gemeenten",
                               _("Gemeente %s hoort niet bij de regio %s."), g, owner.name);
            bool dup = false;
            for (int k = 0; k < c->ngemeenten && !dup; k++)
                dup = strcmp(c->gemeenten[k], g) == 0;
            if (!dup)
                memcpy(c->gemeenten[c->ngemeenten++], g, 5);
        }
    }
    if (c->ngemeenten == 0)
        return err_set(e, ERR_INVALID, "gemeenten", "%s", _("Kies ten minste één gemeente."));

    /* Products: a category of the law's code list, optionally one product code. */
    if (in->nproducts > CONTRACT_MAX_PRODUCTS)
        return err_set(e, ERR_INVALID, "products", _("Kies ten hoogste %d producten."),
                       CONTRACT_MAX_PRODUCTS);
    c->products =
        arena_calloc(a, (size_t)(in->nproducts > 0 ? in->nproducts : 1), sizeof *c->products);
    if (!c->products)
        return ERR_NOMEM;
    for (int i = 0; i < in->nproducts; i++) {
        const struct contract_product *p = &in->products[i];
        if (!codelist_find(codelist_category_list(in->law), "3.2", p->category))
            return err_set(e, ERR_INVALID, "products",
                           _("Productcategorie '%.8s' bestaat niet voor deze wet."), p->category);
        if (!product_code_ok(p->code))
            return err_set(e, ERR_INVALID, "products",
                           _("Productcode '%.8s' is geen geldige code (1 tot 5 letters of "
                             "cijfers)."),
                           p->code);
        bool dup = false;
        for (int k = 0; k < c->nproducts && !dup; k++)
            dup = strcmp(c->products[k].category, p->category) == 0 &&
                  strcmp(c->products[k].code, p->code) == 0;
        if (!dup)
            c->products[c->nproducts++] = *p;
    }

    /* Agreements: an existing indicator, once, with a finite target. */
    if (in->nagreements > CONTRACT_MAX_AGREEMENTS)
        return err_set(e, ERR_INVALID, "agreements", _("Maak ten hoogste %d resultaatafspraken."),
                       CONTRACT_MAX_AGREEMENTS);
    c->agreements =
        arena_calloc(a, (size_t)(in->nagreements > 0 ? in->nagreements : 1), sizeof *c->agreements);
    if (!c->agreements)
        return ERR_NOMEM;
    for (int i = 0; i < in->nagreements; i++) {
        const struct contract_agreement *g = &in->agreements[i];
        bool ok = false;
        if ((ret = contract_store_indicator_ok(db, g->indicator_id, &ok)))
            return ret;
        if (!ok)
            return err_set(e, ERR_INVALID, "agreements", "%s",
                           _("Een resultaatafspraak verwijst naar een indicator die niet "
                             "bestaat."));
        if (!isfinite(g->target) || fabs(g->target) > 1e12)
            return err_set(e, ERR_INVALID, "agreements", "%s",
                           _("Vul bij elke resultaatafspraak een streefwaarde in."));
        if (g->comparison != AGREE_MIN && g->comparison != AGREE_MAX)
            return err_set(e, ERR_INVALID, "agreements", "%s",
                           _("Kies bij elke resultaatafspraak 'ten minste' of 'ten hoogste'."));
        for (int k = 0; k < c->nagreements; k++)
            if (c->agreements[k].indicator_id == g->indicator_id)
                return err_set(e, ERR_INVALID, "agreements", "%s",
                               _("Elke indicator kan maar één keer in een contract staan."));
        struct contract_agreement *d = &c->agreements[c->nagreements++];
        *d = *g;
        if ((ret = check_text(a, g->note, false, 1000, "agreements", _("de toelichting"), &d->note,
                              e)))
            return ret;
    }
    return 0;
}

static void fill_values(struct contract_values *v, const struct contract_input *in,
                        const struct checked *c, const char *now, int64_t user_id)
{
    memset(v, 0, sizeof *v);
    v->name = c->name;
    v->aanbieder_id = in->aanbieder_id;
    v->law = in->law;
    v->variant_code = contract_variant_code(in->variant);
    v->valid_from = in->valid_from;
    v->valid_to = in->valid_to;
    v->budget_cents = in->budget_cents;
    v->cap_cents = in->cap_cents;
    v->note = c->note;
    v->gemeenten = (const char(*)[5])c->gemeenten;
    v->ngemeenten = c->ngemeenten;
    v->products = c->products;
    v->nproducts = c->nproducts;
    v->agreements = c->agreements;
    v->nagreements = c->nagreements;
    v->now = now;
    v->user_id = user_id > 0 ? user_id : 0;
}

/* ---- Changes. -------------------------------------------------------------------------------- */

int contract_create(struct store *s, const struct actor *who, const struct contract_input *in,
                    int64_t *id_out, struct arena *ra, struct err_ctx *e)
{
    (void)ra;
    if (!who || !in)
        return ERR_INVALID;
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    struct db *db = NULL;
    bool writing = false;
    int ret;
    int64_t owner = in->owner_org_id > 0 ? in->owner_org_id : who->org_id;
    struct contract draft = {.owner_org_id = owner, .aanbieder_id = in->aanbieder_id};
    struct org o;
    if (org_get_internal(a, s, owner, &o) == 0)
        draft.owner_kind = o.kind;
    struct object_ref obj;
    if ((ret = contract_object(a, s, &draft, &obj)))
        goto out;
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    struct checked chk;
    if ((ret = check_fields(a, s, owner, in, &chk, e)))
        goto out;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    audit_format_time(time(NULL), at);
    struct contract_values v;
    fill_values(&v, in, &chk, at, who->user_id);
    v.owner_org_id = owner;
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    int64_t id = 0;
    if ((ret = contract_store_insert(db, &v, &id)))
        goto out;
    snprintf(detail, sizeof detail,
             "owner=%" PRId64 " aanbieder=%" PRId64 " gemeenten=%d products=%d agreements=%d",
             owner, in->aanbieder_id, chk.ngemeenten, chk.nproducts, chk.nagreements);
    if ((ret = audit_write(db, who, "contract.create", "contract", id, detail)))
        goto out;
    if (id_out)
        *id_out = id;
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

/* Loads the contract for a change: ERR_NOT_FOUND when the actor may not even view it. */
static int load_for_change(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                           enum action act, struct contract *c)
{
    int ret = contract_get(a, s, who, id, c);
    if (ret)
        return ret;
    struct object_ref obj;
    if ((ret = contract_object(a, s, c, &obj)))
        return ret;
    return policy_allows(who, act, &obj) ? 0 : ERR_DENIED;
}

int contract_update(struct store *s, const struct actor *who, int64_t id,
                    const struct contract_input *in, struct arena *ra, struct err_ctx *e)
{
    (void)ra;
    if (!who || !in)
        return ERR_INVALID;
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    struct db *db = NULL;
    bool writing = false;
    struct contract cur;
    int ret = load_for_change(a, s, who, id, ACT_EDIT, &cur);
    if (ret)
        goto out;
    if (cur.archived) {
        ret = err_set(e, ERR_INVALID, "archived", "%s",
                      _("Dit contract is gearchiveerd; zet het eerst terug."));
        goto out;
    }
    if (in->version != cur.version) {
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft dit contract intussen gewijzigd. Laad het opnieuw."));
        goto out;
    }
    struct checked chk;
    if ((ret = check_fields(a, s, cur.owner_org_id, in, &chk, e)))
        goto out;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    audit_format_time(time(NULL), at);
    struct contract_values v;
    fill_values(&v, in, &chk, at, who->user_id);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = contract_store_update(db, id, in->version, &v))) {
        if (ret == ERR_CONFLICT)
            err_set(e, ERR_CONFLICT, "version", "%s",
                    _("Iemand anders heeft dit contract intussen gewijzigd. Laad het opnieuw."));
        goto out;
    }
    snprintf(detail, sizeof detail, "version=%" PRId64 " gemeenten=%d products=%d agreements=%d",
             in->version + 1, chk.ngemeenten, chk.nproducts, chk.nagreements);
    ret = audit_write(db, who, "contract.update", "contract", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int contract_set_archived(struct store *s, const struct actor *who, int64_t id, int64_t version,
                          bool archived, struct arena *ra, struct err_ctx *e)
{
    (void)ra;
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    struct db *db = NULL;
    bool writing = false;
    struct contract cur;
    int ret = load_for_change(a, s, who, id, ACT_ARCHIVE, &cur);
    if (ret)
        goto out;
    if (version != cur.version) {
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft dit contract intussen gewijzigd. Laad het opnieuw."));
        goto out;
    }
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = contract_store_set_archived(db, id, version, archived, at, who->user_id)))
        goto out;
    ret = audit_write(db, who, archived ? "contract.archive" : "contract.restore", "contract", id,
                      NULL);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

/* ---- Reads. ---------------------------------------------------------------------------------- */

static bool may_view(struct arena *a, struct store *s, const struct actor *who,
                     const struct contract *c)
{
    struct object_ref obj;
    return contract_object(a, s, c, &obj) == 0 && policy_allows(who, ACT_VIEW, &obj);
}

int contract_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                 struct contract *out)
{
    if (!who || id <= 0)
        return ERR_NOT_FOUND;
    int ret = contract_store_get(a, store_reader(s), id, out);
    if (ret)
        return ret;
    return may_view(a, s, who, out) ? 0 : ERR_NOT_FOUND;
}

int contract_list(struct arena *a, struct store *s, const struct actor *who,
                  const struct contract_filter *f, struct contract **out, int *n, int *total)
{
    *out = NULL;
    *n = 0;
    if (total)
        *total = 0;
    struct contract_query q = {.from = DAY_NONE, .to = DAY_NONE};
    char g[5];
    if (f) {
        q.aanbieder_id = f->aanbieder_id;
        q.owner_org_id = f->owner_org_id;
        q.include_archived = f->include_archived;
        if (f->gemeente) {
            if (!norm_gemeente(f->gemeente, g))
                return 0; /* no gemeente has that code: nothing matches */
            q.gemeente = g;
        }
        if (f->year > 0) {
            if (f->year < 1900 || f->year > 2099)
                return 0;
            q.from = day_from_ymd(f->year, 1, 1);
            q.to = day_from_ymd(f->year, 12, 31);
        }
    }
    struct contract *rows = NULL;
    int nr = 0;
    int ret = contract_store_scan(a, store_reader(s), &q, CONTRACT_SCAN_MAX, &rows, &nr);
    if (ret)
        return ret;
    int limit = f && f->limit > 0 ? (f->limit > CONTRACT_LIST_MAX ? CONTRACT_LIST_MAX : f->limit)
                                  : CONTRACT_LIST_DEFAULT;
    int offset = f && f->offset > 0 ? f->offset : 0;
    int seen = 0, kept = 0;
    for (int i = 0; i < nr; i++) {
        if (!may_view(a, s, who, &rows[i]))
            continue;
        if (seen++ >= offset && kept < limit)
            rows[kept++] = rows[i];
    }
    *out = rows;
    *n = kept;
    if (total)
        *total = seen;
    return 0;
}

int contract_agreements_of_aanbieder(struct arena *a, struct store *s, const struct actor *who,
                                     int64_t aanbieder_id, day_t from, day_t to,
                                     struct contract_agreement_ref **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (aanbieder_id <= 0)
        return 0;
    struct contract_query q = {.aanbieder_id = aanbieder_id, .from = from, .to = to};
    struct contract *rows = NULL;
    int nr = 0;
    int ret = contract_store_scan(a, store_reader(s), &q, CONTRACT_SCAN_MAX, &rows, &nr);
    if (ret)
        return ret;
    int total = 0;
    for (int i = 0; i < nr; i++)
        total += rows[i].nagreements;
    if (total == 0)
        return 0;
    struct contract_agreement_ref *v = arena_calloc(a, (size_t)total, sizeof *v);
    if (!v)
        return ERR_NOMEM;
    int k = 0;
    for (int i = 0; i < nr; i++) {
        if (rows[i].nagreements == 0 || !may_view(a, s, who, &rows[i]))
            continue;
        for (int j = 0; j < rows[i].nagreements; j++) {
            v[k].contract_id = rows[i].id;
            v[k].contract_name = rows[i].name;
            v[k].valid_from = rows[i].valid_from;
            v[k].valid_to = rows[i].valid_to;
            v[k].agreement = rows[i].agreements[j];
            k++;
        }
    }
    *out = k ? v : NULL;
    *n = k;
    return 0;
}

int contract_owners_of_aanbieder(struct arena *a, struct store *s, int64_t aanbieder_id,
                                 int64_t **out, int *n)
{
    return contract_store_owners_of(a, store_reader(s), aanbieder_id, out, n);
}

int contract_indicator_choices(struct arena *a, struct store *s,
                               struct contract_indicator_choice **out, int *n)
{
    return contract_store_indicators(a, store_reader(s), out, n);
}
