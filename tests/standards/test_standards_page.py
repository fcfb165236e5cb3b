"""Every staff user can read the standards in force, and earlier versions, in a fixed number of
queries however many standards there are."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.utils.html import escape

from earlyhelp.accounts.roles import Role
from earlyhelp.standards.defaults import DEFAULT_LIBRARY
from earlyhelp.standards.library import load_library
from earlyhelp.standards.models import FrameworkVersion, Standard

pytestmark = pytest.mark.django_db

OTHER = Path(__file__).parent / "anytown-family-help-framework.yaml"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_standards_in_force(client_for, role):
    response = client_for(role).get("/standards/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    for standard in Standard.objects.all():
        assert escape(standard.text) in page
    assert "Requires Improvement" in page
    assert "In force" in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/standards/")["Location"].startswith("/sign-in/")


def test_with_two_frameworks_in_force_both_are_listed(client_for):
    load_library(OTHER.read_text(encoding="utf-8"))
    page = client_for(Role.AUDITOR).get("/standards/").content.decode()
    assert "CSCP Early Help Quality Assurance Framework, version 1.0" in page
    assert "Anytown Family Help Practice Standards, version 2026.1" in page


def test_an_earlier_version_stays_readable_and_is_marked_not_in_force(client_for):
    old = FrameworkVersion.objects.get()
    revised = (
        DEFAULT_LIBRARY.read_text(encoding="utf-8")
        .replace('version: "1.0"', 'version: "1.1"')
        .replace("effective_date: 2025-04-01", "effective_date: 2025-10-01")
    )
    new = load_library(revised).version
    client = client_for(Role.COORDINATOR)
    assert client.get("/standards/")["Location"] == f"/standards/{new.pk}/"
    old_page = BeautifulSoup(client.get(f"/standards/{old.pk}/").content, "html.parser")
    assert old_page.select_one(".govuk-tag").get_text(strip=True) == "Not in force"
    links = [a.get_text(strip=True) for a in old_page.select("main a")]
    assert "Version 1.1" in links


def test_a_version_that_does_not_exist_is_not_found(client_for):
    assert client_for(Role.AUDITOR).get("/standards/999999/").status_code == 404


def test_the_page_runs_the_same_number_of_queries_however_many_standards(
    client_for, django_assert_num_queries
):
    client = client_for(Role.AUDITOR)
    small = load_library(OTHER.read_text(encoding="utf-8")).version
    large = FrameworkVersion.objects.get(framework__ref_id="cscp-early-help-qaf")
    client.get(f"/standards/{small.pk}/")  # warm the session
    with django_assert_num_queries(13) as small_queries:
        client.get(f"/standards/{small.pk}/")
    with django_assert_num_queries(len(small_queries.captured_queries)):
        client.get(f"/standards/{large.pk}/")
