"""The quarterly report's figures from audits: audits planned and completed by type, the
judgement mix, the impact scale, compliance, districts and agency types, and the trend.

Audits counted as completed in a period are those submitted in it (by the day of
`submitted_at`) and now submitted, shared or closed, as in learning/findings.py; an audit is
planned for the period it is due in. Every figure is counted in the database: the number of
queries does not depend on the number of audits.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from earlyhelp.audits.models import Audit
from earlyhelp.learning.findings import (
    NO_JUDGEMENT,
    REPORTED_STATUSES,
    Findings,
    audits_in,
    reported_audits,
    submitted_between,
)
from earlyhelp.voice.results import Period, quarter_containing

from .document import Chart, Section, Series, Table
from .figures_tables import (
    GOOD_OR_BETTER,
    PROPORTION_COLUMNS,
    Grades,
    counted,
    good_or_better_sentence,
    proportion_cells,
    suppressed_groups,
    was,
)
from .statistics import Proportion, change_sentence, median

TREND_QUARTERS = 8
NOT_RECORDED = "Not recorded"


def _submitted_in(period: Period, prefix: str = "") -> Q:
    return submitted_between(period.start, period.end, prefix)


# Audits by type ----------------------------------------------------------------------------------


def audits_section(period: Period) -> Section:
    due = Q(due_date__gte=period.start, due_date__lte=period.end)
    completed = _submitted_in(period) & Q(status__in=REPORTED_STATUSES)
    counts = {
        row["audit_type"]: row
        for row in Audit.objects.filter(due | completed)
        .values("audit_type")
        .annotate(
            planned=Count("pk", filter=due),
            completed=Count("pk", filter=completed),
            completed_of_planned=Count("pk", filter=due & completed),
        )
    }
    rows = []
    for audit_type in Audit.Type:
        row = counts.get(audit_type.value, {"planned": 0, "completed": 0})
        rows.append([audit_type.label, row["planned"], row["completed"]])
    planned = sum(row[1] for row in rows)
    completed_total = sum(row[2] for row in rows)
    on_plan = sum(row.get("completed_of_planned", 0) for row in counts.values())
    rows.append(["All audits", planned, completed_total])
    paragraphs = [
        f"{counted(completed_total, 'audit')} {was(completed_total)} completed (submitted) in "
        f"{period.label}; {planned} {was(planned)} due in the period.",
    ]
    if planned:
        paragraphs.append(
            "Of the audits due in the period, "
            + Proportion(on_plan, planned).labelled("were completed in it")
            + "."
        )
    return Section(
        key="audits",
        title="Audits planned and completed",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="audits-by-type",
                caption=f"Audits planned (due) and completed (submitted) by type, {period.label}",
                columns=["Type of audit", "Planned (due in the period)", "Completed"],
                rows=rows,
            )
        ],
        charts=[
            Chart(
                kind="bar",
                title="Audits planned and completed by type",
                description=(
                    "Bar chart of audits planned and completed by type: "
                    + "; ".join(
                        f"{row[0]} {row[1]} planned, {row[2]} completed" for row in rows[:-1]
                    )
                    + "."
                ),
                table_key="audits-by-type",
                labels=[row[0] for row in rows[:-1]],
                series=[
                    Series("Planned", [row[1] for row in rows[:-1]]),
                    Series("Completed", [row[2] for row in rows[:-1]]),
                ],
                y_label="Audits",
            )
        ],
    )


# Judgements --------------------------------------------------------------------------------------


def good_or_better(found: Findings, grades: Grades) -> Proportion:
    judged = sum(f.count for label, f in found.judgements if label != NO_JUDGEMENT)
    good = sum(f.count for label, f in found.judgements if label in grades.good_or_better_labels)
    return Proportion(good, judged)


def previous_good_or_better(found: Findings, grades: Grades) -> Proportion:
    """Good or better among the audits judged in the period before: one query."""
    row = (
        reported_audits()
        .filter(_submitted_in(found.previous), judgement__isnull=False)
        .aggregate(
            judged=Count("pk"),
            good=Count("pk", filter=Q(judgement_id__in=grades.good_or_better_ids)),
        )
    )
    return Proportion(row["good"], row["judged"])


def judgements_section(found: Findings, grades: Grades) -> Section:
    judged = sum(f.count for label, f in found.judgements if label != NO_JUDGEMENT)
    counts = {label: figure.count for label, figure in found.judgements}
    # The grades of the audits counted, or with none counted, the newest framework's grades.
    labels = [label for label in counts if label != NO_JUDGEMENT] or list(grades.newest_labels)
    rows = []
    for label in labels:
        count = counts.get(label, 0)
        rows.append([label, count, judged, *proportion_cells(Proportion(count, judged))])
    now = good_or_better(found, grades)
    before = previous_good_or_better(found, grades)
    rows.append([GOOD_OR_BETTER, now.count, now.denominator, *proportion_cells(now)])
    paragraphs = [
        good_or_better_sentence(now),
        change_sentence(f"Good or better against {found.previous.label}", before, now),
    ]
    unjudged = sum(f.count for label, f in found.judgements if label == NO_JUDGEMENT)
    if unjudged:
        paragraphs.append(f"{unjudged} completed audits have no judgement recorded.")
    grade_rows = rows[:-1]
    return Section(
        key="judgements",
        title="Judgements",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="judgements",
                caption=f"Judgement of the quality of work, {found.period.label}",
                columns=["Judgement", "Audits", "Audits judged", *PROPORTION_COLUMNS],
                rows=rows,
            )
        ],
        charts=[
            Chart(
                kind="bar",
                title="Judgement mix",
                description="Bar chart of audits by judgement: "
                + "; ".join(f"{row[0]} {row[1]} of {row[2]}" for row in grade_rows)
                + ".",
                table_key="judgements",
                labels=[row[0] for row in grade_rows],
                series=[Series("Audits", [row[1] for row in grade_rows])],
                y_label="Audits",
            )
        ],
    )


# Impact scale ------------------------------------------------------------------------------------


def _weighted_median(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    if not total:
        return None
    expanded_middle = []
    seen = 0
    for score in sorted(counts):
        for position in (total // 2 - (1 - total % 2), total // 2):
            if seen <= position < seen + counts[score]:
                expanded_middle.append(score)
        seen += counts[score]
    return median(expanded_middle)


def impact_section(period: Period) -> Section:
    counts = {
        row["impact_score"]: row["n"]
        for row in audits_in(period)
        .filter(impact_score__isnull=False)
        .values("impact_score")
        .annotate(n=Count("pk"))
    }
    scored = sum(counts.values())
    low, high = 0, max([10, *counts])
    rows = [
        [
            str(score),
            counts.get(score, 0),
            scored,
            *proportion_cells(Proportion(counts.get(score, 0), scored)),
        ]
        for score in range(low, high + 1)
    ]
    if scored:
        mean_score = round(sum(s * n for s, n in counts.items()) / scored, 1)
        median_score = _weighted_median(counts)
        paragraphs = [
            f"The impact of the work was scaled out of 10 in {counted(scored, 'audit')}: mean "
            f"{mean_score}, median {median_score:g}."
        ]
    else:
        paragraphs = ["No audit completed in the period scaled the impact of the work."]
    return Section(
        key="impact",
        title="Impact of the work on the child's lived experience",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="impact-distribution",
                caption=f"Impact scale (0 to 10): audits at each score, {period.label}",
                columns=["Score", "Audits", "Audits scaled", *PROPORTION_COLUMNS],
                rows=rows,
            )
        ],
        charts=[
            Chart(
                kind="bar",
                title="Impact scale",
                description="Bar chart of audits at each impact score from 0 to 10: "
                + "; ".join(f"score {row[0]}: {row[1]}" for row in rows)
                + ".",
                table_key="impact-distribution",
                labels=[row[0] for row in rows],
                series=[Series("Audits", [row[1] for row in rows])],
                y_label="Audits",
            )
        ],
    )


# Compliance --------------------------------------------------------------------------------------


def compliance_section(found: Findings) -> Section:
    columns = ["Reference", "Title", "Met", "Applicable ratings", *PROPORTION_COLUMNS]
    standards, sections = [], []
    for section in found.sections:
        row = section.row
        sections.append(
            [
                row.ref_id,
                row.text,
                row.met,
                row.applicable,
                *proportion_cells(Proportion(row.met, row.applicable)),
            ]
        )
        for standard in section.standards:
            standards.append(
                [
                    standard.ref_id,
                    standard.text,
                    standard.met,
                    standard.applicable,
                    *proportion_cells(Proportion(standard.met, standard.applicable)),
                ]
            )
    bottom_lines = [
        [ref_id, text, missed.count, checked, *proportion_cells(Proportion(missed.count, checked))]
        for ref_id, text, missed, checked in found.bottom_lines
    ]
    met = sum(row[2] for row in standards)
    applicable = sum(row[3] for row in standards)
    overall = Proportion(met, applicable)
    paragraphs = [
        f"Across every standard, {overall.labelled(found.met_label)} of the applicable ratings "
        f"({counted(found.audit_count, 'audit')}). Ratings of \u201cNot applicable\u201d are "
        "left out.",
    ]
    lowest = [row for row in standards if row[3]]
    if lowest:
        worst = min(lowest, key=lambda row: (row[2] / row[3], row[0]))
        paragraphs.append(f"The lowest compliance was {worst[0]}: {worst[7]}.")
    return Section(
        key="compliance",
        title="Compliance with the standards",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="compliance-by-standard",
                caption=f"Compliance per standard: {found.met_label} of the applicable ratings",
                columns=columns,
                rows=standards,
            ),
            Table(
                key="compliance-by-section",
                caption=f"Compliance per section: {found.met_label} of the applicable ratings",
                columns=columns,
                rows=sections,
            ),
            Table(
                key="bottom-lines",
                caption="Bottom lines not evidenced: audits that missed each bottom line",
                columns=[
                    "Reference",
                    "Bottom line",
                    "Audits that missed it",
                    "Audits checked",
                    *PROPORTION_COLUMNS,
                ],
                rows=bottom_lines,
            ),
        ],
        charts=[
            Chart(
                kind="bar",
                title="Compliance per standard",
                description="Bar chart of the per cent Met of each standard: "
                + "; ".join(f"{row[0]} {row[7]}" for row in standards)
                + ".",
                table_key="compliance-by-standard",
                labels=[row[0] for row in standards],
                series=[Series("Per cent Met", [row[4] for row in standards])],
                y_label="Per cent Met",
                percent=True,
            )
        ],
    )


# Districts and agency types ----------------------------------------------------------------------


def _grouped(period: Period, field: str, grades: Grades) -> dict[str, tuple[int, int]]:
    rows = (
        audits_in(period)
        .values(field)
        .annotate(
            audits=Count("pk"),
            good=Count("pk", filter=Q(judgement_id__in=grades.good_or_better_ids)),
        )
        .order_by(field)
    )
    groups: dict[str, tuple[int, int]] = {}
    for row in rows:
        label = row[field] or NOT_RECORDED
        audits, good = groups.get(label, (0, 0))
        groups[label] = (audits + row["audits"], good + row["good"])
    return groups


def districts_section(period: Period, grades: Grades) -> Section:
    tables = []
    for key, field, dimension, noun in (
        ("by-district", "assessment__district__name", "District", "districts"),
        ("by-agency-type", "assessment__agency_type__name", "Type of lead agency", "agency types"),
    ):
        rows, notes = suppressed_groups(_grouped(period, field, grades), noun=noun)
        tables.append(
            Table(
                key=key,
                caption=f"Audits and Good or better by {dimension.lower()}, {period.label}",
                columns=[
                    dimension,
                    "Audits",
                    GOOD_OR_BETTER,
                    "Audits counted",
                    *PROPORTION_COLUMNS,
                ],
                rows=rows,
                notes=notes,
            )
        )
    return Section(
        key="districts-and-agencies",
        title="Districts and types of lead agency",
        paragraphs=[
            "Audits completed in the period by the district and the type of lead agency of the "
            "EHA, with the share judged Good or better. Groups with fewer than 5 audits are not "
            "shown on their own."
        ],
        tables=tables,
    )


# Trend -------------------------------------------------------------------------------------------


def last_quarters(day: datetime.date, count: int = TREND_QUARTERS) -> list[Period]:
    quarters = [quarter_containing(day)]
    while len(quarters) < count:
        quarters.insert(0, quarter_containing(quarters[0].start - datetime.timedelta(days=1)))
    return quarters


def trend_section(period: Period, grades: Grades) -> Section:
    quarters = last_quarters(period.end)
    good = Q(judgement_id__in=grades.good_or_better_ids)
    figures = {}
    for index, quarter in enumerate(quarters):
        within = _submitted_in(quarter)
        figures[f"audits{index}"] = Count("pk", filter=within)
        figures[f"judged{index}"] = Count("pk", filter=within & Q(judgement__isnull=False))
        figures[f"good{index}"] = Count("pk", filter=within & good)
    counted = (
        reported_audits()
        .filter(submitted_between(quarters[0].start, quarters[-1].end))
        .aggregate(**figures)
    )
    rows = []
    for index, quarter in enumerate(quarters):
        proportion = Proportion(counted[f"good{index}"], counted[f"judged{index}"])
        rows.append(
            [
                quarter.quarter,
                counted[f"audits{index}"],
                proportion.count,
                proportion.denominator,
                *proportion_cells(proportion),
            ]
        )
    first, last = rows[0], rows[-1]
    paragraphs = [
        change_sentence(
            f"Good or better, {first[0]} against {last[0]}",
            Proportion(first[2], first[3]),
            Proportion(last[2], last[3]),
        )
    ]
    return Section(
        key="trend",
        title=f"The last {len(quarters)} quarters",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="trend",
                caption=f"Audits completed and Good or better, the {len(quarters)} quarters to "
                f"{quarters[-1].quarter}",
                columns=[
                    "Quarter",
                    "Audits completed",
                    GOOD_OR_BETTER,
                    "Audits judged",
                    *PROPORTION_COLUMNS,
                ],
                rows=rows,
            )
        ],
        charts=[
            Chart(
                kind="line",
                title="Good or better, quarter by quarter",
                description="Line chart of the per cent of audits judged Good or better in each "
                "quarter: "
                + "; ".join(
                    f"{row[0]} {row[7]}" if row[3] else f"{row[0]} no audits judged" for row in rows
                )
                + ".",
                table_key="trend",
                labels=[row[0] for row in rows],
                series=[Series("Good or better (per cent)", [row[4] for row in rows])],
                y_label="Per cent Good or better",
                percent=True,
            )
        ],
    )
