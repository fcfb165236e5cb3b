"""Statistical process control: XmR charts as the NHS "Making Data Count" guidance uses them.

An XmR chart (individuals and moving range) asks of a monthly series: is this month's figure
the ordinary month-to-month variation of the process (common cause), or a signal that something
changed (special cause)? It is worked out from the series itself:

- the mean of the points;
- the mean moving range: the mean of the absolute differences between each point and the one
  before it;
- the process limits: mean plus and minus 2.66 times the mean moving range (2.66 is 3 / 1.128,
  so the limits sit three estimated standard deviations from the mean). Where the measure cannot
  be negative (a count, a number of days) the lower limit may be floored at 0.

The four signals of Making Data Count, with the exact choices made here:

1. A point beyond a process limit: strictly above the upper or below the lower limit. A point
   exactly on a limit is not beyond it, so is not a signal.
2. A shift: 7 or more consecutive points on the same side of the mean. A point exactly on the
   mean is on neither side: it breaks the run, as Making Data Count says.
3. A trend: 6 or more consecutive points all rising or all falling: every point after the first
   of them strictly higher (or lower) than the one before, so 6 points make 5 rises (or falls)
   in a row. The first point of the trend need not be higher than the point before it: it is
   where the rise starts. Two equal neighbours break the trend: the tie neither rises nor falls,
   and counting it would call a flat stretch a trend.
4. Near a limit: 2 of 3 consecutive points beyond two-thirds of the way from the mean to a
   process limit (beyond "2 sigma"), on the same side. A point beyond the limit itself counts
   too. The two-thirds line is measured from the limit before any flooring at 0, so flooring
   does not move it.

A month with no figure (None: say no EHA closed, so no median duration) is left out: limits are
worked from the months that have one, and runs and trends step over the gap.

Making Data Count advises 15 to 20 points for limits to be trusted; with fewer than 15 the
limits are shown but called provisional (`FIRM_LIMITS_FROM`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from earlyhelp.reports.document import Chart, Series, Table
from earlyhelp.reports.statistics import EN_DASH

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
NEAR_FRACTION = 2 / 3  # "near a limit": beyond 2 of the 3 sigmas between the mean and a limit
RUN_LENGTH = 7
TREND_LENGTH = 6
FIRM_LIMITS_FROM = 15  # points; fewer and the limits are provisional

BEYOND_LIMIT = "beyond_limit"
SHIFT = "shift"
TREND = "trend"
NEAR_LIMIT = "near_limit"
RULE_NAMES = {
    BEYOND_LIMIT: "Beyond a process limit",
    SHIFT: f"Run of {RUN_LENGTH} or more on one side of the mean",
    TREND: f"{TREND_LENGTH} or more months in a row rising or falling",
    NEAR_LIMIT: "2 of 3 near a process limit",
}


@dataclass(frozen=True)
class Signal:
    rule: str  # BEYOND_LIMIT, SHIFT, TREND or NEAR_LIMIT
    points: tuple[int, ...]  # positions in the series
    explanation: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "points": list(self.points), "explanation": self.explanation}


@dataclass(frozen=True)
class XmR:
    labels: list[str]
    values: list[float | None]
    mean: float | None
    mean_moving_range: float | None
    upper_limit: float | None
    lower_limit: float | None
    signals: list[Signal] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(1 for v in self.values if v is not None)

    @property
    def provisional(self) -> bool:
        return self.points < FIRM_LIMITS_FROM

    def signals_at(self, position: int) -> list[Signal]:
        return [s for s in self.signals if position in s.points]

    def summary(self) -> str:
        """What the chart says, in words: its mean and limits, and whether anything signals."""
        if self.mean is None:
            return "There are no figures to chart."
        if self.upper_limit is None:
            return (
                f"There is only one figure ({number(self.mean)}): process limits need at least two."
            )
        sentences = [
            f"The mean is {number(self.mean)} and the process limits are "
            f"{number(self.lower_limit)} to {number(self.upper_limit)}."
        ]
        if self.signals:
            count = len(self.signals)
            sentences.append(
                f"There {'is 1 signal' if count == 1 else f'are {count} signals'} of special "
                "cause variation: something changed beyond the usual month-to-month variation."
            )
        else:
            sentences.append(
                "No signal: every month is within the ordinary month-to-month variation of the "
                "process (common cause variation)."
            )
        if self.provisional:
            sentences.append(
                f"The limits are provisional: they rest on {self.points} months, and Making Data "
                f"Count advises at least {FIRM_LIMITS_FROM}."
            )
        return " ".join(sentences)


def number(value: float | None) -> str:
    """A figure for a sentence: at most one decimal place, no trailing ".0"."""
    if value is None:
        return "none"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def xmr(
    values: list[float | None],
    *,
    labels: list[str] | None = None,
    floor_at_zero: bool = False,
) -> XmR:
    """The XmR chart of a series: mean, mean moving range, process limits and signals."""
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(values))]
    if len(labels) != len(values):
        raise ValueError("Each value needs one label.")
    present = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if not present:
        return XmR(labels, list(values), None, None, None, None)
    points = [v for _, v in present]
    mean = sum(points) / len(points)
    if len(points) < 2:
        return XmR(labels, list(values), mean, None, None, None)
    moving_ranges = [abs(b - a) for a, b in itertools.pairwise(points)]
    mean_moving_range = sum(moving_ranges) / len(moving_ranges)
    upper, lower = process_limits(mean, mean_moving_range, floor_at_zero=floor_at_zero)
    found = signals(
        values,
        labels=labels,
        mean=mean,
        mean_moving_range=mean_moving_range,
        floor_at_zero=floor_at_zero,
    )
    return XmR(labels, list(values), mean, mean_moving_range, upper, lower, found)


def process_limits(
    mean: float, mean_moving_range: float, *, floor_at_zero: bool = False
) -> tuple[float, float]:
    """The upper and lower process limits: mean plus and minus 2.66 mean moving ranges."""
    spread = LIMIT_FACTOR * mean_moving_range
    lower = mean - spread
    return mean + spread, max(lower, 0.0) if floor_at_zero else lower


def signals(
    values: list[float | None],
    *,
    mean: float,
    mean_moving_range: float,
    labels: list[str] | None = None,
    floor_at_zero: bool = False,
) -> list[Signal]:
    """The four Making Data Count signals in a series, given its mean and mean moving range.

    Signals come in rule order (beyond a limit, shift, trend, near a limit), each rule's in the
    order of the series.
    """
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(values))]
    present = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    upper, lower = process_limits(mean, mean_moving_range, floor_at_zero=floor_at_zero)
    # The 2-sigma lines come from the unfloored limits: flooring does not move them.
    near = NEAR_FRACTION * LIMIT_FACTOR * mean_moving_range
    return (
        _beyond_limits(present, labels, upper, lower)
        + _shifts(present, labels, mean)
        + _trends(present, labels)
        + _near_limits(present, labels, mean + near, mean - near)
    )


def _span(labels: list[str], positions: list[int]) -> str:
    return f"{labels[positions[0]]} to {labels[positions[-1]]}"


def _beyond_limits(present, labels, upper, lower) -> list[Signal]:
    signals = []
    for position, value in present:
        if value > upper:
            side, limit = "above the upper", upper
        elif value < lower:
            side, limit = "below the lower", lower
        else:
            continue
        signals.append(
            Signal(
                BEYOND_LIMIT,
                (position,),
                f"{labels[position]} ({number(value)}) is {side} process limit "
                f"({number(limit)}): a month this far out is unlikely to be ordinary variation; "
                "find out what was different.",
            )
        )
    return signals


def _runs(present, side_of) -> list[list[int]]:
    """Maximal stretches of consecutive points sharing a non-None `side_of` key."""
    runs, current, current_key = [], [], None
    for index, (position, value) in enumerate(present):
        key = side_of(index, value)
        if key is not None and key == current_key:
            current.append(position)
        else:
            if current:
                runs.append((current_key, current))
            current, current_key = ([position], key) if key is not None else ([], None)
    if current:
        runs.append((current_key, current))
    return runs


def _shifts(present, labels, mean) -> list[Signal]:
    def side(_index, value):
        if value > mean:
            return "above"
        if value < mean:
            return "below"
        return None  # on the mean: breaks the run

    return [
        Signal(
            SHIFT,
            tuple(run),
            f"A shift: the {len(run)} months from {_span(labels, run)} are all {key} the mean "
            f"({number(mean)}). A run of {RUN_LENGTH} or more on one side suggests the process "
            "has changed.",
        )
        for key, run in _runs(present, side)
        if len(run) >= RUN_LENGTH
    ]


def _trends(present, labels) -> list[Signal]:
    # Each step between neighbours is "rising", "falling" or a tie (which breaks the trend).
    # A trend of n points is n - 1 steps the same way.
    signals = []
    direction, start = None, 0
    for index in range(1, len(present) + 1):
        step = None
        if index < len(present):
            before, after = present[index - 1][1], present[index][1]
            step = "rising" if after > before else "falling" if after < before else None
        if step is not None and step == direction:
            continue
        if direction is not None and index - start >= TREND_LENGTH:
            run = [present[i][0] for i in range(start, index)]
            signals.append(Signal(TREND, tuple(run), _trend_explanation(direction, run, labels)))
        direction, start = step, index - 1
    return signals


def _trend_explanation(direction: str, run: list[int], labels: list[str]) -> str:
    # Said as points and steps both, so that "6 months" is not read as 6 rises: a trend of 6
    # months starts at its first month, which need not be higher than the month before it.
    rose, higher, rises = (
        ("rose", "higher", "rises") if direction == "rising" else ("fell", "lower", "falls")
    )
    first = labels[run[0]]
    return (
        f"A trend: the figure {rose} month after month for the {len(run)} months from "
        f"{_span(labels, run)}: {len(run)} months in a row, each after {first} {higher} than the "
        f"one before it ({len(run) - 1} {rises} in a row). {TREND_LENGTH} or more months in a "
        "row rising, or falling, one after another is unlikely by chance."
    )


def _near_limits(present, labels, near_upper, near_lower) -> list[Signal]:
    signals = []
    sides = (
        ("upper", lambda v: v > near_upper),
        ("lower", lambda v: v < near_lower),
    )
    for side, is_near in sides:
        flagged = set()
        for start in range(len(present) - 2):
            window = present[start : start + 3]
            near = [position for position, value in window if is_near(value)]
            if len(near) >= 2:
                flagged.update(near)
        # Points flagged by overlapping windows make one signal.
        groups, current = [], []
        for position_index, (position, _value) in enumerate(present):
            if position in flagged:
                if current and position_index - current[-1][0] > 2:
                    groups.append(current)
                    current = []
                current.append((position_index, position))
        if current:
            groups.append(current)
        for group in groups:
            run = [position for _, position in group]
            signals.append(
                Signal(
                    NEAR_LIMIT,
                    tuple(run),
                    f"Close to the {side} process limit: {len(run)} of the months from "
                    f"{_span(labels, run)} ({', '.join(labels[p] for p in run)}) are more than "
                    f"two-thirds of the way from the mean to the {side} limit. 2 of 3 months "
                    "this close is unlikely by chance.",
                )
            )
    return signals


def xmr_table_and_chart(
    result: XmR,
    *,
    key: str,
    title: str,
    measure: str,
    y_label: str = "",
    percent: bool = False,
    label_heading: str = "Month",
) -> tuple[Table, Chart]:
    """The XmR chart as a document Chart with the Table of the same numbers beside it.

    The table has one row a month: the figure, the mean, the process limits and the signals
    the month is part of. The chart's description (its text alternative, and its caption in
    every output) is `describe(result)`: the summary and each signal explained in words.
    """
    rows = []
    for position, label in enumerate(result.labels):
        rules = sorted({RULE_NAMES[s.rule] for s in result.signals_at(position)})
        rows.append(
            [
                label,
                _rounded(result.values[position]),
                _rounded(result.mean),
                _rounded(result.upper_limit),
                _rounded(result.lower_limit),
                "; ".join(rules),
            ]
        )
    table = Table(
        key=key,
        caption=title,
        columns=[
            label_heading,
            measure,
            "Mean",
            "Upper process limit",
            "Lower process limit",
            "Signal",
        ],
        rows=rows,
        notes=[_limits_note(result)],
    )
    first_last = f"{result.labels[0]} {EN_DASH} {result.labels[-1]}" if result.labels else ""
    chart = Chart(
        kind="spc",
        title=f"{title}, {first_last}" if first_last else title,
        description=describe(result),
        table_key=key,
        labels=list(result.labels),
        series=[Series(measure, [None if v is None else float(v) for v in result.values])],
        mean=result.mean,
        upper_limit=result.upper_limit,
        lower_limit=result.lower_limit,
        signals=[s.as_dict() for s in result.signals],
        y_label=y_label,
        percent=percent,
    )
    return table, chart


def describe(result: XmR) -> str:
    """The chart in words: its summary, then each signal's explanation."""
    return " ".join([result.summary(), *(signal.explanation for signal in result.signals)])


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _limits_note(result: XmR) -> str:
    note = (
        f"Process limits: the mean plus and minus {LIMIT_FACTOR} times the mean moving range "
        f"({number(result.mean_moving_range)}), the mean difference between one month and the "
        "next."
    )
    if result.provisional:
        note += (
            f" With {result.points} months the limits are provisional (Making Data Count advises "
            f"at least {FIRM_LIMITS_FROM})."
        )
    return note
