/*
 * questionnaire_store.h: the SQL of stored questionnaires (tables survey, survey_version) for
 * domain/survey.c. Rows come back as struct survey (domain/survey.h) with arena strings.
 */
#ifndef DUIDING_STORE_QUESTIONNAIRE_STORE_H
#define DUIDING_STORE_QUESTIONNAIRE_STORE_H

#include "core/arena.h"
#include "domain/survey.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/** Inserts a survey at version 1 and its first survey_version row. ERR_CONFLICT (code taken),
 *  ERR_DB. */
int questionnaire_store_insert(struct db *db, int64_t owner_org_id, const char *code,
                               const char *template_code, const char *document, const char *now,
                               int64_t user_id, int64_t *id_out);
/** Replaces the document if the version is still `version` (ERR_CONFLICT otherwise), bumps the
 *  version and appends the survey_version row. */
int questionnaire_store_update(struct db *db, int64_t id, int64_t version, const char *code,
                               const char *document, const char *now, int64_t user_id);
int questionnaire_store_set_archived(struct db *db, int64_t id, bool archived, const char *now);
/** ERR_NOT_FOUND, ERR_DB. title is filled by the caller (it lives in the document). */
int questionnaire_store_get(struct arena *a, struct db *db, int64_t id, struct survey *out);
int questionnaire_store_version(struct arena *a, struct db *db, int64_t id, int64_t version,
                                const char **json_out);
/** Surveys matching the filter (owner, archived), ordered by owner name then code. */
int questionnaire_store_list(struct arena *a, struct db *db, int64_t owner_org_id,
                             bool include_archived, int limit, int offset, struct survey **out,
                             int *n, int *total);

#endif
