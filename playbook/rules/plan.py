"""The nine-step success plan, tailored to the profile.

DOMAIN.md section 5. The nine steps and their order come from 004's conclusion; what
goes into each step (SMART goals, audit baseline, audience-platform map, governance,
content pillars and a first-quarter calendar, employee guideline, crisis escalation,
KPIs with targets) is the practice of professional social media strategies. A
crisis-prone company gets a stronger step 8 (002 recalls food-sector crises); the
client's sector (sectors.yaml) gives step 8 its scenarios and triggers, step 5 pillar
ideas and step 9 an indicator of the field.
"""

from __future__ import annotations

import datetime

from ..knowledge import Month
from .facts import Facts
from .model import Msg, PlanStep, PlatformDecision, RelayPlan, StaffingDecision, msg
from .organization import NOT_FOR_PROFIT
from .relays import joker_is_decider
from .staffing import lead_key, seo_addon_variant

STEPS = ("objectives", "audit", "platforms", "strategy", "content", "publish", "staff",
         "crisis", "measure")

# Proposed six-month targets per goal and size band, for the rhythm of three posts a
# week; the consultant adjusts them with the client. Keys of the inner dicts are the
# size bands of organization.size_band.
TARGETS = {
    "awareness": {"none": 200, "micro": 300, "small": 600, "medium": 1500, "large": 4000,
                  "unknown": 500},
    "sales": {"none": 3, "micro": 5, "small": 12, "medium": 30, "large": 80, "unknown": 8},
    "recruitment": {"none": 2, "micro": 2, "small": 4, "medium": 12, "large": 30, "unknown": 4},
}
# Six-month growth of an existing audience: the smaller it is, the faster it grows in
# relative terms (upper bounds of followers today -> growth rate).
GROWTH = ((1_000, 0.5), (10_000, 0.25), (100_000, 0.12), (None, 0.06))
# How the publishing rhythm scales every target (posts a week -> factor).
RHYTHM_FACTOR = {1: 0.5, 2: 0.75, 3: 1.0, 4: 1.15, 5: 1.3}
# Engagement rates a small audience reaches more easily than a large one.
ENGAGEMENT = ((1_000, 4), (10_000, 3), (None, 2))
EMPLOYER_SHARE = {"none": 50, "micro": 50, "small": 40, "medium": 30, "large": 15, "unknown": 30}
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


def _band(table, value: int):
    for limit, result in table:
        if limit is None or value < limit:
            return result
    raise AssertionError(table)


def _round(value: float) -> int:
    """A target people can say aloud: 1,234 -> 1,230; 56,789 -> 56,800."""
    step = 1 if value < 100 else 10 if value < 10_000 else 100
    return int(round(value / step) * step)


def goal_params(goal: str, f: Facts, main_platform: str | None, per_week: int = 3) -> dict:
    """The target, date and main platform a goal's SMART objective and KPI share.

    Targets follow the baseline (followers today), the size of the organisation, and
    the publishing rhythm that the staffing model, time and budget allow (`cadence`)."""
    params: dict = {"date": add_months(f.today, 6), "platform": main_platform or "linkedin"}
    factor = RHYTHM_FACTOR[max(1, min(per_week, 5))]
    if f.presence.media_budget is True:
        factor *= 1.2  # paid promotion of the content speeds growth up
    size = f.org.size
    baseline = baseline_followers(f, main_platform)
    if goal == "awareness":
        if baseline:
            rate = _band(GROWTH, baseline) * factor
            params["target"] = max(baseline + 1, _round(baseline * (1 + rate)))
            params["growth"] = round(rate * 100)
        else:
            params["target"] = _round(TARGETS[goal][size] * factor)
        params["baseline"] = baseline
    elif goal in ("sales", "recruitment"):
        params["target"] = max(1, round(TARGETS[goal][size] * factor))
    elif goal == "community":
        params["target"] = _band(ENGAGEMENT, baseline)
    elif goal == "seo":
        params["target"] = 30 if f.presence.blog is True else 20 if per_week >= 3 else 10
    elif goal == "employer_brand":
        params["target"] = EMPLOYER_SHARE[size]
    elif goal == "investor_relations":
        params["target"] = 10 if baseline >= 10_000 else 20
    return params


