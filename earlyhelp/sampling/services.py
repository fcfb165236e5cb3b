"""The monthly dip sample: draw, preview (replace, add, assign), confirm.

The seed: "Each month eight … are audited from across the County", "randomly selected from data
reports or as requested by the Early Help Officers". A sample is drawn as a draft, which the QA
lead can change before confirming it; confirming makes the planned audits and tells the
auditors. A confirmed sample is fixed, and there is one per month and theme (a database
constraint, so two people confirming at once cannot make two).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import District, User
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.audits.services import audit_in_progress, create_audit
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.months import add_months, last_of_month
from earlyhelp.core.notifications import notify

from .allocation import allocate, choose, new_seed, stratum_random
from .models import DipSample, SampleItem
from .themes import Theme

OPEN_AUDITS = (Audit.Status.PLANNED, Audit.Status.IN_PROGRESS)


class SampleError(Exception):
    """Something the person must put right, in words they can act on."""


# The population ---------------------------------------------------------------------------------


def _excluded(today: datetime.date) -> Q:
    """EHAs left out of every random draw: audited in the last N months (configurable), or with
    an audit still being worked on."""
    cutoff = add_months(today, -settings.DIP_SAMPLE_EXCLUDE_AUDITED_MONTHS)
    recent = Audit.objects.filter(assessment=OuterRef("pk")).filter(
        Q(status__in=OPEN_AUDITS) | Q(submitted_at__date__gte=cutoff)
    )
    return Q(Exists(recent))


@dataclass(frozen=True)
class Population:
    eligible: dict  # district id -> EHAs that may be drawn
    matching: dict  # district id -> EHAs matching the theme, before the exclusions

    @property
    def total(self) -> int:
        return sum(self.eligible.values())

    @property
    def excluded(self) -> int:
        return sum(self.matching.values()) - self.total


def population(theme: Theme, today: datetime.date) -> Population:
    """How many EHAs match the theme in each district, and how many of those may be drawn: one
    query, whatever the number of EHAs."""
    rows = (
        EarlyHelpAssessment.objects.filter(theme.filter(today))
        .annotate(left_out=_excluded(today))
        .values("district")
        .annotate(matching=Count("pk"), eligible=Count("pk", filter=Q(left_out=False)))
        .order_by()
    )
    matching, eligible = {}, {}
    for row in rows:
        matching[row["district"]] = row["matching"]
        eligible[row["district"]] = row["eligible"]
    return Population(eligible=eligible, matching=matching)


def eligible_assessments(theme: Theme, today: datetime.date):
    return (
        EarlyHelpAssessment.objects.filter(theme.filter(today))
        .annotate(left_out=_excluded(today))
        .filter(left_out=False)
    )


def _strata(theme, today, districts=None) -> dict:
    """{district id: [EHA ids in reference order]}: a fixed order, so the same seed picks the
    same EHAs from the same data."""
    rows = eligible_assessments(theme, today)
    if districts is not None:
        rows = rows.filter(district__in=districts)
    strata = {}
    for district, pk in rows.order_by("district", "reference").values_list("district", "pk"):
        strata.setdefault(district, []).append(pk)
    return strata


# Drawing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """A sample drawn but not yet saved: what the command line previews."""

    month: datetime.date
    theme: Theme
    size: int
    seed: int
    population: Population
    allocation: dict  # district id -> places
    chosen: list  # (district id, EHA id), in district then draw order

    @property
    def shortfall(self) -> bool:
        return self.population.total < self.size


def draw(*, month, theme=None, size=None, seed=None, today=None) -> Draw:
    theme = theme or Theme()
    size = settings.DIP_SAMPLE_SIZE if size is None else size
    if size < 1:
        raise SampleError("The sample size must be 1 or more")
    seed = new_seed() if seed is None else seed
    today = today or timezone.localdate()
    counts = population(theme, today)
    allocation = allocate(counts.eligible, size)
    strata = _strata(theme, today, districts=[d for d, n in allocation.items() if n])
    chosen = [
        (district, pk)
        for district, picks in sorted(choose(strata, size, seed).items())
        for pk in picks
    ]
    return Draw(month, theme, size, seed, counts, allocation, chosen)


METHOD = (
    "Stratified random sample. The places are shared between districts in proportion to the "
    "number of eligible EHAs in each (largest remainder method), then drawn at random within "
    "each district from the EHAs in order of reference, using the seed. Left out: EHAs audited "
    "in the last {months} months and EHAs with an audit in progress."
)


@transaction.atomic
def save_draft(result: Draw, *, by=None) -> DipSample:
    sample = DipSample.objects.create(
        month=result.month,
        theme_key=result.theme.key,
        theme_name=result.theme.name,
        filters=result.theme.as_json(),
        size=result.size,
        seed=result.seed,
        method=METHOD.format(months=settings.DIP_SAMPLE_EXCLUDE_AUDITED_MONTHS),
        population={str(d): n for d, n in sorted(result.population.eligible.items())},
        population_total=result.population.total,
        excluded_total=result.population.excluded,
        created_by=by,
    )
    SampleItem.objects.bulk_create(
        SampleItem(
            sample=sample,
            assessment_id=pk,
            district_id=district,
            source=SampleItem.Source.RANDOM,
            order=order,
        )
        for order, (district, pk) in enumerate(result.chosen, start=1)
    )
    return sample


def draw_draft(*, month, theme=None, size=None, seed=None, by=None, today=None) -> DipSample:
    return save_draft(draw(month=month, theme=theme, size=size, seed=seed, today=today), by=by)


# Explaining -------------------------------------------------------------------------------------


def describe(sample: DipSample) -> str:
    """The sample in one plain sentence: "8 of 1,214 open EHAs, stratified by district …"."""
    theme = Theme.from_json(sample.filters)
    names = dict(District.objects.values_list("pk", "name"))
    chosen = {}
    for item in sample.items.all():
        if item.source == SampleItem.Source.RANDOM:
            chosen[item.district_id] = chosen.get(item.district_id, 0) + 1
    drawn = sum(chosen.values())
    per_district = "; ".join(
        f"{names.get(int(d), d)} {chosen.get(int(d), 0)} of {n:,}"
        for d, n in sorted(sample.population.items(), key=lambda kv: names.get(int(kv[0]), ""))
    )
    sentence = (
        f"{drawn} of {sample.population_total:,} {theme.describe()}, stratified by district "
        f"({per_district}), drawn with seed {sample.seed}."
    )
    if sample.population_total < sample.size:
        sentence += (
            f" Only {sample.population_total:,} EHAs could be chosen, fewer than the "
            f"{sample.size} asked for, so all of them were taken."
        )
    if sample.excluded_total:
        sentence += (
            f" {sample.excluded_total:,} matching EHAs were left out because they were audited "
            f"in the last {settings.DIP_SAMPLE_EXCLUDE_AUDITED_MONTHS} months or have an audit "
            "in progress."
        )
    return sentence


# Changing a draft -------------------------------------------------------------------------------


def _draft(sample_id) -> DipSample:
    sample = DipSample.objects.select_for_update().get(pk=sample_id)
    if sample.status != DipSample.Status.DRAFT:
        raise SampleError("This sample has been confirmed or cancelled and can no longer change")
    return sample


@transaction.atomic
def replace(item: SampleItem, *, reason: str, by, today=None) -> SampleItem:
    """Replaces a randomly drawn EHA with another drawn at random from the same district, and
    records why. Reproducible: the n-th replacement in a district uses its own stream of the
    sample's seed."""
    sample = _draft(item.sample_id)
    item = SampleItem.objects.select_for_update().get(pk=item.pk)
    if not reason.strip():
        raise SampleError("Enter why this EHA is being replaced")
    if item.is_replaced:
        raise SampleError("This EHA has already been replaced")
    if item.source == SampleItem.Source.REQUESTED:
        raise SampleError("A requested EHA is removed, not replaced: remove it instead")
    theme = Theme.from_json(sample.filters)
    taken = set(sample.items.values_list("assessment_id", flat=True))
    strata = _strata(theme, today or timezone.localdate(), districts=[item.district_id])
    candidates = [pk for pk in strata.get(item.district_id, []) if pk not in taken]
    if not candidates:
        district = District.objects.get(pk=item.district_id)
        raise SampleError(f"There is no other eligible EHA in {district} to replace it with")
    replacements = sample.items.filter(
        district_id=item.district_id, source=SampleItem.Source.REPLACEMENT
    ).count()
    rng = stratum_random(sample.seed, item.district_id, f"replacement-{replacements + 1}")
    chosen = rng.choice(candidates)
    new = SampleItem.objects.create(
        sample=sample,
        assessment_id=chosen,
        district_id=item.district_id,
        source=SampleItem.Source.REPLACEMENT,
        order=_next_order(sample),
        auditor=item.auditor,
        due_date=item.due_date,
    )
    item.replaced_by = new
    item.replaced_reason = reason.strip()
    item.save(update_fields=["replaced_by", "replaced_reason"])
    _touch(sample)
    return new


