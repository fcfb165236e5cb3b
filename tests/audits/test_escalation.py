"""Escalation: "Where the Early Help is found to be 'Inadequate' and/or there are unresolved
safeguarding issues raised by the process, then the Early Help Officer will directly inform the
EHA co-ordinators line manager."

Who is told and how, what the e-mails leave out, who may see and answer an escalation, the
manager's acknowledgement and response, the daily chasing, and the QA lead's register."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits import escalation as escalations
from earlyhelp.audits import services
from earlyhelp.audits.models import Audit, AuditEvent, Escalation
from earlyhelp.core.models import AccessLog, Notification
from earlyhelp.core.notifications import EMAILS
from earlyhelp.core.scheduling import run_daily_jobs

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory
from .audit_helpers import new_audit
from .factories import AuditFactory, grade

pytestmark = pytest.mark.django_db

S = Escalation.Status

# A Friday, with no bank holiday in the week after it.
FRIDAY = datetime.date(2027, 1, 8)


def day(offset):
    return FRIDAY + datetime.timedelta(days=offset)


def at(date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


# People and submitted audits ---------------------------------------------------------------------


@pytest.fixture
def qa_lead():
    return UserFactory(roles=[Role.QA_LEAD], full_name="Quinn Lead")


@pytest.fixture
def manager():
    return UserFactory(roles=[Role.LINE_MANAGER], full_name="Morgan Manager")


@pytest.fixture
def coordinator(manager):
    return UserFactory(
        roles=[Role.COORDINATOR], full_name="Casey Coordinator", line_manager=manager
    )


def eha_of(coordinator=None, **fields):
    return EarlyHelpAssessmentFactory(
        coordinator=coordinator,
        coordinator_name=str(coordinator) if coordinator else "Robin Unlinked",
        coordinator_email=coordinator.email if coordinator else "",
        **fields,
    )


def submitted(eha, judgement="Inadequate", safeguarding=False, auditor=None):
    """An audit of the EHA completed and submitted through the audit service, as the submit
    page does."""
    audit = new_audit(auditor, assessment=eha)
    met = audit.framework_version.rating_options.get(label="Met")
    audit.ratings.update(rating=met)
    Audit.objects.filter(pk=audit.pk).update(
        file_compliance=Audit.Compliance.COMPLIANT,
        childs_journey="The journey.",
        impact_score=3,
        judgement=grade(judgement, audit.framework_version),
        judgement_reason="The reasons.",
        unresolved_safeguarding=safeguarding,
        safeguarding_details="Details of the worry." if safeguarding else "",
    )
    audit.refresh_from_db()
    done, problems, _ = services.submit(
        audit=audit, revision=audit.revision, user=audit.auditor, confirm_judgement=True
    )
    assert done, problems
    return Audit.objects.get(pk=audit.pk)


def escalated(eha=None, created=None, **kwargs):
    """An escalation made by submitting an Inadequate audit, made at `created` if given."""
    audit = submitted(eha or eha_of(), **kwargs)
    if created is not None:
        Escalation.objects.filter(audit=audit).update(created_at=created)
    return Escalation.objects.get(audit=audit)


def qa_lead_addresses():
    """Every QA lead's address (the helper that starts audits makes a QA lead for each)."""
    return [lead.email for lead in escalations.qa_leads()]


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def escalation_emails():
    """The e-mails about escalations (the daily run also holds other stages' reminders)."""
    subjects = {text.subject for kind, text in EMAILS.items() if kind.startswith("escalation")}
    return [m for m in mail.outbox if m.subject.rsplit(": ", 1)[0] in subjects]


def kinds_for(person):
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def actions_on(response):
    """What the page offers to do: the acknowledge button and the response form, if shown."""
    soup = BeautifulSoup(response.content, "html.parser")
    offered = []
    if soup.select_one("form[action$='/acknowledge/'] button"):
        offered.append("acknowledge")
    if soup.select_one("textarea[name=response]"):
        offered.append("respond")
    return offered


# Who is told ------------------------------------------------------------------------------------


