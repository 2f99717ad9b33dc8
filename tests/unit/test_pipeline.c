/*
 * test_pipeline.c: whole imports (ingest/pipeline.c, source.c, batch.c, store/intake_store.c)
 * on a fresh database per test, with the real iJw/iWmo 3.2 sample messages of the
 * iStandaarden release beside hostile inputs: folders and zips of samples with exact counts,
 * duplicates, the 301 -> 305 -> 307 chain, invalid and unknown messages, the actor's scope,
 * undo and re-import, zip bombs and limits, a database error half-way (nothing left behind),
 * registrations through a column profile, CBS population figures and correction files.
 */
#include "ingest/pipeline.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/user.h"
#include "ingest/batch.h"
#include "ingest/profile.h"
#include "ingest/rebuild.h"
#include "ingest/source.h"
#include "store/db.h"
#include "store/intake_store.h"
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <cmocka.h>

#define PW      "correct-horse-battery"
#define JW_DIR  TEST_SHARED_DIR "/external/istandaarden/ijw-3.2/berichten"
#define WMO_DIR TEST_SHARED_DIR "/external/istandaarden/iwmo-3.2/berichten"
#define CBS_POP                                                                                    \
    TEST_SHARED_DIR "/external/cbs/certegis-2021/DERIVED_inwoners_per_gemeente_leeftijd_2021.csv"
#define INTAKE(f) TEST_SOURCE_DIR "/tests/data/intake/" f

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    struct pseudonymiser *ps;
    struct import_env env;
    int64_t region, amsterdam, diemen, a1, a2;
};

static struct fixture fx;
static struct msg_schemas *schemas;

/* Not a database user, like the CLI. */
static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "test"};

/* ---- Files. ---------------------------------------------------------------------------------- */

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        unlink(dir);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = xmalloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return p;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* A sample message with every `from` replaced by `to` (pairs, NULL-terminated). */
static char *sample(const char *name, ...)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", name[0] == 'W' ? WMO_DIR : JW_DIR, name);
    char *s = read_file(path, NULL);
    va_list ap;
    va_start(ap, name);
    const char *from;
    while ((from = va_arg(ap, const char *))) {
        const char *to = va_arg(ap, const char *);
        struct buf b;
        buf_init(&b, BUF_MAX_PAGE);
        const char *p = s, *hit;
        while ((hit = strstr(p, from))) {
            buf_append(&b, p, (size_t)(hit - p));
            buf_append_str(&b, to);
            p = hit + strlen(from);
        }
        buf_append_str(&b, p);
        free(s);
        s = buf_detach(&b, NULL);
    }
    va_end(ap);
    return s;
}

/* Writes text to <tmp>/name and returns the path (static buffer per call site is fine). */
static const char *tmp_file(const char *name, const char *text)
{
    static char paths[8][256];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 256, "%s/%s", fx.dir, name);
    write_file(p, text, strlen(text));
    return p;
}

struct zentry {
    const char *name;
    const void *data;
    size_t len;
};

static const char *make_zip(const char *name, const struct zentry *e, int n)
{
    static char path[256];
    int err = 0;
    snprintf(path, sizeof path, "%s/%s", fx.dir, name);
    unlink(path);
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        if (e[i].name[strlen(e[i].name) - 1] == '/') {
            assert_true(zip_dir_add(za, e[i].name, ZIP_FL_ENC_UTF_8) >= 0);
            continue;
        }
        zip_source_t *src = zip_source_buffer(za, e[i].data, e[i].len, 0);
        assert_non_null(src);
        assert_true(zip_file_add(za, e[i].name, src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    return path;
}

/* A zip of every sample of the iJw folder under "berichten/". */
static const char *samples_zip(const char *name)
{
    static const char *files[] = {"JW301.xml", "JW302.xml", "JW305.xml", "JW306.xml",
                                  "JW307.xml", "JW308.xml", "JW316.xml", "JW317.xml",
                                  "JW319.xml", "JW320.xml", "JW323.xml", "JW325.xml"};
    struct zentry e[ARRAY_LEN(files)];
    char *data[ARRAY_LEN(files)];
    char names[ARRAY_LEN(files)][64];
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char p[512];
        size_t len;
        snprintf(p, sizeof p, "%s/%s", JW_DIR, files[i]);
        data[i] = read_file(p, &len);
        snprintf(names[i], sizeof names[i], "berichten/%s", files[i]);
        e[i] = (struct zentry){names[i], data[i], len};
    }
    const char *path = make_zip(name, e, (int)ARRAY_LEN(files));
    for (size_t i = 0; i < ARRAY_LEN(files); i++)
        free(data[i]);
    return path;
}

/* ---- Database. ------------------------------------------------------------------------------- */

/* One integer from a query on a reader connection (sql must be a literal: it is a cache key). */
static int64_t q1(const char *sql)
{
    struct db *db = store_reader(fx.s);
    struct db_stmt *st = NULL;
    assert_non_null(db);
    assert_int_equal(db_prepare(db, "test.q1", sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t v = db_col_i64(st, 0);
    db_done(st);
    return v;
}

static const char *qtext(const char *sql)
{
    struct db *db = store_reader(fx.s);
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(db, "test.qtext", sql, &st), 0);
    int rc = db_step(st);
    const char *v = NULL;
    if (rc == DB_ROW && db_col_text(st, 0))
        v = arena_strdup(fx.a, db_col_text(st, 0));
    db_done(st);
    return v;
}

/* The SHA-256 of a file, as an import records it. */
static const char *file_sha(const char *path)
{
    char hex[65];
    uint64_t bytes = 0;
    struct err_ctx e = {0};
    assert_int_equal(source_sha256_file(path, UINT64_MAX, hex, &bytes, &e), 0);
    return arena_strdup(fx.a, hex);
}

/* The writer connection between transactions: foreign keys enforced and temporary storage as
 * by default again (an import runs without both, db_begin_bulk). */
static void expect_writer_plain(void)
{
    struct db *db = NULL;
    int64_t fk = -1, ts = -1;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_query_i64(db, "test.fk", "PRAGMA foreign_keys", &fk), 0);
    assert_int_equal(db_query_i64(db, "test.ts", "PRAGMA temp_store", &ts), 0);
    assert_int_equal(store_write_end(fx.s, false), 0);
    assert_int_equal(fk, 1);
    assert_int_equal(ts, 0);
}

static int64_t n_facts(void)
{
    return q1("SELECT count(*) FROM fact");
}
static int64_t n_traj(void)
{
    return q1("SELECT count(*) FROM trajectory");
}
static int64_t n_batches(void)
{
    return q1("SELECT count(*) FROM import_batch");
}

static int setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    unsigned char key[KEY_FILE_BYTES];
    memset(&fx, 0, sizeof fx);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-pipeline-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/intake.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    memset(key, 0x5a, sizeof key);
    assert_int_equal(pseudonymiser_from_key(key, &fx.ps), 0);
    fx.env = (struct import_env){.store = fx.s, .schemas = schemas, .pseudonymiser = fx.ps};
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Amstelland", NULL, NULL, 0);
    fx.amsterdam = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0363", NULL, fx.region);
    fx.diemen = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0384", NULL, 0);
    fx.a1 = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg Een", NULL, "42420001", 0);
    fx.a2 = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg Twee", NULL, "65656055", 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(fx.s);
    pseudonymiser_free(fx.ps);
    arena_free(fx.a);
    rm_tree(fx.dir);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    log_set_level("warn"); /* keep the test output to the findings */
    if (msg_schemas_load(&schemas, &e) != 0)
        fail_msg("schemas: %s", e.msg);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    msg_schemas_free(schemas);
    return 0;
}

/* ---- Running imports. ------------------------------------------------------------------------ */

struct opts {
    const struct actor *who;
    enum import_kind kind;
    int64_t profile;
    const struct import_limits *limits;
};

static int run(const char *path, const struct opts *o, struct import_report *rep, struct err_ctx *e)
{
    struct import_request r = {
        .path = path,
        .kind = o ? o->kind : IMPORT_AUTO,
        .profile_id = o ? o->profile : 0,
        .actor = o && o->who ? o->who : &admin,
        .via = VIA_CLI,
        .limits = o ? o->limits : NULL,
    };
    memset(e, 0, sizeof *e);
    return import_run(&fx.env, &r, rep, e);
}

