/*
 * test_registration.c: providers' registration exports through a mapping profile
 * (ingest/registration.c) with the real readers: a Windows-1252 ';' CSV with title rows and
 * Dutch dates, an XLSX with date cells and a missing sheet row, and a UTF-8 ',' Wmo CSV with a
 * BOM. Valid rows beside invalid ones (elfproef, impossible dates, unknown codes and gemeenten,
 * satisfaction 11, end before start): exact outcomes and every reason; test BSNs flagged;
 * pseudonyms deterministic and domain-separated; identifying columns marked sensitive.
 */
#include "ingest/registration.h"
#include "core/common.h"
#include "domain/codelist.h"
#include "ingest/csv.h"
#include "ingest/xlsx.h"
#include <setjmp.h>
#include <cmocka.h>

#define DATA(f)  TEST_SOURCE_DIR "/tests/data/intake/" f
#define MAX_RECS 32

static const char AGB[9] = "12345678";

/* What happened to one record of a file. */
struct rec {
    bool seen;
    enum reg_outcome outcome;
    char reasons[1024];
    struct reg_result res;
    uint64_t line;
};

struct run {
    const struct mapping_profile *p;
    const struct pseudonymiser *ps;
    struct reg_binding bind;
    bool bound;
    int bind_rc;
    struct err_ctx bind_err;
    struct rec recs[MAX_RECS + 1]; /* by record number */
};

static int on_row(void *ctx, const struct table_row *row)
{
    struct run *r = ctx;
    if (row->record >= MAX_RECS || row->record < (uint64_t)r->p->header_row)
        return 0;
    if (row->record == (uint64_t)r->p->header_row) {
        r->bind_rc = registration_bind(r->p, row, &r->bind, &r->bind_err);
        r->bound = r->bind_rc == 0;
        return 0;
    }
    if (!r->bound)
        return 0;
    struct buf reasons;
    struct rec *rc = &r->recs[row->record];
    buf_init(&reasons, 64 * 1024);
    rc->seen = true;
    rc->line = row->line;
    rc->outcome = registration_convert(&r->bind, r->ps, AGB, row, &rc->res, &reasons);
    snprintf(rc->reasons, sizeof rc->reasons, "%s", buf_cstr(&reasons));
    buf_release(&reasons);
    return 0;
}

static struct pseudonymiser *test_ps(unsigned char fill)
{
    unsigned char key[KEY_FILE_BYTES];
    struct pseudonymiser *ps = NULL;
    memset(key, fill, sizeof key);
    assert_int_equal(pseudonymiser_from_key(key, &ps), 0);
    return ps;
}

static void load_profile(const char *json, struct arena *a, struct mapping_profile *p)
{
    struct err_ctx e = {0};
    int rc = profile_from_json(json, a, p, &e);
    if (rc)
        fail_msg("profile: %s", e.msg);
    p->name = "test";
    rc = profile_validate(p, &e);
    if (rc)
        fail_msg("profile invalid: %s (%s)", e.msg, e.field ? e.field : "-");
}

static void expect_accepted(const struct run *r, uint64_t record)
{
    const struct rec *rc = &r->recs[record];
    if (!rc->seen)
        fail_msg("record %" PRIu64 " not delivered", record);
    if (rc->outcome != REG_ACCEPTED)
        fail_msg("record %" PRIu64 ": outcome %d, reasons: %s", record, rc->outcome, rc->reasons);
    assert_string_equal(rc->reasons, "");
    assert_int_equal(rc->res.fact.kind, FACT_REGISTRATION);
    assert_string_equal(rc->res.fact.release, "v7");
}

static void expect_rejected(const struct run *r, uint64_t record, const char *reasons, int bad_col)
{
    const struct rec *rc = &r->recs[record];
    if (!rc->seen)
        fail_msg("record %" PRIu64 " not delivered", record);
    if (rc->outcome != REG_REJECTED)
        fail_msg("record %" PRIu64 ": outcome %d, want rejected (%s)", record, rc->outcome,
                 reasons);
    if (strcmp(rc->reasons, reasons) != 0)
        fail_msg("record %" PRIu64 ":\n got: %s\nwant: %s", record, rc->reasons, reasons);
    assert_int_equal(rc->res.bad_col, bad_col);
    static const unsigned char zero[PSEUDONYM_BYTES] = {0};
    assert_memory_equal(rc->res.person, zero, PSEUDONYM_BYTES); /* nothing of a rejected row */
}

