"""Feedback invitations: made for the families who agreed at closure and by random selection,
sent by e-mail and text message in fixed words, reminded once, printed as letters; contact details
erased when no longer needed; single use and the expiry day; and the QA lead's pages."""

import datetime
import logging
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.core.scheduling import run_daily_jobs
from earlyhelp.voice import invitations, sms
from earlyhelp.voice.invitations import (
    EXPIRED,
    UNKNOWN,
    USED,
    FeedbackRefused,
    draw_random_selection,
    invite_consenting_families,
    open_invitation,
    preview_selection,
    send_due,
    submit,
)
from earlyhelp.voice.models import (
    ClosureForm,
    FeedbackInvitation,
    FeedbackResponse,
    FeedbackSelection,
)
from earlyhelp.voice.questionnaires import current_version
from earlyhelp.voice.tokens import grouped, token_for

from ..cases.factories import EarlyHelpAssessmentFactory
from .invitation_helpers import (
    AGENCY,
    COORDINATOR,
    FAMILY_EMAIL,
    FAMILY_PHONE,
    closed_eha,
    closure_form,
    fresh,
    invitation,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
LOCMEM_SMS = override_settings(SMS_BACKEND="earlyhelp.voice.sms.LocmemBackend")


@pytest.fixture(autouse=True)
def empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def days(n):
    return datetime.timedelta(days=n)


def tokens_in(text):
    return re.findall(r"/feedback/([0-9A-Z]{26})/", text)


def answers():
    return {"listened-to": "Agree", "what-was-good": "Someone listened."}


def feedback_version():
    return current_version("service_user_feedback")


# Families who agreed at closure ----------------------------------------------------------------


def test_each_family_that_agreed_is_invited_once_the_way_they_chose():
    by_email = closure_form(method="email")
    by_text = closure_form(method="text")
    by_letter = closure_form(method="letter")
    declined = closure_form(consent=False)
    assert invite_consenting_families(TODAY) == 3
    assert invite_consenting_families(TODAY) == 0
    made = {i.assessment_id: i for i in FeedbackInvitation.objects.all()}
    assert set(made) == {f.assessment_id for f in (by_email, by_text, by_letter)}
    assert declined.assessment_id not in made
    for form in (by_email, by_text, by_letter):
        invite = made[form.assessment_id]
        assert invite.source == FeedbackInvitation.Source.CONSENT
        assert invite.method == form.contact_method
        assert invite.expires_on == TODAY + days(28)
        assert len(invite.nonce) == 32
        assert invite.sent_at is None


def test_an_eha_already_invited_at_random_is_not_invited_again():
    form = closure_form(method="email")
    invitation(form.assessment, method="letter", source="random")
    assert invite_consenting_families(TODAY) == 0
    assert FeedbackInvitation.objects.get().source == "random"


@override_settings(FEEDBACK_LINK_DAYS=10)
def test_the_link_lasts_as_many_days_as_configured():
    closure_form()
    invite_consenting_families(TODAY)
    assert FeedbackInvitation.objects.get().expires_on == TODAY + days(10)


# Sending ---------------------------------------------------------------------------------------


def _invited(method="email"):
    form = closure_form(method=method)
    invite_consenting_families(TODAY)
    return form, FeedbackInvitation.objects.get(assessment=form.assessment)


def _all_that_must_not_appear(form):
    eha = form.assessment
    return [
        eha.reference,
        eha.family.reference,
        eha.lead_agency.name,
        AGENCY,
        COORDINATOR,
        eha.coordinator_email,
        eha.district.name,
        FAMILY_EMAIL,
        FAMILY_PHONE,
    ]


def test_an_email_invitation_is_sent_once_in_fixed_words_with_the_link_and_last_day():
    form, invite = _invited("email")
    assert send_due(TODAY) == 1
    assert send_due(TODAY) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [FAMILY_EMAIL]
    assert message.subject == "How was your Early Help support?"
    token = token_for(invite.nonce)
    assert f"{settings.SERVICE_URL}/feedback/{token}/" in message.body
    assert tokens_in(message.body) == [token]
    assert invite.expires_on == datetime.date(2026, 3, 30)
    assert "Monday 30 March 2026" in message.body
    assert "up to you" in message.body
    assert "never show your name" in message.body
    for secret in _all_that_must_not_appear(form):
        if secret == FAMILY_EMAIL:
            continue  # it is the address, never the words
        assert secret not in message.body, secret
        assert secret not in message.subject, secret
    assert fresh(invite).sent_at is not None


@LOCMEM_SMS
def test_a_text_message_invitation_is_sent_once_with_the_link_and_nothing_about_the_family():
    form, invite = _invited("text")
    assert send_due(TODAY) == 1
    assert send_due(TODAY) == 0
    assert mail.outbox == []
    assert len(sms.outbox) == 1
    text = sms.outbox[0]
    assert text.to == FAMILY_PHONE
    assert tokens_in(text.body) == [token_for(invite.nonce)]
    assert "30 Mar 2026" in text.body
    for secret in _all_that_must_not_appear(form):
        assert secret not in text.body, secret


def test_letters_are_never_sent_by_the_service():
    _invited("letter")
    assert send_due(TODAY) == 0
    assert mail.outbox == []
    assert sms.outbox == []


def test_the_invitation_and_its_messages_hold_no_family_name_or_reference_even_when_hostile():
    eha = closed_eha(
        "EHA-ZZ-4471", coordinator_name="Rosalind Featherstonehaugh", closed_on=TODAY - days(2)
    )
    eha.family.reference = "FAM-ZZ-9917"
    eha.family.save()
    form = closure_form(eha, method="email")
    invite_consenting_families(TODAY)
    send_due(TODAY)
    send_due(FeedbackInvitation.objects.get().expires_on - days(7))
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in ("EHA-ZZ-4471", "FAM-ZZ-9917", "Rosalind", "Featherstonehaugh"):
            assert secret not in text
        assert form.assessment.lead_agency.name not in text


def test_nothing_is_sent_once_the_link_has_expired():
    _, invite = _invited("email")
    assert send_due(invite.expires_on + days(1)) == 0
    assert mail.outbox == []


class FailingBackend(sms.BaseBackend):
    def send(self, to, body):
        raise ConnectionError(f"could not reach the gateway for {to}")


def test_a_message_that_fails_is_left_unsent_and_sent_the_next_day_without_logging_the_number(
    caplog,
):
    _, invite = _invited("text")
    with (
        override_settings(SMS_BACKEND="tests.voice.test_invitations.FailingBackend"),
        caplog.at_level(logging.DEBUG),
    ):
        assert send_due(TODAY) == 0
    assert fresh(invite).sent_at is None
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "could not be sent" in logged
    assert FAMILY_PHONE not in logged
    assert token_for(invite.nonce) not in logged
    with LOCMEM_SMS:
        assert send_due(TODAY + days(1)) == 1
    assert len(sms.outbox) == 1


@override_settings(SMS_BACKEND="earlyhelp.voice.sms.DisabledBackend")
def test_with_text_messages_disabled_nothing_is_sent_and_the_invitation_waits(caplog):
    _, invite = _invited("text")
    with caplog.at_level(logging.ERROR):
        assert send_due(TODAY) == 0
    assert fresh(invite).sent_at is None
    assert "NotConfigured" in caplog.text
    assert FAMILY_PHONE not in caplog.text


def test_the_daily_run_invites_and_sends_on_the_same_day():
    closure_form(method="email")
    done = run_daily_jobs(TODAY)
    assert done["invite families who agreed to give feedback"] == 1
    assert done["send feedback invitations and reminders"] == 1
    assert len(mail.outbox) == 1
    assert run_daily_jobs(TODAY)["send feedback invitations and reminders"] == 0
    assert len(mail.outbox) == 1


# The reminder and erasing contact details ------------------------------------------------------


def test_one_reminder_a_week_before_expiry_then_the_contact_details_are_erased():
    form, invite = _invited("email")
    send_due(TODAY)
    reminder_day = invite.expires_on - days(7)
    assert send_due(reminder_day - days(1)) == 0
    stored = ClosureForm.objects.get(pk=form.pk)
    assert stored.contact_email == FAMILY_EMAIL  # kept for the reminder
    assert stored.contact_erased_at is None

    assert send_due(reminder_day) == 1
    assert send_due(reminder_day) == 0
    assert send_due(reminder_day + days(1)) == 0
    assert len(mail.outbox) == 2
    reminder = mail.outbox[1]
    assert reminder.subject == "Reminder: how was your Early Help support?"
    assert tokens_in(reminder.body) == [token_for(invite.nonce)]
    assert fresh(invite).reminder_sent_at is not None

    stored = ClosureForm.objects.filter(pk=form.pk).values().get()
    assert stored["contact_email"] == ""
    assert stored["contact_phone"] == ""
    assert stored["contact_erased_at"] is not None
    assert FAMILY_EMAIL not in str(stored)


@LOCMEM_SMS
def test_a_text_reminder_erases_the_telephone_number():
    form, invite = _invited("text")
    send_due(TODAY)
    assert ClosureForm.objects.get(pk=form.pk).contact_phone == FAMILY_PHONE
    send_due(invite.expires_on - days(7))
    assert len(sms.outbox) == 2
    assert sms.outbox[1].body.startswith("Early Help reminder")
    stored = ClosureForm.objects.filter(pk=form.pk).values().get()
    assert stored["contact_phone"] == ""
    assert stored["contact_erased_at"] is not None


def test_no_reminder_after_an_answer_and_the_answer_erases_the_contact_details_at_once():
    form, invite = _invited("email")
    send_due(TODAY)
    submit(fresh(invite), answers(), feedback_version(), TODAY + days(2))
    stored = ClosureForm.objects.filter(pk=form.pk).values().get()
    assert stored["contact_email"] == ""
    assert stored["contact_erased_at"] is not None
    assert send_due(invite.expires_on - days(7)) == 0
    assert len(mail.outbox) == 1


def test_the_contact_details_are_erased_once_the_link_has_expired():
    form, invite = _invited("email")
    send_due(TODAY)
    # No run on the reminder day, nor after: the next run is the day after the link expired.
    assert send_due(invite.expires_on + days(1)) == 0
    assert len(mail.outbox) == 1
    stored = ClosureForm.objects.filter(pk=form.pk).values().get()
    assert stored["contact_email"] == ""
    assert stored["contact_erased_at"] is not None


def test_the_reminder_is_never_sent_on_the_day_of_the_invitation_itself():
    form = closure_form(method="email")
    with override_settings(FEEDBACK_LINK_DAYS=5):
        invite_consenting_families(TODAY)
    assert send_due(TODAY) == 1
    assert len(mail.outbox) == 1
    assert send_due(TODAY + days(1)) == 1
    assert mail.outbox[1].subject.startswith("Reminder")
    assert ClosureForm.objects.get(pk=form.pk).contact_erased_at is not None


# Opening a link and answering ------------------------------------------------------------------


def test_a_link_works_all_day_on_its_last_day_and_is_expired_the_day_after():
    invite, token = invitation(today=TODAY)
    last = invite.expires_on
    assert open_invitation(token, last).ok
    assert open_invitation(token, last).invitation == invite
    assert open_invitation(token, last + days(1)).reason == EXPIRED
    with pytest.raises(FeedbackRefused) as refused:
        submit(invite, answers(), feedback_version(), last + days(1))
    assert refused.value.reason == EXPIRED
    assert FeedbackResponse.objects.count() == 0
    submit(invite, answers(), feedback_version(), last)
    assert FeedbackResponse.objects.get().submitted_on == last


def test_a_token_opens_whichever_way_it_was_typed():
    invite, token = invitation()
    assert open_invitation(grouped(token).lower(), TODAY).invitation == invite


@pytest.mark.parametrize("token", ["", "sample", "0" * 26, "not-a-token-at-all"])
def test_unknown_and_malformed_tokens_open_nothing(token):
    invitation()
    opened = open_invitation(token, TODAY)
    assert opened.reason == UNKNOWN
    assert opened.invitation is None


def test_the_answers_are_kept_with_their_version_and_day_and_the_link_then_refuses():
    invite, token = invitation(today=TODAY)
    version = feedback_version()
    response = submit(invite, answers(), version, TODAY + days(1))
    assert response.version == version
    assert response.answers == answers()
    assert response.submitted_on == TODAY + days(1)
    assert response.assessment_id == invite.assessment_id
    assert fresh(invite).used_at is not None
    assert open_invitation(token, TODAY + days(1)).reason == USED
    with pytest.raises(FeedbackRefused) as refused:
        submit(fresh(invite), answers(), version, TODAY + days(1))
    assert refused.value.reason == USED
    assert FeedbackResponse.objects.count() == 1


def test_two_submissions_of_one_opened_link_cannot_both_count():
    """Two tabs opened before either was sent: both hold the invitation with used_at empty.
    The conditional update lets only the first through."""
    invite, _ = invitation(today=TODAY)
    first, second = fresh(invite), fresh(invite)
    assert first.used_at is None
    assert second.used_at is None
    submit(first, answers(), feedback_version(), TODAY)
    with pytest.raises(FeedbackRefused) as refused:
        submit(second, {"listened-to": "Disagree"}, feedback_version(), TODAY)
    assert refused.value.reason == USED
    assert FeedbackResponse.objects.get().answers == answers()


def test_answers_with_nothing_answered_are_refused_and_the_link_still_works():
    invite, token = invitation(today=TODAY)
    with pytest.raises(FeedbackRefused) as refused:
        submit(invite, {}, feedback_version(), TODAY)
    assert refused.value.reason == invitations.EMPTY
    assert "Answer at least one question" in str(refused.value)
    assert open_invitation(token, TODAY).ok


# Random selection ------------------------------------------------------------------------------


def _closed_families(count, closed_on=None, prefix="RS"):
    closed_on = closed_on or TODAY - days(10)
    # Made in a jumbled order: the draw sorts by reference, not by when rows were written.
    numbers = list(range(count))
    numbers = numbers[::2] + numbers[1::2]
    return [closed_eha(f"{prefix}-{n:03d}", closed_on=closed_on) for n in numbers]


def test_a_random_selection_reproduces_from_its_seed():
    _closed_families(30)
    first = preview_selection(TODAY - days(30), TODAY, how_many=6, seed=424242)
    again = preview_selection(TODAY - days(30), TODAY, how_many=6, seed=424242)
    assert [e.reference for e in first.chosen] == [e.reference for e in again.chosen]
    assert len(first.chosen) == 6
    assert first.population == 30
    others = {
        tuple(e.reference for e in preview_selection(TODAY - days(30), TODAY, 6, None, s).chosen)
        for s in range(1, 6)
    }
    assert len(others) > 1
    selection = draw_random_selection(
        TODAY - days(30), TODAY, how_many=6, seed=424242, by=closure_form().completed_by
    )
    assert selection.seed == 424242
    invited = FeedbackInvitation.objects.filter(selection=selection)
    assert sorted(i.assessment.reference for i in invited) == [e.reference for e in first.chosen]


def test_a_selection_without_a_seed_gets_one_and_is_saved_with_it():
    _closed_families(5)
    preview = preview_selection(TODAY - days(30), TODAY, how_many=2)
    assert preview.seed > 0
    again = preview_selection(TODAY - days(30), TODAY, how_many=2, seed=preview.seed)
    assert again.chosen == preview.chosen


def test_the_selection_leaves_out_invited_open_out_of_period_and_closure_form_ehas():
    chosen_before = _closed_families(4)
    invitation(chosen_before[0])
    closure_form(chosen_before[1], consent=False)
    closure_form(chosen_before[2], method="email")
    EarlyHelpAssessmentFactory(reference="RS-OPEN")
    closed_eha("RS-OLD", closed_on=TODAY - days(400))
    preview = preview_selection(TODAY - days(30), TODAY, percentage=100, seed=1)
    assert [e.reference for e in preview.chosen] == [chosen_before[3].reference]
    assert preview.population == 1


def test_a_saved_selection_makes_letter_invitations_and_its_families_are_not_drawn_again(
    make_user,
):
    _closed_families(10)
    lead = make_user(Role.QA_LEAD)
    selection = draw_random_selection(
        TODAY - days(30), TODAY, percentage=25, seed=7, by=lead, today=TODAY
    )
    assert selection.chosen == 3  # 25% of 10, rounded up
    assert selection.population == 10
    assert selection.created_by == lead
    made = FeedbackInvitation.objects.filter(selection=selection)
    assert made.count() == 3
    assert {(i.source, i.method) for i in made} == {("random", "letter")}
    assert {i.expires_on for i in made} == {TODAY + days(28)}
    later = preview_selection(TODAY - days(30), TODAY, percentage=100, seed=7)
    assert later.population == 7
    assert not {e.pk for e in later.chosen} & {i.assessment_id for i in made}


def test_a_selection_changed_since_its_preview_is_not_saved(make_user):
    _closed_families(8)
    preview = preview_selection(TODAY - days(30), TODAY, how_many=3, seed=99)
    invitation(preview.chosen[0])  # invited meanwhile, by another selection
    with pytest.raises(invitations.SelectionChanged):
        draw_random_selection(
            TODAY - days(30),
            TODAY,
            how_many=3,
            seed=99,
            by=make_user(Role.QA_LEAD),
            expect=preview.fingerprint,
        )
    assert FeedbackSelection.objects.count() == 0


def test_a_number_larger_than_the_pool_chooses_everyone_and_an_empty_pool_is_refused(make_user):
    _closed_families(3)
    assert len(preview_selection(TODAY - days(30), TODAY, how_many=50, seed=1).chosen) == 3
    with pytest.raises(invitations.SelectionError):
        draw_random_selection(
            TODAY - days(300), TODAY - days(200), how_many=2, by=make_user(Role.QA_LEAD)
        )
    with pytest.raises(invitations.SelectionError):
        preview_selection(TODAY - days(30), TODAY, how_many=2, percentage=10)


# The QA lead's pages ---------------------------------------------------------------------------

QA_PAGES = [
    ("get", "/family-feedback/"),
    ("get", "/family-feedback/random/"),
    ("post", "/family-feedback/random/"),
    ("get", "/family-feedback/letters.pdf"),
    ("post", "/family-feedback/letters.pdf"),
    ("get", "/family-feedback/{pk}/letter.pdf"),
]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.QA_LEAD])
@pytest.mark.parametrize(("method", "address"), QA_PAGES)
def test_every_qa_lead_page_is_refused_to_every_other_role(client_for, role, method, address):
    invite, _ = invitation()
    client = client_for(role)
    response = getattr(client, method)(address.format(pk=invite.pk))
    assert response.status_code == 403
    assert fresh(invite).letter_printed_at is None
    assert FeedbackSelection.objects.count() == 0


