/*
 * demo.c: the demo region generator behind `duiding demo`. It builds jeugdregio Zuid-Drenthe
 * through the ordinary domain API (org_create, user_create, result_create), so validation,
 * policy and audit run for demo data exactly as for real data. Deterministic from the seed via a
 * private PRNG; later issues add trajectories, surveys, stories, ... as steps in `steps[]`.
 */
#include "domain/demo.h"
#include "core/common.h"
#include "core/rng.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/resource.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "domain/actor.h"
#include "domain/cbs.h"
#include "domain/demo_data.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/role.h"
#include "domain/user.h"

#define DEMO_MAX_ORGS            96
#define DEMO_MAX_USERS           48
#define DEMO_MAX_PROVIDERS       64
#define DEMO_MAX_RESULT_POOL     32
#define DEMO_POPULATION_RESOURCE "data/inwoners-gemeente-leeftijd-2021.csv"
#define DEMO_POPULATION_COLUMN   3    /* 0-based: gemeente, provincie, leeftijd, inwoners, ... */
#define DEMO_ACTOR_ID            (-1) /* no database user, like the CLI actor; audited as "demo" */
#define DEMO_AGB_ATTEMPTS        1000
#define DEMO_ORGS_STEP           "organisaties" /* step name: also seeds the AGB draws */

/* ---- Shared state of the steps. ------------------------------------------------------------- */

struct demo_org {
    const char *name; /* arena or static */
    enum org_kind kind;
    int64_t id;
};

struct demo_user {
    const char *login;        /* arena or static */
    const char *display_name; /* arena */
    uint32_t roles;
    int64_t id;
    int64_t org_id;
    enum org_kind org_kind;
    const char *org_name;
};

/* Owned by: demo_generate(); lives for one run. Strings come from `a`. */
struct demo_ctx {
    struct store *s;
    struct arena *a;
    uint64_t seed;
    struct rng rng;     /* re-seeded per step */
    struct actor admin; /* deployment-wide beheerder for organisations and users */
    struct demo_org orgs[DEMO_MAX_ORGS];
    int norgs;
    struct demo_user users[DEMO_MAX_USERS];
    int nusers;
    int64_t region_id;
    int64_t gemeente_ids[DEMO_GEMEENTE_COUNT];
    int64_t populations[DEMO_GEMEENTE_COUNT];
    int64_t provider_ids[DEMO_MAX_PROVIDERS];
    char agb_codes[DEMO_MAX_PROVIDERS][DEMO_AGB_LEN + 1];
    int nproviders;
    int64_t toezicht_id;
    int nresults_gemeente, nresults_region;
};

struct demo_step {
    const char *name;
    int (*run)(struct demo_ctx *c, struct err_ctx *e);
};

/* Prefixes e->msg with what the generator was doing, so the CLI shows which object failed. */
static int fail(struct err_ctx *e, int rc, const char *what, const char *name)
{
    char why[ERR_MSG_MAX];
    memcpy(why, e->msg, sizeof why);
    why[sizeof why - 1] = '\0';
    return err_set(e, rc, e->field, "%s \"%s\": %s", what, name, why[0] ? why : err_name(rc));
}

static int64_t org_id_by_name(const struct demo_ctx *c, const char *name)
{
    for (int i = 0; i < c->norgs; i++)
        if (strcmp(c->orgs[i].name, name) == 0)
            return c->orgs[i].id;
    return 0;
}

static const struct demo_org *org_by_id(const struct demo_ctx *c, int64_t id)
{
    for (int i = 0; i < c->norgs; i++)
        if (c->orgs[i].id == id)
            return &c->orgs[i];
    return NULL;
}

static const struct demo_user *user_by_login(const struct demo_ctx *c, const char *login)
{
    for (int i = 0; i < c->nusers; i++)
        if (strcmp(c->users[i].login, login) == 0)
            return &c->users[i];
    return NULL;
}

