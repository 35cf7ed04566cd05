"""How a roll-call vote is counted: totals from the choices and the result by the rule."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from .choices import VoteChoice, VoteResult, VoteRule

TOTAL_FIELDS = {
    VoteChoice.FOR: "votes_for",
    VoteChoice.AGAINST: "votes_against",
    VoteChoice.ABSTAIN: "votes_abstain",
    VoteChoice.NOT_VOTING: "votes_not_voting",
    VoteChoice.ABSENT: "votes_absent",
}


def totals(choices: Iterable[str]) -> dict[str, int]:
    """``{"votes_for": n, …}`` for the given choices."""
    counted = Counter(choices)
    return {field: counted.get(choice, 0) for choice, field in TOTAL_FIELDS.items()}


def votes_needed(rule: str, *, composition: int, present: int) -> int:
    """The fewest «for» votes that adopt a motion under ``rule``."""
    if rule == VoteRule.TWO_THIRDS_OF_COMPOSITION:
        return math.ceil(composition * 2 / 3)
    if rule == VoteRule.MAJORITY_OF_PRESENT:
        return present // 2 + 1
    return composition // 2 + 1


def result(rule: str, *, composition: int, counts: dict[str, int]) -> str:
    present = sum(counts.values()) - counts["votes_absent"]
    needed = votes_needed(rule, composition=composition, present=present)
    return VoteResult.ADOPTED if counts["votes_for"] >= needed else VoteResult.REJECTED
