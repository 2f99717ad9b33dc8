/*
 * registration.c: one record of a provider's registration export, read through a mapping
 * profile, into a fact (FACT_REGISTRATION) or into every reason it cannot be one. Values are
 * trimmed, value maps apply before validation, and each problem names the column header and
 * the value in Dutch. Identifying values (BSN, client key, birth date, postcode) are never
 * echoed in a reason: reasons are stored with rejected records.
 */
#include "ingest/registration.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/cbs.h"
#include "domain/codelist.h"
#include "ingest/text_fold.h"
#include <time.h>

#define SHOW_MAX       60 /* bytes of a value quoted in a reason */
#define CLIENT_KEY_MAX 64
#define AGE_MAX        120
#define DATE_MIN_YEAR  1990 /* care records before this are typing errors */
#define BIRTH_MIN_YEAR 1900
#define DAYS_AHEAD_MAX 366 /* "not more than a year in the future" */

int registration_bind(const struct mapping_profile *p, const struct table_row *header,
                      struct reg_binding *out, struct err_ctx *e)
{
    if (!p || !header || !out)
        return ERR_INVALID;
    memset(out, 0, sizeof *out);
    out->profile = p;
    for (int f = 0; f < RF_COUNT; f++)
        out->col[f] = -1;
    if (header->nfields > TABLE_MAX_COLUMNS)
        return err_set(e, ERR_TOO_BIG, NULL, _("De kopregel heeft meer dan %d kolommen."),
                       TABLE_MAX_COLUMNS);
    out->ncols = header->nfields;
    /* Load the lists now, so converting rows never fails on them later. */
    if (codelist_load() != 0 || cbs_load() != 0)
        return err_set(e, ERR_INTERNAL, NULL, "%s",
                       _("De codelijsten konden niet worden geladen."));
    for (int c = 0; c < TABLE_MAX_COLUMNS; c++)
        out->sensitive[c] = true; /* unmapped columns may hold names or addresses */
    for (int f = 0; f < RF_COUNT; f++) {
        const char *want = p->columns[f];
        if (!want)
            continue;
        struct str w = str_trim(str_from(want));
        for (int c = 0; c < header->nfields; c++) {
            size_t len = header->lens ? header->lens[c] : strlen(header->fields[c]);
            if (text_fold_eq(header->fields[c], len, w.p, w.len)) {
                out->col[f] = c;
                break;
            }
        }
        if (out->col[f] < 0) {
            err_set(e, ERR_INVALID, reg_field((enum reg_field)f)->code,
                    _("De kolom '%.80s' (%s) staat niet in de kopregel van het bestand (regel "
                      "%" PRIu64 "). Kies het juiste profiel of pas het profiel aan."),
                    want, _(reg_field((enum reg_field)f)->label), header->line);
            if (e)
                e->line = (uint32_t)(header->line > UINT32_MAX ? UINT32_MAX : header->line);
            return ERR_INVALID;
        }
        /* Mapped columns are kept for the correction file, except the identifying ones. */
        bool identifying =
            f == RF_CLIENT_BSN || f == RF_CLIENT_KEY || f == RF_BIRTH_DATE || f == RF_POSTCODE;
        out->sensitive[out->col[f]] = identifying;
    }
    return 0;
}

/* ---- One row. -------------------------------------------------------------------------------- */

struct conv {
    const struct reg_binding *b;
    const struct table_row *row;
    enum law law;
    struct buf *reasons;
    int nproblems;
    int bad_col;
    day_t today;
};

/* Adds "kolom 'Header': <message>" for field f (or the message alone when f is RF_COUNT). */
static void problem(struct conv *c, enum reg_field f, const char *fmt, ...) ATTR_PRINTF(3, 4);

static void problem(struct conv *c, enum reg_field f, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX * 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->nproblems++ > 0)
        (void)buf_append_str(c->reasons, "; ");
    if (f < RF_COUNT) {
        const char *header = c->b->profile->columns[f];
        (void)buf_appendf(c->reasons, _("kolom '%s': %s"), header ? header : "?", msg);
        if (c->bad_col == 0 && c->b->col[f] >= 0)
            c->bad_col = c->b->col[f] + 1;
    } else {
        (void)buf_append_str(c->reasons, msg);
    }
}

