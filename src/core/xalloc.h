/*
 * xalloc.h: allocation that aborts on out-of-memory (redis zmalloc / h2o style). Safe because
 * every attacker-influenced size is bounded before it reaches an allocator (house style C3/C5).
 * Tests can make the Nth allocation fail to exercise cleanup paths.
 */
#ifndef DUIDING_CORE_XALLOC_H
#define DUIDING_CORE_XALLOC_H

#include <stddef.h>

/** malloc that never returns NULL (logs and aborts instead). Caller frees with free(). */
void *xmalloc(size_t n);
/** calloc that checks n*size for overflow and never returns NULL. */
void *xcalloc(size_t n, size_t size);
/** realloc that never returns NULL. */
void *xrealloc(void *p, size_t n);
/** strdup that never returns NULL; xstrdup(NULL) returns NULL. */
char *xstrdup(const char *s);
/** Copies exactly n bytes and adds a NUL. */
char *xstrndup(const char *s, size_t n);

#endif
