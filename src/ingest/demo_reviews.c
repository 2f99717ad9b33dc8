/*
 * demo_reviews.c: the demo's provider verification (demo_reviews.h). Everything goes through
 * the domain functions with the validation and policy of real use: the region sets the guiding
 * principles and links criteria to outcome indicators; every demo aanbieder gets an admission
 * (most decided toegelaten, one voorwaardelijk, the last still ingediend) with
 * self-declarations and views of the contract manager, toegang, back office and supervisor
 * that differ by more than a step for two aanbieders (one supervisor view is not shared); two
 * aanbieders get a periodic review in concept; a calamity and a supervisor measure are recorded
 * on one aanbieder with an event-driven review. Acting users are the fixed demo logins where
 * they exist (so pages show their names), else an actor of the right organisation and role.
 */
#include "ingest/demo_reviews.h"
#include "core/common.h"
#include "core/rng.h"
#include "core/str.h"
#include "domain/auth.h"
#include "domain/demo_data.h"
#include "domain/framework.h"
#include "domain/org.h"
#include "domain/provider_event.h"
#include "domain/review.h"
#include "domain/user.h"
#include "store/indicator_store.h"
#include <time.h>

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "demo"};

#define MAX_PROVIDERS 12

struct ctx {
    struct arena *a;
    struct store *s;
    struct err_ctx *e;
    int64_t region, fw;
    struct actor contract, beleid, toegang, backoffice, toezicht;
    struct actor provider[MAX_PROVIDERS];
    int64_t provider_id[MAX_PROVIDERS];
    const char *provider_name[MAX_PROVIDERS];
    int nproviders;
    int reviews, views, events;
};

static const char principles[] =
    "De cliënt en zijn netwerk staan centraal: wij werken aan de doelen van de cliënt, niet aan "
    "producten.\n"
    "Wij leveren gegevens één keer aan en gebruiken de berichten van het berichtenverkeer.\n"
    "Wij werken samen met het lokale team, de huisarts en andere aanbieders.\n"
    "Wij leren van wat goed en wat fout gaat en bespreken dat open met de gemeente.";

/* The first organisation of a kind whose name contains q (NULL: any). */
static int find_org(struct ctx *c, enum org_kind kind, const char *q, int64_t *id)
{
    struct org *orgs = NULL;
    int n = 0, total = 0;
    struct org_filter f = {.kind = kind, .q = q, .limit = ORG_LIST_MAX};
    int rc = org_list(c->a, c->s, &admin, &f, &orgs, &n, &total);
    if (rc || n == 0)
        return err_set(c->e, rc ? rc : ERR_NOT_FOUND, NULL, "demo toetsing: organisation %s",
                       q ? q : "?");
    *id = orgs[0].id;
    return 0;
}

/* The actor of a demo login, or `fallback` when the login does not exist. */
static struct actor login_actor(struct ctx *c, const char *login, struct actor fallback)
{
    struct user *users = NULL;
    int n = 0, total = 0;
    struct user_filter f = {.q = login, .limit = 20};
    struct actor out;
    if (user_list(c->a, c->s, &admin, &f, &users, &n, &total) == 0)
        for (int i = 0; i < n; i++)
            if (strcmp(users[i].login, login) == 0 &&
                auth_actor_for_user(c->a, c->s, users[i].id, &out) == 0)
                return out;
    return fallback;
}

