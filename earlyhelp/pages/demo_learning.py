"""The demo of the learning loop: 18 months of actions raised from the commonest learning themes
and from weak audits, worked on, evidenced, signed off, sometimes sent back or cancelled, and four
recommendations from past quarterly reports with the agencies' responses and the group's
decisions, so that the registers, "closing the loop" and "You said, we did" have something in
them.

Made through the same services people use (learning.actions: create_action, start,
record_evidence, sign_off, send_back, cancel; learning.recommendations: record, record_response,
accept, close). The services stamp everything with the present moment; each step's records are
backdated afterwards, as the other demo loaders do. Notifications of old events are marked
e-mailed and read (as demo_after_audit does), so that the task worker sends nothing about the
past.

For development and demonstration only. Every text is short and plain and never names a child or
a parent. Drawn from `random.Random(seed)`, so the same seed, the same day and the same audits
give the same history.
"""

import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from time import perf_counter

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from earlyhelp.accounts.demo import demo_email
from earlyhelp.accounts.models import Agency, AgencyType, User
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.models import Notification
from earlyhelp.learning import actions as action_steps
from earlyhelp.learning import recommendations as rec_steps
from earlyhelp.learning.models import (
    Action,
    ActionEvent,
    AgencyResponse,
    AuditTheme,
    LearningTheme,
    Recommendation,
)
from earlyhelp.pages.demo_after_audit import (
    THEME_FOR_STANDARD,
    _moment,
    _settle_notifications,
    _today_and_now,
)
from earlyhelp.voice.models import Quote

DEMO_QA_LEAD = "qa.lead"
DEMO_AUDITOR = "auditor"
DEMO_COORDINATOR = "coordinator"
DEMO_LINE_MANAGER = "line.manager"

T = Action.Type
SIGNED_OFF, SENT_BACK, DONE, CANCELLED = "signed_off", "sent_back", "done", "cancelled"
IN_PROGRESS, OPEN, OVERDUE = "in_progress", "open", "overdue"

# The standards each theme concerns (the shipped framework's ref_ids), from what the demo audits
# tag each theme for (demo_after_audit.THEME_FOR_STANDARD), with the bottom lines left out: the
# before-and-after comparison reads standards' ratings.
THEME_STANDARDS = {}
for _ref, _theme in THEME_FOR_STANDARD.items():
    THEME_STANDARDS.setdefault(_theme, []).append(_ref)
THEME_STANDARDS["Drift and delay"] = ["S2.3", "S3.6"]
THEME_STANDARDS["Management oversight"] = ["S3.6", "S3.7"]
THEME_STANDARDS["Step-down"] = ["S3.8"]


@dataclass(frozen=True)
class Plan:
    """One action: its theme (by name), type, words, owner ("qa", "line", "coordinator",
    "auditor" or "agency": the manager of an agency of `agency_type`), when it was raised (days
    ago), how long it was given (days), what became of it, and where families' words fit it."""

    theme: str | None
    kind: str
    title: str
    finding: str
    evidence: str  # "{month}": the month it was done
    owner: str
    raised: int
    given: int
    fate: str
    agency_type: str = ""
    for_agency: bool = False  # the action is the agency's, not only the type's
    refs: tuple = ()
    you_said: tuple = ()  # words to look for among the publishable quotes
    recommendation: int | None = None  # index into RECOMMENDATIONS
    reason: str = ""  # why it was cancelled, or why it was sent back


