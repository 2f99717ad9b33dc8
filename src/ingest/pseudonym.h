/*
 * pseudonym.h: the BSN never gets past the reader. It is checked (elfproef) and replaced at
 * once by a keyed pseudonym: HMAC-SHA-256 with a subkey derived from the deployment key file
 * written by `duiding init` (never in the database). A provider's own, already pseudonymised
 * client key is keyed the same way but in its own domain (with the AGB code), so it can never
 * collide with, or be linked to, a BSN pseudonym. Pseudonyms are versioned ("v1") so the method
 * can be replaced (NEN 7524 practice, domain.md §9.3).
 */
#ifndef DUIDING_INGEST_PSEUDONYM_H
#define DUIDING_INGEST_PSEUDONYM_H

#include "core/err.h"
#include "domain/trajectory.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEY_FILE_BYTES 32

enum bsn_check {
    BSN_OK = 0,
    BSN_NOT_9_DIGITS = 1, /* not exactly 9 digits (8 digits get a leading zero first) */
    BSN_ELFPROEF = 2,     /* fails the 11-check */
    BSN_PLACEHOLDER = 3,  /* 999999999 (unknown) or 000000000 (unborn): no person to link */
};

/**
 * Checks a BSN as delivered (surrounding spaces allowed; an 8-digit number gets a leading 0, as
 * spreadsheets drop it). On BSN_OK, norm receives the 9 digits.
 */
enum bsn_check bsn_check(const char *s, size_t len, char norm[static 10]);
/** True for the test range 999900006-999999990 used in chain tests (not real people). */
bool bsn_is_test(const char norm[static 10]);
/** Dutch msgid explaining a failed check ("BSN voldoet niet aan de elfproef"). */
const char *bsn_check_reason(enum bsn_check c);

struct pseudonymiser;

/**
 * Loads the deployment key file (exactly KEY_FILE_BYTES, mode 0600 expected) and derives the
 * pseudonym subkey. The key bytes are kept in locked memory and wiped on free. 0, ERR_IO (file
 * missing or wrong size, message names the path) or ERR_NOMEM.
 */
int pseudonymiser_open(const char *key_path, struct pseudonymiser **out, struct err_ctx *e);
/** The same from key bytes (tests). */
int pseudonymiser_from_key(const unsigned char key[KEY_FILE_BYTES], struct pseudonymiser **out);
void pseudonymiser_free(struct pseudonymiser *p);

/** Pseudonym of a checked 9-digit BSN. Thread-safe. */
void pseudonym_of_bsn(const struct pseudonymiser *p, const char norm[static 10],
                      unsigned char out[PSEUDONYM_BYTES]);
/** Pseudonym of a provider's own client key (trimmed, 1-64 bytes), in the domain of its AGB. */
void pseudonym_of_client_key(const struct pseudonymiser *p, const char agb[static 9],
                             const char *key, size_t len, unsigned char out[PSEUDONYM_BYTES]);

#endif
