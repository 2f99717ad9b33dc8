/*
 * review_store.c: SQL of provider reviews: the review row, its items (applicable criteria with
 * the self-declaration), the viewpoints' verdicts, the criterion -> indicator links and the
 * framework's guiding principles. Enum codes are mapped here (the store sits below domain/
 * and must not call its translated labels).
 */
#include "store/review_store.h"
#include "core/common.h"

static const char *const kind_codes[] = {
    [REVIEW_TOELATING] = "toelating",
    [REVIEW_PERIODIEK] = "periodiek",
    [REVIEW_GEBEURTENIS] = "gebeurtenis",
};
static const char *const status_codes[] = {
    [REVIEW_CONCEPT] = "concept",
    [REVIEW_INGEDIEND] = "ingediend",
    [REVIEW_IN_BEOORDELING] = "in_beoordeling",
    [REVIEW_BESLOTEN] = "besloten",
};
static const char *const decision_codes[] = {
    [DECISION_NONE] = "",
    [DECISION_TOEGELATEN] = "toegelaten",
    [DECISION_VOORWAARDELIJK] = "voorwaardelijk",
    [DECISION_NIET_TOEGELATEN] = "niet_toegelaten",
};

static int code_index(const char *const *codes, int min, int max, const char *code)
{
    for (int k = min; code && k <= max; k++)
        if (codes[k] && strcmp(codes[k], code) == 0)
            return k;
    return 0;
}

static enum review_verdict verdict_of(const char *c)
{
    if (!c)
        return VERDICT_NONE;
    if (strcmp(c, "voldoet") == 0)
        return VERDICT_VOLDOET;
    if (strcmp(c, "deels") == 0)
        return VERDICT_DEELS;
    if (strcmp(c, "nog_niet") == 0)
        return VERDICT_NOG_NIET;
    if (strcmp(c, "nvt") == 0)
        return VERDICT_NVT;
    return VERDICT_NONE;
}

static const char *verdict_code(enum review_verdict v)
{
    switch (v) {
    case VERDICT_VOLDOET:
        return "voldoet";
    case VERDICT_DEELS:
        return "deels";
    case VERDICT_NOG_NIET:
        return "nog_niet";
    case VERDICT_NVT:
        return "nvt";
    case VERDICT_NONE:
        break;
    }
    return NULL;
}

static enum review_method method_of(const char *c)
{
    if (c && strcmp(c, "gesprek") == 0)
        return METHOD_GESPREK;
    if (c && strcmp(c, "onderzoek") == 0)
        return METHOD_ONDERZOEK;
    return METHOD_DOCUMENT;
}

static const char *method_code(enum review_method m)
{
    return m == METHOD_GESPREK ? "gesprek" : m == METHOD_ONDERZOEK ? "onderzoek" : "document";
}

static int bind_opt_i64(struct db_stmt *st, int n, int64_t v)
{
    return v > 0 ? db_bind_i64(st, n, v) : db_bind_null(st, n);
}

/* Runs a prepared statement that changes exactly one row: ERR_NOT_FOUND when none changed. */
static int run_one(struct db *db, struct db_stmt *st)
{
    int ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    return db_changes(db) == 1 ? 0 : ERR_NOT_FOUND;
}

/* ---- Reviews --------------------------------------------------------------------------------- */

