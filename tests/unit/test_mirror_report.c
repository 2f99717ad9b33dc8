/*
 * test_mirror_report.c: the spiegelrapportage (report/mirror_report.c). On a fresh store with
 * hand-inserted trajectories of seven aanbieders in two gemeenten of a region (many for A, eight
 * in all for E), a region contract with A carrying an outcome agreement, and a conversation of
 * the gemeente with A and D whose actions are owned by A (one overdue) and by D:
 *   - policy: A's quality staff and the gemeente in the contracting region read A's report;
 *     E's staff, a council member, a gemeente outside the region and a gemeente id as
 *     "aanbieder" get ERR_NOT_FOUND; E reads its own (no contract needed);
 *   - disclosure: every shown figure of A rests on at least the provider minimum and is
 *     rounded; the benchmark covers only the other aanbieders; E's report shows no figure at
 *     all, and its CSV and PDF text carry "." where the values would be;
 *   - no other aanbieder is named: the action owned by D says "een andere aanbieder", and
 *     neither the CSV nor the PDF text of A's report contains another aanbieder's name;
 *   - actions: counts and overdue; agreements: the contract's agreement with the latest value.
 * The PDF text is checked with pdftotext (poppler-utils) when present.
 */
#include "report/mirror_report.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/config.h"
#include "domain/action.h"
#include "domain/contract.h"
#include "domain/conversation.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/role.h"
#include "metrics/catalog.h"
#include "metrics/disclosure.h"
#include "metrics/engine.h"
#include "report/pdf.h"
#include "store/db.h"
#include "store/indicator_store.h"
#include "store/store.h"
#include "support/fixture.h"
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define NAANB 7

struct fx {
    char dir[64], path[128];
    struct store *s;
    struct arena *a;
    struct config cfg;
    struct mx_engine *eng;
    int64_t region, gem, gem2, region2, gem_out, aanb[NAANB], result, conv, contract;
    int64_t uitval;
    struct actor beleid, contract_mgr, kwal_a, kwal_e, raad, beleid_out;
    int64_t next_person;
    day_t today;
};
static struct fx f;

static void exec(struct db *db, const char *sql)
{
    int rc = db_exec(db, sql);
    if (rc)
        fail_msg("sql failed (%s): %.200s", err_name(rc), sql);
}

static day_t D(int y, int m, int d)
{
    return day_from_ymd(y, m, d);
}

/* n jeugdwet trajectories of gemeente cbs at aanbieder ai; every third one ended with uitval. */
static void add(struct db *db, int n, const char *cbs, int ai, day_t start, day_t end)
{
    for (int i = 0; i < n; i++) {
        int64_t person = ++f.next_person;
        char sql[768];
        snprintf(sql, sizeof sql,
                 "INSERT INTO person(id, hkey, pseudonym) VALUES (%" PRId64 ", %" PRId64
                 ", randomblob(32));",
                 person, person);
        exec(db, sql);
        char endv[16] = "NULL", cbsv[8] = "NULL";
        if (end != DAY_NONE) {
            snprintf(endv, sizeof endv, "%d", (int)end + i % 20);
            snprintf(cbsv, sizeof cbsv, "'%s'", i % 3 == 0 ? "03" : "01");
        }
        snprintf(sql, sizeof sql,
                 "INSERT INTO trajectory(person_id, aanbieder_id, law, gemeente, category, "
                 "hulpvorm, start_date, end_date, end_reason, end_reason_list, release, "
                 "cbs_reason, referrer, age_at_start, age_band, gender, flags, batch_id) VALUES "
                 "(%" PRId64 ", %" PRId64 ", 1, '%s', NULL, '01', %d, %s, NULL, 'CBS', 'v7', "
                 "%s, '01', 10, '4-11', '%d', 8, 1);",
                 person, f.aanb[ai], cbs, (int)start + i % 20, endv, cbsv, 1 + i % 2);
        exec(db, sql);
    }
}

