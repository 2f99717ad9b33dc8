/*
 * framework_export.c: a quality framework as CSV or XLSX in the import format (see
 * framework_export.h). Archived and merged criteria are left out: the file is the framework
 * as it stands; the sources recorded by merges go in the last column (read, not stored, by an
 * import).
 */
#include "report/framework_export.h"
#include "core/common.h"
#include "ingest/framework_import.h"
#include "report/text_table.h"

/* The samengevoegde_bronnen column: "bronsoort: bron" per source a merge recorded. */
static const char *merged_sources(struct arena *a, const struct criterion *c)
{
    const char *s = "";
    for (int i = 0; i < c->nextra; i++) {
        s = arena_printf(a, "%s%s%s: %s", s, *s ? "; " : "", fw_source_code(c->extra[i].kind),
                         c->extra[i].ref ? c->extra[i].ref : "");
        if (!s)
            return NULL;
    }
    return s;
}

/* The cells of one criterion in column order (FWI_*). */
static bool cells(struct arena *a, const struct criterion *c, const char *v[FWI_NCOLUMNS])
{
    v[FWI_CODE] = c->code;
    v[FWI_THEME] = c->theme_name;
    v[FWI_TEXT] = c->text;
    v[FWI_SOURCE] = fw_source_code(c->source);
    v[FWI_SOURCE_REF] = c->source_ref ? c->source_ref : "";
    v[FWI_LAWS] = fw_laws_code(c->laws);
    v[FWI_CATEGORIES] = c->categories;
    v[FWI_EVIDENCE] = c->evidence;
    v[FWI_VERIFY] = fw_verify_code(c->verify);
    v[FWI_GEMEENTE] = c->local_cbs ? c->local_cbs : "";
    v[FWI_MERGED] = merged_sources(a, c);
    return v[FWI_MERGED] != NULL;
}

/* The rows of the file: the criteria that stand (archived ones left out). */
struct fw_rows {
    const struct criterion *cs;
};

static bool fw_row(void *ctx, struct arena *a, int i, const char **v, bool *skip)
{
    const struct fw_rows *r = ctx;
    *skip = r->cs[i].archived;
    return *skip || cells(a, &r->cs[i], v);
}

static void fw_table(struct text_table *t, const char **headings, struct fw_rows *rows,
                     const struct criterion *cs, int n)
{
    for (int c = 0; c < FWI_NCOLUMNS; c++)
        headings[c] = fwi_column_name((enum fwi_column)c);
    rows->cs = cs;
    *t = (struct text_table){.headings = headings,
                             .ncols = FWI_NCOLUMNS,
                             .nrows = n,
                             .row = fw_row,
                             .ctx = rows,
                             .sheet = "Kwaliteitskader",
                             .prefix = "kader",
                             .wide_col = FWI_TEXT};
}

int framework_export_csv(struct arena *a, const struct criterion *cs, int n, const char **out,
                         size_t *len, struct err_ctx *e)
{
    const char *headings[FWI_NCOLUMNS];
    struct fw_rows rows;
    struct text_table t;
    fw_table(&t, headings, &rows, cs, n);
    return text_table_csv(a, &t, out, len, e);
}

int framework_export_xlsx(struct arena *a, const struct criterion *cs, int n, const char *tmp_dir,
                          const char **out, size_t *len, struct err_ctx *e)
{
    const char *headings[FWI_NCOLUMNS];
    struct fw_rows rows;
    struct text_table t;
    fw_table(&t, headings, &rows, cs, n);
    return text_table_xlsx(a, &t, tmp_dir, out, len, e);
}

const char *framework_export_name(struct arena *a, const struct framework *f, bool xlsx)
{
    return arena_printf(a, "kwaliteitskader-%" PRId64 "-v%" PRId64 ".%s", f->id, f->version,
                        xlsx ? "xlsx" : "csv");
}
