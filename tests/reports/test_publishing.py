"""The quarterly report from draft to published: a draft's figures follow the data, publishing
freezes the document, corrections are new versions that say why, recommendations are tracked
once, and only the QA lead changes anything."""

import datetime

import pytest
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.learning.models import Recommendation
from earlyhelp.reports import publishing
from earlyhelp.reports.models import QuarterlyReport
from earlyhelp.voice.results import dates_period, quarter_containing

from ..factories import UserFactory
from .test_figures import IN_Q3, Q3, completed, row, table

pytestmark = pytest.mark.django_db

S = QuarterlyReport.Status


@pytest.fixture
def qa_lead():
    return UserFactory(roles=(Role.QA_LEAD,))


def written(report, qa_lead, recommendations=("Train coordinators in chronologies",)):
    return publishing.save_narrative(
        report,
        working_well="Plans are SMART.\n\nFamilies feel listened to.",
        needs_to_improve="Chronologies.",
        key_themes="Voice of the child.",
        recommendations=list(recommendations),
        by=qa_lead,
    )


def sentences(document):
    return " ".join(p for section in document.sections for p in section.paragraphs)


def good_count(document):
    return row(table(document, "judgements"), "Good")[1]


# Starting ----------------------------------------------------------------------------------------


def test_starting_a_report_makes_a_draft_for_the_period(qa_lead):
    report = publishing.start_report(Q3, qa_lead)
    assert (report.status, report.version, report.quarter) == (S.DRAFT, 1, "2026-Q3")
    assert (report.period_start, report.period_end, report.label) == (Q3.start, Q3.end, Q3.label)


def test_starting_a_report_again_for_the_same_period_gives_the_draft_already_there(qa_lead):
    first = publishing.start_report(Q3, qa_lead)
    assert publishing.start_report(Q3, qa_lead) == first
    assert QuarterlyReport.objects.count() == 1


def test_starting_a_report_for_a_published_period_gives_the_published_one(qa_lead):
    published = publishing.publish(written(publishing.start_report(Q3, qa_lead), qa_lead), qa_lead)
    assert publishing.start_report(Q3, qa_lead) == published


def test_a_custom_period_is_a_report_of_its_own(qa_lead):
    period = dates_period(Q3.start, IN_Q3)
    report = publishing.start_report(period, qa_lead)
    assert report.quarter == ""
    assert publishing.period_of(report) == period
    assert report != publishing.start_report(Q3, qa_lead)


# The narrative -----------------------------------------------------------------------------------


def test_a_draft_shows_the_live_figures_with_the_narrative_after_the_summary(qa_lead):
    report = written(publishing.start_report(Q3, qa_lead), qa_lead)
    document = publishing.document_for(report)
    keys = [s.key for s in document.sections]
    assert keys[:6] == [
        "summary",
        "working-well",
        "needs-to-improve",
        "key-themes",
        "recommendations",
        "audits",
    ]
    assert document.section("working-well").title == "What is working well"
    assert document.section("working-well").paragraphs == [
        "Plans are SMART.",
        "Families feel listened to.",
    ]
    assert document.section("recommendations").paragraphs == [
        "1. Train coordinators in chronologies"
    ]


def test_recommendations_are_kept_in_order_without_blank_ones(qa_lead):
    report = written(publishing.start_report(Q3, qa_lead), qa_lead, ["First", " ", "Second "])
    assert [r.text for r in report.recommendations.all()] == ["First", "Second"]
    assert publishing.recommendation_lines("a\n\n  b \n") == ["a", "b"]


# Publishing freezes the report -------------------------------------------------------------------


def test_a_published_report_does_not_change_when_the_data_does(qa_lead):
    completed(judged="Good")
    draft = written(publishing.start_report(Q3, qa_lead), qa_lead)
    report = publishing.publish(draft, qa_lead)
    before = publishing.document_for(report)
    assert good_count(before) == 1

    completed(judged="Good")
    completed(judged="Inadequate")
    report.refresh_from_db()
    after = publishing.document_for(report)
    assert after == before
    assert good_count(after) == 1
    # The figures from the data now have moved on.
    assert good_count(publishing.build_report(Q3)) == 2


