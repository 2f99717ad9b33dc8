/*
 * test_profile.c: column-mapping profiles (ingest/profile.c, store/profile_store.c): the JSON
 * form (round trip, strict parsing), validation naming the form field, the preview of real
 * messy exports (title rows, Windows-1252, XLSX), header-row detection, column and value-map
 * suggestions, and stored profiles with the policy (kwaliteit of the owning aanbieder),
 * optimistic locking and audit.
 */
#include "ingest/profile.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/codelist.h"
#include "domain/org.h"
#include "domain/user.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define DATA(f) TEST_SOURCE_DIR "/tests/data/intake/" f
#define PW      "correct-horse-battery"

/* A complete, valid Jeugdwet profile (arena strings not needed: literals live forever). */
static struct mapping_profile sample_profile(void)
{
    static struct value_map values[] = {
        {RF_REASON, "Afgerond volgens plan", "01"},
        {RF_HULPVORM, "Ambulant", "02"},
        {RF_INFORMANT, "Ouder", "02"},
    };
    struct mapping_profile p = {
        .name = "Export Zorgboog",
        .law = LAW_JW,
        .delimiter = ';',
        .header_row = 3,
        .values = values,
        .nvalues = (int)ARRAY_LEN(values),
    };
    p.columns[RF_CLIENT_BSN] = "BSN";
    p.columns[RF_GEMEENTE] = "Woongemeente";
    p.columns[RF_HULPVORM] = "Soort hulp";
    p.columns[RF_START] = "Datum aanvang";
    p.columns[RF_END] = "Datum einde";
    p.columns[RF_REASON] = "Reden beëindiging";
    p.columns[RF_INFORMANT] = "Informant";
    return p;
}

/* ---- JSON. ----------------------------------------------------------------------------------- */

static void test_json_round_trip(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct mapping_profile p = sample_profile(), q;
    struct buf j1, j2;
    struct err_ctx e = {0};
    buf_init(&j1, BUF_MAX_SMALL);
    buf_init(&j2, BUF_MAX_SMALL);
    assert_int_equal(profile_to_json(&p, &j1), 0);
    assert_non_null(strstr(buf_cstr(&j1), "\"versie\":1"));
    assert_non_null(strstr(buf_cstr(&j1), "\"scheidingsteken\":\";\""));
    assert_int_equal(profile_from_json(buf_cstr(&j1), a, &q, &e), 0);
    assert_string_equal(q.name, p.name);
    assert_int_equal(q.law, LAW_JW);
    assert_int_equal(q.delimiter, ';');
    assert_int_equal(q.header_row, 3);
    for (int f = 0; f < RF_COUNT; f++) {
        if (p.columns[f])
            assert_string_equal(q.columns[f], p.columns[f]);
        else
            assert_null(q.columns[f]);
    }
    assert_int_equal(q.nvalues, p.nvalues);
    for (int i = 0; i < p.nvalues; i++) {
        assert_int_equal(q.values[i].field, p.values[i].field);
        assert_string_equal(q.values[i].from, p.values[i].from);
        assert_string_equal(q.values[i].to, p.values[i].to);
    }
    assert_int_equal(profile_to_json(&q, &j2), 0);
    assert_string_equal(buf_cstr(&j1), buf_cstr(&j2));

    /* Tab delimiter and the Wmo survive as well; no delimiter means "sniff". */
    q.delimiter = '\t';
    q.law = LAW_WMO;
    buf_reset(&j2);
    assert_int_equal(profile_to_json(&q, &j2), 0);
    struct mapping_profile r;
    assert_int_equal(profile_from_json(buf_cstr(&j2), a, &r, &e), 0);
    assert_int_equal(r.delimiter, '\t');
    assert_int_equal(r.law, LAW_WMO);
    q.delimiter = 0;
    buf_reset(&j2);
    assert_int_equal(profile_to_json(&q, &j2), 0);
    assert_null(strstr(buf_cstr(&j2), "scheidingsteken"));
    assert_int_equal(profile_from_json(buf_cstr(&j2), a, &r, &e), 0);
    assert_int_equal(r.delimiter, 0);
    buf_release(&j1);
    buf_release(&j2);
    arena_free(a);
}

