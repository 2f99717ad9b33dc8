/*
 * expr_check.c: the meaning of a parsed expression. Resolves fields (per unit), settings and
 * survey items, checks types (bool, int, day, code, list code), turns quoted texts into packed
 * codes or dates, and checks codes against the shipped code lists, with messages in Dutch that
 * say what to write instead ("bedoelt u 'reden_cbs'?").
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/codelist.h"
#include "metrics/expr_internal.h"

/* Releases of JZ588/WMO588 a list code may come from, newest first: a code that any of them
 * knows is accepted (old trajectories keep codes of their release). Add a release here when
 * data/codelijsten/ gets one. */
static const char *const listcode_releases[] = {"3.2"};

/* Fields whose codes come from a fixed list: a quoted code is checked against it. */
static const struct {
    enum mx_field field;
    const char *list, *release;
} field_lists[] = {
    {MX_F_CBS_REASON, "CBS-REDEN", "v7"},        {MX_F_HULPVORM, "CBS-HULPVORM", "v7"},
    {MX_F_WITHOUT_HELP, "CBS-ZHV", "v7"},        {MX_F_WITHOUT_HELP_CLIENT, "CBS-ZHV", "v7"},
    {MX_F_WITHOUT_HELP_PARENT, "CBS-ZHV", "v7"}, {MX_F_GENDER, "COD046", "3.2"},
};

/* ---- Messages. ---- */

static const char *type_name(int t)
{
    switch (t) {
    case MX_T_BOOL:
        return _("waar of onwaar");
    case MX_T_INT:
        return _("een getal");
    case MX_T_DAY:
        return _("een datum");
    case MX_T_CODE:
        return _("een code");
    case MX_T_LISTCODE:
        return _("een code uit JZ588 of WMO588");
    default:
        return _("een tekst");
    }
}

/* An example literal to compare a value of field f / type t with. */
static const char *example(const struct node *n)
{
    if (n->kind == N_FIELD)
        switch ((enum mx_field)n->value) {
        case MX_F_LAW:
            return "\"jw\"";
        case MX_F_GEMEENTE:
            return "\"0344\"";
        case MX_F_CATEGORY:
            return "\"45\"";
        case MX_F_GENDER:
            return "\"2\"";
        case MX_F_WITHOUT_HELP:
        case MX_F_WITHOUT_HELP_CLIENT:
        case MX_F_WITHOUT_HELP_PARENT:
            return "\"04\"";
        case MX_F_CBS_REASON:
            return "\"03\"";
        default:
            break;
        }
    switch (n->type) {
    case MX_T_BOOL:
        return "waar";
    case MX_T_INT:
        return "18";
    case MX_T_DAY:
        return "\"2024-01-31\"";
    case MX_T_LISTCODE:
        return "JZ588:32";
    default:
        return "\"01\"";
    }
}

/* How a value reads in a message: 'wet', '$instelling', 'antwoord("x")' or "deze waarde". */
static const char *describe(const struct node *n, char *buf, size_t size)
{
    switch (n->kind) {
    case N_FIELD:
        snprintf(buf, size, "'%s'", mx_fields()[n->value].name);
        return buf;
    case N_SETTING:
        snprintf(buf, size, "'$%s'", n->text);
        return buf;
    case N_ANSWER:
        snprintf(buf, size, "'antwoord(\"%s\")'", n->text);
        return buf;
    default:
        return _("deze waarde");
    }
}

static bool is_literal(const struct node *n)
{
    return n->kind == N_NUM || n->kind == N_STR || n->kind == N_LISTCODE || n->kind == N_BOOL;
}

