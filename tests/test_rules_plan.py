"""The nine-step plan, DOMAIN.md section 5 (seed 004 and professional practice)."""

from __future__ import annotations

from conftest import codes

from playbook.rules.plan import STEPS


def step(decisions, key):
    return next(s for s in decisions.plan if s.key == key)


def test_004_exactly_nine_steps_in_order(decide_for):
    plan = decide_for().plan
    assert [s.step for s in plan] == list(range(1, 10))
    assert tuple(s.key for s in plan) == STEPS
    for s in plan:
        assert s.actions and s.owner and s.timeframe and s.indicators and s.deliverable


def test_004_step1_smart_goals_one_per_profile_goal_with_target_and_date(decide_for):
    decisions = decide_for({"goals": ["awareness", "recruitment"]})
    rows = step(decisions, "objectives").table
    assert [r[1].code for r in rows] == ["plan.objectives.goal.awareness_new",
                                         "plan.objectives.goal.recruitment"]
    assert all("date" in r[1].params and "target" in r[1].params for r in rows)


def test_awareness_target_grows_an_existing_audience_by_its_size_not_a_flat_rate(decide_for):
    """Issue 10: no uniform +30%: a small audience grows faster in relative terms."""
    def target(followers):
        decisions = decide_for({"goals": ["awareness"], "audiences": ["customers"],
                                "presence.networks": [{"platform": "instagram",
                                                       "followers": followers, "active": True}]})
        assert decisions.platforms.picks[0].id == "instagram"
        row = step(decisions, "objectives").table[0][1]
        assert row.code == "plan.objectives.goal.awareness"
        assert row.params["baseline"] == followers
        return row.params["target"] / followers - 1
    small, large = target(500), target(50_000)
    assert small > large > 0
    assert round(small, 2) == 0.5 and round(large, 2) == 0.12


def test_targets_follow_the_publishing_rhythm_the_means_allow(decide_for):
    """Issue 10: a person with no time set aside gets a smaller target than one with time."""
    def sales(time):
        decisions = decide_for({"goals": ["sales"], "staffing.time_available": time,
                                "staffing.external_budget": False})
        return step(decisions, "objectives").table[0][1].params["target"]
    assert sales(False) < sales(True)


def test_step2_audit_lists_accounts_and_closes_retired_ones(decide_for):
    decisions = decide_for({"presence.networks": [
        {"platform": "facebook", "followers": 100, "active": True},
        {"platform": "viadeo", "followers": 10, "active": False}]})
    audit = step(decisions, "audit")
    assert len(audit.table) == 2
    assert "plan.audit.retired" in codes(audit.actions)
    verdicts = [row[3].code for row in audit.table]
    assert "plan.audit.verdict.close_retired" in verdicts


def test_step3_maps_audiences_to_platforms(decide_for):
    rows = step(decide_for({"audiences": ["customers", "shareholders"]}), "platforms").table
    assert [r[0].code for r in rows] == ["labels.audience.customers",
                                         "labels.audience.shareholders"]


def test_step4_governance_response_targets_and_two_quotes_when_outsourcing(decide_for):
    outside = step(decide_for({"staffing.interested_person": False,
                               "staffing.time_available": False,
                               "staffing.external_budget": True}), "strategy")
    assert {"plan.strategy.two_quotes", "plan.strategy.governance",
            "plan.strategy.response_targets", "plan.strategy.moderation"} <= set(codes(outside.actions))


def test_step5_three_to_five_content_pillars_from_values_story_goals(decide_for):
    pillars = step(decide_for({"company.values": ["a", "b", "c"], "company.story": "Since 1900",
                               "goals": ["sales", "recruitment", "community"]}), "content").table
    assert 3 <= len(pillars) <= 5
    assert pillars[0][0].code == "plan.content.pillar.value.name"
    few = step(decide_for({"company.values": None, "goals": ["sales"]}), "content").table
    assert len(few) == 3


def test_step6_cadence_fits_available_time_and_a_quarter_calendar(decide_for):
    publish = step(decide_for(), "publish")
    assert len(publish.table) == 3
    busy = step(decide_for({"strategy.seo_only": True}), "publish")
    per_week = [m for m in busy.actions if m.code.startswith("plan.publish.cadence")][0] \
        .params["per_week"]
    assert per_week == 1


def test_step6_cadence_names_the_other_networks_or_none(decide_for):
    def cadence(decisions):
        return [m for m in step(decisions, "publish").actions
                if m.code.startswith("plan.publish.cadence")][0]
    several = decide_for({"organization.departments": ["communication", "marketing"],
                          "staffing.monthly_budget_eur": 5000})
    picks = [p.id for p in several.platforms.picks]
    assert len(picks) > 1
    message = cadence(several)
    assert message.code == "plan.publish.cadence"
    assert message.params["platform"] == picks[0] and message.params["others"] == picks[1:]
    single = decide_for({"strategy.seo_only": True, "company.market": "b2b"})
    assert len(single.platforms.picks) == 1
    assert cadence(single).code == "plan.publish.cadence_single"


