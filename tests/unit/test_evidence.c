/*
 * test_evidence.c: evidence files (domain/evidence.c, evidence_check.c, store/evidence_store.c).
 * The checks on real files (a PDF written by Ghostscript, a DOCX by Python's zipfile, an ODT
 * by OpenOffice, an XLSX, a PNG and a JPEG, in tests/data/evidence/) and on hostile ones built
 * here: polyglots, zip bombs (tiny compressed, huge declared size; high ratio), overlapping
 * entries, hostile entry names, duplicates, encryption, wrong extensions, every truncation of
 * a real DOCX; file names (NUL, traversal, 10,000 characters, bidi overrides); then the
 * lifecycle through the store: per-file and per-review limits, content addressing, policy,
 * removal rules, the scan hook with fake scanner scripts (exit 0/1/2), audit.
 */
#include "domain/evidence.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/utf8.h"
#include "domain/auth.h"
#include "domain/framework.h"
#include "domain/review.h"
#include "store/evidence_store.h"
#include <ftw.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#define DATA TEST_SOURCE_DIR "/tests/data/evidence/"

/* --- helpers --- */

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_true(len > 0);
    rewind(f);
    unsigned char *p = malloc((size_t)len);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

static unsigned char *concat(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    unsigned char *p = malloc(na + nb);
    assert_non_null(p);
    memcpy(p, a, na);
    memcpy(p + na, b, nb);
    return p;
}

/* A zip writer for hostile archives: each entry's declared sizes, method, flags and local
 * offset can lie. */
struct zentry {
    const char *name;
    const char *data; /* bytes stored as the "compressed" data */
    size_t len;
    uint16_t method;
    uint16_t flags;
    uint32_t usize; /* declared uncompressed size (0 = len) */
    int local_of;   /* -1 = own local header; else reuse entry k's (overlap) */
};

struct zbuf {
    unsigned char *p;
    size_t n, cap;
};

static void zput(struct zbuf *z, const void *d, size_t n)
{
    if (z->n + n > z->cap) {
        z->cap = (z->n + n) * 2 + 64;
        z->p = realloc(z->p, z->cap);
        assert_non_null(z->p);
    }
    memcpy(z->p + z->n, d, n);
    z->n += n;
}

static void z16(struct zbuf *z, uint32_t v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    zput(z, b, 2);
}

static void z32(struct zbuf *z, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    zput(z, b, 4);
}

static unsigned char *make_zip(const struct zentry *es, int n, const char *comment, size_t *len)
{
    struct zbuf z = {0};
    uint32_t offs[4096];
    assert_true(n <= 4096);
    for (int i = 0; i < n; i++) {
        const struct zentry *x = &es[i];
        offs[i] = (uint32_t)z.n;
        if (x->local_of >= 0) {
            offs[i] = offs[x->local_of];
            continue;
        }
        uint32_t us = x->usize ? x->usize : (uint32_t)x->len;
        z32(&z, 0x04034b50u), z16(&z, 20), z16(&z, x->flags), z16(&z, x->method), z16(&z, 0),
            z16(&z, 0x21), z32(&z, 0), z32(&z, (uint32_t)x->len), z32(&z, us),
            z16(&z, (uint32_t)strlen(x->name)), z16(&z, 0);
        zput(&z, x->name, strlen(x->name));
        zput(&z, x->data, x->len);
    }
    uint32_t cd = (uint32_t)z.n;
    for (int i = 0; i < n; i++) {
        const struct zentry *x = &es[i];
        uint32_t us = x->usize ? x->usize : (uint32_t)x->len;
        z32(&z, 0x02014b50u), z16(&z, 20), z16(&z, 20), z16(&z, x->flags), z16(&z, x->method),
            z16(&z, 0), z16(&z, 0x21), z32(&z, 0), z32(&z, (uint32_t)x->len), z32(&z, us),
            z16(&z, (uint32_t)strlen(x->name)), z16(&z, 0), z16(&z, 0), z16(&z, 0), z16(&z, 0),
            z32(&z, 0), z32(&z, offs[i]);
        zput(&z, x->name, strlen(x->name));
    }
    uint32_t cdsize = (uint32_t)z.n - cd;
    size_t cl = comment ? strlen(comment) : 0;
    z32(&z, 0x06054b50u), z16(&z, 0), z16(&z, 0), z16(&z, (uint32_t)n), z16(&z, (uint32_t)n),
        z32(&z, cdsize), z32(&z, cd), z16(&z, (uint32_t)cl);
    if (cl)
        zput(&z, comment, cl);
    *len = z.n;
    return z.p;
}

#define CT  "<Types/>"
#define DOC "<w:document/>"

/* A minimal DOCX, with one extra entry. */
static unsigned char *docx_with(struct zentry extra, size_t *len)
{
    struct zentry es[3] = {
        {"[Content_Types].xml", CT, strlen(CT), 0, 0, 0, -1},
        {"word/document.xml", DOC, strlen(DOC), 0, 0, 0, -1},
        extra,
    };
    return make_zip(es, extra.name ? 3 : 2, NULL, len);
}

