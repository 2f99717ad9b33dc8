/*
 * arena.h: chunked bump allocator for request- and job-scoped memory (the h2o req->pool model).
 * Everything allocated from an arena is released at once by arena_free(); handlers never free().
 * Non-memory resources ride along through arena_defer().
 */
#ifndef DUIDING_CORE_ARENA_H
#define DUIDING_CORE_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARENA_FIRST_CHUNK (16u * 1024u)
#define ARENA_DEFAULT_CAP (16u * 1024u * 1024u) /* per request */

struct arena_chunk;
struct arena_defer;

/* Owned by: whoever called arena_new(); freed with arena_free(). */
struct arena {
    struct arena_chunk *head; /* newest chunk first */
    struct arena_defer *defers;
    size_t used_total; /* bytes handed out, for the cap */
    size_t cap;        /* hard maximum of used_total */
    size_t next_chunk; /* size of the next chunk to allocate */
};

/* A position to return to with arena_reset_to(), e.g. after each imported row. */
struct arena_mark {
    struct arena_chunk *chunk;
    size_t chunk_used;
    size_t used_total;
    struct arena_defer *defers;
};

/** New arena with a hard cap in bytes (0 = ARENA_DEFAULT_CAP). Caller owns; never NULL. */
struct arena *arena_new(size_t cap);
/** Runs deferred cleanups (newest first) and releases all memory. NULL is a no-op. */
void arena_free(struct arena *a);

/**
 * Returns n bytes aligned for any type, owned by the arena, or NULL when the cap would be
 * exceeded (callers map that to ERR_TOO_BIG). Memory is not zeroed.
 */
void *arena_alloc(struct arena *a, size_t n);
/** Like arena_alloc, zeroed; checks n*size for overflow. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/** Copies n bytes of s and adds a NUL; NULL past the cap. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/** Copies a NUL-terminated string; arena_strdup(a, NULL) returns NULL. */
char *arena_strdup(struct arena *a, const char *s);
/** printf into arena memory; NULL past the cap. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Copies strings into an arena once per distinct pointer: tables whose cells share key strings
 * (metrics/protect_cache.c, metrics/view.c) copy each string once. The map's own memory comes
 * from `map_arena` (often scratch space freed soon after).
 */
struct arena_copies {
    const char **from, **to;
    size_t cap, used; /* cap a power of two, at least twice used */
    struct arena *map_arena;
};

/** Prepares m for up to about n distinct strings (the map grows past that: many cells share
 * few codes, so a map sized for every cell would mostly stay empty); false past map_arena's
 * cap. */
bool arena_copies_init(struct arena_copies *m, struct arena *map_arena, size_t n);
/** s copied into a (the same copy for the same pointer); NULL for NULL, and past a's cap. */
const char *arena_copy_once(struct arena_copies *m, struct arena *a, const char *s);

/** Registers fn(arg) to run when the arena is freed (or reset to a mark before this call). */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);

/** Remembers the current position. */
struct arena_mark arena_mark(struct arena *a);
/** Releases everything allocated (and runs cleanups registered) since the mark. */
void arena_reset_to(struct arena *a, struct arena_mark m);

#endif
