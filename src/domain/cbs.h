/*
 * cbs.h: the CBS municipality list (gemeentelijke indeling 2023, shipped as embedded data
 * "data/gemeenten-2023.csv"), so a gemeente is picked by code, never typed.
 */
#ifndef DUIDING_DOMAIN_CBS_H
#define DUIDING_DOMAIN_CBS_H

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

#endif
