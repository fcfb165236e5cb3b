"""After the audit, in a real browser, with several people signed in at once.

Escalation: the auditor submits an audit judged Inadequate; the coordinator's line manager, in a
second browser, sees the unread notification in the header, follows it to the escalation,
acknowledges it, meets the error summary, records the response and marks it resolved; the QA lead
sees it resolved in the escalation register.

Feedback: the auditor shares the audit; the coordinator follows the notification, reads the audit,
meets the error summary, responds; the auditor follows the notification of the response and reads
it on the audit's page. axe on every page of both journeys, errors included."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits import services
from earlyhelp.audits.models import Audit, AuditShare, Escalation
from earlyhelp.audits.sections import sections_for
from earlyhelp.standards.defaults import load_default_library

from ..audits.audit_helpers import default_version
from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import TEST_PASSWORD, AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "EHA-ESC-1"
ESCALATION_RESPONSE = "I have discussed the case with Cora; the plan is being rewritten."
ACTION_TAKEN = "Case discussion held; a new TAF meeting is booked for next week."
REFLECTION = "The child's views were not recorded, though we did hear them at the visit."
WILL_DO = "Record the child's voice at every review and share the plan with school by Friday."


@pytest.fixture
def team(make_user):
    """The QA lead, the auditor, the coordinator and the coordinator's line manager, and an EHA
    led by the coordinator (its lead agency has no manager of its own)."""
    # The browser tests' database is flushed: the migrations' rows and framework are gone.
    load_default_library()
    carlisle = District.objects.get_or_create(name="Carlisle")[0]
    family_support = AgencyType.objects.get_or_create(name="Family Support")[0]
    line_manager = make_user(Role.LINE_MANAGER, full_name="Lena Linemanager")
    coordinator = make_user(
        Role.COORDINATOR, full_name="Cora Coordinator", line_manager=line_manager
    )
    eha = EarlyHelpAssessmentFactory(
        reference=REFERENCE,
        district=carlisle,
        agency_type=family_support,
        lead_agency=AgencyFactory(manager=None),
        coordinator=coordinator,
        coordinator_name=coordinator.full_name,
        coordinator_email=coordinator.email,
    )
    return {
        "qa_lead": make_user(Role.QA_LEAD, full_name="Quinn Lead"),
        "auditor": make_user(Role.AUDITOR, full_name="Audrey Auditor"),
        "coordinator": coordinator,
        "line_manager": line_manager,
        "eha": eha,
    }


def answered_inadequate_audit(team):
    """An audit of the EHA with every page answered through the audit service, as the pages
    save them: Section One's standards Not met, the rest Met, the judgement Inadequate with its
    reasons and no safeguarding issues. Only the submission is left, for the browser."""
    audit = services.create_audit(
        assessment=team["eha"],
        auditor=team["auditor"],
        due_date=timezone.localdate() + datetime.timedelta(days=20),
        audit_type="dip_sample",
        created_by=team["qa_lead"],
        framework_version=default_version(),
    )
    version = audit.framework_version
    met = version.rating_options.get(label="Met")
    not_met = version.rating_options.get(label="Not met")
    inadequate = version.judgement_grades.get(label="Inadequate")
    first_line = audit.bottom_line_checks.order_by("bottom_line__order").first()
    fixed = {
        "file": {"file_compliance": "partly", "file_compliance_note": "No chronology."},
        "bottom-lines": {"evidenced": [str(first_line.pk)]},
        "journey": {
            "childs_journey": "Little has changed for the child since the plan began.",
            "working_well": "School attendance.",
            "worried_about": "The child's voice is missing from the plan.",
            "needs_to_happen": "A review with the child's views recorded.",
        },
        "judgement": {
            "impact_score": 2,
            "judgement": str(inadequate.pk),
            "judgement_reason": "The assessment does not record the child's views.",
        },
        "safeguarding": {"unresolved_safeguarding": False, "safeguarding_details": ""},
        "actions": {"recommended_actions": "Hold a review meeting within two weeks."},
    }
    for number, section in enumerate(sections_for(audit)):
        if section.framework_section is None:
            data = fixed[section.slug]
        else:
            data = {}
            for rating in audit.ratings.filter(standard__section=section.framework_section):
                failed = number == 1  # Section One: the first standards page
                data[f"rating_{rating.pk}"] = str((not_met if failed else met).pk)
                data[f"evidence_{rating.pk}"] = "Not evidenced on the file." if failed else ""
        audit = services.save_page(
            audit=audit, section=section, data=data, revision=audit.revision, user=team["auditor"]
        )
    assert audit.status == Audit.Status.IN_PROGRESS
    return audit


@pytest.fixture
def open_browser(browser, live_server, assert_accessible):
    """Signs a person in on a browser context of their own, so that several people are signed
    in at once (axe on the sign-in page and the page it leads to); every context is closed at
    the end."""
    contexts = []

    def sign_in_as(user):
        context = browser.new_context()
        contexts.append(context)
        other = context.new_page()
        other.goto(f"{live_server.url}/sign-in/")
        assert_accessible(other)
        other.get_by_label("E-mail address").fill(user.email)
        other.get_by_label("Password").fill(TEST_PASSWORD)
        other.get_by_role("button", name="Sign in").click()
        other.wait_for_load_state()
        expect(other.get_by_role("button", name="Sign out")).to_be_visible()
        assert_accessible(other)
        return other

    yield sign_in_as
    for context in contexts:
        context.close()


def heading(tab):
    return tab.get_by_role("heading", level=1)


def banner(tab):
    return tab.locator(".govuk-notification-banner")


def notifications_link(tab, unread=None):
    """The header's link to the notifications, named with the unread count when there is one."""
    name = f"Notifications {unread} unread" if unread else "Notifications"
    return tab.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


