/*
 * demo_rounds.h: the demo's survey rounds. After demo_survey_generate wrote the anonymous
 * client-experience responses, every demo gemeente gets its own questionnaire from the Wmo
 * template (data/vragenlijsten/wmo-cevo.json) and one completed round for the last full demo
 * year: invitation codes for a realistic response rate (30-45%), as many codes marked used as
 * there are responses, the responses of that year given the round, the round closed. The codes
 * are hashed with the deployment key, so the unused ones work on the answering pages.
 */
#ifndef DUIDING_INGEST_DEMO_ROUNDS_H
#define DUIDING_INGEST_DEMO_ROUNDS_H

#include "core/err.h"
#include "store/store.h"
#include <stdint.h>

struct survey_code_key;

struct demo_rounds_summary {
    int surveys, rounds;
    int64_t invitations;                      /* codes of all rounds */
    int64_t completed_invitations, responses; /* of the completed rounds */
    int year;
};

int demo_rounds_generate(struct store *s, const struct survey_code_key *key, uint64_t seed,
                         struct demo_rounds_summary *out, struct err_ctx *e);

#endif
