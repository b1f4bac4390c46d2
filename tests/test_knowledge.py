"""The knowledge files: complete in both languages, consistent, and actually used."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, TODAY

from playbook.build import Builder
from playbook.knowledge import LANGUAGES, placeholders


def test_every_text_exists_in_both_languages_with_the_same_placeholders(knowledge):
    assert len(knowledge.messages) > 400
    for code, texts in knowledge.messages.items():
        assert set(texts) == set(LANGUAGES), code
        assert all(texts[lang].strip() for lang in LANGUAGES), code
        assert placeholders(texts["en"]) == placeholders(texts["fr"]), code


def test_platform_fits_are_numbers_between_zero_and_one(knowledge):
    for platform in knowledge.platforms.values():
        for table in (platform.markets, platform.goals, platform.audiences):
            assert all(0 <= float(v) <= 1 for v in table.values()), platform.id
        assert knowledge.messages.get(f"platforms.{platform.id}.role.default"), platform.id


def test_a_platforms_french_name_starts_with_its_brand(knowledge):
    """The texts say « Sur {platform} : » and « sur Facebook, TikTok et {platform} »: a
    French name that starts with a common noun (« Chaînes WhatsApp ») would need an
    article there. Each starts with a word of its English name, the brand."""
    for platform in knowledge.platforms.values():
        names = knowledge.messages[f"platforms.{platform.id}.name"]
        assert names["fr"].split()[0] in names["en"].split(), names


@pytest.fixture(scope="module")
def builder():
    return Builder()


def english_phrases(knowledge) -> list[str]:
    """English texts long enough to be recognisable and different from their French."""
    return [t["en"] for t in knowledge.messages.values()
            if len(t["en"]) > 25 and t["en"] != t["fr"] and "{" not in t["en"]]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_no_untranslated_fragments(builder, knowledge, sample):
    """A French playbook holds no English sentence of the catalogue, and no placeholder."""
    loaded = builder.load(sample)
    french = builder.build(loaded, "fr", TODAY).markdown
    english = builder.build(loaded, "en", TODAY).markdown
    for phrase in english_phrases(knowledge):
        assert phrase not in french, phrase
    for text in (french, english):
        body = text.split("\n---\n", 1)[1]  # the front matter's page_label is for the writer
        assert not re.search(r"\{[a-z_]+\}|\{count\?", body)  # no unfilled placeholder
        assert not re.search(r"\bNone\b(?! of)(?!: )", text)  # no Python None leaking
    # the fixed prose of the templates is translated too
    assert "Executive summary" in english and "Synthèse" in french
    assert "Executive summary" not in french and "Synthèse" not in english


def test_plural_forms_follow_a_number_or_the_length_of_a_list(knowledge):
    en, fr = knowledge.texts("en"), knowledge.texts("fr")
    assert en.get("networks.reason.goals", goals=("sales",)) == "It serves your goal: sales."
    assert en.get("networks.reason.goals", goals=("sales", "awareness")) == \
        "It serves your goals: sales and awareness."
    assert "animer qu'un réseau :" in fr.get("networks.skip.capacity", capacity=1)
    assert "animer que 3 réseaux :" in fr.get("networks.skip.capacity", capacity=3)
