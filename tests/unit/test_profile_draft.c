/*
 * test_profile_draft.c: the profile wizard's in-memory drafts (web/profile_draft.c): bound to
 * session and user, copied out intact, dropped on request, capped per session and in size.
 */
#include "web/profile_draft.h"
#include "core/common.h"
#include <setjmp.h>
#include <cmocka.h>

static struct table_preview preview(struct arena *a, int nrows, int ncols, const char *fill)
{
    struct table_preview pv = {.encoding = "Windows-1252",
                               .delimiter = ';',
                               .header_row = 2,
                               .nrows = nrows,
                               .ncols = ncols};
    pv.rows = arena_calloc(a, (size_t)nrows, sizeof *pv.rows);
    for (int r = 0; r < nrows; r++) {
        const char **row = arena_calloc(a, (size_t)ncols, sizeof *row);
        for (int c = 0; c < ncols; c++)
            row[c] = fill ? fill : arena_printf(a, "r%dc%d", r, c);
        pv.rows[r] = row;
    }
    return pv;
}

static void test_put_get_drop(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct table_preview pv = preview(a, 5, 3, NULL);
    char id[DRAFT_ID_LEN + 1];
    struct profile_draft d;
    profile_draft_clear();
    assert_int_equal(profile_draft_put("sessie-a", 7, 42, LAW_WMO, "Export", "x.csv", &pv, id), 0);
    assert_int_equal(strlen(id), DRAFT_ID_LEN);
    assert_int_equal(profile_draft_count(), 1);

    assert_int_equal(profile_draft_get("sessie-a", 7, id, a, &d), 0);
    assert_string_equal(d.id, id);
    assert_int_equal(d.org_id, 42);
    assert_int_equal(d.law, LAW_WMO);
    assert_string_equal(d.name, "Export");
    assert_string_equal(d.file_name, "x.csv");
    assert_string_equal(d.pv.encoding, "Windows-1252");
    assert_int_equal(d.pv.delimiter, ';');
    assert_int_equal(d.pv.header_row, 2);
    assert_int_equal(d.pv.nrows, 5);
    assert_int_equal(d.pv.ncols, 3);
    assert_string_equal(d.pv.rows[4][2], "r4c2");

    /* Another session, another user, a wrong or malformed id: not found. */
    assert_int_equal(profile_draft_get("sessie-b", 7, id, a, &d), ERR_NOT_FOUND);
    assert_int_equal(profile_draft_get("sessie-a", 8, id, a, &d), ERR_NOT_FOUND);
    assert_int_equal(profile_draft_get(NULL, 7, id, a, &d), ERR_NOT_FOUND);
    assert_int_equal(profile_draft_get("sessie-a", 7, "00", a, &d), ERR_NOT_FOUND);
    char other[DRAFT_ID_LEN + 1];
    memcpy(other, id, sizeof other);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    assert_int_equal(profile_draft_get("sessie-a", 7, other, a, &d), ERR_NOT_FOUND);

    /* Dropping needs the right session. */
    profile_draft_drop("sessie-b", id);
    assert_int_equal(profile_draft_count(), 1);
    profile_draft_drop("sessie-a", id);
    assert_int_equal(profile_draft_count(), 0);
    assert_int_equal(profile_draft_get("sessie-a", 7, id, a, &d), ERR_NOT_FOUND);

    /* Without a session there is no draft. */
    assert_int_equal(profile_draft_put("", 7, 42, LAW_JW, "x", "y", &pv, id), ERR_INVALID);
    assert_int_equal(profile_draft_put(NULL, 7, 42, LAW_JW, "x", "y", &pv, id), ERR_INVALID);
    arena_free(a);
}

static void test_caps(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct table_preview pv = preview(a, 2, 2, NULL);
    char ids[DRAFT_MAX_SESSION + 1][DRAFT_ID_LEN + 1];
    struct profile_draft d;
    profile_draft_clear();
    for (int i = 0; i <= DRAFT_MAX_SESSION; i++)
        assert_int_equal(profile_draft_put("s", 1, 1, LAW_JW, "n", "f", &pv, ids[i]), 0);
    /* One session holds at most DRAFT_MAX_SESSION drafts: the oldest went. */
    assert_int_equal(profile_draft_count(), DRAFT_MAX_SESSION);
    assert_int_equal(profile_draft_get("s", 1, ids[0], a, &d), ERR_NOT_FOUND);
    assert_int_equal(profile_draft_get("s", 1, ids[DRAFT_MAX_SESSION], a, &d), 0);
    /* The whole store is capped too; other sessions push out the oldest drafts. */
    for (int i = 0; i < DRAFT_MAX + 3; i++) {
        char sid[32], id[DRAFT_ID_LEN + 1];
        snprintf(sid, sizeof sid, "sessie-%d", i);
        assert_int_equal(profile_draft_put(sid, 1, 1, LAW_JW, "n", "f", &pv, id), 0);
    }
    assert_int_equal(profile_draft_count(), DRAFT_MAX);
    /* A preview that is too big is refused. */
    char *big = arena_alloc(a, 4097);
    memset(big, 'x', 4096);
    big[4096] = '\0';
    struct table_preview wide = preview(a, 20, 40, big);
    char id[DRAFT_ID_LEN + 1];
    assert_int_equal(profile_draft_put("s", 1, 1, LAW_JW, "n", "f", &wide, id), ERR_TOO_BIG);
    profile_draft_clear();
    assert_int_equal(profile_draft_count(), 0);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_drop),
        cmocka_unit_test(test_caps),
    };
    return cmocka_run_group_tests_name("profile_draft", tests, NULL, NULL);
}
