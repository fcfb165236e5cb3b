"""The case list: who sees which EHAs, every filter and sort, pagination, empty states, bad
input, and a number of queries that does not grow with the data."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.cases.selectors import filtered_case_list, months_before, visible_assessments
from earlyhelp.core.models import AccessLog

from ..factories import UserFactory
from .factories import EarlyHelpAssessmentFactory, FamilyFactory

pytestmark = pytest.mark.django_db

CASE_ROLES = [Role.QA_LEAD, Role.AUDITOR, Role.COORDINATOR, Role.LINE_MANAGER]
NO_CASE_ROLES = [Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER, Role.ADMINISTRATOR]
OPEN, CLOSED = EarlyHelpAssessment.Status.OPEN, EarlyHelpAssessment.Status.CLOSED


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """The EHA references in the table, in the order shown."""
    return [a.get_text(strip=True) for a in soup_of(response).select("#case-table tbody th a")]


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def qa_lead_client(client, make_user):
    return signed_in(client, make_user(Role.QA_LEAD))


def ehas(count, **fields):
    """Many EHAs quickly: one family and agency for them all, written in one statement."""
    first = EarlyHelpAssessmentFactory(**fields)
    shared = {"family": first.family, "lead_agency": first.lead_agency, **fields}
    rest = [EarlyHelpAssessmentFactory.build(**shared) for _ in range(count - 1)]
    return [first, *EarlyHelpAssessment.objects.bulk_create(rest)]


# Who may open the list, and which EHAs each person sees -----------------------------------------


@pytest.mark.parametrize("role", CASE_ROLES)
def test_qa_leads_auditors_coordinators_and_line_managers_may_open_the_case_list(client_for, role):
    response = client_for(role).get("/cases/")
    assert response.status_code == 200
    assert soup_of(response).h1.get_text(strip=True) == "Cases"


@pytest.mark.parametrize("role", NO_CASE_ROLES)
def test_partnership_viewers_data_officers_and_administrators_are_refused_the_case_list(
    client_for, role
):
    EarlyHelpAssessmentFactory(reference="EHA-SECRET")
    response = client_for(role).get("/cases/")
    assert response.status_code == 403
    assert "EHA-SECRET" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_from_the_case_list(client):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/cases/"


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.AUDITOR])
def test_qa_leads_and_auditors_see_every_eha(client_for, role):
    EarlyHelpAssessmentFactory(reference="A-1")
    EarlyHelpAssessmentFactory(reference="A-2", coordinator_email="someone@agency.test")
    EarlyHelpAssessmentFactory(reference="A-3", coordinator=UserFactory())
    response = client_for(role).get("/cases/?sort=reference")
    assert listed(response) == ["A-1", "A-2", "A-3"]


def test_a_coordinator_sees_the_ehas_linked_to_them_or_to_their_e_mail_in_any_case(
    client, make_user
):
    coordinator = make_user(Role.COORDINATOR, email="sam.jones@agency.test")
    EarlyHelpAssessmentFactory(reference="MINE-LINKED", coordinator=coordinator)
    EarlyHelpAssessmentFactory(reference="MINE-BY-EMAIL", coordinator_email="sam.jones@agency.test")
    EarlyHelpAssessmentFactory(reference="OTHER-LINKED", coordinator=make_user(Role.COORDINATOR))
    EarlyHelpAssessmentFactory(reference="OTHER-EMAIL", coordinator_email="sam.jones2@agency.test")
    EarlyHelpAssessmentFactory(reference="NOBODY")
    response = signed_in(client, coordinator).get("/cases/?sort=reference")
    assert listed(response) == ["MINE-BY-EMAIL", "MINE-LINKED"]


def test_a_line_manager_sees_only_their_teams_ehas(client, make_user):
    manager = make_user(Role.LINE_MANAGER, email="lee.manager@agency.test")
    team_member = make_user(Role.COORDINATOR, line_manager=manager)
    other_team = make_user(Role.COORDINATOR, line_manager=make_user(Role.LINE_MANAGER))
    EarlyHelpAssessmentFactory(reference="TEAM-LINKED", coordinator=team_member)
    EarlyHelpAssessmentFactory(
        reference="TEAM-BY-EMAIL", coordinator_manager_email="lee.manager@agency.test"
    )
    EarlyHelpAssessmentFactory(reference="OTHER-TEAM", coordinator=other_team)
    EarlyHelpAssessmentFactory(
        reference="OTHER-MANAGER", coordinator_manager_email="someone.else@agency.test"
    )
    response = signed_in(client, manager).get("/cases/?sort=reference")
    assert listed(response) == ["TEAM-BY-EMAIL", "TEAM-LINKED"]


def test_a_line_manager_does_not_see_their_own_managers_cases_or_their_own_as_coordinator(
    make_user,
):
    manager = make_user(Role.LINE_MANAGER)
    EarlyHelpAssessmentFactory(coordinator=manager)
    EarlyHelpAssessmentFactory(coordinator_email=manager.email)
    assert visible_assessments(manager).count() == 0


def test_a_coordinator_who_is_also_a_line_manager_sees_both_sets(make_user):
    person = make_user(Role.COORDINATOR, Role.LINE_MANAGER)
    own = EarlyHelpAssessmentFactory(coordinator=person)
    team = EarlyHelpAssessmentFactory(coordinator=make_user(Role.COORDINATOR, line_manager=person))
    EarlyHelpAssessmentFactory()
    assert set(visible_assessments(person)) == {own, team}


@pytest.mark.parametrize("roles", [(), *[(role,) for role in NO_CASE_ROLES]])
def test_anyone_without_a_case_role_sees_no_eha_even_one_naming_them(make_user, roles):
    person = make_user(*roles)
    EarlyHelpAssessmentFactory(coordinator=person, coordinator_email=person.email)
    EarlyHelpAssessmentFactory(coordinator_manager_email=person.email)
    assert visible_assessments(person).count() == 0


def test_an_inactive_qa_lead_sees_no_eha(make_user):
    person = make_user(Role.QA_LEAD, is_active=False)
    EarlyHelpAssessmentFactory()
    assert visible_assessments(person).count() == 0


def test_filters_never_widen_what_a_coordinator_may_see(client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    EarlyHelpAssessmentFactory(reference="EHA-MINE", coordinator=coordinator)
    EarlyHelpAssessmentFactory(reference="EHA-THEIRS")
    response = signed_in(client, coordinator).get("/cases/?reference=EHA")
    assert listed(response) == ["EHA-MINE"]


# Filters ----------------------------------------------------------------------------------------


def test_district_filter(qa_lead_client):
    eden = District.objects.get(name="Eden")
    EarlyHelpAssessmentFactory(reference="IN-EDEN", district=eden)
    EarlyHelpAssessmentFactory(reference="IN-CARLISLE")
    assert listed(qa_lead_client.get(f"/cases/?district={eden.pk}")) == ["IN-EDEN"]


def test_lead_agency_filter(qa_lead_client):
    first = EarlyHelpAssessmentFactory(reference="FIRST")
    EarlyHelpAssessmentFactory(reference="SECOND")
    response = qa_lead_client.get(f"/cases/?lead_agency={first.lead_agency_id}")
    assert listed(response) == ["FIRST"]


def test_agency_type_filter(qa_lead_client):
    school = AgencyType.objects.get(name="School")
    EarlyHelpAssessmentFactory(reference="SCHOOL", agency_type=school)
    EarlyHelpAssessmentFactory(reference="FAMILY-SUPPORT")
    EarlyHelpAssessmentFactory(reference="NO-TYPE", agency_type=None)
    assert listed(qa_lead_client.get(f"/cases/?agency_type={school.pk}")) == ["SCHOOL"]


@pytest.mark.parametrize(("status", "expected"), [("open", ["STILL-OPEN"]), ("closed", ["SHUT"])])
def test_status_filter(qa_lead_client, status, expected):
    EarlyHelpAssessmentFactory(reference="STILL-OPEN")
    EarlyHelpAssessmentFactory(
        reference="SHUT", status=CLOSED, closure_date=datetime.date(2025, 6, 1)
    )
    assert listed(qa_lead_client.get(f"/cases/?status={status}")) == expected


@pytest.mark.parametrize("term", ["morgan", "MORGAN", "m.morgan@", "family-support.test"])
def test_coordinator_filter_matches_part_of_the_name_or_e_mail_in_any_case(qa_lead_client, term):
    EarlyHelpAssessmentFactory(
        reference="MATCH",
        coordinator_name="Megan Morgan",
        coordinator_email="m.morgan@family-support.test",
    )
    EarlyHelpAssessmentFactory(
        reference="NO-MATCH", coordinator_name="Alex Hughes", coordinator_email="a.h@school.test"
    )
    assert listed(qa_lead_client.get("/cases/", {"coordinator": term})) == ["MATCH"]


def test_open_longer_than_shows_open_ehas_started_more_than_that_many_months_ago(qa_lead_client):
    today = timezone.localdate()
    six_months_ago = months_before(today, 6)
    EarlyHelpAssessmentFactory(reference="OPEN-A-YEAR", start_date=today - datetime.timedelta(400))
    EarlyHelpAssessmentFactory(
        reference="JUST-OVER", start_date=six_months_ago - datetime.timedelta(days=1)
    )
    EarlyHelpAssessmentFactory(reference="EXACTLY-SIX", start_date=six_months_ago)
    EarlyHelpAssessmentFactory(reference="RECENT", start_date=today - datetime.timedelta(30))
    EarlyHelpAssessmentFactory(
        reference="CLOSED-OLD",
        start_date=today - datetime.timedelta(400),
        status=CLOSED,
        closure_date=today - datetime.timedelta(10),
    )
    response = qa_lead_client.get("/cases/?open_longer_than=6&sort=reference")
    assert listed(response) == ["JUST-OVER", "OPEN-A-YEAR"]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 27), 6, datetime.date(2025, 9, 27)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
        (datetime.date(2025, 3, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 3, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 5, 31), 13, datetime.date(2025, 4, 30)),
        (datetime.date(2026, 3, 27), 24, datetime.date(2024, 3, 27)),
    ],
)
def test_months_are_counted_on_the_calendar_with_short_months_ending_on_their_last_day(
    day, months, expected
):
    assert months_before(day, months) == expected


@pytest.mark.parametrize(("answer", "expected"), [("yes", ["STEPPED-DOWN"]), ("no", ["NOT"])])
def test_step_down_filter_leaves_out_ehas_where_it_is_not_recorded(
    qa_lead_client, answer, expected
):
    EarlyHelpAssessmentFactory(reference="STEPPED-DOWN", step_down_from_social_care=True)
    EarlyHelpAssessmentFactory(reference="NOT", step_down_from_social_care=False)
    EarlyHelpAssessmentFactory(reference="UNKNOWN", step_down_from_social_care=None)
    assert listed(qa_lead_client.get(f"/cases/?step_down={answer}")) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("EHA-1001", ["EHA-1001"]),
        ("eha-1001", ["EHA-1001"]),
        ("EHA-10", ["EHA-1001", "EHA-1002"]),
        ("fam-77", ["EHA-1002"]),
        ("FAM-7700", ["EHA-1002"]),
        ("1001", []),
        ("EHA-1_0", []),
        ("%", []),
    ],
)
def test_search_finds_an_eha_or_family_reference_by_its_whole_or_its_start(
    qa_lead_client, term, expected
):
    EarlyHelpAssessmentFactory(reference="EHA-1001", family=FamilyFactory(reference="FAM-1234"))
    EarlyHelpAssessmentFactory(reference="EHA-1002", family=FamilyFactory(reference="FAM-7700"))
    EarlyHelpAssessmentFactory(reference="XYZ-1")
    response = qa_lead_client.get("/cases/", {"reference": term, "sort": "reference"})
    assert listed(response) == expected


def test_filters_combine_and_are_kept_in_the_form(qa_lead_client):
    eden = District.objects.get(name="Eden")
    EarlyHelpAssessmentFactory(reference="EDEN-OPEN", district=eden)
    EarlyHelpAssessmentFactory(
        reference="EDEN-CLOSED",
        district=eden,
        status=CLOSED,
        closure_date=datetime.date(2025, 2, 1),
    )
    EarlyHelpAssessmentFactory(reference="CARLISLE-OPEN")
    response = qa_lead_client.get(f"/cases/?district={eden.pk}&status=open")
    assert listed(response) == ["EDEN-OPEN"]
    soup = soup_of(response)
    assert soup.select_one("#id_district option[selected]")["value"] == str(eden.pk)
    assert soup.select_one("#id_status option[selected]")["value"] == "open"


def test_the_filter_form_is_sent_by_get_so_it_works_without_javascript(qa_lead_client):
    form = soup_of(qa_lead_client.get("/cases/")).select_one("main form")
    assert form["method"] == "get"
    assert form["action"] == "/cases/"
    assert form.select_one("button[type=submit]").get_text(strip=True) == "Apply filters"
    assert {label.get_text(strip=True) for label in form.select("label")} >= {
        "EHA or family reference",
        "Coordinator",
        "Status",
        "District",
        "Lead agency",
        "Agency type",
        "Open for more than",
        "Step-down from social care",
    }


# Sorting ----------------------------------------------------------------------------------------


@pytest.fixture
def three_different_ehas(db):
    allerdale, eden = District.objects.get(name="Allerdale"), District.objects.get(name="Eden")
    zeta, alpha = Agency.objects.create(name="Zeta School"), Agency.objects.create(name="Alpha")
    today = timezone.localdate()
    EarlyHelpAssessmentFactory(
        reference="B",
        district=eden,
        lead_agency=alpha,
        start_date=today - datetime.timedelta(100),
    )
    EarlyHelpAssessmentFactory(
        reference="C",
        district=allerdale,
        lead_agency=zeta,
        start_date=today - datetime.timedelta(300),
        status=CLOSED,
        closure_date=today - datetime.timedelta(290),  # open for 10 days
    )
    EarlyHelpAssessmentFactory(
        reference="A",
        district=District.objects.get(name="Carlisle"),
        lead_agency=Agency.objects.create(name="Middle Agency"),
        start_date=today - datetime.timedelta(200),
    )


@pytest.mark.usefixtures("three_different_ehas")
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["B", "A", "C"]),  # newest start first
        ("reference", ["A", "B", "C"]),
        ("-reference", ["C", "B", "A"]),
        ("start_date", ["C", "A", "B"]),
        ("-start_date", ["B", "A", "C"]),
        ("district", ["C", "A", "B"]),
        ("-district", ["B", "A", "C"]),
        ("lead_agency", ["B", "A", "C"]),
        ("-lead_agency", ["C", "A", "B"]),
        ("status", ["C", "A", "B"]),
        ("-status", ["B", "A", "C"]),
        ("days_open", ["C", "B", "A"]),
        ("-days_open", ["A", "B", "C"]),
        ("password", ["B", "A", "C"]),  # not a sort key: the usual order, no error
        ("coordinator__password", ["B", "A", "C"]),
    ],
)
def test_the_list_sorts_by_each_whitelisted_column_and_nothing_else(qa_lead_client, sort, expected):
    response = qa_lead_client.get("/cases/", {"sort": sort})
    assert response.status_code == 200
    assert listed(response) == expected


def test_rows_sharing_a_value_keep_one_order_by_reference(qa_lead_client):
    for reference in ["Q3", "Q1", "Q2"]:
        EarlyHelpAssessmentFactory(reference=reference)
    assert listed(qa_lead_client.get("/cases/?sort=district")) == ["Q1", "Q2", "Q3"]
    assert listed(qa_lead_client.get("/cases/?sort=-district")) == ["Q3", "Q2", "Q1"]


def sort_headers(response):
    """Each sortable heading: (text, aria-sort or None, where its link goes)."""
    return {
        th.a.contents[0].strip(): (th.get("aria-sort"), th.a["href"])
        for th in soup_of(response).select("#case-table thead th")
        if th.a
    }


@pytest.mark.usefixtures("three_different_ehas")
def test_only_the_sorted_heading_has_aria_sort_and_its_link_reverses_the_order(qa_lead_client):
    headers = sort_headers(qa_lead_client.get("/cases/?status=open&sort=reference"))
    assert set(headers) == {
        "EHA reference",
        "District",
        "Lead agency",
        "Start date",
        "Status",
        "Days open",
    }
    assert headers["EHA reference"] == ("ascending", "?status=open&sort=-reference")
    assert headers["District"] == (None, "?status=open&sort=district")
    assert [name for name, (aria, _) in headers.items() if aria] == ["EHA reference"]
    descending = sort_headers(qa_lead_client.get("/cases/?status=open&sort=-reference"))
    assert descending["EHA reference"] == ("descending", "?status=open&sort=reference")


@pytest.mark.usefixtures("three_different_ehas")
def test_by_default_the_start_date_heading_says_newest_first(qa_lead_client):
    headers = sort_headers(qa_lead_client.get("/cases/"))
    assert headers["Start date"] == ("descending", "?sort=start_date")


def test_changing_the_sort_goes_back_to_the_first_page_and_the_filters_keep_the_sort(
    qa_lead_client,
):
    ehas(60)
    response = qa_lead_client.get("/cases/?page=2&sort=reference")
    assert sort_headers(response)["District"][1] == "?sort=district"
    hidden = soup_of(response).select_one("main form input[type=hidden][name=sort]")
    assert hidden["value"] == "reference"


# Pagination and the count ---------------------------------------------------------------------


def test_the_list_shows_50_ehas_a_page_and_says_which_of_how_many(qa_lead_client):
    ehas(120)
    in_order = sorted(EarlyHelpAssessment.objects.values_list("reference", flat=True))
    first = qa_lead_client.get("/cases/?sort=reference")
    assert listed(first) == in_order[:50]
    assert soup_of(first).caption.get_text(strip=True) == "Showing 1 to 50 of 120 EHAs"
    last = qa_lead_client.get("/cases/?sort=reference&page=3")
    assert len(listed(last)) == 20
    assert soup_of(last).caption.get_text(strip=True) == "Showing 101 to 120 of 120 EHAs"
    assert listed(qa_lead_client.get("/cases/?sort=reference&page=2")) == in_order[50:100]
    assert listed(last) == in_order[100:]


def test_large_counts_are_written_with_thousands_separators(qa_lead_client):
    ehas(1001)
    caption = soup_of(qa_lead_client.get("/cases/?page=21")).caption.get_text(strip=True)
    assert caption == "Showing 1,001 to 1,001 of 1,001 EHAs"


def test_a_single_eha_is_counted_in_the_singular(qa_lead_client):
    EarlyHelpAssessmentFactory()
    assert soup_of(qa_lead_client.get("/cases/")).caption.get_text(strip=True) == "Showing 1 EHA"


def pagination_links(response):
    nav = soup_of(response).select_one("nav.govuk-pagination")
    if nav is None:
        return None
    return {
        "pages": [a.get_text(strip=True) for a in nav.select(".govuk-pagination__item a")],
        "current": [a.get_text(strip=True) for a in nav.select("a[aria-current=page]")],
        "previous": nav.select_one("a[rel=prev]")["href"]
        if nav.select_one("a[rel=prev]")
        else None,
        "next": nav.select_one("a[rel=next]")["href"] if nav.select_one("a[rel=next]") else None,
        "ellipses": len(nav.select(".govuk-pagination__item--ellipsis")),
    }


def test_pagination_uses_the_govuk_component_and_keeps_the_filters(qa_lead_client):
    ehas(260)  # six pages
    links = pagination_links(qa_lead_client.get("/cases/?status=open&page=3"))
    assert links == {
        "pages": ["1", "2", "3", "4", "6"],
        "current": ["3"],
        "previous": "?status=open&page=2",
        "next": "?status=open&page=4",
        "ellipses": 1,
    }
    first = pagination_links(qa_lead_client.get("/cases/?status=open"))
    assert first["previous"] is None
    assert first["next"] == "?status=open&page=2"


def test_one_page_of_results_has_no_pagination(qa_lead_client):
    ehas(50)
    response = qa_lead_client.get("/cases/")
    assert len(listed(response)) == 50
    assert pagination_links(response) is None


# Not "page": that name is Playwright's fixture, and would make these browser tests.
@pytest.mark.parametrize("asked_for", ["9", "999999999999999999999"])
def test_a_page_past_the_end_shows_the_last_page_and_says_so(qa_lead_client, asked_for):
    ehas(60)
    response = qa_lead_client.get(f"/cases/?page={asked_for}")
    assert response.status_code == 200
    assert len(listed(response)) == 10
    notice = soup_of(response).select_one("#missing-page").get_text(strip=True)
    assert notice == f"There is no page {asked_for}. This is page 2, the last page."


@pytest.mark.parametrize("asked_for", ["abc", "0", "-1", "", "1.5"])
def test_a_page_that_is_not_a_page_number_shows_the_first_page(qa_lead_client, asked_for):
    ehas(60)
    response = qa_lead_client.get("/cases/", {"page": asked_for})
    assert response.status_code == 200
    assert len(listed(response)) == 50
    assert soup_of(response).select_one("#missing-page") is None


# Empty states -----------------------------------------------------------------------------------


def empty_state(response):
    return soup_of(response).select_one("#empty-state").get_text(strip=True)


def test_before_any_case_data_the_list_points_to_the_data_officer(qa_lead_client):
    response = qa_lead_client.get("/cases/")
    assert empty_state(response) == "There is no case data yet"
    assert "the data officer has imported the EHM data report" in response.content.decode()
    assert soup_of(response).select_one("#case-table") is None


def test_when_no_eha_matches_the_filters_the_list_says_so_and_offers_to_clear_them(
    qa_lead_client,
):
    EarlyHelpAssessmentFactory(reference="EHA-1")
    response = qa_lead_client.get("/cases/?reference=NOTHING-LIKE-IT")
    assert empty_state(response) == "No EHAs match these filters"
    clear = soup_of(response).find("a", string="clear the filters")
    assert clear["href"] == "/cases/"
    assert soup_of(response).select_one("#case-table") is None


def test_a_coordinator_with_no_ehas_is_told_why_not_that_there_is_no_data(client, make_user):
    EarlyHelpAssessmentFactory(reference="SOMEONE-ELSES")
    response = signed_in(client, make_user(Role.COORDINATOR)).get("/cases/")
    assert empty_state(response) == "There are no EHAs for you to see"
    assert "You see the EHAs you coordinate." in response.content.decode()


# Bad filter input -------------------------------------------------------------------------------


def error_summary(response):
    summary = soup_of(response).select_one(".govuk-error-summary")
    if summary is None:
        return None
    return [(a["href"], a.get_text(strip=True)) for a in summary.select("a")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("open_longer_than", "six", "Number of months must be a whole number, like 6"),
        ("open_longer_than", "0", "Number of months must be 1 or more"),
        ("open_longer_than", "-3", "Number of months must be 1 or more"),
        ("open_longer_than", "1" + "0" * 20, "Number of months must be 600 or fewer"),
        ("district", "999999", "Select district from the list"),
        ("district", "eden", "Select district from the list"),
        ("lead_agency", "1; DROP TABLE", "Select lead agency from the list"),
        ("agency_type", "-1", "Select agency type from the list"),
        ("status", "pending", "Select status from the list"),
        ("step_down", "maybe", "Select step-down from social care from the list"),
        ("reference", "X" * 51, "EHA or family reference must be 50 characters or fewer"),
        ("coordinator", "y" * 151, "Coordinator must be 150 characters or fewer"),
    ],
)
def test_bad_filter_values_give_a_govuk_error_summary_not_a_list_or_a_crash(
    qa_lead_client, field, value, message
):
    EarlyHelpAssessmentFactory(reference="EHA-1")
    response = qa_lead_client.get("/cases/", {field: value})
    assert response.status_code == 200
    assert error_summary(response) == [(f"#id_{field}", message)]
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Error: Cases")
    assert "--error" in " ".join(soup.select_one(f"#id_{field}")["class"])
    inline = soup.select_one(f"#id_{field}_error").get_text(" ", strip=True)
    assert inline == f"Error: {message}"
    assert soup.select_one("#case-table") is None


def test_bad_values_are_shown_back_escaped(qa_lead_client):
    response = qa_lead_client.get("/cases/", {"coordinator": "<script>x</script>" * 20})
    assert error_summary(response)
    assert "<script>x</script>" not in response.content.decode()


def test_filters_that_are_all_empty_show_every_eha_without_errors(qa_lead_client):
    ehas(3)
    query = "reference=&coordinator=&status=&district=&lead_agency=&agency_type="
    response = qa_lead_client.get(f"/cases/?{query}&open_longer_than=&step_down=&sort=")
    assert error_summary(response) is None
    assert len(listed(response)) == 3


# What the list shows, and what it does not do --------------------------------------------------


def test_each_row_links_to_its_case_page_and_shows_its_facts(qa_lead_client):
    eha = EarlyHelpAssessmentFactory(
        reference="EHA-42",
        family=FamilyFactory(reference="FAM-42"),
        district=District.objects.get(name="Copeland"),
        lead_agency=Agency.objects.create(name="Whitehaven Family Hub"),
        coordinator_name="Rhys Evans",
        start_date=datetime.date(2026, 3, 27),
        status=CLOSED,
        closure_date=datetime.date(2026, 4, 6),
    )
    row = soup_of(qa_lead_client.get("/cases/")).select_one("#case-table tbody tr")
    assert row.th.a["href"] == f"/cases/{eha.pk}/"
    cells = [cell.get_text(strip=True) for cell in row.select("th, td")]
    assert cells == [
        "EHA-42",
        "FAM-42",
        "Copeland",
        "Whitehaven Family Hub",
        "27 March 2026",
        "Closed",
        "10",
    ]
    assert row.select_one("strong.govuk-tag.govuk-tag--grey").get_text() == "Closed"


def test_text_from_the_data_report_is_escaped_in_the_list(qa_lead_client):
    EarlyHelpAssessmentFactory(
        lead_agency=Agency.objects.create(name="<img src=x onerror=alert(1)>")
    )
    content = qa_lead_client.get("/cases/").content.decode()
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_the_list_writes_nothing_to_the_access_log(qa_lead_client):
    ehas(3)
    qa_lead_client.get("/cases/")
    assert AccessLog.objects.count() == 0


def test_the_navigation_offers_cases_and_marks_it_current(qa_lead_client):
    nav = soup_of(qa_lead_client.get("/cases/")).select(".govuk-service-navigation__list a")
    assert [a.get_text(strip=True) for a in nav][:4] == ["Home", "Dashboard", "Cases", "Audits"]
    current = [a.get_text(strip=True) for a in nav if a.get("aria-current") == "page"]
    assert current == ["Cases"]


def test_filtered_case_list_needs_no_form(make_user):
    """The selector takes plain values, so later stages (sampling, reports) can reuse it."""
    lead = make_user(Role.QA_LEAD)
    EarlyHelpAssessmentFactory(reference="OLD", start_date=datetime.date(2020, 1, 1))
    EarlyHelpAssessmentFactory(reference="NEW", start_date=datetime.date(2025, 1, 1))
    found = filtered_case_list(lead, {"status": "open", "open_longer_than": 12})
    assert [eha.reference for eha in found] == ["NEW", "OLD"]


# Queries do not grow with the data -------------------------------------------------------------

# Session, user, roles, the unread notifications in the header, the count, the page of rows, and
# the three lists of the filter form.
LIST_QUERIES = 9


@pytest.mark.parametrize("count", [5, 60])
@pytest.mark.parametrize("sort", ["", "days_open"])
def test_the_list_runs_the_same_small_number_of_queries_for_5_or_60_ehas(
    qa_lead_client, django_assert_max_num_queries, count, sort
):
    for number in range(count):
        EarlyHelpAssessmentFactory(
            coordinator=UserFactory() if number % 2 else None,
            agency_type=None if number % 3 else AgencyType.objects.first(),
        )
    with django_assert_max_num_queries(LIST_QUERIES):
        response = qa_lead_client.get(f"/cases/?status=open&sort={sort}")
    assert len(listed(response)) == min(count, 50)


@pytest.mark.parametrize("count", [5, 60])
def test_a_line_managers_list_runs_the_same_number_of_queries_for_5_or_60_ehas(
    client, make_user, django_assert_max_num_queries, count
):
    manager = make_user(Role.LINE_MANAGER)
    team_member = make_user(Role.COORDINATOR, line_manager=manager)
    ehas(count, coordinator=team_member)
    signed_in(client, manager)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/cases/")
    assert len(listed(response)) == min(count, 50)
