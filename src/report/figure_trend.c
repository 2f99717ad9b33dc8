/*
 * figure_trend.c: the trend of a report figure against the period before (figure_trend.h),
 * shared by the council report and the spiegelrapportage so both say it the same way.
 */
#include "report/figure_trend.h"
#include "core/common.h"
#include <math.h>

const struct mx_vcell *report_total_at(const struct mx_view *v, int i)
{
    const struct mx_vcell *c = mx_view_cell(v, i, NULL, NULL);
    return c && c->reason == DC_SHOWN && isfinite(c->value) ? c : NULL;
}

enum report_trend report_trend_of(const struct mx_view *v, const struct mx_vcell *c)
{
    if (!c || !isfinite(c->prev))
        return RTREND_NONE;
    /* A previous value inside this period's 95% margin may differ by chance. */
    if (c->prev == c->value ||
        (isfinite(c->lo) && isfinite(c->hi) && c->prev >= c->lo && c->prev <= c->hi))
        return RTREND_SAME;
    bool up = c->value > c->prev;
    switch (v->def ? v->def->polarity : IND_NEUTRAL) {
    case IND_HIGHER_BETTER:
        return up ? RTREND_BETTER : RTREND_WORSE;
    case IND_LOWER_BETTER:
        return up ? RTREND_WORSE : RTREND_BETTER;
    case IND_NEUTRAL:
        break;
    }
    return up ? RTREND_UP : RTREND_DOWN;
}

const char *report_trend_text(enum report_trend t)
{
    switch (t) {
    case RTREND_BETTER:
        return _("beter");
    case RTREND_WORSE:
        return _("slechter");
    case RTREND_SAME:
        return _("ongeveer gelijk");
    case RTREND_UP:
        return _("hoger");
    case RTREND_DOWN:
        return _("lager");
    case RTREND_NONE:
        break;
    }
    return "";
}

const char *report_trend_sentence(struct arena *a, enum report_trend t, const char *prev,
                                  enum period_kind kind)
{
    /* Whole sentences per period kind, so that a translation never has to glue words. */
    if (kind == PERIOD_QUARTER) {
        switch (t) {
        case RTREND_BETTER:
            return arena_printf(a, _("Dat is beter dan het kwartaal ervoor (%s)."), prev);
        case RTREND_WORSE:
            return arena_printf(a, _("Dat is slechter dan het kwartaal ervoor (%s)."), prev);
        case RTREND_SAME:
            return arena_printf(a, _("Dat is ongeveer gelijk aan het kwartaal ervoor (%s)."), prev);
        case RTREND_UP:
            return arena_printf(a, _("Dat is hoger dan het kwartaal ervoor (%s)."), prev);
        case RTREND_DOWN:
            return arena_printf(a, _("Dat is lager dan het kwartaal ervoor (%s)."), prev);
        case RTREND_NONE:
            break;
        }
        return NULL;
    }
    if (kind == PERIOD_YEAR) {
        switch (t) {
        case RTREND_BETTER:
            return arena_printf(a, _("Dat is beter dan het jaar ervoor (%s)."), prev);
        case RTREND_WORSE:
            return arena_printf(a, _("Dat is slechter dan het jaar ervoor (%s)."), prev);
        case RTREND_SAME:
            return arena_printf(a, _("Dat is ongeveer gelijk aan het jaar ervoor (%s)."), prev);
        case RTREND_UP:
            return arena_printf(a, _("Dat is hoger dan het jaar ervoor (%s)."), prev);
        case RTREND_DOWN:
            return arena_printf(a, _("Dat is lager dan het jaar ervoor (%s)."), prev);
        case RTREND_NONE:
            break;
        }
        return NULL;
    }
    switch (t) {
    case RTREND_BETTER:
        return arena_printf(a, _("Dat is beter dan de periode ervoor (%s)."), prev);
    case RTREND_WORSE:
        return arena_printf(a, _("Dat is slechter dan de periode ervoor (%s)."), prev);
    case RTREND_SAME:
        return arena_printf(a, _("Dat is ongeveer gelijk aan de periode ervoor (%s)."), prev);
    case RTREND_UP:
        return arena_printf(a, _("Dat is hoger dan de periode ervoor (%s)."), prev);
    case RTREND_DOWN:
        return arena_printf(a, _("Dat is lager dan de periode ervoor (%s)."), prev);
    case RTREND_NONE:
        break;
    }
    return NULL;
}
