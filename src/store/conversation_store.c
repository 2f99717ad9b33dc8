/*
 * conversation_store.c: SQL for conversations, their links, phases, preparation notes,
 * approvals and evaluations. Edits of the plan, the conclusions, a phase and a note are each
 * guarded by their own version column (optimistic locking: two note-takers at one table).
 */
#include "store/conversation_store.h"
#include "core/common.h"
#include "core/str.h"

static int run_id(struct db *db, const char *name, const char *sql, int64_t id)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, name, sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

static int bind_opt_i64(struct db_stmt *st, int n, int64_t v)
{
    return v > 0 ? db_bind_i64(st, n, v) : db_bind_null(st, n);
}

static int bind_text(struct db_stmt *st, int n, const char *s)
{
    return db_bind_text(st, n, s, (size_t)-1);
}

/* ---- Plan ------------------------------------------------------------------------------------ */

/* Replaces results and participants; parties are merged so a kept party keeps its approval. */
static int write_links(struct db *db, int64_t id, const struct conv_values *v, bool replace)
{
    static const char del_r[] = "DELETE FROM conversation_result WHERE conversation_id = $1";
    static const char del_u[] = "DELETE FROM conversation_participant WHERE conversation_id = $1";
    static const char ins_r[] = "INSERT OR IGNORE INTO conversation_result "
                                "(conversation_id, result_id) VALUES ($1, $2)";
    static const char ins_p[] =
        "INSERT INTO conversation_party (conversation_id, org_id, side) VALUES ($1, $2, $3) "
        "ON CONFLICT (conversation_id, org_id) DO UPDATE SET side = excluded.side";
    static const char ins_u[] = "INSERT OR REPLACE INTO conversation_participant "
                                "(conversation_id, user_id, role) VALUES ($1, $2, $3)";
    struct db_stmt *st = NULL;
    int ret = 0;
    if (replace) {
        /* Parties no longer listed go; the others are upserted below and keep approvals. */
        if ((ret = run_id(db, "conv.del_results", del_r, id)) ||
            (ret = run_id(db, "conv.del_participants", del_u, id)))
            return ret;
        static const char del_gone[] =
            "DELETE FROM conversation_party WHERE conversation_id = $1 AND org_id NOT IN "
            "(SELECT value FROM json_each($2))";
        char list[CONV_MAX_PARTIES * 24 + 4];
        size_t off = 0;
        list[off++] = '[';
        for (int k = 0; k < v->nparties && off + 24 < sizeof list; k++)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%" PRId64, k ? "," : "",
                                    v->party_org_ids[k]);
        list[off++] = ']';
        list[off] = '\0';
        if (!(ret = db_prepare(db, "conv.del_gone_parties", del_gone, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = bind_text(st, 2, list)))
            ret = db_run(st);
        db_done(st);
        if (ret)
            return ret;
    }
    for (int k = 0; k < v->nresults && !ret; k++) {
        if (!(ret = db_prepare(db, "conv.ins_result", ins_r, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, v->result_ids[k])))
            ret = db_run(st);
        db_done(st);
    }
    for (int k = 0; k < v->nparties && !ret; k++) {
        if (!(ret = db_prepare(db, "conv.ins_party", ins_p, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, v->party_org_ids[k])) &&
            !(ret = bind_text(st, 3, v->party_sides[k])))
            ret = db_run(st);
        db_done(st);
    }
    for (int k = 0; k < v->nparticipants && !ret; k++) {
        if (!(ret = db_prepare(db, "conv.ins_participant", ins_u, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, v->participant_ids[k])) &&
            !(ret = bind_text(st, 3, v->participant_roles[k])))
            ret = db_run(st);
        db_done(st);
    }
    return ret;
}

