"""The questionnaire a client fills in: an Excel workbook that reads back as a profile.

`write_questionnaire()` lays the interview's questions (`playbook.questionplan`) one a
row: the question, the answer cell, why we ask. Choices and yes/no/don't know are
drop-down lists, a list question (goals, audiences, departments) is one yes/no row per
option, and the catalogue's networks are one row each. Labels are protected (no
password: the consultant may unprotect the sheet); only answer cells can be edited.
The page is set up to print on A4, one page wide, the header row repeated.

A hidden sheet marks the workbook as a questionnaire, with its language and format
version, so `render`, `validate` and `batch` read it as one profile
(`load_questionnaire()`), not as a portfolio sheet; every error names its row.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .errors import Problem, ProfileError
from .knowledge import Knowledge
from .profile import LoadedProfile, validate_data
from .questionplan import NETWORKS, from_text, platform_choices, questions
from .sheets import FALSE_WORDS, TRUE_WORDS, convert_cell, parse_networks

MARK_SHEET = "playbook"
MARK = "playbook questionnaire"
VERSION = 1
KEY_COLUMN, QUESTION_COLUMN, ANSWER_COLUMN, WHY_COLUMN = 1, 2, 3, 4
HEADER_ROW = 4
OPTION = "="  # an option row's key: "goals=awareness", "presence.networks=facebook"
LANGUAGES = ("en", "fr")


# -- writing ----------------------------------------------------------------------

def write_questionnaire(knowledge: Knowledge, language: str) -> bytes:
    """The questionnaire workbook's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    texts = knowledge.texts(language)
    q = lambda code, **p: texts.get(f"interview.questionnaire.{code}", **p)  # noqa: E731
    ui = lambda code: texts.get(f"interview.ui.{code}")  # noqa: E731
    book = Workbook()
    sheet = book.active
    sheet.title = "Questionnaire"
    wrap = Alignment(wrap_text=True, vertical="top")
    open_cell = Protection(locked=False)
    answer_fill = PatternFill("solid", fgColor="FFF8E1")
    part_fill = PatternFill("solid", fgColor="DCE6F1")

    sheet.cell(1, QUESTION_COLUMN, q("title")).font = Font(bold=True, size=14)
    sheet.cell(2, QUESTION_COLUMN, q("intro")).alignment = wrap
    sheet.merge_cells(start_row=2, start_column=QUESTION_COLUMN, end_row=2, end_column=WHY_COLUMN)
    sheet.row_dimensions[2].height = 45
    for column, code in ((QUESTION_COLUMN, "question"), (ANSWER_COLUMN, "answer"),
                         (WHY_COLUMN, "why")):
        sheet.cell(HEADER_ROW, column, q(code)).font = Font(bold=True)

    lists: dict[tuple[str, ...], DataValidation] = {}

    def drop_down(row: int, labels: list[str]) -> None:
        key = tuple(labels)
        if key not in lists:
            shown = [label.replace(",", " ") for label in labels]  # a comma splits the list
            lists[key] = DataValidation(type="list", formula1='"' + ",".join(shown) + '"',
                                        allow_blank=True, showErrorMessage=True)
            sheet.add_data_validation(lists[key])
        lists[key].add(sheet.cell(row, ANSWER_COLUMN).coordinate)

    def question_row(row: int, key: str, text: str, why: str = "", labels=None) -> None:
        sheet.cell(row, KEY_COLUMN, key)
        sheet.cell(row, QUESTION_COLUMN, text).alignment = wrap
        sheet.cell(row, WHY_COLUMN, why).alignment = wrap
        answer = sheet.cell(row, ANSWER_COLUMN)
        answer.protection = open_cell
        answer.fill = answer_fill
        answer.alignment = wrap
        if labels:
            drop_down(row, labels)

    def heading(row: int, text: str, fill=None, why: str = "") -> None:
        cell = sheet.cell(row, QUESTION_COLUMN, text)
        cell.font = Font(bold=True)
        cell.alignment = wrap
        if why:
            sheet.cell(row, WHY_COLUMN, why).alignment = wrap
        if fill:
            for column in (QUESTION_COLUMN, ANSWER_COLUMN, WHY_COLUMN):
                sheet.cell(row, column).fill = fill

    yes_no = [ui("yes"), ui("no"), ui("dont_know")]
    row, part = HEADER_ROW + 1, None
    for question in questions(knowledge, language):
        if question.kind == "followers":
            continue  # a network's row takes its followers
        if question.part != part:
            part = question.part
            row += 1
            heading(row, texts.get(f"interview.parts.{part}"), part_fill)
            row += 1
        if question.kind == "bool":
            question_row(row, question.path, question.text, question.why, yes_no)
        elif question.kind == "enum":
            labels = [label for _, label in question.choices] + [ui("dont_know")]
            question_row(row, question.path, question.text, question.why, labels)
        elif question.kind == "enum_list":
            heading(row, q("pick_all", question=question.text), why=question.why)
            ranks = [str(n) for n in range(1, len(question.choices) + 1)]
            for value, label in question.choices:
                row += 1
                question_row(row, f"{question.path}{OPTION}{value}", label, "", yes_no + ranks)
        elif question.kind == "networks":
            heading(row, question.text, why=f"{question.why} {q('networks_intro')}")
            for pid, name in platform_choices(knowledge, texts):
                row += 1
                question_row(row, f"{question.path}{OPTION}{pid}", q("network_row", platform=name))
        else:
            question_row(row, question.path, question.text, question.why)
        row += 1

    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].width = 55
    sheet.column_dimensions["C"].width = 28
    sheet.column_dimensions["D"].width = 60
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, QUESTION_COLUMN)
    sheet.protection.sheet = True  # labels locked; answers open (no password)
    sheet.protection.formatRows = False  # the client may resize rows to read long answers
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"B1:D{row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "&P / &N"

    mark = book.create_sheet(MARK_SHEET)
    mark["A1"], mark["B1"] = MARK, VERSION
    mark["A2"], mark["B2"] = "language", language
    mark.sheet_state = "hidden"
    mark.protection.sheet = True
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# -- reading ----------------------------------------------------------------------