static void test_json_strict(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *why; /* a piece of the message */
    } bad[] = {
        {"", "JSON"},
        {"[]", "object"},
        {"{\"versie\":1,\"wet\":\"jeugdwet\",\"kopregel\":1,\"extra\":true}", "extra"},
        {"{\"versie\":2,\"wet\":\"jeugdwet\",\"kopregel\":1}", "versie"},
        {"{\"versie\":1,\"versie\":1,\"wet\":\"jeugdwet\",\"kopregel\":1}", "JSON"},
        {"{\"wet\":\"jeugdwet\",\"kopregel\":1}", "verplicht"},
        {"{\"versie\":1,\"kopregel\":1}", "verplicht"},
        {"{\"versie\":1,\"wet\":\"jeugdzorg\",\"kopregel\":1}", "wet"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":0}", "kopregel"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":51}", "kopregel"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":\"3\"}", "kopregel"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"scheidingsteken\":\"|\"}",
         "scheidingsteken"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"kolommen\":{\"bsnn\":\"BSN\"}}", "bsnn"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"kolommen\":{\"bsn\":1}}", "tekst"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"kolommen\":[]}", "kolommen"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"waarden\":[{\"veld\":\"reden\","
         "\"van\":\"x\",\"naar\":\"01\",\"door\":\"y\"}]}",
         "door"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"waarden\":[{\"veld\":\"reden\","
         "\"van\":\"x\"}]}",
         "naar"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"waarden\":[{\"veld\":\"kleur\","
         "\"van\":\"x\",\"naar\":\"01\"}]}",
         "onbekend"},
        {"{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,\"kolommen\":{\"bsn\":\"a\\u0000b\"}}",
         "JSON"}, /* jansson refuses NUL itself */
    };
    struct arena *a = arena_new(0);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct mapping_profile p;
        struct err_ctx e = {0};
        int rc = profile_from_json(bad[i].json, a, &p, &e);
        if (rc != ERR_INVALID)
            fail_msg("case %zu (%s): %s", i, bad[i].json, err_name(rc));
        if (!strstr(e.msg, bad[i].why))
            fail_msg("case %zu: message '%s' does not mention '%s'", i, e.msg, bad[i].why);
        assert_string_equal(e.field, "definitie");
    }
    /* The smallest valid profile. */
    struct mapping_profile p;
    struct err_ctx e = {0};
    assert_int_equal(profile_from_json("{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":2}", a, &p, &e),
                     0);
    assert_int_equal(p.law, LAW_WMO);
    assert_int_equal(p.header_row, 2);
    assert_int_equal(p.nvalues, 0);
    arena_free(a);
}

/* ---- Validation. ----------------------------------------------------------------------------- */

static void expect_invalid(const struct mapping_profile *p, const char *field, const char *text)
{
    struct err_ctx e = {0};
    int rc = profile_validate(p, &e);
    if (rc != ERR_INVALID)
        fail_msg("expected invalid %s, got %s", field, err_name(rc));
    if (!e.field || strcmp(e.field, field) != 0)
        fail_msg("expected field %s, got %s (%s)", field, e.field ? e.field : "NULL", e.msg);
    if (text && !strstr(e.msg, text))
        fail_msg("message '%s' does not mention '%s'", e.msg, text);
}

static void test_validate(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct mapping_profile p = sample_profile();
    assert_int_equal(profile_validate(&p, &e), 0);

    p.name = "  ";
    expect_invalid(&p, "naam", "naam");
    p.name = "met\nregeleinde";
    expect_invalid(&p, "naam", NULL);
    p = sample_profile();
    p.law = 0;
    expect_invalid(&p, "wet", NULL);
    p = sample_profile();
    p.header_row = 0;
    expect_invalid(&p, "kopregel", NULL);
    p = sample_profile();
    p.delimiter = '|';
    expect_invalid(&p, "scheidingsteken", NULL);

    /* Required columns, each named by its form field. */
    p = sample_profile();
    p.columns[RF_CLIENT_BSN] = NULL;
    expect_invalid(&p, "kolom_bsn", "BSN");
    p.columns[RF_CLIENT_KEY] = "Cliëntnummer"; /* a client key will do instead */
    assert_int_equal(profile_validate(&p, &e), 0);
    p = sample_profile();
    p.columns[RF_START] = NULL;
    expect_invalid(&p, "kolom_startdatum", "Startdatum");
    p = sample_profile();
    p.columns[RF_GEMEENTE] = NULL;
    expect_invalid(&p, "kolom_gemeente", NULL);
    p = sample_profile();
    p.columns[RF_HULPVORM] = NULL;
    expect_invalid(&p, "kolom_hulpvorm", NULL);
    p = sample_profile();
    p.columns[RF_END] = " ";
    expect_invalid(&p, "kolom_einddatum", NULL);

    /* One column for two fields, even when spelled differently. */
    p = sample_profile();
    p.columns[RF_END] = "datum_AANVANG";
    expect_invalid(&p, "kolom_einddatum", "Startdatum");

    /* Value maps: targets from the field's list (per law), only for coded fields. */
    static struct value_map bad_target[] = {{RF_REASON, "Verhuisd", "09"}};
    p = sample_profile();
    p.values = bad_target;
    p.nvalues = 1;
    expect_invalid(&p, "waarden_reden", "CBS-REDEN");
    static struct value_map wmo_target[] = {{RF_HULPVORM, "Begeleiding", "15"}};
    p.values = wmo_target;
    expect_invalid(&p, "waarden_hulpvorm", "CBS-HULPVORM"); /* 15 is no Jeugdwet hulpvorm */
    p.law = LAW_WMO;
    assert_int_equal(profile_validate(&p, &e), 0); /* but a Wmo category */
    static struct value_map free_field[] = {{RF_START, "gisteren", "01"}};
    p.values = free_field;
    expect_invalid(&p, "waarden", NULL);
    static struct value_map twice[] = {{RF_REASON, "Afgerond", "01"},
                                       {RF_REASON, "AFGEROND ", "02"}};
    p = sample_profile();
    p.values = twice;
    p.nvalues = 2;
    expect_invalid(&p, "waarden_reden", "twee keer");
    static struct value_map empty_from[] = {{RF_REASON, " ", "01"}};
    p.values = empty_from;
    p.nvalues = 1;
    expect_invalid(&p, "waarden_reden", NULL);
}

