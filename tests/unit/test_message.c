/*
 * test_message.c: reading iJw 3.2 / iWmo 3.2 messages (ingest/message.c). Every official sample
 * message is read and checked against the values in the file; broken and hostile variants
 * (removed element, bad code, bad BSN, DTD, entity tricks, depth, size, other releases) must be
 * refused with the right line, element and reason; two threads share one schemas object.
 */
#include "ingest/message.h"
#include "core/common.h"
#include <pthread.h>
#include <setjmp.h>
#include <cmocka.h>

#define IJW    TEST_SHARED_DIR "/external/istandaarden/ijw-3.2/berichten/"
#define IWMO   TEST_SHARED_DIR "/external/istandaarden/iwmo-3.2/berichten/"
#define JW315F TEST_SOURCE_DIR "/tests/data/messages/JW315.xml"

static struct msg_schemas *schemas;

/* ---- Helpers. -------------------------------------------------------------------------------- */

struct file {
    char *data;
    size_t len;
};

static struct file slurp(const char *path)
{
    struct file f = {0};
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    f.data = malloc((size_t)n + 1);
    assert_non_null(f.data);
    assert_int_equal(fread(f.data, 1, (size_t)n, fp), (size_t)n);
    f.data[n] = '\0';
    f.len = (size_t)n;
    fclose(fp);
    return f;
}

/* A copy of s with the first occurrence of `from` replaced by `to` (which must occur). */
static char *replace1(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    assert_non_null(p);
    size_t a = (size_t)(p - s), fl = strlen(from), tl = strlen(to), rest = strlen(p + fl);
    char *out = malloc(a + tl + rest + 1);
    assert_non_null(out);
    memcpy(out, s, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, p + fl, rest + 1);
    return out;
}

/* A copy of s with every occurrence of `from` replaced by `to`. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    char *cur = strdup(s);
    assert_non_null(cur);
    size_t off = 0;
    const char *p;
    while ((p = strstr(cur + off, from)) != NULL) {
        size_t at = (size_t)(p - cur);
        char *next = replace1(cur + at, from, to);
        size_t nl = strlen(next);
        char *joined = malloc(at + nl + 1);
        assert_non_null(joined);
        memcpy(joined, cur, at);
        memcpy(joined + at, next, nl + 1);
        free(next);
        free(cur);
        cur = joined;
        off = at + strlen(to);
    }
    return cur;
}

/* A copy of s without its line number `line` (1-based). */
static char *drop_line(const char *s, int line)
{
    const char *start = s;
    for (int i = 1; i < line; i++) {
        start = strchr(start, '\n');
        assert_non_null(start);
        start++;
    }
    const char *end = strchr(start, '\n');
    assert_non_null(end);
    size_t a = (size_t)(start - s), rest = strlen(end + 1);
    char *out = malloc(a + rest + 1);
    assert_non_null(out);
    memcpy(out, s, a);
    memcpy(out + a, end + 1, rest + 1);
    return out;
}

static struct msg read_str(struct arena *a, const char *xml)
{
    struct msg m;
    assert_int_equal(msg_read(schemas, "test", xml, strlen(xml), a, &m), 0);
    return m;
}

static struct msg read_path(struct arena *a, const char *path)
{
    struct file f = slurp(path);
    struct msg m;
    assert_int_equal(msg_read(schemas, path, f.data, f.len, a, &m), 0);
    free(f.data);
    return m;
}

static day_t D(int y, int m, int d)
{
    return day_from_ymd(y, m, d);
}

static bool any_issue_contains(const struct msg *m, const char *needle)
{
    for (int i = 0; i < m->nissues; i++)
        if (strstr(m->issues[i].reason, needle))
            return true;
    return false;
}

/* The first finding must be on `line`, about `element`, with `needle` in its reason. */
static void expect_invalid(const struct msg *m, uint32_t line, const char *element,
                           const char *needle)
{
    assert_int_equal(m->outcome, MSG_INVALID);
    assert_true(m->nissues >= 1);
    assert_int_equal(m->nproducts, 0);
    if (m->issues[0].line != line || strcmp(m->issues[0].element, element) != 0 ||
        !strstr(m->issues[0].reason, needle))
        fail_msg("got %u:%s:%s, want %u:%s:*%s*", m->issues[0].line, m->issues[0].element,
                 m->issues[0].reason, line, element, needle);
}

