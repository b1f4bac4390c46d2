"""Sheets as profile sources: reading CSV and XLSX, converting cells, row errors."""

from __future__ import annotations

import datetime

import pytest
from conftest import ROOT

from playbook.errors import InputError, ProfileError
from playbook.sheets import columns, load_row, parse_networks, read_sheet, sniff_delimiter

FRENCH_EXCEL = (
    "company.name;staffing.trained;goals;company.employees;staffing.monthly_budget_eur;"
    "presence.networks;document.date\r\n"
    "Boulangerie Müller;VRAI;\"awareness; sales\";1 200;1 250,50;\"facebook:800; linkedin:120:inactive\";"
    "22/11/2026\r\n"
    "Garage Dupont;non;;;;;\r\n"
    "Spilled;oui;awareness; sales;;;;\r\n"
)


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_french_excel_csv_with_bom_and_semicolons(tmp_path):
    sheet = read_sheet(write(tmp_path / "portfolio.csv", "\ufeff" + FRENCH_EXCEL))
    first, second, spilled = sheet.rows
    assert first.source == f"{tmp_path / 'portfolio.csv'}:row 2" and first.name == "Boulangerie Müller"
    assert first.data == {
        "company": {"name": "Boulangerie Müller", "employees": 1200},
        "staffing": {"trained": True, "monthly_budget_eur": 1250.5},
        "goals": ["awareness", "sales"],
        "presence": {"networks": [{"platform": "facebook", "followers": 800},
                                  {"platform": "linkedin", "followers": 120, "active": False}]},
        "document": {"date": datetime.date(2026, 11, 22)},
    }
    assert first.problems == ()
    # empty cells are unknown answers: the fields are absent, never false
    assert second.data == {"company": {"name": "Garage Dupont"}, "staffing": {"trained": False}}
    # a list cell without quotes in a ;-separated file spills into the next columns
    assert "row 4: has more cells than the header has columns (7)" in str(spilled.problems[0])


def test_quoted_lists_and_every_boolean_spelling(tmp_path, knowledge):
    header = "company.name,staffing.trained,strategy.seo_only,presence.blog,staffing.interested_person," \
             "organization.single_contact,goals,company.values\n"
    rows = ["A,oui,Non,YES,1,false,\"awareness; sales\",\"local; craft\"",
            "B,0,no,true,Oui,FAUX,\"recruitment, seo\",aucun"]
    sheet = read_sheet(write(tmp_path / "p.csv", header + "\n".join(rows) + "\n"))
    a, b = (load_row(row, knowledge).profile for row in sheet.rows)
    assert (a.staffing.trained, a.strategy.seo_only, a.presence.blog, a.staffing.interested_person,
            a.organization.single_contact) == (True, False, True, True, False)
    assert a.goals == ("awareness", "sales") and a.company.values == ("local", "craft")
    assert (b.staffing.trained, b.strategy.seo_only, b.presence.blog,
            b.organization.single_contact) == (False, False, True, False)
    assert b.goals == ("recruitment", "seo") and b.company.values == ()  # answered: none


def test_bad_row_errors_name_the_sheet_row_and_field(tmp_path, knowledge):
    path = write(tmp_path / "p.csv", "company.name,staffing.trained,company.employees,company.market\n"
                                     "Good,yes,3,b2c\n"
                                     "Bad,maybe,douze,b2cc\n"
                                     ",yes,,\n")
    good, bad, nameless = read_sheet(path).rows
    assert load_row(good, knowledge).profile.company.employees == 3
    with pytest.raises(ProfileError) as caught:
        load_row(bad, knowledge)
    message = str(caught.value)
    assert f"{path}:row 3: staffing.trained: expected true or false, got 'maybe'" in message
    assert f"{path}:row 3: company.employees: expected a whole number, got 'douze'" in message
    assert "company.market: unknown value 'b2cc' (did you mean 'b2c'?)" in message
    with pytest.raises(ProfileError, match=r"row 4: company.name: is required but missing"):
        load_row(nameless, knowledge)


def test_unknown_duplicate_and_section_columns_are_all_reported(tmp_path):
    path = write(tmp_path / "p.csv", "company.name,compnay.sector,staffing.trained,staffing.trained,"
                                     "company,# our notes\nA,x,yes,no,y,z\n")
    with pytest.raises(InputError) as caught:
        read_sheet(path)
    message = str(caught.value)
    assert "column B 'compnay.sector': unknown column (did you mean 'company.sector'?)" in message
    assert "column D 'staffing.trained': the same field as column C; keep only one" in message
    assert "column E 'company': is a section, not a field; name one of its fields: company.name" \
        in message
    assert "# our notes" not in message  # a note column is the agency's own


