/*
 * round_store.c: SQL for survey rounds and invitation codes. Invitations are found by their
 * keyed hash (unique index), never by scanning plain codes; counts for the response rate come
 * from the (round_id, used) index.
 */
#include "store/round_store.h"
#include "core/common.h"

int round_store_insert(struct db *db, const struct round_values *v, const char *now,
                       int64_t created_by, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO survey_round (survey_id, survey_version, owner_org_id, name, gemeente, "
        "aanbieder_id, law, category, opens_on, closes_on, status, public_slug, n_responses, "
        "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, "
        "$13, $14)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.insert", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, v->survey_id)) &&
        !(ret = db_bind_i64(st, 2, v->survey_version)) &&
        !(ret = db_bind_i64(st, 3, v->owner_org_id)) &&
        !(ret = db_bind_text(st, 4, v->name, (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, v->gemeente, (size_t)-1)) &&
        !(ret = v->aanbieder_id > 0 ? db_bind_i64(st, 6, v->aanbieder_id) : db_bind_null(st, 6)) &&
        !(ret = v->law > 0 ? db_bind_i64(st, 7, v->law) : db_bind_null(st, 7)) &&
        !(ret = db_bind_text(st, 8, v->category, (size_t)-1)) &&
        !(ret = db_bind_i64(st, 9, v->opens_on)) && !(ret = db_bind_i64(st, 10, v->closes_on)) &&
        !(ret = db_bind_text(st, 11, v->status_code, (size_t)-1)) &&
        !(ret = db_bind_text(st, 12, v->public_slug, (size_t)-1)) &&
        !(ret = db_bind_text(st, 13, now, (size_t)-1)) &&
        !(ret = created_by > 0 ? db_bind_i64(st, 14, created_by) : db_bind_null(st, 14)))
        ret = db_run(st);
    db_done(st);
    if (!ret)
        *id_out = db_last_insert_id(db);
    return ret;
}

int round_store_set_status(struct db *db, int64_t id, const char *status_code)
{
    static const char sql[] = "UPDATE survey_round SET status = $2 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.set_status", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_text(st, 2, status_code, (size_t)-1)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

int round_store_delete_drafts(struct db *db, int64_t id, int *n_out)
{
    static const char sql[] = "DELETE FROM survey_draft WHERE invitation_id IN "
                              "(SELECT id FROM survey_invitation WHERE round_id = $1)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.delete_drafts", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = db_run(st);
    if (!ret && n_out)
        *n_out = db_changes(db);
    db_done(st);
    return ret;
}

#define ROUND_COLUMNS                                                                              \
    "r.id, r.survey_id, r.survey_version, s.code, r.owner_org_id, o.name, r.name, r.gemeente, "    \
    "r.aanbieder_id, a.name, r.law, r.category, r.opens_on, r.closes_on, r.status, "               \
    "r.public_slug, r.n_responses, "                                                               \
    "(SELECT count(*) FROM survey_invitation i WHERE i.round_id = r.id), "                         \
    "(SELECT count(*) FROM survey_invitation i WHERE i.round_id = r.id AND i.used = 1), "          \
    "r.created_at "
#define ROUND_FROM                                                                                 \
    "FROM survey_round r JOIN survey s ON s.id = r.survey_id "                                     \
    "JOIN organisation o ON o.id = r.owner_org_id "                                                \
    "LEFT JOIN organisation a ON a.id = r.aanbieder_id "

static int read_round(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct survey_round *out = row;
    struct survey_round r = {
        .id = db_col_i64(st, 0),
        .survey_id = db_col_i64(st, 1),
        .survey_version = db_col_i64(st, 2),
        .owner_org_id = db_col_i64(st, 4),
        .aanbieder_id = db_col_is_null(st, 8) ? 0 : db_col_i64(st, 8),
        .law = db_col_is_null(st, 10) ? 0 : (int)db_col_i64(st, 10),
        .opens_on = (int32_t)db_col_i64(st, 12),
        .closes_on = (int32_t)db_col_i64(st, 13),
        .n_responses = db_col_i64(st, 16),
        .n_invitations = db_col_i64(st, 17),
        .n_used = db_col_i64(st, 18),
    };
    enum round_status status;
    if (!db_col_text(st, 14) || round_status_parse(db_col_text(st, 14), &status))
        return ERR_INVALID;
    r.status = status;
    if (!db_col_dup(a, st, 3, &r.survey_code) || !db_col_dup(a, st, 5, &r.owner_name) ||
        !db_col_dup(a, st, 6, &r.name) || !db_col_dup(a, st, 7, &r.gemeente) ||
        !db_col_dup(a, st, 9, &r.aanbieder_name) || !db_col_dup(a, st, 11, &r.category) ||
        !db_col_dup(a, st, 15, &r.public_slug) || !db_col_dup(a, st, 19, &r.created_at))
        return ERR_TOO_BIG;
    *out = r;
    return 0;
}

int round_store_get(struct arena *a, struct db *db, int64_t id, struct survey_round *out)
{
    static const char sql[] = "SELECT " ROUND_COLUMNS ROUND_FROM "WHERE r.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        ret = db_step(st);
        if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
        else if (ret == DB_ROW)
            ret = read_round(a, st, out, NULL);
    }
    db_done(st);
    return ret;
}