/* ---- Loading. -------------------------------------------------------------------------------- */

static void test_load_idempotent(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct msg_schemas *again = NULL;
    assert_int_equal(msg_schemas_load(&again, &e), 0);
    assert_ptr_equal(again, schemas);
    msg_schemas_free(again); /* drops the extra reference only */
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, IJW "JW307.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    arena_free(a);
}

/* ---- The official samples. ------------------------------------------------------------------- */

static void test_jw301(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, IJW "JW301.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.nissues, 0);
    assert_int_equal(m.law, LAW_JW);
    assert_int_equal(m.kind, MSG_KIND_301);
    assert_string_equal(m.name, "JW301");
    assert_string_equal(m.release, "3.2");
    assert_int_equal(m.bericht_code, 436);
    assert_string_equal(m.sender, "0384");
    assert_string_equal(m.receiver, "42420001");
    assert_string_equal(m.ident, "123456789012");
    assert_int_equal(m.dagtekening, D(2026, 4, 1));
    assert_string_equal(m.gemeente, "0384");
    assert_string_equal(m.agb, "42420001");
    assert_string_equal(m.client.bsn, "999900006");
    assert_int_equal(m.client.birth_date, D(2010, 2, 14));
    assert_int_equal(m.client.gender, '1');
    assert_string_equal(m.client.postcode4, "9999"); /* Contactgegevens, LandCode NL */
    assert_int_equal(m.nproducts, 2);
    const struct msg_product *p = &m.products[0];
    assert_int_equal(p->line, 170);
    assert_int_equal(p->assignment_nr, 300201);
    assert_string_equal(p->reference, "40A12341234");
    assert_string_equal(p->category, "55");
    assert_string_equal(p->product_code, "55A11");
    assert_int_equal(p->date_assigned, D(2026, 4, 1));
    assert_int_equal(p->valid_from, D(2026, 4, 1));
    assert_int_equal(p->valid_to, D(2026, 7, 14));
    assert_string_equal(p->change_reason, "");
    assert_int_equal(p->start, DAY_NONE);
    assert_int_equal(p->end, DAY_NONE);
    assert_int_equal(p->status, 0);
    p = &m.products[1];
    assert_int_equal(p->line, 188);
    assert_int_equal(p->assignment_nr, 300202);
    assert_string_equal(p->reference, "40A12341235");
    assert_string_equal(p->product_code, "55A12");
    assert_int_equal(p->valid_to, D(2026, 7, 19));
    arena_free(a);
}

static void test_jw305(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, IJW "JW305.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.kind, MSG_KIND_305);
    assert_string_equal(m.name, "JW305");
    assert_int_equal(m.bericht_code, 438);
    assert_string_equal(m.gemeente, "0363");
    assert_string_equal(m.agb, "65656055");
    assert_int_equal(m.dagtekening, D(2026, 4, 15));
    assert_string_equal(m.client.postcode4, ""); /* a 305 carries no address */
    assert_int_equal(m.nproducts, 2);
    assert_int_equal(m.products[0].line, 33);
    assert_int_equal(m.products[0].assignment_nr, 300201);
    assert_string_equal(m.products[0].product_code, "55A11");
    assert_int_equal(m.products[0].valid_from, D(2026, 4, 1));
    assert_int_equal(m.products[0].start, D(2026, 4, 3));
    assert_int_equal(m.products[0].end, DAY_NONE);
    assert_int_equal(m.products[0].status, 1);
    assert_int_equal(m.products[1].line, 43);
    assert_string_equal(m.products[1].product_code, "55A12");
    assert_int_equal(m.products[1].start, D(2026, 4, 15));
    arena_free(a);
}

