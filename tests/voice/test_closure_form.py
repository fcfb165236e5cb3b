"""The closure form: "At the end of the Early Help assessment the co-ordinator completes a closure
form with the family".

A person sees the closed EHAs they may see that have no closure form yet (a coordinator their
own, a line manager their team's, the QA lead all), completes one with the family once, and
reads it afterwards; the family's contact details are kept only when they agree to be asked for
feedback, and only the one the chosen way needs."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.models import AccessLog
from earlyhelp.voice import closure
from earlyhelp.voice.closure import ClosureRefused
from earlyhelp.voice.models import ClosureForm, Questionnaire
from earlyhelp.voice.questionnaires import current_version

from ..cases.factories import EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db

LIST = "/closure-forms/"
CLOSED = EarlyHelpAssessment.Status.CLOSED

ANSWERS = {
    "support-received": "Parenting support from the family centre, and a school nurse.",
    "difference": "We talk to each other more and mornings are calmer.",
    "goals-met": "Most of them",
    "how-things-are": "7",
    "know-where-to-go": "Yes",
    "child-better": "I go to school every day now.",
}


def form_url(eha):
    return f"/closure-forms/{eha.pk}/"


def version():
    return current_version(Questionnaire.Kind.CLOSURE)


# Closure forms are due for EHAs closed in the last CLOSURE_FORM_DUE_DAYS (90): recent dates.
RECENT = timezone.localdate() - datetime.timedelta(days=20)


def days_before(n):
    return RECENT - datetime.timedelta(days=n)


def closed_eha(coordinator=None, closed_on=RECENT, **fields):
    return EarlyHelpAssessmentFactory(
        coordinator=coordinator, status=CLOSED, closure_date=closed_on, **fields
    )


def posted(**changes):
    """What the page posts for a complete closure form in which the family says no, with
    changes; None leaves a field out."""
    data = {**ANSWERS, "version": str(version().pk), "feedback_consent": "no"}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(response):
    return " ".join(soup_of(response).get_text(" ").split())


def error_summary(response):
    summary = soup_of(response).select_one(".govuk-error-summary")
    return [" ".join(li.get_text(" ").split()) for li in summary.select("li")] if summary else []


def due_references(user):
    return [eha.reference for eha in closure.closure_forms_due(user)]


def complete(eha, by, **changes):
    arguments = {
        "answers": ANSWERS,
        "version": version(),
        "consent": False,
        "method": "",
        "email": "",
        "phone": "",
        "by": by,
    }
    arguments.update(changes)
    return closure.complete(eha, **arguments)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, full_name="Cora Coordinator")


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# Who sees which closure forms are due ---------------------------------------------------------


def test_a_coordinator_sees_only_their_own_closed_ehas_without_a_closure_form_oldest_first(
    coordinator, make_user, signed_in
):
    closed_eha(coordinator, RECENT + datetime.timedelta(days=7), reference="MINE-LATER")
    closed_eha(coordinator, days_before(29), reference="MINE-EARLIER")
    EarlyHelpAssessmentFactory(coordinator=coordinator, reference="MINE-OPEN")
    done = closed_eha(coordinator, reference="MINE-DONE")
    complete(done, coordinator)
    closed_eha(make_user(Role.COORDINATOR), reference="SOMEONE-ELSES")

    assert due_references(coordinator) == ["MINE-EARLIER", "MINE-LATER"]
    response = signed_in(coordinator).get(LIST)
    rows = soup_of(response).select("#due tbody tr")
    assert [row.th.get_text(" ", strip=True) for row in rows] == [
        "Complete the closure form for MINE-EARLIER",
        "Complete the closure form for MINE-LATER",
    ]
    assert rows[0].select("td")[0].get_text(strip=True) == dateformat.format(
        days_before(29), "j F Y"
    )
    assert rows[0].a["href"] == form_url(EarlyHelpAssessment.objects.get(reference="MINE-EARLIER"))
    assert "SOMEONE-ELSES" not in text_of(response)
    assert "MINE-OPEN" not in text_of(response)


def test_a_coordinator_named_only_by_e_mail_in_the_data_report_sees_their_closed_eha(coordinator):
    closed_eha(None, reference="BY-EMAIL", coordinator_email=coordinator.email.lower())
    assert due_references(coordinator) == ["BY-EMAIL"]


def test_a_line_manager_sees_their_teams_closed_ehas_and_no_one_elses(make_user):
    manager = make_user(Role.LINE_MANAGER)
    report = make_user(Role.COORDINATOR, line_manager=manager)
    closed_eha(report, days_before(56), reference="TEAM-1")
    # A coordinator without an account, whose manager the data report names by e-mail.
    closed_eha(
        None,
        days_before(55),
        reference="TEAM-2",
        coordinator_manager_email=manager.email.lower(),
    )
    closed_eha(make_user(Role.COORDINATOR), reference="OTHER-TEAM")
    assert due_references(manager) == ["TEAM-1", "TEAM-2"]


def test_an_eha_closed_longer_ago_than_the_due_period_is_not_listed(coordinator):
    closed_eha(coordinator, timezone.localdate() - datetime.timedelta(days=91), reference="OLD")
    closed_eha(coordinator, timezone.localdate() - datetime.timedelta(days=90), reference="EDGE")
    assert due_references(coordinator) == ["EDGE"]


def test_the_qa_lead_sees_every_closed_eha_without_a_closure_form(make_user):
    closed_eha(make_user(Role.COORDINATOR), reference="A")
    closed_eha(None, reference="B")
    assert sorted(due_references(make_user(Role.QA_LEAD))) == ["A", "B"]


@pytest.mark.parametrize(
    "role", [Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER, Role.AUDITOR, Role.ADMINISTRATOR]
)
def test_partnership_viewers_data_officers_auditors_and_administrators_are_refused(
    client_for, role
):
    eha = closed_eha()
    client = client_for(role)
    assert client.get(LIST).status_code == 403
    assert client.get(form_url(eha)).status_code == 403
    assert client.post(form_url(eha), posted()).status_code == 403
    assert not ClosureForm.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_another_coordinators_eha_is_not_found_and_nothing_is_logged_or_saved(
    coordinator, make_user, signed_in
):
    theirs = closed_eha(make_user(Role.COORDINATOR))
    client = signed_in(coordinator)
    assert client.get(form_url(theirs)).status_code == 404
    assert client.post(form_url(theirs), posted()).status_code == 404
    assert client.get("/closure-forms/999999/").status_code == 404
    assert not ClosureForm.objects.exists()
    assert not AccessLog.objects.exists()


def test_the_lists_say_when_there_is_nothing_to_show(coordinator, signed_in):
    response = signed_in(coordinator).get(LIST)
    page = soup_of(response)
    assert page.select_one("#due-empty") is not None
    assert page.select_one("#completed-empty") is not None


# Completing it with the family ------------------------------------------------------------------


def test_the_form_shows_the_ehas_reference_closure_date_questions_and_the_feedback_question(
    coordinator, signed_in
):
    eha = closed_eha(coordinator, RECENT, reference="EHA-CLOSED")
    response = signed_in(coordinator).get(form_url(eha))
    assert response.status_code == 200
    text = text_of(response)
    assert "EHA-CLOSED" in text
    assert dateformat.format(RECENT, "j F Y") in text
    assert "What support did the family receive?" in text
    assert "In the child or young person's own words" in text
    assert "Does the family agree to be asked for feedback about the help they had?" in text
    page = soup_of(response)
    # Without JavaScript every way of asking, and each contact field, is on the page.
    assert page.select_one("#conditional-feedback-consent") is not None
    assert page.select_one("input[name=contact_email]") is not None
    assert page.select_one("input[name=contact_phone][type=tel]") is not None
    assert page.select_one("input[name=version]")["value"] == str(version().pk)


def test_completing_it_saves_the_answers_with_their_version_and_who_then_lists_it_as_done(
    coordinator, signed_in
):
    eha = closed_eha(coordinator, reference="EHA-DONE")
    client = signed_in(coordinator)
    response = client.post(form_url(eha), posted(), follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "The closure form for EHA-DONE has been saved" in text_of(response)
    saved = ClosureForm.objects.get()
    assert saved.assessment == eha
    assert saved.version == version()
    assert saved.answers == ANSWERS
    assert saved.completed_by == coordinator
    assert saved.feedback_consent is False
    rows = soup_of(response).select("#completed tbody tr")
    assert [row.th.get_text(" ", strip=True) for row in rows] == ["Closure form for EHA-DONE"]
    assert "Cora Coordinator" in rows[0].get_text(" ")
    assert soup_of(response).select_one("#due-empty") is not None


def test_optional_questions_left_blank_are_not_stored(coordinator):
    eha = closed_eha(coordinator)
    saved = complete(eha, coordinator, answers={**ANSWERS, "child-better": ""})
    assert "child-better" not in saved.answers


def test_the_answers_keep_the_version_the_person_was_shown(coordinator, signed_in):
    eha = closed_eha(coordinator)
    shown = version()
    signed_in(coordinator).post(form_url(eha), posted(version=str(shown.pk)))
    assert ClosureForm.objects.get().version == shown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"feedback_consent": None}, "Select whether the family agrees to be asked for feedback"),
        (
            {"feedback_consent": "yes"},
            "Select how the family would like to be asked for feedback",
        ),
        (
            {"feedback_consent": "yes", "contact_method": "email"},
            "Enter the e-mail address to send the invitation to",
        ),
        (
            {"feedback_consent": "yes", "contact_method": "email", "contact_email": "not-an-email"},
            "Enter an e-mail address in the correct format, like name@example.com",
        ),
        (
            {"feedback_consent": "yes", "contact_method": "text"},
            "Enter the mobile phone number to send the text message to",
        ),
        (
            {"feedback_consent": "yes", "contact_method": "text", "contact_phone": "01228 606060"},
            "Enter a UK mobile phone number, like 07700 900982 or +44 7700 900982",
        ),
        (
            {"feedback_consent": "yes", "contact_method": "text", "contact_phone": "0770090098"},
            "Enter a UK mobile phone number, like 07700 900982 or +44 7700 900982",
        ),
        (
            {"feedback_consent": "yes", "contact_method": "pigeon"},
            "Select how the family would like to be asked for feedback",
        ),
        (
            {"feedback_consent": "maybe"},
            "Select whether the family agrees to be asked for feedback",
        ),
    ],
    ids=[
        "no answer about feedback",
        "consent yes without a way",
        "e-mail without an address",
        "a bad e-mail address",
        "text message without a number",
        "a landline number",
        "a number too short",
        "a made-up way",
        "a made-up consent answer",
    ],
)
def test_each_mistake_about_feedback_is_shown_in_the_error_summary_and_nothing_is_saved(
    coordinator, signed_in, changes, message
):
    eha = closed_eha(coordinator)
    response = signed_in(coordinator).post(form_url(eha), posted(**changes))
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert soup_of(response).title.get_text().startswith("Error: ")
    assert not ClosureForm.objects.exists()


def test_the_error_summary_links_to_the_field_with_the_mistake(coordinator, signed_in):
    eha = closed_eha(coordinator)
    response = signed_in(coordinator).post(
        form_url(eha),
        posted(feedback_consent="yes", contact_method="email", contact_email="nope"),
    )
    page = soup_of(response)
    link = page.select_one(".govuk-error-summary a")
    assert link["href"] == "#id_contact_email"
    assert page.select_one("#id_contact_email")["value"] == "nope"
    # The way chosen stays chosen, and its field is shown.
    assert page.select_one("#id_contact_method_0").has_attr("checked")
    assert (
        "govuk-radios__conditional--hidden"
        not in page.select_one("#conditional-contact-email")["class"]
    )


def test_a_made_up_answer_to_a_question_is_an_error_never_stored(coordinator, signed_in):
    eha = closed_eha(coordinator)
    response = signed_in(coordinator).post(
        form_url(eha), posted(**{"how-things-are": "11", "goals-met": "All of them and more"})
    )
    links = [a["href"] for a in soup_of(response).select(".govuk-error-summary a")]
    assert links == ["#id_goals-met_0", "#id_how-things-are_0"]
    assert not ClosureForm.objects.exists()
    with pytest.raises(ClosureRefused):
        complete(eha, coordinator, answers={**ANSWERS, "how-things-are": "11"})
    with pytest.raises(ClosureRefused, match="not questions of this closure form"):
        complete(eha, coordinator, answers={**ANSWERS, "family-name": "Smith"})
    assert not ClosureForm.objects.exists()


def test_a_required_question_left_blank_is_an_error(coordinator, signed_in):
    eha = closed_eha(coordinator)
    response = signed_in(coordinator).post(form_url(eha), posted(difference=""))
    assert len(error_summary(response)) == 1
    assert not ClosureForm.objects.exists()


# The family's contact details: kept only with consent -------------------------------------------


@pytest.mark.parametrize(
    "typed", ["07700 900982", "07700900982", "+44 7700 900982", "+447700-900-982"]
)
def test_a_uk_mobile_number_is_accepted_however_it_is_written_and_kept_as_plus_44(
    coordinator, signed_in, typed
):
    eha = closed_eha(coordinator)
    signed_in(coordinator).post(
        form_url(eha),
        posted(feedback_consent="yes", contact_method="text", contact_phone=typed),
    )
    saved = ClosureForm.objects.get()
    assert (saved.contact_method, saved.contact_phone, saved.contact_email) == (
        "text",
        "+447700900982",
        "",
    )


def test_with_consent_by_e_mail_only_the_e_mail_address_is_kept(coordinator, signed_in):
    eha = closed_eha(coordinator)
    signed_in(coordinator).post(
        form_url(eha),
        posted(
            feedback_consent="yes",
            contact_method="email",
            contact_email=" parent@example.com ",
            contact_phone="07700 900982",  # typed, then e-mail chosen: not kept
        ),
    )
    saved = ClosureForm.objects.get()
    assert saved.feedback_consent is True
    assert (saved.contact_method, saved.contact_email, saved.contact_phone) == (
        "email",
        "parent@example.com",
        "",
    )
    assert saved.contact_erased_at is None  # erased by the invitations, once sent


def test_by_letter_no_contact_details_are_kept(coordinator, signed_in):
    eha = closed_eha(coordinator)
    signed_in(coordinator).post(
        form_url(eha),
        posted(
            feedback_consent="yes",
            contact_method="letter",
            contact_email="parent@example.com",
            contact_phone="07700 900982",
        ),
    )
    saved = ClosureForm.objects.get()
    assert (saved.contact_method, saved.contact_email, saved.contact_phone) == ("letter", "", "")


def test_without_consent_nothing_about_contact_is_kept_even_if_it_was_typed(coordinator, signed_in):
    eha = closed_eha(coordinator)
    signed_in(coordinator).post(
        form_url(eha),
        posted(
            feedback_consent="no",
            contact_method="email",
            contact_email="parent@example.com",
            contact_phone="07700 900982",
        ),
    )
    saved = ClosureForm.objects.get()
    assert (saved.feedback_consent, saved.contact_method) == (False, "")
    assert (saved.contact_email, saved.contact_phone) == ("", "")


def test_the_service_applies_the_same_rules_as_the_page(coordinator):
    eha = closed_eha(coordinator)
    with pytest.raises(ClosureRefused) as refused:
        complete(eha, coordinator, consent=True)
    assert refused.value.errors == {"method": closure.NO_METHOD}
    with pytest.raises(ClosureRefused) as refused:
        complete(eha, coordinator, consent=True, method="text", phone="01228 606060")
    assert refused.value.errors == {"phone": closure.BAD_PHONE}
    saved = complete(eha, coordinator, consent=False, method="email", email="a@example.com")
    assert (saved.contact_method, saved.contact_email) == ("", "")


# Once only, and only for a closed EHA -----------------------------------------------------------


def test_a_second_closure_form_for_the_same_eha_is_refused(coordinator, make_user, signed_in):
    eha = closed_eha(coordinator)
    complete(eha, coordinator)
    with pytest.raises(ClosureRefused, match="already been completed"):
        complete(eha, make_user(Role.QA_LEAD))

    response = signed_in(coordinator).post(form_url(eha), posted(), follow=True)
    assert response.redirect_chain == [(form_url(eha), 302)]
    assert "The closure form for this EHA has already been completed" in text_of(response)
    assert ClosureForm.objects.count() == 1


def test_an_eha_not_recorded_as_closed_takes_no_closure_form(coordinator, signed_in):
    eha = EarlyHelpAssessmentFactory(coordinator=coordinator, reference="STILL-OPEN")
    with pytest.raises(ClosureRefused, match="not recorded as closed"):
        complete(eha, coordinator)
    client = signed_in(coordinator)
    response = client.get(form_url(eha))
    assert response.status_code == 200
    assert "This EHA is not closed yet" in text_of(response)
    assert soup_of(response).select_one("form input[name=feedback_consent]") is None
    client.post(form_url(eha), posted())
    assert not ClosureForm.objects.exists()


def test_only_a_closure_form_version_may_be_used(coordinator):
    eha = closed_eha(coordinator)
    with pytest.raises(ClosureRefused, match="not a version of the closure form"):
        complete(eha, coordinator, version=current_version(Questionnaire.Kind.STAFF))


def test_a_posted_version_of_another_questionnaire_is_not_used(coordinator, signed_in):
    eha = closed_eha(coordinator)
    staff = current_version(Questionnaire.Kind.STAFF)
    signed_in(coordinator).post(form_url(eha), posted(version=str(staff.pk)))
    assert ClosureForm.objects.get().version == version()


# Reading it afterwards ------------------------------------------------------------------------


def test_a_completed_closure_form_is_shown_read_only_with_its_answers_by_section(
    coordinator, make_user, signed_in
):
    eha = closed_eha(coordinator, reference="EHA-READ")
    complete(eha, coordinator, consent=True, method="email", email="parent@example.com")
    manager_reads = signed_in(make_user(Role.QA_LEAD)).get(form_url(eha))
    page = soup_of(manager_reads)
    assert page.select_one("form input[name=feedback_consent]") is None
    headings = [h.get_text(strip=True) for h in page.select("h2.govuk-heading-m")]
    assert headings[:3] == [
        "The support the family received",
        "How things are now",
        "In the child or young person's own words",
    ]
    text = text_of(manager_reads)
    assert "We talk to each other more and mornings are calmer." in text
    assert "Completed by Cora Coordinator" in text
    assert "Is there anything you still need help with? Not answered" in text
    assert "Agrees to be asked for feedback Yes" in text
    assert "How they would like to be asked E-mail" in text
    assert "parent@example.com" in text  # until the invitation has been sent


def test_contact_details_once_erased_are_never_shown(coordinator, signed_in):
    eha = closed_eha(coordinator)
    done = complete(eha, coordinator, consent=True, method="text", phone="07700 900982")
    # What the invitations do once the invitation has gone.
    ClosureForm.objects.filter(pk=done.pk).update(
        contact_phone="", contact_erased_at=timezone.now()
    )
    response = signed_in(coordinator).get(form_url(eha))
    details = soup_of(response).select_one("#contact-details").get_text(" ", strip=True)
    assert details == "Erased after the invitation was sent"
    assert "900982" not in text_of(response)


def test_a_letter_says_no_contact_details_are_kept(coordinator, signed_in):
    eha = closed_eha(coordinator)
    complete(eha, coordinator, consent=True, method="letter")
    response = signed_in(coordinator).get(form_url(eha))
    details = soup_of(response).select_one("#contact-details").get_text(" ", strip=True)
    assert details == "None kept: the lead agency posts the letter"


def test_a_coordinator_cannot_read_another_coordinators_closure_form(
    coordinator, make_user, signed_in
):
    other = make_user(Role.COORDINATOR)
    eha = closed_eha(other)
    complete(eha, other)
    client = signed_in(coordinator)
    assert client.get(form_url(eha)).status_code == 404
    assert "Closure form for" not in text_of(client.get(LIST))


# The access log ---------------------------------------------------------------------------------


def test_every_view_of_a_closure_form_page_is_logged_with_who_and_which_eha(coordinator, signed_in):
    eha = closed_eha(coordinator, reference="EHA-LOGGED")
    client = signed_in(coordinator)
    client.get(form_url(eha))
    client.post(form_url(eha), posted(feedback_consent=None))  # shown again with a mistake
    client.post(form_url(eha), posted())
    client.get(form_url(eha))  # read-only now

    entries = list(AccessLog.objects.order_by("pk"))
    assert len(entries) == 4
    assert {(e.user, e.record_type, e.record_id, e.record_label, e.path) for e in entries} == {
        (coordinator, "closure_form", eha.pk, "EHA-LOGGED", form_url(eha))
    }


def test_the_list_itself_logs_nothing(coordinator, signed_in):
    closed_eha(coordinator)
    signed_in(coordinator).get(LIST)
    assert not AccessLog.objects.exists()


# The list's queries -----------------------------------------------------------------------------


def test_the_lists_queries_do_not_grow_with_the_number_of_rows(coordinator, make_user, signed_in):
    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(captured)

    client = signed_in(coordinator)
    closed_eha(coordinator)
    complete(closed_eha(coordinator), coordinator)
    few = queries_for_list()

    for number in range(12):
        closed_eha(coordinator, days_before(60 - number))
        complete(closed_eha(coordinator), make_user(Role.COORDINATOR))
    assert queries_for_list() == few
