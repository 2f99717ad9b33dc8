/*
 * questionnaire.c: questionnaires as data (questionnaire.h): strict parsing of the JSON
 * document into a struct (shape, types, unknown keys), validation of the struct (codes,
 * lengths, uniqueness, options, conditions; shared with the builder, which edits the struct),
 * canonical writing, compatibility between versions, and the shipped templates. No I/O.
 */
#include "domain/questionnaire.h"
#include "core/common.h"
#include "core/resource.h"
#include "core/str.h"
#include "core/utf8.h"
#include <jansson.h>

#define WHERE_MAX 120
#define ECHO_MAX  40 /* bytes of a user's value repeated in a message */

/* ---- Kinds and labels. --------------------------------------------------------------------- */

static const struct {
    const char *code, *label;
} kinds[] = {
    [Q_EENS5] = {"eens5", N_("Eens/oneens (5 punten, met weet niet)")},
    [Q_CIJFER] = {"cijfer", N_("Rapportcijfer 1 tot en met 10")},
    [Q_KEUZE] = {"keuze", N_("Eén keuze")},
    [Q_MEERKEUZE] = {"meerkeuze", N_("Meer keuzes mogelijk")},
    [Q_OPEN] = {"open", N_("Open vraag")},
};

static bool kind_valid(int k)
{
    return k >= Q_EENS5 && k <= Q_OPEN;
}

const char *q_kind_code(enum q_kind k)
{
    return kind_valid((int)k) ? kinds[k].code : "";
}

const char *q_kind_label(enum q_kind k)
{
    return kind_valid((int)k) ? _(kinds[k].label) : "";
}

int q_kind_parse(const char *code, enum q_kind *out)
{
    for (int k = Q_EENS5; code && k <= Q_OPEN; k++) {
        if (strcmp(kinds[k].code, code) == 0) {
            *out = (enum q_kind)k;
            return 0;
        }
    }
    return ERR_INVALID;
}

static const char *const eens5_labels[] = {
    N_("Weet niet / niet van toepassing"),
    N_("Helemaal mee oneens"),
    N_("Mee oneens"),
    N_("Niet mee eens, niet mee oneens"),
    N_("Mee eens"),
    N_("Helemaal mee eens"),
};

const char *q_eens5_label(int value)
{
    return value >= 0 && value <= 5 ? _(eens5_labels[value]) : NULL;
}

int q_multi_item(char *buf, size_t size, const char *item, const char *option)
{
    int n = snprintf(buf, size, "%s__%s", item, option);
    if (n < 0 || (size_t)n >= size || n > Q_ITEM_MAX)
        return ERR_TOO_BIG;
    return 0;
}

/* ---- Error context. ------------------------------------------------------------------------ */

struct qctx {
    struct arena *a;
    struct err_ctx *e;
    char where[WHERE_MAX]; /* "vraag 3 (wmo_ceo_3)"; empty at document level */
};

static int fail(struct qctx *c, int code, const char *fmt, ...) ATTR_PRINTF(3, 4);
static int fail(struct qctx *c, int code, const char *fmt, ...)
{
    char reason[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (c->where[0])
        return err_set(c->e, code, "document", "%s: %s", c->where, reason);
    return err_set(c->e, code, "document", "%s", reason);
}

/* A value for a message: cut at ECHO_MAX bytes on a character boundary, controls replaced. */
static const char *echo(struct qctx *c, const char *s)
{
    size_t n = strlen(s);
    if (n > ECHO_MAX) {
        n = ECHO_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *o = arena_strndup(c->a, s, n);
    if (!o)
        return "";
    for (char *p = o; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return o;
}

static void where_section(struct qctx *c, int i, const char *code)
{
    snprintf(c->where, sizeof c->where, _("sectie %d (%s)"), i + 1, code ? echo(c, code) : "?");
}

static void where_question(struct qctx *c, int i, const char *item)
{
    snprintf(c->where, sizeof c->where, _("vraag %d (%s)"), i + 1, item ? echo(c, item) : "?");
}

/* ---- JSON shape. --------------------------------------------------------------------------- */

/* Every key of obj must be one of allowed (NULL-terminated). */
static int only_keys(struct qctx *c, json_t *obj, const char *const *allowed, const char *what)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        bool ok = false;
        for (const char *const *p = allowed; *p && !ok; p++)
            ok = strcmp(*p, k) == 0;
        if (!ok)
            return fail(c, ERR_INVALID, _("onbekende sleutel \"%s\" in %s"), echo(c, k), what);
    }
    return 0;
}

/* Copies a string member; absent (or JSON null) -> NULL. Not a string -> error. */
static int get_str(struct qctx *c, json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return fail(c, ERR_INVALID, _("\"%s\" moet tekst zijn"), key);
    *out = arena_strndup(c->a, json_string_value(v), json_string_length(v));
    if (!*out)
        return ERR_NOMEM;
    if (strlen(*out) != json_string_length(v))
        return fail(c, ERR_INVALID, _("\"%s\" bevat een NUL-teken"), key);
    return 0;
}

static int get_array(struct qctx *c, json_t *obj, const char *key, size_t max, bool required,
                     json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return fail(c, ERR_INVALID, _("\"%s\" ontbreekt"), key);
        return 0;
    }
    if (!json_is_array(v))
        return fail(c, ERR_INVALID, _("\"%s\" moet een lijst zijn"), key);
    if (json_array_size(v) > max)
        return fail(c, ERR_TOO_BIG, _("\"%s\" heeft te veel elementen (hoogstens %zu)"), key, max);
    *out = v;
    return 0;
}

