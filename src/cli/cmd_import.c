/*
 * cmd_import.c: `duiding import`: reads iJw/iWmo messages (a file, folder or zip), a provider's
 * registration export (CSV/XLSX, through a mapping profile) or CBS population figures into
 * the data directory, as the CLI actor. Also `import lijst` (batches) and `import ongedaan N`
 * (undo a batch). One summary line on stdout; a progress bar on stderr when it is a terminal.
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/str.h"
#include "ingest/batch.h"
#include "ingest/pipeline.h"
#include "ingest/profile.h"
#include <getopt.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct bar {
    struct timespec t0;
    bool shown;
    bool lines; /* not a terminal: one line per update (scripts, logs, tests) */
};

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t records)
{
    struct bar *b = ctx;
    double s = elapsed(&b->t0);
    double pct = total ? 100.0 * (double)done / (double)total : 0.0;
    fprintf(stderr, "%s  %3.0f%%  %" PRIu64 " records  %.0f/s%s", b->lines ? "voortgang" : "\r",
            pct, records, s > 0 ? (double)records / s : 0.0, b->lines ? "\n" : "   ");
    fflush(stderr);
    b->shown = true;
}

/* "0,8" : seconds with a decimal comma, as the summary is Dutch. */
static void dutch_seconds(double s, char out[32])
{
    unsigned long long tenths = (unsigned long long)((s < 0 ? 0.0 : s > 1e9 ? 1e9 : s) * 10 + 0.5);
    snprintf(out, 32, "%llu,%llu", tenths / 10, tenths % 10);
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: duiding [-d DIR] import [--soort berichten|registratie|bevolking] "
               "[--profiel NAME] [--voortgang] FILE|DIR|ZIP\n"
               "       duiding [-d DIR] import lijst\n"
               "       duiding [-d DIR] import ongedaan BATCH\n\n"
               "Reads iJw/iWmo 3.2 messages (a file, a folder or a zip of them, or a folder of\n"
               "such zips), a provider's registration export (CSV or XLSX; needs --profiel,\n"
               "the name of its column profile) or CBS population figures (CSV). Everything in\n"
               "one batch is committed together or not at all; the same file twice changes\n"
               "nothing.\n\n"
               "Progress goes to stderr when it is a terminal; --voortgang prints it there\n"
               "anyway, one line per update.\n\n"
               "Exit codes: 0 all records accepted or skipped, 1 records rejected or the import\n"
               "failed, 2 wrong usage.\n");
}

static int parse_kind(const char *s, enum import_kind *out)
{
    if (strcmp(s, "berichten") == 0 || strcmp(s, "messages") == 0)
        *out = IMPORT_MESSAGES;
    else if (strcmp(s, "registratie") == 0 || strcmp(s, "registration") == 0)
        *out = IMPORT_REGISTRATION;
    else if (strcmp(s, "bevolking") == 0 || strcmp(s, "population") == 0)
        *out = IMPORT_POPULATION;
    else
        return ERR_INVALID;
    return 0;
}

/* Finds the profile by name (or id). */
static int find_profile(struct store *s, const struct actor *who, const char *name, int64_t *id)
{
    struct arena *a = arena_new(0);
    struct mapping_profile p;
    struct err_ctx e = {0};
    int64_t num = 0;
    int rc = profile_find(s, who, 0, name, a, &p, &e);
    if (rc == ERR_NOT_FOUND && str_parse_i64_c(name, 1, INT64_MAX, &num) == 0)
        rc = profile_get(s, who, num, a, &p, &e);
    if (rc == 0)
        *id = p.id;
    else if (rc == ERR_NOT_FOUND)
        cli_error("no column profile named '%s'", name);
    else
        cli_error("profile '%s': %s", name, e.msg[0] ? e.msg : err_name(rc));
    arena_free(a);
    return rc;
}

