"""Platforms: an owned blog (yes, later, no) and a short ranked list of networks.

DOMAIN.md section 2. Existing networks bring an audience at once but impose their
rules and keep the conversations (000); an owned blog matches the company's aims and
keeps its data, but its community starts from nothing: it needs content and a media
plan (000, 004). No obligation to be everywhere: goals and means decide (004).

Each network of the catalogue carries a fit (0 to 1) per market, goal and audience;
a network's score is a weighted blend of those fits for this profile, nudged by an
existing account and by the content it needs versus the resources the company has.
"""

from __future__ import annotations

from ..knowledge import Knowledge, Platform
from .facts import Facts
from .model import BlogDecision, Msg, PlatformDecision, PlatformPick, PlatformSkip, msg

GOOD_FIT = 0.7  # a goal or audience "served" by a network
POOR_FIT = 0.5  # a goal, audience or market fit below this is named as a reason to skip
MIN_SCORE = 0.6  # below this a network is not recommended, whatever the room left
OWNED_BLOG_GOALS = ("seo", "community", "customer_service")


def _fit(weights, wanted) -> float:
    """Best fit counts most: one goal served very well beats several served poorly."""
    if not wanted:
        # unknown goals or audiences: the network's fit on average, so a generalist
        # network is not outranked by a niche one because the answer is missing
        values = [float(v) for v in weights.values()] or [0.5]
        return sum(values) / len(values)
    values = [float(weights.get(w, 0.1)) for w in wanted]
    return 0.6 * max(values) + 0.4 * sum(values) / len(values)


def market_label(f: Facts) -> str | None:
    """The market as the playbook names it: a charity in the "public" market serves
    the public interest, it is no public service."""
    if f.company.market == "public" and f.org.kind == "association":
        return "public_interest"
    return f.company.market


def _market_fit(platform: Platform, f: Facts) -> float:
    market = f.company.market
    if market:
        return float(platform.markets.get(market, 0.1))
    values = [float(v) for v in platform.markets.values()] or [0.5]
    return sum(values) / len(values)  # unknown market: the average fit, not a penalty


def score(platform: Platform, f: Facts) -> float:
    """Fit to goals and audiences, scaled by fit to the market: a network that serves
    the right goals but in the wrong market (LinkedIn for a bakery) scores low."""
    fit = 0.55 * _fit(platform.goals, f.goals) + 0.45 * _fit(platform.audiences, f.audiences)
    value = fit * (0.5 + 0.5 * _market_fit(platform, f))
    account = _account(f, platform.id)
    if account is not None and account.active is not False:
        value += 0.08 + (0.04 if (account.followers or 0) >= 1000 else 0)
    # what a specialist of the field knows: LinkedIn for industry, a local listing for
    # trades, YouTube for tutorials (sectors.yaml, `platforms`)
    value += f.sector.platforms.get(platform.id, 0.0) if f.sector else 0.0
    resources = f.presence.content_resources
    if platform.needs in ("video", "visual") and resources is not True:
        heavy = 0.15 if platform.needs == "video" else 0.08
        value -= heavy if resources is False else heavy / 3
    return round(min(max(value, 0.0), 1.0), 2)


def capacity(f: Facts, model: str) -> int:
    """How many networks the people and time available can run well."""
    if model == "seo_addon":
        return 1
    base = {"micro": 2, "small": 2, "medium": 3, "large": 4, "unknown": 3}[f.size]
    if f.staffing.time_available is False and model == "internal":
        base -= 1
    if f.presence.content_resources is True and f.size in ("medium", "large"):
        base += 1
    return max(base, 1)


def _account(f: Facts, platform_id: str):
    for network in f.networks:
        if network.platform == platform_id:
            return network
    return None


def provisional_fields(f: Facts) -> tuple[str, ...]:
    """The unanswered questions the choice of networks rests on."""
    out = []
    if f.profile.goals is None:
        out.append("goals")
    if f.profile.audiences is None:
        out.append("audiences")
    if f.company.market is None:
        out.append("company.market")
    return tuple(out)