static void test_jw307(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, IJW "JW307.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.law, LAW_JW);
    assert_int_equal(m.kind, MSG_KIND_307);
    assert_int_equal(m.bericht_code, 440);
    assert_string_equal(m.sender, "65656055");
    assert_string_equal(m.receiver, "0363");
    assert_int_equal(m.dagtekening, D(2026, 7, 20));
    assert_string_equal(m.client.bsn, "999900006");
    assert_int_equal(m.client.birth_date, D(2010, 2, 14));
    assert_int_equal(m.nproducts, 2);
    static const char *const codes[] = {"55A11", "55A12"};
    static const uint32_t lines[] = {33, 45};
    for (int i = 0; i < 2; i++) {
        const struct msg_product *p = &m.products[i];
        assert_int_equal(p->line, lines[i]);
        assert_int_equal(p->assignment_nr, 300201 + i);
        assert_string_equal(p->category, "55");
        assert_string_equal(p->product_code, codes[i]);
        assert_string_equal(p->end_reason, "31");
        assert_int_equal(p->end, D(2026, 7, 17));
        assert_int_equal(p->valid_from, D(2026, 4, 1));
        assert_int_equal(p->status, 1);
        assert_string_equal(p->reference, "");
    }
    assert_int_equal(m.products[0].start, D(2026, 4, 3));
    assert_int_equal(m.products[1].start, D(2026, 4, 15));
    arena_free(a);
}

static void test_jw315_fixture(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, JW315F);
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.kind, MSG_KIND_315);
    assert_string_equal(m.name, "JW315");
    assert_int_equal(m.bericht_code, 446);
    assert_string_equal(m.gemeente, "0384");
    assert_string_equal(m.agb, "42420001");
    assert_int_equal(m.nproducts, 2);
    assert_int_equal(m.products[0].line, 35);
    assert_string_equal(m.products[0].reference, "42420001");
    assert_string_equal(m.products[0].category, "45");
    assert_string_equal(m.products[0].product_code, "45A01");
    assert_string_equal(m.products[0].referrer, "04");
    assert_int_equal(m.products[0].valid_from, D(2023, 6, 1));
    assert_int_equal(m.products[0].valid_to, D(2023, 6, 30));
    assert_int_equal(m.products[0].assignment_nr, -1);
    assert_string_equal(m.products[1].category, "54");
    arena_free(a);
}

static void test_wmo301(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, IWMO "WMO301.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.law, LAW_WMO);
    assert_int_equal(m.kind, MSG_KIND_301);
    assert_string_equal(m.name, "WMO301");
    assert_int_equal(m.bericht_code, 414);
    assert_string_equal(m.gemeente, "0384");
    assert_string_equal(m.agb, "42420001");
    assert_int_equal(m.dagtekening, D(2023, 8, 13));
    assert_int_equal(m.client.birth_date, D(1967, 8, 13));
    assert_int_equal(m.client.gender, '1');
    assert_string_equal(m.client.postcode4, ""); /* LandCode AD: not a Dutch postcode */
    assert_int_equal(m.nproducts, 1);
    const struct msg_product *p = &m.products[0];
    assert_int_equal(p->line, 164);
    assert_int_equal(p->assignment_nr, 101);
    assert_string_equal(p->reference, "42420002");
    assert_string_equal(p->category, "01");
    assert_string_equal(p->product_code, "01A01");
    assert_int_equal(p->date_assigned, D(2023, 8, 13));
    assert_int_equal(p->valid_from, D(2023, 1, 1));
    assert_int_equal(p->valid_to, D(2023, 12, 31));
    arena_free(a);
}

