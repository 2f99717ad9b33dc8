/*
 * survey_form.c: renders one questionnaire section as form controls (survey_form.h), in NL
 * Design System (Utrecht) markup: a fieldset with legend per question, radio groups and
 * checkboxes with real labels, help and error text linked with aria-describedby. The first
 * control of a question has id "veld-<item>" so an error summary can link straight to it.
 */
#include "web/survey_form.h"
#include "core/common.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/questionnaire.h"
#include "web/page.h"

static const char *pick(const char *nl, const char *en, const char *lang)
{
    return lang && strcmp(lang, "en") == 0 && en && *en ? en : nl;
}

static const char *value_of(const struct survey_form_opts *o, const char *item)
{
    for (size_t i = 0; o && i < o->nvalues; i++)
        if (o->values[i].item && strcmp(o->values[i].item, item) == 0)
            return o->values[i].value;
    return NULL;
}

static bool has_value(const struct survey_form_opts *o, const char *item, const char *v)
{
    for (size_t i = 0; o && i < o->nvalues; i++)
        if (o->values[i].item && o->values[i].value && strcmp(o->values[i].item, item) == 0 &&
            strcmp(o->values[i].value, v) == 0)
            return true;
    return false;
}

static const char *error_of(const struct survey_form_opts *o, const char *item)
{
    for (size_t i = 0; o && i < o->nerrors; i++)
        if (o->errors[i].item && strcmp(o->errors[i].item, item) == 0)
            return o->errors[i].message;
    return NULL;
}

/* The stored number of a posted value of question qq (as questionnaire.h stores it), or -1. */
static int64_t number_of(const struct q_question *qq, const char *v)
{
    int64_t n;
    if (!v)
        return -1;
    switch (qq->kind) {
    case Q_EENS5:
        return str_parse_i64_c(v, 0, 5, &n) == 0 ? n : -1;
    case Q_CIJFER:
        return str_parse_i64_c(v, 1, 10, &n) == 0 ? n : -1;
    case Q_KEUZE:
        for (int i = 0; i < qq->noptions; i++)
            if (strcmp(qq->options[i].code, v) == 0)
                return i + 1;
        return -1;
    default:
        return -1;
    }
}

static bool applies_qi(const struct questionnaire *q, int qi, const struct survey_form_opts *o,
                       int depth)
{
    const struct q_question *qq = &q->questions[qi];
    if (!qq->has_condition)
        return true;
    int ref = qq->cond.ref;
    if (ref < 0 || ref >= qi || depth > Q_MAX_QUESTIONS || !applies_qi(q, ref, o, depth + 1))
        return false;
    int64_t v = number_of(&q->questions[ref], value_of(o, q->questions[ref].item));
    for (int i = 0; v >= 0 && i < qq->cond.nvalues; i++)
        if (qq->cond.numbers[i] == v)
            return true;
    return false;
}

bool survey_form_applies(const struct questionnaire *q, const char *item,
                         const struct survey_form_value *values, size_t nvalues)
{
    struct survey_form_opts o = {.values = values, .nvalues = nvalues};
    for (int i = 0; i < q->nquestions; i++)
        if (strcmp(q->questions[i].item, item) == 0)
            return applies_qi(q, i, &o, 0);
    return false;
}

/* The label a resident sees for a stored condition value of question ref. */
static const char *cond_value_label(const struct q_question *ref, const char *v, const char *lang)
{
    int64_t n = number_of(ref, v);
    if (ref->kind == Q_EENS5 && n >= 0)
        return q_eens5_label((int)n);
    if (ref->kind == Q_KEUZE && n >= 1)
        return pick(ref->options[n - 1].label, ref->options[n - 1].label_en, lang);
    return v;
}

