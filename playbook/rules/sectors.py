"""The client's field of activity: which sector of the taxonomy it is, and what that
sector brings to the playbook.

The taxonomy is data (templates/knowledge/sectors.yaml). A profile names its sector
with `company.sector_id`; otherwise the matcher weighs the whole free text (sector,
description, name) against every sector's keywords, so one word ("rail" in "precision
parts for aerospace and rail") does not outweigh a description that is about
machining. The profile's own answers always win over what the sector suggests: a
disagreement becomes a point to check, never a silent override.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..knowledge import Knowledge, Region, Sector, plain_words
from ..profile import Company
from ..records import Record
from .model import Msg, SectorAdvice, msg

# Words of the `company.sector` field say more than the description, which says more
# than the name (a bakery may be called "Maison ...").
WEIGHTS = (("sector", 3), ("description", 1), ("name", 1))
# Below this score the guess is too thin to build on: the playbook says so instead.
MIN_SCORE = 2
COMPLIANCE_BASICS = ("personal_data", "image_rights", "minors", "disclosure")
# the basics that name the people around the organisation, in their other wordings:
# basic -> the variant's suffix (an association or a public body answers requests, it
# has no customer service)
PEOPLE_VARIANTS = {
    "volunteers": {"personal_data": "requests", "image_rights": "volunteers",
                   "disclosure": "volunteers"},
    "association": {"personal_data": "requests", "image_rights": "association",
                    "disclosure": "association"},
    "public": {"personal_data": "requests", "image_rights": "public", "disclosure": "public"},
}


class SectorMatch(Record):
    """The sector found for a profile, and how."""

    sector: Sector | None
    given: bool  # named by company.sector_id rather than guessed
    score: int = 0
    runner_up: str | None = None  # the next best guess, when it came close


SHORT_KEYWORD = 4  # "rail", "vin", "bar": a whole word (or its plural), not a word start
_WORD_CHAR = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

# The keyword index of the last taxonomy seen: built once, not once per profile (the
# taxonomy holds hundreds of keywords; testing each against each text was the slowest
# part of building a playbook).
_index_for: list = [None, None]


def _keyword_index(sectors: Mapping[str, Sector]) -> dict[str, list[tuple[str, str]]]:
    """Keywords by their first two letters: (sector id, keyword)."""
    if _index_for[0] is not sectors:
        index: dict[str, list[tuple[str, str]]] = {}
        for sector in sectors.values():
            for keyword in sector.keywords:
                index.setdefault(keyword[:2], []).append((sector.id, keyword))
        _index_for[:] = [sectors, index]
    return _index_for[1]


def _is_hit(keyword: str, text: str, start: int) -> bool:
    """Does the keyword start a word at `start` (and, if short, end it, plural allowed)?"""
    if not text.startswith(keyword, start):
        return False
    if len(keyword) > SHORT_KEYWORD:
        return True
    after = start + len(keyword)
    if text[after:after + 1] == "s" and text[after + 1:after + 2] not in _WORD_CHAR:
        return True
    return text[after:after + 1] not in _WORD_CHAR


def sector_scores(company: Company, knowledge: Knowledge) -> dict[str, int]:
    """Each sector's weight of evidence in the company's own words: every keyword
    counts once per word of the text it starts (whole words for short keywords)."""
    index = _keyword_index(knowledge.sectors)
    scores: dict[str, int] = {}
    for name, weight in WEIGHTS:
        text = plain_words(getattr(company, name) or "")
        for start, char in enumerate(text):
            if char not in _WORD_CHAR or (start and text[start - 1] in _WORD_CHAR):
                continue
            for sector_id, keyword in index.get(text[start:start + 2], ()):
                if _is_hit(keyword, text, start):
                    scores[sector_id] = scores.get(sector_id, 0) + weight
    order = list(knowledge.sectors)  # scores in taxonomy order, like the file
    return {sid: scores[sid] for sid in order if sid in scores}


def match_sector(company: Company, knowledge: Knowledge) -> SectorMatch:
    """The sector the profile names, else the best-supported guess, else none."""
    if company.sector_id and company.sector_id in knowledge.sectors:
        return SectorMatch(knowledge.sectors[company.sector_id], given=True)
    scores = sector_scores(company, knowledge)
    order = list(knowledge.sectors)  # ties go to the sector listed first
    ranked = sorted(scores, key=lambda sid: (-scores[sid], order.index(sid)))
    if not ranked or scores[ranked[0]] < MIN_SCORE:
        return SectorMatch(None, given=False)
    best = ranked[0]
    close = [sid for sid in ranked[1:] if scores[sid] * 3 >= scores[best] * 2]
    return SectorMatch(knowledge.sectors[best], given=False, score=scores[best],
                       runner_up=close[0] if close else None)


def sector_notes(match: SectorMatch) -> tuple[Msg, ...]:
    """What the playbook says about the sector it assumed, and how to change it."""
    if match.sector is None:
        return (msg("sector.assumed.none"),)
    sid = match.sector.id
    if match.given:
        return (msg("sector.assumed.given", sector=msg(f"sectors.{sid}.name"), sector_id=sid),)
    notes = [msg("sector.assumed.guessed", sector=msg(f"sectors.{sid}.name"), sector_id=sid)]
    if match.runner_up:
        notes.append(msg("sector.assumed.close", other=msg(f"sectors.{match.runner_up}.name"),
                         other_id=match.runner_up))
    return tuple(notes)


def _names_any(company: Company | None, keywords: tuple[str, ...]) -> bool:
    """Do the company's own words (sector, description, name) name one of the keywords?"""
    if company is None:
        return False
    for name, _weight in WEIGHTS:
        text = plain_words(getattr(company, name) or "")
        for start, char in enumerate(text):
            if char in _WORD_CHAR and not (start and text[start - 1] in _WORD_CHAR) and \
                    any(_is_hit(keyword, text, start) for keyword in keywords):
                return True
    return False


