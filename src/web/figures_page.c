/*
 * figures_page.c: HTML building blocks for pages that show indicator views (see
 * figures_page.h). Everything here formats figures the view already disclosed; hidden cells
 * stay "." and are never turned into numbers.
 */
#include "web/figures_page.h"
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include "web/page.h"
#include <math.h>

/* --- Assets and embedded JSON --- */

void fp_assets(struct html *h)
{
    /* Stylesheet links and deferred scripts are allowed in <body>; the page frame owns <head>.
     * Order matters: Plot's UMD build needs the global d3. */
    html_raw(h, "<link rel=\"stylesheet\" href=\"/static/dashboard.css\">"
                "<script src=\"/static/d3.min.js\" defer></script>"
                "<script src=\"/static/plot.umd.min.js\" defer></script>"
                "<script src=\"/static/charts.js\" defer></script>");
}

static void track(struct html *h, int rc)
{
    if (rc && !h->err)
        h->err = rc;
}

void fp_json_script(struct html *h, const char *id, const char *json)
{
    html_raw(h, "<script type=\"application/json\"");
    html_attr(h, "id", id);
    html_raw(h, ">");
    /* Valid JSON has '<', '>' and '&' only inside strings, where the \u escapes mean the same
     * character; so the element's text can never contain "</script" or "<!--". */
    const char *run = json ? json : "null";
    for (const char *p = run; *p && !h->err; p++) {
        const char *esc = *p == '<'   ? "\\u003c"
                          : *p == '>' ? "\\u003e"
                          : *p == '&' ? "\\u0026"
                                      : NULL;
        if (!esc)
            continue;
        track(h, buf_append(&h->b, run, (size_t)(p - run)));
        if (!h->err)
            track(h, buf_append(&h->b, esc, 6));
        run = p + 1;
    }
    if (!h->err)
        track(h, buf_append_str(&h->b, run));
    html_raw(h, "</script>");
}

/* --- Numbers --- */

void fp_number(double x, int decimals, char out[static FP_NUM_MAX])
{
    char raw[400]; /* any double with 6 decimals fits */
    size_t o = 0;
    if (isnan(x) || isinf(x)) {
        snprintf(out, FP_NUM_MAX, "–");
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    int n = snprintf(raw, sizeof raw, "%.*f", decimals, x);
    if (n <= 0 || (size_t)n >= sizeof raw) {
        snprintf(out, FP_NUM_MAX, "–");
        return;
    }
    const char *p = raw;
    if (*p == '-') {
        /* "-0,0" is not a number people expect to see. */
        bool zero = true;
        for (const char *q = p + 1; *q; q++)
            zero = zero && (*q == '0' || *q == '.' || *q == ',');
        if (!zero)
            out[o++] = '-';
        p++;
    }
    /* Request threads run in the user's locale (web/i18n.c), where printf may write a
     * decimal comma: accept either as the decimal separator. */
    const char *dot = strpbrk(p, ".,");
    size_t intlen = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < intlen && o + 2 < FP_NUM_MAX; i++) {
        if (i > 0 && (intlen - i) % 3 == 0 && o + 2 < FP_NUM_MAX)
            out[o++] = '.';
        out[o++] = p[i];
    }
    if (dot) {
        if (o + 1 < FP_NUM_MAX)
            out[o++] = ',';
        for (const char *q = dot + 1; *q && o + 1 < FP_NUM_MAX; q++)
            out[o++] = *q;
    }
    out[o] = '\0';
}

void fp_count(int64_t v, char out[static FP_NUM_MAX])
{
    fp_number((double)v, 0, out);
}

void fp_value(const struct mx_view *v, double x, char out[static FP_NUM_MAX])
{
    /* The view's own formatter, so a target or benchmark reads exactly like the figure. */
    mx_view_format_number(v, x, out, FP_NUM_MAX);
}

/* --- Cells --- */

bool fp_is_total(const struct mx_view *v, const struct mx_vcell *c)
{
    for (int k = 0; k < v->nby && k < MX_MAX_BY; k++)
        if (c->key[k])
            return false;
    return true;
}

/* A period that runs past the data date is still filling up: its counts are not final. */
static bool incomplete(const struct mx_view *v, int period_idx)
{
    if (period_idx < 0 || period_idx >= v->nperiods || v->data_date == DAY_NONE ||
        v->data_date == 0)
        return false;
    return period_end(v->periods[period_idx]) > v->data_date;
}

const struct mx_vcell *fp_latest_total(const struct mx_view *v)
{
    /* Prefer the latest complete period: a quarter that has just begun would look like a
     * drop. An incomplete one only when nothing else is shown. */
    const struct mx_vcell *best = NULL, *any = NULL;
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        if (c->reason != DC_SHOWN || !fp_is_total(v, c))
            continue;
        if (!any || c->period_idx > any->period_idx)
            any = c;
        if (!incomplete(v, c->period_idx) && (!best || c->period_idx > best->period_idx))
            best = c;
    }
    return best ? best : any;
}

const char *fp_no_figure_text(const struct mx_view *v)
{
    bool any = false, all_no_data = true;
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        if (!fp_is_total(v, c))
            continue;
        any = true;
        all_no_data = all_no_data && c->reason == DC_NO_DATA;
    }
    if (!any || all_no_data) {
        if (v->def && v->def->agg == IND_AGG_RATE)
            return _("Nog geen cijfer: voor een cijfer per 1.000 inwoners zijn de "
                     "bevolkingscijfers van het CBS nodig, en die zijn voor deze perioden nog "
                     "niet aangeleverd.");
        return _("Geen gegevens in deze perioden.");
    }
    return _("Niet getoond, zodat niemand herkenbaar wordt: de aantallen zijn te klein.");
}

