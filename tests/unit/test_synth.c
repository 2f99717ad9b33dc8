/*
 * test_synth.c: the intake generator (ingest/synth.c) and the demo's intake step
 * (ingest/demo_intake.c): same seed gives the same bytes; every generated message is read as
 * valid and accepted by the real message reader (msg_read) and a spot check passes
 * `xmllint --schema` against the shipped XSDs; BSNs pass the elfproef and stay out of (or, when
 * asked, inside) the test range; the distributions stay in their bands; a registration export
 * is read row by row through the CSV reader and the matching mapping profile; the demo's AGB
 * codes are the generator's; and a small demo intake imports through import_run.
 */
#include "ingest/synth.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/common.h"
#include "domain/auth.h"
#include "domain/cbs.h"
#include "domain/codelist.h"
#include "domain/demo.h"
#include "domain/demo_data.h"
#include "domain/org.h"
#include "domain/role.h"
#include "ingest/csv.h"
#include "ingest/demo_intake.h"
#include "ingest/message.h"
#include "ingest/profile.h"
#include "ingest/pseudonym.h"
#include "ingest/registration.h"
#include <dirent.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <cmocka.h>

#define END_Y 2026
#define END_M 11
#define END_D 1

struct region {
    struct synth_provider providers[SYNTH_MAX_PROVIDERS];
    struct synth_gemeente gemeenten[SYNTH_MAX_GEMEENTEN];
    size_t np, ng;
};

static struct msg_schemas *schemas;

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
        char p[1024];
        int n = snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (n > 0 && (size_t)n < sizeof p) {
            struct stat sb;
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                rm_tree(p);
            else
                unlink(p);
        }
    }
    closedir(d);
    rmdir(dir);
}

static void make_tmp(char dir[64])
{
    snprintf(dir, 64, "/tmp/duiding-test-synth-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static void load_region(struct region *r, bool all_messages)
{
    struct err_ctx e = {0};
    int rc = synth_demo_region(DEMO_DEFAULT_SEED, r->providers, &r->np, r->gemeenten, &r->ng, &e);
    if (rc)
        print_error("synth_demo_region: %s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(r->ng, DEMO_GEMEENTE_COUNT);
    assert_int_equal(r->np, demo_provider_count);
    if (all_messages)
        for (size_t i = 0; i < r->np; i++)
            r->providers[i].csv_style = SYNTH_CSV_NONE;
}

static struct synth_options options(const struct region *r, uint64_t seed)
{
    struct synth_options o = {
        .seed = seed,
        .end_date = day_from_ymd(END_Y, END_M, END_D),
        .providers = r->providers,
        .nproviders = r->np,
        .gemeenten = r->gemeenten,
        .ngemeenten = r->ng,
    };
    return o;
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    assert_int_equal(cbs_load(), 0);
    assert_int_equal(codelist_load(), 0);
    int rc = msg_schemas_load(&schemas, &e);
    if (rc)
        print_error("msg_schemas_load: %s\n", e.msg);
    assert_int_equal(rc, 0);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    msg_schemas_free(schemas);
    return 0;
}

/* Reads a whole file. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_true(len >= 0);
    rewind(f);
    char *p = malloc((size_t)len + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    p[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return p;
}

/* Sorted names in a folder. */
static int list_dir(const char *dir, char names[][64], int max)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < max) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len >= 64)
            continue;
        memcpy(names[n++], de->d_name, len + 1);
    }
    closedir(d);
    qsort(names, (size_t)n, 64, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* Sorted entry names of the archives berichten-0001.zip ... in dir. */
static int zip_names(const char *dir, char names[][64], int max)
{
    int n = 0;
    for (int z = 1;; z++) {
        char zp[256];
        snprintf(zp, sizeof zp, "%s/berichten-%04d.zip", dir, z);
        zip_t *za = zip_open(zp, ZIP_RDONLY, NULL);
        if (!za)
            break;
        for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0) && n < max; i++)
            snprintf(names[n++], 64, "%s", zip_get_name(za, (zip_uint64_t)i, 0));
        zip_close(za);
    }
    qsort(names, (size_t)n, 64, (int (*)(const void *, const void *))strcmp);
    return n;
}

static void test_elfproef(void **state)
{
    (void)state;
    assert_true(synth_bsn_elfproef("999900006"));
    assert_true(synth_bsn_elfproef("111222333"));
    assert_false(synth_bsn_elfproef("123456789"));
    assert_false(synth_bsn_elfproef("12345678a"));
}