static void test_wmo305_307(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, IWMO "WMO305.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.kind, MSG_KIND_305);
    assert_int_equal(m.bericht_code, 418);
    assert_string_equal(m.ident, "123456789013");
    assert_int_equal(m.dagtekening, D(2025, 4, 5));
    assert_int_equal(m.nproducts, 2);
    assert_string_equal(m.products[0].product_code, "01A11");
    assert_int_equal(m.products[0].start, D(2025, 4, 3));
    assert_int_equal(m.products[1].start, D(2025, 4, 4));

    m = read_path(a, IWMO "WMO307.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.law, LAW_WMO);
    assert_int_equal(m.kind, MSG_KIND_307);
    assert_int_equal(m.bericht_code, 420);
    assert_int_equal(m.dagtekening, D(2025, 7, 21));
    assert_int_equal(m.nproducts, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(m.products[i].end_reason, "31"); /* WMO588 31: verhuizing */
        assert_int_equal(m.products[i].end, D(2025, 7, 18));
        assert_string_equal(m.products[i].category, "01");
    }
    assert_int_equal(m.products[0].line, 33);
    assert_int_equal(m.products[1].line, 45);
    arena_free(a);
}

static void test_wmo315(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_path(a, IWMO "WMO315.xml");
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.kind, MSG_KIND_315);
    assert_int_equal(m.bericht_code, 444);
    assert_string_equal(m.sender, "42420001");
    assert_string_equal(m.gemeente, "0384");
    assert_string_equal(m.agb, "42420001");
    assert_int_equal(m.dagtekening, D(2023, 7, 15));
    assert_int_equal(m.client.birth_date, D(1972, 7, 16));
    assert_int_equal(m.nproducts, 2);
    assert_int_equal(m.products[0].line, 34);
    assert_string_equal(m.products[0].reference, "42420001");
    assert_string_equal(m.products[0].product_code, "ABCDE");
    assert_string_equal(m.products[0].referrer, "04"); /* AangevraagdProduct/Verwijzer/Type */
    assert_int_equal(m.products[0].valid_from, D(2023, 6, 1));
    assert_int_equal(m.products[0].valid_to, D(2023, 6, 30));
    assert_int_equal(m.products[1].line, 56);
    assert_string_equal(m.products[1].reference, "42420002");
    assert_string_equal(m.products[1].category, "02");
    assert_string_equal(m.products[1].product_code, "BCDEF");
    arena_free(a);
}

static const char *const skipped_samples[] = {
    IJW "JW302.xml", IJW "JW306.xml", IJW "JW308.xml", IJW "JW316.xml",   IJW "JW317.xml",
    IJW "JW319.xml", IJW "JW320.xml", IJW "JW325.xml", IWMO "WMO317.xml", IWMO "WMO319.xml",
};

static void test_skipped_samples(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    for (size_t i = 0; i < ARRAY_LEN(skipped_samples); i++) {
        struct msg m = read_path(a, skipped_samples[i]);
        if (m.outcome != MSG_SKIPPED)
            fail_msg("%s: outcome %d (%s)", skipped_samples[i], m.outcome,
                     m.nissues ? m.issues[0].reason : "");
        assert_int_equal(m.nissues, 0);
        assert_int_equal(m.nproducts, 0);
        assert_string_equal(m.release, "3.2");
        assert_true(strstr(skipped_samples[i], m.name) != NULL);
    }
    /* A 323 is validated too: a broken JW323 is invalid. */
    struct file f = slurp(IJW "JW323.xml");
    char *bad = replace1(f.data, ">999900006<", ">99990000X<");
    struct msg m = read_str(a, bad);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_string_equal(m.issues[0].element, "Bsn");
    free(bad);
    free(f.data);
    arena_free(a);
}

/* ---- Invalid messages: line, element and Dutch reason. --------------------------------------- */

static void test_removed_element(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct file f = slurp(IJW "JW307.xml");
    char *bad = drop_line(f.data, 40); /* first StopProduct's Begindatum */
    struct msg m = read_str(a, bad);
    /* the validator notices at the next element, now on line 40 */
    expect_invalid(&m, 40, "RedenBeeindiging", "wordt hier niet verwacht; verwacht: Begindatum");
    free(bad);

    /* the whole product list emptied: a required child is missing */
    const char *open = strstr(f.data, "<jw307:StopProduct>");
    const char *close = strstr(f.data, "</jw307:StopProducten>");
    assert_non_null(open);
    assert_non_null(close);
    size_t a1 = (size_t)(open - f.data);
    char *emptied = malloc(f.len + 1);
    assert_non_null(emptied);
    memcpy(emptied, f.data, a1);
    memcpy(emptied + a1, close, strlen(close) + 1);
    m = read_str(a, emptied);
    expect_invalid(&m, 32, "StopProducten", "Verplicht element ontbreekt in StopProducten");
    assert_true(any_issue_contains(&m, "StopProduct"));
    free(emptied);
    free(f.data);
    arena_free(a);
}

