"""Recommendations: recorded, responded to, accepted and closed by the QA lead only; read by
partnership viewers; refused to everyone else. Transitions open → accepted → closed; closed is
final; closing needs a decision."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone

from earlyhelp.accounts.access import rule_for
from earlyhelp.accounts.roles import Role
from earlyhelp.learning import recommendations
from earlyhelp.learning.models import Action, AgencyResponse, Recommendation

from ..factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Recommendation.Status
TODAY = timezone.localdate()
LAST_MONTH = TODAY - datetime.timedelta(days=30)
READERS = [Role.QA_LEAD, Role.PARTNERSHIP_VIEWER]
OTHERS = [r for r in Role if r not in READERS]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def date_fields(prefix, day):
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


@pytest.fixture
def qa_lead():
    return UserFactory(roles=[Role.QA_LEAD])


@pytest.fixture
def made(qa_lead):
    return recommendations.record(
        made_on=LAST_MONTH,
        source=Recommendation.Source.QUARTERLY_REPORT,
        text="Every agency to train its staff in chronologies",
        by=qa_lead,
    )


# Services ---------------------------------------------------------------------------------------


def test_a_new_recommendation_is_open(made, qa_lead):
    assert made.status == S.OPEN
    assert made.created_by == qa_lead
    assert made.decision == ""


def test_open_then_accepted_then_closed(made, qa_lead):
    recommendations.accept(made, decision="Accepted by the group", by=qa_lead)
    assert made.status == S.ACCEPTED
    assert made.decision == "Accepted by the group"
    recommendations.close(made, decision="Training delivered", closed_on=TODAY, by=qa_lead)
    made.refresh_from_db()
    assert (made.status, made.decision, made.closed_on) == (S.CLOSED, "Training delivered", TODAY)


def test_accepting_without_a_decision_keeps_none(made, qa_lead):
    recommendations.accept(made, by=qa_lead)
    assert made.status == S.ACCEPTED
    assert made.decision == ""


def test_an_open_recommendation_cannot_be_closed_before_it_is_accepted(made, qa_lead):
    with pytest.raises(recommendations.RecommendationRefused, match="Accept the recommendation"):
        recommendations.close(made, decision="No", closed_on=TODAY, by=qa_lead)
    made.refresh_from_db()
    assert made.status == S.OPEN


def test_accepted_twice_is_refused(made, qa_lead):
    recommendations.accept(made, by=qa_lead)
    with pytest.raises(recommendations.RecommendationRefused, match="already accepted"):
        recommendations.accept(made, by=qa_lead)


@pytest.mark.parametrize("change", ["accept", "close", "respond"])
def test_closed_is_final(made, qa_lead, change):
    recommendations.accept(made, by=qa_lead)
    recommendations.close(made, decision="Done", closed_on=TODAY, by=qa_lead)
    agency = AgencyFactory()
    changes = {
        "accept": lambda: recommendations.accept(made, by=qa_lead),
        "close": lambda: recommendations.close(made, decision="Again", closed_on=TODAY, by=qa_lead),
        "respond": lambda: recommendations.record_response(
            made, agency=agency, response="Late", responded_on=TODAY, by=qa_lead
        ),
    }
    with pytest.raises(recommendations.RecommendationRefused, match="closed and cannot"):
        changes[change]()
    made.refresh_from_db()
    assert made.decision == "Done"
    assert not made.responses.exists()


@pytest.mark.parametrize("decision", ["", "   "])
def test_closing_needs_a_decision(made, qa_lead, decision):
    recommendations.accept(made, by=qa_lead)
    with pytest.raises(recommendations.RecommendationRefused, match="Enter the group's decision"):
        recommendations.close(made, decision=decision, closed_on=TODAY, by=qa_lead)
    made.refresh_from_db()
    assert made.status == S.ACCEPTED


def test_closing_before_it_was_made_or_in_the_future_is_refused(made, qa_lead):
    recommendations.accept(made, by=qa_lead)
    for day in (LAST_MONTH - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)):
        with pytest.raises(recommendations.RecommendationRefused, match="The date it closed"):
            recommendations.close(made, decision="Done", closed_on=day, by=qa_lead)


def test_a_status_changed_by_someone_else_meanwhile_is_refused(made, qa_lead):
    stale = Recommendation.objects.get(pk=made.pk)
    recommendations.accept(made, by=qa_lead)
    recommendations.close(made, decision="Done", closed_on=TODAY, by=qa_lead)
    with pytest.raises(recommendations.RecommendationRefused):
        recommendations.accept(stale, by=qa_lead)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.QA_LEAD])
def test_only_the_qa_lead_changes_recommendations(made, role):
    someone = UserFactory(roles=[role])
    with pytest.raises(recommendations.RecommendationRefused, match="Only the QA lead"):
        recommendations.accept(made, by=someone)
    with pytest.raises(recommendations.RecommendationRefused, match="Only the QA lead"):
        recommendations.record_response(
            made, agency=AgencyFactory(), response="Yes", responded_on=TODAY, by=someone
        )
    with pytest.raises(recommendations.RecommendationRefused, match="Only the QA lead"):
        recommendations.record(made_on=TODAY, source="other", text="Something", by=someone)
    made.refresh_from_db()
    assert made.status == S.OPEN


def test_agency_responses_are_recorded_while_open_or_accepted(made, qa_lead):
    first, second = AgencyFactory(name="Carlisle Schools"), AgencyFactory(name="Health Visiting")
    recommendations.record_response(
        made, agency=first, response="We agree", responded_on=LAST_MONTH, by=qa_lead
    )
    recommendations.accept(made, by=qa_lead)
    recommendations.record_response(
        made, agency=second, response="Training booked", responded_on=TODAY, by=qa_lead
    )
    got = list(made.responses.values_list("agency__name", "response", "responded_on"))
    assert got == [
        ("Carlisle Schools", "We agree", LAST_MONTH),
        ("Health Visiting", "Training booked", TODAY),
    ]
    assert set(AgencyResponse.objects.values_list("recorded_by", flat=True)) == {qa_lead.pk}


def test_a_response_dated_before_the_recommendation_is_refused(made, qa_lead):
    with pytest.raises(recommendations.RecommendationRefused, match="on or after"):
        recommendations.record_response(
            made,
            agency=AgencyFactory(),
            response="Early",
            responded_on=LAST_MONTH - datetime.timedelta(days=1),
            by=qa_lead,
        )


# Pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_list_and_the_detail(client_for, made, role):
    client = client_for(role)
    listing = client.get(reverse("recommendations:list"))
    assert listing.status_code == 200
    assert "Every agency to train its staff in chronologies" in listing.text
    detail = client.get(reverse("recommendations:detail", args=[made.pk]))
    assert detail.status_code == 200
    assert "Every agency to train its staff in chronologies" in detail.text


@pytest.mark.parametrize("role", OTHERS)
def test_everyone_else_is_refused_every_page(client_for, made, role):
    client = client_for(role)
    for url in (
        reverse("recommendations:list"),
        reverse("recommendations:new"),
        reverse("recommendations:detail", args=[made.pk]),
        reverse("recommendations:training"),
        reverse("recommendations:standards"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("recommendations:accept", args=[made.pk])).status_code == 403


def test_a_partnership_viewer_reads_but_has_no_forms_and_cannot_post(client_for, made):
    client = client_for(Role.PARTNERSHIP_VIEWER)
    page = soup_of(client.get(reverse("recommendations:detail", args=[made.pk])))
    assert page.select("main form[method=post]") == []
    assert page.find(id="raise-action") is None
    assert client.get(reverse("recommendations:new")).status_code == 403
    for name in ("accept", "close", "respond"):
        response = client.post(reverse(f"recommendations:{name}", args=[made.pk]))
        assert response.status_code == 403
    made.refresh_from_db()
    assert made.status == S.OPEN


def test_the_qa_lead_records_a_recommendation(client_for):
    client = client_for(Role.QA_LEAD)
    response = client.post(
        reverse("recommendations:new"),
        {
            **date_fields("made_on", LAST_MONTH),
            "source": "learning_review",
            "text": "Review meetings every 12 weeks",
            "theme": "",
        },
    )
    made = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendations:detail", args=[made.pk])
    assert (made.made_on, made.source, made.status) == (LAST_MONTH, "learning_review", S.OPEN)


def test_a_new_recommendation_needs_its_fields(client_for):
    response = client_for(Role.QA_LEAD).post(reverse("recommendations:new"), {})
    assert response.status_code == 200
    summary = soup_of(response).select_one(".govuk-error-summary").text
    assert "Enter date it was made" in summary
    assert "Select where it came from" in summary
    assert "Enter recommendation" in summary
    assert not Recommendation.objects.exists()


def test_the_qa_lead_records_a_response_accepts_and_closes_on_the_page(client_for, made):
    client = client_for(Role.QA_LEAD)
    agency = AgencyFactory(name="Carlisle Schools")
    response = client.post(
        reverse("recommendations:respond", args=[made.pk]),
        {
            "response-agency": agency.pk,
            "response-response": "We agree",
            **date_fields("response-responded_on", TODAY),
        },
    )
    assert response.status_code == 302
    client.post(reverse("recommendations:accept", args=[made.pk]), {"accept-decision": ""})
    response = client.post(
        reverse("recommendations:close", args=[made.pk]),
        {"close-decision": "Training delivered", **date_fields("close-closed_on", TODAY)},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == S.CLOSED
    page = soup_of(client.get(reverse("recommendations:detail", args=[made.pk])))
    assert "Carlisle Schools" in page.select_one("#responses-list").text
    assert "Training delivered" in page.select_one("#recommendation-decision").text
    assert page.find(id="closed-note") is not None
    assert page.select("main form[method=post]") == []


def test_closing_without_a_decision_on_the_page_shows_the_error(client_for, made, qa_lead):
    recommendations.accept(made, by=qa_lead)
    client = client_for(Role.QA_LEAD)
    response = client.post(
        reverse("recommendations:close", args=[made.pk]),
        {"close-decision": "", **date_fields("close-closed_on", TODAY)},
    )
    assert response.status_code == 200
    summary = soup_of(response).select_one(".govuk-error-summary")
    assert "Enter the group" in summary.text
    assert summary.select_one("a")["href"] == "#id_close-decision"
    made.refresh_from_db()
    assert made.status == S.ACCEPTED


def test_closing_an_open_recommendation_on_the_page_is_refused_with_a_reason(client_for, made):
    client = client_for(Role.QA_LEAD)
    response = client.post(
        reverse("recommendations:close", args=[made.pk]),
        {"close-decision": "Done", **date_fields("close-closed_on", TODAY)},
    )
    assert response.status_code == 200
    assert "Accept the recommendation before you close it" in response.text
    made.refresh_from_db()
    assert made.status == S.OPEN


def test_a_recommendation_that_does_not_exist_is_not_found(client_for):
    client = client_for(Role.QA_LEAD)
    assert client.get(reverse("recommendations:detail", args=[999])).status_code == 404
    assert client.post(reverse("recommendations:accept", args=[999])).status_code == 404


def test_the_list_counts_each_status_and_filters(client_for, qa_lead):
    for text in ("One", "Two", "Three"):
        recommendations.record(made_on=TODAY, source="other", text=text, by=qa_lead)
    recommendations.accept(Recommendation.objects.get(text="Two"), by=qa_lead)
    client = client_for(Role.PARTNERSHIP_VIEWER)
    page = soup_of(client.get(reverse("recommendations:list")))
    assert page.select_one("#count-open").text == "2"
    assert page.select_one("#count-accepted").text == "1"
    assert page.select_one("#count-closed").text == "0"
    assert page.select_one("#count-all").text == "3"
    filtered = soup_of(client.get(reverse("recommendations:list"), {"status": "accepted"}))
    rows = filtered.select("#recommendations-table tbody tr")
    assert [row.select_one("a").text for row in rows] == ["Two"]
    nothing = soup_of(client.get(reverse("recommendations:list"), {"status": "closed"}))
    assert nothing.find(id="recommendations-empty") is not None


def test_the_detail_lists_the_actions_raised_from_it(client_for, made, qa_lead):
    agency = AgencyFactory(name="Health Visiting")
    Action.objects.create(
        title="Chronology training",
        action_type=Action.Type.TRAINING,
        recommendation=made,
        owner=qa_lead,
        agency=agency,
        due_date=TODAY,
        status=Action.Status.IN_PROGRESS,
        created_by=qa_lead,
    )
    page = soup_of(
        client_for(Role.PARTNERSHIP_VIEWER).get(reverse("recommendations:detail", args=[made.pk]))
    )
    row = page.select_one("#actions-table tbody tr").text
    assert "Chronology training" in row
    assert "Health Visiting" in row
    assert "In progress" in row


def test_the_detail_runs_the_same_number_of_queries_however_many_responses_and_actions(
    client_for, made, qa_lead
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(Role.QA_LEAD)
    url = reverse("recommendations:detail", args=[made.pk])

    def add(n):
        for i in range(n):
            agency = AgencyFactory()
            recommendations.record_response(
                made, agency=agency, response=f"R{i}", responded_on=TODAY, by=qa_lead
            )
            Action.objects.create(
                title=f"A{i}",
                action_type="training",
                recommendation=made,
                owner=qa_lead,
                agency=agency,
                due_date=TODAY,
                created_by=qa_lead,
            )

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_qa_lead_is_offered_links_to_raise_an_action_and_to_the_loop_where_they_exist(
    client_for, made
):
    page = soup_of(client_for(Role.QA_LEAD).get(reverse("recommendations:detail", args=[made.pk])))
    try:
        wanted = reverse("actions:new") + f"?recommendation={made.pk}"
    except NoReverseMatch:
        assert page.find(id="raise-action") is None
    else:
        assert page.select_one("#raise-action")["href"] == wanted
    try:
        loop = reverse("findings:loop-recommendation", args=[made.pk])
    except NoReverseMatch:
        assert page.find(id="loop-link") is None
    else:
        assert page.select_one("#loop-link")["href"] == loop


def test_a_closed_recommendation_offers_no_action_to_raise(client_for, made, qa_lead):
    recommendations.accept(made, by=qa_lead)
    recommendations.close(made, decision="Done", closed_on=TODAY, by=qa_lead)
    page = soup_of(client_for(Role.QA_LEAD).get(reverse("recommendations:detail", args=[made.pk])))
    assert page.find(id="raise-action") is None


def test_the_list_runs_the_same_number_of_queries_for_3_or_30_recommendations(client_for, qa_lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(Role.PARTNERSHIP_VIEWER)
    url = reverse("recommendations:list")

    def add(n):
        for i in range(n):
            made = recommendations.record(made_on=TODAY, source="other", text=f"R{i}", by=qa_lead)
            recommendations.record_response(
                made, agency=AgencyFactory(), response="Yes", responded_on=TODAY, by=qa_lead
            )

    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(27)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_partnership_viewer_is_linked_to_the_loop_only_if_that_page_lets_them_in(
    client_for, made
):
    client = client_for(Role.PARTNERSHIP_VIEWER)
    viewer = client.get("/").wsgi_request.user
    page = soup_of(client.get(reverse("recommendations:detail", args=[made.pk])))
    try:
        loop = reverse("findings:loop-recommendation", args=[made.pk])
    except NoReverseMatch:
        assert page.find(id="loop-link") is None
        return
    match = resolve(loop)
    if rule_for(match.func, match.namespaces).allows(viewer):
        assert page.select_one("#loop-link")["href"] == loop
    else:
        assert page.find(id="loop-link") is None