@transaction.atomic
def add_requested(sample: DipSample, *, reference: str, reason: str, by) -> SampleItem:
    """Adds an EHA an Early Help Officer asked to have audited, with their reason."""
    sample = _draft(sample.pk)
    reference = reference.strip()
    if not reference:
        raise SampleError("Enter the EHA reference")
    if not reason.strip():
        raise SampleError("Enter why this EHA was requested")
    assessment = EarlyHelpAssessment.objects.filter(reference__iexact=reference).first()
    if assessment is None:
        raise SampleError(f"There is no EHA with the reference {reference}")
    if sample.items.filter(assessment=assessment).exists():
        raise SampleError(f"{assessment.reference} is already in this sample")
    if audit_in_progress(assessment) is not None:
        raise SampleError(f"{assessment.reference} already has an audit in progress")
    item = SampleItem.objects.create(
        sample=sample,
        assessment=assessment,
        district_id=assessment.district_id,
        source=SampleItem.Source.REQUESTED,
        reason=reason.strip(),
        order=_next_order(sample),
    )
    _touch(sample)
    return item


@transaction.atomic
def remove_requested(item: SampleItem):
    _draft(item.sample_id)
    if item.source != SampleItem.Source.REQUESTED:
        raise SampleError("Only a requested EHA can be removed; replace a drawn one instead")
    item.delete()


