/*
 * test_framework.c: the quality framework (domain/framework.c, framework_similar.c,
 * store/framework_store.c, ingest/framework_import.c, report/framework_export.c): vocabularies,
 * the similarity measure on real-looking pairs and non-pairs, the policy (region owns the
 * framework, a gemeente its local points), validation naming the field, versions and
 * optimistic locking, the duplicate check with merge and "not a duplicate", the demo framework
 * imported through the real importer, hostile CSV/XLSX files, and CSV/XLSX round trips.
 */
/* Before common.h: libxlsxwriter's headers use strncpy in macros, which common.h poisons. */
#include <xlsxwriter.h>

#include "domain/framework.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/resource.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/framework_similar.h"
#include "domain/org.h"
#include "domain/user.h"
#include "ingest/demo_framework.h"
#include "ingest/framework_import.h"
#include "report/framework_export.h"
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
    int64_t region, other_region, gem_a, gem_b, gem_far, provider;
    struct actor beleid_r, contract_r, beleid_a, contract_a, beleid_b, kwaliteit_p;
};

static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-framework-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/fw.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Jeugdregio Zuid-Drenthe", NULL, NULL, 0);
    fx.other_region = ts_make_org(fx.s, ORG_REGION, "Regio Amsterdam-Amstelland", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region); /* Emmen */
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0118", NULL, fx.region); /* Hoogeveen */
    fx.gem_far = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0363", NULL, fx.other_region);
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.beleid_r = ts_make_actor(fx.s, fx.a, "beleid.r", fx.region, ROLE_BELEID, PW);
    fx.contract_r = ts_make_actor(fx.s, fx.a, "contract.r", fx.region, ROLE_CONTRACT, PW);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.contract_a = ts_make_actor(fx.s, fx.a, "contract.a", fx.gem_a, ROLE_CONTRACT, PW);
    fx.beleid_b = ts_make_actor(fx.s, fx.a, "beleid.b", fx.gem_b, ROLE_BELEID, PW);
    fx.kwaliteit_p = ts_make_actor(fx.s, fx.a, "kwaliteit.p", fx.provider, ROLE_KWALITEIT, PW);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    arena_free(fx.a);
    store_close(fx.s);
    ts_rm_dir(fx.dir);
    return 0;
}

static int64_t make_framework(const char *name)
{
    struct framework_input in = {.owner_org_id = fx.region, .name = name, .description = ""};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = framework_create(fx.s, &fx.beleid_r, &in, &id, &e);
    if (rc)
        fail_msg("framework %s: %s (%s)", name, err_name(rc), e.msg);
    return id;
}

static struct criterion_input crit(const char *code, const char *text)
{
    return (struct criterion_input){.theme = "Veiligheid",
                                    .code = code,
                                    .text = text,
                                    .source = FW_SRC_BRANCHENORM,
                                    .source_ref = "Norm 1",
                                    .laws = FW_LAW_ALL,
                                    .categories = "",
                                    .evidence = "Beleidsstuk",
                                    .verify = FW_VERIFY_DOCUMENT};
}

static const struct resource *demo_csv(void)
{
    const struct resource *r = resource_find(DEMO_FRAMEWORK_RESOURCE);
    assert_non_null(r);
    return r;
}

static int count_criteria(int64_t fw, bool archived)
{
    struct criterion *cs;
    int n = 0;
    assert_int_equal(framework_criteria(fx.a, fx.s, &fx.beleid_r, fw, archived, &cs, &n), 0);
    return n;
}

static const struct criterion *find_code(const struct criterion *cs, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(cs[i].code, code) == 0)
            return &cs[i];
    return NULL;
}

/* ---- Vocabularies. ---- */

static void test_vocab(void **state)
{
    (void)state;
    enum fw_source s;
    unsigned b;
    assert_int_equal(fw_source_parse("Wetsartikel", &s), 0);
    assert_int_equal(s, FW_SRC_WETSARTIKEL);
    assert_string_equal(fw_source_code(FW_SRC_CONTRACTEIS), "contracteis");
    assert_int_equal(fw_source_parse("wet", &s), ERR_INVALID);
    assert_int_equal(fw_laws_parse("Jeugdwet en Wmo 2015", &b), 0);
    assert_int_equal(b, FW_LAW_ALL);
    assert_int_equal(fw_laws_parse("wmo", &b), 0);
    assert_int_equal(b, FW_LAW_WMO);
    assert_int_equal(fw_laws_parse("Participatiewet", &b), ERR_INVALID);
    assert_int_equal(fw_laws_parse("", &b), ERR_INVALID);
    assert_int_equal(fw_verify_parse("gesprek; aanvullend onderzoek", &b), 0);
    assert_int_equal(b, FW_VERIFY_GESPREK | FW_VERIFY_ONDERZOEK);
    assert_int_equal(fw_verify_parse("telefoon", &b), ERR_INVALID);
    assert_string_equal(fw_verify_code(FW_VERIFY_ALL), "document,gesprek,onderzoek");
    assert_string_equal(fw_laws_code(FW_LAW_JW), "jw");
}