static day_t ymd(int y, int m, int d)
{
    return day_from_ymd(y, m, d);
}

/* ---- Jeugdwet, Windows-1252, ';' ------------------------------------------------------------- */

static const char jeugd_profile[] =
    "{\"versie\":1,\"wet\":\"jeugdwet\",\"kopregel\":3,\"scheidingsteken\":\";\","
    "\"kolommen\":{\"bsn\":\"BSN\",\"geboortedatum\":\"Geboortedatum\","
    "\"gemeente\":\"woongemeente\",\"hulpvorm\":\"Soort hulp\",\"startdatum\":\"Datum aanvang\","
    "\"einddatum\":\"Datum einde\",\"reden\":\"Reden beëindiging\",\"verwijzer\":\"Verwijzer\","
    "\"tevredenheid\":\"Rapportcijfer\",\"zonder_hulp\":\"Zonder hulp verder\","
    "\"informant\":\"Informant\"},"
    "\"waarden\":[{\"veld\":\"hulpvorm\",\"van\":\"Ambulant\",\"naar\":\"02\"},"
    "{\"veld\":\"hulpvorm\",\"van\":\"pleegzorg\",\"naar\":\"11\"},"
    "{\"veld\":\"reden\",\"van\":\"Afgerond volgens plan\",\"naar\":\"01\"},"
    "{\"veld\":\"reden\",\"van\":\"Gestopt door client\",\"naar\":\"03\"},"
    "{\"veld\":\"verwijzer\",\"van\":\"Huisarts\",\"naar\":\"02\"},"
    "{\"veld\":\"verwijzer\",\"van\":\"Gemeentelijke toegang\",\"naar\":\"01\"},"
    "{\"veld\":\"informant\",\"van\":\"Ouder\",\"naar\":\"02\"},"
    "{\"veld\":\"informant\",\"van\":\"Jeugdige\",\"naar\":\"01\"}]}";

