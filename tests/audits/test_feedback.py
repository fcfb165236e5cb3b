"""Feedback to practitioners: "Following audit, the Early Help Team will provide feedback directly
to manager or agency involved based on the findings."

The auditor or the QA lead shares a submitted audit with the coordinator, the coordinator's line
manager and the lead agency's manager; each is told by an e-mail that names nobody, may read that
audit (and no other), and responds once; the auditor sees the responses; the audit closes when
everyone has responded, or after the period allowed, with the reason recorded."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits import feedback
from earlyhelp.audits.models import Audit, AuditEvent, AuditShare
from earlyhelp.audits.selectors import audits_for_case, may_open, visible_audits
from earlyhelp.core.models import AccessLog, Notification
from earlyhelp.core.notifications import EMAILS
from earlyhelp.core.scheduling import registered_jobs, run_daily_jobs

from ..cases.factories import EarlyHelpAssessmentFactory, FamilyFactory
from ..factories import AgencyFactory
from .factories import AuditFactory

pytestmark = pytest.mark.django_db

S = Audit.Status
R = AuditShare.Relationship


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(response):
    return " ".join(soup_of(response).get_text(" ").split())


def overview(audit):
    return f"/audits/{audit.pk}/"


def share_url(audit):
    return f"/audits/{audit.pk}/feedback/share/"


def respond_url(audit):
    return f"/audits/{audit.pk}/feedback/respond/"


def signed_in(client, user):
    client.force_login(user)
    return client


ANSWERS = {
    "agrees": "partly",
    "reflection": "The plan was not shared with the school in time.",
    "will_do": "Hold a TAF review within two weeks and share the plan.",
}


@pytest.fixture
def team(make_user):
    """The people around one EHA: its coordinator, their line manager, the lead agency's manager,
    the auditor and the QA lead; and the same for another coordinator elsewhere."""
    line_manager = make_user(Role.LINE_MANAGER, full_name="Lena Linemanager")
    coordinator = make_user(
        Role.COORDINATOR, full_name="Cora Coordinator", line_manager=line_manager
    )
    agency_manager = make_user(Role.LINE_MANAGER, full_name="Agnes Agencymanager")
    other_line_manager = make_user(Role.LINE_MANAGER, full_name="Olly Otherline")
    return {
        "qa_lead": make_user(Role.QA_LEAD, full_name="Quinn Lead"),
        "auditor": make_user(Role.AUDITOR, full_name="Audrey Auditor"),
        "other_auditor": make_user(Role.AUDITOR, full_name="Otto Auditor"),
        "coordinator": coordinator,
        "line_manager": line_manager,
        "agency_manager": agency_manager,
        "other_coordinator": make_user(
            Role.COORDINATOR, full_name="Olive Othercoord", line_manager=other_line_manager
        ),
        "other_line_manager": other_line_manager,
        "partnership_viewer": make_user(Role.PARTNERSHIP_VIEWER),
        "data_officer": make_user(Role.DATA_OFFICER),
    }


def submitted_audit(auditor, coordinator=None, agency_manager=None, **eha_fields):
    """A submitted audit, judged Good, of an EHA of this coordinator in an agency managed by
    this agency manager."""
    eha_fields.setdefault("coordinator", coordinator)
    if coordinator is not None:
        eha_fields.setdefault("coordinator_email", coordinator.email)
        eha_fields.setdefault("coordinator_name", coordinator.full_name)
    eha_fields.setdefault("lead_agency", AgencyFactory(manager=agency_manager))
    return AuditFactory(
        assessment=EarlyHelpAssessmentFactory(**eha_fields),
        auditor=auditor,
        judged="Good",
        with_parts=True,
    )


@pytest.fixture
def audit(team):
    return submitted_audit(
        team["auditor"],
        team["coordinator"],
        team["agency_manager"],
        reference="EHA-FEEDBACK-1",
        family=FamilyFactory(reference="FAM-FEEDBACK-1"),
    )


@pytest.fixture
def shared(audit, team):
    feedback.share(audit, team["auditor"])
    audit.refresh_from_db()
    return audit


def the_share(audit, person):
    return AuditShare.objects.get(audit=audit, person=person)


# Sharing -----------------------------------------------------------------------------------------


def test_sharing_tells_the_coordinator_their_line_manager_and_the_lead_agencys_manager(audit, team):
    feedback.share(audit, team["auditor"])
    audit.refresh_from_db()
    assert audit.status == S.SHARED
    assert audit.shared_at is not None
    shares = {(s.person, s.relationship) for s in audit.shares.all()}
    assert shares == {
        (team["coordinator"], R.COORDINATOR),
        (team["line_manager"], R.LINE_MANAGER),
        (team["agency_manager"], R.AGENCY_MANAGER),
    }
    assert {s.shared_by for s in audit.shares.all()} == {team["auditor"]}
    event = audit.events.get(kind=AuditEvent.Kind.SHARED)
    assert event.by == team["auditor"]
    assert "Cora Coordinator" in event.note
    assert "Lena Linemanager" in event.note
    told = Notification.objects.filter(kind="audit_shared")
    assert {n.recipient for n in told} == {
        team["coordinator"],
        team["line_manager"],
        team["agency_manager"],
    }
    assert {n.url for n in told} == {overview(audit)}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [team["coordinator"].email, team["line_manager"].email, team["agency_manager"].email]
    )


def test_the_emails_say_nothing_that_identifies_the_family_or_the_people(audit, team):
    feedback.share(audit, team["auditor"])
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.subject.startswith(EMAILS["audit_shared"].subject)
        words = message.subject + "\n" + message.body
        for secret in (
            "EHA-FEEDBACK-1",
            "FAM-FEEDBACK-1",
            "Cora Coordinator",
            "Lena Linemanager",
            "Agnes Agencymanager",
            "Audrey Auditor",
            audit.assessment.lead_agency.name,
        ):
            assert secret not in words


def test_the_auditors_email_about_a_response_says_nothing_of_the_family_either(shared, team):
    mail.outbox.clear()
    feedback.respond(
        share=the_share(shared, team["coordinator"]), by=team["coordinator"], **ANSWERS
    )
    (message,) = mail.outbox
    assert message.to == [team["auditor"].email]
    words = message.subject + "\n" + message.body
    for secret in ("EHA-FEEDBACK-1", "FAM-FEEDBACK-1", "Cora Coordinator", ANSWERS["reflection"]):
        assert secret not in words


def test_one_person_who_is_both_line_manager_and_agency_manager_is_told_once(make_user, team):
    audit = submitted_audit(team["auditor"], team["coordinator"], team["line_manager"])
    assert feedback.share_recipients(audit) == [
        (team["coordinator"], R.COORDINATOR),
        (team["line_manager"], R.LINE_MANAGER),
    ]
    feedback.share(audit, team["auditor"])
    assert audit.shares.count() == 2
    assert len(mail.outbox) == 2


def test_only_active_accounts_that_can_read_the_audit_are_told(make_user, team):
    team["line_manager"].is_active = False
    team["line_manager"].save()
    no_role = make_user(Role.DATA_OFFICER)  # an agency manager who could not read it
    audit = submitted_audit(team["auditor"], team["coordinator"], no_role)
    assert feedback.share_recipients(audit) == [(team["coordinator"], R.COORDINATOR)]


def test_without_a_linked_account_the_data_reports_addresses_find_the_people(make_user, team):
    unlinked = make_user(Role.COORDINATOR)  # and no line manager on their account
    audit = submitted_audit(
        team["auditor"],
        coordinator=None,
        coordinator_email=unlinked.email.upper(),
        coordinator_manager_email=team["line_manager"].email,
    )
    assert feedback.share_recipients(audit) == [
        (unlinked, R.COORDINATOR),
        (team["line_manager"], R.LINE_MANAGER),
    ]


def test_the_line_manager_on_the_coordinators_account_comes_before_the_data_report(team):
    audit = submitted_audit(
        team["auditor"],
        team["coordinator"],
        coordinator_manager_email=team["other_line_manager"].email,
    )
    assert feedback.share_recipients(audit) == [
        (team["coordinator"], R.COORDINATOR),
        (team["line_manager"], R.LINE_MANAGER),
    ]


@pytest.mark.parametrize("status", [S.PLANNED, S.IN_PROGRESS])
def test_an_audit_not_yet_submitted_cannot_be_shared(audit, team, status):
    Audit.objects.filter(pk=audit.pk).update(status=status)
    with pytest.raises(feedback.FeedbackRefused, match="only a submitted audit can be shared"):
        feedback.share(audit, team["auditor"])
    audit.refresh_from_db()
    assert audit.status == status
    assert audit.shared_at is None
    assert not AuditShare.objects.exists()
    assert not audit.events.filter(kind=AuditEvent.Kind.SHARED).exists()
    assert mail.outbox == []


def test_an_audit_not_yet_submitted_offers_no_share_and_its_share_page_sends_it_back(
    client, audit, team
):
    Audit.objects.filter(pk=audit.pk).update(status=S.IN_PROGRESS)
    signed_in(client, team["auditor"])
    assert "Share with the practitioner" not in text_of(client.get(overview(audit)))
    response = client.post(share_url(audit))
    assert response.status_code == 302
    assert response["Location"] == overview(audit)
    assert not AuditShare.objects.exists()


def test_an_audit_nobody_can_be_told_about_is_not_shared_and_nothing_is_written(client, team):
    audit = submitted_audit(team["auditor"], coordinator=None, coordinator_name="Nobody Known")
    with pytest.raises(feedback.FeedbackRefused, match="nobody can be told"):
        feedback.share(audit, team["auditor"])
    audit.refresh_from_db()
    assert audit.status == S.SUBMITTED
    assert not AuditShare.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SHARED).exists()
    assert not Notification.objects.exists()
    page = signed_in(client, team["auditor"]).get(share_url(audit))
    assert page.status_code == 200
    assert soup_of(page).select_one("#coordinator-missing") is not None
    assert soup_of(page).select_one("#nobody-to-tell") is not None
    assert soup_of(page).select("main form") == []


def test_the_share_page_lists_who_will_be_told_and_warns_when_the_coordinator_has_no_account(
    client, team
):
    audit = submitted_audit(
        team["auditor"], coordinator=None, agency_manager=team["agency_manager"]
    )
    page = signed_in(client, team["auditor"]).get(share_url(audit))
    names = [th.get_text(strip=True) for th in soup_of(page).select("#recipients tbody th")]
    assert names == ["Agnes Agencymanager"]
    assert "The coordinator cannot be told" in text_of(page)
    assert "the coordinator has no account" in soup_of(page).select_one("#not-told").get_text()


def test_the_auditor_shares_from_the_overview_and_sharing_twice_records_once(client, audit, team):
    signed_in(client, team["auditor"])
    page = soup_of(client.get(overview(audit)))
    button = page.select_one("#feedback-panel a.govuk-button")
    assert button.get_text(strip=True) == "Share with the practitioner"
    assert button["href"] == share_url(audit)
    names = [
        th.get_text(strip=True)
        for th in soup_of(client.get(share_url(audit))).select("#recipients tbody th")
    ]
    assert names == ["Cora Coordinator", "Lena Linemanager", "Agnes Agencymanager"]
    assert client.post(share_url(audit))["Location"] == overview(audit)
    assert client.post(share_url(audit))["Location"] == overview(audit)  # a second click
    assert AuditShare.objects.filter(audit=audit).count() == 3
    assert audit.events.filter(kind=AuditEvent.Kind.SHARED).count() == 1
    assert len(mail.outbox) == 3
    with pytest.raises(feedback.FeedbackRefused, match="already been shared"):
        feedback.share(audit, team["qa_lead"])


def test_the_qa_lead_may_share_any_submitted_audit(client, audit, team):
    assert signed_in(client, team["qa_lead"]).post(share_url(audit)).status_code == 302
    assert the_share(audit, team["coordinator"]).shared_by == team["qa_lead"]


@pytest.mark.parametrize(
    ("who", "status_code"),
    [
        ("other_auditor", 404),
        ("coordinator", 403),
        ("line_manager", 403),
        ("partnership_viewer", 403),
        ("data_officer", 403),
    ],
)
def test_nobody_else_may_share_it(client, audit, team, who, status_code):
    signed_in(client, team[who])
    assert client.get(share_url(audit)).status_code == status_code
    assert client.post(share_url(audit)).status_code == status_code
    assert not AuditShare.objects.exists()
    with pytest.raises(feedback.FeedbackRefused):
        feedback.share(audit, team[who])


# Who may open a shared audit -----------------------------------------------------------------


@pytest.fixture
def others_audit(team):
    """An audit of another coordinator's EHA, shared with them and their line manager."""
    audit = submitted_audit(team["auditor"], team["other_coordinator"], reference="EHA-OTHERS")
    feedback.share(audit, team["auditor"])
    return audit


