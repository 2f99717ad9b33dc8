/*
 * survey_result.c: survey results per question through the disclosure module
 * (survey_result.h). Raw counts come from store/survey_store.c and never leave this file:
 * every cell is decided by dc_protect and rounded by dc_round before it is put in the result.
 */
#include "metrics/survey_result.h"
#include "core/common.h"
#include <math.h>

static const char *const dim_codes[] = {"", "gemeente", "aanbieder", "categorie"};

int survey_dim_parse(const char *code)
{
    if (!code || !*code)
        return SURVEY_DIM_NONE;
    for (int i = 1; i < (int)ARRAY_LEN(dim_codes); i++)
        if (strcmp(code, dim_codes[i]) == 0)
            return i;
    return -1;
}

const char *survey_dim_code(enum survey_dim d)
{
    return (int)d >= 0 && (int)d < (int)ARRAY_LEN(dim_codes) ? dim_codes[d] : "";
}

/* Answer categories of a closed question, in the order a table shows them. */
static int options_of(struct arena *a, const struct q_question *qq, struct sr_option **out, int *n)
{
    static const char *const eens5[] = {"5", "4", "3", "2", "1", "0"};
    static const char *const grades[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
    int cnt = qq->kind == Q_EENS5 ? 6 : qq->kind == Q_CIJFER ? 10 : qq->noptions;
    *out = arena_calloc(a, cnt > 0 ? (size_t)cnt : 1, sizeof **out);
    if (!*out)
        return ERR_NOMEM;
    for (int i = 0; i < cnt; i++) {
        if (qq->kind == Q_EENS5) {
            (*out)[i].code = eens5[i];
            (*out)[i].label = q_eens5_label(5 - i > 0 ? 5 - i : 0);
        } else if (qq->kind == Q_CIJFER) {
            (*out)[i].code = (*out)[i].label = grades[i];
        } else {
            (*out)[i].code = qq->options[i].code;
            (*out)[i].label = qq->options[i].label;
        }
    }
    *n = cnt;
    return 0;
}

/* Option index of a stored answer (item as stored, value) for question qq, or -1. */
static int option_of(const struct q_question *qq, const char *item, int64_t value)
{
    switch (qq->kind) {
    case Q_EENS5:
        return value >= 1 && value <= 5 ? (int)(5 - value) : value == 0 ? 5 : -1;
    case Q_CIJFER:
        return value >= 1 && value <= 10 ? (int)value - 1 : -1;
    case Q_KEUZE:
        return value >= 1 && value <= qq->noptions ? (int)value - 1 : -1;
    case Q_MEERKEUZE: {
        size_t il = strlen(qq->item);
        if (value != 1 || strncmp(item, qq->item, il) != 0 || strncmp(item + il, "__", 2) != 0)
            return -1;
        for (int i = 0; i < qq->noptions; i++)
            if (strcmp(item + il + 2, qq->options[i].code) == 0)
                return i;
        return -1;
    }
    case Q_OPEN:
        return -1;
    }
    return -1;
}

/* The question an answer row belongs to ("q__opt" -> q). */
static const struct q_question *question_of(const struct questionnaire *q, const char *item)
{
    const struct q_question *qq = questionnaire_find(q, item);
    if (qq)
        return qq;
    const char *sep = strstr(item, "__");
    if (!sep || sep - item > Q_ITEM_MAX)
        return NULL;
    char buf[Q_ITEM_MAX + 1];
    memcpy(buf, item, (size_t)(sep - item));
    buf[sep - item] = 0;
    qq = questionnaire_find(q, buf);
    return qq && qq->kind == Q_MEERKEUZE ? qq : NULL;
}

static int key_index(const struct survey_result *r, const char *key)
{
    if (r->dim == SURVEY_DIM_NONE)
        return 0;
    for (int k = 0; k < r->nkeys; k++)
        if (strcmp(r->keys[k], key ? key : "") == 0)
            return k + 1;
    return -1;
}

static struct sr_cell shown(const struct dc_rules *rules, const struct dc_cell *c, int64_t den)
{
    struct sr_cell o = {.reason = c->reason, .n = -1, .pct = NAN};
    if (c->reason == DC_NO_DATA) {
        o.n = 0; /* a true zero, known to every line (disclosure.c) */
        o.pct = den > 0 ? 0.0 : NAN;
    } else if (c->reason == DC_SHOWN) {
        o.n = dc_round(rules, c->units);
        o.pct = den > 0 ? 100.0 * (double)c->units / (double)den : NAN;
    }
    return o;
}

/* Decides one question's table: columns 0..ncol-1, each with noptions answers and the base. */
static int protect_question(struct arena *a, const struct dc_rules *rules, const int64_t *raw,
                            const int64_t *base, int ncol, int nopt, bool additive,
                            struct sr_question *out)
{
    size_t stride = (size_t)nopt + 1, ncells = (size_t)ncol * stride;
    struct dc_cell *cells = arena_calloc(a, ncells, sizeof *cells);
    size_t maxlines = (size_t)ncol + (size_t)nopt + 1;
    struct dc_line *lines = arena_calloc(a, maxlines, sizeof *lines);
    size_t *members = arena_calloc(a, ncells + 1, sizeof *members);
    if (!cells || !lines || !members)
        return ERR_NOMEM;
    for (int k = 0; k < ncol; k++) {
        for (int o = 0; o < nopt; o++) {
            struct dc_cell *c = &cells[(size_t)k * stride + (size_t)o];
            c->units = raw[(size_t)k * (size_t)nopt + (size_t)o];
            c->den = base[k];
            c->complement = -1;
        }
        struct dc_cell *b = &cells[(size_t)k * stride + (size_t)nopt];
        b->units = b->den = base[k]; /* the base is all of itself */
        b->complement = -1;
    }
    size_t nl = 0, nm = 0;
    /* The answers of a single-answer question add up to its respondents. */
    for (int k = 0; additive && k < ncol; k++) {
        lines[nl].members = &members[nm];
        for (int o = 0; o < nopt; o++)
            members[nm++] = (size_t)k * stride + (size_t)o;
        lines[nl].nmembers = (size_t)nopt;
        lines[nl++].total = (size_t)k * stride + (size_t)nopt;
    }
    /* Every answer (and the base) over the breakdown adds up to the total column. */
    if (ncol > 1) {
        for (int o = 0; o <= nopt; o++) {
            lines[nl].members = &members[nm];
            for (int k = 1; k < ncol; k++)
                members[nm++] = (size_t)k * stride + (size_t)o;
            lines[nl].nmembers = (size_t)ncol - 1;
            lines[nl++].total = (size_t)o;
        }
    }
    dc_protect(rules, 0, true, cells, ncells, lines, nl);
    out->cells = arena_calloc(a, (size_t)ncol * (size_t)nopt + 1, sizeof *out->cells);
    out->base = arena_calloc(a, (size_t)ncol, sizeof *out->base);
    if (!out->cells || !out->base)
        return ERR_NOMEM;
    for (int k = 0; k < ncol; k++) {
        const struct dc_cell *b = &cells[(size_t)k * stride + (size_t)nopt];
        for (int o = 0; o < nopt; o++)
            out->cells[(size_t)k * (size_t)nopt + (size_t)o] =
                shown(rules, &cells[(size_t)k * stride + (size_t)o],
                      b->reason == DC_SHOWN ? b->units : 0);
        out->base[k] = shown(rules, b, 0);
    }
    return 0;
}

int survey_result_compute(struct arena *a, struct db *db, const struct questionnaire *q,
                          const int64_t *round_ids, size_t nrounds, enum survey_dim dim,
                          const struct dc_rules *rules, struct survey_result *out)
{
    memset(out, 0, sizeof *out);
    out->dim = dim;
    out->responses = (struct sr_cell){.reason = DC_NO_DATA, .n = 0, .pct = NAN};
    if (nrounds == 0)
        return 0;
    struct survey_count_row *rows;
    struct survey_base_row *bases;
    size_t nrows, nbases;
    int ret = survey_store_counts(a, db, round_ids, nrounds, dim, &rows, &nrows, &bases, &nbases);
    if (ret)
        return ret;
    int64_t total = 0;
    if ((ret = survey_store_response_total(db, round_ids, nrounds, &total)))
        return ret;
    struct dc_cell tc = {.units = total, .den = total, .complement = -1};
    dc_protect(rules, 0, true, &tc, 1, NULL, 0);
    out->responses = shown(rules, &tc, 0);

    /* Columns: the distinct breakdown values that occur (bases come sorted by item, key). */
    if (dim != SURVEY_DIM_NONE) {
        out->keys = arena_calloc(a, SR_MAX_KEYS, sizeof *out->keys);
        if (!out->keys)
            return ERR_NOMEM;
        for (size_t i = 0; i < nbases; i++) {
            const char *k = bases[i].key ? bases[i].key : "";
            if (key_index(out, k) > 0)
                continue;
            if (out->nkeys >= SR_MAX_KEYS)
                return ERR_TOO_BIG;
            int at = out->nkeys++;
            while (at > 0 && strcmp(out->keys[at - 1], k) > 0) {
                out->keys[at] = out->keys[at - 1];
                at--;
            }
            out->keys[at] = k;
        }
    }
    int ncol = 1 + out->nkeys;
    out->questions =
        arena_calloc(a, q->nquestions > 0 ? (size_t)q->nquestions : 1, sizeof *out->questions);
    if (!out->questions)
        return ERR_NOMEM;
    for (int qi = 0; qi < q->nquestions; qi++) {
        const struct q_question *qq = &q->questions[qi];
        if (qq->kind == Q_OPEN)
            continue;
        struct sr_question *sq = &out->questions[out->nquestions++];
        sq->question = qi;
        if ((ret = options_of(a, qq, &sq->options, &sq->noptions)))
            return ret;
        int64_t *raw = arena_calloc(a, (size_t)ncol * (size_t)sq->noptions + 1, sizeof *raw);
        int64_t *base = arena_calloc(a, (size_t)ncol, sizeof *base);
        if (!raw || !base)
            return ERR_NOMEM;
        for (size_t i = 0; i < nrows; i++) {
            if (question_of(q, rows[i].item) != qq)
                continue;
            int o = option_of(qq, rows[i].item, rows[i].value);
            int k = key_index(out, rows[i].key);
            if (o < 0 || k < 0)
                continue; /* a value the questionnaire does not know (changed since): left out */
            raw[(size_t)k * (size_t)sq->noptions + (size_t)o] += rows[i].n;
            if (k > 0)
                raw[o] += rows[i].n;
        }
        for (size_t i = 0; i < nbases; i++) {
            if (strcmp(bases[i].item, qq->item) != 0)
                continue;
            int k = key_index(out, bases[i].key);
            if (k < 0)
                continue;
            base[k] += bases[i].n;
            if (k > 0)
                base[0] += bases[i].n;
        }
        if ((ret = protect_question(a, rules, raw, base, ncol, sq->noptions,
                                    qq->kind != Q_MEERKEUZE, sq)))
            return ret;
        sq->mean = NAN;
        if (qq->kind == Q_CIJFER && sq->base[0].reason == DC_SHOWN && base[0] > 0) {
            double sum = 0;
            for (int o = 0; o < sq->noptions; o++)
                sum += (double)(o + 1) * (double)raw[o];
            sq->mean = sum / (double)base[0];
        }
    }
    return 0;
}
