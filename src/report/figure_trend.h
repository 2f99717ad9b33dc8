/*
 * figure_trend.h: what the reports (report/council_report.h, report/mirror_report.h) say about
 * one figure against the period before: the shown total of a period, the trend (better, worse,
 * about the same within the 95% margin, or higher/lower for indicators without a direction),
 * its word and its B1 sentence.
 */
#ifndef DUIDING_REPORT_FIGURE_TREND_H
#define DUIDING_REPORT_FIGURE_TREND_H

#include "core/arena.h"
#include "core/period.h"
#include "metrics/view.h"

enum report_trend {
    RTREND_NONE = 0, /* no previous value to compare with */
    RTREND_BETTER,
    RTREND_WORSE,
    RTREND_SAME, /* within the 95% interval, or equal */
    RTREND_UP,   /* indicators without a direction */
    RTREND_DOWN,
};

/** The shown total (no breakdown) of period i with a value; NULL when hidden or absent. */
const struct mx_vcell *report_total_at(const struct mx_view *v, int i);
/** The trend of the shown cell c against its previous value; RTREND_NONE for NULL. */
enum report_trend report_trend_of(const struct mx_view *v, const struct mx_vcell *c);
/** "beter", "slechter", "ongeveer gelijk", "hoger", "lager"; "" for none. Translated. */
const char *report_trend_text(enum report_trend t);
/** "Dat is beter dan het kwartaal ervoor (12,5%)." with prev formatted ("het jaar ervoor" for
 * years, "de periode ervoor" otherwise); NULL for none. Arena string. */
const char *report_trend_sentence(struct arena *a, enum report_trend t, const char *prev,
                                  enum period_kind kind);

#endif
