/*
 * mx_dump.c: prints the raw engine figures (mx_query) of every standard indicator for the
 * correctness oracle (tests/oracle/run.sh compares them with tests/oracle/indicators.sql).
 *
 *   mx_dump DATA_DIR FIRST LAST [SCRIPT]
 *
 * FIRST and LAST are quarters ("2021-Q4"). For every definition of the standard set (the
 * stored one by code; registered from ind_standard_set when the store lacks it) and every
 * breakdown (none, gemeente, aanbieder, wet, leeftijd) one line per cell, sorted:
 *   code,period,dim,key,num,den,value        (dim "totaal" and key "" without breakdown;
 *                                             value %.17g, empty when NAN)
 * Cells without units are left out (den == 0; per_1000: num == 0), as in the oracle.
 *
 * It also checks what the oracle cannot see and fails (exit 1, reasons on stderr) when:
 *   - a margin of a breakdown differs from the figure without breakdown;
 *   - per_1000 accepts a breakdown by aanbieder or leeftijd (the rules forbid it);
 *   - a cell repeats or a period index is out of range.
 * With SCRIPT, the engine is built first, then SCRIPT runs (/bin/sh: imports, undos), then
 * mx_engine_sync catches up; so the lines test the incremental path instead of a fresh build.
 */
#include "core/arena.h"
#include "core/common.h"
#include "core/config.h"
#include "core/period.h"
#include "domain/cbs.h"
#include "domain/codelist.h"
#include "metrics/catalog.h"
#include "metrics/definition.h"
#include "metrics/engine.h"
#include "store/store.h"

#include <math.h>

struct line {
    char *text;
};

static struct line *lines;
static size_t nlines, caplines;
static int failures;

