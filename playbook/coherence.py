"""Coherence rules: machine checks that a playbook fits its client and agrees with itself.

Each rule reads the profile, the decisions as `explain --json` prints them (the report)
and the rendered Markdown, in either language, and returns the violations it finds.
The tests run every rule on every sample and on generated profiles; template editors
find the rules and the phrases they watch for in docs/coherence.md. Pure functions, no
I/O: `check(profile, report, markdown, knowledge)` gives the list of violations.

The phrases below are how a text names a department as a doer, a purchase, or a
time-based rhythm, per language. A template editor who writes such a sentence in a
new way adds its phrase here, so the rule keeps watching it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .knowledge import Knowledge
from .profile import Profile
from .rules.organization import OrgModel, describe

# A department named as the one who acts or signs off.
DEPARTMENT_DOERS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "legal": {"fr": ("par le juridique", "avec la direction et le juridique", "relais juridique",
                     "juridique et la qualité"),
              "en": ("have legal", "management and legal", "legal relay",
                     "legal and quality pre-approve")},
    "quality": {"fr": ("relais qualité", "juridique et la qualité"),
                "en": ("quality relay", "legal and quality pre-approve")},
    "hr": {"fr": ("les ressources humaines, avec",), "en": ("human resources, with",)},
}

# Advice to spend money: never given to an organisation with no budget at all.
PURCHASES: Mapping[str, tuple[str, ...]] = {
    "fr": ("deux devis", "un devis", "promotion payante", "réservez sa formation",
           "conseil extérieur en gestion de crise", "professionnel aguerri", "séance photo",
           "fixez un budget mensuel", "binôme avec un expert externe", "chez le prestataire"),
    "en": ("two quotes", "for a quote", "paid promotion", "book their training",
           "outside crisis adviser", "seasoned professional", "photo session",
           "set a monthly one", "set a monthly budget", "pair with an external expert",
           "at the provider"),
}

# A job to describe: only where there are employees.
EMPLOYMENT: Mapping[str, tuple[str, ...]] = {"fr": ("fiche de poste",), "en": ("job description",)}

# A rhythm justified by the time available: only true when time is set aside.
TIME_CLAIMS: Mapping[str, tuple[str, ...]] = {
    "fr": ("le temps disponible permet de tenir", "le temps réservé au rôle permet de tenir"),
    "en": ("the available time can sustain", "the time set aside for the role can sustain"),
}

# The row of the step-3 table that says an audience is reached by no network.
NO_NETWORK = {"fr": "aucun des réseaux retenus", "en": "none of the chosen networks"}
PROVISIONAL = {"fr": "provisoire", "en": "provisional"}
NETWORKS_ROW = {"fr": "| Réseaux |", "en": "| Networks |"}
STEP = {"fr": "### Étape {n}.", "en": "### Step {n}."}
PER_WEEK = {"fr": re.compile(r"(une|\d+) fois par semaine"),
            "en": re.compile(r"(once|\d+) times? a week")}


@dataclass(frozen=True)
class Violation:
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


@dataclass(frozen=True)
class Context:
    """What every rule reads, prepared once."""

    profile: Profile
    org: OrgModel
    report: Mapping[str, Any]
    text: str  # the Markdown, spaces normalised, lower case
    raw: str  # the Markdown, spaces normalised
    language: str
    knowledge: Knowledge

    def section(self, start: str, end_prefix: str = "### ") -> str:
        """The raw text from the line `start` to the next heading of that level."""
        index = self.raw.find(start)
        if index < 0:
            return ""
        rest = self.raw[index + len(start):]
        stop = re.search(rf"^{re.escape(end_prefix)}|^## ", rest, re.M)
        return rest[:stop.start()] if stop else rest

    def step(self, number: int) -> str:
        return self.section(STEP[self.language].format(n=number))

    def label(self, namespace: str, key: str) -> str:
        return self.knowledge.texts(self.language).label(namespace, key)


def _normalise(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")


# -- the rules ------------------------------------------------------------------------

def absent_department_as_doer(c: Context) -> list[Violation]:
    """No department the organisation does not have is named as the one who acts."""
    if c.org.departments is None:
        return []  # not known: the playbook asks which departments exist
    out = []
    for relay in c.report.get("relays", ()):
        if relay["department"] not in c.org.departments:
            out.append(Violation("absent_department", f"relay for {relay['department']}"))
    for department, phrases in DEPARTMENT_DOERS.items():
        if c.org.has(department):
            continue
        for phrase in phrases[c.language]:
            if phrase in c.text:
                out.append(Violation("absent_department",
                                     f"'{phrase}' names {department}, which the profile lacks"))
    return out


def no_purchase_at_zero_budget(c: Context) -> list[Violation]:
    """An organisation with no money is never told to buy, hire or ask for quotes; one
    without employees is never told to write a job description."""
    out = []
    if c.org.zero_budget:
        out += [Violation("purchase_at_zero_budget", f"'{phrase}'")
                for phrase in PURCHASES[c.language] if phrase in c.text]
    if c.org.people in ("volunteers", "owners"):  # nobody to write a job description for
        out += [Violation("purchase_at_zero_budget", f"'{phrase}' without employees")
                for phrase in EMPLOYMENT[c.language] if phrase in c.text]
    return out


def every_goal_and_audience_covered(c: Context) -> list[Violation]:
    """Each goal and audience is served by a recommended network, or explained."""
    platforms = c.report.get("platforms", ())
    explained = " ".join(c.report.get("platform_uncovered", ())).lower()
    out = []
    for kind, values in (("goal", c.profile.goals or ()), ("audience", c.profile.audiences or ())):
        key = "goals" if kind == "goal" else "audiences"
        for value in values:
            if any(value in p.get(key, ()) for p in platforms):
                continue
            if c.label(f"labels.{kind}", value).lower() in explained:
                continue
            out.append(Violation("goal_coverage", f"{kind} {value} is served by no recommended "
                                                  "network and not explained"))
    step3 = c.step(3).lower()
    if NO_NETWORK[c.language] in step3:
        out.append(Violation("goal_coverage", "the step-3 table reaches an audience with no "
                                              "network and no explanation"))
    return out


def frequency_ceiling(profile: Profile, org: OrgModel, model: str) -> int:
    """The most posts a week on the main network that the stated means can sustain.

    Deliberately written apart from rules.plan.cadence: a table a consultant can read.
    """
    staffing = profile.staffing
    time = staffing.time_available if staffing else None
    if model == "seo_addon":
        ceiling = 1
    elif model in ("external", "pair"):
        bought = int(org.monthly_budget // 300) if org.monthly_budget else 2
        ceiling = max(1, bought) + (1 if model == "pair" and time is True else 0)
    elif time is False:
        ceiling = 1
    elif time is None or org.volunteers or org.tiny:
        ceiling = 2
    else:
        ceiling = 5
    if org.content is False:
        ceiling = min(ceiling, 2)
    return ceiling


def frequency_within_time(c: Context) -> list[Violation]:
    """No publishing frequency above what the stated time, budget and material allow."""
    out = []
    step6 = _normalise(c.step(6)).lower()
    found = [1 if n in ("une", "once") else int(n) for n in PER_WEEK[c.language].findall(step6)]
    model = c.report["staffing"]["model"]
    ceiling = frequency_ceiling(c.profile, c.org, model)
    if found and max(found) > ceiling:
        out.append(Violation("frequency_above_time",
                             f"{max(found)} posts a week, the means allow {ceiling}"))
    staffing = c.profile.staffing
    if not (staffing and staffing.time_available is True):
        for phrase in TIME_CLAIMS[c.language]:
            if phrase in step6:
                out.append(Violation("frequency_above_time",
                                     f"'{phrase}' although no time is set aside"))
    return out


def unknown_is_not_a_no(c: Context) -> list[Violation]:
    """Missing goals, audiences or market give a provisional, full recommendation: never
    fewer networks than the means allow, never a 'no' blog."""
    p = c.profile
    presence = p.presence
    out = []
    missing_choice = p.goals is None or p.audiences is None or p.company.market is None
    if missing_choice:
        run = [x for x in c.report.get("platforms", ())
               if not (c.knowledge.platforms[x["id"]].local and c.org.local)]
        if len(run) < c.report.get("platform_capacity", 0):
            out.append(Violation("unknown_as_no",
                                 f"{len(run)} networks for means that allow "
                                 f"{c.report['platform_capacity']}, with answers missing"))
        part2 = c.section("## 2.", "## ").lower()
        if PROVISIONAL[c.language] not in part2:
            out.append(Violation("unknown_as_no", "the network choice is not marked provisional"))
    deciding = (p.goals, presence.wants_data_ownership if presence else None,
                presence.content_resources if presence else None)
    if any(answer is None for answer in deciding) and c.report["blog"]["decision"] == "no":
        out.append(Violation("unknown_as_no", "blog 'no' while the deciding answers are missing"))
    return out


def callouts_name_recommended_networks(c: Context) -> list[Violation]:
    """The summary and the plan's network steps name only recommended networks."""
    picked = {p["name"] for p in c.report.get("platforms", ())}
    names = {c.label("platforms", pid) for pid, platform in c.knowledge.platforms.items()}
    out = []
    row = next((line for line in c.raw.splitlines()
                if line.startswith(NETWORKS_ROW[c.language])), "")
    # the closing remark "(provisional: ...)" is not a network ("X (formerly Twitter)" is)
    cell = re.sub(r"\s*\((provisional|choix provisoire)\b[^()]*\)\s*$", "",
                  row.split("|")[2]) if row else ""
    listed = {name.strip() for name in cell.split(",")} if row else set()
    if row and listed != picked:
        out.append(Violation("callout_network", f"summary lists {sorted(listed)}, "
                                                f"recommended {sorted(picked)}"))
    for number in (3, 5, 6, 9):
        text = c.step(number)
        if number == 3:  # the step-3 table; the actions may name skipped networks to reserve
            text = "\n".join(line for line in text.splitlines() if line.startswith("|"))
            for sentence in c.report.get("platform_uncovered", ()):
                # an explanation may name the network the means leave out
                text = text.replace(_normalise(sentence).replace("|", "\\|"), "")
                text = text.replace(_normalise(sentence), "")
        for name in sorted(names - picked):
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                out.append(Violation("callout_network",
                                     f"step {number} names {name}, which is not recommended"))
    return out


