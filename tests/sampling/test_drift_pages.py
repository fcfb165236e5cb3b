"""The drift worklist and a drifting EHA's page: who may open them, what they show, the filters,
and what officers record there (contacts, dismissals, TAF requests, drift-triggered audits)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.models import AccessLog
from earlyhelp.sampling import drift
from earlyhelp.sampling.models import DriftContact, DriftDismissal, TafSupportRequest
from earlyhelp.standards.defaults import load_default_library

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import AgencyFactory

pytestmark = pytest.mark.django_db

DRIFT_ROLES = [Role.QA_LEAD, Role.AUDITOR]
OTHER_ROLES = [Role.COORDINATOR, Role.LINE_MANAGER, Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER]
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def open_too_long(**fields):
    """Open for 400 days with a recent review: open longer than nine and twelve months."""
    return EarlyHelpAssessmentFactory(
        start_date=days_ago(400), last_review_date=days_ago(10), number_of_reviews=4, **fields
    )


def reviews_stopped(**fields):
    """Open for 150 days, last reviewed 100 days ago: no review for more than 12 weeks."""
    return EarlyHelpAssessmentFactory(
        start_date=days_ago(150),
        taf_meeting_date=days_ago(140),
        last_review_date=days_ago(100),
        number_of_reviews=1,
        **fields,
    )


def going_well(**fields):
    """Started a month ago, TAF meeting 20 days ago: nothing is late."""
    return EarlyHelpAssessmentFactory(
        start_date=days_ago(30), taf_meeting_date=days_ago(20), **fields
    )


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """The EHA references on the worklist, in the order shown."""
    return [a.get_text(strip=True) for a in soup_of(response).select("#drift-table tbody th a")]


def row_of(response, reference):
    for row in soup_of(response).select("#drift-table tbody tr"):
        if row.th.a.get_text(strip=True) == reference:
            return " ".join(row.get_text(" ", strip=True).split())
    raise AssertionError(f"{reference} is not on the worklist")


def errors_of(response):
    return [li.get_text(strip=True) for li in soup_of(response).select(".govuk-error-summary li")]


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR)


@pytest.fixture
def officer(client, auditor):
    client.force_login(auditor)
    return client


# Who may open the pages -------------------------------------------------------------------------


def pages_of(eha):
    base = f"/drift/{eha.pk}/"
    actions = ("audit", "contact", "dismiss", "taf-request")
    return ["/drift/", base, *(f"{base}{action}/" for action in actions)]


@pytest.mark.parametrize("role", DRIFT_ROLES)
def test_auditors_and_the_qa_lead_may_open_every_drift_page(client_for, role):
    client = client_for(role)
    for url in pages_of(open_too_long()):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_coordinators_line_managers_partnership_viewers_and_data_officers_are_refused(
    client_for, role
):
    client = client_for(role)
    eha = open_too_long()
    for url in pages_of(eha):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/drift/{eha.pk}/contact/", {"outcome": "x"})
    assert response.status_code == 403
    assert not DriftContact.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in pages_of(open_too_long()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_an_eha_that_does_not_exist_is_not_found(officer):
    assert officer.get("/drift/999999/").status_code == 404
    assert officer.get("/drift/999999/contact/").status_code == 404


# The worklist -----------------------------------------------------------------------------------


def test_the_worklist_shows_a_drifting_eha_with_its_reasons_and_not_one_that_is_not(officer):
    drifting = open_too_long()
    fine = going_well()
    response = officer.get("/drift/")
    assert listed(response) == [drifting.reference]
    assert fine.reference not in response.content.decode()
    row = row_of(response, drifting.reference)
    # How overdue is drift.how_overdue's count, tested at the rules' boundaries.
    for code, label in [
        (drift.OPEN_NINE_MONTHS, "Plan open longer than 9 months"),
        (drift.OPEN_TWELVE_MONTHS, "Plan open longer than 12 months"),
    ]:
        days = drift.how_overdue(drifting, code, TODAY)
        assert f"{label}: {days} days overdue" in row
    assert drifting.district.name in row
    assert drifting.lead_agency.name in row
    assert "None recorded" in row  # no contact yet


def test_the_summary_counts_each_reason(officer):
    open_too_long()
    open_too_long()
    reviews_stopped()
    summary = soup_of(officer.get("/drift/")).select_one("#drift-summary")
    counts = {
        row.th.get_text(" ", strip=True).split(":")[0].strip(): row.td.get_text(strip=True)
        for row in summary.select("tbody tr")
    }
    assert counts == {
        "No review meeting for more than 12 weeks": "1",
        "First review not held within 6 weeks of the TAF meeting": "0",
        "Plan open longer than 9 months": "2",
        "Plan open longer than 12 months": "2",
        "The TAF has asked for additional support": "0",
    }
    assert "3 drifting EHAs" in summary.caption.get_text()


def test_most_overdue_first_and_by_start_date_when_asked(officer):
    stopped = reviews_stopped()  # 16 days overdue
    long_open = open_too_long()  # open 9 months: over 100 days overdue
    assert listed(officer.get("/drift/")) == [long_open.reference, stopped.reference]
    by_start = officer.get("/drift/?sort=start_date")
    assert listed(by_start) == [long_open.reference, stopped.reference]
    newest_first = officer.get("/drift/?sort=-start_date")
    assert listed(newest_first) == [stopped.reference, long_open.reference]


def test_filters_by_district_lead_agency_and_reason(officer):
    kendal, _ = District.objects.get_or_create(name="South Lakeland")
    agency = AgencyFactory()
    in_carlisle = open_too_long()
    in_kendal = open_too_long(district=kendal)
    of_agency = reviews_stopped(lead_agency=agency)
    assert set(listed(officer.get(f"/drift/?district={kendal.pk}"))) == {in_kendal.reference}
    assert listed(officer.get(f"/drift/?lead_agency={agency.pk}")) == [of_agency.reference]
    assert listed(officer.get(f"/drift/?reason={drift.NO_REVIEW}")) == [of_agency.reference]
    both = officer.get(f"/drift/?reason={drift.OPEN_NINE_MONTHS}")
    assert set(listed(both)) == {in_carlisle.reference, in_kendal.reference}


def test_filters_that_match_nothing_say_so(officer):
    open_too_long()
    response = officer.get(f"/drift/?reason={drift.TAF_SUPPORT}")
    assert listed(response) == []
    assert "No drifting EHAs match these filters" in soup_of(response).select_one("#empty-state")


def test_with_no_drift_at_all_the_worklist_says_so(officer):
    going_well()
    response = officer.get("/drift/")
    assert soup_of(response).select_one("#empty-state").get_text() == "No plans are drifting"


def test_a_filter_value_that_does_not_exist_is_an_error_not_a_crash(officer):
    response = officer.get("/drift/?district=999999&reason=nonsense&page=x&sort=drop")
    assert response.status_code == 200
    assert "Select district from the list" in errors_of(response)


def test_the_worklist_is_paginated_fifty_to_a_page(officer):
    for _ in range(51):
        reviews_stopped()
    first = officer.get("/drift/")
    assert len(listed(first)) == 50
    assert "Showing 1 to 50 of 51 drifting EHAs" in first.content.decode()
    assert len(listed(officer.get("/drift/?page=2"))) == 1
    past_the_end = officer.get("/drift/?page=9")
    assert soup_of(past_the_end).select_one("#missing-page") is not None


def test_the_worklists_queries_do_not_grow_with_the_number_of_ehas(officer, auditor):
    def add(count):
        for _ in range(count):
            eha = open_too_long()
            DriftContact.objects.create(
                assessment=eha,
                contacted_on=days_ago(3),
                outcome="Spoke to the coordinator",
                recorded_by=auditor,
            )
            DriftContact.objects.create(
                assessment=eha, contacted_on=days_ago(1), outcome="Again", recorded_by=auditor
            )
            TafSupportRequest.objects.create(
                assessment=eha, requested_on=days_ago(2), note="More help", recorded_by=auditor
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = officer.get("/drift/")
        assert response.status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(30)
    assert queries() == few


# One EHA's page ---------------------------------------------------------------------------------


def test_the_page_shows_each_reason_with_the_frameworks_action(officer):
    eha = reviews_stopped()
    reasons = soup_of(officer.get(f"/drift/{eha.pk}/")).select_one("#drift-reasons")
    text = " ".join(reasons.get_text(" ", strip=True).split())
    assert "No review meeting for more than 12 weeks" in text
    assert "16 days overdue" in text
    assert "Regular reviews are not being held: consider a drift-triggered audit." in text


def test_an_eha_that_is_not_drifting_has_a_page_that_says_so(officer):
    eha = going_well()
    response = officer.get(f"/drift/{eha.pk}/")
    assert response.status_code == 200
    assert "Not drifting now" in soup_of(response).select_one("#drift-reasons").get_text()


def test_opening_the_page_is_recorded_in_the_access_log(officer, auditor):
    eha = open_too_long()
    officer.get(f"/drift/{eha.pk}/")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.record_type, entry.record_id, entry.record_label) == (
        auditor,
        "eha",
        eha.pk,
        eha.reference,
    )
    assert entry.path == f"/drift/{eha.pk}/"


# Recording a contact ----------------------------------------------------------------------------


def test_a_contact_with_the_coordinator_shows_on_the_page_and_the_worklist(officer, auditor):
    eha = open_too_long()
    response = officer.post(
        f"/drift/{eha.pk}/contact/",
        {
            **date_fields("contacted_on", days_ago(1)),
            "outcome": "Reviews restart next week",
            "next_step": "Check the review is held",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"/drift/{eha.pk}/", 302)]
    page = soup_of(response)
    assert "Your contact with the coordinator has been recorded" in page.get_text()
    contacts = page.select_one("#contacts").find_next("div").get_text(" ", strip=True)
    assert "Reviews restart next week" in contacts
    assert "Check the review is held" in contacts
    contact = DriftContact.objects.get()
    assert (contact.assessment, contact.recorded_by, contact.contacted_on) == (
        eha,
        auditor,
        days_ago(1),
    )
    row = row_of(officer.get("/drift/"), eha.reference)
    assert f"{days_ago(1):%-d %b %Y}: Reviews restart next week" in row


def test_a_contact_dated_in_the_future_is_refused_with_the_reason(officer):
    eha = open_too_long()
    response = officer.post(
        f"/drift/{eha.pk}/contact/",
        {**date_fields("contacted_on", TODAY + datetime.timedelta(days=1)), "outcome": "x"},
    )
    assert response.status_code == 200
    assert errors_of(response) == ["Date of the contact must be today or in the past"]
    assert not DriftContact.objects.exists()


def test_a_contact_needs_a_date_and_an_outcome(officer):
    eha = open_too_long()
    response = officer.post(f"/drift/{eha.pk}/contact/", {})
    assert errors_of(response) == [
        "Enter the date of the contact",
        "Enter the outcome of the contact",
    ]
    assert soup_of(response).title.get_text().startswith("Error:")


# Dismissing a reason ----------------------------------------------------------------------------


def test_a_dismissed_reason_leaves_the_worklist_until_the_data_changes(officer, auditor):
    eha = reviews_stopped()
    response = officer.post(
        f"/drift/{eha.pk}/dismiss/",
        {"rule": drift.NO_REVIEW, "reason": "The review was held; EHM is behind"},
        follow=True,
    )
    assert "has been dismissed until the EHA's data changes" in soup_of(response).get_text()
    dismissals = soup_of(response).select_one("#dismissals").find_next("div").get_text()
    assert "The review was held; EHM is behind" in dismissals
    assert "Holds until the EHA's data changes" in dismissals
    assert DriftDismissal.objects.get().dismissed_by == auditor
    assert listed(officer.get("/drift/")) == []
    # A later data report changes the EHA: the reason is back.
    type(eha).objects.filter(pk=eha.pk).update(source_hash="e" * 32)
    assert listed(officer.get("/drift/")) == [eha.reference]


def test_dismissing_one_reason_keeps_the_others(officer):
    eha = open_too_long()
    officer.post(
        f"/drift/{eha.pk}/dismiss/", {"rule": drift.OPEN_NINE_MONTHS, "reason": "Audited in May"}
    )
    row = row_of(officer.get("/drift/"), eha.reference)
    assert "Plan open longer than 12 months" in row
    assert "Plan open longer than 9 months" not in row


def test_dismissing_needs_a_reason_and_why(officer):
    eha = open_too_long()
    response = officer.post(f"/drift/{eha.pk}/dismiss/", {})
    assert errors_of(response) == [
        "Select the reason you are dismissing",
        "Enter why this is not drift",
    ]
    # Only the reasons the EHA is drifting on now can be dismissed.
    stale = officer.post(f"/drift/{eha.pk}/dismiss/", {"rule": drift.NO_REVIEW, "reason": "x"})
    assert errors_of(stale) == ["Select one of the reasons this EHA is drifting on now"]
    assert not DriftDismissal.objects.exists()


def test_an_eha_not_drifting_has_nothing_to_dismiss(officer):
    eha = going_well()
    response = officer.get(f"/drift/{eha.pk}/dismiss/")
    assert "nothing to dismiss" in soup_of(response).select_one("#blocked").get_text()
    assert soup_of(response).select_one("main form[method=post]") is None


# A TAF's request for additional support ---------------------------------------------------------


def test_a_tafs_request_puts_the_eha_on_the_worklist(officer):
    eha = going_well()
    assert listed(officer.get("/drift/")) == []
    response = officer.post(
        f"/drift/{eha.pk}/taf-request/",
        {**date_fields("requested_on", days_ago(3)), "note": "Progress has stalled at school"},
        follow=True,
    )
    page = soup_of(response)
    assert "The TAF's request for additional support has been recorded" in page.get_text()
    assert (
        "Progress has stalled at school"
        in page.select_one("#taf-requests").find_next("div").get_text()
    )
    worklist = officer.get("/drift/")
    assert listed(worklist) == [eha.reference]
    assert "The TAF has asked for additional support: asked 3 days ago" in row_of(
        worklist, eha.reference
    )


def test_a_new_request_after_one_was_answered_is_drift_again(officer):
    eha = going_well()
    taf = f"/drift/{eha.pk}/taf-request/"
    officer.post(taf, {**date_fields("requested_on", days_ago(9)), "note": "First"})
    officer.post(f"/drift/{eha.pk}/dismiss/", {"rule": drift.TAF_SUPPORT, "reason": "Agreed"})
    assert listed(officer.get("/drift/")) == []
    assert TafSupportRequest.objects.get().resolved_at is not None
    officer.post(taf, {**date_fields("requested_on", days_ago(1)), "note": "Second"})
    assert listed(officer.get("/drift/")) == [eha.reference]


def test_a_taf_request_needs_a_past_date_and_what_was_asked(officer):
    eha = going_well()
    response = officer.post(
        f"/drift/{eha.pk}/taf-request/",
        date_fields("requested_on", TODAY + datetime.timedelta(days=2)),
    )
    assert errors_of(response) == [
        "Date the TAF asked must be today or in the past",
        "Enter what the TAF asked for",
    ]
    assert not TafSupportRequest.objects.exists()


# A drift-triggered audit ------------------------------------------------------------------------


@pytest.fixture
def framework(db):
    load_default_library()


def test_an_auditor_creates_a_drift_audit_for_themselves(officer, auditor, framework):
    eha = open_too_long()
    form = soup_of(officer.get(f"/drift/{eha.pk}/audit/"))
    assert form.select_one("#id_auditor") is None  # no choice: it is theirs
    due = TODAY + datetime.timedelta(days=28)
    response = officer.post(f"/drift/{eha.pk}/audit/", date_fields("due_date", due), follow=True)
    assert "has been assigned to you" in response.content.decode()
    audit = Audit.objects.get()
    assert (audit.assessment, audit.audit_type, audit.auditor, audit.due_date) == (
        eha,
        Audit.Type.DRIFT,
        auditor,
        due,
    )
    assert audit.created_by == auditor


def test_the_qa_lead_assigns_a_drift_audit_to_any_auditor(client, make_user, framework):
    qa_lead = make_user(Role.QA_LEAD)
    chosen = make_user(Role.AUDITOR)
    client.force_login(qa_lead)
    eha = open_too_long()
    due = TODAY + datetime.timedelta(days=14)
    missing = client.post(f"/drift/{eha.pk}/audit/", {})
    assert errors_of(missing) == ["Select an auditor", "Enter the due date"]
    client.post(f"/drift/{eha.pk}/audit/", {"auditor": chosen.pk, **date_fields("due_date", due)})
    audit = Audit.objects.get()
    assert (audit.auditor, audit.created_by, audit.audit_type) == (chosen, qa_lead, "drift")


def test_a_second_drift_audit_is_refused_while_one_is_in_progress(officer, framework):
    eha = open_too_long()
    due = date_fields("due_date", TODAY + datetime.timedelta(days=28))
    officer.post(f"/drift/{eha.pk}/audit/", due)
    again = officer.post(f"/drift/{eha.pk}/audit/", due)
    assert again.status_code == 200
    assert "already has an audit in progress" in soup_of(again).select_one("#blocked").get_text()
    assert Audit.objects.count() == 1
    # The page and the worklist say there is one.
    assert soup_of(officer.get(f"/drift/{eha.pk}/")).select_one("#audit-in-progress") is not None
    assert "Audit in progress" in row_of(officer.get("/drift/"), eha.reference)


def test_a_due_date_in_the_past_is_refused(officer, framework):
    eha = open_too_long()
    response = officer.post(f"/drift/{eha.pk}/audit/", date_fields("due_date", days_ago(1)))
    assert errors_of(response) == ["Due date must be today or in the future"]
    assert not Audit.objects.exists()