def is_questionnaire(path: Path) -> bool:
    """Whether a workbook is a playbook questionnaire (False for any other file)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    try:
        return _mark(path) is not None
    except Exception:  # not a readable workbook: its reader says why
        return False


def _mark(path: Path) -> dict | None:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if MARK_SHEET not in book.sheetnames:
            return None
        rows = {str(r[0]).strip(): r[1] for r in book[MARK_SHEET].iter_rows(
            min_row=1, max_row=5, max_col=2, values_only=True) if r and r[0] is not None}
        if MARK not in rows:
            return None
        return rows
    finally:
        book.close()


def _records(path: Path) -> tuple[dict, list[tuple[int, str, Any]], dict[str, int]]:
    """The mark, (row, key, answer) of every answered row, and every question's row."""
    import openpyxl

    source = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise ProfileError.single(source, f"cannot read the workbook ({reason}); save it from "
                                  "Excel or LibreOffice as .xlsx") from None
    try:
        if MARK_SHEET not in book.sheetnames or not book.worksheets:
            raise ProfileError.single(source, "is a workbook but not a playbook questionnaire "
                                      "(make one with playbook questionnaire -o FILE.xlsx); "
                                      "a sheet of clients, one a row, is read by playbook batch")
        mark = {str(r[0]).strip(): r[1] for r in book[MARK_SHEET].iter_rows(
            min_row=1, max_row=5, max_col=2, values_only=True) if r and r[0] is not None}
        out, key_rows = [], {}
        for number, values in enumerate(book.worksheets[0].iter_rows(
                min_col=KEY_COLUMN, max_col=ANSWER_COLUMN, values_only=True), start=1):
            key = values[0] if values else None
            answer = values[ANSWER_COLUMN - 1] if len(values) >= ANSWER_COLUMN else None
            if not isinstance(key, str) or not key.strip():
                continue
            key_rows.setdefault(key.strip().partition(OPTION)[0], number)
            if answer is None or (isinstance(answer, str) and not answer.strip()):
                continue
            out.append((number, key.strip(), answer.strip() if isinstance(answer, str) else answer))
        return mark, out, key_rows
    finally:
        book.close()


def _words(knowledge: Knowledge, code: str) -> set[str]:
    return {knowledge.texts(lang).get(code).casefold() for lang in LANGUAGES}


