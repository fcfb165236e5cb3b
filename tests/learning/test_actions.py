"""Actions: each step, who may take it and from which status; who sees which action; the
reminders; and the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.core.models import Notification
from earlyhelp.core.scheduling import run_daily_jobs
from earlyhelp.learning import actions
from earlyhelp.learning.actions import ActionRefused
from earlyhelp.learning.models import Action, ActionEvent, LearningTheme

from ..audits.factories import AuditFactory
from ..factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def qa_lead():
    return UserFactory(roles=(Role.QA_LEAD,))


@pytest.fixture
def agency_manager():
    manager = UserFactory(roles=(Role.LINE_MANAGER,))
    agency = AgencyFactory(manager=manager)
    manager.agency = agency
    manager.save()
    return manager


@pytest.fixture
def owner(agency_manager):
    return UserFactory(roles=(Role.COORDINATOR,), agency=agency_manager.agency)


@pytest.fixture
def someone_else():
    return UserFactory(roles=(Role.COORDINATOR, Role.AUDITOR, Role.LINE_MANAGER))


def raise_action(by, owner, agency=None, due_date=None, **fields):
    return actions.create_action(
        title=fields.pop("title", "Training on chronologies"),
        action_type=fields.pop("action_type", Action.Type.TRAINING),
        owner=owner,
        agency=agency if agency is not None else owner.agency,
        due_date=due_date or timezone.localdate() + datetime.timedelta(days=30),
        by=by,
        **fields,
    )


@pytest.fixture
def action(qa_lead, owner):
    return raise_action(qa_lead, owner)


def done(action, by):
    return actions.record_evidence(action, "Six practitioners trained on 1 December", by)


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# Raising ---------------------------------------------------------------------------------------


def test_the_qa_lead_raises_an_action_for_anyone_and_the_owner_is_told(qa_lead, owner):
    action = raise_action(qa_lead, owner, standard_refs=["S1.1"])
    assert action.status == Action.Status.OPEN
    assert action.standard_refs == ["S1.1"]
    assert action.created_by == qa_lead
    assert kinds_for(owner) == ["action_assigned"]
    assert ActionEvent.objects.filter(action=action, by=qa_lead).count() == 1


def test_an_auditor_raises_an_action_only_from_a_submitted_audit_of_theirs(owner):
    audit = AuditFactory(judged="Requires Improvement")
    action = raise_action(audit.auditor, owner, audit=audit)
    assert action.audit == audit
    other = AuditFactory(judged="Good")
    with pytest.raises(ActionRefused):
        raise_action(audit.auditor, owner, audit=other)
    with pytest.raises(ActionRefused):
        raise_action(audit.auditor, owner)
    planned = AuditFactory(auditor=audit.auditor)
    with pytest.raises(ActionRefused):
        raise_action(audit.auditor, owner, audit=planned)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LINE_MANAGER, Role.PARTNERSHIP_VIEWER])
def test_nobody_else_raises_an_action(role, owner):
    with pytest.raises(ActionRefused):
        raise_action(UserFactory(roles=(role,)), owner)


# Starting --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "agency_manager", "qa_lead"])
def test_the_owner_their_agency_manager_or_the_qa_lead_starts_an_open_action(who, action, request):
    by = request.getfixturevalue(who)
    actions.start(action, by)
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.events.last().by == by


def test_someone_else_may_not_start_an_action(action, someone_else):
    with pytest.raises(ActionRefused):
        actions.start(action, someone_else)
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_only_an_open_action_is_started(action, owner):
    actions.start(action, owner)
    with pytest.raises(ActionRefused, match="Only an open action"):
        actions.start(action, owner)


# Evidence --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "agency_manager"])
def test_the_owner_or_agency_manager_records_evidence_and_the_qa_lead_is_told(
    who, action, request, qa_lead
):
    done(action, request.getfixturevalue(who))
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.completed_at is not None
    assert action.evidence.startswith("Six practitioners")
    assert kinds_for(qa_lead) == ["action_done"]


def test_evidence_is_recorded_from_in_progress_too(action, owner):
    actions.start(action, owner)
    done(action, owner)
    assert action.status == Action.Status.DONE


@pytest.mark.parametrize("who", ["qa_lead", "someone_else"])
def test_nobody_else_records_evidence(who, action, request):
    with pytest.raises(ActionRefused):
        done(action, request.getfixturevalue(who))


def test_evidence_must_say_something(action, owner):
    with pytest.raises(ActionRefused, match="Enter the evidence"):
        actions.record_evidence(action, "   ", owner)


def test_evidence_is_not_recorded_on_a_cancelled_action(action, owner, qa_lead):
    actions.cancel(action, "No longer needed", qa_lead)
    with pytest.raises(ActionRefused):
        done(action, owner)


# Signing off -----------------------------------------------------------------------------------


def test_the_qa_lead_signs_off_a_done_action_and_the_owner_is_told(action, owner, qa_lead):
    done(action, owner)
    actions.sign_off(action, qa_lead)
    action.refresh_from_db()
    assert action.signed_off_by == qa_lead
    assert action.signed_off_at is not None
    assert "action_signed_off" in kinds_for(owner)


def test_sign_off_only_when_done(action, owner, qa_lead):
    with pytest.raises(ActionRefused, match="marked done"):
        actions.sign_off(action, qa_lead)
    actions.start(action, owner)
    with pytest.raises(ActionRefused, match="marked done"):
        actions.sign_off(action, qa_lead)


def test_sign_off_needs_evidence(action, owner, qa_lead):
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE, evidence="")
    with pytest.raises(ActionRefused, match="evidence"):
        actions.sign_off(action, qa_lead)


def test_sign_off_happens_once(action, owner, qa_lead):
    done(action, owner)
    actions.sign_off(action, qa_lead)
    with pytest.raises(ActionRefused, match="already"):
        actions.sign_off(action, qa_lead)


@pytest.mark.parametrize("who", ["owner", "agency_manager", "someone_else"])
def test_only_the_qa_lead_signs_off(who, action, owner, request):
    done(action, owner)
    with pytest.raises(ActionRefused, match="Only the QA lead"):
        actions.sign_off(action, request.getfixturevalue(who))


# Sending back, cancelling, a new due date ------------------------------------------------------


def test_the_qa_lead_sends_back_evidence_that_is_not_enough(action, owner, qa_lead):
    done(action, owner)
    actions.send_back(action, "Say how many were trained", qa_lead)
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.completed_at is None
    assert action.events.last().what == "Sent back: Say how many were trained"
    done(action, owner)
    assert action.status == Action.Status.DONE


def test_sending_back_needs_a_reason_a_done_action_and_the_qa_lead(action, owner, qa_lead):
    with pytest.raises(ActionRefused):
        actions.send_back(action, "Not done", qa_lead)
    done(action, owner)
    with pytest.raises(ActionRefused, match="Enter why"):
        actions.send_back(action, "", qa_lead)
    with pytest.raises(ActionRefused, match="Only the QA lead"):
        actions.send_back(action, "Not enough", owner)
    actions.sign_off(action, qa_lead)
    with pytest.raises(ActionRefused, match="signed-off"):
        actions.reopen(action, "Not enough", qa_lead)


def test_the_qa_lead_cancels_with_a_reason(action, owner, qa_lead):
    with pytest.raises(ActionRefused, match="Only the QA lead"):
        actions.cancel(action, "Not needed", owner)
    with pytest.raises(ActionRefused, match="Enter why"):
        actions.cancel(action, " ", qa_lead)
    actions.cancel(action, "Covered by the county-wide training", qa_lead)
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED
    assert action.cancelled_reason == "Covered by the county-wide training"
    with pytest.raises(ActionRefused, match="already"):
        actions.cancel(action, "Again", qa_lead)


def test_a_signed_off_action_cannot_be_cancelled(action, owner, qa_lead):
    done(action, owner)
    actions.sign_off(action, qa_lead)
    with pytest.raises(ActionRefused):
        actions.cancel(action, "Changed my mind", qa_lead)


def test_the_qa_lead_changes_the_due_date_of_a_live_action(action, owner, qa_lead):
    new_date = action.due_date + datetime.timedelta(days=14)
    with pytest.raises(ActionRefused, match="Only the QA lead"):
        actions.change_due_date(action, new_date, owner)
    actions.change_due_date(action, new_date, qa_lead)
    action.refresh_from_db()
    assert action.due_date == new_date
    done(action, owner)
    with pytest.raises(ActionRefused):
        actions.change_due_date(action, new_date + datetime.timedelta(days=1), qa_lead)


# Who sees what ---------------------------------------------------------------------------------


def test_visible_actions_per_role(qa_lead, owner, agency_manager, someone_else):
    own = raise_action(qa_lead, owner)
    other_agency = AgencyFactory()
    elsewhere = raise_action(qa_lead, UserFactory(roles=(Role.COORDINATOR,)), agency=other_agency)
    # An action of the manager's agency owned by someone outside it.
    outsider = raise_action(qa_lead, UserFactory(roles=(Role.AUDITOR,)), agency=owner.agency)
    viewer = UserFactory(roles=(Role.PARTNERSHIP_VIEWER,))

    assert set(actions.visible_actions(qa_lead)) == {own, elsewhere, outsider}
    assert set(actions.visible_actions(owner)) == {own}
    assert set(actions.visible_actions(agency_manager)) == {own, outsider}
    assert set(actions.visible_actions(viewer)) == set()
    assert set(actions.visible_actions(someone_else)) == set()
    assert actions.may_see(agency_manager, outsider)
    assert not actions.may_see(owner, outsider)
    assert not actions.may_see(viewer, own)


def test_an_inactive_person_sees_nothing(qa_lead, owner, action):
    owner.is_active = False
    owner.save()
    assert not actions.visible_actions(owner).exists()
    assert not actions.may_update(owner, action)


# Reminders -------------------------------------------------------------------------------------


def test_reminders_before_and_after_the_due_date_are_sent_once(qa_lead, owner):
    soon = raise_action(qa_lead, owner, due_date=TODAY + datetime.timedelta(days=7))
    later = raise_action(qa_lead, owner, due_date=TODAY + datetime.timedelta(days=8))
    late = raise_action(qa_lead, owner, due_date=TODAY - datetime.timedelta(days=1))
    finished = raise_action(qa_lead, owner, due_date=TODAY - datetime.timedelta(days=2))
    done(finished, owner)
    dropped = raise_action(qa_lead, owner, due_date=TODAY + datetime.timedelta(days=1))
    actions.cancel(dropped, "Not needed", qa_lead)
    Notification.objects.all().delete()

    assert actions.remind_owners(TODAY) == 2
    assert actions.remind_owners(TODAY) == 0
    assert run_daily_jobs(TODAY)["remind owners of actions"] == 0
    sent = Notification.objects.filter(recipient=owner)
    assert sorted(sent.values_list("kind", "url")) == [
        ("action_due_soon", reverse("actions:detail", args=[soon.pk])),
        ("action_overdue", reverse("actions:detail", args=[late.pk])),
    ]
    # The next day: the due-soon one is still due soon, and is not told again.
    assert actions.remind_owners(TODAY + datetime.timedelta(days=1)) == 1  # `later` now
    assert later.pk in [int(n.url.strip("/").split("/")[-1]) for n in sent.all()]


def test_a_new_due_date_brings_new_reminders(qa_lead, owner):
    action = raise_action(qa_lead, owner, due_date=TODAY - datetime.timedelta(days=1))
    assert actions.remind_owners(TODAY) == 1
    actions.change_due_date(action, TODAY - datetime.timedelta(days=2), qa_lead)
    assert actions.remind_owners(TODAY) == 1
    assert actions.remind_owners(TODAY) == 0


# The pages -------------------------------------------------------------------------------------


def test_the_list_shows_each_person_what_they_may_see(client, qa_lead, owner, agency_manager):
    mine = raise_action(qa_lead, owner, title="Mine to do")
    raise_action(
        qa_lead, UserFactory(roles=(Role.COORDINATOR,)), agency=AgencyFactory(), title="Not theirs"
    )
    client.force_login(owner)
    body = client.get(reverse("actions:list")).content.decode()
    assert "Mine to do" in body
    assert "Not theirs" not in body
    assert "Raise an action" not in body
    client.force_login(qa_lead)
    body = client.get(reverse("actions:list")).content.decode()
    assert "Mine to do" in body
    assert "Not theirs" in body
    client.force_login(agency_manager)
    assert "Mine to do" in client.get(reverse("actions:list")).content.decode()
    mine.refresh_from_db()


def test_the_list_has_an_empty_state(client_for):
    body = client_for(Role.COORDINATOR).get(reverse("actions:list")).content.decode()
    assert 'id="empty-state"' in body
    assert "There are no actions for you" in body


def test_the_list_filters(client, qa_lead, owner):
    raise_action(qa_lead, owner, title="Late one", due_date=timezone.localdate())
    Action.objects.filter(title="Late one").update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    raise_action(qa_lead, owner, title="Policy one", action_type=Action.Type.POLICY)
    client.force_login(qa_lead)
    url = reverse("actions:list")
    body = client.get(url, {"overdue": "on"}).content.decode()
    assert "Late one" in body
    assert "Policy one" not in body
    body = client.get(url, {"type": "policy"}).content.decode()
    assert "Policy one" in body
    assert "Late one" not in body
    body = client.get(url, {"status": "done"}).content.decode()
    assert "No actions match these filters" in body
    body = client.get(url, {"status": "nonsense"}).content.decode()
    assert "govuk-error-summary" in body


def _list_queries(client, count, make_action):
    Action.objects.all().delete()
    for number in range(count):
        make_action(number)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("actions:list"), {"status": "open"})
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="govuk-table__row">') == count + 1
    return len(queries)


def test_the_qa_lead_s_list_runs_the_same_number_of_queries_for_3_or_30_actions(client, qa_lead):
    def make_action(number):
        person = UserFactory(roles=(Role.COORDINATOR,))
        raise_action(qa_lead, person, title=f"Action {number}", agency=AgencyFactory())

    client.force_login(qa_lead)
    assert _list_queries(client, 3, make_action) == _list_queries(client, 30, make_action)


def test_an_agency_manager_s_list_runs_the_same_number_of_queries_for_3_or_30_actions(
    client, qa_lead, agency_manager
):
    def make_action(number):
        person = UserFactory(roles=(Role.COORDINATOR,), agency=agency_manager.agency)
        raise_action(qa_lead, person, title=f"Action {number}")

    client.force_login(agency_manager)
    assert _list_queries(client, 3, make_action) == _list_queries(client, 30, make_action)


def test_someone_who_may_not_see_an_action_is_told_it_does_not_exist(client, action):
    client.force_login(UserFactory(roles=(Role.COORDINATOR,)))
    assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 404
    response = client.post(reverse("actions:start", args=[action.pk]))
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_the_qa_lead_raises_an_action_from_an_audit_on_the_page(client, qa_lead):
    audit = AuditFactory(judged="Requires Improvement")
    manager = UserFactory(roles=(Role.LINE_MANAGER,))
    agency = AgencyFactory(manager=manager)
    audit.assessment.lead_agency = agency
    audit.assessment.save()
    client.force_login(qa_lead)
    url = reverse("actions:new") + f"?audit={audit.pk}"
    page = client.get(url).content.decode()
    assert "From the audit of" in page
    assert f'value="{manager.pk}" selected' in page  # the agency's manager is offered as owner
    due = timezone.localdate() + datetime.timedelta(days=40)
    response = client.post(
        url,
        {
            "title": "Chronology training",
            "action_type": "training",
            "standards": ["S1.1"],
            "owner": manager.pk,
            "agency": agency.pk,
            "due_date_0": due.day,
            "due_date_1": due.month,
            "due_date_2": due.year,
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert action.audit == audit
    assert action.agency == agency
    assert action.standard_refs == ["S1.1"]
    overview = client.get(reverse("audits:overview", args=[audit.pk])).content.decode()
    assert "Chronology training" in overview
    assert "Raise an action" in overview


def test_raising_an_action_shows_errors_in_the_summary(client, qa_lead):
    client.force_login(qa_lead)
    response = client.post(
        reverse("actions:new"), {"due_date_0": "1", "due_date_1": "1", "due_date_2": "2020"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter title" in body
    assert "Due date must be today or in the future" in body
    assert not Action.objects.exists()


def test_an_auditor_raises_only_from_their_submitted_audit(client):
    audit = AuditFactory(judged="Good")
    client.force_login(audit.auditor)
    assert client.get(reverse("actions:new")).status_code == 403
    assert client.get(reverse("actions:new") + f"?audit={audit.pk}").status_code == 200
    other = AuditFactory(judged="Good")
    assert client.get(reverse("actions:new") + f"?audit={other.pk}").status_code == 404


def test_the_steps_on_the_page(client, action, owner, qa_lead):
    detail = reverse("actions:detail", args=[action.pk])
    client.force_login(owner)
    page = client.get(detail).content.decode()
    assert "Record evidence and mark as done" in page
    assert "Sign off the action" not in page
    response = client.post(reverse("actions:evidence", args=[action.pk]), {"evidence": ""})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    client.post(reverse("actions:evidence", args=[action.pk]), {"evidence": "Done on Monday"})
    # The owner cannot sign off, even by posting: the page's access rule refuses them.
    assert client.post(reverse("actions:sign-off", args=[action.pk])).status_code == 403
    client.force_login(qa_lead)
    assert "Sign off the action" in client.get(detail).content.decode()
    response = client.post(reverse("actions:send-back", args=[action.pk]), {"back-reason": ""})
    assert "Enter why the evidence is not enough" in response.content.decode()
    assert response.status_code == 400
    client.post(reverse("actions:sign-off", args=[action.pk]))
    action.refresh_from_db()
    assert action.signed_off_by == qa_lead
    response = client.post(reverse("actions:sign-off", args=[action.pk]), follow=True)
    assert "already been signed off" in response.content.decode()


def test_an_action_raised_from_a_theme_keeps_it(client, qa_lead, owner):
    theme = LearningTheme.objects.create(name="Test theme for actions")
    client.force_login(qa_lead)
    url = reverse("actions:new") + f"?theme={theme.pk}"
    form = client.get(url).content.decode()
    assert f'value="{theme.pk}" selected' in form
    assert 'value="Learning theme: Test theme for actions"' in form
    due = timezone.localdate() + datetime.timedelta(days=10)
    client.post(
        url,
        {
            "title": "Practice guidance on the child's voice",
            "action_type": "policy",
            "theme": theme.pk,
            "owner": owner.pk,
            "due_date_0": due.day,
            "due_date_1": due.month,
            "due_date_2": due.year,
        },
    )
    action = Action.objects.get()
    assert action.theme == theme


def test_only_the_qa_lead_raises_from_a_theme(client, owner):
    theme = LearningTheme.objects.create(name="Test theme for actions")
    audit = AuditFactory(judged="Good")
    client.force_login(audit.auditor)
    url = reverse("actions:new") + f"?audit={audit.pk}&theme={theme.pk}"
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER])
def test_roles_without_actions_are_refused_the_pages(role, client_for, action):
    client = client_for(role)
    assert client.get(reverse("actions:list")).status_code == 403
    assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 403


def test_the_qa_lead_cancels_and_changes_the_due_date_on_the_page(client, action, qa_lead):
    client.force_login(qa_lead)
    new_date = action.due_date + datetime.timedelta(days=7)
    response = client.post(
        reverse("actions:due-date", args=[action.pk]),
        {"due-due_date_0": "31", "due-due_date_1": "2", "due-due_date_2": "2030"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Training on chronologies" in body
    assert "New due date must be a real date" in body
    client.post(
        reverse("actions:due-date", args=[action.pk]),
        {
            "due-due_date_0": new_date.day,
            "due-due_date_1": new_date.month,
            "due-due_date_2": new_date.year,
        },
    )
    response = client.post(reverse("actions:cancel", args=[action.pk]), {"cancel-reason": ""})
    assert "Enter why the action is cancelled" in response.content.decode()
    client.post(reverse("actions:cancel", args=[action.pk]), {"cancel-reason": "Not needed"})
    action.refresh_from_db()
    assert action.due_date == new_date
    assert action.status == Action.Status.CANCELLED
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Not needed" in page
    assert "What you can do" not in page


def test_an_auditor_who_raises_an_action_goes_back_to_the_audit(client, owner):
    audit = AuditFactory(judged="Requires Improvement")
    client.force_login(audit.auditor)
    due = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        reverse("actions:new") + f"?audit={audit.pk}",
        {
            "title": "Supervision on plans",
            "action_type": "supervision",
            "owner": owner.pk,
            "due_date_0": due.day,
            "due_date_1": due.month,
            "due_date_2": due.year,
        },
    )
    assert response["Location"] == reverse("audits:overview", args=[audit.pk])
    overview = client.get(reverse("audits:overview", args=[audit.pk])).content.decode()
    # Listed on the audit, but the auditor does not own it, so it is not a link for them.
    assert "Supervision on plans" in overview
    action = Action.objects.get()
    assert reverse("actions:detail", args=[action.pk]) not in overview
    assert action.created_by == audit.auditor


def test_the_owner_is_told_when_their_action_is_sent_back(db):
    lead = UserFactory(roles=[Role.QA_LEAD])
    owner = UserFactory(roles=[Role.COORDINATOR])
    made = actions.create_action(
        title="Genogram training",
        action_type=Action.Type.TRAINING,
        owner=owner,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        by=lead,
    )
    actions.record_evidence(made, "Attended the course.", owner)
    actions.send_back(made, "Add the attendance list", lead)
    assert Notification.objects.filter(recipient=owner, kind="action_sent_back").count() == 1


def test_a_standards_review_records_the_framework_version_it_produced(client, qa_lead, owner):
    from earlyhelp.standards.models import FrameworkVersion

    review = raise_action(qa_lead, owner, action_type=Action.Type.STANDARDS_REVIEW)
    version = FrameworkVersion.objects.first()
    client.force_login(qa_lead)
    page = client.get(f"/actions/{review.pk}/").content.decode()
    assert "Record the framework version" in page
    response = client.post(
        f"/actions/{review.pk}/framework-version/", {"version-framework_version": version.pk}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.framework_version == version
    assert review.events.last().what == f"Framework version it produced: {version}"


def test_only_a_standards_review_and_only_the_qa_lead_record_a_framework_version(
    qa_lead, owner, action
):
    from earlyhelp.standards.models import FrameworkVersion

    version = FrameworkVersion.objects.first()
    with pytest.raises(ActionRefused, match="Only a standards review"):
        actions.record_framework_version(action, version, qa_lead)
    review = raise_action(qa_lead, owner, action_type=Action.Type.STANDARDS_REVIEW)
    with pytest.raises(ActionRefused, match="Only the QA lead"):
        actions.record_framework_version(review, version, owner)
