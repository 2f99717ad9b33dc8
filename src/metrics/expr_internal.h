/*
 * expr_internal.h: what the parts of the expression compiler share (not for other modules):
 * the syntax tree, the compiled program and the phases expr.c strings together:
 * expr_parse.c (text -> tree), expr_check.c (names, units, types, codes),
 * expr_run.c (constant folding, code generation, evaluation).
 */
#ifndef DUIDING_METRICS_EXPR_INTERNAL_H
#define DUIDING_METRICS_EXPR_INTERNAL_H

#include "metrics/expr.h"
#include <stdarg.h>

#define EXPR_MAX_STRING 64 /* bytes of a quoted text */
#define EXPR_MAX_DIGITS 9
#define EXPR_MAX_IDENT  64

enum node_kind {
    N_NUM,      /* value */
    N_STR,      /* text/tlen; after checking: value = packed code or day, type CODE/DAY */
    N_LISTCODE, /* list, text/tlen = code; value = packed list code */
    N_BOOL,     /* value 0/1 */
    N_FIELD,    /* value = enum mx_field */
    N_IDENT,    /* a name that is no field: an error once checked */
    N_SETTING,  /* text/tlen = name as written; after checking: canonical name, value */
    N_ANSWER,   /* text/tlen = item code; value = slot */
    N_MONTHS,   /* a = number or setting; value = 30 x a */
    N_KNOWN,    /* a */
    N_NEG,      /* a */
    N_NOT,      /* a */
    N_AND,      /* a, b */
    N_OR,       /* a, b */
    N_CMP,      /* op, a, b */
    N_IN,       /* a, items, negated */
    N_BETWEEN,  /* a, b (low), c (high), negated */
    N_ARITH,    /* op, a, b */
    N_CONST,    /* produced by folding only: value of type `type` */
};

enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };
enum arith_op { AR_ADD, AR_SUB, AR_MUL, AR_DIV };

/* The types of checked nodes: enum mx_type, plus the type of a quoted text before it meets
 * the code or date it is compared with. */
#define T_UNTYPED_STR 100

struct node {
    uint8_t kind;
    uint8_t op;   /* enum cmp_op / enum arith_op */
    uint8_t type; /* enum mx_type, set by the checker */
    uint8_t list; /* enum mx_code_list of a list code */
    bool negated; /* "niet in", "niet tussen" */
    uint32_t off; /* byte offset in the text, for messages */
    int64_t value;
    const char *text; /* arena-owned, NUL-terminated */
    size_t tlen;
    struct node *a, *b, *c;
    struct node **items;
    uint32_t nitems;
};

/* One instruction of the stack machine (expr_run.c). */
struct ins {
    uint8_t op;
    uint8_t cmp;  /* enum cmp_op; for IN / BETWEEN: 1 = negated */
    uint16_t arg; /* field, answer slot */
    uint32_t n;   /* pool offset, jump target */
    int64_t k;    /* constant; list length for IN */
};

struct expr_prog {
    const struct node *ast; /* as written (settings by name), for expr_format */
    enum expr_want want;
    uint64_t fields; /* bit f: reads field f */
    const struct ins *code;
    const int64_t *pool;
    uint32_t ncode, npool, max_stack;
};

/* Parser state shared by the phases, also for error messages. */
struct expr_ctx {
    const char *text;
    size_t len;
    struct arena *a;
    const struct expr_compile_env *env;
    struct expr_error *err;
    int nodes, depth;
};

/** Fills c->err with "kolom N: <reason>" for byte offset off; returns rc. */
int expr_fail(struct expr_ctx *c, int rc, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Parses c->text into a tree. 0, ERR_INVALID, ERR_TOO_BIG or ERR_NOMEM (error filled). */
int expr_parse(struct expr_ctx *c, struct node **out);

/** Resolves names, checks units and types, packs literals. 0 or an error (filled). */
int expr_check(struct expr_ctx *c, struct node *root, enum expr_want want);

/** Folds constants and generates the program for a checked tree. 0 or ERR_NOMEM. */
int expr_generate(struct expr_ctx *c, const struct node *root, struct expr_prog *p);

/** Optimal-string-alignment distance, ASCII case-insensitive, capped at 99. */
int expr_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/** Canonical spelling of keywords and operators, shared by the parser's messages and
 * expr_format. */
const char *expr_cmp_text(enum cmp_op op);
const char *expr_arith_text(enum arith_op op);

#endif
