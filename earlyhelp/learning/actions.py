"""Actions in response to QA findings, and who may do what with them.

The rules:

- **Who sees an action.** The QA lead sees every action; an owner their own; an agency's manager
  (`Agency.manager`) their agency's. Nobody else, whatever their role: partnership viewers read
  only the aggregate registers. `visible_actions` is the rule for lists, `may_see` for one.
- **Who updates it.** `may_update`: the owner, the manager of the action's agency, and the QA
  lead. Within that, each step says who may take it:

  ==================  ==============================  ====================================
  step                who                             from
  ==================  ==============================  ====================================
  create_action       QA lead (any owner); auditor    (new), an auditor only from an
                                                      audit of theirs that was submitted
  start               owner, agency manager, QA lead  open
  record_evidence     owner, agency manager           open, in progress -> done
  sign_off            QA lead                         done with evidence, not signed off
  send_back           QA lead                         done -> in progress (evidence not enough)
  cancel              QA lead                         open, in progress, done (not signed off)
  change_due_date     QA lead                         open, in progress
  ==================  ==============================  ====================================

  Anything else raises `ActionRefused` with a sentence that says why. Every step is recorded as
  an ActionEvent and is made on a row locked for the purpose, so two people pressing buttons at
  the same moment cannot both move it.
- **Who is told.** The owner when an action is given to them and when it is signed off; the QA
  leads when evidence is recorded. Reminders: the daily job tells owners once when an action is
  due within 7 days and once when it is overdue, per due date (a new date brings new reminders).
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.notifications import notify
from earlyhelp.core.scheduling import daily_job

from .models import Action, ActionEvent

# The roles that can reach the actions pages; an owner is chosen from people holding one.
ACTION_ROLES = (Role.QA_LEAD, Role.AUDITOR, Role.COORDINATOR, Role.LINE_MANAGER)
# An auditor raises actions from what an audit found: only once it is submitted.
RAISABLE_AUDIT_STATUSES = (Audit.Status.SUBMITTED, Audit.Status.SHARED, Audit.Status.CLOSED)
# Actions still being worked on: only these are reminded about or can be overdue.
LIVE_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)
DUE_SOON_DAYS = 7


class ActionRefused(Exception):
    """This person may not make this change to this action now; `message` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Who ------------------------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_qa_lead(user) -> bool:
    return _active(user) and user.has_role(Role.QA_LEAD)


def is_owner_or_agency_manager(user, action) -> bool:
    if not _active(user):
        return False
    if action.owner_id == user.pk:
        return True
    return action.agency_id is not None and action.agency.manager_id == user.pk


def may_update(user, action) -> bool:
    """The owner, the manager of the action's agency, the QA lead."""
    return is_qa_lead(user) or is_owner_or_agency_manager(user, action)


def may_see(user, action) -> bool:
    """The same people as may update it: the QA lead, the owner, the agency's manager."""
    return may_update(user, action)


def visible_actions(user):
    """The actions this person may see: every one for the QA lead, their own for an owner, their
    agency's for an agency manager; none for anyone else."""
    actions = Action.objects.all()
    if not _active(user):
        return actions.none()
    if user.has_role(Role.QA_LEAD):
        return actions
    return actions.filter(Q(owner=user) | Q(agency__manager=user))


def may_raise(user, audit=None) -> bool:
    """The QA lead may raise any action; an auditor only from a submitted audit of theirs."""
    if is_qa_lead(user):
        return True
    return (
        _active(user)
        and audit is not None
        and user.has_role(Role.AUDITOR)
        and audit.auditor_id == user.pk
        and audit.status in RAISABLE_AUDIT_STATUSES
    )


def possible_owners():
    """Active people who can reach the actions pages, by name."""
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=ACTION_ROLES)
        .distinct()
        .order_by("full_name", "email")
    )


def qa_leads():
    return User.objects.filter(is_active=True, role_assignments__role=Role.QA_LEAD).distinct()


def _name(user) -> str:
    return user.full_name or user.email


def action_url(action) -> str:
    return reverse("actions:detail", args=[action.pk])


# Steps ------------------------------------------------------------------------------------------


def _locked(action):
    """The action read again under a row lock, with what the rules need."""
    return Action.objects.select_for_update(of=("self",)).select_related("agency").get(pk=action.pk)


def _record(action, by, what):
    ActionEvent.objects.create(action=action, by=by, what=what[:300])


