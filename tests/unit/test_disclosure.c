/*
 * test_disclosure.c: the disclosure choke point (metrics/disclosure.c): audiences and rules
 * from the config, rounding, primary suppression (count, denominator, min_n, complement), and
 * secondary suppression attacked the way a reader would: with the shown cells, the totals, the
 * reason of every hidden cell and the line equations, on the classic cases and on thousands of
 * seeded random tables with margins.
 */
#include "metrics/disclosure.h"
#include "core/common.h"
#include "core/config.h"
#include <setjmp.h>
#include <cmocka.h>

static const struct dc_rules internal = {10, 10, 1, 5};

/* ---- Audiences, rules, rounding. ---------------------------------------------------------- */

static void test_audiences(void **state)
{
    (void)state;
    for (int a = 0; a < DC__AUDIENCES; a++) {
        assert_int_equal(dc_audience_parse(dc_audience_code((enum dc_audience)a)), a);
        assert_true(strlen(dc_audience_label((enum dc_audience)a)) > 0);
    }
    assert_string_equal(dc_audience_code(DC_INTERNAL), "intern");
    assert_string_equal(dc_audience_code(DC_PROVIDER), "aanbieder");
    assert_string_equal(dc_audience_code(DC_PUBLISHED), "publiek");
    assert_int_equal(dc_audience_parse("Publiek"), -1);
    assert_int_equal(dc_audience_parse(""), -1);
    assert_int_equal(dc_audience_parse(NULL), -1);
    for (int r = DC_SHOWN + 1; r <= DC_COMPLEMENT; r++)
        assert_true(strlen(dc_reason_text((enum dc_reason)r)) > 10);
}

