/*
 * expr.c: the entry points of the expression language (expr.h): compile = parse, check,
 * generate (expr_parse.c, expr_check.c, expr_run.c); error messages with their column; and the
 * canonical text of a compiled expression (expr_format), which parses back to the same tree.
 */
#include "metrics/expr.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/utf8.h"
#include "metrics/expr_internal.h"

/* ---- Errors. ---- */

/* Cuts s back to whole UTF-8 characters after a truncating snprintf. */
static void trim_partial_utf8(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

int expr_fail(struct expr_ctx *c, int rc, size_t off, const char *fmt, ...)
{
    struct expr_error *e = c->err;
    if (off > c->len)
        off = c->len;
    /* Line and column in characters, so that the number matches what the user sees. */
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)c->text[i];
        if (ch == '\n') {
            line++;
            col = 1;
        } else if ((ch & 0xc0) != 0x80) {
            col++;
        }
    }
    char reason[sizeof e->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    trim_partial_utf8(reason);
    e->offset = off;
    e->column = col > INT_MAX ? INT_MAX : (int)col;
    if (line > 1)
        snprintf(e->message, sizeof e->message, _("regel %zu, kolom %zu: %s"), line, col, reason);
    else
        snprintf(e->message, sizeof e->message, _("kolom %zu: %s"), col, reason);
    trim_partial_utf8(e->message);
    return rc;
}

/* ---- Compiling. ---- */

static void collect_fields(const struct node *n, uint64_t *bits)
{
    if (!n)
        return;
    if (n->kind == N_FIELD)
        *bits |= UINT64_C(1) << n->value;
    collect_fields(n->a, bits);
    collect_fields(n->b, bits);
    collect_fields(n->c, bits);
}

int expr_compile(const char *text, size_t len, enum expr_want want,
                 const struct expr_compile_env *env, struct arena *a, struct expr_prog **out,
                 struct expr_error *err)
{
    struct expr_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (out)
        *out = NULL;
    struct expr_ctx c = {
        .text = text ? text : "", .len = text ? len : 0, .a = a, .env = env, .err = err};
    if (!out || !a)
        return expr_fail(&c, ERR_INTERNAL, 0, "expr_compile: no arena or result");
    if (len > EXPR_MAX_TEXT) {
        c.len = 0; /* the column of offset 0; do not scan a huge text */
        return expr_fail(&c, ERR_TOO_BIG, 0, _("de uitdrukking is te lang (hoogstens %d bytes)"),
                         EXPR_MAX_TEXT);
    }
    size_t bad = 0;
    if (!utf8_valid(c.text, c.len, &bad))
        return expr_fail(&c, ERR_INVALID, bad, _("ongeldig teken (geen UTF-8)"));

    struct node *root = NULL;
    int rc = expr_parse(&c, &root);
    if (!rc)
        rc = expr_check(&c, root, want);
    struct expr_prog *p = NULL;
    if (!rc && !(p = arena_calloc(a, 1, sizeof *p)))
        rc = ERR_NOMEM;
    if (!rc) {
        p->ast = root;
        p->want = want;
        collect_fields(root, &p->fields);
        rc = expr_generate(&c, root, p);
    }
    if (rc == ERR_NOMEM)
        expr_fail(&c, rc, 0, _("onvoldoende geheugen om de uitdrukking te verwerken"));
    if (rc)
        return rc;
    *out = p;
    return 0;
}

bool expr_uses_field(const struct expr_prog *p, enum mx_field f)
{
    return p && (unsigned)f < MX_F__COUNT && (p->fields >> f & 1u);
}

/* ---- Canonical text. ---- */

const char *expr_cmp_text(enum cmp_op op)
{
    static const char *const t[] = {"=", "!=", "<", "<=", ">", ">="};
    return (unsigned)op < ARRAY_LEN(t) ? t[op] : "?";
}

const char *expr_arith_text(enum arith_op op)
{
    static const char *const t[] = {"+", "-", "*", "/"};
    return (unsigned)op < ARRAY_LEN(t) ? t[op] : "?";
}

