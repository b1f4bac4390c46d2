"""The profile's questions as the interview and the questionnaire ask them: pure data.

Which questions, in which order and parts, with their "why we ask" line and the
condition that makes them worth asking, come from the knowledge files
(`templates/knowledge/interview.yaml`); what each answer may be (yes/no, a choice, a
number, text, a list) comes from the profile schema (`playbook.profile`). Nothing here
reads a file or a terminal: `playbook.interview` and `playbook.questionnaire` do.

An answer is checked with the profile's own validation, so a wrong answer gets the same
message as `playbook validate` would print for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ProfileError
from .knowledge import Knowledge, Texts
from .profile import Profile, validate_data
from .schema import FieldInfo, fields_of
from .sheets import parse_number

NETWORKS = "presence.networks"
FOLLOWERS = "presence.networks.followers"  # asked once per account the client holds
LIST_SEPARATOR = ","  # values typed on one line: "artisanal, local"

# The label namespace (labels.yaml) that names each enum's values.
_LABELS = {"market": "labels.market", "activity_complexity": "labels.complexity",
           "goals": "labels.goal", "audiences": "labels.audience",
           "departments": "labels.department"}


@dataclass(frozen=True)
class Question:
    path: str  # the field's dotted path, e.g. "staffing.trained"
    part: str  # the part of the playbook it feeds (interview.parts)
    kind: str  # bool | enum | enum_list | text | text_list | int | number | networks | followers
    text: str  # the question, in the playbook's language
    why: str  # why we ask, in one line
    info: FieldInfo | None  # the schema's field (None for followers)
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for enum and enum_list
    when: tuple[tuple[str, tuple], ...] = ()  # (field, the answers that allow asking)
    required: bool = False


def field_info(path: str) -> FieldInfo:
    """The schema's FieldInfo of a dotted path such as 'company.market'."""
    cls: Any = Profile
    info = None
    for part in path.split("."):
        info = {i.name: i for i in fields_of(cls)}[part]
        cls = info.cls
    assert info is not None
    return info


def _kind(info: FieldInfo) -> str:
    if info.kind == "list":
        assert info.item is not None
        if info.item.kind == "object":
            return "networks"
        return "enum_list" if info.item.kind == "enum" else "text_list"
    if info.kind in ("int", "number", "bool", "enum"):
        return info.kind
    return "text"


def questions(knowledge: Knowledge, language: str) -> list[Question]:
    """Every question, in the interview's order."""
    texts = knowledge.texts(language)
    out = []
    for path, entry in (knowledge.interview.get("questions") or {}).items():
        code = f"interview.questions.{path}"
        text = texts.get(f"{code}.ask") if texts.has(f"{code}.ask") else texts.get(f"open.{path}")
        why = texts.get(f"{code}.why")
        when = tuple((field, tuple(allowed)) for field, allowed in (entry.get("when") or {}).items())
        if path == FOLLOWERS:
            out.append(Question(path, entry["part"], "followers", text, why, None, when=when))
            continue
        info = field_info(path)
        kind = _kind(info)
        choices: tuple[tuple[str, str], ...] = ()
        if kind in ("enum", "enum_list"):
            values = info.values if kind == "enum" else info.item.values  # type: ignore[union-attr]
            namespace = _LABELS.get(info.name)
            choices = tuple((v, texts.label(namespace, v) if namespace else v) for v in values)
        out.append(Question(path, entry["part"], kind, text, why, info, choices, when,
                            required=path == "company.name"))
    return out


def part_title(texts: Texts, part: str) -> str:
    return texts.get(f"interview.parts.{part}")


def platform_choices(knowledge: Knowledge, texts: Texts) -> list[tuple[str, str]]:
    """(id, name) of the catalogue's networks, in catalogue order; retired ones too, so
    an old account is declared and the playbook says to close it."""
    return [(p.id, texts.label("platforms", p.id)) for p in knowledge.platforms.values()]


def get(data: dict, path: str) -> Any:
    """The answer at a dotted path of plain profile data; None when absent."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def allowed(question: Question, data: dict) -> bool:
    """Whether earlier answers make the question worth asking."""
    return all(get(data, field) in values for field, values in question.when)


def from_text(question: Question, text: str) -> Any:
    """A typed answer as the schema wants it ("1 200" -> 1200, "a, b" -> ["a", "b"]);
    what cannot be read is kept as text, for validation to say why."""
    text = text.strip()
    if question.kind in ("int", "number", "followers"):
        return parse_number(text)
    if question.kind == "text_list":
        return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
    return text


def check(question: Question, value: Any, knowledge: Knowledge) -> tuple[Any, str | None]:
    """(the value as validation leaves it, None) or (None, the message `validate` gives)."""
    if question.kind == "followers":
        data: dict = {"company": {"name": "-"},
                      "presence": {"networks": [{"platform": "facebook", "followers": value}]}}
        field = "presence.networks[0].followers"
    else:
        data = {"company": {"name": "-"}}
        node = data
        *parents, leaf = question.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
        field = question.path
    try:
        loaded = validate_data(data, "answer", knowledge.accepted_ids, knowledge.aliases,
                               choices=knowledge.profile_choices)
    except ProfileError as exc:
        mine = [p for p in exc.problems if p.field == field or p.field.startswith(field + "[")]
        problem = (mine or exc.problems)[0]
        # named as validate names it ("company.values[0]"); an account by its question
        where = question.path if question.kind == "followers" else problem.field
        return None, f"{where}: {problem.message}"
    if question.kind == "followers":
        return loaded.profile.presence.networks[0].followers, None
    result: Any = loaded.profile
    for part in question.path.split("."):
        result = getattr(result, part)
    if isinstance(result, tuple):
        result = list(result)
    return result, None