static int setup(struct ctx *c)
{
    int rc;
    int64_t toegang_org = 0, toezicht_org = 0;
    if ((rc = find_org(c, ORG_REGION, DEMO_REGION_NAME, &c->region)) ||
        (rc = find_org(c, ORG_TOEGANG, "Emmen", &toegang_org)) ||
        (rc = find_org(c, ORG_TOEZICHTHOUDER, NULL, &toezicht_org)))
        return rc;
    struct framework *fws = NULL;
    int nf = 0;
    if ((rc = framework_list(c->a, c->s, &admin, c->region, &fws, &nf)) || nf == 0)
        return err_set(c->e, rc ? rc : ERR_NOT_FOUND, NULL,
                       "demo toetsing: the region has no framework");
    c->fw = fws[0].id;
    struct actor base = {.user_id = -1,
                         .org_id = c->region,
                         .org_kind = ORG_REGION,
                         .region_ids = {c->region},
                         .nregions = 1,
                         .display_name = "demo"};
    struct actor contract = base, beleid = base, backoffice = base;
    contract.roles = ROLE_CONTRACT;
    beleid.roles = ROLE_BELEID;
    backoffice.roles = ROLE_BACKOFFICE;
    struct actor toegang = base, toezicht = base;
    toegang.org_id = toegang_org;
    toegang.org_kind = ORG_TOEGANG;
    toegang.roles = ROLE_PROFESSIONAL;
    toezicht.org_id = toezicht_org;
    toezicht.org_kind = ORG_TOEZICHTHOUDER;
    toezicht.roles = ROLE_TOEZICHT;
    toezicht.nregions = 0;
    c->contract = login_actor(c, "contract.regio", contract);
    c->beleid = login_actor(c, "beleid.regio", beleid);
    c->backoffice = login_actor(c, "backoffice.regio", backoffice);
    c->toegang = login_actor(c, "toegang.emmen", toegang);
    c->toezicht = login_actor(c, "toezicht.ggd", toezicht);

    struct org *orgs = NULL;
    int n = 0, total = 0;
    struct org_filter f = {.kind = ORG_AANBIEDER, .limit = ORG_LIST_MAX};
    if ((rc = org_list(c->a, c->s, &admin, &f, &orgs, &n, &total)))
        return rc;
    struct actor kwal = login_actor(c, "kwaliteit.aanbieder", (struct actor){0});
    for (int i = 0; i < n && c->nproviders < MAX_PROVIDERS; i++) {
        if (orgs[i].archived)
            continue;
        int k = c->nproviders++;
        c->provider_id[k] = orgs[i].id;
        c->provider_name[k] = orgs[i].name;
        c->provider[k] = (struct actor){.user_id = -1,
                                        .org_id = orgs[i].id,
                                        .org_kind = ORG_AANBIEDER,
                                        .roles = ROLE_KWALITEIT,
                                        .display_name = "demo"};
        if (kwal.user_id > 0 && kwal.org_id == orgs[i].id)
            c->provider[k] = kwal;
    }
    if (c->nproviders == 0)
        return err_set(c->e, ERR_NOT_FOUND, NULL, "demo toetsing: no aanbieders");
    return 0;
}

static int fail(struct ctx *c, int rc, const char *what)
{
    if (rc && c->e && !c->e->msg[0])
        err_set(c->e, rc, NULL, "demo toetsing: %s", what);
    else if (rc && c->e) {
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", c->e->msg);
        err_set(c->e, rc, c->e->field, "demo toetsing: %s: %s", what, msg);
    }
    return rc;
}

static int64_t version_of(struct ctx *c, int64_t id)
{
    struct review r;
    return review_get(c->a, c->s, &c->contract, id, &r) == 0 ? r.version : 0;
}

static int links(struct ctx *c)
{
    static const struct {
        const char *crit, *ind;
    } map[] = {
        {"K1.3", "jw_tevredenheid"},
        {"K4.2", "jw_doelrealisatie"},
        {"K4.3", "jw_uitval"},
        {"K4.3", "jw_volgens_plan"},
        {"K4.4", "jw_zonder_hulp_verder"},
        {"K4.5", "jw_doelrealisatie"},
        {"K5.2", "wachttijd"},
        {"K5.4", "jw_geen_nieuwe_start_6m"},
    };
    struct criterion *cs = NULL;
    int n = 0;
    int rc = framework_criteria(c->a, c->s, &admin, c->fw, false, &cs, &n);
    if (rc)
        return rc;
    for (size_t m = 0; m < ARRAY_LEN(map); m++) {
        struct indicator_row ind;
        if (indicator_store_find(c->a, store_reader(c->s), 0, map[m].ind, &ind) != 0)
            continue; /* an indicator set without it: no link */
        for (int i = 0; i < n; i++)
            if (strcmp(cs[i].code, map[m].crit) == 0 &&
                (rc = review_link_indicator(c->s, &c->beleid, cs[i].id, ind.id, true, c->e)))
                return fail(c, rc, "indicator link");
    }
    return review_set_principles(c->s, &c->beleid, c->fw, principles, c->e);
}

