/*
 * test_council_report.c: the council report (report/council_report.c) and what may reach it
 * (domain/conversation_published.c). On a fresh store with hand-inserted trajectories of gemeente
 * 0344 (one quarter with very few, so that figure is hidden), a result with two indicators,
 * stories of every consent, and three concluded conversations — one approved by both sides,
 * one approved by the gemeente only, one approved by both and then changed (which withdraws
 * the approvals) — the report of the result for 0344:
 *   - holds only the stories with publication consent, about 0344 or no gemeente, linked to the
 *     result or to one of its indicators;
 *   - holds only the conversation every side approved, with its title, summary, conclusions,
 *     party names and actions with status, and none of its phase notes, preparation notes,
 *     evaluations or participants' names (checked in the model and in the PDF's text);
 *   - shows figures at the published strictness: every shown total rests on at least the
 *     published minimum, its counts are multiples of 5, hidden values are NAN (never 0);
 *   - refuses a view function that answers at a looser audience or with looser rules.
 * A theme report covers the theme's results of the given owners. The PDF is checked with
 * poppler (pdftotext, pdfinfo) when present.
 */
#include "report/council_report.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/config.h"
#include "domain/action.h"
#include "domain/conversation.h"
#include "domain/conversation_published.h"
#include "domain/result.h"
#include "domain/role.h"
#include "domain/story.h"
#include "metrics/catalog.h"
#include "metrics/disclosure.h"
#include "metrics/engine.h"
#include "report/pdf.h"
#include "store/db.h"
#include "store/indicator_store.h"
#include "store/story_store.h"
#include "store/store.h"
#include "support/fixture.h"
#include <math.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define NAANB 6

struct fx {
    char dir[64], path[128];
    struct store *s;
    struct arena *a;
    struct config cfg;
    struct mx_engine *eng;
    int64_t region, gem, gem2, aanb[NAANB], result, other_result, ind[2];
    int64_t conv_ok, conv_one, conv_changed;
    struct actor beleid, kwaliteit, raad;
    int64_t next_person;
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

/* n jeugdwet trajectories of gemeente cbs at aanbieder ai from start to end (every third one
 * ended with CBS reason 03, uitval). */
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
        snprintf(sql, sizeof sql,
                 "INSERT INTO trajectory(person_id, aanbieder_id, law, gemeente, category, "
                 "hulpvorm, start_date, end_date, end_reason, end_reason_list, release, "
                 "cbs_reason, referrer, age_at_start, age_band, gender, flags, batch_id) VALUES "
                 "(%" PRId64 ", %" PRId64 ", 1, '%s', NULL, '01', %d, %d, NULL, 'CBS', 'v7', "
                 "'%s', '01', 10, '4-11', '%d', 8, 1);",
                 person, f.aanb[ai], cbs, (int)start + i % 20, (int)end + i % 20,
                 i % 3 == 0 ? "03" : "01", 1 + i % 2);
        exec(db, sql);
    }
}

static void story(const char *title, const char *consent, const char *gemeente, bool to_result,
                  int64_t indicator)
{
    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    int64_t results[1] = {f.result}, inds[1] = {indicator};
    struct story_values v = {.owner_org_id = f.gem,
                             .kind_code = "citaat",
                             .consent_code = consent,
                             .title = title,
                             .body = arena_printf(f.a, "Tekst van %s.", title),
                             .teller_role = "ouder",
                             .told_on = D(2024, 3, 12),
                             .gemeente = gemeente,
                             .anon_checked = "[]",
                             .result_ids = results,
                             .nresults = to_result ? 1 : 0,
                             .indicator_ids = inds,
                             .nindicators = indicator ? 1 : 0};
    int64_t id;
    assert_int_equal(story_store_insert(db, &v, "2024-03-12T10:00:00Z", 0, &id), 0);
    assert_int_equal(store_write_end(f.s, true), 0);
}

static struct conversation load(int64_t id)
{
    struct conversation c;
    assert_int_equal(conversation_get(f.a, f.s, &f.beleid, id, &c), 0);
    return c;
}