static const char *const doc_keys[] = {"versie", "code",     "titel",   "titel_en",
                                       "intro",  "intro_en", "secties", NULL};
static const char *const section_keys[] = {"code",     "titel",  "titel_en", "intro",
                                           "intro_en", "vragen", NULL};
static const char *const question_keys[] = {"item",    "soort",     "tekst",  "tekst_en", "hulp",
                                            "hulp_en", "verplicht", "opties", "als",      NULL};
static const char *const option_keys[] = {"code", "label", "label_en", NULL};
static const char *const cond_keys[] = {"item", "is", NULL};

static int parse_options(struct qctx *c, json_t *arr, struct q_question *q)
{
    size_t n = json_array_size(arr);
    q->options = arena_calloc(c->a, n ? n : 1, sizeof *q->options);
    if (!q->options)
        return ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        int rc;
        if (!json_is_object(o))
            return fail(c, ERR_INVALID, _("optie %zu moet een object zijn"), i + 1);
        if ((rc = only_keys(c, o, option_keys, _("een optie"))))
            return rc;
        struct q_option *op = &q->options[i];
        if ((rc = get_str(c, o, "code", &op->code)) || (rc = get_str(c, o, "label", &op->label)) ||
            (rc = get_str(c, o, "label_en", &op->label_en)))
            return rc;
    }
    q->noptions = (int)n;
    return 0;
}

static int parse_condition(struct qctx *c, json_t *v, struct q_question *q)
{
    int rc;
    if (!json_is_object(v))
        return fail(c, ERR_INVALID, "%s", _("\"als\" moet een object zijn"));
    if ((rc = only_keys(c, v, cond_keys, _("de voorwaarde"))))
        return rc;
    if ((rc = get_str(c, v, "item", &q->cond.item)))
        return rc;
    json_t *arr;
    if ((rc = get_array(c, v, "is", Q_MAX_COND_VALUES, true, &arr)))
        return rc;
    size_t n = json_array_size(arr);
    q->cond.values = arena_calloc(c->a, n ? n : 1, sizeof *q->cond.values);
    if (!q->cond.values)
        return ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(arr, i);
        if (json_is_string(x))
            q->cond.values[i] = arena_strdup(c->a, json_string_value(x));
        else if (json_is_integer(x))
            q->cond.values[i] = arena_printf(c->a, "%" JSON_INTEGER_FORMAT, json_integer_value(x));
        else
            return fail(c, ERR_INVALID, "%s",
                        _("de waarden in \"is\" moeten tekst of hele getallen zijn"));
        if (!q->cond.values[i])
            return ERR_NOMEM;
    }
    q->cond.nvalues = (int)n;
    q->has_condition = true;
    return 0;
}

static int parse_question(struct qctx *c, json_t *o, int index, struct q_question *q)
{
    int rc;
    memset(q, 0, sizeof *q);
    json_t *item = json_is_object(o) ? json_object_get(o, "item") : NULL;
    where_question(c, index, json_is_string(item) ? json_string_value(item) : NULL);
    if (!json_is_object(o))
        return fail(c, ERR_INVALID, "%s", _("moet een object zijn"));
    if ((rc = only_keys(c, o, question_keys, _("een vraag"))))
        return rc;
    const char *kind = NULL;
    if ((rc = get_str(c, o, "item", &q->item)) || (rc = get_str(c, o, "soort", &kind)) ||
        (rc = get_str(c, o, "tekst", &q->text)) || (rc = get_str(c, o, "tekst_en", &q->text_en)) ||
        (rc = get_str(c, o, "hulp", &q->help)) || (rc = get_str(c, o, "hulp_en", &q->help_en)))
        return rc;
    if (!kind)
        return fail(c, ERR_INVALID, "%s", _("\"soort\" ontbreekt"));
    if (q_kind_parse(kind, &q->kind))
        return fail(c, ERR_INVALID,
                    _("onbekende soort \"%s\" (kies eens5, cijfer, keuze, meerkeuze of open)"),
                    echo(c, kind));
    json_t *req = json_object_get(o, "verplicht");
    if (req && !json_is_boolean(req))
        return fail(c, ERR_INVALID, "%s", _("\"verplicht\" moet true of false zijn"));
    q->required = req && json_is_true(req);
    json_t *opts;
    if ((rc = get_array(c, o, "opties", Q_MAX_OPTIONS, false, &opts)))
        return rc;
    if (opts && (rc = parse_options(c, opts, q)))
        return rc;
    if (!opts && (q->kind == Q_KEUZE || q->kind == Q_MEERKEUZE))
        q->noptions = 0; /* reported by validation */
    if (opts && q->kind != Q_KEUZE && q->kind != Q_MEERKEUZE)
        return fail(c, ERR_INVALID, _("een vraag van soort %s heeft geen \"opties\""),
                    q_kind_code(q->kind));
    json_t *cond = json_object_get(o, "als");
    if (cond && !json_is_null(cond) && (rc = parse_condition(c, cond, q)))
        return rc;
    return 0;
}