static void test_bad_enumeration(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct file f = slurp(IJW "JW307.xml");
    char *bad = replace1(f.data, "RedenBeeindiging>31<", "RedenBeeindiging>99<");
    struct msg m = read_str(a, bad);
    expect_invalid(&m, 41, "RedenBeeindiging", "'99'");
    assert_non_null(strstr(m.issues[0].reason, "staat niet in de codelijst"));
    assert_non_null(strstr(m.issues[0].reason, "31")); /* the allowed values are listed */
    assert_int_equal(m.nissues, 1);
    free(bad);
    free(f.data);

    /* iWmo has its own list: 32 is a JZ588 code, not a WMO588 code */
    f = slurp(IWMO "WMO307.xml");
    bad = replace_all(f.data, "RedenBeeindiging>31<", "RedenBeeindiging>32<");
    m = read_str(a, bad);
    expect_invalid(&m, 41, "RedenBeeindiging", "codelijst");
    assert_int_equal(m.nissues, 2);
    assert_int_equal(m.issues[1].line, 53);
    free(bad);
    free(f.data);
    arena_free(a);
}

static void test_bad_bsn_and_values(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct file f = slurp(IJW "JW305.xml");
    char *bad = replace1(f.data, ">999900006<", ">12345678A<");
    struct msg m = read_str(a, bad);
    expect_invalid(&m, 19, "Bsn", "patroon [0-9]{9}");
    assert_null(strstr(m.issues[0].reason, "12345678A")); /* personal data is not echoed */
    free(bad);

    bad = replace1(f.data, "Dagtekening>2026-04-15<", "Dagtekening>2026-02-30<");
    m = read_str(a, bad);
    expect_invalid(&m, 11, "Dagtekening", "geen geldige datum");
    assert_non_null(strstr(m.issues[0].reason, "2026-02-30"));
    free(bad);

    bad = replace1(f.data, "ToewijzingNummer>300201<", "ToewijzingNummer>1234567890<");
    m = read_str(a, bad);
    expect_invalid(&m, 34, "ToewijzingNummer", "groter dan het maximum 999999999");
    free(bad);

    bad = replace1(f.data, "<jw305:Client>", "<jw305:Client soort=\"x\">");
    m = read_str(a, bad);
    expect_invalid(&m, 18, "Client", "Attribuut 'soort' is niet toegestaan");
    free(bad);

    bad = replace1(f.data, "Code>55A11<", "Code>55A11XY<");
    m = read_str(a, bad);
    expect_invalid(&m, 37, "Code", "te lang: 7 tekens, maximaal 5");
    free(bad);
    free(f.data);
    arena_free(a);
}

/* Lexical forms the XSD allows must be read correctly: white space around a date, a '+' and
 * leading zeros in an xs:integer. */
static void test_lexical_forms(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct file f = slurp(IJW "JW307.xml");
    char *v1 = replace1(f.data, "Dagtekening>2026-07-20<", "Dagtekening>\n  2026-07-20 \t<");
    char *v2 = replace1(v1, "ToewijzingNummer>300201<", "ToewijzingNummer> +000300201 <");
    struct msg m = read_str(a, v2);
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.dagtekening, D(2026, 7, 20));
    assert_int_equal(m.products[0].assignment_nr, 300201);
    free(v1);
    free(v2);
    free(f.data);
    arena_free(a);
}

static void test_too_many_products(void **state)
{
    (void)state;
    struct arena *a = arena_new(64u * 1024 * 1024);
    struct file f = slurp(IJW "JW307.xml");
    const char *open = strstr(f.data, "<jw307:StopProduct>");
    const char *close = strstr(f.data, "</jw307:StopProducten>");
    size_t head = (size_t)(open - f.data), one = (size_t)(close - open) / 2; /* 1 product */
    size_t tail = strlen(close);
    size_t n = MSG_MAX_PRODUCTS + 1;
    char *big = malloc(head + one * n + tail + 1);
    assert_non_null(big);
    memcpy(big, f.data, head);
    for (size_t i = 0; i < n; i++)
        memcpy(big + head + i * one, open, one);
    memcpy(big + head + n * one, close, tail + 1);
    struct msg m = read_str(a, big);
    expect_invalid(&m, 32, "StopProduct", "maximaal 1000");
    /* exactly the limit is fine */
    memcpy(big + head + (n - 1) * one, close, tail + 1);
    m = read_str(a, big);
    assert_int_equal(m.outcome, MSG_ACCEPTED);
    assert_int_equal(m.nproducts, MSG_MAX_PRODUCTS);
    free(big);
    free(f.data);
    arena_free(a);
}