ACTIONS = [
    Plan(
        "Chronology missing",
        T.TRAINING,
        "Chronology training for coordinators",
        "Chronologies were missing or out of date in over a third of the audits last quarter.",
        "Two half-day sessions on chronologies for 34 practitioners, {month}. Slides and the "
        "template are on the partnership site.",
        "qa",
        500,
        90,
        SIGNED_OFF,
        recommendation=0,
    ),
    Plan(
        "Chronology missing",
        T.POLICY,
        "Chronology template and guidance added to the EHM guide",
        "Coordinators kept chronologies on paper or not at all.",
        "The EHM guide now has a chronology template and a page on keeping it up to date, "
        "published {month}.",
        "auditor",
        480,
        75,
        SENT_BACK,
        recommendation=0,
        reason="Please add the link to the published guide so the group can check it.",
    ),
    Plan(
        "Genogram missing",
        T.TRAINING,
        "Genogram workshop for health visitors and school staff",
        "Genograms were missing in a quarter of the audits, most often in health-led EHAs.",
        "Three genogram workshops for 41 practitioners from health visiting and schools, "
        "{month}. Attendance list held by the Early Help team.",
        "qa",
        430,
        70,
        SIGNED_OFF,
        recommendation=0,
    ),
    Plan(
        "Genogram missing",
        T.DEVELOPMENT,
        "Genogram drawn with the family at the first home visit",
        "Genograms were added late, after the plan was written.",
        "Genogram added to the first-visit checklist and checked in supervision; a dip sample "
        "of ten new EHAs in {month} found a genogram on nine.",
        "line",
        400,
        90,
        SIGNED_OFF,
        agency_type="Health Visiting",
    ),
    Plan(
        "Voice of the child",
        T.TRAINING,
        "Direct work with children: tools and recording",
        "The child's views were not recorded at the start or at reviews in many audits.",
        "Four sessions on direct work tools (three houses, scaling, wishes and feelings) for 52 "
        "practitioners, {month}.",
        "qa",
        360,
        80,
        SIGNED_OFF,
        you_said=("someone to talk to", "listened"),
    ),
    Plan(
        "Voice of the child",
        T.DEVELOPMENT,
        "The child's views recorded at every review",
        "Reviews recorded the adults' views but rarely the child's.",
        "Review template changed so the child's views come first; in use from {month}.",
        "coordinator",
        300,
        90,
        DONE,
    ),
    Plan(
        "Voice of the child",
        T.SUPERVISION,
        "Supervision checks that the child's views are on file",
        "Managers did not check the child's views in supervision.",
        "",
        "line",
        120,
        150,
        IN_PROGRESS,
    ),
    Plan(
        "Review meetings",
        T.DEVELOPMENT,
        "Six-weekly reviews booked at each TAF meeting",
        "Review meetings were not held every six weeks in most of the audits judged to require "
        "improvement.",
        "The next review date is now set at every TAF meeting and shown on the EHM dashboard; "
        "the report for {month} shows 81% of open cases with a review booked.",
        "qa",
        330,
        90,
        SENT_BACK,
        recommendation=1,
        reason="The dashboard figure is needed to show reviews are booked, not only the change.",
    ),
    Plan(
        "Review meetings",
        T.TRAINING,
        "Chairing review meetings",
        "Reviews were held but not recorded, or did not update the plan.",
        "Two half-day sessions on chairing and recording reviews for 28 practitioners, {month}.",
        "auditor",
        250,
        60,
        SIGNED_OFF,
        recommendation=1,
    ),
    Plan(
        "Review meetings",
        T.SERVICE_GAP,
        "Cover for reviews when a coordinator is off work",
        "Reviews lapsed when the coordinator was off work.",
        "",
        "qa",
        200,
        60,
        CANCELLED,
        reason="Covered by the duty rota the Early Help group agreed; no separate action needed.",
    ),
    Plan(
        "Review meetings",
        T.DEVELOPMENT,
        "Review dates checked in every team's monthly case list",
        "Reviews are still late in a fifth of the audits this quarter.",
        "",
        "agency",
        35,
        60,
        OPEN,
        agency_type="School",
        for_agency=True,
    ),
    Plan(
        "SMART plan",
        T.TRAINING,
        "SMART planning refresher for schools",
        "Plans written by schools seldom had dates or owners for each action.",
        "SMART planning refresher for 23 designated safeguarding leads at the heads' briefing, "
        "{month}.",
        "qa",
        280,
        60,
        SIGNED_OFF,
        agency_type="School",
        recommendation=2,
    ),
    Plan(
        "SMART plan",
        T.DEVELOPMENT,
        "Plan template with dates and owners for every action",
        "Plans did not say who would do what by when.",
        "",
        "line",
        150,
        90,
        OVERDUE,
        recommendation=2,
    ),
    Plan(
        "SMART plan",
        T.TRAINING,
        "Outcome-focused planning for new coordinators",
        "New coordinators' plans listed services, not outcomes.",
        "",
        "auditor",
        18,
        75,
        OPEN,
    ),
    Plan(
        "Family engagement",
        T.SERVICE_GAP,
        "Evening and early morning meetings for working parents",
        "Families could not come to meetings held in working hours.",
        "Every team now offers a TAF slot before 9am or after 5pm each week, from {month}.",
        "qa",
        220,
        90,
        SIGNED_OFF,
        you_said=("evening", "time off work"),
    ),
    Plan(
        "Family engagement",
        T.POLICY,
        "Plain-English letters and plans",
        "Plans and letters used words families did not understand.",
        "Letters and the plan template rewritten in plain English with families' help, {month}.",
        "line",
        180,
        60,
        DONE,
        you_said=("listened", "explained", "meetings started"),
    ),
    Plan(
        "Family engagement",
        T.DEVELOPMENT,
        "Holiday activities for families on an Early Help plan",
        "Support stopped in the school holidays.",
        "Holiday activity places set aside for families on a plan, summer {year}.",
        "agency",
        260,
        70,
        SIGNED_OFF,
        agency_type="Voluntary Sector",
        for_agency=True,
        you_said=("holidays", "activities"),
    ),
    Plan(
        "Drift and delay",
        T.DEVELOPMENT,
        "Time from the request to the first TAF meeting",
        "Families waited weeks for the first meeting.",
        "",
        "line",
        140,
        75,
        OVERDUE,
        you_said=("long time", "waited"),
    ),
    Plan(
        "Management oversight",
        T.SUPERVISION,
        "Monthly case supervision after an Inadequate audit",
        "No record of supervision on the cases judged Inadequate.",
        "Every case judged Inadequate since {month} has a supervision record within a month.",
        "line",
        270,
        60,
        SIGNED_OFF,
    ),
    Plan(
        "Safeguarding",
        T.TRAINING,
        "Consulting the safeguarding hub: when and how",
        "Risks were seen but not discussed with the safeguarding hub.",
        "Briefing on consultation with the safeguarding hub for 60 practitioners, {month}; "
        "flowchart added to the EHM guide.",
        "qa",
        240,
        60,
        SIGNED_OFF,
    ),
    Plan(
        "Safeguarding",
        T.TRAINING,
        "Safeguarding refresher for the voluntary sector",
        "Voluntary sector practitioners were unsure when to escalate.",
        "",
        "qa",
        190,
        60,
        CANCELLED,
        agency_type="Voluntary Sector",
        reason="Included in the partnership's safeguarding training plan for the year.",
    ),
    Plan(
        "Multi-agency working",
        T.SERVICE_GAP,
        "Housing at TAF meetings where housing is an issue",
        "Housing officers were seldom at TAF meetings though housing was on the plan.",
        "",
        "agency",
        60,
        120,
        IN_PROGRESS,
        agency_type="Housing",
        for_agency=True,
        recommendation=3,
    ),
    Plan(
        "Closure and outcomes",
        T.DEVELOPMENT,
        "Outcomes recorded at closure",
        "Cases closed without saying what had changed for the family.",
        "",
        "coordinator",
        45,
        90,
        OPEN,
    ),
    Plan(
        "Step-down",
        T.POLICY,
        "Step-down handover guidance with children's social care",
        "Step-downs started without a joint meeting with the social worker.",
        "",
        "qa",
        110,
        60,
        OVERDUE,
    ),
    Plan(
        None,
        T.STANDARDS_REVIEW,
        "Annual review of the standards and bottom lines",
        "The group asked whether the bottom lines on genograms and chronologies still fit.",
        "",
        "qa",
        70,
        120,
        IN_PROGRESS,
    ),
]

