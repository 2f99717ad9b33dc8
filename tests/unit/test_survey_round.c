/*
 * test_survey_round.c: stored questionnaires (domain/survey.c, store/questionnaire_store.c),
 * rounds and invitation codes (domain/survey_round.c, store/round_store.c) and the QR drawing
 * of letters (report/qr_svg.c): code alphabet, normalisation and keyed hashes; survey create
 * from a template and from JSON, optimistic locking, compatibility once a round exists; round
 * rules (gemeente of the owner, dates, status order, drafts deleted on close), codes in bulk and
 * lookup by hash, the policy (an aanbieder sees its round's response rate, never the codes),
 * audit events; the SVG has exactly qrencode's dark modules.
 */
#include "domain/survey_round.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/buf.h"
#include "core/str.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/survey.h"
#include "domain/user.h"
#include "report/qr_svg.h"
#include "ingest/demo_rounds.h"
#include "store/round_store.h"
#include "store/survey_store.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define PW "correct-horse-battery"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    struct survey_code_key *key;
    int64_t region, gem_a, gem_b, provider, provider2;
    struct actor beleid_a, beleid_b, beleid_r, contract_a, kwaliteit_p, kwaliteit_p2, raad_a;
};

static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-round-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/round.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Zuid", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region); /* Emmen */
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, 0); /* Assen, no region */
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.provider2 = ts_make_org(fx.s, ORG_AANBIEDER, "Andere Zorg BV", NULL, "87654321", 0);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.beleid_b = ts_make_actor(fx.s, fx.a, "beleid.b", fx.gem_b, ROLE_BELEID, PW);
    fx.beleid_r = ts_make_actor(fx.s, fx.a, "beleid.r", fx.region, ROLE_BELEID, PW);
    fx.contract_a = ts_make_actor(fx.s, fx.a, "contract.a", fx.gem_a, ROLE_CONTRACT, PW);
    fx.kwaliteit_p = ts_make_actor(fx.s, fx.a, "kwaliteit.p", fx.provider, ROLE_KWALITEIT, PW);
    fx.kwaliteit_p2 = ts_make_actor(fx.s, fx.a, "kwaliteit.p2", fx.provider2, ROLE_KWALITEIT, PW);
    fx.raad_a = ts_make_actor(fx.s, fx.a, "raad.a", fx.gem_a, ROLE_RAAD, PW);
    unsigned char key[SURVEY_KEY_BYTES];
    memset(key, 7, sizeof key);
    assert_int_equal(survey_code_key_from_bytes(key, &fx.key), 0);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    survey_code_key_free(fx.key);
    arena_free(fx.a);
    store_close(fx.s);
    ts_rm_dir(fx.dir);
    return 0;
}

static int64_t count_audit(const char *action)
{
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    struct audit_filter f = {.action_prefix = action, .limit = AUDIT_LIST_MAX};
    struct actor root = admin;
    assert_int_equal(audit_list(fx.a, fx.s, &root, &f, &ev, &n, &total), 0);
    return total;
}

/* ---- Codes. -------------------------------------------------------------------------------- */

