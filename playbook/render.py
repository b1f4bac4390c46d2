"""Render the playbook's Markdown from Jinja2 templates, sandboxed.

Templates live in `templates/<language>/` (one set per language, so each reads as
natural prose in its own language rather than a patchwork of message keys). A user's
`--templates DIR` is searched first, file by file, like MkDocs' `custom_dir`; the
search path is the `search_path()` list, and a test checks its order.

User templates come from other agencies, so they run in Jinja2's immutable
SandboxedEnvironment with StrictUndefined: a typo is an error naming the template,
the line and the variable, with close matches; reaching Python internals or a file
outside the template folders is a security error; time, output, string growth,
widths and recursion are bounded. docs/templates.md lists what a template can use.
"""

from __future__ import annotations

import os
import re
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.filters import make_attrgetter
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from . import mdtext
from .errors import TemplateError, TemplateSecurityError
from .memlimit import memory_ceiling
from .paths import search_path

MAIN_TEMPLATE = "playbook.md.j2"
MAX_OUTPUT_CHARS = 5_000_000  # a playbook is about 60,000 characters
MAX_STRING_CHARS = 1_000_000  # no single value a template builds needs more
MAX_WIDTH = 10_000  # widths given to center/indent/wordwrap, format specs, ljust...
RENDER_SECONDS = 20  # a playbook renders in milliseconds; this only stops runaway loops


_TEMPLATE_OBJECTS = (jinja2.runtime.LoopContext, jinja2.environment.TemplateModule)
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
# patterns for a user's templates and for errors stay text, compiled on first use (`re`
# caches them): a one-shot render of the built-in templates needs none of them
_FORMAT_FIELD = r"\{[^{}]*\}"
_PERCENT_SPEC = r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?"


