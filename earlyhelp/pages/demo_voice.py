"""The demo of family and staff voice: closure forms, feedback invitations, the families' answers,
moderated quotes and the staff survey, as a service that has been asking for 18 months.

Made through the same services people use: closure.complete for each closure form; the two daily
jobs (invitations.invite_consenting_families and send_due) run for every day of the period, as of
that day, so invitations, reminders and the erasing of contact details happen when they would
have; invitations.draw_random_selection and mark_printed for letters; open_invitation and submit
for each family's answers; staff_survey.open_round and answer; moderation.save_quote. The
services stamp what they do with the present moment, so each day's records are backdated
afterwards, as the other demo loaders do: anything stamped since the load began is moved to its
own moment of the day being played.

No message reaches anyone, and none is printed: while the demo loads, e-mails go to Django's
dummy backend and text messages to `NotSent` (see `load_demo_voice`). Every address is on
example.org or example.com and every mobile number is in 07700 900xxx, kept for drama.

For development and demonstration only. The families' words are short and plain and never name
anyone ("mum", "the children", "school"). Drawn from `random.Random(seed)`, so the same seed, the
same day and the same case data give the same history.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import perf_counter

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from earlyhelp.accounts.demo import demo_email
from earlyhelp.accounts.models import AgencyType, User
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.working_days import is_working_day
from earlyhelp.voice import closure, invitations, moderation, staff_survey
from earlyhelp.voice.forms import QuestionnaireForm
from earlyhelp.voice.models import (
    ClosureForm,
    FeedbackInvitation,
    FeedbackSelection,
    Questionnaire,
    Quote,
    StaffSurveyResponse,
    StaffSurveyRound,
)
from earlyhelp.voice.questionnaires import current_version
from earlyhelp.voice.sms import BaseBackend

DEMO_QA_LEAD = "qa.lead"
DEMO_COORDINATOR = "coordinator"

PERIOD = timedelta(days=548)  # closure forms for the EHAs closed in the last 18 months
FORM_CHANCE = 0.9  # an EHA closed in the period has its closure form, once its day has come
# Days from closure to the closure form (then to the next working day).
FORM_DELAYS = [0, 0, 1, 1, 2, 2, 3, 4, 5, 7, 9, 12]
DEMO_DUE = 3  # the demo coordinator's latest closed EHAs, left for them to complete
CONSENT_CHANCE = 0.65
METHODS = {"email": 48, "text": 34, "letter": 18}
# The chance that a family answers, once its invitation has gone out.
ANSWER_CHANCE = {"email": 0.41, "text": 0.38, "letter": 0.38, "random": 0.26}
AFTER_THE_REMINDER = 0.28  # of the families who answer an e-mail or text, after the reminder
PRINT_WEEKDAY = 1  # the QA lead prints the week's letters on Tuesdays
UNPRINTED_DAYS = 7  # and the last week's are still to print
SELECTION_PERCENTAGE = 50
SELECTION_AFTER = 21  # days after its quarter ends that the random selection is drawn
PUBLISHABLE_QUOTES = 8
NOT_PUBLISHABLE = 2

# The past staff survey round's responses by type of agency (None: preferred not to say). The
# small groups together reach 5, so they are shown merged as "Other groups".
STAFF_RESPONSES = {
    "School": 15,
    "Family Support": 13,
    "Health Visiting": 10,
    "Early Years": 7,
    "School Nursing": 5,
    "Voluntary Sector": 3,
    "Housing": 2,
    "Police": 1,
    "Youth Service": 1,
    None: 3,
}
OPEN_ROUND_RESPONSES = 8
# Last quarter's round went to the partnership's Early Help mailing list: 60 of these 142
# answered. This month's has no number yet (the QA lead records it when the link has gone out).
STAFF_ASKED_LAST_QUARTER = 142
OPEN_ROUND_STARTED = 9  # days ago
OPEN_ROUND_LEFT = 19  # days to go

# --- the words ----------------------------------------------------------------------------------

GOOD, MIXED, HARD = "good", "mixed", "hard"
CLOSURE_OUTCOMES = {GOOD: 62, MIXED: 28, HARD: 10}
FEEDBACK_MOODS = {GOOD: 66, MIXED: 24, HARD: 10}
STAFF_MOODS = {GOOD: 52, MIXED: 36, HARD: 12}

SUPPORT_RECEIVED = [
    "Parenting support at home every week from the family support worker, and help from school "
    "with attendance.",
    "The health visitor helped with sleep and feeding routines, and mum went to a parenting "
    "group at the children's centre.",
    "A mentor in school and a daily check-in. The family support worker helped with a morning "
    "routine and with letters about benefits.",
    "The housing officer sorted the damp and set up a plan for the rent arrears. The school "
    "nurse saw the young person about anxiety.",
    "The young carers group for the eldest, a short break for dad, and help to apply for a blue "
    "badge.",
    "Welfare rights advice about money and debts, food bank vouchers at the start, and help "
    "from school with uniform.",
    "One to one sessions with a youth worker for the young person, and a parenting course for "
    "mum and dad.",
    "A speech and language referral through the health visitor, a funded nursery place, and "
    "help for mum to get to appointments.",
    "Help with the children's behaviour at home, a sleep plan, and a reduced timetable at "
    "school that was built back up to full time.",
    "A domestic abuse support worker for mum, a safety plan, and direct work with the children "
    "about feelings and keeping safe.",
    "The children's centre helped with play and routines. The health visitor checked in every "
    "few weeks.",
    "Team around the family meetings with school, the school nurse and the family support "
    "worker; help with bedtimes and screen time.",
]
DIFFERENCE = {
    GOOD: [
        "We have a routine now and the mornings are calmer. The children are at school every day.",
        "Mum says she feels listened to for the first time and knows who to ring if things get "
        "hard again.",
        "The house is warm and dry and we are not worried about losing it any more.",
        "We are not arguing as much. Dad says the parenting course was the biggest help.",
        "He is going to school again and talks to us more.",
        "The baby sleeps through most nights now, so everyone has more patience.",
        "Mum feels more confident saying no and sticking to it. The children know where they "
        "stand.",
        "We feel like a family again. We do things together at the weekend.",
    ],
    MIXED: [
        "Things are better at home but money is still tight. We know where to go now.",
        "School is going better. Mornings are still hard some days.",
        "Some things are better. The young person still finds school hard but is trying.",
        "Mum is less stressed, but the waiting list for the assessment is still long.",
        "The help with the house was good. We still worry about the children's behaviour.",
    ],
    HARD: [
        "We are still struggling, but we know who to ask now.",
        "Not much has changed at home. The family wanted more help than there was.",
        "Mum feels the help came too late, but school is now more understanding.",
    ],
}
CHILD_BETTER = [
    "It is quieter at home so I can sleep.",
    "I have friends at school now.",
    "Mum is not as stressed.",
    "I like going to the youth club.",
    "Nobody shouts in the mornings.",
    "I get help with my reading.",
    "I can talk to someone at school when I feel worried.",
]
CHILD_MORE_HELP = [
    "Maths.",
    "Sometimes I still get worried at night.",
    "Making friends in my new class.",
    "No, I am okay now.",
    "Being in the same room as lots of people.",
]
GOALS_MET = {
    GOOD: {"All of them": 55, "Most of them": 45},
    MIXED: {"Most of them": 50, "Some of them": 50},
    HARD: {"Some of them": 70, "None of them": 30},
}
HOW_THINGS_ARE = {GOOD: (7, 10), MIXED: (5, 7), HARD: (2, 5)}

AGREE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
AGREE_WEIGHTS = {GOOD: [50, 42, 6, 2, 0], MIXED: [12, 45, 25, 14, 4], HARD: [2, 14, 28, 34, 22]}
COMPARED = {
    GOOD: {"Much better": 62, "A little better": 36, "About the same": 2},
    MIXED: {"A little better": 60, "About the same": 36, "Worse": 4},
    HARD: {"A little better": 15, "About the same": 55, "Worse": 30},
}
DIFFERENCE_SCORE = {GOOD: (7, 10), MIXED: (4, 7), HARD: (0, 4)}
KNEW_LEAD = {GOOD: 0.88, MIXED: 0.72, HARD: 0.45}
WHAT_WAS_GOOD = {
    GOOD: [
        "Having one person who knew everything, so we did not have to keep repeating ourselves.",
        "They listened and did not judge us.",
        "The worker came to the house at times that fitted round my shifts.",
        "Help with school. The children are going every day now.",
        "Being treated like a person and not a case.",
        "The parenting course.",
        "Everything was explained and I always knew what was happening next.",
        "Help with money and the food vouchers when we had nothing.",
        "Getting the right help for my son's speech.",
        "The meetings were at school so I did not have to take time off work.",
    ],
    MIXED: [
        "The help with the house.",
        "Someone to talk to when things were hard.",
        "The school were good once the meetings started.",
        "The activities for the children in the holidays.",
    ],
    HARD: [
        "The worker was kind.",
        "Some of the advice about money helped.",
    ],
}
GOOD_ENDINGS = [
    "",
    "",
    " I still use the ideas every day.",
    " It made a real difference to us.",
    " I would tell other parents to ask for it.",
    " Thank you.",
]
COULD_BE_BETTER = {
    GOOD: [
        "Nothing, it was all good.",
        "More help in the school holidays.",
        "I would have liked the help to carry on a bit longer.",
        "Meetings in the evening would help working parents.",
    ],
    MIXED: [
        "It took a long time to get started. We waited weeks for the first meeting.",
        "Too many meetings with lots of people. It felt a bit much.",
        "The worker changed halfway through and we had to start again.",
        "Letters and plans full of words I did not understand.",
        "More help in the school holidays.",
    ],
    HARD: [
        "Some people at the meetings did not seem to know our family.",
        "It stopped before things were sorted.",
        "It took too long to get any help, and by then things were worse.",
        "We were told things would happen and they did not.",
    ],
}
CHILD_HELPED = [
    "Someone to talk to",
    "Help at school",
    "Things are calmer at home",
    "Doing activities",
    "Something else",
]
CHILD_OWN_WORDS = [
    "It was good because I had someone to talk to.",
    "I did not like the meetings but the youth worker was fun.",
    "Home is calmer now and I can do my homework.",
    "I get help at school when I am stuck.",
    "It was okay. I liked going bowling.",
    "I was nervous at first but it got better.",
]
STAFF_AGREE_WEIGHTS = {
    GOOD: [30, 50, 12, 7, 1],
    MIXED: [6, 38, 30, 20, 6],
    HARD: [2, 12, 24, 38, 24],
}
# Workload is answered a little less warmly than the rest: as if in the next harder mood.
HARDER = {GOOD: MIXED, MIXED: HARD, HARD: HARD}
HARDER_QUESTIONS = {"workload"}
RECOMMEND = {GOOD: (7, 10), MIXED: (5, 8), HARD: (1, 5)}
ONE_THING = [
    "Smaller caseloads so there is time for direct work with children.",
    "Supervision that is protected and not cancelled when things get busy.",
    "Better sharing of information between health and schools.",
    "More training on writing plans with the family.",
    "Admin support to take the notes at team around the family meetings.",
    "Being able to see the whole plan in one place.",
    "Knowing how families are doing after we close.",
    "Clearer guidance on when to step up to social care.",
    "Less paperwork.",
    "More places on the parenting courses; the waiting list is months long.",
    "A quicker answer when we ring for advice.",
]
EMAIL_WORDS = ["family", "home", "parent", "household", "ourhouse", "mum.and.dad"]

# --- sending nothing ----------------------------------------------------------------------------


class NotSent(BaseBackend):
    """Where the demo's text messages go while it loads: nowhere."""

    def send(self, to, body):
        return None


