/*
 * test_definition.c: indicator definitions as data (metrics/definition.c): the shipped standard
 * set (data/indicatoren/standaard.json, from the source tree and embedded), canonical
 * round trips, compiling with settings bound (checked by running the programs on records),
 * every validation rule with the key and Dutch reason it reports, hostile documents, and
 * ind_def_set.
 */
#include "metrics/definition.h"
#include "core/common.h"
#include "metrics/fields.h"
#include <jansson.h>
#include <setjmp.h>
#include <cmocka.h>

#define STANDARD_PATH TEST_SOURCE_DIR "/data/indicatoren/standaard.json"

static const char *const standard_codes[] = {
    "jw_uitval",
    "jw_eenzijdig_aanbieder",
    "jw_volgens_plan",
    "jw_tevredenheid",
    "jw_zonder_hulp_verder",
    "jw_geen_nieuwe_start_6m",
    "jw_geen_nieuwe_start_12m",
    "jw_doelrealisatie",
    "clienten",
    "trajecten_actief",
    "nieuwe_starts",
    "jw_bereik",
    "wmo_bereik",
    "doorlooptijd",
    "wachttijd",
    "wmo_ceo_1",
    "wmo_ceo_2",
    "wmo_ceo_3",
    "wmo_ceo_4",
    "wmo_ceo_5",
    "wmo_ceo_6",
    "wmo_ceo_7",
    "wmo_ceo_8",
    "wmo_ceo_9",
    "wmo_ceo_10",
};

/* ---- Helpers. ------------------------------------------------------------------------------- */

static bool str_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Field-by-field equality of two definitions. */
static bool def_equal(const struct ind_def *a, const struct ind_def *b)
{
    if (a->version != b->version || !str_same(a->code, b->code) || !str_same(a->name, b->name) ||
        !str_same(a->name_en, b->name_en) || !str_same(a->explanation, b->explanation) ||
        !str_same(a->explanation_en, b->explanation_en) || !str_same(a->source, b->source) ||
        !str_same(a->group, b->group) || a->unit != b->unit || a->anchor != b->anchor ||
        a->agg != b->agg || !str_same(a->population, b->population) ||
        !str_same(a->event, b->event) || !str_same(a->value, b->value) ||
        a->age_from != b->age_from || a->age_to != b->age_to ||
        a->follow_up_months != b->follow_up_months || a->gap_days != b->gap_days ||
        a->polarity != b->polarity || a->quadrant != b->quadrant || a->display != b->display ||
        a->min_n != b->min_n || a->nsettings != b->nsettings)
        return false;
    for (int i = 0; i < a->nsettings; i++) {
        const struct ind_setting *x = &a->settings[i], *y = &b->settings[i];
        if (!str_same(x->code, y->code) || !str_same(x->label, y->label) ||
            !str_same(x->label_en, y->label_en) || !str_same(x->help, y->help) ||
            x->is_bool != y->is_bool || x->value != y->value)
            return false;
    }
    return true;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Parses every entry of the standard file in the source tree. */
static size_t parse_standard_file(struct arena *a, struct ind_def *out, size_t cap)
{
    size_t len;
    char *text = read_file(STANDARD_PATH, &len);
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    assert_non_null(root);
    assert_true(json_is_array(root));
    size_t i, n = json_array_size(root);
    assert_true(n <= cap);
    json_t *el;
    json_array_foreach(root, i, el)
    {
        char *doc = json_dumps(el, JSON_PRESERVE_ORDER);
        struct ind_problems pr = {.n = 0};
        int rc = ind_def_parse(doc, strlen(doc), a, &out[i], &pr);
        if (rc)
            fail_msg("entry %zu: rc %d, %s: %s", i, rc, pr.n ? pr.p[0].key : "",
                     pr.n ? pr.p[0].message : "");
        free(doc);
    }
    json_decref(root);
    free(text);
    return n;
}

static const struct ind_def *find_def(const struct ind_def *defs, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(defs[i].code, code) == 0)
            return &defs[i];
    fail_msg("no definition %s", code);
    return NULL;
}

/* A valid document every validation case starts from. */
static const char base_doc[] =
    "{\"versie\": 1, \"code\": \"uitval_test\", \"naam\": \"Uitval\", \"uitleg\": \"Uitleg.\","
    " \"eenheid\": \"traject\", \"anker\": \"einde\", \"aggregatie\": \"aandeel\","
    " \"populatie\": \"wet = \\\"jw\\\" en ($extern of reden_cbs != \\\"05\\\")\","
    " \"gebeurtenis\": \"reden_cbs = \\\"03\\\"\", \"polariteit\": \"lager_beter\","
    " \"kwadrant\": \"hoe_goed\", \"eenheid_waarde\": \"procent\","
    " \"instellingen\": [{\"code\": \"extern\", \"label\": \"Extern\", \"soort\": \"ja_nee\","
    " \"waarde\": true}]}";

