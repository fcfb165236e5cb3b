"""XmR charts: limits worked by hand, and each Making Data Count signal exactly at its boundary.

Most rule tests give `signals` a fixed mean of 0 and a mean moving range of 150, so that
    process limits = 0 +/- 2.66 x 150 = +/- 399
    two-thirds of the way to a limit = +/- 266
and the boundary values can be written down.
"""

import pytest

from earlyhelp.reports import spc
from earlyhelp.reports.spc import BEYOND_LIMIT, NEAR_LIMIT, SHIFT, TREND, signals, xmr

LIMIT = 399.0
NEAR = 266.0


def found(values, rule, **kwargs):
    """The points of each signal of one rule, with mean 0 and mean moving range 150."""
    return [
        s.points
        for s in signals(values, mean=0.0, mean_moving_range=150.0, **kwargs)
        if s.rule == rule
    ]


def test_fixed_scale_gives_the_limits_the_module_docstring_uses():
    assert spc.process_limits(0.0, 150.0) == (LIMIT, -LIMIT)
    assert pytest.approx(NEAR) == spc.NEAR_FRACTION * spc.LIMIT_FACTOR * 150.0


def test_limits_of_a_small_series_worked_by_hand():
    # 10, 12, 11, 13, 14: mean 60 / 5 = 12.
    # Moving ranges |12-10|, |11-12|, |13-11|, |14-13| = 2, 1, 2, 1: mean 6 / 4 = 1.5.
    # Limits 12 +/- 2.66 x 1.5 = 12 +/- 3.99: 8.01 to 15.99.
    result = xmr([10, 12, 11, 13, 14])

    assert result.mean == pytest.approx(12)
    assert result.mean_moving_range == pytest.approx(1.5)
    assert result.upper_limit == pytest.approx(15.99)
    assert result.lower_limit == pytest.approx(8.01)
    assert result.signals == []


def test_lower_limit_is_floored_at_zero_only_when_asked():
    # 1, 0, 5, 0, 1: mean 7 / 5 = 1.4; moving ranges 1, 5, 5, 1: mean 3.
    # Limits 1.4 +/- 7.98: -6.58 to 9.38.
    assert xmr([1, 0, 5, 0, 1]).lower_limit == pytest.approx(-6.58)

    floored = xmr([1, 0, 5, 0, 1], floor_at_zero=True)

    assert floored.lower_limit == 0
    assert floored.upper_limit == pytest.approx(9.38)


def test_a_point_above_the_upper_limit_signals():
    assert found([0, 400, 0], BEYOND_LIMIT) == [(1,)]


def test_a_point_below_the_lower_limit_signals():
    assert found([0, -400, 0], BEYOND_LIMIT) == [(1,)]


def test_a_point_exactly_on_a_limit_is_not_beyond_it():
    assert found([0, LIMIT, -LIMIT, 0], BEYOND_LIMIT) == []


def test_with_the_floor_a_point_below_the_floored_limit_cannot_exist_so_zero_is_no_signal():
    # Mean 100, limits 100 +/- 399: the lower one floored to 0.
    result = signals([100, 0, 100], mean=100.0, mean_moving_range=150.0, floor_at_zero=True)

    assert [s for s in result if s.rule == BEYOND_LIMIT] == []


def test_six_in_a_row_above_the_mean_is_no_shift():
    assert found([1, 1, 1, 1, 1, 1, -1], SHIFT) == []


def test_seven_in_a_row_above_the_mean_is_a_shift_covering_all_seven():
    assert found([-1, 1, 1, 1, 1, 1, 1, 1, -1], SHIFT) == [(1, 2, 3, 4, 5, 6, 7)]


def test_seven_in_a_row_below_the_mean_is_a_shift():
    assert found([-1] * 7, SHIFT) == [(0, 1, 2, 3, 4, 5, 6)]


def test_a_point_exactly_on_the_mean_breaks_the_run():
    assert found([1, 1, 1, 0, 1, 1, 1, 1], SHIFT) == []


def test_a_longer_run_is_one_shift():
    assert len(found([1] * 12, SHIFT)) == 1


def test_five_rising_is_no_trend():
    assert found([10, 0, 1, 2, 3, 4, 0], TREND) == []


def test_six_rising_is_a_trend_covering_all_six():
    assert found([10, 0, 1, 2, 3, 4, 5, 0], TREND) == [(1, 2, 3, 4, 5, 6)]


def test_six_falling_is_a_trend():
    assert found([5, 4, 3, 2, 1, 0], TREND) == [(0, 1, 2, 3, 4, 5)]


def test_five_falling_is_no_trend():
    assert found([4, 3, 2, 1, 0], TREND) == []


def test_two_equal_neighbours_break_a_trend():
    assert found([0, 1, 2, 2, 3, 4, 5], TREND) == []


def test_a_fall_then_a_rise_share_their_turning_point():
    # 6 falling to the 0 at position 5, then 6 rising from it.
    assert found([5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5], TREND) == [
        (0, 1, 2, 3, 4, 5),
        (5, 6, 7, 8, 9, 10),
    ]


def test_two_of_three_near_the_upper_limit_signal():
    assert found([0, 267, 0, 267, 0], NEAR_LIMIT) == [(1, 3)]


def test_two_consecutive_near_the_lower_limit_signal():
    assert found([0, -267, -267, 0], NEAR_LIMIT) == [(1, 2)]


def test_one_of_three_near_a_limit_is_no_signal():
    assert found([0, 267, 0, 0, 267, 0], NEAR_LIMIT) == []


def test_two_near_but_on_opposite_sides_is_no_signal():
    assert found([0, 267, -267, 0], NEAR_LIMIT) == []


