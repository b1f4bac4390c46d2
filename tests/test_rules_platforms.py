"""Platform rules, DOMAIN.md section 2. Each test names the seed article it comes from."""

from __future__ import annotations

import re

from conftest import codes


def ids(items) -> list[str]:
    return [item.id for item in items]


def test_004_b2b_company_gets_linkedin_first_and_a_bakery_skips_it(decide_for):
    """004: LinkedIn for corporate news, HR and job offers."""
    b2b = decide_for({"company.market": "b2b", "goals": ["recruitment", "sales"],
                      "audiences": ["candidates", "prospects", "partners"]}).platforms
    assert ids(b2b.picks)[0] == "linkedin"
    shop = decide_for({"company.market": "b2c", "goals": ["awareness", "sales"],
                       "audiences": ["customers", "prospects"]}).platforms
    assert "linkedin" not in ids(shop.picks)
    linkedin = next(s for s in shop.skips if s.id == "linkedin")
    # the market is named, and the goals it could help are said to be served elsewhere
    [reason] = [r for r in linkedin.reasons if r.code.startswith("networks.skip.market")]
    assert reason.code == "networks.skip.market_goal_elsewhere"
    assert set(reason.params["platforms"]) <= set(ids(shop.picks))


def test_004_consumer_brand_gets_visual_networks_with_reasons_tied_to_goals(decide_for):
    """004: Facebook for pages, events and dialogue; visual networks (Instagram...)."""
    platforms = decide_for({"goals": ["awareness", "sales"],
                            "audiences": ["customers", "prospects"]}).platforms
    assert {"instagram", "facebook"} & set(ids(platforms.picks))
    first = platforms.picks[0]
    assert "networks.reason.goals" in codes(first.reasons)
    assert first.goals  # the goals it serves are named


def test_004_no_obligation_to_be_everywhere_means_are_the_limit(decide_for):
    """004: objectives and means (money and people) decide; small teams run fewer."""
    small = decide_for({"company.employees": 5}).platforms
    large = decide_for({"company.employees": 2000}).platforms
    # a local listing (Google Business Profile) is kept up to date, not run: no room taken
    run = [p for p in small.picks if p.id != "google_business"]
    assert len(run) <= small.capacity == 2
    assert large.capacity > small.capacity
    assert any("networks.skip.capacity" in c for s in small.skips for c in codes(s.reasons))


def test_004_retired_platforms_are_warned_and_never_recommended(decide_for):
    """004 names Viadeo and Google+, now retired: a 2026 catalogue must say so."""
    decisions = decide_for({"presence.networks": [
        {"platform": "viadeo", "followers": 300, "active": True},
        {"platform": "google_plus", "active": False}]})
    picked = ids(decisions.platforms.picks)
    assert "viadeo" not in picked and "google_plus" not in picked
    retired = [s for s in decisions.platforms.skips if "networks.skip.retired" in codes(s.reasons)]
    assert {s.id for s in retired} == {"viadeo", "google_plus"}
    assert codes(decisions.warnings).count("warnings.retired_platform") == 2


def test_twitter_is_read_as_x(profile_of):
    profile = profile_of({"presence.networks": [{"platform": "Twitter", "followers": 10}]})
    assert profile.presence.networks[0].platform == "x"


def test_000_existing_audience_counts_for_a_network(decide_for):
    """000: an existing network brings an audience from the first posts."""
    without = decide_for({"goals": ["community"], "audiences": ["customers"]}).platforms
    with_account = decide_for({"goals": ["community"], "audiences": ["customers"],
                               "presence.networks": [{"platform": "whatsapp", "followers": 5000,
                                                      "active": True}]}).platforms
    score = {p.id: p.score for p in with_account.picks}
    assert "whatsapp" in score
    assert score["whatsapp"] > {p.id: p.score for p in without.picks}.get("whatsapp", 0)
    whatsapp = next(p for p in with_account.picks if p.id == "whatsapp")
    # named either as an audience it already has, or as the reason it was kept
    assert {"networks.reason.existing_audience", "networks.reason.kept_audience"} & \
        set(codes(whatsapp.reasons))


def test_000_video_networks_need_content_resources(decide_for):
    """000: resources to produce content from scratch; video needs the most."""
    decisions = decide_for({"presence.content_resources": False, "company.employees": 2000,
                            "goals": ["awareness"], "audiences": ["general_public"]})
    assert "tiktok" not in ids(decisions.platforms.picks)
    tiktok = next(s for s in decisions.platforms.skips if s.id == "tiktok")
    assert "networks.skip.needs_video" in codes(tiktok.reasons)