def active_audience_kept(c: Context) -> list[Violation]:
    """The client's largest active audience is never paused without a stated reason."""
    largest = c.org.largest_active_audience
    platform = c.knowledge.platforms.get(largest.platform) if largest else None
    if largest is None or platform is None or platform.retired:
        return []
    name = c.label("platforms", largest.platform)
    pause = c.knowledge.texts(c.language).get("plan.audit.verdict.pause")
    audit = next((s for s in c.report.get("plan", ()) if s["key"] == "audit"), None)
    rows = audit["table"] if audit else ()
    if any(row[0] == name and row[3] == pause for row in rows):
        return [Violation("active_audience_paused",
                          f"{name} ({largest.followers} followers, active) is paused")]
    return []


RULES: tuple[Callable[[Context], list[Violation]], ...] = (
    absent_department_as_doer,
    no_purchase_at_zero_budget,
    every_goal_and_audience_covered,
    frequency_within_time,
    unknown_is_not_a_no,
    callouts_name_recommended_networks,
    active_audience_kept,
)


def _without_client_words(raw: str, profile: Profile) -> str:
    """The text without the client's own words echoed back (description, story...): a
    phrase the client wrote ("relais qualité") is not advice the playbook gives."""
    company = profile.company
    for words in (company.description, company.story, company.sector, company.name,
                  *(company.values or ())):
        if words:
            for line in _normalise(words).splitlines():
                if line.strip():
                    raw = raw.replace(line.strip(), " ")
    return raw


def check(profile: Profile, report: Mapping[str, Any], markdown: str,
          knowledge: Knowledge) -> list[Violation]:
    """Every violation of every rule, for one rendered playbook."""
    raw = _normalise(markdown)
    context = Context(profile, describe(profile, knowledge, int(report["date"][:4])), report,
                      _without_client_words(raw, profile).lower(), raw, report["language"],
                      knowledge)
    return [violation for rule in RULES for violation in rule(context)]
