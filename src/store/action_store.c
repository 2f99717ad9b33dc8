/*
 * action_store.c: SQL of improvement actions, their linked indicators (with the baseline kept
 * from when the action was agreed) and their append-only history. Every write appends its
 * history row in the caller's transaction; edits are guarded by the version column
 * (optimistic locking).
 */
#include "store/action_store.h"
#include "core/common.h"

/* Codes as stored; the store maps them itself (it sits below domain/). */
static const char *const status_codes[] = {
    [ACTION_OPEN] = "open",
    [ACTION_BEZIG] = "bezig",
    [ACTION_KLAAR] = "klaar",
    [ACTION_VERVALLEN] = "vervallen",
};
static const char *const side_codes[] = {
    [SIDE_GEMEENTE] = "gemeente",
    [SIDE_AANBIEDER] = "aanbieder",
    [SIDE_SAMENWERKINGSVERBAND] = "samenwerkingsverband",
};

static int code_index(const char *const *codes, int min, int max, const char *code)
{
    for (int k = min; code && k <= max; k++)
        if (strcmp(codes[k], code) == 0)
            return k;
    return 0;
}

static int bind_opt_i64(struct db_stmt *st, int n, int64_t v)
{
    return v > 0 ? db_bind_i64(st, n, v) : db_bind_null(st, n);
}

