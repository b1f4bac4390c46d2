"""The nine-step success plan, tailored to the profile.

DOMAIN.md section 5. The nine steps and their order come from 004's conclusion; what
goes into each step (SMART goals, audit baseline, audience-platform map, governance,
content pillars and a first-quarter calendar, employee guideline, crisis escalation,
KPIs with targets) is the practice of professional social media strategies. A
crisis-prone company gets a stronger step 8 (002 recalls food-sector crises).
"""

from __future__ import annotations

import datetime

from ..knowledge import Month
from .facts import Facts
from .model import Msg, PlanStep, PlatformDecision, RelayPlan, StaffingDecision, msg

STEPS = ("objectives", "audit", "platforms", "strategy", "content", "publish", "staff",
         "crisis", "measure")

# Proposed six-month targets per goal and company size; the consultant adjusts them
# with the client. Keys of the inner dicts are size classes (see facts.size_class).
TARGETS = {
    "awareness": {"micro": 300, "small": 800, "medium": 2000, "large": 5000, "unknown": 1000},
    "sales": {"micro": 5, "small": 15, "medium": 40, "large": 100, "unknown": 15},
    "recruitment": {"micro": 2, "small": 5, "medium": 15, "large": 40, "unknown": 5},
    "community": {"micro": 3, "small": 3, "medium": 2, "large": 2, "unknown": 3},
}
GOAL_PILLARS = {
    "sales": "offers", "recruitment": "life_at_work", "employer_brand": "life_at_work",
    "customer_service": "tips", "community": "community_voices", "awareness": "expertise",
    "seo": "expertise", "investor_relations": "milestones",
}


