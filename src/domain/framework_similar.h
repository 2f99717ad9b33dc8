/*
 * framework_similar.h: how alike two criterion texts are, for the duplicate check of the
 * quality framework ("fewer, not more requirements"). Texts are folded (lower case, Latin
 * accents dropped, punctuation a separator), Dutch function words and words every criterion
 * shares ("aanbieder", "cliënt") are dropped, a light Dutch stemmer joins plural and inflected
 * forms ("calamiteiten" = "calamiteit"), and the similarity is the Dice coefficient of the two
 * word sets: 2|A∩B| / (|A| + |B|). The method and threshold are documented in docs/framework.md.
 */
#ifndef DUIDING_DOMAIN_FRAMEWORK_SIMILAR_H
#define DUIDING_DOMAIN_FRAMEWORK_SIMILAR_H

#include "core/arena.h"
#include <stddef.h>
#include <stdint.h>

/* Pairs at or above this similarity are proposed as duplicates. Chosen on the demo framework
 * and the pairs in tests/unit/test_framework.c: reworded requirements from two sources score
 * 0.6-0.9, different requirements on one theme stay below 0.45. */
#define FW_DUP_THRESHOLD 0.55
#define FW_SIG_MAX_WORDS 256 /* words of one text that count (a criterion has at most ~300) */

/* A text's word set: sorted, unique 64-bit hashes of its stemmed content words. */
struct fw_sig {
    uint64_t *h;
    int n;
};

/** Computes the signature of text (NUL-terminated UTF-8). Arena memory; 0 or ERR_NOMEM. */
int fw_signature(struct arena *a, const char *text, struct fw_sig *out);
/** Dice similarity of two signatures in [0, 1]; two empty signatures score 0. */
double fw_sig_similarity(const struct fw_sig *x, const struct fw_sig *y);
/** Convenience: the similarity of two texts (uses a scratch arena). */
double fw_similarity(const char *a, const char *b);
/**
 * Folds and stems text into space-separated content words (for tests and the explanation on
 * the duplicates page). Writes at most cap-1 bytes to out, NUL-terminated; returns the length.
 */
size_t fw_words(const char *text, char *out, size_t cap);

#endif