/* Runs an import that must produce a report, and checks the counts' invariant. */
static struct import_report import_ok(const char *path, const struct opts *o)
{
    struct import_report rep;
    struct err_ctx e;
    int rc = run(path, o, &rep, &e);
    if (rc)
        fail_msg("import %s: %s (%s)", path, err_name(rc), e.msg);
    assert_int_equal(rep.read, rep.accepted + rep.rejected + rep.skipped);
    return rep;
}

static void expect_counts(const struct import_report *r, uint64_t read, uint64_t acc, uint64_t rej,
                          uint64_t skip)
{
    if (r->read != read || r->accepted != acc || r->rejected != rej || r->skipped != skip)
        fail_msg("counts read %" PRIu64 " acc %" PRIu64 " rej %" PRIu64 " skip %" PRIu64
                 ", expected %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 " (error: %s)",
                 r->read, r->accepted, r->rejected, r->skipped, read, acc, rej, skip, r->error);
}

/* The stored counts agree with the report. */
static void expect_stored(const struct import_report *r)
{
    struct import_batch b;
    struct err_ctx e = {0};
    assert_int_equal(batch_get(fx.s, &admin, r->batch_id, fx.a, &b, &e), 0);
    assert_string_equal(b.status, "actief");
    assert_int_equal(b.n_read, (int64_t)r->read);
    assert_int_equal(b.n_accepted, (int64_t)r->accepted);
    assert_int_equal(b.n_rejected, (int64_t)r->rejected);
    assert_int_equal(b.n_skipped, (int64_t)r->skipped);
    assert_int_equal(b.n_trajectories, (int64_t)r->trajectories);
    assert_non_null(b.finished_at);
    assert_int_equal(strlen(b.file_sha256), 64);
}

/* ---- Tests. ---------------------------------------------------------------------------------- */

static void test_detect_kind(void **state)
{
    (void)state;
    assert_int_equal(import_detect_kind(JW_DIR), IMPORT_MESSAGES);
    assert_int_equal(import_detect_kind(JW_DIR "/JW305.xml"), IMPORT_MESSAGES);
    assert_int_equal(import_detect_kind(samples_zip("s.zip")), IMPORT_MESSAGES);
    assert_int_equal(import_detect_kind(CBS_POP), IMPORT_POPULATION);
    assert_int_equal(import_detect_kind(INTAKE("jeugd-export-puntkomma.csv")), IMPORT_REGISTRATION);
    assert_int_equal(import_detect_kind(INTAKE("wmo-export-komma.csv")), IMPORT_REGISTRATION);
    assert_int_equal(import_detect_kind(INTAKE("jeugd-export.xlsx")), IMPORT_REGISTRATION);
    assert_int_equal(import_detect_kind("/nonexistent/x.xml"), IMPORT_AUTO);
    assert_string_equal(import_kind_code(IMPORT_MESSAGES), "berichten");
    assert_string_equal(import_kind_code(IMPORT_REGISTRATION), "registratie");
    assert_string_equal(import_kind_code(IMPORT_POPULATION), "bevolking");
}

static void test_folder_samples(void **state)
{
    (void)state;
    /* 12 samples: 301, 305, 307 and the claims of 323 are used; 302 306 308 316 317 319 320
     * 325 are valid messages duiding does not use. The 301 goes to aanbieder 42420001, the 305/307
     * come from 65656055: two groups, and only the second has a trajectory (started and stopped).
     */
    struct import_report r = import_ok(JW_DIR, NULL);
    expect_counts(&r, 12, 4, 0, 8);
    assert_false(r.duplicate);
    assert_false(r.failed);
    assert_int_equal(r.kind, IMPORT_MESSAGES);
    assert_int_equal(r.test_records, 4);
    assert_int_equal(r.trajectories, 1);
    assert_int_equal(r.flagged, 2); /* 305 and 307 without an assignment of their aanbieder */
    expect_stored(&r);
    assert_int_equal(n_facts(), 6);
    assert_int_equal(n_traj(), 1);
    assert_int_equal(q1("SELECT count(*) FROM import_message"), 4);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE skipped = 1"), 8);
    /* The JW323's five claim lines (issue 7), amounts exact, clients as pseudonyms. */
    assert_int_equal(q1("SELECT count(*) FROM claim_line"), 5);
    assert_int_equal(q1("SELECT sum(amount_cents) FROM claim_line"), 79000);
    assert_int_equal(q1("SELECT count(*) FROM claim_line WHERE length(client) = 32"), 5);
    assert_string_equal(qtext("SELECT reason FROM import_rejection WHERE seq = 1"),
                        "Bericht JW302 wordt niet gebruikt (alleen 301, 305, 307, 315 en 323)");
    /* No BSN anywhere: persons are 32-byte pseudonyms, referred to by their id. */
    assert_int_equal(q1("SELECT count(*) FROM fact f JOIN person p ON p.id = f.person_id "
                        "WHERE length(p.pseudonym) = 32"),
                     6);
    assert_int_equal(q1("SELECT count(DISTINCT person_id) FROM fact"), 1);
    assert_int_equal(q1("SELECT count(*) FROM person"), 1);
    /* The same folder again: a duplicate, nothing changes. */
    struct import_report again = import_ok(JW_DIR, NULL);
    assert_true(again.duplicate);
    assert_int_equal(again.batch_id, r.batch_id);
    assert_int_equal(n_batches(), 1);
    assert_int_equal(n_facts(), 6);

    /* iWmo: 301 305 307 315 and 323 (claims) used, 317 319 not. */
    struct import_report w = import_ok(WMO_DIR, NULL);
    expect_counts(&w, 7, 5, 0, 2);
    expect_stored(&w);
    assert_int_equal(q1("SELECT count(*) FROM fact WHERE law = 2"), 7);
}

static void test_zip_samples(void **state)
{
    (void)state;
    const char *zip = samples_zip("archief.zip");
    struct import_report r = import_ok(zip, NULL);
    expect_counts(&r, 12, 4, 0, 8);
    expect_stored(&r);
    assert_string_equal(qtext("SELECT source FROM import_rejection WHERE seq = 1"),
                        "archief.zip:berichten/JW302.xml");
    assert_string_equal(qtext("SELECT file_name FROM import_batch"), "archief.zip");
    int64_t facts = n_facts(), traj = n_traj();
    /* The same file again: reported as a duplicate, nothing changed. */
    struct import_report d = import_ok(zip, NULL);
    assert_true(d.duplicate);
    assert_int_equal(d.batch_id, r.batch_id);
    assert_int_equal(n_batches(), 1);
    assert_int_equal(n_facts(), facts);
    assert_int_equal(n_traj(), traj);
    /* The same messages in the folder: another file, but every message was read before. */
    struct import_report f = import_ok(JW_DIR, NULL);
    expect_counts(&f, 12, 0, 0, 12);
    assert_int_equal(n_facts(), facts);
    assert_non_null(strstr(qtext("SELECT reason FROM import_rejection WHERE batch_id = 2 AND "
                                 "source LIKE '%JW305.xml'"),
                           "al ingelezen in batch 1"));
}

static void test_chain(void **state)
{
    (void)state;
    /* The assignment as the gemeente sends it to the same aanbieder as the 305/307. */
    char *m301 = sample("JW301.xml", "<jw301:Afzender>0384", "<jw301:Afzender>0363",
                        "<jw301:Ontvanger>42420001", "<jw301:Ontvanger>65656055", NULL);
    char *m305 = sample("JW305.xml", NULL);
    char *m307 = sample("JW307.xml", NULL);

    struct import_report r1 = import_ok(tmp_file("JW301.xml", m301), NULL);
    expect_counts(&r1, 1, 1, 0, 0);
    assert_int_equal(n_traj(), 0); /* an assignment alone is no trajectory yet */

    struct import_report r2 = import_ok(tmp_file("JW305.xml", m305), NULL);
    expect_counts(&r2, 1, 1, 0, 0);
    assert_int_equal(n_traj(), 1);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE end_date IS NULL"), 1);
    assert_int_equal(r2.flagged, 1); /* a test BSN */

    struct import_report r3 = import_ok(tmp_file("JW307.xml", m307), NULL);
    expect_counts(&r3, 1, 1, 0, 0);
    assert_int_equal(n_traj(), 1);
    /* One ended trajectory: both products of category 55 merged, from the first start to
     * the end; JZ588 31 "volgens plan" is CBS reason 01. */
    assert_int_equal(q1("SELECT end_date FROM trajectory"), 20651);   /* 2026-07-17 */
    assert_int_equal(q1("SELECT start_date FROM trajectory"), 20546); /* 2026-04-03 */
    assert_string_equal(qtext("SELECT cbs_reason FROM trajectory"), "01");
    assert_string_equal(qtext("SELECT end_reason FROM trajectory"), "31");
    assert_string_equal(qtext("SELECT category FROM trajectory"), "55");
    assert_string_equal(qtext("SELECT gemeente FROM trajectory"), "0363");
    assert_string_equal(qtext("SELECT age_band FROM trajectory"), "12-17");
    assert_int_equal(q1("SELECT nlines FROM trajectory"), 2);
    assert_int_equal(q1("SELECT flags FROM trajectory"), 16); /* test person, nothing else */
    assert_int_equal(q1("SELECT batch_id FROM trajectory"), r3.batch_id);
    assert_int_equal(q1("SELECT aanbieder_id FROM trajectory"), fx.a2);

    /* Undo the stop: the trajectory is open again, from the start's batch. */
    struct err_ctx e = {0};
    assert_int_equal(batch_undo(fx.s, &admin, r3.batch_id, &e), 0);
    assert_int_equal(n_traj(), 1);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE end_date IS NULL"), 1);
    assert_int_equal(q1("SELECT batch_id FROM trajectory"), r2.batch_id);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE batch_id = 3"), 0);
    free(m301);
    free(m305);
    free(m307);
}