/* base_doc with edits applied: "key=JSON" sets a member (JSON value), "-key" removes it. */
static char *doc_with(const char *const *edits)
{
    json_error_t jerr;
    json_t *root = json_loads(base_doc, 0, &jerr);
    assert_non_null(root);
    for (const char *const *e = edits; *e; e++) {
        if ((*e)[0] == '-') {
            json_object_del(root, *e + 1);
            continue;
        }
        const char *eq = strchr(*e, '=');
        assert_non_null(eq);
        char key[64];
        size_t klen = (size_t)(eq - *e);
        assert_true(klen < sizeof key);
        memcpy(key, *e, klen);
        key[klen] = 0;
        json_t *v = json_loads(eq + 1, JSON_DECODE_ANY, &jerr);
        if (!v)
            fail_msg("bad edit %s: %s", *e, jerr.text);
        json_object_set_new(root, key, v);
    }
    char *s = json_dumps(root, JSON_PRESERVE_ORDER);
    json_decref(root);
    return s;
}

/* Expects the document to fail with a problem under key whose message contains want. */
static void expect_problem(const char *doc, size_t len, int want_rc, const char *key,
                           const char *want)
{
    struct arena *a = arena_new(0);
    struct ind_def d;
    struct ind_problems pr = {.n = 0};
    int rc = ind_def_parse(doc, len, a, &d, &pr);
    if (rc != want_rc)
        fail_msg("document %.200s: rc %d, want %d (first problem %s: %s)", doc, rc, want_rc,
                 pr.n ? pr.p[0].key : "-", pr.n ? pr.p[0].message : "-");
    bool found = false;
    for (int i = 0; i < pr.n && !found; i++)
        found = strcmp(pr.p[i].key, key) == 0 && strstr(pr.p[i].message, want) != NULL;
    if (!found) {
        for (int i = 0; i < pr.n; i++)
            print_message("  problem %s: %s\n", pr.p[i].key, pr.p[i].message);
        fail_msg("document %.200s: no problem under '%s' containing '%s'", doc, key, want);
    }
    assert_true(pr.n >= 1 && pr.n <= IND_MAX_PROBLEMS);
    arena_free(a);
}

static void expect_edit_problem(const char *const *edits, const char *key, const char *want)
{
    char *doc = doc_with(edits);
    expect_problem(doc, strlen(doc), ERR_INVALID, key, want);
    free(doc);
}

/* "key=\"value\"" in a fresh buffer (free it). */
static char *text_edit(const char *key, const char *value, const char *suffix)
{
    size_t n = strlen(key) + strlen(value) + strlen(suffix) + 8;
    char *out = malloc(n);
    assert_non_null(out);
    int w = snprintf(out, n, "%s=\"%s%s\"", key, value, suffix);
    assert_true(w > 0 && (size_t)w < n);
    return out;
}

#define EDITS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- The standard set. ---------------------------------------------------------------------- */

static void test_standard_file(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct ind_def defs[64];
    size_t n = parse_standard_file(a, defs, 64);
    assert_int_equal(n, ARRAY_LEN(standard_codes));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(defs[i].code, standard_codes[i]);
        assert_non_null(defs[i].name_en);
        assert_non_null(defs[i].explanation_en);
        assert_non_null(defs[i].source);
        assert_int_equal(defs[i].min_n, 10);
    }
    /* Spot checks against docs/indicators.md and indicator-semantics.md. */
    const struct ind_def *d = find_def(defs, n, "jw_uitval");
    assert_int_equal(d->unit, IND_UNIT_TRAJECTORY);
    assert_int_equal(d->anchor, IND_ANCHOR_END);
    assert_int_equal(d->agg, IND_AGG_PROPORTION);
    assert_int_equal(d->polarity, IND_LOWER_BETTER);
    assert_int_equal(d->nsettings, 1);
    assert_string_equal(d->settings[0].code, "externe_redenen_in_noemer");
    assert_true(d->settings[0].is_bool);
    assert_int_equal(d->settings[0].value, 1);
    assert_string_equal(d->event, "reden_cbs = \"03\"");
    d = find_def(defs, n, "jw_zonder_hulp_verder");
    assert_string_equal(d->settings[0].code, "lichtere_hulp_telt_mee");
    assert_int_equal(d->settings[0].value, 0);
    assert_int_equal(d->quadrant, IND_BETTER_OFF);
    d = find_def(defs, n, "jw_geen_nieuwe_start_6m");
    assert_int_equal(d->follow_up_months, 6);
    assert_int_equal(d->gap_days, 1);
    d = find_def(defs, n, "jw_geen_nieuwe_start_12m");
    assert_int_equal(d->follow_up_months, 12);
    assert_int_equal(find_def(defs, n, "jw_uitval")->follow_up_months, -1);
    d = find_def(defs, n, "jw_bereik");
    assert_int_equal(d->unit, IND_UNIT_PERSON);
    assert_int_equal(d->agg, IND_AGG_RATE);
    assert_int_equal(d->age_from, 0);
    assert_int_equal(d->age_to, 17);
    d = find_def(defs, n, "wmo_bereik");
    assert_int_equal(d->age_from, 18);
    assert_int_equal(d->age_to, 104);
    d = find_def(defs, n, "wachttijd");
    assert_int_equal(d->agg, IND_AGG_MEDIAN);
    assert_int_equal(d->display, IND_SHOW_DAYS);
    assert_int_equal(d->polarity, IND_LOWER_BETTER);
    d = find_def(defs, n, "jw_tevredenheid");
    assert_int_equal(d->display, IND_SHOW_GRADE);
    assert_int_equal(d->agg, IND_AGG_MEAN);
    d = find_def(defs, n, "clienten");
    assert_int_equal(d->unit, IND_UNIT_PERSON);
    assert_int_equal(d->anchor, IND_ANCHOR_ACTIVE);
    static const char *const groups[] = {"toegang",   "toegang",   "toegang", "toegang", "toegang",
                                         "kwaliteit", "kwaliteit", "effect",  "effect",  "effect"};
    for (int i = 1; i <= 10; i++) {
        char code[24];
        snprintf(code, sizeof code, "wmo_ceo_%d", i);
        d = find_def(defs, n, code);
        assert_int_equal(d->unit, IND_UNIT_RESPONSE);
        assert_int_equal(d->anchor, IND_ANCHOR_RESPONSE);
        assert_int_equal(d->agg, IND_AGG_PROPORTION);
        assert_string_equal(d->group, groups[i - 1]);
        assert_int_equal(d->quadrant, i >= 8 ? IND_BETTER_OFF : IND_HOW_WELL);
    }
    arena_free(a);
}

