/*
 * db_sqlite.c: the SQLite backend of db.h. Connections run in WAL mode with full syncs and
 * foreign keys; statements are prepared once per connection and cached by their SQL pointer.
 * Errors are logged with the statement's name, never its text or bound values.
 */
#include "store/db.h"
#include "core/common.h"
#include "core/log.h"
#include "core/resource.h"
#include "core/str.h"
#include "core/xalloc.h"
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#define DB_BUSY_TIMEOUT_MS   5000
#define DB_CACHE_BUCKETS     256 /* power of two; statements per connection are in the hundreds */
#define DB_MAX_MIGRATIONS    1000
#define DB_PARAM_NAME_MAX    16   /* "$" + up to 10 digits + NUL */
#define DB_PARAM_CACHE_MAX   4096 /* $1..$4095 resolved at prepare time (multi-row inserts) */
#define DB_BACKUP_TMP_SUFFIX ".tmp-XXXXXX"
#define DB_PAGE_SIZE         "16384" /* bytes, for new databases (db_open) */

struct db_stmt {
    sqlite3_stmt *h;
    struct db *db;
    const char *key;  /* the SQL pointer the caller passed (cache key) */
    char *text;       /* a copy of the SQL, to notice a key pointer reused for other SQL */
    const char *name; /* for logs */
    bool busy;        /* handed out and not yet db_done() */
    bool transient;   /* not in the cache: finalised by db_done() */
    /* $n -> SQLite parameter index, resolved once at prepare time: binding is on the hot path
     * of imports (millions of rows), where a name lookup per bind is measurable. */
    int *param_idx; /* [0..nparam_idx) */
    int nparam_idx;
    struct db_stmt *next;
};

/* Owned by: whoever called db_open(); freed in db_close(). */
struct db {
    sqlite3 *h;
    bool readonly;
    bool bulk; /* db_begin_bulk: pragmas back at the end of the transaction */
    struct db_stmt *buckets[DB_CACHE_BUCKETS];
    struct db_stmt *transients; /* nested uses of a busy cached statement */
};

/* SQLite numbers $N parameters by first appearance, so "$2" may well be index 1. */
static int param_lookup(sqlite3_stmt *h, int n)
{
    char pname[DB_PARAM_NAME_MAX];
    int len = snprintf(pname, sizeof pname, "$%d", n);
    if (len < 0 || (size_t)len >= sizeof pname)
        return 0;
    return sqlite3_bind_parameter_index(h, pname);
}

static size_t bucket_of(const char *key)
{
    uintptr_t k = (uintptr_t)key;
    /* String constants are at least byte-aligned and close together: mix the bits. */
    k ^= k >> 17;
    k *= (uintptr_t)0x9E3779B97F4A7C15ull;
    k ^= k >> 29;
    return (size_t)(k & (DB_CACHE_BUCKETS - 1));
}

/* Maps an SQLite result code to enum err and logs it with the statement name. */
static int map_error(sqlite3 *h, int rc, const char *name)
{
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        /* Expected in normal use (duplicates, append-only triggers): not an operator problem. */
        log_debug("db.constraint", "stmt", name ? name : "?", "msg", sqlite3_errmsg(h), NULL);
        return ERR_CONFLICT;
    }
    log_error("db.error", "stmt", name ? name : "?", "rc", sqlite3_errstr(rc), "msg",
              h ? sqlite3_errmsg(h) : "", NULL);
    return ERR_DB;
}

static int exec_named(struct db *db, const char *name, const char *sql)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return map_error(db->h, rc, name);
    return 0;
}

/* Before SQLite initialises: no global memory statistics. Nothing reads them, and keeping them
 * takes a global mutex on every allocation (measured: 13% of the time of an INSERT). */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE if already initialised: fine */
}

