/*
 * test_codelist.c: the shipped code lists (domain/codelist.c): every list present with the
 * codes of release 3.2, cross-checked against the enumerations in the official iJw/iWmo 3.2
 * Basisschema.xsd; the CBS mappings written down in docs/intake-rules.md; the temporary stop;
 * lookups with hostile arguments; the one-time load racing from several threads.
 */
#include "domain/codelist.h"
#include "core/common.h"
#include <pthread.h>
#include <setjmp.h>
#include <cmocka.h>

#define XSD_IJW  TEST_SHARED_DIR "/external/istandaarden/ijw-3.2/xsd/Basisschema.xsd"
#define XSD_IWMO TEST_SHARED_DIR "/external/istandaarden/iwmo-3.2/xsd/Basisschema.xsd"

static void *load_thread(void *arg)
{
    (void)arg;
    if (codelist_load() != 0)
        return (void *)1;
    for (int i = 0; i < 50; i++)
        if (!codelist_find("JZ588", "3.2", "31"))
            return (void *)1;
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, load_thread, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r = (void *)1;
        pthread_join(t[i], &r);
        assert_null(r);
    }
}

static void test_lists_present(void **state)
{
    (void)state;
    static const struct {
        const char *list, *release;
        size_t n;
        const char *first, *last;
    } want[] = {
        {"JZ588", "3.2", 11, "02", "39"},      {"WMO588", "3.2", 11, "02", "39"},
        {"JZ020", "3.2", 24, "31", "55"},      {"WMO020", "3.2", 18, "01", "18"},
        {"JZ002", "3.2", 14, "01", "14"},      {"WMO002", "3.2", 14, "01", "14"},
        {"COD327", "3.2", 7, "01", "08"},      {"COD046", "3.2", 3, "0", "2"},
        {"COD467", "3.2", 4, "1", "9"},        {"CBS-REDEN", "v7", 5, "01", "05"},
        {"CBS-HULPVORM", "v7", 8, "01", "14"}, {"CBS-VERWIJZER", "v7", 7, "01", "08"},
        {"CBS-ZHV", "v7", 4, "01", "04"},      {"CBS-INFORMANT", "v7", 2, "01", "02"},
    };
    assert_int_equal(codelist_load(), 0);
    assert_int_equal(codelist_load(), 0);
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        size_t n = 99;
        const struct code_entry *e = codelist_entries(want[i].list, want[i].release, &n);
        if (!e || n != want[i].n)
            fail_msg("%s-%s: %zu entries, want %zu", want[i].list, want[i].release, n, want[i].n);
        assert_string_equal(e[0].code, want[i].first);
        assert_string_equal(e[n - 1].code, want[i].last);
        for (size_t j = 0; j < n; j++) {
            assert_true(e[j].label[0] != '\0');
            if (e[j].cbs)
                assert_int_equal(strlen(e[j].cbs), 2);
        }
    }
    size_t n = 99;
    assert_null(codelist_entries("JZ588", "3.1", &n));
    assert_int_equal(n, 0);
    n = 99;
    assert_null(codelist_entries("XX999", "3.2", &n));
    assert_int_equal(n, 0);
    assert_null(codelist_entries(NULL, "3.2", &n));
    assert_null(codelist_entries("JZ588", NULL, &n));
}

/* ---- Cross-check against the XSD (real input). ---------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = malloc(4u << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (4u << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The enumeration values of simpleType `name`, in document order, joined by ','. */
static void xsd_enum(const char *xsd, const char *name, char *out, size_t outsz)
{
    char needle[96];
    snprintf(needle, sizeof needle, "<xs:simpleType name=\"%s\">", name);
    const char *p = strstr(xsd, needle);
    if (!p)
        fail_msg("simpleType %s not in the XSD", name);
    const char *end = strstr(p, "</xs:simpleType>");
    assert_non_null(end);
    size_t o = 0;
    out[0] = '\0';
    for (const char *q = strstr(p, "<xs:enumeration value=\""); q && q < end;
         q = strstr(q + 1, "<xs:enumeration value=\"")) {
        const char *v = q + strlen("<xs:enumeration value=\"");
        const char *ve = strchr(v, '"');
        assert_non_null(ve);
        int w = snprintf(out + o, outsz - o, "%s%.*s", o ? "," : "", (int)(ve - v), v);
        assert_true(w > 0 && (size_t)w < outsz - o);
        o += (size_t)w;
    }
}

static void list_codes(const char *list, char *out, size_t outsz)
{
    size_t n = 0, o = 0;
    const struct code_entry *e = codelist_entries(list, "3.2", &n);
    assert_non_null(e);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + o, outsz - o, "%s%s", o ? "," : "", e[i].code);
        assert_true(w > 0 && (size_t)w < outsz - o);
        o += (size_t)w;
    }
}

