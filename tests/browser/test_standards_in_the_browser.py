"""The standards page in a real browser, with axe."""

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_auditor_reads_the_standards_in_force(
    make_user, sign_in, live_server, assert_accessible
):
    page = sign_in(make_user(Role.AUDITOR))
    page.get_by_role("link", name="Standards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "CSCP Early Help Quality Assurance Framework"
    )
    expect(page.get_by_text("The assessment is logical, concise and jargon free")).to_be_visible()
    expect(page.get_by_role("row", name="Inadequate")).to_contain_text(
        "Practice standards have not been adhered to"
    )
    assert_accessible(page)
