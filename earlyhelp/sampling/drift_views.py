"""The drift worklist, one drifting EHA's page, and the four things an officer records about it:
a drift-triggered audit, a contact with the coordinator, a dismissed reason, and a TAF's request
for additional support. The rules themselves are in drift.py.

Who: auditors (Early Help Officers) and the QA lead, who see every EHA. The QA lead assigns a
drift-triggered audit to any auditor; an auditor creates one for themselves.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.audits.selectors import may_open
from earlyhelp.audits.services import audit_in_progress
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.cases.selectors import visible_assessments
from earlyhelp.core.access_log import record_view
from earlyhelp.core.listing import page_number, pagination, sort_headers, url_with

from . import drift
from .drift_forms import (
    DEFAULT_SORT,
    DriftAuditForm,
    DriftContactForm,
    DriftDismissForm,
    DriftFilterForm,
    TafRequestForm,
)
from .models import DriftContact, TafSupportRequest

DRIFT_ROLES = (Role.QA_LEAD, Role.AUDITOR)
PAGE_SIZE = 50

# The worklist's columns: (heading, sort key or None when it cannot be sorted).
COLUMNS = [
    ("EHA reference", "reference"),
    ("Reasons and days overdue", "overdue"),
    ("District", "district"),
    ("Lead agency", "lead_agency"),
    ("Start date", "start_date"),
    ("Last review", "last_review"),
    ("Latest contact with the coordinator", None),
]


def _plural(number, word):
    return f"{number:,} {word}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class Reason:
    rule: drift.Rule
    days: int | None  # past the rule's limit; for a TAF's request, since the TAF asked

    @property
    def how_long(self) -> str:
        if self.days is None:
            return ""
        if self.rule.code == drift.TAF_SUPPORT:
            return "asked today" if self.days <= 0 else f"asked {_plural(self.days, 'day')} ago"
        return f"{_plural(self.days, 'day')} overdue"


def _taf_asked_on():
    """When the TAF's oldest request still waiting for an answer was made."""
    return Subquery(
        TafSupportRequest.objects.filter(assessment=OuterRef("pk"), resolved_at__isnull=True)
        .order_by("requested_on")
        .values("requested_on")[:1]
    )


def _reasons(annotated, today) -> list[Reason]:
    """The reasons an EHA annotated by `drift.with_drift` (and `taf_asked_on`) is drifting on."""
    reasons = []
    for rule in drift.rules():
        if not getattr(annotated, f"drift_{rule.code}", False):
            continue
        if rule.code == drift.TAF_SUPPORT:
            asked = annotated.taf_asked_on
            days = (today - asked).days if asked else None
        else:
            days = drift.how_overdue(annotated, rule.code, today)
        reasons.append(Reason(rule, days))
    return reasons


# The worklist -----------------------------------------------------------------------------------


@dataclass
class WorkItem:
    """One drifting EHA on the worklist, from one row of the worklist's single query."""

    pk: int
    reference: str
    district: str
    lead_agency: str
    start_date: datetime.date
    taf_meeting_date: datetime.date | None
    last_review_date: datetime.date | None
    taf_asked_on: datetime.date | None
    flags: dict
    reasons: list = field(default_factory=list)
    latest_contact: DriftContact | None = None
    audit: Audit | None = None  # an audit in progress

    def __getattr__(self, name):
        # drift.reasons_of and _reasons read the rules' flags as drift_<code> attributes.
        if name.startswith("drift_"):
            return self.__dict__.get("flags", {}).get(name, False)
        raise AttributeError(name)

    @property
    def overdue(self) -> int:
        return max((reason.days or 0 for reason in self.reasons), default=0)


_SORT_KEYS = {
    "overdue": lambda item: (item.overdue, item.reference),
    "reference": lambda item: item.reference,
    "district": lambda item: (item.district, item.reference),
    "lead_agency": lambda item: (item.lead_agency, item.reference),
    "start_date": lambda item: (item.start_date, item.reference),
    # Never reviewed comes before any review.
    "last_review": lambda item: (item.last_review_date or datetime.date.min, item.reference),
}


def _work_items(user, filters, today) -> list[WorkItem]:
    """Every drifting EHA this person may see in the chosen district and agency: one query,
    however many there are. The reason filter is applied afterwards, so that the counts per
    reason can be made from the same rows."""
    flags = [f"drift_{rule.code}" for rule in drift.rules()]
    assessments = drift.with_drift(visible_assessments(user), today)
    if filters.get("district"):
        assessments = assessments.filter(district=filters["district"])
    if filters.get("lead_agency"):
        assessments = assessments.filter(lead_agency=filters["lead_agency"])
    rows = (
        assessments.annotate(taf_asked_on=_taf_asked_on())
        .order_by()
        .values_list(
            "pk",
            "reference",
            "district__name",
            "lead_agency__name",
            "start_date",
            "taf_meeting_date",
            "last_review_date",
            "taf_asked_on",
            *flags,
        )
    )
    items = []
    for row in rows:
        item = WorkItem(*row[:8], flags=dict(zip(flags, row[8:], strict=True)))
        item.reasons = _reasons(item, today)
        items.append(item)
    return items