/* $3.. : the plan columns. */
static int bind_values(struct db_stmt *st, const struct conv_values *v)
{
    int ret;
    if ((ret = db_bind_i64(st, 3, v->owner_org_id)) || (ret = bind_text(st, 4, v->kind_code)) ||
        (ret = bind_text(st, 5, v->title)) || (ret = bind_text(st, 6, v->goal ? v->goal : "")) ||
        (ret = bind_text(st, 7, v->gemeente)) || (ret = db_bind_i64(st, 8, v->period_from)) ||
        (ret = db_bind_i64(st, 9, v->period_to)) || (ret = db_bind_i64(st, 10, v->held_on)) ||
        (ret = bind_text(st, 11, v->place ? v->place : "")) ||
        (ret = bind_opt_i64(st, 12, v->previous_id)))
        return ret;
    return 0;
}

int conversation_store_insert(struct db *db, const struct conv_values *v, const char *now,
                              int64_t created_by, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO conversation (owner_org_id, kind, title, goal, gemeente, period_from, "
        "period_to, held_on, place, previous_id, status, version, created_at, updated_at, "
        "created_by) VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'gepland', 1, $1, $1, $2)";
    static const char phase[] =
        "INSERT INTO conversation_phase (conversation_id, phase) VALUES ($1, $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_text(st, 1, now)) || (ret = bind_opt_i64(st, 2, created_by)) ||
        (ret = bind_values(st, v)) || (ret = db_run(st)))
        goto out;
    int64_t id = db_last_insert_id(db);
    db_done(st);
    st = NULL;
    if ((ret = write_links(db, id, v, false)))
        goto out;
    for (int p = 0; p < CONV_PHASES && !ret; p++) {
        if (!(ret = db_prepare(db, "conv.ins_phase", phase, &st)) &&
            !(ret = db_bind_i64(st, 1, id)) &&
            !(ret = bind_text(st, 2, conv_phase_code((enum conv_phase)p))))
            ret = db_run(st);
        db_done(st);
        st = NULL;
    }
    if (!ret)
        *id_out = id;
out:
    db_done(st);
    return ret;
}

int conversation_store_update(struct db *db, int64_t id, int64_t version,
                              const struct conv_values *v, const char *now)
{
    static const char sql[] =
        "UPDATE conversation SET owner_org_id = $3, kind = $4, title = $5, goal = $6, "
        "gemeente = $7, period_from = $8, period_to = $9, held_on = $10, place = $11, "
        "previous_id = $12, updated_at = $13, version = version + 1 "
        "WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.update", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = bind_values(st, v)) || (ret = bind_text(st, 13, now)))
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

#define CONV_COLUMNS                                                                               \
    "c.id, c.owner_org_id, o.name, o.kind, c.kind, c.title, c.goal, c.gemeente, c.period_from, "   \
    "c.period_to, c.held_on, c.place, c.status, coalesce(c.previous_id, 0), c.summary, "           \
    "c.conclusions, c.version, c.created_at, c.updated_at "

static int read_conv(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conversation *out = row;
    enum conv_kind kind;
    enum conv_status status;
    enum org_kind ok = ORG_GEMEENTE;
    memset(out, 0, sizeof *out);
    if (conv_kind_parse(db_col_text(st, 4), &kind) ||
        conv_status_parse(db_col_text(st, 12), &status) ||
        org_kind_parse(str_from(db_col_text(st, 3)), &ok))
        return ERR_INVALID;
    out->id = db_col_i64(st, 0);
    out->owner_org_id = db_col_i64(st, 1);
    out->owner_org_kind = ok;
    out->kind = kind;
    out->status = status;
    out->period_from = (day_t)db_col_i64(st, 8);
    out->period_to = (day_t)db_col_i64(st, 9);
    out->held_on = (day_t)db_col_i64(st, 10);
    out->previous_id = db_col_i64(st, 13);
    out->version = db_col_i64(st, 16);
    if (!db_col_dup(a, st, 2, &out->owner_name) || !db_col_dup(a, st, 5, &out->title) ||
        !db_col_dup(a, st, 6, &out->goal) || !db_col_dup(a, st, 7, &out->gemeente) ||
        !db_col_dup(a, st, 11, &out->place) || !db_col_dup(a, st, 14, &out->summary) ||
        !db_col_dup(a, st, 15, &out->conclusions) || !db_col_dup(a, st, 17, &out->created_at) ||
        !db_col_dup(a, st, 18, &out->updated_at))
        return ERR_TOO_BIG;
    return 0;
}

