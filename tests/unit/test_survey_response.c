/*
 * test_survey_response.c: taking in answers (domain/survey_response.c, store/survey_store.c) on
 * a real database: a code answers exactly once (also with 8 threads submitting the same code at
 * the same moment), an open link's form nonce once, a closed round not at all; drafts; the
 * anonymity properties (no column of a response table refers to an invitation or code, no
 * address or user agent anywhere, the invitation row changes only in "used", the day only);
 * screening and review of open answers and who may read them; the counts behind results.
 */
#include "domain/survey_response.h"
#include "core/common.h"
#include "domain/anon_check.h"
#include "domain/policy.h"
#include "store/survey_store.h"
#include "metrics/survey_result.h"
#include "metrics/engine.h"
#include "metrics/definition.h"
#include "core/period.h"
#include <math.h>
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static const char doc[] =
    "{\"versie\":1,\"code\":\"test_vl\",\"titel\":\"Test\",\"secties\":["
    "{\"code\":\"een\",\"titel\":\"Een\",\"vragen\":["
    "{\"item\":\"wmo_ceo_1\",\"soort\":\"eens5\",\"tekst\":\"Ik werd serieus genomen.\"},"
    "{\"item\":\"keus\",\"soort\":\"keuze\",\"tekst\":\"Had u hulp?\",\"opties\":["
    "{\"code\":\"ja\",\"label\":\"Ja\"},{\"code\":\"nee\",\"label\":\"Nee\"}]},"
    "{\"item\":\"wat\",\"soort\":\"meerkeuze\",\"tekst\":\"Wat?\",\"opties\":["
    "{\"code\":\"a\",\"label\":\"A\"},{\"code\":\"b\",\"label\":\"B\"}]},"
    "{\"item\":\"opmerking\",\"soort\":\"open\",\"tekst\":\"Nog iets?\"}]}]}";

#define GEMEENTE_ORG  1
#define AANBIEDER_ORG 2
#define ROUND_ID      1

struct fx {
    char dir[64], path[128];
    struct store *s;
    struct arena *a;
    struct questionnaire q;
    struct survey_round r;
    int32_t today;
};

static void exec(struct fx *f, const char *sql)
{
    struct db *db;
    assert_int_equal(store_write_begin(f->s, &db), 0);
    int rc = db_exec(db, sql);
    assert_int_equal(store_write_end(f->s, rc == 0), 0);
    assert_int_equal(rc, 0);
}

