/*
 * expr_run.c: turns a checked expression into a flat program and runs it. Settings and other
 * constants are folded away at compile time; what is left becomes a small stack machine with
 * fused instructions for the common shapes (field compared with a constant, field in a list),
 * because the engine runs every population filter once per row, tens of millions of times.
 *
 * Values are int64_t; MX_NULL is unknown. Comparisons with unknown are false. Conditions are
 * three-valued only through bool fields that can be unknown (nieuwe_start while open): then
 * "niet x" is unknown too, "en"/"of" follow SQL (Kleene) logic, and an unknown outcome does
 * not pass the filter, exactly as SQL's WHERE does.
 */
#include "core/common.h"
#include "metrics/expr_internal.h"

enum op {
    OP_CONST,      /* push k */
    OP_FIELD,      /* push v[arg] */
    OP_ANSWER,     /* push answers[arg] */
    OP_CMP,        /* pop y, x; push x cmp y */
    OP_CMP_FK,     /* push v[arg] cmp k */
    OP_CMP_AK,     /* push answers[arg] cmp k */
    OP_IN,         /* pop x; push x in pool[n .. n+k) (cmp: negated) */
    OP_IN_F,       /* push v[arg] in pool[n .. n+k) */
    OP_BETWEEN,    /* pop hi, lo, x; push lo <= x <= hi (cmp: negated) */
    OP_BETWEEN_FK, /* push pool[n] <= v[arg] <= pool[n+1] */
    OP_BETWEEN_AK, /* the same for answers[arg] */
    OP_KNOWN,      /* pop x; push x known */
    OP_KNOWN_F,    /* push v[arg] known */
    OP_NOT,
    OP_AND, /* pop y, x; push x and y */
    OP_OR,
    OP_JF, /* if top is false: jump to n, keeping it */
    OP_JT, /* if top is true: jump to n, keeping it */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_NEG,
    OP_END, /* result: top */
};

/* ---- Semantics, shared by folding and running so that both agree. ---------------------------- */

static inline int64_t v_cmp(int op, int64_t x, int64_t y)
{
    if (x == MX_NULL || y == MX_NULL)
        return 0;
    switch (op) {
    case CMP_EQ:
        return x == y;
    case CMP_NE:
        return x != y;
    case CMP_LT:
        return x < y;
    case CMP_LE:
        return x <= y;
    case CMP_GT:
        return x > y;
    default:
        return x >= y;
    }
}

static inline int64_t v_in(int64_t x, const int64_t *list, int64_t n, bool negated)
{
    if (x == MX_NULL)
        return 0;
    bool found = false;
    for (int64_t i = 0; i < n; i++)
        found |= list[i] == x;
    return found != negated;
}

static inline int64_t v_between(int64_t x, int64_t lo, int64_t hi, bool negated)
{
    if (x == MX_NULL || lo == MX_NULL || hi == MX_NULL)
        return 0;
    return (lo <= x && x <= hi) != negated;
}

static inline int64_t v_not(int64_t x)
{
    return x == MX_NULL ? MX_NULL : !x;
}

static inline int64_t v_and(int64_t x, int64_t y)
{
    if (x == 0 || y == 0)
        return 0;
    return x == MX_NULL || y == MX_NULL ? MX_NULL : 1;
}

static inline int64_t v_or(int64_t x, int64_t y)
{
    if (x == 1 || y == 1)
        return 1;
    return x == MX_NULL || y == MX_NULL ? MX_NULL : 0;
}

/* Unknown in, unknown out; overflow and division by zero are unknown too. */
static inline int64_t v_arith(int op, int64_t x, int64_t y)
{
    if (x == MX_NULL || y == MX_NULL)
        return MX_NULL;
    int64_t r;
    switch (op) {
    case AR_ADD:
        return __builtin_add_overflow(x, y, &r) ? MX_NULL : r;
    case AR_SUB:
        return __builtin_sub_overflow(x, y, &r) ? MX_NULL : r;
    case AR_MUL:
        return __builtin_mul_overflow(x, y, &r) ? MX_NULL : r;
    default:
        if (y == 0) /* x is never INT64_MIN (that is MX_NULL), so x / -1 cannot overflow */
            return MX_NULL;
        return x / y;
    }
}

static inline int64_t v_neg(int64_t x)
{
    return x == MX_NULL ? MX_NULL : -x;
}