int db_open(const char *path, bool readonly, struct db **out, struct err_ctx *e)
{
    struct db *db = NULL;
    int ret = 0;
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

    if (!path || !*path) {
        ret = err_set(e, ERR_INVALID, "db", "no database path given");
        goto out;
    }
    pthread_once(&config_once, configure);
    db = xcalloc(1, sizeof *db);
    db->readonly = readonly;
    int rc = sqlite3_open_v2(path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        log_error("db.open", "rc", sqlite3_errstr(rc), "msg", db->h ? sqlite3_errmsg(db->h) : "",
                  NULL);
        ret = err_set(e, ERR_DB, "db", "cannot open database %s: %s", path, sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_extended_result_codes(db->h, 1);
    /* The timeout first: switching to WAL briefly needs a lock another process may hold. */
    if (sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS) != SQLITE_OK ||
        exec_named(db, "pragma.foreign_keys", "PRAGMA foreign_keys=ON") ||
        exec_named(db, "pragma.synchronous", "PRAGMA synchronous=FULL")) {
        ret = err_set(e, ERR_DB, "db", "cannot configure database %s", path);
        goto out;
    }
    /* The page size of a new database, before its first table (afterwards SQLite ignores it).
     * 16 KiB rather than SQLite's 4 KiB: an import writes every page to the WAL and then to
     * the database, one system call each, and SQLite keeps a b-tree cell index per page
     * (measured on a 2,000,000-row import: 9% less CPU, 30% less system time; 8, 32 and 64
     * KiB were slower). Existing databases keep theirs. */
    if (!readonly && exec_named(db, "pragma.page_size", "PRAGMA page_size=" DB_PAGE_SIZE)) {
        ret = err_set(e, ERR_DB, "db", "cannot configure database %s", path);
        goto out;
    }
    /* journal_mode is stored in the file, so only a writer sets it; readers inherit it. */
    if (!readonly && exec_named(db, "pragma.journal_mode", "PRAGMA journal_mode=WAL")) {
        ret = err_set(e, ERR_DB, "db", "cannot switch %s to WAL mode", path);
        goto out;
    }
    *out = db;
    db = NULL;
out:
    db_close(db);
    return ret;
}

static void free_chain(struct db_stmt *st)
{
    while (st) {
        struct db_stmt *next = st->next;
        sqlite3_finalize(st->h);
        free(st->text);
        free(st->param_idx);
        free(st);
        st = next;
    }
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < DB_CACHE_BUCKETS; i++)
        free_chain(db->buckets[i]);
    free_chain(db->transients);
    if (db->h && sqlite3_close(db->h) != SQLITE_OK)
        log_error("db.close", "msg", sqlite3_errmsg(db->h), NULL);
    free(db);
}

static int prepare_new(struct db *db, const char *name, const char *sql, bool persistent,
                       struct db_stmt **out)
{
    sqlite3_stmt *h = NULL;
    const char *tail = NULL;
    int rc =
        sqlite3_prepare_v3(db->h, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &h, &tail);
    if (rc != SQLITE_OK)
        return map_error(db->h, rc, name);
    if (!h) {
        log_error("db.prepare", "stmt", name, "msg", "empty statement", NULL);
        return ERR_INTERNAL;
    }
    /* A second statement after the first would be silently ignored: refuse it loudly. What
     * follows may only be white space, semicolons and comments, which prepare to nothing. */
    if (tail && *tail) {
        sqlite3_stmt *extra = NULL;
        rc = sqlite3_prepare_v3(db->h, tail, -1, 0, &extra, NULL);
        sqlite3_finalize(extra);
        if (rc != SQLITE_OK || extra) {
            log_error("db.prepare", "stmt", name, "msg", "more than one statement", NULL);
            sqlite3_finalize(h);
            return ERR_INTERNAL;
        }
    }
    struct db_stmt *st = xcalloc(1, sizeof *st);
    st->h = h;
    /* One pass over the statement's parameters: "$n" at index i. */
    int count = sqlite3_bind_parameter_count(h), maxn = 0;
    for (int i = 1; i <= count; i++) {
        const char *pn = sqlite3_bind_parameter_name(h, i);
        int64_t n = 0;
        if (pn && pn[0] == '$' && str_parse_i64_c(pn + 1, 1, DB_PARAM_CACHE_MAX - 1, &n) == 0 &&
            n > maxn)
            maxn = (int)n;
    }
    st->nparam_idx = maxn + 1;
    st->param_idx = xcalloc((size_t)st->nparam_idx, sizeof *st->param_idx);
    for (int i = 1; i <= count; i++) {
        const char *pn = sqlite3_bind_parameter_name(h, i);
        int64_t n = 0;
        if (pn && pn[0] == '$' && str_parse_i64_c(pn + 1, 1, st->nparam_idx - 1, &n) == 0)
            st->param_idx[n] = i;
    }
    st->db = db;
    st->key = sql;
    st->text = xstrdup(sql);
    st->name = name;
    *out = st;
    return 0;
}

