/*
 * population.c: CBS population per gemeente x age band from CSV (see population.h). Header
 * names are matched case-insensitively after trimming; numbers must be whole and >= 0; age
 * bands look like "0-4" or "95+".
 */
#include "ingest/population.h"
#include "core/common.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "domain/cbs.h"

#define NO_GEMEENTE "(PC4 zonder gemeente)"

/* The field at column c of row, trimmed ("" when absent). */
static struct str field(const struct table_row *row, int c)
{
    if (c < 0 || c >= row->nfields)
        return STR_LIT("");
    return str_trim((struct str){row->fields[c], row->lens[c]});
}

static int find_col(const struct table_row *h, const char *const *names)
{
    for (int i = 0; i < h->nfields; i++) {
        struct str f = field(h, i);
        for (const char *const *n = names; *n; n++)
            if (str_eq_nocase(f, str_from(*n)))
                return i;
    }
    return -1;
}

static const char *const GEMEENTE[] = {"gemeente", "gemeentenaam", NULL};
static const char *const AGE[] = {"leeftijd", "leeftijdsklasse", "leeftijdsgroep", NULL};
static const char *const INHABITANTS[] = {"inwoners", "aantal", "bevolking", NULL};
static const char *const MEN[] = {"inwoners_man", "mannen", "man", NULL};
static const char *const WOMEN[] = {"inwoners_vrouw", "vrouwen", "vrouw", NULL};
static const char *const YEAR[] = {"jaar", "peiljaar", NULL};

bool population_header_matches(const struct table_row *header)
{
    return find_col(header, GEMEENTE) >= 0 && find_col(header, AGE) >= 0 &&
           find_col(header, INHABITANTS) >= 0;
}

int population_bind(const struct table_row *header, struct population_cols *out, struct err_ctx *e)
{
    out->gemeente = find_col(header, GEMEENTE);
    out->age = find_col(header, AGE);
    out->inhabitants = find_col(header, INHABITANTS);
    out->men = find_col(header, MEN);
    out->women = find_col(header, WOMEN);
    out->year = find_col(header, YEAR);
    const char *missing = out->gemeente < 0      ? "gemeente"
                          : out->age < 0         ? "leeftijd"
                          : out->inhabitants < 0 ? "inwoners"
                                                 : NULL;
    if (missing)
        return err_set(e, ERR_INVALID, "file",
                       _("De kolom '%s' ontbreekt in het bevolkingsbestand."), missing);
    return 0;
}

int population_year_from_name(const char *name)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t n = strlen(b);
    /* The last run of exactly four digits that looks like a year. */
    int year = POPULATION_DEFAULT_YEAR;
    for (size_t i = 0; i + 4 <= n; i++) {
        bool four = true;
        for (size_t k = 0; k < 4; k++)
            four = four && b[i + k] >= '0' && b[i + k] <= '9';
        bool bounded = (i == 0 || b[i - 1] < '0' || b[i - 1] > '9') &&
                       (i + 4 == n || b[i + 4] < '0' || b[i + 4] > '9');
        if (four && bounded) {
            int y = (b[i] - '0') * 1000 + (b[i + 1] - '0') * 100 + (b[i + 2] - '0') * 10 +
                    (b[i + 3] - '0');
            if (y >= 1990 && y <= 2100)
                year = y;
        }
    }
    return year;
}

/* "0-4", "15-19", "95+": digits, then '-' digits or '+'. */
static bool band_valid(struct str s)
{
    size_t i = 0;
    if (s.len == 0 || s.len >= POPULATION_BAND_MAX)
        return false;
    while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
        i++;
    if (i == 0 || i == s.len)
        return false;
    if (s.p[i] == '+')
        return i + 1 == s.len;
    if (s.p[i] != '-')
        return false;
    size_t j = ++i;
    while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
        i++;
    return i > j && i == s.len;
}

/* The current code ("0114") of a gemeente by its name in the given year; false if unknown. */
static bool current_code_by_name(const char *name, int year, char out[5])
{
    /* cbs_find_by_name already follows the herindelingen to the current gemeente. */
    const struct cbs_gemeente *g = cbs_find_by_name(name, year);
    if (!g)
        return false;
    memcpy(out, g->code + 2, 4);
    out[4] = '\0';
    return true;
}