def test_step7_employee_guideline_and_employer_brand_when_recruiting(decide_for):
    staff = codes(step(decide_for({"goals": ["recruitment"]}), "staff").actions)
    assert "plan.staff.guideline" in staff and "plan.staff.employer_brand" in staff


def test_002_crisis_prone_sector_gets_a_stronger_step_8(decide_for):
    """002 recalls food-sector crises: a sensitive sector gets a reinforced crisis step
    when the profile leaves the question open (its own answer wins: see below)."""
    open_answer = {"organization.sensitive_topics": None}
    calm = step(decide_for(open_answer), "crisis")  # furniture: retail, not crisis-prone
    food = step(decide_for({**open_answer, "company.sector": "agro-alimentaire",
                            "company.employees": 120}), "crisis")
    assert len(food.actions) > len(calm.actions)
    assert "sectors.food.scenarios" in codes(food.actions)
    assert "sectors.food.triggers" in codes(food.actions)
    assert "plan.crisis.watch" in codes(food.actions)
    assert food.table[2][3].code == "plan.crisis.level.3.within_sensitive"
    # a small food business sets alerts rather than a seven-day watch (issue 10)
    bakery = step(decide_for({**open_answer, "company.sector": "boulangerie",
                              "company.employees": 12}), "crisis")
    assert "plan.crisis.watch_small" in codes(bakery.actions)
    assert "plan.crisis.watch" not in codes(bakery.actions)
    assert "plan.crisis.spokesperson" in codes(calm.actions)  # the joker speaks


def test_an_explicit_no_to_sensitive_topics_is_never_overridden_by_the_sector(decide_for):
    """Issue 13: the profile's answer stands; the sector's reputation becomes a point to
    check, and the plan is not reinforced behind the client's back."""
    decisions = decide_for({"company.sector": "banque de détail",
                            "organization.sensitive_topics": False})
    assert decisions.facts.sector.id == "finance"
    assert decisions.facts.crisis_prone is False
    assert "sector.disagrees" in codes(decisions.warnings)
    crisis = step(decisions, "crisis")
    assert "plan.crisis.drill" not in codes(crisis.actions)  # not reinforced
    assert "sectors.finance.scenarios" in codes(crisis.actions)  # but the field's scenarios
    agreed = decide_for({"company.sector": "banque de détail",
                         "organization.sensitive_topics": True})
    assert "sector.disagrees" not in codes(agreed.warnings)
    assert "plan.crisis.drill" in codes(step(agreed, "crisis").actions)


def test_step9_kpis_per_goal_with_targets(decide_for):
    measure = step(decide_for({"goals": ["sales", "customer_service"]}), "measure")
    assert [r[1].code for r in measure.table] == ["plan.measure.kpi.sales",
                                                  "plan.measure.kpi.customer_service"]
    assert "plan.measure.quarterly_review" in codes(measure.actions)


def test_owner_follows_the_staffing_model(decide_for):
    external = decide_for({"staffing.interested_person": False, "staffing.time_available": False,
                           "staffing.external_budget": True})
    assert step(external, "audit").owner.params["lead"] == "external"


def test_open_questions_list_every_unknown(decide_for):
    decisions = decide_for({"staffing.external_budget": None, "presence.media_budget": None})
    assert codes(decisions.open_questions) == ["open.staffing.external_budget",
                                              "open.presence.media_budget"]
    assert decide_for().open_questions == ()


def test_004_step1_budget_set_none_or_unknown(decide_for):
    def budget_codes(amount):
        return [c for c in codes(step(decide_for({"staffing.monthly_budget_eur": amount}),
                                      "objectives").actions) if c.startswith("plan.objectives.budget")]
    assert budget_codes(500) == ["plan.objectives.budget"]
    # zero and no provider budget: nothing to buy, free tools (issue 10)
    assert budget_codes(0) == ["plan.objectives.budget_zero"]
    assert budget_codes(None) == ["plan.objectives.budget_unknown"]


def test_004_awareness_without_a_measured_audience_starts_from_the_step2_baseline(decide_for):
    def awareness(networks):
        decisions = decide_for({"goals": ["awareness"], "presence.networks": networks})
        return step(decisions, "objectives").table[0][1].code
    assert awareness([]) == "plan.objectives.goal.awareness_new"
    assert awareness(None) == "plan.objectives.goal.awareness_audit"


