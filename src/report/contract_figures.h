/*
 * contract_figures.h: business figures (bedrijfsvoering) of one contract for a calendar year:
 * clients and trajectories under the contract (aanbieder, law, taking-part gemeenten,
 * products), trajectories started and ended, median throughput time, spend from claims
 * (JW323/WMO323) per month against the budget and omzetplafond, and a projection to the end of
 * the year with a warning when it goes over the cap. Client counts pass the disclosure rule of
 * indicators (metrics/disclosure.h): small numbers are hidden. Money is shown only to those
 * who may view the contract (the caller got the contract through contract_get).
 * Export as CSV/XLSX via report/text_table.h. docs/contracts.md.
 */
#ifndef DUIDING_REPORT_CONTRACT_FIGURES_H
#define DUIDING_REPORT_CONTRACT_FIGURES_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/contract.h"
#include "metrics/disclosure.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

enum projection_method {
    PROJ_NONE = 0,      /* no claims yet: nothing to project */
    PROJ_LINEAR,        /* average of the months with claims so far, times 12 */
    PROJ_PREVIOUS_YEAR, /* this year's claims scaled by the previous year's monthly profile */
    PROJ_COMPLETE,      /* the year is over: the spend is the outcome */
};
const char *projection_method_code(enum projection_method m);  /* "geen", "lineair", ... */
const char *projection_method_label(enum projection_method m); /* translated explanation */

/* A count that may be hidden by the disclosure rule. */
struct disclosed_count {
    int64_t value; /* meaningful only when !hidden */
    bool hidden;
    const char *why; /* translated reason when hidden */
};

struct contract_figures {
    int year;
    struct disclosed_count clients;
    struct disclosed_count trajectories;
    struct disclosed_count started, ended;
    bool has_median;         /* false when no or too few ended trajectories */
    double median_days;      /* median throughput time of the trajectories ended in the year */
    int64_t spend_month[12]; /* net claimed cents per month */
    int64_t spend_total;     /* sum of spend_month */
    int64_t claim_lines;     /* claim lines counted */
    int months_with_claims;  /* months up to the last month with claims */
    int last_month;          /* 1..12, 0 = no claims */
    enum projection_method method;
    int64_t projected_total; /* projection to 31 December, cents (spend_total if complete) */
    int64_t budget_cents;
    int64_t cap_cents;       /* -1 = none */
    double spend_pct_budget; /* spend_total / budget * 100; NAN without budget */
    double projected_pct_budget;
    bool over_budget_projected; /* projected_total > budget */
    bool over_cap_projected;    /* projected_total > cap (cap set) */
    bool over_cap;              /* spend_total > cap already */
};

/* The pure projection (unit-tested arithmetic). months: net cents per month of the year;
 * prev: the previous year's months or NULL; through_month: the last month (1..12) whose claims
 * count (months after it are not yet claimed); 12 = the year is complete.
 * Linear: total so far / months so far * 12. Previous year's profile (when prev has claims in
 * every month up to through_month and a positive total in that part): total so far / share of
 * the previous year's total that fell in those months. */
void contract_projection(const int64_t months[12], const int64_t *prev, int through_month,
                         enum projection_method *method, int64_t *projected);

/** A count through the disclosure rule (as indicator counts): 0 is shown, a count below the
 * audience's minimum is hidden with the reason, a shown count is rounded. */
void contract_disclose_count(const struct dc_rules *r, int64_t v, struct disclosed_count *out);

/** Median of n sorted values (0 when n == 0). */
double contract_median(const int32_t *sorted, int64_t n);

/**
 * Computes the figures of contract c for year. today decides which months are complete: in
 * the current year only months before today's month count for the projection (a month being
 * claimed is incomplete). 0 or a negative err.
 */
int contract_figures_compute(struct arena *a, struct store *s, const struct contract *c, int year,
                             day_t today, const struct dc_rules *rules,
                             struct contract_figures *out);

/** The figures as a table (one row per month plus totals) in CSV or XLSX into out. */
int contract_figures_export(struct arena *a, const struct contract *c,
                            const struct contract_figures *f, bool xlsx, const char *tmp_dir,
                            const char **out, size_t *len, struct err_ctx *e);

#endif