static void test_standard_embedded(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct ind_def file[64], *defs = NULL;
    size_t nfile = parse_standard_file(a, file, 64), n = 0;
    struct err_ctx e = {0};
    int rc = ind_standard_set(a, &defs, &n, &e);
    if (rc)
        fail_msg("ind_standard_set: %s", e.msg);
    assert_int_equal(n, nfile);
    for (size_t i = 0; i < n; i++)
        assert_true(def_equal(&defs[i], &file[i]));
    arena_free(a);
}

/* parse(to_json(d)) == d for every standard definition, and to_json is a fixed point. */
static void test_roundtrip(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct ind_def defs[64];
    size_t n = parse_standard_file(a, defs, 64);
    for (size_t i = 0; i < n; i++) {
        const char *j1 = ind_def_to_json(&defs[i], a);
        assert_non_null(j1);
        struct ind_def back;
        struct ind_problems pr = {.n = 0};
        int rc = ind_def_parse(j1, strlen(j1), a, &back, &pr);
        if (rc)
            fail_msg("%s: %s: %s", defs[i].code, pr.n ? pr.p[0].key : "",
                     pr.n ? pr.p[0].message : "");
        assert_true(def_equal(&defs[i], &back));
        const char *j2 = ind_def_to_json(&back, a);
        assert_string_equal(j1, j2);
    }
    /* Canonical key order: versie first, instellingen last. */
    const char *j = ind_def_to_json(find_def(defs, n, "jw_uitval"), a);
    assert_true(strncmp(j, "{\n  \"versie\": 1,\n  \"code\": \"jw_uitval\"", 37) == 0);
    assert_true(strstr(j, "\"groep\"") < strstr(j, "\"instellingen\""));
    assert_non_null(strstr(j, "Uitval: eenzijdig gestopt door de cliënt")); /* UTF-8, unescaped */
    /* Optional members that are absent stay absent. */
    assert_null(strstr(j, "\"waarde\": \""));
    assert_null(strstr(j, "\"leeftijden\""));
    assert_null(strstr(j, "\"volgtermijn_maanden\""));
    arena_free(a);
}

/* ---- Compiling and running. ----------------------------------------------------------------- */

static int item_slot(void *ctx, const char *code)
{
    (void)ctx;
    int n;
    if (strncmp(code, "wmo_ceo_", 8) != 0)
        return -1;
    n = code[8] - '0';
    if (code[9] == '0' && n == 1 && !code[10])
        return 9;
    if (n < 1 || n > 9 || code[9])
        return -1;
    return n - 1;
}

static struct mx_record traj_record(const char *law, const char *cbs_reason)
{
    struct mx_record r;
    for (int i = 0; i < MX_F__COUNT; i++)
        r.v[i] = MX_NULL;
    r.answers = NULL;
    r.v[MX_F_LAW] = mx_code_pack(law, strlen(law));
    if (cbs_reason)
        r.v[MX_F_CBS_REASON] = mx_code_pack(cbs_reason, strlen(cbs_reason));
    r.v[MX_F_OPEN] = cbs_reason ? 0 : 1;
    return r;
}

