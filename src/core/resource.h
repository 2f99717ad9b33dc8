/*
 * resource.h: files compiled into the binary by cmake/embed.cmake: SQL migrations
 * ("schema/0001_init.sql"), shipped data ("data/gemeenten-2023.csv") and static web assets
 * ("static/utrecht.css"). Each is NUL-terminated after `len` bytes.
 */
#ifndef DUIDING_CORE_RESOURCE_H
#define DUIDING_CORE_RESOURCE_H

#include <stddef.h>

struct resource {
    const char *name;
    const unsigned char *data;
    size_t len;
};

/* Terminated by an entry with name == NULL; sorted as the build listed the files. */
extern const struct resource resource_table[];

/** The resource with exactly this name, or NULL. Borrowed, static lifetime. */
const struct resource *resource_find(const char *name);

#endif