/* "'wet' is een code; vergelijk met ..." for a subject compared with something of another type. */
static int mismatch(struct expr_ctx *c, const struct node *subject, const struct node *other)
{
    char d[96];
    const char *s = describe(subject, d, sizeof d);
    size_t off = other->off;
    switch (subject->type) {
    case MX_T_CODE:
        return expr_fail(c, ERR_INVALID, off,
                         _("%s is een code; vergelijk met een tekst tussen aanhalingstekens, "
                           "zoals %s"),
                         s, example(subject));
    case MX_T_LISTCODE:
        return expr_fail(c, ERR_INVALID, off,
                         _("%s is een code uit lijst JZ588 of WMO588; vergelijk met zo'n code, "
                           "zoals JZ588:32 of WMO588:21"),
                         s);
    case MX_T_INT:
        return expr_fail(c, ERR_INVALID, off,
                         _("%s is een getal; vergelijk met een getal zonder aanhalingstekens, "
                           "zoals 18"),
                         s);
    case MX_T_DAY:
        return expr_fail(c, ERR_INVALID, off,
                         _("%s is een datum; vergelijk met een datum tussen aanhalingstekens, "
                           "zoals \"2024-01-31\""),
                         s);
    case MX_T_BOOL:
        return expr_fail(c, ERR_INVALID, off,
                         _("%s is waar of onwaar; vergelijk met waar of onwaar"), s);
    default:
        return expr_fail(c, ERR_INVALID, subject->off,
                         _("vergelijk een veld met een tekst, niet twee teksten met elkaar"));
    }
}

/* ---- Suggestions. ---- */

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

int expr_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
    enum { MAXL = EXPR_MAX_IDENT + 1 };
    if (alen >= MAXL || blen >= MAXL)
        return 99;
    /* Three rows of the optimal-string-alignment table (a transposition counts as one). */
    int rows[3][MAXL];
    int *pp = rows[0], *p = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= blen; j++)
        p[j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= blen; j++) {
            int ca = lower((unsigned char)a[i - 1]), cb = lower((unsigned char)b[j - 1]);
            int v = p[j - 1] + (ca != cb);
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == cb && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        int *t = pp;
        pp = p;
        p = cur;
        cur = t;
    }
    return p[blen] > 99 ? 99 : p[blen];
}

static bool starts_with_nocase(const char *name, const char *prefix, size_t plen)
{
    for (size_t i = 0; i < plen; i++)
        if (!name[i] || lower((unsigned char)name[i]) != lower((unsigned char)prefix[i]))
            return false;
    return true;
}

/* The field of this unit the user most likely meant, or NULL: a small edit distance, else the
 * shortest field the name is the start of ("reden" -> "reden_cbs"). */
static const char *suggest_field(const char *w, size_t len, unsigned unit)
{
    const struct mx_field_info *fs = mx_fields();
    const char *best = NULL;
    int best_d = len / 3 > 2 ? (int)(len / 3) : 2;
    best_d++;
    for (size_t i = 0; i < MX_F__COUNT; i++) {
        if (!(fs[i].units & unit))
            continue;
        int d = expr_edit_distance(w, len, fs[i].name, strlen(fs[i].name));
        if (d < best_d) {
            best_d = d;
            best = fs[i].name;
        }
    }
    if (best || len < 3)
        return best;
    for (size_t i = 0; i < MX_F__COUNT; i++)
        if ((fs[i].units & unit) && starts_with_nocase(fs[i].name, w, len) &&
            (!best || strlen(fs[i].name) < strlen(best)))
            best = fs[i].name;
    return best;
}

static const struct expr_setting *find_setting(const struct expr_compile_env *env, const char *w,
                                               size_t len)
{
    for (size_t i = 0; env && i < env->nsettings; i++)
        if (env->settings[i].name &&
            str_eq_nocase((struct str){w, len}, str_from(env->settings[i].name)))
            return &env->settings[i];
    return NULL;
}

static int unknown_ident(struct expr_ctx *c, const struct node *n, unsigned unit)
{
    const struct expr_setting *s = find_setting(c->env, n->text, n->tlen);
    if (s)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("onbekend veld '%s'; bedoelt u de instelling '$%s'?"), n->text, s->name);
    if (str_eq_nocase((struct str){n->text, n->tlen}, STR_LIT("JZ588")) ||
        str_eq_nocase((struct str){n->text, n->tlen}, STR_LIT("WMO588")))
        return expr_fail(c, ERR_INVALID, n->off,
                         _("schrijf een code uit een lijst zonder spaties, zoals JZ588:32"));
    const char *sug = suggest_field(n->text, n->tlen, unit);
    if (sug)
        return expr_fail(c, ERR_INVALID, n->off, _("onbekend veld '%s'; bedoelt u '%s'?"), n->text,
                         sug);
    return expr_fail(c, ERR_INVALID, n->off,
                     _("onbekend veld '%s'; zet een code tussen aanhalingstekens, zoals \"%s\""),
                     n->text, n->text);
}

