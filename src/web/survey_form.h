/*
 * survey_form.h: one section of a questionnaire as HTML form controls, exactly as a resident sees
 * it. Used by the public answering pages (web/page_answer.c) and by the builder's preview
 * (web/page_survey.c), so the preview cannot drift from the real thing.
 *
 * Markup: every question is a <fieldset> with its text as <legend> (also open text and grades,
 * so the question is always the accessible name of the group), the help text and the error
 * are linked with aria-describedby; eens5, cijfer and keuze are radio groups, meerkeuze
 * checkboxes, open a <textarea maxlength>. No JavaScript is needed.
 *
 * Form field names and values (what domain/survey_answer.h parses back):
 *   eens5      name=<item>  value "1".."5", "0" = weet niet / n.v.t.
 *   cijfer     name=<item>  value "1".."10"
 *   keuze      name=<item>  value = option code
 *   meerkeuze  name=<item>  value = option code, one field per ticked box (repeated name)
 *   open       name=<item>  the text
 *
 * Conditions without JavaScript: a question whose condition depends on an item of an EARLIER
 * section is decided from `values` (not written when it does not apply); one that depends on an
 * item of the SAME section is written with a hint ("Alleen invullen als u bij ... ... koos"),
 * and the validator drops its answer when the condition is not met.
 */
#ifndef DUIDING_WEB_SURVEY_FORM_H
#define DUIDING_WEB_SURVEY_FORM_H

#include "web/html.h"
#include <stdbool.h>
#include <stddef.h>

struct questionnaire; /* domain/questionnaire.h */

/* An answer known so far (from a draft or the form just posted), as form field name/value.
 * A meerkeuze item has one entry per ticked option. */
struct survey_form_value {
    const char *item;
    const char *value;
};

/* A message to show at a question (translated, shown as a sentence). */
struct survey_form_error {
    const char *item;
    const char *message;
};

struct survey_form_opts {
    const char *lang; /* "nl" or "en": the English text when the questionnaire has one */
    const struct survey_form_value *values;
    size_t nvalues;
    const struct survey_form_error *errors;
    size_t nerrors;
    bool preview; /* builder preview: every question is written, conditions as hints */
};

/**
 * Writes section `section` (0-based) of q: a heading (<h2>) with the section title and intro,
 * then the questions. Does not write <form>, hidden fields or buttons: the caller does. Returns
 * 0, or ERR_INVALID when section is out of range (nothing written).
 */
int survey_form_render(struct html *h, const struct questionnaire *q, int section,
                       const struct survey_form_opts *o);

/** True when the question item is shown given `values` (its condition holds, or it has none).
 * Used by the pages to skip sections whose questions are all hidden. */
bool survey_form_applies(const struct questionnaire *q, const char *item,
                         const struct survey_form_value *values, size_t nvalues);

#endif
