"""Input families of issue 14 for `bench/fuzz`: hostile references, sheets, values, names.

Each family gives hypothesis strategies and a body, as `fuzzing.build_property` expects:

- `hostile-references`: the built-in reference .docx with a header whose relationship
  target takes every form (relative, '/word/...', './', '../word/', percent-encoded,
  leaving the package), parts cut short, a DTD, a missing part. The Word writer either
  refuses the reference with a ReferenceDocError or writes a .docx that python-docx
  reopens, whose part names stay inside the package and whose relationships all land.
- `hostile-sheets`: portfolio sheets in every Unicode encoding (with and without a byte
  order mark), with long cells, NULs, cut short, or as workbooks with a part cut or a
  DTD: `read_sheet` returns rows or raises an InputError, nothing else.
- `hostile-values`: profiles with huge or base-60 numbers, impossible dates, invisible
  names, lone surrogates, in YAML, JSON and TOML: `validate` exits 0 or 1 with one
  clean line per problem, never a traceback.
- `hostile-names`: company names of any text: a slug that is a safe file name of at
  most 120 bytes.
"""

from __future__ import annotations

import io
import json
import posixpath
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ("hostile-references", "hostile-sheets", "hostile-values", "hostile-names")
BUILTIN = ROOT / "templates" / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"


