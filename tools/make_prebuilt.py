"""Write `playbook/prebuilt/*.json`, the cold-start artefacts of the built-in templates
(see playbook/prebuilt.py): the knowledge files parsed, the templates compiled to
Jinja's generated Python source (and that source compiled by this Python, in
`templates.<cache tag>.marshal`), the Word writer's prepared built-in reference.

    .venv/bin/python tools/make_prebuilt.py          # rewrite them
    .venv/bin/python tools/make_prebuilt.py --check  # exit 1 if they are out of date

Run it after editing a built-in knowledge file or template, the reference .docx or the
Word writer's sources (docx_writer.py and the modules it prepares with), or upgrading Jinja2;
tests/test_prebuilt.py checks the committed files match.
"""

from __future__ import annotations

import json
import marshal
import sys
from importlib.util import MAGIC_NUMBER
from pathlib import Path


def artefacts() -> dict:
    """{path: text or bytes} of every artefact, made from the built-in templates as
    they are."""
    import jinja2

    from playbook import prebuilt
    from playbook.knowledge import (
        STRUCTURE_KEYS,
        knowledge_files,
        parse_knowledge_file,
        read_knowledge_files,
    )
    from playbook.paths import builtin_templates
    from playbook.render import make_environment

    builtin = builtin_templates()
    files = {}
    for path in knowledge_files([builtin]):
        data = parse_knowledge_file(path)
        if json.loads(json.dumps(data)) != data:
            continue  # not plain JSON data (a date, say): parsed at run time instead
        files[path.relative_to(builtin).as_posix()] = {
            "source": prebuilt.checksum(path.read_bytes()),
            "data": json.dumps(data, ensure_ascii=False, sort_keys=False),
        }
    # all of them as load_knowledge reads them, for a run with the built-in files alone
    paths = knowledge_files([builtin])
    raw, defined_in, messages = read_knowledge_files(paths, builtin, parse_knowledge_file)
    merged = {} if len(files) < len(paths) else {  # {}: not plain JSON data, not shipped
        "sources": {path.relative_to(builtin).as_posix(): prebuilt.checksum(path.read_bytes())
                    for path in paths},
        "raw": {key: raw[key] for key in STRUCTURE_KEYS if key in raw},
        "defined_in": {key: Path(defined_in[key]).relative_to(builtin).as_posix()
                       for key in STRUCTURE_KEYS if key in defined_in},
        "messages": messages,
    }
    env = make_environment([builtin], sandboxed=False)
    templates = {}
    for name in sorted(env.list_templates()):
        if not name.endswith(".j2"):
            continue
        source, filename, _ = env.loader.get_source(env, name)
        templates[name] = {"source": prebuilt.checksum(source.encode("utf-8")),
                           "code": env.compile(source, name, filename, raw=True)}

    # compiled as TrustedEnvironment.compile would (Environment._compile: no __future__
    # flags of this module's); the file name is put right when loaded
    code = {"format": prebuilt.FORMAT, "jinja2": jinja2.__version__,
            "environment": type(env).__name__,
            "templates": {name: (entry["source"], compile(entry["code"], "<template>", "exec",
                                                          dont_inherit=True))
                          for name, entry in templates.items()}}

    def dump(data: dict) -> str:
        return json.dumps({"format": prebuilt.FORMAT, **data}, ensure_ascii=False,
                          indent=1) + "\n"

    return {
        prebuilt.HELP: help_text(),
        prebuilt.DOCX: dump({"prepared": docx_prepared()}),
        prebuilt.KNOWLEDGE: dump({"files": files}),
        prebuilt.KNOWLEDGE_MERGED: dump(merged),
        prebuilt.TEMPLATES: dump({"jinja2": jinja2.__version__,
                                  "environment": type(env).__name__, "templates": templates}),
        prebuilt.TEMPLATE_CODE: MAGIC_NUMBER + marshal.dumps(code),
        prebuilt.KNOWLEDGE_MERGED_CODE: MAGIC_NUMBER + marshal.dumps(
            {"format": prebuilt.FORMAT, **merged} if merged else {}),
    }


def same(path, made) -> bool:
    """Whether the file at `path` holds the artefact `made` (marshal data compares by
    value: its bytes may differ from run to run for the same code)."""
    if not path.exists():
        return False
    if isinstance(made, str):
        return path.read_text(encoding="utf-8") == made
    data = path.read_bytes()
    return data[:len(MAGIC_NUMBER)] == MAGIC_NUMBER and \
        marshal.loads(data[len(MAGIC_NUMBER):]) == marshal.loads(made[len(MAGIC_NUMBER):])


def help_text() -> str:
    """`playbook --help` as click writes it in 80 columns or more (78 wide), which the
    script's entry point prints without importing click (playbook/entry.py)."""
    from click.testing import CliRunner

    from playbook.cli import main as group

    result = CliRunner().invoke(group, ["--help"], terminal_width=78, prog_name="playbook")
    assert result.exit_code == 0, result.output
    return result.output


def docx_prepared() -> dict:
    """The Word writer's parts prepared from the built-in reference, default look,
    made afresh (never read from a cache)."""
    from playbook import docx_writer
    from playbook.paths import builtin_templates

    builtin = builtin_templates() / "reference.docx"
    writer = object.__new__(docx_writer.DocxWriter)
    writer.brand, writer._loaded_reference = docx_writer.DocxBrand(), None
    writer._reference_path = writer._builtin = builtin
    key = docx_writer._PreparedCache.default_key(builtin)
    return docx_writer.prepared_data(writer._prepare(), key)


def main(argv: list[str]) -> int:
    stale = []
    for path, made in artefacts().items():
        if not same(path, made):
            stale.append(path)
            if "--check" not in argv:
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(made, str):
                    path.write_text(made, encoding="utf-8")
                else:
                    path.write_bytes(made)
    for path in stale:
        verb = "out of date" if "--check" in argv else "rewritten"
        print(f"{path}: {verb}", file=sys.stderr)
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
