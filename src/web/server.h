/*
 * server.h: the HTTP server (libmicrohttpd glue). The only file that includes <microhttpd.h>.
 */
#ifndef DUIDING_WEB_SERVER_H
#define DUIDING_WEB_SERVER_H

#include "core/err.h"
#include "web/app.h"

struct server;

/**
 * Starts listening on cfg->listen:cfg->port with an epoll thread pool of cfg->threads, the
 * connection limits and timeouts of the config. *port_out receives the bound port (useful
 * with port 0). Caller owns the server (server_stop).
 */
int server_start(struct app *app, struct server **out, int *port_out, struct err_ctx *e);
/** Stops accepting, waits for running requests and frees. NULL is a no-op. */
void server_stop(struct server *s);

#endif
