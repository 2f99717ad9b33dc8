/*
 * test_arena.c: the bump allocator (core/arena.c): alignment, the hard cap, strndup/printf,
 * deferred cleanups in reverse order, and mark/reset releasing memory and running defers.
 */
#include "core/arena.h"
#include "core/common.h"
#include <setjmp.h>
#include <cmocka.h>

static void test_alloc_alignment_and_content(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    assert_int_equal(a->cap, ARENA_DEFAULT_CAP);
    unsigned char *ptrs[500];
    for (size_t i = 0; i < ARRAY_LEN(ptrs); i++) {
        size_t n = 1 + i * 7 % 300;
        ptrs[i] = arena_alloc(a, n);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        memset(ptrs[i], (int)(i & 0xff), n);
    }
    /* nothing overlapped: every block still holds its own pattern */
    for (size_t i = 0; i < ARRAY_LEN(ptrs); i++) {
        size_t n = 1 + i * 7 % 300;
        for (size_t k = 0; k < n; k++)
            assert_int_equal(ptrs[i][k], i & 0xff);
    }
    void *big = arena_alloc(a, 3 * ARENA_FIRST_CHUNK); /* larger than any chunk so far */
    assert_non_null(big);
    memset(big, 1, 3 * ARENA_FIRST_CHUNK);
    assert_non_null(arena_alloc(a, 0));

    int *z = arena_calloc(a, 100, sizeof *z);
    assert_non_null(z);
    for (int i = 0; i < 100; i++)
        assert_int_equal(z[i], 0);
    arena_free(a);
    arena_free(NULL);
}

static void test_cap(void **state)
{
    (void)state;
    struct arena *a = arena_new(1024);
    assert_non_null(arena_alloc(a, 1000)); /* rounded to 1008 */
    assert_null(arena_alloc(a, 100));      /* 1008 + 112 > 1024 */
    assert_non_null(arena_alloc(a, 16));   /* exactly fills the cap */
    assert_int_equal(a->used_total, 1024);
    assert_null(arena_alloc(a, 1));
    assert_null(arena_strdup(a, "x"));
    assert_null(arena_printf(a, "%d", 1));
    arena_free(a);

    a = arena_new(4096);
    assert_null(arena_alloc(a, SIZE_MAX));
    assert_null(arena_alloc(a, SIZE_MAX - 8)); /* rounding up would wrap */
    assert_null(arena_alloc(a, 4097));
    assert_null(arena_calloc(a, SIZE_MAX / 2, 4)); /* n * size overflows */
    assert_null(arena_calloc(a, 1025, 4));
    assert_null(arena_strndup(a, "abc", SIZE_MAX));
    assert_int_equal(a->used_total, 0);
    assert_non_null(arena_alloc(a, 4096));
    arena_free(a);
}

static void test_strings(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    char *s = arena_strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    s = arena_strndup(a, "a\0b", 3); /* copies n bytes even past a NUL */
    assert_memory_equal(s, "a\0b\0", 4);
    s = arena_strndup(a, NULL, 0);
    assert_string_equal(s, "");
    assert_string_equal(arena_strdup(a, "Emmen"), "Emmen");
    assert_null(arena_strdup(a, NULL));
    assert_string_equal(arena_printf(a, "%s-%04d", "gm", 114), "gm-0114");
    char *longer = arena_printf(a, "%0*d", 40000, 7); /* larger than the first chunk */
    assert_non_null(longer);
    assert_int_equal(strlen(longer), 40000);
    assert_int_equal(longer[39999], '7');
    arena_free(a);
}

struct trace {
    char order[16];
    size_t n;
};

static void record(struct trace *t, char c)
{
    if (t->n < sizeof t->order - 1)
        t->order[t->n++] = c;
    t->order[t->n] = '\0';
}
static void defer_a(void *arg)
{
    record(arg, 'a');
}
static void defer_b(void *arg)
{
    record(arg, 'b');
}
static void defer_c(void *arg)
{
    record(arg, 'c');
}

static void test_defer_order(void **state)
{
    (void)state;
    struct trace t = {{0}, 0};
    struct arena *a = arena_new(64);
    arena_defer(a, defer_a, &t);
    arena_defer(a, defer_b, &t);
    assert_null(arena_alloc(a, 1000)); /* past the cap: defers can still be registered */
    arena_defer(a, defer_c, &t);
    assert_string_equal(t.order, "");
    arena_free(a);
    assert_string_equal(t.order, "cba"); /* newest first */
}