def _check_size(value: Any) -> Any:
    """Refuse a string or list a template built beyond MAX_STRING_CHARS (doubling loops)."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_STRING_CHARS:
        raise SecurityError(f"a value of {len(value):,} characters or items exceeds the limit "
                            f"of {MAX_STRING_CHARS:,}")
    return value


def _check_width(number: Any) -> None:
    if isinstance(number, int) and not isinstance(number, bool) and number > MAX_WIDTH:
        raise SecurityError(f"width {number:,} is above the limit of {MAX_WIDTH:,}")


def _bounded_join(items) -> str:
    """`"".join` (of `~` operands too: numbers become text) that stops as soon as the
    text grows past the limit."""
    parts, size = [], 0
    for item in items:
        if type(item) is not str:
            item = str(item)
        size += len(item)
        if size > MAX_STRING_CHARS:
            raise SecurityError(f"a text block grows beyond the limit of {MAX_STRING_CHARS:,} "
                                "characters")
        parts.append(item)
    return "".join(parts)


class _BoundedNamespace(Namespace):
    """`namespace()` whose attributes cannot grow into huge strings (doubling loops)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value)
        super().__setitem__(name, value)


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


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a join that refuses to grow past the limit."""

    @optimizeconst
    def visit_Concat(self, node, frame) -> None:
        self.write("environment.concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class PlaybookSandbox(_KeysFirst, ImmutableSandboxedEnvironment):
    """The sandbox: no internals, no changing the context, bounded sizes.

    Immutable: `list.append`, `dict.update`... are refused, so a template cannot
    change the data the next template reads (`namespace()` is the way to accumulate).
    """

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "%"])
    # Block sets, macro bodies, `caller()` and `~` all join text with this.
    concat = staticmethod(_bounded_join)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            raise SecurityError("exponent too large in a template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and \
                        len(seq) * times > MAX_STRING_CHARS:
                    raise SecurityError("a repeated string or list would exceed "
                                        f"{MAX_STRING_CHARS:,} items")
        if operator == "%" and isinstance(left, str):
            _check_percent_format(left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        for value in (*args, *kwargs.values()):
            _check_size(value)
        _check_method_call(__obj, args, kwargs)
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def _check_percent_format(text: str, values: Any) -> None:
    """`'%999999999s' % x` would build a gigabyte string: refuse big widths first."""
    for match in re.finditer(_PERCENT_SPEC, text):
        for part in match.groups():
            if part == "*":
                for value in values if isinstance(values, tuple) else (values,):
                    _check_width(value)
            elif part:
                _check_width(int(part))


def _check_method_call(function: Any, args: tuple, kwargs: dict) -> None:
    """Widths and replacements of str methods, checked before the string is built."""
    target = getattr(function, "__wrapped__", function)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(target, "__name__", "")
    values = [*args, *kwargs.values()]
    if name in _WIDTH_METHODS:
        for value in values:
            _check_width(value)
    elif name in ("format", "format_map"):
        for field in re.findall(_FORMAT_FIELD, owner):
            for number in re.findall(r"\d+", field):
                _check_width(int(number))
        if re.search(r"\{[^{}]*:[^{}]*\{", owner):  # a nested width: `{:{w}}`
            if name == "format_map" and args and isinstance(args[0], dict):
                values += list(args[0].values())
            for value in values:
                _check_width(value)
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * (len(new) - len(old)) > MAX_STRING_CHARS:
            raise SecurityError(f"the replacement would exceed {MAX_STRING_CHARS:,} characters")


class TrustedEnvironment(_KeysFirst, jinja2.Environment):
    """For the built-in templates alone: they ship with the tool and need no sandbox,
    which costs a third of the rendering time. A user's folder turns the sandbox on."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        # a built-in template's generated code ships with the package (playbook.prebuilt):
        # a cold cache skips Jinja's parser and code generator, most of a first render
        if isinstance(source, str) and name is not None and not raw and not defer_init:
            from . import prebuilt

            kind, located = type(self).__name__, filename or "<template>"
            compiled = prebuilt.template_bytecode(name, source, kind, jinja2.__version__,
                                                  located)
            if compiled is not None:  # compiled for this Python: no compiling at all
                return compiled
            code = prebuilt.template_code(name, source, kind, jinja2.__version__)
            if code is not None:
                return self._compile(code, located)
        return super().compile(source, name, filename, raw, defer_init)


BUILTIN_PREFIX = "builtin/"


class FolderLoader(jinja2.FileSystemLoader):
    """Loads templates by relative name (`en/summary.md.j2`), only from inside the folders.

    `builtin/en/summary.md.j2` is always the built-in file, so an override can include
    the template it replaces and add to it. An absolute name, a `..` segment or a link
    leading outside every template folder is a security error: a template from
    elsewhere must not read other files."""

    def __init__(self, folders: Sequence[Path]):
        super().__init__([str(f) for f in folders])
        self.roots = [os.path.realpath(f) for f in folders]
        self.builtin = jinja2.FileSystemLoader(str(folders[-1]))

    def get_source(self, environment, template):
        pieces = template.replace("\\", "/").split("/")
        if template.startswith(("/", "\\")) or ".." in pieces or re.match(r"^[A-Za-z]:", template):
            raise SecurityError(f"template names are relative to the template folders "
                                f"(like en/summary.md.j2); {template!r} is refused")
        if template.startswith(BUILTIN_PREFIX):
            source, filename, uptodate = self.builtin.get_source(
                environment, template[len(BUILTIN_PREFIX):])
        else:
            source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if not any(real.startswith(root + os.sep) for root in self.roots):
            raise SecurityError(f"{template!r} links to a file outside the template folders")
        return source, filename, uptodate


def _bounded_filter(filter_function, width_name: str | None = None):
    """A built-in filter whose result (and width argument) is bounded: sandbox only."""
    # Jinja passes the environment or context first to filters marked for it.
    marked = hasattr(filter_function, "jinja_pass_arg")
    first_extra = 2 if marked else 1  # the arguments after the filtered value

    def wrapper(*args, **kwargs):
        if width_name:
            extra = args[first_extra:first_extra + 1] or (kwargs.get(width_name),)
            _check_width(extra[0])
        return _check_size(filter_function(*args, **kwargs))
    if marked:
        wrapper.jinja_pass_arg = filter_function.jinja_pass_arg
    return wrapper


