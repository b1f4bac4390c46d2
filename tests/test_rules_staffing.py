"""Staffing rules, DOMAIN.md section 1. Each test names the seed article it comes from."""

from __future__ import annotations

from conftest import codes


def test_001_any_one_strategic_criterion_makes_it_strategic_and_keeps_control(decide_for):
    """001: three criteria, one is enough; if strategic, keep control whatever the model."""
    for criterion in ("brand_image_key", "digital_transformation", "web_core_business"):
        staffing = decide_for({f"strategy.{criterion}": True}).staffing
        assert staffing.keep_control is True, criterion
        assert staffing.strategic_criteria == (criterion,)
        assert "staffing.reason.strategic" in codes(staffing.reasons)
        assert len(staffing.keep_control_rules) == 5


def test_001_no_criterion_means_no_keep_control(decide_for):
    staffing = decide_for().staffing
    assert staffing.keep_control is False
    assert staffing.keep_control_rules == ()


def test_001_seo_only_without_strategic_criterion_is_an_seo_addon(decide_for):
    """001: social media as an SEO add-on -> a junior or the SEO provider handles it."""
    staffing = decide_for({"strategy.seo_only": True}).staffing
    assert staffing.model == "seo_addon"
    assert staffing.keep_control is False
    assert "staffing.reason.not_strategic" in codes(staffing.reasons)
    assert "staffing.change.becomes_strategic" in codes(staffing.changes)


def test_001_strategic_wins_over_seo_only_and_the_contradiction_is_pointed_out(decide_for):
    decisions = decide_for({"strategy.seo_only": True, "strategy.web_core_business": True})
    assert decisions.staffing.model != "seo_addon"
    assert decisions.staffing.keep_control is True
    assert "staffing.reason.seo_only_overridden" in codes(decisions.staffing.reasons)
    assert "warnings.seo_contradiction" in codes(decisions.warnings)
    assert decisions.staffing.confidence == "medium"  # a contradiction caps confidence


def test_004_internal_when_interested_with_time_and_trained(decide_for):
    """004: the four questions; internal if possible."""
    staffing = decide_for().staffing
    assert staffing.model == "internal"
    assert "staffing.reason.internal_ready" in codes(staffing.reasons)
    assert staffing.confidence == "high"


def test_004_not_trained_but_training_budget_is_still_internal_with_training(decide_for):
    staffing = decide_for({"staffing.trained": False, "staffing.training_budget": True,
                           "staffing.external_budget": True}).staffing
    assert staffing.model == "internal"
    assert "staffing.reason.train_first" in codes(staffing.reasons)
    assert "staffing.risk.inexperience" in [r.risk.code for r in staffing.risks]


def test_004_no_internal_resource_with_budget_gives_an_internal_external_pair(decide_for):
    """004: resource missing internally + budget -> the pair ("doublette")."""
    staffing = decide_for({"staffing.trained": False, "staffing.training_budget": False,
                           "staffing.external_budget": True}).staffing
    assert staffing.model == "pair"
    assert "staffing.reason.not_trained_no_budget" in codes(staffing.reasons)
    assert "staffing.reason.pair" in codes(staffing.reasons)


def test_004_nobody_inside_and_budget_gives_an_external_provider(decide_for):
    """004: otherwise external."""
    staffing = decide_for({"staffing.interested_person": False, "staffing.time_available": False,
                           "staffing.external_budget": True}).staffing
    assert staffing.model == "external"
    assert "staffing.reason.no_interested_person" in codes(staffing.reasons)
    assert "staffing.risk.dependency" in [r.risk.code for r in staffing.risks]


def test_001_strategic_company_with_nobody_inside_still_keeps_an_internal_owner(decide_for):
    """001: keep control: the pair keeps an internal owner even when nobody wants the role."""
    staffing = decide_for({"strategy.brand_image_key": True,
                           "staffing.interested_person": False, "staffing.time_available": False,
                           "staffing.external_budget": True}).staffing
    assert staffing.model == "pair"
    assert "staffing.reason.pair_keeps_control" in codes(staffing.reasons)
    assert "staffing.risk.drift" in [r.risk.code for r in staffing.risks]