/* ---- Similarity. ---- */

struct pair {
    const char *a, *b;
};

/* The same requirement from two sources, reworded. */
static const struct pair same[] = {
    {"De aanbieder meldt iedere calamiteit en elk geweldsincident direct aan de toezichthouder "
     "Wmo van de gemeente.",
     "Calamiteiten en geweldsincidenten meldt de aanbieder onverwijld aan de gemeentelijke "
     "toezichthouder Wmo."},
    {"Jeugdprofessionals die jeugdhulp bieden zijn geregistreerd in het Kwaliteitsregister Jeugd "
     "(SKJ) of het BIG-register.",
     "Medewerkers die jeugdhulp bieden staan geregistreerd in het Kwaliteitsregister Jeugd (SKJ) "
     "of het BIG-register."},
    {"De aanbieder heeft een klachtenregeling en is aangesloten bij een onafhankelijke "
     "geschilleninstantie.",
     "De aanbieder heeft een regeling voor de behandeling van klachten en is aangesloten bij een "
     "onafhankelijke geschilleninstantie."},
    {"Alle medewerkers die met cliënten werken hebben een Verklaring Omtrent het Gedrag die bij "
     "indiensttreding niet ouder is dan drie maanden.",
     "Medewerkers en vrijwilligers in contact met clienten hebben bij indiensttreding een "
     "Verklaring Omtrent het Gedrag van niet ouder dan drie maanden."},
    {"De aanbieder werkt met de Meldcode huiselijk geweld en kindermishandeling.",
     "Zorgaanbieder hanteert de meldcode huiselijk geweld en kindermishandeling."},
};

/* Different requirements, often on the same theme and with shared words. */
static const struct pair different[] = {
    {"De aanbieder meldt iedere calamiteit en elk geweldsincident direct aan de toezichthouder "
     "Wmo van de gemeente.",
     "De aanbieder meldt maatregelen van de toezichthouder of de Inspectie binnen zeven "
     "kalenderdagen aan de gemeente."},
    {"De aanbieder heeft een klachtenregeling en is aangesloten bij een onafhankelijke "
     "geschilleninstantie.",
     "Incidenten worden gemeld en geanalyseerd en leiden tot verbetermaatregelen."},
    {"Jeugdprofessionals die jeugdhulp bieden zijn geregistreerd in het Kwaliteitsregister Jeugd "
     "(SKJ) of het BIG-register.",
     "Medewerkers krijgen jaarlijks scholing die past bij hun taak en de doelgroep, vastgelegd in "
     "een opleidingsplan."},
    {"Het ondersteuningsplan wordt ten minste elk half jaar met de cliënt geëvalueerd en zo nodig "
     "bijgesteld.",
     "De aanbieder stelt samen met de cliënt en zijn netwerk binnen zes weken na de start een "
     "ondersteuningsplan op met doelen die de cliënt zelf herkent."},
    {"De aanbieder meldt datalekken binnen 72 uur aan de Autoriteit Persoonsgegevens.",
     "De aanbieder meldt iedere calamiteit direct aan de toezichthouder."},
};

static void test_similarity(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(same); i++) {
        double s = fw_similarity(same[i].a, same[i].b);
        if (s < FW_DUP_THRESHOLD)
            fail_msg("pair %zu scores %.3f, below %.2f", i, s, FW_DUP_THRESHOLD);
    }
    for (size_t i = 0; i < ARRAY_LEN(different); i++) {
        double s = fw_similarity(different[i].a, different[i].b);
        if (s >= FW_DUP_THRESHOLD)
            fail_msg("non-pair %zu scores %.3f, at or above %.2f", i, s, FW_DUP_THRESHOLD);
    }
    assert_true(fw_similarity("Zelfde tekst voor iedereen", "Zelfde tekst voor iedereen") == 1.0);
    assert_true(fw_similarity("", "") == 0.0);
    assert_true(fw_similarity("de het een", "en of van") == 0.0); /* only stop words */
    /* Accents, case and punctuation fold; plurals stem. */
    assert_true(fw_similarity("Cliëntdossiers: ACTUEEL!", "clientdossier actueel") == 1.0);
    char w[200];
    fw_words("De aanbieder meldt Calamiteiten aan de gemeentelijke toezichthouder.", w, sizeof w);
    assert_string_equal(w, "meldt calamiteit gemeentelijk toezichthouder");
    /* Invalid UTF-8 is a separator, never a crash. */
    fw_words("abc\xff\xfe def \xc3", w, sizeof w);
    assert_string_equal(w, "abc def");
    /* A tiny buffer is never overrun. */
    assert_int_equal(fw_words("toezichthouder", w, 4), 0);
}

