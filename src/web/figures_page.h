/*
 * figures_page.h: HTML building blocks shared by the pages that show indicator views
 * (page_indicator.c, page_dashboard.c, and the figure cards of the reports page_mirror.c and
 * page_council.c): the chart assets, the view JSON embedded for static/charts.js, the
 * accessible table of every figure with its "." notes, Dutch number formats, the trend arrow,
 * the filter form and the scope check on explicit filters.
 * Figures come only from web/figures.h; this file formats what the view already disclosed.
 */
#ifndef DUIDING_WEB_FIGURES_PAGE_H
#define DUIDING_WEB_FIGURES_PAGE_H

#include "metrics/catalog.h"
#include "web/figures.h"
#include "web/html.h"
#include "web/http.h"
#include <stdbool.h>
#include <stddef.h>

#define FP_NUM_MAX 64 /* room for any formatted number or value */

/** Links static/dashboard.css and the chart scripts (d3, Plot, charts.js; deferred). Call once,
 * right after page_begin. */
void fp_assets(struct html *h);

/**
 * <script type="application/json" id="id">json</script>. '<', '>' and '&' (which only occur
 * inside JSON strings) are written as \u003c, \u003e, \u0026, so no value can end the element
 * or open markup: safe by construction like every other html_* call.
 */
void fp_json_script(struct html *h, const char *id, const char *json);

/** x in Dutch format with `decimals` decimals ("1.234", "12,5"; "−3" for negatives). */
void fp_number(double x, int decimals, char out[static FP_NUM_MAX]);
/** A count in Dutch format ("1.234"). */
void fp_count(int64_t v, char out[static FP_NUM_MAX]);
/** x formatted like the view's values ("12,5%", "38 dagen", "7,4"); "–" for NAN. */
void fp_value(const struct mx_view *v, double x, char out[static FP_NUM_MAX]);

/** True when every key of the cell is NULL (the total over the breakdown). */
bool fp_is_total(const struct mx_view *v, const struct mx_vcell *c);
/** The shown total of the latest complete period (one that ends on or before the data date),
 * else of the latest period at all; NULL if no period has one. */
const struct mx_vcell *fp_latest_total(const struct mx_view *v);
/** Why a view has no shown total at all, for people: no population figures yet (a rate per
 * 1,000), no data in these periods, or too few people. A msgid already translated. */
const char *fp_no_figure_text(const struct mx_view *v);
/** The latest complete period with at least one shown cell below the total (an incomplete
 * one only when no other has any); -1 if none. */
int fp_latest_breakdown_period(const struct mx_view *v);

/** Readable period label ("3e kwartaal 2024") of the view's period i. Arena string. */
const char *fp_period_label(struct arena *a, const struct mx_view *v, int i);

/**
 * The trend of a shown cell against the previous period: an arrow (decoration) and a text
 * ("gestegen", "gedaald", "gelijk gebleven"), with "beter"/"slechter" when the indicator has a
 * direction. Writes nothing without a previous value.
 */
void fp_trend(struct html *h, const struct mx_view *v, const struct mx_vcell *c);

/** "Streefwaarde 80%: gehaald" / "nog niet gehaald" (direction-aware); nothing without one. */
void fp_target_text(struct html *h, const struct mx_view *v, const struct mx_vcell *c);
/** Whether fp_bench_text writes anything for c: a benchmark exists and means something (not
 * for counts, which follow the size of a gemeente or provider). */
bool fp_bench_shown(const struct mx_view *v, const struct mx_vcell *c);
/** "Andere gemeenten: mediaan 75%, middelste helft 70–80% (12 gemeenten)"; nothing without. */
void fp_bench_text(struct html *h, const struct mx_view *v, const struct mx_vcell *c);

enum fp_table_rows {
    FP_ROWS_ALL,    /* every cell */
    FP_ROWS_TOTALS, /* only the totals (one row per period) */
};

/**
 * The accessible table of a view: period (row header), breakdown keys, value, 95% interval
 * (proportions), n, target and benchmark when any cell has one, and the trend. Hidden figures
 * show "." with a note letter; the notes under the table explain each reason. period_idx -1:
 * all periods, else only that period. id: unique id prefix for the notes.
 */
