/*
 * synth.h: a deterministic generator of realistic intake material for demos, tests and the
 * import benchmark: iJw 3.2 / iWmo 3.2 message traffic (315 request, 301 assignment, 305
 * start, 307 stop, with corrections, deletions, temporary stops, extensions and the odd start
 * for an unknown assignment) and providers' CBS-BiJ-style registration exports (CSV), plus the
 * mapping profile that reads such an export.
 *
 * Everything follows from the seed and the end date: the same options give the same bytes
 * (zip entry times are fixed to the end date). Persons are invented: BSNs pass the elfproef
 * and lie outside the test range 999900006-999999990 unless asked; names and addresses are
 * made up; postcodes use plausible PC4 ranges of the region's gemeenten.
 *
 * The model (docs in bench/README.md): persons live in the gemeenten in proportion to
 * population; each gets one or more trajectories over the period (15-20% come back within
 * 1-3 years, same or another provider), at providers that offer the law, with the provider's
 * product categories, durations by kind of help (ambulant months, verblijf longer, crisis
 * weeks, household help years), referrer mix per kind (gemeente ~45%, huisarts ~30% ...) and
 * end reasons whose rates differ per provider (volgens plan 60-75%, uitval 5-15% ...).
 */
#ifndef DUIDING_INGEST_SYNTH_H
#define DUIDING_INGEST_SYNTH_H

#include "core/err.h"
#include "core/str.h"
#include "domain/trajectory.h"
#include "ingest/profile.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYNTH_MAX_PROVIDERS   256
#define SYNTH_MAX_GEMEENTEN   64
#define SYNTH_MAX_MESSAGES    20000000ULL /* one run */
#define SYNTH_MAX_ROWS        50000000ULL /* one registration export */
#define SYNTH_DEFAULT_YEARS   5
#define SYNTH_DEFAULT_PER_ZIP 10000

/* Laws a provider works under or a run generates (bit set). */
#define SYNTH_LAW_JW  (1u << LAW_JW)
#define SYNTH_LAW_WMO (1u << LAW_WMO)

/* How a provider delivers: messages (the default) or a registration export in one of two
 * house styles. A provider with a CSV style gets no message traffic in synth_messages: it
 * works under a taakgericht contract where start/stop messages are not used (domain.md §2.7). */
enum synth_csv_style {
    SYNTH_CSV_NONE = 0,
    SYNTH_CSV_PLAIN = 1, /* UTF-8, ',', ISO dates, CBS codes, header on row 1 */
    SYNTH_CSV_EXCEL = 2, /* Windows-1252, ';', Dutch dates, title row, words instead of codes */
};

struct synth_provider {
    char agb[9]; /* 8 digits */
    const char *name;
    const char *sector; /* kind of help (demo_data's sector texts); picks the products */
    unsigned laws;      /* SYNTH_LAW_JW | SYNTH_LAW_WMO */
    enum synth_csv_style csv_style;
};

struct synth_gemeente {
    char code[5]; /* CBS code, 4 digits */
    const char *name;
    int64_t population; /* weight for where persons live */
};

struct synth_options {
    uint64_t seed;
    day_t end_date;           /* "today": no message is dated after it */
    int years;                /* length of the period ending at end_date; 0 = 5 */
    uint64_t n_messages;      /* stop at exactly this many messages (0 = use n_trajectories) */
    uint64_t n_trajectories;  /* otherwise: about this many trajectories */
    unsigned laws;            /* 0 = both */
    bool test_bsns;           /* draw BSNs from the test range instead */
    unsigned dirty_per_mille; /* messages and export rows with a realistic defect (a BSN that
                                 fails the elfproef, a code outside its list, an impossible
                                 date ...), per 1000; 0 = all clean */
    size_t per_zip;           /* messages per zip archive; 0 = plain files in out_dir */
    const struct synth_provider *providers;
    size_t nproviders;
    const struct synth_gemeente *gemeenten;
    size_t ngemeenten;
};

/* What a run produced. */
struct synth_stats {
    uint64_t persons, trajectories, open_trajectories;
    uint64_t returning_persons;    /* persons with more than one trajectory */
    uint64_t followed_persons;     /* first trajectory ended 3+ years before the end date */
    uint64_t followed_returned;    /* ... of whom came back (within 3 years, by design) */
    uint64_t messages, by_kind[4]; /* 315, 301, 305, 307 */
    uint64_t corrections, deletions, temporary_stops, unknown_assignments, withdrawn;
    uint64_t end_reasons[2][40]; /* [law-1][code] of final stops */
    uint64_t zips, files, bytes;
    uint64_t csv_files, csv_rows;
};

/**
 * Writes the message traffic of the options into out_dir (created if missing): zip archives
 * "berichten-NNNN.zip" of per_zip messages each (entries "JW301_<sender>_<ident>.xml"), or plain
 * files, in chronological order (Dagtekening). Providers with a CSV style get
 * "registratie-<agb>.csv" in out_dir instead. 0, ERR_INVALID (options), ERR_IO, ERR_NOMEM.
 */
int synth_messages(const struct synth_options *o, const char *out_dir, struct synth_stats *st,
                   struct err_ctx *e);

/**
 * Writes a registration export of one provider (index into o->providers, a Jeugdwet provider)
 * with `rows` data rows to path, in the given style (SYNTH_CSV_NONE = the provider's own, or
 * plain). Rows are one per trajectory and informant; open trajectories have no end and no
 * outcome. 0, ERR_INVALID, ERR_IO.
 */
int synth_registration_csv(const struct synth_options *o, size_t provider,
                           enum synth_csv_style style, uint64_t rows, const char *path,
                           struct synth_stats *st, struct err_ctx *e);

/**
 * The mapping profile that reads an export of that style (law Jeugdwet, columns, header row,
 * delimiter, value maps). Strings are static; name and org_id are the caller's.
 */
void synth_registration_profile(enum synth_csv_style style, int64_t org_id, const char *name,
                                struct mapping_profile *out);

/** True if a 9-digit string passes the BSN elfproef (used by tests as an independent check). */
bool synth_bsn_elfproef(const char bsn[static 9]);

/**
 * The built-in region: the demo's 7 gemeenten (CBS codes, population) and its providers with
 * the AGB codes `duiding demo --seed seed` gives them, so generated traffic is in scope of a
 * demo database. Arrays are owned by the caller's storage (size SYNTH_MAX_*). The demo's
 * Jeugdwet providers with a registration export get their CSV style.
 */
int synth_demo_region(uint64_t seed, struct synth_provider *providers, size_t *nproviders,
                      struct synth_gemeente *gemeenten, size_t *ngemeenten, struct err_ctx *e);

#endif