static int read_i64(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a, (void)ctx;
    *(int64_t *)row = db_col_i64(st, 0);
    return 0;
}

static int read_party(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_party *p = row;
    enum conv_side side;
    enum org_kind ok = ORG_GEMEENTE;
    memset(p, 0, sizeof *p);
    if (conv_side_parse(db_col_text(st, 3), &side) ||
        org_kind_parse(str_from(db_col_text(st, 2)), &ok))
        return ERR_INVALID;
    p->org_id = db_col_i64(st, 0);
    p->org_kind = ok;
    p->side = side;
    p->approved_by = db_col_i64(st, 5);
    if (!db_col_dup(a, st, 1, &p->org_name) || !db_col_dup(a, st, 4, &p->approved_at) ||
        !db_col_dup(a, st, 6, &p->approved_by_name))
        return ERR_TOO_BIG;
    return 0;
}

static int read_participant(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_participant *p = row;
    enum conv_role role;
    memset(p, 0, sizeof *p);
    if (conv_role_parse(db_col_text(st, 4), &role))
        return ERR_INVALID;
    p->user_id = db_col_i64(st, 0);
    p->org_id = db_col_i64(st, 2);
    p->role = role;
    if (!db_col_dup(a, st, 1, &p->display_name) || !db_col_dup(a, st, 3, &p->org_name))
        return ERR_TOO_BIG;
    return 0;
}

static int load_links(struct arena *a, struct db *db, struct conversation *c)
{
    static const char sql_r[] = "SELECT result_id FROM conversation_result "
                                "WHERE conversation_id = $1 ORDER BY result_id";
    /* The owner first, then gemeente side, samenwerkingsverband, aanbieders; by name. */
    static const char sql_p[] =
        "SELECT p.org_id, o.name, o.kind, p.side, p.approved_at, coalesce(p.approved_by, 0), "
        "u.display_name FROM conversation_party p JOIN organisation o ON o.id = p.org_id "
        "LEFT JOIN user_account u ON u.id = p.approved_by "
        "JOIN conversation c ON c.id = p.conversation_id WHERE p.conversation_id = $1 "
        "ORDER BY p.org_id <> c.owner_org_id, "
        "CASE p.side WHEN 'gemeente' THEN 0 WHEN 'samenwerkingsverband' THEN 1 ELSE 2 END, "
        "o.name, o.id";
    static const char sql_u[] =
        "SELECT u.id, u.display_name, u.org_id, o.name, cp.role "
        "FROM conversation_participant cp JOIN user_account u ON u.id = cp.user_id "
        "JOIN organisation o ON o.id = u.org_id WHERE cp.conversation_id = $1 "
        "ORDER BY o.name, CASE cp.role WHEN 'gespreksleider' THEN 0 WHEN 'notulist' THEN 1 "
        "WHEN 'deelnemer' THEN 2 ELSE 3 END, u.display_name, u.id";
    struct db_stmt *st = NULL;
    void *rows;
    size_t n;
    int ret;
    if ((ret = db_prepare(db, "conv.results", sql_r, &st)) || (ret = db_bind_i64(st, 1, c->id)) ||
        (ret = db_collect(a, st, sizeof(int64_t), read_i64, NULL, &rows, &n)))
        goto out;
    c->result_ids = rows;
    c->nresults = (int)n;
    db_done(st);
    if ((ret = db_prepare(db, "conv.parties", sql_p, &st)) || (ret = db_bind_i64(st, 1, c->id)) ||
        (ret = db_collect(a, st, sizeof(struct conv_party), read_party, NULL, &rows, &n)))
        goto out;
    c->parties = rows;
    c->nparties = (int)n;
    db_done(st);
    if ((ret = db_prepare(db, "conv.participants", sql_u, &st)) ||
        (ret = db_bind_i64(st, 1, c->id)) ||
        (ret =
             db_collect(a, st, sizeof(struct conv_participant), read_participant, NULL, &rows, &n)))
        goto out;
    c->participants = rows;
    c->nparticipants = (int)n;
    c->minutes_approved = c->status == CONV_AFGEROND && c->nparties > 0;
    for (int k = 0; k < c->nparties; k++)
        if (!c->parties[k].approved_at)
            c->minutes_approved = false;
out:
    db_done(st);
    return ret;
}

