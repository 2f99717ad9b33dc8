/*
 * questionnaire.h: a questionnaire (vragenlijst) as data (docs/surveys.md "Questionnaires"):
 * strict parsing and validation of its JSON document with Dutch errors that name the element
 * ("vraag 3 (wmo_ceo_3): ..."), writing it back canonically, the shipped templates, and the
 * rules by which answers are stored as numbers. No I/O (templates are embedded resources).
 *
 * JSON document (keys Dutch, as users and the API see them):
 *   {"versie": 1, "code": "wmo_cevo", "titel": "...", "titel_en": "...",
 *    "intro": "...", "intro_en": "...",
 *    "secties": [{"code": "toegang", "titel": "...", "titel_en": "...",
 *                 "intro": "...", "intro_en": "...",
 *                 "vragen": [{"item": "wmo_ceo_1", "soort": "eens5",
 *                             "tekst": "...", "tekst_en": "...",
 *                             "hulp": "...", "hulp_en": "...", "verplicht": false,
 *                             "opties": [{"code": "ja", "label": "Ja", "label_en": "Yes"}],
 *                             "als": {"item": "informant", "is": ["jongere"]}}]}]}
 *   code and item: [a-z0-9_], code 2-48 bytes, item 1-48 bytes, item unique in the document;
     the answering form's own field names (actie, code, csrf, formulier, stap) are no items.
 *   soort: "eens5" | "cijfer" | "keuze" | "meerkeuze" | "open".
 *   opties: required (2..Q_MAX_OPTIONS) for keuze/meerkeuze, forbidden otherwise; option code
 *     [a-z0-9_] 1-16 bytes, unique within the question.
 *   als (condition): show the question only when the answer to an EARLIER question (in document
 *     order, any section) is one of the listed values. The earlier question must be eens5,
 *     cijfer or keuze; values are option codes for keuze, "1".."5"/"0" for eens5, "1".."10" for
 *     cijfer. Conditions on meerkeuze/open questions and forward references are errors.
 *   Unknown keys are errors (a typo must not silently change a survey).
 *
 * NUMERIC STORAGE (survey_answer.value; the engine's antwoord("item") reads these):
 *   eens5     1 = helemaal mee oneens .. 5 = helemaal mee eens; 0 = weet niet / n.v.t.
 *             (q_eens5_labels gives the labels in this order: index 1..5, then 0).
 *   cijfer    1..10.
 *   keuze     the position of the chosen option, 1..n in document order (so reordering
 *             options of a questionnaire that has answers changes their meaning: the builder
 *             refuses that once a round exists; see questionnaire_compatible).
 *   meerkeuze one survey_answer row per TICKED option, item "<item>__<optiecode>" (two
 *             underscores; q_multi_item builds it), value 1. Unticked options store nothing.
 *             Validation keeps strlen(item) + 2 + strlen(option code) <= Q_ITEM_MAX.
 *   open      no survey_answer row; the text goes to survey_open_answer (item = the item code).
 *   An unanswered or hidden (condition false) question stores nothing.
 */
#ifndef DUIDING_DOMAIN_QUESTIONNAIRE_H
#define DUIDING_DOMAIN_QUESTIONNAIRE_H

#include "core/arena.h"
#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define Q_MAX_JSON        (256 * 1024) /* = the survey.document CHECK */
#define Q_CODE_MAX        48
#define Q_ITEM_MAX        48 /* survey_answer.item; a meerkeuze item plus "__" plus option fits */
#define Q_OPTION_CODE_MAX 16
#define Q_MAX_SECTIONS    20
#define Q_MAX_QUESTIONS   120 /* in the whole document */
#define Q_MAX_OPTIONS     20
#define Q_MAX_COND_VALUES 20
#define Q_TITLE_MAX       200 /* code points */
#define Q_TEXT_MAX        1000
#define Q_INTRO_MAX       4000
#define Q_LABEL_MAX       200
#define Q_OPEN_MAX_CHARS  4000 /* longest open-text answer a resident may give */
#define Q_EENS5_DONT_KNOW 0

enum q_kind { Q_EENS5 = 1, Q_CIJFER, Q_KEUZE, Q_MEERKEUZE, Q_OPEN };

struct q_option {
    const char *code, *label, *label_en; /* label_en NULL if none */
};

struct q_condition {
    const char *item; /* an earlier question's item */
    int ref;          /* index of that question in questionnaire.questions */
    const char **values;
    int nvalues;
    int64_t *numbers; /* the same values as stored numbers (see NUMERIC STORAGE) */
};