@pytest.mark.parametrize(("method", "address"), QA_PAGES)
def test_every_qa_lead_page_sends_anonymous_visitors_to_sign_in(client, method, address):
    invite, _ = invitation()
    response = getattr(client, method)(address.format(pk=invite.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_list_shows_each_invitation_with_its_status_and_filters_by_status(client_for):
    today = timezone.localdate()
    _waiting, _ = invitation(closed_eha("LIST-WAITING"), method="email", source="consent")
    sent, _ = invitation(closed_eha("LIST-SENT"), method="email", source="consent")
    FeedbackInvitation.objects.filter(pk=sent.pk).update(sent_at=timezone.now())
    done, _ = invitation(closed_eha("LIST-ANSWERED"), method="text", source="consent")
    submit(done, answers(), feedback_version(), today)
    _old, _ = invitation(closed_eha("LIST-EXPIRED"), method="email", today=today - days(40))
    letter, _ = invitation(closed_eha("LIST-LETTER"), method="letter")
    client = client_for(Role.QA_LEAD)
    response = client.get("/family-feedback/")
    assert response.status_code == 200
    body = response.content.decode()
    for reference in ("LIST-WAITING", "LIST-SENT", "LIST-ANSWERED", "LIST-EXPIRED", "LIST-LETTER"):
        assert reference in body
    counts = response.context["counts"]
    assert (counts["waiting"], counts["sent"], counts["answered"], counts["expired"]) == (
        2,
        1,
        1,
        1,
    )
    assert counts["to_print"] == 1
    assert "Print 1 letter" in body
    assert f"/family-feedback/{letter.pk}/letter.pdf" in body

    def shown(status):
        page = client.get("/family-feedback/", {"status": status})
        assert page.status_code == 200
        return {row.assessment.reference for row in page.context["rows"]}

    assert shown("waiting") == {"LIST-WAITING", "LIST-LETTER"}
    assert shown("sent") == {"LIST-SENT"}
    assert shown("answered") == {"LIST-ANSWERED"}
    assert shown("expired") == {"LIST-EXPIRED"}
    assert client.get("/family-feedback/", {"status": "nonsense"}).status_code == 200


def test_the_qa_lead_previews_a_random_selection_then_confirms_it(client_for):
    _closed_families(12, closed_on=timezone.localdate() - days(5))
    client = client_for(Role.QA_LEAD)
    start = timezone.localdate() - days(30)
    end = timezone.localdate()
    fields = {
        "closed_from_0": start.day,
        "closed_from_1": start.month,
        "closed_from_2": start.year,
        "closed_to_0": end.day,
        "closed_to_1": end.month,
        "closed_to_2": end.year,
        "how_many": "4",
        "percentage": "",
        "seed": "2026",
    }
    preview = client.post("/family-feedback/random/", fields)
    assert preview.status_code == 200
    assert FeedbackSelection.objects.count() == 0
    shown = preview.context["preview"]
    assert len(shown.chosen) == 4
    body = preview.content.decode()
    for eha in shown.chosen:
        assert eha.reference in body
    assert "Make 4 letter invitations" in body
    confirm = {
        name: field.value() for name, field in ((f.name, f) for f in preview.context["confirm"])
    }
    confirm = {k: ("" if v is None else v) for k, v in confirm.items()}
    confirm["confirm"] = "yes"
    done = client.post("/family-feedback/random/", confirm)
    assert done.status_code == 302
    assert done["Location"] == "/family-feedback/"
    selection = FeedbackSelection.objects.get()
    assert selection.seed == 2026
    assert sorted(i.assessment.reference for i in selection.invitations.all()) == sorted(
        e.reference for e in shown.chosen
    )
    # Confirming twice makes nothing more: the same seed now finds those families invited.
    again = client.post("/family-feedback/random/", confirm)
    assert FeedbackSelection.objects.count() == 1
    assert again.status_code in (200, 302)


def test_the_random_selection_form_explains_its_errors(client_for):
    client = client_for(Role.QA_LEAD)
    response = client.post("/family-feedback/random/", {"how_many": "3", "percentage": "10"})
    assert response.status_code == 200
    errors = dict(response.context["form"].errors)
    assert "closed_from" in errors
    assert "closed_to" in errors
    assert errors["how_many"] == ["Enter a number of families or a percentage, not both"]


# Letters ---------------------------------------------------------------------------------------

MISSING_POPPLER = (
    "{tool} is missing: these tests read the PDF back with Debian's poppler-utils. Install it "
    "with `scripts/install-debian-packages.sh /usr/bin/pdftotext poppler-utils` (`make test` "
    "does this for you)."
)


def _poppler(tool, *args, pdf, tmp_path):
    executable = shutil.which(tool)
    if executable is None:
        pytest.fail(MISSING_POPPLER.format(tool=tool))
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 - poppler's own tool on a file the test wrote
        [executable, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(result.stdout.decode("utf-8").split())


def test_print_letters_gives_one_page_each_after_a_covering_page_and_marks_them_printed(
    client_for, tmp_path
):
    today = timezone.localdate()
    first, first_token = invitation(closed_eha("LETTER-001"), method="letter")
    second, second_token = invitation(closed_eha("LETTER-002"), method="letter")
    emailed, _ = invitation(closed_eha("LETTER-EMAIL"), method="email")
    client = client_for(Role.QA_LEAD)
    response = client.post("/family-feedback/letters.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    info = _poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path)
    assert "Tagged: yes" in info
    assert "Pages: 3" in info
    assert "(A4)" in info
    covering = _poppler("pdftotext", "-l", "1", pdf=pdf, tmp_path=tmp_path)
    assert "OFFICIAL-SENSITIVE" in covering
    assert "LETTER-001" in covering
    assert "LETTER-002" in covering
    assert "LETTER-EMAIL" not in covering
    letters = _poppler("pdftotext", "-f", "2", pdf=pdf, tmp_path=tmp_path)
    assert letters.count(f"{settings.SERVICE_URL}/feedback/") == 2
    for invite, token in ((first, first_token), (second, second_token)):
        assert grouped(token) in letters
        assert invite.assessment.lead_agency.name in letters
        assert invite.assessment.reference not in letters
        assert invite.assessment.family.reference not in letters
        assert COORDINATOR not in letters
        assert fresh(invite).letter_printed_at is not None
    last = (today + days(28)).strftime("%A %-d %B %Y")
    assert last in letters
    assert fresh(emailed).letter_printed_at is None
    # Printed once: the next press has nothing to print.
    again = client.post("/family-feedback/letters.pdf")
    assert again.status_code == 302
    assert client.get("/family-feedback/").context["counts"]["to_print"] == 0


def test_printing_a_letter_late_gives_the_family_its_full_time(client_for):
    today = timezone.localdate()
    invite, _ = invitation(method="letter", today=today - days(20))
    assert invite.expires_on == today + days(8)
    client = client_for(Role.QA_LEAD)
    assert client.post("/family-feedback/letters.pdf").status_code == 200
    assert fresh(invite).expires_on == today + days(28)


def test_one_letter_can_be_printed_again_without_a_covering_page(client_for, tmp_path):
    invite, token = invitation(closed_eha("ONE-LETTER"), method="letter")
    client = client_for(Role.QA_LEAD)
    response = client.get(f"/family-feedback/{invite.pk}/letter.pdf")
    assert response.status_code == 200
    text = _poppler("pdftotext", pdf=response.content, tmp_path=tmp_path)
    assert grouped(token) in text
    assert "ONE-LETTER" not in text
    assert "OFFICIAL-SENSITIVE" not in text
    assert "Pages: 1" in _poppler("pdfinfo", pdf=response.content, tmp_path=tmp_path)
    printed = fresh(invite).letter_printed_at
    assert printed is not None
    assert client.get(f"/family-feedback/{invite.pk}/letter.pdf").status_code == 200
    assert fresh(invite).letter_printed_at == printed


def test_no_letter_for_an_answered_invitation_or_one_sent_by_email(client_for):
    answered_one, _ = invitation(method="letter")
    submit(answered_one, answers(), feedback_version(), timezone.localdate())
    emailed, _ = invitation(method="email")
    client = client_for(Role.QA_LEAD)
    assert client.get(f"/family-feedback/{answered_one.pk}/letter.pdf").status_code == 302
    assert client.get(f"/family-feedback/{emailed.pk}/letter.pdf").status_code == 404
    assert client.get("/family-feedback/letters.pdf").status_code == 302