int conversation_store_get(struct arena *a, struct db *db, int64_t id, struct conversation *out)
{
    static const char sql[] = "SELECT " CONV_COLUMNS "FROM conversation c "
                              "JOIN organisation o ON o.id = c.owner_org_id WHERE c.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.get", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (ret < 0)
        goto out;
    ret = read_conv(a, st, out, NULL);
    db_done(st);
    st = NULL;
    if (!ret)
        ret = load_links(a, db, out);
out:
    db_done(st);
    return ret;
}

int conversation_store_set_status(struct db *db, int64_t id, int64_t version,
                                  const char *status_code, const char *now)
{
    static const char sql[] = "UPDATE conversation SET status = $3, updated_at = $4, "
                              "version = version + 1 WHERE id = $1 AND ($2 < 0 OR version = $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.set_status", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = bind_text(st, 3, status_code)) && !(ret = bind_text(st, 4, now)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
    db_done(st);
    return ret;
}

int conversation_store_conclude(struct db *db, int64_t id, int64_t version, const char *summary,
                                const char *conclusions, const char *status_code, const char *now)
{
    static const char sql[] =
        "UPDATE conversation SET summary = $3, conclusions = $4, status = $5, updated_at = $6, "
        "version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.conclude", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = bind_text(st, 3, summary)) && !(ret = bind_text(st, 4, conclusions)) &&
        !(ret = bind_text(st, 5, status_code)) && !(ret = bind_text(st, 6, now)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
    db_done(st);
    return ret;
}

int conversation_store_clear_approvals(struct db *db, int64_t id)
{
    static const char sql[] = "UPDATE conversation_party SET approved_at = NULL, "
                              "approved_by = NULL WHERE conversation_id = $1 AND "
                              "approved_at IS NOT NULL";
    return run_id(db, "conv.clear_approvals", sql, id);
}

int conversation_store_set_approval(struct db *db, int64_t id, int64_t org_id, int64_t user_id,
                                    const char *now)
{
    static const char sql[] =
        "UPDATE conversation_party SET approved_at = CASE WHEN $3 > 0 THEN $4 END, "
        "approved_by = CASE WHEN $3 > 0 THEN $3 END WHERE conversation_id = $1 AND org_id = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.set_approval", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, org_id)) &&
        !(ret = db_bind_i64(st, 3, user_id)) && !(ret = bind_text(st, 4, now)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

/* ---- Phases ---------------------------------------------------------------------------------- */

int conversation_store_phases(struct arena *a, struct db *db, int64_t id,
                              struct conv_phase_notes out[CONV_PHASES])
{
    static const char sql[] =
        "SELECT ph.phase, ph.notes, ph.planned_minutes, ph.version, ph.updated_at, "
        "u.display_name FROM conversation_phase ph "
        "LEFT JOIN user_account u ON u.id = ph.updated_by WHERE ph.conversation_id = $1";
    struct db_stmt *st = NULL;
    for (int p = 0; p < CONV_PHASES; p++)
        out[p] = (struct conv_phase_notes){.phase = (enum conv_phase)p, .notes = ""};
    int ret = db_prepare(db, "conv.phases", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, id)))
        goto out;
    while ((ret = db_step(st)) == DB_ROW) {
        enum conv_phase ph;
        if (conv_phase_parse(db_col_text(st, 0), &ph))
            continue;
        struct conv_phase_notes *o = &out[ph];
        o->planned_minutes = (int)db_col_i64(st, 2);
        o->version = db_col_i64(st, 3);
        if (!db_col_dup(a, st, 1, &o->notes) || !db_col_dup(a, st, 4, &o->updated_at) ||
            !db_col_dup(a, st, 5, &o->updated_by_name)) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        if (!o->notes)
            o->notes = "";
    }
    if (ret == DB_DONE)
        ret = 0;