static void make_data(void)
{
    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    exec(db, "INSERT INTO import_batch(id, kind, file_name, file_sha256, file_bytes, via, "
             "status, created_at) VALUES (1, 'registratie', 'x1.csv', '" /* 64 hex */
             "0000000000000000000000000000000000000000000000000000000000000001', 1, 'cli', "
             "'actief', '2024-07-01T00:00:00Z');");
    for (int ai = 0; ai < NAANB; ai++) {
        int n = ai == 4 ? 2 : 30 + 5 * ai; /* E: eight in all, never shown */
        add(db, n, "0344", ai, D(2023, 1, 9), D(2024, 2, 1));
        add(db, n, "0344", ai, D(2023, 1, 9), D(2024, 5, 2));
        add(db, n, "0363", ai, D(2023, 4, 9), D(2024, 5, 2));
        add(db, n, "0344", ai, D(2024, 1, 15), DAY_NONE);
    }
    exec(db, "INSERT INTO data_change(batch_id, kind, at) VALUES (1, 'import', "
             "'2024-07-01T00:00:00Z');");
    f.uitval = ind_catalog_standard_id(db, "jw_uitval");
    assert_true(f.uitval > 0);
    int64_t inds[1] = {f.uitval};
    assert_int_equal(indicator_store_set_result_links(db, f.result, inds, 1), 0);
    assert_int_equal(store_write_end(f.s, true), 0);
}

static void make_contract(void)
{
    struct err_ctx e = {0};
    const char *gems[2] = {"0344", "0363"};
    struct contract_agreement ag = {.indicator_id = f.uitval,
                                    .target = 20.0,
                                    .comparison = AGREE_MAX,
                                    .note = "Minder uitval."};
    struct contract_product prod = {.category = "45", .code = ""};
    struct contract_input in = {.name = "Jeugdhulp regio 2024",
                                .owner_org_id = f.region,
                                .aanbieder_id = f.aanb[0],
                                .law = LAW_JW,
                                .variant = CONTRACT_OUTPUTGERICHT,
                                .valid_from = D(2024, 1, 1),
                                .valid_to = D(2024, 12, 31),
                                .budget_cents = 100000000,
                                .cap_cents = -1,
                                .gemeenten = gems,
                                .ngemeenten = 2,
                                .products = &prod,
                                .nproducts = 1,
                                .agreements = &ag,
                                .nagreements = 1};
    int rc = contract_create(f.s, &f.contract_mgr, &in, &f.contract, f.a, &e);
    if (rc)
        fail_msg("contract_create: %s %s", err_name(rc), e.msg);
}

static void make_conversation(void)
{
    struct err_ctx e = {0};
    struct conv_party_input parties[2] = {{f.aanb[0], 0}, {f.aanb[3], 0}};
    struct conv_participant_input people[2] = {{f.beleid.user_id, CROLE_GESPREKSLEIDER},
                                               {f.kwal_a.user_id, CROLE_DEELNEMER}};
    int64_t results[1] = {f.result};
    struct conv_input ci = {.owner_org_id = f.gem,
                            .kind = CONV_ACHTERKANT,
                            .title = "Kwaliteitsgesprek jeugdhulp voorjaar 2024",
                            .goal = "Samen de uitval begrijpen.",
                            .period_from = D(2024, 1, 1),
                            .period_to = D(2024, 6, 30),
                            .held_on = D(2024, 9, 12),
                            .place = "Stadskantoor",
                            .result_ids = results,
                            .nresults = 1,
                            .parties = parties,
                            .nparties = 2,
                            .participants = people,
                            .nparticipants = 2};
    int rc = conversation_create(f.s, &f.beleid, &ci, &f.conv, &e);
    if (rc)
        fail_msg("conversation_create: %s %s", err_name(rc), e.msg);
    struct action_input a1 = {.conversation_id = f.conv,
                              .owner_org_id = f.aanb[0],
                              .description = "Elke uitval bespreken in het teamoverleg.",
                              .due_on = f.today - 30}; /* overdue */
    struct action_input a2 = {.conversation_id = f.conv,
                              .owner_org_id = f.aanb[3],
                              .description = "Wachtlijst delen met de toegang.",
                              .due_on = f.today + 60};
    int64_t id;
    rc = action_create(f.s, &f.beleid, &a1, &id, f.a, &e);
    if (rc)
        fail_msg("action_create: %s %s", err_name(rc), e.msg);
    rc = action_create(f.s, &f.beleid, &a2, &id, f.a, &e);
    if (rc)
        fail_msg("action_create: %s %s", err_name(rc), e.msg);
}

