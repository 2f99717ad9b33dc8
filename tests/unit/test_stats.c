/*
 * test_stats.c: the statistics of the indicators (metrics/stats.c): the Wilson 95% interval
 * against published values and its edge cases, type-7 quantiles as R and DuckDB compute them,
 * and medians of integers (odd, even, many equal values, adversarial orders, large sets
 * checked against sorting).
 */
#include "metrics/stats.h"
#include "core/common.h"
#include "core/rng.h"
#include <math.h>
#include <setjmp.h>
#include <cmocka.h>

#define EPS 5e-5

static void test_wilson(void **state)
{
    (void)state;
    double lo, hi;
    /* 5 of 10: [0.2366, 0.7634] (Newcombe 1998, Table I) */
    stats_wilson(5, 10, &lo, &hi);
    assert_true(fabs(lo - 0.2366) < EPS && fabs(hi - 0.7634) < EPS);
    /* 0 of 10: lower bound 0, upper z^2 / (n + z^2) */
    stats_wilson(0, 10, &lo, &hi);
    double z2 = 1.959964 * 1.959964;
    assert_true(lo == 0.0 && fabs(hi - z2 / (10 + z2)) < 1e-9);
    /* 10 of 10: mirror image */
    stats_wilson(10, 10, &lo, &hi);
    assert_true(hi == 1.0 && fabs(lo - 10 / (10 + z2)) < 1e-9);
    /* 81 of 263: [0.2553, 0.3662] (Wilson score, as e.g. statsmodels proportion_confint) */
    stats_wilson(81, 263, &lo, &hi);
    assert_true(fabs(lo - 0.2553) < 1e-3 && fabs(hi - 0.3662) < 1e-3);
    /* the interval contains the estimate and narrows with n */
    double lo2, hi2;
    stats_wilson(500, 1000, &lo2, &hi2);
    assert_true(lo2 < 0.5 && hi2 > 0.5 && hi2 - lo2 < hi - lo);
    /* no data, nonsense */
    stats_wilson(0, 0, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    stats_wilson(3, 2, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    stats_wilson(-1, 2, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

static void test_quantile(void **state)
{
    (void)state;
    /* R: quantile(c(1, 2, 3, 4, 10), c(.25, .5, .75)) = 2, 3, 4 */
    double v[] = {10, 4, 1, 3, 2};
    assert_true(fabs(stats_quantile(v, 5, 0.25) - 2) < 1e-12);
    assert_true(fabs(stats_quantile(v, 5, 0.5) - 3) < 1e-12);
    assert_true(fabs(stats_quantile(v, 5, 0.75) - 4) < 1e-12);
    /* R: quantile(c(1, 2, 3, 4), .25) = 1.75; quantile(..., 1) = 4 */
    double w[] = {4, 3, 2, 1};
    assert_true(fabs(stats_quantile(w, 4, 0.25) - 1.75) < 1e-12);
    assert_true(fabs(stats_quantile(w, 4, 1.0) - 4) < 1e-12);
    assert_true(fabs(stats_quantile(w, 4, 0.0) - 1) < 1e-12);
    double one[] = {7};
    assert_true(stats_quantile(one, 1, 0.5) == 7);
    assert_true(isnan(stats_quantile(one, 0, 0.5)));
    assert_true(isnan(stats_quantile(one, 1, 1.5)));
    assert_true(isnan(stats_quantile(one, 1, NAN)));
}

/* Leaving one element out of a sorted array gives the quantile of what is left, exactly as
 * sorting that rest would (the benchmark leaves each entity out of its own comparison). */
static void test_quantile_sorted_without(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 7);
    double qs[] = {0.0, 0.25, 0.5, 0.75, 1.0};
    for (size_t n = 1; n <= 40; n++) {
        double v[40], rest[40];
        for (size_t i = 0; i < n; i++)
            v[i] = (double)(rng_next(&r) % 7) + 0.5 * (double)(rng_next(&r) % 2); /* ties */
        double sorted[40];
        memcpy(sorted, v, n * sizeof *v);
        (void)stats_quantile(sorted, n, 0.5); /* sorts */
        for (size_t skip = 0; skip <= n; skip++) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (i != skip)
                    rest[m++] = sorted[i];
            for (size_t k = 0; k < ARRAY_LEN(qs); k++) {
                double want = stats_quantile(rest, m, qs[k]);
                double got = stats_quantile_sorted(sorted, n, skip, qs[k]);
                if (m == 0 ? !isnan(got) : got != want)
                    fail_msg("n=%zu skip=%zu q=%g: %g, want %g", n, skip, qs[k], got, want);
            }
        }
    }
    double one[] = {3};
    assert_true(isnan(stats_quantile_sorted(one, 1, 0, 0.5))); /* nothing left */
    assert_true(stats_quantile_sorted(one, 1, 5, 0.5) == 3);   /* skip past the end: none */
    assert_true(isnan(stats_quantile_sorted(one, 1, 1, -0.1)));
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double sorted_median(const int64_t *v, size_t n)
{
    int64_t *c = malloc(n * sizeof *c);
    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp64);
    double m = n % 2 ? (double)c[n / 2] : ((double)c[n / 2 - 1] + (double)c[n / 2]) / 2.0;
    free(c);
    return m;
}

static void test_median(void **state)
{
    (void)state;
    int64_t a[] = {5, 1, 3};
    assert_true(stats_median_i64(a, 3) == 3);
    int64_t b[] = {41, 151, 9, 30, 183, 168};
    assert_true(stats_median_i64(b, 6) == 96); /* (41 + 151) / 2 */
    int64_t c[] = {2, 3};
    assert_true(stats_median_i64(c, 2) == 2.5);
    int64_t d[] = {-7};
    assert_true(stats_median_i64(d, 1) == -7);
    assert_true(isnan(stats_median_i64(d, 0)));
    int32_t e[] = {4, 4, 4, 4, 1, 9};
    assert_true(stats_median_i32(e, 6) == 4);
    int32_t f[] = {INT32_MAX, INT32_MAX - 1};
    assert_true(stats_median_i32(f, 2) == (double)INT32_MAX - 0.5);
    assert_true(isnan(stats_median_i32(f, 0)));

    /* random, sorted, reversed, all equal, few distinct: against sorting */
    struct rng r;
    rng_seed(&r, 42);
    size_t sizes[] = {1, 2, 3, 10, 11, 1000, 1001, 100000};
    for (size_t s = 0; s < ARRAY_LEN(sizes); s++) {
        size_t n = sizes[s];
        int64_t *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
        int32_t *v32 = malloc(n * sizeof *v32);
        for (int pattern = 0; pattern < 5; pattern++) {
            for (size_t i = 0; i < n; i++) {
                int64_t x = pattern == 0   ? (int64_t)(rng_next(&r) % 2001) - 1000
                            : pattern == 1 ? (int64_t)i
                            : pattern == 2 ? (int64_t)(n - i)
                            : pattern == 3 ? 42
                                           : (int64_t)(rng_next(&r) % 3);
                v[i] = w[i] = x;
                v32[i] = (int32_t)x;
            }
            double want = sorted_median(w, n);
            double got = stats_median_i64(v, n);
            if (got != want)
                fail_msg("n=%zu pattern=%d: median %g, want %g", n, pattern, got, want);
            assert_true(stats_median_i32(v32, n) == want);
        }
        free(v);
        free(w);
        free(v32);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_quantile),
        cmocka_unit_test(test_quantile_sorted_without),
        cmocka_unit_test(test_median),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
