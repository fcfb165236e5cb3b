"""Learning in a real browser: the QA lead opens the findings, follows a figure to the audits
behind it, and opens a theme's close-the-loop page; a partnership viewer sees the figures
without links to audits. axe finds nothing on any page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import StandardRating
from earlyhelp.learning.models import Action, AuditTheme, LearningTheme
from earlyhelp.standards.defaults import load_default_library
from earlyhelp.standards.models import RatingOption

from ..audits.factories import AuditFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Chromium puts a space before visually hidden text.
LOOP_LINK = re.compile(r"^Voice of the child ?: closing the loop$")


def _submitted(when, label, theme=None):
    audit = AuditFactory(judged="Good", with_parts=True, submitted_at=when)
    option = RatingOption.objects.get(version=audit.framework_version, label=label)
    StandardRating.objects.filter(audit=audit, standard__ref_id="S1.1").update(rating=option)
    if theme is not None:
        AuditTheme.objects.create(audit=audit, theme=theme, tagged_by=audit.auditor)
    return audit


@pytest.fixture
def learning(make_user):
    """The database is flushed between browser tests: the framework and a theme are made here.
    Five audits months ago tagged with the theme, an action on S1.1 done since, and two audits
    this quarter."""
    load_default_library()
    theme = LearningTheme.objects.get_or_create(name="Voice of the child")[0]
    lead = make_user(Role.QA_LEAD)
    now = timezone.now()
    for label in ["Met", "Not met", "Not met", "Partly met", "Not met"]:
        _submitted(now - datetime.timedelta(days=150), label, theme)
    recent = [_submitted(now, label, theme) for label in ["Met", "Not met"]]
    Action.objects.create(
        title="Training on the child's voice",
        action_type=Action.Type.TRAINING,
        theme=theme,
        standard_refs=["S1.1"],
        owner=lead,
        created_by=lead,
        due_date=timezone.localdate(),
        status=Action.Status.DONE,
        created_at=now - datetime.timedelta(days=100),
        completed_at=now - datetime.timedelta(days=30),
        evidence="Two sessions held.",
    )
    return lead, recent


def test_the_qa_lead_follows_a_figure_to_its_audits_and_opens_the_loop(
    learning, sign_in, assert_accessible
):
    lead, recent = learning
    tab = sign_in(lead)
    tab.get_by_role("link", name="Learning", exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Learning")
    expect(tab.locator("#audit-count")).to_contain_text("Audits submitted in this period: 2")
    assert_accessible(tab)

    tab.get_by_role("link", name="1 ratings of Met on S1.1").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Audits behind a figure")
    expect(tab.locator("#figure-audits tbody tr")).to_have_count(1)
    expect(tab.locator("#figure-audits")).to_contain_text(recent[0].assessment.reference)
    assert_accessible(tab)

    tab.get_by_role("link", name="Back to the findings").click()
    tab.get_by_role("link", name=LOOP_LINK).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Voice of the child")
    expect(tab.locator("#actions")).to_contain_text("Training on the child's voice")
    expect(tab.locator("#before-after")).to_contain_text("20% (1 of 5)")
    expect(tab.locator("#before-after")).to_contain_text("Too few audits to show a change")
    assert_accessible(tab)


def test_a_partnership_viewer_reads_the_figures_without_audit_links(
    learning, make_user, sign_in, assert_accessible
):
    tab = sign_in(make_user(Role.PARTNERSHIP_VIEWER))
    tab.get_by_role("link", name="Learning", exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Learning")
    expect(tab.locator("a[href^='/learning/audits/']")).to_have_count(0)
    assert_accessible(tab)
    tab.get_by_role("link", name=LOOP_LINK).click()
    expect(tab.locator("a[href^='/audits/']")).to_have_count(0)
    assert_accessible(tab)
