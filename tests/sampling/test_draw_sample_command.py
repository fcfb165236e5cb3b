"""`manage.py draw_sample`, as the rules it proves: --json prints one object with the seed, the
population and the chosen references; the same seed gives the same references; without
--confirm nothing is written; --confirm --by a QA lead plans the audits; mistakes stop the
command with a message that says what to put right."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.sampling.models import DipSample

from ..cases.factories import EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db


def district(name):
    return District.objects.get_or_create(name=name)[0]


@pytest.fixture
def county(db):
    """12 open EHAs: 6 in Carlisle, 4 in Eden, 2 in Copeland."""
    made = {}
    for name, count in (("Carlisle", 6), ("Eden", 4), ("Copeland", 2)):
        made[name] = [EarlyHelpAssessmentFactory(district=district(name)) for _ in range(count)]
    return made


def draw(*args):
    out = StringIO()
    call_command("draw_sample", *args, stdout=out)
    return out.getvalue()


def draw_json(*args):
    text = draw(*args, "--json")
    assert len(text.strip().splitlines()) == 1
    return json.loads(text)


def test_json_prints_one_object_with_the_seed_population_and_references(county):
    report = draw_json("--month", "2026-12", "--size", "6", "--seed", "17")
    assert report["seed"] == 17
    assert report["population"] == 12
    assert report["month"] == "2026-12"
    assert report["population_by_district"] == {"Carlisle": 6, "Eden": 4, "Copeland": 2}
    assert report["allocation"] == {"Carlisle": 3, "Eden": 2, "Copeland": 1}
    every = {eha.reference for ehas in county.values() for eha in ehas}
    assert len(report["selected"]) == 6
    assert set(report["selected"]) <= every
    assert report["confirmed"] is False


def test_without_a_seed_a_new_one_is_chosen_and_printed(county):
    report = draw_json("--month", "2026-12", "--size", "2")
    assert isinstance(report["seed"], int)
    again = draw_json("--month", "2026-12", "--size", "2", "--seed", str(report["seed"]))
    assert again["selected"] == report["selected"]


def test_the_same_seed_twice_gives_the_same_references(county):
    first = draw_json("--month", "2026-12", "--size", "5", "--seed", "99")
    second = draw_json("--month", "2026-12", "--size", "5", "--seed", "99")
    other = draw_json("--month", "2026-12", "--size", "5", "--seed", "100")
    assert first["selected"] == second["selected"]
    assert first["selected"] != other["selected"]


def test_theme_options_narrow_the_draw(county):
    report = draw_json("--month", "2026-12", "--size", "8", "--district", "eden", "--seed", "1")
    assert sorted(report["selected"]) == sorted(eha.reference for eha in county["Eden"])
    assert report["theme"] == "open EHAs, in Eden"


def test_without_confirm_nothing_is_written(county):
    text = draw("--month", "2026-12", "--size", "3", "--seed", "5")
    assert "3 of 12 open EHAs for December 2026, seed 5:" in text
    assert text.rstrip().endswith("Preview only: nothing saved.")
    assert not DipSample.objects.exists()
    assert not Audit.objects.exists()


def test_confirm_by_a_qa_lead_plans_the_audits(county, make_user):
    lead = make_user(Role.QA_LEAD, email="lead@agency.test")
    auditors = [make_user(Role.AUDITOR), make_user(Role.AUDITOR)]
    report = draw_json(
        "--month", "2026-12", "--size", "4", "--seed", "8", "--confirm", "--by", "LEAD@agency.test"
    )
    assert report["confirmed"] is True
    sample = DipSample.objects.get(pk=report["sample_id"])
    assert sample.status == DipSample.Status.CONFIRMED
    assert sample.confirmed_by == lead
    audits = Audit.objects.filter(status=Audit.Status.PLANNED)
    assert sorted(audits.values_list("assessment__reference", flat=True)) == sorted(
        report["selected"]
    )
    assert {audit.auditor for audit in audits} == set(auditors)  # shared out, two each
    assert {audit.due_date.isoformat() for audit in audits} == {"2026-12-31"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-12", "--district", "Atlantis"], "--district: there is no 'Atlantis'"),
        (["--month", "2026-12", "--agency-type", "Wizards"], "--agency-type: there is no"),
        (["--month", "December"], "--month: 'December' is not a month written as yyyy-mm"),
        (["--month", "2026-13"], "--month: '2026-13' is not a month written as yyyy-mm"),
        (["--month", "2026-12", "--confirm"], "--confirm needs --by"),
        (["--month", "2026-12", "--size", "0"], "The sample size must be 1 or more"),
        (["--month", "2026-12", "--period-from", "1/4/2026"], "--period-from: '1/4/2026' is not"),
    ],
    ids=[
        "unknown district",
        "unknown agency type",
        "month in words",
        "month 13",
        "confirm without by",
        "size 0",
        "date not yyyy-mm-dd",
    ],
)
def test_a_mistake_stops_the_command_with_a_clear_message(county, args, message):
    with pytest.raises(CommandError) as error:
        draw(*args)
    assert str(error.value).startswith(message)
    assert not DipSample.objects.exists()


def test_confirm_by_someone_who_is_not_a_qa_lead_is_refused(county, make_user):
    make_user(Role.AUDITOR, email="auditor@agency.test")
    with pytest.raises(CommandError) as error:
        draw("--month", "2026-12", "--confirm", "--by", "auditor@agency.test")
    assert str(error.value) == "--by: auditor@agency.test is not an active QA lead"
    assert not Audit.objects.exists()


def test_confirm_with_no_auditor_to_assign_writes_nothing(county, make_user):
    make_user(Role.QA_LEAD, email="lead@agency.test")
    with pytest.raises(CommandError, match="There is no active auditor"):
        draw("--month", "2026-12", "--size", "2", "--confirm", "--by", "lead@agency.test")
    assert not Audit.objects.exists()
    assert not DipSample.objects.exists()