struct q_question {
    const char *item;
    enum q_kind kind;
    const char *text, *text_en, *help, *help_en; /* NULL when absent */
    bool required;
    struct q_option *options;
    int noptions;
    bool has_condition;
    struct q_condition cond;
    int section; /* index into questionnaire.sections */
};

struct q_section {
    const char *code, *title, *title_en, *intro, *intro_en;
    int first, count; /* its questions: questionnaire.questions[first .. first+count) */
};

/* Parsed document; every string lives in the arena it was parsed into. */
struct questionnaire {
    int version; /* schema version: 1 */
    const char *code, *title, *title_en, *intro, *intro_en;
    struct q_section *sections;
    int nsections;
    struct q_question *questions; /* all questions in document order */
    int nquestions;
};

/** Parses and validates; on error fills e (Dutch, names the element) and returns ERR_INVALID
 *  or ERR_TOO_BIG. len is the JSON length in bytes. */
int questionnaire_parse(struct arena *a, const char *json, size_t len, struct questionnaire *out,
                        struct err_ctx *e);
/** Validates an in-memory questionnaire (as built by the builder) with the same rules as parse
 *  and resolves the condition references. */
int questionnaire_validate(struct arena *a, struct questionnaire *q, struct err_ctx *e);
/** Canonical JSON (fixed key order, absent optional keys left out, indented by 2): parse ->
 *  write -> parse -> write yields the same bytes. Returns NULL on allocation failure. */
char *questionnaire_write(struct arena *a, const struct questionnaire *q);

/** Whether answers stored under `old` keep their meaning under `neu`: no item changed kind and
 *  no keuze/meerkeuze option was removed or moved. On false, e names the question. */
bool questionnaire_compatible(const struct questionnaire *old, const struct questionnaire *neu,
                              struct err_ctx *e);

/** The question with this item code, or NULL. */
const struct q_question *questionnaire_find(const struct questionnaire *q, const char *item);

/** Stable code of a kind ("eens5", ...) and its Dutch label (translated). */
const char *q_kind_code(enum q_kind k);
const char *q_kind_label(enum q_kind k);
int q_kind_parse(const char *code, enum q_kind *out);

/** Labels of the eens5 scale: index 1..5 (helemaal mee oneens .. helemaal mee eens) and 0
 *  (weet niet / n.v.t.); translated. Returns NULL outside 0..5. */
const char *q_eens5_label(int value);

/** "<item>__<option>" into buf (size >= Q_ITEM_MAX + 1); ERR_TOO_BIG if it does not fit. */
int q_multi_item(char *buf, size_t size, const char *item, const char *option);

/** Whether the condition of question qi holds for the given stored answers: value_of returns
 *  the stored number of an item or -1 when unanswered. Questions without a condition: true. */
bool questionnaire_visible(const struct questionnaire *q, int qi,
                           int64_t (*value_of)(void *ctx, const char *item), void *ctx);

/* ---- Editing (the builder). Each changes q in place (new arrays in the arena) and keeps the
 * section/question tiling; the caller runs questionnaire_validate afterwards, which catches
 * what an edit may break (a condition that now points forward, an empty section).
 * qi is a question index, s a section index, dir -1 (up) or +1 (down). ERR_INVALID when an
 * index is out of range or the move has nowhere to go. ------------------------------------- */

/** Moves question qi one place; at the edge of its section it moves into the neighbour
 *  section (last of the previous / first of the next). */
int questionnaire_move_question(struct arena *a, struct questionnaire *q, int qi, int dir);
int questionnaire_delete_question(struct arena *a, struct questionnaire *q, int qi);
/** Appends a copy of nq at the end of section s. */
int questionnaire_add_question(struct arena *a, struct questionnaire *q, int s,
                               const struct q_question *nq);
int questionnaire_move_section(struct arena *a, struct questionnaire *q, int s, int dir);
/** Deletes section s with its questions. */
int questionnaire_delete_section(struct arena *a, struct questionnaire *q, int s);
/** Appends section ns (its first/count are ignored) holding one question, first. */
int questionnaire_add_section(struct arena *a, struct questionnaire *q, const struct q_section *ns,
                              const struct q_question *first);

/* ---- Shipped templates (data/vragenlijsten/<code>.json) ------------------------------------ */

struct q_template {
    const char *code;     /* "wmo-cevo", "jeugd-uitkomst" */
    const char *resource; /* "data/vragenlijsten/wmo-cevo.json" */
    const char *label;    /* translated name for the builder */
};

/** The shipped templates (static table). */
const struct q_template *questionnaire_templates(int *n);
/** Loads and parses a template by code; ERR_NOT_FOUND for an unknown code. */
int questionnaire_template(struct arena *a, const char *code, struct questionnaire *out,
                           const char **json_out, struct err_ctx *e);

#endif