out:
    db_done(st);
    return ret;
}

int conversation_store_phase_save(struct db *db, int64_t id, const char *phase_code,
                                  const char *notes, int planned_minutes, int64_t version,
                                  const char *now, int64_t user_id)
{
    static const char upd[] =
        "UPDATE conversation_phase SET notes = $3, planned_minutes = $4, updated_at = $5, "
        "updated_by = $6, version = version + 1 "
        "WHERE conversation_id = $1 AND phase = $2 AND version = $7";
    static const char ins[] =
        "INSERT INTO conversation_phase (conversation_id, phase, notes, planned_minutes, "
        "updated_at, updated_by, version) VALUES ($1, $2, $3, $4, $5, $6, 1)";
    struct db_stmt *st = NULL;
    int ret = version > 0 ? db_prepare(db, "conv.phase_update", upd, &st)
                          : db_prepare(db, "conv.phase_insert", ins, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = bind_text(st, 2, phase_code)) &&
        !(ret = bind_text(st, 3, notes)) && !(ret = db_bind_i64(st, 4, planned_minutes)) &&
        !(ret = bind_text(st, 5, now)) && !(ret = bind_opt_i64(st, 6, user_id)) &&
        !(ret = version > 0 ? db_bind_i64(st, 7, version) : 0))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
    db_done(st);
    return ret;
}

/* ---- Preparation notes ----------------------------------------------------------------------- */

#define PREP_COLUMNS                                                                               \
    "n.id, n.conversation_id, n.org_id, coalesce(n.author_id, 0), o.name, u.display_name, "        \
    "n.body, n.shared_at, n.version, n.created_at, n.updated_at "
#define PREP_FROM                                                                                  \
    "FROM conversation_prep_note n JOIN organisation o ON o.id = n.org_id "                        \
    "LEFT JOIN user_account u ON u.id = n.author_id "

static int read_prep(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_prep_note *p = row;
    memset(p, 0, sizeof *p);
    p->id = db_col_i64(st, 0);
    p->conversation_id = db_col_i64(st, 1);
    p->org_id = db_col_i64(st, 2);
    p->author_id = db_col_i64(st, 3);
    p->version = db_col_i64(st, 8);
    if (!db_col_dup(a, st, 4, &p->org_name) || !db_col_dup(a, st, 5, &p->author_name) ||
        !db_col_dup(a, st, 6, &p->body) || !db_col_dup(a, st, 7, &p->shared_at) ||
        !db_col_dup(a, st, 9, &p->created_at) || !db_col_dup(a, st, 10, &p->updated_at))
        return ERR_TOO_BIG;
    return 0;
}

int conversation_store_prep_list(struct arena *a, struct db *db, int64_t conversation_id,
                                 struct conv_prep_note **out, int *n)
{
    static const char sql[] = "SELECT " PREP_COLUMNS PREP_FROM
                              "WHERE n.conversation_id = $1 ORDER BY o.name, n.org_id, n.id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    int ret = db_prepare(db, "conv.prep_list", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, conversation_id)))
        ret = db_collect(a, st, sizeof(struct conv_prep_note), read_prep, NULL, &rows, &cnt);
    db_done(st);
    *out = rows;
    *n = (int)cnt;
    return ret;
}

