/*
 * expr_parse.c: lexer and recursive-descent parser of the indicator expression language
 * (grammar in expr.h). Produces a syntax tree in the arena; names are looked up in the field
 * catalogue but not yet checked (expr_check.c does that with the compile environment).
 * Every limit of expr.h is enforced here, so later phases can recurse without worry.
 */
#include "core/common.h"
#include "core/str.h"
#include "metrics/expr_internal.h"

enum tok {
    T_END,
    T_NUM,
    T_STR,
    T_LISTCODE,
    T_IDENT,
    T_SETTING,
    T_LP,
    T_RP,
    T_COMMA,
    T_CMP, /* op */
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    K_OF,
    K_EN,
    K_NIET,
    K_IN,
    K_TUSSEN,
    K_WAAR,
    K_ONWAAR,
    K_BEKEND,
    K_ANTWOORD,
    K_MAANDEN,
};

struct token {
    enum tok t;
    size_t off, end; /* bytes [off, end) of the text */
    int op;          /* T_CMP: enum cmp_op */
    int64_t num;
    const char *p; /* T_STR: contents; T_IDENT/T_SETTING: name; T_LISTCODE: code */
    size_t len;
    uint8_t list; /* T_LISTCODE */
};

struct parser {
    struct expr_ctx *c;
    size_t pos; /* next byte to lex */
    struct token tok;
};

static const struct {
    const char *word;
    enum tok t;
} keywords[] = {
    {"of", K_OF},           {"or", K_OF},           {"en", K_EN},          {"and", K_EN},
    {"niet", K_NIET},       {"not", K_NIET},        {"in", K_IN},          {"tussen", K_TUSSEN},
    {"between", K_TUSSEN},  {"waar", K_WAAR},       {"true", K_WAAR},      {"onwaar", K_ONWAAR},
    {"false", K_ONWAAR},    {"bekend", K_BEKEND},   {"known", K_BEKEND},   {"antwoord", K_ANTWOORD},
    {"answer", K_ANTWOORD}, {"maanden", K_MAANDEN}, {"months", K_MAANDEN},
};

static bool is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool is_alnum(int ch)
{
    return is_alpha(ch) || is_digit(ch);
}

/* ---- Lexer. ---- */

/* The bytes of the (valid UTF-8) character at off, for messages. */
static int char_len(const char *s, size_t n, size_t off)
{
    unsigned char b = (unsigned char)s[off];
    int l = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    return off + (size_t)l <= n ? l : 1;
}

static int lex_string(struct parser *ps, size_t start, struct token *t)
{
    struct expr_ctx *c = ps->c;
    size_t i = start + 1;
    while (i < c->len && c->text[i] != '"') {
        unsigned char ch = (unsigned char)c->text[i];
        if (ch == '\n' || ch == '\r')
            break;
        if (ch < 0x20 || ch == 0x7f)
            return expr_fail(c, ERR_INVALID, i, _("onzichtbaar stuurteken in een tekst"));
        i++;
    }
    if (i >= c->len || c->text[i] != '"')
        return expr_fail(c, ERR_INVALID, start, _("tekst zonder afsluitend aanhalingsteken (\")"));
    if (i - start - 1 > EXPR_MAX_STRING)
        return expr_fail(c, ERR_TOO_BIG, start, _("tekst te lang (hoogstens %d tekens)"),
                         EXPR_MAX_STRING);
    t->t = T_STR;
    t->p = c->text + start + 1;
    t->len = i - start - 1;
    t->end = i + 1;
    return 0;
}

