/*
 * test_pseudonym.c: the BSN check (elfproef, 8-digit numbers, placeholders, the test range)
 * and keyed pseudonyms (ingest/pseudonym.c): deterministic per key, different per key, and
 * BSN and client-key pseudonyms in separate domains. The key file loader refuses wrong sizes.
 */
#include "ingest/pseudonym.h"
#include "core/common.h"
#include <fcntl.h>
#include <setjmp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static enum bsn_check check(const char *s, char norm[10])
{
    return bsn_check(s, strlen(s), norm);
}

static void test_elfproef(void **state)
{
    (void)state;
    char n[10];
    /* Known good: the sample messages' test BSN and numbers that pass the 11-check. */
    assert_int_equal(check("999900006", n), BSN_OK);
    assert_string_equal(n, "999900006");
    assert_int_equal(check("111222333", n), BSN_OK);
    assert_int_equal(check("123456782", n), BSN_OK);
    assert_int_equal(check(" 123456782\t", n), BSN_OK); /* surrounding space allowed */
    assert_string_equal(n, "123456782");
    /* One digit off fails. */
    assert_int_equal(check("123456789", n), BSN_ELFPROEF);
    assert_int_equal(check("999900007", n), BSN_ELFPROEF);
    assert_int_equal(check("111222334", n), BSN_ELFPROEF);
    /* Not 9 digits. */
    assert_int_equal(check("", n), BSN_NOT_9_DIGITS);
    assert_int_equal(check("1234567", n), BSN_NOT_9_DIGITS);
    assert_int_equal(check("1234567890", n), BSN_NOT_9_DIGITS);
    assert_int_equal(check("12345678a", n), BSN_NOT_9_DIGITS);
    assert_int_equal(check("123 456 782", n), BSN_NOT_9_DIGITS);
    assert_int_equal(check("-12345678", n), BSN_NOT_9_DIGITS);
    assert_int_equal(bsn_check(NULL, 0, n), BSN_NOT_9_DIGITS);
    /* Embedded NUL: the length counts, not the terminator. */
    assert_int_equal(bsn_check("12345\0782", 9, n), BSN_NOT_9_DIGITS);
    /* Placeholders: unknown person and unborn child. */
    assert_int_equal(check("999999999", n), BSN_PLACEHOLDER);
    assert_int_equal(check("000000000", n), BSN_PLACEHOLDER);
    assert_int_equal(check("00000000", n), BSN_PLACEHOLDER);
    /* Every reason is a plain Dutch sentence. */
    assert_non_null(strstr(bsn_check_reason(BSN_ELFPROEF), "elfproef"));
    assert_non_null(strstr(bsn_check_reason(BSN_NOT_9_DIGITS), "9 cijfers"));
    assert_true(strlen(bsn_check_reason(BSN_PLACEHOLDER)) > 10);
}

static void test_eight_digits(void **state)
{
    (void)state;
    char n[10];
    /* 012345672 passes the 11-check; a spreadsheet shows it as 12345672. */
    assert_int_equal(check("12345672", n), BSN_OK);
    assert_string_equal(n, "012345672");
    assert_int_equal(check("012345672", n), BSN_OK);
    assert_int_equal(check("12345673", n), BSN_ELFPROEF);
}

static void test_test_range(void **state)
{
    (void)state;
    char n[10];
    assert_int_equal(check("999900006", n), BSN_OK);
    assert_true(bsn_is_test(n));
    /* 999999990: 9*(9+8+7+6+5+4+3+2) - 0 = 396 = 36 * 11. */
    assert_int_equal(check("999999990", n), BSN_OK);
    assert_true(bsn_is_test(n));
    assert_int_equal(check("111222333", n), BSN_OK);
    assert_false(bsn_is_test(n));
    /* Just outside the range (whether or not they pass the 11-check). */
    assert_false(bsn_is_test("999899999"));
    assert_false(bsn_is_test("999900005"));
    assert_false(bsn_is_test("999999991"));
}

