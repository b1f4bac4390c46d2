"""Internal relay rules, DOMAIN.md section 3. Each test names the seed article it comes from."""

from __future__ import annotations

from conftest import codes


def test_003_one_relay_per_listed_department_and_the_core_four_are_needed(decide_for):
    """003: communication, marketing, after-sales/customer service, sales. Issue 10: only
    a company large enough to have those departments is told they are missing; a small
    one has its questions routed to the manager."""
    relays = decide_for({"organization.departments": ["sales", "production"],
                         "company.employees": 120}).relays
    assert [r.department for r in relays.relays] == ["sales", "production"]
    gap = relays.gaps[0]
    assert set(gap.params["departments"]) == {"communication", "marketing", "customer_service"}
    small = decide_for({"organization.departments": ["sales", "production"],
                        "company.employees": 12}).relays
    assert not small.gaps
    [routed] = small.routed
    assert set(routed.params["departments"]) == {"communication", "marketing",
                                                 "customer_service"}
    assert routed.params["decider"].code == "org.decider.manager"


def test_003_hr_needed_when_recruiting_and_legal_when_regulated(decide_for):
    relays = decide_for({"goals": ["recruitment"], "company.employees": 400,
                         "organization.activity_complexity": "high"}).relays
    assert set(relays.gaps[0].params["departments"]) == {"hr", "legal"}


def test_002_the_joker_is_the_communications_director(decide_for):
    """002: a senior joker with a transverse view, e.g. the communications director."""
    relays = decide_for({"organization.communications_director": True}).relays
    assert relays.joker.code == "relays.joker.communications_director"
    assert [r.department for r in relays.relays if r.joker] == ["communication"]


def test_002_without_a_communications_director_the_joker_is_the_manager_in_small_firms(decide_for):
    assert decide_for({"company.employees": 8}).relays.joker.code == "relays.joker.manager"
    assert decide_for({"company.employees": 800}).relays.joker.code == "relays.joker.executive"


def test_003_single_contact_missing_is_flagged(decide_for):
    """003: one contact, so instructions are clear and never contradicted."""
    decisions = decide_for({"organization.single_contact": False})
    assert decisions.relays.single_contact.code == "relays.single_contact.name_one"
    assert "warnings.no_single_contact" in codes(decisions.warnings)
    unknown = decide_for({"organization.single_contact": None}).relays
    assert unknown.single_contact.code == "relays.single_contact.unknown"


def test_002_external_cm_first_builds_trust_and_finds_relays(decide_for):
    """002: an external CM's first job is trust and relays; the organisation feeds the CM."""
    pair = decide_for({"staffing.trained": False, "staffing.training_budget": False,
                       "staffing.external_budget": True}).relays
    assert "relays.routine.onboarding" in codes(pair.routine)
    assert "relays.routine.feed" in codes(pair.routine)
    internal = decide_for().relays
    assert "relays.routine.onboarding" not in codes(internal.routine)


def test_002_sensitive_sectors_get_faster_quality_answers(decide_for):
    calm = decide_for({"organization.departments": ["quality"]}).relays.relays[0]
    tense = decide_for({"organization.departments": ["quality"],
                        "organization.sensitive_topics": True}).relays.relays[0]
    assert calm.response_time.code == "relays.response.one_day"
    assert tense.response_time.code == "relays.response.same_day"


def test_003_regulated_activity_adds_the_expert_to_the_validation_circuit(decide_for):
    routine = codes(decide_for({"organization.activity_complexity": "high",
                                "organization.departments": ["sales", "legal"]}).relays.routine)
    assert "relays.routine.validation_regulated" in routine
    # without a legal department the check goes to whoever decides (issue 10)
    routine = codes(decide_for({"organization.activity_complexity": "high"}).relays.routine)
    assert "relays.routine.validation_regulated_outside" in routine


def test_the_joker_and_routine_fit_the_kind_and_size_of_organisation(decide_for):
    """Issue 10: an association has a president and a board, not 'the manager'; four
    people hold no weekly meeting 'with the relays'."""
    charity = decide_for({"company.kind": "association", "company.employees": 0}).relays
    assert charity.joker.code == "relays.joker.president"
    assert codes(charity.routine)[0] == "relays.routine.weekly_volunteers"
    four = decide_for({"company.employees": 4}).relays
    assert codes(four.routine)[0] == "relays.routine.weekly_tiny"
    public = decide_for({"company.kind": "public_body", "company.employees": 85}).relays
    assert public.joker.code == "relays.joker.public_executive"


