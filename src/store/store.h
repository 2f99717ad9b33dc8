/*
 * store.h: the connection pool. One writer connection behind a mutex; one reader connection
 * per thread, opened on first use. Readers see the last committed state (WAL).
 */
#ifndef DUIDING_STORE_STORE_H
#define DUIDING_STORE_STORE_H

#include "core/err.h"
#include "store/db.h"

struct store;

/** Opens the pool on a database file and migrates it. Caller owns (store_close). */
int store_open(const char *path, struct store **out, struct err_ctx *e);
/** Closes all connections. Must run after every thread that used it has stopped. */
void store_close(struct store *s);

/** This thread's reader connection (borrowed; valid until store_close). */
struct db *store_reader(struct store *s);

/**
 * Takes the writer and begins a transaction (BEGIN IMMEDIATE). Every store_write_begin must be
 * paired with store_write_end, which commits when commit is true and rolls back otherwise.
 */
int store_write_begin(struct store *s, struct db **out);
/** Commits or rolls back, then releases the writer. Returns the commit's result. */
int store_write_end(struct store *s, bool commit);
/**
 * The common end of a domain write: when writing (a store_write_begin succeeded), ends it,
 * committing when ret is 0 and rolling back otherwise. Returns ret, or the commit's error when
 * ret was 0.
 */
int store_write_finish(struct store *s, bool writing, int ret);

/** The database path (borrowed). */
const char *store_path(struct store *s);

#endif
