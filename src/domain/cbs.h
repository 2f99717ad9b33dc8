/*
 * cbs.h: the CBS municipality list (gemeentelijke indeling 2023, shipped as embedded data
 * "data/gemeenten-2023.csv"), so a gemeente is picked by code, never typed. Data delivered
 * under a code of 2021 (before the 2022/2023 herindelingen, "data/gemeenten-2021.csv") is
 * carried to the current gemeente through "data/gemeente-herindelingen.csv".
 */
#ifndef DUIDING_DOMAIN_CBS_H
#define DUIDING_DOMAIN_CBS_H

#include <stdbool.h>
#include <stddef.h>

struct cbs_gemeente {
    char code[7];      /* "GM0114" */
    char name[64];     /* "Emmen" */
    char province[32]; /* "Drenthe" */
};

/** Parses the embedded list once (thread-safe). 0 or an error if the data is corrupt. */
int cbs_load(void);
/** All gemeenten sorted by name (borrowed, static lifetime); *n receives the count. */
const struct cbs_gemeente *cbs_gemeenten(size_t *n);
/** Lookup by "GM0114" or "0114". NULL if unknown. */
const struct cbs_gemeente *cbs_find(const char *code);

/**
 * The current (2023) gemeente for a code of 2021 or 2023, following the herindelingen:
 * "GM0370", "0370" and "370" (Beemster) all give GM0439 Purmerend. NULL if the code is unknown.
 */
const struct cbs_gemeente *cbs_current(const char *code);
/** True if the code (any form cbs_current accepts) belongs to a gemeente merged away. */
bool cbs_was_merged(const char *code);
/**
 * Lookup by name in the list of `year` (2021 or 2023), ignoring case, spaces, hyphens and
 * apostrophes ("s-gravenhage", "'s-Gravenhage"; "Den Haag" and "Den Bosch" too). Returns the
 * CURRENT (2023) gemeente, so a 2021 name of a merged gemeente gives its successor. NULL if
 * unknown or for another year.
 */
const struct cbs_gemeente *cbs_find_by_name(const char *name, int year);

#endif
