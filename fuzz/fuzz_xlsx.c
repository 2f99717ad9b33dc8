/*
 * fuzz_xlsx.c: the XLSX reader (zip + XML) on arbitrary bytes, with a small inflation budget so
 * that runs stay fast. Invariants: no crash or leak; the outcome is 0 or a known error code;
 * every delivered field is NUL-terminated valid UTF-8 without embedded NULs; record numbers
 * count up by one and sheet row numbers are positive.
 */
#include "fuzz.h"
#include "ingest/xlsx.h"
#include "core/common.h"
#include "core/utf8.h"

struct state {
    uint64_t records;
};

static int on_row(void *ctx, const struct table_row *row)
{
    struct state *s = ctx;
    FUZZ_CHECK(row->record == s->records + 1);
    FUZZ_CHECK(row->line >= 1);
    FUZZ_CHECK(row->nfields >= 1 && row->nfields <= TABLE_MAX_COLUMNS);
    FUZZ_CHECK((row->problem == NULL) == (row->problem_col == 0));
    FUZZ_CHECK(row->problem_col >= 0 && row->problem_col <= row->nfields);
    s->records++;
    for (int i = 0; i < row->nfields; i++) {
        FUZZ_CHECK(row->fields[i][row->lens[i]] == '\0');
        FUZZ_CHECK(strlen(row->fields[i]) == row->lens[i]);
        FUZZ_CHECK(utf8_valid(row->fields[i], row->lens[i], NULL));
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int sheet = 0; sheet <= 2; sheet += 2) {
        struct xlsx_options o = {.sheet = sheet, .max_uncompressed = 16u << 20};
        struct state s = {0};
        struct err_ctx e;
        err_clear(&e);
        int rc = xlsx_read_memory(data, size, &o, on_row, &s, &e);
        FUZZ_CHECK(rc == 0 || rc == ERR_INVALID || rc == ERR_TOO_BIG || rc == ERR_NOT_FOUND ||
                   rc == ERR_IO);
        FUZZ_CHECK(rc == 0 || e.msg[0] != '\0');
    }
    return 0;
}
