"""`playbook init`: build a profile with the client, question by question, in a terminal.

The questions, their order, parts, "why we ask" lines and conditions come from
`playbook.questionplan` (knowledge files and schema); this module asks them and keeps
the YAML file. Prompts are questionary's (prompt_toolkit): arrow keys for choices,
validation as you type with `playbook validate`'s own messages.

The file is a ruamel.yaml round-trip document: each answer is written under its
question as a comment, in the profile's language, and `--resume` keeps a file's other
answers, comments and key order. It is saved (temporary file + rename) after every
answer once the organisation has a name, so Ctrl-C, a closed window or a crash leaves
a valid partial profile that `--resume` completes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .knowledge import Knowledge, Texts
from .outputs import atomic_write, slugify
from .profile import FORMAT_VERSION, Profile
from .questionplan import (
    NETWORKS,
    Question,
    allowed,
    check,
    from_text,
    part_title,
    platform_choices,
    questions,
)
from .schema import fields_of

BACK = "<"  # typed in a text answer: go back to the previous question
CLEAR = "-"  # typed where an answer is shown: make it unknown again
RESUMABLE = (".yaml", ".yml")


class InterviewError(InputError):
    """`playbook init` cannot start: the file exists, cannot be resumed, or no terminal."""

    kind = "a profile"


# -- the file ------------------------------------------------------------------

def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a consultant's lines on --resume
    return yaml


# The top level as the README and the samples write it (the dataclass puts company first).
TOP_ORDER = ["version", "language", "company", "goals", "audiences", "strategy", "staffing",
             "organization", "presence", "document"]


def _order(cls: type) -> list[str]:
    return TOP_ORDER if cls is Profile else [info.name for info in fields_of(cls)]


def _classes(path: list[str]) -> list[type]:
    """The dataclass holding each level of a dotted path: Profile, then its sections."""
    out, cls = [Profile], Profile
    for name in path[:-1]:
        info = {i.name: i for i in fields_of(cls)}[name]
        assert info.cls is not None
        cls = info.cls
        out.append(cls)
    return out


class ProfileDocument:
    """A YAML profile being written: answers in schema order, each under its question."""

    def __init__(self, root, path: Path | None = None):
        self.root = root
        self.path = path

    @classmethod
    def new(cls, language: str, texts: Texts) -> ProfileDocument:
        from ruamel.yaml.comments import CommentedMap

        root = CommentedMap()
        document = cls(root)
        document.put("version", FORMAT_VERSION, texts.get("interview.file.version"))
        document.put("language", language, texts.get("interview.file.language"))
        return document

    @classmethod
    def load(cls, path: Path) -> ProfileDocument:
        """A profile file to resume, with its comments and key order."""
        if path.suffix.lower() not in RESUMABLE:
            raise InterviewError.single(str(path), "--resume completes YAML profiles (.yaml, "
                                        ".yml); convert the file, or answer in a new one")
        try:
            root = _yaml().load(path.read_text(encoding="utf-8-sig"))
        except Exception as exc:  # ruamel's errors: the file was validated before, rare
            raise InterviewError.single(str(path), f"cannot be read for --resume: {exc}") from None
        return cls(root, path)

    def plain(self) -> dict:
        """The answers as plain data (for conditions and validation)."""
        def convert(node):
            if isinstance(node, dict):
                return {str(k): convert(v) for k, v in node.items()}
            if isinstance(node, list):
                return [convert(v) for v in node]
            return node
        return convert(self.root) or {}

    def get(self, path: str) -> Any:
        node: Any = self.root
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def put(self, path: str, value: Any, comment: str = "") -> None:
        """Set an answer (None: not known), creating sections in schema order; a key
        new to the file gets its question as a comment above it."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        names = path.split(".")
        node = self.root
        for depth, (name, cls) in enumerate(zip(names, _classes(names), strict=True)):
            last = depth == len(names) - 1
            if last:
                value = _styled(value, CommentedMap, CommentedSeq)
            if name in node and (last or isinstance(node[name], dict)):
                if last:
                    node[name] = value
                node = node[name]
                continue
            order = _order(cls)
            rank = order.index(name)
            position = sum(1 for key in node if key in order and order.index(key) < rank)
            node.insert(position, name, value if last else CommentedMap())
            if last and comment:
                node.yaml_set_comment_before_after_key(name, before=comment, indent=2 * depth)
            node = node[name]

    def text(self) -> str:
        stream = io.StringIO()
        _yaml().dump(self.root, stream)
        return stream.getvalue()

    def save(self) -> None:
        assert self.path is not None
        atomic_write(self.path, self.text().encode("utf-8"))