int review_store_insert(struct db *db, const struct review_values *v, const int64_t *criteria,
                        int ncriteria, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO review (framework_id, owner_org_id, aanbieder_id, kind, status, contract_id, "
        "provider_event_id, period_from, period_to, laws, version, created_by, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, 'concept', $5, $6, $7, $8, $9, 1, $10, $11, $11)";
    static const char item[] =
        "INSERT INTO review_item (review_id, criterion_id, applicable) VALUES ($1, $2, 1)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.insert", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, v->framework_id)) &&
        !(ret = db_bind_i64(st, 2, v->owner_org_id)) &&
        !(ret = db_bind_i64(st, 3, v->aanbieder_id)) &&
        !(ret = db_bind_text(st, 4, v->kind_code, (size_t)-1)) &&
        !(ret = bind_opt_i64(st, 5, v->contract_id)) &&
        !(ret = bind_opt_i64(st, 6, v->provider_event_id)) &&
        !(ret = db_bind_i64(st, 7, v->period_from)) && !(ret = db_bind_i64(st, 8, v->period_to)) &&
        !(ret = db_bind_i64(st, 9, v->laws)) && !(ret = bind_opt_i64(st, 10, v->user_id)) &&
        !(ret = db_bind_text(st, 11, v->now, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    int64_t id = db_last_insert_id(db);
    for (int k = 0; k < ncriteria && !ret; k++) {
        st = NULL;
        if (!(ret = db_prepare(db, "review.item_insert", item, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, criteria[k])))
            ret = db_run(st);
        db_done(st);
    }
    if (!ret)
        *id_out = id;
    return ret;
}

#define REVIEW_COLUMNS                                                                             \
    "r.id, r.framework_id, r.owner_org_id, o.kind, o.name, r.aanbieder_id, p.name, r.kind, "       \
    "r.status, r.contract_id, r.provider_event_id, r.period_from, r.period_to, r.laws, "           \
    "r.principles_accepted_at, r.conversation_on, r.conversation_report, r.decision, "             \
    "r.decision_reason, r.decided_at, r.version, r.created_at, r.updated_at "
#define REVIEW_FROM                                                                                \
    "FROM review r JOIN organisation o ON o.id = r.owner_org_id JOIN organisation p ON p.id = "    \
    "r.aanbieder_id "

static enum org_kind kind_of_org(const char *c)
{
    if (!c)
        return ORG_GEMEENTE;
    if (strcmp(c, "region") == 0)
        return ORG_REGION;
    if (strcmp(c, "aanbieder") == 0)
        return ORG_AANBIEDER;
    if (strcmp(c, "toezichthouder") == 0)
        return ORG_TOEZICHTHOUDER;
    if (strcmp(c, "toegang") == 0)
        return ORG_TOEGANG;
    return ORG_GEMEENTE;
}

static int read_review(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct review *r = row;
    memset(r, 0, sizeof *r);
    r->id = db_col_i64(st, 0);
    r->framework_id = db_col_i64(st, 1);
    r->owner_org_id = db_col_i64(st, 2);
    r->owner_org_kind = kind_of_org(db_col_text(st, 3));
    r->aanbieder_id = db_col_i64(st, 5);
    r->kind = (enum review_kind)code_index(kind_codes, REVIEW_TOELATING, REVIEW_GEBEURTENIS,
                                           db_col_text(st, 7));
    r->status = (enum review_status)code_index(status_codes, REVIEW_CONCEPT, REVIEW_BESLOTEN,
                                               db_col_text(st, 8));
    r->contract_id = db_col_i64(st, 9);
    r->provider_event_id = db_col_i64(st, 10);
    r->period_from = (day_t)db_col_i64(st, 11);
    r->period_to = (day_t)db_col_i64(st, 12);
    r->laws = (unsigned)db_col_i64(st, 13);
    r->decision = (enum review_decision)code_index(decision_codes, DECISION_TOEGELATEN,
                                                   DECISION_NIET_TOEGELATEN, db_col_text(st, 17));
    r->version = db_col_i64(st, 20);
    if (!db_col_dup(a, st, 4, &r->owner_name) || !db_col_dup(a, st, 6, &r->aanbieder_name) ||
        !db_col_dup(a, st, 14, &r->principles_accepted_at) ||
        !db_col_dup(a, st, 15, &r->conversation_on) ||
        !db_col_dup(a, st, 16, &r->conversation_report) ||
        !db_col_dup(a, st, 18, &r->decision_reason) || !db_col_dup(a, st, 19, &r->decided_at) ||
        !db_col_dup(a, st, 21, &r->created_at) || !db_col_dup(a, st, 22, &r->updated_at))
        return ERR_NOMEM;
    return 0;
}

int review_store_get(struct arena *a, struct db *db, int64_t id, struct review *out)
{
    static const char sql[] = "SELECT " REVIEW_COLUMNS REVIEW_FROM "WHERE r.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = read_review(a, st, out, NULL);
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret;
}

int review_store_list(struct arena *a, struct db *db, const struct review_query *q, int cap,
                      struct review **out, int *n)
{
    static const char sql[] = "SELECT " REVIEW_COLUMNS REVIEW_FROM
                              "WHERE r.archived = 0 AND ($1 = 0 OR r.aanbieder_id = $1) AND "
                              "($2 = 0 OR r.owner_org_id = $2) AND ($3 IS NULL OR r.status = $3) "
                              "ORDER BY r.id DESC LIMIT $4";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "review.list", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, q ? q->aanbieder_id : 0)) &&
        !(ret = db_bind_i64(st, 2, q ? q->owner_org_id : 0)) &&
        !(ret = db_bind_text(st, 3, q ? q->status_code : NULL, (size_t)-1)) &&
        !(ret = db_bind_i64(st, 4, cap > 0 ? cap : 1000)))
        ret = db_collect(a, st, sizeof(struct review), read_review, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}

