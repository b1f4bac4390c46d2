"""The organisation model (issue 10): kind, size, people, departments, budget, decider."""

from __future__ import annotations

import pytest
from conftest import TODAY

from playbook.rules.organization import describe


@pytest.fixture
def org_of(profile_of, knowledge):
    return lambda changes: describe(profile_of(changes), knowledge, TODAY.year)


@pytest.mark.parametrize("sector, market, kind", [
    ("association de sauvegarde du patrimoine", "public", "association"),
    ("collectivité territoriale", "public", "public_body"),
    ("cabinet d'avocats", "b2c", "professional_firm"),
    ("clinique vétérinaire", None, "professional_firm"),
    ("boulangerie", "b2c", "company"),
    ("water supply", "public", "public_body"),  # a public market, no keyword
])
def test_kind_is_guessed_from_the_sector_then_the_market(org_of, sector, market, kind):
    org = org_of({"company.sector": sector, "company.market": market})
    assert org.kind == kind and not org.kind_given


def test_a_given_kind_wins_over_the_guess(org_of):
    org = org_of({"company.sector": "cabinet d'avocats", "company.kind": "company"})
    assert org.kind == "company" and org.kind_given


def test_people_budget_and_decider(org_of):
    charity = org_of({"company.kind": "association", "company.employees": 0,
                      "staffing.monthly_budget_eur": 0, "staffing.external_budget": False})
    assert charity.volunteers and charity.zero_budget and charity.decider == "board"
    solo = org_of({"company.employees": 0})
    assert solo.people == "owners" and not solo.volunteers
    # a zero monthly budget with a provider budget is a contradiction, not "no money"
    assert org_of({"staffing.monthly_budget_eur": 0,
                   "staffing.external_budget": True}).budget == "known"
    assert org_of({"staffing.monthly_budget_eur": None}).budget == "unknown"
    assert org_of({"company.employees": 12}).decider == "manager"
    assert org_of({"company.employees": 400}).decider == "executive"


def test_expected_departments_depend_on_kind_and_size(org_of):
    assert org_of({"company.employees": 12}).expected_departments == ()
    assert set(org_of({"company.employees": 120}).expected_departments) == {
        "communication", "marketing", "customer_service", "sales"}
    assert org_of({"company.kind": "association", "company.employees": 300}) \
        .expected_departments == ()
    assert org_of({"organization.departments": None}).departments is None


def test_young_organisations_and_the_largest_active_audience(org_of):
    assert org_of({"company.founded": 2024}).young
    assert not org_of({"company.founded": 1952}).young
    org = org_of({"presence.networks": [
        {"platform": "facebook", "followers": 800, "active": True},
        {"platform": "x", "followers": 15000, "active": True},
        {"platform": "instagram", "followers": 30000, "active": False}]})
    assert org.largest_active_audience.platform == "x"