def test_an_inadequate_audit_is_escalated_and_the_coordinators_line_manager_is_emailed(
    manager, coordinator, qa_lead
):
    audit = submitted(eha_of(coordinator), judgement="Inadequate")

    escalation = audit.escalation
    assert (escalation.inadequate, escalation.unresolved_safeguarding) == (True, False)
    assert escalation.status == S.OPEN
    assert escalation.line_manager == manager
    assert escalation.told_how == Escalation.ToldHow.USER_RECORD
    assert recipients() == [manager.email]
    assert kinds_for(manager) == ["escalation"]
    assert audit.events.filter(kind=AuditEvent.Kind.ESCALATED).count() == 1


def test_unresolved_safeguarding_is_escalated_even_when_the_judgement_is_good(manager, coordinator):
    audit = submitted(eha_of(coordinator), judgement="Good", safeguarding=True)

    escalation = audit.escalation
    assert (escalation.inadequate, escalation.unresolved_safeguarding) == (False, True)
    assert recipients() == [manager.email]


def test_a_good_audit_without_safeguarding_issues_is_not_escalated(manager, coordinator):
    audit = submitted(eha_of(coordinator), judgement="Good", safeguarding=False)

    assert not Escalation.objects.filter(audit=audit).exists()
    assert mail.outbox == []


def test_the_escalation_is_made_when_the_auditor_submits_on_the_submit_page(
    client, manager, coordinator
):
    audit = new_audit(assessment=eha_of(coordinator))
    met = audit.framework_version.rating_options.get(label="Met")
    audit.ratings.update(rating=met)
    Audit.objects.filter(pk=audit.pk).update(
        file_compliance=Audit.Compliance.COMPLIANT,
        childs_journey="The journey.",
        impact_score=2,
        judgement=grade("Inadequate"),
        judgement_reason="The reasons.",
        unresolved_safeguarding=False,
    )
    client.force_login(audit.auditor)
    revision = Audit.objects.get(pk=audit.pk).revision

    client.post(f"/audits/{audit.pk}/submit/", {"revision": revision, "confirm_judgement": "on"})

    assert Escalation.objects.get(audit=audit).line_manager == manager
    assert recipients() == [manager.email]


def test_without_a_line_manager_account_the_data_reports_manager_is_emailed_and_the_qa_lead_told(
    qa_lead,
):
    coordinator = UserFactory(roles=[Role.COORDINATOR])  # no line manager on their account
    eha = eha_of(coordinator, coordinator_manager_email="manager.elsewhere@agency.test")

    escalation = submitted(eha).escalation

    assert escalation.line_manager is None
    assert escalation.told_email == "manager.elsewhere@agency.test"
    assert escalation.told_how == Escalation.ToldHow.DATA_REPORT
    assert recipients() == sorted(["manager.elsewhere@agency.test", *qa_lead_addresses()])
    assert kinds_for(qa_lead) == ["escalation_manager_has_no_account"]


def test_with_no_line_manager_on_record_the_qa_lead_is_told_so(qa_lead):
    escalation = submitted(eha_of(None)).escalation

    assert (escalation.line_manager, escalation.told_email) == (None, "")
    assert escalation.told_how == Escalation.ToldHow.NONE
    assert recipients() == sorted(qa_lead_addresses())
    assert kinds_for(qa_lead) == ["escalation_no_line_manager"]


def test_a_manager_whose_account_cannot_open_escalations_is_told_as_one_without_an_account(
    qa_lead,
):
    not_a_manager = UserFactory(roles=[Role.AUDITOR])
    coordinator = UserFactory(roles=[Role.COORDINATOR], line_manager=not_a_manager)

    escalation = submitted(eha_of(coordinator)).escalation

    assert escalation.line_manager is None
    assert escalation.told_email == not_a_manager.email
    assert kinds_for(qa_lead) == ["escalation_manager_has_no_account"]


