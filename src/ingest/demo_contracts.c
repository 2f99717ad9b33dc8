/*
 * demo_contracts.c: the demo's contracts (demo_contracts.h). The region contracts each demo
 * aanbieder of youth care (Jeugdwet, output-based) and Emmen one Wmo aanbieder; each contract
 * gets outcome agreements on two or three indicators of the standard set. Claims for January
 * 2025 up to the demo's reference date are written as real JW323/WMO323 messages (one per
 * aanbieder, gemeente and month, valid against the shipped XSDs) and brought in through the
 * real intake pipeline (import_run), so spend and projection are computed from stored claims.
 * The first contract's claims run above its omzetplafond so the warning shows.
 */
#include "ingest/demo_contracts.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/rng.h"
#include "domain/contract.h"
#include "domain/demo_data.h"
#include "domain/org.h"
#include "domain/user.h"
#include "domain/auth.h"
#include "ingest/demo_intake.h"
#include "ingest/pipeline.h"
#include "ingest/pseudonym.h"
#include "store/intake_store.h"
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CONTRACTS      8
#define MAX_JW_CONTRACTS   6
#define CLAIM_FIRST_YEAR   2025
#define CLIENTS_PER_MSG    12
#define MAX_GEMEENTEN_USED 3

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "demo"};

struct plan {
    int64_t aanbieder_id;
    const char *aanbieder_name, *agb;
    enum law law;
    int64_t owner_id;
    const char *gemeenten[MAX_GEMEENTEN_USED]; /* "0114" */
    int ngemeenten;
    int64_t budget, cap; /* cents per year */
    double spend_factor; /* yearly claims as a share of the budget */
    int64_t contract_id;
};

/* A BSN that passes the elfproef and is no test BSN (those are left out of the figures). */
static void make_bsn(struct rng *r, char out[10])
{
    for (;;) {
        int d[9], s = 0;
        d[0] = 1 + (int)rng_below(r, 8);
        for (int i = 1; i < 8; i++)
            d[i] = (int)rng_below(r, 10);
        for (int i = 0; i < 8; i++)
            s += d[i] * (9 - i);
        d[8] = s % 11;
        if (d[8] == 10)
            continue;
        for (int i = 0; i < 9; i++)
            out[i] = (char)('0' + d[i]);
        out[9] = '\0';
        return;
    }
}

/* Appends fmt to b with '@' replaced by the message prefix and '#' by the basisschema prefix
 * (no value written here contains either). */
static void emit(struct buf *b, const char *pre, const char *base, const char *fmt, ...)
    ATTR_PRINTF(4, 5);

static void emit(struct buf *b, const char *pre, const char *base, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    for (const char *c = tmp; *c; c++) {
        if (*c == '@')
            buf_append_str(b, pre);
        else if (*c == '#')
            buf_append_str(b, base);
        else
            buf_append_char(b, *c);
    }
}