int fp_latest_breakdown_period(const struct mx_view *v)
{
    int best = -1, any = -1;
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        if (c->reason != DC_SHOWN || fp_is_total(v, c))
            continue;
        if (c->period_idx > any)
            any = c->period_idx;
        if (!incomplete(v, c->period_idx) && c->period_idx > best)
            best = c->period_idx;
    }
    return best >= 0 ? best : any;
}

const char *fp_period_label(struct arena *a, const struct mx_view *v, int i)
{
    char label[PERIOD_LABEL_MAX];
    if (i < 0 || i >= v->nperiods)
        return "";
    period_label(v->periods[i], label, sizeof label);
    const char *s = arena_strdup(a, label);
    return s ? s : "";
}

/* --- Trend, target and benchmark texts --- */

/* Counts depend on the size of a gemeente or provider: comparing Emmen's number of clients
 * with the median of smaller gemeenten says nothing. Rates, shares, means do compare. */
static bool bench_meaningful(const struct mx_view *v)
{
    return !v->def || v->def->agg != IND_AGG_COUNT;
}

bool fp_bench_shown(const struct mx_view *v, const struct mx_vcell *c)
{
    return c && !isnan(c->bench_median) && bench_meaningful(v);
}

void fp_trend(struct html *h, const struct mx_view *v, const struct mx_vcell *c)
{
    char now[FP_NUM_MAX], before[FP_NUM_MAX];
    if (!c || c->reason != DC_SHOWN || isnan(c->prev) || isnan(c->value))
        return;
    fp_value(v, c->value, now);
    fp_value(v, c->prev, before);
    /* Equal as people read them means equal: no arrow for a change in the third decimal. */
    int dir = strcmp(now, before) == 0 ? 0 : c->value > c->prev ? 1 : -1;
    enum ind_polarity pol = v->def ? v->def->polarity : IND_NEUTRAL;
    /* A percentage whose previous value lies inside this period's 95% margin may have moved
     * by chance: say so, and do not call it better or worse. */
    bool chance =
        dir != 0 && !isnan(c->lo) && !isnan(c->hi) && c->prev >= c->lo && c->prev <= c->hi;
    int better = pol == IND_NEUTRAL || dir == 0 || chance  ? 0
                 : (pol == IND_HIGHER_BETTER) == (dir > 0) ? 1
                                                           : -1;
    html_raw(h, "<span class=\"duiding-trend");
    if (better > 0)
        html_raw(h, " duiding-trend--beter");
    else if (better < 0)
        html_raw(h, " duiding-trend--slechter");
    html_raw(h, "\"><span class=\"duiding-trend__pijl\" aria-hidden=\"true\">");
    html_text(h, dir > 0 ? "▲" : dir < 0 ? "▼" : "▶");
    html_raw(h, "</span> ");
    html_text(h, dir > 0 ? _("gestegen") : dir < 0 ? _("gedaald") : _("gelijk gebleven"));
    if (better != 0) {
        html_raw(h, ": <strong>");
        html_text(h, better > 0 ? _("beter") : _("slechter"));
        html_raw(h, "</strong>");
    } else if (chance) {
        html_text(h, _(", binnen de onzekerheidsmarge"));
    }
    html_raw(h, " <span class=\"duiding-trend__was\">(");
    html_textf(h, _("was %s"), before);
    html_raw(h, ")</span></span>");
}

void fp_target_text(struct html *h, const struct mx_view *v, const struct mx_vcell *c)
{
    char t[FP_NUM_MAX];
    if (!c || isnan(c->target))
        return;
    fp_value(v, c->target, t);
    html_raw(h, "<span class=\"duiding-doel\">");
    html_textf(h, _("Streefwaarde %s"), t);
    enum ind_polarity pol = v->def ? v->def->polarity : IND_NEUTRAL;
    if (c->reason == DC_SHOWN && !isnan(c->value) && pol != IND_NEUTRAL) {
        bool met = pol == IND_HIGHER_BETTER ? c->value >= c->target : c->value <= c->target;
        html_raw(h, ": ");
        if (met) {
            html_raw(h, "<span class=\"duiding-doel--gehaald\">");
            html_text(h, _("gehaald"));
        } else {
            html_raw(h, "<span class=\"duiding-doel--niet\">");
            html_text(h, _("nog niet gehaald"));
        }
        html_raw(h, "</span>");
    }
    html_raw(h, "</span>");
}

static const char *bench_who(const struct mx_view *v)
{
    return v->bench_dim == MX_DIM_AANBIEDER ? _("andere aanbieders in de regio")
                                            : _("andere gemeenten in de regio");
}

void fp_bench_text(struct html *h, const struct mx_view *v, const struct mx_vcell *c)
{
    char lo[FP_NUM_MAX], med[FP_NUM_MAX], hi[FP_NUM_MAX];
    if (!fp_bench_shown(v, c))
        return;
    fp_value(v, c->bench_p25, lo);
    fp_value(v, c->bench_median, med);
    fp_value(v, c->bench_p75, hi);
    html_raw(h, "<span class=\"duiding-bench\">");
    html_textf(h,
               _("Ter vergelijking, %s: het midden (mediaan) is %s, de middelste helft zit tussen "
                 "%s en %s (%d in totaal)."),
               bench_who(v), med, lo, hi, c->bench_entities);
    html_raw(h, "</span>");
}

