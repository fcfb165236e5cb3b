"""A GOV.UK form built from a questionnaire version's definition, and the answers it gives.

Field names are the questions' ids; `form.sections` gives each section with its bound fields,
so a template can show the sections as headings (and the child's own section apart).
"""

from django import forms

from earlyhelp.core.forms import GovUKForm


def _field(question):
    field = _bare_field(question)
    # A question is a sentence, not a field name: "Select my workload is fair" reads badly.
    if question["type"] == "free_text":
        field.error_messages["required"] = f"Answer the question: {question['text']}"
    else:
        field.error_messages["required"] = f"Choose an answer to: {question['text']}"
    return field


def _bare_field(question):
    required = question["required"]
    label = question["text"]
    hint = question.get("hint", "")
    kind = question["type"]
    if kind == "free_text":
        return forms.CharField(
            label=label,
            help_text=hint,
            required=required,
            max_length=question["max_length"],
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    choices = [(option, option) for option in question["options"]]
    if kind == "multiple_choice":
        return forms.MultipleChoiceField(
            label=label,
            help_text=hint,
            required=required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
        )
    if kind == "scale_0_10":
        ends = "; ".join(filter(None, [question.get("low_label"), question.get("high_label")]))
        hint = " ".join(filter(None, [hint, f"({ends})" if ends else ""]))
    field = forms.ChoiceField(
        label=label, help_text=hint, required=required, choices=choices, widget=forms.RadioSelect
    )
    field.inline = kind in ("scale_0_10", "yes_no")
    return field


class QuestionnaireForm(GovUKForm):
    """The questions of one version. Answers are validated against the version's own options:
    a made-up value posted is an error on that question, never stored."""

    def __init__(self, *args, version, **kwargs):
        self.version = version
        super().__init__(*args, **kwargs)

    @classmethod
    def for_version(cls, version, *args, **kwargs):
        fields = {
            question["id"]: _field(question)
            for section in version.definition["sections"]
            for question in section["questions"]
        }
        form_class = type("QuestionnaireVersionForm", (cls,), fields)
        return form_class(*args, version=version, **kwargs)

    @property
    def sections(self):
        return [
            (section, [self[question["id"]] for question in section["questions"]])
            for section in self.version.definition["sections"]
        ]

    def answers(self) -> dict:
        """{question id: answer} for the questions answered: text, an option, or a list of
        options. Questions left blank are left out."""
        given = {}
        for name, value in self.cleaned_data.items():
            if name not in self.fields or value in ("", None, []):
                continue
            given[name] = value
        return given


class AnswersRefused(Exception):
    """Answers that do not fit the version's questions: `errors` maps each question id (or "")
    to what is wrong."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k or 'answers'}: {v}" for k, v in errors.items()))
        self.errors = errors


def checked_answers(version, answers: dict) -> dict:
    """The answers, checked against the version's own questions exactly as its page checks them
    (an option not offered, text too long, a required question blank, a question it does not
    have): the services call this too, so nothing that skips the page can store bad answers."""
    form = QuestionnaireForm.for_version(version, data=dict(answers))
    errors = {}
    if not form.is_valid():
        errors.update({name: messages[0] for name, messages in form.errors.items()})
    unknown = sorted(set(answers) - set(form.fields))
    if unknown:
        errors[""] = f"These are not questions of this questionnaire: {', '.join(unknown)}"
    if errors:
        raise AnswersRefused(errors)
    return form.answers()