def test_000_data_ownership_and_platform_rule_risks_are_spelled_out(decide_for):
    """000: dependence on platform rules; the company does not own the conversations."""
    risks = codes(decide_for({"presence.wants_data_ownership": True}).platforms.risks)
    assert "networks.risk.rules" in risks and "networks.risk.dependency" in risks
    assert "networks.risk.data_strong" in risks


def test_000_blog_yes_when_content_and_ownership(decide_for):
    """000: an owned platform matches objectives and keeps the data, but needs content."""
    blog = decide_for({"presence.wants_data_ownership": True,
                       "presence.content_resources": True}).platforms.blog
    assert blog.decision == "yes"
    assert "blog.reason.ownership" in codes(blog.reasons)


def test_000_blog_later_when_wanted_but_no_content_resources(decide_for):
    """000: gathering a community from nothing needs content and a media plan."""
    blog = decide_for({"presence.wants_data_ownership": True,
                       "presence.content_resources": False}).platforms.blog
    assert blog.decision == "later"
    assert "blog.reason.no_content" in codes(blog.reasons)
    assert "blog.reason.networks_first" in codes(blog.reasons)


def test_000_no_blog_when_nothing_calls_for_it(decide_for):
    blog = decide_for({"presence.content_resources": False}).platforms.blog
    assert blog.decision == "no"


def test_004_existing_blog_is_kept_as_the_hub(decide_for):
    """004: the company blog shares information and shapes image."""
    blog = decide_for({"presence.blog": True, "presence.content_resources": False}).platforms.blog
    assert blog.decision == "yes"
    assert codes(blog.reasons)[0] == "blog.reason.already_running"


def test_catalogue_covers_todays_networks(knowledge):
    active = {p.id for p in knowledge.platforms.values() if not p.retired}
    assert {"facebook", "instagram", "linkedin", "x", "youtube", "tiktok", "pinterest",
            "threads", "bluesky", "mastodon", "whatsapp"} <= active
    assert {"viadeo", "google_plus"} <= {p.id for p in knowledge.platforms.values() if p.retired}


# -- issue 10: every goal and audience served, audiences kept, local search, unknowns ---

def test_the_means_cap_never_drops_the_only_network_for_the_top_goal(decide_for):
    """A micro shop recruiting first: LinkedIn (the network for candidates) is kept even
    though the consumer networks score higher and the means allow one network."""
    decisions = decide_for({"company.employees": 3, "goals": ["recruitment", "awareness"],
                            "audiences": ["customers", "candidates"],
                            "staffing.time_available": False})
    p = decisions.platforms
    assert "linkedin" in ids(p.picks)
    for goal in ("recruitment", "awareness"):
        assert any(goal in pick.goals for pick in p.picks) or any(
            m.params.get("goal") == goal for m in p.uncovered)
    for audience in ("customers", "candidates"):
        assert any(audience in pick.audiences for pick in p.picks) or any(
            m.params.get("audience") == audience for m in p.uncovered)


def test_an_audience_no_network_can_serve_within_the_means_is_explained(decide_for):
    decisions = decide_for({"company.employees": 3, "company.market": "b2b",
                            "goals": ["sales"], "audiences": ["prospects", "press"],
                            "staffing.time_available": False})
    p = decisions.platforms
    press = [m for m in p.uncovered if m.params.get("audience") == "press"]
    if not any("press" in pick.audiences for pick in p.picks):
        [message] = press
        assert message.code == "networks.uncovered.audience_no_room"
        assert message.params["instead"].code == "networks.instead.audience.press"


def test_the_largest_active_audience_is_kept(decide_for):
    """CoVoit Express's X account (15,000 followers) used to be paused."""
    decisions = decide_for({"company.market": "b2c", "goals": ["awareness"],
                            "audiences": ["customers"], "company.employees": 5,
                            "presence.networks": [{"platform": "x", "followers": 15000,
                                                   "active": True}]})
    x = next(p for p in decisions.platforms.picks if p.id == "x")
    assert x.reasons[0].code == "networks.reason.kept_audience"
    audit = next(s for s in decisions.plan if s.key == "audit")
    assert audit.table[0][3].code == "plan.audit.verdict.keep"


