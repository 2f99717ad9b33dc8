/*
 * test_utf8.c: strict UTF-8 validation (core/utf8.c): valid text of every length, overlongs,
 * surrogates, truncated sequences, values above U+10FFFF and stray bytes, with the offset of the
 * first bad sequence; code point counting and control character detection.
 */
#include "core/utf8.h"
#include "core/common.h"
#include <setjmp.h>
#include <cmocka.h>

#define B(lit) (lit), sizeof(lit) - 1

static void test_valid_and_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *p;
        size_t n;
        bool valid;
        size_t err_at;
        const char *what;
    } cases[] = {
        {B(""), true, 0, "empty"},
        {B("plain ascii"), true, 0, "ascii"},
        {B("\0"), true, 0, "NUL is valid UTF-8"},
        {B("caf\xc3\xa9"), true, 0, "2-byte"},
        {B("\xe2\x82\xac"), true, 0, "3-byte euro"},
        {B("\xf0\x9f\x98\x80"), true, 0, "4-byte emoji"},
        {B("\xc2\x80"), true, 0, "lowest 2-byte U+0080"},
        {B("\xdf\xbf"), true, 0, "highest 2-byte U+07FF"},
        {B("\xe0\xa0\x80"), true, 0, "lowest 3-byte U+0800"},
        {B("\xed\x9f\xbf"), true, 0, "U+D7FF just below surrogates"},
        {B("\xee\x80\x80"), true, 0, "U+E000 just above surrogates"},
        {B("\xef\xbf\xbf"), true, 0, "U+FFFF"},
        {B("\xf0\x90\x80\x80"), true, 0, "lowest 4-byte U+10000"},
        {B("\xf4\x8f\xbf\xbf"), true, 0, "U+10FFFF"},
        /* overlong */
        {B("\xc0\x80"), false, 0, "overlong NUL"},
        {B("\xc1\xbf"), false, 0, "overlong 2-byte"},
        {B("a\xe0\x80\xaf"), false, 1, "overlong 3-byte slash"},
        {B("\xe0\x9f\xbf"), false, 0, "overlong U+07FF"},
        {B("\xf0\x80\x80\xaf"), false, 0, "overlong 4-byte"},
        {B("\xf0\x8f\xbf\xbf"), false, 0, "overlong U+FFFF"},
        /* surrogates */
        {B("\xed\xa0\x80"), false, 0, "U+D800"},
        {B("ab\xed\xbf\xbf"), false, 2, "U+DFFF"},
        {B("\xed\xa0\xbd\xed\xb8\x80"), false, 0, "CESU-8 surrogate pair"},
        /* beyond U+10FFFF */
        {B("\xf4\x90\x80\x80"), false, 0, "U+110000"},
        {B("\xf5\x80\x80\x80"), false, 0, "F5 lead"},
        {B("\xf7\xbf\xbf\xbf"), false, 0, "F7 lead"},
        {B("\xf8\x88\x80\x80\x80"), false, 0, "5-byte form"},
        {B("\xfc\x84\x80\x80\x80\x80"), false, 0, "6-byte form"},
        {B("\xfe"), false, 0, "FE"},
        {B("xyz\xff"), false, 3, "FF"},
        /* truncated */
        {B("\xc3"), false, 0, "lone 2-byte lead"},
        {B("abc\xe2\x82"), false, 3, "3-byte cut at end"},
        {B("\xf0\x9f\x98"), false, 0, "4-byte cut at end"},
        {B("\xe2\x82x"), false, 0, "3-byte interrupted by ASCII"},
        {B("\xf0\x9f\x98\x80\xf0\x9f"), false, 4, "second emoji cut"},
        /* stray continuation bytes */
        {B("\x80"), false, 0, "lone continuation"},
        {B("ok\xbf"), false, 2, "continuation after ASCII"},
        {B("\xc3\xa9\xa9"), false, 2, "extra continuation"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        size_t err_at = 9999;
        bool ok = utf8_valid(cases[i].p, cases[i].n, &err_at);
        if (ok != cases[i].valid)
            fail_msg("%s: utf8_valid gave %d", cases[i].what, ok);
        if (!ok && err_at != cases[i].err_at)
            fail_msg("%s: err_at %zu, want %zu", cases[i].what, err_at, cases[i].err_at);
        if (ok)
            assert_int_equal(err_at, 9999); /* untouched */
        assert_int_equal(utf8_valid(cases[i].p, cases[i].n, NULL), cases[i].valid);
    }
}

/* Every 2-byte and 3-byte combination against the definition. */
static void test_exhaustive_short(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            char s[2] = {(char)a, (char)b};
            /* two ASCII bytes, or one 2-byte sequence U+0080..U+07FF */
            bool want = a < 0x80 ? b < 0x80 : a >= 0xc2 && a <= 0xdf && b >= 0x80 && b <= 0xbf;
            assert_int_equal(utf8_valid(s, 2, NULL), want);
        }
    for (unsigned cp = 0x800; cp <= 0xffff; cp++) {
        char s[3] = {(char)(0xe0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3f)),
                     (char)(0x80 | (cp & 0x3f))};
        bool want = cp < 0xd800 || cp > 0xdfff;
        assert_int_equal(utf8_valid(s, 3, NULL), want);
        assert_false(utf8_valid(s, 2, NULL)); /* truncated */
    }
}

static void test_count_and_controls(void **state)
{
    (void)state;
    assert_int_equal(utf8_count(B("")), 0);
    assert_int_equal(utf8_count(B("abc")), 3);
    assert_int_equal(utf8_count(B("caf\xc3\xa9")), 4);
    assert_int_equal(utf8_count(B("\xe2\x82\xac\xf0\x9f\x98\x80")), 2);

    static const struct {
        const char *p;
        size_t n;
        bool controls;
    } cases[] = {
        {B("plain"), false},    {B("tab\there\r\nnewline"), false}, {B("nul\0"), true},
        {B("bell\a"), true},    {B("esc\x1b[31m"), true},           {B("del\x7f"), true},
        {B("\xc2\x85"), false}, /* U+0085 (C1) is not an ASCII control */
        {B(""), false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(utf8_has_controls(cases[i].p, cases[i].n), cases[i].controls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_invalid),
        cmocka_unit_test(test_exhaustive_short),
        cmocka_unit_test(test_count_and_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
