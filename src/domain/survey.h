/*
 * survey.h: questionnaires as stored (table survey + survey_version): create (from a shipped
 * template or a JSON document), edit with optimistic locking and a version history, archive,
 * read and list, each through the policy (OBJ_SURVEY) and written with an audit event. The
 * document itself is domain/questionnaire.h.
 */
#ifndef DUIDING_DOMAIN_SURVEY_H
#define DUIDING_DOMAIN_SURVEY_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "domain/questionnaire.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define SURVEY_LIST_DEFAULT 100
#define SURVEY_LIST_MAX     1000

struct survey {
    int64_t id;
    int64_t owner_org_id;
    const char *owner_name;
    const char *code;     /* = the document's code */
    const char *title;    /* the document's title (nl) */
    const char *template; /* shipped template it came from, or NULL */
    int64_t version;      /* optimistic locking and survey_version.version */
    const char *document; /* canonical JSON of the current version */
    bool archived;
    int64_t nrounds; /* rounds that use it (any version) */
    const char *created_at, *updated_at;
};

struct survey_filter {
    int64_t owner_org_id; /* 0 = all */
    bool include_archived;
    int limit, offset;
};

/** Creates a survey owned by owner_org_id from a JSON document (validated and stored in
 *  canonical form) or, when json is NULL, from the shipped template `template_code`. The
 *  document's code must be unique per owner (ERR_CONFLICT). ERR_DENIED, ERR_INVALID (e). */
int survey_create(struct store *s, const struct actor *who, int64_t owner_org_id,
                  const char *template_code, const char *json, size_t len, int64_t *id_out,
                  struct err_ctx *e);
/** Replaces the document; version must be the one the editor saw (ERR_CONFLICT otherwise).
 *  Once a round uses the survey, the new document must be questionnaire_compatible with the
 *  current one (ERR_INVALID naming the question). */
int survey_update(struct store *s, const struct actor *who, int64_t id, int64_t version,
                  const char *json, size_t len, struct err_ctx *e);
int survey_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                        struct err_ctx *e);
/** One survey (ERR_NOT_FOUND, ERR_DENIED). */
int survey_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct survey *out);
/** The document of an exact version (for a round: survey_round.survey_version). No policy
 *  check: callers hold a round they may use (the answering pages have no actor). */
int survey_get_version(struct arena *a, struct store *s, int64_t id, int64_t version,
                       const char **json_out);
/** Parses a stored document (trusted but re-validated) into q. */
int survey_parse(struct arena *a, const char *json, struct questionnaire *q, struct err_ctx *e);
/** Whether the actor may do act (ACT_EDIT, ACT_ARCHIVE, ...) on a survey it read. */
bool survey_may(struct arena *a, struct store *s, const struct actor *who, enum action act,
                const struct survey *sv);
/** Whether the actor may create a survey owned by owner_org_id. */
bool survey_may_create(struct arena *a, struct store *s, const struct actor *who,
                       int64_t owner_org_id);
int survey_list(struct arena *a, struct store *s, const struct actor *who,
                const struct survey_filter *f, struct survey **out, int *n, int *total);

#endif
