/*
 * metrics_store.c: the SQL of the indicator engine's reads (metrics_store.h): trajectories with
 * measurements, survey responses with answers, population, and the change journal. Every
 * statement is prepared once per connection; scans stream rows into fixed-size structs.
 */
#include "store/metrics_store.h"
#include "core/common.h"

/* "(flags & 16) = 0" in the statements: not TRAJ_TEST_PERSON (domain/trajectory.h). */

/* Copies a text column into a fixed buffer ("" for NULL, cut to fit). */
static void col_copy(struct db_stmt *st, int i, char *dst, size_t cap)
{
    const char *s = db_col_text(st, i);
    size_t n = s ? strlen(s) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

static day_t col_day(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? DAY_NONE : (day_t)db_col_i64(st, i);
}

static int64_t col_opt(struct db_stmt *st, int i, int64_t none)
{
    return db_col_is_null(st, i) ? none : db_col_i64(st, i);
}

static int step_end(int ret)
{
    return ret > 0 ? 0 : ret;
}

int mstore_snapshot_begin(struct db *db)
{
    return db_begin(db);
}

void mstore_snapshot_end(struct db *db)
{
    /* Nothing was written: rolling back ends the read transaction without a commit. */
    db_rollback(db);
}

/* ---- Trajectories. --------------------------------------------------------------------------- */

#define TRAJ_COLS                                                                                  \
    "t.id, t.person_id, t.aanbieder_id, t.law, t.gemeente, t.category, t.hulpvorm, "               \
    "t.product_code, t.start_date, t.end_date, t.end_reason, t.end_reason_list, t.cbs_reason, "    \
    "t.referrer, t.age_at_start, t.age_band, t.gender, t.postcode4, t.flags, t.date_requested, "   \
    "t.date_assigned"
#define TRAJ_NCOLS 21

static void read_traj(struct db_stmt *st, struct mstore_traj *t)
{
    t->id = db_col_i64(st, 0);
    t->person_id = db_col_i64(st, 1);
    t->aanbieder_id = db_col_i64(st, 2);
    t->law = (int)db_col_i64(st, 3);
    col_copy(st, 4, t->gemeente, sizeof t->gemeente);
    col_copy(st, 5, t->category, sizeof t->category);
    col_copy(st, 6, t->hulpvorm, sizeof t->hulpvorm);
    col_copy(st, 7, t->product_code, sizeof t->product_code);
    t->start = col_day(st, 8);
    t->end = col_day(st, 9);
    col_copy(st, 10, t->end_reason, sizeof t->end_reason);
    col_copy(st, 11, t->end_reason_list, sizeof t->end_reason_list);
    col_copy(st, 12, t->cbs_reason, sizeof t->cbs_reason);
    col_copy(st, 13, t->referrer, sizeof t->referrer);
    t->age_at_start = (int)col_opt(st, 14, -1);
    if (db_col_is_null(st, 15))
        memcpy(t->age_band, "onbekend", sizeof "onbekend");
    else
        col_copy(st, 15, t->age_band, sizeof t->age_band);
    col_copy(st, 16, t->gender, sizeof t->gender);
    col_copy(st, 17, t->postcode4, sizeof t->postcode4);
    t->flags = (uint32_t)db_col_i64(st, 18);
    t->date_requested = col_day(st, 19);
    t->date_assigned = col_day(st, 20);
    t->nmeas = 0;
}

/* Measurement columns start at column `at`. */
static void read_meas(struct db_stmt *st, int at, struct mstore_traj *t)
{
    if (t->nmeas >= MSTORE_MAX_MEAS)
        return; /* one per informant by the primary key: cannot happen */
    struct mstore_meas *m = &t->meas[t->nmeas++];
    col_copy(st, at, m->informant, sizeof m->informant);
    m->satisfaction = (int)col_opt(st, at + 1, 0);
    col_copy(st, at + 2, m->zonder_hulp, sizeof m->zonder_hulp);
    m->goal_realisation = (int)col_opt(st, at + 3, -1);
}

int mstore_scan_trajectories(struct db *db, int64_t above, mstore_traj_fn fn, void *ctx)
{
    /* "+t.person_id": a full scan in id order, not the index (most rows qualify). */
    static const char tsql[] = "SELECT " TRAJ_COLS " FROM trajectory t WHERE +t.person_id > $1 "
                               "AND (t.flags & 16) = 0 ORDER BY t.id";
    static const char msql[] =
        "SELECT trajectory_id, informant, satisfaction, zonder_hulp, "
        "goal_realisation FROM measurement ORDER BY trajectory_id, informant";
    struct db_stmt *ts = NULL, *ms = NULL;
    struct mstore_traj t;
    int ret = db_prepare(db, "metrics.scan_traj", tsql, &ts);
    if (ret || (ret = db_bind_i64(ts, 1, above)) ||
        (ret = db_prepare(db, "metrics.scan_meas", msql, &ms)))
        goto out;
    int mrc = db_step(ms); /* the measurement cursor runs alongside */
    if (mrc < 0) {
        ret = mrc;
        goto out;
    }
    while ((ret = db_step(ts)) == DB_ROW) {
        read_traj(ts, &t);
        while (mrc == DB_ROW && db_col_i64(ms, 0) < t.id)
            mrc = db_step(ms);
        while (mrc == DB_ROW && db_col_i64(ms, 0) == t.id) {
            read_meas(ms, 1, &t);
            mrc = db_step(ms);
        }
        if (mrc < 0) {
            ret = mrc;
            goto out;
        }
        if ((ret = fn(ctx, &t)))
            goto out;
    }
    ret = step_end(ret);
out:
    db_done(ms);
    db_done(ts);
    return ret;
}

/* Runs a trajectory LEFT JOIN measurement statement (rows of one trajectory consecutive). */
static int scan_joined(struct db_stmt *st, mstore_traj_fn fn, void *ctx)
{
    struct mstore_traj t;
    bool have = false;
    int ret;
    while ((ret = db_step(st)) == DB_ROW) {
        int64_t id = db_col_i64(st, 0);
        if (!have || id != t.id) {
            if (have && (ret = fn(ctx, &t)))
                return ret;
            read_traj(st, &t);
            have = true;
        }
        if (!db_col_is_null(st, TRAJ_NCOLS))
            read_meas(st, TRAJ_NCOLS + 1, &t);
    }
    if (ret < 0)
        return ret;
    return have ? fn(ctx, &t) : 0;
}

#define TRAJ_JOIN                                                                                  \
    "SELECT " TRAJ_COLS ", m.trajectory_id, m.informant, m.satisfaction, m.zonder_hulp, "          \
    "m.goal_realisation FROM trajectory t LEFT JOIN measurement m ON m.trajectory_id = t.id "

int mstore_scan_trajectories_indexed(struct db *db, int64_t above, mstore_traj_fn fn, void *ctx)
{
    static const char sql[] = TRAJ_JOIN "WHERE t.person_id > $1 AND (t.flags & 16) = 0 "
                                        "ORDER BY t.person_id, t.id, m.informant";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "metrics.scan_traj_above", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, above)))
        ret = scan_joined(st, fn, ctx);
    db_done(st);
    return ret;
}

