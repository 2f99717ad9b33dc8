/*
 * cli.c: global options, the command table and help. Commands parse their own options with
 * getopt_long and return an enum cli_exit.
 */
#include "cli/cli.h"
#include "core/common.h"
#include "core/log.h"
#include "domain/auth.h"
#include "domain/cbs.h"
#include <getopt.h>
#include <sys/stat.h>

static const struct cli_command commands[] = {
    {"init", "create a data directory: database and pseudonymisation key", cmd_init},
    {"serve", "run the web server", cmd_serve},
    {"demo", "fill a data directory with the generated demo region", cmd_demo},
    {"import",
     "read messages, registration exports or population figures (import lijst, "
     "import ongedaan N)",
     cmd_import},
    {"org", "manage organisations (org add, org list)", cmd_org},
    {"user", "manage users (user add, user list, user reset-password)", cmd_user},
    {"backup", "write a consistent copy of the database while it is in use", cmd_backup},
    {"routes", "print every HTTP route as JSON lines", cmd_routes},
    {"synth", "generate realistic iJw/iWmo messages or a registration export", cmd_synth},
    {"indicatoren",
     "outcome indicators: lijst, bereken CODE (disclosed figures), meet (engine timings)",
     cmd_indicator},
};

static void usage(FILE *f)
{
    fprintf(f, "Usage: duiding [-d DIR] COMMAND [OPTIONS]\n\n"
               "duiding: outcome data and quality conversations for the sociaal domein.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\nGlobal options:\n"
            "  -d, --data-dir DIR  data directory (default $DUIDING_DATA or ./%s)\n"
            "  -h, --help          this help; 'duiding COMMAND --help' for a command\n"
            "  -V, --version       print the version\n\n"
            "Exit codes: 0 ok, 1 failed, 2 wrong usage.\n",
            CLI_DEFAULT_DATA_DIR);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("duiding: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_load_config(struct cli_ctx *ctx)
{
    char path[4096];
    struct err_ctx e = {0};
    config_defaults(&ctx->cfg, ctx->data_dir);
    int n = snprintf(path, sizeof path, "%s/%s", ctx->data_dir, CONFIG_FILE_NAME);
    if (n < 0 || (size_t)n >= sizeof path) {
        cli_error("data directory path too long");
        return CLI_FAIL;
    }
    if (config_load_file(&ctx->cfg, path, &e) != 0) {
        cli_error("%s", e.msg);
        return CLI_FAIL;
    }
    log_set_level(ctx->cfg.log_level);
    return CLI_OK;
}

int cli_open_store(struct cli_ctx *ctx, struct store **out)
{
    struct stat st;
    struct err_ctx e = {0};
    if (stat(ctx->cfg.db_path, &st) != 0) {
        cli_error("no database at %s: run 'duiding init -d %s' first", ctx->cfg.db_path,
                  ctx->data_dir);
        return CLI_FAIL;
    }
    if (store_open(ctx->cfg.db_path, out, &e) != 0) {
        cli_error("cannot open %s: %s", ctx->cfg.db_path, e.msg[0] ? e.msg : "database error");
        return CLI_FAIL;
    }
    return CLI_OK;
}

struct actor cli_actor(void)
{
    struct actor a;
    memset(&a, 0, sizeof a);
    /* user_id -1: a real, non-anonymous actor that is not a database user (audited as cli). */
    a.user_id = -1;
    a.roles = ROLE_ALL;
    a.org_kind = ORG_REGION;
    a.display_name = "cli";
    return a;
}

/* Accepts -d/--data-dir after the command name too ("duiding demo -d DIR"), removing it from
 * the command's arguments. Returns the new argument count. */
static int take_data_dir(struct cli_ctx *ctx, int argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-d") == 0 || strcmp(argv[i], "--data-dir") == 0) && i + 1 < argc) {
            ctx->data_dir = argv[++i];
        } else if (strncmp(argv[i], "--data-dir=", 11) == 0) {
            ctx->data_dir = argv[i] + 11;
        } else {
            argv[out++] = argv[i];
        }
    }
    argv[out] = NULL;
    return out;
}

int cli_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data-dir", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct cli_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.data_dir = getenv("DUIDING_DATA");
    if (!ctx.data_dir || !*ctx.data_dir)
        ctx.data_dir = CLI_DEFAULT_DATA_DIR;
    int c;
    /* '+': stop at the first non-option so each command parses its own flags. */
    while ((c = getopt_long(argc, argv, "+d:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            ctx.data_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        case 'V':
            printf("duiding %s\n", DUIDING_VERSION);
            return CLI_OK;
        default:
            usage(stderr);
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
        if (strcmp(commands[i].name, name) != 0)
            continue;
        if (auth_init() != 0 || cbs_load() != 0) {
            cli_error("cannot initialise (libsodium or embedded data)");
            return CLI_FAIL;
        }
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        sub_argc = take_data_dir(&ctx, sub_argc, sub_argv);
        /* 0, not 1: glibc then re-reads the option string, so the command's own options may
         * follow its operands ("import export.csv --profiel X") even though the top level
         * stops at the first operand ("+"). */
        optind = 0;
        int rc = commands[i].run(&ctx, sub_argc, sub_argv);
        config_release(&ctx.cfg);
        return rc;
    }
    cli_error("unknown command '%s' (see 'duiding --help')", name);
    return CLI_USAGE;
}
