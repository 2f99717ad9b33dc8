/*
 * contract_store.c: SQL of contracts (contract, contract_gemeente, contract_product and the
 * agreement rows of indicator_target), of claim lines (claim_line) and of the sums behind the
 * business figures. Writes run in the caller's transaction; edits are guarded by the version
 * column (optimistic locking). Claims and trajectories count only from active batches, and
 * never those of test persons.
 */
#include "store/contract_store.h"
#include "core/common.h"

static const char *const org_kind_codes[] = {
    [ORG_REGION] = "region",       [ORG_GEMEENTE] = "gemeente",
    [ORG_AANBIEDER] = "aanbieder", [ORG_TOEZICHTHOUDER] = "toezichthouder",
    [ORG_TOEGANG] = "toegang",
};

static enum org_kind kind_of(const char *code)
{
    for (int k = ORG_KIND_MIN; code && k <= ORG_KIND_MAX; k++)
        if (strcmp(org_kind_codes[k], code) == 0)
            return (enum org_kind)k;
    return 0;
}

static enum contract_variant variant_of(const char *code)
{
    if (code && strcmp(code, "outputgericht") == 0)
        return CONTRACT_OUTPUTGERICHT;
    if (code && strcmp(code, "taakgericht") == 0)
        return CONTRACT_TAAKGERICHT;
    return CONTRACT_INSPANNINGSGERICHT;
}

/* ---- Writing. -------------------------------------------------------------------------------- */