/* The same seed gives byte-identical archives; another seed gives other bytes. */
static void test_deterministic(void **state)
{
    (void)state;
    struct region r;
    load_region(&r, false);
    char d1[64], d2[64], d3[64];
    make_tmp(d1);
    make_tmp(d2);
    make_tmp(d3);
    struct synth_options o = options(&r, 7);
    o.n_messages = 700;
    o.per_zip = 300;
    o.dirty_per_mille = 5;
    struct synth_stats s1, s2, s3;
    struct err_ctx e = {0};
    assert_int_equal(synth_messages(&o, d1, &s1, &e), 0);
    assert_int_equal(synth_messages(&o, d2, &s2, &e), 0);
    o.seed = 8;
    assert_int_equal(synth_messages(&o, d3, &s3, &e), 0);
    assert_int_equal(s1.messages, 700);
    assert_int_equal(s1.zips, 3);
    assert_memory_equal(&s1, &s2, sizeof s1);

    char n1[16][64], n2[16][64], n3[16][64];
    int c1 = list_dir(d1, n1, 16), c2 = list_dir(d2, n2, 16), c3 = list_dir(d3, n3, 16);
    assert_int_equal(c1, c2);
    assert_true(c1 >= 4); /* 3 zips + the registration exports of the demo providers */
    bool some_differ = false;
    for (int i = 0; i < c1; i++) {
        assert_string_equal(n1[i], n2[i]);
        char p1[256], p2[256];
        snprintf(p1, sizeof p1, "%s/%s", d1, n1[i]);
        snprintf(p2, sizeof p2, "%s/%s", d2, n2[i]);
        size_t l1, l2;
        char *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
        assert_int_equal(l1, l2);
        assert_memory_equal(b1, b2, l1);
        free(b2);
        if (i < c3) {
            char p3[256];
            snprintf(p3, sizeof p3, "%s/%s", d3, n3[i]);
            size_t l3;
            char *b3 = slurp(p3, &l3);
            some_differ |= l3 != l1 || memcmp(b1, b3, l1) != 0;
            free(b3);
        }
        free(b1);
    }
    assert_true(some_differ);
    /* Another seed never reuses an identification (sender + number): a receiver would take the
     * second run's message for a duplicate of the first's. */
    static char names1[800][64];
    int k1 = zip_names(d1, names1, 800), hits = 0;
    assert_int_equal(k1, 700);
    char zp[256];
    for (int z = 1; z <= 3; z++) {
        snprintf(zp, sizeof zp, "%s/berichten-%04d.zip", d3, z);
        zip_t *za = zip_open(zp, ZIP_RDONLY, NULL);
        assert_non_null(za);
        for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
            const char *nm = zip_get_name(za, (zip_uint64_t)i, 0);
            hits += bsearch(nm, names1, (size_t)k1, 64,
                            (int (*)(const void *, const void *))strcmp) != NULL;
        }
        zip_close(za);
    }
    assert_int_equal(hits, 0);
    rm_tree(d1);
    rm_tree(d2);
    rm_tree(d3);
}

/* Every message of a run (also the exports' providers as senders) is accepted by msg_read;
 * the header, client and product fields come out as generated. */
