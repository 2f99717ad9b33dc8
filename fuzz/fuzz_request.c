/*
 * fuzz_request.c: the request input helpers of web/request.c on arbitrary bytes: the upload
 * file name sanitiser (result valid UTF-8, no control, separator or bidi-override character,
 * at most HTTP_UPLOAD_NAME_MAX bytes, never "." or "..", and sanitising again changes nothing)
 * and the urlencoded parser (every field it accepts is valid UTF-8 without NUL).
 */
#include "fuzz.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/utf8.h"
#include "web/http.h"

static bool has_bidi_override(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        const unsigned char *p = (const unsigned char *)s + i;
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
            return true;
        if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(0);
    const char *in = (const char *)data;

    const char *name = http_sanitize_file_name(a, in, size);
    size_t n = strlen(name);
    FUZZ_CHECK(n <= HTTP_UPLOAD_NAME_MAX);
    FUZZ_CHECK(utf8_valid(name, n, NULL));
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '/' && c != '\\');
        FUZZ_CHECK(!(c == 0xC2 && i + 1 < n && (unsigned char)name[i + 1] < 0xA0));
    }
    FUZZ_CHECK(!has_bidi_override(name, n));
    FUZZ_CHECK(strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
    FUZZ_CHECK(n == 0 || (name[0] != ' ' && name[n - 1] != ' '));
    FUZZ_CHECK(strcmp(http_sanitize_file_name(a, name, n), name) == 0);

    struct http_kv *kv = NULL;
    int count = 0;
    if (http_parse_urlencoded(a, in, size, &kv, &count) == 0) {
        FUZZ_CHECK(count >= 0 && count <= HTTP_MAX_FIELDS);
        for (int i = 0; i < count; i++) {
            FUZZ_CHECK(utf8_valid(kv[i].key, strlen(kv[i].key), NULL));
            FUZZ_CHECK(strlen(kv[i].value) == kv[i].value_len);
            FUZZ_CHECK(kv[i].value_len <= HTTP_MAX_FIELD_LEN);
            FUZZ_CHECK(utf8_valid(kv[i].value, kv[i].value_len, NULL));
        }
    }
    arena_free(a);
    return 0;
}
