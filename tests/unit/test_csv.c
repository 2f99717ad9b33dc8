/*
 * test_csv.c: the CSV reader (ingest/csv.c). Table-driven: every case is an input, options and
 * the records it must give, written compactly as "record@line:field|field" lines. Each UTF-8
 * case is also fed one byte at a time and in random chunks, which must not change anything.
 * Hostile inputs (open quotes, stray quotes, bad UTF-8, NUL, limits) sit beside real exports,
 * and the CBS files in ../shared/external/cbs (TEST_SHARED_DIR) are read with their verified record
 * counts.
 */
#include "ingest/csv.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/err.h"
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>

/* --- Collecting records as text ------------------------------------------------------------- */

struct collect {
    struct buf out;
    int stop_after; /* >0: return 7 from the callback on this record */
};

/* Short names for the problem messages, so expectations stay readable. */
static const char *problem_code(const char *msg)
{
    if (strstr(msg, "midden in een veld"))
        return "STRAY";
    if (strstr(msg, "na het afsluitende"))
        return "AFTER";
    if (strstr(msg, "UTF-8"))
        return "UTF8";
    if (strstr(msg, "NUL"))
        return "NUL";
    return "?";
}

static int collect_row(void *ctx, const struct table_row *row)
{
    struct collect *c = ctx;
    struct buf *b = &c->out;
    assert_int_equal(buf_appendf(b, "%" PRIu64 "@%" PRIu64 ":", row->record, row->line), 0);
    for (int i = 0; i < row->nfields; i++) {
        if (i)
            assert_int_equal(buf_append_char(b, '|'), 0);
        assert_int_equal(row->fields[i][row->lens[i]], '\0'); /* NUL-terminated */
        for (size_t k = 0; k < row->lens[i]; k++) {
            unsigned char ch = (unsigned char)row->fields[i][k];
            int rc = 0;
            if (ch == '|' || ch == '\\')
                rc = buf_appendf(b, "\\%c", ch);
            else if (ch == '\n')
                rc = buf_append_str(b, "\\n");
            else if (ch == '\r')
                rc = buf_append_str(b, "\\r");
            else if (ch == 0)
                rc = buf_append_str(b, "\\0");
            else
                rc = buf_append_char(b, (char)ch);
            assert_int_equal(rc, 0);
        }
    }
    if (row->problem)
        assert_int_equal(buf_appendf(b, " !%d:%s", row->problem_col, problem_code(row->problem)),
                         0);
    else
        assert_int_equal(row->problem_col, 0);
    assert_int_equal(buf_append_char(b, '\n'), 0);
    if (c->stop_after && row->record == (uint64_t)c->stop_after)
        return 7;
    return 0;
}

struct result {
    int rc;
    char delim;
    uint32_t line, col;
    char text[4096];
};

static void finish_result(struct collect *c, int rc, struct err_ctx *e, struct result *r)
{
    r->rc = rc;
    r->line = rc < 0 ? e->line : 0;
    r->col = rc < 0 ? e->col : 0;
    snprintf(r->text, sizeof r->text, "%s", buf_cstr(&c->out));
    buf_release(&c->out);
}

/* Through the push API, in chunks: sizes[] cycles (NULL = everything at once). */
static void run_chunked(const char *in, size_t n, const struct csv_options *o, const size_t *sizes,
                        size_t nsizes, struct result *r)
{
    struct collect c = {0};
    buf_init(&c.out, 4u << 20);
    struct err_ctx e;
    err_clear(&e);
    struct csv_parser *p = csv_new(o, collect_row, &c);
    int rc = 0;
    size_t off = 0, k = 0;
    while (off < n && !rc) {
        size_t m = sizes ? sizes[k++ % nsizes] : n;
        if (m > n - off)
            m = n - off;
        rc = csv_feed(p, in + off, m, &e);
        off += m;
    }
    if (!rc)
        rc = csv_finish(p, &e);
    r->delim = csv_delimiter(p);
    csv_free(p);
    finish_result(&c, rc, &e, r);
}

static void run_memory(const char *in, size_t n, const struct csv_options *o,
                       enum text_encoding *enc, struct result *r)
{
    struct collect c = {0};
    buf_init(&c.out, 4u << 20);
    struct err_ctx e;
    err_clear(&e);
    int rc = csv_read_memory(in, n, o, collect_row, &c, enc, &e);
    r->delim = csv_sniff(in, n, o);
    finish_result(&c, rc, &e, r);
}

