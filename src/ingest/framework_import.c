/*
 * framework_import.c: a quality framework from CSV or XLSX. Reads the file through the shared
 * table readers (ingest/csv.h, ingest/xlsx.h), matches the header, checks every row with the
 * domain's own validation (criterion_check) and collects every error with file, line and
 * column; only a file without errors is applied, in one transaction (framework_apply).
 */
#include "ingest/framework_import.h"
#include "core/common.h"
#include "ingest/csv.h"
#include "ingest/text_fold.h"
#include "ingest/xlsx.h"
#include <ctype.h>

#define FIELD_MAX (16 * 1024) /* bytes of one cell: a criterion text is at most 2000 characters */
#define COLS_MAX  64

struct col_def {
    const char *name;    /* as exported */
    const char *aliases; /* folded alternatives, '|'-separated */
    bool required;
};

static const struct col_def cols[FWI_NCOLUMNS] = {
    [FWI_CODE] = {"code", "code|nummer|nr", true},
    [FWI_THEME] = {"thema", "thema|theme", true},
    [FWI_TEXT] = {"criterium", "criterium|tekst|eis|norm", true},
    [FWI_SOURCE] = {"bronsoort", "bronsoort|soort bron|brontype", true},
    [FWI_SOURCE_REF] = {"bron", "bron|bronverwijzing|verwijzing", false},
    [FWI_LAWS] = {"wet", "wet|wetten|wet jw wmo", true},
    [FWI_CATEGORIES] = {"productcategorieen", "productcategorieen|productcategorie|categorieen",
                        false},
    [FWI_EVIDENCE] = {"bewijs", "bewijs|gevraagd bewijs|bewijsstukken", false},
    [FWI_VERIFY] = {"verificatie", "verificatie|toetsing|verificatiemethode", true},
    [FWI_GEMEENTE] = {"gemeente", "gemeente|lokaal voor gemeente|cbs code", false},
    [FWI_MERGED] = {"samengevoegde_bronnen", "samengevoegde bronnen|extra bronnen", false},
};

const char *fwi_column_name(enum fwi_column c)
{
    return c >= 0 && c < FWI_NCOLUMNS ? cols[c].name : "";
}

struct state {
    struct arena *a;
    struct store *s;
    const char *file;
    bool header_seen, header_bad;
    int idx[FWI_NCOLUMNS]; /* field index of each column, -1 when absent */
    int nheader;           /* fields in the header */
    const char *header_names[COLS_MAX];
    struct criterion_input *rows;
    uint64_t *lines;
    int nrows;
    struct fwi_result *r;
};

static void add_error(struct state *st, uint64_t line, int col, const char *colname,
                      const char *msg)
{
    struct fwi_result *r = st->r;
    if (r->nerrors >= FWI_MAX_ERRORS) {
        r->more_errors = true;
        return;
    }
    const char *text;
    if (line && col)
        text = arena_printf(st->a, _("%s, regel %llu, kolom %d (%s): %s"), st->file,
                            (unsigned long long)line, col, colname ? colname : "", msg);
    else if (line)
        text =
            arena_printf(st->a, _("%s, regel %llu: %s"), st->file, (unsigned long long)line, msg);
    else
        text = arena_printf(st->a, "%s: %s", st->file, msg);
    r->errors[r->nerrors++] =
        (struct fwi_error){.line = line, .column = col, .msg = text ? text : msg};
}

static int match_column(const char *folded)
{
    for (int c = 0; c < FWI_NCOLUMNS; c++) {
        const char *p = cols[c].aliases;
        size_t n = strlen(folded);
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t len = bar ? (size_t)(bar - p) : strlen(p);
            if (len == n && memcmp(p, folded, n) == 0)
                return c;
            p += len + (bar ? 1 : 0);
        }
    }
    return -1;
}

