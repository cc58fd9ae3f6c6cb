"""The law's vocabulary: the kinds of state rule, in one place.

Each kind has its name (the key in a jurisdiction file), its heading in reports and `jurisdictions show`, the
words a clinician's warning uses, the field whose ``unknown`` means the whole rule is unknown, whether it is a
core rule (counted in the review report), and the fields whose ``unknown`` must come with an open question.
A new kind of rule is one entry here, its shape in ``schema.py``, its resolved value in ``resolve.py`` and its
sentences in the templates. Names only: no legal fact lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RuleKind:
    """One kind of state rule."""

    name: str
    title: str  # the heading in reports and `jurisdictions show`
    words: str  # how a clinician's warning names it
    main_field: str | None  # its 'unknown' makes the rule unknown; None: unknown when it holds no entries
    core: bool = False  # a core rule of the review report's figures
    questions: tuple[str, ...] = ()  # fields whose 'unknown' needs an entry in open_questions


RULES: tuple[RuleKind, ...] = (
    RuleKind("duty_to_protect", "Threats to others (duty to protect)", "duty to protect", "kind", core=True,
             questions=("trigger",)),
    RuleKind("self_harm", "Danger to self", "danger to self", "kind", core=True),
    RuleKind("child_abuse_reporting", "Child abuse and neglect reporting", "child abuse reporting", "reporters",
             core=True, questions=("capacity",)),
    RuleKind("elder_abuse_reporting", "Elder and dependent adult abuse reporting", "elder abuse reporting", "kind",
             core=True),
    RuleKind("age_of_majority", "Age of majority", "age of majority", None),
    RuleKind("minors", "Minors' consent", "minors' consent", "consent_age", core=True,
             questions=("parent_told", "parent_records", "parent_signs")),
    RuleKind("records", "Record keeping", "record retention", None, core=True),
    RuleKind("access_deadline", "Seeing your records: time to answer and grounds to refuse",
             "time to answer a records request and grounds to refuse",
             "kind", questions=("refusal",)),
    RuleKind("records_after_death", "Records after a client's death", "who decides about records after death",
             "who", questions=("who_minor",)),
)

RULE_NAMES = tuple(kind.name for kind in RULES)
RULE_TITLES = {kind.name: kind.title for kind in RULES}
RULE_WORDS = {kind.name: kind.words for kind in RULES}
CORE_RULES = tuple(kind.name for kind in RULES if kind.core)
QUESTION_FIELDS = {kind.name: kind.questions for kind in RULES if kind.questions}
_BY_NAME = {kind.name: kind for kind in RULES}


def is_unknown(name: str, rule: dict[str, Any]) -> bool:
    """Whether a rule's main value is 'unknown' (then it may have no citations)."""
    kind = _BY_NAME.get(name)
    if kind is None:
        return False
    if kind.main_field is not None:
        return rule.get(kind.main_field) == "unknown"
    if name == "records":
        return not rule.get("retention")
    return False