/* The demo's own verdict of criterion code for provider p, from a seeded generator: most
 * criteria are met, some partly. */
static enum review_verdict self_verdict(struct rng *rng, const char *code)
{
    (void)code;
    uint64_t r = rng_below(rng, 10);
    return r < 7 ? VERDICT_VOLDOET : VERDICT_DEELS;
}

static int make_review(struct ctx *c, int p, enum review_kind kind, day_t from, day_t to,
                       int64_t event, int64_t *id)
{
    struct review_input in = {.framework_id = c->fw,
                              .owner_org_id = c->region,
                              .aanbieder_id = c->provider_id[p],
                              .kind = (int)kind,
                              .provider_event_id = event,
                              .period_from = from,
                              .period_to = to,
                              .laws = FW_LAW_ALL};
    int rc = review_create(c->s, &c->contract, &in, id, c->e);
    if (!rc)
        c->reviews++;
    return fail(c, rc, "review");
}

/* Self-declarations for the first `upto` items (all when upto < 0); submits when asked. */
static int declare(struct ctx *c, int p, int64_t id, struct rng *rng, int upto, bool submit)
{
    struct review_item *items = NULL;
    int n = 0;
    const struct actor *who = &c->provider[p];
    int rc = review_items(c->a, c->s, who, id, &items, &n);
    for (int i = 0; !rc && i < n && (upto < 0 || i < upto); i++) {
        const char *text = arena_printf(
            c->a,
            "%s werkt hieraan volgens het eigen kwaliteitshandboek (hoofdstuk %d). Het bewijs "
            "staat bij de bewijsstukken; in het gesprek lichten wij de werkwijze toe.",
            c->provider_name[p], i / 5 + 1);
        rc = review_set_item(c->s, who, id, version_of(c, id), items[i].criterion_id, true, NULL,
                             text, (int)self_verdict(rng, items[i].code), c->e);
    }
    if (!rc && submit) {
        rc = review_accept_principles(c->s, who, id, version_of(c, id), c->e);
        if (!rc)
            rc = review_submit(c->s, who, id, version_of(c, id), c->e);
    }
    return fail(c, rc, "self-declaration");
}

static int view(struct ctx *c, const struct actor *who, int64_t id, int64_t crit, unsigned vp,
                enum review_verdict v, bool shared, const char *reason)
{
    struct review_view_input in = {.criterion_id = crit,
                                   .viewpoint = vp,
                                   .verdict = (int)v,
                                   .reason = reason,
                                   .method = vp == VIEWPOINT_CONTRACTMANAGER ? METHOD_GESPREK
                                                                             : METHOD_DOCUMENT,
                                   .shared = shared};
    int rc = review_set_view(c->s, who, id, version_of(c, id), &in, c->e);
    if (!rc)
        c->views++;
    return fail(c, rc, "view");
}

/* The views of the other viewpoints on an admission. differ: plant differences of more than
 * one step; hide: one supervisor view not shared. */
