"""The organisation model: what the profile says about the organisation itself.

Derived once from the profile, before any decision, and read by every rule that
names a team, a role, a budget, a purchase, a meeting cadence, a weekend rota or a
sign-off: a bakery of twelve has no legal department to pre-approve statements, an
association has a board rather than a manager, a zero budget buys nothing. Pure
functions, no I/O; the words live in the knowledge files.
"""

from __future__ import annotations

from ..knowledge import Knowledge
from ..profile import Profile
from ..records import Record
from .sectors import SectorMatch, match_sector

KINDS = ("company", "public_body", "association", "professional_firm")
NOT_FOR_PROFIT = ("public_body", "association")  # users and members, no customers

# Departments an organisation of a kind and size is expected to have, so that only
# their absence is a gap worth naming; smaller structures route those questions to
# whoever decides (see `decider`). Keys: (kind, size band).
_EXPECTED_BASE = {
    "company": {"medium": ("communication", "marketing", "customer_service", "sales"),
                "large": ("communication", "marketing", "customer_service", "sales", "hr")},
    "professional_firm": {"medium": ("communication", "hr"),
                          "large": ("communication", "marketing", "hr", "legal")},
    "public_body": {"medium": ("communication", "customer_service"),
                    "large": ("communication", "customer_service", "hr", "legal")},
    "association": {},
}

# Years after which a story has archives worth showing.
YOUNG_YEARS = 10


def size_band(employees: int | None) -> str:
    """none (no staff), micro (<10), small (<50), medium (<250), large, or unknown."""
    if employees is None:
        return "unknown"
    if employees == 0:
        return "none"
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    if employees < 250:
        return "medium"
    return "large"


class ExistingAudience(Record):
    """An account the organisation already runs."""

    platform: str
    followers: int | None
    active: bool | None


class OrgModel(Record):
    """The organisation as the rules see it."""

    kind: str  # company | public_body | association | professional_firm
    kind_given: bool  # the profile says it (company.kind), rather than our guess
    size: str  # none | micro | small | medium | large | unknown
    headcount: int | None
    people: str  # employees | volunteers | owners (no staff) | unknown: who does the work
    departments: tuple[str, ...] | None  # None: the profile does not say
    budget: str  # zero | known | unknown (money for social media, per month)
    monthly_budget: float | None
    time: bool | None  # the person in charge can be given time
    project_time: bool | None  # time for meetings, validations, reviews
    content: bool | None  # people or material to produce content
    audiences: tuple[ExistingAudience, ...]  # accounts held today
    local: bool  # customers come to a place: a local listing serves them
    young: bool  # founded recently: no archives to show

    # -- who exists ------------------------------------------------------------
    def has(self, department: str) -> bool:
        return self.departments is not None and department in self.departments

    @property
    def tiny(self) -> bool:
        """A handful of people: a weekly meeting 'with the relays' makes no sense."""
        return self.size in ("none", "micro") or (self.headcount is not None
                                                   and self.headcount <= 5)

    @property
    def handful(self) -> bool:
        """Five people or fewer (founders, a small studio): they work side by side and
        have no staff to brief, only each other."""
        return self.headcount is not None and self.headcount <= 5

    @property
    def small(self) -> bool:
        return self.size in ("none", "micro", "small")

    @property
    def workers(self) -> str:
        """Who does the work, as the texts address them (`people`), where a company of
        five or fewer counts as run by its owners' own hands (read as the start-up)."""
        return "owners" if self.handful and not self.circle else self.people

    @property
    def volunteers(self) -> bool:
        return self.people == "volunteers"

    @property
    def circle(self) -> str:
        """Who is around the organisation, as the texts that name them read it:
        "volunteers" (members and volunteers, no staff to name), "association" (staff
        and volunteers), "public" (agents and service users) or "" (a company's staff
        and customers)."""
        if self.volunteers:
            return "volunteers"
        return {"association": "association", "public_body": "public"}.get(self.kind, "")

    @property
    def decider(self) -> str:
        """Who decides and signs off when no department does: the code of a text
        `org.decider.<code>` (the manager, the board, the executive)."""
        if self.kind == "association":
            return "board"
        if self.kind == "public_body":
            return "executive_public"
        if self.kind == "professional_firm":
            return "partners"
        return "manager" if self.small or self.size == "unknown" else "executive"

    def department_label(self, department: str) -> str:
        """The `labels.department` key that names a department here: a public body or
        an association receives and answers its users (« usagers »), it has no customers
        to serve."""
        if self.kind in NOT_FOR_PROFIT and department == "customer_service":
            return "customer_service_public"
        return department

    def goal_labels(self, goals: tuple[str, ...]) -> tuple[str, ...]:
        """The `labels.goal` keys that name goals here: for a public body or an
        association, customer service is answering its users, as its desk is."""
        return tuple("customer_service_public" if g == "customer_service"
                     and self.kind in NOT_FOR_PROFIT else g for g in goals)

    @property
    def expected_departments(self) -> tuple[str, ...]:
        band = self.size if self.size in ("medium", "large") else None
        return _EXPECTED_BASE.get(self.kind, {}).get(band, ()) if band else ()

    # -- money and time --------------------------------------------------------
    @property
    def zero_budget(self) -> bool:
        return self.budget == "zero"

    @property
    def largest_active_audience(self) -> ExistingAudience | None:
        active = [a for a in self.audiences if a.active is not False and a.followers]
        return max(active, key=lambda a: (a.followers, a.platform), default=None)


