/*
 * action_panel.h: the small "Open acties" panel on the dashboard: how many improvement actions
 * the user can see are open or in progress, how many of those are overdue, with links to the
 * overview (web/page_action.c).
 */
#ifndef DUIDING_WEB_ACTION_PANEL_H
#define DUIDING_WEB_ACTION_PANEL_H

#include "web/html.h"
#include "web/http.h"

/** Writes the panel; nothing when the user can see no actions at all. */
void action_panel(struct html *h, struct http_req *req);

#endif