/* "Alleen invullen als u bij 'vraag' 'Ja' of 'Soms' hebt gekozen." */
static void condition_hint(struct html *h, const struct questionnaire *q,
                           const struct q_question *qq, const char *lang)
{
    const struct q_question *ref = &q->questions[qq->cond.ref];
    html_raw(h, "<p class=\"utrecht-paragraph duiding-condition\">");
    html_text(h, _("Alleen invullen als u bij de vraag"));
    html_raw(h, " ‘");
    html_text(h, pick(ref->text, ref->text_en, lang));
    html_raw(h, "’ ");
    html_text(h, _("dit hebt gekozen:"));
    html_raw(h, " ");
    for (int i = 0; i < qq->cond.nvalues; i++) {
        if (i && i == qq->cond.nvalues - 1) {
            html_raw(h, " ");
            html_text(h, _("of"));
            html_raw(h, " ");
        } else if (i) {
            html_raw(h, ", ");
        }
        html_raw(h, "‘");
        html_text(h, cond_value_label(ref, qq->cond.values[i], lang));
        html_raw(h, "’");
    }
    html_raw(h, ".</p>");
}

/* id of control i of a question: the first is "veld-<item>", the rest "veld-<item>-<i>". */
static void control_id(struct html *h, const char *item, int i)
{
    html_raw(h, "veld-");
    html_text(h, item);
    if (i > 0) {
        html_raw(h, "-");
        html_int(h, i);
    }
}

static void described_by(struct html *h, const char *item, bool hint, bool error)
{
    if (!hint && !error)
        return;
    html_raw(h, " aria-describedby=\"");
    if (hint) {
        html_raw(h, "hint-");
        html_text(h, item);
    }
    if (error) {
        if (hint)
            html_raw(h, " ");
        html_raw(h, "fout-");
        html_text(h, item);
    }
    html_raw(h, "\"");
}

static void choice(struct html *h, const char *type, const char *item, int i, const char *value,
                   const char *label, bool checked, bool required, bool disabled)
{
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--");
    html_text(h, type);
    html_raw(h, "\"><div class=\"utrecht-form-field__input\"><input class=\"utrecht-");
    html_text(h, type);
    html_raw(h, " utrecht-");
    html_text(h, type);
    html_raw(h, "--html-input\"");
    html_attr(h, "type", type);
    html_attr(h, "name", item);
    html_attr(h, "value", value);
    html_raw(h, " id=\"");
    control_id(h, item, i);
    html_raw(h, "\"");
    html_attr_bool(h, "checked", checked);
    html_attr_bool(h, "required", required);
    html_attr_bool(h, "disabled", disabled);
    html_raw(h, "></div><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
                "utrecht-form-label--");
    html_text(h, type);
    html_raw(h, "\" for=\"");
    control_id(h, item, i);
    html_raw(h, "\">");
    html_text(h, label);
    html_raw(h, "</label></div></div>");
}

