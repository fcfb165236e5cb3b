"""Proportions and Wilson intervals against values worked by hand and published tables."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.reports.statistics import (
    Proportion,
    change_sentence,
    mean,
    median,
    percent,
    too_small_to_compare,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("count", "denominator", "low", "high"),
    [
        # Worked by hand from the formula; the first is the issue's own example.
        (6, 8, 0.4093, 0.9285),
        # Newcombe (1998), Statistics in Medicine 17, table I: 81 of 263 -> 0.2553 to 0.3662.
        (81, 263, 0.2553, 0.3662),
        # 15 of 148 -> 0.0624 to 0.1605 (Newcombe 1998, table I).
        (15, 148, 0.0624, 0.1605),
        # 0 of 20 -> 0 to 0.1611 (Newcombe 1998, table I).
        (0, 20, 0.0, 0.1611),
        # 1 of 29 -> 0.0061 to 0.1718 (Newcombe 1998, table I).
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_known_values(count, denominator, low, high):
    got_low, got_high = wilson_interval(count, denominator)
    assert got_low == pytest.approx(low, abs=0.0001)
    assert got_high == pytest.approx(high, abs=0.0001)


def test_all_of_a_sample_has_an_upper_end_of_exactly_100_percent():
    low, high = wilson_interval(8, 8)
    assert high == 1.0
    assert low == pytest.approx(0.6756, abs=0.0001)


def test_the_issues_example_reads_as_written():
    assert Proportion(6, 8).labelled("Good or better") == "6 of 8 Good or better: 75%, 41%\u201393%"
    assert Proportion(6, 8).text == "6 of 8: 75%, 41%\u201393%"


def test_a_proportion_of_nothing_says_so_rather_than_dividing_by_zero():
    empty = Proportion(0, 0)
    assert empty.percent is None
    assert empty.interval is None
    assert empty.text == "none to count"


@pytest.mark.parametrize(("count", "denominator"), [(-1, 5), (6, 5), (1, 0)])
def test_impossible_proportions_are_refused(count, denominator):
    with pytest.raises(ValueError, match="proportion"):
        wilson_interval(count, denominator)


@given(
    st.integers(min_value=1, max_value=5000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_the_interval_always_holds_the_observed_proportion_inside_0_to_1(pair):
    count, denominator = pair
    low, high = wilson_interval(count, denominator)
    assert 0.0 <= low <= count / denominator <= high <= 1.0


def test_percentages_round_halves_up():
    assert percent(0.125) == 13
    assert percent(0.124) == 12
    assert percent(1.0) == 100


def test_a_change_between_small_samples_is_not_called_a_change():
    sentence = change_sentence("Good or better", Proportion(1, 4), Proportion(4, 4))
    assert "too small to show a change" in sentence
    assert too_small_to_compare(Proportion(1, 4), Proportion(40, 50))
    assert not too_small_to_compare(Proportion(5, 5), Proportion(40, 50))


def test_overlapping_intervals_are_called_possibly_chance():
    sentence = change_sentence("Good or better", Proportion(6, 10), Proportion(8, 10))
    assert sentence.startswith("Good or better: up from 60% to 80%")
    assert "may be chance" in sentence


def test_intervals_that_do_not_overlap_are_said_to_be_apart():
    sentence = change_sentence("Met", Proportion(20, 100), Proportion(80, 100))
    assert sentence == "Met: up from 20% to 80% — the intervals do not overlap."


def test_median_and_mean_leave_out_missing_values():
    assert median([3, None, 1, 2]) == 2
    assert mean([2, None, 4]) == 3
    assert median([]) is None
    assert mean([None]) is None


def test_proportions_that_round_to_the_same_percent_are_unchanged():
    sentence = change_sentence("Good or better", Proportion(599, 1000), Proportion(602, 1000))
    assert sentence == "Good or better: unchanged at 60%."


def test_two_empty_periods_say_there_is_nothing_to_compare():
    assert change_sentence("Met", Proportion(0, 0), Proportion(0, 0)) == (
        "Met: nothing to compare in either period."
    )