def test_002_strategy_step_asks_to_name_relays_when_none_are_named(decide_for):
    named = codes(step(decide_for(), "strategy").actions)
    assert "plan.strategy.relays" in named
    none = decide_for({"organization.departments": []})
    assert not none.relays.relays
    assert "plan.strategy.relays_none" in codes(step(none, "strategy").actions)


def test_crisis_sign_off_goes_to_the_departments_that_exist(decide_for):
    """Issue 10: 'Have legal and quality pre-approve' only where both exist."""
    def signoff(departments, **changes):
        decisions = decide_for({"company.sector": "boulangerie",
                                "organization.sensitive_topics": None,
                                "organization.departments": departments, **changes})
        crisis = step(decisions, "crisis")
        return ([c for c in codes(crisis.actions) if c.startswith("plan.crisis.prevalidated")],
                crisis.table[2][2].code)
    # thirty people: the manager is the joker, so the row does not name them twice
    assert signoff(["legal", "quality"]) == (["plan.crisis.prevalidated.legal_quality"],
                                             "plan.crisis.level.3.who_legal_joker_decides")
    assert signoff(["sales", "production"]) == (["plan.crisis.prevalidated.decider"],
                                                "plan.crisis.level.3.who_joker_decides")
    assert signoff(["quality"])[0] == ["plan.crisis.prevalidated.quality_decider"]
    assert signoff([], **{"staffing.monthly_budget_eur": 0})[0] == \
        ["plan.crisis.prevalidated.decider_free"]


def test_cadence_follows_time_budget_and_material(decide_for):
    def cadence(changes):
        message = next(m for m in step(decide_for(changes), "publish").actions
                       if m.code.startswith("plan.publish.cadence"))
        return message.params["per_week"], message.params["why"].code.rsplit(".", 1)[1]
    assert cadence({"staffing.time_available": False,
                    "staffing.external_budget": False}) == (1, "no_time")
    assert cadence({"company.employees": 120, "presence.content_resources": False}) == \
        (2, "little_material")
    # Nordwerk: a pair with no internal time, 1,200 euros a month
    assert cadence({"staffing.interested_person": True, "staffing.time_available": False,
                    "staffing.trained": False, "staffing.external_budget": True,
                    "staffing.monthly_budget_eur": 1200}) == (3, "provider_budget")
    assert cadence({"company.kind": "association", "company.employees": 0}) == \
        (2, "volunteers")


def test_zero_budget_plan_buys_nothing(decide_for):
    decisions = decide_for({"company.kind": "association", "company.employees": 0,
                            "staffing.monthly_budget_eur": 0, "staffing.external_budget": False,
                            "staffing.trained": False, "staffing.training_budget": False})
    all_codes = [m.code for s in decisions.plan for m in s.actions]
    assert "plan.objectives.budget_zero_volunteers" in all_codes
    assert "plan.publish.schedule_free" in all_codes
    assert "plan.strategy.staff.internal_free_training" in all_codes
    assert "plan.strategy.two_quotes" not in all_codes
    assert "checklist.advice.two_quotes" not in codes(decisions.questions.advice)
    assert "checklist.advice.review_offer" not in codes(decisions.questions.advice)


def test_an_organisation_of_volunteers_is_not_told_about_staff():
    """The food bank has members and volunteers, no employees: step 7, the compliance
    checklist and the appendix speak of them, and its "public" market is public-interest
    work; a company keeps its staff."""
    from conftest import SAMPLES

    from playbook.build import Builder

    builder = Builder()
    food_bank = next(p for p in SAMPLES if "epicerie" in p.name)
    bakery = next(p for p in SAMPLES if "boulangerie" in p.name)
    for language, members, staff, image_rights, market, wrong in (
            ("fr", "Impliquer l'équipe et les bénévoles", "Impliquer le personnel",
             "(bénévoles, adhérents", "| Marché | action d'intérêt général |",
             ("salariés", "service public", "Montrer « ")),
            ("en", "Involve the team and volunteers", "Involve staff",
             "(volunteers, members", "| Market | public-interest work |",
             ("staff, customers", "staff who promote", "public service", "Show \""))):
        playbook = builder.build(builder.load(food_bank), language)
        report, text = playbook.report, playbook.markdown
        [step_7] = [step for step in report["plan"] if step["step"] == 7]
        assert step_7["title"].startswith(members)
        assert image_rights in text and market in text
        assert not [phrase for phrase in wrong if phrase in text], wrong
        company = builder.build(builder.load(bakery), language)
        assert [s for s in company.report["plan"] if s["step"] == 7][0]["title"].startswith(staff)


def test_a_public_body_names_its_agents_and_users_in_the_image_rights_line():
    from conftest import SAMPLES

    from playbook.build import Builder

    builder = Builder()
    communes = next(p for p in SAMPLES if "val-argent" in p.name)
    for language, wanted, wrong in (("fr", "(agents, usagers, visiteurs)", "(salariés, clients"),
                                    ("en", "(staff, service users, visitors)", "(staff, customers")):
        text = builder.build(builder.load(communes), language).markdown
        assert wanted in text and wrong not in text