static int64_t q1(struct fx *f, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(db_query_i64(store_reader(f->s), "test.q", sql, &n), 0);
    return n;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct err_ctx e = {0};
    snprintf(f->dir, sizeof f->dir, "/tmp/duiding-test-response-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    if (store_open(f->path, &f->s, &e) != 0)
        return -1;
    f->a = arena_new(0);
    if (questionnaire_parse(f->a, doc, strlen(doc), &f->q, &e) != 0) {
        fprintf(stderr, "parse: %s\n", e.msg);
        return -1;
    }
    f->today = (int32_t)(time(NULL) / 86400);
    exec(f, "INSERT INTO organisation (id, kind, name, cbs_code, created_at, updated_at) VALUES "
            "(1, 'gemeente', 'Gemeente Test', 'GM0363', 'x', 'x'), "
            "(2, 'aanbieder', 'Zorg BV', NULL, 'x', 'x'), (3, 'aanbieder', 'Ander BV', NULL, 'x', "
            "'x')");
    exec(f, "INSERT INTO survey (id, owner_org_id, code, document, created_at, updated_at) "
            "VALUES (1, 1, 'test_vl', '{}', 'x', 'x')");
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO survey_round (id, survey_id, survey_version, owner_org_id, name, "
             "gemeente, aanbieder_id, law, category, opens_on, closes_on, status, public_slug, "
             "created_at) VALUES (1, 1, 1, 1, 'Ronde', '0363', 2, 2, '01', %d, %d, 'open', "
             "'abcdefghijklmnopqrstuvwx', 'x')",
             (int)f->today - 5, (int)f->today + 5);
    exec(f, sql);
    /* Invitations 1..3 with made-up codes and hashes (the code mechanics are tested elsewhere). */
    exec(f, "INSERT INTO survey_invitation (id, round_id, code, code_hash) VALUES "
            "(1, 1, 'AAAAAAAAAA', randomblob(32)), (2, 1, 'BBBBBBBBBB', randomblob(32)), "
            "(3, 1, 'CCCCCCCCCC', randomblob(32))");
    f->r = (struct survey_round){.id = ROUND_ID,
                                 .survey_id = 1,
                                 .survey_version = 1,
                                 .owner_org_id = GEMEENTE_ORG,
                                 .name = "Ronde",
                                 .gemeente = "0363",
                                 .aanbieder_id = AANBIEDER_ORG,
                                 .law = 2,
                                 .category = "01",
                                 .opens_on = f->today - 5,
                                 .closes_on = f->today + 5,
                                 .status = ROUND_OPEN};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    arena_free(f->a);
    unlink(f->path);
    char p[200];
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    rmdir(f->dir);
    free(f);
    return 0;
}

static struct survey_answers answers(struct fx *f, const char *opmerking)
{
    struct survey_answers s;
    struct sa_errors errs = {0};
    assert_int_equal(survey_answers_init(f->a, &f->q, &s), 0);
    const struct sa_field in[] = {
        {"wmo_ceo_1", "4", 1},
        {"keus", "nee", 3},
        {"wat", "b", 1},
        {"opmerking", opmerking, strlen(opmerking)},
    };
    assert_int_equal(survey_answers_read(f->a, &s, -1, in, 4, &errs), 0);
    assert_int_equal(errs.n, 0);
    return s;
}

static void code_answers_exactly_once(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    struct survey_answers s = answers(f, "Prima geholpen.");
    assert_int_equal(survey_draft_save(f->s, 1, &s, f->today, &e), 0);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_draft"), 1);
    assert_int_equal(survey_response_submit(f->s, &f->r, 1, NULL, &s, f->today, &e), 0);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_response"), 1);
    assert_int_equal(q1(f, "SELECT used FROM survey_invitation WHERE id = 1"), 1);
    assert_int_equal(q1(f, "SELECT used FROM survey_invitation WHERE id = 2"), 0);
    assert_int_equal(q1(f, "SELECT n_responses FROM survey_round WHERE id = 1"), 1);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_draft"), 0); /* deleted with the submit */
    /* The response carries the round's dimensions and the day, nothing else. */
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_response WHERE round_id = 1 AND "
                           "gemeente = '0363' AND aanbieder_id = 2 AND law = 2 AND category = '01' "
                           "AND age IS NULL AND gender IS NULL"),
                     1);
    assert_int_equal(q1(f, "SELECT response_date FROM survey_response"), f->today);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_answer"), 3);
    assert_int_equal(q1(f, "SELECT value FROM survey_answer WHERE item = 'keus'"), 2);
    assert_int_equal(q1(f, "SELECT value FROM survey_answer WHERE item = 'wat__b'"), 1);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_open_answer WHERE review = 'nvt'"), 1);
    /* Again with the same code: refused, nothing changes. */
    err_clear(&e);
    assert_int_equal(survey_response_submit(f->s, &f->r, 1, NULL, &s, f->today, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "al ingevuld"));
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_response"), 1);
    assert_int_equal(q1(f, "SELECT n_responses FROM survey_round WHERE id = 1"), 1);
    /* A draft for a used code is refused too. */
    assert_int_equal(survey_draft_save(f->s, 1, &s, f->today, &e), ERR_CONFLICT);
    /* Unknown invitation id. */
    assert_int_equal(survey_response_submit(f->s, &f->r, 999, NULL, &s, f->today, &e),
                     ERR_CONFLICT);
}

struct race {
    struct fx *f;
    int64_t invitation;
    pthread_barrier_t *bar;
    int rc;
};