def test_no_departments_listed_asks_only_for_what_the_size_calls_for(decide_for):
    """Studio Nomad (4 people) was told to name relays for four departments."""
    small = decide_for({"company.employees": 4, "organization.departments": None}).relays
    assert small.none_listed.code == "relays.none_listed.small"
    big = decide_for({"company.employees": 300, "organization.departments": None}).relays
    assert big.none_listed.code == "relays.none_listed.expected"
    assert "hr" in big.none_listed.params["departments"]


def test_a_small_firm_s_joker_is_its_managing_partner_in_correct_french(decide_for):
    """Read as the seven-person law firm: 'l'associé ou l'associée gérant' did not agree,
    and the reason spoke of 'la direction' of a firm its partners run."""
    from conftest import SAMPLES

    from playbook.build import Builder

    relays = decide_for({"company.kind": "professional_firm", "company.employees": 7}).relays
    assert (relays.joker.code, relays.joker_reason.code) == \
        ("relays.joker.partner", "relays.joker.why_partner")
    builder = Builder()
    firm = next(p for p in SAMPLES if p.stem == "cabinet-roux-avocats")
    text = builder.build(builder.load(firm), "fr").markdown
    assert "### Le joker\xa0: l'associé gérant ou l'associée gérante\n" in text
    assert "associée gérant " not in text and "la direction connaît tous les sujets" not in text
    english = builder.build(builder.load(firm), "en").markdown
    assert "the partners know every subject and speak for the practice" in english


def test_a_practice_s_legal_relay_is_a_partner_not_a_company_lawyer(decide_for):
    """Read as the law firm: its only relay was a 'Juriste ou responsable conformité' in
    a legal department, a company's in-house lawyer; in a practice a partner answers for
    the profession's rules."""
    def roles(changes):
        relays = decide_for({"organization.departments": ["legal"], **changes}).relays
        return [r.role.code for r in relays.relays]

    assert roles({"company.kind": "professional_firm", "company.employees": 7}) == \
        ["relays.department.legal.role_firm"]
    assert roles({"company.employees": 120}) == ["relays.department.legal.role"]


def test_a_public_body_has_a_service_users_desk_not_a_customer_service(decide_for):
    """Read as the inter-municipal authority: its relay was the 'Responsable du service
    client' of a 'Service client'; a public body receives and answers service users.
    Every department list names it so (a gap, the subjects routed to whoever decides)."""
    public = {"company.kind": "public_body", "company.market": "public"}
    decisions = decide_for({**public, "organization.departments": ["customer_service"]})
    [relay] = decisions.relays.relays
    # the desk's title, as a department or, below fifty people, as the person at it
    assert relay.role.code.startswith("relays.department.customer_service.role_public")
    assert relay.department == "customer_service"  # the contract's id is unchanged
    gap = decide_for({**public, "company.employees": 120,
                      "organization.departments": ["legal"]}).relays.gaps[0]
    assert gap.params["departments"] == ["communication", "customer_service_public"]
    routed = decide_for({**public, "company.employees": 12,
                         "organization.departments": ["legal"]}).relays.routed[0]
    assert "customer_service_public" in routed.params["departments"]
    company = decide_for({"organization.departments": ["customer_service"],
                          "company.employees": 120}).relays.relays[0]
    assert company.role.code == "relays.department.customer_service.role"


def test_the_public_body_sample_names_its_users_desk_and_keeps_its_own_goal():
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "val-argent-communes.yaml")
    for language, department, customers, goals in (
            ("fr", "Accueil des usagers", "service client",
             "| Objectifs | notoriété, service client et communauté |"),
            ("en", "Public enquiries", "customer service",
             "| Goals | awareness, customer service and community |")):
        playbook = builder.build(loaded, language)
        [relay] = [r for r in playbook.report["relays"] if r["department"] == "customer_service"]
        assert relay["department_label"] == department.lower()
        text = playbook.markdown
        part_3 = text.split("## 3.")[1].split("## 4.")[0]
        assert customers not in part_3.lower(), language
        assert department.lower() in text.split(goals)[1], language  # the appendix's departments
        assert goals in text, language  # the client's goal answer, as it was given