/* --- The table --- */

static bool any_target(const struct mx_view *v)
{
    for (size_t i = 0; i < v->ncells; i++)
        if (!isnan(v->cells[i].target))
            return true;
    return false;
}

static bool any_bench(const struct mx_view *v)
{
    if (!bench_meaningful(v))
        return false;
    for (size_t i = 0; i < v->ncells; i++)
        if (!isnan(v->cells[i].bench_median))
            return true;
    return false;
}

static bool any_prev(const struct mx_view *v)
{
    for (size_t i = 0; i < v->ncells; i++)
        if (!isnan(v->cells[i].prev))
            return true;
    return false;
}

static bool is_proportion(const struct mx_view *v)
{
    return v->def && v->def->agg == IND_AGG_PROPORTION;
}

/* A hidden figure: "." with the note letter; the reason is the cell's description. */
static void hidden_cell(struct html *h, const char *id, char letter)
{
    char ref[96];
    snprintf(ref, sizeof ref, "%s-noot-%c", id, letter);
    html_raw(h, "<td class=\"utrecht-table__cell duiding-num duiding-verborgen\"");
    html_attr(h, "aria-describedby", ref);
    html_raw(h, ">.<sup aria-hidden=\"true\">");
    html_textn(h, &letter, 1);
    html_raw(h, "</sup></td>");
}

static void num_cell(struct html *h, const char *text)
{
    html_raw(h, "<td class=\"utrecht-table__cell duiding-num\">");
    html_text(h, text);
    html_raw(h, "</td>");
}

