/*
 * view_json.c: a disclosed view as people and programs read it: the Dutch number format of a
 * shown value ("12,5%", "1.234", "38 dagen") and the one JSON document (view.h) that the page
 * table, the chart and the API all use. Hidden values are null with their reason, never 0.
 */
#include "core/common.h"
#include "metrics/view.h"
#include <jansson.h>
#include <math.h>

/* ---- Dutch numbers. ------------------------------------------------------------------------ */

/* Copies s into out[0..n), cut when too long. */
static void put(char *out, size_t n, const char *s)
{
    if (n == 0)
        return;
    size_t l = strlen(s);
    if (l >= n)
        l = n - 1;
    memcpy(out, s, l);
    out[l] = '\0';
}

/* v with no or one decimal, thousands separated by '.', decimal comma: 1234.5 -> "1.234,5".
 * out holds at least 64 bytes. */
#define NUM_MAX 64
static void format_nl(double v, bool one_decimal, char out[static NUM_MAX])
{
    char raw[320]; /* any double fits in %.1f */
    if (!isfinite(v) || fabs(v) >= 1e15) {
        put(out, NUM_MAX, ".");
        return;
    }
    if (one_decimal)
        snprintf(raw, sizeof raw, "%.1f", v);
    else
        snprintf(raw, sizeof raw, "%.0f", v);
    const char *s = raw;
    if (s[0] == '-' && (strcmp(s, "-0") == 0 || strcmp(s, "-0.0") == 0 || strcmp(s, "-0,0") == 0))
        s++; /* rounding took the sign's meaning away */
    char buf[NUM_MAX];
    size_t o = 0;
    if (*s == '-')
        buf[o++] = *s++;
    /* Requests run in the reader's locale (web/i18n.c): printf may already have written a
     * decimal comma. %.1f groups no thousands, so either sign can only be the decimal one. */
    const char *dot = strpbrk(s, ".,");
    size_t intlen = dot ? (size_t)(dot - s) : strlen(s);
    for (size_t i = 0; i < intlen && o + 3 < sizeof buf; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            buf[o++] = '.';
        buf[o++] = s[i];
    }
    if (dot && o + 3 < sizeof buf) {
        buf[o++] = ',';
        buf[o++] = dot[1];
    }
    buf[o] = '\0';
    put(out, NUM_MAX, buf);
}

static bool whole(double v)
{
    return fabs(v - round(v)) < 1e-9;
}

void mx_view_format_value(const struct mx_view *v, const struct mx_vcell *c, char *out, size_t n)
{
    if (n == 0)
        return;
    if (!v || !c || c->reason != DC_SHOWN || !isfinite(c->value)) {
        put(out, n, ".");
        return;
    }
    char num[NUM_MAX], text[NUM_MAX + 32];
    enum ind_display d = v->def ? v->def->display : IND_SHOW_COUNT;
    switch (d) {
    case IND_SHOW_PERCENT:
        format_nl(c->value, true, num);
        snprintf(text, sizeof text, "%s%%", num);
        break;
    case IND_SHOW_GRADE:
        format_nl(c->value, true, num);
        snprintf(text, sizeof text, "%s", num);
        break;
    case IND_SHOW_DAYS:
        format_nl(c->value, !whole(c->value), num);
        if (whole(c->value) && fabs(c->value - 1.0) < 1e-9)
            snprintf(text, sizeof text, _("%s dag"), num);
        else
            snprintf(text, sizeof text, _("%s dagen"), num);
        break;
    case IND_SHOW_RATE:
        format_nl(c->value, true, num);
        snprintf(text, sizeof text, _("%s per 1.000"), num);
        break;
    case IND_SHOW_COUNT:
    default:
        format_nl(c->value, !whole(c->value), num);
        snprintf(text, sizeof text, "%s", num);
        break;
    }
    put(out, n, text);
}

void mx_view_format_number(const struct mx_view *v, double x, char *out, size_t n)
{
    if (isnan(x)) {
        put(out, n, "–");
        return;
    }
    struct mx_vcell c;
    memset(&c, 0, sizeof c);
    c.reason = DC_SHOWN;
    c.value = x;
    c.lo = c.hi = c.prev = c.target = NAN;
    c.bench_p25 = c.bench_median = c.bench_p75 = NAN;
    mx_view_format_value(v, &c, out, n);
}

/* ---- JSON. --------------------------------------------------------------------------------- */

static json_t *real_or_null(double v)
{
    if (!isfinite(v))
        return json_null();
    return json_real(round(v * 1e6) / 1e6);
}

static json_t *count_or_null(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static const char *agg_code(enum ind_agg x)
{
    return ind_agg_code(x);
}

static json_t *indicator_json(const struct mx_view *v)
{
    json_t *o = json_object();
    const struct ind_def *d = v->def;
    json_object_set_new(o, "id", json_integer(v->ind_id));
    if (!d)
        return o;
    json_object_set_new(o, "code", json_string(d->code ? d->code : ""));
    json_object_set_new(o, "naam", json_string(d->name ? d->name : ""));
    json_object_set_new(o, "eenheid", json_string(ind_unit_code(d->unit)));
    json_object_set_new(o, "aggregatie", json_string(agg_code(d->agg)));
    json_object_set_new(o, "eenheid_waarde", json_string(ind_display_code(d->display)));
    json_object_set_new(o, "polariteit", json_string(ind_polarity_code(d->polarity)));
    json_object_set_new(o, "kwadrant", json_string(ind_quadrant_code(d->quadrant)));
    json_object_set_new(o, "min_n", json_integer(d->min_n));
    return o;
}

static json_t *hidden_json(enum dc_reason r)
{
    if (r == DC_SHOWN)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "reden", json_string(dc_reason_code(r)));
    json_object_set_new(o, "uitleg", json_string(_(dc_reason_text(r))));
    return o;
}