/* --- The table ------------------------------------------------------------------------------ */

#define IN(lit) (lit), sizeof(lit) - 1

struct csv_case {
    const char *name;
    const char *in;
    size_t n;
    char delim_opt; /* csv_options.delimiter */
    size_t max_field;
    int max_columns;
    uint64_t max_records;
    int rc;
    char delim; /* expected delimiter */
    const char *want;
    uint32_t err_line, err_col; /* for failures */
};

static const struct csv_case cases[] = {
    /* Normal files. */
    {"comma", IN("a,b,c\n1,2,3\n"), 0, 0, 0, 0, 0, ',', "1@1:a|b|c\n2@2:1|2|3\n", 0, 0},
    {"semicolon with decimal commas", IN("naam;bedrag;uren\nJansen;1,50;2,5\nPiet;12,75;3\n"), 0, 0,
     0, 0, 0, ';', "1@1:naam|bedrag|uren\n2@2:Jansen|1,50|2,5\n3@3:Piet|12,75|3\n", 0, 0},
    {"semicolon, commas equally consistent", IN("a;b;c\n1,5;2,5;3\n4,5;5,5;6\n"), 0, 0, 0, 0, 0,
     ';', "1@1:a|b|c\n2@2:1,5|2,5|3\n3@3:4,5|5,5|6\n", 0, 0},
    {"tab", IN("naam\tplaats, land\nA\tEmmen, NL\n"), 0, 0, 0, 0, 0, '\t',
     "1@1:naam|plaats, land\n2@2:A|Emmen, NL\n", 0, 0},
    {"comma with quoted semicolons", IN("a,b\n\"x;y;z\",1\n\"p;q\",2\n"), 0, 0, 0, 0, 0, ',',
     "1@1:a|b\n2@2:x;y;z|1\n3@3:p;q|2\n", 0, 0},
    {"single column", IN("naam\nJansen\n"), 0, 0, 0, 0, 0, ',', "1@1:naam\n2@2:Jansen\n", 0, 0},
    {"delimiter given", IN("a;b,c\n"), ',', 0, 0, 0, 0, ',', "1@1:a;b|c\n", 0, 0},
    {"BOM, no final newline",
     IN("\xEF\xBB\xBF"
        "a;b\n1;2"),
     0, 0, 0, 0, 0, ';', "1@1:a|b\n2@2:1|2\n", 0, 0},
    {"BOM only", IN("\xEF\xBB\xBF"), 0, 0, 0, 0, 0, ',', "", 0, 0},
    {"BOM-like start is data", IN("\xEF\xBB\x80x,y\n"), 0, 0, 0, 0, 0, ',', "1@1:\xEF\xBB\x80x|y\n",
     0, 0},
    {"empty input", IN(""), 0, 0, 0, 0, 0, ',', "", 0, 0},
    {"CRLF", IN("a,b\r\n1,2\r\n"), 0, 0, 0, 0, 0, ',', "1@1:a|b\n2@2:1|2\n", 0, 0},
    {"lone CR", IN("a,b\r1,2\r3,4"), 0, 0, 0, 0, 0, ',', "1@1:a|b\n2@2:1|2\n3@3:3|4\n", 0, 0},
    {"CR CRLF counts two lines", IN("a\r\r\nb\n"), 0, 0, 0, 0, 0, ',', "1@1:a\n2@3:b\n", 0, 0},
    {"quoted newlines", IN("id,tekst\n1,\"regel een\nregel twee\"\n2,x\n"), 0, 0, 0, 0, 0, ',',
     "1@1:id|tekst\n2@2:1|regel een\\nregel twee\n3@4:2|x\n", 0, 0},
    {"quoted CRLF kept", IN("\"x\r\ny\",z\r\nq,r\r\n"), 0, 0, 0, 0, 0, ',',
     "1@1:x\\r\\ny|z\n2@3:q|r\n", 0, 0},
    {"doubled quotes", IN("\"a \"\"b\"\" c\",\"\"\"\"\n"), 0, 0, 0, 0, 0, ',', "1@1:a \"b\" c|\"\n",
     0, 0},
    {"quoted delimiters", IN("\"a,b\";\"c;d\"\n1;2\n"), 0, 0, 0, 0, 0, ';',
     "1@1:a,b|c;d\n2@2:1|2\n", 0, 0},
    {"title rows above header",
     IN("Rapportage jeugdhulp 2024\nGemeente Emmen\n\nbsn;naam;start\n1;a;01-01-2024\n2;b;"
        "15-03-2024\n"),
     0, 0, 0, 0, 0, ';',
     "1@1:Rapportage jeugdhulp 2024\n2@2:Gemeente Emmen\n3@4:bsn|naam|start\n4@5:1|a|01-01-2024\n"
     "5@6:2|b|15-03-2024\n",
     0, 0},
    {"dutch dates and amounts are text", IN("datum;bedrag\n31-12-2024;1.234,56\n"), 0, 0, 0, 0, 0,
     ';', "1@1:datum|bedrag\n2@2:31-12-2024|1.234,56\n", 0, 0},
    {"empty lines skipped, counted", IN("a\n\n\r\n\rb\n\n"), 0, 0, 0, 0, 0, ',', "1@1:a\n2@5:b\n",
     0, 0},
    {"only a delimiter", IN(",\n"), 0, 0, 0, 0, 0, ',', "1@1:|\n", 0, 0},
    {"quoted empty", IN("\"\"\n"), 0, 0, 0, 0, 0, ',', "1@1:\n", 0, 0},
    {"trailing delimiter", IN("a,b,\n"), 0, 0, 0, 0, 0, ',', "1@1:a|b|\n", 0, 0},
    {"spaces kept", IN(" a , b \n"), 0, 0, 0, 0, 0, ',', "1@1: a | b \n", 0, 0},
    {"utf-8 text", IN("naam;plaats\nRené;Fryslân\n"), 0, 0, 0, 0, 0, ';',
     "1@1:naam|plaats\n2@2:René|Fryslân\n", 0, 0},
    {"ragged rows delivered as they are", IN("a,b,c\n1\n1,2,3,4\n"), 0, 0, 0, 0, 0, ',',
     "1@1:a|b|c\n2@2:1\n3@3:1|2|3|4\n", 0, 0},

    /* Local problems: the record is still delivered, the next one reads cleanly. */
    {"stray quote", IN("a,b\nx\"y,2\n3,4\n"), 0, 0, 0, 0, 0, ',',
     "1@1:a|b\n2@2:x\"y|2 !1:STRAY\n3@3:3|4\n", 0, 0},
    {"garbage after quote", IN("a,b\n\"a\"b,c\n\"d\",e\n"), 0, 0, 0, 0, 0, ',',
     "1@1:a|b\n2@2:ab|c !1:AFTER\n3@3:d|e\n", 0, 0},
    {"space after quote", IN("x,\"y\" \n"), 0, 0, 0, 0, 0, ',', "1@1:x|y  !2:AFTER\n", 0, 0},
    {"invalid UTF-8 in one field",
     IN("\xEF\xBB\xBF"
        "a,b,c\nok,\xff\xfe,fine\nnext,row,here\n"),
     0, 0, 0, 0, 0, ',', "1@1:a|b|c\n2@2:ok|\xff\xfe|fine !2:UTF8\n3@3:next|row|here\n", 0, 0},
    {"UTF-8 cut at field end", IN("\xEF\xBB\xBFx\xc3,y\nz\n"), 0, 0, 0, 0, 0, ',',
     "1@1:x\xc3|y !1:UTF8\n2@2:z\n", 0, 0},
    {"UTF-8 surrogate",
     IN("\xEF\xBB\xBF"
        "a,\xed\xa0\x80\n"),
     0, 0, 0, 0, 0, ',', "1@1:a|\xed\xa0\x80 !2:UTF8\n", 0, 0},
    {"NUL byte", IN("a,b\0c,d\n1,2,3\n"), 0, 0, 0, 0, 0, ',', "1@1:a|b\\0c|d !2:NUL\n2@2:1|2|3\n",
     0, 0},
    {"NUL in quotes", IN("\"\0\",x\n"), 0, 0, 0, 0, 0, ',', "1@1:\\0|x !1:NUL\n", 0, 0},
    {"first problem wins", IN("a\"b,\"c\"d\n"), 0, 0, 0, 0, 0, ',', "1@1:a\"b|cd !1:STRAY\n", 0, 0},

    /* Fatal. */
    {"unterminated quote", IN("a,b\n1,\"open\n2,3\n"), 0, 0, 0, 0, ERR_INVALID, ',', "1@1:a|b\n", 2,
     2},
    {"unterminated quote after doubled", IN("\"a\"\"\n"), 0, 0, 0, 0, ERR_INVALID, ',', "", 1, 1},
    {"field over limit", IN("a,0123456789\nb,0123456789X\n"), 0, 10, 0, 0, ERR_TOO_BIG, ',',
     "1@1:a|0123456789\n", 2, 2},
    {"quoted field over limit", IN("\"0123456789\nX\"\n"), 0, 10, 0, 0, ERR_TOO_BIG, ',', "", 1, 1},
    {"too many columns", IN("a,b,c\n1,2,3,4\n"), 0, 0, 3, 0, ERR_TOO_BIG, ',', "1@1:a|b|c\n", 2, 4},
    {"too many records", IN("a\nb\nc\n"), 0, 0, 0, 2, ERR_TOO_BIG, ',', "1@1:a\n2@2:b\n", 3, 0},
};

