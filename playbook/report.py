"""Words for the decisions: the engine's message codes resolved in one language.

`build_report()` gives one plain dict: the JSON object `playbook explain --json`
prints (the contract of PROFILE.md, plus extra keys) and the data every template
reads as `d`. All the playbook's variable text is here; the templates add the fixed
prose and the layout.
"""

from __future__ import annotations

import datetime
from typing import Any

from .knowledge import Knowledge, Texts
from .profile import Profile
from .rules.model import SEEDS, Decisions, Msg
from .rules.notes import answer
from .rules.platforms import is_listing, market_label
from .rules.staffing import lead_key

RECAP_FIELDS = (
    "company.sector", "company.employees", "company.market", "company.region", "company.values",
    "goals", "audiences",
    "strategy.brand_image_key", "strategy.digital_transformation", "strategy.web_core_business",
    "strategy.seo_only",
    "staffing.interested_person", "staffing.time_available", "staffing.trained",
    "staffing.training_budget", "staffing.external_budget", "staffing.monthly_budget_eur",
    "organization.single_contact", "organization.contact_understands_social",
    "organization.management_support", "organization.activity_complexity",
    "organization.time_for_project", "organization.departments",
    "organization.communications_director", "organization.sensitive_topics",
    "presence.blog", "presence.networks", "presence.wants_data_ownership",
    "presence.content_resources", "presence.media_budget",
)
LABELLED_VALUES = {"company.market": "market", "goals": "goals", "audiences": "audiences",
                   "organization.activity_complexity": "complexity",
                   "organization.departments": "departments"}


class Resolver:
    """Turns Msg objects into text in one language."""

    def __init__(self, texts: Texts):
        self.texts = texts

    def __call__(self, message: Msg | None) -> str:
        if message is None:
            return ""
        if not message.params:
            return self.texts.get(message.code)
        params = {name: self(value) if isinstance(value, Msg) else value
                  for name, value in message.params.items()}
        return self.texts.get(message.code, **params)

    def reason(self, message: Msg) -> dict:
        out = {"code": message.code.rsplit(".", 1)[-1], "text": self(message)}
        if message.seed:
            out["source"] = SEEDS[message.seed]
        return out


def _field_value(profile: Profile, facts, path: str, texts: Texts) -> str:
    value = answer(facts, path)
    if value is None:
        return texts.get("labels.unknown")
    if path == "presence.networks":
        if not value:
            return texts.get("labels.none")
        parts = []
        for network in value:
            name = texts.label("platforms", network.platform)
            if network.followers is not None:
                name = texts.get("labels.network_followers", platform=network.platform,
                                 followers=network.followers)
            if network.active is False:
                name += f", {texts.get('labels.dormant')}"
            parts.append(name)
        return texts.get("labels.list_separator").join(parts)
    if path == "staffing.monthly_budget_eur":
        return texts.euros(value)
    if path == "company.market":  # as part 2 names it: a charity's is public-interest work
        value = market_label(facts)
    if path == "organization.departments":  # as part 3 names them: a public body's users
        value = tuple(facts.org.department_label(d) for d in value)
    if path in LABELLED_VALUES:
        return texts.value(LABELLED_VALUES[path], value) or texts.get("labels.none")
    if isinstance(value, tuple):
        return texts.join(value) or texts.get("labels.none")
    return texts.value("", value)


def _question_text(texts: Texts, question_id: str, provider_heading: str) -> str:
    """The question's text code; help that is offered, not bought, has no "provider"."""
    free = f"questions.{question_id}.text_free_help"
    if provider_heading.endswith("_free_help") and texts.has(free):
        return free
    return f"questions.{question_id}.text"


# When each plan time frame runs, in days from the playbook's date: (first day, day
# after the last; None: ongoing). A month is 30 days: the first month is split into
# its four weeks, the next five are whole (the timeline's columns, PERIODS).
SCHEDULE = {
    "weeks_1_2": (0, 14), "weeks_2_4": (7, 28), "week_4": (21, 28),
    "month_2": (30, 60), "month_3": (60, 90), "from_month_3": (60, None),
    # the crisis plan is ready before the first post (or the relaunch), which step 6
    # makes in month 3
    "before_launch": (30, 60), "before_relaunch": (30, 60),
    # the first monthly dashboard closes the first month
    "monthly": (21, None),
}
PERIODS = ((0, 7), (7, 14), (14, 21), (21, 30), (30, 60), (60, 90), (90, 120), (120, 150),
           (150, 180))
