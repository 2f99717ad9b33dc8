/*
 * codelist.h: the code lists of the iStandaarden and CBS, versioned per standard and release,
 * shipped as data (data/codelijsten/<LIST>-<release>.csv) so that a new release is a new
 * file, not new code.
 * The same code can mean different things per list: JZ588 31 is "volgens plan", WMO588 31 is
 * "verhuizing naar een andere gemeente". Callers therefore always name the list and release.
 *
 * Files: data/codelijsten/<LIST>-<release>.csv, header `code,omschrijving,cbs` where `cbs` is
 * the CBS reason (01-05) for end-reason lists and the CBS hulpvorm for product-category lists,
 * empty where there is none. Lists: JZ588 WMO588 JZ020 WMO020 JZ002 WMO002 COD327 COD046
 * COD467 (release 3.2), CBS-REDEN CBS-HULPVORM CBS-VERWIJZER CBS-ZHV CBS-INFORMANT (release
 * "v7", the BiJ protocol).
 */
#ifndef DUIDING_DOMAIN_CODELIST_H
#define DUIDING_DOMAIN_CODELIST_H

#include "domain/trajectory.h"
#include <stdbool.h>
#include <stddef.h>

struct code_entry {
    const char *code;  /* "31" */
    const char *label; /* Dutch description as published */
    const char *cbs;   /* mapped CBS code or NULL */
};

/** Parses the embedded lists once (thread-safe). 0 or ERR_INTERNAL if shipped data is corrupt. */
int codelist_load(void);
/** All entries of a list, in file order; NULL and *n = 0 for an unknown list/release. */
const struct code_entry *codelist_entries(const char *list, const char *release, size_t *n);
/** One entry, or NULL if the code is not in that list and release. */
const struct code_entry *codelist_find(const char *list, const char *release, const char *code);

/** The end-reason list of a law: "JZ588" or "WMO588". */
const char *codelist_end_reason_list(enum law law);
/** The product-category list of a law: "JZ020" or "WMO020". */
const char *codelist_category_list(enum law law);

/**
 * The CBS reason 01-05 for a standard end reason, or NULL when it has none: a temporary stop
 * (20), administrative reasons (36, 37), and codes not in the list.
 */
const char *codelist_cbs_reason(enum law law, const char *release, const char *end_reason);
/** True for the temporary-stop code of the law's end-reason list (20 in JZ588 and WMO588). */
bool codelist_is_temporary_stop(enum law law, const char *release, const char *end_reason);

#endif
