/*
 * story_store.c: SQL for stories, their links and their full-text row. Edits are guarded by the
 * version column (optimistic locking). The FTS5 table story_fts holds title, body and tags under
 * rowid = story id and is rewritten in the same transaction as the story, so a search never
 * sees a story in a state it was not saved in. The search text reaching MATCH is always the
 * quoted query built by story_fts_query (domain/story.c), never user text.
 */
#include "store/story_store.h"
#include "core/buf.h"
#include "core/common.h"
#include "domain/role.h"

static int run_id(struct db *db, const char *name, const char *sql, int64_t id)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, name, sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

/* Tags joined by spaces, for the FTS column (tags are [a-z0-9-], so no quoting is needed). */
static char *tag_text(const struct story_values *v)
{
    struct buf b;
    buf_init(&b, 4096);
    for (int k = 0; k < v->ntags; k++) {
        if (k)
            buf_append_char(&b, ' ');
        buf_append_str(&b, v->tags[k]);
    }
    buf_append_char(&b, '\0');
    return buf_detach(&b, NULL);
}

/* Writes links and the FTS row of story id (after deleting the old ones on update). */
static int write_links(struct db *db, int64_t id, const struct story_values *v, bool replace)
{
    static const char del_r[] = "DELETE FROM story_result WHERE story_id = $1";
    static const char del_i[] = "DELETE FROM story_indicator WHERE story_id = $1";
    static const char del_t[] = "DELETE FROM story_tag WHERE story_id = $1";
    static const char del_f[] = "DELETE FROM story_fts WHERE rowid = $1";
    static const char ins_r[] = "INSERT OR IGNORE INTO story_result (story_id, result_id) "
                                "VALUES ($1, $2)";
    static const char ins_i[] = "INSERT OR IGNORE INTO story_indicator (story_id, indicator_id) "
                                "VALUES ($1, $2)";
    static const char ins_t[] = "INSERT OR IGNORE INTO story_tag (story_id, tag) VALUES ($1, $2)";
    static const char ins_f[] = "INSERT INTO story_fts (rowid, title, body, tags) "
                                "VALUES ($1, $2, $3, $4)";
    struct db_stmt *st = NULL;
    int ret = 0;

    if (replace && ((ret = run_id(db, "story.del_results", del_r, id)) ||
                    (ret = run_id(db, "story.del_indicators", del_i, id)) ||
                    (ret = run_id(db, "story.del_tags", del_t, id)) ||
                    (ret = run_id(db, "story.del_fts", del_f, id))))
        return ret;
    for (int k = 0; k < v->nresults && !ret; k++) {
        if (!(ret = db_prepare(db, "story.ins_result", ins_r, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, v->result_ids[k])))
            ret = db_run(st);
        db_done(st);
    }
    for (int k = 0; k < v->nindicators && !ret; k++) {
        if (!(ret = db_prepare(db, "story.ins_indicator", ins_i, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, v->indicator_ids[k])))
            ret = db_run(st);
        db_done(st);
    }
    for (int k = 0; k < v->ntags && !ret; k++) {
        if (!(ret = db_prepare(db, "story.ins_tag", ins_t, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_text(st, 2, v->tags[k], (size_t)-1)))
            ret = db_run(st);
        db_done(st);
    }
    if (ret)
        return ret;
    char *tags = tag_text(v);
    if (!(ret = db_prepare(db, "story.ins_fts", ins_f, &st)) && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_text(st, 2, v->title, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, v->body, (size_t)-1)) &&
        !(ret = db_bind_text(st, 4, tags ? tags : "", (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    free(tags);
    return ret;
}

/* Binds $3.. of insert and update: the story's own columns. */
static int bind_values(struct db_stmt *st, const struct story_values *v)
{
    int ret;
    if ((ret = db_bind_i64(st, 3, v->owner_org_id)) ||
        (ret = db_bind_text(st, 4, v->kind_code, (size_t)-1)) ||
        (ret = db_bind_text(st, 5, v->title, (size_t)-1)) ||
        (ret = db_bind_text(st, 6, v->body, (size_t)-1)) ||
        (ret = db_bind_text(st, 7, v->teller_role, (size_t)-1)) ||
        (ret = db_bind_i64(st, 8, v->told_on)) ||
        (ret = db_bind_text(st, 9, v->consent_code, (size_t)-1)) ||
        (ret = db_bind_text(st, 10, v->gemeente, (size_t)-1)) ||
        (ret = v->aanbieder_id > 0 ? db_bind_i64(st, 11, v->aanbieder_id) : db_bind_null(st, 11)) ||
        (ret = v->has_period ? db_bind_i64(st, 12, v->period_from) : db_bind_null(st, 12)) ||
        (ret = v->has_period ? db_bind_i64(st, 13, v->period_to) : db_bind_null(st, 13)) ||
        (ret = db_bind_text(st, 14, v->anon_checked, (size_t)-1)))
        return ret;
    return 0;
}

int story_store_insert(struct db *db, const struct story_values *v, const char *now,
                       int64_t created_by, int64_t *id_out)
{
    /* $1 now, $2 created_by; $3.. as bind_values. */
    static const char sql[] =
        "INSERT INTO story (owner_org_id, kind, title, body, teller_role, told_on, consent, "
        "gemeente, aanbieder_id, period_from, period_to, anon_checked, archived, version, "
        "created_at, updated_at, created_by) "
        "VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, 1, $1, $1, $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "story.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, now, (size_t)-1)) ||
        (ret = created_by > 0 ? db_bind_i64(st, 2, created_by) : db_bind_null(st, 2)) ||
        (ret = bind_values(st, v)))
        goto out;
    if ((ret = db_run(st)))
        goto out;
    int64_t id = db_last_insert_id(db);
    db_done(st);
    st = NULL;
    if ((ret = write_links(db, id, v, false)))
        goto out;
    *id_out = id;
out:
    db_done(st);
    return ret;
}

int story_store_update(struct db *db, int64_t id, int64_t version, const struct story_values *v,
                       const char *now)
{
    static const char sql[] =
        "UPDATE story SET owner_org_id = $3, kind = $4, title = $5, body = $6, teller_role = $7, "
        "told_on = $8, consent = $9, gemeente = $10, aanbieder_id = $11, period_from = $12, "
        "period_to = $13, anon_checked = $14, updated_at = $15, version = version + 1 "
        "WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "story.update", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = bind_values(st, v)) || (ret = db_bind_text(st, 15, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
    db_done(st);
    st = NULL;
    if (!ret)
        ret = write_links(db, id, v, true);
out:
    db_done(st);
    return ret;
}

int story_store_set_archived(struct db *db, int64_t id, bool archived, const char *now)
{
    static const char sql[] = "UPDATE story SET archived = $2, updated_at = $3, "
                              "version = version + 1 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "story.set_archived", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, archived ? 1 : 0)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

/* The columns of struct story, in the order read_story() expects. */
#define STORY_COLUMNS                                                                              \
    "s.id, s.owner_org_id, o.name, s.kind, s.title, s.body, s.teller_role, s.told_on, "            \
    "s.consent, s.gemeente, g.name, coalesce(g.id, 0), coalesce(s.aanbieder_id, 0), p.name, "      \
    "s.period_from, s.period_to, s.anon_checked, s.archived, s.version, s.created_at, "            \
    "s.updated_at "
#define STORY_FROM                                                                                 \
    "FROM story s JOIN organisation o ON o.id = s.owner_org_id "                                   \
    "LEFT JOIN organisation g ON g.cbs_code = 'GM' || s.gemeente "                                 \
    "LEFT JOIN organisation p ON p.id = s.aanbieder_id "

static int read_story(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct story *out = row;
    enum story_kind kind;
    enum story_consent consent;
    memset(out, 0, sizeof *out);
    if (story_kind_parse(db_col_text(st, 3), &kind) ||
        story_consent_parse(db_col_text(st, 8), &consent))
        return ERR_INVALID;
    out->id = db_col_i64(st, 0);
    out->owner_org_id = db_col_i64(st, 1);
    out->kind = kind;
    out->told_on = (day_t)db_col_i64(st, 7);
    out->consent = consent;
    out->gemeente_org_id = db_col_i64(st, 11);
    out->aanbieder_id = db_col_i64(st, 12);
    out->has_period = !db_col_is_null(st, 14) && !db_col_is_null(st, 15);
    if (out->has_period) {
        out->period_from = (day_t)db_col_i64(st, 14);
        out->period_to = (day_t)db_col_i64(st, 15);
    }
    out->archived = db_col_i64(st, 17) != 0;
    out->version = db_col_i64(st, 18);
    if (!db_col_dup(a, st, 2, &out->owner_name) || !db_col_dup(a, st, 4, &out->title) ||
        !db_col_dup(a, st, 5, &out->body) || !db_col_dup(a, st, 6, &out->teller_role) ||
        !db_col_dup(a, st, 9, &out->gemeente) || !db_col_dup(a, st, 10, &out->gemeente_name) ||
        !db_col_dup(a, st, 13, &out->aanbieder_name) ||
        !db_col_dup(a, st, 16, &out->anon_checked) || !db_col_dup(a, st, 19, &out->created_at) ||
        !db_col_dup(a, st, 20, &out->updated_at))
        return ERR_TOO_BIG;
    return 0;
}

static int read_link(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct story_link *l = row;
    l->id = db_col_i64(st, 0);
    if (!db_col_dup(a, st, 1, &l->title))
        return ERR_TOO_BIG;
    if (!l->title)
        l->title = "";
    return 0;
}

static int read_tag(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    return db_col_dup(a, st, 0, (const char **)row) ? 0 : ERR_TOO_BIG;
}

static int load_links(struct arena *a, struct db *db, struct story *out)
{
    static const char sql_r[] = "SELECT r.id, r.title FROM story_result l "
                                "JOIN societal_result r ON r.id = l.result_id "
                                "WHERE l.story_id = $1 ORDER BY r.title, r.id";
    static const char sql_i[] =
        "SELECT i.id, coalesce(json_extract(i.definition, '$.naam'), i.code) "
        "FROM story_indicator l JOIN indicator i ON i.id = l.indicator_id "
        "WHERE l.story_id = $1 ORDER BY 2, i.id";
    static const char sql_t[] = "SELECT tag FROM story_tag WHERE story_id = $1 ORDER BY tag";
    struct db_stmt *st = NULL;
    void *rows;
    size_t n;
    int ret;

    if ((ret = db_prepare(db, "story.links_results", sql_r, &st)) ||
        (ret = db_bind_i64(st, 1, out->id)) ||
        (ret = db_collect(a, st, sizeof(struct story_link), read_link, NULL, &rows, &n)))
        goto out;
    out->results = rows;
    out->nresults = (int)n;
    db_done(st);
    if ((ret = db_prepare(db, "story.links_indicators", sql_i, &st)) ||
        (ret = db_bind_i64(st, 1, out->id)) ||
        (ret = db_collect(a, st, sizeof(struct story_link), read_link, NULL, &rows, &n)))
        goto out;
    out->indicators = rows;
    out->nindicators = (int)n;
    db_done(st);
    if ((ret = db_prepare(db, "story.links_tags", sql_t, &st)) ||
        (ret = db_bind_i64(st, 1, out->id)) ||
        (ret = db_collect(a, st, sizeof(const char *), read_tag, NULL, &rows, &n)))
        goto out;
    out->tags = rows;
    out->ntags = (int)n;
out:
    db_done(st);
    return ret;
}

int story_store_get(struct arena *a, struct db *db, int64_t id, bool with_links, struct story *out)
{
    static const char sql[] = "SELECT " STORY_COLUMNS STORY_FROM "WHERE s.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "story.get", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (ret < 0)
        goto out;
    ret = read_story(a, st, out, NULL);
    db_done(st);
    st = NULL;
    if (!ret && with_links)
        ret = load_links(a, db, out);
out:
    db_done(st);
    return ret;
}

/* Consent as a rank for min_consent (intern 1, gesprek 2, publicatie 3). */
#define CONSENT_RANK "(CASE s.consent WHEN 'intern' THEN 1 WHEN 'gesprek' THEN 2 ELSE 3 END)"

/*
 * $1 owner, $2 kind, $3 consent, $4 min consent rank, $5 gemeente, $6 gemeente_or_none,
 * $7 aanbieder, $8 result, $9 indicator, $10 tag, $11 period from, $12 period to,
 * $13 include archived. A story's period is its period, or else the day it was told.
 */
#define STORY_WHERE                                                                                \
    "($1 = 0 OR s.owner_org_id = $1) AND ($2 IS NULL OR s.kind = $2) AND "                         \
    "($3 IS NULL OR s.consent = $3) AND ($4 = 0 OR " CONSENT_RANK " >= $4) AND "                   \
    "($5 IS NULL OR s.gemeente = $5 OR ($6 = 1 AND s.gemeente IS NULL)) AND "                      \
    "($7 = 0 OR s.aanbieder_id = $7) AND "                                                         \
    "($8 = 0 OR EXISTS (SELECT 1 FROM story_result x WHERE x.story_id = s.id AND "                 \
    "x.result_id = $8)) AND "                                                                      \
    "($9 = 0 OR EXISTS (SELECT 1 FROM story_indicator x WHERE x.story_id = s.id AND "              \
    "x.indicator_id = $9)) AND "                                                                   \
    "($10 IS NULL OR EXISTS (SELECT 1 FROM story_tag x WHERE x.story_id = s.id AND x.tag = $10)) " \
    "AND ($11 IS NULL OR coalesce(s.period_to, s.told_on) >= $11) AND "                            \
    "($12 IS NULL OR coalesce(s.period_from, s.told_on) <= $12) AND ($13 = 1 OR s.archived = 0) "

static int bind_query(struct db_stmt *st, const struct story_query *q, int min_consent)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, q->owner_org_id)) ||
        (ret = db_bind_text(st, 2, q->kind_code, (size_t)-1)) ||
        (ret = db_bind_text(st, 3, q->consent_code, (size_t)-1)) ||
        (ret = db_bind_i64(st, 4, min_consent)) ||
        (ret = db_bind_text(st, 5, q->gemeente, (size_t)-1)) ||
        (ret = db_bind_i64(st, 6, q->gemeente_or_none ? 1 : 0)) ||
        (ret = db_bind_i64(st, 7, q->aanbieder_id)) || (ret = db_bind_i64(st, 8, q->result_id)) ||
        (ret = db_bind_i64(st, 9, q->indicator_id)) ||
        (ret = db_bind_text(st, 10, q->tag, (size_t)-1)) ||
        (ret = q->has_period ? db_bind_i64(st, 11, q->period_from) : db_bind_null(st, 11)) ||
        (ret = q->has_period ? db_bind_i64(st, 12, q->period_to) : db_bind_null(st, 12)) ||
        (ret = db_bind_i64(st, 13, q->include_archived ? 1 : 0)))
        return ret;
    return 0;
}