def _fill_page(items):
    """The latest contact and any audit in progress, for the EHAs on this page only."""
    pks = [item.pk for item in items]
    latest = DriftContact.objects.filter(
        assessment_id__in=pks,
        pk=Subquery(
            DriftContact.objects.filter(assessment=OuterRef("assessment"))
            .order_by("-contacted_on", "-pk")
            .values("pk")[:1]
        ),
    )
    contacts = {contact.assessment_id: contact for contact in latest}
    audits = {}
    in_progress = Audit.objects.filter(
        assessment_id__in=pks, status__in=[Audit.Status.PLANNED, Audit.Status.IN_PROGRESS]
    ).order_by("-due_date")
    for audit in in_progress:
        audits[audit.assessment_id] = audit  # the earliest due date wins, as audit_in_progress
    for item in items:
        item.latest_contact = contacts.get(item.pk)
        item.audit = audits.get(item.pk)


def _count_text(paginated):
    if paginated.count == 1:
        return "Showing 1 drifting EHA"
    return (
        f"Showing {paginated.start_index():,} to {paginated.end_index():,} of "
        f"{paginated.paginator.count:,} drifting EHAs"
    )


@roles_required(*DRIFT_ROLES)
def worklist(request):
    form = DriftFilterForm(request.GET)
    context = {"form": form, "rules": drift.rules()}
    if not form.is_valid():
        # The filters are shown again with what is wrong; no list until they make sense.
        return render(request, "sampling/drift_worklist.html", context)
    filters = form.cleaned_data
    today = timezone.localdate()
    items = _work_items(request.user, filters, today)
    summary = [
        {
            "rule": rule,
            "count": sum(1 for item in items if item.flags[f"drift_{rule.code}"]),
            "url": url_with(request.GET, reason=rule.code, page=None),
        }
        for rule in drift.rules()
    ]
    drifting = len(items)  # in the district and agency chosen, whatever the reason
    if filters["reason"]:
        items = [item for item in items if item.flags[f"drift_{filters['reason']}"]]
    sort = filters["sort"] or DEFAULT_SORT
    items.sort(key=_SORT_KEYS[sort.lstrip("-")], reverse=sort.startswith("-"))
    paginator = Paginator(items, PAGE_SIZE)
    number, missing = page_number(request.GET.get("page"), paginator)
    paginated = paginator.page(number)
    _fill_page(paginated.object_list)
    filtered = any(filters.get(name) for name in ("district", "lead_agency", "reason"))
    context.update(
        page=paginated,
        missing_page=missing,
        count=paginator.count,
        count_text=_count_text(paginated) if paginator.count else "",
        summary=summary,
        drifting=drifting,
        filtered=filtered,
        headers=sort_headers(request.GET, sort, COLUMNS),
        pagination=pagination(request.GET, paginated),
        sort=sort,
    )
    return render(request, "sampling/drift_worklist.html", context)


# One EHA's drift page ---------------------------------------------------------------------------


def _eha_for(request, pk):
    """An EHA this person may see; 404 otherwise, so that nobody learns which exist."""
    return get_object_or_404(
        visible_assessments(request.user).select_related(
            "family", "district", "lead_agency", "agency_type"
        ),
        pk=pk,
    )


def current_reasons(eha, today) -> list[Reason]:
    """What the EHA is drifting on today, dismissed reasons left out; [] when it is not."""
    annotated = (
        drift.with_drift(EarlyHelpAssessment.objects.filter(pk=eha.pk), today)
        .annotate(taf_asked_on=_taf_asked_on())
        .first()
    )
    return _reasons(annotated, today) if annotated is not None else []


@dataclass(frozen=True)
class Dismissal:
    record: object
    label: str
    state: str  # whether it still holds, in words


def _dismissals(eha):
    labels = drift.rule_labels()
    shown = []
    for dismissal in eha.drift_dismissals.select_related("dismissed_by"):
        if dismissal.rule == drift.TAF_SUPPORT:
            state = "The TAF's request was marked as answered"
        elif dismissal.source_hash == eha.source_hash:
            state = "Holds until the EHA's data changes in a data report"
        else:
            state = "No longer holds: the EHA's data has changed since"
        shown.append(Dismissal(dismissal, labels.get(dismissal.rule, dismissal.rule), state))
    return shown


@roles_required(*DRIFT_ROLES)
def item(request, pk):
    eha = _eha_for(request, pk)
    # Child-level record: every view is logged, who and when, before the page is shown.
    record_view(request=request, record_type="eha", record_id=eha.pk, record_label=eha.reference)
    audit = audit_in_progress(eha)
    return render(
        request,
        "sampling/drift_item.html",
        {
            "eha": eha,
            "reasons": current_reasons(eha, timezone.localdate()),
            "contacts": eha.drift_contacts.select_related("recorded_by"),
            "dismissals": _dismissals(eha),
            "taf_requests": eha.taf_support_requests.select_related("recorded_by"),
            "audit": audit,
            "may_open_audit": audit is not None and may_open(request.user, audit),
        },
    )