void fp_table(struct html *h, struct http_req *req, const struct mx_view *v, const char *caption,
              const char *id, enum fp_table_rows rows, int period_idx)
{
    const char *headers[4 + MX_MAX_BY + 6];
    int nh = 0;
    bool prop = is_proportion(v), tgt = any_target(v), bench = any_bench(v), prev = any_prev(v);
    char letters[DC_COMPLEMENT + 1] = {0}; /* reason -> note letter, in order of appearance */
    char next_letter = 'a';
    size_t nrows = 0;

    /* Letters first, so every hidden cell can point at its note. */
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        if ((period_idx >= 0 && c->period_idx != period_idx) ||
            (rows == FP_ROWS_TOTALS && !fp_is_total(v, c)))
            continue;
        nrows++;
        if (c->reason != DC_SHOWN && c->reason <= DC_COMPLEMENT && !letters[c->reason])
            letters[c->reason] = next_letter++;
    }
    if (nrows == 0) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, _("Er zijn (nog) geen cijfers voor deze keuze."));
        html_raw(h, "</p>");
        return;
    }

    headers[nh++] = _("Periode");
    if (rows == FP_ROWS_ALL)
        for (int k = 0; k < v->nby && k < MX_MAX_BY; k++)
            headers[nh++] = _(mx_dim_label(v->by[k]));
    headers[nh++] = _("Waarde");
    if (prop)
        headers[nh++] = _("Onzekerheidsmarge (95%)");
    headers[nh++] = prop ? _("Aantal (van totaal)") : _("Aantal");
    if (tgt)
        headers[nh++] = _("Streefwaarde");
    if (bench)
        headers[nh++] = _("Vergelijking: midden (middelste helft)");
    if (prev)
        headers[nh++] = _("Ten opzichte van de periode ervoor");

    html_raw(h, "<div class=\"utrecht-table-container utrecht-table-container--overflow-inline "
                "duiding-figures-table\" tabindex=\"0\" role=\"group\"");
    html_attr(h, "aria-label", caption);
    html_raw(h, "><table class=\"utrecht-table utrecht-table--html-table\"");
    html_attr(h, "id", id);
    html_raw(h, "><caption class=\"utrecht-table__caption\">");
    html_text(h, caption);
    html_raw(h,
             "</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
    for (int i = 0; i < nh; i++) {
        html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell\">");
        html_text(h, headers[i]);
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");

    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        char buf[FP_NUM_MAX], b2[FP_NUM_MAX], b3[FP_NUM_MAX];
        if ((period_idx >= 0 && c->period_idx != period_idx) ||
            (rows == FP_ROWS_TOTALS && !fp_is_total(v, c)))
            continue;
        bool shown = c->reason == DC_SHOWN;
        char letter = c->reason <= DC_COMPLEMENT ? letters[c->reason] : 'a';
        bool total = fp_is_total(v, c);
        html_raw(h, "<tr class=\"utrecht-table__row");
        if (total && rows == FP_ROWS_ALL && v->nby > 0)
            html_raw(h, " duiding-row-total");
        html_raw(h, "\"><th scope=\"row\" class=\"utrecht-table__header-cell\">");
        html_text(h, fp_period_label(req->arena, v, c->period_idx));
        if (incomplete(v, c->period_idx)) {
            html_raw(h, " <span class=\"duiding-muted duiding-open-period\">(");
            html_text(h, _("nog niet compleet"));
            html_raw(h, ")</span>");
        }
        html_raw(h, "</th>");
        if (rows == FP_ROWS_ALL)
            for (int k = 0; k < v->nby && k < MX_MAX_BY; k++) {
                html_raw(h, "<td class=\"utrecht-table__cell\">");
                if (c->key[k])
                    html_text(h, figures_label(req, v->by[k], c->key[k]));
                else {
                    html_raw(h, "<strong>");
                    html_text(h, _("Totaal"));
                    html_raw(h, "</strong>");
                }
                html_raw(h, "</td>");
            }
        /* Value */
        if (shown) {
            mx_view_format_value(v, c, buf, sizeof buf);
            num_cell(h, buf);
        } else {
            hidden_cell(h, id, letter);
        }
        /* Interval */
        if (prop) {
            if (!shown)
                num_cell(h, ".");
            else if (isnan(c->lo) || isnan(c->hi))
                num_cell(h, "–");
            else {
                fp_value(v, c->lo, b2);
                fp_value(v, c->hi, b3);
                html_raw(h, "<td class=\"utrecht-table__cell duiding-num\">");
                html_textf(h, _("%s tot %s"), b2, b3);
                html_raw(h, "</td>");
            }
        }
        /* n */
        if (!shown || c->n < 0) {
            num_cell(h, ".");
        } else if (prop && c->num >= 0 && c->den >= 0) {
            fp_count(c->num, b2);
            fp_count(c->den, b3);
            html_raw(h, "<td class=\"utrecht-table__cell duiding-num\">");
            html_textf(h, _("%s van %s"), b2, b3);
            html_raw(h, "</td>");
        } else {
            fp_count(c->n, b2);
            num_cell(h, b2);
        }
        if (tgt) {
            fp_value(v, c->target, b2);
            num_cell(h, b2);
        }
        if (bench) {
            if (isnan(c->bench_median)) {
                num_cell(h, "–");
            } else {
                fp_value(v, c->bench_median, buf);
                fp_value(v, c->bench_p25, b2);
                fp_value(v, c->bench_p75, b3);
                html_raw(h, "<td class=\"utrecht-table__cell duiding-num\">");
                html_textf(h, _("%s (%s tot %s)"), buf, b2, b3);
                html_raw(h, "</td>");
            }
        }
        if (prev) {
            html_raw(h, "<td class=\"utrecht-table__cell\">");
            if (shown && !isnan(c->prev))
                fp_trend(h, v, c);
            else
                html_text(h, "–");
            html_raw(h, "</td>");
        }
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div>");

    /* Notes: what "." means, per reason, and how counts were rounded. */
    html_raw(h, "<div class=\"duiding-table-notes\">");
    if (next_letter > 'a') {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_text(h,
                  _("Een punt (.) betekent: dit cijfer laten we niet zien. Zo beschermen we de "
                    "privacy van de mensen achter de cijfers. Het betekent niet dat het cijfer 0 "
                    "is."));
        html_raw(h, "</p><ul class=\"duiding-notes\">");
        for (char l = 'a'; l < next_letter; l++) {
            int r = 1;
            while (r <= DC_COMPLEMENT && letters[r] != l)
                r++;
            if (r > DC_COMPLEMENT)
                continue;
            char nid[96];
            snprintf(nid, sizeof nid, "%s-noot-%c", id, letters[r]);
            html_raw(h, "<li");
            html_attr(h, "id", nid);
            html_raw(h, "><span class=\"duiding-notes__letter\">");
            html_textn(h, &letters[r], 1);
            html_raw(h, "</span> ");
            html_text(h, _(dc_reason_text((enum dc_reason)r)));
            html_raw(h, "</li>");
        }
        html_raw(h, "</ul>");
    }
    if (v->rules.round_to > 1) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_textf(h, _("Aantallen zijn afgerond op een veelvoud van %d."), v->rules.round_to);
        html_raw(h, "</p>");
    }
    if (prop) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        /* xgettext:no-c-format */
        html_text(h, _("Onzekerheidsmarge: met 95% zekerheid ligt het echte percentage tussen deze "
                       "twee waarden. Hoe minder mensen, hoe groter de marge."));
        html_raw(h, "</p>");
    }
    html_raw(h, "</div>");
}

/* --- Charts --- */

static void legend_item(struct html *h, const char *cls, const char *label)
{
    html_raw(h, "<li class=\"duiding-legend__item\"><span class=\"duiding-legend__swatch ");
    html_text(h, cls);
    html_raw(h, "\"></span>");
    html_text(h, label);
    html_raw(h, "</li>");
}

/* Does the chart draw a "." (a hidden total in the trend, a hidden group in the bars)? */
static bool chart_has_hidden(const struct mx_view *v, bool trend, const char *period)
{
    char code[PERIOD_CODE_MAX];
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        if (c->reason == DC_SHOWN || fp_is_total(v, c) != trend)
            continue;
        if (trend)
            return true;
        period_code(v->periods[c->period_idx], code);
        if (period && strcmp(code, period) == 0)
            return true;
    }
    return false;
}

/* Whether the chart draws a benchmark: the trend over the totals, the bars per group of the
 * chosen period (each beside the same group elsewhere). */
static bool chart_has_bench(const struct mx_view *v, bool trend, const char *period)
{
    char code[PERIOD_CODE_MAX];
    if (!bench_meaningful(v))
        return false;
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        if (isnan(c->bench_median) || fp_is_total(v, c) != trend)
            continue;
        if (trend)
            return true;
        period_code(v->periods[c->period_idx], code);
        if (period && strcmp(code, period) == 0)
            return true;
    }
    return false;
}

