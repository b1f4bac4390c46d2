"""The company profile: the typed model of `shared/PROFILE.md` (format version 1).

Every field but `company.name` is optional and `None` means *unknown*: a missing answer
is never read as false. Lists are tuples; an absent list is `None` (unknown), an empty
one `()` (answered: none). `load_profile()` reads a file and validates it, raising a
`ProfileError` that lists every problem with its file, field path and line.
"""


import datetime
from pathlib import Path
from typing import Any, Literal

from .errors import Problem, ProfileError
from .records import Record
from .schema import Validator, json_schema, required, spec
from .sources import read_data

Language = Literal["en", "fr"]
Market = Literal["b2c", "b2b", "both", "public"]
Goal = Literal["awareness", "sales", "recruitment", "customer_service", "community", "seo",
               "employer_brand", "investor_relations"]
Audience = Literal["customers", "prospects", "candidates", "partners", "shareholders",
                   "associations", "general_public", "press"]
Department = Literal["communication", "marketing", "sales", "customer_service", "hr", "legal",
                     "production", "quality", "it"]
Complexity = Literal["low", "medium", "high"]
Kind = Literal["company", "public_body", "association", "professional_firm"]

FORMAT_VERSION = 1


class Company(Record):
    """The profile's company section."""

    name: str = required("The company's name, as it should appear on the cover.", max_len=120)
    sector: str | None = spec("Free text; some sectors (food, health, finance...) are known "
                              "to be crisis-prone.", max_len=80)
    description: str | None = spec("What the company does, in a sentence or two.",
                                   max_len=2000, multiline=True)
    employees: int | None = spec("Number of employees.", minimum=0, maximum=10_000_000)
    market: Market | None = spec("Who the company sells to.")
    region: str | None = spec("Where the company works.", max_len=80)
    values: tuple[str, ...] | None = spec("Values the company stands for.", max_len=60,
                                          max_items=12)
    story: str | None = spec("The company's story, in a few lines.", max_len=4000,
                             multiline=True)
    website: str | None = spec("The company's website.", max_len=200)
    kind: Kind | None = spec("What kind of organisation it is (company, public_body, "
                             "association, professional_firm); guessed from the sector and "
                             "market when absent.")
    founded: int | None = spec("The year the organisation was founded.", minimum=1000,
                               maximum=2100)
    sector_id: str | None = spec("The sector of the taxonomy (templates/knowledge/sectors.yaml),"
                                 " e.g. industry, food, legal; guessed from the sector, "
                                 "description and name when absent.", choices="sectors",
                                 max_len=40)
    target_regions: tuple[str, ...] | None = spec(
        "Countries or regions the company addresses (regions.yaml ids: france, europe, "
        "china, japan...).", choices="regions", max_len=40, max_items=20)


class Strategy(Record):
    """The profile's strategy section."""

    brand_image_key: bool | None = spec("Brand image is a decisive competitive advantage.")
    digital_transformation: bool | None = spec("The firm runs a digital transformation policy.")
    web_core_business: bool | None = spec("The business needs a strong web presence, or "
                                          "communication is its trade.")
    seo_only: bool | None = spec("Social media is seen only as an add-on to search ranking.")


class Staffing(Record):
    """The profile's staffing section."""

    interested_person: bool | None = spec("Someone on the team wants the role.")
    time_available: bool | None = spec("That person can be given time for it.")
    trained: bool | None = spec("That person is trained in community management.")
    training_budget: bool | None = spec("There is budget to train them.")
    external_budget: bool | None = spec("There is budget for an agency or a freelance.")
    monthly_budget_eur: float | None = spec("Monthly budget for social media, in euros.",
                                            minimum=0, maximum=100_000_000)


class Organization(Record):
    """The profile's organization section."""

    single_contact: bool | None = spec("One internal contact for the CM or provider.")
    contact_understands_social: bool | None = spec("That contact understands social media.")
    management_support: bool | None = spec("Management will listen to the project lead.")
    activity_complexity: Complexity | None = spec("How hard the activity is to explain "
                                                  "(high: technical or regulated).")
    time_for_project: bool | None = spec("Time for meetings, validations and reviews.")
    departments: tuple[Department, ...] | None = spec("Departments the project touches.")
    communications_director: bool | None = spec("The company has a communications director.")
    sensitive_topics: bool | None = spec("Exposed to crises (food safety, health, money...).")


