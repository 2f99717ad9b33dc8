/*
 * test_expr.c: the indicator expression language (metrics/expr*.c, metrics/fields.c).
 * The field catalogue and code packing; every expression of the standard set
 * (data/indicatoren/standaard.json, docs/indicators.md) compiles, from the shipped file too,
 * and agrees with a hand-written C version of it on generated records; type, name, unit and code
 * errors with their Dutch message and column; the limits; truth tables including unknown values;
 * settings folded at compile time; the round trip through expr_format; hostile text. Prints ns per
 * evaluation (not asserted).
 */
#include "metrics/expr.h"
#include "core/common.h"
#include "core/rng.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/codelist.h"
#include <jansson.h>
#include <setjmp.h>
#include <time.h>
#include <cmocka.h>

static struct arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(64u << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    A = NULL;
    return 0;
}

static int64_t P(const char *s)
{
    return mx_code_pack(s, strlen(s));
}

static int64_t LC(enum mx_code_list l, const char *s)
{
    return mx_code_pack_list(l, s, strlen(s));
}

static day_t D(const char *iso)
{
    day_t d = DAY_NONE;
    assert_int_equal(str_parse_date_iso(str_from(iso), &d), 0);
    return d;
}

/* ---- Environments. ---- */

static const struct expr_setting standard_settings[] = {
    {"externe_redenen_in_noemer", true, 1},
    {"lichtere_hulp_telt_mee", true, 0},
    {"drempel", false, 42},
};

static int answer_slot(void *ctx, const char *code)
{
    (void)ctx;
    int64_t n;
    if (strncmp(code, "wmo_ceo_", 8) == 0 && !str_parse_i64_c(code + 8, 1, 10, &n))
        return (int)n - 1;
    return -1;
}

static const struct expr_compile_env ENV_TRAJ = {
    .unit = MX_UNIT_TRAJECTORY,
    .settings = standard_settings,
    .nsettings = ARRAY_LEN(standard_settings),
};

static const struct expr_compile_env ENV_RESP = {
    .unit = MX_UNIT_RESPONSE,
    .settings = standard_settings,
    .nsettings = ARRAY_LEN(standard_settings),
    .answer_slot = answer_slot,
};

static struct expr_prog *compile_env(const char *text, enum expr_want want,
                                     const struct expr_compile_env *env)
{
    struct expr_prog *p = NULL;
    struct expr_error err;
    int rc = expr_compile(text, strlen(text), want, env, A, &p, &err);
    if (rc)
        fail_msg("'%s' does not compile (%d): %s", text, rc, err.message);
    assert_non_null(p);
    return p;
}

static struct expr_prog *cb(const char *text)
{
    return compile_env(text, EXPR_WANT_BOOL, &ENV_TRAJ);
}

/* ---- Records. ---- */

static void rec_init(struct mx_record *r)
{
    for (int i = 0; i < MX_F__COUNT; i++)
        r->v[i] = MX_NULL;
    r->answers = NULL;
}

/* A random trajectory/response record in which every field is unknown one time in five. */
static void rec_random(struct rng *g, struct mx_record *r, int64_t *answers)
{
    static const char *const laws[] = {"jw", "wmo"};
    static const char *const cbs[] = {"01", "02", "03", "04", "05"};
    static const char *const zhv[] = {"01", "02", "03", "04"};
    static const char *const gems[] = {"0344", "0363", "0307"};
    static const char *const jz[] = {"02", "20", "31", "32", "33", "34", "35", "38"};
    rec_init(r);
    for (int f = 0; f < MX_F__COUNT; f++) {
        if (rng_below(g, 5) == 0)
            continue;
        int64_t v;
        switch ((enum mx_field)f) {
        case MX_F_LAW:
            v = P(laws[rng_below(g, 2)]);
            break;
        case MX_F_GEMEENTE:
            v = P(gems[rng_below(g, 3)]);
            break;
        case MX_F_CBS_REASON:
            v = P(cbs[rng_below(g, 5)]);
            break;
        case MX_F_WITHOUT_HELP:
        case MX_F_WITHOUT_HELP_CLIENT:
        case MX_F_WITHOUT_HELP_PARENT:
            v = P(zhv[rng_below(g, 4)]);
            break;
        case MX_F_END_REASON:
            v = LC(rng_below(g, 2) ? MX_LIST_JZ588 : MX_LIST_WMO588, jz[rng_below(g, 8)]);
            break;
        case MX_F_OPEN:
        case MX_F_TEMP_STOPPED:
        case MX_F_NO_ASSIGNMENT:
        case MX_F_REGISTRATION:
        case MX_F_NEW_START:
        case MX_F_FOLLOW_UP_ELAPSED:
            v = (int64_t)rng_below(g, 2);
            break;
        case MX_F_START:
        case MX_F_END:
        case MX_F_RESPONSE_DATE:
            v = D("2020-01-01") + (int64_t)rng_below(g, 2000);
            break;
        case MX_F_SATISFACTION:
        case MX_F_SATISFACTION_CLIENT:
        case MX_F_SATISFACTION_PARENT:
            v = 1 + (int64_t)rng_below(g, 10);
            break;
        case MX_F_GOAL:
            v = (int64_t)rng_below(g, 101);
            break;
        case MX_F_AGE:
            v = (int64_t)rng_below(g, 100);
            break;
        case MX_F_DURATION:
        case MX_F_WAIT_ASSIGNED:
        case MX_F_WAIT_REQUESTED:
            v = (int64_t)rng_below(g, 800) - 20;
            break;
        default:
            v = P(rng_below(g, 2) ? "01" : "02");
            break;
        }
        r->v[f] = v;
    }
    if (answers) {
        for (int i = 0; i < 10; i++)
            answers[i] = rng_below(g, 6) == 0 ? MX_NULL : (int64_t)rng_below(g, 6);
        r->answers = answers;
    }
}

/* ---- Catalogue and packing. ---- */

