/*
 * definition.h: indicator definitions as data (DESIGN.md §6, docs/indicators.md).
 *
 * A definition is a versioned JSON document (schema "versie": 1) stored in the indicator table
 * and shipped for the standard set in data/indicatoren/standaard.json. This module parses and
 * validates it (every problem named by its JSON key, in Dutch), compiles its expressions with
 * expr.h, and writes it back. It does no I/O.
 *
 * JSON keys (Dutch, as users and the API see them):
 *   versie 1 | code "uitval" ([a-z0-9_], 2-48) | naam | naam_en | uitleg (plain language, B1) |
 *   uitleg_en | bron (source text, required for the standard set) |
 *   eenheid "traject" | "persoon" | "antwoord" |
 *   anker "einde" | "start" | "actief" | "antwoord" (period anchor) |
 *   aggregatie "aandeel" | "gemiddelde" | "mediaan" | "aantal" | "per_1000" |
 *   populatie (expr, bool; required) | gebeurtenis (expr, bool; aandeel only) |
 *   waarde (expr, int; gemiddelde/mediaan only) |
 *   leeftijden {"van": 0, "tot_en_met": 17} (per_1000 only: the CBS population band) |
 *   volgtermijn_maanden (1-60) and tussenruimte_dagen (0-365): needed when an expression uses
 *     nieuwe_start / volgtermijn_verstreken |
 *   polariteit "hoger_beter" | "lager_beter" | "neutraal" |
 *   kwadrant "hoeveel" | "hoe_goed" | "beter_af" (RBA) |
 *   min_n (>= 1; the disclosure module may demand more) |
 *   eenheid_waarde "procent" | "cijfer" | "dagen" | "aantal" | "per_1000" (how to print it) |
 *   groep (optional short code that groups indicators on dashboards, e.g. "toegang",
 *     "kwaliteit", "effect" for the Wmo client-experience items) |
 *   instellingen [{"code": "externe_redenen_in_noemer", "label": "...", "label_en": "...",
 *                  "uitleg": "...", "soort": "ja_nee" | "getal", "waarde": true | 12}]
 * Rules: aantal/per_1000 work for every unit; aandeel, gemiddelde and mediaan not for
 * "persoon"; anker "antwoord" iff eenheid "antwoord". Unknown keys are errors (typos must not
 * silently change a figure).
 */
#ifndef DUIDING_METRICS_DEFINITION_H
#define DUIDING_METRICS_DEFINITION_H

#include "core/arena.h"
#include "core/err.h"
#include "metrics/expr.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IND_CODE_MAX     49
#define IND_MAX_SETTINGS 8
#define IND_MAX_JSON     (64 * 1024)

enum ind_unit { IND_UNIT_TRAJECTORY, IND_UNIT_PERSON, IND_UNIT_RESPONSE };
enum ind_anchor { IND_ANCHOR_END, IND_ANCHOR_START, IND_ANCHOR_ACTIVE, IND_ANCHOR_RESPONSE };
enum ind_agg { IND_AGG_PROPORTION, IND_AGG_MEAN, IND_AGG_MEDIAN, IND_AGG_COUNT, IND_AGG_RATE };
enum ind_polarity { IND_HIGHER_BETTER, IND_LOWER_BETTER, IND_NEUTRAL };
enum ind_quadrant { IND_HOW_MUCH, IND_HOW_WELL, IND_BETTER_OFF };
enum ind_display { IND_SHOW_PERCENT, IND_SHOW_GRADE, IND_SHOW_DAYS, IND_SHOW_COUNT, IND_SHOW_RATE };

struct ind_setting {
    const char *code, *label, *label_en, *help;
    bool is_bool;
    int64_t value;
};

struct ind_def {
    int version; /* schema version: 1 */
    const char *code, *name, *name_en, *explanation, *explanation_en, *source;
    const char *group; /* NULL if none */
    enum ind_unit unit;
    enum ind_anchor anchor;
    enum ind_agg agg;
    const char *population, *event, *value; /* expression texts; event/value may be NULL */
    int age_from, age_to;                   /* per_1000: population band; -1 otherwise */
    int follow_up_months, gap_days;         /* -1 when not used */
    enum ind_polarity polarity;
    enum ind_quadrant quadrant;
    enum ind_display display;
    int min_n;
    struct ind_setting settings[IND_MAX_SETTINGS];
    int nsettings;
};

/* A definition ready for the engine: the parsed document plus compiled programs. */
struct ind_compiled {
    struct ind_def def;
    struct expr_prog *population, *event, *value; /* event/value NULL where unused */
    bool uses_follow_up;                          /* nieuwe_start / volgtermijn_verstreken */
};

/* One problem in a definition: the JSON key ("populatie", "instellingen[1].code") and a Dutch
 * reason; for expression errors the column too. */
struct ind_problem {
    char key[64];
    char message[320];
};

#define IND_MAX_PROBLEMS 16

struct ind_problems {
    struct ind_problem p[IND_MAX_PROBLEMS];
    int n;
};

/**
 * Parses and validates a definition document (all problems reported, up to IND_MAX_PROBLEMS).
 * 0, ERR_INVALID (problems filled), ERR_TOO_BIG (over IND_MAX_JSON), ERR_NOMEM. Strings are
 * arena-owned.
 */
int ind_def_parse(const char *json, size_t len, struct arena *a, struct ind_def *out,
                  struct ind_problems *pr);

/** Writes a definition as canonical JSON (keys in the order above, UTF-8, no NaN). Arena-owned. */
const char *ind_def_to_json(const struct ind_def *d, struct arena *a);

/**
 * Compiles the expressions of a valid definition. answer_slot/answer_ctx resolve antwoord()
 * items (may be NULL for trajectory units). 0 or ERR_INVALID with the problem under the key of
 * the failing expression.
 */
int ind_compile(const struct ind_def *d, int (*answer_slot)(void *ctx, const char *code),
                void *answer_ctx, struct arena *a, struct ind_compiled *out,
                struct ind_problems *pr);

/** Changes setting code to value (string form: "ja"/"nee"/"true"/"false" or digits).
 * 0, ERR_NOT_FOUND, ERR_INVALID. */
int ind_def_set(struct ind_def *d, const char *code, const char *value);

/** Stable codes and Dutch labels (msgids) of the enums, for forms, JSON and docs. */
const char *ind_unit_code(enum ind_unit u);
const char *ind_anchor_code(enum ind_anchor x);
const char *ind_agg_code(enum ind_agg x);
const char *ind_polarity_code(enum ind_polarity x);
const char *ind_quadrant_code(enum ind_quadrant x);
const char *ind_display_code(enum ind_display x);
const char *ind_quadrant_label(enum ind_quadrant x); /* "Hoeveel doen we?" ... (msgid) */

/**
 * The shipped standard set (data/indicatoren/standaard.json, embedded): an array of
 * definitions. Parsed on every call into a; 0 or an error naming the entry.
 */
int ind_standard_set(struct arena *a, struct ind_def **out, size_t *n, struct err_ctx *e);

#endif