static int setup(void **state)
{
    (void)state;
    memset(&f, 0, sizeof f);
    ts_store_open("mirror", f.dir, f.path, &f.s);
    f.a = arena_new(0);
    config_defaults(&f.cfg, f.dir);
    f.today = action_today();
    struct err_ctx e = {0};
    size_t added = 0;
    assert_int_equal(ind_catalog_ensure_standard(f.s, &added, &e), 0);
    f.region = ts_make_org(f.s, ORG_REGION, "Regio Midden", NULL, NULL, 0);
    f.gem = ts_make_org(f.s, ORG_GEMEENTE, NULL, "0344", NULL, f.region);
    f.gem2 = ts_make_org(f.s, ORG_GEMEENTE, NULL, "0363", NULL, f.region);
    f.region2 = ts_make_org(f.s, ORG_REGION, "Regio Noord", NULL, NULL, 0);
    f.gem_out = ts_make_org(f.s, ORG_GEMEENTE, NULL, "0014", NULL, f.region2);
    for (int i = 0; i < NAANB; i++) {
        char name[32], agb[24];
        snprintf(name, sizeof name, "Aanbieder %c", 'A' + i);
        snprintf(agb, sizeof agb, "7300000%d", i);
        f.aanb[i] = ts_make_org(f.s, ORG_AANBIEDER, name, NULL, agb, 0);
    }
    const char *pw = "Wachtwoord-123!x";
    f.beleid = ts_make_actor(f.s, f.a, "beleid.utrecht", f.gem, ROLE_BELEID, pw);
    f.contract_mgr = ts_make_actor(f.s, f.a, "contract.regio", f.region, ROLE_CONTRACT, pw);
    f.kwal_a = ts_make_actor(f.s, f.a, "kwaliteit.a", f.aanb[0], ROLE_KWALITEIT, pw);
    f.kwal_e = ts_make_actor(f.s, f.a, "kwaliteit.e", f.aanb[4], ROLE_KWALITEIT, pw);
    f.raad = ts_make_actor(f.s, f.a, "raad.utrecht", f.gem, ROLE_RAAD, pw);
    f.beleid_out = ts_make_actor(f.s, f.a, "beleid.groningen", f.gem_out, ROLE_BELEID, pw);
    struct result_input ri = {.owner_org_id = f.gem,
                              .theme = THEME_OPGROEIEN,
                              .title = "Jongeren groeien veilig op",
                              .description = "Minder uitval.",
                              .start_year = 2024,
                              .end_year = 2027};
    assert_int_equal(result_create(f.s, &f.beleid, &ri, &f.result, &e), 0);
    make_data();
    make_contract();
    make_conversation();
    assert_int_equal(mx_engine_build(store_reader(f.s), &f.eng, &e), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mx_engine_free(f.eng);
    store_close(f.s);
    config_release(&f.cfg);
    arena_free(f.a);
    ts_rm_dir(f.dir);
    return 0;
}

static int build(const struct actor *who, int64_t aanbieder, struct mirror_report *out)
{
    struct mirror_request rq = {.aanbieder_id = aanbieder,
                                .last = {PERIOD_QUARTER, 2024, 2},
                                .nquarters = 2,
                                .today = f.today};
    struct err_ctx e = {0};
    int rc = mirror_report_build(f.a, f.s, f.eng, &f.cfg, who, &rq, out, &e);
    if (rc && rc != ERR_NOT_FOUND)
        fail_msg("mirror_report_build: %s %s", err_name(rc), e.msg);
    return rc;
}

static const struct mirror_figure *figure(const struct mirror_report *r, int64_t ind)
{
    for (int i = 0; i < r->nfigures; i++)
        if (r->figures[i].ind_id == ind)
            return &r->figures[i];
    return NULL;
}

static void test_policy(void **state)
{
    (void)state;
    struct mirror_report r;
    assert_int_equal(build(&f.kwal_a, f.aanb[0], &r), 0);
    assert_string_equal(r.aanbieder_name, "Aanbieder A");
    assert_int_equal(build(&f.beleid, f.aanb[0], &r), 0); /* gemeente in the contracting region */
    assert_int_equal(build(&f.contract_mgr, f.aanb[0], &r), 0);
    assert_int_equal(build(&f.kwal_e, f.aanb[0], &r), ERR_NOT_FOUND); /* another aanbieder */
    assert_int_equal(build(&f.raad, f.aanb[0], &r), ERR_NOT_FOUND);
    assert_int_equal(build(&f.beleid_out, f.aanb[0], &r), ERR_NOT_FOUND);
    assert_int_equal(build(&f.beleid, f.aanb[1], &r), ERR_NOT_FOUND); /* not contracted */
    assert_int_equal(build(&f.beleid, f.gem, &r), ERR_NOT_FOUND);     /* not an aanbieder */
    assert_int_equal(build(&f.kwal_a, 999999, &r), ERR_NOT_FOUND);
    assert_int_equal(build(&f.kwal_e, f.aanb[4], &r), 0); /* its own */
    struct object_ref obj;
    assert_int_equal(mirror_object(f.a, f.s, f.aanb[0], &obj), 0);
    assert_int_equal(obj.nparties, 1);
    assert_int_equal(obj.party_org_ids[0], f.region);
}

static void test_figures_disclosed(void **state)
{
    (void)state;
    struct mirror_report r;
    assert_int_equal(build(&f.kwal_a, f.aanb[0], &r), 0);
    struct dc_rules prov;
    dc_rules_for(&f.cfg, DC_PROVIDER, &prov);
    assert_true(r.rules.min_count >= prov.min_count && r.rules.round_to >= prov.round_to);
    assert_true(r.nfigures > 0);
    const struct mirror_figure *u = figure(&r, f.uitval);
    assert_non_null(u);
    assert_true(u->ok);
    assert_true(u->latest >= 0);
    assert_non_null(u->sentence);
    assert_non_null(strstr(u->sentence, "Aanbieder A"));
    int shown = 0, bench = 0;
    for (int i = 0; i < r.nfigures; i++) {
        const struct mirror_figure *x = &r.figures[i];
        if (!x->ok)
            continue;
        assert_int_equal(x->view.audience, DC_PROVIDER);
        assert_int_equal(x->view.nby, 0);
        for (size_t k = 0; k < x->view.ncells; k++) {
            const struct mx_vcell *c = &x->view.cells[k];
            if (c->reason == DC_SHOWN) {
                shown++;
                assert_true(c->n >= r.rules.min_count);
                assert_int_equal(c->n % r.rules.round_to, 0);
            } else {
                assert_true(isnan(c->value));
            }
            if (isfinite(c->bench_median)) {
                bench++;
                /* The others only: at most the six other aanbieders. */
                assert_true(c->bench_entities >= r.rules.min_benchmark);
                assert_true(c->bench_entities <= NAANB - 1);
            }
        }
    }
    assert_true(shown > 0);
    assert_true(bench > 0);
    assert_non_null(u->bench_text);

    /* E: eight trajectories in all — nothing may be shown. */
    struct mirror_report re;
    assert_int_equal(build(&f.kwal_e, f.aanb[4], &re), 0);
    for (int i = 0; i < re.nfigures; i++)
        for (size_t k = 0; re.figures[i].ok && k < re.figures[i].view.ncells; k++)
            assert_int_not_equal(re.figures[i].view.cells[k].reason, DC_SHOWN);
    const struct mirror_figure *ue = figure(&re, f.uitval);
    assert_non_null(ue);
    assert_int_equal(ue->latest, -1);
    assert_non_null(ue->problem);
}

static void test_actions_and_agreements(void **state)
{
    (void)state;
    struct mirror_report r;
    assert_int_equal(build(&f.kwal_a, f.aanb[0], &r), 0);
    assert_int_equal(r.nactions, 2);
    assert_int_equal(r.counts.open, 2);
    assert_int_equal(r.counts.overdue, 1);
    bool other = false, own = false;
    for (int i = 0; i < r.nactions; i++) {
        const struct improvement_action *x = &r.actions[i];
        if (x->owner_org_id == f.aanb[3]) {
            other = true;
            assert_string_equal(x->owner_name, "een andere aanbieder");
            assert_false(x->overdue);
        } else {
            own = true;
            assert_string_equal(x->owner_name, "Aanbieder A");
            assert_true(x->overdue);
        }
    }
    assert_true(other && own);
    assert_true(r.agreements_available);
    assert_int_equal(r.nagreements, 1);
    assert_string_equal(r.agreements[0].contract, "Jeugdhulp regio 2024");
    assert_non_null(strstr(r.agreements[0].target, "20"));
    /* The latest value of the agreement is the report's own figure. */
    const struct mirror_figure *u = figure(&r, f.uitval);
    assert_string_equal(r.agreements[0].latest, u->latest_value);
    assert_true(strcmp(r.agreements[0].met, "gehaald") == 0 ||
                strcmp(r.agreements[0].met, "nog niet gehaald") == 0);
    assert_false(r.has_review); /* no review recorded */
    assert_null(r.review_problem);

    /* E reads its own report: the conversation of A and D is not its business. */
    struct mirror_report re;
    assert_int_equal(build(&f.kwal_e, f.aanb[4], &re), 0);
    assert_int_equal(re.nactions, 0);
    assert_int_equal(re.nagreements, 0);
}

/* Writes the PDF to a file and returns its text through pdftotext, or NULL without poppler. */
static char *pdf_text(const struct buf *pdf)
{
    if (access("/usr/bin/pdftotext", X_OK) != 0)
        return NULL;
    char in[160], out[160];
    snprintf(in, sizeof in, "%s/spiegel.pdf", f.dir);
    snprintf(out, sizeof out, "%s/spiegel.txt", f.dir);
    FILE *fp = fopen(in, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(pdf->p, 1, pdf->len, fp), pdf->len);
    fclose(fp);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext -enc UTF-8 '%s' '%s'", in, out);
    int st = system(cmd);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    fp = fopen(out, "rb");
    assert_non_null(fp);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    return text;
}

static void no_other_names(const char *text, int self)
{
    for (int i = 0; i < NAANB; i++) {
        if (i == self)
            continue;
        char name[32];
        snprintf(name, sizeof name, "Aanbieder %c", 'A' + i);
        if (strstr(text, name))
            fail_msg("%s named in the report of Aanbieder %c", name, 'A' + self);
    }
}

static void test_csv_and_pdf(void **state)
{
    (void)state;
    struct mirror_report r;
    assert_int_equal(build(&f.kwal_a, f.aanb[0], &r), 0);
    const char *csv = NULL;
    size_t len = 0;
    struct err_ctx e = {0};
    assert_int_equal(mirror_report_csv(f.a, &r, &csv, &len, &e), 0);
    assert_true(len > 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0); /* BOM */
    assert_non_null(strstr(csv, "Onderdeel;"));
    assert_non_null(strstr(csv, "Resultaatafspraak"));
    assert_non_null(strstr(csv, "een andere aanbieder"));
    assert_non_null(strstr(csv, u8"(te laat)"));
    no_other_names(csv, 0);
    /* The latest value of uitval appears as in the model. */
    const struct mirror_figure *u = figure(&r, f.uitval);
    assert_non_null(strstr(csv, u->latest_value));

    struct buf pdf;
    buf_init(&pdf, PDF_MAX_BYTES);
    int pages = 0;
    assert_int_equal(mirror_report_pdf(f.a, &r, &pdf, &pages, &e), 0);
    assert_true(pages >= 2);
    assert_memory_equal(pdf.p, "%PDF-", 5);
    char *text = pdf_text(&pdf);
    if (text) {
        assert_non_null(strstr(text, "Spiegelrapportage Aanbieder A"));
        assert_non_null(strstr(text, "Resultaten naast de regio"));
        assert_non_null(strstr(text, "een andere aanbieder"));
        no_other_names(text, 0);
    }
    buf_release(&pdf);

    /* E: every value hidden, in CSV and PDF alike. */
    struct mirror_report re;
    assert_int_equal(build(&f.kwal_e, f.aanb[4], &re), 0);
    assert_int_equal(mirror_report_csv(f.a, &re, &csv, &len, &e), 0);
    no_other_names(csv, 4);
    /* Each figure row: value "." and count "." (columns 5 and 6). */
    int rows = 0;
    for (const char *p = strstr(csv, "\nIndicator;"); p; p = strstr(p + 1, "\nIndicator;")) {
        const char *q = p + 1;
        for (int col = 0; col < 4; col++) {
            q = strchr(q, ';');
            assert_non_null(q);
            q++;
        }
        if (!(q[0] == '.' && q[1] == ';' && q[2] == '.' && q[3] == ';'))
            fail_msg("a figure of E is shown in the CSV: %.80s", p + 1);
        rows++;
    }
    assert_true(rows > 0);
    buf_init(&pdf, PDF_MAX_BYTES);
    assert_int_equal(mirror_report_pdf(f.a, &re, &pdf, NULL, &e), 0);
    text = pdf_text(&pdf);
    if (text) {
        no_other_names(text, 4);
        assert_non_null(strstr(text, "Er zijn (nog) geen cijfers die we mogen laten zien"));
        assert_null(strstr(text, "Aanbieder A"));
    }
    buf_release(&pdf);
}

static void test_bad_request(void **state)
{
    (void)state;
    struct mirror_report r;
    struct mirror_request rq = {.aanbieder_id = f.aanb[0], .nquarters = MIRROR_QUARTERS_MAX + 1};
    struct err_ctx e = {0};
    assert_int_equal(mirror_report_build(f.a, f.s, f.eng, &f.cfg, &f.kwal_a, &rq, &r, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "kwartalen");
    /* Without an engine: no figures, but the rest of the report stands. */
    rq.nquarters = 0;
    assert_int_equal(mirror_report_build(f.a, f.s, NULL, &f.cfg, &f.kwal_a, &rq, &r, &e), 0);
    assert_non_null(r.figures_problem);
    assert_int_equal(r.nactions, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_figures_disclosed),
        cmocka_unit_test(test_actions_and_agreements),
        cmocka_unit_test(test_csv_and_pdf),
        cmocka_unit_test(test_bad_request),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
