/*
 * test_data_pack.c: the data pack of a quality conversation (report/data_pack.c). On a fresh
 * store with hand-inserted trajectories of a gemeente and several aanbieders, a planned
 * conversation between the gemeente and one aanbieder gets a pack: it is canonical JSON whose
 * sha256 matches, the conversation becomes "voorbereid", every shown figure rests on at least
 * the minimum count of the provider audience (no undisclosed cell, hidden values null, never
 * 0), a story with consent "gesprek" is in and an "intern" one is not. Then data changes (a new
 * import) and the engine is rebuilt: the frozen pack reads back byte for byte with the same
 * hash, says it is outdated, cannot be updated (trigger), and a new pack differs. The PDF of a
 * pack is checked with poppler when present. Outsiders can neither read nor make a pack.
 */
#include "report/data_pack.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/config.h"
#include "core/str.h"
#include "domain/conversation.h"
#include "domain/org.h"
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
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <sodium.h>
#include <unistd.h>
#include <cmocka.h>

#define NAANB 7

struct fx {
    char dir[64], path[128];
    struct store *s;
    struct arena *a;
    struct config cfg;
    struct mx_engine *eng;
    int64_t region, gem, gem2, aanb[NAANB], result, conv;
    struct actor beleid, kwaliteit, outsider;
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

/* n jeugdwet trajectories of gemeente cbs at aanbieder ai starting on start; every third one
 * ended on end with CBS reason 03 (uitval) when end is not DAY_NONE. */
static void add(struct db *db, int64_t batch, int n, const char *cbs, int ai, day_t start,
                day_t end)
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
                 "%s, '01', 10, '4-11', '%d', 8, %" PRId64 ");",
                 person, f.aanb[ai], cbs, (int)start + i % 20, endv, cbsv, 1 + i % 2, batch);
        exec(db, sql);
    }
}

static void batch_row(struct db *db, int64_t id)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO import_batch(id, kind, file_name, file_sha256, file_bytes, via, "
             "status, created_at) VALUES (%" PRId64 ", 'registratie', 'x%" PRId64 ".csv', "
             "'%064" PRId64 "', 1, 'cli', 'actief', '2024-07-01T00:00:00Z');",
             id, id, id);
    exec(db, sql);
}

static void story(const char *title, const char *consent, int64_t owner, int64_t aanbieder)
{
    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    int64_t results[1] = {f.result};
    struct story_values v = {.owner_org_id = owner,
                             .kind_code = "citaat",
                             .consent_code = consent,
                             .title = title,
                             .body = "Door de vaste hulpverlener voelde ik me gehoord.",
                             .teller_role = "ouder",
                             .told_on = D(2024, 3, 12),
                             .gemeente = "0344",
                             .aanbieder_id = aanbieder,
                             .anon_checked = "[]",
                             .result_ids = results,
                             .nresults = 1};
    int64_t id;
    assert_int_equal(story_store_insert(db, &v, "2024-03-12T10:00:00Z", 0, &id), 0);
    assert_int_equal(store_write_end(f.s, true), 0);
}