# --- the summary --------------------------------------------------------------------------------


@dataclass
class DemoVoice:
    closure_forms: int = 0
    consented: int = 0
    invitations: int = 0
    randomly_selected: int = 0
    gone_out: int = 0
    reminders: int = 0
    answered: int = 0
    expired: int = 0
    still_open: int = 0
    letters_to_print: int = 0
    quotes: int = 0
    staff_rounds: int = 0
    staff_responses: int = 0
    demo_coordinator_due: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.closure_forms} closure forms ({self.consented} families agreed to be asked); "
            f"{self.invitations} invitations ({self.randomly_selected} by random selection, "
            f"{self.answered} answered, {self.expired} expired, {self.still_open} still open, "
            f"{self.letters_to_print} letters to print); {self.quotes} publishable quotes; "
            f"{self.staff_responses} staff survey answers in {self.staff_rounds} rounds"
        )


# --- dates --------------------------------------------------------------------------------------


class _Clock:
    """The moments of the demo's history: never later than `now`, the moment the load stands
    in for."""

    def __init__(self, now):
        self.latest = now - timedelta(minutes=1)

    def at(self, day, hour, minute=0):
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return min(moment, self.latest)

    def working_hours(self, day, rng):
        return self.at(day, rng.randint(9, 16), rng.randint(0, 59))

    def job(self, day):
        """When the daily jobs ran on `day`."""
        return self.at(day, settings.DAILY_JOBS_HOUR, 5)