def build_plan(f: Facts, staffing: StaffingDecision, platforms: PlatformDecision,
               relays: RelayPlan) -> tuple[PlanStep, ...]:
    model = staffing.model
    main = platforms.picks[0].id if platforms.picks else None
    lead = msg("owners.lead", "", lead=lead_key(f, model))
    per_week, why = cadence(f, model)
    steps = [
        _objectives(f, model, main, per_week),
        _audit(f, platforms, lead),
        _platforms(f, platforms, lead),
        _strategy(f, staffing, relays, lead),
        _content(f, platforms, lead, model),
        _publish(f, model, platforms, lead, per_week, why),
        _staff(f, model),
        _crisis(f, model, lead, main),
        _measure(f, main, model, per_week),
    ]
    return tuple(steps)


def _step(number: int, actions, owner, timeframe, indicators, table=(),
          deliverable: Msg | None = None, title: Msg | None = None) -> PlanStep:
    key = STEPS[number - 1]
    return PlanStep(number, key, tuple(actions), owner, msg(f"time.{timeframe}"),
                    tuple(indicators), deliverable or msg(f"plan.{key}.deliverable", "004"),
                    tuple(table), title)


def _decider(f: Facts) -> Msg:
    return msg(f"org.decider.{f.org.decider}")


def _goal_variant(f: Facts, goal: str) -> str:
    """A practice (lawyers, advisers, a clinic) takes no orders: its sales are requests
    for a first appointment. A young company publishes no results yet: its investors
    follow funding rounds and milestones (read as the start-up)."""
    if goal == "investor_relations" and f.org.young:
        return "_young"
    return "_firm" if goal == "sales" and f.org.kind == "professional_firm" else ""


def _objectives(f: Facts, model: str, main: str | None, per_week: int) -> PlanStep:
    actions: list[Msg] = []
    rows = []
    if f.goals:
        actions.append(msg("plan.objectives.smart", "004", count=len(f.goals)))
        for goal in f.goals:
            params = goal_params(goal, f, main, per_week)
            code = f"plan.objectives.goal.{goal}"
            if goal == "awareness" and not params["baseline"]:
                # no followers counted: a new account, or an audience not yet measured
                code += "_audit" if _audience_unknown(f, main) else "_new"
            code += _goal_variant(f, goal)
            rows.append((msg(f"labels.goal.{f.org.goal_labels((goal,))[0]}"), msg(code, "004", **params)))
    else:
        actions.append(msg("plan.objectives.define_goals", "004"))
    budget = f.staffing.monthly_budget_eur
    if f.org.zero_budget:
        # nothing to buy: free tools and the time of the people who are there
        actions.append(msg("plan.objectives.budget_zero_volunteers" if f.org.volunteers
                           else "plan.objectives.budget_zero", "004"))
    elif budget:
        actions.append(msg("plan.objectives.budget", "004", budget=budget, yearly=budget * 12))
    elif budget == 0:
        actions.append(msg("plan.objectives.budget_none", "004"))
    else:
        actions.append(msg("plan.objectives.budget_unknown", "004"))
    people = f"plan.objectives.people.{model}"
    if model == "internal" and f.org.workers in ("volunteers", "owners"):
        # one of those who run it does it, in their own diary, with no job description
        # to write it into (five people or fewer too: read as the start-up)
        people += "_volunteer" if f.org.volunteers else "_owner"
        if people.endswith("_owner") and f.org.time is False:
            people += "_no_time"  # no time to give: one slot, the weekly post of step 6
    elif model == "seo_addon":
        people += seo_addon_variant(f)
    actions.append(msg(people, "004"))
    if f.organization.management_support is not True:
        actions.append(msg("plan.objectives.management_signoff", "003", decider=_decider(f)))
    return _step(1, actions, msg("owners.management", "", lead=lead_key(f, model), decider=_decider(f)),
                 "weeks_1_2", [msg("plan.objectives.indicator.signed", "004",
                                   decider=_decider(f))], rows,
                 deliverable=msg("plan.objectives.deliverable", "004", decider=_decider(f)))


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
    actions.append(msg(f"plan.audit.search_name.{_public_word(f)}", "004", name=f.company.name))
    if f.company.values:
        actions.append(msg("plan.audit.values", "004", values=", ".join(f.company.values)))
    else:
        actions.append(msg("plan.audit.find_values", "004"))
    if f.company.story:
        actions.append(msg("plan.audit.story_young" if f.org.young else "plan.audit.story", "004"))
    actions.append(msg("plan.audit.key_messages", "004"))
    return _step(2, actions, lead, "weeks_2_4",
                 [msg("plan.audit.indicator.baseline", "")], rows)


