"""The audit: its pages, saving and coming back, the optimistic lock, submission checks, the
lifecycle, who may do what, and that it runs on any framework version it was started with."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit, AuditEvent
from earlyhelp.audits.services import create_audit
from earlyhelp.standards.defaults import DEFAULT_LIBRARY
from earlyhelp.standards.library import load_library

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory
from .audit_helpers import default_version, new_audit

pytestmark = pytest.mark.django_db

OTHER = Path(__file__).resolve().parents[1] / "standards" / "anytown-family-help-framework.yaml"


@pytest.fixture
def auditor():
    return UserFactory(roles=[Role.AUDITOR])


@pytest.fixture
def audit(auditor):
    return new_audit(auditor)


@pytest.fixture
def as_auditor(client, auditor):
    client.force_login(auditor)
    return client


def url(audit, page=""):
    return f"/audits/{audit.pk}/{page + '/' if page else ''}"


def option(audit, label):
    return str(audit.framework_version.rating_options.get(label=label).pk)


def grade(audit, label):
    return str(audit.framework_version.judgement_grades.get(label=label).pk)


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def rate_all(client, audit, label="Met", evidence=""):
    for section in audit.framework_version.sections.all():
        data = {"revision": Audit.objects.get(pk=audit.pk).revision}
        for rating in audit.ratings.filter(standard__section=section):
            data[f"rating_{rating.pk}"] = option(audit, label)
            data[f"evidence_{rating.pk}"] = evidence
        client.post(url(audit, f"standards-{section.ref_id}"), data)


def rate_page(client, audit, section_ref, **changes):
    """Posts a whole standards page: every standard Met except those changed, by ref_id, to a
    (rating label, evidence) pair. A page post sets every answer on the page."""
    data = {"revision": Audit.objects.get(pk=audit.pk).revision}
    for rating in audit.ratings.filter(standard__section__ref_id=section_ref):
        label, evidence = changes.get(rating.standard.ref_id.replace(".", "_"), ("Met", ""))
        data[f"rating_{rating.pk}"] = option(audit, label)
        data[f"evidence_{rating.pk}"] = evidence
    return client.post(url(audit, f"standards-{section_ref}"), data)


def answer(client, audit, page, **data):
    data["revision"] = Audit.objects.get(pk=audit.pk).revision
    return client.post(url(audit, page), data)


def complete(client, audit, judgement="Good"):
    answer(client, audit, "file", file_compliance="compliant")
    rate_all(client, audit)
    answer(client, audit, "journey", childs_journey="Lived experience improved.")
    answer(client, audit, "judgement", impact_score=7, judgement=grade(audit, judgement))
    answer(client, audit, "safeguarding", unresolved_safeguarding="no")


def submit(client, audit, **extra):
    data = {"revision": Audit.objects.get(pk=audit.pk).revision, **extra}
    return client.post(url(audit, "submit"), data)


def test_a_new_audit_has_a_rating_for_every_standard_and_a_check_for_every_bottom_line(audit):
    assert audit.status == Audit.Status.PLANNED
    assert audit.ratings.count() == 23
    assert audit.bottom_line_checks.count() == 7
    assert audit.events.get().kind == AuditEvent.Kind.CREATED


def test_the_qa_lead_starts_an_audit_for_an_eha_and_assigns_it(client_for, auditor):
    eha = EarlyHelpAssessmentFactory(reference="EHA-77")
    client = client_for(Role.QA_LEAD)
    response = client.post(
        "/audits/new/",
        {
            "assessment_reference": "eha-77",
            "auditor": auditor.pk,
            "due_date_0": "15",
            "due_date_1": "1",
            "due_date_2": "2027",
            "audit_type": "requested",
        },
    )
    audit = Audit.objects.get()
    assert response["Location"] == url(audit)
    assert (audit.assessment, audit.auditor, audit.audit_type) == (eha, auditor, "requested")
    assert audit.framework_version == default_version()


def test_starting_an_audit_for_an_unknown_eha_says_so(client_for, auditor):
    response = client_for(Role.QA_LEAD).post(
        "/audits/new/",
        {
            "assessment_reference": "NOPE",
            "auditor": auditor.pk,
            "due_date_0": "15",
            "due_date_1": "1",
            "due_date_2": "2027",
            "audit_type": "requested",
        },
    )
    assert "There is no EHA with the reference NOPE" in page_text(response)
    assert Audit.objects.count() == 0


def test_the_overview_lists_every_page_as_a_task_with_the_ehas_facts(as_auditor, audit):
    text = page_text(as_auditor.get(url(audit)))
    for title in (
        "Compliance of the Child and Family file",
        "Section One – Early Help Assessment",  # noqa: RUF001 - the framework's own dash
        "Section Three – Early Help Assessment Review Meeting",  # noqa: RUF001
        "Early Help Bottom Lines",
        "Impact and overall judgement",
        "Safeguarding",
        "Recommended actions",
    ):
        assert title in text
    assert audit.assessment.reference in text
    assert "Not yet started" in text


def test_save_and_come_back_later_keeps_every_word(as_auditor, audit):
    response = answer(
        as_auditor, audit, "journey", childs_journey="Ava now goes to school.", later="1"
    )
    assert response["Location"] == url(audit)
    audit.refresh_from_db()
    assert audit.childs_journey == "Ava now goes to school."
    assert audit.status == Audit.Status.IN_PROGRESS
    assert "Ava now goes to school." in page_text(as_auditor.get(url(audit, "journey")))
    assert audit.events.filter(kind=AuditEvent.Kind.STARTED).count() == 1


def test_save_and_continue_goes_to_the_next_page_and_the_last_to_submission(as_auditor, audit):
    assert answer(as_auditor, audit, "file", file_compliance="partly")["Location"] == url(
        audit, "standards-S1"
    )
    assert answer(as_auditor, audit, "actions")["Location"] == url(audit, "submit")


def test_ratings_and_evidence_are_saved_per_standard(as_auditor, audit):
    rate_page(as_auditor, audit, "S2", S2_1=("Not met", "No plan."))
    first = audit.ratings.get(standard__ref_id="S2.1")
    assert (first.rating.label, first.evidence) == ("Not met", "No plan.")
    assert audit.ratings.get(standard__ref_id="S2.2").rating.label == "Met"


def test_bottom_lines_evidenced_are_saved_and_unticked_ones_cleared(as_auditor, audit):
    checks = list(audit.bottom_line_checks.order_by("bottom_line__order"))
    answer(as_auditor, audit, "bottom-lines", evidenced=[str(checks[1].pk), str(checks[4].pk)])
    evidenced = [c.bottom_line.ref_id for c in audit.bottom_line_checks.filter(evidenced=True)]
    assert sorted(evidenced) == ["BL2", "BL5"]
    answer(as_auditor, audit, "bottom-lines", evidenced=[str(checks[4].pk)])
    evidenced = [c.bottom_line.ref_id for c in audit.bottom_line_checks.filter(evidenced=True)]
    assert evidenced == ["BL5"]


def test_two_people_saving_the_same_page_cannot_overwrite_each_other(as_auditor, audit):
    opened_at = audit.revision
    as_auditor.post(url(audit, "journey"), {"revision": opened_at, "childs_journey": "First."})
    response = as_auditor.post(
        url(audit, "journey"), {"revision": opened_at, "childs_journey": "Second."}
    )
    assert response.status_code == 200
    assert "Someone else saved this audit after you opened this page" in page_text(response)
    assert "Second." in response.content.decode()  # what they typed is still on the page
    audit.refresh_from_db()
    assert audit.childs_journey == "First."
    # Saving again, knowingly, keeps the second version.
    form = response.context["form"]
    as_auditor.post(url(audit, "journey"), {**form.data.dict(), "childs_journey": "Second."})
    audit.refresh_from_db()
    assert audit.childs_journey == "Second."


def test_submitting_with_missing_answers_lists_each_with_a_link_to_fix_it(as_auditor, audit):
    answer(as_auditor, audit, "file", file_compliance="compliant")
    response = submit(as_auditor, audit)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".govuk-error-summary a")}
    rating = audit.ratings.get(standard__ref_id="S1.1")
    # Radios: the link goes to the first option, which is where the focus can land.
    assert links["Rate standard S1.1"] == f"{url(audit, 'standards-S1')}#id_rating_{rating.pk}_0"
    assert links["Select the overall judgement"] == f"{url(audit, 'judgement')}#id_judgement_0"
    assert "Describe the child's journey" in links
    assert "Select the overall judgement" in links
    assert "Say whether there are unresolved safeguarding issues" in links
    assert "Say whether the file is compliant" not in links
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.IN_PROGRESS


def test_partly_met_and_not_met_need_evidence(as_auditor, audit):
    complete(as_auditor, audit)
    rating = audit.ratings.get(standard__ref_id="S3.2")
    answer(
        as_auditor, audit, "standards-S3", **{f"rating_{rating.pk}": option(audit, "Partly met")}
    )
    assert "Give the evidence for standard S3.2, rated Partly met" in page_text(
        submit(as_auditor, audit)
    )


def test_an_inadequate_judgement_needs_its_reasons(as_auditor, audit):
    complete(as_auditor, audit, judgement="Inadequate")
    rate_all(as_auditor, audit, "Not met", evidence="Missing.")
    response = submit(as_auditor, audit)
    assert "Give the reasons for the judgement of Inadequate" in page_text(response)


def test_unresolved_safeguarding_needs_details(as_auditor, audit):
    complete(as_auditor, audit)
    answer(as_auditor, audit, "safeguarding", unresolved_safeguarding="yes")
    assert "Give the details of the unresolved safeguarding issues" in page_text(
        submit(as_auditor, audit)
    )


def test_a_complete_audit_is_submitted_and_then_read_only(as_auditor, audit):
    complete(as_auditor, audit)
    response = submit(as_auditor, audit)
    assert response["Location"] == url(audit)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert audit.submitted_at is not None
    assert as_auditor.get(url(audit, "journey"))["Location"] == url(audit)
    answer(as_auditor, audit, "journey", childs_journey="Changed afterwards")
    assert Audit.objects.get(pk=audit.pk).childs_journey == "Lived experience improved."


def test_a_judgement_at_odds_with_the_ratings_is_a_warning_to_confirm(as_auditor, audit):
    complete(as_auditor, audit, judgement="Outstanding")
    rate_page(as_auditor, audit, "S1", S1_3=("Not met", "None."))
    response = submit(as_auditor, audit)
    assert "The judgement is Outstanding, but 1 standard is rated Not met." in page_text(response)
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.IN_PROGRESS
    submit(as_auditor, audit, confirm_judgement="on")
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert audit.judgement_inconsistency_confirmed


def test_the_qa_lead_reopens_a_submitted_audit_with_a_reason(as_auditor, audit):
    complete(as_auditor, audit)
    submit(as_auditor, audit)
    qa_lead = Client()
    qa_lead.force_login(UserFactory(roles=[Role.QA_LEAD]))
    assert qa_lead.post(url(audit, "reopen"), {"reason": ""}).status_code == 200
    qa_lead.post(url(audit, "reopen"), {"reason": "Evidence for S1.4 is thin"})
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS
    assert audit.events.get(kind=AuditEvent.Kind.REOPENED).note == "Evidence for S1.4 is thin"
    assert as_auditor.get(url(audit, "journey")).status_code == 200


def test_another_auditor_is_told_the_audit_does_not_exist(client, audit):
    client.force_login(UserFactory(roles=[Role.AUDITOR]))
    assert client.get(url(audit)).status_code == 404
    assert client.get(url(audit, "journey")).status_code == 404


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER, Role.ADMINISTRATOR])
def test_roles_without_audit_work_are_refused(client_for, audit, role):
    client = client_for(role)
    assert client.get(url(audit)).status_code == 403
    assert client.get(url(audit, "journey")).status_code == 403
    assert client.get("/audits/new/").status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LINE_MANAGER])
def test_practitioners_are_told_an_audit_not_shared_with_them_does_not_exist(
    client_for, audit, role
):
    # They may read audits shared with them (tests/audits/test_feedback.py), so the overview
    # lets their role in; an audit not shared with them is answered as if it did not exist.
    client = client_for(role)
    assert client.get(url(audit)).status_code == 404
    assert client.get(url(audit, "journey")).status_code == 403
    assert client.get("/audits/new/").status_code == 403


def test_the_qa_lead_sees_an_audit_but_only_its_auditor_edits_it(client_for, audit):
    qa_lead = client_for(Role.QA_LEAD)
    assert qa_lead.get(url(audit)).status_code == 200
    assert qa_lead.get(url(audit, "journey")).status_code == 403  # section pages: auditors only


def test_an_audit_keeps_the_version_it_started_with(as_auditor, audit):
    revised = (
        DEFAULT_LIBRARY.read_text(encoding="utf-8")
        .replace('version: "1.0"', 'version: "2.0"')
        .replace("effective_date: 2025-04-01", "effective_date: 2025-06-01")
        .replace("The assessment is logical, concise and jargon free", "The assessment is clear")
    )
    load_library(revised)
    text = page_text(as_auditor.get(url(audit, "standards-S1")))
    assert "The assessment is logical, concise and jargon free" in text
    assert "The assessment is clear" not in text
    # An audit started now gets the version in force now.
    later = create_audit(
        assessment=EarlyHelpAssessmentFactory(),
        auditor=audit.auditor,
        due_date=audit.due_date,
        audit_type="themed",
        created_by=UserFactory(roles=[Role.QA_LEAD]),
    )
    assert later.framework_version.version == "2.0"
    assert audit.framework_version.version == "1.0"


def test_another_partnerships_framework_runs_an_audit_end_to_end(as_auditor, auditor):
    version = load_library(OTHER.read_text(encoding="utf-8")).version
    audit = new_audit(auditor, version=version)
    assert audit.ratings.count() == 3
    assert audit.bottom_line_checks.count() == 0
    text = page_text(as_auditor.get(url(audit)))
    assert "Listening to the family" in text
    assert "Early Help Bottom Lines" not in text
    answer(as_auditor, audit, "file", file_compliance="compliant")
    rate_all(as_auditor, audit, "Strong")
    answer(as_auditor, audit, "journey", childs_journey="Better.")
    answer(as_auditor, audit, "judgement", impact_score=4, judgement=grade(audit, "Effective"))
    answer(as_auditor, audit, "safeguarding", unresolved_safeguarding="no")
    submit(as_auditor, audit)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert (audit.impact_score, audit.judgement.label) == (4, "Effective")


def test_the_impact_scale_rejects_a_score_outside_it(as_auditor, audit):
    response = answer(as_auditor, audit, "judgement", impact_score=11)
    assert response.status_code == 200
    assert Audit.objects.get(pk=audit.pk).impact_score is None


# Not "page": that is Playwright's fixture, and would make this a browser test.
@pytest.mark.parametrize("audit_page", ["", "standards-A", "submit"])
def test_the_audit_pages_run_the_same_queries_however_many_standards(
    as_auditor, auditor, audit_page
):
    small = new_audit(auditor, version=load_library(OTHER.read_text(encoding="utf-8")).version)
    large = new_audit(auditor)
    large_page = audit_page.replace("standards-A", "standards-S1")
    as_auditor.get(url(small))  # the session's own first queries
    with CaptureQueriesContext(connection) as for_small:
        as_auditor.get(url(small, audit_page))
    with CaptureQueriesContext(connection) as for_large:
        as_auditor.get(url(large, large_page))
    assert len(for_small) == len(for_large)
    assert len(for_small) <= 25


def new_audit_form(client, reference, auditor, day="15", month="1", year="2027"):
    return client.post(
        "/audits/new/",
        {
            "assessment_reference": reference,
            "auditor": auditor.pk,
            "due_date_0": day,
            "due_date_1": month,
            "due_date_2": year,
            "audit_type": "requested",
        },
    )


def test_an_eha_with_an_audit_in_progress_is_not_given_another(client_for, audit, auditor):
    response = new_audit_form(client_for(Role.QA_LEAD), audit.assessment.reference, auditor)
    assert "already has an audit in progress, due 31 December 2026" in page_text(response)
    assert Audit.objects.count() == 1


def test_a_due_date_in_the_past_is_refused(client_for, auditor):
    EarlyHelpAssessmentFactory(reference="EHA-88")
    response = new_audit_form(client_for(Role.QA_LEAD), "EHA-88", auditor, "1", "1", "2020")
    assert "Due date must be today or in the future" in page_text(response)
    assert Audit.objects.count() == 0


def test_the_case_page_offers_the_qa_lead_a_way_to_start_an_audit(client_for):
    eha = EarlyHelpAssessmentFactory(reference="EHA-99")
    page = client_for(Role.QA_LEAD).get(f"/cases/{eha.pk}/").content.decode()
    assert 'href="/audits/new/?eha=EHA-99"' in page


def test_the_case_page_offers_auditors_no_way_to_start_one(client_for):
    eha = EarlyHelpAssessmentFactory(reference="EHA-98")
    page = client_for(Role.AUDITOR).get(f"/cases/{eha.pk}/").content.decode()
    assert "/audits/new/" not in page