static int setup(void **state)
{
    (void)state;
    memset(&f, 0, sizeof f);
    ts_store_open("datapack", f.dir, f.path, &f.s);
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
    f.beleid = ts_make_actor(f.s, f.a, "beleid.utrecht", f.gem, ROLE_BELEID, "Wachtwoord-123!x");
    f.kwaliteit =
        ts_make_actor(f.s, f.a, "kwaliteit.a", f.aanb[0], ROLE_KWALITEIT, "Wachtwoord-123!x");
    f.outsider =
        ts_make_actor(f.s, f.a, "kwaliteit.e", f.aanb[4], ROLE_KWALITEIT, "Wachtwoord-123!x");

    struct result_input ri = {.owner_org_id = f.gem,
                              .theme = THEME_OPGROEIEN,
                              .title = "Jongeren groeien veilig op",
                              .description = "Minder uitval, passende hulp.",
                              .start_year = 2024,
                              .end_year = 2027};
    assert_int_equal(result_create(f.s, &f.beleid, &ri, &f.result, &e), 0);

    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    int64_t inds[2] = {ind_catalog_standard_id(db, "jw_uitval"),
                       ind_catalog_standard_id(db, "nieuwe_starts")};
    assert_true(inds[0] > 0 && inds[1] > 0);
    assert_int_equal(indicator_store_set_result_links(db, f.result, inds, 2), 0);
    batch_row(db, 1);
    /* Ended trajectories in 2024-Q1 and Q2 per aanbieder (many for A, a handful for E). */
    for (int ai = 0; ai < NAANB; ai++) {
        int n = ai == 4 ? 3 : 30 + 5 * ai;
        add(db, 1, n, "0344", ai, D(2023, 1, 9), D(2024, 2, 1));
        add(db, 1, n, "0344", ai, D(2023, 1, 9), D(2024, 5, 2));
        add(db, 1, n, "0363", ai, D(2023, 4, 9), D(2024, 5, 2));
        add(db, 1, n, "0344", ai, D(2024, 1, 15), DAY_NONE);
    }
    exec(db, "INSERT INTO data_change(batch_id, kind, at) VALUES (1, 'import', "
             "'2024-07-01T00:00:00Z');");
    assert_int_equal(store_write_end(f.s, true), 0);

    story("Gehoord worden", "gesprek", f.aanb[0], f.aanb[0]);
    story("Alleen voor ons team", "intern", f.gem, 0);
    story("Verhaal van een andere aanbieder", "gesprek", f.aanb[3], f.aanb[3]);

    struct conv_party_input parties[1] = {{f.aanb[0], 0}};
    struct conv_participant_input people[2] = {{f.beleid.user_id, CROLE_GESPREKSLEIDER},
                                               {f.kwaliteit.user_id, CROLE_DEELNEMER}};
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
                            .nparties = 1,
                            .participants = people,
                            .nparticipants = 2};
    int rc = conversation_create(f.s, &f.beleid, &ci, &f.conv, &e);
    if (rc)
        fail_msg("conversation_create: %s %s", err_name(rc), e.msg);
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

static void check_hash(const struct data_pack *p)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)p->row.document, p->row.document_len);
    char hex[65];
    for (size_t i = 0; i < sizeof h; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    assert_string_equal(hex, p->row.sha256);
}

/* Every shown value of every series rests on at least min_count units; hidden ones are null.
 * *benches counts periods with a benchmark. */
static int check_disclosed(json_t *doc, int min_count, int *benches)
{
    int shown = 0;
    *benches = 0;
    size_t i, k, s, p;
    json_t *r, *ind, *ser, *per;
    json_array_foreach(json_object_get(doc, "resultaten"), i, r)
    {
        json_array_foreach(json_object_get(r, "indicatoren"), k, ind)
        {
            json_array_foreach(json_object_get(ind, "reeksen"), s, ser)
            {
                json_array_foreach(json_object_get(ser, "perioden"), p, per)
                {
                    json_t *w = json_object_get(per, "waarde");
                    if (json_is_object(json_object_get(per, "benchmark")))
                        (*benches)++;
                    json_t *n = json_object_get(per, "n");
                    if (json_is_null(w)) {
                        assert_true(json_is_null(n));
                        assert_string_equal(json_string_value(json_object_get(per, "weergave")),
                                            ".");
                        continue;
                    }
                    assert_true(json_is_integer(n));
                    assert_true(json_integer_value(n) >= min_count);
                    shown++;
                }
            }
        }
    }
    return shown;
}

static bool has_story(json_t *doc, const char *title)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "verhalen"), i,
                       x) if (strcmp(json_string_value(json_object_get(x, "titel")), title) ==
                              0) return true;
    return false;
}

