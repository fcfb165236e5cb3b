"""Recommendations made to or by the CSCP Early Help group, the agencies' responses to them and
the group's decision, tracked to closed.

The rules:

- **Who.** Only the QA lead records recommendations, responses and decisions. Partnership viewers
  read them; nobody else opens them. Recommendations hold no child-level data.
- **Transitions.** open → accepted → closed, and nothing else: a recommendation is accepted once,
  closed only once accepted, and a closed recommendation is final (no new responses, no change of
  decision). Closing needs the group's decision and the day it closed, on or after the day the
  recommendation was made and not in the future.
- **Responses.** Any number, one or more per agency, while the recommendation is not closed,
  dated on or after the day it was made and not in the future.

Each change is a conditional update on the status read, so two people changing the same
recommendation at once cannot both succeed.
"""

from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from earlyhelp.accounts.roles import Role

from .models import Action, AgencyResponse, Recommendation

S = Recommendation.Status

# What each status may become.
TRANSITIONS = {
    S.OPEN: {S.ACCEPTED},
    S.ACCEPTED: {S.CLOSED},
    S.CLOSED: set(),
}


class RecommendationRefused(Exception):
    """A change this person may not make, or that the recommendation's status does not allow.
    Its message says why, in words for the page."""


def may_manage(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_role(Role.QA_LEAD)
    )


def _check_manager(user):
    if not may_manage(user):
        raise RecommendationRefused("Only the QA lead can change recommendations")


def _check_date(day, recommendation, what):
    if day > timezone.localdate():
        raise RecommendationRefused(f"{what} must be today or in the past")
    if day < recommendation.made_on:
        made = recommendation.made_on.strftime("%-d %B %Y")
        raise RecommendationRefused(f"{what} must be on or after {made}, when it was made")


def record(*, made_on, source, text, theme=None, by) -> Recommendation:
    """A new, open recommendation."""
    _check_manager(by)
    if made_on > timezone.localdate():
        raise RecommendationRefused("The date it was made must be today or in the past")
    if not text.strip():
        raise RecommendationRefused("Enter the recommendation")
    return Recommendation.objects.create(
        made_on=made_on, source=source, text=text.strip(), theme=theme, created_by=by
    )


def _move(recommendation, to, by, **fields):
    _check_manager(by)
    recommendation.refresh_from_db(fields=["status"])
    current = S(recommendation.status)
    if to not in TRANSITIONS[current]:
        if current == S.CLOSED:
            raise RecommendationRefused("This recommendation is closed and cannot be changed")
        if to == S.CLOSED:
            raise RecommendationRefused("Accept the recommendation before you close it")
        raise RecommendationRefused(f"This recommendation is already {current.label.lower()}")
    updated = Recommendation.objects.filter(pk=recommendation.pk, status=current).update(
        status=to, **fields
    )
    if not updated:  # someone else changed it between the read and this update
        raise RecommendationRefused("Someone else has just changed this recommendation")
    recommendation.refresh_from_db()
    return recommendation


@transaction.atomic
def accept(recommendation, *, decision="", by) -> Recommendation:
    """The group accepts it: open → accepted. `decision` (optional) records what it decided."""
    fields = {"decision": decision.strip()} if decision.strip() else {}
    return _move(recommendation, S.ACCEPTED, by, **fields)


@transaction.atomic
def close(recommendation, *, decision, closed_on, by) -> Recommendation:
    """The group closes it with its decision: accepted → closed. Final."""
    _check_manager(by)
    if not (decision or "").strip():
        raise RecommendationRefused("Enter the group's decision to close the recommendation")
    _check_date(closed_on, recommendation, "The date it closed")
    return _move(recommendation, S.CLOSED, by, decision=decision.strip(), closed_on=closed_on)


@transaction.atomic
def record_response(recommendation, *, agency, response, responded_on, by) -> AgencyResponse:
    """An agency's response, while the recommendation is not closed."""
    _check_manager(by)
    if not (response or "").strip():
        raise RecommendationRefused("Enter the agency's response")
    # Locks the row on databases that can, so a close and a response do not cross.
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if current.status == S.CLOSED:
        raise RecommendationRefused("This recommendation is closed and cannot be changed")
    _check_date(responded_on, current, "The date of the response")
    return AgencyResponse.objects.create(
        recommendation=current,
        agency=agency,
        response=response.strip(),
        responded_on=responded_on,
        recorded_by=by,
    )


# Reading ---------------------------------------------------------------------------------------


def listed(status=None):
    """Recommendations, newest first, with how many responses and actions each has. One query."""
    found = Recommendation.objects.select_related("theme").annotate(
        response_count=Count("responses", distinct=True),
        action_count=Count("actions", distinct=True),
    )
    if status:
        found = found.filter(status=status)
    return found.order_by("-made_on", "-pk")


def status_counts() -> dict:
    """How many recommendations are in each status, every status present (0 if none)."""
    counts = dict.fromkeys(S.values, 0)
    for row in Recommendation.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def with_details(pk):
    """One recommendation with its responses (and their agencies) and its actions (and their
    agencies and owners), in a fixed number of queries. Raises Recommendation.DoesNotExist."""
    return (
        Recommendation.objects.select_related("theme", "created_by")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=AgencyResponse.objects.select_related("agency", "recorded_by"),
            ),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("agency", "agency_type").order_by(
                    "due_date", "pk"
                ),
            ),
        )
        .get(pk=pk)
    )
