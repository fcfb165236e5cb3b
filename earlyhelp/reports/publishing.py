"""The quarterly report from draft to published, and corrections.

The rules:

- **Who.** Only the QA lead starts, writes, publishes and corrects reports. Partnership viewers
  read published (and superseded) reports; drafts are the QA lead's alone.
- **Only ended periods.** A report is started and published only for a period that has ended
  (its last day is before today): a quarter with weeks still to run would give partnership
  viewers figures that are not yet whole.
- **Draft.** A draft's figures are computed from the data each time it is read
  (figures.build_report), so they follow the data until it is published; its narrative (what is
  working well, what needs to improve, key themes, recommendations) can be changed. One draft per
  period at a time.
- **Published.** Publishing stores the whole document, narrative included, as JSON and nothing
  changes it afterwards: later audits or corrections of data do not alter a published report.
  It is published only once "What is working well" and "What needs to improve" are written.
  Each of its recommendations becomes a tracked recommendation in the learning loop, once. One
  published report per period.
- **Correction.** A published report is corrected by a new draft version that says why, with the
  narrative and recommendations copied; when that is published the old version becomes
  superseded: still readable, and its document says at the top by which version, when and why
  it was corrected, so its downloads cannot pass as current. A recommendation carried over
  unchanged keeps its tracked recommendation rather than making a second one.

Each change checks the status it reads under a row lock, inside one transaction, so two people
publishing the same report at once cannot both succeed.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.learning import recommendations as learning_recommendations
from earlyhelp.learning.models import Recommendation
from earlyhelp.voice.results import Period, dates_period, parse_quarter

from .document import Document, Section
from .figures import build_report
from .models import QuarterlyReport, ReportRecommendation

S = QuarterlyReport.Status

# The QA lead's sections: (key, title, field on the report).
NARRATIVE = [
    ("working-well", "What is working well", "working_well"),
    ("needs-to-improve", "What needs to improve", "needs_to_improve"),
    ("key-themes", "Key themes", "key_themes"),
]
# Without these a published report would tell partnership viewers "Nothing written yet.".
NARRATIVE_REQUIRED = ("working-well", "needs-to-improve")
RECOMMENDATIONS_KEY = "recommendations"
RECOMMENDATIONS_TITLE = "Recommendations"
NOTHING_WRITTEN = "Nothing written yet."


class ReportRefused(Exception):
    """A change this person may not make, or that the report's status does not allow. Its
    message says why, in words for the page."""


def may_manage(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_role(Role.QA_LEAD)
    )


def _check_manager(user):
    if not may_manage(user):
        raise ReportRefused("Only the QA lead can change quarterly reports")


def has_ended(end: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether a period ending on `end` is over: its last day is before today (on its last day
    the day's work is still coming in)."""
    return end < (today or timezone.localdate())


def not_ended_message(label: str, end: datetime.date, *, done: str = "started") -> str:
    """Why a period that has not ended has no report yet, e.g. "2026-Q4 (October to December
    2026) has not ended yet: its report can be started after 31 December 2026"."""
    return f"{label} has not ended yet: its report can be {done} after {_long_date(end)}"


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def period_of(report: QuarterlyReport) -> Period:
    if report.quarter:
        period = parse_quarter(report.quarter)
        if period is not None:
            return period
    return dates_period(report.period_start, report.period_end)


# Starting and writing ----------------------------------------------------------------------------


def start_report(period: Period, by) -> QuarterlyReport:
    """The report for `period` to work on: its draft if it has one, else its current published
    version (to be corrected, not started again), else a new draft."""
    _check_manager(by)
    if not has_ended(period.end):
        raise ReportRefused(not_ended_message(period.label, period.end))
    with transaction.atomic():
        existing = (
            QuarterlyReport.objects.select_for_update()
            .filter(
                period_start=period.start,
                period_end=period.end,
                status__in=[S.DRAFT, S.PUBLISHED],
            )
            .order_by("status")  # "draft" before "published"
            .first()
        )
        if existing is not None:
            return existing
        latest = QuarterlyReport.objects.filter(
            period_start=period.start, period_end=period.end
        ).aggregate(version=Max("version"))["version"]
        return QuarterlyReport.objects.create(
            period_start=period.start,
            period_end=period.end,
            quarter=period.quarter,
            label=period.label,
            version=(latest or 0) + 1,
            created_by=by,
        )


def _locked_draft(report: QuarterlyReport) -> QuarterlyReport:
    locked = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != S.DRAFT:
        raise ReportRefused("This report has been published and cannot be changed")
    return locked