def add_months(day: datetime.date, months: int) -> Month:
    month = day.month - 1 + months
    return Month(day.year + month // 12, month % 12 + 1)


def baseline_followers(f: Facts, platform: str | None) -> int:
    """Followers today on the given network (0 without an account there)."""
    return sum(n.followers or 0 for n in f.networks if n.platform == platform)


def _audience_unknown(f: Facts, platform: str | None) -> bool:
    """The profile does not say which accounts exist, or gives no follower count there."""
    if f.presence.networks is None:
        return True
    return any(n.followers is None for n in f.networks if n.platform == platform)


def goal_params(goal: str, f: Facts, main_platform: str | None) -> dict:
    """The target, date and main platform a goal's SMART objective and KPI share."""
    params: dict = {"date": add_months(f.today, 6), "platform": main_platform or "linkedin"}
    if goal == "awareness":
        baseline = baseline_followers(f, main_platform)
        # +30% on an existing audience; a size-based start on a new account
        params["target"] = round(baseline * 1.3) if baseline else TARGETS[goal][f.size]
        params["baseline"] = baseline
    elif goal in TARGETS:
        params["target"] = TARGETS[goal][f.size]
    return params


def build_plan(f: Facts, staffing: StaffingDecision, platforms: PlatformDecision,
               relays: RelayPlan) -> tuple[PlanStep, ...]:
    model = staffing.model
    main = platforms.picks[0].id if platforms.picks else None
    lead = msg("owners.lead", "", lead=model)
    steps = [
        _objectives(f, model, main),
        _audit(f, platforms, lead),
        _platforms(f, platforms, lead),
        _strategy(f, staffing, relays, lead),
        _content(f, platforms, lead),
        _publish(f, model, platforms, lead),
        _staff(f, model),
        _crisis(f, model, lead),
        _measure(f, main, model),
    ]
    return tuple(steps)


def _step(number: int, actions, owner, timeframe, indicators, table=()) -> PlanStep:
    key = STEPS[number - 1]
    return PlanStep(number, key, tuple(actions), owner, msg(f"time.{timeframe}"),
                    tuple(indicators), msg(f"plan.{key}.deliverable", "004"), tuple(table))


def _objectives(f: Facts, model: str, main: str | None) -> PlanStep:
    actions: list[Msg] = []
    rows = []
    if f.goals:
        actions.append(msg("plan.objectives.smart", "004", count=len(f.goals)))
        for goal in f.goals:
            params = goal_params(goal, f, main)
            code = f"plan.objectives.goal.{goal}"
            if goal == "awareness" and not params["baseline"]:
                # no followers counted: a new account, or an audience not yet measured
                code += "_audit" if _audience_unknown(f, main) else "_new"
            rows.append((msg(f"labels.goal.{goal}"), msg(code, "004", **params)))
    else:
        actions.append(msg("plan.objectives.define_goals", "004"))
    budget = f.staffing.monthly_budget_eur
    if budget:
        actions.append(msg("plan.objectives.budget", "004", budget=budget, yearly=budget * 12))
    elif budget == 0:
        actions.append(msg("plan.objectives.budget_none", "004"))
    else:
        actions.append(msg("plan.objectives.budget_unknown", "004"))
    actions.append(msg(f"plan.objectives.people.{model}", "004"))
    if f.organization.management_support is not True:
        actions.append(msg("plan.objectives.management_signoff", "003"))
    return _step(1, actions, msg("owners.management", "", lead=model), "weeks_1_2",
                 [msg("plan.objectives.indicator.signed", "004")], rows)


def _audit(f: Facts, platforms: PlatformDecision, lead: Msg) -> PlanStep:
    actions: list[Msg] = []
    rows = []
    picked = {p.id for p in platforms.picks}
    retired = {s.id for s in platforms.skips if s.existing and any(
        r.code == "networks.skip.retired" for r in s.reasons)}
    for network in f.networks:
        if network.platform in retired:
            verdict = "close_retired"
        elif network.platform in picked:
            verdict = "revive" if network.active is False else "keep"
        else:
            verdict = "pause"
        rows.append((msg(f"platforms.{network.platform}.name"),
                     msg("plan.audit.followers", "", followers=network.followers)
                     if network.followers is not None else msg("labels.unknown"),
                     msg("labels.active" if network.active is not False else "labels.dormant"),
                     msg(f"plan.audit.verdict.{verdict}", "000")))
    if f.presence.networks is None:
        actions.append(msg("plan.audit.list_accounts", "004"))
    elif not f.networks:
        actions.append(msg("plan.audit.no_accounts", "004"))
    else:
        actions.append(msg("plan.audit.inventory", "004", count=len(f.networks)))
    for platform in sorted(retired):
        actions.append(msg("plan.audit.retired", "004", platform=platform))
    if f.presence.blog is True:
        actions.append(msg("plan.audit.blog", "000"))
    actions.append(msg("plan.audit.search_name", "004", name=f.company.name))
    if f.company.values:
        actions.append(msg("plan.audit.values", "004", values=", ".join(f.company.values)))
    else:
        actions.append(msg("plan.audit.find_values", "004"))
    if f.company.story:
        actions.append(msg("plan.audit.story", "004"))
    actions.append(msg("plan.audit.key_messages", "004"))
    return _step(2, actions, lead, "weeks_2_4",
                 [msg("plan.audit.indicator.baseline", "")], rows)


def _platforms(f: Facts, platforms: PlatformDecision, lead: Msg) -> PlanStep:
    actions = [msg("plan.platforms.confirm", "004", platforms=[p.id for p in platforms.picks],
                   count=len(platforms.picks))]
    actions.append(msg(f"plan.platforms.blog.{platforms.blog.decision}", "000"))
    if platforms.skips:
        actions.append(msg("plan.platforms.reserve_names", ""))
    actions.append(msg("plan.platforms.rules", "004"))
    rows = []
    for audience in f.audiences:
        reach = [p.id for p in platforms.picks if audience in p.audiences]
        rows.append((msg(f"labels.audience.{audience}"),
                     msg("plan.platforms.map.reach", "", platforms=reach) if reach
                     else msg("plan.platforms.map.none", "")))
    if not f.audiences:
        actions.append(msg("plan.platforms.define_audiences", "004"))
    return _step(3, actions, lead, "week_4",
                 [msg("plan.platforms.indicator.validated", "004")], rows)


def _strategy(f: Facts, staffing: StaffingDecision, relays: RelayPlan, lead: Msg) -> PlanStep:
    model = staffing.model
    actions = [msg(f"plan.strategy.staff.{model}", "004")]
    if model in ("external", "pair"):
        actions.append(msg("plan.strategy.two_quotes", "004"))
    if staffing.keep_control:
        actions.append(msg("plan.strategy.keep_control", "001"))
    actions.append(msg("plan.strategy.relays" if relays.relays else "plan.strategy.relays_none",
                       "002"))
    actions.append(msg("plan.strategy.governance", ""))
    actions.append(msg("plan.strategy.response_targets", "002",
                       hours=2 if f.crisis_prone else 4))
    actions.append(msg("plan.strategy.moderation", "004"))
    actions.append(msg("plan.strategy.after_hours_sensitive" if f.crisis_prone
                       else "plan.strategy.after_hours", "002"))
    if f.regulated:
        actions.append(msg("plan.strategy.regulated_validation", "003"))
    return _step(4, actions, lead, "month_2",
                 [msg("plan.strategy.indicator.charter", ""),
                  msg("plan.strategy.indicator.response_time", "",
                      hours=2 if f.crisis_prone else 4)])


def content_pillars(f: Facts) -> list[tuple[str, dict]]:
    """Three to five themes from the company's values, story and goals."""
    pillars: list[tuple[str, dict]] = []
    for value in (f.company.values or ())[:2]:
        pillars.append(("value", {"value": value}))
    if f.company.story:
        pillars.append(("story", {}))
    for goal in f.goals:
        key = GOAL_PILLARS[goal]
        if (key, {}) not in pillars:
            pillars.append((key, {}))
    for fallback in ("expertise", "behind_the_scenes", "tips"):
        if len(pillars) >= 3:
            break
        if (fallback, {}) not in pillars:
            pillars.append((fallback, {}))
    return pillars[:5]


def _content(f: Facts, platforms: PlatformDecision, lead: Msg) -> PlanStep:
    pillars = content_pillars(f)
    rows = [(msg(f"plan.content.pillar.{key}.name", "", **params),
             msg(f"plan.content.pillar.{key}.example", "", **params)) for key, params in pillars]
    actions = [msg("plan.content.pillars", "004", count=len(pillars))]
    for pick in platforms.picks:
        actions.append(msg("plan.content.formats", "004", platform=pick.id,
                           formats=msg(f"platforms.{pick.id}.formats")))
    actions.append(msg("plan.content.original", "004"))
    if f.presence.content_resources is not True:
        actions.append(msg("plan.content.resources_missing", "000"))
    actions.append(msg("plan.content.bank", ""))
    return _step(5, actions, lead, "month_2",
                 [msg("plan.content.indicator.original_share", "004")], rows)


def cadence(f: Facts, model: str) -> int:
    """Posts a week on the main network that the available time can sustain."""
    if model == "seo_addon":
        return 1
    big = f.size in ("medium", "large")
    if model == "internal":
        if f.staffing.time_available is not True:
            return 2
        return 5 if big else 3
    return {"large": 5, "medium": 4}.get(f.size, 3)


def _publish(f: Facts, model: str, platforms: PlatformDecision, lead: Msg) -> PlanStep:
    per_week = cadence(f, model)
    main = platforms.picks[0].id if platforms.picks else None
    pillars = [msg(f"plan.content.pillar.{key}.name", "", **params)
               for key, params in content_pillars(f)]
    rows = []
    for month in (1, 2, 3):
        focus = pillars[(month - 1) % len(pillars)] if pillars else msg("labels.unknown")
        rows.append((msg("plan.publish.month", "", number=month),
                     msg(f"plan.publish.month{month}", "004", focus=focus)))
    others = [p.id for p in platforms.picks[1:]]
    # the main network gets the full rhythm, the others about half of it
    params = {"per_week": per_week, "platform": main or "linkedin", "others": others,
              "times": max(1, per_week // 2)}
    actions = [msg("plan.publish.cadence" if others else "plan.publish.cadence_single", "004",
                   **params)]
    actions.append(msg("plan.publish.calendar", "004"))
    actions.append(msg("plan.publish.schedule", ""))
    actions.append(msg("plan.publish.reply", "002"))
    return _step(6, actions, lead, "from_month_3",
                 [msg("plan.publish.indicator.regularity", "004"),
                  msg("plan.publish.indicator.reply_rate", "")], rows)


def _staff(f: Facts, model: str) -> PlanStep:
    actions = [msg("plan.staff.kickoff", "004"), msg("plan.staff.guideline", "004"),
               msg("plan.staff.feed_cm", "002")]
    if {"recruitment", "employer_brand"} & set(f.goals):
        actions.append(msg("plan.staff.employer_brand", "004"))
    if f.size in ("medium", "large"):
        actions.append(msg("plan.staff.ambassadors", "004"))
    actions.append(msg("plan.staff.advocacy", "004"))
    owner = msg("owners.staff_hr" if "hr" in f.departments else "owners.staff", "", lead=model)
    return _step(7, actions, owner, "month_3",
                 [msg("plan.staff.indicator.briefed", "004"),
                  msg("plan.staff.indicator.shares", "004")])


def _crisis(f: Facts, model: str, lead: Msg) -> PlanStep:
    actions = [msg("plan.crisis.levels", "002"), msg("plan.crisis.triggers", "002"),
               msg("plan.crisis.spokesperson", "002"), msg("plan.crisis.holding", "002")]
    if f.crisis_prone:
        family = f.crisis_family
        actions.append(msg(f"plan.crisis.scenarios.{family}" if family
                           else "plan.crisis.scenarios.general", "002"))
        actions.append(msg("plan.crisis.legal_prevalidated", "002"))
        actions.append(msg("plan.crisis.watch", "002"))
        actions.append(msg("plan.crisis.drill", "002"))
        if model == "internal":
            actions.append(msg("plan.crisis.outside_view", "002"))
    actions.append(msg("plan.crisis.review", "002"))
    rows = [(msg(f"plan.crisis.level.{n}.name"), msg(f"plan.crisis.level.{n}.example"),
             msg(f"plan.crisis.level.{n}.who", "", lead=model),
             msg(f"plan.crisis.level.{n}.within_sensitive" if f.crisis_prone
                 else f"plan.crisis.level.{n}.within"))
            for n in (1, 2, 3)]
    return _step(8, actions, msg("owners.crisis", "002", lead=model),
                 "before_launch", [msg("plan.crisis.indicator.first_response", "002",
                                       hours=1 if f.crisis_prone else 2)], rows)


def _measure(f: Facts, main: str | None, model: str) -> PlanStep:
    rows = []
    indicators = []
    for goal in f.goals:
        params = goal_params(goal, f, main)
        kpi = msg(f"plan.measure.kpi.{goal}", "004", **params)
        rows.append((msg(f"labels.goal.{goal}"), kpi,
                     msg(f"plan.measure.target.{goal}", "004", **params),
                     msg(f"plan.measure.source.{goal}", "")))
        indicators.append(kpi)
    if not indicators:
        indicators.append(msg("plan.measure.kpi.default", "004"))
    actions = [msg("plan.measure.baseline", "004"), msg("plan.measure.monthly_report", "004"),
               msg("plan.measure.quarterly_review", "004")]
    budget = f.staffing.monthly_budget_eur
    actions.append(msg("plan.measure.return", "004", budget=budget) if budget
                   else msg("plan.measure.return_no_budget", "004"))
    return _step(9, actions, msg("owners.measure", "", lead=model), "monthly", indicators, rows)
