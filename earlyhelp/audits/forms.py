"""The audit form's pages as GOV.UK forms. Every answer is optional while saving, so that an
auditor can save and come back at any point; completeness is checked on submission."""

from django import forms
from django.utils import timezone

from earlyhelp.core.forms import GovUKDateField, GovUKForm

from . import sections as pages
from .models import Audit

LONG_TEXT = 5000


def _text(label, help_text="", max_length=LONG_TEXT):
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip


class _AuditPageForm(GovUKForm):
    # The revision the page was opened at: saving over a newer one is refused (optimistic lock).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class FileComplianceForm(_AuditPageForm):
    file_compliance = forms.ChoiceField(
        label="Is the electronic Child and Family file in EHM compliant?",
        choices=Audit.Compliance.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    file_compliance_note = _text(
        "Notes on the file's compliance and the quality of the recording",
        "For example, missing documents, out-of-date plans, or recording that is hard to follow",
    )


class StandardsForm(_AuditPageForm):
    """One rating and one evidence note for each standard of one framework section."""

    def __init__(self, *args, ratings, rating_options, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(option.pk), option.label) for option in rating_options]
        self.rating_rows = []
        for rating in ratings:
            standard = rating.standard
            rating_name, evidence_name = f"rating_{rating.pk}", f"evidence_{rating.pk}"
            self.fields[rating_name] = forms.ChoiceField(
                label=f"{standard.ref_id} {standard.text}",
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[evidence_name] = _text(
                f"Evidence for {standard.ref_id}",
                "Needed for Partly met and Not met: what in the file shows it",
            )
            self.initial.setdefault(rating_name, str(rating.rating_id or ""))
            self.initial.setdefault(evidence_name, rating.evidence)
            self.rating_rows.append((rating, rating_name, evidence_name))
            self._govuk_messages(self.fields[rating_name], self.fields[rating_name].label)
            self._govuk_messages(self.fields[evidence_name], self.fields[evidence_name].label)


class BottomLinesForm(_AuditPageForm):
    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidenced"] = forms.MultipleChoiceField(
            label="Which bottom lines are evidenced in the file?",
            help_text="Select all that apply",
            choices=[
                (str(check.pk), f"{check.bottom_line.title or check.bottom_line.text}")
                for check in checks
            ],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.initial.setdefault("evidenced", [str(c.pk) for c in checks if c.evidenced])


class JourneyForm(_AuditPageForm):
    childs_journey = _text(
        "The child's journey and lived experience",
        "What life is like for the child, and how the help has changed it",
    )
    working_well = _text("What is working well?")
    worried_about = _text("What are we worried about?")
    needs_to_happen = _text("What needs to happen?")


class JudgementForm(_AuditPageForm):
    impact_score = forms.TypedChoiceField(
        label="How much impact has the work had on the child's lived experience?",
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    judgement = forms.ChoiceField(
        label="Overall judgement", widget=forms.RadioSelect, required=False
    )
    judgement_reason = _text(
        "Reasons for the judgement", "Required when the judgement is Inadequate"
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        anchors = {a.score: a.wording for a in version.impact_anchors.all()}
        scores = range(version.impact_min, version.impact_max + 1)
        impact = self.fields["impact_score"]
        impact.choices = [(score, str(score)) for score in scores]
        impact.option_hints = {str(score): text for score, text in anchors.items()}
        grades = list(version.judgement_grades.all())
        judgement = self.fields["judgement"]
        judgement.choices = [(str(grade.pk), grade.label) for grade in grades]
        judgement.option_hints = {str(grade.pk): grade.definition for grade in grades}


class SafeguardingForm(_AuditPageForm):
    unresolved_safeguarding = forms.TypedChoiceField(
        label="Are there unresolved safeguarding issues?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    safeguarding_details = _text(
        "Details of the safeguarding issues",
        "Required if there are unresolved safeguarding issues",
    )


class ActionsForm(_AuditPageForm):
    recommended_actions = _text(
        "Recommended actions for the practitioner",
        "What the coordinator and their manager should do next, and by when",
    )


FIXED_FORMS = {
    pages.FILE: FileComplianceForm,
    pages.JOURNEY: JourneyForm,
    pages.SAFEGUARDING: SafeguardingForm,
    pages.ACTIONS: ActionsForm,
}


class NewAuditForm(GovUKForm):
    assessment_reference = forms.CharField(
        label="EHA reference",
        max_length=50,
        error_messages={"required": "Enter the EHA reference"},
    )
    auditor = forms.ModelChoiceField(
        label="Auditor",
        queryset=None,
        empty_label="Choose an auditor",
        error_messages={"required": "Select an auditor"},
    )
    due_date = GovUKDateField(
        label="Due date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the due date"},
    )
    audit_type = forms.ChoiceField(
        label="Type of audit", choices=Audit.Type.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError("Due date must be today or in the future")
        return due


class ReopenForm(GovUKForm):
    heading_field = "reason"
    reason = forms.CharField(
        label="Why are you reopening this audit?",
        help_text="The auditor and the audit's history will show this reason",
        max_length=1000,
        error_messages={"required": "Enter why you are reopening this audit"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SubmitForm(GovUKForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm_judgement = forms.BooleanField(
        label="I have checked the ratings and the judgement stands", required=False
    )
