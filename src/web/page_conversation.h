/*
 * page_conversation.h: what the conversation pages (/gesprekken, page_conversation*.c) share:
 * loading the conversation of the path, the page frame with the step indicator (Plan -
 * Voorbereiden - Houden - Afronden - Evalueren), text as paragraphs, and the handlers each file
 * contributes to the one route table in page_conversation.c.
 */
#ifndef DUIDING_WEB_PAGE_CONVERSATION_H
#define DUIDING_WEB_PAGE_CONVERSATION_H

#include "domain/conversation.h"
#include "web/html.h"
#include "web/http.h"

enum conv_step {
    STEP_NONE = -1,
    STEP_PLAN = 0,
    STEP_VOORBEREIDEN,
    STEP_HOUDEN,
    STEP_AFRONDEN,
    STEP_EVALUEREN,
};

/** Loads the conversation of path parameter 0; answers 404/403 itself and returns non-zero. */
int conv_page_load(struct http_req *req, struct conversation *c);
/** Whether the actor may act on c (policy). */
bool conv_page_may(struct http_req *req, enum action act, const struct conversation *c);
/** "/gesprekken/<id><suffix>" in the request arena. */
const char *conv_href(struct http_req *req, int64_t id, const char *suffix);
/** page_begin with crumbs Start > Gesprekken > <title> > page, and the step indicator. */
void conv_page_begin(struct html *h, struct http_req *req, const struct conversation *c,
                     const char *page_title, enum conv_step step);
/** Text as paragraphs: a blank line starts a new one, a single newline is a <br>. */
void conv_paragraphs(struct html *h, const char *text);
/** Flash messages of the conversation pages (?melding=...), beside page_flash's. */
void conv_flash(struct html *h, struct http_req *req);

/* page_conversation_prepare.c */
void conv_prepare_page(struct http_req *req);
void conv_prep_create_post(struct http_req *req);
void conv_prep_update_post(struct http_req *req);
void conv_prep_delete_post(struct http_req *req);
/* page_conversation_hold.c */
void conv_hold_page(struct http_req *req);
void conv_phase_post(struct http_req *req);
void conv_held_post(struct http_req *req);
void conv_starters_post(struct http_req *req);
/* page_conversation_minutes.c */
void conv_conclude_page(struct http_req *req);
void conv_conclude_post(struct http_req *req);
void conv_minutes_page(struct http_req *req);
void conv_minutes_pdf(struct http_req *req);
void conv_approve_post(struct http_req *req);
void conv_unapprove_post(struct http_req *req);
/* page_conversation_eval.c */
void conv_eval_page(struct http_req *req);
void conv_eval_post(struct http_req *req);
void conv_stats_page(struct http_req *req);

#endif