static void test_catalogue(void **state)
{
    (void)state;
    static const char *const names[] = {"wet",
                                        "gemeente",
                                        "categorie",
                                        "geslacht",
                                        "leeftijd",
                                        "hulpvorm",
                                        "product",
                                        "reden_einde",
                                        "reden_cbs",
                                        "verwijzer",
                                        "start",
                                        "einde",
                                        "open",
                                        "tijdelijk_gestopt",
                                        "zonder_toewijzing",
                                        "uit_registratie",
                                        "doorlooptijd",
                                        "wachttijd",
                                        "wachttijd_aanvraag",
                                        "tevredenheid",
                                        "tevredenheid_jeugdige",
                                        "tevredenheid_ouder",
                                        "zonder_hulp",
                                        "zonder_hulp_jeugdige",
                                        "zonder_hulp_ouder",
                                        "doelrealisatie",
                                        "nieuwe_start",
                                        "volgtermijn_verstreken",
                                        "datum_antwoord"};
    assert_int_equal(ARRAY_LEN(names), MX_F__COUNT);
    const struct mx_field_info *fs = mx_fields();
    for (int i = 0; i < MX_F__COUNT; i++) {
        assert_int_equal(fs[i].field, i);
        assert_string_equal(fs[i].name, names[i]);
        assert_true(fs[i].help && strlen(fs[i].help) > 10);
        assert_true(fs[i].units != 0);
        assert_ptr_equal(mx_field_find(names[i], strlen(names[i])), &fs[i]);
    }
    assert_ptr_equal(mx_field_find("WET", 3), &fs[MX_F_LAW]);
    assert_null(mx_field_find("we", 2));
    assert_null(mx_field_find("wett", 4));
    assert_null(mx_field_find("", 0));
    assert_null(mx_field_find(NULL, 0));
    /* Common fields exist for both units; outcome fields for trajectories only. */
    unsigned both = MX_UNIT_TRAJECTORY | MX_UNIT_RESPONSE;
    assert_int_equal(fs[MX_F_LAW].units, both);
    assert_int_equal(fs[MX_F_GEMEENTE].units, both);
    assert_int_equal(fs[MX_F_AGE].units, both);
    assert_int_equal(fs[MX_F_GENDER].units, both);
    assert_int_equal(fs[MX_F_SATISFACTION].units, MX_UNIT_TRAJECTORY);
    assert_int_equal(fs[MX_F_RESPONSE_DATE].units, MX_UNIT_RESPONSE);
    assert_int_equal(fs[MX_F_END_REASON].type, MX_T_LISTCODE);
    assert_int_equal(fs[MX_F_START].type, MX_T_DAY);
    assert_int_equal(fs[MX_F_NEW_START].type, MX_T_BOOL);
}

static void test_code_pack(void **state)
{
    (void)state;
    static const char *const codes[] = {"03", "jw", "wmo", "0344", "1234567", "a", "45A01"};
    char out[8];
    for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
        int64_t v = P(codes[i]);
        assert_true(v != MX_NULL && v > 0);
        assert_int_equal(mx_code_unpack(v, out), MX_LIST_NONE);
        assert_string_equal(out, codes[i]);
        for (size_t j = 0; j < ARRAY_LEN(codes); j++)
            assert_true((P(codes[j]) == v) == (i == j));
    }
    assert_true(P("") == MX_NULL);
    assert_true(mx_code_pack(NULL, 3) == MX_NULL);
    assert_true(mx_code_pack_list(MX_LIST_JZ588, "", 0) == MX_NULL);
    /* "3" and "03" differ; longer codes keep their first 7 bytes. */
    assert_true(P("3") != P("03"));
    assert_true(P("12345678") == P("1234567"));
    /* JZ588 32 (eenzijdig door client) is not WMO588 32, and neither is the plain code. */
    int64_t j = LC(MX_LIST_JZ588, "32"), w = LC(MX_LIST_WMO588, "32");
    assert_true(j != w && j != P("32") && w != P("32"));
    assert_int_equal(mx_code_unpack(j, out), MX_LIST_JZ588);
    assert_string_equal(out, "32");
    assert_int_equal(mx_code_unpack(w, out), MX_LIST_WMO588);
    assert_string_equal(out, "32");
    assert_int_equal(mx_code_unpack(MX_NULL, out), MX_LIST_NONE);
    assert_string_equal(out, "");
}

/* ---- The standard set. ---- */

struct std_expr {
    const char *code;
    enum expr_want want;
    bool response;
    const char *text;
};

static const struct std_expr standard[] = {
    {"uitval.pop", EXPR_WANT_BOOL, false,
     "wet = \"jw\" en reden_cbs in (\"01\",\"02\",\"03\",\"04\",\"05\") en "
     "($externe_redenen_in_noemer of reden_cbs != \"05\")"},
    {"uitval.event", EXPR_WANT_BOOL, false, "reden_cbs = \"03\""},
    {"eenzijdig_aanbieder.event", EXPR_WANT_BOOL, false, "reden_cbs = \"04\""},
    {"volgens_plan.event", EXPR_WANT_BOOL, false, "reden_cbs = \"01\""},
    {"tevredenheid.pop", EXPR_WANT_BOOL, false, "wet = \"jw\" en bekend(tevredenheid)"},
    {"tevredenheid.value", EXPR_WANT_INT, false, "tevredenheid"},
    {"zonder_hulp.pop", EXPR_WANT_BOOL, false, "wet = \"jw\" en bekend(zonder_hulp)"},
    {"zonder_hulp.event", EXPR_WANT_BOOL, false,
     "zonder_hulp in (\"03\",\"04\") of ($lichtere_hulp_telt_mee en zonder_hulp = \"02\")"},
    {"nieuwe_start.pop", EXPR_WANT_BOOL, false, "wet = \"jw\" en volgtermijn_verstreken"},
    {"nieuwe_start.event", EXPR_WANT_BOOL, false, "niet nieuwe_start"},
    {"doelrealisatie.pop", EXPR_WANT_BOOL, false, "wet = \"jw\" en bekend(doelrealisatie)"},
    {"doelrealisatie.value", EXPR_WANT_INT, false, "doelrealisatie"},
    {"clienten.pop", EXPR_WANT_BOOL, false, "waar"},
    {"jw_bereik.pop", EXPR_WANT_BOOL, false, "wet = \"jw\""},
    {"wmo_bereik.pop", EXPR_WANT_BOOL, false, "wet = \"wmo\""},
    {"doorlooptijd.pop", EXPR_WANT_BOOL, false, "niet open"},
    {"doorlooptijd.value", EXPR_WANT_INT, false, "doorlooptijd"},
    {"wachttijd.pop", EXPR_WANT_BOOL, false, "bekend(wachttijd) en wachttijd >= 0"},
    {"wachttijd.value", EXPR_WANT_INT, false, "wachttijd"},
    {"ceo.pop", EXPR_WANT_BOOL, true, "antwoord(\"wmo_ceo_1\") tussen 1 en 5"},
    {"ceo.event", EXPR_WANT_BOOL, true, "antwoord(\"wmo_ceo_1\") >= 4"},
    {"ceo5.pop", EXPR_WANT_BOOL, true, "antwoord(\"wmo_ceo_5\") in (1, 2)"},
    {"ceo5.event", EXPR_WANT_BOOL, true, "antwoord(\"wmo_ceo_5\") = 1"},
};

static bool is_p(const struct mx_record *r, enum mx_field f, const char *code)
{
    return r->v[f] != MX_NULL && r->v[f] == P(code);
}

