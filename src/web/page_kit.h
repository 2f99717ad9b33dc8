/*
 * page_kit.h: small building blocks shared by the beheer pages (organisations, users, audit log,
 * own account): Dutch local times, GET filter forms, button links, data lists, list URLs and
 * the mapping of domain error fields onto form fields. Everything escapes through web/html.h.
 */
#ifndef DUIDING_WEB_PAGE_KIT_H
#define DUIDING_WEB_PAGE_KIT_H

#include "core/arena.h"
#include "core/err.h"
#include "core/local_time.h"
#include "core/str.h"
#include "domain/role.h"
#include "web/html.h"
#include "web/http.h"
#include "web/page.h"
#include <stdbool.h>
#include <stdint.h>

#define KIT_TIME_MAX   LOCAL_TIME_MAX /* core/local_time.h */
#define KIT_OFFSET_MAX 1000000
#define KIT_QUERY_MAX  200 /* bytes of a search term that are kept in list URLs */

/* --- Times --- */

/**
 * Formats a stored UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" as Dutch local time (Europe/Amsterdam,
 * CET/CEST by the EU rule) "23-11-2026 09:00" (a no-break space between date and time), with ":SS"
 * when seconds is true. Returns false
 * (out untouched) if iso does not have that exact form.
 */
bool kit_time_from_iso(const char *iso, bool seconds, char out[static KIT_TIME_MAX]);
/** The same for unix seconds. */
void kit_time_from_unix(int64_t t, bool seconds, char out[static KIT_TIME_MAX]);
/**
 * Writes <time datetime="...">local time</time>. A NULL or malformed iso writes `none`
 * (escaped; may be NULL for nothing) or the raw value, escaped.
 */
void kit_time_iso(struct html *h, const char *iso, bool seconds, const char *none);
/** <time> for unix seconds; t <= 0 writes `none`. */
void kit_time_unix(struct html *h, int64_t t, bool seconds, const char *none);
/** A day as <time datetime="2024-03-01">1 maart 2024</time> (the long Dutch form). */
void kit_time_day(struct html *h, day_t d);
/** A day typed by a person: "2024-03-01" or "1-3-2024" (spaces around are fine). */
bool kit_parse_day(const char *s, day_t *out);
/** "2024-03-01" in a. */
const char *kit_day_iso(struct arena *a, day_t d);

/* --- GET filter forms above lists (no CSRF: they change nothing) --- */

/** Opens <form method="get" role="search"> with an accessible name. */
void kit_filter_begin(struct html *h, const char *action, const char *label);
/** A labelled search/text field that is never required. */
void kit_filter_text(struct html *h, const char *name, const char *label, const char *value,
                     const char *hint);
/** One labelled checkbox with value "1". */
void kit_filter_check(struct html *h, const char *name, const char *label, bool on);
/** Options for a select of the organisations of one kind the actor may list, after a first
 * option "" labelled first: gemeenten by CBS code, others by id. Returns the count (0 when the
 * list cannot be read). Arena-owned. */
int kit_org_options(struct http_req *req, enum org_kind kind, const char *first,
                    struct form_option **out);
/** "Filteren" button and a "Alles tonen" link to reset_href; closes the form. */
void kit_filter_end(struct html *h, const char *reset_href);

/* --- Layout --- */

/** A link that looks like a button (Utrecht button-link). */
void kit_button_link(struct html *h, const char *href, const char *label, bool primary);
/** The page's action bar (below the heading): a row of buttons and button links. */
void kit_actions_begin(struct html *h);
void kit_actions_end(struct html *h);
/** A plain row of buttons inside a section; close with kit_actions_end. */
void kit_buttons_begin(struct html *h);
/** <p class="utrecht-paragraph">text</p> */
void kit_para(struct html *h, const char *text);
/** <h2> section heading. */
void kit_h2(struct html *h, const char *text);
/** A level-2 heading with an id (a table of contents links to it); id NULL: none. */
void kit_h2_id(struct html *h, const char *id, const char *text);

/** Key/value list (Utrecht data list). */
void kit_dl_begin(struct html *h);
/** One row with plain text; NULL or "" shows "–". */
void kit_dl_item(struct html *h, const char *key, const char *value);
/** Opens a row whose value the caller writes; close with kit_dl_item_end. */
void kit_dl_item_begin(struct html *h, const char *key);
void kit_dl_item_end(struct html *h);
void kit_dl_end(struct html *h);

/** A table cell whose content the caller writes; close with kit_cell_end. */
void kit_cell_begin(struct html *h);
void kit_cell_end(struct html *h);

/* --- Inputs and URLs --- */

/** The "offset" query parameter for lists, 0..KIT_OFFSET_MAX (anything else: 0). */
int kit_offset(struct http_req *req);
/** A positive id from a string, or 0 if it is not one. */
int64_t kit_id(const char *s);
/** NULL when s is NULL or empty after trimming white space, else s (arena copy, trimmed). */
const char *kit_trimmed(struct arena *a, const char *s);
/**
 * "path?k1=v1&k2=v2": kv holds npairs key/value pairs; pairs with a NULL or empty value are
 * left out and values are percent-encoded. Arena string; `path` itself if it would not fit.
 */
const char *kit_url(struct arena *a, const char *path, const char *const *kv, int npairs);

/** "Beheerder, Beleidsadviseur": the translated labels of a role bit set. Arena string. */
const char *kit_roles_text(struct arena *a, uint32_t roles);

/* --- Errors --- */

/*
 * A form field and the names the domain may use for it in err_ctx.field, written lower case
 * without '_', '-' or '.' and separated by spaces ("naam name displayname").
 */
struct kit_field {
    const char *form;
    const char *aliases;
};

/**
 * Adds e to fe with its field renamed to the matching form field, so the message shows at the
 * field and links from the summary. An unknown field is dropped (the message stays, in the
 * summary only); an empty message becomes a general one.
 */
void kit_error_add(struct form_errors *fe, const struct err_ctx *e, const struct kit_field *map,
                   int nmap);
/** Adds an error found by the page itself (field: a form field name or NULL). */
void kit_error(struct form_errors *fe, const char *field, const char *msg);
/** Answers a failed domain call that has no form to go back to: 403, 404, 409 or 500 page. */
void kit_fail(struct http_req *req, int rc);

struct store;
struct actor;
/* A domain call that archives (archived) or restores object id on behalf of who. */
typedef int (*kit_archive_fn)(struct store *s, const struct actor *who, int64_t id, bool archived,
                              struct err_ctx *e);
/** The whole of POST <base>/{id}/archiveren and <base>/{id}/herstellen: the path's id, set(),
 * then a redirect to <base>/<id>?melding=gearchiveerd|hersteld, or the 403/404/409 page. */
void kit_set_archived(struct http_req *req, kit_archive_fn set, const char *base, bool archived);

#endif