@pytest.fixture
def not_shared_with_coordinator(team):
    """An audit of the coordinator's own EHA, shared only with their line manager: the EHA had
    been imported with another coordinator's address before it was handed to them."""
    audit = submitted_audit(
        team["auditor"],
        coordinator=None,
        coordinator_email="left.the.service@agency.test",
        coordinator_manager_email=team["line_manager"].email,
        reference="EHA-HANDED-OVER",
    )
    feedback.share(audit, team["auditor"])
    audit.assessment.coordinator = team["coordinator"]
    audit.assessment.save()
    return audit


# who -> (the audit shared with the coordinator, another coordinator's, one not shared with
# this coordinator though it is now their EHA): what the audit page answers.
OPENS = {
    "qa_lead": (200, 200, 200),
    "auditor": (200, 200, 200),
    "other_auditor": (404, 404, 404),
    "coordinator": (200, 404, 404),
    "other_coordinator": (404, 200, 404),
    "line_manager": (200, 404, 200),
    "other_line_manager": (404, 200, 404),
    "partnership_viewer": (403, 403, 403),
    "data_officer": (403, 403, 403),
}


@pytest.mark.parametrize("who", list(OPENS))
def test_a_shared_audit_opens_only_for_the_people_it_was_shared_with_and_its_auditors(
    client, team, shared, others_audit, not_shared_with_coordinator, who
):
    person = team[who]
    signed_in(client, person)
    audits = (shared, others_audit, not_shared_with_coordinator)
    answers = tuple(client.get(overview(audit)).status_code for audit in audits)
    assert answers == OPENS[who]
    # The lists and the one-audit rule agree with the page.
    openable = {audit for audit, code in zip(audits, answers, strict=True) if code == 200}
    assert set(visible_audits(person).filter(pk__in=[a.pk for a in audits])) == openable
    assert {audit for audit in audits if may_open(person, audit)} == openable


