"""Internal relays: who answers the community manager, the "joker", the single contact.

DOMAIN.md section 3. Name, before launch, people who can answer community questions
quickly and well (002) across the departments a social presence touches:
communication, marketing, customer service, sales (003), plus HR when recruiting and
legal when the activity is technical or regulated. Keep a senior "joker" with a
transverse view, such as the communications director (002). One single contact gives
the CM or provider clear, never contradicted instructions (003). The organisation must
feed its CM with information (002); an outside CM's first job is to build that trust
and find these relays (002).
"""

from __future__ import annotations

from .facts import Facts
from .model import Msg, Relay, RelayPlan, msg
from .organization import NOT_FOR_PROFIT

CORE_DEPARTMENTS = ("communication", "marketing", "customer_service", "sales")  # 003

# How fast each department should answer the CM, in the scale of messages
# `relays.response.*`: front-line questions are answered the same day.
RESPONSE = {
    "customer_service": "four_hours",
    "sales": "same_day",
    "communication": "same_day",
    "marketing": "one_day",
    "hr": "one_day",
    "production": "one_day",
    "quality": "one_day",
    "it": "one_day",
    "legal": "two_days",
}
FASTER = {"two_days": "one_day", "one_day": "same_day", "same_day": "four_hours",
          "four_hours": "four_hours"}


def needed_departments(f: Facts) -> tuple[str, ...]:
    """The subjects a social presence raises questions about, for this profile."""
    needed = list(CORE_DEPARTMENTS)
    if f.org.kind in NOT_FOR_PROFIT:
        # nothing is sold: questions are about services and the life of the organisation
        needed = [d for d in needed if d not in ("marketing", "sales")]
    if {"recruitment", "employer_brand"} & set(f.goals):
        needed.append("hr")
    if f.regulated or f.crisis_prone:
        needed.append("legal")
    if f.crisis_prone:
        needed.append("quality")
    return tuple(needed)


def _answers_code(f: Facts, department: str) -> str:
    """What a relay answers about, in the words of this kind of organisation."""
    if f.sector and department in f.sector.relay_departments:
        return f"sectors.{f.sector.id}.relay.{department}"  # the field's own vocabulary
    base = f"relays.department.{department}.answers"
    if f.org.kind == "public_body" and department in ("customer_service", "sales"):
        return base + "_public"
    if f.company.market == "b2b" and department in ("sales", "production"):
        return base + "_b2b"
    return base


def decide_relays(f: Facts, model: str) -> RelayPlan:
    relays = []
    joker_department = _joker_department(f)
    for department in f.departments:
        response = RESPONSE[department]
        if f.crisis_prone and department in ("quality", "legal", "communication"):
            response = FASTER[response]  # in a sensitive sector these answers cannot wait
        if f.org.volunteers:
            response = "one_day"  # volunteers answer in their spare time
        joker = department == joker_department
        role = ("relays.joker.communications_director" if joker
                else f"relays.department.{department}.role")
        if department == "legal" and f.org.kind == "professional_firm" and not joker:
            role += "_firm"  # in a practice of lawyers or advisers, a partner answers for the rules
        elif department == "customer_service" and f.org.kind in NOT_FOR_PROFIT and not joker:
            role += "_public"  # the service users' desk, not a customer service
        if f.org.small and not joker and not role.endswith("_firm"):
            # a structure of under 50 has people covering a function, not department
            # heads: a bakery of twelve has no sales manager
            role += "_small"
        relays.append(Relay(
            role=msg(role, "002"),
            department=department,
            answers=msg(_answers_code(f, department), "003"),
            response_time=msg(f"relays.response.{response}", "002"),
            joker=joker,
        ))
    org = f.org
    needed = needed_departments(f)
    # A gap is a department this kind and size of organisation is expected to have;
    # the other subjects go to whoever decides, which the playbook says instead.
    expected_here = set(org.expected_departments)
    if f.regulated and org.size in ("medium", "large"):
        expected_here.add("legal")  # a regulated organisation of that size has a lawyer
    expected = [d for d in needed if d in expected_here]
    listed = org.departments is not None
    missing = [d for d in expected if listed and d not in f.departments]
    named = org.department_label  # each department in this organisation's words
    gaps = (msg("relays.gap", "003", departments=[named(d) for d in missing],
                count=len(missing)),) if missing else ()
    routed_departments = [d for d in needed if d not in expected and not org.has(d)]
    routed = ()
    if listed and routed_departments:
        routed = (msg("relays.routed", "003", departments=[named(d) for d in routed_departments],
                      decider=msg(f"org.decider.{org.decider}")),)
    none_listed = None
    if not listed:
        none_listed = (msg("relays.none_listed.expected", "003",
                           departments=[named(d) for d in org.expected_departments],
                           decider=msg(f"org.decider.{org.decider}"))
                       if org.expected_departments else
                       # a club or a town hall answers members or residents, not customers
                       msg("relays.none_listed.small" + {"volunteers": "_members",
                                                         "association": "_members",
                                                         "public": "_public"}.get(org.circle, ""),
                           "003",
                           decider=msg(f"org.decider.{org.decider}")))
    joker, joker_reason = _joker(f)
    return RelayPlan(
        relays=tuple(relays),
        joker=joker,
        joker_reason=joker_reason,
        single_contact=_single_contact(f, model),
        routine=tuple(_routine(f, model)),
        gaps=gaps,
        routed=routed,
        none_listed=none_listed,
    )