static void test_rules_from_config(void **state)
{
    (void)state;
    struct dc_rules r;
    dc_rules_for(NULL, DC_INTERNAL, &r);
    assert_int_equal(r.min_count, 10);
    assert_int_equal(r.min_denominator, 10);
    assert_int_equal(r.round_to, 1);
    assert_int_equal(r.min_benchmark, 5);
    dc_rules_for(NULL, DC_PUBLISHED, &r);
    assert_int_equal(r.round_to, 5);

    struct config c;
    config_defaults(&c, "/tmp/x");
    const int round[3] = {1, 5, 5};
    for (int a = 0; a < DC__AUDIENCES; a++) {
        dc_rules_for(&c, (enum dc_audience)a, &r);
        assert_int_equal(r.min_count, 10);
        assert_int_equal(r.min_denominator, 10);
        assert_int_equal(r.round_to, round[a]);
        assert_int_equal(r.min_benchmark, 5);
    }
    struct err_ctx e = {0};
    assert_int_equal(config_set(&c, "disclosure_publiek_min_count", "20", &e), 0);
    assert_int_equal(config_set(&c, "disclosure_publiek_min_denominator", "50", &e), 0);
    assert_int_equal(config_set(&c, "disclosure_aanbieder_round", "10", &e), 0);
    assert_int_equal(config_set(&c, "disclosure_intern_min_benchmark", "7", &e), 0);
    dc_rules_for(&c, DC_PUBLISHED, &r);
    assert_int_equal(r.min_count, 20);
    assert_int_equal(r.min_denominator, 50);
    dc_rules_for(&c, DC_PROVIDER, &r);
    assert_int_equal(r.round_to, 10);
    assert_int_equal(r.min_count, 10);
    dc_rules_for(&c, DC_INTERNAL, &r);
    assert_int_equal(r.min_benchmark, 7);

    /* Never below 1 (a benchmark never below 3); errors name the key. */
    static const char *const bad[][2] = {
        {"disclosure_intern_min_count", "0"},          {"disclosure_publiek_min_count", "-5"},
        {"disclosure_aanbieder_min_denominator", "0"}, {"disclosure_publiek_round", "0"},
        {"disclosure_intern_min_benchmark", "2"},      {"disclosure_publiek_min_count", "tien"},
        {"disclosure_publiek_min_count", "100000"},    {"disclosure_extern_min_count", "10"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        err_clear(&e);
        assert_int_equal(config_set(&c, bad[i][0], bad[i][1], &e), ERR_INVALID);
        if (strstr(bad[i][0], "extern") == NULL)
            assert_string_equal(e.field, bad[i][0]);
    }
    dc_rules_for(&c, DC_PUBLISHED, &r);
    assert_int_equal(r.min_count, 20); /* unchanged by the refused values */

    /* A config struct with a field left at 0 (not through config_defaults) falls back. */
    struct config z;
    memset(&z, 0, sizeof z);
    dc_rules_for(&z, DC_PROVIDER, &r);
    assert_int_equal(r.min_count, 10);
    assert_int_equal(r.round_to, 5);
    assert_int_equal(r.min_benchmark, 5);
    config_release(&c);
}

static void test_round(void **state)
{
    (void)state;
    struct dc_rules five = {10, 10, 5, 5}, one = {10, 10, 1, 5};
    const int64_t in[] = {10, 11, 12, 13, 14, 15, 17, 18, 22, 1234, 1232};
    const int64_t out[] = {10, 10, 10, 15, 15, 15, 15, 20, 20, 1235, 1230};
    for (size_t i = 0; i < ARRAY_LEN(in); i++) {
        assert_int_equal(dc_round(&five, in[i]), out[i]);
        assert_int_equal(dc_round(&one, in[i]), in[i]);
    }
    assert_int_equal(dc_round(&five, 0), 0);
    assert_int_equal(dc_round(&five, -1), -1);
    assert_int_equal(dc_round(&five, INT64_MAX) % 5, 0);
}

/* ---- Primary suppression. ----------------------------------------------------------------- */

static void test_primary(void **state)
{
    (void)state;
    struct dc_cell c[] = {
        {0, 0, -1, DC_SHOWN, false},    {1, 1, -1, DC_SHOWN, false},
        {9, 9, -1, DC_SHOWN, false},    {10, 10, -1, DC_SHOWN, false},
        {12, 12, 0, DC_SHOWN, false},   {12, 12, 1, DC_SHOWN, false},
        {12, 12, 9, DC_SHOWN, false},   {12, 12, 10, DC_SHOWN, false},
        {500, 500, 3, DC_SHOWN, false},
    };
    dc_protect(&internal, 1, false, c, ARRAY_LEN(c), NULL, 0);
    const enum dc_reason want[] = {DC_NO_DATA,    DC_SMALL_COUNT, DC_SMALL_COUNT,
                                   DC_SHOWN,      DC_SHOWN,       DC_COMPLEMENT,
                                   DC_COMPLEMENT, DC_SHOWN,       DC_COMPLEMENT};
    for (size_t i = 0; i < ARRAY_LEN(c); i++)
        assert_int_equal(c[i].reason, want[i]);

    /* min_n of the definition, and the denominator of a percentage. */
    struct dc_rules strict = {10, 25, 1, 5};
    struct dc_cell d[] = {{14, 14, -1, DC_SHOWN, false},
                          {24, 24, -1, DC_SHOWN, false},
                          {30, 30, -1, DC_SHOWN, false}};
    dc_protect(&strict, 15, true, d, 3, NULL, 0);
    assert_int_equal(d[0].reason, DC_BELOW_MIN_N);
    assert_int_equal(d[1].reason, DC_SMALL_DENOMINATOR);
    assert_int_equal(d[2].reason, DC_SHOWN);
    /* The denominator rule is for percentages only. */
    dc_protect(&strict, 15, false, d, 3, NULL, 0);
    assert_int_equal(d[1].reason, DC_SHOWN);
    /* NULL rules: the strictest defaults, never nothing. */
    struct dc_cell e1 = {3, 3, -1, DC_SHOWN, false};
    dc_protect(NULL, 1, false, &e1, 1, NULL, 0);
    assert_int_equal(e1.reason, DC_SMALL_COUNT);
}

/* ---- The reader's attack. ----------------------------------------------------------------- */

/* What a reader may conclude about a cell from its display alone (written independently of
 * disclosure.c's own model): shown and empty cells are exact; hidden cells have the range
 * their reason implies. hi = BIG: unbounded. */
#define BIG ((int64_t)1 << 40)

struct iv {
    int64_t lo, hi;
};

static struct iv reader_view(const struct dc_rules *r, int min_n, bool pct, const struct dc_cell *c)
{
    int64_t passed = r->min_count;
    if (min_n > passed)
        passed = min_n;
    if (pct && r->min_denominator > passed)
        passed = r->min_denominator;
    switch (c->reason) {
    case DC_SHOWN:
    case DC_NO_DATA:
        return (struct iv){c->units, c->units};
    case DC_SMALL_COUNT:
        return (struct iv){1, r->min_count - 1};
    case DC_BELOW_MIN_N:
        return (struct iv){r->min_count, min_n - 1};
    case DC_SMALL_DENOMINATOR:
        return (struct iv){r->min_count > min_n ? r->min_count : min_n, r->min_denominator - 1};
    default:
        return (struct iv){passed, BIG};
    }
}

static bool hidden(const struct dc_cell *c)
{
    return c->reason != DC_SHOWN && c->reason != DC_NO_DATA;
}

/* Narrows the intervals of a line's cells by its equation; true if anything changed. */
static bool tighten(const struct dc_line *l, struct iv *iv)
{
    bool changed = false;
    int64_t slo = 0, shi = 0;
    for (size_t k = 0; k < l->nmembers; k++) {
        slo += iv[l->members[k]].lo;
        shi += iv[l->members[k]].hi;
    }
    struct iv *t = &iv[l->total];
    /* total in [sum lo, sum hi] */
    if (slo > t->lo) {
        t->lo = slo;
        changed = true;
    }
    if (shi < t->hi) {
        t->hi = shi;
        changed = true;
    }
    for (size_t k = 0; k < l->nmembers; k++) {
        struct iv *m = &iv[l->members[k]];
        int64_t olo = slo - m->lo, ohi = shi - m->hi;
        int64_t lo = t->lo - ohi, hi = t->hi - olo;
        if (lo > m->lo) {
            m->lo = lo;
            changed = true;
        }
        if (hi < m->hi) {
            m->hi = hi;
            changed = true;
        }
    }
    return changed;
}

struct table {
    int R, C;
    int64_t v[9][9]; /* [R][C]: row totals in column C, column totals in row R */
    struct dc_cell cells[81];
    size_t members[20][9];
    struct dc_line lines[20];
    size_t nlines;
};

static size_t at(const struct table *t, int r, int c)
{
    return (size_t)(r * (t->C + 1) + c);
}

/* Lines of a two-way table with margins: every row, every column, the margin row and column. */
static void table_lines(struct table *t)
{
    t->nlines = 0;
    for (int r = 0; r <= t->R; r++) {
        struct dc_line *l = &t->lines[t->nlines];
        for (int c = 0; c < t->C; c++)
            t->members[t->nlines][c] = at(t, r, c);
        *l = (struct dc_line){t->members[t->nlines], (size_t)t->C, at(t, r, t->C)};
        t->nlines++;
    }
    for (int c = 0; c <= t->C; c++) {
        struct dc_line *l = &t->lines[t->nlines];
        for (int r = 0; r < t->R; r++)
            t->members[t->nlines][r] = at(t, r, c);
        *l = (struct dc_line){t->members[t->nlines], (size_t)t->R, at(t, t->R, c)};
        t->nlines++;
    }
}

static void table_fill(struct table *t, const struct dc_rules *rules, int min_n, bool pct)
{
    for (int r = 0; r < t->R; r++) {
        t->v[r][t->C] = 0;
        for (int c = 0; c < t->C; c++)
            t->v[r][t->C] += t->v[r][c];
    }
    for (int c = 0; c <= t->C; c++) {
        t->v[t->R][c] = 0;
        for (int r = 0; r < t->R; r++)
            t->v[t->R][c] += t->v[r][c];
    }
    for (int r = 0; r <= t->R; r++)
        for (int c = 0; c <= t->C; c++)
            t->cells[at(t, r, c)] =
                (struct dc_cell){t->v[r][c], pct ? t->v[r][c] : 0, -1, DC_SHOWN, false};
    table_lines(t);
    size_t n = (size_t)((t->R + 1) * (t->C + 1));
    dc_protect(rules, min_n, pct, t->cells, n, t->lines, t->nlines);
}

static int count_hidden(const struct table *t, const struct dc_line *l)
{
    int h = hidden(&t->cells[l->total]);
    for (size_t k = 0; k < l->nmembers; k++)
        h += hidden(&t->cells[l->members[k]]);
    return h;
}

static bool line_has_shown(const struct table *t, const struct dc_line *l)
{
    if (t->cells[l->total].reason == DC_SHOWN)
        return true;
    for (size_t k = 0; k < l->nmembers; k++)
        if (t->cells[l->members[k]].reason == DC_SHOWN)
            return true;
    return false;
}

struct attack_stats {
    long tables, hidden, secondary, single_line_narrowed_unfixable, propagated_determined;
};

/*
 * The reader's attack on a protected table. Single line: for every line on its own, starting
 * from what the display says, no hidden cell may be determined, and no small cell's range may
 * become narrower than its reason says, unless the line has nothing left to hide.
 * Then all lines together, repeated until nothing changes (interval propagation): no hidden
 * cell may be pinned to one value, and a small cell keeps at least three possible values.
 */
static void attack(const struct table *t, const struct dc_rules *r, int min_n, bool pct,
                   struct attack_stats *st)
{
    size_t n = (size_t)((t->R + 1) * (t->C + 1));
    struct iv start[81], iv[81];
    for (size_t i = 0; i < n; i++) {
        start[i] = reader_view(r, min_n, pct, &t->cells[i]);
        /* The reader's view must contain the truth, or the test's model is wrong. */
        assert_true(start[i].lo <= t->cells[i].units && t->cells[i].units <= start[i].hi);
        st->hidden += hidden(&t->cells[i]);
        st->secondary += t->cells[i].reason == DC_SECONDARY;
    }
    for (size_t k = 0; k < t->nlines; k++) {
        const struct dc_line *l = &t->lines[k];
        int h = count_hidden(t, l);
        if (h == 1) {
            print_error("line %zu has exactly one hidden cell\n", k);
            fail();
        }
        memcpy(iv, start, n * sizeof iv[0]);
        tighten(l, iv);
        size_t all[10];
        size_t na = 0;
        all[na++] = l->total;
        for (size_t m = 0; m < l->nmembers; m++)
            all[na++] = l->members[m];
        for (size_t m = 0; m < na; m++) {
            size_t i = all[m];
            if (!hidden(&t->cells[i]))
                continue;
            if (iv[i].lo == iv[i].hi) {
                print_error("line %zu: hidden cell %zu (%" PRId64 ") determined\n", k, i,
                            t->cells[i].units);
                fail();
            }
            enum dc_reason x = t->cells[i].reason;
            bool small = x == DC_SMALL_COUNT || x == DC_BELOW_MIN_N || x == DC_SMALL_DENOMINATOR;
            if (small && (iv[i].lo != start[i].lo || iv[i].hi != start[i].hi)) {
                if (line_has_shown(t, l)) {
                    print_error("line %zu: small cell %zu narrowed to %" PRId64 "..%" PRId64
                                " though cells were left to hide\n",
                                k, i, iv[i].lo, iv[i].hi);
                    fail();
                }
                st->single_line_narrowed_unfixable++;
            }
        }
    }
    memcpy(iv, start, n * sizeof iv[0]);
    for (int round = 0; round < 1000; round++) {
        bool changed = false;
        for (size_t k = 0; k < t->nlines; k++)
            changed |= tighten(&t->lines[k], iv);
        if (!changed)
            break;
    }
    for (size_t i = 0; i < n; i++) {
        assert_true(iv[i].lo <= t->cells[i].units && t->cells[i].units <= iv[i].hi);
        if (hidden(&t->cells[i]) && iv[i].lo == iv[i].hi)
            st->propagated_determined++;
        enum dc_reason x = t->cells[i].reason;
        bool small = x == DC_SMALL_COUNT || x == DC_BELOW_MIN_N || x == DC_SMALL_DENOMINATOR;
        if (small && iv[i].hi - iv[i].lo < 2)
            st->propagated_determined++; /* fewer than 3 possible values */
    }
    st->tables++;
}

/* ---- Classic cases. ----------------------------------------------------------------------- */

static void one_row(const int64_t *v, size_t n, struct dc_cell *cells, size_t *members,
                    struct dc_line *l)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        cells[i] = (struct dc_cell){v[i], v[i], -1, DC_SHOWN, false};
        members[i] = i;
        total += v[i];
    }
    cells[n] = (struct dc_cell){total, total, -1, DC_SHOWN, false};
    *l = (struct dc_line){members, n, n};
}