def test_003_no_resource_and_no_budget_starts_small_internally(decide_for):
    """003: small structures often cannot fund a post -> internal, narrow scope."""
    staffing = decide_for({"company.employees": 8, "staffing.interested_person": False,
                           "staffing.external_budget": False}).staffing
    assert staffing.model == "internal"
    assert "staffing.reason.no_external_budget" in codes(staffing.reasons)
    assert "staffing.reason.small_structure" in codes(staffing.reasons)
    assert "staffing.change.budget_found" in codes(staffing.changes)


def test_002_outside_expert_brings_distance_in_a_crisis(decide_for):
    """002: distance helps with sensitive topics and crisis handling."""
    staffing = decide_for({"organization.sensitive_topics": True,
                           "staffing.interested_person": False, "staffing.time_available": False,
                           "staffing.external_budget": True}).staffing
    assert "staffing.reason.crisis_distance" in codes(staffing.reasons)


def test_002_internal_in_a_sensitive_sector_gets_an_outside_crisis_adviser(decide_for):
    # (with a budget for one: without it, see the test on outside help below)
    staffing = decide_for({"organization.sensitive_topics": True,
                           "staffing.external_budget": True}).staffing
    assert staffing.model == "internal"
    assert "staffing.mitigation.crisis_too_close" in [r.mitigation.code for r in staffing.risks]


def test_002_inside_the_walls_is_no_guarantee_of_information_in_large_structures(decide_for):
    """002 (comments): being internal does not guarantee access to information."""
    large = decide_for({"company.employees": 900}).staffing
    small = decide_for({"company.employees": 9}).staffing
    assert "staffing.risk.walls" in [r.risk.code for r in large.risks]
    assert "staffing.risk.walls" not in [r.risk.code for r in small.risks]


def test_000_internal_cm_knows_the_company_external_brings_skills(decide_for):
    """000: strengths of an internal and of an external community manager."""
    internal = decide_for({"staffing.external_budget": True}).staffing
    assert "staffing.reason.internal_knows_company" in codes(internal.reasons)
    pair = decide_for({"staffing.trained": False, "staffing.training_budget": False,
                       "staffing.external_budget": True}).staffing
    assert "staffing.reason.outside_skills" in codes(pair.reasons)
    assert "staffing.risk.legitimacy" in [r.risk.code for r in pair.risks]


def test_unknown_answers_are_not_read_as_no_and_lower_confidence(decide_for):
    """A missing answer is unknown, never false (PROFILE.md)."""
    staffing = decide_for({"staffing.interested_person": None, "staffing.trained": None,
                           "staffing.training_budget": None}).staffing
    assert "staffing.reason.no_interested_person" not in codes(staffing.reasons)
    assert "staffing.reason.internal_unconfirmed" in codes(staffing.reasons)
    assert staffing.confidence == "low"
    assert set(staffing.unknowns) == {"staffing.interested_person", "staffing.trained",
                                      "staffing.training_budget"}


def test_one_unknown_answer_gives_medium_confidence(decide_for):
    assert decide_for({"staffing.external_budget": None}).staffing.confidence == "medium"


def test_every_model_has_risks_with_mitigations_and_what_would_change(decide_for):
    cases = {
        "internal": {},
        "pair": {"staffing.trained": False, "staffing.training_budget": False,
                 "staffing.external_budget": True},
        "external": {"staffing.interested_person": False, "staffing.time_available": False,
                     "staffing.external_budget": True},
        "seo_addon": {"strategy.seo_only": True},
    }
    for model, changes in cases.items():
        staffing = decide_for(changes).staffing
        assert staffing.model == model
        assert staffing.risks and all(r.mitigation.code.startswith("staffing.mitigation.")
                                      for r in staffing.risks)
        assert staffing.changes


def test_every_reason_names_its_seed(decide_for):
    staffing = decide_for({"strategy.brand_image_key": True}).staffing
    seeded = [m for m in staffing.reasons if m.seed]
    assert {m.seed for m in seeded} >= {"001", "004", "002"}