/* ---- Hostile input. -------------------------------------------------------------------------- */

static void test_billion_laughs(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    const char *xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n<lolz>&lol9;</lolz>\n";
    struct msg m = read_str(a, xml);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.nissues, 1);
    assert_string_equal(m.issues[0].reason, "DTD is niet toegestaan");
    assert_int_equal(m.issues[0].line, 2);
    arena_free(a);
}

static void test_external_entity(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct file f = slurp(IJW "JW307.xml");
    /* An XXE inside an otherwise valid message: must be refused before anything is loaded. */
    char *bad = replace1(f.data, "<jw307:Bericht ",
                         "<!DOCTYPE jw307:Bericht [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                         "<jw307:Bericht ");
    char *bad2 = replace1(bad, "<ijw:Achternaam>Wit", "<ijw:Achternaam>&xxe;");
    struct msg m = read_str(a, bad2);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.nissues, 1);
    assert_string_equal(m.issues[0].reason, "DTD is niet toegestaan");
    assert_false(any_issue_contains(&m, "root:"));
    free(bad);
    free(bad2);

    /* Without a DOCTYPE the entity is undeclared: not well-formed, nothing loaded. */
    bad = replace1(f.data, "<ijw:Achternaam>Wit", "<ijw:Achternaam>&xxe;");
    m = read_str(a, bad);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.issues[0].line, 26);
    assert_non_null(strstr(m.issues[0].reason, "goed gevormde XML"));
    assert_false(any_issue_contains(&m, "root:"));
    free(bad);

    /* An external DTD reference alone is refused too (no network, no file). */
    bad = replace1(f.data, "<jw307:Bericht ",
                   "<!DOCTYPE jw307:Bericht SYSTEM \"http://127.0.0.1:9/x.dtd\">\n<jw307:Bericht ");
    m = read_str(a, bad);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_string_equal(m.issues[0].reason, "DTD is niet toegestaan");
    free(bad);

    /* A plain DOCTYPE in front of a valid sample. */
    bad = replace1(f.data, "<jw307:Bericht ", "<!DOCTYPE jw307:Bericht>\n<jw307:Bericht ");
    m = read_str(a, bad);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.issues[0].line, 2);
    assert_string_equal(m.issues[0].reason, "DTD is niet toegestaan");
    free(bad);
    free(f.data);
    arena_free(a);
}

static void test_depth_bomb(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    size_t n = 100000;
    char *xml = malloc(n * 7 + 1);
    assert_non_null(xml);
    for (size_t i = 0; i < n; i++)
        memcpy(xml + i * 3, "<a>", 3);
    for (size_t i = 0; i < n; i++)
        memcpy(xml + n * 3 + i * 4, "</a>", 4);
    xml[n * 7] = '\0';
    struct msg m = read_str(a, xml);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.nissues, 1);
    assert_non_null(strstr(m.issues[0].reason, "dieper genest dan 64"));

    /* 64 levels are allowed (then it is merely not a message), 65 are not */
    char buf[1024];
    size_t o = 0;
    for (int i = 0; i < 64; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "<a>");
    for (int i = 0; i < 64; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "</a>");
    m = read_str(a, buf);
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    o = 0;
    for (int i = 0; i < 65; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "<a>");
    for (int i = 0; i < 65; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "</a>");
    m = read_str(a, buf);
    assert_int_equal(m.outcome, MSG_INVALID);
    free(xml);
    arena_free(a);
}

