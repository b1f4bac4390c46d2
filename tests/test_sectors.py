"""Issue 13: the sector taxonomy (templates/knowledge/sectors.yaml) and the target regions
(regions.yaml), through the engine and the command line.

Every sector is rendered in both languages and its own texts are looked for where they
belong: the crisis scenarios and triggers in step 8, each regulatory rule by name in
part 6, a relay's vocabulary in part 3, pillar ideas in step 5, its indicator in step 9.
"""

from __future__ import annotations

import json

import pytest
from conftest import BASE, PROFILES, codes, merged

from playbook.build import Builder
from playbook.cli import main
from playbook.knowledge import load_knowledge
from playbook.paths import search_path
from playbook.profile import Company, validate_data
from playbook.rules.sectors import match_sector

KNOWLEDGE = load_knowledge(search_path())
BUILDER = Builder()
SECTORS = list(KNOWLEDGE.sectors)


def guess(sector: str = "", description: str = "", name: str = "Client") -> str | None:
    match = match_sector(Company(name=name, sector=sector or None,
                                 description=description or None), KNOWLEDGE)
    return match.sector.id if match.sector else None


def test_the_taxonomy_covers_a_consultants_clients():
    assert 20 <= len(SECTORS) <= 30
    assert {"industry", "food", "alcohol", "health_care", "legal", "finance", "transport",
            "education_childhood", "public_body", "association"} <= set(SECTORS)


# -- the matcher -------------------------------------------------------------------------
def test_nordwerk_is_industry_not_transport():
    """'rail' in 'precision parts for aerospace and rail' no longer decides alone."""
    assert guess("industrial machining, precision parts for aerospace and rail",
                 "Family-owned machining company making precision parts for aerospace and "
                 "rail customers, two plants in Lorraine.") == "industry"
    assert guess("rail freight operator") == "transport"  # rail still means transport alone


@pytest.mark.parametrize(("sector", "expected"), [
    ("ferry company", "transport"),
    ("compagnie de ferries", "transport"),
    ("accueil de loisirs, petite enfance", "education_childhood"),
    ("centre de loisirs pour l'enfance", "education_childhood"),
    ("domaine viticole", "alcohol"),
    ("clinique vétérinaire", "veterinary"),
    ("cabinet d'avocats", "legal"),
    ("collectivité territoriale", "public_body"),
    ("boulangerie", "food"),
    ("brasserie artisanale de bière", "alcohol"),
])
def test_free_text_is_recognised(sector, expected):
    assert guess(sector) == expected


def test_the_whole_description_is_weighed():
    # one word of the sector field against a description that says otherwise
    assert guess("shop", "We manufacture precision metal parts in our factory and "
                 "machining plant for industrial customers.") == "industry"
    assert guess("", "Family bakery, three shops in Strasbourg.") == "food"
    assert guess("consulting") is None  # too thin to build on: the playbook says so


def test_short_keywords_match_whole_words_only():
    assert guess("trail running shoes retailer") == "retail"  # "rail" is not in "trail"
    assert guess("barbecue equipment shop") == "retail"  # "bar" is not hospitality


def test_an_explicit_sector_id_wins_over_the_words(decide_for):
    decisions = decide_for({"company.sector": "boulangerie", "company.sector_id": "retail"})
    assert decisions.facts.sector.id == "retail"
    assert decisions.sector.given is True
    assert codes(decisions.sector.notes) == ["sector.assumed.given"]


def test_the_playbook_says_which_sector_it_assumed_and_how_to_change_it(decide_for):
    guessed = decide_for({"company.sector": "precision machining"}).sector
    assert guessed.id == "industry" and guessed.given is False
    assert codes(guessed.notes)[0] == "sector.assumed.guessed"
    none = decide_for({"company.sector": "consulting"}).sector
    assert none.id is None and codes(none.notes) == ["sector.assumed.none"]
    close = decide_for({"company.sector": "online ride-sharing app"}).sector
    assert codes(close.notes) == ["sector.assumed.guessed", "sector.assumed.close"]