/* One 323 message: CLIENTS_PER_MSG clients with one line each, amounts adding to the total. */
static int write_323(const char *dir, const struct plan *p, int pi, int gi, const char *gem,
                     int year, int month, int64_t month_cents, struct rng *r, int *files,
                     struct err_ctx *e)
{
    const bool wmo = p->law == LAW_WMO;
    const char *pre = wmo ? "wmo323" : "jw323", *base = wmo ? "iwmo" : "ijw";
    const char *cat = wmo ? "02" : "45", *code = wmo ? "02A01" : "45A01";
    int ny = month == 12 ? year + 1 : year, nm = month == 12 ? 1 : month + 1;
    int last = day_from_ymd(ny, nm, 1) - day_from_ymd(year, month, 1);
    /* Whole hours at a tariff of 85.00 euro (JW) or 62.50 (Wmo). */
    int64_t tariff = wmo ? 6250 : 8500;
    int64_t hours_total = month_cents / tariff;
    if (hours_total < CLIENTS_PER_MSG)
        hours_total = CLIENTS_PER_MSG;
    int64_t hours[CLIENTS_PER_MSG], sum = 0;
    for (int i = 0; i < CLIENTS_PER_MSG; i++)
        hours[i] = hours_total / CLIENTS_PER_MSG;
    hours[0] += hours_total % CLIENTS_PER_MSG;
    for (int i = 0; i < CLIENTS_PER_MSG; i++)
        sum += hours[i] * tariff;
    char ident[32]; /* LDT_IdentificatieBericht: at most 12 (here 9) */
    snprintf(ident, sizeof ident, "%d%d%02d%04d", pi % 10, gi % 10, month % 100, year % 10000);
    struct buf b;
    buf_init(&b, 1u << 20);
    emit(&b, pre, base,
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<@:Bericht "
         "xmlns:#=\"http://www.istandaarden.nl/#/3_2/basisschema/schema\" "
         "xmlns:@=\"http://www.istandaarden.nl/#/3_2/@/schema\">\n");
    emit(&b, pre, base,
         "<@:Header><@:BerichtCode>%d</@:BerichtCode><@:BerichtVersie>3</@:BerichtVersie>"
         "<@:BerichtSubversie>2</@:BerichtSubversie><@:Afzender>%s</@:Afzender>"
         "<@:Ontvanger>%s</@:Ontvanger><@:BerichtIdentificatie><#:Identificatie>%s</"
         "#:Identificatie><#:Dagtekening>%04d-%02d-05</#:Dagtekening></@:BerichtIdentificatie>"
         "<@:XsdVersie><#:BasisschemaXsdVersie>1.0.0</#:BasisschemaXsdVersie>"
         "<#:BerichtXsdVersie>1.0.0</#:BerichtXsdVersie></@:XsdVersie></@:Header>\n",
         wmo ? 484 : 490, p->agb, gem, ident, ny, nm);
    emit(&b, pre, base,
         "<@:Declaratie><@:DeclaratieNummer>%s</@:DeclaratieNummer><@:DeclaratiePeriode>"
         "<#:Begindatum>%04d-%02d-01</#:Begindatum><#:Einddatum>%04d-%02d-%02d</#:Einddatum>"
         "</@:DeclaratiePeriode><@:DeclaratieDagtekening>%04d-%02d-05</@:DeclaratieDagtekening>"
         "<@:TotaalIngediendBedrag><#:TotaalBedrag>%" PRId64 "</#:TotaalBedrag>"
         "<#:DebetCredit>D</#:DebetCredit></@:TotaalIngediendBedrag><@:Clienten>\n",
         ident, year, month, year, month, last, ny, nm, sum);
    for (int i = 0; i < CLIENTS_PER_MSG; i++) {
        char bsn[10];
        make_bsn(r, bsn);
        emit(&b, pre, base,
             "<@:Client><@:Bsn>%s</@:Bsn><@:Prestaties><@:Prestatie><@:ProductReferentie>"
             "<#:ReferentieNummer>R%s%02d</#:ReferentieNummer></@:ProductReferentie>"
             "<@:ToewijzingNummer>%d</@:ToewijzingNummer><@:ProductCategorie>%s</"
             "@:ProductCategorie><@:ProductCode>%s</@:ProductCode>"
             "<@:ProductPeriode><#:Begindatum>%04d-%02d-01</#:Begindatum><#:Einddatum>"
             "%04d-%02d-%02d</#:Einddatum></@:ProductPeriode><@:GeleverdVolume>%" PRId64
             "</@:GeleverdVolume><@:Eenheid>04</@:Eenheid><@:ProductTarief>%" PRId64
             "</@:ProductTarief><@:IngediendBedrag><#:Bedrag>%" PRId64 "</#:Bedrag>"
             "<#:DebetCredit>D</#:DebetCredit></@:IngediendBedrag></@:Prestatie></@:Prestaties>"
             "</@:Client>\n",
             bsn, ident, i, 100000 + pi * 1000 + i, cat, code, year, month, year, month, last,
             hours[i], tariff, hours[i] * tariff);
    }
    emit(&b, pre, base, "</@:Clienten></@:Declaratie></@:Bericht>\n");
    char path[4096 + 64];
    snprintf(path, sizeof path, "%s/%s-%d-%s-%d-%02d.xml", dir, wmo ? "WMO323" : "JW323", pi, gem,
             year, month);
    FILE *f = fopen(path, "wb");
    bool ok = f && b.len > 0 && fwrite(buf_cstr(&b), 1, b.len, f) == b.len;
    if (f)
        ok = fclose(f) == 0 && ok;
    buf_release(&b);
    if (!ok)
        return err_set(e, ERR_IO, NULL, "cannot write %s", path);
    (*files)++;
    return 0;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        char path[4096 + 512];
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            int n = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            if (n > 0 && (size_t)n < sizeof path)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* The acting contract manager: the demo login when it exists, else a region actor. */
static struct actor actor_for(struct arena *a, struct store *s, const char *login,
                              struct actor fallback)
{
    struct user *users = NULL;
    int n = 0, total = 0;
    struct user_filter f = {.q = login, .limit = 20};
    struct actor out;
    if (user_list(a, s, &admin, &f, &users, &n, &total) == 0)
        for (int i = 0; i < n; i++)
            if (strcmp(users[i].login, login) == 0 &&
                auth_actor_for_user(a, s, users[i].id, &out) == 0)
                return out;
    return fallback;
}

static int64_t indicator_by_code(struct contract_indicator_choice *c, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(c[i].code, code) == 0)
            return c[i].id;
    return 0;
}

