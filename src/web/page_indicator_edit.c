/*
 * page_indicator_edit.c: the indicator editor for beleidsadviseurs (issue 4): create a local
 * definition (optionally from a copy), edit it with every problem shown at its field, preview
 * it on real data without saving, archive it, see its version history, set targets
 * (streefwaarden). Definitions are validated by metrics/definition.h (the form is turned into the
 * same JSON document the API takes, so the rules live in one place), stored through
 * store/indicator_store.h with an audit event in the same transaction, and registered with the
 * in-memory engine before the transaction commits, so a definition the engine cannot run is
 * never stored. Figures only come through web/figures.h (disclosure control).
 */
#include "core/common.h"
#include "core/log.h"
#include "core/period.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "metrics/definition.h"
#include "metrics/engine.h"
#include "metrics/fields.h"
#include "metrics/view.h"
#include "store/indicator_store.h"
#include "store/store.h"
#include "web/figures.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <jansson.h>
#include <math.h>
#include <time.h>

#define F_VERSION        "versie"
#define MAX_PROBLEMS     40  /* shown problems: local checks plus IND_MAX_PROBLEMS, twice */
#define PREVIEW_QUARTERS 4   /* the preview shows the last 4 quarters by gemeente */
#define DIFF_VALUE_MAX   240 /* bytes of a changed value shown in the history */
#define TARGET_NOTE_MAX  1000
#define TARGET_ABS_MAX   1e9
#define ANSWER_SLOTS     64
#define FORM_INT_MAX     999999999 /* "is it a number at all"; the definition checks ranges */

/* --- The form: one field per JSON key of definition.h --- */

enum fid {
    F_CODE,
    F_NAAM,
    F_NAAM_EN,
    F_UITLEG,
    F_UITLEG_EN,
    F_BRON,
    F_GROEP,
    F_EENHEID,
    F_ANKER,
    F_AGGREGATIE,
    F_POPULATIE,
    F_GEBEURTENIS,
    F_WAARDE,
    F_LEEFTIJD_VAN,
    F_LEEFTIJD_TOT,
    F_VOLGTERMIJN,
    F_TUSSENRUIMTE,
    F_POLARITEIT,
    F_KWADRANT,
    F_EENHEID_WAARDE,
    F_MIN_N,
    F__COUNT
};

struct choice {
    const char *value;
    const char *label; /* msgid */
};

/* Choice lists in the order of the enums of definition.h, so choices[enum].value is the code. */
static const struct choice units[] = {
    {"traject", N_("Traject")},
    {"persoon", N_("Persoon (iedere cliënt één keer)")},
    {"antwoord", N_("Antwoord op een vragenlijst")},
};
static const struct choice anchors[] = {
    {"einde", N_("Einddatum valt in de periode")},
    {"start", N_("Startdatum valt in de periode")},
    {"actief", N_("Actief in de periode")},
    {"antwoord", N_("Datum van het antwoord valt in de periode")},
};
static const struct choice aggs[] = {
    {"aandeel", N_("Aandeel (percentage)")},
    {"gemiddelde", N_("Gemiddelde")},
    {"mediaan", N_("Mediaan")},
    {"aantal", N_("Aantal")},
    {"per_1000", N_("Per 1.000 inwoners")},
};
static const struct choice polarities[] = {
    {"hoger_beter", N_("Hoger is beter")},
    {"lager_beter", N_("Lager is beter")},
    {"neutraal", N_("Neutraal")},
};
static const struct choice quadrants[] = {
    {"hoeveel", N_("Hoeveel doen we?")},
    {"hoe_goed", N_("Hoe goed doen we het?")},
    {"beter_af", N_("Is iemand beter af?")},
};
static const struct choice displays[] = {
    {"procent", N_("Procent")}, {"cijfer", N_("Rapportcijfer")},        {"dagen", N_("Dagen")},
    {"aantal", N_("Aantal")},   {"per_1000", N_("Per 1.000 inwoners")},
};
static const struct choice setting_kinds[] = {
    {"ja_nee", N_("Ja of nee")},
    {"getal", N_("Getal")},
};

enum { SEL_REQUIRED = 1 << 0, SEL_NAMES = 1 << 1 }; /* select_field flags */

enum fkind { FK_TEXT, FK_LONG, FK_CHOICE, FK_EXPR, FK_INT };

struct fspec {
    const char *name;         /* form field name = JSON key (leeftijden: its two members) */
    const char *label, *hint; /* msgids */
    enum fkind kind;
    bool required;
    const struct choice *choices;
    int nchoices;
};

#define CHOICES(c) c, (int)ARRAY_LEN(c)

static const struct fspec fields[F__COUNT] = {
    [F_CODE] = {"code", N_("Code"),
                N_("Korte naam voor de computer: kleine letters, cijfers en _, 2 tot 48 tekens. "
                   "Bijvoorbeeld: schoolverzuim_na_hulp. De code kan later niet meer veranderen."),
                FK_TEXT, true, NULL, 0},
    [F_NAAM] = {"naam", N_("Naam"), N_("Zoals de indicator op dashboards heet."), FK_TEXT, true,
                NULL, 0},
    [F_NAAM_EN] = {"naam_en", N_("Naam in het Engels"), NULL, FK_TEXT, false, NULL, 0},
    [F_UITLEG] = {"uitleg", N_("Uitleg"),
                  N_("Wat meet deze indicator en hoe leest u het cijfer? Schrijf in gewone taal "
                     "(B1)."),
                  FK_LONG, true, NULL, 0},
    [F_UITLEG_EN] = {"uitleg_en", N_("Uitleg in het Engels"), NULL, FK_LONG, false, NULL, 0},
    [F_BRON] = {"bron", N_("Bron"),
                N_("Waar komt de definitie vandaan? Bijvoorbeeld een protocol of een afspraak in "
                   "de regio."),
                FK_TEXT, false, NULL, 0},
    [F_GROEP] = {"groep", N_("Groep"),
                 N_("Korte code om indicatoren op een dashboard bij elkaar te zetten, zoals "
                    "toegang, kwaliteit of effect."),
                 FK_TEXT, false, NULL, 0},
    [F_EENHEID] = {"eenheid", N_("Wat telt u?"), NULL, FK_CHOICE, true, CHOICES(units)},
    [F_ANKER] = {"anker", N_("Wanneer telt iets mee in een periode?"), NULL, FK_CHOICE, true,
                 CHOICES(anchors)},
    [F_AGGREGATIE] = {"aggregatie", N_("Soort cijfer"), NULL, FK_CHOICE, true, CHOICES(aggs)},
    [F_POPULATIE] = {"populatie", N_("Wie tellen mee (populatie)"),
                     N_("Een voorwaarde. Bijvoorbeeld: wet = \"jw\" en reden_cbs in (\"01\", "
                        "\"02\", \"03\"). Schrijf waar als iedereen meetelt."),
                     FK_EXPR, true, NULL, 0},
    [F_GEBEURTENIS] = {"gebeurtenis", N_("Wie hebben de uitkomst (gebeurtenis)"),
                       N_("Alleen bij een aandeel: wie van de populatie tellen mee in de teller. "
                          "Bijvoorbeeld: reden_cbs = \"03\"."),
                       FK_EXPR, false, NULL, 0},
    [F_WAARDE] = {"waarde", N_("Welk getal (waarde)"),
                  N_("Alleen bij een gemiddelde of mediaan: een getal per traject of antwoord. "
                     "Bijvoorbeeld: doorlooptijd."),
                  FK_EXPR, false, NULL, 0},
    [F_LEEFTIJD_VAN] = {"leeftijden_van", N_("Leeftijd vanaf"),
                        N_("Alleen bij per 1.000 inwoners: de leeftijdsgroep van de inwoners."),
                        FK_INT, false, NULL, 0},
    [F_LEEFTIJD_TOT] = {"leeftijden_tot_en_met", N_("Leeftijd tot en met"), NULL, FK_INT, false,
                        NULL, 0},
    [F_VOLGTERMIJN] = {"volgtermijn_maanden", N_("Volgtermijn in maanden"),
                       N_("Nodig bij nieuwe_start of volgtermijn_verstreken: hoe lang na het "
                          "einde u kijkt (1 tot 60)."),
                       FK_INT, false, NULL, 0},
    [F_TUSSENRUIMTE] = {"tussenruimte_dagen", N_("Tussenruimte in dagen"),
                        N_("Een nieuwe start binnen zoveel dagen na het einde telt niet als "
                           "nieuwe start (0 tot 365)."),
                        FK_INT, false, NULL, 0},
    [F_POLARITEIT] = {"polariteit", N_("Wat is beter?"), NULL, FK_CHOICE, true,
                      CHOICES(polarities)},
    [F_KWADRANT] = {"kwadrant", N_("Vraag (resultaatgericht werken)"), NULL, FK_CHOICE, true,
                    CHOICES(quadrants)},
    [F_EENHEID_WAARDE] = {"eenheid_waarde", N_("Hoe het cijfer wordt getoond"), NULL, FK_CHOICE,
                          true, CHOICES(displays)},
    [F_MIN_N] = {"min_n", N_("Minimaal aantal"),
                 N_("Een cijfer dat op minder trajecten, personen of antwoorden rust, wordt niet "
                    "getoond. De privacyregels kunnen meer vragen."),
                 FK_INT, true, NULL, 0},
};

/* The columns of one setting (instellingen[i]) and their JSON keys. */
enum sid { S_CODE, S_LABEL, S_LABEL_EN, S_UITLEG, S_SOORT, S_WAARDE, S__COUNT };
static const char *const setting_keys[S__COUNT] = {"code",   "label", "label_en",
                                                   "uitleg", "soort", "waarde"};
static const char *const setting_labels[S__COUNT] = {
    N_("Code"), N_("Label"), N_("Label in het Engels"), N_("Uitleg"), N_("Soort"), N_("Waarde")};

struct ind_form {
    int64_t id;      /* 0 when creating */
    int64_t version; /* the version the user started from */
    bool standard;   /* the standard set: only setting values can change */
    const char *v[F__COUNT];
    const char *s[IND_MAX_SETTINGS][S__COUNT];
    int nrows;                      /* setting rows to show (filled ones and one empty) */
    int json_row[IND_MAX_SETTINGS]; /* index in the JSON array -> form row */
    int njson;
    const char *title;      /* the stored name, for headings */
    const char *owner_name; /* NULL for the standard set */
    const char *copy_of;    /* name of the definition a new one was copied from */
};

struct problem {
    const char *field; /* form field, or NULL (summary only) */
    const char *msg;
};
struct problems {
    struct problem p[MAX_PROBLEMS];
    int n;
};

/* The preview a POST to .../voorbeeld asked for. */
struct preview {
    bool requested;
    bool ok;
    struct mx_view view;
    const char *error; /* why there is no table */
};

static const char *setting_field(struct arena *a, int row, enum sid s)
{
    return arena_printf(a, "instelling_%d_%s", row, setting_keys[s]);
}

