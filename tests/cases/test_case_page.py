"""The case page: who may open which EHA, what it shows, the access log, and a number of
queries that does not grow with the EHA's history."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.models import AccessLog

from .factories import (
    CaseChangeFactory,
    DataImportFactory,
    EarlyHelpAssessmentFactory,
    FamilyFactory,
)

pytestmark = pytest.mark.django_db

CLOSED = EarlyHelpAssessment.Status.CLOSED
NO_CASE_ROLES = [Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER, Role.ADMINISTRATOR]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def page_url(eha):
    return f"/cases/{eha.pk}/"


def signed_in(client, user):
    client.force_login(user)
    return client


def without_csrf_token(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def facts(response):
    """The summary list as {key: value}."""
    return {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in soup_of(response).select(".govuk-summary-list__row")
    }


# Who may open a case page -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.AUDITOR])
def test_qa_leads_and_auditors_may_open_any_case_page(client_for, role):
    eha = EarlyHelpAssessmentFactory(reference="EHA-ANY")
    response = client_for(role).get(page_url(eha))
    assert response.status_code == 200
    assert soup_of(response).h1.get_text(strip=True) == "EHA-ANY"


@pytest.mark.parametrize("role", NO_CASE_ROLES)
def test_partnership_viewers_data_officers_and_administrators_are_refused_every_case_page(
    client_for, role
):
    eha = EarlyHelpAssessmentFactory(reference="EHA-PRIVATE")
    response = client_for(role).get(page_url(eha))
    assert response.status_code == 403
    assert "EHA-PRIVATE" not in response.content.decode()
    assert AccessLog.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in_from_a_case_page(client):
    eha = EarlyHelpAssessmentFactory()
    response = client.get(page_url(eha))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_coordinator_opens_their_own_eha_linked_or_by_e_mail(client, make_user):
    coordinator = make_user(Role.COORDINATOR, email="kim.lee@agency.test")
    linked = EarlyHelpAssessmentFactory(coordinator=coordinator)
    by_email = EarlyHelpAssessmentFactory(coordinator_email="kim.lee@agency.test")
    signed_in(client, coordinator)
    assert client.get(page_url(linked)).status_code == 200
    assert client.get(page_url(by_email)).status_code == 200


def test_a_coordinator_gets_not_found_for_another_coordinators_eha(client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    other = EarlyHelpAssessmentFactory(
        reference="EHA-OTHER", coordinator=make_user(Role.COORDINATOR)
    )
    response = signed_in(client, coordinator).get(page_url(other))
    assert response.status_code == 404
    assert "EHA-OTHER" not in response.content.decode()
    assert AccessLog.objects.count() == 0


def test_another_coordinators_eha_looks_exactly_like_one_that_does_not_exist(client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    other = EarlyHelpAssessmentFactory(coordinator=make_user(Role.COORDINATOR))
    signed_in(client, coordinator)
    hidden = client.get(page_url(other))
    missing = client.get(f"/cases/{other.pk + 1000}/")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    # The same page word for word, apart from the sign-out form's one-time token.
    assert without_csrf_token(hidden) == without_csrf_token(missing)


def test_a_line_manager_opens_their_teams_ehas_and_gets_not_found_for_others(client, make_user):
    manager = make_user(Role.LINE_MANAGER, email="pat.manager@agency.test")
    team = EarlyHelpAssessmentFactory(coordinator=make_user(Role.COORDINATOR, line_manager=manager))
    named = EarlyHelpAssessmentFactory(coordinator_manager_email="pat.manager@agency.test")
    other_team = EarlyHelpAssessmentFactory(
        coordinator=make_user(Role.COORDINATOR, line_manager=make_user(Role.LINE_MANAGER))
    )
    signed_in(client, manager)
    assert client.get(page_url(team)).status_code == 200
    assert client.get(page_url(named)).status_code == 200
    assert client.get(page_url(other_team)).status_code == 404


# The access log ---------------------------------------------------------------------------------


def test_every_view_of_a_case_page_is_logged_with_who_which_eha_and_when(client, make_user):
    auditor = make_user(Role.AUDITOR)
    eha = EarlyHelpAssessmentFactory(reference="EHA-LOGGED")
    signed_in(client, auditor)
    before = timezone.now()
    client.get(page_url(eha))
    client.get(page_url(eha) + "?from=list")
    after = timezone.now()
    entries = list(AccessLog.objects.order_by("viewed_at", "pk"))
    assert [(e.user, e.record_type, e.record_id, e.record_label) for e in entries] == [
        (auditor, "eha", eha.pk, "EHA-LOGGED"),
        (auditor, "eha", eha.pk, "EHA-LOGGED"),
    ]
    assert all(before <= e.viewed_at <= after for e in entries)
    assert [e.path for e in entries] == [page_url(eha), page_url(eha) + "?from=list"]


def test_each_person_is_logged_for_their_own_view(client, make_user):
    eha = EarlyHelpAssessmentFactory()
    lead, auditor = make_user(Role.QA_LEAD), make_user(Role.AUDITOR)
    signed_in(client, lead).get(page_url(eha))
    signed_in(client, auditor).get(page_url(eha))
    assert list(AccessLog.objects.order_by("pk").values_list("user", flat=True)) == [
        lead.pk,
        auditor.pk,
    ]


def test_a_refused_or_missing_case_page_logs_nothing(client_for):
    client = client_for(Role.QA_LEAD)
    assert client.get("/cases/999999/").status_code == 404
    assert AccessLog.objects.count() == 0


# What the page shows ----------------------------------------------------------------------------


@pytest.fixture
def full_eha(db):
    return EarlyHelpAssessmentFactory(
        reference="EHA-2026-0042",
        family=FamilyFactory(reference="FAM-0099"),
        district=District.objects.get(name="South Lakeland"),
        lead_agency=Agency.objects.create(name="Kendal Family Hub"),
        agency_type=AgencyType.objects.get(name="Health Visiting"),
        coordinator_name="Jo Bell",
        coordinator_email="jo.bell@agency.test",
        coordinator_manager_email="ann.manager@agency.test",
        start_date=datetime.date(2025, 3, 27),
        taf_meeting_date=datetime.date(2025, 4, 10),
        plan_in_place=True,
        last_review_date=datetime.date(2025, 9, 1),
        number_of_reviews=3,
        next_review_date=datetime.date(2025, 12, 1),
        status=CLOSED,
        closure_date=datetime.date(2025, 11, 20),
        closure_reason="Outcomes achieved",
        step_down_from_social_care=False,
        stepped_up_to_social_care=None,
        children_in_family=3,
        genogram_recorded=True,
        chronology_recorded=None,
    )


def test_the_facts_are_a_summary_list_with_dates_written_out_and_flags_as_yes_no_or_not_recorded(
    client_for, full_eha
):
    response = client_for(Role.QA_LEAD).get(page_url(full_eha))
    today = timezone.localdate()
    assert facts(response) == {
        "EHA reference": "EHA-2026-0042",
        "Family reference": "FAM-0099",
        "District": "South Lakeland",
        "Lead agency": "Kendal Family Hub",
        "Agency type": "Health Visiting",
        "Coordinator": "Jo Bell jo.bell@agency.test",
        "Coordinator's manager e-mail address": "ann.manager@agency.test",
        "Status": "Closed",
        "Start date": "27 March 2025",
        "TAF meeting date": "10 April 2025",
        "Plan in place": "Yes",
        "Last review date": "1 September 2025",
        "Number of reviews": "3",
        "Next review due": "1 December 2025",
        "Closure date": "20 November 2025",
        "Closure reason": "Outcomes achieved",
        "Step-down from social care": "No",
        "Stepped up to social care": "Not recorded",
        "Children in family": "3",
        "Genogram recorded": "Yes",
        "Chronology recorded": "Not recorded",
        "Days open": "238",
        "Days since last review": str((today - datetime.date(2025, 9, 1)).days),
    }
    tag = soup_of(response).select_one("main strong.govuk-tag")
    assert tag.get_text(strip=True) == "Closed"
    assert "govuk-tag--grey" in tag["class"]


def test_an_eha_with_little_recorded_says_not_recorded_rather_than_leaving_gaps(client_for):
    today = timezone.localdate()
    eha = EarlyHelpAssessmentFactory(
        agency_type=None, start_date=today - datetime.timedelta(days=45)
    )
    shown = facts(client_for(Role.QA_LEAD).get(page_url(eha)))
    assert shown["Agency type"] == "Not recorded"
    assert shown["Coordinator"] == "Not recorded"
    assert shown["TAF meeting date"] == "Not recorded"
    assert shown["Plan in place"] == "Not recorded"
    assert shown["Number of reviews"] == "Not recorded"
    assert shown["Closure date"] == "Not closed"
    assert shown["Days open"] == "45"
    assert shown["Days since last review"] == "No review recorded"


def timeline(response):
    return [
        (
            item.h3.get_text(strip=True),
            item.time["datetime"],
            item.time.get_text(strip=True),
            " ".join(p.get_text(strip=True) for p in item.select("p")[1:]),
        )
        for item in soup_of(response).select("#timeline > li")
    ]


def test_the_timeline_lists_what_happened_in_date_order(client_for, full_eha):
    assert timeline(client_for(Role.QA_LEAD).get(page_url(full_eha))) == [
        ("EHA started", "2025-03-27", "27 March 2025", ""),
        ("Team Around the Family (TAF) meeting", "2025-04-10", "10 April 2025", ""),
        ("Last review", "2025-09-01", "1 September 2025", "3 reviews in all"),
        ("EHA closed", "2025-11-20", "20 November 2025", "Outcomes achieved"),
        ("Next review due", "2025-12-01", "1 December 2025", ""),
    ]


def test_the_timeline_leaves_out_what_has_not_happened(client_for):
    eha = EarlyHelpAssessmentFactory(
        start_date=datetime.date(2026, 1, 5),
        last_review_date=datetime.date(2026, 3, 1),
        number_of_reviews=1,
    )
    assert timeline(client_for(Role.QA_LEAD).get(page_url(eha))) == [
        ("EHA started", "2026-01-05", "5 January 2026", ""),
        ("Last review", "2026-03-01", "1 March 2026", "1 review in all"),
    ]


def change_history(response):
    table = soup_of(response).select_one("table#change-history")
    if table is None:
        return None
    return [
        [cell.get_text(strip=True) for cell in row.select("td")] for row in table.select("tbody tr")
    ]


def test_the_change_history_shows_which_report_changed_which_field_and_when_newest_first(
    client_for,
):
    eha = EarlyHelpAssessmentFactory()
    january = DataImportFactory(file_name="ehm-january.csv")
    february = DataImportFactory(file_name="ehm-february.xlsx")
    CaseChangeFactory(
        assessment=eha,
        data_import=january,
        changed_at=timezone.make_aware(datetime.datetime(2026, 1, 31, 9, 0)),
        changes={"last_review_date": [None, "2026-01-20"], "number_of_reviews": [0, 1]},
    )
    CaseChangeFactory(
        assessment=eha,
        data_import=february,
        changed_at=timezone.make_aware(datetime.datetime(2026, 2, 28, 9, 0)),
        changes={
            "status": ["open", "closed"],
            "plan_in_place": [None, True],
            "Some Column": ["a", ""],
        },
    )
    assert change_history(client_for(Role.QA_LEAD).get(page_url(eha))) == [
        ["28 February 2026", "ehm-february.xlsx", "Plan in place", "Not recorded", "Yes"],
        ["28 February 2026", "ehm-february.xlsx", "Status", "Open", "Closed"],
        ["28 February 2026", "ehm-february.xlsx", "Some Column", "a", "Not recorded"],
        [
            "31 January 2026",
            "ehm-january.csv",
            "Last review date",
            "Not recorded",
            "20 January 2026",
        ],
        ["31 January 2026", "ehm-january.csv", "Number of reviews", "0", "1"],
    ]


def test_an_eha_no_report_has_changed_says_so(client_for):
    response = client_for(Role.QA_LEAD).get(page_url(EarlyHelpAssessmentFactory()))
    assert change_history(response) is None
    assert soup_of(response).select_one("#change-history").get_text(strip=True) == (
        "No data report has changed this EHA since it was first imported."
    )


def test_the_page_has_a_place_for_audits_and_feedback_which_says_there_are_none_yet(client_for):
    soup = soup_of(client_for(Role.AUDITOR).get(page_url(EarlyHelpAssessmentFactory())))
    headings = [h2.get_text(strip=True) for h2 in soup.select("main h2")]
    assert headings == ["Facts", "Timeline", "Changes from data reports", "Audits and feedback"]
    assert soup.select_one("#audits-and-feedback").get_text(strip=True) == (
        "There are no audits or feedback for this EHA yet."
    )


def test_text_from_the_data_report_is_escaped_on_the_case_page(client_for):
    eha = EarlyHelpAssessmentFactory(
        coordinator_name="<script>alert(1)</script>", closure_reason="<b>bold</b>"
    )
    content = client_for(Role.QA_LEAD).get(page_url(eha)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<b>bold</b>" not in content


def test_the_case_page_links_back_to_the_list(client_for):
    soup = soup_of(client_for(Role.QA_LEAD).get(page_url(EarlyHelpAssessmentFactory())))
    assert soup.select_one("a.govuk-back-link")["href"] == "/cases/"


# Queries do not grow with the history ----------------------------------------------------------

# Session, user, roles, the unread notifications in the header, the EHA with its related rows,
# its changes with their imports, the log, and the EHA's audits that the person may see.
PAGE_QUERIES = 8


@pytest.mark.parametrize("changes", [1, 10])
def test_the_case_page_runs_the_same_number_of_queries_for_1_or_10_change_records(
    client_for, django_assert_max_num_queries, changes
):
    client = client_for(Role.QA_LEAD)
    eha = EarlyHelpAssessmentFactory(coordinator_name="Jo Bell")
    for _ in range(changes):
        CaseChangeFactory(assessment=eha, changes={"status": ["open", "closed"]})
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(page_url(eha))
    assert len(change_history(response)) == changes
