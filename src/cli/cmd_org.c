/*
 * cmd_org.c: `duiding org add|list`: organisations from the command line, e.g. the region of
 * a new deployment before its first beheerder exists.
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/org.h"
#include <getopt.h>

static int org_add(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"name", required_argument, NULL, 'n'},
        {"cbs", required_argument, NULL, 'c'},
        {"agb", required_argument, NULL, 'a'},
        {"parent", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct org_input in = {0};
    const char *kind = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "k:n:c:a:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            kind = optarg;
            break;
        case 'n':
            in.name = optarg;
            break;
        case 'c':
            in.cbs_code = optarg;
            break;
        case 'a':
            in.agb_code = optarg;
            break;
        case 'p':
            if (in.nparents >= ORG_MAX_PARENTS ||
                str_parse_i64_c(optarg, 1, INT64_MAX, &in.parent_ids[in.nparents])) {
                cli_error("--parent must be an organisation id");
                return CLI_USAGE;
            }
            in.nparents++;
            break;
        case 'h':
            printf("Usage: duiding [-d DIR] org add --kind region|gemeente|aanbieder|"
                   "toezichthouder|toegang [--name NAME] [--cbs GM0114] [--agb 12345678] "
                   "[--parent ID]...\n");
            return CLI_OK;
        default:
            return CLI_USAGE;
        }
    }
    enum org_kind k;
    if (!kind || org_kind_parse(str_from(kind), &k) != 0) {
        cli_error("--kind must be region, gemeente, aanbieder, toezichthouder or toegang");
        return CLI_USAGE;
    }
    in.kind = k;
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct actor who = cli_actor();
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = org_create(s, &who, &in, &id, &e);
    store_close(s);
    if (rc != 0) {
        cli_error("%s%s%s", e.field ? e.field : "", e.field ? ": " : "",
                  e.msg[0] ? e.msg : "could not create the organisation");
        return rc == ERR_INVALID || rc == ERR_CONFLICT ? CLI_USAGE : CLI_FAIL;
    }
    printf("Organisation created (id %" PRId64 ").\n", id);
    return CLI_OK;
}

static int org_list_cmd(struct cli_ctx *ctx)
{
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct actor who = cli_actor();
    struct arena *a = arena_new(0);
    struct org_filter f = {.include_archived = true, .limit = ORG_LIST_MAX};
    struct org *os = NULL;
    int n = 0, total = 0;
    int rc = org_list(a, s, &who, &f, &os, &n, &total);
    if (rc == 0) {
        printf("%-6s %-15s %-8s %s\n", "id", "kind", "code", "name");
        for (int i = 0; i < n; i++)
            printf("%-6" PRId64 " %-15s %-8s %s%s\n", os[i].id, org_kind_code(os[i].kind),
                   os[i].cbs_code ? os[i].cbs_code : (os[i].agb_code ? os[i].agb_code : ""),
                   os[i].name, os[i].archived ? " (archived)" : "");
    }
    arena_free(a);
    store_close(s);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_org(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("Usage: duiding [-d DIR] org add|list ...\n");
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "add") == 0)
        return org_add(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return org_list_cmd(ctx);
    cli_error("unknown org command '%s'", argv[1]);
    return CLI_USAGE;
}