static int sniff(const unsigned char *p, size_t n, enum evidence_type *t, struct err_ctx *e)
{
    memset(e, 0, sizeof *e);
    return evidence_sniff(p, n, t, e);
}

static void assert_refused(const unsigned char *p, size_t n, const char *words)
{
    enum evidence_type t = EVIDENCE_PDF;
    struct err_ctx e;
    int ret = sniff(p, n, &t, &e);
    if (ret == 0 || !strstr(e.msg, words))
        fail_msg("expected a refusal with \"%s\", got %d \"%s\" (type %d)", words, ret, e.msg,
                 (int)t);
    assert_int_equal(t, EVIDENCE_NONE);
}

/* --- the checks on real files --- */

static void test_real_files(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        enum evidence_type type;
    } cases[] = {
        {"real.pdf", EVIDENCE_PDF}, {"real.docx", EVIDENCE_DOCX}, {"real.xlsx", EVIDENCE_XLSX},
        {"real.odt", EVIDENCE_ODT}, {"real.png", EVIDENCE_PNG},   {"real.jpg", EVIDENCE_JPEG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, DATA "%s", cases[i].file);
        size_t n;
        unsigned char *p = slurp(path, &n);
        enum evidence_type t;
        struct err_ctx e;
        int ret = sniff(p, n, &t, &e);
        if (ret != 0)
            fail_msg("%s refused: %s", cases[i].file, e.msg);
        assert_int_equal(t, cases[i].type);
        assert_true(evidence_name_matches(cases[i].file, t));
        assert_int_equal(evidence_type_from_code(evidence_type_code(t)), t);
        free(p);
    }
    assert_true(evidence_name_matches("FOTO.JPEG", EVIDENCE_JPEG));
    assert_false(evidence_name_matches("rapport.pdf", EVIDENCE_DOCX)); /* a .pdf that is a zip */
    assert_false(evidence_name_matches("pdf", EVIDENCE_PDF));
    assert_false(evidence_name_matches(".pdf", EVIDENCE_PDF));
    assert_string_equal(evidence_type_media(EVIDENCE_PNG), "image/png");
    assert_int_equal(evidence_scan_from_code("onzin"), SCAN_FOUT); /* never clean by accident */
}

static void test_empty_and_unknown(void **state)
{
    (void)state;
    assert_refused((const unsigned char *)"", 0, "leeg");
    assert_refused((const unsigned char *)"MZ\x90\x00 executable", 15, "niet aangenomen");
    assert_refused((const unsigned char *)"<html><script>alert(1)</script>", 31, "niet aangenomen");
    assert_refused((const unsigned char *)"GIF89a\x01\x00", 8, "niet aangenomen");
    assert_refused((const unsigned char *)"%PDF-1.7\n1 0 obj\n", 17, "onvolledig");
    assert_refused((const unsigned char *)"%PDF-9.9\n%%EOF\n.........", 24, "kop");
}

static void test_polyglots(void **state)
{
    (void)state;
    size_t np, nd, nj, ng;
    unsigned char *pdf = slurp(DATA "real.pdf", &np);
    unsigned char *docx = slurp(DATA "real.docx", &nd);
    unsigned char *jpg = slurp(DATA "real.jpg", &nj);
    unsigned char *png = slurp(DATA "real.png", &ng);

    /* A PDF with a zip (its directory) at the end: PDF readers and unzip both open it. */
    unsigned char *p = concat(pdf, np, docx, nd);
    assert_refused(p, np + nd, "polyglot");
    free(p);
    /* A zip directory after a PNG's IEND or a JPEG's EOI. */
    p = concat(png, ng, docx, nd);
    assert_refused(p, ng + nd, "polyglot");
    free(p);
    p = concat(jpg, nj, docx, nd);
    assert_refused(p, nj + nd, "polyglot");
    free(p);
    /* Bytes before a zip (an "executable with a zip attached" or a PDF in front). */
    p = concat((const unsigned char *)"#!/bin/sh\nexit 0\n", 17, docx, nd);
    assert_refused(p, 17 + nd, "polyglot");
    free(p);
    /* A zip whose first KiB holds a PDF header: PDF readers look there. */
    struct zentry x = {"word/media/x.bin", "%PDF-1.4\n%%EOF\n", 15, 0, 0, 0, -1};
    size_t n;
    p = docx_with(x, &n);
    assert_refused(p, n, "PDF");
    free(p);
    /* Trailing bytes after a PNG or JPEG, and a PDF header at 100 in an image. */
    p = concat(png, ng, (const unsigned char *)"junk", 4);
    assert_refused(p, ng + 4, "PNG");
    free(p);
    p = concat(jpg, nj, (const unsigned char *)"junk", 4);
    assert_refused(p, nj + 4, "JPEG");
    free(p);
    unsigned char *img = malloc(ng);
    memcpy(img, png, ng);
    memcpy(img + 100, "%PDF-", 5);
    assert_refused(img, ng, "PDF");
    free(img);
    /* Trailing data after a zip's end record. */
    p = concat(docx, nd, (const unsigned char *)"\n", 1);
    assert_refused(p, nd + 1, "zip");
    free(p);
    free(pdf), free(docx), free(jpg), free(png);
}