static void test_invalid_in_zip(void **state)
{
    (void)state;
    char *good = sample("JW305.xml", NULL);
    /* Not a BSN by the XSD's pattern. */
    char *bad = sample("JW307.xml", "<jw307:Bsn>999900006", "<jw307:Bsn>99990000X", NULL);
    char *broken = sample("JW301.xml", "</jw301:Bericht>", "", NULL); /* not well-formed */
    struct zentry z[] = {
        {"ok/JW305.xml", good, strlen(good)},   {"ok/", "", 0},
        {"kapot/JW307.xml", bad, strlen(bad)},  {"kapot/JW301.xml", broken, strlen(broken)},
        {".verborgen.xml", good, strlen(good)}, {"binnen.zip", "PK\003\004rest", 8},
        {"../buiten.xml", good, strlen(good)}};
    struct import_report r = import_ok(make_zip("mix.zip", z, (int)ARRAY_LEN(z)), NULL);
    /* The folder entry is no record; hidden file and nested zip are skipped; the rest read. */
    expect_counts(&r, 6, 1, 3, 2);
    expect_stored(&r);
    assert_int_equal(n_facts(), 2);
    /* Every rejection names file, line, element and reason. */
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE source = "
                        "'mix.zip:kapot/JW307.xml' AND line > 0 AND element = 'Bsn' AND "
                        "length(reason) > 10 AND skipped = 0"),
                     1);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE source = "
                        "'mix.zip:kapot/JW301.xml' AND line > 0 AND skipped = 0"),
                     1);
    /* The escaping name is never shown; its position is. */
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE source LIKE '%buiten%'"), 0);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE source = 'mix.zip:#7'"), 1);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE skipped = 1 AND source "
                        "IN ('mix.zip:.verborgen.xml', 'mix.zip:binnen.zip')"),
                     2);

    /* The correction file lists the rejected ones: file;line;element;reason, CRLF, BOM. */
    struct buf out;
    const char *name = NULL;
    struct err_ctx e = {0};
    buf_init(&out, BUF_MAX_EXPORT);
    assert_int_equal(batch_correction_file(fx.s, &admin, r.batch_id, fx.a, &out, &name, &e), 0);
    assert_non_null(strstr(name, ".csv"));
    const char *csv = buf_cstr(&out);
    assert_memory_equal(csv,
                        "\xEF\xBB\xBF"
                        "bestand;regel;element;reden\r\n",
                        32);
    assert_non_null(strstr(csv, "mix.zip:kapot/JW307.xml;"));
    assert_non_null(strstr(csv, ";Bsn;"));
    assert_null(strstr(csv, "verborgen")); /* skipped ones are not to be corrected */
    int lines = 0;
    for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    assert_int_equal(lines, 4); /* header + 3 rejected */
    buf_release(&out);
    /* Reading the rejected records is audited. */
    struct import_rejection *rows = NULL;
    int n = 0;
    int64_t total = 0;
    assert_int_equal(batch_rejections(fx.s, &admin, r.batch_id, 0, 0, fx.a, &rows, &n, &total, &e),
                     0);
    assert_int_equal(total, 5);
    assert_int_equal(n, 5);
    assert_true(q1("SELECT count(*) FROM audit_event WHERE action LIKE 'import.%'") >= 3);
    free(good);
    free(bad);
    free(broken);
}

static void test_rejected_records(void **state)
{
    (void)state;
    char *unknown = sample("JW305.xml", "<jw305:Afzender>65656055", "<jw305:Afzender>11111111",
                           "123456789012", "A1", NULL);
    char *elf = sample("JW305.xml", "999900006", "123456789", "123456789012", "A2", NULL);
    char *unknown_bsn = sample("JW305.xml", "999900006", "999999999", "123456789012", "A3", NULL);
    char *bad_gem = sample("JW305.xml", "<jw305:Ontvanger>0363", "<jw305:Ontvanger>9999",
                           "123456789012", "A4", NULL);
    char *merged = sample("JW305.xml", "<jw305:Ontvanger>0363", "<jw305:Ontvanger>0370",
                          "123456789012", "A5", NULL); /* Beemster, now Purmerend */
    struct zentry z[] = {{"1.xml", unknown, strlen(unknown)},
                         {"2.xml", elf, strlen(elf)},
                         {"3.xml", unknown_bsn, strlen(unknown_bsn)},
                         {"4.xml", bad_gem, strlen(bad_gem)},
                         {"5.xml", merged, strlen(merged)}};
    struct import_report r = import_ok(make_zip("rej.zip", z, 5), NULL);
    expect_counts(&r, 5, 1, 4, 0);
    assert_non_null(
        strstr(qtext("SELECT reason FROM import_rejection WHERE source = 'rej.zip:1.xml'"),
               "AGB-code 11111111 is niet bekend"));
    assert_non_null(strstr(
        qtext("SELECT reason FROM import_rejection WHERE source = 'rej.zip:2.xml'"), "elfproef"));
    assert_non_null(strstr(
        qtext("SELECT reason FROM import_rejection WHERE source = 'rej.zip:3.xml'"), "999999999"));
    assert_non_null(strstr(
        qtext("SELECT reason FROM import_rejection WHERE source = 'rej.zip:4.xml'"), "9999"));
    /* A gemeente merged since is counted under its successor. */
    assert_string_equal(qtext("SELECT DISTINCT gemeente FROM fact"), "0439");
    free(unknown);
    free(elf);
    free(unknown_bsn);
    free(bad_gem);
    free(merged);
}