/* The trimmed cell of field f; empty when not mapped or beyond the row. */
static struct str cell(const struct conv *c, enum reg_field f)
{
    int col = c->b->col[f];
    if (col < 0 || col >= c->row->nfields)
        return STR_NULL;
    const char *s = c->row->fields[col];
    size_t n = c->row->lens ? c->row->lens[col] : strlen(s);
    return str_trim((struct str){s, n});
}

/* The value with the profile's value map applied. */
static struct str mapped(const struct conv *c, enum reg_field f, struct str v)
{
    const struct mapping_profile *p = c->b->profile;
    for (int i = 0; i < p->nvalues; i++) {
        const struct value_map *m = &p->values[i];
        if (m->field == f && m->from && m->to && text_fold_eq(m->from, strlen(m->from), v.p, v.len))
            return str_from(m->to);
    }
    return v;
}

/* A value fit for quoting in a reason: cut at SHOW_MAX bytes, control characters as spaces. */
static const char *show(struct str v, char out[SHOW_MAX + 4])
{
    size_t n = v.len;
    bool cut = false;
    if (n > SHOW_MAX) {
        n = SHOW_MAX;
        while (n > 0 && ((unsigned char)v.p[n] & 0xc0) == 0x80)
            n--;
        cut = true;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = ((unsigned char)v.p[i] < 0x20 || v.p[i] == 0x7f) ? ' ' : v.p[i];
    if (cut)
        memcpy(out + n, "...", 3), n += 3;
    out[n] = '\0';
    return out;
}

static void missing(struct conv *c, enum reg_field f)
{
    problem(c, f, "%s", _("geen waarde, terwijl die verplicht is"));
}

/* ---- Dates. ---------------------------------------------------------------------------------- */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* True if v has the shape of a date ("2024-02-31", "31-2-2024") whether or not it exists. */
static bool date_shaped(struct str v)
{
    int groups[3] = {0}, g = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (is_digit(v.p[i]))
            groups[g]++;
        else if ((v.p[i] == '-' || v.p[i] == '/' || v.p[i] == '.') && g < 2 && groups[g] > 0)
            g++;
        else
            return false;
    }
    if (g != 2)
        return false;
    if (groups[0] == 4)
        return groups[1] >= 1 && groups[1] <= 2 && groups[2] >= 1 && groups[2] <= 2;
    return groups[0] <= 2 && groups[1] >= 1 && groups[1] <= 2 && groups[2] == 4;
}

/* Parses ISO, Dutch or YYYYMMDD dates; a time part after a space or 'T' is ignored
 * (spreadsheets write "2024-03-01 00:00:00"). 0, or 1 when the date has the right shape but
 * does not exist, or -1 when it is no date at all. */
static int parse_date(struct str v, day_t *out)
{
    for (size_t i = 8; i < v.len; i++) {
        if ((v.p[i] == ' ' || v.p[i] == 'T') && i + 1 < v.len && is_digit(v.p[i + 1])) {
            v.len = i;
            break;
        }
    }
    if (str_parse_date_iso(v, out) == 0 || str_parse_date_nl(v, out) == 0)
        return 0;
    if (v.len == 10 && (v.p[4] == '/' || v.p[4] == '.') && v.p[7] == v.p[4]) {
        /* "2024/03/01": year first with slashes or dots. */
        char iso[11];
        memcpy(iso, v.p, 10);
        iso[4] = iso[7] = '-';
        iso[10] = '\0';
        if (str_parse_date_iso((struct str){iso, 10}, out) == 0)
            return 0;
    }
    if (v.len == 8) {
        bool digits = true;
        for (size_t i = 0; i < 8; i++)
            digits = digits && is_digit(v.p[i]);
        if (digits) {
            int y =
                (v.p[0] - '0') * 1000 + (v.p[1] - '0') * 100 + (v.p[2] - '0') * 10 + (v.p[3] - '0');
            int m = (v.p[4] - '0') * 10 + (v.p[5] - '0');
            int d = (v.p[6] - '0') * 10 + (v.p[7] - '0');
            *out = day_from_ymd(y, m, d);
            return *out == DAY_NONE ? 1 : 0;
        }
    }
    return date_shaped(v) ? 1 : -1;
}