/* ---- Literals. ---- */

/* Checks a quoted code for field f against its code list, if it has one. */
static int check_field_code(struct expr_ctx *c, const struct node *field, const struct node *lit)
{
    if (field->kind != N_FIELD)
        return 0;
    enum mx_field f = (enum mx_field)field->value;
    char known[160];
    known[0] = '\0';
    if (f == MX_F_LAW) {
        if (strcmp(lit->text, "jw") == 0 || strcmp(lit->text, "wmo") == 0)
            return 0;
        snprintf(known, sizeof known, "\"jw\", \"wmo\"");
    } else {
        size_t i = 0;
        while (i < ARRAY_LEN(field_lists) && field_lists[i].field != f)
            i++;
        if (i == ARRAY_LEN(field_lists))
            return 0;
        if (codelist_find(field_lists[i].list, field_lists[i].release, lit->text))
            return 0;
        size_t n = 0, used = 0;
        const struct code_entry *e =
            codelist_entries(field_lists[i].list, field_lists[i].release, &n);
        for (size_t k = 0; k < n && used + 12 < sizeof known; k++) {
            int w =
                snprintf(known + used, sizeof known - used, "%s\"%s\"", k ? ", " : "", e[k].code);
            if (w < 0 || (size_t)w >= sizeof known - used)
                break;
            used += (size_t)w;
        }
    }
    return expr_fail(c, ERR_INVALID, lit->off, _("code \"%s\" bestaat niet voor '%s'; wel: %s"),
                     lit->text, mx_fields()[f].name, known);
}

/* Gives a quoted text the type of what it is compared with (subject): a code or a date. */
static int coerce(struct expr_ctx *c, const struct node *subject, struct node *lit)
{
    if (lit->type != T_UNTYPED_STR)
        return 0;
    if (subject->type == MX_T_CODE) {
        if (lit->tlen == 0)
            return expr_fail(c, ERR_INVALID, lit->off,
                             _("een lege tekst is geen code; schrijf niet bekend(...) om rijen "
                               "zonder waarde te kiezen"));
        if (lit->tlen > 7)
            return expr_fail(c, ERR_INVALID, lit->off,
                             _("code \"%s\" is te lang (hoogstens 7 tekens)"), lit->text);
        int rc = check_field_code(c, subject, lit);
        if (rc)
            return rc;
        lit->type = MX_T_CODE;
        lit->value = mx_code_pack(lit->text, lit->tlen);
        return 0;
    }
    if (subject->type == MX_T_DAY) {
        day_t d;
        if (str_parse_date_iso((struct str){lit->text, lit->tlen}, &d))
            return expr_fail(c, ERR_INVALID, lit->off,
                             _("ongeldige datum \"%s\"; schrijf jjjj-mm-dd, zoals "
                               "\"2024-01-31\""),
                             lit->text);
        lit->type = MX_T_DAY;
        lit->value = d;
        return 0;
    }
    return mismatch(c, subject, lit);
}

static int check_listcode(struct expr_ctx *c, struct node *n)
{
    const char *list = n->list == MX_LIST_JZ588 ? "JZ588" : "WMO588";
    for (size_t i = 0; i < ARRAY_LEN(listcode_releases); i++)
        if (codelist_find(list, listcode_releases[i], n->text)) {
            n->type = MX_T_LISTCODE;
            n->value = mx_code_pack_list((enum mx_code_list)n->list, n->text, n->tlen);
            return 0;
        }
    return expr_fail(c, ERR_INVALID, n->off, _("code %s staat niet in lijst %s (release %s)"),
                     n->text, list, listcode_releases[0]);
}

/* ---- Tree. ---- */

static int check(struct expr_ctx *c, struct node *n);

static unsigned env_unit(const struct expr_ctx *c)
{
    return c->env && c->env->unit ? c->env->unit : MX_UNIT_TRAJECTORY;
}