static void question(struct html *h, const struct questionnaire *q, int qi, int number,
                     const struct survey_form_opts *o, bool cond_hint)
{
    const struct q_question *qq = &q->questions[qi];
    const char *lang = o ? o->lang : NULL;
    const char *text = pick(qq->text, qq->text_en, lang);
    const char *help = pick(qq->help, qq->help_en, lang);
    const char *error = error_of(o, qq->item);
    const char *val = value_of(o, qq->item);
    bool preview = o && o->preview;
    /* HTML "required" on a radio group would block "Later verder" and "Vorige" without
     * JavaScript; the server checks required questions and says so at the question. */
    html_raw(h, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset "
                "duiding-question");
    if (error)
        html_raw(h, " utrecht-form-fieldset--invalid");
    html_raw(h, "\" id=\"vraag-");
    html_text(h, qq->item);
    html_raw(h, "\"");
    if (qq->kind != Q_OPEN)
        described_by(h, qq->item, help != NULL || cond_hint, error != NULL);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    html_raw(h, "><legend class=\"utrecht-form-fieldset__legend "
                "utrecht-form-fieldset__legend--html-legend\" id=\"tekst-");
    html_text(h, qq->item);
    html_raw(h, "\">");
    if (number > 0) {
        html_int(h, number);
        html_raw(h, ". ");
    }
    html_text(h, text);
    if (!qq->required) {
        html_raw(h, " <span class=\"duiding-optional\">(");
        html_text(h, _("niet verplicht"));
        html_raw(h, ")</span>");
    }
    html_raw(h, "</legend>");
    if (help || cond_hint) {
        html_raw(h, "<div class=\"utrecht-form-field-description\" id=\"hint-");
        html_text(h, qq->item);
        html_raw(h, "\">");
        if (help) {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            html_text(h, help);
            html_raw(h, "</p>");
        }
        if (cond_hint)
            condition_hint(h, q, qq, lang);
        html_raw(h, "</div>");
    }
    if (error) {
        html_raw(h, "<div class=\"utrecht-form-field-error-message\" id=\"fout-");
        html_text(h, qq->item);
        html_raw(h, "\">");
        form_sentence(h, error);
        html_raw(h, "</div>");
    }
    switch (qq->kind) {
    case Q_EENS5: {
        static const int order[] = {5, 4, 3, 2, 1, 0}; /* agree first, as the CEO prints it */
        for (int i = 0; i < 6; i++) {
            char v[12];
            snprintf(v, sizeof v, "%d", order[i]);
            choice(h, "radio", qq->item, i, v, q_eens5_label(order[i]), val && strcmp(val, v) == 0,
                   false, preview);
        }
        break;
    }
    case Q_CIJFER:
        html_raw(h, "<div class=\"duiding-grade\">");
        for (int g = 1; g <= 10; g++) {
            char v[12];
            snprintf(v, sizeof v, "%d", g);
            choice(h, "radio", qq->item, g - 1, v, v, val && strcmp(val, v) == 0, false, preview);
        }
        html_raw(h, "</div>");
        break;
    case Q_KEUZE:
    case Q_MEERKEUZE: {
        const char *type = qq->kind == Q_KEUZE ? "radio" : "checkbox";
        for (int i = 0; i < qq->noptions; i++) {
            const struct q_option *op = &qq->options[i];
            bool on = qq->kind == Q_KEUZE ? (val && strcmp(val, op->code) == 0)
                                          : has_value(o, qq->item, op->code);
            choice(h, type, qq->item, i, op->code, pick(op->label, op->label_en, lang), on, false,
                   preview);
        }
        break;
    }
    case Q_OPEN:
        /* The question is the legend; the textarea is named by it (aria-labelledby). */
        html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--textarea\">");
        html_raw(h, "<textarea class=\"utrecht-textarea utrecht-textarea--html-textarea\" "
                    "rows=\"5\" maxlength=\"4000\" aria-labelledby=\"tekst-");
        html_text(h, qq->item);
        html_raw(h, "\"");
        html_attr(h, "name", qq->item);
        html_raw(h, " id=\"");
        control_id(h, qq->item, 0);
        html_raw(h, "\"");
        described_by(h, qq->item, help != NULL || cond_hint, error != NULL);
        if (error)
            html_raw(h, " aria-invalid=\"true\"");
        html_attr_bool(h, "disabled", preview);
        html_raw(h, ">");
        html_text(h, val);
        html_raw(h, "</textarea></div>");
        break;
    }
    html_raw(h, "</fieldset>");
}

int survey_form_render(struct html *h, const struct questionnaire *q, int section,
                       const struct survey_form_opts *o)
{
    if (!q || section < 0 || section >= q->nsections)
        return ERR_INVALID;
    const struct q_section *sec = &q->sections[section];
    const char *lang = o ? o->lang : NULL;
    html_raw(h, "<h2 class=\"utrecht-heading-2\">");
    html_text(h, pick(sec->title, sec->title_en, lang));
    html_raw(h, "</h2>");
    const char *intro = pick(sec->intro, sec->intro_en, lang);
    if (intro && *intro) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_text(h, intro);
        html_raw(h, "</p>");
    }
    int number = 0;
    for (int i = 0; i < sec->count; i++) {
        int qi = sec->first + i;
        const struct q_question *qq = &q->questions[qi];
        bool hint = false;
        if (qq->has_condition) {
            bool same_section = q->questions[qq->cond.ref].section == section;
            if (o && o->preview)
                hint = true;
            else if (same_section)
                hint = applies_qi(q, qq->cond.ref, o, 0); /* its parent is shown here too */
            else if (!applies_qi(q, qi, o, 0))
                continue; /* decided by an earlier page: not for this resident */
            if (same_section && !(o && o->preview) && !hint)
                continue; /* its parent itself is hidden */
        }
        question(h, q, qi, ++number, o, hint);
    }
    return html_error(h);
}