static void test_scope(void **state)
{
    (void)state;
    struct actor kwal2 = ts_make_actor(fx.s, fx.a, "kwaliteit.twee", fx.a2, ROLE_KWALITEIT, PW);
    struct actor contract_ams =
        ts_make_actor(fx.s, fx.a, "contract.ams", fx.amsterdam, ROLE_CONTRACT, PW);
    struct actor prof2 = ts_make_actor(fx.s, fx.a, "prof.twee", fx.a2, ROLE_PROFESSIONAL, PW);
    char *own = sample("JW305.xml", NULL);
    char *other = sample("JW301.xml", NULL); /* Diemen -> aanbieder 42420001 */
    struct zentry z[] = {{"own.xml", own, strlen(own)}, {"other.xml", other, strlen(other)}};
    const char *zip = make_zip("scope.zip", z, 2);

    /* A professional may not deliver at all. */
    struct import_report r;
    struct err_ctx e;
    struct opts o = {.who = &prof2};
    assert_int_equal(run(zip, &o, &r, &e), ERR_DENIED);
    assert_int_equal(n_batches(), 0);

    /* Aanbieder 65656055: its own 305 is accepted, the 301 for another aanbieder is not. */
    o.who = &kwal2;
    r = import_ok(zip, &o);
    expect_counts(&r, 2, 1, 1, 0);
    assert_non_null(strstr(qtext("SELECT reason FROM import_rejection WHERE source = "
                                 "'scope.zip:other.xml'"),
                           "andere aanbieder"));
    assert_int_equal(q1("SELECT org_id FROM import_batch"), fx.a2);
    int64_t b_aanbieder = r.batch_id;

    /* Gemeente Amsterdam (0363): a 305 to Amsterdam yes, the 301 of Diemen no. */
    char *ams = sample("JW305.xml", "123456789012", "AMS1", NULL);
    struct zentry z2[] = {{"ams.xml", ams, strlen(ams)}, {"other.xml", other, strlen(other)}};
    o.who = &contract_ams;
    r = import_ok(make_zip("scope2.zip", z2, 2), &o);
    expect_counts(&r, 2, 1, 1, 0);
    assert_non_null(
        strstr(qtext("SELECT reason FROM import_rejection WHERE batch_id = 2"), "andere gemeente"));

    /* The region: residents of its member gemeenten (Amsterdam), not of Diemen. */
    struct actor contract_reg =
        ts_make_actor(fx.s, fx.a, "contract.regio", fx.region, ROLE_CONTRACT, PW);
    char *reg = sample("JW305.xml", "123456789012", "REG1", NULL);
    struct zentry z3[] = {{"reg.xml", reg, strlen(reg)}, {"other.xml", other, strlen(other)}};
    o.who = &contract_reg;
    struct import_report rr = import_ok(make_zip("scope3.zip", z3, 2), &o);
    expect_counts(&rr, 2, 1, 1, 0);
    assert_non_null(
        strstr(qtext("SELECT reason FROM import_rejection WHERE batch_id = 3"), "buiten uw regio"));
    free(reg);

    /* Each sees its own batches only; another's batch is refused. */
    struct import_batch *bs = NULL, b;
    int n = 0;
    int64_t total = 0;
    assert_int_equal(batch_list(fx.s, &kwal2, NULL, fx.a, &bs, &n, &total, &e), 0);
    assert_int_equal(total, 1);
    assert_int_equal(bs[0].id, b_aanbieder);
    assert_int_equal(batch_list(fx.s, &admin, NULL, fx.a, &bs, &n, &total, &e), 0);
    assert_int_equal(total, 3);
    assert_int_equal(bs[0].id, rr.batch_id); /* newest first */
    assert_int_equal(batch_get(fx.s, &kwal2, r.batch_id, fx.a, &b, &e), ERR_DENIED);
    assert_int_equal(batch_undo(fx.s, &kwal2, r.batch_id, &e), ERR_DENIED);
    assert_int_equal(batch_get(fx.s, &kwal2, 999, fx.a, &b, &e), ERR_NOT_FOUND);
    assert_int_equal(batch_list(fx.s, &prof2, NULL, fx.a, &bs, &n, &total, &e), ERR_DENIED);

    /* Totals follow the same scope. */
    struct intake_totals t;
    assert_int_equal(intake_totals(fx.s, &admin, &t, &e), 0);
    assert_int_equal(t.batches_active, 3);
    assert_int_equal(t.facts, 6);
    assert_int_equal(intake_totals(fx.s, &kwal2, &t, &e), 0);
    assert_int_equal(t.batches_active, 1);
    assert_int_equal(t.trajectories, 1);
    assert_int_equal(t.open_trajectories, 1);
    assert_int_equal(intake_totals(fx.s, &contract_ams, &t, &e), 0);
    assert_int_equal(t.trajectories, 1); /* 0363 residents */
    free(own);
    free(other);
    free(ams);
}

static void test_undo_reimport(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct import_report r = import_ok(JW_DIR, NULL);
    assert_int_equal(n_traj(), 1);
    assert_int_equal(batch_undo(fx.s, &admin, r.batch_id, &e), 0);
    assert_int_equal(n_traj(), 0);
    assert_int_equal(n_facts(), 0);
    assert_int_equal(q1("SELECT count(*) FROM import_message"), 0);
    assert_int_equal(q1("SELECT count(*) FROM claim_line"), 0); /* claims go with the batch */
    assert_string_equal(qtext("SELECT status FROM import_batch"), "ongedaan");
    assert_non_null(qtext("SELECT undone_at FROM import_batch"));
    assert_int_equal(batch_undo(fx.s, &admin, r.batch_id, &e), ERR_CONFLICT);
    assert_int_equal(batch_undo(fx.s, &admin, 4242, &e), ERR_NOT_FOUND);
    /* The same folder again is a new batch now, and everything comes back. */
    struct import_report again = import_ok(JW_DIR, NULL);
    assert_false(again.duplicate);
    assert_int_not_equal(again.batch_id, r.batch_id);
    expect_counts(&again, 12, 4, 0, 8);
    assert_int_equal(q1("SELECT count(*) FROM claim_line"), 5);
    assert_int_equal(n_traj(), 1);
    assert_int_equal(q1("SELECT batch_id FROM trajectory"), again.batch_id);
    assert_int_equal(q1("SELECT count(*) FROM audit_event WHERE action = 'import.undo'"), 1);
}

static void test_zip_limits(void **state)
{
    (void)state;
    char *good = sample("JW305.xml", NULL);
    size_t big = 20u * 1024 * 1024;
    char *zeros = xcalloc(1, big);
    struct zentry z[] = {{"JW305.xml", good, strlen(good)}, {"nullen.xml", zeros, big}};
    struct import_report r;
    struct err_ctx e;
    int rc = run(make_zip("bom.zip", z, 2), NULL, &r, &e);
    assert_int_equal(rc, 0);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "zip-bom"));
    assert_int_equal(n_facts(), 0);
    assert_int_equal(n_traj(), 0);
    assert_int_equal(q1("SELECT count(*) FROM import_batch WHERE status = 'mislukt' AND "
                        "error LIKE '%zip-bom%' AND n_read = 0"),
                     1);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection"), 0);
    free(zeros);

    /* Too many entries (limit lowered to 5 for the test; the default is a million). */
    struct zentry six[6];
    char names[6][24];
    for (int i = 0; i < 6; i++) {
        snprintf(names[i], sizeof names[i], "m%d.xml", i);
        six[i] = (struct zentry){names[i], good, strlen(good)};
    }
    struct import_limits lim = {.max_zip_entries = 5};
    struct opts o = {.limits = &lim};
    rc = run(make_zip("zes.zip", six, 6), &o, &r, &e);
    assert_int_equal(rc, 0);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "meer dan 5 bestanden"));
    assert_int_equal(n_facts(), 0);
    /* The total expanded size, too. */
    lim = (struct import_limits){.max_zip_expanded = 4096};
    rc = run(make_zip("zes.zip", six, 6), &o, &r, &e);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "pakt uit tot meer dan"));
    /* And a folder with too many files. */
    char dir[300];
    snprintf(dir, sizeof dir, "%s/map", fx.dir);
    mkdir(dir, 0700);
    for (int i = 0; i < 3; i++) {
        char p[400];
        snprintf(p, sizeof p, "%s/%d.xml", dir, i);
        write_file(p, good, strlen(good));
    }
    lim = (struct import_limits){.max_dir_files = 2};
    rc = run(dir, &o, &r, &e);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "meer dan 2 bestanden"));
    assert_int_equal(n_facts(), 0);
    assert_int_equal(q1("SELECT count(*) FROM import_batch WHERE status = 'actief'"), 0);
    /* An empty folder is no import either. */
    char empty[300];
    snprintf(empty, sizeof empty, "%s/leeg", fx.dir);
    mkdir(empty, 0700);
    rc = run(empty, NULL, &r, &e);
    assert_true(r.failed);
    /* Rejections past the cap are counted, not stored. */
    char *bad = sample("JW305.xml", "999900006", "123456789", NULL);
    for (int i = 0; i < 6; i++)
        six[i] = (struct zentry){names[i], bad, strlen(bad)};
    lim = (struct import_limits){.max_rejections = 2};
    r = import_ok(make_zip("bad.zip", six, 6), &o);
    expect_counts(&r, 6, 0, 6, 0);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE batch_id = (SELECT max(id) "
                        "FROM import_batch)"),
                     2);
    assert_non_null(strstr(qtext("SELECT detail FROM import_batch ORDER BY id DESC LIMIT 1"),
                           "\"rejections_not_stored\":4"));
    free(good);
    free(bad);
}

