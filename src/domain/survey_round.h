/*
 * survey_round.h: survey rounds (uitvragen) and their single-use invitation codes
 * (docs/surveys.md "Rounds and codes").
 *
 * Rounds: one gemeente (CBS code), optionally one aanbieder, law and product category; open
 * and close dates; status concept -> open -> gesloten (no way back; closing deletes the
 * paused answers). An open survey round has a random public slug (link without a code).
 * Response rate = n_responses / invitations (open links: responses only).
 *
 * Codes: SURVEY_CODE_LEN characters from SURVEY_CODE_ALPHABET (no 0/O/1/I look-alikes) drawn
 * with libsodium randombytes, shown grouped "ABCD-EFGH-JK". Input is normalised: upper case,
 * spaces and dashes removed; 0, O, 1 and I are refused with a clear message. Lookups go by
 * code_hash = keyed BLAKE2b-256 of the normalised code; the key is derived from the deployment
 * key file (pseudonym.key, KEY_FILE_BYTES) in its own domain:
 *   code_key  = BLAKE2b-256(key = deployment key, message "duiding-enquetecode-v1")
 *   code_hash = BLAKE2b-256(key = code_key, message = normalised code)
 * so a leaked database alone does not let anyone test guessed codes, and pseudonyms and code
 * hashes can never be mixed up.
 */
#ifndef DUIDING_DOMAIN_SURVEY_ROUND_H
#define DUIDING_DOMAIN_SURVEY_ROUND_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SURVEY_CODE_ALPHABET  "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define SURVEY_CODE_LEN       10
#define SURVEY_CODE_SHOWN_LEN 12 /* "ABCD-EFGH-JK" */
#define SURVEY_CODE_HASH_LEN  32
#define SURVEY_CODE_INPUT_MAX 64 /* longer input is refused before normalising */
#define SURVEY_KEY_BYTES      32 /* = KEY_FILE_BYTES of ingest/pseudonym.h */
#define ROUND_NAME_MAX        240
#define ROUND_MAX_CODES       20000 /* codes made in one go */
#define ROUND_LIST_MAX        1000
#define ROUND_SLUG_LEN        24

enum round_status { ROUND_CONCEPT = 1, ROUND_OPEN, ROUND_CLOSED };

const char *round_status_code(enum round_status s); /* "concept", "open", "gesloten" */
const char *round_status_label(enum round_status s);
int round_status_parse(const char *code, enum round_status *out);

/* ---- Codes. ---------------------------------------------------------------------------------- */

struct survey_code_key; /* opaque, read-only guarded memory */

/** Derives the code key from the deployment key bytes. Caller frees (survey_code_key_free). */
int survey_code_key_from_bytes(const unsigned char key[SURVEY_KEY_BYTES],
                               struct survey_code_key **out);
/** The same from the key file (exactly SURVEY_KEY_BYTES). ERR_IO with a message. */
int survey_code_key_open(const char *key_path, struct survey_code_key **out, struct err_ctx *e);
/** A process-wide key for key_path, loaded on first use and kept (thread-safe). NULL (and e
 *  filled) when the file cannot be read. Never freed. */
const struct survey_code_key *survey_code_key_shared(const char *key_path, struct err_ctx *e);
void survey_code_key_free(struct survey_code_key *k);

/** A new random code (SURVEY_CODE_LEN characters and NUL). */
void survey_code_generate(char out[SURVEY_CODE_LEN + 1]);
/** "ABCDEFGHJK" -> "ABCD-EFGH-JK". */
void survey_code_format(const char *norm, char out[SURVEY_CODE_SHOWN_LEN + 1]);
/** Normalises user input to SURVEY_CODE_LEN characters; ERR_INVALID with a B1 Dutch message
 *  (e.g. "Een code heeft geen letter O; bedoelt u het cijfer ...?" is NOT said: the alphabet
 *  has neither, so the message says which character is not in a code). */