/* One message per field (the first is the most specific); without a field always added. */
static void prob_add(struct arena *a, struct problems *ps, const char *field, const char *msg)
{
    if (ps->n >= MAX_PROBLEMS || !msg)
        return;
    for (int i = 0; field && i < ps->n; i++)
        if (ps->p[i].field && strcmp(ps->p[i].field, field) == 0)
            return;
    ps->p[ps->n].field = field ? arena_strdup(a, field) : NULL;
    ps->p[ps->n].msg = arena_strdup(a, msg);
    ps->n++;
}

static const char *prob_for(const struct problems *ps, const char *field)
{
    for (int i = 0; ps && i < ps->n; i++)
        if (ps->p[i].field && strcmp(ps->p[i].field, field) == 0)
            return ps->p[i].msg;
    return NULL;
}

static bool blank(const char *s)
{
    return !s || str_trim(str_from(s)).len == 0;
}

static const char *trimmed(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    struct str t = str_trim(str_from(s));
    return arena_strndup(a, t.p, t.len);
}

static void ind_href(char *out, size_t n, int64_t id, const char *suffix)
{
    snprintf(out, n, "/indicatoren/%" PRId64 "%s", id, suffix);
}

/* --- Access --- */

/* The policy's object for an indicator: the owner's kind comes from the owner itself. */
static void ind_ref(struct http_req *req, enum object_kind kind, int64_t id, int64_t owner,
                    struct object_ref *o)
{
    struct org org;
    *o = (struct object_ref){.kind = kind, .id = id, .owner_org_id = owner};
    if (owner && org_get_internal(req->arena, req->app->store, owner, &org) == 0) {
        struct org *copy = arena_alloc(req->arena, sizeof *copy);
        if (copy) {
            *copy = org;
            o->owner_org_kind = copy->kind;
            o->owner_region_ids = copy->parent_ids;
            o->owner_nregions = copy->nparents;
        }
    }
}

static bool may_ind(struct http_req *req, enum action act, const struct indicator_row *row)
{
    struct object_ref o;
    ind_ref(req, OBJ_INDICATOR, row->id, row->owner_org_id, &o);
    return policy_allows(&req->actor, act, &o);
}

/* May the actor create a local indicator (owned by their own organisation)? */
static bool may_create(struct http_req *req)
{
    struct object_ref o;
    if (!req->actor.org_id)
        return false;
    ind_ref(req, OBJ_INDICATOR, 0, req->actor.org_id, &o);
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

static bool may_add_target(struct http_req *req)
{
    struct object_ref o;
    if (!req->actor.org_id)
        return false;
    ind_ref(req, OBJ_INDICATOR_TARGET, 0, req->actor.org_id, &o);
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

/* Loads the indicator of path parameter 0; answers 404 (or 500) itself. */
static int load_row(struct http_req *req, struct indicator_row *row)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = indicator_store_get(req->arena, store_reader(req->app->store), id, row);
    if (rc != 0) {
        kit_fail(req, rc);
        return rc;
    }
    return 0;
}

/* The stored definition, parsed; NULL (logged) if it no longer parses. */
static const struct ind_def *stored_def(struct http_req *req, const struct indicator_row *row)
{
    struct ind_def *d = arena_alloc(req->arena, sizeof *d);
    struct ind_problems pr = {0};
    if (!d || !row->definition)
        return NULL;
    if (ind_def_parse(row->definition, strlen(row->definition), req->arena, d, &pr) != 0) {
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, row->id);
        log_error("indicator.stored_invalid", "id", id, "key", pr.n ? pr.p[0].key : "", NULL);
        return NULL;
    }
    return d;
}

/* The name of a stored definition without a full parse (lists, history). */
static const char *json_name(struct arena *a, const char *json, const char *fallback)
{
    const char *out = fallback;
    if (!json)
        return out;
    json_t *root = json_loads(json, 0, NULL);
    const char *n = json_string_value(json_object_get(root, "naam"));
    if (n && *n)
        out = arena_strdup(a, n);
    json_decref(root);
    return out;
}

/* --- Form <-> definition --- */

static const char *choice_code(const struct choice *c, int n, int idx)
{
    return idx >= 0 && idx < n ? c[idx].value : NULL;
}

static void form_from_def(struct arena *a, struct ind_form *f, const struct ind_def *d)
{
    f->v[F_CODE] = d->code;
    f->v[F_NAAM] = d->name;
    f->v[F_NAAM_EN] = d->name_en;
    f->v[F_UITLEG] = d->explanation;
    f->v[F_UITLEG_EN] = d->explanation_en;
    f->v[F_BRON] = d->source;
    f->v[F_GROEP] = d->group;
    f->v[F_EENHEID] = choice_code(CHOICES(units), (int)d->unit);
    f->v[F_ANKER] = choice_code(CHOICES(anchors), (int)d->anchor);
    f->v[F_AGGREGATIE] = choice_code(CHOICES(aggs), (int)d->agg);
    f->v[F_POPULATIE] = d->population;
    f->v[F_GEBEURTENIS] = d->event;
    f->v[F_WAARDE] = d->value;
    if (d->age_from >= 0)
        f->v[F_LEEFTIJD_VAN] = arena_printf(a, "%d", d->age_from);
    if (d->age_to >= 0)
        f->v[F_LEEFTIJD_TOT] = arena_printf(a, "%d", d->age_to);
    if (d->follow_up_months >= 0)
        f->v[F_VOLGTERMIJN] = arena_printf(a, "%d", d->follow_up_months);
    if (d->gap_days >= 0)
        f->v[F_TUSSENRUIMTE] = arena_printf(a, "%d", d->gap_days);
    f->v[F_POLARITEIT] = choice_code(CHOICES(polarities), (int)d->polarity);
    f->v[F_KWADRANT] = choice_code(CHOICES(quadrants), (int)d->quadrant);
    f->v[F_EENHEID_WAARDE] = choice_code(CHOICES(displays), (int)d->display);
    f->v[F_MIN_N] = arena_printf(a, "%d", d->min_n);
    int n = d->nsettings < IND_MAX_SETTINGS ? d->nsettings : IND_MAX_SETTINGS;
    for (int i = 0; i < n; i++) {
        const struct ind_setting *st = &d->settings[i];
        f->s[i][S_CODE] = st->code;
        f->s[i][S_LABEL] = st->label;
        f->s[i][S_LABEL_EN] = st->label_en;
        f->s[i][S_UITLEG] = st->help;
        f->s[i][S_SOORT] = st->is_bool ? "ja_nee" : "getal";
        f->s[i][S_WAARDE] =
            st->is_bool ? (st->value ? "ja" : "nee") : arena_printf(a, "%" PRId64, st->value);
    }
    f->nrows = n;
}

static bool row_filled(const struct ind_form *f, int r)
{
    for (int s = 0; s < S__COUNT; s++)
        if (!blank(f->s[r][s]))
            return true;
    return false;
}

static void read_form(struct http_req *req, struct ind_form *f)
{
    for (int i = 0; i < F__COUNT; i++)
        if (i != F_CODE || f->id == 0)
            f->v[i] = http_form(req, fields[i].name);
    f->nrows = 0;
    for (int r = 0; r < IND_MAX_SETTINGS; r++) {
        for (int s = 0; s < S__COUNT; s++)
            f->s[r][s] = http_form(req, setting_field(req->arena, r, (enum sid)s));
        if (row_filled(f, r))
            f->nrows = r + 1;
    }
}

static void put_str(json_t *o, const char *key, struct arena *a, const char *v)
{
    if (blank(v))
        return;
    json_object_set_new(o, key, json_string(trimmed(a, v)));
}

/* A whole number typed by the user; a problem at field when it is not one. */
static bool form_int(struct http_req *req, struct problems *ps, const char *field, const char *v,
                     int64_t *out)
{
    if (str_parse_i64(str_trim(str_from(v)), -FORM_INT_MAX, FORM_INT_MAX, out) == 0)
        return true;
    prob_add(req->arena, ps, field, _("Vul een heel getal in, bijvoorbeeld 12."));
    return false;
}

static void put_int(struct http_req *req, json_t *o, const char *key, const char *field,
                    const char *v, struct problems *ps)
{
    int64_t n;
    if (blank(v))
        return;
    if (form_int(req, ps, field, v, &n))
        json_object_set_new(o, key, json_integer(n));
}

/* A setting's value: ja/nee for ja_nee, a whole number for getal (the kind decides). */
static json_t *setting_value(struct http_req *req, struct problems *ps, const char *field,
                             const char *kind, const char *v)
{
    struct str t = str_trim(str_from(v));
    int64_t n;
    bool is_bool = kind && strcmp(kind, "ja_nee") == 0;
    bool is_int = kind && strcmp(kind, "getal") == 0;
    if (t.len == 0)
        return NULL;
    if (!is_int && (str_eq_nocase(t, str_from("ja")) || str_eq_nocase(t, str_from("true"))))
        return json_true();
    if (!is_int && (str_eq_nocase(t, str_from("nee")) || str_eq_nocase(t, str_from("false"))))
        return json_false();
    if (is_bool) {
        prob_add(req->arena, ps, field, _("Kies ja of nee."));
        return NULL;
    }
    if (str_parse_i64(t, -FORM_INT_MAX, FORM_INT_MAX, &n) == 0)
        return json_integer(n);
    prob_add(req->arena, ps, field, _("Vul een heel getal in, of ja of nee."));
    return NULL;
}

/*
 * The form as a definition document (definition.h). Values the web layer cannot even turn into
 * JSON (a number that is no number) become problems here; everything else is judged by
 * ind_def_parse, so the form and the API follow the same rules.
 */
static const char *form_json(struct http_req *req, struct ind_form *f, struct problems *ps)
{
    struct arena *a = req->arena;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "versie", json_integer(1));
    put_str(o, "code", a, f->v[F_CODE]);
    static const enum fid texts[] = {F_NAAM,      F_NAAM_EN,     F_UITLEG, F_UITLEG_EN,
                                     F_BRON,      F_EENHEID,     F_ANKER,  F_AGGREGATIE,
                                     F_POPULATIE, F_GEBEURTENIS, F_WAARDE};
    for (size_t i = 0; i < ARRAY_LEN(texts); i++)
        put_str(o, fields[texts[i]].name, a, f->v[texts[i]]);
    if (!blank(f->v[F_LEEFTIJD_VAN]) || !blank(f->v[F_LEEFTIJD_TOT])) {
        json_t *ages = json_object();
        put_int(req, ages, "van", fields[F_LEEFTIJD_VAN].name, f->v[F_LEEFTIJD_VAN], ps);
        put_int(req, ages, "tot_en_met", fields[F_LEEFTIJD_TOT].name, f->v[F_LEEFTIJD_TOT], ps);
        json_object_set_new(o, "leeftijden", ages);
    }
    put_int(req, o, "volgtermijn_maanden", fields[F_VOLGTERMIJN].name, f->v[F_VOLGTERMIJN], ps);
    put_int(req, o, "tussenruimte_dagen", fields[F_TUSSENRUIMTE].name, f->v[F_TUSSENRUIMTE], ps);
    put_str(o, "polariteit", a, f->v[F_POLARITEIT]);
    put_str(o, "kwadrant", a, f->v[F_KWADRANT]);
    put_int(req, o, "min_n", fields[F_MIN_N].name, f->v[F_MIN_N], ps);
    put_str(o, "eenheid_waarde", a, f->v[F_EENHEID_WAARDE]);
    put_str(o, "groep", a, f->v[F_GROEP]);
    f->njson = 0;
    json_t *arr = NULL;
    for (int r = 0; r < f->nrows && r < IND_MAX_SETTINGS; r++) {
        if (!row_filled(f, r))
            continue;
        json_t *st = json_object();
        for (int s = S_CODE; s <= S_SOORT; s++)
            put_str(st, setting_keys[s], a, f->s[r][s]);
        json_t *val = setting_value(req, ps, setting_field(a, r, S_WAARDE), f->s[r][S_SOORT],
                                    f->s[r][S_WAARDE]);
        if (val)
            json_object_set_new(st, "waarde", val);
        if (!arr)
            arr = json_array();
        json_array_append_new(arr, st);
        f->json_row[f->njson++] = r;
    }
    if (arr)
        json_object_set_new(o, "instellingen", arr);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text)
        return NULL;
    const char *out = arena_strdup(a, text);
    free(text);
    return out;
}