def test_the_image_rights_line_names_the_people_each_kind_of_organisation_has(decide_for):
    """Staff and customers for a company; agents and users for a public body; staff,
    volunteers and the people it welcomes for an association with employees; no staff
    for one run by volunteers."""
    def image_rights(changes):
        checklist = decide_for(changes).sector.checklist
        return [c for c in codes(checklist) if c.startswith("compliance.image_rights")]

    assert image_rights({}) == ["compliance.image_rights"]
    assert image_rights({"company.kind": "public_body", "company.market": "public"}) == \
        ["compliance.image_rights_public"]
    assert image_rights({"company.kind": "association", "company.employees": 45}) == \
        ["compliance.image_rights_association"]
    assert image_rights({"company.kind": "association", "company.employees": 0,
                         "staffing.monthly_budget_eur": 0}) == \
        ["compliance.image_rights_volunteers"]


def test_step_7_speaks_to_the_people_each_kind_of_organisation_has(decide_for):
    """An association with employees speaks to its staff and volunteers, one run by
    volunteers to its members, a company to its staff; a medium association's
    ambassadors are staff and volunteers, not "volunteer" employees."""
    def wording(changes):
        staff = step(decide_for(changes), "staff")
        return {m.code for m in (*staff.actions, *staff.indicators, staff.deliverable)
                if m.code != "plan.staff.feed_cm"}

    association = {"company.kind": "association", "goals": ["recruitment"]}
    with_staff = wording({**association, "company.employees": 45})
    assert with_staff == {"plan.staff.kickoff_association", "plan.staff.guideline_association",
                          "plan.staff.employer_brand_association",
                          "plan.staff.advocacy_association",
                          "plan.staff.indicator.briefed_association",
                          "plan.staff.indicator.shares_association",
                          "plan.staff.deliverable_association"}
    assert "plan.staff.ambassadors_association" in wording({**association,
                                                            "company.employees": 120})
    volunteers = wording({**association, "company.employees": 0})
    assert volunteers and all(code.endswith("_members") for code in volunteers)
    company = wording({"goals": ["recruitment"], "company.employees": 120})
    assert "plan.staff.ambassadors" in company
    assert not [code for code in company if code.endswith(("_members", "_association"))]


def test_an_association_with_staff_names_staff_and_volunteers_in_step_7(tmp_path):
    """Read as a 45-employee housing association (600 EUR a month): every line of step 7
    that names people names its staff and its volunteers, never only members; the food
    bank run by volunteers keeps its members' wording; the bakery keeps its staff."""
    import yaml
    from conftest import SAMPLES

    from playbook.build import Builder

    food_bank = next(p for p in SAMPLES if "epicerie" in p.name)
    bakery = next(p for p in SAMPLES if "boulangerie" in p.name)
    data = yaml.safe_load(food_bank.read_text(encoding="utf-8"))
    data["company"].update(name="Habitat Solidaire", kind="association", employees=45,
                           sector="association de logement social")
    data["staffing"]["monthly_budget_eur"] = 600
    housing = tmp_path / "housing.yaml"
    housing.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    builder = Builder()

    def step_7(path, language):
        report = builder.report(builder.load(path), language)
        found = next(s for s in report["plan"] if s["step"] == 7)
        return [found["deliverable"], *found["actions"], *found["indicators"]]

    for language, staff, volunteers, members, feed in (
            ("fr", "salarié", "bénévoles", "membres", "au community manager"),
            ("en", "staff", "volunteers", "members", "to the community manager")):
        lines = [line for line in step_7(housing, language) if feed not in line]
        assert len(lines) == 7  # deliverable, four actions, two indicators
        assert all(staff in line and volunteers in line for line in lines), lines
        assert not [line for line in lines if members in line], lines
        food_lines = step_7(food_bank, language)
        assert sum(members in line for line in food_lines) >= 5, food_lines
        assert not [line for line in food_lines if staff in line], food_lines
        bakery_lines = step_7(bakery, language)
        assert sum(staff in line for line in bakery_lines) >= 3, bakery_lines
        assert not [line for line in bakery_lines if volunteers in line or members in line]


