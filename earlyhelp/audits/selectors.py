"""Reading audits for lists: who may see which audit, "My audits", the QA lead's list of all
audits with its filters, and the audits of one EHA on its case page.

Object-level access for audit lists lives here (as it does for EHAs in cases/selectors.py):
every list starts from `visible_audits`, so one function decides what a person may see.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.roles import Role

# Shared helpers of the case list; the audit lists page through results the same way.
from earlyhelp.core.listing import page_number as choose_page

from .models import Audit, AuditShare

AUDIT_LIST_PAGE_SIZE = 50

# Audits a coordinator or line manager may see, when shared with them: the feedback is given.
SHARED_STATUSES = (Audit.Status.SHARED, Audit.Status.CLOSED)
# Audits still being worked on: only these can be overdue.
OPEN_STATUSES = (Audit.Status.PLANNED, Audit.Status.IN_PROGRESS)
# Audits whose judgement is final enough to show in a list.
JUDGED_STATUSES = (Audit.Status.SUBMITTED, Audit.Status.SHARED, Audit.Status.CLOSED)

# The roles that see an audit only when it was shared with them (feedback to practitioners).
_PRACTICE_ROLES = frozenset({Role.COORDINATOR, Role.LINE_MANAGER})

# Everything a list row shows, fetched with the audit in the same query.
_RELATED = (
    "assessment",
    "assessment__district",
    "assessment__lead_agency",
    "auditor",
    "judgement",
)

# The lifecycle's order, for sorting by status (the stored codes sort alphabetically).
_STATUS_ORDER = Case(
    *[When(status=value, then=Value(index)) for index, value in enumerate(Audit.Status.values)],
    default=Value(len(Audit.Status.values)),
    output_field=IntegerField(),
)

# Sort keys a person may ask for on the list of all audits, and what each orders by. Anything
# else gives the usual order, so an edited address never orders by a field we do not expose.
SORTS = {
    "reference": "assessment__reference",
    "type": "audit_type",
    "auditor": "auditor__full_name",
    "due_date": "due_date",
    "status": "status_order",
    "judgement": "judgement__order",
    "district": "assessment__district__name",
}
DEFAULT_SORT = "-due_date"


# Who may see what -------------------------------------------------------------------------------


def _shared_with(user):
    """The audits shared with this person (an AuditShare names them), as a subquery: a
    many-valued join would repeat an audit once for each person it was shared with."""
    return AuditShare.objects.filter(person=user).values("audit_id")


def visible_audits(user):
    """The audits this person may see in a list, and open. Roles add to each other.

    The QA lead sees every audit; an auditor the audits assigned to them; a coordinator or line
    manager only the audits shared with them personally (feedback to practitioners, see
    feedback.py): not every audit of an EHA they coordinate or manage, not another
    coordinator's, and a line manager only what was shared with them as the line manager.
    Partnership viewers, data officers and administrators see none. Every audit in this list may
    be opened (`may_open` is the same rule for one audit).
    """
    audits = Audit.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return audits.none()
    if user.has_role(Role.QA_LEAD):
        return audits
    rules = []
    if user.has_role(Role.AUDITOR):
        rules.append(Q(auditor=user))
    if user.has_role(*_PRACTICE_ROLES):
        rules.append(Q(status__in=SHARED_STATUSES, pk__in=_shared_with(user)))
    if not rules:
        return audits.none()
    combined = rules[0]
    for rule in rules[1:]:
        combined |= rule
    return audits.filter(combined)


def may_open(user, audit) -> bool:
    """Whether the audit page lets this person in: the QA lead; the assigned auditor; a
    coordinator or line manager the audit was shared with (to read it, never to change it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_role(Role.QA_LEAD):
        return True
    if user.has_role(Role.AUDITOR) and audit.auditor_id == user.pk:
        return True
    return reads_as_practitioner(user, audit)


def reads_as_practitioner(user, audit) -> bool:
    """Whether this person may read the audit because it was shared with them."""
    return (
        user.has_role(*_PRACTICE_ROLES)
        and audit.status in SHARED_STATUSES
        and AuditShare.objects.filter(audit=audit, person=user).exists()
    )


# Addresses ---------------------------------------------------------------------------------------


def audit_url(pk) -> str:
    return reverse("audits:overview", args=[pk])


# What every list row carries -------------------------------------------------------------------


def _with_overdue(audits, today):
    """Marks audits still being worked on whose due date has passed, so the database can put
    them first on every page."""
    return audits.annotate(
        is_overdue=ExpressionWrapper(
            Q(due_date__lt=today, status__in=OPEN_STATUSES), output_field=BooleanField()
        )
    )


def _for_rows(audits, user=None):
    """Gives each audit what its row shows: its address (None when the person may not open
    it) and whether its judgement is given."""
    for audit in audits:
        audit.url = audit_url(audit.pk) if user is None or may_open(user, audit) else None
        audit.judgement_given = audit.status in JUDGED_STATUSES and audit.judgement_id is not None
    return audits


@dataclass(frozen=True)
class AuditList:
    page: Page
    missing_page: int | None  # the page asked for, when there is no such page
    empty_reason: str  # "", or why there is nothing to show: no_audits, no_match

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def rows(self):
        return self.page.object_list


def _paged(audits, page_number, empty_reason) -> AuditList:
    paginator = Paginator(audits, AUDIT_LIST_PAGE_SIZE)
    number, missing = choose_page(page_number, paginator)
    page = paginator.page(number)
    page.object_list = _for_rows(list(page.object_list))
    return AuditList(
        page=page,
        missing_page=missing,
        empty_reason=empty_reason() if paginator.count == 0 else "",
    )


# My audits --------------------------------------------------------------------------------------


def my_audits(user, today: datetime.date | None = None):
    """The audits assigned to this person that are not closed: overdue first, then the rest
    still to do by due date, then those already submitted, latest first."""
    today = today or timezone.localdate()
    audits = visible_audits(user).filter(auditor=user).exclude(status=Audit.Status.CLOSED)
    to_do = ExpressionWrapper(Q(status__in=OPEN_STATUSES), output_field=BooleanField())
    # Submitted audits come last, newest first: a negated date sorts them that way in one pass.
    return (
        _with_overdue(audits, today)
        .annotate(to_do=to_do)
        .select_related(*_RELATED)
        .order_by(
            "-is_overdue",
            "-to_do",
            Case(When(to_do=True, then=F("due_date")), default=None).asc(nulls_last=True),
            F("due_date").desc(),
            "assessment__reference",
            "pk",
        )
    )


def my_audits_page(user, page_number) -> AuditList:
    return _paged(my_audits(user), page_number, lambda: "no_audits")


# All audits -------------------------------------------------------------------------------------


def _month_range(first_day: datetime.date):
    year, month = divmod(first_day.year * 12 + first_day.month, 12)
    return first_day.replace(day=1), datetime.date(year, month + 1, 1)


def _month(value):
    start, end = _month_range(value)
    return Q(due_date__gte=start, due_date__lt=end)


# name -> rule for a value. Every rule filters on a stored column or a many-to-one relation.
_FILTERS = {
    "month": _month,
    "type": lambda value: Q(audit_type=value),
    "status": lambda value: Q(status=value),
    "auditor": lambda value: Q(auditor=value),
    "district": lambda value: Q(assessment__district=value),
    "lead_agency": lambda value: Q(assessment__lead_agency=value),
    # By label: each framework version has its own grades, and "Good" means Good in all of them.
    "judgement": lambda value: Q(judgement__label=value, status__in=JUDGED_STATUSES),
}


def has_filters(filters) -> bool:
    return any(filters.get(name) not in (None, "") for name in _FILTERS)


def _sorted(audits, sort_key: str):
    descending = sort_key.startswith("-")
    column = SORTS.get(sort_key.lstrip("-"))
    if column is None:
        return _sorted(audits, DEFAULT_SORT)
    if column == "status_order":
        audits = audits.annotate(status_order=_STATUS_ORDER)
    # Audits not yet judged go last whichever way; the EHA reference and the audit's number break
    # ties, so a row never moves between pages when others share a value.
    first = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    tie = "-" if descending else ""
    return audits.order_by(first, f"{tie}assessment__reference", f"{tie}pk")


def audit_list_queryset(user, filters, today: datetime.date | None = None):
    """The audits this person may see that match the filters, in the order asked for.

    `filters` is a mapping such as the filter form's cleaned data; empty values filter nothing.
    """
    today = today or timezone.localdate()
    audits = _with_overdue(visible_audits(user), today).select_related(*_RELATED)
    for name, rule in _FILTERS.items():
        value = filters.get(name)
        if value not in (None, ""):
            audits = audits.filter(rule(value))
    return _sorted(audits, filters.get("sort") or DEFAULT_SORT)


def audit_list(user, filters, page_number=None) -> AuditList:
    """One page of the list of all audits (for the QA lead), and why it is empty when it is."""

    def empty_reason():
        if has_filters(filters) and visible_audits(user).exists():
            return "no_match"
        return "no_audits"

    return _paged(audit_list_queryset(user, filters), page_number, empty_reason)


# The audits of one EHA, on its case page ---------------------------------------------------------


def audits_for_case(user, assessment):
    """The audits of this EHA that this person may see, latest due first: every audit for the
    QA lead, an auditor's own, and for a coordinator or line manager only those shared with them.

    Every row links to the audit page: `visible_audits` lists only audits its person may open
    (`may_open`), so no row needs checking again.
    """
    audits = (
        visible_audits(user)
        .filter(assessment=assessment)
        .select_related("auditor", "judgement")
        .order_by("-due_date", "-pk")
    )
    return _for_rows(list(_with_overdue(audits, timezone.localdate())))
