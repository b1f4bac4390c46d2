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
import typing
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from . import prebuilt
from .errors import InputError, Problem
from .paths import builtin_templates
from .profile import Department, Kind
from .records import Record, field
from .sources import read_data
from .textcache import cached_parse

LANGUAGES = ("en", "fr")
DEPARTMENTS = typing.get_args(Department)
KINDS = typing.get_args(Kind)
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# "{count?one account|{count} accounts}": the first form when the number is 1, or when
# the parameter is a list of one ("{goals?goal|goals}").
_PLURAL = re.compile(r"\{([a-z_][a-z0-9_]*)\?((?:[^{}|]|\{\w+\})*)\|((?:[^{}|]|\{\w+\})*)\}")
_EURO_PARAMS = ("budget", "yearly")
# Texts written to stand alone (a sector's pillar ideas, its indicator) that a sentence
# continues after a colon: French takes no capital there, nor does an English list.
_CONTINUED_PARAMS = ("ideas", "kpi")


class MissingTextError(InputError):
    """A text the rules use is missing from a user's knowledge files (found while
    rendering a profile, so the command names that profile)."""

    names_its_file = False


class KnowledgeError(InputError):
    """A knowledge file (platform catalogue, texts) is malformed: names the file and key."""

    kind = "a knowledge file"
    starter = "copy the built-in file (playbook templates eject DIR)"


class Month(Record):
    """A month of a year, for targets ("by May 2027")."""

    year: int
    month: int


class Platform(Record):
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
    # used mainly in some regions (WeChat, LINE, VK...): offered for a profile's
    # target regions (regions.yaml), never scored for everyone
    regional: bool = False

    @property
    def retired(self) -> bool:
        return self.status == "retired"


class Sector(Record):
    """One field of activity of the sector taxonomy (sectors.yaml); its texts are
    messages under `sectors.<id>.` like every other text."""

    id: str
    keywords: tuple[str, ...]  # lower case, without accents; matched at the start of a word
    crisis_prone: bool = False
    rules: int = 0  # how many regulatory or ethical rules it lists (`sectors.<id>.rules.N`)
    # per rule, the words naming the professions it binds (empty: every client of the
    # field); a rule of another profession is not shown (notaries' rules to lawyers)
    rule_keywords: tuple[tuple[str, ...], ...] = ()
    relay_departments: frozenset[str] = frozenset()  # departments with a sector vocabulary
    platforms: Mapping[str, float] = field(default_factory=dict)  # score nudges, -0.3..0.3
    kind: str | None = None  # the organisation kind it implies (public_body, association...)
    sells: str = "products"  # products | services (a repair, a trip, a treatment)
    visited: bool = True  # clients come to a place of the business (false: a platform)
    every_post_checked: bool = False  # its rules have every post checked before publication
    # it words the products pillar's example itself (`offers_example`): the generic one
    # (seasonal offers, how customers use them) breaks its rules
    offers_example: bool = False
    # the posts its rules bind (`checked_posts`, e.g. a food's health claims): checked
    # before they go out even where everyday posts need no further sign-off
    checked_posts: bool = False


class Region(Record):
    """A country or region a profile can target (regions.yaml), with the networks that
    are blocked or little used there and the local ones that matter."""

    id: str
    blocked: tuple[str, ...] = ()
    little_used: tuple[str, ...] = ()
    local_networks: tuple[str, ...] = ()


class Knowledge(Record):
    """Everything the knowledge files say, checked and indexed."""

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
    sectors: Mapping[str, Sector] = field(default_factory=dict)  # in file order
    regions: Mapping[str, Region] = field(default_factory=dict)

    @property
    def profile_choices(self) -> dict[str, frozenset[str]]:
        """The dynamic values a profile field may take, by the name its spec gives."""
        return {"platforms": self.accepted_ids, "sectors": frozenset(self.sectors),
                "regions": frozenset(self.regions)}

    @property
    def accepted_ids(self) -> frozenset[str]:
        return frozenset(self.platforms)

    @property
    def aliases(self) -> dict[str, str]:
        return {alias: p.id for p in self.platforms.values() for alias in p.aliases}

    def texts(self, language: str) -> Texts:
        # one Texts per language, kept with the knowledge: it keeps what it works out
        # from the messages (see Texts), which a warm process then reuses
        made = self.__dict__.setdefault("_texts", {})
        texts = made.get(language)
        if texts is None:
            texts = made[language] = Texts(self.messages, language)
        return texts


_LANGUAGE_KEYS = frozenset(LANGUAGES)
_TEXT_KEYS = _LANGUAGE_KEYS | {"note"}