static void test_compile_standard(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct ind_def defs[64];
    size_t n = parse_standard_file(a, defs, 64);
    for (size_t i = 0; i < n; i++) {
        struct ind_compiled c;
        struct ind_problems pr = {.n = 0};
        int rc = ind_compile(&defs[i], item_slot, NULL, a, &c, &pr);
        if (rc)
            fail_msg("%s: %s: %s", defs[i].code, pr.n ? pr.p[0].key : "",
                     pr.n ? pr.p[0].message : "");
        assert_non_null(c.population);
        assert_true((c.event != NULL) == (defs[i].agg == IND_AGG_PROPORTION));
        assert_true((c.value != NULL) ==
                    (defs[i].agg == IND_AGG_MEAN || defs[i].agg == IND_AGG_MEDIAN));
        assert_true(c.uses_follow_up == (defs[i].follow_up_months > 0));
        assert_true(c.uses_follow_up == (strncmp(defs[i].code, "jw_geen_nieuwe_start", 20) == 0));
    }

    /* jw_uitval with its setting: a reason 05 counts in the denominator only when it is on. */
    struct ind_def uitval = *find_def(defs, n, "jw_uitval");
    struct ind_compiled c;
    struct mx_record r03 = traj_record("jw", "03"), r05 = traj_record("jw", "05"),
                     r01 = traj_record("jw", "01"), wmo = traj_record("wmo", "03"),
                     open = traj_record("jw", NULL);
    assert_int_equal(ind_compile(&uitval, NULL, NULL, a, &c, NULL), 0);
    assert_true(expr_test(c.population, &r03));
    assert_true(expr_test(c.event, &r03));
    assert_true(expr_test(c.population, &r05));
    assert_false(expr_test(c.event, &r05));
    assert_true(expr_test(c.population, &r01));
    assert_false(expr_test(c.event, &r01));
    assert_false(expr_test(c.population, &wmo));
    assert_false(expr_test(c.population, &open));
    assert_int_equal(ind_def_set(&uitval, "externe_redenen_in_noemer", "nee"), 0);
    assert_int_equal(ind_compile(&uitval, NULL, NULL, a, &c, NULL), 0);
    assert_false(expr_test(c.population, &r05));
    assert_true(expr_test(c.population, &r03));

    /* jw_zonder_hulp_verder: 02 counts only with lichtere_hulp_telt_mee. */
    struct ind_def zhv = *find_def(defs, n, "jw_zonder_hulp_verder");
    struct mx_record z = traj_record("jw", "01");
    z.v[MX_F_WITHOUT_HELP] = mx_code_pack("02", 2);
    assert_int_equal(ind_compile(&zhv, NULL, NULL, a, &c, NULL), 0);
    assert_true(expr_test(c.population, &z));
    assert_false(expr_test(c.event, &z));
    assert_int_equal(ind_def_set(&zhv, "lichtere_hulp_telt_mee", "ja"), 0);
    assert_int_equal(ind_compile(&zhv, NULL, NULL, a, &c, NULL), 0);
    assert_true(expr_test(c.event, &z));
    z.v[MX_F_WITHOUT_HELP] = mx_code_pack("01", 2);
    assert_false(expr_test(c.event, &z));

    /* wmo_ceo_2 on answers: 0 (weet niet) leaves the denominator, 4 and 5 agree. */
    assert_int_equal(ind_compile(find_def(defs, n, "wmo_ceo_2"), item_slot, NULL, a, &c, NULL), 0);
    int64_t answers[10];
    struct mx_record resp;
    for (int i = 0; i < MX_F__COUNT; i++)
        resp.v[i] = MX_NULL;
    resp.answers = answers;
    for (int i = 0; i < 10; i++)
        answers[i] = MX_NULL;
    const int64_t vals[] = {0, 1, 3, 4, 5};
    const bool in_pop[] = {false, true, true, true, true},
               agree[] = {false, false, false, true, true};
    for (size_t k = 0; k < ARRAY_LEN(vals); k++) {
        answers[1] = vals[k];
        assert_true(expr_test(c.population, &resp) == in_pop[k]);
        assert_true(expr_test(c.event, &resp) == agree[k]);
    }
    answers[1] = MX_NULL;
    assert_false(expr_test(c.population, &resp));
    /* Without an answer_slot the response definitions cannot compile. */
    struct ind_problems pr = {.n = 0};
    assert_int_equal(ind_compile(find_def(defs, n, "wmo_ceo_2"), NULL, NULL, a, &c, &pr),
                     ERR_INVALID);
    assert_string_equal(pr.p[0].key, "populatie");

    /* wachttijd: the value program yields days, unknown stays unknown. */
    assert_int_equal(ind_compile(find_def(defs, n, "wachttijd"), NULL, NULL, a, &c, NULL), 0);
    struct mx_record w = traj_record("wmo", NULL);
    w.v[MX_F_WAIT_ASSIGNED] = 17;
    assert_true(expr_test(c.population, &w));
    assert_int_equal(expr_value(c.value, &w), 17);
    w.v[MX_F_WAIT_ASSIGNED] = -3;
    assert_false(expr_test(c.population, &w));
    w.v[MX_F_WAIT_ASSIGNED] = MX_NULL;
    assert_false(expr_test(c.population, &w));
    assert_true(expr_value(c.value, &w) == MX_NULL);
    arena_free(a);
}

/* ---- Validation. ---------------------------------------------------------------------------- */

static void test_base_is_valid(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct ind_def d;
    struct ind_problems pr = {.n = 0};
    int rc = ind_def_parse(base_doc, strlen(base_doc), a, &d, &pr);
    if (rc)
        fail_msg("%s: %s", pr.n ? pr.p[0].key : "", pr.n ? pr.p[0].message : "");
    assert_int_equal(pr.n, 0);
    assert_int_equal(d.min_n, 10); /* the default */
    assert_null(d.group);
    assert_null(d.name_en);
    assert_null(d.value);
    assert_int_equal(d.age_from, -1);
    assert_int_equal(d.follow_up_months, -1);
    /* Empty optional texts are absent, not empty. */
    char *doc = doc_with(EDITS("naam_en=\"\"", "bron=null"));
    assert_int_equal(ind_def_parse(doc, strlen(doc), a, &d, &pr), 0);
    assert_null(d.name_en);
    assert_null(d.source);
    free(doc);
    arena_free(a);
}