def test_an_association_answers_its_users_not_customers(decide_for):
    """Read as the volunteer food bank: its routed subjects read « communication,
    service client, ressources humaines… » though it serves users, not customers."""
    association = {"company.kind": "association", "company.market": "public",
                   "company.employees": 0}
    routed = decide_for({**association, "organization.departments": []}).relays.routed[0]
    assert "customer_service_public" in routed.params["departments"]
    assert "customer_service" not in routed.params["departments"]
    staffed = decide_for({**association, "company.employees": 45,
                          "organization.departments": ["customer_service"]})
    [relay] = staffed.relays.relays
    # the desk's title, as a department or, below fifty people, as the person at it
    assert relay.role.code.startswith("relays.department.customer_service.role_public")


def test_a_public_body_or_association_answers_its_users_as_a_goal_too(decide_for):
    """Read as the inter-municipal authority in English: parts 2 and 5 told it its goals
    were 'awareness, customer service and community' and set a 'Customer service'
    objective; a body serving users names that goal as answering them, as its desk is
    named (the appendix keeps the answer as given). A company keeps 'customer service'."""
    def goal_words(changes):
        d = decide_for({"goals": ["awareness", "customer_service"], **changes})
        params = {g for pick in d.platforms.picks for m in pick.reasons
                  if m.code == "networks.reason.goals" for g in m.params["goals"]}
        first_cells = [row[0].code for row in d.plan[0].table]
        return params, first_cells

    for changes in ({"company.kind": "public_body", "company.market": "public"},
                    {"company.kind": "association", "company.market": "public",
                     "company.employees": 0}):
        params, cells = goal_words(changes)
        assert "customer_service_public" in params and "customer_service" not in params
        assert "labels.goal.customer_service_public" in cells, changes
    params, cells = goal_words({})
    assert "customer_service" in params and "labels.goal.customer_service" in cells


def test_the_public_body_sample_reads_no_customer_service_goal_in_its_parts():
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "val-argent-communes.yaml")
    for language, wrong, wanted in (("fr", "service client", "réponses aux usagers"),
                                    ("en", "customer service", "public enquiries")):
        text = builder.build(loaded, language).markdown
        parts = text.split("## Questions ouvertes" if language == "fr" else "## Open questions")[0]
        assert wrong not in parts.lower() and wanted in parts.lower(), language


def test_003_a_public_body_signs_off_with_its_elected_official_and_checks_before_elections(
        decide_for):
    """Read as the inter-municipal authority: part 3 said 'everyday posts go out without
    further sign-off' while part 6 asks the approval chain, elected official included, to
    check every post in a pre-election period. Its routine now says both; a company
    keeps the general line."""
    public = decide_for({"company.kind": "public_body", "company.market": "public"})
    assert "relays.routine.validation_public" in [m.code for m in public.relays.routine]
    company = [m.code for m in decide_for().relays.routine]
    assert "relays.routine.validation" in company
    assert "relays.routine.validation_public" not in company


def test_002_a_small_business_names_its_relays_as_the_people_it_has(decide_for):
    """Read as the bakery: its sales relay was the « Responsable commercial », a post a
    twelve-person bakery does not have. Below fifty people a relay is the person who
    covers the function; a larger company keeps its department heads, a practice its
    partner for the rules, and the joker stays the joker."""
    departments = ["sales", "production", "customer_service", "legal"]

    def roles(changes):
        relays = decide_for({"organization.departments": departments, **changes}).relays
        return {r.department: r.role.code for r in relays.relays}

    small = roles({"company.employees": 12})
    assert small == {d: f"relays.department.{d}.role_small" for d in departments}
    large = roles({"company.employees": 400})
    assert large == {d: f"relays.department.{d}.role" for d in departments}
    town = roles({"company.employees": 20, "company.kind": "public_body",
                  "company.market": "public"})
    assert town["customer_service"] == "relays.department.customer_service.role_public_small"
    firm = roles({"company.employees": 7, "company.kind": "professional_firm"})
    assert firm["legal"] == "relays.department.legal.role_firm"
    assert firm["sales"] == "relays.department.sales.role_small"
    joker = decide_for({"company.employees": 12, "organization.departments": ["communication"],
                        "organization.communications_director": True}).relays.relays[0]
    assert joker.joker and joker.role.code == "relays.joker.communications_director"


def test_the_bakery_reads_no_sales_manager_in_part_3():
    from conftest import PROFILES

    from playbook.build import Builder

    builder = Builder()
    loaded = builder.load(PROFILES / "boulangerie-muller.yaml")
    for language, wrong, wanted in (("fr", "Responsable commercial", "La personne qui s'occupe de la vente"),
                                    ("en", "Sales lead", "The person who looks after sales")):
        relays = builder.build(loaded, language).report["relays"]
        roles = [r["role"] for r in relays]
        assert wrong not in roles and wanted in roles, language


