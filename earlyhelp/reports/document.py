"""The shape every report takes: sections of sentences, tables and charts.

The quarterly report, the dashboard and the performance data are computed into this one
structure, and every output renders it: the web page, the tagged PDF, the Word board paper and
the Excel workbook. So a figure cannot say one thing on the web and another in Word, and
publishing a report is storing this structure as JSON (``to_dict``) and reading it back
(``from_dict``) unchanged, whatever the data does afterwards.

Cells are plain values (text, whole numbers, decimals or empty) so the workbook can keep numbers
as numbers. Every chart names the table that holds its numbers (``table_key``): no chart is shown
without its data beside it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Value = str | int | float | None

CHART_KINDS = ("bar", "stacked_bar", "line", "spc")


@dataclass
class Table:
    key: str  # unique in the report; the workbook's sheet is named from it
    caption: str
    columns: list[str]
    rows: list[list[Value]]
    # Rows or cells hidden because a count under the threshold would identify people.
    notes: list[str] = field(default_factory=list)


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class Chart:
    kind: str  # one of CHART_KINDS
    title: str
    description: str  # the text alternative: what the chart shows, in words
    table_key: str  # the table beside it with the same numbers
    labels: list[str]
    series: list[Series]
    # For "spc": the mean and process limits, and the points that signal, with why.
    mean: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    signals: list[dict[str, Any]] = field(default_factory=list)
    y_label: str = ""
    percent: bool = False


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


@dataclass
class Document:
    title: str
    period_label: str
    generated_on: str  # ISO date the figures were computed
    sections: list[Section] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def all_tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            title=data["title"],
            period_label=data["period_label"],
            generated_on=data["generated_on"],
            sections=[_section_from_dict(s) for s in data.get("sections", [])],
        )


def _section_from_dict(data: dict[str, Any]) -> Section:
    return Section(
        key=data["key"],
        title=data["title"],
        paragraphs=list(data.get("paragraphs", [])),
        tables=[Table(**t) for t in data.get("tables", [])],
        charts=[
            Chart(**{**c, "series": [Series(**s) for s in c.get("series", [])]})
            for c in data.get("charts", [])
        ],
    )