def _next_order(sample) -> int:
    last = sample.items.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _touch(sample):
    DipSample.objects.filter(pk=sample.pk).update(revision=sample.revision + 1)


def active_items(sample):
    """The EHAs that will be audited: everything not replaced."""
    return sample.items.filter(replaced_by__isnull=True, replaced_reason="")


# Assigning --------------------------------------------------------------------------------------


def auditors():
    return User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR).distinct()


def workloads(people) -> dict:
    """{auditor id: audits planned or in progress}: one query."""
    counts = dict.fromkeys((person.pk for person in people), 0)
    rows = (
        Audit.objects.filter(status__in=OPEN_AUDITS, auditor__in=list(counts))
        .values("auditor")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["auditor"]] = row["n"]
    return counts


def suggest_auditors(items, people) -> dict:
    """{item id: auditor} sharing the items so that everyone's workload ends as even as it can:
    each item goes to whoever has the fewest audits to do at that point (then by name)."""
    people = sorted(people, key=lambda person: (person.full_name, person.pk))
    if not people:
        return {}
    load = workloads(people)
    suggestion = {}
    for item in items:
        person = min(people, key=lambda p: (load[p.pk], p.full_name, p.pk))
        suggestion[item.pk] = person
        load[person.pk] += 1
    return suggestion


def default_due_date(sample) -> datetime.date:
    return last_of_month(sample.month)


@transaction.atomic
def assign(sample: DipSample, assignments: dict, *, today=None):
    """Sets {item id: (auditor, due date)} on a draft."""
    sample = _draft(sample.pk)
    today = today or timezone.localdate()
    items = {item.pk: item for item in active_items(sample)}
    allowed = {person.pk for person in auditors()}
    for item_id, (auditor, due_date) in assignments.items():
        item = items.get(item_id)
        if item is None:
            continue
        if auditor is not None and auditor.pk not in allowed:
            raise SampleError(f"{auditor} is not an auditor")
        if due_date is not None and due_date < today:
            raise SampleError("A due date must be today or later")
        item.auditor, item.due_date = auditor, due_date
        item.save(update_fields=["auditor", "due_date"])
    _touch(sample)


# Confirming -------------------------------------------------------------------------------------


def _audit_type(sample, item):
    if item.source == SampleItem.Source.REQUESTED:
        return Audit.Type.REQUESTED
    return Audit.Type.THEMED if sample.theme_key else Audit.Type.DIP_SAMPLE


def confirm(sample: DipSample, *, by) -> list:
    """Confirms a draft: makes a planned audit for every EHA in it and tells each auditor.
    Everything or nothing: a problem with one EHA leaves the draft as it was."""
    try:
        with transaction.atomic():
            audits = _confirm(sample, by)
    except IntegrityError:
        raise SampleError(
            f"A sample for {sample.month:%B %Y} with this theme has already been confirmed, "
            "perhaps by someone else a moment ago. Open the samples list to see it."
        ) from None
    return audits


def _confirm(sample, by):
    sample = _draft(sample.pk)
    items = list(active_items(sample).select_related("assessment", "auditor"))
    if not items:
        raise SampleError("The sample has no EHAs to audit")
    missing = [item.assessment.reference for item in items if not item.auditor or not item.due_date]
    if missing:
        raise SampleError("Give an auditor and a due date for " + ", ".join(missing))
    # The status changes first: a second confirmation of the same month and theme waits here on
    # the unique constraint and then fails, before it makes any audit.
    DipSample.objects.filter(pk=sample.pk).update(
        status=DipSample.Status.CONFIRMED, confirmed_by=by, confirmed_at=timezone.now()
    )
    audits = []
    for item in items:
        if audit_in_progress(item.assessment) is not None:
            raise SampleError(f"{item.assessment.reference} now has an audit in progress")
        audit = create_audit(
            assessment=item.assessment,
            auditor=item.auditor,
            due_date=item.due_date,
            audit_type=_audit_type(sample, item),
            created_by=by,
        )
        item.audit = audit
        item.save(update_fields=["audit"])
        audits.append(audit)
    for auditor in {item.auditor for item in items}:
        mine = sum(1 for item in items if item.auditor == auditor)
        notify(
            "audits_assigned",
            recipient=auditor,
            text=f"{mine} audit{'s' if mine != 1 else ''} from the {sample} "
            f"{'have' if mine != 1 else 'has'} been assigned to you.",
            url=reverse("audit_lists:mine"),
            key=f"sample:{sample.pk}:assigned",
        )
    return audits


@transaction.atomic
def cancel(sample: DipSample, *, by):
    sample = _draft(sample.pk)
    DipSample.objects.filter(pk=sample.pk).update(status=DipSample.Status.CANCELLED)