static void test_zip_bombs(void **state)
{
    (void)state;
    static char junk[4096];
    memset(junk, 'x', sizeof junk);
    size_t n;
    /* Tiny compressed, huge declared size (4 GB - 1 is the largest non-zip64 value). */
    struct zentry bomb = {"word/media/bomb.bin", junk, 1000, 8, 0, 0xFFFFFFFEu, -1};
    unsigned char *p = docx_with(bomb, &n);
    assert_refused(p, n, "zip-bom");
    enum evidence_type t;
    struct err_ctx e = {0};
    assert_int_equal(evidence_zip_check(p, n, &t, &e), ERR_TOO_BIG);
    free(p);
    /* Ratio: 4 KiB claiming 50 MiB (ratio > 100) although under the total. */
    struct zentry ratio = {"word/media/r.bin", junk, 4096, 8, 0, 50u * 1024 * 1024, -1};
    p = docx_with(ratio, &n);
    assert_refused(p, n, "zip-bom");
    free(p);
    static char big[32768];
    /* Many entries that each look fine but add up to more than 100 MiB. */
    struct zentry many[40];
    char names[40][32];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "word/m%d.bin", i);
        many[i] = (struct zentry){names[i], big, 32768, 8, 0, 3u * 1024 * 1024, -1};
    }
    many[0] = (struct zentry){"[Content_Types].xml", CT, strlen(CT), 0, 0, 0, -1};
    many[1] = (struct zentry){"word/document.xml", DOC, strlen(DOC), 0, 0, 0, -1};
    p = make_zip(many, 40, NULL, &n);
    assert_refused(p, n, "100 MiB");
    free(p);
    /* Just within: 38 * 2.5 MiB at ratio 80 is accepted. */
    for (int i = 2; i < 40; i++)
        many[i] = (struct zentry){names[i], big, 32768, 8, 0, 32768u * 80, -1};
    p = make_zip(many, 40, NULL, &n);
    assert_int_equal(sniff(p, n, &t, &e), 0);
    assert_int_equal(t, EVIDENCE_DOCX);
    free(p);
    /* Overlapping entries (the "non-recursive" bomb): two names, one local header. */
    struct zentry ov[3] = {
        {"[Content_Types].xml", CT, strlen(CT), 0, 0, 0, -1},
        {"word/document.xml", DOC, strlen(DOC), 0, 0, 0, -1},
        {"word/again.xml", DOC, strlen(DOC), 0, 0, 0, 1},
    };
    p = make_zip(ov, 3, NULL, &n);
    assert_refused(p, n, "overlap");
    free(p);
    /* Too many entries. */
    static struct zentry lots[EVIDENCE_ZIP_MAX_ENTRIES + 1];
    static char lnames[EVIDENCE_ZIP_MAX_ENTRIES + 1][16];
    for (int i = 0; i <= EVIDENCE_ZIP_MAX_ENTRIES; i++) {
        snprintf(lnames[i], sizeof lnames[i], "e%d", i);
        lots[i] = (struct zentry){lnames[i], "a", 1, 0, 0, 0, -1};
    }
    p = make_zip(lots, EVIDENCE_ZIP_MAX_ENTRIES + 1, NULL, &n);
    assert_refused(p, n, "te veel");
    free(p);
}

static void test_zip_structure(void **state)
{
    (void)state;
    size_t n;
    static const char *const bad_names[] = {
        "../../etc/passwd",
        "/etc/passwd",
        "word\\..\\x",
        "C:/x",
        "word//x",
        "word/./x",
        "word/../../x",
        "a\x01"
        "b",
        "..",
    };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        struct zentry x = {bad_names[i], "a", 1, 0, 0, 0, -1};
        unsigned char *p = docx_with(x, &n);
        assert_refused(p, n, "onveilige naam");
        free(p);
    }
    struct zentry dup = {"word/document.xml", DOC, strlen(DOC), 0, 0, 0, -1};
    unsigned char *p = docx_with(dup, &n);
    assert_refused(p, n, "dezelfde naam");
    free(p);
    struct zentry enc = {"word/x.xml", "a", 1, 0, 1, 0, -1};
    p = docx_with(enc, &n);
    assert_refused(p, n, "versleuteld");
    free(p);
    struct zentry lzma = {"word/x.xml", "a", 1, 14, 0, 0, -1};
    p = docx_with(lzma, &n);
    assert_refused(p, n, "compressiemethode");
    free(p);
    struct zentry none = {NULL, NULL, 0, 0, 0, 0, -1};
    struct zentry es[2] = {{"[Content_Types].xml", CT, strlen(CT), 0, 0, 0, -1},
                           {"word/document.xml", DOC, strlen(DOC), 0, 0, 0, -1}};
    p = make_zip(es, 2, "commentaar", &n);
    assert_refused(p, n, "commentaar");
    free(p);
    /* A plain zip, and an OpenDocument spreadsheet (mimetype says so), are not accepted. */
    struct zentry plain[1] = {{"notes.txt", "hallo", 5, 0, 0, 0, -1}};
    p = make_zip(plain, 1, NULL, &n);
    assert_refused(p, n, "geen Word");
    free(p);
    static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
    struct zentry odf[2] = {{"mimetype", ods, strlen(ods), 0, 0, 0, -1},
                            {"content.xml", "<x/>", 4, 0, 0, 0, -1}};
    p = make_zip(odf, 2, NULL, &n);
    assert_refused(p, n, "odt");
    free(p);
    /* DOCX and XLSX at once. */
    struct zentry both = {"xl/workbook.xml", "<w/>", 4, 0, 0, 0, -1};
    p = docx_with(both, &n);
    assert_refused(p, n, "meer dan");
    free(p);
    /* The minimal valid DOCX of this writer is accepted (so the refusals above are about
     * what was changed). */
    p = docx_with(none, &n);
    enum evidence_type t;
    struct err_ctx e;
    assert_int_equal(sniff(p, n, &t, &e), 0);
    assert_int_equal(t, EVIDENCE_DOCX);
    free(p);
}