def _reference(target: str, part: str, damage: str) -> bytes:
    source = zipfile.ZipFile(BUILTIN)
    parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = (f'<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W}"><w:p><w:r>'
                   "<w:t>Header</w:t></w:r></w:p></w:hdr>").encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="rIdH" Type="{HEADER_TYPE}" Target="{target}"/>'
        "</Relationships>").encode()
    document = parts["word/document.xml"].decode()
    if "xmlns:r=" not in document.split(">", 2)[1]:
        document = document.replace("<w:document ", f'<w:document xmlns:r="{R}" ', 1)
    parts["word/document.xml"] = document.replace(
        "<w:sectPr>", '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/>').encode()
    if damage == "dtd":
        parts["word/styles.xml"] = b'<!DOCTYPE w:styles [<!ENTITY e "x">]>' + \
            parts["word/styles.xml"].split(b"?>", 1)[1]
    elif damage == "cut styles":
        parts["word/styles.xml"] = parts["word/styles.xml"][:2000]
    elif damage == "missing header":
        del parts[part]
    elif damage == "header links nowhere":
        parts[posixpath.join(posixpath.dirname(part), "_rels",
                             posixpath.basename(part) + ".rels")] = (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/image" Target="media/none.png"/>'
            b"</Relationships>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _check_package(data: bytes) -> None:
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        for name in names:
            assert not name.startswith(("/", "../")) and "/../" not in name, name
        for name in [n for n in names if n.endswith(".rels")]:
            folder = posixpath.dirname(posixpath.dirname(name))
            text = package.read(name).decode()
            for target in __import__("re").findall(r'Target="([^"]+)"', text):
                if "TargetMode" in text and target.startswith("http"):
                    continue
                resolved = posixpath.normpath(posixpath.join(folder, target))
                assert resolved in names, (name, target)
    docx.Document(io.BytesIO(data))


def build(name: str, campaign):
    from hypothesis import strategies as st

    if name == "hostile-references":
        from playbook.docx_writer import DocxWriter
        from playbook.errors import ReferenceDocError

        folder = Path(tempfile.mkdtemp(prefix="playbook-fuzz-ref-"))
        markdown = "---\ntitle: T\n---\n\n# One\n\ntext\n"

        def body(target, part, damage):
            path = folder / "ref.docx"
            path.write_bytes(_reference(target, part, damage))
            try:
                writer = DocxWriter(path)
            except ReferenceDocError:
                campaign.tried(f"{damage}: refused")
                return
            campaign.tried(f"{damage}: written")
            _check_package(writer.render(markdown))

        targets = st.sampled_from(["header1.xml", "/word/header1.xml", "./header1.xml",
                                   "../word/header1.xml", "header%31.xml", "../../x.xml",
                                   "/../x.xml", "sub/../header1.xml", ""])
        parts = st.sampled_from(["word/header1.xml", "../../x.xml", "x.xml"])
        damages = st.sampled_from(["none", "dtd", "cut styles", "missing header",
                                   "header links nowhere"])
        return {"target": targets, "part": parts, "damage": damages}, body

    if name == "hostile-sheets":
        from playbook.errors import InputError
        from playbook.sheets import read_sheet

        folder = Path(tempfile.mkdtemp(prefix="playbook-fuzz-sheet-"))

        def body(names, encoding, damage, suffix):
            text = "company.name,# notes\n" + "".join(
                '"' + n.replace('"', '""') + '",x\n' for n in names)
            if suffix == ".xlsx":
                import openpyxl

                book = openpyxl.Workbook()
                for line in [["company.name"], *[[n] for n in names]]:
                    book.active.append(line)
                stream = io.BytesIO()
                book.save(stream)
                data = stream.getvalue()
                if damage == "cut":
                    data = data[: len(data) // 2]
                elif damage == "dtd":
                    data = _rewrite(data, "xl/worksheets/sheet1.xml",
                                    lambda x: b"<!DOCTYPE w [<!ENTITY a 'b'>]>" + x)
            else:
                if damage == "long cell":
                    text += '"Long",' + '"' + "n" * 200_000 + '"\n'
                elif damage == "nul":
                    text += "\x00\x01\n"
                try:
                    data = text.encode(encoding)
                except UnicodeEncodeError:
                    data = text.encode("utf-8")
                if damage == "cut":
                    data = data[: len(data) // 2]
            path = folder / f"p{suffix}"
            path.write_bytes(data)
            try:
                sheet = read_sheet(path)
                campaign.tried(f"{suffix} {damage}: read")
                if damage == "none" and names and encoding != "cp1252":
                    assert [r.name for r in sheet.rows] == [n.strip() for n in names]
            except InputError:
                campaign.tried(f"{suffix} {damage}: clean error")

        names = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                                 min_size=1, max_size=15).filter(
            lambda t: t.strip() and not t.strip().startswith("#")), max_size=5)
        return ({"names": names,
                 "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                                              "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
                                              "cp1252"]),
                 "damage": st.sampled_from(["none", "long cell", "nul", "cut", "dtd"]),
                 "suffix": st.sampled_from([".csv", ".xlsx"])}, body)

    if name == "hostile-values":
        from click.testing import CliRunner

        from playbook.cli import main

        folder = Path(tempfile.mkdtemp(prefix="playbook-fuzz-values-"))
        runner = CliRunner()
        values = st.one_of(
            st.integers(min_value=4_301, max_value=6_000).map(lambda digits: "9" * digits),
            st.sampled_from(["1:20", "-3:05", "12:00:01", "0x" + "f" * 5000, "1_000",
                             "2026-02-30", "2026-13-01", ".inf", ".nan", "0o777"]),
            st.text(st.sampled_from("\u200b\u200c\u200d\ufeff\u2060 "), min_size=1, max_size=6)
            .map(json.dumps))

        def body(value, field, kind):
            if kind == "yaml":
                section, key = field.split(".")
                text = f"company:\n  name: X\n{section}:\n  {key}: {value}\n" if section != \
                    "company" else f"company:\n  name: X\n  {key}: {value}\n"
                if field == "company.name":
                    text = f"company:\n  name: {value}\n"
            elif kind == "json":
                text = '{"company": {"name": "X", "employees": ' + value + "}}"
            else:
                text = f'[company]\nname = "X"\nemployees = {value}\n'
            path = folder / f"p.{kind}"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            result = runner.invoke(main, ["validate", str(path)])
            campaign.tried(f"{kind}: exit {result.exit_code}")
            assert result.exit_code in (0, 1), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), \
                repr(result.exception)
            assert "Traceback" not in result.output

        return ({"value": values, "field": st.sampled_from(
            ["company.employees", "company.name", "staffing.monthly_budget_eur",
             "document.date"]), "kind": st.sampled_from(["yaml", "json", "toml"])}, body)

    if name == "hostile-names":
        import unicodedata

        from playbook.outputs import slugify

        def body(name):
            slug = slugify(name)
            campaign.tried("ascii" if slug.isascii() else "unicode")
            assert slug and not slug.startswith((".", "-")) and not slug.endswith("-")
            assert "/" not in slug and "\\" not in slug and len(slug.encode()) <= 120
            assert not any(unicodedata.category(c)[0] in "CZ" for c in slug)

        return {"name": st.text(max_size=300)}, body
    raise SystemExit(f"unknown property {name!r}")


def _rewrite(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()