static int parse_root(struct qctx *c, json_t *root, struct questionnaire *out)
{
    int rc;
    if (!json_is_object(root))
        return fail(c, ERR_INVALID, "%s", _("de vragenlijst moet een JSON-object zijn"));
    if ((rc = only_keys(c, root, doc_keys, _("de vragenlijst"))))
        return rc;
    json_t *ver = json_object_get(root, "versie");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1)
        return fail(c, ERR_INVALID, "%s", _("\"versie\" moet 1 zijn"));
    out->version = 1;
    if ((rc = get_str(c, root, "code", &out->code)) ||
        (rc = get_str(c, root, "titel", &out->title)) ||
        (rc = get_str(c, root, "titel_en", &out->title_en)) ||
        (rc = get_str(c, root, "intro", &out->intro)) ||
        (rc = get_str(c, root, "intro_en", &out->intro_en)))
        return rc;
    json_t *secs;
    if ((rc = get_array(c, root, "secties", Q_MAX_SECTIONS, true, &secs)))
        return rc;
    size_t ns = json_array_size(secs), nq = 0;
    for (size_t i = 0; i < ns; i++) {
        json_t *s = json_array_get(secs, i);
        json_t *v = json_is_object(s) ? json_object_get(s, "vragen") : NULL;
        if (json_is_array(v))
            nq += json_array_size(v);
        if (nq > Q_MAX_QUESTIONS)
            return fail(c, ERR_TOO_BIG, _("te veel vragen (hoogstens %d)"), Q_MAX_QUESTIONS);
    }
    out->sections = arena_calloc(c->a, ns ? ns : 1, sizeof *out->sections);
    out->questions = arena_calloc(c->a, nq ? nq : 1, sizeof *out->questions);
    if (!out->sections || !out->questions)
        return ERR_NOMEM;
    int qi = 0;
    for (size_t i = 0; i < ns; i++) {
        json_t *s = json_array_get(secs, i);
        struct q_section *sec = &out->sections[i];
        json_t *code = json_is_object(s) ? json_object_get(s, "code") : NULL;
        where_section(c, (int)i, json_is_string(code) ? json_string_value(code) : NULL);
        if (!json_is_object(s))
            return fail(c, ERR_INVALID, "%s", _("moet een object zijn"));
        if ((rc = only_keys(c, s, section_keys, _("een sectie"))))
            return rc;
        if ((rc = get_str(c, s, "code", &sec->code)) ||
            (rc = get_str(c, s, "titel", &sec->title)) ||
            (rc = get_str(c, s, "titel_en", &sec->title_en)) ||
            (rc = get_str(c, s, "intro", &sec->intro)) ||
            (rc = get_str(c, s, "intro_en", &sec->intro_en)))
            return rc;
        json_t *qs;
        if ((rc = get_array(c, s, "vragen", Q_MAX_QUESTIONS, true, &qs)))
            return rc;
        sec->first = qi;
        sec->count = (int)json_array_size(qs);
        for (size_t j = 0; j < json_array_size(qs); j++, qi++) {
            if ((rc = parse_question(c, json_array_get(qs, j), qi, &out->questions[qi])))
                return rc;
            out->questions[qi].section = (int)i;
        }
        c->where[0] = '\0';
    }
    out->nsections = (int)ns;
    out->nquestions = qi;
    return 0;
}

int questionnaire_parse(struct arena *a, const char *json, size_t len, struct questionnaire *out,
                        struct err_ctx *e)
{
    struct qctx c = {.a = a, .e = e};
    memset(out, 0, sizeof *out);
    if (!json)
        return fail(&c, ERR_INVALID, "%s", _("de vragenlijst is leeg"));
    if (len > Q_MAX_JSON)
        return fail(&c, ERR_TOO_BIG, _("de vragenlijst is te groot (hoogstens %d bytes)"),
                    Q_MAX_JSON);
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        int rc =
            json_error_code(&jerr) == json_error_duplicate_key
                ? fail(&c, ERR_INVALID, _("een sleutel komt twee keer voor (regel %d, kolom %d)"),
                       jerr.line, jerr.column)
                : fail(&c, ERR_INVALID, _("geen geldige JSON (regel %d, kolom %d)"), jerr.line,
                       jerr.column);
        if (e)
            e->line = jerr.line > 0 ? (uint32_t)jerr.line : 0;
        return rc;
    }
    int rc = parse_root(&c, root, out);
    json_decref(root);
    if (rc)
        return rc;
    return questionnaire_validate(a, out, e);
}