/* Every prefix of a real DOCX, ODT and PNG is refused (never crashes, never accepted). */
static void test_truncations(void **state)
{
    (void)state;
    static const char *const files[] = {DATA "real.docx", DATA "real.png", DATA "real.odt"};
    for (size_t f = 0; f < 3; f++) {
        size_t n;
        unsigned char *p = slurp(files[f], &n);
        for (size_t k = 0; k < n; k++) {
            unsigned char *q = malloc(k ? k : 1);
            memcpy(q, p, k);
            enum evidence_type t;
            struct err_ctx e;
            if (sniff(q, k, &t, &e) == 0)
                fail_msg("%s cut at %zu accepted as %d", files[f], k, (int)t);
            free(q);
        }
        /* Every single-byte change in the zip's directory area is either refused or still
         * gives a zip type (no crash, no other type). */
        for (size_t k = n > 300 ? n - 300 : 0; k < n; k++) {
            unsigned char *q = malloc(n);
            memcpy(q, p, n);
            q[k] ^= 0x5a;
            enum evidence_type t;
            struct err_ctx e;
            if (sniff(q, n, &t, &e) == 0 && f != 1)
                assert_true(t == EVIDENCE_DOCX || t == EVIDENCE_ODT);
            free(q);
        }
        free(p);
    }
}

/* --- file names --- */

static const char *clean(struct arena *a, const char *s, size_t n, int *ret)
{
    const char *out = NULL;
    struct err_ctx e = {0};
    *ret = evidence_clean_name(a, s, n, &out, &e);
    return out;
}

static void test_names(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    int ret;
    assert_string_equal(clean(a, "rapport.pdf", 11, &ret), "rapport.pdf");
    assert_string_equal(clean(a, "../../etc/passwd", 16, &ret), "passwd");
    assert_false(evidence_name_matches("passwd", EVIDENCE_PDF));
    assert_string_equal(clean(a, "C:\\Users\\x\\Verslag 2026.docx", 28, &ret), "Verslag 2026.docx");
    assert_string_equal(clean(a, "  ..verborgen.pdf. ", 19, &ret), "verborgen.pdf");
    assert_string_equal(clean(a, "a\tb\r\nc\x7f.pdf", strlen("a\tb\r\nc\x7f.pdf"), &ret),
                        "abc.pdf");
    /* Right-to-left override: "rapport<RLO>fdp.exe" would show as "rapportexe.pdf". */
    const char *rlo = "rapport\xe2\x80\xae"
                      "fdp.exe";
    assert_string_equal(clean(a, rlo, strlen(rlo), &ret), "rapportfdp.exe");
    assert_false(evidence_name_matches("rapportfdp.exe", EVIDENCE_PDF));
    assert_string_equal(clean(a, "Zorgplan \xc3\xa9\xc3\xa9n.pdf", 18, &ret),
                        "Zorgplan \xc3\xa9\xc3\xa9n.pdf");
    /* Refusals: NUL inside, invalid UTF-8, nothing usable. */
    assert_null(clean(a, "rapport.pdf\0.exe", 16, &ret));
    assert_int_equal(ret, ERR_INVALID);
    assert_null(clean(a, "rap\xff.pdf", 8, &ret));
    assert_int_equal(ret, ERR_INVALID);
    assert_null(clean(a, "", 0, &ret));
    assert_null(clean(a, "...", 3, &ret));
    assert_null(clean(a, "dir/", 4, &ret));
    assert_null(clean(a, "\xe2\x80\xae", 3, &ret));
    /* 10,000 characters: shortened to EVIDENCE_NAME_MAX code points, extension kept. */
    char *longname = malloc(10001 * 2 + 8);
    size_t k = 0;
    for (int i = 0; i < 10000; i++) {
        longname[k++] = (char)0xc3; /* é: two bytes, one code point */
        longname[k++] = (char)0xa9;
    }
    memcpy(longname + k, ".pdf", 4);
    k += 4;
    const char *c = clean(a, longname, k, &ret);
    assert_int_equal(ret, 0);
    assert_int_equal(utf8_count(c, strlen(c)), EVIDENCE_NAME_MAX);
    assert_true(utf8_valid(c, strlen(c), NULL));
    assert_true(evidence_name_matches(c, EVIDENCE_PDF));
    free(longname);
    arena_free(a);
}

