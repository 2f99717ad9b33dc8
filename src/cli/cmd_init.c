/*
 * cmd_init.c: `duiding init`: a new data directory with the database (migrated) and the
 * pseudonymisation key. The key lives in its own 0600 file outside the database so that a
 * copy of the database alone cannot link pseudonyms back to BSNs.
 */
#include "cli/cli.h"
#include "cli/init.h"
#include "core/common.h"
#include "metrics/catalog.h"
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES 32

static const char default_conf[] =
    "# duiding settings; see docs/operations.md. Lines are 'key = value'.\n"
    "# port = 8080\n"
    "# listen = 127.0.0.1\n"
    "# threads = 2\n"
    "# secure_cookies = false   # set true when served over HTTPS (behind nginx)\n"
    "# session_hours = 8\n"
    "# default_lang = nl\n"
    "# log_level = info\n";

static int write_key(const char *path)
{
    unsigned char key[KEY_BYTES];
    int rc = CLI_FAIL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        cli_error("cannot create key file %s: %s", path, strerror(errno));
        return CLI_FAIL;
    }
    randombytes_buf(key, sizeof key);
    if (write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0)
        rc = CLI_OK;
    else
        cli_error("cannot write key file %s", path);
    sodium_memzero(key, sizeof key);
    close(fd);
    return rc;
}

int cli_ensure_initialised(struct cli_ctx *ctx, bool *created)
{
    struct stat st;
    char conf[4096];
    *created = false;
    if (mkdir(ctx->data_dir, 0700) != 0 && errno != EEXIST) {
        cli_error("cannot create %s: %s", ctx->data_dir, strerror(errno));
        return CLI_FAIL;
    }
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    if (stat(ctx->cfg.db_path, &st) == 0)
        return CLI_OK;
    if (stat(ctx->cfg.key_path, &st) != 0 && write_key(ctx->cfg.key_path) != CLI_OK)
        return CLI_FAIL;
    int n = snprintf(conf, sizeof conf, "%s/%s", ctx->data_dir, CONFIG_FILE_NAME);
    if (n > 0 && (size_t)n < sizeof conf && stat(conf, &st) != 0) {
        FILE *f = fopen(conf, "wx");
        if (f) {
            fputs(default_conf, f);
            fclose(f);
        }
    }
    struct store *s = NULL;
    struct err_ctx e = {0};
    if (store_open(ctx->cfg.db_path, &s, &e) != 0) {
        cli_error("cannot create database %s: %s", ctx->cfg.db_path, e.msg);
        return CLI_FAIL;
    }
    /* Every data directory starts with the shipped standard indicator set. */
    if (ind_catalog_ensure_standard(s, NULL, &e) != 0) {
        cli_error("cannot install the standard indicators: %s", e.msg);
        store_close(s);
        return CLI_FAIL;
    }
    store_close(s);
    *created = true;
    return CLI_OK;
}

int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    bool created;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage: duiding [-d DIR] init\n\nCreates DIR with duiding.db, pseudonym.key "
                   "(0600) and duiding.conf.\nRefuses to touch an existing database.\n");
            return CLI_OK;
        }
        return CLI_USAGE;
    }
    if (optind < argc) {
        cli_error("init takes no arguments (use -d DIR before 'init')");
        return CLI_USAGE;
    }
    if (cli_ensure_initialised(ctx, &created) != CLI_OK)
        return CLI_FAIL;
    if (!created) {
        cli_error("%s already holds a database; nothing changed", ctx->data_dir);
        return CLI_FAIL;
    }
    printf("Initialised %s\n  database: %s\n  key:      %s (keep it safe and back it up "
           "separately)\n\nNext: duiding -d %s org add --kind region --name \"...\"\n"
           "      duiding -d %s user add --login ... --org 1 --roles beheerder\n",
           ctx->data_dir, ctx->cfg.db_path, ctx->cfg.key_path, ctx->data_dir, ctx->data_dir);
    return CLI_OK;
}
