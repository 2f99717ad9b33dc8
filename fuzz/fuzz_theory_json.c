/*
 * fuzz_theory_json.c: the theory-of-change document parser (domain/theory.c theory_from_json,
 * the API's PUT body and every stored version) on arbitrary bytes. Properties: it never reads
 * past the input (ASan); a refusal carries a reason; an accepted document survives the round
 * trip: writing it canonically and parsing that again gives the same canonical text.
 */
#include "fuzz.h"
#include "core/buf.h"
#include "core/common.h"
#include "domain/theory.h"

#define FUZZ_MAX_INPUT (256u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        size = FUZZ_MAX_INPUT;
    /* A private copy of exactly size bytes, so any overread hits the redzone. */
    char *json = size ? malloc(size) : NULL;
    if (size)
        memcpy(json, data, size);
    struct arena *a = arena_new(0);
    struct theory t;
    struct err_ctx e = {0};
    int rc = theory_from_json(a, json, size, &t, &e);
    if (rc != 0) {
        FUZZ_CHECK(e.msg[0] != '\0');
    } else {
        struct buf one, two;
        buf_init(&one, 64u * 1024u * 1024u);
        buf_init(&two, 64u * 1024u * 1024u);
        FUZZ_CHECK(theory_to_json(&t, &one) == 0);
        struct theory back;
        struct err_ctx e2 = {0};
        FUZZ_CHECK(theory_from_json(a, one.p, one.len, &back, &e2) == 0);
        FUZZ_CHECK(theory_to_json(&back, &two) == 0);
        FUZZ_CHECK(one.len == two.len && memcmp(one.p, two.p, one.len) == 0);
        buf_release(&one);
        buf_release(&two);
    }
    arena_free(a);
    free(json);
    return 0;
}