def test_a_coordinator_sees_on_the_case_page_only_the_audits_shared_with_them(team, shared):
    second = AuditFactory(
        assessment=shared.assessment, auditor=team["auditor"], judged="Good"
    )  # submitted, not yet shared
    Audit.objects.filter(pk=second.pk).update(status=S.SHARED)  # shared, but not with them
    (row,) = audits_for_case(team["coordinator"], shared.assessment)
    assert row == shared
    assert row.url == overview(shared)


def test_the_first_read_is_recorded_once_and_every_view_is_logged(client, shared, team):
    share = the_share(shared, team["coordinator"])
    assert share.first_read_at is None
    signed_in(client, team["coordinator"]).get(overview(shared))
    share.refresh_from_db()
    first = share.first_read_at
    assert first is not None
    client.get(overview(shared))
    share.refresh_from_db()
    assert share.first_read_at == first
    logged = AccessLog.objects.filter(record_type="audit", record_id=shared.pk)
    assert [entry.user for entry in logged] == [team["coordinator"]] * 2
    assert the_share(shared, team["line_manager"]).first_read_at is None


def test_a_practitioner_sees_the_audit_but_no_edit_share_reopen_or_pdf_controls(
    client, shared, team
):
    response = signed_in(client, team["coordinator"]).get(overview(shared))
    page = soup_of(response)
    assert "Overall judgement" in text_of(response)
    links = [a["href"] for a in page.select("main a[href]")]
    under_the_audit = [href for href in links if href.startswith(overview(shared))]
    assert under_the_audit == [overview(shared) + "feedback/respond/"]
    assert page.select("main form") == []
    text = text_of(response)
    for control in ("Check and submit", "Reopen", "Share with the practitioner", "PDF", "History"):
        assert control not in text


