"""The decisions the engine returns: plain immutable records holding message codes.

Named tuples rather than frozen dataclasses: the same declarations and attribute
access, and a one-shot command creates the classes about ten times faster.

A `Msg` is a text code (resolved per language from the knowledge files) with the
profile values it is tied to, and the seed article the rule comes from. The engine
chooses codes; `playbook.report` turns them into words.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from ..records import Record

SEEDS = {
    "000": "000_d7ae066af59432c6.txt",
    "001": "001_72b7189e4553c6cd.txt",
    "002": "002_fbba354856bb97e8.txt",
    "003": "003_21524e1143add897.txt",
    "004": "004_42c90816de2e7e2d.txt",
}


class Msg(NamedTuple):  # made hundreds of times a playbook: a tuple is quickest
    code: str
    params: Mapping[str, Any] = MappingProxyType({})
    seed: str = ""  # "000".."004", the article the rule comes from; "" for our own practice


def msg(code: str, seed: str = "", **params: Any) -> Msg:
    return Msg(code, params, seed)


class Risk(Record):
    risk: Msg
    mitigation: Msg


class StaffingDecision(Record):
    model: str  # internal | external | pair | seo_addon
    keep_control: bool
    confidence: str  # high | medium | low
    reasons: tuple[Msg, ...]
    risks: tuple[Risk, ...]
    changes: tuple[Msg, ...]  # what would change the recommendation
    strategic_criteria: tuple[str, ...]  # the criteria that hold
    keep_control_rules: tuple[Msg, ...] = ()
    unknowns: tuple[str, ...] = ()  # field paths left unanswered that the choice rests on


class BlogDecision(Record):
    decision: str  # yes | later | no
    reasons: tuple[Msg, ...]


class PlatformPick(Record):
    id: str
    score: float
    role: Msg
    reasons: tuple[Msg, ...]
    goals: tuple[str, ...]  # the profile goals it serves best
    audiences: tuple[str, ...]  # the profile audiences it reaches


class PlatformSkip(Record):
    id: str
    reasons: tuple[Msg, ...]
    existing: bool = False  # the company has an account there today


class PlatformDecision(Record):
    blog: BlogDecision
    picks: tuple[PlatformPick, ...]
    skips: tuple[PlatformSkip, ...]
    risks: tuple[Msg, ...]  # data ownership and platform-rule risks
    capacity: int  # how many networks the means can sustain
    uncovered: tuple[Msg, ...] = ()  # goals or audiences no pick serves, each explained
    provisional: tuple[str, ...] = ()  # unanswered fields the choice rests on


class Relay(Record):
    role: Msg
    department: str
    answers: Msg
    response_time: Msg
    joker: bool = False


class RelayPlan(Record):
    relays: tuple[Relay, ...]
    joker: Msg  # who the joker is
    joker_reason: Msg
    single_contact: Msg
    routine: tuple[Msg, ...]
    gaps: tuple[Msg, ...]  # expected departments (for this kind and size) not listed
    routed: tuple[Msg, ...] = ()  # subjects with no department, routed to whoever decides
    none_listed: Msg | None = None  # what to do when the profile lists no department


class Question(Record):
    id: str
    group: str  # structure | provider | four_yes | person
    critical: bool
    why: Msg | None  # why it is critical for this profile
    seed: str
    purpose: str = ""  # the code of why anyone asks it, when its wording depends on the client
    wording: str = ""  # the code of the question itself, when it depends on the client


class QuestionSet(Record):
    questions: tuple[Question, ...]
    advice: tuple[Msg, ...]  # two quotes, four-yes rule, after the choice
    relevance: Msg  # how the checklist applies to the chosen model
    # the heading of the questions about a provider: an organisation that staffs the role
    # itself with no budget buys nothing, so they are about outside help offered free
    provider_heading: str = "checklist.group.provider"
    # the part's title and the heading of the questions on the person: a client whose
    # SEO provider adds social media to its work is not hiring anyone
    title: str = "checklist.title.choosing"
    person_heading: str = "checklist.group.person"


class PlanStep(Record):
    step: int
    key: str
    actions: tuple[Msg, ...]
    owner: Msg
    timeframe: Msg
    indicators: tuple[Msg, ...]
    deliverable: Msg
    table: tuple[tuple[Msg, ...], ...] = ()  # rows of a step's table (goals, map, calendar...)
    title: Msg | None = None  # None: the step's usual title (plan.<key>.title)


class SectorAdvice(Record):
    """What the client's field brings: which sector was assumed and why, its rules,
    the compliance checklist, and what each target region changes."""

    id: str | None  # the sector of the taxonomy, None when the profile says too little
    given: bool  # named by company.sector_id rather than guessed
    notes: tuple[Msg, ...]  # which sector was assumed, and how to change it
    rules: tuple[tuple[Msg, Msg], ...]  # (the rule's name, what it forbids or requires)
    checklist: tuple[Msg, ...]  # compliance basics, then the sector's own point
    regions: tuple[Msg, ...] = ()  # per target region: blocked, little used, local networks
    regional_networks: tuple[str, ...] = ()  # regional networks of the target regions


class Decisions(Record):
    staffing: StaffingDecision
    platforms: PlatformDecision
    relays: RelayPlan
    questions: QuestionSet
    plan: tuple[PlanStep, ...]
    warnings: tuple[Msg, ...]
    open_questions: tuple[Msg, ...]
    facts: Any  # the derived facts the rules used (see facts.Facts)
    sector: SectorAdvice | None = None