int conversation_store_prep_get(struct arena *a, struct db *db, int64_t note_id,
                                struct conv_prep_note *out)
{
    static const char sql[] = "SELECT " PREP_COLUMNS PREP_FROM "WHERE n.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.prep_get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, note_id))) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = read_prep(a, st, out, NULL);
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret;
}

int conversation_store_prep_insert(struct db *db, int64_t conversation_id, int64_t org_id,
                                   int64_t author_id, const char *body, bool shared,
                                   const char *now, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO conversation_prep_note (conversation_id, org_id, author_id, body, shared_at, "
        "version, created_at, updated_at) VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN $6 END, 1, "
        "$6, $6)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.prep_insert", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, conversation_id)) &&
        !(ret = db_bind_i64(st, 2, org_id)) && !(ret = bind_opt_i64(st, 3, author_id)) &&
        !(ret = bind_text(st, 4, body)) && !(ret = db_bind_i64(st, 5, shared ? 1 : 0)) &&
        !(ret = bind_text(st, 6, now)))
        ret = db_run(st);
    if (!ret)
        *id_out = db_last_insert_id(db);
    db_done(st);
    return ret;
}

int conversation_store_prep_update(struct db *db, int64_t note_id, int64_t version,
                                   const char *body, bool shared, const char *now)
{
    static const char sql[] =
        "UPDATE conversation_prep_note SET body = $3, "
        "shared_at = CASE WHEN $4 THEN coalesce(shared_at, $5) END, updated_at = $5, "
        "version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.prep_update", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, note_id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = bind_text(st, 3, body)) && !(ret = db_bind_i64(st, 4, shared ? 1 : 0)) &&
        !(ret = bind_text(st, 5, now)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
    db_done(st);
    return ret;
}

int conversation_store_prep_delete(struct db *db, int64_t note_id)
{
    static const char sql[] = "DELETE FROM conversation_prep_note WHERE id = $1";
    int ret = run_id(db, "conv.prep_delete", sql, note_id);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    return ret;
}

/* ---- Evaluations ----------------------------------------------------------------------------- */

static int read_eval(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_evaluation *ev = row;
    enum conv_goal g;
    memset(ev, 0, sizeof *ev);
    if (conv_goal_parse(db_col_text(st, 4), &g))
        return ERR_INVALID;
    ev->conversation_id = db_col_i64(st, 0);
    ev->user_id = db_col_i64(st, 1);
    ev->org_id = db_col_i64(st, 2);
    ev->rating = (int)db_col_i64(st, 3);
    ev->goal_reached = g;
    if (!db_col_dup(a, st, 5, &ev->went_well) || !db_col_dup(a, st, 6, &ev->tips) ||
        !db_col_dup(a, st, 7, &ev->at))
        return ERR_TOO_BIG;
    return 0;
}

#define EVAL_COLUMNS "conversation_id, user_id, org_id, rating, goal_reached, went_well, tips, at "

int conversation_store_eval_get(struct arena *a, struct db *db, int64_t conversation_id,
                                int64_t user_id, struct conv_evaluation *out)
{
    static const char sql[] = "SELECT " EVAL_COLUMNS "FROM conversation_evaluation "
                              "WHERE conversation_id = $1 AND user_id = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.eval_get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, conversation_id)) &&
        !(ret = db_bind_i64(st, 2, user_id))) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = read_eval(a, st, out, NULL);
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret;
}

