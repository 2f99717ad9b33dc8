/*
 * demo_survey.c: the demo's indicator material (demo_survey.h): generated answers to the Wmo
 * client-experience survey with a realistic pattern (most people agree, effect items a little
 * less, some "weet niet"), differences between gemeenten and aanbieders and a small trend, so
 * the dashboards have something to compare; then the standard indicators, a few targets and the
 * links between indicators and the demo's societal results.
 */
#include "ingest/demo_survey.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/rng.h"
#include "core/str.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "ingest/synth.h"
#include "metrics/catalog.h"
#include "store/indicator_store.h"
#include "store/result_store.h"
#include "store/survey_store.h"
#include <time.h>

#define SURVEY_STEP       "cliëntervaringsonderzoek" /* seeds this generator's own stream */
#define FULL_YEAR_MIN     300 /* responses of the smallest gemeente in a full year */
#define FULL_YEAR_SPREAD  300 /* ... the largest gets this many more */
#define SMALL_DIVISOR     10
#define NO_PROVIDER_PCT   12 /* answered about a provision without a provider (hulpmiddel) */
#define SKIP_PER_MILLE    20 /* an item left unanswered */
#define MAX_GEMEENTEN     64
#define MAX_RESULTS       256
#define NITEMS            10
#define TARGETS_FROM_YEAR 2024 /* the regional outcome agreements run 2024-2027 */

/* A Wmo provider of the demo and what people there answer about. */
struct survey_provider {
    int64_t id;
    const char *category; /* WMO020 code */
    unsigned weight;      /* relative number of clients */
    int effect;           /* agreement offset in tenths of a percent */
};

/* Sector texts of domain/demo_data.c -> the Wmo product category and relative client volume
 * (as ingest/synth.c sizes them). */
static const struct {
    const char *sector, *category;
    unsigned weight;
} wmo_sectors[] = {
    {"huishoudelijke hulp", "01", 30},
    {"thuisbegeleiding", "02", 12},
    {"begeleid wonen", "02", 6},
    {"ambulante begeleiding", "02", 10},
    {"begeleid wonen (GGZ)", "02", 6},
    {"persoonlijke verzorging in de wijk", "03", 10},
    {"dagbesteding", "07", 9},
    {"dagbesteding op de boerderij", "07", 5},
    {"dagbesteding voor ouderen", "07", 8},
    {"logeeropvang en kortdurend verblijf", "04", 4},
    {"respijtzorg en mantelzorgondersteuning", "04", 5},
    {"beschermd en begeleid wonen", "15", 5},
    {"maatschappelijk werk", "06", 10},
};

/* Provisions without a contracted provider: rolstoel, vervoer-, woonvoorziening, hulpmiddel. */
static const char *const aid_categories[] = {"11", "12", "13", "14"};

/* Per item: agreement offset (tenths of a percent) and the chance of "weet niet" (per mille).
 * Being taken seriously scores high, speed and the effect items lower: the usual pattern of
 * published CEO reports. Item 5 is ja/nee and handled apart. */
static const struct {
    int offset, dont_know;
} item_profile[NITEMS] = {
    {20, 30}, {-70, 30}, {80, 25},  {30, 35},  {0, 60},
    {40, 40}, {10, 40},  {-40, 80}, {-20, 80}, {-60, 90},
};

static double unit_random(struct rng *r)
{
    return (double)rng_below(r, 1000000) / 1e6;
}

static const struct actor demo_actor = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "demo"};

/* The demo's gemeenten (CBS code without "GM", population) and its Wmo providers. */
static int load_orgs(struct arena *a, struct store *s, uint64_t seed, struct org **gem, int *ngem,
                     struct survey_provider *prov, size_t *nprov, struct err_ctx *e)
{
    struct org_filter f = {.kind = ORG_GEMEENTE, .limit = ORG_LIST_MAX};
    int total = 0, n = 0;
    int rc = org_list(a, s, &demo_actor, &f, gem, ngem, &total);
    if (rc)
        return err_set(e, rc, NULL, "cannot list the demo gemeenten: %s", err_name(rc));
    if (*ngem == 0 || *ngem > MAX_GEMEENTEN)
        return err_set(e, ERR_INVALID, NULL, "the demo region has %d gemeenten", *ngem);