void fp_chart(struct html *h, const struct mx_view *v, const char *kind, const char *data_id,
              const char *title, const char *period_code, bool small)
{
    bool trend = strcmp(kind, "trend") == 0;
    html_raw(h, "<figure class=\"duiding-chart");
    if (small)
        html_raw(h, " duiding-chart--klein");
    html_raw(h, "\" hidden");
    html_attr(h, "data-grafiek", kind);
    html_attr(h, "data-bron", data_id);
    html_attr(h, "data-periode", period_code);
    html_attr(h, "data-label-gebeurtenis", _("Gebeurtenis"));
    html_attr(h, "data-label-totaal", _("Totaal"));
    html_attr(h, "data-label-verborgen", _("niet getoond"));
    html_raw(h, "><figcaption class=\"duiding-chart__title\">");
    html_text(h, title);
    html_raw(h, " <span class=\"duiding-chart__hint\">");
    html_text(h, _("(de cijfers staan ook in de tabel)"));
    html_raw(h, "</span></figcaption><div class=\"duiding-chart__plot\" aria-hidden=\"true\">"
                "</div><ul class=\"duiding-legend\" aria-hidden=\"true\">");
    legend_item(h, trend ? "duiding-legend__swatch--lijn" : "duiding-legend__swatch--staaf",
                _("Waarde"));
    if (is_proportion(v))
        legend_item(h, trend ? "duiding-legend__swatch--marge" : "duiding-legend__swatch--snor",
                    _("Onzekerheidsmarge (95%)"));
    if (any_target(v))
        legend_item(h, "duiding-legend__swatch--doel", _("Streefwaarde"));
    if (chart_has_bench(v, trend, period_code)) {
        legend_item(h, "duiding-legend__swatch--band", _("Middelste helft ter vergelijking"));
        legend_item(h, "duiding-legend__swatch--mediaan", _("Midden (mediaan) ter vergelijking"));
    }
    if (!trend && v->nby > 0)
        legend_item(h, "duiding-legend__swatch--totaal", _("Totaal"));
    if (trend && v->nperiods > 0 && incomplete(v, v->nperiods - 1))
        legend_item(h, "duiding-legend__swatch--onvolledig", _("Periode nog niet compleet"));
    if (chart_has_hidden(v, trend, period_code))
        legend_item(h, "duiding-legend__swatch--punt", _(". = niet getoond"));
    html_raw(h, "</ul></figure>");
}

/* --- The figure card of the reports --- */

static void head_cell(struct html *h, const char *text)
{
    html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell duiding-num\">");
    html_text(h, text);
    html_raw(h, "</th>");
}

/* The figures of the card's chart as a compact table that fits beside it. Its columns follow
 * what the chart draws (fp_chart's legend), so the table says the same as the picture. */
static void card_table(struct html *h, struct http_req *req, const struct fp_card *cd,
                       const char *name, const char *id)
{
    const struct mx_view *v = cd->view;
    bool prop = is_proportion(v), target = any_target(v), bench = any_bench(v), hidden = false;
    /* A table wider than a phone scrolls inside its box, which the keyboard can reach. */
    const char *caption = arena_printf(req->arena, _("Cijfers: %s"), name);
    html_raw(h, "<div class=\"duiding-figure-card__scroll\" tabindex=\"0\" role=\"region\"");
    html_attr(h, "aria-label", caption);
    html_raw(h, "><table class=\"utrecht-table duiding-figures-table\"");
    html_attr(h, "id", id);
    html_raw(h, "><caption class=\"utrecht-table__caption\">");
    html_text(h, caption);
    html_raw(h, "</caption><thead class=\"utrecht-table__header\"><tr "
                "class=\"utrecht-table__row\"><th scope=\"col\" "
                "class=\"utrecht-table__header-cell\">");
    html_text(h, _("Periode"));
    html_raw(h, "</th>");
    head_cell(h, _("Waarde"));
    if (prop)
        head_cell(h, _("Marge (95%)"));
    head_cell(h, _("Aantal mensen"));
    if (target)
        head_cell(h, _("Doel"));
    if (bench)
        head_cell(h, cd->bench_title ? cd->bench_title : "");
    html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
    for (int i = 0; i < v->nperiods; i++) {
        const struct mx_vcell *c = mx_view_cell(v, i, NULL, NULL);
        bool shown = c && c->reason == DC_SHOWN && isfinite(c->value);
        char b1[FP_NUM_MAX], b2[FP_NUM_MAX], b3[FP_NUM_MAX];
        html_raw(h, "<tr class=\"utrecht-table__row\"><th scope=\"row\" "
                    "class=\"utrecht-table__header-cell\">");
        html_text(h, fp_period_label(req->arena, v, i));
        if (incomplete(v, i)) {
            html_raw(h, " <span class=\"duiding-muted duiding-figure-card__open\">(");
            html_text(h, _("nog niet compleet"));
            html_raw(h, ")</span>");
        }
        html_raw(h, "</th>");
        if (shown) {
            mx_view_format_value(v, c, b1, sizeof b1);
            num_cell(h, b1);
        } else {
            hidden = true;
            html_raw(h, "<td class=\"utrecht-table__cell duiding-num\">.<span "
                        "class=\"duiding-visually-hidden\"> ");
            html_text(h, c ? _(dc_reason_text(c->reason)) : _("geen gegevens"));
            html_raw(h, "</span></td>");
        }
        if (prop) {
            if (shown && isfinite(c->lo) && isfinite(c->hi)) {
                fp_value(v, c->lo, b1);
                fp_value(v, c->hi, b2);
                num_cell(h, arena_printf(req->arena, "%s – %s", b1, b2));
            } else {
                num_cell(h, shown ? "–" : ".");
            }
        }
        if (shown && c->n >= 0) {
            fp_count(c->n, b1);
            num_cell(h, b1);
        } else {
            num_cell(h, ".");
        }
        if (target) {
            fp_value(v, c ? c->target : NAN, b1);
            num_cell(h, b1);
        }
        if (bench) {
            /* The band the chart draws: the others' figures, also beside a hidden own one. */
            if (fp_bench_shown(v, c)) {
                fp_value(v, c->bench_median, b1);
                fp_value(v, c->bench_p25, b2);
                fp_value(v, c->bench_p75, b3);
                num_cell(h, arena_printf(req->arena, "%s (%s – %s)", b1, b2, b3));
            } else {
                num_cell(h, "–");
            }
        }
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div>");
    if (hidden) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, _("Een punt (.) betekent: dit cijfer laten we niet zien, omdat de groep te "
                       "klein is of er geen gegevens zijn. Het is geen nul."));
        html_raw(h, "</p>");
    }
}

