/*
 * cmd_indicator.c: `duiding indicatoren`: the outcome indicators of a data directory.
 *
 *   indicatoren lijst                  the stored definitions (code, naam, eenheid, ...)
 *   indicatoren bereken CODE [...]     a disclosed table (metrics/view.h), as the operator of
 *                                      the server sees it (scope: everything), text or JSON
 *   indicatoren meet [...]             builds the engine and times it: build, memory, the
 *                                      whole standard set by gemeente x quarter, random
 *                                      breakdowns as bare engine queries and as views
 *
 * `meet` is the one place outside metrics/ that calls mx_query (scripts/test.sh allows it):
 * the bare query measures the engine itself; every breakdown is timed a second time through
 * mx_view_compute (scope, disclosure, trend, benchmark), as people get it. It prints only
 * timings and sizes, never a figure.
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/cbs.h"
#include "domain/org.h"
#include "metrics/catalog.h"
#include "metrics/definition.h"
#include "metrics/disclosure.h"
#include "metrics/engine.h"
#include "metrics/view.h"
#include "store/indicator_store.h"
#include <getopt.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Ids for standard definitions the store lacks (registered from the shipped text). */
#define SHIPPED_ID_BASE INT64_C(1000000000)

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this thread: latencies that a busy machine does not inflate (the figures people
 * get are the wall times; both are printed). */
static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int open_all(struct cli_ctx *ctx, struct store **s)
{
    if (cli_load_config(ctx) != CLI_OK || cli_open_store(ctx, s) != CLI_OK)
        return CLI_FAIL;
    return CLI_OK;
}

/* ---- lijst ------------------------------------------------------------------------------- */

