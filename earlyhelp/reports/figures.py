"""The quarterly QA report's figures, computed from the current data for any period.

`build_report(period)` answers the framework's questions for a quarter (or any two dates) as one
`Document`: every proportion with its count, denominator and 95% Wilson interval, groups under
5 suppressed, a plain sentence where a sample is too small to show a change, and each chart
beside the table holding its numbers. It holds no child-level data: no EHA or family reference,
no name, no audit. The QA lead's narrative is added by publishing.document_for.

Every section is counted in the database with a fixed number of queries, so the report costs
the same whatever the number of audits and EHAs (see tests/reports/test_figures.py).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from earlyhelp.learning.findings import findings
from earlyhelp.voice.results import Period

from .document import Document, Section
from .figures_activity import actions_and_themes_section, drift_section, escalations_section
from .figures_audits import (
    audits_section,
    compliance_section,
    districts_section,
    good_or_better,
    impact_section,
    judgements_section,
    trend_section,
)
from .figures_tables import counted, good_or_better_sentence, grades, was
from .figures_voice import family_feedback_section, staff_survey_section
from .statistics import Proportion

TITLE = "Early Help quality assurance report"

SECTION_KEYS = [
    "summary",
    "audits",
    "judgements",
    "impact",
    "compliance",
    "districts-and-agencies",
    "trend",
    "escalations",
    "drift",
    "family-feedback",
    "staff-survey",
    "actions-and-themes",
]


def _in(period: Period) -> str:
    """ "in 2026-Q3 (July to September 2026)", or "from 1 August 2026 to 31 October 2026"."""
    return f"in {period.label}" if period.quarter else f"from {period.label}"


def _summary(found, judged: Proportion, sections: dict[str, Section]) -> Section:
    compliance = sections["compliance"].paragraphs[0]
    paragraphs = [
        f"{counted(found.audit_count, 'audit')} {was(found.audit_count)} completed "
        f"{_in(found.period)}; {found.previous_audit_count} {was(found.previous_audit_count)} "
        f"completed {_in(found.previous)}.",
        good_or_better_sentence(judged),
        sections["judgements"].paragraphs[1],
        compliance,
        "Every percentage is shown with its count, its denominator and a 95% confidence "
        "interval (Wilson): the range the true figure is likely to lie in, given how few "
        "audits there are. Where two periods' samples are too small or their intervals "
        "overlap, the report does not call the difference a change.",
    ]
    return Section(key="summary", title="Summary", paragraphs=paragraphs)


def build_report(period: Period, *, today: datetime.date | None = None) -> Document:
    """The report's figures for `period` from the data as it is now, without the narrative."""
    today = today or timezone.localdate()
    found = findings(period)
    graded = grades()
    sections = {
        "audits": audits_section(period),
        "judgements": judgements_section(found, graded),
        "impact": impact_section(period),
        "compliance": compliance_section(found),
        "districts-and-agencies": districts_section(period, graded),
        "trend": trend_section(period, graded),
        "escalations": escalations_section(period),
        "drift": drift_section(period),
        "family-feedback": family_feedback_section(period),
        "staff-survey": staff_survey_section(period),
        "actions-and-themes": actions_and_themes_section(period, found),
    }
    sections["summary"] = _summary(found, good_or_better(found, graded), sections)
    return Document(
        title=TITLE,
        period_label=period.label,
        generated_on=today.isoformat(),
        sections=[sections[key] for key in SECTION_KEYS],
    )