/* Replaces every "{g}" in tmpl by g. Arena-owned; NULL when out of memory or too long. */
static char *expand(struct arena *a, const char *tmpl, const char *g)
{
    struct buf b;
    char *res = NULL;
    buf_init(&b, BUF_MAX_SMALL);
    const char *p = tmpl;
    const char *hit;
    while ((hit = strstr(p, "{g}")) != NULL) {
        if (buf_append(&b, p, (size_t)(hit - p)) || buf_append_str(&b, g))
            goto out;
        p = hit + 3;
    }
    if (buf_append_str(&b, p))
        goto out;
    res = arena_strdup(a, buf_cstr(&b));
out:
    buf_release(&b);
    return res;
}

/* "De Wolden" -> "de-wolden": the login suffix of a gemeente (logins are [a-z0-9._@-]). */
static char *slug(struct arena *a, const char *name)
{
    size_t n = strlen(name);
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (ch >= 'A' && ch <= 'Z')
            out[j++] = (char)(ch - 'A' + 'a');
        else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')
            out[j++] = ch;
        else if (ch == ' ' && j > 0 && out[j - 1] != '-')
            out[j++] = '-';
    }
    out[j] = '\0';
    return out;
}

static int create_org(struct demo_ctx *c, const struct org_input *in, const char *name,
                      int64_t *id_out, struct err_ctx *e)
{
    int64_t id = 0;
    int rc;
    if (NEVER(c->norgs >= DEMO_MAX_ORGS))
        return err_set(e, ERR_TOO_BIG, NULL, "too many demo organisations");
    rc = org_create(c->s, &c->admin, in, &id, e);
    if (rc)
        return fail(e, rc, "organisation", name);
    c->orgs[c->norgs].name = name;
    c->orgs[c->norgs].kind = in->kind;
    c->orgs[c->norgs].id = id;
    c->norgs++;
    if (id_out)
        *id_out = id;
    return 0;
}

/* ---- Step 1: organisations. ------------------------------------------------------------------ */

/* Splits off the next CSV field (RFC 4180 quoting, no embedded separators in this file). */
static bool next_field(struct str *line, struct str *field)
{
    if (line->p == NULL)
        return false;
    const char *p = line->p, *end = line->p + line->len;
    if (p < end && *p == '"') {
        const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
        if (!q)
            return false;
        *field = (struct str){p + 1, (size_t)(q - p - 1)};
        p = q + 1;
    } else {
        const char *q = memchr(p, ',', (size_t)(end - p));
        q = q ? q : end;
        *field = (struct str){p, (size_t)(q - p)};
        p = q;
    }
    if (p < end && *p == ',') {
        line->p = p + 1;
        line->len = (size_t)(end - p - 1);
    } else {
        /* Last field: mark the line consumed so a further call says "no more". */
        line->p = NULL;
        line->len = 0;
    }
    return true;
}

/*
 * Sums the age bands of each demo gemeente in the embedded table: CBS StatLine 83502NED
 * (1 January 2021, CC BY 4.0, "Bron: CBS") summed from PC4 to 2021 gemeenten, so approximate.
 * Matching is by name because the table has no codes; a gemeente without rows is an error, not
 * a silent 0. The 7 demo gemeenten did not merge between 2021 and 2023, so the names agree.
 */