void fp_figure_card(struct html *h, struct http_req *req, const struct fp_card *c)
{
    const char *name = c->name ? c->name : _("Indicator");
    int level = c->heading < 2 ? 2 : c->heading > 6 ? 6 : c->heading;
    html_raw(h, "<article class=\"duiding-figure-card\"><h");
    html_int(h, level);
    html_raw(h, " class=\"utrecht-heading-");
    html_int(h, level);
    html_raw(h, "\">");
    html_text(h, name);
    html_raw(h, "</h");
    html_int(h, level);
    html_raw(h, ">");
    if (c->explanation && *c->explanation) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, c->explanation);
        html_raw(h, "</p>");
    }
    html_raw(h, "<p class=\"utrecht-paragraph duiding-figure-card__sentence\">");
    html_text(h, c->ok && c->shown && c->sentence ? c->sentence
                 : c->problem                     ? c->problem
                                                  : _("De cijfers zijn nu niet beschikbaar."));
    html_raw(h, "</p>");
    if (!c->ok || c->view == NULL) {
        html_raw(h, "</article>");
        return;
    }
    char id[96], tid[96];
    snprintf(id, sizeof id, "%s-grafiek-%d", c->id_prefix, c->no);
    snprintf(tid, sizeof tid, "%s-tabel-%d", c->id_prefix, c->no);
    html_raw(h, "<div class=\"duiding-figure-card__body\"><div "
                "class=\"duiding-figure-card__chart\">");
    fp_json_script(h, id, mx_view_to_json(c->view, c->label, c->label_ctx, req->arena));
    fp_chart(h, c->view, "trend", id, arena_printf(req->arena, _("Verloop: %s"), name), NULL,
             false);
    html_raw(h, "</div><div class=\"duiding-figure-card__table\">");
    card_table(h, req, c, name, tid);
    html_raw(h, "</div></div></article>");
}

const char *fp_dim_word(struct arena *a, enum mx_dim d)
{
    const char *label = _(mx_dim_label(d));
    char *s = arena_strdup(a, label);
    if (!s)
        return label;
    if (*s >= 'A' && *s <= 'Z')
        *s = (char)(*s - 'A' + 'a');
    return s;
}

/* --- Query strings and scope --- */

const char *fp_query_string(struct http_req *req, const char *const *drop, int ndrop)
{
    struct buf b;
    const char *res = "";
    int rc = 0;
    buf_init(&b, BUF_MAX_SMALL);
    for (int i = 0; rc == 0 && i < req->nquery; i++) {
        const struct http_kv *kv = &req->query[i];
        bool skip = !kv->value || !*kv->value;
        for (int d = 0; !skip && d < ndrop; d++)
            skip = strcmp(kv->key, drop[d]) == 0;
        if (skip)
            continue;
        if (b.len)
            rc = buf_append_char(&b, '&');
        if (!rc)
            rc = buf_append_urlenc(&b, kv->key, strlen(kv->key));
        if (!rc)
            rc = buf_append_char(&b, '=');
        if (!rc)
            rc = buf_append_urlenc(&b, kv->value, strlen(kv->value));
    }
    if (rc == 0 && b.len) {
        char *copy = arena_strndup(req->arena, buf_cstr(&b), b.len);
        if (copy)
            res = copy;
    }
    buf_release(&b);
    return res;
}

/* "GM0114" and "0114" name the same gemeente. */
static const char *bare_cbs(const char *s)
{
    return (s && (s[0] == 'G' || s[0] == 'g') && (s[1] == 'M' || s[1] == 'm')) ? s + 2 : s;
}

bool fp_filters_in_scope(const struct mx_scope *sc, const struct figures_opts *o)
{
    const struct mx_where *g = &o->where[MX_DIM_GEMEENTE];
    if (!sc->all_gemeenten)
        for (size_t i = 0; i < g->n; i++) {
            bool ok = false;
            for (size_t j = 0; !ok && j < sc->ngemeenten; j++)
                ok = g->codes[i] && sc->gemeenten[j] &&
                     strcmp(bare_cbs(g->codes[i]), bare_cbs(sc->gemeenten[j])) == 0;
            if (!ok)
                return false;
        }
    const struct mx_where *a = &o->where[MX_DIM_AANBIEDER];
    if (sc->aanbieder_id != 0)
        for (size_t i = 0; i < a->n; i++) {
            int64_t id;
            if (!a->codes[i] || str_parse_i64_c(a->codes[i], 1, INT64_MAX, &id) != 0 ||
                id != sc->aanbieder_id)
                return false;
        }
    return true;
}

