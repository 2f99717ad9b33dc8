/*
 * fuzz_csv.c: the CSV reader on arbitrary bytes. Invariants: the records (and the outcome) do
 * not depend on where the input is split between two feeds; fields of a record without a
 * problem are valid UTF-8, and after csv_read_memory converted Windows-1252 all of them are;
 * fields are NUL-terminated; record numbers count up by one and lines never go back.
 */
#include "fuzz.h"
#include "ingest/csv.h"
#include "core/common.h"
#include "core/utf8.h"

struct digest {
    uint64_t h;
    uint64_t records, last_line;
    bool all_valid; /* every field must be valid UTF-8 (converted input) */
};

static void mix(struct digest *d, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        d->h = (d->h ^ s[i]) * 1099511628211ULL;
}

static int on_row(void *ctx, const struct table_row *row)
{
    struct digest *d = ctx;
    FUZZ_CHECK(row->record == d->records + 1);
    FUZZ_CHECK(row->line >= d->last_line && row->line >= 1);
    FUZZ_CHECK(row->nfields >= 1);
    FUZZ_CHECK((row->problem == NULL) == (row->problem_col == 0));
    FUZZ_CHECK(row->problem_col >= 0 && row->problem_col <= row->nfields);
    d->records++;
    d->last_line = row->line;
    mix(d, &row->record, sizeof row->record);
    mix(d, &row->line, sizeof row->line);
    mix(d, &row->problem_col, sizeof row->problem_col);
    for (int i = 0; i < row->nfields; i++) {
        FUZZ_CHECK(row->fields[i][row->lens[i]] == '\0');
        if (!row->problem || d->all_valid)
            FUZZ_CHECK(utf8_valid(row->fields[i], row->lens[i], NULL));
        mix(d, &row->lens[i], sizeof row->lens[i]);
        mix(d, row->fields[i], row->lens[i]);
    }
    return 0;
}

/* Parses with the push API in two feeds split at `split`. */
static int run(const char *p, size_t n, size_t split, const struct csv_options *o, struct digest *d,
               char *delim, struct err_ctx *e)
{
    memset(d, 0, sizeof *d);
    d->h = 14695981039346656037ULL;
    struct csv_parser *parser = csv_new(o, on_row, d);
    int rc = csv_feed(parser, p, split, e);
    if (!rc)
        rc = csv_feed(parser, p + split, n - split, e);
    if (!rc)
        rc = csv_finish(parser, e);
    *delim = csv_delimiter(parser);
    csv_free(parser);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct csv_options o = {0};
    if (size && (data[0] & 1)) { /* small limits, so they are reached too */
        o.max_field = 1 + data[0] % 64;
        o.max_columns = 1 + data[0] % 16;
        o.max_records = 1 + data[0] % 32;
    }
    size_t split = 0;
    if (size >= 2)
        split = ((size_t)data[size - 1] * 256 + data[size - 2]) % (size + 1);
    struct digest a, b;
    struct err_ctx ea, eb;
    char da, db;
    err_clear(&ea);
    err_clear(&eb);
    int ra = run(p, size, size, &o, &a, &da, &ea);
    int rb = run(p, size, split, &o, &b, &db, &eb);
    FUZZ_CHECK(ra == rb);
    FUZZ_CHECK(ra == 0 || ra == ERR_INVALID || ra == ERR_TOO_BIG);
    FUZZ_CHECK(a.h == b.h && a.records == b.records);
    FUZZ_CHECK(da == db);
    FUZZ_CHECK(da == ',' || da == ';' || da == '\t');
    if (ra) {
        FUZZ_CHECK(ea.line == eb.line && ea.col == eb.col);
        FUZZ_CHECK(strcmp(ea.msg, eb.msg) == 0);
    }

    /* The whole-input reader: after conversion every field is valid UTF-8. */
    enum text_encoding enc = text_detect_encoding(p, size);
    struct digest c = {.h = 14695981039346656037ULL, .all_valid = enc == TEXT_CP1252};
    enum text_encoding got = 0;
    int rc = csv_read_memory(p, size, &o, on_row, &c, &got, &ea);
    FUZZ_CHECK(rc == 0 || rc == ERR_INVALID || rc == ERR_TOO_BIG);
    if (!rc)
        FUZZ_CHECK(got == enc);
    if (enc == TEXT_UTF8) /* no conversion: the same records as the push API */
        FUZZ_CHECK(rc == ra && c.h == a.h);
    return 0;
}
