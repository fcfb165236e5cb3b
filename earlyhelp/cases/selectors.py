"""Reading EHAs: who may see which, the case list's filters and sorting, and the case page.

Object-level access lives here and only here (docs/decisions/0005): every view that shows EHAs
starts from `visible_assessments`, so one function decides what a person may see.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import dateformat, timezone
from django.utils.text import capfirst

from earlyhelp.accounts.roles import Role
from earlyhelp.core.listing import page_number as choose_page
from earlyhelp.core.months import months_before

from .models import CaseChange, EarlyHelpAssessment

CASE_LIST_PAGE_SIZE = 50

# Sort keys a person may ask for, and the columns each orders by. Anything else is ignored,
# so a tampered address can never order by a field we do not mean to expose.
SORTS = {
    "reference": "reference",
    "start_date": "start_date",
    "district": "district__name",
    "lead_agency": "lead_agency__name",
    "status": "status",
    "days_open": "open_for",
}
DEFAULT_SORT = "-start_date"

# Everything the list and the page show, fetched with the EHA in the same query.
_RELATED = ("family", "district", "lead_agency", "agency_type")


# Who may see what -------------------------------------------------------------------------------


def visible_assessments(user):
    """The EHAs this person may see. Roles add to each other; no case role means none."""
    assessments = EarlyHelpAssessment.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return assessments.none()
    if user.has_role(Role.QA_LEAD, Role.AUDITOR):
        return assessments
    rules = []
    # By the EHA's links to accounts, which follow the e-mail addresses in the data report
    # (linking.py): the coordinator's own, and for a line manager the EHAs of the people they
    # manage and those that name them as the coordinator's manager.
    if user.has_role(Role.COORDINATOR):
        rules.append(Q(coordinator=user))
    if user.has_role(Role.LINE_MANAGER):
        rules.append(Q(coordinator__line_manager=user) | Q(coordinator_manager=user))
    if not rules:
        return assessments.none()
    combined = rules[0]
    for rule in rules[1:]:
        combined |= rule
    # Every relation followed here is many-to-one, so no row can repeat and no DISTINCT is needed.
    return assessments.filter(combined)


def visibility_description(user) -> str:
    """Tells a person, in a sentence, which EHAs they see and why."""
    if user.has_role(Role.QA_LEAD, Role.AUDITOR):
        return "You see every EHA in the partnership."
    parts = []
    if user.has_role(Role.COORDINATOR):
        parts.append("the EHAs you coordinate")
    if user.has_role(Role.LINE_MANAGER):
        parts.append("the EHAs of the coordinators you manage")
    return f"You see {' and '.join(parts)}." if parts else "You see no EHAs."


# The case list ----------------------------------------------------------------------------------


_FILTERS = {
    "district": lambda value, today: Q(district=value),
    "lead_agency": lambda value, today: Q(lead_agency=value),
    "agency_type": lambda value, today: Q(agency_type=value),
    "status": lambda value, today: Q(status=value),
    "coordinator": lambda value, today: (
        Q(coordinator_name__icontains=value) | Q(coordinator_email__icontains=value)
    ),
    "open_longer_than": lambda value, today: Q(
        status=EarlyHelpAssessment.Status.OPEN, start_date__lt=months_before(today, value)
    ),
    "step_down": lambda value, today: Q(step_down_from_social_care=(value == "yes")),
    "reference": lambda value, today: (
        Q(reference__istartswith=value) | Q(family__reference__istartswith=value)
    ),
}


def has_filters(filters) -> bool:
    return any(filters.get(name) not in (None, "") for name in _FILTERS)


def _sorted(assessments, sort_key: str, today: datetime.date):
    descending = sort_key.startswith("-")
    column = SORTS.get(sort_key.lstrip("-"))
    if column is None:
        return _sorted(assessments, DEFAULT_SORT, today)
    if column == "open_for":
        # Days open, worked out by the database so that sorting covers every page.
        assessments = assessments.annotate(
            open_for=ExpressionWrapper(
                Coalesce("closure_date", Value(today)) - F("start_date"),
                output_field=DurationField(),
            )
        )
    # The reference breaks ties, so a row never moves between pages when others share a value.
    order = [f"-{column}" if descending else column, "-reference" if descending else "reference"]
    return assessments.order_by(*dict.fromkeys(order))


def filtered_case_list(user, filters):
    """The EHAs this person may see that match the filters, in the order asked for.

    `filters` is a mapping such as a filter form's cleaned data; empty values filter nothing.
    """
    today = timezone.localdate()
    assessments = visible_assessments(user).select_related(*_RELATED)
    for name, rule in _FILTERS.items():
        value = filters.get(name)
        if value not in (None, ""):
            assessments = assessments.filter(rule(value, today))
    return _sorted(assessments, filters.get("sort") or DEFAULT_SORT, today)


@dataclass(frozen=True)
class CaseList:
    page: Page
    missing_page: int | None  # the page asked for, when there is no such page
    empty_reason: str  # "", or why there is nothing to show: no_data, none_visible, no_match

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _empty_reason(filters) -> str:
    if not EarlyHelpAssessment.objects.exists():
        return "no_data"
    return "no_match" if has_filters(filters) else "none_visible"


def case_list(user, filters, page_number) -> CaseList:
    """One page of the case list, and why it is empty when it is."""
    paginator = Paginator(filtered_case_list(user, filters), CASE_LIST_PAGE_SIZE)
    number, missing = choose_page(page_number, paginator)
    page = paginator.page(number)
    empty_reason = _empty_reason(filters) if paginator.count == 0 else ""
    return CaseList(page=page, missing_page=missing, empty_reason=empty_reason)


# The case page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    date: datetime.date
    title: str
    detail: str = ""


@dataclass(frozen=True)
class FieldChange:
    when: datetime.datetime
    data_report: str
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class CasePage:
    eha: EarlyHelpAssessment
    timeline: list[TimelineEvent]
    changes: list[FieldChange]


def timeline(eha) -> list[TimelineEvent]:
    """The dated events of an EHA that are recorded, earliest first."""
    reviews = eha.number_of_reviews
    events = [
        (eha.start_date, "EHA started", ""),
        (eha.taf_meeting_date, "Team Around the Family (TAF) meeting", ""),
        (
            eha.last_review_date,
            "Last review",
            "" if reviews is None else f"{reviews} review{'s' if reviews != 1 else ''} in all",
        ),
        (eha.next_review_date, "Next review due", ""),
        (eha.closure_date, "EHA closed", eha.closure_reason),
    ]
    # sorted() is stable, so events on the same day keep the order above.
    return [
        TimelineEvent(day, title, detail)
        for day, title, detail in sorted(
            (event for event in events if event[0]), key=lambda event: event[0]
        )
    ]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown(value) -> str:
    """A value from the change history as a person reads it elsewhere on the page."""
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dateformat.format(datetime.date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    return str(value)


def _model_field(name: str):
    try:
        return EarlyHelpAssessment._meta.get_field(name)
    except FieldDoesNotExist:  # a name the model does not know is shown as it came
        return None


def _shown_for(field, value) -> str:
    # A stored code ("closed") is shown as the page shows it elsewhere ("Closed").
    if field is not None and field.choices and isinstance(value, str):
        value = dict(field.flatchoices).get(value, value)
    return _shown(value)


# Changed fields are listed in the order the facts are, whatever order the database keeps a
# JSON object's keys in (PostgreSQL's jsonb does not keep the order they were written in).
_FIELD_ORDER = {field.name: index for index, field in enumerate(EarlyHelpAssessment._meta.fields)}


def _in_field_order(names):
    return sorted(names, key=lambda name: (_FIELD_ORDER.get(name, len(_FIELD_ORDER)), name))


def _field_changes(changes) -> list[FieldChange]:
    rows = []
    for change in changes:
        for name in _in_field_order(change.changes):
            before, after = [*change.changes[name], None, None][:2]
            field = _model_field(name)
            rows.append(
                FieldChange(
                    when=change.changed_at,
                    data_report=change.data_import.file_name,
                    field=capfirst(field.verbose_name) if field else name,
                    before=_shown_for(field, before),
                    after=_shown_for(field, after),
                )
            )
    return rows


def case_page(user, pk) -> CasePage:
    """An EHA this person may see, with its timeline and change history.

    404 when the EHA does not exist *or* the person may not see it: the answer is the same, so
    nobody can learn that a reference exists by trying numbers.
    """
    eha = get_object_or_404(visible_assessments(user).select_related(*_RELATED), pk=pk)
    changes = CaseChange.objects.filter(assessment=eha).select_related("data_import")
    return CasePage(eha=eha, timeline=timeline(eha), changes=_field_changes(changes))