static void test_one_small_cell_in_a_row(void **state)
{
    (void)state;
    /* 3 is small; hiding 20 with it leaves its range 1..9 intact (20 - 10 >= 9 - 3). */
    const int64_t v[] = {40, 3, 20, 30};
    struct dc_cell c[5];
    size_t m[4];
    struct dc_line l;
    one_row(v, 4, c, m, &l);
    dc_protect(&internal, 1, false, c, 5, &l, 1);
    assert_int_equal(c[0].reason, DC_SHOWN);
    assert_int_equal(c[1].reason, DC_SMALL_COUNT);
    assert_int_equal(c[2].reason, DC_SECONDARY);
    assert_int_equal(c[3].reason, DC_SHOWN);
    assert_int_equal(c[4].reason, DC_SHOWN);

    /* Hiding the smallest member 10 would not do: the reader knows it is at least 10, so
     * 1 + 10 = 11 pins the small cell to 1. The smallest member that protects it is 30. */
    const int64_t w[] = {40, 1, 10, 30};
    one_row(w, 4, c, m, &l);
    dc_protect(&internal, 1, false, c, 5, &l, 1);
    assert_int_equal(c[1].reason, DC_SMALL_COUNT);
    assert_int_equal(c[2].reason, DC_SHOWN);
    assert_int_equal(c[3].reason, DC_SECONDARY);
    assert_int_equal(c[0].reason, DC_SHOWN);

    /* Ties: the first of equal members. */
    const int64_t ties[] = {25, 25, 2, 25};
    one_row(ties, 4, c, m, &l);
    dc_protect(&internal, 1, false, c, 5, &l, 1);
    assert_int_equal(c[0].reason, DC_SECONDARY);
    assert_int_equal(c[1].reason, DC_SHOWN);
    assert_int_equal(c[3].reason, DC_SHOWN);

    /* No member can cover the small one alone (12 leaves room 2, the 5 needs 4): the total
     * goes, and 12 stays. */
    const int64_t pair[] = {12, 5};
    one_row(pair, 2, c, m, &l);
    dc_protect(&internal, 10, true, c, 3, &l, 1);
    assert_int_equal(c[0].reason, DC_SHOWN);
    assert_int_equal(c[1].reason, DC_SMALL_COUNT);
    assert_int_equal(c[2].reason, DC_SECONDARY);

    /* Only small members: the total goes (else 9 + 9 = 18 gives both away). */
    const int64_t smalls[] = {9, 9};
    one_row(smalls, 2, c, m, &l);
    dc_protect(&internal, 1, false, c, 3, &l, 1);
    assert_int_equal(c[0].reason, DC_SMALL_COUNT);
    assert_int_equal(c[1].reason, DC_SMALL_COUNT);
    assert_int_equal(c[2].reason, DC_SECONDARY);

    /* A hidden total with all members shown: one member goes too. */
    const int64_t big[] = {30, 12, 50};
    one_row(big, 3, c, m, &l);
    c[3].complement = 4; /* e.g. the filter left out 4 rows of the total */
    dc_protect(&internal, 1, false, c, 4, &l, 1);
    assert_int_equal(c[3].reason, DC_COMPLEMENT);
    assert_int_equal(c[1].reason, DC_SECONDARY);
    assert_int_equal(c[0].reason, DC_SHOWN);
    assert_int_equal(c[2].reason, DC_SHOWN);

    /* Nothing small: nothing hidden. */
    const int64_t fine[] = {10, 11, 300};
    one_row(fine, 3, c, m, &l);
    dc_protect(&internal, 1, false, c, 4, &l, 1);
    for (int i = 0; i < 4; i++)
        assert_int_equal(c[i].reason, DC_SHOWN);

    /* Empty cells are no secret and no protection. */
    const int64_t zeros[] = {0, 4, 0, 50};
    one_row(zeros, 4, c, m, &l);
    dc_protect(&internal, 1, false, c, 5, &l, 1);
    assert_int_equal(c[0].reason, DC_NO_DATA);
    assert_int_equal(c[2].reason, DC_NO_DATA);
    assert_int_equal(c[1].reason, DC_SMALL_COUNT);
    assert_int_equal(c[3].reason, DC_SECONDARY);
    assert_int_equal(c[4].reason, DC_SHOWN);
}

