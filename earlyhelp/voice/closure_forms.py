"""The closure form's page: the closure form questionnaire's questions (from its version), then
whether the family agrees to be asked for feedback and how. The rules for the second part are
the service's own (closure.check_contact); this form only puts its messages on the right fields.
"""

from django import forms
from django.core.exceptions import ImproperlyConfigured

from .closure import Method, check_contact
from .forms import QuestionnaireForm

CONSENT_QUESTION = "Does the family agree to be asked for feedback about the help they had?"
CONSENT_MISSING = "Select whether the family agrees to be asked for feedback"
METHOD_QUESTION = "How would they like to be asked?"

# The fields this page adds to the questionnaire's, and where the service's messages go.
CONTACT_FIELDS = {
    "method": "contact_method",
    "email": "contact_email",
    "phone": "contact_phone",
}
OWN_FIELDS = frozenset({"feedback_consent", *CONTACT_FIELDS.values()})


class ClosureFormForm(QuestionnaireForm):
    feedback_consent = forms.ChoiceField(
        label=CONSENT_QUESTION,
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": CONSENT_MISSING},
    )
    contact_method = forms.ChoiceField(
        label=METHOD_QUESTION,
        choices=Method.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    contact_email = forms.CharField(
        label="E-mail address",
        required=False,
        max_length=254,
        help_text="The invitation is sent here, then the address is erased",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact_phone = forms.CharField(
        label="Mobile phone number",
        required=False,
        max_length=30,
        help_text="A UK mobile number. The text message is sent here, then the number is erased",
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = None  # what to keep about the family's consent, once the form is valid
        clash = OWN_FIELDS & {question["id"] for _, question in self.version.questions()}
        if clash:
            raise ImproperlyConfigured(
                f"A closure form question uses a name the page needs: {', '.join(sorted(clash))}"
            )
        # The GOV.UK layer words a made-up option as "Select … from the list"; these say it
        # plainly.
        self.fields["feedback_consent"].error_messages["invalid_choice"] = CONSENT_MISSING
        self.fields["contact_method"].error_messages["invalid_choice"] = (
            "Select how the family would like to be asked for feedback"
        )
        # The questionnaire's questions first, as on the page, so the error summary follows it.
        self.order_fields([question["id"] for _, question in self.version.questions()])

    @property
    def consent_fields(self):
        return [self[name] for name in ("feedback_consent", *CONTACT_FIELDS.values())]

    def clean(self):
        cleaned = super().clean()
        consent = cleaned.get("feedback_consent")
        if not consent or any(self.has_error(name) for name in CONTACT_FIELDS.values()):
            return cleaned
        self.contact, errors = check_contact(
            consent=consent == "yes",
            method=cleaned.get("contact_method"),
            email=cleaned.get("contact_email"),
            phone=cleaned.get("contact_phone"),
        )
        for key, message in errors.items():
            self.add_error(CONTACT_FIELDS[key], message)
        return cleaned

    def answers(self) -> dict:
        """The questionnaire's answers only: the family's contact is kept apart."""
        return {name: value for name, value in super().answers().items() if name not in OWN_FIELDS}
