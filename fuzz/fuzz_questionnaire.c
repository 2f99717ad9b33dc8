/*
 * fuzz_questionnaire.c: the questionnaire parser (domain/questionnaire.c) on arbitrary bytes.
 * Properties: no crash or leak; every error has a message; an accepted document writes back
 * canonically, and parse(write(q)) accepts it again and writes the same bytes (the canonical
 * form is a fixed point); every condition points backwards.
 */
#include "fuzz.h"
#include "core/arena.h"
#include "core/common.h"
#include "domain/questionnaire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(0);
    struct questionnaire q, q2;
    struct err_ctx e = {0};
    int rc = questionnaire_parse(a, (const char *)data, size, &q, &e);
    if (rc) {
        FUZZ_CHECK(rc == ERR_INVALID || rc == ERR_TOO_BIG || rc == ERR_NOMEM);
        FUZZ_CHECK(rc == ERR_NOMEM || e.msg[0] != '\0');
    } else {
        for (int i = 0; i < q.nquestions; i++)
            if (q.questions[i].has_condition)
                FUZZ_CHECK(q.questions[i].cond.ref < i);
        char *w1 = questionnaire_write(a, &q);
        FUZZ_CHECK(w1 != NULL);
        FUZZ_CHECK(questionnaire_parse(a, w1, strlen(w1), &q2, &e) == 0);
        char *w2 = questionnaire_write(a, &q2);
        FUZZ_CHECK(w2 != NULL && strcmp(w1, w2) == 0);
    }
    arena_free(a);
    return 0;
}