static void test_db_error_midway(void **state)
{
    (void)state;
    struct db *db = NULL;
    /* The third fact insert fails: everything before it in the batch must go too. */
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON fact WHEN NEW.seq = 3 "
                                 "BEGIN SELECT RAISE(ABORT, 'boom'); END"),
                     0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    struct import_report r;
    struct err_ctx e;
    int rc = run(JW_DIR, NULL, &r, &e);
    assert_int_equal(rc, ERR_DB);
    assert_true(r.failed);
    assert_int_equal(n_facts(), 0);
    assert_int_equal(n_traj(), 0);
    assert_int_equal(q1("SELECT count(*) FROM import_message"), 0);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection"), 0);
    assert_int_equal(n_batches(), 1);
    assert_string_equal(qtext("SELECT status FROM import_batch"), "mislukt");
    /* Without the fault the same import goes through. */
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_exec(db, "DROP TRIGGER boom"), 0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    r = import_ok(JW_DIR, NULL);
    expect_counts(&r, 12, 4, 0, 8);
    assert_int_equal(n_facts(), 6);
}

static void test_not_found_and_denied(void **state)
{
    (void)state;
    struct import_report r;
    struct err_ctx e;
    assert_int_equal(run("/nonexistent/berichten", NULL, &r, &e), ERR_NOT_FOUND);
    /* A registration without a profile: a failed batch saying what to do. */
    int rc = run(INTAKE("jeugd-export-puntkomma.csv"), NULL, &r, &e);
    assert_int_equal(rc, 0);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "kolomprofiel"));
    struct opts o = {.profile = 4711};
    assert_int_equal(run(INTAKE("jeugd-export-puntkomma.csv"), &o, &r, &e), ERR_NOT_FOUND);
    /* An unsupported file (not iJw/iWmo 3.2) fails as a whole. */
    rc = run(tmp_file("oud.xml", "<?xml version=\"1.0\"?><Bericht xmlns=\"urn:iwmo:2.1\"/>"), NULL,
             &r, &e);
    assert_int_equal(rc, 0);
    assert_true(r.failed);
    assert_int_equal(n_facts(), 0);
}

static int64_t save_profile(void)
{
    static struct value_map values[] = {
        {RF_REASON, "Afgerond volgens plan", "01"},
        {RF_HULPVORM, "Ambulant", "02"},
        {RF_HULPVORM, "Pleegzorg", "11"},
        {RF_REFERRER, "Huisarts", "02"},
        {RF_REFERRER, "Gemeentelijke toegang", "01"},
        {RF_INFORMANT, "Ouder", "02"},
        {RF_INFORMANT, "Jeugdige", "01"},
    };
    struct mapping_profile p = {
        .org_id = fx.a2,
        .name = "Export Jeugdzorg Zuid",
        .law = LAW_JW,
        .delimiter = ';',
        .header_row = 3,
        .values = values,
        .nvalues = (int)ARRAY_LEN(values),
    };
    p.columns[RF_CLIENT_BSN] = "BSN";
    p.columns[RF_BIRTH_DATE] = "Geboortedatum";
    p.columns[RF_GEMEENTE] = "Woongemeente";
    p.columns[RF_HULPVORM] = "Soort hulp";
    p.columns[RF_START] = "Datum aanvang";
    p.columns[RF_END] = "Datum einde";
    p.columns[RF_REASON] = "Reden beëindiging";
    p.columns[RF_REFERRER] = "Verwijzer";
    p.columns[RF_SATISFACTION] = "Rapportcijfer";
    p.columns[RF_ZONDER_HULP] = "Zonder hulp verder";
    p.columns[RF_INFORMANT] = "Informant";
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = profile_save(fx.s, &admin, &p, &id, &e);
    if (rc)
        fail_msg("profile: %s (%s: %s)", err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static void test_registration(void **state)
{
    (void)state;
    int64_t pid = save_profile();
    struct opts o = {.profile = pid};
    struct import_report r = import_ok(INTAKE("jeugd-export-puntkomma.csv"), &o);
    assert_int_equal(r.kind, IMPORT_REGISTRATION);
    /* 12 data rows below two title rows (not records) and the header. Accepted: rows 4, 5
     * (a test BSN) and 15 (standard codes); row 13 is blank; the other 8 are rejected for a
     * failed elfproef, 31 February, an unmapped 'Yoga', a mark of 11, an end before the start,
     * unknown gemeenten, or a reason without an end date. */
    expect_counts(&r, 12, 3, 8, 1);
    assert_int_equal(r.test_records, 1);
    assert_int_equal(r.flagged, 1);
    assert_int_equal(r.trajectories, 3);
    expect_stored(&r);
    assert_int_equal(n_facts(), (int64_t)r.accepted);
    assert_int_equal(q1("SELECT count(*) FROM fact WHERE kind = 900"), (int64_t)r.accepted);
    assert_int_equal(n_traj(), (int64_t)r.trajectories);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE flags & 8 = 8"), n_traj());
    assert_non_null(
        strstr(qtext("SELECT detail FROM import_batch"), "\"encoding\":\"Windows-1252\""));
    assert_non_null(strstr(qtext("SELECT detail FROM import_batch"), "\"delimiter\":\";\""));
    /* The impossible date of row 7 (31-02-2023) is rejected naming the column. */
    assert_non_null(
        strstr(qtext("SELECT reason FROM import_rejection WHERE record = 7"), "Datum aanvang"));
    /* Stored rejected rows never hold the BSN or the name. */
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE fields LIKE '%111222321%' "
                        "OR fields LIKE '%Bakker%'"),
                     0);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE record = 7 AND fields LIKE "
                        "'%31-02-2023%'"),
                     1);
    /* The correction file: the delivered columns plus regel and reden, identifying ones empty. */
    struct buf out;
    const char *name = NULL;
    struct err_ctx e = {0};
    buf_init(&out, BUF_MAX_EXPORT);
    assert_int_equal(batch_correction_file(fx.s, &admin, r.batch_id, fx.a, &out, &name, &e), 0);
    const char *csv = buf_cstr(&out);
    assert_non_null(strstr(csv, "\xEF\xBB\xBF"
                                "BSN;Naam cliënt;Geboortedatum;Woongemeente;"));
    assert_non_null(strstr(csv, ";Informant;regel;reden\r\n"));
    assert_non_null(strstr(csv, "\r\n;;;Emmen;Ambulant;31-02-2023;"));
    assert_null(strstr(csv, "Bakker"));
    buf_release(&out);
    /* The same file with the same profile: a duplicate. */
    struct import_report d = import_ok(INTAKE("jeugd-export-puntkomma.csv"), &o);
    assert_true(d.duplicate);
    assert_int_equal(d.batch_id, r.batch_id);
    /* Windows-1252 is converted on another path than UTF-8: hashed apart, the same hash. */
    assert_string_equal(qtext("SELECT file_sha256 FROM import_batch"),
                        file_sha(INTAKE("jeugd-export-puntkomma.csv")));
    /* Undo removes the trajectories built at once as well. */
    assert_int_equal(batch_undo(fx.s, &admin, r.batch_id, &e), 0);
    assert_int_equal(n_traj(), 0);
    assert_int_equal(n_facts(), 0);
}