def _refresh(target, source, fields):
    for field in fields:
        setattr(target, field, getattr(source, field))


def _require_status(action, statuses, message):
    if action.status not in statuses:
        raise ActionRefused(message)


@transaction.atomic
def create_action(
    *,
    title,
    action_type,
    owner,
    due_date,
    by,
    description="",
    audit=None,
    theme=None,
    recommendation=None,
    finding="",
    you_said="",
    standard_refs=(),
    agency=None,
    agency_type=None,
    framework_version=None,
):
    """Raises a new, open action and tells its owner."""
    if not may_raise(by, audit):
        if audit is not None and _active(by) and by.has_role(Role.AUDITOR):
            raise ActionRefused("You can raise an action only from a submitted audit of yours")
        raise ActionRefused("Only the QA lead can raise this action")
    if not title.strip():
        raise ActionRefused("An action needs a title")
    if action_type not in Action.Type.values:
        raise ActionRefused("Choose the type of action from the list")
    if not owner.is_active:
        raise ActionRefused("The owner must be someone who can sign in")
    action = Action.objects.create(
        title=title.strip(),
        description=description,
        action_type=action_type,
        audit=audit,
        theme=theme,
        recommendation=recommendation,
        finding=finding,
        you_said=(you_said or "").strip(),
        standard_refs=list(standard_refs),
        owner=owner,
        agency=agency,
        agency_type=agency_type,
        due_date=due_date,
        framework_version=framework_version,
        created_by=by,
    )
    _record(action, by, f"Raised and given to {_name(owner)}, due {due_date:%-d %B %Y}")
    notify(
        "action_assigned",
        recipient=owner,
        text=f"An action has been given to you: {action.title}",
        url=action_url(action),
        key=f"action:{action.pk}:assigned",
    )
    return action


@transaction.atomic
def start(action, by):
    """Open -> in progress: the owner, the agency's manager or the QA lead says work has begun."""
    current = _locked(action)
    if not may_update(by, current):
        raise ActionRefused("Only the owner, their agency's manager or the QA lead can do this")
    _require_status(current, [Action.Status.OPEN], "Only an open action can be started")
    current.status = Action.Status.IN_PROGRESS
    current.save(update_fields=["status"])
    _record(current, by, "Started")
    _refresh(action, current, ["status"])
    return action


@transaction.atomic
def record_evidence(action, evidence, by):
    """Open or in progress -> done, with the evidence that it was done. The owner or the manager
    of its agency; the QA leads are told so that one of them can sign it off."""
    current = _locked(action)
    if not is_owner_or_agency_manager(by, current):
        raise ActionRefused("Only the owner or their agency's manager can record the evidence")
    _require_status(
        current, LIVE_STATUSES, "Evidence can be recorded only for an open or in-progress action"
    )
    if not (evidence or "").strip():
        raise ActionRefused("Enter the evidence that the action is done")
    current.status = Action.Status.DONE
    current.evidence = evidence.strip()
    current.completed_at = timezone.now()
    current.save(update_fields=["status", "evidence", "completed_at"])
    _record(current, by, "Evidence recorded and marked done")
    for lead in qa_leads():
        notify(
            "action_done",
            recipient=lead,
            text=f"An action is ready for sign-off: {current.title}",
            url=action_url(current),
            key=f"action:{current.pk}:done:{current.completed_at.isoformat()}",
        )
    _refresh(action, current, ["status", "evidence", "completed_at"])
    return action


@transaction.atomic
def sign_off(action, by):
    """The QA lead agrees that the evidence shows the action is done."""
    current = _locked(action)
    if not is_qa_lead(by):
        raise ActionRefused("Only the QA lead can sign off an action")
    if current.signed_off_at is not None:
        raise ActionRefused("This action has already been signed off")
    _require_status(current, [Action.Status.DONE], "Only an action marked done can be signed off")
    if not current.evidence.strip():
        raise ActionRefused("An action can be signed off only once its evidence is recorded")
    current.signed_off_by = by
    current.signed_off_at = timezone.now()
    current.save(update_fields=["signed_off_by", "signed_off_at"])
    _record(current, by, "Signed off: the evidence is enough")
    notify(
        "action_signed_off",
        recipient=current.owner,
        text=f"Your action has been signed off: {current.title}",
        url=action_url(current),
        key=f"action:{current.pk}:signed_off:{current.signed_off_at.isoformat()}",
    )
    _refresh(action, current, ["signed_off_by", "signed_off_at"])
    return action


