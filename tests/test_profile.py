"""Loading profiles: three formats, one model, and clear errors for every mistake."""

from __future__ import annotations

import json

import pytest

from playbook.errors import ProfileError
from playbook.profile import load_profile

YAML_OK = """\
company:
  name: Atelier Rose
  employees: 3
goals: [awareness]
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path, knowledge, name, text) -> list[str]:
    with pytest.raises(ProfileError) as info:
        load_profile(write(tmp_path, name, text), knowledge)
    return [str(p) for p in info.value.problems]


def test_same_profile_in_yaml_toml_json_gives_the_same_model(tmp_path, knowledge):
    data = {"company": {"name": "Atelier Rose", "employees": 3}, "goals": ["awareness"],
            "presence": {"networks": [{"platform": "twitter", "followers": 5}]}}
    toml = ('goals = ["awareness"]\n[company]\nname = "Atelier Rose"\nemployees = 3\n'
            '[[presence.networks]]\nplatform = "twitter"\nfollowers = 5\n')
    yaml = ("company: {name: Atelier Rose, employees: 3}\ngoals: [awareness]\n"
            "presence:\n  networks:\n    - {platform: twitter, followers: 5}\n")
    models = {load_profile(write(tmp_path, f"p.{ext}", text), knowledge).profile
              for ext, text in (("json", json.dumps(data)), ("toml", toml), ("yaml", yaml))}
    assert len(models) == 1
    (model,) = models
    assert model.presence.networks[0].platform == "x"
    assert model.staffing is None  # absent section: unknown, not false


def test_unknown_key_is_an_error_with_a_suggestion_and_a_line(tmp_path, knowledge):
    found = problems(tmp_path, knowledge, "p.yaml", "company:\n  name: X\n  employes: 3\n")
    assert found == [f"{tmp_path / 'p.yaml'}:3:3: company.employes: unknown field "
                     "(did you mean 'employees'?); expected one of: name, sector, description, "
                     "employees, market, region, values, story, website, kind, founded, "
                     "sector_id, target_regions"]


def test_near_miss_platform_gets_did_you_mean(tmp_path, knowledge):
    text = "company: {name: X}\npresence:\n  networks:\n    - platform: linkdin\n"
    (message,) = problems(tmp_path, knowledge, "p.yaml", text)
    assert ":4:7: presence.networks[0].platform: unknown value 'linkdin' (did you mean " \
           "'linkedin'?)" in message


def test_every_problem_is_listed_at_once(tmp_path, knowledge):
    text = ("company:\n  employees: -4\n  market: b2cc\ngoals: [awarness]\n"
            "organization:\n  departments: [markting]\n  single_contact: maybe\n")
    found = problems(tmp_path, knowledge, "p.yaml", text)
    joined = "\n".join(found)
    assert "company.employees: must be at least 0, got -4" in joined
    assert "company.market: unknown value 'b2cc' (did you mean 'b2c'?)" in joined
    assert "goals[0]: unknown value 'awarness' (did you mean 'awareness'?)" in joined
    assert "organization.departments[0]: unknown value 'markting' (did you mean 'marketing'?)" \
        in joined
    assert "organization.single_contact: expected true or false" in joined
    assert "company.name: is required but missing" in joined
    assert len(found) == 6


@pytest.mark.parametrize("name, text, expected", [
    ("p.yaml", "", "the file is empty"),
    ("p.yaml", "   \n# only a comment\n", "the file is empty"),
    ("p.yaml", "- a\n- b\n", "expected a mapping of fields at the top level"),
    ("p.json", "[1, 2]", "expected a mapping of fields at the top level"),
    ("p.yaml", "company: [unclosed\n", "invalid YAML"),
    ("p.toml", "company = {name = \n", "invalid TOML"),
    ("p.json", '{"company": {"name": "X",}}', "invalid JSON"),
    ("p.yaml", "company: {name: ''}\n", "company.name: must not be empty"),
    ("p.yaml", "company: {name: X, employees: lots}\n", "expected a whole number"),
    ("p.yaml", "company: {name: X}\nlanguage: de\n", "unknown value 'de'"),
    ("p.yaml", "company: {name: !!python/object:os.system x}\n", "invalid YAML value"),
    ("p.txt", "company: {name: X}\n", "unknown file type '.txt'"),
    ("p.yaml", "company: {name: X}\ncompany: {name: Y}\n", "duplicate key"),
    ("p.json", '{"company": {"name": "X", "name": "Y"}}', "duplicate key"),
    ("p.toml", '[company]\nname = "X"\nname = "Y"\n', "duplicate key"),
])
def test_bad_files_give_one_clear_message(tmp_path, knowledge, name, text, expected):
    found = problems(tmp_path, knowledge, name, text)
    assert any(expected in p for p in found), found
    assert all(p.startswith(str(tmp_path / name)) for p in found)


def test_malformed_formats_carry_line_and_column(tmp_path, knowledge):
    (yaml_error,) = problems(tmp_path, knowledge, "p.yaml", "company:\n  name: [x\n  y: 1\n")
    assert yaml_error.startswith(f"{tmp_path / 'p.yaml'}:3:")
    (json_error,) = problems(tmp_path, knowledge, "p.json", '{\n "company": }\n')
    assert json_error.startswith(f"{tmp_path / 'p.json'}:2:13: invalid JSON")
    (toml_error,) = problems(tmp_path, knowledge, "p.toml", '[company]\nname = \n')
    assert toml_error.startswith(f"{tmp_path / 'p.toml'}:2:")


def test_missing_file(tmp_path, knowledge):
    with pytest.raises(ProfileError, match="file not found"):
        load_profile(tmp_path / "nope.yaml", knowledge)


def test_billion_laughs_is_refused_quickly(tmp_path, knowledge):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("company: {name: X, values: *a11}")
    found = problems(tmp_path, knowledge, "bomb.yaml", "\n".join(lines) + "\n")
    assert "anchors and aliases" in found[0]


def test_oversized_file_is_refused(tmp_path, knowledge):
    found = problems(tmp_path, knowledge, "big.yaml", "company: {name: X}\n" + "#" * 2_200_000)
    assert "file is too large" in found[0]


@pytest.mark.parametrize("name, text", [
    ("deep.json", '{"company": {"name": "X"}, "v": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ("deep.yaml", "company: {name: X}\nvalues: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    ("deep.toml", 'company = {name = "X"}\nv = ' + "[" * 100_000 + "]" * 100_000 + "\n"),
])
def test_deep_nesting_is_refused_without_crashing(tmp_path, knowledge, name, text):
    """libyaml's composer used to kill the process (segfault) on 100,000 levels."""
    (message,) = problems(tmp_path, knowledge, name, text)
    assert "is nested too deeply (at most 32 levels)" in message