/* A definition problem's JSON key as the form field that shows it ("instellingen[1].code" ->
 * "instelling_<row>_code"). NULL: the summary only. */
static const char *field_for_key(struct http_req *req, const struct ind_form *f, const char *key)
{
    if (!key || !*key)
        return NULL;
    if (strncmp(key, "instellingen[", 13) == 0) {
        const char *p = key + 13;
        int idx = 0;
        while (*p >= '0' && *p <= '9' && idx < 1000)
            idx = idx * 10 + (*p++ - '0');
        if (*p != ']' || idx >= f->njson)
            return "instellingen";
        p++;
        if (f->standard)
            return setting_field(req->arena, f->json_row[idx], S_WAARDE);
        enum sid s = S_CODE;
        if (*p == '.')
            for (int i = 0; i < S__COUNT; i++)
                if (strcmp(p + 1, setting_keys[i]) == 0)
                    s = (enum sid)i;
        return setting_field(req->arena, f->json_row[idx], s);
    }
    if (strcmp(key, "instellingen") == 0)
        return "instellingen";
    if (strncmp(key, "leeftijden", 10) == 0)
        return strstr(key, "tot_en_met") ? fields[F_LEEFTIJD_TOT].name
                                         : fields[F_LEEFTIJD_VAN].name;
    if (f->standard) /* only the settings are fields on the standard set's page */
        return NULL;
    for (int i = 0; i < F__COUNT; i++)
        if (strcmp(key, fields[i].name) == 0)
            return fields[i].name;
    return NULL;
}

static void add_def_problems(struct http_req *req, const struct ind_form *f,
                             const struct ind_problems *pr, struct problems *ps)
{
    for (int i = 0; i < pr->n && i < IND_MAX_PROBLEMS; i++)
        prob_add(req->arena, ps, field_for_key(req, f, pr->p[i].key), pr->p[i].message);
}

/* Answer items for compiling a response definition outside the engine: every well-formed item
 * code gets a slot (the engine's own compile, at saving, knows the real items). */
struct any_slots {
    const char *codes[ANSWER_SLOTS];
    int n;
};

static int any_answer_slot(void *ctx, const char *code)
{
    struct any_slots *s = ctx;
    size_t len = code ? strlen(code) : 0;
    if (len == 0 || len > 48)
        return -1;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->codes[i], code) == 0)
            return i;
    if (s->n >= ANSWER_SLOTS)
        return -1;
    s->codes[s->n] = code;
    return s->n++;
}

/* The form field holding the most text: where a document over the size limit is to blame. */
static const char *longest_field(const struct ind_form *f)
{
    const char *best = NULL;
    size_t max = 0;
    for (int i = 0; i < F__COUNT; i++)
        if (f->v[i] && strlen(f->v[i]) > max) {
            max = strlen(f->v[i]);
            best = fields[i].name;
        }
    return best;
}

/* Parses and compiles a document; problems into ps. 0 or ERR_INVALID / ERR_TOO_BIG / ... */
static int validate(struct http_req *req, const char *json, const struct ind_form *f,
                    struct ind_def *def, struct problems *ps)
{
    struct ind_problems pr = {0};
    struct any_slots slots = {0};
    struct ind_compiled comp;
    if (!json) {
        prob_add(req->arena, ps, NULL,
                 _("De definitie kon niet worden gemaakt. Probeer het opnieuw."));
        return ERR_NOMEM;
    }
    int rc = ind_def_parse(json, strlen(json), req->arena, def, &pr);
    if (rc == ERR_TOO_BIG) {
        prob_add(req->arena, ps, f->standard ? NULL : longest_field(f),
                 _("De definitie is te groot: samen mogen de velden hoogstens 64 kB tekst "
                   "bevatten. Maak deze tekst korter."));
        return rc;
    }
    if (rc != 0 && rc != ERR_INVALID) {
        prob_add(req->arena, ps, NULL, _("De definitie kon niet worden gelezen."));
        return rc;
    }
    add_def_problems(req, f, &pr, ps);
    if (rc == 0) { /* also with local problems: every problem at once */
        memset(&pr, 0, sizeof pr);
        rc = ind_compile(def, any_answer_slot, &slots, req->arena, &comp, &pr);
        add_def_problems(req, f, &pr, ps);
    }
    if (rc == 0 && ps->n > 0)
        rc = ERR_INVALID;
    if (rc == ERR_INVALID && ps->n == 0)
        prob_add(req->arena, ps, NULL, _("De definitie is niet geldig."));
    return rc;
}

/* --- Rendering: fields in NL Design System markup (as web/page.c, plus code editors) --- */

static void control_attrs(struct html *h, const char *name, const char *hint, const char *error)
{
    html_raw(h, " id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    form_described_by(h, name, hint, error);
}

static void text_field(struct html *h, const struct problems *ps, const char *name,
                       const char *label, const char *hint, const char *value, bool required,
                       bool numeric)
{
    const char *error = prob_for(ps, name);
    form_field_open(h, name, label, hint, error, required);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><input type=\"text\" "
                "class=\"utrecht-textbox utrecht-textbox--html-input");
    if (error)
        html_raw(h, " utrecht-textbox--invalid");
    html_raw(h, "\"");
    control_attrs(h, name, hint, error);
    html_attr(h, "value", value);
    if (numeric)
        html_raw(h, " inputmode=\"numeric\"");
    html_raw(h, " autocomplete=\"off\"></div></div>");
}

static void area_field(struct html *h, const struct problems *ps, const char *name,
                       const char *label, const char *hint, const char *value, bool required,
                       bool code)
{
    const char *error = prob_for(ps, name);
    form_field_open(h, name, label, hint, error, required);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><textarea class=\"utrecht-textarea "
                "utrecht-textarea--html-textarea");
    if (code)
        html_raw(h, " duiding-expr\" rows=\"3\" spellcheck=\"false\" autocapitalize=\"off\"");
    else
        html_raw(h, "\" rows=\"4\"");
    control_attrs(h, name, hint, error);
    html_raw(h, ">");
    html_text(h, value);
    html_raw(h, "</textarea></div></div>");
}

static void select_field(struct html *h, const struct problems *ps, const char *name,
                         const char *label, const char *hint, const struct choice *c, int n,
                         const char *selected, const char *empty_label, unsigned flags)
{
    bool required = flags & SEL_REQUIRED;
    const char *error = prob_for(ps, name);
    form_field_open(h, name, label, hint, error, required);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><select class=\"utrecht-select "
                "utrecht-select--html-select\"");
    control_attrs(h, name, hint, error);
    html_raw(h, ">");
    if (empty_label) {
        html_raw(h, "<option value=\"\">");
        html_text(h, empty_label);
        html_raw(h, "</option>");
    }
    for (int i = 0; i < n; i++) {
        html_raw(h, "<option");
        html_attr(h, "value", c[i].value);
        html_attr_bool(h, "selected", selected && strcmp(selected, c[i].value) == 0);
        html_raw(h, ">");
        html_text(h, (flags & SEL_NAMES) ? c[i].label : _(c[i].label));
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></div></div>");
}

static void spec_field(struct html *h, const struct problems *ps, const struct ind_form *f,
                       enum fid i)
{
    const struct fspec *sp = &fields[i];
    const char *hint = sp->hint ? _(sp->hint) : NULL;
    switch (sp->kind) {
    case FK_TEXT:
    case FK_INT:
        text_field(h, ps, sp->name, _(sp->label), hint, f->v[i], sp->required, sp->kind == FK_INT);
        break;
    case FK_LONG:
    case FK_EXPR:
        area_field(h, ps, sp->name, _(sp->label), hint, f->v[i], sp->required, sp->kind == FK_EXPR);
        break;
    case FK_CHOICE:
        select_field(h, ps, sp->name, _(sp->label), hint, sp->choices, sp->nchoices, f->v[i],
                     f->v[i] && *f->v[i] ? NULL : _("Kies..."), sp->required ? SEL_REQUIRED : 0);
        break;
    }
}

static const char *target_labels[][2] = {
    {"waarde", N_("Streefwaarde")},          {"gemeente", N_("Gemeente")},
    {"aanbieder", N_("Aanbieder")},          {"geldig_van", N_("Geldig vanaf")},
    {"geldig_tot", N_("Geldig tot en met")}, {"toelichting", N_("Toelichting")},
};

/* The label of a form field for the summary, or NULL. */
static const char *field_label(struct arena *a, const char *field, bool targets)
{
    int row;
    if (!field)
        return NULL;
    if (targets) {
        for (size_t i = 0; i < ARRAY_LEN(target_labels); i++)
            if (strcmp(field, target_labels[i][0]) == 0)
                return _(target_labels[i][1]);
        return NULL;
    }
    for (int i = 0; i < F__COUNT; i++)
        if (strcmp(field, fields[i].name) == 0)
            return _(fields[i].label);
    if (strcmp(field, "instellingen") == 0)
        return _("Instellingen");
    if (strncmp(field, "instelling_", 11) == 0 && field[11] >= '0' && field[11] <= '9') {
        row = field[11] - '0';
        const char *col = strchr(field + 11, '_');
        for (int s = 0; col && s < S__COUNT; s++)
            if (strcmp(col + 1, setting_keys[s]) == 0)
                return arena_printf(a, _("Instelling %d, %s"), row + 1, _(setting_labels[s]));
    }
    return NULL;
}