def test_emails_carry_no_family_reference_eha_reference_or_names(manager, coordinator, qa_lead):
    eha = eha_of(coordinator, reference="EHA-SECRET-1")
    eha.family.reference = "FAM-SECRET-2"
    eha.family.save()
    other_coordinator = UserFactory(roles=[Role.COORDINATOR], full_name="Dana Nolinemanager")
    other_eha = eha_of(
        other_coordinator, reference="EHA-SECRET-3", coordinator_manager_email="m@agency.test"
    )
    first = submitted(eha, safeguarding=True)
    submitted(other_eha)
    submitted(eha_of(None, reference="EHA-SECRET-4"))
    escalations.acknowledge(first.escalation, manager)
    assert len(mail.outbox) >= 5

    secrets = [
        "EHA-SECRET",
        "FAM-SECRET",
        "Casey",
        "Coordinator",
        "Nolinemanager",
        "Robin Unlinked",
        "Morgan",
        "Quinn",
        str(first.auditor),
        "Details of the worry",
    ]
    for message in mail.outbox:
        rendered = f"{message.subject}\n{message.body}"
        for secret in secrets:
            assert secret not in rendered, (secret, message.subject)


def test_an_audit_submitted_again_after_reopening_keeps_its_one_escalation(
    manager, coordinator, qa_lead
):
    audit = submitted(eha_of(coordinator))
    services.reopen(audit=audit, user=qa_lead, reason="A second look")
    audit.refresh_from_db()
    services.submit(
        audit=audit, revision=audit.revision, user=audit.auditor, confirm_judgement=True
    )

    assert Escalation.objects.filter(audit=audit).count() == 1
    assert recipients() == [manager.email]


# Who may see an escalation -----------------------------------------------------------------------


def test_a_line_manager_sees_only_the_escalations_made_to_them(client, manager, coordinator):
    mine = escalated(eha_of(coordinator))
    other_manager = UserFactory(roles=[Role.LINE_MANAGER])
    theirs = escalated(eha_of(UserFactory(roles=[Role.COORDINATOR], line_manager=other_manager)))

    assert list(escalations.visible_escalations(manager)) == [mine]
    client.force_login(manager)
    assert client.get(f"/escalations/{mine.pk}/").status_code == 200
    assert client.get(f"/escalations/{theirs.pk}/").status_code == 404
    assert client.post(f"/escalations/{theirs.pk}/acknowledge/").status_code == 404
    listed = text_of(client.get("/escalations/"))
    assert mine.audit.assessment.reference in listed
    assert theirs.audit.assessment.reference not in listed


def test_another_line_manager_is_told_the_escalation_does_not_exist(client, manager, coordinator):
    escalation = escalated(eha_of(coordinator))
    client.force_login(UserFactory(roles=[Role.LINE_MANAGER]))

    assert client.get(f"/escalations/{escalation.pk}/").status_code == 404


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.AUDITOR, Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER]
)
def test_other_roles_are_refused_the_escalation_pages(client_for, coordinator, role):
    escalation = escalated(eha_of(coordinator))
    client = client_for(role)

    assert client.get("/escalations/").status_code == 403
    assert client.get(f"/escalations/{escalation.pk}/").status_code == 403
    assert client.post(f"/escalations/{escalation.pk}/acknowledge/").status_code == 403


def test_the_qa_lead_sees_every_escalation(qa_lead, coordinator):
    first = escalated(eha_of(coordinator))
    second = escalated(eha_of(None))

    assert set(escalations.visible_escalations(qa_lead)) == {first, second}


def test_each_view_of_the_escalation_page_is_logged(client, manager, coordinator):
    escalation = escalated(eha_of(coordinator))
    client.force_login(manager)

    client.get(f"/escalations/{escalation.pk}/")
    client.get(f"/escalations/{escalation.pk}/")

    views = AccessLog.objects.filter(record_type="escalation", record_id=escalation.pk)
    assert views.count() == 2
    assert {(v.user, v.record_label) for v in views} == {
        (manager, escalation.audit.assessment.reference)
    }


