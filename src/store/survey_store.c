/*
 * survey_store.c: SQL of anonymous survey responses (survey_store.h). A response is written
 * with its answers in the caller's transaction; nothing here links it to a person.
 */
#include "store/survey_store.h"
#include "core/common.h"
#include "core/buf.h"

int survey_store_insert(struct db *db, const struct survey_response_row *r,
                        const struct survey_answer_row *answers, size_t n, int64_t *id_out)
{
    static const char resp_sql[] =
        "INSERT INTO survey_response (round_id, gemeente, aanbieder_id, law, category, age, "
        "gender, response_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    static const char ans_sql[] =
        "INSERT INTO survey_answer (response_id, item, value) VALUES ($1, $2, $3)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.insert_response", resp_sql, &st);
    if (ret)
        goto out;
    if ((ret = r->round_id > 0 ? db_bind_i64(st, 1, r->round_id) : db_bind_null(st, 1)) ||
        (ret = db_bind_text(st, 2, r->gemeente, (size_t)-1)) ||
        (ret = r->aanbieder_id > 0 ? db_bind_i64(st, 3, r->aanbieder_id) : db_bind_null(st, 3)) ||
        (ret = r->law > 0 ? db_bind_i64(st, 4, r->law) : db_bind_null(st, 4)) ||
        (ret = db_bind_text(st, 5, r->category, (size_t)-1)) ||
        (ret = r->age >= 0 ? db_bind_i64(st, 6, r->age) : db_bind_null(st, 6)) ||
        (ret = db_bind_text(st, 7, r->gender, (size_t)-1)) ||
        (ret = db_bind_i64(st, 8, r->response_date)))
        goto out;
    if ((ret = db_run(st)))
        goto out;
    int64_t id = db_last_insert_id(db);
    db_done(st);
    st = NULL;
    for (size_t i = 0; i < n; i++) {
        if ((ret = db_prepare(db, "survey.insert_answer", ans_sql, &st)) ||
            (ret = db_bind_i64(st, 1, id)) ||
            (ret = db_bind_text(st, 2, answers[i].item, (size_t)-1)) ||
            (ret = db_bind_i64(st, 3, answers[i].value)) || (ret = db_run(st)))
            goto out;
        db_done(st);
        st = NULL;
    }
    if (id_out)
        *id_out = id;
out:
    db_done(st);
    return ret;
}

int survey_store_insert_open(struct db *db, int64_t response_id, const char *item, const char *text,
                             unsigned flags, const char *review)
{
    static const char sql[] = "INSERT INTO survey_open_answer (response_id, item, text, flags, "
                              "review) VALUES ($1, $2, $3, $4, $5)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.insert_open", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, response_id)) &&
        !(ret = db_bind_text(st, 2, item, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, text, (size_t)-1)) && !(ret = db_bind_i64(st, 4, flags)) &&
        !(ret = db_bind_text(st, 5, review, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int survey_store_use_invitation(struct db *db, int64_t invitation_id)
{
    /* The only change an answer makes to an invitation; its changes() is the single-use test. */
    static const char sql[] = "UPDATE survey_invitation SET used = 1 WHERE id = $1 AND used = 0";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.use_invitation", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, invitation_id)))
        ret = db_run(st);
    db_done(st);
    if (!ret && db_changes(db) != 1)
        ret = ERR_CONFLICT;
    return ret;
}

int survey_store_invitation_used(struct db *db, int64_t invitation_id, bool *used)
{
    static const char sql[] = "SELECT used FROM survey_invitation WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.invitation_used", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, invitation_id))) {
        int r = db_step(st);
        if (r == DB_ROW)
            *used = db_col_i64(st, 0) != 0;
        else
            ret = r == DB_DONE ? ERR_NOT_FOUND : r;
    }
    db_done(st);
    return ret;
}

int survey_store_use_nonce(struct db *db, int64_t round_id, const unsigned char hash[32])
{
    static const char sql[] = "INSERT INTO survey_nonce (round_id, nonce_hash) VALUES ($1, $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.use_nonce", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, round_id)) && !(ret = db_bind_blob(st, 2, hash, 32)))
        ret = db_run(st); /* the primary key makes a replay ERR_CONFLICT */
    db_done(st);
    return ret;
}

int survey_store_count_response(struct db *db, int64_t round_id)
{
    static const char sql[] = "UPDATE survey_round SET n_responses = n_responses + 1 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.count_response", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, round_id)))
        ret = db_run(st);
    db_done(st);
    if (!ret && db_changes(db) != 1)
        ret = ERR_NOT_FOUND;
    return ret;
}