def test_the_share_button_is_not_offered_once_shared(client, shared, team):
    page = soup_of(signed_in(client, team["auditor"]).get(overview(shared)))
    assert page.select("#feedback-panel a.govuk-button") == []
    assert page.select(f'a[href="{share_url(shared)}"]') == []


# Responding --------------------------------------------------------------------------------------


def test_a_response_is_recorded_the_auditor_told_and_shown_on_the_overview(client, shared, team):
    coordinator = team["coordinator"]
    signed_in(client, coordinator)
    form = client.get(respond_url(shared))
    assert form.status_code == 200
    assert "Do you agree with the judgement?" in text_of(form)
    response = client.post(respond_url(shared), ANSWERS)
    assert response["Location"] == overview(shared)
    share = the_share(shared, coordinator)
    assert share.agrees_with_judgement == "partly"
    assert share.reflection == ANSWERS["reflection"]
    assert share.will_do == ANSWERS["will_do"]
    assert share.responded_at is not None
    assert share.first_read_at is not None
    event = shared.events.get(kind=AuditEvent.Kind.RESPONDED)
    assert event.by == coordinator
    (told,) = Notification.objects.filter(kind="feedback_response")
    assert told.recipient == team["auditor"]
    assert told.url == overview(shared)
    # The coordinator sees their own response where the link to respond was.
    mine = text_of(client.get(overview(shared)))
    assert ANSWERS["will_do"] in mine
    assert "Respond to the feedback" not in mine
    # The auditor sees it with who gave it, and who has not responded yet.
    card = soup_of(signed_in(client, team["auditor"]).get(overview(shared))).select_one(
        f"#share-{share.pk}"
    )
    card_text = " ".join(card.get_text(" ").split())
    assert "Cora Coordinator" in card_text
    assert "Partly" in card_text
    assert ANSWERS["reflection"] in card_text
    assert ANSWERS["will_do"] in card_text
    other = soup_of(client.get(overview(shared))).select_one(
        f"#share-{the_share(shared, team['line_manager']).pk}"
    )
    assert "No response yet" in other.get_text()


