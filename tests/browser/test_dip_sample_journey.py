"""The monthly dip sample in a real browser: the QA lead draws a themed sample, replaces one EHA
with a reason, assigns auditors and confirms; then an auditor finds the new audits in "My
audits". With JavaScript (axe on every page of the journey, errors included) and without."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.months import add_months, first_of_month, last_of_month
from earlyhelp.sampling.models import DipSample, SampleItem
from earlyhelp.standards.defaults import load_default_library

from ..cases.factories import EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

THEME = "Health visiting over 2 years"


def district(name):
    # The browser tests' database is flushed, so the migrations' districts may be gone.
    return District.objects.get_or_create(name=name)[0]


def agency_type(name):
    return AgencyType.objects.get_or_create(name=name)[0]


@pytest.fixture
def county(make_user):
    """Nine long-open health visiting EHAs across three districts, and some that do not match
    the theme; the framework (flushed with the database) loaded again; two auditors."""
    load_default_library()
    health, family = agency_type("Health Visiting"), agency_type("Family Support")
    long_ago = add_months(timezone.localdate(), -30)
    for name, count in (("Carlisle", 4), ("Eden", 3), ("Copeland", 2)):
        for n in range(count):
            EarlyHelpAssessmentFactory(
                reference=f"HV-{name[:3].upper()}-{n}",
                district=district(name),
                agency_type=health,
                start_date=long_ago,
            )
    for n in range(3):
        EarlyHelpAssessmentFactory(
            reference=f"FS-{n}", district=district("Eden"), agency_type=family, start_date=long_ago
        )
    EarlyHelpAssessmentFactory(reference="HV-NEW", district=district("Eden"), agency_type=health)
    return {
        "lead": make_user(Role.QA_LEAD, full_name="Quinn Lead"),
        "sam": make_user(Role.AUDITOR, full_name="Sam Patel"),
        "robin": make_user(Role.AUDITOR, full_name="Robin Shaw"),
    }


def sample_journey(page, live_server, check):
    """The QA lead's journey from the list to a confirmed sample; `check(page)` runs on every
    page along the way."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Dip samples").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dip samples")
    expect(page.locator("#empty-state")).to_have_text("There are no dip samples yet")
    check(page)

    page.get_by_role("link", name="Draw a sample").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draw a dip sample")
    check(page)

    # A mistake first: the error summary links to the field.
    page.get_by_label("How many EHAs to draw").fill("0")
    page.get_by_label("Open for longer than this many months (optional)").fill("24")
    page.get_by_role("button", name="Draw the sample").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("How many EHAs to draw must be 1 or more")
    expect(page).to_have_title(re.compile(r"^Error: Draw a dip sample"))
    check(page)
    summary.get_by_role("link", name="How many EHAs to draw must be 1 or more").click()
    expect(page.get_by_label("How many EHAs to draw")).to_be_focused()

    page.get_by_label("How many EHAs to draw").fill("4")
    page.get_by_label("Theme name (optional)").fill(THEME)
    expect(page.get_by_label("Open for longer than this many months (optional)")).to_have_value(
        "24"
    )
    page.get_by_role("group", name="Type of agency delivering the EHA").get_by_label(
        "Health Visiting", exact=True
    ).check()
    page.get_by_role("button", name="Draw the sample").click()

    # The draft, explained.
    sample = DipSample.objects.get()
    # (Without JavaScript the error summary's link leaves its #fragment on the address.)
    expect(page).to_have_url(re.compile(rf"/samples/{sample.pk}/(#id_size)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(THEME)
    expect(page.locator("#explanation")).to_contain_text(
        "4 of 9 open EHAs, open longer than 24 months, delivered by Health Visiting"
    )
    expect(page.locator("#items-table tbody tr")).to_have_count(4)
    check(page)

    # Replace the first drawn EHA, giving the reason (after forgetting it once).
    first = sample.items.select_related("assessment", "district").order_by("order").first()
    reference = first.assessment.reference
    page.get_by_role("link", name=f"Replace {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Why are you replacing {reference}?")
    check(page)
    page.get_by_role("button", name=f"Replace {reference}").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are replacing this EHA"
    )
    check(page)
    page.get_by_label(f"Why are you replacing {reference}?").fill("The family has moved away")
    page.get_by_role("button", name=f"Replace {reference}").click()
    expect(page.get_by_text(f"{reference} has been replaced by")).to_be_visible()
    first.refresh_from_db()
    replacement = first.replaced_by
    assert replacement.district_id == first.district_id
    expect(page.locator(f"#item-{first.pk}")).to_contain_text(
        f"Replaced by {replacement.assessment.reference}: The family has moved away"
    )
    expect(page.locator(f"#item-{first.pk} s")).to_have_text(reference)
    check(page)

    # Assign: the suggestion shares the four EHAs between the two auditors.
    page.get_by_role("link", name="Assign auditors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assign auditors")
    check(page)
    page.get_by_role("button", name="Save auditors and due dates").click()
    expect(page.get_by_text("The auditors and due dates have been saved")).to_be_visible()

    # Check, then confirm.
    page.get_by_role("link", name="Confirm sample").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the audits before confirming")
    expect(page.locator("#confirm-table tbody tr")).to_have_count(4)
    expect(page.locator("#confirm-table")).to_contain_text("Themed")
    check(page)
    page.get_by_role("button", name="Confirm sample").click()
    expect(page.get_by_text("The sample has been confirmed: 4 audits planned")).to_be_visible()
    expect(page.locator("#items-table a", has_text="Audit")).to_have_count(4)
    expect(page.get_by_role("link", name=re.compile("^Replace"))).to_have_count(0)
    check(page)
    return sample


def test_the_qa_lead_draws_replaces_assigns_and_confirms_and_an_auditor_sees_the_audits(
    county, sign_in, live_server, assert_accessible
):
    page = sign_in(county["lead"])
    sample = sample_journey(page, live_server, assert_accessible)

    audits = Audit.objects.filter(audit_type=Audit.Type.THEMED, status=Audit.Status.PLANNED)
    assert audits.count() == 4
    assert {audit.auditor.full_name for audit in audits} == {"Sam Patel", "Robin Shaw"}
    active = SampleItem.objects.filter(sample=sample, audit__isnull=False)
    assert set(active.values_list("audit", flat=True)) == set(audits.values_list("pk", flat=True))

    page.goto(f"{live_server.url}/samples/")
    expect(page.locator("#sample-table tbody tr")).to_have_count(1)
    expect(page.locator("#sample-table tbody tr")).to_contain_text("Confirmed")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page = sign_in(county["sam"])
    page.get_by_role("link", name="My audits").click()
    theirs = sorted(
        audits.filter(auditor=county["sam"]).values_list("assessment__reference", flat=True)
    )
    assert theirs
    # Waits for "My audits" to list them before reading the list: read at once, a page still
    # loading its stylesheet lists none.
    expect(page.locator("#audit-table tbody th")).to_have_count(len(theirs))
    shown = sorted(
        text.removeprefix("Audit of ").strip()
        for text in page.locator("#audit-table tbody th").all_inner_texts()
    )
    assert shown == theirs
    expect(page.locator("#audit-table")).to_contain_text("Themed")
    assert_accessible(page)


def test_the_whole_sample_journey_works_without_javascript(county, browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(county["lead"].email)
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Sign in").click()
    sample = sample_journey(page, live_server, lambda page: None)
    due_dates = set(Audit.objects.values_list("due_date", flat=True))
    assert due_dates == {last_of_month(sample.month)}
    assert sample.month == add_months(first_of_month(timezone.localdate()), 1)
    context.close()