static void test_jeugd_csv(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct mapping_profile p;
    struct run *r = calloc(1, sizeof *r);
    struct err_ctx e = {0};
    enum text_encoding enc = 0;
    struct csv_options o = {.delimiter = ';'};
    load_profile(jeugd_profile, a, &p);
    r->p = &p;
    r->ps = test_ps(7);
    int rc = csv_read_file(DATA("jeugd-export-puntkomma.csv"), &o, on_row, r, &enc, &e);
    if (rc)
        fail_msg("read: %s %s", err_name(rc), e.msg);
    assert_int_equal(enc, TEXT_CP1252);
    assert_true(r->bound);

    /* Binding: header names matched without case and accents ("woongemeente"). */
    assert_int_equal(r->bind.ncols, 12);
    assert_int_equal(r->bind.col[RF_CLIENT_BSN], 0);
    assert_int_equal(r->bind.col[RF_GEMEENTE], 3);
    assert_int_equal(r->bind.col[RF_INFORMANT], 11);
    assert_int_equal(r->bind.col[RF_CLIENT_KEY], -1);
    /* Sensitive: the BSN, the birth date and the unmapped name; not the coded fields. */
    static const bool sensitive[12] = {true,  true,  true,  false, false, false,
                                       false, false, false, false, false, false};
    for (int c = 0; c < 12; c++)
        if (r->bind.sensitive[c] != sensitive[c])
            fail_msg("column %d: sensitive %d", c + 1, r->bind.sensitive[c]);
    assert_true(r->bind.sensitive[12]);

    /* 4: everything mapped through the profile's value maps. */
    expect_accepted(r, 4);
    const struct traj_fact *f = &r->recs[4].res.fact;
    assert_string_equal(f->gemeente, "0114");
    assert_string_equal(f->hulpvorm, "02");
    assert_string_equal(f->category, "");
    assert_int_equal(f->start, ymd(2023, 2, 1));
    assert_int_equal(f->end, ymd(2023, 6, 30));
    assert_string_equal(f->cbs_reason, "01");
    assert_string_equal(f->referrer, "02");
    assert_int_equal(f->satisfaction, 8); /* "8,0" */
    assert_string_equal(f->zonder_hulp, "04");
    assert_string_equal(f->informant, "02");
    assert_int_equal(f->age, 12);
    assert_int_equal(f->goal_realisation, -1);
    assert_int_equal(f->gender, 0);
    assert_string_equal(f->postcode4, "");
    assert_false(r->recs[4].res.test_person);
    unsigned char want[PSEUDONYM_BYTES];
    pseudonym_of_bsn(r->ps, "111222308", want);
    assert_memory_equal(r->recs[4].res.person, want, PSEUDONYM_BYTES);

    /* 5: a test BSN is accepted and flagged; open trajectory, gemeente as a bare code. */
    expect_accepted(r, 5);
    f = &r->recs[5].res.fact;
    assert_true(r->recs[5].res.test_person);
    assert_string_equal(f->gemeente, "0114");
    assert_string_equal(f->hulpvorm, "11");
    assert_int_equal(f->end, DAY_NONE);
    assert_string_equal(f->cbs_reason, "");
    assert_string_equal(f->referrer, "01");
    assert_int_equal(f->satisfaction, 0);
    assert_int_equal(f->age, 14);

    expect_rejected(r, 6, "kolom 'BSN': BSN voldoet niet aan de elfproef", 1);
    expect_rejected(r, 7, "kolom 'Datum aanvang': '31-02-2023' is geen bestaande datum", 6);
    expect_rejected(r, 8,
                    "kolom 'Soort hulp': 'Yoga' staat niet in de codelijst CBS-HULPVORM v7; "
                    "vertaal deze waarde in het kolomprofiel",
                    5);
    expect_rejected(r, 9, "kolom 'Rapportcijfer': '11' is geen rapportcijfer van 1 tot en met 10",
                    10);
    expect_rejected(r, 10,
                    "kolom 'Datum einde': de einddatum '1-5-2023' ligt voor de startdatum "
                    "'1-6-2023'",
                    7);
    expect_rejected(r, 11,
                    "kolom 'woongemeente': 'Atlantis' is geen bekende gemeente (CBS-code zoals "
                    "0114 of naam)",
                    4);
    /* Every problem of a row, not only the first. */
    expect_rejected(r, 12,
                    "kolom 'BSN': BSN voldoet niet aan de elfproef; kolom 'woongemeente': "
                    "'Nergenshuizen' is geen bekende gemeente (CBS-code zoals 0114 of naam); "
                    "kolom 'Soort hulp': 'Yoga' staat niet in de codelijst CBS-HULPVORM v7; "
                    "vertaal deze waarde in het kolomprofiel",
                    1);
    assert_int_equal(r->recs[13].outcome, REG_EMPTY);
    expect_rejected(r, 14, "kolom 'Reden beëindiging': een reden beëindiging zonder einddatum", 8);

    /* 15: bare codes ("2" for 02), GM code, a satisfaction of "6,0". */
    expect_accepted(r, 15);
    f = &r->recs[15].res.fact;
    assert_string_equal(f->gemeente, "0106");
    assert_string_equal(f->hulpvorm, "02");
    assert_int_equal(f->end, ymd(2023, 12, 31));
    assert_string_equal(f->cbs_reason, "03");
    assert_string_equal(f->referrer, "02");
    assert_int_equal(f->satisfaction, 6);
    assert_string_equal(f->zonder_hulp, "01");
    assert_string_equal(f->informant, "01");
    assert_int_equal(f->age, 16);
    assert_false(r->recs[16].seen);

    /* Titles, header and the BSN never reach a reason. */
    for (int i = 1; i < MAX_RECS; i++)
        assert_null(strstr(r->recs[i].reasons, "11122233"));

    pseudonymiser_free((struct pseudonymiser *)r->ps);
    free(r);
    arena_free(a);
}

/* ---- Jeugdwet, XLSX with client keys ----------------------------------------------------------
 */

