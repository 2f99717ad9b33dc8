/*
 * test_request.c: web/request.c input helpers that stand between a client and the rest of the
 * program: the upload file name sanitiser (basename, no control or bidi characters, valid
 * UTF-8, at most HTTP_UPLOAD_NAME_MAX bytes) and the strict urlencoded parser.
 */
#include "core/arena.h"
#include "core/common.h"
#include "core/utf8.h"
#include "web/http.h"
#include <setjmp.h>
#include <cmocka.h>

static const char *clean(struct arena *a, const char *s)
{
    return http_sanitize_file_name(a, s, s ? strlen(s) : 0);
}

static void test_basename_only(void **state)
{
    struct arena *a = arena_new(0);
    (void)state;
    assert_string_equal(clean(a, "berichten.zip"), "berichten.zip");
    assert_string_equal(clean(a, "../../etc/passwd"), "passwd");
    assert_string_equal(clean(a, "C:\\fakepath\\JW301.xml"), "JW301.xml");
    assert_string_equal(clean(a, "map/sub/"), "");
    assert_string_equal(clean(a, ".."), "");
    assert_string_equal(clean(a, "a/.."), "");
    assert_string_equal(clean(a, "."), "");
    assert_string_equal(clean(a, ""), "");
    assert_string_equal(clean(a, NULL), "");
    assert_string_equal(clean(a, "  spaties rond.csv  "), "spaties rond.csv");
    assert_string_equal(clean(a, ".verborgen"), ".verborgen");
    arena_free(a);
}

static void test_controls_and_bidi_removed(void **state)
{
    struct arena *a = arena_new(0);
    (void)state;
    assert_string_equal(clean(a, "re\nport\t.csv"), "report.csv");
    assert_string_equal(clean(a, "x\x7f"
                                 "y.xml"),
                        "xy.xml");
    /* U+0085 (NEL, a C1 control) goes; U+00E9 stays. */
    assert_string_equal(clean(a, "caf\xc3\xa9\xc2\x85.csv"), "caf\xc3\xa9.csv");
    /* "rapport<RLO>fdp.exe" would show as "rapportexe.pdf". */
    assert_string_equal(clean(a, "rapport\xe2\x80\xae"
                                 "fdp.exe"),
                        "rapportfdp.exe");
    assert_string_equal(clean(a, "a\xe2\x81\xa6"
                                 "b\xe2\x81\xa9.xml"),
                        "ab.xml");
    /* Other characters in the same blocks stay (U+2013 en dash, U+2070 superscript zero). */
    assert_string_equal(clean(a, "a\xe2\x80\x93"
                                 "b"),
                        "a\xe2\x80\x93"
                        "b");
    arena_free(a);
}

static void test_invalid_utf8_dropped(void **state)
{
    struct arena *a = arena_new(0);
    (void)state;
    assert_string_equal(clean(a, "ab\xff"
                                 "c.xml"),
                        "abc.xml");
    assert_string_equal(clean(a, "\xc3(x"), "(x");         /* bad continuation */
    assert_string_equal(clean(a, "x\xed\xa0\x80y"), "xy"); /* UTF-16 surrogate */
    assert_string_equal(clean(a, "x\xc0\xaf"), "x");       /* overlong '/' is not a separator */
    assert_string_equal(clean(a, "eind\xe2\x82"), "eind"); /* truncated at the end */
    arena_free(a);
}

static void test_length_cut_on_character(void **state)
{
    struct arena *a = arena_new(0);
    char name[600];
    (void)state;
    /* 150 two-byte characters: 300 bytes; the cut must not split one. */
    size_t k = 0;
    for (int i = 0; i < 150; i++) {
        name[k++] = (char)0xc3;
        name[k++] = (char)0xa9;
    }
    name[k] = '\0';
    const char *r = clean(a, name);
    assert_int_equal(strlen(r), HTTP_UPLOAD_NAME_MAX);
    assert_true(utf8_valid(r, strlen(r), NULL));
    /* 201 ASCII bytes then one three-byte character: cut to 200. */
    memset(name, 'x', 201);
    memcpy(name + 201, "\xe2\x82\xac", 4);
    r = clean(a, name);
    assert_int_equal(strlen(r), HTTP_UPLOAD_NAME_MAX);
    /* 199 bytes then a two-byte character would be 201: the character goes. */
    memset(name, 'y', 199);
    memcpy(name + 199, "\xc3\xa9", 3);
    r = clean(a, name);
    assert_int_equal(strlen(r), 199);
    /* A cut that ends on a space drops it too (found by fuzz/fuzz_request.c). */
    memset(name, 'z', 199);
    memcpy(name + 199, " abc", 5);
    r = clean(a, name);
    assert_int_equal(strlen(r), 199);
    assert_int_equal(r[198], 'z');
    arena_free(a);
}

static void test_every_byte_gives_clean_output(void **state)
{
    struct arena *a = arena_new(0);
    char in[4];
    (void)state;
    /* Every one- and two-byte input: the result is valid UTF-8 without controls or slashes. */
    for (int b1 = 0; b1 < 256; b1++) {
        for (int b2 = 0; b2 < 256; b2++) {
            in[0] = (char)b1;
            in[1] = (char)b2;
            const char *r = http_sanitize_file_name(a, in, 2);
            size_t n = strlen(r);
            assert_true(n <= 2);
            assert_true(utf8_valid(r, n, NULL));
            assert_false(utf8_has_controls(r, n));
            assert_null(strpbrk(r, "\t\n\r"));
            assert_null(strchr(r, '/'));
            assert_null(strchr(r, '\\'));
        }
        arena_free(a);
        a = arena_new(0);
    }
    arena_free(a);
}

static void test_urlencoded_strict(void **state)
{
    struct arena *a = arena_new(0);
    struct http_kv *kv = NULL;
    int n = 0;
    (void)state;
    const char *q = "bestandsnaam=mijn+bestand%2Ezip&soort=berichten";
    assert_int_equal(http_parse_urlencoded(a, q, strlen(q), &kv, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(kv[0].key, "bestandsnaam");
    assert_string_equal(kv[0].value, "mijn bestand.zip");
    assert_string_equal(kv[1].value, "berichten");
    const char *bad[] = {"a=%00", "a=%zz", "a=%e", "a=%ff%fe"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        assert_int_not_equal(http_parse_urlencoded(a, bad[i], strlen(bad[i]), &kv, &n), 0);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basename_only),
        cmocka_unit_test(test_controls_and_bidi_removed),
        cmocka_unit_test(test_invalid_utf8_dropped),
        cmocka_unit_test(test_length_cut_on_character),
        cmocka_unit_test(test_every_byte_gives_clean_output),
        cmocka_unit_test(test_urlencoded_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
