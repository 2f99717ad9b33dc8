/*
 * test_contract.c: contracts, outcome agreements, claims and business figures (issue 7).
 * Claim extraction from the official JW323 / WMO323 samples (amounts exact) and hostile
 * variants (negative, huge, non-numeric amounts, a total that does not add up); the projection
 * and median arithmetic; euro parsing; contract validation, policy (an aanbieder sees only its
 * own contracts; a gemeente outside the region gets not-found), optimistic locking, agreements
 * as indicator targets; figures from stored claims with small client counts hidden.
 */
#include "domain/contract.h"
#include "core/common.h"
#include "domain/auth.h"
#include "domain/codelist.h"
#include "ingest/message.h"
#include "metrics/disclosure.h"
#include "report/contract_figures.h"
#include "store/contract_store.h"
#include "store/intake_store.h"
#include "support/fixture.h"
#include <math.h>
#include <setjmp.h>
#include <cmocka.h>

#define IJW  TEST_SHARED_DIR "/external/istandaarden/ijw-3.2/berichten/"
#define IWMO TEST_SHARED_DIR "/external/istandaarden/iwmo-3.2/berichten/"
#define PW   "een-lang-wachtwoord-42"

static struct msg_schemas *schemas;

struct fixture {
    char dir[128], path[256];
    struct store *s;
    struct arena *a;
    int64_t region, gem_a, gem_b, gem_out, provider, provider2, ind1, ind2;
    struct actor contract_r, contract_out, kwal_p, kwal_p2, beleid_a, backoffice_r, prof_p;
};
static struct fixture fx;

/* ---- Helpers. -------------------------------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    char *d = malloc((size_t)n + 1);
    assert_non_null(d);
    assert_int_equal(fread(d, 1, (size_t)n, fp), (size_t)n);
    d[n] = '\0';
    fclose(fp);
    return d;
}

/* A copy of s with the first occurrence of from replaced by to (which must occur). */
static char *replace1(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    assert_non_null(p);
    size_t a = (size_t)(p - s), fl = strlen(from), tl = strlen(to), rest = strlen(p + fl);
    char *out = malloc(a + tl + rest + 1);
    assert_non_null(out);
    memcpy(out, s, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, p + fl, rest + 1);
    return out;
}

static struct msg read_str(struct arena *a, const char *xml)
{
    struct msg m;
    assert_int_equal(msg_read(schemas, "test", xml, strlen(xml), a, &m), 0);
    return m;
}

static int64_t make_indicator(struct db *db, const char *code, const char *name)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO indicator (code, owner_org_id, standard, definition, created_at, "
             "updated_at) VALUES ('%s', NULL, 1, '{\"naam\":\"%s\"}', '2026-01-01T00:00:00Z', "
             "'2026-01-01T00:00:00Z')",
             code, name);
    assert_int_equal(db_exec(db, sql), 0);
    return db_last_insert_id(db);
}

