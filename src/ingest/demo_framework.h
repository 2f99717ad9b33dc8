/*
 * demo_framework.h: the demo's regional quality framework: a kwaliteitskader of the demo region
 * (modelled on the Drents kwaliteitskader sociaal domein, own texts) with about 40 criteria in
 * 8 themes and two local criteria of demo gemeenten, read from the shipped file
 * data/kwaliteitskader-demo.csv through the real import (ingest/framework_import.h). A few
 * criteria ask the same thing from different sources, for the duplicate check to find.
 */
#ifndef DUIDING_INGEST_DEMO_FRAMEWORK_H
#define DUIDING_INGEST_DEMO_FRAMEWORK_H

#include "core/err.h"
#include "store/store.h"
#include <stdint.h>

#define DEMO_FRAMEWORK_RESOURCE "data/kwaliteitskader-demo.csv"

struct demo_framework_summary {
    int64_t framework_id;
    int criteria, themes, local, duplicates;
};

/** Creates the framework and imports the demo criteria. 0, or an error in e. */
int demo_framework_generate(struct store *s, struct demo_framework_summary *out, struct err_ctx *e);

#endif