def _set(data: dict, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[leaf] = value


def questionnaire_data(path: Path, knowledge: Knowledge) -> tuple[dict, dict[str, int], list[Problem]]:
    """Plain profile data from a filled questionnaire, each field's row, and the cells
    that cannot be read at all."""
    source = str(path)
    mark, records, key_rows = _records(path)
    language = mark.get("language") if mark.get("language") in LANGUAGES else None
    by_path = {question.path: question for question in questions(knowledge, "en")}
    unknown = _words(knowledge, "interview.ui.dont_know")
    yes = _words(knowledge, "interview.ui.yes") | TRUE_WORDS
    no = _words(knowledge, "interview.ui.no") | FALSE_WORDS
    data: dict = {"version": VERSION, "company": {}}
    if language:
        data["language"] = language
    rows: dict[str, int] = dict(key_rows)  # an unanswered required field has its row too
    problems: list[Problem] = []
    options: dict[str, list] = {}  # list question -> (rank, row, value) of each "yes"
    accounts: list[dict] | None = None
    for number, key, answer in records:
        where = f"{source}:row {number}"
        text = str(answer).strip()
        if text.casefold() in unknown:
            continue
        field, _, option = key.partition(OPTION)
        question = by_path.get(field)
        if question is None:
            problems.append(Problem(where, key, "is not a question of this questionnaire; "
                                    "do not edit the hidden column A"))
            continue
        if option and field == NETWORKS:
            accounts = accounts if accounts is not None else []
            if text.casefold() in no:
                continue  # no account there
            rows.setdefault(f"{NETWORKS}[{len(accounts)}]", number)
            entries, messages = parse_networks(f"{option}:{text}" if text.casefold() not in yes
                                               else option)
            problems += [Problem(where, f"{NETWORKS}", m) for m in messages]
            accounts += entries
            continue
        if option:
            chosen = options.setdefault(field, [])
            rows.setdefault(field, number)
            rank = _rank(answer)
            if rank is not None:
                chosen.append((rank, number, option))
            elif text.casefold() in yes:
                chosen.append((float("inf"), number, option))  # after the ranked ones
            elif text.casefold() not in no:
                problems.append(Problem(where, field, f"expected yes, no, don't know or a rank "
                                        f"(1, 2, 3...) for '{option}', got {text!r}"))
            continue
        rows[field] = number
        if question.kind == "enum":
            labels = {label.casefold(): value for lang in LANGUAGES
                      for value, label in questions_choices(knowledge, lang, field)}
            value = labels.get(text.casefold(), text)
        elif question.kind == "bool":
            value = True if text.casefold() in yes else False if text.casefold() in no else answer
        elif question.kind == "text_list" and isinstance(answer, str):
            value = from_text(question, answer)  # "artisanal, local", as the question says
        else:
            assert question.info is not None
            value = convert_cell(question.info, answer)
        _set(data, field, value)
    for field, chosen in options.items():
        _set(data, field, [option for _, _, option in sorted(chosen)])
    if accounts is not None:
        _set(data, NETWORKS, accounts)
    return data, rows, problems


def _rank(answer: Any) -> float | None:
    """A rank typed or picked for an option (1: the most important), else None."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float) and answer >= 1:
        return float(answer)
    if isinstance(answer, str) and answer.strip().isdigit() and int(answer) >= 1:
        return float(answer)
    return None


def questions_choices(knowledge: Knowledge, language: str, path: str) -> tuple:
    return next(q.choices for q in questions(knowledge, language) if q.path == path)


def _row_of(field: str, rows: dict[str, int]) -> int | None:
    probe = field
    while probe:
        if probe in rows:
            return rows[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return None


def load_questionnaire(path: Path, knowledge: Knowledge) -> LoadedProfile:
    """A filled questionnaire as a validated profile; every error names its row."""
    source = str(path)
    data, rows, problems = questionnaire_data(path, knowledge)
    try:
        loaded = validate_data(data, source, knowledge.accepted_ids, knowledge.aliases,
                               choices=knowledge.profile_choices)
    except ProfileError as exc:
        for problem in exc.problems:
            row = _row_of(problem.field, rows)
            problems.append(Problem(f"{source}:row {row}" if row else source, problem.field,
                                    problem.message))
        loaded = None
    if problems:
        raise ProfileError(problems)
    assert loaded is not None
    return LoadedProfile(loaded.profile, source, tuple(
        Problem(f"{source}:row {_row_of(w.field, rows)}" if _row_of(w.field, rows) else source,
                w.field, w.message) for w in loaded.warnings))