static int parse_count(struct str s, int64_t *out)
{
    return str_parse_i64(s, 0, INT64_C(1000000000), out);
}

enum population_outcome population_convert(const struct population_cols *c,
                                           const struct table_row *row, int default_year,
                                           struct population_row *out, char *reason,
                                           size_t reason_cap, int *bad_col)
{
    char name[128];
    memset(out, 0, sizeof *out);
    *bad_col = 0;
    struct str g = field(row, c->gemeente);
    if (str_eq_c(g, NO_GEMEENTE)) {
        snprintf(reason, reason_cap, "%s",
                 _("Inwoners van postcodes zonder gemeente: niet toe te rekenen"));
        *bad_col = c->gemeente + 1;
        return POP_SKIPPED;
    }
    out->year = default_year;
    if (c->year >= 0) {
        int64_t y;
        if (str_parse_i64(field(row, c->year), 1900, 2100, &y)) {
            snprintf(reason, reason_cap, "%s", _("kolom jaar: geen geldig jaartal"));
            *bad_col = c->year + 1;
            return POP_REJECTED;
        }
        out->year = (int)y;
    }
    if (g.len == 0 || g.len >= sizeof name) {
        snprintf(reason, reason_cap, "%s", _("kolom gemeente: leeg of te lang"));
        *bad_col = c->gemeente + 1;
        return POP_REJECTED;
    }
    memcpy(name, g.p, g.len);
    name[g.len] = '\0';
    if (!current_code_by_name(name, out->year, out->gemeente)) {
        snprintf(reason, reason_cap, _("kolom gemeente: '%s' is geen gemeente van %d"), name,
                 out->year);
        *bad_col = c->gemeente + 1;
        return POP_REJECTED;
    }
    struct str band = field(row, c->age);
    if (!band_valid(band)) {
        snprintf(reason, reason_cap, "%s",
                 _("kolom leeftijd: geen leeftijdsklasse zoals '0-4' of '95+'"));
        *bad_col = c->age + 1;
        return POP_REJECTED;
    }
    memcpy(out->age_band, band.p, band.len);
    out->age_band[band.len] = '\0';
    if (parse_count(field(row, c->inhabitants), &out->inhabitants)) {
        snprintf(reason, reason_cap, "%s", _("kolom inwoners: geen geheel aantal"));
        *bad_col = c->inhabitants + 1;
        return POP_REJECTED;
    }
    out->men = out->women = -1;
    struct str m = field(row, c->men), w = field(row, c->women);
    if (c->men >= 0 && m.len && parse_count(m, &out->men)) {
        snprintf(reason, reason_cap, "%s", _("kolom mannen: geen geheel aantal"));
        *bad_col = c->men + 1;
        return POP_REJECTED;
    }
    if (c->women >= 0 && w.len && parse_count(w, &out->women)) {
        snprintf(reason, reason_cap, "%s", _("kolom vrouwen: geen geheel aantal"));
        *bad_col = c->women + 1;
        return POP_REJECTED;
    }
    return POP_ACCEPTED;
}

void population_sums_add(struct population_sums *s, const struct population_row *r)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = *r;
}

static int cmp_row(const void *a, const void *b)
{
    const struct population_row *x = a, *y = b;
    int c = strcmp(x->gemeente, y->gemeente);
    if (c)
        return c;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return strcmp(x->age_band, y->age_band);
}

static int64_t add_opt(int64_t a, int64_t b)
{
    return a < 0 || b < 0 ? -1 : a + b;
}

void population_sums_finish(struct population_sums *s)
{
    if (s->n == 0)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_row);
    size_t w = 0;
    for (size_t i = 1; i < s->n; i++) {
        if (cmp_row(&s->v[w], &s->v[i]) == 0) {
            s->v[w].inhabitants += s->v[i].inhabitants;
            s->v[w].men = add_opt(s->v[w].men, s->v[i].men);
            s->v[w].women = add_opt(s->v[w].women, s->v[i].women);
        } else {
            s->v[++w] = s->v[i];
        }
    }
    s->n = w + 1;
}

void population_sums_free(struct population_sums *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