static void check_case(const struct csv_case *t, const struct result *r, const char *how)
{
    if (r->rc != t->rc || r->delim != t->delim || strcmp(r->text, t->want) != 0 ||
        r->line != t->err_line || r->col != t->err_col) {
        print_error("case '%s' (%s): rc %d delim '%c' line %u col %u\n%s\n", t->name, how, r->rc,
                    r->delim, r->line, r->col, r->text);
        fail();
    }
}

static struct csv_options case_options(const struct csv_case *t)
{
    return (struct csv_options){.delimiter = t->delim_opt,
                                .max_field = t->max_field,
                                .max_columns = t->max_columns,
                                .max_records = t->max_records};
}

static void test_cases(void **state)
{
    (void)state;
    static const size_t ones[] = {1};
    static const size_t odd[] = {2, 3, 1, 5, 7};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct csv_case *t = &cases[i];
        struct csv_options o = case_options(t);
        struct result r;
        enum text_encoding enc = 0;
        run_memory(t->in, t->n, &o, &enc, &r);
        check_case(t, &r, "memory");
        if (!t->rc)
            assert_int_equal(enc, TEXT_UTF8);
        run_chunked(t->in, t->n, &o, NULL, 0, &r);
        check_case(t, &r, "one feed");
        run_chunked(t->in, t->n, &o, ones, 1, &r);
        check_case(t, &r, "byte by byte");
        run_chunked(t->in, t->n, &o, odd, ARRAY_LEN(odd), &r);
        check_case(t, &r, "odd chunks");
        /* Small inputs sit in the sniffing buffer until the end; with the delimiter given,
         * the chunks reach the state machine itself. */
        o.delimiter = t->delim;
        run_chunked(t->in, t->n, &o, ones, 1, &r);
        check_case(t, &r, "byte by byte, delimiter given");
        run_chunked(t->in, t->n, &o, odd, ARRAY_LEN(odd), &r);
        check_case(t, &r, "odd chunks, delimiter given");
    }
}