# What officers record ---------------------------------------------------------------------------


def _action(request, eha, form, **page):
    """One small page: a heading, what it is for, the form and its button."""
    return render(request, "sampling/drift_action.html", {"eha": eha, "form": form, **page})


def _data(request):
    return request.POST if request.method == "POST" else None


def _auditors():
    return User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR).distinct()


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


@roles_required(*DRIFT_ROLES)
def create_audit(request, pk):
    eha = _eha_for(request, pk)
    chooses_auditor = request.user.has_role(Role.QA_LEAD)
    form = DriftAuditForm(_data(request), auditors=_auditors() if chooses_auditor else None)
    in_progress = audit_in_progress(eha)
    if in_progress is None and form.is_bound and form.is_valid():
        auditor = form.cleaned_data["auditor"] if chooses_auditor else request.user
        due = form.cleaned_data["due_date"]
        try:
            drift.create_drift_audit(eha, auditor=auditor, due_date=due, by=request.user)
        except drift.DriftError as error:
            form.add_error(None, str(error))
        else:
            whom = "you" if auditor == request.user else str(auditor)
            messages.success(
                request,
                f"A drift-triggered audit of {eha.reference} has been assigned to {whom}, "
                f"due {_long_date(due)}",
            )
            return redirect("drift:item", pk=eha.pk)
    blocked = ""
    if in_progress is not None:
        blocked = (
            f"{eha.reference} already has an audit in progress, due "
            f"{_long_date(in_progress.due_date)}, with {in_progress.auditor}. "
            "There can be one audit in progress at a time."
        )
    return _action(
        request,
        eha,
        form,
        title="Create a drift-triggered audit",
        intro=[
            "The audit uses the standards in force today. It appears in the auditor's list "
            "of audits.",
            "Choose the auditor and the date it is due."
            if chooses_auditor
            else "The audit will be assigned to you. The QA lead can assign drift-triggered "
            "audits to other auditors.",
        ],
        blocked=blocked,
        button="Create the audit",
    )


@roles_required(*DRIFT_ROLES)
def record_contact(request, pk):
    eha = _eha_for(request, pk)
    form = DriftContactForm(_data(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            drift.record_contact(
                eha,
                contacted_on=data["contacted_on"],
                outcome=data["outcome"],
                next_step=data["next_step"],
                by=request.user,
                today=timezone.localdate(),
            )
        except drift.DriftError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your contact with the coordinator has been recorded")
            return redirect("drift:item", pk=eha.pk)
    coordinator = eha.coordinator_name or eha.coordinator_email or "not recorded"
    return _action(
        request,
        eha,
        form,
        title="Record contact with the coordinator",
        intro=[
            f"The coordinator in the data report is {coordinator}.",
            "Record what you found out about whether the plan is making a difference for the "
            "family. The latest contact shows on the drift worklist.",
        ],
        button="Record the contact",
    )


@roles_required(*DRIFT_ROLES)
def dismiss(request, pk):
    eha = _eha_for(request, pk)
    reasons = current_reasons(eha, timezone.localdate())
    form = DriftDismissForm(_data(request), reasons=[reason.rule for reason in reasons])
    if reasons and form.is_bound and form.is_valid():
        rule = form.cleaned_data["rule"]
        try:
            drift.dismiss(eha, rule=rule, reason=form.cleaned_data["reason"], by=request.user)
        except drift.DriftError as error:
            form.add_error(None, str(error))
        else:
            if rule == drift.TAF_SUPPORT:
                done = "The TAF's request for additional support has been marked as answered"
            else:
                done = (
                    f"“{drift.rule_labels()[rule]}” has been dismissed until the EHA's data changes"
                )
            messages.success(request, done)
            return redirect("drift:item", pk=eha.pk)
    return _action(
        request,
        eha,
        form,
        title="Dismiss a reason",
        intro=[
            "Dismiss a reason when you have checked and the plan is not drifting for that "
            "reason, for example because EHM is behind.",
            "The reason stays off the worklist until the EHA's data changes in a later data "
            "report. If it still applies then, it comes back.",
        ],
        blocked=""
        if reasons
        else f"{eha.reference} is not drifting now: there is nothing to dismiss.",
        button="Dismiss the reason",
    )


@roles_required(*DRIFT_ROLES)
def record_taf_request(request, pk):
    eha = _eha_for(request, pk)
    form = TafRequestForm(_data(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            drift.record_taf_request(
                eha,
                requested_on=data["requested_on"],
                note=data["note"],
                by=request.user,
                today=timezone.localdate(),
            )
        except drift.DriftError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The TAF's request for additional support has been recorded")
            return redirect("drift:item", pk=eha.pk)
    return _action(
        request,
        eha,
        form,
        title="Record a TAF request for additional support",
        intro=[
            "Record it when the Team Around the Family asks for additional support because "
            "they feel progress is not being made.",
            "An open EHA with a request not yet answered is on the drift worklist. Answer it "
            "by dismissing that reason, with what was done."
            if eha.is_open
            else f"{eha.reference} is closed, so the request will not put it on the worklist.",
        ],
        button="Record the request",
    )