/* ---- Codes. ---------------------------------------------------------------------------------- */

static void test_codes(void **state)
{
    (void)state;
    static const struct {
        enum reg_field f;
        enum law law;
        const char *value;
        const char *standard; /* reg_standard_code */
        const char *suggest;  /* reg_suggest_code */
    } cases[] = {
        {RF_REASON, LAW_JW, "01", "01", "01"},
        {RF_REASON, LAW_JW, " 1 ", "01", "01"},
        {RF_REASON, LAW_JW, "06", NULL, NULL},
        {RF_REASON, LAW_JW, "Afgerond volgens plan", NULL, "01"},
        {RF_REASON, LAW_JW, "Voortijdig afgesloten: eenzijdig door de cliënt", NULL, "03"},
        {RF_REASON, LAW_JW, "VOORTIJDIG AFGESLOTEN - EENZIJDIG DOOR DE CLIENT", NULL, "03"},
        {RF_REASON, LAW_JW, "Gestopt door cliënt", NULL, "03"},
        {RF_REASON, LAW_JW, "Verhuisd naar buitenland", NULL, "05"},
        {RF_REASON, LAW_JW, "Voortijdig afgesloten", NULL, NULL}, /* 02-05 alike: no guess */
        {RF_REASON, LAW_JW, "3. Voortijdig, eenzijdig", NULL, "03"},
        {RF_HULPVORM, LAW_JW, "Ambulant", NULL, "02"},
        {RF_HULPVORM, LAW_JW, "2", "02", "02"},
        {RF_HULPVORM, LAW_JW, "Pleegzorg", NULL, "11"},
        {RF_HULPVORM, LAW_JW, "Yoga", NULL, NULL},
        {RF_HULPVORM, LAW_WMO, "Begeleiding", NULL, "02"},
        {RF_HULPVORM, LAW_WMO, "Begeleiding individueel", NULL, "02"},
        {RF_HULPVORM, LAW_WMO, "15", "15", "15"},
        {RF_HULPVORM, LAW_JW, "15", NULL, NULL},
        {RF_REFERRER, LAW_JW, "Huisarts", NULL, "02"},
        {RF_REFERRER, LAW_JW, "Gemeentelijke toegang", NULL, "01"},
        {RF_ZONDER_HULP, LAW_JW, "Nu geen hulp, later misschien wel", NULL, "03"},
        {RF_ZONDER_HULP, LAW_JW, "Ik heb geen verdere hulp meer nodig", NULL, "04"},
        {RF_INFORMANT, LAW_JW, "Ouder", NULL, "02"},
        {RF_INFORMANT, LAW_JW, "Jeugdige", NULL, "01"},
        {RF_GENDER, LAW_JW, "V", "2", "2"},
        {RF_GENDER, LAW_JW, "man", "1", "1"},
        {RF_GENDER, LAW_JW, "0", "0", "0"},
        {RF_GENDER, LAW_JW, "x", NULL, NULL},
        {RF_START, LAW_JW, "01", NULL, NULL}, /* a free field has no codes */
    };
    assert_int_equal(codelist_load(), 0);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *v = cases[i].value;
        const char *s = reg_standard_code(cases[i].f, cases[i].law, v, strlen(v));
        const char *g = reg_suggest_code(cases[i].f, cases[i].law, v, strlen(v));
        if ((s == NULL) != (cases[i].standard == NULL) || (s && strcmp(s, cases[i].standard) != 0))
            fail_msg("standard '%s': got %s, want %s", v, s ? s : "NULL",
                     cases[i].standard ? cases[i].standard : "NULL");
        if ((g == NULL) != (cases[i].suggest == NULL) || (g && strcmp(g, cases[i].suggest) != 0))
            fail_msg("suggest '%s': got %s, want %s", v, g ? g : "NULL",
                     cases[i].suggest ? cases[i].suggest : "NULL");
    }
    /* Field metadata. */
    assert_int_equal(reg_field_by_code("startdatum"), RF_START);
    assert_int_equal(reg_field_by_code("zonder_hulp"), RF_ZONDER_HULP);
    assert_int_equal(reg_field_by_code("nope"), RF_COUNT);
    for (int f = 0; f < RF_COUNT; f++) {
        const struct reg_field_info *fi = reg_field((enum reg_field)f);
        assert_non_null(fi);
        assert_int_equal(reg_field_by_code(fi->code), f);
        assert_true(strlen(fi->label) > 0 && strlen(fi->help) > 20);
    }
    assert_null(reg_field(RF_COUNT));
}

