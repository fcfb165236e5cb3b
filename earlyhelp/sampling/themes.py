"""A sample's theme: filters on the case data. The seed: "The audit can be requested to focus on
specific themes" — open for a specific period, delivered by specific agency types, step-down to
Early Help, thematic.

A theme is plain data (stored as JSON with its sample), turned into a database filter here and
into plain English for the page.
"""

import datetime
import json
from dataclasses import asdict, dataclass, field

from django.db.models import Q

from earlyhelp.accounts.models import Agency, AgencyType, District
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.months import add_months

OPEN, CLOSED, ANY = "open", "closed", "any"


@dataclass(frozen=True)
class Theme:
    status: str = OPEN
    open_longer_than_months: int | None = None
    districts: tuple = field(default_factory=tuple)
    agency_types: tuple = field(default_factory=tuple)
    lead_agencies: tuple = field(default_factory=tuple)
    step_down: bool = False
    stepped_up: bool = False
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    name: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("period_from", "period_to"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        for key in ("districts", "agency_types", "lead_agencies"):
            data[key] = sorted(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Theme":
        data = dict(data or {})
        for key in ("period_from", "period_to"):
            if data.get(key):
                data[key] = datetime.date.fromisoformat(data[key])
        for key in ("districts", "agency_types", "lead_agencies"):
            data[key] = tuple(sorted(data.get(key) or ()))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    @property
    def key(self) -> str:
        """The filters in a canonical form; "" for the monthly sample of open EHAs with no theme.
        Two themes with the same filters are the same theme, whatever they are called."""
        data = self.as_json()
        data.pop("name")
        defaults = Theme().as_json()
        defaults.pop("name")
        changed = {k: v for k, v in data.items() if v != defaults[k]}
        return json.dumps(changed, sort_keys=True, separators=(",", ":")) if changed else ""

    @property
    def is_themed(self) -> bool:
        return self.key != ""

    def filter(self, today: datetime.date) -> Q:
        q = Q()
        if self.status == OPEN:
            q &= Q(status=EarlyHelpAssessment.Status.OPEN)
        elif self.status == CLOSED:
            q &= Q(status=EarlyHelpAssessment.Status.CLOSED)
        if self.open_longer_than_months:
            # Open longer than N months: still open, and started before the day N months ago.
            cutoff = add_months(today, -self.open_longer_than_months)
            q &= Q(status=EarlyHelpAssessment.Status.OPEN, start_date__lt=cutoff)
        if self.districts:
            q &= Q(district__in=self.districts)
        if self.agency_types:
            q &= Q(agency_type__in=self.agency_types)
        if self.lead_agencies:
            q &= Q(lead_agency__in=self.lead_agencies)
        if self.step_down:
            q &= Q(step_down_from_social_care=True)
        if self.stepped_up:
            q &= Q(stepped_up_to_social_care=True)
        if self.period_from or self.period_to:
            q &= self._period()
        return q

    def _period(self) -> Q:
        start, end = self.period_from, self.period_to
        if self.status == CLOSED:
            q = Q(closure_date__isnull=False)
            if start:
                q &= Q(closure_date__gte=start)
            if end:
                q &= Q(closure_date__lte=end)
            return q
        # Open at some time in the period: started by its end, not closed before its start.
        q = Q()
        if end:
            q &= Q(start_date__lte=end)
        if start:
            q &= Q(closure_date__isnull=True) | Q(closure_date__gte=start)
        return q

    def describe(self) -> str:
        """The theme in plain English, such as "open EHAs open longer than 24 months, led by a
        Health Visiting agency"."""
        noun = {OPEN: "open EHAs", CLOSED: "closed EHAs", ANY: "EHAs open or closed"}[self.status]
        parts = []
        if self.open_longer_than_months:
            parts.append(f"open longer than {self.open_longer_than_months} months")
        if self.districts:
            parts.append("in " + _names(District, self.districts))
        if self.agency_types:
            parts.append("delivered by " + _names(AgencyType, self.agency_types))
        if self.lead_agencies:
            parts.append("led by " + _names(Agency, self.lead_agencies))
        if self.step_down:
            parts.append("stepped down from children's social care")
        if self.stepped_up:
            parts.append("stepped up to children's social care")
        if self.period_from or self.period_to:
            verb = "closed" if self.status == CLOSED else "open"
            parts.append(f"{verb} {_period_words(self.period_from, self.period_to)}")
        return ", ".join([noun, *parts])


def _names(model, ids) -> str:
    names = sorted(model.objects.filter(pk__in=ids).values_list("name", flat=True))
    if len(names) <= 1:
        return "".join(names) or "(none)"
    return ", ".join(names[:-1]) + " or " + names[-1]


def _period_words(start, end) -> str:
    fmt = "%-d %B %Y"
    if start and end:
        return f"between {start:{fmt}} and {end:{fmt}}"
    if start:
        return f"on or after {start:{fmt}}"
    return f"on or before {end:{fmt}}"