/* A care date (start or end): exists, not before 1990, not more than a year ahead. */
static day_t care_date(struct conv *c, enum reg_field f)
{
    struct str v = cell(c, f);
    char buf[SHOW_MAX + 4];
    day_t d;
    if (v.len == 0)
        return DAY_NONE;
    int rc = parse_date(v, &d);
    if (rc > 0) {
        problem(c, f, _("'%s' is geen bestaande datum"), show(v, buf));
        return DAY_NONE;
    }
    if (rc < 0) {
        problem(c, f, _("'%s' is geen datum (schrijf bijvoorbeeld 2024-03-01 of 1-3-2024)"),
                show(v, buf));
        return DAY_NONE;
    }
    if (d < day_from_ymd(DATE_MIN_YEAR, 1, 1)) {
        problem(c, f, _("'%s' ligt voor %d"), show(v, buf), DATE_MIN_YEAR);
        return DAY_NONE;
    }
    if (d > c->today + DAYS_AHEAD_MAX) {
        problem(c, f, _("'%s' ligt meer dan een jaar in de toekomst"), show(v, buf));
        return DAY_NONE;
    }
    return d;
}

static day_t today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return day_from_ymd(2100, 1, 1);
    return day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- Fields. --------------------------------------------------------------------------------- */

static void client(struct conv *c, const struct pseudonymiser *ps, const char agb[static 9],
                   struct reg_result *out)
{
    struct str bsn = cell(c, RF_CLIENT_BSN), key = cell(c, RF_CLIENT_KEY);
    enum bsn_check bc = BSN_OK;
    if (bsn.len > 0) {
        char norm[10];
        bc = bsn_check(bsn.p, bsn.len, norm);
        if (bc == BSN_OK) {
            pseudonym_of_bsn(ps, norm, out->person);
            out->test_person = bsn_is_test(norm);
            memset(norm, 0, sizeof norm);
            return;
        }
        /* An unknown BSN (999999999) may still come with the provider's own key. */
        if (bc != BSN_PLACEHOLDER || key.len == 0) {
            problem(c, RF_CLIENT_BSN, "%s", _(bsn_check_reason(bc)));
            return;
        }
    }
    if (key.len > 0) {
        if (key.len > CLIENT_KEY_MAX) {
            problem(c, RF_CLIENT_KEY, _("de cliëntsleutel is langer dan %d tekens"),
                    CLIENT_KEY_MAX);
            return;
        }
        pseudonym_of_client_key(ps, agb, key.p, key.len, out->person);
        return;
    }
    if (c->b->col[RF_CLIENT_BSN] >= 0)
        missing(c, RF_CLIENT_BSN);
    else
        missing(c, RF_CLIENT_KEY);
}

static void gemeente(struct conv *c, struct traj_fact *f)
{
    struct str v = cell(c, RF_GEMEENTE);
    char text[80], buf[SHOW_MAX + 4];
    const struct cbs_gemeente *g = NULL;
    if (v.len == 0) {
        missing(c, RF_GEMEENTE);
        return;
    }
    if (v.len < sizeof text) {
        memcpy(text, v.p, v.len);
        text[v.len] = '\0';
        bool code = true;
        size_t i =
            (v.len > 2 && (text[0] == 'G' || text[0] == 'g') && (text[1] == 'M' || text[1] == 'm'))
                ? 2
                : 0;
        if (i == 2)
            text[0] = 'G', text[1] = 'M';
        for (size_t j = i; j < v.len; j++)
            code = code && is_digit(text[j]);
        if (code && v.len - i >= 1 && v.len - i <= 4) {
            /* "114", "0114" and "GM0114" alike: pad to four digits. */
            char norm[8] = "GM0000";
            size_t nd = v.len - i;
            memcpy(norm + 2 + (4 - nd), text + i, nd);
            g = cbs_current(norm);
        } else if (!code || i == 0) {
            g = cbs_find_by_name(text, 2023);
            if (!g)
                g = cbs_find_by_name(text, 2021);
        }
    }
    if (!g || strlen(g->code) != 6) {
        problem(c, RF_GEMEENTE, _("'%s' is geen bekende gemeente (CBS-code zoals 0114 of naam)"),
                show(v, buf));
        return;
    }
    memcpy(f->gemeente, g->code + 2, 4);
    f->gemeente[4] = '\0';
}

