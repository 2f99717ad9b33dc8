/*
 * action_movement.c: baseline and movement of the indicators of improvement actions (see
 * action_movement.h). Baselines come from the conversation's frozen data pack when it holds
 * the indicator (what was on the table), else from the live figure; current figures come
 * only from report/conversation_figures.h. Both pass the disclosure module: a hidden figure
 * is "unknown", never a number.
 */
#include <jansson.h>
#include <math.h>
#include <time.h>

#include "report/action_movement.h"
#include "core/common.h"
#include "report/conversation_figures.h"
#include "report/data_pack.h"

struct move_name {
    const char *code;
    const char *label; /* msgid */
};

static const struct move_name moves[] = {
    [MOVE_UNKNOWN] = {"onbekend", N_("onbekend")}, [MOVE_SAME] = {"gelijk", N_("gelijk gebleven")},
    [MOVE_BETTER] = {"beter", N_("verbeterd")},    [MOVE_WORSE] = {"slechter", N_("verslechterd")},
    [MOVE_HIGHER] = {"hoger", N_("gestegen")},     [MOVE_LOWER] = {"lager", N_("gedaald")},
};

const char *action_move_code(enum action_move m)
{
    return m >= MOVE_UNKNOWN && m <= MOVE_LOWER ? moves[m].code : "";
}

enum action_move action_move_parse(const char *code)
{
    for (int m = MOVE_UNKNOWN; m <= MOVE_LOWER; m++)
        if (code && strcmp(code, moves[m].code) == 0)
            return (enum action_move)m;
    return MOVE_UNKNOWN;
}

const char *action_move_label(enum action_move m)
{
    return m >= MOVE_UNKNOWN && m <= MOVE_LOWER ? _(moves[m].label) : "";
}

enum action_move action_move_classify(enum ind_polarity pol, double base, double now, double lo,
                                      double hi)
{
    if (isnan(base) || isnan(now) || isinf(base) || isinf(now))
        return MOVE_UNKNOWN;
    /* A difference within the uncertainty of the current figure is not a movement. */
    if (!isnan(lo) && !isnan(hi) && base >= lo && base <= hi)
        return MOVE_SAME;
    double scale = fabs(base) > 1.0 ? fabs(base) : 1.0;
    if (fabs(now - base) <= 1e-9 * scale)
        return MOVE_SAME;
    bool up = now > base;
    switch (pol) {
    case IND_HIGHER_BETTER:
        return up ? MOVE_BETTER : MOVE_WORSE;
    case IND_LOWER_BETTER:
        return up ? MOVE_WORSE : MOVE_BETTER;
    case IND_NEUTRAL:
        break;
    }
    return up ? MOVE_HIGHER : MOVE_LOWER;
}

/* The newest shown total of ind over the conversation's scope in the last quarters, with its
 * interval, period and formatting. False when there is none (or it cannot be computed). */
struct newest {
    double value, lo, hi;
    struct period p;
    enum ind_polarity polarity;
    struct mx_view view;
};

static bool newest_figure(struct mx_engine *eng, const struct config *cfg, struct store *s,
                          struct arena *a, const struct conversation *c, int64_t ind_id,
                          struct newest *out)
{
    struct err_ctx e = {0};
    struct period last = period_of(day_today(), PERIOD_QUARTER), first = last;
    for (int k = 1; k < ACTION_MOVE_QUARTERS; k++)
        first = period_prev(first);
    memset(out, 0, sizeof *out);
    if (!eng || conv_fig_view(eng, cfg, s, a, c, ind_id, 0, first, last, &out->view, &e))
        return false;
    out->polarity = out->view.def ? out->view.def->polarity : IND_NEUTRAL;
    for (int k = out->view.nperiods - 1; k >= 0; k--) {
        const struct mx_vcell *cell = mx_view_cell(&out->view, k, NULL, NULL);
        if (!cell || cell->reason != DC_SHOWN || isnan(cell->value))
            continue;
        out->value = cell->value;
        out->lo = cell->lo;
        out->hi = cell->hi;
        out->p = out->view.periods[k];
        return true;
    }
    return false;
}

/* "12,5": one decimal with a decimal comma, when no view knows the indicator's unit. */
static void plain_number(double x, char *out, size_t n)
{
    /* A figure beyond a billion is no figure of ours: shown as unknown rather than cut. */
    if (!isfinite(x) || fabs(x) >= 1e9) {
        snprintf(out, n, "%s", "–");
        return;
    }
    long long tenths = llround(fabs(x) * 10.0);
    snprintf(out, n, "%s%lld,%lld", x < 0 && tenths > 0 ? "-" : "", tenths / 10, tenths % 10);
}

static int load_conv(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                     struct conversation **out)
{
    *out = NULL;
    if (id <= 0)
        return ERR_NOT_FOUND;
    struct conversation *c = arena_calloc(a, 1, sizeof *c);
    if (!c)
        return ERR_NOMEM;
    int ret = conversation_get(a, s, who, id, c);
    if (!ret)
        *out = c;
    return ret;
}