static void add_line(char *s)
{
    if (nlines == caplines) {
        caplines = caplines ? caplines * 2 : 4096;
        lines = realloc(lines, caplines * sizeof *lines);
        if (!lines) {
            fputs("mx_dump: out of memory\n", stderr);
            exit(2);
        }
    }
    lines[nlines++].text = s;
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(((const struct line *)a)->text, ((const struct line *)b)->text);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    fputs("mx_dump: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures++;
}

static bool empty_cell(const struct ind_def *d, const struct mx_cell *c)
{
    return d->agg == IND_AGG_RATE ? c->num == 0 : c->den == 0;
}

static char *cell_line(const char *code, const struct mx_result *r, const struct mx_cell *c,
                       const char *dim)
{
    char period[PERIOD_CODE_MAX], value[40] = "";
    period_code(r->periods[c->period_idx], period);
    if (!isnan(c->value))
        snprintf(value, sizeof value, "%.17g", c->value);
    const char *key = dim ? c->key[0] : "";
    size_t n = strlen(code) + strlen(period) + strlen(key) + 120;
    char *s = malloc(n);
    if (!s) {
        fputs("mx_dump: out of memory\n", stderr);
        exit(2);
    }
    snprintf(s, n, "%s,%s,%s,%s,%" PRId64 ",%" PRId64 ",%s", code, period, dim ? dim : "totaal",
             key, c->num, c->den, value);
    return s;
}

static bool same_figure(const struct mx_cell *a, const struct mx_cell *b)
{
    if (a->num != b->num || a->den != b->den || a->n != b->n)
        return false;
    if (isnan(a->value) || isnan(b->value))
        return isnan(a->value) && isnan(b->value);
    return fabs(a->value - b->value) <= 1e-9 * fmax(1.0, fabs(a->value));
}

/* Runs one definition without breakdown and by each dimension. */
static int dump_definition(struct mx_engine *eng, int64_t id, const struct ind_def *d,
                           enum period_kind kind, struct period first, struct period last)
{
    static const enum mx_dim dims[] = {MX_DIM_GEMEENTE, MX_DIM_AANBIEDER, MX_DIM_LAW,
                                       MX_DIM_AGE_BAND};
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    struct mx_query q = {.ind_id = id, .pkind = kind, .first = first, .last = last};
    struct mx_result tot;
    int rc = mx_query(eng, &q, a, &tot, &e);
    if (rc) {
        fail("%s: query without breakdown: %s (%s)", d->code, e.msg, err_name(rc));
        arena_free(a);
        return rc;
    }
    /* The total per period, to check the margins against. */
    const struct mx_cell **total = calloc((size_t)tot.nperiods + 1, sizeof *total);
    for (size_t i = 0; i < tot.ncells; i++) {
        const struct mx_cell *c = &tot.cells[i];
        if (c->period_idx < 0 || c->period_idx >= tot.nperiods) {
            fail("%s: period index %d out of range", d->code, c->period_idx);
            continue;
        }
        if (total[c->period_idx])
            fail("%s: two cells for period %d without breakdown", d->code, c->period_idx);
        total[c->period_idx] = c;
        if (!empty_cell(d, c))
            add_line(cell_line(d->code, &tot, c, NULL));
    }
    for (size_t k = 0; k < ARRAY_LEN(dims); k++) {
        const char *dim = mx_dim_code(dims[k]);
        struct mx_query qb = q;
        qb.by[0] = dims[k];
        qb.nby = 1;
        qb.margins = true;
        struct mx_result r;
        err_clear(&e);
        rc = mx_query(eng, &qb, a, &r, &e);
        bool forbidden =
            d->agg == IND_AGG_RATE && (dims[k] == MX_DIM_AANBIEDER || dims[k] == MX_DIM_AGE_BAND);
        if (forbidden) {
            if (rc != ERR_INVALID)
                fail("%s: per_1000 by %s gave %s, not ERR_INVALID", d->code, dim, err_name(rc));
            continue;
        }
        if (rc) {
            fail("%s by %s: %s (%s)", d->code, dim, e.msg, err_name(rc));
            continue;
        }
        if (r.nperiods != tot.nperiods)
            fail("%s by %s: %d periods, %d without breakdown", d->code, dim, r.nperiods,
                 tot.nperiods);
        size_t first_line = nlines;
        for (size_t i = 0; i < r.ncells; i++) {
            const struct mx_cell *c = &r.cells[i];
            if (c->period_idx < 0 || c->period_idx >= r.nperiods || c->period_idx >= tot.nperiods) {
                fail("%s by %s: period index %d out of range", d->code, dim, c->period_idx);
                continue;
            }
            if (!c->key[0]) { /* margin: must equal the figure without breakdown */
                const struct mx_cell *t = total[c->period_idx];
                struct mx_cell none = {.value = NAN, .lo = NAN, .hi = NAN};
                if (!t)
                    t = &none;
                bool both_empty = empty_cell(d, c) && empty_cell(d, t);
                if (!both_empty && !same_figure(c, t))
                    fail("%s by %s: margin of period %d is n=%" PRId64 " %" PRId64 "/%" PRId64
                         " %.17g, without breakdown n=%" PRId64 " %" PRId64 "/%" PRId64 " %.17g",
                         d->code, dim, c->period_idx, c->n, c->num, c->den, c->value, t->n, t->num,
                         t->den, t->value);
                continue;
            }
            if (!empty_cell(d, c))
                add_line(cell_line(d->code, &r, c, dim));
        }
        /* Duplicate keys within this breakdown. */
        if (nlines > first_line) {
            qsort(lines + first_line, nlines - first_line, sizeof *lines, cmp_line);
            for (size_t i = first_line + 1; i < nlines; i++) {
                const char *p = lines[i - 1].text, *s = lines[i].text;
                /* code,period,dim,key, : compare up to the fourth comma */
                size_t n = 0;
                for (int commas = 0; p[n] && commas < 4; n++)
                    commas += p[n] == ',';
                if (strncmp(p, s, n) == 0)
                    fail("%s by %s: cell listed twice: %.*s", d->code, dim, (int)n, p);
            }
        }
    }
    free(total);
    arena_free(a);
    return 0;
}

static int parse_quarter(const char *s, struct period *out)
{
    if (period_parse(str_from(s), out) != 0 || out->kind != PERIOD_QUARTER) {
        fprintf(stderr, "mx_dump: '%s' is not a quarter like 2024-Q1\n", s);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fputs("usage: mx_dump DATA_DIR FIRST_QUARTER LAST_QUARTER [SCRIPT]\n", stderr);
        return 2;
    }
    struct period first, last;
    if (parse_quarter(argv[2], &first) || parse_quarter(argv[3], &last))
        return 2;
    if (cbs_load() != 0 || codelist_load() != 0) {
        fputs("mx_dump: cannot load the embedded code lists\n", stderr);
        return 2;
    }
    struct config cfg;
    struct err_ctx e = {0};
    char path[4096];
    config_defaults(&cfg, argv[1]);
    snprintf(path, sizeof path, "%s/%s", argv[1], CONFIG_FILE_NAME);
    if (config_load_file(&cfg, path, &e) != 0) {
        fprintf(stderr, "mx_dump: %s\n", e.msg);
        return 2;
    }
    struct store *s = NULL;
    if (store_open(cfg.db_path, &s, &e) != 0) {
        fprintf(stderr, "mx_dump: cannot open %s: %s\n", cfg.db_path, e.msg);
        return 2;
    }
    struct mx_engine *eng = NULL;
    int rc = mx_engine_build(store_reader(s), &eng, &e);
    if (rc) {
        fprintf(stderr, "mx_dump: engine build: %s (%s)\n", e.msg, err_name(rc));
        return 1;
    }
    if (argc == 5) {
        int st = system(argv[4]);
        if (st != 0) {
            fprintf(stderr, "mx_dump: %s failed (status %d)\n", argv[4], st);
            return 2;
        }
        err_clear(&e);
        rc = mx_engine_sync(eng, store_reader(s), &e);
        if (rc) {
            fprintf(stderr, "mx_dump: engine sync: %s (%s)\n", e.msg, err_name(rc));
            return 1;
        }
    }

    struct arena *a = arena_new(0);
    struct ind_def *std = NULL;
    size_t nstd = 0;
    struct ind_catalog_entry *cat = NULL;
    size_t ncat = 0;
    if (ind_standard_set(a, &std, &nstd, &e) != 0 ||
        ind_catalog_load(store_reader(s), a, &cat, &ncat, NULL, &e) != 0) {
        fprintf(stderr, "mx_dump: definitions: %s\n", e.msg);
        return 2;
    }
    if (nstd == 0) {
        fputs("mx_dump: the standard set is empty\n", stderr);
        return 2;
    }
    for (size_t i = 0; i < nstd; i++) {
        int64_t id = 0;
        int version = 0;
        const struct ind_def *d = &std[i];
        for (size_t j = 0; j < ncat; j++)
            if (cat[j].owner_org_id == 0 && strcmp(cat[j].def.code, std[i].code) == 0) {
                id = cat[j].id;
                d = &cat[j].def;
            }
        if (id == 0 || !mx_engine_definition(eng, id, &version, a)) {
            /* Not in the store (or not registered): register the shipped text. */
            struct ind_problems pr = {0};
            id = id ? id : 1000000 + (int64_t)i;
            if (mx_engine_define(eng, id, 1, d, &pr) != 0) {
                fprintf(stderr, "mx_dump: %s: %s: %s\n", d->code, pr.n ? pr.p[0].key : "",
                        pr.n ? pr.p[0].message : "cannot register");
                return 2;
            }
        }
        dump_definition(eng, id, d, PERIOD_QUARTER, first, last);
    }
    qsort(lines, nlines, sizeof *lines, cmp_line);
    for (size_t i = 0; i < nlines; i++) {
        puts(lines[i].text);
        free(lines[i].text);
    }
    free(lines);
    arena_free(a);
    mx_engine_free(eng);
    store_close(s);
    config_release(&cfg);
    if (failures)
        fprintf(stderr, "mx_dump: %d problem(s)\n", failures);
    return failures ? 1 : 0;
}