/* Random chunk sizes over a larger input that crosses the sniffing window (20 lines, 64 KiB)
 * and has every construct in it. */
static void test_random_chunks(void **state)
{
    (void)state;
    struct buf in;
    buf_init(&in, 1u << 22);
    assert_int_equal(buf_append_str(&in, "\xEF\xBB\xBFTitel\r\n\r\nbsn;naam;bedrag;opmerking\r\n"),
                     0);
    for (int i = 0; i < 3000; i++) {
        assert_int_equal(buf_appendf(&in, "%d;\"Jansen, \"\"P\"\" %d\";%d,%02d;", 100000 + i, i,
                                     i % 100, i % 97),
                         0);
        const char *tails[] = {"gewoon\r\n", "\"twee\nregels\"\n", "é€\r", "x\"y\n",
                               "\"a\"b\n",   "\xff\r\n",           "\n"};
        assert_int_equal(buf_append_str(&in, tails[i % ARRAY_LEN(tails)]), 0);
    }
    struct csv_options o = {0};
    struct result whole;
    run_chunked(in.p, in.len, &o, NULL, 0, &whole);
    assert_int_equal(whole.rc, 0);
    assert_int_equal(whole.delim, ';');
    /* The text buffer of struct result is too small for this input, so compare digests of
     * the full collection instead: collect again into big buffers. */
    srand(12345);
    for (int round = 0; round < 20; round++) {
        size_t sizes[64];
        for (size_t k = 0; k < ARRAY_LEN(sizes); k++)
            sizes[k] = 1 + (size_t)(rand() % (round < 10 ? 17 : 70000));
        struct collect a = {0}, b = {0};
        buf_init(&a.out, 1u << 23);
        buf_init(&b.out, 1u << 23);
        struct err_ctx e;
        struct csv_parser *pa = csv_new(&o, collect_row, &a);
        struct csv_parser *pb = csv_new(&o, collect_row, &b);
        assert_int_equal(csv_feed(pa, in.p, in.len, &e), 0);
        assert_int_equal(csv_finish(pa, &e), 0);
        size_t off = 0, k = 0;
        while (off < in.len) {
            size_t m = sizes[k++ % ARRAY_LEN(sizes)];
            if (m > in.len - off)
                m = in.len - off;
            assert_int_equal(csv_feed(pb, in.p + off, m, &e), 0);
            off += m;
        }
        assert_int_equal(csv_finish(pb, &e), 0);
        assert_int_equal(csv_delimiter(pb), ';');
        assert_int_equal(a.out.len, b.out.len);
        assert_memory_equal(a.out.p, b.out.p, a.out.len);
        if (round == 0) {
            /* Spot checks: 3000 data records + title + header, line numbers with embedded
             * newlines, problems in their own records only. */
            assert_non_null(strstr(a.out.p, "1@1:Titel\n2@3:bsn|naam|bedrag|opmerking\n"));
            assert_non_null(strstr(a.out.p, "\n3002@"));
            assert_null(strstr(a.out.p, "\n3003@"));
            assert_non_null(strstr(a.out.p, "4@5:100001|Jansen, \"P\" 1|1,01|twee\\nregels\n"
                                            "5@7:100002|Jansen, \"P\" 2|2,02|é€\n"));
            assert_non_null(strstr(a.out.p, "6@8:100003|Jansen, \"P\" 3|3,03|x\"y !4:STRAY\n"
                                            "7@9:100004|Jansen, \"P\" 4|4,04|ab !4:AFTER\n"
                                            "8@10:100005|Jansen, \"P\" 5|5,05|\xff !4:UTF8\n"
                                            "9@11:100006|Jansen, \"P\" 6|6,06|\n"));
        }
        csv_free(pa);
        csv_free(pb);
        buf_release(&a.out);
        buf_release(&b.out);
    }
    buf_release(&in);
}

