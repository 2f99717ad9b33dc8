/*
 * page.h: the page frame (header, navigation by role, breadcrumbs, skip link, language switch,
 * footer) and form building blocks, all in NL Design System (Utrecht component) markup.
 * Every page is complete without JavaScript.
 */
#ifndef DUIDING_WEB_PAGE_H
#define DUIDING_WEB_PAGE_H

#include "core/err.h"
#include "web/html.h"
#include "web/http.h"

struct crumb {
    const char *label; /* translated */
    const char *href;  /* NULL for the current page */
};

/** Opens the document: <head>, page header with navigation, breadcrumbs, <main id="inhoud">, <h1>.
 */
void page_begin(struct html *h, struct http_req *req, const char *title, const struct crumb *crumbs,
                int ncrumbs);
/**
 * The same for a page that shows running work: without JavaScript the browser reloads it every
 * refresh_seconds (a <meta http-equiv="refresh"> inside <noscript>); 0 = never.
 */
void page_begin_refresh(struct html *h, struct http_req *req, const char *title,
                        const struct crumb *crumbs, int ncrumbs, int refresh_seconds);
/** Closes <main>, writes the footer and ends the document. */
void page_end(struct html *h, struct http_req *req);
/** Sends the built page (200 or status) and releases h; 500 if building failed. */
void page_send(struct http_req *req, struct html *h, int status);
/** A complete error page: 403, 404, 405, 500... with an optional explanation. */
void page_error(struct http_req *req, int status, const char *detail);
/** A green/blue/red notice box. kind: "ok", "info", "warning", "error". */
void page_alert(struct html *h, const char *kind, const char *message);
/** Flash message carried over a redirect in the query (?melding=opgeslagen etc.). */
void page_flash(struct html *h, struct http_req *req);

/* --- Forms --- */
struct form_errors {
    struct err_ctx items[8];
    int n;
};
/** Adds an error (copied) to show at its field and in the summary. */
void form_error_add(struct form_errors *fe, const struct err_ctx *e);
/** The message for a field, or NULL. */
const char *form_error_for(const struct form_errors *fe, const char *field);

/*
 * The pieces of a form field, for forms that build their own controls (the indicator editor):
 * form_field_open writes the wrapper, label ("niet verplicht" when optional), hint (id
 * hint-NAME) and error (id fout-NAME, first letter capitalised, so that the fragments of
 * domain validators read as sentences); the control then carries form_described_by; the caller
 * closes with "</div></div>" after it.
 */
void form_field_open(struct html *h, const char *name, const char *label, const char *hint,
                     const char *error, bool required);
void form_described_by(struct html *h, const char *name, const char *hint, const char *error);
/** Writes msg escaped, its first letter capitalised ("ontbreekt" -> "Ontbreekt"). */
void form_sentence(struct html *h, const char *msg);

/** <form method="post" action="..."> with the hidden CSRF field. */
void form_begin(struct html *h, struct http_req *req, const char *action);
void form_end(struct html *h);
/** "Er ging iets mis" summary with links to the fields, shown above the form. */
void form_error_summary(struct html *h, const struct form_errors *fe);
/** Labelled text input; type "text", "password", "number"...; value may be NULL. */
void form_input(struct html *h, const struct form_errors *fe, const char *name, const char *label,
                const char *type, const char *value, const char *hint, bool required,
                const char *autocomplete);
/** Labelled textarea, marked "(niet verplicht)". */
void form_textarea(struct html *h, const struct form_errors *fe, const char *name,
                   const char *label, const char *value, const char *hint);
/** Labelled textarea that must be filled in (required attribute, no "niet verplicht"). */
void form_textarea_required(struct html *h, const struct form_errors *fe, const char *name,
                            const char *label, const char *value, const char *hint);
struct form_option {
    const char *value;
    const char *label;
};
/** Labelled select with options; selected matched by value. */
void form_select(struct html *h, const struct form_errors *fe, const char *name, const char *label,
                 const struct form_option *opts, int nopts, const char *selected, const char *hint);
/** Fieldset with checkboxes; checked[i] says which are on. */
void form_checkboxes(struct html *h, const struct form_errors *fe, const char *name,
                     const char *legend, const struct form_option *opts, int nopts,
                     const bool *checked);
/** Primary submit button. */
void form_submit(struct html *h, const char *label);
/** A one-button POST form (archive, logout, ...). danger styles it as destructive. */
void form_button(struct html *h, struct http_req *req, const char *action, const char *label,
                 bool danger);

/* --- Tables --- */
/** <table> with a caption and header cells (translated labels). */
void table_begin(struct html *h, const char *caption, const char *const *headers, int nheaders);
void table_row_begin(struct html *h);
/** A text cell. */
void table_cell(struct html *h, const char *text);
/** A cell with a link. */
void table_cell_link(struct html *h, const char *href, const char *text);
void table_row_end(struct html *h);
void table_end(struct html *h);
/** Pager links "Vorige / Volgende" for offset/limit lists; path may carry a query (filters) but no
 * offset. */
void page_pager(struct html *h, const char *path, int offset, int limit, int total);

#endif