static int load_populations(int64_t populations[DEMO_GEMEENTE_COUNT], struct err_ctx *e)
{
    const struct resource *r = resource_find(DEMO_POPULATION_RESOURCE);
    if (!r)
        return err_set(e, ERR_INTERNAL, NULL, "embedded %s is missing", DEMO_POPULATION_RESOURCE);
    struct str rest = {(const char *)r->data, r->len};
    uint32_t lineno = 0;
    while (rest.len > 0) {
        const char *nl = memchr(rest.p, '\n', rest.len);
        size_t n = nl ? (size_t)(nl - rest.p) : rest.len;
        struct str line = str_trim((struct str){rest.p, n});
        rest.p += nl ? n + 1 : n;
        rest.len -= nl ? n + 1 : n;
        if (++lineno == 1 || line.len == 0)
            continue; /* header */
        struct str f, name = STR_NULL, count = STR_NULL;
        for (int col = 0; next_field(&line, &f); col++) {
            if (col == 0)
                name = f;
            else if (col == DEMO_POPULATION_COLUMN)
                count = f;
        }
        for (int g = 0; g < DEMO_GEMEENTE_COUNT; g++) {
            int64_t v;
            if (!str_eq_c(name, demo_gemeente_names[g]))
                continue;
            if (str_parse_i64(count, 0, INT32_MAX, &v))
                return err_set(e, ERR_INVALID, NULL, "%s line %" PRIu32 ": bad population count",
                               DEMO_POPULATION_RESOURCE, lineno);
            populations[g] += v;
        }
    }
    for (int g = 0; g < DEMO_GEMEENTE_COUNT; g++)
        if (populations[g] <= 0)
            return err_set(e, ERR_NOT_FOUND, NULL, "no population for %s in %s",
                           demo_gemeente_names[g], DEMO_POPULATION_RESOURCE);
    return 0;
}

/* The CBS entry for a gemeente name: the list, not this file, is the authority on codes. */
static const struct cbs_gemeente *cbs_by_name(const char *name)
{
    size_t n = 0;
    const struct cbs_gemeente *all = cbs_gemeenten(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].name, name) == 0)
            return &all[i];
    return NULL;
}

/* An unused, well-formed 8-digit AGB-like code. Drawn, not listed, so seeds give other codes. */
static int draw_agb(struct rng *r, char (*used)[DEMO_AGB_LEN + 1], size_t nused,
                    char out[static DEMO_AGB_LEN + 1], struct err_ctx *e)
{
    for (int attempt = 0; attempt < DEMO_AGB_ATTEMPTS; attempt++) {
        /* Leading digit 1-9: codes with a leading zero look truncated in spreadsheets. */
        uint64_t v = 10000000u + rng_below(r, 90000000u);
        for (int i = DEMO_AGB_LEN - 1; i >= 0; i--, v /= 10)
            out[i] = (char)('0' + v % 10);
        out[DEMO_AGB_LEN] = '\0';
        if (!org_agb_valid(out))
            continue;
        bool taken = false;
        for (size_t i = 0; i < nused && !taken; i++)
            taken = strcmp(used[i], out) == 0;
        if (!taken)
            return 0;
    }
    return err_set(e, ERR_INTERNAL, NULL, "could not draw a unique AGB code");
}

/* The codes come from the organisations step's own PRNG stream (see demo_generate), drawn
 * before anything else in that step, so this function and step_orgs always agree. */
int demo_provider_agb_codes(uint64_t seed, char (*out)[DEMO_AGB_LEN + 1], size_t n,
                            struct err_ctx *e)
{
    struct rng r;
    rng_seed(&r, seed ^ rng_hash_name(DEMO_ORGS_STEP));
    for (size_t i = 0; i < n; i++) {
        int rc = draw_agb(&r, out, i, out[i], e);
        if (rc)
            return rc;
    }
    return 0;
}

int demo_gemeente_populations(int64_t *out, size_t n, struct err_ctx *e)
{
    int64_t pop[DEMO_GEMEENTE_COUNT] = {0};
    int rc = load_populations(pop, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && i < DEMO_GEMEENTE_COUNT; i++)
        out[i] = pop[i];
    return 0;
}