def test_a_local_business_gets_its_google_listing_outside_the_means(decide_for):
    bakery = decide_for({"company.employees": 12, "company.market": "b2c",
                         "goals": ["awareness"], "audiences": ["customers"]}).platforms
    assert "google_business" in ids(bakery.picks)
    run = [p for p in bakery.picks if p.id != "google_business"]
    assert len(run) <= bakery.capacity
    factory = decide_for({"company.employees": 12, "company.market": "b2b",
                          "goals": ["awareness"], "audiences": ["partners"]}).platforms
    assert "google_business" not in ids(factory.picks)


def test_a_business_customers_do_not_visit_is_not_given_a_local_listing(decide_for):
    """Read as the 140-store retailer: it was told its means left no room for its
    store listings. It runs no listing as a network; the skip says why. A business that
    needs a strong web presence may still have a counter (a hotel, a restaurant): that
    answer alone never takes its listing away."""
    def listing(changes):
        platforms = decide_for({"company.market": "b2c", "goals": ["sales", "customer_service"],
                                "audiences": ["customers"], **changes}).platforms
        assert "google_business" not in ids(platforms.picks), changes
        [skip] = [s for s in platforms.skips if s.id == "google_business"]
        return codes(skip.reasons)

    assert listing({"company.employees": 4800}) == ["networks.skip.listing_sites"]
    hotel = decide_for({"company.employees": 65, "company.market": "b2c", "goals": ["sales"],
                        "audiences": ["customers"], "strategy.web_core_business": True})
    assert "google_business" in ids(hotel.platforms.picks)
    shop = decide_for({"company.employees": 65, "company.market": "b2c",
                       "goals": ["sales"], "audiences": ["customers"]}).platforms
    assert "google_business" in ids(shop.picks)  # a medium shop customers visit keeps it


def test_unknown_goals_and_audiences_give_a_full_provisional_choice_and_a_later_blog(decide_for):
    """Unknown is never evidence: no single niche network, no 'no' blog."""
    unknown = decide_for({"goals": None, "audiences": None, "company.market": None,
                          "presence.wants_data_ownership": None,
                          "presence.content_resources": None}).platforms
    assert unknown.provisional == ("goals", "audiences", "company.market")
    run = [p for p in unknown.picks if p.id != "google_business"]
    assert len(run) == unknown.capacity
    assert all(any(r.code == "networks.reason.provisional" for r in p.reasons)
               for p in unknown.picks)
    assert unknown.blog.decision == "later"
    assert "blog.reason.to_decide" in codes(unknown.blog.reasons)
    known = decide_for({"presence.wants_data_ownership": False, "goals": ["sales"],
                        "presence.content_resources": False}).platforms
    assert not known.provisional and known.blog.decision == "no"


def test_a_charity_run_by_volunteers_recruits_volunteers_and_serves_the_public_interest():
    """The food bank's LinkedIn is for calls for volunteers, not job offers posted by
    staff it does not have, and its "public" market is public-interest work, not a
    public service."""
    from conftest import SAMPLES

    from playbook.build import Builder

    builder = Builder()
    food_bank = next(p for p in SAMPLES if "epicerie" in p.name)
    for language, role, formats, market, wrong in (
            ("fr", "Appels à des bénévoles", "appels à bénévoles", "action d'intérêt général",
             ("offres d'emploi", "salariés", "service public")),
            ("en", "Calls for volunteers", "calls for volunteers", "public-interest work",
             ("job offers", "staff", "public service"))):
        playbook = builder.build(builder.load(food_bank), language)
        [linkedin] = [p for p in playbook.report["platforms"] if p["id"] == "linkedin"]
        assert linkedin["role"].startswith(role)
        text = playbook.markdown
        assert formats in text and market in text
        # part 2 (where to be present) and the content formats of step 5
        part_2 = text.split("## 2.")[1].split("## 3.")[0]
        step_5 = [line for line in text.splitlines()
                  if re.search(r"(Sur|On) LinkedIn\W*:", line)]
        assert step_5 and not [phrase for phrase in wrong
                               if phrase in part_2 or phrase in " ".join(step_5)], wrong