static int check_field(struct expr_ctx *c, struct node *n)
{
    const struct mx_field_info *f = &mx_fields()[n->value];
    n->type = (uint8_t)f->type;
    unsigned unit = env_unit(c);
    if (f->units & unit)
        return 0;
    if (f->units == MX_UNIT_TRAJECTORY)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("het veld '%s' bestaat alleen bij trajecten, niet bij antwoorden op "
                           "een vragenlijst"),
                         f->name);
    return expr_fail(c, ERR_INVALID, n->off,
                     _("het veld '%s' bestaat alleen bij antwoorden op een vragenlijst, niet bij "
                       "trajecten"),
                     f->name);
}

static int check_setting(struct expr_ctx *c, struct node *n)
{
    const struct expr_setting *s = find_setting(c->env, n->text, n->tlen);
    if (!s) {
        const char *best = NULL;
        int best_d = 3;
        for (size_t i = 0; c->env && i < c->env->nsettings; i++) {
            const char *name = c->env->settings[i].name;
            if (!name)
                continue;
            int d = expr_edit_distance(n->text, n->tlen, name, strlen(name));
            if (d < best_d || starts_with_nocase(name, n->text, n->tlen)) {
                best_d = d < best_d ? d : best_d;
                best = name;
            }
        }
        if (best)
            return expr_fail(c, ERR_INVALID, n->off,
                             _("onbekende instelling '$%s'; bedoelt u '$%s'?"), n->text, best);
        return expr_fail(c, ERR_INVALID, n->off,
                         _("onbekende instelling '$%s'; deze definitie heeft %s"), n->text,
                         c->env && c->env->nsettings ? _("andere instellingen")
                                                     : _("geen instellingen"));
    }
    char *name = arena_strdup(c->a, s->name);
    if (!name)
        return ERR_NOMEM;
    n->text = name;
    n->tlen = strlen(name);
    n->type = s->is_bool ? MX_T_BOOL : MX_T_INT;
    n->value = s->is_bool ? (s->value != 0) : s->value;
    if (!s->is_bool && (s->value < -1000000000 || s->value > 1000000000))
        return expr_fail(c, ERR_INVALID, n->off,
                         _("instelling '$%s' is te groot om mee te rekenen"), name);
    return 0;
}

static int check_answer(struct expr_ctx *c, struct node *n)
{
    if (!(env_unit(c) & MX_UNIT_RESPONSE) || !c->env->answer_slot)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("antwoord() kan alleen in een definitie met eenheid antwoord"));
    int slot = c->env->answer_slot(c->env->answer_ctx, n->text);
    if (slot < 0 || slot > UINT16_MAX)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("onbekende vraag \"%s\" in antwoord(); gebruik de code van een vraag, "
                           "zoals \"wmo_ceo_1\""),
                         n->text);
    n->value = slot;
    n->type = MX_T_INT;
    return 0;
}

static int check_cmp(struct expr_ctx *c, struct node *n)
{
    struct node *a = n->a, *b = n->b;
    int rc;
    /* A bare word against a code is nearly always a code without quotes: wet = jw. */
    if (a->kind == N_IDENT || b->kind == N_IDENT) {
        struct node *id = a->kind == N_IDENT ? a : b, *other = id == a ? b : a;
        if (other->kind != N_IDENT && !check(c, other) && other->type == MX_T_CODE &&
            !mx_field_find(id->text, id->tlen))
            return expr_fail(c, ERR_INVALID, id->off,
                             _("'%s' is geen veld; bedoelt u de code \"%s\" tussen "
                               "aanhalingstekens?"),
                             id->text, id->text);
        return unknown_ident(c, id, env_unit(c));
    }
    if ((rc = check(c, a)) || (rc = check(c, b)))
        return rc;
    if (a->type == T_UNTYPED_STR && b->type == T_UNTYPED_STR)
        return mismatch(c, a, b);
    if (a->type == T_UNTYPED_STR && (rc = coerce(c, b, a)))
        return rc;
    if (b->type == T_UNTYPED_STR && (rc = coerce(c, a, b)))
        return rc;
    if (a->type != b->type) {
        if (is_literal(b) || !is_literal(a))
            return mismatch(c, a, b);
        return mismatch(c, b, a);
    }
    if (n->op != CMP_EQ && n->op != CMP_NE && (a->type == MX_T_CODE || a->type == MX_T_LISTCODE))
        return expr_fail(c, ERR_INVALID, n->off,
                         _("codes kunt u alleen vergelijken met = of != (of met 'in')"));
    if (n->op != CMP_EQ && n->op != CMP_NE && a->type == MX_T_BOOL)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("waar of onwaar kunt u alleen vergelijken met = of !="));
    n->type = MX_T_BOOL;
    return 0;
}

