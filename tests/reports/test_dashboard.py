"""The dashboard: the six questions answered with counts, denominators and intervals from known
data; narrowed to a district or type of lead agency with counts under 5 not shown; links only to
pages the viewer may open (never a case or an audit for a partnership viewer); who may see it;
the empty state; and a number of queries that does not grow with the data."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit, BottomLineCheck, StandardRating
from earlyhelp.learning import findings
from earlyhelp.learning.models import Action, AuditTheme, LearningTheme, Recommendation
from earlyhelp.reports import dashboard as dash
from earlyhelp.reports.statistics import Proportion
from earlyhelp.standards.models import RatingOption
from earlyhelp.voice import staff_survey

from ..audits.factories import AuditFactory
from ..cases.factories import EarlyHelpAssessmentFactory
from ..voice.factories import FeedbackInvitationFactory, FeedbackResponseFactory, QuoteFactory

pytestmark = pytest.mark.django_db

NOW = dash.latest_complete_quarter()
BEFORE = findings.previous_period(NOW)
DAY_NOW = NOW.start + datetime.timedelta(days=10)
DAY_BEFORE = BEFORE.start + datetime.timedelta(days=10)
URL = "/dashboard/"


# Helpers ----------------------------------------------------------------------------------------


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def district(name):
    return District.objects.get_or_create(name=name)[0]


def agency_type(name):
    return AgencyType.objects.get_or_create(name=name)[0]


def submitted(day, judged="Good", impact=None, place="Carlisle", led_by="School", **fields):
    eha = EarlyHelpAssessmentFactory(district=district(place), agency_type=agency_type(led_by))
    audit = AuditFactory(judged=judged, with_parts=True, assessment=eha, **fields)
    audit.submitted_at = moment(day)
    audit.impact_score = impact
    audit.save(update_fields=["submitted_at", "impact_score"])
    BottomLineCheck.objects.filter(audit=audit).update(evidenced=True)
    return audit


def rate(audit, ref_id, label):
    option = RatingOption.objects.get(version=audit.framework_version, label=label)
    StandardRating.objects.filter(audit=audit, standard__ref_id=ref_id).update(rating=option)


def card(board, number):
    return next(c for c in board.cards if c.number == number)


def value(board, number, starts):
    return next(line.value for line in card(board, number).lines if line.label.startswith(starts))


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def page_text(response):
    return " ".join(soup_of(response).get_text().split())


@pytest.fixture
def known_set():
    """Five audits this quarter (Carlisle, led by schools) and two the quarter before, with known
    judgements, impact scores and ratings; one in progress that must not count."""
    judged = ["Outstanding", "Good", "Good", "Requires Improvement", "Inadequate"]
    impacts = [9, 7, 5, 0, 0]
    audits = [submitted(DAY_NOW, judged=j, impact=i) for j, i in zip(judged, impacts, strict=True)]
    for audit, label in zip(
        audits, ["Met", "Met", "Met", "Not met", "Not applicable"], strict=True
    ):
        rate(audit, "S1.1", label)
        rate(audit, "S1.2", "Not met")
    BottomLineCheck.objects.filter(audit__in=audits[:3], bottom_line__ref_id="BL2").update(
        evidenced=False
    )
    earlier = [submitted(DAY_BEFORE, judged="Inadequate", impact=0) for _ in range(2)]
    for audit in earlier:
        rate(audit, "S1.1", "Not met")
    rate(submitted(DAY_NOW, status=Audit.Status.IN_PROGRESS), "S1.1", "Met")
    theme = LearningTheme.objects.get_or_create(name="Voice of the child")[0]
    for audit in [*audits[:1], *earlier]:
        AuditTheme.objects.create(audit=audit, theme=theme, tagged_by=audit.auditor)
    return audits


# The figures ------------------------------------------------------------------------------------


def test_the_six_questions_are_quoted_as_the_framework_words_them():
    assert dash.QUESTIONS[0] == (
        "What do we know about the quality of our services? How do we know it?"
    )
    assert dash.QUESTIONS[2] == "What do our staff tell us about working in this organisation"
    assert len(dash.QUESTIONS) == 6


def test_quality_counts_audits_good_or_better_and_compliance_of_the_quarter(known_set):
    board = dash.dashboard(NOW)
    f = board.audit_figures
    assert (f.audits, f.previous_audits) == (5, 2)
    assert (f.good_or_better, f.judged) == (3, 5)
    # S1.1: 3 Met, 1 Not met, 1 not applicable; S1.2: 5 Not met -> 3 Met of 9 applicable.
    assert (f.met, f.applicable) == (3, 9)
    assert (f.previous_met, f.previous_applicable) == (0, 2)
    assert value(board, 1, "Audits completed") == "5"
    assert value(board, 1, "Judged Good or better") == Proportion(3, 5).text
    assert value(board, 1, "Compliance") == Proportion(3, 9).text
    # S1.1 was rated in only 4 audits, so no standard is named as most or least met.
    assert not [line for line in card(board, 1).lines if line.label.startswith("Standard ")]
    assert any("too small to show a change" in s for s in card(board, 1).sentences)


def test_only_standards_rated_in_five_or_more_audits_are_named_most_least_or_well_met():
    audits = [submitted(DAY_NOW) for _ in range(6)]
    for index, audit in enumerate(audits):
        rate(audit, "S1.1", "Met" if index else "Not met")  # 5 of 6
        rate(audit, "S1.2", "Not met" if index else "Met")  # 1 of 6
        if index < 3:
            rate(audit, "S1.3", "Met")  # 3 of 3: too few to name
    board = dash.dashboard(NOW)
    assert value(board, 1, "Standard most met: S1.1") == Proportion(5, 6).text
    assert value(board, 1, "Standard least met: S1.2") == Proportion(1, 6).text
    well_met = [line.label for line in card(board, 5).lines if line.label.startswith("Well met")]
    assert len(well_met) == 1
    assert well_met[0].startswith("Well met: S1.1")


def test_compliance_agrees_with_the_findings_of_the_same_quarter(known_set):
    found = findings.findings(NOW)
    f = dash.audit_figures(NOW)
    assert f.audits == found.audit_count
    assert (f.met, f.applicable) == (
        sum(row.met for row in found.standards),
        sum(row.applicable for row in found.standards),
    )
    by_ref = {s.ref_id: (s.met, s.applicable) for s in f.standards}
    assert by_ref == {r.ref_id: (r.met, r.applicable) for r in found.standards if r.applicable}


def test_better_off_is_the_share_of_audits_scoring_some_impact_and_their_median(known_set):
    board = dash.dashboard(NOW)
    assert board.audit_figures.impact_improved == Proportion(3, 5)
    assert board.audit_figures.impact_median == 5
    assert value(board, 2, "Audits scoring some impact") == Proportion(3, 5).text
    assert value(board, 2, "Median impact score") == "5"
    rows = dict(card(board, 2).table["rows"])
    assert (rows["0"], rows["5"], rows["9"], rows["10"]) == ("2", "1", "1", "0")


def test_improve_lists_the_least_met_standards_bottom_lines_and_open_actions(known_set, make_user):
    owner = make_user(Role.QA_LEAD)
    today = timezone.localdate()
    for status, due in [
        (Action.Status.OPEN, today - datetime.timedelta(days=1)),
        (Action.Status.IN_PROGRESS, today + datetime.timedelta(days=9)),
        (Action.Status.DONE, today - datetime.timedelta(days=9)),
    ]:
        Action.objects.create(
            title="Act",
            action_type=Action.Type.TRAINING,
            owner=owner,
            created_by=owner,
            due_date=due,
            status=status,
        )
    Recommendation.objects.create(
        made_on=today, source=Recommendation.Source.OTHER, text="Do it", created_by=owner
    )
    board = dash.dashboard(NOW)
    improve = card(board, 6)
    assert improve.lines[0].label.startswith("Least met: S1.2")
    assert value(board, 6, "Bottom line not evidenced: BL2") == Proportion(3, 5).labelled("audits")
    assert value(board, 6, "Actions open") == "2"
    assert value(board, 6, "Actions overdue") == "1"
    assert value(board, 6, "Recommendations open") == "1"
    assert (
        value(board, 6, "Learning theme: Voice of the child")
        == "audits tagged: 1 this period, 2 the period before"
    )


def test_doing_well_lists_the_best_met_standards_and_themes_found_less_often(known_set):
    board = dash.dashboard(NOW)
    # S1.1 (3 of 4) was rated too rarely to name; S1.2 (0 of 5) is not well met.
    assert not [line for line in card(board, 5).lines if line.label.startswith("Well met")]
    assert value(board, 5, "Learning theme found less often: Voice") == (
        "audits tagged: 1 this period, 2 the period before"
    )
    assert value(board, 5, "You said, we did") == "0"


def test_staff_survey_headline_is_shown_from_five_responses_and_not_narrowed(make_user):
    lead = make_user(Role.QA_LEAD)
    survey = staff_survey.open_round(
        "Autumn survey", NOW.start, NOW.end, [], [], by=lead, today=NOW.start
    )
    answers = {"workload": "Agree", "supervision": "Disagree", "recommend": "8"}
    from earlyhelp.voice.models import StaffSurveyResponse

    def add(n, given):
        for _ in range(n):
            StaffSurveyResponse.objects.create(
                round=survey, version=survey.version, answers=given, submitted_on=NOW.start
            )

    add(4, answers)
    board = dash.dashboard(NOW)
    assert value(board, 3, "Responses") == dash.SUPPRESSED
    add(1, {**answers, "workload": "Strongly disagree", "recommend": "6"})
    board = dash.dashboard(NOW)
    assert value(board, 3, "Responses") == "5"
    survey.staff_asked = 25
    survey.save()
    board = dash.dashboard(NOW)
    assert value(board, 3, "Responses") == Proportion(5, 25).labelled("staff asked answered")
    assert value(board, 3, "Agree: My workload") == Proportion(4, 5).text
    assert value(board, 3, "Median score") == "8"
    assert dash.NOT_NARROWED in card(board, 3).lines[0].note


def test_family_feedback_gives_the_response_rate_answers_and_only_publishable_quotes():
    sent = DAY_NOW
    for n in range(6):
        invitation = FeedbackInvitationFactory(sent_at=moment(sent))
        answers = {"listened-to": "Strongly agree" if n < 4 else "Disagree"}
        FeedbackResponseFactory(invitation=invitation, answers=answers)
    FeedbackInvitationFactory.create_batch(2, sent_at=moment(sent))
    response = invitation.response
    QuoteFactory(response=response, moderated_text="They listened to us.")
    QuoteFactory(
        response=response,
        question_id="what-could-be-better",
        moderated_text="Not for publishing",
        publishable=False,
    )
    board = dash.dashboard(NOW)
    assert value(board, 4, "Family feedback") == Proportion(6, 8).text
    assert value(board, 4, "Agree: The people helping us listened") == Proportion(4, 6).text
    assert card(board, 4).quotes == ["They listened to us."]


def test_fewer_than_five_family_responses_are_not_shown():
    for _ in range(3):
        FeedbackResponseFactory(invitation=FeedbackInvitationFactory(sent_at=moment(DAY_NOW)))
    board = dash.dashboard(NOW)
    assert value(board, 4, "Family feedback") == dash.SUPPRESSED


# Filters and small numbers ----------------------------------------------------------------------


def test_a_district_narrows_the_audit_figures_and_hides_counts_under_five(known_set):
    for _ in range(6):
        rate(submitted(DAY_NOW, judged="Good", impact=8, place="Eden"), "S1.1", "Met")
    eden = dash.dashboard(NOW, district=district("Eden"))
    assert eden.audit_figures.audits == 6
    assert value(eden, 1, "Judged Good or better") == Proportion(6, 6).text
    carlisle = dash.dashboard(NOW, district=district("Carlisle"))
    assert carlisle.audit_figures.audits == 5
    # 2 audits the quarter before in Carlisle: under 5, so not shown, nor the change.
    assert value(carlisle, 1, "Audits completed in the previous") == dash.SUPPRESSED
    assert value(carlisle, 1, "Judged Good or better") == dash.SUPPRESSED  # 3 of 5
    assert not any("2 before" in s or "of 2" in s for s in card(carlisle, 1).sentences)
    everywhere = dash.dashboard(NOW)
    assert value(everywhere, 1, "Audits completed in the previous") == "2"


def test_a_type_of_lead_agency_narrows_the_audit_figures(known_set):
    for _ in range(5):
        submitted(DAY_NOW, judged="Inadequate", impact=0, led_by="Health")
    health = dash.dashboard(NOW, agency_type=agency_type("Health"))
    assert (health.audit_figures.audits, health.audit_figures.good_or_better) == (5, 0)
    assert value(health, 1, "Judged Good or better") == Proportion(0, 5).text


def test_a_district_narrows_compliance_in_the_period_before_as_well(known_set):
    for day, label in [(DAY_BEFORE, "Met"), (DAY_NOW, "Not met")]:
        for _ in range(5):
            rate(submitted(day, place="Eden"), "S1.1", label)
    eden = dash.dashboard(NOW, district=district("Eden")).audit_figures
    assert (eden.previous_met, eden.previous_applicable) == (5, 5)
    assert (eden.met, eden.applicable) == (0, 5)
    carlisle = dash.dashboard(NOW, district=district("Carlisle")).audit_figures
    assert (carlisle.previous_met, carlisle.previous_applicable) == (0, 2)
    assert (carlisle.met, carlisle.applicable) == (3, 9)


def test_narrowed_figures_are_the_findings_narrowed_the_same_way(known_set):
    for _ in range(5):
        rate(submitted(DAY_NOW, place="Eden", led_by="Health"), "S1.2", "Met")
    eden, health = district("Eden"), agency_type("Health")
    for narrowing in (
        {"district": eden},
        {"agency_type": health},
        {"district": eden, "agency_type": health},
    ):
        f = dash.audit_figures(NOW, **narrowing)
        found = findings.findings(NOW, **narrowing)
        assert (
            (f.audits, f.previous_audits)
            == (5, 0)
            == (
                found.audit_count,
                found.previous_audit_count,
            )
        )
        assert [(s.ref_id, s.met, s.applicable) for s in f.standards] == [("S1.2", 5, 5)]


def test_the_page_filters_by_district_and_says_what_is_not_filtered(client_for, known_set):
    eden = district("Eden")
    for _ in range(5):
        submitted(DAY_NOW, judged="Good", place="Eden")
    response = client_for(Role.QA_LEAD).get(URL, {"quarter": NOW.quarter, "district": eden.pk})
    assert response.status_code == 200
    text = page_text(response)
    assert "Audits completed 5" in text
    assert "not filtered by district or agency type" in text
    assert "the district Eden" in text


def test_an_unknown_district_is_an_error_not_a_figure(client_for):
    response = client_for(Role.QA_LEAD).get(URL, {"district": "999999"})
    assert response.status_code == 200
    assert "Select a district from the list" in page_text(response)
    assert soup_of(response).find(id="question-1") is None


# Links and access -------------------------------------------------------------------------------


def test_a_partnership_viewer_gets_no_link_to_a_case_an_audit_or_a_list_of_audits(
    client_for, known_set
):
    response = client_for(Role.PARTNERSHIP_VIEWER).get(URL)
    assert response.status_code == 200
    hrefs = [a["href"] for a in soup_of(response).find_all("a", href=True)]
    assert not [h for h in hrefs if "/cases/" in h or "/audits/" in h or "/samples/" in h]
    assert "/learning/?quarter=" + NOW.quarter in hrefs
    assert "/recommendations/" in hrefs
    assert "/actions/" not in hrefs  # the actions pages are the team's
    text = page_text(response)
    for audit in known_set:
        assert audit.assessment.reference not in text
        assert audit.assessment.family.reference not in text
        assert audit.auditor.full_name not in text


def test_the_qa_lead_is_offered_the_teams_evidence_pages(client_for, known_set):
    response = client_for(Role.QA_LEAD).get(URL)
    hrefs = [a["href"] for a in soup_of(response).find_all("a", href=True)]
    assert "/actions/" in hrefs
    assert "/samples/" in hrefs


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.COORDINATOR, Role.DATA_OFFICER, Role.LINE_MANAGER]
)
def test_other_roles_are_refused_the_dashboard(client_for, role):
    assert client_for(role).get(URL).status_code == 403


def test_the_address_is_named_dashboard():
    assert reverse("dashboard") == URL


def test_a_fresh_database_says_plainly_there_is_nothing_yet(client_for):
    response = client_for(Role.PARTNERSHIP_VIEWER).get(URL)
    assert response.status_code == 200
    assert "No audits have been submitted yet" in page_text(response)
    assert soup_of(response).find(id="question-1") is None


def test_the_default_period_is_the_latest_complete_quarter(client_for, known_set):
    response = client_for(Role.QA_LEAD).get(URL)
    assert soup_of(response).find(id="period").get_text() == NOW.label


# Queries ----------------------------------------------------------------------------------------


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"quarter": NOW.quarter}).status_code == 200
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client_for):
    client = client_for(Role.QA_LEAD)
    submitted(DAY_NOW, impact=5)
    few = _queries(client)
    for n in range(12):
        audit = submitted(DAY_NOW if n % 2 else DAY_BEFORE, impact=n % 11, place=f"D{n % 3}")
        rate(audit, "S1.1", "Met")
        FeedbackResponseFactory(invitation=FeedbackInvitationFactory(sent_at=moment(DAY_NOW)))
    assert _queries(client) == few


def test_the_figures_take_a_fixed_number_of_queries(django_assert_num_queries, known_set):
    dash.dashboard(NOW)  # warm the content types and questionnaire caches, if any
    with CaptureQueriesContext(connection) as first:
        dash.dashboard(NOW)
    for _ in range(6):
        submitted(DAY_NOW, impact=3)
    with django_assert_num_queries(len(first.captured_queries)):
        dash.dashboard(NOW)


def test_the_impact_chart_has_a_text_alternative_and_its_numbers_in_the_table_after_it(
    client_for, known_set
):
    soup = soup_of(client_for(Role.QA_LEAD).get(URL))
    figure = soup.find(id="question-2").find("figure")
    assert "score 0: 2; score 1: 0" in figure.get_text()
    assert figure.find_next_sibling("table")["id"] == "question-2-table"


def test_no_chart_is_drawn_when_narrowed_as_a_bar_could_show_a_hidden_count(known_set):
    board = dash.dashboard(NOW, district=district("Carlisle"))
    assert card(board, 2).table is not None
    assert card(board, 2).chart is None


def test_the_published_reports_are_offered_to_partnership_viewers(client_for, known_set):
    hrefs = [
        a["href"]
        for a in soup_of(client_for(Role.PARTNERSHIP_VIEWER).get(URL)).find_all("a", href=True)
    ]
    assert reverse("report-list") in hrefs


def test_an_audit_counts_in_the_quarter_of_its_local_day_as_the_findings_count_it():
    first = submitted(NOW.start)
    last = submitted(NOW.end)
    first.submitted_at = timezone.make_aware(
        datetime.datetime.combine(NOW.start, datetime.time(0, 5))
    )
    last.submitted_at = timezone.make_aware(
        datetime.datetime.combine(NOW.end, datetime.time(23, 55))
    )
    for audit in (first, last):
        audit.save(update_fields=["submitted_at"])
    submitted(NOW.end + datetime.timedelta(days=1))  # the next quarter
    f = dash.audit_figures(NOW)
    assert f.audits == 2 == findings.findings(NOW).audit_count