def test_a_local_listing_comes_last_outside_the_ranking():
    """A vet clinic's Google Business Profile is kept up to date, not run: the table of
    recommended networks numbers the networks to run and marks the listing as extra,
    so a lower-ranked row never shows a higher fit than the one above it."""
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "clinique-des-tilleuls.yaml")
    for language, extra in (("en", "extra"), ("fr", "en plus")):
        playbook = builder.build(loaded, language)
        picks = playbook.report["platforms"]
        assert [p["listing"] for p in picks] == [False] * (len(picks) - 1) + [True]
        assert playbook.report["platform_run"] == len(picks) - 1
        table = playbook.markdown.split("| Rang |" if language == "fr" else "| Rank |")[1]
        rows = [row.split(" | ") for row in table.split("\n\n")[0].splitlines()[2:]]
        assert [row[0] for row in rows] == [f"| {n}" for n in range(1, len(picks))] + [f"| {extra}"]


def test_a_practice_s_linkedin_speaks_of_clients_and_referrers_not_business_buyers():
    """Read as the law firm: LinkedIn's role for sales was 'Une expertise qui ouvre des
    portes auprès des acheteurs professionnels', the wording of a supplier to companies;
    a practice's clients and the professionals who refer them check its expertise."""
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "cabinet-roux-avocats.yaml")
    for language, wrong, wanted in (("fr", "acheteurs professionnels", "prescripteurs"),
                                    ("en", "business buyers", "refer them")):
        playbook = builder.build(loaded, language)
        [linkedin] = [p for p in playbook.report["platforms"] if p["id"] == "linkedin"]
        assert wanted in linkedin["role"], language
        assert wrong not in playbook.markdown, language


def test_a_company_keeps_its_role_wordings_and_a_practice_falls_back_to_them(decide_for):
    def role(changes):
        picks = decide_for({"company.market": "b2b", "goals": ["sales"],
                            "audiences": ["prospects"], **changes}).platforms.picks
        return next(p.role.code for p in picks if p.id == "linkedin")

    assert role({}) == "platforms.linkedin.role.sales"
    assert role({"company.kind": "professional_firm"}) == "platforms.linkedin.role.sales_firm"
    # no wording of its own for recruitment: the goal's, not the default
    assert role({"company.kind": "professional_firm", "goals": ["recruitment"],
                 "audiences": ["candidates"]}) == "platforms.linkedin.role.recruitment"


def test_a_platform_with_no_place_to_visit_gets_no_local_listing(decide_for):
    """Read as the ride-sharing app: it got Google Business Profile 'for people looking
    for a business nearby', though its customers never come to a counter. Its field says
    so (sectors.yaml `visited: false`), not its need for a strong web presence; a
    transport operator of the same size keeps its listing (a station, a counter)."""
    def platforms(sector_id):
        return decide_for({"company.sector_id": sector_id, "company.employees": 65,
                           "company.market": "both", "strategy.web_core_business": True,
                           "goals": ["customer_service", "seo"],
                           "audiences": ["customers"]}).platforms

    ride_sharing = platforms("ride_sharing")
    assert "google_business" not in ids(ride_sharing.picks)
    [skip] = [s for s in ride_sharing.skips if s.id == "google_business"]
    assert codes(skip.reasons) == ["networks.skip.listing_no_place"]
    assert "google_business" in ids(platforms("transport").picks)


def test_the_ride_sharing_app_keeps_its_active_audiences_without_a_listing():
    """Without the listing, which served its search goal, a new YouTube channel ranked
    above the app's 8,000 active Instagram followers and pushed them out; room is now
    left for the active audiences it already has."""
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    report = builder.build(builder.load(PROFILES / "covoit-express.yaml"), "en").report
    picks = [p["id"] for p in report["platforms"]]
    assert "google_business" not in picks
    assert {"x", "instagram"} <= set(picks)


def test_a_field_that_sells_services_reads_no_shop_in_its_networks_roles(decide_for):
    """Read as the garage: Instagram's role for sales was 'Vitrine des produits, avec
    publications et stories qui mènent à l'achat'; a repair is not a product on a
    shelf (sectors.yaml `sells: services`), nor is Facebook its 'Boutique'."""
    def roles(changes):
        picks = decide_for({"goals": ["sales"], "audiences": ["customers"],
                            **changes}).platforms.picks
        return {p.id: p.role.code for p in picks if p.id in ("facebook", "instagram")}

    assert roles({"company.sector_id": "automotive"}) == {
        "facebook": "platforms.facebook.role.sales_services",
        "instagram": "platforms.instagram.role.sales_services"}
    assert roles({"company.sector_id": "retail"}) == {
        "facebook": "platforms.facebook.role.sales", "instagram": "platforms.instagram.role.sales"}