static int views(struct ctx *c, int64_t id, struct rng *rng, bool differ, bool hide)
{
    struct review_item *items = NULL;
    struct review_view *own = NULL;
    int n = 0, nown = 0;
    int rc = review_items(c->a, c->s, &c->contract, id, &items, &n);
    if (!rc)
        rc = review_views(c->a, c->s, &c->contract, id, &own, &nown);
    for (int i = 0; !rc && i < n; i++) {
        const char *code = items[i].code;
        enum review_verdict self = VERDICT_VOLDOET;
        for (int k = 0; k < nown; k++)
            if (own[k].criterion_id == items[i].criterion_id &&
                own[k].viewpoint == VIEWPOINT_AANBIEDER)
                self = own[k].verdict;
        /* The contract manager mostly agrees, and is sometimes a step stricter. */
        enum review_verdict cm = self;
        if (rng_below(rng, 6) == 0 && cm == VERDICT_VOLDOET)
            cm = VERDICT_DEELS;
        rc = view(c, &c->contract, id, items[i].criterion_id, VIEWPOINT_CONTRACTMANAGER, cm, true,
                  cm == VERDICT_VOLDOET ? "" : "In het gesprek bleek dit nog niet overal zo.");
        if (rc)
            break;
        bool theme5 = strncmp(code, "K5.", 3) == 0, theme1 = strncmp(code, "K1.", 3) == 0;
        bool theme2 = strncmp(code, "K2.", 3) == 0, theme7 = strncmp(code, "K7.", 3) == 0;
        if (theme5 || theme1) {
            enum review_verdict tg = cm;
            if (differ && (strcmp(code, "K5.2") == 0 || strcmp(code, "K1.2") == 0))
                tg = VERDICT_NOG_NIET;
            rc = view(c, &c->toegang, id, items[i].criterion_id, VIEWPOINT_TOEGANG, tg, true,
                      tg == VERDICT_VOLDOET ? ""
                                            : "Het lokale team ziet dat de hulp vaak later start "
                                              "en dat plannen niet samen worden besproken.");
        } else if (theme7) {
            enum review_verdict bo = cm;
            if (differ && strcmp(code, "K7.4") == 0)
                bo = VERDICT_NOG_NIET;
            rc = view(c, &c->backoffice, id, items[i].criterion_id, VIEWPOINT_BACKOFFICE, bo, true,
                      bo == VERDICT_VOLDOET ? ""
                                            : "Start- en stopberichten komen vaak te laat of "
                                              "ontbreken.");
        } else if (theme2) {
            enum review_verdict tz = cm;
            bool unshared = hide && strcmp(code, "K2.2") == 0;
            if (unshared)
                tz = VERDICT_NOG_NIET;
            rc = view(c, &c->toezicht, id, items[i].criterion_id, VIEWPOINT_TOEZICHTHOUDER, tz,
                      !unshared,
                      tz == VERDICT_VOLDOET ? ""
                                            : "Lopend onderzoek naar de meldingen; nog niet "
                                              "gedeeld met de aanbieder.");
        }
    }
    return rc;
}

static int decide(struct ctx *c, int64_t id, enum review_decision d, const char *reason)
{
    char on[11];
    day_format_iso(day_today() - 30, on);
    int rc = review_set_conversation(c->s, &c->contract, id, version_of(c, id), on,
                                     "Zelfverklaring en oordelen besproken "
                                     "met de aanbieder; afspraken zijn "
                                     "vastgelegd als verbeterpunten.",
                                     c->e);
    if (!rc)
        rc = review_decide(c->s, &c->contract, id, version_of(c, id), (int)d, reason, c->e);
    return fail(c, rc, "decision");
}