int conversation_store_eval_put(struct db *db, const struct conv_evaluation *ev)
{
    static const char sql[] = "INSERT OR REPLACE INTO conversation_evaluation (" EVAL_COLUMNS
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.eval_put", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, ev->conversation_id)) &&
        !(ret = db_bind_i64(st, 2, ev->user_id)) && !(ret = db_bind_i64(st, 3, ev->org_id)) &&
        !(ret = db_bind_i64(st, 4, ev->rating)) &&
        !(ret = bind_text(st, 5, conv_goal_code(ev->goal_reached))) &&
        !(ret = bind_text(st, 6, ev->went_well ? ev->went_well : "")) &&
        !(ret = bind_text(st, 7, ev->tips ? ev->tips : "")) && !(ret = bind_text(st, 8, ev->at)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int conversation_store_eval_list(struct arena *a, struct db *db, int64_t conversation_id,
                                 struct conv_evaluation **out, int *n)
{
    static const char sql[] = "SELECT " EVAL_COLUMNS "FROM conversation_evaluation "
                              "WHERE conversation_id = $1 ORDER BY at, user_id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    int ret = db_prepare(db, "conv.eval_list", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, conversation_id)))
        ret = db_collect(a, st, sizeof(struct conv_evaluation), read_eval, NULL, &rows, &cnt);
    db_done(st);
    *out = rows;
    *n = (int)cnt;
    return ret;
}

static int read_eval_row(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a, (void)ctx;
    struct conv_eval_row *r = row;
    enum conv_goal g;
    if (conv_goal_parse(db_col_text(st, 3), &g))
        return ERR_INVALID;
    r->conversation_id = db_col_i64(st, 0);
    r->held_on = (day_t)db_col_i64(st, 1);
    r->rating = (int)db_col_i64(st, 2);
    r->goal = g;
    return 0;
}

int conversation_store_eval_over(struct arena *a, struct db *db, int64_t org_id, int cap,
                                 struct conv_eval_row **out, int *n)
{
    static const char sql[] =
        "SELECT c.id, c.held_on, e.rating, e.goal_reached FROM conversation_evaluation e "
        "JOIN conversation c ON c.id = e.conversation_id "
        "WHERE c.status IN ('gehouden','afgerond') AND (c.owner_org_id = $1 OR c.owner_org_id IN "
        "(SELECT child_id FROM organisation_parent WHERE parent_id = $1)) "
        "ORDER BY c.held_on DESC, c.id LIMIT $2";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    int ret = db_prepare(db, "conv.eval_over", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, org_id)) && !(ret = db_bind_i64(st, 2, cap)))
        ret = db_collect(a, st, sizeof(struct conv_eval_row), read_eval_row, NULL, &rows, &cnt);
    db_done(st);
    *out = rows;
    *n = (int)cnt;
    return ret;
}

/* ---- Lists ----------------------------------------------------------------------------------- */

/* "1,2,3" -> arena array. */
static int parse_ids(struct arena *a, const char *s, int64_t **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (!s || !*s)
        return 0;
    int count = 1;
    for (const char *p = s; *p; p++)
        count += *p == ',';
    int64_t *ids = arena_calloc(a, (size_t)count, sizeof *ids);
    if (!ids)
        return ERR_NOMEM;
    int got = 0;
    const char *p = s;
    while (*p && got < count) {
        const char *q = p;
        while (*q && *q != ',')
            q++;
        int64_t v = 0;
        if (str_parse_i64((struct str){p, (size_t)(q - p)}, 1, INT64_MAX, &v) == 0)
            ids[got++] = v;
        p = *q ? q + 1 : q;
    }
    *out = ids;
    *n = got;
    return 0;
}

static int read_key(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_key *k = row;
    enum org_kind ok = ORG_GEMEENTE;
    memset(k, 0, sizeof *k);
    k->id = db_col_i64(st, 0);
    k->owner_org_id = db_col_i64(st, 1);
    if (org_kind_parse(str_from(db_col_text(st, 2)), &ok))
        return ERR_INVALID;
    k->owner_kind = ok;
    int ret = parse_ids(a, db_col_text(st, 3), &k->parties, &k->nparties);
    if (!ret)
        ret = parse_ids(a, db_col_text(st, 4), &k->participants, &k->nparticipants);
    return ret;
}