/* --- The filter form --- */

static const char *query_or(struct http_req *req, const char *key, const char *def)
{
    const char *s = http_query(req, key);
    return s && *s ? s : def;
}

/* A labelled, optional text field with a hint (GET forms: no CSRF, no error state). */
static void text_field(struct html *h, const char *name, const char *label, const char *value,
                       const char *hint)
{
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
                "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-");
    html_text(h, name);
    html_raw(h, "\">");
    html_text(h, label);
    html_raw(h, "</label></div>");
    if (hint) {
        html_raw(h, "<div class=\"utrecht-form-field-description utrecht-form-field__description\" "
                    "id=\"hint-");
        html_text(h, name);
        html_raw(h, "\">");
        html_text(h, hint);
        html_raw(h, "</div>");
    }
    html_raw(h, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
                "utrecht-textbox--html-input\" type=\"text\" autocomplete=\"off\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    html_attr(h, "value", value);
    if (hint) {
        html_raw(h, " aria-describedby=\"hint-");
        html_text(h, name);
        html_raw(h, "\"");
    }
    html_raw(h, "></div></div>");
}

void fp_dim_select(struct html *h, struct http_req *req, struct mx_engine *eng,
                   const struct mx_scope *sc, enum mx_dim d)
{
    const char **codes = NULL;
    size_t n = 0;
    const char *name = mx_dim_code(d);
    const char *cur = query_or(req, name, "");
    char own[32];

    if (d == MX_DIM_GEMEENTE && !sc->all_gemeenten) {
        codes = (const char **)sc->gemeenten;
        n = sc->ngemeenten;
    } else if (d == MX_DIM_AANBIEDER && sc->aanbieder_id != 0) {
        snprintf(own, sizeof own, "%" PRId64, sc->aanbieder_id);
        codes = arena_alloc(req->arena, sizeof *codes);
        if (codes) {
            codes[0] = arena_strdup(req->arena, own);
            n = codes[0] ? 1 : 0;
        }
    } else if (!eng || mx_dim_values(eng, d, req->arena, &codes, &n) != 0) {
        n = 0;
    }
    if (n <= 1 && !*cur && d != MX_DIM_AREA)
        return; /* nothing to choose */
    if (d == MX_DIM_AREA || n > 400) {
        /* Postcode areas are too many for a menu: a text field. */
        text_field(h, name, _(mx_dim_label(d)), cur, NULL);
        return;
    }
    struct form_option *opts = arena_calloc(req->arena, n + 2, sizeof *opts);
    int no = 0;
    bool cur_listed = !*cur;
    if (!opts)
        return;
    opts[no++] = (struct form_option){"", _("Alle")};
    for (size_t i = 0; i < n; i++) {
        if (!codes[i])
            continue;
        /* The unknown value is asked for as "onbekend" (figures.c); an empty value would be
         * the same as "Alle" and the menu would show "onbekend" when nothing was chosen. */
        const char *value = *codes[i] ? codes[i] : "onbekend";
        opts[no++] = (struct form_option){value, figures_label(req, d, codes[i])};
        cur_listed = cur_listed || strcmp(value, cur) == 0;
    }
    if (!cur_listed) /* keep what the URL asked for visible, even if the menu lacks it */
        opts[no++] = (struct form_option){cur, figures_label(req, d, cur)};
    form_select(h, NULL, name, _(mx_dim_label(d)), opts, no, cur, NULL);
}

static const char *period_kind_code(enum period_kind k)
{
    switch (k) {
    case PERIOD_MONTH:
        return "maand";
    case PERIOD_QUARTER:
        return "kwartaal";
    case PERIOD_HALF:
        return "halfjaar";
    case PERIOD_YEAR:
        return "jaar";
    }
    return "kwartaal";
}

static bool any_filter(struct http_req *req)
{
    for (int d = 0; d < MX_DIM__COUNT; d++) {
        const char *s = http_query(req, mx_dim_code((enum mx_dim)d));
        if (s && *s)
            return true;
    }
    return false;
}

