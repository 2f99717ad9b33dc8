/*
 * figures.h: the web layer's door to indicator figures. Turns the acting user into a scope
 * and an audience through the authorisation policy (domain/policy.h: policy_figure_scope),
 * loads the targets that apply, and asks metrics/view.h for a disclosed view. Pages
 * (page_indicator.c, page_dashboard.c), the API (api_indicator.c) and exports all come here;
 * nothing in web/ touches the engine's raw figures.
 */
#ifndef DUIDING_WEB_FIGURES_H
#define DUIDING_WEB_FIGURES_H

#include "metrics/view.h"
#include "web/http.h"

/** The server's engine, synced with the store (cheap when nothing changed); builds it on first
 * use if the server has none yet. NULL with a logged error if it cannot be built. */
struct mx_engine *figures_engine(struct http_req *req);

/* The options a page or API call passes; everything else comes from the actor. */
struct figures_opts {
    int64_t ind_id;
    const struct ind_def *preview; /* editor preview, or NULL */
    enum period_kind pkind;
    struct period first, last;
    enum mx_dim by[MX_MAX_BY];
    int nby;
    struct mx_where where[MX_DIM__COUNT];
    /* A stricter audience than the actor's own (e.g. "publicatieversie"); -1 = the actor's. */
    int audience;
    int bench_dim; /* -1 = the natural one: aanbieder for provider users, else gemeente */
};

/** The audience of the acting user: aanbieder staff DC_PROVIDER, raad DC_PUBLISHED, staff of
 * gemeente/region/beheer DC_INTERNAL. */
enum dc_audience figures_audience(const struct http_req *req);

/** The scope of the acting user (policy_figure_scope + organisation lookups). 0, ERR_DENIED. */
int figures_scope(struct http_req *req, struct mx_scope *out);

/** Computes a disclosed view for the acting user. 0, ERR_DENIED, ERR_NOT_FOUND, ERR_INVALID
 * (reason in e), ERR_INTERNAL. */
int figures_view(struct http_req *req, const struct figures_opts *o, struct mx_view *out,
                 struct err_ctx *e);

/** Label for a dimension code: organisation names for aanbieder (NULL-safe), gemeente names
 * from the CBS list, code list labels for the rest, "onbekend" for "". Use as mx_label_fn. */
const char *figures_label(void *req, enum mx_dim d, const char *code);

/** Parses the shared query parameters of pages and API (periode, van, tot, per, per2,
 * gemeente, aanbieder, wet, categorie, hulpvorm, leeftijd, geslacht, verwijzer, gebied,
 * publiek) into o, with defaults (quarters of the last two years up to the data date).
 * 0 or ERR_INVALID with the Dutch reason naming the parameter in e. */
int figures_parse_query(struct http_req *req, struct figures_opts *o, struct err_ctx *e);

#endif
