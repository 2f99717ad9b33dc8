/*
 * trajectory.h: turning delivered facts into trajectories (DESIGN.md §5, domain.md §1.4, §2.7).
 *
 * A fact is one accepted product line of an iJw/iWmo message (assignment 301, start 305, stop
 * 307, request 315) or one record of a provider's registration export. Facts are kept per
 * import batch; trajectories are derived from the facts of the active batches, one group
 * (person x aanbieder x law) at a time, so corrections, deletions and undoing a batch are all
 * the same operation: rebuild the group.
 *
 * Rules (CBS Beleidsinformatie Jeugd, record rules):
 * - one trajectory per person x aanbieder x product category (messages) or hulpvorm
 *   (registrations); product lines of the same category whose periods overlap or touch (next
 *   start <= previous end + 1 day) are merged: start = first start, end = last end, and the
 *   end reason is the reason of the line that ended last;
 * - for starts and stops, StatusAanlevering 2 replaces the earlier delivery of the same line
 *   (same assignment number or, without one, same product and start date), 3 removes it; the
 *   latest message (Dagtekening, then batch, then order in the batch) wins;
 * - a stop with the temporary-stop reason (20) does not end the line: the trajectory stays
 *   open (flag TRAJ_TEMP_STOPPED) until a final stop follows;
 * - a start or stop whose assignment number has no assignment (301) is accepted and flagged
 *   TRAJ_NO_ASSIGNMENT; a stop without a start uses the stop's Begindatum and is flagged
 *   TRAJ_STOP_WITHOUT_START;
 * - an assignment with RedenWijziging 13 (verwijderd) counts as never sent; an assignment
 *   without any start or stop is not (yet) a trajectory;
 * - the referrer comes from the request (315) with the same ReferentieAanbieder as the
 *   assignment, else the latest request of the same category before the start;
 * - registration records are trajectories as delivered, keyed by hulpvorm + start date; a
 *   later batch with the same key and informant replaces the earlier record; records with the
 *   same key and different informants are one trajectory with one measurement per informant.
 */
#ifndef DUIDING_DOMAIN_TRAJECTORY_H
#define DUIDING_DOMAIN_TRAJECTORY_H

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum law { LAW_JW = 1, LAW_WMO = 2 };

enum fact_kind {
    FACT_ASSIGNMENT = 301,
    FACT_START = 305,
    FACT_STOP = 307,
    FACT_REQUEST = 315,
    FACT_REGISTRATION = 900,
};

#define PSEUDONYM_BYTES 32

/* One fact. Codes are NUL-terminated; absent values are "" / DAY_NONE / -1 / 0. */
struct traj_fact {
    int64_t batch_id;
    int64_t seq; /* order within the batch (ties after message date) */
    enum fact_kind kind;
    char release[8];    /* "3.2" for messages; "v7" for registrations */
    day_t message_date; /* Dagtekening; for registrations the batch date */
    char gemeente[5];   /* current CBS code (after herindeling) */
    int age;            /* age in whole years at the fact's own date (start/valid_from); -1 */
    char gender;        /* '0' unknown, '1' man, '2' vrouw; 0 if absent */
    char postcode4[5];
    /* message product line */
    int64_t assignment_nr;
    char category[3];
    char product_code[6];
    char reference[64];
    day_t date_assigned, valid_from, valid_to;
    char change_reason[3];
    day_t start, end;
    char end_reason[3];
    int status;
    char referrer[3];
    /* registration record (CBS BiJ fields) */
    char hulpvorm[3];     /* 01-04, 11-14 */
    char cbs_reason[3];   /* 01-05 as delivered */
    int satisfaction;     /* 1-10, 0 if absent */
    char zonder_hulp[3];  /* 01-04 */
    char informant[3];    /* "01" jeugdige/client, "02" ouder/verzorger */
    int goal_realisation; /* percentage 0-100, -1 if absent */
};

enum traj_flag {
    TRAJ_NO_ASSIGNMENT = 1 << 0,      /* start/stop without a known assignment */
    TRAJ_STOP_WITHOUT_START = 1 << 1, /* stop received, no start */
    TRAJ_TEMP_STOPPED = 1 << 2,       /* last stop was temporary (reason 20): still open */
    TRAJ_FROM_REGISTRATION = 1 << 3,  /* built from a registration export */
    TRAJ_TEST_PERSON = 1 << 4,        /* test BSN (999900006-999999990): not real data */
};

/* An outcome measurement delivered with a registration record: at most one per informant. */
struct traj_measurement {
    char informant[3];    /* "01" jeugdige/client, "02" ouder/verzorger, "" unknown */
    int satisfaction;     /* 1-10, 0 if absent */
    char zonder_hulp[3];  /* 01-04, "" */
    int goal_realisation; /* 0-100 (%), -1 if absent */
};

struct trajectory {
    enum law law;
    char category[3];        /* product category (messages); "" for registrations */
    char hulpvorm[3];        /* CBS hulpvorm: delivered, or mapped from the category; "" */
    char product_code[6];    /* product of the first line */
    day_t start;             /* first start */
    day_t end;               /* DAY_NONE while open */
    char end_reason[3];      /* standard code (JZ588/WMO588) of the last line; "" */
    char end_reason_list[8]; /* "JZ588", "WMO588", or "CBS" for registrations */
    char release[8];
    char cbs_reason[3];   /* 01-05 or "" (open, temporary, administrative) */
    char referrer[3];     /* COD327 */
    day_t date_requested; /* the request (315) the referrer came from; DAY_NONE */
    day_t date_assigned;  /* earliest Toewijzingsdatum of the merged lines; DAY_NONE */
    int age_at_start;     /* -1 unknown */
    char gender;
    char postcode4[5];
    char gemeente[5];
    uint32_t flags;                        /* enum traj_flag */
    int64_t batch_id;                      /* the newest batch that contributed */
    int nlines;                            /* product lines / records merged into this trajectory */
    struct traj_measurement *measurements; /* arena; from registration records */
    int nmeasurements;
};

/**
 * Builds the trajectories of one group (person x aanbieder x law) from all its facts of active
 * batches, in any order. Output is sorted by start date then category and arena-owned.
 * test_person sets TRAJ_TEST_PERSON on every result. 0, ERR_NOMEM, or ERR_INTERNAL if the code
 * lists are not loaded.
 */
int trajectory_build(enum law law, const struct traj_fact *facts, size_t n, bool test_person,
                     struct arena *a, struct trajectory **out, size_t *nout);

/** Age band for reports: Jeugdwet "0-3" "4-11" "12-17" "18-22" "23+"; Wmo "0-17" "18-64"
 * "65-74" "75-84" "85+"; "onbekend" for age < 0. Static string. */
const char *trajectory_age_band(enum law law, int age);

/** Whole years between birth and date; -1 if either is DAY_NONE or date < birth. */
int age_on(day_t birth, day_t date);

#endif
