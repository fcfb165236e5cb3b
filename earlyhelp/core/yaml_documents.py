"""Reading definition files written in YAML (framework libraries, questionnaires) and saying
where a problem is: the path to the item and the line it starts on, in words a person can act on.
"""

import yaml
from pydantic import ValidationError


class DocumentRefused(Exception):
    """The document cannot be used. Nothing was written; the message says why and where."""


def read_yaml(text: str, *, what: str):
    """Parses YAML with every value read as text (the checks decide what each must be, so a
    version "1.10" stays "1.10"); returns the mapping at the top. `what` names the document
    ("a framework library") in the messages."""
    try:
        data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds no objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "the file"
        raise DocumentRefused(f"The file is not valid YAML at {where}: {error.problem}.") from None
    except yaml.YAMLError as error:
        raise DocumentRefused(f"The file is not valid YAML: {error}.") from None
    if not isinstance(data, dict):
        raise DocumentRefused(f"The file does not hold {what} (a YAML mapping).")
    return data


def validate(model, data, text: str, *, noun: str):
    """`model.model_validate(data)`, or DocumentRefused listing the first problems, each with
    its place: "sections[2].questions[1].type (line 31): …"."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = line_numbers(text)
        problems = [describe(problem, lines, noun) for problem in error.errors()[:10]]
        raise DocumentRefused(f"The {noun} has problems:\n" + "\n".join(problems)) from None


def describe(problem, lines, noun):
    path = problem["loc"]
    place = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    line = nearest_line(path, lines)
    where = f"{place or 'the top level'}" + (f" (line {line})" if line else "")
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "missing":
        message = "this is required but missing"
    elif problem["type"] == "extra_forbidden":
        message = f"this is not a field a {noun} may have"
    return f"- {where}: {message}"


def line_numbers(text):
    """Maps each path in the YAML document to the line it starts on."""
    lines = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines

    def walk(node, path):
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    if root is not None:
        walk(root, ())
    return lines


def nearest_line(path, lines):
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None