static int64_t q1(const char *sql)
{
    struct db_stmt *st = NULL;
    struct db *db = store_reader(fx.s);
    assert_int_equal(db_prepare(db, "test.q1", sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t v = db_col_i64(st, 0);
    db_done(st);
    return v;
}

/* ---- Claims from the samples. ---------------------------------------------------------------- */

static void test_jw323_sample(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    char *xml = slurp(IJW "JW323.xml");
    struct msg m = read_str(a, xml);
    if (m.outcome != MSG_ACCEPTED)
        fail_msg("JW323: %s", m.nissues ? m.issues[0].reason : "?");
    assert_int_equal(m.kind, MSG_KIND_323);
    assert_int_equal(m.law, LAW_JW);
    assert_string_equal(m.agb, "65656055");
    assert_string_equal(m.gemeente, "0384");
    assert_string_equal(m.ident, "765432198");
    assert_string_equal(m.decl.number, "DN001");
    assert_int_equal(m.decl.total_cents, 79000);
    assert_false(m.decl.total_credit);
    assert_int_equal(m.decl.period_from, day_from_ymd(2026, 4, 1));
    assert_int_equal(m.decl.period_to, day_from_ymd(2026, 4, 30));
    assert_int_equal(m.nproducts, 0);
    assert_int_equal(m.nclaims, 5);
    static const int64_t amounts[] = {5000, 24000, 5000, 24000, 21000};
    static const int64_t assignments[] = {10072, 10073, 10074, 10073, 10073};
    static const char *const codes[] = {"45A03", "45A04", "45A03", "45A04", "45A04"};
    static const char *const bsns[] = {"999900006", "999900006", "999900018", "999900018",
                                       "999900018"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(m.claims[i].amount_cents, amounts[i]);
        assert_int_equal(m.claims[i].assignment_nr, assignments[i]);
        assert_string_equal(m.claims[i].product_code, codes[i]);
        assert_string_equal(m.claims[i].category, "45");
        assert_string_equal(m.claims[i].bsn, bsns[i]);
        assert_false(m.claims[i].credit);
        assert_string_equal(m.claims[i].unit, "04");
    }
    assert_int_equal(m.claims[0].tariff_cents, 1250);
    assert_int_equal(m.claims[1].volume, 16);
    assert_string_equal(m.claims[3].reference, "RN004");
    /* The last line is for March, the others April. */
    assert_int_equal(m.claims[4].period_from, day_from_ymd(2026, 3, 1));
    assert_int_equal(m.claims[4].period_to, day_from_ymd(2026, 3, 31));
    assert_int_equal(m.claims[0].period_from, day_from_ymd(2026, 4, 1));
    free(xml);
    arena_free(a);
}

static void test_wmo323_sample(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    char *xml = slurp(IWMO "WMO323.xml");
    struct msg m = read_str(a, xml);
    if (m.outcome != MSG_ACCEPTED)
        fail_msg("WMO323: %s", m.nissues ? m.issues[0].reason : "?");
    assert_int_equal(m.law, LAW_WMO);
    assert_int_equal(m.nclaims, 4);
    int64_t sum = 0;
    for (int i = 0; i < m.nclaims; i++)
        sum += m.claims[i].amount_cents;
    assert_int_equal(sum, 58000);
    assert_int_equal(m.decl.total_cents, 58000);
    assert_int_equal(m.claims[1].assignment_nr, 200730);
    assert_string_equal(m.claims[0].category, "01");
    assert_string_equal(m.claims[0].product_code, "01A03");
    free(xml);
    arena_free(a);
}

/* Hostile amounts: refused as invalid, never stored. */
static void expect_invalid_amount(const char *from, const char *to, const char *element)
{
    struct arena *a = arena_new(0);
    char *xml = slurp(IJW "JW323.xml");
    char *bad = replace1(xml, from, to);
    struct msg m = read_str(a, bad);
    assert_int_equal(m.outcome, MSG_INVALID);
    assert_int_equal(m.nclaims, 0);
    assert_null(m.claims);
    assert_true(m.nissues > 0);
    if (element)
        assert_string_equal(m.issues[0].element, element);
    free(bad);
    free(xml);
    arena_free(a);
}

static void test_hostile_amounts(void **state)
{
    (void)state;
    expect_invalid_amount("<ijw:Bedrag>5000<", "<ijw:Bedrag>-5000<", "Bedrag");
    expect_invalid_amount("<ijw:Bedrag>5000<", "<ijw:Bedrag>100000000<", "Bedrag");
    expect_invalid_amount("<ijw:Bedrag>5000<", "<ijw:Bedrag>50,00<", "Bedrag");
    expect_invalid_amount("<ijw:Bedrag>5000<", "<ijw:Bedrag>99999999999999999999999<", "Bedrag");
    expect_invalid_amount("<ijw:Bedrag>5000<", "<ijw:Bedrag><", "Bedrag");
    expect_invalid_amount("<ijw:DebetCredit>D<", "<ijw:DebetCredit>X<", "DebetCredit");
    /* Valid against the XSD, but the lines do not add up to the declared total. */
    expect_invalid_amount("<ijw:TotaalBedrag>79000<", "<ijw:TotaalBedrag>79001<",
                          "TotaalIngediendBedrag");
}

/* A credit line subtracts; with a matching total the message is accepted. */
static void test_credit_line(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    char *xml = slurp(IJW "JW323.xml");
    /* The March line (21000) becomes a credit: 5000 + 24000 + 5000 + 24000 - 21000 = 37000. */
    char *at = strstr(xml, "<ijw:Bedrag>21000</ijw:Bedrag>");
    assert_non_null(at);
    char *dc = strstr(at, "<ijw:DebetCredit>D<");
    assert_non_null(dc);
    dc[strlen("<ijw:DebetCredit>")] = 'C';
    char *t1 = strdup(xml);
    char *t2 = replace1(t1, "<ijw:TotaalBedrag>79000<", "<ijw:TotaalBedrag>37000<");
    struct msg m = read_str(a, t2);
    if (m.outcome != MSG_ACCEPTED)
        fail_msg("credit: %s", m.nissues ? m.issues[0].reason : "?");
    assert_true(m.claims[4].credit);
    assert_false(m.claims[3].credit);
    free(t2);
    free(t1);
    free(xml);
    arena_free(a);
}

/* ---- Arithmetic. ----------------------------------------------------------------------------- */

static void test_projection(void **state)
{
    (void)state;
    enum projection_method pm;
    int64_t p;
    int64_t m[12] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0, 0};
    /* Linear: 10 complete months of 100 -> 1200. */
    contract_projection(m, NULL, 10, &pm, &p);
    assert_int_equal(pm, PROJ_LINEAR);
    assert_int_equal(p, 1200);
    /* Linear from the first month with claims: started in April, 3 months of 300 -> 300 *
     * (3 + 6) = 2700 by 31 December. */
    int64_t late[12] = {0, 0, 0, 300, 300, 300, 0, 0, 0, 0, 0, 0};
    contract_projection(late, NULL, 6, &pm, &p);
    assert_int_equal(pm, PROJ_LINEAR);
    assert_int_equal(p, 300 * 9);
    /* Rounding: 1000 over 3 months, 9 to go -> 1000 + 3000 = 4000; 1001 -> 1001 + 3003. */
    int64_t r3[12] = {333, 333, 334};
    contract_projection(r3, NULL, 3, &pm, &p);
    assert_int_equal(p, 4000);
    int64_t r4[12] = {333, 334, 334};
    contract_projection(r4, NULL, 3, &pm, &p);
    assert_int_equal(p, 4004);
    /* Previous year's profile: last year 10% in Jan-Mar; this year 600 so far -> 6000. */
    int64_t prev[12] = {30, 30, 40, 100, 100, 100, 100, 100, 100, 100, 100, 100};
    int64_t cur[12] = {200, 200, 200};
    contract_projection(cur, prev, 3, &pm, &p);
    assert_int_equal(pm, PROJ_PREVIOUS_YEAR);
    assert_int_equal(p, 6000);
    /* A share below 5% of last year is not used (linear instead). */
    int64_t prev_tiny[12] = {1, 0, 0, 100, 100, 100, 100, 100, 100, 100, 100, 100};
    int64_t jan[12] = {500};
    contract_projection(jan, prev_tiny, 1, &pm, &p);
    assert_int_equal(pm, PROJ_LINEAR);
    assert_int_equal(p, 6000);
    /* Complete year: the sum; incomplete month claims count when larger than the projection. */
    contract_projection(m, NULL, 12, &pm, &p);
    assert_int_equal(pm, PROJ_COMPLETE);
    assert_int_equal(p, 1000);
    int64_t none[12] = {0};
    contract_projection(none, NULL, 10, &pm, &p);
    assert_int_equal(pm, PROJ_NONE);
    assert_int_equal(p, 0);
    int64_t only_current[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 700, 0};
    contract_projection(only_current, NULL, 10, &pm, &p);
    assert_int_equal(pm, PROJ_NONE);
    assert_int_equal(p, 700);
    /* Credits can make a month negative; large amounts do not overflow. */
    int64_t big[12] = {CONTRACT_MONEY_MAX / 12, CONTRACT_MONEY_MAX / 12};
    contract_projection(big, NULL, 2, &pm, &p);
    assert_int_equal(p, (CONTRACT_MONEY_MAX / 12) * 12);
}

static void test_median(void **state)
{
    (void)state;
    int32_t odd[] = {3, 10, 40};
    int32_t even[] = {3, 10, 40, 41};
    assert_true(contract_median(odd, 3) == 10.0);
    assert_true(contract_median(even, 4) == 25.0);
    assert_true(contract_median(NULL, 0) == 0.0);
}

static void test_parse_euro(void **state)
{
    (void)state;
    int64_t c = 0;
    assert_int_equal(contract_parse_euro("1.234.567,89", &c), 0);
    assert_int_equal(c, 123456789);
    assert_int_equal(contract_parse_euro("1234567", &c), 0);
    assert_int_equal(c, 123456700);
    assert_int_equal(contract_parse_euro("12,5", &c), 0);
    assert_int_equal(c, 1250);
    assert_int_equal(contract_parse_euro("\xE2\x82\xAC 12,50", &c), 0);
    assert_int_equal(c, 1250);
    assert_int_equal(contract_parse_euro("1234.56", &c), 0);
    assert_int_equal(c, 123456);
    assert_int_equal(contract_parse_euro("0", &c), 0);
    assert_int_equal(c, 0);
    assert_int_equal(contract_parse_euro("-5", &c), ERR_INVALID);
    assert_int_equal(contract_parse_euro("abc", &c), ERR_INVALID);
    assert_int_equal(contract_parse_euro("", &c), ERR_INVALID);
    assert_int_equal(contract_parse_euro("1.23.4", &c), ERR_INVALID);
    assert_int_equal(contract_parse_euro("99999999999999999999", &c), ERR_INVALID);
    assert_int_equal(contract_parse_euro("1e9", &c), ERR_INVALID);
}

/* ---- Contracts. ------------------------------------------------------------------------------ */

static struct contract_input jeugd_input(void)
{
    static const struct contract_product prods[] = {{"45", ""}, {"54", "54A01"}};
    static struct contract_agreement ags[2];
    ags[0] = (struct contract_agreement){
        .indicator_id = fx.ind1, .target = 10.0, .comparison = AGREE_MAX, .note = ""};
    ags[1] = (struct contract_agreement){
        .indicator_id = fx.ind2, .target = 75.0, .comparison = AGREE_MIN, .note = ""};
    struct contract_input in = {
        .name = "Jeugdhulp ambulant 2026",
        .aanbieder_id = fx.provider,
        .law = LAW_JW,
        .variant = CONTRACT_OUTPUTGERICHT,
        .valid_from = day_from_ymd(2026, 1, 1),
        .valid_to = day_from_ymd(2026, 12, 31),
        .budget_cents = 120000,
        .cap_cents = 100000,
        .products = prods,
        .nproducts = 2,
        .agreements = ags,
        .nagreements = 2,
    };
    return in;
}

static void test_create_and_policy(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct contract_input in = jeugd_input();
    int64_t id = 0;
    int rc = contract_create(fx.s, &fx.contract_r, &in, &id, fx.a, &e);
    if (rc)
        fail_msg("create: %s %s", e.field ? e.field : "-", e.msg);
    struct contract c;
    assert_int_equal(contract_get(fx.a, fx.s, &fx.contract_r, id, &c), 0);
    assert_string_equal(c.name, "Jeugdhulp ambulant 2026");
    assert_int_equal(c.ngemeenten, 2); /* all of the region's gemeenten */
    assert_int_equal(c.nproducts, 2);
    assert_int_equal(c.nagreements, 2);
    assert_int_equal(c.cap_cents, 100000);
    assert_int_equal(c.version, 1);
    /* The agreements are indicator targets of the owner for the aanbieder. */
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM indicator_target WHERE contract_id = %" PRId64
             " AND aanbieder_id = %" PRId64 " AND owner_org_id = %" PRId64,
             id, fx.provider, fx.region);
    assert_int_equal(q1(sql), 2);
    /* Views: the aanbieder (party), a gemeente of the region, back office of the region. */
    assert_int_equal(contract_get(fx.a, fx.s, &fx.kwal_p, id, &c), 0);
    assert_int_equal(contract_get(fx.a, fx.s, &fx.beleid_a, id, &c), 0);
    assert_int_equal(contract_get(fx.a, fx.s, &fx.backoffice_r, id, &c), 0);
    /* Not: another aanbieder, a gemeente outside the region, a professional. */
    assert_int_equal(contract_get(fx.a, fx.s, &fx.kwal_p2, id, &c), ERR_NOT_FOUND);
    assert_int_equal(contract_get(fx.a, fx.s, &fx.contract_out, id, &c), ERR_NOT_FOUND);
    assert_int_equal(contract_get(fx.a, fx.s, &fx.prof_p, id, &c), ERR_NOT_FOUND);
    /* Lists show only what may be viewed. */
    struct contract *rows;
    int n, total;
    assert_int_equal(contract_list(fx.a, fx.s, &fx.kwal_p2, NULL, &rows, &n, &total), 0);
    assert_int_equal(n, 0);
    struct contract_filter f = {.year = 2026};
    assert_int_equal(contract_list(fx.a, fx.s, &fx.kwal_p, &f, &rows, &n, &total), 0);
    assert_int_equal(n, 1);
    f.year = 2024;
    assert_int_equal(contract_list(fx.a, fx.s, &fx.kwal_p, &f, &rows, &n, &total), 0);
    assert_int_equal(n, 0);
    /* Changing: the aanbieder and a gemeente's beleid may not (denied after view). */
    in.version = 1;
    assert_int_equal(contract_update(fx.s, &fx.kwal_p, id, &in, fx.a, &e), ERR_DENIED);
    assert_int_equal(contract_update(fx.s, &fx.beleid_a, id, &in, fx.a, &e), ERR_DENIED);
    assert_int_equal(contract_update(fx.s, &fx.kwal_p2, id, &in, fx.a, &e), ERR_NOT_FOUND);
    /* The owner edits; a stale version conflicts. */
    in.name = "Jeugdhulp ambulant 2026 (herzien)";
    in.nagreements = 1;
    assert_int_equal(contract_update(fx.s, &fx.contract_r, id, &in, fx.a, &e), 0);
    assert_int_equal(contract_update(fx.s, &fx.contract_r, id, &in, fx.a, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "version");
    assert_int_equal(q1(sql), 1);
    /* For the mirror report. */
    struct contract_agreement_ref *refs;
    assert_int_equal(contract_agreements_of_aanbieder(fx.a, fx.s, &fx.kwal_p, fx.provider, DAY_NONE,
                                                      DAY_NONE, &refs, &n),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(refs[0].contract_id, id);
    assert_int_equal(refs[0].agreement.comparison, AGREE_MAX);
    assert_true(refs[0].agreement.target == 10.0);
    assert_int_equal(contract_agreements_of_aanbieder(fx.a, fx.s, &fx.kwal_p2, fx.provider,
                                                      DAY_NONE, DAY_NONE, &refs, &n),
                     0);
    assert_int_equal(n, 0);
    int64_t *owners;
    assert_int_equal(contract_owners_of_aanbieder(fx.a, fx.s, fx.provider, &owners, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(owners[0], fx.region);
    /* Archive. */
    assert_int_equal(contract_set_archived(fx.s, &fx.contract_r, id, 2, true, fx.a, &e), 0);
    assert_int_equal(contract_list(fx.a, fx.s, &fx.kwal_p, NULL, &rows, &n, &total), 0);
    assert_int_equal(n, 0);
    assert_int_equal(contract_set_archived(fx.s, &fx.contract_r, id, 3, false, fx.a, &e), 0);
}

static void expect_field(struct contract_input *in, const char *field)
{
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = contract_create(fx.s, &fx.contract_r, in, &id, fx.a, &e);
    if (rc != ERR_INVALID)
        fail_msg("expected ERR_INVALID on %s, got %s", field, err_name(rc));
    assert_non_null(e.field);
    assert_string_equal(e.field, field);
    assert_true(e.msg[0] != '\0');
}

static void test_validation(void **state)
{
    (void)state;
    struct contract_input in = jeugd_input();
    in.name = "  ";
    expect_field(&in, "name");
    in = jeugd_input();
    in.aanbieder_id = fx.gem_a;
    expect_field(&in, "aanbieder_id");
    in = jeugd_input();
    in.valid_to = day_from_ymd(2025, 1, 1);
    expect_field(&in, "valid_to");
    in = jeugd_input();
    in.budget_cents = -1;
    expect_field(&in, "budget");
    in = jeugd_input();
    const char *outside[] = {"GM0363"};
    in.gemeenten = outside;
    in.ngemeenten = 1;
    expect_field(&in, "gemeenten");
    in = jeugd_input();
    const char *junk[] = {"<script>"};
    in.gemeenten = junk;
    in.ngemeenten = 1;
    expect_field(&in, "gemeenten");
    in = jeugd_input();
    struct contract_product bad_cat[] = {{"99", ""}};
    in.products = bad_cat;
    in.nproducts = 1;
    expect_field(&in, "products");
    in = jeugd_input();
    struct contract_product bad_code[] = {{"45", "4'5"}};
    in.products = bad_code;
    expect_field(&in, "products");
    in = jeugd_input();
    struct contract_agreement dup[] = {{.indicator_id = fx.ind1, .target = 1, .comparison = 1},
                                       {.indicator_id = fx.ind1, .target = 2, .comparison = 1}};
    in.agreements = dup;
    in.nagreements = 2;
    expect_field(&in, "agreements");
    struct contract_agreement nan_target[] = {
        {.indicator_id = fx.ind1, .target = NAN, .comparison = 1}};
    in.agreements = nan_target;
    in.nagreements = 1;
    expect_field(&in, "agreements");
    struct contract_agreement no_ind[] = {{.indicator_id = 99999, .target = 1, .comparison = 1}};
    in.agreements = no_ind;
    expect_field(&in, "agreements");
    /* Not allowed at all: an aanbieder or the region's beleid creating for someone else. */
    in = jeugd_input();
    struct err_ctx e = {0};
    int64_t id;
    assert_int_equal(contract_create(fx.s, &fx.kwal_p, &in, &id, fx.a, &e), ERR_DENIED);
    in.owner_org_id = fx.region;
    assert_int_equal(contract_create(fx.s, &fx.contract_out, &in, &id, fx.a, &e), ERR_DENIED);
}

/* ---- Figures from stored claims. ------------------------------------------------------------- */

static void add_claim(struct db *db, int64_t batch, const char *gem, const char *cat, int month,
                      int64_t cents, bool credit, unsigned char client_byte)
{
    unsigned char client[PSEUDONYM_BYTES];
    memset(client, client_byte, sizeof client);
    struct claim_line_new c = {
        .batch_id = batch,
        .law = LAW_JW,
        .aanbieder_id = fx.provider,
        .gemeente = gem,
        .declaration_nr = "D1",
        .message_ident = "1",
        .assignment_nr = -1,
        .category = cat,
        .product_code = "45A01",
        .period_from = day_from_ymd(2026, month, 1),
        .period_to = day_from_ymd(2026, month, 28),
        .volume = -1,
        .tariff_cents = -1,
        .amount_cents = cents,
        .credit = credit,
        .client = client,
    };
    assert_int_equal(claim_store_insert(db, &c), 0);
}

static void test_figures(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct contract_input in = jeugd_input();
    in.name = "Cijfers";
    int64_t id = 0;
    assert_int_equal(contract_create(fx.s, &fx.contract_r, &in, &id, fx.a, &e), 0);
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    struct intake_batch_new b = {
        .kind = "berichten",
        .file_name = "claims.zip",
        .file_sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        .via = "cli",
        .status = "actief",
        .created_at = "2026-11-01T00:00:00Z"};
    int64_t batch = 0;
    assert_int_equal(intake_batch_insert(db, &b, &batch), 0);
    /* Jan..Oct 50 000 cents each for 3 clients; a credit of 10 000 in May; one line outside
     * the products (category 41) and one of a gemeente outside the contract: not counted. */
    for (int mth = 1; mth <= 10; mth++)
        add_claim(db, batch, "0114", "45", mth, 50000, false, (unsigned char)(mth % 3));
    add_claim(db, batch, "0114", "45", 5, 10000, true, 1);
    add_claim(db, batch, "0114", "41", 5, 99999, false, 1);
    add_claim(db, batch, "0363", "45", 5, 99999, false, 1);
    assert_int_equal(store_write_end(fx.s, true), 0);

    struct contract c;
    assert_int_equal(contract_get(fx.a, fx.s, &fx.contract_r, id, &c), 0);
    struct dc_rules rules = {
        .min_count = 10, .min_denominator = 10, .round_to = 1, .min_benchmark = 3};
    struct contract_figures f;
    /* On 24 November 2026: January..October are complete. */
    assert_int_equal(
        contract_figures_compute(fx.a, fx.s, &c, 2026, day_from_ymd(2026, 11, 24), &rules, &f), 0);
    assert_int_equal(f.spend_month[0], 50000);
    assert_int_equal(f.spend_month[4], 40000);
    assert_int_equal(f.spend_total, 490000);
    assert_int_equal(f.claim_lines, 11);
    assert_int_equal(f.method, PROJ_LINEAR);
    assert_int_equal(f.projected_total, 490000 + 490000 * 2 / 10);
    assert_true(f.over_cap_projected);
    assert_true(f.over_cap);
    assert_true(f.over_budget_projected);
    /* No trajectories: 0 shown; the disclosure hides small non-zero counts. */
    assert_false(f.clients.hidden);
    assert_int_equal(f.clients.value, 0);
    assert_false(f.has_median);
    /* Undo of the batch takes the claims with it (figures drop to zero). */
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(claim_store_delete_batch(db, batch), 0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    assert_int_equal(
        contract_figures_compute(fx.a, fx.s, &c, 2026, day_from_ymd(2026, 11, 24), &rules, &f), 0);
    assert_int_equal(f.spend_total, 0);
    assert_int_equal(f.method, PROJ_NONE);
    /* CSV export: formula-safe, with the totals. */
    const char *csv;
    size_t len;
    assert_int_equal(contract_figures_export(fx.a, &c, &f, false, NULL, &csv, &len, &e), 0);
    assert_non_null(strstr(csv, "Omzetplafond"));
    assert_non_null(strstr(csv, "1000,00"));
}

/* Small client counts are hidden by the disclosure rule (reason given), others rounded. */
static void test_disclosure_of_counts(void **state)
{
    (void)state;
    struct dc_rules rules = {.min_count = 10, .min_denominator = 10, .round_to = 5};
    struct disclosed_count d;
    contract_disclose_count(&rules, 4, &d);
    assert_true(d.hidden);
    assert_int_equal(d.value, 0);
    assert_non_null(d.why);
    contract_disclose_count(&rules, 9, &d);
    assert_true(d.hidden);
    contract_disclose_count(&rules, 12, &d);
    assert_false(d.hidden);
    assert_int_equal(d.value, 10); /* rounded to a multiple of 5 */
    contract_disclose_count(&rules, 0, &d);
    assert_false(d.hidden);
    assert_int_equal(d.value, 0);
}

/* ---- Setup. ---------------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    if (msg_schemas_load(&schemas, &e) != 0) {
        fprintf(stderr, "msg_schemas_load: %s\n", e.msg);
        return -1;
    }
    assert_int_equal(codelist_load(), 0);
    assert_int_equal(auth_init(), 0);
    ts_store_open("contract", fx.dir, fx.path, &fx.s);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Drenthe", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region);
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, fx.region);
    fx.gem_out = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0363", NULL, 0);
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.provider2 = ts_make_org(fx.s, ORG_AANBIEDER, "Andere Zorg BV", NULL, "87654321", 0);
    fx.contract_r = ts_make_actor(fx.s, fx.a, "contract.r", fx.region, ROLE_CONTRACT, PW);
    fx.backoffice_r = ts_make_actor(fx.s, fx.a, "backoffice.r", fx.region, ROLE_BACKOFFICE, PW);
    fx.contract_out = ts_make_actor(fx.s, fx.a, "contract.out", fx.gem_out, ROLE_CONTRACT, PW);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.kwal_p = ts_make_actor(fx.s, fx.a, "kwal.p", fx.provider, ROLE_KWALITEIT, PW);
    fx.kwal_p2 = ts_make_actor(fx.s, fx.a, "kwal.p2", fx.provider2, ROLE_KWALITEIT, PW);
    fx.prof_p = ts_make_actor(fx.s, fx.a, "prof.p", fx.provider, ROLE_PROFESSIONAL, PW);
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    fx.ind1 = make_indicator(db, "uitval", "Voortijdige uitval");
    fx.ind2 = make_indicator(db, "doelrealisatie", "Doelrealisatie");
    assert_int_equal(store_write_end(fx.s, true), 0);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    store_close(fx.s);
    ts_rm_dir(fx.dir);
    arena_free(fx.a);
    msg_schemas_free(schemas);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jw323_sample),         cmocka_unit_test(test_wmo323_sample),
        cmocka_unit_test(test_hostile_amounts),      cmocka_unit_test(test_credit_line),
        cmocka_unit_test(test_projection),           cmocka_unit_test(test_median),
        cmocka_unit_test(test_parse_euro),           cmocka_unit_test(test_create_and_policy),
        cmocka_unit_test(test_validation),           cmocka_unit_test(test_figures),
        cmocka_unit_test(test_disclosure_of_counts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
