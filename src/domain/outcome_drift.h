/*
 * outcome_drift.h: a gentle warning when the notes of a quality conversation drift from
 * outcomes (what changed for residents) to activities and effort (hours, sessions, trainings
 * given). A documented word heuristic, not a judgement: docs/conversations.md "Afdrijven naar
 * activiteiten".
 */
#ifndef DUIDING_DOMAIN_OUTCOME_DRIFT_H
#define DUIDING_DOMAIN_OUTCOME_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#define DRIFT_MIN_TEXT 80     /* bytes: shorter notes are too little to judge */
#define DRIFT_MAX_TEXT 100000 /* bytes examined; the rest is ignored */

struct drift_result {
    int activity_hits; /* phrases about activities, effort, output */
    int outcome_hits;  /* phrases about results, effects, experiences */
    bool drift;        /* activity language dominates: show the hint */
};

/**
 * Scores text (UTF-8) and returns the translated hint when the notes drift, else NULL.
 * The rule: at least 2 activity phrases, and at least three times as many activity phrases
 * as outcome phrases. out may be NULL.
 */
const char *outcome_drift_check(const char *text, struct drift_result *out);

#endif
