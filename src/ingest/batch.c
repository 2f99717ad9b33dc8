/*
 * batch.c: looking at import batches, their rejected records and correction files, and
 * undoing a batch (batch.h). Every read of rejected records is audited, since they may hold
 * person-level values; undo is one transaction that removes the batch's facts, rebuilds every
 * group it touched from what remains, forgets persons left without facts, and marks the batch
 * "ongedaan".
 */
#include "ingest/batch.h"
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "ingest/rebuild.h"
#include "store/contract_store.h"
#include "store/intake_store.h"
#include <jansson.h>
#include <time.h>

#define LIST_DEFAULT    50
#define LIST_MAX        500
#define REJECTIONS_MAX  1000
#define CORRECTION_PAGE 1000
#define UTF8_BOM        "\xEF\xBB\xBF"

static bool sees_all(const struct actor *a)
{
    return a->user_id < 0 || (a->roles & ROLE_BEHEERDER);
}

static struct object_ref batch_ref(int64_t id, int64_t owner)
{
    struct object_ref o = {.kind = OBJ_IMPORT_BATCH, .id = id, .owner_org_id = owner};
    return o;
}

static struct db *reader(struct store *s, struct err_ctx *e)
{
    struct db *db = store_reader(s);
    if (!db)
        err_set(e, ERR_DB, NULL, "cannot open a database reader");
    return db;
}

int batch_list(struct store *s, const struct actor *a, const struct batch_filter *f,
               struct arena *ar, struct import_batch **out, int *n, int64_t *total,
               struct err_ctx *e)
{
    struct object_ref obj = batch_ref(0, a ? a->org_id : 0);
    if (!a || !policy_allows(a, ACT_LIST, &obj))
        return err_set(e, ERR_DENIED, NULL, "%s", _("U mag deze gegevens niet inzien."));
    struct intake_batch_query q = {.limit = LIST_DEFAULT};
    if (f) {
        if (f->offset < 0 || f->limit < 0)
            return err_set(e, ERR_INVALID, "limit", "%s", _("Ongeldige paginering."));
        q.org_id = f->org_id;
        q.status = f->status;
        q.kind = f->kind;
        q.offset = f->offset;
        q.limit = f->limit ? f->limit : LIST_DEFAULT;
    }
    if (q.limit > LIST_MAX)
        q.limit = LIST_MAX;
    /* Others see only the batches their own organisation delivered. */
    if (!sees_all(a))
        q.org_id = a->org_id;
    struct db *db = reader(s, e);
    if (!db)
        return ERR_DB;
    struct import_batch *rows = arena_calloc(ar, (size_t)q.limit + 1, sizeof *rows);
    if (!rows)
        return ERR_TOO_BIG;
    int ret = db_begin(db); /* one snapshot for count and page */
    if (ret)
        return ret;
    ret = intake_batch_count(db, &q, total);
    if (!ret)
        ret = intake_batch_list(ar, db, &q, rows, (int)q.limit, n);
    db_rollback(db);
    if (!ret)
        *out = rows;
    return ret;
}

/* Reads a batch and checks the actor may `act` on it. */
static int load_checked(struct db *db, const struct actor *a, enum action act, int64_t id,
                        struct arena *ar, struct import_batch *out, struct err_ctx *e)
{
    int ret = intake_batch_get(ar, db, id, out);
    if (ret == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, NULL, "%s", _("Deze levering bestaat niet."));
    if (ret)
        return ret;
    struct object_ref obj = batch_ref(id, out->org_id);
    if (!a || !policy_allows(a, act, &obj))
        return err_set(e, ERR_DENIED, NULL, "%s", _("U mag deze levering niet inzien."));
    return 0;
}

int batch_get(struct store *s, const struct actor *a, int64_t id, struct arena *ar,
              struct import_batch *out, struct err_ctx *e)
{
    struct db *db = reader(s, e);
    if (!db)
        return ERR_DB;
    return load_checked(db, a, ACT_VIEW, id, ar, out, e);
}