static void test_messages_read(void **state)
{
    (void)state;
    struct region r;
    load_region(&r, true);
    char dir[64];
    make_tmp(dir);
    struct synth_options o = options(&r, 11);
    o.n_messages = 3000;
    o.per_zip = 100000;
    struct synth_stats st;
    struct err_ctx e = {0};
    assert_int_equal(synth_messages(&o, dir, &st, &e), 0);
    assert_int_equal(st.zips, 1);
    char path[256];
    snprintf(path, sizeof path, "%s/berichten-0001.zip", dir);
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    assert_non_null(za);
    zip_int64_t n = zip_get_num_entries(za, 0);
    assert_int_equal(n, 3000);
    struct arena *a = arena_new(0);
    int kinds[4] = {0};
    day_t last = DAY_NONE;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        zip_stat_t zs;
        assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &zs), 0);
        char *data = malloc(zs.size + 1);
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
        assert_non_null(zf);
        assert_int_equal(zip_fread(zf, data, zs.size), (zip_int64_t)zs.size);
        zip_fclose(zf);
        struct msg m;
        struct arena_mark mk = arena_mark(a);
        assert_int_equal(msg_read(schemas, name, data, zs.size, a, &m), 0);
        if (m.outcome != MSG_ACCEPTED) {
            print_error("%s: outcome %d", name, (int)m.outcome);
            for (int k = 0; k < m.nissues; k++)
                print_error(" line %u %s: %s", m.issues[k].line, m.issues[k].element,
                            m.issues[k].reason);
            print_error("\n");
        }
        assert_int_equal(m.outcome, MSG_ACCEPTED);
        /* "JW301_<sender>_<ident>.xml" names what is inside. */
        char expect[64];
        snprintf(expect, sizeof expect, "%s_%s_%s.xml", m.name, m.sender, m.ident);
        assert_string_equal(name, expect);
        assert_int_equal(m.nproducts, 1);
        assert_true(synth_bsn_elfproef(m.client.bsn));
        assert_true(strcmp(m.client.bsn, "999900006") < 0); /* outside the test range */
        if (m.kind == MSG_KIND_301) /* only the assignment carries the address */
            assert_int_equal(strlen(m.client.postcode4), 4);
        assert_true(m.client.birth_date != DAY_NONE);
        assert_true(m.dagtekening <= o.end_date);
        assert_true(last == DAY_NONE || m.dagtekening >= last); /* chronological */
        last = m.dagtekening;
        int k = m.kind == MSG_KIND_315   ? 0
                : m.kind == MSG_KIND_301 ? 1
                : m.kind == MSG_KIND_305 ? 2
                                         : 3;
        kinds[k]++;
        if (m.kind == MSG_KIND_307)
            assert_true(m.products[0].end >= m.products[0].start);
        if (m.kind == MSG_KIND_315)
            assert_true(m.products[0].referrer[0] != '\0');
        arena_reset_to(a, mk);
        free(data);
    }
    for (int k = 0; k < 4; k++)
        assert_true(kinds[k] > 50);
    assert_int_equal(kinds[0], (int)st.by_kind[0]);
    assert_int_equal(kinds[3], (int)st.by_kind[3]);
    zip_close(za);
    arena_free(a);
    rm_tree(dir);
}

/* A spot check with the reference validator: one file of each kind and law. */
static void test_xmllint(void **state)
{
    (void)state;
    if (system("xmllint --version >/dev/null 2>&1") != 0) {
        print_message("xmllint not installed: skipped\n");
        skip();
    }
    struct region r;
    load_region(&r, true);
    char dir[64];
    make_tmp(dir);
    struct synth_options o = options(&r, 3);
    o.n_messages = 600;
    o.per_zip = 0; /* plain files */
    struct synth_stats st;
    struct err_ctx e = {0};
    assert_int_equal(synth_messages(&o, dir, &st, &e), 0);
    static const char *const kinds[] = {"JW301",  "JW305",  "JW307",  "JW315",
                                        "WMO301", "WMO305", "WMO307", "WMO315"};
    static char names[4096][64];
    int n = list_dir(dir, names, 4096);
    assert_int_equal(n, 600);
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
        int found = 0;
        for (int i = 0; i < n && found < 3; i++) {
            size_t kl = strlen(kinds[k]);
            if (strncmp(names[i], kinds[k], kl) != 0 || names[i][kl] != '_')
                continue;
            char cmd[1024];
            snprintf(cmd, sizeof cmd,
                     "xmllint --noout --nonet --schema %s/data/xsd/%s/%s.xsd %s/%s 2>/dev/null",
                     TEST_SOURCE_DIR, kinds[k][0] == 'J' ? "ijw-3.2" : "iwmo-3.2", kinds[k], dir,
                     names[i]);
            if (system(cmd) != 0)
                fail_msg("xmllint rejects %s", names[i]);
            found++;
        }
        if (!found)
            fail_msg("no %s message generated", kinds[k]);
    }
    /* A defect the validator must see: the check is not vacuous. */
    char bad[256];
    snprintf(bad, sizeof bad, "%s/bad.xml", dir);
    for (int i = 0; i < n; i++) {
        if (strncmp(names[i], "JW307_", 6) != 0)
            continue;
        char src[256], cmd[1024];
        snprintf(src, sizeof src, "%s/%s", dir, names[i]);
        snprintf(cmd, sizeof cmd,
                 "sed 's/RedenBeeindiging>[0-9]*</RedenBeeindiging>30</' %s > %s && "
                 "xmllint --noout --nonet --schema %s/data/xsd/ijw-3.2/JW307.xsd %s 2>/dev/null",
                 src, bad, TEST_SOURCE_DIR, bad);
        assert_int_not_equal(system(cmd), 0);
        break;
    }
    rm_tree(dir);
}

