"""`playbook init`: the interview, driven in a pseudo-terminal as a user would.

pexpect starts the real command in a pty, waits for each question and types: text,
arrow keys, space to tick, Enter, "<" to go back, Ctrl-C. The file it leaves is then
read and validated like any profile. POSIX only (pexpect); the checks that need no
terminal run everywhere through click's CliRunner.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from playbook.cli import main

pexpect = pytest.importorskip("pexpect") if sys.platform != "win32" else None
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty")

UP, DOWN, ENTER, SPACE, CTRL_C, ERASE = "\x1b[A", "\x1b[B", "\r", " ", "\x03", "\x7f"
PLAYBOOK = shutil.which("playbook", path=str(Path(sys.executable).parent)) or "playbook"


class Session:
    """One `playbook init` in a pty, with a transcript of what the user saw."""

    def __init__(self, cwd: Path, *args: str):
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", NO_COLOR="1")
        self.child = pexpect.spawn(sys.executable, ["-m", "playbook", "init", *args], cwd=str(cwd),
                                   env=env, encoding="utf-8", timeout=20, dimensions=(50, 220))
        self.seen = ""

    def ask(self, question: str, *keys: str) -> None:
        """Wait for a question, then press the keys."""
        self.child.expect_exact(question)
        self.seen += self.child.before + self.child.after
        for key in keys:
            self.child.send(key)

    def type(self, question: str, text: str) -> None:
        self.ask(question, text, ENTER)

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)
        self.seen += self.child.before + self.child.after

    def enter_until(self, end: str, limit: int = 60) -> int:
        """Press Enter (don't know / skip) at every question until `end` shows."""
        for count in range(limit):
            index = self.child.expect_exact([end, "Pourquoi cette question", "Why we ask"])
            self.seen += self.child.before + self.child.after
            if index == 0:
                return count
            self.child.send(ENTER)  # the prompt is being drawn: its input waits in the pty
        raise AssertionError("the interview did not end")

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.seen += self.child.before
        self.child.close()
        return self.child.exitstatus


def test_an_interview_in_french_writes_a_commented_valid_profile(runner, tmp_path):
    s = Session(tmp_path, "--lang", "fr")
    s.type("Quel est le nom de la structure ?", "Boulangerie Duval")
    s.expect("enregistrées dans")
    s.type("Quel est votre secteur d'activité ?", "alimentaire")
    s.ask("Que fait la structure", ENTER)  # skipped: unknown
    s.type("Combien de personnes travaillent", "douze")
    s.expect("company.employees: expected a whole number, got 'douze'")  # as validate says it
    s.child.send(ERASE * 5 + "12" + ENTER)
    s.ask("Vendez-vous aux particuliers", UP * 4, ENTER)  # from "Je ne sais pas" up to B2C
    s.type("Où la structure exerce-t-elle", "<")  # back to the market...
    s.ask("Vendez-vous aux particuliers", ENTER)  # ...shown with its answer: keep it
    s.type("Où la structure exerce-t-elle", "Alsace")
    s.type("Quelles valeurs", "artisanal, local")
    s.ask("Quelle est l'histoire", ENTER)
    s.ask("Quel est le site web", ENTER)
    s.ask("Votre image de marque est-elle", UP * 2, ENTER)  # yes
    s.ask("Menez-vous une politique", UP, ENTER)  # no
    s.ask("Votre activité exige-t-elle", ENTER)  # don't know
    s.ask("Voyez-vous les réseaux sociaux uniquement", UP, ENTER)  # no
    s.ask("Quelqu'un dans l'équipe souhaite-t-il", UP, ENTER)  # no: the next two are not asked
    s.ask("Existe-t-il un budget pour une agence", UP * 2, ENTER)  # yes
    s.type("Quel budget mensuel", "300")
    s.ask("Qu'attendez-vous des réseaux sociaux ?", SPACE, DOWN, SPACE, ENTER)  # notoriété, ventes
    s.ask("Qui voulez-vous toucher ?", ENTER)  # nothing ticked: unknown
    s.ask("Quels comptes détenez-vous", SPACE, ENTER)  # Facebook
    s.type("Combien d'abonnés sur Facebook ?", "800")
    s.enter_until("Les décisions tirées de ces réponses")
    s.expect("playbook render")
    assert s.finish() == 0

    asked = s.seen.split("Les décisions tirées")[0]
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", asked)  # what the screen shows
    # why we ask, on the line under its question
    assert re.search(r"concurrentiel décisif \?\n+  Pourquoi cette question : Un seul critère "
                     "stratégique suffit", plain)
    assert "== Qui anime votre présence sociale ==" in asked
    assert "Cette personne peut-elle y consacrer du temps" not in asked  # nobody wants the role
    assert "Staffing: pair, keep control" in s.seen  # explain, after the interview
    path = tmp_path / "boulangerie-duval.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# Combien de personnes travaillent dans votre structure ?\n  employees: 12" in text
    assert text.index("version:") < text.index("language:") < text.index("company:") \
        < text.index("strategy:") < text.index("presence:")
    data = yaml.safe_load(text)
    assert data["language"] == "fr"
    assert data["company"] == {"name": "Boulangerie Duval", "sector": "alimentaire",
                               "description": None, "employees": 12, "market": "b2c",
                               "region": "Alsace", "values": ["artisanal", "local"],
                               "story": None, "website": None}
    assert data["strategy"] == {"brand_image_key": True, "digital_transformation": False,
                                "web_core_business": None, "seo_only": False}
    assert data["staffing"] == {"interested_person": False, "external_budget": True,
                                "monthly_budget_eur": 300}
    assert data["goals"] == ["awareness", "sales"] and data["audiences"] is None
    assert data["presence"]["networks"] == [{"platform": "facebook", "followers": 800}]
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_ctrl_c_leaves_a_valid_partial_profile_that_resume_completes(runner, tmp_path):
    s = Session(tmp_path, "--lang", "en")
    s.type("What is the organisation's name?", "Atelier Roux")
    s.type("What is your sector of activity?", "furniture")
    s.ask("What does the organisation do", CTRL_C)
    s.expect("Interrupted: the answers so far are saved in")
    assert s.finish() == 130
    path = tmp_path / "atelier-roux.yaml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["company"] == {
        "name": "Atelier Roux", "sector": "furniture"}
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0

    # resume asks only the playbook's open questions: not the name, not the sector
    s = Session(tmp_path, "--resume", str(path))
    s.expect("Why we ask")
    assert "What is the organisation's name?" not in s.seen
    s.child.send(ENTER)
    s.enter_until("Render the playbook with:")
    assert s.finish() == 0
    assert "Atelier Roux" in path.read_text(encoding="utf-8")