static void test_enum_and_key_problems(void **state)
{
    (void)state;
    expect_edit_problem(EDITS("aggregatie=\"gem\""), "aggregatie",
                        "onbekende aggregatie 'gem'; kies uit aandeel, gemiddelde, mediaan, "
                        "aantal, per_1000");
    expect_edit_problem(EDITS("eenheid=\"persoon2\""), "eenheid",
                        "kies uit traject, persoon, antwoord");
    expect_edit_problem(EDITS("anker=\"eind\""), "anker", "onbekend anker 'eind'");
    expect_edit_problem(EDITS("polariteit=\"hoog\""), "polariteit", "hoger_beter");
    expect_edit_problem(EDITS("kwadrant=\"hoeveel?\""), "kwadrant", "hoe_goed");
    expect_edit_problem(EDITS("eenheid_waarde=\"%\""), "eenheid_waarde", "procent");
    expect_edit_problem(EDITS("agregatie=\"aandeel\""), "agregatie",
                        "onbekende sleutel 'agregatie'; bedoelt u 'aggregatie'?");
    expect_edit_problem(EDITS("formule=\"x\""), "formule", "onbekende sleutel 'formule'");
    expect_edit_problem(EDITS("aggregatie=3"), "aggregatie", "moet een tekst zijn");
    expect_edit_problem(EDITS("min_n=\"10\""), "min_n", "geheel getal");
    expect_edit_problem(EDITS("min_n=0"), "min_n", "tussen 1 en");
    expect_edit_problem(EDITS("min_n=1.5"), "min_n", "geheel getal");
    expect_edit_problem(EDITS("versie=2"), "versie", "versie 1");
    expect_edit_problem(EDITS("-versie"), "versie", "ontbreekt");
    expect_edit_problem(EDITS("-naam"), "naam", "ontbreekt");
    expect_edit_problem(EDITS("-populatie"), "populatie", "ontbreekt");
    expect_edit_problem(EDITS("uitleg=\"\""), "uitleg", "mag niet leeg");
    /* A key with control characters and non-ASCII is echoed safely. */
    char *doc = doc_with(EDITS("-naam"));
    const char raw[] = "{\"versie\":1,\"na\\u0001me\\u00e9\":1}";
    expect_problem(raw, strlen(raw), ERR_INVALID, "na?me??", "onbekende sleutel");
    free(doc);
}

static void test_text_limits(void **state)
{
    (void)state;
    char big[4200], *edit;
    /* naam: 120 characters (é is 2 bytes but 1 character) is fine, 121 is not. */
    size_t off = 0;
    for (int i = 0; i < 120; i++)
        off += (size_t)snprintf(big + off, sizeof big - off, "é");
    edit = text_edit("naam", big, "");
    char *doc = doc_with(EDITS(edit));
    free(edit);
    struct arena *a = arena_new(0);
    struct ind_def d;
    struct ind_problems pr = {.n = 0};
    assert_int_equal(ind_def_parse(doc, strlen(doc), a, &d, &pr), 0);
    free(doc);
    edit = text_edit("naam", big, "x");
    expect_edit_problem(EDITS(edit), "naam", "te lang: 121 tekens, hoogstens 120");
    free(edit);
    memset(big, 'u', 2001);
    big[2001] = 0;
    edit = text_edit("uitleg", big, "");
    expect_edit_problem(EDITS(edit), "uitleg", "hoogstens 2000");
    free(edit);
    big[1001] = 0;
    edit = text_edit("bron", big, "");
    expect_edit_problem(EDITS(edit), "bron", "hoogstens 1000");
    free(edit);
    big[121] = 0;
    edit = text_edit("naam_en", big, "");
    expect_edit_problem(EDITS(edit), "naam_en", "hoogstens 120");
    free(edit);
    expect_edit_problem(EDITS("naam=\"twee\\nregels\""), "naam", "één regel");
    expect_edit_problem(EDITS("uitleg=\"bel\\u0007\""), "uitleg", "stuurtekens");
    /* The uitleg may have several lines. */
    doc = doc_with(EDITS("uitleg=\"Regel een.\\nRegel twee.\""));
    assert_int_equal(ind_def_parse(doc, strlen(doc), a, &d, &pr), 0);
    free(doc);
    /* Codes. */
    expect_edit_problem(EDITS("code=\"Uitval\""), "code", "kleine letters");
    expect_edit_problem(EDITS("code=\"u\""), "code", "2 tot 48");
    expect_edit_problem(EDITS("code=\"uit-val\""), "code", "2 tot 48");
    expect_edit_problem(EDITS("code=\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij\""),
                        "code", "2 tot 48");
    expect_edit_problem(EDITS("groep=\"Toegang\""), "groep", "kleine letter");
    /* An expression over the language's limit. */
    memset(big, 'x', 4097);
    big[4097] = 0;
    edit = text_edit("populatie", big, "");
    expect_edit_problem(EDITS(edit), "populatie", "te lang");
    free(edit);
    arena_free(a);
}

