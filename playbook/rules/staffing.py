"""Staffing: internal community manager, external provider, a pair, or an SEO add-on.

DOMAIN.md section 1. The order of the questions follows the seeds:
1. Is community management strategic? (001: three criteria, one is enough) If so,
   keep control whatever the model.
2. Is social media only an add-on to search ranking, with no strategic criterion?
   Then a junior or the SEO provider handles it (001).
3. Can the company staff it internally? (004: interested, time, trained or budget to
   train.) Internal if possible (004).
4. Otherwise, with budget, an internal/external pair (004, "doublette"), or a plain
   external provider when nobody inside can even own the project.
"""

from __future__ import annotations

from .facts import STRATEGIC_CRITERIA, Facts, all_of, any_of
from .model import Msg, Risk, StaffingDecision, msg

STRATEGY_FIELDS = tuple(f"strategy.{c}" for c in STRATEGIC_CRITERIA) + ("strategy.seo_only",)
STAFFING_FIELDS = ("staffing.interested_person", "staffing.time_available", "staffing.trained",
                   "staffing.training_budget", "staffing.external_budget")


def _answer(f: Facts, path: str):
    section, name = path.split(".")
    return getattr(getattr(f, section), name)


def seo_addon_variant(f: Facts) -> str:
    """The wording of the SEO add-on (001: "a junior or the SEO provider"): "_provider"
    when nobody inside can take the role (no one wants it, or no time can be freed) and
    a provider is paid, so the texts name no junior the client does not have (read as
    the six-person garage); "" otherwise."""
    s = f.staffing
    nobody_inside = s.interested_person is False or s.time_available is False
    return "_provider" if nobody_inside and s.external_budget is not False \
        and not f.org.zero_budget else ""


def lead_key(f: Facts, model: str) -> str:
    """Who runs the accounts, as a `labels.lead` and `labels.model` key: a volunteer is
    not a hired CM, and the SEO add-on names no junior nobody has."""
    if model == "seo_addon":
        return model + seo_addon_variant(f)
    return "internal_volunteer" if model == "internal" and f.org.volunteers else model


def decide_staffing(f: Facts) -> StaffingDecision:
    keep_control = f.strategic is True
    contradiction = f.strategy.seo_only is True and keep_control
    reasons: list[Msg] = []
    if f.strategic_criteria:
        reasons.append(msg("staffing.reason.strategic", "001", criteria=f.strategic_criteria))

    if f.strategy.seo_only is True and not keep_control:
        model = "seo_addon"
        reasons.append(msg("staffing.reason.seo_only", "001"))
        reasons.append(msg(("staffing.reason.seo_only_unconfirmed" if f.strategic is None
                            else "staffing.reason.not_strategic") + seo_addon_variant(f), "001"))
        relevant = STRATEGY_FIELDS
    else:
        if contradiction:
            reasons.append(msg("staffing.reason.seo_only_overridden", "001",
                               criteria=f.strategic_criteria))
        model = _internal_or_not(f, reasons, keep_control)
        relevant = STRATEGY_FIELDS + STAFFING_FIELDS

    reasons.extend(_context_reasons(f, model))
    unknowns = tuple(p for p in relevant if _answer(f, p) is None)
    confidence = "high" if not unknowns else "medium" if len(unknowns) <= 2 else "low"
    if contradiction and confidence == "high":
        confidence = "medium"
    return StaffingDecision(
        model=model,
        keep_control=keep_control,
        confidence=confidence,
        reasons=tuple(reasons),
        risks=tuple(_risks(f, model, keep_control)),
        changes=tuple(_changes(f, model, keep_control, unknowns)),
        strategic_criteria=f.strategic_criteria,
        keep_control_rules=_keep_control_rules(f, model) if keep_control else (),
        unknowns=unknowns,
    )


def _internal_or_not(f: Facts, reasons: list[Msg], keep_control: bool) -> str:
    """004's four questions, then the pair or the provider."""
    s = f.staffing
    can_train = any_of(s.trained, s.training_budget)
    can_internal = all_of(s.interested_person, s.time_available, can_train)
    if can_internal is True:
        reasons.append(msg("staffing.reason.internal_ready", "004"))
        if s.trained is not True:
            reasons.append(msg("staffing.reason.train_first", "004"))
        return "internal"

    # Say which of the four answers stands in the way (or is missing).
    if s.interested_person is False:
        reasons.append(msg("staffing.reason.no_interested_person", "004"))
    if s.time_available is False:
        reasons.append(msg("staffing.reason.no_time", "004"))
    if can_train is False:
        # when nobody wants the role there is no "person considered" to speak of
        reasons.append(msg("staffing.reason.not_trained_no_budget"
                           + ("_nobody" if s.interested_person is False else ""), "004"))
    if can_internal is None:
        reasons.append(msg("staffing.reason.internal_unconfirmed", "004"))

    if can_internal is None and s.external_budget is not True:
        reasons.append(msg("staffing.reason.internal_preferred", "004"))
        return "internal"
    # a monthly budget of 0 (external budget not confirmed) buys no provider either
    if f.no_provider_budget:
        reasons.append(msg("staffing.reason.no_external_budget", "003"))
        return "internal"
    if s.external_budget is None:
        reasons.append(msg("staffing.reason.external_budget_unknown", "004"))
    someone_inside = any_of(s.interested_person, s.time_available)
    if keep_control or someone_inside is not False:
        reasons.append(msg("staffing.reason.pair", "004"))
        if keep_control:
            reasons.append(msg("staffing.reason.pair_keeps_control", "001"))
        return "pair"
    reasons.append(msg("staffing.reason.external", "004"))
    return "external"