def _flatten(node: Any, prefix: str, out: dict, source: str, problems: list[Problem]) -> None:
    if isinstance(node, dict):
        keys = node.keys()
        if keys and keys <= _TEXT_KEYS and not keys.isdisjoint(_LANGUAGE_KEYS):
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


def parse_knowledge_file(path: Path) -> Any:
    """One knowledge file's data, as YAML parsing gives it (string keys)."""
    return _string_keys(read_data(path, KnowledgeError)[0])


# The top-level keys load_knowledge reads beyond the texts (what prebuilt ships merged)
STRUCTURE_KEYS = ("platforms", "sectors", "regions", "questions", "organization_kinds",
                  "interview")


def read_knowledge_files(files: Sequence[Path], builtin: Path,
                         parse: Callable[[Path], Any] | None = None) -> tuple[dict, dict, dict]:
    """The files' top-level entries, the file each comes from, and their texts by code;
    each file parsed by `parse` if given, else from the package or the user's cache."""
    raw: dict[str, Any] = {}
    defined_in: dict[str, str] = {}  # top-level key -> the file that gives it
    messages: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for path in files:
        # a built-in file the package ships parsed needs no cache of the user's
        data = prebuilt.knowledge_data(path, builtin) if parse is None else parse(path)
        if data is prebuilt.MISSING:
            data = cached_parse(path, parse_knowledge_file)
        if not isinstance(data, dict):
            raise KnowledgeError.single(str(path), "expected a mapping at the top level")
        for key, value in data.items():
            raw[key] = value
            defined_in[key] = str(path)
        _flatten(data, "", messages, str(path), problems)
    if problems:
        raise KnowledgeError(problems)
    return raw, defined_in, messages


def load_knowledge(search_path: Sequence[Path]) -> Knowledge:
    """Read every knowledge file along the template search path."""
    builtin = builtin_templates()
    files = knowledge_files(search_path)
    # the built-in files alone, unchanged: the package ships them read and flattened
    merged = prebuilt.knowledge_merged(files, builtin)
    raw, defined_in, messages = merged or read_knowledge_files(files, builtin)
    platforms = {}
    for pid, entry in (raw.get("platforms") or {}).items():
        # what an organisation of volunteers posts there: as anyone, unless the
        # catalogue says otherwise (LinkedIn's job offers are not theirs)
        formats = messages.get(f"platforms.{pid}.formats")
        if formats is not None:
            messages.setdefault(f"platforms.{pid}.formats_volunteers", formats)
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
                regional=bool(entry.get("regional", False)),
            )
        except KeyError as exc:
            raise KnowledgeError.single(
                defined_in["platforms"], f"platforms.{pid}: the field {exc.args[0]!r} is missing "
                "(every platform needs a name)") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise KnowledgeError.single(
                defined_in["platforms"], f"platforms.{pid}: malformed entry ({exc}); compare it "
                "with a built-in entry") from None
    sectors = _sectors(raw.get("sectors") or {}, defined_in.get("sectors", "sectors.yaml"),
                       platforms)
    regions = _regions(raw.get("regions") or {}, defined_in.get("regions", "regions.yaml"),
                       platforms)
    crisis = {sid: sector.keywords for sid, sector in sectors.items() if sector.crisis_prone}
    questions = tuple(
        {"id": qid, "group": entry.get("group", "structure"), "seed": entry.get("seed", "")}
        for qid, entry in (raw.get("questions") or {}).items()
    )
    kinds = {
        kind: tuple(str(k).lower() for k in entry.get("keywords", ()))
        for kind, entry in (raw.get("organization_kinds") or {}).items()
    }
    return Knowledge(messages, platforms, crisis, questions, kind_keywords=kinds,
                     interview=raw.get("interview") or {}, sectors=sectors, regions=regions)


def plain_words(text: str) -> str:
    """Lower case without accents, so "santé" and "sante" match the same keyword."""
    if text.isascii():  # most keywords: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# What every sector must say (sectors.yaml); `rules`, `relay` and `platforms` are optional.
SECTOR_TEXTS = ("name", "scenarios", "triggers", "pillars", "kpi", "compliance")