def test_the_escalation_page_shows_why_who_was_told_the_answers_and_the_eha(
    client, manager, coordinator
):
    escalation = escalated(eha_of(coordinator), safeguarding=True)
    client.force_login(manager)

    page = text_of(client.get(f"/escalations/{escalation.pk}/"))

    assert "Escalation of the audit of " + escalation.audit.assessment.reference in page
    assert "Details of the worry." in page  # why
    assert f"Morgan Manager ({manager.email})" in page  # who was told
    assert "Line manager on the coordinator's account" in page  # how
    assert "The journey." in page  # the audit's answers
    assert escalation.audit.assessment.family.reference in page  # the EHA's facts
    assert actions_on(client.get(f"/escalations/{escalation.pk}/")) == ["acknowledge", "respond"]


# Acknowledging, responding and resolving ---------------------------------------------------------


def test_acknowledging_records_it_and_tells_the_auditor_and_the_qa_lead(
    client, manager, coordinator, qa_lead
):
    escalation = escalated(eha_of(coordinator))
    auditor = escalation.audit.auditor
    mail.outbox.clear()
    client.force_login(manager)

    response = client.post(f"/escalations/{escalation.pk}/acknowledge/")
    client.post(f"/escalations/{escalation.pk}/acknowledge/")  # a second click

    assert response["Location"] == f"/escalations/{escalation.pk}/"
    escalation.refresh_from_db()
    assert escalation.status == S.ACKNOWLEDGED
    assert escalation.acknowledged_by == manager
    assert escalation.acknowledged_at is not None
    assert kinds_for(auditor) == ["escalation_update"]
    assert kinds_for(qa_lead) == ["escalation_update"]
    assert recipients() == sorted([auditor.email, *qa_lead_addresses()])
    events = list(escalation.audit.events.values_list("kind", "by", "note"))
    assert events[-1] == (AuditEvent.Kind.ESCALATION_UPDATED, manager.pk, "Acknowledged.")
    assert [kind for kind, _, _ in events].count(AuditEvent.Kind.ESCALATED) == 1


def test_the_manager_records_a_response_then_resolves_it(client, manager, coordinator, qa_lead):
    escalation = escalated(eha_of(coordinator))
    auditor = escalation.audit.auditor
    client.force_login(manager)
    url = f"/escalations/{escalation.pk}/"

    client.post(url, {"response": "Discussed with the coordinator.", "action_taken": ""})
    escalation.refresh_from_db()
    assert escalation.status == S.ACKNOWLEDGED  # a response acknowledges it too
    assert escalation.acknowledged_by == manager
    assert escalation.response == "Discussed with the coordinator."

    response = client.post(
        url,
        {
            "response": "Discussed with the coordinator.",
            "action_taken": "A new plan, reviewed in four weeks.",
            "resolved": "on",
        },
    )
    assert response["Location"] == url
    escalation.refresh_from_db()
    assert escalation.status == S.RESOLVED
    assert (escalation.resolved_by, escalation.action_taken) == (
        manager,
        "A new plan, reviewed in four weeks.",
    )
    assert escalation.resolved_at is not None
    assert kinds_for(auditor) == ["escalation_update", "escalation_update"]
    page = client.get(url)
    assert "A new plan, reviewed in four weeks." in text_of(page)
    assert actions_on(page) == []


def test_resolving_needs_a_response(client, manager, coordinator):
    escalation = escalated(eha_of(coordinator))
    client.force_login(manager)

    response = client.post(
        f"/escalations/{escalation.pk}/",
        {"response": "  ", "action_taken": "Something was done.", "resolved": "on"},
    )

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one(".govuk-error-summary")
    assert "Enter your response before marking it as resolved" in summary.get_text()
    assert summary.select_one("a")["href"] == "#id_response"
    escalation.refresh_from_db()
    assert escalation.status == S.OPEN
    with pytest.raises(escalations.ResponseNeeded):
        escalations.record_response(escalation, manager, "", "Done.", resolved=True)


def test_an_empty_response_is_not_saved(client, manager, coordinator):
    escalation = escalated(eha_of(coordinator))
    client.force_login(manager)

    response = client.post(f"/escalations/{escalation.pk}/", {"response": "", "action_taken": ""})

    assert "Enter your response, or what has been done" in text_of(response)
    assert Escalation.objects.get(pk=escalation.pk).status == S.OPEN