/* --- lifecycle through the store --- */

#define PW "correct-horse-battery"

struct fixture {
    char dir[64], path[128], data[128];
    struct store *s;
    struct arena *a;
    int64_t region, other_region, emmen, p, q, fw, crit[2], review;
    struct actor contract_r, beleid_r, kwaliteit_p, kwaliteit_q, raad_e, contract_far;
};
static struct fixture fx;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static day_t today(void)
{
    return (day_t)(time(NULL) / 86400);
}

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    ts_store_open("evidence", fx.dir, fx.path, &fx.s);
    snprintf(fx.data, sizeof fx.data, "%s/data", fx.dir);
    assert_int_equal(mkdir(fx.data, 0700), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Jeugdregio Zuid-Drenthe", NULL, NULL, 0);
    fx.other_region = ts_make_org(fx.s, ORG_REGION, "Regio Amstelland", NULL, NULL, 0);
    fx.emmen = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region);
    int64_t far = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0363", NULL, fx.other_region);
    fx.p = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg Noord BV", NULL, "12345678", 0);
    fx.q = ts_make_org(fx.s, ORG_AANBIEDER, "Jeugdhulp Zuid", NULL, "87654321", 0);
    fx.contract_r = ts_make_actor(fx.s, fx.a, "contract.r", fx.region, ROLE_CONTRACT, PW);
    fx.beleid_r = ts_make_actor(fx.s, fx.a, "beleid.r", fx.region, ROLE_BELEID, PW);
    fx.kwaliteit_p = ts_make_actor(fx.s, fx.a, "kwaliteit.p", fx.p, ROLE_KWALITEIT, PW);
    fx.kwaliteit_q = ts_make_actor(fx.s, fx.a, "kwaliteit.q", fx.q, ROLE_KWALITEIT, PW);
    fx.raad_e = ts_make_actor(fx.s, fx.a, "raad.e", fx.emmen, ROLE_RAAD, PW);
    fx.contract_far = ts_make_actor(fx.s, fx.a, "contract.far", far, ROLE_CONTRACT, PW);
    struct err_ctx e = {0};
    struct framework_input fin = {.owner_org_id = fx.region, .name = "Kader", .description = ""};
    assert_int_equal(framework_create(fx.s, &fx.beleid_r, &fin, &fx.fw, &e), 0);
    static const char *const texts[] = {"De aanbieder meldt calamiteiten binnen drie werkdagen.",
                                        "Medewerkers hebben een verklaring omtrent gedrag."};
    for (int i = 0; i < 2; i++) {
        struct criterion_input ci = {.theme = "Veiligheid",
                                     .code = i ? "K1.2" : "K1.1",
                                     .text = texts[i],
                                     .source = FW_SRC_BRANCHENORM,
                                     .source_ref = "",
                                     .laws = FW_LAW_ALL,
                                     .categories = "",
                                     .evidence = "",
                                     .verify = FW_VERIFY_DOCUMENT};
        int rc = criterion_create(fx.s, &fx.beleid_r, fx.fw, &ci, &fx.crit[i], &e);
        if (rc)
            fail_msg("criterion: %s (%s)", err_name(rc), e.msg);
    }
    struct review_input in = {.framework_id = fx.fw,
                              .owner_org_id = fx.region,
                              .aanbieder_id = fx.p,
                              .kind = REVIEW_TOELATING,
                              .period_from = today() - 30,
                              .period_to = today() + 335,
                              .laws = FW_LAW_ALL};
    int rc = review_create(fx.s, &fx.contract_r, &in, &fx.review, &e);
    if (rc)
        fail_msg("review: %s (%s)", err_name(rc), e.msg);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    arena_free(fx.a);
    store_close(fx.s);
    nftw(fx.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static struct review load(const struct actor *who)
{
    struct review r;
    assert_int_equal(review_get(fx.a, fx.s, who, fx.review, &r), 0);
    return r;
}

/* Writes bytes to a temp upload file; its path (static buffer per call site is enough). */
static const char *temp_upload(const void *p, size_t n)
{
    char *path = arena_printf(fx.a, "%s/upload-XXXXXX", fx.dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, p, n), (ssize_t)n);
    close(fd);
    return path;
}