static const char xlsx_profile[] =
    "{\"versie\":1,\"wet\":\"jeugdwet\",\"kopregel\":2,"
    "\"kolommen\":{\"clientsleutel\":\"Clientnummer\",\"gemeente\":\"Gemeentecode\","
    "\"hulpvorm\":\"Hulpvorm\",\"startdatum\":\"Startdatum\",\"einddatum\":\"Einddatum\","
    "\"reden\":\"Reden einde\",\"tevredenheid\":\"Tevredenheid\","
    "\"doelrealisatie\":\"Doelen behaald\",\"geslacht\":\"Geslacht\",\"postcode\":\"Postcode\","
    "\"leeftijd\":\"Leeftijd\"}}";

static void test_jeugd_xlsx(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct mapping_profile p;
    struct run *r = calloc(1, sizeof *r);
    struct err_ctx e = {0};
    struct xlsx_options o = {0};
    load_profile(xlsx_profile, a, &p);
    r->p = &p;
    r->ps = test_ps(7);
    int rc = xlsx_read_file(DATA("jeugd-export.xlsx"), &o, on_row, r, &e);
    if (rc)
        fail_msg("read: %s %s", err_name(rc), e.msg);
    assert_true(r->bound);
    assert_int_equal(r->bind.col[RF_CLIENT_KEY], 0);
    assert_true(r->bind.sensitive[0]);  /* the client key */
    assert_true(r->bind.sensitive[9]);  /* the postcode (only its digits are kept) */
    assert_true(r->bind.sensitive[11]); /* "Opmerking": unmapped free text */
    assert_false(r->bind.sensitive[1]);

    expect_accepted(r, 3);
    const struct traj_fact *f = &r->recs[3].res.fact;
    assert_string_equal(f->gemeente, "0114"); /* the number 114 */
    assert_string_equal(f->hulpvorm, "02");
    assert_int_equal(f->start, ymd(2023, 1, 16)); /* date cells */
    assert_int_equal(f->end, ymd(2023, 5, 31));
    assert_string_equal(f->cbs_reason, "01");
    assert_int_equal(f->satisfaction, 7);
    assert_int_equal(f->goal_realisation, 50); /* "deels" */
    assert_int_equal(f->gender, '2');
    assert_string_equal(f->postcode4, "7811");
    assert_int_equal(f->age, 14);
    assert_false(r->recs[3].res.test_person);
    unsigned char want[PSEUDONYM_BYTES], other[PSEUDONYM_BYTES];
    pseudonym_of_client_key(r->ps, AGB, "K-1001", 6, want);
    assert_memory_equal(r->recs[3].res.person, want, PSEUDONYM_BYTES);
    /* Another aanbieder's K-1001 is another person. */
    pseudonym_of_client_key(r->ps, "87654321", "K-1001", 6, other);
    assert_memory_not_equal(want, other, PSEUDONYM_BYTES);

    expect_accepted(r, 4);
    f = &r->recs[4].res.fact;
    assert_string_equal(f->gemeente, "0106");
    assert_string_equal(f->hulpvorm, "11");
    assert_int_equal(f->gender, '1');
    assert_string_equal(f->postcode4, "9401");
    assert_int_equal(f->age, 9);
    assert_int_equal(f->end, DAY_NONE);

    expect_rejected(r, 5,
                    "kolom 'Gemeentecode': '9999' is geen bekende gemeente (CBS-code zoals 0114 "
                    "of naam)",
                    2);
    expect_rejected(r, 6, "kolom 'Clientnummer': geen waarde, terwijl die verplicht is", 1);
    expect_rejected(r, 7,
                    "kolom 'Startdatum': '2023-02-30' is geen bestaande datum; kolom 'Doelen "
                    "behaald': '120' is geen percentage van 0 tot en met 100 (of ja, deels, nee)",
                    4);
    /* The sheet has no row 8: the next record is sheet row 9. */
    expect_accepted(r, 8);
    assert_int_equal(r->recs[8].line, 9);
    f = &r->recs[8].res.fact;
    assert_string_equal(f->hulpvorm, "04");
    assert_string_equal(f->cbs_reason, "02");
    assert_int_equal(f->satisfaction, 9);
    assert_int_equal(f->goal_realisation, 80);
    assert_int_equal(f->gender, '1'); /* "man" */
    assert_int_equal(f->age, 15);
    assert_false(r->recs[9].seen);

    pseudonymiser_free((struct pseudonymiser *)r->ps);
    free(r);
    arena_free(a);
}

