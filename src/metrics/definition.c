/*
 * definition.c: indicator definitions as data (definition.h, docs/indicators.md): strict
 * parsing and validation of the JSON document, with every problem named by its JSON key and a
 * Dutch reason; compiling its expressions (expr.h) with the settings bound; writing it back
 * canonically; and the embedded standard set. No I/O.
 */
#include "metrics/definition.h"
#include "core/common.h"
#include "core/resource.h"
#include "core/str.h"
#include "core/utf8.h"
#include <jansson.h>

#define NAME_MAX_CHARS    120
#define TEXT_MAX_CHARS    2000
#define SOURCE_MAX_CHARS  1000
#define GROUP_MAX_BYTES   32
#define CODE_MIN_BYTES    2
#define CODE_MAX_BYTES    48
#define SETTING_MAX_BYTES 48
#define SETTING_INT_MAX   999999999
#define MIN_N_DEFAULT     10
#define MIN_N_MAX         100000
#define AGE_MAX           120
#define FOLLOW_UP_MAX     60
#define GAP_MAX           365
#define ITEM_MAX_BYTES    48
#define ITEM_MAX_SLOTS    64
#define ECHO_MAX          40 /* bytes of a user's value repeated in a message */
#define STANDARD_RESOURCE "data/indicatoren/standaard.json"
#define STANDARD_MAX      128

/* ---- Codes of the enums. -------------------------------------------------------------------- */

static const char *const unit_codes[] = {"traject", "persoon", "antwoord"};
static const char *const anchor_codes[] = {"einde", "start", "actief", "antwoord"};
static const char *const agg_codes[] = {"aandeel", "gemiddelde", "mediaan", "aantal", "per_1000"};
static const char *const polarity_codes[] = {"hoger_beter", "lager_beter", "neutraal"};
static const char *const quadrant_codes[] = {"hoeveel", "hoe_goed", "beter_af"};
static const char *const display_codes[] = {"procent", "cijfer", "dagen", "aantal", "per_1000"};
static const char *const quadrant_labels[] = {N_("Hoeveel doen we?"), N_("Hoe goed doen we het?"),
                                              N_("Is iemand er beter van geworden?")};

#define CODE_OF(table, x) ((unsigned)(x) < ARRAY_LEN(table) ? (table)[x] : "?")

const char *ind_unit_code(enum ind_unit u)
{
    return CODE_OF(unit_codes, u);
}
const char *ind_anchor_code(enum ind_anchor x)
{
    return CODE_OF(anchor_codes, x);
}
const char *ind_agg_code(enum ind_agg x)
{
    return CODE_OF(agg_codes, x);
}
const char *ind_polarity_code(enum ind_polarity x)
{
    return CODE_OF(polarity_codes, x);
}
const char *ind_quadrant_code(enum ind_quadrant x)
{
    return CODE_OF(quadrant_codes, x);
}
const char *ind_display_code(enum ind_display x)
{
    return CODE_OF(display_codes, x);
}
const char *ind_quadrant_label(enum ind_quadrant x)
{
    return CODE_OF(quadrant_labels, x);
}

/* The keys of a definition, in canonical order (ind_def_to_json writes them so). */
static const char *const def_keys[] = {
    "versie",
    "code",
    "naam",
    "naam_en",
    "uitleg",
    "uitleg_en",
    "bron",
    "eenheid",
    "anker",
    "aggregatie",
    "populatie",
    "gebeurtenis",
    "waarde",
    "leeftijden",
    "volgtermijn_maanden",
    "tussenruimte_dagen",
    "polariteit",
    "kwadrant",
    "min_n",
    "eenheid_waarde",
    "groep",
    "instellingen",
};
static const char *const setting_keys[] = {"code",   "label", "label_en",
                                           "uitleg", "soort", "waarde"};
static const char *const age_keys[] = {"van", "tot_en_met"};

/* ---- Problems. ------------------------------------------------------------------------------ */

/* Cuts a multi-byte sequence that truncation left incomplete at the end of s: messages go
 * into JSON answers, which must be valid UTF-8. */
static void trim_utf8(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--; /* continuation bytes */
    if (i == 0 || ((unsigned char)s[i - 1] & 0x80) == 0)
        return; /* ends in ASCII */
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (n - (i - 1) < want)
        s[i - 1] = 0;
}

static void add_problem(struct ind_problems *pr, const char *key, const char *fmt, ...)
    ATTR_PRINTF(3, 4);

