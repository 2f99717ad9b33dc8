/*
 * profile.h: column-mapping profiles for providers' registration exports (CSV / XLSX). A
 * profile says which column of the provider's file holds which field of the CBS Beleidsinformatie
 * Jeugd record (or its Wmo counterpart), where the header is, and how the provider's own codes
 * translate into the standard codes. It is made once per provider in the web wizard (preview,
 * suggestions, value mapping) and reused for every later file. Stored as JSON (docs/intake.md).
 */
#ifndef DUIDING_INGEST_PROFILE_H
#define DUIDING_INGEST_PROFILE_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/actor.h"
#include "domain/trajectory.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

/* The fields of a registration record. */
enum reg_field {
    RF_CLIENT_BSN = 0, /* BSN (checked, pseudonymised at once) */
    RF_CLIENT_KEY,     /* the provider's own pseudonymised client key (instead of a BSN) */
    RF_GEMEENTE,       /* CBS code of the gemeente of residence (woonplaatsbeginsel) */
    RF_HULPVORM,       /* CBS hulpvorm 01-04, 11-14 (Jeugdwet) / WMO020 category (Wmo) */
    RF_PRODUCT_CODE,
    RF_START,        /* datum aanvang */
    RF_END,          /* datum einde */
    RF_REASON,       /* CBS reden beeindiging 01-05 */
    RF_REFERRER,     /* verwijzer (COD327 / CBS) */
    RF_SATISFACTION, /* tevredenheid 1-10 */
    RF_ZONDER_HULP,  /* zonder hulp verder 01-04 */
    RF_INFORMANT,    /* type informant 01 jeugdige / 02 ouder */
    RF_GOAL,         /* doelrealisatie: percentage, or ja/deels/nee */
    RF_BIRTH_DATE,   /* becomes age at start; never stored */
    RF_AGE,          /* age at start, when the export has no birth date */
    RF_GENDER,
    RF_POSTCODE, /* only the 4 digits are kept */
    RF_COUNT
};

struct reg_field_info {
    const char *code;     /* stable key in profile JSON and forms: "bsn", "startdatum" ... */
    const char *label;    /* Dutch msgid for the wizard */
    const char *help;     /* Dutch msgid: what the field means, allowed values */
    const char *codelist; /* list the values must come from ("CBS-REDEN"), NULL if free */
    const char *synonyms; /* '|'-separated header names suggested for this field (lower case) */
};
/** Static description of field f. */
const struct reg_field_info *reg_field(enum reg_field f);
/** Field by code; RF_COUNT if unknown. */
enum reg_field reg_field_by_code(const char *code);
/**
 * The code list and release a field's values must come from under law (hulpvorm: CBS-HULPVORM
 * v7 for the Jeugdwet, the WMO020 3.2 product category for the Wmo). False for free fields.
 */
bool reg_field_codelist(enum reg_field f, enum law law, const char **list, const char **release);
/**
 * The standard code a delivered value stands for without a value map: the code itself, "1"
 * for "01" (and the other way round), and for gender m/v/man/vrouw/onbekend. NULL when it is
 * none, so a value map is needed. The result has static lifetime.
 */
const char *reg_standard_code(enum reg_field f, enum law law, const char *value, size_t n);
/**
 * A suggested standard code for a provider's own value: equal to a code's label, starting with
 * a code ("02 Ambulant"), known words ("Afgerond volgens plan" -> "01", "ambulant" -> "02"), or
 * the one label sharing the most words. NULL when there is no clear answer. Static lifetime.
 */
const char *reg_suggest_code(enum reg_field f, enum law law, const char *value, size_t n);

struct value_map {
    enum reg_field field;
    const char *from; /* the provider's value, compared after trimming, case-insensitively */
    const char *to;   /* the standard code */
};

#define PROFILE_NAME_MAX       240  /* code points */
#define PROFILE_COLUMN_MAX     500  /* bytes of one column header in a profile */
#define PROFILE_VALUE_MAX      200  /* bytes of one value-map source value */
#define PROFILE_MAX_VALUES     2000 /* value-map entries of one profile */
#define PROFILE_MAX_HEADER_ROW 50   /* title rows above the header, at most */
#define PROFILE_JSON_MAX       (1024 * 1024)

