"""Honest numbers: every proportion with its count, its denominator and a 95% Wilson interval.

The Wilson score interval is used rather than "p plus or minus 1.96 standard errors" because
the samples here are small (a month's dip sample is eight audits): the simple interval runs below
0% or above 100% and is far too narrow at 0 of n or n of n, where Wilson's stays inside 0 to
100% and keeps its coverage (Brown, Cai and DasGupta, 2001).

    Proportion(6, 8).text                      ->  "6 of 8: 75%, 41%-93%" (with an en dash)
    Proportion(6, 8).labelled("Good or better")  ->  "6 of 8 Good or better: 75%, ..."
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median as _median

# Ranges are written with an en dash, as GOV.UK style asks ("41%\u201393%").
EN_DASH = "\u2013"

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution

# Below this many in the denominator a percentage is still shown with its interval, but a
# comparison between two periods is not called a change (`too_small_to_compare`).
SMALLEST_SAMPLE_FOR_CHANGE = 5


def wilson_interval(count: int, denominator: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for `count` successes in `denominator` trials, as fractions."""
    if denominator <= 0:
        raise ValueError("A proportion needs a denominator of at least 1.")
    if not 0 <= count <= denominator:
        raise ValueError(f"{count} of {denominator} is not a proportion.")
    p = count / denominator
    z2 = z * z
    scale = 1 + z2 / denominator
    centre = (p + z2 / (2 * denominator)) / scale
    half_width = z * math.sqrt(p * (1 - p) / denominator + z2 / (4 * denominator**2)) / scale
    # At 0 of n the lower end is exactly 0 and at n of n the upper end exactly 1; floating point
    # would leave them a hair away.
    low = 0.0 if count == 0 else max(0.0, centre - half_width)
    high = 1.0 if count == denominator else min(1.0, centre + half_width)
    return low, high


def percent(fraction: float) -> int:
    """A fraction as a whole percentage, halves rounded up (0.125 -> 13), as people expect."""
    return math.floor(fraction * 100 + 0.5)


@dataclass(frozen=True)
class Proportion:
    count: int
    denominator: int

    @property
    def fraction(self) -> float | None:
        return self.count / self.denominator if self.denominator else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.count, self.denominator) if self.denominator else None

    @property
    def percent(self) -> int | None:
        return percent(self.fraction) if self.denominator else None

    @property
    def low(self) -> int | None:
        return percent(self.interval[0]) if self.denominator else None

    @property
    def high(self) -> int | None:
        return percent(self.interval[1]) if self.denominator else None

    @property
    def text(self) -> str:
        return self.labelled("")

    def labelled(self, label: str) -> str:
        if not self.denominator:
            return f"none to count{' ' + label if label else ''}"
        of = f"{self.count} of {self.denominator}{' ' + label if label else ''}"
        return f"{of}: {self.percent}%, {self.low}%{EN_DASH}{self.high}%"

    def __str__(self):
        return self.text


def too_small_to_compare(*proportions: Proportion) -> bool:
    """True when any of the samples is too small for a difference between them to mean much."""
    return any(p.denominator < SMALLEST_SAMPLE_FOR_CHANGE for p in proportions)


def change_sentence(what: str, before: Proportion, after: Proportion) -> str:
    """One plain sentence comparing two periods, saying so when the samples are too small or the
    intervals overlap (so the difference may be chance)."""
    if not before.denominator and not after.denominator:
        return f"{what}: nothing to compare in either period."
    if too_small_to_compare(before, after):
        return (
            f"{what}: the sample is too small to show a change "
            f"({before.count} of {before.denominator} before, {after.count} of "
            f"{after.denominator} now)."
        )
    b_low, b_high = before.interval
    a_low, a_high = after.interval
    overlap = a_low <= b_high and b_low <= a_high
    # Compared as shown: 60.2% against 59.9% reads "60% to 60%", which is no change to a reader.
    direction = (
        "up"
        if after.percent > before.percent
        else "down"
        if after.percent < before.percent
        else "unchanged"
    )
    if direction == "unchanged":
        return f"{what}: unchanged at {after.percent}%."
    sentence = f"{what}: {direction} from {before.percent}% to {after.percent}%"
    if overlap:
        return sentence + " — the intervals overlap, so this may be chance."
    return sentence + " — the intervals do not overlap."


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return _median(values) if values else None


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None