int survey_store_draft_save(struct db *db, int64_t invitation_id, const char *json, int32_t day)
{
    static const char sql[] =
        "INSERT INTO survey_draft (invitation_id, answers, saved_on) VALUES ($1, $2, $3) "
        "ON CONFLICT (invitation_id) DO UPDATE SET answers = excluded.answers, "
        "saved_on = excluded.saved_on";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.draft_save", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, invitation_id)) &&
        !(ret = db_bind_text(st, 2, json, (size_t)-1)) && !(ret = db_bind_i64(st, 3, day)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int survey_store_draft_load(struct arena *a, struct db *db, int64_t invitation_id,
                            const char **json_out)
{
    static const char sql[] = "SELECT answers FROM survey_draft WHERE invitation_id = $1";
    struct db_stmt *st = NULL;
    *json_out = NULL;
    int ret = db_prepare(db, "survey.draft_load", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, invitation_id))) {
        int r = db_step(st);
        if (r == DB_ROW) {
            if (!db_col_dup(a, st, 0, json_out))
                ret = ERR_NOMEM;
        } else if (r != DB_DONE) {
            ret = r;
        }
    }
    db_done(st);
    return ret;
}

int survey_store_drafts_expire(struct db *db, int32_t today)
{
    static const char sql[] =
        "DELETE FROM survey_draft WHERE invitation_id IN (SELECT i.id FROM survey_invitation i "
        "JOIN survey_round r ON r.id = i.round_id WHERE r.status <> 'open' OR r.closes_on < $1)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.drafts_expire", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, today)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int survey_store_invitation_open(struct db *db, int64_t invitation_id, int32_t today, bool *open)
{
    static const char sql[] =
        "SELECT r.status = 'open' AND r.opens_on <= $2 AND r.closes_on >= $2 FROM "
        "survey_invitation i JOIN survey_round r ON r.id = i.round_id WHERE i.id = $1";
    struct db_stmt *st = NULL;
    *open = false;
    int ret = db_prepare(db, "survey.invitation_open", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, invitation_id)) && !(ret = db_bind_i64(st, 2, today))) {
        int r = db_step(st);
        if (r == DB_ROW)
            *open = db_col_i64(st, 0) != 0;
        else
            ret = r == DB_DONE ? ERR_NOT_FOUND : r;
    }
    db_done(st);
    return ret;
}

int survey_store_draft_delete(struct db *db, int64_t invitation_id)
{
    static const char sql[] = "DELETE FROM survey_draft WHERE invitation_id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.draft_delete", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, invitation_id)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

/* ---- Results. ---------------------------------------------------------------------------------
 * The round ids travel as one JSON array parameter ("[3,7]", read with json_each), so every
 * statement is a constant string (the prepared-statement cache key) whatever the number. */

static const char *round_list_json(struct arena *a, const int64_t *ids, size_t n)
{
    struct buf b;
    buf_init(&b, 1024 * 1024);
    int ret = buf_append_str(&b, "[");
    for (size_t i = 0; !ret && i < n; i++)
        ret = buf_appendf(&b, "%s%" PRId64, i ? "," : "", ids[i]);
    if (!ret)
        ret = buf_append_str(&b, "]");
    const char *s = ret ? NULL : arena_strndup(a, b.p, b.len);
    buf_release(&b);
    return s;
}

struct count_ctx {
    bool with_key;
};

static int read_count(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    struct survey_count_row *r = row;
    const struct count_ctx *c = ctx;
    if (!db_col_dup(a, st, 0, &r->item))
        return ERR_NOMEM;
    r->value = db_col_i64(st, 1);
    r->n = db_col_i64(st, 2);
    r->key = NULL;
    if (c->with_key) {
        if (!db_col_dup(a, st, 3, &r->key))
            return ERR_NOMEM;
        if (!r->key)
            r->key = "";
    }
    return 0;
}

static int read_base(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    struct survey_base_row *r = row;
    const struct count_ctx *c = ctx;
    if (!db_col_dup(a, st, 0, &r->item))
        return ERR_NOMEM;
    r->n = db_col_i64(st, 1);
    r->key = NULL;
    if (c->with_key) {
        if (!db_col_dup(a, st, 2, &r->key))
            return ERR_NOMEM;
        if (!r->key)
            r->key = "";
    }
    return 0;
}

