/*
 * cmd_demo.c: `duiding demo`: initialises the data directory if needed and fills it with the
 * generated demo region (see domain/demo.c). Running it on a filled directory is refused.
 */
#include "cli/cli.h"
#include "cli/init.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/demo.h"
#include <getopt.h>

#define DEMO_DEFAULT_SEED 2026

int cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int64_t seed = DEMO_DEFAULT_SEED;
    int c;
    bool created;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (str_parse_i64_c(optarg, 0, INT64_MAX, &seed)) {
                cli_error("--seed must be a non-negative whole number");
                return CLI_USAGE;
            }
            break;
        case 'h':
            printf("Usage: duiding [-d DIR] demo [--seed N]\n\nCreates DIR if needed and fills "
                   "it with the demo region Zuid-Drenthe\n(the same seed gives the same data).\n");
            return CLI_OK;
        default:
            return CLI_USAGE;
        }
    }
    if (cli_ensure_initialised(ctx, &created) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct err_ctx e = {0};
    printf("Generating the demo region in %s (seed %" PRId64 ")...\n", ctx->data_dir, seed);
    int rc = demo_generate(s, (uint64_t)seed, stdout, &e);
    store_close(s);
    if (rc != 0) {
        cli_error("%s", e.msg[0] ? e.msg : "demo generation failed");
        return CLI_FAIL;
    }
    return CLI_OK;
}
