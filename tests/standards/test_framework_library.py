"""Standards are data: the shipped library quotes the framework word for word, any partnership's
library loads with no code change, a loaded version never changes, and a broken file is refused
with the place of the problem."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from earlyhelp.standards.defaults import DEFAULT_LIBRARY
from earlyhelp.standards.library import LibraryRefused, load_library, read_library
from earlyhelp.standards.models import Framework, FrameworkVersion, Section, Standard

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_af7cde6fdb4983db.txt"
OTHER = Path(__file__).parent / "anytown-family-help-framework.yaml"


def normalised(text):
    return " ".join(text.split())


def default_text():
    return DEFAULT_LIBRARY.read_text(encoding="utf-8")


def test_migrate_alone_puts_the_cscp_framework_in_force():
    version = FrameworkVersion.objects.get()
    assert version.framework.name == "CSCP Early Help Quality Assurance Framework"
    dash = "\u2013"  # the framework's own en dash
    assert [s.title for s in version.sections.all()] == [
        f"Section One {dash} Early Help Assessment",
        f"Section Two {dash} Early Help Assessment Plan",
        f"Section Three {dash} Early Help Assessment Review Meeting",
    ]
    counts = [s.standards.count() for s in version.sections.all()]
    assert counts == [11, 3, 9]
    assert version.bottom_lines.count() == 7
    assert [g.label for g in version.judgement_grades.all()] == [
        "Outstanding",
        "Good",
        "Requires Improvement",
        "Inadequate",
    ]
    assert (version.impact_min, version.impact_max) == (0, 10)


def test_every_standard_bottom_line_and_definition_is_quoted_word_for_word_from_the_seed():
    assert SEED.exists(), f"The framework's source text should be beside the project, at {SEED}"
    seed = normalised(SEED.read_text(encoding="utf-8"))
    version = FrameworkVersion.objects.get()
    quoted = [section.title for section in version.sections.all()]
    quoted += [s.text for s in Standard.objects.filter(section__version=version)]
    quoted += [f"{b.title} {b.text}".strip() for b in version.bottom_lines.all()]
    quoted += [f"{g.label} {g.definition}" for g in version.judgement_grades.all()]
    missing = [text for text in quoted if normalised(text) not in seed]
    assert missing == []
    assert len(quoted) == 3 + 23 + 7 + 4


def test_the_seventh_bottom_line_keeps_its_heading_and_its_guidance():
    seventh = FrameworkVersion.objects.get().bottom_lines.get(ref_id="BL7")
    assert seventh.title == "Family/support network"
    assert seventh.text.startswith("Where a family is being considered for transfer to social care")


def test_another_partnerships_framework_loads_with_no_code_change():
    result = load_library(OTHER.read_text(encoding="utf-8"))
    version = result.version
    assert result.created
    assert [o.label for o in version.rating_options.all()] == ["Strong", "Adequate", "Weak"]
    standards = Standard.objects.filter(section__version=version)
    assert [s.ref_id for s in standards.order_by("section__order", "order")] == [
        "A1",
        "A2",
        "B1",
    ]
    assert (version.impact_min, version.impact_max) == (1, 5)
    assert Framework.objects.count() == 2


def test_loading_the_same_file_again_changes_nothing():
    result = load_library(default_text())
    assert not result.created
    assert FrameworkVersion.objects.count() == 1
    assert Standard.objects.count() == 23


def test_a_loaded_version_cannot_be_changed():
    changed = default_text().replace("The assessment is logical", "The assessment is brief")
    with pytest.raises(LibraryRefused, match="already loaded with different content"):
        load_library(changed)
    assert Standard.objects.filter(text__startswith="The assessment is brief").count() == 0


def test_a_new_version_is_added_beside_the_old_one_which_is_kept_as_it_was():
    old = FrameworkVersion.objects.get()
    revised = (
        default_text()
        .replace('version: "1.0"', 'version: "1.1"')
        .replace("effective_date: 2025-04-01", "effective_date: 2026-04-01")
        .replace("The assessment is logical, concise and jargon free", "The assessment is clear")
    )
    new = load_library(revised).version
    assert new.pk != old.pk
    assert old.sections.get(ref_id="S1").standards.get(ref_id="S1.6").text == (
        "The assessment is logical, concise and jargon free"
    )
    assert new.sections.get(ref_id="S1").standards.get(ref_id="S1.6").text == (
        "The assessment is clear"
    )


def refusal(text):
    with pytest.raises(LibraryRefused) as caught:
        read_library(text)
    return str(caught.value)


def test_broken_yaml_is_refused_with_its_line_and_column():
    message = refusal("ref_id: x\nsections: [1, 2\nname: y\n")
    assert "not valid YAML at line 3" in message


def test_a_file_that_is_not_a_mapping_is_refused():
    assert "does not hold a framework library" in refusal("- just\n- a list\n")


# (text to change, its replacement, the place reported, the message reported). The line
# reported is the line of the changed text.
PROBLEMS = [
    ("effective_date: 2025-04-01", "effective_date: 2025-02-30", "effective_date", "valid date"),
    ("    text: Genogram.", "    text: ''", "bottom_lines[5].text", "at least 1 character"),
    (
        "      - ref_id: S1.2\n",
        "      - ref_id: S1.1\n",
        "sections[1].standards",
        "the ref_id \u201cS1.1\u201d is used twice",
    ),
    (
        "  - {ref_id: met, label: Met}",
        "  - {ref_id: met, label: Met, colour: red}",
        "rating_options[1].colour",
        "this is not a field a library may have",
    ),
    ("    - {score: 10,", "    - {score: 11,", "impact_scale", "the anchor for 11 is outside"),
    (
        "{ref_id: partly-met, label: Partly met, evidence_required: true}",
        "{ref_id: partly-met, label: Partly met, evidence_required: often}",
        "rating_options[2].evidence_required",
        "valid boolean",
    ),
]


@pytest.mark.parametrize(("old", "new", "place", "message"), PROBLEMS)
def test_each_problem_is_reported_with_its_place_in_the_file(old, new, place, message):
    text = default_text()
    assert old in text
    broken = text.replace(old, new, 1)
    reported = refusal(broken)
    assert f"- {place} (line " in reported
    assert message in reported
    reported_line = int(reported.split(f"- {place} (line ")[1].split(")")[0])
    changed_line = text[: text.index(old)].count("\n") + 1
    # A list's own problem is reported where the list starts, before the changed item.
    assert reported_line <= changed_line + 1
    assert changed_line - reported_line < 40


def test_a_missing_field_is_named():
    text = default_text().replace("name: CSCP Early Help Quality Assurance Framework\n", "")
    assert "- name: this is required but missing" in refusal(text)


def test_a_refused_file_loads_nothing():
    broken = (
        default_text()
        .replace('version: "1.0"', 'version: "2.0"')
        .replace("    text: Genogram.", "    text: ''")
    )
    with pytest.raises(LibraryRefused):
        load_library(broken)
    assert FrameworkVersion.objects.count() == 1
    assert Section.objects.count() == 3


def test_the_command_loads_a_file_and_exits_2_with_the_reason_when_it_is_refused(tmp_path):
    out = io.StringIO()
    call_command("load_framework", str(OTHER), stdout=out)
    assert "Loaded Anytown Family Help Practice Standards, version 2026.1" in out.getvalue()
    broken = tmp_path / "broken.yaml"
    broken.write_text("sections: [\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("load_framework", str(broken), stderr=err)
    assert exit_.value.code == 2
    assert "not valid YAML" in err.getvalue()
    assert "Nothing was loaded" in err.getvalue()