/* ---- Wmo, UTF-8 with BOM, ',' ---------------------------------------------------------------- */

static const char wmo_profile[] =
    "{\"versie\":1,\"wet\":\"wmo\",\"kopregel\":1,"
    "\"kolommen\":{\"bsn\":\"burgerservicenummer\",\"gemeente\":\"Gemeente\","
    "\"hulpvorm\":\"Productcategorie\",\"productcode\":\"Productcode\","
    "\"startdatum\":\"Begindatum\",\"einddatum\":\"Einddatum\",\"reden\":\"Reden einde\","
    "\"geslacht\":\"Geslacht\",\"postcode\":\"Postcode\",\"leeftijd\":\"Leeftijd\"},"
    "\"waarden\":[{\"veld\":\"hulpvorm\",\"van\":\"Begeleiding\",\"naar\":\"02\"},"
    "{\"veld\":\"hulpvorm\",\"van\":\"Beschermd wonen\",\"naar\":\"15\"},"
    "{\"veld\":\"reden\",\"van\":\"Afgerond volgens plan\",\"naar\":\"01\"}]}";

static void test_wmo_csv(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct mapping_profile p;
    struct run *r = calloc(1, sizeof *r);
    struct err_ctx e = {0};
    enum text_encoding enc = 0;
    struct csv_options o = {0};
    load_profile(wmo_profile, a, &p);
    r->p = &p;
    r->ps = test_ps(9);
    int rc = csv_read_file(DATA("wmo-export-komma.csv"), &o, on_row, r, &enc, &e);
    if (rc)
        fail_msg("read: %s %s", err_name(rc), e.msg);
    assert_int_equal(enc, TEXT_UTF8);
    assert_true(r->bound);
    assert_int_equal(r->bind.col[RF_CLIENT_BSN], 0); /* the BOM is not part of the header */
    assert_true(r->bind.sensitive[1]);               /* "Naam" */

    expect_accepted(r, 2);
    const struct traj_fact *f = &r->recs[2].res.fact;
    assert_string_equal(f->gemeente, "0118"); /* "Hoogeveen" by name */
    assert_string_equal(f->hulpvorm, "02");
    assert_string_equal(f->category, "02"); /* the Wmo product category */
    assert_string_equal(f->product_code, "02A01");
    assert_int_equal(f->start, ymd(2023, 1, 9));
    assert_int_equal(f->end, ymd(2023, 6, 30));
    assert_string_equal(f->cbs_reason, "01");
    assert_int_equal(f->gender, '1');
    assert_string_equal(f->postcode4, "7901");
    assert_int_equal(f->age, 67);

    expect_accepted(r, 3);
    f = &r->recs[3].res.fact;
    assert_string_equal(f->gemeente, "0118");
    assert_string_equal(f->hulpvorm, "07");
    assert_int_equal(f->gender, '2');
    assert_int_equal(f->age, 81);

    expect_accepted(r, 4);
    f = &r->recs[4].res.fact;
    assert_string_equal(f->hulpvorm, "15");
    assert_int_equal(f->gender, '0');
    assert_string_equal(f->postcode4, "7903");

    expect_rejected(r, 5,
                    "kolom 'Productcategorie': 'Huishoudhulp' staat niet in de codelijst WMO020 "
                    "3.2; vertaal deze waarde in het kolomprofiel; kolom 'Postcode': geen "
                    "geldige postcode (verwacht 4 cijfers, eventueel gevolgd door 2 letters)",
                    4);
    expect_rejected(r, 6,
                    "kolom 'Productcategorie': '99' staat niet in de codelijst WMO020 3.2; "
                    "vertaal deze waarde in het kolomprofiel; kolom 'Begindatum': '2023/13/01' "
                    "is geen bestaande datum; kolom 'Leeftijd': '130' is geen leeftijd in hele "
                    "jaren van 0 tot en met 120; kolom 'Geslacht': 'x' staat niet in de "
                    "codelijst COD046 3.2; vertaal deze waarde in het kolomprofiel",
                    4);

    /* The same BSN through another key file is another pseudonym; the same key the same. */
    unsigned char mine[PSEUDONYM_BYTES], theirs[PSEUDONYM_BYTES];
    struct pseudonymiser *ps2 = test_ps(1);
    pseudonym_of_bsn(r->ps, "123456782", mine);
    pseudonym_of_bsn(ps2, "123456782", theirs);
    assert_memory_equal(r->recs[2].res.person, mine, PSEUDONYM_BYTES);
    assert_memory_not_equal(mine, theirs, PSEUDONYM_BYTES);
    pseudonymiser_free(ps2);

    /* The suggestion for this file finds the same columns and the clear value maps. */
    struct table_preview pv;
    struct mapping_profile s;
    assert_int_equal(table_preview(DATA("wmo-export-komma.csv"), a, &pv, &e), 0);
    assert_int_equal(pv.delimiter, ',');
    assert_string_equal(pv.encoding, "UTF-8");
    profile_suggest(&pv, LAW_WMO, a, &s);
    assert_int_equal(s.header_row, 1);
    for (int fld = 0; fld < RF_COUNT; fld++) {
        if ((p.columns[fld] == NULL) != (s.columns[fld] == NULL) ||
            (p.columns[fld] && strcmp(p.columns[fld], s.columns[fld]) != 0))
            fail_msg("field %s: profile %s, suggested %s", reg_field((enum reg_field)fld)->code,
                     p.columns[fld] ? p.columns[fld] : "-", s.columns[fld] ? s.columns[fld] : "-");
    }
    int found = 0;
    for (int i = 0; i < s.nvalues; i++) {
        for (int j = 0; j < p.nvalues; j++)
            if (s.values[i].field == p.values[j].field &&
                strcmp(s.values[i].from, p.values[j].from) == 0) {
                assert_string_equal(s.values[i].to, p.values[j].to);
                found++;
            }
        assert_string_not_equal(s.values[i].from, "Huishoudhulp");
    }
    assert_int_equal(found, p.nvalues);

    pseudonymiser_free((struct pseudonymiser *)r->ps);
    free(r);
    arena_free(a);
}