int db_prepare(struct db *db, const char *name, const char *sql, struct db_stmt **out)
{
    struct db_stmt *st = NULL;
    int ret = 0;

    if (!db || !sql) {
        ret = ERR_INTERNAL;
        goto out;
    }
    size_t b = bucket_of(sql);
    struct db_stmt **pp = &db->buckets[b];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->key == sql)
            break;
    st = *pp;
    /* The pointer is the key, but a caller that built SQL in a reused buffer would get the
     * wrong statement; comparing the text costs little next to running it. */
    if (st && strcmp(st->text, sql) != 0) {
        if (st->busy) {
            ret = ERR_INTERNAL;
            log_error("db.prepare", "stmt", name, "msg", "cache key reused while busy", NULL);
            goto out;
        }
        *pp = st->next;
        st->next = NULL;
        free_chain(st);
        st = NULL;
    }
    if (st && st->busy && !sqlite3_stmt_busy(st->h)) {
        /* Handed out before and never given back, but not mid-iteration either: a missing
         * db_done(). Reuse it, and say so, since a reader holding a statement open would also
         * hold on to an old snapshot. */
        log_warn("db.stmt_not_done", "stmt", st->name, NULL);
        sqlite3_reset(st->h);
        sqlite3_clear_bindings(st->h);
        st->busy = false;
    }
    if (st && st->busy) {
        /* Same SQL nested inside its own iteration: give the inner use its own statement
         * rather than resetting the outer one under its feet. */
        log_debug("db.prepare_nested", "stmt", name, NULL);
        ret = prepare_new(db, name, sql, false, &st);
        if (ret)
            goto out;
        st->transient = true;
        st->next = db->transients;
        db->transients = st;
    } else if (!st) {
        ret = prepare_new(db, name, sql, true, &st);
        if (ret)
            goto out;
        st->next = db->buckets[b];
        db->buckets[b] = st;
    }
    /* Otherwise a cached statement that db_done() has already reset and cleared: doing it
     * again here costs a pass over every parameter, per row of an import. */
    st->name = name;
    st->busy = true;
    *out = st;
out:
    return ret;
}

void db_done(struct db_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st->h);
    sqlite3_clear_bindings(st->h);
    st->busy = false;
    if (st->transient) {
        struct db_stmt **pp = &st->db->transients;
        while (*pp && *pp != st)
            pp = &(*pp)->next;
        if (*pp)
            *pp = st->next;
        sqlite3_finalize(st->h);
        free(st->text);
        free(st->param_idx);
        free(st);
    }
}

static int param_index(struct db_stmt *st, int n)
{
    if (n < 1)
        return 0;
    return n < st->nparam_idx ? st->param_idx[n] : param_lookup(st->h, n);
}

static int bind_result(struct db_stmt *st, int n, int idx, int rc)
{
    if (idx == 0) {
        char num[16];
        snprintf(num, sizeof num, "%d", n);
        log_error("db.bind", "stmt", st->name, "param", num, "msg", "no such parameter", NULL);
        return ERR_INTERNAL;
    }
    if (rc != SQLITE_OK)
        return map_error(st->db->h, rc, st->name);
    return 0;
}

int db_bind_i64(struct db_stmt *st, int n, int64_t v)
{
    int idx = param_index(st, n);
    return bind_result(st, n, idx, idx ? sqlite3_bind_int64(st->h, idx, v) : SQLITE_OK);
}

int db_bind_double(struct db_stmt *st, int n, double v)
{
    int idx = param_index(st, n);
    return bind_result(st, n, idx, idx ? sqlite3_bind_double(st->h, idx, v) : SQLITE_OK);
}

int db_bind_text(struct db_stmt *st, int n, const char *s, size_t len)
{
    int idx = param_index(st, n);
    int rc = SQLITE_OK;
    if (idx && !s)
        rc = sqlite3_bind_null(st->h, idx);
    else if (idx)
        rc = sqlite3_bind_text64(st->h, idx, s, len == (size_t)-1 ? strlen(s) : len,
                                 SQLITE_TRANSIENT, SQLITE_UTF8);
    return bind_result(st, n, idx, rc);
}

int db_bind_text_static(struct db_stmt *st, int n, const char *s, size_t len)
{
    int idx = param_index(st, n);
    int rc = SQLITE_OK;
    if (idx && !s)
        rc = sqlite3_bind_null(st->h, idx);
    else if (idx)
        rc = sqlite3_bind_text64(st->h, idx, s, len == (size_t)-1 ? strlen(s) : len, SQLITE_STATIC,
                                 SQLITE_UTF8);
    return bind_result(st, n, idx, rc);
}