int mstore_scan_person(struct db *db, int64_t person_id, mstore_traj_fn fn, void *ctx)
{
    static const char sql[] = TRAJ_JOIN "WHERE t.person_id = $1 AND (t.flags & 16) = 0 "
                                        "ORDER BY t.id, m.informant";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "metrics.scan_person", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, person_id)))
        ret = scan_joined(st, fn, ctx);
    db_done(st);
    return ret;
}

/* ---- Responses. ------------------------------------------------------------------------------ */

int mstore_scan_responses(struct db *db, mstore_response_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT r.id, r.gemeente, r.aanbieder_id, r.law, r.category, r.age, r.gender, "
        "r.response_date, a.item, a.value FROM survey_response r "
        "LEFT JOIN survey_answer a ON a.response_id = r.id ORDER BY r.id, a.item";
    struct mstore_answer *buf = calloc(MSTORE_MAX_ANSWERS, sizeof *buf);
    struct mstore_response r = {0};
    struct db_stmt *st = NULL;
    bool have = false;
    if (!buf)
        return ERR_NOMEM;
    int ret = db_prepare(db, "metrics.scan_responses", sql, &st);
    if (ret)
        goto out;
    while ((ret = db_step(st)) == DB_ROW) {
        int64_t id = db_col_i64(st, 0);
        if (!have || id != r.id) {
            if (have && (ret = fn(ctx, &r)))
                goto out;
            memset(&r, 0, sizeof r);
            r.id = id;
            col_copy(st, 1, r.gemeente, sizeof r.gemeente);
            r.aanbieder_id = col_opt(st, 2, 0);
            r.law = (int)col_opt(st, 3, 0);
            col_copy(st, 4, r.category, sizeof r.category);
            r.age = (int)col_opt(st, 5, -1);
            col_copy(st, 6, r.gender, sizeof r.gender);
            r.date = col_day(st, 7);
            r.answers = buf;
            have = true;
        }
        if (!db_col_is_null(st, 8) && r.nanswers < MSTORE_MAX_ANSWERS) {
            col_copy(st, 8, buf[r.nanswers].item, sizeof buf[r.nanswers].item);
            buf[r.nanswers].value = db_col_i64(st, 9);
            r.nanswers++;
        }
    }
    if (ret >= 0)
        ret = have ? fn(ctx, &r) : 0;
out:
    db_done(st);
    free(buf);
    return ret;
}

int mstore_heads(struct db *db, int64_t *seq, int64_t *resp_count, int64_t *resp_max)
{
    static const char sql[] =
        "SELECT (SELECT coalesce(max(seq), 0) FROM data_change), (SELECT count(*) FROM "
        "survey_response), (SELECT coalesce(max(id), 0) FROM survey_response)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "metrics.heads", sql, &st);
    if (!ret) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            *seq = db_col_i64(st, 0);
            *resp_count = db_col_i64(st, 1);
            *resp_max = db_col_i64(st, 2);
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = ERR_DB;
        }
    }
    db_done(st);
    return ret;
}