void fp_table(struct html *h, struct http_req *req, const struct mx_view *v, const char *caption,
              const char *id, enum fp_table_rows rows, int period_idx);

/**
 * A chart drawn by static/charts.js from the JSON script data_id: a <figure> with a visible
 * title, hidden until the script has drawn it (without JavaScript only the table shows), and a
 * legend. kind: "trend" or "verdeling" (horizontal bars for period_code). small: card size.
 */
void fp_chart(struct html *h, const struct mx_view *v, const char *kind, const char *data_id,
              const char *title, const char *period_code, bool small);

/** One figure of a report (spiegelrapportage, raadsrapportage) for fp_figure_card. */
struct fp_card {
    const char *name;           /* the indicator's name; NULL: "Indicator" */
    int heading;                /* heading level of the name (2-6) */
    const char *explanation;    /* or NULL */
    bool ok;                    /* the view was computed; false: name, explanation, text only */
    bool shown;                 /* a total is shown: the card says sentence, else problem */
    const char *sentence;       /* plain Dutch about the latest figure */
    const char *problem;        /* why there is no figure; NULL: a general text */
    const struct mx_view *view; /* totals per period (no breakdown); read when ok */
    const char *id_prefix; /* "raad": chart data "raad-grafiek-<no>", table "raad-tabel-<no>" */
    int no;                /* unique on the page */
    mx_label_fn label;     /* names of keys in the chart JSON; NULL: codes */
    void *label_ctx;
    const char
        *bench_title; /* head of the benchmark column ("Andere aanbieders: ..."), translated */
};

/**
 * A figure card: the name as a heading, the explanation, the sentence (or the problem), and
 * when ok the trend chart beside the table of the same figures (period, value, margin for
 * proportions, n, target and benchmark when the chart draws them; a period still filling up
 * is marked). The table scrolls inside a keyboard-reachable region on narrow screens. Hidden
 * values are "." with the reason for screen readers. Styles: .duiding-figure-card* in
 * static/duiding.css.
 */
void fp_figure_card(struct html *h, struct http_req *req, const struct fp_card *c);

/** A dimension's label for use inside a sentence: "aanbieder", "leeftijd". Arena string. */
const char *fp_dim_word(struct arena *a, enum mx_dim d);

/** The request's query string rebuilt ("a=1&b=x%20y", "" for none), without the keys in drop.
 * Arena string. */
const char *fp_query_string(struct http_req *req, const char *const *drop, int ndrop);

/**
 * True when the explicit gemeente and aanbieder filters in o lie within the actor's scope. A
 * provider asking for another aanbieder, or a gemeente for another gemeente, gets a 403 from
 * the pages instead of an empty or intersected view.
 */
bool fp_filters_in_scope(const struct mx_scope *sc, const struct figures_opts *o);

/**
 * The filter form of the indicator page and the dashboard (GET, action): period kind, range,
 * breakdown (with_breakdown), the filters on gemeente, aanbieder, law, category, hulpvorm,
 * age band, gender, referrer and area, and the audience ("publicatieversie"). Current values
 * come from the query; menus list the codes the actor's scope allows. hidden: extra key/value
 * pairs to keep (e.g. resultaat), nhidden pairs.
 */
void fp_filter_form(struct html *h, struct http_req *req, const char *action,
                    const struct figures_opts *o, const struct mx_scope *sc, bool with_breakdown,
                    const char *const *hidden, int nhidden);

/** One filter menu: the codes of dimension d that the scope allows (names as labels), with
 * "Alle" first; a text field for areas. Nothing when there is only one choice. eng may be NULL
 * (figures_engine). The current value comes from the query parameter mx_dim_code(d). */
void fp_dim_select(struct html *h, struct http_req *req, struct mx_engine *eng,
                   const struct mx_scope *sc, enum mx_dim d);

/** Label of a law for grouping: "Jeugdwet", "Wmo", or "Jeugdwet en Wmo", guessed from the
 * definition's code and population ("jw_"/"wmo_", wet = "jw"). msgid, translate with _(). */
const char *fp_law_label(const struct ind_def *d);

/** Plain-language description of how the figure is computed (msgid-based, arena string). */
const char *fp_formula_text(struct arena *a, const struct ind_def *d);

#endif