def test_a_public_body_calls_its_staff_agents_in_step_7():
    """Val d'Argent's image-rights line names its agents: step 7 does too, in French,
    where "salariés" is private-sector wording; in English its staff stay staff."""
    from conftest import SAMPLES

    from playbook.build import Builder

    builder = Builder()
    communes = next(p for p in SAMPLES if "val-argent" in p.name)
    for language, agents, wrong in (("fr", "agents", "salariés"), ("en", "staff", "employee")):
        report = builder.report(builder.load(communes), language)
        found = next(s for s in report["plan"] if s["step"] == 7)
        lines = [found["deliverable"], *found["actions"], *found["indicators"]]
        assert sum(agents in line for line in lines) >= 4, lines
        assert not [line for line in lines if wrong in line], lines


def test_one_post_a_week_reads_in_the_singular_in_the_targets_reasoning():
    """Read as the garage and the law firm (one post a week): step 9 said '1 publications
    par semaine' and '1 posts a week'."""
    from conftest import SAMPLES

    from playbook.build import Builder

    builder = Builder()
    for name in ("garage-dupont", "cabinet-roux-avocats"):
        path = next(p for p in SAMPLES if p.stem == name)
        for language, wanted, wrong in (("fr", "(une publication par semaine)", "1 publications"),
                                        ("en", "(one post a week)", "1 posts")):
            text = builder.build(builder.load(path), language).markdown
            assert wanted in text and wrong not in text, (name, language)


def test_a_practice_s_sales_pillar_speaks_of_its_services_not_of_seasonal_offers(decide_for):
    """Read as the law firm: 'Produits et offres : nouveautés, offres de saison' is a
    shop's pillar; a lawyer has no new products and advertises under the profession's
    rules. A company keeps its products and offers."""
    def pillars(changes):
        return [row[0].code for row in step(decide_for({"goals": ["sales"], **changes}),
                                            "content").table]

    firm = pillars({"company.kind": "professional_firm", "company.employees": 7})
    assert "plan.content.pillar.offers_firm.name" in firm
    assert "plan.content.pillar.offers.name" not in firm
    assert "plan.content.pillar.offers.name" in pillars({})


def test_the_crisis_level_3_names_who_decides_in_this_organisation():
    """Read as the law firm: level 3 of the crisis table said 'avec la direction et le
    juridique' where every other part names the partners and 'le relais juridique'."""
    from conftest import SAMPLES

    from playbook.build import Builder

    builder = Builder()
    for name, language, wanted in (
            ("cabinet-roux-avocats", "fr", "| Le joker, avec les associés et le relais juridique |"),
            ("cabinet-roux-avocats", "en", "| The joker, with the partners and the legal relay |"),
            ("maison-duval", "fr", "| Le joker, avec la direction générale et le relais juridique |")):
        path = next(p for p in SAMPLES if p.stem == name)
        assert wanted in builder.build(builder.load(path), language).markdown, (name, language)


def test_a_practice_s_sales_objective_counts_appointment_requests_not_orders(decide_for):
    """Read as the law firm: 'Générer 2 contacts ou commandes par mois' and 'Contacts ou
    commandes venant des réseaux' spoke of orders a law firm never takes."""
    def codes_of(changes):
        decisions = decide_for({"goals": ["sales"], **changes})
        objectives, measure = step(decisions, "objectives"), step(decisions, "measure")
        return objectives.table[0][1].code, measure.table[0][1].code

    assert codes_of({"company.kind": "professional_firm", "company.employees": 7}) == \
        ("plan.objectives.goal.sales_firm", "plan.measure.kpi.sales_firm")
    assert codes_of({}) == ("plan.objectives.goal.sales", "plan.measure.kpi.sales")


def test_open_questions_ask_nothing_about_people_the_organisation_does_not_have(decide_for):
    """Read as the six-person garage: it was asked whether 'the person considered for the
    role' is trained, though nobody wants the role, and whether it has a communications
    director."""
    unknown = {"staffing.trained": None, "staffing.training_budget": None,
               "organization.communications_director": None}
    garage = codes(decide_for({**unknown, "staffing.interested_person": False,
                               "company.employees": 6}).open_questions)
    assert garage == []
    company = codes(decide_for(unknown).open_questions)
    assert company == ["open.staffing.trained", "open.staffing.training_budget",
                       "open.organization.communications_director"]


def test_the_summary_counts_the_open_questions_it_points_to():
    from conftest import SAMPLES

    from playbook.build import Builder

    builder = Builder()
    garage = next(p for p in SAMPLES if p.stem == "garage-dupont")
    playbook = builder.build(builder.load(garage), "fr")
    count = len(playbook.report["open_questions"])
    assert count == playbook.report["unknown_count"] == 7
    assert f"{count} questions du profil restent ouvertes" in playbook.markdown


