/*
 * cli.h: shared pieces of the command-line interface. Each command lives in cli/cmd_<name>.c
 * and is listed in cli/cli.c. The CLI acts with full rights (whoever can run it can read the
 * data directory anyway) but through the same domain functions, so validation and audit apply.
 */
#ifndef DUIDING_CLI_CLI_H
#define DUIDING_CLI_CLI_H

#include "core/config.h"
#include "domain/actor.h"
#include "store/store.h"

#define CLI_DEFAULT_DATA_DIR "duiding-data"

/* Exit codes: 0 ok, 1 failure while working, 2 misuse (bad arguments). */
enum cli_exit { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_ctx {
    const char *data_dir; /* from -d, $DUIDING_DATA or CLI_DEFAULT_DATA_DIR */
    struct config cfg;
};

struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(struct cli_ctx *ctx, int argc, char **argv);
};

/** Loads defaults and <data_dir>/duiding.conf. Prints the error and returns CLI_FAIL on failure. */
int cli_load_config(struct cli_ctx *ctx);
/** Opens (and migrates) the store; requires an initialised data directory. */
int cli_open_store(struct cli_ctx *ctx, struct store **out);
/** The actor the CLI acts as: beheerder of the whole deployment, audited as "cli". */
struct actor cli_actor(void);
/** Prints "duiding: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_serve(struct cli_ctx *ctx, int argc, char **argv);
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import(struct cli_ctx *ctx, int argc, char **argv);
int cmd_user(struct cli_ctx *ctx, int argc, char **argv);
int cmd_org(struct cli_ctx *ctx, int argc, char **argv);
int cmd_backup(struct cli_ctx *ctx, int argc, char **argv);
int cmd_routes(struct cli_ctx *ctx, int argc, char **argv);
int cmd_synth(struct cli_ctx *ctx, int argc, char **argv);
int cmd_indicator(struct cli_ctx *ctx, int argc, char **argv);

/** Entry point used by main(). */
int cli_main(int argc, char **argv);

#endif