static void *race_submit(void *p)
{
    struct race *r = p;
    struct arena *a = arena_new(0);
    struct survey_answers s;
    struct sa_errors errs = {0};
    const struct sa_field in[] = {{"wmo_ceo_1", "5", 1}, {"keus", "ja", 2}};
    survey_answers_init(a, &r->f->q, &s);
    survey_answers_read(a, &s, -1, in, 2, &errs);
    struct err_ctx e = {0};
    pthread_barrier_wait(r->bar);
    r->rc = survey_response_submit(r->f->s, &r->f->r, r->invitation, NULL, &s, r->f->today, &e);
    arena_free(a);
    return NULL;
}

static void concurrent_submits_one_wins(void **state)
{
    struct fx *f = *state;
    enum { N = 8 };
    pthread_t th[N];
    struct race rs[N];
    pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, N);
    for (int i = 0; i < N; i++) {
        rs[i] = (struct race){.f = f, .invitation = 2, .bar = &bar};
        assert_int_equal(pthread_create(&th[i], NULL, race_submit, &rs[i]), 0);
    }
    int ok = 0, conflict = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ok += rs[i].rc == 0;
        conflict += rs[i].rc == ERR_CONFLICT;
    }
    pthread_barrier_destroy(&bar);
    assert_int_equal(ok, 1);
    assert_int_equal(conflict, N - 1);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_response"), 1);
    assert_int_equal(q1(f, "SELECT n_responses FROM survey_round WHERE id = 1"), 1);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_invitation WHERE used = 1"), 1);
}

static void open_link_nonce_single_use(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    struct survey_answers s = answers(f, "");
    char n1[SURVEY_NONCE_B64_LEN + 1], n2[SURVEY_NONCE_B64_LEN + 1];
    survey_nonce_new(n1);
    survey_nonce_new(n2);
    assert_int_equal(strlen(n1), SURVEY_NONCE_B64_LEN);
    assert_string_not_equal(n1, n2);
    assert_int_equal(survey_response_submit(f->s, &f->r, 0, n1, &s, f->today, &e), 0);
    assert_int_equal(survey_response_submit(f->s, &f->r, 0, n1, &s, f->today, &e), ERR_CONFLICT);
    assert_int_equal(survey_response_submit(f->s, &f->r, 0, n2, &s, f->today, &e), 0);
    /* Forged nonces: wrong length, not base64url, missing. */
    static const char *bad[] = {"", "abc", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
                                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(survey_response_submit(f->s, &f->r, 0, bad[i], &s, f->today, &e),
                         ERR_INVALID);
    assert_int_equal(survey_response_submit(f->s, &f->r, 0, NULL, &s, f->today, &e), ERR_INVALID);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_response"), 2);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_nonce"), 2);
    /* No invitation was touched. */
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_invitation WHERE used = 1"), 0);
}

static void closed_round_refuses(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    struct survey_answers s = answers(f, "");
    struct survey_round r = f->r;
    r.status = ROUND_CLOSED;
    assert_int_equal(survey_response_submit(f->s, &r, 3, NULL, &s, f->today, &e), ERR_INVALID);
    r = f->r;
    assert_int_equal(survey_response_submit(f->s, &r, 3, NULL, &s, f->today + 6, &e), ERR_INVALID);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_response"), 0);
    assert_int_equal(q1(f, "SELECT used FROM survey_invitation WHERE id = 3"), 0);
}

static void drafts_pause_and_resume(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    struct survey_answers s = answers(f, "Halverwege");
    assert_int_equal(survey_draft_save(f->s, 3, &s, f->today, &e), 0);
    assert_int_equal(survey_draft_save(f->s, 3, &s, f->today, &e), 0); /* replaces */
    struct survey_answers back;
    bool found = false;
    assert_int_equal(survey_answers_init(f->a, &f->q, &back), 0);
    assert_int_equal(survey_draft_load(f->a, f->s, 3, &back, &found), 0);
    assert_true(found);
    for (int i = 0; i < f->q.nquestions; i++) {
        assert_int_equal(back.a[i].given, s.a[i].given);
        assert_int_equal(back.a[i].number, s.a[i].number);
        assert_int_equal(back.a[i].ticks, s.a[i].ticks);
    }
    assert_string_equal(back.a[3].text, "Halverwege");
    assert_int_equal(survey_draft_load(f->a, f->s, 2, &back, &found), 0);
    assert_false(found);
    /* After the closing day no draft is kept, and the first one to come by deletes the others:
     * drafts are tied to a code and must not outlive the round. */
    assert_int_equal(survey_draft_save(f->s, 3, &s, f->today + 6, &e), ERR_CONFLICT);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_draft"), 0);
}