static int write_parts(struct db *db, int64_t id, const struct contract_values *v)
{
    static const char del_g[] = "DELETE FROM contract_gemeente WHERE contract_id = $1";
    static const char del_p[] = "DELETE FROM contract_product WHERE contract_id = $1";
    static const char del_t[] = "DELETE FROM indicator_target WHERE contract_id = $1";
    static const char ins_g[] =
        "INSERT OR IGNORE INTO contract_gemeente (contract_id, gemeente) VALUES ($1, $2)";
    static const char ins_p[] =
        "INSERT OR IGNORE INTO contract_product (contract_id, category, code) VALUES ($1, $2, $3)";
    /* One target per agreement: owned by the contract's owner, for its aanbieder, for its one
     * gemeente when it has exactly one (else for every gemeente of the owner's area), valid
     * over the contract's period. */
    static const char ins_t[] =
        "INSERT INTO indicator_target (indicator_id, owner_org_id, gemeente, aanbieder_id, "
        "valid_from, valid_to, value, note, contract_id, comparison) "
        "SELECT $2, c.owner_org_id, $3, c.aanbieder_id, c.valid_from, c.valid_to, $4, $5, c.id, "
        "$6 FROM contract c WHERE c.id = $1";
    const char *const dels[] = {del_g, del_p, del_t};
    struct db_stmt *st = NULL;
    int ret = 0;
    for (size_t k = 0; k < ARRAY_LEN(dels) && !ret; k++) {
        if (!(ret = db_prepare(db, "contract.parts.del", dels[k], &st)) &&
            !(ret = db_bind_i64(st, 1, id)))
            ret = db_run(st);
        db_done(st);
    }
    for (int i = 0; i < v->ngemeenten && !ret; i++) {
        if (!(ret = db_prepare(db, "contract.gemeente.ins", ins_g, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) &&
            !(ret = db_bind_text(st, 2, v->gemeenten[i], (size_t)-1)))
            ret = db_run(st);
        db_done(st);
    }
    for (int i = 0; i < v->nproducts && !ret; i++) {
        if (!(ret = db_prepare(db, "contract.product.ins", ins_p, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) &&
            !(ret = db_bind_text(st, 2, v->products[i].category, (size_t)-1)) &&
            !(ret = db_bind_text(st, 3, v->products[i].code, (size_t)-1)))
            ret = db_run(st);
        db_done(st);
    }
    for (int i = 0; i < v->nagreements && !ret; i++) {
        const struct contract_agreement *ag = &v->agreements[i];
        if (!(ret = db_prepare(db, "contract.target.ins", ins_t, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, ag->indicator_id)) &&
            !(ret = v->ngemeenten == 1 ? db_bind_text(st, 3, v->gemeenten[0], (size_t)-1)
                                       : db_bind_null(st, 3)) &&
            !(ret = db_bind_double(st, 4, ag->target)) &&
            !(ret = db_bind_text(st, 5, ag->note ? ag->note : "", (size_t)-1)) &&
            !(ret = db_bind_text(st, 6, ag->comparison == AGREE_MAX ? "max" : "min", (size_t)-1)))
            ret = db_run(st);
        db_done(st);
    }
    return ret;
}

static int bind_values(struct db_stmt *st, const struct contract_values *v)
{
    int ret;
    if ((ret = db_bind_text(st, 2, v->name, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, v->aanbieder_id)) || (ret = db_bind_i64(st, 4, v->law)) ||
        (ret = db_bind_text(st, 5, v->variant_code, (size_t)-1)) ||
        (ret = db_bind_i64(st, 6, v->valid_from)) ||
        (ret = v->valid_to == DAY_NONE ? db_bind_null(st, 7) : db_bind_i64(st, 7, v->valid_to)) ||
        (ret = db_bind_i64(st, 8, v->budget_cents)) ||
        (ret = v->cap_cents < 0 ? db_bind_null(st, 9) : db_bind_i64(st, 9, v->cap_cents)) ||
        (ret = db_bind_text(st, 10, v->note ? v->note : "", (size_t)-1)) ||
        (ret = db_bind_text(st, 11, v->now, (size_t)-1)) ||
        (ret = v->user_id > 0 ? db_bind_i64(st, 12, v->user_id) : db_bind_null(st, 12)))
        return ret;
    return 0;
}

int contract_store_insert(struct db *db, const struct contract_values *v, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO contract (owner_org_id, name, aanbieder_id, law, variant, valid_from, "
        "valid_to, budget_cents, cap_cents, note, created_at, updated_at, created_by, "
        "updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $12)";
    struct db_stmt *st = NULL;
    int ret;
    if (!(ret = db_prepare(db, "contract.insert", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, v->owner_org_id)) && !(ret = bind_values(st, v)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    *id_out = db_last_insert_id(db);
    return write_parts(db, *id_out, v);
}

/* 0 when the row is at version, ERR_CONFLICT when it is at another, ERR_NOT_FOUND. */
static int check_version(struct db *db, int64_t id, int64_t version)
{
    static const char sql[] = "SELECT version FROM contract WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "contract.version", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        int r = db_step(st);
        ret = r == DB_ROW    ? (db_col_i64(st, 0) == version ? 0 : ERR_CONFLICT)
              : r == DB_DONE ? ERR_NOT_FOUND
                             : r;
    }
    db_done(st);
    return ret;
}

int contract_store_update(struct db *db, int64_t id, int64_t version,
                          const struct contract_values *v)
{
    static const char sql[] =
        "UPDATE contract SET name = $2, aanbieder_id = $3, law = $4, variant = $5, "
        "valid_from = $6, valid_to = $7, budget_cents = $8, cap_cents = $9, note = $10, "
        "updated_at = $11, updated_by = $12, version = version + 1 WHERE id = $1 AND version = "
        "$13";
    int ret = check_version(db, id, version);
    if (ret)
        return ret;
    struct db_stmt *st = NULL;
    if (!(ret = db_prepare(db, "contract.update", sql, &st)) && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = bind_values(st, v)) && !(ret = db_bind_i64(st, 13, version)))
        ret = db_run(st);
    db_done(st);
    if (!ret && db_changes(db) != 1)
        ret = ERR_CONFLICT;
    return ret ? ret : write_parts(db, id, v);
}

int contract_store_set_archived(struct db *db, int64_t id, int64_t version, bool archived,
                                const char *now, int64_t user_id)
{
    static const char sql[] =
        "UPDATE contract SET archived = $2, updated_at = $3, updated_by = $4, "
        "version = version + 1 WHERE id = $1 AND version = $5";
    int ret = check_version(db, id, version);
    if (ret)
        return ret;
    struct db_stmt *st = NULL;
    if (!(ret = db_prepare(db, "contract.archive", sql, &st)) && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_i64(st, 2, archived ? 1 : 0)) &&
        !(ret = db_bind_text(st, 3, now, (size_t)-1)) &&
        !(ret = user_id > 0 ? db_bind_i64(st, 4, user_id) : db_bind_null(st, 4)) &&
        !(ret = db_bind_i64(st, 5, version)))
        ret = db_run(st);
    db_done(st);
    if (!ret && db_changes(db) != 1)
        ret = ERR_CONFLICT;
    return ret;
}

/* ---- Reading. -------------------------------------------------------------------------------- */

#define CONTRACT_COLS                                                                              \
    "c.id, c.name, c.owner_org_id, o.name, o.kind, c.aanbieder_id, p.name, c.law, c.variant, "     \
    "c.valid_from, c.valid_to, c.budget_cents, c.cap_cents, c.note, c.version, c.archived, "       \
    "c.created_at, c.updated_at FROM contract c JOIN organisation o ON o.id = c.owner_org_id "     \
    "JOIN organisation p ON p.id = c.aanbieder_id "

static int read_contract(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct contract *c = row;
    memset(c, 0, sizeof *c);
    c->id = db_col_i64(st, 0);
    c->owner_org_id = db_col_i64(st, 2);
    c->owner_kind = kind_of(db_col_text(st, 4));
    c->aanbieder_id = db_col_i64(st, 5);
    c->law = (enum law)db_col_i64(st, 7);
    c->variant = variant_of(db_col_text(st, 8));
    c->valid_from = (day_t)db_col_i64(st, 9);
    c->valid_to = db_col_is_null(st, 10) ? DAY_NONE : (day_t)db_col_i64(st, 10);
    c->budget_cents = db_col_i64(st, 11);
    c->cap_cents = db_col_is_null(st, 12) ? -1 : db_col_i64(st, 12);
    c->version = db_col_i64(st, 14);
    c->archived = db_col_i64(st, 15) != 0;
    if (!db_col_dup(a, st, 1, &c->name) || !db_col_dup(a, st, 3, &c->owner_name) ||
        !db_col_dup(a, st, 6, &c->aanbieder_name) || !db_col_dup(a, st, 13, &c->note) ||
        !db_col_dup(a, st, 16, &c->created_at) || !db_col_dup(a, st, 17, &c->updated_at))
        return ERR_NOMEM;
    return 0;
}

static int read_gemeente(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a, (void)ctx;
    char *g = row;
    snprintf(g, 5, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
    return 0;
}

static int read_product(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a, (void)ctx;
    struct contract_product *p = row;
    snprintf(p->category, sizeof p->category, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
    snprintf(p->code, sizeof p->code, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
    return 0;
}

static int read_agreement(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct contract_agreement *g = row;
    memset(g, 0, sizeof *g);
    g->target_id = db_col_i64(st, 0);
    g->indicator_id = db_col_i64(st, 1);
    g->target = db_col_double(st, 4);
    const char *cmp = db_col_text(st, 5);
    g->comparison = cmp && strcmp(cmp, "max") == 0 ? AGREE_MAX : AGREE_MIN;
    if (!db_col_dup(a, st, 2, &g->indicator_code) || !db_col_dup(a, st, 3, &g->indicator_name) ||
        !db_col_dup(a, st, 6, &g->note))
        return ERR_NOMEM;
    return 0;
}

static int fill_parts(struct arena *a, struct db *db, struct contract *c)
{
    static const char sg[] =
        "SELECT gemeente FROM contract_gemeente WHERE contract_id = $1 ORDER BY gemeente";
    static const char sp[] = "SELECT category, code FROM contract_product WHERE contract_id = $1 "
                             "ORDER BY category, code";
    static const char sa[] =
        "SELECT t.id, t.indicator_id, i.code, coalesce(json_extract(i.definition, '$.naam'), "
        "i.code), t.value, t.comparison, t.note FROM indicator_target t JOIN indicator i ON "
        "i.id = t.indicator_id WHERE t.contract_id = $1 ORDER BY t.id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t n = 0;
    int ret;
    if (!(ret = db_prepare(db, "contract.gemeenten", sg, &st)) &&
        !(ret = db_bind_i64(st, 1, c->id)))
        ret = db_collect(a, st, 5, read_gemeente, NULL, &rows, &n);
    db_done(st);
    if (ret)
        return ret;
    c->gemeenten = rows;
    c->ngemeenten = (int)n;
    if (!(ret = db_prepare(db, "contract.products", sp, &st)) && !(ret = db_bind_i64(st, 1, c->id)))
        ret = db_collect(a, st, sizeof(struct contract_product), read_product, NULL, &rows, &n);
    db_done(st);
    if (ret)
        return ret;
    c->products = rows;
    c->nproducts = (int)n;
    if (!(ret = db_prepare(db, "contract.agreements", sa, &st)) &&
        !(ret = db_bind_i64(st, 1, c->id)))
        ret = db_collect(a, st, sizeof(struct contract_agreement), read_agreement, NULL, &rows, &n);
    db_done(st);
    if (ret)
        return ret;
    c->agreements = rows;
    c->nagreements = (int)n;
    return 0;
}

int contract_store_get(struct arena *a, struct db *db, int64_t id, struct contract *out)
{
    static const char sql[] = "SELECT " CONTRACT_COLS "WHERE c.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "contract.get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        int r = db_step(st);
        ret = r == DB_ROW ? read_contract(a, st, out, NULL) : r == DB_DONE ? ERR_NOT_FOUND : r;
    }
    db_done(st);
    return ret ? ret : fill_parts(a, db, out);
}

int contract_store_scan(struct arena *a, struct db *db, const struct contract_query *q, int cap,
                        struct contract **out, int *n)
{
    static const char sql[] =
        "SELECT " CONTRACT_COLS
        "WHERE ($1 = 0 OR c.aanbieder_id = $1) AND ($2 = 0 OR c.owner_org_id = $2) "
        "AND ($3 IS NULL OR EXISTS (SELECT 1 FROM contract_gemeente g WHERE g.contract_id = c.id "
        "AND g.gemeente = $3)) AND ($4 IS NULL OR c.valid_to IS NULL OR c.valid_to >= $4) "
        "AND ($5 IS NULL OR c.valid_from <= $5) AND ($6 = 1 OR c.archived = 0) "
        "ORDER BY c.name, c.id LIMIT $7";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t nr = 0;
    int ret;
    *out = NULL;
    *n = 0;
    if (!(ret = db_prepare(db, "contract.scan", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, q->aanbieder_id)) &&
        !(ret = db_bind_i64(st, 2, q->owner_org_id)) &&
        !(ret = db_bind_text(st, 3, q->gemeente, (size_t)-1)) &&
        !(ret = q->from == DAY_NONE ? db_bind_null(st, 4) : db_bind_i64(st, 4, q->from)) &&
        !(ret = q->to == DAY_NONE ? db_bind_null(st, 5) : db_bind_i64(st, 5, q->to)) &&
        !(ret = db_bind_i64(st, 6, q->include_archived ? 1 : 0)) &&
        !(ret = db_bind_i64(st, 7, cap)))
        ret = db_collect(a, st, sizeof(struct contract), read_contract, NULL, &rows, &nr);
    db_done(st);
    if (ret)
        return ret;
    struct contract *cs = rows;
    for (size_t i = 0; i < nr; i++)
        if ((ret = fill_parts(a, db, &cs[i])))
            return ret;
    *out = cs;
    *n = (int)nr;
    return 0;
}

int contract_store_owners_of(struct arena *a, struct db *db, int64_t aanbieder_id, int64_t **out,
                             int *n)
{
    static const char sql[] = "SELECT DISTINCT owner_org_id FROM contract WHERE aanbieder_id = $1 "
                              "AND archived = 0 ORDER BY owner_org_id";
    struct db_stmt *st = NULL;
    size_t nr = 0;
    int ret;
    *out = NULL;
    if (!(ret = db_prepare(db, "contract.owners", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, aanbieder_id)))
        ret = db_collect_ids(a, st, out, &nr);
    db_done(st);
    *n = (int)nr;
    return ret;
}

int contract_store_gemeente_orgs(struct arena *a, struct db *db, const char (*codes)[5], int n,
                                 int64_t **out, int *nout)
{
    static const char sql[] =
        "SELECT id FROM organisation WHERE kind = 'gemeente' AND cbs_code = 'GM' || $1";
    int64_t *ids = n > 0 ? arena_calloc(a, (size_t)n, sizeof *ids) : NULL;
    *out = ids;
    *nout = 0;
    if (n > 0 && !ids)
        return ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        struct db_stmt *st = NULL;
        int ret = db_prepare(db, "contract.gemeente_org", sql, &st);
        if (!ret && !(ret = db_bind_text(st, 1, codes[i], (size_t)-1))) {
            int r = db_step(st);
            if (r == DB_ROW)
                ids[(*nout)++] = db_col_i64(st, 0);
            else if (r != DB_DONE)
                ret = r;
        }
        db_done(st);
        if (ret)
            return ret;
    }
    return 0;
}

static int read_choice(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct contract_indicator_choice *c = row;
    c->id = db_col_i64(st, 0);
    return db_col_dup(a, st, 1, &c->code) && db_col_dup(a, st, 2, &c->name) ? 0 : ERR_NOMEM;
}

int contract_store_indicators(struct arena *a, struct db *db,
                              struct contract_indicator_choice **out, int *n)
{
    static const char sql[] =
        "SELECT id, code, coalesce(json_extract(definition, '$.naam'), code) AS naam FROM "
        "indicator WHERE archived = 0 ORDER BY naam, id LIMIT 500";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t nr = 0;
    int ret = db_prepare(db, "contract.indicators", sql, &st);
    if (!ret)
        ret = db_collect(a, st, sizeof(struct contract_indicator_choice), read_choice, NULL, &rows,
                         &nr);
    db_done(st);
    *out = rows;
    *n = (int)nr;
    return ret;
}

int contract_store_indicator_ok(struct db *db, int64_t id, bool *ok)
{
    static const char sql[] = "SELECT 1 FROM indicator WHERE id = $1 AND archived = 0";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "contract.indicator_ok", sql, &st);
    *ok = false;
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        int r = db_step(st);
        if (r == DB_ROW)
            *ok = true;
        else if (r != DB_DONE)
            ret = r;
    }
    db_done(st);
    return ret;
}

/* ---- Claim lines. ---------------------------------------------------------------------------- */

int claim_store_insert(struct db *db, const struct claim_line_new *c)
{
    static const char sql[] =
        "INSERT INTO claim_line (batch_id, law, aanbieder_id, gemeente, declaration_nr, "
        "message_ident, reference, assignment_nr, category, product_code, period_from, "
        "period_to, volume, unit, tariff_cents, amount_cents, credit, client, test_person) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
        "$18, $19)";
    struct db_stmt *st = NULL;
    int ret;
    if (!(ret = db_prepare(db, "claim.insert", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, c->batch_id)) && !(ret = db_bind_i64(st, 2, c->law)) &&
        !(ret = db_bind_i64(st, 3, c->aanbieder_id)) &&
        !(ret = db_bind_text(st, 4, c->gemeente, (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, c->declaration_nr, (size_t)-1)) &&
        !(ret = db_bind_text(st, 6, c->message_ident ? c->message_ident : "", (size_t)-1)) &&
        !(ret = db_bind_text(st, 7, c->reference ? c->reference : "", (size_t)-1)) &&
        !(ret =
              c->assignment_nr < 0 ? db_bind_null(st, 8) : db_bind_i64(st, 8, c->assignment_nr)) &&
        !(ret = db_bind_text(st, 9, c->category, (size_t)-1)) &&
        !(ret = db_bind_text(st, 10, c->product_code ? c->product_code : "", (size_t)-1)) &&
        !(ret = db_bind_i64(st, 11, c->period_from)) &&
        !(ret = db_bind_i64(st, 12, c->period_to)) &&
        !(ret = c->volume < 0 ? db_bind_null(st, 13) : db_bind_i64(st, 13, c->volume)) &&
        !(ret = c->unit && *c->unit ? db_bind_text(st, 14, c->unit, (size_t)-1)
                                    : db_bind_null(st, 14)) &&
        !(ret =
              c->tariff_cents < 0 ? db_bind_null(st, 15) : db_bind_i64(st, 15, c->tariff_cents)) &&
        !(ret = db_bind_i64(st, 16, c->amount_cents)) &&
        !(ret = db_bind_i64(st, 17, c->credit ? 1 : 0)) &&
        !(ret = db_bind_blob(st, 18, c->client, PSEUDONYM_BYTES)) &&
        !(ret = db_bind_i64(st, 19, c->test_person ? 1 : 0)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int claim_store_delete_batch(struct db *db, int64_t batch_id)
{
    static const char sql[] = "DELETE FROM claim_line WHERE batch_id = $1";
    struct db_stmt *st = NULL;
    int ret;
    if (!(ret = db_prepare(db, "claim.delete_batch", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, batch_id)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int claim_store_count_batch(struct db *db, int64_t batch_id, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM claim_line WHERE batch_id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "claim.count_batch", sql, &st);
    *n = 0;
    if (!ret && !(ret = db_bind_i64(st, 1, batch_id))) {
        int r = db_step(st);
        if (r == DB_ROW)
            *n = db_col_i64(st, 0);
        else
            ret = r < 0 ? r : ERR_DB;
    }
    db_done(st);
    return ret;
}

/* ---- Sums. ----------------------------------------------------------------------------------
 * The scope (gemeenten, products) is put into two temporary tables so one statement can join
 * them; the temp tables live per connection and are refilled per call. */

static int scope_load(struct db *db, const struct contract_scope *sc)
{
    static const char mk[] =
        "CREATE TEMP TABLE IF NOT EXISTS scope_gemeente (gemeente TEXT PRIMARY KEY); "
        "CREATE TEMP TABLE IF NOT EXISTS scope_product (category TEXT, code TEXT); "
        "DELETE FROM scope_gemeente; DELETE FROM scope_product;";
    static const char ig[] = "INSERT OR IGNORE INTO temp.scope_gemeente VALUES ($1)";
    static const char ip[] = "INSERT INTO temp.scope_product VALUES ($1, $2)";
    int ret = db_exec(db, mk);
    for (int i = 0; i < sc->ngemeenten && !ret; i++) {
        struct db_stmt *st = NULL;
        if (!(ret = db_prepare(db, "contract.scope_g", ig, &st)) &&
            !(ret = db_bind_text(st, 1, sc->gemeenten[i], (size_t)-1)))
            ret = db_run(st);
        db_done(st);
    }
    for (int i = 0; i < sc->nproducts && !ret; i++) {
        struct db_stmt *st = NULL;
        if (!(ret = db_prepare(db, "contract.scope_p", ip, &st)) &&
            !(ret = db_bind_text(st, 1, sc->products[i].category, (size_t)-1)) &&
            !(ret = db_bind_text(st, 2, sc->products[i].code, (size_t)-1)))
            ret = db_run(st);
        db_done(st);
    }
    return ret;
}

/* A row x (claim_line or trajectory) is in scope. A contract without products covers every
 * product of its law. */
#define IN_SCOPE(x)                                                                                \
    " x.aanbieder_id = $1 AND x.law = $2 AND x.gemeente IN (SELECT gemeente FROM "                 \
    "temp.scope_gemeente) AND (NOT EXISTS (SELECT 1 FROM temp.scope_product) OR EXISTS (SELECT "   \
    "1 FROM temp.scope_product sp WHERE sp.category = x.category AND (sp.code = '' OR sp.code = "  \
    "x.product_code))) "

int contract_store_claims_by_month(struct db *db, const struct contract_scope *sc, int year,
                                   int64_t months[12])
{
    static const char sql[] =
        "SELECT CAST(strftime('%m', x.period_from * 86400, 'unixepoch') AS INTEGER), "
        "sum(CASE WHEN x.credit = 1 THEN -x.amount_cents ELSE x.amount_cents END) "
        "FROM claim_line x JOIN import_batch b ON b.id = x.batch_id AND b.status = 'actief' "
        "WHERE" IN_SCOPE(x) "AND x.test_person = 0 AND x.period_from >= $3 AND "
                            "x.period_from < $4 GROUP BY 1";
    memset(months, 0, 12 * sizeof *months);
    int ret = scope_load(db, sc);
    if (ret)
        return ret;
    struct db_stmt *st = NULL;
    if (!(ret = db_prepare(db, "contract.claims_month", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, sc->aanbieder_id)) && !(ret = db_bind_i64(st, 2, sc->law)) &&
        !(ret = db_bind_i64(st, 3, day_from_ymd(year, 1, 1))) &&
        !(ret = db_bind_i64(st, 4, day_from_ymd(year + 1, 1, 1)))) {
        int r;
        while ((r = db_step(st)) == DB_ROW) {
            int64_t m = db_col_i64(st, 0);
            if (m >= 1 && m <= 12)
                months[m - 1] = db_col_i64(st, 1);
        }
        if (r != DB_DONE)
            ret = r;
    }
    db_done(st);
    return ret;
}

int contract_store_claim_counts(struct db *db, const struct contract_scope *sc, int year,
                                int64_t *lines, int64_t *clients)
{
    static const char sql[] =
        "SELECT count(*), count(DISTINCT x.client) FROM claim_line x JOIN import_batch b ON "
        "b.id = x.batch_id AND b.status = 'actief' WHERE" IN_SCOPE(
            x) "AND x.test_person = 0 AND x.period_from >= $3 AND x.period_from < $4";
    *lines = *clients = 0;
    int ret = scope_load(db, sc);
    if (ret)
        return ret;
    struct db_stmt *st = NULL;
    if (!(ret = db_prepare(db, "contract.claim_counts", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, sc->aanbieder_id)) && !(ret = db_bind_i64(st, 2, sc->law)) &&
        !(ret = db_bind_i64(st, 3, day_from_ymd(year, 1, 1))) &&
        !(ret = db_bind_i64(st, 4, day_from_ymd(year + 1, 1, 1)))) {
        int r = db_step(st);
        if (r == DB_ROW) {
            *lines = db_col_i64(st, 0);
            *clients = db_col_i64(st, 1);
        } else {
            ret = r < 0 ? r : ERR_DB;
        }
    }
    db_done(st);
    return ret;
}

static int read_i32(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a, (void)ctx;
    *(int32_t *)row = (int32_t)db_col_i64(st, 0);
    return 0;
}

int contract_store_traj_counts(struct arena *a, struct db *db, const struct contract_scope *sc,
                               int year, struct contract_traj_counts *out)
{
    /* Trajectories are rebuilt on every import and undo, so the rows present are current;
     * those of test persons carry TRAJ_TEST_PERSON (16) and are left out. */
    static const char counts[] =
        "SELECT count(DISTINCT x.person_id), count(*), "
        "sum(x.start_date >= $3 AND x.start_date < $4), "
        "sum(x.end_date IS NOT NULL AND x.end_date >= $3 AND x.end_date < $4) "
        "FROM trajectory x WHERE" IN_SCOPE(
            x) "AND x.start_date < $4 AND (x.end_date IS NULL OR x.end_date >= $3) "
               "AND (x.flags & 16) = 0"; /* TRAJ_TEST_PERSON */
    static const char durations[] =
        "SELECT x.end_date - x.start_date FROM trajectory x WHERE" IN_SCOPE(
            x) "AND x.end_date IS NOT NULL AND x.end_date >= $3 AND x.end_date < $4 "
               "AND (x.flags & 16) = 0 ORDER BY 1";
    memset(out, 0, sizeof *out);
    int ret = scope_load(db, sc);
    if (ret)
        return ret;
    struct db_stmt *st = NULL;
    int64_t lo = day_from_ymd(year, 1, 1), hi = day_from_ymd(year + 1, 1, 1);
    if (!(ret = db_prepare(db, "contract.traj_counts", counts, &st)) &&
        !(ret = db_bind_i64(st, 1, sc->aanbieder_id)) && !(ret = db_bind_i64(st, 2, sc->law)) &&
        !(ret = db_bind_i64(st, 3, lo)) && !(ret = db_bind_i64(st, 4, hi))) {
        int r = db_step(st);
        if (r == DB_ROW) {
            out->clients = db_col_i64(st, 0);
            out->trajectories = db_col_i64(st, 1);
            out->started = db_col_i64(st, 2);
            out->ended = db_col_i64(st, 3);
        } else {
            ret = r < 0 ? r : ERR_DB;
        }
    }
    db_done(st);
    if (ret)
        return ret;
    void *rows = NULL;
    size_t n = 0;
    if (!(ret = db_prepare(db, "contract.traj_durations", durations, &st)) &&
        !(ret = db_bind_i64(st, 1, sc->aanbieder_id)) && !(ret = db_bind_i64(st, 2, sc->law)) &&
        !(ret = db_bind_i64(st, 3, lo)) && !(ret = db_bind_i64(st, 4, hi)))
        ret = db_collect(a, st, sizeof(int32_t), read_i32, NULL, &rows, &n);
    db_done(st);
    out->durations = rows;
    out->ndurations = (int64_t)n;
    return ret;
}