struct mapping_profile {
    int64_t id;     /* 0 = not stored yet */
    int64_t org_id; /* the aanbieder */
    const char *org_name;
    const char *name;
    enum law law;
    char delimiter; /* 0 = sniff */
    int header_row; /* 1-based record number of the header; rows above are title rows */
    const char *columns[RF_COUNT]; /* header text of the mapped column, NULL = not mapped */
    struct value_map *values;
    int nvalues;
    int64_t version;
    bool archived;
    const char *updated_at;
};

/** Profile definition <-> JSON text (the stored form). */
int profile_to_json(const struct mapping_profile *p, struct buf *out);
int profile_from_json(const char *json, struct arena *a, struct mapping_profile *p,
                      struct err_ctx *e);

/**
 * Checks a profile before it is saved: name, law, a client column (BSN or key), gemeente,
 * hulpvorm and start mapped, no column used twice, every value-map target in its code list.
 * ERR_INVALID with e->field naming the form field ("kolom_startdatum", "naam" ...).
 */
int profile_validate(const struct mapping_profile *p, struct err_ctx *e);

/* A first look at a file for the wizard. */
#define PREVIEW_MAX_ROWS 20
#define PREVIEW_CELL_MAX 512 /* bytes; longer cells are cut (at a character boundary) */
struct table_preview {
    bool is_xlsx;
    const char *encoding; /* "UTF-8" / "Windows-1252" / "XLSX" */
    char delimiter;       /* CSV only */
    int header_row;       /* suggested, 1-based */
    int nrows;
    int ncols;          /* widest row */
    const char ***rows; /* nrows x (ncols, missing cells "") */
};
/** Reads the first PREVIEW_MAX_ROWS records of a CSV or XLSX file. */
int table_preview(const char *path, struct arena *a, struct table_preview *out, struct err_ctx *e);
/**
 * Suggests a profile from a preview: the header row (pv->header_row when set, as
 * table_preview does and the wizard does when the user picks another row; otherwise the row
 * naming the most fields, or the first row with several non-empty, mostly non-numeric cells),
 * column mappings from header names (synonyms, accents and case ignored; a BSN column also by
 * its content), and value maps for values that are not standard codes but match a code's label.
 */
void profile_suggest(const struct table_preview *pv, enum law law, struct arena *a,
                     struct mapping_profile *out);
/**
 * The distinct values (trimmed, compared folded, in order of appearance) of column col in the
 * rows below header_row that are not standard codes of field f: the values a value map is
 * needed for. At most PREVIEW_MAX_ROWS; *out is an arena array. Returns the count.
 */
int profile_preview_values(const struct table_preview *pv, int header_row, int col,
                           enum reg_field f, enum law law, struct arena *a, const char ***out);

/* Stored profiles (policy: OBJ_MAPPING_PROFILE; owner = the aanbieder). */
int profile_list(struct store *s, const struct actor *a, int64_t org_id, struct arena *ar,
                 struct mapping_profile **out, int *n, struct err_ctx *e);
int profile_get(struct store *s, const struct actor *a, int64_t id, struct arena *ar,
                struct mapping_profile *out, struct err_ctx *e);
/** By organisation and name (CLI --profile NAME; org_id 0 = any organisation, must be unique). */
int profile_find(struct store *s, const struct actor *a, int64_t org_id, const char *name,
                 struct arena *ar, struct mapping_profile *out, struct err_ctx *e);
/** Creates (p->id == 0) or updates (p->version must match: ERR_CONFLICT when stale). Audited.
 * *id_out receives the id. */
int profile_save(struct store *s, const struct actor *a, const struct mapping_profile *p,
                 int64_t *id_out, struct err_ctx *e);
int profile_set_archived(struct store *s, const struct actor *a, int64_t id, bool archived,
                         struct err_ctx *e);

#endif