def test_an_inadequate_audit_is_escalated_answered_and_resolved_then_feedback_is_given(
    team, sign_in, open_browser, live_server, assert_accessible
):
    audit = answered_inadequate_audit(team)
    overview_url = f"{live_server.url}/audits/{audit.pk}/"

    # The auditor checks and submits the audit. ----------------------------------------------
    auditor = sign_in(team["auditor"])
    expect(auditor.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(auditor)
    auditor.goto(overview_url)
    expect(heading(auditor)).to_have_text(f"Audit of {REFERENCE}")
    expect(auditor.locator(".govuk-task-list__status").filter(has_text="Completed")).to_have_count(
        len(sections_for(audit))
    )
    assert_accessible(auditor)
    auditor.get_by_role("link", name="Check and submit").click()
    expect(heading(auditor)).to_have_text("Check and submit the audit")
    expect(auditor.get_by_text("The assessment does not record the child's views.")).to_be_visible()
    assert_accessible(auditor)
    auditor.get_by_role("button", name="Submit the audit").click()
    expect(banner(auditor)).to_contain_text("The audit has been submitted")
    panel = auditor.locator("#escalation-panel")
    expect(panel.get_by_role("heading", name="Escalated to the line manager")).to_be_visible()
    expect(panel).to_contain_text("The judgement is Inadequate")
    expect(panel).to_contain_text("Lena Linemanager")
    expect(panel.locator(".govuk-tag")).to_have_text("Not yet acknowledged")
    assert_accessible(auditor)
    escalation = Escalation.objects.get(audit=audit)
    assert escalation.line_manager == team["line_manager"]

    # The line manager, signed in at the same time, is told. ---------------------------------
    manager = open_browser(team["line_manager"])
    expect(notifications_link(manager, unread=1)).to_be_visible()
    notifications_link(manager, unread=1).click()
    expect(heading(manager)).to_have_text("Notifications")
    expect(manager.get_by_text("You have 1 unread notification.")).to_be_visible()
    expect(manager.locator("#notification-table").get_by_text("Unread")).to_be_visible()
    assert_accessible(manager)
    manager.get_by_role(
        "link", name=f"The audit of {REFERENCE} is escalated to you: the judgement is Inadequate."
    ).click()

    expect(heading(manager)).to_have_text(f"Escalation of the audit of {REFERENCE}")
    status = manager.locator("main .govuk-tag").first
    expect(status).to_have_text("Not yet acknowledged")
    expect(notifications_link(manager)).to_be_visible()  # read now: no count in the header
    assert_accessible(manager)
    manager.get_by_role("button", name="Acknowledge").click()
    expect(banner(manager)).to_contain_text("You have acknowledged the escalation")
    expect(status).to_have_text("Acknowledged")
    summary = manager.locator("#response-summary")
    expect(summary).to_contain_text("by Lena Linemanager")
    expect(manager.get_by_role("button", name="Acknowledge")).to_have_count(0)
    assert_accessible(manager)

    # Saving the response with nothing in it: the GOV.UK error summary, linked to the field.
    manager.get_by_role("button", name="Save the response").click()
    errors = manager.locator(".govuk-error-summary")
    expect(errors).to_contain_text("There is a problem")
    expect(errors).to_contain_text("Enter your response, or what has been done")
    expect(manager).to_have_title(re.compile(rf"^Error: Escalation of the audit of {REFERENCE}"))
    assert_accessible(manager)
    errors.get_by_role("link", name="Enter your response, or what has been done").click()
    expect(manager.get_by_label("Your response")).to_be_focused()

    manager.get_by_label("Your response").fill(ESCALATION_RESPONSE)
    manager.get_by_label("What has been done").fill(ACTION_TAKEN)
    manager.get_by_label("Mark as resolved").check()
    manager.get_by_role("button", name="Save the response").click()
    expect(banner(manager)).to_contain_text("The escalation has been resolved")
    expect(status).to_have_text("Resolved")
    expect(summary).to_contain_text(ESCALATION_RESPONSE)
    expect(summary).to_contain_text(ACTION_TAKEN)
    expect(manager.get_by_role("button", name="Save the response")).to_have_count(0)
    assert_accessible(manager)
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED
    assert escalation.resolved_by == team["line_manager"]

    # The QA lead sees it resolved in the register. ----------------------------------------------
    lead = open_browser(team["qa_lead"])
    lead.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Escalations", exact=True
    ).click()
    expect(heading(lead)).to_have_text("Escalation register")
    resolved_row = lead.locator("#escalation-summary .govuk-summary-list__row").filter(
        has=lead.get_by_role("term").filter(has_text="Resolved")
    )
    expect(resolved_row.locator(".govuk-summary-list__value")).to_have_text("1")
    rows = lead.locator("#escalation-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(REFERENCE)
    expect(rows.first).to_contain_text("The judgement is Inadequate")
    expect(rows.first.get_by_text("Resolved", exact=True)).to_be_visible()
    assert_accessible(lead)
    rows.first.get_by_role("link", name=f"Escalation of {REFERENCE}").click()
    expect(heading(lead)).to_have_text(f"Escalation of the audit of {REFERENCE}")
    expect(lead.locator("#response-summary")).to_contain_text(ESCALATION_RESPONSE)
    expect(lead.get_by_role("button", name="Save the response")).to_have_count(0)
    assert_accessible(lead)

    # Feedback: the auditor shares the audit. --------------------------------------------------
    auditor.goto(overview_url)
    expect(auditor.locator("#escalation-panel").get_by_text("Resolved", exact=True)).to_be_visible()
    expect(auditor.locator("#escalation-panel")).to_contain_text(ESCALATION_RESPONSE)
    assert_accessible(auditor)
    auditor.get_by_role("link", name="Share with the practitioner").click()
    expect(heading(auditor)).to_have_text("Share with the practitioner")
    recipients = auditor.locator("#recipients")
    expect(recipients.get_by_role("row", name="Cora Coordinator")).to_contain_text("Coordinator")
    expect(recipients.get_by_role("row", name="Lena Linemanager")).to_contain_text(
        "Coordinator's line manager"
    )
    assert_accessible(auditor)
    auditor.get_by_role("button", name="Share the audit").click()
    expect(banner(auditor)).to_contain_text(
        "The audit has been shared with 2 people, who have been told by e-mail"
    )
    feedback = auditor.locator("#feedback-panel")
    expect(feedback.get_by_text("No response yet")).to_have_count(2)
    assert_accessible(auditor)

    # The coordinator is told, reads the audit and responds. -----------------------------------
    coordinator = open_browser(team["coordinator"])
    notifications_link(coordinator, unread=1).click()
    expect(heading(coordinator)).to_have_text("Notifications")
    assert_accessible(coordinator)
    coordinator.get_by_role(
        "link", name=f"The audit of {REFERENCE} has been shared with you: read it and respond."
    ).click()
    expect(heading(coordinator)).to_have_text(f"Audit of {REFERENCE}")
    expect(
        coordinator.get_by_text("The assessment does not record the child's views.")
    ).to_be_visible()
    expect(
        coordinator.get_by_role("heading", name="Your response to this feedback")
    ).to_be_visible()
    # The coordinator reads the audit, not the escalation made to their manager.
    expect(coordinator.locator("#escalation-panel")).to_have_count(0)
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="Respond to the feedback").click()
    expect(heading(coordinator)).to_have_text("Respond to the feedback")
    expect(coordinator.get_by_text("The audit's overall judgement is Inadequate")).to_be_visible()
    assert_accessible(coordinator)

    coordinator.get_by_role("button", name="Send your response").click()
    errors = coordinator.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Select whether you agree with the judgement")
    expect(errors).to_contain_text("Enter your reflection on the audit")
    expect(errors).to_contain_text("Enter what you will do")
    assert_accessible(coordinator)

    coordinator.get_by_role("group", name="Do you agree with the judgement?").get_by_label(
        "Partly"
    ).check()
    coordinator.get_by_label("Your reflection").fill(REFLECTION)
    coordinator.get_by_label("What you will do").fill(WILL_DO)
    coordinator.get_by_role("button", name="Send your response").click()
    expect(banner(coordinator)).to_contain_text(
        "Your response has been recorded and the auditor told"
    )
    mine = coordinator.locator("#my-response")
    expect(mine).to_contain_text("Partly")
    expect(mine).to_contain_text(REFLECTION)
    expect(mine).to_contain_text(WILL_DO)
    expect(coordinator.get_by_role("link", name="Respond to the feedback")).to_have_count(0)
    assert_accessible(coordinator)
    share = AuditShare.objects.get(audit=audit, person=team["coordinator"])
    assert (share.agrees_with_judgement, share.will_do) == ("partly", WILL_DO)
    assert share.first_read_at is not None

    # The auditor is told of the response and reads it on the audit's page. ------------------
    # The header counts what is unread: the escalation's progress and the response.
    auditor.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=re.compile(r"^Notifications \d+ unread$")
    ).click()
    expect(heading(auditor)).to_have_text("Notifications")
    assert_accessible(auditor)
    auditor.get_by_role(
        "link",
        name=f"Cora Coordinator has responded to your feedback on the audit of {REFERENCE}.",
    ).click()
    expect(heading(auditor)).to_have_text(f"Audit of {REFERENCE}")
    card = auditor.locator(".govuk-summary-card").filter(
        has=auditor.get_by_role("heading", name="Cora Coordinator, coordinator")
    )
    expect(card).to_contain_text("First read")
    expect(card.get_by_role("definition").filter(has_text="Partly")).to_be_visible()
    expect(card).to_contain_text(REFLECTION)
    expect(card).to_contain_text(WILL_DO)
    # The line manager has not responded yet, so the feedback stays open.
    line_manager_card = auditor.locator(".govuk-summary-card").filter(
        has=auditor.get_by_role("heading", name="Lena Linemanager, coordinator's line manager")
    )
    expect(line_manager_card).to_contain_text("No response yet")
    assert_accessible(auditor)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SHARED
