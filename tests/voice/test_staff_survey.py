"""The staff survey: rounds opened by the QA lead, answered anonymously from one shared link, and
results shown with small-number suppression."""

import datetime
import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType
from earlyhelp.accounts.roles import Role
from earlyhelp.core.models import AccessLog
from earlyhelp.voice import staff_survey, staff_survey_views
from earlyhelp.voice.models import StaffSurveyResponse, StaffSurveyRound
from earlyhelp.voice.staff_survey import LinkProblem, Status, SurveyError
from earlyhelp.voice.suppression import MERGED_LABEL

TODAY = datetime.date(2027, 3, 10)
DAY = datetime.timedelta(days=1)

FULL_ANSWERS = {
    "workload": "Agree",
    "supervision": "Strongly agree",
    "training": "Disagree",
    "confident-eha": "Agree",
    "partners": "Neither agree nor disagree",
    "recommend": "8",
}


def agency_type(name):
    return AgencyType.objects.get_or_create(name=name)[0]


@pytest.fixture
def qa_lead(make_user):
    return make_user(Role.QA_LEAD)


@pytest.fixture
def survey_round(qa_lead):
    return make_round(qa_lead)


def make_round(by, *, opens_on=None, closes_on=None, agency_types=(), agencies=()):
    today = timezone.localdate()
    return staff_survey.open_round(
        "Spring staff survey",
        opens_on or today,
        closes_on or today + 14 * DAY,
        agency_types,
        agencies,
        by=by,
        today=today,
    )


def respond(survey_round, type_name=None, answers=None, n=1):
    kind = agency_type(type_name) if type_name else None
    today = timezone.localdate()
    for _ in range(n):
        staff_survey.answer(survey_round, kind, dict(answers or FULL_ANSWERS), today)


def answer_url(survey_round):
    return reverse("staff_survey:answer", args=[survey_round.link_code])


def posted(type_choice, **answers):
    return {"agency_type": type_choice, **FULL_ANSWERS, **answers}


# Anonymous by design -----------------------------------------------------------------------------


def test_a_response_row_has_no_field_for_a_person_an_address_or_a_time():
    fields = {f.name: f for f in StaffSurveyResponse._meta.get_fields()}
    assert set(fields) == {"id", "round", "version", "agency_type", "answers", "submitted_on"}
    for name in fields:
        assert not any(word in name for word in ("user", "ip", "address", "created", "time"))
    # A date, never a date and time.
    assert fields["submitted_on"].get_internal_type() == "DateField"


def test_the_stored_row_holds_only_the_round_version_type_answers_and_day(survey_round):
    respond(survey_round, "School")
    row = StaffSurveyResponse.objects.values().get()
    assert set(row) == {
        "id",
        "round_id",
        "version_id",
        "agency_type_id",
        "answers",
        "submitted_on",
    }
    assert type(row["submitted_on"]) is datetime.date
    assert row["submitted_on"] == timezone.localdate()
    assert row["answers"] == FULL_ANSWERS
    assert row["version_id"] == survey_round.version_id
    assert row["agency_type_id"] == agency_type("School").pk