def _context_reasons(f: Facts, model: str) -> list[Msg]:
    out = []
    outside = model in ("external", "pair")
    if f.crisis_prone and outside:
        out.append(msg("staffing.reason.crisis_distance", "002"))
    if f.regulated and model == "internal":
        out.append(msg("staffing.reason.regulated_inside", "000"))
    if outside:
        out.append(msg("staffing.reason.outside_skills", "000"))
    if model == "internal" and f.staffing.external_budget is not False:
        out.append(msg("staffing.reason.internal_knows_company", "000"))
    if f.org.volunteers and model == "internal":
        out.append(msg("staffing.reason.volunteer_structure", "003"))
    elif f.small and f.staffing.external_budget is False:
        out.append(msg("staffing.reason.small_structure", "003"))
    out.append(msg("staffing.reason.information_flow", "002"))
    return out


def _risks(f: Facts, model: str, keep_control: bool) -> list[Risk]:
    def risk(code: str, seed: str, **params) -> Risk:
        return Risk(msg(f"staffing.risk.{code}", seed, **params),
                    msg(f"staffing.mitigation.{code}", seed, **params))

    out: list[Risk] = []
    # no money for an agency or a freelance: outside help is the trainer already paid
    # for, or people who help without a contract (read as the bakery)
    no_provider = f.no_provider_budget and not f.org.zero_budget
    if model == "internal":
        if f.staffing.trained is not True:
            out.append(risk("inexperience_free" if f.org.zero_budget
                            else "inexperience_trainer"
                            if no_provider and f.staffing.training_budget is True
                            # nothing to buy a course or a reviewer with (step 4: free)
                            else "inexperience_free_course" if no_provider
                            else "inexperience", "004"))
        squeezed = {"volunteers": "squeezed_time_volunteer",
                    "owners": "squeezed_time_owner"}.get(f.org.workers, "squeezed_time")
        if squeezed == "squeezed_time_owner" and f.org.time is False:
            squeezed += "_no_time"  # one slot a week, as step 1 and step 6 say
        out.append(risk(squeezed, "004"))
        if f.size in ("medium", "large", "unknown"):
            out.append(risk("walls", "002"))
        if f.crisis_prone:
            out.append(risk("crisis_too_close_free" if f.org.zero_budget
                            else "crisis_too_close_no_provider" if no_provider
                            else "crisis_too_close", "002"))
        out.append(risk("single_person", "001"))
    elif model in ("external", "pair"):
        out.append(risk("outsider", "002"))
        out.append(risk("legitimacy", "000"))
        if model == "pair":
            out.append(risk("blurred_roles", "001"))
            out.append(risk("transfer", "002"))
        else:
            out.append(risk("dependency", "001"))
        if f.regulated or f.organization.activity_complexity == "medium":
            out.append(risk("technical_activity", "003",
                            complexity=f.organization.activity_complexity))
    else:  # seo_addon
        out.append(risk("unanswered", "004"))
        out.append(risk("platform_rules", "004"))
        out.append(risk("little_return", "001"))
    if keep_control and model != "internal":
        out.append(risk("drift", "001"))
    return out


def _changes(f: Facts, model: str, keep_control: bool, unknowns: tuple[str, ...]) -> list[Msg]:
    out: list[Msg] = []
    if model == "seo_addon":
        out.append(msg("staffing.change.becomes_strategic", "001"))
    elif model == "internal":
        # without money for a provider (none at all, or none for outside help) a pair
        # with a paid expert is a purchase the client cannot make
        out.append(msg("staffing.change.internal_person_leaves"
                       + ("_no_budget" if f.no_provider_budget else ""), "004"))
        if f.staffing.external_budget is False:
            out.append(msg("staffing.change.budget_found", "004"))
    elif model == "pair":
        out.append(msg("staffing.change.pair_to_internal", "002"))
        out.append(msg("staffing.change.no_budget", "004"))
    else:
        out.append(msg("staffing.change.someone_inside", "004"))
    if not keep_control and model != "seo_addon":
        out.append(msg("staffing.change.becomes_strategic_control", "001"))
    if unknowns:
        out.append(msg("staffing.change.unknowns", "", count=len(unknowns)))
    return out


def _keep_control_rules(f: Facts, model: str) -> tuple[Msg, ...]:
    # "one competent person for the long term" must say who, when nobody inside wants
    # the role today (the tension is resolved in words, not left to the reader)
    person = "long_term_person"
    if f.staffing.interested_person is False:
        person = "long_term_person_expert_first" if model in ("external", "pair") \
            else "long_term_person_to_find"
        if person.endswith("expert_first") and f.staffing.training_budget is False:
            person += "_recruit"  # part 1 says there is no budget to train anyone inside
    # no agency can be paid today: the closeness rule is for the day one is
    no_agency = model == "internal" and f.no_provider_budget
    rules = ["same_closeness_later" if no_agency else "same_closeness", person,
             "best_skills", "interns_kept"]
    if not f.org.zero_budget:
        # no budget for a provider today: subcontracting waits for one
        rules.append("subcontract_repetitive_later" if f.no_provider_budget
                     else "subcontract_repetitive")
    return tuple(msg(f"staffing.keep_control.{rule}", "001") for rule in rules)