/* ---- Preview and suggestions. ---------------------------------------------------------------- */

static const char *value_to(const struct mapping_profile *p, enum reg_field f, const char *from)
{
    for (int i = 0; i < p->nvalues; i++)
        if (p->values[i].field == f && strcmp(p->values[i].from, from) == 0)
            return p->values[i].to;
    return NULL;
}

static void test_preview_csv_cp1252(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct table_preview pv;
    struct err_ctx e = {0};
    int rc = table_preview(DATA("jeugd-export-puntkomma.csv"), a, &pv, &e);
    if (rc)
        fail_msg("preview: %s %s", err_name(rc), e.msg);
    assert_false(pv.is_xlsx);
    assert_string_equal(pv.encoding, "Windows-1252");
    assert_int_equal(pv.delimiter, ';');
    assert_int_equal(pv.nrows, 15);
    assert_int_equal(pv.ncols, 12);
    assert_int_equal(pv.header_row, 3); /* two title rows above */
    assert_string_equal(pv.rows[0][0], "Export cliëntregistratie Jeugdzorg Zuid B.V.");
    assert_string_equal(pv.rows[2][7], "Reden beëindiging");
    assert_string_equal(pv.rows[3][9], "8,0");

    struct mapping_profile p;
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 3);
    assert_int_equal(p.delimiter, ';');
    assert_int_equal(p.law, LAW_JW);
    assert_string_equal(p.columns[RF_CLIENT_BSN], "BSN");
    assert_null(p.columns[RF_CLIENT_KEY]);
    assert_string_equal(p.columns[RF_BIRTH_DATE], "Geboortedatum");
    assert_string_equal(p.columns[RF_GEMEENTE], "Woongemeente");
    assert_string_equal(p.columns[RF_HULPVORM], "Soort hulp");
    assert_string_equal(p.columns[RF_START], "Datum aanvang");
    assert_string_equal(p.columns[RF_END], "Datum einde");
    assert_string_equal(p.columns[RF_REASON], "Reden beëindiging");
    assert_string_equal(p.columns[RF_REFERRER], "Verwijzer");
    assert_string_equal(p.columns[RF_SATISFACTION], "Rapportcijfer");
    assert_string_equal(p.columns[RF_ZONDER_HULP], "Zonder hulp verder");
    assert_string_equal(p.columns[RF_INFORMANT], "Informant");
    for (int f = 0; f < RF_COUNT; f++) /* the name column is never suggested */
        assert_true(!p.columns[f] || strcmp(p.columns[f], "Naam cliënt") != 0);

    /* Value maps: the provider's words, not codes, get a standard code where it is clear. */
    assert_string_equal(value_to(&p, RF_REASON, "Afgerond volgens plan"), "01");
    assert_string_equal(value_to(&p, RF_REASON, "Gestopt door cliënt"), "03");
    assert_string_equal(value_to(&p, RF_HULPVORM, "Ambulant"), "02");
    assert_string_equal(value_to(&p, RF_HULPVORM, "Pleegzorg"), "11");
    assert_string_equal(value_to(&p, RF_REFERRER, "Huisarts"), "02");
    assert_string_equal(value_to(&p, RF_REFERRER, "Gemeentelijke toegang"), "01");
    assert_string_equal(value_to(&p, RF_INFORMANT, "Ouder"), "02");
    assert_string_equal(value_to(&p, RF_INFORMANT, "Jeugdige"), "01");
    assert_null(value_to(&p, RF_HULPVORM, "Yoga")); /* no guess */
    assert_null(value_to(&p, RF_HULPVORM, "2"));    /* already a code */
    for (int i = 0; i < p.nvalues; i++)
        for (int j = 0; j < i; j++)
            assert_false(p.values[i].field == p.values[j].field &&
                         strcmp(p.values[i].from, p.values[j].from) == 0);

    /* What is suggested is a valid profile once it has a name. */
    p.name = "Suggestie";
    rc = profile_validate(&p, &e);
    if (rc)
        fail_msg("suggestion does not validate: %s (%s)", e.msg, e.field);
    arena_free(a);
}

static void test_preview_xlsx(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct table_preview pv;
    struct err_ctx e = {0};
    int rc = table_preview(DATA("jeugd-export.xlsx"), a, &pv, &e);
    if (rc)
        fail_msg("preview: %s %s", err_name(rc), e.msg);
    assert_true(pv.is_xlsx);
    assert_string_equal(pv.encoding, "XLSX");
    assert_int_equal(pv.header_row, 2);
    assert_int_equal(pv.nrows, 8); /* the missing sheet row is not delivered */
    assert_string_equal(pv.rows[1][0], "Cliëntnummer");
    assert_string_equal(pv.rows[2][3], "2023-01-16"); /* a date cell */
    assert_string_equal(pv.rows[2][1], "114");        /* a number */

    struct mapping_profile p;
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 2);
    assert_int_equal(p.delimiter, 0);
    assert_null(p.columns[RF_CLIENT_BSN]);
    assert_string_equal(p.columns[RF_CLIENT_KEY], "Cliëntnummer");
    assert_string_equal(p.columns[RF_GEMEENTE], "Gemeentecode");
    assert_string_equal(p.columns[RF_HULPVORM], "Hulpvorm");
    assert_string_equal(p.columns[RF_START], "Startdatum");
    assert_string_equal(p.columns[RF_END], "Einddatum");
    assert_string_equal(p.columns[RF_REASON], "Reden einde");
    assert_string_equal(p.columns[RF_SATISFACTION], "Tevredenheid");
    assert_string_equal(p.columns[RF_GOAL], "Doelen behaald");
    assert_string_equal(p.columns[RF_GENDER], "Geslacht");
    assert_string_equal(p.columns[RF_POSTCODE], "Postcode");
    assert_string_equal(p.columns[RF_AGE], "Leeftijd");
    assert_null(p.columns[RF_BIRTH_DATE]);
    assert_int_equal(p.nvalues, 0); /* V, M and man are standard already */
    arena_free(a);
}

