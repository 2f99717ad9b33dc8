/*
 * test_action_movement.c: how an action's indicators moved since the baseline
 * (report/action_movement.c): polarity, the interval of the current figure, neutral
 * indicators, and absent or hidden values that must never look like a movement.
 */
#include "report/action_movement.h"
#include "core/common.h"
#include <math.h>
#include <setjmp.h>
#include <cmocka.h>

static void test_polarity(void **state)
{
    (void)state;
    /* No interval (not a proportion): any difference counts. */
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, 60, 65, NAN, NAN), MOVE_BETTER);
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, 60, 55, NAN, NAN), MOVE_WORSE);
    assert_int_equal(action_move_classify(IND_LOWER_BETTER, 12.5, 10.0, NAN, NAN), MOVE_BETTER);
    assert_int_equal(action_move_classify(IND_LOWER_BETTER, 12.5, 14.0, NAN, NAN), MOVE_WORSE);
    assert_int_equal(action_move_classify(IND_NEUTRAL, 38, 41, NAN, NAN), MOVE_HIGHER);
    assert_int_equal(action_move_classify(IND_NEUTRAL, 38, 30, NAN, NAN), MOVE_LOWER);
    assert_int_equal(action_move_classify(IND_LOWER_BETTER, 7.0, 7.0, NAN, NAN), MOVE_SAME);
}

static void test_interval(void **state)
{
    (void)state;
    /* Uitval 12,5% then, 10,0% now with a 95% interval 7,1-13,8: the old value lies inside,
     * so it is not a real movement. */
    assert_int_equal(action_move_classify(IND_LOWER_BETTER, 12.5, 10.0, 7.1, 13.8), MOVE_SAME);
    /* The same with a narrow interval (a large group): better. */
    assert_int_equal(action_move_classify(IND_LOWER_BETTER, 12.5, 10.0, 9.4, 10.6), MOVE_BETTER);
    /* Bounds are inside. */
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, 9.4, 10.0, 9.4, 10.6), MOVE_SAME);
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, 10.6, 10.0, 9.4, 10.6), MOVE_SAME);
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, 10.7, 10.0, 9.4, 10.6), MOVE_WORSE);
}

static void test_unknown(void **state)
{
    (void)state;
    /* A hidden or absent value is unknown, never 0 and never "the same". */
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, NAN, 10, NAN, NAN), MOVE_UNKNOWN);
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, 10, NAN, 5, 15), MOVE_UNKNOWN);
    assert_int_equal(action_move_classify(IND_HIGHER_BETTER, INFINITY, 10, NAN, NAN), MOVE_UNKNOWN);
    for (int m = MOVE_UNKNOWN; m <= MOVE_LOWER; m++) {
        assert_true(action_move_code((enum action_move)m)[0] != '\0');
        assert_true(action_move_label((enum action_move)m)[0] != '\0');
    }
    assert_string_equal(action_move_code((enum action_move)42), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_polarity),
        cmocka_unit_test(test_interval),
        cmocka_unit_test(test_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