def test_a_drafts_figures_follow_the_data(qa_lead):
    report = publishing.start_report(Q3, qa_lead)
    assert good_count(publishing.document_for(report)) == 0
    completed(judged="Good")
    assert good_count(publishing.document_for(report)) == 1


def test_publishing_records_who_and_when_and_stores_the_narrative(qa_lead):
    report = publishing.publish(written(publishing.start_report(Q3, qa_lead), qa_lead), qa_lead)
    report.refresh_from_db()
    assert report.status == S.PUBLISHED
    assert report.published_by == qa_lead
    assert report.published_at is not None
    stored = publishing.document_for(report)
    assert stored.section("key-themes").paragraphs == ["Voice of the child."]


def test_each_recommendation_becomes_one_tracked_recommendation_on_publishing(qa_lead):
    draft = written(publishing.start_report(Q3, qa_lead), qa_lead, ["One", "Two"])
    assert Recommendation.objects.count() == 0
    report = publishing.publish(draft, qa_lead)
    tracked = Recommendation.objects.order_by("pk")
    assert [(r.text, r.source) for r in tracked] == [
        ("One", Recommendation.Source.QUARTERLY_REPORT),
        ("Two", Recommendation.Source.QUARTERLY_REPORT),
    ]
    assert [r.tracked for r in report.recommendations.all()] == list(tracked)


# Refusals ----------------------------------------------------------------------------------------


def this_quarter():
    return quarter_containing(timezone.localdate())


def draft_started_before_the_rule(period, qa_lead):
    """A draft for a period that has not ended, as one started before such drafts were refused
    (start_report no longer makes them)."""
    return QuarterlyReport.objects.create(
        period_start=period.start,
        period_end=period.end,
        quarter=period.quarter,
        label=period.label,
        version=1,
        working_well="Plans are SMART.",
        needs_to_improve="Chronologies.",
        created_by=qa_lead,
    )


def test_a_report_for_a_quarter_that_has_not_ended_cannot_be_started(qa_lead):
    with pytest.raises(publishing.ReportRefused, match="has not ended yet"):
        publishing.start_report(this_quarter(), qa_lead)
    assert not QuarterlyReport.objects.exists()


def test_a_period_ending_today_has_not_ended(qa_lead):
    today = timezone.localdate()
    assert not publishing.has_ended(today, today)
    assert publishing.has_ended(today - datetime.timedelta(days=1), today)
    with pytest.raises(publishing.ReportRefused, match="has not ended yet"):
        publishing.start_report(dates_period(today - datetime.timedelta(days=7), today), qa_lead)


def test_a_report_for_a_quarter_that_has_not_ended_cannot_be_published(qa_lead):
    quarter = this_quarter()
    draft = draft_started_before_the_rule(quarter, qa_lead)
    with pytest.raises(publishing.ReportRefused) as refusal:
        publishing.publish(draft, qa_lead)
    last_day = f"{quarter.end.day} {quarter.end:%B %Y}"
    assert str(refusal.value) == (
        f"{quarter.label} has not ended yet: its report can be published after {last_day}"
    )
    draft.refresh_from_db()
    assert (draft.status, draft.figures, draft.published_at) == (S.DRAFT, None, None)


@pytest.mark.parametrize(
    ("working_well", "needs_to_improve", "message"),
    [
        ("", "", "Write what is working well and what needs to improve before publishing"),
        ("Plans are SMART.", "  ", "Write what needs to improve before publishing"),
        ("", "Chronologies.", "Write what is working well before publishing"),
    ],
)
def test_a_report_is_not_published_until_what_works_and_what_needs_to_improve_are_written(
    qa_lead, working_well, needs_to_improve, message
):
    draft = publishing.save_narrative(
        publishing.start_report(Q3, qa_lead),
        working_well=working_well,
        needs_to_improve=needs_to_improve,
        key_themes="Voice of the child.",
        recommendations=["Train coordinators"],
        by=qa_lead,
    )
    with pytest.raises(publishing.ReportRefused, match=message):
        publishing.publish(draft, qa_lead)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert Recommendation.objects.count() == 0  # nothing half-done


def test_key_themes_and_recommendations_may_be_left_empty(qa_lead):
    draft = publishing.save_narrative(
        publishing.start_report(Q3, qa_lead),
        working_well="Plans are SMART.",
        needs_to_improve="Chronologies.",
        key_themes="",
        recommendations=[],
        by=qa_lead,
    )
    assert publishing.publish(draft, qa_lead).status == S.PUBLISHED


