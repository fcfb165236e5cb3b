"""The demo of the quarterly report: the last four complete quarters but one published (one of
them corrected, so a superseded version can be read), and the latest complete quarter as a draft
with its narrative begun, ready for the QA lead to read, finish and publish.

Made through the report services people use (reports.publishing: start_report, save_narrative,
publish, correct), after the demo audits, voice and learning, so every section of the report has
figures in it. The narrative is written from each quarter's own findings (its best and least met
standards and its commonest learning theme), so the words agree with the numbers beside them.
The recommendations that the demo learning loop says came from a quarterly report are linked to
the report published just before they were made, rather than recorded a second time.

Before the reports, the drift history of the last two years: the daily drift scan
(sampling.drift.scan) run for the first working day of each past month, and contacts with the
coordinators of some of the plans it found (drift.record_contact), so the report's drift section
counts what the Early Help Officers did in each quarter. The scans' messages to officers are
marked read, as old notifications are.

The services stamp the present moment; publication is backdated afterwards to three weeks after
each quarter ended, as the other demo loaders do, and the stored document says the same day.
For development and demonstration only.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import perf_counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from earlyhelp.accounts.demo import demo_email
from earlyhelp.accounts.models import User
from earlyhelp.core.models import Notification
from earlyhelp.core.working_days import is_working_day
from earlyhelp.learning.findings import findings
from earlyhelp.learning.models import Recommendation
from earlyhelp.reports import publishing
from earlyhelp.reports.models import QuarterlyReport, ReportRecommendation
from earlyhelp.reports.statistics import SMALLEST_SAMPLE_FOR_CHANGE
from earlyhelp.sampling import drift
from earlyhelp.sampling.models import DriftNotice
from earlyhelp.voice.results import quarters_ending

PUBLISHED_QUARTERS = 4  # before the latest complete quarter, which is left as a draft
PUBLISHED_AFTER = timedelta(days=21)
CORRECTED_QUARTER = 1  # the second oldest published quarter is corrected once
CORRECTION_REASON = (
    "The key themes were written before all of the quarter's audits had been tagged with their "
    "learning themes; they now name the theme tagged most often."
)
# What the corrected quarter's first version said under key themes.
THEMES_NOT_YET_TAGGED = "Themes will be added once all of the quarter's audits have been tagged."


DRIFT_MONTHS = 24
CONTACT_OUTCOMES = [
    (
        "Spoke to the coordinator: the review meeting had been postponed and is now booked.",
        "Check the review is recorded.",
    ),
    ("The coordinator has left; the team manager is allocating a new lead practitioner.", ""),
    ("The plan was closed last week; the closure had not yet reached EHM.", ""),
    ("Coordinator agreed to hold the TAF meeting within two weeks.", "Look again in a fortnight."),
]


@dataclass
class Summary:
    published: int = 0
    corrected: int = 0
    drafts: int = 0
    recommendations_linked: int = 0
    drift_found: int = 0
    drift_contacts: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.drift_found} drift reasons found over {DRIFT_MONTHS} months with "
            f"{self.drift_contacts} contacts; "
            f"{self.published} quarterly reports published ({self.corrected} corrected), "
            f"{self.drafts} draft, {self.recommendations_linked} recommendations linked "
            f"to their report, in {self.seconds:.1f} s"
        )


def _narrative(period):
    """What a QA lead would write about the quarter, from its own findings."""
    found = findings(period)
    # A standard rated in only one or two audits is not named as the best or the worst met.
    standards = [row for row in found.standards if row.applicable >= SMALLEST_SAMPLE_FOR_CHANGE]
    if not standards:
        return {
            "working_well": "Too few audits were completed this quarter to say.",
            "needs_to_improve": "Audits planned for the quarter should be completed on time.",
            "key_themes": "",
        }
    ranked = sorted(standards, key=lambda row: (row.met / row.applicable, -row.applicable))
    weakest, strongest = ranked[:2], ranked[-2:][::-1]
    themes = [theme for theme, figure, _previous, _change in found.themes if figure.count]

    def named(rows):
        return "; ".join(
            f"{row.ref_id} ({row.met} of {row.applicable} audits met it)" for row in rows
        )

    return {
        "working_well": (
            f"Across {found.audit_count} audits the standards most often met were "
            f"{named(strongest)}."
            "\n\nPractitioners' records of families' own words have improved, and the dip "
            "sample reached every district."
        ),
        "needs_to_improve": (
            f"The standards least often met were {named(weakest)}."
            "\n\nReview meetings still slip when a lead practitioner changes."
        ),
        "key_themes": (
            f"The learning theme tagged most often was {themes[0].name.lower()}."
            if themes
            else "No learning theme stood out this quarter."
        ),
    }


def _backdate(report, published_on, rng_minutes):
    moment = timezone.make_aware(
        datetime.combine(published_on, time(10, 0)) + timedelta(minutes=rng_minutes)
    )
    figures = dict(report.figures)
    figures["generated_on"] = published_on.isoformat()
    QuarterlyReport.objects.filter(pk=report.pk).update(
        published_at=moment,
        created_at=moment - timedelta(days=5),
        updated_at=moment,
        figures=figures,
    )


def _publish(period, qa_lead, recommendations, summary, minutes, **changed):
    report = publishing.start_report(period, qa_lead)
    publishing.save_narrative(
        report,
        recommendations=[r.text for r in recommendations],
        by=qa_lead,
        **{**_narrative(period), **changed},
    )
    # The learning loop's recommendations already exist: link them, so publishing tracks each once.
    for recommendation in recommendations:
        linked = ReportRecommendation.objects.filter(
            report=report, text=recommendation.text
        ).update(tracked=recommendation)
        summary.recommendations_linked += linked
    report = publishing.publish(report, qa_lead)
    published_on = min(period.end + PUBLISHED_AFTER, timezone.localdate())
    _backdate(report, published_on, minutes)
    summary.published += 1
    return report, published_on


def _first_working_day(year, month):
    day = date(year, month, 1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _drift_history(today, officer, summary):
    """The daily scan as it would have run on the first working day of each past month, oldest
    first, and a contact about every third plan it found, a few working days later."""
    scanned = []
    year, month = today.year, today.month
    for _ in range(DRIFT_MONTHS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        scanned.append(_first_working_day(year, month))
    for day in sorted(scanned):
        summary.drift_found += drift.scan(day)
        notices = DriftNotice.objects.filter(first_seen=day).select_related("assessment")
        for index, notice in enumerate(notices.order_by("pk")[::3]):
            outcome, next_step = CONTACT_OUTCOMES[index % len(CONTACT_OUTCOMES)]
            drift.record_contact(
                notice.assessment,
                contacted_on=day + timedelta(days=2 + index % 5),
                outcome=outcome,
                next_step=next_step,
                by=officer,
                today=today,
            )
            summary.drift_contacts += 1
    # What the scans told the officers long ago has been e-mailed and read since.
    Notification.objects.filter(kind="drift_found").update(
        emailed_at=F("created_at"), read_at=F("created_at")
    )


@transaction.atomic
def load_demo_reports(today=None) -> Summary | None:
    """Adds the demo reports once; None when there are already reports."""
    if QuarterlyReport.objects.exists():
        return None
    started = perf_counter()
    today = today or timezone.localdate()
    summary = Summary()
    qa_lead = User.objects.get(email=demo_email("qa.lead"))
    _drift_history(today, User.objects.get(email=demo_email("auditor")), summary)
    quarters = quarters_ending(today - timedelta(days=1), PUBLISHED_QUARTERS + 2)
    # Oldest first, the last holding yesterday: keep the complete quarters.
    complete = [q for q in quarters if q.end < today][-(PUBLISHED_QUARTERS + 1) :]
    *to_publish, draft_quarter = complete
    from_reports = list(
        Recommendation.objects.filter(source=Recommendation.Source.QUARTERLY_REPORT)
    )
    for index, period in enumerate(to_publish):
        next_end = to_publish[index + 1].end if index + 1 < len(to_publish) else draft_quarter.end
        made_after = [r for r in from_reports if period.end < r.made_on <= next_end]
        changed = {"key_themes": THEMES_NOT_YET_TAGGED} if index == CORRECTED_QUARTER else {}
        report, published_on = _publish(period, qa_lead, made_after, summary, 7 * index, **changed)
        if index == CORRECTED_QUARTER:
            correction = publishing.correct(report, CORRECTION_REASON, qa_lead)
            written = _narrative(period)
            publishing.save_narrative(
                correction,
                working_well=correction.working_well,
                needs_to_improve=correction.needs_to_improve,
                key_themes=written["key_themes"],
                recommendations=[row.text for row in correction.recommendations.all()],
                by=qa_lead,
            )
            correction = publishing.publish(correction, qa_lead)
            _backdate(correction, min(published_on + timedelta(days=30), today), 11)
            summary.corrected += 1
    draft = publishing.start_report(draft_quarter, qa_lead)
    begun = _narrative(draft_quarter)
    publishing.save_narrative(
        draft,
        working_well=begun["working_well"],
        needs_to_improve=begun["needs_to_improve"],
        key_themes="",
        recommendations=[],
        by=qa_lead,
    )
    summary.drafts = 1
    summary.seconds = perf_counter() - started
    return summary