# From weak audits: (what was found for the case, type, title, evidence).
FROM_AUDITS = [
    (
        T.SUPERVISION,
        "Case discussed in supervision after the audit",
        "The case was reviewed in supervision the month after the audit; a new plan with dates "
        "and owners was agreed with the coordinator.",
    ),
    (
        T.DEVELOPMENT,
        "Plan rewritten with the family after the audit",
        "A TAF meeting was held and the plan rewritten with the family, with the child's views "
        "recorded.",
    ),
    (
        T.SUPERVISION,
        "Caseload and supervision for the coordinator",
        "The coordinator's caseload was reduced and supervision is monthly.",
    ),
]
AUDIT_ACTIONS = 4

RECOMMENDATIONS = [
    # (theme, days ago made, text, responses: (agency type, days after made, words),
    #  fate, days after it was made that it closed, decision)
    (
        "Chronology missing",
        520,
        "Every agency leading Early Help makes sure a chronology and a genogram are on file "
        "within six weeks of the assessment.",
        [
            (
                "Health Visiting",
                16,
                "Accepted. Added to the first-visit checklist and to supervision.",
            ),
            (
                "School",
                30,
                "Accepted. Designated safeguarding leads will check at the six-week review.",
            ),
        ],
        "closed",
        170,
        "Training delivered and the guide updated; audits since show chronologies and "
        "genograms on file far more often. Closed.",
    ),
    (
        "Review meetings",
        345,
        "Reviews every six weeks for every open Early Help plan, with the next date set at each "
        "meeting.",
        [("Family Support", 12, "Accepted. Review dates are now on our team dashboard.")],
        "closed",
        190,
        "Review dates are set at each meeting and reported monthly. Closed; the group will "
        "watch the figure in the quarterly report.",
    ),
    (
        "SMART plan",
        300,
        "Plans say who will do what by when, and what will be different for the child.",
        [
            ("School", 20, "Accepted. The heads' briefing will cover SMART planning."),
            ("Early Years", 41, "Accepted; our staff will attend the refresher."),
        ],
        "accepted",
        None,
        "Accepted. Training for schools and a new plan template.",
    ),
    (
        "Multi-agency working",
        75,
        "Housing and the voluntary sector are invited to TAF meetings where housing or money "
        "is on the plan.",
        [("Housing", 28, "We will send a housing officer where we are asked in good time.")],
        "open",
        None,
        "",
    ),
]