def test_a_published_report_cannot_be_edited(qa_lead):
    report = publishing.publish(written(publishing.start_report(Q3, qa_lead), qa_lead), qa_lead)
    with pytest.raises(publishing.ReportRefused, match="cannot be changed"):
        written(report, qa_lead)


def test_a_report_cannot_be_published_twice(qa_lead):
    report = written(publishing.start_report(Q3, qa_lead), qa_lead)
    publishing.publish(report, qa_lead)
    with pytest.raises(publishing.ReportRefused):
        publishing.publish(report, qa_lead)
    assert QuarterlyReport.objects.filter(status=S.PUBLISHED).count() == 1


@pytest.mark.parametrize("role", [r for r in Role if r != Role.QA_LEAD])
def test_only_the_qa_lead_changes_reports(qa_lead, role):
    someone = UserFactory(roles=(role,))
    report = written(publishing.start_report(Q3, qa_lead), qa_lead)
    with pytest.raises(publishing.ReportRefused, match="Only the QA lead"):
        publishing.start_report(Q3, someone)
    with pytest.raises(publishing.ReportRefused, match="Only the QA lead"):
        written(report, someone)
    with pytest.raises(publishing.ReportRefused, match="Only the QA lead"):
        publishing.publish(report, someone)
    published = publishing.publish(report, qa_lead)
    with pytest.raises(publishing.ReportRefused, match="Only the QA lead"):
        publishing.correct(published, "Wrong figures", someone)


# Corrections -------------------------------------------------------------------------------------


def test_a_correction_is_a_new_draft_version_with_the_reason_and_the_narrative(qa_lead):
    original = publishing.publish(written(publishing.start_report(Q3, qa_lead), qa_lead), qa_lead)
    correction = publishing.correct(original, "Two audits were entered late", qa_lead)
    assert (correction.status, correction.version) == (S.DRAFT, 2)
    assert correction.corrects == original
    assert correction.correction_reason == "Two audits were entered late"
    assert correction.working_well == original.working_well
    original.refresh_from_db()
    assert original.status == S.PUBLISHED  # until the correction is published


def test_publishing_a_correction_supersedes_the_old_version_which_stays_readable(qa_lead):
    completed(judged="Good")
    original = publishing.publish(written(publishing.start_report(Q3, qa_lead), qa_lead), qa_lead)
    completed(judged="Good")
    correction = publishing.publish(
        publishing.correct(original, "An audit was submitted late", qa_lead), qa_lead
    )
    original.refresh_from_db()
    assert original.status == S.SUPERSEDED
    assert correction.status == S.PUBLISHED
    assert good_count(publishing.document_for(original)) == 1
    corrected = publishing.document_for(correction)
    assert good_count(corrected) == 2
    assert (
        "correcting version 1: An audit was submitted late" in corrected.sections[0].paragraphs[0]
    )


def test_a_superseded_report_says_first_which_version_corrected_it_when_and_why(qa_lead):
    original = publishing.publish(written(publishing.start_report(Q3, qa_lead), qa_lead), qa_lead)
    assert "has been corrected" not in sentences(publishing.document_for(original))
    correction = publishing.publish(
        publishing.correct(original, "An audit was submitted late", qa_lead), qa_lead
    )
    original.refresh_from_db()
    first = publishing.document_for(original).sections[0]
    published_on = timezone.localdate(correction.published_at)
    assert first.key == "summary"
    assert first.paragraphs[0] == (
        f"This version has been corrected by version 2, published on {published_on.day} "
        f"{published_on:%B %Y}. Why it was corrected: An audit was submitted late"
    )
    # Said when read: what was stored on publishing is kept as it was.
    assert "has been corrected" not in str(original.figures)
    assert "has been corrected" not in sentences(publishing.document_for(correction))


def test_a_correction_does_not_track_an_unchanged_recommendation_a_second_time(qa_lead):
    original = publishing.publish(
        written(publishing.start_report(Q3, qa_lead), qa_lead, ["Keep", "Drop"]), qa_lead
    )
    correction = publishing.correct(original, "Wording", qa_lead)
    written(correction, qa_lead, ["Keep", "New one"])
    publishing.publish(correction, qa_lead)
    assert sorted(Recommendation.objects.values_list("text", flat=True)) == [
        "Drop",
        "Keep",
        "New one",
    ]