def _replace_filter(original):
    def replace(eval_ctx, value, old, new, count=None):
        if count is None:
            _check_replace(str(value), str(old), str(new))
        return original(eval_ctx, value, old, new, count)
    replace.jinja_pass_arg = original.jinja_pass_arg
    return replace


@jinja2.pass_eval_context
def _join_filter(eval_ctx, value, d: str = "", attribute=None) -> str:
    """Jinja's `join`, counting the text as it goes: a generator of huge items stops
    at the limit instead of filling the memory first."""
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    separator, parts, size = str(d), [], 0
    for item in value:
        text = str(item)
        size += len(text) + len(separator)
        if size > MAX_STRING_CHARS:
            raise SecurityError(f"the joined text grows beyond the limit of {MAX_STRING_CHARS:,} "
                                "characters")
        parts.append(text)
    return separator.join(parts)


def _format_filter(original):
    def format_filter(value, *args, **kwargs):
        _check_percent_format(str(value), kwargs or args)
        return original(value, *args, **kwargs)
    return format_filter


def capfirst(text: object) -> str:
    """'internal community manager' -> 'Internal community manager'."""
    value = str(text)
    return value[:1].upper() + value[1:]


def lcfirst(text: object) -> str:
    """'Your communications director' -> 'your communications director' (mid-sentence)."""
    value = str(text)
    return value[:1].lower() + value[1:]


# The playbook's own filters; docs/templates.md describes each (a test checks it).
PLAYBOOK_FILTERS = {
    "md": mdtext.inline,
    "cell": mdtext.cell,
    "paragraphs": mdtext.paragraphs,
    "code": mdtext.code,
    "md_table": mdtext.table,
    "yaml_string": mdtext.yaml_string,
    "capfirst": capfirst,
    "lcfirst": lcfirst,
}


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept next to the knowledge cache (`textcache.cache_folder`), so
    a one-profile command does not compile every template again: compiling is most of
    a first render's time. Each entry is checked against its template's source; the
    folder's name changes with Jinja2, this module and the environment's kind, whose
    code generators differ. A cache that cannot be written is simply not used."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache(kind: type) -> jinja2.BytecodeCache | None:
    from .textcache import cache_folder

    folder = cache_folder()
    if folder is None:
        return None
    try:
        source = Path(__file__).stat()
        stamp = zlib.crc32(f"{jinja2.__version__} {source.st_size} {source.st_mtime_ns} "
                           f"{kind.__name__}".encode())
        folder = folder / f"templates-{stamp:08x}"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder))