/* The breakdown key as text: $2 chooses the column (0 none, 1 gemeente, 2 aanbieder, 3 category),
 * so one statement serves every breakdown. */
#define DIM_KEY                                                                                    \
    "CASE $2 WHEN 1 THEN r.gemeente WHEN 2 THEN CAST(r.aanbieder_id AS TEXT) "                     \
    "WHEN 3 THEN r.category ELSE NULL END"

int survey_store_counts(struct arena *a, struct db *db, const int64_t *round_ids, size_t nrounds,
                        enum survey_dim dim, struct survey_count_row **rows, size_t *nrows,
                        struct survey_base_row **bases, size_t *nbases)
{
    static const char count_sql[] =
        "SELECT s.item, s.value, count(*), " DIM_KEY " AS k FROM survey_answer s "
        "JOIN survey_response r ON r.id = s.response_id "
        "WHERE r.round_id IN (SELECT value FROM json_each($1)) "
        "GROUP BY s.item, s.value, k ORDER BY s.item, s.value, k";
    /* Respondents per question: a meerkeuze question counts a response once however many
     * boxes it ticked; open answers count as answered. */
    static const char base_sql[] =
        "SELECT q, count(DISTINCT rid), k FROM ("
        " SELECT CASE WHEN instr(s.item, '__') > 0 THEN substr(s.item, 1, instr(s.item, '__') - 1)"
        "  ELSE s.item END AS q, r.id AS rid, " DIM_KEY " AS k FROM survey_answer s"
        " JOIN survey_response r ON r.id = s.response_id"
        " WHERE r.round_id IN (SELECT value FROM json_each($1))"
        " UNION ALL SELECT o.item, r.id, " DIM_KEY " FROM survey_open_answer o"
        " JOIN survey_response r ON r.id = o.response_id"
        " WHERE r.round_id IN (SELECT value FROM json_each($1))"
        ") GROUP BY q, k ORDER BY q, k";
    *rows = NULL;
    *bases = NULL;
    *nrows = *nbases = 0;
    const char *ids = round_list_json(a, round_ids, nrounds);
    if (!ids)
        return ERR_NOMEM;
    struct count_ctx c = {.with_key = dim != SURVEY_DIM_NONE};
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.counts", count_sql, &st);
    if (!ret && !(ret = db_bind_text(st, 1, ids, (size_t)-1)) && !(ret = db_bind_i64(st, 2, dim)))
        ret = db_collect(a, st, sizeof **rows, read_count, &c, (void **)rows, nrows);
    db_done(st);
    st = NULL;
    if (ret)
        return ret;
    ret = db_prepare(db, "survey.bases", base_sql, &st);
    if (!ret && !(ret = db_bind_text(st, 1, ids, (size_t)-1)) && !(ret = db_bind_i64(st, 2, dim)))
        ret = db_collect(a, st, sizeof **bases, read_base, &c, (void **)bases, nbases);
    db_done(st);
    return ret;
}

int survey_store_response_total(struct db *db, const int64_t *round_ids, size_t nrounds, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM survey_response "
                              "WHERE round_id IN (SELECT value FROM json_each($1))";
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    const char *ids = round_list_json(a, round_ids, nrounds);
    struct db_stmt *st = NULL;
    int ret = ids ? db_prepare(db, "survey.response_total", sql, &st) : ERR_NOMEM;
    if (!ret && !(ret = db_bind_text(st, 1, ids, (size_t)-1))) {
        int r = db_step(st);
        if (r == DB_ROW)
            *n = db_col_i64(st, 0);
        else
            ret = r == DB_DONE ? ERR_DB : r;
    }
    db_done(st);
    arena_free(a);
    return ret;
}

static int read_open(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    struct survey_open_row *r = row;
    (void)ctx;
    r->response_id = db_col_i64(st, 0);
    if (!db_col_dup(a, st, 1, &r->item) || !db_col_dup(a, st, 2, &r->text) ||
        !db_col_dup(a, st, 4, &r->review))
        return ERR_NOMEM;
    r->flags = (unsigned)db_col_i64(st, 3);
    r->round_id = db_col_i64(st, 5);
    r->response_date = (int32_t)db_col_i64(st, 6);
    return 0;
}

