/*
 * survey_answer.h: a resident's answers to a questionnaire (docs/surveys.md "Answering"):
 * parsing submitted form fields against the questionnaire (kinds, ranges, options, required
 * questions, conditions, limits, valid UTF-8), with a Dutch error per question; dropping the
 * answers of questions whose condition does not hold; building the rows that are stored
 * (numeric rules in domain/questionnaire.h "NUMERIC STORAGE"); and the JSON of a paused draft.
 * No I/O and no HTML.
 *
 * Form fields (web/survey_form.h writes them): name = item code; eens5 "1".."5" / "0", cijfer
 * "1".."10", keuze = option code, meerkeuze = option code once per ticked box, open = text.
 * Fields that are not questions of the parsed part are ignored by the parser (the page's own
 * fields: csrf, stap, actie, ...); the page limits the total number of fields.
 */
#ifndef DUIDING_DOMAIN_SURVEY_ANSWER_H
#define DUIDING_DOMAIN_SURVEY_ANSWER_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/questionnaire.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_MAX_FIELDS 400   /* fields of one submitted page (the page's own included) */
#define SA_MAX_VALUE  16000 /* bytes of one field: 4,000 characters of up to 4 bytes */
#define SA_OPEN_MAX_BYTES                                                                          \
    8000                        /* = survey_open_answer.text CHECK (4,000 characters of Dutch fit) \
                                 */
#define SA_MAX_DRAFT_JSON 65536 /* = survey_draft.answers CHECK */
#define SA_MAX_ERRORS     Q_MAX_QUESTIONS

/* One submitted form field (value is NUL-terminated; len excludes the NUL). */
struct sa_field {
    const char *name;
    const char *value;
    size_t len;
};

/* The answer to one question; which members count depends on the kind. */
struct sa_answer {
    bool given;
    int64_t number;   /* eens5 0..5, cijfer 1..10, keuze 1..n (option position) */
    uint32_t ticks;   /* meerkeuze: bit i = option i ticked (Q_MAX_OPTIONS <= 32) */
    const char *text; /* open: the text (arena), trimmed; never empty when given */
};

/* All answers of a questionnaire, indexed like questionnaire.questions. */
struct survey_answers {
    const struct questionnaire *q;
    struct sa_answer *a;
};

/* A problem with the answer to one question (message translated, a sentence fragment). */
struct sa_error {
    int question; /* index into questionnaire.questions */
    struct err_ctx e;
};
struct sa_errors {
    struct sa_error items[SA_MAX_ERRORS];
    int n;
};

/** Empty answers for q (arena). 0 or ERR_NOMEM. */
int survey_answers_init(struct arena *a, const struct questionnaire *q, struct survey_answers *out);

/**
 * Reads the answers to the questions of section `section` (0-based; -1 = every section) from
 * the fields, replacing what s held for those questions (a question of the part that has no
 * field becomes unanswered). Invalid values (unknown option, out of range, not UTF-8, too long
 * text, the same single-answer field twice) add an error for that question and leave it
 * unanswered. Returns 0 (see errs->n), ERR_TOO_BIG for more than SA_MAX_FIELDS fields,
 * ERR_INVALID for a bad section, ERR_NOMEM.
 */
int survey_answers_read(struct arena *a, struct survey_answers *s, int section,
                        const struct sa_field *fields, size_t nfields, struct sa_errors *errs);

/** Clears the answers of every question whose condition does not hold (in document order, so a
 * chain of conditions is followed). */
void survey_answers_prune(struct survey_answers *s);

/** Whether question qi is shown given the answers so far (its condition holds). */
bool survey_answers_visible(const struct survey_answers *s, int qi);

/** Adds "verplicht" errors for unanswered visible required questions of section (-1 = all).
 * Returns the number added. */
int survey_answers_check_required(const struct survey_answers *s, int section,
                                  struct sa_errors *errs);

/** True if section has at least one question visible under the answers so far. */
bool survey_answers_section_visible(const struct survey_answers *s, int section);

/** The answers as form fields (what the form shows and carries along). Arena array. */
int survey_answers_fields(struct arena *a, const struct survey_answers *s, int section,
                          struct sa_field **out, size_t *n);

/* A row to store: a numeric answer (survey_answer) or an open text (survey_open_answer). */
struct sa_row {
    const char *item; /* meerkeuze: "<item>__<option>" */
    int64_t value;
};
struct sa_open {
    const char *item;
    const char *text;
};

/** The rows to store for the answers (pruned first by the caller). Arena arrays. */
int survey_answers_rows(struct arena *a, const struct survey_answers *s, struct sa_row **rows,
                        size_t *nrows, struct sa_open **open, size_t *nopen);

/** Draft JSON {"item": "value" | ["opt", ...] | "text"}; NULL on allocation failure or when it
 * would exceed SA_MAX_DRAFT_JSON (the caller says so). */
char *survey_answers_draft_json(struct arena *a, const struct survey_answers *s);
/** Reads a draft written by survey_answers_draft_json (items no longer in the questionnaire are
 * dropped; invalid values too). 0, ERR_INVALID (not a draft object), ERR_NOMEM. */
int survey_answers_from_draft(struct arena *a, struct survey_answers *s, const char *json,
                              size_t len);

#endif
