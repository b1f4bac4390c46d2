"""The question plan shared by the interview and the questionnaire (pure functions)."""

from __future__ import annotations

import pytest

from playbook.cli import main
from playbook.questionplan import allowed, check, from_text, questions
from playbook.rules.notes import QUESTION_FIELDS
from playbook.sheets import columns


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_open_question_of_the_playbook_is_asked_with_why(knowledge, language):
    asked = {q.path: q for q in questions(knowledge, language)}
    assert set(QUESTION_FIELDS) <= set(asked)  # so --resume can ask every open question
    assert set(asked) - {"presence.networks.followers"} <= set(columns())
    for question in asked.values():
        assert question.text.strip() and question.why.strip(), question.path
    assert asked["company.market"].choices[0] == (
        "b2c", "particuliers (B2C)" if language == "fr" else "consumers (B2C)")


def test_conditions_ask_only_when_an_answer_allows_it(knowledge):
    trained = next(q for q in questions(knowledge, "en") if q.path == "staffing.training_budget")
    assert allowed(trained, {})  # unknown: worth asking
    assert allowed(trained, {"staffing": {"interested_person": True, "trained": False}})
    assert not allowed(trained, {"staffing": {"interested_person": False}})
    assert not allowed(trained, {"staffing": {"interested_person": True, "trained": True}})


@pytest.mark.parametrize("path, typed, field, value", [
    ("company.employees", "douze", "company.employees", "'douze'"),
    ("company.employees", "-3", "company.employees", "-3"),
    ("staffing.monthly_budget_eur", "lots", "staffing.monthly_budget_eur", "'lots'"),
    ("company.values", "x" * 61, "company.values[0]", None),
])
def test_a_wrong_answer_gets_the_message_validate_prints(runner, tmp_path, knowledge,
                                                          path, typed, field, value):
    question = next(q for q in questions(knowledge, "en") if q.path == path)
    answer, problem = check(question, from_text(question, typed), knowledge)
    assert answer is None
    section, name = path.split(".")
    raw = from_text(question, typed)
    (tmp_path / "p.yaml").write_text(f"company: {{name: X}}\n{section}:\n  {name}: {raw!r}\n"
                                     if section != "company" else
                                     f"company: {{name: X, {name}: {raw!r}}}\n", encoding="utf-8")
    printed = runner.invoke(main, ["validate", str(tmp_path / "p.yaml")]).output
    assert problem.startswith(f"{field}: ")
    assert problem in printed, (problem, printed)
    if value:
        assert value in problem


def test_typed_answers_are_read_leniently(knowledge):
    by_path = {q.path: q for q in questions(knowledge, "fr")}
    assert check(by_path["staffing.monthly_budget_eur"],
                 from_text(by_path["staffing.monthly_budget_eur"], "1 200 €"), knowledge) == (1200, None)
    assert check(by_path["company.values"], from_text(by_path["company.values"], "local,  bio ,"),
                 knowledge) == (["local", "bio"], None)