def test_a_practitioner_does_not_see_the_others_responses(client, shared, team):
    feedback.respond(
        share=the_share(shared, team["line_manager"]), by=team["line_manager"], **ANSWERS
    )
    text = text_of(signed_in(client, team["coordinator"]).get(overview(shared)))
    assert ANSWERS["reflection"] not in text
    assert "Respond to the feedback" in text


def test_every_answer_is_needed_and_missing_ones_are_listed_in_an_error_summary(
    client, shared, team
):
    response = signed_in(client, team["coordinator"]).post(respond_url(shared), {})
    assert response.status_code == 200
    page = soup_of(response)
    assert page.title.get_text().startswith("Error:")
    summary = [(a["href"], a.get_text(strip=True)) for a in page.select(".govuk-error-summary a")]
    assert summary == [
        ("#id_agrees_0", "Select whether you agree with the judgement"),
        ("#id_reflection", "Enter your reflection on the audit"),
        ("#id_will_do", "Enter what you will do"),
    ]
    assert the_share(shared, team["coordinator"]).responded_at is None


def test_a_second_response_is_refused(client, shared, team):
    coordinator = team["coordinator"]
    signed_in(client, coordinator).post(respond_url(shared), ANSWERS)
    again = client.post(respond_url(shared), {**ANSWERS, "agrees": "no", "will_do": "Other"})
    assert again["Location"] == overview(shared)
    share = the_share(shared, coordinator)
    assert (share.agrees_with_judgement, share.will_do) == ("partly", ANSWERS["will_do"])
    assert shared.events.filter(kind=AuditEvent.Kind.RESPONDED).count() == 1
    assert Notification.objects.filter(kind="feedback_response").count() == 1
    with pytest.raises(feedback.FeedbackRefused, match="already responded"):
        feedback.respond(share=share, by=coordinator, **ANSWERS)


