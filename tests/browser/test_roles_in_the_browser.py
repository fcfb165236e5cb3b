"""Each role signs in through the real sign-in page, in a real browser, sees its own home page
and navigation, cannot reach what it must not, and every page passes axe with zero violations."""

import re

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role

FORBIDDEN_FOR_ALL_BUT_ADMINISTRATORS = "/admin/accounts/user/"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_sees_its_navigation_and_is_refused_elsewhere(
    make_user, sign_in, live_server, assert_accessible, role
):
    user = make_user(role)
    page = sign_in(user)
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {user.get_short_name()}")
    expect(page.get_by_text(Role(role).label, exact=True)).to_be_visible()
    nav = page.locator(".govuk-service-navigation__list a").all_inner_texts()
    # Every signed-in person has Notifications; each role's work comes between Home and Standards.
    work = {
        Role.QA_LEAD: [
            "Dashboard",
            "Cases",
            "Audits",
            "Dip samples",
            "Drift",
            "Learning",
            "Actions",
            "Escalations",
            "Audit feedback",
            "Voice results",
            "Reports",
        ],
        Role.AUDITOR: ["Cases", "My audits", "Drift", "Learning", "Actions", "Audit feedback"],
        Role.COORDINATOR: ["Cases", "Actions", "Audit feedback", "Closure forms"],
        Role.LINE_MANAGER: ["Cases", "Actions", "Escalations", "Audit feedback", "Closure forms"],
        Role.PARTNERSHIP_VIEWER: [
            "Dashboard",
            "Learning",
            "Voice results",
            "Reports",
            "Performance data",
        ],
        Role.DATA_OFFICER: ["Performance data", "Imports"],
        Role.ADMINISTRATOR: [],
    }[role]
    after = ["Administration"] if role == Role.ADMINISTRATOR else []
    # The unread count, when there is one, is part of the link's text: a new person has none.
    assert nav == ["Home", *work, "Standards", "Notifications", "Your account", *after]
    assert_accessible(page)

    response = page.goto(f"{live_server.url}{FORBIDDEN_FOR_ALL_BUT_ADMINISTRATORS}")
    if role == Role.ADMINISTRATOR:
        assert response.status == 200
        assert "Early Help QA administration" in page.content()
    else:
        assert response.status == 403
        assert page.get_by_role("heading", level=1).inner_text() == "You cannot see this page"
        assert "Select user to change" not in page.content()
        assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_anonymous_visitors_are_sent_to_sign_in(page, live_server):
    page.goto(f"{live_server.url}/account/")
    assert page.url == f"{live_server.url}/sign-in/?next=/account/"
    page.goto(f"{live_server.url}{FORBIDDEN_FOR_ALL_BUT_ADMINISTRATORS}")
    assert page.url.startswith(f"{live_server.url}/sign-in/")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/sign-in/", "/accessibility/", "/privacy/", "/password-reset/"])
def test_public_pages_have_no_accessibility_violations(page, live_server, assert_accessible, path):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_sign_in_errors_are_summarised_linked_and_accessible(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_accessible(page)
    summary.get_by_role("link", name="Enter your e-mail address").click()
    expect(page.locator("#id_username")).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_out_with_the_keyboard_alone(make_user, page, live_server):
    user = make_user(Role.AUDITOR)
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    focused = ""
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "id_username":
            break
    assert focused == "id_username"
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-test-password-1")
    page.keyboard.press("Enter")
    # The skip link left "#main-content" on the address; the browser keeps it across redirects.
    page.wait_for_url(re.compile(rf"{live_server.url}/(#main-content)?$"))
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Sign out":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{live_server.url}/sign-in/(#main-content)?$"))


@pytest.mark.django_db(transaction=True)
def test_signing_in_works_without_javascript(make_user, browser, live_server):
    user = make_user(Role.QA_LEAD)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Sign in").click()
    assert page.url == f"{live_server.url}/"
    page.get_by_role("button", name="Sign out").click()
    assert page.url == f"{live_server.url}/sign-in/"
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_account_page_and_password_change_errors_are_accessible(
    make_user, sign_in, live_server, assert_accessible
):
    page = sign_in(make_user(Role.COORDINATOR))
    page.goto(f"{live_server.url}/account/")
    assert_accessible(page)
    page.get_by_role("link", name="Change your password").click()
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