# -- validation ----------------------------------------------------------------------------
def test_sector_id_and_regions_are_validated_with_did_you_mean():
    data = merged({"company.sector_id": "industri", "company.target_regions": ["chna"]}, BASE)
    with pytest.raises(Exception) as caught:
        validate_data(data, "p.yaml", KNOWLEDGE.accepted_ids, KNOWLEDGE.aliases,
                      choices=KNOWLEDGE.profile_choices)
    text = str(caught.value)
    assert "company.sector_id: unknown value 'industri' (did you mean 'industry'?)" in text
    assert "company.target_regions[0]: unknown value 'chna' (did you mean 'china'?)" in text


def test_a_bad_sector_id_fails_on_the_command_line_and_writes_nothing(runner, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("company:\n  name: A\n  sector_id: lawyers\n", encoding="utf-8")
    result = runner.invoke(main, ["render", str(profile), "-o", str(tmp_path / "out"),
                                  "-f", "md"])
    assert result.exit_code != 0
    assert "company.sector_id: unknown value 'lawyers'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_json_schema_lists_sector_and_region_ids(runner):
    schema = json.loads(runner.invoke(main, ["schema"]).output)
    company = schema["properties"]["company"]["properties"]
    assert company["sector_id"]["enum"] == sorted(SECTORS)
    assert "china" in company["target_regions"]["items"]["enum"]


# -- what each sector brings, rendered -----------------------------------------------------
def render(changes: dict, language: str):
    data = merged({"language": language, "organization.sensitive_topics": None, **changes},
                  BASE)
    loaded = validate_data(data, "sector.yaml", KNOWLEDGE.accepted_ids, KNOWLEDGE.aliases,
                           choices=KNOWLEDGE.profile_choices)
    return BUILDER.build(loaded, language)


def section(markdown: str, start: str, end: str = "\n## ") -> str:
    index = markdown.index(start)
    stop = markdown.find(end, index + len(start))
    return markdown[index: stop if stop > 0 else None]


STEP8 = {"en": "### Step 8.", "fr": "### Étape 8."}
STEP5 = {"en": "### Step 5.", "fr": "### Étape 5."}
STEP9 = {"en": "### Step 9.", "fr": "### Étape 9."}
PART3 = {"en": "## 3.", "fr": "## 3."}
PART6 = {"en": "## 6.", "fr": "## 6."}


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def plain(text: str) -> str:
    """Markdown escapes and typographic spaces aside, for looking up a text."""
    return text.replace("\\", "").replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("sector_id", SECTORS)
def test_every_sector_is_rendered_where_it_belongs(sector_id, language):
    departments = sorted(KNOWLEDGE.sectors[sector_id].relay_departments) or ["sales"]
    playbook = render({"company.sector_id": sector_id,
                       "organization.departments": departments}, language)
    md = plain(playbook.markdown)
    texts = KNOWLEDGE.texts(language)

    def text(code: str) -> str:
        return plain(texts.get(f"sectors.{sector_id}.{code}"))

    crisis = section(md, STEP8[language], "\n### ")
    assert text("scenarios") in crisis
    assert text("triggers") in crisis
    part6 = section(md, PART6[language])
    assert text("name") in part6
    rules = KNOWLEDGE.sectors[sector_id].rules
    for n in range(rules):
        assert text(f"rules.{n}.name") in part6
    assert text("compliance") in part6
    relays = section(md, PART3[language])
    for department in KNOWLEDGE.sectors[sector_id].relay_departments:
        assert text(f"relay.{department}") in relays, department
    # both go on from a colon (« … pour ces piliers : la fabrication… »)
    assert lower_first(text("pillars")) in section(md, STEP5[language], "\n### ")
    assert lower_first(text("kpi")) in section(md, STEP9[language], "\n## ")


def test_every_sector_has_its_own_texts_not_a_default_in_disguise():
    messages = KNOWLEDGE.messages
    for field in ("scenarios", "triggers", "pillars", "kpi", "compliance"):
        for language in ("en", "fr"):
            values = [messages[f"sectors.{sid}.{field}"][language] for sid in SECTORS]
            assert len(set(values)) == len(values), field  # no two sectors share one
    retail = messages["sectors.retail.scenarios"]["en"]
    general = messages["plan.crisis.scenarios.general"]["en"]
    for sid in SECTORS:
        assert messages[f"sectors.{sid}.scenarios"]["en"] not in (general,) or sid == "retail"
        if sid != "retail":
            assert messages[f"sectors.{sid}.scenarios"]["en"] != retail


def test_fields_with_a_known_rule_name_it():
    """The rules the issue names: Loi Évin, medical secrecy, lawyers' secrecy, financial
    promotion, minors' image rights, the pre-election period of public bodies."""
    def names(sid):
        return " ".join(KNOWLEDGE.messages[f"sectors.{sid}.rules.{n}.name"]["en"]
                        for n in range(KNOWLEDGE.sectors[sid].rules))
    assert "Loi Évin" in names("alcohol")
    assert "Medical secrecy" in names("health_care")
    assert "RIN" in names("legal")
    assert "MiFID II" in names("finance")
    assert "minors" in names("education_childhood")
    assert "Pre-election" in names("public_body")


def test_sector_platform_adjustments_change_the_choice(decide_for):
    """LinkedIn for industry, the local listing for a trade, with the field as a reason."""
    industry = decide_for({"company.sector_id": "industry", "company.market": "b2b",
                           "goals": ["sales"], "audiences": ["prospects"]})
    assert industry.platforms.picks[0].id == "linkedin"
    assert "sectors.industry.platform_note" in codes(industry.platforms.picks[0].reasons)
    plumber = decide_for({"company.sector_id": "construction"})
    assert "google_business" in [p.id for p in plumber.platforms.picks]


def test_relays_speak_the_fields_vocabulary(decide_for):
    law = decide_for({"company.sector_id": "legal", "organization.departments": ["legal"]})
    assert law.relays.relays[0].answers.code == "sectors.legal.relay.legal"
    plain_relay = decide_for({"company.sector": None, "company.sector_id": None,
                              "organization.departments": ["legal"]})
    assert plain_relay.relays.relays[0].answers.code == "relays.department.legal.answers"


def test_compliance_basics_for_every_client(decide_for):
    checklist = codes(decide_for({"company.sector": None}).sector.checklist)
    assert checklist == ["compliance.personal_data", "compliance.image_rights",
                         "compliance.minors", "compliance.disclosure"]
    wine = codes(decide_for({"company.sector_id": "alcohol"}).sector.checklist)
    assert wine[-1] == "sectors.alcohol.compliance"


# -- markets and regions -------------------------------------------------------------------
def test_a_blocked_network_in_a_target_market_is_a_warning(decide_for):
    decisions = decide_for({"company.target_regions": ["china"], "goals": ["awareness"],
                            "audiences": ["customers"]})
    picks = [p.id for p in decisions.platforms.picks]
    assert "facebook" in picks or "instagram" in picks
    warning = next(m for m in decisions.warnings if m.code == "region_notes.blocked")
    assert set(warning.params["platforms"]) <= set(picks)
    assert decisions.sector.regional_networks[:2] == ("wechat", "xiaohongshu")
    assert "wechat" not in picks  # regional networks are offered, never ranked for everyone
    no_region = decide_for({"goals": ["awareness"], "audiences": ["customers"]})
    assert "region_notes.blocked" not in codes(no_region.warnings)
    assert no_region.sector.regional_networks == ()


def test_the_wine_estate_exporting_to_asia(runner):
    result = runner.invoke(main, ["explain", str(PROFILES / "domaine-saint-aubin.yaml"),
                                  "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sector"]["id"] == "alcohol"
    assert any("Loi Évin" in rule["name"] or "loi Évin" in rule["name"]
               for rule in report["sector"]["rules"])
    assert any("Chine continentale" in w and "bloqué" in w for w in report["warnings"])
    assert any("Japon" in line and "Facebook" in line for line in report["sector"]["regions"])
    assert [n["id"] for n in report["sector"]["regional_networks"]][:1] == ["wechat"]
    assert "line" in [n["id"] for n in report["sector"]["regional_networks"]]


def test_sample_profiles_are_classed_as_a_specialist_would(runner):
    expected = {"nordwerk-components.json": "industry", "boulangerie-muller.yaml": "food",
                "clinique-des-tilleuls.yaml": "veterinary", "cabinet-roux-avocats.yaml": "legal",
                "cabinet-lefevre-patrimoine.toml": "finance", "garage-dupont.yaml": "automotive",
                "val-argent-communes.yaml": "public_body", "amis-du-rail.yaml": "association",
                "maison-duval.yaml": "retail", "verdi-snacks.yaml": "food",
                "domaine-saint-aubin.yaml": "alcohol"}
    for name, sector in expected.items():
        result = runner.invoke(main, ["explain", str(PROFILES / name), "--json"])
        assert json.loads(result.output)["sector"]["id"] == sector, name


def test_nordwerk_reads_as_industry_in_both_languages():
    loaded = BUILDER.load(PROFILES / "nordwerk-components.json")
    for language in ("en", "fr"):
        md = plain(BUILDER.build(loaded, language).markdown)
        assert "transport" not in section(md, STEP8[language], "\n### ").lower()
        assert KNOWLEDGE.texts(language).get("sectors.industry.scenarios") in md
    warnings = BUILDER.build(loaded, "en").report["warnings"]
    assert not any("transport" in w for w in warnings)


# -- templates check validates sector files ------------------------------------------------
def test_templates_check_validates_a_sector_file(runner, tmp_path):
    folder = tmp_path / "t" / "knowledge"
    folder.mkdir(parents=True)
    (folder / "sectors.yaml").write_text(
        "sectors:\n  bakery:\n    name: {en: Bakery, fr: Boulangerie}\n"
        "    keywords: [bakery]\n    scenarios: {en: a, fr: a}\n    triggers: {en: b, fr: b}\n"
        "    pillars: {en: c, fr: c}\n    kpi: {en: d, fr: d}\n    compliance: {en: e, fr: e}\n"
        "    platforms: {linkdin: 0.1}\n", encoding="utf-8")
    result = runner.invoke(main, ["templates", "check", str(tmp_path / "t")])
    assert result.exit_code != 0
    assert "sectors.bakery.platforms.linkdin: unknown platform (did you mean 'linkedin'?)" \
        in result.output


def test_a_consultant_can_replace_the_sectors_with_their_own(runner, tmp_path):
    """A sectors.yaml of one's own (fewer sectors, new ones) passes the check and is used."""
    folder = tmp_path / "t" / "knowledge"
    folder.mkdir(parents=True)
    (folder / "sectors.yaml").write_text(
        (PROFILES.parent / "templates" / "knowledge" / "sectors.yaml").read_text(
            encoding="utf-8").split("\nsectors:\n")[0] + "\nsectors:\n"
        "  bakery:\n    name: {en: artisan bakery, fr: boulangerie artisanale}\n"
        "    keywords: [bakery, boulang]\n"
        "    scenarios: {en: Flour moth in the shop, fr: Mites alimentaires au fournil}\n"
        "    triggers: {en: A photo of the oven, fr: Une photo du four}\n"
        "    pillars: {en: Sourdough, fr: Levain}\n    kpi: {en: Pre-orders, fr: Précommandes}\n"
        "    compliance: {en: Allergens listed, fr: Allergènes affichés}\n"
        + (PROFILES.parent / "templates" / "knowledge" / "sectors.yaml").read_text(
            encoding="utf-8").split("\nsector:\n", 1)[1].join(["\nsector:\n", ""]),
        encoding="utf-8")
    result = runner.invoke(main, ["templates", "check", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(PROFILES / "boulangerie-muller.yaml"),
                                  "--templates", str(tmp_path / "t"), "-o", str(out), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert "Mites alimentaires au fournil" in next(out.glob("*.md")).read_text(encoding="utf-8")


def test_a_named_sector_says_what_kind_of_organisation_it_is(decide_for):
    """sectors.yaml `kind`: a profile naming public_body is treated as a public body
    (who signs off, the joker), unless it gives company.kind itself."""
    town = decide_for({"company.sector": "services", "company.sector_id": "public_body"})
    assert town.facts.org.kind == "public_body"
    given = decide_for({"company.sector_id": "public_body", "company.kind": "association"})
    assert given.facts.org.kind == "association"
    plain_company = decide_for({"company.sector": "services", "company.sector_id": "retail"})
    assert plain_company.facts.org.kind == "company"


def test_the_gdpr_line_speaks_of_requests_not_customers_outside_companies(decide_for):
    """An association (with or without staff) and a public body answer requests, they
    have no customer service; a company keeps it."""
    def personal_data(changes):
        return codes(decide_for(changes).sector.checklist)[0]

    assert personal_data({}) == "compliance.personal_data"
    for changes in ({"company.kind": "association", "company.employees": 45},
                    {"company.kind": "association", "company.employees": 0},
                    {"company.kind": "public_body", "company.market": "public"}):
        assert personal_data(changes) == "compliance.personal_data_requests", changes
    public = codes(decide_for({"company.kind": "public_body", "company.market": "public"})
                   .sector.checklist)
    assert "compliance.disclosure_public" in public  # its agents, not its salaried staff
    staffed = codes(decide_for({"company.kind": "association", "company.employees": 45})
                    .sector.checklist)
    assert "compliance.disclosure_association" in staffed  # no "offer" to relay


@pytest.mark.parametrize("language, line, customers", [
    ("fr", "- Données personnelles (RGPD)", ("client",)),
    ("en", "- Personal data (GDPR)", ("customer", "client"))])
def test_the_gdpr_line_read_as_each_client(language, line, customers):
    builder = Builder()

    def gdpr_line(sample):
        text = builder.build(builder.load(PROFILES / sample), language).markdown
        [found] = [row for row in text.splitlines() if row.startswith(line)]
        return found

    for sample in ("epicerie-solidaire-hohneck.yaml", "amis-du-rail.yaml",
                   "val-argent-communes.yaml"):
        found = gdpr_line(sample)
        assert not [word for word in customers if word in found], (sample, found)
        assert "bank" in found or "bancaires" in found  # the same facts as the shop's
    assert customers[0] in gdpr_line("boulangerie-muller.yaml")



def test_a_sector_indicator_names_no_network_the_playbook_may_not_recommend(tmp_path):
    """Found by the generated-profiles coherence test: a beauty business whose picks are
    LinkedIn and Facebook was told to track 'bookings from Instagram' in step 9."""
    import json

    from playbook.build import Builder
    from playbook.coherence import check

    path = tmp_path / "profile.json"
    path.write_text(json.dumps({
        "version": 1, "goals": ["recruitment", "customer_service"],
        "company": {"name": "A", "employees": 0, "kind": "company", "sector_id": "beauty"}}),
        encoding="utf-8")
    builder = Builder()
    loaded = builder.load(path)
    for language in ("en", "fr"):
        playbook = builder.build(loaded, language)
        assert "instagram" not in [p["id"] for p in playbook.report["platforms"]]
        assert check(loaded.profile, playbook.report, playbook.markdown, builder.knowledge) == []


def test_each_regulated_profession_reads_only_its_own_rules(decide_for):
    """Read as the law firm: part 6 showed lawyers the notaries' and accountants' codes
    of ethics beside their own RIN. A rule bound to some professions of the field is
    shown to a client whose words name one of them; naming none, every rule is shown."""
    def rules(sector, description=None):
        advice = decide_for({"company.sector": sector, "company.description": description,
                             "company.sector_id": "legal"}).sector
        return [name.code for name, _text in advice.rules]

    lawyers, others = "sectors.legal.rules.0.name", "sectors.legal.rules.1.name"
    assert rules("cabinet d'avocats, droit du travail") == [lawyers]
    assert rules("étude de notaires") == [others]
    assert rules("expert-comptable") == [others]
    assert rules("law firm", "Lawyers and chartered accountants under one roof.") == \
        [lawyers, others]
    assert rules("legal services") == [lawyers, others]  # no profession named


def test_the_law_firm_sample_reads_no_notaries_rule():
    loaded = BUILDER.load(PROFILES / "cabinet-roux-avocats.yaml")
    for language, lawyers, notaries in (("fr", "secret professionnel de l'avocat", "Notaires"),
                                        ("en", "Lawyers' professional secrecy", "notaries")):
        part6 = section(plain(BUILDER.build(loaded, language).markdown), PART6[language])
        assert lawyers in part6 and notaries not in part6, language


@pytest.mark.parametrize(("sector", "expected"), [
    ("online ride-sharing platform", "ride_sharing"),
    ("plateforme de covoiturage", "ride_sharing"),
    ("carpooling app", "ride_sharing"),
    ("compagnie d'autocars", "transport"),
    ("taxi company", "transport"),
])
def test_a_ride_sharing_platform_is_told_from_a_transport_operator(sector, expected):
    """Read as the ride-sharing app: it was classed as transport and read a transport
    operator's texts (real-time service information, lines, passenger rights). Its own
    words (company.sector) name a platform: the field has texts of its own."""
    assert guess(sector) == expected


def test_the_ride_sharing_app_reads_a_platform_s_texts_not_public_transport():
    loaded = BUILDER.load(PROFILES / "covoit-express.yaml")
    for language, wrong in (("en", ("real-time", "disruption", "routes and destinations",
                                    "Passenger rights")),
                            ("fr", ("temps réel", "perturbation", "lignes et destinations",
                                    "droits des passagers"))):
        playbook = BUILDER.build(loaded, language)
        assert playbook.report["sector"]["id"] == "ride_sharing"
        md = plain(playbook.markdown)
        assert not [w for w in wrong if w in md], language
        assert lower_first(KNOWLEDGE.texts(language).get("sectors.ride_sharing.pillars")) in md


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_sector_text_spliced_after_a_colon_goes_on_in_lower_case(language):
    """Read as the bakery: « Suivez aussi un indicateur propre à votre secteur : Visites et
    commandes… » and « …pour ces piliers : La fabrication… »; French takes no capital
    after a colon, nor does an English list. The splice lowers the first letter of
    every sector's ideas and indicator."""
    introductions = {"en": ("Ideas from your field for the pillars: ",
                            "Also track an indicator typical of your field: "),
                     "fr": ("Des idées de votre secteur pour ces piliers : ",
                            "Suivez aussi un indicateur propre à votre secteur : ")}[language]
    for sector_id in SECTORS:
        md = plain(render({"company.sector_id": sector_id}, language).markdown)
        texts = KNOWLEDGE.texts(language)
        pillars = plain(texts.get(f"sectors.{sector_id}.pillars"))
        kpi = plain(texts.get(f"sectors.{sector_id}.kpi"))
        assert introductions[0] + lower_first(pillars) in md, sector_id
        assert introductions[1] + lower_first(kpi) in md, sector_id


def test_a_name_or_an_acronym_keeps_its_capital_after_the_colon(runner, tmp_path):
    """The lowering stops at names: a network (Instagram), an acronym (ISO), a word with
    a capital inside (RappelConso) start a consultant's sector texts unchanged."""
    folder = tmp_path / "t" / "knowledge"
    folder.mkdir(parents=True)
    builtin = (PROFILES.parent / "templates" / "knowledge" / "sectors.yaml").read_text(
        encoding="utf-8")
    food = builtin.index("\n  food:\n")
    pillars = builtin.index("    pillars:", food)
    kpi = builtin.index("    kpi:", food)
    own = (builtin[:pillars]
           + "    pillars: {en: Instagram stories of the oven, fr: Instagram et le fournil}\n"
           + builtin[builtin.index("\n", pillars) + 1:kpi]
           + "    kpi: {en: ISO audits passed, fr: RappelConso consulté chaque semaine}\n"
           + builtin[builtin.index("\n", kpi) + 1:])
    (folder / "sectors.yaml").write_text(own, encoding="utf-8")
    out = tmp_path / "out"
    for language, expected in (("en", ("pillars: Instagram stories", "field: ISO audits")),
                               ("fr", ("piliers : Instagram et", "secteur : RappelConso"))):
        result = runner.invoke(main, ["render", str(PROFILES / "boulangerie-muller.yaml"),
                                      "--templates", str(tmp_path / "t"), "-o", str(out),
                                      "-f", "md", "--lang", language, "--force"])
        assert result.exit_code == 0, result.output
        md = plain(next(out.glob("*.md")).read_text(encoding="utf-8"))
        assert all(e in md for e in expected), (language, [e for e in expected if e not in md])


def test_the_alcohol_products_pillar_stays_objective(decide_for):
    """Read as the wine estate: step 5's products pillar read 'new products, seasonal
    offers, how customers use them', drinking moments the Loi Évin forbids in alcohol
    advertising. A field that words that example itself (sectors.yaml `offers_example`)
    gets its own: each drink presented objectively."""
    wine = decide_for({"company.sector_id": "alcohol", "goals": ["sales"],
                       "company.market": "both"})
    content = next(s for s in wine.plan if s.step == 5)
    examples = [example.code for _, example in content.table]
    assert "sectors.alcohol.offers_example" in examples
    assert "plan.content.pillar.offers.example" not in examples
    shop = decide_for({"company.sector_id": "retail", "goals": ["sales"]})
    shop_content = next(s for s in shop.plan if s.step == 5)
    assert "plan.content.pillar.offers.example" in [e.code for _, e in shop_content.table]


def test_step_3_has_the_target_markets_regional_networks_decided(decide_for):
    """Read as the wine estate (70 % of its sales in Asia): part 6 named WeChat,
    Xiaohongshu, LINE... for its markets, but the plan never had anyone decide on them.
    Step 3 now does, once each, leaving out a network already recommended."""
    asia = decide_for({"company.target_regions": ["china", "hong_kong", "japan", "france"]})
    step3 = next(s for s in asia.plan if s.step == 3)
    [line] = [m for m in step3.actions if m.code == "plan.platforms.regions"]
    assert line.params["platforms"] == ["wechat", "xiaohongshu", "weibo", "douyin", "line"]
    home = decide_for({"company.target_regions": ["france"]})
    assert "plan.platforms.regions" not in codes(next(s for s in home.plan if s.step == 3).actions)


def test_the_wine_estate_is_offered_no_lifestyle_content_for_its_asian_markets(runner):
    """Read as the wine estate: part 6 gave Xiaohongshu the role of 'lifestyle notes by
    users and partners', the lifestyle imagery the Loi Évin keeps out of alcohol
    advertising. The network's role speaks of product reviews and notes."""
    result = runner.invoke(main, ["explain", str(PROFILES / "domaine-saint-aubin.yaml"),
                                  "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    [red] = [n for n in report["sector"]["regional_networks"] if n["id"] == "xiaohongshu"]
    assert "produits" in red["role"] and "style de vie" not in red["role"]


def _render(runner, tmp_path, profile: str, language: str) -> str:
    out = tmp_path / f"{profile}-{language}"
    result = runner.invoke(main, ["render", str(PROFILES / profile), "-o", str(out),
                                  "-f", "md", "--lang", language, "--force"])
    assert result.exit_code == 0, result.output
    return plain(next(out.glob("*.md")).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("language", "shop_only", "kept"), [
    ("en", ("dawn at the oven", "behind the counter", "found nearby",
            "Orders, opening hours", "(product of the week, pre-orders)"),
     "production line"),
    ("fr", ("l'aube au fournil", "derrière le comptoir", "près de chez soi",
            "Commandes, horaires", "(produit de la semaine, précommandes)"),
     "ligne de production"),
])
def test_a_food_manufacturer_is_not_written_to_as_a_shop(runner, tmp_path, language,
                                                         shop_only, kept):
    """Read as Verdi Snacks, a snack brand sold in supermarkets across Europe: the food
    field's texts spoke of dawn at the oven, the faces behind the counter, a local
    listing, opening hours and pre-orders, a bakery's world. They now fit a shop and a
    manufacturer alike; the bakery keeps its bakehouse and its local listing."""
    verdi = _render(runner, tmp_path, "verdi-snacks.yaml", language)
    assert [s for s in shop_only if s in verdi] == []
    assert kept in verdi
    bakery = _render(runner, tmp_path, "boulangerie-muller.yaml", language)
    assert ("local listing" if language == "en" else "fiche locale") in bakery
    assert ("bakehouse" if language == "en" else "le fournil") in bakery


@pytest.mark.parametrize(("language", "bank_only", "adviser"), [
    ("en", "a service outage (payments, access to accounts)", "advice blamed for a loss"),
    ("fr", "une panne de service (paiements, accès aux comptes)",
     "un conseil mis en cause après une perte"),
])
def test_a_wealth_adviser_prepares_for_its_own_crises(runner, tmp_path, language,
                                                      bank_only, adviser):
    """Read as Lefèvre Patrimoine, advisers who hold no accounts: step 8's scenarios
    were a bank's outage of payments and an insurer's refused claim, with nothing on the
    adviser's own risk, a client blaming a loss on its advice."""
    md = _render(runner, tmp_path, "cabinet-lefevre-patrimoine.toml", language)
    assert bank_only not in md
    assert adviser in md


@pytest.mark.parametrize(("language", "hires"), [("en", "hires"), ("fr", "recrutements")])
def test_an_association_of_volunteers_is_not_told_of_hires(runner, tmp_path, language,
                                                           hires):
    """Read as Les Amis du Rail, an association with no employee: part 3 asked relays to
    send news of 'launches, events, hires, press'. The routine now speaks of arrivals,
    true of a new volunteer as of a new hire."""
    md = _render(runner, tmp_path, "amis-du-rail.yaml", language)
    assert hires not in md
    assert ("arrivals" if language == "en" else "arrivées") in md


@pytest.mark.parametrize(("language", "beneficiary", "welcomed", "daily_session", "turns"), [
    ("en", "beneficiar", "someone you help or welcome",
     "Set aside time every day to answer", "Take turns among the volunteers"),
    ("fr", "bénéficiaire", "personne aidée ou accueillie",
     "Réservez chaque jour un moment pour répondre", "Relayez-vous entre les bénévoles"),
])
def test_a_heritage_association_of_volunteers_is_read_as_it_is(runner, tmp_path, language,
                                                              beneficiary, welcomed,
                                                              daily_session, turns):
    """Read as Les Amis du Rail, volunteers who run a steam train for visitors: the
    association field spoke only of 'beneficiaries', whom a heritage railway does not
    have; it now says the people you help or welcome, true of a food bank too. Step 6
    set aside time every day to answer, while part 1 asks a volunteer for an hour or two
    a week: the volunteers holding the accounts now take turns for a short daily look."""
    md = _render(runner, tmp_path, "amis-du-rail.yaml", language)
    assert beneficiary not in md.lower()
    assert welcomed in md
    assert daily_session not in md
    assert turns in md