static void test_cross_field_rules(void **state)
{
    (void)state;
    expect_edit_problem(EDITS("-gebeurtenis"), "gebeurtenis", "ontbreekt");
    expect_edit_problem(EDITS("gebeurtenis=\"\""), "gebeurtenis", "ontbreekt");
    expect_edit_problem(EDITS("aggregatie=\"aantal\"", "eenheid_waarde=\"aantal\""), "gebeurtenis",
                        "alleen bij aggregatie aandeel");
    expect_edit_problem(EDITS("aggregatie=\"mediaan\"", "-gebeurtenis", "eenheid_waarde=\"dagen\""),
                        "waarde", "ontbreekt");
    expect_edit_problem(EDITS("waarde=\"doorlooptijd\""), "waarde", "gemiddelde of mediaan");
    expect_edit_problem(
        EDITS("aggregatie=\"per_1000\"", "-gebeurtenis", "eenheid_waarde=\"per_1000\""),
        "leeftijden", "ontbreekt");
    expect_edit_problem(EDITS("leeftijden={\"van\": 0, \"tot_en_met\": 17}"), "leeftijden",
                        "alleen bij aggregatie per_1000");
    expect_edit_problem(EDITS("aggregatie=\"per_1000\"", "-gebeurtenis",
                              "eenheid_waarde=\"per_1000\"",
                              "leeftijden={\"van\": 18, \"tot_en_met\": 17}"),
                        "leeftijden.tot_en_met", "minstens");
    expect_edit_problem(EDITS("aggregatie=\"per_1000\"", "-gebeurtenis",
                              "eenheid_waarde=\"per_1000\"",
                              "leeftijden={\"van\": 0, \"tot\": 17}"),
                        "leeftijden.tot", "bedoelt u 'tot_en_met'");
    expect_edit_problem(EDITS("aggregatie=\"per_1000\"", "-gebeurtenis",
                              "eenheid_waarde=\"per_1000\"", "leeftijden=[0, 17]"),
                        "leeftijden", "moet een object zijn");
    expect_edit_problem(EDITS("anker=\"antwoord\""), "anker", "alleen bij eenheid antwoord");
    expect_edit_problem(EDITS("eenheid=\"antwoord\""), "anker", "hoort anker antwoord");
    expect_edit_problem(EDITS("eenheid=\"persoon\""), "aggregatie", "alleen aantal of per_1000");
    expect_edit_problem(EDITS("eenheid_waarde=\"cijfer\""), "eenheid_waarde",
                        "past niet bij aggregatie aandeel");
    /* Follow-up: needed iff an expression uses nieuwe_start / volgtermijn_verstreken. */
    expect_edit_problem(EDITS("gebeurtenis=\"niet nieuwe_start\""), "volgtermijn_maanden",
                        "nieuwe_start");
    expect_edit_problem(EDITS("populatie=\"volgtermijn_verstreken\""), "volgtermijn_maanden",
                        "ontbreekt");
    expect_edit_problem(EDITS("volgtermijn_maanden=6", "tussenruimte_dagen=1"),
                        "volgtermijn_maanden", "hoort alleen");
    expect_edit_problem(EDITS("gebeurtenis=\"niet nieuwe_start\"", "volgtermijn_maanden=6"),
                        "tussenruimte_dagen", "horen samen");
    expect_edit_problem(EDITS("gebeurtenis=\"niet nieuwe_start\"", "volgtermijn_maanden=61",
                              "tussenruimte_dagen=1"),
                        "volgtermijn_maanden", "tussen 1 en 60");
    expect_edit_problem(EDITS("gebeurtenis=\"niet nieuwe_start\"", "volgtermijn_maanden=6",
                              "tussenruimte_dagen=366"),
                        "tussenruimte_dagen", "tussen 0 en 365");
    char *doc = doc_with(EDITS("gebeurtenis=\"niet nieuwe_start\"", "volgtermijn_maanden=6",
                               "tussenruimte_dagen=0"));
    struct arena *a = arena_new(0);
    struct ind_def d;
    struct ind_problems pr = {.n = 0};
    assert_int_equal(ind_def_parse(doc, strlen(doc), a, &d, &pr), 0);
    assert_int_equal(d.follow_up_months, 6);
    assert_int_equal(d.gap_days, 0);
    free(doc);
    arena_free(a);
}

static void test_expression_problems(void **state)
{
    (void)state;
    /* The expression's own reason, under the key of the expression, with the column. */
    expect_edit_problem(EDITS("populatie=\"wet = \\\"jw\\\" en reden = \\\"03\\\"\""), "populatie",
                        "kolom 15");
    expect_edit_problem(EDITS("gebeurtenis=\"reden_cbs = \""), "gebeurtenis", "kolom");
    expect_edit_problem(EDITS("populatie=\"$onbekend\""), "populatie", "onbekend");
    expect_edit_problem(EDITS("populatie=\"antwoord(\\\"wmo_ceo_1\\\") >= 4\""), "populatie",
                        "eenheid antwoord");
    expect_edit_problem(EDITS("populatie=\"doorlooptijd\""), "populatie", "kolom");
    /* A response definition may name any well-formed item. */
    char *doc =
        doc_with(EDITS("eenheid=\"antwoord\"", "anker=\"antwoord\"",
                       "populatie=\"antwoord(\\\"eigen_vraag_7\\\") tussen 1 en 5\"",
                       "gebeurtenis=\"antwoord(\\\"eigen_vraag_7\\\") >= 4\"", "-instellingen"));
    struct arena *a = arena_new(0);
    struct ind_def d;
    struct ind_problems pr = {.n = 0};
    int rc = ind_def_parse(doc, strlen(doc), a, &d, &pr);
    if (rc)
        fail_msg("%s: %s", pr.n ? pr.p[0].key : "", pr.n ? pr.p[0].message : "");
    free(doc);
    expect_edit_problem(EDITS("eenheid=\"antwoord\"", "anker=\"antwoord\"",
                              "populatie=\"antwoord(\\\"Vraag 7\\\") tussen 1 en 5\""),
                        "populatie", "kolom");
    arena_free(a);
}

