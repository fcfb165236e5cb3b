"""The demo audits: two years of monthly dip samples made through the audit services, with a
believable spread of judgements, every submitted audit complete and consistent, and loading
them a second time adds nothing.

The demo partnership, cases and audits are loaded once for the module inside a transaction that
is rolled back at the end; each test runs in its own savepoint within it.
"""

import statistics
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from earlyhelp.accounts.demo import demo_email, load_demo_partnership
from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.audits import services
from earlyhelp.audits.demo import OTHER_OFFICERS, load_demo_audits, quarter_of
from earlyhelp.audits.models import Audit, AuditEvent, BottomLineCheck, StandardRating
from earlyhelp.cases.demo import load_demo_cases

DEMO_AUDITOR = demo_email("auditor")
GOOD_OR_BETTER = {"Outstanding", "Good"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """What load_demo_audits returned, with everything loaded until the module ends."""
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=tmp_path_factory.mktemp("var")),
        transaction.atomic(),
    ):
        load_demo_partnership()
        load_demo_cases()
        summary = load_demo_audits()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def submitted(demo, db):
    return list(
        Audit.objects.filter(status=Audit.Status.SUBMITTED).select_related(
            "judgement", "assessment"
        )
    )


def _quarters(today):
    """The last eight calendar quarters, oldest first, as (year, quarter)."""
    year, quarter = quarter_of(today)
    index = year * 4 + quarter - 1
    return [((i // 4), i % 4 + 1) for i in range(index - 7, index + 1)]


def test_a_second_call_adds_nothing(demo, db):
    counts = (
        Audit.objects.count(),
        AuditEvent.objects.count(),
        StandardRating.objects.count(),
        User.objects.count(),
    )
    assert load_demo_audits() is None
    assert load_demo_audits(seed=7) is None
    after = (
        Audit.objects.count(),
        AuditEvent.objects.count(),
        StandardRating.objects.count(),
        User.objects.count(),
    )
    assert after == counts


def test_the_command_says_the_audits_are_already_loaded(demo, db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    with (tmp_path / "out.txt").open("w+") as out:
        call_command("load_demo_data", stdout=out)
        out.seek(0)
        assert "Demo audits: already loaded." in out.read()


def test_eight_a_month_for_the_last_eight_quarters(demo, db):
    today = timezone.localdate()
    audits = list(Audit.objects.all())
    assert demo.created == len(audits)
    by_quarter = Counter(quarter_of(timezone.localtime(a.created_at).date()) for a in audits)
    quarters = _quarters(today)
    assert sorted(by_quarter) == quarters
    for quarter in quarters[:-1]:
        assert by_quarter[quarter] == 24, quarter
    months_begun = (today.month - 1) % 3 + 1
    assert by_quarter[quarters[-1]] == 8 * months_begun
    by_month = Counter(timezone.localtime(a.created_at).strftime("%Y-%m") for a in audits)
    assert set(by_month.values()) == {8}


def test_all_but_the_current_month_are_submitted_and_some_are_overdue(demo, db):
    today = timezone.localdate()
    for audit in Audit.objects.all():
        created = timezone.localtime(audit.created_at).date()
        current = (created.year, created.month) == (today.year, today.month)
        if current:
            assert audit.status in {Audit.Status.PLANNED, Audit.Status.IN_PROGRESS}
        else:
            assert audit.status == Audit.Status.SUBMITTED
    open_audits = Audit.objects.filter(status__in=[Audit.Status.PLANNED, Audit.Status.IN_PROGRESS])
    assert open_audits.count() == demo.open == 8
    assert open_audits.filter(status=Audit.Status.IN_PROGRESS).exists()
    if today.day > 8:  # in the first week of a month nothing of its sample is due yet
        assert open_audits.filter(due_date__lt=today).exists()
    assert open_audits.filter(due_date__gte=today).exists()


def test_the_judgement_spread_is_believable(submitted):
    grades = Counter(audit.judgement.label for audit in submitted)
    total = len(submitted)
    assert total >= 7 * 24
    assert 0.60 <= (grades["Outstanding"] + grades["Good"]) / total <= 0.75
    assert 0.15 <= grades["Requires Improvement"] / total <= 0.25
    assert 0.08 <= grades["Inadequate"] / total <= 0.12
    assert grades["Outstanding"] > 0


def test_impact_follows_the_judgement(submitted):
    impact = defaultdict(list)
    for audit in submitted:
        impact[audit.judgement.label].append(audit.impact_score)
    means = [statistics.mean(impact[g]) for g in ["Outstanding", "Good", "Requires Improvement"]]
    means.append(statistics.mean(impact["Inadequate"]))
    assert means == sorted(means, reverse=True)
    assert max(impact["Inadequate"]) < min(impact["Outstanding"])


def test_every_submitted_audit_is_complete_and_consistent(submitted):
    for audit in submitted:
        ratings = list(
            audit.ratings.select_related("standard__section", "rating").order_by(
                "standard__section__order", "standard__order"
            )
        )
        assert services.problems(audit, ratings) == [], audit.pk
        assert services.judgement_inconsistency(audit, ratings) is None, audit.pk
        assert not audit.judgement_inconsistency_confirmed
        journey = ["childs_journey", "working_well", "worried_about", "needs_to_happen"]
        assert all(getattr(audit, name).strip() for name in journey), audit.pk
        assert audit.recommended_actions.strip()


def test_ratings_are_mostly_met_and_bottom_lines_mostly_evidenced(demo, db):
    rated = Counter(
        StandardRating.objects.filter(audit__status=Audit.Status.SUBMITTED).values_list(
            "rating__label", flat=True
        )
    )
    applicable = rated["Met"] + rated["Partly met"] + rated["Not met"]
    assert rated["Met"] / applicable > 0.7
    assert rated["Partly met"] > rated["Not met"] > 0
    checks = BottomLineCheck.objects.filter(audit__status=Audit.Status.SUBMITTED)
    assert 0.6 < checks.filter(evidenced=True).count() / checks.count() < 0.95


def test_some_inadequate_audits_have_unresolved_safeguarding_with_details(submitted):
    inadequate = [a for a in submitted if a.judgement.label == "Inadequate"]
    assert all(audit.judgement_reason.strip() for audit in inadequate)
    unresolved = [a for a in inadequate if a.unresolved_safeguarding]
    assert 0 < len(unresolved) < len(inadequate)
    assert all(audit.safeguarding_details.strip() for audit in unresolved)
    others = [a for a in submitted if a.judgement.label != "Inadequate"]
    assert not any(audit.unresolved_safeguarding for audit in others)


def test_dates_lie_within_the_quarter_in_order(submitted):
    now = timezone.now()
    for audit in submitted:
        quarter = quarter_of(audit.due_date)
        stamps = [audit.created_at, audit.started_at, audit.submitted_at]
        assert stamps == sorted(stamps), audit.pk
        assert all(quarter_of(timezone.localtime(s).date()) == quarter for s in stamps), audit.pk
        assert audit.submitted_at <= now
        events = {e.kind: e.at for e in audit.events.all()}
        assert events[AuditEvent.Kind.SUBMITTED] == audit.submitted_at
        assert events[AuditEvent.Kind.CREATED] == audit.created_at


def test_mostly_the_dip_sample_with_some_drift_and_themed_audits(demo, db):
    types = Counter(Audit.objects.values_list("audit_type", flat=True))
    assert types[Audit.Type.DIP_SAMPLE] / demo.created > 0.75
    assert types[Audit.Type.DRIFT] > 0
    assert types[Audit.Type.THEMED] > 0
    for audit in Audit.objects.filter(audit_type=Audit.Type.DRIFT).select_related("assessment"):
        opened = audit.assessment.start_date
        assert audit.created_at.date() - opened > timedelta(days=274)
    audited = Audit.objects.values_list("assessment", flat=True)
    assert len(set(audited)) == len(audited)  # no EHA audited twice


def test_the_demo_auditor_does_about_half_and_has_open_audits(demo, db):
    demo_auditor = User.objects.get(email=DEMO_AUDITOR)
    by_auditor = Counter(Audit.objects.values_list("auditor__email", flat=True))
    assert 0.4 <= by_auditor[DEMO_AUDITOR] / demo.created <= 0.6
    assert len(by_auditor) == 1 + len(OTHER_OFFICERS)
    mine = Audit.objects.filter(auditor=demo_auditor)
    assert mine.filter(status__in=[Audit.Status.PLANNED, Audit.Status.IN_PROGRESS]).exists()
    assert set(Audit.objects.values_list("created_by__email", flat=True)) == {demo_email("qa.lead")}
    for local_part, _ in OTHER_OFFICERS:
        officer = User.objects.get(email=demo_email(local_part))
        assert officer.has_role(Role.AUDITOR)
        assert officer.agency.name == "Carlisle Early Help Team"
        assert not officer.has_usable_password()