int survey_code_normalise(const char *in, size_t len, char out[SURVEY_CODE_LEN + 1],
                          struct err_ctx *e);
/** code_hash of a normalised code. */
void survey_code_hash(const struct survey_code_key *k, const char *norm,
                      unsigned char out[SURVEY_CODE_HASH_LEN]);

/* ---- Rounds. --------------------------------------------------------------------------------- */

struct survey_round {
    int64_t id;
    int64_t survey_id, survey_version;
    const char *survey_code;
    int64_t owner_org_id;
    const char *owner_name;
    const char *name;
    const char *gemeente; /* CBS code, 4 digits */
    int64_t aanbieder_id; /* 0 = none */
    const char *aanbieder_name;
    int law;                     /* 0 none, 1 Jeugdwet, 2 Wmo */
    const char *category;        /* NULL = none */
    int32_t opens_on, closes_on; /* day_t */
    enum round_status status;
    const char *public_slug; /* NULL unless an open link was made */
    int64_t n_responses;
    int64_t n_invitations, n_used;
    const char *created_at;
};

struct round_input {
    int64_t survey_id;
    const char *name;
    const char *gemeente;
    int64_t aanbieder_id; /* 0 = none */
    int law;              /* 0 = none */
    const char *category; /* NULL or "" = none */
    int32_t opens_on, closes_on;
    bool public_link; /* make an open link (no codes needed) */
};

/** Response rate in per mille (n_responses * 1000 / n_invitations), -1 when no invitations. */
int round_response_permille(const struct survey_round *r);

/** Creates a round at status concept on the survey's current version; owner = the survey's
 *  owner. ERR_DENIED (ACT_CREATE on OBJ_SURVEY_ROUND), ERR_INVALID with e->field. */
int round_create(struct store *s, const struct actor *who, const struct round_input *in,
                 int64_t *id_out, struct err_ctx *e);
/** concept -> open -> gesloten; closing deletes the round's drafts. ERR_INVALID otherwise. */
int round_set_status(struct store *s, const struct actor *who, int64_t id, enum round_status to,
                     struct err_ctx *e);
/** Makes n (1..ROUND_MAX_CODES) new codes for a round that is not closed (ACT_EDIT). */
int round_make_codes(struct store *s, const struct survey_code_key *k, const struct actor *who,
                     int64_t id, int n, struct err_ctx *e);
int round_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
              struct survey_round *out);
/** Rounds the actor may view, newest first; survey_id 0 = of every survey. */
int round_list(struct arena *a, struct store *s, const struct actor *who, int64_t survey_id,
               struct survey_round **out, int *n);
/** Whether the actor may see/print the codes of the round (ACT_EDIT). */
bool round_may_edit(struct arena *a, struct store *s, const struct actor *who,
                    const struct survey_round *r);

struct round_code {
    const char *code; /* normalised */
    bool used;        /* always false here: see round_codes */
};
/** All codes of a round in creation order for letters and CSV (ACT_EDIT; audited as
 *  "round.codes" because codes give access to a survey). Which code was used is never told:
 *  staff who know which letter went to whom could otherwise watch a code flip to used and a
 *  new response appear, and link the two. Reminder letters go to everyone ("heeft u al
 *  meegedaan? dan hoeft u niets te doen"); the round shows only how many codes were used. */
int round_codes(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                struct round_code **out, int *n);

/* For the answering pages (no actor): the invitation and round for a code. */
struct round_invitation {
    int64_t invitation_id;
    bool used;
    struct survey_round round;
};
/** ERR_NOT_FOUND when no such code. */
int round_find_by_code(struct arena *a, struct store *s, const struct survey_code_key *k,
                       const char *norm, struct round_invitation *out);
/** The round of an open link; ERR_NOT_FOUND. */
int round_find_by_slug(struct arena *a, struct store *s, const char *slug,
                       struct survey_round *out);
/** Whether answers are accepted today: status open and today within opens_on..closes_on. */
bool round_accepts(const struct survey_round *r, int32_t today);

#endif