/* A conversation about the result with aanbieder A, held and concluded with summary. */
static int64_t concluded(const char *title, const char *summary, bool secrets)
{
    struct err_ctx e = {0};
    struct conv_party_input parties[1] = {{f.aanb[0], 0}};
    struct conv_participant_input people[2] = {{f.beleid.user_id, CROLE_GESPREKSLEIDER},
                                               {f.kwaliteit.user_id, CROLE_DEELNEMER}};
    int64_t results[1] = {f.result};
    struct conv_input ci = {.owner_org_id = f.gem,
                            .kind = CONV_ACHTERKANT,
                            .title = title,
                            .goal = "Samen de uitval begrijpen.",
                            .period_from = D(2024, 1, 1),
                            .period_to = D(2024, 6, 30),
                            .held_on = D(2024, 9, 12),
                            .result_ids = results,
                            .nresults = 1,
                            .parties = parties,
                            .nparties = 1,
                            .participants = people,
                            .nparticipants = 2};
    int64_t id = 0;
    int rc = conversation_create(f.s, &f.beleid, &ci, &id, &e);
    if (rc)
        fail_msg("conversation_create: %s %s", err_name(rc), e.msg);
    const char *hint = NULL;
    if (secrets) {
        assert_int_equal(conversation_phase_save(f.a, f.s, &f.beleid, id, PHASE_HERKENNEN,
                                                 "FASENOTITIE-GEHEIM: we herkennen de uitval.", 20,
                                                 1, &hint, &e),
                         0);
        int64_t note = 0;
        assert_int_equal(conversation_prep_create(f.s, &f.kwaliteit, id,
                                                  "VOORBEREIDING-GEHEIM over wachttijden.", true,
                                                  &note, &e),
                         0);
    }
    struct conversation c = load(id);
    assert_int_equal(conversation_mark_held(f.s, &f.beleid, id, c.version, &e), 0);
    if (secrets)
        assert_int_equal(conversation_evaluate(f.s, &f.kwaliteit, id, 4, "ja", "Open sfeer.",
                                               "EVALUATIE-GEHEIM tip", &e),
                         0);
    c = load(id);
    rc = conversation_conclude(f.s, &f.beleid, id, summary, "CONCLUSIE: sneller starten.",
                               c.version, &e);
    if (rc)
        fail_msg("conclude: %s %s", err_name(rc), e.msg);
    return id;
}

static void approve(int64_t id, const struct actor *who)
{
    struct err_ctx e = {0};
    int rc = conversation_approve(f.s, who, id, &e);
    if (rc)
        fail_msg("approve: %s %s", err_name(rc), e.msg);
}

static int64_t action(int64_t conv, const char *description, day_t due)
{
    struct err_ctx e = {0};
    struct action_input in = {.conversation_id = conv,
                              .owner_org_id = f.aanb[0],
                              .owner_user_id = f.kwaliteit.user_id,
                              .description = description,
                              .expected_effect = "VERWACHT-EFFECT-INTERN",
                              .due_on = due};
    int64_t id = 0;
    int rc = action_create(f.s, &f.beleid, &in, &id, f.a, &e);
    if (rc)
        fail_msg("action_create: %s %s", err_name(rc), e.msg);
    return id;
}