static void error_summary_for(struct html *h, struct arena *a, const struct problems *ps,
                              bool targets)
{
    if (!ps || ps->n == 0)
        return;
    html_raw(h, "<div class=\"utrecht-alert utrecht-alert--error duiding-error-summary\" "
                "role=\"alert\" tabindex=\"-1\"><div class=\"utrecht-alert__content\">"
                "<div class=\"utrecht-alert__message\"><h2 class=\"utrecht-heading-2\">");
    html_text(h, ps->n == 1 ? _("Er is een probleem") : _("Er zijn problemen"));
    html_raw(h, "</h2><ul class=\"utrecht-unordered-list\">");
    for (int i = 0; i < ps->n; i++) {
        html_raw(h, "<li>");
        const char *label = field_label(a, ps->p[i].field, targets);
        if (ps->p[i].field) {
            html_raw(h, "<a class=\"utrecht-link\" href=\"#veld-");
            html_text(h, ps->p[i].field);
            html_raw(h, "\">");
        }
        if (label) {
            html_text(h, label);
            html_raw(h, ": ");
            html_text(h, ps->p[i].msg);
        } else {
            form_sentence(h, ps->p[i].msg);
        }
        if (ps->p[i].field)
            html_raw(h, "</a>");
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul></div></div></div>");
}

static void fieldset_open(struct html *h, const char *id, const char *legend)
{
    html_raw(h, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset "
                "duiding-form-section\"");
    if (id) {
        html_raw(h, " id=\"veld-");
        html_text(h, id);
        html_raw(h, "\"");
    }
    html_raw(h, "><legend class=\"utrecht-form-fieldset__legend "
                "utrecht-form-fieldset__legend--html-legend\"><span class=\"utrecht-heading-2\">");
    html_text(h, legend);
    html_raw(h, "</span></legend>");
}

static const char *type_label(enum mx_type t)
{
    switch (t) {
    case MX_T_BOOL:
        return _("ja/nee");
    case MX_T_INT:
        return _("getal");
    case MX_T_DAY:
        return _("datum");
    case MX_T_CODE:
        return _("code");
    case MX_T_LISTCODE:
        return _("code uit JZ588 of WMO588");
    }
    return "";
}

/* The fields and the grammar at a glance, beside the expression fields (fields.h, expr.h). */
static void field_help(struct html *h, const struct ind_form *f)
{
    const struct mx_field_info *fi = mx_fields();
    html_raw(h, "<details class=\"duiding-details\" id=\"veldenlijst\"><summary>");
    html_text(h, _("Welke velden en woorden kunt u gebruiken?"));
    html_raw(h, "</summary>");
    kit_para(h, _("Combineer voorwaarden met en, of en niet. Vergelijk met =, !=, <, <=, > en >=. "
                  "Andere woorden: in (\"01\", \"02\"), tussen 1 en 5, bekend(veld), "
                  "antwoord(\"vraagcode\") bij antwoorden op een vragenlijst, maanden(6), en "
                  "$code voor een instelling van deze indicator. Teksten en codes staan tussen "
                  "aanhalingstekens."));
    const char *heads[] = {_("Veld"), _("Soort"), _("Voor"), _("Uitleg")};
    table_begin(h, _("Velden voor voorwaarden en waarden"), heads, 4);
    for (int i = 0; fi && i < MX_F__COUNT; i++) {
        table_row_begin(h);
        kit_cell_begin(h);
        html_raw(h, "<code>");
        html_text(h, fi[i].name);
        html_raw(h, "</code>");
        kit_cell_end(h);
        table_cell(h, type_label(fi[i].type));
        bool tr = fi[i].units & MX_UNIT_TRAJECTORY, resp = fi[i].units & MX_UNIT_RESPONSE;
        table_cell(h, tr && resp ? _("trajecten en antwoorden")
                      : tr       ? _("trajecten en personen")
                                 : _("antwoorden"));
        table_cell(h, fi[i].help ? _(fi[i].help) : "");
        table_row_end(h);
    }
    table_end(h);
    bool any = false;
    for (int r = 0; r < f->nrows; r++) {
        if (blank(f->s[r][S_CODE]))
            continue;
        if (!any) {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            html_text(h, _("Instellingen van deze indicator:"));
            any = true;
        }
        html_raw(h, " <code>$");
        html_text(h, f->s[r][S_CODE]);
        html_raw(h, "</code>");
    }
    if (any)
        html_raw(h, "</p>");
    html_raw(h, "</details>");
}

/* --- Preview --- */

static void preview_last_quarters(struct mx_engine *eng, struct period *first, struct period *last)
{
    struct mx_engine_stats st = {0};
    day_t d = DAY_NONE;
    if (eng) {
        mx_engine_get_stats(eng, &st);
        d = st.data_date;
    }
    if (d == DAY_NONE || d <= 0)
        d = day_today();
    *last = period_of(d, PERIOD_QUARTER);
    *first = *last;
    for (int i = 1; i < PREVIEW_QUARTERS; i++)
        *first = period_prev(*first);
}

/* Computes the preview of def (unsaved) through the disclosure choke point. */
static void run_preview(struct http_req *req, int64_t id, const struct ind_def *def,
                        struct preview *pv)
{
    struct figures_opts o;
    struct err_ctx e = {0};
    memset(&o, 0, sizeof o);
    pv->requested = true;
    struct mx_engine *eng = figures_engine(req);
    if (!eng) {
        pv->error = _("Er zijn nu geen cijfers beschikbaar om een voorbeeld te maken.");
        return;
    }
    o.ind_id = id;
    o.preview = def;
    o.pkind = PERIOD_QUARTER;
    preview_last_quarters(eng, &o.first, &o.last);
    o.by[0] = MX_DIM_GEMEENTE;
    o.nby = 1;
    o.audience = -1;
    o.bench_dim = -1;
    int rc = figures_view(req, &o, &pv->view, &e);
    if (rc == 0) {
        pv->ok = true;
        return;
    }
    if (rc == ERR_DENIED)
        pv->error = _("U mag geen cijfers zien, dus er is geen voorbeeld.");
    else if (rc == ERR_INVALID && e.msg[0])
        pv->error = arena_strdup(req->arena, e.msg);
    else
        pv->error = _("Het voorbeeld kon niet worden berekend.");
}

static int cmp_key(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return strcmp(x, y);
}

static void preview_table(struct html *h, struct http_req *req, const struct mx_view *v)
{
    size_t nkeys = 0;
    const char **keys = arena_calloc(req->arena, v->ncells + 1, sizeof *keys);
    bool total = false;
    for (size_t i = 0; keys && i < v->ncells; i++) {
        const char *k = v->cells[i].key[0];
        bool seen = false;
        if (!k) {
            total = true;
            continue;
        }
        for (size_t j = 0; j < nkeys && !seen; j++)
            seen = strcmp(keys[j], k) == 0;
        if (!seen)
            keys[nkeys++] = k;
    }
    if (keys)
        qsort(keys, nkeys, sizeof *keys, cmp_key);
    int np = v->nperiods;
    const char **heads = arena_calloc(req->arena, (size_t)np + 1, sizeof *heads);
    if (!heads || !keys) {
        kit_para(h, _("Het voorbeeld kon niet worden getoond."));
        return;
    }
    heads[0] = _("Gemeente");
    for (int p = 0; p < np; p++) {
        char label[PERIOD_LABEL_MAX];
        period_label(v->periods[p], label, sizeof label);
        heads[p + 1] = arena_strdup(req->arena, label);
    }
    table_begin(h, _("Voorbeeld per gemeente (nog niet opgeslagen)"), heads, np + 1);
    /* With one gemeente the total repeats its row. */
    if (nkeys <= 1 && total && nkeys == 1)
        total = false;
    for (size_t r = 0; r < nkeys + (total ? 1 : 0); r++) {
        const char *k = r < nkeys ? keys[r] : NULL;
        table_row_begin(h);
        html_raw(h, "<th scope=\"row\" class=\"utrecht-table__header-cell\">");
        html_text(h, k ? figures_label(req, MX_DIM_GEMEENTE, k) : _("Totaal"));
        html_raw(h, "</th>");
        for (int p = 0; p < np; p++) {
            const struct mx_vcell *c = mx_view_cell(v, p, k, NULL);
            char val[64] = ".";
            if (c)
                mx_view_format_value(v, c, val, sizeof val);
            kit_cell_begin(h);
            html_text(h, val);
            if (c && c->reason == DC_SHOWN && c->n >= 0) {
                html_raw(h, " <span class=\"duiding-muted\">(n = ");
                html_int(h, c->n);
                html_raw(h, ")</span>");
            }
            kit_cell_end(h);
        }
        table_row_end(h);
    }
    table_end(h);
    if (nkeys == 0 && !total)
        kit_para(h, _("Er zijn in deze periode geen gegevens die bij deze definitie passen."));
    html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
    html_text(h, _("Een punt (.) betekent dat het cijfer niet wordt getoond: het rust op te "
                   "weinig mensen, of het zou een verborgen cijfer verraden. Getoonde aantallen "
                   "kunnen zijn afgerond."));
    if (v->data_date != DAY_NONE && v->data_date > 0) {
        char d[11];
        date_format_nl(v->data_date, d);
        html_raw(h, " ");
        html_textf(h, _("Gegevens tot en met %s."), d);
    }
    html_raw(h, "</p>");
}

static void render_preview(struct html *h, struct http_req *req, const struct preview *pv,
                           const struct problems *ps)
{
    if (!pv || !pv->requested)
        return;
    html_raw(h, "<section class=\"duiding-section\" id=\"voorbeeld\" aria-labelledby=\"kop-"
                "voorbeeld\"><h2 class=\"utrecht-heading-2\" id=\"kop-voorbeeld\">");
    html_text(h, _("Voorbeeld op echte gegevens"));
    html_raw(h, "</h2>");
    if (ps && ps->n > 0)
        page_alert(h, "warning",
                   _("Er is geen voorbeeld, want de definitie klopt nog niet. Los eerst de "
                     "problemen hieronder op."));
    else if (!pv->ok)
        page_alert(h, "warning", pv->error ? pv->error : _("Er is geen voorbeeld."));
    else {
        kit_para(h, _("Zo ziet het cijfer er de laatste vier kwartalen per gemeente uit, met "
                      "dezelfde privacyregels als op het dashboard. Er is nog niets "
                      "opgeslagen."));
        preview_table(h, req, &pv->view);
    }
    html_raw(h, "</section>");
}

/* --- The editor page --- */

static void read_only_code(struct html *h, const struct ind_form *f)
{
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
                "<div class=\"utrecht-form-field__label\"><span class=\"utrecht-form-label\">");
    html_text(h, _("Code"));
    html_raw(h, "</span></div><p class=\"utrecht-paragraph duiding-readonly\" id=\"veld-code\">"
                "<code>");
    html_text(h, f->v[F_CODE]);
    html_raw(h, "</code></p></div>");
}