/* A small export with the standard codes, to check how records become trajectories. */
static int64_t save_plain_profile(void)
{
    struct mapping_profile p = {
        .org_id = fx.a1,
        .name = "Standaard",
        .law = LAW_JW,
        .delimiter = ';',
        .header_row = 1,
    };
    p.columns[RF_CLIENT_BSN] = "BSN";
    p.columns[RF_GEMEENTE] = "Gemeente";
    p.columns[RF_HULPVORM] = "Hulpvorm";
    p.columns[RF_START] = "Start";
    p.columns[RF_END] = "Einde";
    p.columns[RF_REASON] = "Reden";
    p.columns[RF_INFORMANT] = "Informant";
    p.columns[RF_SATISFACTION] = "Cijfer";
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = profile_save(fx.s, &admin, &p, &id, &e);
    if (rc)
        fail_msg("profile: %s (%s: %s)", err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static void test_registration_rebuild(void **state)
{
    (void)state;
    struct opts o = {.profile = save_plain_profile()};
    /* Person 1: one record per informant for the same help (one trajectory, two measurements)
     * and another hulpvorm later; person 2: one open record. */
    const char *first =
        tmp_file("eerste.csv", "BSN;Gemeente;Hulpvorm;Start;Einde;Reden;Informant;Cijfer\r\n"
                               "111222308;0114;02;1-2-2023;30-6-2023;01;01;8\r\n"
                               "111222308;0114;02;1-2-2023;30-6-2023;01;02;7\r\n"
                               "111222308;0114;11;1-7-2023;;;;\r\n"
                               "123456782;0106;02;1-3-2023;;;;\r\n");
    struct import_report r1 = import_ok(first, &o);
    expect_counts(&r1, 4, 4, 0, 0);
    assert_int_equal(r1.trajectories, 3);
    assert_int_equal(n_traj(), 3);
    assert_int_equal(q1("SELECT count(*) FROM measurement"), 2);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE end_date IS NULL"), 2);
    assert_int_equal(q1("SELECT count(DISTINCT person_id) FROM trajectory"), 2);
    assert_string_equal(qtext("SELECT cbs_reason FROM trajectory WHERE hulpvorm = '02' AND "
                              "end_date IS NOT NULL"),
                        "01");
    /* A later export ends person 2's help: the group is rebuilt, nothing else changes. */
    const char *second =
        tmp_file("tweede.csv", "BSN;Gemeente;Hulpvorm;Start;Einde;Reden;Informant;Cijfer\r\n"
                               "123456782;0106;02;1-3-2023;31-8-2023;03;;\r\n");
    struct import_report r2 = import_ok(second, &o);
    expect_counts(&r2, 1, 1, 0, 0);
    assert_int_equal(r2.trajectories, 1);
    assert_int_equal(n_traj(), 3);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE end_date IS NULL"), 1);
    assert_string_equal(qtext("SELECT cbs_reason FROM trajectory WHERE gemeente = '0106'"), "03");
    assert_int_equal(q1("SELECT batch_id FROM trajectory WHERE gemeente = '0106'"), r2.batch_id);
    /* Undoing it brings the earlier delivery back. */
    struct err_ctx e = {0};
    assert_int_equal(batch_undo(fx.s, &admin, r2.batch_id, &e), 0);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE end_date IS NULL"), 2);
    assert_int_equal(q1("SELECT batch_id FROM trajectory WHERE gemeente = '0106'"), r1.batch_id);
    assert_int_equal(q1("SELECT count(*) FROM measurement"), 2);
}

static void test_registration_xlsx(void **state)
{
    (void)state;
    /* A spreadsheet with the provider's own client numbers instead of BSNs. */
    struct mapping_profile p = {
        .org_id = fx.a1, .name = "Zorgboog XLSX", .law = LAW_JW, .header_row = 2};
    p.columns[RF_CLIENT_KEY] = "Cliëntnummer";
    p.columns[RF_GEMEENTE] = "Gemeentecode";
    p.columns[RF_HULPVORM] = "Hulpvorm";
    p.columns[RF_START] = "Startdatum";
    p.columns[RF_END] = "Einddatum";
    p.columns[RF_REASON] = "Reden einde";
    p.columns[RF_SATISFACTION] = "Tevredenheid";
    p.columns[RF_GOAL] = "Doelen behaald";
    p.columns[RF_GENDER] = "Geslacht";
    p.columns[RF_POSTCODE] = "Postcode";
    p.columns[RF_AGE] = "Leeftijd";
    struct err_ctx e = {0};
    struct opts o = {0};
    if (profile_save(fx.s, &admin, &p, &o.profile, &e))
        fail_msg("profile: %s", e.msg);
    struct import_report r = import_ok(INTAKE("jeugd-export.xlsx"), &o);
    /* Rows 3-7 and 9 (the title row and the header are no records): K-1001, K-1002 and K-1006
     * accepted; gemeente 9999, a row without a client number and 30 February rejected. */
    expect_counts(&r, 6, 3, 3, 0);
    assert_int_equal(r.trajectories, 3);
    expect_stored(&r);
    assert_non_null(strstr(qtext("SELECT reason FROM import_rejection WHERE record = 5"), "9999"));
    /* Client numbers are pseudonymised in the aanbieder's own domain: three persons. */
    assert_int_equal(q1("SELECT count(DISTINCT person_id) FROM fact"), 3);
    assert_non_null(strstr(qtext("SELECT detail FROM import_batch"), "\"encoding\":\"XLSX\""));
}

/* ---- Folders of zip archives. ------------------------------------------------------------ */

static void test_folder_of_zips(void **state)
{
    (void)state;
    /* A delivery as it arrives: a folder with two archives and a loose message. The second
     * archive holds the same samples again: read, and skipped as already imported. */
    char dir[300], p[400];
    snprintf(dir, sizeof dir, "%s/levering", fx.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    samples_zip("levering/a.zip");
    samples_zip("levering/b.zip");
    char *wmo = sample("WMO301.xml", NULL);
    snprintf(p, sizeof p, "%s/c.xml", dir);
    write_file(p, wmo, strlen(wmo));
    free(wmo);
    struct import_report r = import_ok(dir, NULL);
    /* a.zip as in test_zip_samples: 12 read, 4 accepted (with the 323's claims), 8 skipped;
     * b.zip: 12 skipped (the 4 used messages already imported, 8 kinds not used); c.xml: one
     * Wmo assignment. */
    expect_counts(&r, 25, 5, 0, 20);
    expect_stored(&r);
    assert_int_equal(q1("SELECT count(*) FROM import_message"), 5);
    assert_int_equal(q1("SELECT count(*) FROM claim_line"), 5); /* not twice */
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE source = "
                        "'levering/b.zip:berichten/JW301.xml' AND skipped = 1 AND "
                        "reason LIKE '%al ingelezen in batch%'"),
                     1);
    assert_int_equal(q1("SELECT count(*) FROM import_rejection WHERE source LIKE "
                        "'levering/a.zip:berichten/JW3%'"),
                     8);
    assert_non_null(strstr(qtext("SELECT detail FROM import_batch"), "\"source\":\"map\""));
    /* The folder's hash covers the archives: the same folder again is a duplicate. */
    struct import_report again = import_ok(dir, NULL);
    assert_true(again.duplicate);
    assert_int_equal(again.batch_id, r.batch_id);

    /* A zip bomb in a folder refuses the whole folder, as it does on its own. */
    snprintf(dir, sizeof dir, "%s/bom", fx.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    char *good = sample("JW305.xml", NULL);
    size_t big = 20u * 1024 * 1024;
    char *zeros = xcalloc(1, big);
    struct zentry z[] = {{"JW305.xml", good, strlen(good)}, {"nullen.xml", zeros, big}};
    make_zip("bom/x.zip", z, 2);
    struct err_ctx e;
    int64_t facts = n_facts();
    assert_int_equal(run(dir, NULL, &r, &e), 0);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "zip-bom"));
    assert_int_equal(n_facts(), facts);
    free(zeros);
    /* So does a file called .zip that is no archive; limits per archive still hold. */
    snprintf(dir, sizeof dir, "%s/kapot", fx.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(p, sizeof p, "%s/y.zip", dir);
    write_file(p, "geen zip", 8);
    assert_int_equal(run(dir, NULL, &r, &e), 0);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "y.zip is geen leesbaar zip-archief"));
    snprintf(dir, sizeof dir, "%s/zes", fx.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    struct zentry six[6];
    char names[6][24];
    for (int i = 0; i < 6; i++) {
        snprintf(names[i], sizeof names[i], "m%d.xml", i);
        six[i] = (struct zentry){names[i], good, strlen(good)};
    }
    make_zip("zes/z.zip", six, 6);
    struct import_limits lim = {.max_zip_entries = 5};
    struct opts o = {.limits = &lim};
    assert_int_equal(run(dir, &o, &r, &e), 0);
    assert_true(r.failed);
    assert_non_null(strstr(r.error, "meer dan 5 bestanden"));
    assert_int_equal(n_facts(), facts);
    free(good);
}

/* ---- Persons. -------------------------------------------------------------------------------- */

