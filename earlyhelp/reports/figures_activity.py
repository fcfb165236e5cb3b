"""The quarterly report's figures from what the service did: escalations, drift, actions and
learning themes. A fixed number of queries each, whatever the amount of data."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from earlyhelp.audits.models import Audit, Escalation
from earlyhelp.core.local_days import midnight_after, on_days
from earlyhelp.core.working_days import working_days_between
from earlyhelp.learning.findings import Findings
from earlyhelp.learning.models import Action
from earlyhelp.sampling.models import DriftContact, DriftNotice
from earlyhelp.voice.results import Period

from .document import Chart, Section, Series, Table
from .figures_tables import counted, was
from .statistics import median


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


# Escalations -------------------------------------------------------------------------------------


NONE_ACKNOWLEDGED = "None acknowledged"


def _or_none_acknowledged(days):
    return NONE_ACKNOWLEDGED if days is None else days


def escalations_section(period: Period) -> Section:
    """Escalations raised in the period and how long line managers took to acknowledge them, in
    working days (Monday to Friday, less bank holidays) and in calendar days. One query: the
    escalations of a quarter are a handful, so their two dates are read and counted here."""
    rows = list(
        Escalation.objects.filter(on_days("created_at", period.start, period.end)).values_list(
            "created_at", "acknowledged_at", "inadequate", "unresolved_safeguarding"
        )
    )
    raised = len(rows)
    inadequate = sum(1 for row in rows if row[2])
    safeguarding = sum(1 for row in rows if row[3])
    acknowledged = [(_day(made), _day(seen)) for made, seen, *_ in rows if seen is not None]
    working = median(working_days_between(made, seen) for made, seen in acknowledged)
    calendar = median((seen - made).days for made, seen in acknowledged)
    table_rows = [
        ["Escalations raised", raised],
        ["Because the judgement was Inadequate", inadequate],
        ["Because of unresolved safeguarding issues", safeguarding],
        ["Acknowledged by the line manager", len(acknowledged)],
        ["Not yet acknowledged", raised - len(acknowledged)],
        # A median of nothing is said in words, not left as a blank cell.
        ["Median working days to acknowledgement", _or_none_acknowledged(working)],
        ["Median calendar days to acknowledgement", _or_none_acknowledged(calendar)],
    ]
    if not raised:
        paragraphs = ["No audit completed in the period was escalated to a line manager."]
    elif not acknowledged:
        paragraphs = [
            f"{counted(raised, 'escalation')} {was(raised)} raised; none has been acknowledged yet."
        ]
    else:
        paragraphs = [
            f"{counted(raised, 'escalation')} {was(raised)} raised; {len(acknowledged)} "
            f"{'has' if len(acknowledged) == 1 else 'have'} been acknowledged, a "
            f"median of {working:g} working days ({calendar:g} calendar days) after they were "
            "raised. Working days are Monday to Friday, less bank holidays."
        ]
    return Section(
        key="escalations",
        title="Escalations to line managers",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="escalations",
                caption=f"Escalations raised in {period.label} and time to acknowledgement",
                columns=["Escalations", "Number"],
                rows=table_rows,
            )
        ],
    )


# Drift -------------------------------------------------------------------------------------------


def drift_section(period: Period) -> Section:
    found = (
        DriftNotice.objects.filter(first_seen__gte=period.start, first_seen__lte=period.end)
        .values("assessment_id")
        .distinct()
        .count()
    )
    contacts = DriftContact.objects.filter(
        contacted_on__gte=period.start, contacted_on__lte=period.end
    ).count()
    triggered = (
        Audit.objects.filter(
            audit_type=Audit.Type.DRIFT,
        )
        .filter(on_days("created_at", period.start, period.end))
        .count()
    )
    rows = [
        ["EHAs found drifting for the first time", found],
        ["Contacts with coordinators of drifting plans", contacts],
        ["Audits triggered by drift", triggered],
    ]
    return Section(
        key="drift",
        title="Drift",
        paragraphs=[
            f"{counted(found, 'EHA')} {was(found)} found drifting in the period; Early Help "
            f"Officers recorded {counted(contacts, 'contact')} with coordinators, and "
            f"{counted(triggered, 'drift-triggered audit')} {was(triggered)} started."
        ],
        tables=[
            Table(
                key="drift",
                caption=f"Drift found and what was done about it, {period.label}",
                columns=["Drift", "Number"],
                rows=rows,
            )
        ],
    )


# Actions and themes ------------------------------------------------------------------------------


def actions_and_themes_section(period: Period, found: Findings) -> Section:
    opened = on_days("created_at", period.start, period.end)
    done = Q(status=Action.Status.DONE) & on_days("completed_at", period.start, period.end)
    after_end = midnight_after(period.end)
    # Overdue at the end of the period: due before it ended, made by then, and not done by then
    # (cancelled actions are not counted).
    not_done_by_end = ~Q(status=Action.Status.DONE) | Q(completed_at__gte=after_end)
    overdue = (
        Q(due_date__lt=period.end, created_at__lt=after_end)
        & ~Q(status=Action.Status.CANCELLED)
        & not_done_by_end
    )
    counts = Action.objects.aggregate(
        opened=Count("pk", filter=opened),
        done=Count("pk", filter=done),
        overdue=Count("pk", filter=overdue),
    )
    action_rows = [
        ["Opened in the period", counts["opened"]],
        ["Done in the period", counts["done"]],
        ["Overdue at the end of the period", counts["overdue"]],
    ]
    theme_rows = [
        [theme.name, figure.count, before, change] for theme, figure, before, change in found.themes
    ]
    paragraphs = [
        f"{counted(counts['opened'], 'action')} {was(counts['opened'])} opened and "
        f"{counts['done']} done in the period; "
        f"{counts['overdue']} {was(counts['overdue'])} overdue at its end.",
    ]
    if theme_rows:
        top = theme_rows[0]
        paragraphs.append(
            f"The theme tagged most often was \u201c{top[0]}\u201d ({top[1]} audits, against "
            f"{top[2]} in {found.previous.label}). Counts of a few audits go up and down by "
            "chance: a change between small numbers is not evidence of a trend."
        )
    else:
        paragraphs.append("No audit completed in the period was tagged with a learning theme.")
    return Section(
        key="actions-and-themes",
        title="Actions and learning themes",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="actions",
                caption=f"Actions, {period.label}",
                columns=["Actions", "Number"],
                rows=action_rows,
            ),
            Table(
                key="themes",
                caption=f"Learning themes: audits tagged, {period.label} and "
                f"{found.previous.label}",
                columns=["Theme", "Audits this period", "Audits the period before", "Change"],
                rows=theme_rows,
            ),
        ],
        charts=[
            Chart(
                kind="bar",
                title="Learning themes",
                description="Bar chart of audits tagged with each learning theme, this period "
                "and the period before: "
                + (
                    "; ".join(f"{row[0]} {row[1]} (before {row[2]})" for row in theme_rows)
                    or "none"
                )
                + ".",
                table_key="themes",
                labels=[row[0] for row in theme_rows],
                series=[
                    Series("This period", [row[1] for row in theme_rows]),
                    Series("The period before", [row[2] for row in theme_rows]),
                ],
                y_label="Audits",
            )
        ]
        if theme_rows
        else [],
    )
