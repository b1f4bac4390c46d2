"""The domain knowledge as editable data: platform catalogue, checklists, plan texts.

Everything a consultant may want to reword or update lives in YAML files under
`templates/knowledge/` (or the same path in a `--templates` folder, which replaces a
built-in file of the same name). Texts are leaves `{en: ..., fr: ...}` anywhere in
those files; they are flattened into dotted codes (`plan.objectives.title`), which is
how the rules engine names them. Placeholders are `{name}`; list and label values are
localized when filled in (see `Texts.format`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .sources import read_data
from .textcache import cached_parse

LANGUAGES = ("en", "fr")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# "{count?one account|{count} accounts}": the first form when the number is 1, or when
# the parameter is a list of one ("{goals?goal|goals}").
_PLURAL = re.compile(r"\{([a-z_][a-z0-9_]*)\?((?:[^{}|]|\{\w+\})*)\|((?:[^{}|]|\{\w+\})*)\}")
_EURO_PARAMS = ("budget", "yearly")


class MissingTextError(InputError):
    """A text the rules use is missing from a user's knowledge files (found while
    rendering a profile, so the command names that profile)."""

    names_its_file = False


class KnowledgeError(InputError):
    """A knowledge file (platform catalogue, texts) is malformed: names the file and key."""

    kind = "a knowledge file"
    starter = "copy the built-in file (playbook templates eject DIR)"


@dataclass(frozen=True)
class Month:
    """A month of a year, for targets ("by May 2027")."""

    year: int
    month: int


@dataclass(frozen=True)
class Platform:
    """One network of the catalogue, with how well it fits each market, goal and audience."""

    id: str
    name: str
    status: str  # active | retired
    markets: Mapping[str, float]
    goals: Mapping[str, float]
    audiences: Mapping[str, float]
    needs: str  # text | visual | video
    aliases: tuple[str, ...] = ()
    local: bool = False  # a local-business listing rather than a network

    @property
    def retired(self) -> bool:
        return self.status == "retired"


@dataclass(frozen=True)
class Knowledge:
    messages: Mapping[str, Mapping[str, str]]
    platforms: Mapping[str, Platform]
    crisis_sectors: Mapping[str, tuple[str, ...]]  # sector family -> lowercase keywords
    questions: tuple[Mapping[str, Any], ...]
    sources: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # organisation kind -> lowercase keywords of the sector or name that suggest it
    kind_keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the interview's question order, parts and conditions (interview.yaml); its texts
    # are in `messages` like every other text
    interview: Mapping[str, Any] = field(default_factory=dict)

    @property
    def accepted_ids(self) -> frozenset[str]:
        return frozenset(self.platforms)

    @property
    def aliases(self) -> dict[str, str]:
        return {alias: p.id for p in self.platforms.values() for alias in p.aliases}

    def texts(self, language: str) -> Texts:
        return Texts(self.messages, language)


def _flatten(node: Any, prefix: str, out: dict, source: str, problems: list[Problem]) -> None:
    if isinstance(node, dict):
        keys = set(node)
        if keys and keys <= set(LANGUAGES) | {"note"} and keys & set(LANGUAGES):
            missing = [lang for lang in LANGUAGES if not isinstance(node.get(lang), str)]
            if missing:
                problems.append(Problem(source, prefix, f"missing text in {', '.join(missing)}"))
                return
            out[prefix] = {lang: node[lang] for lang in LANGUAGES}
            return
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out, source, problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _flatten(value, f"{prefix}.{index}", out, source, problems)


def knowledge_files(search_path: Sequence[Path]) -> list[Path]:
    """Knowledge files by name, a file in an earlier folder replacing a later one's."""
    chosen: dict[str, Path] = {}
    for folder in reversed(list(search_path)):
        knowledge_dir = folder / "knowledge"
        if knowledge_dir.is_dir():
            for path in knowledge_dir.glob("*.yaml"):
                chosen[path.name] = path
    return [chosen[name] for name in sorted(chosen)]


def _string_keys(node: Any) -> Any:
    """Keys as text (`month: {1: January}` gives "1"), as texts are named by dotted
    codes anyway; this also keeps the data JSON, so it can be cached."""
    if isinstance(node, dict):
        return {str(key): _string_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_string_keys(value) for value in node]
    return node


