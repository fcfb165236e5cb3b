"""The demo after the audit: two years of escalations answered, feedback shared and responded to,
and learning themes tagged, so that the demo looks like a service that has been in use.

Made through the same services people use (escalation.acknowledge and record_response,
feedback.share and respond, learning.tag_audit, and the daily jobs that chase escalations and
close unanswered feedback). The services stamp everything with the present moment; the demo's
history needs its own dates, so each step's records are backdated afterwards, as the demo audits
are (earlyhelp/audits/demo.py `_backdate`).

Notifications of old events are marked e-mailed and read, so that starting the task worker does
not send hundreds of e-mails about the past; only the last fortnight's stay unread.

For development and demonstration only. Every response is short and plain, and never names a
child or a parent ("the family", "the child"). Drawn from `random.Random(seed)`, so the same
seed, the same day and the same audits give the same history.
"""

import random
import time as clock
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from earlyhelp.accounts.demo import demo_email
from earlyhelp.accounts.models import User
from earlyhelp.audits import escalation as escalations
from earlyhelp.audits import feedback
from earlyhelp.audits.models import (
    Audit,
    AuditEvent,
    AuditShare,
    BottomLineCheck,
    Escalation,
    StandardRating,
)
from earlyhelp.core.models import Notification
from earlyhelp.core.working_days import add_working_days, is_working_day
from earlyhelp.learning.models import AuditTheme, LearningTheme
from earlyhelp.learning.services import tag_audit

DEMO_QA_LEAD = "qa.lead"
DEMO_COORDINATOR = "coordinator"
DEMO_LINE_MANAGER = "line.manager"

RESOLVED_AFTER = timedelta(days=21)  # escalations older than this are answered and resolved
SHARED_AFTER = timedelta(days=14)  # most audits submitted before this have been shared
READ_AFTER = timedelta(days=14)  # notifications older than this have been read
EMAILED_AFTER = timedelta(days=2)  # and those older than this were e-mailed at the time
SHARE_CHANCE = 0.92  # an audit submitted more than a fortnight ago has been shared
RECENT_SHARE_CHANCE = 0.3  # one submitted in the last fortnight already has
RESPONSE_CHANCE = 0.88  # each person responds, where their time to respond has passed
EARLY_RESPONSE_CHANCE = 0.35  # each person has already responded, where it has not
SHARE_DELAY = (0, 10)  # days from submitting an audit to sharing it
DEMO_AWAITING = 2  # the demo coordinator's latest audits, shared and awaiting their response

Agreement = AuditShare.Agreement
OUTSTANDING, GOOD, RI, INADEQUATE = "Outstanding", "Good", "Requires Improvement", "Inadequate"

# --- the words --------------------------------------------------------------------------------

ESCALATION_WORDS = {
    # (response, action taken) when the audit was judged Inadequate
    "inadequate": [
        (
            "I have read the audit and discussed it with the coordinator in supervision. We "
            "agree the plan had drifted and the child's views were missing.",
            "A TAF meeting was held within two weeks and a new SMART plan agreed with the "
            "family. Reviews are booked every six weeks.",
        ),
        (
            "Discussed with the coordinator the same week. The gaps in the plan and the missed "
            "reviews are accepted.",
            "The coordinator has seen the child alone and recorded their views; the plan now "
            "reflects them and has dates and owners for each action.",
        ),
        (
            "Thank you for the audit. The coordinator's caseload was too high over the period; "
            "this has been addressed and the case reviewed with them.",
            "Caseload reduced. The case is discussed in monthly supervision until the plan is "
            "back on track.",
        ),
        (
            "We accept the findings. The assessment was written without the family and the "
            "reviews lapsed when the coordinator was off work.",
            "Genogram and chronology completed with the family; a review was held and the plan "
            "rewritten with them.",
        ),
    ],
    # when the audit raised unresolved safeguarding issues
    "safeguarding": [
        (
            "I reviewed the safeguarding concerns with the coordinator on the day we were told. "
            "We agreed a consultation with the safeguarding hub was needed.",
            "Consultation with the safeguarding hub held; a referral to children's social care "
            "was made and accepted for assessment.",
        ),
        (
            "Discussed with our designated safeguarding lead and the coordinator. The concerns "
            "should have been shared at the time and were not.",
            "Consultation with the safeguarding hub held. Advice was to continue under Early "
            "Help with a safety plan, which is now in place and reviewed every two weeks.",
        ),
        (
            "The concerns were discussed with the coordinator and the school the next morning.",
            "A risk assessment was completed with the parent and a safety plan agreed. The case "
            "is discussed in supervision every two weeks.",
        ),
    ],
}
# Acknowledged, not yet resolved: a first response, or none yet.
INTERIM_RESPONSE = (
    "Discussed with the coordinator; a TAF meeting is booked and I will update this once it has "
    "been held.",
    "TAF meeting booked with the family and the school.",
)