/* Binding strength, as in the grammar: of < en < niet < comparisons < + - < * / < atoms. */
static int prec(const struct node *n)
{
    switch ((enum node_kind)n->kind) {
    case N_OR:
        return 1;
    case N_AND:
        return 2;
    case N_NOT:
        return 3;
    case N_CMP:
    case N_IN:
    case N_BETWEEN:
        return 4;
    case N_ARITH:
        return n->op == AR_ADD || n->op == AR_SUB ? 5 : 6;
    default:
        return 7;
    }
}

static void fmt(struct buf *b, const struct node *n, int min);

static void fmt_literal(struct buf *b, const struct node *n)
{
    switch ((enum node_kind)n->kind) {
    case N_NUM:
        buf_appendf(b, "%" PRId64, n->value);
        return;
    case N_STR:
        buf_appendf(b, "\"%s\"", n->text);
        return;
    case N_LISTCODE:
        buf_appendf(b, "%s:%s", n->list == MX_LIST_JZ588 ? "JZ588" : "WMO588", n->text);
        return;
    case N_BOOL:
        buf_append_str(b, n->value ? "waar" : "onwaar");
        return;
    default:
        return;
    }
}

static void fmt_node(struct buf *b, const struct node *n)
{
    switch ((enum node_kind)n->kind) {
    case N_OR:
    case N_AND:
        fmt(b, n->a, prec(n));
        buf_append_str(b, n->kind == N_OR ? " of " : " en ");
        fmt(b, n->b, prec(n) + 1);
        return;
    case N_NOT:
        buf_append_str(b, "niet ");
        fmt(b, n->a, 3);
        return;
    case N_CMP:
        fmt(b, n->a, 5);
        buf_appendf(b, " %s ", expr_cmp_text((enum cmp_op)n->op));
        fmt(b, n->b, 5);
        return;
    case N_IN:
        fmt(b, n->a, 5);
        buf_append_str(b, n->negated ? " niet in (" : " in (");
        for (uint32_t i = 0; i < n->nitems; i++) {
            if (i)
                buf_append_str(b, ", ");
            fmt_literal(b, n->items[i]);
        }
        buf_append_char(b, ')');
        return;
    case N_BETWEEN:
        fmt(b, n->a, 5);
        buf_append_str(b, n->negated ? " niet tussen " : " tussen ");
        fmt(b, n->b, 5);
        buf_append_str(b, " en ");
        fmt(b, n->c, 5);
        return;
    case N_ARITH:
        fmt(b, n->a, prec(n));
        buf_appendf(b, " %s ", expr_arith_text((enum arith_op)n->op));
        fmt(b, n->b, prec(n) + 1);
        return;
    case N_NEG:
        buf_append_char(b, '-');
        fmt(b, n->a, 7);
        return;
    case N_KNOWN:
        buf_append_str(b, "bekend(");
        fmt(b, n->a, 0);
        buf_append_char(b, ')');
        return;
    case N_MONTHS:
        buf_append_str(b, "maanden(");
        fmt(b, n->a, 0);
        buf_append_char(b, ')');
        return;
    case N_ANSWER:
        buf_appendf(b, "antwoord(\"%s\")", n->text);
        return;
    case N_FIELD:
        buf_append_str(b, mx_fields()[n->value].name);
        return;
    case N_SETTING:
        buf_appendf(b, "$%s", n->text);
        return;
    case N_IDENT:
        buf_append_str(b, n->text);
        return;
    case N_CONST:
        buf_appendf(b, "%" PRId64, n->value);
        return;
    default:
        fmt_literal(b, n);
        return;
    }
}

static void fmt(struct buf *b, const struct node *n, int min)
{
    bool paren = prec(n) < min;
    if (paren)
        buf_append_char(b, '(');
    fmt_node(b, n);
    if (paren)
        buf_append_char(b, ')');
}

const char *expr_format(const struct expr_prog *p, struct arena *a)
{
    if (!p || !a)
        return "";
    struct buf b;
    buf_init(&b, BUF_MAX_SMALL);
    fmt(&b, p->ast, 0);
    const char *s = arena_strndup(a, buf_cstr(&b), b.len);
    buf_release(&b);
    return s ? s : "";
}