static const char *key_label(const struct mx_view *v, int k, const char *code, mx_label_fn label,
                             void *ctx)
{
    if (!code)
        return _("Totaal");
    const char *s = label ? label(ctx, v->by[k], code) : code;
    if (!s || !*s)
        s = *code ? code : _("onbekend");
    return s;
}

static json_t *cell_json(const struct mx_view *v, const struct mx_vcell *c, mx_label_fn label,
                         void *ctx)
{
    json_t *o = json_object();
    char code[PERIOD_CODE_MAX];
    period_code(v->periods[c->period_idx], code);
    json_object_set_new(o, "periode", json_string(code));
    json_t *keys = json_array(), *labels = json_array();
    for (int k = 0; k < v->nby; k++) {
        json_array_append_new(keys, c->key[k] ? json_string(c->key[k]) : json_null());
        json_array_append_new(labels, json_string(key_label(v, k, c->key[k], label, ctx)));
    }
    json_object_set_new(o, "sleutel", keys);
    json_object_set_new(o, "labels", labels);
    bool shown = c->reason == DC_SHOWN;
    json_object_set_new(o, "waarde", shown ? real_or_null(c->value) : json_null());
    /* A hidden cell carries no number at all, whatever the layer below left in it (a rate
     * without a population, say, still knows its count): reason and explanation only. */
    json_object_set_new(o, "n", shown ? count_or_null(c->n) : json_null());
    json_object_set_new(o, "teller", shown ? count_or_null(c->num) : json_null());
    json_object_set_new(o, "noemer", shown ? count_or_null(c->den) : json_null());
    json_object_set_new(o, "ondergrens", shown ? real_or_null(c->lo) : json_null());
    json_object_set_new(o, "bovengrens", shown ? real_or_null(c->hi) : json_null());
    json_object_set_new(o, "vorige", real_or_null(c->prev));
    json_object_set_new(o, "streefwaarde", real_or_null(c->target));
    if (c->bench_entities > 0 && isfinite(c->bench_median)) {
        json_t *b = json_object();
        json_object_set_new(b, "p25", real_or_null(c->bench_p25));
        json_object_set_new(b, "mediaan", real_or_null(c->bench_median));
        json_object_set_new(b, "p75", real_or_null(c->bench_p75));
        json_object_set_new(b, "aantal", json_integer(c->bench_entities));
        json_object_set_new(o, "benchmark", b);
    } else {
        json_object_set_new(o, "benchmark", json_null());
    }
    json_object_set_new(o, "verborgen", hidden_json(c->reason));
    return o;
}

const char *mx_view_to_json(const struct mx_view *v, mx_label_fn label, void *label_ctx,
                            struct arena *a)
{
    if (!v || !a)
        return NULL;
    json_t *root = json_object();
    json_object_set_new(root, "indicator", indicator_json(v));
    json_object_set_new(root, "publiek", json_string(dc_audience_code(v->audience)));
    json_t *rules = json_object();
    json_object_set_new(rules, "min_aantal", json_integer(v->rules.min_count));
    json_object_set_new(rules, "min_noemer", json_integer(v->rules.min_denominator));
    json_object_set_new(rules, "afronding", json_integer(v->rules.round_to));
    json_object_set_new(rules, "min_benchmark", json_integer(v->rules.min_benchmark));
    json_object_set_new(root, "regels", rules);

    json_t *periods = json_array();
    for (int i = 0; i < v->nperiods; i++) {
        char code[PERIOD_CODE_MAX], plabel[PERIOD_LABEL_MAX], from[11], to[11];
        period_code(v->periods[i], code);
        period_label(v->periods[i], plabel, sizeof plabel);
        day_format_iso(period_start(v->periods[i]), from);
        day_format_iso(period_end(v->periods[i]), to);
        json_t *p = json_object();
        json_object_set_new(p, "code", json_string(code));
        json_object_set_new(p, "label", json_string(plabel));
        json_object_set_new(p, "begin", json_string(from));
        json_object_set_new(p, "einde", json_string(to));
        json_array_append_new(periods, p);
    }
    json_object_set_new(root, "perioden", periods);

    json_t *by = json_array();
    for (int k = 0; k < v->nby; k++) {
        json_t *d = json_object();
        json_object_set_new(d, "code", json_string(mx_dim_code(v->by[k])));
        json_object_set_new(d, "label", json_string(_(mx_dim_label(v->by[k]))));
        json_array_append_new(by, d);
    }
    json_object_set_new(root, "per", by);
    json_object_set_new(root, "benchmark_per",
                        v->bench_dim >= 0 && v->bench_dim < MX_DIM__COUNT
                            ? json_string(mx_dim_code((enum mx_dim)v->bench_dim))
                            : json_null());

    json_t *cells = json_array();
    for (size_t i = 0; i < v->ncells; i++)
        json_array_append_new(cells, cell_json(v, &v->cells[i], label, label_ctx));
    json_object_set_new(root, "cellen", cells);
    json_object_set_new(root, "aantal_verborgen", json_integer(v->nhidden));
    if (v->data_date != DAY_NONE && v->data_date != 0) {
        char d[11];
        day_format_iso(v->data_date, d);
        json_object_set_new(root, "peildatum", json_string(d));
    } else {
        json_object_set_new(root, "peildatum", json_null());
    }

    char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(root);
    if (!text)
        return NULL;
    const char *copy = arena_strdup(a, text);
    free(text);
    return copy;
}