FIRST_DAYS = 30  # the checklist of the plan on a page


def _schedule(timeframe: Msg, start: datetime.date, texts: Texts) -> dict[str, Any]:
    """A step's place on the timeline, and its due date when it ends in the first days
    (an ongoing step: its first month's end)."""
    first, end = SCHEDULE.get(timeframe.code.removeprefix("time."), (0, None))
    due_day = end if end is not None else max(first + 1, FIRST_DAYS)
    due = start + datetime.timedelta(days=due_day - 1)
    return {
        "periods": [first < stop and (end is None or start_day < end)
                    for start_day, stop in PERIODS],
        "first_days": first < FIRST_DAYS,
        "due": due.isoformat(),
        "due_text": texts.date(due),
    }


def _skip_groups(skips, platform_name, say: Resolver, texts: Texts) -> list[dict]:
    """The networks left aside, those left aside for the very same reasons on one row
    ("X, Bluesky and Mastodon"): a small client reads five rows, not twelve."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for skip in skips:
        groups.setdefault(tuple(say(m) for m in skip.reasons), []).append(platform_name(skip.id))
    return [{"names": names, "name": texts.join(names), "reasons": list(reasons)}
            for reasons, names in groups.items()]


def build_report(profile: Profile, decisions: Decisions, knowledge: Knowledge, source: str,
                 language: str, date: datetime.date) -> dict[str, Any]:
    texts = knowledge.texts(language)
    say = Resolver(texts)
    facts = decisions.facts
    s = decisions.staffing
    p = decisions.platforms
    r = decisions.relays
    q = decisions.questions

    def platform_name(pid: str) -> str:
        return texts.label("platforms", pid)

    def listing(pid: str) -> bool:
        return is_listing(knowledge.platforms[pid], facts)

    return {
        "profile": source,
        "language": language,
        "date": date.isoformat(),
        "date_text": texts.date(date),
        "company": {
            "name": profile.company.name,
            "sector": profile.company.sector,
            "description": profile.company.description,
            "region": profile.company.region,
            "employees": profile.company.employees,
            "size": facts.size,
            "values": list(profile.company.values or ()),
            "story": profile.company.story,
            "website": profile.company.website,
            "crisis_prone": facts.crisis_prone,
            "sector_id": profile.company.sector_id,
            "target_regions": list(profile.company.target_regions or ()),
        },
        "sector": _sector(decisions, knowledge, texts, say),
        "staffing": {
            "model": s.model,
            "model_label": texts.get(f"labels.model.{lead_key(facts, s.model)}"),
            "model_short": texts.get(f"labels.model_short.{s.model}"),
            "keep_control": s.keep_control,
            "confidence": s.confidence,
            "confidence_label": texts.get(f"labels.confidence.{s.confidence}"),
            "reasons": [say.reason(m) for m in s.reasons],
            "risks": [say(risk.risk) for risk in s.risks],
            "mitigations": [{"risk": say(risk.risk), "mitigation": say(risk.mitigation)}
                            for risk in s.risks],
            "changes": [say(m) for m in s.changes],
            "strategic_criteria": list(s.strategic_criteria),
            "strategic_criteria_text": [texts.label("labels.criterion", c)
                                        for c in s.strategic_criteria],
            "keep_control_rules": [say(m) for m in s.keep_control_rules],
            "unknowns": list(s.unknowns),
        },
        "blog": {
            "decision": p.blog.decision,
            "decision_label": texts.get(f"labels.blog.{p.blog.decision}"),
            "reasons": [say.reason(m) for m in p.blog.reasons],
        },
        "platforms": [
            {"id": pick.id, "name": platform_name(pick.id), "score": pick.score,
             "role": say(pick.role), "reasons": [say(m) for m in pick.reasons],
             "goals": list(pick.goals), "audiences": list(pick.audiences),
             "listing": listing(pick.id)}
            for pick in p.picks
        ],
        "skip_platforms": [
            {"id": skip.id, "name": platform_name(skip.id),
             "reasons": [say(m) for m in skip.reasons], "existing": skip.existing}
            for skip in p.skips
        ],
        "skip_groups": _skip_groups(p.skips, platform_name, say, texts),
        "platform_capacity": p.capacity,
        "platform_uncovered": [say(m) for m in p.uncovered],
        # networks to run (a local listing is kept up to date, not run)
        "platform_run": sum(1 for pick in p.picks if not listing(pick.id)),
        "platform_provisional": list(p.provisional),
        "organization": {
            "kind": facts.org.kind, "kind_given": facts.org.kind_given, "size": facts.org.size,
            "people": facts.org.people, "budget": facts.org.budget,
            "departments": None if facts.org.departments is None else list(facts.org.departments),
            "expected_departments": list(facts.org.expected_departments),
            "decider": facts.org.decider,
            "decider_text": texts.get(f"org.decider.{facts.org.decider}"),
            "local": facts.org.local,
        },
        "platform_risks": [say(m) for m in p.risks],
        "relays": [
            {"role": say(relay.role), "department": relay.department,
             "department_label": texts.label("labels.department",
                                             facts.org.department_label(relay.department)),
             "answers": say(relay.answers), "response_time": say(relay.response_time),
             "joker": relay.joker}
            for relay in r.relays
        ],
        "joker": {"who": say(r.joker), "why": say(r.joker_reason)},
        "single_contact": say(r.single_contact),
        "routine": [say(m) for m in r.routine],
        "relay_gaps": [say(m) for m in r.gaps],
        "relay_routed": [say(m) for m in r.routed],
        "relays_none_listed": say(r.none_listed),
        "provider_questions": [
            {"id": question.id, "group": question.group,
             "text": texts.get(question.wording
                               or _question_text(texts, question.id, q.provider_heading)),
             "why": texts.get(question.purpose or f"questions.{question.id}.why"),
             "critical": question.critical,
             "critical_reason": say(question.why) if question.why else None,
             **({"source": SEEDS[question.seed]} if question.seed else {})}
            for question in q.questions
        ],
        "question_groups": {group: texts.get({"provider": q.provider_heading,
                                              "person": q.person_heading}.get(
                                                  group, f"checklist.group.{group}"))
                            for group in ("structure", "provider", "person", "four_yes")},
        "checklist_title": texts.get(q.title),
        "checklist_advice": [say(m) for m in q.advice],
        "checklist_relevance": say(q.relevance),
        "plan": [
            {"step": step.step, "key": step.key,
             "title": say(step.title) if step.title else texts.get(f"plan.{step.key}.title"),
             "actions": [say(m) for m in step.actions],
             "owner": _capitalise(say(step.owner)),
             "timeframe": say(step.timeframe),
             "indicators": [say(m) for m in step.indicators],
             "deliverable": say(step.deliverable),
             "table": [[_capitalise(say(cell)) for cell in row] for row in step.table],
             **_schedule(step.timeframe, date, texts)}
            for step in decisions.plan
        ],
        "warnings": [say(m) for m in decisions.warnings],
        "open_questions": [say(m) for m in decisions.open_questions],
        "recap": [
            {"field": path, "label": texts.get(f"fields.{path}"),
             "value": _field_value(profile, facts, path, texts),
             "known": answer(facts, path) is not None}
            for path in RECAP_FIELDS
        ],
        # the questions listed under "Open questions", which the summary counts
        "unknown_count": len(decisions.open_questions),
        "sources": [
            {"id": seed, "file": file,
             "title": texts.get(f"sources.{seed}.title"),
             "about": texts.get(f"sources.{seed}.about")}
            for seed, file in SEEDS.items()
        ],
    }


def _sector(decisions: Decisions, knowledge: Knowledge, texts: Texts, say: Resolver) -> dict:
    """The client's field: which sector was assumed, its rules, the compliance checklist
    and the target regions."""
    advice = decisions.sector
    if advice is None:
        return {}
    sector = knowledge.sectors.get(advice.id) if advice.id else None
    return {
        "id": advice.id,
        "name": texts.get(f"sectors.{advice.id}.name") if advice.id else None,
        "given": advice.given,
        "crisis_prone": bool(sector and sector.crisis_prone),
        "notes": [say(m) for m in advice.notes],
        "rules": [{"name": say(name), "text": say(text)} for name, text in advice.rules],
        "rules_none": texts.get("sector.rules_none") if advice.id and not advice.rules else None,
        "checklist": [say(m) for m in advice.checklist],
        "regions": [say(m) for m in advice.regions],
        "regional_networks": [
            {"id": pid, "name": texts.label("platforms", pid),
             "used_in": texts.get(f"platforms.{pid}.used_in"),
             "role": texts.get(f"platforms.{pid}.role.default")}
            for pid in advice.regional_networks],
    }


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
