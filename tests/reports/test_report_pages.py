"""The quarterly report's pages: the QA lead starts, writes, publishes and corrects a report;
partnership viewers read published (and superseded) reports and never a draft; everyone else is
refused; bad dates get GOV.UK error messages; changes are made by POST only."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.learning.models import Recommendation
from earlyhelp.reports import publishing
from earlyhelp.reports.models import QuarterlyReport
from earlyhelp.voice.results import dates_period, quarter_containing

from ..factories import UserFactory
from .test_figures import IN_Q3, Q3, a_quarter_of_data, completed

pytestmark = pytest.mark.django_db

S = QuarterlyReport.Status
READERS = {Role.QA_LEAD, Role.PARTNERSHIP_VIEWER}
REFUSED_ROLES = [role for role in Role if role not in READERS]


@pytest.fixture
def qa_lead():
    return UserFactory(roles=(Role.QA_LEAD,), full_name="Quinn Lead")


@pytest.fixture
def draft(qa_lead):
    return publishing.start_report(Q3, qa_lead)


def with_narrative(report, qa_lead, recommendations=()):
    return publishing.save_narrative(
        report,
        working_well="Plans are clear.",
        needs_to_improve="Chronologies.",
        key_themes="",
        recommendations=list(recommendations),
        by=qa_lead,
    )


@pytest.fixture
def published(qa_lead):
    completed(judged="Good")
    report = publishing.start_report(Q3, qa_lead)
    publishing.save_narrative(
        report,
        working_well="Plans are clear.",
        needs_to_improve="Chronologies.",
        key_themes="Voice of the child.",
        recommendations=["Refresh chronology training"],
        by=qa_lead,
    )
    return publishing.publish(report, qa_lead)


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def url(name, report=None):
    return reverse(name, args=[report.pk] if report else [])


def signed_in(client, user):
    client.force_login(user)
    return client


# The list ----------------------------------------------------------------------------------------


def test_the_qa_lead_lists_drafts_published_and_superseded_reports(client, qa_lead, published):
    correction = publishing.correct(published, "Late audit", qa_lead)
    text = text_of(signed_in(client, qa_lead).get(url("report-list")))
    assert "Draft" in text
    assert "Published" in text
    assert f'href="{url("report-detail", correction)}"' in (
        client.get(url("report-list")).content.decode()
    )
    assert "Start a report" in text


def test_a_partnership_viewer_lists_published_reports_but_no_draft(client, qa_lead, published):
    draft = publishing.correct(published, "Late audit", qa_lead)
    viewer = signed_in(client, UserFactory(roles=(Role.PARTNERSHIP_VIEWER,)))
    page = viewer.get(url("report-list"))
    html = page.content.decode()
    assert url("report-detail", published) in html
    assert url("report-detail", draft) not in html
    assert "Start a report" not in text_of(page)


# Starting a report -------------------------------------------------------------------------------


def test_the_qa_lead_starts_a_report_for_a_quarter_and_goes_to_it(client, qa_lead):
    response = signed_in(client, qa_lead).post(url("report-new"), {"quarter": "2026-Q3"})
    report = QuarterlyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("report-detail", report)
    assert (report.quarter, report.status) == ("2026-Q3", S.DRAFT)


def test_starting_a_report_for_a_period_with_a_draft_goes_to_the_draft(client, qa_lead, draft):
    response = signed_in(client, qa_lead).post(url("report-new"), {"quarter": "2026-Q3"})
    assert response["Location"] == url("report-detail", draft)
    assert QuarterlyReport.objects.count() == 1


def test_the_qa_lead_starts_a_report_for_two_dates(client, qa_lead):
    signed_in(client, qa_lead).post(
        url("report-new"),
        {
            "date_from_0": "1",
            "date_from_1": "7",
            "date_from_2": "2026",
            "date_to_0": "15",
            "date_to_1": "8",
            "date_to_2": "2026",
        },
    )
    report = QuarterlyReport.objects.get()
    assert (report.period_start, report.period_end, report.quarter) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 8, 15),
        "",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"},
            "The first day of the period must be a real date",
        ),
        (
            {"date_from_0": "1", "date_from_1": "", "date_from_2": "2026"},
            "The first day of the period must include a month",
        ),
        (
            {
                **{"date_from_0": "1", "date_from_1": "7", "date_from_2": "26"},
                **{"date_to_0": "30", "date_to_1": "9", "date_to_2": "2026"},
            },
            "The year of the first day of the period must include 4 numbers",
        ),
        (
            {
                **{"date_from_0": "1", "date_from_1": "7", "date_from_2": "2026"},
                **{"date_to_0": "30", "date_to_1": "9", "date_to_2": "26"},
            },
            "The year of the last day of the period must include 4 numbers",
        ),
        (
            {"date_from_0": "1", "date_from_1": "7", "date_from_2": "2026"},
            "Enter the last day of the period, or leave both dates blank",
        ),
        (
            {
                **{"date_from_0": "10", "date_from_1": "8", "date_from_2": "2026"},
                **{"date_to_0": "1", "date_to_1": "7", "date_to_2": "2026"},
            },
            "The last day must be the same as or after the first day",
        ),
        ({"quarter": "1999-Q1"}, "Select one of the quarters in the list"),
    ],
)
def test_bad_dates_are_explained_and_nothing_is_started(client, qa_lead, data, message):
    response = signed_in(client, qa_lead).post(url("report-new"), data)
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert message in text
    assert text_of(response).count(message) >= 2  # in the summary and by the field
    assert QuarterlyReport.objects.count() == 0


def test_the_date_fields_are_named_for_what_they_ask(client, qa_lead):
    page = BeautifulSoup(signed_in(client, qa_lead).get(url("report-new")).content, "html.parser")
    legends = [" ".join(legend.get_text().split()) for legend in page.select("legend")]
    assert "The first day of the period" in legends
    assert "The last day of the period" in legends
    assert "Or from" not in page.get_text()


def test_a_quarter_that_has_not_ended_is_refused_with_a_reason(client, qa_lead):
    this_quarter = quarter_containing(timezone.localdate())
    response = signed_in(client, qa_lead).post(url("report-new"), {"quarter": this_quarter.quarter})
    text = text_of(response)
    assert f"{this_quarter.label} has not ended yet" in text
    assert text.count(f"{this_quarter.label} has not ended yet") >= 2
    assert QuarterlyReport.objects.count() == 0


def test_two_dates_ending_today_are_refused_as_the_day_is_not_over(client, qa_lead):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=10)
    response = signed_in(client, qa_lead).post(
        url("report-new"),
        {
            **{"date_from_0": start.day, "date_from_1": start.month, "date_from_2": start.year},
            **{"date_to_0": today.day, "date_to_1": today.month, "date_to_2": today.year},
        },
    )
    assert "The last day of the period must be in the past" in text_of(response)
    assert QuarterlyReport.objects.count() == 0


# The report --------------------------------------------------------------------------------------


def test_a_draft_says_its_figures_change_until_published(client, qa_lead, draft):
    text = text_of(signed_in(client, qa_lead).get(url("report-detail", draft)))
    assert "Draft: figures change until published" in text
    assert "Judgements" in text
    assert "Write the narrative" in text


def test_a_published_report_says_when_and_by_whom(client, qa_lead, published):
    viewer = UserFactory(roles=(Role.PARTNERSHIP_VIEWER,))
    response = signed_in(client, viewer).get(url("report-detail", published))
    text = text_of(response)
    day = published.published_at.strftime("%-d %B %Y")
    assert f"Published on {day} by Quinn Lead" in text
    assert "Plans are clear." in text
    assert "1. Refresh chronology training" in text
    assert "Write the narrative" not in text
    assert "Correct this report" not in text


def test_a_draft_is_not_found_for_a_partnership_viewer(client, draft):
    viewer = signed_in(client, UserFactory(roles=(Role.PARTNERSHIP_VIEWER,)))
    assert viewer.get(url("report-detail", draft)).status_code == 404


def test_a_published_report_page_shows_no_child_level_data(client, published):
    viewer = signed_in(client, UserFactory(roles=(Role.PARTNERSHIP_VIEWER,)))
    html = viewer.get(url("report-detail", published)).content.decode()
    for audit in Audit.objects.select_related("assessment__family"):
        assert audit.assessment.reference not in html
        assert audit.assessment.family.reference not in html
    assert "/audits/" not in html
    assert "/cases/" not in html


def test_a_superseded_report_is_marked_and_links_to_its_correction(client, qa_lead, published):
    correction = publishing.publish(
        publishing.correct(published, "An audit was late", qa_lead), qa_lead
    )
    viewer = signed_in(client, UserFactory(roles=(Role.PARTNERSHIP_VIEWER,)))
    old = viewer.get(url("report-detail", published))
    assert "This version has been corrected" in text_of(old)
    assert url("report-detail", correction) in old.content.decode()
    new = text_of(viewer.get(url("report-detail", correction)))
    assert "Why: An audit was late" in new


def test_a_superseded_report_page_says_when_and_why_it_was_corrected(client, qa_lead, published):
    correction = publishing.publish(
        publishing.correct(published, "An audit was late", qa_lead), qa_lead
    )
    viewer = signed_in(client, UserFactory(roles=(Role.PARTNERSHIP_VIEWER,)))
    page = BeautifulSoup(viewer.get(url("report-detail", published)).content, "html.parser")
    marked = " ".join(page.select_one("#superseded").get_text().split())
    day = timezone.localdate(correction.published_at)
    assert f"corrected by version 2, published on {day.day} {day:%B %Y}" in marked
    assert "Why it was corrected: An audit was late" in marked


# The narrative -----------------------------------------------------------------------------------


def test_the_qa_lead_writes_the_narrative_with_one_recommendation_per_line(client, qa_lead, draft):
    response = signed_in(client, qa_lead).post(
        url("report-narrative", draft),
        {
            "working_well": "Good plans.",
            "needs_to_improve": "Reviews.",
            "key_themes": "Drift.",
            "recommendations": "First one\n\nSecond one\n",
        },
    )
    assert response["Location"] == url("report-detail", draft)
    draft.refresh_from_db()
    assert draft.working_well == "Good plans."
    assert [r.text for r in draft.recommendations.all()] == ["First one", "Second one"]
    page = client.get(url("report-narrative", draft)).content.decode()
    assert "First one\nSecond one" in page


def test_the_narrative_of_a_published_report_cannot_be_changed(client, qa_lead, published):
    response = signed_in(client, qa_lead).post(
        url("report-narrative", published),
        {
            "working_well": "Changed",
            "needs_to_improve": "",
            "key_themes": "",
            "recommendations": "",
        },
    )
    assert response["Location"] == url("report-detail", published)
    published.refresh_from_db()
    assert published.working_well == "Plans are clear."


# Publishing --------------------------------------------------------------------------------------


def test_the_publish_page_checks_the_answers_and_publishing_needs_a_post(client, qa_lead, draft):
    with_narrative(draft, qa_lead)
    signed_in(client, qa_lead)
    page = client.get(url("report-publish", draft))
    assert "Check the report before publishing" in text_of(page)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    response = client.post(url("report-publish", draft))
    assert response["Location"] == url("report-detail", draft)
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED


def test_the_publish_page_shows_the_headline_figures(client, qa_lead, draft):
    completed(judged="Good")
    with_narrative(draft, qa_lead)
    page = BeautifulSoup(
        signed_in(client, qa_lead).get(url("report-publish", draft)).content, "html.parser"
    )
    headline = " ".join(page.select_one("#headline-figures").get_text().split())
    summary = publishing.document_for(draft).section("summary").paragraphs
    assert "1 audit was completed in 2026-Q3" in headline
    assert summary[1] in headline  # Good or better, with its count and interval
    assert summary[3] in headline  # compliance


def test_a_report_without_its_narrative_is_not_published_and_the_page_says_why(
    client, qa_lead, draft
):
    signed_in(client, qa_lead)
    message = "Write what is working well and what needs to improve before publishing the report"
    assert message in text_of(client.get(url("report-publish", draft)))
    response = client.post(url("report-publish", draft))
    assert response.status_code == 200
    assert "There is a problem" in text_of(response)
    assert message in text_of(response)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_publishing_makes_the_recommendations_tracked(client, qa_lead, draft):
    with_narrative(draft, qa_lead, ["Track me"])
    signed_in(client, qa_lead).post(url("report-publish", draft))
    assert list(Recommendation.objects.values_list("text", flat=True)) == ["Track me"]


def test_a_second_report_for_a_published_period_cannot_be_published(client, qa_lead, published):
    # Made directly: the pages never start one, but two people might race.
    other = QuarterlyReport.objects.create(
        period_start=Q3.start,
        period_end=Q3.end,
        quarter=Q3.quarter,
        label=Q3.label,
        version=2,
        created_by=qa_lead,
    )
    response = signed_in(client, qa_lead).post(url("report-publish", other))
    assert response.status_code == 200
    assert "already published" in text_of(response)


def test_publishing_a_published_report_again_goes_back_to_it(client, qa_lead, published):
    response = signed_in(client, qa_lead).post(url("report-publish", published))
    assert response["Location"] == url("report-detail", published)
    assert QuarterlyReport.objects.filter(status=S.PUBLISHED).count() == 1


# Correcting --------------------------------------------------------------------------------------


def test_a_correction_needs_a_reason(client, qa_lead, published):
    response = signed_in(client, qa_lead).post(url("report-correct", published), {"reason": ""})
    assert "Enter why the report needs correcting" in text_of(response)
    assert QuarterlyReport.objects.count() == 1


def test_the_qa_lead_corrects_a_published_report_with_a_new_draft_version(
    client, qa_lead, published
):
    response = signed_in(client, qa_lead).post(
        url("report-correct", published), {"reason": "A late audit"}
    )
    correction = QuarterlyReport.objects.get(status=S.DRAFT)
    assert response["Location"] == url("report-detail", correction)
    assert (correction.version, correction.corrects, correction.correction_reason) == (
        2,
        published,
        "A late audit",
    )


def test_a_draft_cannot_be_corrected(client, qa_lead, draft):
    response = signed_in(client, qa_lead).post(url("report-correct", draft), {"reason": "x"})
    assert response["Location"] == url("report-detail", draft)
    assert QuarterlyReport.objects.count() == 1


# Who may do what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_everyone_else_is_refused_every_page(client, draft, role):
    signed_in(client, UserFactory(roles=(role,)))
    for name in ("report-list", "report-new"):
        assert client.get(url(name)).status_code == 403, name
    for name in (
        "report-detail",
        "report-narrative",
        "report-publish",
        "report-correct",
    ):
        assert client.get(url(name, draft)).status_code == 403, name
    assert client.post(url("report-publish", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_partnership_viewer_may_not_start_write_publish_or_correct(client, qa_lead, published):
    draft = publishing.start_report(dates_period(Q3.start, IN_Q3), qa_lead)
    signed_in(client, UserFactory(roles=(Role.PARTNERSHIP_VIEWER,)))
    assert client.get(url("report-new")).status_code == 403
    assert client.post(url("report-new"), {"quarter": "2026-Q3"}).status_code == 403
    assert client.post(url("report-publish", draft)).status_code == 403
    assert client.post(url("report-correct", published), {"reason": "x"}).status_code == 403
    assert client.get(url("report-narrative", draft)).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, published):
    response = client.get(url("report-detail", published))
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


def test_a_published_report_with_a_correction_under_way_leads_the_qa_lead_to_it(
    client, qa_lead, published
):
    correction = publishing.correct(published, "A late audit", qa_lead)
    page = signed_in(client, qa_lead).get(url("report-detail", published))
    assert url("report-detail", correction) in page.content.decode()
    assert "Correct this report" not in text_of(page)


def _queries(client, address):
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


def test_the_report_pages_queries_do_not_grow_with_the_data(client, qa_lead, published):
    draft = publishing.start_report(dates_period(Q3.start, IN_Q3), qa_lead)
    signed_in(client, qa_lead)
    a_quarter_of_data(1)
    before = [_queries(client, url("report-detail", r)) for r in (draft, published)]
    a_quarter_of_data(6, theme=None)
    after = [_queries(client, url("report-detail", r)) for r in (draft, published)]
    assert after == before
    # A published report is read from what was stored, not computed again.
    assert before[1] < before[0]


def test_the_new_report_page_offers_recent_quarters_with_the_last_complete_one_chosen(
    client, qa_lead
):
    page = BeautifulSoup(signed_in(client, qa_lead).get(url("report-new")).content, "html.parser")
    options = page.select("select[name=quarter] option")
    assert len(options) == 12
    chosen = [option["value"] for option in options if option.has_attr("selected")]
    this_quarter = quarter_containing(timezone.localdate())
    last = quarter_containing(this_quarter.start - datetime.timedelta(days=1))
    assert chosen == [last.quarter]
    # Only quarters that have ended: the newest offered is the last complete one.
    assert options[0]["value"] == last.quarter
    assert this_quarter.quarter not in [option["value"] for option in options]
    assert page.select("input[name=date_from_0]")