def _working_day_from(day):
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _working_day_until(day):
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _quarter_start(day):
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _previous_quarter(day):
    end = _quarter_start(day) - timedelta(days=1)
    return _quarter_start(end), end


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- closure forms ------------------------------------------------------------------------------


def _coordinator_email(eha):
    return (eha.coordinator.email if eha.coordinator else eha.coordinator_email or "").lower()


def _plan_closure_forms(rng, today, demo_coordinator):
    """{day: [EHAs whose closure form is completed that day]}. The demo coordinator's latest
    closed EHAs are left for them to do."""
    closed = list(
        EarlyHelpAssessment.objects.filter(
            status=EarlyHelpAssessment.Status.CLOSED,
            closure_date__gte=today - PERIOD,
            closure_date__lte=today,
        )
        .select_related("coordinator__line_manager")
        .order_by("closure_date", "reference")
    )
    theirs = [eha for eha in closed if _coordinator_email(eha) == demo_coordinator]
    left_for_them = {eha.pk for eha in theirs[-DEMO_DUE:]}
    plan = defaultdict(list)
    for eha in closed:
        # Both drawn for every EHA, so one EHA's fate does not shift the others'.
        day = _working_day_from(eha.closure_date + timedelta(days=rng.choice(FORM_DELAYS)))
        done = rng.random() < FORM_CHANCE
        if _coordinator_email(eha) == demo_coordinator:
            # Of the period, the list of their closure forms to do shows just their latest few.
            yesterday = _working_day_until(today - timedelta(days=1))
            done, day = True, max(eha.closure_date, min(day, yesterday))
        if done and eha.pk not in left_for_them and day < today:
            plan[day].append(eha)
    return plan