# A bullet or a number typed before a recommendation ("- ", "* ", "3. ", "2) "): the report
# numbers them itself.
_LIST_MARK = re.compile(r"^(?:[-*\u2022\u2013]|\d{1,3}[.)])\s+")


def recommendation_lines(text: str) -> list[str]:
    """Recommendations written one per line: blank lines, surrounding spaces and any bullet or
    number typed before each dropped."""
    lines = (_LIST_MARK.sub("", line.strip()).strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


def save_narrative(
    report: QuarterlyReport,
    *,
    working_well: str,
    needs_to_improve: str,
    key_themes: str,
    recommendations: list[str],
    by,
) -> QuarterlyReport:
    """Replaces a draft's narrative and recommendations (in the order given). A recommendation
    whose words match one already tracked (carried over by a correction) keeps its link."""
    _check_manager(by)
    with transaction.atomic():
        locked = _locked_draft(report)
        locked.working_well = working_well.strip()
        locked.needs_to_improve = needs_to_improve.strip()
        locked.key_themes = key_themes.strip()
        locked.updated_at = timezone.now()
        locked.save(update_fields=["working_well", "needs_to_improve", "key_themes", "updated_at"])
        tracked = {
            row.text: row.tracked_id
            for row in locked.recommendations.all()
            if row.tracked_id is not None
        }
        locked.recommendations.all().delete()
        texts = [text.strip() for text in recommendations if text and text.strip()]
        ReportRecommendation.objects.bulk_create(
            ReportRecommendation(
                report=locked, text=text, order=index, tracked_id=tracked.get(text)
            )
            for index, text in enumerate(texts, start=1)
        )
    return locked


# The document ------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """Text written in the form, as paragraphs: separated by blank lines."""
    blocks = [" ".join(block.split()) for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def narrative_sections(report: QuarterlyReport, texts: list[str]) -> list[Section]:
    sections = [
        Section(
            key=key,
            title=title,
            paragraphs=_paragraphs(getattr(report, field)) or [NOTHING_WRITTEN],
        )
        for key, title, field in NARRATIVE
    ]
    sections.append(
        Section(
            key=RECOMMENDATIONS_KEY,
            title=RECOMMENDATIONS_TITLE,
            paragraphs=[f"{index}. {text}" for index, text in enumerate(texts, start=1)]
            or ["No recommendations."],
        )
    )
    return sections


def _with_narrative(document: Document, report: QuarterlyReport, texts: list[str]) -> Document:
    """The figures with the narrative after the summary, and for a correction why it was made."""
    sections = list(document.sections)
    at = next((i + 1 for i, s in enumerate(sections) if s.key == "summary"), 0)
    sections[at:at] = narrative_sections(report, texts)
    if report.corrects_id and sections and sections[0].key == "summary":
        sections[0].paragraphs.insert(
            0,
            f"This is version {report.version} of the report, correcting version "
            f"{report.corrects.version}: {report.correction_reason}",
        )
    document.sections = sections
    return document


def corrected_by(report: QuarterlyReport) -> QuarterlyReport | None:
    """The version that corrected a superseded report (None for any other report)."""
    if report.status != S.SUPERSEDED:
        return None
    return (
        QuarterlyReport.objects.filter(corrects=report)
        .exclude(status=S.DRAFT)
        .only("pk", "version", "published_at", "correction_reason")
        .first()
    )


def superseded_sentence(correction: QuarterlyReport) -> str:
    when = timezone.localdate(correction.published_at) if correction.published_at else None
    on = f" on {_long_date(when)}" if when else ""
    return (
        f"This version has been corrected by version {correction.version}, published{on}. "
        f"Why it was corrected: {correction.correction_reason}"
    )


def document_for(report: QuarterlyReport, *, today: datetime.date | None = None) -> Document:
    """What the report says: as published for a published or superseded report (whatever the
    data has done since); for a draft, the figures from the data now and its narrative. A
    superseded report's first section starts by saying which version corrected it, when and
    why: said when it is read, as the stored document is never changed."""
    if report.status != S.DRAFT and report.figures:
        document = Document.from_dict(report.figures)
        correction = corrected_by(report)
        if correction is not None and document.sections:
            document.sections[0].paragraphs.insert(0, superseded_sentence(correction))
        return document
    texts = [row.text for row in report.recommendations.all()]
    return _with_narrative(build_report(period_of(report), today=today), report, texts)


# Publishing and correcting -----------------------------------------------------------------------


def publishing_refusal(report: QuarterlyReport, *, today: datetime.date | None = None) -> str:
    """Why this draft cannot be published yet, in words for the page; "" when it can."""
    if not has_ended(report.period_end, today):
        return not_ended_message(report.label, report.period_end, done="published")
    missing = [
        title.lower()
        for key, title, field in NARRATIVE
        if key in NARRATIVE_REQUIRED and not getattr(report, field).strip()
    ]
    if missing:
        return f"Write {' and '.join(missing)} before publishing the report"
    return ""


def publish(report: QuarterlyReport, by) -> QuarterlyReport:
    """Freezes the draft: stores its document, makes each new recommendation a tracked one, and
    marks the version it corrects (if any) superseded. All or nothing."""
    _check_manager(by)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked_draft(report)
        if (
            not locked.corrects_id
            and QuarterlyReport.objects.filter(
                period_start=locked.period_start, period_end=locked.period_end, status=S.PUBLISHED
            ).exists()
        ):
            raise ReportRefused("A report for this period is already published: correct it instead")
        refusal = publishing_refusal(locked, today=today)
        if refusal:
            raise ReportRefused(refusal)
        rows = list(locked.recommendations.all())
        document = document_for(locked, today=today)
        for row in rows:
            if row.tracked_id is None:
                row.tracked = learning_recommendations.record(
                    made_on=today,
                    source=Recommendation.Source.QUARTERLY_REPORT,
                    text=row.text,
                    by=by,
                )
                row.save(update_fields=["tracked"])
        if locked.corrects_id:
            QuarterlyReport.objects.filter(pk=locked.corrects_id, status=S.PUBLISHED).update(
                status=S.SUPERSEDED
            )
        locked.figures = document.to_dict()
        locked.status = S.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = by
        locked.save(update_fields=["figures", "status", "published_at", "published_by"])
    return locked


def correct(report: QuarterlyReport, reason: str, by) -> QuarterlyReport:
    """A new draft version of a published report, with the reason for the correction and the
    narrative and recommendations copied. The published version stays until this one is
    published."""
    _check_manager(by)
    reason = (reason or "").strip()
    if not reason:
        raise ReportRefused("Enter why the report needs correcting")
    with transaction.atomic():
        locked = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != S.PUBLISHED:
            raise ReportRefused("Only the published version of a report can be corrected")
        if QuarterlyReport.objects.filter(
            period_start=locked.period_start, period_end=locked.period_end, status=S.DRAFT
        ).exists():
            raise ReportRefused("A correction of this report is already being written")
        latest = QuarterlyReport.objects.filter(
            period_start=locked.period_start, period_end=locked.period_end
        ).aggregate(version=Max("version"))["version"]
        correction = QuarterlyReport.objects.create(
            period_start=locked.period_start,
            period_end=locked.period_end,
            quarter=locked.quarter,
            label=locked.label,
            version=latest + 1,
            working_well=locked.working_well,
            needs_to_improve=locked.needs_to_improve,
            key_themes=locked.key_themes,
            corrects=locked,
            correction_reason=reason,
            created_by=by,
        )
        ReportRecommendation.objects.bulk_create(
            ReportRecommendation(
                report=correction, text=row.text, order=row.order, tracked_id=row.tracked_id
            )
            for row in locked.recommendations.all()
        )
    return correction


# Reading -----------------------------------------------------------------------------------------


def reports_of(
    recommendation: Recommendation,
) -> tuple[list[QuarterlyReport], QuarterlyReport | None]:
    """The published and superseded versions of the report that made a recommendation, oldest
    first, and the report's current version if that one left the recommendation out (a
    correction dropped it), else None. Two queries."""
    holding = list(
        QuarterlyReport.objects.filter(
            recommendations__tracked=recommendation, status__in=[S.PUBLISHED, S.SUPERSEDED]
        )
        .order_by("period_start", "version")
        .distinct()
    )
    if not holding:
        return [], None
    current = QuarterlyReport.objects.filter(
        period_start=holding[0].period_start, period_end=holding[0].period_end, status=S.PUBLISHED
    ).first()
    return holding, (current if current is not None and current not in holding else None)


def reports_for(user):
    """The reports a person may open, newest period first: every version for the QA lead;
    published and superseded ones for anyone else allowed to read reports."""
    reports = QuarterlyReport.objects.select_related("published_by").order_by(
        "-period_end", "-period_start", "-version"
    )
    if may_manage(user):
        return reports
    return reports.exclude(status=S.DRAFT)
