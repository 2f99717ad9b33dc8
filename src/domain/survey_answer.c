/*
 * survey_answer.c: parsing and checking a resident's answers against the questionnaire, and
 * turning them into stored rows and draft JSON (survey_answer.h). Everything a resident can
 * send is treated as hostile: values are matched against the questionnaire's own kinds and
 * options, never used as given.
 */
#include "domain/survey_answer.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include <jansson.h>

static void add_error(struct sa_errors *errs, int qi, const char *msg)
{
    if (!errs || errs->n >= SA_MAX_ERRORS)
        return;
    /* One message per question: the first problem is the one to fix. */
    for (int i = 0; i < errs->n; i++)
        if (errs->items[i].question == qi)
            return;
    struct sa_error *x = &errs->items[errs->n++];
    x->question = qi;
    err_set(&x->e, ERR_INVALID, NULL, "%s", msg);
}

int survey_answers_init(struct arena *a, const struct questionnaire *q, struct survey_answers *out)
{
    out->q = q;
    out->a = arena_calloc(a, q->nquestions > 0 ? (size_t)q->nquestions : 1, sizeof *out->a);
    return out->a ? 0 : ERR_NOMEM;
}

static int option_index(const struct q_question *qq, const char *v)
{
    for (int i = 0; i < qq->noptions; i++)
        if (strcmp(qq->options[i].code, v) == 0)
            return i;
    return -1;
}

/* Trims ASCII white space at both ends; returns the trimmed length and sets *start. */
static size_t trim(const char *v, size_t len, const char **start)
{
    size_t b = 0, e = len;
    while (b < e && (v[b] == ' ' || v[b] == '\t' || v[b] == '\r' || v[b] == '\n'))
        b++;
    while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t' || v[e - 1] == '\r' || v[e - 1] == '\n'))
        e--;
    *start = v + b;
    return e - b;
}

/* Open text: valid UTF-8, no control characters except line breaks and tabs, at most
 * Q_OPEN_MAX_CHARS characters. CRLF is kept as the browser sent it. */
static const char *check_open(struct arena *a, const char *v, size_t len, const char **why)
{
    if (len > SA_MAX_VALUE) {
        *why = _("uw antwoord is te lang");
        return NULL;
    }
    if (!utf8_valid(v, len, NULL)) {
        *why = _("uw antwoord bevat tekens die we niet kunnen lezen");
        return NULL;
    }
    const char *s;
    size_t n = trim(v, len, &s);
    if (n == 0)
        return "";
    if (utf8_count(s, n) > Q_OPEN_MAX_CHARS || n > SA_OPEN_MAX_BYTES) {
        *why = _("uw antwoord is te lang: gebruik hoogstens 4000 tekens");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
            *why = _("uw antwoord bevat tekens die we niet kunnen lezen");
            return NULL;
        }
    }
    char *t = arena_strndup(a, s, n);
    if (!t)
        *why = NULL;
    return t;
}

/* Reads one value for question qq into ans; returns NULL when fine, else the message. */
static const char *read_value(struct arena *a, const struct q_question *qq, struct sa_answer *ans,
                              const char *v, size_t len, bool *nomem)
{
    int64_t n = 0;
    switch (qq->kind) {
    case Q_EENS5:
        if (len == 0)
            return NULL; /* nothing chosen */
        if (str_parse_i64_c(v, 0, 5, &n) != 0 || strlen(v) != len)
            return _("kies een van de antwoorden");
        ans->given = true;
        ans->number = n;
        return NULL;
    case Q_CIJFER:
        if (len == 0)
            return NULL;
        if (str_parse_i64_c(v, 1, 10, &n) != 0 || strlen(v) != len)
            return _("kies een cijfer van 1 tot en met 10");
        ans->given = true;
        ans->number = n;
        return NULL;
    case Q_KEUZE: {
        if (len == 0)
            return NULL;
        int i = strlen(v) == len ? option_index(qq, v) : -1;
        if (i < 0)
            return _("kies een van de antwoorden");
        ans->given = true;
        ans->number = i + 1;
        return NULL;
    }
    case Q_MEERKEUZE: {
        int i = strlen(v) == len ? option_index(qq, v) : -1;
        if (i < 0)
            return _("kies alleen uit de antwoorden die er staan");
        ans->given = true;
        ans->ticks |= 1u << i;
        return NULL;
    }
    case Q_OPEN: {
        const char *why = NULL;
        const char *t = check_open(a, v, len, &why);
        if (!t) {
            if (!why)
                *nomem = true;
            return why;
        }
        if (*t) {
            ans->given = true;
            ans->text = t;
        }
        return NULL;
    }
    }
    return _("onbekend soort vraag");
}