    struct synth_provider sp[SYNTH_MAX_PROVIDERS];
    struct synth_gemeente sg[SYNTH_MAX_GEMEENTEN];
    size_t nsp = 0, nsg = 0;
    if ((rc = synth_demo_region(seed, sp, &nsp, sg, &nsg, e)))
        return rc;
    struct org *aanb = NULL;
    f.kind = ORG_AANBIEDER;
    if ((rc = org_list(a, s, &demo_actor, &f, &aanb, &n, &total)))
        return err_set(e, rc, NULL, "cannot list the demo aanbieders: %s", err_name(rc));
    struct rng r;
    rng_seed(&r, seed ^ rng_hash_name(SURVEY_STEP "/aanbieders"));
    *nprov = 0;
    for (size_t i = 0; i < nsp; i++) {
        if (!(sp[i].laws & SYNTH_LAW_WMO))
            continue;
        int64_t id = 0;
        for (int j = 0; j < n && !id; j++)
            if (aanb[j].agb_code && strcmp(aanb[j].agb_code, sp[i].agb) == 0)
                id = aanb[j].id;
        if (!id)
            continue;
        struct survey_provider *p = &prov[(*nprov)++];
        p->id = id;
        p->category = "02";
        p->weight = 10;
        for (size_t k = 0; k < ARRAY_LEN(wmo_sectors); k++) {
            if (sp[i].sector && strcmp(sp[i].sector, wmo_sectors[k].sector) == 0) {
                p->category = wmo_sectors[k].category;
                p->weight = wmo_sectors[k].weight;
            }
        }
        p->effect = (int)rng_below(&r, 81) - 40; /* -4% .. +4% */
    }
    if (*nprov == 0)
        return err_set(e, ERR_INVALID, NULL, "the demo region has no Wmo aanbieders");
    return 0;
}

/* One respondent: who, about which provider, and the answers. */
static int write_response(struct db *db, struct rng *r, const char *gemeente,
                          const struct survey_provider *prov, size_t nprov, unsigned total_weight,
                          int level, int item5_level, day_t date, struct demo_survey_summary *sum)
{
    static const char *const item_codes[NITEMS] = {
        "wmo_ceo_1", "wmo_ceo_2", "wmo_ceo_3", "wmo_ceo_4", "wmo_ceo_5",
        "wmo_ceo_6", "wmo_ceo_7", "wmo_ceo_8", "wmo_ceo_9", "wmo_ceo_10"};
    struct survey_response_row row = {.gemeente = gemeente, .law = 2, .response_date = date};
    int effect = 0;
    if (rng_below(r, 100) < NO_PROVIDER_PCT) {
        row.category = aid_categories[rng_below(r, ARRAY_LEN(aid_categories))];
    } else {
        uint64_t w = rng_below(r, total_weight);
        size_t k = 0;
        while (k + 1 < nprov && w >= prov[k].weight)
            w -= prov[k++].weight;
        row.aanbieder_id = prov[k].id;
        row.category = prov[k].category;
        effect = prov[k].effect;
    }
    /* Wmo clients are mostly older: 18-64 30%, 65-74 20%, 75-84 30%, 85+ 20%. */
    uint64_t band = rng_below(r, 100);
    row.age = band < 30   ? 18 + (int)rng_below(r, 47)
              : band < 50 ? 65 + (int)rng_below(r, 10)
              : band < 80 ? 75 + (int)rng_below(r, 10)
                          : 85 + (int)rng_below(r, 14);
    uint64_t g = rng_below(r, 100);
    row.gender = g < 58 ? "2" : g < 98 ? "1" : NULL;

    struct survey_answer_row ans[NITEMS];
    size_t n = 0;
    for (int i = 0; i < NITEMS; i++) {
        if (rng_below(r, 1000) < SKIP_PER_MILLE)
            continue;
        int64_t v;
        if (rng_below(r, 1000) < (uint64_t)item_profile[i].dont_know) {
            v = 0;
            sum->dont_know++;
        } else if (i == 4) {
            v = rng_below(r, 1000) < (uint64_t)item5_level ? 1 : 2; /* ja / nee */
        } else {
            int p = level + item_profile[i].offset + effect;
            p = p < 550 ? 550 : p > 950 ? 950 : p;
            if (rng_below(r, 1000) < (uint64_t)p) {
                v = unit_random(r) < 0.35 ? 5 : 4;
                sum->agree++;
            } else {
                double x = unit_random(r);
                v = x < 0.55 ? 3 : x < 0.85 ? 2 : 1;
            }
            sum->opinions++;
        }
        ans[n].item = item_codes[i];
        ans[n].value = v;
        n++;
    }
    int rc = survey_store_insert(db, &row, ans, n, NULL);
    if (!rc) {
        sum->responses++;
        sum->answers += n;
    }
    return rc;
}

