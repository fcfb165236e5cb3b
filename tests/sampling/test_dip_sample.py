"""The monthly dip sample against the database: who can be drawn, reproducibly, from which
district, and what confirming makes."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.sampling import services
from earlyhelp.sampling.models import DipSample, SampleItem
from earlyhelp.sampling.themes import CLOSED, Theme

from ..audits.factories import AuditFactory
from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory

TODAY = datetime.date(2026, 11, 26)
DECEMBER = datetime.date(2026, 12, 1)


def district(name):
    return District.objects.get_or_create(name=name)[0]


def ehas(count, name="Carlisle", **fields):
    place = district(name)
    return [EarlyHelpAssessmentFactory(district=place, **fields) for _ in range(count)]


def references(sample):
    return sorted(item.assessment.reference for item in services.active_items(sample))


@pytest.fixture
def county(db):
    """24 open EHAs: 12 in Carlisle, 8 in Eden, 4 in Copeland."""
    return {
        "Carlisle": ehas(12, "Carlisle"),
        "Eden": ehas(8, "Eden"),
        "Copeland": ehas(4, "Copeland"),
    }


@pytest.fixture
def lead(db):
    return UserFactory(roles=[Role.QA_LEAD])


def test_places_are_shared_across_the_county_in_proportion(county):
    sample = services.draw_draft(month=DECEMBER, size=6, seed=1, today=TODAY)
    per_district = {}
    for item in sample.items.select_related("district"):
        per_district[item.district.name] = per_district.get(item.district.name, 0) + 1
    assert per_district == {"Carlisle": 3, "Eden": 2, "Copeland": 1}
    assert sample.population_total == 24


def test_the_same_seed_and_data_give_the_same_cases(county):
    first = services.draw_draft(month=DECEMBER, size=6, seed=99, today=TODAY)
    again = services.draw_draft(month=DECEMBER, size=6, seed=99, today=TODAY)
    other = services.draw_draft(month=DECEMBER, size=6, seed=100, today=TODAY)
    assert references(first) == references(again)
    assert references(first) != references(other)


def test_ehas_audited_in_the_last_twelve_months_or_being_audited_are_left_out(county):
    carlisle = county["Carlisle"]
    AuditFactory(assessment=carlisle[0])  # planned
    AuditFactory(assessment=carlisle[1], judged="Good")  # submitted just now
    old = AuditFactory(assessment=carlisle[2], judged="Good")
    Audit.objects.filter(pk=old.pk).update(
        submitted_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC)
    )
    sample = services.draw_draft(month=DECEMBER, size=30, seed=1, today=TODAY)
    chosen = set(services.active_items(sample).values_list("assessment_id", flat=True))
    assert carlisle[0].pk not in chosen
    assert carlisle[1].pk not in chosen
    assert carlisle[2].pk in chosen  # audited more than twelve months ago
    assert sample.excluded_total == 2


def test_closed_ehas_are_not_in_the_monthly_sample(county):
    closed = EarlyHelpAssessmentFactory(status="closed", closure_date=datetime.date(2026, 1, 1))
    sample = services.draw_draft(month=DECEMBER, size=30, seed=1, today=TODAY)
    assert closed.pk not in set(sample.items.values_list("assessment_id", flat=True))


def test_fewer_matching_than_asked_takes_all_and_says_so(county):
    sample = services.draw_draft(month=DECEMBER, size=30, seed=1, today=TODAY)
    assert sample.items.count() == 24
    assert "fewer than the 30 asked for, so all of them were taken" in services.describe(sample)


def test_the_sample_is_explained_in_plain_english(county):
    sample = services.draw_draft(month=DECEMBER, size=6, seed=5, today=TODAY)
    sentence = services.describe(sample)
    assert sentence.startswith("6 of 24 open EHAs, stratified by district (")
    assert "Carlisle 3 of 12" in sentence
    assert "Copeland 1 of 4" in sentence
    assert "seed 5" in sentence


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        (lambda: Theme(open_longer_than_months=24), {"long"}),
        (
            lambda: Theme(agency_types=(AgencyType.objects.get(name="Health Visiting").pk,)),
            {"health"},
        ),
        (lambda: Theme(districts=(district("Eden").pk,)), {"eden"}),
        (lambda: Theme(step_down=True), {"step-down"}),
        (lambda: Theme(stepped_up=True), {"stepped-up"}),
        (
            lambda: Theme(
                status=CLOSED,
                period_from=datetime.date(2026, 4, 1),
                period_to=datetime.date(2026, 6, 30),
            ),
            {"closed-q1"},
        ),
    ],
    ids=[
        "open longer than",
        "agency type",
        "district",
        "step-down",
        "stepped up",
        "closed in a period",
    ],
)
def test_each_theme_filter_draws_only_what_matches(db, theme, expected):
    health = AgencyType.objects.get_or_create(name="Health Visiting")[0]
    made = {
        "plain": EarlyHelpAssessmentFactory(start_date=datetime.date(2026, 6, 1)),
        "long": EarlyHelpAssessmentFactory(start_date=datetime.date(2024, 10, 1)),
        "health": EarlyHelpAssessmentFactory(
            start_date=datetime.date(2026, 6, 1), agency_type=health
        ),
        "eden": EarlyHelpAssessmentFactory(
            start_date=datetime.date(2026, 6, 1), district=district("Eden")
        ),
        "step-down": EarlyHelpAssessmentFactory(
            start_date=datetime.date(2026, 6, 1), step_down_from_social_care=True
        ),
        "stepped-up": EarlyHelpAssessmentFactory(
            start_date=datetime.date(2026, 6, 1), stepped_up_to_social_care=True
        ),
        "closed-q1": EarlyHelpAssessmentFactory(
            status="closed", closure_date=datetime.date(2026, 5, 5)
        ),
        "closed-later": EarlyHelpAssessmentFactory(
            status="closed", closure_date=datetime.date(2026, 9, 5)
        ),
    }
    sample = services.draw_draft(month=DECEMBER, theme=theme(), size=8, seed=3, today=TODAY)
    chosen = set(sample.items.values_list("assessment_id", flat=True))
    assert chosen == {made[name].pk for name in expected}
    assert sample.theme_key != ""


def test_a_replacement_comes_from_the_same_district_with_its_reason_recorded(county, lead):
    sample = services.draw_draft(month=DECEMBER, size=6, seed=11, today=TODAY)
    item = sample.items.get(
        district__name="Eden",
        order=sample.items.filter(district__name="Eden").order_by("order").first().order,
    )
    new = services.replace(item, reason="Family moved out of the county", by=lead, today=TODAY)
    item.refresh_from_db()
    assert new.district_id == item.district_id
    assert new.assessment_id not in {i.assessment_id for i in sample.items.exclude(pk=new.pk)}
    assert item.replaced_by == new
    assert item.replaced_reason == "Family moved out of the county"
    assert services.active_items(sample).count() == 6


def test_replacing_needs_a_reason_and_an_eha_left_in_the_district(county, lead):
    sample = services.draw_draft(month=DECEMBER, size=24, seed=11, today=TODAY)
    item = sample.items.first()
    with pytest.raises(services.SampleError, match="Enter why"):
        services.replace(item, reason=" ", by=lead, today=TODAY)
    with pytest.raises(services.SampleError, match="no other eligible EHA in"):
        services.replace(item, reason="Duplicate", by=lead, today=TODAY)


def test_an_officers_request_is_added_with_its_reason_and_checked(county, lead):
    sample = services.draw_draft(month=DECEMBER, size=2, seed=11, today=TODAY)
    wanted = EarlyHelpAssessmentFactory(status="closed", closure_date=datetime.date(2026, 10, 1))
    item = services.add_requested(
        sample, reference=wanted.reference.lower(), reason="Complaint received", by=lead
    )
    assert item.source == SampleItem.Source.REQUESTED
    assert item.reason == "Complaint received"
    with pytest.raises(services.SampleError, match="already in this sample"):
        services.add_requested(sample, reference=wanted.reference, reason="Again", by=lead)
    with pytest.raises(services.SampleError, match="no EHA with the reference NOPE"):
        services.add_requested(sample, reference="NOPE", reason="x", by=lead)


def test_auditors_are_suggested_to_even_out_their_workload(county):
    busy = UserFactory(roles=[Role.AUDITOR], full_name="Alex Busy")
    free = UserFactory(roles=[Role.AUDITOR], full_name="Blair Free")
    for eha in county["Copeland"][:3]:
        AuditFactory(assessment=eha, auditor=busy)
    sample = services.draw_draft(month=DECEMBER, size=5, seed=2, today=TODAY)
    items = list(services.active_items(sample))
    suggestion = services.suggest_auditors(items, [busy, free])
    given = [suggestion[item.pk] for item in items]
    # Blair (0 audits) takes four until level with Alex (3), then they alternate.
    assert given.count(free) == 4
    assert given.count(busy) == 1


def test_confirming_makes_planned_audits_and_tells_the_auditors(county, lead):
    auditor = UserFactory(roles=[Role.AUDITOR])
    sample = services.draw_draft(month=DECEMBER, size=4, seed=2, today=TODAY)
    due = datetime.date(2026, 12, 31)
    services.assign(sample, {item.pk: (auditor, due) for item in sample.items.all()}, today=TODAY)
    audits = services.confirm(sample, by=lead)
    assert len(audits) == 4
    assert {a.audit_type for a in audits} == {Audit.Type.DIP_SAMPLE}
    assert all(a.status == Audit.Status.PLANNED and a.auditor == auditor for a in audits)
    sample.refresh_from_db()
    assert sample.status == DipSample.Status.CONFIRMED
    assert [m.to for m in mail.outbox] == [[auditor.email]]


def test_confirming_without_an_auditor_for_every_eha_changes_nothing(county, lead):
    sample = services.draw_draft(month=DECEMBER, size=3, seed=2, today=TODAY)
    with pytest.raises(services.SampleError, match="Give an auditor and a due date for"):
        services.confirm(sample, by=lead)
    sample.refresh_from_db()
    assert sample.status == DipSample.Status.DRAFT
    assert not Audit.objects.exists()


def test_a_second_sample_for_the_same_month_and_theme_cannot_be_confirmed(county, lead):
    auditor = UserFactory(roles=[Role.AUDITOR])
    due = datetime.date(2026, 12, 31)
    first = services.draw_draft(month=DECEMBER, size=2, seed=1, today=TODAY)
    second = services.draw_draft(month=DECEMBER, size=2, seed=2, today=TODAY)
    for sample in (first, second):
        services.assign(sample, {i.pk: (auditor, due) for i in sample.items.all()}, today=TODAY)
    services.confirm(first, by=lead)
    with pytest.raises(services.SampleError, match="already been confirmed"):
        services.confirm(second, by=lead)
    assert Audit.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_people_confirming_at_once_make_one_sample():
    """Two connections confirm two drafts of the same month at the same moment; the database's
    constraint lets one through and the other is told, with no audit of its own left behind."""
    ehas(6, "Carlisle")
    lead = UserFactory(roles=[Role.QA_LEAD])
    auditor = UserFactory(roles=[Role.AUDITOR])
    due = datetime.date(2026, 12, 31)
    drafts = []
    for seed in (1, 2):
        sample = services.draw_draft(month=DECEMBER, size=3, seed=seed, today=TODAY)
        services.assign(sample, {i.pk: (auditor, due) for i in sample.items.all()}, today=TODAY)
        drafts.append(sample)
    start = threading.Barrier(2)
    outcomes = []

    def confirm(sample):
        try:
            start.wait()
            services.confirm(sample, by=lead)
            outcomes.append("confirmed")
        except services.SampleError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2
    assert outcomes.count("confirmed") == 1
    (refused,) = [outcome for outcome in outcomes if outcome != "confirmed"]
    assert "already been confirmed" in refused
    assert DipSample.objects.filter(status="confirmed").count() == 1
    assert Audit.objects.count() == 3
    confirmed = DipSample.objects.get(status="confirmed")
    assert set(Audit.objects.values_list("assessment_id", flat=True)) == set(
        services.active_items(confirmed).values_list("assessment_id", flat=True)
    )


def test_a_confirmed_sample_can_no_longer_change(county, lead):
    auditor = UserFactory(roles=[Role.AUDITOR])
    sample = services.draw_draft(month=DECEMBER, size=2, seed=1, today=TODAY)
    services.assign(
        sample,
        {i.pk: (auditor, datetime.date(2026, 12, 31)) for i in sample.items.all()},
        today=TODAY,
    )
    services.confirm(sample, by=lead)
    with pytest.raises(services.SampleError, match="can no longer change"):
        services.replace(sample.items.first(), reason="x", by=lead, today=TODAY)


def test_the_draw_reads_a_constant_number_of_queries(db, django_assert_max_num_queries):
    ehas(5, "Carlisle")
    with django_assert_max_num_queries(3) as small:
        services.draw(month=DECEMBER, size=3, seed=1, today=TODAY)
    ehas(60, "Eden")
    with django_assert_max_num_queries(3) as large:
        services.draw(month=DECEMBER, size=3, seed=1, today=TODAY)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_requested_items_make_requested_audits(county, lead):
    auditor = UserFactory(roles=[Role.AUDITOR])
    sample = services.draw_draft(month=DECEMBER, size=1, seed=1, today=TODAY)
    extra = EarlyHelpAssessment.objects.exclude(pk__in=sample.items.values("assessment")).first()
    services.add_requested(sample, reference=extra.reference, reason="Asked by officer", by=lead)
    services.assign(
        sample,
        {i.pk: (auditor, datetime.date(2026, 12, 31)) for i in sample.items.all()},
        today=TODAY,
    )
    audits = services.confirm(sample, by=lead)
    assert sorted(a.audit_type for a in audits) == [Audit.Type.DIP_SAMPLE, Audit.Type.REQUESTED]


def test_the_lead_agency_and_open_in_a_period_filters(db):
    from ..factories import AgencyFactory

    school = AgencyFactory(name="Stanwix School")
    led = EarlyHelpAssessmentFactory(start_date=datetime.date(2026, 6, 1), lead_agency=school)
    EarlyHelpAssessmentFactory(start_date=datetime.date(2026, 6, 1))
    sample = services.draw_draft(
        month=DECEMBER, theme=Theme(lead_agencies=(school.pk,)), size=8, seed=1, today=TODAY
    )
    assert set(sample.items.values_list("assessment_id", flat=True)) == {led.pk}
    # Open at some time in the summer: started by its end and not closed before its start.
    spring = EarlyHelpAssessmentFactory(
        start_date=datetime.date(2026, 3, 1),
        status="closed",
        closure_date=datetime.date(2026, 7, 1),
    )
    EarlyHelpAssessmentFactory(
        start_date=datetime.date(2026, 1, 1),
        status="closed",
        closure_date=datetime.date(2026, 5, 1),
    )
    summer = Theme(
        status="any", period_from=datetime.date(2026, 6, 1), period_to=datetime.date(2026, 8, 31)
    )
    sample = services.draw_draft(month=DECEMBER, theme=summer, size=8, seed=1, today=TODAY)
    chosen = set(sample.items.values_list("assessment_id", flat=True))
    assert spring.pk in chosen
    assert led.pk in chosen
    assert len(chosen) == 3