/* ---- Frameworks and criteria. ---- */

static void test_framework_policy_and_validation(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = 0;
    struct framework_input in = {.owner_org_id = fx.region, .name = "Kader", .description = ""};
    assert_int_equal(framework_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_DENIED);
    assert_int_equal(framework_create(fx.s, &fx.kwaliteit_p, &in, &id, &e), ERR_DENIED);
    in.owner_org_id = fx.gem_a;
    assert_int_equal(framework_create(fx.s, &admin, &in, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "owner_org_id");
    in.owner_org_id = fx.region;
    in.name = "  ";
    assert_int_equal(framework_create(fx.s, &fx.contract_r, &in, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "name");
    in.name = "Kader";
    assert_int_equal(framework_create(fx.s, &fx.contract_r, &in, &id, &e), 0);

    struct framework f;
    assert_int_equal(framework_get(fx.a, fx.s, &fx.kwaliteit_p, id, &f), 0);
    assert_int_equal(f.version, 1);
    in.version = 1;
    in.name = "Kader 2026";
    assert_int_equal(framework_update(fx.s, &fx.beleid_a, id, &in, &e), ERR_DENIED);
    assert_int_equal(framework_update(fx.s, &fx.beleid_r, id, &in, &e), 0);
    assert_int_equal(framework_update(fx.s, &fx.beleid_r, id, &in, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "version");

    /* Each bad field is named. */
    struct {
        struct criterion_input in;
        const char *field;
    } bad[] = {
        {crit("K1", "Tekst"), "theme"},
        {crit("K 1", "Tekst"), "code"},
        {crit("K1", ""), "text"},
        {crit("K1", "Tekst"), "source"},
        {crit("K1", "Tekst"), "laws"},
        {crit("K1", "Tekst"), "verify"},
        {crit("K1", "Tekst"), "categories"},
        {crit("K1", "Tekst"), "local_org_id"},
        {crit("K1", "Tekst"), "text"},
    };
    bad[0].in.theme = "";
    bad[3].in.source = 9;
    bad[4].in.laws = 0;
    bad[5].in.verify = 8;
    bad[6].in.categories = "41;<script>";
    bad[7].in.local_org_id = fx.gem_far;
    bad[8].in.text = "tekst met \x01 stuurteken";
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct err_ctx be = {0};
        int64_t cid = 0;
        const struct actor *who = bad[i].in.local_org_id ? &admin : &fx.beleid_r;
        int rc = criterion_create(fx.s, who, id, &bad[i].in, &cid, &be);
        if (rc != ERR_INVALID || !be.field || strcmp(be.field, bad[i].field) != 0)
            fail_msg("case %zu: %s field %s, want %s (%s)", i, err_name(rc),
                     be.field ? be.field : "-", bad[i].field, be.msg);
        assert_true(be.msg[0] != '\0');
    }
    assert_int_equal(count_criteria(id, true), 0);
}

static void test_local_criteria_and_versions(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t fw = make_framework("Kader met lokale punten");
    int64_t reg = 0, loc = 0, x = 0;
    struct criterion_input in = crit("K1", "De aanbieder heeft een veiligheidsbeleid.");
    assert_int_equal(criterion_create(fx.s, &fx.beleid_a, fw, &in, &x, &e), ERR_DENIED);
    assert_int_equal(criterion_create(fx.s, &fx.contract_r, fw, &in, &reg, &e), 0);
    assert_int_equal(criterion_create(fx.s, &fx.contract_r, fw, &in, &x, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "code");

    struct criterion_input li = crit("L1", "De aanbieder neemt deel aan het wijkoverleg.");
    li.local_org_id = fx.gem_a;
    li.source = FW_SRC_LOKAAL;
    assert_int_equal(criterion_create(fx.s, &fx.beleid_r, fw, &li, &x, &e), ERR_DENIED);
    assert_int_equal(criterion_create(fx.s, &fx.beleid_b, fw, &li, &x, &e), ERR_DENIED);
    assert_int_equal(criterion_create(fx.s, &fx.contract_a, fw, &li, &loc, &e), 0);

    struct criterion c;
    assert_int_equal(criterion_get(fx.a, fx.s, &fx.kwaliteit_p, loc, &c), 0);
    assert_int_equal(c.local_org_id, fx.gem_a);
    assert_string_equal(c.local_cbs, "GM0114");
    assert_int_equal(c.version, 1);

    li.text = "De aanbieder neemt deel aan het wijkoverleg van het sociaal team.";
    li.version = 1;
    assert_int_equal(criterion_update(fx.s, &fx.beleid_r, loc, &li, &e), ERR_DENIED);
    assert_int_equal(criterion_update(fx.s, &fx.beleid_a, loc, &li, &e), 0);
    assert_int_equal(criterion_update(fx.s, &fx.beleid_a, loc, &li, &e), ERR_CONFLICT);
    in.version = 1;
    in.text = "Gewijzigd";
    assert_int_equal(criterion_update(fx.s, &fx.beleid_a, reg, &in, &e), ERR_DENIED);
    assert_int_equal(criterion_set_archived(fx.s, &fx.beleid_a, reg, true, &e), ERR_DENIED);
    assert_int_equal(criterion_set_archived(fx.s, &fx.beleid_r, reg, true, &e), 0);
    assert_int_equal(count_criteria(fw, false), 1);
    assert_int_equal(count_criteria(fw, true), 2);

    /* Version 1 (created) + 2 criteria + 1 edit + 1 archive = 5, newest first. */
    struct fw_version *v;
    int nv = 0;
    assert_int_equal(framework_versions(fx.a, fx.s, &fx.kwaliteit_p, fw, &v, &nv), 0);
    assert_int_equal(nv, 5);
    assert_int_equal(v[0].version, 5);
    assert_non_null(strstr(v[0].summary, "K1"));
    assert_string_equal(v[0].changed_by, "beleid.r");
    assert_int_equal(v[4].version, 1);
    struct framework f;
    assert_int_equal(framework_get(fx.a, fx.s, &fx.beleid_a, fw, &f), 0);
    assert_int_equal(f.version, 5);
    assert_int_equal(f.ncriteria, 1);

    /* The framework as it stood at each version. */
    struct criterion *at;
    int nat = 0;
    assert_int_equal(framework_criteria_at(fx.a, fx.s, &fx.kwaliteit_p, fw, 1, &at, &nat), 0);
    assert_int_equal(nat, 0);
    assert_int_equal(framework_criteria_at(fx.a, fx.s, &fx.kwaliteit_p, fw, 3, &at, &nat), 0);
    assert_int_equal(nat, 2);
    const struct criterion *l1 = find_code(at, nat, "L1");
    assert_non_null(l1);
    assert_string_equal(l1->text, "De aanbieder neemt deel aan het wijkoverleg.");
    assert_string_equal(l1->local_cbs, "GM0114");
    assert_int_equal(framework_criteria_at(fx.a, fx.s, &fx.kwaliteit_p, fw, 4, &at, &nat), 0);
    assert_string_equal(find_code(at, nat, "L1")->text,
                        "De aanbieder neemt deel aan het wijkoverleg van het sociaal team.");
    assert_int_equal(framework_criteria_at(fx.a, fx.s, &fx.kwaliteit_p, fw, 5, &at, &nat), 0);
    assert_int_equal(nat, 1); /* K1 archived at version 5 */
    assert_int_equal(framework_criteria_at(fx.a, fx.s, &fx.kwaliteit_p, fw, 6, &at, &nat),
                     ERR_NOT_FOUND);
}

static void test_demo_import_and_duplicates(void **state)
{
    (void)state;
    const struct resource *res = demo_csv();
    int64_t fw = make_framework("Demo-kader");
    struct fwi_result r;
    struct err_ctx e = {0};

    /* A provider cannot import; a gemeente cannot import regional criteria. */
    assert_int_equal(
        framework_import(fx.a, fx.s, &fx.kwaliteit_p, fw, "demo.csv", res->data, res->len, &r),
        ERR_DENIED);
    assert_int_equal(
        framework_import(fx.a, fx.s, &fx.beleid_a, fw, "demo.csv", res->data, res->len, &r),
        ERR_DENIED);
    assert_int_equal(count_criteria(fw, true), 0);
    /* The local points of two gemeenten need the beheerder (or one import per owner). */
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw, "demo.csv", res->data, res->len, &r),
                     0);
    assert_int_equal(r.rows, 42);
    assert_int_equal(r.created, 42);
    assert_int_equal(r.updated, 0);
    assert_int_equal(r.nerrors, 0);
    struct fw_theme *th;
    int nt = 0;
    assert_int_equal(framework_themes(fx.a, fx.s, &fx.beleid_a, fw, &th, &nt), 0);
    assert_int_equal(nt, 8);
    assert_string_equal(th[0].name, "Cliënt centraal en eigen regie");

    struct framework f0, f1;
    assert_int_equal(framework_get(fx.a, fx.s, &admin, fw, &f0), 0);
    /* Importing the same file again changes nothing, so there is no new version. */
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw, "demo.csv", res->data, res->len, &r),
                     0);
    assert_int_equal(r.created + r.updated, 0);
    assert_int_equal(framework_get(fx.a, fx.s, &admin, fw, &f1), 0);
    assert_int_equal(f1.version, f0.version);

    /* The four planted duplicates are found, and nothing else. */
    struct fw_duplicate *d;
    int nd = 0;
    assert_int_equal(framework_duplicates(fx.a, fx.s, &fx.kwaliteit_p, fw, &d, &nd), 0);
    assert_int_equal(nd, 4);
    const char *want[][2] = {
        {"K8.1", "K8.4"}, {"K3.1", "K3.4"}, {"K2.2", "K2.5"}, {"K6.2", "K6.4"}};
    for (int i = 0; i < nd; i++) {
        assert_string_equal(d[i].a->code, want[i][0]);
        assert_string_equal(d[i].b->code, want[i][1]);
        assert_true(d[i].similarity >= FW_DUP_THRESHOLD && d[i].similarity <= 1.0);
        assert_int_not_equal(d[i].a->source, d[i].b->source); /* from different sources */
    }
    int64_t k81 = d[0].a->id, k84 = d[0].b->id, k62 = d[3].a->id, k64 = d[3].b->id;

    /* "Not a duplicate" is remembered; only framework editors may say so. */
    assert_int_equal(framework_not_duplicate(fx.s, &fx.kwaliteit_p, k62, k64, &e), ERR_DENIED);
    assert_int_equal(framework_not_duplicate(fx.s, &fx.contract_r, k64, k62, &e), 0);
    assert_int_equal(framework_duplicates(fx.a, fx.s, &fx.kwaliteit_p, fw, &d, &nd), 0);
    assert_int_equal(nd, 3);

    /* Merge: keep K8.1, its new source is K8.4's; K8.4 is archived, not deleted. */
    assert_int_equal(framework_merge(fx.s, &fx.beleid_a, k81, k84, &e), ERR_DENIED);
    assert_int_equal(framework_merge(fx.s, &fx.beleid_r, k81, k81, &e), ERR_INVALID);
    assert_int_equal(framework_merge(fx.s, &fx.beleid_r, k81, k84, &e), 0);
    assert_int_equal(framework_merge(fx.s, &fx.beleid_r, k81, k84, &e), ERR_CONFLICT);
    struct criterion keep, gone;
    assert_int_equal(criterion_get(fx.a, fx.s, &fx.beleid_r, k81, &keep), 0);
    assert_int_equal(keep.nextra, 1);
    assert_int_equal(keep.extra[0].kind, FW_SRC_CERTIFICERING);
    assert_string_equal(keep.extra[0].ref, "HKZ Zorg en Welzijn, 7.1");
    assert_int_equal(keep.extra[0].from_criterion_id, k84);
    assert_int_equal(criterion_get(fx.a, fx.s, &fx.beleid_r, k84, &gone), 0);
    assert_true(gone.archived);
    assert_int_equal(gone.merged_into, k81);
    assert_int_equal(framework_duplicates(fx.a, fx.s, &fx.kwaliteit_p, fw, &d, &nd), 0);
    assert_int_equal(nd, 2);
    assert_int_equal(count_criteria(fw, false), 41);
    assert_int_equal(count_criteria(fw, true), 42);

    /* The export names the merged source in its own column; importing it back changes nothing
     * (merge history is not recreated from a file, and the archived K8.4 is left alone). */
    struct criterion *cs;
    int n = 0;
    const char *out;
    size_t len;
    assert_int_equal(framework_criteria(fx.a, fx.s, &admin, fw, true, &cs, &n), 0);
    assert_int_equal(framework_export_csv(fx.a, cs, n, &out, &len, &e), 0);
    assert_non_null(strstr(out, ";certificering: HKZ Zorg en Welzijn, 7.1\r\n"));
    assert_null(strstr(out, "\r\nK8.4;")); /* archived: not exported */
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw, "terug.csv", out, len, &r), 0);
    assert_int_equal(r.created + r.updated, 0);
}

