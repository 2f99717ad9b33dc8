/*
 * council_report.c: the council report (council_report.h). STUB being written by helper
 * "raadsrapportage".
 */
#include "report/council_report.h"
#include "core/common.h"

const char *council_intro_figures(struct arena *a, const struct dc_rules *r)
{
    (void)a, (void)r;
    return "";
}
const char *council_intro_stories(void)
{
    return "";
}
const char *council_intro_conversations(void)
{
    return "";
}
const char *council_intro_actions(void)
{
    return "";
}
const char *council_trend_text(enum council_trend t)
{
    (void)t;
    return "";
}

int council_report_build(struct arena *a, struct store *s, const struct actor *who,
                         const struct council_request *rq, struct council_report *out,
                         struct err_ctx *e)
{
    (void)a, (void)s, (void)who, (void)rq, (void)out, (void)e;
    return ERR_INTERNAL;
}

int council_report_pdf(struct arena *a, const struct council_report *r, struct buf *out,
                       int *pages, struct err_ctx *e)
{
    (void)a, (void)r, (void)out, (void)pages, (void)e;
    return ERR_INTERNAL;
}