static void test_two_small_cells_alone_in_their_columns(void **state)
{
    (void)state;
    struct table t = {.R = 3, .C = 3};
    const int64_t v[3][3] = {{4, 6, 30}, {20, 25, 35}, {40, 45, 50}};
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            t.v[r][c] = v[r][c];
    table_fill(&t, &internal, 1, false);
    struct attack_stats st = {0};
    attack(&t, &internal, 1, false, &st);
    /* Row 0 holds two small cells, but the columns each need a partner. */
    assert_int_equal(t.cells[at(&t, 0, 0)].reason, DC_SMALL_COUNT);
    assert_int_equal(t.cells[at(&t, 0, 1)].reason, DC_SMALL_COUNT);
    for (int c = 0; c < 2; c++) {
        int h = 0;
        for (int r = 1; r < 3; r++)
            h += hidden(&t.cells[at(&t, r, c)]);
        assert_true(h >= 1);
    }
    assert_int_equal(st.propagated_determined, 0);
}

static void test_small_margins(void **state)
{
    (void)state;
    /* Column 2 adds up to 7: its total and every member are small. Row 1 is small too. */
    struct table t = {.R = 3, .C = 3};
    const int64_t v[3][3] = {{30, 40, 3}, {2, 3, 0}, {25, 35, 4}};
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            t.v[r][c] = v[r][c];
    table_fill(&t, &internal, 1, false);
    assert_int_equal(t.cells[at(&t, 3, 2)].reason, DC_SMALL_COUNT); /* column total 7 */
    assert_int_equal(t.cells[at(&t, 1, 3)].reason, DC_SMALL_COUNT); /* row total 5 */
    assert_int_equal(t.cells[at(&t, 1, 2)].reason, DC_NO_DATA);
    struct attack_stats st = {0};
    attack(&t, &internal, 1, false, &st);
    assert_int_equal(st.propagated_determined, 0);
    assert_true(st.secondary >= 2);
    assert_int_equal(t.cells[at(&t, 3, 3)].reason, DC_SHOWN); /* the grand total stays */
}