def test_a_correction_needs_a_reason_and_a_published_report(qa_lead):
    draft = written(publishing.start_report(Q3, qa_lead), qa_lead)
    with pytest.raises(publishing.ReportRefused, match="Only the published"):
        publishing.correct(draft, "Reason", qa_lead)
    published = publishing.publish(draft, qa_lead)
    with pytest.raises(publishing.ReportRefused, match="why"):
        publishing.correct(published, "  ", qa_lead)
    publishing.correct(published, "Reason", qa_lead)
    with pytest.raises(publishing.ReportRefused, match="already being written"):
        publishing.correct(published, "Again", qa_lead)


def test_partnership_viewers_are_offered_published_and_superseded_reports_only(qa_lead):
    original = publishing.publish(written(publishing.start_report(Q3, qa_lead), qa_lead), qa_lead)
    correction = publishing.publish(publishing.correct(original, "Fix", qa_lead), qa_lead)
    draft = publishing.start_report(dates_period(Q3.start, IN_Q3), qa_lead)
    viewer = UserFactory(roles=(Role.PARTNERSHIP_VIEWER,))
    assert set(publishing.reports_for(viewer)) == {original, correction}
    assert set(publishing.reports_for(qa_lead)) == {original, correction, draft}


def test_bullets_and_numbers_typed_before_recommendations_are_dropped():
    typed = "- Train staff\n\n* Review chronologies\n3. Audit step-downs\n2) Meet fathers\n"
    assert publishing.recommendation_lines(typed) == [
        "Train staff",
        "Review chronologies",
        "Audit step-downs",
        "Meet fathers",
    ]
    # A number that is part of the words stays.
    assert publishing.recommendation_lines("10 more audits a month") == ["10 more audits a month"]


# Which report made a recommendation --------------------------------------------------------------


def tracked(text):
    return Recommendation.objects.get(text=text)


def test_a_recommendation_names_the_report_versions_that_made_it(qa_lead):
    original = publishing.publish(
        written(publishing.start_report(Q3, qa_lead), qa_lead, ["Keep", "Drop"]), qa_lead
    )
    assert publishing.reports_of(tracked("Keep")) == ([original], None)
    correction = publishing.correct(original, "Wording", qa_lead)
    written(correction, qa_lead, ["Keep"])
    assert publishing.reports_of(tracked("Drop")) == ([original], None), "a draft changes nothing"
    publishing.publish(correction, qa_lead)
    original.refresh_from_db()
    assert publishing.reports_of(tracked("Keep")) == ([original, correction], None)
    assert publishing.reports_of(tracked("Drop")) == ([original], correction)


def test_a_recommendation_recorded_by_hand_names_no_report(qa_lead):
    by_hand = Recommendation.objects.create(
        made_on=timezone.localdate(), source="other", text="By hand", created_by=qa_lead
    )
    assert publishing.reports_of(by_hand) == ([], None)


def test_a_dropped_recommendations_page_says_which_version_dropped_it_and_why(qa_lead, client):
    original = publishing.publish(
        written(publishing.start_report(Q3, qa_lead), qa_lead, ["Keep", "Drop"]), qa_lead
    )
    correction = publishing.correct(original, "The second was already done", qa_lead)
    publishing.publish(written(correction, qa_lead, ["Keep"]), qa_lead)
    viewer = UserFactory(roles=(Role.PARTNERSHIP_VIEWER,))

    for reader in (qa_lead, viewer):
        client.force_login(reader)
        page = client.get(f"/recommendations/{tracked('Drop').pk}/").content.decode()
        assert "The current version of the report no longer makes this recommendation" in page
        assert f'href="/reports/{correction.pk}/">version 2 of the {Q3.label} report</a>' in page
        assert "Why the report was corrected: The second was already done" in page
        assert f'href="/reports/{original.pk}/">{Q3.label} report, version 1</a> (superseded)' in (
            page
        )
        kept = client.get(f"/recommendations/{tracked('Keep').pk}/").content.decode()
        assert "no longer makes this recommendation" not in kept
        assert f'href="/reports/{correction.pk}/">{Q3.label} report, version 2</a>' in kept