static int setup(void **state)
{
    (void)state;
    memset(&f, 0, sizeof f);
    ts_store_open("council", f.dir, f.path, &f.s);
    f.a = arena_new(0);
    config_defaults(&f.cfg, f.dir);
    struct err_ctx e = {0};
    size_t added = 0;
    assert_int_equal(ind_catalog_ensure_standard(f.s, &added, &e), 0);

    f.region = ts_make_org(f.s, ORG_REGION, "Regio Midden", NULL, NULL, 0);
    f.gem = ts_make_org(f.s, ORG_GEMEENTE, NULL, "0344", NULL, f.region);
    f.gem2 = ts_make_org(f.s, ORG_GEMEENTE, NULL, "0363", NULL, f.region);
    for (int i = 0; i < NAANB; i++) {
        char name[32], agb[24];
        snprintf(name, sizeof name, "Aanbieder %c", 'A' + i);
        snprintf(agb, sizeof agb, "7300000%d", i);
        f.aanb[i] = ts_make_org(f.s, ORG_AANBIEDER, name, NULL, agb, 0);
    }
    f.beleid =
        ts_make_actor(f.s, f.a, "persoon.geheim.beleid", f.gem, ROLE_BELEID, "Wachtwoord-123!x");
    f.kwaliteit = ts_make_actor(f.s, f.a, "persoon.geheim.kwaliteit", f.aanb[0], ROLE_KWALITEIT,
                                "Wachtwoord-123!x");
    f.raad = ts_make_actor(f.s, f.a, "raad.utrecht", f.gem, ROLE_RAAD, "Wachtwoord-123!x");

    struct result_input ri = {.owner_org_id = f.gem,
                              .theme = THEME_OPGROEIEN,
                              .title = "Jongeren groeien veilig op",
                              .description = "Minder uitval, passende hulp.",
                              .start_year = 2024,
                              .end_year = 2027};
    assert_int_equal(result_create(f.s, &f.beleid, &ri, &f.result, &e), 0);
    ri.theme = THEME_WONEN;
    ri.title = "Ouderen wonen langer thuis";
    assert_int_equal(result_create(f.s, &f.beleid, &ri, &f.other_result, &e), 0);

    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    f.ind[0] = ind_catalog_standard_id(db, "jw_uitval");
    f.ind[1] = ind_catalog_standard_id(db, "nieuwe_starts");
    assert_true(f.ind[0] > 0 && f.ind[1] > 0);
    assert_int_equal(indicator_store_set_result_links(db, f.result, f.ind, 2), 0);
    exec(db, "INSERT INTO import_batch(id, kind, file_name, file_sha256, file_bytes, via, "
             "status, created_at) VALUES (1, 'registratie', 'x.csv', '" /* 64 hex */
             "0000000000000000000000000000000000000000000000000000000000000001', 1, 'cli', "
             "'actief', '2024-07-01T00:00:00Z');");
    /* Many ended trajectories in 2024-Q1 and Q2 (also in 0363 for the benchmark), and only a
     * handful in 2023-Q4: that quarter's figure rests on fewer than 10 and must be hidden. */
    for (int ai = 0; ai < NAANB; ai++) {
        int n = 20 + 3 * ai;
        add(db, n, "0344", ai, D(2023, 1, 9), D(2024, 2, 1));
        add(db, n, "0344", ai, D(2023, 1, 9), D(2024, 5, 2));
        add(db, n, "0363", ai, D(2023, 4, 9), D(2024, 5, 2));
    }
    add(db, 4, "0344", 0, D(2023, 1, 9), D(2023, 11, 1));
    exec(db, "INSERT INTO data_change(batch_id, kind, at) VALUES (1, 'import', "
             "'2024-07-01T00:00:00Z');");
    assert_int_equal(store_write_end(f.s, true), 0);

    story("Openbaar verhaal over het resultaat", "publicatie", "0344", true, 0);
    story("Openbaar verhaal via een indicator", "publicatie", NULL, false, f.ind[0]);
    story("Verhaal alleen voor het gesprek", "gesprek", "0344", true, 0);
    story("Intern verhaal", "intern", "0344", true, 0);
    story("Openbaar verhaal uit een andere gemeente", "publicatie", "0363", true, 0);

    /* Approved by every side: published. Its actions: one open, one in progress. */
    f.conv_ok =
        concluded("Gesprek door iedereen goedgekeurd", "SAMENVATTING-OK: minder uitval.", true);
    int64_t a1 = action(f.conv_ok, "Eerste doelengesprek binnen twee weken", D(2024, 12, 1));
    int64_t a2 = action(f.conv_ok, "Wachttijd samen uitzoeken", D(2030, 12, 1));
    struct improvement_action act;
    assert_int_equal(action_get(f.a, f.s, &f.beleid, a2, &act), 0);
    assert_int_equal(
        action_set_status(f.s, &f.beleid, a2, act.version, ACTION_BEZIG, NULL, f.a, &e), 0);
    (void)a1;
    approve(f.conv_ok, &f.beleid);
    approve(f.conv_ok, &f.kwaliteit);

    /* Approved by the gemeente side only: not published. */
    f.conv_one = concluded("Gesprek met een goedkeuring", "SAMENVATTING-EEN-KANT", false);
    action(f.conv_one, "ACTIE-VAN-ONGOEDGEKEURD-GESPREK", D(2025, 1, 1));
    approve(f.conv_one, &f.beleid);

    /* Approved by both, then the summary changed: the approvals are withdrawn. */
    f.conv_changed = concluded("Gesprek later gewijzigd", "SAMENVATTING-OUD", false);
    approve(f.conv_changed, &f.beleid);
    approve(f.conv_changed, &f.kwaliteit);
    struct conversation c = load(f.conv_changed);
    assert_int_equal(conversation_conclude(f.s, &f.beleid, f.conv_changed, "SAMENVATTING-GEWIJZIGD",
                                           "Andere conclusie.", c.version, &e),
                     0);

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

/* ---- The view function a test passes (the web layer passes web/figures.h instead) ---------- */

struct vctx {
    enum dc_audience audience;
    struct dc_rules rules;
    int calls;
};

static int test_view(void *ctx, int64_t ind_id, struct period first, struct period last,
                     struct mx_view *out, struct err_ctx *e)
{
    struct vctx *vc = ctx;
    static const char *const codes[1] = {"0344"};
    struct mx_scope scope = {.gemeenten = codes, .ngemeenten = 1};
    struct mx_view_req vr = {.ind_id = ind_id,
                             .pkind = PERIOD_QUARTER,
                             .first = first,
                             .last = last,
                             .scope = &scope,
                             .audience = vc->audience,
                             .rules = &vc->rules,
                             .bench_dim = MX_DIM_GEMEENTE};
    vc->calls++;
    return mx_view_compute(f.eng, &vr, f.a, out, e);
}

static struct council_request request(struct vctx *vc, const struct dc_rules *pub)
{
    return (struct council_request){.result_id = f.result,
                                    .gemeente = "0344",
                                    .area_name = "Utrecht",
                                    .last = (struct period){PERIOD_QUARTER, 2024, 2},
                                    .nquarters = 4,
                                    .view = test_view,
                                    .view_ctx = vc,
                                    .published = pub,
                                    .today = D(2025, 1, 15)};
}

static bool has_story(const struct council_result *r, const char *title)
{
    for (int i = 0; i < r->nstories; i++)
        if (strcmp(r->stories[i].title, title) == 0)
            return true;
    return false;
}

/* pdftotext of a PDF in memory; NULL when poppler is absent. Caller frees. */
static char *pdf_text(const struct buf *pdf)
{
    if (access("/usr/bin/pdftotext", X_OK) != 0)
        return NULL;
    char dir[64] = "/tmp/duiding-raad-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], cmd[320];
    snprintf(path, sizeof path, "%s/r.pdf", dir);
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(pdf->p, 1, pdf->len, out), pdf->len);
    fclose(out);
    snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext '%s' '%s/r.txt'", path, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/r.txt", dir);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    char *text = calloc(1, 1 << 20);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 20) - 1, in);
    fclose(in);
    text[n] = '\0';
    ts_rm_dir(dir);
    return text;
}