def test_001_strategic_criteria_make_one_reason_naming_them_all(decide_for):
    staffing = decide_for({"strategy.brand_image_key": True,
                           "strategy.digital_transformation": True}).staffing
    strategic = [r for r in staffing.reasons if r.code == "staffing.reason.strategic"]
    assert len(strategic) == 1
    assert set(strategic[0].params["criteria"]) == {"brand_image_key", "digital_transformation"}


def test_keep_control_says_who_the_long_term_person_is_when_nobody_wants_the_role(decide_for):
    """Issue 10: 'nobody wants the role' next to 'one competent person for the long term'
    is resolved in words."""
    decisions = decide_for({"strategy.brand_image_key": True,
                            "staffing.interested_person": False,
                            "staffing.external_budget": True}).staffing
    assert decisions.keep_control and decisions.model in ("pair", "external")
    rules = [m.code for m in decisions.keep_control_rules]
    assert "staffing.keep_control.long_term_person_expert_first" in rules
    assert "staffing.keep_control.long_term_person" not in rules


def test_003_a_monthly_budget_of_zero_buys_no_provider_even_if_the_budget_answer_is_missing(
        decide_for):
    """Nobody inside and 0 € a month: a pair with a paid expert would be a purchase the
    client cannot make; the role stays internal, and losing the person falls back on the
    trained back-up, not on an expert."""
    broke = decide_for({"staffing.interested_person": False, "staffing.external_budget": None,
                        "staffing.monthly_budget_eur": 0})
    assert broke.staffing.model == "internal"
    changes = [m.code for m in broke.staffing.changes]
    assert "staffing.change.internal_person_leaves_no_budget" in changes
    assert "staffing.change.internal_person_leaves" not in changes


def test_004_when_nobody_wants_the_role_no_person_considered_is_said_untrained(decide_for):
    """Read as the retailer (Maison Duval): 'Nobody on the team wants the role today'
    was followed by 'The person considered is not trained'; with nobody considered, the
    reason says that nobody inside is trained either."""
    def reasons(changes):
        return codes(decide_for({"staffing.trained": False, "staffing.training_budget": False,
                                 "staffing.external_budget": True, **changes}).staffing.reasons)

    nobody = reasons({"staffing.interested_person": False})
    assert "staffing.reason.no_interested_person" in nobody
    assert "staffing.reason.not_trained_no_budget_nobody" in nobody
    assert "staffing.reason.not_trained_no_budget" not in nobody
    assert "staffing.reason.not_trained_no_budget" in reasons({})


def test_001_the_seo_add_on_names_no_junior_when_nobody_inside_can_take_it(decide_for):
    """Read as the six-person garage: nobody wants the role and no time can be freed,
    and 200 euros a month hire no junior; the playbook said 'your SEO provider or a
    junior' throughout. With a paid provider and nobody inside, it names the provider
    only; when someone inside could do it, both stay."""
    from conftest import SAMPLES

    from playbook.build import Builder

    seo = {"strategy.seo_only": True, "staffing.external_budget": True}
    nobody = decide_for({**seo, "staffing.interested_person": False})
    assert "staffing.reason.not_strategic_provider" in codes(nobody.staffing.reasons)
    assert nobody.questions.relevance.code == "checklist.relevance.seo_addon_provider"
    someone = decide_for(seo)
    assert "staffing.reason.not_strategic" in codes(someone.staffing.reasons)
    assert someone.questions.relevance.code == "checklist.relevance.seo_addon"

    builder = Builder()
    garage = next(p for p in SAMPLES if p.stem == "garage-dupont")
    for language, wanted, wrong in (("fr", "Votre prestataire SEO, en complément du référencement",
                                     "junior"),
                                    ("en", "Your SEO provider, as an add-on to search optimisation",
                                     "junior")):
        text = builder.build(builder.load(garage), language).markdown
        assert wanted in text and wrong not in text, language


def test_004_no_budget_for_a_provider_losing_the_person_is_not_met_by_a_paid_pair(decide_for):
    """Read as the bakery and the inter-municipal authority (no budget for an agency or
    a freelance): 'Si la personne part..., passez à un binôme avec un expert externe'
    was a purchase they cannot make, just above 'Si un budget se dégage, ajoutez un
    expert externe'. The trained back-up takes over; with a provider budget (or none
    stated), the pair stays the way out."""
    def changes(external_budget):
        decisions = decide_for({"staffing.external_budget": external_budget}).staffing
        assert decisions.model == "internal"
        return [m.code for m in decisions.changes]

    assert changes(False)[:2] == ["staffing.change.internal_person_leaves_no_budget",
                                  "staffing.change.budget_found"]
    for budget in (True, None):
        assert "staffing.change.internal_person_leaves" in changes(budget), budget