def decide_platforms(f: Facts, knowledge: Knowledge, model: str) -> PlatformDecision:
    # regional networks are offered per target region (rules/sectors.py), not ranked
    # here, unless the client already has an account there: that audience counts
    held = {n.platform for n in f.networks}
    active = [p for p in knowledge.platforms.values()
              if not p.retired and (not p.regional or p.id in held)]
    scores = {p.id: score(p, f) for p in active}
    ranked = sorted(active, key=lambda p: (-scores[p.id], p.id))
    by_id = {p.id: p for p in active}
    room = capacity(f, model)
    unknown = provisional_fields(f)

    def feasible(platform: Platform) -> bool:
        # Video networks need regular video: without content resources, never recommended.
        return not (platform.needs == "video" and f.presence.content_resources is False
                    or _listing_not_run(platform, f))

    chosen: list[str] = []
    why_added: dict[str, Msg] = {}

    def listing(pid: str) -> bool:  # takes no room among the networks the means allow
        return is_listing(by_id[pid], f)

    def used() -> int:
        return sum(1 for pid in chosen if not listing(pid))

    # the active audiences the client already has, kept below: room is left for them,
    # so a network ranked above them never pushes one out (read as the ride-sharing app,
    # whose 8,000 Instagram followers made way for a new YouTube channel)
    kept = {a.platform for a in f.org.audiences
            if a.active is not False and a.followers and a.platform in by_id}
    for platform in ranked:
        # Unknown answers are not evidence against a network: a provisional list is
        # filled up to what the means allow instead of stopping at the score threshold.
        good_enough = scores[platform.id] >= MIN_SCORE or not chosen or bool(unknown)
        waiting = 0 if platform.id in kept else sum(
            1 for pid in kept if pid not in chosen and not listing(pid))
        if listing(platform.id):
            if scores[platform.id] >= MIN_SCORE:
                chosen.append(platform.id)
        elif feasible(platform) and used() + waiting < room and good_enough:
            chosen.append(platform.id)

    def serves(pid: str, kind: str, value: str) -> bool:
        weights = by_id[pid].goals if kind == "goal" else by_id[pid].audiences
        return float(weights.get(value, 0)) >= GOOD_FIT

    needs = [("goal", g) for g in f.goals] + [("audience", a) for a in f.audiences]
    protected: set[str] = set()  # added for a stated reason: never swapped out again

    def droppable(adding: str) -> list[str]:
        """Picks whose place `adding` can take, every need they serve still served,
        worst first."""
        out = []
        for pid in reversed(chosen):
            if pid in protected or listing(pid):
                continue
            rest = [q for q in chosen if q != pid] + [adding]
            if all(any(serves(q, kind, value) for q in rest)
                   for kind, value in needs if serves(pid, kind, value)):
                out.append(pid)
        return out

    def make_room(pid: str, reason: Msg, force: bool) -> bool:
        """Add `pid`, swapping out a pick nothing depends on when the means are full."""
        if pid in chosen:
            protected.add(pid)
            return True
        if used() >= room and not listing(pid):
            spare = droppable(pid)
            if spare:
                chosen.remove(spare[0])
            elif not force:
                return False
        chosen.append(pid)
        protected.add(pid)
        why_added[pid] = reason
        return True

    # An active audience the client already has is kept: it is an audience from day one.
    for account in sorted((a for a in f.org.audiences if a.active is not False and a.followers
                           and a.platform in by_id),
                          key=lambda a: -(a.followers or 0)):
        largest = account is f.org.largest_active_audience
        make_room(account.platform, msg("networks.reason.kept_audience", "000",
                                        followers=account.followers), force=largest)
    # A business customers visit gets found in local search: the listing is light work.
    local = [p.id for p in active if p.local]
    if f.org.local:
        for pid in local:
            make_room(pid, msg("networks.reason.local_listing", ""), force=True)
    # Every goal, then every audience, is served by a pick, or explained.
    uncovered: list[Msg] = []
    for index, (kind, value) in enumerate(needs):
        if any(serves(pid, kind, value) for pid in chosen):
            continue
        candidates = [p.id for p in ranked if feasible(p) and serves(p.id, kind, value)]
        top_goal = kind == "goal" and index == 0
        if candidates and make_room(candidates[0], msg(f"networks.reason.covers_{kind}", "004",
                                                       **{kind: value}), force=top_goal):
            continue
        if candidates:
            uncovered.append(msg(f"networks.uncovered.{kind}_no_room", "004",
                                 **{kind: value, "platform": candidates[0], "capacity": room,
                                    "instead": msg(f"networks.instead.{kind}.{value}")}))
        else:
            uncovered.append(msg(f"networks.uncovered.{kind}_none", "004",
                                 **{kind: value, "instead": msg(f"networks.instead.{kind}.{value}")}))

    order = {p.id: i for i, p in enumerate(ranked)}
    # networks to run first, by fit; a local listing last (the main network is run)
    chosen.sort(key=lambda pid: (listing(pid), order[pid]))
    # the only network to run carries every goal it serves: its role follows the goal
    # the profile ranks first, not the network's strongest (a start-up whose first goal
    # is awareness is not told its sole LinkedIn is for job offers)
    sole = sum(not listing(pid) for pid in chosen) == 1
    picks = [_pick(by_id[pid], scores[pid], f, knowledge, why_added.get(pid), bool(unknown),
                   sole and not listing(pid))
             for pid in chosen]
    skips = [_skip(p, scores[p.id], f, room, [by_id[q] for q in chosen])
             for p in ranked if p.id not in chosen]
    for network in f.networks:  # accounts on retired platforms: close or redirect them
        platform = knowledge.platforms.get(network.platform)
        if platform is not None and platform.retired:
            skips.append(PlatformSkip(platform.id, (msg("networks.skip.retired", "004",
                                                        platform=platform.id),), existing=True))
    return PlatformDecision(
        blog=decide_blog(f),
        picks=tuple(picks),
        skips=tuple(skips),
        risks=tuple(_risks(f)),
        capacity=room,
        uncovered=tuple(uncovered),
        provisional=unknown,
    )