static int add(const struct actor *who, const char *name, const void *p, size_t n,
               int64_t criterion, int64_t *id, struct err_ctx *e)
{
    struct review r = load(&fx.contract_r);
    struct evidence_upload up = {.data_dir = fx.data,
                                 .temp_path = temp_upload(p, n),
                                 .name = name,
                                 .name_len = strlen(name),
                                 .criterion_id = criterion};
    memset(e, 0, sizeof *e);
    int ret = evidence_add(fx.a, fx.s, who, &r, &up, id, e);
    unlink(up.temp_path);
    return ret;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_upload_download_remove(void **state)
{
    (void)state;
    size_t n;
    unsigned char *pdf = slurp(DATA "real.pdf", &n);
    int64_t id = 0, id2 = 0;
    struct err_ctx e;
    int ret = add(&fx.kwaliteit_p, "Klachtenregeling.pdf", pdf, n, fx.crit[0], &id, &e);
    if (ret)
        fail_msg("upload refused: %s", e.msg);
    /* The same bytes again (another name): one file on disk, two rows. */
    assert_int_equal(add(&fx.contract_r, "kopie.PDF", pdf, n, 0, &id2, &e), 0);
    struct review r = load(&fx.kwaliteit_p);
    struct evidence_file *fs;
    int nf;
    assert_int_equal(evidence_list(fx.a, fx.s, &fx.kwaliteit_p, &r, 0, &fs, &nf), 0);
    assert_int_equal(nf, 2);
    assert_string_equal(fs[0].name, "Klachtenregeling.pdf");
    assert_int_equal(fs[0].type, EVIDENCE_PDF);
    assert_int_equal(fs[0].size, (int64_t)n);
    assert_int_equal(fs[0].criterion_id, fx.crit[0]);
    assert_int_equal(fs[0].scan, SCAN_NIET_GESCAND);
    assert_string_equal(fs[0].sha256, fs[1].sha256);
    assert_int_equal(evidence_list(fx.a, fx.s, &fx.kwaliteit_p, &r, fx.crit[0], &fs, &nf), 0);
    assert_int_equal(nf, 1);
    const char *blob = evidence_blob_path(fx.a, fx.data, fs[0].sha256);
    assert_true(exists(blob));
    struct stat st;
    assert_int_equal(stat(blob, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* Download: the same bytes. */
    struct evidence_file f;
    int fd;
    const char *path;
    assert_int_equal(evidence_open(fx.a, fx.s, &fx.contract_r, &r, fx.data, id, &f, &fd, &path, &e),
                     0);
    unsigned char *back = malloc(n);
    assert_int_equal(read(fd, back, n), (ssize_t)n);
    close(fd);
    assert_memory_equal(back, pdf, n);
    free(back);
    /* Outsiders: another aanbieder, raad, a contract manager of another region see nothing. */
    struct review dummy = r;
    assert_int_equal(review_get(fx.a, fx.s, &fx.kwaliteit_q, fx.review, &dummy), ERR_NOT_FOUND);
    assert_int_equal(evidence_list(fx.a, fx.s, &fx.kwaliteit_q, &r, 0, &fs, &nf), ERR_NOT_FOUND);
    assert_int_equal(evidence_list(fx.a, fx.s, &fx.raad_e, &r, 0, &fs, &nf), ERR_NOT_FOUND);
    assert_int_equal(
        evidence_open(fx.a, fx.s, &fx.contract_far, &r, fx.data, id, &f, &fd, &path, &e),
        ERR_NOT_FOUND);
    int64_t none = 0;
    assert_int_equal(add(&fx.kwaliteit_q, "x.pdf", pdf, n, 0, &none, &e), ERR_NOT_FOUND);
    assert_int_equal(none, 0);
    /* Removal: only the uploading organisation. */
    assert_false(evidence_may_remove(&fx.contract_r, &r, &(struct evidence_file){.org_id = fx.p}));
    assert_int_equal(evidence_remove(fx.a, fx.s, &fx.contract_r, &r, fx.data, id, &e), ERR_DENIED);
    assert_int_equal(evidence_remove(fx.a, fx.s, &fx.kwaliteit_p, &r, fx.data, id, &e), 0);
    assert_true(exists(blob)); /* the copy of contract_r still uses the bytes */
    assert_int_equal(evidence_remove(fx.a, fx.s, &fx.contract_r, &r, fx.data, id2, &e), 0);
    assert_false(exists(blob)); /* no live row left: the bytes are gone */
    assert_int_equal(evidence_remove(fx.a, fx.s, &fx.kwaliteit_p, &r, fx.data, id, &e),
                     ERR_NOT_FOUND);
    free(pdf);
}

static void test_refusals(void **state)
{
    (void)state;
    size_t nd, np;
    unsigned char *docx = slurp(DATA "real.docx", &nd);
    unsigned char *pdf = slurp(DATA "real.pdf", &np);
    int64_t id;
    struct err_ctx e;
    /* A .pdf that is a zip (DOCX). */
    assert_int_equal(add(&fx.kwaliteit_p, "rapport.pdf", docx, nd, 0, &id, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "rapport.pdf"));
    assert_non_null(strstr(e.msg, "extensie"));
    /* Polyglot, named after either reading. */
    unsigned char *poly = concat(pdf, np, docx, nd);
    assert_int_equal(add(&fx.kwaliteit_p, "poly.pdf", poly, np + nd, 0, &id, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "poly.pdf"));
    assert_non_null(strstr(e.msg, "polyglot"));
    free(poly);
    /* Empty; a name with a NUL; traversal names end up without extension. */
    assert_int_equal(add(&fx.kwaliteit_p, "leeg.pdf", "", 0, 0, &id, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "leeg"));
    struct review r = load(&fx.contract_r);
    struct evidence_upload up = {.data_dir = fx.data,
                                 .temp_path = temp_upload(pdf, np),
                                 .name = "a.pdf\0.exe",
                                 .name_len = 10};
    assert_int_equal(evidence_add(fx.a, fx.s, &fx.kwaliteit_p, &r, &up, &id, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "nul-teken"));
    unlink(up.temp_path);
    assert_int_equal(add(&fx.kwaliteit_p, "../../etc/passwd", pdf, np, 0, &id, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "passwd"));
    /* One byte over 20 MiB (a valid PDF head and tail around it). */
    size_t big = (size_t)EVIDENCE_FILE_MAX + 1;
    unsigned char *b = calloc(1, big);
    memcpy(b, "%PDF-1.7\n", 9);
    memcpy(b + big - 6, "%%EOF\n", 6);
    assert_int_equal(add(&fx.kwaliteit_p, "groot.pdf", b, big, 0, &id, &e), ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "20 MiB"));
    /* Exactly 20 MiB is accepted, then removed again. */
    memcpy(b + big - 7, "%%EOF\n", 6);
    int ret = add(&fx.kwaliteit_p, "precies.pdf", b, big - 1, 0, &id, &e);
    if (ret)
        fail_msg("exactly 20 MiB refused: %s", e.msg);
    assert_int_equal(evidence_remove(fx.a, fx.s, &fx.kwaliteit_p, &r, fx.data, id, &e), 0);
    /* A criterion that is not in the review. */
    assert_int_equal(add(&fx.kwaliteit_p, "x.pdf", pdf, np, 999999, &id, &e), ERR_INVALID);
    free(b);
    free(docx);
    free(pdf);
}

/* Per-review limits: 200 files; 200 MiB. Distinct small PDFs (a counter in a comment). */
static void test_review_limits(void **state)
{
    (void)state;
    struct err_ctx e;
    int64_t id;
    struct review r = load(&fx.contract_r);
    int nfiles;
    int64_t bytes;
    assert_int_equal(evidence_store_totals(store_reader(fx.s), fx.review, &nfiles, &bytes), 0);
    for (int i = nfiles; i < EVIDENCE_REVIEW_MAX_FILES; i++) {
        char doc[64];
        int n = snprintf(doc, sizeof doc, "%%PDF-1.4\n%% %d\n%%%%EOF\n", i);
        int ret = add(&fx.contract_r, "stuk.pdf", doc, (size_t)n, 0, &id, &e);
        if (ret)
            fail_msg("file %d refused: %s", i, e.msg);
    }
    assert_int_equal(
        add(&fx.contract_r, "een-te-veel.pdf", "%PDF-1.4\n% extra\n%%EOF\n", 23, 0, &id, &e),
        ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "200 bestanden"));
    /* Make room, then the byte limit: 10 files of 20 MiB fill 200 MiB. */
    struct evidence_file *fs;
    int nf;
    assert_int_equal(evidence_list(fx.a, fx.s, &fx.contract_r, &r, 0, &fs, &nf), 0);
    for (int i = 0; i < nf; i++)
        assert_int_equal(evidence_remove(fx.a, fx.s, &fx.contract_r, &r, fx.data, fs[i].id, &e), 0);
    size_t big = (size_t)EVIDENCE_FILE_MAX;
    unsigned char *b = calloc(1, big);
    memcpy(b, "%PDF-1.7\n", 9);
    memcpy(b + big - 6, "%%EOF\n", 6);
    for (int i = 0; i < 10; i++) {
        b[100] = (unsigned char)i; /* distinct content */
        assert_int_equal(add(&fx.contract_r, "groot.pdf", b, big, 0, &id, &e), 0);
    }
    b[100] = 77;
    assert_int_equal(add(&fx.contract_r, "nog-een.pdf", b, 16 * 1024, 0, &id, &e), ERR_INVALID);
    memcpy(b + 16 * 1024 - 6, "%%EOF\n", 6);
    assert_int_equal(add(&fx.contract_r, "nog-een.pdf", b, 16 * 1024, 0, &id, &e), ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "200 MiB"));
    assert_int_equal(evidence_list(fx.a, fx.s, &fx.contract_r, &r, 0, &fs, &nf), 0);
    for (int i = 0; i < nf; i++)
        assert_int_equal(evidence_remove(fx.a, fx.s, &fx.contract_r, &r, fx.data, fs[i].id, &e), 0);
    free(b);
}