/* Every column of every table: no address, user agent or link to an invitation where answers
 * are kept. */
static void anonymity_in_the_schema(void **state)
{
    struct fx *f = *state;
    static const char sql[] =
        "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p "
        "WHERE m.type = 'table'";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(store_reader(f->s), "test.cols", sql, &st), 0);
    int ncols = 0;
    while (db_step(st) == DB_ROW) {
        const char *t = db_col_text(st, 0), *c = db_col_text(st, 1);
        ncols++;
        if (strstr(c, "user_agent") || strstr(c, "useragent") || strcmp(c, "ip") == 0 ||
            strstr(c, "ip_addr") || strstr(c, "client_addr") || strstr(c, "remote_addr"))
            fail_msg("%s.%s looks like a client address or user agent", t, c);
        if (strcmp(t, "survey_response") == 0 || strcmp(t, "survey_answer") == 0 ||
            strcmp(t, "survey_open_answer") == 0 || strcmp(t, "survey_nonce") == 0) {
            if (strstr(c, "invitation") || strstr(c, "code") || strstr(c, "_at") ||
                strstr(c, "time") || strstr(c, "user"))
                fail_msg("%s.%s could tie an answer to a person, code or moment", t, c);
        }
    }
    db_done(st);
    assert_true(ncols > 100);
    /* No foreign key from a response table to survey_invitation. */
    assert_int_equal(q1(f,
                        "SELECT count(*) FROM sqlite_schema m, pragma_foreign_key_list(m.name) k "
                        "WHERE m.type = 'table' AND k.\"table\" = 'survey_invitation' "
                        "AND m.name <> 'survey_draft'"),
                     0);
}

static void invitation_changes_only_used(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    static const char snap[] =
        "SELECT count(*) FROM survey_invitation WHERE id = 1 AND round_id = 1 "
        "AND code = 'AAAAAAAAAA' AND code_hash = (SELECT code_hash FROM "
        "survey_invitation WHERE id = 1)";
    assert_int_equal(q1(f, snap), 1);
    int64_t before = q1(f, "SELECT count(*) FROM pragma_table_info('survey_invitation')");
    struct survey_answers s = answers(f, "");
    assert_int_equal(survey_response_submit(f->s, &f->r, 1, NULL, &s, f->today, &e), 0);
    assert_int_equal(q1(f, snap), 1);
    assert_int_equal(q1(f, "SELECT count(*) FROM pragma_table_info('survey_invitation')"), before);
    assert_int_equal(before, 5); /* id, round_id, code, code_hash, used: nothing else to change */
}

static struct actor actor_of(int64_t org, enum org_kind kind, uint32_t roles)
{
    return (struct actor){.user_id = 7, .org_id = org, .org_kind = kind, .roles = roles};
}