def test_a_resolved_escalation_cannot_be_changed_again(client, manager, coordinator):
    escalation = escalated(eha_of(coordinator))
    escalations.record_response(escalation, manager, "Sorted.", "Plan changed.", resolved=True)
    client.force_login(manager)

    client.post(f"/escalations/{escalation.pk}/", {"response": "Something else", "resolved": "on"})

    escalation.refresh_from_db()
    assert (escalation.status, escalation.response) == (S.RESOLVED, "Sorted.")
    with pytest.raises(escalations.EscalationResolved):
        escalations.record_response(escalation, manager, "Again", "", resolved=False)


def test_the_same_response_sent_twice_is_recorded_once(manager, coordinator):
    escalation = escalated(eha_of(coordinator))

    first = escalations.record_response(escalation, manager, "Noted.", "", resolved=False)
    second = escalations.record_response(escalation, manager, "Noted.", "", resolved=False)

    assert (first, second) == (True, False)
    assert escalation.audit.events.filter(kind=AuditEvent.Kind.ESCALATION_UPDATED).count() == 1


def test_the_qa_lead_records_for_a_manager_without_an_account_and_the_history_says_so(
    client, qa_lead
):
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    escalation = escalated(eha_of(coordinator, coordinator_manager_email="far@agency.test"))
    client.force_login(qa_lead)
    url = f"/escalations/{escalation.pk}/"

    assert "You are recording this for far@agency.test" in text_of(client.get(url))
    client.post(f"{url}acknowledge/")
    client.post(url, {"response": "By phone: seen.", "action_taken": "", "resolved": "on"})

    escalation.refresh_from_db()
    assert (escalation.status, escalation.acknowledged_by, escalation.resolved_by) == (
        S.RESOLVED,
        qa_lead,
        qa_lead,
    )
    notes = list(escalation.audit.events.values_list("note", flat=True))
    assert "Acknowledged on behalf of far@agency.test." in notes
    assert "Responded to and resolved on behalf of far@agency.test." in notes


def test_the_qa_lead_does_not_answer_for_a_manager_who_has_an_account(
    client, qa_lead, manager, coordinator
):
    escalation = escalated(eha_of(coordinator))
    client.force_login(qa_lead)

    page = client.get(f"/escalations/{escalation.pk}/")
    client.post(f"/escalations/{escalation.pk}/acknowledge/")

    assert actions_on(page) == []
    assert Escalation.objects.get(pk=escalation.pk).status == S.OPEN
    with pytest.raises(escalations.NotAllowed):
        escalations.acknowledge(escalation, qa_lead)


def test_the_audit_page_shows_the_escalation_to_the_auditor_and_the_qa_lead(
    client, qa_lead, manager, coordinator
):
    escalation = escalated(eha_of(coordinator))
    escalations.record_response(escalation, manager, "We met.", "", resolved=False)
    overview = f"/audits/{escalation.audit.pk}/"

    client.force_login(escalation.audit.auditor)
    as_auditor = BeautifulSoup(client.get(overview).content, "html.parser")
    client.force_login(qa_lead)
    as_qa_lead = BeautifulSoup(client.get(overview).content, "html.parser")

    panel = as_auditor.select_one("#escalation-panel")
    assert "Escalated to the line manager" in panel.get_text()
    assert "Morgan Manager" in panel.get_text()
    assert "Acknowledged" in panel.get_text()
    assert "We met." in panel.get_text()
    assert panel.select_one("a") is None  # the auditor cannot open the escalation page
    link = as_qa_lead.select_one("#escalation-panel a")
    assert link["href"] == f"/escalations/{escalation.pk}/"


def test_an_audit_without_an_escalation_has_no_panel(client, qa_lead):
    audit = AuditFactory(judged="Good")
    client.force_login(qa_lead)

    page = BeautifulSoup(client.get(f"/audits/{audit.pk}/").content, "html.parser")

    assert page.select_one("#escalation-panel") is None


# Chasing -----------------------------------------------------------------------------------------


