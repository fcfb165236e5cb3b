"""The training needs register and the standards reviews: figures on a hand-built set of
actions, the downloads (opened with openpyxl, formulas neutralised), no child-level detail for
partnership viewers, and a number of queries that does not grow with the actions."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from earlyhelp.accounts.models import AgencyType
from earlyhelp.accounts.roles import Role
from earlyhelp.learning import recommendations, registers
from earlyhelp.learning.models import Action

from ..audits.factories import AuditFactory, default_framework_version
from ..factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=10)
FUTURE = TODAY + datetime.timedelta(days=10)
A = Action.Status


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def qa_lead():
    return UserFactory(roles=[Role.QA_LEAD])


@pytest.fixture
def make_action(qa_lead):
    def make(title="Training", action_type=Action.Type.TRAINING, **fields):
        fields.setdefault("due_date", FUTURE)
        return Action.objects.create(
            title=title, action_type=action_type, owner=qa_lead, created_by=qa_lead, **fields
        )

    return make


@pytest.fixture
def hand_built(make_action):
    """Three agencies of two types, and training needs with known counts."""
    schools = AgencyType.objects.create(name="Schools")
    health = AgencyType.objects.create(name="Health")
    a = AgencyFactory(name="Alder School", agency_type=schools)
    b = AgencyFactory(name="Beck Health Visiting", agency_type=health)
    c = AgencyFactory(name="Croft School", agency_type=schools)
    make_action("A open", agency=a, status=A.OPEN)
    make_action("A open overdue", agency=a, status=A.OPEN, due_date=PAST)
    make_action("A in progress overdue", agency=a, status=A.IN_PROGRESS, due_date=PAST)
    make_action("A done late", agency=a, status=A.DONE, due_date=PAST)
    make_action("A cancelled", agency=a, status=A.CANCELLED, due_date=PAST)
    make_action("A development", action_type=Action.Type.DEVELOPMENT, agency=a, due_date=PAST)
    make_action("B in progress", agency=b, status=A.IN_PROGRESS)
    make_action("B done", agency=b, status=A.DONE)
    make_action("C open", agency=c, status=A.OPEN)
    make_action("Health overdue", agency_type=health, status=A.OPEN, due_date=PAST)
    make_action("Nobody done", status=A.DONE)
    return {"a": a, "b": b, "c": c}


def figures(rows):
    return {row.label: row.figures for row in rows}


def test_the_register_counts_per_agency(hand_built):
    register = registers.training_register()
    #                                   open, in progress, done, overdue, total
    assert figures(register.by_agency) == {
        "Alder School": [2, 1, 1, 2, 4],
        "Beck Health Visiting": [0, 1, 1, 0, 2],
        "Croft School": [1, 0, 0, 0, 1],
        registers.NO_AGENCY: [1, 0, 1, 1, 2],
    }
    assert register.totals.figures == [4, 2, 3, 3, 9]
    assert [row.label for row in register.by_agency][-1] == registers.NO_AGENCY


def test_the_register_counts_per_agency_type_from_the_action_or_its_agency(hand_built):
    register = registers.training_register()
    assert figures(register.by_agency_type) == {
        "Schools": [3, 1, 1, 2, 5],
        "Health": [1, 1, 1, 1, 3],
        registers.NO_AGENCY_TYPE: [0, 0, 1, 0, 1],
    }


def test_the_register_lists_each_training_need_but_no_cancelled_one_or_other_types(hand_built):
    register = registers.training_register()
    titles = {need.title for need in register.needs}
    assert len(titles) == 9
    assert "A cancelled" not in titles
    assert "A development" not in titles
    overdue = {need.title for need in register.needs if need.is_overdue}
    assert overdue == {"A open overdue", "A in progress overdue", "Health overdue"}


def test_due_today_is_not_yet_overdue(make_action):
    make_action("Due today", due_date=TODAY)
    assert registers.training_register().totals.overdue == 0
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert registers.training_register(today=tomorrow).totals.overdue == 1


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.PARTNERSHIP_VIEWER])
def test_the_register_page_shows_the_figures(client_for, hand_built, role):
    page = soup_of(client_for(role).get(reverse("recommendations:training")))
    row = next(tr for tr in page.select("#by-agency tbody tr") if "Alder School" in tr.th.text)
    assert [td.text.strip() for td in row.select("td")] == ["2", "1", "1", "2", "4"]
    assert "never name a child" in page.select_one("#titles-hint").text
    assert len(page.select("#needs-table tbody tr")) == 9


def test_the_register_downloads_as_csv_with_formulas_neutralised(
    client_for, hand_built, make_action
):
    make_action("=1+1", agency=hand_built["a"])
    response = client_for(Role.PARTNERSHIP_VIEWER).get(
        reverse("recommendations:training"), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["'=1+1", "Alder School", "Schools", "Open", FUTURE.isoformat(), "No"] in rows
    assert ["Alder School", "3", "1", "1", "2", "5"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_register_downloads_as_a_workbook_that_opens(client_for, hand_built, make_action):
    make_action("=1+1", agency=hand_built["a"])
    response = client_for(Role.QA_LEAD).get(reverse("recommendations:training"), {"format": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["By agency", "By agency type", "Training needs"]
    by_agency = [list(row) for row in workbook["By agency"].iter_rows(values_only=True)]
    assert ["Alder School", 3, 1, 1, 2, 5] in by_agency
    assert ["All agencies", 5, 2, 3, 3, 10] in by_agency
    needs = [row[0] for row in workbook["Training needs"].iter_rows(min_row=3, values_only=True)]
    assert "'=1+1" in needs
    assert "=1+1" not in needs
    assert workbook["Training needs"]["A3"].data_type == "s"


def test_partnership_viewers_pages_hold_no_eha_reference_or_audit_link(client_for, make_action):
    audit = AuditFactory(judged="Good")
    reference = audit.assessment.reference
    agency = AgencyFactory(name="Alder School")
    rec = recommendations.record(
        made_on=TODAY,
        source="multi_agency_audit",
        text="Better plans",
        by=UserFactory(roles=[Role.QA_LEAD]),
    )
    make_action("Plans training", audit=audit, agency=agency, recommendation=rec)
    make_action(
        "Review the plan standard",
        action_type=Action.Type.STANDARDS_REVIEW,
        audit=audit,
        recommendation=rec,
        framework_version=default_framework_version(),
    )
    client = client_for(Role.PARTNERSHIP_VIEWER)
    for url in (
        reverse("recommendations:list"),
        reverse("recommendations:detail", args=[rec.pk]),
        reverse("recommendations:training"),
        reverse("recommendations:training") + "?format=csv",
        reverse("recommendations:standards"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        assert (
            "Plans training" in body or "Review the plan standard" in body or "Better plans" in body
        )
        assert reference not in body, url
        assert f"/audits/{audit.pk}/" not in body, url
        assert "/cases/" not in body, url


def test_standards_reviews_show_the_framework_version_each_produced(client_for, make_action):
    version = default_framework_version()
    make_action(
        "Review the voice of the child standard",
        action_type=Action.Type.STANDARDS_REVIEW,
        status=A.DONE,
        framework_version=version,
    )
    make_action("Review closure", action_type=Action.Type.STANDARDS_REVIEW)
    make_action("Not a review", action_type=Action.Type.TRAINING)
    page = soup_of(client_for(Role.PARTNERSHIP_VIEWER).get(reverse("recommendations:standards")))
    rows = page.select("#reviews-table tbody tr")
    assert len(rows) == 2
    produced = next(row for row in rows if "voice of the child" in row.text)
    link = produced.select_one(f'a[href="{reverse("standards:version", args=[version.pk])}"]')
    assert link is not None
    assert str(version) in link.text
    pending = next(row for row in rows if "Review closure" in row.text)
    assert "None yet" in pending.text


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["training", "standards"])
def test_the_registers_run_the_same_number_of_queries_for_3_or_30_actions(
    client_for, make_action, name
):
    client = client_for(Role.PARTNERSHIP_VIEWER)
    url = reverse(f"recommendations:{name}")
    version = default_framework_version()
    kind = Action.Type.TRAINING if name == "training" else Action.Type.STANDARDS_REVIEW

    def add(n):
        for i in range(n):
            agency = AgencyFactory()
            make_action(
                f"Action {i}",
                action_type=kind,
                agency=agency,
                framework_version=version if i % 2 else None,
                due_date=PAST if i % 3 else FUTURE,
            )

    urls = [url]
    if name == "training":
        urls += [f"{url}?format=csv", f"{url}?format=xlsx"]
    add(3)
    few = [_queries(client, each) for each in urls]
    add(27)
    assert [_queries(client, each) for each in urls] == few