static void add_problem(struct ind_problems *pr, const char *key, const char *fmt, ...)
{
    if (pr->n >= IND_MAX_PROBLEMS)
        return;
    struct ind_problem *p = &pr->p[pr->n++];
    snprintf(p->key, sizeof p->key, "%s", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    trim_utf8(p->message);
}

/* A user's value repeated in a message: printable ASCII only (the message may be cut anywhere
 * and must stay valid UTF-8), at most ECHO_MAX bytes. */
static void echo(const char *s, char out[static ECHO_MAX + 4])
{
    size_t i = 0;
    for (; s[i] && i < ECHO_MAX; i++)
        out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (s[i]) {
        out[i++] = '.';
        out[i++] = '.';
        out[i++] = '.';
    }
    out[i] = 0;
}

/* Edit distance capped at 3, for "bedoelt u ...?" on a mistyped key. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 3;
    int prev[41], cur[41];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb] < 3 ? prev[lb] : 3;
}

/* "tot" for "tot_en_met", "volgtermijn" for "volgtermijn_maanden": a shortened key. */
static bool is_prefix(const char *k, const char *key)
{
    size_t n = strlen(k);
    return n >= 3 && n < strlen(key) && strncmp(k, key, n) == 0;
}

/* Reports the members of obj that are not in keys[], under prefix ("" or "instellingen[0]."). */
static void check_unknown_keys(json_t *obj, const char *const *keys, size_t nkeys,
                               const char *prefix, struct ind_problems *pr)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        bool known = false;
        const char *near = NULL;
        for (size_t i = 0; i < nkeys && !known; i++) {
            known = strcmp(k, keys[i]) == 0;
            if (!near && (distance(k, keys[i]) <= 2 || is_prefix(k, keys[i])))
                near = keys[i];
        }
        if (known)
            continue;
        char e[ECHO_MAX + 4], path[64];
        echo(k, e);
        snprintf(path, sizeof path, "%s%s", prefix, e);
        if (near)
            add_problem(pr, path, _("onbekende sleutel '%s'; bedoelt u '%s'?"), e, near);
        else
            add_problem(pr, path, _("onbekende sleutel '%s'"), e);
    }
}

/* ---- Typed members. ------------------------------------------------------------------------- */

static bool present(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v);
}

static bool has_problem(const struct ind_problems *pr, const char *key)
{
    for (int i = 0; i < pr->n; i++)
        if (strcmp(pr->p[i].key, key) == 0)
            return true;
    return false;
}

struct pctx {
    struct arena *a;
    struct ind_problems *pr;
    bool nomem;
};

static bool code_ok(const char *s, size_t min, size_t max, bool letter_first)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    if (letter_first && !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* A text member. Empty optional texts count as absent. False if absent or wrong (reported). */
static bool get_text(struct pctx *c, json_t *obj, const char *key, const char *path, bool required,
                     size_t max_chars, bool multiline, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            add_problem(c->pr, path, "%s", _("ontbreekt; dit veld is verplicht"));
        return false;
    }
    if (!json_is_string(v)) {
        add_problem(c->pr, path, "%s", _("moet een tekst zijn"));
        return false;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len == 0) {
        if (required)
            add_problem(c->pr, path, "%s", _("mag niet leeg zijn"));
        return false;
    }
    size_t chars = utf8_count(s, len);
    if (chars > max_chars) {
        add_problem(c->pr, path, _("te lang: %zu tekens, hoogstens %zu"), chars, max_chars);
        return false;
    }
    if (utf8_has_controls(s, len) ||
        (!multiline && (memchr(s, '\n', len) || memchr(s, '\r', len) || memchr(s, '\t', len)))) {
        add_problem(c->pr, path, "%s",
                    multiline ? _("bevat stuurtekens") : _("moet op één regel staan"));
        return false;
    }
    *out = arena_strndup(c->a, s, len);
    if (!*out)
        c->nomem = true;
    return *out != NULL;
}

static bool get_int(struct pctx *c, json_t *obj, const char *key, const char *path, bool required,
                    int64_t min, int64_t max, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            add_problem(c->pr, path, "%s", _("ontbreekt; dit veld is verplicht"));
        return false;
    }
    if (!json_is_integer(v)) {
        add_problem(c->pr, path, "%s", _("moet een geheel getal zijn"));
        return false;
    }
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) {
        add_problem(c->pr, path, _("moet tussen %" PRId64 " en %" PRId64 " liggen"), min, max);
        return false;
    }
    *out = (int64_t)x;
    return true;
}