def test_a_sheet_without_company_name_column_or_rows(tmp_path):
    with pytest.raises(InputError, match="no company.name column"):
        read_sheet(write(tmp_path / "a.csv", "staffing.trained\nyes\n"))
    with pytest.raises(InputError, match="the sheet is empty"):
        read_sheet(write(tmp_path / "b.csv", "\n\n"))


def test_windows_1252_csv_is_read_with_a_warning(tmp_path):
    sheet = read_sheet(write(tmp_path / "p.csv", "company.name;company.region\nCafé Lumière;Île-de-France\n",
                             encoding="cp1252"))
    assert sheet.rows[0].data["company"] == {"name": "Café Lumière", "region": "Île-de-France"}
    assert "not UTF-8; read as Windows-1252" in sheet.warnings[0]


def test_excel_sep_line_and_delimiter_sniffing(tmp_path):
    sheet = read_sheet(write(tmp_path / "p.csv", "sep=|\ncompany.name|company.employees\nA|4\n"))
    assert sheet.rows[0].data["company"] == {"name": "A", "employees": 4}
    assert sheet.rows[0].row == 2  # the sep= line is not a row of the sheet
    assert sniff_delimiter("company.name\tgoals") == "\t"
    assert sniff_delimiter("company.name") == ","


@pytest.mark.parametrize("cell, networks, problems", [
    ("facebook:800; linkedin:120:inactive", [{"platform": "facebook", "followers": 800},
                                             {"platform": "linkedin", "followers": 120,
                                              "active": False}], 0),
    ("instagram:1 200:actif:@maison.duval", [{"platform": "instagram", "followers": 1200, "active": True,
                                              "handle": "@maison.duval"}], 0),
    ("linkedin:4.5k:https://linkedin.com/company/x", [{"platform": "linkedin", "followers": 4500,
                                                       "handle": "https://linkedin.com/company/x"}], 0),
    ("youtube", [{"platform": "youtube"}], 0),
    ("aucun", [], 0),
    ("facebook:inactiv", [{"platform": "facebook"}], 1),
])
def test_networks_cell_syntax(cell, networks, problems):
    parsed, messages = parse_networks(cell)
    assert parsed == networks and len(messages) == problems


def test_xlsx_typed_cells_blank_rows_and_spreadsheet_errors(tmp_path, knowledge):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["company.name", "staffing.trained", "company.employees", "document.date",
                  "staffing.monthly_budget_eur", "company.region"])
    sheet.append(["Hexa", True, 220, datetime.datetime(2026, 11, 22), 1500.5, 1664])
    sheet.append([None] * 6)
    sheet.append(["Broken", "#N/A", 3.0, None, None, None])
    path = tmp_path / "portfolio.xlsx"
    workbook.save(path)
    hexa, broken = read_sheet(path).rows
    profile = load_row(hexa, knowledge).profile
    assert (profile.staffing.trained, profile.company.employees, profile.document.date,
            profile.staffing.monthly_budget_eur, profile.company.region) == (
        True, 220, datetime.date(2026, 11, 22), 1500.5, "1664")
    assert broken.row == 4  # numbered as the spreadsheet shows it, blank rows included
    with pytest.raises(ProfileError, match=r"portfolio.xlsx:row 4: staffing.trained: holds the "
                                           r"spreadsheet error #N/A"):
        load_row(broken, knowledge)


def test_a_corrupt_workbook_is_one_clear_error(tmp_path):
    path = write(tmp_path / "p.xlsx", "not a zip")
    with pytest.raises(InputError, match=r"p.xlsx: cannot read the workbook \(.*\); save it from Excel"):
        read_sheet(path)


def test_every_profile_field_is_a_column():
    names = columns()
    assert {"company.name", "staffing.interested_person", "organization.departments",
            "presence.networks", "document.date", "language", "goals"} <= set(names)
    assert "company" not in names and "presence.networks.platform" not in names


def test_the_shipped_example_sheet_is_valid(knowledge):
    sheet = read_sheet(ROOT / "examples" / "portfolio.csv")
    profiles = [load_row(row, knowledge).profile for row in sheet.rows]
    assert len(profiles) >= 5 and not sheet.warnings
    assert {p.language for p in profiles} == {"fr", "en"}
    assert any(p.presence and p.presence.networks for p in profiles)


def test_a_rows_sector_and_regions_are_checked_like_a_profiles(tmp_path, knowledge):
    path = write(tmp_path / "p.csv", "company.name,company.sector_id\nAtelier,industri\n"
                                     "Forge,industry\n")
    typo, good = read_sheet(path).rows
    with pytest.raises(ProfileError, match=r"row 2: company.sector_id: unknown value 'industri' "
                                           r"\(did you mean 'industry'\?\)"):
        load_row(typo, knowledge)
    assert load_row(good, knowledge).profile.company.sector_id == "industry"