static void builds_frozen_pack(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    struct data_pack p;
    int rc = data_pack_build(a, f.s, f.eng, &f.cfg, &f.beleid, f.conv, &p, &e);
    if (rc)
        fail_msg("build: %s %s", err_name(rc), e.msg);
    assert_true(p.row.id > 0);
    check_hash(&p);
    assert_int_equal(p.row.data_change_id, 1);
    assert_false(data_pack_outdated(f.s, &p));

    struct conversation c;
    assert_int_equal(conversation_get(a, f.s, &f.beleid, f.conv, &c), 0);
    assert_int_equal(c.status, CONV_VOORBEREID);

    json_error_t je;
    json_t *doc = json_loadb(p.row.document, p.row.document_len, 0, &je);
    assert_non_null(doc);
    /* Canonical: dumping it again in the same way gives the same bytes. */
    char *again = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12));
    assert_string_equal(again, p.row.document);
    free(again);
    assert_string_equal(json_string_value(json_object_get(doc, "publiek")), "aanbieder");
    struct dc_rules rules;
    dc_rules_for(&f.cfg, DC_PROVIDER, &rules);
    int benches = 0;
    int shown = check_disclosed(doc, rules.min_count, &benches);
    assert_true(shown > 0);
    assert_true(benches > 0); /* compared with the other aanbieders */
    assert_int_equal(json_array_size(json_object_get(
                         json_array_get(json_object_get(doc, "resultaten"), 0), "indicatoren")),
                     2);
    assert_true(has_story(doc, "Gehoord worden"));
    assert_false(has_story(doc, "Alleen voor ons team"));             /* intern */
    assert_false(has_story(doc, "Verhaal van een andere aanbieder")); /* not at the table */
    assert_null(strstr(p.row.document, "Alleen voor ons team"));
    json_decref(doc);

    /* Data changes: a new import of many more uitval trajectories of aanbieder A. */
    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    batch_row(db, 2);
    add(db, 2, 60, "0344", 0, D(2023, 2, 1), D(2024, 5, 10));
    exec(db, "INSERT INTO data_change(batch_id, kind, at) VALUES (2, 'import', "
             "'2024-08-01T00:00:00Z');");
    assert_int_equal(store_write_end(f.s, true), 0);
    mx_engine_free(f.eng);
    f.eng = NULL;
    assert_int_equal(mx_engine_build(store_reader(f.s), &f.eng, &e), 0);

    struct data_pack back;
    assert_int_equal(data_pack_latest(a, f.s, &f.kwaliteit, f.conv, &back), 0);
    assert_int_equal(back.row.id, p.row.id);
    assert_int_equal(back.row.document_len, p.row.document_len);
    assert_memory_equal(back.row.document, p.row.document, p.row.document_len);
    assert_string_equal(back.row.sha256, p.row.sha256);
    assert_true(data_pack_outdated(f.s, &back));

    /* The table refuses any change. */
    assert_int_equal(store_write_begin(f.s, &db), 0);
    assert_int_not_equal(db_exec(db, "UPDATE data_pack SET document = '{}'"), 0);
    store_write_end(f.s, false);

    /* A new pack sees the new data: another document and hash, and it is the newest. */
    struct data_pack p2;
    rc = data_pack_build(a, f.s, f.eng, &f.cfg, &f.beleid, f.conv, &p2, &e);
    if (rc)
        fail_msg("rebuild: %s %s", err_name(rc), e.msg);
    assert_string_not_equal(p2.row.sha256, p.row.sha256);
    assert_int_equal(p2.row.data_change_id, 2);
    assert_false(data_pack_outdated(f.s, &p2));
    assert_int_equal(data_pack_latest(a, f.s, &f.beleid, f.conv, &back), 0);
    assert_int_equal(back.row.id, p2.row.id);
    struct data_pack_row *hist = NULL;
    int nh = 0;
    assert_int_equal(data_pack_history(a, f.s, &f.beleid, f.conv, &hist, &nh), 0);
    assert_int_equal(nh, 2);
    assert_int_equal(hist[0].id, p2.row.id);
    /* The first pack is still there, unchanged. */
    struct db *rd = store_reader(f.s);
    struct data_pack_row old;
    assert_int_equal(data_pack_store_get(a, rd, p.row.id, &old), 0);
    assert_string_equal(old.document, p.row.document);

    /* PDF from the frozen document. */
    struct buf pdf;
    buf_init(&pdf, PDF_MAX_BYTES);
    rc = data_pack_pdf(a, &back, &pdf, &e);
    if (rc)
        fail_msg("pdf: %s %s", err_name(rc), e.msg);
    assert_memory_equal(pdf.p, "%PDF-", 5);
    if (access("/usr/bin/pdftotext", X_OK) == 0) {
        char dir[64] = "/tmp/duiding-dpk-XXXXXX";
        assert_non_null(mkdtemp(dir));
        char path[128], cmd[256];
        snprintf(path, sizeof path, "%s/p.pdf", dir);
        FILE *out = fopen(path, "wb");
        assert_non_null(out);
        assert_int_equal(fwrite(pdf.p, 1, pdf.len, out), pdf.len);
        fclose(out);
        snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext '%s' '%s/p.txt'", path, dir);
        assert_int_equal(system(cmd), 0);
        snprintf(path, sizeof path, "%s/p.txt", dir);
        FILE *in = fopen(path, "rb");
        assert_non_null(in);
        char *text = calloc(1, 1 << 20);
        assert_non_null(text);
        size_t n = fread(text, 1, (1 << 20) - 1, in);
        fclose(in);
        text[n] = '\0';
        /* pdftotext keeps the line breaks of the page: compare on words. */
        for (size_t i = 0; i < n; i++)
            if (text[i] == '\n')
                text[i] = ' ';
        assert_non_null(strstr(text, "Kwaliteitsgesprek jeugdhulp voorjaar 2024"));
        char prefix[17];
        snprintf(prefix, sizeof prefix, "%.16s", back.row.sha256);
        assert_non_null(strstr(text, prefix));
        assert_non_null(strstr(text, "latere correcties staan hier niet in"));
        assert_non_null(strstr(text, "Momentopname gemaakt op"));
        assert_non_null(strstr(text, "Gehoord worden"));
        assert_null(strstr(text, "Alleen voor ons team"));
        free(text);
        ts_rm_dir(dir);
    }
    buf_release(&pdf);
    arena_free(a);
}

