"""Warnings (things to fix or watch) and open questions (answers the profile lacks).

A missing answer is never read as "no": each unknown that matters becomes a question
for the client, listed in the playbook, and lowers the stated confidence.
"""

from __future__ import annotations

from ..knowledge import Knowledge
from .facts import Facts
from .model import Msg, PlatformDecision, RelayPlan, StaffingDecision, msg

# The answers the playbook rests on, most decisive first. Each has a question text
# `open.<path>` in the knowledge files.
QUESTION_FIELDS = (
    "strategy.brand_image_key", "strategy.digital_transformation", "strategy.web_core_business",
    "strategy.seo_only",
    "staffing.interested_person", "staffing.time_available", "staffing.trained",
    "staffing.training_budget", "staffing.external_budget", "staffing.monthly_budget_eur",
    "company.employees", "company.market", "company.sector", "goals", "audiences",
    "organization.single_contact", "organization.contact_understands_social",
    "organization.management_support", "organization.activity_complexity",
    "organization.time_for_project", "organization.departments",
    "organization.communications_director", "organization.sensitive_topics",
    "presence.blog", "presence.networks", "presence.wants_data_ownership",
    "presence.content_resources", "presence.media_budget",
)


def answer(f: Facts, path: str):
    if "." not in path:
        return getattr(f.profile, path)
    section, name = path.split(".")
    holder = f.company if section == "company" else getattr(f, section)
    return getattr(holder, name)


def open_questions(f: Facts) -> tuple[Msg, ...]:
    return tuple(msg(f"open.{path}", "", field=path)
                 for path in QUESTION_FIELDS
                 if answer(f, path) is None and not _moot(f, path))


def _moot(f: Facts, path: str) -> bool:
    """Questions about people the organisation does not have (read as the six-person
    garage): whether 'the person considered' is trained when nobody wants the role, and
    whether a handful of people have a communications director."""
    if path in ("staffing.trained", "staffing.training_budget"):
        return f.staffing.interested_person is False
    if path == "organization.communications_director":
        return f.org.size in ("none", "micro")
    return False


def warnings(f: Facts, knowledge: Knowledge, staffing: StaffingDecision,
             relays: RelayPlan, platforms: PlatformDecision | None = None) -> tuple[Msg, ...]:
    out: list[Msg] = []
    for network in f.networks:
        platform = knowledge.platforms.get(network.platform)
        if platform is not None and platform.retired:
            out.append(msg("warnings.retired_platform", "004", platform=network.platform))
    if f.strategy.seo_only is True and staffing.keep_control:
        out.append(msg("warnings.seo_contradiction", "001", criteria=f.strategic_criteria))
    o = f.organization
    if o.single_contact is False:
        out.append(msg("warnings.no_single_contact", "003"))
    if o.management_support is False:
        out.append(msg("warnings.no_management_support", "003"))
    if o.time_for_project is False:
        out.append(msg("warnings.no_project_time", "003"))
    if f.sector_disagrees:
        # the profile's answer stands; the disagreement is a point to check with the client
        out.append(msg("sector.disagrees", "002", sector=msg(f"sectors.{f.sector.id}.name")))
    recommended = [pick.id for pick in platforms.picks] if platforms else []
    for region in f.regions:
        blocked = [pid for pid in recommended if pid in region.blocked]
        if blocked:
            out.append(msg("region_notes.blocked", "", region=msg(f"regions.{region.id}.name"),
                           platforms=blocked))
    for gap in relays.gaps:
        out.append(msg("warnings.relay_gaps", "003", departments=gap.params["departments"]))
    s = f.staffing
    if s.external_budget is True and s.monthly_budget_eur == 0:
        out.append(msg("warnings.budget_contradiction", ""))
    if staffing.model in ("external", "pair") and s.monthly_budget_eur is not None \
            and 0 < s.monthly_budget_eur < 500:
        out.append(msg("warnings.thin_budget", "003", budget=s.monthly_budget_eur))
    return tuple(out)