static void test_too_big(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    size_t n = 5u * 1024 * 1024;
    char *xml = malloc(n);
    assert_non_null(xml);
    memset(xml, ' ', n);
    memcpy(xml, "<a>", 3);
    memcpy(xml + n - 4, "</a>", 4);
    struct msg m;
    assert_int_equal(msg_read(schemas, "big", xml, n, a, &m), ERR_TOO_BIG);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.nissues, 1);
    assert_int_equal(msg_read(schemas, "big", xml, MSG_MAX_BYTES + 1, a, &m), ERR_TOO_BIG);
    /* exactly the limit is read (and is not a message) */
    memcpy(xml + MSG_MAX_BYTES - 4, "</a>", 4);
    assert_int_equal(msg_read(schemas, "max", xml, MSG_MAX_BYTES, a, &m), 0);
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    free(xml);
    arena_free(a);
}

static void test_not_xml(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct msg m = read_str(a, "BSN;Naam\n999900006;Wit\n");
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.issues[0].line, 1);
    assert_non_null(strstr(m.issues[0].reason, "goed gevormde XML"));

    /* truncated sample */
    struct file f = slurp(IJW "JW307.xml");
    char *cut = strndup(f.data, 1000);
    assert_non_null(cut);
    m = read_str(a, cut);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.issues[0].line, 25);
    free(cut);

    /* mismatched tags */
    char *bad = replace1(f.data, "</jw307:Bsn>", "</jw307:Bsm>");
    m = read_str(a, bad);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.issues[0].line, 19);
    free(bad);
    free(f.data);

    /* empty input */
    assert_int_equal(msg_read(schemas, "empty", "", 0, a, &m), 0);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.nissues, 1);
    assert_string_equal(m.issues[0].reason, "Leeg bericht");

    /* binary junk with NUL bytes */
    static const char junk[] = {'<', 0, 'a', '>', 0x7f, (char)0xff, 0};
    assert_int_equal(msg_read(schemas, "junk", junk, sizeof junk, a, &m), 0);
    assert_int_equal(m.outcome, MSG_INVALID);
    arena_free(a);
}

static void test_other_releases(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    /* iWmo 2.1 wrote its namespaces as .../iwmo/2_1/wmo307/schema/2_1 */
    struct file f = slurp(IWMO "WMO307.xml");
    char *old = replace_all(f.data, "/iwmo/3_2/wmo307/schema", "/iwmo/2_1/wmo307/schema/2_1");
    struct msg m = read_str(a, old);
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    assert_int_equal(m.law, 0);
    assert_string_equal(m.release, "2.1");
    assert_string_equal(m.issues[0].reason,
                        "Berichtversie iWmo 2.1 wordt niet ondersteund; duiding "
                        "leest iJw 3.2 en iWmo 3.2");
    assert_string_equal(m.issues[0].element, "Bericht");
    assert_int_equal(m.issues[0].line, 2);
    free(old);
    free(f.data);

    f = slurp(IJW "JW301.xml");
    old = replace_all(f.data, "/ijw/3_2/", "/ijw/3_0/");
    m = read_str(a, old);
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    assert_non_null(strstr(m.issues[0].reason, "iJw 3.0 wordt niet ondersteund"));
    free(old);
    free(f.data);

    m = read_str(a, "<?xml version=\"1.0\"?>\n<Bericht xmlns=\"urn:iets-anders\"/>");
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    assert_string_equal(m.issues[0].reason, "Geen iJw- of iWmo-bericht");
    m = read_str(a, "<Bericht/>");
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    m = read_str(a, "<a:Bericht xmlns:a=\"http://www.istandaarden.nl/iwlz/2_4/wlz307/schema\"/>");
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    assert_string_equal(m.issues[0].reason, "Geen iJw- of iWmo-bericht");
    m = read_str(a, "<a:Bericht xmlns:a=\"http://www.istandaarden.nl/ijw/3_2/jw999/schema\"/>");
    assert_int_equal(m.outcome, MSG_UNSUPPORTED);
    assert_non_null(strstr(m.issues[0].reason, "JW999"));

    /* a release-3.2 message the validator knows, with the wrong root element */
    m = read_str(a, "<a:Toewijzing xmlns:a=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\"/>");
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_string_equal(m.issues[0].element, "Toewijzing");
    arena_free(a);
}

