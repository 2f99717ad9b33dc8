/*
 * init.h: creating a data directory, shared by `init` and `demo`.
 */
#ifndef DUIDING_CLI_INIT_H
#define DUIDING_CLI_INIT_H

#include "cli/cli.h"
#include <stdbool.h>

/**
 * Makes sure ctx->data_dir holds a config, key file and migrated database, creating what is
 * missing. Loads the config into ctx. *created tells whether a new database was made.
 */
int cli_ensure_initialised(struct cli_ctx *ctx, bool *created);

#endif