static int lex_word(struct parser *ps, size_t start, struct token *t)
{
    struct expr_ctx *c = ps->c;
    size_t i = start;
    while (i < c->len && is_alnum((unsigned char)c->text[i]))
        i++;
    if (i - start > EXPR_MAX_IDENT)
        return expr_fail(c, ERR_INVALID, start, _("naam te lang (hoogstens %d tekens)"),
                         EXPR_MAX_IDENT);
    struct str w = {c->text + start, i - start};
    t->p = w.p;
    t->len = w.len;
    t->end = i;
    for (size_t k = 0; k < ARRAY_LEN(keywords); k++)
        if (str_eq_nocase(w, str_from(keywords[k].word))) {
            t->t = keywords[k].t;
            return 0;
        }
    bool jz = str_eq_nocase(w, STR_LIT("JZ588")), wmo = str_eq_nocase(w, STR_LIT("WMO588"));
    if ((jz || wmo) && i < c->len && c->text[i] == ':') {
        size_t j = i + 1;
        while (j < c->len && is_alnum((unsigned char)c->text[j]) && c->text[j] != '_')
            j++;
        if (j == i + 1 || j - i - 1 > 7)
            return expr_fail(c, ERR_INVALID, start,
                             _("na '%s:' hoort een code van hoogstens 7 tekens, zoals %s:32"),
                             jz ? "JZ588" : "WMO588", jz ? "JZ588" : "WMO588");
        t->t = T_LISTCODE;
        t->list = jz ? MX_LIST_JZ588 : MX_LIST_WMO588;
        t->p = c->text + i + 1;
        t->len = j - i - 1;
        t->end = j;
        return 0;
    }
    t->t = T_IDENT;
    return 0;
}

static int lex_number(struct parser *ps, size_t start, struct token *t)
{
    struct expr_ctx *c = ps->c;
    size_t i = start;
    while (i < c->len && is_digit((unsigned char)c->text[i]))
        i++;
    if (i - start > EXPR_MAX_DIGITS)
        return expr_fail(c, ERR_INVALID, start, _("getal te groot (hoogstens %d cijfers)"),
                         EXPR_MAX_DIGITS);
    if (i + 1 < c->len && (c->text[i] == '.' || c->text[i] == ',') &&
        is_digit((unsigned char)c->text[i + 1]))
        return expr_fail(c, ERR_INVALID, start,
                         _("alleen hele getallen zijn mogelijk, zonder komma of punt"));
    if (i < c->len && is_alpha((unsigned char)c->text[i]))
        return expr_fail(c, ERR_INVALID, start,
                         _("een naam begint niet met een cijfer; zet een code tussen "
                           "aanhalingstekens, zoals \"01\""));
    int64_t v = 0;
    for (size_t k = start; k < i; k++)
        v = v * 10 + (c->text[k] - '0');
    t->t = T_NUM;
    t->num = v;
    t->p = c->text + start;
    t->len = i - start;
    t->end = i;
    return 0;
}

