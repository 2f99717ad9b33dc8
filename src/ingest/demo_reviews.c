/*
 * demo_reviews.c: the demo's provider reviews (demo_reviews.h). SCAFFOLD: replaced by the review
 * work of issue 7.
 */
#include "ingest/demo_reviews.h"
#include "core/common.h"

int demo_reviews_generate(struct store *s, uint64_t seed, struct demo_reviews_summary *out,
                          struct err_ctx *e)
{
    (void)s, (void)seed, (void)e;
    out->line[0] = '\0';
    return 0;
}
