/*
 * test_buf.c: the bounded buffer (core/buf.c). Limits end in ERR_TOO_BIG with the buffer freed;
 * the HTML, JSON and URL appenders escape exactly what they promise.
 */
#include "core/buf.h"
#include "core/common.h"
#include "core/err.h"
#include <setjmp.h>
#include <cmocka.h>

static void test_append_and_detach(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, BUF_MAX_SMALL);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_append_str(&b, "ab"), 0);
    assert_int_equal(buf_append_char(&b, 'c'), 0);
    assert_int_equal(buf_append(&b, "d\0e", 3), 0);
    assert_int_equal(b.len, 6);
    assert_memory_equal(b.p, "abcd\0e", 7); /* NUL-terminated after the content */
    assert_int_equal(buf_appendf(&b, "-%d-%s", 42, "x"), 0);
    assert_memory_equal(b.p + 6, "-42-x", 6);

    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    assert_non_null(b.p); /* memory kept */

    assert_int_equal(buf_append_str(&b, "hello"), 0);
    size_t len = 0;
    char *s = buf_detach(&b, &len);
    assert_string_equal(s, "hello");
    assert_int_equal(len, 5);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    free(s);

    s = buf_detach(&b, NULL); /* empty buffer: "" that the caller frees */
    assert_string_equal(s, "");
    free(s);
    buf_release(&b);
    buf_release(&b); /* twice is fine */
}

static void test_growth_keeps_content(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, BUF_MAX_PAGE);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(buf_append_char(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 10000);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.p[i], 'a' + i % 26);
    assert_int_equal(b.p[10000], '\0');
    assert_true(b.cap <= b.max);
    buf_release(&b);
}

/* Each appender, driven past a small limit, returns ERR_TOO_BIG and leaves the buffer freed. */
static void test_limits(void **state)
{
    (void)state;
    struct buf b;

    buf_init(&b, 8); /* room for 7 bytes + NUL */
    assert_int_equal(buf_append_str(&b, "1234567"), 0);
    assert_int_equal(buf_append_char(&b, 'x'), ERR_TOO_BIG);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    /* usable again afterwards, same limit */
    assert_int_equal(buf_append_str(&b, "ok"), 0);
    assert_string_equal(buf_cstr(&b), "ok");
    buf_release(&b);

    static const char *const long_inputs[] = {"12345678", "<<<", "\"\"'", "&&"};
    for (size_t i = 0; i < ARRAY_LEN(long_inputs); i++) {
        const char *in = long_inputs[i];
        buf_init(&b, 8);
        int rc = strlen(in) >= 8 ? buf_append_str(&b, in) : buf_append_html(&b, in, strlen(in));
        assert_int_equal(rc, ERR_TOO_BIG);
        assert_null(b.p);
        assert_int_equal(b.len, 0);
    }

    buf_init(&b, 8);
    assert_int_equal(buf_appendf(&b, "%s", "12345678"), ERR_TOO_BIG);
    assert_null(b.p);
    assert_int_equal(buf_append_json_str(&b, "<<", 2), ERR_TOO_BIG); /* \u003c\u003c */
    assert_null(b.p);
    assert_int_equal(buf_append_urlenc(&b, "   ", 3), ERR_TOO_BIG); /* %20%20%20 */
    assert_null(b.p);

    /* A length that would wrap size_t arithmetic is refused, not copied. */
    char small[4] = "abc";
    assert_int_equal(buf_append(&b, small, SIZE_MAX), ERR_TOO_BIG);
    assert_int_equal(buf_append_str(&b, "ab"), 0);
    assert_int_equal(buf_append(&b, small, SIZE_MAX - 1), ERR_TOO_BIG);
    assert_null(b.p);
    assert_int_equal(buf_append(&b, small, SIZE_MAX), ERR_TOO_BIG);
    buf_release(&b);

    /* max 0: nothing fits, not even the NUL */
    buf_init(&b, 0);
    assert_int_equal(buf_append(&b, "", 0), ERR_TOO_BIG);
    buf_release(&b);
}

struct esc_case {
    const char *in;
    size_t len; /* 0 = strlen(in) */
    const char *want;
};