int batch_rejections(struct store *s, const struct actor *a, int64_t id, int64_t offset,
                     int64_t limit, struct arena *ar, struct import_rejection **out, int *n,
                     int64_t *total, struct err_ctx *e)
{
    struct import_batch b;
    char detail[80];
    if (offset < 0 || limit < 0)
        return err_set(e, ERR_INVALID, "limit", "%s", _("Ongeldige paginering."));
    if (limit == 0)
        limit = LIST_DEFAULT;
    if (limit > REJECTIONS_MAX)
        limit = REJECTIONS_MAX;
    struct db *db = reader(s, e);
    if (!db)
        return ERR_DB;
    int ret = load_checked(db, a, ACT_VIEW, id, ar, &b, e);
    if (ret)
        return ret;
    struct import_rejection *rows = arena_calloc(ar, (size_t)limit + 1, sizeof *rows);
    if (!rows)
        return ERR_TOO_BIG;
    if ((ret = db_begin(db)))
        return ret;
    ret = intake_rejection_count(db, id, false, total);
    if (!ret)
        ret = intake_rejection_list(ar, db, id, false, offset, limit, rows, (int)limit, n);
    db_rollback(db);
    if (ret)
        return ret;
    *out = rows;
    snprintf(detail, sizeof detail, "offset=%" PRId64 " n=%d", offset, *n);
    return audit_record(s, a, "import.rejections.view", "import_batch", id, detail);
}

/* ---- Correction file. ------------------------------------------------------------------------ */

/* One CSV cell (RFC 4180, ';' separated): quoted when it holds ; " CR LF or edge spaces. */
static int cell(struct buf *b, const char *s, size_t n, bool first)
{
    int ret = 0;
    if (!first && (ret = buf_append_char(b, ';')))
        return ret;
    bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ';' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return buf_append(b, s, n);
    if ((ret = buf_append_char(b, '"')))
        return ret;
    for (size_t i = 0; i < n && !ret; i++)
        ret = s[i] == '"' ? buf_append(b, "\"\"", 2) : buf_append_char(b, s[i]);
    return ret ? ret : buf_append_char(b, '"');
}

static int cell_str(struct buf *b, const char *s, bool first)
{
    return cell(b, s ? s : "", s ? strlen(s) : 0, first);
}

/* Our own text (reasons): a leading = + - @ would make a spreadsheet evaluate it. */
static int cell_text(struct buf *b, const char *s, bool first)
{
    if (s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) {
        int ret = first ? 0 : buf_append_char(b, ';');
        if (!ret)
            ret = buf_append_char(b, '\'');
        return ret ? ret : cell(b, s, strlen(s), true);
    }
    return cell_str(b, s, first);
}

static int cell_i64(struct buf *b, int64_t v, bool first)
{
    char num[24] = "";
    if (v > 0)
        snprintf(num, sizeof num, "%" PRId64, v);
    return cell_str(b, num, first);
}

static int end_row(struct buf *b)
{
    return buf_append(b, "\r\n", 2);
}

/* The delivered header from the batch detail, or NULL. */
static json_t *detail_header(const struct import_batch *b)
{
    if (!b->detail)
        return NULL;
    json_t *d = json_loads(b->detail, 0, NULL);
    json_t *h = d ? json_object_get(d, "header") : NULL;
    if (h && json_is_array(h))
        json_incref(h);
    else
        h = NULL;
    json_decref(d);
    return h;
}

static int registration_row(struct buf *out, const struct import_rejection *r, size_t ncols)
{
    json_t *f = r->fields ? json_loads(r->fields, 0, NULL) : NULL;
    int ret = 0;
    for (size_t c = 0; c < ncols && !ret; c++) {
        json_t *v = f && json_is_array(f) ? json_array_get(f, c) : NULL;
        ret = v && json_is_string(v)
                  ? cell(out, json_string_value(v), json_string_length(v), c == 0)
                  : cell_str(out, "", c == 0);
    }
    json_decref(f);
    if (!ret)
        ret = cell_i64(out, r->record, ncols == 0);
    if (!ret)
        ret = cell_text(out, r->reason, false);
    return ret ? ret : end_row(out);
}