static void test_matches_xsd(void **state)
{
    (void)state;
    static const struct {
        bool wmo;
        const char *type, *list;
    } cases[] = {
        {false, "LDT_RedenBeeindiging", "JZ588"},   {true, "LDT_RedenBeeindiging", "WMO588"},
        {false, "LDT_ProductCategorie", "JZ020"},   {true, "LDT_ProductCategorie", "WMO020"},
        {false, "LDT_RedenWijziging", "JZ002"},     {true, "LDT_RedenWijziging", "WMO002"},
        {false, "LDT_TypeVerwijzer", "COD327"},     {true, "LDT_TypeVerwijzer", "COD327"},
        {false, "LDT_Geslacht", "COD046"},          {true, "LDT_Geslacht", "COD046"},
        {false, "LDT_StatusAanlevering", "COD467"}, {true, "LDT_StatusAanlevering", "COD467"},
    };
    char *ijw = slurp(XSD_IJW), *iwmo = slurp(XSD_IWMO);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char want[512], got[512];
        xsd_enum(cases[i].wmo ? iwmo : ijw, cases[i].type, want, sizeof want);
        list_codes(cases[i].list, got, sizeof got);
        if (strcmp(want, got) != 0)
            fail_msg("%s vs %s: xsd %s, list %s", cases[i].type, cases[i].list, want, got);
    }
    free(ijw);
    free(iwmo);
}

/* ---- CBS mappings. --------------------------------------------------------------------- */

