/*
 * conversation_published_store.c: the SQL of the published conversation content
 * (conversation_published_store.h). The queries name their columns one by one: only the
 * public ones (title, date, gemeente, summary, conclusions; party names and sides; action
 * descriptions, owner organisations, statuses and due dates) are ever selected, so no note,
 * evaluation or person's name can slip into a published report by a later SELECT *.
 * Sides and statuses are mapped to the enum numbers of domain/conversation.h and
 * domain/action.h in SQL (CASE), the store calling no domain code.
 */
#include "store/conversation_published_store.h"
#include "core/common.h"

static int bind_text(struct db_stmt *st, int n, const char *s)
{
    return s ? db_bind_text(st, n, s, (size_t)-1) : db_bind_null(st, n);
}

/* The side codes of the schema as enum conv_side numbers (0: unknown, never stored). */
#define SIDE_CASE(col)                                                                             \
    "CASE " col " WHEN 'gemeente' THEN 1 WHEN 'aanbieder' THEN 2 "                                 \
    "WHEN 'samenwerkingsverband' THEN 3 ELSE 0 END"
/* The status codes as enum action_status numbers. */
#define STATUS_CASE(col)                                                                           \
    "CASE " col " WHEN 'open' THEN 1 WHEN 'bezig' THEN 2 WHEN 'klaar' THEN 3 "                     \
    "WHEN 'vervallen' THEN 4 ELSE 0 END"

static int read_conv(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_published *c = row;
    memset(c, 0, sizeof *c);
    c->id = db_col_i64(st, 0);
    c->held_on = (day_t)db_col_i64(st, 2);
    if (!db_col_dup(a, st, 1, &c->title) || !db_col_dup(a, st, 3, &c->gemeente) ||
        !db_col_dup(a, st, 4, &c->summary) || !db_col_dup(a, st, 5, &c->conclusions))
        return ERR_NOMEM;
    return 0;
}

int conv_pub_store_list(struct arena *a, struct db *db, int64_t result_id, const char *gemeente,
                        int cap, struct conv_published **out, int *n)
{
    /* Published: concluded, at least one party, and no party without an approval. A
     * conversation without its own gemeente is about its owner's (a gemeente owner). */
    static const char sql[] =
        "SELECT c.id, c.title, c.held_on, c.gemeente, c.summary, c.conclusions "
        "FROM conversation c JOIN conversation_result r ON r.conversation_id = c.id "
        "JOIN organisation o ON o.id = c.owner_org_id "
        "WHERE r.result_id = $1 AND c.status = 'afgerond' "
        "AND EXISTS (SELECT 1 FROM conversation_party p WHERE p.conversation_id = c.id) "
        "AND NOT EXISTS (SELECT 1 FROM conversation_party p WHERE p.conversation_id = c.id "
        "  AND p.approved_at IS NULL) "
        "AND ($2 IS NULL OR c.gemeente = $2 OR (c.gemeente IS NULL AND o.cbs_code = 'GM' || $2)) "
        "ORDER BY c.held_on DESC, c.id DESC LIMIT $3";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "convpub.list", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, result_id)) && !(ret = bind_text(st, 2, gemeente)) &&
        !(ret = db_bind_i64(st, 3, cap)))
        ret = db_collect(a, st, sizeof(struct conv_published), read_conv, NULL, &rows, &cnt);
    db_done(st);
    if (ret)
        return ret;
    *out = rows;
    *n = (int)cnt;
    return 0;
}

static int read_party(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_pub_party *p = row;
    memset(p, 0, sizeof *p);
    p->side = (enum conv_side)db_col_i64(st, 1);
    return db_col_dup(a, st, 0, &p->name) ? 0 : ERR_NOMEM;
}

int conv_pub_store_parties(struct arena *a, struct db *db, int64_t conversation_id,
                           struct conv_pub_party **out, int *n)
{
    static const char sql[] = "SELECT o.name, " SIDE_CASE(
        "p.side") " AS s "
                  "FROM conversation_party p JOIN organisation o ON o.id = p.org_id "
                  "WHERE p.conversation_id = $1 ORDER BY s, o.name, o.id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "convpub.parties", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, conversation_id)))
        ret = db_collect(a, st, sizeof(struct conv_pub_party), read_party, NULL, &rows, &cnt);
    db_done(st);
    if (ret)
        return ret;
    *out = rows;
    *n = (int)cnt;
    return 0;
}

static int read_action(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_pub_action *x = row;
    memset(x, 0, sizeof *x);
    x->id = db_col_i64(st, 0);
    x->owner_side = (enum conv_side)db_col_i64(st, 3);
    x->status = (enum action_status)db_col_i64(st, 4);
    x->due_on = (day_t)db_col_i64(st, 5);
    if (!db_col_dup(a, st, 1, &x->description) || !db_col_dup(a, st, 2, &x->owner_name))
        return ERR_NOMEM;
    return 0;
}

int conv_pub_store_actions(struct arena *a, struct db *db, int64_t conversation_id, int cap,
                           struct conv_pub_action **out, int *n)
{
    static const char sql[] =
        "SELECT x.id, x.description, o.name, " SIDE_CASE("x.owner_side") ", " STATUS_CASE(
            "x.status") " AS st, x.due_on "
                        "FROM improvement_action x JOIN organisation o ON o.id = x.owner_org_id "
                        "WHERE x.conversation_id = $1 ORDER BY st, x.due_on, x.id LIMIT $2";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "convpub.actions", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, conversation_id)) && !(ret = db_bind_i64(st, 2, cap)))
        ret = db_collect(a, st, sizeof(struct conv_pub_action), read_action, NULL, &rows, &cnt);
    db_done(st);
    if (ret)
        return ret;
    *out = rows;
    *n = (int)cnt;
    return 0;
}