/* A fake scanner: a shell script that exits with the code given. */
static const char *scanner(int code)
{
    char *path = arena_printf(fx.a, "%s/scan%d.sh", fx.dir, code);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n[ -f \"$2\" ] || exit 3\nexit %d\n", code);
    fclose(f);
    assert_int_equal(chmod(path, 0700), 0);
    return arena_printf(fx.a, "%s --no-summary", path);
}

static void test_scan_hook(void **state)
{
    (void)state;
    struct err_ctx e;
    int64_t clean_id, bad_id, fail_id;
    assert_int_equal(
        add(&fx.kwaliteit_p, "schoon.pdf", "%PDF-1.4\n%schoon\n%%EOF\n", 23, 0, &clean_id, &e), 0);
    assert_int_equal(
        add(&fx.kwaliteit_p, "besmet.pdf", "%PDF-1.4\n%besmet\n%%EOF\n", 23, 0, &bad_id, &e), 0);
    assert_int_equal(
        add(&fx.kwaliteit_p, "fout.pdf", "%PDF-1.4\n%fout!!\n%%EOF\n", 23, 0, &fail_id, &e), 0);
    enum evidence_scan res;
    assert_int_equal(evidence_scan(fx.s, fx.data, "", clean_id, &res, &e), 0);
    assert_int_equal(res, SCAN_NIET_GESCAND); /* no scanner configured */
    assert_int_equal(evidence_scan(fx.s, fx.data, scanner(0), clean_id, &res, &e), 0);
    assert_int_equal(res, SCAN_SCHOON);
    assert_int_equal(evidence_scan(fx.s, fx.data, scanner(1), bad_id, &res, &e), 0);
    assert_int_equal(res, SCAN_BESMET);
    assert_int_equal(evidence_scan(fx.s, fx.data, scanner(2), fail_id, &res, &e), 0);
    assert_int_equal(res, SCAN_FOUT);
    assert_int_equal(evidence_scan(fx.s, fx.data, "/nonexistent/scanner", fail_id, &res, &e), 0);
    assert_int_equal(res, SCAN_FOUT);
    struct review r = load(&fx.kwaliteit_p);
    struct evidence_file f;
    int fd;
    const char *path;
    assert_int_equal(
        evidence_open(fx.a, fx.s, &fx.kwaliteit_p, &r, fx.data, clean_id, &f, &fd, &path, &e), 0);
    close(fd);
    assert_int_equal(f.scan, SCAN_SCHOON);
    /* Infected: bytes gone, never served, and a later "clean" scan does not revive it. */
    assert_int_equal(evidence_get(fx.a, fx.s, &fx.kwaliteit_p, &r, bad_id, &f), 0);
    assert_int_equal(f.scan, SCAN_BESMET);
    assert_false(exists(evidence_blob_path(fx.a, fx.data, f.sha256)));
    assert_int_equal(
        evidence_open(fx.a, fx.s, &fx.kwaliteit_p, &r, fx.data, bad_id, &f, &fd, &path, &e),
        ERR_DENIED);
    assert_non_null(strstr(e.msg, "besmet"));
    assert_int_equal(evidence_scan(fx.s, fx.data, scanner(0), bad_id, &res, &e), 0);
    assert_int_equal(evidence_get(fx.a, fx.s, &fx.kwaliteit_p, &r, bad_id, &f), 0);
    assert_int_equal(f.scan, SCAN_BESMET);
    for (int64_t id = clean_id; id <= fail_id; id++)
        assert_int_equal(evidence_remove(fx.a, fx.s, &fx.kwaliteit_p, &r, fx.data, id, &e), 0);
}

