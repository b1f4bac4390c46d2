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
    needed = list(CORE_DEPARTMENTS)
    if {"recruitment", "employer_brand"} & set(f.goals):
        needed.append("hr")
    if f.regulated or f.crisis_prone:
        needed.append("legal")
    if f.crisis_prone:
        needed.append("quality")
    return tuple(needed)


def decide_relays(f: Facts, model: str) -> RelayPlan:
    relays = []
    joker_department = _joker_department(f)
    for department in f.departments:
        response = RESPONSE[department]
        if f.crisis_prone and department in ("quality", "legal", "communication"):
            response = FASTER[response]  # in a sensitive sector these answers cannot wait
        joker = department == joker_department
        role = ("relays.joker.communications_director" if joker
                else f"relays.department.{department}.role")
        relays.append(Relay(
            role=msg(role, "002"),
            department=department,
            answers=msg(f"relays.department.{department}.answers", "003"),
            response_time=msg(f"relays.response.{response}", "002"),
            joker=joker,
        ))
    missing = [d for d in needed_departments(f) if f.departments and d not in f.departments]
    gaps = (msg("relays.gap", "003", departments=missing, count=len(missing)),) if missing else ()
    joker, joker_reason = _joker(f)
    return RelayPlan(
        relays=tuple(relays),
        joker=joker,
        joker_reason=joker_reason,
        single_contact=_single_contact(f, model),
        routine=tuple(_routine(f, model)),
        gaps=gaps,
    )


def _joker_department(f: Facts) -> str | None:
    if f.organization.communications_director is True and "communication" in f.departments:
        return "communication"
    return None


def _joker(f: Facts) -> tuple[Msg, Msg]:
    if f.organization.communications_director is True:
        return msg("relays.joker.communications_director", "002"), msg("relays.joker.why", "002")
    if f.small:
        return msg("relays.joker.manager", "002"), msg("relays.joker.why_small", "002")
    return msg("relays.joker.executive", "002"), msg("relays.joker.why", "002")


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
    out = [msg(f"relays.routine.weekly_{'provider' if model in ('external', 'pair') else 'team'}",
               "002")]
    out.append(msg("relays.routine.feed", "002"))
    out.append(msg("relays.routine.validation_regulated" if f.regulated
                   else "relays.routine.validation", "003"))
    out.append(msg("relays.routine.monthly_review", "003"))
    if model in ("external", "pair"):
        out.append(msg("relays.routine.onboarding", "002"))
    if f.size in ("medium", "large"):
        out.append(msg("relays.routine.large_structure", "002"))
    return out
