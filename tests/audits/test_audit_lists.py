"""The lists of audits: who sees which audit, "My audits" (overdue first), the QA lead's list of
all audits with every filter, sort, pagination, empty states and bad input, the audits of an EHA
on its case page, and a number of queries that does not grow with the number of audits."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from earlyhelp.accounts.models import Agency, District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.list_forms import parse_month
from earlyhelp.audits.models import Audit, AuditShare
from earlyhelp.audits.selectors import (
    audit_list_queryset,
    audits_for_case,
    my_audits,
    visible_audits,
)
from earlyhelp.standards.defaults import DEFAULT_LIBRARY
from earlyhelp.standards.library import load_library

from ..cases.factories import EarlyHelpAssessmentFactory
from .factories import AuditFactory, default_framework_version, grade

pytestmark = pytest.mark.django_db

S = Audit.Status
TODAY = timezone.localdate


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def district(name):
    # get_or_create: a transactional test run earlier may have flushed the migrations' rows.
    return District.objects.get_or_create(name=name)[0]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """The EHA references of the audits in the table, in the order shown."""
    return [
        th.get_text(" ", strip=True).removeprefix("Audit of ")
        for th in soup_of(response).select("#audit-table tbody th")
    ]


def rows(response):
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in soup_of(response).select("#audit-table tbody tr")
    ]


def signed_in(client, user):
    client.force_login(user)
    return client


def audit(reference, **fields):
    """An audit of a new EHA with this reference."""
    eha_fields = {
        key.removeprefix("eha__"): fields.pop(key) for key in list(fields) if key[:5] == "eha__"
    }
    return AuditFactory(
        assessment=EarlyHelpAssessmentFactory(reference=reference, **eha_fields), **fields
    )


@pytest.fixture
def lead(make_user):
    return make_user(Role.QA_LEAD)


@pytest.fixture
def lead_client(client, lead):
    return signed_in(client, lead)


NOT_LEADS = [r for r in Role if r != Role.QA_LEAD]
NOT_AUDITORS = [r for r in Role if r != Role.AUDITOR]


# Who may open the lists --------------------------------------------------------------------------


def test_auditors_may_open_my_audits(client_for):
    response = client_for(Role.AUDITOR).get("/audits/mine/")
    assert response.status_code == 200
    assert soup_of(response).h1.get_text(strip=True) == "My audits"


@pytest.mark.parametrize("role", NOT_AUDITORS)
def test_everyone_else_is_refused_my_audits(client_for, role):
    response = client_for(role).get("/audits/mine/")
    assert response.status_code == 403
    assert getattr(response.wsgi_request, "refused_by_access_policy", False)


def test_the_qa_lead_may_open_the_list_of_all_audits(lead_client):
    response = lead_client.get("/audits/")
    assert response.status_code == 200
    assert soup_of(response).h1.get_text(strip=True) == "Audits"


@pytest.mark.parametrize("role", NOT_LEADS)
def test_everyone_else_is_refused_the_list_of_all_audits(client_for, role):
    audit("EHA-SECRET")
    response = client_for(role).get("/audits/")
    assert response.status_code == 403
    assert "EHA-SECRET" not in response.content.decode()


@pytest.mark.parametrize("path", ["/audits/", "/audits/mine/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={path}"


# Which audits each person sees ----------------------------------------------------------------


def test_the_qa_lead_sees_every_audit_in_every_status(lead):
    audits = {audit(f"EHA-{status}", status=status) for status in S.values}
    assert set(visible_audits(lead)) == audits


def test_an_auditor_sees_the_audits_assigned_to_them_in_every_status(make_user):
    auditor = make_user(Role.AUDITOR)
    own = {audit(f"MINE-{status}", status=status, auditor=auditor) for status in S.values}
    audit("OTHER-PLANNED")
    audit("OTHER-SHARED", status=S.SHARED)
    assert set(visible_audits(auditor)) == own


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LINE_MANAGER])
@pytest.mark.parametrize("status", [S.PLANNED, S.IN_PROGRESS, S.SUBMITTED])
def test_coordinators_and_line_managers_see_nothing_of_an_audit_until_it_is_shared(
    make_user, role, status
):
    person = make_user(role)
    audit(
        "THEIR-EHA",
        status=status,
        eha__coordinator_email=person.email,
        eha__coordinator_manager_email=person.email,
    )
    assert list(visible_audits(person)) == []


def shared_with(an_audit, person, relationship=AuditShare.Relationship.COORDINATOR):
    """Records that the audit was shared with this person (feedback.py does it for real)."""
    AuditShare.objects.create(
        audit=an_audit, person=person, relationship=relationship, shared_by=an_audit.auditor
    )
    return an_audit


@pytest.mark.parametrize("status", [S.SHARED, S.CLOSED])
def test_a_coordinator_sees_only_the_audits_shared_with_them(make_user, status):
    coordinator = make_user(Role.COORDINATOR)
    mine = shared_with(audit("MINE", status=status, eha__coordinator=coordinator), coordinator)
    # Their own EHA, but shared only with someone else (they had no account then).
    shared_with(
        audit("OWN-EHA-NOT-SHARED-WITH-THEM", status=status, eha__coordinator=coordinator),
        make_user(Role.LINE_MANAGER),
        AuditShare.Relationship.LINE_MANAGER,
    )
    other = make_user(Role.COORDINATOR)
    shared_with(audit("SOMEONE-ELSES", status=status, eha__coordinator=other), other)
    audit("NOBODYS", status=status)
    assert set(visible_audits(coordinator)) == {mine}


def test_a_line_manager_sees_only_the_audits_shared_with_them_as_the_line_manager(make_user):
    manager = make_user(Role.LINE_MANAGER)
    team_member = make_user(Role.COORDINATOR, line_manager=manager)
    team = shared_with(
        audit("TEAM", status=S.SHARED, eha__coordinator=team_member),
        manager,
        AuditShare.Relationship.LINE_MANAGER,
    )
    shared_with(audit("TEAM-TOLD-ONLY-THE-COORDINATOR", status=S.CLOSED), team_member)
    audit("TEAM-UNSHARED", status=S.SUBMITTED, eha__coordinator=team_member)
    other_team = make_user(Role.COORDINATOR, line_manager=make_user(Role.LINE_MANAGER))
    shared_with(
        audit("OTHER-TEAM", status=S.SHARED, eha__coordinator=other_team),
        other_team.line_manager,
        AuditShare.Relationship.LINE_MANAGER,
    )
    assert set(visible_audits(manager)) == {team}


def test_an_auditor_who_coordinates_sees_their_assignments_and_audits_shared_with_them(
    make_user,
):
    person = make_user(Role.AUDITOR, Role.COORDINATOR)
    assigned = audit("ASSIGNED", auditor=person)
    coordinated = shared_with(
        audit("COORDINATED", status=S.SHARED, eha__coordinator=person), person
    )
    audit("COORDINATED-UNSHARED", status=S.SUBMITTED, eha__coordinator=person)
    shared_with(audit("SHARED-ELSEWHERE", status=S.SHARED), make_user(Role.COORDINATOR))
    # Listed once each, however many others an audit was shared with.
    shared_with(assigned, make_user(Role.LINE_MANAGER), AuditShare.Relationship.LINE_MANAGER)
    assert sorted(visible_audits(person), key=lambda a: a.pk) == [assigned, coordinated]


@pytest.mark.parametrize(
    "roles",
    [(), (Role.PARTNERSHIP_VIEWER,), (Role.DATA_OFFICER,), (Role.ADMINISTRATOR,)],
)
def test_partnership_viewers_data_officers_and_administrators_see_no_audit(make_user, roles):
    person = make_user(*roles)
    # Even an audit once assigned to them, of an EHA naming them, shared with them.
    shared_with(
        audit("NAMES-THEM", status=S.SHARED, auditor=person, eha__coordinator=person), person
    )
    assert list(visible_audits(person)) == []


def test_an_inactive_qa_lead_sees_no_audit(make_user):
    audit("ANY")
    assert list(visible_audits(make_user(Role.QA_LEAD, is_active=False))) == []


# My audits --------------------------------------------------------------------------------------


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR)


@pytest.fixture
def auditor_client(client, auditor):
    return signed_in(client, auditor)


def test_my_audits_lists_overdue_first_then_the_rest_to_do_then_the_done_newest_first(
    auditor, auditor_client
):
    audit("DUE-TOMORROW", auditor=auditor, due_date=days(1))
    audit("LATE-PLANNED", auditor=auditor, due_date=days(-1))
    audit("DUE-TODAY", auditor=auditor, due_date=days(0))
    audit("SUBMITTED-LATE", auditor=auditor, due_date=days(-20), status=S.SUBMITTED)
    audit("LATE-IN-PROGRESS", auditor=auditor, due_date=days(-7), status=S.IN_PROGRESS)
    audit("SHARED-LONG-AGO", auditor=auditor, due_date=days(-60), status=S.SHARED)
    response = auditor_client.get("/audits/mine/")
    assert listed(response) == [
        "LATE-IN-PROGRESS",
        "LATE-PLANNED",
        "DUE-TODAY",
        "DUE-TOMORROW",
        "SUBMITTED-LATE",
        "SHARED-LONG-AGO",
    ]
    overdue = [
        tr.th.get_text(" ", strip=True).removeprefix("Audit of ")
        for tr in soup_of(response).select("#audit-table tbody tr")
        if tr.select_one(".govuk-tag--red")
    ]
    assert overdue == ["LATE-IN-PROGRESS", "LATE-PLANNED"]
    assert [t.get_text(strip=True) for t in soup_of(response).select(".govuk-tag--red")] == [
        "Overdue",
        "Overdue",
    ]


def test_my_audits_shows_only_my_audits_that_are_not_closed(make_user, auditor, auditor_client):
    audit("MINE-OPEN", auditor=auditor)
    audit("MINE-CLOSED", auditor=auditor, status=S.CLOSED)
    audit("SOMEONE-ELSES", auditor=make_user(Role.AUDITOR))
    assert listed(auditor_client.get("/audits/mine/")) == ["MINE-OPEN"]


def test_a_qa_lead_who_audits_sees_only_their_own_in_my_audits(client, make_user):
    person = make_user(Role.QA_LEAD, Role.AUDITOR)
    audit("MINE", auditor=person)
    audit("TEAMS")
    assert listed(signed_in(client, person).get("/audits/mine/")) == ["MINE"]


def test_each_row_of_my_audits_links_to_the_audit_page_and_shows_type_date_and_status(
    auditor, auditor_client
):
    themed = audit(
        "EHA-77",
        auditor=auditor,
        audit_type=Audit.Type.THEMED,
        status=S.IN_PROGRESS,
        due_date=datetime.date(2099, 3, 27),
    )
    response = auditor_client.get("/audits/mine/")
    row = soup_of(response).select_one("#audit-table tbody tr")
    assert row.th.a["href"] == f"/audits/{themed.pk}/"
    assert row.th.a.get_text(" ", strip=True) == "Audit of EHA-77"
    assert rows(response) == [["Audit of EHA-77", "Themed", "27 March 2099", "In progress"]]
    assert row.select_one("time")["datetime"] == "2099-03-27"
    headings = [th.get_text(strip=True) for th in soup_of(response).select("#audit-table thead th")]
    assert headings == ["EHA reference", "Type", "Due date", "Status"]


def test_with_no_audits_assigned_my_audits_says_so(make_user, auditor_client):
    audit("SOMEONE-ELSES", auditor=make_user(Role.AUDITOR))
    soup = soup_of(auditor_client.get("/audits/mine/"))
    assert soup.select_one("#empty-state").get_text(strip=True) == "No audits are assigned to you."
    assert soup.select_one("#audit-table") is None


def test_my_audits_shows_50_a_page(auditor, auditor_client):
    for number in range(60):
        audit(f"EHA-{number:03d}", auditor=auditor, due_date=days(number))
    first = auditor_client.get("/audits/mine/")
    assert listed(first) == [f"EHA-{n:03d}" for n in range(50)]
    assert soup_of(first).caption.get_text(strip=True) == "Showing 1 to 50 of 60 audits"
    second = auditor_client.get("/audits/mine/?page=2")
    assert listed(second) == [f"EHA-{n:03d}" for n in range(50, 60)]
    assert soup_of(second).select_one("a[rel=prev]")["href"] == "?page=1"


def test_my_audits_selector_puts_overdue_first_for_any_day(auditor):
    # The selector takes the day, so the order is testable on any calendar.
    day = datetime.date(2026, 3, 1)
    audit("LATE", auditor=auditor, due_date=datetime.date(2026, 2, 27))
    audit("EARLIER-BUT-SUBMITTED", auditor=auditor, due_date=datetime.date(2026, 2, 1))
    Audit.objects.filter(assessment__reference="EARLIER-BUT-SUBMITTED").update(status=S.SUBMITTED)
    audit("SOON", auditor=auditor, due_date=datetime.date(2026, 3, 2))
    order = [a.assessment.reference for a in my_audits(auditor, today=day)]
    assert order == ["LATE", "SOON", "EARLIER-BUT-SUBMITTED"]


# All audits: filters ----------------------------------------------------------------------------


def test_month_filter_keeps_audits_due_in_that_month(lead_client):
    audit("LAST-DAY-OF-FEB", due_date=datetime.date(2026, 2, 28))
    audit("FIRST-OF-MARCH", due_date=datetime.date(2026, 3, 1))
    audit("END-OF-MARCH", due_date=datetime.date(2026, 3, 31))
    audit("FIRST-OF-APRIL", due_date=datetime.date(2026, 4, 1))
    audit("MARCH-LAST-YEAR", due_date=datetime.date(2025, 3, 15))
    response = lead_client.get("/audits/?month=2026-03&sort=reference")
    assert listed(response) == ["END-OF-MARCH", "FIRST-OF-MARCH"]


def test_month_filter_in_december_ends_at_the_new_year(lead_client):
    audit("DECEMBER", due_date=datetime.date(2025, 12, 31))
    audit("JANUARY", due_date=datetime.date(2026, 1, 1))
    assert listed(lead_client.get("/audits/?month=2025-12")) == ["DECEMBER"]


@pytest.mark.parametrize(
    "typed",
    ["2026-03", "2026-3", "2026/03", "03/2026", "3-2026", "March 2026", "mar 2026", " MAR. 2026 "],
)
def test_the_month_may_be_typed_in_the_ways_people_write_it(typed):
    assert parse_month(typed) == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("value", Audit.Type.values)
def test_type_filter(lead_client, value):
    for audit_type in Audit.Type.values:
        audit(f"TYPE-{audit_type}", audit_type=audit_type)
    assert listed(lead_client.get(f"/audits/?type={value}")) == [f"TYPE-{value}"]


@pytest.mark.parametrize("value", S.values)
def test_status_filter(lead_client, value):
    for status in S.values:
        audit(f"STATUS-{status}", status=status)
    assert listed(lead_client.get(f"/audits/?status={value}")) == [f"STATUS-{value}"]


def test_auditor_filter(lead_client, make_user):
    sam = make_user(Role.AUDITOR, full_name="Sam Auditor")
    audit("SAMS", auditor=sam)
    audit("SOMEONE-ELSES")
    response = lead_client.get(f"/audits/?auditor={sam.pk}")
    assert listed(response) == ["SAMS"]
    assert rows(response)[0][3] == "Sam Auditor"


def test_the_auditor_choices_are_auditors_and_anyone_with_audits(lead_client, make_user):
    make_user(Role.AUDITOR, full_name="Ava Current")
    former = make_user(Role.DATA_OFFICER, full_name="Fred Former")
    audit("FREDS", auditor=former)
    make_user(Role.COORDINATOR, full_name="Cora Coordinator")
    options = soup_of(lead_client.get("/audits/")).select("#id_auditor option")
    names = [o.get_text(strip=True) for o in options]
    assert "Ava Current" in names
    assert "Fred Former" in names
    assert "Cora Coordinator" not in names
    assert names[0] == "All auditors"
    assert len(names) == len(set(names))


def test_district_filter(lead_client):
    eden = district("Eden")
    audit("IN-EDEN", eha__district=eden)
    audit("IN-CARLISLE")
    response = lead_client.get(f"/audits/?district={eden.pk}")
    assert listed(response) == ["IN-EDEN"]
    assert rows(response)[0][1] == "Eden"


def test_lead_agency_filter(lead_client):
    hub = Agency.objects.create(name="Whitehaven Family Hub")
    audit("HUBS", eha__lead_agency=hub)
    audit("ELSEWHERE")
    assert listed(lead_client.get(f"/audits/?lead_agency={hub.pk}")) == ["HUBS"]


def test_judgement_filter_finds_submitted_audits_with_that_grade(lead_client):
    audit("GOOD", judged="Good")
    audit("GOOD-SHARED", judged="Good", status=S.SHARED)
    audit("INADEQUATE", judged="Inadequate")
    # A judgement picked in a form not yet submitted is not a result.
    audit("DRAFT-GOOD", status=S.IN_PROGRESS, judgement=grade("Good"))
    audit("NOT-JUDGED")
    response = lead_client.get("/audits/?judgement=Good&sort=reference")
    assert listed(response) == ["GOOD", "GOOD-SHARED"]
    assert [row[6] for row in rows(response)] == ["Good", "Good"]


def test_judgement_filter_matches_the_grade_in_every_framework_version(lead_client):
    version_2 = load_library(
        DEFAULT_LIBRARY.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "2.0"')
    ).version
    assert version_2 != default_framework_version()
    audit("GOOD-V1", judged="Good")
    audit("GOOD-V2", judged="Good", framework_version=version_2)
    audit("OUTSTANDING-V2", judged="Outstanding", framework_version=version_2)
    response = lead_client.get("/audits/?judgement=Good&sort=reference")
    assert listed(response) == ["GOOD-V1", "GOOD-V2"]
    options = soup_of(response).select("#id_judgement option")
    assert [o.get_text(strip=True) for o in options] == [
        "Any judgement",
        "Outstanding",
        "Good",
        "Requires Improvement",
        "Inadequate",
    ]


def test_the_judgement_column_is_shown_only_once_submitted(lead_client):
    audit("DRAFT", status=S.IN_PROGRESS, judgement=grade("Outstanding"))
    audit("DONE", judged="Requires Improvement")
    response = lead_client.get("/audits/?sort=reference")
    assert [(row[0], row[6]) for row in rows(response)] == [
        ("Audit of DONE", "Requires Improvement"),
        ("Audit of DRAFT", "Not given yet"),
    ]


def test_filters_combine_and_are_kept_in_the_form(lead_client, make_user):
    eden = district("Eden")
    sam = make_user(Role.AUDITOR)
    audit("MATCH", auditor=sam, eha__district=eden, audit_type=Audit.Type.THEMED)
    audit("WRONG-TYPE", auditor=sam, eha__district=eden)
    audit("WRONG-DISTRICT", auditor=sam, audit_type=Audit.Type.THEMED)
    query = f"?district={eden.pk}&type=themed&auditor={sam.pk}&month=March+2099"
    Audit.objects.update(due_date=datetime.date(2099, 3, 10))
    response = lead_client.get(f"/audits/{query}")
    assert listed(response) == ["MATCH"]
    soup = soup_of(response)
    assert soup.select_one("#id_district option[selected]")["value"] == str(eden.pk)
    assert soup.select_one("#id_type option[selected]")["value"] == "themed"
    assert soup.select_one("#id_auditor option[selected]")["value"] == str(sam.pk)
    assert soup.select_one("#id_month")["value"] == "March 2099"


def test_the_filter_form_is_sent_by_get_so_it_works_without_javascript(lead_client):
    form = soup_of(lead_client.get("/audits/")).select_one("main form")
    assert form["method"] == "get"
    assert form["action"] == "/audits/"
    assert form.select_one("button[type=submit]").get_text(strip=True) == "Apply filters"
    assert [label.get_text(strip=True) for label in form.select("label")] == [
        "Month due",
        "Type",
        "Status",
        "Auditor",
        "District",
        "Lead agency",
        "Judgement",
    ]


def test_filters_that_are_all_empty_show_every_audit(lead_client):
    for number in range(3):
        audit(f"EHA-{number}")
    query = "month=&type=&status=&auditor=&district=&lead_agency=&judgement=&sort="
    response = lead_client.get(f"/audits/?{query}")
    assert soup_of(response).select_one(".govuk-error-summary") is None
    assert len(listed(response)) == 3


def test_the_selector_takes_plain_values_so_reports_can_reuse_it(lead):
    audit("MARCH", due_date=datetime.date(2026, 3, 5), audit_type=Audit.Type.DRIFT)
    audit("APRIL", due_date=datetime.date(2026, 4, 5), audit_type=Audit.Type.DRIFT)
    filters = {"month": datetime.date(2026, 3, 1), "type": "drift"}
    assert [a.assessment.reference for a in audit_list_queryset(lead, filters)] == ["MARCH"]


# Bad filter input -------------------------------------------------------------------------------


def error_summary(response):
    summary = soup_of(response).select_one(".govuk-error-summary")
    if summary is None:
        return None
    return [(a["href"], a.get_text(strip=True)) for a in summary.select("a")]


MONTH_FORMAT = "Enter the month due as a month and year, like March 2026 or 2026-03"
MONTH_REAL = "Month due must be a real month, like March 2026 or 2026-03"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("month", "soon", MONTH_FORMAT),
        ("month", "2026", MONTH_FORMAT),
        ("month", "Smarch 2026", MONTH_FORMAT),
        ("month", "2026-13", MONTH_REAL),
        ("month", "00/2026", MONTH_REAL),
        ("month", "1999-12", MONTH_REAL),
        ("month", "9" * 30, MONTH_FORMAT),
        ("type", "weekly", "Select type from the list"),
        ("status", "lost", "Select status from the list"),
        ("auditor", "999999", "Select auditor from the list"),
        ("auditor", "sam", "Select auditor from the list"),
        ("district", "eden", "Select district from the list"),
        ("lead_agency", "1; DROP TABLE", "Select lead agency from the list"),
        ("judgement", "Brilliant", "Select judgement from the list"),
    ],
)
def test_bad_filter_values_give_a_govuk_error_summary_not_a_list_or_a_crash(
    lead_client, field, value, message
):
    audit("EHA-1")
    response = lead_client.get("/audits/", {field: value})
    assert response.status_code == 200
    assert error_summary(response) == [(f"#id_{field}", message)]
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Error: Audits")
    inline = soup.select_one(f"#id_{field}_error").get_text(" ", strip=True)
    assert inline == f"Error: {message}"
    assert soup.select_one("#audit-table") is None


def test_a_person_who_is_not_an_auditor_is_not_a_valid_auditor_choice(lead_client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    response = lead_client.get(f"/audits/?auditor={coordinator.pk}")
    assert error_summary(response) == [("#id_auditor", "Select auditor from the list")]


def test_bad_values_are_shown_back_escaped(lead_client):
    response = lead_client.get("/audits/", {"month": "<script>x</script>"})
    assert error_summary(response)
    assert "<script>x</script>" not in response.content.decode()


def test_names_from_outside_are_escaped_in_the_list(lead_client, make_user):
    audit("EHA-1", auditor=make_user(Role.AUDITOR, full_name="<img src=x onerror=alert(1)>"))
    content = lead_client.get("/audits/").content.decode()
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


# All audits: sorting, pagination, empty states --------------------------------------------------


@pytest.fixture
def three_audits(make_user):
    eden, allerdale = district("Eden"), district("Allerdale")
    audit(
        "B",
        auditor=make_user(Role.AUDITOR, full_name="Zoe"),
        due_date=days(10),
        status=S.SUBMITTED,
        judgement=grade("Inadequate"),
        eha__district=eden,
    )
    audit(
        "C",
        auditor=make_user(Role.AUDITOR, full_name="Adam"),
        due_date=days(-10),
        status=S.IN_PROGRESS,
        eha__district=allerdale,
    )
    audit(
        "A",
        auditor=make_user(Role.AUDITOR, full_name="Mo"),
        due_date=days(0),
        status=S.SHARED,
        judgement=grade("Good"),
    )


@pytest.mark.usefixtures("three_audits")
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["B", "A", "C"]),  # latest due first
        ("reference", ["A", "B", "C"]),
        ("-reference", ["C", "B", "A"]),
        ("due_date", ["C", "A", "B"]),
        ("-due_date", ["B", "A", "C"]),
        ("auditor", ["C", "A", "B"]),
        ("-auditor", ["B", "A", "C"]),
        ("district", ["C", "A", "B"]),  # Allerdale, Carlisle, Eden
        ("status", ["C", "B", "A"]),  # in the lifecycle's order
        ("-status", ["A", "B", "C"]),
        ("judgement", ["A", "B", "C"]),  # best first, not yet judged last
        ("-judgement", ["B", "A", "C"]),  # worst first, not yet judged still last
        ("auditor__password", ["B", "A", "C"]),  # not a sort key: the usual order
    ],
)
def test_the_list_sorts_by_each_allowed_column_and_nothing_else(lead_client, sort, expected):
    response = lead_client.get("/audits/", {"sort": sort})
    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.usefixtures("three_audits")
def test_only_the_sorted_heading_has_aria_sort_and_its_link_reverses_the_order(lead_client):
    soup = soup_of(lead_client.get("/audits/?status=shared&sort=auditor"))
    headers = {
        th.a.contents[0].strip(): (th.get("aria-sort"), th.a["href"])
        for th in soup.select("#audit-table thead th")
        if th.a
    }
    assert set(headers) == {
        "EHA reference",
        "District",
        "Auditor",
        "Due date",
        "Status",
        "Judgement",
    }
    assert headers["Auditor"] == ("ascending", "?status=shared&sort=-auditor")
    assert headers["Due date"] == (None, "?status=shared&sort=due_date")
    default = soup_of(lead_client.get("/audits/")).select_one("th[aria-sort]")
    assert default.a.contents[0].strip() == "Due date"
    assert default["aria-sort"] == "descending"


def test_overdue_audits_are_tagged_in_the_list_of_all_audits(lead_client):
    audit("LATE", due_date=days(-1))
    audit("LATE-BUT-SUBMITTED", due_date=days(-1), status=S.SUBMITTED)
    response = lead_client.get("/audits/?sort=reference")
    assert rows(response)[0][4].endswith("Overdue")
    assert "Overdue" not in rows(response)[1][4]


def make_audits(count, **fields):
    """Many audits quickly: one EHA, auditor and creator for them all, written in one go."""
    first = AuditFactory(**fields)
    shared = {
        "assessment": first.assessment,
        "auditor": first.auditor,
        "created_by": first.created_by,
        "framework_version": first.framework_version,
        **fields,
    }
    rest = [AuditFactory.build(**shared) for _ in range(count - 1)]
    return [first, *Audit.objects.bulk_create(rest)]


def test_the_list_shows_50_audits_a_page_and_says_which_of_how_many(lead_client):
    audits = make_audits(120)
    in_order = [a.pk for a in sorted(audits, key=lambda a: a.pk)]
    first = lead_client.get("/audits/?sort=reference")
    links = [a["href"] for a in soup_of(first).select("#audit-table tbody th a")]
    assert links == [f"/audits/{pk}/" for pk in in_order[:50]]
    assert soup_of(first).caption.get_text(strip=True) == "Showing 1 to 50 of 120 audits"
    last = lead_client.get("/audits/?sort=reference&page=3")
    assert soup_of(last).caption.get_text(strip=True) == "Showing 101 to 120 of 120 audits"
    assert len(listed(last)) == 20
    nav = soup_of(last).select_one("nav.govuk-pagination")
    assert nav.select_one("a[rel=prev]")["href"] == "?sort=reference&page=2"
    assert nav.select_one("a[rel=next]") is None


def test_pagination_keeps_the_filters(lead_client):
    make_audits(60, audit_type=Audit.Type.THEMED)
    nav = soup_of(lead_client.get("/audits/?type=themed")).select_one("nav.govuk-pagination")
    assert nav.select_one("a[rel=next]")["href"] == "?type=themed&page=2"


@pytest.mark.parametrize("asked_for", ["9", "abc"])
def test_a_page_that_does_not_exist_shows_a_real_page(lead_client, asked_for):
    make_audits(60)
    response = lead_client.get("/audits/", {"page": asked_for})
    assert response.status_code == 200
    assert len(listed(response)) == (10 if asked_for == "9" else 50)


def test_a_single_audit_is_counted_in_the_singular(lead_client):
    audit("ONLY")
    assert soup_of(lead_client.get("/audits/")).caption.get_text(strip=True) == "Showing 1 audit"


def test_before_any_audit_the_list_says_there_are_none_and_offers_to_start_one(lead_client):
    soup = soup_of(lead_client.get("/audits/"))
    assert soup.select_one("#empty-state").get_text(strip=True) == "There are no audits yet"
    assert soup.select_one("#audit-table") is None
    start = soup.find("a", string="Start an audit")
    assert start["href"] == "/audits/new/"


def test_when_no_audit_matches_the_filters_the_list_says_so_and_offers_to_clear_them(
    lead_client,
):
    audit("PLANNED-ONE")
    soup = soup_of(lead_client.get("/audits/?status=closed"))
    assert soup.select_one("#empty-state").get_text(strip=True) == "No audits match these filters"
    assert soup.find("a", string="clear the filters")["href"] == "/audits/"


# Queries do not grow with the number of audits -------------------------------------------------


def varied_audits(count, make_user):
    """Audits that differ in everything a row shows: EHA, district, agency, auditor, grade."""
    districts = [district(name) for name in ("Allerdale", "Carlisle", "Eden", "Copeland")]
    grades = ["Outstanding", "Good", "Requires Improvement", "Inadequate"]
    lead = make_user(Role.QA_LEAD)
    for number in range(count):
        audit(
            f"EHA-{number:03d}",
            auditor=make_user(Role.AUDITOR),
            created_by=lead,
            due_date=days(number - count // 2),
            status=S.SUBMITTED if number % 2 else S.PLANNED,
            judgement=grade(grades[number % 4]) if number % 2 else None,
            eha__district=districts[number % len(districts)],
            eha__lead_agency=Agency.objects.create(name=f"Agency {number}"),
        )


# Session, user, roles, the unread notifications in the header; the filter form's auditor,
# district, agency and judgement choices; the count and the page of audits with everything its
# rows show.
ALL_AUDITS_QUERIES = 10
# Session, user, roles, the unread notifications; the count and the page.
MY_AUDITS_QUERIES = 6


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("sort", ["", "status", "-judgement", "auditor"])
def test_the_list_of_all_audits_runs_the_same_queries_for_3_or_40_audits(
    lead_client, make_user, django_assert_max_num_queries, count, sort
):
    varied_audits(count, make_user)
    with django_assert_max_num_queries(ALL_AUDITS_QUERIES):
        response = lead_client.get(f"/audits/?sort={sort}")
    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [3, 40])
def test_the_filtered_list_runs_the_same_queries_for_3_or_40_audits(
    lead_client, make_user, django_assert_max_num_queries, count
):
    varied_audits(count, make_user)
    wanted = Audit.objects.select_related("assessment").first()
    query = f"?district={wanted.assessment.district_id}&auditor={wanted.auditor_id}"
    # Two more: the chosen district and auditor are each looked up once to check them.
    with django_assert_max_num_queries(ALL_AUDITS_QUERIES + 2):
        response = lead_client.get(f"/audits/{query}")
    assert listed(response) == [wanted.assessment.reference]


@pytest.mark.parametrize("count", [3, 40])
def test_my_audits_runs_the_same_queries_for_3_or_40_audits(
    auditor, auditor_client, django_assert_max_num_queries, count
):
    for number in range(count):
        audit(f"EHA-{number:03d}", auditor=auditor, due_date=days(number - 5))
    with django_assert_max_num_queries(MY_AUDITS_QUERIES):
        response = auditor_client.get("/audits/mine/")
    assert len(listed(response)) == count


# The audits of an EHA on its case page ----------------------------------------------------------


def case_audits(response):
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in soup_of(response).select("#audits-and-feedback tbody tr")
    ]


@pytest.fixture
def eha_with_audits(make_user):
    """An EHA coordinated by a coordinator, with a planned audit and a shared one, and an audit
    of another EHA."""
    coordinator = make_user(Role.COORDINATOR, line_manager=make_user(Role.LINE_MANAGER))
    eha = EarlyHelpAssessmentFactory(reference="EHA-CASE", coordinator=coordinator)
    planned = AuditFactory(
        assessment=eha,
        auditor=make_user(Role.AUDITOR, full_name="Pat Planner"),
        due_date=datetime.date(2099, 6, 1),
    )
    shared = AuditFactory(
        assessment=eha,
        auditor=make_user(Role.AUDITOR, full_name="Sue Sharer"),
        audit_type=Audit.Type.THEMED,
        status=S.SHARED,
        judgement=grade("Good"),
        due_date=datetime.date(2026, 1, 15),
    )
    shared_with(shared, coordinator)
    shared_with(shared, coordinator.line_manager, AuditShare.Relationship.LINE_MANAGER)
    shared_with(
        AuditFactory(
            assessment=EarlyHelpAssessmentFactory(coordinator=coordinator),
            auditor=planned.auditor,
            status=S.SHARED,
        ),
        coordinator,
    )
    return {"eha": eha, "coordinator": coordinator, "planned": planned, "shared": shared}


PLANNED_ROW = ["Monthly dip sample", "Pat Planner", "1 June 2099", "Planned", "Not given yet"]
SHARED_ROW = [
    "Themed",
    "Sue Sharer",
    "15 January 2026",
    "Shared with the practitioner",
    "Good",
]


def test_the_qa_lead_sees_every_audit_of_the_eha_on_its_case_page(lead_client, eha_with_audits):
    eha, planned, shared = (eha_with_audits[k] for k in ("eha", "planned", "shared"))
    response = lead_client.get(f"/cases/{eha.pk}/")
    assert [row[1:] for row in case_audits(response)] == [PLANNED_ROW[1:], SHARED_ROW[1:]]
    links = [a["href"] for a in soup_of(response).select("#audits-and-feedback tbody th a")]
    assert links == [f"/audits/{planned.pk}/", f"/audits/{shared.pk}/"]
    first_link = soup_of(response).select_one("#audits-and-feedback tbody th a")
    assert first_link.get_text(" ", strip=True) == "Monthly dip sample audit due 1 June 2099"


def test_an_auditor_sees_on_the_case_page_only_the_audits_assigned_to_them(client, eha_with_audits):
    planned = eha_with_audits["planned"]
    response = signed_in(client, planned.auditor).get(f"/cases/{planned.assessment_id}/")
    assert [row[1:] for row in case_audits(response)] == [PLANNED_ROW[1:]]


def test_the_coordinator_sees_only_the_audit_shared_with_them_and_it_links_to_its_page(
    client, eha_with_audits
):
    eha, coordinator = eha_with_audits["eha"], eha_with_audits["coordinator"]
    shared = eha_with_audits["shared"]
    response = signed_in(client, coordinator).get(f"/cases/{eha.pk}/")
    assert [row[1:] for row in case_audits(response)] == [SHARED_ROW[1:]]
    links = [a["href"] for a in soup_of(response).select("#audits-and-feedback a")]
    assert links == [f"/audits/{shared.pk}/"]


def test_the_line_manager_sees_only_the_shared_audit(client, eha_with_audits):
    eha, coordinator = eha_with_audits["eha"], eha_with_audits["coordinator"]
    response = signed_in(client, coordinator.line_manager).get(f"/cases/{eha.pk}/")
    assert [row[1:] for row in case_audits(response)] == [SHARED_ROW[1:]]


def test_a_coordinator_with_nothing_shared_is_told_there_are_no_audits_yet(
    client, make_user, eha_with_audits
):
    eha = eha_with_audits["eha"]
    eha_with_audits["shared"].delete()
    response = signed_in(client, eha_with_audits["coordinator"]).get(f"/cases/{eha.pk}/")
    assert case_audits(response) == []
    assert soup_of(response).select_one("#audits-and-feedback").get_text(strip=True) == (
        "There are no audits or feedback for this EHA yet."
    )
    assert "Pat Planner" not in response.content.decode()


def test_audits_for_case_never_returns_another_ehas_audits(lead, eha_with_audits):
    eha = eha_with_audits["eha"]
    assert {a.assessment_id for a in audits_for_case(lead, eha)} == {eha.pk}
    assert len(audits_for_case(lead, eha)) == 2


@pytest.mark.parametrize("count", [1, 10])
def test_the_case_page_runs_the_same_queries_for_1_or_10_audits(
    lead_client, make_user, django_assert_max_num_queries, count
):
    eha = EarlyHelpAssessmentFactory()
    for _ in range(count):
        AuditFactory(assessment=eha, auditor=make_user(Role.AUDITOR), judged="Good")
    # The case page's own six, and one for its audits with their auditors and grades.
    with django_assert_max_num_queries(8):
        response = lead_client.get(f"/cases/{eha.pk}/")
    assert len(case_audits(response)) == count


# Navigation -------------------------------------------------------------------------------------


def nav(response):
    links = soup_of(response).select(".govuk-service-navigation__list a")
    return [(a.get_text(strip=True), a.get("aria-current")) for a in links]


def test_auditors_are_offered_my_audits_and_it_is_marked_current(auditor_client):
    items = nav(auditor_client.get("/audits/mine/"))
    assert ("My audits", "page") in items
    assert "Audits" not in [label for label, _ in items]


def test_the_qa_lead_is_offered_audits_and_it_is_marked_current(lead_client):
    items = nav(lead_client.get("/audits/"))
    assert ("Audits", "page") in items
    assert "My audits" not in [label for label, _ in items]