/* After the decision nothing is added or removed. */
static void test_decided_review(void **state)
{
    (void)state;
    struct err_ctx e;
    int64_t id;
    assert_int_equal(add(&fx.kwaliteit_p, "voor.pdf", "%PDF-1.4\n%voor\n%%EOF\n", 21, 0, &id, &e),
                     0);
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE review SET status = 'besloten' WHERE id = %lld",
             (long long)fx.review);
    assert_int_equal(db_exec(db, sql), 0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    struct review r = load(&fx.kwaliteit_p);
    assert_false(evidence_may_upload(&fx.kwaliteit_p, &r, fx.a));
    int64_t after = -1;
    assert_int_equal(add(&fx.kwaliteit_p, "na.pdf", "%PDF-1.4\n%na!!\n%%EOF\n", 21, 0, &after, &e),
                     ERR_CONFLICT);
    assert_int_equal(after, 0);
    struct review stale = r;
    stale.status = REVIEW_IN_BEOORDELING; /* a page loaded before the decision */
    assert_int_equal(evidence_remove(fx.a, fx.s, &fx.kwaliteit_p, &stale, fx.data, id, &e),
                     ERR_CONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_files),    cmocka_unit_test(test_empty_and_unknown),
        cmocka_unit_test(test_polyglots),     cmocka_unit_test(test_zip_bombs),
        cmocka_unit_test(test_zip_structure), cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_names),         cmocka_unit_test(test_upload_download_remove),
        cmocka_unit_test(test_refusals),      cmocka_unit_test(test_review_limits),
        cmocka_unit_test(test_scan_hook),     cmocka_unit_test(test_decided_review),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