static int message_row(struct buf *out, const struct import_rejection *r)
{
    int ret = cell_str(out, r->source, true);
    if (!ret)
        ret = cell_i64(out, r->line ? r->line : r->record, false);
    if (!ret)
        ret = cell_str(out, r->element, false);
    if (!ret)
        ret = cell_text(out, r->reason, false);
    return ret ? ret : end_row(out);
}

int batch_correction_file(struct store *s, const struct actor *a, int64_t id, struct arena *ar,
                          struct buf *out, const char **file_name, struct err_ctx *e)
{
    struct import_batch b;
    struct arena *page = NULL;
    json_t *header = NULL;
    int ret = 0;

    struct db *db = reader(s, e);
    if (!db)
        return ERR_DB;
    if ((ret = load_checked(db, a, ACT_VIEW, id, ar, &b, e)))
        return ret;
    if (out->max == 0)
        buf_init(out, BUF_MAX_EXPORT);
    bool registration = strcmp(b.kind, "registratie") == 0;
    header = registration ? detail_header(&b) : NULL;
    size_t ncols = header ? json_array_size(header) : 0;
    if ((ret = buf_append_str(out, UTF8_BOM)))
        goto out;
    if (header) {
        for (size_t c = 0; c < ncols && !ret; c++) {
            json_t *v = json_array_get(header, c);
            ret = cell_str(out, json_is_string(v) ? json_string_value(v) : "", c == 0);
        }
        if (!ret)
            ret = cell_str(out, "regel", ncols == 0);
        if (!ret)
            ret = cell_str(out, "reden", false);
    } else {
        ret = cell_str(out, "bestand", true);
        if (!ret)
            ret = cell_str(out, "regel", false);
        if (!ret)
            ret = cell_str(out, "element", false);
        if (!ret)
            ret = cell_str(out, "reden", false);
    }
    if (ret || (ret = end_row(out)))
        goto out;
    if ((ret = db_begin(db)))
        goto out;
    page = arena_new(0);
    struct import_rejection *rows = NULL;
    for (int64_t off = 0;; off += CORRECTION_PAGE) {
        struct arena_mark mk = arena_mark(page);
        int n = 0;
        rows = arena_calloc(page, CORRECTION_PAGE, sizeof *rows);
        ret = rows ? intake_rejection_list(page, db, id, true, off, CORRECTION_PAGE, rows,
                                           CORRECTION_PAGE, &n)
                   : ERR_TOO_BIG;
        for (int i = 0; i < n && !ret; i++)
            ret = header ? registration_row(out, &rows[i], ncols) : message_row(out, &rows[i]);
        arena_reset_to(page, mk);
        if (ret || n < CORRECTION_PAGE)
            break;
    }
    db_rollback(db);
    if (ret)
        goto out;
    *file_name = arena_printf(ar, "correcties-levering-%" PRId64 ".csv", id);
    ret = audit_record(s, a, "import.correction.download", "import_batch", id, b.kind);
out:
    if (ret == ERR_TOO_BIG)
        err_set(e, ret, NULL, "%s", _("Het correctiebestand wordt te groot."));
    arena_free(page);
    json_decref(header);
    return ret;
}

/* ---- Undo. ----------------------------------------------------------------------------------- */

struct groups {
    struct intake_group *v;
    size_t n, cap;
};

static int collect_group(void *ctx, const struct intake_group *g)
{
    struct groups *gs = ctx;
    if (gs->n == gs->cap) {
        gs->cap = gs->cap ? gs->cap * 2 : 256;
        gs->v = xrealloc(gs->v, gs->cap * sizeof *gs->v);
    }
    gs->v[gs->n++] = *g;
    return 0;
}

