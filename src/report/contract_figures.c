/*
 * contract_figures.c: business figures of one contract for a year (contract_figures.h): sums
 * from the store (claims per month, trajectory counts and durations), the projection to year
 * end, the comparison with budget and omzetplafond, and the disclosure of client counts. The
 * projection and median are pure functions so their arithmetic is unit-tested on its own.
 */
#include "report/contract_figures.h"
#include "core/common.h"
#include "report/text_table.h"
#include "store/contract_store.h"
#include <math.h>

const char *projection_method_code(enum projection_method m)
{
    switch (m) {
    case PROJ_NONE:
        return "geen";
    case PROJ_LINEAR:
        return "lineair";
    case PROJ_PREVIOUS_YEAR:
        return "profiel_vorig_jaar";
    case PROJ_COMPLETE:
        return "jaar_compleet";
    }
    return "";
}

const char *projection_method_label(enum projection_method m)
{
    switch (m) {
    case PROJ_NONE:
        return _("Geen prognose: er zijn nog geen declaraties over afgesloten maanden.");
    case PROJ_LINEAR:
        return _("Lineair: het gemiddelde per maand sinds de eerste declaratie, doorgetrokken "
                 "tot 31 december.");
    case PROJ_PREVIOUS_YEAR:
        return _("Volgens het maandpatroon van vorig jaar: de uitgaven tot nu gedeeld door het "
                 "deel van vorig jaar dat in dezelfde maanden viel.");
    case PROJ_COMPLETE:
        return _("Het jaar is voorbij: dit zijn de werkelijke uitgaven.");
    }
    return "";
}

/* Previous year's share of its total in the first months must be at least this (per mille)
 * to scale by it; a smaller share would blow the projection up. */
#define PROFILE_MIN_SHARE_PERMILLE 50

void contract_projection(const int64_t months[12], const int64_t *prev, int through_month,
                         enum projection_method *method, int64_t *projected)
{
    int64_t all = 0;
    for (int i = 0; i < 12; i++)
        all += months[i];
    if (through_month >= 12) {
        *method = PROJ_COMPLETE;
        *projected = all;
        return;
    }
    *method = PROJ_NONE;
    *projected = all;
    if (through_month <= 0)
        return;
    int first = -1;
    int64_t so_far = 0;
    for (int i = 0; i < through_month; i++) {
        if (first < 0 && months[i] != 0)
            first = i;
        so_far += months[i];
    }
    if (first < 0)
        return;
    int64_t proj;
    int64_t prev_total = 0, prev_part = 0;
    for (int i = 0; prev && i < 12; i++) {
        prev_total += prev[i];
        if (i < through_month)
            prev_part += prev[i];
    }
    if (prev && prev_total > 0 && prev_part > 0 &&
        prev_part * 1000 >= prev_total * PROFILE_MIN_SHARE_PERMILLE) {
        *method = PROJ_PREVIOUS_YEAR;
        proj = (int64_t)llroundl((long double)so_far * (long double)prev_total /
                                 (long double)prev_part);
    } else {
        *method = PROJ_LINEAR;
        int k = through_month - first; /* months with claims so far */
        int rest = 12 - through_month;
        proj = so_far + (int64_t)llroundl((long double)so_far * rest / k);
    }
    /* Claims already in for the month(s) being claimed count in any case. */
    *projected = proj > all ? proj : all;
}

double contract_median(const int32_t *sorted, int64_t n)
{
    if (n <= 0 || !sorted)
        return 0;
    if (n % 2)
        return sorted[n / 2];
    return ((double)sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2.0;
}

void contract_disclose_count(const struct dc_rules *r, int64_t v, struct disclosed_count *out)
{
    struct dc_cell cell = {.units = v, .den = 0, .complement = -1};
    dc_protect(r, 0, false, &cell, 1, NULL, 0);
    out->hidden = cell.reason != DC_SHOWN && v != 0;
    out->value = out->hidden ? 0 : dc_round(r, v);
    out->why = out->hidden ? _(dc_reason_text(cell.reason)) : NULL;
}

int contract_figures_compute(struct arena *a, struct store *s, const struct contract *c, int year,
                             day_t today, const struct dc_rules *rules,
                             struct contract_figures *out)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    out->budget_cents = c->budget_cents;
    out->cap_cents = c->cap_cents;
    struct contract_scope sc = {
        .aanbieder_id = c->aanbieder_id,
        .law = c->law,
        .gemeenten = (const char(*)[5])c->gemeenten,
        .ngemeenten = c->ngemeenten,
        .products = c->products,
        .nproducts = c->nproducts,
    };
    struct db *db = store_reader(s);
    int64_t prev[12], clients_claimed = 0;
    int ret;
    if ((ret = contract_store_claims_by_month(db, &sc, year, out->spend_month)) ||
        (ret = contract_store_claims_by_month(db, &sc, year - 1, prev)) ||
        (ret = contract_store_claim_counts(db, &sc, year, &out->claim_lines, &clients_claimed)))
        return ret;
    struct contract_traj_counts tc;
    if ((ret = contract_store_traj_counts(a, db, &sc, year, &tc)))
        return ret;
    for (int i = 0; i < 12; i++) {
        out->spend_total += out->spend_month[i];
        if (out->spend_month[i] != 0)
            out->last_month = i + 1;
    }
    int ty, tm, td;
    day_to_ymd(today, &ty, &tm, &td);
    int through = year < ty ? 12 : year > ty ? 0 : tm - 1;
    out->months_with_claims = 0;
    for (int i = 0; i < through && i < 12; i++)
        if (out->spend_month[i] != 0 || out->months_with_claims > 0)
            out->months_with_claims++;
    bool prev_any = false;
    for (int i = 0; i < 12; i++)
        prev_any = prev_any || prev[i] != 0;
    contract_projection(out->spend_month, prev_any ? prev : NULL, through, &out->method,
                        &out->projected_total);
    out->spend_pct_budget =
        c->budget_cents > 0 ? (double)out->spend_total * 100.0 / (double)c->budget_cents : NAN;
    out->projected_pct_budget =
        c->budget_cents > 0 ? (double)out->projected_total * 100.0 / (double)c->budget_cents : NAN;
    out->over_budget_projected = c->budget_cents > 0 && out->projected_total > c->budget_cents;
    out->over_cap_projected = c->cap_cents >= 0 && out->projected_total > c->cap_cents;
    out->over_cap = c->cap_cents >= 0 && out->spend_total > c->cap_cents;

    contract_disclose_count(rules, tc.clients, &out->clients);
    contract_disclose_count(rules, tc.trajectories, &out->trajectories);
    contract_disclose_count(rules, tc.started, &out->started);
    contract_disclose_count(rules, tc.ended, &out->ended);
    /* A median of durations rests on the ended trajectories: the same threshold. */
    out->has_median = tc.ndurations > 0 && tc.ndurations >= rules->min_count;
    out->median_days = out->has_median ? contract_median(tc.durations, tc.ndurations) : 0;
    return 0;
}

