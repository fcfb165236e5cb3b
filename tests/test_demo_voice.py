"""The demo of family and staff voice: closure forms with and without the family's consent,
invitations sent, reminded, answered and expired by the daily jobs on the days they would have
run, contact details erased when no longer needed, the families' answers with their version,
moderated quotes, and two staff survey rounds; loading it a second time adds nothing, nothing
is sent or printed while it loads, and no demo text names anyone.

Everything is loaded once for the module inside a transaction that is rolled back at the end
(as tests/test_demo_after_audit.py does); each test runs in its own savepoint within it.
"""

import io
import re
from collections import Counter
from contextlib import redirect_stdout
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from earlyhelp.accounts.demo import FIRST_NAMES, demo_email, load_demo_partnership
from earlyhelp.accounts.models import User
from earlyhelp.audits.demo import load_demo_audits
from earlyhelp.cases.demo import load_demo_cases
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.pages.demo_after_audit import load_demo_after_audit
from earlyhelp.pages.demo_voice import PERIOD, load_demo_voice
from earlyhelp.voice import closure, invitations, sms, staff_survey
from earlyhelp.voice.models import (
    ClosureForm,
    FeedbackInvitation,
    FeedbackResponse,
    FeedbackSelection,
    Questionnaire,
    Quote,
    StaffSurveyResponse,
    StaffSurveyRound,
)
from earlyhelp.voice.suppression import MERGED_LABEL

COORDINATOR = demo_email("coordinator")
QA_LEAD = demo_email("qa.lead")
Method = FeedbackInvitation.Method


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """(what load_demo_voice returned, what it printed, e-mails and text messages it left in
    the test outboxes), with everything loaded until the module ends. It loads with the
    development settings' console backends, which print every message they send."""
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=tmp_path_factory.mktemp("var")),
        transaction.atomic(),
    ):
        load_demo_partnership()
        load_demo_cases()
        load_demo_audits()
        load_demo_after_audit()
        printed = io.StringIO()
        mail.outbox = []
        sms.outbox.clear()
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                SMS_BACKEND="earlyhelp.voice.sms.ConsoleBackend",
            ),
            redirect_stdout(printed),
        ):
            summary = load_demo_voice()
        left = len(mail.outbox) + len(sms.outbox)
        yield summary, printed.getvalue(), left
        transaction.set_rollback(True)


@pytest.fixture
def summary(demo):
    return demo[0]


def _counts():
    return (
        ClosureForm.objects.count(),
        FeedbackInvitation.objects.count(),
        FeedbackInvitation.objects.filter(sent_at__isnull=False).count(),
        FeedbackSelection.objects.count(),
        FeedbackResponse.objects.count(),
        Quote.objects.count(),
        StaffSurveyRound.objects.count(),
        StaffSurveyResponse.objects.count(),
    )


def test_a_second_load_adds_nothing(summary, db):
    before = _counts()
    assert load_demo_voice() is None
    assert load_demo_voice(seed=7) is None
    assert _counts() == before


