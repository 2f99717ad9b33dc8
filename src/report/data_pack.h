/*
 * data_pack.h: the data pack of a quality conversation — a frozen snapshot made in the
 * preparation step: per societal result of the conversation its theory of change and its
 * indicators (values per quarter over the conversation's period and one year before, with
 * intervals, targets, benchmark and trend, all through the disclosure module), the stories of
 * the period with consent "gesprek" or wider, the context events of the period, the survey
 * results of the gemeente's rounds in the period, and the open actions of the previous
 * conversation with how their indicators moved since. The document is canonical JSON with a
 * sha256; it is inserted once and never changes, even when data is corrected later (a new pack
 * is a new row). The HTML page and the PDF are rendered from the frozen JSON only.
 * docs/conversations.md "Data packs".
 */
#ifndef DUIDING_REPORT_DATA_PACK_H
#define DUIDING_REPORT_DATA_PACK_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "domain/actor.h"
#include "metrics/engine.h"
#include "store/data_pack_store.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define DATA_PACK_FORMAT         1  /* "formaat" in the document */
#define DATA_PACK_MAX_INDICATORS 60 /* per pack, over all results */
#define DATA_PACK_MAX_STORIES    60
#define DATA_PACK_MAX_EVENTS     100
#define DATA_PACK_MAX_ACTIONS    100
#define DATA_PACK_HISTORY_MAX    50 /* packs listed per conversation */

/* A frozen pack as stored (see data_pack_store.h). */
struct data_pack {
    struct data_pack_row row;
};

/**
 * Builds the pack of a conversation from the current data and freezes it (a new data_pack
 * row; the conversation moves from gepland to voorbereid). The actor needs ACT_EDIT on the
 * conversation and it must not be held, concluded or cancelled yet; an audit event is written.
 * 0; ERR_NOT_FOUND (not visible), ERR_DENIED, ERR_CONFLICT (already held), ERR_INVALID,
 * ERR_TOO_BIG (limits) with the reason in e.
 */
int data_pack_build(struct arena *a, struct store *s, struct mx_engine *eng,
                    const struct config *cfg, const struct actor *who, int64_t conversation_id,
                    struct data_pack *out, struct err_ctx *e);

/** The newest pack of a conversation the actor may view. 0, ERR_NOT_FOUND. */
int data_pack_latest(struct arena *a, struct store *s, const struct actor *who,
                     int64_t conversation_id, struct data_pack *out);

/** The packs of a conversation the actor may view, newest first, without their documents
 * (at most DATA_PACK_HISTORY_MAX). 0, ERR_NOT_FOUND. */
int data_pack_history(struct arena *a, struct store *s, const struct actor *who,
                      int64_t conversation_id, struct data_pack_row **out, int *n);

/** True when data changed after the pack was frozen (a newer data_change exists). */
bool data_pack_outdated(struct store *s, const struct data_pack *p);

/** Renders a frozen pack as a PDF (from its JSON only). 0, ERR_INVALID (document not a
 * pack), ERR_TOO_BIG, ERR_INTERNAL with the reason in e. */
int data_pack_pdf(struct arena *a, const struct data_pack *p, struct buf *out, struct err_ctx *e);

#endif