def test_exactly_two_thirds_of_the_way_is_not_near():
    exactly = spc.NEAR_FRACTION * spc.LIMIT_FACTOR * 150.0

    assert found([0, exactly, exactly, 0], NEAR_LIMIT) == []


def test_a_point_beyond_the_limit_counts_as_near_it():
    assert found([0, 500, 267, 0], NEAR_LIMIT) == [(1, 2)]


def test_overlapping_windows_of_near_points_make_one_signal():
    assert found([267, 267, 0, 267, 0, 0, 0, 267, 267], NEAR_LIMIT) == [(0, 1, 3), (7, 8)]


def test_a_missing_month_is_stepped_over_by_a_run():
    assert found([1, 1, 1, None, 1, 1, 1, 1], SHIFT) == [(0, 1, 2, 4, 5, 6, 7)]


def test_a_missing_month_is_left_out_of_the_limits():
    # 10, 12, 11, 13, 14 as in the worked example, with a gap.
    result = xmr([10, None, 12, 11, 13, 14])

    assert result.mean == pytest.approx(12)
    assert result.mean_moving_range == pytest.approx(1.5)
    assert result.points == 5


def test_explanations_name_the_months_and_the_limit():
    labels = ["January", "February", "March"]
    (signal,) = [
        s
        for s in signals([0, 400, 0], mean=0.0, mean_moving_range=150.0, labels=labels)
        if s.rule == BEYOND_LIMIT
    ]

    assert signal.explanation.startswith("February (400) is above the upper process limit (399)")


def test_a_shift_is_explained_with_its_first_and_last_month():
    labels = [f"Month {i}" for i in range(1, 8)]
    (signal,) = signals([1] * 7, mean=0.0, mean_moving_range=150.0, labels=labels)

    assert "the 7 months from Month 1 to Month 7 are all above the mean (0)" in signal.explanation


def test_fewer_than_fifteen_points_make_provisional_limits_and_the_summary_says_so():
    fourteen = xmr([5, 6] * 7)
    fifteen = xmr([5, 6] * 7 + [5])

    assert fourteen.provisional
    assert "provisional" in fourteen.summary()
    assert "14 months" in fourteen.summary()
    assert not fifteen.provisional
    assert "provisional" not in fifteen.summary()


def test_summary_of_a_stable_series_says_there_is_no_signal():
    assert (
        xmr([5, 6] * 10)
        .summary()
        .startswith("The mean is 5.5 and the process limits are 2.8 to 8.2. No signal")
    )


def test_one_point_has_a_mean_but_no_limits():
    result = xmr([4])

    assert result.mean == 4
    assert result.upper_limit is None
    assert "at least two" in result.summary()


def test_no_points_have_no_mean():
    result = xmr([None, None])

    assert result.mean is None
    assert result.signals == []


def test_each_value_needs_a_label():
    with pytest.raises(ValueError, match="label"):
        xmr([1, 2], labels=["only one"])


def test_table_and_chart_carry_the_same_numbers_and_signals():
    # Mean (96 + 30 - 18) / 18 = 6, so only the last two months signal, each beyond a limit.
    values = [4, 8] * 8 + [30, -18]
    labels = [f"M{i}" for i in range(1, 19)]
    result = xmr(values, labels=labels)

    table, chart = spc.xmr_table_and_chart(
        result, key="started-spc", title="EHAs started", measure="Started"
    )

    assert table.key == chart.table_key == "started-spc"
    assert table.columns == [
        "Month",
        "Started",
        "Mean",
        "Upper process limit",
        "Lower process limit",
        "Signal",
    ]
    assert len(table.rows) == 18
    assert table.rows[0][:2] == ["M1", 4]
    assert table.rows[0][2] == round(result.mean, 2)
    assert table.rows[0][5] == ""
    assert table.rows[16][5] == "Beyond a process limit"
    assert table.rows[17][5] == "Beyond a process limit"
    assert chart.kind == "spc"
    assert chart.series[0].values == [float(v) for v in values]
    assert chart.mean == result.mean
    assert chart.upper_limit == result.upper_limit
    assert [s["points"] for s in chart.signals] == [[16], [17]]
    assert chart.signals[0]["rule"] == BEYOND_LIMIT
    assert chart.description.startswith(result.summary())
    assert result.signals[0].explanation in chart.description
    assert result.signals[1].explanation in chart.description
    assert "M1" in chart.title
    assert "M18" in chart.title


def test_a_flat_series_has_its_limits_on_the_mean_and_no_signal():
    result = xmr([4] * 20)

    assert result.mean == result.upper_limit == result.lower_limit == 4
    assert result.signals == []


def test_a_trend_is_explained_as_months_in_a_row_each_after_the_first_higher_than_the_last():
    # The tester's series: May (525) is lower than April (534), then 5 rises to October.
    labels = ["Apr 2025", "May 2025", "Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025", "Oct 2025"]
    result = xmr([534, 525, 530, 540, 550, 560, 570], labels=labels)

    (trend,) = [s for s in result.signals if s.rule == TREND]

    assert trend.points == (1, 2, 3, 4, 5, 6)
    assert "the 6 months from May 2025 to Oct 2025" in trend.explanation
    assert "each after May 2025 higher than the one before it (5 rises in a row)" in (
        trend.explanation
    )
    assert "rising in each of the" not in trend.explanation


def test_a_falling_trend_is_explained_with_falls():
    (trend,) = [s for s in xmr([5, 4, 3, 2, 1, 0]).signals if s.rule == TREND]

    assert "each after 1 lower than the one before it (5 falls in a row)" in trend.explanation


def test_the_trend_rule_is_named_as_months_in_a_row():
    assert spc.RULE_NAMES[TREND] == "6 or more months in a row rising or falling"