int db_bind_blob(struct db_stmt *st, int n, const void *p, size_t len)
{
    int idx = param_index(st, n);
    int rc = SQLITE_OK;
    if (idx && !p)
        rc = sqlite3_bind_null(st->h, idx);
    else if (idx)
        rc = sqlite3_bind_blob64(st->h, idx, p, len, SQLITE_TRANSIENT);
    return bind_result(st, n, idx, rc);
}

int db_bind_blob_static(struct db_stmt *st, int n, const void *p, size_t len)
{
    int idx = param_index(st, n);
    int rc = SQLITE_OK;
    if (idx && !p)
        rc = sqlite3_bind_null(st->h, idx);
    else if (idx)
        rc = sqlite3_bind_blob64(st->h, idx, p, len, SQLITE_STATIC);
    return bind_result(st, n, idx, rc);
}

int db_bind_null(struct db_stmt *st, int n)
{
    int idx = param_index(st, n);
    return bind_result(st, n, idx, idx ? sqlite3_bind_null(st->h, idx) : SQLITE_OK);
}

int db_step(struct db_stmt *st)
{
    int rc = sqlite3_step(st->h);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return map_error(st->db->h, rc, st->name);
}

int64_t db_col_i64(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(st->h, i);
}

double db_col_double(struct db_stmt *st, int i)
{
    return sqlite3_column_double(st->h, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st->h, i);
}

const void *db_col_blob(struct db_stmt *st, int i, size_t *len)
{
    const void *p = sqlite3_column_blob(st->h, i);
    if (len)
        *len = (size_t)sqlite3_column_bytes(st->h, i);
    return p;
}

bool db_col_is_null(struct db_stmt *st, int i)
{
    return sqlite3_column_type(st->h, i) == SQLITE_NULL;
}

int db_exec(struct db *db, const char *sql)
{
    return exec_named(db, "exec", sql);
}

/* After db_begin_bulk: enforcement and temporary storage as before once no transaction is
 * open. */
static int restore_bulk(struct db *db)
{
    if (!db->bulk || !sqlite3_get_autocommit(db->h))
        return 0;
    int ret = exec_named(db, "pragma.foreign_keys", "PRAGMA foreign_keys=ON");
    if (!ret)
        ret = exec_named(db, "pragma.temp_store", "PRAGMA temp_store=DEFAULT");
    if (!ret)
        db->bulk = false;
    return ret;
}

int db_begin(struct db *db)
{
    /* Writers take the write lock up front so that a transaction never fails half-way with
     * SQLITE_BUSY on lock upgrade. A read-only connection cannot take it; a deferred BEGIN
     * still gives it one consistent snapshot across several queries (list + count). */
    if (db->readonly)
        return exec_named(db, "begin", "BEGIN");
    int ret = restore_bulk(db); /* never a transaction with enforcement left off by accident */
    return ret ? ret : exec_named(db, "begin", "BEGIN IMMEDIATE");
}

int db_begin_bulk(struct db *db)
{
    if (db->readonly || sqlite3_get_autocommit(db->h))
        return ERR_INTERNAL; /* only inside a write transaction */
    int ret = exec_named(db, "commit", "COMMIT");
    if (ret)
        return ret;
    db->bulk = true;
    /* SQLite reads temp_store when a transaction begins to decide where statement journals go,
     * and the sorter of CREATE INDEX reads it when it starts: only with the default may it use
     * a second thread, so the default comes back at once. (Should that fail, because the
     * connection has temporary tables, it comes back at the end.) */
    if ((ret = exec_named(db, "pragma.foreign_keys", "PRAGMA foreign_keys=OFF")) ||
        (ret = exec_named(db, "pragma.temp_store", "PRAGMA temp_store=MEMORY")) ||
        (ret = exec_named(db, "begin", "BEGIN IMMEDIATE"))) {
        /* Back to a transaction as before, as the caller's end expects one. A deferred BEGIN
         * takes no lock, so it does not fail for a busy database. */
        restore_bulk(db);
        exec_named(db, "begin", "BEGIN");
        return ret;
    }
    sqlite3_exec(db->h, "PRAGMA temp_store=DEFAULT", NULL, NULL, NULL);
    return 0;
}

int db_commit(struct db *db)
{
    int ret = exec_named(db, "commit", "COMMIT");
    restore_bulk(db); /* should it fail, db_begin tries again before the next transaction */
    return ret;
}