static void open_answers_screened_and_reviewed(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    struct survey_answers s1 = answers(f, "Bel me op 06-12345678 of mail jan@example.nl.");
    struct survey_answers s2 = answers(f, "Heel fijn geholpen door het wijkteam.");
    assert_int_equal(survey_response_submit(f->s, &f->r, 1, NULL, &s1, f->today, &e), 0);
    assert_int_equal(survey_response_submit(f->s, &f->r, 2, NULL, &s2, f->today, &e), 0);
    assert_int_equal(q1(f, "SELECT flags FROM survey_open_answer WHERE review = 'te_beoordelen'"),
                     ANON_PHONE | ANON_EMAIL);
    assert_int_equal(q1(f, "SELECT count(*) FROM survey_open_answer WHERE review = 'nvt'"), 1);

    struct actor owner = actor_of(GEMEENTE_ORG, ORG_GEMEENTE, ROLE_BELEID);
    struct actor party = actor_of(AANBIEDER_ORG, ORG_AANBIEDER, ROLE_KWALITEIT);
    struct actor other = actor_of(3, ORG_AANBIEDER, ROLE_KWALITEIT);
    struct survey_open_answer *rows;
    int n, total;
    assert_int_equal(survey_open_list(f->a, f->s, &owner, &f->r, NULL, 0, 0, &rows, &n, &total), 0);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    assert_int_equal(survey_open_list(f->a, f->s, &party, &f->r, NULL, 0, 0, &rows, &n, &total), 0);
    assert_int_equal(n, 1); /* the flagged one is held back */
    assert_null(strstr(rows[0].text, "06-"));
    assert_int_equal(survey_open_list(f->a, f->s, &other, &f->r, NULL, 0, 0, &rows, &n, &total),
                     ERR_DENIED);
    /* Only the owner's beleid reviews. */
    int64_t rid =
        q1(f, "SELECT response_id FROM survey_open_answer WHERE review = 'te_beoordelen'");
    assert_int_equal(
        survey_open_review(f->a, f->s, &party, &f->r, rid, "opmerking", SURVEY_REDACT, &e),
        ERR_DENIED);
    assert_int_equal(
        survey_open_review(f->a, f->s, &owner, &f->r, rid, "opmerking", SURVEY_REDACT, &e), 0);
    assert_int_equal(survey_open_list(f->a, f->s, &party, &f->r, NULL, 0, 0, &rows, &n, &total), 0);
    assert_int_equal(n, 2);
    bool seen = false;
    for (int i = 0; i < n; i++) {
        if (rows[i].response_id != rid)
            continue;
        seen = true;
        assert_string_equal(rows[i].review, "geschoond");
        assert_null(strstr(rows[i].text, "12345678"));
        assert_null(strstr(rows[i].text, "jan@example.nl"));
        assert_non_null(strstr(rows[i].text, "[verwijderd]"));
        assert_non_null(strstr(rows[i].text, "Bel me op"));
    }
    assert_true(seen);
    assert_int_equal(
        survey_open_review(f->a, f->s, &owner, &f->r, rid, "bestaat_niet", SURVEY_RELEASE, &e),
        ERR_NOT_FOUND);
    /* Reads and the review are audited. */
    assert_true(q1(f, "SELECT count(*) FROM audit_event WHERE action = 'survey.open_read'") >= 3);
    assert_int_equal(q1(f, "SELECT count(*) FROM audit_event WHERE action = 'survey.open_redact'"),
                     1);
    /* A resident's submit writes no audit event: its time would date the response. */
    assert_int_equal(q1(f, "SELECT count(*) FROM audit_event WHERE action LIKE 'survey.submit%'"),
                     0);
}

static void counts_for_results(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    for (int64_t inv = 1; inv <= 3; inv++) {
        struct survey_answers s = answers(f, inv == 3 ? "x" : "");
        assert_int_equal(survey_response_submit(f->s, &f->r, inv, NULL, &s, f->today, &e), 0);
    }
    const int64_t rounds[] = {ROUND_ID};
    struct survey_count_row *rows;
    struct survey_base_row *bases;
    size_t nrows, nbases;
    assert_int_equal(survey_store_counts(f->a, store_reader(f->s), rounds, 1, SURVEY_DIM_NONE,
                                         &rows, &nrows, &bases, &nbases),
                     0);
    /* keus=2, wat__b=1, wmo_ceo_1=4: three count rows of 3 each */
    assert_int_equal(nrows, 3);
    for (size_t i = 0; i < nrows; i++)
        assert_int_equal(rows[i].n, 3);
    /* bases: keus, opmerking (1), wat (meerkeuze folded), wmo_ceo_1 */
    assert_int_equal(nbases, 4);
    assert_string_equal(bases[1].item, "opmerking");
    assert_int_equal(bases[1].n, 1);
    assert_string_equal(bases[2].item, "wat");
    assert_int_equal(bases[2].n, 3);
    assert_int_equal(survey_store_counts(f->a, store_reader(f->s), rounds, 1, SURVEY_DIM_AANBIEDER,
                                         &rows, &nrows, &bases, &nbases),
                     0);
    assert_string_equal(rows[0].key, "2");
    int64_t total = 0;
    assert_int_equal(survey_store_response_total(store_reader(f->s), rounds, 1, &total), 0);
    assert_int_equal(total, 3);
}