static void settings_rows(struct html *h, struct http_req *req, const struct ind_form *f,
                          const struct problems *ps)
{
    int rows = f->nrows < IND_MAX_SETTINGS ? f->nrows + 1 : IND_MAX_SETTINGS;
    fieldset_open(h, "instellingen", _("Instellingen"));
    const char *err = prob_for(ps, "instellingen");
    if (err) {
        html_raw(h, "<div class=\"utrecht-form-field-error-message\">");
        form_sentence(h, err);
        html_raw(h, "</div>");
    }
    kit_para(h, _("Een instelling is een keuze die de regio zichtbaar maakt, zoals of externe "
                  "redenen in de noemer tellen. In een voorwaarde schrijft u $code. Laat een rij "
                  "leeg als u hem niet nodig hebt."));
    for (int r = 0; r < rows; r++) {
        html_raw(h, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset "
                    "duiding-form-section\"><legend class=\"utrecht-form-fieldset__legend "
                    "utrecht-form-fieldset__legend--html-legend\">");
        html_textf(h, _("Instelling %d"), r + 1);
        html_raw(h, "</legend><div class=\"duiding-field-row duiding-setting-row\">");
        for (int s = 0; s < S__COUNT; s++) {
            const char *name = setting_field(req->arena, r, (enum sid)s);
            if (s == S_SOORT)
                select_field(h, ps, name, _(setting_labels[s]), NULL, CHOICES(setting_kinds),
                             f->s[r][s], _("Kies..."), 0);
            else
                text_field(h, ps, name, _(setting_labels[s]),
                           s == S_WAARDE ? _("ja, nee of een getal") : NULL, f->s[r][s], false,
                           false);
            if (s == S_LABEL_EN)
                html_raw(h, "</div><div class=\"duiding-field-row duiding-setting-row\">");
        }
        html_raw(h, "</div></fieldset>");
    }
    html_raw(h, "</fieldset>");
}

static void buttons(struct html *h, struct http_req *req, const struct ind_form *f,
                    const char *preview_action, const char *back)
{
    html_raw(h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                "class=\"utrecht-button utrecht-button--primary-action\" name=\"actie\" "
                "value=\"opslaan\">");
    html_text(h, f->id ? _("Wijzigingen opslaan") : _("Indicator opslaan"));
    html_raw(h, "</button><button type=\"submit\" class=\"utrecht-button "
                "utrecht-button--secondary-action\" name=\"actie\" value=\"voorbeeld\"");
    html_url_attr(h, "formaction", preview_action);
    html_raw(h, ">");
    html_text(h, _("Voorbeeld bekijken"));
    html_raw(h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                "utrecht-button-link--subtle\"");
    html_url_attr(h, "href", back);
    html_raw(h, ">");
    html_text(h, _("Annuleren"));
    html_raw(h, "</a></div>");
    UNUSED(req);
}

/* The standard set: the definition as text, only the settings' values in the form. */
static void standard_body(struct html *h, struct http_req *req, const struct ind_form *f,
                          const struct problems *ps)
{
    page_alert(h, "info",
               _("Deze indicator hoort bij de standaardset van de regio. De definitie ligt vast; "
                 "alleen de instellingen kunnen worden gewijzigd, door een functioneel "
                 "beheerder."));
    kit_dl_begin(h);
    for (int i = 0; i < F__COUNT; i++) {
        if (blank(f->v[i]))
            continue;
        const char *val = f->v[i];
        if (fields[i].kind == FK_CHOICE)
            for (int c = 0; c < fields[i].nchoices; c++)
                if (strcmp(fields[i].choices[c].value, val) == 0)
                    val = _(fields[i].choices[c].label);
        kit_dl_item(h, _(fields[i].label), val);
    }
    kit_dl_end(h);
    fieldset_open(h, "instellingen", _("Instellingen"));
    if (f->nrows == 0)
        kit_para(h, _("Deze indicator heeft geen instellingen."));
    for (int r = 0; r < f->nrows; r++) {
        const char *name = setting_field(req->arena, r, S_WAARDE);
        const char *label =
            f->s[r][S_LABEL] && *f->s[r][S_LABEL] ? f->s[r][S_LABEL] : f->s[r][S_CODE];
        const char *hint = f->s[r][S_UITLEG];
        if (f->s[r][S_SOORT] && strcmp(f->s[r][S_SOORT], "ja_nee") == 0) {
            static const struct choice yesno[] = {{"ja", N_("Ja")}, {"nee", N_("Nee")}};
            select_field(h, ps, name, label, hint, CHOICES(yesno), f->s[r][S_WAARDE], NULL,
                         SEL_REQUIRED);
        } else {
            text_field(h, ps, name, label, hint, f->s[r][S_WAARDE], true, true);
        }
    }
    html_raw(h, "</fieldset>");
}

static void render_form(struct http_req *req, const struct ind_form *f, const struct problems *ps,
                        int status, const char *alert, const struct preview *pv)
{
    char self[80], back[80], preview_action[96];
    const char *title;
    if (f->id) {
        ind_href(self, sizeof self, f->id, "/bewerken");
        ind_href(back, sizeof back, f->id, "");
        ind_href(preview_action, sizeof preview_action, f->id, "/voorbeeld");
        title = f->standard ? _("Instellingen wijzigen") : _("Indicator bewerken");
    } else {
        snprintf(self, sizeof self, "/indicatoren/nieuw");
        snprintf(back, sizeof back, "/indicatoren");
        snprintf(preview_action, sizeof preview_action, "/indicatoren/nieuw/voorbeeld");
        title = _("Nieuwe indicator");
    }
    struct crumb crumbs[4];
    int nc = 0;
    crumbs[nc++] = (struct crumb){_("Start"), "/"};
    crumbs[nc++] = (struct crumb){_("Indicatoren"), "/indicatoren"};
    if (f->id)
        crumbs[nc++] = (struct crumb){f->title ? f->title : f->v[F_CODE], back};
    crumbs[nc++] = (struct crumb){title, NULL};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, nc);
    html_raw(&h, "<link rel=\"stylesheet\" href=\"/static/dashboard.css\">");
    if (f->id && f->title) {
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
        html_text(&h, f->title);
        html_raw(&h, "</p>");
    } else if (f->copy_of) {
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
        html_textf(&h, _("Een kopie van %s. Geef de kopie een eigen code en naam."), f->copy_of);
        html_raw(&h, "</p>");
    } else {
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
        html_text(&h, _("Leg vast wat u wilt tellen en bij wie. Met \"Voorbeeld bekijken\" ziet u "
                        "de cijfers op de echte gegevens voordat u de indicator opslaat."));
        html_raw(&h, "</p>");
    }
    if (alert)
        page_alert(&h, status == 409 ? "warning" : "error", alert);
    error_summary_for(&h, req->arena, ps, false);
    render_preview(&h, req, pv, ps);

    form_begin(&h, req, self);
    if (f->id) {
        html_raw(&h, "<input type=\"hidden\" name=\"" F_VERSION "\"");
        html_attr_int(&h, "value", f->version);
        html_raw(&h, ">");
    }
    if (f->standard) {
        standard_body(&h, req, f, ps);
    } else {
        fieldset_open(&h, NULL, _("Naam en uitleg"));
        if (f->id)
            read_only_code(&h, f);
        else
            spec_field(&h, ps, f, F_CODE);
        for (int i = F_NAAM; i <= F_GROEP; i++)
            spec_field(&h, ps, f, (enum fid)i);
        html_raw(&h, "</fieldset>");

        fieldset_open(&h, NULL, _("Wat wordt er geteld?"));
        for (int i = F_EENHEID; i <= F_AGGREGATIE; i++)
            spec_field(&h, ps, f, (enum fid)i);
        for (int i = F_POPULATIE; i <= F_WAARDE; i++)
            spec_field(&h, ps, f, (enum fid)i);
        field_help(&h, f);
        html_raw(&h, "</fieldset>");

        fieldset_open(&h, NULL, _("Leeftijden en volgtermijn"));
        html_raw(&h, "<div class=\"duiding-field-row\">");
        for (int i = F_LEEFTIJD_VAN; i <= F_TUSSENRUIMTE; i++)
            spec_field(&h, ps, f, (enum fid)i);
        html_raw(&h, "</div></fieldset>");

        fieldset_open(&h, NULL, _("Hoe het cijfer wordt gelezen"));
        for (int i = F_POLARITEIT; i <= F_MIN_N; i++)
            spec_field(&h, ps, f, (enum fid)i);
        html_raw(&h, "</fieldset>");

        settings_rows(&h, req, f, ps);
    }
    if (!f->standard || f->nrows > 0)
        buttons(&h, req, f, preview_action, back);
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

/* --- Saving --- */

static void now_iso(char out[static AUDIT_TS_SIZE])
{
    audit_format_time(time(NULL), out);
}

/* Registers def with the engine; problems into ps. No engine (not built): nothing to do. */
static int engine_define(struct http_req *req, struct mx_engine *eng, int64_t id, int64_t version,
                         const struct ind_def *def, const struct ind_form *f, struct problems *ps)
{
    struct ind_problems pr = {0};
    if (!eng)
        return 0;
    int rc = mx_engine_define(eng, id, (int)version, def, &pr);
    if (rc != 0) {
        add_def_problems(req, f, &pr, ps);
        if (ps->n == 0)
            prob_add(req->arena, ps, NULL, _("De rekenmachine kan deze definitie niet gebruiken."));
    }
    return rc;
}

/* Re-registers what the store holds (after a failed save changed the engine's copy). */
static void engine_restore(struct http_req *req, struct mx_engine *eng, int64_t id)
{
    struct indicator_row row;
    if (!eng || indicator_store_get(req->arena, store_reader(req->app->store), id, &row) != 0)
        return;
    const struct ind_def *d = row.archived ? NULL : stored_def(req, &row);
    struct ind_problems pr = {0};
    if (d)
        mx_engine_define(eng, id, (int)row.version, d, &pr);
    else
        mx_engine_undefine(eng, id);
}

static void create_or_preview(struct http_req *req, bool preview);

static void new_page(struct http_req *req)
{
    if (!may_create(req)) {
        page_error(req, 403,
                   _("Alleen beleidsadviseurs van een gemeente of regio kunnen "
                     "indicatoren maken."));
        return;
    }
    struct ind_form f = {0};
    const char *van = http_query(req, "van");
    int64_t src = van ? kit_id(van) : 0;
    if (src) {
        struct indicator_row row;
        const struct ind_def *d;
        if (indicator_store_get(req->arena, store_reader(req->app->store), src, &row) == 0 &&
            (d = stored_def(req, &row)) != NULL) {
            form_from_def(req->arena, &f, d);
            f.copy_of = d->name;
            f.v[F_CODE] = arena_printf(req->arena, "%.40s_kopie", d->code ? d->code : "");
            f.v[F_NAAM] = arena_printf(req->arena, _("%s (kopie)"), d->name ? d->name : "");
        }
    }
    if (!f.v[F_POPULATIE]) {
        f.v[F_MIN_N] = "10";
        f.v[F_POLARITEIT] = "neutraal";
    }
    render_form(req, &f, NULL, 200, NULL, NULL);
}

static void create(struct http_req *req)
{
    create_or_preview(req, false);
}

static void new_preview(struct http_req *req)
{
    create_or_preview(req, true);
}

/* The common middle of saving and previewing: a preview is run and shown, invalid input is
 * shown again (422); otherwise the canonical JSON to store. NULL when the answer was sent. */
