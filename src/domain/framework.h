/*
 * framework.h: the regional quality framework (kwaliteitskader): a framework owned by a region,
 * its themes, and its criteria with source, applicability, evidence asked and verification
 * method; local criteria of a gemeente on top; a version history; and the duplicate check
 * ("fewer, not more requirements": domain/framework_similar.h) with merge and "not a
 * duplicate" decisions. Verification of providers against the criteria comes later.
 */
#ifndef DUIDING_DOMAIN_FRAMEWORK_H
#define DUIDING_DOMAIN_FRAMEWORK_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define FW_NAME_MAX        160  /* code points */
#define FW_DESCRIPTION_MAX 4000 /* code points */
#define FW_THEME_MAX       80   /* code points of a theme name */
#define FW_CODE_MAX        16   /* criterion code, [A-Za-z0-9._-] */
#define FW_TEXT_MAX        2000 /* code points of a criterion text */
#define FW_SOURCE_REF_MAX  200  /* code points */
#define FW_EVIDENCE_MAX    1000 /* code points */
#define FW_CATEGORIES_MAX  200  /* bytes: comma-separated product category codes */
#define FW_CRITERIA_MAX    2000 /* criteria in one framework (bounds the O(n^2) duplicate check) */
#define FW_THEMES_MAX      100
#define FW_EXTRA_SOURCES   16 /* sources recorded on one criterion by merges */

/* Where a criterion comes from. Stable codes in the database, the API and the CSV. */
enum fw_source {
    FW_SRC_BRANCHENORM = 1, /* branch norm (e.g. kwaliteitskader jeugd of the branches) */
    FW_SRC_CERTIFICERING,   /* certification scheme (HKZ, ISO 9001, ...) */
    FW_SRC_WETSARTIKEL,     /* law article (Jeugdwet 4.1.1, Wmo 3.1, ...) */
    FW_SRC_CONTRACTEIS,     /* contract standard (Contractstandaarden Wmo 3.10, ...) */
    FW_SRC_LOKAAL,          /* a local point of a gemeente or region */
};
#define FW_SRC_MIN FW_SRC_BRANCHENORM
#define FW_SRC_MAX FW_SRC_LOKAAL

/* Applicability: bits. */
#define FW_LAW_JW  1u
#define FW_LAW_WMO 2u
#define FW_LAW_ALL (FW_LAW_JW | FW_LAW_WMO)

/* How a criterion is verified: bits. */
#define FW_VERIFY_DOCUMENT  1u /* document evidence */
#define FW_VERIFY_GESPREK   2u /* verification conversation */
#define FW_VERIFY_ONDERZOEK 4u /* additional investigation */
#define FW_VERIFY_ALL       (FW_VERIFY_DOCUMENT | FW_VERIFY_GESPREK | FW_VERIFY_ONDERZOEK)

const char *fw_source_code(enum fw_source s);  /* "branchenorm", ... */
const char *fw_source_label(enum fw_source s); /* translated */
int fw_source_parse(const char *code, enum fw_source *out);
/** "jw,wmo" / "document,gesprek" from bits (static strings). */
const char *fw_laws_code(unsigned laws);
const char *fw_verify_code(unsigned verify);
/** Parses a list like "jw, wmo" or "Jeugdwet;Wmo" (case and accents ignored). 0 or ERR_INVALID. */
int fw_laws_parse(const char *s, unsigned *out);
/** Parses "document, gesprek, aanvullend onderzoek" (also "onderzoek"). 0 or ERR_INVALID. */
int fw_verify_parse(const char *s, unsigned *out);

struct framework {
    int64_t id;
    int64_t owner_org_id; /* the region */
    const char *owner_name;
    const char *name;
    const char *description;
    bool archived;
    int64_t version; /* bumped by every change of the framework or one of its criteria */
    const char *created_at, *updated_at;
    int ncriteria; /* active criteria (not archived) */
};

struct fw_theme {
    int64_t id;
    int position;
    const char *name;
};

struct fw_extra_source {
    enum fw_source kind;
    const char *ref;
    int64_t from_criterion_id; /* the archived duplicate it came from */
};

struct criterion {
    int64_t id;
    int64_t framework_id;
    int64_t theme_id;
    const char *theme_name;
    int64_t local_org_id; /* 0: regional; else the gemeente whose local criterion this is */
    const char *local_org_name;
    const char *local_cbs; /* CBS code of that gemeente ("GM0114"), NULL when regional */
    const char *code;
    const char *text;
    enum fw_source source;
    const char *source_ref;
    unsigned laws;          /* FW_LAW_* */
    const char *categories; /* comma-separated product categories, "" = all */
    const char *evidence;
    unsigned verify; /* FW_VERIFY_* */
    bool archived;
    int64_t merged_into; /* 0, or the criterion this one was merged into */
    int64_t version;     /* optimistic locking of edits of this criterion */
    const char *updated_at;
    struct fw_extra_source *extra; /* sources recorded by merges */
    int nextra;
};

