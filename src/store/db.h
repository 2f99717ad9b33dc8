/*
 * db.h: the backend-neutral database API. The only place that talks to SQLite is db_sqlite.c;
 * SQL text lives in store/ next to the function that uses it, with $1, $2, ... placeholders so
 * the same statements can run on PostgreSQL later.
 */
#ifndef DUIDING_STORE_DB_H
#define DUIDING_STORE_DB_H

#include "core/arena.h"
#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;      /* one connection */
struct db_stmt; /* a prepared statement, cached per connection */

enum db_step { DB_DONE = 0, DB_ROW = 1 };

/**
 * Opens (creating if needed) the database at path with WAL, synchronous=FULL, foreign keys
 * and a busy timeout. readonly opens a reader connection. Caller owns *out (db_close).
 */
int db_open(const char *path, bool readonly, struct db **out, struct err_ctx *e);
/** Finalises cached statements and closes. NULL is a no-op. */
void db_close(struct db *db);

/**
 * Applies the embedded migrations schema/NNNN_*.sql that are newer than PRAGMA user_version,
 * each in its own transaction. Refuses a database newer than the program (ERR_CONFLICT).
 */
int db_migrate(struct db *db, struct err_ctx *e);
/** The schema version of an open database. */
int db_schema_version(struct db *db);

/**
 * Returns the cached prepared statement for `sql` (a string constant: the pointer is the cache
 * key), reset and with bindings cleared. `name` is used in logs instead of the SQL or values.
 * The statement is borrowed; call db_done() after the last step.
 */
int db_prepare(struct db *db, const char *name, const char *sql, struct db_stmt **out);
/** Resets a statement for reuse and clears its bindings. NULL is a no-op. */
void db_done(struct db_stmt *st);

/* Binding by number: index n binds the parameter written $n in the SQL. */
int db_bind_i64(struct db_stmt *st, int n, int64_t v);
int db_bind_double(struct db_stmt *st, int n, double v);
/** Binds text (copied by the database). len may be (size_t)-1 for NUL-terminated; NULL binds NULL.
 */
int db_bind_text(struct db_stmt *st, int n, const char *s, size_t len);
/** The same without a copy: s must stay unchanged until db_done(). For the per-row statements
 * of imports, where copying every bound string is measurable. */
int db_bind_text_static(struct db_stmt *st, int n, const char *s, size_t len);
int db_bind_blob(struct db_stmt *st, int n, const void *p, size_t len);
/** The same without a copy, as db_bind_text_static. */
int db_bind_blob_static(struct db_stmt *st, int n, const void *p, size_t len);
int db_bind_null(struct db_stmt *st, int n);

/** DB_ROW, DB_DONE, or a negative error (ERR_CONFLICT for constraint violations, ERR_DB). */
int db_step(struct db_stmt *st);
/** Steps a statement that returns no rows (INSERT/UPDATE/DELETE): 0, or the error; a row where
 * none was expected is ERR_INTERNAL. */
int db_run(struct db_stmt *st);
/** Runs a parameterless query with one integer result ("SELECT count(*) ..."): 0 with *out set,
 * ERR_DB when it returned no row, or the error. */
int db_query_i64(struct db *db, const char *name, const char *sql, int64_t *out);

/* Column access for the current row (index from 0). Text is borrowed until the next step/done. */
int64_t db_col_i64(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i); /* NULL for SQL NULL */
const void *db_col_blob(struct db_stmt *st, int i, size_t *len);
bool db_col_is_null(struct db_stmt *st, int i);
/** Copies text column i into the arena (*out NULL for SQL NULL). False only past the arena cap. */
bool db_col_dup(struct arena *a, struct db_stmt *st, int i, const char **out);

/* Reads the current row into *row (an element of the array db_collect builds). 0 or an error. */
typedef int (*db_row_fn)(struct arena *a, struct db_stmt *st, void *row, void *ctx);
/**
 * Steps a prepared, bound statement to the end and returns its rows as an arena array of
 * elem_size elements, each filled by read(a, st, row, ctx), in *out and *n (NULL, 0 if none).
 * 0, ERR_NOMEM past the arena cap, or the step's or read's error (then *out NULL, *n 0).
 */
int db_collect(struct arena *a, struct db_stmt *st, size_t elem_size, db_row_fn read, void *ctx,
               void **out, size_t *n);

/** Reads column 0 of every row as an int64 (ids) into *out (arena-owned, NULL when none). */
int db_collect_ids(struct arena *a, struct db_stmt *st, int64_t **out, size_t *n);

/** Runs SQL without results (DDL, pragmas; no user values!). */
int db_exec(struct db *db, const char *sql);
/** BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
/**
 * Makes the write transaction just begun, which must not have written anything yet, one for a
 * bulk write (an import of millions of rows):
 * - no foreign-key enforcement: for a writer whose references are right by construction
 *   (every id it writes comes from a row it inserted or looked up in the same transaction).
 *   ON DELETE CASCADE does not act either: the writer deletes dependent rows itself.
 * - statement journals in memory: every multi-row INSERT keeps the pages it changes until it
 *   ends; once one statement's journal outgrows 64 KiB, SQLite writes the journals of all later
 *   statements of the transaction to a temporary file (measured: 2.9 GB for 2,000,000 rows).
 * SQLite changes both only between transactions, so this commits the empty transaction and
 * begins a new one (BEGIN IMMEDIATE); the next db_commit or db_rollback restores both. 0, or an
 * error (then a transaction is still open, as an ordinary one).
 */
int db_begin_bulk(struct db *db);
int64_t db_last_insert_id(struct db *db);
int db_changes(struct db *db);

/**
 * A LIKE pattern for "contains s" (or "starts with s" when prefix is true) with '%', '_' and
 * the backslash escaped, for SQL written as `... LIKE $n ESCAPE '\'`. Arena-owned; NULL past
 * the arena cap.
 */
char *db_like_pattern(struct arena *a, const char *s, bool prefix);

/** Consistent online copy of the whole database to dest (SQLite backup API). */
int db_backup(struct db *db, const char *dest, struct err_ctx *e);

#endif