static void test_windows_1252(void **state)
{
    (void)state;
    static const char in[] = "naam;plaats;bedrag\r\nRen\xe9;Zo\xebterwoude;\x80 12,50\r\n"
                             "\x93quote\x94;caf\xe9;\x81\x8d\x8f\x90\x9d\r\n"
                             "\x91x\x92;\x85\x96\x97;\x8a\x9a\x9f\xa0\xff\r\n";
    struct result r;
    enum text_encoding enc = 0;
    assert_int_equal(text_detect_encoding(in, sizeof in - 1), TEXT_CP1252);
    run_memory(in, sizeof in - 1, NULL, &enc, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(enc, TEXT_CP1252);
    assert_string_equal(r.text, "1@1:naam|plaats|bedrag\n"
                                "2@2:René|Zoëterwoude|€ 12,50\n"
                                "3@3:“quote”|café|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                "\xEF\xBF\xBD\n"
                                "4@4:‘x’|…–—|ŠšŸ\xC2\xA0ÿ\n");
    assert_string_equal(text_encoding_name(TEXT_CP1252), "Windows-1252");
    assert_string_equal(text_encoding_name(TEXT_UTF8), "UTF-8");

    /* The whole file decides: one cp1252 byte after 100 KiB of ASCII converts all of it. */
    struct buf big;
    buf_init(&big, 1u << 20);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(buf_appendf(&big, "regel %05d;tekst tekst\n", i), 0);
    assert_int_equal(buf_append_str(&big, "laatste;caf\xe9\n"), 0);
    struct collect c = {0};
    buf_init(&c.out, 1u << 21);
    struct err_ctx e;
    assert_int_equal(csv_read_memory(big.p, big.len, NULL, collect_row, &c, &enc, &e), 0);
    assert_int_equal(enc, TEXT_CP1252);
    assert_non_null(strstr(c.out.p, "\n5001@5001:laatste|café\n"));
    buf_release(&c.out);
    buf_release(&big);

    /* Detection. */
    assert_int_equal(text_detect_encoding("", 0), TEXT_UTF8);
    assert_int_equal(text_detect_encoding("abc\xc3\xa9", 5), TEXT_UTF8);
    assert_int_equal(text_detect_encoding("abc\xc3", 4), TEXT_CP1252);
    assert_int_equal(text_detect_encoding("\xEF\xBB\xBF\xff", 4), TEXT_UTF8);
    assert_int_equal(text_detect_encoding("0123456789abcdef\xe9", 17), TEXT_CP1252);
}

static void test_stop_and_limits(void **state)
{
    (void)state;
    /* The callback's stop value comes back unchanged. */
    struct collect c = {.stop_after = 2};
    buf_init(&c.out, 4096);
    struct err_ctx e;
    err_clear(&e);
    assert_int_equal(csv_read_memory(IN("a\nb\nc\n"), NULL, collect_row, &c, NULL, &e), 7);
    assert_string_equal(c.out.p, "1@1:a\n2@2:b\n");
    assert_string_equal(e.msg, "");
    buf_release(&c.out);

    /* Default limits: one field just over 1 MiB, one record with 1001 columns. */
    struct buf in;
    buf_init(&in, 4u << 20);
    assert_int_equal(buf_append_str(&in, "a,\""), 0);
    for (size_t i = 0; i < TABLE_MAX_FIELD; i++)
        assert_int_equal(buf_append_char(&in, 'x'), 0);
    assert_int_equal(buf_append_str(&in, "\"\n"), 0);
    struct result r;
    run_memory(in.p, in.len, NULL, NULL, &r);
    assert_int_equal(r.rc, 0); /* exactly the limit is fine */
    buf_reset(&in);
    assert_int_equal(buf_append_str(&in, "a\nb,"), 0);
    for (size_t i = 0; i <= TABLE_MAX_FIELD; i++)
        assert_int_equal(buf_append_char(&in, 'x'), 0);
    err_clear(&e);
    c = (struct collect){0};
    buf_init(&c.out, 4096);
    assert_int_equal(csv_read_memory(in.p, in.len, NULL, collect_row, &c, NULL, &e), ERR_TOO_BIG);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 2);
    assert_non_null(strstr(e.msg, "regel 2, kolom 2"));
    buf_release(&c.out);
    buf_reset(&in);
    for (int i = 0; i < TABLE_MAX_COLUMNS; i++)
        assert_int_equal(buf_append_str(&in, "x;"), 0);
    assert_int_equal(buf_append_str(&in, "x\n"), 0);
    run_memory(in.p, in.len, NULL, NULL, &r);
    assert_int_equal(r.rc, ERR_TOO_BIG);
    assert_int_equal(r.col, TABLE_MAX_COLUMNS + 1);
    buf_release(&in);

    /* A finished or failed parser stays where it is. */
    struct csv_parser *p =
        csv_new(&(struct csv_options){.delimiter = ',', .max_columns = 1}, NULL, NULL);
    assert_int_equal(csv_feed(p, "a,b\n", 4, &e), ERR_TOO_BIG);
    assert_int_equal(csv_feed(p, "c\n", 2, &e), ERR_TOO_BIG);
    assert_int_equal(csv_finish(p, &e), ERR_TOO_BIG);
    csv_free(p);
    csv_free(NULL);
    assert_int_equal(csv_delimiter(NULL), 0);
}

