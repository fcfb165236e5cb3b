"""Framework library files: read, check and load one framework version.

A library file is YAML (docs/framework-library.md). It is checked in full before anything is
written; a problem is reported with its place in the file (the path to the item and its line).
A version, once loaded, never changes: loading the same file again does nothing, and a file that
changes a loaded version is refused, so audits keep the standards they were started with.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from earlyhelp.core.yaml_documents import DocumentRefused, read_yaml, validate

from .models import (
    BottomLine,
    Framework,
    FrameworkVersion,
    ImpactAnchor,
    JudgementGrade,
    RatingOption,
    Section,
    Standard,
)


class LibraryRefused(Exception):
    """The library file cannot be loaded. Nothing was written; the message says why and where."""


# --- the shape of a library file -------------------------------------------------------------

Text = Field(min_length=1)
RefId = Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Rating(_Strict):
    ref_id: str = RefId
    label: str = Field(min_length=1, max_length=50)
    evidence_required: bool = False
    applicable: bool = True


class _Grade(_Strict):
    ref_id: str = RefId
    label: str = Field(min_length=1, max_length=50)
    definition: str = Text


class _Anchor(_Strict):
    score: int = Field(ge=0, le=100)
    wording: str = Field(min_length=1, max_length=300)


class _ImpactScale(_Strict):
    min: int = Field(ge=0, le=100)
    max: int = Field(ge=1, le=100)
    anchors: list[_Anchor] = Field(min_length=1)

    @model_validator(mode="after")
    def _anchors_on_the_scale(self):
        if self.min >= self.max:
            raise ValueError("min must be less than max")
        for anchor in self.anchors:
            if not self.min <= anchor.score <= self.max:
                raise ValueError(
                    f"the anchor for {anchor.score} is outside {self.min} to {self.max}"
                )
        return self


class _BottomLine(_Strict):
    ref_id: str = RefId
    title: str = Field(default="", max_length=200)
    text: str = Text


class _Standard(_Strict):
    ref_id: str = RefId
    text: str = Text


class _Section(_Strict):
    ref_id: str = RefId
    title: str = Field(min_length=1, max_length=200)
    standards: list[_Standard] = Field(min_length=1)

    @field_validator("standards")
    @classmethod
    def _unique_standards(cls, standards):
        return _unique(standards)


class _Library(_Strict):
    ref_id: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=200)
    provider: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=30)
    effective_date: datetime.date
    source: str = ""
    rating_options: list[_Rating] = Field(min_length=2)
    judgement_scale: list[_Grade] = Field(min_length=2)
    impact_scale: _ImpactScale
    bottom_lines: list[_BottomLine] = Field(default_factory=list)
    sections: list[_Section] = Field(min_length=1)

    @field_validator("rating_options", "judgement_scale", "bottom_lines", "sections")
    @classmethod
    def _unique_ids(cls, items):
        return _unique(items)


def _unique(items):
    seen = set()
    for item in items:
        if item.ref_id in seen:
            raise ValueError(f"the ref_id “{item.ref_id}” is used twice")
        seen.add(item.ref_id)
    return items


# --- reading and checking --------------------------------------------------------------------


@dataclass
class LoadResult:
    version: FrameworkVersion
    created: bool


def read_library(text: str) -> _Library:
    """Parses and checks a library file's text; raises LibraryRefused with the place of the
    first problems found."""
    try:
        data = read_yaml(text, what="a framework library")
        return validate(_Library, data, text, noun="library")
    except DocumentRefused as refused:
        raise LibraryRefused(str(refused)) from None


# --- loading -----------------------------------------------------------------------------------


def load_library(text: str, *, user=None) -> LoadResult:
    """Loads one framework version from a library file's text, all or nothing."""
    library = read_library(text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        framework, _ = Framework.objects.update_or_create(
            ref_id=library.ref_id,
            defaults={"name": library.name, "provider": library.provider},
        )
        held = FrameworkVersion.objects.filter(framework=framework, version=library.version).first()
        if held is not None:
            if held.sha256 == digest:
                return LoadResult(held, created=False)
            raise LibraryRefused(
                f"Version {library.version} of “{library.name}” is already loaded with different "
                "content. Audits may already use it, so it cannot change: give the revised file "
                "a new version number."
            )
        version = FrameworkVersion.objects.create(
            framework=framework,
            version=library.version,
            effective_date=library.effective_date,
            source=library.source,
            library_text=text,
            sha256=digest,
            loaded_by=user,
            impact_min=library.impact_scale.min,
            impact_max=library.impact_scale.max,
        )
        _create_parts(version, library)
    return LoadResult(version, created=True)


def _create_parts(version, library):
    RatingOption.objects.bulk_create(
        RatingOption(version=version, order=n, **option.model_dump())
        for n, option in enumerate(library.rating_options, start=1)
    )
    JudgementGrade.objects.bulk_create(
        JudgementGrade(version=version, order=n, **grade.model_dump())
        for n, grade in enumerate(library.judgement_scale, start=1)
    )
    ImpactAnchor.objects.bulk_create(
        ImpactAnchor(version=version, **anchor.model_dump())
        for anchor in library.impact_scale.anchors
    )
    BottomLine.objects.bulk_create(
        BottomLine(version=version, order=n, **line.model_dump())
        for n, line in enumerate(library.bottom_lines, start=1)
    )
    for n, item in enumerate(library.sections, start=1):
        section = Section.objects.create(
            version=version, order=n, ref_id=item.ref_id, title=item.title
        )
        Standard.objects.bulk_create(
            Standard(section=section, order=m, ref_id=standard.ref_id, text=standard.text)
            for m, standard in enumerate(item.standards, start=1)
        )