static const char *preview_or_canonical(struct http_req *req, int64_t id, bool preview, int rc,
                                        const struct ind_def *def, const struct ind_form *f,
                                        const struct problems *ps)
{
    if (preview) {
        struct preview pv = {0};
        if (rc == 0)
            run_preview(req, id, def, &pv);
        else
            pv.requested = true;
        render_form(req, f, ps, rc == 0 ? 200 : 422, NULL, &pv);
        return NULL;
    }
    if (rc != 0) {
        render_form(req, f, ps, 422, NULL, NULL);
        return NULL;
    }
    const char *canon = ind_def_to_json(def, req->arena);
    if (!canon)
        page_error(req, 500, NULL);
    return canon;
}

static void create_or_preview(struct http_req *req, bool preview)
{
    struct ind_form f = {0};
    struct problems ps = {0};
    struct ind_def def;
    if (!may_create(req)) {
        /* Before any validation: someone who may not create learns nothing from error texts. */
        page_error(req, 403, NULL);
        return;
    }
    read_form(req, &f);
    const char *json = form_json(req, &f, &ps);
    int rc = validate(req, json, &f, &def, &ps);
    if (rc == 0 && !preview) {
        struct indicator_row other;
        const char *code = def.code ? def.code : "";
        if (indicator_store_find(req->arena, store_reader(req->app->store), 0, code, &other) == 0) {
            prob_add(req->arena, &ps, fields[F_CODE].name,
                     _("Deze code hoort bij de standaardset. Kies een andere code."));
            rc = ERR_INVALID;
        }
    }
    const char *canon = preview_or_canonical(req, 0, preview, rc, &def, &f, &ps);
    if (!canon)
        return;
    struct mx_engine *eng = figures_engine(req);
    char now[AUDIT_TS_SIZE], detail[96];
    struct db *db;
    int64_t id = 0;
    now_iso(now);
    if ((rc = store_write_begin(req->app->store, &db)) != 0) {
        kit_fail(req, rc);
        return;
    }
    rc = indicator_store_insert(db, req->actor.org_id, false, def.code, canon, now,
                                req->actor.user_id, &id);
    if (rc == ERR_CONFLICT) {
        store_write_end(req->app->store, false);
        prob_add(req->arena, &ps, fields[F_CODE].name,
                 _("Uw organisatie heeft al een indicator met deze code. Kies een andere code."));
        render_form(req, &f, &ps, 422, NULL, NULL);
        return;
    }
    if (rc == 0 && engine_define(req, eng, id, 1, &def, &f, &ps) != 0) {
        store_write_end(req->app->store, false);
        mx_engine_undefine(eng, id);
        render_form(req, &f, &ps, 422, NULL, NULL);
        return;
    }
    snprintf(detail, sizeof detail, "code=%s owner=%" PRId64, def.code, req->actor.org_id);
    if (rc == 0)
        rc = audit_write(db, &req->actor, "indicator.create", "indicator", id, detail);
    int end = store_write_end(req->app->store, rc == 0);
    if (rc == 0)
        rc = end;
    if (rc != 0) {
        if (eng && id)
            mx_engine_undefine(eng, id);
        kit_fail(req, rc);
        return;
    }
    char loc[96];
    ind_href(loc, sizeof loc, id, "?melding=aangemaakt");
    http_redirect(req, loc);
}

/* Fills f from the stored row for the edit page (standard: settings only). */
static int form_from_row(struct http_req *req, const struct indicator_row *row, struct ind_form *f)
{
    const struct ind_def *d = stored_def(req, row);
    if (!d)
        return ERR_INTERNAL;
    form_from_def(req->arena, f, d);
    f->id = row->id;
    f->version = row->version;
    f->standard = row->standard || row->owner_org_id == 0;
    f->title = d->name;
    f->owner_name = row->owner_name;
    return 0;
}

/* Access to editing one indicator; answers the refusal itself. */
static bool edit_allowed(struct http_req *req, const struct indicator_row *row)
{
    if (!may_ind(req, ACT_EDIT, row)) {
        page_error(req, 403,
                   row->owner_org_id == 0
                       ? _("De standaardset kan alleen door een functioneel beheerder worden "
                           "ingesteld.")
                       : _("Alleen beleidsadviseurs van de eigenaar kunnen deze indicator "
                           "bewerken."));
        return false;
    }
    if (row->archived) {
        page_error(req, 409, _("Deze indicator staat in het archief en kan niet worden bewerkt."));
        return false;
    }
    return true;
}

static void edit_page(struct http_req *req)
{
    struct indicator_row row;
    struct ind_form f = {0};
    if (load_row(req, &row) || !edit_allowed(req, &row))
        return;
    if (form_from_row(req, &row, &f) != 0) {
        page_error(req, 500, NULL);
        return;
    }
    render_form(req, &f, NULL, 200, NULL, NULL);
}

/* The standard set: the stored definition with the posted setting values (ind_def_set). */
static const char *standard_json(struct http_req *req, const struct indicator_row *row,
                                 struct ind_form *f, struct problems *ps)
{
    struct ind_def *d = (struct ind_def *)stored_def(req, row);
    if (!d)
        return NULL;
    form_from_def(req->arena, f, d);
    f->njson = 0;
    for (int r = 0; r < d->nsettings && r < IND_MAX_SETTINGS; r++) {
        const char *field = setting_field(req->arena, r, S_WAARDE);
        const char *v = http_form(req, field);
        f->json_row[f->njson++] = r;
        if (!v)
            continue;
        f->s[r][S_WAARDE] = v;
        const char *t = trimmed(req->arena, v);
        if (ind_def_set(d, d->settings[r].code, t) != 0)
            prob_add(req->arena, ps, field,
                     d->settings[r].is_bool ? _("Kies ja of nee.")
                                            : _("Vul een heel getal in, bijvoorbeeld 12."));
    }
    return ind_def_to_json(d, req->arena);
}

static void update_or_preview(struct http_req *req, bool preview)
{
    struct indicator_row row;
    struct ind_form f = {0};
    struct problems ps = {0};
    struct ind_def def;
    int64_t version;
    if (load_row(req, &row))
        return;
    if (!may_ind(req, ACT_EDIT, &row)) {
        page_error(req, 403, NULL);
        return;
    }
    if (row.archived) {
        page_error(req, 409, _("Deze indicator staat in het archief en kan niet worden bewerkt."));
        return;
    }
    const char *vs = http_form(req, F_VERSION);
    if (!vs || str_parse_i64_c(vs, 1, INT64_MAX, &version) != 0) {
        page_error(req, 400, _("Het formulier is niet compleet. Open het opnieuw."));
        return;
    }
    f.id = row.id;
    f.standard = row.standard || row.owner_org_id == 0;
    const char *json;
    if (f.standard) {
        json = standard_json(req, &row, &f, &ps);
    } else {
        read_form(req, &f);
        f.v[F_CODE] = row.code;
        json = form_json(req, &f, &ps);
    }
    f.id = row.id;
    f.version = version;
    f.title = json_name(req->arena, row.definition, row.code);
    f.owner_name = row.owner_name;
    int rc = validate(req, json, &f, &def, &ps);
    const char *canon = preview_or_canonical(req, row.id, preview, rc, &def, &f, &ps);
    if (!canon)
        return;
    struct mx_engine *eng = figures_engine(req);
    char now[AUDIT_TS_SIZE], detail[96];
    struct db *db;
    now_iso(now);
    if ((rc = store_write_begin(req->app->store, &db)) != 0) {
        kit_fail(req, rc);
        return;
    }
    rc = indicator_store_update(db, row.id, version, canon, now, req->actor.user_id);
    if (rc == ERR_CONFLICT) {
        store_write_end(req->app->store, false);
        /* Keep the user's values but carry the current version: saving again is then a
         * deliberate choice to overwrite the other change. */
        struct indicator_row cur;
        if (indicator_store_get(req->arena, store_reader(req->app->store), row.id, &cur) == 0)
            f.version = cur.version;
        render_form(req, &f, &ps, 409,
                    _("Iemand anders heeft deze indicator gewijzigd terwijl u hem bewerkte. Uw "
                      "wijzigingen zijn nog niet opgeslagen en staan hieronder. Bekijk de "
                      "versies om te zien wat er veranderde, en klik daarna opnieuw op "
                      "Wijzigingen opslaan om uw versie te bewaren."),
                    NULL);
        return;
    }
    if (rc == 0 && engine_define(req, eng, row.id, version + 1, &def, &f, &ps) != 0) {
        store_write_end(req->app->store, false);
        engine_restore(req, eng, row.id);
        render_form(req, &f, &ps, 422, NULL, NULL);
        return;
    }
    snprintf(detail, sizeof detail, "code=%s version=%" PRId64, row.code, version + 1);
    if (rc == 0)
        rc = audit_write(db, &req->actor, f.standard ? "indicator.settings" : "indicator.update",
                         "indicator", row.id, detail);
    int end = store_write_end(req->app->store, rc == 0);
    if (rc == 0)
        rc = end;
    if (rc != 0) {
        engine_restore(req, eng, row.id);
        kit_fail(req, rc);
        return;
    }
    char loc[96];
    ind_href(loc, sizeof loc, row.id, "?melding=opgeslagen");
    http_redirect(req, loc);
}

static void update(struct http_req *req)
{
    update_or_preview(req, false);
}

static void edit_preview(struct http_req *req)
{
    update_or_preview(req, true);
}

/* --- Archive --- */

static void archive(struct http_req *req)
{
    struct indicator_row row;
    if (load_row(req, &row))
        return;
    if (!may_ind(req, ACT_ARCHIVE, &row) || row.owner_org_id == 0 || row.standard) {
        page_error(req, 403,
                   row.owner_org_id == 0
                       ? _("Een indicator van de standaardset kan niet worden gearchiveerd.")
                       : NULL);
        return;
    }
    char loc[96];
    ind_href(loc, sizeof loc, row.id, "?melding=gearchiveerd");
    if (row.archived) {
        http_redirect(req, loc);
        return;
    }
    char now[AUDIT_TS_SIZE], detail[96];
    struct db *db;
    int rc;
    now_iso(now);
    if ((rc = store_write_begin(req->app->store, &db)) != 0) {
        kit_fail(req, rc);
        return;
    }
    rc = indicator_store_set_archived(db, row.id, true, now, req->actor.user_id);
    snprintf(detail, sizeof detail, "code=%s", row.code);
    if (rc == 0)
        rc = audit_write(db, &req->actor, "indicator.archive", "indicator", row.id, detail);
    int end = store_write_end(req->app->store, rc == 0);
    if (rc == 0)
        rc = end;
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    struct mx_engine *eng = figures_engine(req);
    if (eng)
        mx_engine_undefine(eng, row.id);
    http_redirect(req, loc);
}

/* --- Version history --- */

static const char *key_label(const char *key)
{
    if (strcmp(key, "leeftijden") == 0)
        return _("Leeftijden");
    if (strcmp(key, "instellingen") == 0)
        return _("Instellingen");
    if (strcmp(key, "versie") == 0)
        return _("Versie van het formaat");
    for (int i = 0; i < F__COUNT; i++)
        if (strcmp(key, fields[i].name) == 0)
            return _(fields[i].label);
    return key;
}