int demo_survey_generate(struct store *s, uint64_t seed, enum demo_size size,
                         struct demo_survey_summary *out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org *gem = NULL;
    int ngem = 0;
    struct survey_provider prov[SYNTH_MAX_PROVIDERS];
    size_t nprov = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (!a)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    if (size == DEMO_SIZE_NONE) {
        rc = 0;
        goto done;
    }
    if ((rc = load_orgs(a, s, seed, &gem, &ngem, prov, &nprov, e)))
        goto done;
    unsigned total_weight = 0;
    for (size_t i = 0; i < nprov; i++)
        total_weight += prov[i].weight;
    int64_t pmin = INT64_MAX, pmax = 0;
    for (int i = 0; i < ngem; i++) {
        pmin = gem[i].population < pmin ? gem[i].population : pmin;
        pmax = gem[i].population > pmax ? gem[i].population : pmax;
    }

    /* The years of the demo intake: five years ending the day before DEMO_INTAKE_END. */
    day_t last = day_from_ymd(DEMO_INTAKE_END_YEAR, DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY) - 1;
    day_t first = day_from_ymd(DEMO_INTAKE_END_YEAR - SYNTH_DEFAULT_YEARS, DEMO_INTAKE_END_MONTH,
                               DEMO_INTAKE_END_DAY);
    int y0, y1, m, d;
    day_to_ymd(first, &y0, &m, &d);
    day_to_ymd(last, &y1, &m, &d);
    if (first > day_from_ymd(y0, 1, 1))
        y0++; /* only years the intake covers (nearly) whole */
    out->first_year = y0;
    out->last_year = y1;
    out->min_per_year = UINT64_MAX;

    for (int gi = 0; gi < ngem; gi++) {
        const char *cbs = gem[gi].cbs_code;
        if (!cbs || strlen(cbs) != 6) {
            rc = err_set(e, ERR_INVALID, NULL, "demo gemeente %s has no CBS code", gem[gi].name);
            goto done;
        }
        const char *code = cbs + 2; /* "GM0114" -> "0114" */
        struct rng r;
        rng_seed(&r, seed ^ rng_hash_name(SURVEY_STEP) ^ rng_hash_name(code));
        /* Agreement in tenths of a percent: a level per gemeente and a small yearly trend. */
        int level = 760 + (int)rng_below(&r, 81);
        int trend = (int)rng_below(&r, 5) * 5 - 5; /* -0.5 .. +1.5 points a year */
        int item5 = 420 + (int)rng_below(&r, 121);
        double share =
            pmax > pmin ? (double)(gem[gi].population - pmin) / (double)(pmax - pmin) : 0.5;
        struct db *db = NULL;
        if ((rc = store_write_begin(s, &db))) {
            err_set(e, rc, NULL, "cannot write survey answers: %s", err_name(rc));
            goto done;
        }
        for (int y = y0; y <= y1 && !rc; y++) {
            day_t from = day_from_ymd(y, 1, 1), to = day_from_ymd(y, 12, 31);
            bool full = to <= last;
            if (to > last)
                to = last;
            double frac = (double)(to - from + 1) / (double)(day_from_ymd(y, 12, 31) - from + 1);
            double jitter = 0.92 + 0.16 * unit_random(&r);
            double full_n = (FULL_YEAR_MIN + FULL_YEAR_SPREAD * share) * jitter;
            if (size == DEMO_SIZE_SMALL)
                full_n /= SMALL_DIVISOR;
            uint64_t count = (uint64_t)(full_n * frac + 0.5);
            if (full) {
                out->min_per_year = count < out->min_per_year ? count : out->min_per_year;
                out->max_per_year = count > out->max_per_year ? count : out->max_per_year;
            }
            int year_level = level + trend * (y - y0);
            int year_item5 = item5 + 20 * (y - y0); /* cliëntondersteuning gets better known */
            for (uint64_t k = 0; k < count && !rc; k++) {
                day_t date = from + (day_t)rng_below(&r, (uint64_t)(to - from + 1));
                rc = write_response(db, &r, code, prov, nprov, total_weight, year_level, year_item5,
                                    date, out);
            }
        }
        int end = store_write_end(s, rc == 0);
        if (rc || end) {
            rc = err_set(e, rc ? rc : end, NULL, "cannot write survey answers for %s: %s",
                         gem[gi].name, err_name(rc ? rc : end));
            goto done;
        }
    }
    if (out->min_per_year == UINT64_MAX)
        out->min_per_year = 0;
done:
    arena_free(a);
    return rc;
}