def _served(weights, wanted) -> tuple[str, ...]:
    return tuple(w for w in wanted if float(weights.get(w, 0)) >= GOOD_FIT)


def _pick(platform: Platform, value: float, f: Facts, knowledge: Knowledge,
          added: Msg | None, provisional: bool, sole: bool = False) -> PlatformPick:
    goals = _served(platform.goals, f.goals)
    audiences = _served(platform.audiences, f.audiences)
    reasons: list[Msg] = [added] if added is not None else []
    if goals:
        reasons.append(msg("networks.reason.goals", "004", goals=f.org.goal_labels(goals)))
    if audiences:
        reasons.append(msg("networks.reason.audiences", "004", audiences=audiences))
    market = f.company.market
    if market and float(platform.markets.get(market, 0)) >= 0.8:
        reasons.append(msg("networks.reason.market", "004", market=market_label(f)))
    if f.sector and f.sector.platforms.get(platform.id, 0) > 0:
        reasons.append(msg(f"sectors.{f.sector.id}.platform_note", ""))
    # a target market it does not reach, in the words of part 6 (read as the wine
    # estate: Facebook recommended without a word of China or Japan)
    for region in f.regions:
        note = ("blocked" if platform.id in region.blocked
                else "little_used" if platform.id in region.little_used else None)
        if note:
            reasons.append(msg(f"region_notes.{note}", region=msg(f"regions.{region.id}.name"),
                               platforms=[platform.id]))
    account = _account(f, platform.id)
    if account is not None:
        if account.active is False:
            reasons.append(msg("networks.reason.revive_account", "000"))
        elif added is not None and added.code == "networks.reason.kept_audience":
            pass  # the first reason already counts the followers
        elif account.followers:
            reasons.append(msg("networks.reason.existing_audience", "000",
                               followers=account.followers))
        else:
            reasons.append(msg("networks.reason.existing_account", "000"))
    if platform.needs in ("video", "visual") and f.presence.content_resources is True:
        reasons.append(msg(f"networks.reason.resources_{platform.needs}", "004"))
    if platform.local and added is None:
        # a listing takes no room among the networks to run: say so wherever it comes from
        reasons.append(msg("networks.reason.local_listing" if f.org.local
                           else "networks.reason.local", ""))
    if provisional:
        reasons.append(msg("networks.reason.provisional", ""))
    elif not reasons:
        reasons.append(msg("networks.reason.best_available", "004"))
    best_goal = max(f.goals, key=lambda g: float(platform.goals.get(g, 0)), default=None)
    if sole and goals:
        best_goal = goals[0]  # the profile's own ranking among the goals it serves
    role = f"platforms.{platform.id}.role."
    suffixes = _role_suffixes(f, best_goal)
    candidates = [role + best_goal + suffix for suffix in suffixes] if best_goal else []
    candidates += [role + "default" + suffix for suffix in suffixes if suffix]
    role_code = next((code for code in candidates if code in knowledge.messages),
                     role + "default")
    return PlatformPick(platform.id, value, msg(role_code, "004"), tuple(reasons), goals, audiences)