static void test_mark_reset(void **state)
{
    (void)state;
    struct trace t = {{0}, 0};
    struct arena *a = arena_new(1u << 20);
    arena_defer(a, defer_a, &t);
    char *keep = arena_strdup(a, "keep me");
    size_t used = a->used_total;

    struct arena_mark m = arena_mark(a);
    arena_defer(a, defer_b, &t);
    for (int i = 0; i < 100; i++) /* forces several new chunks */
        assert_non_null(arena_alloc(a, 4000));
    arena_defer(a, defer_c, &t);
    assert_true(a->used_total > used);

    arena_reset_to(a, m);
    assert_string_equal(t.order, "cb"); /* defers since the mark, newest first */
    assert_int_equal(a->used_total, used);
    assert_string_equal(keep, "keep me");
    assert_ptr_equal(a->head, m.chunk);

    /* reuse after reset, then reset again to the same mark */
    char *again = arena_strdup(a, "again");
    assert_string_equal(again, "again");
    arena_reset_to(a, m);
    assert_int_equal(a->used_total, used);

    /* a mark of an empty arena releases everything */
    struct arena *b = arena_new(0);
    struct arena_mark empty = arena_mark(b);
    assert_non_null(arena_alloc(b, 100));
    arena_defer(b, defer_a, &t);
    arena_reset_to(b, empty);
    assert_null(b->head);
    assert_int_equal(b->used_total, 0);
    assert_string_equal(t.order, "cba");
    arena_free(b);

    /* the cap applies to live memory: a reset makes room again */
    struct arena *c = arena_new(4096);
    struct arena_mark cm = arena_mark(c);
    for (int round = 0; round < 10; round++) {
        assert_non_null(arena_alloc(c, 4096));
        assert_null(arena_alloc(c, 1));
        arena_reset_to(c, cm);
    }
    arena_free(c);

    arena_free(a);
    assert_string_equal(t.order, "cbaa"); /* the defer before the mark runs at free */
}

/* One copy per distinct pointer, in the target arena; the map lives elsewhere. */
static void test_copy_once(void **state)
{
    (void)state;
    struct arena *a = arena_new(0), *map = arena_new(0);
    struct arena_copies m;
    assert_true(arena_copies_init(&m, map, 40));
    char one[] = "GM0344", other[] = "GM0344";
    const char *c1 = arena_copy_once(&m, a, one);
    assert_non_null(c1);
    assert_ptr_not_equal(c1, one);
    assert_string_equal(c1, "GM0344");
    assert_ptr_equal(arena_copy_once(&m, a, one), c1); /* the same pointer: the same copy */
    const char *c2 = arena_copy_once(&m, a, other);    /* the same text elsewhere: its own */
    assert_ptr_not_equal(c2, c1);
    assert_string_equal(c2, "GM0344");
    assert_null(arena_copy_once(&m, a, NULL));
    char keys[30][16];
    for (int i = 0; i < 30; i++) { /* more than the first table's 16 slots */
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        assert_string_equal(arena_copy_once(&m, a, keys[i]), keys[i]);
    }
    for (int i = 0; i < 30; i++)
        assert_ptr_equal(arena_copy_once(&m, a, keys[i]), arena_copy_once(&m, a, keys[i]));
    /* the map grows as it fills: thousands of codes from a small start, each copied once */
    struct arena_copies g;
    assert_true(arena_copies_init(&g, map, 4));
    size_t first_cap = g.cap;
    enum { NG = 3000 };
    static char codes[NG][16];
    const char *copies[NG];
    for (int i = 0; i < NG; i++) {
        snprintf(codes[i], sizeof codes[i], "c%d", i);
        copies[i] = arena_copy_once(&g, a, codes[i]);
        assert_non_null(copies[i]);
        assert_string_equal(copies[i], codes[i]);
    }
    assert_true(g.cap > first_cap && g.cap >= 2 * g.used && g.used == NG);
    for (int i = 0; i < NG; i++) /* after every growth: the same copy */
        assert_ptr_equal(arena_copy_once(&g, a, codes[i]), copies[i]);
    /* a map that cannot grow in its arena: NULL, and what it holds stays */
    struct arena *room = arena_new(4096);
    struct arena_copies h;
    assert_true(arena_copies_init(&h, room, 4));
    const char *kept = arena_copy_once(&h, a, codes[0]);
    const char *last = kept;
    for (int i = 1; i < NG && last; i++)
        last = arena_copy_once(&h, a, codes[i]);
    assert_null(last);
    assert_ptr_equal(arena_copy_once(&h, a, codes[0]), kept);
    arena_free(room);
    /* past the target's cap: NULL, as arena_strdup */
    struct arena *tiny = arena_new(64);
    struct arena_copies t;
    assert_true(arena_copies_init(&t, map, 4));
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_null(arena_copy_once(&t, tiny, big));
    /* a map past its own arena's cap: false */
    struct arena *small_map = arena_new(64);
    assert_false(arena_copies_init(&t, small_map, 1000));
    arena_free(small_map);
    arena_free(tiny);
    arena_free(map);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_alignment_and_content),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_defer_order),
        cmocka_unit_test(test_mark_reset),
        cmocka_unit_test(test_copy_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