int round_store_list(struct arena *a, struct db *db, int64_t survey_id, int64_t org_filter,
                     struct survey_round **out, int *n)
{
    static const char sql[] =
        "SELECT " ROUND_COLUMNS ROUND_FROM "WHERE ($1 = 0 OR r.survey_id = $1) AND ($2 = 0 OR "
        "r.owner_org_id = $2 OR r.aanbieder_id = $2) "
        "ORDER BY r.opens_on DESC, r.id DESC LIMIT $3";
    struct db_stmt *st = NULL;
    size_t count = 0;
    *out = NULL;
    int ret = db_prepare(db, "round.list", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, survey_id)) && !(ret = db_bind_i64(st, 2, org_filter)) &&
        !(ret = db_bind_i64(st, 3, ROUND_LIST_MAX)))
        ret = db_collect(a, st, sizeof **out, read_round, NULL, (void **)out, &count);
    db_done(st);
    *n = (int)count;
    return ret;
}

int round_store_add_code(struct db *db, int64_t round_id, const char *code,
                         const unsigned char hash[SURVEY_CODE_HASH_LEN])
{
    static const char sql[] =
        "INSERT INTO survey_invitation (round_id, code, code_hash, used) VALUES ($1, $2, $3, 0)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.add_code", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, round_id)) &&
        !(ret = db_bind_text(st, 2, code, (size_t)-1)) &&
        !(ret = db_bind_blob(st, 3, hash, SURVEY_CODE_HASH_LEN)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

static int read_code(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct round_code *c = row;
    c->used = db_col_i64(st, 1) != 0;
    return db_col_dup(a, st, 0, &c->code) ? 0 : ERR_TOO_BIG;
}

int round_store_codes(struct arena *a, struct db *db, int64_t round_id, bool unused_only,
                      struct round_code **out, int *n)
{
    static const char sql[] = "SELECT code, used FROM survey_invitation WHERE round_id = $1 "
                              "AND ($2 = 0 OR used = 0) ORDER BY id";
    struct db_stmt *st = NULL;
    size_t count = 0;
    *out = NULL;
    int ret = db_prepare(db, "round.codes", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, round_id)) && !(ret = db_bind_i64(st, 2, unused_only)))
        ret = db_collect(a, st, sizeof **out, read_code, NULL, (void **)out, &count);
    db_done(st);
    *n = (int)count;
    return ret;
}

int round_store_find_hash(struct db *db, const unsigned char hash[SURVEY_CODE_HASH_LEN],
                          int64_t *invitation_id, int64_t *round_id, bool *used)
{
    static const char sql[] =
        "SELECT id, round_id, used FROM survey_invitation WHERE code_hash = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.find_hash", sql, &st);
    if (!ret && !(ret = db_bind_blob(st, 1, hash, SURVEY_CODE_HASH_LEN))) {
        ret = db_step(st);
        if (ret == DB_DONE) {
            ret = ERR_NOT_FOUND;
        } else if (ret == DB_ROW) {
            *invitation_id = db_col_i64(st, 0);
            *round_id = db_col_i64(st, 1);
            *used = db_col_i64(st, 2) != 0;
            ret = 0;
        }
    }
    db_done(st);
    return ret;
}

int round_store_find_slug(struct db *db, const char *slug, int64_t *round_id)
{
    static const char sql[] = "SELECT id FROM survey_round WHERE public_slug = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.find_slug", sql, &st);
    if (!ret && !(ret = db_bind_text(st, 1, slug, (size_t)-1))) {
        ret = db_step(st);
        if (ret == DB_DONE) {
            ret = ERR_NOT_FOUND;
        } else if (ret == DB_ROW) {
            *round_id = db_col_i64(st, 0);
            ret = 0;
        }
    }
    db_done(st);
    return ret;
}

int round_store_count_for_survey(struct db *db, int64_t survey_id, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM survey_round WHERE survey_id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.count_for_survey", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, survey_id))) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            *n = db_col_i64(st, 0);
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = ERR_DB;
        }
    }
    db_done(st);
    return ret;
}

int round_store_demo_complete(struct db *db, int64_t round_id, int64_t n_used, int64_t n_responses)
{
    static const char used_sql[] =
        "UPDATE survey_invitation SET used = 1 WHERE id IN (SELECT id FROM survey_invitation "
        "WHERE round_id = $1 ORDER BY id LIMIT $2)";
    static const char resp_sql[] = "UPDATE survey_round SET n_responses = $2 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.demo_used", used_sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, round_id)) && !(ret = db_bind_i64(st, 2, n_used)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    st = NULL;
    ret = db_prepare(db, "round.demo_responses", resp_sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, round_id)) && !(ret = db_bind_i64(st, 2, n_responses)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

int round_store_demo_link(struct db *db, int64_t round_id, const char *gemeente, int32_t from,
                          int32_t to, int64_t *n_out)
{
    static const char sql[] =
        "UPDATE survey_response SET round_id = $1 WHERE round_id IS NULL AND gemeente = $2 AND "
        "response_date BETWEEN $3 AND $4";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "round.demo_link", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, round_id)) &&
        !(ret = db_bind_text(st, 2, gemeente, (size_t)-1)) && !(ret = db_bind_i64(st, 3, from)) &&
        !(ret = db_bind_i64(st, 4, to)))
        ret = db_run(st);
    if (!ret)
        *n_out = db_changes(db);
    db_done(st);
    return ret;
}