/* ---- Population. ----------------------------------------------------------------------------- */

int mstore_scan_population(struct db *db, mstore_population_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT p.gemeente, p.year, p.age_band, p.inhabitants, p.men, p.women FROM population p "
        "WHERE p.batch_id = (SELECT max(q.batch_id) FROM population q JOIN import_batch b ON "
        "b.id = q.batch_id AND b.status = 'actief' WHERE q.gemeente = p.gemeente AND q.year = "
        "p.year AND q.age_band = p.age_band) ORDER BY p.gemeente, p.year, p.age_band";
    struct db_stmt *st = NULL;
    struct mstore_population p;
    int ret = db_prepare(db, "metrics.scan_population", sql, &st);
    if (ret)
        goto out;
    while ((ret = db_step(st)) == DB_ROW) {
        col_copy(st, 0, p.gemeente, sizeof p.gemeente);
        p.year = (int)db_col_i64(st, 1);
        col_copy(st, 2, p.age_band, sizeof p.age_band);
        p.inhabitants = db_col_i64(st, 3);
        p.men = col_opt(st, 4, -1);
        p.women = col_opt(st, 5, -1);
        if ((ret = fn(ctx, &p)))
            goto out;
    }
    ret = step_end(ret);
out:
    db_done(st);
    return ret;
}

/* ---- Journal. -------------------------------------------------------------------------------- */

int mstore_journal_head(struct db *db, int64_t *seq)
{
    static const char sql[] = "SELECT coalesce(max(seq), 0) FROM data_change";
    return db_query_i64(db, "metrics.journal_head", sql, seq);
}

int mstore_journal_after(struct db *db, int64_t seq, struct mstore_change *out, size_t cap,
                         size_t *n)
{
    static const char sql[] =
        "SELECT c.seq, c.batch_id, c.kind = 'undo', b.kind = 'bevolking', "
        "coalesce(b.fact_first, 1), coalesce(b.fact_last, 0) FROM data_change c "
        "JOIN import_batch b ON b.id = c.batch_id WHERE c.seq > $1 ORDER BY c.seq LIMIT $2";
    struct db_stmt *st = NULL;
    *n = 0;
    int ret = db_prepare(db, "metrics.journal_after", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, seq)) || (ret = db_bind_i64(st, 2, (int64_t)cap)))
        goto out;
    while ((ret = db_step(st)) == DB_ROW && *n < cap) {
        struct mstore_change *c = &out[(*n)++];
        c->seq = db_col_i64(st, 0);
        c->batch_id = db_col_i64(st, 1);
        c->undo = db_col_i64(st, 2) != 0;
        c->population = db_col_i64(st, 3) != 0;
        c->fact_first = db_col_i64(st, 4);
        c->fact_last = db_col_i64(st, 5);
    }
    ret = step_end(ret);
out:
    db_done(st);
    return ret;
}

static int scan_groups(struct db_stmt *st, mstore_group_fn fn, void *ctx)
{
    int ret;
    while ((ret = db_step(st)) == DB_ROW) {
        struct mstore_group g = {.person_id = db_col_i64(st, 0),
                                 .aanbieder_id = db_col_i64(st, 1),
                                 .law = (int)db_col_i64(st, 2)};
        if ((ret = fn(ctx, &g)))
            return ret;
    }
    return step_end(ret);
}

int mstore_import_groups(struct db *db, const struct mstore_change *c, int64_t upto,
                         mstore_group_fn fn, void *ctx)
{
    static const char sql[] = "SELECT DISTINCT person_id, aanbieder_id, law FROM fact "
                              "WHERE id BETWEEN $2 AND $3 AND batch_id = $1 AND person_id <= $4";
    if (c->fact_first > c->fact_last)
        return 0;
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "metrics.import_groups", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, c->batch_id)) &&
        !(ret = db_bind_i64(st, 2, c->fact_first)) && !(ret = db_bind_i64(st, 3, c->fact_last)) &&
        !(ret = db_bind_i64(st, 4, upto)))
        ret = scan_groups(st, fn, ctx);
    db_done(st);
    return ret;
}

int mstore_undo_groups(struct db *db, int64_t seq, mstore_group_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT person_id, aanbieder_id, law FROM data_change_group WHERE seq = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "metrics.undo_groups", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, seq)))
        ret = scan_groups(st, fn, ctx);
    db_done(st);
    return ret;
}

int mstore_person_max_id(struct db *db, int64_t *id)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM person";
    return db_query_i64(db, "metrics.person_max_id", sql, id);
}

int mstore_data_date(struct db *db, day_t *out)
{
    static const char sql[] =
        "SELECT coalesce(max(max(start_date, coalesce(end_date, start_date))), -2147483648) "
        "FROM trajectory WHERE (flags & 16) = 0";
    int64_t v = 0;
    int ret = db_query_i64(db, "metrics.data_date", sql, &v);
    if (!ret)
        *out = (day_t)v;
    return ret;
}
