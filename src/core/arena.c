/*
 * arena.c: bump allocation in doubling chunks with a hard per-arena cap. Chunks are kept in a
 * singly linked list, newest first, so reset_to(mark) frees chunks newer than the mark.
 */
#include "core/arena.h"
#include "core/common.h"
#include "core/xalloc.h"

#define ARENA_ALIGN     16u
#define ARENA_MAX_CHUNK (4u * 1024u * 1024u)

struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct arena_defer {
    struct arena_defer *next;
    void (*fn)(void *);
    void *arg;
};

struct arena *arena_new(size_t cap)
{
    struct arena *a = xcalloc(1, sizeof *a);
    a->cap = cap ? cap : ARENA_DEFAULT_CAP;
    a->next_chunk = ARENA_FIRST_CHUNK;
    return a;
}

static void run_defers_until(struct arena *a, struct arena_defer *stop)
{
    while (a->defers && a->defers != stop) {
        struct arena_defer *d = a->defers;
        a->defers = d->next;
        d->fn(d->arg);
        free(d);
    }
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    run_defers_until(a, NULL);
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n || need > a->cap - a->used_total || a->used_total > a->cap)
        return NULL;
    struct arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t size = a->next_chunk;
        while (size < need)
            size *= 2;
        if (a->next_chunk < ARENA_MAX_CHUNK)
            a->next_chunk *= 2;
        c = xmalloc(sizeof *c + size);
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->used_total += need;
    return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = NULL;
    if (n >= 0) {
        p = arena_alloc(a, (size_t)n + 1);
        if (p)
            vsnprintf(p, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    return p;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
    /* Defer records live on the heap, not in the arena, so a cleanup can always be registered
     * even when the arena has reached its cap: a resource must never leak. */
    struct arena_defer *d = xmalloc(sizeof *d);
    d->fn = fn;
    d->arg = arg;
    d->next = a->defers;
    a->defers = d;
}

struct arena_mark arena_mark(struct arena *a)
{
    struct arena_mark m = {a->head, a->head ? a->head->used : 0, a->used_total, a->defers};
    return m;
}

void arena_reset_to(struct arena *a, struct arena_mark m)
{
    run_defers_until(a, m.defers);
    while (a->head && a->head != m.chunk) {
        struct arena_chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
    if (a->head)
        a->head->used = m.chunk_used;
    a->used_total = m.used_total;
}

#define COPIES_FIRST_CAP 1024 /* the map starts at most this large and doubles as it fills */

static bool copies_alloc(struct arena_copies *m, size_t cap)
{
    m->from = arena_calloc(m->map_arena, cap, sizeof *m->from);
    m->to = arena_calloc(m->map_arena, cap, sizeof *m->to);
    m->cap = cap;
    return m->from && m->to;
}

static size_t copies_slot(const struct arena_copies *m, const char *s)
{
    size_t mask = m->cap - 1, i = (((uintptr_t)s >> 3) * UINT64_C(0x9E3779B97F4A7C15)) & mask;
    while (m->from[i] && m->from[i] != s)
        i = (i + 1) & mask;
    return i;
}

bool arena_copies_init(struct arena_copies *m, struct arena *map_arena, size_t n)
{
    memset(m, 0, sizeof *m);
    m->map_arena = map_arena;
    size_t cap = 16;
    while (cap < 2 * n + 16 && cap < COPIES_FIRST_CAP)
        cap *= 2;
    return copies_alloc(m, cap);
}

/* Twice the slots, the pairs moved over (the old arrays stay in map_arena until it goes). */
static bool copies_grow(struct arena_copies *m)
{
    struct arena_copies old = *m;
    if (!copies_alloc(m, old.cap * 2)) {
        *m = old;
        return false;
    }
    for (size_t i = 0; i < old.cap; i++)
        if (old.from[i]) {
            size_t j = copies_slot(m, old.from[i]);
            m->from[j] = old.from[i];
            m->to[j] = old.to[i];
        }
    return true;
}

const char *arena_copy_once(struct arena_copies *m, struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t i = copies_slot(m, s);
    if (m->from[i])
        return m->to[i];
    if ((m->used + 1) * 2 > m->cap) {
        if (!copies_grow(m))
            return NULL;
        i = copies_slot(m, s);
    }
    const char *copy = arena_strdup(a, s);
    if (!copy)
        return NULL;
    m->from[i] = s;
    m->used++;
    return m->to[i] = copy;
}
