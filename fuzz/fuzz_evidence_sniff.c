/*
 * fuzz_evidence_sniff.c: the evidence checks (domain/evidence_check.c) on arbitrary bytes:
 * evidence_sniff and evidence_zip_check must never read out of bounds, must give a type
 * exactly when they return 0 and a Dutch reason otherwise, must agree with each other on zip
 * input, and must be deterministic; evidence_clean_name on the same bytes as a file name must
 * refuse or give a short, clean name without path parts or control characters.
 */
#include "fuzz.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/utf8.h"
#include "domain/evidence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Copy into an exact-size buffer so ASan catches reads past the end. */
    unsigned char *p = malloc(size ? size : 1);
    FUZZ_CHECK(p != NULL);
    if (size)
        memcpy(p, data, size);
    struct err_ctx e = {0};
    enum evidence_type t = EVIDENCE_PDF;
    int ret = evidence_sniff(p, size, &t, &e);
    if (ret == 0) {
        FUZZ_CHECK(t >= EVIDENCE_PDF && t <= EVIDENCE_JPEG);
        FUZZ_CHECK(size > 0);
    } else {
        FUZZ_CHECK(ret == ERR_INVALID || ret == ERR_TOO_BIG);
        FUZZ_CHECK(t == EVIDENCE_NONE);
        FUZZ_CHECK(e.msg[0] != '\0');
    }
    struct err_ctx e2 = {0};
    enum evidence_type t2;
    FUZZ_CHECK(evidence_sniff(p, size, &t2, &e2) == ret && t2 == t); /* deterministic */
    if (size >= 4 && memcmp(p, "PK\x03\x04", 4) == 0 && ret == 0) {
        enum evidence_type tz;
        FUZZ_CHECK(evidence_zip_check(p, size, &tz, &e2) == 0 && tz == t);
        FUZZ_CHECK(t == EVIDENCE_DOCX || t == EVIDENCE_XLSX || t == EVIDENCE_ODT);
    }
    /* The same bytes as a client's file name. */
    struct arena *a = arena_new(0);
    FUZZ_CHECK(a != NULL);
    const char *name = NULL;
    size_t nlen = size > 4096 ? 4096 : size;
    if (evidence_clean_name(a, (const char *)p, nlen, &name, &e) == 0) {
        size_t l = strlen(name);
        FUZZ_CHECK(l > 0 && utf8_valid(name, l, NULL));
        FUZZ_CHECK(utf8_count(name, l) <= EVIDENCE_NAME_MAX);
        FUZZ_CHECK(!strchr(name, '/') && !strchr(name, '\\'));
        FUZZ_CHECK(!utf8_has_controls(name, l) && !strchr(name, '\t') && !strchr(name, '\n') &&
                   !strchr(name, '\r'));
        FUZZ_CHECK(name[0] != '.' && name[0] != ' ');
    }
    arena_free(a);
    free(p);
    return 0;
}