def test_deep_block_nesting_is_refused_with_the_documented_message(tmp_path, knowledge):
    """Indentation, not brackets: 1,200 levels, past libyaml's own limit of 1,000."""
    text = "company: {name: X}\nv:\n" + "".join(" " * i + "- \n" for i in range(1, 1200))
    (message,) = problems(tmp_path, knowledge, "deep.yaml", text)
    assert "is nested too deeply (at most 32 levels)" in message


@pytest.mark.parametrize("name, module, function, refusal", [
    ("deep.json", "json", "loads", lambda: __import__("json").JSONDecodeError("depth", "", 0)),
    ("deep.toml", "tomllib", "loads", lambda: __import__("tomllib").TOMLDecodeError("limit")),
])
def test_a_parser_refusing_deep_nesting_in_its_own_words_gives_our_message(
        tmp_path, knowledge, monkeypatch, name, module, function, refusal):
    """A future parser release may stop deep input itself, with any wording: the user
    still reads the message that docs/errors.md documents."""
    def refuse(*args, **kwargs):
        raise refusal()

    monkeypatch.setattr(__import__(module), function, refuse)
    text = {"deep.json": '{"company": {"name": "X"}, "v": ' + "[" * 40 + "]" * 40 + "}",
            "deep.toml": 'company = {name = "X"}\nv = ' + "[" * 40 + "]" * 40 + "\n"}[name]
    (message,) = problems(tmp_path, knowledge, name, text)
    assert message.endswith("is nested too deeply (at most 32 levels)")


def test_a_syntax_error_in_shallow_text_keeps_its_own_message(tmp_path, knowledge):
    (message,) = problems(tmp_path, knowledge, "p.json", '{"company": {"name": "X"}, "v": [[[1]}')
    assert "invalid JSON" in message and "nested too deeply" not in message


def test_control_characters_are_removed_with_a_warning(tmp_path, knowledge):
    path = write(tmp_path, "p.json", json.dumps({"company": {"name": "Bad\u0007 Name\u0000",
                                                            "story": "Line\u000bbreak"}}))
    loaded = load_profile(path, knowledge)
    assert loaded.profile.company.name == "Bad Name"
    assert loaded.profile.company.story == "Linebreak"
    assert [w.field for w in loaded.warnings] == ["company.name", "company.story"]
    assert "control character" in str(loaded.warnings[0])


def test_numbers_are_accepted_as_names(tmp_path, knowledge):
    loaded = load_profile(write(tmp_path, "p.yaml", "company: {name: 1984}\n"), knowledge)
    assert loaded.profile.company.name == "1984"


def test_yes_no_in_a_text_field_asks_for_quotes(tmp_path, knowledge):
    (message,) = problems(tmp_path, knowledge, "p.yaml", "company: {name: yes}\n")
    assert "put it in quotes" in message


def test_huge_strings_are_refused_with_the_limit(tmp_path, knowledge):
    (message,) = problems(tmp_path, knowledge, "p.yaml", "company: {name: " + "x" * 500 + "}\n")
    assert "company.name: is too long (500 characters, at most 120)" in message


def test_clean_text_removes_what_word_cannot_store_and_nothing_else():
    # clean_text's two passes remove exactly what the single class it replaced did,
    # over every code point and with text around (boundaries: \x08 \x09 \x7e \x85 \xa0
    # U+D7FF U+D800 U+DFFF U+E000 U+FFFD U+FFFE U+10000)
    import re

    from playbook.schema import clean_text

    original = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
    everything = "".join(map(chr, range(0x110000)))
    assert clean_text(everything) == original.subn("", everything)
    for char in map(chr, (0x8, 0x9, 0x7E, 0x7F, 0x85, 0xA0, 0xD7FF, 0xD800, 0xDFFF, 0xE000,
                          0xFFFD, 0xFFFE, 0xFFFF, 0x10000)):
        for text in (char, f"é{char}x", f"a{char}"):
            assert clean_text(text) == original.subn("", text)