def test_an_seo_add_on_posts_answers_people_search_for_and_a_garage_sells_services(decide_for):
    """Read as the garage (an SEO add-on, a repair trade): its pillars were a shop's,
    'Produits et offres : nouveautés, offres de saison' and 'Les coulisses : la
    fabrication'. Under the SEO add-on the search goal gives answers to the questions
    people search for, linked to the website; a field whose clients buy a service
    (sectors.yaml `sells: services`) speaks of services, not of products being made."""
    def pillars(changes):
        return [row[0].code.split(".")[3]
                for row in step(decide_for({"company.values": None, **changes}),
                                "content").table]

    seo_addon = {"strategy.seo_only": True, "goals": ["seo", "sales"]}
    assert pillars({**seo_addon, "company.sector_id": "automotive"}) == \
        ["tips_search", "offers_services", "expertise"]
    assert pillars({**seo_addon, "goals": ["seo", "customer_service"]}) == \
        ["tips_search", "expertise", "behind_the_scenes"]  # one page of tips, not two
    # not an add-on: the search goal is served by expertise, a shop keeps its products
    assert pillars({"goals": ["seo", "sales"]}) == ["expertise", "offers", "behind_the_scenes"]
    assert pillars({"goals": ["seo", "sales"], "company.sector_id": "automotive"}) == \
        ["expertise", "offers_services", "behind_the_scenes_services"]


def test_the_garage_reads_pillars_and_roles_of_a_garage_with_an_seo_provider():
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "garage-dupont.yaml")
    for language, wrong, wanted in (
            ("fr", ("Produits et offres", "fabrication", "Vitrine des produits"),
             ("Services et offres", "moteurs de recherche")),
            ("en", ("Products and offers", "How things are made", "Product showcase"),
             ("Services and offers", "search engines"))):
        text = builder.build(loaded, language).markdown
        assert not [w for w in wrong if w in text], language
        assert all(w in text for w in wanted), language


def test_002_the_crisis_level_3_does_not_pair_the_joker_with_itself(decide_for):
    """Read as the bakery and the inter-municipal authority: the level-3 row read 'Le
    joker, avec la direction' and 'The joker, with the chief executive and the legal
    relay' where the joker is the manager or the chief executive (part 3). When the
    joker is whoever decides, the row names only who joins them."""
    def level3(changes):
        return step(decide_for(changes), "crisis").table[2][2].code

    assert level3({"company.employees": 12}) == "plan.crisis.level.3.who_joker_decides"
    assert level3({"company.kind": "public_body", "company.market": "public",
                   "organization.departments": ["legal"]}) == \
        "plan.crisis.level.3.who_legal_joker_decides"
    assert level3({"company.kind": "association", "company.employees": 0}) == \
        "plan.crisis.level.3.who_joker_decides"
    # a member of a large executive team, a communications director: the decider joins
    assert level3({"company.employees": 600}) == "plan.crisis.level.3.who"
    assert level3({"organization.communications_director": True,
                   "organization.departments": ["communication"]}) == "plan.crisis.level.3.who"


def test_002_a_small_sensitive_business_answers_the_alert_not_a_watch_kept_at_night(
        decide_for):
    """Read as the bakery: step 4 said that outside opening hours one look a day is
    enough, step 8 promised 'une première prise de parole sous 1 heure, de jour comme de
    nuit' and asked again for alerts 'read every working day'. A small structure has no
    one on call at night: its times run from the alert of step 4, and step 8 adds its
    scenarios to those alerts. A larger one keeps its seven-day watch."""
    def crisis(employees):
        decisions = decide_for({"company.sector": "boulangerie", "company.employees": employees,
                                "organization.sensitive_topics": True})
        return step(decisions, "crisis")

    bakery = crisis(12)
    assert [row[3].code for row in bakery.table] == [
        "plan.crisis.level.1.within_sensitive", "plan.crisis.level.2.within_sensitive_small",
        "plan.crisis.level.3.within_sensitive_small"]
    assert "plan.crisis.watch_small" in codes(bakery.actions)
    assert crisis(120).table[2][3].code == "plan.crisis.level.3.within_sensitive"


def test_the_bakery_reads_one_rule_for_nights():
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "boulangerie-muller.yaml")
    for language, wrong, wanted in (
            ("fr", ("de jour comme de nuit", "chaque jour ouvré"), "sous 1 heure après l'alerte"),
            ("en", ("day or night", "every working day"), "within 1 hour of the alert")):
        text = builder.build(loaded, language).markdown
        assert not [w for w in wrong if w in text] and wanted in text, language


def test_000_a_blog_part_2_says_yes_to_has_its_rhythm_in_step_6(decide_for):
    """Read as the bakery: part 2 said « Votre blog : Oui », step 3 prepared it, and step
    6 gave a rhythm for Instagram, Facebook and the listing only, as if the blog did
    not exist. A blog decided 'yes' gets its monthly article, relayed by the networks;
    one decided 'later' or 'no' gets none."""
    def publish(changes):
        d = decide_for(changes)
        return d.platforms.blog.decision, codes(step(d, "publish").actions)

    decision, actions = publish({"presence.wants_data_ownership": True})
    assert decision == "yes" and "plan.publish.blog" in actions
    decision, actions = publish({})
    assert decision != "yes" and "plan.publish.blog" not in actions