/* ---- Hand-made rows: binding errors, reader problems, edge values ---------------------------- */

struct mini {
    const char *cells[16];
    size_t lens[16];
    int n;
};

static struct table_row mini_row(struct mini *m, uint64_t record, const char *const *cells)
{
    m->n = 0;
    while (cells[m->n]) {
        m->cells[m->n] = cells[m->n];
        m->lens[m->n] = strlen(cells[m->n]);
        m->n++;
    }
    return (struct table_row){
        .fields = m->cells, .lens = m->lens, .nfields = m->n, .record = record, .line = record};
}

static const char mini_profile[] =
    "{\"versie\":1,\"wet\":\"jeugdwet\",\"kopregel\":1,"
    "\"kolommen\":{\"bsn\":\"BSN\",\"clientsleutel\":\"Nummer\",\"gemeente\":\"Gemeente\","
    "\"hulpvorm\":\"Hulpvorm\",\"startdatum\":\"Start\",\"einddatum\":\"Eind\","
    "\"doelrealisatie\":\"Doel\",\"geboortedatum\":\"Geboren\",\"postcode\":\"PC\"}}";

static enum reg_outcome convert(const struct reg_binding *b, const struct pseudonymiser *ps,
                                const char *const *cells, struct reg_result *res, char *reasons,
                                size_t cap)
{
    struct mini m;
    struct buf buf;
    struct table_row row = mini_row(&m, 2, cells);
    buf_init(&buf, 4096);
    enum reg_outcome o = registration_convert(b, ps, AGB, &row, res, &buf);
    snprintf(reasons, cap, "%s", buf_cstr(&buf));
    buf_release(&buf);
    return o;
}