/* A JSON value as short readable text: strings without quotes, the rest compact JSON. */
static const char *value_text(struct arena *a, json_t *v)
{
    if (!v)
        return "–";
    const char *s;
    char *dump = NULL;
    if (json_is_string(v))
        s = json_string_value(v);
    else if (json_is_true(v))
        s = _("ja");
    else if (json_is_false(v))
        s = _("nee");
    else
        s = dump = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!s)
        return "";
    size_t n = strlen(s);
    const char *out;
    if (n > DIFF_VALUE_MAX) {
        size_t cut = DIFF_VALUE_MAX;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--; /* not inside a character */
        out = arena_printf(a, "%.*s…", (int)cut, s);
    } else {
        out = arena_strdup(a, s);
    }
    free(dump);
    return out;
}

static void diff_table(struct html *h, struct http_req *req, const char *newer, const char *older)
{
    json_t *n = json_loads(newer ? newer : "{}", 0, NULL);
    json_t *o = json_loads(older ? older : "{}", 0, NULL);
    const char *key;
    json_t *val;
    bool any = false;
    const char *heads[] = {_("Onderdeel"), _("Was"), _("Wordt")};
    if (!json_is_object(n) || !json_is_object(o)) {
        kit_para(h, _("Deze versie kan niet worden vergeleken."));
        goto out;
    }
    /* Keys of the newer document in its order, then keys that disappeared. */
    json_object_foreach(n, key, val)
    {
        json_t *was = json_object_get(o, key);
        if (was && json_equal(was, val))
            continue;
        if (!any) {
            table_begin(h, NULL, heads, 3);
            any = true;
        }
        table_row_begin(h);
        table_cell(h, key_label(key));
        table_cell(h, value_text(req->arena, was));
        table_cell(h, value_text(req->arena, val));
        table_row_end(h);
    }
    json_object_foreach(o, key, val)
    {
        if (json_object_get(n, key))
            continue;
        if (!any) {
            table_begin(h, NULL, heads, 3);
            any = true;
        }
        table_row_begin(h);
        table_cell(h, key_label(key));
        table_cell(h, value_text(req->arena, val));
        table_cell(h, "–");
        table_row_end(h);
    }
    if (any)
        table_end(h);
    else
        kit_para(h, _("Geen verschil met de vorige versie."));
out:
    json_decref(n);
    json_decref(o);
}