static void test_codes(void **state)
{
    (void)state;
    char code[SURVEY_CODE_LEN + 1], shown[SURVEY_CODE_SHOWN_LEN + 1], norm[SURVEY_CODE_LEN + 1];
    int seen[256] = {0};
    for (int i = 0; i < 2000; i++) {
        survey_code_generate(code);
        assert_int_equal(strlen(code), SURVEY_CODE_LEN);
        for (int k = 0; k < SURVEY_CODE_LEN; k++) {
            assert_non_null(strchr(SURVEY_CODE_ALPHABET, code[k]));
            seen[(unsigned char)code[k]]++;
        }
    }
    /* 20,000 symbols from 32: every symbol shows up (a stuck generator would not). */
    for (const char *p = SURVEY_CODE_ALPHABET; *p; p++)
        assert_true(seen[(unsigned char)*p] > 300);
    assert_int_equal(seen['0'] + seen['O'] + seen['1'] + seen['I'], 0);

    survey_code_format("ABCDEFGHJK", shown);
    assert_string_equal(shown, "ABCD-EFGH-JK");
    struct err_ctx e;
    const char *good[] = {"ABCD-EFGH-JK", "abcd efgh jk", " abcdefghjk ", "AB-CD-EF-GH-JK"};
    for (size_t i = 0; i < ARRAY_LEN(good); i++) {
        assert_int_equal(survey_code_normalise(good[i], strlen(good[i]), norm, &e), 0);
        assert_string_equal(norm, "ABCDEFGHJK");
    }
    struct {
        const char *in, *want;
    } bad[] = {
        {"", "Vul uw code in"},
        {"ABCD-EFGH-J0", "nooit een 0"},
        {"ABCD-EFGH-JO", "nooit een O"},
        {"abcd-efgh-ji", "nooit een I"},
        {"ABCD-EFGH-J1", "nooit een 1"},
        {"ABCD-EFGH-J", "te kort"},
        {"ABCD-EFGH-JKL", "te lang"},
        {"ABCD-EFGH-J%", "teken dat niet"},
        {"ABCD-EFGH-J\xc3\xa9", "teken dat niet"},
        {"ABCD;DROP TABLE", "teken dat niet"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        int rc = survey_code_normalise(bad[i].in, strlen(bad[i].in), norm, &e);
        if (rc != ERR_INVALID || !strstr(e.msg, bad[i].want))
            fail_msg("%s: rc %d, \"%s\"", bad[i].in, rc, e.msg);
        assert_string_equal(e.field, "code");
    }
    char big[200];
    memset(big, '-', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(survey_code_normalise(big, strlen(big), norm, &e), ERR_INVALID);
    const char nul[] = "ABCD\0EFGHJK";
    assert_int_equal(survey_code_normalise(nul, sizeof nul - 1, norm, &e), ERR_INVALID);

    /* Keyed: another key gives another hash; the same key the same. */
    unsigned char h1[SURVEY_CODE_HASH_LEN], h2[SURVEY_CODE_HASH_LEN], h3[SURVEY_CODE_HASH_LEN];
    unsigned char other[SURVEY_KEY_BYTES];
    memset(other, 8, sizeof other);
    struct survey_code_key *k2 = NULL;
    assert_int_equal(survey_code_key_from_bytes(other, &k2), 0);
    survey_code_hash(fx.key, "ABCDEFGHJK", h1);
    survey_code_hash(fx.key, "ABCDEFGHJK", h2);
    survey_code_hash(k2, "ABCDEFGHJK", h3);
    assert_memory_equal(h1, h2, sizeof h1);
    assert_memory_not_equal(h1, h3, sizeof h1);
    survey_code_key_free(k2);

    /* The key file: exactly 32 bytes; the shared key equals the one from the same bytes. */
    char kp[160];
    snprintf(kp, sizeof kp, "%s/pseudonym.key", fx.dir);
    FILE *f = fopen(kp, "wb");
    assert_non_null(f);
    unsigned char seven[SURVEY_KEY_BYTES];
    memset(seven, 7, sizeof seven);
    fwrite(seven, 1, sizeof seven, f);
    fclose(f);
    const struct survey_code_key *sk = survey_code_key_shared(kp, &e);
    assert_non_null(sk);
    assert_ptr_equal(survey_code_key_shared(kp, &e), sk);
    survey_code_hash(sk, "ABCDEFGHJK", h3);
    assert_memory_equal(h1, h3, sizeof h1);
    f = fopen(kp, "ab");
    fputc('x', f);
    fclose(f);
    struct survey_code_key *k3 = NULL;
    assert_int_equal(survey_code_key_open(kp, &k3, &e), ERR_IO);
    assert_int_equal(survey_code_key_open("/nonexistent/key", &k3, &e), ERR_IO);
    unlink(kp);
}

/* ---- Surveys. ------------------------------------------------------------------------------ */

static int64_t make_survey(const struct actor *who, int64_t owner, const char *tmpl)
{
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = survey_create(fx.s, who, owner, tmpl, NULL, 0, &id, &e);
    if (rc)
        fail_msg("survey %s: %s (%s)", tmpl, err_name(rc), e.msg);
    return id;
}

static void test_surveys(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_survey(&fx.beleid_a, fx.gem_a, "wmo-cevo");
    struct survey sv;
    assert_int_equal(survey_get(fx.a, fx.s, &fx.kwaliteit_p, id, &sv), 0); /* every user reads */
    assert_string_equal(sv.code, "wmo_cevo");
    assert_string_equal(sv.template, "wmo-cevo");
    assert_string_equal(sv.title, "Uw ervaring met de Wmo-ondersteuning");
    assert_int_equal(sv.version, 1);
    /* Same code twice for one owner: conflict; another owner may. */
    int64_t x = 0;
    assert_int_equal(survey_create(fx.s, &fx.beleid_a, fx.gem_a, "wmo-cevo", NULL, 0, &x, &e),
                     ERR_CONFLICT);
    assert_string_equal(e.field, "code");
    assert_int_equal(survey_create(fx.s, &fx.beleid_r, fx.region, "wmo-cevo", NULL, 0, &x, &e), 0);
    /* Policy: beleid of B cannot create for A, contract and providers cannot create. */
    assert_int_equal(survey_create(fx.s, &fx.beleid_b, fx.gem_a, "jeugd-uitkomst", NULL, 0, &x, &e),
                     ERR_DENIED);
    assert_int_equal(
        survey_create(fx.s, &fx.contract_a, fx.gem_a, "jeugd-uitkomst", NULL, 0, &x, &e),
        ERR_DENIED);
    assert_int_equal(
        survey_create(fx.s, &fx.kwaliteit_p, fx.provider, "jeugd-uitkomst", NULL, 0, &x, &e),
        ERR_DENIED);
    assert_int_equal(survey_create(fx.s, &fx.beleid_a, fx.gem_a, "onbekend", NULL, 0, &x, &e),
                     ERR_NOT_FOUND);
    /* From JSON: invalid documents are refused with the element named. */
    const char *bad = "{\"versie\":1,\"code\":\"eigen\",\"titel\":\"T\",\"secties\":[{\"code\":"
                      "\"s\",\"titel\":\"S\",\"vragen\":[{\"item\":\"a\",\"soort\":\"x\","
                      "\"tekst\":\"A\"}]}]}";
    assert_int_equal(survey_create(fx.s, &fx.beleid_a, fx.gem_a, NULL, bad, strlen(bad), &x, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "vraag 1 (a)"));
    /* Update: stale version, then a real edit (stored canonically, history kept). */
    const char *json = sv.document;
    assert_int_equal(survey_update(fx.s, &fx.beleid_a, id, 7, json, strlen(json), &e),
                     ERR_CONFLICT);
    char *edited = arena_printf(fx.a, "%s", json);
    char *p = strstr(edited, "Ik werd snel geholpen.");
    assert_non_null(p);
    memcpy(p, "Ik werd vlug geholpen.", 22);
    assert_int_equal(survey_update(fx.s, &fx.beleid_b, id, 1, edited, strlen(edited), &e),
                     ERR_DENIED);
    assert_int_equal(survey_update(fx.s, &fx.beleid_a, id, 1, edited, strlen(edited), &e), 0);
    assert_int_equal(survey_get(fx.a, fx.s, &fx.beleid_a, id, &sv), 0);
    assert_int_equal(sv.version, 2);
    assert_non_null(strstr(sv.document, "vlug"));
    const char *v1 = NULL;
    assert_int_equal(survey_get_version(fx.a, fx.s, id, 1, &v1), 0);
    assert_non_null(strstr(v1, "snel"));
    assert_int_equal(survey_get_version(fx.a, fx.s, id, 3, &v1), ERR_NOT_FOUND);
    struct survey *list = NULL;
    int n = 0, total = 0;
    struct survey_filter f = {.owner_org_id = fx.gem_a};
    assert_int_equal(survey_list(fx.a, fx.s, &fx.raad_a, &f, &list, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_true(count_audit("survey.") >= 3);
}

/* ---- Rounds. ------------------------------------------------------------------------------- */

static struct round_input round_in(int64_t survey_id, const char *gm)
{
    struct round_input in = {.survey_id = survey_id,
                             .name = "Cliëntervaring 2025",
                             .gemeente = gm,
                             .aanbieder_id = fx.provider,
                             .law = 2,
                             .category = "02",
                             .opens_on = day_from_ymd(2025, 3, 1),
                             .closes_on = day_from_ymd(2025, 4, 30)};
    return in;
}

static void test_rounds(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t sid = make_survey(&fx.beleid_a, fx.gem_a, "jeugd-uitkomst");
    struct round_input in = round_in(sid, "0114");
    int64_t rid = 0, x = 0;
    /* Validation, each naming its field. */
    struct round_input b = in;
    b.name = "  ";
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &b, &x, &e), ERR_INVALID);
    assert_string_equal(e.field, "name");
    b = in;
    b.gemeente = "0106"; /* not the owner's own residents */
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &b, &x, &e), ERR_INVALID);
    assert_string_equal(e.field, "gemeente");
    b.gemeente = "01x4";
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &b, &x, &e), ERR_INVALID);
    b = in;
    b.closes_on = b.opens_on - 1;
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &b, &x, &e), ERR_INVALID);
    assert_string_equal(e.field, "closes_on");
    b = in;
    b.aanbieder_id = fx.gem_b; /* not an aanbieder */
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &b, &x, &e), ERR_INVALID);
    assert_string_equal(e.field, "aanbieder_id");
    b = in;
    b.category = "02; --";
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &b, &x, &e), ERR_INVALID);
    assert_string_equal(e.field, "category");
    b = in;
    b.law = 3;
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &b, &x, &e), ERR_INVALID);
    /* Policy: other gemeente's beleid, the aanbieder and the raad cannot create. */
    assert_int_equal(round_create(fx.s, &fx.beleid_b, &in, &x, &e), ERR_DENIED);
    assert_int_equal(round_create(fx.s, &fx.kwaliteit_p, &in, &x, &e), ERR_DENIED);
    assert_int_equal(round_create(fx.s, &fx.raad_a, &in, &x, &e), ERR_DENIED);
    /* Contract of the owner may (policy rule 6 for rounds). */
    assert_int_equal(round_create(fx.s, &fx.contract_a, &in, &rid, &e), 0);
    /* A region's survey may run in one of the region's gemeenten, not elsewhere. */
    int64_t rs = make_survey(&fx.beleid_r, fx.region, "jeugd-uitkomst");
    struct round_input rin = round_in(rs, "0114");
    int64_t rr = 0;
    assert_int_equal(round_create(fx.s, &fx.beleid_r, &rin, &rr, &e), 0);
    rin.gemeente = "0106";
    assert_int_equal(round_create(fx.s, &fx.beleid_r, &rin, &x, &e), ERR_INVALID);

    struct survey_round r;
    assert_int_equal(round_get(fx.a, fx.s, &fx.beleid_a, rid, &r), 0);
    assert_int_equal(r.status, ROUND_CONCEPT);
    assert_int_equal(r.survey_version, 1);
    assert_string_equal(r.gemeente, "0114");
    assert_string_equal(r.aanbieder_name, "Zorg BV");
    assert_null(r.public_slug);
    assert_int_equal(round_response_permille(&r), -1);

    /* Codes in bulk: unique, found by hash, policy ACT_EDIT only. */
    assert_int_equal(round_make_codes(fx.s, fx.key, &fx.kwaliteit_p, rid, 10, &e), ERR_DENIED);
    assert_int_equal(round_make_codes(fx.s, fx.key, &fx.beleid_a, rid, 0, &e), ERR_INVALID);
    assert_int_equal(round_make_codes(fx.s, fx.key, &fx.beleid_a, rid, ROUND_MAX_CODES + 1, &e),
                     ERR_INVALID);
    assert_int_equal(round_make_codes(fx.s, fx.key, &fx.beleid_a, rid, 500, &e), 0);
    struct round_code *codes = NULL;
    int n = 0;
    assert_int_equal(round_codes(fx.a, fx.s, &fx.kwaliteit_p, rid, &codes, &n), ERR_DENIED);
    assert_int_equal(round_codes(fx.a, fx.s, &fx.beleid_b, rid, &codes, &n), ERR_DENIED);
    assert_int_equal(round_codes(fx.a, fx.s, &fx.beleid_a, rid, &codes, &n), 0);
    assert_int_equal(n, 500);
    for (int i = 0; i < n; i++) {
        assert_int_equal(strlen(codes[i].code), SURVEY_CODE_LEN);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(codes[i].code, codes[j].code);
    }
    assert_true(count_audit("round.codes_read") >= 1);
    struct round_invitation inv;
    assert_int_equal(round_find_by_code(fx.a, fx.s, fx.key, codes[17].code, &inv), 0);
    assert_int_equal(inv.round.id, rid);
    assert_false(inv.used);
    assert_int_equal(round_find_by_code(fx.a, fx.s, fx.key, "ABCDEFGHJK", &inv), ERR_NOT_FOUND);
    /* The database holds no code in its hash column: a hash with another key does not match. */
    unsigned char other[SURVEY_KEY_BYTES];
    memset(other, 9, sizeof other);
    struct survey_code_key *wrong = NULL;
    assert_int_equal(survey_code_key_from_bytes(other, &wrong), 0);
    assert_int_equal(round_find_by_code(fx.a, fx.s, wrong, codes[17].code, &inv), ERR_NOT_FOUND);
    survey_code_key_free(wrong);

    /* The aanbieder (party) sees the round and its counts, another aanbieder does not. */
    assert_int_equal(round_get(fx.a, fx.s, &fx.kwaliteit_p, rid, &r), 0);
    assert_int_equal(r.n_invitations, 500);
    assert_false(round_may_edit(fx.a, fx.s, &fx.kwaliteit_p, &r));
    assert_true(round_may_edit(fx.a, fx.s, &fx.beleid_a, &r));
    assert_int_equal(round_get(fx.a, fx.s, &fx.kwaliteit_p2, rid, &r), ERR_DENIED);
    struct survey_round *rounds = NULL;
    assert_int_equal(round_list(fx.a, fx.s, &fx.kwaliteit_p2, 0, &rounds, &n), 0);
    for (int i = 0; i < n; i++)
        assert_int_not_equal(rounds[i].id, rid);
    assert_int_equal(round_list(fx.a, fx.s, &fx.kwaliteit_p, sid, &rounds, &n), 0);
    assert_int_equal(n, 1);

    /* Status: concept -> open -> gesloten; never back. Closing deletes the drafts. */
    assert_int_equal(round_set_status(fx.s, &fx.kwaliteit_p, rid, ROUND_OPEN, &e), ERR_DENIED);
    assert_int_equal(round_set_status(fx.s, &fx.beleid_a, rid, ROUND_OPEN, &e), 0);
    assert_int_equal(round_get(fx.a, fx.s, &fx.beleid_a, rid, &r), 0);
    assert_true(round_accepts(&r, day_from_ymd(2025, 3, 15)));
    assert_false(round_accepts(&r, day_from_ymd(2025, 5, 1)));
    assert_false(round_accepts(&r, day_from_ymd(2025, 2, 28)));
    assert_int_equal(round_set_status(fx.s, &fx.beleid_a, rid, ROUND_CONCEPT, &e), ERR_INVALID);
    struct db *db = NULL;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(round_store_demo_complete(db, rid, 180, 180), 0);
    struct db_stmt *st = NULL;
    static const char draft_sql[] = "INSERT INTO survey_draft (invitation_id, answers, saved_on) "
                                    "SELECT id, '{}', 20000 FROM survey_invitation "
                                    "WHERE round_id = $1 AND used = 0 LIMIT 3";
    assert_int_equal(db_prepare(db, "t.draft", draft_sql, &st), 0);
    assert_int_equal(db_bind_i64(st, 1, rid), 0);
    assert_int_equal(db_run(st), 0);
    db_done(st);
    assert_int_equal(store_write_end(fx.s, true), 0);
    assert_int_equal(round_get(fx.a, fx.s, &fx.beleid_a, rid, &r), 0);
    assert_int_equal(r.n_used, 180);
    assert_int_equal(round_response_permille(&r), 360);
    /* all codes, never which were used (survey_round.h) */
    assert_int_equal(round_codes(fx.a, fx.s, &fx.beleid_a, rid, &codes, &n), 0);
    assert_int_equal(n, r.n_invitations);
    for (int i = 0; i < n; i++)
        assert_false(codes[i].used);
    int64_t drafts = 0;
    assert_int_equal(
        db_query_i64(store_reader(fx.s), "t.count", "SELECT count(*) FROM survey_draft", &drafts),
        0);
    assert_int_equal(drafts, 3);
    assert_int_equal(round_set_status(fx.s, &fx.beleid_a, rid, ROUND_CLOSED, &e), 0);
    assert_int_equal(
        db_query_i64(store_reader(fx.s), "t.count", "SELECT count(*) FROM survey_draft", &drafts),
        0);
    assert_int_equal(drafts, 0);
    assert_int_equal(round_set_status(fx.s, &fx.beleid_a, rid, ROUND_OPEN, &e), ERR_INVALID);
    assert_int_equal(round_make_codes(fx.s, fx.key, &fx.beleid_a, rid, 1, &e), ERR_INVALID);

    /* Once a round exists, edits must keep stored numbers meaningful. */
    struct survey sv;
    assert_int_equal(survey_get(fx.a, fx.s, &fx.beleid_a, sid, &sv), 0);
    /* Swap the two options of jeugd_informant: "jongere" would then be stored as 2. */
    const char *p1 = strstr(sv.document, "\"code\": \"jongere\"");
    const char *p2 = strstr(sv.document, "\"code\": \"ouder\"");
    assert_non_null(p1);
    assert_non_null(p2);
    char *swapped =
        arena_printf(fx.a, "%.*s\"code\": \"ouder\"%.*s\"code\": \"jongere\"%s",
                     (int)(p1 - sv.document), sv.document, (int)(p2 - p1 - 17), p1 + 17, p2 + 15);
    int rc = survey_update(fx.s, &fx.beleid_a, sid, sv.version, swapped, strlen(swapped), &e);
    if (rc != ERR_INVALID || !strstr(e.msg, "vraag 1 (jeugd_informant): optie \"jongere\""))
        fail_msg("swap: %d %s", rc, e.msg);

    /* An open link: a random slug, found again. */
    struct round_input oin = round_in(sid, "0114");
    oin.public_link = true;
    oin.aanbieder_id = 0;
    int64_t oid = 0;
    assert_int_equal(round_create(fx.s, &fx.beleid_a, &oin, &oid, &e), 0);
    assert_int_equal(round_get(fx.a, fx.s, &fx.beleid_a, oid, &r), 0);
    assert_non_null(r.public_slug);
    assert_int_equal(strlen(r.public_slug), ROUND_SLUG_LEN);
    struct survey_round found;
    assert_int_equal(round_find_by_slug(fx.a, fx.s, r.public_slug, &found), 0);
    assert_int_equal(found.id, oid);
    assert_int_equal(round_find_by_slug(fx.a, fx.s, "short", &found), ERR_NOT_FOUND);
    assert_int_equal(round_find_by_slug(fx.a, fx.s, "aaaaaaaaaaaaaaaaaaaaaaaa", &found),
                     ERR_NOT_FOUND);
    assert_true(count_audit("round.") >= 5);
}