def test_003_a_field_whose_rules_check_every_post_never_lets_one_out_unchecked(decide_for):
    """Read as the wine estate: part 3 said everyday posts go out without further
    sign-off while part 6 has every post on alcohol checked against the Loi Évin. A field
    whose rules check every post (sectors.yaml `every_post_checked`) has its approval line
    and step 4 say so, even when its activity is only 'medium'."""
    wine = {"company.sector_id": "alcohol", "organization.activity_complexity": "medium",
            "company.employees": 9, "organization.departments": ["sales", "production"]}
    decisions = decide_for(wine)
    routine = codes(decisions.relays.routine)
    assert "relays.routine.validation_sector_outside" in routine
    assert "relays.routine.validation" not in routine
    step4 = codes(decisions.plan[3].actions)
    assert "plan.strategy.sector_validation_outside" in step4
    with_lawyer = decide_for({**wine, "organization.departments": ["sales", "legal"]})
    assert "relays.routine.validation_sector" in codes(with_lawyer.relays.routine)
    assert "plan.strategy.sector_validation" in codes(with_lawyer.plan[3].actions)
    # a field without such a rule keeps the light monthly sign-off
    other = decide_for({**wine, "company.sector_id": "retail"})
    assert "relays.routine.validation" in codes(other.relays.routine)


def test_003_a_large_company_signs_off_with_its_communication_head_and_legal(decide_for):
    """Read as the large retailer (4,800 people, a communications director, a legal
    department): part 3 had the single contact alone approve the calendar once a month.
    A company of 250 or more approves it with its communication head, and has what
    commits the whole group checked by its legal relay (else by whoever decides)."""
    group = {"company.employees": 4800, "organization.communications_director": True,
             "organization.departments": ["communication", "sales", "legal"]}
    [line] = [m for m in decide_for(group).relays.routine
              if m.code.startswith("relays.routine.validation")]
    assert line.code == "relays.routine.validation_large"
    assert line.params["approver"].code == "relays.approver.communications_director"
    assert line.params["checker"].code == "relays.approver.legal"
    no_lawyer = decide_for({**group, "organization.communications_director": False,
                            "organization.departments": ["communication", "sales"]})
    [line] = [m for m in no_lawyer.relays.routine
              if m.code.startswith("relays.routine.validation")]
    assert line.params["approver"].code == "relays.approver.communication"
    assert line.params["checker"].code == "org.decider.executive"
    # a firm of thirty keeps the light monthly sign-off
    assert "relays.routine.validation" in codes(decide_for().relays.routine)


def test_a_food_brand_checks_its_health_claims_before_they_go_out(decide_for):
    """Read as Verdi Snacks, a 'healthy snacks' brand: part 6 allows only authorised
    nutrition and health claims, yet part 3 let everyday posts go out without further
    sign-off, claims included. A field whose rules bind some posts (sectors.yaml
    `checked_posts`) has them checked by the legal relay, else by whoever decides."""
    def checked(changes):
        routine = decide_for(changes).relays.routine
        return [m for m in routine if m.code == "relays.routine.sector_checked"]

    [line] = checked({"company.sector_id": "food", "company.employees": 420,
                      "organization.departments": ["communication", "legal"]})
    assert line.params["posts"].code == "sectors.food.checked_posts"
    assert line.params["checker"].code == "relays.approver.legal"
    [small] = checked({"company.sector_id": "food", "company.employees": 12,
                       "organization.departments": ["sales"]})
    assert small.params["checker"].code.startswith("org.decider.")
    assert checked({"company.sector_id": "retail"}) == []


def test_a_small_club_or_town_hall_without_departments_answers_members_not_customers(decide_for):
    """Read as a 30-person rowing club (not a sample): part 3 told it to write down who
    answers 'your customers'; an association names its members, a public body residents."""
    def none_listed(answers):
        return decide_for({"company.employees": 30, "organization.departments": None,
                           **answers}).relays.none_listed.code

    assert none_listed({"company.kind": "association"}) == "relays.none_listed.small_members"
    assert none_listed({"company.kind": "public_body"}) == "relays.none_listed.small_public"
    assert none_listed({"company.kind": "company"}) == "relays.none_listed.small"