def load_knowledge(search_path: Sequence[Path]) -> Knowledge:
    """Read every knowledge file along the template search path."""
    raw: dict[str, Any] = {}
    defined_in: dict[str, str] = {}  # top-level key -> the file that gives it
    messages: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for path in knowledge_files(search_path):
        data = cached_parse(path, lambda p: _string_keys(read_data(p, KnowledgeError)[0]))
        if not isinstance(data, dict):
            raise KnowledgeError.single(str(path), "expected a mapping at the top level")
        for key, value in data.items():
            raw[key] = value
            defined_in[key] = str(path)
        _flatten(data, "", messages, str(path), problems)
    if problems:
        raise KnowledgeError(problems)
    platforms = {}
    for pid, entry in (raw.get("platforms") or {}).items():
        try:
            platforms[pid] = Platform(
                id=pid,
                name=str(entry["name"]["en"] if isinstance(entry["name"], dict) else entry["name"]),
                status=str(entry.get("status", "active")),
                markets=dict(entry.get("markets") or {}),
                goals=dict(entry.get("goals") or {}),
                audiences=dict(entry.get("audiences") or {}),
                needs=str(entry.get("needs", "text")),
                aliases=tuple(entry.get("aliases") or ()),
                local=bool(entry.get("local", False)),
            )
        except KeyError as exc:
            raise KnowledgeError.single(
                defined_in["platforms"], f"platforms.{pid}: the field {exc.args[0]!r} is missing "
                "(every platform needs a name)") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise KnowledgeError.single(
                defined_in["platforms"], f"platforms.{pid}: malformed entry ({exc}); compare it "
                "with a built-in entry") from None
    sectors = {
        family: tuple(str(k).lower() for k in entry.get("keywords", ()))
        for family, entry in (raw.get("crisis_sectors") or {}).items()
    }
    questions = tuple(
        {"id": qid, "group": entry.get("group", "structure"), "seed": entry.get("seed", "")}
        for qid, entry in (raw.get("questions") or {}).items()
    )
    kinds = {
        kind: tuple(str(k).lower() for k in entry.get("keywords", ()))
        for kind, entry in (raw.get("organization_kinds") or {}).items()
    }
    return Knowledge(messages, platforms, sectors, questions, kind_keywords=kinds,
                     interview=raw.get("interview") or {})


# -- text resolution ------------------------------------------------------------

_LABEL_PARAMS = {
    # parameter name -> label namespace: "{goal}" is shown as the goal's label
    "goal": "labels.goal", "goals": "labels.goal",
    "audience": "labels.audience", "audiences": "labels.audience",
    "department": "labels.department", "departments": "labels.department",
    "market": "labels.market", "complexity": "labels.complexity",
    "model": "labels.model", "criterion": "labels.criterion", "criteria": "labels.criterion",
    "sector_family": "labels.sector_family",
    "platform": "platforms", "platforms": "platforms", "others": "platforms", "lead": "labels.lead",
}


@dataclass(frozen=True)
class Texts:
    """Messages in one language, with the formatting rules of that language."""

    messages: Mapping[str, Mapping[str, str]]
    language: str

    def has(self, code: str) -> bool:
        return code in self.messages

    def get(self, code: str, **params: Any) -> str:
        try:
            template = self.messages[code][self.language]
        except KeyError:
            # Only a knowledge file of a user's templates folder can lack a text the
            # rules use (the built-in ones are complete: tests/test_knowledge.py).
            raise MissingTextError.single(
                "knowledge", f"no text for '{code}' in {self.language}; a knowledge file of the "
                "templates folder lacks it (playbook templates check DIR lists what is "
                "missing)") from None
        if not params or "{" not in template:
            return template
        if "?" in template:
            template = _PLURAL.sub(
                lambda m: m.group(2) if _is_one(params.get(m.group(1))) else m.group(3), template)

        def fill(match: re.Match) -> str:
            name = match.group(1)
            return self.value(name, params[name]) if name in params else match.group(0)

        return _PLACEHOLDER.sub(fill, template)

    def label(self, namespace: str, key: str) -> str:
        if namespace == "platforms":
            return self.get(f"platforms.{key}.name") if self.has(f"platforms.{key}.name") else key
        code = f"{namespace}.{key}"
        return self.get(code) if self.has(code) else str(key)

    def value(self, name: str, value: Any) -> str:
        """A parameter rendered for this language: labels, lists, numbers, dates."""
        namespace = _LABEL_PARAMS.get(name)
        if isinstance(value, list | tuple | frozenset | set):
            items = [self.label(namespace, v) if namespace else self.value("", v) for v in value]
            return self.join(items)
        if namespace and isinstance(value, str):
            return self.label(namespace, value)
        if isinstance(value, bool):
            return self.get("labels.yes" if value else "labels.no")
        if name in _EURO_PARAMS and isinstance(value, int | float):
            return self.euros(value)
        if isinstance(value, int | float):
            return self.number(value)
        if isinstance(value, Month):
            return f"{self.get(f'labels.month.{value.month}')} {value.year}"
        if isinstance(value, datetime.date):
            return self.date(value)
        return str(value)

    def number(self, value: float) -> str:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        if self.language == "fr":  # 12 345,5: narrow no-break space, decimal comma
            text = text.replace(",", "\u202f").replace(".", ",")
        return text

    def euros(self, value: float) -> str:
        return f"{self.number(value)}\u00a0€" if self.language == "fr" else f"€{self.number(value)}"

    def date(self, value: datetime.date) -> str:
        month = self.get(f"labels.month.{value.month}")
        if self.language == "fr":
            day = "1er" if value.day == 1 else str(value.day)
            return f"{day} {month} {value.year}"
        return f"{value.day} {month} {value.year}"

    def join(self, items: Iterable[str]) -> str:
        items = [str(i) for i in items]
        if len(items) <= 1:
            return "".join(items)
        last = self.get("labels.and")
        return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _is_one(value: Any) -> bool:
    if isinstance(value, list | tuple | frozenset | set):
        return len(value) == 1
    return value == 1


def placeholders(template: str) -> set[str]:
    """The parameter names a text uses, in plain or plural placeholders."""
    names = {m.group(1) for m in _PLURAL.finditer(template)}
    return names | set(_PLACEHOLDER.findall(_PLURAL.sub("", template))) | set(
        name for m in _PLURAL.finditer(template) for name in _PLACEHOLDER.findall(m.group(0)))