static void versions_page(struct http_req *req)
{
    struct indicator_row row;
    struct indicator_version_row *vs = NULL;
    size_t n = 0;
    if (load_row(req, &row))
        return;
    if (!may_ind(req, ACT_VIEW, &row)) {
        page_error(req, 403, NULL);
        return;
    }
    int rc = indicator_store_versions(req->arena, store_reader(req->app->store), row.id, &vs, &n);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    char back[80];
    ind_href(back, sizeof back, row.id, "");
    const char *name = json_name(req->arena, row.definition, row.code);
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Indicatoren"), "/indicatoren"}, {name, back}, {_("Versies"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Versies"), crumbs, (int)ARRAY_LEN(crumbs));
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
    html_text(&h, name);
    html_raw(&h, "</p>");
    if (n == 0)
        kit_para(&h, _("Er zijn nog geen versies bewaard."));
    for (size_t i = 0; i < n; i++) {
        html_raw(&h, "<section class=\"duiding-section\"><h2 class=\"utrecht-heading-2\">");
        html_textf(&h, _("Versie %lld"), (long long)vs[i].version);
        html_raw(&h, "</h2><p class=\"utrecht-paragraph duiding-muted\">");
        kit_time_iso(&h, vs[i].changed_at, false, NULL);
        html_raw(&h, " · ");
        html_text(&h, vs[i].changed_by_name ? vs[i].changed_by_name : _("het systeem"));
        html_raw(&h, "</p>");
        if (i + 1 < n)
            diff_table(&h, req, vs[i].definition, vs[i + 1].definition);
        else
            kit_para(&h, _("De eerste versie."));
        html_raw(&h, "</section>");
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- Targets (streefwaarden) --- */

struct target_form {
    const char *value, *gemeente, *aanbieder, *from, *to, *note;
};

/* Gemeenten (4-digit CBS codes) the actor's figures cover: the ones a target may name. */
static int scope_gemeenten(struct http_req *req, struct form_option **out)
{
    struct figure_scope fs;
    struct org_filter flt = {.kind = ORG_GEMEENTE, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int n = 0, total = 0, k = 0;
    policy_figure_scope(&req->actor, &fs);
    *out = NULL;
    if (fs.kind == FIGSCOPE_GEMEENTE) {
        struct org *o = arena_alloc(req->arena, sizeof *o);
        if (!o || org_get_internal(req->arena, req->app->store, req->actor.org_id, o) != 0)
            return 0;
        orgs = o;
        n = 1;
    } else if (fs.kind == FIGSCOPE_REGIONS || fs.kind == FIGSCOPE_ALL) {
        if (org_list(req->arena, req->app->store, &req->actor, &flt, &orgs, &n, &total) != 0)
            return 0;
    } else {
        return 0;
    }
    struct form_option *opts = arena_calloc(req->arena, (size_t)n + 1, sizeof *opts);
    if (!opts)
        return 0;
    for (int i = 0; i < n; i++) {
        const struct org *o = &orgs[i];
        if (o->kind != ORG_GEMEENTE || !o->cbs_code || o->archived)
            continue;
        bool in = fs.kind != FIGSCOPE_REGIONS;
        for (int p = 0; !in && p < o->nparents; p++)
            for (int r = 0; r < fs.nregions; r++)
                in = in || o->parent_ids[p] == fs.region_ids[r];
        if (!in)
            continue;
        const char *c = o->cbs_code;
        if (strncmp(c, "GM", 2) == 0)
            c += 2;
        opts[k++] = (struct form_option){arena_strdup(req->arena, c), o->name};
    }
    *out = opts;
    return k;
}

static int aanbieders(struct http_req *req, struct form_option **out)
{
    struct org_filter flt = {.kind = ORG_AANBIEDER, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int n = 0, total = 0, k = 0;
    *out = NULL;
    if (org_list(req->arena, req->app->store, &req->actor, &flt, &orgs, &n, &total) != 0)
        return 0;
    struct form_option *opts = arena_calloc(req->arena, (size_t)n + 1, sizeof *opts);
    if (!opts)
        return 0;
    for (int i = 0; i < n; i++)
        if (!orgs[i].archived)
            opts[k++] = (struct form_option){arena_printf(req->arena, "%" PRId64, orgs[i].id),
                                             orgs[i].name};
    *out = opts;
    return k;
}

static const char *option_label(const struct form_option *o, int n, const char *value)
{
    for (int i = 0; value && i < n; i++)
        if (strcmp(o[i].value, value) == 0)
            return o[i].label;
    return NULL;
}

static void opt_select(struct html *h, struct arena *a, const struct problems *ps, const char *name,
                       const char *label, const char *hint, const struct form_option *o, int n,
                       const char *selected, const char *all)
{
    struct choice *c = NULL;
    if (n > 0)
        c = arena_calloc(a, (size_t)n, sizeof *c);
    for (int i = 0; c && i < n; i++)
        c[i] = (struct choice){o[i].value, o[i].label};
    /* Organisation names, not msgids: never through gettext. */
    select_field(h, ps, name, label, hint, c, c ? n : 0, selected, all, SEL_NAMES);
}

static const char *day_text(struct arena *a, int32_t d)
{
    char out[11];
    if (d == DAY_NONE)
        return NULL;
    date_format_nl(d, out);
    return arena_strdup(a, out);
}

/* A target in the unit of its figure: "72,5%", "30 dagen", "7,5". */
static void target_text(const struct ind_def *d, double v, char *out, size_t n)
{
    char num[40];
    snprintf(num, sizeof num, "%.10g", v);
    for (char *p = num; *p; p++) /* the request's locale may already write a comma */
        if (*p == '.')
            *p = ',';
    enum ind_display disp = d ? d->display : IND_SHOW_COUNT;
    if (disp == IND_SHOW_PERCENT)
        snprintf(out, n, "%s%%", num);
    else if (disp == IND_SHOW_DAYS)
        snprintf(out, n, _("%s dagen"), num);
    else if (disp == IND_SHOW_RATE)
        snprintf(out, n, _("%s per 1.000"), num);
    else
        snprintf(out, n, "%s", num);
}

static void render_targets(struct http_req *req, const struct indicator_row *row,
                           const struct target_form *tf, const struct problems *ps, int status)
{
    const struct ind_def *def = stored_def(req, row);
    struct indicator_target_row *ts = NULL;
    size_t nt = 0;
    int rc = indicator_store_targets(req->arena, store_reader(req->app->store), row->id, &ts, &nt);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    struct form_option *gems = NULL, *provs = NULL;
    int ngem = scope_gemeenten(req, &gems);
    int nprov = aanbieders(req, &provs);
    char back[80], self[96];
    ind_href(back, sizeof back, row->id, "");
    ind_href(self, sizeof self, row->id, "/streefwaarden");
    const char *name = json_name(req->arena, row->definition, row->code);
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Indicatoren"), "/indicatoren"},
                                   {name, back},
                                   {_("Streefwaarden"), NULL}};
    bool can_add = may_add_target(req) && !row->archived;
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Streefwaarden"), crumbs, (int)ARRAY_LEN(crumbs));
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
    html_text(&h, name);
    html_raw(&h, "</p>");
    const char *m = http_query(req, "melding");
    if (m && strcmp(m, "verwijderd") == 0)
        page_alert(&h, "ok", _("De streefwaarde is verwijderd."));
    else if (m && strcmp(m, "aangemaakt") == 0)
        page_alert(&h, "ok", _("De streefwaarde is toegevoegd."));
    error_summary_for(&h, req->arena, ps, true);
    kit_para(&h, _("Een streefwaarde is het cijfer dat u samen hebt afgesproken. Dashboards "
                   "tekenen hem als lijn bij de cijfers."));
    if (nt == 0) {
        kit_para(&h, _("Er zijn nog geen streefwaarden."));
    } else {
        const char *heads[] = {
            _("Streefwaarde"),      _("Gemeente"),         _("Aanbieder"),   _("Geldig vanaf"),
            _("Geldig tot en met"), _("Afgesproken door"), _("Toelichting"), _("Actie")};
        table_begin(&h, _("Afgesproken streefwaarden"), heads, (int)ARRAY_LEN(heads));
        for (size_t i = 0; i < nt; i++) {
            const struct indicator_target_row *t = &ts[i];
            struct org owner;
            bool have_owner =
                org_get_internal(req->arena, req->app->store, t->owner_org_id, &owner) == 0;
            char num[48];
            target_text(def, t->value, num, sizeof num);
            table_row_begin(&h);
            table_cell(&h, num);
            const char *g = t->gemeente ? option_label(gems, ngem, t->gemeente) : NULL;
            table_cell(&h, t->gemeente ? (g ? g : figures_label(req, MX_DIM_GEMEENTE, t->gemeente))
                                       : _("alle"));
            const char *a = NULL;
            if (t->aanbieder_id) {
                char idtext[24];
                snprintf(idtext, sizeof idtext, "%" PRId64, t->aanbieder_id);
                a = option_label(provs, nprov, idtext);
                if (!a)
                    a = figures_label(req, MX_DIM_AANBIEDER, arena_strdup(req->arena, idtext));
            }
            table_cell(&h, t->aanbieder_id ? a : _("alle"));
            table_cell(&h, day_text(req->arena, t->valid_from));
            table_cell(&h, t->valid_to == DAY_NONE ? _("geen einddatum")
                                                   : day_text(req->arena, t->valid_to));
            table_cell(&h, have_owner ? owner.name : "–");
            table_cell(&h, t->note && *t->note ? t->note : "–");
            html_raw(&h, "<td class=\"utrecht-table__cell duiding-nowrap\">");
            struct object_ref o;
            ind_ref(req, OBJ_INDICATOR_TARGET, t->id, t->owner_org_id, &o);
            if (policy_allows(&req->actor, ACT_ARCHIVE, &o)) {
                char action[128];
                snprintf(action, sizeof action,
                         "/indicatoren/%" PRId64 "/streefwaarden/%" PRId64 "/verwijderen", row->id,
                         t->id);
                form_button(&h, req, action, _("Verwijderen"), true);
            }
            html_raw(&h, "</td>");
            table_row_end(&h);
        }
        table_end(&h);
    }
    if (can_add) {
        html_raw(&h, "<section class=\"duiding-section\" aria-labelledby=\"kop-nieuw\">"
                     "<h2 class=\"utrecht-heading-2\" id=\"kop-nieuw\">");
        html_text(&h, _("Streefwaarde toevoegen"));
        html_raw(&h, "</h2>");
        form_begin(&h, req, self);
        text_field(&h, ps, "waarde", _("Streefwaarde"),
                   _("In de eenheid van het cijfer: een percentage als 75 of 72,5, een "
                     "rapportcijfer, een aantal dagen."),
                   tf ? tf->value : NULL, true, false);
        opt_select(&h, req->arena, ps, "gemeente", _("Gemeente"), NULL, gems, ngem,
                   tf ? tf->gemeente : NULL, _("Alle gemeenten"));
        opt_select(&h, req->arena, ps, "aanbieder", _("Aanbieder"), NULL, provs, nprov,
                   tf ? tf->aanbieder : NULL, _("Alle aanbieders"));
        html_raw(&h, "<div class=\"duiding-field-row\">");
        text_field(&h, ps, "geldig_van", _("Geldig vanaf"), _("Bijvoorbeeld 1-1-2025"),
                   tf ? tf->from : NULL, true, false);
        text_field(&h, ps, "geldig_tot", _("Geldig tot en met"), _("Leeg: geen einddatum"),
                   tf ? tf->to : NULL, false, false);
        html_raw(&h, "</div>");
        area_field(&h, ps, "toelichting", _("Toelichting"),
                   _("Bijvoorbeeld waar de afspraak staat."), tf ? tf->note : NULL, false, false);
        form_submit(&h, _("Streefwaarde toevoegen"));
        form_end(&h);
        html_raw(&h, "</section>");
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void targets_page(struct http_req *req)
{
    struct indicator_row row;
    if (load_row(req, &row))
        return;
    if (!may_ind(req, ACT_VIEW, &row)) {
        page_error(req, 403, NULL);
        return;
    }
    render_targets(req, &row, NULL, NULL, 200);
}

static bool parse_day(const char *s, int32_t *out)
{
    struct str t = str_trim(str_from(s));
    day_t d;
    if (str_parse_date_nl(t, &d) == 0 || str_parse_date_iso(t, &d) == 0) {
        *out = d;
        return true;
    }
    return false;
}

/* The end of a target change: audited in the same transaction, committed (or rolled back),
 * then back to the targets page with a message. */
static void target_finish(struct http_req *req, struct db *db, int rc, const char *action,
                          int64_t tid, const char *detail, int64_t ind_id, const char *melding)
{
    if (rc == 0)
        rc = audit_write(db, &req->actor, action, "indicator_target", tid, detail);
    int end = store_write_end(req->app->store, rc == 0);
    if (rc == 0)
        rc = end;
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    char suffix[64], loc[128];
    snprintf(suffix, sizeof suffix, "/streefwaarden?melding=%s", melding);
    ind_href(loc, sizeof loc, ind_id, suffix);
    http_redirect(req, loc);
}

static void target_add(struct http_req *req)
{
    struct indicator_row row;
    struct target_form tf = {0};
    struct problems ps = {0};
    struct indicator_target_row t = {0};
    if (load_row(req, &row))
        return;
    if (!may_add_target(req)) {
        page_error(req, 403, NULL);
        return;
    }
    if (row.archived) {
        page_error(req, 409, _("Deze indicator staat in het archief."));
        return;
    }
    tf.value = http_form(req, "waarde");
    tf.gemeente = http_form(req, "gemeente");
    tf.aanbieder = http_form(req, "aanbieder");
    tf.from = http_form(req, "geldig_van");
    tf.to = http_form(req, "geldig_tot");
    tf.note = http_form(req, "toelichting");
    const struct ind_def *def = stored_def(req, &row);
    double v;
    if (blank(tf.value))
        prob_add(req->arena, &ps, "waarde", _("Vul de streefwaarde in."));
    else if (str_parse_decimal(str_trim(str_from(tf.value)), &v) != 0 || !isfinite(v) ||
             fabs(v) > TARGET_ABS_MAX)
        prob_add(req->arena, &ps, "waarde", _("Vul een getal in, bijvoorbeeld 75 of 72,5."));
    else if (def && def->display == IND_SHOW_PERCENT && (v < 0 || v > 100))
        prob_add(req->arena, &ps, "waarde", _("Een percentage ligt tussen 0 en 100."));
    else
        t.value = v;
    if (!blank(tf.gemeente)) {
        struct form_option *gems = NULL;
        int ngem = scope_gemeenten(req, &gems);
        if (!option_label(gems, ngem, tf.gemeente))
            prob_add(req->arena, &ps, "gemeente", _("Kies een gemeente uit de lijst."));
        else
            t.gemeente = tf.gemeente;
    }
    if (!blank(tf.aanbieder)) {
        int64_t aid = kit_id(tf.aanbieder);
        struct org o;
        if (!aid || org_get_internal(req->arena, req->app->store, aid, &o) != 0 ||
            o.kind != ORG_AANBIEDER)
            prob_add(req->arena, &ps, "aanbieder", _("Kies een aanbieder uit de lijst."));
        else
            t.aanbieder_id = aid;
    }
    t.valid_to = DAY_NONE;
    if (blank(tf.from))
        prob_add(req->arena, &ps, "geldig_van",
                 _("Vul de datum in vanaf wanneer de "
                   "streefwaarde geldt."));
    else if (!parse_day(tf.from, &t.valid_from))
        prob_add(req->arena, &ps, "geldig_van",
                 _("Vul een bestaande datum in, bijvoorbeeld 1-1-2025."));
    if (!blank(tf.to)) {
        if (!parse_day(tf.to, &t.valid_to))
            prob_add(req->arena, &ps, "geldig_tot",
                     _("Vul een bestaande datum in, bijvoorbeeld 31-12-2025."));
        else if (!blank(tf.from) && prob_for(&ps, "geldig_van") == NULL &&
                 t.valid_to < t.valid_from)
            prob_add(req->arena, &ps, "geldig_tot", _("De einddatum ligt voor de begindatum."));
    }
    if (tf.note && utf8_count(tf.note, strlen(tf.note)) > TARGET_NOTE_MAX)
        prob_add(req->arena, &ps, "toelichting",
                 _("De toelichting is te lang: hoogstens 1.000 tekens."));
    if (ps.n > 0) {
        render_targets(req, &row, &tf, &ps, 422);
        return;
    }
    t.indicator_id = row.id;
    t.owner_org_id = req->actor.org_id;
    t.note = tf.note ? trimmed(req->arena, tf.note) : "";
    char detail[96];
    struct db *db;
    int64_t tid = 0;
    int rc = store_write_begin(req->app->store, &db);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    rc = indicator_store_target_insert(db, &t, &tid);
    snprintf(detail, sizeof detail, "indicator=%" PRId64 " owner=%" PRId64, row.id, t.owner_org_id);
    target_finish(req, db, rc, "indicator_target.create", tid, detail, row.id, "aangemaakt");
}

static void target_delete(struct http_req *req)
{
    struct indicator_row row;
    struct indicator_target_row *ts = NULL;
    size_t nt = 0;
    int64_t tid;
    if (load_row(req, &row) || http_param_id_or_404(req, 1, &tid))
        return;
    int rc = indicator_store_targets(req->arena, store_reader(req->app->store), row.id, &ts, &nt);
    if (rc != 0) {
        kit_fail(req, rc);
        return;
    }
    const struct indicator_target_row *t = NULL;
    for (size_t i = 0; i < nt && !t; i++)
        if (ts[i].id == tid)
            t = &ts[i];
    if (!t) {
        page_error(req, 404, NULL);
        return;
    }
    struct object_ref o;
    ind_ref(req, OBJ_INDICATOR_TARGET, t->id, t->owner_org_id, &o);
    if (!policy_allows(&req->actor, ACT_ARCHIVE, &o)) {
        page_error(req, 403, NULL);
        return;
    }
    char detail[96];
    struct db *db;
    if ((rc = store_write_begin(req->app->store, &db)) != 0) {
        kit_fail(req, rc);
        return;
    }
    rc = indicator_store_target_delete(db, tid);
    snprintf(detail, sizeof detail, "indicator=%" PRId64, row.id);
    target_finish(req, db, rc, "indicator_target.delete", tid, detail, row.id, "verwijderd");
}

/* "nieuw" comes before "{id}": the router takes the first pattern that matches. */
const struct route indicator_edit_routes[] = {
    {"GET", "/indicatoren/nieuw", new_page, 0, "indicator.new"},
    {"POST", "/indicatoren/nieuw", create, 0, "indicator.create"},
    {"POST", "/indicatoren/nieuw/voorbeeld", new_preview, 0, "indicator.new_preview"},
    {"GET", "/indicatoren/{id}/bewerken", edit_page, 0, "indicator.edit"},
    {"POST", "/indicatoren/{id}/bewerken", update, 0, "indicator.update"},
    {"POST", "/indicatoren/{id}/voorbeeld", edit_preview, 0, "indicator.preview"},
    {"POST", "/indicatoren/{id}/archiveren", archive, 0, "indicator.archive"},
    {"GET", "/indicatoren/{id}/versies", versions_page, 0, "indicator.versions"},
    {"GET", "/indicatoren/{id}/streefwaarden", targets_page, 0, "indicator.targets"},
    {"POST", "/indicatoren/{id}/streefwaarden", target_add, 0, "indicator.target_add"},
    {"POST", "/indicatoren/{id}/streefwaarden/{tid}/verwijderen", target_delete, 0,
     "indicator.target_delete"},
    ROUTES_END,
};