static void check_escape(int (*fn)(struct buf *, const char *, size_t), const struct esc_case *c,
                         size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct buf b;
        buf_init(&b, BUF_MAX_SMALL);
        size_t len = c[i].len ? c[i].len : strlen(c[i].in);
        assert_int_equal(fn(&b, c[i].in, len), 0);
        if (strcmp(buf_cstr(&b), c[i].want) != 0)
            fail_msg("case %zu: escaping \"%s\" gave \"%s\", want \"%s\"", i, c[i].in, buf_cstr(&b),
                     c[i].want);
        buf_release(&b);
    }
}

static void test_html(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", 0, ""},
        {"Gemeente Emmen", 0, "Gemeente Emmen"},
        {"<script>alert(1)</script>", 0, "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"a & b", 0, "a &amp; b"},
        {"&amp;", 0, "&amp;amp;"},
        {"\"x\" 'y'", 0, "&quot;x&quot; &#39;y&#39;"},
        {"\" onmouseover=\"x", 0, "&quot; onmouseover=&quot;x"},
        {"café €", 0, "café €"},
        {"a\0<b", 4, "a"}, /* the NUL is copied; compare up to it */
        {"<<>>", 0, "&lt;&lt;&gt;&gt;"},
    };
    check_escape(buf_append_html, cases, ARRAY_LEN(cases));

    struct buf b;
    buf_init(&b, BUF_MAX_SMALL);
    assert_int_equal(buf_append_html(&b, "a\0<b", 4), 0);
    assert_int_equal(b.len, 7);
    assert_memory_equal(b.p, "a\0&lt;b", 8);
    buf_release(&b);
}

/* Property: for every byte and for pseudo-random strings, the output has no raw < > " '. */
static void test_html_property(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int round = 0; round < 2000; round++) {
        char in[64];
        size_t n = round < 256 ? 1 : (size_t)(seed % sizeof in);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = round < 256 ? (char)round : (char)(seed >> 16);
        }
        seed = seed * 1103515245u + 12345u;
        struct buf b;
        buf_init(&b, BUF_MAX_SMALL);
        assert_int_equal(buf_append_html(&b, in, n), 0);
        for (size_t i = 0; i < b.len; i++) {
            char c = b.p[i];
            if (c == '<' || c == '>' || c == '"' || c == '\'')
                fail_msg("raw %c in escaped output (round %d)", c, round);
            if (c == '&')
                assert_true(strncmp(b.p + i, "&amp;", 5) == 0 || strncmp(b.p + i, "&lt;", 4) == 0 ||
                            strncmp(b.p + i, "&gt;", 4) == 0 ||
                            strncmp(b.p + i, "&quot;", 6) == 0 ||
                            strncmp(b.p + i, "&#39;", 5) == 0);
        }
        buf_release(&b);
    }
}

static void test_json(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", 0, ""},
        {"plain text", 0, "plain text"},
        {"say \"hi\"", 0, "say \\\"hi\\\""},
        {"back\\slash", 0, "back\\\\slash"},
        {"line\nbreak\r\ttab", 0, "line\\nbreak\\r\\ttab"},
        {"\x01\x1f\x7f", 0, "\\u0001\\u001f\\u007f"},
        {"</script>", 0, "\\u003c/script\\u003e"},
        {"a&b", 0, "a\\u0026b"},
        {"café 😀", 0, "café 😀"}, /* UTF-8 passes through */
        {"'single'", 0, "'single'"},
        {"\0x", 2, "\\u0000x"},
    };
    check_escape(buf_append_json_str, cases, ARRAY_LEN(cases));
}

static void test_urlenc(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", 0, ""},
        {"abcXYZ019-._~", 0, "abcXYZ019-._~"},
        {"a b", 0, "a%20b"},
        {"a+b=c&d", 0, "a%2Bb%3Dc%26d"},
        {"/pad?x#y", 0, "%2Fpad%3Fx%23y"},
        {"é", 0, "%C3%A9"},
        {"\"<>'", 0, "%22%3C%3E%27"},
        {"%", 0, "%25"},
        {"\0\xff", 2, "%00%FF"},
    };
    check_escape(buf_append_urlenc, cases, ARRAY_LEN(cases));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_detach),
        cmocka_unit_test(test_growth_keeps_content),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_property),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_urlenc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