static void test_pinned_through_two_lines(void **state)
{
    (void)state;
    /* Line by line this table is safe once 42, 71 and 100 are hidden, but together: the
     * margin row gives 1 + x = 101, so x (the column total, >= 10) lies in 92..100; column 2
     * gives 99 + y = x with y >= 1, so x = 100 and y = 1; then row 1 gives 71. Another
     * partner in column 2 (or row 1) stops that. */
    struct table t = {.R = 2, .C = 3};
    const int64_t v[2][3] = {{1, 42, 99}, {0, 71, 1}};
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 3; c++)
            t.v[r][c] = v[r][c];
    table_fill(&t, &internal, 1, false);
    struct attack_stats st = {0};
    attack(&t, &internal, 1, false, &st);
    assert_int_equal(st.propagated_determined, 0);
    assert_int_equal(t.cells[at(&t, 1, 2)].reason, DC_SMALL_COUNT);
    assert_int_equal(t.cells[at(&t, 0, 0)].reason, DC_SMALL_COUNT);
    assert_int_equal(t.cells[at(&t, 0, 2)].reason, DC_SECONDARY);
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
    /* xorshift64*: seeded, so a failure can be replayed */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static void test_random_tables(void **state)
{
    (void)state;
    struct attack_stats st = {0};
    for (uint64_t seed = 1; seed <= 4000; seed++) {
        rng_state = seed * 0x9E3779B97F4A7C15ULL;
        struct table t = {.R = 1 + (int)(rnd() % 6), .C = 2 + (int)(rnd() % 6)};
        int mode = (int)(rnd() % 4);
        for (int r = 0; r < t.R; r++)
            for (int c = 0; c < t.C; c++) {
                uint64_t k = rnd() % 10;
                if (k < 2)
                    t.v[r][c] = 0;
                else if (k < 5 + (mode == 1))
                    t.v[r][c] = 1 + (int64_t)(rnd() % 9);
                else
                    t.v[r][c] = 10 + (int64_t)(rnd() % (mode == 2 ? 15 : 90));
            }
        static const int min_ns[] = {1, 10, 15};
        int min_n = min_ns[rnd() % 3];
        bool pct = rnd() % 2;
        struct dc_rules rules = internal;
        if (pct && rnd() % 2)
            rules.min_denominator = 20;
        table_fill(&t, &rules, min_n, pct);
        attack(&t, &rules, min_n, pct, &st);
        if (st.propagated_determined) {
            print_error("seed %" PRIu64 ": a hidden cell is pinned by the lines together\n", seed);
            fail();
        }
    }
    print_message("random tables: %ld, hidden %ld (secondary %ld), lines with nothing left "
                  "to hide %ld\n",
                  st.tables, st.hidden, st.secondary, st.single_line_narrowed_unfixable);
    assert_true(st.secondary > 1000); /* the test exercised secondary suppression */
}