def _completer(eha, qa_lead):
    """The coordinator, who completes the form with the family; their line manager for one
    without a coordinator's account; the QA lead when neither has one."""
    person = eha.coordinator
    if person is not None and person.has_role(Role.COORDINATOR):
        return person
    manager = person.line_manager if person is not None else None
    if manager is not None and manager.has_role(Role.LINE_MANAGER):
        return manager
    return qa_lead


def _contact(rng):
    """(consent, method, e-mail, phone) as the coordinator types them in."""
    if rng.random() >= CONSENT_CHANCE:
        return False, "", "", ""
    method = _weighted(rng, METHODS)
    if method == "email":
        domain = rng.choice(["example.org", "example.com"])
        return True, method, f"{rng.choice(EMAIL_WORDS)}{rng.randint(10, 9999)}@{domain}", ""
    if method == "text":
        number = f"{rng.randint(0, 999):03d}"
        typed = rng.choice([f"07700 900{number}", f"07700900{number}", f"+44 7700 900{number}"])
        return True, method, "", typed
    return True, method, "", ""


def _closure_answers(rng):
    outcome = _weighted(rng, CLOSURE_OUTCOMES)
    low, high = HOW_THINGS_ARE[outcome]
    answers = {
        "support-received": rng.choice(SUPPORT_RECEIVED),
        "difference": rng.choice(DIFFERENCE[outcome]),
        "goals-met": _weighted(rng, GOALS_MET[outcome]),
        "how-things-are": str(rng.randint(low, high)),
        "know-where-to-go": "No" if outcome == HARD and rng.random() < 0.3 else "Yes",
    }
    if rng.random() < 0.4:
        answers["child-better"] = rng.choice(CHILD_BETTER)
    if rng.random() < 0.25:
        answers["child-more-help"] = rng.choice(CHILD_MORE_HELP)
    return answers