/* ---- Tests --------------------------------------------------------------------------------- */

static void published_conversations_only(void **state)
{
    (void)state;
    struct conv_published *pub = NULL;
    int n = 0;
    assert_int_equal(conversation_published_list(f.a, f.s, f.result, "GM0344", 0, &pub, &n), 0);
    assert_int_equal(n, 1); /* not the one-sided, not the changed one */
    assert_int_equal(pub[0].id, f.conv_ok);
    assert_string_equal(pub[0].title, "Gesprek door iedereen goedgekeurd");
    assert_string_equal(pub[0].summary, "SAMENVATTING-OK: minder uitval.");
    assert_string_equal(pub[0].conclusions, "CONCLUSIE: sneller starten.");
    assert_int_equal(pub[0].held_on, D(2024, 9, 12));
    assert_int_equal(pub[0].nparties, 2);
    assert_int_equal(pub[0].parties[0].side, SIDE_GEMEENTE); /* the gemeente side first */
    assert_string_equal(pub[0].parties[1].name, "Aanbieder A");
    assert_int_equal(pub[0].parties[1].side, SIDE_AANBIEDER);
    assert_int_equal(pub[0].nactions, 2);
    assert_int_equal(pub[0].actions[0].status, ACTION_OPEN); /* open before bezig */
    assert_string_equal(pub[0].actions[0].description, "Eerste doelengesprek binnen twee weken");
    assert_string_equal(pub[0].actions[0].owner_name, "Aanbieder A");
    assert_int_equal(pub[0].actions[1].status, ACTION_BEZIG);
    /* Another gemeente, another result: nothing. Bad input is refused. */
    assert_int_equal(conversation_published_list(f.a, f.s, f.result, "0363", 0, &pub, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(conversation_published_list(f.a, f.s, f.other_result, NULL, 0, &pub, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(conversation_published_list(f.a, f.s, f.result, "GM03", 0, &pub, &n),
                     ERR_INVALID);
    assert_int_equal(conversation_published_list(f.a, f.s, f.result, "03x4", 0, &pub, &n),
                     ERR_INVALID);
    assert_int_equal(conversation_published_list(f.a, f.s, 0, NULL, 0, &pub, &n), ERR_INVALID);

    /* The provider side has not approved the one-sided conversation; once it does, the
     * conversation is published too, and withdrawing the approval takes it out again. */
    approve(f.conv_one, &f.kwaliteit);
    assert_int_equal(conversation_published_list(f.a, f.s, f.result, NULL, 0, &pub, &n), 0);
    assert_int_equal(n, 2);
    struct err_ctx e = {0};
    assert_int_equal(conversation_unapprove(f.s, &f.kwaliteit, f.conv_one, &e), 0);
    assert_int_equal(conversation_published_list(f.a, f.s, f.result, NULL, 0, &pub, &n), 0);
    assert_int_equal(n, 1);
}

static void report_holds_only_public_content(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct vctx vc = {.audience = DC_PUBLISHED};
    struct dc_rules pub;
    dc_rules_for(&f.cfg, DC_PUBLISHED, &pub);
    vc.rules = pub;
    struct council_request rq = request(&vc, &pub);
    struct council_report rep;
    struct err_ctx e = {0};
    int rc = council_report_build(a, f.s, &f.raad, &rq, &rep, &e);
    if (rc)
        fail_msg("build: %s %s", err_name(rc), e.msg);
    assert_int_equal(rep.nresults, 1);
    assert_string_equal(rep.title, "Raadsrapportage: Jongeren groeien veilig op");
    assert_non_null(strstr(rep.subtitle, "Utrecht"));
    const struct council_result *r = &rep.results[0];
    assert_non_null(r->intro);

    /* Stories: publication consent only, of 0344 or without a gemeente, via result or
     * indicator. */
    assert_int_equal(r->nstories, 2);
    assert_true(has_story(r, "Openbaar verhaal over het resultaat"));
    assert_true(has_story(r, "Openbaar verhaal via een indicator"));
    assert_false(has_story(r, "Verhaal alleen voor het gesprek"));
    assert_false(has_story(r, "Intern verhaal"));
    assert_false(has_story(r, "Openbaar verhaal uit een andere gemeente"));

    /* Conversations: only the one every side approved; its actions counted. */
    assert_int_equal(r->nconversations, 1);
    assert_int_equal(r->conversations[0].id, f.conv_ok);
    assert_int_equal(r->nactions, 2);
    assert_int_equal(r->counts.open, 1);
    assert_int_equal(r->counts.bezig, 1);
    assert_int_equal(r->counts.klaar + r->counts.vervallen, 0);
    assert_int_equal(r->counts.overdue, 1); /* the open one was due 1-12-2024 */

    /* Figures at the published strictness. */
    assert_int_equal(r->nfigures, 2);
    int shown = 0, hidden = 0;
    for (int i = 0; i < r->nfigures; i++) {
        const struct council_figure *fg = &r->figures[i];
        assert_true(fg->ok);
        assert_int_equal(fg->view.audience, DC_PUBLISHED);
        assert_int_equal(fg->view.nperiods, 4);
        for (size_t k = 0; k < fg->view.ncells; k++) {
            const struct mx_vcell *c = &fg->view.cells[k];
            if (c->reason != DC_SHOWN) {
                assert_true(isnan(c->value));
                assert_int_equal(c->n, -1);
                hidden++;
                continue;
            }
            shown++;
            assert_true(c->n >= pub.min_count);
            assert_int_equal(c->n % pub.round_to, 0);
            if (fg->view.def->agg == IND_AGG_PROPORTION) {
                assert_true(c->den >= pub.min_denominator);
                assert_int_equal(c->den % pub.round_to, 0);
                assert_int_equal(c->num % pub.round_to, 0);
            }
        }
    }
    assert_int_equal(pub.round_to, 5);
    assert_true(shown > 0);
    assert_true(hidden > 0); /* 2023-Q4 rests on 4 trajectories */
    const struct council_figure *uitval = &r->figures[0];
    assert_int_equal(uitval->ind_id, f.ind[0]);
    assert_true(uitval->latest >= 0);
    assert_non_null(strstr(uitval->sentence, uitval->latest_value));

    /* The PDF: the title, the public texts, and nothing from inside the circle. */
    struct buf pdf;
    buf_init(&pdf, PDF_MAX_BYTES);
    int pages = 0;
    rc = council_report_pdf(a, &rep, &pdf, &pages, &e);
    if (rc)
        fail_msg("pdf: %s %s", err_name(rc), e.msg);
    assert_memory_equal(pdf.p, "%PDF-", 5);
    assert_true(pages >= 1);
    char *text = pdf_text(&pdf);
    if (text) {
        assert_non_null(strstr(text, "Raadsrapportage: Jongeren groeien veilig op"));
        assert_non_null(strstr(text, "SAMENVATTING-OK"));
        assert_non_null(strstr(text, "Openbaar verhaal via een indicator"));
        assert_non_null(strstr(text, "Wachttijd samen uitzoeken"));
        assert_non_null(strstr(text, "pagina 1 van"));
        const char *never[] = {"SAMENVATTING-EEN-KANT",  "SAMENVATTING-OUD",
                               "SAMENVATTING-GEWIJZIGD", "ACTIE-VAN-ONGOEDGEKEURD",
                               "FASENOTITIE-GEHEIM",     "VOORBEREIDING-GEHEIM",
                               "EVALUATIE-GEHEIM",       "VERWACHT-EFFECT-INTERN",
                               "persoon.geheim",         "Verhaal alleen voor het gesprek",
                               "Intern verhaal",         "andere gemeente"};
        for (size_t i = 0; i < ARRAY_LEN(never); i++)
            if (strstr(text, never[i]))
                fail_msg("the PDF contains '%s'", never[i]);
        free(text);
    }
    buf_release(&pdf);
    arena_free(a);
}

static void refuses_looser_figures(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct dc_rules pub;
    dc_rules_for(&f.cfg, DC_PUBLISHED, &pub);
    struct council_report rep;
    struct err_ctx e = {0};

    /* The internal audience. */
    struct vctx vc = {.audience = DC_INTERNAL};
    dc_rules_for(&f.cfg, DC_INTERNAL, &vc.rules);
    struct council_request rq = request(&vc, &pub);
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), ERR_INVALID);
    assert_true(vc.calls > 0);

    /* Labelled published, but with internal rounding. */
    struct vctx vc2 = {.audience = DC_PUBLISHED, .rules = pub};
    vc2.rules.round_to = 1;
    rq = request(&vc2, &pub);
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), ERR_INVALID);

    /* No view function: the report has no figures but still its public texts. */
    rq = request(&vc2, &pub);
    rq.view = NULL;
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), 0);
    assert_false(rep.has_figures);
    assert_int_equal(rep.results[0].nfigures, 0);
    assert_int_equal(rep.results[0].nconversations, 1);
    arena_free(a);
}

