/*
 * fuzz_survey_answer.c: the reader of a resident's answers (domain/survey_answer.c) on hostile
 * forms and drafts. The input is split at '&' into fields "name=value" (bytes as they come,
 * also invalid UTF-8 and NULs) and read against a fixed questionnaire of every kind; the same
 * bytes are also read as a draft. Invariants: every answer kept is in range for its kind, an
 * open text is valid UTF-8 within the limits, the stored rows follow the numeric rules of
 * domain/questionnaire.h, and draft JSON round-trips to the same answers.
 */
#include "fuzz.h"
#include "core/common.h"
#include "core/utf8.h"
#include "domain/survey_answer.h"

static const char doc[] =
    "{\"versie\":1,\"code\":\"fuzz\",\"titel\":\"F\",\"secties\":["
    "{\"code\":\"a\",\"titel\":\"A\",\"vragen\":["
    "{\"item\":\"e\",\"soort\":\"eens5\",\"tekst\":\"E\",\"verplicht\":true},"
    "{\"item\":\"k\",\"soort\":\"keuze\",\"tekst\":\"K\",\"opties\":["
    "{\"code\":\"ja\",\"label\":\"Ja\"},{\"code\":\"nee\",\"label\":\"Nee\"}]},"
    "{\"item\":\"o\",\"soort\":\"open\",\"tekst\":\"O\",\"als\":{\"item\":\"k\",\"is\":[\"ja\"]}}]}"
    ","
    "{\"code\":\"b\",\"titel\":\"B\",\"vragen\":["
    "{\"item\":\"c\",\"soort\":\"cijfer\",\"tekst\":\"C\",\"als\":{\"item\":\"e\",\"is\":[\"4\","
    "\"5\"]}},"
    "{\"item\":\"m\",\"soort\":\"meerkeuze\",\"tekst\":\"M\",\"opties\":["
    "{\"code\":\"x\",\"label\":\"X\"},{\"code\":\"y\",\"label\":\"Y\"},{\"code\":\"z\",\"label\":"
    "\"Z\"}]},"
    "{\"item\":\"t\",\"soort\":\"open\",\"tekst\":\"T\"}]}]}";

static void check(const struct survey_answers *s)
{
    const struct questionnaire *q = s->q;
    for (int i = 0; i < q->nquestions; i++) {
        const struct q_question *qq = &q->questions[i];
        const struct sa_answer *a = &s->a[i];
        if (!a->given)
            continue;
        switch (qq->kind) {
        case Q_EENS5:
            FUZZ_CHECK(a->number >= 0 && a->number <= 5);
            break;
        case Q_CIJFER:
            FUZZ_CHECK(a->number >= 1 && a->number <= 10);
            break;
        case Q_KEUZE:
            FUZZ_CHECK(a->number >= 1 && a->number <= qq->noptions);
            break;
        case Q_MEERKEUZE:
            FUZZ_CHECK(a->ticks != 0 && a->ticks < (1u << qq->noptions));
            break;
        case Q_OPEN: {
            size_t n = strlen(a->text);
            FUZZ_CHECK(n > 0 && n <= SA_OPEN_MAX_BYTES);
            FUZZ_CHECK(utf8_valid(a->text, n, NULL));
            FUZZ_CHECK(utf8_count(a->text, n) <= Q_OPEN_MAX_CHARS);
            break;
        }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct arena *qa;
    static struct questionnaire q;
    if (!qa) {
        struct err_ctx e = {0};
        qa = arena_new(0);
        FUZZ_CHECK(questionnaire_parse(qa, doc, strlen(doc), &q, &e) == 0);
    }
    if (size > 256 * 1024)
        return 0;
    struct arena *a = arena_new(0);
    struct sa_field *f = arena_calloc(a, SA_MAX_FIELDS + 2, sizeof *f);
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= size && nf < SA_MAX_FIELDS + 1; i++) {
        if (i < size && data[i] != '&')
            continue;
        const char *seg = (const char *)data + start;
        size_t len = i - start, eq = 0;
        while (eq < len && seg[eq] != '=')
            eq++;
        f[nf].name = arena_strndup(a, seg, eq);
        f[nf].value = eq < len ? arena_strndup(a, seg + eq + 1, len - eq - 1) : "";
        f[nf].len = eq < len ? len - eq - 1 : 0; /* may contain NULs: the reader must cope */
        nf++;
        start = i + 1;
    }
    struct survey_answers s;
    struct sa_errors *errs = arena_calloc(a, 1, sizeof *errs);
    FUZZ_CHECK(survey_answers_init(a, &q, &s) == 0);
    int rc = survey_answers_read(a, &s, -1, f, nf, errs);
    FUZZ_CHECK(rc == 0 || rc == ERR_TOO_BIG);
    FUZZ_CHECK(errs->n >= 0 && errs->n <= SA_MAX_ERRORS);
    check(&s);
    for (int sec = 0; sec < q.nsections; sec++)
        survey_answers_read(a, &s, sec, f, nf, errs);
    check(&s);
    survey_answers_check_required(&s, -1, errs);
    survey_answers_prune(&s);
    for (int i = 0; i < q.nquestions; i++)
        FUZZ_CHECK(!s.a[i].given || survey_answers_visible(&s, i));
    struct sa_row *rows;
    struct sa_open *open;
    size_t nrows, nopen;
    FUZZ_CHECK(survey_answers_rows(a, &s, &rows, &nrows, &open, &nopen) == 0);
    for (size_t i = 0; i < nrows; i++)
        FUZZ_CHECK(strlen(rows[i].item) <= Q_ITEM_MAX);
    /* the draft of what was kept reads back to the same answers */
    const char *json = survey_answers_draft_json(a, &s);
    FUZZ_CHECK(json != NULL);
    struct survey_answers back;
    FUZZ_CHECK(survey_answers_init(a, &q, &back) == 0);
    FUZZ_CHECK(survey_answers_from_draft(a, &back, json, strlen(json)) == 0);
    for (int i = 0; i < q.nquestions; i++) {
        FUZZ_CHECK(back.a[i].given == s.a[i].given);
        FUZZ_CHECK(back.a[i].number == s.a[i].number && back.a[i].ticks == s.a[i].ticks);
        FUZZ_CHECK(!s.a[i].text || strcmp(back.a[i].text, s.a[i].text) == 0);
    }
    /* the raw bytes as a (hostile) draft */
    struct survey_answers d;
    FUZZ_CHECK(survey_answers_init(a, &q, &d) == 0);
    rc = survey_answers_from_draft(a, &d, (const char *)data, size);
    FUZZ_CHECK(rc == 0 || rc == ERR_INVALID);
    check(&d);
    arena_free(a);
    return 0;
}
