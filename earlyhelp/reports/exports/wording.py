"""Words the three exports share, so the PDF, the Word paper and the workbook say the same."""

import datetime
from dataclasses import dataclass

DRAFT_NOTICE = "DRAFT: not yet published. Figures may change before the report is published."


@dataclass(frozen=True)
class Marking:
    """What a paper that is not the current published report says, so a printed page cannot
    pass as one: `word` at the foot of every page and on the workbook's Contents sheet, `header`
    at the top of every page and before the title, `notice` under the title."""

    word: str
    header: str
    notice: str


DRAFT = Marking(word="DRAFT", header="DRAFT: not yet published", notice=DRAFT_NOTICE)


def superseded(version: int, published_on: str = "") -> Marking:
    """The marking of a version corrected by `version` (published on the ISO date given)."""
    on = f", published on {long_date(published_on)}" if published_on else ""
    return Marking(
        word="SUPERSEDED",
        header=f"SUPERSEDED: corrected by version {version}",
        notice=(
            f"SUPERSEDED: this version has been corrected by version {version}{on}. It is kept "
            f"as it was published; read version {version} for the corrected figures."
        ),
    )


def marking_of(marking: Marking | None, draft: bool) -> Marking | None:
    """The marking asked for; DRAFT for callers that still say only `draft=True`."""
    return marking or (DRAFT if draft else None)


def long_date(iso_day: str) -> str:
    """An ISO date as GOV.UK writes dates ("26 November 2026"); other text is kept as it is."""
    try:
        day = datetime.date.fromisoformat(iso_day)
    except (TypeError, ValueError):
        return iso_day or ""
    return f"{day.day} {day:%B %Y}"
