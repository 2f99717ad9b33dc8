/*
 * app.h: the running server's shared state, created by `duiding serve` and borrowed by every
 * handler through req->app.
 */
#ifndef DUIDING_WEB_APP_H
#define DUIDING_WEB_APP_H

#include "core/config.h"
#include "core/jobq.h"
#include "store/store.h"

struct mx_engine;

/* Owned by: cli serve; freed in app_release() after the server stopped. */
struct app {
    const struct config *cfg;
    struct store *store;
    struct jobq *jobs;
    const char *version;
    /* The indicator engine (metrics/engine.h), built at start; NULL until built. Handlers call
     * figures_engine() (web/figures.h), which syncs it with the store first. */
    struct mx_engine *engine;
};

#endif