/* reg_standard_code, remembered: a pure function of its arguments once the code lists are
 * loaded, asked millions of times for the same few values ("01", "02" ...). Per thread, so
 * readers of several imports never share it. (Measured: a sixth of the conversion.) */
#define CODE_MEMO 64

struct code_memo {
    bool used;
    uint8_t f, law, n;
    char v[7];
    const char *code;
};

static const char *standard_code(enum reg_field f, enum law law, const char *p, size_t n)
{
    static _Thread_local struct code_memo memo[CODE_MEMO];
    if (n > sizeof memo[0].v)
        return reg_standard_code(f, law, p, n);
    uint32_t h = 2166136261u ^ (uint32_t)f ^ ((uint32_t)law << 8);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    struct code_memo *m = &memo[(h ^ (h >> 16)) % CODE_MEMO];
    if (m->used && m->f == f && m->law == law && m->n == n && memcmp(m->v, p, n) == 0)
        return m->code;
    const char *code = reg_standard_code(f, law, p, n);
    *m = (struct code_memo){
        .used = true, .f = (uint8_t)f, .law = (uint8_t)law, .n = (uint8_t)n, .code = code};
    memcpy(m->v, p, n);
    return code;
}

/* A coded field: value map, then the standard code; "" when empty. */
static void code_field(struct conv *c, enum reg_field f, bool required, char *out, size_t cap)
{
    struct str v = cell(c, f);
    const char *list = NULL, *release = NULL;
    char buf[SHOW_MAX + 4];
    out[0] = '\0';
    if (v.len == 0) {
        if (required)
            missing(c, f);
        return;
    }
    struct str m = mapped(c, f, v);
    const char *code = standard_code(f, c->law, m.p, m.len);
    if (!code || strlen(code) >= cap) {
        reg_field_codelist(f, c->law, &list, &release);
        problem(c, f,
                _("'%s' staat niet in de codelijst %s %s; vertaal deze waarde in het "
                  "kolomprofiel"),
                show(v, buf), list ? list : "?", release ? release : "");
        return;
    }
    memcpy(out, code, strlen(code) + 1);
}

/* True if d is a whole number in [lo, hi]; the range is checked before the cast to int. */
static bool whole_in(double d, int lo, int hi)
{
    return d >= lo && d <= hi && d == (double)(int)d;
}

static void satisfaction(struct conv *c, struct traj_fact *f)
{
    struct str v = cell(c, RF_SATISFACTION);
    char buf[SHOW_MAX + 4];
    double d;
    if (v.len == 0)
        return;
    if (str_parse_decimal(v, &d) != 0 || !whole_in(d, 1, 10)) {
        problem(c, RF_SATISFACTION, _("'%s' is geen rapportcijfer van 1 tot en met 10"),
                show(v, buf));
        return;
    }
    f->satisfaction = (int)d;
}

static void goal(struct conv *c, struct traj_fact *f)
{
    struct str v = cell(c, RF_GOAL);
    char buf[SHOW_MAX + 4], fv[TEXT_FOLD_MAX];
    double d;
    if (v.len == 0)
        return;
    text_fold(v.p, v.len, fv, sizeof fv);
    if (strcmp(fv, "ja") == 0 || strcmp(fv, "volledig") == 0) {
        f->goal_realisation = 100;
        return;
    }
    if (strcmp(fv, "deels") == 0 || strcmp(fv, "gedeeltelijk") == 0) {
        f->goal_realisation = 50;
        return;
    }
    if (strcmp(fv, "nee") == 0) {
        f->goal_realisation = 0;
        return;
    }
    struct str num = v;
    if (num.len > 0 && num.p[num.len - 1] == '%')
        num = str_trim((struct str){num.p, num.len - 1});
    if (str_parse_decimal(num, &d) != 0 || d < 0 || d > 100) {
        problem(c, RF_GOAL, _("'%s' is geen percentage van 0 tot en met 100 (of ja, deels, nee)"),
                show(v, buf));
        return;
    }
    f->goal_realisation = (int)(d + 0.5);
}

