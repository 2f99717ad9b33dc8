/*
 * fuzz_anon_check.c: the anonymisation check on arbitrary bytes. Properties: it never reads
 * past the input (ASan), findings lie inside the text, are in text order and do not overlap,
 * excerpts equal the bytes they cover, the listed count is capped and the kinds agree with the
 * findings; a subset of kinds never finds more than all kinds.
 */
#include "fuzz.h"
#include "core/common.h"
#include "domain/anon_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > ANON_MAX_TEXT)
        size = ANON_MAX_TEXT;
    /* A private copy of exactly size bytes, so any overread hits the redzone. */
    char *text = size ? malloc(size) : NULL;
    if (size)
        memcpy(text, data, size);
    struct arena *a = arena_new(0);
    struct anon_report r;
    FUZZ_CHECK(anon_check(text, size, ANON_ALL_KINDS, a, &r) == 0);
    FUZZ_CHECK(r.nfindings <= ANON_MAX_FINDINGS && r.nfindings <= r.ntotal);
    unsigned kinds = 0;
    for (size_t k = 0; k < r.nfindings; k++) {
        const struct anon_finding *f = &r.findings[k];
        FUZZ_CHECK(f->len > 0 && f->offset + f->len <= size);
        FUZZ_CHECK(memcmp(f->excerpt, text + f->offset, f->len) == 0);
        if (k > 0)
            FUZZ_CHECK(f->offset >= r.findings[k - 1].offset + r.findings[k - 1].len);
        kinds |= (unsigned)f->kind;
    }
    FUZZ_CHECK((kinds & ~r.kinds) == 0);
    if (r.ntotal <= ANON_MAX_FINDINGS)
        FUZZ_CHECK(kinds == r.kinds);
    struct anon_report sub;
    FUZZ_CHECK(anon_check(text, size, ANON_SURVEY_KINDS, a, &sub) == 0);
    FUZZ_CHECK((sub.kinds & ~(unsigned)ANON_SURVEY_KINDS) == 0);
    arena_free(a);
    free(text);
    return 0;
}