/* A preview built by hand: rows of cells (NULL ends a row), header detection and matching. */
static struct table_preview make_preview(struct arena *a, const char *const *const *rows, int nrows)
{
    struct table_preview pv = {.encoding = "UTF-8", .delimiter = ',', .nrows = nrows};
    for (int r = 0; r < nrows; r++) {
        int n = 0;
        while (rows[r][n])
            n++;
        if (n > pv.ncols)
            pv.ncols = n;
    }
    pv.rows = arena_calloc(a, (size_t)nrows, sizeof *pv.rows);
    for (int r = 0; r < nrows; r++) {
        const char **row = arena_calloc(a, (size_t)pv.ncols, sizeof *row);
        bool end = false;
        for (int c = 0; c < pv.ncols; c++) {
            end = end || !rows[r][c];
            row[c] = end ? "" : rows[r][c];
        }
        pv.rows[r] = row;
    }
    return pv;
}

static void test_suggest_messy_headers(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    static const char *const r0[] = {"Rapportage ZORGBOOG – aangemaakt 03-01-2024", NULL};
    static const char *const r1[] = {NULL};
    static const char *const r2[] = {"  CLIËNT-NR. ",
                                     "Burger Service Nummer",
                                     "Geb.datum",
                                     "Gemeente (CBS-code)",
                                     "Reden einde",
                                     "Datum_einde",
                                     "Startdatum (dd-mm-jjjj)",
                                     "HULPVORM",
                                     "Tevredenheid (1-10)",
                                     "Zonder hulp verder?",
                                     "Type informant",
                                     "Postcode",
                                     "Naam",
                                     "Doel bereikt?",
                                     NULL};
    static const char *const r3[] = {"A1",       "111222308", "12-05-2010", "0114", "volgens plan",
                                     "1-6-2023", "1-2-2023",  "ambulant",   "8",    "4",
                                     "ouder",    "7811 AB",   "Jan",        "ja",   NULL};
    static const char *const r4[] = {"A2", "111222321", "01-01-2011", "0114", "",
                                     "",   "1-3-2023",  "Pleegzorg",  "",     "",
                                     "",   "7812",      "Piet",       "",     NULL};
    static const char *const *rows[] = {r0, r1, r2, r3, r4};
    struct table_preview pv = make_preview(a, rows, (int)ARRAY_LEN(rows));
    struct mapping_profile p;
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 3);
    assert_string_equal(p.columns[RF_CLIENT_BSN], "Burger Service Nummer");
    assert_null(p.columns[RF_CLIENT_KEY]); /* a BSN makes the own number unnecessary */
    assert_string_equal(p.columns[RF_BIRTH_DATE], "Geb.datum");
    assert_string_equal(p.columns[RF_GEMEENTE], "Gemeente (CBS-code)");
    assert_string_equal(p.columns[RF_REASON], "Reden einde");
    assert_string_equal(p.columns[RF_END], "Datum_einde");
    assert_string_equal(p.columns[RF_START], "Startdatum (dd-mm-jjjj)");
    assert_string_equal(p.columns[RF_HULPVORM], "HULPVORM");
    assert_string_equal(p.columns[RF_SATISFACTION], "Tevredenheid (1-10)");
    assert_string_equal(p.columns[RF_ZONDER_HULP], "Zonder hulp verder?");
    assert_string_equal(p.columns[RF_INFORMANT], "Type informant");
    assert_string_equal(p.columns[RF_POSTCODE], "Postcode");
    assert_string_equal(p.columns[RF_GOAL], "Doel bereikt?");
    assert_string_equal(value_to(&p, RF_REASON, "volgens plan"), "01");
    assert_string_equal(value_to(&p, RF_HULPVORM, "ambulant"), "02");
    assert_string_equal(value_to(&p, RF_INFORMANT, "ouder"), "02");

    /* Without the BSN column the provider's own number is suggested. */
    static const char *const h2[] = {"Cliëntnummer", "Woonplaats gemeente", "Zorgvorm",
                                     "Begindatum", NULL};
    static const char *const d2[] = {"77", "Emmen", "02", "2023-01-01", NULL};
    static const char *const *rows2[] = {h2, d2};
    pv = make_preview(a, rows2, 2);
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 1);
    assert_string_equal(p.columns[RF_CLIENT_KEY], "Cliëntnummer");
    assert_string_equal(p.columns[RF_HULPVORM], "Zorgvorm");
    assert_string_equal(p.columns[RF_START], "Begindatum");

    /* A BSN column with an odd name is found by its content. */
    static const char *const h3[] = {"Persoon", "Gemeente", "Hulpvorm", "Start", NULL};
    static const char *const d3a[] = {"111222308", "0114", "02", "2023-01-01", NULL};
    static const char *const d3b[] = {"111222321", "0114", "02", "2023-02-01", NULL};
    static const char *const *rows3[] = {h3, d3a, d3b};
    pv = make_preview(a, rows3, 3);
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_string_equal(p.columns[RF_CLIENT_BSN], "Persoon");
    assert_string_equal(p.columns[RF_START], "Start");
    arena_free(a);
}

