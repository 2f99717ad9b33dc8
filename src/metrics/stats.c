/*
 * stats.c: the Wilson score interval and quantiles for the indicators (stats.h). Medians select
 * in place (quickselect with a median-of-three pivot), so a cell of a million values costs a
 * few passes and no allocation.
 */
#include "metrics/stats.h"
#include "core/common.h"
#include <math.h>

#define WILSON_Z 1.959964

void stats_wilson(int64_t k, int64_t n, double *lo, double *hi)
{
    if (n <= 0 || k < 0 || k > n) {
        *lo = NAN;
        *hi = NAN;
        return;
    }
    double z = WILSON_Z, z2 = z * z, nn = (double)n, p = (double)k / nn;
    double denom = 1.0 + z2 / nn;
    double centre = (p + z2 / (2.0 * nn)) / denom;
    double half = z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
    *lo = centre - half;
    *hi = centre + half;
    /* rounding must not push the bounds outside [0, 1] (k = 0 gives exactly 0 in theory) */
    if (*lo < 0.0 || k == 0)
        *lo = 0.0;
    if (*hi > 1.0 || k == n)
        *hi = 1.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_double);
}

double stats_quantile(double *v, size_t n, double q)
{
    if (n == 0 || !(q >= 0.0 && q <= 1.0))
        return NAN;
    stats_sort(v, n);
    return stats_quantile_sorted(v, n, n, q);
}

double stats_quantile_sorted(const double *v, size_t n, size_t skip, double q)
{
    size_t m = skip < n ? n - 1 : n;
    if (m == 0 || !(q >= 0.0 && q <= 1.0))
        return NAN;
    double h = (double)(m - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < m ? lo + 1 : lo;
    /* the i-th of what is left is v[i] before the skipped element, v[i + 1] from it on */
    double a = v[lo < skip ? lo : lo + 1], b = v[hi < skip ? hi : hi + 1];
    return a + (h - (double)lo) * (b - a);
}

/* k-th smallest (0-based) of v[0..n): quickselect; afterwards v[0..k) <= v[k] <= v[k+1..n). */
#define SELECT_FN(name, T)                                                                         \
    static T name(T *v, size_t n, size_t k)                                                        \
    {                                                                                              \
        size_t lo = 0, hi = n - 1;                                                                 \
        while (hi > lo) {                                                                          \
            size_t mid = lo + (hi - lo) / 2;                                                       \
            /* median of three as pivot, moved to hi */                                            \
            T a = v[lo], b = v[mid], c = v[hi];                                                    \
            size_t pi = (a < b) ? ((b < c) ? mid : (a < c ? hi : lo))                              \
                                : ((a < c) ? lo : (b < c ? hi : mid));                             \
            T pivot = v[pi];                                                                       \
            v[pi] = v[hi];                                                                         \
            v[hi] = pivot;                                                                         \
            /* three-way partition: < pivot | == pivot | > pivot (many equal values) */            \
            size_t lt = lo, i = lo, gt = hi;                                                       \
            while (i <= gt) {                                                                      \
                if (v[i] < pivot) {                                                                \
                    T t = v[lt];                                                                   \
                    v[lt++] = v[i];                                                                \
                    v[i++] = t;                                                                    \
                } else if (v[i] > pivot) {                                                         \
                    T t = v[gt];                                                                   \
                    v[gt] = v[i];                                                                  \
                    v[i] = t;                                                                      \
                    if (gt == 0)                                                                   \
                        break;                                                                     \
                    gt--;                                                                          \
                } else {                                                                           \
                    i++;                                                                           \
                }                                                                                  \
            }                                                                                      \
            if (k < lt)                                                                            \
                hi = lt - 1;                                                                       \
            else if (k > gt)                                                                       \
                lo = gt + 1;                                                                       \
            else                                                                                   \
                return pivot;                                                                      \
        }                                                                                          \
        return v[k];                                                                               \
    }

SELECT_FN(select_i64, int64_t)
SELECT_FN(select_i32, int32_t)

double stats_median_i64(int64_t *v, size_t n)
{
    if (n == 0)
        return NAN;
    size_t k = n / 2;
    int64_t hi = select_i64(v, n, k);
    if (n % 2)
        return (double)hi;
    /* even: the lower middle is the largest of v[0..k) (after the selection all <= v[k]) */
    int64_t lo = v[0];
    for (size_t i = 1; i < k; i++)
        if (v[i] > lo)
            lo = v[i];
    return ((double)lo + (double)hi) / 2.0;
}

double stats_median_i32(int32_t *v, size_t n)
{
    if (n == 0)
        return NAN;
    size_t k = n / 2;
    int32_t hi = select_i32(v, n, k);
    if (n % 2)
        return (double)hi;
    int32_t lo = v[0];
    for (size_t i = 1; i < k; i++)
        if (v[i] > lo)
            lo = v[i];
    return ((double)lo + (double)hi) / 2.0;
}