def _public_word(f: Facts) -> str:
    """Who looks for the organisation: customers, residents, members, clients."""
    return {"public_body": "resident", "association": "member",
            "professional_firm": "client"}.get(f.org.kind, "customer")


def _platforms(f: Facts, platforms: PlatformDecision, lead: Msg) -> PlanStep:
    actions = [msg("plan.platforms.confirm", "004", platforms=[p.id for p in platforms.picks],
                   count=len(platforms.picks))]
    actions.append(msg(f"plan.platforms.blog.{platforms.blog.decision}", "000"))
    if platforms.skips:
        actions.append(msg("plan.platforms.reserve_names", ""))
    actions.append(msg("plan.platforms.rules", "004"))
    # part 6 names the networks that reach the target markets abroad: the plan has
    # someone decide on them (read as the wine estate, 70 % of its sales in Asia)
    picked = {p.id for p in platforms.picks}
    regional = list(dict.fromkeys(pid for region in f.regions for pid in region.local_networks
                                  if pid not in picked))
    if regional:
        actions.append(msg("plan.platforms.regions", "", platforms=regional))
    rows = []
    explained = {m.params.get("audience"): m for m in platforms.uncovered
                 if m.params.get("audience")}
    for audience in f.audiences:
        reach = [p.id for p in platforms.picks if audience in p.audiences]
        rows.append((msg(f"labels.audience.{audience}"),
                     msg("plan.platforms.map.reach", "", platforms=reach) if reach
                     else explained.get(audience) or msg("plan.platforms.map.none", "")))
    if not f.audiences:
        actions.append(msg("plan.platforms.define_audiences", "004"))
    return _step(3, actions, lead, "week_4",
                 [msg("plan.platforms.indicator.validated", "004")], rows)


def _strategy(f: Facts, staffing: StaffingDecision, relays: RelayPlan, lead: Msg) -> PlanStep:
    model = staffing.model
    org = f.org
    staff = f"plan.strategy.staff.{model}"
    if model == "internal" and f.staffing.trained is True:
        staff += "_trained"
    elif model == "internal" and (org.zero_budget or f.staffing.training_budget is not True):
        staff += "_free_training"  # no money for training: free courses, not a booking
    elif model == "seo_addon":
        staff += seo_addon_variant(f)
    actions = [msg(staff, "004")]
    if model in ("external", "pair") and not org.zero_budget:
        actions.append(msg("plan.strategy.two_quotes", "004"))
    if staffing.keep_control:
        actions.append(msg("plan.strategy.keep_control", "001"))
    actions.append(msg("plan.strategy.relays" if relays.relays else "plan.strategy.relays_none",
                       "002"))
    actions.append(msg("plan.strategy.governance", ""))
    hours = response_hours(f)
    actions.append(msg("plan.strategy.response_targets_volunteers" if org.volunteers
                       else "plan.strategy.response_targets", "002", hours=hours))
    actions.append(msg("plan.strategy.moderation", "004"))
    if f.crisis_prone:
        # a weekend rota needs a team; a small structure sets alerts instead
        actions.append(msg("plan.strategy.after_hours_sensitive_small" if org.small
                           else "plan.strategy.after_hours_sensitive", "002",
                           decider=_decider(f)))
    elif org.size == "large":
        # a group of hundreds gets messages at all hours: a rota, not "even briefly"
        actions.append(msg("plan.strategy.after_hours_large", "002"))
    else:
        actions.append(msg("plan.strategy.after_hours", "002"))
    if f.regulated:
        actions.append(msg("plan.strategy.regulated_validation" if org.has("legal")
                           else "plan.strategy.regulated_validation_outside", "003",
                           decider=_decider(f)))
    elif f.every_post_checked:
        actions.append(msg("plan.strategy.sector_validation" if org.has("legal")
                           else "plan.strategy.sector_validation_outside", "003",
                           decider=_decider(f)))
    return _step(4, actions, lead, "month_2",
                 [msg("plan.strategy.indicator.charter", ""),
                  msg("plan.strategy.indicator.response_time_volunteers" if org.volunteers
                      else "plan.strategy.indicator.response_time", "", hours=hours)])


