"""The order a report is read in, for the PDF and the Word paper: each section's tables, each
followed at once by the charts drawn from it (a chart is never far from its numbers). The charts
are matched to their tables as the web page matches them (earlyhelp/reports/presentation.py).
"""

from dataclasses import dataclass, field

from earlyhelp.reports.document import Chart, Section, Table
from earlyhelp.reports.presentation import charts_for, unplaced_charts


@dataclass
class Block:
    table: Table | None
    charts: list[Chart] = field(default_factory=list)


def blocks(section: Section) -> list[Block]:
    """The section's tables in order, each with its charts; a chart whose table is not in the
    section comes last, so it is still printed."""
    placed = [Block(table, charts_for(section, table)) for table in section.tables]
    strays = unplaced_charts(section)
    if strays:
        placed.append(Block(None, strays))
    return placed