/* Uitval, volgens plan, Wmo verhuizing, repeat use and open trajectories within their bands. */
static void test_distributions(void **state)
{
    (void)state;
    struct region r;
    load_region(&r, true);
    char dir[64];
    make_tmp(dir);
    struct synth_options o = options(&r, 2026);
    o.n_trajectories = 6000;
    o.per_zip = 1000000;
    struct synth_stats st;
    struct err_ctx e = {0};
    assert_int_equal(synth_messages(&o, dir, &st, &e), 0);
    uint64_t jw = 0, wmo = 0;
    for (int i = 0; i < 40; i++) {
        jw += st.end_reasons[0][i];
        wmo += st.end_reasons[1][i];
    }
    assert_true(jw > 1000 && wmo > 800);
    double uitval = (double)st.end_reasons[0][32] / (double)jw;
    double plan_jw = (double)st.end_reasons[0][31] / (double)jw;
    double plan_wmo = (double)st.end_reasons[1][19] / (double)wmo;
    double moved = (double)st.end_reasons[1][31] / (double)wmo;
    double returning = (double)st.followed_returned / (double)st.followed_persons;
    double open = (double)st.open_trajectories / (double)st.trajectories;
    print_message("uitval %.3f plan-jw %.3f plan-wmo %.3f moved %.3f returning %.3f open %.3f\n",
                  uitval, plan_jw, plan_wmo, moved, returning, open);
    assert_true(uitval >= 0.05 && uitval <= 0.15);
    assert_true(plan_jw >= 0.55 && plan_jw <= 0.78);
    assert_true(plan_wmo >= 0.50 && plan_wmo <= 0.78);
    assert_true(moved >= 0.02 && moved <= 0.08);
    assert_int_equal(st.end_reasons[0][19], 0); /* 19 is not a JZ588 code */
    assert_int_equal(st.end_reasons[1][32], 0); /* 32 is not a WMO588 code */
    assert_true(st.followed_persons > 500);
    assert_true(returning >= 0.12 && returning <= 0.24); /* 15-20% come back within 3 years */
    assert_true(open >= 0.10 && open <= 0.50);
    assert_true(st.corrections > 0 && st.deletions > 0 && st.temporary_stops > 0);
    assert_true(st.unknown_assignments > 0 && st.withdrawn > 0);
    rm_tree(dir);
}

static void test_test_bsns(void **state)
{
    (void)state;
    struct region r;
    load_region(&r, true);
    char dir[64];
    make_tmp(dir);
    struct synth_options o = options(&r, 5);
    o.n_messages = 200;
    o.per_zip = 0;
    o.test_bsns = true;
    o.laws = SYNTH_LAW_WMO;
    struct synth_stats st;
    struct err_ctx e = {0};
    assert_int_equal(synth_messages(&o, dir, &st, &e), 0);
    static char names[512][64];
    int n = list_dir(dir, names, 512);
    assert_int_equal(n, 200);
    struct arena *a = arena_new(0);
    for (int i = 0; i < n; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        size_t len;
        char *data = slurp(p, &len);
        struct msg m;
        assert_int_equal(msg_read(schemas, names[i], data, len, a, &m), 0);
        assert_int_equal(m.outcome, MSG_ACCEPTED);
        assert_int_equal(m.law, LAW_WMO);
        assert_true(synth_bsn_elfproef(m.client.bsn));
        assert_true(strcmp(m.client.bsn, "999900006") >= 0 &&
                    strcmp(m.client.bsn, "999999990") <= 0);
        free(data);
    }
    arena_free(a);
    rm_tree(dir);
}

/* ---- Registration exports through the real CSV reader and the matching profile. ---------- */

struct csv_check {
    const struct mapping_profile *p;
    struct pseudonymiser *ps;
    struct reg_binding b;
    bool bound;
    uint64_t rows, accepted, rejected, measured;
    char agb[9];
    struct buf reasons;
};

