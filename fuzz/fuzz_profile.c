/*
 * fuzz_profile.c: column profiles and registration rows with hostile input. The first byte
 * picks the target:
 *   0: profile_from_json; an accepted profile must survive to_json -> from_json -> to_json
 *      unchanged, and profile_validate must not crash on it;
 *   1: registration_convert of rows (fields split at ';', rows at '\n') through a fixed
 *      profile: accepted rows have no reasons, rejected rows do, valid UTF-8 in gives valid
 *      UTF-8 reasons, and bad_col stays inside the row;
 *   2: text_fold: valid UTF-8 out, within the cap, and idempotent;
 *   3: reg_standard_code / reg_suggest_code only ever answer codes of the field's list.
 */
#include "fuzz.h"
#include "core/common.h"
#include "core/utf8.h"
#include "domain/codelist.h"
#include "ingest/profile.h"
#include "ingest/registration.h"
#include "ingest/text_fold.h"

#define MAX_FIELDS 16

static void fuzz_json(const char *s, size_t n)
{
    char *text = malloc(n + 1);
    struct arena *a = arena_new(0);
    struct mapping_profile p, q;
    struct err_ctx e = {0};
    struct buf j1, j2;
    memcpy(text, s, n);
    text[n] = '\0';
    buf_init(&j1, BUF_MAX_PAGE);
    buf_init(&j2, BUF_MAX_PAGE);
    if (profile_from_json(text, a, &p, &e) == 0) {
        (void)profile_validate(&p, &e);
        FUZZ_CHECK(profile_to_json(&p, &j1) == 0);
        FUZZ_CHECK(profile_from_json(buf_cstr(&j1), a, &q, &e) == 0);
        FUZZ_CHECK(profile_to_json(&q, &j2) == 0);
        FUZZ_CHECK(strcmp(buf_cstr(&j1), buf_cstr(&j2)) == 0);
    }
    buf_release(&j1);
    buf_release(&j2);
    arena_free(a);
    free(text);
}

static const char profile_json[] =
    "{\"versie\":1,\"wet\":\"jeugdwet\",\"kopregel\":1,"
    "\"kolommen\":{\"bsn\":\"a\",\"clientsleutel\":\"b\",\"gemeente\":\"c\",\"hulpvorm\":\"d\","
    "\"startdatum\":\"e\",\"einddatum\":\"f\",\"reden\":\"g\",\"tevredenheid\":\"h\","
    "\"doelrealisatie\":\"i\",\"geboortedatum\":\"j\",\"leeftijd\":\"k\",\"geslacht\":\"l\","
    "\"postcode\":\"m\",\"productcode\":\"n\"},"
    "\"waarden\":[{\"veld\":\"hulpvorm\",\"van\":\"Ambulant\",\"naar\":\"02\"}]}";

static void fuzz_rows(const char *s, size_t n)
{
    static struct pseudonymiser *ps;
    static const unsigned char key[KEY_FILE_BYTES] = {1};
    struct arena *a = arena_new(0);
    struct mapping_profile p;
    struct reg_binding b;
    struct err_ctx e = {0};
    struct buf reasons;
    if (!ps)
        FUZZ_CHECK(pseudonymiser_from_key(key, &ps) == 0);
    FUZZ_CHECK(profile_from_json(profile_json, a, &p, &e) == 0);
    static const char *const hdr[] = {"a", "b", "c", "d", "e", "f", "g",
                                      "h", "i", "j", "k", "l", "m", "n"};
    size_t lens[MAX_FIELDS];
    const char *fields[MAX_FIELDS];
    for (size_t i = 0; i < ARRAY_LEN(hdr); i++) {
        fields[i] = hdr[i];
        lens[i] = 1;
    }
    struct table_row h = {
        .fields = fields, .lens = lens, .nfields = (int)ARRAY_LEN(hdr), .record = 1, .line = 1};
    FUZZ_CHECK(registration_bind(&p, &h, &b, &e) == 0);
    buf_init(&reasons, 64 * 1024);
    size_t at = 0;
    while (at <= n) {
        const char *line = s + at;
        const char *nl = memchr(line, '\n', n - at);
        size_t len = nl ? (size_t)(nl - line) : n - at;
        char *copy = arena_strndup(a, line, len);
        int nf = 0;
        char *f = copy;
        bool utf8 = true;
        while (nf < MAX_FIELDS) {
            char *semi = strchr(f, ';');
            if (semi)
                *semi = '\0';
            fields[nf] = f;
            lens[nf] = strlen(f);
            utf8 = utf8 && utf8_valid(f, lens[nf], NULL);
            nf++;
            if (!semi)
                break;
            f = semi + 1;
        }
        struct table_row row = {
            .fields = fields, .lens = lens, .nfields = nf, .record = 2, .line = 2};
        struct reg_result res;
        enum reg_outcome o = registration_convert(&b, ps, "12345678", &row, &res, &reasons);
        if (o == REG_ACCEPTED) {
            FUZZ_CHECK(reasons.len == 0);
            FUZZ_CHECK(strlen(res.fact.gemeente) == 4);
            FUZZ_CHECK(res.fact.start != DAY_NONE);
            FUZZ_CHECK(res.fact.end == DAY_NONE || res.fact.end >= res.fact.start);
            FUZZ_CHECK(res.fact.satisfaction >= 0 && res.fact.satisfaction <= 10);
            FUZZ_CHECK(res.fact.goal_realisation >= -1 && res.fact.goal_realisation <= 100);
            FUZZ_CHECK(res.fact.age >= -1 && res.fact.age <= 120);
        } else if (o == REG_REJECTED) {
            FUZZ_CHECK(reasons.len > 0);
            FUZZ_CHECK(res.bad_col >= 0 && res.bad_col <= (nf > b.ncols ? nf : b.ncols));
            if (utf8)
                FUZZ_CHECK(utf8_valid(reasons.p, reasons.len, NULL));
        }
        if (!nl)
            break;
        at += len + 1;
    }
    buf_release(&reasons);
    arena_free(a);
}

static void fuzz_fold(const char *s, size_t n)
{
    char out[TEXT_FOLD_MAX], again[TEXT_FOLD_MAX];
    size_t len = text_fold(s, n, out, sizeof out);
    FUZZ_CHECK(len < sizeof out && strlen(out) == len);
    FUZZ_CHECK(utf8_valid(out, len, NULL));
    size_t len2 = text_fold(out, len, again, sizeof again);
    FUZZ_CHECK(len2 == len && memcmp(out, again, len) == 0);
    FUZZ_CHECK(text_fold_eq(s, n, out, len));
}

static void fuzz_codes(const char *s, size_t n)
{
    FUZZ_CHECK(codelist_load() == 0);
    for (int f = 0; f < RF_COUNT; f++)
        for (int law = LAW_JW; law <= LAW_WMO; law++) {
            const char *list, *release;
            if (!reg_field_codelist((enum reg_field)f, (enum law)law, &list, &release))
                continue;
            const char *c1 = reg_standard_code((enum reg_field)f, (enum law)law, s, n);
            const char *c2 = reg_suggest_code((enum reg_field)f, (enum law)law, s, n);
            FUZZ_CHECK(!c1 || codelist_find(list, release, c1));
            FUZZ_CHECK(!c2 || codelist_find(list, release, c2));
            FUZZ_CHECK(!c1 || (c2 && strcmp(c1, c2) == 0));
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0:
        fuzz_json(s, n);
        break;
    case 1:
        fuzz_rows(s, n);
        break;
    case 2:
        fuzz_fold(s, n);
        break;
    default:
        fuzz_codes(s, n);
        break;
    }
    return 0;
}