static int step_orgs(struct demo_ctx *c, struct err_ctx *e)
{
    int ret = cbs_load();
    if (ret) {
        err_set(e, ret, NULL, "the embedded CBS municipality list could not be loaded");
        goto out;
    }
    if ((ret = load_populations(c->populations, e)))
        goto out;
    if (NEVER(demo_provider_count > DEMO_MAX_PROVIDERS)) {
        ret = err_set(e, ERR_TOO_BIG, NULL, "too many demo providers");
        goto out;
    }
    if ((ret = demo_provider_agb_codes(c->seed, c->agb_codes, demo_provider_count, e)))
        goto out;

    struct org_input region = {.kind = ORG_REGION, .name = DEMO_REGION_NAME};
    if ((ret = create_org(c, &region, DEMO_REGION_NAME, &c->region_id, e)))
        goto out;

    for (int g = 0; g < DEMO_GEMEENTE_COUNT; g++) {
        const struct cbs_gemeente *cbs = cbs_by_name(demo_gemeente_names[g]);
        if (!cbs) {
            ret = err_set(e, ERR_NOT_FOUND, NULL, "gemeente %s is not in the CBS list",
                          demo_gemeente_names[g]);
            goto out;
        }
        struct org_input in = {
            .kind = ORG_GEMEENTE,
            .name = cbs->name,
            .cbs_code = cbs->code,
            .parent_ids = {c->region_id},
            .nparents = 1,
            .population = c->populations[g],
        };
        if ((ret = create_org(c, &in, cbs->name, &c->gemeente_ids[g], e)))
            goto out;
    }

    for (int g = 0; g < DEMO_GEMEENTE_COUNT; g++) {
        char *name = arena_printf(c->a, DEMO_TOEGANG_PREFIX "%s", demo_gemeente_names[g]);
        if (!name) {
            ret = ERR_NOMEM;
            goto out;
        }
        struct org_input in = {
            .kind = ORG_TOEGANG,
            .name = name,
            .parent_ids = {c->gemeente_ids[g]},
            .nparents = 1,
        };
        if ((ret = create_org(c, &in, name, NULL, e)))
            goto out;
    }

    for (size_t p = 0; p < demo_provider_count; p++) {
        const char *agb = c->agb_codes[p];
        struct org_input in = {
            .kind = ORG_AANBIEDER,
            .name = demo_providers[p].name,
            .agb_code = agb,
        };
        if ((ret = create_org(c, &in, demo_providers[p].name, &c->provider_ids[p], e)))
            goto out;
        c->nproviders++;
    }

    struct org_input toezicht = {.kind = ORG_TOEZICHTHOUDER, .name = DEMO_TOEZICHT_NAME};
    ret = create_org(c, &toezicht, DEMO_TOEZICHT_NAME, &c->toezicht_id, e);
out:
    return ret;
}

/* ---- Step 2: users. -------------------------------------------------------------------------- */

enum org_ref { AT_REGION, AT_GEMEENTE, AT_PROVIDER, AT_TOEZICHT, AT_TOEGANG };

/* The fixed demo logins. Tests and the README depend on these names: do not rename. */
struct user_spec {
    const char *login;
    const char *display; /* "{g}" = the organisation's name: a role, never a person */
    uint32_t roles;
    enum org_ref at;
    const char *gemeente; /* AT_GEMEENTE and AT_TOEGANG (the team of that gemeente) only */
};

static const struct user_spec fixed_users[] = {
    {"beheerder", "Functioneel beheerder {g}", ROLE_BEHEERDER, AT_REGION, NULL},
    {"beleid.regio", "Beleidsadviseur {g}", ROLE_BELEID, AT_REGION, NULL},
    {"beleid.emmen", "Beleidsadviseur {g}", ROLE_BELEID, AT_GEMEENTE, "Emmen"},
    {"beleid.hoogeveen", "Beleidsadviseur {g}", ROLE_BELEID, AT_GEMEENTE, "Hoogeveen"},
    {"contract.regio", "Contractmanager {g}", ROLE_CONTRACT, AT_REGION, NULL},
    {"kwaliteit.aanbieder", "Kwaliteitsmedewerker {g}", ROLE_KWALITEIT, AT_PROVIDER, NULL},
    {"professional.aanbieder", "Jeugdprofessional {g}", ROLE_PROFESSIONAL, AT_PROVIDER, NULL},
    {"toezicht.ggd", "Toezichthouder Wmo en Jeugd", ROLE_TOEZICHT, AT_TOEZICHT, NULL},
    {"raad.emmen", "Raadslid gemeente {g}", ROLE_RAAD, AT_GEMEENTE, "Emmen"},
    {"backoffice.regio", "Backoffice {g}", ROLE_BACKOFFICE, AT_REGION, NULL},
    {"toegang.emmen", "Medewerker {g}", ROLE_PROFESSIONAL, AT_TOEGANG, "Emmen"},
};