static int read_item(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct review_item *it = row;
    memset(it, 0, sizeof *it);
    it->criterion_id = db_col_i64(st, 0);
    it->theme_id = db_col_i64(st, 1);
    it->theme_position = (int)db_col_i64(st, 3);
    it->verify = (unsigned)db_col_i64(st, 7);
    it->local_org_id = db_col_i64(st, 8);
    it->applicable = db_col_i64(st, 9) != 0;
    if (!db_col_dup(a, st, 2, &it->theme) || !db_col_dup(a, st, 4, &it->code) ||
        !db_col_dup(a, st, 5, &it->text) || !db_col_dup(a, st, 6, &it->evidence) ||
        !db_col_dup(a, st, 10, &it->not_applicable_reason) ||
        !db_col_dup(a, st, 11, &it->self_declaration))
        return ERR_NOMEM;
    return 0;
}

int review_store_items(struct arena *a, struct db *db, int64_t id, struct review_item **out, int *n)
{
    static const char sql[] =
        "SELECT c.id, t.id, t.name, t.position, c.code, c.text, c.evidence, c.verify, "
        "coalesce(c.local_org_id, 0), i.applicable, i.not_applicable_reason, i.self_declaration "
        "FROM review_item i JOIN criterion c ON c.id = i.criterion_id JOIN framework_theme t ON "
        "t.id = c.theme_id WHERE i.review_id = $1 ORDER BY t.position, c.code";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "review.items", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = db_collect(a, st, sizeof(struct review_item), read_item, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}

static int read_view(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct review_view *v = row;
    memset(v, 0, sizeof *v);
    v->criterion_id = db_col_i64(st, 0);
    v->viewpoint = (enum review_viewpoint)db_col_i64(st, 1);
    v->verdict = verdict_of(db_col_text(st, 2));
    v->method = method_of(db_col_text(st, 4));
    v->shared = db_col_i64(st, 5) != 0;
    v->by_user = db_col_i64(st, 6);
    if (!db_col_dup(a, st, 3, &v->reason) || !db_col_dup(a, st, 7, &v->by_name) ||
        !db_col_dup(a, st, 8, &v->at))
        return ERR_NOMEM;
    return 0;
}

int review_store_views(struct arena *a, struct db *db, int64_t id, struct review_view **out, int *n)
{
    static const char sql[] =
        "SELECT v.criterion_id, v.viewpoint, v.verdict, v.reason, v.method, v.shared, "
        "coalesce(v.by_user, 0), u.display_name, v.at FROM review_view v LEFT JOIN user_account "
        "u ON u.id = v.by_user WHERE v.review_id = $1 ORDER BY v.criterion_id, v.viewpoint";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "review.views", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = db_collect(a, st, sizeof(struct review_view), read_view, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}

int review_store_bump(struct db *db, int64_t id, int64_t version, const char *now)
{
    static const char sql[] = "UPDATE review SET version = version + 1, updated_at = $3 "
                              "WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.bump", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = db_bind_text(st, 3, now, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    return db_changes(db) == 1 ? 0 : ERR_CONFLICT;
}

int review_store_set_item(struct db *db, int64_t id, int64_t criterion_id, bool applicable,
                          const char *reason, const char *self_declaration, const char *now)
{
    static const char sql[] =
        "UPDATE review_item SET applicable = $3, not_applicable_reason = $4, "
        "self_declaration = $5, updated_at = $6 WHERE review_id = $1 AND criterion_id = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.set_item", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, criterion_id)) &&
        !(ret = db_bind_i64(st, 3, applicable ? 1 : 0)) &&
        !(ret = db_bind_text(st, 4, reason ? reason : "", (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, self_declaration ? self_declaration : "", (size_t)-1)) &&
        !(ret = db_bind_text(st, 6, now, (size_t)-1)))
        return run_one(db, st);
    db_done(st);
    return ret;
}

int review_store_set_view(struct db *db, int64_t id, const struct review_view *v)
{
    static const char sql[] =
        "INSERT INTO review_view (review_id, criterion_id, viewpoint, verdict, reason, method, "
        "shared, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT "
        "(review_id, criterion_id, viewpoint) DO UPDATE SET verdict = excluded.verdict, reason = "
        "excluded.reason, method = excluded.method, shared = excluded.shared, by_user = "
        "excluded.by_user, at = excluded.at";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.set_view", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, v->criterion_id)) &&
        !(ret = db_bind_i64(st, 3, (int64_t)v->viewpoint)) &&
        !(ret = db_bind_text(st, 4, verdict_code(v->verdict), (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, v->reason ? v->reason : "", (size_t)-1)) &&
        !(ret = db_bind_text(st, 6, method_code(v->method), (size_t)-1)) &&
        !(ret = db_bind_i64(st, 7, v->shared ? 1 : 0)) &&
        !(ret = bind_opt_i64(st, 8, v->by_user)) && !(ret = db_bind_text(st, 9, v->at, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int review_store_set_status(struct db *db, int64_t id, const char *status_code, const char *now)
{
    static const char sql[] =
        "UPDATE review SET status = $2, submitted_at = CASE WHEN $2 = 'ingediend' THEN $3 ELSE "
        "submitted_at END WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.set_status", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_text(st, 2, status_code, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, now, (size_t)-1)))
        return run_one(db, st);
    db_done(st);
    return ret;
}

int review_store_set_principles(struct db *db, int64_t id, int64_t user_id, const char *now)
{
    static const char sql[] = "UPDATE review SET principles_accepted_at = $2, "
                              "principles_accepted_by = $3 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.set_principles", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_text(st, 2, now, (size_t)-1)) &&
        !(ret = bind_opt_i64(st, 3, user_id)))
        return run_one(db, st);
    db_done(st);
    return ret;
}

int review_store_set_conversation(struct db *db, int64_t id, const char *on_date,
                                  const char *report)
{
    static const char sql[] =
        "UPDATE review SET conversation_on = $2, conversation_report = $3 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.set_conversation", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_text(st, 2, on_date, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, report ? report : "", (size_t)-1)))
        return run_one(db, st);
    db_done(st);
    return ret;
}