static void theme_and_bad_requests(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct vctx vc = {.audience = DC_PUBLISHED};
    struct dc_rules pub;
    dc_rules_for(&f.cfg, DC_PUBLISHED, &pub);
    vc.rules = pub;
    struct council_report rep;
    struct err_ctx e = {0};

    struct council_request rq = request(&vc, &pub);
    rq.result_id = 0;
    rq.theme = THEME_OPGROEIEN;
    int64_t owners[2] = {f.gem, f.region};
    rq.owner_org_ids = owners;
    rq.nowners = 2;
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), 0);
    assert_int_equal(rep.nresults, 1); /* the wonen result is another theme */
    assert_int_equal(rep.results[0].result.id, f.result);
    assert_non_null(strstr(rep.title, "Veilig en gezond opgroeien"));

    rq.theme = THEME_MANTELZORG; /* no results: an empty but valid report */
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), 0);
    assert_int_equal(rep.nresults, 0);
    struct buf pdf;
    buf_init(&pdf, PDF_MAX_BYTES);
    assert_int_equal(council_report_pdf(a, &rep, &pdf, NULL, &e), 0);
    buf_release(&pdf);

    rq.theme = 0;
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), ERR_INVALID);
    rq.theme = 99;
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), ERR_INVALID);
    rq = request(&vc, &pub);
    rq.result_id = 999999;
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), ERR_NOT_FOUND);
    rq = request(&vc, &pub);
    rq.gemeente = "GM0344"; /* the report takes bare CBS codes */
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), ERR_INVALID);
    rq = request(&vc, &pub);
    rq.nowners = COUNCIL_MAX_OWNERS + 1;
    rq.owner_org_ids = owners;
    assert_int_equal(council_report_build(a, f.s, &f.raad, &rq, &rep, &e), ERR_INVALID);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(published_conversations_only),
        cmocka_unit_test(report_holds_only_public_content),
        cmocka_unit_test(refuses_looser_figures),
        cmocka_unit_test(theme_and_bad_requests),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