int db_rollback(struct db *db)
{
    /* Rolling back with no transaction open is harmless: callers use it on every error path. */
    int ret = sqlite3_get_autocommit(db->h) ? 0 : exec_named(db, "rollback", "ROLLBACK");
    restore_bulk(db);
    return ret;
}

int64_t db_last_insert_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

int db_changes(struct db *db)
{
    return sqlite3_changes(db->h);
}

int db_schema_version(struct db *db)
{
    static const char sql[] = "PRAGMA user_version";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "schema_version", sql, &st);
    if (ret)
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW)
        ret = (int)db_col_i64(st, 0);
    else if (ret == DB_DONE)
        ret = ERR_DB;
out:
    db_done(st);
    return ret;
}

struct migration {
    int version;
    const struct resource *res;
};

static int cmp_migration(const void *a, const void *b)
{
    const struct migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

/* Collects the embedded "schema/NNNN_name.sql" files in version order. */
static int list_migrations(struct migration *out, size_t cap, size_t *n)
{
    size_t count = 0;
    for (const struct resource *r = resource_table; r->name; r++) {
        struct str name = str_from(r->name);
        if (!str_starts_with(name, STR_LIT("schema/")))
            continue;
        struct str rest = {name.p + 7, name.len - 7}; /* after "schema/" */
        int64_t v;
        struct str ext = {rest.p + rest.len - 4, 4};
        if (rest.len < 10 || rest.p[4] != '_' || !str_eq(ext, STR_LIT(".sql")) ||
            str_parse_i64((struct str){rest.p, 4}, 1, 9999, &v)) {
            log_error("db.migrate", "file", r->name, "msg", "not named schema/NNNN_name.sql", NULL);
            return ERR_INTERNAL;
        }
        if (count == cap)
            return ERR_TOO_BIG;
        out[count].version = (int)v;
        out[count].res = r;
        count++;
    }
    qsort(out, count, sizeof *out, cmp_migration);
    for (size_t i = 1; i < count; i++)
        if (out[i].version == out[i - 1].version) {
            log_error("db.migrate", "file", out[i].res->name, "msg", "duplicate version", NULL);
            return ERR_INTERNAL;
        }
    *n = count;
    return 0;
}

/* Whether the database holds a reference to a row that does not exist. */
static int check_foreign_keys(struct db *db)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "migrate.fk_check", "PRAGMA foreign_key_check", &st);
    if (!ret) {
        ret = db_step(st);
        ret = ret == DB_DONE ? 0 : ret == DB_ROW ? ERR_DB : ret;
    }
    db_done(st);
    return ret;
}

/* Applies one migration in its own transaction, together with the new user_version (which
 * lives in the database header and is therefore part of the transaction). A migration may
 * rebuild a table to change a CHECK (SQLite's documented procedure: create the new table, copy,
 * drop the old one, rename), which needs foreign-key enforcement off while it runs; the check
 * before the commit refuses a migration that leaves a reference dangling. */
static int apply_migration(struct db *db, const struct migration *m)
{
    char set_version[48];
    snprintf(set_version, sizeof set_version, "PRAGMA user_version=%d", m->version);
    int ret = exec_named(db, "pragma.foreign_keys", "PRAGMA foreign_keys=OFF");
    if (ret)
        return ret;
    ret = db_begin(db);
    if (ret)
        goto out;
    ret = exec_named(db, m->res->name, (const char *)m->res->data);
    if (!ret)
        ret = check_foreign_keys(db);
    if (!ret)
        ret = exec_named(db, "migrate.version", set_version);
    if (!ret)
        ret = db_commit(db);
    if (ret)
        db_rollback(db);
out:;
    int on = exec_named(db, "pragma.foreign_keys", "PRAGMA foreign_keys=ON");
    return ret ? ret : on;
}

int db_migrate(struct db *db, struct err_ctx *e)
{
    struct migration *m = xcalloc(DB_MAX_MIGRATIONS, sizeof *m);
    size_t n = 0;
    int ret = list_migrations(m, DB_MAX_MIGRATIONS, &n);
    if (ret) {
        err_set(e, ret, "schema", "the embedded migrations are inconsistent");
        goto out;
    }
    int current = db_schema_version(db);
    if (current < 0) {
        ret = err_set(e, current, "schema", "cannot read the schema version");
        goto out;
    }
    int latest = n ? m[n - 1].version : 0;
    if (current > latest) {
        /* An older program must not write into a schema it does not know. */
        ret =
            err_set(e, ERR_CONFLICT, "schema",
                    "database schema version %d is newer than this program (%d)", current, latest);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (m[i].version <= current)
            continue;
        ret = apply_migration(db, &m[i]);
        if (ret) {
            err_set(e, ret, "schema", "migration %s failed", m[i].res->name);
            goto out;
        }
        log_info("db.migrated", "file", m[i].res->name, NULL);
    }
out:
    free(m);
    return ret;
}

