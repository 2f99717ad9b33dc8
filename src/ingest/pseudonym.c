/*
 * pseudonym.c: the BSN check (elfproef) and keyed pseudonyms. The deployment key (32 bytes,
 * written by `duiding init`) never leaves this file: a subkey is derived from it once, kept in
 * guarded, read-only libsodium memory together with the prepared HMAC state, and wiped on free.
 *
 *   subkey             = HMAC-SHA-256(key, "duiding-pseudonym-v1")
 *   pseudonym(BSN)     = HMAC-SHA-256(subkey, "bsn:v1:" || 9 digits)
 *   pseudonym(client)  = HMAC-SHA-256(subkey, "client:v1:" || AGB || ":" || client key)
 *
 * The two message prefixes keep the domains apart: a provider's client key can never produce
 * the pseudonym of a BSN, nor collide with one of another provider.
 */
#include "ingest/pseudonym.h"
#include "core/common.h"
#include "core/log.h"
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUBKEY_LABEL "duiding-pseudonym-v1"
#define BSN_PREFIX   "bsn:v1:"
#define KEY_PREFIX   "client:v1:"

/* Owned by: whoever called pseudonymiser_open/_from_key; freed with pseudonymiser_free. */
struct pseudonymiser {
    /* sodium_malloc'd, read-only after set-up: the HMAC state with the subkey already mixed in
     * (copied per call, so concurrent callers never share mutable state). */
    crypto_auth_hmacsha256_state *keyed;
};

/* ---- BSN. ------------------------------------------------------------------------------------ */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

enum bsn_check bsn_check(const char *s, size_t len, char norm[static 10])
{
    norm[0] = '\0';
    if (!s)
        return BSN_NOT_9_DIGITS;
    while (len > 0 && is_space(s[0]))
        s++, len--;
    while (len > 0 && is_space(s[len - 1]))
        len--;
    if (len != 8 && len != 9)
        return BSN_NOT_9_DIGITS;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return BSN_NOT_9_DIGITS;
    char d[10];
    size_t at = 0;
    if (len == 8)
        d[at++] = '0'; /* spreadsheets drop the leading zero */
    memcpy(d + at, s, len);
    d[9] = '\0';
    if (strcmp(d, "999999999") == 0 || strcmp(d, "000000000") == 0)
        return BSN_PLACEHOLDER;
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (d[i] - '0') * (9 - i);
    sum -= d[8] - '0';
    if (sum % 11 != 0)
        return BSN_ELFPROEF;
    memcpy(norm, d, 10);
    return BSN_OK;
}

bool bsn_is_test(const char norm[static 10])
{
    return strcmp(norm, "999900006") >= 0 && strcmp(norm, "999999990") <= 0;
}

const char *bsn_check_reason(enum bsn_check c)
{
    switch (c) {
    case BSN_OK:
        return N_("BSN is in orde");
    case BSN_NOT_9_DIGITS:
        return N_("BSN bestaat niet uit 9 cijfers");
    case BSN_ELFPROEF:
        return N_("BSN voldoet niet aan de elfproef");
    case BSN_PLACEHOLDER:
        return N_("BSN is onbekend (999999999) of van een ongeboren kind (000000000): de "
                  "cliënt is niet te koppelen");
    }
    return N_("BSN is ongeldig");
}

/* ---- Key and subkey. ------------------------------------------------------------------------- */

int pseudonymiser_from_key(const unsigned char key[KEY_FILE_BYTES], struct pseudonymiser **out)
{
    unsigned char subkey[crypto_auth_hmacsha256_BYTES];
    struct pseudonymiser *p = NULL;

    if (sodium_init() < 0)
        return ERR_INTERNAL;
    p = calloc(1, sizeof *p);
    if (!p)
        return ERR_NOMEM;
    p->keyed = sodium_malloc(sizeof *p->keyed);
    if (!p->keyed) {
        free(p);
        return ERR_NOMEM;
    }
    crypto_auth_hmacsha256(subkey, (const unsigned char *)SUBKEY_LABEL, strlen(SUBKEY_LABEL), key);
    crypto_auth_hmacsha256_init(p->keyed, subkey, sizeof subkey);
    sodium_memzero(subkey, sizeof subkey);
    sodium_mprotect_readonly(p->keyed);
    *out = p;
    return 0;
}

int pseudonymiser_open(const char *key_path, struct pseudonymiser **out, struct err_ctx *e)
{
    unsigned char key[KEY_FILE_BYTES + 1];
    struct stat st;
    int ret = 0;
    int fd = key_path ? open(key_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;

    if (fd < 0)
        return err_set(e, ERR_IO, "key", "cannot open key file %s: %s",
                       key_path ? key_path : "(none)", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ret = err_set(e, ERR_IO, "key", "key file %s is not a regular file", key_path);
        goto out;
    }
    if (st.st_size != KEY_FILE_BYTES) {
        ret = err_set(e, ERR_IO, "key", "key file %s holds %lld bytes, expected %d", key_path,
                      (long long)st.st_size, KEY_FILE_BYTES);
        goto out;
    }
    if (st.st_mode & 0077) {
        char mode[8];
        snprintf(mode, sizeof mode, "%04o", (unsigned)(st.st_mode & 07777));
        log_warn("pseudonym.key_mode", "path", key_path, "mode", mode, "msg",
                 "key file is readable by others than its owner; chmod 600 it", NULL);
    }
    /* Read one byte more than expected: a file that grew between fstat and read is refused. */
    size_t got = 0;
    while (got < sizeof key) {
        ssize_t n = read(fd, key + got, sizeof key - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret =
                err_set(e, ERR_IO, "key", "cannot read key file %s: %s", key_path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got != KEY_FILE_BYTES) {
        ret = err_set(e, ERR_IO, "key", "key file %s does not hold exactly %d bytes", key_path,
                      KEY_FILE_BYTES);
        goto out;
    }
    ret = pseudonymiser_from_key(key, out);
    if (ret)
        err_set(e, ret, "key", "cannot set up the pseudonymiser");
out:
    sodium_memzero(key, sizeof key);
    close(fd);
    return ret;
}

void pseudonymiser_free(struct pseudonymiser *p)
{
    if (!p)
        return;
    sodium_free(p->keyed); /* wipes the memory before releasing it */
    free(p);
}

/* ---- Pseudonyms. ----------------------------------------------------------------------------- */

void pseudonym_of_bsn(const struct pseudonymiser *p, const char norm[static 10],
                      unsigned char out[PSEUDONYM_BYTES])
{
    crypto_auth_hmacsha256_state st = *p->keyed;
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)BSN_PREFIX, strlen(BSN_PREFIX));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)norm, 9);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

void pseudonym_of_client_key(const struct pseudonymiser *p, const char agb[static 9],
                             const char *key, size_t len, unsigned char out[PSEUDONYM_BYTES])
{
    crypto_auth_hmacsha256_state st = *p->keyed;
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)KEY_PREFIX, strlen(KEY_PREFIX));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)agb, strnlen(agb, 8));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)":", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)key, len);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}