/* ---- Constant folding. ---- */

static bool is_const(const struct node *n)
{
    switch ((enum node_kind)n->kind) {
    case N_NUM:
    case N_STR:
    case N_LISTCODE:
    case N_BOOL:
    case N_SETTING:
    case N_MONTHS:
    case N_CONST:
        return true;
    default:
        return false;
    }
}

static const struct node *mk_const(struct expr_ctx *c, const struct node *like, int64_t v)
{
    struct node *n = arena_calloc(c->a, 1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = N_CONST;
    n->type = like->type;
    n->off = like->off;
    n->value = v;
    return n;
}

static struct node *mk_copy(struct expr_ctx *c, const struct node *like)
{
    struct node *n = arena_alloc(c->a, sizeof *n);
    if (n)
        *n = *like;
    return n;
}

/* A folded copy of n (n itself when nothing changes); NULL when out of memory. */
static const struct node *fold(struct expr_ctx *c, const struct node *n)
{
    const struct node *a = NULL, *b = NULL, *d = NULL;
    if (is_const(n))
        return n->kind == N_CONST ? n : mk_const(c, n, n->value);
    switch ((enum node_kind)n->kind) {
    case N_FIELD:
    case N_ANSWER:
        return n;
    case N_KNOWN:
    case N_NEG:
    case N_NOT:
        if (!(a = fold(c, n->a)))
            return NULL;
        if (is_const(a)) {
            int64_t x = a->value;
            return mk_const(c, n,
                            n->kind == N_KNOWN ? x != MX_NULL
                            : n->kind == N_NEG ? v_neg(x)
                                               : v_not(x));
        }
        break;
    case N_AND:
    case N_OR: {
        if (!(a = fold(c, n->a)) || !(b = fold(c, n->b)))
            return NULL;
        int64_t absorb = n->kind == N_AND ? 0 : 1; /* x en onwaar = onwaar; x of waar = waar */
        if (is_const(a) && is_const(b))
            return mk_const(
                c, n, n->kind == N_AND ? v_and(a->value, b->value) : v_or(a->value, b->value));
        if ((is_const(a) && a->value == absorb) || (is_const(b) && b->value == absorb))
            return mk_const(c, n, absorb);
        if (is_const(a) && a->value == !absorb) /* waar en x = x; onwaar of x = x */
            return b;
        if (is_const(b) && b->value == !absorb)
            return a;
        break;
    }
    case N_CMP:
    case N_ARITH:
        if (!(a = fold(c, n->a)) || !(b = fold(c, n->b)))
            return NULL;
        if (is_const(a) && is_const(b))
            return mk_const(c, n,
                            n->kind == N_CMP ? v_cmp(n->op, a->value, b->value)
                                             : v_arith(n->op, a->value, b->value));
        break;
    case N_BETWEEN:
        if (!(a = fold(c, n->a)) || !(b = fold(c, n->b)) || !(d = fold(c, n->c)))
            return NULL;
        if (is_const(a) && is_const(b) && is_const(d))
            return mk_const(c, n, v_between(a->value, b->value, d->value, n->negated));
        break;
    case N_IN:
        if (!(a = fold(c, n->a)))
            return NULL;
        if (is_const(a)) {
            bool found = false;
            for (uint32_t i = 0; i < n->nitems; i++)
                found |= n->items[i]->value == a->value;
            return mk_const(c, n, a->value == MX_NULL ? 0 : found != n->negated);
        }
        break;
    default:
        return n;
    }
    if (a == n->a && b == n->b && d == n->c)
        return n;
    struct node *m = mk_copy(c, n);
    if (!m)
        return NULL;
    m->a = (struct node *)a;
    m->b = (struct node *)b;
    m->c = (struct node *)d;
    return m;
}

/* ---- Code generation. ---- */

#define MAX_CODE (2 * EXPR_MAX_NODES + 8)
#define MAX_POOL (2 * EXPR_MAX_NODES + 8)

struct gen {
    struct ins code[MAX_CODE];
    int64_t pool[MAX_POOL];
    uint32_t ncode, npool;
    uint32_t depth, max_depth;
};

static struct ins *emit(struct gen *g, enum op op, int push)
{
    struct ins *i = &g->code[g->ncode++];
    memset(i, 0, sizeof *i);
    i->op = (uint8_t)op;
    g->depth = (uint32_t)((int)g->depth + push);
    if (g->depth > g->max_depth)
        g->max_depth = g->depth;
    return i;
}

static enum cmp_op flip(enum cmp_op op)
{
    switch (op) {
    case CMP_LT:
        return CMP_GT;
    case CMP_LE:
        return CMP_GE;
    case CMP_GT:
        return CMP_LT;
    case CMP_GE:
        return CMP_LE;
    default:
        return op;
    }
}

static bool is_load(const struct node *n)
{
    return n->kind == N_FIELD || n->kind == N_ANSWER;
}

static void gen(struct gen *g, const struct node *n)
{
    struct ins *i;
    switch ((enum node_kind)n->kind) {
    case N_FIELD:
        emit(g, OP_FIELD, 1)->arg = (uint16_t)n->value;
        return;
    case N_ANSWER:
        emit(g, OP_ANSWER, 1)->arg = (uint16_t)n->value;
        return;
    case N_CMP: {
        const struct node *x = n->a, *k = n->b;
        enum cmp_op op = (enum cmp_op)n->op;
        if (is_const(x) && is_load(k)) {
            x = n->b;
            k = n->a;
            op = flip(op);
        }
        if (is_load(x) && is_const(k)) {
            i = emit(g, x->kind == N_FIELD ? OP_CMP_FK : OP_CMP_AK, 1);
            i->arg = (uint16_t)x->value;
            i->cmp = (uint8_t)op;
            i->k = k->value;
            return;
        }
        gen(g, n->a);
        gen(g, n->b);
        emit(g, OP_CMP, -1)->cmp = n->op;
        return;
    }
    case N_IN: {
        uint32_t at = g->npool;
        for (uint32_t k = 0; k < n->nitems; k++)
            g->pool[g->npool++] = n->items[k]->value;
        if (n->a->kind == N_FIELD) {
            i = emit(g, OP_IN_F, 1);
            i->arg = (uint16_t)n->a->value;
        } else {
            gen(g, n->a);
            i = emit(g, OP_IN, 0);
        }
        i->n = at;
        i->k = n->nitems;
        i->cmp = n->negated;
        return;
    }
    case N_BETWEEN:
        if (is_load(n->a) && is_const(n->b) && is_const(n->c)) {
            i = emit(g, n->a->kind == N_FIELD ? OP_BETWEEN_FK : OP_BETWEEN_AK, 1);
            i->arg = (uint16_t)n->a->value;
            i->n = g->npool;
            i->cmp = n->negated;
            g->pool[g->npool++] = n->b->value;
            g->pool[g->npool++] = n->c->value;
            return;
        }
        gen(g, n->a);
        gen(g, n->b);
        gen(g, n->c);
        emit(g, OP_BETWEEN, -2)->cmp = n->negated;
        return;
    case N_KNOWN:
        if (n->a->kind == N_FIELD) {
            emit(g, OP_KNOWN_F, 1)->arg = (uint16_t)n->a->value;
            return;
        }
        gen(g, n->a);
        emit(g, OP_KNOWN, 0);
        return;
    case N_NOT:
        gen(g, n->a);
        emit(g, OP_NOT, 0);
        return;
    case N_NEG:
        gen(g, n->a);
        emit(g, OP_NEG, 0);
        return;
    case N_AND:
    case N_OR: {
        gen(g, n->a);
        uint32_t jump = g->ncode;
        emit(g, n->kind == N_AND ? OP_JF : OP_JT, 0);
        gen(g, n->b);
        emit(g, n->kind == N_AND ? OP_AND : OP_OR, -1);
        g->code[jump].n = g->ncode;
        return;
    }
    case N_ARITH: {
        static const enum op ops[] = {
            [AR_ADD] = OP_ADD, [AR_SUB] = OP_SUB, [AR_MUL] = OP_MUL, [AR_DIV] = OP_DIV};
        gen(g, n->a);
        gen(g, n->b);
        emit(g, ops[n->op], -1);
        return;
    }
    default: /* constants (folded) */
        emit(g, OP_CONST, 1)->k = n->value;
        return;
    }
}

int expr_generate(struct expr_ctx *c, const struct node *root, struct expr_prog *p)
{
    const struct node *f = fold(c, root);
    if (!f)
        return ERR_NOMEM;
    struct gen *g = calloc(1, sizeof *g);
    if (!g)
        return ERR_NOMEM;
    gen(g, f);
    emit(g, OP_END, 0);
    int rc = ERR_NOMEM;
    struct ins *code = arena_alloc(c->a, g->ncode * sizeof *code);
    int64_t *pool = arena_alloc(c->a, (g->npool ? g->npool : 1) * sizeof *pool);
    if (code && pool) {
        memcpy(code, g->code, g->ncode * sizeof *code);
        memcpy(pool, g->pool, g->npool * sizeof *pool);
        p->code = code;
        p->pool = pool;
        p->ncode = g->ncode;
        p->npool = g->npool;
        p->max_stack = g->max_depth;
        rc = ALWAYS(g->max_depth <= EXPR_MAX_NODES + 1) ? 0 : ERR_INTERNAL;
    }
    free(g);
    return rc;
}

/* ---- Running. ---- */

static inline int64_t answer(const struct mx_record *r, unsigned slot)
{
    return r->answers ? r->answers[slot] : MX_NULL;
}

static int64_t run(const struct expr_prog *p, const struct mx_record *r)
{
    int64_t stack[EXPR_MAX_NODES + 2];
    int64_t *sp = stack; /* next free slot */
    const int64_t *v = r->v;
    const int64_t *pool = p->pool;
    for (const struct ins *i = p->code;; i++) {
        switch ((enum op)i->op) {
        case OP_CONST:
            *sp++ = i->k;
            break;
        case OP_FIELD:
            *sp++ = v[i->arg];
            break;
        case OP_ANSWER:
            *sp++ = answer(r, i->arg);
            break;
        case OP_CMP:
            sp--;
            sp[-1] = v_cmp(i->cmp, sp[-1], sp[0]);
            break;
        case OP_CMP_FK:
            *sp++ = v_cmp(i->cmp, v[i->arg], i->k);
            break;
        case OP_CMP_AK:
            *sp++ = v_cmp(i->cmp, answer(r, i->arg), i->k);
            break;
        case OP_IN:
            sp[-1] = v_in(sp[-1], pool + i->n, i->k, i->cmp);
            break;
        case OP_IN_F:
            *sp++ = v_in(v[i->arg], pool + i->n, i->k, i->cmp);
            break;
        case OP_BETWEEN:
            sp -= 2;
            sp[-1] = v_between(sp[-1], sp[0], sp[1], i->cmp);
            break;
        case OP_BETWEEN_FK:
            *sp++ = v_between(v[i->arg], pool[i->n], pool[i->n + 1], i->cmp);
            break;
        case OP_BETWEEN_AK:
            *sp++ = v_between(answer(r, i->arg), pool[i->n], pool[i->n + 1], i->cmp);
            break;
        case OP_KNOWN:
            sp[-1] = sp[-1] != MX_NULL;
            break;
        case OP_KNOWN_F:
            *sp++ = v[i->arg] != MX_NULL;
            break;
        case OP_NOT:
            sp[-1] = v_not(sp[-1]);
            break;
        case OP_AND:
            sp--;
            sp[-1] = v_and(sp[-1], sp[0]);
            break;
        case OP_OR:
            sp--;
            sp[-1] = v_or(sp[-1], sp[0]);
            break;
        case OP_JF:
            if (sp[-1] == 0)
                i = p->code + i->n - 1;
            break;
        case OP_JT:
            if (sp[-1] == 1)
                i = p->code + i->n - 1;
            break;
        case OP_ADD:
        case OP_SUB:
        case OP_MUL:
        case OP_DIV:
            sp--;
            sp[-1] = v_arith(i->op - OP_ADD + AR_ADD, sp[-1], sp[0]);
            break;
        case OP_NEG:
            sp[-1] = v_neg(sp[-1]);
            break;
        case OP_END:
            return sp[-1];
        }
    }
}

bool expr_test(const struct expr_prog *p, const struct mx_record *r)
{
    if (!p || !r)
        return false;
    int64_t x = run(p, r);
    return x != 0 && x != MX_NULL;
}

int64_t expr_value(const struct expr_prog *p, const struct mx_record *r)
{
    if (!p || !r)
        return MX_NULL;
    return run(p, r);
}
