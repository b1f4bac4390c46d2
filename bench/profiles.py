"""Deterministic, varied, complete company profiles for the benchmark and `playbook batch`.

`generate(count, folder, seed)` writes `count` profile files (YAML, one in four JSON)
into `folder`. Each starts from a company identity (sector, description, story,
values, region, market, size) taken from the sample profiles in profiles/ or from a
few extra archetypes below, gets a new name, and then has every other answer drawn
at random: goals, audiences, the strategy criteria, the staffing answers and budget,
the organisation, the current networks, the language and the document date. Every
field of the profile is filled, so each playbook is the full ten-page document a
consultant would hand over. The same seed gives the same files.

Enumerated values (markets, goals, departments...) are read from the profile schema
and platform ids from the knowledge files, so the generator stays valid when they change.
"""

from __future__ import annotations

import datetime
import json
import random
import tomllib
from pathlib import Path

import yaml

from playbook.knowledge import load_knowledge
from playbook.paths import search_path
from playbook.profile import Profile
from playbook.schema import fields_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "profiles"

# Identities the samples do not cover, for more variety (sector words matter to the
# rules: health, finance, food... are crisis-prone).
EXTRA_IDENTITIES = [
    {"sector": "software, B2B SaaS for logistics", "market": "b2b", "employees": 140,
     "description": "Route-planning software for regional carriers, sold by subscription.",
     "story": "Spun out of a university research lab in 2016.", "region": "Nantes",
     "values": ["reliability", "openness", "customer success"]},
    {"sector": "clinique privée, santé", "market": "b2c", "employees": 350,
     "description": "Clinique chirurgicale de 120 lits, ambulatoire et maternité.",
     "story": "Fondée par trois chirurgiens en 1971, reprise par un groupe mutualiste en 2009.",
     "region": "Occitanie", "values": ["soin", "écoute", "sécurité"]},
    {"sector": "hôtellerie, hôtel boutique", "market": "b2c", "employees": 28,
     "description": "Hôtel quatre étoiles de 40 chambres face au lac d'Annecy, avec restaurant.",
     "story": "Ancienne maison de maître transformée en hôtel par la famille Girod en 1998.",
     "region": "Haute-Savoie", "values": ["accueil", "terroir", "calme"]},
    {"sector": "law firm, business law", "market": "b2b", "employees": 45,
     "description": "Business law firm advising mid-sized companies on contracts and disputes.",
     "story": "Two partners left a large firm in 2005 to serve family businesses.",
     "region": "Paris", "values": ["rigour", "discretion", "availability"]},
    {"sector": "domaine viticole, vins", "market": "both", "employees": 15,
     "description": "Domaine familial de 30 hectares en Bourgogne, vente aux cavistes et en direct.",
     "story": "Cinq générations de vignerons ; conversion en agriculture biologique en 2012.",
     "region": "Bourgogne", "values": ["terroir", "bio", "famille"]},
    {"sector": "construction, timber-frame houses", "market": "both", "employees": 60,
     "description": "Designs and builds low-energy timber-frame houses and school extensions.",
     "story": "A carpenter's workshop that grew with the passive-house movement.",
     "region": "Brittany", "values": ["craft", "low carbon", "safety"]},
    {"sector": "enseignement supérieur, école de commerce", "market": "public", "employees": 220,
     "description": "École de commerce post-bac, 2 500 étudiants, campus à Reims et Troyes.",
     "story": "Créée par la chambre de commerce en 1928.", "region": "Grand Est",
     "values": ["ouverture", "exigence", "entrepreneuriat"]},
    {"sector": "insurance broker", "market": "b2c", "employees": 35,
     "description": "Independent insurance broker for households and craftsmen.",
     "story": "Started in 1989 above a bank branch in Lille.", "region": "Hauts-de-France",
     "values": ["advice", "trust", "proximity"]},
]

FIRST = ["Atelier", "Maison", "Groupe", "Studio", "Les Ateliers", "Cabinet", "Domaine", "Nord",
         "Sud", "Alpha", "Blue", "Green", "Ouest", "Euro", "Petit", "Grand", "Nova", "Terra"]
SECOND = ["Muller", "Lefèvre", "Durand", "Rossi", "Schmitt", "Bernard", "Weber", "Garcia",
          "Martin", "Moreau", "Keller", "Fontaine", "Lambert", "Meyer", "Roux", "Vidal",
          "Blanc", "Faure", "Bonnet", "Girard", "Nomura", "Okafor", "Novak", "Jensen"]
THIRD = ["", "& Fils", "& Associés", "Solutions", "Industries", "Services", "Distribution",
         "Conseil", "Partners", "Lab", "Group", "SAS", "Studio", "Création"]
CONSULTANTS = ["Claire Martin", "Thomas Leroy", "Sophie Durand", "Hugo Bernard",
               "Amina Diallo", "Julien Petit", "Emma Laurent", "Nicolas Roux"]
REGIONS = ["Alsace", "Bretagne", "Normandie", "Île-de-France", "Provence", "Lorraine",
           "Auvergne", "Occitanie", "Wallonie", "Suisse romande", "Québec", "Europe"]