int survey_answers_read(struct arena *a, struct survey_answers *s, int section,
                        const struct sa_field *fields, size_t nfields, struct sa_errors *errs)
{
    const struct questionnaire *q = s->q;
    if (section < -1 || section >= q->nsections)
        return ERR_INVALID;
    if (nfields > SA_MAX_FIELDS)
        return ERR_TOO_BIG;
    int from = 0, to = q->nquestions;
    if (section >= 0) {
        from = q->sections[section].first;
        to = from + q->sections[section].count;
    }
    for (int qi = from; qi < to; qi++) {
        const struct q_question *qq = &q->questions[qi];
        struct sa_answer *ans = &s->a[qi];
        memset(ans, 0, sizeof *ans);
        int seen = 0;
        for (size_t f = 0; f < nfields; f++) {
            if (!fields[f].name || strcmp(fields[f].name, qq->item) != 0)
                continue;
            const char *v = fields[f].value ? fields[f].value : "";
            size_t len = fields[f].value ? fields[f].len : 0;
            if (++seen > 1 && qq->kind != Q_MEERKEUZE) {
                /* Two values for a single answer: a forged form. */
                memset(ans, 0, sizeof *ans);
                add_error(errs, qi, _("kies maar één antwoord"));
                break;
            }
            if (seen > qq->noptions && qq->kind == Q_MEERKEUZE) {
                memset(ans, 0, sizeof *ans);
                add_error(errs, qi, _("kies alleen uit de antwoorden die er staan"));
                break;
            }
            bool nomem = false;
            const char *why = read_value(a, qq, ans, v, len, &nomem);
            if (nomem)
                return ERR_NOMEM;
            if (why) {
                memset(ans, 0, sizeof *ans);
                add_error(errs, qi, why);
                break;
            }
        }
    }
    return 0;
}

static int64_t stored_value(const struct sa_answer *ans, const struct q_question *qq)
{
    if (!ans->given)
        return -1;
    if (qq->kind == Q_EENS5 || qq->kind == Q_CIJFER || qq->kind == Q_KEUZE)
        return ans->number;
    return -1; /* conditions only refer to eens5/cijfer/keuze */
}

bool survey_answers_visible(const struct survey_answers *s, int qi)
{
    const struct q_question *qq = &s->q->questions[qi];
    if (!qq->has_condition)
        return true;
    int ref = qq->cond.ref;
    if (ref < 0 || ref >= qi || !survey_answers_visible(s, ref))
        return false;
    int64_t v = stored_value(&s->a[ref], &s->q->questions[ref]);
    if (v < 0)
        return false;
    for (int i = 0; i < qq->cond.nvalues; i++)
        if (qq->cond.numbers[i] == v)
            return true;
    return false;
}

void survey_answers_prune(struct survey_answers *s)
{
    /* Document order: a condition refers to an earlier question, already pruned. */
    for (int qi = 0; qi < s->q->nquestions; qi++)
        if (!survey_answers_visible(s, qi))
            memset(&s->a[qi], 0, sizeof s->a[qi]);
}

