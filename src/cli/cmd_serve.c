/*
 * cmd_serve.c: `duiding serve`: starts the job queue and the HTTP server and runs until
 * SIGINT or SIGTERM, then drains running requests and jobs before closing the database.
 */
#include "cli/cli.h"
#include "core/common.h"
#include "core/log.h"
#include "metrics/catalog.h"
#include "metrics/engine.h"
#include "web/app.h"
#include "web/i18n.h"
#include "web/server.h"
#include <getopt.h>
#include <signal.h>
#include <sys/stat.h>

/* The indicator engine, built once from the (migrated) store before the first request; the
 * server still starts without it (pages then say the figures are unavailable). */
static void build_engine(struct app *app)
{
    struct err_ctx e = {0};
    if (mx_engine_build(store_reader(app->store), &app->engine, &e) != 0) {
        log_error("engine.build", "error", e.msg, NULL);
        app->engine = NULL;
        return;
    }
    struct mx_engine_stats st;
    mx_engine_get_stats(app->engine, &st);
    char rows[24], resp[24], persons[24], defs[24], mb[320], secs[320];
    snprintf(rows, sizeof rows, "%zu", st.trajectories);
    snprintf(resp, sizeof resp, "%zu", st.responses);
    snprintf(persons, sizeof persons, "%zu", st.persons);
    snprintf(defs, sizeof defs, "%zu", st.definitions);
    snprintf(mb, sizeof mb, "%.1f", (double)st.bytes / (1024.0 * 1024.0));
    snprintf(secs, sizeof secs, "%.2f", st.build_seconds);
    log_info("engine.built", "trajectories", rows, "responses", resp, "persons", persons,
             "definitions", defs, "mb", mb, "seconds", secs, NULL);
}

int cmd_serve(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct err_ctx e = {0};
    const char *port = NULL, *listen = NULL, *threads = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "p:l:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            port = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 't':
            threads = optarg;
            break;
        case 'h':
            printf("Usage: duiding [-d DIR] serve [--port N] [--listen ADDR] [--threads N]\n\n"
                   "Serves the web interface and API. Defaults come from DIR/duiding.conf.\n"
                   "Stops cleanly on SIGINT/SIGTERM.\n");
            return CLI_OK;
        default:
            return CLI_USAGE;
        }
    }
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    if ((port && config_set(&ctx->cfg, "port", port, &e)) ||
        (listen && config_set(&ctx->cfg, "listen", listen, &e)) ||
        (threads && config_set(&ctx->cfg, "threads", threads, &e))) {
        cli_error("%s", e.msg);
        return CLI_USAGE;
    }
    struct stat st;
    if (stat(ctx->cfg.key_path, &st) != 0)
        log_warn("serve.key", "msg", "pseudonymisation key file is missing; imports will refuse",
                 "path", ctx->cfg.key_path, NULL);
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    /* A directory made by an older release gets the standard indicators it lacks (before the
     * engine is built); existing ones and a region's changed settings are left alone. */
    if (ind_catalog_ensure_standard(s, NULL, &e) != 0) {
        cli_error("cannot install the standard indicators: %s", e.msg);
        store_close(s);
        return CLI_FAIL;
    }
    const char *localedir = getenv("DUIDING_LOCALEDIR");
    i18n_init(localedir && *localedir ? localedir : DUIDING_LOCALEDIR);

    /* Block the stop signals in every thread; the main thread waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct app app = {.cfg = &ctx->cfg, .store = s, .version = DUIDING_VERSION};
    build_engine(&app);
    app.jobs = jobq_new((unsigned)ctx->cfg.job_workers, JOBQ_DEFAULT_PENDING);
    struct server *srv = NULL;
    int bound = 0;
    if (server_start(&app, &srv, &bound, &e) != 0) {
        cli_error("%s", e.msg);
        jobq_free(app.jobs);
        mx_engine_free(app.engine);
        store_close(s);
        return CLI_FAIL;
    }
    char url[128];
    snprintf(url, sizeof url, "http://%s:%d", ctx->cfg.listen, bound);
    log_info("server.start", "url", url, "version", DUIDING_VERSION, "data_dir", ctx->data_dir,
             NULL);
    int sig = 0;
    sigwait(&stop, &sig);
    log_info("server.stop", "signal", sig == SIGINT ? "SIGINT" : "SIGTERM", NULL);
    server_stop(srv);
    jobq_free(app.jobs);
    mx_engine_free(app.engine);
    store_close(s);
    return CLI_OK;
}