def _role_suffixes(f: Facts, goal: str | None) -> tuple[str, ...]:
    """The wordings of a network's role for a goal, most specific first."""
    # a public body speaks to residents, an association to members and supporters: no
    # customers, regulars or buyers
    kind = {"public_body": ("_public",), "association": ("_association",)}.get(f.org.kind, ())
    if goal == "recruitment" and f.org.people == "volunteers":
        # an organisation run by volunteers recruits volunteers, not staff
        return ("_volunteers",) + kind
    if kind:
        return kind + ("",)
    if f.org.kind == "professional_firm":
        return ("_firm", "")  # a practice's clients and prescribers, not buyers of products
    if f.sector is not None and f.sector.sells == "services":
        return ("_services", "")  # a repair or a trip, not a product on a shelf
    return ("",)


def is_listing(platform: Platform, f: Facts) -> bool:
    """A local listing of a business customers visit: kept up to date, not run."""
    return platform.local and f.org.local


def _no_place(f: Facts) -> bool:
    """The client's field has no place its customers visit (a ride-sharing platform)."""
    return f.sector is not None and not f.sector.visited


def _listing_not_run(platform: Platform, f: Facts) -> bool:
    """A local listing is for a place customers visit: a large consumer business's shops
    or branches each keep their own, it is no network to run from the centre (read as
    the 140-store retailer); a field with no such place has none (the ride-sharing app)."""
    return platform.local and not f.org.local and (
        _no_place(f) or f.org.kind == "company" and f.company.market in ("b2c", "both"))