@pytest.mark.parametrize(
    ("who", "status_code"),
    [
        ("other_coordinator", 404),
        ("other_line_manager", 404),
        ("auditor", 403),
        ("qa_lead", 403),
        ("partnership_viewer", 403),
    ],
)
def test_only_the_people_it_was_shared_with_may_respond(client, shared, team, who, status_code):
    signed_in(client, team[who])
    assert client.get(respond_url(shared)).status_code == status_code
    assert client.post(respond_url(shared), ANSWERS).status_code == status_code
    assert not AuditShare.objects.filter(responded_at__isnull=False).exists()
    with pytest.raises(feedback.FeedbackRefused, match="Only the person"):
        feedback.respond(share=the_share(shared, team["coordinator"]), by=team[who], **ANSWERS)


# Closing -----------------------------------------------------------------------------------------


def test_the_audit_closes_when_everyone_it_was_shared_with_has_responded(shared, team):
    for who in ("coordinator", "line_manager"):
        feedback.respond(share=the_share(shared, team[who]), by=team[who], **ANSWERS)
        shared.refresh_from_db()
        assert shared.status == S.SHARED
    feedback.respond(
        share=the_share(shared, team["agency_manager"]), by=team["agency_manager"], **ANSWERS
    )
    shared.refresh_from_db()
    assert shared.status == S.CLOSED
    assert shared.closed_at is not None
    assert shared.closure_reason == "Feedback acknowledged by everyone it was shared with"
    event = shared.events.get(kind=AuditEvent.Kind.CLOSED)
    assert event.note == shared.closure_reason


def shared_days_ago(audit, days):
    Audit.objects.filter(pk=audit.pk).update(
        shared_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_daily_job_closes_an_audit_28_days_after_it_was_shared_once_with_the_reason(
    settings, shared, team
):
    assert settings.FEEDBACK_CLOSE_AFTER_DAYS == 28
    feedback.respond(
        share=the_share(shared, team["coordinator"]), by=team["coordinator"], **ANSWERS
    )
    today = timezone.localdate()
    shared_days_ago(shared, 27)
    assert feedback.close_unanswered(today) == 0
    shared_days_ago(shared, 28)
    assert feedback.close_unanswered(today) == 1
    assert feedback.close_unanswered(today) == 0  # run again: nothing more
    shared.refresh_from_db()
    assert shared.status == S.CLOSED
    assert shared.closure_reason == (
        "Closed after 28 days without a response from Lena Linemanager (coordinator's line "
        "manager) and Agnes Agencymanager (lead agency's manager)."
    )
    (event,) = shared.events.filter(kind=AuditEvent.Kind.CLOSED)
    assert event.note.startswith("Closed automatically by the service.")


def test_the_daily_job_is_registered_and_runs_with_the_others(shared):
    assert "close audits whose feedback has had no response" in registered_jobs()
    shared_days_ago(shared, 40)
    done = run_daily_jobs(timezone.localdate())
    assert done["close audits whose feedback has had no response"] == 1
    shared.refresh_from_db()
    assert shared.status == S.CLOSED


def test_the_period_is_a_setting(settings, shared):
    settings.FEEDBACK_CLOSE_AFTER_DAYS = 7
    shared_days_ago(shared, 7)
    assert feedback.close_unanswered(timezone.localdate()) == 1
    shared.refresh_from_db()
    assert shared.closure_reason.startswith("Closed after 7 days without a response from ")


def test_a_closed_audit_takes_no_more_responses(client, shared, team):
    shared_days_ago(shared, 30)
    feedback.close_unanswered(timezone.localdate())
    share = the_share(shared, team["coordinator"])
    with pytest.raises(feedback.FeedbackRefused, match="closed"):
        feedback.respond(share=share, by=team["coordinator"], **ANSWERS)
    signed_in(client, team["coordinator"])
    assert client.post(respond_url(shared), ANSWERS)["Location"] == overview(shared)
    assert the_share(shared, team["coordinator"]).responded_at is None
    assert "closed on" in text_of(client.get(overview(shared)))


# The feedback list -----------------------------------------------------------------------------


def rows(response, table):
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in soup_of(response).select(f"#{table} tbody tr")
    ]