def _complete(rng, eha, day, version, qa_lead, clock):
    consent, method, email, phone = _contact(rng)
    form = closure.complete(
        eha,
        answers=_closure_answers(rng),
        version=version,
        consent=consent,
        method=method,
        email=email,
        phone=phone,
        by=_completer(eha, qa_lead),
    )
    ClosureForm.objects.filter(pk=form.pk).update(completed_at=clock.working_hours(day, rng))


# --- the families' answers ----------------------------------------------------------------------


def _feedback_answers(rng, version):
    mood = _weighted(rng, FEEDBACK_MOODS)
    answers = {}
    for question in ("listened-to", "explained", "involved-in-plan", "worked-together"):
        if rng.random() < 0.95:
            answers[question] = rng.choices(AGREE, weights=AGREE_WEIGHTS[mood])[0]
    if rng.random() < 0.9:
        answers["knew-lead"] = "Yes" if rng.random() < KNEW_LEAD[mood] else "No"
    if rng.random() < 0.95:
        low, high = DIFFERENCE_SCORE[mood]
        answers["difference-score"] = str(rng.randint(low, high))
    if rng.random() < 0.92:
        answers["compared-with-before"] = _weighted(rng, COMPARED[mood])
    if rng.random() < 0.55:
        ending = rng.choice(GOOD_ENDINGS) if mood == GOOD else ""
        answers["what-was-good"] = rng.choice(WHAT_WAS_GOOD[mood]) + ending
    if rng.random() < (0.3 if mood == GOOD else 0.65):
        answers["what-could-be-better"] = rng.choice(COULD_BE_BETTER[mood])
    if rng.random() < 0.15:  # a child or young person answered their part
        answers["child-what-helped"] = sorted(
            rng.sample(CHILD_HELPED[:4], rng.randint(1, 2)), key=CHILD_HELPED.index
        )
        if rng.random() < 0.6:
            answers["child-own-words"] = rng.choice(CHILD_OWN_WORDS)
    # Checked as the family's page checks them.
    form = QuestionnaireForm.for_version(version, data=answers)
    if not form.is_valid():
        raise ValueError(f"Demo feedback does not fit its form: {form.errors.as_json()}")
    return form.answers()


def _answer_day(rng, went_out, expires_on, invitation_kind):
    """The day the family answers, or None if they do not."""
    if rng.random() >= ANSWER_CHANCE[invitation_kind]:
        return None
    if invitation_kind in ("email", "text"):
        if rng.random() < AFTER_THE_REMINDER:
            delay = invitations.link_days() - invitations.REMINDER_DAYS_BEFORE_EXPIRY
            delay += rng.randint(0, invitations.REMINDER_DAYS_BEFORE_EXPIRY)
        else:
            delay = rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 13])
    else:  # a letter takes a few days to arrive, and there is no reminder
        delay = rng.randint(3, 24)
    return min(went_out + timedelta(days=delay), expires_on)


def _kind(source, method):
    return "random" if source == FeedbackInvitation.Source.RANDOM else method


# --- the days, one after another ----------------------------------------------------------------