static void outsiders_get_nothing(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    struct data_pack p;
    assert_int_equal(data_pack_latest(a, f.s, &f.outsider, f.conv, &p), ERR_NOT_FOUND);
    assert_int_equal(data_pack_build(a, f.s, f.eng, &f.cfg, &f.outsider, f.conv, &p, &e),
                     ERR_NOT_FOUND);
    struct data_pack_row *hist = NULL;
    int nh = 0;
    assert_int_equal(data_pack_history(a, f.s, &f.outsider, f.conv, &hist, &nh), ERR_NOT_FOUND);
    arena_free(a);
}

static void no_pack_once_held(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    struct conversation c;
    assert_int_equal(conversation_get(a, f.s, &f.beleid, f.conv, &c), 0);
    assert_int_equal(conversation_mark_held(f.s, &f.beleid, f.conv, c.version, &e), 0);
    struct data_pack p;
    assert_int_equal(data_pack_build(a, f.s, f.eng, &f.cfg, &f.beleid, f.conv, &p, &e),
                     ERR_CONFLICT);
    assert_int_equal(data_pack_latest(a, f.s, &f.kwaliteit, f.conv, &p), 0);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_frozen_pack),
        cmocka_unit_test(outsiders_get_nothing),
        cmocka_unit_test(no_pack_once_held),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