def test_the_list_shows_a_practitioner_the_audits_shared_with_them_needing_a_response_first(
    client, team, shared, others_audit
):
    coordinator = team["coordinator"]
    answered = submitted_audit(team["auditor"], coordinator, reference="EHA-ANSWERED")
    feedback.share(answered, team["auditor"])
    feedback.respond(share=the_share(answered, coordinator), by=coordinator, **ANSWERS)
    closed = submitted_audit(team["auditor"], coordinator, reference="EHA-CLOSED")
    feedback.share(closed, team["auditor"])
    Audit.objects.filter(pk=closed.pk).update(status=S.CLOSED)
    response = signed_in(client, coordinator).get("/audits/feedback/")
    statuses = {row[0]: row[-1] for row in rows(response, "shared-with-you")}
    assert statuses == {
        "Audit of EHA-FEEDBACK-1": "Response needed",
        "Audit of EHA-ANSWERED": "Responded",
        "Audit of EHA-CLOSED": "Closed",
    }
    assert rows(response, "shared-with-you")[0][0] == "Audit of EHA-FEEDBACK-1"
    links = [a["href"] for a in soup_of(response).select("#shared-with-you tbody a")]
    assert overview(shared) in links
    assert overview(others_audit) not in links
    assert soup_of(response).select("#awaiting") == []


def test_with_nothing_shared_the_list_says_so(client, team):
    response = signed_in(client, team["coordinator"]).get("/audits/feedback/")
    assert response.status_code == 200
    assert "No audits have been shared with you yet" in text_of(response)


def test_the_auditor_sees_their_shared_audits_waiting_for_responses(client, team, shared):
    feedback.respond(
        share=the_share(shared, team["coordinator"]), by=team["coordinator"], **ANSWERS
    )
    response = signed_in(client, team["auditor"]).get("/audits/feedback/")
    (row,) = rows(response, "awaiting")
    assert row[0] == "Audit of EHA-FEEDBACK-1"
    assert row[3] == "1 of 3"
    assert soup_of(response).select("#shared-with-you") == []
    other = signed_in(client, team["other_auditor"]).get("/audits/feedback/")
    assert rows(other, "awaiting") == []
    assert "No shared audits are waiting for responses" in text_of(other)
    assert [
        r[0] for r in rows(signed_in(client, team["qa_lead"]).get("/audits/feedback/"), "awaiting")
    ] == ["Audit of EHA-FEEDBACK-1"]


@pytest.mark.parametrize("who", ["partnership_viewer", "data_officer"])
def test_the_list_is_refused_to_people_without_audits(client, team, who):
    assert signed_in(client, team[who]).get("/audits/feedback/").status_code == 403


def _shared_audits(team, count):
    for _ in range(count):
        audit = submitted_audit(team["auditor"], team["coordinator"], team["agency_manager"])
        feedback.share(audit, team["auditor"])


@pytest.mark.parametrize("who", ["coordinator", "auditor", "qa_lead"])
def test_the_list_runs_the_same_queries_for_2_or_12_audits(client, team, who):
    signed_in(client, team[who])
    counts = []
    for more in (2, 10):
        _shared_audits(team, more)
        client.get("/audits/feedback/")  # the session's own first queries
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/audits/feedback/")
        counts.append(len(queries))
        table = "awaiting" if who != "coordinator" else "shared-with-you"
        assert (
            len(rows(response, table))
            == AuditShare.objects.filter(relationship=R.COORDINATOR).count()
        )
    assert counts[0] == counts[1]