int batch_undo(struct store *s, const struct actor *a, int64_t id, struct err_ctx *e)
{
    struct arena *ar = arena_new(0);
    struct groups gs = {0};
    struct intake_facts facts = {0};
    struct intake_writer *w = NULL;
    struct import_batch b;
    struct db *db = NULL;
    char at[AUDIT_TS_SIZE], detail[120];
    int64_t trajectories = 0;
    bool writing = false;
    int ret = 0;

    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = load_checked(db, a, ACT_UNDO, id, ar, &b, e)))
        goto out;
    if (strcmp(b.status, "actief") != 0) {
        ret = err_set(e, ERR_CONFLICT, NULL, "%s",
                      _("Alleen een actieve levering kan ongedaan worden gemaakt."));
        goto out;
    }
    /* The groups first: once the facts are gone they cannot be found. */
    if ((ret = intake_fact_groups_of_batch(db, id, collect_group, &gs)) ||
        (ret = intake_fact_delete_batch(db, id)) || (ret = intake_message_delete_batch(db, id)) ||
        (ret = claim_store_delete_batch(db, id)) || (ret = intake_population_delete_batch(db, id)))
        goto out;
    if ((ret = intake_writer_open(db, &w)))
        goto out;
    for (size_t i = 0; i < gs.n; i++) {
        struct rebuild_result res;
        struct arena_mark mk = arena_mark(ar);
        ret = rebuild_group(db, w, &gs.v[i], false, ar, &facts, &res);
        arena_reset_to(ar, mk);
        if (ret)
            goto out;
        trajectories += (int64_t)res.trajectories;
    }
    if ((ret = intake_writer_flush(w)))
        goto out;
    /* A person this batch brought and no other batch knows is forgotten entirely (the groups
     * come in person order, so each person once). */
    for (size_t i = 0; i < gs.n; i++) {
        bool removed = false;
        if (i > 0 && gs.v[i].person_id == gs.v[i - 1].person_id)
            continue;
        if ((ret = intake_person_delete_unused(db, gs.v[i].person_id, &removed)))
            goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = intake_batch_set_undone(db, id, at, a->user_id)))
        goto out;
    /* The change journal the indicator engine follows, with the groups rebuilt (their facts are
     * gone now, so the engine could not find them from the batch). */
    int64_t seq = 0;
    if ((ret = intake_change_insert(db, id, "undo", at, &seq)))
        goto out;
    for (size_t i = 0; i < gs.n; i++)
        if ((ret = intake_change_group_insert(db, seq, &gs.v[i])))
            goto out;
    snprintf(detail, sizeof detail, "kind=%s groups=%zu trajectories=%" PRId64, b.kind, gs.n,
             trajectories);
    ret = audit_write(db, a, "import.undo", "import_batch", id, detail);
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    if (!ret) {
        char idt[24], ng[24];
        snprintf(idt, sizeof idt, "%" PRId64, id);
        snprintf(ng, sizeof ng, "%zu", gs.n);
        log_info("import.undone", "batch", idt, "groups", ng, NULL);
    } else if (ret == ERR_DB && e && !e->msg[0]) {
        err_set(e, ret, NULL, "%s", _("De database gaf een fout; er is niets veranderd."));
    }
    free(gs.v);
    intake_writer_close(w);
    intake_facts_free(&facts);
    arena_free(ar);
    return ret;
}

/* ---- Totals. --------------------------------------------------------------------------------- */

int intake_totals(struct store *s, const struct actor *a, struct intake_totals *out,
                  struct err_ctx *e)
{
    struct object_ref obj = batch_ref(0, a ? a->org_id : 0);
    struct intake_scope sc = {0};
    struct arena *ar = NULL;
    int ret = 0;

    memset(out, 0, sizeof *out);
    if (!a || !policy_allows(a, ACT_LIST, &obj))
        return err_set(e, ERR_DENIED, NULL, "%s", _("U mag deze gegevens niet inzien."));
    if (sees_all(a)) {
        sc.all = true;
    } else {
        struct org o;
        ar = arena_new(0);
        if ((ret = org_get_internal(ar, s, a->org_id, &o)))
            goto out;
        sc.org_id = o.id;
        if (o.kind == ORG_AANBIEDER)
            sc.aanbieder_id = o.id;
        else if (o.kind == ORG_GEMEENTE && o.cbs_code && strlen(o.cbs_code) == 6)
            sc.gemeente = o.cbs_code + 2;
        else if (o.kind == ORG_REGION)
            sc.region_id = o.id;
    }
    struct db *db = reader(s, e);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    if ((ret = db_begin(db)))
        goto out;
    ret = intake_store_totals(db, &sc, &out->trajectories, &out->open_trajectories,
                              &out->batches_active, &out->facts);
    db_rollback(db);
out:
    arena_free(ar);
    return ret;
}