def test_answering_while_signed_in_stores_nothing_about_the_person(client, make_user):
    qa_lead = make_user(Role.QA_LEAD)
    survey_round = make_round(qa_lead)
    person = make_user(Role.COORDINATOR, full_name="Imogen Quill", email="imogen.q@agency.test")
    client.force_login(person)
    logged_before = AccessLog.objects.count()
    response = client.post(
        answer_url(survey_round),
        posted(str(agency_type("School").pk), **{"one-thing": "More time for visits"}),
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 302
    row = StaffSurveyResponse.objects.values().get()
    stored = json.dumps(row, default=str)
    for trace in ("Imogen", "Quill", "imogen.q@agency.test", "203.0.113.77"):
        assert trace not in stored
    assert row["answers"] == {**FULL_ANSWERS, "one-thing": "More time for visits"}
    assert AccessLog.objects.count() == logged_before


class _Untouchable:
    def __getattr__(self, name):
        raise AssertionError(f"the answer view read request.user.{name}")

    def __bool__(self):
        raise AssertionError("the answer view read request.user")


def test_the_answer_view_never_reads_the_person(rf, survey_round):
    request = rf.post(answer_url(survey_round), posted("none"), REMOTE_ADDR="198.51.100.1")
    request.user = _Untouchable()
    response = staff_survey_views.answer(request, code=survey_round.link_code)
    assert response.status_code == 302
    assert StaffSurveyResponse.objects.get().agency_type is None


def test_the_thank_you_page_shows_no_number_or_time_of_the_response(client, survey_round):
    response = client.post(answer_url(survey_round), posted("none"), follow=True)
    assert response.redirect_chain == [
        (reverse("staff_survey:thanks", args=[survey_round.link_code]), 302)
    ]
    text = response.content.decode()
    assert "Thank you" in text
    stored = StaffSurveyResponse.objects.get()
    assert f"/{stored.pk}/" not in response.redirect_chain[0][0]
    assert timezone.localtime().strftime("%H:%M") not in text


# The public page ---------------------------------------------------------------------------------


def test_the_public_page_works_without_signing_in(client, survey_round):
    response = client.get(answer_url(survey_round))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your answers are anonymous" in text
    assert "Which type of agency do you work for?" in text
    assert "Prefer not to say" in text
    assert "internet address (IP address)" in text
    assert "the time of day you answered" in text
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    response = client.post(answer_url(survey_round), posted("none"))
    assert response.status_code == 302
    assert StaffSurveyResponse.objects.count() == 1


def test_the_public_page_offers_the_rounds_audience_types_only(client, qa_lead):
    survey_round = make_round(qa_lead, agency_types=[agency_type("School")])
    text = client.get(answer_url(survey_round)).content.decode()
    assert "School" in text
    assert "Police" not in text
    response = client.post(answer_url(survey_round), posted(str(agency_type("Police").pk)))
    assert response.status_code == 200
    assert "Select the type of agency you work for from the list" in response.content.decode()
    assert not StaffSurveyResponse.objects.exists()


def test_a_round_for_everyone_offers_every_type_in_use(survey_round):
    offered = {t.name for t in staff_survey.agency_types_offered(survey_round)}
    assert {"School", "Police", "Health Visiting"} <= offered


def test_the_type_of_agency_must_be_chosen_and_answers_checked(client, survey_round):
    response = client.post(answer_url(survey_round), {"workload": "Maybe"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Select the type of agency you work for, or Prefer not to say" in text
    assert not StaffSurveyResponse.objects.exists()


def test_a_round_not_open_yet_says_when_it_opens(client, qa_lead):
    today = timezone.localdate()
    survey_round = make_round(qa_lead, opens_on=today + 3 * DAY, closes_on=today + 9 * DAY)
    response = client.get(answer_url(survey_round))
    assert response.status_code == 200
    assert "This survey is not open yet" in response.content.decode()
    assert (today + 3 * DAY).strftime("%B %Y") in response.content.decode()
    client.post(answer_url(survey_round), posted("none"))
    assert not StaffSurveyResponse.objects.exists()


def test_a_closed_round_says_it_has_closed(client, survey_round):
    StaffSurveyRound.objects.filter(pk=survey_round.pk).update(
        opens_on=timezone.localdate() - 20 * DAY, closes_on=timezone.localdate() - DAY
    )
    response = client.get(answer_url(survey_round))
    assert response.status_code == 410
    assert "This survey has closed" in response.content.decode()
    response = client.post(answer_url(survey_round), posted("none"))
    assert response.status_code == 410
    assert not StaffSurveyResponse.objects.exists()


def test_an_unknown_link_gets_its_own_page_and_is_not_logged(client, db, caplog):
    with caplog.at_level(logging.DEBUG):
        response = client.get("/staff-survey/r/made-up-code-123/")
    assert response.status_code == 404
    assert "This survey link does not work" in response.content.decode()
    assert "made-up-code-123" not in caplog.text
    too_long = "x" * 500
    assert client.get(f"/staff-survey/r/{too_long}/").status_code == 404
    assert client.get(f"/staff-survey/r/{too_long}/thank-you/").status_code == 404


def test_the_link_is_open_from_its_first_to_its_last_day(survey_round):
    code = survey_round.link_code
    opens, closes = survey_round.opens_on, survey_round.closes_on
    assert staff_survey.round_for_link(code, opens - DAY) == (
        survey_round,
        LinkProblem.NOT_OPEN_YET,
    )
    assert staff_survey.round_for_link(code, opens) == (survey_round, None)
    assert staff_survey.round_for_link(code, closes) == (survey_round, None)
    assert staff_survey.round_for_link(code, closes + DAY) == (survey_round, LinkProblem.CLOSED)
    assert staff_survey.round_for_link("nope", opens) == (None, LinkProblem.UNKNOWN)
    assert staff_survey.round_for_link("", opens) == (None, LinkProblem.UNKNOWN)


def test_answering_outside_the_dates_is_refused(survey_round):
    with pytest.raises(SurveyError):
        staff_survey.answer(survey_round, None, FULL_ANSWERS, survey_round.closes_on + DAY)
    with pytest.raises(SurveyError):
        staff_survey.answer(survey_round, None, FULL_ANSWERS, survey_round.opens_on - DAY)


# Opening and closing rounds -----------------------------------------------------------------------


def test_a_round_gets_an_unguessable_link_code(qa_lead):
    codes = {make_round(qa_lead).link_code for _ in range(5)}
    assert len(codes) == 5
    # 16 random bytes: 128 bits, written in 22 URL-safe characters.
    assert all(len(code) >= 22 for code in codes)


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (-1, 5, "opening date must be today or in the future"),
        (3, 2, "closing date must be the same as or after the opening date"),
    ],
)
def test_a_round_needs_sensible_dates(qa_lead, opens, closes, message):
    today = TODAY
    with pytest.raises(SurveyError, match=message):
        staff_survey.open_round(
            "Round", today + opens * DAY, today + closes * DAY, by=qa_lead, today=today
        )


def test_a_round_may_open_and_close_on_the_same_day(qa_lead):
    survey_round = staff_survey.open_round("One day", TODAY, TODAY, by=qa_lead, today=TODAY)
    assert staff_survey.status(survey_round, TODAY) == Status.OPEN


def test_closing_early_stops_the_link_at_once(survey_round):
    today = timezone.localdate()
    staff_survey.close_early(survey_round, today)
    assert staff_survey.round_for_link(survey_round.link_code, today)[1] == LinkProblem.CLOSED
    assert survey_round.opens_on <= survey_round.closes_on
    with pytest.raises(SurveyError):
        staff_survey.close_early(survey_round, today)


def test_closing_a_round_that_has_not_opened_keeps_its_dates_in_order(qa_lead):
    today = timezone.localdate()
    survey_round = make_round(qa_lead, opens_on=today + 5 * DAY, closes_on=today + 9 * DAY)
    staff_survey.close_early(survey_round, today)
    survey_round.refresh_from_db()
    assert survey_round.opens_on == survey_round.closes_on == today - DAY
    assert staff_survey.status(survey_round, today) == Status.CLOSED


# Results -----------------------------------------------------------------------------------------


def test_no_results_are_shown_until_5_people_have_answered(survey_round):
    respond(survey_round, "School", n=4)
    results = staff_survey.results(survey_round)
    assert results.total == 4
    assert not results.shown
    assert results.questions == []
    assert staff_survey.comments(survey_round) == []


def _question(results, question_id):
    return next(q for q in results.questions if q.id == question_id)


def test_results_count_each_answer_overall(survey_round):
    respond(survey_round, "School", n=3)
    respond(survey_round, "School", {**FULL_ANSWERS, "workload": "Disagree", "recommend": "2"})
    respond(survey_round, "School", {**FULL_ANSWERS, "recommend": "10", "one-thing": "Fewer forms"})
    results = staff_survey.results(survey_round)
    assert results.total == 5
    assert results.shown
    workload = _question(results, "workload").by_group[0]
    assert workload.answered == 5
    assert dict(zip(_question(results, "workload").options, workload.counts, strict=True)) == {
        "Strongly agree": 0,
        "Agree": 4,
        "Neither agree nor disagree": 0,
        "Disagree": 1,
        "Strongly disagree": 0,
    }
    assert workload.percentages()[1] == 80
    recommend = _question(results, "recommend").by_group[0]
    assert recommend.answered == 5
    assert recommend.counts[8] == 3
    assert recommend.counts[2] == 1
    assert recommend.counts[10] == 1
    assert recommend.mean == 7.2
    assert recommend.median == 8
    one_thing = _question(results, "one-thing").by_group[0]
    assert one_thing.answered == 1
    assert one_thing.counts == []


def test_results_never_hold_free_text(survey_round):
    respond(survey_round, "School", {**FULL_ANSWERS, "one-thing": "My manager Dave is great"}, n=5)
    results = staff_survey.results(survey_round)
    assert "Dave" not in repr(results)


def test_a_group_of_4_is_suppressed_in_the_results(survey_round):
    respond(survey_round, "School", n=9)
    respond(survey_round, "Health Visiting", n=6)
    respond(survey_round, "Police", n=4)
    results = staff_survey.results(survey_round)
    labels = [label for label, _ in results.groups]
    assert "Police" not in labels
    # Police alone would be All responses - School - Health Visiting: the next smallest goes too.
    assert "Health Visiting" not in labels
    assert results.groups == [(staff_survey.ALL_RESPONSES, 19), ("School", 9)]
    assert results.some_withheld
    for question in results.questions:
        assert len(question.by_group) == 2


def test_small_groups_reaching_5_together_are_shown_merged(survey_round):
    respond(survey_round, "School", n=6)
    respond(survey_round, "Police", {**FULL_ANSWERS, "workload": "Strongly disagree"}, n=3)
    respond(survey_round, None, {**FULL_ANSWERS, "workload": "Strongly disagree"}, n=2)
    results = staff_survey.results(survey_round)
    assert results.groups == [
        (staff_survey.ALL_RESPONSES, 11),
        ("School", 6),
        (MERGED_LABEL, 5),
    ]
    assert results.merged == ["Police", staff_survey.NOT_SAID]
    assert not results.some_withheld
    workload = _question(results, "workload")
    assert workload.by_group[2].counts[4] == 5
    assert workload.by_group[1].counts[4] == 0


def test_comments_are_sorted_by_their_words_without_type_or_day(survey_round):
    for text in ["Zebra crossings", "apples", "More time"]:
        respond(survey_round, "School", {**FULL_ANSWERS, "one-thing": text})
    respond(survey_round, "Police", n=2)
    [(question, texts)] = staff_survey.comments(survey_round)
    assert question["id"] == "one-thing"
    assert texts == ["apples", "More time", "Zebra crossings"]


# The QA lead's pages ------------------------------------------------------------------------------


def test_the_qa_lead_opens_a_round_from_the_form(client_for):
    client = client_for(Role.QA_LEAD)
    today = timezone.localdate()
    later = today + 20 * DAY
    school = agency_type("School")
    response = client.post(
        reverse("staff_survey:new"),
        {
            "name": "Summer survey",
            "opens_on_0": today.day,
            "opens_on_1": today.month,
            "opens_on_2": today.year,
            "closes_on_0": later.day,
            "closes_on_1": later.month,
            "closes_on_2": later.year,
            "agency_types": [str(school.pk)],
        },
    )
    survey_round = StaffSurveyRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_survey:round", args=[survey_round.pk])
    assert survey_round.name == "Summer survey"
    assert list(survey_round.agency_types.all()) == [school]
    assert survey_round.closes_on == later


def test_the_new_round_form_explains_its_errors(client_for):
    client = client_for(Role.QA_LEAD)
    past = timezone.localdate() - 3 * DAY
    response = client.post(
        reverse("staff_survey:new"),
        {
            "name": "",
            "opens_on_0": past.day,
            "opens_on_1": past.month,
            "opens_on_2": past.year,
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter a name for the survey round" in text
    assert "Opening date must be today or in the future" in text
    assert "Enter the closing date" in text
    assert not StaffSurveyRound.objects.exists()


def test_the_list_shows_rounds_with_dates_audience_status_and_responses(client_for, qa_lead):
    survey_round = make_round(qa_lead, agency_types=[agency_type("Police")])
    respond(survey_round, "Police", n=3)
    text = client_for(Role.QA_LEAD).get(reverse("staff_survey:rounds")).content.decode()
    assert "Spring staff survey" in text
    assert "Police" in text
    assert "Open" in text
    assert ">3</td>" in text
    assert "Open a survey round" in text


def test_the_round_page_gives_the_full_link_and_a_message(client_for, survey_round):
    response = client_for(Role.QA_LEAD).get(reverse("staff_survey:round", args=[survey_round.pk]))
    text = response.content.decode()
    link = f"http://testserver/staff-survey/r/{survey_round.link_code}/"
    assert f'value="{link}"' in text
    assert text.count(link) == 2  # in the link to copy, and in the message
    assert "Results are shown once at least 5 people have answered" in text


def test_the_round_page_shows_results_and_comments_to_the_qa_lead(client_for, survey_round):
    respond(survey_round, "School", {**FULL_ANSWERS, "one-thing": "Shorter forms"}, n=5)
    respond(survey_round, "Police", n=1)
    text = (
        client_for(Role.QA_LEAD)
        .get(reverse("staff_survey:round", args=[survey_round.pk]))
        .content.decode()
    )
    assert "All responses (6)" in text
    assert "School (5)" not in text  # the next smallest, taken with the lone Police response
    assert "Police (1)" not in text
    assert "Shorter forms" in text
    assert 'id="comments"' in text


def test_the_qa_lead_closes_a_round_early(client_for, survey_round):
    client = client_for(Role.QA_LEAD)
    url = reverse("staff_survey:close", args=[survey_round.pk])
    assert "Close this survey round now?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert client.get(answer_url(survey_round)).status_code == 410
    assert client.post(url).status_code == 302  # already closed: back to the round


def test_the_results_page_queries_do_not_grow_with_responses(client_for, survey_round):
    client = client_for(Role.QA_LEAD)
    url = reverse("staff_survey:round", args=[survey_round.pk])
    respond(survey_round, "School", n=5)
    respond(survey_round, "Police", n=5)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for name in ("Health Visiting", "Housing", "Early Years", "Youth Service"):
        respond(survey_round, name, {**FULL_ANSWERS, "one-thing": f"From {name}"}, n=7)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Youth Service (7)" in response.content.decode()
    assert len(many) == len(few)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.QA_LEAD])
def test_the_qa_lead_pages_are_refused_to_every_other_role(client_for, survey_round, role):
    client = client_for(role)
    urls = [
        reverse("staff_survey:rounds"),
        reverse("staff_survey:new"),
        reverse("staff_survey:round", args=[survey_round.pk]),
        reverse("staff_survey:close", args=[survey_round.pk]),
        reverse("staff_survey:staff-asked", args=[survey_round.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("staff_survey:close", args=[survey_round.pk])).status_code == 403
    staff_asked_url = reverse("staff_survey:staff-asked", args=[survey_round.pk])
    assert client.post(staff_asked_url, {"staff_asked": "9"}).status_code == 403
    survey_round.refresh_from_db()
    assert staff_survey.status(survey_round, timezone.localdate()) == Status.OPEN
    assert survey_round.staff_asked is None


def test_anonymous_people_are_sent_to_sign_in_from_the_qa_lead_pages(client, survey_round):
    response = client.get(reverse("staff_survey:round", args=[survey_round.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# How many staff were asked: the response rate's denominator -------------------------------------


def test_a_round_records_how_many_staff_were_sent_its_link(qa_lead):
    today = timezone.localdate()
    survey_round = staff_survey.open_round(
        "Spring", today, today + DAY, by=qa_lead, today=today, staff_asked=40
    )
    assert survey_round.staff_asked == 40
    with pytest.raises(SurveyError, match="The number of staff asked must be 1 or more"):
        staff_survey.open_round("None", today, today, by=qa_lead, today=today, staff_asked=0)


def test_the_response_rate_has_the_staff_asked_as_its_denominator(survey_round):
    assert staff_survey.response_rate(survey_round, 12) == (
        None,
        "12 responses; how many staff were asked is not recorded",
    )
    staff_survey.record_staff_asked(survey_round, 40)
    rate, sentence = staff_survey.response_rate(survey_round, 12)
    assert (rate.count, rate.denominator, rate.percent) == (12, 40, 30)
    assert sentence == f"12 of 40 staff asked answered: 30%, {rate.low}%\u2013{rate.high}%"
    assert (rate.low, rate.high) == (18, 45)  # Wilson: 0.1808 to 0.4543


def test_more_responses_than_staff_asked_gives_no_rate(survey_round):
    staff_survey.record_staff_asked(survey_round, 10)
    rate, sentence = staff_survey.response_rate(survey_round, 11)
    assert rate is None
    assert sentence == (
        "11 responses, more than the 10 staff asked: the link was passed on, so no response "
        "rate is given"
    )


def test_the_qa_lead_gives_the_number_asked_when_opening_a_round(client_for):
    client = client_for(Role.QA_LEAD)
    today = timezone.localdate()
    dates = {
        "opens_on_0": today.day,
        "opens_on_1": today.month,
        "opens_on_2": today.year,
        "closes_on_0": today.day,
        "closes_on_1": today.month,
        "closes_on_2": today.year,
    }
    refused = client.post(
        reverse("staff_survey:new"), {"name": "Summer", **dates, "staff_asked": "0"}
    )
    assert "The number of staff asked must be 1 or more" in refused.content.decode()
    assert not StaffSurveyRound.objects.exists()
    client.post(reverse("staff_survey:new"), {"name": "Summer", **dates, "staff_asked": "85"})
    assert StaffSurveyRound.objects.get().staff_asked == 85


def test_the_qa_lead_records_the_number_asked_later_and_the_round_page_gives_the_rate(
    client_for, survey_round
):
    client = client_for(Role.QA_LEAD)
    round_url = reverse("staff_survey:round", args=[survey_round.pk])
    url = reverse("staff_survey:staff-asked", args=[survey_round.pk])
    respond(survey_round, "School", n=6)
    page = client.get(round_url).content.decode()
    assert 'id="staff-asked">Not recorded<' in page
    assert 'id="response-rate"' not in page

    refused = client.post(url, {"staff_asked": "forty"})
    assert refused.status_code == 200
    assert "Enter the number of staff asked as a whole number, like 40" in refused.content.decode()
    assert "<title>Error: " in refused.content.decode()
    survey_round.refresh_from_db()
    assert survey_round.staff_asked is None

    assert client.post(url, {"staff_asked": "40"})["Location"] == round_url
    page = client.get(round_url).content.decode()
    assert 'id="staff-asked">40<' in page
    assert "6 of 40 staff asked answered: 15%" in page
    assert 'value="40"' in client.get(url).content.decode()

    client.post(url, {"staff_asked": "1,200"})  # as people write large numbers
    survey_round.refresh_from_db()
    assert survey_round.staff_asked == 1200

    client.post(url, {"staff_asked": ""})  # not known after all
    survey_round.refresh_from_db()
    assert survey_round.staff_asked is None
