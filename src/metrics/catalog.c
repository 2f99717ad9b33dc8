/*
 * catalog.c: the stored indicators (catalog.h): installing the shipped standard set without
 * touching what a region already has, and loading all stored definitions parsed.
 */
#include "metrics/catalog.h"
#include "core/common.h"
#include "domain/audit.h"
#include "store/indicator_store.h"
#include <time.h>

int ind_catalog_install_standard_n(struct db *db, const char *now, size_t *added, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct ind_def *defs = NULL;
    size_t n = 0, count = 0;
    int ret;
    if (added)
        *added = 0;
    if (!a)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    if ((ret = ind_standard_set(a, &defs, &n, e)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct indicator_row row;
        ret = indicator_store_find(a, db, 0, defs[i].code, &row);
        if (ret == 0)
            continue; /* present (perhaps with changed settings, perhaps archived): keep it */
        if (ret != ERR_NOT_FOUND) {
            err_set(e, ret, NULL, "cannot look up indicator %s: %s", defs[i].code, err_name(ret));
            goto out;
        }
        const char *json = ind_def_to_json(&defs[i], a);
        if (!json) {
            ret = err_set(e, ERR_NOMEM, NULL, "cannot write indicator %s", defs[i].code);
            goto out;
        }
        if ((ret = indicator_store_insert(db, 0, true, defs[i].code, json, now, 0, NULL))) {
            err_set(e, ret, NULL, "cannot store indicator %s: %s", defs[i].code, err_name(ret));
            goto out;
        }
        count++;
    }
    if (added)
        *added = count;
    ret = 0;
out:
    arena_free(a);
    return ret;
}

int ind_catalog_install_standard(struct db *db, const char *now, struct err_ctx *e)
{
    return ind_catalog_install_standard_n(db, now, NULL, e);
}

int ind_catalog_ensure_standard(struct store *s, size_t *added, struct err_ctx *e)
{
    char now[AUDIT_TS_SIZE];
    struct db *db = NULL;
    audit_format_time(time(NULL), now);
    int ret = store_write_begin(s, &db);
    if (ret)
        return err_set(e, ret, NULL, "cannot write to the database: %s", err_name(ret));
    ret = ind_catalog_install_standard_n(db, now, added, e);
    int end = store_write_end(s, ret == 0);
    if (!ret && end)
        ret = err_set(e, end, NULL, "cannot commit the standard indicators: %s", err_name(end));
    return ret;
}

int ind_catalog_load(struct db *db, struct arena *a, struct ind_catalog_entry **out, size_t *n,
                     size_t *nbad, struct err_ctx *e)
{
    struct indicator_row *rows = NULL;
    size_t nrows = 0, got = 0, bad = 0;
    *out = NULL;
    *n = 0;
    if (nbad)
        *nbad = 0;
    int ret = indicator_store_list(a, db, false, &rows, &nrows);
    if (ret)
        return err_set(e, ret, NULL, "cannot list indicators: %s", err_name(ret));
    struct ind_catalog_entry *list = nrows ? arena_calloc(a, nrows, sizeof *list) : NULL;
    if (nrows && !list)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    for (size_t i = 0; i < nrows; i++) {
        struct ind_catalog_entry *c = &list[got];
        struct ind_problems pr = {.n = 0};
        int rc = ind_def_parse(rows[i].definition, strlen(rows[i].definition), a, &c->def, &pr);
        if (rc == ERR_NOMEM)
            return err_set(e, ERR_NOMEM, NULL, "out of memory");
        if (rc) {
            bad++; /* e.g. written by a newer release, or the field catalogue changed */
            continue;
        }
        c->id = rows[i].id;
        c->code = rows[i].code;
        c->owner_org_id = rows[i].owner_org_id;
        c->standard = rows[i].standard;
        c->archived = rows[i].archived;
        c->version = rows[i].version;
        got++;
    }
    *out = list;
    *n = got;
    if (nbad)
        *nbad = bad;
    return 0;
}

int64_t ind_catalog_standard_id(struct db *db, const char *code)
{
    struct arena *a = arena_new(0);
    struct indicator_row row;
    int64_t id = 0;
    if (a && indicator_store_find(a, db, 0, code, &row) == 0)
        id = row.id;
    arena_free(a);
    return id;
}