def test_an_unacknowledged_escalation_is_not_chased_before_two_working_days(manager, coordinator):
    escalation = escalated(eha_of(coordinator), created=at(FRIDAY))
    mail.outbox.clear()

    for offset in (0, 1, 2, 3):  # Friday, the weekend, Monday: at most one working day
        escalations.chase_unacknowledged(day(offset))

    assert mail.outbox == []
    assert Escalation.objects.get(pk=escalation.pk).chased_at is None


def test_it_is_chased_once_after_two_working_days_however_often_the_job_runs(manager, coordinator):
    escalation = escalated(eha_of(coordinator), created=at(FRIDAY))
    mail.outbox.clear()

    run_daily_jobs(day(4))  # Tuesday: two working days
    run_daily_jobs(day(4))
    escalations.chase_unacknowledged(day(5))

    assert [m.to for m in escalation_emails()] == [[manager.email]]
    assert kinds_for(manager) == ["escalation", "escalation_chase"]
    escalation.refresh_from_db()
    assert escalation.chased_at is not None
    assert escalation.raised_at is None


def test_it_is_raised_to_the_qa_lead_after_four_working_days(manager, coordinator, qa_lead):
    escalation = escalated(eha_of(coordinator), created=at(FRIDAY))

    for offset in range(0, 10):
        escalations.chase_unacknowledged(day(offset))
        escalations.chase_unacknowledged(day(offset))

    assert kinds_for(qa_lead) == ["escalation_raised"]
    assert kinds_for(manager) == ["escalation", "escalation_chase"]
    escalation.refresh_from_db()
    assert escalation.raised_at is not None


def test_raising_waits_for_four_working_days(manager, coordinator, qa_lead):
    escalation = escalated(eha_of(coordinator), created=at(FRIDAY))

    escalations.chase_unacknowledged(day(5))  # Wednesday: three working days
    assert kinds_for(qa_lead) == []
    escalations.chase_unacknowledged(day(6))  # Thursday: four
    assert kinds_for(qa_lead) == ["escalation_raised"]
    assert Escalation.objects.get(pk=escalation.pk).raised_at is not None


def test_acknowledging_stops_the_chasing(manager, coordinator, qa_lead):
    escalation = escalated(eha_of(coordinator), created=at(FRIDAY))
    escalations.acknowledge(escalation, manager)
    mail.outbox.clear()

    for offset in range(0, 15):
        run_daily_jobs(day(offset))

    assert escalation_emails() == []
    escalation.refresh_from_db()
    assert (escalation.chased_at, escalation.raised_at) == (None, None)


def test_acknowledging_after_the_reminder_stops_the_raising(manager, coordinator, qa_lead):
    escalation = escalated(eha_of(coordinator), created=at(FRIDAY))
    escalations.chase_unacknowledged(day(4))
    escalations.acknowledge(escalation, manager)

    escalations.chase_unacknowledged(day(6))

    assert "escalation_raised" not in kinds_for(qa_lead)


def test_a_manager_without_an_account_is_emailed_again_and_then_the_qa_lead_told(qa_lead):
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    eha = eha_of(coordinator, coordinator_manager_email="far@agency.test")
    escalated(eha, created=at(FRIDAY))
    mail.outbox.clear()

    escalations.chase_unacknowledged(day(4))
    escalations.chase_unacknowledged(day(6))

    assert recipients() == sorted(["far@agency.test", *qa_lead_addresses()])


# The register ------------------------------------------------------------------------------------


def _made(offset_days, status=S.OPEN, reference=None, **kwargs):
    """An escalation made `offset_days` calendar days before today, in a given status."""
    escalation = escalated(eha_of(None, reference=reference) if reference else None, **kwargs)
    created = timezone.now() - datetime.timedelta(days=offset_days)
    changes = {"created_at": created, "status": status}
    if status == S.RESOLVED:
        changes["resolved_at"] = timezone.now()
    Escalation.objects.filter(pk=escalation.pk).update(**changes)
    return escalation


def listed(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        th.get_text(" ", strip=True).removeprefix("Escalation of ")
        for th in soup.select("#escalation-table tbody th")
    ]


