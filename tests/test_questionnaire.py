"""`playbook questionnaire`: the workbook a client fills in, read back as a profile.

The workbook is checked as a client (and a printer) sees it, with openpyxl; it is
filled in here the way a client would, with the drop-down labels, and read back by the
real commands: a filled questionnaire must render exactly as the same answers in YAML.
"""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
import yaml
from conftest import PROFILES

from playbook import pdf
from playbook.cli import main
from playbook.questionnaire import MARK_SHEET, OPTION
from playbook.questionplan import field_info

DATE = "2026-11-22"


def make(runner, tmp_path, language="fr", name="q.xlsx"):
    path = tmp_path / name
    result = runner.invoke(main, ["questionnaire", "--lang", language, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def rows_of(sheet) -> dict[str, int]:
    return {row[0].value: row[0].row for row in sheet.iter_rows(max_col=1) if row[0].value}


def fill(path, answers: dict, out):
    """Type answers into the answer column, by question key, as a client would."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = rows_of(sheet)
    for key, value in answers.items():
        sheet.cell(rows[key], 3, value)
    book.save(out)
    return out


def answers_for(data: dict, knowledge, language: str) -> dict:
    """The cells a client fills in to give the same answers as a profile's data."""
    texts = knowledge.texts(language)
    yes, no = texts.get("interview.ui.yes"), texts.get("interview.ui.no")
    labels = {"market": "labels.market", "activity_complexity": "labels.complexity",
              "goals": "labels.goal", "audiences": "labels.audience",
              "departments": "labels.department"}
    options = ("goals", "audiences", "organization.departments")
    cells: dict = {}

    def walk(node, prefix=""):
        for key, value in node.items():
            path = f"{prefix}{key}"
            if key in ("version", "language", "document"):
                continue
            if isinstance(value, dict):
                walk(value, path + ".")
            elif path == "presence.networks":
                held = {n["platform"]: n for n in value}
                for platform in knowledge.platforms.values():
                    entry = held.get(platform.id)
                    if entry is None:
                        cells[f"{path}{OPTION}{platform.id}"] = no
                    else:
                        active = {True: ":active", False: ":inactive", None: ""}[entry.get("active")]
                        cells[f"{path}{OPTION}{platform.id}"] = f"{entry.get('followers', 0)}{active}"
            elif path in options:
                # one row per value the profile may hold (a label namespace may also
                # name a value in another organisation's words: a public body's desk)
                for word in field_info(path).item.values:
                    # ranks keep the profile's order (the first goal matters most)
                    cells[f"{path}{OPTION}{word}"] = (str(value.index(word) + 1)
                                                      if word in value else no)
            elif isinstance(value, bool):
                cells[path] = yes if value else no
            elif key in labels:
                cells[path] = texts.get(f"{labels[key]}.{value}")
            elif isinstance(value, list):
                cells[path] = ", ".join(value)
            else:
                cells[path] = value
    walk(data)
    return cells


def test_the_workbook_is_one_question_a_row_with_lists_protection_and_print_setup(
        runner, tmp_path, knowledge):
    book = openpyxl.load_workbook(make(runner, tmp_path, "fr"))
    sheet = book.worksheets[0]
    rows = rows_of(sheet)
    # a question, its answer cell and why we ask, on one row
    row = rows["staffing.trained"]
    assert sheet.cell(row, 2).value == knowledge.texts("fr").get("open.staffing.trained")
    assert sheet.cell(row, 4).value.startswith("Une personne non formée")
    # yes/no/don't know and choices are drop-down lists on the answer cells
    def formula_of(key):
        coordinate = sheet.cell(rows[key], 3).coordinate
        return next(dv.formula1 for dv in sheet.data_validations.dataValidation
                    if _in_range(coordinate, str(dv.sqref)))

    assert formula_of("staffing.trained") == '"Oui,Non,Je ne sais pas"'
    assert "particuliers (B2C)" in formula_of("company.market")
    assert "Je ne sais pas" in formula_of("company.market")
    assert formula_of("goals=sales") == '"Oui,Non,Je ne sais pas,1,2,3,4,5,6,7,8"'
    # every network of the catalogue has its row (retired ones too: the playbook then
    # says to close the old account)
    offered = [key.split(OPTION)[1] for key in rows if key.startswith("presence.networks=")]
    assert offered == list(knowledge.platforms)
    # labels are protected, answers open; the key column is hidden
    assert sheet.protection.sheet
    assert sheet.cell(row, 2).protection.locked and not sheet.cell(row, 3).protection.locked
    assert sheet.column_dimensions["A"].hidden
    # printable: one page wide, the header row repeated, the key column left out
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$4"
    assert str(sheet.print_area).startswith("'Questionnaire'!$B$1")
    assert book[MARK_SHEET].sheet_state == "hidden"


def _in_range(coordinate, cells):
    from openpyxl.worksheet.cell_range import CellRange

    return any(coordinate in CellRange(part) for part in cells.split())


def test_an_empty_questionnaire_is_not_a_profile_yet_and_names_the_row(runner, tmp_path):
    path = make(runner, tmp_path)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    row = rows_of(openpyxl.load_workbook(path).worksheets[0])["company.name"]
    assert f"{path}:row {row}: company.name: is required but missing" in result.output


def test_wrong_answers_name_their_row_with_the_validate_message(runner, tmp_path):
    path = make(runner, tmp_path, "en")
    filled = fill(path, {"company.name": "Duval", "company.employees": "twelve",
                         "goals=sales": "perhaps", "presence.networks=linkedin": "many"},
                  tmp_path / "filled.xlsx")
    rows = rows_of(openpyxl.load_workbook(filled).worksheets[0])
    result = runner.invoke(main, ["validate", str(filled)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    out = result.output
    assert (f"filled.xlsx:row {rows['company.employees']}: company.employees: expected a "
            "whole number, got 'twelve'") in out
    assert (f"filled.xlsx:row {rows['goals=sales']}: goals: expected yes, no, don't know or "
            "a rank (1, 2, 3...) for 'sales', got 'perhaps'") in out
    assert f"filled.xlsx:row {rows['presence.networks=linkedin']}: presence.networks:" in out
    assert not (tmp_path / "output").exists()


def test_dont_know_stays_unknown_and_no_is_no(runner, tmp_path, knowledge):
    path = make(runner, tmp_path, "fr")
    filled = fill(path, {"company.name": "Duval", "staffing.trained": "Je ne sais pas",
                         "staffing.time_available": "Non", "goals=sales": "Oui",
                         "goals=awareness": "Non", "presence.networks=facebook": "non"},
                  tmp_path / "filled.xlsx")
    from playbook.profile import load_profile

    profile = load_profile(filled, knowledge).profile
    assert profile.language == "fr"
    assert profile.staffing.trained is None and profile.staffing.time_available is False
    assert profile.goals == ("sales",)
    assert profile.audiences is None  # no option answered: unknown, not "none"
    assert profile.presence.networks == ()  # answered "no" on a network: no accounts


@pytest.mark.parametrize("sample", ["boulangerie-muller.yaml", "maison-duval.yaml"])
def test_a_yaml_profile_and_the_same_answers_in_a_questionnaire_render_the_same(
        runner, tmp_path, knowledge, sample):
    """One way: a profile's answers typed into a questionnaire render identically."""
    data = yaml.safe_load((PROFILES / sample).read_text(encoding="utf-8"))
    language = data.get("language", "en")
    data.pop("document", None)
    # the questionnaire lists accounts in the catalogue's order
    order = list(knowledge.platforms)
    data["presence"]["networks"].sort(key=lambda n: order.index(n["platform"]))
    source = tmp_path / "answers.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    filled = fill(make(runner, tmp_path, language), answers_for(data, knowledge, language),
                  tmp_path / "answers.xlsx")
    _same_rendering(runner, tmp_path, source, filled)


def test_a_questionnaire_filled_in_english_renders_as_its_yaml(runner, tmp_path):
    """The other way: a filled questionnaire, then the YAML a consultant would write."""
    filled = fill(make(runner, tmp_path, "en"), {
        "company.name": "Atelier Roux", "company.sector": "furniture", "company.employees": 4,
        "company.market": "both consumers and businesses", "company.values": "craft, repair",
        "strategy.brand_image_key": "Yes", "staffing.interested_person": "No",
        "staffing.external_budget": "Yes", "staffing.monthly_budget_eur": "1 200",
        "goals=sales": "Yes", "goals=community": "Yes", "audiences=customers": "Yes",
        "presence.networks=instagram": "1,5k", "presence.networks=facebook": "300:inactive",
        "organization.activity_complexity": "simple", "organization.sensitive_topics": "Don't know",
        "organization.departments=sales": "Yes", "document.prepared_by": "Claire Martin",
    }, tmp_path / "roux.xlsx")
    source = tmp_path / "roux.yaml"
    source.write_text("""\
version: 1
language: en
company: {name: Atelier Roux, sector: furniture, employees: 4, market: both,
          values: [craft, repair]}
goals: [sales, community]
audiences: [customers]
strategy: {brand_image_key: true}
staffing: {interested_person: false, external_budget: true, monthly_budget_eur: 1200}
organization: {activity_complexity: low, departments: [sales]}
presence:
  networks:
    - {platform: facebook, followers: 300, active: false}
    - {platform: instagram, followers: 1500}
document: {prepared_by: Claire Martin}
""", encoding="utf-8")
    _same_rendering(runner, tmp_path, source, filled)


def _same_rendering(runner, tmp_path, yaml_path, xlsx_path):
    outputs = {}
    for path in (yaml_path, xlsx_path):
        folder = tmp_path / f"out-{path.suffix[1:]}"
        result = runner.invoke(main, ["render", str(path), "-o", str(folder), "-f", "md,docx",
                                      "--date", DATE])
        assert result.exit_code == 0, result.output
        (md,) = folder.glob("*.md")
        (docx,) = folder.glob("*.docx")
        outputs[path.suffix] = (md.name, md.read_text(encoding="utf-8"), _docx_text(docx))
    assert outputs[".yaml"] == outputs[".xlsx"]


def _docx_text(path):
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_batch_reads_a_questionnaire_as_one_profile(runner, tmp_path, knowledge):
    filled = fill(make(runner, tmp_path, "fr"), {"company.name": "Maison Roux"},
                  tmp_path / "roux.xlsx")
    result = runner.invoke(main, ["batch", str(filled), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "roux.md").exists()


def test_an_existing_file_is_kept_without_force_and_the_name_must_be_xlsx(runner, tmp_path):
    path = tmp_path / "q.xlsx"
    path.write_text("mine")
    result = runner.invoke(main, ["questionnaire", "-o", str(path)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert path.read_text() == "mine"
    result = runner.invoke(main, ["questionnaire", "-o", str(tmp_path / "q.csv")])
    assert result.exit_code == 2 and "name it .xlsx" in result.output


def test_an_ordinary_workbook_given_to_render_says_what_to_do(runner, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["company.name"])
    book.active.append(["Duval"])
    book.save(tmp_path / "clients.xlsx")
    result = runner.invoke(main, ["validate", str(tmp_path / "clients.xlsx")])
    assert result.exit_code == 1
    assert "not a playbook questionnaire" in result.output and "playbook batch" in result.output


@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_questionnaire_saved_by_libreoffice_calc_renders(runner, tmp_path, knowledge):
    """Filled in, then opened and saved by LibreOffice Calc (headless), as a client
    without Excel would: it still reads back, drop-downs and hidden sheet included."""
    data = yaml.safe_load((PROFILES / "boulangerie-muller.yaml").read_text(encoding="utf-8"))
    data.pop("document", None)
    filled = fill(make(runner, tmp_path, "fr"), answers_for(data, knowledge, "fr"),
                  tmp_path / "filled.xlsx")
    calc = tmp_path / "calc"
    profile_dir = tmp_path / "lo-profile"
    converted = subprocess.run(
        [pdf.find_soffice(), f"-env:UserInstallation=file://{profile_dir}", "--headless",
         "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(calc),
         str(filled)], check=True, capture_output=True, text=True, timeout=120)
    saved = calc / "filled.xlsx"
    if not saved.exists() and "could not be loaded" in converted.stderr + converted.stdout:
        # LibreOffice installed without Calc (e.g. libreoffice-writer-nogui alone) loads
        # no workbook and still exits 0
        pytest.skip("LibreOffice Calc is not installed (only Writer)")
    assert saved.exists()
    book = openpyxl.load_workbook(saved)
    assert MARK_SHEET in book.sheetnames and book.worksheets[0].data_validations.dataValidation
    source = tmp_path / "muller.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(saved, tmp_path / "muller.xlsx")
    _same_rendering(runner, tmp_path, source, tmp_path / "muller.xlsx")