/* --- Files ---------------------------------------------------------------------------------- */

struct count {
    uint64_t records;
    int nfields_min, nfields_max;
    char first[256], last[256];
    bool problems;
};

static void join(const struct table_row *row, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < row->nfields && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s", i ? "|" : "", row->fields[i]);
}

static int count_row(void *ctx, const struct table_row *row)
{
    struct count *c = ctx;
    if (!c->records++) {
        c->nfields_min = c->nfields_max = row->nfields;
        join(row, c->first, sizeof c->first);
    }
    if (row->nfields < c->nfields_min)
        c->nfields_min = row->nfields;
    if (row->nfields > c->nfields_max)
        c->nfields_max = row->nfields;
    if (row->record != c->records)
        return 99;
    c->problems |= row->problem != NULL;
    join(row, c->last, sizeof c->last);
    return 0;
}

static void test_cbs_files(void **state)
{
    (void)state;
    /* Counts verified with python3 csv.reader(open(f, newline='', encoding='utf-8-sig')). */
    static const struct {
        const char *path;
        uint64_t records;
        int nfields;
        const char *first, *last;
    } files[] = {
        {"cbs/certegis-2021/DERIVED_inwoners_per_gemeente_leeftijd_2021.csv", 7181, 7,
         "gemeente|provincie|leeftijd|inwoners|inwoners_man|inwoners_vrouw|pc4_cellen_onderdrukt",
         "Zwolle|Overijssel|95+|185|45|140|0"},
        {"cbs/gemeentelijke-indeling/gemeenten-alfabetisch-2021.csv", 353, 6,
         "Gemeentecode|GemeentecodeGM|Gemeentenaam|Provinciecode|ProvinciecodePV|Provincienaam",
         "0193|GM0193|Zwolle|23|PV23|Overijssel"},
        {"cbs/gemeentelijke-indeling/gemeenten-alfabetisch-2023.csv", 343, 6,
         "Gemeentecode|GemeentecodeGM|Gemeentenaam|Provinciecode|ProvinciecodePV|Provincienaam",
         "0193|GM0193|Zwolle|23|PV23|Overijssel"},
    };
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/external/%s", TEST_SHARED_DIR, files[i].path);
        struct count c = {0};
        struct err_ctx e;
        err_clear(&e);
        enum text_encoding enc = 0;
        int rc = csv_read_file(path, NULL, count_row, &c, &enc, &e);
        if (rc)
            print_error("%s: %d %s\n", path, rc, e.msg);
        assert_int_equal(rc, 0);
        assert_int_equal(enc, TEXT_UTF8);
        assert_int_equal(c.records, files[i].records);
        assert_int_equal(c.nfields_min, files[i].nfields);
        assert_int_equal(c.nfields_max, files[i].nfields);
        assert_false(c.problems);
        assert_string_equal(c.first, files[i].first);
        assert_string_equal(c.last, files[i].last);
    }
}