static int append_event(struct db *db, int64_t id, const char *from, const char *to,
                        const struct action_change *ch)
{
    static const char sql[] =
        "INSERT INTO improvement_action_event (action_id, at, user_id, user_login, from_status, "
        "to_status, note) VALUES ($1, $2, $3, "
        "coalesce((SELECT login FROM user_account WHERE id = $3), $4), $5, $6, $7)";
    struct db_stmt *st = NULL;
    int ret;
    if (!(ret = db_prepare(db, "action.event", sql, &st)) && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_text(st, 2, ch->now, (size_t)-1)) &&
        !(ret = bind_opt_i64(st, 3, ch->user_id)) &&
        !(ret = db_bind_text(st, 4, ch->user_login, (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, from, (size_t)-1)) &&
        !(ret = db_bind_text(st, 6, to, (size_t)-1)) &&
        !(ret = db_bind_text(st, 7, ch->note ? ch->note : "", (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

static const struct action_baseline *baseline_of(const struct action_values *v, int64_t ind)
{
    for (int k = 0; v->baselines && k < v->nbaselines; k++)
        if (v->baselines[k].indicator_id == ind)
            return &v->baselines[k];
    return NULL;
}

/* Links the indicators of v that are not linked yet (those keep their baseline) and unlinks
 * the ones no longer in v. */
static int write_indicators(struct db *db, int64_t id, const struct action_values *v)
{
    static const char ins[] =
        "INSERT OR IGNORE INTO improvement_action_indicator (action_id, indicator_id, baseline, "
        "baseline_period) VALUES ($1, $2, $3, $4)";
    static const char cur[] =
        "SELECT indicator_id FROM improvement_action_indicator WHERE action_id = $1";
    static const char del[] =
        "DELETE FROM improvement_action_indicator WHERE action_id = $1 AND indicator_id = $2";
    int64_t old[ACTION_MAX_INDICATORS * 2];
    int nold = 0;
    struct db_stmt *st = NULL;
    int ret = 0;

    if ((ret = db_prepare(db, "action.ind_current", cur, &st)) || (ret = db_bind_i64(st, 1, id)))
        goto out;
    while ((ret = db_step(st)) == DB_ROW)
        if (nold < (int)ARRAY_LEN(old))
            old[nold++] = db_col_i64(st, 0);
    if (ret < 0)
        goto out;
    ret = 0;
    db_done(st);
    st = NULL;
    for (int k = 0; k < nold && !ret; k++) {
        bool keep = false;
        for (int j = 0; j < v->nindicators && !keep; j++)
            keep = v->indicator_ids[j] == old[k];
        if (keep)
            continue;
        if (!(ret = db_prepare(db, "action.ind_delete", del, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, old[k])))
            ret = db_run(st);
        db_done(st);
        st = NULL;
    }
    for (int k = 0; k < v->nindicators && !ret; k++) {
        const struct action_baseline *b = baseline_of(v, v->indicator_ids[k]);
        if (!(ret = db_prepare(db, "action.ind_insert", ins, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, v->indicator_ids[k])) &&
            !(ret = b && b->has_value ? db_bind_double(st, 3, b->value) : db_bind_null(st, 3)))
            ret = db_bind_text(st, 4, b && b->has_value ? b->period : NULL, (size_t)-1);
        if (!ret)
            ret = db_run(st);
        db_done(st);
        st = NULL;
    }
out:
    db_done(st);
    return ret;
}

int action_store_insert(struct db *db, const struct action_values *v,
                        const struct action_change *ch, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO improvement_action (conversation_id, owner_org_id, owner_side, "
        "owner_user_id, description, expected_effect, due_on, status, drop_reason, gemeente, "
        "version, created_at, updated_at, created_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', '', $8, 1, $9, $9, $10)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "action.insert", sql, &st);
    if (!ret && !(ret = bind_opt_i64(st, 1, v->conversation_id)) &&
        !(ret = db_bind_i64(st, 2, v->owner_org_id)) &&
        !(ret = db_bind_text(st, 3, v->owner_side_code, (size_t)-1)) &&
        !(ret = bind_opt_i64(st, 4, v->owner_user_id)) &&
        !(ret = db_bind_text(st, 5, v->description, (size_t)-1)) &&
        !(ret = db_bind_text(st, 6, v->expected_effect ? v->expected_effect : "", (size_t)-1)) &&
        !(ret = db_bind_i64(st, 7, v->due_on)) &&
        !(ret = db_bind_text(st, 8, v->gemeente, (size_t)-1)) &&
        !(ret = db_bind_text(st, 9, ch->now, (size_t)-1)) &&
        !(ret = bind_opt_i64(st, 10, ch->user_id)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    int64_t id = db_last_insert_id(db);
    if ((ret = write_indicators(db, id, v)) || (ret = append_event(db, id, NULL, "open", ch)))
        return ret;
    *id_out = id;
    return 0;
}

/* The status of action id (as stored), for the edit event. */
static int current_status(struct db *db, int64_t id, char out[16])
{
    static const char sql[] = "SELECT status FROM improvement_action WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "action.status", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            snprintf(out, 16, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = ERR_NOT_FOUND;
        }
    }
    db_done(st);
    return ret;
}

int action_store_update(struct db *db, int64_t id, int64_t version, const struct action_values *v,
                        const struct action_change *ch)
{
    static const char sql[] =
        "UPDATE improvement_action SET owner_org_id = $3, owner_side = $4, owner_user_id = $5, "
        "description = $6, expected_effect = $7, due_on = $8, version = version + 1, "
        "updated_at = $9 WHERE id = $1 AND version = $2";
    char status[16];
    struct db_stmt *st = NULL;
    int ret = current_status(db, id, status);
    if (ret)
        return ret;
    if (!(ret = db_prepare(db, "action.update", sql, &st)) && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_i64(st, 2, version)) && !(ret = db_bind_i64(st, 3, v->owner_org_id)) &&
        !(ret = db_bind_text(st, 4, v->owner_side_code, (size_t)-1)) &&
        !(ret = bind_opt_i64(st, 5, v->owner_user_id)) &&
        !(ret = db_bind_text(st, 6, v->description, (size_t)-1)) &&
        !(ret = db_bind_text(st, 7, v->expected_effect ? v->expected_effect : "", (size_t)-1)) &&
        !(ret = db_bind_i64(st, 8, v->due_on)) && !(ret = db_bind_text(st, 9, ch->now, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    if (db_changes(db) != 1)
        return ERR_CONFLICT;
    if ((ret = write_indicators(db, id, v)))
        return ret;
    /* An edit keeps the status: the history shows it as from == to. */
    return append_event(db, id, status, status, ch);
}

int action_store_set_status(struct db *db, int64_t id, int64_t version, const char *from_code,
                            const char *to_code, const char *drop_reason,
                            const struct action_change *ch)
{
    static const char sql[] =
        "UPDATE improvement_action SET status = $3, drop_reason = $4, version = version + 1, "
        "updated_at = $5 WHERE id = $1 AND version = $2 AND status = $6";
    struct db_stmt *st = NULL;
    int ret;
    if (!(ret = db_prepare(db, "action.set_status", sql, &st)) && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_i64(st, 2, version)) && !(ret = db_bind_text(st, 3, to_code, (size_t)-1)) &&
        !(ret = db_bind_text(st, 4, drop_reason ? drop_reason : "", (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, ch->now, (size_t)-1)) &&
        !(ret = db_bind_text(st, 6, from_code, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    if (db_changes(db) != 1)
        return ERR_CONFLICT;
    return append_event(db, id, from_code, to_code, ch);
}

#define ACTION_COLUMNS                                                                             \
    "a.id, a.conversation_id, c.title, a.owner_org_id, o.name, a.owner_side, a.owner_user_id, "    \
    "u.display_name, a.description, a.expected_effect, a.due_on, a.status, a.drop_reason, "        \
    "a.gemeente, a.version, a.created_at, a.updated_at, a.created_by "
#define ACTION_FROM                                                                                \
    "FROM improvement_action a JOIN organisation o ON o.id = a.owner_org_id "                      \
    "LEFT JOIN conversation c ON c.id = a.conversation_id "                                        \
    "LEFT JOIN user_account u ON u.id = a.owner_user_id "

static int read_action(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct improvement_action *out = row;
    memset(out, 0, sizeof *out);
    out->id = db_col_i64(st, 0);
    out->conversation_id = db_col_i64(st, 1);
    out->owner_org_id = db_col_i64(st, 3);
    out->owner_side = (enum conv_side)code_index(side_codes, SIDE_GEMEENTE,
                                                 SIDE_SAMENWERKINGSVERBAND, db_col_text(st, 5));
    out->owner_user_id = db_col_i64(st, 6);
    out->due_on = (day_t)db_col_i64(st, 10);
    out->status = (enum action_status)code_index(status_codes, ACTION_STATUS_MIN, ACTION_STATUS_MAX,
                                                 db_col_text(st, 11));
    out->version = db_col_i64(st, 14);
    out->created_by = db_col_i64(st, 17);
    if (!db_col_dup(a, st, 2, &out->conversation_title) ||
        !db_col_dup(a, st, 4, &out->owner_name) || !db_col_dup(a, st, 7, &out->owner_user_name) ||
        !db_col_dup(a, st, 8, &out->description) || !db_col_dup(a, st, 9, &out->expected_effect) ||
        !db_col_dup(a, st, 12, &out->drop_reason) || !db_col_dup(a, st, 13, &out->gemeente) ||
        !db_col_dup(a, st, 15, &out->created_at) || !db_col_dup(a, st, 16, &out->updated_at))
        return ERR_TOO_BIG;
    return 0;
}

static int read_indicator(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct action_indicator *out = row;
    memset(out, 0, sizeof *out);
    out->indicator_id = db_col_i64(st, 0);
    out->has_baseline = !db_col_is_null(st, 2);
    out->baseline = out->has_baseline ? db_col_double(st, 2) : 0;
    if (!db_col_dup(a, st, 1, &out->name) || !db_col_dup(a, st, 3, &out->baseline_period))
        return ERR_TOO_BIG;
    if (!out->name)
        out->name = "";
    return 0;
}

static int read_event(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct action_event *out = row;
    memset(out, 0, sizeof *out);
    out->id = db_col_i64(st, 0);
    out->user_id = db_col_i64(st, 2);
    out->from_status =
        code_index(status_codes, ACTION_STATUS_MIN, ACTION_STATUS_MAX, db_col_text(st, 4));
    out->to_status = (enum action_status)code_index(status_codes, ACTION_STATUS_MIN,
                                                    ACTION_STATUS_MAX, db_col_text(st, 5));
    if (!db_col_dup(a, st, 1, &out->at) || !db_col_dup(a, st, 3, &out->user_login) ||
        !db_col_dup(a, st, 6, &out->note))
        return ERR_TOO_BIG;
    return 0;
}

static int load_indicators(struct arena *a, struct db *db, struct improvement_action *out)
{
    static const char sql[] =
        "SELECT l.indicator_id, coalesce(json_extract(i.definition, '$.naam'), i.code), "
        "l.baseline, l.baseline_period FROM improvement_action_indicator l "
        "JOIN indicator i ON i.id = l.indicator_id WHERE l.action_id = $1 ORDER BY 2, 1";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t n = 0;
    int ret;
    if (!(ret = db_prepare(db, "action.indicators", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, out->id)) &&
        !(ret = db_collect(a, st, sizeof(struct action_indicator), read_indicator, NULL, &rows,
                           &n))) {
        out->indicators = rows;
        out->nindicators = (int)n;
    }
    db_done(st);
    return ret;
}

static int load_events(struct arena *a, struct db *db, struct improvement_action *out)
{
    static const char sql[] =
        "SELECT id, at, user_id, user_login, from_status, to_status, note "
        "FROM improvement_action_event WHERE action_id = $1 ORDER BY id LIMIT $2";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t n = 0;
    int ret;
    if (!(ret = db_prepare(db, "action.events", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, out->id)) && !(ret = db_bind_i64(st, 2, ACTION_HISTORY_MAX)) &&
        !(ret = db_collect(a, st, sizeof(struct action_event), read_event, NULL, &rows, &n))) {
        out->events = rows;
        out->nevents = (int)n;
    }
    db_done(st);
    return ret;
}

int action_store_get(struct arena *a, struct db *db, int64_t id, bool with_history,
                     struct improvement_action *out)
{
    static const char sql[] = "SELECT " ACTION_COLUMNS ACTION_FROM "WHERE a.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "action.get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = read_action(a, st, out, NULL);
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    if (ret)
        return ret;
    if ((ret = load_indicators(a, db, out)))
        return ret;
    return with_history ? load_events(a, db, out) : 0;
}

int action_store_scan(struct arena *a, struct db *db, const struct action_query *q, int cap,
                      struct improvement_action **out, int *n)
{
    /* $8: a bit set of statuses (bit 1 open .. bit 4 vervallen), as ACTION_STATUS_BIT. */
    static const char sql[] =
        "SELECT " ACTION_COLUMNS ACTION_FROM "WHERE ($1 = 0 OR a.conversation_id = $1) "
        "AND ($2 = 0 OR a.owner_org_id = $2) "
        "AND ($3 = 0 OR a.owner_org_id = $3 OR a.conversation_id IN "
        "  (SELECT p.conversation_id FROM conversation_party p WHERE p.org_id = $3)) "
        "AND ($4 = 0 OR a.owner_org_id = $4 OR a.gemeente IN "
        "  (SELECT substr(g.cbs_code, 3) FROM organisation_parent op "
        "   JOIN organisation g ON g.id = op.child_id "
        "   WHERE op.parent_id = $4 AND g.cbs_code IS NOT NULL)) "
        "AND ($5 = 0 OR a.conversation_id IN "
        "  (SELECT r.conversation_id FROM conversation_result r WHERE r.result_id = $5)) "
        "AND ($6 = 0 OR a.owner_user_id = $6) "
        "AND ($7 IS NULL OR a.gemeente = $7) "
        "AND ($8 = 0 OR (($8 >> CASE a.status WHEN 'open' THEN 1 WHEN 'bezig' THEN 2 "
        "  WHEN 'klaar' THEN 3 ELSE 4 END) & 1) = 1) "
        "AND ($9 = 0 OR (a.status IN ('open', 'bezig') AND a.due_on < $10)) "
        "ORDER BY (a.status IN ('open', 'bezig') AND a.due_on < $10) DESC, "
        "a.status IN ('klaar', 'vervallen'), a.due_on, a.id LIMIT $11";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "action.scan", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, q->conversation_id)) &&
        !(ret = db_bind_i64(st, 2, q->owner_org_id)) &&
        !(ret = db_bind_i64(st, 3, q->aanbieder_id)) && !(ret = db_bind_i64(st, 4, q->region_id)) &&
        !(ret = db_bind_i64(st, 5, q->result_id)) &&
        !(ret = db_bind_i64(st, 6, q->owner_user_id)) &&
        !(ret = db_bind_text(st, 7, q->gemeente, (size_t)-1)) &&
        !(ret = db_bind_i64(st, 8, q->status_mask)) &&
        !(ret = db_bind_i64(st, 9, q->overdue_only ? 1 : 0)) &&
        !(ret = db_bind_i64(st, 10, q->today)) && !(ret = db_bind_i64(st, 11, cap)) &&
        !(ret = db_collect(a, st, sizeof(struct improvement_action), read_action, NULL, &rows,
                           &got))) {
        *out = rows;
        *n = (int)got;
    }
    db_done(st);
    return ret;
}

int action_store_fill_indicators(struct arena *a, struct db *db, struct improvement_action *rows,
                                 int n)
{
    int ret = 0;
    for (int k = 0; k < n && !ret; k++)
        ret = load_indicators(a, db, &rows[k]);
    return ret;
}

int action_store_user_fits(struct db *db, int64_t user_id, int64_t org_id, int64_t conv_id,
                           bool *fits)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM user_account WHERE id = $1 AND org_id = $2 AND active = 1) "
        "OR EXISTS (SELECT 1 FROM conversation_participant WHERE conversation_id = $3 "
        "AND user_id = $1)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "action.user_fits", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, user_id)) && !(ret = db_bind_i64(st, 2, org_id)) &&
        !(ret = db_bind_i64(st, 3, conv_id))) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            *fits = db_col_i64(st, 0) != 0;
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = ERR_DB;
        }
    }
    db_done(st);
    return ret;
}

int action_store_indicator_choices(struct arena *a, struct db *db, int64_t conv_id,
                                   struct action_indicator **out, int *n)
{
    static const char sql[] =
        "SELECT DISTINCT i.id, coalesce(json_extract(i.definition, '$.naam'), i.code), NULL, NULL "
        "FROM conversation_result cr JOIN result_indicator ri ON ri.result_id = cr.result_id "
        "JOIN indicator i ON i.id = ri.indicator_id "
        "WHERE cr.conversation_id = $1 AND i.archived = 0 ORDER BY 2, 1 LIMIT 500";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "action.indicator_choices", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, conv_id)) &&
        !(ret = db_collect(a, st, sizeof(struct action_indicator), read_indicator, NULL, &rows,
                           &got))) {
        *out = rows;
        *n = (int)got;
    }
    db_done(st);
    return ret;
}
