/*
 * cmd_user.c: `duiding user add|list|reset-password`: account administration from the
 * command line, e.g. the first beheerder of a new deployment.
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/role.h"
#include "domain/user.h"
#include <getopt.h>

static int parse_roles(const char *list, uint32_t *out)
{
    uint32_t roles = 0;
    const char *p = list;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        struct str item = str_trim((struct str){p, comma ? (size_t)(comma - p) : strlen(p)});
        enum role r;
        if (role_parse(item, &r) != 0) {
            cli_error("unknown role '%.*s' (known: beheerder, beleid, contract, kwaliteit, "
                      "professional, toezicht, raad)",
                      (int)item.len, item.p);
            return CLI_USAGE;
        }
        roles |= (uint32_t)r;
        p = comma ? comma + 1 : NULL;
    }
    *out = roles;
    return CLI_OK;
}

static int read_password_stdin(char *buf, size_t n)
{
    if (!fgets(buf, (int)n, stdin))
        return CLI_FAIL;
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    return CLI_OK;
}

static int user_add(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"login", required_argument, NULL, 'l'}, {"name", required_argument, NULL, 'n'},
        {"org", required_argument, NULL, 'o'},   {"roles", required_argument, NULL, 'r'},
        {"lang", required_argument, NULL, 'L'},  {"password-stdin", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    struct user_input in = {0};
    const char *org = NULL, *roles = NULL;
    bool from_stdin = false;
    int c;
    while ((c = getopt_long(argc, argv, "l:n:o:r:L:Ph", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            in.login = optarg;
            break;
        case 'n':
            in.display_name = optarg;
            break;
        case 'o':
            org = optarg;
            break;
        case 'r':
            roles = optarg;
            break;
        case 'L':
            in.lang = optarg;
            break;
        case 'P':
            from_stdin = true;
            break;
        case 'h':
            printf("Usage: duiding [-d DIR] user add --login NAME --name \"Display name\" "
                   "--org ORG_ID --roles ROLE[,ROLE] [--lang nl|en] [--password-stdin]\n\n"
                   "Without --password-stdin a random password is generated and printed once.\n");
            return CLI_OK;
        default:
            return CLI_USAGE;
        }
    }
    if (!in.login || !org || !roles) {
        cli_error("user add needs --login, --org and --roles (see --help)");
        return CLI_USAGE;
    }
    if (!in.display_name)
        in.display_name = in.login;
    if (str_parse_i64_c(org, 1, INT64_MAX, &in.org_id)) {
        cli_error("--org must be an organisation id (see 'duiding org list')");
        return CLI_USAGE;
    }
    if (parse_roles(roles, &in.roles) != CLI_OK)
        return CLI_USAGE;
    char pw[300] = "";
    if (from_stdin) {
        if (read_password_stdin(pw, sizeof pw) != CLI_OK) {
            cli_error("no password on standard input");
            return CLI_USAGE;
        }
        in.password = pw;
    }
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct actor who = cli_actor();
    struct err_ctx e = {0};
    int64_t id = 0;
    char *generated = NULL;
    int rc = user_create(s, &who, &in, &id, &generated, &e);
    store_close(s);
    memset(pw, 0, sizeof pw);
    if (rc != 0) {
        cli_error("%s%s%s", e.field ? e.field : "", e.field ? ": " : "",
                  e.msg[0] ? e.msg : "could not create the user");
        return rc == ERR_INVALID || rc == ERR_CONFLICT ? CLI_USAGE : CLI_FAIL;
    }
    printf("User %s created (id %" PRId64 ").\n", in.login, id);
    if (generated) {
        printf("Password (shown once; the user must change it): %s\n", generated);
        free(generated);
    }
    return CLI_OK;
}

static int user_list_cmd(struct cli_ctx *ctx)
{
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct actor who = cli_actor();
    struct arena *a = arena_new(0);
    struct user_filter f = {.include_inactive = true, .limit = 1000};
    struct user *us = NULL;
    int n = 0, total = 0;
    int rc = user_list(a, s, &who, &f, &us, &n, &total);
    if (rc == 0) {
        printf("%-6s %-28s %-40s %s\n", "id", "login", "organisation", "roles");
        for (int i = 0; i < n; i++) {
            printf("%-6" PRId64 " %-28s %-40s", us[i].id, us[i].login,
                   us[i].org_name ? us[i].org_name : "");
            for (int k = 0; k < ROLE_COUNT; k++)
                if (us[i].roles & (uint32_t)role_at(k))
                    printf(" %s", role_code(role_at(k)));
            printf("%s\n", us[i].active ? "" : " (inactive)");
        }
    }
    arena_free(a);
    store_close(s);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

static int user_reset(struct cli_ctx *ctx, int argc, char **argv)
{
    int64_t id;
    if (argc != 2 || str_parse_i64_c(argv[1], 1, INT64_MAX, &id)) {
        cli_error("usage: duiding user reset-password USER_ID");
        return CLI_USAGE;
    }
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct actor who = cli_actor();
    struct err_ctx e = {0};
    char *generated = NULL;
    int rc = user_reset_password(s, &who, id, &generated, &e);
    store_close(s);
    if (rc != 0) {
        cli_error("%s", e.msg[0] ? e.msg : "could not reset the password");
        return CLI_FAIL;
    }
    printf("New password (shown once; must be changed at next login): %s\n", generated);
    free(generated);
    return CLI_OK;
}

int cmd_user(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("Usage: duiding [-d DIR] user add|list|reset-password ...\n");
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "add") == 0)
        return user_add(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return user_list_cmd(ctx);
    if (strcmp(argv[1], "reset-password") == 0)
        return user_reset(ctx, argc - 1, argv + 1);
    cli_error("unknown user command '%s'", argv[1]);
    return CLI_USAGE;
}