/* ---- Hostile imports. ---- */

static const char header[] =
    "code;thema;criterium;bronsoort;bron;wet;productcategorieen;bewijs;verificatie;gemeente\n";

static bool has_error(const struct fwi_result *r, const char *needle)
{
    for (int i = 0; i < r->nerrors; i++)
        if (strstr(r->errors[i].msg, needle))
            return true;
    return false;
}

static int import_text(int64_t fw, const char *text, struct fwi_result *r)
{
    return framework_import(fx.a, fx.s, &fx.beleid_r, fw, "kader.csv", text, strlen(text), r);
}

static void dump(const struct fwi_result *r)
{
    for (int i = 0; i < r->nerrors; i++)
        print_message("  %s\n", r->errors[i].msg);
}

static void test_import_hostile(void **state)
{
    (void)state;
    int64_t fw = make_framework("Vijandig");
    struct fwi_result r;

    /* Wrong columns: one missing, one unknown; nothing is read against such a header. */
    assert_int_equal(import_text(fw,
                                 "code;thema;criterium;bronsoort;prijs;verificatie\n"
                                 "K1;Veiligheid;Tekst;lokaal;12;document\n",
                                 &r),
                     ERR_INVALID);
    assert_true(has_error(&r, "kader.csv, regel 1, kolom 5 (prijs): onbekende kolom"));
    assert_true(has_error(&r, "de verplichte kolom \"wet\" ontbreekt"));

    /* Valid rows next to invalid rows: every error listed, nothing written. */
    static const char mixed[] =
        "code;thema;criterium;bronsoort;bron;wet;productcategorieen;bewijs;"
        "verificatie;gemeente\n"
        "K1;Veiligheid;Een geldig criterium.;lokaal;;jw;;;document;\n"
        "K2;Veiligheid;Bron onbekend.;folklore;;jw;;;document;\n"
        "K3;Veiligheid;Wet onbekend.;lokaal;;bijstand;;;gesprek;\n"
        "K1;Veiligheid;Dubbele code.;lokaal;;wmo;;;gesprek;\n"
        "K5;Veiligheid;Een NUL \0 teken.;lokaal;;wmo;;;gesprek;\n"
        "K6;Veiligheid;Gemeente ver weg.;lokaal;;wmo;;;gesprek;9999\n"
        "K7;;Geen thema.;lokaal;;wmo;;;gesprek;\n"
        "\n"
        "K9;Veiligheid;Nog een geldig criterium.;contracteis;;wmo;;;onderzoek;\n";
    assert_int_equal(
        framework_import(fx.a, fx.s, &fx.beleid_r, fw, "kader.csv", mixed, sizeof mixed - 1, &r),
        ERR_INVALID);
    if (r.nerrors != 6)
        dump(&r);
    assert_int_equal(r.nerrors, 6);
    assert_int_equal(r.rows, 8);
    assert_true(has_error(&r, "kader.csv, regel 3, kolom 4 (bronsoort)"));
    assert_true(has_error(&r, "kader.csv, regel 4, kolom 6 (wet)"));
    assert_true(
        has_error(&r, "kader.csv, regel 5, kolom 1 (code): de code K1 staat ook op regel 2"));
    assert_true(has_error(&r, "kader.csv, regel 6, kolom 3 (criterium)"));
    assert_true(has_error(&r, "kader.csv, regel 7, kolom 10 (gemeente): deze gemeente is niet"));
    assert_true(has_error(&r, "kader.csv, regel 8, kolom 2 (thema)"));
    assert_int_equal(count_criteria(fw, true), 0);

    /* Oversize. */
    size_t big = FWI_MAX_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, 'a', big);
    memcpy(huge, header, sizeof header - 1);
    assert_int_equal(framework_import(fx.a, fx.s, &fx.beleid_r, fw, "groot.csv", huge, big, &r),
                     ERR_TOO_BIG);
    assert_true(has_error(&r, "groot.csv: het bestand is groter dan 4 MiB"));
    free(huge);

    /* An open quote, an empty file, a header only. */
    assert_int_equal(import_text(fw, "code;thema;\"criterium\n", &r), ERR_INVALID);
    assert_int_equal(r.nerrors, 1);
    assert_int_equal(import_text(fw, "", &r), ERR_INVALID);
    assert_true(has_error(&r, "geen kopregel"));
    assert_int_equal(import_text(fw, header, &r), 0);
    assert_int_equal(r.rows, 0);

    /* A cell too long for a criterion. */
    char *longrow = malloc(20000);
    assert_non_null(longrow);
    int n = snprintf(longrow, 20000, "%sK1;Veiligheid;", header);
    memset(longrow + n, 'x', 18000);
    snprintf(longrow + n + 18000, 20000 - (size_t)n - 18000, ";lokaal;;jw;;;document;\n");
    assert_int_equal(import_text(fw, longrow, &r), ERR_TOO_BIG); /* over the cell limit */
    assert_int_equal(r.nerrors, 1);
    assert_true(strncmp(r.errors[0].msg, "kader.csv", 9) == 0);
    /* Under the cell limit but over the 2000 characters of a criterion text. */
    n = snprintf(longrow, 20000, "%sK1;Veiligheid;", header);
    memset(longrow + n, 'x', 3000);
    snprintf(longrow + n + 3000, 20000 - (size_t)n - 3000, ";lokaal;;jw;;;document;\n");
    assert_int_equal(import_text(fw, longrow, &r), ERR_INVALID);
    assert_int_equal(r.nerrors, 1);
    assert_true(has_error(&r, "kader.csv, regel 2, kolom 3 (criterium)"));
    assert_true(has_error(&r, "te lang (maximaal 2000 tekens)"));
    free(longrow);

    /* Zip bytes that are no workbook. */
    static const char fake_zip[] = "PK\x03\x04garbage that is not a zip archive at all";
    assert_int_equal(framework_import(fx.a, fx.s, &fx.beleid_r, fw, "kader.xlsx", fake_zip,
                                      sizeof fake_zip - 1, &r),
                     ERR_INVALID);
    assert_int_equal(r.nerrors, 1);
    assert_true(strncmp(r.errors[0].msg, "kader.xlsx", 10) == 0);
    assert_int_equal(count_criteria(fw, true), 0);
}