REFLECTIONS = {
    # (relationship, agreement, the audit was good) -> what they say
    ("coordinator", Agreement.YES, True): [
        "I agree with the judgement. It was helpful to see what is working well for the family "
        "written down.",
        "A fair picture of the work. It is good to know the child's views came through.",
        "Useful feedback; I will use it when I talk with the family about closure.",
    ],
    ("coordinator", Agreement.YES, False): [
        "The audit is fair. I knew the reviews had slipped and this has helped me plan the "
        "next steps.",
        "I agree. The plan needed updating and the child's views were not recorded since the "
        "start.",
        "A fair audit. I had not realised the genogram and chronology were not on file.",
    ],
    ("coordinator", Agreement.PARTLY, None): [
        "I agree with most of it, but some of the direct work with the child happened and had "
        "not been uploaded yet.",
        "Partly: the reviews were late because the family moved, which the file does not show.",
        "The findings on the plan are fair; the chronology was kept on paper, not on EHM.",
    ],
    ("coordinator", Agreement.NO, None): [
        "I do not agree: much of the work was recorded in case notes the audit did not cover.",
        "I think the judgement is harsh; the family's situation changed a lot over the period.",
    ],
    ("line_manager", Agreement.YES, True): [
        "I agree. This matches what I see of the coordinator's work in supervision.",
        "A fair audit, and good to see the family's progress recognised.",
    ],
    ("line_manager", Agreement.YES, False): [
        "I agree. We have gone through the audit together in supervision.",
        "A fair audit; it matches the gaps we had found in supervision.",
    ],
    ("line_manager", Agreement.PARTLY, None): [
        "Mostly fair; the coordinator's caseload over the period is part of the picture.",
        "I agree with the findings on the plan but not on the reviews, which were held.",
    ],
    ("line_manager", Agreement.NO, None): [
        "I do not agree; the case notes show more direct work with the child than the audit found.",
    ],
}
WILL_DO = {
    ("coordinator", True): [
        "Plan the step down to universal services with the family.",
        "Keep recording the child's views at each review.",
        "Share the plan with the family and ask them what they think has changed.",
    ],
    ("coordinator", False): [
        "Hold the next review within six weeks and record scaling at each meeting.",
        "Complete the genogram and the chronology with the family at the next visit.",
        "Do direct work with the child before the next review and add their views to the plan.",
        "Update the plan with dates and owners for every action.",
        "Upload the missing case notes and the review notes to EHM this week.",
    ],
    ("line_manager", True): [
        "Share the coordinator's approach at the next team meeting.",
        "Use this file as an example of good practice in the team.",
    ],
    ("line_manager", False): [
        "Review the case in supervision next month and check the plan has dates and owners.",
        "Check every open case in the team has a review booked within six weeks.",
        "Share the learning from this audit at the next team meeting.",
    ],
}
AGREEMENT = {
    OUTSTANDING: {Agreement.YES: 95, Agreement.PARTLY: 5},
    GOOD: {Agreement.YES: 80, Agreement.PARTLY: 17, Agreement.NO: 3},
    RI: {Agreement.YES: 55, Agreement.PARTLY: 35, Agreement.NO: 10},
    INADEQUATE: {Agreement.YES: 45, Agreement.PARTLY: 35, Agreement.NO: 20},
}

