"""Family and staff voice: the closure form, service user feedback from private links, and the
staff survey. The seed asks "What do children, young people and families tell us about their
experiences?" and "What do our staff tell us about working in this organisation?".

Questionnaires are data (versioned YAML, like the framework); every response keeps the version
it answered. Nothing here holds a family's name: the closure form's contact details are kept only
until the invitation has gone, and staff survey answers hold no person, address or time of day.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyType
from earlyhelp.cases.models import EarlyHelpAssessment


class Questionnaire(models.Model):
    class Kind(models.TextChoices):
        CLOSURE = "closure_form", "Closure form"
        FEEDBACK = "service_user_feedback", "Early Help Service User Feedback"
        STAFF = "staff_survey", "Staff survey"

    kind = models.CharField(max_length=30, choices=Kind.choices, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.name


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire, as loaded from its definition file. Never changed once
    loaded: answers refer to it."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField(max_length=20)
    effective_date = models.DateField()
    definition = models.JSONField(help_text="The checked definition: sections and questions.")
    source_text = models.TextField()
    sha256 = models.CharField("SHA-256", max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["questionnaire", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "version"], name="one_questionnaire_version"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire} {self.version}"

    def questions(self):
        """Every question, in order, with its section."""
        for section in self.definition["sections"]:
            for question in section["questions"]:
                yield section, question


class ClosureForm(models.Model):
    """Completed by the coordinator with the family at the end of the EHA."""

    class ContactMethod(models.TextChoices):
        EMAIL = "email", "E-mail"
        TEXT = "text", "Text message"
        LETTER = "letter", "Letter"

    assessment = models.OneToOneField(
        EarlyHelpAssessment, on_delete=models.PROTECT, related_name="closure_form"
    )
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    feedback_consent = models.BooleanField("family agrees to be invited to give feedback")
    contact_method = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    # Kept only until the invitation has been sent (and its one reminder), then erased.
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self):
        return f"Closure form for {self.assessment}"


class FeedbackSelection(models.Model):
    """A random selection of recently closed families to invite: "The Early Help Team randomly
    select families to capture their views". Reproducible from its seed."""

    closed_from = models.DateField()
    closed_to = models.DateField()
    how_many = models.PositiveIntegerField(null=True, blank=True)
    percentage = models.PositiveSmallIntegerField(null=True, blank=True)
    seed = models.BigIntegerField()
    population = models.PositiveIntegerField()
    chosen = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Random selection of {self.chosen}, closed {self.closed_from} to {self.closed_to}"


class FeedbackInvitation(models.Model):
    """A private link to the Service User Feedback form for one closed EHA.

    The link's token is never stored: it is derived from the service's secret key and this
    invitation's own random nonce (voice/tokens.py), so it can be written again into a reminder
    or a letter, and only its SHA-256 digest is kept, to find the invitation from the link.
    """

    class Source(models.TextChoices):
        CONSENT = "consent", "The family agreed at closure"
        RANDOM = "random", "Random selection"

    class Method(models.TextChoices):
        EMAIL = "email", "E-mail"
        TEXT = "text", "Text message"
        LETTER = "letter", "Letter"

    assessment = models.OneToOneField(
        EarlyHelpAssessment, on_delete=models.PROTECT, related_name="feedback_invitation"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    selection = models.ForeignKey(
        FeedbackSelection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    nonce = models.CharField(max_length=32)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(help_text="The last day the link works.")
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    letter_printed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "expires_on"])]

    def __str__(self):
        return f"Feedback invitation for {self.assessment}"


class FeedbackResponse(models.Model):
    """A family's answers. Linked to its EHA for analysis by agency and district; the page that
    took it showed nothing about the family beyond the name of the service that helped them."""

    invitation = models.OneToOneField(
        FeedbackInvitation, on_delete=models.PROTECT, related_name="response"
    )
    assessment = models.ForeignKey(
        EarlyHelpAssessment, on_delete=models.PROTECT, related_name="feedback_responses"
    )
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    submitted_on = models.DateField()

    class Meta:
        ordering = ["-submitted_on", "-pk"]

    def __str__(self):
        return f"Feedback on {self.assessment} ({self.submitted_on})"


class Quote(models.Model):
    """A free-text answer the QA lead has looked at: publishable only once anything identifying
    has been taken out, in the moderated wording."""

    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="quotes")
    question_id = models.CharField(max_length=50)
    moderated_text = models.TextField()
    publishable = models.BooleanField(default=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-moderated_at"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question_id"], name="one_quote_per_answer")
        ]

    def __str__(self):
        return self.moderated_text[:50]


class StaffSurveyRound(models.Model):
    """One round of the staff survey: open between two dates, for an audience, through one
    shared link."""

    name = models.CharField(max_length=200)
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    opens_on = models.DateField()
    closes_on = models.DateField()
    agency_types = models.ManyToManyField(AgencyType, blank=True, related_name="+")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    link_code = models.CharField(max_length=40, unique=True)
    staff_asked = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many staff were sent the link, where the QA lead knows: the response "
        "rate's denominator.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on"]

    def __str__(self):
        return self.name


class StaffSurveyResponse(models.Model):
    """Anonymous by design: no person, no network address, no time of day. The respondent says
    which type of agency they work in, so results can be shown by group (groups under 5 are
    suppressed)."""

    round = models.ForeignKey(StaffSurveyRound, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    agency_type = models.ForeignKey(
        AgencyType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField()
    submitted_on = models.DateField()

    class Meta:
        ordering = ["round", "pk"]

    def __str__(self):
        return f"Response to {self.round}"