/* Formula text is stored as text, neutralised on export, and comes back unchanged. */
static void test_formula_cells_and_round_trips(void **state)
{
    (void)state;
    int64_t fw = make_framework("Formules");
    struct fwi_result r;
    const char *csv =
        "code;thema;criterium;bronsoort;bron;wet;productcategorieen;bewijs;"
        "verificatie;gemeente\n"
        "F1;Veiligheid;\"=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\";lokaal;+31 bron;jw;;"
        "@SUM(A1);document;\n"
        "F2;Veiligheid;- Een opsomming;lokaal;;jw;41, 45;;gesprek;GM0118\n";
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw, "f.csv", csv, strlen(csv), &r), 0);
    assert_int_equal(r.created, 2);
    struct criterion *cs;
    int n = 0;
    assert_int_equal(framework_criteria(fx.a, fx.s, &admin, fw, false, &cs, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(find_code(cs, n, "F1")->text, "=HYPERLINK(\"http://x\";\"klik\")");

    const char *out;
    size_t len;
    struct err_ctx e = {0};
    assert_int_equal(framework_export_csv(fx.a, cs, n, &out, &len, &e), 0);
    assert_non_null(strstr(out, "\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\""));
    assert_non_null(strstr(out, "'+31 bron"));
    assert_non_null(strstr(out, "'@SUM(A1)"));
    assert_non_null(strstr(out, "'- Een opsomming"));
    assert_non_null(strstr(out, ";GM0118;\r\n"));

    /* CSV round trip into a second framework: identical criteria. */
    int64_t fw2 = make_framework("Formules terug");
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw2, "terug.csv", out, len, &r), 0);
    assert_int_equal(r.created, 2);
    struct criterion *cs2;
    int n2 = 0;
    assert_int_equal(framework_criteria(fx.a, fx.s, &admin, fw2, false, &cs2, &n2), 0);
    assert_int_equal(n2, 2);
    for (int i = 0; i < n; i++) {
        const struct criterion *c2 = find_code(cs2, n2, cs[i].code);
        assert_non_null(c2);
        assert_string_equal(c2->text, cs[i].text);
        assert_string_equal(c2->source_ref, cs[i].source_ref);
        assert_string_equal(c2->evidence, cs[i].evidence);
        assert_string_equal(c2->categories, cs[i].categories);
        assert_int_equal(c2->local_org_id, cs[i].local_org_id);
    }

    /* XLSX round trip of the whole demo framework. */
    const struct resource *res = demo_csv();
    int64_t fw3 = make_framework("Demo voor XLSX");
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw3, "demo.csv", res->data, res->len, &r),
                     0);
    assert_int_equal(framework_criteria(fx.a, fx.s, &admin, fw3, false, &cs, &n), 0);
    assert_int_equal(n, 42);
    assert_int_equal(framework_export_xlsx(fx.a, cs, n, fx.dir, &out, &len, &e), 0);
    assert_true(len > 1000 && memcmp(out, "PK", 2) == 0);
    int64_t fw4 = make_framework("Demo uit XLSX");
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw4, "kader.xlsx", out, len, &r), 0);
    assert_int_equal(r.created, 42);
    assert_int_equal(framework_criteria(fx.a, fx.s, &admin, fw4, false, &cs2, &n2), 0);
    assert_int_equal(n2, 42);
    for (int i = 0; i < n; i++) {
        const struct criterion *c2 = find_code(cs2, n2, cs[i].code);
        assert_non_null(c2);
        assert_string_equal(c2->text, cs[i].text);
        assert_string_equal(c2->theme_name, cs[i].theme_name);
        assert_int_equal(c2->source, cs[i].source);
        assert_int_equal(c2->laws, cs[i].laws);
        assert_int_equal(c2->verify, cs[i].verify);
    }
    /* And an XLSX with a bad cell names the sheet row and column. */
    struct criterion bad = cs[0];
    bad.code = "K 1";
    assert_int_equal(framework_export_xlsx(fx.a, &bad, 1, fx.dir, &out, &len, &e), 0);
    int64_t fw5 = make_framework("Slechte XLSX");
    assert_int_equal(framework_import(fx.a, fx.s, &admin, fw5, "slecht.xlsx", out, len, &r),
                     ERR_INVALID);
    assert_true(has_error(&r, "slecht.xlsx, regel 2, kolom 1 (code)"));
}