/* ---- QR. ----------------------------------------------------------------------------------- */

static void test_qr(void **state)
{
    (void)state;
    const char *url = "https://enquete.regio.nl/enquete?code=ABCD-EFGH-JK";
    unsigned char *m = NULL;
    int w = 0;
    assert_int_equal(qr_modules(url, &m, &w), 0);
    assert_true(w >= 21 && (w - 17) % 4 == 0); /* a QR version: 21, 25, 29, ... modules */
    /* Finder pattern in the top-left corner: a dark 7x7 ring around a light ring. */
    for (int i = 0; i < 7; i++) {
        assert_int_equal(m[0 * w + i], 1);
        assert_int_equal(m[6 * w + i], 1);
        assert_int_equal(m[i * w + 0], 1);
    }
    assert_int_equal(m[1 * w + 1], 0);
    assert_int_equal(m[3 * w + 3], 1);
    int dark = 0;
    for (int i = 0; i < w * w; i++)
        dark += m[i];

    struct buf b;
    buf_init(&b, BUF_MAX_SMALL * 4);
    assert_int_equal(qr_svg(&b, url, "QR-code <met> link", 40), 0);
    const char *svg = buf_cstr(&b);
    assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    assert_non_null(strstr(svg, "<title>QR-code &lt;met&gt; link</title>"));
    assert_true(strcmp(svg + b.len - 6, "</svg>") == 0);
    /* Redraw the path into a matrix: exactly qrencode's dark modules, offset by the quiet zone. */
    unsigned char *drawn = calloc((size_t)(w + 8) * (size_t)(w + 8), 1);
    const char *p = strstr(svg, " d=\"");
    assert_non_null(p);
    p += 4;
    int painted = 0;
    while (*p == 'M') {
        char *end = NULL;
        long x = strtol(p + 1, &end, 10);
        long y = strtol(end + 1, &end, 10);
        assert_int_equal(*end, 'h');
        long run = strtol(end + 1, &end, 10);
        assert_true(strncmp(end, "v1h-", 4) == 0);
        end += 4;
        long back = strtol(end, &end, 10);
        assert_int_equal(back, run);
        assert_int_equal(*end, 'z');
        p = end + 1;
        for (long k = 0; k < run; k++) {
            assert_int_equal(drawn[y * (w + 8) + x + k], 0);
            drawn[y * (w + 8) + x + k] = 1;
            painted++;
        }
    }
    assert_int_equal(*p, '"');
    assert_int_equal(painted, dark);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            assert_int_equal(drawn[(y + 4) * (w + 8) + x + 4], m[y * w + x]);
    free(drawn);
    free(m);
    buf_release(&b);
    /* Limits. */
    buf_init(&b, BUF_MAX_SMALL);
    assert_int_equal(qr_svg(&b, "", "t", 40), ERR_INVALID);
    char *long_text = malloc(QR_SVG_TEXT_MAX + 2);
    memset(long_text, 'a', QR_SVG_TEXT_MAX + 1);
    long_text[QR_SVG_TEXT_MAX + 1] = '\0';
    assert_int_equal(qr_svg(&b, long_text, "t", 40), ERR_INVALID);
    free(long_text);
    buf_release(&b);
}