def response_hours(f: Facts) -> int:
    """First-answer target in working hours: faster where crises threaten, slower
    where volunteers answer in their spare time."""
    if f.org.volunteers:
        return 24
    return 2 if f.crisis_prone and not f.org.tiny else 4


def content_pillars(f: Facts, model: str = "") -> list[tuple[str, dict]]:
    """Three to five themes from the company's values, story and goals."""
    pillars: list[tuple[str, dict]] = []
    # up to three values: the third is often the most distinctive (a mining heritage
    # after "public service" and "proximity")
    for value in (f.company.values or ())[:3]:
        pillars.append(("value", {"value": value}))
    if f.company.story:
        pillars.append(("story_young" if f.org.young else "story", {}))
    for goal in f.goals:
        # an SEO add-on posts to bring searchers to the website: answers to the
        # questions they type, rather than general expertise
        key = "tips" if goal == "seo" and model == "seo_addon" else GOAL_PILLARS[goal]
        key = _pillar(f, key, model)
        if (key, {}) not in pillars:
            pillars.append((key, {}))
    for fallback in ("expertise", "behind_the_scenes", "tips"):
        if len(pillars) >= 3:
            break
        fallback = _pillar(f, fallback, model)
        if (fallback, {}) not in pillars:
            pillars.append((fallback, {}))
    if f.org.kind == "public_body":
        # residents, not customers, ask the questions; a public service explains its
        # action rather than following a market's trends, and makes nothing
        public = {"tips": "tips_public", "expertise": "expertise_public",
                  "behind_the_scenes": "behind_the_scenes_services"}
        pillars = [(public.get(key, key), p) for key, p in pillars]
    if f.org.kind in NOT_FOR_PROFIT:
        pillars = [("community_voices_members", p) if key == "community_voices" else (key, p)
                   for key, p in pillars]
    return pillars[:5]


def _pillar(f: Facts, key: str, model: str) -> str:
    """A pillar's wording for what this organisation offers."""
    services = f.sector is not None and f.sector.sells == "services"
    if key == "tips" and model == "seo_addon":
        return "tips_search"
    if key == "offers" and f.org.kind == "public_body":
        return "services"
    if key == "offers" and f.org.kind == "professional_firm":
        return "offers_firm"  # a practice has no new products or seasonal offers
    if key == "offers" and f.company.market == "b2b":
        return "offers_b2b"
    if key in ("offers", "behind_the_scenes") and services:
        return key + "_services"  # a repair or a trip is not a product being made (the garage)
    return key


def _pillar_example(f: Facts, key: str) -> str:
    """The example of a pillar: the field's own for its products when its rules forbid
    the generic one (no customers' drinking moments under the Loi Évin)."""
    if key == "offers" and f.sector is not None and f.sector.offers_example:
        return f"sectors.{f.sector.id}.offers_example"
    return f"plan.content.pillar.{key}.example"