def _styled(value: Any, mapping: type, sequence: type) -> Any:
    """Lists of words on one line ([a, b]); accounts one per line, each on one line."""
    if isinstance(value, list):
        items = [_styled(v, mapping, sequence) for v in value]
        seq = sequence(items)
        if not any(isinstance(v, dict) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        node = mapping(value)
        node.fa.set_flow_style()
        return node
    return value


def free_path(folder: Path, name: str) -> Path:
    """`<slug>.yaml` in `folder`, numbered (-2, -3...) rather than overwrite a file."""
    slug = slugify(name, "profile")
    candidate, number = folder / f"{slug}.yaml", 2
    while candidate.exists():
        candidate, number = folder / f"{slug}-{number}.yaml", number + 1
    return candidate


# -- one question at a time ------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """A question to ask; `index` is the account for a followers question."""

    order: tuple[int, int]
    question: Question
    index: int | None = None


@dataclass(frozen=True)
class Reply:
    action: str  # answer | back
    value: Any = None  # None: don't know


def plan(document: ProfileDocument, all_questions: list[Question],
         only: set[str] | None) -> list[Step]:
    """The questions worth asking given the answers so far, in order; `only` keeps
    those fields (resume: the playbook's open questions)."""
    data = document.plain()
    steps = []
    for number, question in enumerate(all_questions):
        if only is not None and question.path not in only:
            continue
        if not allowed(question, data):
            continue
        if question.kind == "followers":
            networks = document.get(NETWORKS) or []
            steps += [Step((number, i), question, i) for i in range(len(networks))]
        else:
            steps.append(Step((number, 0), question))
    return steps


class Asker:
    """Asks one question in the terminal with questionary; Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, texts: Texts, knowledge: Knowledge,
                 echo: Callable[[str], None]):
        self.texts = texts
        self.knowledge = knowledge
        self.echo = echo

    def ui(self, code: str, **params: Any) -> str:
        return self.texts.get(f"interview.ui.{code}", **params)

    def ask(self, step: Step, current: Any, platform: str | None = None) -> Reply:
        import questionary

        question = step.question
        text = question.text
        if question.kind == "followers":
            text = text.replace("{platform}", platform or "")
        text += "\n  " + self.ui("why", text=question.why) + "\n "  # why we ask, under the question
        kind = question.kind
        if kind in ("bool", "enum"):
            options = [("yes", True), ("no", False)] if kind == "bool" else None
            choices = ([questionary.Choice(self.ui(label), value=value) for label, value in options]
                       if options else
                       [questionary.Choice(label, value=value) for value, label in question.choices])
            unknown = questionary.Choice(self.ui("dont_know"), value="\0unknown")
            back = questionary.Choice(self.ui("back"), value="\0back")
            default = next((c for c in choices if c.value == current and current is not None),
                           unknown)
            answer = questionary.select(text, choices=[*choices, unknown, back], default=default,
                                        instruction=self.ui("hint_select"),
                                        use_jk_keys=False).unsafe_ask()
            if answer == "\0back":
                return Reply("back")
            return Reply("answer", None if answer == "\0unknown" else answer)
        if kind in ("enum_list", "networks"):
            pairs = (list(question.choices) if kind == "enum_list"
                     else platform_choices(self.knowledge, self.texts))
            chosen = set(current or ()) if kind == "enum_list" else {
                n.get("platform") for n in current or () if isinstance(n, dict)}
            choices = [questionary.Choice(label, value=value, checked=value in chosen)
                       for value, label in pairs]
            extra = [questionary.Choice(self.ui("none"), value="\0none", checked=current == [])]
            extra.append(questionary.Choice(self.ui("back"), value="\0back"))
            answer = questionary.checkbox(text, choices=[*choices, *extra],
                                          instruction=self.ui("hint_list"),
                                          use_jk_keys=False).unsafe_ask()
            if "\0back" in answer:
                return Reply("back")
            # questionary sums a checkbox up as "done (2 selections)": say what was ticked
            names = dict(pairs)
            self.echo("  → " + (self.ui("none") if "\0none" in answer else self.ui("dont_know")
                                if not answer else ", ".join(names[a] for a in answer)))
            if "\0none" in answer:
                return Reply("answer", [])
            if not answer:
                return Reply("answer", None)
            if kind == "enum_list":
                return Reply("answer", answer)
            kept = {n.get("platform"): n for n in current or () if isinstance(n, dict)}
            return Reply("answer", [kept.get(p, {"platform": p}) for p in answer])
        return self._text(question, text, current)

    def _text(self, question: Question, text: str, current: Any) -> Reply:
        import questionary

        shown = ", ".join(map(str, current)) if isinstance(current, list) else (
            "" if current is None else _number_text(current))
        hint = self.ui("hint_required" if question.required and not shown
                       else "hint_default" if shown else "hint_text")

        def validate(typed: str) -> bool | str:
            typed = typed.strip()
            if typed == BACK or (typed == CLEAR and shown and not question.required):
                return True
            if not typed:
                return True if (shown or not question.required) else self.ui("required")
            _, problem = check(question, from_text(question, typed), self.knowledge)
            return problem or True

        typed = questionary.text(text, default=shown, validate=validate,
                                 instruction=hint).unsafe_ask().strip()
        if typed == BACK:
            return Reply("back")
        if not typed or typed == CLEAR:
            return Reply("answer", None)
        value, _ = check(question, from_text(question, typed), self.knowledge)
        return Reply("answer", value)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- the interview ---------------------------------------------------------------

@dataclass
class Outcome:
    path: Path | None  # the profile written (None: interrupted before the name)
    interrupted: bool
    asked: int


def interview(knowledge: Knowledge, language: str, target: Path | None, folder: Path,
              echo: Callable[[str], None], resume: ProfileDocument | None = None,
              asker: Asker | None = None) -> Outcome:
    """Ask the questions and keep the file up to date after each answer.

    A new profile goes to `target`, or once the name is known to `<slug>.yaml` in
    `folder`; a resumed one (`resume`) is asked only its open questions.
    """
    texts = knowledge.texts(language)
    asker = asker or Asker(texts, knowledge, echo)
    all_questions = questions(knowledge, language)
    if resume is not None:
        document, only = resume, open_fields(resume, knowledge)
        if document.get("language") is None:  # the language the answers were given in
            document.put("language", language, texts.get("interview.file.language"))
    else:
        document, only = ProfileDocument.new(language, texts), None
        document.path = target
    history: list[Step] = []
    position: tuple[int, int] = (-1, -1)
    part = None
    asked = 0
    try:
        while True:
            upcoming = [s for s in plan(document, all_questions, only) if s.order > position]
            if not upcoming:
                break
            step = upcoming[0]
            if step.question.part != part:
                part = step.question.part
                echo("")
                echo(f"== {part_title(texts, part)} ==")
            reply = _ask(asker, document, step, texts)
            asked += 1
            if reply.action == "back":
                if history:
                    history.pop()
                    position = history[-1].order if history else (-1, -1)
                    previous = [s for s in plan(document, all_questions, only) if s.order > position]
                    if previous and previous[0].question.part != part:
                        part = None
                continue
            _record(document, step, reply.value)
            if document.path is None and document.get("company.name"):
                document.path = free_path(folder, document.get("company.name"))
            if resume is None and not history:  # the first answer: say what the file is
                document.root.yaml_set_start_comment(
                    texts.get("interview.file.header", path=document.path))
                echo(asker.ui("writing", path=document.path))
            if document.path is not None:
                document.save()
            history.append(step)
            position = step.order
    except (KeyboardInterrupt, EOFError):
        return Outcome(document.path, True, asked)
    return Outcome(document.path, False, asked)


def _ask(asker: Asker, document: ProfileDocument, step: Step, texts: Texts) -> Reply:
    if step.question.kind == "followers":
        network = (document.get(NETWORKS) or [])[step.index]
        current = network.get("followers")
        return asker.ask(step, current, texts.label("platforms", network.get("platform")))
    return asker.ask(step, document.get(step.question.path))


def _record(document: ProfileDocument, step: Step, value: Any) -> None:
    question = step.question
    if question.kind == "followers":
        network = document.get(NETWORKS)[step.index]
        if value is None:
            network.pop("followers", None)
        else:
            network["followers"] = value
        return
    if question.kind == "networks" and value:
        value = [dict(n) for n in value]
    document.put(question.path, value, question.text)


def open_fields(document: ProfileDocument, knowledge: Knowledge) -> set[str]:
    """The fields the playbook lists as open questions for this profile."""
    import datetime

    from .profile import validate_data
    from .rules import decide

    loaded = validate_data(document.plain(), str(document.path), knowledge.accepted_ids,
                           knowledge.aliases, choices=knowledge.profile_choices)
    decisions = decide(loaded.profile, knowledge, datetime.date.today())
    return {m.params["field"] for m in decisions.open_questions}


def check_new_target(target: Path, force: bool) -> None:
    """A new interview never overwrites a profile without --force."""
    if target.suffix.lower() not in RESUMABLE:
        raise InterviewError.single(str(target), "playbook init writes YAML; name the file "
                                    ".yaml or .yml")
    if target.exists() and not force:
        raise InterviewError.single(str(target), "already exists; complete it with playbook "
                                    "init --resume, or use --force to start it again")
    if not target.parent.is_dir():
        raise InterviewError.single(str(target), "its folder does not exist; create it first")