/* The unknown value of an enum member and the codes to choose from, for the message. */
struct enum_bad {
    char value[ECHO_MAX + 4];
    char list[256];
};

/* An enum member given by its codes: true when it holds an unknown code (bad filled; the
 * caller reports it with a message naming the kind). */
static bool get_enum(struct pctx *c, json_t *obj, const char *key, const char *const *codes,
                     size_t n, int *out, struct enum_bad *bad)
{
    const char *s;
    if (!get_text(c, obj, key, key, true, 64, false, &s))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, codes[i]) == 0) {
            *out = (int)i;
            return false;
        }
    }
    echo(s, bad->value);
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(codes[i]);
        if (off + len + 3 >= sizeof bad->list)
            break;
        if (i) {
            memcpy(bad->list + off, ", ", 2);
            off += 2;
        }
        memcpy(bad->list + off, codes[i], len);
        off += len;
    }
    bad->list[off] = 0;
    return true;
}

/* ---- Expressions. --------------------------------------------------------------------------- */

/* During parsing the survey items are not known yet: any well-formed item code gets a slot. */
struct any_items {
    const char *codes[ITEM_MAX_SLOTS];
    int n;
};

static int any_item_slot(void *ctx, const char *code)
{
    struct any_items *it = ctx;
    if (!code_ok(code, 1, ITEM_MAX_BYTES, false))
        return -1;
    for (int i = 0; i < it->n; i++)
        if (strcmp(it->codes[i], code) == 0)
            return i;
    if (it->n >= ITEM_MAX_SLOTS)
        return -1;
    it->codes[it->n] = code; /* borrowed: lives as long as the expression text being compiled */
    return it->n++;
}

static void expr_problem(struct ind_problems *pr, const char *key, const struct expr_error *xe)
{
    /* expr.c normally names the column itself ("kolom 14: ..."); add it when it does not. */
    if (xe->column > 0 && strstr(xe->message, "kolom") == NULL &&
        strstr(xe->message, "column") == NULL)
        add_problem(pr, key, _("kolom %d: %s"), xe->column, xe->message);
    else
        add_problem(pr, key, "%s", xe->message[0] ? xe->message : _("ongeldige uitdrukking"));
}

/* Compiles the expressions of d. Returns 0, ERR_INVALID (problems added), or another error. */
static int compile_all(const struct ind_def *d, int (*answer_slot)(void *ctx, const char *code),
                       void *answer_ctx, struct arena *a, struct expr_prog *progs[3],
                       struct ind_problems *pr)
{
    struct expr_setting settings[IND_MAX_SETTINGS];
    for (int i = 0; i < d->nsettings && i < IND_MAX_SETTINGS; i++)
        settings[i] = (struct expr_setting){.name = d->settings[i].code,
                                            .is_bool = d->settings[i].is_bool,
                                            .value = d->settings[i].value};
    struct expr_compile_env env = {
        .unit = d->unit == IND_UNIT_RESPONSE ? MX_UNIT_RESPONSE : MX_UNIT_TRAJECTORY,
        .settings = settings,
        .nsettings = (size_t)(d->nsettings < 0 ? 0 : d->nsettings),
        .answer_slot = d->unit == IND_UNIT_RESPONSE ? answer_slot : NULL,
        .answer_ctx = answer_ctx,
    };
    const char *texts[3] = {d->population, d->event, d->value};
    const char *keys[3] = {"populatie", "gebeurtenis", "waarde"};
    const enum expr_want wants[3] = {EXPR_WANT_BOOL, EXPR_WANT_BOOL, EXPR_WANT_INT};
    int ret = 0;
    for (int i = 0; i < 3; i++) {
        progs[i] = NULL;
        if (!texts[i])
            continue;
        struct expr_error xe;
        memset(&xe, 0, sizeof xe);
        int rc = expr_compile(texts[i], strlen(texts[i]), wants[i], &env, a, &progs[i], &xe);
        if (rc == ERR_INVALID || rc == ERR_TOO_BIG) {
            expr_problem(pr, keys[i], &xe);
            progs[i] = NULL;
            if (!ret)
                ret = ERR_INVALID;
        } else if (rc) {
            return rc;
        }
    }
    return ret;
}

static bool progs_use_follow_up(struct expr_prog *const progs[3])
{
    for (int i = 0; i < 3; i++)
        if (progs[i] && (expr_uses_field(progs[i], MX_F_NEW_START) ||
                         expr_uses_field(progs[i], MX_F_FOLLOW_UP_ELAPSED)))
            return true;
    return false;
}