/* Results: 40 responses in gemeente 0363 and 3 in 0114; per gemeente the small column is
 * hidden, and no line (an answer over the gemeenten, a column's answers) keeps exactly one
 * hidden cell; counts rounded to 5 for a published audience, percentages from raw counts. */
static void results_through_disclosure(void **state)
{
    struct fx *f = *state;
    struct db *db;
    assert_int_equal(store_write_begin(f->s, &db), 0);
    for (int i = 0; i < 43; i++) {
        bool small = i >= 40;
        struct survey_response_row row = {.round_id = ROUND_ID,
                                          .gemeente = small ? "0114" : "0363",
                                          .age = -1,
                                          .response_date = f->today};
        /* 0363: 25x "5", 15x "4"; 0114: 3x "5". keus: 1 (ja) for all. */
        struct survey_answer_row ans[] = {{"wmo_ceo_1", i < 25 || small ? 5 : 4}, {"keus", 1}};
        assert_int_equal(survey_store_insert(db, &row, ans, 2, NULL), 0);
    }
    assert_int_equal(store_write_end(f->s, true), 0);
    const int64_t rounds[] = {ROUND_ID};
    struct dc_rules rules;
    dc_rules_for(NULL, DC_PUBLISHED, &rules);
    struct survey_result r;
    assert_int_equal(survey_result_compute(f->a, store_reader(f->s), &f->q, rounds, 1,
                                           SURVEY_DIM_GEMEENTE, &rules, &r),
                     0);
    assert_int_equal(r.nkeys, 2);
    assert_string_equal(r.keys[0], "0114");
    assert_string_equal(r.keys[1], "0363");
    assert_int_equal(r.responses.reason, DC_SHOWN);
    assert_int_equal(r.responses.n, 45); /* 43 rounded to 5 */
    assert_int_equal(r.nquestions, 3);   /* eens5, keuze, meerkeuze; not the open one */
    const struct sr_question *q = &r.questions[0];
    assert_int_equal(q->noptions, 6);
    assert_string_equal(q->options[0].code, "5");
    /* Column 0 (total): "5" = 28 -> 30 shown, 65.1%; base 43 -> 45 */
    assert_int_equal(q->cells[0].reason, DC_SHOWN);
    assert_int_equal(q->cells[0].n, 30);
    assert_true(fabs(q->cells[0].pct - 100.0 * 28 / 43) < 1e-9);
    assert_int_equal(q->base[0].n, 45);
    /* Column 1 (0114, 3 responses): hidden */
    assert_int_not_equal(q->cells[1 * 6 + 0].reason, DC_SHOWN);
    assert_int_equal(q->cells[1 * 6 + 0].n, -1);
    assert_true(isnan(q->cells[1 * 6 + 0].pct));
    assert_int_not_equal(q->base[1].reason, DC_SHOWN);
    /* The 0363 "5" cell would give 0114's away as total minus it: hidden too (secondary). */
    assert_int_not_equal(q->cells[2 * 6 + 0].reason, DC_SHOWN);
    assert_int_not_equal(q->base[2].reason, DC_SHOWN);
    /* Nobody chose "1": a true zero, shown as 0 */
    assert_int_equal(q->cells[0 * 6 + 4].reason, DC_NO_DATA);
    assert_int_equal(q->cells[0 * 6 + 4].n, 0);
    /* Without a breakdown everything with enough respondents shows. */
    assert_int_equal(survey_result_compute(f->a, store_reader(f->s), &f->q, rounds, 1,
                                           SURVEY_DIM_NONE, &rules, &r),
                     0);
    assert_int_equal(r.nkeys, 0);
    assert_int_equal(r.questions[0].cells[1].reason, DC_SHOWN); /* "4": 15 */
    assert_int_equal(r.questions[0].cells[1].n, 15);
    assert_int_equal(survey_dim_parse("aanbieder"), SURVEY_DIM_AANBIEDER);
    assert_int_equal(survey_dim_parse("x"), -1);
    assert_int_equal(survey_dim_parse(NULL), SURVEY_DIM_NONE);
}