static int read_key(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a;
    (void)ctx;
    struct story_key *k = row;
    enum story_consent c;
    const char *kind = db_col_text(st, 5);
    struct str ks = str_from(kind ? kind : "");
    enum org_kind ok;
    if (story_consent_parse(db_col_text(st, 4), &c) || org_kind_parse(ks, &ok))
        return ERR_INVALID;
    k->id = db_col_i64(st, 0);
    k->owner_org_id = db_col_i64(st, 1);
    k->gemeente_org_id = db_col_i64(st, 2);
    k->aanbieder_id = db_col_i64(st, 3);
    k->consent = (int)c;
    k->owner_kind = (int)ok;
    return 0;
}

#define KEY_COLUMNS                                                                                \
    "s.id, s.owner_org_id, coalesce((SELECT g.id FROM organisation g WHERE g.cbs_code = 'GM' || "  \
    "s.gemeente), 0), coalesce(s.aanbieder_id, 0), s.consent, o.kind "

int story_store_scan(struct arena *a, struct db *db, const struct story_query *q, int cap,
                     struct story_key **out, int *n)
{
    static const char sql_plain[] =
        "SELECT " KEY_COLUMNS "FROM story s JOIN organisation o ON o.id = s.owner_org_id "
        "WHERE " STORY_WHERE "ORDER BY s.told_on DESC, s.id DESC LIMIT $14";
    static const char sql_match[] =
        "SELECT " KEY_COLUMNS "FROM story_fts f JOIN story s ON s.id = f.rowid "
        "JOIN organisation o ON o.id = s.owner_org_id "
        "WHERE story_fts MATCH $15 AND " STORY_WHERE
        "ORDER BY bm25(story_fts, 5.0, 1.0, 3.0), s.told_on DESC, s.id DESC LIMIT $14";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = q->match ? db_prepare(db, "story.scan_match", sql_match, &st)
                       : db_prepare(db, "story.scan", sql_plain, &st);
    if (ret)
        goto out;
    if ((ret = bind_query(st, q, q->min_consent)) || (ret = db_bind_i64(st, 14, cap)) ||
        (q->match && (ret = db_bind_text(st, 15, q->match, (size_t)-1))))
        goto out;
    if ((ret = db_collect(a, st, sizeof(struct story_key), read_key, NULL, &rows, &got)))
        goto out;
    *out = rows;
    *n = (int)got;
out:
    db_done(st);
    return ret;
}

