"""PDF output through LibreOffice, when it is installed (`soffice --headless`)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ConversionError

TIMEOUT_SECONDS = 180


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert .docx bytes to PDF bytes; a clear error when LibreOffice is missing."""
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(
            "PDF needs LibreOffice, which is not installed: install it "
            "(e.g. apt-get install libreoffice-writer-nogui) or leave pdf out of -f")
    with tempfile.TemporaryDirectory(prefix="playbook-pdf-") as work:
        folder = Path(work)
        source = folder / "playbook.docx"
        source.write_bytes(docx)
        # A private profile folder: LibreOffice refuses to run twice on one profile.
        profile = (folder / "lo-profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                    check=False)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice did not finish within {TIMEOUT_SECONDS} s") \
                from None
        target = folder / "playbook.pdf"
        if result.returncode != 0 or not target.is_file():
            detail = (result.stderr or result.stdout).decode(errors="replace").strip()
            raise ConversionError(f"LibreOffice could not convert the document: "
                                  f"{detail.splitlines()[-1] if detail else 'no output'}")
        return target.read_bytes()