int survey_answers_check_required(const struct survey_answers *s, int section,
                                  struct sa_errors *errs)
{
    int added = 0;
    for (int qi = 0; qi < s->q->nquestions; qi++) {
        const struct q_question *qq = &s->q->questions[qi];
        if (section >= 0 && qq->section != section)
            continue;
        if (!qq->required || s->a[qi].given || !survey_answers_visible(s, qi))
            continue;
        int before = errs ? errs->n : 0;
        add_error(errs, qi,
                  qq->kind == Q_OPEN ? _("vul hier iets in, deze vraag is verplicht")
                                     : _("kies een antwoord, deze vraag is verplicht"));
        if (errs && errs->n > before)
            added++;
    }
    return added;
}

bool survey_answers_section_visible(const struct survey_answers *s, int section)
{
    if (section < 0 || section >= s->q->nsections)
        return false;
    const struct q_section *sec = &s->q->sections[section];
    for (int i = 0; i < sec->count; i++)
        if (survey_answers_visible(s, sec->first + i))
            return true;
    return sec->count == 0; /* a section of only text still shows */
}

static int push_field(struct arena *a, struct sa_field **arr, size_t *n, size_t *cap,
                      const char *name, const char *value)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        struct sa_field *na = arena_calloc(a, nc, sizeof *na);
        if (!na)
            return ERR_NOMEM;
        if (*n)
            memcpy(na, *arr, *n * sizeof *na);
        *arr = na;
        *cap = nc;
    }
    (*arr)[*n].name = name;
    (*arr)[*n].value = value;
    (*arr)[*n].len = strlen(value);
    (*n)++;
    return 0;
}

int survey_answers_fields(struct arena *a, const struct survey_answers *s, int section,
                          struct sa_field **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (int qi = 0; qi < s->q->nquestions; qi++) {
        const struct q_question *qq = &s->q->questions[qi];
        const struct sa_answer *ans = &s->a[qi];
        if ((section >= 0 && qq->section != section) || !ans->given)
            continue;
        int ret = 0;
        switch (qq->kind) {
        case Q_EENS5:
        case Q_CIJFER: {
            char *v = arena_printf(a, "%" PRId64, ans->number);
            ret = v ? push_field(a, out, n, &cap, qq->item, v) : ERR_NOMEM;
            break;
        }
        case Q_KEUZE:
            if (ans->number >= 1 && ans->number <= qq->noptions)
                ret = push_field(a, out, n, &cap, qq->item, qq->options[ans->number - 1].code);
            break;
        case Q_MEERKEUZE:
            for (int i = 0; i < qq->noptions && !ret; i++)
                if (ans->ticks & (1u << i))
                    ret = push_field(a, out, n, &cap, qq->item, qq->options[i].code);
            break;
        case Q_OPEN:
            ret = push_field(a, out, n, &cap, qq->item, ans->text ? ans->text : "");
            break;
        }
        if (ret)
            return ret;
    }
    return 0;
}

int survey_answers_rows(struct arena *a, const struct survey_answers *s, struct sa_row **rows,
                        size_t *nrows, struct sa_open **open, size_t *nopen)
{
    const struct questionnaire *q = s->q;
    size_t cap = 0, ocap = 0;
    for (int qi = 0; qi < q->nquestions; qi++) {
        const struct q_question *qq = &q->questions[qi];
        cap += qq->kind == Q_MEERKEUZE ? (size_t)qq->noptions : 1;
        ocap += qq->kind == Q_OPEN;
    }
    *rows = arena_calloc(a, cap ? cap : 1, sizeof **rows);
    *open = arena_calloc(a, ocap ? ocap : 1, sizeof **open);
    if (!*rows || !*open)
        return ERR_NOMEM;
    *nrows = *nopen = 0;
    for (int qi = 0; qi < q->nquestions; qi++) {
        const struct q_question *qq = &q->questions[qi];
        const struct sa_answer *ans = &s->a[qi];
        if (!ans->given)
            continue;
        switch (qq->kind) {
        case Q_EENS5:
        case Q_CIJFER:
        case Q_KEUZE:
            (*rows)[*nrows].item = qq->item;
            (*rows)[(*nrows)++].value = ans->number;
            break;
        case Q_MEERKEUZE:
            for (int i = 0; i < qq->noptions; i++) {
                if (!(ans->ticks & (1u << i)))
                    continue;
                char buf[Q_ITEM_MAX + 1];
                if (q_multi_item(buf, sizeof buf, qq->item, qq->options[i].code) != 0)
                    return ERR_INTERNAL; /* the questionnaire's validation keeps it short */
                const char *item = arena_strdup(a, buf);
                if (!item)
                    return ERR_NOMEM;
                (*rows)[*nrows].item = item;
                (*rows)[(*nrows)++].value = 1;
            }
            break;
        case Q_OPEN:
            (*open)[*nopen].item = qq->item;
            (*open)[(*nopen)++].text = ans->text;
            break;
        }
    }
    return 0;
}

