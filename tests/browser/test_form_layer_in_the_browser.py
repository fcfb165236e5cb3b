"""The form layer in a real browser: a page with every component in its error state passes axe,
the error summary moves focus to the field, and the character count counts with JavaScript and
still works without it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.urls("tests.form_layer_example"), pytest.mark.django_db(transaction=True)]


def test_every_component_with_errors_has_no_accessibility_violations(
    page, live_server, assert_accessible
):
    page.goto(f"{live_server.url}/form-layer-example/")
    assert_accessible(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Start date must be a real date")).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_have_count(9)
    assert_accessible(page)


def test_error_summary_links_move_focus_to_the_field(page, live_server):
    page.goto(f"{live_server.url}/form-layer-example/")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").get_by_role(
        "link", name="Select overall judgement"
    ).click()
    assert page.evaluate("document.activeElement.id") == "id_judgement_0"
    page.locator(".govuk-error-summary").get_by_role("link", name="Enter start date").click()
    assert page.evaluate("document.activeElement.id") == "id_start_date_0"


def test_character_count_counts_as_you_type(page, live_server):
    page.goto(f"{live_server.url}/form-layer-example/")
    page.get_by_label("The child's journey").fill("x" * 190)
    expect(page.get_by_text("You have 10 characters remaining").first).to_be_visible()
    page.get_by_label("The child's journey").fill("x" * 205)
    expect(page.get_by_text("You have 5 characters too many").first).to_be_visible()


def test_the_whole_form_can_be_completed_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/form-layer-example/")
    expect(page.get_by_text("You can enter up to 200 characters")).to_be_visible()
    page.get_by_label("Full name").fill("Jo Bloggs")
    page.get_by_label("E-mail address").fill("jo@example.org")
    page.get_by_label("Number of reviews").fill("2")
    page.get_by_label("District").select_option("eden")
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Genogram").check()
    page.get_by_label("The child's journey").fill("A TAF meeting was held.")
    page.get_by_label("I have read the whole file").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#submitted")).to_have_text("Thank you")
    context.close()