/* Lexes the token at or after byte pos into *t. */
static int lex(struct parser *ps, size_t pos, struct token *t)
{
    struct expr_ctx *c = ps->c;
    const char *s = c->text;
    while (pos < c->len && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
        pos++;
    memset(t, 0, sizeof *t);
    t->off = pos;
    t->end = pos + 1;
    if (pos >= c->len) {
        t->t = T_END;
        t->end = pos;
        return 0;
    }
    unsigned char ch = (unsigned char)s[pos];
    unsigned char n1 = pos + 1 < c->len ? (unsigned char)s[pos + 1] : 0;
    if (ch == '"')
        return lex_string(ps, pos, t);
    if (is_alpha(ch))
        return lex_word(ps, pos, t);
    if (is_digit(ch))
        return lex_number(ps, pos, t);
    switch (ch) {
    case '$': {
        size_t i = pos + 1;
        while (i < c->len && is_alnum((unsigned char)s[i]))
            i++;
        if (i == pos + 1 || !is_alpha((unsigned char)s[pos + 1]))
            return expr_fail(c, ERR_INVALID, pos,
                             _("na '$' hoort de naam van een instelling, zoals "
                               "$externe_redenen_in_noemer"));
        if (i - pos - 1 > EXPR_MAX_IDENT)
            return expr_fail(c, ERR_INVALID, pos, _("naam te lang (hoogstens %d tekens)"),
                             EXPR_MAX_IDENT);
        t->t = T_SETTING;
        t->p = s + pos + 1;
        t->len = i - pos - 1;
        t->end = i;
        return 0;
    }
    case '(':
        t->t = T_LP;
        return 0;
    case ')':
        t->t = T_RP;
        return 0;
    case ',':
        t->t = T_COMMA;
        return 0;
    case '+':
        t->t = T_PLUS;
        return 0;
    case '-':
        t->t = T_MINUS;
        return 0;
    case '*':
        t->t = T_STAR;
        return 0;
    case '/':
        t->t = T_SLASH;
        return 0;
    case '=':
        t->t = T_CMP;
        t->op = CMP_EQ;
        t->end = pos + (n1 == '=' ? 2 : 1); /* "==" is forgiven */
        return 0;
    case '!':
        if (n1 != '=')
            return expr_fail(c, ERR_INVALID, pos,
                             _("'!' alleen als '!='; schrijf 'niet' om een voorwaarde om te "
                               "keren"));
        t->t = T_CMP;
        t->op = CMP_NE;
        t->end = pos + 2;
        return 0;
    case '<':
        t->t = T_CMP;
        t->op = n1 == '=' ? CMP_LE : n1 == '>' ? CMP_NE : CMP_LT;
        t->end = pos + (n1 == '=' || n1 == '>' ? 2 : 1);
        return 0;
    case '>':
        t->t = T_CMP;
        t->op = n1 == '=' ? CMP_GE : CMP_GT;
        t->end = pos + (n1 == '=' ? 2 : 1);
        return 0;
    case '&':
        return expr_fail(c, ERR_INVALID, pos, _("schrijf 'en' in plaats van '%s'"),
                         n1 == '&' ? "&&" : "&");
    case '|':
        return expr_fail(c, ERR_INVALID, pos, _("schrijf 'of' in plaats van '%s'"),
                         n1 == '|' ? "||" : "|");
    case '\'':
        return expr_fail(c, ERR_INVALID, pos,
                         _("zet een tekst tussen dubbele aanhalingstekens, zoals \"jw\""));
    default:
        break;
    }
    /* Typographic quotes from a word processor: U+2018/2019/201C/201D. */
    if (ch == 0xe2 && n1 == 0x80 && pos + 2 < c->len) {
        unsigned char n2 = (unsigned char)s[pos + 2];
        if (n2 == 0x98 || n2 == 0x99 || n2 == 0x9c || n2 == 0x9d)
            return expr_fail(c, ERR_INVALID, pos,
                             _("gebruik gewone aanhalingstekens (\"), geen gekrulde"));
    }
    if (ch < 0x20 || ch == 0x7f)
        return expr_fail(c, ERR_INVALID, pos, _("onzichtbaar stuurteken"));
    int l = char_len(s, c->len, pos);
    return expr_fail(c, ERR_INVALID, pos, _("onverwacht teken '%.*s'"), l, s + pos);
}

static int next(struct parser *ps)
{
    int rc = lex(ps, ps->tok.end, &ps->tok);
    return rc;
}

/* How a token reads in a message. */
static const char *tok_text(struct parser *ps, const struct token *t, char *buf, size_t n)
{
    if (t->t == T_END)
        return _("het einde");
    size_t len = t->end - t->off;
    if (len > 40)
        len = 40;
    /* Whole characters only: the text is valid UTF-8. */
    while (len > 0 && t->off + len < ps->c->len &&
           ((unsigned char)ps->c->text[t->off + len] & 0xc0) == 0x80)
        len--;
    if (n < 3)
        return "?";
    if (len > n - 3)
        len = n - 3;
    buf[0] = '\'';
    memcpy(buf + 1, ps->c->text + t->off, len);
    buf[len + 1] = '\'';
    buf[len + 2] = '\0';
    return buf;
}

static int unexpected(struct parser *ps, const char *wanted)
{
    char b[64];
    return expr_fail(ps->c, ERR_INVALID, ps->tok.off, _("verwacht %s, maar vond %s"), wanted,
                     tok_text(ps, &ps->tok, b, sizeof b));
}

static int expect(struct parser *ps, enum tok t, const char *wanted)
{
    if (ps->tok.t != t)
        return unexpected(ps, wanted);
    return next(ps);
}

/* ---- Tree. ---- */

static int new_node(struct parser *ps, enum node_kind kind, size_t off, struct node **out)
{
    struct expr_ctx *c = ps->c;
    if (++c->nodes > EXPR_MAX_NODES) {
        int rc =
            expr_fail(c, ERR_TOO_BIG, off,
                      _("de uitdrukking is te groot (hoogstens %d onderdelen)"), EXPR_MAX_NODES);
        return rc ? rc : ERR_TOO_BIG; /* never 0: callers use *out only on success */
    }
    struct node *n = arena_calloc(c->a, 1, sizeof *n);
    if (!n)
        return ERR_NOMEM;
    n->kind = (uint8_t)kind;
    n->off = (uint32_t)off;
    *out = n;
    return 0;
}

static int node_text(struct parser *ps, struct node *n, const char *p, size_t len)
{
    char *s = arena_strndup(ps->c->a, p, len);
    if (!s)
        return ERR_NOMEM;
    n->text = s;
    n->tlen = len;
    return 0;
}

static int enter(struct parser *ps, size_t off)
{
    if (++ps->c->depth > EXPR_MAX_DEPTH)
        return expr_fail(ps->c, ERR_TOO_BIG, off,
                         _("de uitdrukking is te diep genest (hoogstens %d niveaus)"),
                         EXPR_MAX_DEPTH);
    return 0;
}

static void leave(struct parser *ps)
{
    ps->c->depth--;
}

/* ---- Grammar. ---- */

static int parse_or(struct parser *ps, struct node **out);

static int parse_call_paren(struct parser *ps, const char *name)
{
    if (ps->tok.t != T_LP) {
        char what[64];
        snprintf(what, sizeof what, "'(' na '%s'", name);
        return unexpected(ps, what);
    }
    return next(ps);
}

static int parse_atom(struct parser *ps, struct node **out)
{
    struct token t = ps->tok;
    struct node *n = NULL;
    int rc;
    switch (t.t) {
    case T_NUM:
        if ((rc = new_node(ps, N_NUM, t.off, &n)))
            return rc;
        n->value = t.num;
        break;
    case T_STR:
        if ((rc = new_node(ps, N_STR, t.off, &n)) || (rc = node_text(ps, n, t.p, t.len)))
            return rc;
        break;
    case T_LISTCODE:
        if ((rc = new_node(ps, N_LISTCODE, t.off, &n)) || (rc = node_text(ps, n, t.p, t.len)))
            return rc;
        n->list = t.list;
        break;
    case K_WAAR:
    case K_ONWAAR:
        if ((rc = new_node(ps, N_BOOL, t.off, &n)))
            return rc;
        n->value = t.t == K_WAAR;
        break;
    case T_IDENT: {
        const struct mx_field_info *f = mx_field_find(t.p, t.len);
        if ((rc = new_node(ps, f ? N_FIELD : N_IDENT, t.off, &n)) ||
            (rc = node_text(ps, n, t.p, t.len)))
            return rc;
        if (f)
            n->value = f->field;
        break;
    }
    case T_SETTING:
        if ((rc = new_node(ps, N_SETTING, t.off, &n)) || (rc = node_text(ps, n, t.p, t.len)))
            return rc;
        break;
    case T_LP:
        if ((rc = enter(ps, t.off)) || (rc = next(ps)) || (rc = parse_or(ps, out)))
            return rc;
        leave(ps);
        return expect(ps, T_RP, _("')'"));
    case T_MINUS:
        if ((rc = enter(ps, t.off)) || (rc = new_node(ps, N_NEG, t.off, &n)) || (rc = next(ps)) ||
            (rc = parse_atom(ps, &n->a)))
            return rc;
        leave(ps);
        *out = n;
        return 0;
    case K_BEKEND:
        if ((rc = enter(ps, t.off)) || (rc = new_node(ps, N_KNOWN, t.off, &n)) || (rc = next(ps)) ||
            (rc = parse_call_paren(ps, "bekend")) || (rc = parse_or(ps, &n->a)) ||
            (rc = expect(ps, T_RP, _("')'"))))
            return rc;
        leave(ps);
        *out = n;
        return 0;
    case K_ANTWOORD:
        if ((rc = new_node(ps, N_ANSWER, t.off, &n)) || (rc = next(ps)) ||
            (rc = parse_call_paren(ps, "antwoord")))
            return rc;
        if (ps->tok.t != T_STR)
            return unexpected(ps, _("de code van een vraag tussen aanhalingstekens, zoals "
                                    "antwoord(\"wmo_ceo_1\")"));
        if ((rc = node_text(ps, n, ps->tok.p, ps->tok.len)) || (rc = next(ps)) ||
            (rc = expect(ps, T_RP, _("')'"))))
            return rc;
        *out = n;
        return 0;
    case K_MAANDEN: {
        if ((rc = new_node(ps, N_MONTHS, t.off, &n)) || (rc = next(ps)) ||
            (rc = parse_call_paren(ps, "maanden")))
            return rc;
        struct token a = ps->tok;
        if (a.t != T_NUM && a.t != T_SETTING)
            return unexpected(ps, _("een aantal maanden, zoals maanden(6)"));
        if ((rc = new_node(ps, a.t == T_NUM ? N_NUM : N_SETTING, a.off, &n->a)))
            return rc;
        if (a.t == T_NUM)
            n->a->value = a.num;
        else if ((rc = node_text(ps, n->a, a.p, a.len)))
            return rc;
        if ((rc = next(ps)) || (rc = expect(ps, T_RP, _("')'"))))
            return rc;
        *out = n;
        return 0;
    }
    default:
        return unexpected(ps, _("een veld, getal, tekst of '('"));
    }
    if (t.t == T_IDENT && !mx_field_find(t.p, t.len)) {
        struct token after;
        if ((rc = lex(ps, t.end, &after)))
            return rc;
        if (after.t == T_LP)
            return expr_fail(ps->c, ERR_INVALID, t.off,
                             _("onbekende functie '%.*s'; de functies zijn bekend(), "
                               "antwoord() en maanden()"),
                             (int)t.len, t.p);
    }
    *out = n;
    return next(ps);
}

static int parse_term(struct parser *ps, struct node **out)
{
    int rc = parse_atom(ps, out);
    while (!rc && (ps->tok.t == T_STAR || ps->tok.t == T_SLASH)) {
        struct node *n;
        if ((rc = new_node(ps, N_ARITH, ps->tok.off, &n)))
            return rc;
        n->op = ps->tok.t == T_STAR ? AR_MUL : AR_DIV;
        n->a = *out;
        if ((rc = next(ps)) || (rc = parse_atom(ps, &n->b)))
            return rc;
        *out = n;
    }
    return rc;
}

static int parse_sum(struct parser *ps, struct node **out)
{
    int rc = parse_term(ps, out);
    while (!rc && (ps->tok.t == T_PLUS || ps->tok.t == T_MINUS)) {
        struct node *n;
        if ((rc = new_node(ps, N_ARITH, ps->tok.off, &n)))
            return rc;
        n->op = ps->tok.t == T_PLUS ? AR_ADD : AR_SUB;
        n->a = *out;
        if ((rc = next(ps)) || (rc = parse_term(ps, &n->b)))
            return rc;
        *out = n;
    }
    return rc;
}

/* One literal of an "in" list: number (optionally negative), text, list code, waar/onwaar. */
static int parse_literal(struct parser *ps, struct node **out)
{
    struct token t = ps->tok;
    int rc;
    if (t.t == T_MINUS) {
        if ((rc = next(ps)))
            return rc;
        if (ps->tok.t != T_NUM)
            return unexpected(ps, _("een getal na '-'"));
        if ((rc = new_node(ps, N_NUM, t.off, out)))
            return rc;
        (*out)->value = -ps->tok.num;
        return next(ps);
    }
    if (t.t == T_NUM || t.t == T_STR || t.t == T_LISTCODE || t.t == K_WAAR || t.t == K_ONWAAR)
        return parse_atom(ps, out);
    if (t.t == T_IDENT)
        return expr_fail(ps->c, ERR_INVALID, t.off,
                         _("in de lijst na 'in' staan alleen vaste waarden; zet een code tussen "
                           "aanhalingstekens, zoals \"%.*s\""),
                         (int)t.len, t.p);
    return unexpected(ps, _("een vaste waarde (getal, tekst tussen aanhalingstekens of code)"));
}

static int parse_in_list(struct parser *ps, struct node *n)
{
    int rc = expect(ps, T_LP, _("'(' met de lijst van waarden"));
    if (rc)
        return rc;
    if (ps->tok.t == T_RP)
        return expr_fail(ps->c, ERR_INVALID, ps->tok.off, _("de lijst na 'in' is leeg"));
    struct node *items[EXPR_MAX_INLIST];
    uint32_t k = 0;
    for (;;) {
        if (k == EXPR_MAX_INLIST)
            return expr_fail(ps->c, ERR_TOO_BIG, ps->tok.off,
                             _("te veel waarden in de lijst (hoogstens %d)"), EXPR_MAX_INLIST);
        if ((rc = parse_literal(ps, &items[k])))
            return rc;
        k++;
        if (ps->tok.t == T_RP)
            break;
        if ((rc = expect(ps, T_COMMA, _("',' of ')'"))))
            return rc;
    }
    n->items = arena_alloc(ps->c->a, k * sizeof *n->items);
    if (!n->items)
        return ERR_NOMEM;
    memcpy(n->items, items, k * sizeof *n->items);
    n->nitems = k;
    return next(ps);
}

static int parse_cmp(struct parser *ps, struct node **out)
{
    int rc = parse_sum(ps, out);
    if (rc)
        return rc;
    struct token t = ps->tok;
    bool negated = false;
    if (t.t == K_NIET) {
        struct token after;
        if ((rc = lex(ps, t.end, &after)))
            return rc;
        if (after.t != K_IN && after.t != K_TUSSEN)
            return unexpected(ps, _("'en', 'of', een vergelijking of het einde"));
        negated = true;
        if ((rc = next(ps)))
            return rc;
    }
    struct node *n;
    switch (ps->tok.t) {
    case T_CMP:
        if ((rc = new_node(ps, N_CMP, ps->tok.off, &n)))
            return rc;
        n->op = (uint8_t)ps->tok.op;
        n->a = *out;
        if ((rc = next(ps)) || (rc = parse_sum(ps, &n->b)))
            return rc;
        break;
    case K_IN:
        if ((rc = new_node(ps, N_IN, t.off, &n)))
            return rc;
        n->a = *out;
        n->negated = negated;
        if ((rc = next(ps)) || (rc = parse_in_list(ps, n)))
            return rc;
        break;
    case K_TUSSEN:
        if ((rc = new_node(ps, N_BETWEEN, t.off, &n)))
            return rc;
        n->a = *out;
        n->negated = negated;
        if ((rc = next(ps)) || (rc = parse_sum(ps, &n->b)) ||
            (rc = expect(ps, K_EN, _("'en' na de ondergrens van 'tussen'"))) ||
            (rc = parse_sum(ps, &n->c)))
            return rc;
        break;
    default:
        return 0;
    }
    *out = n;
    if (ps->tok.t == T_CMP || ps->tok.t == K_IN || ps->tok.t == K_TUSSEN)
        return expr_fail(ps->c, ERR_INVALID, ps->tok.off,
                         _("twee vergelijkingen achter elkaar; verbind ze met 'en' of 'of'"));
    return 0;
}

static int parse_not(struct parser *ps, struct node **out)
{
    if (ps->tok.t != K_NIET)
        return parse_cmp(ps, out);
    struct node *n;
    int rc;
    if ((rc = enter(ps, ps->tok.off)) || (rc = new_node(ps, N_NOT, ps->tok.off, &n)) ||
        (rc = next(ps)) || (rc = parse_not(ps, &n->a)))
        return rc;
    leave(ps);
    *out = n;
    return 0;
}

static int parse_and(struct parser *ps, struct node **out)
{
    int rc = parse_not(ps, out);
    while (!rc && ps->tok.t == K_EN) {
        struct node *n;
        if ((rc = new_node(ps, N_AND, ps->tok.off, &n)))
            return rc;
        n->a = *out;
        if ((rc = next(ps)) || (rc = parse_not(ps, &n->b)))
            return rc;
        *out = n;
    }
    return rc;
}

static int parse_or(struct parser *ps, struct node **out)
{
    int rc = parse_and(ps, out);
    while (!rc && ps->tok.t == K_OF) {
        struct node *n;
        if ((rc = new_node(ps, N_OR, ps->tok.off, &n)))
            return rc;
        n->a = *out;
        if ((rc = next(ps)) || (rc = parse_and(ps, &n->b)))
            return rc;
        *out = n;
    }
    return rc;
}

int expr_parse(struct expr_ctx *c, struct node **out)
{
    struct parser ps = {.c = c};
    int rc = lex(&ps, 0, &ps.tok);
    if (rc)
        return rc;
    if (ps.tok.t == T_END)
        return expr_fail(c, ERR_INVALID, 0, _("de uitdrukking is leeg"));
    if ((rc = parse_or(&ps, out)))
        return rc;
    if (ps.tok.t == T_RP)
        return expr_fail(c, ERR_INVALID, ps.tok.off, _("')' zonder bijbehorend '('"));
    if (ps.tok.t != T_END)
        return unexpected(&ps, _("'en', 'of' of het einde"));
    return 0;
}