/* The standard expressions written out in C, as the oracle for the compiled programs. */
static int64_t reference(size_t i, const struct mx_record *r, bool ext, bool lighter)
{
    const int64_t *v = r->v;
    bool jw = is_p(r, MX_F_LAW, "jw");
    bool cbs15 = false;
    for (int k = 1; k <= 5; k++) {
        char c[3] = {'0', (char)('0' + k), 0};
        cbs15 |= is_p(r, MX_F_CBS_REASON, c);
    }
    int64_t a1 = r->answers[0], a5 = r->answers[4];
    switch (i) {
    case 0:
        return jw && cbs15 &&
               (ext || (v[MX_F_CBS_REASON] != MX_NULL && v[MX_F_CBS_REASON] != P("05")));
    case 1:
        return is_p(r, MX_F_CBS_REASON, "03");
    case 2:
        return is_p(r, MX_F_CBS_REASON, "04");
    case 3:
        return is_p(r, MX_F_CBS_REASON, "01");
    case 4:
        return jw && v[MX_F_SATISFACTION] != MX_NULL;
    case 5:
        return v[MX_F_SATISFACTION];
    case 6:
        return jw && v[MX_F_WITHOUT_HELP] != MX_NULL;
    case 7:
        return is_p(r, MX_F_WITHOUT_HELP, "03") || is_p(r, MX_F_WITHOUT_HELP, "04") ||
               (lighter && is_p(r, MX_F_WITHOUT_HELP, "02"));
    case 8:
        return jw && v[MX_F_FOLLOW_UP_ELAPSED] == 1;
    case 9: /* unknown stays unknown under 'niet': the row does not pass */
        return v[MX_F_NEW_START] == 0;
    case 10:
        return jw && v[MX_F_GOAL] != MX_NULL;
    case 11:
        return v[MX_F_GOAL];
    case 12:
        return 1;
    case 13:
        return jw;
    case 14:
        return is_p(r, MX_F_LAW, "wmo");
    case 15:
        return v[MX_F_OPEN] == 0;
    case 16:
        return v[MX_F_DURATION];
    case 17:
        return v[MX_F_WAIT_ASSIGNED] != MX_NULL && v[MX_F_WAIT_ASSIGNED] >= 0;
    case 18:
        return v[MX_F_WAIT_ASSIGNED];
    case 19:
        return a1 != MX_NULL && a1 >= 1 && a1 <= 5;
    case 20:
        return a1 != MX_NULL && a1 >= 4;
    case 21:
        return a5 == 1 || a5 == 2;
    case 22:
        return a5 == 1;
    }
    fail();
    return 0;
}

static void test_standard_set(void **state)
{
    (void)state;
    struct expr_setting s[ARRAY_LEN(standard_settings)];
    memcpy(s, standard_settings, sizeof s);
    struct expr_compile_env tenv = ENV_TRAJ, renv = ENV_RESP;
    tenv.settings = renv.settings = s;
    struct rng g;
    rng_seed(&g, 4);
    int64_t answers[10];
    for (int variant = 0; variant < 4; variant++) {
        s[0].value = variant & 1;
        s[1].value = (variant >> 1) & 1;
        struct expr_prog *progs[ARRAY_LEN(standard)];
        for (size_t i = 0; i < ARRAY_LEN(standard); i++)
            progs[i] = compile_env(standard[i].text, standard[i].want,
                                   standard[i].response ? &renv : &tenv);
        size_t passed[ARRAY_LEN(standard)] = {0};
        for (int n = 0; n < 20000; n++) {
            struct mx_record r;
            rec_random(&g, &r, answers);
            for (size_t i = 0; i < ARRAY_LEN(standard); i++) {
                int64_t want = reference(i, &r, s[0].value, s[1].value);
                if (standard[i].want == EXPR_WANT_BOOL) {
                    bool got = expr_test(progs[i], &r);
                    if (got != (want != 0))
                        fail_msg("%s (variant %d): got %d, want %d", standard[i].code, variant, got,
                                 (int)want);
                    passed[i] += got;
                } else {
                    assert_true(expr_value(progs[i], &r) == want);
                }
            }
        }
        /* Every filter both passes and rejects rows, so none of them is trivially right. */
        for (size_t i = 0; i < ARRAY_LEN(standard); i++)
            if (standard[i].want == EXPR_WANT_BOOL && i != 12)
                assert_true(passed[i] > 0 && passed[i] < 20000);
    }
}

/* The shipped file itself: every expression compiles with the definition's own settings and
 * canonical text round-trips. */
static void test_shipped_file(void **state)
{
    (void)state;
    json_error_t je;
    json_t *root = json_load_file(TEST_SOURCE_DIR "/data/indicatoren/standaard.json", 0, &je);
    if (!root)
        fail_msg("standaard.json: %s (line %d)", je.text, je.line);
    assert_true(json_is_array(root) && json_array_size(root) >= 25);
    size_t i, compiled = 0;
    json_t *def;
    json_array_foreach(root, i, def)
    {
        const char *code = json_string_value(json_object_get(def, "code"));
        bool response = json_is_string(json_object_get(def, "eenheid")) &&
                        strcmp(json_string_value(json_object_get(def, "eenheid")), "antwoord") == 0;
        struct expr_setting s[8];
        size_t ns = 0, k;
        json_t *st;
        json_array_foreach(json_object_get(def, "instellingen"), k, st)
        {
            assert_true(ns < ARRAY_LEN(s));
            json_t *v = json_object_get(st, "waarde");
            s[ns].name = json_string_value(json_object_get(st, "code"));
            s[ns].is_bool = json_is_boolean(v);
            s[ns].value = json_is_boolean(v) ? json_is_true(v) : json_integer_value(v);
            ns++;
        }
        struct expr_compile_env env = response ? ENV_RESP : ENV_TRAJ;
        env.settings = s;
        env.nsettings = ns;
        static const char *const keys[] = {"populatie", "gebeurtenis", "waarde"};
        for (size_t j = 0; j < ARRAY_LEN(keys); j++) {
            const char *text = json_string_value(json_object_get(def, keys[j]));
            if (!text)
                continue;
            struct expr_prog *p = NULL, *q = NULL;
            struct expr_error err;
            enum expr_want want = j == 2 ? EXPR_WANT_INT : EXPR_WANT_BOOL;
            if (expr_compile(text, strlen(text), want, &env, A, &p, &err))
                fail_msg("%s.%s: %s", code, keys[j], err.message);
            const char *f = expr_format(p, A);
            assert_int_equal(expr_compile(f, strlen(f), want, &env, A, &q, &err), 0);
            assert_string_equal(expr_format(q, A), f);
            compiled++;
        }
    }
    assert_true(compiled >= 25 + 10); /* every populatie, plus events and values */
    json_decref(root);
}

/* ---- Errors. ---- */

struct bad {
    const char *text;
    enum expr_want want;
    const struct expr_compile_env *env;
    int rc;
    int column;
    const char *message; /* the whole message, or a part of it after '~' */
};