/* ---- Validation. --------------------------------------------------------------------------- */

static bool code_ok(const char *s, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* A text field: required or optional, at most max code points, valid UTF-8, line breaks only
 * where multiline. An optional empty text becomes NULL (canonical form leaves it out). */
static int check_text(struct qctx *c, const char **s, const char *key, bool required, int max,
                      bool multiline)
{
    if (*s) {
        struct str t = str_trim(str_from(*s));
        if (t.len == 0)
            *s = NULL;
    }
    if (!*s) {
        if (required)
            return fail(c, ERR_INVALID, _("\"%s\" ontbreekt of is leeg"), key);
        return 0;
    }
    size_t n = strlen(*s);
    if (!utf8_valid(*s, n, NULL))
        return fail(c, ERR_INVALID, _("\"%s\" is geen geldige UTF-8"), key);
    bool bad = false;
    for (size_t i = 0; i < n && !bad; i++) {
        unsigned char ch = (unsigned char)(*s)[i];
        if (ch == 0x7f || (ch < 0x20 && !(multiline && (ch == '\n' || ch == '\r' || ch == '\t'))))
            bad = true;
    }
    if (bad)
        return fail(c, ERR_INVALID, _("\"%s\" bevat ongeldige tekens"), key);
    if (utf8_count(*s, n) > (size_t)max)
        return fail(c, ERR_TOO_BIG, _("\"%s\" is te lang (hoogstens %d tekens)"), key, max);
    return 0;
}

/* The stored number for a condition value on question ref (see NUMERIC STORAGE); -1 if the
 * value is not one of its answers. */
static int64_t cond_number(const struct q_question *ref, const char *v)
{
    int64_t x;
    switch (ref->kind) {
    case Q_EENS5:
        return v[0] >= '0' && v[0] <= '5' && v[1] == '\0' ? v[0] - '0' : -1;
    case Q_CIJFER:
        if (v[0] == '0' || str_parse_i64_c(v, 1, 10, &x))
            return -1;
        return x;
    case Q_KEUZE:
        for (int i = 0; i < ref->noptions; i++)
            if (strcmp(ref->options[i].code, v) == 0)
                return i + 1;
        return -1;
    default:
        return -1;
    }
}

static int check_question(struct qctx *c, struct questionnaire *q, int qi)
{
    struct q_question *qu = &q->questions[qi];
    int rc;
    where_question(c, qi, qu->item);
    if (!code_ok(qu->item, 1, Q_ITEM_MAX))
        return fail(c, ERR_INVALID, "%s", _("\"item\" moet 1 tot 48 tekens a-z, 0-9 of _ zijn"));
    /* The answering form's own fields share the form with the answers (web/page_answer.c). */
    static const char *const reserved[] = {"actie", "code", "csrf", "formulier", "stap"};
    for (size_t r = 0; r < sizeof reserved / sizeof *reserved; r++)
        if (strcmp(qu->item, reserved[r]) == 0)
            return fail(c, ERR_INVALID,
                        _("\"%s\" kan geen item zijn: het formulier gebruikt die naam al"),
                        qu->item);
    if (!kind_valid((int)qu->kind))
        return fail(c, ERR_INVALID, "%s", _("onbekende soort"));
    for (int j = 0; j < qi; j++)
        if (strcmp(q->questions[j].item, qu->item) == 0)
            return fail(c, ERR_INVALID, _("het item komt al voor bij vraag %d"), j + 1);
    if ((rc = check_text(c, &qu->text, "tekst", true, Q_TEXT_MAX, false)) ||
        (rc = check_text(c, &qu->text_en, "tekst_en", false, Q_TEXT_MAX, false)) ||
        (rc = check_text(c, &qu->help, "hulp", false, Q_TEXT_MAX, true)) ||
        (rc = check_text(c, &qu->help_en, "hulp_en", false, Q_TEXT_MAX, true)))
        return rc;
    bool choice = qu->kind == Q_KEUZE || qu->kind == Q_MEERKEUZE;
    if (choice && (qu->noptions < 2 || qu->noptions > Q_MAX_OPTIONS))
        return fail(c, ERR_INVALID, _("een keuzevraag heeft 2 tot %d opties nodig"), Q_MAX_OPTIONS);
    if (!choice && qu->noptions > 0)
        return fail(c, ERR_INVALID, _("een vraag van soort %s heeft geen \"opties\""),
                    q_kind_code(qu->kind));
    for (int i = 0; i < qu->noptions; i++) {
        struct q_option *o = &qu->options[i];
        if (!code_ok(o->code, 1, Q_OPTION_CODE_MAX))
            return fail(c, ERR_INVALID,
                        _("optie %d: \"code\" moet 1 tot 16 tekens a-z, 0-9 of _ zijn"), i + 1);
        for (int j = 0; j < i; j++)
            if (strcmp(qu->options[j].code, o->code) == 0)
                return fail(c, ERR_INVALID, _("optie %d: de code \"%s\" komt al voor"), i + 1,
                            o->code);
        char key[32];
        snprintf(key, sizeof key, "opties[%d].label", i + 1);
        if ((rc = check_text(c, &o->label, key, true, Q_LABEL_MAX, false)))
            return rc;
        snprintf(key, sizeof key, "opties[%d].label_en", i + 1);
        if ((rc = check_text(c, &o->label_en, key, false, Q_LABEL_MAX, false)))
            return rc;
        if (qu->kind == Q_MEERKEUZE && strlen(qu->item) + 2 + strlen(o->code) > Q_ITEM_MAX)
            return fail(c, ERR_INVALID,
                        _("optie %d: item en optiecode samen zijn te lang (hoogstens %d tekens "
                          "met __ ertussen)"),
                        i + 1, Q_ITEM_MAX);
    }
    if (qu->kind == Q_MEERKEUZE && strstr(qu->item, "__"))
        return fail(c, ERR_INVALID, "%s",
                    _("het item van een meerkeuzevraag mag geen twee liggende streepjes bevatten"));
    if (!qu->has_condition)
        return 0;
    struct q_condition *cd = &qu->cond;
    if (!cd->item)
        return fail(c, ERR_INVALID, "%s", _("de voorwaarde noemt geen \"item\""));
    int ref = -1;
    for (int j = 0; j < q->nquestions && ref < 0; j++)
        if (q->questions[j].item && strcmp(q->questions[j].item, cd->item) == 0)
            ref = j;
    if (ref < 0)
        return fail(c, ERR_INVALID, _("de voorwaarde verwijst naar een onbekend item \"%s\""),
                    echo(c, cd->item));
    if (ref >= qi)
        return fail(c, ERR_INVALID,
                    _("de voorwaarde verwijst naar \"%s\", dat niet eerder in de vragenlijst "
                      "staat"),
                    echo(c, cd->item));
    const struct q_question *rq = &q->questions[ref];
    if (rq->kind != Q_EENS5 && rq->kind != Q_CIJFER && rq->kind != Q_KEUZE)
        return fail(c, ERR_INVALID,
                    _("de voorwaarde kan alleen op een vraag van soort eens5, cijfer of keuze "
                      "(\"%s\" is %s)"),
                    echo(c, cd->item), q_kind_code(rq->kind));
    if (cd->nvalues < 1 || cd->nvalues > Q_MAX_COND_VALUES)
        return fail(c, ERR_INVALID, _("de voorwaarde heeft 1 tot %d waarden nodig"),
                    Q_MAX_COND_VALUES);
    cd->numbers = arena_calloc(c->a, (size_t)cd->nvalues, sizeof *cd->numbers);
    if (!cd->numbers)
        return ERR_NOMEM;
    for (int i = 0; i < cd->nvalues; i++) {
        int64_t x = cd->values[i] ? cond_number(rq, cd->values[i]) : -1;
        if (x < 0)
            return fail(c, ERR_INVALID,
                        _("de voorwaarde noemt \"%s\", geen mogelijk antwoord op \"%s\""),
                        cd->values[i] ? echo(c, cd->values[i]) : "", echo(c, cd->item));
        cd->numbers[i] = x;
        if (rq->kind != Q_KEUZE) /* canonical: "7", not "07" or "+7" */
            cd->values[i] = arena_printf(c->a, "%" PRId64, x);
        if (!cd->values[i])
            return ERR_NOMEM;
    }
    cd->ref = ref;
    return 0;
}

int questionnaire_validate(struct arena *a, struct questionnaire *q, struct err_ctx *e)
{
    struct qctx c = {.a = a, .e = e};
    int rc;
    if (q->version != 1)
        return fail(&c, ERR_INVALID, "%s", _("\"versie\" moet 1 zijn"));
    if (!code_ok(q->code, 2, Q_CODE_MAX))
        return fail(&c, ERR_INVALID, "%s", _("\"code\" moet 2 tot 48 tekens a-z, 0-9 of _ zijn"));
    if ((rc = check_text(&c, &q->title, "titel", true, Q_TITLE_MAX, false)) ||
        (rc = check_text(&c, &q->title_en, "titel_en", false, Q_TITLE_MAX, false)) ||
        (rc = check_text(&c, &q->intro, "intro", false, Q_INTRO_MAX, true)) ||
        (rc = check_text(&c, &q->intro_en, "intro_en", false, Q_INTRO_MAX, true)))
        return rc;
    if (q->nsections < 1)
        return fail(&c, ERR_INVALID, "%s", _("een vragenlijst heeft minstens één sectie nodig"));
    if (q->nsections > Q_MAX_SECTIONS)
        return fail(&c, ERR_TOO_BIG, _("te veel secties (hoogstens %d)"), Q_MAX_SECTIONS);
    if (q->nquestions > Q_MAX_QUESTIONS)
        return fail(&c, ERR_TOO_BIG, _("te veel vragen (hoogstens %d)"), Q_MAX_QUESTIONS);
    int next = 0;
    for (int i = 0; i < q->nsections; i++) {
        struct q_section *s = &q->sections[i];
        where_section(&c, i, s->code);
        if (!code_ok(s->code, 1, Q_CODE_MAX))
            return fail(&c, ERR_INVALID, "%s",
                        _("\"code\" moet 1 tot 48 tekens a-z, 0-9 of _ zijn"));
        for (int j = 0; j < i; j++)
            if (strcmp(q->sections[j].code, s->code) == 0)
                return fail(&c, ERR_INVALID, _("de code komt al voor bij sectie %d"), j + 1);
        if ((rc = check_text(&c, &s->title, "titel", true, Q_TITLE_MAX, false)) ||
            (rc = check_text(&c, &s->title_en, "titel_en", false, Q_TITLE_MAX, false)) ||
            (rc = check_text(&c, &s->intro, "intro", false, Q_INTRO_MAX, true)) ||
            (rc = check_text(&c, &s->intro_en, "intro_en", false, Q_INTRO_MAX, true)))
            return rc;
        if (s->count < 1)
            return fail(&c, ERR_INVALID, "%s", _("een sectie heeft minstens één vraag nodig"));
        if (s->first != next || s->count > q->nquestions - next)
            return fail(&c, ERR_INTERNAL, "%s", "sections do not tile the questions");
        for (int k = s->first; k < s->first + s->count; k++)
            q->questions[k].section = i;
        next += s->count;
    }
    if (next != q->nquestions)
        return fail(&c, ERR_INTERNAL, "%s", "questions outside every section");
    for (int i = 0; i < q->nquestions; i++)
        if ((rc = check_question(&c, q, i)))
            return rc;
    return 0;
}

/* ---- Writing. ------------------------------------------------------------------------------ */

static bool put_text(json_t *o, const char *key, const char *s)
{
    if (!s)
        return true;
    json_t *v = json_string(s);
    return v && json_object_set_new(o, key, v) == 0;
}

static bool put_new(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0;
}

static json_t *question_json(const struct q_question *qu)
{
    json_t *o = json_object();
    bool ok = o && put_text(o, "item", qu->item) && put_text(o, "soort", q_kind_code(qu->kind)) &&
              put_text(o, "tekst", qu->text) && put_text(o, "tekst_en", qu->text_en) &&
              put_text(o, "hulp", qu->help) && put_text(o, "hulp_en", qu->help_en) &&
              put_new(o, "verplicht", json_boolean(qu->required));
    if (ok && qu->noptions > 0) {
        json_t *arr = json_array();
        ok = put_new(o, "opties", arr);
        for (int i = 0; ok && i < qu->noptions; i++) {
            json_t *op = json_object();
            ok = op && json_array_append_new(arr, op) == 0 &&
                 put_text(op, "code", qu->options[i].code) &&
                 put_text(op, "label", qu->options[i].label) &&
                 put_text(op, "label_en", qu->options[i].label_en);
        }
    }
    if (ok && qu->has_condition) {
        json_t *cd = json_object(), *vals = json_array();
        ok =
            put_new(o, "als", cd) && put_text(cd, "item", qu->cond.item) && put_new(cd, "is", vals);
        if (!cd)
            json_decref(vals);
        for (int i = 0; ok && i < qu->cond.nvalues; i++)
            ok = json_array_append_new(vals, json_string(qu->cond.values[i])) == 0;
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *questionnaire_write(struct arena *a, const struct questionnaire *q)
{
    json_t *o = json_object();
    char *out = NULL;
    bool ok = o && put_new(o, "versie", json_integer(1)) && put_text(o, "code", q->code) &&
              put_text(o, "titel", q->title) && put_text(o, "titel_en", q->title_en) &&
              put_text(o, "intro", q->intro) && put_text(o, "intro_en", q->intro_en);
    json_t *secs = ok ? json_array() : NULL;
    ok = ok && put_new(o, "secties", secs);
    for (int i = 0; ok && i < q->nsections; i++) {
        const struct q_section *s = &q->sections[i];
        json_t *so = json_object(), *qs = NULL;
        ok = so && json_array_append_new(secs, so) == 0 && put_text(so, "code", s->code) &&
             put_text(so, "titel", s->title) && put_text(so, "titel_en", s->title_en) &&
             put_text(so, "intro", s->intro) && put_text(so, "intro_en", s->intro_en) &&
             (qs = json_array()) != NULL && put_new(so, "vragen", qs);
        for (int k = s->first; ok && k < s->first + s->count; k++)
            ok = json_array_append_new(qs, question_json(&q->questions[k])) == 0;
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

/* ---- Lookups, compatibility, visibility. --------------------------------------------------- */

const struct q_question *questionnaire_find(const struct questionnaire *q, const char *item)
{
    for (int i = 0; item && i < q->nquestions; i++)
        if (strcmp(q->questions[i].item, item) == 0)
            return &q->questions[i];
    return NULL;
}

bool questionnaire_compatible(const struct questionnaire *old, const struct questionnaire *neu,
                              struct err_ctx *e)
{
    for (int i = 0; i < old->nquestions; i++) {
        const struct q_question *o = &old->questions[i];
        const struct q_question *n = questionnaire_find(neu, o->item);
        if (!n)
            continue; /* a removed question keeps its old answers; nothing new comes in */
        int ni = (int)(n - neu->questions);
        if (n->kind != o->kind) {
            err_set(e, ERR_INVALID, "document",
                    _("vraag %d (%s): de soort kan niet meer veranderen, want er zijn al "
                      "uitvragen met deze vragenlijst; maak een nieuwe vraag"),
                    ni + 1, n->item);
            return false;
        }
        for (int k = 0; k < o->noptions; k++) {
            if (k >= n->noptions || strcmp(o->options[k].code, n->options[k].code) != 0) {
                err_set(
                    e, ERR_INVALID, "document",
                    _("vraag %d (%s): optie \"%s\" moet blijven staan waar ze stond, want er "
                      "zijn al uitvragen met deze vragenlijst (nieuwe opties kunnen achteraan)"),
                    ni + 1, n->item, o->options[k].code);
                return false;
            }
        }
    }
    return true;
}

bool questionnaire_visible(const struct questionnaire *q, int qi,
                           int64_t (*value_of)(void *ctx, const char *item), void *ctx)
{
    /* Conditions point backwards only (validated), so this walk ends. */
    while (qi >= 0 && qi < q->nquestions && q->questions[qi].has_condition) {
        const struct q_condition *cd = &q->questions[qi].cond;
        int64_t v = value_of(ctx, cd->item);
        bool hit = false;
        for (int i = 0; i < cd->nvalues && !hit; i++)
            hit = cd->numbers && v >= 0 && cd->numbers[i] == v;
        if (!hit || cd->ref >= qi)
            return false;
        qi = cd->ref; /* the question it depends on must itself be shown */
    }
    return true;
}

/* ---- Editing. ------------------------------------------------------------------------------ */

/* The document as sections each holding their own question list, for structural edits. */
struct layout {
    int ns;
    struct q_section *secs;
    struct q_question **qs;
    int *nq;
};

static int layout_from(struct arena *a, const struct questionnaire *q, int extra, struct layout *L)
{
    int cap = q->nsections + extra;
    L->ns = q->nsections;
    L->secs = arena_calloc(a, (size_t)(cap > 0 ? cap : 1), sizeof *L->secs);
    L->qs = arena_calloc(a, (size_t)(cap > 0 ? cap : 1), sizeof *L->qs);
    L->nq = arena_calloc(a, (size_t)(cap > 0 ? cap : 1), sizeof *L->nq);
    if (!L->secs || !L->qs || !L->nq)
        return ERR_NOMEM;
    for (int s = 0; s < q->nsections; s++) {
        const struct q_section *sec = &q->sections[s];
        L->secs[s] = *sec;
        /* One spare slot per section for a question moved or added into it. */
        L->qs[s] = arena_calloc(a, (size_t)sec->count + 1, sizeof **L->qs);
        if (!L->qs[s])
            return ERR_NOMEM;
        for (int k = 0; k < sec->count; k++)
            L->qs[s][k] = q->questions[sec->first + k];
        L->nq[s] = sec->count;
    }
    return 0;
}

static int layout_to(struct arena *a, const struct layout *L, struct questionnaire *q)
{
    int total = 0;
    for (int s = 0; s < L->ns; s++)
        total += L->nq[s];
    struct q_question *qs = arena_calloc(a, (size_t)(total > 0 ? total : 1), sizeof *qs);
    if (!qs)
        return ERR_NOMEM;
    int at = 0;
    for (int s = 0; s < L->ns; s++) {
        L->secs[s].first = at;
        L->secs[s].count = L->nq[s];
        for (int k = 0; k < L->nq[s]; k++, at++) {
            qs[at] = L->qs[s][k];
            qs[at].section = s;
        }
    }
    q->sections = L->secs;
    q->nsections = L->ns;
    q->questions = qs;
    q->nquestions = total;
    return 0;
}

static bool question_index_ok(const struct questionnaire *q, int qi)
{
    return qi >= 0 && qi < q->nquestions;
}

int questionnaire_move_question(struct arena *a, struct questionnaire *q, int qi, int dir)
{
    struct layout L;
    if (!question_index_ok(q, qi) || (dir != -1 && dir != 1))
        return ERR_INVALID;
    int s = q->questions[qi].section, k = qi - q->sections[s].first;
    int rc = layout_from(a, q, 0, &L);
    if (rc)
        return rc;
    int to = k + dir;
    if (to >= 0 && to < L.nq[s]) {
        struct q_question t = L.qs[s][k];
        L.qs[s][k] = L.qs[s][to];
        L.qs[s][to] = t;
    } else {
        int ns = s + dir; /* across the section boundary */
        if (ns < 0 || ns >= L.ns)
            return ERR_INVALID;
        struct q_question moving = L.qs[s][k];
        memmove(&L.qs[s][k], &L.qs[s][k + 1], (size_t)(L.nq[s] - k - 1) * sizeof moving);
        L.nq[s]--;
        if (dir < 0) {
            L.qs[ns][L.nq[ns]++] = moving;
        } else {
            memmove(&L.qs[ns][1], &L.qs[ns][0], (size_t)L.nq[ns] * sizeof moving);
            L.qs[ns][0] = moving;
            L.nq[ns]++;
        }
    }
    return layout_to(a, &L, q);
}

int questionnaire_delete_question(struct arena *a, struct questionnaire *q, int qi)
{
    struct layout L;
    if (!question_index_ok(q, qi))
        return ERR_INVALID;
    int s = q->questions[qi].section, k = qi - q->sections[s].first;
    int rc = layout_from(a, q, 0, &L);
    if (rc)
        return rc;
    memmove(&L.qs[s][k], &L.qs[s][k + 1], (size_t)(L.nq[s] - k - 1) * sizeof **L.qs);
    L.nq[s]--;
    return layout_to(a, &L, q);
}

int questionnaire_add_question(struct arena *a, struct questionnaire *q, int s,
                               const struct q_question *nq)
{
    struct layout L;
    if (s < 0 || s >= q->nsections || !nq)
        return ERR_INVALID;
    int rc = layout_from(a, q, 0, &L);
    if (rc)
        return rc;
    L.qs[s][L.nq[s]++] = *nq;
    return layout_to(a, &L, q);
}

int questionnaire_move_section(struct arena *a, struct questionnaire *q, int s, int dir)
{
    struct layout L;
    if (s < 0 || s >= q->nsections || (dir != -1 && dir != 1) || s + dir < 0 ||
        s + dir >= q->nsections)
        return ERR_INVALID;
    int rc = layout_from(a, q, 0, &L);
    if (rc)
        return rc;
    int t = s + dir;
    struct q_section sec = L.secs[s];
    struct q_question *qs = L.qs[s];
    int n = L.nq[s];
    L.secs[s] = L.secs[t], L.qs[s] = L.qs[t], L.nq[s] = L.nq[t];
    L.secs[t] = sec, L.qs[t] = qs, L.nq[t] = n;
    return layout_to(a, &L, q);
}

int questionnaire_delete_section(struct arena *a, struct questionnaire *q, int s)
{
    struct layout L;
    if (s < 0 || s >= q->nsections)
        return ERR_INVALID;
    int rc = layout_from(a, q, 0, &L);
    if (rc)
        return rc;
    int rest = L.ns - s - 1;
    memmove(&L.secs[s], &L.secs[s + 1], (size_t)rest * sizeof *L.secs);
    memmove(&L.qs[s], &L.qs[s + 1], (size_t)rest * sizeof *L.qs);
    memmove(&L.nq[s], &L.nq[s + 1], (size_t)rest * sizeof *L.nq);
    L.ns--;
    return layout_to(a, &L, q);
}

int questionnaire_add_section(struct arena *a, struct questionnaire *q, const struct q_section *ns,
                              const struct q_question *first)
{
    struct layout L;
    if (!ns || !first)
        return ERR_INVALID;
    int rc = layout_from(a, q, 1, &L);
    if (rc)
        return rc;
    L.secs[L.ns] = *ns;
    L.qs[L.ns] = arena_calloc(a, 1, sizeof **L.qs);
    if (!L.qs[L.ns])
        return ERR_NOMEM;
    L.qs[L.ns][0] = *first;
    L.nq[L.ns] = 1;
    L.ns++;
    return layout_to(a, &L, q);
}

/* ---- Templates. ---------------------------------------------------------------------------- */

static const struct q_template templates[] = {
    {"wmo-cevo", "data/vragenlijsten/wmo-cevo.json",
     N_("Cliëntervaringsonderzoek Wmo (de tien vragen)")},
    {"jeugd-uitkomst", "data/vragenlijsten/jeugd-uitkomst.json",
     N_("Uitkomst jeugdhulp (nut van de hulp en zonder hulp verder)")},
};

const struct q_template *questionnaire_templates(int *n)
{
    *n = (int)ARRAY_LEN(templates);
    return templates;
}

int questionnaire_template(struct arena *a, const char *code, struct questionnaire *out,
                           const char **json_out, struct err_ctx *e)
{
    for (size_t i = 0; code && i < ARRAY_LEN(templates); i++) {
        if (strcmp(templates[i].code, code) != 0)
            continue;
        const struct resource *r = resource_find(templates[i].resource);
        if (!r)
            return err_set(e, ERR_INTERNAL, NULL, "%s is not embedded", templates[i].resource);
        if (json_out)
            *json_out = (const char *)r->data;
        return questionnaire_parse(a, (const char *)r->data, r->len, out, e);
    }
    return err_set(e, ERR_NOT_FOUND, "template", "%s", _("Dit sjabloon bestaat niet."));
}