int action_movements(struct mx_engine *eng, const struct config *cfg, struct store *s,
                     struct arena *a, const struct actor *who, const struct improvement_action *act,
                     struct action_move_row **out, int *n)
{
    struct conversation *c = NULL;
    *out = NULL;
    *n = 0;
    if (act->nindicators <= 0)
        return 0;
    struct action_move_row *rows = arena_calloc(a, (size_t)act->nindicators, sizeof *rows);
    if (!rows)
        return ERR_NOMEM;
    int ret = load_conv(a, s, who, act->conversation_id, &c);
    if (ret && ret != ERR_NOT_FOUND)
        return ret;
    for (int k = 0; k < act->nindicators; k++) {
        const struct action_indicator *ai = &act->indicators[k];
        struct action_move_row *r = &rows[k];
        struct newest nw;
        r->indicator_id = ai->indicator_id;
        r->name = ai->name;
        r->has_baseline = ai->has_baseline;
        r->baseline = ai->has_baseline ? ai->baseline : NAN;
        r->baseline_period = ai->baseline_period;
        r->now = r->lo = r->hi = NAN;
        snprintf(r->baseline_text, sizeof r->baseline_text, "–");
        snprintf(r->now_text, sizeof r->now_text, "–");
        bool have = c && newest_figure(eng, cfg, s, a, c, ai->indicator_id, &nw);
        if (have) {
            r->has_now = true;
            r->now = nw.value;
            r->lo = nw.lo;
            r->hi = nw.hi;
            period_code(nw.p, r->now_period);
            mx_view_format_number(&nw.view, nw.value, r->now_text, sizeof r->now_text);
            if (r->has_baseline)
                mx_view_format_number(&nw.view, r->baseline, r->baseline_text,
                                      sizeof r->baseline_text);
            r->move = action_move_classify(nw.polarity, r->baseline, r->now, r->lo, r->hi);
        } else {
            if (r->has_baseline) /* no view to format with: a plain Dutch number */
                plain_number(r->baseline, r->baseline_text, sizeof r->baseline_text);
            r->move = MOVE_UNKNOWN;
        }
    }
    *out = rows;
    *n = act->nindicators;
    return 0;
}

/* The series of the conversation's whole scope for indicator ind in a frozen pack document:
 * the first series (no aanbieder) of the indicator in any result. NULL when the pack does not
 * hold the indicator. */
static const json_t *pack_total_series(const json_t *doc, int64_t ind)
{
    size_t i, k;
    const json_t *r, *ji;
    json_array_foreach(json_object_get(doc, "resultaten"), i, r)
    {
        json_array_foreach(json_object_get(r, "indicatoren"), k, ji)
        {
            if (json_integer_value(json_object_get(ji, "id")) != ind)
                continue;
            size_t s;
            const json_t *ser;
            json_array_foreach(json_object_get(ji, "reeksen"), s, ser)
            {
                if (json_is_null(json_object_get(ser, "aanbieder")))
                    return ser;
            }
        }
    }
    return NULL;
}

/* The newest shown value of a pack series (hidden periods are null there, never 0). */
static void pack_newest(struct arena *a, const json_t *ser, struct action_baseline *out)
{
    const json_t *per = json_object_get(ser, "perioden");
    for (size_t k = json_array_size(per); k-- > 0;) {
        const json_t *p = json_array_get(per, k);
        const json_t *w = json_object_get(p, "waarde");
        const char *code = json_string_value(json_object_get(p, "periode"));
        struct period pp;
        if (!json_is_number(w) || !isfinite(json_number_value(w)) || code == NULL ||
            period_parse(str_from(code), &pp) != 0)
            continue;
        out->has_value = true;
        out->value = json_number_value(w);
        out->period = arena_strdup(a, code);
        return;
    }
}

int action_baselines(struct mx_engine *eng, const struct config *cfg, struct store *s,
                     struct arena *a, const struct actor *who, int64_t conv_id, const int64_t *ids,
                     int n, struct action_baseline **out)
{
    struct conversation *c = NULL;
    *out = NULL;
    int ret = load_conv(a, s, who, conv_id, &c);
    if (ret)
        return ret;
    struct action_baseline *rows = arena_calloc(a, (size_t)(n > 0 ? n : 1), sizeof *rows);
    if (!rows)
        return ERR_NOMEM;
    /* The newest frozen pack, if any: what both sides saw when they agreed the action. */
    json_t *doc = NULL;
    struct data_pack pack;
    if (n > 0 && data_pack_latest(a, s, who, conv_id, &pack) == 0 && pack.row.document)
        doc = json_loadb(pack.row.document, pack.row.document_len, 0, NULL);
    for (int k = 0; k < n; k++) {
        rows[k].indicator_id = ids[k];
        const json_t *ser = doc ? pack_total_series(doc, ids[k]) : NULL;
        if (ser) {
            /* In the pack: the pack decides, also when it hid every value (no baseline then;
             * a later live figure was not what the table saw). */
            pack_newest(a, ser, &rows[k]);
            continue;
        }
        double v;
        struct period p;
        if (!eng || conv_figure_latest(eng, cfg, s, c, ids[k], &v, &p) != 0)
            continue; /* hidden or absent: no baseline (NULL, never 0) */
        char code[PERIOD_CODE_MAX];
        period_code(p, code);
        rows[k].has_value = true;
        rows[k].value = v;
        rows[k].period = arena_strdup(a, code);
    }
    json_decref(doc);
    *out = rows;
    return 0;
}