int review_store_set_decision(struct db *db, int64_t id, const char *decision_code,
                              const char *reason, int64_t user_id, const char *now)
{
    static const char sql[] =
        "UPDATE review SET decision = $2, decision_reason = $3, decided_at = $4, decided_by = $5, "
        "status = 'besloten' WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.set_decision", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) &&
        !(ret = db_bind_text(st, 2, decision_code, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, reason ? reason : "", (size_t)-1)) &&
        !(ret = db_bind_text(st, 4, now, (size_t)-1)) && !(ret = bind_opt_i64(st, 5, user_id)))
        return run_one(db, st);
    db_done(st);
    return ret;
}

/* ---- Criteria, principles, links ------------------------------------------------------------- */

int review_store_applicable(struct arena *a, struct db *db, int64_t framework_id, unsigned laws,
                            int64_t local_org_id, int64_t **out, int *n)
{
    static const char sql[] =
        "SELECT c.id FROM criterion c JOIN framework_theme t ON t.id = c.theme_id "
        "WHERE c.framework_id = $1 AND c.archived = 0 AND c.merged_into IS NULL AND "
        "(c.laws & $2) != 0 AND (c.local_org_id IS NULL OR c.local_org_id = $3) "
        "ORDER BY t.position, c.code LIMIT 2000";
    struct db_stmt *st = NULL;
    size_t count = 0;
    *out = NULL;
    int ret = db_prepare(db, "review.applicable", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, framework_id)) && !(ret = db_bind_i64(st, 2, laws)) &&
        !(ret = db_bind_i64(st, 3, local_org_id > 0 ? local_org_id : -1)))
        ret = db_collect_ids(a, st, out, &count);
    db_done(st);
    *n = (int)count;
    return ret;
}

int review_store_principles(struct arena *a, struct db *db, int64_t framework_id, const char **out)
{
    static const char sql[] = "SELECT principles FROM framework WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.principles", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, framework_id))) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = db_col_dup(a, st, 0, out) ? 0 : ERR_NOMEM;
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret;
}

int review_store_set_principles_text(struct db *db, int64_t framework_id, const char *text)
{
    static const char sql[] = "UPDATE framework SET principles = $2 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.set_principles_text", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, framework_id)) &&
        !(ret = db_bind_text(st, 2, text ? text : "", (size_t)-1)))
        return run_one(db, st);
    db_done(st);
    return ret;
}

static int read_link(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct criterion_link *l = row;
    l->criterion_id = db_col_i64(st, 0);
    l->indicator_id = db_col_i64(st, 1);
    if (!db_col_dup(a, st, 2, &l->indicator_code) || !db_col_dup(a, st, 3, &l->indicator_name))
        return ERR_NOMEM;
    return 0;
}

