/*
 * profile_draft.h: the profile wizard's short-lived drafts. Between uploading a sample export
 * and saving the profile, the preview of the sample (its first rows, which may hold BSNs and
 * names) is kept in memory only: per login session, for at most 15 minutes, never in the
 * database, never logged, and wiped when it goes. The uploaded file itself is not kept.
 */
#ifndef DUIDING_WEB_PROFILE_DRAFT_H
#define DUIDING_WEB_PROFILE_DRAFT_H

#include "core/arena.h"
#include "ingest/profile.h"
#include <stdint.h>

#define DRAFT_ID_LEN      32 /* hex characters */
#define DRAFT_TTL_SECONDS (15 * 60)
#define DRAFT_MAX         64                /* drafts in the whole process */
#define DRAFT_MAX_SESSION 4                 /* drafts of one session; the oldest goes first */
#define DRAFT_BYTES_MAX   (2 * 1024 * 1024) /* preview cells of one draft */

/* A draft as handed to one request: copies in the request's arena. */
struct profile_draft {
    char id[DRAFT_ID_LEN + 1];
    int64_t org_id; /* the aanbieder the profile is for */
    enum law law;
    const char *name;      /* the name typed in step 1 */
    const char *file_name; /* the sample's name as uploaded */
    struct table_preview pv;
};

/**
 * Stores a copy of the preview for this session and user; id_out receives the new draft id.
 * 0, ERR_INVALID (no session), ERR_TOO_BIG (preview over DRAFT_BYTES_MAX) or ERR_NOMEM.
 */
int profile_draft_put(const char *session_id, int64_t user_id, int64_t org_id, enum law law,
                      const char *name, const char *file_name, const struct table_preview *pv,
                      char id_out[DRAFT_ID_LEN + 1]);
/** Copies a draft of this session and user into the arena. ERR_NOT_FOUND when unknown,
 * expired or another session's. */
int profile_draft_get(const char *session_id, int64_t user_id, const char *id, struct arena *a,
                      struct profile_draft *out);
/** Removes (and wipes) a draft of this session; unknown ids are ignored. */
void profile_draft_drop(const char *session_id, const char *id);
/** Number of drafts held (tests). */
int profile_draft_count(void);
/** Wipes and frees every draft (shutdown, tests). */
void profile_draft_clear(void);

#endif
