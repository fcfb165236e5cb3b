"""Questionnaires as data: versioned YAML definitions, checked in full before anything is
written, a problem reported with its place. The format is in docs/questionnaires.md.

A version, once loaded, never changes: loading the same file again does nothing, and a file that
changes a loaded version is refused, because answers refer to the version they answered.
"""

import datetime
import hashlib
from pathlib import Path

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from earlyhelp.core.yaml_documents import DocumentRefused, read_yaml, validate

from .models import Questionnaire, QuestionnaireVersion

DEFAULTS = Path(__file__).parent / "questionnaires"

# The five points of an agree/disagree scale, in the order shown.
AGREE_SCALE = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
]
YES_NO = ["Yes", "No"]
QUESTION_TYPES = (
    "agree_scale",
    "yes_no",
    "scale_0_10",
    "single_choice",
    "multiple_choice",
    "free_text",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
DEFAULT_MAX_LENGTH = 1000


class QuestionnaireRefused(Exception):
    """The definition cannot be loaded. Nothing was written; the message says why and where."""


Id = Field(min_length=1, max_length=50, pattern=r"^[a-z0-9][a-z0-9_-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Question(_Strict):
    id: str = Id
    type: str
    text: str = Field(min_length=1, max_length=300)
    hint: str = Field(default="", max_length=500)
    required: bool = True
    options: list[str] = Field(default_factory=list)
    max_length: int | None = Field(default=None, ge=10, le=5000)
    # For a 0 to 10 scale: what 0 and 10 mean, shown beside the scale.
    low_label: str = Field(default="", max_length=100)
    high_label: str = Field(default="", max_length=100)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value):
        if value not in QUESTION_TYPES:
            raise ValueError(
                f"{value!r} is not a question type: use one of {', '.join(QUESTION_TYPES)}"
            )
        return value

    @model_validator(mode="after")
    def _fits_its_type(self):
        if self.type in CHOICE_TYPES:
            if len(self.options) < 2:
                raise ValueError(f"a {self.type} question needs at least two options")
            if len(set(self.options)) != len(self.options):
                raise ValueError("options must differ from each other")
        elif self.options:
            raise ValueError(f"a {self.type} question has no options of its own")
        if self.max_length is not None and self.type != "free_text":
            raise ValueError("only a free_text question has a max_length")
        if (self.low_label or self.high_label) and self.type != "scale_0_10":
            raise ValueError("only a scale_0_10 question has low_label and high_label")
        return self


class _Section(_Strict):
    id: str = Id
    title: str = Field(min_length=1, max_length=200)
    intro: str = Field(default="", max_length=1000)
    # The part the child or young person answers in their own words.
    for_child: bool = False
    questions: list[_Question] = Field(min_length=1)


class _Definition(_Strict):
    kind: str
    name: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=20)
    effective_date: datetime.date
    intro: str = Field(default="", max_length=2000)
    sections: list[_Section] = Field(min_length=1)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value):
        kinds = Questionnaire.Kind.values
        if value not in kinds:
            raise ValueError(
                f"{value!r} is not a kind of questionnaire: use one of {', '.join(kinds)}"
            )
        return value

    @model_validator(mode="after")
    def _unique_ids(self):
        sections = [section.id for section in self.sections]
        if len(set(sections)) != len(sections):
            raise ValueError("two sections have the same id")
        questions = [q.id for section in self.sections for q in section.questions]
        repeated = sorted({q for q in questions if questions.count(q) > 1})
        if repeated:
            raise ValueError(f"question ids must be unique; repeated: {', '.join(repeated)}")
        return self


def read_definition(text: str) -> _Definition:
    try:
        data = read_yaml(text, what="a questionnaire definition")
        return validate(_Definition, data, text, noun="questionnaire")
    except DocumentRefused as refused:
        raise QuestionnaireRefused(str(refused)) from None


def _stored(definition: _Definition) -> dict:
    """The definition as stored with the version: every question with its options written out,
    so that forms and results never need to know the defaults."""
    data = definition.model_dump(mode="json")
    for section in data["sections"]:
        for question in section["questions"]:
            if question["type"] == "agree_scale":
                question["options"] = list(AGREE_SCALE)
            elif question["type"] == "yes_no":
                question["options"] = list(YES_NO)
            elif question["type"] == "scale_0_10":
                question["options"] = [str(n) for n in range(11)]
            elif question["type"] == "free_text" and question["max_length"] is None:
                question["max_length"] = DEFAULT_MAX_LENGTH
    return data


def load_definition(text: str):
    """Loads one questionnaire version from its definition's text, all or nothing. Returns
    (version, created)."""
    definition = read_definition(text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        questionnaire, _ = Questionnaire.objects.update_or_create(
            kind=definition.kind, defaults={"name": definition.name}
        )
        held = QuestionnaireVersion.objects.filter(
            questionnaire=questionnaire, version=definition.version
        ).first()
        if held is not None:
            if held.sha256 == digest:
                return held, False
            raise QuestionnaireRefused(
                f"Version {definition.version} of “{definition.name}” is already loaded with "
                "different content. Answers may already use it, so it cannot change: give the "
                "revised file a new version number."
            )
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire,
            version=definition.version,
            effective_date=definition.effective_date,
            definition=_stored(definition),
            source_text=text,
            sha256=digest,
        )
    return version, True


def load_defaults():
    """Loads the shipped questionnaires that are not loaded yet."""
    return [
        load_definition(path.read_text(encoding="utf-8"))
        for path in sorted(DEFAULTS.glob("*.yaml"))
    ]


def current_version(kind: str, on: datetime.date | None = None) -> QuestionnaireVersion:
    """The version in force: the latest whose effective date has come."""
    from django.utils import timezone

    on = on or timezone.localdate()
    version = (
        QuestionnaireVersion.objects.filter(questionnaire__kind=kind, effective_date__lte=on)
        .order_by("-effective_date", "-pk")
        .first()
    )
    if version is None:
        load_defaults()
        version = (
            QuestionnaireVersion.objects.filter(questionnaire__kind=kind)
            .order_by("-effective_date", "-pk")
            .first()
        )
    return version