int survey_store_open_list(struct arena *a, struct db *db, const int64_t *round_ids, size_t nrounds,
                           const char *item, bool flagged_too, int limit, int offset,
                           struct survey_open_row **out, int *n, int *total)
{
    static const char sql[] =
        "SELECT o.response_id, o.item, o.text, o.flags, o.review, r.round_id, r.response_date, "
        "count(*) OVER () FROM survey_open_answer o JOIN survey_response r ON r.id = o.response_id "
        "WHERE r.round_id IN (SELECT value FROM json_each($1)) AND ($2 IS NULL OR o.item = $2) "
        "AND ($3 = 1 OR o.review <> 'te_beoordelen') "
        "ORDER BY o.response_id DESC, o.item LIMIT $4 OFFSET $5";
    *out = NULL;
    *n = 0;
    *total = 0;
    const char *ids = round_list_json(a, round_ids, nrounds);
    if (!ids)
        return ERR_NOMEM;
    struct db_stmt *st = NULL;
    size_t cnt = 0;
    int ret = db_prepare(db, "survey.open_list", sql, &st);
    if (!ret && !(ret = db_bind_text(st, 1, ids, (size_t)-1)) &&
        !(ret = db_bind_text(st, 2, item, (size_t)-1)) &&
        !(ret = db_bind_i64(st, 3, flagged_too ? 1 : 0)) && !(ret = db_bind_i64(st, 4, limit)) &&
        !(ret = db_bind_i64(st, 5, offset))) {
        /* The window count rides on every row; read it from the first. */
        int r;
        size_t cap = 0;
        while ((r = db_step(st)) == DB_ROW) {
            if (cnt == cap) {
                size_t nc = cap ? cap * 2 : 32;
                struct survey_open_row *na = arena_calloc(a, nc, sizeof *na);
                if (!na) {
                    ret = ERR_NOMEM;
                    break;
                }
                if (cnt)
                    memcpy(na, *out, cnt * sizeof *na);
                *out = na;
                cap = nc;
            }
            if ((ret = read_open(a, st, &(*out)[cnt], NULL)))
                break;
            *total = (int)db_col_i64(st, 7);
            cnt++;
        }
        if (!ret && r != DB_DONE)
            ret = r;
    }
    db_done(st);
    if (ret) {
        *out = NULL;
        return ret;
    }
    *n = (int)cnt;
    if (cnt == 0 && offset > 0) {
        /* Past the end: the total still matters for the pager. */
        static const char csql[] =
            "SELECT count(*) FROM survey_open_answer o JOIN survey_response r "
            "ON r.id = o.response_id WHERE r.round_id IN (SELECT value FROM json_each($1)) "
            "AND ($2 IS NULL OR o.item = $2) AND ($3 = 1 OR o.review <> 'te_beoordelen')";
        ret = db_prepare(db, "survey.open_count", csql, &st);
        if (!ret && !(ret = db_bind_text(st, 1, ids, (size_t)-1)) &&
            !(ret = db_bind_text(st, 2, item, (size_t)-1)) &&
            !(ret = db_bind_i64(st, 3, flagged_too ? 1 : 0)) && db_step(st) == DB_ROW)
            *total = (int)db_col_i64(st, 0);
        db_done(st);
    }
    return ret;
}

int survey_store_open_get(struct arena *a, struct db *db, int64_t response_id, const char *item,
                          struct survey_open_row *out)
{
    static const char sql[] =
        "SELECT o.response_id, o.item, o.text, o.flags, o.review, r.round_id, r.response_date "
        "FROM survey_open_answer o JOIN survey_response r ON r.id = o.response_id "
        "WHERE o.response_id = $1 AND o.item = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.open_get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, response_id)) &&
        !(ret = db_bind_text(st, 2, item, (size_t)-1))) {
        int r = db_step(st);
        if (r == DB_ROW)
            ret = read_open(a, st, out, NULL);
        else
            ret = r == DB_DONE ? ERR_NOT_FOUND : r;
    }
    db_done(st);
    return ret;
}

int survey_store_open_review(struct db *db, int64_t response_id, const char *item,
                             const char *review, const char *text)
{
    static const char sql[] =
        "UPDATE survey_open_answer SET review = $3, text = coalesce($4, text) "
        "WHERE response_id = $1 AND item = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.open_review", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, response_id)) &&
        !(ret = db_bind_text(st, 2, item, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, review, (size_t)-1)) &&
        !(ret = db_bind_text(st, 4, text, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (!ret && db_changes(db) != 1)
        ret = ERR_NOT_FOUND;
    return ret;
}
