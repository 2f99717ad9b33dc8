/*
 * evidence_panel.h: the "Bewijsstukken" panel of a review page: the evidence files of a review
 * (or of one criterion) that the actor may see, each with its type, size, scan status and a
 * download link, a remove button where allowed, and an upload form for the holders of a
 * viewpoint while the review is not decided. Routes: web/page_evidence.c; rules:
 * domain/evidence.h and docs/evidence.md.
 */
#ifndef DUIDING_WEB_EVIDENCE_PANEL_H
#define DUIDING_WEB_EVIDENCE_PANEL_H

#include "domain/review.h"
#include "web/html.h"
#include "web/http.h"
#include <stdint.h>

/**
 * Writes the panel for review r (loaded with review_get for req->actor); criterion_id 0 = all
 * evidence of the review with a criterion choice in the upload form, otherwise the evidence of
 * that criterion only (uploads are linked to it). 0, or a negative enum err when the list could
 * not be read (the panel then shows a short Dutch message instead; the page can go on).
 */
int evidence_panel(struct html *h, struct http_req *req, const struct review *r,
                   int64_t criterion_id);

#endif