/* ---- Parsing. ------------------------------------------------------------------------------- */

static void parse_settings(struct pctx *c, json_t *arr, struct ind_def *d)
{
    if (!json_is_array(arr)) {
        add_problem(c->pr, "instellingen", "%s", _("moet een lijst van instellingen zijn"));
        return;
    }
    if (json_array_size(arr) > IND_MAX_SETTINGS) {
        add_problem(c->pr, "instellingen", _("hoogstens %d instellingen"), IND_MAX_SETTINGS);
        return;
    }
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        char prefix[48], path[64];
        snprintf(prefix, sizeof prefix, "instellingen[%zu]", i);
        if (!json_is_object(s)) {
            add_problem(c->pr, prefix, "%s", _("moet een object zijn"));
            continue;
        }
        snprintf(path, sizeof path, "%s.", prefix);
        check_unknown_keys(s, setting_keys, ARRAY_LEN(setting_keys), path, c->pr);
        struct ind_setting st = {0};
        bool ok = true;
#define SPATH(k) (snprintf(path, sizeof path, "%s." k, prefix), path)
        if (get_text(c, s, "code", SPATH("code"), true, SETTING_MAX_BYTES, false, &st.code)) {
            if (!code_ok(st.code, 1, SETTING_MAX_BYTES, true)) {
                add_problem(c->pr, SPATH("code"), "%s",
                            _("begin met een kleine letter; daarna kleine letters, cijfers of '_' "
                              "(hoogstens 48)"));
                ok = false;
            }
            for (int j = 0; j < d->nsettings && ok; j++) {
                if (strcmp(d->settings[j].code, st.code) == 0) {
                    add_problem(c->pr, SPATH("code"), "%s", _("deze code komt al eerder voor"));
                    ok = false;
                }
            }
        } else {
            ok = false;
        }
        ok &= get_text(c, s, "label", SPATH("label"), true, NAME_MAX_CHARS, false, &st.label);
        get_text(c, s, "label_en", SPATH("label_en"), false, NAME_MAX_CHARS, false, &st.label_en);
        get_text(c, s, "uitleg", SPATH("uitleg"), false, TEXT_MAX_CHARS, true, &st.help);
        static const char *const kinds[] = {"ja_nee", "getal"};
        const char *kind;
        int k = -1;
        if (get_text(c, s, "soort", SPATH("soort"), true, 16, false, &kind)) {
            for (int j = 0; j < 2; j++)
                if (strcmp(kind, kinds[j]) == 0)
                    k = j;
            if (k < 0) {
                char e[ECHO_MAX + 4];
                echo(kind, e);
                add_problem(c->pr, SPATH("soort"),
                            _("onbekende soort '%s'; kies uit ja_nee, getal"), e);
            }
        }
        if (k < 0) {
            ok = false;
        } else {
            json_t *v = json_object_get(s, "waarde");
            st.is_bool = k == 0;
            if (!v) {
                add_problem(c->pr, SPATH("waarde"), "%s", _("ontbreekt; dit veld is verplicht"));
                ok = false;
            } else if (st.is_bool) {
                if (json_is_boolean(v)) {
                    st.value = json_is_true(v) ? 1 : 0;
                } else {
                    add_problem(c->pr, SPATH("waarde"), "%s",
                                _("moet true of false zijn bij soort ja_nee"));
                    ok = false;
                }
            } else {
                ok &= get_int(c, s, "waarde", SPATH("waarde"), true, 0, SETTING_INT_MAX, &st.value);
            }
        }
#undef SPATH
        if (ok)
            d->settings[d->nsettings++] = st;
    }
}

static void parse_ages(struct pctx *c, json_t *v, struct ind_def *d)
{
    if (!json_is_object(v)) {
        add_problem(c->pr, "leeftijden", "%s",
                    _("moet een object zijn: {\"van\": 0, \"tot_en_met\": 17}"));
        return;
    }
    check_unknown_keys(v, age_keys, ARRAY_LEN(age_keys), "leeftijden.", c->pr);
    int64_t from, to;
    bool ok = get_int(c, v, "van", "leeftijden.van", true, 0, AGE_MAX, &from);
    ok &= get_int(c, v, "tot_en_met", "leeftijden.tot_en_met", true, 0, AGE_MAX, &to);
    if (!ok)
        return;
    if (to < from) {
        add_problem(c->pr, "leeftijden.tot_en_met", "%s",
                    _("moet minstens zo groot zijn als 'van'"));
        return;
    }
    d->age_from = (int)from;
    d->age_to = (int)to;
}