def _sectors(entries: Mapping[str, Any], source: str,
             platforms: Mapping[str, Platform]) -> dict[str, Sector]:
    sectors: dict[str, Sector] = {}
    for sid, entry in entries.items():
        where = f"sectors.{sid}"
        if not isinstance(entry, dict):
            raise KnowledgeError.single(source, f"{where}: expected a mapping (name, keywords, "
                                        "scenarios...); compare it with a built-in sector")
        keywords = entry.get("keywords")
        if not isinstance(keywords, list) or not keywords or \
                not all(isinstance(k, str) and k.strip() for k in keywords):
            raise KnowledgeError.single(source, f"{where}.keywords: give a list of words that "
                                        "describe the sector (e.g. [bakery, boulangerie])")
        for text in SECTOR_TEXTS:
            if not isinstance(entry.get(text), dict):
                raise KnowledgeError.single(source, f"{where}.{text}: missing; every sector "
                                            f"needs {', '.join(SECTOR_TEXTS)} (each with en "
                                            "and fr); compare it with a built-in sector")
        nudges = entry.get("platforms") or {}
        if not isinstance(nudges, dict):
            raise KnowledgeError.single(source, f"{where}.platforms: expected a mapping of "
                                        "platform id to a number between -0.3 and 0.3")
        for pid, value in nudges.items():
            if pid not in platforms:
                raise KnowledgeError.single(
                    source, f"{where}.platforms.{pid}: unknown platform"
                    f"{_did_you_mean(pid, platforms)}; use an id of platforms.yaml")
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not -0.3 <= value <= 0.3:
                raise KnowledgeError.single(source, f"{where}.platforms.{pid}: expected a "
                                            "number between -0.3 and 0.3")
        if any(value > 0 for value in nudges.values()) and \
                not isinstance(entry.get("platform_note"), dict):
            raise KnowledgeError.single(source, f"{where}.platform_note: missing; say in en and "
                                        "fr why the networks favoured in 'platforms' suit the "
                                        "sector (it is shown as a reason)")
        rules = entry.get("rules") or []
        relay = entry.get("relay") or {}
        if not isinstance(rules, list) or not isinstance(relay, dict):
            raise KnowledgeError.single(source, f"{where}: 'rules' must be a list and 'relay' "
                                        "a mapping of department to text")
        for number, rule in enumerate(rules):
            if not (isinstance(rule, dict) and isinstance(rule.get("name"), dict)
                    and isinstance(rule.get("text"), dict)):
                raise KnowledgeError.single(source, f"{where}.rules.{number}: each rule needs a "
                                            "name (the law or code) and a text (what it forbids "
                                            "or requires), in en and fr")
            words = rule.get("keywords", [])
            if not isinstance(words, list) or not all(isinstance(k, str) and k.strip()
                                                      for k in words):
                raise KnowledgeError.single(source, f"{where}.rules.{number}.keywords: give a "
                                            "list of words naming the professions the rule "
                                            "binds (e.g. [notaire, notary])")
        for department in relay:
            if department not in DEPARTMENTS:
                raise KnowledgeError.single(
                    source, f"{where}.relay.{department}: unknown department"
                    f"{_did_you_mean(department, DEPARTMENTS)}; expected one of: "
                    f"{', '.join(DEPARTMENTS)}")
        kind = entry.get("kind")
        if kind is not None and kind not in KINDS:
            raise KnowledgeError.single(source, f"{where}.kind: unknown kind '{kind}'; expected "
                                        f"one of: {', '.join(KINDS)}")
        sells = entry.get("sells", "products")
        if sells not in ("products", "services"):
            raise KnowledgeError.single(source, f"{where}.sells: unknown value '{sells}'; "
                                        "expected products or services")
        sectors[sid] = Sector(
            id=sid, keywords=tuple(plain_words(k.strip()) for k in keywords),
            crisis_prone=bool(entry.get("crisis_prone", False)), rules=len(rules),
            rule_keywords=tuple(tuple(plain_words(k.strip()) for k in rule.get("keywords", []))
                                for rule in rules),
            relay_departments=frozenset(relay), platforms=dict(nudges),
            kind=entry.get("kind"), sells=sells, visited=bool(entry.get("visited", True)),
            every_post_checked=bool(entry.get("every_post_checked", False)),
            offers_example=isinstance(entry.get("offers_example"), dict),
            checked_posts=isinstance(entry.get("checked_posts"), dict))
    return sectors


def _regions(entries: Mapping[str, Any], source: str,
             platforms: Mapping[str, Platform]) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for rid, entry in entries.items():
        lists = {}
        for name in ("blocked", "little_used", "local_networks"):
            values = entry.get(name) or [] if isinstance(entry, dict) else None
            if not isinstance(values, list):
                raise KnowledgeError.single(source, f"regions.{rid}.{name}: expected a list of "
                                            "platform ids")
            for pid in values:
                if pid not in platforms:
                    raise KnowledgeError.single(
                        source, f"regions.{rid}.{name}: unknown platform '{pid}'"
                        f"{_did_you_mean(pid, platforms)}; use an id of platforms.yaml")
            lists[name] = tuple(values)
        regions[rid] = Region(rid, **lists)
    return regions


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    import difflib  # only on a mistake: start-up counts

    match = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