/* ---- Demo rounds. -------------------------------------------------------------------------- */

static void test_demo_rounds(void **state)
{
    (void)state;
    /* 120 responses in Emmen in 2025 and 40 in 2024, none in Assen: the 2025 round takes the
     * 120, its codes give a 30-45% response rate, and the 2024 ones keep no round. */
    /* A fresh database with two gemeenten (the other tests made questionnaires already). */
    struct store *keep = fx.s;
    char path[160];
    struct err_ctx oe = {0};
    snprintf(path, sizeof path, "%s/demo-rounds.db", fx.dir);
    assert_int_equal(store_open(path, &fx.s, &oe), 0);
    int64_t region = ts_make_org(fx.s, ORG_REGION, "Regio Demo", NULL, NULL, 0);
    ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, region);
    ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, region);
    struct db *db = NULL;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    for (int i = 0; i < 160; i++) {
        struct survey_response_row row = {.gemeente = "0114",
                                          .law = 2,
                                          .age = -1,
                                          .response_date = i < 120
                                                               ? day_from_ymd(2025, 1 + i % 12, 10)
                                                               : day_from_ymd(2024, 5, 1)};
        struct survey_answer_row ans = {"wmo_ceo_1", 4};
        assert_int_equal(survey_store_insert(db, &row, &ans, 1, NULL), 0);
    }
    assert_int_equal(store_write_end(fx.s, true), 0);
    struct demo_rounds_summary sum;
    struct err_ctx e = {0};
    int rc = demo_rounds_generate(fx.s, fx.key, 42, &sum, &e);
    if (rc)
        fail_msg("%s", e.msg);
    assert_int_equal(sum.year, 2025);
    assert_int_equal(sum.surveys, 2);
    assert_int_equal(sum.rounds, 4); /* a closed and an open one per gemeente */
    assert_int_equal(sum.responses, 120);
    struct survey_round *rounds = NULL;
    int n = 0;
    assert_int_equal(round_list(fx.a, fx.s, &admin, 0, &rounds, &n), 0);
    int closed = 0;
    for (int i = 0; i < n; i++) {
        const struct survey_round *r = &rounds[i];
        if (strcmp(r->name, "Cliëntervaring Wmo 2025") != 0)
            continue;
        closed++;
        assert_int_equal(r->status, ROUND_CLOSED);
        if (strcmp(r->gemeente, "0114") == 0) {
            assert_int_equal(r->n_responses, 120);
            assert_int_equal(r->n_used, 120);
            int pm = round_response_permille(r);
            assert_true(pm >= 295 && pm <= 455);
        } else {
            assert_int_equal(r->n_responses, 0);
        }
    }
    assert_int_equal(closed, 2);
    int64_t linked = 0, unlinked = 0;
    assert_int_equal(db_query_i64(store_reader(fx.s), "t.linked",
                                  "SELECT count(*) FROM survey_response WHERE round_id IS NOT NULL",
                                  &linked),
                     0);
    assert_int_equal(db_query_i64(store_reader(fx.s), "t.unlinked",
                                  "SELECT count(*) FROM survey_response WHERE round_id IS NULL",
                                  &unlinked),
                     0);
    assert_int_equal(linked, 120);
    assert_int_equal(unlinked, 40);
    /* The open round's codes work with the key they were made with. */
    struct round_code *codes = NULL;
    for (int i = 0; i < n; i++) {
        if (rounds[i].status != ROUND_OPEN || strcmp(rounds[i].name, "Cliëntervaring Wmo 2026"))
            continue;
        assert_int_equal(round_codes(fx.a, fx.s, &admin, rounds[i].id, &codes, &n), 0);
        assert_int_equal(n, 40);
        struct round_invitation inv;
        assert_int_equal(round_find_by_code(fx.a, fx.s, fx.key, codes[0].code, &inv), 0);
        assert_true(round_accepts(&inv.round, day_from_ymd(2026, 11, 23)));
        break;
    }
    assert_non_null(codes);
    store_close(fx.s);
    fx.s = keep;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),       cmocka_unit_test(test_surveys),
        cmocka_unit_test(test_rounds),      cmocka_unit_test(test_qr),
        cmocka_unit_test(test_demo_rounds),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
