/*
 * demo_survey.h: the demo's indicator material. After the demo region and its intake exist,
 * this writes anonymous answers to the Wmo client-experience survey (cliëntervaringsonderzoek,
 * items wmo_ceo_1 .. wmo_ceo_10, encoded as docs/indicators.md says) so that the Wmo
 * client-experience indicators have data, installs the standard indicator set, agrees a few
 * targets (streefwaarden) and links indicators to the demo's societal results.
 *
 * Deterministic from the seed. The survey years are those of the demo intake (five years ending
 * DEMO_INTAKE_END_*); no answer is dated after its end.
 */
#ifndef DUIDING_INGEST_DEMO_SURVEY_H
#define DUIDING_INGEST_DEMO_SURVEY_H

#include "core/err.h"
#include "ingest/demo_intake.h"
#include "store/store.h"
#include <stddef.h>
#include <stdint.h>

struct demo_survey_summary {
    uint64_t responses, answers;
    int first_year, last_year;
    uint64_t agree, opinions;            /* answers 4-5 and answers 1-5 of the agree items */
    uint64_t dont_know;                  /* answers 0 (weet niet / n.v.t.) */
    uint64_t min_per_year, max_per_year; /* responses of one gemeente in one full year */
};

/**
 * Writes survey responses for every demo gemeente and year: about 300-600 a year per gemeente
 * (by population) for DEMO_SIZE_NORMAL, a tenth of that for DEMO_SIZE_SMALL. 0, or an error in e.
 */
int demo_survey_generate(struct store *s, uint64_t seed, enum demo_size size,
                         struct demo_survey_summary *out, struct err_ctx *e);

struct demo_indicator_summary {
    size_t installed; /* standard definitions added */
    size_t targets;
    size_t results, links; /* results linked, links made */
};

/**
 * Installs the standard set if needed, adds the demo targets (regional: jw_uitval <= 8%,
 * jw_tevredenheid >= 7.5, wachttijd <= 42 days; Emmen: wmo_ceo_9 >= 80%) and links 3-5
 * indicators to every demo societal result. Meant for a fresh demo database. 0 or an error.
 */
int demo_indicator_material(struct store *s, struct demo_indicator_summary *out, struct err_ctx *e);

#endif