#define BELEID_LOGIN_PREFIX "beleid."
#define BELEID_DISPLAY      "Beleidsadviseur {g}"

static int create_user(struct demo_ctx *c, const char *login, const char *display_tmpl,
                       uint32_t roles, int64_t org_id, struct err_ctx *e)
{
    const struct demo_org *org = org_by_id(c, org_id);
    char *generated = NULL;
    int64_t id = 0;
    int ret = 0;
    if (NEVER(!org) || NEVER(c->nusers >= DEMO_MAX_USERS)) {
        ret = err_set(e, ERR_INTERNAL, NULL, "demo user %s has no organisation slot", login);
        goto out;
    }
    char *display = expand(c->a, display_tmpl, org->name);
    if (!display) {
        ret = ERR_NOMEM;
        goto out;
    }
    struct user_input in = {
        .login = login,
        .display_name = display,
        .org_id = org_id,
        .roles = roles,
        .lang = "nl",
        .password = DEMO_PASSWORD,
    };
    ret = user_create(c->s, &c->admin, &in, &id, &generated, e);
    if (ret) {
        ret = fail(e, ret, "user", login);
        goto out;
    }
    c->users[c->nusers++] = (struct demo_user){
        .login = login,
        .display_name = display,
        .roles = roles,
        .id = id,
        .org_id = org_id,
        .org_kind = org->kind,
        .org_name = org->name,
    };
out:
    free(generated); /* NULL: the password was given */
    return ret;
}

static int step_users(struct demo_ctx *c, struct err_ctx *e)
{
    int ret = 0;
    for (size_t i = 0; i < ARRAY_LEN(fixed_users); i++) {
        const struct user_spec *u = &fixed_users[i];
        int64_t org_id = 0;
        switch (u->at) {
        case AT_REGION:
            org_id = c->region_id;
            break;
        case AT_GEMEENTE:
            org_id = org_id_by_name(c, u->gemeente);
            break;
        case AT_PROVIDER:
            org_id = c->nproviders > 0 ? c->provider_ids[0] : 0;
            break;
        case AT_TOEZICHT:
            org_id = c->toezicht_id;
            break;
        case AT_TOEGANG: {
            const char *team = arena_printf(c->a, DEMO_TOEGANG_PREFIX "%s", u->gemeente);
            org_id = team ? org_id_by_name(c, team) : 0;
            break;
        }
        }
        if ((ret = create_user(c, u->login, u->display, u->roles, org_id, e)))
            goto out;
    }
    /* Every gemeente gets a policy advisor: results are owned per gemeente and need one. */
    for (int g = 0; g < DEMO_GEMEENTE_COUNT; g++) {
        char *s = slug(c->a, demo_gemeente_names[g]);
        char *login = s ? arena_printf(c->a, BELEID_LOGIN_PREFIX "%s", s) : NULL;
        if (!login) {
            ret = ERR_NOMEM;
            goto out;
        }
        if (user_by_login(c, login))
            continue;
        if ((ret = create_user(c, login, BELEID_DISPLAY, ROLE_BELEID, c->gemeente_ids[g], e)))
            goto out;
    }
out:
    return ret;
}

/* ---- Step 3: societal results. --------------------------------------------------------------- */