/* ---- Fixed cells: decided before, never changed. ----------------------------------------- */

static void test_fixed_cells(void **state)
{
    (void)state;
    /* A fixed shown total of 30 over 3 (small), 12 and 15: the partners come from the free
     * members, the total stays shown. */
    struct dc_cell c[4] = {{3, 3, -1, DC_SHOWN, false},
                           {12, 12, -1, DC_SHOWN, false},
                           {15, 15, -1, DC_SHOWN, false},
                           {30, 30, -1, DC_SHOWN, true}};
    size_t m[3] = {0, 1, 2};
    struct dc_line l = {m, 3, 3};
    assert_int_equal(dc_protect_count(&internal, 1, false, c, 4, &l, 1), 0);
    assert_int_equal(c[3].reason, DC_SHOWN);
    assert_int_equal(c[0].reason, DC_SMALL_COUNT);
    assert_true(c[1].reason == DC_SECONDARY || c[2].reason == DC_SECONDARY);
    assert_true(dc_line_sound(&internal, 1, false, c, 4, &l));

    /* A fixed hidden total: one member goes with it, the smallest. */
    struct dc_cell d[3] = {{20, 20, -1, DC_SHOWN, false},
                           {30, 30, -1, DC_SHOWN, false},
                           {50, 50, -1, DC_SECONDARY, true}};
    size_t dm[2] = {0, 1};
    struct dc_line dl = {dm, 2, 2};
    assert_int_equal(dc_protect_count(&internal, 1, false, d, 3, &dl, 1), 0);
    assert_int_equal(d[0].reason, DC_SECONDARY);
    assert_int_equal(d[1].reason, DC_SHOWN);
    assert_int_equal(d[2].reason, DC_SECONDARY);

    /* A fixed cell keeps the reason it was given, whatever the primary rules would say. */
    struct dc_cell f[3] = {{3, 3, -1, DC_SHOWN, true},
                           {40, 40, -1, DC_SHOWN, false},
                           {43, 43, -1, DC_SECONDARY, true}};
    size_t fm[2] = {0, 1};
    struct dc_line fl = {fm, 2, 2};
    dc_protect(&internal, 1, false, f, 3, &fl, 1);
    assert_int_equal(f[0].reason, DC_SHOWN);
    assert_int_equal(f[2].reason, DC_SECONDARY);
    assert_int_equal(f[1].reason, DC_SECONDARY); /* the hidden total needs a partner */

    /* The only member of a line with a fixed total is the same figure: its decision. */
    struct dc_cell g[4] = {{5, 5, -1, DC_SMALL_COUNT, true}, /* total */
                           {5, 5, -1, DC_SHOWN, false},
                           {40, 40, -1, DC_SECONDARY, true}, /* total */
                           {40, 40, -1, DC_SHOWN, false}};
    size_t g1[1] = {1}, g2[1] = {3};
    struct dc_line gl[2] = {{g1, 1, 0}, {g2, 1, 2}};
    assert_int_equal(dc_protect_count(&internal, 1, false, g, 4, gl, 2), 0);
    assert_int_equal(g[1].reason, DC_SMALL_COUNT);
    assert_int_equal(g[3].reason, DC_SECONDARY);

    /* ... and when that figure is shown, a line through it that needs a partner may have none
     * left: reported, never papered over by changing a fixed cell. Cells: the fixed total 40
     * of line A = {x}; line B: fixed shown total 45 = x (40) + y (5, small). */
    struct dc_cell h[4] = {{40, 40, -1, DC_SHOWN, true},
                           {40, 40, -1, DC_SHOWN, false},
                           {5, 5, -1, DC_SHOWN, false},
                           {45, 45, -1, DC_SHOWN, true}};
    size_t ha[1] = {1}, hb[2] = {1, 2};
    struct dc_line hl[2] = {{ha, 1, 0}, {hb, 2, 3}};
    assert_int_equal(dc_protect_count(&internal, 1, false, h, 4, hl, 2), 1);
    assert_int_equal(h[0].reason, DC_SHOWN);
    assert_int_equal(h[3].reason, DC_SHOWN);
    assert_int_equal(h[1].reason, DC_SHOWN);
    assert_int_equal(h[2].reason, DC_SMALL_COUNT);
    assert_false(dc_line_sound(&internal, 1, false, h, 4, &hl[1]));

    /* An empty cell hidden on purpose (fixed, 0 units) counts as hidden: with it, the line's
     * other hidden cell is not alone. */
    struct dc_cell z[4] = {{0, 0, -1, DC_SECONDARY, true},
                           {4, 4, -1, DC_SHOWN, false},
                           {30, 30, -1, DC_SHOWN, false},
                           {34, 34, -1, DC_SHOWN, true}};
    size_t zm[3] = {0, 1, 2};
    struct dc_line zl = {zm, 3, 3};
    dc_protect(&internal, 1, false, z, 4, &zl, 1);
    assert_int_equal(z[1].reason, DC_SMALL_COUNT);
    assert_int_equal(z[2].reason, DC_SECONDARY); /* 4 + 0 would still be a small group */
    assert_true(dc_line_sound(&internal, 1, false, z, 4, &zl));
}