BUDGETS = [0, 0, 150, 300, 500, 800, 1200, 2000, 3500, 8000]


def _enums() -> dict[str, tuple[str, ...]]:
    """Allowed values of every enumerated field, by dotted path, from the schema."""
    out: dict[str, tuple[str, ...]] = {}

    def walk(cls, prefix):
        for info in fields_of(cls):
            path = prefix + info.name
            if info.kind == "enum":
                out[path] = tuple(info.values)
            elif info.kind == "list" and info.item is not None and info.item.kind == "enum":
                out[path] = tuple(info.item.values)
            elif info.kind == "object":
                walk(info.cls, path + ".")

    walk(Profile, "")
    return out


def _read(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    if path.suffix == ".toml":
        return tomllib.loads(text)
    return yaml.safe_load(text)


def identities() -> list[dict]:
    """Company identities: those of the sample profiles, then the extra ones."""
    found = []
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix not in (".yaml", ".yml", ".json", ".toml"):
            continue
        company = dict(_read(path).get("company") or {})
        company.pop("name", None)
        company.setdefault("description", f"A company in {company.get('sector', 'services')}.")
        company.setdefault("story", "Founded by its current managers.")
        company.setdefault("values", ["quality", "service"])
        company.setdefault("region", "France")
        company.setdefault("market", "b2c")
        company.setdefault("employees", 10)
        found.append(company)
    return found + EXTRA_IDENTITIES


def _subset(rng: random.Random, values, low: int, high: int) -> list:
    return rng.sample(list(values), rng.randint(low, min(high, len(values))))


def _name(rng: random.Random, index: int) -> str:
    third = rng.choice(THIRD)
    # the index keeps names (and so output files) unique across any number of profiles
    return " ".join(p for p in (rng.choice(FIRST), rng.choice(SECOND), third, f"{index:04d}") if p)


def make_profile(rng: random.Random, index: int, identity: dict, enums: dict,
                 platforms: list[str]) -> dict:
    """One complete profile: every field answered."""
    company = {"name": _name(rng, index), **identity}
    # sizes vary around the identity's own, from solo to large
    company["employees"] = max(1, int(company["employees"] * rng.choice([0.2, 0.5, 1, 1, 2, 5])))
    if rng.random() < 0.3:
        company["market"] = rng.choice(enums["company.market"])
    if rng.random() < 0.3:
        company["region"] = rng.choice(REGIONS)
    company["website"] = f"https://www.example-{index:04d}.test"
    networks = [{"platform": platform, "followers": rng.choice([0, 40, 250, 800, 2300, 12000,
                                                                 95000]),
                 "active": rng.random() < 0.7, "handle": f"@{company['name'].split()[0].lower()}"}
                for platform in _subset(rng, platforms, 0, 4)]
    day = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randint(0, 360))
    return {
        "version": 1,
        "language": rng.choice(enums["language"]),
        "company": company,
        "goals": _subset(rng, enums["goals"], 1, 4),
        "audiences": _subset(rng, enums["audiences"], 1, 4),
        "strategy": {key: rng.random() < 0.35 for key in
                     ("brand_image_key", "digital_transformation", "web_core_business", "seo_only")},
        "staffing": {
            "interested_person": rng.random() < 0.6, "time_available": rng.random() < 0.5,
            "trained": rng.random() < 0.3, "training_budget": rng.random() < 0.5,
            "external_budget": rng.random() < 0.5, "monthly_budget_eur": rng.choice(BUDGETS),
        },
        "organization": {
            "single_contact": rng.random() < 0.7,
            "contact_understands_social": rng.random() < 0.5,
            "management_support": rng.random() < 0.75,
            "activity_complexity": rng.choice(enums["organization.activity_complexity"]),
            "time_for_project": rng.random() < 0.6,
            "departments": _subset(rng, enums["organization.departments"], 1, 6),
            "communications_director": rng.random() < 0.3,
            "sensitive_topics": rng.random() < 0.4,
        },
        "presence": {
            "blog": rng.random() < 0.3, "networks": networks,
            "wants_data_ownership": rng.random() < 0.5, "content_resources": rng.random() < 0.6,
            "media_budget": rng.random() < 0.3,
        },
        "document": {"date": day.isoformat(), "version": rng.choice(["1.0", "1.1", "2.0"]),
                     "prepared_by": rng.choice(CONSULTANTS)},
    }


def generate(count: int, folder: Path, seed: int = 2026) -> list[Path]:
    """Write `count` profiles into `folder` (created); the same seed, the same files."""
    rng = random.Random(seed)
    enums = _enums()
    platforms = sorted(load_knowledge(search_path()).accepted_ids)
    bases = identities()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        data = make_profile(rng, index, bases[index % len(bases)], enums, platforms)
        if index % 4 == 3:
            path = folder / f"profile-{index:04d}.json"
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            path = folder / f"profile-{index:04d}.yaml"
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
        paths.append(path)
    return paths
