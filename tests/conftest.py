"""Shared fixtures: the built-in knowledge, profile builders, the CLI runner."""

from __future__ import annotations

import copy
import datetime
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.knowledge import load_knowledge
from playbook.paths import search_path
from playbook.profile import validate_data
from playbook.rules import decide

# The tests (and the commands they start) keep the knowledge cache to themselves.
os.environ["PLAYBOOK_CACHE_DIR"] = tempfile.mkdtemp(prefix="playbook-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
SAMPLES = sorted(p for p in PROFILES.iterdir() if p.suffix in (".yaml", ".toml", ".json"))
TODAY = datetime.date(2026, 11, 22)

# A profile with every answer given, chosen so that no rule fires by accident:
# tests change one answer at a time and look at the decision.
BASE = {
    "version": 1,
    "language": "en",
    "company": {"name": "Test Co", "sector": "furniture", "employees": 30, "market": "b2c",
                "values": ["craft"]},
    "goals": ["awareness"],
    "audiences": ["customers"],
    "strategy": {"brand_image_key": False, "digital_transformation": False,
                 "web_core_business": False, "seo_only": False},
    "staffing": {"interested_person": True, "time_available": True, "trained": True,
                 "training_budget": True, "external_budget": False, "monthly_budget_eur": 500},
    "organization": {"single_contact": True, "contact_understands_social": True,
                     "management_support": True, "activity_complexity": "low",
                     "time_for_project": True,
                     "departments": ["communication", "marketing", "sales", "customer_service"],
                     "communications_director": False, "sensitive_topics": False},
    "presence": {"blog": False, "networks": [], "wants_data_ownership": False,
                 "content_resources": True, "media_budget": False},
}


@pytest.fixture(scope="session")
def knowledge():
    return load_knowledge(search_path())


def merged(changes: dict, base: dict = BASE) -> dict:
    """BASE with `changes` applied; a value of None removes the field (unknown)."""
    out = copy.deepcopy(base)
    for dotted, value in changes.items():
        target = out
        parts = dotted.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        if value is None:
            target.pop(parts[-1], None)
        else:
            target[parts[-1]] = value
    return out


@pytest.fixture
def profile_of(knowledge):
    """profile_of({"staffing.trained": False}) -> a validated Profile."""
    def build(changes: dict | None = None, base: dict = BASE):
        loaded = validate_data(merged(changes or {}, base), "test.yaml",
                               knowledge.accepted_ids, knowledge.aliases,
                               choices=knowledge.profile_choices)
        return loaded.profile
    return build


@pytest.fixture
def decide_for(knowledge, profile_of):
    """decide_for({"strategy.seo_only": True}) -> Decisions."""
    def run(changes: dict | None = None, base: dict = BASE):
        return decide(profile_of(changes, base), knowledge, TODAY)
    return run


@pytest.fixture
def runner():
    return CliRunner()


def codes(messages) -> list[str]:
    return [m.code for m in messages]