class _History:
    """Plays the period day by day: the morning's daily jobs, a random selection, the week's
    letters printed, closure forms completed, and the families who answer that day."""

    def __init__(self, rng, today, now, fresh, qa_lead):
        self.rng = rng
        self.today = today
        self.clock = _Clock(now)
        self.fresh = fresh  # anything stamped since this moment was stamped by this load
        self.qa_lead = qa_lead
        self.answers_due = defaultdict(list)  # day -> [invitation pk]
        self.closure_version = current_version(Questionnaire.Kind.CLOSURE, today)
        self.feedback_version = current_version(Questionnaire.Kind.FEEDBACK, today)
        # The random selection: the latest quarter that ended long enough ago for its closure
        # forms to be done, drawn three weeks after it ended and printed the next working day.
        start, end = _previous_quarter(today)
        if end + timedelta(days=SELECTION_AFTER + 7) > today:
            start, end = _previous_quarter(start)
        self.selection_quarter = (start, end)
        self.selection_day = _working_day_from(end + timedelta(days=SELECTION_AFTER))
        self.selection_printed_on = _working_day_from(self.selection_day + timedelta(days=1))

    def play(self, plan):
        if not plan:
            return
        day = min(plan)
        while day <= self.today:
            self.morning(day)
            if day == self.selection_day:
                self.draw(day)
            if day == self.selection_printed_on:
                self.print_letters(day, FeedbackSelection.objects.all())
            elif day.weekday() == PRINT_WEEKDAY and day <= self.today - timedelta(
                days=UNPRINTED_DAYS
            ):
                self.print_letters(day)
            for eha in plan.get(day, []):
                _complete(self.rng, eha, day, self.closure_version, self.qa_lead, self.clock)
            for pk in self.answers_due.pop(day, []):
                self.answer(pk, day)
            day += timedelta(days=1)

    def _schedule(self, went_out, rows):
        for pk, source, method, expires_on in rows:
            answer_on = _answer_day(self.rng, went_out, expires_on, _kind(source, method))
            if answer_on is not None and answer_on <= self.today:
                self.answers_due[answer_on].append(pk)

    def morning(self, day):
        """The two daily jobs of family feedback, as of `day`, dated when they ran."""
        invitations.invite_consenting_families(day)
        invitations.send_due(day)
        at = self.clock.job(day)
        fresh = self.fresh
        FeedbackInvitation.objects.filter(created_at__gte=fresh).update(created_at=at)
        sent = FeedbackInvitation.objects.filter(sent_at__gte=fresh)
        rows = list(sent.values_list("pk", "source", "method", "expires_on").order_by("pk"))
        sent.update(sent_at=at)
        FeedbackInvitation.objects.filter(reminder_sent_at__gte=fresh).update(reminder_sent_at=at)
        ClosureForm.objects.filter(contact_erased_at__gte=fresh).update(contact_erased_at=at)
        self._schedule(day, rows)

    def draw(self, day):
        """The QA lead's random selection of the families of one quarter's closed EHAs who have
        no closure form."""
        start, end = self.selection_quarter
        try:
            selection = invitations.draw_random_selection(
                start,
                end,
                percentage=SELECTION_PERCENTAGE,
                seed=self.rng.randrange(1, 2**31),
                by=self.qa_lead,
                today=day,
            )
        except invitations.SelectionError:
            return  # nobody to choose
        at = self.clock.working_hours(day, self.rng)
        FeedbackSelection.objects.filter(pk=selection.pk).update(created_at=at)
        selection.invitations.update(created_at=at)

    def print_letters(self, day, selections=None):
        """The QA lead prints the letters waiting (or a random selection's), for the lead
        agencies to post."""
        letters = invitations.letters_to_print()
        if selections is not None:
            letters = letters.filter(selection__in=selections)
        letters = list(letters)
        if not letters:
            return
        invitations.mark_printed(letters, day)
        at = self.clock.working_hours(day, self.rng)
        FeedbackInvitation.objects.filter(pk__in=[i.pk for i in letters]).update(
            letter_printed_at=at
        )
        self._schedule(day, [(i.pk, i.source, i.method, i.expires_on) for i in letters])

    def answer(self, pk, day):
        """A family opens its link (or types the code from its letter) and answers."""
        invitation = FeedbackInvitation.objects.get(pk=pk)
        opened = invitations.open_invitation(invitations.token_of(invitation), day)
        if not opened.ok:
            return
        answers = _feedback_answers(self.rng, self.feedback_version)
        went_out = max(filter(None, [invitation.sent_at, invitation.letter_printed_at]))
        at = self.clock.at(day, self.rng.randint(7, 21), self.rng.randint(0, 59))
        if at <= went_out:
            return  # not on today's date yet
        invitations.submit(opened.invitation, answers, self.feedback_version, day)
        FeedbackInvitation.objects.filter(pk=pk).update(used_at=at)
        ClosureForm.objects.filter(
            assessment_id=invitation.assessment_id, contact_erased_at__gte=self.fresh
        ).update(contact_erased_at=at)


