/*
 * anon_check.h: screening free text for things that identify a person, before it is saved or
 * shown (stories, open survey answers; docs/privacy.md "Free text").
 *
 * The check finds candidates, it does not decide: a story's writer confirms each warning, an open
 * answer with a finding is held back for review by the survey's owner. It errs on the side of
 * warning (a nine-digit number is reported even when it fails the elfproef, with the kind
 * ANON_BSN_LIKE), and it never changes the text.
 */
#ifndef DUIDING_DOMAIN_ANON_CHECK_H
#define DUIDING_DOMAIN_ANON_CHECK_H

#include "core/arena.h"
#include <stdbool.h>
#include <stddef.h>

/* Kinds of finding; bit values, so a set of kinds fits in an unsigned (survey_open_answer.flags
 * stores ANON_BSN_LIKE | ANON_EMAIL | ANON_PHONE). */
enum anon_kind {
    ANON_BSN_LIKE = 1 << 0,   /* 9 digits (optionally grouped 3-2-2-2 / 4-2-3), elfproef or not */
    ANON_EMAIL = 1 << 1,      /* name@domain.tld */
    ANON_PHONE = 1 << 2,      /* Dutch phone numbers: 06-12345678, 010 123 4567, +31 6 ... */
    ANON_BIRTH_DATE = 1 << 3, /* a full date (12-03-2011, 12 maart 2011, 2011-03-12) */
    ANON_POSTCODE = 1 << 4,   /* 1234 AB */
    ANON_NAME = 1 << 5,       /* a capitalised word inside a sentence that is not a known word */
};

/* The kinds the survey screening flags (issue: BSN-like numbers, e-mail, phone). */
#define ANON_SURVEY_KINDS (ANON_BSN_LIKE | ANON_EMAIL | ANON_PHONE)
#define ANON_ALL_KINDS    0x3f
#define ANON_MAX_FINDINGS 64          /* findings reported per text; more are counted, not listed */
#define ANON_MAX_TEXT     (64 * 1024) /* longer text is refused by the callers' own limits */

struct anon_finding {
    enum anon_kind kind;
    size_t offset, len;  /* byte range in the text */
    const char *excerpt; /* the matched text (arena copy), for "gevonden: 06-1234..." */
    bool elfproef;       /* ANON_BSN_LIKE: the nine digits pass the elfproef (a real BSN could) */
};

struct anon_report {
    unsigned kinds; /* OR of the kinds found */
    struct anon_finding *findings;
    size_t nfindings; /* listed (at most ANON_MAX_FINDINGS) */
    size_t ntotal;    /* found */
};

/** Screens text (UTF-8, len bytes) for the kinds in `which`. Findings in text order. 0, or
 * ERR_NOMEM / ERR_TOO_BIG (len > ANON_MAX_TEXT). */
int anon_check(const char *text, size_t len, unsigned which, struct arena *a,
               struct anon_report *out);

/** Dutch label of a kind (msgid), e.g. "mogelijk BSN", "e-mailadres", "telefoonnummer",
 * "geboortedatum", "postcode", "mogelijk een naam". */
const char *anon_kind_label(enum anon_kind k);
/** Stable code of a kind ("bsn", "email", "telefoon", "geboortedatum", "postcode", "naam"). */
const char *anon_kind_code(enum anon_kind k);

#endif
