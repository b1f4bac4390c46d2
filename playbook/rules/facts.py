"""Facts derived once from a profile, in the three-valued logic the rules need.

An answer is True, False or None (unknown). `all_of`/`any_of` combine them the way a
careful consultant does: one known "no" settles an "all", one known "yes" settles an
"any", otherwise an unknown stays unknown.
"""

from __future__ import annotations

import datetime

from ..knowledge import Knowledge, Region, Sector
from ..profile import Organization, Presence, Profile, Staffing, Strategy
from ..records import Record
from .organization import OrgModel, describe, size_band
from .sectors import SectorMatch, match_sector

STRATEGIC_CRITERIA = ("brand_image_key", "digital_transformation", "web_core_business")


def all_of(*answers: bool | None) -> bool | None:
    if any(a is False for a in answers):
        return False
    if any(a is None for a in answers):
        return None
    return True


def any_of(*answers: bool | None) -> bool | None:
    if any(a is True for a in answers):
        return True
    if any(a is None for a in answers):
        return None
    return False


def size_class(employees: int | None) -> str:
    """micro (<10), small (<50), medium (<250), large, or unknown: the organisation
    model's size band, where no employee at all also counts as micro."""
    band = size_band(employees)
    return "micro" if band == "none" else band


class Facts(Record):
    """What the rules know about one profile, derived once."""

    profile: Profile
    today: datetime.date
    strategy: Strategy
    staffing: Staffing
    organization: Organization
    presence: Presence
    size: str
    strategic: bool | None
    strategic_criteria: tuple[str, ...]
    crisis_prone: bool
    crisis_family: str | None  # the crisis-prone sector that makes it crisis-prone, if any
    goals: tuple[str, ...]
    audiences: tuple[str, ...]
    departments: tuple[str, ...]
    org: OrgModel  # the organisation itself: kind, size, people, budget, time (organization.py)
    sector_match: SectorMatch = SectorMatch(None, given=False)
    regions: tuple[Region, ...] = ()  # the target regions the profile names

    @property
    def sector(self) -> Sector | None:
        return self.sector_match.sector

    @property
    def sector_disagrees(self) -> bool:
        """The sector is known for crises but the profile answered it is not exposed."""
        return bool(self.sector and self.sector.crisis_prone
                    and self.organization.sensitive_topics is False)

    @property
    def company(self):
        return self.profile.company

    @property
    def regulated(self) -> bool:
        return self.organization.activity_complexity == "high"

    @property
    def every_post_checked(self) -> bool:
        """The field's rules have every post checked before it goes out (the Loi Évin
        for alcohol), whatever the activity's complexity: no post goes out unchecked."""
        return bool(self.sector and self.sector.every_post_checked)

    @property
    def no_provider_budget(self) -> bool:
        """No money for an agency or a freelance: no budget at all, or none for outside
        help (staffing.external_budget: false)."""
        return self.org.zero_budget or self.staffing.external_budget is False

    @property
    def small(self) -> bool:
        return self.size in ("micro", "small")

    @property
    def networks(self):
        return self.presence.networks or ()


def derive(profile: Profile, knowledge: Knowledge, today: datetime.date) -> Facts:
    strategy = profile.strategy or Strategy()
    organization = profile.organization or Organization()
    criteria = tuple(c for c in STRATEGIC_CRITERIA if getattr(strategy, c) is True)
    match = match_sector(profile.company, knowledge)
    sector = match.sector
    # The profile's own answer wins; the sector only fills in an unknown answer
    # (a disagreement is a point to check: notes.warnings).
    crisis_prone = (organization.sensitive_topics if organization.sensitive_topics is not None
                    else bool(sector and sector.crisis_prone))
    return Facts(
        profile=profile,
        today=today,
        strategy=strategy,
        staffing=profile.staffing or Staffing(),
        organization=organization,
        presence=profile.presence or Presence(),
        size=size_class(profile.company.employees),
        strategic=any_of(*(getattr(strategy, c) for c in STRATEGIC_CRITERIA)),
        strategic_criteria=criteria,
        crisis_prone=crisis_prone,
        crisis_family=sector.id if sector and sector.crisis_prone and crisis_prone else None,
        goals=profile.goals or (),
        audiences=profile.audiences or (),
        departments=organization.departments or (),
        org=describe(profile, knowledge, today.year, match),
        sector_match=match,
        regions=tuple(knowledge.regions[r] for r in profile.company.target_regions or ()
                      if r in knowledge.regions),
    )