class Network(Record):
    """One account the company runs today."""

    platform: str = required("Platform id (facebook, instagram, linkedin, x...).",
                             choices="platforms", max_len=40)
    followers: int | None = spec("Audience size today.", minimum=0, maximum=10_000_000_000)
    active: bool | None = spec("Whether the account is still run.")
    handle: str | None = spec("The account's name or address.", max_len=200)


class Presence(Record):
    """The profile's presence section: blog and accounts."""

    blog: bool | None = spec("Runs an owned blog today.")
    networks: tuple[Network, ...] | None = spec("Current accounts.", max_items=40)
    wants_data_ownership: bool | None = spec("Wants to own its audience data and conversations.")
    content_resources: bool | None = spec("People or material to produce content.")
    media_budget: bool | None = spec("Budget to promote a new owned medium.")


class Document(Record):
    """Optional: how the deliverable itself is dated and versioned."""

    date: datetime.date | None = spec("The document date (YYYY-MM-DD); fixes the output "
                                      "so a re-render gives the same bytes.")
    version: str | None = spec("The document version shown on the cover.", max_len=20)
    prepared_by: str | None = spec("The consultant's name.", max_len=120)


class Profile(Record):
    """A whole client profile, validated."""

    company: Company = required("The company (only company.name is required).")
    version: int | None = spec("Profile format version (1).", minimum=1, maximum=FORMAT_VERSION)
    language: Language | None = spec("The playbook's language (default: en).")
    goals: tuple[Goal, ...] | None = spec("What social media should achieve.")
    audiences: tuple[Audience, ...] | None = spec("Who the company wants to reach.")
    strategy: Strategy | None = spec("The criteria that make community management strategic.")
    staffing: Staffing | None = spec("Internal staff and budget.")
    organization: Organization | None = spec("How the company is organised.")
    presence: Presence | None = spec("The company's current presence.")
    document: Document | None = spec("Date, version and author of the deliverable.")


class LoadedProfile(Record):
    """A validated profile with where it came from and what was fixed on the way."""

    profile: Profile
    source: str
    warnings: tuple[Problem, ...] = ()


def validate_data(data: Any, source: str, platform_ids, platform_aliases: dict[str, str],
                  lines=None, choices: dict | None = None) -> LoadedProfile:
    """Validate plain data as a profile; raise ProfileError listing every problem."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise ProfileError.single(source, f"expected a mapping of fields at the top level "
                                  f"(company:, goals:, ...), found {kind}")
    # `choices` (Knowledge.profile_choices) adds the sector and region ids; a caller that
    # does not give them leaves those fields unchecked here, and an unknown id is then
    # treated as absent by the rules.
    validator = Validator(source, lines, choices={**(choices or {}), "platforms": platform_ids},
                          aliases={"platforms": platform_aliases})
    profile = validator.build(Profile, data)
    if validator.problems:
        raise ProfileError(validator.problems)
    assert profile is not None
    return LoadedProfile(profile, source, tuple(validator.warnings))


def load_profile(path: str | Path, catalogue) -> LoadedProfile:
    """Read and validate a profile file against the platform catalogue."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):  # a client's questionnaire (playbook questionnaire)
        from .questionnaire import load_questionnaire

        return load_questionnaire(path, catalogue)
    data, lines = read_data(path, ProfileError)
    return validate_data(data, str(path), catalogue.accepted_ids, catalogue.aliases, lines,
                         choices=getattr(catalogue, "profile_choices", None))


def profile_json_schema(catalogue=None) -> dict:
    choices = {name: sorted(values) for name, values in catalogue.profile_choices.items()} \
        if catalogue else None
    schema = json_schema(Profile, "Playbook company profile (format version 1)", choices)
    return schema
