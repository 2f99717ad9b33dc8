/*
 * fuzz_definition.c: indicator definition documents (metrics/definition.c) with hostile input.
 * Whatever the input, every problem has a key and a message in valid UTF-8 and their number
 * stays within IND_MAX_PROBLEMS. An accepted definition must compile (with any well-formed
 * survey item), its canonical JSON must parse back, and writing that again must give the same
 * text (to_json is a fixed point).
 */
#include "fuzz.h"
#include "core/common.h"
#include "core/utf8.h"
#include "metrics/definition.h"

/* Any well-formed item code gets a slot, as ind_def_parse allows. */
static int any_slot(void *ctx, const char *code)
{
    int *n = ctx;
    size_t len = strlen(code);
    if (len == 0 || len > 48)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
              code[i] == '_'))
            return -1;
    return (*n)++ % 64;
}

static void check_problems(const struct ind_problems *pr)
{
    FUZZ_CHECK(pr->n >= 0 && pr->n <= IND_MAX_PROBLEMS);
    for (int i = 0; i < pr->n; i++) {
        FUZZ_CHECK(memchr(pr->p[i].key, 0, sizeof pr->p[i].key) != NULL);
        FUZZ_CHECK(memchr(pr->p[i].message, 0, sizeof pr->p[i].message) != NULL);
        FUZZ_CHECK(utf8_valid(pr->p[i].key, strlen(pr->p[i].key), NULL));
        FUZZ_CHECK(utf8_valid(pr->p[i].message, strlen(pr->p[i].message), NULL));
        FUZZ_CHECK(pr->p[i].message[0] != 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(0);
    struct ind_def d, back;
    struct ind_problems pr = {.n = 0};
    int rc = ind_def_parse((const char *)data, size, a, &d, &pr);
    check_problems(&pr);
    if (rc == 0) {
        FUZZ_CHECK(pr.n == 0);
        struct ind_compiled c;
        int slots = 0;
        rc = ind_compile(&d, any_slot, &slots, a, &c, &pr);
        check_problems(&pr);
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(c.population != NULL);
        const char *j1 = ind_def_to_json(&d, a);
        FUZZ_CHECK(j1 != NULL);
        FUZZ_CHECK(ind_def_parse(j1, strlen(j1), a, &back, &pr) == 0);
        const char *j2 = ind_def_to_json(&back, a);
        FUZZ_CHECK(j2 != NULL && strcmp(j1, j2) == 0);
    } else {
        FUZZ_CHECK(pr.n > 0);
        FUZZ_CHECK(rc == ERR_INVALID || rc == ERR_TOO_BIG);
    }
    arena_free(a);
    return 0;
}