def test_004_a_public_body_involves_its_agents_in_no_brand_image(decide_for):
    """Read as the inter-municipal authority in English: step 7 read 'Involve staff in
    the digital brand image'; a public body has no brand, its agents carry the public
    service's image (as step 7's actions already name them). A company keeps the title."""
    public = step(decide_for({"company.kind": "public_body", "company.market": "public"}),
                  "staff")
    assert public.title is not None and public.title.code == "plan.staff.title_public"
    assert step(decide_for(), "staff").title is None


def test_004_month_one_relaunches_a_page_already_followed(decide_for):
    """Read as the inter-municipal authority, whose Facebook page has 3,200 followers:
    month 1 said « Lancement : présenter la page et l'équipe » and step 8 was due « Avant
    la première publication ». An account already held on the main network is
    relaunched to its followers; a new one is launched."""
    def month1(networks):
        decisions = decide_for({"goals": ["awareness"], "audiences": ["customers"],
                                "presence.networks": networks})
        assert decisions.platforms.picks[0].id == "instagram"
        code = step(decisions, "publish").table[0][1].code
        # the crisis plan is ready before the same moment
        assert step(decisions, "crisis").timeframe.code == \
            ("time.before_relaunch" if code.endswith("_relaunch") else "time.before_launch")
        return code

    held = [{"platform": "instagram", "followers": 2300, "active": True}]
    assert month1(held) == "plan.publish.month1_relaunch"
    dormant = [{"platform": "instagram", "followers": 2300, "active": False}]
    assert month1(dormant) == "plan.publish.month1_relaunch"
    unmeasured = [{"platform": "instagram", "active": True}]
    assert month1(unmeasured) == "plan.publish.month1_relaunch"
    assert month1([]) == "plan.publish.month1"
    # followers elsewhere do not make a new Instagram account a relaunch
    assert month1([{"platform": "facebook", "followers": 800, "active": True}]) == \
        "plan.publish.month1"


def test_a_public_body_explains_its_action_rather_than_a_market_s_trends(decide_for):
    """Read as the inter-municipal authority: its pillar 'Expertise' read 'Know-how,
    explainers, the trends of your field', a business's; a public body explains its
    action, and shows its agents at work rather than how things are made."""
    def pillars(changes):
        return [row[0].code.split(".")[3]
                for row in step(decide_for({"company.values": None, **changes}),
                                "content").table]

    public = {"company.kind": "public_body", "company.market": "public"}
    assert pillars({**public, "goals": ["awareness", "customer_service"]}) == \
        ["expertise_public", "tips_public", "behind_the_scenes_services"]
    assert pillars({"goals": ["awareness", "customer_service"]}) == \
        ["expertise", "tips", "behind_the_scenes"]


def test_004_a_handful_of_founders_agree_rules_together_rather_than_brief_staff(decide_for):
    """Read as the three-founder start-up: step 7 told it to present the project to all
    staff, have employees read a charter and invite volunteers, a staff it does not have.
    Five people or fewer agree shared rules together and post from their own profiles."""
    founders = step(decide_for({"company.employees": 3, "goals": ["recruitment"]}), "staff")
    actions = codes(founders.actions)
    assert "plan.staff.kickoff_tiny" in actions and "plan.staff.guideline_tiny" in actions
    assert "plan.staff.employer_brand_tiny" in actions and "plan.staff.advocacy_tiny" in actions
    assert not {"plan.staff.kickoff", "plan.staff.guideline"} & set(actions)
    assert codes(founders.indicators) == ["plan.staff.indicator.briefed_tiny",
                                          "plan.staff.indicator.shares_tiny"]
    assert founders.title.code == "plan.staff.title_tiny"
    # a team of a dozen still briefs its staff
    team = codes(step(decide_for({"company.employees": 12}), "staff").actions)
    assert "plan.staff.kickoff" in team


def test_004_a_young_company_reports_funding_and_milestones_not_results(decide_for):
    """Read as the start-up founded two years ago: its investor-relations objective was to
    relay 'every results announcement', which a young unlisted company does not publish.
    A company under ten years old relays the news its investors follow instead."""
    young = decide_for({"goals": ["investor_relations"], "company.founded": 2024})
    [(_, objective)] = step(young, "objectives").table
    assert objective.code == "plan.objectives.goal.investor_relations_young"
    assert "plan.measure.kpi.investor_relations_young" in codes(step(young, "measure").indicators)
    old = decide_for({"goals": ["investor_relations"], "company.founded": 1950})
    [(_, objective)] = step(old, "objectives").table
    assert objective.code == "plan.objectives.goal.investor_relations"


