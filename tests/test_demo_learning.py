"""The demo of the learning loop: actions in every status (signed off, sent back, cancelled,
overdue), recommendations open, accepted and closed with agencies' responses and linked actions,
a theme whose close-the-loop comparison has audits on both sides, "You said, we did" with
families' words; loading it a second time adds nothing, and no demo text names anyone.

Then the demo quarterly reports (pages/demo_reports.py), loaded on top: published quarters with
a correction, the latest quarter as a draft, and the learning loop's recommendations linked to
the report they came from rather than recorded twice.

Everything is loaded once for the module inside a transaction that is rolled back at the end
(as tests/test_demo_voice.py does); each test runs in its own savepoint within it.
"""

import re
from collections import Counter

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from earlyhelp.accounts.demo import FIRST_NAMES, demo_email, load_demo_partnership
from earlyhelp.accounts.models import User
from earlyhelp.audits.demo import load_demo_audits
from earlyhelp.cases.demo import load_demo_cases
from earlyhelp.core.models import Notification
from earlyhelp.learning.findings import loop_for_theme, you_said_we_did
from earlyhelp.learning.models import (
    Action,
    ActionEvent,
    AgencyResponse,
    LearningTheme,
    Recommendation,
)
from earlyhelp.pages.demo_after_audit import load_demo_after_audit
from earlyhelp.pages.demo_learning import load_demo_learning
from earlyhelp.pages.demo_reports import load_demo_reports
from earlyhelp.pages.demo_voice import load_demo_voice
from earlyhelp.reports import publishing
from earlyhelp.reports.models import QuarterlyReport
from earlyhelp.voice.models import Quote

S = Action.Status


@pytest.fixture(scope="module")
def summary(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=tmp_path_factory.mktemp("var")),
        transaction.atomic(),
    ):
        load_demo_partnership()
        load_demo_cases()
        load_demo_audits()
        load_demo_after_audit()
        load_demo_voice()
        yield load_demo_learning()
        transaction.set_rollback(True)


def _counts():
    return (
        Action.objects.count(),
        ActionEvent.objects.count(),
        Recommendation.objects.count(),
        AgencyResponse.objects.count(),
        Notification.objects.count(),
    )


def test_a_second_load_adds_nothing(summary, db):
    before = _counts()
    assert load_demo_learning() is None
    assert load_demo_learning(seed=7) is None
    assert _counts() == before


def test_the_summary_counts_what_is_there(summary, db):
    assert summary.actions == Action.objects.count()
    assert 20 <= summary.actions <= 35
    assert summary.recommendations == 4
    assert str(summary.actions) in summary.line()


def test_actions_in_every_status_over_eighteen_months(summary, db):
    today = timezone.localdate()
    statuses = Counter(Action.objects.values_list("status", flat=True))
    assert set(statuses) == set(S.values)
    signed_off = Action.objects.filter(signed_off_at__isnull=False)
    assert signed_off.count() >= 8
    assert Action.objects.filter(status=S.DONE, signed_off_at__isnull=True).exists()
    overdue = Action.objects.filter(status__in=[S.OPEN, S.IN_PROGRESS], due_date__lt=today)
    assert 2 <= overdue.count() <= 4
    assert not Action.objects.filter(status=S.CANCELLED, cancelled_reason="").exists()
    assert ActionEvent.objects.filter(what__startswith="Sent back").exists()
    oldest = min(Action.objects.values_list("created_at", flat=True))
    assert (timezone.now() - oldest).days > 450
    assert max(Action.objects.values_list("created_at", flat=True)) <= timezone.now()
    types = Counter(Action.objects.values_list("action_type", flat=True))
    assert set(types) == set(Action.Type.values)
    assert types[Action.Type.TRAINING] + types[Action.Type.DEVELOPMENT] >= summary.actions / 2
    for action in signed_off:
        assert action.evidence
        assert action.created_at < action.completed_at < action.signed_off_at


def test_owners_agencies_and_standards(summary, db):
    owners = Counter(Action.objects.values_list("owner__email", flat=True))
    assert owners[demo_email("line.manager")] >= 3
    assert 1 <= owners[demo_email("coordinator")] <= 2
    assert Action.objects.filter(agency__isnull=False).exists()
    assert Action.objects.filter(agency_type__isnull=False).exists()
    assert Action.objects.filter(audit__isnull=False).count() >= 3
    genogram = Action.objects.filter(theme__name="Genogram missing").first()
    assert "S1.5" in genogram.standard_refs