/* Reads a whole file into the arena. */
static const char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = arena_alloc(fx.a, 1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* A workbook made by someone else: a formula cell in the text column and one in the code
 * column. The reader takes the cached result, never the formula; a formula whose result is
 * not a valid code is an error at its cell. */
static void test_xlsx_formula_cells(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/formules.xlsx", fx.dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *head[] = {"code", "thema", "criterium", "bronsoort", "wet", "verificatie"};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "X1", NULL);
    worksheet_write_string(ws, 1, 1, "Veiligheid", NULL);
    worksheet_write_formula_str(ws, 1, 2, "=HYPERLINK(\"http://x\",\"Klik hier\")", NULL,
                                "Klik hier");
    worksheet_write_string(ws, 1, 3, "lokaal", NULL);
    worksheet_write_string(ws, 1, 4, "jw", NULL);
    worksheet_write_string(ws, 1, 5, "document", NULL);
    worksheet_write_formula_num(ws, 2, 0, "=1+1", NULL, 2);
    worksheet_write_string(ws, 2, 1, "Veiligheid", NULL);
    worksheet_write_string(ws, 2, 2, "Tweede", NULL);
    worksheet_write_string(ws, 2, 3, "lokaal", NULL);
    worksheet_write_string(ws, 2, 4, "jw", NULL);
    worksheet_write_formula(ws, 2, 5, "=\"doc\"&\"ument\"", NULL); /* no cached value */
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len = 0;
    const char *data = slurp(path, &len);
    int64_t fw = make_framework("XLSX met formules");
    struct fwi_result r;
    assert_int_equal(framework_import(fx.a, fx.s, &fx.beleid_r, fw, "formules.xlsx", data, len, &r),
                     ERR_INVALID);
    /* Row 3: the code's cached value "2" is fine, the verification formula has no value. */
    assert_int_equal(r.nerrors, 1);
    assert_true(has_error(&r, "formules.xlsx, regel 3, kolom 6 (verificatie)"));
    /* Without row 3 the file goes in with the cached text, not the formula. */
    lxw_workbook *wb2 = workbook_new(path);
    ws = workbook_add_worksheet(wb2, NULL);
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "X1", NULL);
    worksheet_write_string(ws, 1, 1, "Veiligheid", NULL);
    worksheet_write_formula_str(ws, 1, 2, "=HYPERLINK(\"http://x\",\"Klik hier\")", NULL,
                                "Klik hier");
    worksheet_write_string(ws, 1, 3, "lokaal", NULL);
    worksheet_write_string(ws, 1, 4, "jw", NULL);
    worksheet_write_string(ws, 1, 5, "document", NULL);
    assert_int_equal(workbook_close(wb2), LXW_NO_ERROR);
    data = slurp(path, &len);
    assert_int_equal(framework_import(fx.a, fx.s, &fx.beleid_r, fw, "formules.xlsx", data, len, &r),
                     0);
    struct criterion *cs;
    int n = 0;
    assert_int_equal(framework_criteria(fx.a, fx.s, &fx.beleid_r, fw, false, &cs, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(cs[0].text, "Klik hier");
    unlink(path);

    /* A CSV that is not valid UTF-8 is read as Windows-1252 (ingest/csv.h), never dropped. */
    static const char cp1252[] = "code;thema;criterium;bronsoort;wet;verificatie\n"
                                 "W1;Veiligheid;Caf\xe9 en cli\xebnt;lokaal;jw;document\n";
    assert_int_equal(
        framework_import(fx.a, fx.s, &fx.beleid_r, fw, "ansi.csv", cp1252, sizeof cp1252 - 1, &r),
        0);
    assert_int_equal(framework_criteria(fx.a, fx.s, &fx.beleid_r, fw, false, &cs, &n), 0);
    const struct criterion *w1 = find_code(cs, n, "W1");
    assert_non_null(w1);
    assert_string_equal(w1->text, "Café en cliënt");
}

static void test_demo_generator(void **state)
{
    (void)state;
    /* The demo needs its gemeenten; the fixture's region has Emmen and Hoogeveen. */
    struct demo_framework_summary sum;
    struct err_ctx e = {0};
    assert_int_equal(demo_framework_generate(fx.s, &sum, &e), 0);
    assert_int_equal(sum.criteria, 42);
    assert_int_equal(sum.themes, 8);
    assert_int_equal(sum.local, 2);
    assert_int_equal(sum.duplicates, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocab),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_framework_policy_and_validation),
        cmocka_unit_test(test_local_criteria_and_versions),
        cmocka_unit_test(test_demo_import_and_duplicates),
        cmocka_unit_test(test_import_hostile),
        cmocka_unit_test(test_formula_cells_and_round_trips),
        cmocka_unit_test(test_xlsx_formula_cells),
        cmocka_unit_test(test_demo_generator),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