static int parse_object(json_t *root, struct arena *a, struct ind_def *d, struct ind_problems *pr)
{
    struct pctx c = {.a = a, .pr = pr};
    memset(d, 0, sizeof *d);
    d->age_from = d->age_to = -1;
    d->follow_up_months = d->gap_days = -1;
    d->min_n = MIN_N_DEFAULT;

    if (!json_is_object(root)) {
        add_problem(pr, "", "%s", _("een definitie is een JSON-object { ... }"));
        return ERR_INVALID;
    }
    check_unknown_keys(root, def_keys, ARRAY_LEN(def_keys), "", pr);

    int64_t x;
    if (get_int(&c, root, "versie", "versie", true, INT64_MIN, INT64_MAX, &x)) {
        if (x != 1)
            add_problem(pr, "versie", "%s", _("alleen versie 1 wordt ondersteund"));
        d->version = 1;
    }
    if (get_text(&c, root, "code", "code", true, CODE_MAX_BYTES + 16, false, &d->code) &&
        !code_ok(d->code, CODE_MIN_BYTES, CODE_MAX_BYTES, false)) {
        add_problem(pr, "code", "%s",
                    _("gebruik 2 tot 48 kleine letters, cijfers of '_' (zoals jw_uitval)"));
        d->code = NULL;
    }
    get_text(&c, root, "naam", "naam", true, NAME_MAX_CHARS, false, &d->name);
    get_text(&c, root, "naam_en", "naam_en", false, NAME_MAX_CHARS, false, &d->name_en);
    get_text(&c, root, "uitleg", "uitleg", true, TEXT_MAX_CHARS, true, &d->explanation);
    get_text(&c, root, "uitleg_en", "uitleg_en", false, TEXT_MAX_CHARS, true, &d->explanation_en);
    get_text(&c, root, "bron", "bron", false, SOURCE_MAX_CHARS, true, &d->source);

    int unit = -1, anchor = -1, agg = -1, pol = -1, quad = -1, disp = -1;
    struct enum_bad bad;
#define ENUM(key, table, fmt, out)                                                                 \
    do {                                                                                           \
        if (get_enum(&c, root, key, table, ARRAY_LEN(table), out, &bad))                           \
            add_problem(pr, key, fmt, bad.value, bad.list);                                        \
    } while (0)
    ENUM("eenheid", unit_codes, _("onbekende eenheid '%s'; kies uit %s"), &unit);
    ENUM("anker", anchor_codes, _("onbekend anker '%s'; kies uit %s"), &anchor);
    ENUM("aggregatie", agg_codes, _("onbekende aggregatie '%s'; kies uit %s"), &agg);

    get_text(&c, root, "populatie", "populatie", true, EXPR_MAX_TEXT, true, &d->population);
    get_text(&c, root, "gebeurtenis", "gebeurtenis", false, EXPR_MAX_TEXT, true, &d->event);
    get_text(&c, root, "waarde", "waarde", false, EXPR_MAX_TEXT, true, &d->value);
    bool has_event = present(root, "gebeurtenis"), has_value = present(root, "waarde");
    bool has_ages = present(root, "leeftijden");
    if (has_ages)
        parse_ages(&c, json_object_get(root, "leeftijden"), d);
    bool has_follow = get_int(&c, root, "volgtermijn_maanden", "volgtermijn_maanden", false, 1,
                              FOLLOW_UP_MAX, &x);
    if (has_follow)
        d->follow_up_months = (int)x;
    bool has_gap =
        get_int(&c, root, "tussenruimte_dagen", "tussenruimte_dagen", false, 0, GAP_MAX, &x);
    if (has_gap)
        d->gap_days = (int)x;

    ENUM("polariteit", polarity_codes, _("onbekende polariteit '%s'; kies uit %s"), &pol);
    ENUM("kwadrant", quadrant_codes, _("onbekend kwadrant '%s'; kies uit %s"), &quad);
    if (get_int(&c, root, "min_n", "min_n", false, 1, MIN_N_MAX, &x))
        d->min_n = (int)x;
    ENUM("eenheid_waarde", display_codes, _("onbekende weergave '%s'; kies uit %s"), &disp);
#undef ENUM
    if (get_text(&c, root, "groep", "groep", false, GROUP_MAX_BYTES + 16, false, &d->group) &&
        !code_ok(d->group, 1, GROUP_MAX_BYTES, true)) {
        add_problem(pr, "groep", "%s",
                    _("begin met een kleine letter; daarna kleine letters, cijfers of '_' "
                      "(hoogstens 32)"));
        d->group = NULL;
    }
    json_t *settings = json_object_get(root, "instellingen");
    if (settings && !json_is_null(settings))
        parse_settings(&c, settings, d);
    if (c.nomem)
        return ERR_NOMEM;

    /* Cross-field rules, each only where the fields it relates were valid themselves. */
    if (unit >= 0)
        d->unit = (enum ind_unit)unit;
    if (anchor >= 0)
        d->anchor = (enum ind_anchor)anchor;
    if (agg >= 0)
        d->agg = (enum ind_agg)agg;
    if (pol >= 0)
        d->polarity = (enum ind_polarity)pol;
    if (quad >= 0)
        d->quadrant = (enum ind_quadrant)quad;
    if (disp >= 0)
        d->display = (enum ind_display)disp;
    if (unit >= 0 && anchor >= 0 && (unit == IND_UNIT_RESPONSE) != (anchor == IND_ANCHOR_RESPONSE))
        add_problem(pr, "anker", "%s",
                    unit == IND_UNIT_RESPONSE
                        ? _("bij eenheid antwoord hoort anker antwoord")
                        : _("anker antwoord kan alleen bij eenheid antwoord"));
    if (unit == IND_UNIT_PERSON && agg >= 0 && agg != IND_AGG_COUNT && agg != IND_AGG_RATE)
        add_problem(pr, "aggregatie", "%s", _("bij eenheid persoon kan alleen aantal of per_1000"));
    if (agg >= 0) {
        bool want_event = agg == IND_AGG_PROPORTION;
        bool want_value = agg == IND_AGG_MEAN || agg == IND_AGG_MEDIAN;
        bool want_ages = agg == IND_AGG_RATE;
        if (want_event && !d->event && !has_problem(pr, "gebeurtenis"))
            add_problem(pr, "gebeurtenis", "%s",
                        _("ontbreekt; een aandeel heeft een gebeurtenis (de teller) nodig"));
        if (!want_event && has_event)
            add_problem(pr, "gebeurtenis", "%s", _("hoort alleen bij aggregatie aandeel"));
        if (want_value && !d->value && !has_problem(pr, "waarde"))
            add_problem(pr, "waarde", "%s",
                        _("ontbreekt; een gemiddelde of mediaan heeft een waarde nodig"));
        if (!want_value && has_value)
            add_problem(pr, "waarde", "%s", _("hoort alleen bij aggregatie gemiddelde of mediaan"));
        if (want_ages && !has_ages)
            add_problem(pr, "leeftijden", "%s",
                        _("ontbreekt; per_1000 heeft de leeftijden van de inwoners nodig"));
        if (!want_ages && has_ages)
            add_problem(pr, "leeftijden", "%s", _("hoort alleen bij aggregatie per_1000"));
        if (disp >= 0) {
            bool fits = agg == IND_AGG_PROPORTION ? disp == IND_SHOW_PERCENT
                        : agg == IND_AGG_COUNT    ? disp == IND_SHOW_COUNT
                        : agg == IND_AGG_RATE     ? disp == IND_SHOW_RATE
                                                  : disp != IND_SHOW_RATE;
            if (!fits)
                add_problem(pr, "eenheid_waarde", _("past niet bij aggregatie %s"), agg_codes[agg]);
        }
    }
    if (has_follow != has_gap)
        add_problem(pr, has_follow ? "tussenruimte_dagen" : "volgtermijn_maanden", "%s",
                    _("volgtermijn_maanden en tussenruimte_dagen horen samen"));
    if (pr->n > 0)
        return ERR_INVALID;

    /* The expressions last: they need the unit and the settings. The programs are thrown
     * away; only their verdict and whether they use the follow-up fields count. */
    struct arena *scratch = arena_new(0);
    if (!scratch)
        return ERR_NOMEM;
    struct any_items items = {.n = 0};
    struct expr_prog *progs[3];
    int rc = compile_all(d, any_item_slot, &items, scratch, progs, pr);
    if (rc == 0) {
        bool uses = progs_use_follow_up(progs);
        if (uses && d->follow_up_months < 0)
            add_problem(pr, "volgtermijn_maanden", "%s",
                        _("ontbreekt; nodig omdat een uitdrukking nieuwe_start of "
                          "volgtermijn_verstreken gebruikt"));
        if (!uses && d->follow_up_months >= 0)
            add_problem(pr, "volgtermijn_maanden", "%s",
                        _("hoort alleen bij een uitdrukking met nieuwe_start of "
                          "volgtermijn_verstreken"));
        if (pr->n > 0)
            rc = ERR_INVALID;
    }
    arena_free(scratch);
    return rc;
}

