"""Questions to ask before outsourcing, to ask a provider, and to choose the person.

DOMAIN.md section 4. The questions themselves are data (`knowledge/questions.yaml`);
this module decides which ones are critical for this profile and why, tying each
flag to the profile's own answers (a regulated activity makes "is my activity easy
to understand?" critical, 003).
"""

from __future__ import annotations

from collections.abc import Callable

from ..knowledge import Knowledge
from .facts import Facts
from .model import Msg, Question, QuestionSet, msg
from .staffing import seo_addon_variant

OUTSIDE = ("external", "pair")
# questions whose general reason speaks of a company's departments (marketing, sales):
# an association or a public body reads another wording (`why_nonprofit`), and so does
# a small business or firm that has none of those departments (`why_small`)
DEPARTMENTS_PURPOSE = frozenset({"management_listens"})
CROSSED_DEPARTMENTS = ("communication", "marketing", "customer_service", "sales")
# questions worded for hiring someone, which read otherwise when nobody is hired (the
# SEO add-on, a person already on the team)
SEO_ADDON_WORDING = frozenset({"writes_well"})


def _critical_rules(f: Facts, model: str, keep_control: bool) -> dict[str, Callable[[], Msg | None]]:
    """For each question id: a function giving why it is critical here, or None."""
    o = f.organization
    outside = model in OUTSIDE
    beginner = (model == "internal" and f.staffing.interested_person is True
                and f.staffing.trained is not True)

    def when(condition: bool, code: str, **params) -> Msg | None:
        return msg(f"checklist.critical.{code}", "003", **params) if condition else None

    return {
        "single_contact": lambda: (
            when(o.single_contact is False, "no_single_contact")
            or when(o.single_contact is None, "single_contact_unknown")),
        "contact_understands_social": lambda: (
            when(o.contact_understands_social is False, "contact_new_to_social")
            or when(o.contact_understands_social is None, "contact_social_unknown")),
        "management_listens": lambda: (
            when(o.management_support is False, "no_management_support")
            or when(o.management_support is None, "management_unknown")
            or when(len(f.departments) >= 4, "many_departments", count=len(f.departments))),
        "activity_easy_to_understand": lambda: (
            when(f.regulated, "regulated")
            or when(o.activity_complexity == "medium" and outside, "medium_complexity_outside")
            or when(f.crisis_prone, "sensitive_sector")),
        "time_to_dedicate": lambda: (
            when(o.time_for_project is False, "no_project_time")
            or when(o.time_for_project is None, "project_time_unknown")),
        "service_evolves": lambda: when(outside, "outsourcing_fundamental"),
        "single_referent": lambda: when(outside and f.size in ("medium", "large"),
                                        "large_project"),
        "easy_contact": lambda: when(outside and o.single_contact is not True,
                                     "information_flow"),
        "strategic_vision": lambda: when(keep_control, "strategic",
                                         criteria=f.strategic_criteria),
        "initiative_creativity": lambda: (
            when(f.presence.content_resources is False,
                 "needs_creativity" if outside else "needs_creativity_internal")
            or when(f.presence.content_resources is None, "needs_creativity_unknown")),
        # a beginner on the team, trained for the role, has handled no crisis yet:
        # the training and the joker must make up for it (part 1 chose them)
        "has_needed_skills": lambda: (when(f.regulated, "skills_regulated")
                                      or when(f.crisis_prone, "skills_crisis_beginner"
                                              if beginner else "skills_crisis")),
        "supports_and_reassures": lambda: (
            when(o.contact_understands_social is False, "reassurance")
            or when(o.contact_understands_social is None, "reassurance_unknown")),
        "writes_well": lambda: (
            when(f.presence.content_resources is False, "writing")
            or when(f.presence.content_resources is None, "writing_unknown")),
        "likes_your_sector": lambda: (when(f.regulated, "sector_legitimacy")
                                      or when(f.crisis_prone, "sector_legitimacy_crisis")),
        "knows_platform_rules": lambda: when(model == "seo_addon", "rules_seo"),
    }