def _skip(platform: Platform, value: float, f: Facts, room: int,
          picks: list[Platform]) -> PlatformSkip:
    account = _account(f, platform.id)
    reasons: list[Msg] = []
    if _listing_not_run(platform, f):
        reasons.append(msg("networks.skip.listing_no_place" if _no_place(f)
                           else "networks.skip.listing_sites", ""))
        if account is not None:
            reasons.append(msg("networks.skip.existing_account", "000",
                               followers=account.followers or 0))
        return PlatformSkip(platform.id, tuple(reasons), existing=account is not None)
    # goals this network would help, and the picks that already serve them
    helped = tuple(g for g in f.goals if float(platform.goals.get(g, 0)) >= 0.4)
    covering = [p.id for p in picks if any(float(p.goals.get(g, 0)) >= GOOD_FIT for g in helped)]
    if platform.needs == "video" and f.presence.content_resources is False:
        pass  # the needs_video reason below says it all
    elif value >= MIN_SCORE:
        served = _served(platform.goals, f.goals)
        reasons.append(msg("networks.skip.capacity_goals" if served else "networks.skip.capacity",
                           "004", capacity=room, goals=f.org.goal_labels(served)))
    else:
        if f.company.market and _market_fit(platform, f) < POOR_FIT:
            if helped and covering:
                # "a poor fit for B2B" must not read as "useless for recruiting"
                reasons.append(msg("networks.skip.market_goal_elsewhere", "004",
                                   market=market_label(f), goals=f.org.goal_labels(helped),
                                   platforms=covering))
            else:
                reasons.append(msg("networks.skip.market", "004", market=market_label(f)))
        if f.goals and _fit(platform.goals, f.goals) < POOR_FIT and not (helped and covering):
            reasons.append(msg("networks.skip.goals", "004", goals=f.org.goal_labels(f.goals)))
        if f.audiences and _fit(platform.audiences, f.audiences) < POOR_FIT:
            reasons.append(msg("networks.skip.audiences", "004", audiences=f.audiences))
        if not reasons:
            reasons.append(msg("networks.skip.low_fit", "004"))
    if platform.needs == "video" and f.presence.content_resources is False:
        reasons.append(msg("networks.skip.needs_video", "000"))
    if account is not None:
        reasons.append(msg("networks.skip.existing_account", "000",
                           followers=account.followers or 0))
    return PlatformSkip(platform.id, tuple(reasons), existing=account is not None)


def _risks(f: Facts) -> list[Msg]:
    out = [msg("networks.risk.rules", "004"), msg("networks.risk.dependency", "000")]
    out.append(msg("networks.risk.data_strong" if f.presence.wants_data_ownership is True
                   else "networks.risk.data", "000"))
    if f.size in ("medium", "large") or f.crisis_prone:
        out.append(msg("networks.risk.negative_feedback", "000"))
    return out


def decide_blog(f: Facts) -> BlogDecision:
    """Owned blog: yes when the company can feed and promote it, later when it wants one
    but lacks the means today or the deciding answers are missing, no when the answers
    given argue against it."""
    p = f.presence
    reasons: list[Msg] = []
    blog_goals = tuple(g for g in f.goals if g in OWNED_BLOG_GOALS)
    if p.blog is True:
        reasons.append(msg("blog.reason.already_running", "004"))
        if p.content_resources is False:
            reasons.append(msg("blog.reason.feed_it", "000"))
        return BlogDecision("yes", tuple(reasons))

    wants = p.wants_data_ownership is True or bool(blog_goals)
    if p.wants_data_ownership is True:
        reasons.append(msg("blog.reason.ownership", "000"))
    if blog_goals:
        reasons.append(msg("blog.reason.goals", "004", goals=f.org.goal_labels(blog_goals)))
    can_feed = p.content_resources is True
    can_promote = p.media_budget is True
    if can_feed:
        reasons.append(msg("blog.reason.content_ok", "000"))
    elif p.content_resources is False:
        reasons.append(msg("blog.reason.no_content", "000"))
    else:
        reasons.append(msg("blog.reason.content_unknown", "000"))
    if can_promote:
        reasons.append(msg("blog.reason.media_ok", "000"))
    elif p.media_budget is False:
        reasons.append(msg("blog.reason.no_media", "000"))

    if can_feed and (can_promote or wants):
        reasons.append(msg("blog.reason.learn_small", "000"))
        return BlogDecision("yes", tuple(reasons))
    if wants or can_feed:
        reasons.append(msg("blog.reason.networks_first", "000"))
        return BlogDecision("later", tuple(reasons))
    deciding = (f.profile.goals, p.wants_data_ownership, p.content_resources)
    if any(answer is None for answer in deciding):
        # unknown is not a "no": decide once the answers are in
        reasons.append(msg("blog.reason.to_decide", "000"))
        return BlogDecision("later", tuple(reasons))
    reasons.append(msg("blog.reason.not_needed", "000"))
    return BlogDecision("no", tuple(reasons))
