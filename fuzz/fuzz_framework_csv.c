/*
 * fuzz_framework_csv.c: the quality-framework importer (ingest/framework_import.c) on arbitrary
 * bytes, without a store (so the gemeente column is only checked for form). Invariants: the
 * outcome is success with rows or a failure with at least one error, never both; at most
 * FWI_MAX_ERRORS errors, each naming the file; every accepted row passes the domain's own
 * validation (criterion_check) and has a unique code; and the duplicate measure is symmetric
 * and within [0, 1] on every pair of accepted texts (first 32 rows).
 */
#include "fuzz.h"
#include "core/arena.h"
#include "core/common.h"
#include "domain/framework.h"
#include "domain/framework_similar.h"
#include "ingest/framework_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(0);
    struct criterion_input *rows = NULL;
    uint64_t *lines = NULL;
    int n = 0;
    struct fwi_result r;
    FUZZ_CHECK(a != NULL);
    int rc = framework_parse(a, NULL, "fuzz.csv", data, size, &rows, &lines, &n, &r);
    FUZZ_CHECK(r.nerrors >= 0 && r.nerrors <= FWI_MAX_ERRORS);
    for (int i = 0; i < r.nerrors; i++)
        FUZZ_CHECK(r.errors[i].msg && strncmp(r.errors[i].msg, "fuzz.csv", 8) == 0);
    if (rc == 0) {
        FUZZ_CHECK(r.nerrors == 0 && n >= 0 && n <= FW_CRITERIA_MAX && n <= r.rows);
        for (int i = 0; i < n; i++) {
            struct err_ctx e = {0};
            FUZZ_CHECK(criterion_check(&rows[i], &e) == 0);
            FUZZ_CHECK(lines[i] >= 2);
            for (int j = 0; j < i; j++)
                FUZZ_CHECK(strcmp(rows[i].code, rows[j].code) != 0);
        }
        for (int i = 0; i < n && i < 32; i++)
            for (int j = i; j < n && j < 32; j++) {
                double s = fw_similarity(rows[i].text, rows[j].text);
                FUZZ_CHECK(s >= 0.0 && s <= 1.0);
                FUZZ_CHECK(s == fw_similarity(rows[j].text, rows[i].text));
            }
    } else {
        FUZZ_CHECK(r.nerrors > 0 && n == 0 && rows == NULL);
    }
    arena_free(a);
    return 0;
}
