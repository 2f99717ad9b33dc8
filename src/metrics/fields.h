/*
 * fields.h: the fields an indicator expression can read (docs/indicators.md lists them).
 *
 * One catalogue shared by the expression language (names, types, units), the engine (which
 * fills a record per row) and the oracle tests. Every value is an int64_t; MX_NULL means
 * "unknown / not applicable" and makes every comparison false (bekend(x) tests for it).
 * Codes are packed into an int64_t with mx_code_pack() so that comparing codes is comparing
 * integers; codes of a standard code list that differ per law (JZ588 / WMO588) are packed with
 * the list in the top byte (mx_code_pack_list), so "32" of JZ588 never equals "32" of WMO588.
 */
#ifndef DUIDING_METRICS_FIELDS_H
#define DUIDING_METRICS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MX_NULL INT64_MIN

enum mx_type {
    MX_T_BOOL,     /* 0 / 1 */
    MX_T_INT,      /* whole number (age, grade, days, percentage) */
    MX_T_DAY,      /* day_t (days since 1970-01-01) */
    MX_T_CODE,     /* a code: "01", "jw", "81927455" packed with mx_code_pack() */
    MX_T_LISTCODE, /* a code of JZ588 or WMO588, packed with mx_code_pack_list() */
};

/* Which rows a field exists for (a definition's unit decides which rows it reads). */
enum mx_unit {
    MX_UNIT_TRAJECTORY = 1 << 0, /* also used for unit "person" (distinct persons of rows) */
    MX_UNIT_RESPONSE = 1 << 1,   /* anonymous survey responses */
};

enum mx_field {
    /* Dimensions and common fields (trajectories and responses). */
    MX_F_LAW,      /* wet: code "jw" | "wmo" */
    MX_F_GEMEENTE, /* gemeente: CBS code "0344" (current, after herindeling) */
    MX_F_CATEGORY, /* categorie: product category "45" (messages) or WMO020 code; "" -> NULL */
    MX_F_GENDER,   /* geslacht: "1" man, "2" vrouw, "0" onbekend */
    MX_F_AGE,      /* leeftijd: whole years at start (trajectory) or as answered (response) */
    /* Trajectory fields. */
    MX_F_HULPVORM,       /* hulpvorm: CBS 01-04, 11-14 */
    MX_F_PRODUCT,        /* product: product code of the first line */
    MX_F_END_REASON,     /* reden_einde: JZ588 / WMO588 code (list code), NULL if open or CBS */
    MX_F_CBS_REASON,     /* reden_cbs: CBS 01-05, NULL if open */
    MX_F_REFERRER,       /* verwijzer: COD327 code */
    MX_F_START,          /* start: day */
    MX_F_END,            /* einde: day, NULL while open */
    MX_F_OPEN,           /* open: no end date */
    MX_F_TEMP_STOPPED,   /* tijdelijk_gestopt: open after a temporary stop (JZ588 20) */
    MX_F_NO_ASSIGNMENT,  /* zonder_toewijzing: start/stop without a known assignment */
    MX_F_REGISTRATION,   /* uit_registratie: built from a registration export */
    MX_F_DURATION,       /* doorlooptijd: days end - start (+0), NULL while open */
    MX_F_WAIT_ASSIGNED,  /* wachttijd: days start - toewijzingsdatum, NULL if unknown */
    MX_F_WAIT_REQUESTED, /* wachttijd_aanvraag: days start - date of the request (315) */
    MX_F_SATISFACTION,   /* tevredenheid: grade 1-10, jeugdige first, else ouder */
    MX_F_SATISFACTION_CLIENT, /* tevredenheid_jeugdige */
    MX_F_SATISFACTION_PARENT, /* tevredenheid_ouder */
    MX_F_WITHOUT_HELP,        /* zonder_hulp: code 01-04, jeugdige first, else ouder */
    MX_F_WITHOUT_HELP_CLIENT, /* zonder_hulp_jeugdige */
    MX_F_WITHOUT_HELP_PARENT, /* zonder_hulp_ouder */
    MX_F_GOAL,                /* doelrealisatie: percentage 0-100 */
    /* Follow-up, evaluated with the definition's window and gap rule (definition.h). */
    MX_F_NEW_START,         /* nieuwe_start: the person started youth care / support again (any
                               aanbieder, same law) more than gap_days after the end and
                               within follow_up_months; NULL while open */
    MX_F_FOLLOW_UP_ELAPSED, /* volgtermijn_verstreken: end + follow_up_months <= data date */
    /* Response fields. */
    MX_F_RESPONSE_DATE, /* datum_antwoord: day */
    MX_F__COUNT
};

struct mx_field_info {
    enum mx_field field;
    const char *name; /* as written in expressions (Dutch, snake_case) */
    enum mx_type type;
    unsigned units;   /* enum mx_unit bits */
    const char *help; /* short Dutch explanation (msgid, N_()) for the editor's field list */
};

/** The catalogue, MX_F__COUNT entries in enum order. */
const struct mx_field_info *mx_fields(void);
/** Looks a field up by its expression name; NULL if unknown. */
const struct mx_field_info *mx_field_find(const char *name, size_t len);

enum mx_code_list { MX_LIST_NONE = 0, MX_LIST_JZ588 = 1, MX_LIST_WMO588 = 2 };

/** Packs a code of at most 7 bytes ("03", "jw", "0344"); "" packs to MX_NULL; longer codes
 * pack their first 7 bytes (callers validate length). */
int64_t mx_code_pack(const char *s, size_t len);
/** Packs a code of a law-specific list: list in the top byte. */
int64_t mx_code_pack_list(enum mx_code_list list, const char *s, size_t len);
/** Unpacks a code into out (8 bytes, NUL-terminated); returns the list for list codes. */
enum mx_code_list mx_code_unpack(int64_t v, char out[static 8]);

/* Values for one row, as the engine hands them to compiled expressions. answers[] holds the
 * numeric answers of a response, indexed by the answer slots the expression was compiled
 * against (MX_NULL = not answered); NULL for trajectories. */
struct mx_record {
    int64_t v[MX_F__COUNT];
    const int64_t *answers;
};

#endif