# -- text resolution ------------------------------------------------------------

_LABEL_PARAMS = {
    # parameter name -> label namespace: "{goal}" is shown as the goal's label
    "goal": "labels.goal", "goals": "labels.goal",
    "audience": "labels.audience", "audiences": "labels.audience",
    "department": "labels.department", "departments": "labels.department",
    "market": "labels.market", "complexity": "labels.complexity",
    "model": "labels.model", "criterion": "labels.criterion", "criteria": "labels.criterion",
    "platform": "platforms", "platforms": "platforms", "others": "platforms", "lead": "labels.lead",
}


class Texts(Record):
    """Messages in one language, with the formatting rules of that language."""

    messages: Mapping[str, Mapping[str, str]]
    language: str

    # What depends on the messages alone is worked out once per Texts (Knowledge.texts
    # keeps one per language): a playbook fills about 600 texts, most of them with
    # parameters, and reads hundreds of labels. Sized by the knowledge, not by use.
    @cached_property
    def _compiled(self) -> dict[str, Any]:
        return {}

    @cached_property
    def _labels(self) -> dict[tuple[str, str], str]:
        return {}

    @cached_property
    def _name_words(self) -> frozenset[str]:
        """First words of the networks' and regions' names: names, never lowered."""
        return frozenset(text[self.language].split(" ", 1)[0]
                         for code, text in self.messages.items()
                         if code.endswith(".name") and code.startswith(("platforms.", "regions."))
                         and text.get(self.language))

    def continued(self, text: str) -> str:
        """A text that starts a sentence, continuing one after a colon: its first letter
        lowered, unless its first word is an acronym or a name (ISO, RappelConso,
        Instagram)."""
        word = text.split(" ", 1)[0].strip(",.;:()")
        if not word[:1].isupper() or word in self._name_words or any(
                c.isupper() or c.isdigit() for c in word[1:]):
            return text
        return text[0].lower() + text[1:]

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
        compiled = self._compiled.get(template)
        if compiled is None:
            compiled = self._compiled[template] = _compile(template)
        plurals, parts = compiled
        if plurals is not None:  # the parts for this choice of plural forms
            choice = tuple(_is_one(params.get(name)) for name in plurals)
            parts = parts.get(choice) or parts.setdefault(choice, _choose(template, choice))
        if len(parts) == 1:
            return parts[0]
        out = [parts[0]]
        for index in range(1, len(parts), 2):
            name = parts[index]
            out.append(self.value(name, params[name]) if name in params else "{" + name + "}")
            out.append(parts[index + 1])
        return "".join(out)

    def label(self, namespace: str, key: str) -> str:
        if type(key) is not str:
            return self._label(namespace, key)
        cache = self._labels
        found = cache.get((namespace, key))
        if found is None:
            # built-in keys only (platform ids, goals...): the knowledge bounds its size
            found = self._label(namespace, key)
            if len(cache) < _MAX_LABELS:
                cache[(namespace, key)] = found
        return found

    def _label(self, namespace: str, key: str) -> str:
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
        if name in _CONTINUED_PARAMS and isinstance(value, str):
            return self.continued(value)
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


# labels of keys a profile may hold that the knowledge does not name (a network id
# unknown to the catalogue is shown as it is): the cache stops growing there
_MAX_LABELS = 4096


def _compile(template: str) -> tuple[tuple[str, ...] | None, Any]:
    """A text with placeholders, ready to fill: (None, parts) where parts alternate
    literal text and parameter names, or, when it has plural forms, (the parameters
    that choose them, {choice: parts}) filled in as choices are met."""
    if "?" in template:
        plurals = tuple(match.group(1) for match in _PLURAL.finditer(template))
        if plurals:
            return plurals, {}
    return None, _PLACEHOLDER.split(template)


def _choose(template: str, choice: tuple[bool, ...]) -> list[str]:
    """The template's parts with each plural form chosen (True: the "one" form), in
    the order the forms appear."""
    forms = iter(choice)
    chosen = _PLURAL.sub(lambda m: m.group(2) if next(forms) else m.group(3), template)
    return _PLACEHOLDER.split(chosen)


def placeholders(template: str) -> set[str]:
    """The parameter names a text uses, in plain or plural placeholders."""
    names = {m.group(1) for m in _PLURAL.finditer(template)}
    return names | set(_PLACEHOLDER.findall(_PLURAL.sub("", template))) | set(
        name for m in _PLURAL.finditer(template) for name in _PLACEHOLDER.findall(m.group(0)))