static void test_header_row_detection(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct mapping_profile p;
    /* No known header names at all: the first wide, non-numeric row. */
    static const char *const t0[] = {"Overzicht", NULL};
    static const char *const t1[] = {"Gemaakt op", "2024-01-03", NULL};
    static const char *const t2[] = {"Kolom A", "Kolom B", "Kolom C", "Kolom D", NULL};
    static const char *const t3[] = {"1", "2", "3", "4", NULL};
    static const char *const *rows[] = {t0, t1, t2, t3};
    struct table_preview pv = make_preview(a, rows, 4);
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 3);
    for (int f = 0; f < RF_COUNT; f++)
        assert_null(p.columns[f]);

    /* Only numbers: the first row. */
    static const char *const *nums[] = {t3, t3};
    pv = make_preview(a, nums, 2);
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 1);

    /* A data row that happens to hold a field name does not beat the real header. */
    static const char *const h[] = {"BSN", "Gemeente", "Hulpvorm", "Startdatum", NULL};
    static const char *const d[] = {"111222308", "Gemeente", "02", "2023-01-01", NULL};
    static const char *const *two[] = {t0, h, d};
    pv = make_preview(a, two, 3);
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 2);

    /* Empty preview: nothing to suggest, but a usable default. */
    struct table_preview empty = {0};
    profile_suggest(&empty, LAW_WMO, a, &p);
    assert_int_equal(p.header_row, 1);
    assert_int_equal(p.law, LAW_WMO);
    arena_free(a);
}

static void test_preview_values(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    static const char *const h[] = {"Titel", NULL};
    static const char *const r1[] = {"BSN", "Reden", "Hulpvorm", NULL};
    static const char *const d1[] = {"1", "Afgerond", "02", NULL};
    static const char *const d2[] = {"2", " afgerond ", "Ambulant", NULL};
    static const char *const d3[] = {"3", "01", "2", NULL};
    static const char *const d4[] = {"4", "Verhuisd", "", NULL};
    static const char *const *rows[] = {h, r1, d1, d2, d3, d4};
    struct table_preview pv = make_preview(a, rows, 6);
    const char **vals = NULL;
    /* Distinct (folded), in order, without standard codes ("01", "1" for 01) and blanks. */
    int n = profile_preview_values(&pv, 2, 1, RF_REASON, LAW_JW, a, &vals);
    assert_int_equal(n, 2);
    assert_string_equal(vals[0], "Afgerond");
    assert_string_equal(vals[1], "Verhuisd");
    n = profile_preview_values(&pv, 2, 2, RF_HULPVORM, LAW_JW, a, &vals);
    assert_int_equal(n, 1);
    assert_string_equal(vals[0], "Ambulant");
    /* A free field has no values to translate; bad columns give nothing. */
    assert_int_equal(profile_preview_values(&pv, 2, 0, RF_START, LAW_JW, a, &vals), 0);
    assert_int_equal(profile_preview_values(&pv, 2, 9, RF_REASON, LAW_JW, a, &vals), 0);

    /* profile_suggest takes the header row the preview names (the wizard's choice). */
    struct mapping_profile p;
    pv.header_row = 1;
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 1);
    assert_null(p.columns[RF_REASON]);
    pv.header_row = 2;
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 2);
    assert_string_equal(p.columns[RF_REASON], "Reden");
    assert_string_equal(value_to(&p, RF_REASON, "Afgerond"), "01");
    assert_string_equal(value_to(&p, RF_REASON, "Verhuisd"), "05");
    pv.header_row = 99; /* out of range: detected again */
    profile_suggest(&pv, LAW_JW, a, &p);
    assert_int_equal(p.header_row, 2);
    arena_free(a);
}

static void test_preview_errors(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct table_preview pv;
    struct err_ctx e = {0};
    assert_int_equal(table_preview("/nonexistent/duiding.csv", a, &pv, &e), ERR_IO);
    char path[] = "/tmp/duiding-test-profile-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(table_preview(path, a, &pv, &e), ERR_INVALID); /* empty */
    /* A broken zip that starts like one. */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("PK\003\004 dit is geen spreadsheet", f);
    fclose(f);
    assert_true(table_preview(path, a, &pv, &e) < 0);
    unlink(path);
    arena_free(a);
}