def guess_kind(profile: Profile, knowledge: Knowledge) -> str:
    """The kind a profile describes: as given, else from the sector it names
    (`company.sector_id`), else from the sector's words, the name and the market."""
    company = profile.company
    if company.kind:
        return company.kind
    sector = knowledge.sectors.get(company.sector_id or "")
    if sector is not None and sector.kind:
        return sector.kind  # a sector the profile names says what kind of body it is
    words = f" {company.sector or ''} {company.name} ".lower()
    for kind, keywords in knowledge.kind_keywords.items():
        if any(keyword in words for keyword in keywords):
            return kind
    if company.market == "public":
        return "public_body"
    return "company"


def describe(profile: Profile, knowledge: Knowledge, year: int,
             match: SectorMatch | None = None) -> OrgModel:
    """The organisation a profile describes; `match` is its sector when already found."""
    company = profile.company
    sector = (match or match_sector(company, knowledge)).sector
    staffing = profile.staffing
    organization = profile.organization
    presence = profile.presence
    kind = guess_kind(profile, knowledge)
    size = size_band(company.employees)
    if kind == "association" and size in ("none", "micro", "unknown"):
        people = "volunteers"  # a few staff at most; the work is done by members
    elif size == "none":
        people = "owners"  # no employees: the founders or partners do the work
    elif size == "unknown":
        people = "unknown"
    else:
        people = "employees"
    budget_eur = staffing.monthly_budget_eur if staffing else None
    no_money = (staffing is not None and budget_eur == 0 and staffing.external_budget is not True)
    if no_money:
        budget = "zero"
    elif budget_eur is not None:
        budget = "known"
    else:
        budget = "unknown"
    networks = (presence.networks if presence else None) or ()
    audiences = tuple(ExistingAudience(n.platform, n.followers, n.active) for n in networks)
    # customers come to a place: a shop, a workshop, a practice (a firm's clients are
    # local unless the profile says it sells to businesses only), unless its field has
    # none to visit (sectors.yaml `visited: false`: a ride-sharing platform)
    if sector is not None and not sector.visited:
        local = False
    elif kind == "company":
        local = company.market in ("b2c", "both") and size in ("none", "micro", "small",
                                                                "medium")
    elif kind == "professional_firm":
        local = company.market != "b2b" and size != "large"
    else:
        local = False
    young = company.founded is not None and year - company.founded < YOUNG_YEARS
    return OrgModel(
        kind=kind,
        kind_given=company.kind is not None,
        size=size,
        headcount=company.employees,
        people=people,
        departments=organization.departments if organization else None,
        budget=budget,
        monthly_budget=budget_eur,
        time=staffing.time_available if staffing else None,
        project_time=organization.time_for_project if organization else None,
        content=presence.content_resources if presence else None,
        audiences=audiences,
        local=local,
        young=young,
    )