def test_002_004_no_provider_budget_gets_outside_help_it_need_not_buy(decide_for):
    """Read as the bakery and the inter-municipal authority (a training budget, none for
    an agency or a freelance): the risks told them to 'have a seasoned professional
    review the first month' and 'keep an outside crisis adviser on call', and step 8
    again, purchases they cannot make. The trainer reviews the first month; in a crisis
    they know whom to call without a contract. A provider budget keeps the adviser."""
    def read(external_budget):
        d = decide_for({"staffing.trained": False, "staffing.external_budget": external_budget,
                        "organization.sensitive_topics": True})
        assert d.staffing.model == "internal"
        crisis = next(s for s in d.plan if s.key == "crisis")
        return ([r.mitigation.code for r in d.staffing.risks],
                [m.code for m in crisis.actions if m.code.startswith("plan.crisis.outside")])

    risks, step8 = read(False)
    assert "staffing.mitigation.inexperience_trainer" in risks
    assert "staffing.mitigation.crisis_too_close_no_provider" in risks
    assert step8 == ["plan.crisis.outside_view_no_provider"]
    risks, step8 = read(True)
    assert {"staffing.mitigation.inexperience", "staffing.mitigation.crisis_too_close"} <= set(risks)
    assert step8 == ["plan.crisis.outside_view"]


def test_001_keeping_control_without_a_provider_budget_subcontracts_only_once_one_appears(
        decide_for):
    """Read as the inter-municipal authority (strategic, no budget for a provider): its
    rules for keeping control ended on 'Repetitive, time-consuming tasks can still be
    subcontracted at lower cost', a purchase it cannot make today. 001's advice stays,
    for when a budget appears; with a provider budget it reads as before."""
    def rules(external_budget):
        d = decide_for({"strategy.digital_transformation": True,
                        "staffing.external_budget": external_budget}).staffing
        assert d.keep_control
        return [m.code for m in d.keep_control_rules]

    assert "staffing.keep_control.subcontract_repetitive_later" in rules(False)
    assert "staffing.keep_control.subcontract_repetitive" not in rules(False)
    assert "staffing.keep_control.subcontract_repetitive" in rules(True)


def test_keep_control_recruits_rather_than_trains_when_there_is_no_training_budget(decide_for):
    """Read as the large retailer: part 1 says nobody inside is trained and there is no
    budget to train them, then told it to 'recruit or train someone' for the long term.
    With no training budget, the long-term person is recruited already skilled."""
    base = {"strategy.brand_image_key": True, "staffing.interested_person": False,
            "staffing.trained": False, "staffing.external_budget": True}
    rules = [m.code for m in decide_for({**base, "staffing.training_budget": False})
             .staffing.keep_control_rules]
    assert "staffing.keep_control.long_term_person_expert_first_recruit" in rules
    assert "staffing.keep_control.long_term_person_expert_first" not in rules
    trainable = [m.code for m in decide_for({**base, "staffing.training_budget": True})
                 .staffing.keep_control_rules]
    assert "staffing.keep_control.long_term_person_expert_first" in trainable


def test_001_keep_control_speaks_of_an_agency_only_as_a_later_case_when_none_is_paid(decide_for):
    """Read as the three-founder start-up: no budget for a provider, yet 'Keeping control'
    opened with 'Keep the link with any agency as close as with an internal team'. An
    internal model with no external budget reads it as the day an agency comes."""
    founders = {"strategy.brand_image_key": True, "staffing.external_budget": False}
    rules = [m.code for m in decide_for(founders).staffing.keep_control_rules]
    assert rules[0] == "staffing.keep_control.same_closeness_later"
    paid = [m.code for m in decide_for({**founders, "staffing.external_budget": True})
            .staffing.keep_control_rules]
    assert paid[0] == "staffing.keep_control.same_closeness"
