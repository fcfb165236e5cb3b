"""Voice results: the figures computed from a made-up set of family answers and closure forms,
small-number suppression, who may see the page, and what partnership viewers never see."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.voice.results import (
    CLOSURE,
    FEEDBACK,
    FEWER_THAN,
    HIDDEN,
    dates_period,
    family_feedback,
    parse_quarter,
    quarter_containing,
    quarters_ending,
    voice_results,
)

from .factories import (
    SENT_ON,
    ClosedAssessmentFactory,
    ClosureFormFactory,
    FeedbackInvitationFactory,
    FeedbackResponseFactory,
    QuoteFactory,
    at_midday,
)

pytestmark = pytest.mark.django_db

INDEX = "/voice/"
Q3 = parse_quarter("2026-Q3")

# 17 families answered, in three districts: Copeland 7, Carlisle 6, Allerdale 4.
SCORES = [10, 9, 8, 8, 7, 7, 7, 6, 5, 5, 3, 2, 0, None, None, None, None]
LISTENED = ["Strongly agree"] * 8 + ["Agree"] * 5 + ["Disagree"] * 2 + [None, None]
HELPED = [["Someone to talk to", "Help at school"]] * 3 + [["Someone to talk to"]] * 2
GOOD = ["Someone listened.", "The groups.", "Help with school.", "Calmer.", "All of it.", "Yes."]
DISTRICTS = ["Copeland"] * 7 + ["Carlisle"] * 6 + ["Allerdale"] * 4


def district(name):
    return District.objects.get_or_create(name=name)[0]


def answers_of(index):
    given = {
        "difference-score": SCORES[index],
        "listened-to": LISTENED[index],
        "child-what-helped": HELPED[index] if index < len(HELPED) else None,
        "what-was-good": GOOD[index] if index < len(GOOD) else None,
    }
    return {
        key: str(value) if key == "difference-score" else value
        for key, value in given.items()
        if value is not None
    }


@pytest.fixture
def family_answers():
    """17 responses to 19 invitations sent in 2026-Q3 (two in Carlisle unanswered)."""
    responses = [
        FeedbackResponseFactory(
            invitation__assessment__district=district(name), answers=answers_of(index)
        )
        for index, name in enumerate(DISTRICTS)
    ]
    FeedbackInvitationFactory.create_batch(2, assessment__district=district("Carlisle"))
    return responses


def feedback(results):
    return next(kind for kind in results.kinds if kind.key == "feedback")


def closure(results):
    return next(kind for kind in results.kinds if kind.key == "closure")


def question(kind, question_id):
    return next(q for q in kind.questions if q.id == question_id)


def rows(table):
    return {row[0]: row[1:] for row in table.rows}


# Periods --------------------------------------------------------------------------------------


def test_quarters_are_calendar_quarters():
    assert Q3.start == datetime.date(2026, 7, 1)
    assert Q3.end == datetime.date(2026, 9, 30)
    assert Q3.label == "2026-Q3 (July to September 2026)"
    assert quarter_containing(datetime.date(2026, 12, 31)).quarter == "2026-Q4"
    assert [q.quarter for q in quarters_ending(datetime.date(2026, 2, 1))] == [
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]


@pytest.mark.parametrize(
    "text", ["", "2026", "2026-Q5", "26-Q1", "2026-Q0", "\uff12\uff10\uff12\uff16-Q1"]
)
def test_a_made_up_quarter_is_not_a_quarter(text):
    assert parse_quarter(text) is None


# The figures ----------------------------------------------------------------------------------


def test_invitations_responses_and_the_response_rate(family_answers):
    figures = feedback(voice_results(Q3))
    assert figures.asked == 19
    assert figures.responses == 17
    assert rows(figures.summary) == {
        "Invitations sent": [19],
        "Responses": [17],
        "Response rate (per cent)": [89],
    }
    assert figures.summary.caption == "Invitations answered: 17 of 19"


def test_an_agree_scale_counts_each_option_of_those_who_answered(family_answers):
    listened = question(feedback(voice_results(Q3)), "listened-to")
    assert (listened.answered, listened.denominator) == (15, 17)
    assert listened.table.caption == "Answered in 15 of 17 responses"
    assert rows(listened.table) == {
        "Strongly agree": [8, 53],
        "Agree": [5, 33],
        "Neither agree nor disagree": [0, 0],
        "Disagree": [2, 13],
        "Strongly disagree": [0, 0],
    }


def test_a_0_to_10_scale_has_its_mean_median_and_distribution(family_answers):
    score = question(feedback(voice_results(Q3)), "difference-score")
    assert (score.answered, score.denominator) == (13, 17)
    assert score.table.facts == [("Average (mean)", 5.9), ("Median", 7)]
    distribution = rows(score.table)
    assert [distribution[str(n)][0] for n in range(11)] == [1, 0, 1, 1, 0, 2, 1, 3, 2, 1, 1]
    assert distribution["7"] == [3, 23]


def test_multiple_choice_counts_every_option_chosen(family_answers):
    helped = question(feedback(voice_results(Q3)), "child-what-helped")
    assert helped.answered == 5
    assert rows(helped.table)["Someone to talk to"] == [5, 100]
    assert rows(helped.table)["Help at school"] == [3, 60]
    assert rows(helped.table)["Doing activities"] == [0, 0]


def test_free_text_is_only_counted(family_answers):
    figures = feedback(voice_results(Q3))
    good = question(figures, "what-was-good")
    assert good.is_free_text
    assert (good.answered, good.denominator, good.table) == (6, 17, None)
    assert rows(figures.free_text) == {
        "What was good about the help?": [6, 17],
        "What could have been better?": [0, 17],
        "What was it like for you?": [0, 17],
    }
    everything = repr(voice_results(Q3))
    for text in GOOD:
        assert text not in everything


def test_by_district_a_group_of_4_is_suppressed_and_the_next_smallest_with_it(family_answers):
    by_district = rows(feedback(voice_results(Q3)).by_district)
    assert by_district["Allerdale"] == [FEWER_THAN, 4, FEWER_THAN, FEWER_THAN]
    # Hidden too: otherwise Allerdale's figures would be the total less the others.
    assert by_district["Carlisle"] == [HIDDEN, 8, HIDDEN, HIDDEN]
    copeland_mean = round(sum([10, 9, 8, 8, 7, 7, 7]) / 7, 1)
    assert by_district["Copeland"] == [7, 7, 100, copeland_mean]


def test_small_groups_that_reach_5_together_are_shown_together():
    for name, how_many in [("Allerdale", 3), ("Barrow", 2), ("Copeland", 6)]:
        FeedbackResponseFactory.create_batch(
            how_many,
            invitation__assessment__district=district(name),
            answers={"difference-score": "8"},
        )
    table = feedback(voice_results(Q3)).by_district
    assert [row[0] for row in table.rows] == [
        "Copeland",
        "Other districts (Allerdale, Barrow: fewer than 5 responses each)",
    ]
    assert table.rows[1][1:] == [5, 5, 100, 8]
    assert "shown together" in table.note


def test_by_agency_type(family_answers):
    by_type = rows(feedback(voice_results(Q3)).by_agency_type)
    assert list(by_type) == ["Family Support"]
    assert by_type["Family Support"][:3] == [17, 19, 89]


def test_each_of_the_last_4_quarters(family_answers):
    earlier = datetime.date(2026, 5, 6)  # 2026-Q2
    FeedbackResponseFactory.create_batch(
        5, invitation__sent_at=at_midday(earlier), answers={"difference-score": "4"}
    )
    FeedbackInvitationFactory(sent_at=at_midday(datetime.date(2025, 11, 1)))
    FeedbackInvitationFactory(sent_at=at_midday(datetime.date(2025, 9, 30)))  # 2025-Q3: too old
    table = feedback(voice_results(Q3)).by_quarter
    by_quarter = rows(table)
    assert list(by_quarter) == [
        "2025-Q4 (October to December 2025)",
        "2026-Q1 (January to March 2026)",
        "2026-Q2 (April to June 2026)",
        "2026-Q3 (July to September 2026)",
    ]
    assert by_quarter["2025-Q4 (October to December 2025)"][:3] == [0, 1, 0]
    assert by_quarter["2026-Q1 (January to March 2026)"] == [0, 0, 0, "no answers"]
    assert by_quarter["2026-Q2 (April to June 2026)"] == [5, 5, 100, 4]
    assert by_quarter["2026-Q3 (July to September 2026)"][:3] == [17, 19, 89]


def test_a_period_of_dates_counts_invitations_sent_within_it(family_answers):
    FeedbackResponseFactory(invitation__sent_at=at_midday(datetime.date(2026, 10, 1)))
    period = dates_period(datetime.date(2026, 8, 3), datetime.date(2026, 10, 1))
    assert feedback(voice_results(period)).asked == 20
    assert feedback(voice_results(dates_period(SENT_ON, SENT_ON))).asked == 19
    after = datetime.date(2026, 8, 4)
    assert feedback(voice_results(dates_period(after, after))).asked == 0


def test_letters_count_as_sent_on_the_day_they_were_printed():
    FeedbackInvitationFactory(
        sent_at=None,
        letter_printed_at=at_midday(SENT_ON),
        method="letter",
        expires_on=SENT_ON + datetime.timedelta(days=28),
    )
    FeedbackInvitationFactory(sent_at=None, expires_on=SENT_ON)  # made, never sent
    assert feedback(voice_results(Q3)).asked == 1


def test_under_5_responses_nothing_from_the_answers_is_shown():
    FeedbackResponseFactory.create_batch(4, answers={"difference-score": "2"})
    figures = feedback(voice_results(Q3))
    assert not figures.enough
    assert rows(figures.summary)["Responses"] == [FEWER_THAN]
    assert rows(figures.summary)["Response rate (per cent)"] == [HIDDEN]
    assert figures.summary.caption == ""
    assert all(q.table is None for q in figures.questions)
    assert figures.free_text is None
    assert all(row[1] in (FEWER_THAN, HIDDEN) for row in figures.by_district.rows)


def test_only_publishable_quotes_of_the_period_appear(family_answers):
    QuoteFactory(response=family_answers[0], moderated_text="They listened to us.")
    QuoteFactory(response=family_answers[1], moderated_text="Not this one.", publishable=False)
    QuoteFactory(
        response__invitation__sent_at=at_midday(datetime.date(2026, 4, 1)),
        moderated_text="From another quarter.",
    )
    quotes = feedback(voice_results(Q3)).quotes
    assert [(q.question, q.text) for q in quotes] == [
        ("What was good about the help?", "They listened to us.")
    ]


# Closure forms --------------------------------------------------------------------------------


def test_closure_forms_against_the_ehas_closed_in_the_period():
    for score in ["3", "5", "7", "8", "9"]:
        ClosureFormFactory(
            answers={
                "how-things-are": score,
                "goals-met": "Most of them",
                "child-better": "I see my friends.",
            }
        )
    ClosedAssessmentFactory.create_batch(2)
    ClosedAssessmentFactory(closure_date=datetime.date(2026, 6, 30))  # 2026-Q2
    figures = closure(voice_results(Q3))
    assert rows(figures.summary) == {
        "EHAs closed": [7],
        "Responses": [5],
        "Response rate (per cent)": [71],
    }
    how = question(figures, "how-things-are")
    assert how.table.facts == [("Average (mean)", 6.4), ("Median", 7)]
    assert rows(question(figures, "goals-met").table)["Most of them"] == [5, 100]
    assert rows(figures.free_text)["What is better for you now?"] == [5, 5]
    assert figures.quotes == []


def test_a_closure_form_without_a_closure_date_counts_when_it_was_completed():
    eha = ClosedAssessmentFactory(closure_date=None)
    ClosureFormFactory(assessment=eha, completed_at=at_midday(SENT_ON))
    assert closure(voice_results(Q3)).asked == 1


def at_local(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_an_answer_counts_in_the_period_of_the_local_day_its_invitation_was_sent():
    last_day, next_day = Q3.end, Q3.end + datetime.timedelta(days=1)
    FeedbackResponseFactory(invitation__sent_at=at_local(last_day, 23, 30))  # 22:30 UTC
    FeedbackResponseFactory(invitation__sent_at=at_local(next_day, 0, 30))  # 23:30 UTC before
    QuoteFactory(
        response__invitation__sent_at=at_local(next_day, 0, 15), moderated_text="Next quarter."
    )
    figures = feedback(voice_results(Q3))
    assert (figures.asked, figures.quotes) == (1, [])
    assert feedback(voice_results(parse_quarter("2026-Q4"))).asked == 2


def test_a_closure_form_completed_late_on_the_last_day_counts_in_that_period():
    eha = ClosedAssessmentFactory(closure_date=None)
    ClosureFormFactory(assessment=eha, completed_at=at_local(Q3.end, 23, 30))
    assert closure(voice_results(Q3)).asked == 1
    assert closure(voice_results(parse_quarter("2026-Q4"))).asked == 0


def test_results_can_be_limited_to_one_kind_of_answer(family_answers):
    ClosureFormFactory(answers={"how-things-are": "7"})
    assert [kind.key for kind in voice_results(Q3, kinds=(FEEDBACK,)).kinds] == [FEEDBACK]
    only_closure = voice_results(Q3, kinds=(CLOSURE,))
    assert [kind.key for kind in only_closure.kinds] == [CLOSURE]
    assert only_closure.kinds[0].responses == 1


def test_family_feedback_alone_is_the_results_pages_family_feedback(family_answers):
    QuoteFactory(response=family_answers[0], moderated_text="They listened to us.")
    whole = feedback(voice_results(Q3))
    alone = family_feedback(Q3)
    assert (alone.asked, alone.responses, alone.enough) == (19, 17, True)
    assert alone.summary == whole.summary
    assert [q.table for q in alone.questions] == [q.table for q in whole.questions]
    assert alone.quotes == whole.quotes
    assert [q.text for q in alone.quotes] == ["They listened to us."]


def test_family_feedback_alone_takes_three_queries_whatever_the_answers(family_answers):
    with CaptureQueriesContext(connection) as queries:
        family_feedback(Q3)
    assert len(queries) == 3


def test_each_question_keeps_the_answers_given_for_a_headline_but_never_free_text(
    family_answers,
):
    figures = family_feedback(Q3)
    assert sorted(question(figures, "listened-to").given) == sorted(LISTENED[:15])
    assert question(figures, "what-was-good").given == []
    assert "Someone listened." not in repr(figures)


# The page -------------------------------------------------------------------------------------


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.PARTNERSHIP_VIEWER])
def test_the_page_shows_the_figures_for_the_period(client_for, family_answers, role):
    response = client_for(role).get(INDEX, {"quarter": "2026-Q3"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#period").get_text() == "2026-Q3 (July to September 2026)"
    listened = soup.select_one("#feedback-listened-to-table")
    assert "Answered in 15 of 17 responses" in listened.caption.get_text()
    district_text = soup.select_one("#feedback-by-district").get_text(" ", strip=True)
    assert "Allerdale fewer than 5" in district_text
    assert soup.select_one("#download-csv")["href"] == "/voice/results.csv?quarter=2026-Q3"


def test_the_page_shows_the_current_quarter_without_a_period(client_for):
    response = client_for(Role.PARTNERSHIP_VIEWER).get(INDEX)
    assert response.status_code == 200
    assert "There are fewer than 5 responses in this period" in text_of(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"quarter": "1999-Q1"}, "Select one of the quarters in the list"),
        (
            {"date_from_0": "1", "date_from_1": "4", "date_from_2": "2026"},
            "Enter the last day of the period",
        ),
        (
            {
                **{"date_from_0": "2", "date_from_1": "4", "date_from_2": "2026"},
                **{"date_to_0": "1", "date_to_1": "4", "date_to_2": "2026"},
            },
            "The last day must be the same as or after the first day",
        ),
        ({"date_to_0": "31", "date_to_1": "2", "date_to_2": "2026"}, "must be a real date"),
    ],
)
def test_a_wrong_period_is_an_error_not_a_crash(client_for, query, message):
    response = client_for(Role.QA_LEAD).get(INDEX, query)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "govuk-error-summary" in response.content.decode()
    # The downloads go back to the page, which says what is wrong.
    download = client_for(Role.QA_LEAD).get("/voice/results.csv", query)
    assert download.status_code == 302
    assert download["Location"].startswith("/voice/?")


def test_a_period_of_dates_is_shown(client_for, family_answers):
    query = {
        **{"date_from_0": "1", "date_from_1": "8", "date_from_2": "2026"},
        **{"date_to_0": "31", "date_to_1": "8", "date_to_2": "2026"},
    }
    response = client_for(Role.QA_LEAD).get(INDEX, query)
    assert "1 August 2026 to 31 August 2026" in text_of(response)
    assert "Invitations answered: 17 of 19" in text_of(response)


def test_publishable_quotes_are_on_the_page(client_for, family_answers):
    QuoteFactory(response=family_answers[0], moderated_text="They listened to us.")
    QuoteFactory(response=family_answers[1], moderated_text="Kept back.", publishable=False)
    for role in (Role.QA_LEAD, Role.PARTNERSHIP_VIEWER):
        page_text = text_of(client_for(role).get(INDEX, {"quarter": "2026-Q3"}))
        assert "They listened to us." in page_text
        assert "Kept back." not in page_text


SECRET = "Zebra Wendy at Moorclose Primary told us everything"
CHILD_SECRET = "Grandad Albert is poorly"


@pytest.fixture
def identifying_answers(family_answers):
    """A distinctive free-text answer in family feedback and in a closure form's child section,
    neither moderated."""
    response = FeedbackResponseFactory(
        invitation__assessment__reference="EHA-SECRET-1",
        answers={"what-was-good": SECRET, "child-own-words": SECRET, "difference-score": "9"},
    )
    ClosureFormFactory(
        assessment__reference="EHA-SECRET-2",
        answers={"child-better": CHILD_SECRET, "difference": SECRET, "how-things-are": "6"},
    )
    return [response.assessment.reference, "EHA-SECRET-2"] + [
        r.assessment.reference for r in family_answers
    ]


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_VIEWER, Role.QA_LEAD])
@pytest.mark.parametrize("url", [INDEX, "/voice/results.csv", "/voice/results.xlsx"])
def test_results_never_hold_unmoderated_text_or_eha_references(
    client_for, identifying_answers, role, url
):
    response = client_for(role).get(url, {"quarter": "2026-Q3"})
    assert response.status_code == 200
    body = response.content
    if url.endswith(".xlsx"):
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(body))
        body = "\n".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        ).encode()
    decoded = body.decode("utf-8-sig")
    for words in (SECRET, CHILD_SECRET, "Zebra", "Albert"):
        assert words not in decoded
    for reference in identifying_answers:
        assert reference not in decoded


def test_partnership_viewers_get_no_links_to_answers(client_for, identifying_answers):
    QuoteFactory()  # "The worker really listened to us.", publishable
    page = client_for(Role.PARTNERSHIP_VIEWER).get(INDEX, {"quarter": "2026-Q3"})
    content = page.content.decode()
    assert "/voice/answers/" not in content
    assert "The worker really listened to us." in content
    qa_page = client_for(Role.QA_LEAD).get(INDEX, {"quarter": "2026-Q3"}).content.decode()
    assert "/voice/answers/" in qa_page


URLS = [
    INDEX,
    "/voice/results.csv",
    "/voice/results.xlsx",
    "/voice/answers/",
    "/voice/answers/feedback/1/what-was-good/",
]


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.QA_LEAD, Role.PARTNERSHIP_VIEWER)]
)
@pytest.mark.parametrize("url", URLS)
def test_every_other_role_is_refused(client_for, role, url):
    assert client_for(role).get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("url", ["/voice/answers/", "/voice/answers/feedback/1/what-was-good/"])
def test_partnership_viewers_are_refused_the_answers(client_for, url):
    assert client_for(Role.PARTNERSHIP_VIEWER).get(url).status_code == 403


# Queries --------------------------------------------------------------------------------------


def make_responses(how_many, offset):
    for index in range(how_many):
        response = FeedbackResponseFactory(
            invitation__assessment__district=district(f"District {(index + offset) % 4}"),
            invitation__assessment__agency_type=AgencyType.objects.get_or_create(
                name=f"Type {index % 3}"
            )[0],
            answers={"difference-score": str(index % 11), "what-was-good": "Good."},
        )
        QuoteFactory(response=response)
        ClosureFormFactory(answers={"how-things-are": "5", "child-better": "Better."})


@pytest.mark.parametrize("url", [INDEX, "/voice/results.csv", "/voice/results.xlsx"])
def test_the_queries_do_not_grow_with_the_number_of_responses(client_for, url):
    client = client_for(Role.QA_LEAD)
    make_responses(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"quarter": "2026-Q3"}).status_code == 200
    make_responses(27, 3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"quarter": "2026-Q3"}).status_code == 200
    assert len(many) == len(few)