static void test_settings_problems(void **state)
{
    (void)state;
    expect_edit_problem(EDITS("instellingen={}"), "instellingen", "lijst");
    expect_edit_problem(EDITS("instellingen=[1]"), "instellingen[0]", "object");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"extern\", \"label\": \"E\", \"soort\": "
                              "\"ja_nee\", \"waarde\": 1}]"),
                        "instellingen[0].waarde", "true of false");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"extern\", \"label\": \"E\", \"soort\": "
                              "\"getal\", \"waarde\": true}]"),
                        "instellingen[0].waarde", "geheel getal");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"extern\", \"label\": \"E\", \"soort\": "
                              "\"keuze\", \"waarde\": true}]"),
                        "instellingen[0].soort", "kies uit ja_nee, getal");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"extern\", \"label\": \"E\", \"soort\": "
                              "\"ja_nee\", \"waarde\": true, \"standaard\": true}]"),
                        "instellingen[0].standaard", "onbekende sleutel");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"extern\", \"label\": \"E\", \"soort\": "
                              "\"ja_nee\", \"waarde\": true}, {\"code\": \"extern\", \"label\": "
                              "\"F\", \"soort\": \"ja_nee\", \"waarde\": false}]"),
                        "instellingen[1].code", "al eerder");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"1extern\", \"label\": \"E\", \"soort\": "
                              "\"ja_nee\", \"waarde\": true}]"),
                        "instellingen[0].code", "kleine letter");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"extern\", \"soort\": \"ja_nee\", "
                              "\"waarde\": true}]"),
                        "instellingen[0].label", "ontbreekt");
    expect_edit_problem(EDITS("instellingen=[{\"code\": \"extern\", \"label\": \"E\", \"soort\": "
                              "\"getal\", \"waarde\": 1000000000}]"),
                        "instellingen[0].waarde", "tussen 0 en 999999999");
    /* A setting the expression uses but that is missing. */
    expect_edit_problem(EDITS("-instellingen"), "populatie", "extern");
    /* More than IND_MAX_SETTINGS. */
    char arr[2048];
    size_t off = (size_t)snprintf(arr, sizeof arr, "instellingen=[");
    for (int i = 0; i <= IND_MAX_SETTINGS; i++)
        off += (size_t)snprintf(arr + off, sizeof arr - off,
                                "%s{\"code\": \"s%d\", \"label\": \"S\", \"soort\": \"getal\", "
                                "\"waarde\": %d}",
                                i ? "," : "", i, i);
    snprintf(arr + off, sizeof arr - off, "]");
    expect_edit_problem(EDITS(arr), "instellingen", "hoogstens 8");
}

static void test_hostile_documents(void **state)
{
    (void)state;
    const char dup[] = "{\"versie\": 1, \"code\": \"a1\", \"code\": \"b2\"}";
    expect_problem(dup, strlen(dup), ERR_INVALID, "", "twee keer");
    expect_problem("[]", 2, ERR_INVALID, "", "JSON-object");
    expect_problem("\"x\"", 3, ERR_INVALID, "", "geen geldige JSON");
    expect_problem("{\"versie\": 1,", 13, ERR_INVALID, "", "geen geldige JSON");
    expect_problem("", 0, ERR_INVALID, "", "geen geldige JSON");
    const char bad_utf8[] = "{\"versie\": 1, \"naam\": \"\xc3\x28\"}";
    expect_problem(bad_utf8, strlen(bad_utf8), ERR_INVALID, "", "geen geldige JSON");
    const char nul[] = "{\"versie\": 1, \"naam\": \"a\\u0000b\"}";
    expect_problem(nul, strlen(nul), ERR_INVALID, "", "geen geldige JSON");
    /* Everything missing: many problems, capped. */
    struct arena *a = arena_new(0);
    struct ind_def d;
    struct ind_problems pr = {.n = 0};
    assert_int_equal(ind_def_parse("{}", 2, a, &d, &pr), ERR_INVALID);
    assert_true(pr.n >= 8 && pr.n <= IND_MAX_PROBLEMS);
    /* Many unknown keys: the list stops at IND_MAX_PROBLEMS. */
    char many[4096];
    size_t off = (size_t)snprintf(many, sizeof many, "{");
    for (int i = 0; i < 40; i++)
        off += (size_t)snprintf(many + off, sizeof many - off, "%s\"k%d\": %d", i ? "," : "", i, i);
    snprintf(many + off, sizeof many - off, "}");
    assert_int_equal(ind_def_parse(many, strlen(many), a, &d, &pr), ERR_INVALID);
    assert_int_equal(pr.n, IND_MAX_PROBLEMS);
    /* Over the size limit. */
    size_t big = IND_MAX_JSON + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    assert_int_equal(ind_def_parse(huge, big, a, &d, &pr), ERR_TOO_BIG);
    free(huge);
    /* Deep nesting does not crash. */
    char deep[8192];
    memset(deep, '[', 4000);
    memset(deep + 4000, ']', 4000);
    deep[8000] = 0;
    assert_int_equal(ind_def_parse(deep, 8000, a, &d, &pr), ERR_INVALID);
    /* A NULL problem list is allowed. */
    assert_int_equal(ind_def_parse("{}", 2, a, &d, NULL), ERR_INVALID);
    arena_free(a);
}

