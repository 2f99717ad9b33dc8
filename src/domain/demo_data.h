/*
 * demo_data.h: the static Dutch text behind the demo region (domain/demo.c): the region and its
 * gemeenten, invented provider names and the societal-result texts. Data, not UI strings, so
 * nothing here goes through gettext.
 */
#ifndef DUIDING_DOMAIN_DEMO_DATA_H
#define DUIDING_DOMAIN_DEMO_DATA_H

#include "domain/result.h"
#include <stddef.h>

#define DEMO_REGION_NAME    "Jeugdregio Zuid-Drenthe"
#define DEMO_REGION_SHORT   "Zuid-Drenthe" /* as used in running text */
#define DEMO_TOEZICHT_NAME  "GGD Drenthe – Toezicht Wmo en Jeugd"
#define DEMO_TOEGANG_PREFIX "Toegangsteam "
#define DEMO_GEMEENTE_COUNT 7

/* Which law a provider mainly works under; later steps pick trajectories to match. */
enum demo_law {
    DEMO_LAW_JEUGD = 1,
    DEMO_LAW_WMO,
    DEMO_LAW_BOTH,
};

/* An invented provider. Names are made up for the demo and deliberately not real companies. */
struct demo_provider {
    const char *name;
    const char *sector; /* kind of help, e.g. "ambulante jeugdhulp" */
    enum demo_law law;
};

/*
 * A societal-result text. "{g}" in title and description stands for the owner's name (the
 * gemeente, or DEMO_REGION_SHORT for region-wide texts).
 */
struct demo_result_text {
    enum result_theme theme;
    const char *title;
    const char *description;
};

/** The gemeenten of the demo region, by their CBS name (alphabetical). */
extern const char *const demo_gemeente_names[DEMO_GEMEENTE_COUNT];

/** Providers; entry 0 is "the" demo provider that the kwaliteit/professional users work for. */
extern const struct demo_provider demo_providers[];
extern const size_t demo_provider_count;

/** Pool of gemeente results; each gemeente gets 3-4 of them, picked by the PRNG. */
extern const struct demo_result_text demo_gemeente_results[];
extern const size_t demo_gemeente_result_count;

/** Pool of region-wide results; the region gets 2-3 of them. */
extern const struct demo_result_text demo_region_results[];
extern const size_t demo_region_result_count;

#endif