char *db_like_pattern(struct arena *a, const char *s, bool prefix)
{
    size_t n = strlen(s);
    /* Worst case every byte is escaped, plus the two wildcards and the NUL. */
    char *p = arena_alloc(a, 2 * n + 3);
    size_t at = 0;
    if (!p)
        return NULL;
    if (!prefix)
        p[at++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
            p[at++] = '\\';
        p[at++] = s[i];
    }
    p[at++] = '%';
    p[at] = '\0';
    return p;
}

/* fsync on the directory makes the rename itself durable. */
static int sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    int ret = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        ret = ERR_IO;
    if (fd >= 0)
        close(fd);
    free(dir);
    return ret;
}

int db_backup(struct db *db, const char *dest, struct err_ctx *e)
{
    sqlite3 *to = NULL;
    sqlite3_backup *bk = NULL;
    char *tmp = NULL;
    bool made_tmp = false;
    int ret = 0;

    if (!db || !dest || !*dest) {
        ret = err_set(e, ERR_INVALID, "dest", "no backup destination given");
        goto out;
    }
    size_t dlen = strlen(dest);
    tmp = xmalloc(dlen + sizeof DB_BACKUP_TMP_SUFFIX);
    memcpy(tmp, dest, dlen);
    memcpy(tmp + dlen, DB_BACKUP_TMP_SUFFIX, sizeof DB_BACKUP_TMP_SUFFIX);
    /* The copy is written beside the destination (same file system) and renamed into place,
     * so dest is either the old file or a complete copy, never half of one. */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        ret = err_set(e, ERR_IO, "dest", "cannot create %s: %s", tmp, strerror(errno));
        goto out;
    }
    made_tmp = true;
    close(fd);
    int rc = sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(to, DB_BUSY_TIMEOUT_MS);
        bk = sqlite3_backup_init(to, "main", db->h, "main");
        rc = bk ? SQLITE_OK : sqlite3_errcode(to);
    }
    if (rc == SQLITE_OK) {
        /* One step copies everything under a single read snapshot of the source. */
        rc = sqlite3_backup_step(bk, -1);
        int frc = sqlite3_backup_finish(bk);
        bk = NULL;
        rc = rc == SQLITE_DONE ? frc : rc;
    }
    if (rc != SQLITE_OK) {
        map_error(to, rc, "backup");
        ret = err_set(e, ERR_DB, "dest", "backup to %s failed: %s", dest, sqlite3_errstr(rc));
        goto out;
    }
    rc = sqlite3_close(to);
    to = NULL;
    if (rc != SQLITE_OK) {
        ret = err_set(e, ERR_DB, "dest", "cannot close backup %s", tmp);
        goto out;
    }
    if (rename(tmp, dest) != 0) {
        ret = err_set(e, ERR_IO, "dest", "cannot rename backup to %s: %s", dest, strerror(errno));
        goto out;
    }
    made_tmp = false;
    if (sync_dir_of(dest))
        log_warn("db.backup", "msg", "cannot fsync the backup directory", NULL);
    log_info("db.backup", "dest", dest, NULL);
out:
    if (bk)
        sqlite3_backup_finish(bk);
    if (to)
        sqlite3_close(to);
    if (made_tmp)
        unlink(tmp);
    free(tmp);
    return ret;
}

int db_run(struct db_stmt *st)
{
    int rc = db_step(st);
    if (rc == DB_DONE)
        return 0;
    return rc < 0 ? rc : ERR_INTERNAL;
}

int db_query_i64(struct db *db, const char *name, const char *sql, int64_t *out)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, name, sql, &st);
    if (!ret) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            *out = db_col_i64(st, 0);
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = ERR_DB;
        }
    }
    db_done(st);
    return ret;
}

bool db_col_dup(struct arena *a, struct db_stmt *st, int i, const char **out)
{
    const char *s = db_col_text(st, i);
    *out = s ? arena_strdup(a, s) : NULL;
    return !s || *out;
}