static int run_import(struct cli_ctx *ctx, const char *path, enum import_kind kind,
                      const char *profile, bool force_progress)
{
    struct store *s = NULL;
    struct msg_schemas *schemas = NULL;
    struct pseudonymiser *ps = NULL;
    struct err_ctx e = {0};
    struct stat st;
    int rc = CLI_FAIL;

    if (stat(path, &st) != 0) {
        cli_error("%s: %s", path, strerror(errno));
        return CLI_USAGE;
    }
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    if (stat(ctx->cfg.key_path, &st) != 0) {
        cli_error("no pseudonymisation key at %s: run 'duiding init -d %s' first",
                  ctx->cfg.key_path, ctx->data_dir);
        return CLI_FAIL;
    }
    if (pseudonymiser_open(ctx->cfg.key_path, &ps, &e) != 0) {
        cli_error("%s", e.msg);
        return CLI_FAIL;
    }
    if (cli_open_store(ctx, &s) != CLI_OK)
        goto out;
    struct actor who = cli_actor();
    int64_t profile_id = 0;
    if (profile && find_profile(s, &who, profile, &profile_id) != 0)
        goto out;
    if (kind == IMPORT_AUTO)
        kind = import_detect_kind(path);
    if (kind == IMPORT_MESSAGES && msg_schemas_load(&schemas, &e) != 0) {
        cli_error("cannot load the message schemas: %s", e.msg);
        goto out;
    }
    bool tty = isatty(STDERR_FILENO);
    struct bar bar = {.lines = !tty};
    clock_gettime(CLOCK_MONOTONIC, &bar.t0);
    struct import_env env = {.store = s, .schemas = schemas, .pseudonymiser = ps};
    struct import_request req = {
        .path = path,
        .kind = kind,
        .profile_id = profile_id,
        .actor = &who,
        .via = VIA_CLI,
        .progress = tty || force_progress ? on_progress : NULL,
        .progress_ctx = &bar,
    };
    struct import_report rep;
    int ret = import_run(&env, &req, &rep, &e);
    if (bar.shown && !bar.lines)
        fputc('\n', stderr);
    char secs[32];
    dutch_seconds(rep.seconds, secs);
    if (rep.duplicate) {
        printf("al ingelezen als batch %" PRId64 ": niets veranderd\n", rep.batch_id);
        rc = CLI_OK;
    } else if (rep.failed) {
        if (rep.batch_id)
            printf("batch %" PRId64 " mislukt: %s\n", rep.batch_id, rep.error);
        else
            printf("mislukt: %s\n", rep.error);
        rc = CLI_FAIL;
    } else if (ret != 0) {
        cli_error("%s", e.msg[0] ? e.msg : err_name(ret));
        rc = ret == ERR_NOT_FOUND || ret == ERR_INVALID ? CLI_USAGE : CLI_FAIL;
    } else {
        printf("batch %" PRId64 ": %" PRIu64 " gelezen, %" PRIu64 " geaccepteerd, %" PRIu64
               " afgewezen, %" PRIu64 " overgeslagen (%s s)\n",
               rep.batch_id, rep.read, rep.accepted, rep.rejected, rep.skipped, secs);
        rc = rep.rejected > 0 ? CLI_FAIL : CLI_OK;
    }
out:
    msg_schemas_free(schemas);
    pseudonymiser_free(ps);
    store_close(s);
    return rc;
}

static int list_batches(struct cli_ctx *ctx)
{
    struct store *s = NULL;
    if (cli_load_config(ctx) != CLI_OK || cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct actor who = cli_actor();
    struct arena *a = arena_new(0);
    struct batch_filter f = {.limit = 500};
    struct import_batch *b = NULL;
    struct err_ctx e = {0};
    int n = 0;
    int64_t total = 0;
    int rc = batch_list(s, &who, &f, a, &b, &n, &total, &e);
    if (rc == 0) {
        printf("%-6s %-9s %-11s %9s %9s %9s %9s  %-20s %s\n", "batch", "status", "soort", "gelezen",
               "geaccept", "afgewezen", "overgesl", "ingelezen", "bestand");
        for (int i = 0; i < n; i++)
            printf("%-6" PRId64 " %-9s %-11s %9" PRId64 " %9" PRId64 " %9" PRId64 " %9" PRId64
                   "  %-20s %s\n",
                   b[i].id, b[i].status, b[i].kind, b[i].n_read, b[i].n_accepted, b[i].n_rejected,
                   b[i].n_skipped, b[i].created_at ? b[i].created_at : "", b[i].file_name);
        if (total > n)
            printf("(%d of %" PRId64 " shown)\n", n, total);
    } else {
        cli_error("%s", e.msg[0] ? e.msg : err_name(rc));
    }
    arena_free(a);
    store_close(s);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

static int undo_batch(struct cli_ctx *ctx, const char *arg)
{
    int64_t id = 0;
    if (!arg || str_parse_i64_c(arg, 1, INT64_MAX, &id) != 0) {
        cli_error("import ongedaan needs a batch number");
        return CLI_USAGE;
    }
    struct store *s = NULL;
    if (cli_load_config(ctx) != CLI_OK || cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct actor who = cli_actor();
    struct err_ctx e = {0};
    int rc = batch_undo(s, &who, id, &e);
    store_close(s);
    if (rc != 0) {
        cli_error("batch %" PRId64 ": %s", id, e.msg[0] ? e.msg : err_name(rc));
        return rc == ERR_NOT_FOUND || rc == ERR_CONFLICT ? CLI_USAGE : CLI_FAIL;
    }
    printf("batch %" PRId64 " ongedaan gemaakt\n", id);
    return CLI_OK;
}

int cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"profiel", required_argument, NULL, 'p'}, {"profile", required_argument, NULL, 'p'},
        {"soort", required_argument, NULL, 's'},   {"kind", required_argument, NULL, 's'},
        {"voortgang", no_argument, NULL, 'v'},     {"progress", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    enum import_kind kind = IMPORT_AUTO;
    const char *profile = NULL;
    bool progress = false;
    int c;

    if (argc >= 2 && (strcmp(argv[1], "lijst") == 0 || strcmp(argv[1], "list") == 0)) {
        if (argc > 2) {
            cli_error("import lijst takes no arguments");
            return CLI_USAGE;
        }
        return list_batches(ctx);
    }
    if (argc >= 2 && (strcmp(argv[1], "ongedaan") == 0 || strcmp(argv[1], "undo") == 0)) {
        if (argc != 3) {
            cli_error("usage: duiding import ongedaan BATCH");
            return CLI_USAGE;
        }
        return undo_batch(ctx, argv[2]);
    }
    while ((c = getopt_long(argc, argv, "p:s:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            profile = optarg;
            break;
        case 's':
            if (parse_kind(optarg, &kind) != 0) {
                cli_error("--soort must be berichten, registratie or bevolking");
                return CLI_USAGE;
            }
            break;
        case 'v':
            progress = true;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        default:
            usage(stderr);
            return CLI_USAGE;
        }
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    return run_import(ctx, argv[optind], kind, profile, progress);
}