def test_recommendations_with_responses_and_actions(summary, db):
    statuses = Counter(Recommendation.objects.values_list("status", flat=True))
    assert statuses == {"closed": 2, "accepted": 1, "open": 1}
    for recommendation in Recommendation.objects.all():
        assert 1 <= recommendation.responses.count() <= 2
        assert recommendation.actions.exists()
        if recommendation.status == "closed":
            assert recommendation.decision
            assert recommendation.closed_on


def test_a_theme_closes_the_loop_with_audits_on_both_sides(summary, db):
    both = []
    for theme in LearningTheme.objects.filter(actions__isnull=False).distinct():
        loop = loop_for_theme(theme)
        overall = loop.overall
        if overall and overall.after and overall.before.audits and overall.after.audits:
            both.append((theme.name, overall.before.audits, overall.after.audits))
    assert both, "no theme has audits before and after its actions"
    assert any(before >= 5 and after >= 5 for _, before, after in both)


def test_you_said_we_did_uses_publishable_quotes(summary, db):
    listed = you_said_we_did()
    assert len(listed) >= 3
    quotes = set(Quote.objects.filter(publishable=True).values_list("moderated_text", flat=True))
    for action in Action.objects.exclude(you_said=""):
        assert action.you_said in quotes


def test_old_notifications_are_read_and_emailed(summary, db):
    old = Notification.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=14))
    assert not old.filter(emailed_at__isnull=True).exists()
    assert not old.filter(read_at__isnull=True, recipient__isnull=False).exists()


def test_no_demo_text_names_anyone(summary, db):
    names = {name.lower() for name in FIRST_NAMES} | {
        name.split()[0].lower() for name in User.objects.values_list("full_name", flat=True) if name
    }
    texts = []
    for action in Action.objects.all():
        texts += [action.title, action.description, action.finding, action.you_said]
        texts += [action.evidence, action.cancelled_reason]
    texts += ActionEvent.objects.filter(what__startswith="Sent back").values_list("what", flat=True)
    texts += ActionEvent.objects.filter(what__startswith="Cancelled").values_list("what", flat=True)
    for recommendation in Recommendation.objects.all():
        texts += [recommendation.text, recommendation.decision]
    texts += AgencyResponse.objects.values_list("response", flat=True)
    for text in texts:
        capitalised = {w.lower() for w in re.findall(r"[A-Za-z]+", text) if w[0].isupper()}
        assert not capitalised & names, text


# The demo quarterly reports ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(summary, django_db_blocker):
    with django_db_blocker.unblock():
        return load_demo_reports()


def test_four_quarters_are_published_one_corrected_and_the_latest_is_a_draft(reports, db):
    R = QuarterlyReport.Status
    assert (reports.published, reports.corrected, reports.drafts) == (4, 1, 1)
    statuses = Counter(QuarterlyReport.objects.values_list("status", flat=True))
    assert statuses == {R.PUBLISHED: 4, R.SUPERSEDED: 1, R.DRAFT: 1}
    draft = QuarterlyReport.objects.get(status=R.DRAFT)
    newest_published = QuarterlyReport.objects.filter(status=R.PUBLISHED).latest("period_end")
    assert draft.period_start > newest_published.period_end
    assert draft.period_end < timezone.localdate()
    assert draft.working_well


def test_every_published_report_has_figures_in_every_section(reports, db):
    for report in QuarterlyReport.objects.exclude(status=QuarterlyReport.Status.DRAFT):
        document = publishing.document_for(report)
        judgements = document.section("judgements").table("judgements")
        assert sum(row[1] for row in judgements.rows if isinstance(row[1], int)) > 0
        assert document.section("working-well").paragraphs[0].startswith("Across ")
        found, contacts, _triggered = document.section("drift").table("drift").rows
        assert found[1] > 0
        assert contacts[1] > 0
        assert report.published_at.date() > report.period_end


def test_the_correction_changes_what_its_reason_says_and_names_only_well_rated_standards(
    reports, db
):
    corrected = QuarterlyReport.objects.get(status=QuarterlyReport.Status.SUPERSEDED)
    correction = QuarterlyReport.objects.get(corrects=corrected)
    assert corrected.key_themes != correction.key_themes
    assert correction.key_themes.startswith("The learning theme tagged most often was")
    for report in QuarterlyReport.objects.all():
        for rated in re.findall(
            r"\((\d+) of (\d+) audits met it\)", report.working_well + report.needs_to_improve
        ):
            assert int(rated[1]) >= 5


def test_the_learning_loops_recommendations_are_linked_not_recorded_twice(reports, db):
    before = Recommendation.objects.count()
    assert reports.recommendations_linked >= 1
    assert Recommendation.objects.count() == before
    assert load_demo_reports() is None