int conversation_store_scan(struct arena *a, struct db *db, const struct conv_query *q, int cap,
                            struct conv_key **out, int *n)
{
    static const char sql[] =
        "SELECT c.id, c.owner_org_id, o.kind, "
        "(SELECT group_concat(org_id) FROM conversation_party WHERE conversation_id = c.id), "
        "(SELECT group_concat(user_id) FROM conversation_participant "
        " WHERE conversation_id = c.id) "
        "FROM conversation c JOIN organisation o ON o.id = c.owner_org_id WHERE "
        "($1 IS NULL OR c.status = $1) AND ($2 = 0 OR c.owner_org_id = $2) AND "
        "($3 = 0 OR EXISTS (SELECT 1 FROM conversation_party p WHERE p.conversation_id = c.id "
        " AND p.org_id = $3)) AND "
        "($4 = 0 OR EXISTS (SELECT 1 FROM conversation_result r WHERE r.conversation_id = c.id "
        " AND r.result_id = $4)) AND "
        "($5 = 0 OR c.held_on BETWEEN $6 AND $7) AND "
        "(($8 > 0 AND (c.owner_org_id = $8 OR EXISTS (SELECT 1 FROM conversation_party p "
        "  WHERE p.conversation_id = c.id AND p.org_id = $8))) OR "
        " ($9 > 0 AND EXISTS (SELECT 1 FROM conversation_participant u "
        "  WHERE u.conversation_id = c.id AND u.user_id = $9))) "
        "ORDER BY c.held_on DESC, c.id DESC LIMIT $10";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    int ret = db_prepare(db, "conv.scan", sql, &st);
    if (!ret && !(ret = bind_text(st, 1, q->status_code)) &&
        !(ret = db_bind_i64(st, 2, q->owner_org_id)) &&
        !(ret = db_bind_i64(st, 3, q->party_org_id)) && !(ret = db_bind_i64(st, 4, q->result_id)) &&
        !(ret = db_bind_i64(st, 5, q->has_period ? 1 : 0)) &&
        !(ret = db_bind_i64(st, 6, q->from)) && !(ret = db_bind_i64(st, 7, q->to)) &&
        !(ret = db_bind_i64(st, 8, q->member_org)) && !(ret = db_bind_i64(st, 9, q->member_user)) &&
        !(ret = db_bind_i64(st, 10, cap)))
        ret = db_collect(a, st, sizeof(struct conv_key), read_key, NULL, &rows, &cnt);
    db_done(st);
    *out = rows;
    *n = (int)cnt;
    return ret;
}

static int read_candidate(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct conv_participant *p = row;
    memset(p, 0, sizeof *p);
    p->user_id = db_col_i64(st, 0);
    p->org_id = db_col_i64(st, 2);
    if (!db_col_dup(a, st, 1, &p->display_name) || !db_col_dup(a, st, 3, &p->org_name))
        return ERR_TOO_BIG;
    return 0;
}

int conversation_store_candidates(struct arena *a, struct db *db, const char *org_ids_json, int cap,
                                  struct conv_participant **out, int *n)
{
    static const char sql[] =
        "SELECT u.id, u.display_name, u.org_id, o.name FROM user_account u "
        "JOIN organisation o ON o.id = u.org_id WHERE u.active = 1 AND u.org_id IN "
        "(SELECT value FROM json_each($1)) ORDER BY o.name, o.id, u.display_name, u.id LIMIT $2";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    int ret = db_prepare(db, "conv.candidates", sql, &st);
    if (!ret && !(ret = bind_text(st, 1, org_ids_json)) && !(ret = db_bind_i64(st, 2, cap)))
        ret = db_collect(a, st, sizeof(struct conv_participant), read_candidate, NULL, &rows, &cnt);
    db_done(st);
    *out = rows;
    *n = (int)cnt;
    return ret;
}

int conversation_store_mark_prepared(struct db *db, int64_t id)
{
    static const char sql[] = "UPDATE conversation SET status = 'voorbereid', "
                              "version = version + 1 WHERE id = $1 AND status = 'gepland'";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "conv.mark_prepared", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = db_run(st);
    db_done(st);
    return ret;
}
