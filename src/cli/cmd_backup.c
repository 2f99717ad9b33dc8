/*
 * cmd_backup.c: `duiding backup DEST`: a consistent copy of the database made with SQLite's
 * online backup API, safe while the server runs. The key file is not copied: back it up
 * separately (docs/operations.md).
 */
#include "cli/cli.h"
#include "core/common.h"
#include <getopt.h>

int cmd_backup(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage: duiding [-d DIR] backup DEST\n\nWrites a consistent copy of "
                   "DIR/duiding.db to DEST (a file; must not exist yet).\n");
            return CLI_OK;
        }
        return CLI_USAGE;
    }
    if (optind + 1 != argc) {
        cli_error("backup needs exactly one destination file");
        return CLI_USAGE;
    }
    const char *dest = argv[optind];
    FILE *probe = fopen(dest, "r");
    if (probe) {
        fclose(probe);
        cli_error("%s exists; choose a new file name", dest);
        return CLI_FAIL;
    }
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct err_ctx e = {0};
    int rc = db_backup(store_reader(s), dest, &e);
    store_close(s);
    if (rc != 0) {
        cli_error("backup failed: %s", e.msg[0] ? e.msg : "database error");
        return CLI_FAIL;
    }
    printf("Backup written to %s\n", dest);
    return CLI_OK;
}