/* A submitted answer reaches an indicator over antwoord() after the engine syncs: the engine is
 * built before the submits and sees them only through mx_engine_sync. */
static void submitted_answer_reaches_indicator(void **state)
{
    struct fx *f = *state;
    struct err_ctx e = {0};
    struct mx_engine *eng = NULL;
    assert_int_equal(mx_engine_build(store_reader(f->s), &eng, &e), 0);
    for (int64_t inv = 1; inv <= 3; inv++) {
        struct survey_answers s = answers(f, ""); /* wmo_ceo_1 = 4, keus = nee, wat = b */
        if (inv == 3) {
            const struct sa_field in[] = {{"wmo_ceo_1", "2", 1}};
            struct sa_errors errs = {0};
            assert_int_equal(survey_answers_read(f->a, &s, 0, in, 1, &errs), 0);
        }
        assert_int_equal(survey_response_submit(f->s, &f->r, inv, NULL, &s, f->today, &e), 0);
    }
    assert_int_equal(mx_engine_sync(eng, store_reader(f->s), &e), 0);
    struct ind_def d = {.version = 1,
                        .code = "ceo1",
                        .name = "ceo1",
                        .unit = IND_UNIT_RESPONSE,
                        .anchor = IND_ANCHOR_RESPONSE,
                        .agg = IND_AGG_PROPORTION,
                        .population = "antwoord(\"wmo_ceo_1\") tussen 1 en 5",
                        .event = "antwoord(\"wmo_ceo_1\") >= 4",
                        .age_from = -1,
                        .age_to = -1,
                        .follow_up_months = -1,
                        .gap_days = -1,
                        .polarity = IND_NEUTRAL,
                        .quadrant = IND_HOW_WELL,
                        .display = IND_SHOW_COUNT,
                        .min_n = 1};
    struct mx_query q = {.preview = &d, .pkind = PERIOD_YEAR};
    q.first = q.last = period_of(f->today, PERIOD_YEAR);
    struct mx_result res;
    assert_int_equal(mx_query(eng, &q, f->a, &res, &e), 0);
    assert_int_equal(res.ncells, 1);
    assert_int_equal(res.cells[0].den, 3);
    assert_int_equal(res.cells[0].num, 2);
    /* A meerkeuze option is its own item "wat__b"; a keuze answer is the option position. */
    struct ind_def d2 = d;
    d2.population = "antwoord(\"keus\") tussen 1 en 2";
    d2.event = "antwoord(\"wat__b\") = 1";
    q.preview = &d2;
    assert_int_equal(mx_query(eng, &q, f->a, &res, &e), 0);
    assert_int_equal(res.ncells, 1);
    /* the third resident re-answered the (only) section with wmo_ceo_1 alone */
    assert_int_equal(res.cells[0].den, 2);
    assert_int_equal(res.cells[0].num, 2);
    mx_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(code_answers_exactly_once, setup, teardown),
        cmocka_unit_test_setup_teardown(concurrent_submits_one_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(open_link_nonce_single_use, setup, teardown),
        cmocka_unit_test_setup_teardown(closed_round_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(drafts_pause_and_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(anonymity_in_the_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(invitation_changes_only_used, setup, teardown),
        cmocka_unit_test_setup_teardown(open_answers_screened_and_reviewed, setup, teardown),
        cmocka_unit_test_setup_teardown(counts_for_results, setup, teardown),
        cmocka_unit_test_setup_teardown(results_through_disclosure, setup, teardown),
        cmocka_unit_test_setup_teardown(submitted_answer_reaches_indicator, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
