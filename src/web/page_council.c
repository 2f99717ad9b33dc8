/*
 * page_council.c: the council report (raadsrapportage) at /raadsrapportage. NOT BUILT YET: the
 * table is empty so that web/route_tables.h links; the report (report/council_report.c, its
 * pages and PDF) is listed as open work of issue 6 (docs/conversations.md "Council report").
 */
#include "core/common.h"
#include "web/router.h"

const struct route council_page_routes[] = {
    ROUTES_END,
};
