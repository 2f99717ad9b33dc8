/*
 * stats.h: the few statistics the indicators need (docs/indicators.md): the Wilson score
 * interval for proportions and quantiles (median, quartiles) with linear interpolation
 * (type 7, as R's default and DuckDB's quantile_cont).
 */
#ifndef DUIDING_METRICS_STATS_H
#define DUIDING_METRICS_STATS_H

#include <stddef.h>
#include <stdint.h>

/** Wilson 95% interval (z = 1.959964) for k successes out of n; n == 0 gives NAN, NAN. */
void stats_wilson(int64_t k, int64_t n, double *lo, double *hi);

/** Sorts v[0..n) ascending, in place (for stats_quantile_sorted). */
void stats_sort(double *v, size_t n);
/** Quantile q (0..1) of v[0..n), type 7. Sorts v in place. NAN when n == 0. */
double stats_quantile(double *v, size_t n, double q);
/** The same of sorted v[0..n) without its element `skip` (skip >= n: without none), so that
 * many quantiles that each leave one value out need one sort. NAN when nothing is left. */
double stats_quantile_sorted(const double *v, size_t n, size_t skip, double q);

/** Median of integer values (mean of the two middle values for even n); selects in place
 * (O(n) expected). NAN when n == 0. */
double stats_median_i64(int64_t *v, size_t n);
/** The same for int32 values (the engine's value columns). */
double stats_median_i32(int32_t *v, size_t n);

#endif