static void test_edge_rows(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct mapping_profile p;
    struct reg_binding b;
    struct err_ctx e = {0};
    struct mini m;
    struct reg_result res;
    char why[1024];
    struct pseudonymiser *ps = test_ps(3);
    load_profile(mini_profile, a, &p);

    /* A header without a mapped column: the import cannot start; the message names it. */
    static const char *const short_hdr[] = {"BSN", "Nummer", "Gemeente", "Hulpvorm", NULL};
    struct table_row h = mini_row(&m, 1, short_hdr);
    assert_int_equal(registration_bind(&p, &h, &b, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "'Start'"));

    static const char *const hdr[] = {"bsn ", "NUMMER", "Gemeente", "Hulpvorm", "Start",
                                      "Eind", "Doel",   "Geboren",  "PC",       NULL};
    h = mini_row(&m, 1, hdr);
    assert_int_equal(registration_bind(&p, &h, &b, &e), 0);

    /* An unknown BSN falls back to the provider's own number when there is one. */
    static const char *const unknown_bsn[] = {"999999999", "77", "0114", "02", "2023-01-01",
                                              "",          "",   "",     "",   NULL};
    assert_int_equal(convert(&b, ps, unknown_bsn, &res, why, sizeof why), REG_ACCEPTED);
    unsigned char want[PSEUDONYM_BYTES];
    pseudonym_of_client_key(ps, AGB, "77", 2, want);
    assert_memory_equal(res.person, want, PSEUDONYM_BYTES);
    static const char *const unknown_only[] = {"999999999", "", "0114", "02", "2023-01-01",
                                               "",          "", "",     "",   NULL};
    assert_int_equal(convert(&b, ps, unknown_only, &res, why, sizeof why), REG_REJECTED);
    assert_non_null(strstr(why, "kolom 'BSN': BSN is onbekend"));
    /* An 8-digit BSN (a spreadsheet dropped the 0) is the same person as with the 0. */
    static const char *const eight[] = {"12345672", "", "0114", "02", "2023-01-01",
                                        "",         "", "",     "",   NULL};
    static const char *const nine[] = {"012345672", "", "0114", "02", "2023-01-01",
                                       "",          "", "",     "",   NULL};
    unsigned char p8[PSEUDONYM_BYTES];
    assert_int_equal(convert(&b, ps, eight, &res, why, sizeof why), REG_ACCEPTED);
    memcpy(p8, res.person, sizeof p8);
    assert_int_equal(convert(&b, ps, nine, &res, why, sizeof why), REG_ACCEPTED);
    assert_memory_equal(p8, res.person, PSEUDONYM_BYTES);
    /* Determinism: the same row twice, the same pseudonym. */
    assert_int_equal(convert(&b, ps, nine, &res, why, sizeof why), REG_ACCEPTED);
    assert_memory_equal(p8, res.person, PSEUDONYM_BYTES);

    /* Values: "ja"/"nee"/"75%", postcode letters dropped, birth date before the start. */
    static const struct {
        const char *goal, *pc, *birth, *start, *end;
        int want_goal;
        const char *want_pc;
        int want_age;
        const char *reason; /* NULL = accepted */
    } cases[] = {
        {"ja", "7811AB", "2010-01-01", "2023-01-01", "", 100, "7811", 13, NULL},
        {"Nee", "7811 ab", "1-1-2010", "01-01-2023", "", 0, "7811", 13, NULL},
        {"75%", "7811", "20100101", "2023-01-01 00:00:00", "", 75, "7811", 13, NULL},
        {"62,5", "", "", "2023/01/01", "2023-01-01", 63, "", -1, NULL},
        {"deels", "0811", "", "2023-01-01", "", 0, "", -1,
         "kolom 'PC': geen geldige postcode (verwacht 4 cijfers, eventueel gevolgd door 2 "
         "letters)"},
        {"", "7811 ABC", "", "2023-01-01", "", 0, "", -1, "kolom 'PC': geen geldige postcode"},
        {"", "", "2024-01-01", "2023-01-01", "", 0, "", -1,
         "kolom 'Geboren': de geboortedatum ligt na de startdatum"},
        {"", "", "31-2-2010", "2023-01-01", "", 0, "", -1,
         "kolom 'Geboren': de geboortedatum bestaat niet"},
        {"", "", "", "1989-12-31", "", 0, "", -1, "kolom 'Start': '1989-12-31' ligt voor 1990"},
        {"", "", "", "2023-01-01", "2099-01-01", 0, "", -1,
         "kolom 'Eind': '2099-01-01' ligt meer dan een jaar in de toekomst"},
        {"", "", "", "gisteren", "", 0, "", -1,
         "kolom 'Start': 'gisteren' is geen datum (schrijf bijvoorbeeld 2024-03-01 of "
         "1-3-2024)"},
        {"", "", "", "", "", 0, "", -1, "kolom 'Start': geen waarde, terwijl die verplicht is"},
        {"half", "", "", "2023-01-01", "", 0, "", -1,
         "kolom 'Doel': 'half' is geen percentage van 0 tot en met 100 (of ja, deels, nee)"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *const cells[] = {"111222308",    "",           "0114",        "02",
                                     cases[i].start, cases[i].end, cases[i].goal, cases[i].birth,
                                     cases[i].pc,    NULL};
        enum reg_outcome o = convert(&b, ps, cells, &res, why, sizeof why);
        if (cases[i].reason) {
            if (o != REG_REJECTED || !strstr(why, cases[i].reason))
                fail_msg("case %zu: outcome %d, reasons '%s', want '%s'", i, o, why,
                         cases[i].reason);
            /* Identifying values are never quoted. */
            if (cases[i].birth[0])
                assert_null(strstr(why, cases[i].birth));
            if (cases[i].pc[0])
                assert_null(strstr(why, cases[i].pc));
            continue;
        }
        if (o != REG_ACCEPTED)
            fail_msg("case %zu: %s", i, why);
        assert_int_equal(res.fact.goal_realisation, cases[i].want_goal);
        assert_string_equal(res.fact.postcode4, cases[i].want_pc);
        assert_int_equal(res.fact.age, cases[i].want_age);
    }

    /* A row the reader flagged (bad encoding in the BSN column) is rejected at that column. */
    static const char *const cells[] = {"111222308", "", "0114", "02", "2023-01-01",
                                        "",          "", "",     "",   NULL};
    struct table_row row = mini_row(&m, 3, cells);
    row.problem = "ongeldige tekens (geen UTF-8)";
    row.problem_col = 1;
    struct buf buf;
    buf_init(&buf, 4096);
    assert_int_equal(registration_convert(&b, ps, AGB, &row, &res, &buf), REG_REJECTED);
    assert_string_equal(buf_cstr(&buf), "kolom 'BSN': ongeldige tekens (geen UTF-8)");
    assert_int_equal(res.bad_col, 1);
    /* ... in an unmapped column: by number. */
    static const char *const wide[] = {"111222308", "", "0114", "02",     "2023-01-01", "",
                                       "",          "", "",     "Jansen", NULL};
    row = mini_row(&m, 3, wide);
    assert_int_equal(registration_convert(&b, ps, AGB, &row, &res, &buf), REG_REJECTED);
    assert_string_equal(buf_cstr(&buf),
                        "de regel heeft meer gevulde kolommen (10) dan de kopregel (9)");
    assert_int_equal(res.bad_col, 10);
    /* A blank row, spaces only, is skipped; a row of empty cells too. */
    static const char *const blank[] = {" ", "", "\t", NULL};
    row = mini_row(&m, 4, blank);
    assert_int_equal(registration_convert(&b, ps, AGB, &row, &res, &buf), REG_EMPTY);
    assert_string_equal(buf_cstr(&buf), "");
    /* A quoted value is cut and cleaned of control characters. */
    static const char *const noisy[] = {
        "111222308",
        "",
        "0114",
        "x\x01yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
        "2023-01-01",
        "",
        "",
        "",
        "",
        NULL};
    row = mini_row(&m, 5, noisy);
    assert_int_equal(registration_convert(&b, ps, AGB, &row, &res, &buf), REG_REJECTED);
    assert_null(strchr(buf_cstr(&buf), '\x01'));
    assert_non_null(strstr(buf_cstr(&buf), "...'"));
    buf_release(&buf);
    pseudonymiser_free(ps);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jeugd_csv),
        cmocka_unit_test(test_jeugd_xlsx),
        cmocka_unit_test(test_wmo_csv),
        cmocka_unit_test(test_edge_rows),
    };
    return cmocka_run_group_tests_name("registration", tests, NULL, NULL);
}