static void age(struct conv *c, struct traj_fact *f)
{
    struct str birth = cell(c, RF_BIRTH_DATE), years = cell(c, RF_AGE);
    char buf[SHOW_MAX + 4];
    if (birth.len > 0) {
        day_t b;
        int rc = parse_date(birth, &b);
        /* The birth date itself is never quoted: it identifies a person. */
        if (rc != 0) {
            problem(c, RF_BIRTH_DATE, "%s",
                    rc > 0 ? _("de geboortedatum bestaat niet")
                           : _("de geboortedatum is geen datum (schrijf bijvoorbeeld 2010-03-01 "
                               "of 1-3-2010)"));
            return;
        }
        if (b < day_from_ymd(BIRTH_MIN_YEAR, 1, 1) || b > c->today) {
            problem(c, RF_BIRTH_DATE, "%s", _("de geboortedatum ligt voor 1900 of in de toekomst"));
            return;
        }
        if (f->start == DAY_NONE)
            return; /* the start date's own problem is reported already */
        int a = age_on(b, f->start);
        if (a < 0) {
            problem(c, RF_BIRTH_DATE, "%s", _("de geboortedatum ligt na de startdatum"));
            return;
        }
        if (a > AGE_MAX) {
            problem(c, RF_BIRTH_DATE, _("de leeftijd op de startdatum is meer dan %d jaar"),
                    AGE_MAX);
            return;
        }
        f->age = a;
        return;
    }
    if (years.len > 0) {
        double d;
        if (str_parse_decimal(years, &d) != 0 || !whole_in(d, 0, AGE_MAX)) {
            problem(c, RF_AGE, _("'%s' is geen leeftijd in hele jaren van 0 tot en met %d"),
                    show(years, buf), AGE_MAX);
            return;
        }
        f->age = (int)d;
    }
}

static void gender(struct conv *c, struct traj_fact *f)
{
    char code[4];
    code_field(c, RF_GENDER, false, code, sizeof code);
    if (code[0])
        f->gender = code[0];
}

static void postcode(struct conv *c, struct traj_fact *f)
{
    struct str v = cell(c, RF_POSTCODE);
    if (v.len == 0)
        return;
    bool ok = v.len >= 4 && v.p[0] >= '1' && v.p[0] <= '9';
    for (size_t i = 1; ok && i < 4; i++)
        ok = is_digit(v.p[i]);
    if (ok) {
        struct str rest = str_trim((struct str){v.p + 4, v.len - 4});
        ok = rest.len == 0 ||
             (rest.len == 2 && ((rest.p[0] | 0x20) >= 'a') && ((rest.p[0] | 0x20) <= 'z') &&
              ((rest.p[1] | 0x20) >= 'a') && ((rest.p[1] | 0x20) <= 'z'));
    }
    if (!ok) {
        /* Not quoted: even a mistyped postcode points at an address. */
        problem(c, RF_POSTCODE, "%s",
                _("geen geldige postcode (verwacht 4 cijfers, eventueel gevolgd door 2 letters)"));
        return;
    }
    memcpy(f->postcode4, v.p, 4);
    f->postcode4[4] = '\0';
}

static void product(struct conv *c, struct traj_fact *f)
{
    struct str v = cell(c, RF_PRODUCT_CODE);
    char buf[SHOW_MAX + 4];
    bool ok = v.len <= 5;
    if (v.len == 0)
        return;
    for (size_t i = 0; ok && i < v.len; i++)
        ok = is_digit(v.p[i]) || ((v.p[i] | 0x20) >= 'a' && (v.p[i] | 0x20) <= 'z');
    if (!ok) {
        problem(c, RF_PRODUCT_CODE, _("'%s' is geen productcode (hoogstens 5 letters of cijfers)"),
                show(v, buf));
        return;
    }
    memcpy(f->product_code, v.p, v.len);
    f->product_code[v.len] = '\0';
}

static bool row_empty(const struct table_row *row)
{
    for (int i = 0; i < row->nfields; i++) {
        size_t n = row->lens ? row->lens[i] : strlen(row->fields[i]);
        if (str_trim((struct str){row->fields[i], n}).len > 0)
            return false;
    }
    return true;
}

