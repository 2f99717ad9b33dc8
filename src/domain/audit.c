/*
 * audit.c: the audit log. Changes are recorded inside the caller's write transaction, so an
 * event exists exactly when its change was committed; logins get a transaction of their own.
 * Only the beheerder reads the log (policy.c).
 */
#include "domain/audit.h"
#include "core/common.h"
#include "core/log.h"
#include "domain/policy.h"
#include "store/audit_store.h"

void audit_format_time(time_t t, char out[static AUDIT_TS_SIZE])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) ||
        strftime(out, AUDIT_TS_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) != AUDIT_TS_SIZE - 1) {
        /* Only for years beyond 9999 or before 0: keep the column's fixed form. */
        memcpy(out, "1970-01-01T00:00:00Z", AUDIT_TS_SIZE);
    }
}

/* Length of at most max bytes of s, not splitting a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

int audit_write(struct db *db, const struct actor *who, const char *action, const char *object_kind,
                int64_t object_id, const char *detail)
{
    char at[AUDIT_TS_SIZE];
    char cut[AUDIT_DETAIL_MAX + 1];
    int ret = 0;

    if (!db || !action || !*action) {
        ret = ERR_INTERNAL;
        goto out;
    }
    if (detail) {
        size_t n = cut_utf8(detail, AUDIT_DETAIL_MAX);
        memcpy(cut, detail, n);
        cut[n] = '\0';
        detail = cut;
    }
    audit_format_time(time(NULL), at);
    /* Actors without an account (the CLI, user_id -1) are named by their display name. */
    const char *login = who && who->user_id < 0 ? who->display_name : NULL;
    ret = audit_store_insert(db, at, who ? who->user_id : 0, login, action, object_kind, object_id,
                             detail);
    if (ret)
        log_error("audit.write", "action", action, "err", err_name(ret), NULL);
out:
    return ret;
}

int audit_record(struct store *s, const struct actor *who, const char *action,
                 const char *object_kind, int64_t object_id, const char *detail)
{
    struct db *db = NULL;
    int ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    ret = audit_write(db, who, action, object_kind, object_id, detail);
    int end = store_write_end(s, ret == 0);
    if (!ret)
        ret = end;
out:
    return ret;
}

int audit_list(struct arena *a, struct store *s, const struct actor *who,
               const struct audit_filter *f, struct audit_event **out, int *n, int *total)
{
    const struct object_ref obj = {.kind = OBJ_AUDIT};
    struct audit_query q = {0};
    struct audit_event *rows = NULL;
    struct db *db = NULL;
    bool in_tx = false;
    int count = 0, got = 0;
    int ret = 0;

    if (!policy_allows(who, ACT_LIST, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (f) {
        if (f->limit < 0 || f->offset < 0) {
            ret = ERR_INVALID;
            goto out;
        }
        q.user_id = f->user_id;
        q.limit = f->limit;
        q.offset = f->offset;
        if (f->action_prefix && *f->action_prefix) {
            q.action_like = db_like_pattern(a, f->action_prefix, true);
            if (!q.action_like) {
                ret = ERR_TOO_BIG;
                goto out;
            }
        }
    }
    if (q.limit == 0)
        q.limit = AUDIT_LIST_DEFAULT;
    if (q.limit > AUDIT_LIST_MAX)
        q.limit = AUDIT_LIST_MAX;
    db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    /* One snapshot for the count and the page, so they agree. */
    ret = db_begin(db);
    if (ret)
        goto out;
    in_tx = true;
    ret = audit_store_count(db, &q, &count);
    if (ret)
        goto out;
    int cap = count > q.offset ? count - q.offset : 0;
    if (cap > q.limit)
        cap = q.limit;
    if (cap > 0) {
        rows = arena_calloc(a, (size_t)cap, sizeof *rows);
        if (!rows) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        ret = audit_store_list(a, db, &q, rows, cap, &got);
        if (ret)
            goto out;
    }
    *out = rows;
    *n = got;
    *total = count;
out:
    if (in_tx)
        db_rollback(db); /* read-only: ending the snapshot is all that is left to do */
    return ret;
}
