/*
 * expr.h: the small filter language of indicator definitions (docs/indicators.md).
 *
 * A definition's population ("wie tellen mee"), event ("wie hebben de uitkomst") and value
 * ("welk getal") are expressions in this language. They are parsed, type-checked against the
 * field catalogue (fields.h) and the code lists, and compiled to a compact program that the
 * engine runs over in-memory records. Nothing is ever pasted into SQL.
 *
 * Grammar (keywords Dutch with English aliases, case-insensitive):
 *   expr    := or
 *   or      := and { ("of" | "or") and }
 *   and     := not { ("en" | "and") not }
 *   not     := ("niet" | "not") not | cmp
 *   cmp     := sum [ ("=" | "!=" | "<" | "<=" | ">" | ">=") sum
 *                  | ["niet"] "in" "(" literal { "," literal } ")"
 *                  | ["niet"] "tussen" sum ("en" | "and") sum ]      -- inclusive
 *   sum     := term { ("+" | "-") term }
 *   term    := atom { ("*" | "/") atom }                              -- integer arithmetic
 *   atom    := number | string | listcode | "waar" | "onwaar" | "true" | "false"
 *            | field | "$" setting | "bekend" "(" expr ")" | "antwoord" "(" string ")"
 *            | "maanden" "(" number ")" | "(" expr ")" | "-" atom
 *   listcode:= ("JZ588" | "WMO588") ":" code                          -- e.g. JZ588:32
 *   string  := '"' chars '"'  (codes: "03", "jw"; max 64 bytes)
 *   number  := digits (max 9 digits)
 * Types: bool, int, day, code, listcode (fields.h). Comparison of a code with a string literal,
 * a list code with a list code literal (checked against the shipped code list: unknown codes are
 * an error), int/day with a number (day - day = int days; maanden(n) = n x 30 days is an int).
 * Any comparison with an unknown value (MX_NULL) is false; "bekend(x)" is true when x is known.
 * Settings ($name) are the definition's named settings (definition.h), bound at compile time.
 * antwoord("code") reads a numeric survey answer (unit response only).
 * Limits: 4,096 bytes of text, 256 nodes, nesting depth 32, 64 literals in one "in" list.
 */
#ifndef DUIDING_METRICS_EXPR_H
#define DUIDING_METRICS_EXPR_H

#include "core/arena.h"
#include "core/err.h"
#include "metrics/fields.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXPR_MAX_TEXT   4096
#define EXPR_MAX_NODES  256
#define EXPR_MAX_DEPTH  32
#define EXPR_MAX_INLIST 64

/* The result type an expression must have where it is used. */
enum expr_want { EXPR_WANT_BOOL, EXPR_WANT_INT };

/* A named setting of a definition, visible to expressions as $name. */
struct expr_setting {
    const char *name;
    bool is_bool; /* else int */
    int64_t value;
};

struct expr_compile_env {
    unsigned unit; /* enum mx_unit bit of the definition: fields of other units are errors */
    const struct expr_setting *settings;
    size_t nsettings;
    /* Maps antwoord("code") to an answer slot (>= 0), or -1 if the item is unknown. NULL:
     * antwoord() is an error ("alleen bij eenheid antwoord"). */
    int (*answer_slot)(void *ctx, const char *code);
    void *answer_ctx;
};

struct expr_prog; /* compiled, immutable, arena-owned; safe to run from many threads */

/* Where a compile error is: byte offset and 1-based column in the text, and a Dutch reason
 * (translated with gettext), e.g. "kolom 14: onbekend veld 'reden'; bedoelt u 'reden_cbs'?" */
struct expr_error {
    size_t offset;
    int column;
    char message[256];
};

/**
 * Parses, type-checks and compiles text. On failure returns ERR_INVALID (or ERR_TOO_BIG for a
 * text over the limits) and fills err (never NULL on success). ERR_NOMEM on allocation failure.
 */
int expr_compile(const char *text, size_t len, enum expr_want want,
                 const struct expr_compile_env *env, struct arena *a, struct expr_prog **out,
                 struct expr_error *err);

/** Runs a bool program on one record: true / false (unknown compares false). */
bool expr_test(const struct expr_prog *p, const struct mx_record *r);
/** Runs an int program on one record: its value, or MX_NULL when unknown. */
int64_t expr_value(const struct expr_prog *p, const struct mx_record *r);

/** True if the program reads field f (the engine uses it to know which columns to fill). */
bool expr_uses_field(const struct expr_prog *p, enum mx_field f);

/** Canonical text of the program (keywords lower case, one space around operators), for
 * showing a definition back and for round-trip tests. Arena-owned. */
const char *expr_format(const struct expr_prog *p, struct arena *a);

#endif