char *survey_answers_draft_json(struct arena *a, const struct survey_answers *s)
{
    json_t *o = json_object();
    char *out = NULL;
    if (!o)
        return NULL;
    for (int qi = 0; qi < s->q->nquestions; qi++) {
        const struct q_question *qq = &s->q->questions[qi];
        const struct sa_answer *ans = &s->a[qi];
        if (!ans->given)
            continue;
        json_t *v = NULL;
        switch (qq->kind) {
        case Q_EENS5:
        case Q_CIJFER:
            v = json_sprintf("%" PRId64, ans->number);
            break;
        case Q_KEUZE:
            if (ans->number >= 1 && ans->number <= qq->noptions)
                v = json_string(qq->options[ans->number - 1].code);
            break;
        case Q_MEERKEUZE:
            v = json_array();
            for (int i = 0; v && i < qq->noptions; i++)
                if (ans->ticks & (1u << i))
                    json_array_append_new(v, json_string(qq->options[i].code));
            break;
        case Q_OPEN:
            v = json_string(ans->text ? ans->text : "");
            break;
        }
        if (!v || json_object_set_new(o, qq->item, v) != 0)
            goto out;
    }
    char *txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (txt) {
        if (strlen(txt) <= SA_MAX_DRAFT_JSON)
            out = arena_strdup(a, txt);
        free(txt);
    }
out:
    json_decref(o);
    return out;
}

int survey_answers_from_draft(struct arena *a, struct survey_answers *s, const char *json,
                              size_t len)
{
    if (len > SA_MAX_DRAFT_JSON)
        return ERR_INVALID;
    json_error_t jerr;
    json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return ERR_INVALID;
    }
    /* The draft's values go through the same reader as a posted form. */
    size_t cap = 1, n = 0;
    const char *key;
    json_t *val;
    json_object_foreach(o, key, val)
    {
        cap += json_is_array(val) ? json_array_size(val) : 1;
    }
    if (cap > SA_MAX_FIELDS) {
        json_decref(o);
        return ERR_INVALID;
    }
    struct sa_field *f = arena_calloc(a, cap, sizeof *f);
    int ret = f ? 0 : ERR_NOMEM;
    json_object_foreach(o, key, val)
    {
        if (ret)
            break;
        const char *name = arena_strdup(a, key);
        if (!name) {
            ret = ERR_NOMEM;
            break;
        }
        if (json_is_string(val)) {
            f[n].name = name;
            f[n].len = json_string_length(val);
            f[n++].value = arena_strndup(a, json_string_value(val), json_string_length(val));
        } else if (json_is_array(val)) {
            size_t i;
            json_t *e;
            json_array_foreach(val, i, e)
            {
                if (!json_is_string(e) || n >= cap)
                    continue;
                f[n].name = name;
                f[n].len = json_string_length(e);
                f[n++].value = arena_strndup(a, json_string_value(e), json_string_length(e));
            }
        }
    }
    json_decref(o);
    for (size_t i = 0; !ret && i < n; i++)
        if (!f[i].value)
            ret = ERR_NOMEM;
    if (ret)
        return ret;
    /* Invalid values in a draft (a questionnaire changed since) are dropped, not reported. */
    struct sa_errors *ignored = arena_alloc(a, sizeof *ignored);
    if (!ignored)
        return ERR_NOMEM;
    ignored->n = 0;
    return survey_answers_read(a, s, -1, f, n, ignored);
}