@dataclass
class DemoLearning:
    actions: int = 0
    signed_off: int = 0
    done: int = 0
    in_progress: int = 0
    open: int = 0
    overdue: int = 0
    cancelled: int = 0
    you_said: int = 0
    recommendations: int = 0
    responses: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.actions} actions ({self.signed_off} signed off, {self.done} awaiting "
            f"sign-off, {self.in_progress} in progress and {self.open} open ({self.overdue} "
            f"of them overdue), {self.cancelled} cancelled; {self.you_said} in You said, we "
            f"did); "
            f"{self.recommendations} recommendations with {self.responses} agency responses"
        )


def _last_pk(model):
    return model.objects.aggregate(last=Max("pk"))["last"] or 0


@contextmanager
def _dated(at):
    """Backdates the action history and notifications written inside the block to `at`."""
    last_event, last_notification = _last_pk(ActionEvent), _last_pk(Notification)
    yield
    ActionEvent.objects.filter(pk__gt=last_event).update(at=at)
    Notification.objects.filter(pk__gt=last_notification).update(created_at=at)


class _Loader:
    def __init__(self, rng, today, now):
        self.rng, self.today, self.now = rng, today, now
        self.latest = now - timedelta(hours=1)
        self.qa_lead = self._user(DEMO_QA_LEAD)
        self.people = {
            "qa": self.qa_lead,
            "line": self._user(DEMO_LINE_MANAGER),
            "coordinator": self._user(DEMO_COORDINATOR),
            "auditor": self._user(DEMO_AUDITOR),
        }
        self.themes = {t.name: t for t in LearningTheme.objects.all()}
        self.quotes = list(
            Quote.objects.filter(publishable=True)
            .order_by("pk")
            .values_list("moderated_text", flat=True)
        )
        self.used_quotes = set()
        self.recommendations = []

    @staticmethod
    def _user(local_part):
        user = User.objects.filter(email=demo_email(local_part), is_active=True).first()
        if user is None:
            raise RuntimeError("The demo of the learning loop needs the demo partnership first.")
        return user

    def at(self, days_ago):
        """A working-hours moment `days_ago` days before today, no later than now."""
        return min(_moment(self.today - timedelta(days=days_ago), self.rng), self.latest)

    def after(self, moment, low, high):
        day = timezone.localtime(moment).date() + timedelta(days=self.rng.randint(low, high))
        later = _moment(day, self.rng)
        if later <= moment:
            later = moment + timedelta(hours=2)
        return min(later, self.latest)

    # --- who and what ---------------------------------------------------------------------

    def agency_of_type(self, type_name):
        agencies = list(
            Agency.objects.filter(agency_type__name=type_name)
            .select_related("manager")
            .order_by("pk")
        )
        return self.rng.choice(agencies) if agencies else None

    def manager_of(self, agency):
        """The agency's manager, or a line manager who works there; None if it has neither."""
        if agency.manager is not None and agency.manager.is_active:
            return agency.manager
        return (
            User.objects.filter(
                agency=agency, is_active=True, role_assignments__role=Role.LINE_MANAGER
            )
            .order_by("pk")
            .first()
        )

    def quote(self, words):
        for text in self.quotes:
            if text not in self.used_quotes and any(w in text.lower() for w in words):
                self.used_quotes.add(text)
                return text
        for text in self.quotes:
            if text not in self.used_quotes:
                self.used_quotes.add(text)
                return text
        return ""

    # --- recommendations -------------------------------------------------------------------

    def make_recommendations(self):
        for theme, made_ago, text, responses, fate, close_after, decision in RECOMMENDATIONS:
            made_on = self.today - timedelta(days=made_ago)
            recommendation = rec_steps.record(
                made_on=made_on,
                source=Recommendation.Source.QUARTERLY_REPORT,
                text=text,
                theme=self.themes.get(theme),
                by=self.qa_lead,
            )
            Recommendation.objects.filter(pk=recommendation.pk).update(
                created_at=_moment(made_on, self.rng)
            )
            for type_name, after, words in responses:
                agency = self.agency_of_type(type_name)
                if agency is None:
                    continue
                rec_steps.record_response(
                    recommendation,
                    agency=agency,
                    response=words,
                    responded_on=min(made_on + timedelta(days=after), self.today),
                    by=self.qa_lead,
                )
            if fate in ("accepted", "closed"):
                rec_steps.accept(
                    recommendation, decision="" if fate == "closed" else decision, by=self.qa_lead
                )
            if fate == "closed":
                rec_steps.close(
                    recommendation,
                    decision=decision,
                    closed_on=min(made_on + timedelta(days=close_after), self.today),
                    by=self.qa_lead,
                )
            self.recommendations.append(recommendation)

    # --- actions ---------------------------------------------------------------------------

    def make_action(self, plan):
        raised_at = self.at(plan.raised + self.rng.randint(-6, 6))
        raised_on = timezone.localtime(raised_at).date()
        due = raised_on + timedelta(days=plan.given)
        if plan.fate == OVERDUE:
            due = min(due, self.today - timedelta(days=self.rng.randint(8, 40)))
        elif plan.fate in (OPEN, IN_PROGRESS):
            due = max(due, self.today + timedelta(days=self.rng.randint(10, 40)))
        agency = agency_type = None
        if plan.agency_type:
            agency = self.agency_of_type(plan.agency_type)
            agency_type = AgencyType.objects.filter(name=plan.agency_type).first()
        owner = self.manager_of(agency) if plan.owner == "agency" and agency else None
        if owner is None:
            owner = self.people["line" if plan.owner == "agency" else plan.owner]
        if not plan.for_agency:
            agency = None
        refs = list(plan.refs or THEME_STANDARDS.get(plan.theme, []))
        recommendation = (
            self.recommendations[plan.recommendation] if plan.recommendation is not None else None
        )
        with _dated(raised_at):
            action = action_steps.create_action(
                title=plan.title,
                action_type=plan.kind,
                owner=owner,
                due_date=due,
                by=self.qa_lead,
                theme=self.themes.get(plan.theme) if plan.theme else None,
                recommendation=recommendation,
                finding=plan.finding,
                you_said=self.quote(plan.you_said) if plan.you_said else "",
                standard_refs=refs,
                agency=agency,
                agency_type=agency_type,
            )
        Action.objects.filter(pk=action.pk).update(created_at=raised_at)
        self.work(action, plan.fate, raised_at, plan.given, plan.evidence, plan.reason)
        return action

    def work(self, action, fate, raised_at, given, evidence, reason):
        owner = action.owner
        if fate == OPEN:
            return
        if fate == CANCELLED:
            started = self.after(raised_at, 5, 20)
            with _dated(started):
                action_steps.start(action, owner)
            with _dated(self.after(started, 20, 50)):
                action_steps.cancel(action, reason, self.qa_lead)
            return
        started = self.after(raised_at, 2, 14)
        with _dated(started):
            action_steps.start(action, owner)
        if fate in (IN_PROGRESS, OVERDUE):
            return
        done_at = self.after(started, max(10, given // 3), max(12, given - 10))
        if fate == SENT_BACK:
            first = done_at
            self.record(action, evidence.split(";")[0].split(".")[0] + ".", first)
            sent_back_at = self.after(first, 2, 6)
            with _dated(sent_back_at):
                action_steps.send_back(action, reason, self.qa_lead)
            done_at = self.after(sent_back_at, 7, 20)
        self.record(action, evidence, done_at)
        if fate == DONE:
            return
        signed_at = self.after(done_at, 2, 10)
        with _dated(signed_at):
            action_steps.sign_off(action, self.qa_lead)
        Action.objects.filter(pk=action.pk).update(signed_off_at=signed_at)

    def record(self, action, evidence, at):
        words = evidence.format(month=f"{at:%B %Y}", year=f"{at:%Y}")
        with _dated(at):
            action_steps.record_evidence(action, words, action.owner)
        Action.objects.filter(pk=action.pk).update(completed_at=at)

    def from_audits(self):
        """A few actions raised by the auditor from Inadequate and Requires Improvement audits,
        for the case itself."""
        weak = list(
            Audit.objects.filter(
                status__in=action_steps.RAISABLE_AUDIT_STATUSES,
                judgement__label__in=["Inadequate", "Requires Improvement"],
                submitted_at__lt=self.now - timedelta(days=30),
                submitted_at__gt=self.now - timedelta(days=500),
            )
            .select_related(
                "auditor",
                "judgement",
                "assessment__coordinator__line_manager",
                "assessment__coordinator__agency",
            )
            .order_by("submitted_at", "pk")
        )
        chosen = sorted(
            self.rng.sample(weak, min(AUDIT_ACTIONS, len(weak))), key=lambda a: a.submitted_at
        )
        tags = {}
        for audit_id, name in AuditTheme.objects.filter(
            audit__in=[a.pk for a in chosen]
        ).values_list("audit_id", "theme__name"):
            tags.setdefault(audit_id, []).append(name)
        for n, audit in enumerate(chosen):
            kind, title, evidence = FROM_AUDITS[n % len(FROM_AUDITS)]
            by = audit.auditor if action_steps.may_raise(audit.auditor, audit) else self.qa_lead
            coordinator = audit.assessment.coordinator
            manager = coordinator.line_manager if coordinator else None
            if manager is None or not manager.is_active:
                manager = self.people["line"]
            refs = []
            for name in tags.get(audit.pk, []):
                refs += [r for r in THEME_STANDARDS.get(name, []) if r not in refs]
            raised_at = min(
                audit.submitted_at + timedelta(hours=self.rng.randint(1, 48)), self.latest
            )
            due = timezone.localtime(raised_at).date() + timedelta(days=42)
            with _dated(raised_at):
                action = action_steps.create_action(
                    title=title,
                    action_type=kind,
                    owner=manager,
                    due_date=max(due, self.today + timedelta(days=14))
                    if raised_at > self.now - timedelta(days=60)
                    else due,
                    by=by,
                    audit=audit,
                    finding=f"The audit was judged {audit.judgement.label}.",
                    standard_refs=refs,
                    agency=coordinator.agency if coordinator else None,
                )
            Action.objects.filter(pk=action.pk).update(created_at=raised_at)
            recent = raised_at > self.now - timedelta(days=60)
            self.work(action, IN_PROGRESS if recent else SIGNED_OFF, raised_at, 42, evidence, "")


def _count(summary, today):
    status = Counter(Action.objects.values_list("status", flat=True))
    summary.actions = sum(status.values())
    summary.signed_off = Action.objects.filter(signed_off_at__isnull=False).count()
    summary.done = status[Action.Status.DONE] - summary.signed_off
    summary.in_progress = status[Action.Status.IN_PROGRESS]
    summary.open = status[Action.Status.OPEN]
    summary.cancelled = status[Action.Status.CANCELLED]
    summary.overdue = Action.objects.filter(
        status__in=action_steps.LIVE_STATUSES, due_date__lt=today
    ).count()
    summary.you_said = Action.objects.exclude(you_said="").filter(status=Action.Status.DONE).count()
    summary.recommendations = Recommendation.objects.count()
    summary.responses = AgencyResponse.objects.count()


@transaction.atomic
def load_demo_learning(seed=2026, today=None):
    """Actions and recommendations, made once: returns None when any action or recommendation
    is already there. Needs the demo partnership, audits, learning themes and voice first."""
    if Action.objects.exists() or Recommendation.objects.exists():
        return None
    started = perf_counter()
    today, now = _today_and_now(today)
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    loader = _Loader(rng, today, now)
    loader.make_recommendations()
    for plan in ACTIONS:
        loader.make_action(plan)
    loader.from_audits()
    _settle_notifications(now)
    summary = DemoLearning()
    _count(summary, today)
    summary.seconds = round(perf_counter() - started, 1)
    return summary