int demo_contracts_generate(struct store *s, const struct config *cfg, uint64_t seed,
                            struct demo_contracts_summary *out, struct err_ctx *e)
{
    out->line[0] = '\0';
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    struct rng r;
    rng_seed(&r, seed ^ 0xC0117AC7ULL);
    struct msg_schemas *schemas = NULL;
    struct pseudonymiser *ps = NULL;
    char dir[4096];
    bool made_dir = false;
    int rc = 0, ncontracts = 0, nagreements = 0, files = 0;
    struct plan plans[MAX_CONTRACTS];
    int np = 0;

    /* Organisations: the region, its gemeenten, Emmen, the demo aanbieders. */
    struct org *orgs = NULL;
    int n = 0, total = 0;
    struct org_filter rf = {.kind = ORG_REGION, .q = DEMO_REGION_NAME, .limit = 10};
    if ((rc = org_list(a, s, &admin, &rf, &orgs, &n, &total)) || n == 0) {
        rc = err_set(e, rc ? rc : ERR_NOT_FOUND, NULL, "demo contracten: no demo region");
        goto done;
    }
    int64_t region = orgs[0].id;
    char **gems = NULL;
    int ngems = 0;
    if ((rc = intake_region_gemeenten(a, store_reader(s), region, &gems, &ngems)) || ngems == 0) {
        rc = err_set(e, rc ? rc : ERR_NOT_FOUND, NULL, "demo contracten: region has no gemeenten");
        goto done;
    }
    struct org_filter gf = {.kind = ORG_GEMEENTE, .q = "Emmen", .limit = 10};
    int64_t emmen = 0;
    if (org_list(a, s, &admin, &gf, &orgs, &n, &total) == 0 && n > 0)
        emmen = orgs[0].id;
    struct contract_indicator_choice *inds = NULL;
    int ninds = 0;
    if ((rc = contract_indicator_choices(a, s, &inds, &ninds)))
        goto done;
    struct org_filter af = {.kind = ORG_AANBIEDER, .limit = ORG_LIST_MAX};
    if ((rc = org_list(a, s, &admin, &af, &orgs, &n, &total)))
        goto done;
    bool wmo_done = false;
    int njw = 0;
    for (size_t k = 0; k < demo_provider_count && np < MAX_CONTRACTS; k++) {
        const struct demo_provider *dp = &demo_providers[k];
        const struct org *o = NULL;
        for (int i = 0; i < n && !o; i++)
            if (strcmp(orgs[i].name, dp->name) == 0 && orgs[i].agb_code)
                o = &orgs[i];
        if (!o)
            continue;
        struct plan *p = &plans[np];
        memset(p, 0, sizeof *p);
        p->aanbieder_id = o->id;
        p->aanbieder_name = o->name;
        p->agb = o->agb_code;
        if (dp->law == DEMO_LAW_WMO) {
            if (wmo_done || !emmen)
                continue;
            /* (the one Wmo contract always gets a slot: see MAX_JW_CONTRACTS) */
            wmo_done = true;
            p->law = LAW_WMO;
            p->owner_id = emmen;
            p->gemeenten[p->ngemeenten++] = "0114";
            p->budget = 45000000;
            p->cap = 50000000;
            p->spend_factor = 0.92;
        } else {
            if (njw >= MAX_JW_CONTRACTS)
                continue;
            njw++;
            p->law = LAW_JW;
            p->owner_id = region;
            for (int g = 0; g < ngems && p->ngemeenten < MAX_GEMEENTEN_USED; g++)
                p->gemeenten[p->ngemeenten++] = gems[(g + np) % ngems];
            p->budget = 120000000 + (int64_t)rng_below(&r, 80) * 1000000;
            p->cap = p->budget + p->budget / 10;
            /* The first contract runs over its cap; the others between 80% and 100%. */
            p->spend_factor = np == 0 ? 1.22 : 0.8 + (double)rng_below(&r, 20) / 100.0;
        }
        np++;
    }
    if (np == 0) {
        rc = err_set(e, ERR_NOT_FOUND, NULL, "demo contracten: no demo aanbieders");
        goto done;
    }