static void test_def_set(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct ind_def d;
    const char doc[] =
        "{\"versie\": 1, \"code\": \"wacht\", \"naam\": \"Wacht\", \"uitleg\": \"U.\", "
        "\"eenheid\": \"traject\", \"anker\": \"start\", \"aggregatie\": \"aandeel\", "
        "\"populatie\": \"bekend(wachttijd)\", \"gebeurtenis\": \"wachttijd <= $norm\", "
        "\"polariteit\": \"hoger_beter\", \"kwadrant\": \"hoe_goed\", \"eenheid_waarde\": "
        "\"procent\", \"instellingen\": [{\"code\": \"norm\", \"label\": \"Norm in dagen\", "
        "\"soort\": \"getal\", \"waarde\": 42}, {\"code\": \"b\", \"label\": \"B\", \"soort\": "
        "\"ja_nee\", \"waarde\": false}]}";
    struct ind_problems pr = {.n = 0};
    int rc = ind_def_parse(doc, strlen(doc), a, &d, &pr);
    if (rc)
        fail_msg("%s: %s", pr.n ? pr.p[0].key : "", pr.n ? pr.p[0].message : "");
    assert_int_equal(ind_def_set(&d, "norm", "28"), 0);
    assert_int_equal(d.settings[0].value, 28);
    assert_int_equal(ind_def_set(&d, "norm", "ja"), ERR_INVALID);
    assert_int_equal(ind_def_set(&d, "norm", "-1"), ERR_INVALID);
    assert_int_equal(ind_def_set(&d, "norm", "1000000000"), ERR_INVALID);
    assert_int_equal(ind_def_set(&d, "norm", ""), ERR_INVALID);
    assert_int_equal(ind_def_set(&d, "norm", "12x"), ERR_INVALID);
    assert_int_equal(d.settings[0].value, 28);
    assert_int_equal(ind_def_set(&d, "b", "true"), 0);
    assert_int_equal(d.settings[1].value, 1);
    assert_int_equal(ind_def_set(&d, "b", "nee"), 0);
    assert_int_equal(d.settings[1].value, 0);
    assert_int_equal(ind_def_set(&d, "b", "1"), ERR_INVALID);
    assert_int_equal(ind_def_set(&d, "c", "ja"), ERR_NOT_FOUND);
    /* The changed value survives the round trip and reaches the program. */
    const char *j = ind_def_to_json(&d, a);
    struct ind_def back;
    assert_int_equal(ind_def_parse(j, strlen(j), a, &back, &pr), 0);
    assert_int_equal(back.settings[0].value, 28);
    struct ind_compiled c;
    assert_int_equal(ind_compile(&back, NULL, NULL, a, &c, NULL), 0);
    struct mx_record r = traj_record("jw", NULL);
    r.v[MX_F_WAIT_ASSIGNED] = 28;
    assert_true(expr_test(c.event, &r));
    r.v[MX_F_WAIT_ASSIGNED] = 29;
    assert_false(expr_test(c.event, &r));
    arena_free(a);
}

static void test_codes(void **state)
{
    (void)state;
    assert_string_equal(ind_unit_code(IND_UNIT_RESPONSE), "antwoord");
    assert_string_equal(ind_anchor_code(IND_ANCHOR_ACTIVE), "actief");
    assert_string_equal(ind_agg_code(IND_AGG_RATE), "per_1000");
    assert_string_equal(ind_polarity_code(IND_NEUTRAL), "neutraal");
    assert_string_equal(ind_quadrant_code(IND_BETTER_OFF), "beter_af");
    assert_string_equal(ind_display_code(IND_SHOW_GRADE), "cijfer");
    assert_string_equal(ind_quadrant_label(IND_HOW_MUCH), "Hoeveel doen we?");
    assert_string_equal(ind_quadrant_label(IND_BETTER_OFF), "Is iemand er beter van geworden?");
    assert_string_equal(ind_agg_code((enum ind_agg)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_file),
        cmocka_unit_test(test_standard_embedded),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_compile_standard),
        cmocka_unit_test(test_base_is_valid),
        cmocka_unit_test(test_enum_and_key_problems),
        cmocka_unit_test(test_text_limits),
        cmocka_unit_test(test_cross_field_rules),
        cmocka_unit_test(test_expression_problems),
        cmocka_unit_test(test_settings_problems),
        cmocka_unit_test(test_hostile_documents),
        cmocka_unit_test(test_def_set),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