static int check_in(struct expr_ctx *c, struct node *n)
{
    int rc = check(c, n->a);
    if (rc)
        return rc;
    if (n->a->type == MX_T_BOOL)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("'in' werkt niet met waar of onwaar; gebruik ="));
    if (n->a->type == T_UNTYPED_STR)
        return expr_fail(c, ERR_INVALID, n->a->off, _("links van 'in' hoort een veld"));
    for (uint32_t i = 0; i < n->nitems; i++) {
        struct node *it = n->items[i];
        if ((rc = check(c, it)) || (rc = coerce(c, n->a, it)))
            return rc;
        if (it->type != n->a->type)
            return mismatch(c, n->a, it);
    }
    n->type = MX_T_BOOL;
    return 0;
}

static int check_between(struct expr_ctx *c, struct node *n)
{
    int rc;
    if ((rc = check(c, n->a)) || (rc = check(c, n->b)) || (rc = check(c, n->c)))
        return rc;
    if (n->a->type != MX_T_INT && n->a->type != MX_T_DAY) {
        char d[96];
        return expr_fail(c, ERR_INVALID, n->off,
                         _("'tussen' werkt alleen met getallen en datums; %s is %s"),
                         describe(n->a, d, sizeof d), type_name(n->a->type));
    }
    if ((rc = coerce(c, n->a, n->b)) || (rc = coerce(c, n->a, n->c)))
        return rc;
    if (n->b->type != n->a->type)
        return mismatch(c, n->a, n->b);
    if (n->c->type != n->a->type)
        return mismatch(c, n->a, n->c);
    n->type = MX_T_BOOL;
    return 0;
}

static int check_arith(struct expr_ctx *c, struct node *n)
{
    int rc;
    if ((rc = check(c, n->a)) || (rc = check(c, n->b)))
        return rc;
    int ta = n->a->type, tb = n->b->type;
    char d[96];
    for (int k = 0; k < 2; k++) {
        const struct node *x = k ? n->b : n->a;
        if (x->type != MX_T_INT && x->type != MX_T_DAY)
            return expr_fail(c, ERR_INVALID, x->off,
                             _("rekenen kan alleen met getallen en datums; %s is %s"),
                             describe(x, d, sizeof d), type_name(x->type));
    }
    if (ta == MX_T_INT && tb == MX_T_INT) {
        n->type = MX_T_INT;
        return 0;
    }
    if (n->op == AR_MUL || n->op == AR_DIV)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("met datums kunt u alleen optellen en aftrekken"));
    if (n->op == AR_ADD && ta == MX_T_DAY && tb == MX_T_DAY)
        return expr_fail(c, ERR_INVALID, n->off,
                         _("twee datums optellen kan niet; trek ze af voor het aantal dagen "
                           "ertussen"));
    if (n->op == AR_SUB && ta == MX_T_INT)
        return expr_fail(c, ERR_INVALID, n->off, _("een datum aftrekken van een getal kan niet"));
    /* day + int, int + day, day - int: a day; day - day: days between them. */
    n->type = n->op == AR_SUB && tb == MX_T_DAY ? MX_T_INT : MX_T_DAY;
    return 0;
}

static int check_logic(struct expr_ctx *c, struct node *n, struct node *x, const char *word)
{
    int rc = check(c, x);
    if (rc)
        return rc;
    if (x->type != MX_T_BOOL) {
        char d[96];
        return expr_fail(c, ERR_INVALID, x->off,
                         _("%s is %s, geen voorwaarde; '%s' werkt met voorwaarden, zoals "
                           "leeftijd >= 18"),
                         describe(x, d, sizeof d), type_name(x->type), word);
    }
    n->type = MX_T_BOOL;
    return 0;
}