/* Top-down as protect.c does it: the grand total, then the margins with it fixed, then the
 * inner cells with the margins fixed. Whenever dc_protect_count reports 0, every line is sound:
 * never exactly one hidden cell, and a shown total's hidden members never a small group;
 * otherwise it reports exactly the unsound lines. */
static void test_hidden_sum_never_small(void **state)
{
    (void)state;
    long tables = 0, infeasible = 0, secondary = 0;
    for (uint64_t seed = 1; seed <= 3000; seed++) {
        rng_state = seed * 0x2545F4914F6CDD1DULL;
        struct table t = {.R = 2 + (int)(rnd() % 5), .C = 2 + (int)(rnd() % 6)};
        for (int r = 0; r < t.R; r++)
            for (int c = 0; c < t.C; c++) {
                uint64_t k = rnd() % 10;
                t.v[r][c] = k < 2   ? 0
                            : k < 6 ? 1 + (int64_t)(rnd() % 9)
                                    : 10 + (int64_t)(rnd() % 40);
            }
        for (int r = 0; r < t.R; r++) {
            t.v[r][t.C] = 0;
            for (int c = 0; c < t.C; c++)
                t.v[r][t.C] += t.v[r][c];
        }
        for (int c = 0; c <= t.C; c++) {
            t.v[t.R][c] = 0;
            for (int r = 0; r < t.R; r++)
                t.v[t.R][c] += t.v[r][c];
        }
        for (int r = 0; r <= t.R; r++)
            for (int c = 0; c <= t.C; c++)
                t.cells[at(&t, r, c)] = (struct dc_cell){t.v[r][c], 0, -1, DC_SHOWN, false};
        table_lines(&t);
        size_t n = (size_t)((t.R + 1) * (t.C + 1));
        size_t grand = at(&t, t.R, t.C);
        /* 1. the grand total alone */
        dc_protect(&internal, 1, false, &t.cells[grand], 1, NULL, 0);
        t.cells[grand].fixed = true;
        /* 2. the margins: the margin row and the margin column, with the grand total fixed */
        struct dc_line margins[2] = {t.lines[t.R], t.lines[t.R + 1 + t.C]};
        for (int c = 0; c < t.C; c++)
            t.cells[at(&t, t.R, c)].fixed = false;
        size_t bad = dc_protect_count(&internal, 1, false, t.cells, n, margins, 2);
        for (size_t i = 0; i < n; i++) /* decided: fixed from here on */
            if (i == grand || (i % (size_t)(t.C + 1)) == (size_t)t.C ||
                i / (size_t)(t.C + 1) == (size_t)t.R)
                t.cells[i].fixed = true;
        /* 3. the inner cells, every row and column line with its fixed total */
        struct dc_line inner[20];
        size_t ni = 0;
        for (size_t k = 0; k < t.nlines; k++)
            if (k != (size_t)t.R && k != (size_t)(t.R + 1 + t.C))
                inner[ni++] = t.lines[k];
        bad += dc_protect_count(&internal, 1, false, t.cells, n, inner, ni);
        size_t unsound = 0;
        for (size_t k = 0; k < t.nlines; k++)
            unsound += !dc_line_sound(&internal, 1, false, t.cells, n, &t.lines[k]);
        for (size_t k = 0; k < t.nlines; k++) {
            const struct dc_line *l = &t.lines[k];
            int h = hidden(&t.cells[l->total]);
            int64_t sum = 0;
            for (size_t m = 0; m < l->nmembers; m++)
                if (hidden(&t.cells[l->members[m]])) {
                    h++;
                    sum += t.cells[l->members[m]].units;
                }
            bool small_group = !hidden(&t.cells[l->total]) && sum > 0 && sum < 10;
            if ((h == 1 || small_group) && bad == 0) {
                print_error("seed %" PRIu64 ": line %zu has %d hidden, hidden sum %" PRId64
                            " under a shown total, and nothing was reported\n",
                            seed, k, h, sum);
                fail();
            }
        }
        assert_int_equal(unsound, bad);
        for (size_t i = 0; i < n; i++)
            secondary += t.cells[i].reason == DC_SECONDARY;
        tables++;
        infeasible += bad > 0;
    }
    print_message("top-down tables: %ld, secondary cells %ld, with a line no free cell could "
                  "fix %ld\n",
                  tables, secondary, infeasible);
    assert_true(secondary > 1000);
    /* A minority: a figure that is its line's only member, or small figures under a shown
     * total (protect.c then hides an empty cell beside them). */
    assert_true(infeasible * 10 < tables);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audiences),
        cmocka_unit_test(test_rules_from_config),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_primary),
        cmocka_unit_test(test_one_small_cell_in_a_row),
        cmocka_unit_test(test_two_small_cells_alone_in_their_columns),
        cmocka_unit_test(test_small_margins),
        cmocka_unit_test(test_pinned_through_two_lines),
        cmocka_unit_test(test_random_tables),
        cmocka_unit_test(test_fixed_cells),
        cmocka_unit_test(test_hidden_sum_never_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
