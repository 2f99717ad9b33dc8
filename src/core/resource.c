/*
 * resource.c: lookup in the embedded resource table.
 */
#include "core/resource.h"
#include "core/common.h"

const struct resource *resource_find(const char *name)
{
    for (const struct resource *r = resource_table; r->name; r++)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}