static void test_arena_full(void **state)
{
    (void)state;
    struct arena *a = arena_new(64); /* too small for the product lines */
    struct file f = slurp(IJW "JW307.xml");
    struct msg m;
    assert_int_equal(msg_read(schemas, "jw307", f.data, f.len, a, &m), ERR_NOMEM);
    free(f.data);
    arena_free(a);
}

/* ---- Two threads share the schemas. ---------------------------------------------------------- */

struct sample {
    const char *path;
    enum msg_outcome want;
    int products;
};

static const struct sample thread_samples[] = {
    {IJW "JW301.xml", MSG_ACCEPTED, 2},   {IJW "JW305.xml", MSG_ACCEPTED, 2},
    {IJW "JW307.xml", MSG_ACCEPTED, 2},   {IWMO "WMO301.xml", MSG_ACCEPTED, 1},
    {IWMO "WMO307.xml", MSG_ACCEPTED, 2}, {IWMO "WMO315.xml", MSG_ACCEPTED, 2},
    {IJW "JW323.xml", MSG_ACCEPTED, 0},   {IWMO "WMO319.xml", MSG_SKIPPED, 0},
};

static struct file thread_files[ARRAY_LEN(thread_samples)];
static char *thread_bad; /* an invalid JW307, to mix findings into the run */

static void *reader_thread(void *arg)
{
    long *errors = arg;
    struct arena *a = arena_new(0);
    for (int round = 0; round < 40; round++) {
        for (size_t i = 0; i < ARRAY_LEN(thread_samples); i++) {
            struct arena_mark mk = arena_mark(a);
            struct msg m;
            if (msg_read(schemas, "t", thread_files[i].data, thread_files[i].len, a, &m) != 0 ||
                m.outcome != thread_samples[i].want || m.nproducts != thread_samples[i].products)
                (*errors)++;
            if (m.outcome == MSG_ACCEPTED &&
                strcmp(m.kind == MSG_KIND_323 ? m.claims[0].bsn : m.client.bsn, "999900006") != 0)
                (*errors)++;
            arena_reset_to(a, mk);
        }
        struct msg m;
        if (msg_read(schemas, "bad", thread_bad, strlen(thread_bad), a, &m) != 0 ||
            m.outcome != MSG_INVALID || m.nissues != 1 || m.issues[0].line != 41)
            (*errors)++;
    }
    arena_free(a);
    return NULL;
}

static void test_two_threads(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(thread_samples); i++)
        thread_files[i] = slurp(thread_samples[i].path);
    struct file f = slurp(IJW "JW307.xml");
    thread_bad = replace1(f.data, "RedenBeeindiging>31<", "RedenBeeindiging>77<");
    free(f.data);
    pthread_t t[2];
    long errors[2] = {0, 0};
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader_thread, &errors[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(errors[0], 0);
    assert_int_equal(errors[1], 0);
    for (size_t i = 0; i < ARRAY_LEN(thread_samples); i++)
        free(thread_files[i].data);
    free(thread_bad);
}

static int setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    if (msg_schemas_load(&schemas, &e) != 0) {
        fprintf(stderr, "msg_schemas_load: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    msg_schemas_free(schemas);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_idempotent), cmocka_unit_test(test_jw301),
        cmocka_unit_test(test_jw305),           cmocka_unit_test(test_jw307),
        cmocka_unit_test(test_jw315_fixture),   cmocka_unit_test(test_wmo301),
        cmocka_unit_test(test_wmo305_307),      cmocka_unit_test(test_wmo315),
        cmocka_unit_test(test_skipped_samples), cmocka_unit_test(test_removed_element),
        cmocka_unit_test(test_bad_enumeration), cmocka_unit_test(test_bad_bsn_and_values),
        cmocka_unit_test(test_lexical_forms),   cmocka_unit_test(test_too_many_products),
        cmocka_unit_test(test_billion_laughs),  cmocka_unit_test(test_external_entity),
        cmocka_unit_test(test_depth_bomb),      cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_not_xml),         cmocka_unit_test(test_other_releases),
        cmocka_unit_test(test_arena_full),      cmocka_unit_test(test_two_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
