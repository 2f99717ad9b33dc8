/*
 * action_export.c: improvement actions as CSV or XLSX (see action_export.h). One row per
 * action; the cells are what the overview page shows.
 */
#include "report/action_export.h"
#include "core/common.h"
#include "core/period.h"
#include "report/text_table.h"

static const char *const headings[ACTION_EXPORT_COLUMNS] = {
    "id",     "gesprek",   "eigenaar", "kant",        "persoon",         "actie",
    "status", "einddatum", "te_laat",  "indicatoren", "reden_vervallen",
};

const char *action_export_heading(int col)
{
    return col >= 0 && col < ACTION_EXPORT_COLUMNS ? headings[col] : "";
}

static const char *side_code(enum conv_side s)
{
    return s == SIDE_AANBIEDER              ? "aanbieder"
           : s == SIDE_SAMENWERKINGSVERBAND ? "samenwerkingsverband"
                                            : "gemeente";
}

/* The cells of one action in column order. */
static bool cells(struct arena *a, const struct improvement_action *r, const char *v[])
{
    char due[11];
    day_format_iso(r->due_on, due);
    const char *inds = "";
    for (int k = 0; inds && k < r->nindicators; k++)
        inds = arena_printf(a, "%s%s%s", inds, k ? "; " : "", r->indicators[k].name);
    v[0] = arena_printf(a, "%" PRId64, r->id);
    v[1] = r->conversation_title ? r->conversation_title : "";
    v[2] = r->owner_name ? r->owner_name : "";
    v[3] = side_code(r->owner_side);
    v[4] = r->owner_user_name ? r->owner_user_name : "";
    v[5] = r->description ? r->description : "";
    v[6] = action_status_code(r->status);
    v[7] = arena_strdup(a, due);
    v[8] = r->overdue ? "ja" : "nee";
    v[9] = inds;
    v[10] = r->drop_reason ? r->drop_reason : "";
    return v[0] && v[7] && v[9];
}

static bool action_row(void *ctx, struct arena *a, int i, const char **v, bool *skip)
{
    const struct improvement_action *rows = ctx;
    *skip = false;
    return cells(a, &rows[i], v);
}

static struct text_table action_table(const struct improvement_action *rows, int n)
{
    return (struct text_table){.headings = headings,
                               .ncols = ACTION_EXPORT_COLUMNS,
                               .nrows = n,
                               .row = action_row,
                               .ctx = (void *)rows,
                               .sheet = "Acties",
                               .prefix = "acties",
                               .wide_col = 5};
}

int action_export_csv(struct arena *a, const struct improvement_action *rows, int n,
                      const char **out, size_t *len, struct err_ctx *e)
{
    struct text_table t = action_table(rows, n);
    return text_table_csv(a, &t, out, len, e);
}

int action_export_xlsx(struct arena *a, const struct improvement_action *rows, int n,
                       const char *tmp_dir, const char **out, size_t *len, struct err_ctx *e)
{
    struct text_table t = action_table(rows, n);
    return text_table_xlsx(a, &t, tmp_dir, out, len, e);
}