static void test_pseudonyms(void **state)
{
    (void)state;
    unsigned char k1[KEY_FILE_BYTES], k2[KEY_FILE_BYTES];
    unsigned char a[PSEUDONYM_BYTES], b[PSEUDONYM_BYTES], c[PSEUDONYM_BYTES];
    struct pseudonymiser *p1 = NULL, *p1b = NULL, *p2 = NULL;
    memset(k1, 0x11, sizeof k1);
    memset(k2, 0x11, sizeof k2);
    k2[31] = 0x12; /* one bit of key differs */
    assert_int_equal(pseudonymiser_from_key(k1, &p1), 0);
    assert_int_equal(pseudonymiser_from_key(k1, &p1b), 0);
    assert_int_equal(pseudonymiser_from_key(k2, &p2), 0);

    /* Deterministic for one key, also across instances. */
    pseudonym_of_bsn(p1, "999900006", a);
    pseudonym_of_bsn(p1b, "999900006", b);
    assert_memory_equal(a, b, PSEUDONYM_BYTES);
    /* Another BSN, another pseudonym. */
    pseudonym_of_bsn(p1, "111222333", c);
    assert_memory_not_equal(a, c, PSEUDONYM_BYTES);
    /* Another key, another pseudonym. */
    pseudonym_of_bsn(p2, "999900006", c);
    assert_memory_not_equal(a, c, PSEUDONYM_BYTES);

    /* The pseudonym is not the plain SHA-256 or HMAC of the BSN with the raw key. */
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)"999900006", 9);
    assert_memory_not_equal(a, h, PSEUDONYM_BYTES);
    crypto_auth_hmacsha256(h, (const unsigned char *)"bsn:v1:999900006", 16, k1);
    assert_memory_not_equal(a, h, PSEUDONYM_BYTES);

    /* Domain separation: a client key equal to a BSN never gives the BSN's pseudonym, and the
     * same key of two aanbieders gives two pseudonyms. */
    pseudonym_of_client_key(p1, "12345678", "999900006", 9, b);
    assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
    pseudonym_of_client_key(p1, "87654321", "999900006", 9, c);
    assert_memory_not_equal(b, c, PSEUDONYM_BYTES);
    pseudonym_of_client_key(p1, "12345678", "999900006", 9, c);
    assert_memory_equal(b, c, PSEUDONYM_BYTES);
    /* The key's bytes count exactly: a trailing space is another client. */
    pseudonym_of_client_key(p1, "12345678", "x", 1, b);
    pseudonym_of_client_key(p1, "12345678", "x ", 2, c);
    assert_memory_not_equal(b, c, PSEUDONYM_BYTES);

    pseudonymiser_free(p1);
    pseudonymiser_free(p1b);
    pseudonymiser_free(p2);
    pseudonymiser_free(NULL);
}

static void write_file(const char *path, const void *p, size_t n, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, p, n), (ssize_t)n);
    close(fd);
    chmod(path, mode);
}

static void test_key_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/duiding-test-pseudonym-XXXXXX";
    char path[128];
    unsigned char key[KEY_FILE_BYTES + 1];
    unsigned char a[PSEUDONYM_BYTES], b[PSEUDONYM_BYTES];
    struct pseudonymiser *p = NULL, *q = NULL;
    struct err_ctx e = {0};
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/pseudonym.key", dir);
    randombytes_buf(key, sizeof key);

    /* Missing file. */
    assert_int_equal(pseudonymiser_open(path, &p, &e), ERR_IO);
    assert_non_null(strstr(e.msg, "pseudonym.key"));
    /* Wrong sizes. */
    write_file(path, key, 31, 0600);
    assert_int_equal(pseudonymiser_open(path, &p, &e), ERR_IO);
    write_file(path, key, 33, 0600);
    assert_int_equal(pseudonymiser_open(path, &p, &e), ERR_IO);
    write_file(path, key, 0, 0600);
    assert_int_equal(pseudonymiser_open(path, &p, &e), ERR_IO);
    /* Exactly 32 bytes: the same pseudonyms as from the bytes themselves. */
    write_file(path, key, KEY_FILE_BYTES, 0600);
    assert_int_equal(pseudonymiser_open(path, &p, &e), 0);
    assert_int_equal(pseudonymiser_from_key(key, &q), 0);
    pseudonym_of_bsn(p, "123456782", a);
    pseudonym_of_bsn(q, "123456782", b);
    assert_memory_equal(a, b, PSEUDONYM_BYTES);
    pseudonymiser_free(p);
    pseudonymiser_free(q);
    /* A readable-by-all key still loads (with a warning in the log). */
    write_file(path, key, KEY_FILE_BYTES, 0644);
    assert_int_equal(pseudonymiser_open(path, &p, &e), 0);
    pseudonymiser_free(p);
    /* A directory is not a key file. */
    assert_int_equal(pseudonymiser_open(dir, &p, &e), ERR_IO);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elfproef),   cmocka_unit_test(test_eight_digits),
        cmocka_unit_test(test_test_range), cmocka_unit_test(test_pseudonyms),
        cmocka_unit_test(test_key_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