int demo_reviews_generate(struct store *s, uint64_t seed, struct demo_reviews_summary *out,
                          struct err_ctx *e)
{
    struct ctx c = {.a = arena_new(0), .s = s, .e = e};
    struct rng rng;
    rng_seed(&rng, seed ^ 0x7265766965770001ull);
    int rc;
    out->line[0] = '\0';
    if (!c.a)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    if ((rc = setup(&c)) || (rc = links(&c)))
        goto done;
    day_t today = day_today();
    int last = c.nproviders - 1;
    for (int p = 0; p < c.nproviders; p++) {
        int64_t id = 0;
        if ((rc = make_review(&c, p, REVIEW_TOELATING, today - 400, today - 35, 0, &id)) ||
            (rc = declare(&c, p, id, &rng, -1, true)))
            goto done;
        if (p == last && c.nproviders > 1)
            continue; /* still ingediend: waiting for the views */
        if ((rc = views(&c, id, &rng, p < 2, p == 0)))
            goto done;
        if (p == 1)
            rc = decide(&c, id, DECISION_VOORWAARDELIJK,
                        "Toegelaten onder voorwaarde dat de hulp binnen vier weken start en de "
                        "plannen samen met het lokale team worden besproken; evaluatie over een "
                        "half jaar.");
        else
            rc = decide(&c, id, DECISION_TOEGELATEN, "");
        if (rc)
            goto done;
    }
    /* Periodic reviews in concept, partly filled in. */
    for (int p = 0; p < c.nproviders && p < 3; p += 2) {
        int64_t id = 0;
        if ((rc = make_review(&c, p, REVIEW_PERIODIEK, today - 34, today + 330, 0, &id)) ||
            (rc = declare(&c, p, id, &rng, 10, false)))
            goto done;
    }
    /* A calamity and a supervisor measure on one aanbieder, with an event-driven review. */
    int q = c.nproviders > 1 ? 1 : 0;
    struct provider_event_input cal = {
        .aanbieder_id = c.provider_id[q],
        .kind = PEV_CALAMITEIT,
        .on_date = today - 20,
        .description = "Calamiteit gemeld bij de gemeente: een jongere raakte gewond op een "
                       "groepslocatie. De aanbieder onderzoekt de oorzaak en meldt de uitkomst.",
    };
    struct provider_event_input measure = {
        .aanbieder_id = c.provider_id[q],
        .kind = PEV_MAATREGEL,
        .on_date = today - 12,
        .description = "De toezichthouder heeft een aanwijzing gegeven over het tijdig melden "
                       "van calamiteiten en de opvolging ervan.",
    };
    int64_t ev = 0, ev2 = 0, rid = 0;
    if ((rc = fail(&c, provider_event_create(s, &c.contract, &cal, &ev, e), "event")) ||
        (rc = fail(&c, provider_event_create(s, &c.toezicht, &measure, &ev2, e), "event")))
        goto done;
    c.events = 2;
    if ((rc = make_review(&c, q, REVIEW_GEBEURTENIS, today - 20, today + 70, ev, &rid)))
        goto done;
    {
        /* Declared and submitted for the Veiligheid theme; the contract manager judges it. */
        struct review_item *items = NULL;
        int n = 0;
        if ((rc = review_items(c.a, s, &c.provider[q], rid, &items, &n)))
            goto done;
        for (int i = 0; i < n && !rc; i++) {
            bool safety = strncmp(items[i].code, "K2.", 3) == 0;
            rc = review_set_item(
                s, &c.provider[q], rid, version_of(&c, rid), items[i].criterion_id, true, NULL,
                safety ? "Na de calamiteit is de werkwijze aangepast: iedere melding wordt binnen "
                         "drie werkdagen gedaan en in het team nabesproken."
                       : "Ongewijzigd sinds de toelating.",
                safety ? VERDICT_DEELS : VERDICT_VOLDOET, e);
        }
        if (!rc)
            rc = review_accept_principles(s, &c.provider[q], rid, version_of(&c, rid), e);
        if (!rc)
            rc = review_submit(s, &c.provider[q], rid, version_of(&c, rid), e);
        for (int i = 0; i < n && !rc; i++)
            if (strncmp(items[i].code, "K2.", 3) == 0)
                rc = view(&c, &c.contract, rid, items[i].criterion_id, VIEWPOINT_CONTRACTMANAGER,
                          VERDICT_NOG_NIET, true,
                          "De melding kwam pas na twee weken binnen; de nieuwe werkwijze moet "
                          "zich nog bewijzen.");
        if ((rc = fail(&c, rc, "event-driven review")))
            goto done;
    }
    snprintf(out->line, sizeof out->line,
             "Toetsing: %d reviews of %d aanbieders (%d views from five viewpoints), %d provider "
             "events",
             c.reviews, c.nproviders, c.views, c.events);
done:
    arena_free(c.a);
    return rc;
}