/* The policy advisor of an organisation, acting as in a real session (policy: beleid of owner). */
static int beleid_actor(const struct demo_ctx *c, int64_t org_id, struct actor *out,
                        struct err_ctx *e)
{
    for (int i = 0; i < c->nusers; i++) {
        const struct demo_user *u = &c->users[i];
        if (u->org_id != org_id || !(u->roles & ROLE_BELEID))
            continue;
        memset(out, 0, sizeof *out);
        out->user_id = u->id;
        out->org_id = u->org_id;
        out->org_kind = u->org_kind;
        out->roles = u->roles;
        out->region_ids[0] = c->region_id;
        out->nregions = 1;
        out->display_name = u->display_name;
        return 0;
    }
    return err_set(e, ERR_INTERNAL, NULL, "no demo policy advisor for organisation %" PRId64,
                   org_id);
}

/*
 * Picks k different texts from a pool of n, in random order. With `lead_theme` set, the first
 * pick is moved to a text of that theme, so every gemeente of a youth region has a youth result.
 */
static void pick(struct rng *r, size_t n, size_t k, const struct demo_result_text *pool,
                 int lead_theme, size_t *out)
{
    size_t idx[DEMO_MAX_RESULT_POOL];
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
        size_t j = (size_t)rng_below(r, i + 1);
        size_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    for (size_t i = 0; lead_theme && i < n; i++) {
        if ((int)pool[idx[i]].theme == lead_theme) {
            size_t t = idx[0];
            idx[0] = idx[i];
            idx[i] = t;
            break;
        }
    }
    for (size_t i = 0; i < k; i++)
        out[i] = idx[i];
}

static int create_results(struct demo_ctx *c, int64_t owner_id, const char *owner_name,
                          const struct demo_result_text *pool, size_t n, size_t min_k,
                          int start_year, int lead_theme, int *count, struct err_ctx *e)
{
    size_t chosen[DEMO_MAX_RESULT_POOL];
    struct actor who;
    int ret;
    if (NEVER(n > DEMO_MAX_RESULT_POOL || n < min_k + 1)) {
        ret = err_set(e, ERR_INTERNAL, NULL, "demo result pool too small or too large");
        goto out;
    }
    if ((ret = beleid_actor(c, owner_id, &who, e)))
        goto out;
    size_t k = min_k + (size_t)rng_below(&c->rng, 2);
    pick(&c->rng, n, k, pool, lead_theme, chosen);
    for (size_t i = 0; i < k; i++) {
        const struct demo_result_text *t = &pool[chosen[i]];
        char *title = expand(c->a, t->title, owner_name);
        char *desc = expand(c->a, t->description, owner_name);
        if (!title || !desc) {
            ret = ERR_NOMEM;
            goto out;
        }
        /* Most results run for the four-year plan period; some name a farther horizon. */
        int end_year = rng_below(&c->rng, 4) == 0 ? 2030 : start_year + 3;
        struct result_input in = {
            .owner_org_id = owner_id,
            .theme = (int)t->theme,
            .title = title,
            .description = desc,
            .start_year = start_year,
            .end_year = end_year,
        };
        int64_t id = 0;
        if ((ret = result_create(c->s, &who, &in, &id, e))) {
            ret = fail(e, ret, "result", title);
            goto out;
        }
        (*count)++;
    }
out:
    return ret;
}

static int step_results(struct demo_ctx *c, struct err_ctx *e)
{
    int ret = 0;
    for (int g = 0; g < DEMO_GEMEENTE_COUNT; g++) {
        /* Each gemeente's plan period starts in its own year (2023-2025), as in practice. */
        int start = 2023 + (int)rng_below(&c->rng, 3);
        ret = create_results(c, c->gemeente_ids[g], demo_gemeente_names[g], demo_gemeente_results,
                             demo_gemeente_result_count, 3, start, THEME_OPGROEIEN,
                             &c->nresults_gemeente, e);
        if (ret)
            goto out;
    }
    int start = 2023 + (int)rng_below(&c->rng, 2);
    ret = create_results(c, c->region_id, DEMO_REGION_SHORT, demo_region_results,
                         demo_region_result_count, 2, start, 0, &c->nresults_region, e);
out:
    return ret;
}