/* ---- Stored profiles. ------------------------------------------------------------------------ */

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t prov_a, prov_b, gemeente;
    struct actor kwal_a, kwal_b, beheer, beleid;
};
static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int64_t make_org(enum org_kind kind, const char *name, const char *cbs, const char *agb)
{
    struct org_input in = {.kind = kind, .name = name, .cbs_code = cbs, .agb_code = agb};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = org_create(fx.s, &admin, &in, &id, &e);
    if (rc)
        fail_msg("org %s: %s (%s)", name ? name : cbs, err_name(rc), e.msg);
    return id;
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-profile-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/profile.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.prov_a = make_org(ORG_AANBIEDER, "Zorgboog", NULL, "12345678");
    fx.prov_b = make_org(ORG_AANBIEDER, "Jeugdhulp Noord", NULL, "87654321");
    fx.gemeente = make_org(ORG_GEMEENTE, NULL, "GM0114", NULL);
    fx.kwal_a = ts_make_actor(fx.s, fx.a, "kwaliteit.a", fx.prov_a, ROLE_KWALITEIT, PW);
    fx.kwal_b = ts_make_actor(fx.s, fx.a, "kwaliteit.b", fx.prov_b, ROLE_KWALITEIT, PW);
    fx.beheer = ts_make_actor(fx.s, fx.a, "beheer", fx.gemeente, ROLE_BEHEERDER, PW);
    fx.beleid = ts_make_actor(fx.s, fx.a, "beleid", fx.gemeente, ROLE_BELEID, PW);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    arena_free(fx.a);
    store_close(fx.s);
    ts_rm_dir(fx.dir);
    return 0;
}

static int count_audit(const char *prefix)
{
    struct audit_filter af = {.action_prefix = prefix, .limit = AUDIT_LIST_MAX};
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(fx.a, fx.s, &admin, &af, &ev, &n, &total), 0);
    return total;
}