struct framework_input {
    int64_t owner_org_id;
    const char *name;
    const char *description;
    int64_t version; /* update: the version being edited */
};

struct criterion_input {
    const char *theme; /* theme name; a new name adds the theme */
    int64_t local_org_id;
    const char *code;
    const char *text;
    int source; /* enum fw_source */
    const char *source_ref;
    unsigned laws;
    const char *categories;
    const char *evidence;
    unsigned verify;
    int64_t version; /* update: the version being edited */
};

/* One entry of the version history. */
struct fw_version {
    int64_t version;
    const char *changed_at;
    const char *changed_by; /* display name, NULL for the system */
    const char *summary;
};

int framework_create(struct store *s, const struct actor *who, const struct framework_input *in,
                     int64_t *id_out, struct err_ctx *e);
/** ERR_CONFLICT when in->version is not the current version. */
int framework_update(struct store *s, const struct actor *who, int64_t id,
                     const struct framework_input *in, struct err_ctx *e);
int framework_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                  struct framework *out);
/** Frameworks, archived ones last; owner_org_id 0 = all. */
int framework_list(struct arena *a, struct store *s, const struct actor *who, int64_t owner_org_id,
                   struct framework **out, int *n);
/** Themes in order. */
int framework_themes(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                     struct fw_theme **out, int *n);
/** Criteria of a framework ordered by theme position and code; archived ones only when asked. */
int framework_criteria(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                       bool include_archived, struct criterion **out, int *n);
/**
 * The active criteria as they stood at framework version `version` (1..current), for reading
 * and export; ERR_NOT_FOUND for a version the framework never had. Without merge sources.
 */
int framework_criteria_at(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                          int64_t version, struct criterion **out, int *n);
/** Version history, newest first (at most 200 entries). */
int framework_versions(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                       struct fw_version **out, int *n);

int criterion_create(struct store *s, const struct actor *who, int64_t framework_id,
                     const struct criterion_input *in, int64_t *id_out, struct err_ctx *e);
int criterion_update(struct store *s, const struct actor *who, int64_t id,
                     const struct criterion_input *in, struct err_ctx *e);
int criterion_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                           struct err_ctx *e);
int criterion_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                  struct criterion *out);

/* ---- Duplicates ("fewer, not more requirements"). ---- */

struct fw_duplicate {
    const struct criterion *a, *b; /* a->id < b->id; point into the criteria array */
    double similarity;             /* 0..1, see framework_similar.h */
};

/**
 * Pairs of active criteria of the framework whose similarity is at least FW_DUP_THRESHOLD and
 * that nobody marked "not a duplicate", most similar first. *crit receives the criteria the
 * pairs point into.
 */
int framework_duplicates(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                         struct fw_duplicate **out, int *n);
/**
 * Merges: keeps `keep`, records the source(s) of `drop` on it and archives `drop` with
 * merged_into = keep. Needs edit rights on both; nothing is deleted.
 */
int framework_merge(struct store *s, const struct actor *who, int64_t keep, int64_t drop,
                    struct err_ctx *e);
/** Remembers that two criteria are not duplicates; they are no longer proposed. */
int framework_not_duplicate(struct store *s, const struct actor *who, int64_t a, int64_t b,
                            struct err_ctx *e);

/* ---- Import (ingest/framework_import.c calls this with validated rows). ---- */

/**
 * Validates a criterion's own fields (not its framework, owner or code uniqueness) as
 * criterion_create would: 0, or ERR_INVALID with e->field naming the field ("theme", "code",
 * "text", "source", "source_ref", "laws", "categories", "evidence", "verify").
 */
int criterion_check(const struct criterion_input *in, struct err_ctx *e);

/**
 * Applies rows to a framework in one transaction: a row whose code exists updates that
 * criterion (local_org_id must agree), a new code adds one. All or nothing: the first row
 * that fails is reported with its 1-based index in *bad_row and nothing is written.
 * *created / *updated count what happened.
 */
int framework_apply(struct store *s, const struct actor *who, int64_t framework_id,
                    const struct criterion_input *rows, int n, int *created, int *updated,
                    int *bad_row, struct err_ctx *e);

/**
 * Whether who may import into framework id at all, asked before the file is read so that a
 * refused user learns nothing from its errors: whoever may add regional criteria, and beleid or
 * contract of a gemeente of the framework's region (for its local points; rows for others are
 * then refused by framework_apply). 0, ERR_DENIED, ERR_NOT_FOUND.
 */
int framework_may_import(struct store *s, const struct actor *who, int64_t id);

/** Resolves a CBS gemeente code ("GM0114" or "0114") to its organisation id. 0 or ERR_NOT_FOUND. */
int framework_gemeente_by_cbs(struct store *s, const char *cbs, int64_t *org_id);

#endif