int review_store_links(struct arena *a, struct db *db, int64_t framework_id,
                       struct criterion_link **out, int *n)
{
    static const char sql[] =
        "SELECT l.criterion_id, i.id, i.code, coalesce(json_extract(i.definition, '$.naam'), "
        "i.code) FROM criterion_indicator l JOIN criterion c ON c.id = l.criterion_id JOIN "
        "indicator i ON i.id = l.indicator_id WHERE c.framework_id = $1 AND i.archived = 0 "
        "ORDER BY l.criterion_id, i.code LIMIT 10000";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "review.links", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, framework_id)))
        ret = db_collect(a, st, sizeof(struct criterion_link), read_link, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}

int review_store_link(struct db *db, int64_t criterion_id, int64_t indicator_id, bool linked)
{
    static const char ins[] = "INSERT OR IGNORE INTO criterion_indicator (criterion_id, "
                              "indicator_id) VALUES ($1, $2)";
    static const char del[] =
        "DELETE FROM criterion_indicator WHERE criterion_id = $1 AND indicator_id = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, linked ? "review.link" : "review.unlink", linked ? ins : del, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, criterion_id)) &&
        !(ret = db_bind_i64(st, 2, indicator_id)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int review_store_criterion_links(struct arena *a, struct db *db, int64_t criterion_id,
                                 struct criterion_link **out, int *n)
{
    static const char sql[] =
        "SELECT l.criterion_id, i.id, i.code, coalesce(json_extract(i.definition, '$.naam'), "
        "i.code) AS name FROM criterion_indicator l JOIN indicator i ON i.id = l.indicator_id "
        "WHERE l.criterion_id = $1 AND i.archived = 0 ORDER BY name, i.code LIMIT 1000";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "review.crit_links", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, criterion_id)))
        ret = db_collect(a, st, sizeof(struct criterion_link), read_link, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}

int review_store_indicators(struct arena *a, struct db *db, struct criterion_link **out, int *n)
{
    static const char sql[] =
        "SELECT 0, i.id, i.code, coalesce(json_extract(i.definition, '$.naam'), i.code) AS name "
        "FROM indicator i WHERE i.archived = 0 ORDER BY name, i.code LIMIT 5000";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "review.indicators", sql, &st);
    if (!ret)
        ret = db_collect(a, st, sizeof(struct criterion_link), read_link, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}

static int read_provider(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct review_provider *p = row;
    memset(p, 0, sizeof *p);
    p->id = db_col_i64(st, 0);
    if (!db_col_dup(a, st, 1, &p->name) || !db_col_dup(a, st, 2, &p->agb_code))
        return ERR_NOMEM;
    return 0;
}

int review_store_aanbieders(struct arena *a, struct db *db, int64_t org_id,
                            struct review_provider **out, int *n)
{
    static const char sql[] =
        "SELECT id, name, agb_code FROM organisation WHERE kind = 'aanbieder' AND archived = 0 "
        "AND ($1 = 0 OR id = $1) ORDER BY name LIMIT 5000";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "review.aanbieders", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, org_id)))
        ret = db_collect(a, st, sizeof(struct review_provider), read_provider, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}

int review_store_event_review(struct db *db, int64_t event_id, int64_t *review_id)
{
    static const char sql[] =
        "SELECT coalesce(max(id), 0) FROM review WHERE provider_event_id = $1 AND archived = 0";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "review.event_review", sql, &st);
    *review_id = 0;
    if (!ret && !(ret = db_bind_i64(st, 1, event_id))) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            *review_id = db_col_i64(st, 0);
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = 0;
        }
    }
    db_done(st);
    return ret;
}

int review_store_owners_of(struct arena *a, struct db *db, int64_t aanbieder_id, int64_t **out,
                           int *n)
{
    static const char sql[] = "SELECT DISTINCT owner_org_id FROM review WHERE aanbieder_id = $1 "
                              "AND archived = 0 ORDER BY owner_org_id";
    struct db_stmt *st = NULL;
    size_t nr = 0;
    int ret;
    *out = NULL;
    if (!(ret = db_prepare(db, "review.owners", sql, &st)) &&
        !(ret = db_bind_i64(st, 1, aanbieder_id)))
        ret = db_collect_ids(a, st, out, &nr);
    db_done(st);
    *n = (int)nr;
    return ret;
}