def decide_questions(f: Facts, knowledge: Knowledge, model: str,
                     keep_control: bool) -> QuestionSet:
    rules = _critical_rules(f, model, keep_control)
    if f.org.circle != "":
        variant = "why_nonprofit"
    elif f.org.small and sum(d in f.departments for d in CROSSED_DEPARTMENTS) < 2:
        # the garage, the law firm: a few people, no such services; the bakery, whose
        # sales team is the only one of them (part 3 routes the others to its manager)
        variant = "why_small"
    else:
        variant = ""
    seo = model == "seo_addon"
    seo_variant = seo_addon_variant(f) if seo else ""
    paid_internal = model == "internal" and not f.org.zero_budget
    # the person who wants the role is already on the team: nobody to hire
    insider = paid_internal and f.staffing.interested_person is True
    # no budget for a provider: what is bought is training, if anything
    no_provider = paid_internal and f.no_provider_budget
    to_train = f.staffing.trained is not True
    # no training budget either: the course is a free one (as step 4 says), no quote
    free_course = no_provider and to_train and f.staffing.training_budget is not True
    questions = []
    for entry in knowledge.questions:
        rule = rules.get(entry["id"])
        why = rule() if rule else None
        purpose = (f"questions.{entry['id']}.{variant}"
                   if variant and entry["id"] in DEPARTMENTS_PURPOSE else "")
        # the person is not hired (the SEO provider's or a junior already there): see
        # their work rather than ask references and set a test
        wording = (f"questions.{entry['id']}.text_seo_addon"
                   if seo and entry["id"] in SEO_ADDON_WORDING
                   else f"questions.{entry['id']}.text_insider"
                   if insider and entry["id"] in SEO_ADDON_WORDING else "")
        questions.append(Question(entry["id"], entry["group"], why is not None, why,
                                  entry.get("seed", ""), purpose, wording))
    if f.org.zero_budget:
        # nothing to buy: compare people, not quotes, and no offer to review
        advice: tuple[Msg, ...] = (msg("checklist.advice.two_candidates", "004"),
                                   msg("checklist.advice.four_yes", "004"),
                                   msg("checklist.advice.story_values", "004"))
    elif model == "seo_addon":
        # the SEO provider is already there: ask it first, and a quote elsewhere only if
        # the person who would run the accounts fails the test (read as the garage)
        provider = seo_variant == "_provider"
        advice = (msg("checklist.advice.seo_proposal" if provider
                      else "checklist.advice.seo_who", "004"),
                  msg("checklist.advice.four_yes_seo", "004"),
                  msg("checklist.advice.story_values_seo" if provider
                      else "checklist.advice.story_values", "004"),
                  msg("checklist.advice.review_offer", "004"))
    elif no_provider:
        # an insider trained, not a provider hired: quotes and the offer are the
        # training's, and the story is one to tell, not to learn (read as the bakery)
        story = msg("checklist.advice.story_values_insider" if insider
                    else "checklist.advice.story_values", "004")
        advice = ((msg("checklist.advice.free_course", "004"),
                   msg("checklist.advice.four_yes_first", "004"), story) if free_course
                  else (msg("checklist.advice.two_quotes_training", "004"),
                        msg("checklist.advice.four_yes", "004"), story,
                        msg("checklist.advice.review_training", "004")) if to_train
                  else (msg("checklist.advice.four_yes_first", "004"), story))
    else:
        advice = (msg("checklist.advice.two_quotes", "004"),
                  msg("checklist.advice.four_yes", "004"),
                  msg("checklist.advice.story_values", "004"),
                  msg("checklist.advice.review_offer", "004"))
    relevance = msg(f"checklist.relevance.{model}"
                    + ("_zero_budget" if model == "internal" and f.org.zero_budget else "")
                    + (("_no_provider" + ("_free" if free_course else "" if to_train
                                           else "_trained")) if no_provider
                       else "")
                    + (seo_addon_variant(f) if model == "seo_addon" else ""), "003")
    heading = ("checklist.group.provider_free_help" if model == "internal" and f.org.zero_budget
               else "checklist.group.provider_seo" if seo_variant == "_provider"
               else "checklist.group.provider")
    if seo:
        # social media added to the SEO work: nobody is hired, the part checks the
        # provider's proposal and whoever will run the accounts (read as the garage)
        return QuestionSet(tuple(questions), advice, relevance, heading,
                           title="checklist.title.seo_addon" + seo_variant,
                           person_heading="checklist.group.person_seo_addon" + seo_variant)
    if insider:
        return QuestionSet(tuple(questions), advice, relevance, heading,
                           person_heading="checklist.group.person_insider")
    return QuestionSet(tuple(questions), advice, relevance, heading)
