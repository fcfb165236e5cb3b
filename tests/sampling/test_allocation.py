"""The arithmetic of the stratified sample: proportional allocation by largest remainder, and a
random draw in which every eligible EHA can be chosen, as often as it should be."""

import math
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.sampling.allocation import allocate, choose


def test_eight_over_six_districts_of_unequal_sizes_adds_up_exactly():
    population = {
        "Allerdale": 301,
        "Barrow": 142,
        "Carlisle": 388,
        "Copeland": 97,
        "Eden": 66,
        "South Lakeland": 220,
    }
    allocation = allocate(population, 8)
    assert sum(allocation.values()) == 8
    # Shares: 1.99, 0.94, 2.56, 0.64, 0.44, 1.46 → whole parts 1, 0, 2, 0, 0, 1 (4), and the
    # four places left go to the largest fractions: .99, .94, .64, .56.
    assert allocation == {
        "Allerdale": 2,
        "Barrow": 1,
        "Carlisle": 3,
        "Copeland": 1,
        "Eden": 0,
        "South Lakeland": 1,
    }


def test_equal_fractions_go_to_the_larger_district_then_by_name():
    assert allocate({"a": 10, "b": 10, "c": 20}, 2) == {"a": 1, "b": 0, "c": 1}
    assert allocate({"a": 1, "b": 3}, 2) == {"a": 0, "b": 2}
    assert allocate({"b": 5, "a": 5}, 1) == {"a": 1, "b": 0}


def test_a_sample_larger_than_the_population_takes_everyone():
    assert allocate({"a": 2, "b": 1}, 8) == {"a": 2, "b": 1}


def test_no_district_is_asked_for_more_than_it_has():
    assert allocate({"a": 1, "b": 1, "c": 100}, 3) == {"a": 0, "b": 0, "c": 3}


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 500), min_size=1, max_size=8),
    st.integers(1, 40),
)
def test_the_allocation_always_adds_up_and_fits(population, size):
    allocation = allocate(population, size)
    assert sum(allocation.values()) == min(size, sum(population.values()))
    assert all(0 <= allocation[d] <= population[d] for d in population)


def test_the_same_seed_chooses_the_same_cases_and_another_seed_others():
    strata = {1: list(range(100)), 2: list(range(100, 150))}
    assert choose(strata, 8, seed=7) == choose(strata, 8, seed=7)
    assert choose(strata, 8, seed=7) != choose(strata, 8, seed=8)


def test_over_2000_draws_every_eha_is_chosen_as_often_as_its_district_share_says():
    """Each EHA's selection count is Binomial(2000, places / district size). Every count must
    lie within 4.5 standard deviations of its mean: with 60 EHAs, a correct draw fails this
    about once in 2,000 runs of the suite; an EHA that could never be chosen fails it always."""
    strata = {"north": list(range(30)), "south": list(range(30, 50)), "west": list(range(50, 60))}
    places = allocate({d: len(ids) for d, ids in strata.items()}, 8)
    assert places == {"north": 4, "south": 3, "west": 1}
    draws = 2000
    counts = Counter()
    for seed in range(draws):
        for picks in choose(strata, 8, seed=seed).values():
            counts.update(picks)
    for district, ids in strata.items():
        p = places[district] / len(ids)
        mean, sd = draws * p, math.sqrt(draws * p * (1 - p))
        for eha in ids:
            assert abs(counts[eha] - mean) <= 4.5 * sd, (district, eha, counts[eha], mean)
    assert set(counts) == set(range(60))


@pytest.mark.parametrize("size", [0, -1])
def test_nothing_is_allocated_for_a_size_below_one(size):
    assert allocate({"a": 5}, size) == {"a": 0}