/* ---- Targets and links. --------------------------------------------------------------------- */

#define MAX_LINKS 5

/* Indicators that show progress on a result, by a distinctive part of the demo result titles
 * (domain/demo_data.c), with a fallback per theme. */
static const struct {
    const char *title_part;
    const char *codes[MAX_LINKS];
} title_links[] = {
    {"groeien veilig en gezond op",
     {"jw_zonder_hulp_verder", "jw_geen_nieuwe_start_12m", "jw_tevredenheid", "jw_bereik"}},
    {"doen mee naar vermogen", {"wmo_ceo_8", "wmo_ceo_9", "wmo_ceo_10", "wmo_bereik"}},
    {"vallen uit in de jeugdhulp",
     {"jw_uitval", "jw_eenzijdig_aanbieder", "jw_volgens_plan", "jw_doelrealisatie"}},
    {"zitten beter in hun vel",
     {"wachttijd", "jw_zonder_hulp_verder", "jw_tevredenheid", "jw_geen_nieuwe_start_6m"}},
    {"wonen langer veilig thuis", {"wmo_ceo_9", "wmo_ceo_6", "wmo_ceo_2", "wmo_bereik"}},
    {"houden het vol", {"wmo_ceo_5", "wmo_ceo_1", "wmo_ceo_10"}},
    {"ontwikkelen zich naar hun mogelijkheden",
     {"jw_volgens_plan", "jw_uitval", "jw_doelrealisatie"}},
    {"zonder huiselijk geweld",
     {"jw_geen_nieuwe_start_6m", "jw_geen_nieuwe_start_12m", "jw_volgens_plan"}},
    {"weg naar werk of opleiding",
     {"jw_zonder_hulp_verder", "jw_doelrealisatie", "jw_volgens_plan"}},
    {"ervaren dat de ondersteuning werkt",
     {"wmo_ceo_8", "wmo_ceo_9", "wmo_ceo_10", "wmo_ceo_6", "wmo_ceo_7"}},
    {"zo thuis mogelijk op", {"jw_volgens_plan", "doorlooptijd", "jw_geen_nieuwe_start_12m"}},
    {"passend, dichtbij en betaalbaar",
     {"jw_bereik", "trajecten_actief", "jw_volgens_plan", "jw_tevredenheid"}},
    {"zonder breuk volwassen", {"jw_zonder_hulp_verder", "jw_volgens_plan", "wmo_bereik"}},
    {"op tijd passende jeugd-GGZ", {"wachttijd", "doorlooptijd", "jw_uitval", "nieuwe_starts"}},
};

static const struct {
    enum result_theme theme;
    const char *codes[MAX_LINKS];
} theme_links[] = {
    {THEME_OPGROEIEN, {"jw_uitval", "jw_volgens_plan", "jw_tevredenheid", "jw_zonder_hulp_verder"}},
    {THEME_ZELFREDZAAMHEID, {"wmo_ceo_8", "wmo_ceo_9", "wmo_ceo_10"}},
    {THEME_WONEN, {"wmo_ceo_9", "wmo_ceo_6", "wmo_bereik"}},
    {THEME_MENTAAL, {"wachttijd", "jw_zonder_hulp_verder", "jw_tevredenheid"}},
    {THEME_ONDERWIJS, {"jw_volgens_plan", "jw_uitval", "jw_doelrealisatie"}},
    {THEME_VEILIGHEID, {"jw_geen_nieuwe_start_6m", "jw_geen_nieuwe_start_12m", "jw_volgens_plan"}},
    {THEME_MANTELZORG, {"wmo_ceo_5", "wmo_ceo_1", "wmo_ceo_10"}},
    {THEME_WERK, {"jw_zonder_hulp_verder", "jw_doelrealisatie", "wmo_ceo_8"}},
};

static const char *const *links_for(const struct result *res)
{
    for (size_t i = 0; i < ARRAY_LEN(title_links); i++)
        if (strstr(res->title, title_links[i].title_part))
            return title_links[i].codes;
    for (size_t i = 0; i < ARRAY_LEN(theme_links); i++)
        if (theme_links[i].theme == res->theme)
            return theme_links[i].codes;
    return theme_links[0].codes;
}

struct demo_target {
    const char *code;
    bool region;          /* else the gemeente below */
    const char *gemeente; /* CBS code without GM */
    double value;         /* in the unit of the figure (percent, grade, days) */
    const char *note;
};