static void read_header(struct state *st, const struct table_row *row)
{
    char f[TEXT_FOLD_MAX];
    st->header_seen = true;
    if (row->nfields > COLS_MAX) {
        add_error(st, row->line, 0, NULL, _("de kopregel heeft te veel kolommen."));
        st->header_bad = true;
        return;
    }
    st->nheader = row->nfields;
    for (int i = 0; i < row->nfields; i++) {
        text_fold(row->fields[i], row->lens[i], f, sizeof f);
        st->header_names[i] = arena_strdup(st->a, row->fields[i]);
        if (!f[0])
            continue; /* an empty header cell: its values must be empty too (checked per row) */
        int c = match_column(f);
        if (c < 0) {
            add_error(st, row->line, i + 1, row->fields[i],
                      arena_printf(st->a,
                                   _("onbekende kolom \"%s\"; verwacht: code, thema, "
                                     "criterium, bronsoort, bron, wet, "
                                     "productcategorieen, bewijs, verificatie, gemeente."),
                                   f));
            st->header_bad = true;
        } else if (st->idx[c] >= 0) {
            add_error(st, row->line, i + 1, cols[c].name, _("deze kolom staat er twee keer in."));
            st->header_bad = true;
        } else {
            st->idx[c] = i;
        }
    }
    for (int c = 0; c < FWI_NCOLUMNS; c++)
        if (cols[c].required && st->idx[c] < 0) {
            add_error(
                st, row->line, 0, NULL,
                arena_printf(st->a, _("de verplichte kolom \"%s\" ontbreekt."), cols[c].name));
            st->header_bad = true;
        }
}

/* The value of column c in row, without the apostrophe our export puts before text that a
 * spreadsheet would run as a formula. */
static const char *value(struct state *st, const struct table_row *row, int c)
{
    int i = st->idx[c];
    if (i < 0 || i >= row->nfields)
        return "";
    const char *v = row->fields[i];
    if (v[0] == '\'') {
        const char *p = v + 1;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '=' || *p == '+' || *p == '-' || *p == '@' || v[1] == '\t' || v[1] == '\r')
            v++;
    }
    return arena_strdup(st->a, v);
}

static bool row_empty(const struct table_row *row)
{
    for (int i = 0; i < row->nfields; i++)
        for (size_t j = 0; j < row->lens[i]; j++)
            if (!isspace((unsigned char)row->fields[i][j]))
                return false;
    return true;
}

/* Which column a domain error field belongs to. */
static int column_of(const char *field)
{
    static const struct {
        const char *field;
        enum fwi_column col;
    } map[] = {
        {"theme", FWI_THEME},
        {"code", FWI_CODE},
        {"text", FWI_TEXT},
        {"source", FWI_SOURCE},
        {"source_ref", FWI_SOURCE_REF},
        {"laws", FWI_LAWS},
        {"categories", FWI_CATEGORIES},
        {"evidence", FWI_EVIDENCE},
        {"verify", FWI_VERIFY},
        {"local_org_id", FWI_GEMEENTE},
    };
    for (size_t i = 0; field && i < ARRAY_LEN(map); i++)
        if (strcmp(map[i].field, field) == 0)
            return (int)map[i].col;
    return -1;
}

static void col_error(struct state *st, const struct table_row *row, int c, const char *msg)
{
    int i = c >= 0 ? st->idx[c] : -1;
    add_error(st, row->line, i >= 0 ? i + 1 : 0, c >= 0 ? cols[c].name : NULL, msg);
}

static bool gemeente_form_ok(const char *g)
{
    size_t n = strlen(g);
    const char *d = g;
    if (n == 6 && (g[0] == 'G' || g[0] == 'g') && (g[1] == 'M' || g[1] == 'm'))
        d = g + 2;
    else if (n != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)d[i]))
            return false;
    return true;
}

