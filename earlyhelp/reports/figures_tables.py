"""Small pieces every section of the quarterly report is built from: a proportion as table cells,
groups with small-number suppression, and the judgement grades that count as Good or better."""

from __future__ import annotations

from dataclasses import dataclass

from earlyhelp.standards.models import JudgementGrade
from earlyhelp.voice.suppression import MERGED_LABEL, SMALLEST_GROUP, suppress

from .statistics import Proportion

# The columns that carry one proportion, in the order `proportion_cells` fills them.
PROPORTION_COLUMNS = [
    "Per cent",
    "95% interval low (per cent)",
    "95% interval high (per cent)",
    "Proportion with 95% interval",
]

# The framework's grade that "Good or better" is measured from, by its reference.
GOOD_REF = "good"
GOOD_OR_BETTER = "Good or better"


def good_or_better_sentence(judged: Proportion) -> str:
    """The headline of the judgements, said plainly when no audit was judged."""
    if not judged.denominator:
        return "No audit with a judgement was completed in the period."
    return f"{judged.labelled(GOOD_OR_BETTER)} of the audits with a judgement."


def counted(number: int, noun: str, plural: str = "") -> str:
    """ "1 audit", "2 audits", "0 audits"; `plural` for nouns that do not just take an s."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def was(number: int) -> str:
    return "was" if number == 1 else "were"


# What a hidden count reads, in the report and on the dashboard.
FEWER_THAN_5 = f"fewer than {SMALLEST_GROUP} \u2013 not shown"


def proportion_cells(proportion: Proportion) -> list:
    """Per cent, interval low and high (whole numbers, or empty with no denominator) and the
    text, e.g. "6 of 8: 75%, 41%\u201393%"."""
    return [proportion.percent, proportion.low, proportion.high, proportion.text]


@dataclass(frozen=True)
class Grades:
    """The judgement grades of every framework version: which ids are Good or better, and the
    labels that are (the newest version's spelling first)."""

    good_or_better_ids: frozenset
    good_or_better_labels: frozenset
    newest_labels: tuple  # the grades of the newest framework version, best first


def grades() -> Grades:
    """One query. In each version, the grades ordered at or above its "good" grade count as Good
    or better (Outstanding and Good in the CSCP framework)."""
    rows = list(
        JudgementGrade.objects.values(
            "pk", "version_id", "ref_id", "label", "order", "version__effective_date"
        )
    )
    good_order = {row["version_id"]: row["order"] for row in rows if row["ref_id"] == GOOD_REF}
    chosen = [
        row
        for row in rows
        if row["version_id"] in good_order and row["order"] <= good_order[row["version_id"]]
    ]
    newest = max(
        ((row["version__effective_date"], row["version_id"]) for row in rows), default=None
    )
    newest_labels = tuple(
        row["label"]
        for row in sorted(rows, key=lambda row: row["order"])
        if newest and row["version_id"] == newest[1]
    )
    return Grades(
        frozenset(row["pk"] for row in chosen),
        frozenset(row["label"] for row in chosen),
        newest_labels,
    )


def suppressed_groups(groups: dict[str, tuple[int, int]], *, noun: str) -> tuple[list, list]:
    """Groups of {label: (audits, good or better)} with the small-number rule applied to the
    number of audits: (rows of [label, audits, good or better, denominator, *proportion cells],
    notes). Groups under SMALLEST_GROUP are merged as "Other groups" when together they reach it,
    otherwise not shown (with the next smallest if only one would be hidden)."""
    counts = {label: audits for label, (audits, _) in groups.items()}
    shown, merged_label = suppress(counts)
    rows, notes = [], []
    hidden_good = False
    for label, audits in shown.items():
        if label == merged_label:
            merged = [name for name, count in counts.items() if 0 < count < SMALLEST_GROUP]
            good = sum(groups[name][1] for name in merged)
            notes.append(
                f"{noun.capitalize()} with fewer than {SMALLEST_GROUP} audits each are counted "
                f"together as \u201c{MERGED_LABEL}\u201d ({', '.join(merged)}), so that no "
                "family or practitioner can be recognised."
            )
        else:
            good = groups[label][1]
        if 0 < good < SMALLEST_GROUP:
            # As on the dashboard: a count under 5 about a group is not shown, nor its share.
            hidden_good = True
            rows.append([label, audits, FEWER_THAN_5, audits, None, None, None, FEWER_THAN_5])
            continue
        proportion = Proportion(good, audits)
        rows.append([label, audits, good, audits, *proportion_cells(proportion)])
    if hidden_good:
        notes.append(
            f"Where fewer than {SMALLEST_GROUP} audits in one of these {noun} were Good or "
            "better, that number and its share are not shown, so that no family or practitioner "
            "can be recognised."
        )
    hidden = [label for label, count in counts.items() if count and label not in shown]
    if hidden and merged_label is None:
        notes.append(
            f"{noun.capitalize()} not shown: {len(hidden)} (fewer than {SMALLEST_GROUP} audits "
            "each; where only one would be hidden, the next smallest is hidden too, so that it "
            "cannot be worked out from the total)."
        )
    return rows, notes