def _content(f: Facts, platforms: PlatformDecision, lead: Msg, model: str) -> PlanStep:
    pillars = content_pillars(f, model)
    rows = [(msg(f"plan.content.pillar.{key}.name", "", **params),
             msg(_pillar_example(f, key), "", **params)) for key, params in pillars]
    # a value shown at work is where a return gets promised or a drink glamorised (read
    # as the wealth advisers): in a field that checks every post, its rules bound each pillar
    actions = [msg("plan.content.pillars_checked" if f.every_post_checked
                   else "plan.content.pillars", "004", count=len(pillars))]
    for pick in platforms.picks:
        # no staff, no job offers: an organisation of volunteers has formats of its own
        formats = (f"platforms.{pick.id}.formats_volunteers" if f.org.people == "volunteers"
                   else f"platforms.{pick.id}.formats")
        actions.append(msg("plan.content.formats", "004", platform=pick.id,
                           formats=msg(formats)))
    if f.sector:
        actions.append(msg("plan.content.sector_pillars", "",
                           ideas=msg(f"sectors.{f.sector.id}.pillars")))
    actions.append(msg("plan.content.original", "004"))
    if f.presence.content_resources is not True:
        # only a provider who exists can bring the ideas
        who = ("provider" if model in ("external", "pair")
               else "volunteers" if f.org.volunteers else "team")
        actions.append(msg(f"plan.content.resources_missing.{who}", "000"))
    actions.append(msg("plan.content.bank", ""))
    return _step(5, actions, lead, "month_2",
                 [msg("plan.content.indicator.original_share", "004")], rows)