int ind_def_parse(const char *json, size_t len, struct arena *a, struct ind_def *out,
                  struct ind_problems *pr)
{
    struct ind_problems local;
    if (!pr)
        pr = &local;
    pr->n = 0;
    memset(out, 0, sizeof *out);
    if (len > IND_MAX_JSON) {
        add_problem(pr, "", _("de definitie is te groot (hoogstens %d bytes)"), IND_MAX_JSON);
        return ERR_TOO_BIG;
    }
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (json_error_code(&jerr) == json_error_duplicate_key)
            add_problem(pr, "", _("een sleutel komt twee keer voor (regel %d, kolom %d)"),
                        jerr.line, jerr.column);
        else
            add_problem(pr, "", _("geen geldige JSON (regel %d, kolom %d)"), jerr.line,
                        jerr.column);
        return ERR_INVALID;
    }
    int rc = parse_object(root, a, out, pr);
    json_decref(root);
    return rc;
}

/* ---- Compiling. ----------------------------------------------------------------------------- */

int ind_compile(const struct ind_def *d, int (*answer_slot)(void *ctx, const char *code),
                void *answer_ctx, struct arena *a, struct ind_compiled *out,
                struct ind_problems *pr)
{
    struct ind_problems local;
    if (!pr)
        pr = &local;
    pr->n = 0;
    memset(out, 0, sizeof *out);
    if (!d->population) {
        add_problem(pr, "populatie", "%s", _("ontbreekt; dit veld is verplicht"));
        return ERR_INVALID;
    }
    struct expr_prog *progs[3];
    int rc = compile_all(d, answer_slot, answer_ctx, a, progs, pr);
    if (rc)
        return rc;
    out->def = *d;
    out->population = progs[0];
    out->event = progs[1];
    out->value = progs[2];
    out->uses_follow_up = progs_use_follow_up(progs);
    if (out->uses_follow_up && d->follow_up_months < 1) {
        add_problem(pr, "volgtermijn_maanden", "%s",
                    _("ontbreekt; nodig omdat een uitdrukking nieuwe_start of "
                      "volgtermijn_verstreken gebruikt"));
        return ERR_INVALID;
    }
    return 0;
}