@transaction.atomic
def send_back(action, reason, by):
    """Done -> in progress: the QA lead finds the evidence is not enough, and says why. The
    evidence stays, for the owner to add to."""
    current = _locked(action)
    if not is_qa_lead(by):
        raise ActionRefused("Only the QA lead can send an action back")
    if current.signed_off_at is not None:
        raise ActionRefused("A signed-off action cannot be sent back")
    _require_status(current, [Action.Status.DONE], "Only an action marked done can be sent back")
    if not (reason or "").strip():
        raise ActionRefused("Enter why the evidence is not enough")
    current.status = Action.Status.IN_PROGRESS
    current.completed_at = None
    current.save(update_fields=["status", "completed_at"])
    _record(current, by, f"Sent back: {reason.strip()}")
    notify(
        "action_sent_back",
        recipient=current.owner,
        text=f"The QA lead has sent back an action for more evidence: {current.title}",
        url=action_url(current),
        # Once per sending back: an action may be sent back more than once.
        key=f"action:{current.pk}:sent_back:{current.events.count()}",
    )
    _refresh(action, current, ["status", "completed_at"])
    return action


reopen = send_back


@transaction.atomic
def cancel(action, reason, by):
    """The QA lead cancels an action that is no longer needed, and says why."""
    current = _locked(action)
    if not is_qa_lead(by):
        raise ActionRefused("Only the QA lead can cancel an action")
    if current.status == Action.Status.CANCELLED:
        raise ActionRefused("This action has already been cancelled")
    if current.signed_off_at is not None:
        raise ActionRefused("A signed-off action cannot be cancelled")
    if not (reason or "").strip():
        raise ActionRefused("Enter why the action is cancelled")
    current.status = Action.Status.CANCELLED
    current.cancelled_reason = reason.strip()
    current.save(update_fields=["status", "cancelled_reason"])
    _record(current, by, f"Cancelled: {reason.strip()}")
    _refresh(action, current, ["status", "cancelled_reason"])
    return action


@transaction.atomic
def change_due_date(action, due_date, by):
    """The QA lead gives an open or in-progress action a new due date; its reminders follow."""
    current = _locked(action)
    if not is_qa_lead(by):
        raise ActionRefused("Only the QA lead can change the due date")
    _require_status(
        current, LIVE_STATUSES, "Only an open or in-progress action can have a new due date"
    )
    if due_date == current.due_date:
        raise ActionRefused("The new due date is the same as the current one")
    old = current.due_date
    current.due_date = due_date
    current.save(update_fields=["due_date"])
    _record(current, by, f"Due date changed from {old:%-d %B %Y} to {due_date:%-d %B %Y}")
    _refresh(action, current, ["due_date"])
    return action


# Reminders -------------------------------------------------------------------------------------


@daily_job("remind owners of actions")
def remind_owners(today: datetime.date) -> int:
    """Tells owners of open and in-progress actions once when one is due within the week and
    once when it is overdue, for each due date it has had. Running twice tells nobody twice."""
    live = Action.objects.filter(status__in=LIVE_STATUSES).select_related("owner")
    sent = 0
    soon = live.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(DUE_SOON_DAYS))
    for action in soon:
        sent += _remind(action, "action_due_soon", "due soon", "due_soon")
    for action in live.filter(due_date__lt=today):
        sent += _remind(action, "action_overdue", "overdue", "overdue")
    return sent


def _remind(action, kind, words, occasion) -> int:
    told = notify(
        kind,
        recipient=action.owner,
        text=f"An action you own is {words}: {action.title}",
        url=action_url(action),
        key=f"action:{action.pk}:{occasion}:{action.due_date.isoformat()}",
    )
    return 1 if told is not None else 0


@transaction.atomic
def record_framework_version(action, version, by):
    """A standards review names the framework version it produced, so the partnership can show
    which learning changed the standards. The QA lead, for a standards review only."""
    current = _locked(action)
    if not is_qa_lead(by):
        raise ActionRefused("Only the QA lead can record the framework version a review produced")
    if current.action_type != Action.Type.STANDARDS_REVIEW:
        raise ActionRefused("Only a standards review produces a framework version")
    if current.status == Action.Status.CANCELLED:
        raise ActionRefused("This action has been cancelled")
    current.framework_version = version
    current.save(update_fields=["framework_version"])
    _record(current, by, f"Framework version it produced: {version}")
    _refresh(action, current, ["framework_version"])
    return action
