/*
 * cmd_routes.c: `duiding routes`: every HTTP route as one JSON object per line. The
 * authorisation matrix test reads it, so a new route without an expectation fails the test.
 */
#include "cli/cli.h"
#include "core/common.h"
#include "web/router.h"

static void print_route(const struct route *r, void *ctx)
{
    UNUSED(ctx);
    printf("{\"method\":\"%s\",\"pattern\":\"%s\",\"name\":\"%s\",\"public\":%s,\"api\":%s}\n",
           r->method, r->pattern, r->name, (r->flags & ROUTE_PUBLIC) ? "true" : "false",
           (r->flags & ROUTE_API) ? "true" : "false");
}

int cmd_routes(struct cli_ctx *ctx, int argc, char **argv)
{
    UNUSED(ctx);
    UNUSED(argv);
    if (argc > 1) {
        printf("Usage: duiding routes\n\nPrints every HTTP route as JSON lines.\n");
        return CLI_OK;
    }
    router_each(print_route, NULL);
    return CLI_OK;
}
