"""Typography every sample must respect, in both languages, as a reader sees it."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES

from playbook.build import Builder

BUILDER = Builder()


def double_colons(markdown: str) -> list[str]:
    """The clauses that carry two colons: 'X: Y: Z', or a label's colon followed by
    another ('**Deliverable:** An audit sheet: accounts...'). Quotations, asides in
    brackets, a label's own words and clauses apart (after a full stop or a semicolon)
    are read separately; table cells are read one by one."""
    found = []
    for line in markdown.splitlines():
        if re.fullmatch(r"\|?[\s|:-]*", line):
            continue  # a table's alignment row
        for cell in line.strip("|").split("|") if line.startswith("|") else [line]:
            text = cell.replace("\u00a0", " ").replace("\u202f", " ")
            text = re.sub(r"«[^»]*»|“[^”]*”|\"[^\"]*\"", "Q", text)
            while re.search(r"\([^()]*\)", text):
                text = re.sub(r"\([^()]*\)", "P", text)
            # a bold label counts as one colon when it ends with one
            text = re.sub(r"\*\*([^*]*)\*\*( ?:)?", lambda m: "L:" if m.group(2) or
                          m.group(1).rstrip().endswith(":") else "L", text)
            for clause in re.split(r"(?<=[.!?;])\s+", text):
                if clause.count(":") > 1:
                    found.append(clause)
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_no_clause_carries_two_colons(path, language):
    """Read as the inter-municipal authority: step 6 read 'Publish 2 times a week on
    Facebook...: a rhythm matched to the little material you have today: fewer, better
    posts'; the deliverables read « Livrable : Une fiche d'audit : comptes... », the
    critical questions « Essentielle : Votre secteur est exposé aux crises : ... », the
    garage's part 6 « votre secteur est : automobile : concessions... »."""
    markdown = BUILDER.build(BUILDER.load(path), language).markdown
    assert double_colons(markdown) == []