    /* Contracts with agreements, by the region's and Emmen's contract managers. */
    /* Outcome agreements per law: indicator code of the standard set, target, comparison. */
    struct demo_agreement {
        const char *code;
        double target;
        enum agreement_comparison cmp;
    };
    static const struct demo_agreement jw_sets[][3] = {
        {{"jw_doelrealisatie", 70, AGREE_MIN},
         {"jw_uitval", 15, AGREE_MAX},
         {"jw_tevredenheid", 7.5, AGREE_MIN}},
        {{"jw_uitval", 12, AGREE_MAX}, {"jw_geen_nieuwe_start_12m", 80, AGREE_MIN}, {NULL, 0, 0}},
    };
    static const struct demo_agreement wmo_set[3] = {
        {"wmo_ceo_6", 80, AGREE_MIN}, {"wmo_ceo_8", 75, AGREE_MIN}, {NULL, 0, 0}};
    struct actor base = {.user_id = -1,
                         .org_id = region,
                         .org_kind = ORG_REGION,
                         .roles = ROLE_CONTRACT,
                         .region_ids = {region},
                         .nregions = 1,
                         .display_name = "demo"};
    struct actor regio = actor_for(a, s, "contract.regio", base);
    struct actor gem_base = base;
    gem_base.org_id = emmen;
    gem_base.org_kind = ORG_GEMEENTE;
    struct actor gem = actor_for(a, s, "contract.emmen", gem_base);
    if (gem.org_id != emmen || !(gem.roles & ROLE_CONTRACT))
        gem = gem_base;
    for (int i = 0; i < np; i++) {
        struct plan *p = &plans[i];
        struct contract_agreement ags[3];
        int na = 0;
        const struct demo_agreement *set = p->law == LAW_WMO ? wmo_set : jw_sets[i % 2];
        for (int k = 0; k < 3; k++) {
            int64_t id = set[k].code ? indicator_by_code(inds, ninds, set[k].code) : 0;
            if (id)
                ags[na++] = (struct contract_agreement){.indicator_id = id,
                                                        .target = set[k].target,
                                                        .comparison = set[k].cmp,
                                                        .note = ""};
        }
        const char *gcodes[MAX_GEMEENTEN_USED];
        for (int g = 0; g < p->ngemeenten; g++)
            gcodes[g] = p->gemeenten[g];
        struct contract_input in = {
            .name = arena_printf(a, "%s 2025-2026 – %s",
                                 p->law == LAW_WMO ? "Wmo-begeleiding Emmen" : "Jeugdhulp regio",
                                 p->aanbieder_name),
            .aanbieder_id = p->aanbieder_id,
            .owner_org_id = p->owner_id,
            .law = p->law,
            .variant = p->law == LAW_WMO ? CONTRACT_INSPANNINGSGERICHT : CONTRACT_OUTPUTGERICHT,
            .valid_from = day_from_ymd(CLAIM_FIRST_YEAR, 1, 1),
            .valid_to = day_from_ymd(2026, 12, 31),
            .budget_cents = p->budget,
            .cap_cents = p->cap,
            .note = "",
            .gemeenten = gcodes,
            .ngemeenten = p->ngemeenten,
            .agreements = ags,
            .nagreements = na,
        };
        rc = contract_create(s, p->law == LAW_WMO ? &gem : &regio, &in, &p->contract_id, a, e);
        if (rc) {
            rc = err_set(e, rc, e->field, "demo contract %s: %s", in.name,
                         e->msg[0] ? e->msg : err_name(rc));
            goto done;
        }
        ncontracts++;
        nagreements += na;
    }