# What an audit found, read as learning themes: a standard rated down, a bottom line not
# evidenced. The names are the managed list's (earlyhelp/learning/migrations/0002).
THEME_FOR_STANDARD = {
    "S1.3": "Chronology missing",
    "S1.4": "Family engagement",
    "S1.5": "Genogram missing",
    "S1.8": "Voice of the child",
    "S1.11": "Safeguarding",
    "S2.1": "SMART plan",
    "S2.2": "Family engagement",
    "S2.3": "SMART plan",
    "S3.1": "Review meetings",
    "S3.2": "Review meetings",
    "S3.3": "Review meetings",
    "S3.4": "Voice of the child",
    "S3.5": "Family engagement",
    "S3.6": "Review meetings",
    "S3.7": "Review meetings",
    "S3.8": "Closure and outcomes",
    "S3.9": "Multi-agency working",
}
THEME_FOR_BOTTOM_LINE = {
    "BL2": "SMART plan",
    "BL3": "Review meetings",
    "BL4": "Voice of the child",
    "BL5": "Genogram missing",
    "BL6": "Chronology missing",
    "BL7": "Family engagement",
}
RATING_WEIGHT = {"not-met": 3, "partly-met": 1}
MISSING_BOTTOM_LINE_WEIGHT = 3
CERTAIN = 100  # a theme with this weight is always chosen
# How many themes an auditor gives an audit of each judgement: (fewest, most).
THEME_COUNT = {OUTSTANDING: (1, 1), GOOD: (1, 2), RI: (2, 3), INADEQUATE: (2, 3)}
OVERSIGHT = "Management oversight"  # added by the QA lead when moderating an Inadequate audit

# --- the summary ------------------------------------------------------------------------------


@dataclass
class AfterAudit:
    escalations_open: int = 0
    escalations_acknowledged: int = 0
    escalations_resolved: int = 0
    audits_shared: int = 0
    responses: int = 0
    awaiting_response: int = 0
    audits_closed: int = 0
    themes: int = 0
    audits_tagged: int = 0
    unread_notifications: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.escalations_resolved} escalations resolved, "
            f"{self.escalations_acknowledged} acknowledged and {self.escalations_open} open; "
            f"{self.audits_shared} audits shared ({self.responses} responses, "
            f"{self.awaiting_response} awaiting, {self.audits_closed} audits closed); "
            f"{self.themes} learning themes on {self.audits_tagged} audits"
        )


# --- dates ------------------------------------------------------------------------------------


def _moment(day, rng):
    """A working-hours moment of the first working day from `day`."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59))))


def _later(after, rng, low, high, latest):
    """A working-hours moment `low` to `high` days after `after` (and after it), no later than
    `latest`; None when there is no time between them."""
    if latest <= after + timedelta(minutes=5):
        return None
    day = timezone.localtime(after).date() + timedelta(days=rng.randint(low, high))
    moment = _moment(day, rng)
    if moment <= after:
        moment = after + timedelta(minutes=rng.randint(20, 180))
    return min(moment, latest)


def _morning_job(day, now):
    """When the daily jobs ran on `day`."""
    at = timezone.make_aware(datetime.combine(day, time(settings.DAILY_JOBS_HOUR, 5)))
    return min(at, now)


def _last_pk(model):
    return model.objects.aggregate(last=Max("pk"))["last"] or 0


@contextmanager
def _dated(at):
    """Backdates what the services write inside the block, the history and the notifications,
    to `at`."""
    last_event, last_notification = _last_pk(AuditEvent), _last_pk(Notification)
    yield
    AuditEvent.objects.filter(pk__gt=last_event).update(at=at)
    Notification.objects.filter(pk__gt=last_notification).update(created_at=at)


def _settle_notifications(now):
    """What was told long ago was e-mailed then and has been read since: the task worker skips a
    notification already e-mailed, and only the last fortnight's stay unread."""
    Notification.objects.filter(created_at__lt=now - EMAILED_AFTER, emailed_at__isnull=True).update(
        emailed_at=F("created_at") + timedelta(minutes=2)
    )
    Notification.objects.filter(
        created_at__lt=now - READ_AFTER, read_at__isnull=True, recipient__isnull=False
    ).update(read_at=F("created_at") + timedelta(hours=2))