/* ---- Export. --------------------------------------------------------------------------------- */

struct export_ctx {
    const struct contract *c;
    const struct contract_figures *f;
};

#define EXPORT_SUMMARY_ROWS 12

static const char *euro_text(struct arena *a, int64_t cents)
{
    int64_t abs = cents < 0 ? -cents : cents;
    return arena_printf(a, "%s%" PRId64 ",%02" PRId64, cents < 0 ? "-" : "", abs / 100, abs % 100);
}

static const char *count_text(struct arena *a, const struct disclosed_count *d)
{
    return d->hidden ? arena_printf(a, ". (%s)", d->why ? d->why : "")
                     : arena_printf(a, "%" PRId64, d->value);
}

static bool export_row(void *ctxp, struct arena *a, int i, const char **cells, bool *skip)
{
    const struct export_ctx *x = ctxp;
    const struct contract_figures *f = x->f;
    *skip = false;
    if (i < 12) {
        cells[0] = arena_printf(a, "%d-%02d", f->year, i + 1);
        cells[1] = _("Gedeclareerd (euro)");
        cells[2] = euro_text(a, f->spend_month[i]);
        return cells[0] && cells[2];
    }
    cells[0] = arena_printf(a, "%d", f->year);
    switch (i - 12) {
    case 0:
        cells[1] = _("Gedeclareerd totaal (euro)");
        cells[2] = euro_text(a, f->spend_total);
        break;
    case 1:
        cells[1] = _("Budget (euro)");
        cells[2] = euro_text(a, f->budget_cents);
        break;
    case 2:
        cells[1] = _("Omzetplafond (euro)");
        cells[2] = f->cap_cents >= 0 ? euro_text(a, f->cap_cents) : "";
        break;
    case 3:
        cells[1] = _("Prognose jaareinde (euro)");
        cells[2] = euro_text(a, f->projected_total);
        break;
    case 4:
        cells[1] = _("Prognosemethode");
        cells[2] = projection_method_label(f->method);
        break;
    case 5:
        cells[1] = _("Cliënten");
        cells[2] = count_text(a, &f->clients);
        break;
    case 6:
        cells[1] = _("Trajecten");
        cells[2] = count_text(a, &f->trajectories);
        break;
    case 7:
        cells[1] = _("Trajecten gestart");
        cells[2] = count_text(a, &f->started);
        break;
    case 8:
        cells[1] = _("Trajecten beëindigd");
        cells[2] = count_text(a, &f->ended);
        break;
    case 9:
        cells[1] = _("Mediane doorlooptijd (dagen)");
        cells[2] = f->has_median ? arena_printf(a, "%.1f", f->median_days)
                                 : _(". (te weinig beëindigde trajecten)");
        break;
    case 10:
        cells[1] = _("Declaratieregels");
        cells[2] = arena_printf(a, "%" PRId64, f->claim_lines);
        break;
    default:
        cells[1] = _("Contract");
        cells[2] = x->c->name;
        break;
    }
    return cells[0] && cells[2];
}

int contract_figures_export(struct arena *a, const struct contract *c,
                            const struct contract_figures *f, bool xlsx, const char *tmp_dir,
                            const char **out, size_t *len, struct err_ctx *e)
{
    const char *headings[3] = {_("Periode"), _("Onderdeel"), _("Waarde")};
    struct export_ctx x = {.c = c, .f = f};
    struct text_table t = {
        .headings = headings,
        .ncols = 3,
        .nrows = 12 + EXPORT_SUMMARY_ROWS,
        .row = export_row,
        .ctx = &x,
        .sheet = "Bedrijfsvoering",
        .prefix = "contract",
        .wide_col = 2,
    };
    return xlsx ? text_table_xlsx(a, &t, tmp_dir, out, len, e) : text_table_csv(a, &t, out, len, e);
}