void fp_filter_form(struct html *h, struct http_req *req, const char *action,
                    const struct figures_opts *o, const struct mx_scope *sc, bool with_breakdown,
                    const char *const *hidden, int nhidden)
{
    static const struct {
        const char *code, *label;
    } kinds[] = {
        {"maand", N_("Maand")},
        {"kwartaal", N_("Kwartaal")},
        {"halfjaar", N_("Halfjaar")},
        {"jaar", N_("Jaar")},
    };
    struct form_option kopts[ARRAY_LEN(kinds)];
    char first[PERIOD_CODE_MAX], last[PERIOD_CODE_MAX];
    struct mx_engine *eng = figures_engine(req);

    html_raw(h, "<form class=\"utrecht-form duiding-filter duiding-figures-filter "
                "duiding-figures-filter--drie\" method=\"get\" "
                "role=\"search\"");
    html_url_attr(h, "action", action);
    html_attr(h, "aria-label", _("Cijfers kiezen"));
    html_raw(h, ">");
    for (int i = 0; i + 1 < 2 * nhidden; i += 2) {
        if (!hidden[i + 1] || !*hidden[i + 1])
            continue;
        html_raw(h, "<input type=\"hidden\"");
        html_attr(h, "name", hidden[i]);
        html_attr(h, "value", hidden[i + 1]);
        html_raw(h, ">");
    }
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        kopts[i] = (struct form_option){kinds[i].code, _(kinds[i].label)};
    form_select(h, NULL, "periode", _("Cijfers per"), kopts, (int)ARRAY_LEN(kinds),
                query_or(req, "periode", period_kind_code(o->pkind)), NULL);
    period_code(o->first, first);
    period_code(o->last, last);
    text_field(h, "van", _("Van"), query_or(req, "van", first), _("Bijvoorbeeld 2024-Q1"));
    text_field(h, "tot", _("Tot en met"), query_or(req, "tot", last), _("Bijvoorbeeld 2025-Q4"));
    if (with_breakdown) {
        struct form_option dopts[MX_DIM__COUNT + 1];
        int nd = 0;
        dopts[nd++] = (struct form_option){"", _("Niet uitsplitsen")};
        for (int d = 0; d < MX_DIM__COUNT; d++)
            dopts[nd++] =
                (struct form_option){mx_dim_code((enum mx_dim)d), _(mx_dim_label((enum mx_dim)d))};
        form_select(h, NULL, "per", _("Uitsplitsen naar"), dopts, nd, query_or(req, "per", ""),
                    NULL);
        form_select(h, NULL, "per2", _("En daarbinnen naar"), dopts, nd, query_or(req, "per2", ""),
                    NULL);
    }
    /* The audience: only stricter than the user's own (a publication check). */
    enum dc_audience own = figures_audience(req);
    if (own != DC_PUBLISHED) {
        struct form_option aopts[2] = {
            {"", _(dc_audience_label(own))},
            {dc_audience_code(DC_PUBLISHED), _("Publicatieversie (voor openbare stukken)")},
        };
        form_select(h, NULL, "publiek", _("Versie"), aopts, 2, query_or(req, "publiek", ""), NULL);
    }
    /* Filters: folded away unless one is in use. */
    html_raw(h, "<details class=\"duiding-filter__more\"");
    html_attr_bool(h, "open", any_filter(req));
    html_raw(h, "><summary>");
    html_text(h, _("Alleen een deel van de cijfers bekijken"));
    html_raw(h, "</summary><div class=\"duiding-filter__grid\">");
    for (int d = 0; d < MX_DIM__COUNT; d++)
        fp_dim_select(h, req, eng, sc, (enum mx_dim)d);
    html_raw(h, "</div></details>");
    html_raw(h,
             "<div class=\"utrecht-button-group\"><button type=\"submit\" class=\"utrecht-button "
             "utrecht-button--primary-action\">");
    html_text(h, _("Cijfers tonen"));
    html_raw(h, "</button></div></form>");
}

/* --- Definitions in plain words --- */

const char *fp_law_label(const struct ind_def *d)
{
    const char *code = d->code ? d->code : "";
    const char *pop = d->population ? d->population : "";
    if (strncmp(code, "jw_", 3) == 0)
        return N_("Jeugdwet");
    if (strncmp(code, "wmo_", 4) == 0)
        return N_("Wmo");
    bool jw = strstr(pop, "\"jw\"") != NULL, wmo = strstr(pop, "\"wmo\"") != NULL;
    if (jw && !wmo)
        return N_("Jeugdwet");
    if (wmo && !jw)
        return N_("Wmo");
    return N_("Jeugdwet en Wmo");
}

static const char *unit_plural(enum ind_unit u)
{
    switch (u) {
    case IND_UNIT_TRAJECTORY:
        return _("trajecten");
    case IND_UNIT_PERSON:
        return _("personen");
    case IND_UNIT_RESPONSE:
        return _("antwoorden op de vragenlijst");
    }
    return "";
}

const char *fp_formula_text(struct arena *a, const struct ind_def *d)
{
    const char *what = "", *when = "";
    const char *u = unit_plural(d->unit);
    switch (d->agg) {
    case IND_AGG_PROPORTION:
        what = arena_printf(a,
                            _("Het deel (in procenten) van de %s in de noemer waarbij de "
                              "uitkomst geldt."),
                            u);
        break;
    case IND_AGG_MEAN:
        what = arena_printf(a, _("Het gemiddelde over de %s waarvan de waarde bekend is."), u);
        break;
    case IND_AGG_MEDIAN:
        what = arena_printf(a,
                            _("De middelste waarde (mediaan) over de %s waarvan de waarde "
                              "bekend is."),
                            u);
        break;
    case IND_AGG_COUNT:
        what = arena_printf(a, _("Het aantal %s."), u);
        break;
    case IND_AGG_RATE:
        what = arena_printf(a, _("Het aantal %s per 1.000 inwoners van %d tot en met %d jaar."), u,
                            d->age_from, d->age_to);
        break;
    }
    switch (d->anchor) {
    case IND_ANCHOR_END:
        when = _("Een traject telt mee in de periode waarin het eindigt.");
        break;
    case IND_ANCHOR_START:
        when = _("Een traject telt mee in de periode waarin het begint.");
        break;
    case IND_ANCHOR_ACTIVE:
        when = _("Een traject telt mee in elke periode waarin het loopt.");
        break;
    case IND_ANCHOR_RESPONSE:
        when = _("Een antwoord telt mee in de periode waarin het is gegeven.");
        break;
    }
    const char *s = arena_printf(a, "%s %s", what ? what : "", when);
    return s ? s : "";
}