static const struct demo_target demo_targets[] = {
    {"jw_uitval", true, NULL, 8.0,
     "Regionale resultaatafspraak jeugdhulp 2024-2027: hoogstens 8% uitval."},
    {"jw_tevredenheid", true, NULL, 7.5,
     "Regionale resultaatafspraak: gemiddeld minstens een 7,5 voor het nut van de hulp."},
    {"wachttijd", true, NULL, 42.0,
     "Regionale afspraak: de helft van de cliënten start binnen 6 weken na de toewijzing."},
    {"wmo_ceo_9", false, "0114", 80.0,
     "Beleidsplan sociaal domein Emmen: minstens 80% kan zich beter redden door de "
     "ondersteuning."},
};

int demo_indicator_material(struct store *s, struct demo_indicator_summary *out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    int rc;
    memset(out, 0, sizeof *out);
    if (!a)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    if ((rc = ind_catalog_ensure_standard(s, &out->installed, e)))
        goto done;

    /* The region and the gemeenten that agree the targets. */
    struct org *regions = NULL, *gem = NULL;
    int nreg = 0, ngem = 0, total = 0;
    struct org_filter f = {.kind = ORG_REGION, .limit = ORG_LIST_MAX};
    if ((rc = org_list(a, s, &demo_actor, &f, &regions, &nreg, &total)) || nreg == 0) {
        rc = err_set(e, rc ? rc : ERR_NOT_FOUND, NULL, "the demo has no region");
        goto done;
    }
    f.kind = ORG_GEMEENTE;
    if ((rc = org_list(a, s, &demo_actor, &f, &gem, &ngem, &total))) {
        rc = err_set(e, rc, NULL, "cannot list the demo gemeenten");
        goto done;
    }
    struct db *rd = store_reader(s);
    struct result_query q = {.limit = MAX_RESULTS};
    struct result *results = arena_calloc(a, MAX_RESULTS, sizeof *results);
    int nres = 0;
    if (!results) {
        rc = err_set(e, ERR_NOMEM, NULL, "out of memory");
        goto done;
    }
    if ((rc = result_store_list(a, rd, &q, results, MAX_RESULTS, &nres))) {
        rc = err_set(e, rc, NULL, "cannot list the demo results: %s", err_name(rc));
        goto done;
    }

    if ((rc = store_write_begin(s, &db))) {
        rc = err_set(e, rc, NULL, "cannot write the demo targets: %s", err_name(rc));
        goto done;
    }
    writing = true;
    for (size_t i = 0; i < ARRAY_LEN(demo_targets); i++) {
        const struct demo_target *t = &demo_targets[i];
        int64_t owner = regions[0].id;
        if (!t->region) {
            owner = 0;
            for (int g = 0; g < ngem && !owner; g++)
                if (gem[g].cbs_code && strcmp(gem[g].cbs_code + 2, t->gemeente) == 0)
                    owner = gem[g].id;
            if (!owner)
                continue; /* that gemeente is not in this demo */
        }
        struct indicator_target_row row = {
            .indicator_id = ind_catalog_standard_id(db, t->code),
            .owner_org_id = owner,
            .gemeente = t->region ? NULL : t->gemeente,
            .valid_from = day_from_ymd(TARGETS_FROM_YEAR, 1, 1),
            .valid_to = DAY_NONE,
            .value = t->value,
            .note = t->note,
        };
        if (!row.indicator_id) {
            rc = err_set(e, ERR_NOT_FOUND, NULL, "standard indicator %s is missing", t->code);
            goto done;
        }
        if ((rc = indicator_store_target_insert(db, &row, NULL))) {
            rc = err_set(e, rc, NULL, "cannot store the target for %s: %s", t->code, err_name(rc));
            goto done;
        }
        out->targets++;
    }
    for (int i = 0; i < nres; i++) {
        const char *const *codes = links_for(&results[i]);
        int64_t ids[MAX_LINKS];
        size_t n = 0;
        for (size_t k = 0; k < MAX_LINKS && codes[k]; k++) {
            int64_t id = ind_catalog_standard_id(db, codes[k]);
            if (id)
                ids[n++] = id;
        }
        if ((rc = indicator_store_set_result_links(db, results[i].id, ids, n))) {
            rc = err_set(e, rc, NULL, "cannot link indicators to result %" PRId64 ": %s",
                         results[i].id, err_name(rc));
            goto done;
        }
        out->results++;
        out->links += n;
    }
done:
    if (writing) {
        int end = store_write_end(s, rc == 0);
        if (!rc && end)
            rc = err_set(e, end, NULL, "cannot commit the demo targets: %s", err_name(end));
    }
    arena_free(a);
    return rc;
}