def test_a_public_body_and_an_association_read_no_customers_or_regulars_in_roles(decide_for):
    """Read as the inter-municipal authority: Facebook's role was 'The place where
    regulars meet, comment and share', a café's wording. A public body's networks speak
    to residents, an association's to members and supporters, wherever the business
    wording speaks of customers, regulars or buyers; a wording with none keeps it."""
    def role(kind, goal, platform="facebook"):
        changes = {"company.kind": kind, "goals": [goal], "audiences": ["general_public"],
                   "company.market": "public" if kind != "company" else "b2c",
                   "presence.networks": [{"platform": platform, "followers": 900,
                                          "active": True}]}
        picks = decide_for(changes).platforms.picks
        return next(p.role.code for p in picks if p.id == platform)

    facebook = "platforms.facebook.role."
    assert role("company", "community") == facebook + "community"
    assert role("public_body", "community") == facebook + "community_public"
    assert role("association", "community") == facebook + "community_association"
    assert role("public_body", "customer_service") == facebook + "customer_service_public"
    assert role("public_body", "awareness") == facebook + "default_public"
    assert role("association", "awareness") == facebook + "default_association"
    assert role("public_body", "awareness", "whatsapp") == "platforms.whatsapp.role.default_public"
    # no customers in it: the general wording stays
    assert role("public_body", "customer_service", "x") == "platforms.x.role.customer_service"


def test_the_public_body_sample_reads_no_regulars_or_market_trends():
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "val-argent-communes.yaml")
    for language, wrong in (("en", ("regulars", "trends of your field")),
                            ("fr", ("habitués", "tendances de votre domaine"))):
        text = builder.build(loaded, language).markdown
        assert not [w for w in wrong if w in text], language


def test_004_a_sole_network_takes_the_role_of_the_goal_the_profile_ranks_first(decide_for):
    """Read as the three-founder start-up: its only network, LinkedIn, carries awareness,
    sales, investor relations and recruitment, yet its role read 'Job offers and the
    employer brand', LinkedIn's strongest goal and the start-up's last. A sole network's
    role follows the goal the profile ranks first among those it serves."""
    founders = {"company.employees": 3, "company.market": "b2b",
                "goals": ["awareness", "sales", "investor_relations", "recruitment"],
                "audiences": ["prospects", "partners", "shareholders", "candidates"],
                "staffing.time_available": False, "staffing.external_budget": False,
                "staffing.monthly_budget_eur": 150}
    picks = decide_for(founders).platforms.picks
    [linkedin] = [p for p in picks if p.id == "linkedin"]
    assert len([p for p in picks if p.id != "google_business"]) == 1
    assert linkedin.role.code == "platforms.linkedin.role.default"
    hiring = decide_for({**founders, "goals": ["recruitment", "sales"]}).platforms.picks
    assert [p.role.code for p in hiring if p.id == "linkedin"] == [
        "platforms.linkedin.role.recruitment"]


def test_000_a_recommended_network_says_which_target_market_it_does_not_reach(decide_for):
    """Read as the wine estate, 70 % of its sales in Asia: part 2 recommended Facebook and
    Instagram with no word of China or Japan, where part 6 says they are blocked or
    little used. Each recommended network now says so among its reasons."""
    asia = decide_for({"company.target_regions": ["china", "japan", "france"],
                       "goals": ["awareness", "sales"]})
    facebook = next(p for p in asia.platforms.picks if p.id == "facebook")
    notes = [(m.code, m.params["region"].code) for m in facebook.reasons
             if m.code.startswith("region_notes.")]
    assert notes == [("region_notes.blocked", "regions.china.name"),
                     ("region_notes.little_used", "regions.japan.name")]
    home = decide_for({"company.target_regions": ["france"], "goals": ["awareness", "sales"]})
    assert not [m for p in home.platforms.picks for m in p.reasons
                if m.code.startswith("region_notes.")]


def test_a_practice_s_instagram_shows_its_people_not_products(decide_for):
    """Read as Lefèvre Patrimoine, wealth advisers: Instagram's role read 'Visual
    showcase of products, places and people', products a practice does not put on
    display (and a financial product would have to show its risks). A practice now gets
    its people, places and expertise in pictures; a shop keeps its products."""
    def role(changes):
        picks = decide_for({"company.market": "b2c", "goals": ["awareness", "community"],
                            "audiences": ["customers"], **changes}).platforms.picks
        return next(p.role.code for p in picks if p.id == "instagram")

    assert role({"company.kind": "professional_firm"}) == "platforms.instagram.role.default_firm"
    assert role({}) == "platforms.instagram.role.default"
