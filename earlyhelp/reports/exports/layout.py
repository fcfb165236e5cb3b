"""The order a report is read in, for the PDF and the Word paper: each section's tables, each
followed at once by the charts drawn from it (a chart is never far from its numbers)."""

from dataclasses import dataclass, field

from earlyhelp.reports.document import Chart, Section, Table


@dataclass
class Block:
    table: Table | None
    charts: list[Chart] = field(default_factory=list)


def blocks(section: Section) -> list[Block]:
    """The section's tables in order, each with its charts; a chart whose table is in another
    section (or missing) comes last, so it is still printed."""
    placed = [
        Block(table, [c for c in section.charts if c.table_key == table.key])
        for table in section.tables
    ]
    keys = {table.key for table in section.tables}
    strays = [chart for chart in section.charts if chart.table_key not in keys]
    if strays:
        placed.append(Block(None, strays))
    return placed
