/*
 * data_pack_store.h: SQL for frozen data packs (table data_pack, schema 0006). A pack is
 * inserted once and never updated (a trigger refuses it); the newest row of a conversation
 * counts. Also reads the newest data_change sequence number, to tell whether data changed
 * after a pack was frozen.
 */
#ifndef DUIDING_STORE_DATA_PACK_STORE_H
#define DUIDING_STORE_DATA_PACK_STORE_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "store/db.h"
#include <stddef.h>
#include <stdint.h>

#define DATA_PACK_DOC_MAX (16u * 1024u * 1024u) /* bytes of one frozen document */

struct data_pack_row {
    int64_t id;
    int64_t conversation_id;
    const char *created_at;
    int64_t created_by;          /* 0 = unknown / deleted user */
    const char *created_by_name; /* display name, or NULL */
    day_t data_date;
    int64_t data_change_id;
    const char *document; /* canonical JSON */
    size_t document_len;
    const char *sha256; /* 64 hex */
};

/** Inserts a frozen pack. 0, ERR_DB, ERR_INVALID (bad hash / size). */
int data_pack_store_insert(struct db *db, const struct data_pack_row *row, int64_t *id_out,
                           struct err_ctx *e);
/** The newest pack of a conversation (arena copies). 0, ERR_NOT_FOUND, ERR_DB. */
int data_pack_store_latest(struct arena *a, struct db *db, int64_t conversation_id,
                           struct data_pack_row *out);
/** One pack by id. 0, ERR_NOT_FOUND, ERR_DB. */
int data_pack_store_get(struct arena *a, struct db *db, int64_t id, struct data_pack_row *out);
/** The packs of a conversation, newest first, without their documents (document NULL).
 * At most max rows. 0, ERR_DB. */
int data_pack_store_list(struct arena *a, struct db *db, int64_t conversation_id, int max,
                         struct data_pack_row **out, int *n);
/** The newest data_change.seq (0 when none). 0, ERR_DB. */
int data_pack_store_newest_change(struct db *db, int64_t *out);

#endif