def _joker_department(f: Facts) -> str | None:
    if f.organization.communications_director is True and "communication" in f.departments:
        return "communication"
    return None


# jokers who are the very person or body that decides (organization.decider): a text
# naming both would put them side by side, as "the joker, with the manager"
DECIDER_JOKERS = frozenset({"president", "public_executive", "manager"})


def _joker_code(f: Facts) -> str:
    kind = f.org.kind
    if f.organization.communications_director is True:
        return "communications_director"
    if kind == "association":
        return "president"
    if kind == "public_body":
        return "public_executive"
    # unknown size: the simplest structure, until the profile says otherwise
    small = f.org.small or f.org.size == "unknown"
    if kind == "professional_firm" and small:
        return "partner"
    return "manager" if small else "executive"


def joker_is_decider(f: Facts) -> bool:
    return _joker_code(f) in DECIDER_JOKERS


def _joker(f: Facts) -> tuple[Msg, Msg]:
    code = _joker_code(f)
    why = {"president": "why_association", "partner": "why_partner",
           "manager": "why_small"}.get(code, "why")
    return msg(f"relays.joker.{code}", "002"), msg(f"relays.joker.{why}", "002")


def _single_contact(f: Facts, model: str) -> Msg:
    answer = f.organization.single_contact
    if answer is True:
        if f.organization.contact_understands_social is False:
            return msg("relays.single_contact.train", "003")
        return msg("relays.single_contact.keep", "003")
    if answer is False:
        return msg("relays.single_contact.name_one", "003")
    return msg("relays.single_contact.unknown", "003")


def _routine(f: Facts, model: str) -> list[Msg]:
    org = f.org
    decider = msg(f"org.decider.{org.decider}")
    if model in ("external", "pair"):
        out = [msg("relays.routine.weekly_provider", "002")]
    elif org.volunteers:
        out = [msg("relays.routine.weekly_volunteers", "002")]
    elif org.tiny or not f.departments:
        out = [msg("relays.routine.weekly_tiny", "002")]
    else:
        out = [msg("relays.routine.weekly_team", "002")]
    out.append(msg("relays.routine.feed", "002"))
    if f.regulated:
        out.append(msg("relays.routine.validation_regulated" if org.has("legal")
                       else "relays.routine.validation_regulated_outside", "003",
                       decider=decider))
    elif f.every_post_checked:
        # part 6's compliance line has every post checked: none goes out without it
        out.append(msg("relays.routine.validation_sector" if org.has("legal")
                       else "relays.routine.validation_sector_outside", "003",
                       decider=decider))
    else:
        # a public body signs off with an elected official, and checks every post for
        # neutrality before an election (as its compliance line in part 6 says)
        if org.kind == "public_body":
            out.append(msg("relays.routine.validation_public", "003"))
        elif org.size == "large" and org.kind not in NOT_FOR_PROFIT:
            # a group of hundreds has a communication head who owns the brand and
            # someone who checks what commits the whole group: one contact alone does not
            # sign off for it (read as the large retailer)
            approver = ("relays.approver.communications_director"
                        if f.organization.communications_director is True
                        else "relays.approver.communication" if org.has("communication")
                        else f"org.decider.{org.decider}")
            checker = ("relays.approver.legal" if org.has("legal")
                       else f"org.decider.{org.decider}")
            out.append(msg("relays.routine.validation_large", "003", approver=msg(approver),
                           checker=msg(checker)))
        else:
            out.append(msg("relays.routine.validation", "003"))
        if f.sector is not None and f.sector.checked_posts:
            # the field's rules bind some everyday posts (a snack brand's health claims):
            # they cannot go out unchecked (read as Verdi Snacks)
            checker = "relays.approver.legal" if org.has("legal") else f"org.decider.{org.decider}"
            out.append(msg("relays.routine.sector_checked", "003", checker=msg(checker),
                           posts=msg(f"sectors.{f.sector.id}.checked_posts")))
    out.append(msg("relays.routine.monthly_review", "003", decider=decider))
    if model in ("external", "pair"):
        out.append(msg("relays.routine.onboarding", "002"))
    if f.size in ("medium", "large"):
        out.append(msg("relays.routine.large_structure", "002"))
    return out