# --- escalations ------------------------------------------------------------------------------


def _split(escalations_newest_first, now):
    """How many of the escalations, newest first, stay open and how many are acknowledged but
    not resolved; the rest are resolved. Those of the last three weeks stay open, and so do the
    latest few, so that the register has something to do; a couple are part-way."""
    total = len(escalations_newest_first)
    recent = sum(e.created_at >= now - RESOLVED_AFTER for e in escalations_newest_first)
    still_open = max(recent, min(3, max(1, total // 6)))
    if recent < total:  # leave room for one acknowledged and one resolved where there are enough
        still_open = min(still_open, max(recent, total - 2))
    still_open = min(still_open, total)
    left = total - still_open
    acknowledged = min(2, left - 1) if left >= 2 else 0
    return still_open, acknowledged


def _answerer(escalation, qa_lead):
    """The line manager it was made to, or the QA lead on behalf of a manager without an account."""
    manager = escalation.line_manager
    if manager is not None and escalations.may_record(manager, escalation):
        return manager
    return qa_lead


def _words(rng, escalation):
    return rng.choice(
        ESCALATION_WORDS["safeguarding" if escalation.unresolved_safeguarding else "inadequate"]
    )


def _answer_escalations(rng, now, qa_lead):
    waiting = list(
        Escalation.objects.filter(status=Escalation.Status.OPEN)
        .select_related("audit__assessment", "audit__auditor", "line_manager")
        .order_by("-audit__submitted_at", "-pk")
    )
    # Made when its audit was submitted (the demo audits were submitted today, then backdated).
    for escalation in waiting:
        made = escalation.audit.submitted_at
        Escalation.objects.filter(pk=escalation.pk).update(created_at=made)
        AuditEvent.objects.filter(
            audit_id=escalation.audit_id, kind=AuditEvent.Kind.ESCALATED
        ).update(at=made)
        Notification.objects.filter(key__startswith=f"escalation:{escalation.pk}:").update(
            created_at=made
        )
        escalation.created_at = made
    still_open, part_way = _split(waiting, now)
    latest = now - timedelta(hours=1)
    for n, escalation in enumerate(waiting):
        if n < still_open:
            continue
        by = _answerer(escalation, qa_lead)
        acknowledged_at = _later(escalation.created_at, rng, 1, 3, latest)
        if acknowledged_at is None:
            continue
        if n < still_open + part_way:
            with _dated(acknowledged_at):
                escalations.acknowledge(escalation, by)
            if n == still_open + part_way - 1 and part_way > 1:
                answered_at = _later(acknowledged_at, rng, 2, 6, latest) or acknowledged_at
                with _dated(answered_at):
                    escalations.record_response(escalation, by, *INTERIM_RESPONSE, resolved=False)
            Escalation.objects.filter(pk=escalation.pk).update(acknowledged_at=acknowledged_at)
            continue
        response, action_taken = _words(rng, escalation)
        if rng.random() < 0.25:  # acknowledged, answered and resolved at once
            resolved_at = acknowledged_at
        else:
            resolved_at = _later(acknowledged_at, rng, 2, 15, latest) or acknowledged_at
            with _dated(acknowledged_at):
                escalations.acknowledge(escalation, by)
        with _dated(resolved_at):
            escalations.record_response(escalation, by, response, action_taken, resolved=True)
        Escalation.objects.filter(pk=escalation.pk).update(
            acknowledged_at=acknowledged_at, resolved_at=resolved_at
        )


def _chase_the_open_ones(today, now):
    """The daily job has chased the escalations still open, and raised the old ones to the QA
    lead, on the days it would have."""
    escalations.chase_unacknowledged(today)
    limit = escalations.chase_after()
    chased = Escalation.objects.filter(status=Escalation.Status.OPEN, chased_at__isnull=False)
    for escalation in chased:
        made = timezone.localdate(escalation.created_at)
        chased_at = _morning_job(add_working_days(made, limit), now)
        changes = {"chased_at": chased_at}
        Notification.objects.filter(key__startswith=f"escalation:{escalation.pk}:chase:").update(
            created_at=chased_at
        )
        if escalation.raised_at is not None:
            changes["raised_at"] = _morning_job(add_working_days(made, 2 * limit), now)
            Notification.objects.filter(
                key__startswith=f"escalation:{escalation.pk}:raised:"
            ).update(created_at=changes["raised_at"])
        Escalation.objects.filter(pk=escalation.pk).update(**changes)


# --- feedback ---------------------------------------------------------------------------------


def _grade(audit):
    return audit.judgement.label if audit.judgement else GOOD


def _response(rng, share, grade):
    relationship = share.relationship
    if relationship not in ("coordinator", "line_manager"):
        relationship = "line_manager"  # the lead agency's manager speaks as a manager
    agrees = rng.choices(list(AGREEMENT[grade]), weights=list(AGREEMENT[grade].values()))[0]
    good = grade in (OUTSTANDING, GOOD)
    key = (relationship, agrees, good if agrees == Agreement.YES else None)
    reflection = rng.choice(REFLECTIONS[key])
    will_do = rng.choice(WILL_DO[(relationship, good and agrees == Agreement.YES)])
    return agrees, reflection, will_do


def _demo_awaiting(audits):
    """The demo coordinator's latest audits, which stay shared and awaiting their response."""
    coordinator = demo_email(DEMO_COORDINATOR)
    theirs = [a for a in audits if _coordinator_email(a) == coordinator]
    return {audit.pk for audit in theirs[-DEMO_AWAITING:]}


def _coordinator_email(audit):
    eha = audit.assessment
    return (eha.coordinator.email if eha.coordinator else eha.coordinator_email).lower()


def _share_and_respond(rng, audits, today, now):
    still_open_from = feedback.close_after(today)  # shared since then, the time to respond runs
    latest = now - timedelta(minutes=30)
    demo_people = {demo_email(DEMO_COORDINATOR), demo_email(DEMO_LINE_MANAGER)}
    awaiting = _demo_awaiting(audits)
    for audit in audits:
        demo_case = _coordinator_email(audit) == demo_email(DEMO_COORDINATOR)
        if demo_case:
            chance = 1
        elif audit.submitted_at < now - SHARED_AFTER:
            chance = SHARE_CHANCE
        else:
            chance = RECENT_SHARE_CHANCE
        if rng.random() >= chance:
            continue
        shared_at = _later(audit.submitted_at, rng, *SHARE_DELAY, latest)
        if audit.pk in awaiting and (shared_at is None or shared_at < still_open_from):
            # Shared late, after moderation: still within its time to respond.
            recently = max(audit.submitted_at, now - timedelta(days=12))
            shared_at = _later(recently, rng, 0, 9, latest)
        if shared_at is None:
            continue
        try:
            with _dated(shared_at):
                shares = feedback.share(audit, audit.auditor)
        except feedback.FeedbackRefused:
            continue  # nobody with an account to tell
        Audit.objects.filter(pk=audit.pk).update(shared_at=shared_at)
        AuditShare.objects.filter(audit=audit).update(shared_at=shared_at)
        running = shared_at >= still_open_from
        respond_by = latest if running else shared_at + timedelta(days=26)
        answers = []
        for share in shares:
            share.shared_at = shared_at
            if audit.pk in awaiting:
                answers.append((None, share))
                continue
            demo_person = share.person.email.lower() in demo_people and not running
            if demo_person or rng.random() < (
                EARLY_RESPONSE_CHANCE if running else RESPONSE_CHANCE
            ):
                answers.append((_later(shared_at, rng, 1, 20, respond_by), share))
            else:
                answers.append((None, share))
        # In the order they responded, so that the last one closes the audit at its own moment.
        for at, share in sorted(answers, key=lambda pair: (pair[0] is None, pair[0] or now)):
            if at is None:
                _maybe_read(rng, share, respond_by)
                continue
            agrees, reflection, will_do = _response(rng, share, _grade(audit))
            with _dated(at):
                feedback.respond(
                    share=share,
                    by=share.person,
                    agrees=agrees,
                    reflection=reflection,
                    will_do=will_do,
                )
            read_at = max(shared_at + timedelta(minutes=5), at - timedelta(days=rng.randint(0, 2)))
            AuditShare.objects.filter(pk=share.pk).update(responded_at=at, first_read_at=read_at)
            Audit.objects.filter(pk=audit.pk, status=Audit.Status.CLOSED).update(closed_at=at)


def _maybe_read(rng, share, latest):
    """Some of those who have not responded have read it."""
    if rng.random() < 0.5:
        return
    at = _later(share.shared_at, rng, 0, 3, latest)
    if at is not None and feedback.record_first_read(share):
        AuditShare.objects.filter(pk=share.pk).update(first_read_at=at)


def _close_the_unanswered(today, now):
    """The daily job has closed, on the day it would have, every audit whose time to respond
    has passed."""
    due = list(
        Audit.objects.filter(
            status=Audit.Status.SHARED, shared_at__lt=feedback.close_after(today)
        ).values_list("pk", "shared_at")
    )
    feedback.close_unanswered(today)
    for pk, shared_at in due:
        closed_at = _morning_job(feedback.closes_on(shared_at), now)
        Audit.objects.filter(pk=pk, status=Audit.Status.CLOSED).update(closed_at=closed_at)
        AuditEvent.objects.filter(audit_id=pk, kind=AuditEvent.Kind.CLOSED).update(at=closed_at)


# --- learning themes --------------------------------------------------------------------------


def _findings(audits):
    """{audit pk: Counter(theme name -> weight)} from what each audit found."""
    pks = [audit.pk for audit in audits]
    found = defaultdict(Counter)
    ratings = StandardRating.objects.filter(
        audit_id__in=pks, rating__ref_id__in=list(RATING_WEIGHT)
    ).values_list("audit_id", "standard__ref_id", "rating__ref_id")
    for audit_id, standard, rating in ratings:
        if standard in THEME_FOR_STANDARD:
            found[audit_id][THEME_FOR_STANDARD[standard]] += RATING_WEIGHT[rating]
    missing = BottomLineCheck.objects.filter(audit_id__in=pks, evidenced=False).values_list(
        "audit_id", "bottom_line__ref_id"
    )
    for audit_id, bottom_line in missing:
        if bottom_line in THEME_FOR_BOTTOM_LINE:
            found[audit_id][THEME_FOR_BOTTOM_LINE[bottom_line]] += MISSING_BOTTOM_LINE_WEIGHT
    for audit in audits:
        grade = _grade(audit)
        if audit.unresolved_safeguarding:
            found[audit.pk]["Safeguarding"] += CERTAIN
        if audit.audit_type == Audit.Type.DRIFT:
            found[audit.pk]["Drift and delay"] += 10 if grade in (RI, INADEQUATE) else 1
        weak = grade in (RI, INADEQUATE)
        if (
            weak
            and audit.audit_type == Audit.Type.THEMED
            and audit.assessment.step_down_from_social_care
        ):
            found[audit.pk]["Step-down"] += 2
    return found


def _tag(rng, audits, qa_lead, now):
    themes = {theme.name: theme for theme in LearningTheme.objects.filter(is_active=True)}
    found = _findings(audits)
    latest = now - timedelta(minutes=30)
    for audit in audits:
        weights = {name: w for name, w in found[audit.pk].items() if name in themes}
        if not weights:
            continue  # nothing to learn from: an Outstanding audit, most often
        grade = _grade(audit)
        low, high = THEME_COUNT.get(grade, (1, 2))
        count = min(rng.randint(low, high), len(weights))
        # Weighted, without repeats: what was found most often is most likely to be chosen, and
        # what the audit raised itself (unresolved safeguarding) always is.
        ranked = sorted(
            weights,
            key=lambda name: (weights[name] >= CERTAIN, rng.random() ** (1 / weights[name])),
            reverse=True,
        )
        chosen = [themes[name] for name in ranked[:count]]
        tagged_at = min(audit.submitted_at + timedelta(minutes=rng.randint(2, 30)), latest)
        tag_audit(audit, chosen, audit.auditor)
        AuditTheme.objects.filter(audit=audit).update(tagged_at=tagged_at)
        oversight = themes.get(OVERSIGHT)
        if grade == INADEQUATE and oversight and len(chosen) < 3 and rng.random() < 0.7:
            moderated_at = _later(audit.submitted_at, rng, 2, 10, latest)
            if moderated_at is not None:
                tag_audit(audit, [*chosen, oversight], qa_lead)
                AuditTheme.objects.filter(audit=audit, theme=oversight).update(
                    tagged_at=moderated_at
                )


# --- the whole load ---------------------------------------------------------------------------


def _today_and_now(today):
    if today is None:
        return timezone.localdate(), timezone.now()
    evening = timezone.make_aware(datetime.combine(today, time(17, 30)))
    return today, min(evening, timezone.now())


def _count(summary, now):
    status = Counter(Escalation.objects.values_list("status", flat=True))
    summary.escalations_open = status[Escalation.Status.OPEN]
    summary.escalations_acknowledged = status[Escalation.Status.ACKNOWLEDGED]
    summary.escalations_resolved = status[Escalation.Status.RESOLVED]
    summary.audits_shared = Audit.objects.filter(shared_at__isnull=False).count()
    summary.responses = AuditShare.objects.filter(responded_at__isnull=False).count()
    summary.awaiting_response = AuditShare.objects.filter(
        responded_at__isnull=True, audit__status=Audit.Status.SHARED
    ).count()
    summary.audits_closed = Audit.objects.filter(status=Audit.Status.CLOSED).count()
    summary.themes = AuditTheme.objects.count()
    summary.audits_tagged = AuditTheme.objects.values("audit").distinct().count()
    summary.unread_notifications = Notification.objects.filter(
        read_at__isnull=True, recipient__isnull=False
    ).count()


@transaction.atomic
def load_demo_after_audit(seed=2026, today=None):
    """What happened after the demo audits, made once: returns None when it has been done (any
    audit shared or tagged with a theme). Needs the demo audits first."""
    if AuditShare.objects.exists() or AuditTheme.objects.exists():
        return None
    started = clock.perf_counter()
    today, now = _today_and_now(today)
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    qa_lead = User.objects.filter(email=demo_email(DEMO_QA_LEAD)).first()
    audits = list(
        Audit.objects.filter(status=Audit.Status.SUBMITTED, submitted_at__isnull=False)
        .select_related("assessment__coordinator", "judgement", "auditor")
        .order_by("submitted_at", "pk")
    )
    summary = AfterAudit()
    if audits and qa_lead is None:
        raise RuntimeError("The demo after the audit needs the demo partnership first.")
    if audits:
        _answer_escalations(rng, now, qa_lead)
        _chase_the_open_ones(today, now)
        _share_and_respond(rng, audits, today, now)
        _close_the_unanswered(today, now)
        _tag(rng, audits, qa_lead, now)
        _settle_notifications(now)
    _count(summary, now)
    summary.seconds = round(clock.perf_counter() - started, 1)
    return summary