static void test_person_keys(void **state)
{
    (void)state;
    /* Pseudonyms are looked up by their first 8 bytes; two that share them (about once in
     * 10^12 pairs, made here on purpose) must stay two persons, also after undo removes one. */
    unsigned char p1[PSEUDONYM_BYTES], p2[PSEUDONYM_BYTES], p3[PSEUDONYM_BYTES];
    memset(p1, 0x11, sizeof p1);
    memcpy(p2, p1, sizeof p2);
    p2[31] = 0x22; /* same first 8 bytes as p1 */
    memset(p3, 0x33, sizeof p3);
    struct db *db = NULL;
    int64_t id1 = 0, id2 = 0, id3 = 0, id = 0;
    bool added = false, removed = false;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(intake_person_find(db, p1, &id), ERR_NOT_FOUND);
    assert_int_equal(intake_person_add(db, p1, &id1, &added), 0);
    assert_true(added);
    assert_int_equal(intake_person_add(db, p1, &id, &added), 0);
    assert_false(added);
    assert_int_equal(id, id1);
    assert_int_equal(intake_person_find(db, p2, &id), ERR_NOT_FOUND);
    assert_int_equal(intake_person_add(db, p2, &id2, &added), 0);
    assert_true(added);
    assert_true(id2 != id1);
    assert_int_equal(intake_person_add(db, p2, &id, &added), 0);
    assert_false(added);
    assert_int_equal(id, id2);
    assert_int_equal(intake_person_add(db, p3, &id3, &added), 0);
    assert_true(added);
    assert_int_equal(intake_person_find(db, p1, &id), 0);
    assert_int_equal(id, id1);
    assert_int_equal(intake_person_find(db, p2, &id), 0);
    assert_int_equal(id, id2);
    assert_int_equal(intake_person_max_id(db, &id), 0);
    assert_int_equal(id, id3);
    /* p1 goes (no facts): p2 takes over its key and stays findable; p1 comes back new. */
    assert_int_equal(intake_person_delete_unused(db, id1, &removed), 0);
    assert_true(removed);
    assert_int_equal(intake_person_find(db, p1, &id), ERR_NOT_FOUND);
    assert_int_equal(intake_person_find(db, p2, &id), 0);
    assert_int_equal(id, id2);
    assert_int_equal(intake_person_add(db, p1, &id1, &added), 0);
    assert_true(added);
    assert_int_equal(intake_person_find(db, p1, &id), 0);
    assert_int_equal(id, id1);
    /* What bulk mode uses: without the index, persons by id and key; the same overflow. */
    unsigned char p4[PSEUDONYM_BYTES], got[PSEUDONYM_BYTES];
    memset(p4, 0x44, sizeof p4);
    assert_int_equal(intake_person_index(db, false), 0);
    assert_int_equal(intake_person_append(db, p4, &id), 0);
    assert_int_equal(intake_person_get(db, id, got), 0);
    assert_memory_equal(got, p4, PSEUDONYM_BYTES);
    assert_int_equal(intake_person_hkey(p4), 0x4444444444444444);
    p4[31] = 0x55; /* the same first 8 bytes */
    assert_int_equal(intake_person_add_overflow(db, p4, &id, &added), 0);
    assert_true(added);
    int64_t again = 0;
    assert_int_equal(intake_person_add_overflow(db, p4, &again, &added), 0);
    assert_false(added);
    assert_int_equal(again, id);
    assert_int_equal(intake_person_index(db, true), 0);
    int64_t n = 0;
    assert_int_equal(intake_person_count(db, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(intake_person_find(db, p4, &again), 0);
    assert_int_equal(again, id);
    assert_int_equal(store_write_end(fx.s, true), 0);
    assert_int_equal(q1("SELECT count(*) FROM person"), 5);
    assert_int_equal(q1("SELECT count(*) FROM person WHERE hkey IS NULL"), 2);
    assert_int_equal(q1("SELECT count(*) FROM person WHERE hkey = 1229782938247303441"), 1);
}

/* A valid BSN (elfproef) from 8 digits into out[10]; false when no last digit makes one. */
static bool make_bsn(unsigned n, char out[10])
{
    snprintf(out, 10, "%08u", n % 100000000u);
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (out[i] - '0') * (9 - i);
    int last = sum % 11;
    if (last == 10)
        return false;
    out[8] = (char)('0' + last);
    out[9] = '\0';
    return true;
}

/* Every trajectory with its measurements, as one text (ids left out). */
static const char *traj_snapshot(void)
{
    return qtext("SELECT group_concat(r, '|') FROM (SELECT quote(person_id) || quote(aanbieder_id) "
                 "|| quote(law) || quote(gemeente) || quote(category) || quote(hulpvorm) || "
                 "quote(product_code) || quote(start_date) || quote(end_date) || "
                 "quote(end_reason) || quote(end_reason_list) || quote(release) || "
                 "quote(cbs_reason) || quote(referrer) || quote(age_at_start) || quote(age_band) "
                 "|| quote(gender) || quote(postcode4) || quote(flags) || quote(batch_id) || "
                 "quote(nlines) || coalesce((SELECT group_concat(m, ';') FROM (SELECT "
                 "quote(informant) || quote(satisfaction) || quote(zonder_hulp) || "
                 "quote(goal_realisation) AS m FROM measurement WHERE trajectory_id = t.id "
                 "ORDER BY informant)), '') AS r FROM trajectory t ORDER BY person_id, "
                 "start_date, hulpvorm, end_date, flags)");
}

struct group_list {
    struct intake_group v[8192];
    size_t n;
};

static int collect(void *ctx, const struct intake_group *g)
{
    struct group_list *l = ctx;
    assert_true(l->n < ARRAY_LEN(l->v));
    l->v[l->n++] = *g;
    return 0;
}

/* 4600 persons new in this batch, most with one record; their trajectories are built from
 * memory and stored at once (rebuild_facts). Person A has two records side by side (both held),
 * person B and test person T come back after more than 4096 other new persons (stored at once,
 * then rebuilt at the end), person C has two informants for one help. bulk: persons found in
 * memory while the index on person.hkey is dropped (pipeline.c, bulk mode). */
static void fast_path(bool bulk)
{
    struct import_limits lim = {.bulk_min_rows = bulk ? 1 : UINT64_MAX};
    struct opts o = {.profile = save_plain_profile(), .limits = &lim};
    struct buf csv;
    buf_init(&csv, BUF_MAX_EXPORT);
    buf_append_str(&csv, "BSN;Gemeente;Hulpvorm;Start;Einde;Reden;Informant;Cijfer\r\n");
    char bsn[10], b_bsn[10] = "", a_bsn[10] = "";
    unsigned n = 10000000;
    int persons = 0;
    buf_append_str(&csv, "999900006;0114;02;1-2-2023;30-6-2023;01;01;8\r\n"); /* T */
    buf_append_str(&csv, "111222308;0114;02;1-2-2023;30-6-2023;01;01;8\r\n"); /* C */
    buf_append_str(&csv, "111222308;0114;02;1-2-2023;30-6-2023;01;02;6\r\n");
    while (persons < 4600) {
        if (!make_bsn(n++, bsn))
            continue;
        persons++;
        buf_appendf(&csv, "%s;%s;%s;%d-%d-2023;%s;%s;;\r\n", bsn, persons % 3 ? "0114" : "0106",
                    persons % 2 ? "02" : "11", 1 + persons % 28, 1 + persons % 6,
                    persons % 4 ? "30-9-2023" : "", persons % 4 ? "01" : "");
        if (persons == 10) {
            memcpy(b_bsn, bsn, sizeof bsn);
        } else if (persons == 20) {
            memcpy(a_bsn, bsn, sizeof bsn);
            buf_appendf(&csv, "%s;0114;03;1-10-2023;;;;\r\n", a_bsn);
        }
    }
    buf_appendf(&csv, "%s;0106;12;1-11-2023;;;;\r\n", b_bsn);
    buf_append_str(&csv, "999900006;0114;11;1-8-2023;;;;\r\n");
    const char *path = tmp_file("veel.csv", buf_cstr(&csv));
    buf_release(&csv);
    struct import_report r = import_ok(path, &o);
    expect_counts(&r, 4606, 4606, 0, 0);
    expect_stored(&r);
    /* Written without foreign-key enforcement, every reference holds; enforcement is back. The
     * file was hashed while it was read. */
    assert_int_equal(q1("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    expect_writer_plain();
    assert_string_equal(qtext("SELECT file_sha256 FROM import_batch ORDER BY id DESC LIMIT 1"),
                        file_sha(path));
    assert_string_equal(r.file_sha256, file_sha(path));
    assert_int_equal(q1("SELECT count(*) FROM person"), 4602);
    /* Every record its own trajectory, but C's two (one per informant). */
    assert_int_equal(r.trajectories, 4605);
    assert_int_equal(n_traj(), 4605);
    assert_int_equal(q1("SELECT count(*) FROM measurement"), 3); /* T 1, C 2 */
    /* T's two records are flagged (test person), counted once each despite the rebuild. */
    assert_int_equal(r.flagged, 2);
    assert_int_equal(r.test_records, 2);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE flags & 16 = 16"), 2);
    /* B and A: two trajectories each. */
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE person_id = (SELECT person_id "
                        "FROM fact WHERE hulpvorm = '12')"),
                     2);
    assert_int_equal(q1("SELECT count(*) FROM trajectory WHERE person_id = (SELECT person_id "
                        "FROM fact WHERE hulpvorm = '03')"),
                     2);

    /* What was stored at once is exactly what rebuilding every group from the stored facts
     * gives. */
    const char *before = traj_snapshot();
    assert_non_null(before);
    static struct group_list groups;
    groups.n = 0;
    struct db *db = NULL;
    struct intake_writer *w = NULL;
    struct intake_facts facts = {0};
    struct arena *a = arena_new(0);
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(intake_fact_groups_of_batch(db, r.batch_id, collect, &groups), 0);
    assert_int_equal(groups.n, 4602);
    assert_int_equal(intake_writer_open(db, &w), 0);
    size_t built = 0, replaced = 0;
    for (size_t i = 0; i < groups.n; i++) {
        struct rebuild_result res;
        assert_int_equal(rebuild_group(db, w, &groups.v[i], false, a, &facts, &res), 0);
        built += res.trajectories;
        replaced += res.replaced;
    }
    assert_int_equal(intake_writer_flush(w), 0);
    intake_writer_close(w);
    intake_facts_free(&facts);
    arena_free(a);
    assert_int_equal(store_write_end(fx.s, true), 0);
    assert_int_equal(built, 4605);
    assert_int_equal(replaced, 4605);
    assert_string_equal(traj_snapshot(), before);
    /* The index is there again after bulk mode. */
    assert_int_equal(q1("SELECT count(*) FROM sqlite_schema WHERE name = 'person_hkey'"), 1);
    /* The same persons in a second export are found (the rows are new facts). */
    struct import_report r2 =
        import_ok(tmp_file("opnieuw.csv", "BSN;Gemeente;Hulpvorm;Start;"
                                          "Einde;Reden;Informant;Cijfer\r\n"
                                          "999900006;0114;13;1-9-2023;;;;\r\n"
                                          "111222308;0114;13;1-9-2023;;;;\r\n"),
                  &o);
    expect_counts(&r2, 2, 2, 0, 0);
    assert_int_equal(q1("SELECT count(*) FROM person"), 4602);
    /* Undo forgets the persons with the facts, but those a later batch still has. */
    struct err_ctx e = {0};
    assert_int_equal(batch_undo(fx.s, &admin, r.batch_id, &e), 0);
    assert_int_equal(q1("SELECT count(*) FROM person"), 2);
    assert_int_equal(n_traj(), 2);
    assert_int_equal(batch_undo(fx.s, &admin, r2.batch_id, &e), 0);
    assert_int_equal(q1("SELECT count(*) FROM person"), 0);
}

static void test_registration_fast_path(void **state)
{
    (void)state;
    fast_path(false);
}

static void test_registration_bulk(void **state)
{
    (void)state;
    fast_path(true);
}

/* A registration CSV is hashed while it is read; only a file the size of one imported before
 * is hashed first. Either way the same file again is a duplicate, another file never is. */
static void test_registration_hash(void **state)
{
    (void)state;
    struct opts o = {.profile = save_plain_profile()};
    const char *head = "BSN;Gemeente;Hulpvorm;Start;Einde;Reden;Informant;Cijfer\r\n";
    char text[512];
    snprintf(text, sizeof text, "%s111222308;0114;02;1-2-2023;30-6-2023;01;01;8\r\n", head);
    const char *a = tmp_file("a.csv", text);
    /* The same size, another mark. */
    snprintf(text, sizeof text, "%s111222308;0114;02;1-2-2023;30-6-2023;01;01;7\r\n", head);
    const char *b = tmp_file("b.csv", text);
    assert_string_not_equal(file_sha(a), file_sha(b));
    struct import_report ra = import_ok(a, &o);
    expect_counts(&ra, 1, 1, 0, 0);
    assert_string_equal(ra.file_sha256, file_sha(a));
    assert_int_equal(ra.file_bytes, strlen(text));
    struct import_report rb = import_ok(b, &o);
    assert_false(rb.duplicate);
    expect_counts(&rb, 1, 1, 0, 0);
    assert_string_equal(qtext("SELECT file_sha256 FROM import_batch ORDER BY id DESC LIMIT 1"),
                        file_sha(b));
    struct import_report again = import_ok(a, &o);
    assert_true(again.duplicate);
    assert_int_equal(again.batch_id, ra.batch_id);
    /* Another size: hashed while read, found a duplicate after reading, nothing kept. */
    snprintf(text, sizeof text, "%s111222308;0114;02;1-2-2023;30-6-2023;01;01;10\r\n", head);
    const char *c = tmp_file("c.csv", text);
    struct import_report rc1 = import_ok(c, &o);
    assert_false(rc1.duplicate);
    assert_int_equal(batch_undo(fx.s, &admin, rb.batch_id, &(struct err_ctx){0}), 0);
    struct import_report rc2 = import_ok(c, &o);
    assert_true(rc2.duplicate);
    assert_int_equal(rc2.batch_id, rc1.batch_id);
    assert_int_equal(n_batches(), 3);
    assert_int_equal(n_facts(), 2);
    expect_writer_plain();
}

/* A database error half-way through a registration export in bulk mode (persons found in
 * memory, no foreign-key enforcement): nothing is left, and the writer is as before. */
static void test_registration_db_error(void **state)
{
    (void)state;
    struct import_limits lim = {.bulk_min_rows = 1};
    struct opts o = {.profile = save_plain_profile(), .limits = &lim};
    struct buf csv;
    buf_init(&csv, BUF_MAX_EXPORT);
    buf_append_str(&csv, "BSN;Gemeente;Hulpvorm;Start;Einde;Reden;Informant;Cijfer\r\n");
    char bsn[10];
    for (unsigned n = 20000000, rows = 0; rows < 300; n++) {
        if (!make_bsn(n, bsn))
            continue;
        rows++;
        buf_appendf(&csv, "%s;0114;02;1-2-2023;30-6-2023;01;01;8\r\n", bsn);
    }
    const char *path = tmp_file("fout.csv", buf_cstr(&csv));
    buf_release(&csv);
    struct db *db = NULL;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON fact WHEN NEW.seq = 250 "
                                 "BEGIN SELECT RAISE(ABORT, 'boom'); END"),
                     0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    struct import_report r;
    struct err_ctx e;
    assert_int_equal(run(path, &o, &r, &e), ERR_DB);
    assert_true(r.failed);
    assert_int_equal(n_facts(), 0);
    assert_int_equal(n_traj(), 0);
    assert_int_equal(q1("SELECT count(*) FROM person"), 0);
    assert_int_equal(q1("SELECT count(*) FROM measurement"), 0);
    assert_int_equal(q1("SELECT count(*) FROM data_change"), 0);
    assert_string_equal(qtext("SELECT status FROM import_batch"), "mislukt");
    assert_int_equal(q1("SELECT count(*) FROM sqlite_schema WHERE name = 'person_hkey'"), 1);
    expect_writer_plain();
    /* Without the fault it goes through, with its journal row for the indicators. */
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_exec(db, "DROP TRIGGER boom"), 0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    r = import_ok(path, &o);
    expect_counts(&r, 300, 300, 0, 0);
    assert_int_equal(q1("SELECT count(*) FROM person"), 300);
    assert_int_equal(q1("SELECT count(*) FROM measurement"), 300);
    assert_int_equal(q1("SELECT count(*) FROM data_change WHERE kind = 'import'"), 1);
    assert_int_equal(q1("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    expect_writer_plain();
}

static void test_population(void **state)
{
    (void)state;
    struct import_report r = import_ok(CBS_POP, NULL);
    assert_int_equal(r.kind, IMPORT_POPULATION);
    /* 7180 rows: 120 of postcodes without a gemeente are skipped; Haaren (split up on
     * 2021-01-01, so no gemeente of 2021) is rejected with its 20 age bands. */
    expect_counts(&r, 7180, 7040, 20, 120);
    expect_stored(&r);
    assert_int_equal(q1("SELECT count(*) FROM population"), 342 * 20);
    assert_int_equal(q1("SELECT DISTINCT year FROM population"), 2021);
    /* Beemster (565) joined Purmerend (3830) in 2022: summed under 0439. */
    assert_int_equal(q1("SELECT inhabitants FROM population WHERE gemeente = '0439' AND "
                        "age_band = '0-4'"),
                     4395);
    struct err_ctx e = {0};
    assert_int_equal(batch_undo(fx.s, &admin, r.batch_id, &e), 0);
    assert_int_equal(q1("SELECT count(*) FROM population"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_detect_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_in_zip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_error_midway, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found_and_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_population, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_of_zips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_fast_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_bulk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_db_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