# --- quotes -------------------------------------------------------------------------------------


def _moderate(rng, today, clock, qa_lead):
    """The QA lead has read some of the families' words: most become publishable quotes as they
    were written (nothing in them identifies anyone), and a couple with nothing to say are
    marked not publishable."""
    settled = today - timedelta(days=7)
    answers = [
        answer
        for answer in moderation.free_text_answers(moderation.FEEDBACK)
        if answer.day <= settled
    ]
    rng.shuffle(answers)
    seen, publishable, not_publishable = set(), [], []
    for answer in answers:
        if answer.text in seen:
            continue
        seen.add(answer.text)
        if answer.text.startswith(("Nothing", "No,")):
            if len(not_publishable) < NOT_PUBLISHABLE:
                not_publishable.append(answer)
        elif len(answer.text) >= 40 and len(publishable) < PUBLISHABLE_QUOTES:
            publishable.append(answer)
    for answer, publish in [(a, True) for a in publishable] + [(a, False) for a in not_publishable]:
        quote = moderation.save_quote(answer, text=answer.text, publishable=publish, by=qa_lead)
        day = min(answer.day + timedelta(days=rng.randint(2, 9)), today)
        Quote.objects.filter(pk=quote.pk).update(moderated_at=clock.working_hours(day, rng))


# --- the staff survey ---------------------------------------------------------------------------


def _staff_answers(rng, version):
    mood = _weighted(rng, STAFF_MOODS)
    answers = {}
    for _, question in version.questions():
        if question["type"] == "agree_scale":
            feeling = HARDER[mood] if question["id"] in HARDER_QUESTIONS else mood
            weights = STAFF_AGREE_WEIGHTS[feeling]
            answers[question["id"]] = rng.choices(AGREE, weights=weights)[0]
        elif question["type"] == "scale_0_10":
            low, high = RECOMMEND[mood]
            answers[question["id"]] = str(rng.randint(low, high))
        elif question["type"] == "free_text" and rng.random() < 0.45:
            answers[question["id"]] = rng.choice(ONE_THING)
    form = QuestionnaireForm.for_version(version, data=answers)
    if not form.is_valid():
        raise ValueError(f"Demo staff answers do not fit the survey: {form.errors.as_json()}")
    return form.answers()


def _answer_days(rng, opens_on, last_day, count):
    """Most people answer in the first week of a round."""
    span = (last_day - opens_on).days
    days = []
    for _ in range(count):
        offset = min(int(rng.expovariate(1 / 6)), span)
        days.append(opens_on + timedelta(days=offset))
    return sorted(days)


def _open(rng, name, opens_on, closes_on, types, qa_lead, clock, staff_asked=None):
    created_on = _working_day_until(opens_on - timedelta(days=2))
    survey_round = staff_survey.open_round(
        name,
        opens_on,
        closes_on,
        agency_types=types,
        by=qa_lead,
        today=created_on,
        staff_asked=staff_asked,
    )
    StaffSurveyRound.objects.filter(pk=survey_round.pk).update(
        created_at=clock.working_hours(created_on, rng)
    )
    return survey_round