def test_interrupting_before_the_name_writes_nothing(tmp_path):
    s = Session(tmp_path, "--lang", "en")
    s.ask("What is the organisation's name?", CTRL_C)
    s.expect("nothing was written")
    assert s.finish() == 130
    assert list(tmp_path.iterdir()) == []


def test_resume_keeps_other_answers_comments_and_order(runner, tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("""\
# Notes from the first meeting, 12 November.
company:
  name: Verdi Snacks   # the brand, not the holding
  employees: 40
language: en
version: 1
staffing:
  interested_person: false   # nobody, said the manager
  external_budget: true
  monthly_budget_eur: 800
strategy: {brand_image_key: true, digital_transformation: false, web_core_business: false, seo_only: false}
goals: [sales]
audiences: [customers]
organization:
  single_contact: true
  contact_understands_social: true
  management_support: true
  activity_complexity: low
  time_for_project: true
  departments: [sales]
  communications_director: false
  sensitive_topics: true
presence:
  blog: false
  networks: []
  wants_data_ownership: false
  content_resources: true
""", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    s = Session(tmp_path, "--resume", str(path))
    s.type("What is your sector of activity?", "snacks")
    s.ask("Do you sell to consumers, to businesses", UP * 3, ENTER)  # b2b
    s.ask("Is there a budget to promote a new medium", UP * 2, ENTER)  # yes
    s.expect("Render the playbook with:")
    assert s.finish() == 0
    assert "Is there someone on the team" not in s.seen  # answered: not asked again
    after = path.read_text(encoding="utf-8")
    # every line of the old file is still there, in the same order
    old_lines = [line for line in before.splitlines()]
    positions = [after.splitlines().index(line) for line in old_lines]
    assert positions == sorted(positions)
    assert "  # Do you sell to consumers, to businesses, to both, or are you a public service?\n" \
           "  market: b2b" in after
    data = yaml.safe_load(after)
    assert data["company"]["sector"] == "snacks" and data["presence"]["media_budget"] is True
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0


def test_the_language_is_asked_first_without_lang(tmp_path):
    s = Session(tmp_path)
    s.ask("Language of the playbook / Langue du guide", UP, ENTER)  # from English up to French
    s.ask("Quel est le nom de la structure ?", CTRL_C)
    assert s.finish() == 130


def test_without_a_terminal_init_points_to_the_questionnaire(runner, tmp_path):
    result = runner.invoke(main, ["init", str(tmp_path / "p.yaml"), "--lang", "en"])
    assert result.exit_code == 2
    assert "needs an interactive terminal" in result.output
    assert "playbook questionnaire" in result.output
    assert not (tmp_path / "p.yaml").exists()


def test_resume_needs_a_profile_and_an_existing_file_is_not_replaced(runner, tmp_path,
                                                                     monkeypatch):
    result = runner.invoke(main, ["init", "--resume"])
    assert result.exit_code == 2 and "--resume needs the PROFILE" in result.output
    existing = tmp_path / "p.yaml"
    existing.write_text("company: {name: Mine}\n", encoding="utf-8")
    monkeypatch.setattr("playbook.cli_profile._has_terminal", lambda: True)
    result = runner.invoke(main, ["init", str(existing), "--lang", "en"])
    assert result.exit_code == 1
    assert f"{existing}: already exists; complete it with playbook init --resume" in result.output
    assert existing.read_text(encoding="utf-8") == "company: {name: Mine}\n"