def test_the_register_puts_overdue_first_then_open_acknowledged_and_resolved(client, qa_lead):
    _made(0, reference="OPEN-NEW")
    _made(30, S.RESOLVED, reference="RESOLVED")
    _made(20, reference="OVERDUE-YOUNGER")
    _made(25, S.ACKNOWLEDGED, reference="ACKNOWLEDGED")
    _made(40, reference="OVERDUE-OLDER")
    client.force_login(qa_lead)

    response = client.get("/escalations/")

    assert listed(response) == [
        "OVERDUE-OLDER",
        "OVERDUE-YOUNGER",
        "OPEN-NEW",
        "ACKNOWLEDGED",
        "RESOLVED",
    ]
    soup = BeautifulSoup(response.content, "html.parser")
    first_row = [
        c.get_text(" ", strip=True)
        for c in soup.select("#escalation-table tbody tr")[0].select("td")
    ]
    assert "Overdue" in first_row[2]
    assert first_row[0] == "The judgement is Inadequate"
    assert int(first_row[3]) >= 20
    summary = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in soup.select("#escalation-summary .govuk-summary-list__row")
    }
    assert summary == {
        "Overdue": "2",
        "Not yet acknowledged": "3",
        "Acknowledged": "1",
        "Resolved": "1",
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("overdue", ["OVERDUE"]),
        ("open", ["OVERDUE", "OPEN-NEW"]),
        ("acknowledged", ["ACKNOWLEDGED"]),
        ("resolved", ["RESOLVED"]),
    ],
)
def test_the_register_filters_by_status(client, qa_lead, status, expected):
    _made(0, reference="OPEN-NEW")
    _made(20, reference="OVERDUE")
    _made(5, S.ACKNOWLEDGED, reference="ACKNOWLEDGED")
    _made(5, S.RESOLVED, reference="RESOLVED")
    client.force_login(qa_lead)

    assert listed(client.get(f"/escalations/?status={status}")) == expected


def test_an_unknown_status_filter_is_an_error_not_a_crash(client, qa_lead):
    _made(0)
    client.force_login(qa_lead)

    response = client.get("/escalations/?status=nonsense")

    assert response.status_code == 200
    assert "Select status from the list" in text_of(response)


def test_the_register_says_when_there_is_nothing(client, qa_lead, manager):
    client.force_login(qa_lead)
    assert "There are no escalations" in text_of(client.get("/escalations/"))
    _made(0)
    assert "No escalations match this filter" in text_of(
        client.get("/escalations/?status=resolved")
    )
    client.force_login(manager)
    assert "Nothing has been escalated to you" in text_of(client.get("/escalations/"))


def test_the_register_is_paginated(client, qa_lead, monkeypatch):
    monkeypatch.setattr(escalations, "REGISTER_PAGE_SIZE", 2)
    for n in range(3):
        _made(n, reference=f"PAGED-{n}")
    client.force_login(qa_lead)

    first, second = client.get("/escalations/"), client.get("/escalations/?page=2")

    assert listed(first) == ["PAGED-2", "PAGED-1"]  # the oldest first
    assert listed(second) == ["PAGED-0"]
    assert "Showing 3 to 3 of 3 escalations" in text_of(second)


def test_the_registers_queries_do_not_grow_with_the_number_of_escalations(client, qa_lead):
    for n in range(2):
        _made(n * 10)
    client.force_login(qa_lead)
    client.get("/escalations/")  # the session and the like, once
    with CaptureQueriesContext(connection) as few:
        client.get("/escalations/")
    for n in range(12):
        _made(n * 3, status=[S.OPEN, S.ACKNOWLEDGED, S.RESOLVED][n % 3])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/escalations/")

    assert len(listed(response)) == 14
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_escalation_page_history_shows_the_acknowledgement(client, manager, coordinator):
    escalation = escalated(eha_of(coordinator))
    escalations.acknowledge(escalation, manager)
    client.force_login(manager)
    page = text_of(client.get(f"/escalations/{escalation.pk}/"))
    assert "Escalation updated by" in page
    assert "Acknowledged." in page
