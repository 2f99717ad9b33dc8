/*
 * db_rows.c: reading all rows of a statement into an arena array (db_collect, db.h), so that
 * every list query of the stores shares one step-grow-fill loop instead of a copy each.
 */
#include "core/common.h"
#include "store/db.h"

static int read_id(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a, (void)ctx;
    *(int64_t *)row = db_col_i64(st, 0);
    return 0;
}

int db_collect(struct arena *a, struct db_stmt *st, size_t elem_size, db_row_fn read, void *ctx,
               void **out, size_t *n)
{
    unsigned char *rows = NULL;
    size_t cap = 0, got = 0;
    int ret;
    *out = NULL;
    *n = 0;
    while ((ret = db_step(st)) == DB_ROW) {
        if (got == cap) {
            /* Doubling; the old copy stays in the arena until the arena is freed. */
            size_t ncap = cap ? cap * 2 : 16;
            unsigned char *p = arena_alloc(a, ncap * elem_size);
            if (!p)
                return ERR_NOMEM;
            if (got)
                memcpy(p, rows, got * elem_size);
            rows = p;
            cap = ncap;
        }
        memset(rows + got * elem_size, 0, elem_size);
        if ((ret = read(a, st, rows + got * elem_size, ctx)))
            return ret;
        got++;
    }
    if (ret < 0)
        return ret;
    *out = rows;
    *n = got;
    return 0;
}

int db_collect_ids(struct arena *a, struct db_stmt *st, int64_t **out, size_t *n)
{
    void *rows = NULL;
    int ret = db_collect(a, st, sizeof(int64_t), read_id, NULL, &rows, n);
    *out = rows;
    return ret;
}