static int on_row(void *ctx, const struct table_row *row)
{
    struct csv_check *c = ctx;
    if ((int)row->record < c->p->header_row)
        return 0; /* title rows */
    if ((int)row->record == c->p->header_row) {
        struct err_ctx e = {0};
        int rc = registration_bind(c->p, row, &c->b, &e);
        if (rc)
            print_error("registration_bind: %s\n", e.msg);
        assert_int_equal(rc, 0);
        c->bound = true;
        return 0;
    }
    assert_true(c->bound);
    struct reg_result res;
    buf_reset(&c->reasons);
    enum reg_outcome oc = registration_convert(&c->b, c->ps, c->agb, row, &res, &c->reasons);
    c->rows++;
    if (oc == REG_ACCEPTED) {
        c->accepted++;
        c->measured += res.fact.informant[0] != '\0';
    } else if (oc == REG_REJECTED) {
        if (c->rejected < 3)
            print_message("row %" PRIu64 " rejected: %s\n", row->record, buf_cstr(&c->reasons));
        c->rejected++;
    }
    return 0;
}

static void check_export(enum synth_csv_style style, unsigned dirty)
{
    struct region r;
    load_region(&r, false);
    char dir[64], path[128];
    make_tmp(dir);
    snprintf(path, sizeof path, "%s/export.csv", dir);
    struct synth_options o = options(&r, 99);
    o.dirty_per_mille = dirty;
    size_t prov = 0; /* Jeugdhulp Veenstroom: a Jeugdwet provider */
    struct synth_stats st;
    struct err_ctx e = {0};
    assert_int_equal(synth_registration_csv(&o, prov, style, 1500, path, &st, &e), 0);
    assert_int_equal(st.csv_rows, 1500);

    size_t len;
    char *bytes = slurp(path, &len);
    enum text_encoding enc = text_detect_encoding(bytes, len);
    assert_int_equal(enc, style == SYNTH_CSV_EXCEL ? TEXT_CP1252 : TEXT_UTF8);
    free(bytes);

    struct mapping_profile p;
    synth_registration_profile(style, 1, "test", &p);
    int rc = profile_validate(&p, &e);
    if (rc)
        print_error("profile_validate: %s (%s)\n", e.msg, e.field ? e.field : "");
    assert_int_equal(rc, 0);

    unsigned char key[KEY_FILE_BYTES] = {1, 2, 3};
    struct csv_check c = {.p = &p};
    memcpy(c.agb, r.providers[prov].agb, sizeof c.agb);
    buf_init(&c.reasons, BUF_MAX_SMALL);
    assert_int_equal(pseudonymiser_from_key(key, &c.ps), 0);
    struct csv_options co = {.delimiter = 0};
    rc = csv_read_file(path, &co, on_row, &c, NULL, &e);
    if (rc)
        print_error("csv_read_file: %s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(c.rows, 1500);
    if (dirty) {
        assert_true(c.rejected > 0 && c.rejected < 1500 * 3 * dirty / 1000 + 10);
    } else {
        assert_int_equal(c.rejected, 0);
        assert_int_equal(c.accepted, 1500);
    }
    assert_true(c.measured > 300); /* outcome measurements are there */
    pseudonymiser_free(c.ps);
    buf_release(&c.reasons);
    rm_tree(dir);
}

static void test_export_plain(void **state)
{
    (void)state;
    check_export(SYNTH_CSV_PLAIN, 0);
}

static void test_export_excel(void **state)
{
    (void)state;
    check_export(SYNTH_CSV_EXCEL, 0);
}

static void test_export_dirty(void **state)
{
    (void)state;
    check_export(SYNTH_CSV_EXCEL, 20);
}

static void test_bad_options(void **state)
{
    (void)state;
    struct region r;
    load_region(&r, true);
    struct synth_options o = options(&r, 1);
    struct synth_stats st;
    struct err_ctx e = {0};
    assert_int_equal(synth_messages(&o, "/tmp", &st, &e), ERR_INVALID); /* nothing asked */
    o.n_messages = 10;
    o.nproviders = 0;
    assert_int_equal(synth_messages(&o, "/tmp", &st, &e), ERR_INVALID);
    o.nproviders = r.np;
    struct synth_gemeente bad = {"12a4", "Nergens", 100};
    o.gemeenten = &bad;
    o.ngemeenten = 1;
    assert_int_equal(synth_messages(&o, "/tmp", &st, &e), ERR_INVALID);
    o = options(&r, 1);
    /* a Wmo-only provider has no Jeugdwet export */
    size_t wmo = SIZE_MAX;
    for (size_t i = 0; i < r.np && wmo == SIZE_MAX; i++)
        if (r.providers[i].laws == SYNTH_LAW_WMO)
            wmo = i;
    assert_true(wmo != SIZE_MAX);
    assert_int_equal(synth_registration_csv(&o, wmo, SYNTH_CSV_PLAIN, 10, "/tmp/x.csv", &st, &e),
                     ERR_INVALID);
}

/* ---- The demo: same AGB codes as demo_generate, and a small intake through import_run. --- */

struct demo_db {
    char dir[64];
    struct store *s;
};

static void test_demo_intake(void **state)
{
    (void)state;
    struct demo_db d;
    struct err_ctx e = {0};
    char path[128];
    make_tmp(d.dir);
    snprintf(path, sizeof path, "%s/demo.db", d.dir);
    assert_int_equal(store_open(path, &d.s, &e), 0);
    assert_int_equal(demo_generate(d.s, DEMO_DEFAULT_SEED, NULL, &e), 0);

    /* The generator's region is the demo's: every provider's AGB code is in the store. */
    struct region r;
    load_region(&r, false);
    struct actor who;
    memset(&who, 0, sizeof who);
    who.user_id = -1;
    who.roles = ROLE_ALL;
    who.org_kind = ORG_REGION;
    who.display_name = "test";
    struct arena *a = arena_new(0);
    struct org_filter f = {.kind = ORG_AANBIEDER, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int n = 0, total = 0;
    assert_int_equal(org_list(a, d.s, &who, &f, &orgs, &n, &total), 0);
    assert_int_equal((size_t)n, r.np);
    for (size_t i = 0; i < r.np; i++) {
        bool found = false;
        for (int j = 0; j < n && !found; j++)
            found = orgs[j].agb_code && strcmp(orgs[j].agb_code, r.providers[i].agb) == 0 &&
                    strcmp(orgs[j].name, r.providers[i].name) == 0;
        if (!found)
            fail_msg("provider %s (%s) not in the demo", r.providers[i].name, r.providers[i].agb);
    }

    unsigned char key[KEY_FILE_BYTES] = {9};
    struct pseudonymiser *ps = NULL;
    assert_int_equal(pseudonymiser_from_key(key, &ps), 0);
    struct import_env env = {.store = d.s, .schemas = schemas, .pseudonymiser = ps};
    struct demo_intake_summary sum;
    int rc = demo_intake(&env, &who, DEMO_DEFAULT_SEED, DEMO_SIZE_SMALL, d.dir, &sum, NULL, &e);
    if (rc)
        print_error("demo_intake: %s\n", e.msg);
    assert_int_equal(rc, 0);
    print_message("demo klein: %" PRIu64 " batches, %" PRIu64 " read, %" PRIu64
                  " accepted, %" PRIu64 " rejected, %" PRIu64 " trajectories, %.1f s\n",
                  sum.batches, sum.read, sum.accepted, sum.rejected, sum.trajectories, sum.seconds);
    assert_int_equal(sum.failed_batches, 0);
    /* One zip, the exports of the registration providers and the CBS population file. */
    assert_true(sum.batches >= 3);
    assert_int_equal(sum.profiles, sum.batches - 2);
    assert_true(sum.population_rows > 7000); /* every gemeente x age band of 2021 */
    assert_int_equal(sum.read, sum.messages + sum.rows + sum.population_rows);
    assert_int_equal(sum.read, sum.accepted + sum.rejected + sum.skipped);
    assert_true(sum.accepted > sum.read * 95 / 100);
    assert_true(sum.trajectories >= 200);
    /* The temporary folder is gone: only the database files remain. */
    DIR *dd = opendir(d.dir);
    struct dirent *de;
    while ((de = readdir(dd)))
        assert_null(strstr(de->d_name, "demo-intake-"));
    closedir(dd);
    pseudonymiser_free(ps);
    arena_free(a);
    store_close(d.s);
    rm_tree(d.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elfproef),      cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_messages_read), cmocka_unit_test(test_xmllint),
        cmocka_unit_test(test_distributions), cmocka_unit_test(test_test_bsns),
        cmocka_unit_test(test_export_plain),  cmocka_unit_test(test_export_excel),
        cmocka_unit_test(test_export_dirty),  cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_demo_intake),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