/* ---- Driver. --------------------------------------------------------------------------------- */

/* Later issues append their generators here; each step sees everything earlier steps made. */
static const struct demo_step steps[] = {
    {DEMO_ORGS_STEP, step_orgs},
    {"gebruikers", step_users},
    {"resultaten", step_results},
};

static int count_kind(const struct demo_ctx *c, enum org_kind k)
{
    int n = 0;
    for (int i = 0; i < c->norgs; i++)
        n += c->orgs[i].kind == k;
    return n;
}

static const char *roles_text(struct arena *a, uint32_t roles)
{
    const char *s = "";
    for (int i = 0; i < ROLE_COUNT; i++)
        if (roles & (uint32_t)role_at(i))
            s = arena_printf(a, "%s%s%s", s ? s : "", s && *s ? "," : "", role_code(role_at(i)));
    return s ? s : "?";
}

/* The summary for `duiding demo`: counts and the login table (CLI text, hence English). */
static void write_summary(const struct demo_ctx *c, FILE *out)
{
    fprintf(out,
            "Demo region \"%s\" created (seed %" PRIu64 "):\n"
            "  organisations %d: 1 region, %d gemeenten, %d toegang teams, %d aanbieders, "
            "%d toezichthouder\n"
            "  users         %d\n"
            "  results       %d: %d of gemeenten, %d region-wide\n\n",
            DEMO_REGION_NAME, c->seed, c->norgs, count_kind(c, ORG_GEMEENTE),
            count_kind(c, ORG_TOEGANG), count_kind(c, ORG_AANBIEDER),
            count_kind(c, ORG_TOEZICHTHOUDER), c->nusers, c->nresults_gemeente + c->nresults_region,
            c->nresults_gemeente, c->nresults_region);
    fprintf(out, "Demo logins (password for every account: %s):\n", DEMO_PASSWORD);
    fprintf(out, "  %-24s %-13s %s\n", "login", "role", "organisation");
    for (int i = 0; i < c->nusers; i++)
        fprintf(out, "  %-24s %-13s %s\n", c->users[i].login, roles_text(c->a, c->users[i].roles),
                c->users[i].org_name);
}

int demo_generate(struct store *s, uint64_t seed, FILE *out, struct err_ctx *e)
{
    struct err_ctx local = {0};
    struct demo_ctx *c = xcalloc(1, sizeof *c);
    struct org *existing = NULL;
    int n = 0, total = 0;
    int ret;
    if (!e)
        e = &local;
    c->s = s;
    c->a = arena_new(0);
    c->seed = seed;
    c->admin.user_id = DEMO_ACTOR_ID;
    c->admin.roles = ROLE_BEHEERDER;
    c->admin.org_kind = ORG_REGION;
    c->admin.display_name = "demo";

    /* Demo data mixed into a real deployment would be indistinguishable from it: refuse. */
    struct org_filter f = {.include_archived = true, .limit = 1};
    if ((ret = org_list(c->a, s, &c->admin, &f, &existing, &n, &total)))
        goto out;
    if (total > 0) {
        ret = err_set(e, ERR_CONFLICT, NULL,
                      "the database already holds organisations; use a fresh data directory");
        goto out;
    }

    for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
        /* One PRNG stream per step, derived from seed and step name: a step that later draws
         * more numbers (or a new step) leaves the data of all other steps unchanged. */
        rng_seed(&c->rng, seed ^ rng_hash_name(steps[i].name));
        err_clear(e);
        if ((ret = steps[i].run(c, e))) {
            char why[ERR_MSG_MAX];
            memcpy(why, e->msg, sizeof why);
            why[sizeof why - 1] = '\0';
            err_set(e, ret, e->field, "demo step %s: %s", steps[i].name,
                    why[0] ? why : err_name(ret));
            goto out;
        }
    }
    if (out)
        write_summary(c, out);
out:
    arena_free(c->a);
    free(c);
    return ret;
}
