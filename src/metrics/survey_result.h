/*
 * survey_result.h: the results of a survey per question (docs/surveys.md "Results"): for each
 * closed question the number and percentage of respondents per answer, over one round or
 * several, optionally broken down by gemeente, aanbieder or product category (what the rounds
 * recorded). Every count passes the disclosure module (metrics/disclosure.h) before it leaves
 * here: one table per question, with additive lines (the answers of a single-answer question
 * add up to its respondents; every answer over the breakdown adds up to its total), primary
 * and secondary suppression, and counts rounded per the audience. Percentages come from the
 * unrounded counts. Open questions are not counted here (their texts are read apart).
 */
#ifndef DUIDING_METRICS_SURVEY_RESULT_H
#define DUIDING_METRICS_SURVEY_RESULT_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/questionnaire.h"
#include "metrics/disclosure.h"
#include "store/db.h"
#include "store/survey_store.h"
#include <stddef.h>
#include <stdint.h>

#define SR_MAX_KEYS 200 /* breakdown values shown in one table */

/* One shown figure. Hidden: reason != DC_SHOWN (and != DC_NO_DATA), n = -1, pct = NAN. A
 * DC_NO_DATA cell is a true zero (nobody gave that answer) and is shown as 0. */
struct sr_cell {
    enum dc_reason reason;
    int64_t n;  /* rounded per the audience */
    double pct; /* of the respondents of the question in this column; NAN when hidden */
};

/* One answer category of a question. */
struct sr_option {
    const char *code;  /* "5".."1","0" (eens5), "1".."10" (cijfer), option code (keuze) */
    const char *label; /* Dutch label (translated for eens5) */
};

struct sr_question {
    int question; /* index into questionnaire.questions */
    struct sr_option *options;
    int noptions;
    /* cells[k * noptions + o]: column k (0 = total, 1.. = breakdown keys), answer o. */
    struct sr_cell *cells;
    struct sr_cell *base; /* base[k]: respondents of the question in column k */
    double mean;          /* cijfer: mean grade over all respondents, NAN if base hidden */
};

struct survey_result {
    enum survey_dim dim;
    const char **keys; /* columns 1..nkeys: breakdown values ("" = not recorded) */
    int nkeys;
    struct sr_question *questions; /* closed questions in document order */
    int nquestions;
    struct sr_cell responses; /* total responses of the rounds */
};

/**
 * Computes the results of questionnaire q over the responses of the given rounds (at least
 * one; the caller decided the actor may see each) with the rules of the audience. 0, ERR_NOMEM,
 * ERR_TOO_BIG (more than SR_MAX_KEYS breakdown values), ERR_DB.
 */
int survey_result_compute(struct arena *a, struct db *db, const struct questionnaire *q,
                          const int64_t *round_ids, size_t nrounds, enum survey_dim dim,
                          const struct dc_rules *rules, struct survey_result *out);

/** Breakdown code "gemeente" | "aanbieder" | "categorie" (NULL/"" = none); -1 unknown. */
int survey_dim_parse(const char *code);
const char *survey_dim_code(enum survey_dim d);

#endif
