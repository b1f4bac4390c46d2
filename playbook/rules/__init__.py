"""The decision engine: pure functions from a validated profile to decisions.

One module per part of the playbook, each holding the rules of one DOMAIN.md section:

- `staffing`  section 1, internal / external / pair / SEO add-on, keep control
- `platforms` section 2, owned blog and networks
- `relays`    section 3, internal relays, joker, single contact
- `questions` section 4, questions before outsourcing and for a provider
- `plan`      section 5, the nine-step plan
- `notes`     warnings and open questions
- `sectors`   the client's field (sectors.yaml): which one, its rules, its regions

No I/O and no wording here: rules return message codes (`model.Msg`); the words live
in the knowledge files and are chosen per language by `playbook.report`.
"""

from __future__ import annotations

import datetime

from ..knowledge import Knowledge
from ..profile import Profile
from .facts import derive
from .model import Decisions
from .notes import open_questions, warnings
from .plan import build_plan
from .platforms import decide_platforms
from .questions import decide_questions
from .relays import decide_relays
from .sectors import sector_advice
from .staffing import decide_staffing


def decide(profile: Profile, knowledge: Knowledge, today: datetime.date) -> Decisions:
    """Every decision of the playbook for one profile, as of `today`."""
    facts = derive(profile, knowledge, today)
    staffing = decide_staffing(facts)
    platforms = decide_platforms(facts, knowledge, staffing.model)
    relays = decide_relays(facts, staffing.model)
    return Decisions(
        staffing=staffing,
        platforms=platforms,
        relays=relays,
        questions=decide_questions(facts, knowledge, staffing.model, staffing.keep_control),
        plan=build_plan(facts, staffing, platforms, relays),
        warnings=warnings(facts, knowledge, staffing, relays, platforms),
        open_questions=open_questions(facts),
        facts=facts,
        sector=sector_advice(facts.sector_match, facts.regions,
                             tuple(pick.id for pick in platforms.picks), facts.org.circle,
                             profile.company),
    )
