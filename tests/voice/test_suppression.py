"""Small-number suppression (earlyhelp/voice/suppression.py): a group under 5 is never shown on
its own, and never left so that it could be worked out from a total."""

import pytest

from earlyhelp.voice.suppression import MERGED_LABEL, SMALLEST_GROUP, merged_groups, suppress


def test_the_smallest_group_shown_is_5():
    assert SMALLEST_GROUP == 5


def test_groups_of_5_and_more_are_shown_as_they_are():
    assert suppress({"Schools": 5, "Health": 12}) == ({"Schools": 5, "Health": 12}, None)


def test_a_group_of_4_is_suppressed():
    shown, merged = suppress({"Schools": 4})
    assert shown == {}
    assert merged is None


def test_a_group_of_4_beside_larger_ones_is_never_shown_on_its_own():
    shown, merged = suppress({"Schools": 20, "Health": 9, "Police": 4})
    assert "Police" not in shown
    assert merged is None


def test_small_groups_that_reach_5_together_are_merged():
    shown, merged = suppress({"Schools": 12, "Health": 3, "Police": 2})
    assert shown == {"Schools": 12, MERGED_LABEL: 5}
    assert merged == MERGED_LABEL
    assert merged_groups({"Schools": 12, "Health": 3, "Police": 2}) == ["Health", "Police"]


def test_small_groups_that_do_not_reach_5_together_are_suppressed():
    groups = {"Schools": 12, "Health": 8, "Police": 2, "Housing": 2}
    shown, merged = suppress(groups)
    assert shown == {"Schools": 12, "Health": 8}
    assert merged is None
    assert merged_groups(groups) == []


def test_one_group_suppressed_alone_takes_the_next_smallest_with_it():
    # Without the second suppression, Police = total - Schools - Health = 3.
    shown, merged = suppress({"Schools": 20, "Health": 6, "Police": 3})
    assert shown == {"Schools": 20}
    assert merged is None


def test_the_next_smallest_is_chosen_by_name_when_two_are_the_same_size():
    shown, _ = suppress({"Schools": 7, "Health": 7, "Police": 1})
    assert shown == {"Schools": 7}


def test_a_lone_small_group_with_nothing_else_shown_is_simply_suppressed():
    assert suppress({"Police": 3}) == ({}, None)


def test_two_suppressed_groups_need_nothing_more():
    shown, _ = suppress({"Schools": 9, "Health": 6, "Police": 1, "Housing": 1})
    assert shown == {"Schools": 9, "Health": 6}


def test_groups_with_no_responses_are_left_out():
    assert suppress({"Schools": 9, "Health": 6, "Police": 0}) == (
        {"Schools": 9, "Health": 6},
        None,
    )


def test_the_order_of_the_groups_is_kept_with_the_merged_group_last():
    shown, _ = suppress({"B": 9, "x": 4, "A": 6, "y": 1})
    assert list(shown) == ["B", "A", MERGED_LABEL]


@pytest.mark.parametrize(
    "groups",
    [
        {"a": 4},
        {"a": 4, "b": 5},
        {"a": 1, "b": 1, "c": 30},
        {"a": 2, "b": 2, "c": 1, "d": 9},
        {"a": 3, "b": 3, "c": 5, "d": 5},
        {"a": 4, "b": 7, "c": 7, "d": 8},
        {"a": 1, "b": 0, "c": 6},
    ],
)
def test_no_group_under_5_can_be_seen_or_worked_out(groups):
    shown, _ = suppress(groups)
    for label, count in shown.items():
        assert count >= SMALLEST_GROUP, label
    hidden = {
        label: count
        for label, count in groups.items()
        if count > 0 and label not in shown and label not in merged_groups(groups)
    }
    # Nothing is hidden, or nothing is shown, or at least two groups are hidden together, so
    # that no one of them can be worked out from the total.
    assert not hidden or not shown or len(hidden) >= 2