int ind_def_set(struct ind_def *d, const char *code, const char *value)
{
    for (int i = 0; i < d->nsettings; i++) {
        struct ind_setting *s = &d->settings[i];
        if (strcmp(s->code, code) != 0)
            continue;
        if (!value)
            return ERR_INVALID;
        if (s->is_bool) {
            if (strcmp(value, "ja") == 0 || strcmp(value, "true") == 0)
                s->value = 1;
            else if (strcmp(value, "nee") == 0 || strcmp(value, "false") == 0)
                s->value = 0;
            else
                return ERR_INVALID;
            return 0;
        }
        int64_t v;
        if (value[0] < '0' || value[0] > '9' || str_parse_i64_c(value, 0, SETTING_INT_MAX, &v))
            return ERR_INVALID;
        s->value = v;
        return 0;
    }
    return ERR_NOT_FOUND;
}

/* ---- Writing. ------------------------------------------------------------------------------- */

/* Sets key to a string (NULL: leaves it out). False on invalid UTF-8 or no memory. */
static bool put_text(json_t *o, const char *key, const char *s)
{
    if (!s)
        return true;
    json_t *v = json_string(s);
    return v && json_object_set_new(o, key, v) == 0;
}

static bool put_int(json_t *o, const char *key, int64_t x)
{
    json_t *v = json_integer((json_int_t)x);
    return v && json_object_set_new(o, key, v) == 0;
}