static void test_store_and_policy(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct mapping_profile p = sample_profile(), got, *list = NULL;
    int64_t id = 0, id2 = 0;
    int n = 0;

    /* Create: kwaliteit of the aanbieder itself; not for another aanbieder; not beleid. */
    p.org_id = fx.prov_a;
    assert_int_equal(profile_save(fx.s, &fx.kwal_b, &p, &id, &e), ERR_DENIED);
    assert_int_equal(profile_save(fx.s, &fx.beleid, &p, &id, &e), ERR_DENIED);
    assert_int_equal(count_audit("profile."), 0);
    assert_int_equal(profile_save(fx.s, &fx.kwal_a, &p, &id, &e), 0);
    assert_true(id > 0);
    assert_int_equal(count_audit("profile.create"), 1);

    /* Authorisation comes before validation: a refused user learns nothing. */
    struct mapping_profile bad = p;
    bad.columns[RF_START] = NULL;
    memset(&e, 0, sizeof e);
    assert_int_equal(profile_save(fx.s, &fx.kwal_b, &bad, &id2, &e), ERR_DENIED);
    assert_int_equal(profile_save(fx.s, &fx.kwal_a, &bad, &id2, &e), ERR_INVALID);
    assert_string_equal(e.field, "kolom_startdatum");

    /* The same name twice in one organisation is a conflict on the name. */
    memset(&e, 0, sizeof e);
    assert_int_equal(profile_save(fx.s, &fx.kwal_a, &p, &id2, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "naam");
    /* ... but another aanbieder may use it, and a beheerder may create it for them. */
    struct mapping_profile pb = p;
    pb.org_id = fx.prov_b;
    assert_int_equal(profile_save(fx.s, &fx.beheer, &pb, &id2, &e), 0);
    /* Only aanbieders hold profiles. */
    struct mapping_profile pg = p;
    pg.org_id = fx.gemeente;
    memset(&e, 0, sizeof e);
    assert_int_equal(profile_save(fx.s, &fx.beheer, &pg, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "organisatie");
    pg.org_id = 999999;
    assert_int_equal(profile_save(fx.s, &fx.beheer, &pg, NULL, &e), ERR_INVALID);

    /* Reading back. */
    assert_int_equal(profile_get(fx.s, &fx.kwal_a, id, fx.a, &got, &e), 0);
    assert_int_equal(got.id, id);
    assert_int_equal(got.org_id, fx.prov_a);
    assert_string_equal(got.org_name, "Zorgboog");
    assert_string_equal(got.name, "Export Zorgboog");
    assert_int_equal(got.version, 1);
    assert_false(got.archived);
    assert_non_null(got.updated_at);
    assert_string_equal(got.columns[RF_REASON], "Reden beëindiging");
    assert_int_equal(got.nvalues, 3);
    assert_int_equal(profile_get(fx.s, &fx.kwal_b, id, fx.a, &got, &e), ERR_DENIED);
    assert_int_equal(profile_get(fx.s, &fx.beleid, id, fx.a, &got, &e), ERR_DENIED);
    assert_int_equal(profile_get(fx.s, &fx.beheer, id, fx.a, &got, &e), 0);
    assert_int_equal(profile_get(fx.s, &fx.beheer, 987654, fx.a, &got, &e), ERR_NOT_FOUND);

    /* Lists: a kwaliteit user sees only their own; the beheerder all; beleid nothing. */
    assert_int_equal(profile_list(fx.s, &fx.kwal_a, 0, fx.a, &list, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, id);
    assert_int_equal(profile_list(fx.s, &fx.kwal_b, 0, fx.a, &list, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, id2);
    assert_int_equal(profile_list(fx.s, &fx.kwal_b, fx.prov_a, fx.a, &list, &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(profile_list(fx.s, &fx.beheer, 0, fx.a, &list, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].org_name, "Jeugdhulp Noord"); /* by organisation name */
    assert_int_equal(profile_list(fx.s, &fx.beheer, fx.prov_a, fx.a, &list, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(profile_list(fx.s, &fx.beleid, 0, fx.a, &list, &n, &e), ERR_DENIED);

    /* Find by name: within an organisation, or unique over all the actor may see. */
    assert_int_equal(profile_find(fx.s, &fx.kwal_a, 0, " Export Zorgboog ", fx.a, &got, &e), 0);
    assert_int_equal(got.id, id);
    assert_int_equal(profile_find(fx.s, &fx.beheer, fx.prov_b, "Export Zorgboog", fx.a, &got, &e),
                     0);
    assert_int_equal(got.id, id2);
    assert_int_equal(profile_find(fx.s, &fx.beheer, 0, "Export Zorgboog", fx.a, &got, &e),
                     ERR_CONFLICT);
    assert_int_equal(profile_find(fx.s, &fx.kwal_b, fx.prov_a, "Export Zorgboog", fx.a, &got, &e),
                     ERR_NOT_FOUND);
    assert_int_equal(profile_find(fx.s, &fx.kwal_a, 0, "Bestaat niet", fx.a, &got, &e),
                     ERR_NOT_FOUND);

    /* Update with optimistic locking. */
    assert_int_equal(profile_get(fx.s, &fx.kwal_a, id, fx.a, &got, &e), 0);
    got.columns[RF_SATISFACTION] = "Rapportcijfer";
    got.name = "Export Zorgboog 2024";
    assert_int_equal(profile_save(fx.s, &fx.kwal_b, &got, NULL, &e), ERR_DENIED);
    assert_int_equal(profile_save(fx.s, &fx.kwal_a, &got, NULL, &e), 0);
    assert_int_equal(count_audit("profile.update"), 1);
    memset(&e, 0, sizeof e);
    assert_int_equal(profile_save(fx.s, &fx.kwal_a, &got, NULL, &e), ERR_CONFLICT); /* stale */
    assert_string_equal(e.field, "versie");
    struct mapping_profile now;
    assert_int_equal(profile_get(fx.s, &fx.kwal_a, id, fx.a, &now, &e), 0);
    assert_int_equal(now.version, 2);
    assert_string_equal(now.name, "Export Zorgboog 2024");
    assert_string_equal(now.columns[RF_SATISFACTION], "Rapportcijfer");
    /* It cannot move to another organisation. */
    now.org_id = fx.prov_b;
    assert_int_equal(profile_save(fx.s, &fx.beheer, &now, NULL, &e), ERR_INVALID);

    /* Archive and restore: audited once each, repeating changes nothing. */
    assert_int_equal(profile_set_archived(fx.s, &fx.kwal_b, id, true, &e), ERR_DENIED);
    assert_int_equal(profile_set_archived(fx.s, &fx.kwal_a, id, true, &e), 0);
    assert_int_equal(profile_set_archived(fx.s, &fx.kwal_a, id, true, &e), 0);
    assert_int_equal(count_audit("profile.archive"), 1);
    assert_int_equal(profile_get(fx.s, &fx.kwal_a, id, fx.a, &got, &e), 0);
    assert_true(got.archived);
    assert_int_equal(profile_set_archived(fx.s, &fx.kwal_a, id, false, &e), 0);
    assert_int_equal(count_audit("profile.restore"), 1);
    assert_int_equal(profile_set_archived(fx.s, &fx.kwal_a, 987654, false, &e), ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_strict),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_preview_csv_cp1252),
        cmocka_unit_test(test_preview_xlsx),
        cmocka_unit_test(test_suggest_messy_headers),
        cmocka_unit_test(test_header_row_detection),
        cmocka_unit_test(test_preview_values),
        cmocka_unit_test(test_preview_errors),
    };
    const struct CMUnitTest stored[] = {
        cmocka_unit_test(test_store_and_policy),
    };
    int fails = cmocka_run_group_tests_name("profile", pure, NULL, NULL);
    fails += cmocka_run_group_tests_name("profile_store", stored, group_setup, group_teardown);
    return fails;
}