def cadence(f: Facts, model: str) -> tuple[int, str]:
    """Posts a week on the main network, and why that many: what the staffing model,
    the time, the budget and the material available can sustain."""
    org = f.org
    if model == "seo_addon":
        return 1, "seo_addon"
    if model in ("external", "pair"):
        if org.monthly_budget:
            # about 400 euros of provider time a month per weekly post, all included
            per_week, why = max(1, min(5, int(org.monthly_budget // 400))), "provider_budget"
            if model == "pair" and org.time is True:
                per_week, why = min(5, per_week + 1), "pair_time"
        else:
            per_week, why = 2, "budget_unknown"
    elif org.time is False:
        per_week, why = 1, "no_time"
    elif org.time is None:
        per_week, why = 2, "time_unknown"
    elif org.volunteers:
        per_week, why = 2, "volunteers"
    elif org.tiny:
        per_week, why = 2, "small_team"
    else:
        per_week, why = {"small": 3, "medium": 4, "large": 5}.get(org.size, 3), "time"
    if org.content is False and per_week > 2:
        per_week, why = 2, "little_material"
    return per_week, why


def relaunch(f: Facts, main: str | None) -> bool:
    """The main network is an account held today, with followers (or a count not
    given): the plan relaunches it to them rather than launching a page."""
    return any(n.platform == main and n.followers != 0 for n in f.networks)


def _publish(f: Facts, model: str, platforms: PlatformDecision, lead: Msg, per_week: int,
             why: str) -> PlanStep:
    main = platforms.picks[0].id if platforms.picks else None
    pillars = [msg(f"plan.content.pillar.{key}.name", "", **params)
               for key, params in content_pillars(f, model)]
    rows = []
    for month in (1, 2, 3):
        focus = pillars[(month - 1) % len(pillars)] if pillars else msg("labels.unknown")
        code = f"plan.publish.month{month}" + ("_relaunch" if month == 1 and relaunch(f, main)
                                                else "")
        rows.append((msg("plan.publish.month", "", number=month), msg(code, "004", focus=focus)))
    others = [p.id for p in platforms.picks[1:]]
    # the main network gets the full rhythm, the others about half of it
    params = {"per_week": per_week, "platform": main or "linkedin", "others": others,
              "times": max(1, per_week // 2),
              "why": msg(f"plan.publish.why.{why}", "", budget=f.org.monthly_budget)}
    actions = [msg("plan.publish.cadence" if others else "plan.publish.cadence_single", "004",
                   **params)]
    if platforms.blog.decision == "yes":
        # part 2 says yes to a blog: the rhythm includes it (read as the bakery)
        actions.append(msg("plan.publish.blog", "000"))
    actions.append(msg("plan.publish.calendar", "004"))
    actions.append(msg("plan.publish.schedule_free" if f.org.zero_budget
                       else "plan.publish.schedule", ""))
    # volunteers give an hour or two a week (part 1): a daily reply session would not
    # hold, a short daily look shared among them does (read as Les Amis du Rail)
    actions.append(msg("plan.publish.reply_volunteers" if f.org.volunteers
                       else "plan.publish.reply", "002"))
    return _step(6, actions, lead, "from_month_3",
                 [msg("plan.publish.indicator.regularity", "004"),
                  msg("plan.publish.indicator.reply_rate", "")], rows)


def _staff(f: Facts, model: str) -> PlanStep:
    # an association run by volunteers speaks to its members; one with employees to its
    # staff and volunteers; any other organisation to its staff, whom a public body calls
    # its agents (only the lines that say "salariés" in French have that variant)
    members = {"volunteers": "_members", "association": "_association"}.get(f.org.circle, "")
    named = members or ("_public" if f.org.circle == "public" else "")
    if not f.org.circle and f.org.handful:
        # three founders have no staff to brief nor a charter to have read: the handful
        # of people agree on shared rules and post from their own profiles
        members = named = "_tiny"
    # a field whose rules check every post (part 6): what staff share about the
    # offer follows them too (read as the wine estate)
    checked = "_checked" if f.every_post_checked and named in ("", "_tiny") else ""
    actions = [msg("plan.staff.kickoff" + members, "004"),
               msg("plan.staff.guideline" + named + checked, "004"),
               msg("plan.staff.feed_cm", "002")]
    if {"recruitment", "employer_brand"} & set(f.goals):
        actions.append(msg("plan.staff.employer_brand" + members, "004"))
    if f.size in ("medium", "large"):  # never an association run by volunteers
        actions.append(msg("plan.staff.ambassadors" + members, "004"))
    actions.append(msg("plan.staff.advocacy" + members, "004"))
    owner = (msg("owners.staff_hr", "", lead=lead_key(f, model)) if f.org.has("hr")
             else msg("owners.staff", "", lead=lead_key(f, model), decider=_decider(f)))
    return _step(7, actions, owner, "month_3",
                 [msg("plan.staff.indicator.briefed" + named, "004"),
                  msg("plan.staff.indicator.shares" + named, "004")],
                 deliverable=msg("plan.staff.deliverable" + named, "004"),
                 # a public body has no brand: its staff carry the service's image
                 title=msg("plan.staff.title_tiny") if members == "_tiny"
                 else msg("plan.staff.title_members") if members
                 else msg("plan.staff.title_public") if named else None)


def _signoff(f: Facts) -> str:
    """Who pre-approves crisis statements: the departments that exist, else whoever
    decides, with an outside adviser named as such."""
    legal, quality = f.org.has("legal"), f.org.has("quality")
    if legal and quality:
        return "legal_quality"
    if legal:
        return "legal"
    if quality:
        return "quality_decider"
    return "decider_free" if f.org.zero_budget else "decider"


def _crisis(f: Facts, model: str, lead: Msg, main: str | None) -> PlanStep:
    org = f.org
    decider = _decider(f)
    actions = [msg("plan.crisis.levels", "002"), msg("plan.crisis.triggers", "002"),
               msg("plan.crisis.spokesperson", "002"), msg("plan.crisis.holding", "002")]
    if f.sector:
        # the scenarios and triggers a specialist of the client's field would name
        actions.append(msg(f"sectors.{f.sector.id}.scenarios", "002"))
        actions.append(msg(f"sectors.{f.sector.id}.triggers", "002"))
    elif f.crisis_prone:
        actions.append(msg("plan.crisis.scenarios.general", "002"))
    if f.crisis_prone:
        actions.append(msg(f"plan.crisis.prevalidated.{_signoff(f)}", "002", decider=decider))
        actions.append(msg("plan.crisis.watch_small" if org.small else "plan.crisis.watch",
                           "002"))
        actions.append(msg("plan.crisis.drill", "002"))
        if model == "internal":
            # no money for a provider: outside help without a contract
            actions.append(msg("plan.crisis.outside_view_free" if org.zero_budget
                               else "plan.crisis.outside_view_no_provider"
                               if f.no_provider_budget
                               else "plan.crisis.outside_view", "002"))
    elif org.size == "large" and f.sector is not None:
        # criticism spreads with the audience (000): a group of hundreds has its field's
        # scenarios pre-approved and rehearsed even outside a sensitive sector
        actions.append(msg(f"plan.crisis.prevalidated.{_signoff(f)}", "002", decider=decider))
        actions.append(msg("plan.crisis.drill", "002"))
    actions.append(msg("plan.crisis.review", "002"))
    level3 = ("who_legal" if org.has("legal") else "who") + \
        ("_joker_decides" if joker_is_decider(f) else "")
    rows = []
    for n in (1, 2, 3):
        who = f"plan.crisis.level.{n}.{level3 if n == 3 else 'who'}"
        within = f"plan.crisis.level.{n}.within"
        if org.volunteers:
            within += "_volunteers"
        elif f.crisis_prone and not org.tiny:
            # a small structure has no one on call at night: it answers the alert of
            # step 4 (on a phone), not a watch kept day and night
            within += "_sensitive_small" if org.small and n > 1 else "_sensitive"
        rows.append((msg(f"plan.crisis.level.{n}.name"), msg(f"plan.crisis.level.{n}.example"),
                     msg(who, "", lead=lead_key(f, model), decider=decider), msg(within)))
    hours = 24 if org.volunteers else 1 if f.crisis_prone and not org.tiny else 2
    # ready before the first post, or before the relaunch of a page already followed
    when = "before_relaunch" if relaunch(f, main) else "before_launch"
    return _step(8, actions, msg("owners.crisis", "002", lead=lead_key(f, model)), when,
                 [msg("plan.crisis.indicator.first_response", "002", hours=hours)], rows)


def _measure(f: Facts, main: str | None, model: str, per_week: int) -> PlanStep:
    rows = []
    indicators = []
    for goal in f.goals:
        params = goal_params(goal, f, main, per_week)
        kpi = msg(f"plan.measure.kpi.{goal}{_goal_variant(f, goal)}", "004", **params)
        rows.append((msg(f"labels.goal.{f.org.goal_labels((goal,))[0]}"), kpi,
                     msg(f"plan.measure.target.{goal}", "004", **params),
                     msg(f"plan.measure.source.{goal}", "")))
        indicators.append(kpi)
    if not indicators:
        indicators.append(msg("plan.measure.kpi.default", "004"))
    decider = _decider(f)
    actions = [msg("plan.measure.baseline", "004")]
    if f.goals:
        # the reasoning behind every target, stated once
        baseline = baseline_followers(f, main)
        actions.append(msg("plan.measure.reasoning" if baseline else "plan.measure.reasoning_new",
                           "004", per_week=per_week, baseline=baseline,
                           platform=main or "linkedin"))
    actions += [msg("plan.measure.monthly_report", "004"),
                msg("plan.measure.quarterly_review", "004", decider=decider)]
    budget = f.staffing.monthly_budget_eur
    if f.sector:
        actions.append(msg("plan.measure.sector_kpi", "", kpi=msg(f"sectors.{f.sector.id}.kpi")))
    actions.append(msg("plan.measure.return", "004", budget=budget) if budget
                   else msg("plan.measure.return_no_budget", "004"))
    return _step(9, actions, msg("owners.measure", "", lead=lead_key(f, model), decider=decider), "monthly",
                 indicators, rows)