const char *ind_def_to_json(const struct ind_def *d, struct arena *a)
{
    json_t *o = json_object();
    char *out = NULL;
    if (!o)
        return NULL;
    bool ok = put_int(o, "versie", 1) && put_text(o, "code", d->code) &&
              put_text(o, "naam", d->name) && put_text(o, "naam_en", d->name_en) &&
              put_text(o, "uitleg", d->explanation) &&
              put_text(o, "uitleg_en", d->explanation_en) && put_text(o, "bron", d->source) &&
              put_text(o, "eenheid", ind_unit_code(d->unit)) &&
              put_text(o, "anker", ind_anchor_code(d->anchor)) &&
              put_text(o, "aggregatie", ind_agg_code(d->agg)) &&
              put_text(o, "populatie", d->population) && put_text(o, "gebeurtenis", d->event) &&
              put_text(o, "waarde", d->value);
    if (ok && d->age_from >= 0) {
        json_t *ages = json_object();
        /* json_object_set_new takes the reference, also when it fails. */
        ok = ages && json_object_set_new(o, "leeftijden", ages) == 0 &&
             put_int(ages, "van", d->age_from) && put_int(ages, "tot_en_met", d->age_to);
    }
    if (ok && d->follow_up_months >= 0)
        ok = put_int(o, "volgtermijn_maanden", d->follow_up_months) &&
             put_int(o, "tussenruimte_dagen", d->gap_days < 0 ? 0 : d->gap_days);
    ok = ok && put_text(o, "polariteit", ind_polarity_code(d->polarity)) &&
         put_text(o, "kwadrant", ind_quadrant_code(d->quadrant)) && put_int(o, "min_n", d->min_n) &&
         put_text(o, "eenheid_waarde", ind_display_code(d->display)) &&
         put_text(o, "groep", d->group);
    if (ok && d->nsettings > 0) {
        json_t *arr = json_array();
        ok = arr && json_object_set_new(o, "instellingen", arr) == 0;
        for (int i = 0; ok && i < d->nsettings && i < IND_MAX_SETTINGS; i++) {
            const struct ind_setting *s = &d->settings[i];
            json_t *so = json_object();
            ok = so && json_array_append_new(arr, so) == 0;
            ok = ok && put_text(so, "code", s->code) && put_text(so, "label", s->label) &&
                 put_text(so, "label_en", s->label_en) && put_text(so, "uitleg", s->help) &&
                 put_text(so, "soort", s->is_bool ? "ja_nee" : "getal");
            if (ok)
                ok = json_object_set_new(so, "waarde",
                                         s->is_bool ? json_boolean(s->value != 0)
                                                    : json_integer(s->value)) == 0;
        }
    }
    if (ok) {
        char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text) {
            out = arena_strdup(a, text);
            free(text);
        }
    }
    json_decref(o);
    return out;
}

/* ---- The standard set. ---------------------------------------------------------------------- */

int ind_standard_set(struct arena *a, struct ind_def **out, size_t *n, struct err_ctx *e)
{
    *out = NULL;
    *n = 0;
    const struct resource *r = resource_find(STANDARD_RESOURCE);
    if (!r)
        return err_set(e, ERR_INTERNAL, NULL, "%s is not embedded", STANDARD_RESOURCE);
    json_error_t jerr;
    json_t *root = json_loadb((const char *)r->data, r->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return err_set(e, ERR_INTERNAL, NULL, "%s: line %d: %s", STANDARD_RESOURCE, jerr.line,
                       jerr.text);
    int ret = 0;
    size_t count = json_is_array(root) ? json_array_size(root) : 0;
    if (count == 0 || count > STANDARD_MAX) {
        ret = err_set(e, ERR_INTERNAL, NULL, "%s: expected an array of 1 to %d definitions",
                      STANDARD_RESOURCE, STANDARD_MAX);
        goto out;
    }
    struct ind_def *defs = arena_calloc(a, count, sizeof *defs);
    if (!defs) {
        ret = ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        struct ind_problems pr = {.n = 0};
        json_t *el = json_array_get(root, i);
        int rc = parse_object(el, a, &defs[i], &pr);
        const char *code = defs[i].code ? defs[i].code : "?";
        if (rc) {
            ret = err_set(e, rc, NULL, "%s, entry %zu (%s): %s: %s", STANDARD_RESOURCE, i, code,
                          pr.n ? pr.p[0].key : "", pr.n ? pr.p[0].message : err_name(rc));
            goto out;
        }
        /* The shipped set is documented in both languages and names its source. */
        if (!defs[i].name_en || !defs[i].explanation_en || !defs[i].source) {
            ret = err_set(e, ERR_INTERNAL, NULL,
                          "%s, entry %zu (%s): naam_en, uitleg_en and "
                          "bron are required in the standard set",
                          STANDARD_RESOURCE, i, code);
            goto out;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(defs[j].code, defs[i].code) == 0) {
                ret = err_set(e, ERR_INTERNAL, NULL, "%s: code %s occurs twice", STANDARD_RESOURCE,
                              code);
                goto out;
            }
        }
    }
    *out = defs;
    *n = count;
out:
    json_decref(root);
    return ret;
}
