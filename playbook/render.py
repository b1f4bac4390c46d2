"""Render the playbook's Markdown from Jinja2 templates, sandboxed.

Templates live in `templates/<language>/` (one set per language, so each reads as
natural prose in its own language rather than a patchwork of message keys). A user's
`--templates DIR` is searched first, file by file, like MkDocs' `custom_dir`; the
search path is the `search_path()` list, and a test checks its order.

User templates come from other agencies, so they run in Jinja2's
SandboxedEnvironment with StrictUndefined: a typo is an error naming the template,
the line and the variable, with close matches; reaching Python internals is a
security error; loops and output are bounded (time, size, string growth).
"""

from __future__ import annotations

import difflib
import os
import re
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from . import mdtext
from .errors import TemplateError, TemplateSecurityError
from .paths import search_path

MAIN_TEMPLATE = "playbook.md.j2"
MAX_OUTPUT_CHARS = 5_000_000  # a playbook is about 60,000 characters
MAX_STRING_CHARS = 1_000_000  # no single value a template builds needs more
MAX_WIDTH = 10_000  # widths given to center/indent/wordwrap
RENDER_SECONDS = 20  # a playbook renders in milliseconds; this only stops runaway loops


_TEMPLATE_OBJECTS = (jinja2.runtime.LoopContext, jinja2.environment.TemplateModule)


class _BoundedNamespace(Namespace):
    """`namespace()` whose attributes cannot grow into huge strings (doubling loops)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value)
        super().__setitem__(name, value)


def _check_size(value: Any) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > MAX_STRING_CHARS:
        raise SecurityError(f"a value of {len(value):,} items exceeds the limit of "
                            f"{MAX_STRING_CHARS:,}")
    return value


class _KeysFirst:
    """Attribute access reads dict keys first (`d.company.name`), in both environments.

    The context is plain dicts: looking the key up first is as safe as
    `d["company"]`, skips a failed attribute lookup per access (a playbook makes
    thousands), and lets a key win over a dict method of the same name
    (`company.values` is the company's values, not dict.values)."""

    def getattr(self, obj, attribute):
        kind = type(obj)
        if kind is dict and attribute in obj:
            return obj[attribute]
        if kind in _TEMPLATE_OBJECTS and not attribute.startswith("_"):
            return getattr(obj, attribute)  # loop.index, a macro of an imported module
        return super().getattr(obj, attribute)


class PlaybookSandbox(_KeysFirst, SandboxedEnvironment):
    """The sandbox, with arithmetic that cannot blow up memory."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            raise SecurityError("exponent too large in a template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and \
                        len(seq) * times > MAX_STRING_CHARS:
                    raise SecurityError("a repeated string or list would exceed "
                                        f"{MAX_STRING_CHARS:,} items")
        return super().call_binop(context, operator, left, right)


class TrustedEnvironment(_KeysFirst, jinja2.Environment):
    """For the built-in templates alone: they ship with the tool and need no sandbox,
    which costs a third of the rendering time. A user's folder turns the sandbox on."""


def _bounded(filter_function, *width_args: str):
    def wrapper(value, *args, **kwargs):
        for arg in list(args) + [kwargs.get(name) for name in width_args]:
            if isinstance(arg, int) and arg > MAX_WIDTH:
                raise SecurityError(f"width {arg:,} is above the limit of {MAX_WIDTH:,}")
        return filter_function(value, *args, **kwargs)
    return wrapper


def capfirst(text: object) -> str:
    value = str(text)
    return value[:1].upper() + value[1:]


def lcfirst(text: object) -> str:
    """'Your communications director' -> 'your communications director' (mid-sentence)."""
    value = str(text)
    return value[:1].lower() + value[1:]


def make_environment(folders: Sequence[Path], sandboxed: bool = True) -> jinja2.Environment:
    """The template environment; sandboxed whenever a user's folder is searched."""
    kind = PlaybookSandbox if sandboxed else TrustedEnvironment
    env = kind(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: client text is escaped by the md filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # a stat per template: edits show up in a long-lived process
    )
    env.filters.update(
        md=mdtext.inline,
        cell=mdtext.cell,
        paragraphs=mdtext.paragraphs,
        code=mdtext.code,
        md_table=mdtext.table,
        yaml_string=mdtext.yaml_string,
        capfirst=capfirst,
        lcfirst=lcfirst,
        center=_bounded(env.filters["center"], "width"),
        indent=_bounded(env.filters["indent"], "width"),
        wordwrap=_bounded(env.filters["wordwrap"], "width"),
    )
    env.globals["namespace"] = _BoundedNamespace
    return env


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop a runaway template after `seconds` (main thread on POSIX only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise SecurityError(f"rendering took longer than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_location(exc: BaseException, folders: Sequence[Path]) -> tuple[str, int | None]:
    """The innermost template frame of a traceback: (template name, line)."""
    name, line = "", None
    roots = [str(f.resolve()) for f in folders]
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    for root in roots:
        if name.startswith(root + os.sep):
            name = name[len(root) + 1:]
            break
    return name, line


def _names(value: Any, depth: int = 0) -> set[str]:
    """Every key and variable name reachable in the context, for "did you mean"."""
    out: set[str] = set()
    if depth > 4:
        return out
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(str(key))
            out |= _names(item, depth + 1)
    elif isinstance(value, list) and value:
        out |= _names(value[0], depth + 1)
    return out


_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


class Renderer:
    """Compiled templates for one search path; render many playbooks with it."""

    def __init__(self, user_dir: Path | None = None):
        self.folders = search_path(user_dir)
        self.sandboxed = user_dir is not None
        self.env = make_environment(self.folders, self.sandboxed)

    def template_names(self) -> list[str]:
        return sorted(n for n in self.env.list_templates() if n.endswith(".j2"))

    def render(self, template: str, context: dict[str, Any]) -> str:
        """The template's output, blank-line runs folded so the Markdown stays clean."""
        text = self._render(template, context)
        return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"

    def _render(self, template: str, context: dict[str, Any]) -> str:
        try:
            with _deadline(RENDER_SECONDS):
                compiled = self.env.get_template(template)
                return self._collect(compiled.generate(**context))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(exc.name or template, f"syntax error: {exc.message}",
                                exc.lineno) from None
        except jinja2.TemplateNotFound as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateError(where or template, f"template not found: {exc.name}",
                                line) from None
        except jinja2.UndefinedError as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateError(where or template, self._undefined_message(exc, context),
                                line) from None
        except SecurityError as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateSecurityError(where or template, f"refused: {exc}", line) from None
        except jinja2.TemplateError as exc:  # any other template-level failure
            where, line = _template_location(exc, self.folders)
            raise TemplateError(where or template, str(exc), line) from None
        except RecursionError:
            raise TemplateSecurityError(template, "refused: recursion too deep") from None
        except MemoryError:
            raise TemplateSecurityError(template, "refused: the template uses too much memory") \
                from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateError(where or template, f"{type(exc).__name__}: {exc}", line) from None

    @staticmethod
    def _collect(chunks: Iterator[str]) -> str:
        parts, size = [], 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the output exceeds {MAX_OUTPUT_CHARS:,} characters")
            parts.append(chunk)
        return "".join(parts)

    @staticmethod
    def _undefined_message(exc: jinja2.UndefinedError, context: dict[str, Any]) -> str:
        message = str(exc.message or exc)
        found = _UNDEFINED.search(message)
        if not found:
            return f"undefined value: {message}"
        name = found.group(1) or found.group(2)
        close = difflib.get_close_matches(name, sorted(_names(context) | set(context)), n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        return f"unknown variable '{name}'{hint}"