def test_the_command_says_it_is_already_loaded(summary, db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    with (tmp_path / "out.txt").open("w+") as out:
        call_command("load_demo_data", stdout=out)
        out.seek(0)
        assert "Demo family and staff voice: already loaded." in out.read()


def test_nothing_was_sent_or_printed_while_it_loaded(demo, db):
    summary, printed, left = demo
    assert summary.gone_out > 500
    assert printed == ""
    assert left == 0


def test_the_summary_counts_what_is_there(summary, db):
    assert summary.closure_forms == ClosureForm.objects.count()
    assert summary.answered == FeedbackResponse.objects.count()
    assert summary.staff_responses == StaffSurveyResponse.objects.count()
    assert str(summary.closure_forms) in summary.line()


def test_closure_forms_for_most_recent_closures_with_and_without_consent(summary, db):
    today = timezone.localdate()
    closed = EarlyHelpAssessment.objects.filter(
        status=EarlyHelpAssessment.Status.CLOSED, closure_date__gte=today - PERIOD
    )
    forms = ClosureForm.objects.select_related("assessment__coordinator", "version__questionnaire")
    assert forms.count() > 0.8 * closed.count()
    consent = Counter(forms.values_list("feedback_consent", flat=True))
    assert 0.55 < consent[True] / forms.count() < 0.75
    methods = Counter(forms.filter(feedback_consent=True).values_list("contact_method", flat=True))
    assert set(methods) == {Method.EMAIL, Method.TEXT, Method.LETTER}
    assert not forms.filter(feedback_consent=False).exclude(contact_method="").exists()
    now = timezone.now()
    for form in forms:
        assert form.version.questionnaire.kind == Questionnaire.Kind.CLOSURE
        assert form.answers["support-received"]
        assert form.answers["difference"]
        assert form.assessment.closure_date <= timezone.localdate(form.completed_at)
        assert form.completed_at < now
        # Completed with the family by the EHA's coordinator, who has an account in the demo.
        assert form.completed_by == form.assessment.coordinator


def test_made_up_contact_details_only_while_they_are_needed(summary, db):
    today = timezone.localdate()
    forms = ClosureForm.objects.select_related("assessment__feedback_invitation")
    held = forms.exclude(contact_email="", contact_phone="")
    for form in held:
        assert form.contact_erased_at is None
        invitation = form.assessment.feedback_invitation
        assert invitation.reminder_sent_at is None
        assert invitation.used_at is None
        assert invitation.expires_on >= today
        if form.contact_method == Method.EMAIL:
            assert form.contact_email.endswith(("@example.org", "@example.com"))
            assert not form.contact_phone
        else:
            assert form.contact_phone.startswith("+447700900")
            assert not form.contact_email
    done = (
        forms.filter(assessment__feedback_invitation__reminder_sent_at__isnull=False)
        | forms.filter(assessment__feedback_invitation__used_at__isnull=False)
        | forms.filter(assessment__feedback_invitation__expires_on__lt=today)
    )
    assert done.filter(contact_method__in=[Method.EMAIL, Method.TEXT]).count() > 400
    assert not done.exclude(contact_email="", contact_phone="").exists()
    assert not done.filter(contact_erased_at__isnull=True).exists()
    assert (
        not forms.filter(contact_method=Method.LETTER)
        .exclude(contact_email="", contact_phone="")
        .exists()
    )


def test_invitations_sent_reminded_answered_and_expired_on_their_days(summary, db):
    today = timezone.localdate()
    counts = invitations.counts(today)
    for status in (invitations.SENT, invitations.ANSWERED, invitations.EXPIRED):
        assert counts[status] > 0, status
    assert counts["to_print"] < 20
    now = timezone.now()
    week = timedelta(days=invitations.REMINDER_DAYS_BEFORE_EXPIRY)
    for invitation in FeedbackInvitation.objects.select_related("assessment__closure_form"):
        made = timezone.localdate(invitation.created_at)
        assert invitation.created_at < now
        if invitation.source == FeedbackInvitation.Source.CONSENT:
            # Invited by the morning's job after the closure form was completed.
            form = invitation.assessment.closure_form
            assert timezone.localdate(form.completed_at) < made
            assert invitation.method == form.contact_method
        if invitation.sent_at:
            assert timezone.localdate(invitation.sent_at) == made
        if invitation.reminder_sent_at:
            assert timezone.localdate(invitation.reminder_sent_at) == invitation.expires_on - week
        if invitation.used_at:
            went_out = invitation.sent_at or invitation.letter_printed_at
            assert went_out < invitation.used_at < now
            assert timezone.localdate(invitation.used_at) <= invitation.expires_on
        if invitation.method == Method.LETTER and invitation.letter_printed_at is None:
            assert made > today - timedelta(days=15)  # only the latest letters wait to print
    gone_out = FeedbackInvitation.objects.exclude(sent_at=None, letter_printed_at=None)
    answered = gone_out.filter(used_at__isnull=False).count()
    assert 0.33 < answered / gone_out.count() < 0.47
    selection = FeedbackSelection.objects.get()
    letters = selection.invitations.all()
    assert letters.count() == selection.chosen > 0
    assert set(letters.values_list("method", flat=True)) == {Method.LETTER}
    assert not letters.filter(letter_printed_at__isnull=True).exists()
    assert not letters.filter(assessment__closure_form__isnull=False).exists()


def test_the_families_answers_keep_their_version(summary, db):
    responses = list(
        FeedbackResponse.objects.select_related("version__questionnaire", "invitation")
    )
    assert responses
    agree = disagree = 0
    free_text = child = 0
    for response in responses:
        assert response.version.questionnaire.kind == Questionnaire.Kind.FEEDBACK
        assert response.answers
        assert response.assessment_id == response.invitation.assessment_id
        assert response.submitted_on == timezone.localdate(response.invitation.used_at)
        for value in response.answers.values():
            agree += value in ("Strongly agree", "Agree")
            disagree += value in ("Disagree", "Strongly disagree")
        free_text += "what-was-good" in response.answers
        child += "child-what-helped" in response.answers
    assert agree > 3 * disagree > 0
    assert free_text > 0.3 * len(responses)
    assert 0 < child < 0.3 * len(responses)


def test_a_past_staff_survey_round_and_one_open_now(summary, db):
    today = timezone.localdate()
    rounds = {staff_survey.status(r, today): r for r in StaffSurveyRound.objects.all()}
    assert set(rounds) == {staff_survey.Status.CLOSED, staff_survey.Status.OPEN}
    past = rounds[staff_survey.Status.CLOSED]
    assert past.closes_on < today - timedelta(days=30)
    assert past.agency_types.count() >= 9
    assert 55 <= past.responses.count() <= 65
    # Nothing about the person: no user, no address, no time of day.
    row = StaffSurveyResponse.objects.filter(round=past).values().first()
    assert set(row) == {"id", "round_id", "version_id", "agency_type_id", "answers", "submitted_on"}
    for response in past.responses.all():
        assert past.opens_on <= response.submitted_on <= past.closes_on
    results = staff_survey.results(past)
    assert results.shown
    assert results.merged_label == MERGED_LABEL
    assert len(results.groups) >= 5
    current = rounds[staff_survey.Status.OPEN]
    assert current.responses.exists()
    assert not current.responses.filter(submitted_on__gt=today).exists()


def test_publishable_quotes_in_the_families_words(summary, db):
    quotes = Quote.objects.select_related("response", "moderated_by")
    publishable = quotes.filter(publishable=True)
    assert publishable.count() >= 5
    for quote in quotes:
        assert quote.moderated_by.email == QA_LEAD
        assert quote.moderated_text == quote.response.answers[quote.question_id]
        assert quote.response.submitted_on <= timezone.localdate(quote.moderated_at)
        assert quote.moderated_at < timezone.now()


def test_the_demo_coordinator_has_closure_forms_to_do_and_done(summary, db):
    coordinator = User.objects.get(email=COORDINATOR)
    today = timezone.localdate()
    due = closure.closure_forms_due(coordinator).filter(closure_date__gte=today - PERIOD)
    assert 2 <= due.count() <= 3
    assert ClosureForm.objects.filter(completed_by=coordinator).count() >= 5


NAMES = {name.lower() for name in FIRST_NAMES}
# Capitalised words the demo's own words may use mid-sentence: none is anybody's name.
ALLOWED = {"Early", "Help"}


def _free_text(answers_list):
    for answers in answers_list:
        for value in answers.values():
            if isinstance(value, str) and not value.isdigit() and " " in value:
                yield value


def _texts():
    texts = list(_free_text(ClosureForm.objects.values_list("answers", flat=True)))
    texts += _free_text(FeedbackResponse.objects.values_list("answers", flat=True))
    texts += _free_text(StaffSurveyResponse.objects.values_list("answers", flat=True))
    texts += Quote.objects.values_list("moderated_text", flat=True)
    return texts


def test_no_demo_text_names_anyone(summary, db):
    texts = _texts()
    assert len(texts) > 1000
    first_names = NAMES | {
        name.split()[0].lower() for name in User.objects.values_list("full_name", flat=True)
    }
    for text in set(texts):
        words = re.findall(r"[A-Za-z]+", text)
        assert not {w.lower() for w in words if w[0].isupper()} & first_names, text
        for sentence in re.split(r"(?<=[.;:!?])\s+", text):
            later = [w.strip(",;:.()") for w in sentence.split()[1:]]
            capitalised = {w for w in later if re.fullmatch(r"[A-Z][a-z]+(?:'s)?", w)}
            assert capitalised <= ALLOWED, text
