/*
 * test_log.c: the logfmt writer (core/log.c): one line per event, values quoted with quotes,
 * backslashes, newlines, control bytes and invalid UTF-8 escaped so input cannot forge lines;
 * the level threshold.
 */
#include "core/log.h"
#include "core/common.h"
#include "core/err.h"
#include <setjmp.h>
#include <cmocka.h>

/* Runs one log call into a temporary stream and returns what it wrote (static buffer). */
static char captured[8192];

static void capture_begin(FILE **f)
{
    *f = tmpfile();
    assert_non_null(*f);
    log_set_stream(*f);
}

static const char *capture_end(FILE *f)
{
    log_set_stream(NULL);
    rewind(f);
    size_t n = fread(captured, 1, sizeof captured - 1, f);
    captured[n] = '\0';
    fclose(f);
    return captured;
}

static void test_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        const char *want; /* the quoted value as it must appear */
    } cases[] = {
        {"plain", "\"plain\""},
        {"", "\"\""},
        {NULL, "\"\""},
        {"with space", "\"with space\""},
        {"say \"hi\"", "\"say \\\"hi\\\"\""},
        {"back\\slash", "\"back\\\\slash\""},
        {"line\nforged=1 level=error", "\"line\\x0aforged=1 level=error\""},
        {"cr\rtab\t", "\"cr\\x0dtab\\x09\""},
        {"\x01\x1b[31m\x7f", "\"\\x01\\x1b[31m\\x7f\""},
        {"caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\""}, /* valid UTF-8 stays */
        {"bad\xff\xc3(", "\"bad\\xff\\xc3(\""},                       /* invalid bytes escaped */
        {"\xed\xa0\x80", "\"\\xed\\xa0\\x80\""},                      /* surrogate */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        FILE *f;
        capture_begin(&f);
        log_emit(LOG_INFO, "test.evt", "k", cases[i].value, "next", "x", NULL);
        const char *out = capture_end(f);
        /* exactly one line */
        const char *nl = strchr(out, '\n');
        assert_non_null(nl);
        assert_int_equal(nl[1], '\0');
        assert_true(strncmp(out, "ts=", 3) == 0);
        assert_non_null(strstr(out, " level=info evt=test.evt k="));
        char want[256];
        snprintf(want, sizeof want, " k=%s next=\"x\"\n", cases[i].want);
        if (!strstr(out, want))
            fail_msg("case %zu: line %s lacks %s", i, out, want);
    }
}

static void test_long_value_stays_one_line(void **state)
{
    (void)state;
    static char big[10000];
    memset(big, '\n', sizeof big - 1);
    FILE *f;
    capture_begin(&f);
    log_emit(LOG_WARN, "test.big", "v", big, NULL);
    const char *out = capture_end(f);
    size_t len = strlen(out);
    assert_true(len > 100 && len < 4096);
    assert_int_equal(out[len - 1], '\n');
    assert_null(memchr(out, '\n', len - 1));
    assert_non_null(strstr(out, "level=warn evt=test.big v=\"\\x0a\\x0a"));
}

static void test_levels(void **state)
{
    (void)state;
    enum log_level saved = log_threshold;
    assert_int_equal(log_set_level("warn"), 0);
    assert_int_equal(log_threshold, LOG_WARN);
    FILE *f;
    capture_begin(&f);
    log_info("test.hidden", "k", "v", NULL);
    log_debug("test.hidden", "k", "v", NULL);
    log_warn("test.shown", "k", "v", NULL);
    log_error("test.shown2", NULL);
    const char *out = capture_end(f);
    assert_null(strstr(out, "hidden"));
    assert_non_null(strstr(out, "level=warn evt=test.shown k=\"v\"\n"));
    assert_non_null(strstr(out, "level=error evt=test.shown2\n"));

    assert_int_equal(log_set_level("loud"), ERR_INVALID);
    assert_int_equal(log_set_level(NULL), ERR_INVALID);
    assert_int_equal(log_threshold, LOG_WARN); /* unchanged */
    assert_int_equal(log_set_level("debug"), 0);
    assert_int_equal(log_threshold, LOG_DEBUG);
    log_threshold = saved;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_long_value_stays_one_line),
        cmocka_unit_test(test_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