int story_store_list(struct arena *a, struct db *db, const struct story_query *q, int min_consent,
                     int cap, struct story **out, int *n)
{
    static const char sql[] = "SELECT " STORY_COLUMNS STORY_FROM "WHERE " STORY_WHERE
                              "ORDER BY s.told_on DESC, s.id DESC LIMIT $14";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int mc = min_consent > q->min_consent ? min_consent : q->min_consent;
    int ret = db_prepare(db, "story.list", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_query(st, q, mc)) || (ret = db_bind_i64(st, 14, cap)))
        goto out;
    if ((ret = db_collect(a, st, sizeof(struct story), read_story, NULL, &rows, &got)))
        goto out;
    *out = rows;
    *n = (int)got;
out:
    db_done(st);
    return ret;
}

static int exists(struct db *db, const char *name, const char *sql, int64_t id, bool *yes)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, name, sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        ret = db_step(st);
        if (ret >= 0) {
            *yes = ret == DB_ROW;
            ret = 0;
        }
    }
    db_done(st);
    return ret;
}

int story_store_missing_link(struct db *db, const struct story_values *v, const char **field,
                             int64_t *bad_id)
{
    static const char sql_r[] = "SELECT 1 FROM societal_result WHERE id = $1";
    static const char sql_i[] = "SELECT 1 FROM indicator WHERE id = $1";
    bool yes = true;
    int ret;
    *field = NULL;
    for (int k = 0; k < v->nresults; k++) {
        if ((ret = exists(db, "story.result_exists", sql_r, v->result_ids[k], &yes)))
            return ret;
        if (!yes) {
            *field = "result_ids";
            *bad_id = v->result_ids[k];
            return 0;
        }
    }
    for (int k = 0; k < v->nindicators; k++) {
        if ((ret = exists(db, "story.indicator_exists", sql_i, v->indicator_ids[k], &yes)))
            return ret;
        if (!yes) {
            *field = "indicator_ids";
            *bad_id = v->indicator_ids[k];
            return 0;
        }
    }
    return 0;
}
