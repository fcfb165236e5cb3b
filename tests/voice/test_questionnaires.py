"""Questionnaires are data: the shipped definitions load with migrate, a malformed one is
refused with its place named, and a loaded version never changes."""

import io

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.voice.forms import QuestionnaireForm
from earlyhelp.voice.models import QuestionnaireVersion
from earlyhelp.voice.questionnaires import (
    AGREE_SCALE,
    QuestionnaireRefused,
    current_version,
    load_definition,
    read_definition,
)

GOOD = """
kind: staff_survey
name: A short survey
version: "9.1"
effective_date: 2026-02-01
sections:
  - id: work
    title: Your work
    questions:
      - id: workload
        type: agree_scale
        text: My workload is fair
      - id: colour
        type: single_choice
        text: Favourite colour
        options: [Red, Blue]
      - id: more
        type: free_text
        text: Anything else?
        required: false
"""


def test_migrate_loads_the_three_shipped_questionnaires(db):
    kinds = set(QuestionnaireVersion.objects.values_list("questionnaire__kind", flat=True))
    assert kinds == {"closure_form", "service_user_feedback", "staff_survey"}


def test_the_family_form_has_a_section_for_the_child_in_their_own_words(db):
    sections = current_version("service_user_feedback").definition["sections"]
    child = [section for section in sections if section["for_child"]]
    assert len(child) == 1
    assert any(q["type"] == "free_text" for q in child[0]["questions"])


def test_every_question_type_is_offered_by_the_shipped_definitions(db):
    types = {
        question["type"]
        for version in QuestionnaireVersion.objects.all()
        for _, question in version.questions()
    }
    assert types == {
        "agree_scale",
        "yes_no",
        "scale_0_10",
        "single_choice",
        "multiple_choice",
        "free_text",
    }


def test_a_definition_loads_with_its_options_written_out(db):
    version, created = load_definition(GOOD)
    assert created
    questions = {q["id"]: q for _, q in version.questions()}
    assert questions["workload"]["options"] == AGREE_SCALE
    assert questions["more"]["max_length"] == 1000
    assert questions["more"]["required"] is False


def test_loading_the_same_file_again_changes_nothing(db):
    load_definition(GOOD)
    _, created = load_definition(GOOD)
    assert not created
    assert QuestionnaireVersion.objects.filter(version="9.1").count() == 1


def test_a_changed_file_with_the_same_version_is_refused(db):
    load_definition(GOOD)
    with pytest.raises(QuestionnaireRefused, match="already loaded with different content"):
        load_definition(GOOD.replace("My workload is fair", "My workload is heavy"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("type: agree_scale", "type: stars"), "sections[1].questions[1].type (line 11)"),
        (("options: [Red, Blue]", "options: [Red]"), "needs at least two options"),
        (("id: colour", "id: workload"), "repeated: workload"),
        (("kind: staff_survey", "kind: quiz"), "is not a kind of questionnaire"),
        (
            ("        required: false\n", "        required: false\n        colour: red\n"),
            "not a field",
        ),
        (('version: "9.1"\n', ""), "version: this is required but missing"),
        (("effective_date: 2026-02-01", "effective_date: 2026-02-31"), "effective_date"),
        (("type: free_text", "type: free_text\n        options: [a, b]"), "has no options"),
    ],
    ids=[
        "unknown type",
        "one option",
        "repeated id",
        "unknown kind",
        "extra field",
        "missing",
        "bad date",
        "options on text",
    ],
)
def test_a_malformed_definition_is_refused_with_its_place(db, change, message):
    before = QuestionnaireVersion.objects.count()
    with pytest.raises(QuestionnaireRefused) as refused:
        load_definition(GOOD.replace(*change))
    assert message in str(refused.value)
    assert QuestionnaireVersion.objects.count() == before


def test_text_that_is_not_yaml_is_refused_with_its_line():
    with pytest.raises(QuestionnaireRefused, match="not valid YAML at line 2"):
        read_definition("kind: staff_survey\n  - : [\n")


def test_the_command_loads_a_file_and_refuses_a_bad_one(db, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("load_questionnaire", str(good), stdout=out)
    assert "Loaded A short survey 9.1" in out.getvalue()
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("type: agree_scale", "type: stars"), encoding="utf-8")
    with pytest.raises(CommandError, match="stars"):
        call_command("load_questionnaire", str(bad))


def test_the_form_refuses_an_option_that_is_not_offered(db):
    version, _ = load_definition(GOOD)
    form = QuestionnaireForm.for_version(version, data={"workload": "Agree", "colour": "Green"})
    assert not form.is_valid()
    assert list(form.errors) == ["colour"]


def test_the_form_gives_the_answers_it_was_given_and_leaves_out_blanks(db):
    version, _ = load_definition(GOOD)
    form = QuestionnaireForm.for_version(version, data={"workload": "Agree", "colour": "Red"})
    assert form.is_valid(), form.errors
    assert form.answers() == {"workload": "Agree", "colour": "Red"}


def test_a_required_question_left_blank_says_which(db):
    version, _ = load_definition(GOOD)
    form = QuestionnaireForm.for_version(version, data={"colour": "Red"})
    assert not form.is_valid()
    assert form.errors["workload"] == ["Choose an answer to: My workload is fair"]


def test_the_services_refuse_answers_that_skip_the_page(db):
    from earlyhelp.voice.forms import AnswersRefused, checked_answers

    version, _ = load_definition(GOOD)
    with pytest.raises(AnswersRefused) as refused:
        checked_answers(version, {"workload": "Agree", "colour": "Green", "shoe-size": "9"})
    assert set(refused.value.errors) == {"colour", ""}
    assert "shoe-size" in refused.value.errors[""]