static int cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage: duiding [-d DIR] indicatoren lijst\n\n"
               "Lists the indicator definitions of the data directory: code, naam, eenheid,\n"
               "aggregatie, versie (the standard set first).\n");
        return CLI_OK;
    }
    if (argc > 1) {
        cli_error("indicatoren lijst takes no arguments");
        return CLI_USAGE;
    }
    struct store *s = NULL;
    if (open_all(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct arena *a = arena_new(0);
    struct ind_catalog_entry *cat = NULL;
    size_t n = 0, nbad = 0;
    struct err_ctx e = {0};
    int rc = ind_catalog_load(store_reader(s), a, &cat, &n, &nbad, &e);
    if (rc == 0) {
        int w = 4;
        for (size_t i = 0; i < n; i++)
            if ((int)strlen(cat[i].def.code) > w)
                w = (int)strlen(cat[i].def.code);
        printf("%-*s  %-9s  %-10s  %6s  %s\n", w, "code", "eenheid", "aggregatie", "versie",
               "naam");
        for (size_t i = 0; i < n; i++)
            printf("%-*s  %-9s  %-10s  %6" PRId64 "  %s%s\n", w, cat[i].def.code,
                   ind_unit_code(cat[i].def.unit), ind_agg_code(cat[i].def.agg), cat[i].version,
                   cat[i].def.name ? cat[i].def.name : "", cat[i].standard ? "" : " (lokaal)");
        if (n == 0)
            printf("(geen indicatoren opgeslagen)\n");
        if (nbad)
            printf("(%zu opgeslagen definitie(s) niet leesbaar)\n", nbad);
    } else {
        cli_error("%s", e.msg[0] ? e.msg : err_name(rc));
    }
    arena_free(a);
    store_close(s);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

/* ---- shared: the engine and its definitions ------------------------------------------------ */

struct defs {
    int64_t *ids;
    const struct ind_def **defs;
    size_t n;
};

/* Every stored, non-archived definition the engine knows; when the store has none of the
 * standard set (a data directory that never installed it), the shipped set is registered
 * under ids of its own so the engine can still be measured. */
static int engine_definitions(struct mx_engine *eng, struct store *s, struct arena *a,
                              struct defs *out, struct err_ctx *e)
{
    struct ind_catalog_entry *cat = NULL;
    size_t n = 0;
    int rc = ind_catalog_load(store_reader(s), a, &cat, &n, NULL, e);
    if (rc)
        return rc;
    struct ind_def *std = NULL;
    size_t nstd = 0;
    rc = ind_standard_set(a, &std, &nstd, e);
    if (rc)
        return rc;
    out->ids = arena_calloc(a, n + nstd + 1, sizeof *out->ids);
    out->defs = arena_calloc(a, n + nstd + 1, sizeof *out->defs);
    out->n = 0;
    bool have_standard = false;
    for (size_t i = 0; i < n; i++) {
        int version = 0;
        if (!mx_engine_definition(eng, cat[i].id, &version, a)) {
            struct ind_problems pr = {0};
            if (mx_engine_define(eng, cat[i].id, (int)cat[i].version, &cat[i].def, &pr) != 0)
                continue; /* a definition that no longer compiles: not part of the set */
        }
        have_standard = have_standard || cat[i].standard;
        out->ids[out->n] = cat[i].id;
        out->defs[out->n++] = &cat[i].def;
    }
    if (!have_standard) {
        for (size_t i = 0; i < nstd; i++) {
            struct ind_problems pr = {0};
            int64_t id = SHIPPED_ID_BASE + (int64_t)i;
            if (mx_engine_define(eng, id, 1, &std[i], &pr) != 0)
                return err_set(e, ERR_INTERNAL, NULL, "%s: %s", std[i].code,
                               pr.n ? pr.p[0].message : "cannot register");
            out->ids[out->n] = id;
            out->defs[out->n++] = &std[i];
        }
    }
    return 0;
}

static int parse_kind(const char *s, enum period_kind *out)
{
    if (strcmp(s, "maand") == 0)
        *out = PERIOD_MONTH;
    else if (strcmp(s, "kwartaal") == 0)
        *out = PERIOD_QUARTER;
    else if (strcmp(s, "halfjaar") == 0)
        *out = PERIOD_HALF;
    else if (strcmp(s, "jaar") == 0)
        *out = PERIOD_YEAR;
    else
        return ERR_INVALID;
    return 0;
}

/* Number of periods from a to b inclusive (same kind); <= 0 when b is before a. */
static int period_count(struct period a, struct period b)
{
    int per_year = a.kind == PERIOD_MONTH     ? 12
                   : a.kind == PERIOD_QUARTER ? 4
                   : a.kind == PERIOD_HALF    ? 2
                                              : 1;
    return (b.year - a.year) * per_year + (b.index - a.index) + 1;
}

static struct period period_back(struct period p, int k)
{
    while (k-- > 0)
        p = period_prev(p);
    return p;
}

/* Reads --van/--tot: a period code; its kind must agree with the others. */
static int parse_period_arg(const char *opt, const char *v, bool *kind_set, enum period_kind *kind,
                            struct period *out)
{
    if (period_parse(str_from(v), out) != 0) {
        cli_error("%s: '%s' is not a period like 2024, 2024-H1, 2024-Q3 or 2024-07", opt, v);
        return CLI_USAGE;
    }
    if (*kind_set && out->kind != *kind) {
        cli_error("%s: '%s' is not a period of the kind asked for (--periode)", opt, v);
        return CLI_USAGE;
    }
    *kind = out->kind;
    *kind_set = true;
    return CLI_OK;
}

/* ---- bereken ------------------------------------------------------------------------------ */

struct label_ctx {
    struct store *s;
    struct arena *a;
};

static const char *label(void *vctx, enum mx_dim d, const char *code)
{
    struct label_ctx *c = vctx;
    if (!code || !*code)
        return "onbekend";
    if (d == MX_DIM_GEMEENTE) {
        const struct cbs_gemeente *g = cbs_find(code);
        return g ? arena_strdup(c->a, g->name) : code;
    }
    if (d == MX_DIM_AANBIEDER) {
        int64_t id = 0;
        struct org o;
        if (str_parse_i64_c(code, 1, INT64_MAX, &id) == 0 &&
            org_get_internal(c->a, c->s, id, &o) == 0 && o.name)
            return o.name;
    }
    return code;
}

static void print_view_text(const struct mx_view *v, struct label_ctx *lc)
{
    struct arena *a = lc->a;
    size_t ncols = 2 + (size_t)v->nby + 5;
    const char ***rows = arena_calloc(a, v->ncells + 1, sizeof *rows);
    int *w = arena_calloc(a, ncols, sizeof *w);
    const char *head[9] = {"periode"};
    size_t h = 1;
    for (int k = 0; k < v->nby; k++)
        head[h++] = mx_dim_code(v->by[k]);
    head[h++] = "waarde";
    head[h++] = "n";
    head[h++] = "teller";
    head[h++] = "noemer";
    head[h++] = "interval";
    head[h++] = "vorige";
    ncols = h;
    for (size_t j = 0; j < ncols; j++)
        w[j] = (int)strlen(head[j]);
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        const char **r = arena_calloc(a, ncols, sizeof *r);
        char pc[PERIOD_CODE_MAX], val[64];
        size_t j = 0;
        period_code(v->periods[c->period_idx], pc);
        r[j++] = arena_strdup(a, pc);
        for (int k = 0; k < v->nby; k++)
            r[j++] = c->key[k] ? label(lc, v->by[k], c->key[k]) : "totaal";
        mx_view_format_value(v, c, val, sizeof val);
        r[j++] = arena_strdup(a, val);
        bool shown = c->reason == DC_SHOWN;
        r[j++] = shown && c->n >= 0 ? arena_printf(a, "%" PRId64, c->n) : ".";
        r[j++] = shown && c->num >= 0 ? arena_printf(a, "%" PRId64, c->num) : ".";
        r[j++] = shown && c->den >= 0 ? arena_printf(a, "%" PRId64, c->den) : ".";
        char lo[64], hi[64], prev[64];
        mx_view_format_number(v, c->lo, lo, sizeof lo);
        mx_view_format_number(v, c->hi, hi, sizeof hi);
        mx_view_format_number(v, c->prev, prev, sizeof prev);
        /* the same Dutch number format as the value: "63,1% – 70,2%" */
        r[j++] = shown && !isnan(c->lo) ? arena_printf(a, "%s – %s", lo, hi) : "";
        r[j++] = !isnan(c->prev) ? arena_strdup(a, prev) : "";
        for (size_t k = 0; k < ncols; k++)
            if ((int)strlen(r[k]) > w[k])
                w[k] = (int)strlen(r[k]);
        rows[i] = r;
    }
    for (size_t j = 0; j < ncols; j++)
        printf("%s%-*s", j ? "  " : "", j + 1 < ncols ? w[j] : 0, head[j]);
    putchar('\n');
    for (size_t i = 0; i < v->ncells; i++) {
        for (size_t j = 0; j < ncols; j++) /* text left, numbers right */
            printf(j <= (size_t)v->nby ? "%s%-*s" : "%s%*s", j ? "  " : "",
                   j + 1 < ncols || j > (size_t)v->nby ? w[j] : 0, rows[i][j]);
        if (v->cells[i].reason != DC_SHOWN)
            printf("  (%s)", _(dc_reason_text(v->cells[i].reason)));
        putchar('\n');
    }
    if (v->nhidden)
        printf(
            "\n%d %s\n", v->nhidden,
            _("cel(len) niet getoond (\".\"): te weinig personen om het cijfer veilig te tonen"));
}

static int cmd_compute(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"periode", required_argument, NULL, 'p'},
        {"van", required_argument, NULL, 'v'},
        {"tot", required_argument, NULL, 't'},
        {"per", required_argument, NULL, '1'},
        {"per2", required_argument, NULL, '2'},
        {"publiek", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum period_kind kind = PERIOD_QUARTER;
    bool kind_set = false, have_first = false, have_last = false, json = false;
    struct period first = {0}, last = {0};
    const char *per[2] = {NULL, NULL};
    enum dc_audience audience = DC_INTERNAL;
    int c;
    while ((c = getopt_long(argc, argv, "p:v:t:1:2:a:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (parse_kind(optarg, &kind) != 0) {
                cli_error("--periode must be maand, kwartaal, halfjaar or jaar");
                return CLI_USAGE;
            }
            if (kind_set &&
                ((have_first && first.kind != kind) || (have_last && last.kind != kind))) {
                cli_error("--periode does not match --van/--tot");
                return CLI_USAGE;
            }
            kind_set = true;
            break;
        case 'v':
            if (parse_period_arg("--van", optarg, &kind_set, &kind, &first) != CLI_OK)
                return CLI_USAGE;
            have_first = true;
            break;
        case 't':
            if (parse_period_arg("--tot", optarg, &kind_set, &kind, &last) != CLI_OK)
                return CLI_USAGE;
            have_last = true;
            break;
        case '1':
        case '2':
            per[c - '1'] = optarg;
            break;
        case 'a': {
            int x = dc_audience_parse(optarg);
            if (x < 0) {
                cli_error("--publiek must be intern, aanbieder or publiek");
                return CLI_USAGE;
            }
            audience = (enum dc_audience)x;
            break;
        }
        case 'j':
            json = true;
            break;
        case 'h':
            printf("Usage: duiding [-d DIR] indicatoren bereken CODE [--periode "
                   "kwartaal|maand|halfjaar|jaar]\n"
                   "         [--van 2024-Q1] [--tot 2025-Q4] [--per DIM] [--per2 DIM]\n"
                   "         [--publiek intern|aanbieder|publiek] [--json]\n\n"
                   "Computes indicator CODE for every gemeente and aanbieder (the view of the\n"
                   "server's operator), with the disclosure rules of the audience (--publiek,\n"
                   "default intern): small numbers are shown as \".\". DIM: gemeente, gebied,\n"
                   "aanbieder, wet, categorie, hulpvorm, leeftijd, geslacht, verwijzer.\n"
                   "Default periods: the last 8 up to the data date.\n");
            return CLI_OK;
        default:
            return CLI_USAGE;
        }
    }
    if (optind + 1 != argc) {
        cli_error("usage: duiding indicatoren bereken CODE [options] (see --help)");
        return CLI_USAGE;
    }
    const char *code = argv[optind];
    struct mx_view_req req = {.pkind = kind, .bench_dim = -1, .audience = audience};
    for (int k = 0; k < 2; k++) {
        if (!per[k])
            continue;
        int d = mx_dim_parse(per[k]);
        if (d < 0) {
            cli_error("--per%s: unknown dimension '%s'", k ? "2" : "", per[k]);
            return CLI_USAGE;
        }
        if (k == 1 && !per[0]) {
            cli_error("--per2 needs --per");
            return CLI_USAGE;
        }
        req.by[req.nby++] = (enum mx_dim)d;
    }
    if (req.nby == 2 && req.by[0] == req.by[1]) {
        cli_error("--per and --per2 must differ");
        return CLI_USAGE;
    }

    struct store *s = NULL;
    if (open_all(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    struct mx_engine *eng = NULL;
    int rc = mx_engine_build(store_reader(s), &eng, &e);
    int ret = CLI_FAIL;
    if (rc) {
        cli_error("cannot build the indicator engine: %s", e.msg[0] ? e.msg : err_name(rc));
        goto out;
    }
    struct defs defs = {0};
    if ((rc = engine_definitions(eng, s, a, &defs, &e)) != 0) {
        cli_error("%s", e.msg[0] ? e.msg : err_name(rc));
        goto out;
    }
    for (size_t i = 0; i < defs.n && !req.ind_id; i++)
        if (strcmp(defs.defs[i]->code, code) == 0)
            req.ind_id = defs.ids[i];
    if (!req.ind_id) {
        cli_error("no indicator with code '%s' (see 'duiding indicatoren lijst')", code);
        ret = CLI_USAGE;
        goto out;
    }
    struct mx_engine_stats st;
    mx_engine_get_stats(eng, &st);
    day_t ref = st.data_date != DAY_NONE ? st.data_date : day_from_ymd(2000, 1, 1);
    if (!have_last)
        last = period_of(ref, kind);
    if (!have_first)
        first = period_back(last, 7);
    if (period_count(first, last) < 1 || period_count(first, last) > 240) {
        cli_error("--van must come before --tot, at most 240 periods apart");
        ret = CLI_USAGE;
        goto out;
    }
    req.first = first;
    req.last = last;
    struct mx_scope scope = {.all_gemeenten = true};
    struct dc_rules rules;
    dc_rules_for(&ctx->cfg, audience, &rules);
    req.scope = &scope;
    req.rules = &rules;
    /* Targets agreed for this indicator (only stored indicators have them). */
    struct indicator_target_row *tr = NULL;
    size_t ntr = 0;
    if (req.ind_id < SHIPPED_ID_BASE &&
        indicator_store_targets(a, store_reader(s), req.ind_id, &tr, &ntr) == 0 && ntr) {
        struct mx_target *t = arena_calloc(a, ntr, sizeof *t);
        for (size_t i = 0; i < ntr; i++)
            t[i] = (struct mx_target){.gemeente = tr[i].gemeente,
                                      .aanbieder_id = tr[i].aanbieder_id,
                                      .valid_from = tr[i].valid_from,
                                      .valid_to = tr[i].valid_to,
                                      .value = tr[i].value};
        req.targets = t;
        req.ntargets = ntr;
    }
    struct mx_view v;
    rc = mx_view_compute(eng, &req, a, &v, &e);
    if (rc) {
        cli_error("%s", e.msg[0] ? e.msg : err_name(rc));
        ret = rc == ERR_INVALID || rc == ERR_NOT_FOUND ? CLI_USAGE : CLI_FAIL;
        goto out;
    }
    struct label_ctx lc = {.s = s, .a = a};
    if (json) {
        const char *doc = mx_view_to_json(&v, label, &lc, a);
        if (!doc) {
            cli_error("cannot write the view as JSON");
            goto out;
        }
        puts(doc);
    } else {
        printf("%s: %s (%s)\n\n", v.def->code, v.def->name ? v.def->name : "",
               dc_audience_code(audience));
        print_view_text(&v, &lc);
    }
    ret = CLI_OK;
out:
    mx_engine_free(eng);
    arena_free(a);
    store_close(s);
    return ret;
}

/* ---- meet ------------------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *x)
{
    /* xorshift64*: deterministic per --seed, good enough to draw queries */
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * UINT64_C(2685821657736338717);
}

static size_t rng_below(uint64_t *x, size_t n)
{
    return n ? (size_t)(rng_next(x) % n) : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    size_t i = (size_t)ceil(q * (double)n);
    return v[i == 0 ? 0 : i - 1 < n ? i - 1 : n - 1];
}

/* The dimensions a definition can be broken down or filtered by. */
static size_t usable_dims(const struct ind_def *d, enum mx_dim out[MX_DIM__COUNT])
{
    size_t n = 0;
    for (int k = 0; k < MX_DIM__COUNT; k++) {
        enum mx_dim m = (enum mx_dim)k;
        if (d->agg == IND_AGG_RATE && m != MX_DIM_GEMEENTE && m != MX_DIM_LAW)
            continue;
        if (d->unit == IND_UNIT_RESPONSE &&
            (m == MX_DIM_AREA || m == MX_DIM_HULPVORM || m == MX_DIM_REFERRER))
            continue;
        out[n++] = m;
    }
    return n;
}

/* The first period with data: probes years through the engine with a count of everything. */
static struct period first_data_period(struct mx_engine *eng, struct arena *a, day_t data_date)
{
    struct period last = period_of(data_date, PERIOD_YEAR), best = last;
    for (int unit = 0; unit < 2; unit++) {
        struct ind_def d = {.version = 1,
                            .code = "meet_probe",
                            .name = "probe",
                            .unit = unit ? IND_UNIT_RESPONSE : IND_UNIT_TRAJECTORY,
                            .anchor = unit ? IND_ANCHOR_RESPONSE : IND_ANCHOR_START,
                            .agg = IND_AGG_COUNT,
                            .population = "waar",
                            .age_from = -1,
                            .age_to = -1,
                            .follow_up_months = -1,
                            .gap_days = -1,
                            .polarity = IND_NEUTRAL,
                            .quadrant = IND_HOW_MUCH,
                            .display = IND_SHOW_COUNT,
                            .min_n = 1};
        struct mx_query q = {.pkind = PERIOD_YEAR, .last = last, .preview = &d};
        q.first = period_back(last, 59);
        struct mx_result r;
        struct err_ctx e = {0};
        if (mx_query(eng, &q, a, &r, &e) != 0)
            continue;
        for (size_t i = 0; i < r.ncells; i++)
            if (r.cells[i].num > 0 && period_count(r.periods[r.cells[i].period_idx], best) > 1)
                best = r.periods[r.cells[i].period_idx];
    }
    return (struct period){.kind = PERIOD_QUARTER, .year = best.year, .index = 1};
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* The resident set now, in bytes (Linux /proc/self/statm; 0 elsewhere). Freed heap memory is
 * handed back first (glibc), so the figure is what is still in use. */
static size_t rss_now(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    char line[128];
    size_t pages = 0;
    if (fgets(line, sizeof line, f)) {
        /* "size resident shared ...": the second field */
        const char *p = strchr(line, ' ');
        int64_t v = 0;
        if (p) {
            const char *q = strchr(p + 1, ' ');
            if (q && str_parse_i64((struct str){p + 1, (size_t)(q - p - 1)}, 0, INT64_MAX, &v) == 0)
                pages = (size_t)v;
        }
    }
    fclose(f);
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

struct lat_stats {
    double p50, p95, max;
};

static struct lat_stats lat_summary(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    struct lat_stats s = {pct(v, n, 0.50), pct(v, n, 0.95), n ? v[n - 1] : NAN};
    if (isnan(s.p50))
        s.p50 = s.p95 = s.max = 0;
    return s;
}

/* FNV-1a over what a view shows (periods, keys, reasons, figures): two runs whose logs agree
 * on it made the same decisions, so a change meant only for speed can be checked with --log. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

static uint64_t view_digest(const struct mx_view *v)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        for (int k = 0; k < MX_MAX_BY; k++)
            h = c->key[k] ? fnv(h, c->key[k], strlen(c->key[k]) + 1) : fnv(h, "*", 1);
        int64_t ints[5] = {c->period_idx, (int64_t)c->reason, c->n, c->num, c->den};
        double reals[9] = {c->value,     c->prev,      c->bench_median,
                           c->bench_p25, c->bench_p75, (double)c->bench_entities,
                           c->lo,        c->hi,        c->target};
        for (int k = 0; k < 9; k++)
            if (isnan(reals[k]))
                reals[k] = -1e300; /* one NaN, whatever its bits */
        h = fnv(fnv(h, ints, sizeof ints), reals, sizeof reals);
    }
    return h;
}

/* One line of the --log file: what the query asked, how long it took and the view's digest. */
static void log_query(FILE *f, const struct ind_def *d, const struct mx_query *q, double eng_ms,
                      double eng_cpu_ms, int eng_rc, size_t ncells, double view_ms,
                      double view_cpu_ms, int view_rc, size_t nvcells, uint64_t digest,
                      const struct err_ctx *view_err)
{
    static const char *const kinds[] = {"maand", "kwartaal", "halfjaar", "jaar"};
    fprintf(f, "%.3f\t%.3f\t%s\t%s\t%d-%d..%d-%d\t", eng_ms, view_ms, d->code,
            (unsigned)q->pkind < 4 ? kinds[q->pkind] : "?", q->first.year, q->first.index,
            q->last.year, q->last.index);
    for (int k = 0; k < q->nby; k++)
        fprintf(f, "%s%s", k ? "," : "", mx_dim_code(q->by[k]));
    fprintf(f, "%s\t", q->margins ? "+m" : "");
    for (int k = 0; k < MX_DIM__COUNT; k++)
        if (q->where[k].n)
            fprintf(f, "%s=%zu ", mx_dim_code((enum mx_dim)k), q->where[k].n);
    fprintf(f, "\t%d:%zu\t%d:%zu\t%.3f\t%.3f\t%016" PRIx64 "\n", eng_rc, ncells, view_rc, nvcells,
            eng_cpu_ms, view_cpu_ms, digest);
    /* Why a view was refused, for reading the log (the message is Dutch, as users get it). */
    if (view_rc && view_err)
        fprintf(f, "#\t%s\t%s\n", view_err->field ? view_err->field : "-", view_err->msg);
}

static int cmd_measure(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"vragen", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
        {"van", required_argument, NULL, 'v'},    {"tot", required_argument, NULL, 't'},
        {"log", required_argument, NULL, 'l'},    {"alleen-engine", no_argument, NULL, 'e'},
        {"draden", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    int64_t nq = 1000, seed = 1;
    bool json = false, have_first = false, have_last = false, kind_set = true;
    enum period_kind qkind = PERIOD_QUARTER;
    struct period first = {0}, last = {0};
    const char *log_path = NULL;
    bool engine_only = false;
    int c;
    while ((c = getopt_long(argc, argv, "n:s:v:t:l:ed:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': {
            int64_t nt = 0;
            if (str_parse_i64_c(optarg, 1, 2, &nt) != 0) {
                cli_error("--draden must be 1 or 2");
                return CLI_USAGE;
            }
            mx_engine_set_scan_threads((int)nt);
            break;
        }
        case 'n':
            if (str_parse_i64_c(optarg, 0, 10000000, &nq) != 0) {
                cli_error("--vragen must be a number from 0 to 10000000");
                return CLI_USAGE;
            }
            break;
        case 's':
            if (str_parse_i64_c(optarg, 0, INT64_MAX, &seed) != 0) {
                cli_error("--seed must be a non-negative number");
                return CLI_USAGE;
            }
            break;
        case 'v':
            if (parse_period_arg("--van", optarg, &kind_set, &qkind, &first) != CLI_OK)
                return CLI_USAGE;
            have_first = true;
            break;
        case 't':
            if (parse_period_arg("--tot", optarg, &kind_set, &qkind, &last) != CLI_OK)
                return CLI_USAGE;
            have_last = true;
            break;
        case 'l':
            log_path = optarg;
            break;
        case 'e':
            engine_only = true;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            printf("Usage: duiding [-d DIR] indicatoren meet [--vragen 1000] [--seed N]\n"
                   "         [--van 2016-Q1] [--tot 2025-Q4] [--log FILE] [--alleen-engine] "
                   "[--draden 1|2] [--json]\n\n"
                   "Builds the indicator engine from the data directory and prints timings\n"
                   "and sizes only (no figures): the build, the engine's memory, the whole\n"
                   "standard set for every gemeente x quarter (--van/--tot, default the\n"
                   "quarters of the data), and N random breakdowns, each timed twice: the bare\n"
                   "engine query and the view people get (scope, disclosure, trend and\n"
                   "benchmark; p50/p95/max latency). --log writes one line per breakdown,\n"
                   "ending in a digest of what the view shows (the same digests with the same\n"
                   "--seed: the same disclosure decisions), and after a refused view a line\n"
                   "'#<TAB>field<TAB>reason'; --alleen-engine skips the views (for profiling\n"
                   "the engine); --draden 1 scans in one thread instead of two (for\n"
                   "comparison).\n");
            return CLI_OK;
        default:
            return CLI_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("indicatoren meet takes no operands (see --help)");
        return CLI_USAGE;
    }
    FILE *logf = NULL;
    if (log_path && !(logf = fopen(log_path, "w"))) {
        cli_error("--log: cannot write %s", log_path);
        return CLI_FAIL;
    }
    struct store *s = NULL;
    if (open_all(ctx, &s) != CLI_OK) {
        if (logf)
            fclose(logf);
        return CLI_FAIL;
    }
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    struct mx_engine *eng = NULL;
    int ret = CLI_FAIL;
    double *lat = NULL, *vlat = NULL, *clat = NULL, *cvlat = NULL;

    /* The engine's real memory: the resident set it adds (measured with the store open, so
     * SQLite's page cache is part of the baseline but not of the figure; the cache the build
     * fills is counted, which only makes the figure larger). */
    size_t rss0 = rss_now();
    double t0 = now_seconds();
    int rc = mx_engine_build(store_reader(s), &eng, &e);
    double build_s = now_seconds() - t0;
    if (rc) {
        cli_error("cannot build the indicator engine: %s", e.msg[0] ? e.msg : err_name(rc));
        goto out;
    }
    long rss_after_build = peak_rss_kb();
    t0 = now_seconds();
    rc = mx_engine_sync(eng, store_reader(s), &e);
    double sync_s = now_seconds() - t0;
    if (rc) {
        cli_error("engine sync: %s", e.msg[0] ? e.msg : err_name(rc));
        goto out;
    }
    struct defs defs = {0};
    t0 = now_seconds();
    if ((rc = engine_definitions(eng, s, a, &defs, &e)) != 0) {
        cli_error("%s", e.msg[0] ? e.msg : err_name(rc));
        goto out;
    }
    double define_s = now_seconds() - t0;
    size_t rss1 = rss_now();
    size_t engine_rss = rss1 > rss0 ? rss1 - rss0 : 0;
    struct mx_engine_stats st;
    mx_engine_get_stats(eng, &st);
    if (st.data_date == DAY_NONE) {
        cli_error("no data to measure");
        goto out;
    }
    if (!have_last)
        last = period_of(st.data_date, PERIOD_QUARTER);
    if (!have_first)
        first = first_data_period(eng, a, st.data_date);
    int nquarters = period_count(first, last);
    if (nquarters < 1 || nquarters > 240) {
        cli_error("--van/--tot: 1 to 240 quarters");
        ret = CLI_USAGE;
        goto out;
    }

    /* The whole standard set: every active definition by gemeente x quarter, with margins. */
    size_t cells = 0, failed_std = 0;
    struct arena_mark m0 = arena_mark(a);
    t0 = now_seconds();
    double c0 = cpu_seconds();
    for (size_t i = 0; i < defs.n; i++) {
        struct mx_query q = {.ind_id = defs.ids[i],
                             .pkind = PERIOD_QUARTER,
                             .first = first,
                             .last = last,
                             .by = {MX_DIM_GEMEENTE},
                             .nby = 1,
                             .margins = true};
        struct mx_result r;
        if (mx_query(eng, &q, a, &r, &e) == 0)
            cells += r.ncells;
        else
            failed_std++;
        arena_reset_to(a, m0);
    }
    double std_s = now_seconds() - t0, std_cpu = cpu_seconds() - c0;

    /* Random breakdowns, each as the bare engine query and as the view a region user gets
     * (web/figures.c: scope everything, internal audience, benchmark against the gemeenten). */
    const char **vals[MX_DIM__COUNT] = {0};
    size_t nvals[MX_DIM__COUNT] = {0};
    for (int k = 0; k < MX_DIM__COUNT; k++)
        if (mx_dim_values(eng, (enum mx_dim)k, a, &vals[k], &nvals[k]) != 0)
            nvals[k] = 0;
    struct mx_scope scope = {.all_gemeenten = true};
    struct dc_rules rules;
    dc_rules_for(&ctx->cfg, DC_INTERNAL, &rules);
    struct arena_mark m1 = arena_mark(a);
    lat = calloc((size_t)nq + 1, sizeof *lat);
    vlat = calloc((size_t)nq + 1, sizeof *vlat);
    clat = calloc((size_t)nq + 1, sizeof *clat);
    cvlat = calloc((size_t)nq + 1, sizeof *cvlat);
    if (!lat || !vlat || !clat || !cvlat) {
        cli_error("out of memory");
        goto out;
    }
    uint64_t x = (uint64_t)seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
    size_t done = 0, failed = 0, vdone = 0, vfailed = 0;
    struct period data_month = period_of(st.data_date, PERIOD_MONTH);
    int nmonths =
        period_count((struct period){PERIOD_MONTH, first.year, 3 * first.index - 2}, data_month);
    for (int64_t qi = 0; qi < nq; qi++) {
        const struct ind_def *d = NULL;
        struct mx_query q = {0};
        size_t di = rng_below(&x, defs.n);
        d = defs.defs[di];
        q.ind_id = defs.ids[di];
        q.pkind = (enum period_kind)rng_below(&x, 4);
        /* a random range within the data: a last month, then back 1 to 40 periods */
        struct period lm = period_back(data_month, (int)rng_below(&x, (size_t)nmonths));
        q.last = period_of(period_start(lm), q.pkind);
        q.first = period_back(q.last, (int)rng_below(&x, 40));
        enum mx_dim usable[MX_DIM__COUNT];
        size_t nu = usable_dims(d, usable);
        int nby = (int)rng_below(&x, 3);
        for (int k = 0; k < nby && nu > 0; k++) {
            size_t j = rng_below(&x, nu);
            q.by[q.nby++] = usable[j];
            usable[j] = usable[--nu];
        }
        q.margins = q.nby > 0 && rng_below(&x, 2);
        /* a filter on a random usable dimension half of the time: 1-3 of its codes */
        nu = usable_dims(d, usable);
        const char *codes[3];
        if (rng_below(&x, 2) && nu) {
            enum mx_dim fd = usable[rng_below(&x, nu)];
            size_t nc = 0, want = 1 + rng_below(&x, 3);
            for (size_t k = 0; k < want && nvals[fd]; k++)
                codes[nc++] = vals[fd][rng_below(&x, nvals[fd])];
            q.where[fd] = (struct mx_where){.codes = codes, .n = nc};
        }
        struct mx_result r;
        err_clear(&e);
        double q0 = now_seconds(), u0 = cpu_seconds();
        int erc = mx_query(eng, &q, a, &r, &e);
        double q1 = now_seconds(), u1 = cpu_seconds();
        size_t ncells = erc ? 0 : r.ncells;
        arena_reset_to(a, m1);
        if (erc != 0)
            failed++;
        else {
            clat[done] = (u1 - u0) * 1000.0;
            lat[done++] = (q1 - q0) * 1000.0;
        }

        /* The same breakdown as a view (margins are always part of a view). */
        if (engine_only) {
            if (logf)
                log_query(logf, d, &q, erc ? NAN : lat[done - 1], erc ? NAN : clat[done - 1], erc,
                          ncells, NAN, NAN, 0, 0, 0, NULL);
            continue;
        }
        struct mx_view_req vr = {.ind_id = q.ind_id,
                                 .pkind = q.pkind,
                                 .first = q.first,
                                 .last = q.last,
                                 .nby = q.nby,
                                 .scope = &scope,
                                 .audience = DC_INTERNAL,
                                 .rules = &rules,
                                 .bench_dim = MX_DIM_GEMEENTE};
        for (int k = 0; k < q.nby; k++)
            vr.by[k] = q.by[k];
        memcpy(vr.where, q.where, sizeof vr.where);
        struct mx_view v;
        err_clear(&e);
        q0 = now_seconds();
        u0 = cpu_seconds();
        int vrc = mx_view_compute(eng, &vr, a, &v, &e);
        q1 = now_seconds();
        u1 = cpu_seconds();
        size_t nvcells = vrc ? 0 : v.ncells;
        uint64_t digest = vrc || !logf ? 0 : view_digest(&v);
        arena_reset_to(a, m1);
        if (vrc != 0)
            vfailed++;
        else {
            cvlat[vdone] = (u1 - u0) * 1000.0;
            vlat[vdone++] = (q1 - q0) * 1000.0;
        }
        if (logf)
            log_query(logf, d, &q, erc ? NAN : lat[done - 1], erc ? NAN : clat[done - 1], erc,
                      ncells, vrc ? NAN : vlat[vdone - 1], vrc ? NAN : cvlat[vdone - 1], vrc,
                      nvcells, digest, &e);
    }
    struct lat_stats ql = lat_summary(lat, done), vl = lat_summary(vlat, vdone);
    struct lat_stats cql = lat_summary(clat, done), cvl = lat_summary(cvlat, vdone);
    long rss = peak_rss_kb();
    mx_engine_get_stats(eng, &st);
    size_t cache_hits = 0, cache_misses = 0;
    mx_view_cache_counts(&cache_hits, &cache_misses);

    if (json) {
        printf("{\"build_seconds\":%.4f,\"engine_build_seconds\":%.4f,\"sync_noop_seconds\":%.6f,"
               "\"define_seconds\":%.4f,\"engine_bytes\":%zu,\"engine_rss_bytes\":%zu,"
               "\"peak_rss_bytes\":%ld,\"rss_after_build_bytes\":%ld,\"trajectories\":%zu,"
               "\"responses\":%zu,\"persons\":%zu,\"definitions\":%zu,\"first\":\"%d-Q%d\","
               "\"last\":\"%d-Q%d\",\"quarters\":%d,\"gemeenten\":%zu,"
               "\"standard_set_seconds\":%.4f,\"standard_set_cells\":%zu,"
               "\"standard_set_failed\":%zu,\"queries\":%zu,\"queries_failed\":%zu,"
               "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"max_ms\":%.4f,\"views\":%zu,"
               "\"views_failed\":%zu,\"view_p50_ms\":%.4f,\"view_p95_ms\":%.4f,"
               "\"view_max_ms\":%.4f,\"standard_set_cpu_seconds\":%.4f,\"cpu_p50_ms\":%.4f,"
               "\"cpu_p95_ms\":%.4f,\"view_cpu_p50_ms\":%.4f,\"view_cpu_p95_ms\":%.4f,"
               "\"view_cache_hits\":%zu,\"view_cache_misses\":%zu}\n",
               build_s, st.build_seconds, sync_s, define_s, st.bytes, engine_rss, rss * 1024L,
               rss_after_build * 1024L, st.trajectories, st.responses, st.persons, defs.n,
               first.year, first.index, last.year, last.index, nquarters, nvals[MX_DIM_GEMEENTE],
               std_s, cells, failed_std, done, failed, ql.p50, ql.p95, ql.max, vdone, vfailed,
               vl.p50, vl.p95, vl.max, std_cpu, cql.p50, cql.p95, cvl.p50, cvl.p95, cache_hits,
               cache_misses);
    } else {
        printf("engine build      %.2f s (%zu trajectories, %zu responses, %zu persons)\n", build_s,
               st.trajectories, st.responses, st.persons);
        printf("engine memory     %.1f MB counted, %.1f MB resident growth (process peak %.1f "
               "MB)\n",
               (double)st.bytes / 1048576.0, (double)engine_rss / 1048576.0, (double)rss / 1024.0);
        printf("sync (no change)  %.3f ms\n", sync_s * 1000.0);
        printf("standard set      %.3f s (CPU %.3f s): %zu definitions x %zu gemeenten x %d "
               "quarters (%d-Q%d..%d-Q%d), %zu cells%s\n",
               std_s, std_cpu, defs.n, nvals[MX_DIM_GEMEENTE], nquarters, first.year, first.index,
               last.year, last.index, cells, failed_std ? " (some failed)" : "");
        printf("breakdowns        %zu engine queries: p50 %.2f ms, p95 %.2f ms, max %.2f ms "
               "(CPU p50 %.2f, p95 %.2f)",
               done, ql.p50, ql.p95, ql.max, cql.p50, cql.p95);
        if (failed)
            printf(" (%zu refused)", failed);
        putchar('\n');
        printf("                  %zu views: p50 %.2f ms, p95 %.2f ms, max %.2f ms (CPU p50 %.2f, "
               "p95 %.2f)",
               vdone, vl.p50, vl.p95, vl.max, cvl.p50, cvl.p95);
        if (vfailed)
            printf(" (%zu refused)", vfailed);
        putchar('\n');
    }
    ret = failed_std ? CLI_FAIL : CLI_OK;
    if (failed_std)
        cli_error("%zu definition(s) of the standard set could not be computed", failed_std);
out:
    if (logf)
        fclose(logf);
    free(lat);
    free(vlat);
    free(clat);
    free(cvlat);
    mx_engine_free(eng);
    arena_free(a);
    store_close(s);
    return ret;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: duiding [-d DIR] indicatoren lijst\n"
               "       duiding [-d DIR] indicatoren bereken CODE [options]\n"
               "       duiding [-d DIR] indicatoren meet [--vragen 1000] [--seed N] [--json]\n\n"
               "'duiding indicatoren SUBCOMMAND --help' for the options.\n");
}

int cmd_indicator(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    /* the subcommand's own options start after its name */
    if (strcmp(sub, "lijst") == 0 || strcmp(sub, "list") == 0)
        return cmd_list(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "bereken") == 0 || strcmp(sub, "compute") == 0)
        return cmd_compute(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "meet") == 0 || strcmp(sub, "measure") == 0)
        return cmd_measure(ctx, argc - 1, argv + 1);
    cli_error("unknown subcommand '%s' of indicatoren (lijst, bereken, meet)", sub);
    return CLI_USAGE;
}
