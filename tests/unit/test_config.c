/*
 * test_config.c: deployment settings (core/config.c): defaults, the duiding.conf reader
 * (comments, white space, every value type) and its errors, which name the file line.
 */
#include "core/config.h"
#include "core/common.h"
#include "core/err.h"
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

/* Writes text to a fresh temporary file; the caller unlinks and frees the path. */
static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/duiding-test-config-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

static void test_defaults(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c, "/srv/duiding");
    assert_string_equal(c.data_dir, "/srv/duiding");
    assert_string_equal(c.db_path, "/srv/duiding/duiding.db");
    assert_string_equal(c.key_path, "/srv/duiding/pseudonym.key");
    assert_string_equal(c.listen, "127.0.0.1");
    assert_int_equal(c.port, 8080);
    assert_true(c.threads >= 1 && c.threads <= 64);
    assert_false(c.secure_cookies);
    assert_string_equal(c.log_level, "info");
    assert_string_equal(c.default_lang, "nl");
    config_release(&c);
    assert_null(c.data_dir);
}

static void test_load_file(void **state)
{
    (void)state;
    char *path = write_temp("# duiding settings\n"
                            "\n"
                            "port = 9000\n"
                            "  listen=0.0.0.0  \n"
                            "\tsecure_cookies = yes\n"
                            "log_level = debug\n"
                            "db_path = /var/lib/duiding/x.db   \n"
                            "session_hours=12\n"
                            "default_lang = en\n"
                            "threads = 4"); /* no final newline */
    struct config c;
    struct err_ctx e = {0};
    config_defaults(&c, "/srv/d");
    assert_int_equal(config_load_file(&c, path, &e), 0);
    assert_int_equal(c.port, 9000);
    assert_string_equal(c.listen, "0.0.0.0");
    assert_true(c.secure_cookies);
    assert_string_equal(c.log_level, "debug");
    assert_string_equal(c.db_path, "/var/lib/duiding/x.db");
    assert_int_equal(c.session_hours, 12);
    assert_string_equal(c.default_lang, "en");
    assert_int_equal(c.threads, 4);
    config_release(&c);
    unlink(path);
    free(path);

    /* a missing file is not an error */
    config_defaults(&c, "/srv/d");
    assert_int_equal(config_load_file(&c, "/nonexistent/duiding.conf", &e), 0);
    assert_int_equal(c.port, 8080);
    config_release(&c);
}

static void test_file_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t line;
        const char *field;  /* NULL = none */
        const char *in_msg; /* substring of the message */
    } cases[] = {
        {"port = 8000\n# ok\ncolour = blue\n", 3, NULL, "unknown setting 'colour'"},
        {"port = 80x\n", 1, "port", "port must be a whole number from 0 to 65535"},
        {"\n\nport = 70000\n", 3, "port", "port must be"},
        {"port = -1\n", 1, "port", "port must be"},
        {"port =\n", 1, "port", "port must be"},
        {"threads = 0\n", 1, "threads", "threads must be"},
        {"secure_cookies = maybe\n", 1, "secure_cookies", "true or false"},
        {"log_level = loud\n", 1, "log_level", "log_level must be"},
        {"default_lang = de\n", 1, "default_lang", "nl or en"},
        {"port 8000\n", 1, NULL, "expected 'key = value'"},
        {"= 8000\n", 1, NULL, "bad key"},
        {"listen = ::1\nthis_key_is_much_longer_than_sixty_four_characters_which_is_the_key_limit "
         "= 1\n",
         2, NULL, "bad key"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *path = write_temp(cases[i].text);
        struct config c;
        struct err_ctx e = {0};
        config_defaults(&c, "/srv/d");
        assert_int_equal(config_load_file(&c, path, &e), ERR_INVALID);
        assert_int_equal(e.code, ERR_INVALID);
        if (e.line != cases[i].line)
            fail_msg("case %zu: line %u, want %u (%s)", i, e.line, cases[i].line, e.msg);
        if (cases[i].field)
            assert_string_equal(e.field, cases[i].field);
        else
            assert_null(e.field);
        if (!strstr(e.msg, cases[i].in_msg))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, e.msg, cases[i].in_msg);
        char where[64];
        snprintf(where, sizeof where, ":%u: ", cases[i].line);
        assert_non_null(strstr(e.msg, where)); /* "path:LINE: ..." */

        /* the same file without an error context fails the same way, without crashing */
        assert_int_equal(config_load_file(&c, path, NULL), ERR_INVALID);
        config_release(&c);
        unlink(path);
        free(path);
    }
}

static void test_long_line(void **state)
{
    (void)state;
    char text[CONFIG_MAX_LINE + 64];
    memset(text, 'x', sizeof text);
    memcpy(text, "listen = ", 9);
    text[sizeof text - 2] = '\n';
    text[sizeof text - 1] = '\0';
    char *path = write_temp(text);
    struct config c;
    struct err_ctx e = {0};
    config_defaults(&c, "/srv/d");
    assert_int_equal(config_load_file(&c, path, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "line too long"));
    assert_int_equal(e.line, 1);
    config_release(&c);
    unlink(path);
    free(path);
}

static void test_set(void **state)
{
    (void)state;
    struct config c;
    struct err_ctx e = {0};
    config_defaults(&c, "d");
    assert_int_equal(config_set(&c, "port", "0", &e), 0); /* 0 = pick a free port */
    assert_int_equal(c.port, 0);
    assert_int_equal(config_set(&c, "port", "65535", &e), 0);
    assert_int_equal(config_set(&c, "port", "65536", &e), ERR_INVALID);
    assert_int_equal(c.port, 65535); /* unchanged on error */
    assert_int_equal(config_set(&c, "secure_cookies", "1", &e), 0);
    assert_true(c.secure_cookies);
    assert_int_equal(config_set(&c, "secure_cookies", "false", &e), 0);
    assert_false(c.secure_cookies);
    assert_int_equal(config_set(&c, "listen", "::1", &e), 0);
    assert_string_equal(c.listen, "::1");
    assert_int_equal(config_set(&c, "PORT", "1", &e), ERR_INVALID); /* keys are case-sensitive */
    assert_int_equal(config_set(&c, "data_dir", "/x", &e), ERR_INVALID);
    assert_int_equal(config_set(&c, "nope", "1", NULL), ERR_INVALID);
    config_release(&c);
}

/* public_url ends up in HTML attributes, CSV cells and QR codes on survey letters. */
static void test_public_url(void **state)
{
    (void)state;
    struct config c;
    struct err_ctx e = {0};
    config_defaults(&c, "d");
    assert_string_equal(c.public_url, "http://localhost:8080");
    assert_int_equal(config_set(&c, "public_url", "https://enquete.regio.nl/duiding/", &e), 0);
    assert_string_equal(c.public_url, "https://enquete.regio.nl/duiding"); /* slash dropped */
    const char *bad[] = {"enquete.regio.nl",     "ftp://x.nl",          "https://",
                         "https://x.nl/a b",     "https://x.nl/\"a",    "https://x.nl/?q=1",
                         "https://x.nl/#top",    "javascript:alert(1)", "https://x.nl/<b>",
                         "https://x.nl/\xc3\xa9"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        assert_int_equal(config_set(&c, "public_url", bad[i], &e), ERR_INVALID);
        assert_string_equal(e.field, "public_url");
    }
    assert_string_equal(c.public_url, "https://enquete.regio.nl/duiding"); /* unchanged */
    config_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),    cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_file_errors), cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_set),         cmocka_unit_test(test_public_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