static void read_data(struct state *st, const struct table_row *row)
{
    struct criterion_input in = {0};
    struct err_ctx e = {0};
    int before = st->r->nerrors + (st->r->more_errors ? 1 : 0);

    if (row_empty(row))
        return;
    st->r->rows++;
    if (st->nrows >= FW_CRITERIA_MAX) {
        if (st->nrows == FW_CRITERIA_MAX)
            add_error(st, row->line, 0, NULL,
                      arena_printf(st->a,
                                   _("meer dan %d criteria; een kwaliteitskader heeft er "
                                     "maximaal %d."),
                                   FW_CRITERIA_MAX, FW_CRITERIA_MAX));
        st->nrows++;
        return;
    }
    if (row->problem) {
        add_error(st, row->line, row->problem_col,
                  row->problem_col > 0 && row->problem_col <= st->nheader
                      ? st->header_names[row->problem_col - 1]
                      : NULL,
                  _(row->problem));
        return;
    }
    for (int i = 0; i < row->nfields; i++) {
        bool known = false;
        for (int c = 0; c < FWI_NCOLUMNS; c++)
            known = known || st->idx[c] == i;
        if (!known && row->lens[i] > 0 &&
            !row_empty(&(struct table_row){
                .fields = &row->fields[i], .lens = &row->lens[i], .nfields = 1}))
            add_error(st, row->line, i + 1, NULL,
                      _("een waarde in een kolom zonder (bekende) kop; controleer de kolommen."));
    }
    in.code = value(st, row, FWI_CODE);
    in.theme = value(st, row, FWI_THEME);
    in.text = value(st, row, FWI_TEXT);
    in.source_ref = value(st, row, FWI_SOURCE_REF);
    in.categories = value(st, row, FWI_CATEGORIES);
    in.evidence = value(st, row, FWI_EVIDENCE);
    const char *src = value(st, row, FWI_SOURCE), *laws = value(st, row, FWI_LAWS);
    const char *ver = value(st, row, FWI_VERIFY), *gem = value(st, row, FWI_GEMEENTE);
    if (!in.code || !in.theme || !in.text || !in.source_ref || !in.categories || !in.evidence ||
        !src || !laws || !ver || !gem)
        return;
    enum fw_source s;
    if (fw_source_parse(src, &s) != 0)
        col_error(st, row, FWI_SOURCE,
                  _("onbekende bronsoort; kies branchenorm, certificering, wetsartikel, "
                    "contracteis of lokaal."));
    else
        in.source = (int)s;
    if (fw_laws_parse(laws, &in.laws) != 0)
        col_error(st, row, FWI_LAWS, _("vul jw, wmo of jw,wmo in."));
    if (fw_verify_parse(ver, &in.verify) != 0)
        col_error(st, row, FWI_VERIFY,
                  _("vul document, gesprek en/of onderzoek in, gescheiden door komma's."));
    while (*gem == ' ')
        gem++;
    if (*gem) {
        if (!gemeente_form_ok(gem))
            col_error(st, row, FWI_GEMEENTE,
                      _("een gemeente wordt aangeduid met haar CBS-code, bijvoorbeeld GM0114."));
        else if (st->s && framework_gemeente_by_cbs(st->s, gem, &in.local_org_id) != 0)
            col_error(st, row, FWI_GEMEENTE, _("deze gemeente is niet bekend."));
    }
    /* The domain's own checks, one message per row (the first field that fails). */
    if (in.source && in.laws && in.verify && criterion_check(&in, &e) != 0) {
        int c = column_of(e.field);
        col_error(st, row, c, e.msg);
    } else if (!in.source || !in.laws || !in.verify) {
        struct criterion_input probe = in;
        probe.source = probe.source ? probe.source : FW_SRC_LOKAAL;
        probe.laws = probe.laws ? probe.laws : FW_LAW_ALL;
        probe.verify = probe.verify ? probe.verify : FW_VERIFY_DOCUMENT;
        if (criterion_check(&probe, &e) != 0)
            col_error(st, row, column_of(e.field), e.msg);
    }
    for (int i = 0; i < st->nrows && in.code[0]; i++)
        if (strcmp(st->rows[i].code, in.code) == 0) {
            col_error(st, row, FWI_CODE,
                      arena_printf(st->a, _("de code %s staat ook op regel %llu."), in.code,
                                   (unsigned long long)st->lines[i]));
            break;
        }
    if (st->r->nerrors + (st->r->more_errors ? 1 : 0) != before)
        return;
    st->lines[st->nrows] = row->line;
    st->rows[st->nrows++] = in;
}

static int on_row(void *ctx, const struct table_row *row)
{
    struct state *st = ctx;
    if (!st->header_seen) {
        if (row_empty(row))
            return 0;
        read_header(st, row);
        return st->header_bad ? 1 : 0; /* no point reading rows against a bad header */
    }
    read_data(st, row);
    return 0;
}

