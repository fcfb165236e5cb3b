"""Closing the loop: the finding, the actions and their evidence, and compliance on the actions'
standards before and after, on hand-built audits with known counts."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.learning import findings
from earlyhelp.learning.models import Action, LearningTheme, Recommendation

from ..factories import UserFactory
from .test_findings import moment, rate, submitted, tag

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
CREATED = datetime.date(2026, 3, 1)  # the first action: before = 1 Sep 2025 to 28 Feb 2026
DONE = datetime.date(2026, 6, 15)  # the last action done: after = 16 Jun 2026 to today


@pytest.fixture
def lead():
    return UserFactory(roles=[Role.QA_LEAD])


@pytest.fixture
def voice():
    return LearningTheme.objects.get(name="Voice of the child")


def action(lead, *, refs=("S1.1",), done=DONE, created=CREATED, **fields):
    status = fields.pop("status", Action.Status.DONE if done else Action.Status.IN_PROGRESS)
    return Action.objects.create(
        title=fields.pop("title", "Training on the child's voice"),
        action_type=Action.Type.TRAINING,
        standard_refs=list(refs),
        owner=lead,
        created_by=lead,
        due_date=datetime.date(2026, 6, 30),
        status=status,
        created_at=moment(created),
        completed_at=moment(done) if done else None,
        evidence="Two sessions held; 14 coordinators attended." if done else "",
        **fields,
    )


def audits(day, labels, ref_id="S1.1", theme=None):
    made = []
    for label in labels:
        audit = submitted(day)
        rate(audit, ref_id, label)
        if theme is not None:
            tag(audit, theme)
        made.append(audit)
    return made


@pytest.fixture
def known_loop(lead, voice):
    """6 audits before with 2 Met of 6 on S1.1; an action on S1.1 done; 5 after with 4 Met."""
    audits(
        datetime.date(2025, 12, 1),
        ["Met", "Met", "Not met", "Not met", "Partly met", "Not met"],
        theme=voice,
    )
    audits(datetime.date(2026, 7, 1), ["Met", "Met", "Met", "Met", "Not met"])
    # Not counted: Not applicable; before the six months; between the action and its completion;
    # a rating on another standard; an audit reopened.
    audits(datetime.date(2025, 12, 2), ["Not applicable"])
    audits(datetime.date(2025, 8, 30), ["Not met"])
    audits(datetime.date(2026, 4, 1), ["Not met"])
    audits(datetime.date(2026, 7, 2), ["Not met"], ref_id="S1.2")
    reopened = audits(datetime.date(2026, 7, 3), ["Not met"])[0]
    reopened.status = Audit.Status.IN_PROGRESS
    reopened.save(update_fields=["status"])
    return action(lead, theme=voice)


def test_before_and_after_on_a_known_set_of_audits(known_loop, voice):
    loop = findings.loop_for_theme(voice, today=TODAY)
    assert loop.standard_refs == ["S1.1"]
    assert (loop.before_start, loop.before_end) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 2, 28),
    )
    assert loop.after_start == datetime.date(2026, 6, 16)
    [s11] = loop.comparisons
    assert (s11.before.met, s11.before.applicable, s11.before.audits) == (2, 6, 6)
    assert (s11.after.met, s11.after.applicable, s11.after.audits) == (4, 5, 5)
    assert (s11.before.percent, s11.after.percent) == (33, 80)
    assert not s11.too_small
    assert s11.change == 47


def test_fewer_than_five_audits_on_a_side_is_too_small_to_show_a_change(lead, voice):
    audits(datetime.date(2025, 12, 1), ["Met", "Not met", "Not met", "Not met", "Not met", "Met"])
    audits(datetime.date(2026, 7, 1), ["Met", "Met", "Met", "Met"])
    action(lead, theme=voice)
    [s11] = findings.loop_for_theme(voice, today=TODAY).comparisons
    assert (s11.before.audits, s11.after.audits) == (6, 4)
    assert s11.after.too_small
    assert s11.too_small
    assert s11.change is None


def test_there_is_no_after_until_every_action_is_done(lead, voice):
    action(lead, theme=voice)
    action(lead, theme=voice, done=None, title="Guidance on the voice of the child")
    action(lead, theme=voice, done=None, status=Action.Status.CANCELLED, title="Cancelled")
    loop = findings.loop_for_theme(voice, today=TODAY)
    assert [a.title for a in loop.waiting_for] == ["Guidance on the voice of the child"]
    assert loop.after_start is None
    assert loop.comparisons[0].after is None
    assert loop.comparisons[0].change is None


def test_the_after_starts_the_day_after_the_last_action_was_done(lead, voice):
    action(lead, theme=voice, refs=["S1.1"])
    action(lead, theme=voice, refs=["S1.2", "S1.1"], done=datetime.date(2026, 8, 1))
    loop = findings.loop_for_theme(voice, today=TODAY)
    assert loop.standard_refs == ["S1.1", "S1.2"]
    assert loop.after_start == datetime.date(2026, 8, 2)
    assert [c.label for c in loop.comparisons] == ["S1.1", "S1.2", "All these standards"]


def test_the_months_before_can_be_changed(known_loop, voice):
    loop = findings.loop_for_theme(voice, today=TODAY, months=3)
    assert loop.before_start == datetime.date(2025, 12, 1)
    assert loop.comparisons[0].before.audits == 6


def test_a_recommendations_loop_reads_the_actions_linked_to_it(lead, voice):
    recommendation = Recommendation.objects.create(
        made_on=datetime.date(2026, 2, 20),
        source=Recommendation.Source.QUARTERLY_REPORT,
        text="Every assessment records the child's own words.",
        created_by=lead,
    )
    audits(datetime.date(2025, 12, 1), ["Met"] * 5)
    audits(datetime.date(2026, 7, 1), ["Met"] * 5)
    action(lead, recommendation=recommendation)
    action(lead, theme=voice, refs=["S3.1"])  # the theme's, not the recommendation's
    loop = findings.loop_for_recommendation(recommendation, today=TODAY)
    assert loop.standard_refs == ["S1.1"]
    [s11] = loop.comparisons
    assert (s11.before.percent, s11.after.percent, s11.change) == (100, 100, 0)


def test_the_theme_counts_per_quarter(known_loop, voice):
    loop = findings.loop_for_theme(voice, today=datetime.date(2026, 5, 1))
    assert loop.theme_total == 6
    assert [(q.quarter, n) for q, n in loop.theme_counts] == [
        ("2025-Q3", 0),
        ("2025-Q4", 6),
        ("2026-Q1", 0),
        ("2026-Q2", 0),
    ]


# Pages ------------------------------------------------------------------------------------------


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_loop_page_shows_the_finding_the_action_its_evidence_and_the_change(
    client, lead, known_loop, voice, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    client.force_login(lead)
    response = client.get(reverse("findings:loop", args=[voice.pk]))
    assert response.status_code == 200
    page = soup_of(response)
    text = " ".join(page.get_text().split())
    assert "Training on the child's voice" in text
    assert "Two sessions held" in text
    row = " ".join(page.select_one("#before-after tbody tr").get_text().split())
    assert "33% (2 of 6)" in row
    assert "80% (4 of 5)" in row
    assert "up 47 percentage points" in row
    title = page.select_one(f"#action-{known_loop.pk} h3 a")
    assert title["href"] == reverse("actions:detail", args=[known_loop.pk])


def test_the_loop_page_says_plainly_when_a_side_is_too_small(client, lead, voice, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    audits(datetime.date(2025, 12, 1), ["Met", "Not met"])
    action(lead, theme=voice)
    client.force_login(lead)
    response = client.get(reverse("findings:loop", args=[voice.pk]))
    row = " ".join(soup_of(response).select_one("#before-after tbody tr").get_text().split())
    assert "Too few audits to show a change (fewer than 5 on a side)" in row


def test_a_partnership_viewer_sees_the_loop_without_audit_links_or_references(
    client, lead, voice, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    source = audits(datetime.date(2025, 12, 1), ["Not met"])[0]
    action(lead, theme=voice, audit=source)
    viewer = UserFactory(roles=[Role.PARTNERSHIP_VIEWER])
    client.force_login(viewer)
    response = client.get(reverse("findings:loop", args=[voice.pk]))
    assert response.status_code == 200
    page = soup_of(response)
    assert page.select("a[href^='/audits/']") == []
    assert page.select("a[href^='/learning/audits/']") == []
    assert source.assessment.reference not in page.get_text()
    assert "Two sessions held" not in page.get_text()
    client.force_login(lead)
    page = soup_of(client.get(reverse("findings:loop", args=[voice.pk])))
    assert page.select_one(f"a[href='/audits/{source.pk}/']").get_text() == (
        source.assessment.reference
    )


def test_the_loop_page_runs_as_many_queries_for_many_audits_and_actions(client, lead, voice):
    client.force_login(lead)
    url = reverse("findings:loop", args=[voice.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    audits(datetime.date(2025, 12, 1), ["Met"] * 2, theme=voice)
    action(lead, theme=voice, audit=Audit.objects.first())
    few = count()
    audits(datetime.date(2025, 12, 1), ["Met"] * 20, theme=voice)
    for audit in Audit.objects.all()[:8]:
        action(lead, theme=voice, audit=audit, refs=["S1.2"])
    assert count() == few


def test_a_loop_with_no_actions_says_there_is_nothing_to_compare(client, lead, voice):
    client.force_login(lead)
    response = client.get(reverse("findings:loop", args=[voice.pk]))
    assert soup_of(response).select_one("#no-actions") is not None
    assert client.get(reverse("findings:loop", args=[999999])).status_code == 404