static void test_read_file_errors(void **state)
{
    (void)state;
    struct err_ctx e;
    err_clear(&e);
    struct count c = {0};
    assert_int_equal(csv_read_file("/nonexistent/dir/export.csv", NULL, count_row, &c, NULL, &e),
                     ERR_IO);
    assert_non_null(strstr(e.msg, "export.csv"));
    assert_int_equal(csv_read_file("/tmp", NULL, count_row, &c, NULL, &e), ERR_IO);

    /* Parse errors name the file and the line. */
    char path[] = "/tmp/test_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char bad[] = "a;b\n1;\"open\n2;3\n";
    assert_int_equal(write(fd, bad, sizeof bad - 1), (ssize_t)(sizeof bad - 1));
    close(fd);
    err_clear(&e);
    c = (struct count){0};
    assert_int_equal(csv_read_file(path, NULL, count_row, &c, NULL, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, path + 5)); /* base name */
    assert_non_null(strstr(e.msg, "regel 2"));
    assert_int_equal(e.line, 2);
    assert_int_equal(c.records, 1);

    /* An empty file has no records. */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    close(fd);
    c = (struct count){0};
    enum text_encoding enc = 0;
    assert_int_equal(csv_read_file(path, NULL, count_row, &c, &enc, &e), 0);
    assert_int_equal(c.records, 0);
    assert_int_equal(enc, TEXT_UTF8);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),        cmocka_unit_test(test_random_chunks),
        cmocka_unit_test(test_windows_1252), cmocka_unit_test(test_stop_and_limits),
        cmocka_unit_test(test_cbs_files),    cmocka_unit_test(test_read_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