def sector_rules(sector: Sector | None,
                 company: Company | None = None) -> tuple[tuple[Msg, Msg], ...]:
    """The sector's regulatory and ethical rules: (the rule's name, what it requires).
    A rule that binds some professions of the field only (lawyers, notaries) is shown
    to a client whose words name one of them; when they name none, every rule is."""
    if sector is None:
        return ()
    numbers = range(sector.rules)
    bound = [n for n in numbers if n < len(sector.rule_keywords) and sector.rule_keywords[n]]
    named = [n for n in bound if _names_any(company, sector.rule_keywords[n])]
    if named:
        numbers = [n for n in numbers if n not in bound or n in named]
    return tuple((msg(f"sectors.{sector.id}.rules.{n}.name"),
                  msg(f"sectors.{sector.id}.rules.{n}.text")) for n in numbers)


def compliance_checklist(sector: Sector | None, people: str = "") -> tuple[Msg, ...]:
    """The basics every client needs, then the sector's own point when it has one. Who
    appears in a photo depends on the organisation: `people` is "volunteers" (an
    organisation run by volunteers has no staff to name), "association" (one with
    staff: staff, volunteers, the people it welcomes), "public" (a public body's agents
    and users) or "" (a company's staff and customers): `OrgModel.circle`."""
    variants = PEOPLE_VARIANTS.get(people, {})
    items = [msg(f"compliance.{name}_{variants[name]}" if name in variants
                 else f"compliance.{name}") for name in COMPLIANCE_BASICS]
    if sector is not None:
        items.append(msg(f"sectors.{sector.id}.compliance"))
    return tuple(items)


def region_notes(regions: tuple[Region, ...], recommended: tuple[str, ...]) -> tuple[Msg, ...]:
    """For each target region: recommended networks blocked or little used there, and
    the local networks that reach it."""
    notes: list[Msg] = []
    for region in regions:
        blocked = [pid for pid in recommended if pid in region.blocked]
        little = [pid for pid in recommended if pid in region.little_used]
        if blocked:
            notes.append(msg("region_notes.blocked", region=msg(f"regions.{region.id}.name"),
                             platforms=blocked))
        if little:
            notes.append(msg("region_notes.little_used", region=msg(f"regions.{region.id}.name"),
                             platforms=little))
        if region.local_networks:
            notes.append(msg("region_notes.local", region=msg(f"regions.{region.id}.name"),
                             platforms=list(region.local_networks)))
        notes.append(msg(f"regions.{region.id}.advice"))
    return tuple(notes)


def sector_advice(match: SectorMatch, regions: tuple[Region, ...],
                  recommended: tuple[str, ...], people: str = "",
                  company: Company | None = None) -> SectorAdvice:
    sector = match.sector
    local = tuple(dict.fromkeys(pid for region in regions for pid in region.local_networks))
    return SectorAdvice(
        id=sector.id if sector else None, given=match.given, notes=sector_notes(match),
        rules=sector_rules(sector, company), checklist=compliance_checklist(sector, people),
        regions=region_notes(regions, recommended), regional_networks=local)
