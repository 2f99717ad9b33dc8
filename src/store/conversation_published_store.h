/*
 * conversation_published_store.h: the SQL of domain/conversation_published.c — the
 * conversations about a result whose minutes every party approved, and of those only the
 * public columns (title, date, summary, conclusions), the names and sides of the parties, and
 * the actions with their status. Never the notes, evaluations or participants.
 */
#ifndef DUIDING_STORE_CONVERSATION_PUBLISHED_STORE_H
#define DUIDING_STORE_CONVERSATION_PUBLISHED_STORE_H

#include "core/arena.h"
#include "domain/conversation_published.h"
#include "store/db.h"
#include <stdint.h>

/** Concluded conversations about result_id with at least one party and every party approved
 * (gemeente: 4 digits or NULL), newest first, at most cap. Parties and actions left empty. */
int conv_pub_store_list(struct arena *a, struct db *db, int64_t result_id, const char *gemeente,
                        int cap, struct conv_published **out, int *n);
/** The parties of a conversation (name, side), the gemeente side first, then by name. */
int conv_pub_store_parties(struct arena *a, struct db *db, int64_t conversation_id,
                           struct conv_pub_party **out, int *n);
/** The actions of a conversation (at most cap), open/bezig/klaar/vervallen, then due date. */
int conv_pub_store_actions(struct arena *a, struct db *db, int64_t conversation_id, int cap,
                           struct conv_pub_action **out, int *n);

#endif
