"""The partnership's registers of what learning led to: the training needs register (actions of
type training need, counted per agency and per agency type) and the standards reviews (actions of
type standards review, with the framework version each produced).

Both are aggregates for the QA lead and partnership viewers. They hold no child-level data: no
EHA reference, no audit, no description or evidence; only each action's title, which the QA lead
writes, its agency, status and dates. Cancelled training needs are left out of the register.

An action's agency type is the one set on the action, or else its agency's type.

Each register is read in a fixed number of queries, however many actions there are.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from earlyhelp.core.spreadsheet_safety import safe_cell

from .models import Action

A = Action.Status
STILL_TO_DO = (A.OPEN, A.IN_PROGRESS)
NO_AGENCY = "No agency given"
NO_AGENCY_TYPE = "No agency type given"
COLUMNS = ["Open", "In progress", "Done", "Overdue", "Total"]


@dataclass
class CountRow:
    label: str
    open: int = 0
    in_progress: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.done

    @property
    def figures(self) -> list:
        return [self.open, self.in_progress, self.done, self.overdue, self.total]


@dataclass
class TrainingRegister:
    today: object
    by_agency: list = field(default_factory=list)
    by_agency_type: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    totals: CountRow = field(default_factory=lambda: CountRow("All agencies"))


def _counts(today):
    return {
        "n_open": Count("pk", filter=Q(status=A.OPEN)),
        "n_in_progress": Count("pk", filter=Q(status=A.IN_PROGRESS)),
        "n_done": Count("pk", filter=Q(status=A.DONE)),
        "n_overdue": Count("pk", filter=Q(status__in=STILL_TO_DO, due_date__lt=today)),
    }


def _row(label, values):
    return CountRow(
        label=label,
        open=values["n_open"],
        in_progress=values["n_in_progress"],
        done=values["n_done"],
        overdue=values["n_overdue"],
    )


def _sorted(rows, missing):
    # By name, with "no agency" last.
    return sorted(rows, key=lambda row: (row.label == missing, row.label.lower()))


def training_needs():
    """Actions of type training need, not cancelled."""
    return Action.objects.filter(action_type=Action.Type.TRAINING).exclude(status=A.CANCELLED)


def training_register(today=None) -> TrainingRegister:
    """The training needs register. Three queries."""
    today = today or timezone.localdate()
    needs = training_needs()
    counts = _counts(today)
    by_agency = [
        _row(values["agency__name"] or NO_AGENCY, values)
        for values in needs.values("agency_id", "agency__name").annotate(**counts).order_by()
    ]
    by_type = [
        _row(values["type_name"] or NO_AGENCY_TYPE, values)
        for values in needs.annotate(
            type_id=Coalesce("agency_type_id", "agency__agency_type_id"),
            type_name=Coalesce("agency_type__name", "agency__agency_type__name"),
        )
        .values("type_id", "type_name")
        .annotate(**counts)
        .order_by()
    ]
    listed = list(
        needs.select_related("agency", "agency_type", "agency__agency_type").order_by(
            "agency__name", "due_date", "pk"
        )
    )
    for need in listed:
        need.is_overdue = need.status in STILL_TO_DO and need.due_date < today
        kind = need.agency_type or (need.agency.agency_type if need.agency else None)
        need.agency_type_name = kind.name if kind else NO_AGENCY_TYPE
        need.agency_name = need.agency.name if need.agency else NO_AGENCY
    totals = CountRow("All agencies")
    for row in by_agency:
        totals.open += row.open
        totals.in_progress += row.in_progress
        totals.done += row.done
        totals.overdue += row.overdue
    return TrainingRegister(
        today=today,
        by_agency=_sorted(by_agency, NO_AGENCY),
        by_agency_type=_sorted(by_type, NO_AGENCY_TYPE),
        needs=listed,
        totals=totals,
    )


def standards_reviews():
    """Actions of type standards review, newest due first, with the framework version each
    produced (None while it has produced none) and the recommendation or theme it came from.
    One query."""
    return (
        Action.objects.filter(action_type=Action.Type.STANDARDS_REVIEW)
        .select_related("framework_version__framework", "recommendation", "theme", "agency")
        .order_by("-due_date", "-pk")
    )


# Downloads -------------------------------------------------------------------------------------

TITLE = "Training needs register"
NEEDS_COLUMNS = ["Training need", "Agency", "Agency type", "Status", "Due date", "Overdue"]


def _tables(register):
    """(sheet name, heading, columns, rows) for each table of the register."""
    yield (
        "By agency",
        "Training needs per agency",
        ["Agency", *COLUMNS],
        [[row.label, *row.figures] for row in [*register.by_agency, register.totals]],
    )
    yield (
        "By agency type",
        "Training needs per agency type",
        ["Agency type", *COLUMNS],
        [[row.label, *row.figures] for row in register.by_agency_type],
    )
    yield (
        "Training needs",
        "Each training need",
        NEEDS_COLUMNS,
        [
            [
                need.title,
                need.agency_name,
                need.agency_type_name,
                need.get_status_display(),
                need.due_date.isoformat(),
                "Yes" if need.is_overdue else "No",
            ]
            for need in register.needs
        ],
    )


def register_csv(register) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(out)
    writer.writerow([TITLE])
    writer.writerow(["On", register.today.isoformat()])
    for _sheet, heading, columns, rows in _tables(register):
        writer.writerow([])
        writer.writerow([heading])
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def register_xlsx(register) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet_name, heading, columns, rows in _tables(register):
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([f"{TITLE}: {heading.lower()}, on {register.today.isoformat()}"])
        sheet["A1"].font = bold
        sheet.append(columns)
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        sheet.column_dimensions["A"].width = 50
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