    /* Claims as 323 messages, January 2025 up to the month before the reference date. */
    int n_dir = snprintf(dir, sizeof dir, "%s/demo-claims-XXXXXX", cfg->data_dir);
    if (n_dir < 0 || (size_t)n_dir >= sizeof dir || !mkdtemp(dir)) {
        rc = err_set(e, ERR_IO, NULL, "cannot create a temporary folder in %s", cfg->data_dir);
        goto done;
    }
    made_dir = true;
    for (int i = 0; i < np; i++) {
        const struct plan *p = &plans[i];
        for (int y = CLAIM_FIRST_YEAR; y <= DEMO_INTAKE_END_YEAR; y++) {
            int last_month = y < DEMO_INTAKE_END_YEAR ? 12 : DEMO_INTAKE_END_MONTH - 1;
            for (int m = 1; m <= last_month; m++) {
                /* Seasonal: less in July/August and December. */
                double season = (m == 7 || m == 8) ? 0.75 : m == 12 ? 0.85 : 1.06;
                double share = (double)p->budget * p->spend_factor * season / 12.0 / p->ngemeenten;
                for (int g = 0; g < p->ngemeenten; g++)
                    if ((rc = write_323(dir, p, i, g, p->gemeenten[g], y, m, (int64_t)share, &r,
                                        &files, e)))
                        goto done;
            }
        }
    }
    if ((rc = pseudonymiser_open(cfg->key_path, &ps, e)) || (rc = msg_schemas_load(&schemas, e)))
        goto done;
    struct import_env env = {.store = s, .schemas = schemas, .pseudonymiser = ps};
    struct import_request req = {.path = dir,
                                 .display_name = "declaraties-demo",
                                 .kind = IMPORT_MESSAGES,
                                 .actor = &admin,
                                 .via = VIA_DEMO};
    struct import_report rep;
    memset(&rep, 0, sizeof rep);
    if ((rc = import_run(&env, &req, &rep, e)))
        goto done;
    if (rep.failed || rep.accepted != (uint64_t)files) {
        rc = err_set(e, ERR_INTERNAL, NULL, "demo claims: %" PRIu64 " of %d messages accepted (%s)",
                     rep.accepted, files,
                     rep.failed ? rep.error : "see the batch's rejected records");
        goto done;
    }
    snprintf(out->line, sizeof out->line,
             "Contracten: %d contracts with %d outcome agreements; %d claim messages (JW323/"
             "WMO323) imported in batch %" PRId64,
             ncontracts, nagreements, files, rep.batch_id);
done:
    if (made_dir)
        remove_dir(dir);
    msg_schemas_free(schemas);
    pseudonymiser_free(ps);
    arena_free(a);
    return rc;
}