/* A problem the reader found in the record itself (bad encoding, a stray quote). */
static void reader_problem(struct conv *c)
{
    const struct table_row *row = c->row;
    if (!row->problem)
        return;
    for (int f = 0; f < RF_COUNT && row->problem_col > 0; f++) {
        if (c->b->col[f] == row->problem_col - 1) {
            problem(c, (enum reg_field)f, "%s", _(row->problem));
            return;
        }
    }
    if (row->problem_col > 0)
        problem(c, RF_COUNT, _("kolom %d: %s"), row->problem_col, _(row->problem));
    else
        problem(c, RF_COUNT, "%s", _(row->problem));
    if (c->bad_col == 0)
        c->bad_col = row->problem_col;
}

static void init_fact(struct traj_fact *f)
{
    memset(f, 0, sizeof *f);
    f->kind = FACT_REGISTRATION;
    snprintf(f->release, sizeof f->release, "v7");
    f->message_date = DAY_NONE;
    f->age = -1;
    f->date_assigned = f->valid_from = f->valid_to = DAY_NONE;
    f->start = f->end = DAY_NONE;
    f->goal_realisation = -1;
}

enum reg_outcome registration_convert(const struct reg_binding *b, const struct pseudonymiser *ps,
                                      const char agb[static 9], const struct table_row *row,
                                      struct reg_result *out, struct buf *reasons)
{
    struct conv c = {.b = b, .row = row, .reasons = reasons, .today = today()};
    memset(out, 0, sizeof *out);
    init_fact(&out->fact);
    buf_reset(reasons);
    if (!row->problem && row_empty(row))
        return REG_EMPTY;
    c.law = b->profile->law == LAW_WMO ? LAW_WMO : LAW_JW;
    struct traj_fact *f = &out->fact;

    reader_problem(&c);
    /* Extra filled cells to the right of the header: the columns have probably shifted. */
    for (int i = b->ncols; i < row->nfields; i++) {
        size_t n = row->lens ? row->lens[i] : strlen(row->fields[i]);
        if (str_trim((struct str){row->fields[i], n}).len > 0) {
            problem(&c, RF_COUNT,
                    _("de regel heeft meer gevulde kolommen (%d) dan de kopregel (%d)"),
                    row->nfields, b->ncols);
            if (c.bad_col == 0)
                c.bad_col = i + 1;
            break;
        }
    }
    if (!ps)
        problem(&c, RF_COUNT, "%s", _("er is geen sleutel om te pseudonimiseren"));
    else
        client(&c, ps, agb, out);
    gemeente(&c, f);

    code_field(&c, RF_HULPVORM, true, f->hulpvorm, sizeof f->hulpvorm);
    if (c.law == LAW_WMO) /* the Wmo record's "hulpvorm" is its product category */
        memcpy(f->category, f->hulpvorm, sizeof f->category);
    product(&c, f);

    f->start = care_date(&c, RF_START);
    if (f->start == DAY_NONE && cell(&c, RF_START).len == 0)
        missing(&c, RF_START);
    f->end = care_date(&c, RF_END);
    if (f->start != DAY_NONE && f->end != DAY_NONE && f->end < f->start) {
        char s1[SHOW_MAX + 4], s2[SHOW_MAX + 4];
        problem(&c, RF_END, _("de einddatum '%s' ligt voor de startdatum '%s'"),
                show(cell(&c, RF_END), s1), show(cell(&c, RF_START), s2));
        f->end = DAY_NONE;
    }

    code_field(&c, RF_REASON, false, f->cbs_reason, sizeof f->cbs_reason);
    if (f->cbs_reason[0] && f->end == DAY_NONE && cell(&c, RF_END).len == 0)
        problem(&c, RF_REASON, "%s", _("een reden beëindiging zonder einddatum"));
    code_field(&c, RF_REFERRER, false, f->referrer, sizeof f->referrer);
    code_field(&c, RF_ZONDER_HULP, false, f->zonder_hulp, sizeof f->zonder_hulp);
    code_field(&c, RF_INFORMANT, false, f->informant, sizeof f->informant);
    satisfaction(&c, f);
    goal(&c, f);
    age(&c, f);
    gender(&c, f);
    postcode(&c, f);

    out->bad_col = c.bad_col;
    if (c.nproblems > 0) {
        memset(out->person, 0, sizeof out->person);
        return REG_REJECTED;
    }
    return REG_ACCEPTED;
}
