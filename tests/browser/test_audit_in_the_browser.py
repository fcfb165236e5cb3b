"""An auditor audits an EHA in the browser: fills each section, leaves half-way and comes back
to every word, meets the error summary on submitting too soon, completes and submits. With and
without JavaScript, and axe on every page, errors included."""

import subprocess

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.standards.models import Standard

from ..audits.audit_helpers import new_audit

pytestmark = pytest.mark.django_db(transaction=True)

DASH = "\u2013"  # the framework's own en dash in its section titles


def go_to_task(page, title):
    page.get_by_role("link", name=title, exact=True).click()


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()


def audit_journey(page, live_server, audit, assert_accessible):
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Audit of {audit.assessment.reference}"
    )
    assert_accessible(page)

    go_to_task(page, "Compliance of the Child and Family file")
    page.get_by_label("Partly compliant").check()
    page.get_by_label("Notes on the file's compliance").fill("The chronology stops in March.")
    assert_accessible(page)
    save_and_continue(page)

    # Section One: every standard Met but one, which is Partly met with evidence.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Section One")
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("Met", exact=True).check()
    page.locator("fieldset").nth(2).get_by_label("Partly met").check()
    page.get_by_label("Evidence for S1.3").fill("History is listed but not dated.")
    assert_accessible(page)
    # Leave half-way.
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers have been saved")).to_be_visible()

    # Come back: every word is there.
    go_to_task(page, f"Section One {DASH} Early Help Assessment")
    expect(page.get_by_label("Evidence for S1.3")).to_have_value("History is listed but not dated.")
    expect(page.locator("fieldset").nth(2).get_by_label("Partly met")).to_be_checked()
    page.get_by_role("link", name="Back to the audit").click()

    # Submitting too soon lists what is missing, linked to each place.
    page.get_by_role("link", name="Check and submit").click()
    page.get_by_role("button", name="Submit the audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Rate standard S2.1")
    expect(summary).to_contain_text("Select the overall judgement")
    assert_accessible(page)

    for section in (
        f"Section Two {DASH} Early Help Assessment Plan",
        f"Section Three {DASH} Early Help Assessment Review Meeting",
    ):
        page.goto(f"{live_server.url}/audits/{audit.pk}/")
        go_to_task(page, section)
        # The section's page, loaded, before its questions are counted.
        expect(page.get_by_role("heading", level=1)).to_contain_text(section.split(DASH)[0])
        for fieldset in page.locator("fieldset").all():
            fieldset.get_by_label("Met", exact=True).check()
        save_and_continue(page)

    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    go_to_task(page, "Early Help Bottom Lines")
    page.get_by_label("There will be a Family Action Plan.").check()
    assert_accessible(page)
    save_and_continue(page)

    page.get_by_label("The child's journey and lived experience").fill("Ava is back at school.")
    page.get_by_label("What is working well?").fill("Regular TAF meetings.")
    page.get_by_label("What are we worried about?").fill("Housing.")
    save_and_continue(page)

    page.get_by_label("7", exact=True).check()
    page.get_by_label("Good", exact=True).check()
    assert_accessible(page)
    save_and_continue(page)

    page.get_by_label("No", exact=True).check()
    save_and_continue(page)
    page.get_by_label("Recommended actions for the practitioner").fill("Date the chronology.")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and submit the audit")
    assert_accessible(page)
    page.get_by_role("button", name="Submit the audit").click()
    expect(page.get_by_text("The audit has been submitted")).to_be_visible()
    assert_accessible(page)


def test_an_auditor_completes_an_audit_with_javascript(
    make_user, sign_in, live_server, assert_accessible, tmp_path
):
    auditor = make_user(Role.AUDITOR)
    audit = new_audit(auditor)
    page = sign_in(auditor)
    audit_journey(page, live_server, audit, assert_accessible)

    # The completed audit downloads as a PDF that holds the judgement and every standard.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this audit as a PDF").click()
    pdf = tmp_path / "audit.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # noqa: S603 - poppler's own tool on our own file
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.replace("-\n", "-").replace("/\n", "/").split())
    assert "Good" in flat
    for standard in Standard.objects.filter(section__version=audit.framework_version):
        assert " ".join(standard.text.split()) in flat, standard.ref_id
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert audit.ratings.get(standard__ref_id="S1.3").evidence == "History is listed but not dated."
    assert (audit.impact_score, audit.judgement.label) == (7, "Good")
    evidenced = audit.bottom_line_checks.filter(evidenced=True)
    assert [check.bottom_line.ref_id for check in evidenced] == ["BL2"]


def test_the_same_audit_journey_without_javascript(
    make_user, browser, live_server, assert_accessible
):
    auditor = make_user(Role.AUDITOR)
    audit = new_audit(auditor)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(auditor.email)
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Sign in").click()
    audit_journey(page, live_server, audit, lambda page: None)
    context.close()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED


def test_autosave_in_the_browser_keeps_typing_without_a_button(make_user, sign_in, live_server):
    auditor = make_user(Role.AUDITOR)
    audit = new_audit(auditor)
    page = sign_in(auditor)
    page.goto(f"{live_server.url}/audits/{audit.pk}/journey/")
    page.get_by_label("What is working well?").fill("Saved without pressing anything.")
    expect(page.get_by_text("Saved at")).to_be_visible(timeout=10_000)
    page.reload()
    expect(page.get_by_label("What is working well?")).to_have_value(
        "Saved without pressing anything."
    )


def test_the_audit_pages_error_states_are_accessible(
    make_user, sign_in, live_server, assert_accessible
):
    from earlyhelp.audits import sections, services

    auditor = make_user(Role.AUDITOR)
    audit = new_audit(auditor)
    page = sign_in(auditor)

    # Someone else saves while the page is open: the conflict is explained, nothing lost.
    page.goto(f"{live_server.url}/audits/{audit.pk}/journey/")
    services.save_page(
        audit=audit,
        section=sections.find_section(audit, "journey"),
        data={"childs_journey": "Saved elsewhere."},
        revision=audit.revision,
        user=auditor,
    )
    page.evaluate("document.querySelector('form[data-autosave]').removeAttribute('data-autosave')")
    page.get_by_label("What is working well?").fill("Typed here.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Someone else saved this audit")
    expect(page.get_by_label("What is working well?")).to_have_value("Typed here.")
    assert_accessible(page)

    # A score outside the impact scale is refused on the page.
    page.goto(f"{live_server.url}/audits/{audit.pk}/judgement/")
    page.evaluate("document.querySelector('input[name=impact_score]').value = '11'")
    page.locator("input[name=impact_score]").first.check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_qa_leads_pages_error_states_are_accessible(
    make_user, sign_in, live_server, assert_accessible
):
    qa_lead = make_user(Role.QA_LEAD)
    page = sign_in(qa_lead)
    page.goto(f"{live_server.url}/audits/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Assign the audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the EHA reference")
    assert_accessible(page)

    audit = new_audit()
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED)
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Reopen this audit for the auditor").click()
    page.get_by_role("button", name="Reopen the audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are reopening this audit"
    )
    assert_accessible(page)