static void test_cbs_reason(void **state)
{
    (void)state;
    static const struct {
        enum law law;
        const char *code, *cbs; /* NULL: no CBS reason */
    } cases[] = {
        {LAW_JW, "02", "05"},
        {LAW_JW, "20", NULL},
        {LAW_JW, "31", "01"},
        {LAW_JW, "32", "03"},
        {LAW_JW, "33", "04"},
        {LAW_JW, "34", "02"},
        {LAW_JW, "35", "05"},
        {LAW_JW, "36", NULL},
        {LAW_JW, "37", NULL},
        {LAW_JW, "38", "03"},
        {LAW_JW, "39", "01"},
        {LAW_JW, "19", NULL},
        {LAW_JW, "99", NULL},
        {LAW_JW, "", NULL},
        {LAW_JW, "3", NULL},
        {LAW_JW, "310", NULL},
        /* The pitfall: 31 is "volgens plan" in JZ588 but "verhuizing" in WMO588. */
        {LAW_WMO, "02", "05"},
        {LAW_WMO, "19", "01"},
        {LAW_WMO, "20", NULL},
        {LAW_WMO, "21", "03"},
        {LAW_WMO, "22", "04"},
        {LAW_WMO, "23", "02"},
        {LAW_WMO, "31", "05"},
        {LAW_WMO, "36", NULL},
        {LAW_WMO, "37", NULL},
        {LAW_WMO, "38", "03"},
        {LAW_WMO, "39", "01"},
        {LAW_WMO, "32", NULL},
        {LAW_WMO, "35", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *got = codelist_cbs_reason(cases[i].law, "3.2", cases[i].code);
        if (!cases[i].cbs != !got || (got && strcmp(got, cases[i].cbs) != 0))
            fail_msg("case %zu law %d code %s: got %s want %s", i, cases[i].law, cases[i].code,
                     got ? got : "NULL", cases[i].cbs ? cases[i].cbs : "NULL");
    }
    assert_null(codelist_cbs_reason(LAW_JW, "3.1", "31")); /* another release: not guessed */
    assert_null(codelist_cbs_reason(LAW_JW, NULL, "31"));
    assert_null(codelist_cbs_reason(LAW_JW, "3.2", NULL));
    assert_null(codelist_cbs_reason((enum law)7, "3.2", "31"));
}

static void test_temporary_stop(void **state)
{
    (void)state;
    assert_true(codelist_is_temporary_stop(LAW_JW, "3.2", "20"));
    assert_true(codelist_is_temporary_stop(LAW_WMO, "3.2", "20"));
    assert_false(codelist_is_temporary_stop(LAW_JW, "3.2", "31"));
    assert_false(codelist_is_temporary_stop(LAW_WMO, "3.2", "19"));
    assert_false(codelist_is_temporary_stop(LAW_JW, "3.2", "2"));
    assert_false(codelist_is_temporary_stop(LAW_JW, "3.2", "200"));
    assert_false(codelist_is_temporary_stop(LAW_JW, "9.9", "20"));
    assert_false(codelist_is_temporary_stop(LAW_JW, "3.2", NULL));
    assert_false(codelist_is_temporary_stop((enum law)0, "3.2", "20"));
}

static void test_hulpvorm(void **state)
{
    (void)state;
    static const struct {
        const char *list, *code, *cbs;
    } cases[] = {
        {"JZ020", "31", "01"}, {"JZ020", "32", "02"},  {"JZ020", "33", "03"},
        {"JZ020", "34", "04"}, {"JZ020", "35", "11"},  {"JZ020", "36", "12"},
        {"JZ020", "37", "13"}, {"JZ020", "38", "14"},  {"JZ020", "41", "03"},
        {"JZ020", "43", "14"}, {"JZ020", "44", "14"},  {"JZ020", "45", "02"},
        {"JZ020", "51", "02"}, {"JZ020", "40", NULL},  {"JZ020", "46", NULL},
        {"JZ020", "47", NULL}, {"JZ020", "48", NULL},  {"JZ020", "54", NULL},
        {"JZ020", "55", NULL}, {"WMO020", "02", NULL}, {"WMO020", "15", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct code_entry *e = codelist_find(cases[i].list, "3.2", cases[i].code);
        if (!e)
            fail_msg("%s %s missing", cases[i].list, cases[i].code);
        if (!cases[i].cbs != !e->cbs || (e->cbs && strcmp(e->cbs, cases[i].cbs) != 0))
            fail_msg("%s %s: cbs %s want %s", cases[i].list, cases[i].code,
                     e->cbs ? e->cbs : "NULL", cases[i].cbs ? cases[i].cbs : "NULL");
        if (e->cbs)
            assert_non_null(codelist_find("CBS-HULPVORM", "v7", e->cbs));
    }
    /* Every mapped end reason is a CBS reason, every referrer a CBS referrer. */
    static const char *const reason_lists[] = {"JZ588", "WMO588"};
    for (size_t l = 0; l < 2; l++) {
        size_t n = 0;
        const struct code_entry *e = codelist_entries(reason_lists[l], "3.2", &n);
        for (size_t i = 0; i < n; i++)
            if (e[i].cbs)
                assert_non_null(codelist_find("CBS-REDEN", "v7", e[i].cbs));
    }
    size_t n = 0;
    const struct code_entry *e = codelist_entries("COD327", "3.2", &n);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(e[i].cbs);
        assert_string_equal(e[i].cbs, e[i].code); /* the same codes as CBS §3.2 */
        assert_non_null(codelist_find("CBS-VERWIJZER", "v7", e[i].cbs));
    }
}

static void test_find_and_labels(void **state)
{
    (void)state;
    const struct code_entry *e = codelist_find("COD327", "3.2", "08");
    assert_non_null(e);
    /* A quoted field with commas and a non-ASCII letter survives the CSV parser. */
    assert_string_equal(e->label,
                        "Rechter, Officier van Justitie, functionaris Justitiële jeugdinrichting");
    e = codelist_find("WMO588", "3.2", "31");
    assert_non_null(e);
    assert_string_equal(e->label, "Verhuizing naar een andere gemeente");
    e = codelist_find("JZ588", "3.2", "31");
    assert_string_equal(e->label, "Levering is volgens plan beëindigd");
    e = codelist_find("CBS-ZHV", "v7", "03");
    assert_non_null(strstr(e->label, "geen verdere hulp nodig, maar"));
    assert_string_equal(codelist_find("JZ002", "3.2", "13")->label, "Verwijderd");
    assert_null(codelist_find("JZ588", "3.2", "31 "));
    assert_null(codelist_find("JZ588", "3.2", "031"));
    assert_null(codelist_find("jz588", "3.2", "31"));
    assert_null(codelist_find("JZ588", "v7", "31"));
    assert_null(codelist_find("CBS-REDEN", "3.2", "01"));
    assert_null(codelist_find("CBS", "REDEN-v7", "01")); /* name split at the last '-' only */
    assert_null(codelist_find(NULL, NULL, NULL));
    assert_string_equal(codelist_end_reason_list(LAW_JW), "JZ588");
    assert_string_equal(codelist_end_reason_list(LAW_WMO), "WMO588");
    assert_string_equal(codelist_category_list(LAW_JW), "JZ020");
    assert_string_equal(codelist_category_list(LAW_WMO), "WMO020");
    assert_null(codelist_end_reason_list((enum law)3));
    assert_null(codelist_category_list((enum law)0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads), /* first, so the threads race the one-time load */
        cmocka_unit_test(test_lists_present), cmocka_unit_test(test_matches_xsd),
        cmocka_unit_test(test_cbs_reason),    cmocka_unit_test(test_temporary_stop),
        cmocka_unit_test(test_hulpvorm),      cmocka_unit_test(test_find_and_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