static const struct bad bads[] = {
    /* Names. */
    {"niet open en reden = \"03\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 14,
     "kolom 14: onbekend veld 'reden'; bedoelt u 'reden_cbs'?"},
    {"tevredenhied >= 7", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "kolom 1: onbekend veld 'tevredenhied'; bedoelt u 'tevredenheid'?"},
    {"wte = \"jw\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "kolom 1: onbekend veld 'wte'; bedoelt u 'wet'?"},
    {"wet = jw", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7,
     "kolom 7: 'jw' is geen veld; bedoelt u de code \"jw\" tussen aanhalingstekens?"},
    {"externe_redenen_in_noemer", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "~bedoelt u de instelling '$externe_redenen_in_noemer'?"},
    {"$externe_reden", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "kolom 1: onbekende instelling '$externe_reden'; bedoelt u '$externe_redenen_in_noemer'?"},
    {"$x", EXPR_WANT_BOOL, NULL, ERR_INVALID, 1,
     "kolom 1: onbekende instelling '$x'; deze definitie heeft geen instellingen"},
    {"som(leeftijd) > 3", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "~onbekende functie 'som'"},
    /* Types. */
    {"wet in (1, 2)", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9,
     "kolom 9: 'wet' is een code; vergelijk met een tekst tussen aanhalingstekens, zoals \"jw\""},
    {"reden_cbs = 3", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 13,
     "kolom 13: 'reden_cbs' is een code; vergelijk met een tekst tussen aanhalingstekens, "
     "zoals \"03\""},
    {"leeftijd >= \"18\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 13,
     "~'leeftijd' is een getal; vergelijk met een getal zonder aanhalingstekens"},
    {"reden_einde = \"32\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 15,
     "~'reden_einde' is een code uit lijst JZ588 of WMO588"},
    {"reden_cbs < \"03\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 11,
     "~codes kunt u alleen vergelijken met = of !="},
    {"open > waar", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 6, "~alleen vergelijken met = of !="},
    {"leeftijd", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "~hier hoort een voorwaarde (waar of onwaar), maar 'leeftijd' is een getal"},
    {"wet", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "~bedoelt u bijvoorbeeld wet = \"jw\""},
    {"open", EXPR_WANT_INT, &ENV_TRAJ, ERR_INVALID, 1,
     "kolom 1: hier hoort een getal, maar 'open' is waar of onwaar"},
    {"einde", EXPR_WANT_INT, &ENV_TRAJ, ERR_INVALID, 1, "~reken het aantal dagen uit"},
    {"leeftijd en open", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "~'leeftijd' is een getal, geen voorwaarde; 'en' werkt met voorwaarden"},
    {"niet tevredenheid", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 6, "~geen voorwaarde; 'niet'"},
    {"wet + 1 = 2", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "~rekenen kan alleen met getallen en datums; 'wet' is een code"},
    {"start * 2 > 3", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7, "~alleen optellen en aftrekken"},
    {"start + einde > 3", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7, "~twee datums optellen"},
    {"einde - start > \"2024-01-01\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 17, "~is een getal"},
    {"start > 5", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9, "~'start' is een datum"},
    {"start > \"2024-02-30\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9,
     "~ongeldige datum \"2024-02-30\""},
    {"wet tussen 1 en 2", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 5,
     "~'tussen' werkt alleen met getallen en datums"},
    {"open in (waar)", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 6, "~'in' werkt niet met waar"},
    {"maanden($externe_redenen_in_noemer) > 1", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9,
     "~maanden() vraagt een aantal maanden"},
    {"bekend(\"x\")", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 8, "~bekend() vraagt een veld"},
    {"-wet = 1", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "~minteken"},
    {"\"a\" = \"b\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "~niet twee teksten"},
    /* Codes. */
    {"reden_einde = JZ588:99", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 15,
     "kolom 15: code 99 staat niet in lijst JZ588 (release 3.2)"},
    {"reden_einde in (JZ588:32, WMO588:32)", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 27,
     "kolom 27: code 32 staat niet in lijst WMO588 (release 3.2)"},
    {"reden_cbs = \"06\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 13,
     "kolom 13: code \"06\" bestaat niet voor 'reden_cbs'; wel: \"01\", \"02\", \"03\", \"04\", "
     "\"05\""},
    {"wet = \"JW\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7, "~wel: \"jw\", \"wmo\""},
    {"zonder_hulp in (\"03\", \"4\")", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 23,
     "~code \"4\" bestaat niet voor 'zonder_hulp'"},
    {"gemeente = \"\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 12, "~een lege tekst is geen code"},
    {"gemeente = \"12345678\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 12,
     "~te lang (hoogstens 7 tekens)"},
    {"reden_einde = JZ588:", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 15, "~na 'JZ588:' hoort"},
    {"reden_einde = JZ588 : 32", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 21,
     "kolom 21: onverwacht teken ':'"},
    /* Units. */
    {"antwoord(\"wmo_ceo_1\") >= 4", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "kolom 1: antwoord() kan alleen in een definitie met eenheid antwoord"},
    {"tevredenheid >= 7", EXPR_WANT_BOOL, &ENV_RESP, ERR_INVALID, 1,
     "kolom 1: het veld 'tevredenheid' bestaat alleen bij trajecten, niet bij antwoorden op een "
     "vragenlijst"},
    {"datum_antwoord > \"2024-01-01\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1,
     "~bestaat alleen bij antwoorden op een vragenlijst"},
    {"antwoord(\"wmo_ceo_11\") >= 4", EXPR_WANT_BOOL, &ENV_RESP, ERR_INVALID, 1,
     "~onbekende vraag \"wmo_ceo_11\""},
    {"antwoord(wmo_ceo_1) >= 4", EXPR_WANT_BOOL, &ENV_RESP, ERR_INVALID, 10,
     "~de code van een vraag tussen aanhalingstekens"},
    /* Syntax. */
    {"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "kolom 1: de uitdrukking is leeg"},
    {"   \n ", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "kolom 1: de uitdrukking is leeg"},
    {"wet = \"jw\" reden_cbs = \"03\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 12,
     "kolom 12: verwacht 'en', 'of' of het einde, maar vond 'reden_cbs'"},
    {"(wet = \"jw\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 12,
     "kolom 12: verwacht ')', maar vond het einde"},
    {"wet = \"jw\")", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 11, "~')' zonder bijbehorend '('"},
    {"leeftijd > 1 > 2", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 14, "~twee vergelijkingen"},
    {"leeftijd tussen 1 of 5", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 19,
     "~'en' na de ondergrens"},
    {"wet in ()", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9, "~de lijst na 'in' is leeg"},
    {"wet in (jw)", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9,
     "~zet een code tussen aanhalingstekens, zoals \"jw\""},
    {"wet niet = \"jw\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 5, "~verwacht"},
    {"wet = 'jw'", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7, "~dubbele aanhalingstekens"},
    {"wet = \xe2\x80\x9cjw\xe2\x80\x9d", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7,
     "~gewone aanhalingstekens"},
    {"open && wet = \"jw\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 6, "~schrijf 'en'"},
    {"open || niet open", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 6, "~schrijf 'of'"},
    {"!open", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "~schrijf 'niet'"},
    {"leeftijd > 17,5", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 12, "~alleen hele getallen"},
    {"leeftijd > 1a", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 12, "~begint niet met een cijfer"},
    {"leeftijd > 1234567890", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 12,
     "kolom 12: getal te groot (hoogstens 9 cijfers)"},
    {"wet = \"jw", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7,
     "kolom 7: tekst zonder afsluitend aanhalingsteken (\")"},
    {"wet = \"j\nw\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 7, "~zonder afsluitend"},
    {"wet = \"j\tw\"", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9, "~stuurteken"},
    {"leeftijd > 1 €", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 14,
     "kolom 14: onverwacht teken '€'"},
    {"wet = \"jw\"\nen\nleeftijd >> 3", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 11,
     "regel 3, kolom 11: verwacht een veld, getal, tekst of '(', maar vond '>'"},
    {"$", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "~na '$' hoort de naam"},
    {"bekend leeftijd", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 8, "~'(' na 'bekend'"},
    {"maanden(x) > 1", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 9, "~een aantal maanden"},
    {"en", EXPR_WANT_BOOL, &ENV_TRAJ, ERR_INVALID, 1, "~verwacht een veld, getal"},
};

static void check_bad(const struct bad *b, size_t len)
{
    struct expr_prog *p = (struct expr_prog *)1;
    struct expr_error err;
    int rc = expr_compile(b->text, len, b->want, b->env, A, &p, &err);
    if (rc != b->rc)
        fail_msg("'%s': rc %d, want %d (%s)", b->text, rc, b->rc, err.message);
    assert_null(p);
    if (b->message[0] == '~') {
        if (!strstr(err.message, b->message + 1))
            fail_msg("'%s': message '%s' lacks '%s'", b->text, err.message, b->message + 1);
    } else if (strcmp(err.message, b->message) != 0) {
        fail_msg("'%s': message '%s', want '%s'", b->text, err.message, b->message);
    }
    if (err.column != b->column)
        fail_msg("'%s': column %d, want %d (%s)", b->text, err.column, b->column, err.message);
    assert_true(err.offset <= len);
}

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(bads); i++)
        check_bad(&bads[i], strlen(bads[i].text));
    /* err may be NULL; the result stays NULL. */
    struct expr_prog *p = NULL;
    assert_int_equal(expr_compile("wte", 3, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, NULL), ERR_INVALID);
    assert_null(p);
}

/* ---- Limits. ---- */

static void test_limits(void **state)
{
    (void)state;
    char *t = malloc(EXPR_MAX_TEXT + 64);
    assert_non_null(t);
    struct expr_prog *p;
    struct expr_error err;

    /* Text: exactly the limit of spaces around 'waar' is fine; one byte more is too big. */
    memset(t, ' ', EXPR_MAX_TEXT);
    memcpy(t + 100, "waar", 4);
    assert_int_equal(expr_compile(t, EXPR_MAX_TEXT, EXPR_WANT_BOOL, NULL, A, &p, &err), 0);
    t[EXPR_MAX_TEXT] = ' ';
    assert_int_equal(expr_compile(t, EXPR_MAX_TEXT + 1, EXPR_WANT_BOOL, NULL, A, &p, &err),
                     ERR_TOO_BIG);
    assert_null(p);
    assert_non_null(strstr(err.message, "te lang (hoogstens 4096 bytes)"));

    /* Depth: 32 nested parentheses compile, 33 do not; likewise 'niet' and '-'. */
    for (int depth = 31; depth <= 34; depth++) {
        struct {
            char s[512];
        } b = {{0}};
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            b.s[n++] = '(';
        memcpy(b.s + n, "open", 4);
        n += 4;
        for (int i = 0; i < depth; i++)
            b.s[n++] = ')';
        int rc = expr_compile(b.s, n, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err);
        assert_int_equal(rc, depth <= EXPR_MAX_DEPTH ? 0 : ERR_TOO_BIG);
        if (rc)
            assert_non_null(strstr(err.message, "te diep genest (hoogstens 32 niveaus)"));
        n = 0;
        for (int i = 0; i < depth; i++) {
            memcpy(b.s + n, "niet ", 5);
            n += 5;
        }
        memcpy(b.s + n, "open", 4);
        n += 4;
        rc = expr_compile(b.s, n, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err);
        assert_int_equal(rc, depth <= EXPR_MAX_DEPTH ? 0 : ERR_TOO_BIG);
        if (!rc) /* an even number of 'niet' is the field itself */
            for (int v = 0; v <= 1; v++) {
                struct mx_record r;
                rec_init(&r);
                r.v[MX_F_OPEN] = v;
                assert_int_equal(expr_test(p, &r), (depth % 2 == 0) == v);
            }
        n = 0;
        memcpy(b.s, "leeftijd = ", 11);
        n = 11;
        for (int i = 0; i < depth; i++)
            b.s[n++] = '-';
        b.s[n++] = '1';
        rc = expr_compile(b.s, n, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err);
        assert_int_equal(rc, depth <= EXPR_MAX_DEPTH ? 0 : ERR_TOO_BIG);
    }

    /* Nodes: a chain of k 'waar' joined by 'of' has 2k - 1 nodes. */
    for (int k = 128; k <= 129; k++) {
        size_t n = 0;
        for (int i = 0; i < k; i++) {
            memcpy(t + n, i ? " of waar" : "waar", i ? 8 : 4);
            n += i ? 8 : 4;
        }
        int rc = expr_compile(t, n, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err);
        assert_int_equal(rc, 2 * k - 1 <= EXPR_MAX_NODES ? 0 : ERR_TOO_BIG);
        if (rc)
            assert_non_null(strstr(err.message, "te groot (hoogstens 256 onderdelen)"));
    }

    /* In-list: 64 values compile, 65 do not. */
    for (int k = 64; k <= 65; k++) {
        size_t n = 0;
        memcpy(t, "leeftijd in (", 13);
        n = 13;
        for (int i = 0; i < k; i++)
            n += (size_t)snprintf(t + n, 16, "%s%d", i ? ", " : "", i);
        t[n++] = ')';
        int rc = expr_compile(t, n, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err);
        assert_int_equal(rc, k <= EXPR_MAX_INLIST ? 0 : ERR_TOO_BIG);
        if (rc)
            assert_non_null(strstr(err.message, "te veel waarden in de lijst (hoogstens 64)"));
        else {
            struct mx_record r;
            rec_init(&r);
            r.v[MX_F_AGE] = 63;
            assert_true(expr_test(p, &r));
            r.v[MX_F_AGE] = 64;
            assert_false(expr_test(p, &r));
        }
    }

    /* Strings: 64 bytes are fine (an unknown survey item then), 65 too long. */
    for (int k = 64; k <= 65; k++) {
        size_t n = 0;
        memcpy(t, "antwoord(\"", 10);
        n = 10;
        memset(t + n, 'x', (size_t)k);
        n += (size_t)k;
        memcpy(t + n, "\") = 1", 6);
        n += 6;
        int rc = expr_compile(t, n, EXPR_WANT_BOOL, &ENV_RESP, A, &p, &err);
        assert_int_equal(rc, k <= 64 ? ERR_INVALID : ERR_TOO_BIG);
        assert_non_null(strstr(err.message, k <= 64 ? "onbekende vraag" : "tekst te lang"));
    }

    /* Right-nested sums need parentheses and hit the depth; a flat sum of 127 ones is within
     * the node limit and still right. */
    size_t n = 0;
    for (int i = 0; i < 85; i++) {
        memcpy(t + n, i ? " + (1" : "leeftijd = (1", i ? 5 : 13);
        n += i ? 5 : 13;
    }
    for (int i = 0; i < 85; i++)
        t[n++] = ')';
    assert_int_equal(expr_compile(t, n, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err), ERR_TOO_BIG);
    n = 0;
    memcpy(t, "leeftijd = 1", 12);
    n = 12;
    for (int i = 0; i < 126; i++) {
        memcpy(t + n, " + 1", 4);
        n += 4;
    }
    assert_int_equal(expr_compile(t, n, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err), 0);
    struct mx_record r;
    rec_init(&r);
    r.v[MX_F_AGE] = 127;
    assert_true(expr_test(p, &r));
    free(t);
}

/* ---- Evaluation. ---- */

struct row {
    int64_t age, sat, open, new_start;
};

static void test_truth_tables(void **state)
{
    (void)state;
    const int64_t N = MX_NULL;
    /* Values of leeftijd and the outcome of each expression for them. */
    static const struct {
        const char *text;
        int expect[5]; /* leeftijd = NULL, 0, 17, 18, 30 */
    } age_cases[] = {
        {"leeftijd = 18", {0, 0, 0, 1, 0}},
        {"leeftijd != 18", {0, 1, 1, 0, 1}},
        {"leeftijd < 18", {0, 1, 1, 0, 0}},
        {"leeftijd <= 17", {0, 1, 1, 0, 0}},
        {"leeftijd > 17", {0, 0, 0, 1, 1}},
        {"leeftijd >= 18", {0, 0, 0, 1, 1}},
        {"18 <= leeftijd", {0, 0, 0, 1, 1}},
        {"17 > leeftijd", {0, 1, 0, 0, 0}},
        {"leeftijd tussen 0 en 17", {0, 1, 1, 0, 0}},
        {"leeftijd niet tussen 0 en 17", {0, 0, 0, 1, 1}},
        {"leeftijd in (0, 18)", {0, 1, 0, 1, 0}},
        {"leeftijd niet in (0, 18)", {0, 0, 1, 0, 1}},
        {"niet (leeftijd in (0, 18))", {1, 0, 1, 0, 1}},
        {"niet leeftijd >= 18", {1, 1, 1, 0, 0}},
        {"bekend(leeftijd)", {0, 1, 1, 1, 1}},
        {"niet bekend(leeftijd)", {1, 0, 0, 0, 0}},
        {"leeftijd + 1 = 19", {0, 0, 0, 1, 0}},
        {"leeftijd * 2 - 6 = 30", {0, 0, 0, 1, 0}},
        {"leeftijd / 2 = 8", {0, 0, 1, 0, 0}},
        {"leeftijd / 0 = 0", {0, 0, 0, 0, 0}},
        {"bekend(leeftijd / 0)", {0, 0, 0, 0, 0}},
        {"-leeftijd < -17", {0, 0, 0, 1, 1}},
        {"leeftijd = -(-18)", {0, 0, 0, 1, 0}},
        {"leeftijd in (-1, 30)", {0, 0, 0, 0, 1}},
        {"(leeftijd < 1 of leeftijd > 20) en waar", {0, 1, 0, 0, 1}},
        {"leeftijd = 18 of onwaar", {0, 0, 0, 1, 0}},
        {"leeftijd >= $drempel - 24", {0, 0, 0, 1, 1}},
        {"leeftijd < maanden(1)", {0, 1, 1, 1, 0}},
        {"LEEFTIJD BETWEEN 1 AND 17 OR NOT KNOWN(leeftijd)", {1, 0, 1, 0, 0}},
        {"leeftijd * 999999999 * 9 > 0", {0, 0, 1, 1, 1}},
        {"leeftijd * 999999999 * 999999999 > 0", {0, 0, 0, 0, 0}}, /* 17e18 overflows */
        {"bekend(leeftijd * 999999999 * 999999999 * 999999999)", {0, 1, 0, 0, 0}},
    };
    const int64_t ages[5] = {N, 0, 17, 18, 30};
    for (size_t i = 0; i < ARRAY_LEN(age_cases); i++) {
        struct expr_prog *p = cb(age_cases[i].text);
        for (int k = 0; k < 5; k++) {
            struct mx_record r;
            rec_init(&r);
            r.v[MX_F_AGE] = ages[k];
            if (expr_test(p, &r) != age_cases[i].expect[k])
                fail_msg("'%s' with leeftijd %s: got %d", age_cases[i].text, k ? "known" : "NULL",
                         expr_test(p, &r));
        }
    }

    /* Three-valued bool field: nieuwe_start = NULL, 0, 1 (Kleene logic, unknown fails). */
    static const struct {
        const char *text;
        int expect[3];
    } bool_cases[] = {
        {"nieuwe_start", {0, 0, 1}},
        {"niet nieuwe_start", {0, 1, 0}},
        {"niet niet nieuwe_start", {0, 0, 1}},
        {"nieuwe_start = waar", {0, 0, 1}},
        {"nieuwe_start = onwaar", {0, 1, 0}},
        {"nieuwe_start != waar", {0, 1, 0}},
        {"nieuwe_start of waar", {1, 1, 1}},
        {"nieuwe_start of onwaar", {0, 0, 1}},
        {"nieuwe_start en onwaar", {0, 0, 0}},
        {"niet (nieuwe_start en onwaar)", {1, 1, 1}},
        {"niet (nieuwe_start of onwaar)", {0, 1, 0}},
        {"bekend(nieuwe_start)", {0, 1, 1}},
        {"niet nieuwe_start of niet bekend(nieuwe_start)", {1, 1, 0}},
    };
    const int64_t bools[3] = {N, 0, 1};
    for (size_t i = 0; i < ARRAY_LEN(bool_cases); i++) {
        struct expr_prog *p = cb(bool_cases[i].text);
        for (int k = 0; k < 3; k++) {
            struct mx_record r;
            rec_init(&r);
            r.v[MX_F_NEW_START] = bools[k];
            if (expr_test(p, &r) != bool_cases[i].expect[k])
                fail_msg("'%s' with nieuwe_start %d: got %d", bool_cases[i].text, k,
                         expr_test(p, &r));
        }
    }

    /* Codes, list codes, days. */
    struct mx_record r;
    rec_init(&r);
    r.v[MX_F_LAW] = P("jw");
    r.v[MX_F_END_REASON] = LC(MX_LIST_JZ588, "32");
    r.v[MX_F_START] = D("2024-01-31");
    r.v[MX_F_END] = D("2024-03-01");
    r.v[MX_F_GEMEENTE] = P("0344");
    assert_true(expr_test(cb("wet = \"jw\""), &r));
    assert_false(expr_test(cb("wet = \"wmo\""), &r));
    assert_true(expr_test(cb("wet != \"wmo\""), &r));
    assert_true(expr_test(cb("\"jw\" = wet"), &r));
    assert_true(expr_test(cb("reden_einde = JZ588:32"), &r));
    assert_true(expr_test(cb("reden_einde = jz588:32"), &r));
    assert_false(expr_test(cb("reden_einde = WMO588:21"), &r));
    assert_false(expr_test(cb("reden_einde in (WMO588:21, JZ588:33)"), &r));
    assert_true(expr_test(cb("reden_einde in (WMO588:21, JZ588:32)"), &r));
    assert_true(expr_test(cb("gemeente in (\"0363\", \"0344\")"), &r));
    assert_true(expr_test(cb("gemeente = gemeente"), &r));
    assert_true(expr_test(cb("einde - start = 30"), &r));
    assert_true(expr_test(cb("einde - start <= maanden(1)"), &r));
    assert_true(expr_test(cb("start + 30 = einde"), &r));
    assert_true(expr_test(cb("30 + start = einde"), &r));
    assert_true(expr_test(cb("einde - 30 = start"), &r));
    assert_true(expr_test(cb("start >= \"2024-01-31\" en start < \"2024-02-01\""), &r));
    assert_true(expr_test(cb("einde tussen \"2024-01-01\" en \"2024-12-31\""), &r));
    assert_true(expr_test(cb("einde in (\"2024-03-01\")"), &r));
    assert_false(expr_test(cb("einde tussen start en start + 29"), &r));
    assert_true(expr_test(cb("einde tussen start en start + 30"), &r));
    assert_int_equal(expr_value(compile_env("einde - start", EXPR_WANT_INT, &ENV_TRAJ), &r), 30);
    /* Unknown fields: every comparison false, arithmetic unknown. */
    assert_false(expr_test(cb("reden_cbs != \"03\""), &r));
    assert_false(expr_test(cb("hulpvorm in (\"01\")"), &r));
    assert_false(expr_test(cb("hulpvorm niet in (\"01\")"), &r));
    assert_false(expr_test(cb("wachttijd >= 0 of wachttijd < 0"), &r));
    assert_true(expr_value(compile_env("wachttijd + 1", EXPR_WANT_INT, &ENV_TRAJ), &r) == MX_NULL);
    assert_true(expr_value(compile_env("-wachttijd", EXPR_WANT_INT, &ENV_TRAJ), &r) == MX_NULL);
    /* Constant values. */
    assert_int_equal(expr_value(compile_env("7 - 2 * 3", EXPR_WANT_INT, NULL), &r), 1);
    assert_int_equal(expr_value(compile_env("(7 - 2) * 3", EXPR_WANT_INT, NULL), &r), 15);
    assert_int_equal(expr_value(compile_env("7 - 2 - 3", EXPR_WANT_INT, NULL), &r), 2);
    assert_int_equal(expr_value(compile_env("-7 / 2", EXPR_WANT_INT, NULL), &r), -3);
    assert_int_equal(expr_value(compile_env("maanden(6)", EXPR_WANT_INT, NULL), &r), 180);
    assert_int_equal(expr_value(compile_env("$drempel * 2", EXPR_WANT_INT, &ENV_TRAJ), &r), 84);
    assert_true(expr_value(compile_env("1 / 0", EXPR_WANT_INT, NULL), &r) == MX_NULL);
    /* Responses without answers read unknown. */
    struct expr_prog *ceo = compile_env("antwoord(\"wmo_ceo_2\") >= 4", EXPR_WANT_BOOL, &ENV_RESP);
    assert_false(expr_test(ceo, &r));
    int64_t ans[10] = {0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
    r.answers = ans;
    assert_true(expr_test(ceo, &r));
    ans[1] = MX_NULL;
    assert_false(expr_test(ceo, &r));
    assert_false(expr_test(NULL, &r));
    assert_true(expr_value(NULL, &r) == MX_NULL);
}

static void test_settings(void **state)
{
    (void)state;
    struct expr_setting s[2] = {{"externe_redenen_in_noemer", true, 1}, {"grens", false, 12}};
    struct expr_compile_env env = {.unit = MX_UNIT_TRAJECTORY, .settings = s, .nsettings = 2};
    const char *text = "reden_cbs in (\"01\", \"05\") en ($Externe_Redenen_In_Noemer of "
                       "reden_cbs != \"05\") en leeftijd < $grens";
    struct expr_prog *on, *off;
    struct expr_error err;
    assert_int_equal(expr_compile(text, strlen(text), EXPR_WANT_BOOL, &env, A, &on, &err), 0);
    s[0].value = 0;
    s[1].value = 5;
    assert_int_equal(expr_compile(text, strlen(text), EXPR_WANT_BOOL, &env, A, &off, &err), 0);
    /* Bound at compile time: changing the environment afterwards changes nothing. */
    s[0].value = 1;
    struct mx_record r;
    rec_init(&r);
    r.v[MX_F_CBS_REASON] = P("05");
    r.v[MX_F_AGE] = 8;
    assert_true(expr_test(on, &r));
    assert_false(expr_test(off, &r));
    r.v[MX_F_CBS_REASON] = P("01");
    assert_true(expr_test(on, &r));
    assert_false(expr_test(off, &r)); /* 8 < 5 is false */
    r.v[MX_F_AGE] = 4;
    assert_true(expr_test(off, &r));
    /* The canonical text keeps the setting by its declared name. */
    assert_string_equal(expr_format(on, A),
                        "reden_cbs in (\"01\", \"05\") en ($externe_redenen_in_noemer of "
                        "reden_cbs != \"05\") en leeftijd < $grens");
    /* Fields in an arm that folding removed still count as used (the text names them). */
    assert_true(expr_uses_field(on, MX_F_CBS_REASON));
    assert_true(expr_uses_field(on, MX_F_AGE));
    assert_false(expr_uses_field(on, MX_F_LAW));
    assert_false(expr_uses_field(on, MX_F__COUNT));
    assert_false(expr_uses_field(NULL, MX_F_AGE));
    struct expr_prog *fu = cb("wet = \"jw\" en volgtermijn_verstreken en niet nieuwe_start");
    assert_true(expr_uses_field(fu, MX_F_NEW_START));
    assert_true(expr_uses_field(fu, MX_F_FOLLOW_UP_ELAPSED));
    assert_false(expr_uses_field(fu, MX_F_END));
}

/* ---- Round trip. ---- */

static const char *const round_trip[] = {
    "wet = \"jw\" en reden_cbs in (\"01\",\"02\",\"03\",\"04\",\"05\") en "
    "($externe_redenen_in_noemer of reden_cbs != \"05\")",
    "zonder_hulp in (\"03\",\"04\") of ($lichtere_hulp_telt_mee en zonder_hulp = \"02\")",
    "WET == \"jw\" AND NOT open OR leeftijd <> 3",
    "niet (open of tijdelijk_gestopt) en niet niet zonder_toewijzing",
    "(open = waar) = (niet uit_registratie)",
    "leeftijd - (3 - 2) = leeftijd - 3 - 2 of leeftijd / (2 * 3) > leeftijd / 2 * 3",
    "-(leeftijd + 1) < -leeftijd en --leeftijd = leeftijd",
    "leeftijd tussen 1 + 1 en 17 * 1 en leeftijd niet tussen 5 en 6",
    "leeftijd niet in (-1, 0, 5) of reden_einde in (JZ588:32, wmo588:21)",
    "bekend(leeftijd + tevredenheid) en bekend(open = waar) en bekend((open))",
    "einde - start <= maanden(6) en einde >= \"2024-01-01\"",
    "start + 30 tussen \"2024-01-01\" en einde - 1",
    "doorlooptijd > $drempel of (waar en onwaar) of true",
    "a\xc3\xa9" /* not an expression: skipped below */,
};

static void test_round_trip(void **state)
{
    (void)state;
    struct rng g;
    rng_seed(&g, 11);
    for (size_t i = 0; i < ARRAY_LEN(round_trip); i++) {
        const char *t = round_trip[i];
        struct expr_prog *p1, *p2, *p3;
        struct expr_error err;
        if (expr_compile(t, strlen(t), EXPR_WANT_BOOL, &ENV_TRAJ, A, &p1, &err)) {
            assert_true(i == ARRAY_LEN(round_trip) - 1);
            continue;
        }
        const char *f1 = expr_format(p1, A);
        if (expr_compile(f1, strlen(f1), EXPR_WANT_BOOL, &ENV_TRAJ, A, &p2, &err))
            fail_msg("'%s' formats as '%s', which does not compile: %s", t, f1, err.message);
        const char *f2 = expr_format(p2, A);
        assert_string_equal(f1, f2);
        assert_int_equal(expr_compile(f2, strlen(f2), EXPR_WANT_BOOL, &ENV_TRAJ, A, &p3, &err), 0);
        for (int n = 0; n < 5000; n++) {
            struct mx_record r;
            rec_random(&g, &r, NULL);
            assert_int_equal(expr_test(p1, &r), expr_test(p2, &r));
            assert_true(expr_value(p1, &r) == expr_value(p2, &r));
        }
    }
    /* Canonical spelling: lower-case keywords, one space around operators, minimal parens. */
    assert_string_equal(expr_format(cb("WET==\"jw\"AND(NOT open)OR leeftijd<>3"), A),
                        "wet = \"jw\" en niet open of leeftijd != 3");
    assert_string_equal(expr_format(cb("((open))"), A), "open");
    assert_string_equal(expr_format(cb("niet(open en(leeftijd>1))"), A),
                        "niet (open en leeftijd > 1)");
    assert_string_equal(expr_format(cb("leeftijd in(1,-2)en reden_einde=jz588:32"), A),
                        "leeftijd in (1, -2) en reden_einde = JZ588:32");
}

/* ---- Hostile text. ---- */

static void test_hostile(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;
        int rc;
        const char *part;
    } cases[] = {
        {"wet = \"\xff\"", 9, ERR_INVALID, "geen UTF-8"},
        {"wet = \"\xc3\x28\"", 10, ERR_INVALID, "geen UTF-8"},
        {"\xed\xa0\x80", 3, ERR_INVALID, "geen UTF-8"},
        {"open\0 en open", 13, ERR_INVALID, "stuurteken"},
        {"wet = \"j\0w\"", 11, ERR_INVALID, "stuurteken"},
        {"\0", 1, ERR_INVALID, "stuurteken"},
        {"\"", 1, ERR_INVALID, "zonder afsluitend"},
        {"\"\"\"", 3, ERR_INVALID, "zonder afsluitend"},
        {"99999999999999999999999999 = 1", 30, ERR_INVALID, "getal te groot"},
        {"leeftijd = 999999999", 20, 0, NULL},
        {"leeftijd = 0000000001", 21, ERR_INVALID, "getal te groot"},
        {"\x1b[31m", 5, ERR_INVALID, "stuurteken"},
        {"((((((((((", 10, ERR_INVALID, "verwacht"},
        {"))))", 4, ERR_INVALID, "verwacht"},
        {"leeftijd in (1,", 15, ERR_INVALID, "verwacht"},
        {"leeftijd in (1 2)", 17, ERR_INVALID, "',' of ')'"},
        {"bekend(", 7, ERR_INVALID, "verwacht"},
        {"antwoord(\"x\"", 12, ERR_INVALID, "verwacht"},
        {"$\xc3\xa9", 3, ERR_INVALID, "na '$'"},
        {"\xf0\x9f\x98\x80", 4, ERR_INVALID, "onverwacht teken"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct expr_prog *p = NULL;
        struct expr_error err;
        int rc = expr_compile(cases[i].text, cases[i].len, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc, err.message);
        if (cases[i].part && !strstr(err.message, cases[i].part))
            fail_msg("case %zu: message '%s' lacks '%s'", i, err.message, cases[i].part);
        assert_true(err.offset <= cases[i].len);
        assert_true(strlen(err.message) < sizeof err.message);
    }
    /* A long identifier, an overlong name and a name close to the limit. */
    char t[200];
    memset(t, 'a', sizeof t);
    struct expr_prog *p;
    struct expr_error err;
    assert_int_equal(expr_compile(t, 64, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err), ERR_INVALID);
    assert_non_null(strstr(err.message, "onbekend veld"));
    assert_int_equal(expr_compile(t, 65, EXPR_WANT_BOOL, &ENV_TRAJ, A, &p, &err), ERR_INVALID);
    assert_non_null(strstr(err.message, "naam te lang"));
    /* Long user text in a message is cut on a character boundary. */
    char u[300];
    size_t n = 0;
    memcpy(u, "antwoord(\"", 10);
    n = 10;
    for (int i = 0; i < 32; i++) {
        memcpy(u + n, "\xc3\xa9", 2);
        n += 2;
    }
    memcpy(u + n, "\") = 1", 6);
    n += 6;
    assert_int_equal(expr_compile(u, n, EXPR_WANT_BOOL, &ENV_RESP, A, &p, &err), ERR_INVALID);
    assert_true(utf8_valid(err.message, strlen(err.message), NULL));
    /* NULL text with a length; NULL arena or result. */
    assert_int_equal(expr_compile(NULL, 5, EXPR_WANT_BOOL, NULL, A, &p, &err), ERR_INVALID);
    assert_int_equal(expr_compile("open", 4, EXPR_WANT_BOOL, NULL, NULL, &p, &err), ERR_INTERNAL);
    assert_int_equal(expr_compile("open", 4, EXPR_WANT_BOOL, NULL, A, NULL, &err), ERR_INTERNAL);
    assert_string_equal(expr_format(NULL, A), "");
}

/* ---- Speed (printed, not asserted). ---- */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void test_speed(void **state)
{
    (void)state;
    enum { NREC = 4096, ROUNDS = 200 };
    struct mx_record *recs = malloc(NREC * sizeof *recs);
    int64_t(*ans)[10] = malloc(NREC * sizeof *ans);
    assert_non_null(recs);
    assert_non_null(ans);
    struct rng g;
    rng_seed(&g, 3);
    for (int i = 0; i < NREC; i++)
        rec_random(&g, &recs[i], ans[i]);
    static const size_t which[] = {0, 4, 13, 17, 7, 19};
    for (size_t w = 0; w < ARRAY_LEN(which); w++) {
        const struct std_expr *s = &standard[which[w]];
        struct expr_prog *p = compile_env(s->text, s->want, s->response ? &ENV_RESP : &ENV_TRAJ);
        size_t hits = 0;
        double t0 = now_ns();
        for (int k = 0; k < ROUNDS; k++)
            for (int i = 0; i < NREC; i++)
                hits += expr_test(p, &recs[i]);
        double ns = (now_ns() - t0) / ((double)ROUNDS * NREC);
        printf("expr speed: %-22s %6.1f ns/evaluation (%zu hits)\n", s->code, ns, hits);
    }
    free(recs);
    free(ans);
}

int main(void)
{
    assert_int_equal(codelist_load(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_catalogue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_pack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standard_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipped_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truth_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