static int check(struct expr_ctx *c, struct node *n)
{
    int rc;
    switch ((enum node_kind)n->kind) {
    case N_NUM:
        n->type = MX_T_INT;
        return 0;
    case N_STR:
        n->type = T_UNTYPED_STR;
        return 0;
    case N_LISTCODE:
        return check_listcode(c, n);
    case N_BOOL:
        n->type = MX_T_BOOL;
        return 0;
    case N_FIELD:
        return check_field(c, n);
    case N_IDENT:
        return unknown_ident(c, n, env_unit(c));
    case N_SETTING:
        return check_setting(c, n);
    case N_ANSWER:
        return check_answer(c, n);
    case N_MONTHS:
        if ((rc = check(c, n->a)))
            return rc;
        if (n->a->type != MX_T_INT)
            return expr_fail(c, ERR_INVALID, n->a->off,
                             _("maanden() vraagt een aantal maanden, zoals maanden(6)"));
        n->value = n->a->value * 30;
        n->type = MX_T_INT;
        return 0;
    case N_KNOWN:
        if ((rc = check(c, n->a)))
            return rc;
        if (n->a->type == T_UNTYPED_STR || n->a->kind == N_IDENT)
            return expr_fail(c, ERR_INVALID, n->a->off,
                             _("bekend() vraagt een veld, zoals bekend(tevredenheid)"));
        n->type = MX_T_BOOL;
        return 0;
    case N_NEG:
        if ((rc = check(c, n->a)))
            return rc;
        if (n->a->type != MX_T_INT) {
            char d[96];
            return expr_fail(c, ERR_INVALID, n->off,
                             _("een minteken past alleen voor een getal; %s is %s"),
                             describe(n->a, d, sizeof d), type_name(n->a->type));
        }
        n->type = MX_T_INT;
        return 0;
    case N_NOT:
        return check_logic(c, n, n->a, "niet");
    case N_AND:
    case N_OR: {
        const char *w = n->kind == N_AND ? "en" : "of";
        if ((rc = check_logic(c, n, n->a, w)))
            return rc;
        return check_logic(c, n, n->b, w);
    }
    case N_CMP:
        return check_cmp(c, n);
    case N_IN:
        return check_in(c, n);
    case N_BETWEEN:
        return check_between(c, n);
    case N_ARITH:
        return check_arith(c, n);
    case N_CONST:
        break;
    }
    return expr_fail(c, ERR_INTERNAL, n->off, "internal: node kind %d", n->kind);
}

int expr_check(struct expr_ctx *c, struct node *root, enum expr_want want)
{
    int rc = check(c, root);
    if (rc)
        return rc;
    char d[96];
    if (want == EXPR_WANT_BOOL && root->type != MX_T_BOOL) {
        if (root->kind == N_FIELD && root->type != MX_T_DAY)
            return expr_fail(c, ERR_INVALID, root->off,
                             _("hier hoort een voorwaarde (waar of onwaar), maar %s is %s; "
                               "bedoelt u bijvoorbeeld %s = %s of bekend(...)?"),
                             describe(root, d, sizeof d), type_name(root->type),
                             mx_fields()[root->value].name, example(root));
        return expr_fail(c, ERR_INVALID, root->off,
                         _("hier hoort een voorwaarde (waar of onwaar), maar %s is %s"),
                         describe(root, d, sizeof d), type_name(root->type));
    }
    if (want == EXPR_WANT_INT && root->type != MX_T_INT) {
        if (root->type == MX_T_DAY)
            return expr_fail(c, ERR_INVALID, root->off,
                             _("hier hoort een getal, maar %s is een datum; reken het aantal "
                               "dagen uit, zoals einde - start"),
                             describe(root, d, sizeof d));
        return expr_fail(c, ERR_INVALID, root->off, _("hier hoort een getal, maar %s is %s"),
                         describe(root, d, sizeof d), type_name(root->type));
    }
    return 0;
}