int framework_parse(struct arena *a, struct store *s, const char *file_name, const void *data,
                    size_t n, struct criterion_input **rows, uint64_t **lines, int *nrows,
                    struct fwi_result *r)
{
    struct state st = {
        .a = a, .s = s, .file = file_name && *file_name ? file_name : "bestand", .r = r};
    struct err_ctx e = {0};
    int rc;

    memset(r, 0, sizeof *r);
    *rows = NULL;
    *lines = NULL;
    *nrows = 0;
    r->errors = arena_calloc(a, FWI_MAX_ERRORS, sizeof *r->errors);
    st.rows = arena_calloc(a, FW_CRITERIA_MAX, sizeof *st.rows);
    st.lines = arena_calloc(a, FW_CRITERIA_MAX, sizeof *st.lines);
    if (!r->errors || !st.rows || !st.lines)
        return ERR_NOMEM;
    for (int c = 0; c < FWI_NCOLUMNS; c++)
        st.idx[c] = -1;
    if (n > FWI_MAX_BYTES) {
        add_error(&st, 0, 0, NULL,
                  arena_printf(a, _("het bestand is groter dan %u MiB."),
                               FWI_MAX_BYTES / (1024u * 1024u)));
        return ERR_TOO_BIG;
    }
    if (xlsx_looks_like_zip(data, n)) {
        struct xlsx_options o = {.max_uncompressed = 64ull * 1024 * 1024,
                                 .max_records = FW_CRITERIA_MAX + 100};
        rc = xlsx_read_memory(data, n, &o, on_row, &st, &e);
    } else {
        struct csv_options o = {
            .max_field = FIELD_MAX, .max_columns = COLS_MAX, .max_records = FW_CRITERIA_MAX + 100};
        rc = csv_read_memory(data, n, &o, on_row, &st, NULL, &e);
    }
    if (rc < 0) {
        add_error(&st, e.line, (int)e.col, NULL,
                  e.msg[0] ? e.msg : _("het bestand kan niet worden gelezen."));
        return rc == ERR_TOO_BIG ? ERR_TOO_BIG : ERR_INVALID;
    }
    if (!st.header_seen) {
        add_error(&st, 0, 0, NULL, _("het bestand is leeg: er is geen kopregel."));
        return ERR_INVALID;
    }
    if (st.nrows > FW_CRITERIA_MAX)
        return ERR_TOO_BIG;
    if (r->nerrors > 0)
        return ERR_INVALID;
    *rows = st.rows;
    *lines = st.lines;
    *nrows = st.nrows;
    return 0;
}

int framework_import(struct arena *a, struct store *s, const struct actor *who, int64_t fw,
                     const char *file_name, const void *data, size_t n, struct fwi_result *r)
{
    struct criterion_input *rows;
    uint64_t *lines;
    int nrows, bad = 0;
    struct err_ctx e = {0};
    memset(r, 0, sizeof *r);
    int rc = framework_may_import(s, who, fw); /* authorisation before validation */
    if (rc)
        return rc;
    rc = framework_parse(a, s, file_name, data, n, &rows, &lines, &nrows, r);
    if (rc)
        return rc;
    rc = framework_apply(s, who, fw, rows, nrows, &r->created, &r->updated, &bad, &e);
    if (rc == 0 || rc == ERR_DENIED || rc == ERR_NOT_FOUND)
        return rc;
    /* A row the domain refused while writing (a code clash with an archived criterion, a
     * local criterion of a gemeente outside the region): reported like a parse error. */
    struct state st = {.a = a, .file = file_name && *file_name ? file_name : "bestand", .r = r};
    uint64_t line = bad > 0 && bad <= nrows ? lines[bad - 1] : 0;
    add_error(&st, line, 0, NULL, e.msg[0] ? e.msg : _("deze regel kan niet worden opgeslagen."));
    return rc == ERR_INTERNAL || rc == ERR_DB || rc == ERR_NOMEM ? rc : ERR_INVALID;
}