def test_002_a_large_company_watches_its_accounts_with_a_weekend_rota(decide_for):
    """Read as the large retailer: step 4 told a 4,800-person group to 'decide who looks
    at the accounts in the evening and at weekends, even briefly'. A company of 250 or
    more sets up a seven-day rota with a named person on call each weekend."""
    large = codes(step(decide_for({"company.employees": 4800}), "strategy").actions)
    assert "plan.strategy.after_hours_large" in large
    assert "plan.strategy.after_hours" not in large
    small = codes(step(decide_for({"company.employees": 30}), "strategy").actions)
    assert "plan.strategy.after_hours" in small


def test_004_a_handful_of_people_block_hours_in_their_diary_not_a_job_description(decide_for):
    """Read as the three-founder start-up: step 1 and part 1 had it write the community
    manager's hours 'into their job description', a document three founders do not write
    for themselves. Five people or fewer block the hours in their own diary, as owners do."""
    founders = decide_for({"company.employees": 3})
    assert founders.staffing.model == "internal"
    assert "plan.objectives.people.internal_owner" in codes(step(founders, "objectives").actions)
    assert "staffing.risk.squeezed_time_owner" in [r.risk.code for r in founders.staffing.risks]
    team = decide_for({"company.employees": 12})
    assert "plan.objectives.people.internal" in codes(step(team, "objectives").actions)


def test_004_staff_guideline_carries_the_fields_rules_when_every_post_is_checked(decide_for):
    """Read as the wine estate: step 7 had staff relay posts under a guideline silent on
    the Loi Évin, which part 6 applies to every post on alcohol. In a field whose rules
    check every post, the guideline says what staff share about the offer follows them."""
    wine = codes(step(decide_for({"company.sector_id": "alcohol"}), "staff").actions)
    assert "plan.staff.guideline_checked" in wine and "plan.staff.guideline" not in wine
    founders = codes(step(decide_for({"company.sector_id": "alcohol",
                                      "company.employees": 3}), "staff").actions)
    assert "plan.staff.guideline_tiny_checked" in founders
    shop = codes(step(decide_for({"company.sector_id": "retail"}), "staff").actions)
    assert "plan.staff.guideline" in shop


def test_004_founders_with_no_time_block_one_slot_as_step_6_posts_once_a_week(decide_for):
    """Read as the three-founder start-up with no time to give: step 6 rightly posts once a
    week because no time is reserved, yet step 1 and part 1 asked for two fixed slots a
    week. With no time, they block one slot, enough for the weekly post."""
    founders = decide_for({"company.employees": 3, "staffing.time_available": False,
                           "staffing.external_budget": False})
    assert founders.staffing.model == "internal"
    assert "plan.objectives.people.internal_owner_no_time" in codes(
        step(founders, "objectives").actions)
    assert "staffing.risk.squeezed_time_owner_no_time" in [
        r.risk.code for r in founders.staffing.risks]
    with_time = decide_for({"company.employees": 3})
    assert "plan.objectives.people.internal_owner" in codes(step(with_time, "objectives").actions)


def test_002_a_large_group_pre_approves_and_rehearses_its_scenarios(decide_for):
    """Read as the large retailer: step 8 listed its field's scenarios but, outside a
    sensitive sector, had nobody pre-approve the holding statements and no rehearsal,
    for a group of 4,800 with hundreds of thousands of followers. A company of 250 or
    more with a known field now has both."""
    group = {"company.employees": 4800, "company.sector_id": "retail",
             "organization.sensitive_topics": False,
             "organization.departments": ["communication", "sales", "legal"]}
    actions = codes(step(decide_for(group), "crisis").actions)
    assert "plan.crisis.prevalidated.legal" in actions and "plan.crisis.drill" in actions
    assert "plan.crisis.watch" not in actions
    small = codes(step(decide_for({**group, "company.employees": 30}), "crisis").actions)
    assert "plan.crisis.drill" not in small


def test_pillars_stay_within_the_rules_of_a_field_that_checks_every_post(decide_for):
    """Read as Lefèvre Patrimoine: step 5's value pillars asked for 'a concrete example
    of this value at work' each month, 'long term' among them, where a wealth adviser's
    example turns into a promised return. In a field whose rules check every post
    (finance, alcohol, legal), step 5 has each pillar stay within those rules."""
    def first_action(sector_id):
        content = next(s for s in decide_for({"company.sector_id": sector_id}).plan
                       if s.step == 5)
        return content.actions[0].code

    assert first_action("finance") == "plan.content.pillars_checked"
    assert first_action("alcohol") == "plan.content.pillars_checked"
    assert first_action("retail") == "plan.content.pillars"
