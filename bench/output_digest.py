"""A digest of every output of the sample profiles, to prove a speed change kept them.

    .venv/bin/python bench/output_digest.py > digest.txt

Renders profiles/*.yaml in French and English (Markdown and Word, fixed date, no
user cache) and prints one line per file: the SHA-256 of the .md bytes, and of each
part inside the .docx (so a change of zip compression alone does not count).
Run it before and after a change and diff the two outputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def digests(folder: Path) -> list[str]:
    lines = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".md":
            lines.append(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}")
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    digest = hashlib.sha256(archive.read(info)).hexdigest()
                    lines.append(f"{path.name}:{info.filename} {digest}")
    return lines


def main() -> int:
    os.environ["PLAYBOOK_CACHE_DIR"] = ""
    from playbook.cli import main as cli

    profiles = sorted(str(p) for p in (ROOT / "profiles").glob("*.yaml"))
    lines = []
    for language in ("fr", "en"):
        with tempfile.TemporaryDirectory() as out:
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    cli(["render", *profiles, "--lang", language, "-o", out, "-f", "md,docx",
                         "--force", "--date", "2026-11-22"], standalone_mode=False)
            except SystemExit as exc:
                if exc.code:
                    raise
            lines += [f"{language} {line}" for line in digests(Path(out))]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
