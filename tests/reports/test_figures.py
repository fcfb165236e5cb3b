"""The quarterly report's figures: each section counts what the framework asks, every proportion
carries its count, denominator and Wilson interval, small groups are suppressed, no child-level
data reaches the document, and the number of queries does not grow with the data."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit, BottomLineCheck, Escalation, StandardRating
from earlyhelp.learning.models import Action, AuditTheme, LearningTheme
from earlyhelp.reports import dashboard
from earlyhelp.reports.document import Document
from earlyhelp.reports.figures import SECTION_KEYS, build_report
from earlyhelp.reports.figures_voice import family_feedback_section
from earlyhelp.reports.statistics import Proportion
from earlyhelp.sampling.models import DriftContact, DriftNotice
from earlyhelp.standards.models import RatingOption
from earlyhelp.voice.models import StaffSurveyResponse, StaffSurveyRound
from earlyhelp.voice.questionnaires import current_version
from earlyhelp.voice.results import dates_period, parse_quarter

from ..audits.factories import AuditFactory
from ..factories import UserFactory
from ..voice.factories import FeedbackInvitationFactory, FeedbackResponseFactory, QuoteFactory

pytestmark = pytest.mark.django_db

Q3 = parse_quarter("2026-Q3")
IN_Q3 = datetime.date(2026, 8, 10)
IN_Q2 = datetime.date(2026, 5, 12)
TODAY = datetime.date(2026, 11, 2)

TABLE_KEYS = [
    "audits-by-type",
    "judgements",
    "impact-distribution",
    "compliance-by-standard",
    "compliance-by-section",
    "bottom-lines",
    "by-district",
    "by-agency-type",
    "trend",
    "escalations",
    "drift",
    "family-feedback",
    "staff-survey",
    "actions",
    "themes",
]


# Helpers (other report tests use them too) ------------------------------------------------------


def moment(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def completed(day=IN_Q3, judged="Good", impact=None, district="Carlisle", agency_type=None, **kw):
    """A submitted audit with every rating row and bottom line check (all evidenced)."""
    audit = AuditFactory(judged=judged, with_parts=True, impact_score=impact, **kw)
    audit.submitted_at = moment(day)
    audit.due_date = day
    audit.save(update_fields=["submitted_at", "due_date"])
    assessment = audit.assessment
    assessment.district = District.objects.get_or_create(name=district)[0]
    if agency_type:
        assessment.agency_type = AgencyType.objects.get_or_create(name=agency_type)[0]
    assessment.save(update_fields=["district", "agency_type"])
    BottomLineCheck.objects.filter(audit=audit).update(evidenced=True)
    return audit


def rate(audit, ref_id, label):
    option = RatingOption.objects.get(version=audit.framework_version, label=label)
    StandardRating.objects.filter(audit=audit, standard__ref_id=ref_id).update(rating=option)


def table(document, key):
    found = [t for t in document.all_tables() if t.key == key]
    assert len(found) == 1, key
    return found[0]


def row(table_, label):
    return next(r for r in table_.rows if r[0] == label)


def build(period=Q3):
    return build_report(period, today=TODAY)


def a_quarter_of_data(n, theme=None):
    """n audits of every kind of data the report reads, in 2026-Q3: judged, rated, scaled,
    tagged, escalated; drift, actions, family feedback and a staff survey round."""
    qa_lead = UserFactory(roles=(Role.QA_LEAD,))
    theme = theme or LearningTheme.objects.get_or_create(name="Voice of the child")[0]
    for index in range(n):
        audit = completed(
            judged=["Good", "Outstanding", "Requires Improvement", "Inadequate"][index % 4],
            impact=index % 11,
            district=["Carlisle", "Eden"][index % 2],
            agency_type=["School", "Health"][index % 2],
        )
        rate(audit, "S1.1", ["Met", "Not met"][index % 2])
        AuditTheme.objects.create(audit=audit, theme=theme, tagged_by=qa_lead)
        escalation = Escalation.objects.create(
            audit=audit,
            inadequate=True,
            unresolved_safeguarding=False,
            told_how=Escalation.ToldHow.NONE,
            created_by=qa_lead,
        )
        Escalation.objects.filter(pk=escalation.pk).update(
            created_at=moment(IN_Q3), acknowledged_at=moment(IN_Q3 + datetime.timedelta(days=3))
        )
        DriftNotice.objects.create(assessment=audit.assessment, rule="no_review", first_seen=IN_Q3)
        DriftContact.objects.create(
            assessment=audit.assessment, contacted_on=IN_Q3, outcome="Spoke", recorded_by=qa_lead
        )
        Action.objects.create(
            title=f"Action {index}",
            action_type=Action.Type.TRAINING,
            owner=qa_lead,
            created_by=qa_lead,
            due_date=IN_Q3,
            created_at=moment(IN_Q3 - datetime.timedelta(days=5)),
        )
        response = FeedbackResponseFactory(
            invitation=FeedbackInvitationFactory(),
            answers={"listened-to": ["Agree", "Disagree"][index % 2], "difference-score": "7"},
        )
        QuoteFactory(response=response, moderated_text=f"Quote number {index}")
    survey_round = StaffSurveyRound.objects.create(
        name="Summer staff survey",
        version=current_version("staff_survey", on=IN_Q3),
        opens_on=IN_Q3 - datetime.timedelta(days=14),
        closes_on=IN_Q3,
        link_code=f"code-{n}",
        created_by=qa_lead,
    )
    StaffSurveyResponse.objects.bulk_create(
        StaffSurveyResponse(
            round=survey_round,
            version=survey_round.version,
            answers={"workload": "Agree", "recommend": "8"},
            submitted_on=IN_Q3,
        )
        for _ in range(n)
    )


# Shape -------------------------------------------------------------------------------------------


def test_the_report_has_every_section_and_table_in_the_agreed_order():
    document = build()
    assert [s.key for s in document.sections] == SECTION_KEYS
    assert [t.key for t in document.all_tables()] == TABLE_KEYS
    assert document.period_label == Q3.label
    assert document.generated_on == "2026-11-02"


def test_every_chart_names_a_table_in_the_report_and_describes_itself_in_words():
    a_quarter_of_data(6)
    document = build()
    keys = {t.key for t in document.all_tables()}
    charts = [c for s in document.sections for c in s.charts]
    assert {c.table_key for c in charts} >= {"trend", "judgements", "compliance-by-standard"}
    for chart in charts:
        assert chart.table_key in keys
        assert len(chart.description) > 20


def test_the_document_survives_its_json_round_trip():
    a_quarter_of_data(6)
    document = build()
    stored = json.loads(json.dumps(document.to_dict()))
    assert Document.from_dict(stored) == document


# Audits and judgements ---------------------------------------------------------------------------


def test_audits_are_planned_by_the_day_they_are_due_and_completed_by_the_day_submitted():
    completed(audit_type=Audit.Type.THEMED)
    completed(audit_type=Audit.Type.THEMED, day=IN_Q2)
    AuditFactory(audit_type=Audit.Type.DRIFT, due_date=IN_Q3)  # planned, not done
    audits = table(build(), "audits-by-type")
    assert row(audits, "Themed")[1:] == [1, 1]
    assert row(audits, "Drift-triggered")[1:] == [1, 0]
    assert row(audits, "All audits")[1:] == [2, 1]


def test_the_judgement_mix_shows_each_grade_with_count_denominator_and_interval():
    for judged in ["Good"] * 5 + ["Outstanding", "Requires Improvement", "Inadequate"]:
        completed(judged=judged)
    completed(judged="Good", day=IN_Q2)  # the quarter before: not counted
    judgements = table(build(), "judgements")
    good = row(judgements, "Good")
    assert good[1:3] == [5, 8]
    assert good[-1] == Proportion(5, 8).text
    assert row(judgements, "Good or better")[1:] == [6, 8, 75, 41, 93, "6 of 8: 75%, 41%\u201393%"]
    assert all(isinstance(cell, int) for cell in good[1:6])


def test_a_change_between_small_samples_is_not_called_a_change():
    completed(judged="Good")
    completed(judged="Inadequate", day=IN_Q2)
    paragraphs = " ".join(build().section("judgements").paragraphs)
    assert "too small to show a change" in paragraphs


def test_the_impact_scale_has_its_mean_median_and_distribution():
    for score in (2, 7, 7, 9):
        completed(impact=score)
    document = build()
    impact = table(document, "impact-distribution")
    assert row(impact, "7")[1:3] == [2, 4]
    assert row(impact, "0")[1] == 0
    assert "mean 6.2, median 7" in document.section("impact").paragraphs[0]


# Compliance --------------------------------------------------------------------------------------


def test_compliance_per_standard_is_met_of_the_applicable_ratings_with_its_interval():
    audits = [completed() for _ in range(4)]
    for audit, label in zip(audits, ["Met", "Met", "Partly met", "Not applicable"], strict=True):
        rate(audit, "S1.1", label)
    document = build()
    s11 = row(table(document, "compliance-by-standard"), "S1.1")
    assert s11[2:] == [2, 3, 67, 21, 94, Proportion(2, 3).text]
    assert s11[1].startswith("The assessment is holistic")
    section = row(table(document, "compliance-by-section"), "S1")
    assert section[2:4] == [2, 3]


def test_bottom_lines_show_the_audits_that_missed_each_of_those_checked():
    audits = [completed() for _ in range(3)]
    BottomLineCheck.objects.filter(audit=audits[0], bottom_line__ref_id="BL2").update(
        evidenced=False
    )
    bl2 = row(table(build(), "bottom-lines"), "BL2")
    assert bl2[2:4] == [1, 3]


# Districts and agency types ----------------------------------------------------------------------


def test_districts_under_five_audits_are_merged_or_hidden_with_a_note():
    for _ in range(6):
        completed(district="Carlisle")
    for _ in range(3):
        completed(district="Eden", judged="Inadequate")
    by_district = table(build(), "by-district")
    labels = [r[0] for r in by_district.rows]
    # Eden alone (3) would be hidden, and then Carlisle could be worked out from the total.
    assert "Eden" not in labels
    assert "Carlisle" not in labels
    assert any("not shown" in note for note in by_district.notes)


def test_districts_with_five_or_more_audits_show_good_or_better_with_its_interval():
    for _ in range(5):
        completed(district="Carlisle")
    for _ in range(3):
        completed(district="Eden", judged="Inadequate")
    for _ in range(2):
        completed(district="Allerdale", judged="Inadequate")
    by_district = table(build(), "by-district")
    assert row(by_district, "Carlisle")[1:4] == [5, 5, 5]
    assert row(by_district, "Other groups")[1:4] == [5, 0, 5]
    assert any(("Allerdale, Eden" in note) for note in by_district.notes)


def test_a_good_or_better_count_under_five_in_a_shown_district_is_not_shown():
    for judged in ["Good", "Good", "Good", "Good", "Inadequate"]:
        completed(district="Eden", judged=judged)
    for _ in range(5):
        completed(district="Carlisle", judged="Inadequate")
    by_district = table(build(), "by-district")
    eden = row(by_district, "Eden")
    assert eden[1] == 5
    assert eden[2] == "fewer than 5 \u2013 not shown"
    assert eden[4:7] == [None, None, None]
    assert row(by_district, "Carlisle")[1:4] == [5, 0, 5]
    assert any("were Good or better, that number" in note for note in by_district.notes)


# Trend -------------------------------------------------------------------------------------------


def test_the_trend_has_eight_quarters_ending_with_the_period_and_a_line_chart():
    completed(judged="Good", day=IN_Q2)
    completed(judged="Inadequate", day=IN_Q2)
    document = build()
    trend = table(document, "trend")
    assert [r[0] for r in trend.rows] == [
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    assert row(trend, "2026-Q2")[1:] == [2, 1, 2, *[50, 9, 91], Proportion(1, 2).text]
    chart = document.section("trend").charts[0]
    assert (chart.kind, chart.table_key, chart.percent) == ("line", "trend", True)


# Escalations, drift, voice, actions --------------------------------------------------------------


def test_escalations_count_those_raised_and_the_median_working_days_to_acknowledgement():
    a_quarter_of_data(2)
    escalations = table(build(), "escalations")
    assert row(escalations, "Escalations raised")[1] == 2
    # Monday 10 August to Thursday 13 August: 3 working days, 3 calendar days.
    assert row(escalations, "Median working days to acknowledgement")[1] == 3
    assert row(escalations, "Median calendar days to acknowledgement")[1] == 3


def test_drift_counts_items_found_contacts_made_and_audits_triggered():
    a_quarter_of_data(2)
    drift_audit = AuditFactory(audit_type=Audit.Type.DRIFT)
    Audit.objects.filter(pk=drift_audit.pk).update(created_at=moment(IN_Q3))
    drift = table(build(), "drift")
    assert [r[1] for r in drift.rows] == [2, 2, 1]


def test_family_feedback_shows_the_response_rate_and_a_few_moderated_quotes():
    a_quarter_of_data(5)
    FeedbackInvitationFactory()  # sent, not answered
    document = build()
    feedback = table(document, "family-feedback")
    assert row(feedback, "Invitations answered")[1:3] == [5, 6]
    assert row(feedback, "Invitations answered")[-1] == Proportion(5, 6).text
    assert row(feedback, "Publishable quotes")[1] == 5
    listened = row(
        feedback,
        "The people helping us listened to what we had to say \u2013 Agree or strongly agree",
    )
    assert listened[1:3] == [3, 5]
    difference = next(r for r in feedback.rows if r[0].startswith("How much difference"))
    assert difference[-1] == "mean 7, median 7 (5 answers)"
    text = " ".join(document.section("family-feedback").paragraphs)
    assert "Quote number 0" in text
    assert "Quote number 3" not in text


def test_family_feedback_from_fewer_than_five_families_is_not_shown():
    a_quarter_of_data(3)
    document = build()
    feedback = table(document, "family-feedback")
    assert [r[0] for r in feedback.rows] == ["Invitations sent"]
    assert feedback.notes
    assert "Quote number" not in " ".join(document.section("family-feedback").paragraphs)


def _families_answered(count, unanswered=2):
    """`count` families answered (the first four agreeing they were listened to, one quote
    each, the odd ones publishable), `unanswered` more were asked."""
    for index in range(count):
        answers = {"listened-to": "Agree" if index < 4 else "Disagree"}
        response = FeedbackResponseFactory(invitation=FeedbackInvitationFactory(), answers=answers)
        QuoteFactory(
            response=response, moderated_text=f"Quote number {index}", publishable=index % 2 == 1
        )
    FeedbackInvitationFactory.create_batch(unanswered)


LISTENED = "The people helping us listened to what we had to say"


def _dashboard_line(board, starts):
    families = next(card for card in board.cards if card.number == 4)
    return next(line.value for line in families.lines if line.label.startswith(starts))


def test_family_feedback_in_the_report_and_on_the_dashboard_agree_on_the_same_data():
    _families_answered(7)
    report = family_feedback_section(Q3)
    board = dashboard.dashboard(Q3, today=TODAY)
    feedback = report.tables[0]
    assert row(feedback, "Invitations answered")[1:3] == [7, 9]
    answered = row(feedback, "Invitations answered")[-1]
    assert answered == _dashboard_line(board, "Family feedback") == Proportion(7, 9).text
    listened = row(feedback, f"{LISTENED} \u2013 Agree or strongly agree")
    assert listened[1:3] == [4, 7]
    assert listened[-1] == _dashboard_line(board, f"Agree: {LISTENED}")
    assert row(feedback, "Publishable quotes")[1] == 3
    shown = next(card for card in board.cards if card.number == 4).quotes
    assert shown == ["Quote number 1", "Quote number 3"]
    assert all(f"\u201c{quote}\u201d" in " ".join(report.paragraphs) for quote in shown)


def test_family_feedback_under_five_answers_is_hidden_in_the_report_and_on_the_dashboard():
    _families_answered(4)
    report = family_feedback_section(Q3)
    board = dashboard.dashboard(Q3, today=TODAY)
    assert [r[0] for r in report.tables[0].rows] == ["Invitations sent"]
    assert _dashboard_line(board, "Family feedback") == dashboard.SUPPRESSED
    assert not any(line.label.startswith("Agree:") for line in board.cards[3].lines)
    assert "Quote number" not in " ".join(report.paragraphs)
    assert board.cards[3].quotes == []


def test_the_staff_survey_shows_headline_answers_of_rounds_that_closed_in_the_period():
    a_quarter_of_data(5)
    survey = table(build(), "staff-survey")
    assert survey.rows[0][:4] == ["Summer staff survey", "Responses", "", 5]
    workload = next(r for r in survey.rows if r[1].startswith("My workload"))
    assert workload[3:5] == [5, 5]
    recommend = next(r for r in survey.rows if r[1].startswith("How likely"))
    assert "mean 8" in recommend[-1]


def test_the_staff_survey_gives_the_response_rate_where_the_staff_asked_are_recorded():
    a_quarter_of_data(5)
    StaffSurveyRound.objects.update(staff_asked=20)
    document = build()
    survey = table(document, "staff-survey")
    rate = Proportion(5, 20)
    assert survey.rows[0] == [
        "Summer staff survey",
        "Responses",
        "Response rate, of the staff asked",
        5,
        20,
        25,
        rate.low,
        rate.high,
        rate.text,
    ]
    section = next(s for s in document.sections if s.key == "staff-survey")
    assert f"Summer staff survey: {rate.labelled('staff asked answered')}." in section.paragraphs


def test_a_staff_survey_round_with_fewer_than_five_responses_is_not_shown():
    a_quarter_of_data(4)
    survey = table(build(), "staff-survey")
    assert survey.rows == []
    assert "fewer than 5" in survey.notes[0]


def test_actions_opened_done_and_overdue_and_themes_with_their_change():
    a_quarter_of_data(3)
    Action.objects.filter(title="Action 0").update(
        status=Action.Status.DONE, completed_at=moment(IN_Q3)
    )
    document = build()
    actions = table(document, "actions")
    assert [r[1] for r in actions.rows] == [3, 1, 2]
    themes = table(document, "themes")
    assert themes.rows == [["Voice of the child", 3, 0, 3]]


# Privacy and performance -------------------------------------------------------------------------


def test_no_child_level_data_reaches_the_document():
    a_quarter_of_data(6)
    text = json.dumps(build().to_dict())
    for audit in Audit.objects.select_related("assessment__family", "auditor"):
        assert audit.assessment.reference not in text
        assert audit.assessment.family.reference not in text
        assert audit.auditor.get_full_name() not in text or not audit.auditor.get_full_name()
        assert f"/audits/{audit.pk}/" not in text


def test_a_custom_period_is_reported_with_its_own_label():
    completed(day=datetime.date(2026, 3, 5))
    period = dates_period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 10))
    document = build(period)
    assert document.period_label == "1 March 2026 to 10 March 2026"
    assert row(table(document, "judgements"), "Good")[1] == 1
    assert document.section("summary").paragraphs[0] == (
        "1 audit was completed from 1 March 2026 to 10 March 2026; 0 were completed from "
        "19 February 2026 to 28 February 2026."
    )


def count_queries(period=Q3):
    with CaptureQueriesContext(connection) as context:
        build(period)
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data():
    a_quarter_of_data(2)
    few = count_queries()
    a_quarter_of_data(8, theme=LearningTheme.objects.create(name="Planning"))
    assert count_queries() == few


def test_audits_count_in_the_period_by_the_local_day_they_were_submitted_at_either_edge():
    first, last = Q3.start, Q3.end
    for day, hour in ((first, 0), (last, 23)):
        audit = completed()
        Audit.objects.filter(pk=audit.pk).update(submitted_at=moment(day, hour))
    outside = completed()
    after = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0))
    Audit.objects.filter(pk=outside.pk).update(submitted_at=timezone.make_aware(after))
    assert row(table(build(), "audits-by-type"), "All audits")[2] == 2
