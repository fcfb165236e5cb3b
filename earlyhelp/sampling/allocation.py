"""The arithmetic of a stratified random sample, kept apart from the database so that it can be
checked on its own (and over thousands of draws).

Allocation is proportional with the largest-remainder method: each district gets the whole part
of its fair share of the sample, and the places left over go to the districts with the largest
fractions. The result always adds up to the sample size (or to the population, when that is
smaller), and never asks a district for more EHAs than it has.
"""

import random
from fractions import Fraction


def allocate(population: dict, size: int) -> dict:
    """{stratum: how many to draw} for {stratum: how many there are}.

    Ties between equal fractions go to the larger stratum, then to the stratum that sorts
    first, so the same numbers always give the same allocation.
    """
    total = sum(population.values())
    if size >= total:
        return dict(population)
    if size <= 0 or total == 0:
        return dict.fromkeys(population, 0)
    shares = {stratum: Fraction(count * size, total) for stratum, count in population.items()}
    allocation = {stratum: int(share) for stratum, share in shares.items()}
    left = size - sum(allocation.values())
    by_remainder = sorted(
        population,
        key=lambda stratum: (
            -(shares[stratum] - allocation[stratum]),
            -population[stratum],
            stratum,
        ),
    )
    for stratum in by_remainder[:left]:
        allocation[stratum] += 1
    return allocation


def stratum_random(seed: int, stratum, purpose: str = "draw") -> random.Random:
    """A random generator for one stratum and purpose, from the sample's seed: the same seed
    gives the same cases, and a replacement in one district does not change another's draw."""
    # Reproducible by design, not secret: anyone with the seed may check the draw.
    return random.Random(f"{seed}:{stratum}:{purpose}")  # noqa: S311


def choose(strata: dict, size: int, seed: int) -> dict:
    """{stratum: [chosen ids]} drawn without replacement from {stratum: [ids in a fixed order]}."""
    allocation = allocate({stratum: len(ids) for stratum, ids in strata.items()}, size)
    return {
        stratum: stratum_random(seed, stratum).sample(ids, allocation[stratum])
        for stratum, ids in strata.items()
        if allocation[stratum]
    }


def new_seed() -> int:
    """A seed to store with a sample: large enough that two samples never share one by chance,
    small enough to read out and type into the command line."""
    return random.SystemRandom().randrange(1, 2**40)
