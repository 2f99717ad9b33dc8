/*
 * fixture.h: what many unit tests set up the same way — a store in a fresh temporary directory,
 * organisations and users made through the domain layer as a beheerder would, and the cleanup.
 * Every helper fails the running test (cmocka) on an error, naming what it was making.
 */
#ifndef DUIDING_TESTS_FIXTURE_H
#define DUIDING_TESTS_FIXTURE_H

#include "core/arena.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdint.h>

/* The actor the helpers act as: a beheerder with every role, user id -1 (not a real user). */
extern const struct actor ts_admin;

/** Removes dir and the files directly in it (test directories have no subdirectories). */
void ts_rm_dir(const char *dir);

/** Makes /tmp/duiding-test-<name>-XXXXXX into dir (at least 64 bytes) and opens <dir>/<name>.db
 * as a new store into *s (migrated); path gets the database file (at least 128 bytes). */
void ts_store_open(const char *name, char *dir, char *path, struct store **s);

/** An organisation (parent 0: none), made by ts_admin. Its id. */
int64_t ts_make_org(struct store *s, enum org_kind kind, const char *name, const char *cbs,
                    const char *agb, int64_t parent);

/** A user with the given roles and password in org, and the actor they sign in as. */
struct actor ts_make_actor(struct store *s, struct arena *a, const char *login, int64_t org,
                           uint32_t roles, const char *password);

#endif