def make_environment(folders: Sequence[Path], sandboxed: bool = True) -> jinja2.Environment:
    """The template environment; sandboxed whenever a user's folder is searched."""
    kind = PlaybookSandbox if sandboxed else TrustedEnvironment
    from . import prebuilt

    # the built-in templates' code ships compiled for this Python: no cache to read then
    shipped = kind is TrustedEnvironment and prebuilt.template_bytecode_ships(
        kind.__name__, jinja2.__version__)
    env = kind(
        bytecode_cache=None if shipped else _bytecode_cache(kind),
        loader=FolderLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: client text is escaped by the md filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # a stat per template: edits show up in a long-lived process
    )
    env.filters.update(PLAYBOOK_FILTERS)
    env.globals["namespace"] = _BoundedNamespace
    # Same profile, same bytes: nothing random (and lipsum is random text).
    del env.filters["random"], env.globals["lipsum"]
    if sandboxed:
        env.filters["replace"] = _replace_filter(env.filters["replace"])
        env.filters["format"] = _format_filter(env.filters["format"])
        env.filters["join"] = _join_filter
        for name, function in list(env.filters.items()):
            if name not in PLAYBOOK_FILTERS:
                width = "width" if name in ("center", "indent", "wordwrap") else None
                env.filters[name] = _bounded_filter(function, width)
    return env


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop a runaway template after `seconds` (main thread on POSIX only)."""
    import signal  # here: a built-in render never needs it (and start-up counts)

    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise SecurityError(f"rendering took longer than {seconds:g} seconds (endless loop?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _relative_name(filename: str, folders: Sequence[Path]) -> str:
    """`/x/brand/templates/en/summary.md.j2` -> `en/summary.md.j2`."""
    for folder in folders:
        for root in {os.path.normpath(str(folder)), os.path.realpath(folder)}:
            if filename.startswith(root + os.sep):
                return filename[len(root) + 1:].replace(os.sep, "/")
    return filename


def _template_location(exc: BaseException, folders: Sequence[Path]) -> tuple[str, int | None]:
    """The innermost template frame of a traceback: (template name, line)."""
    name, line = "", None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return (_relative_name(name, folders) if name else ""), line


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


_SURROGATE = "[\ud800-\udfff]"
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_UNDEFINED = r"'([^']+)' is undefined|has no attribute '([^']+)'"


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
        # '\ud800' in a template: no file can store it (profiles' are removed); encoding
        # finds one more than ten times faster than searching with a regular expression
        try:
            text.encode("utf-16")
        except UnicodeEncodeError:
            surrogate = re.search(_SURROGATE, text)
            raise TemplateError(template, f"the output holds U+{ord(surrogate.group()):04X}, a "
                                "lone surrogate no text file can store; remove it from the "
                                "template") from None
        return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"

    def _render(self, template: str, context: dict[str, Any]) -> str:
        # a user's template renders under an OS memory ceiling (playbook.memlimit) and a
        # time limit, its output counted as it grows; the built-in ones are ours, their
        # loops and output bounded by the profile's, and need none (a tenth of a render)
        try:
            if not self.sandboxed:
                return self._collect_builtin(self.env.get_template(template).generate(**context))
            with _deadline(RENDER_SECONDS), memory_ceiling():
                compiled = self.env.get_template(template)
                return self._collect(compiled.generate(**context))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(exc.name or template, f"syntax error: {exc.message}",
                                exc.lineno) from None
        except jinja2.TemplateNotFound as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateError(where or template, self._not_found_message(exc.name),
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
        except RecursionError as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateSecurityError(where or template, "refused: recursion too deep (a macro "
                                        "or include that calls itself?)", line) from None
        except MemoryError as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateSecurityError(where or template,
                                        "refused: the template uses too much memory", line) from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            where, line = _template_location(exc, self.folders)
            raise TemplateError(where or template, f"{type(exc).__name__}: {exc}", line) from None

    @staticmethod
    def _collect_builtin(chunks: Iterator[str]) -> str:
        text = "".join(chunks)
        if len(text) > MAX_OUTPUT_CHARS:
            raise SecurityError(f"the output exceeds {MAX_OUTPUT_CHARS:,} characters")
        return text

    @staticmethod
    def _collect(chunks: Iterator[str]) -> str:
        parts, size = [], 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the output exceeds {MAX_OUTPUT_CHARS:,} characters")
            parts.append(chunk)
        return "".join(parts)

    def _not_found_message(self, name: str) -> str:
        import difflib

        close = difflib.get_close_matches(str(name), self.template_names(), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"template not found: {name}{hint}"

    @staticmethod
    def _undefined_message(exc: jinja2.UndefinedError, context: dict[str, Any]) -> str:
        message = str(exc.message or exc)
        found = re.search(_UNDEFINED, message)
        if not found:
            return f"undefined value: {message}"
        name = found.group(1) or found.group(2)
        import difflib

        close = difflib.get_close_matches(name, sorted(_names(context) | set(context)), n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        return f"unknown variable '{name}'{hint}"