def _staff_survey(rng, today, clock, qa_lead):
    """Last quarter's round, closed, with its answers; and this month's, open now."""
    types = {t.name: t for t in AgencyType.objects.filter(is_active=True).order_by("name")}
    start, _ = _previous_quarter(today)
    opens_on = _working_day_from(start + timedelta(days=14))
    closes_on = opens_on + timedelta(days=27)
    past = _open(
        rng,
        f"Staff survey {opens_on:%B %Y}",
        opens_on,
        closes_on,
        list(types.values()),
        qa_lead,
        clock,
        staff_asked=STAFF_ASKED_LAST_QUARTER,
    )
    who = [
        types.get(name)
        for name, count in STAFF_RESPONSES.items()
        if name is None or name in types
        for _ in range(count)
    ]
    rng.shuffle(who)
    for agency_type, day in zip(who, _answer_days(rng, opens_on, closes_on, len(who)), strict=True):
        staff_survey.answer(past, agency_type, _staff_answers(rng, past.version), day)

    opens_on = _working_day_until(today - timedelta(days=OPEN_ROUND_STARTED))
    current = _open(
        rng,
        f"Staff survey {opens_on:%B %Y}",
        opens_on,
        today + timedelta(days=OPEN_ROUND_LEFT),
        list(types.values()),
        qa_lead,
        clock,
    )
    weights = {name: count for name, count in STAFF_RESPONSES.items() if name in types or not name}
    for day in _answer_days(rng, opens_on, today, OPEN_ROUND_RESPONSES):
        name = _weighted(rng, weights)
        agency_type = types[name] if name else None
        staff_survey.answer(current, agency_type, _staff_answers(rng, current.version), day)


# --- the whole load -----------------------------------------------------------------------------


def _today_and_now(today):
    if today is None:
        return timezone.localdate(), timezone.now()
    evening = timezone.make_aware(datetime.combine(today, time(17, 30)))
    return today, min(evening, timezone.now())


def _count(summary, today, demo_coordinator):
    forms = ClosureForm.objects.all()
    summary.closure_forms = forms.count()
    summary.consented = forms.filter(feedback_consent=True).count()
    status = invitations.counts(today)
    summary.invitations = status["total"]
    summary.answered = status[invitations.ANSWERED]
    summary.expired = status[invitations.EXPIRED]
    summary.still_open = status[invitations.SENT]
    summary.letters_to_print = status["to_print"]
    summary.randomly_selected = FeedbackInvitation.objects.filter(
        source=FeedbackInvitation.Source.RANDOM
    ).count()
    summary.gone_out = FeedbackInvitation.objects.exclude(
        sent_at__isnull=True, letter_printed_at__isnull=True
    ).count()
    summary.reminders = FeedbackInvitation.objects.filter(reminder_sent_at__isnull=False).count()
    summary.quotes = Quote.objects.filter(publishable=True).count()
    summary.staff_rounds = StaffSurveyRound.objects.count()
    summary.staff_responses = StaffSurveyResponse.objects.count()
    if demo_coordinator is not None:
        summary.demo_coordinator_due = closure.closure_forms_due(demo_coordinator).count()


def _already_loaded():
    return (
        ClosureForm.objects.exists()
        or FeedbackInvitation.objects.exists()
        or StaffSurveyRound.objects.exists()
    )


@transaction.atomic
def load_demo_voice(seed=2026, today=None):
    """Family and staff voice, made once: returns None when any closure form, invitation or
    staff survey round is already there. Needs the demo partnership and case data first."""
    if _already_loaded():
        return None
    started = perf_counter()
    fresh = timezone.now()
    today, now = _today_and_now(today)
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    qa_lead = User.objects.filter(email=demo_email(DEMO_QA_LEAD)).first()
    if qa_lead is None:
        raise RuntimeError("The demo of family and staff voice needs the demo partnership first.")
    demo_coordinator = User.objects.filter(email=demo_email(DEMO_COORDINATOR)).first()
    summary = DemoVoice()
    # The demo's history has hundreds of invitation e-mails and text messages "sent" in the
    # past. In development Django's console e-mail backend and the console text message backend
    # would print every one of them while the demo loads, so, for this block only, e-mails go to
    # the dummy backend and text messages to NotSent: nothing is sent or printed. Every address
    # and number is a made-up one in any case.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SMS_BACKEND=f"{__name__}.NotSent",
    ):
        history = _History(rng, today, now, fresh, qa_lead)
        history.play(_plan_closure_forms(rng, today, demo_email(DEMO_COORDINATOR)))
        _moderate(rng, today, history.clock, qa_lead)
        _staff_survey(rng, today, history.clock, qa_lead)
    _count(summary, today, demo_coordinator)
    summary.seconds = round(perf_counter() - started, 1)
    return summary
