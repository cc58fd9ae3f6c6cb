"""The questions about a practice, for any front end: the catalogue, its checks and conditions, and the
flat answers they fill (to and from an answers file).

Questions are data (a list of ``Question``); ``frontends.asking`` runs them with a front end's prompter. Nothing
here imports a terminal library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from consentgen.inputs import answers as ans
from consentgen.law import load as rules
from consentgen.model.practice import PROFESSIONS, SERVICES, Practice, profession_from

CANCELLED = "Cancelled; nothing was written."
# The editions, as every front end names them to a clinician.
EDITION_LABELS = {
    "individual": "Individual adults", "couple_family": "Couples and families", "group": "Groups",
    "minor": "Clients under 18 (with a parent or guardian)",
}


@dataclass(frozen=True)
class Question:
    """One wizard question: where its answer goes, how it is asked and checked."""

    key: str
    message: str
    kind: str = "text"  # text | select | confirm | checkbox | autocomplete
    required: bool = True
    check: Callable[[str], str | None] | None = None
    choices: tuple[tuple[str, str], ...] = ()
    when: Callable[[dict[str, Any]], bool] | None = None
    default: Any = None
    instruction: str = ""
    label: str = ""
    suggest: Callable[[dict[str, Any]], Any] | None = None  # a starting answer from earlier ones, if none yet


def jurisdiction_choices() -> tuple[tuple[str, str], ...]:
    return tuple((code, f"{code}  {name}") for code, name in rules.catalogue().items())


def resolve_jurisdiction(text: str) -> str | None:
    """Turn what the user typed (a code, 'CA', a state name, or a menu line) into a code."""
    text = text.strip()
    if not text:
        return None
    head = text.split()[0]
    if rules.has_jurisdiction(head):
        return rules.normalize_code(head)
    names = rules.catalogue()
    for code, name in names.items():
        if name.lower() == text.lower():
            return code
    # The start of one state's name is enough ("Tex" -> Texas; "New" names several, so it is not).
    started = [code for code, name in names.items() if name.lower().startswith(text.lower())]
    return started[0] if len(started) == 1 else None


def check_jurisdiction(text: str) -> str | None:
    if resolve_jurisdiction(text):
        return None
    return rules.unknown_message(text).split("; known:")[0] + "; type a state code or name and pick from the list"


def text_check(required: bool, check: Callable[[str], str | None] | None) -> Callable[[str], bool | str]:
    def validate(value: str) -> bool | str:
        value = value.strip()
        if not value:
            return True if not required else "This answer is required."
        if len(value) > 200:
            return "Please keep this under 200 characters."
        if check is not None:
            message = check(value)
            if message:
                return message
        return True
    return validate


def _profession_from_credentials(credentials: Any) -> str | None:
    """The profession credentials such as 'LPC' or 'PhD, LMFT' name, when each one they name is the same."""
    if not credentials:
        return None
    found = {profession_from(part) for part in re.split(r"[,;/]|\s+", str(credentials)) if part.strip()}
    named = {p for p in found if p in PROFESSIONS}
    return named.pop() if len(named) == 1 else None


def required_fields(a: dict[str, Any]) -> set[str]:
    """The answers fields the state's rules require the form to carry, for this profession."""
    code, profession = a.get("jurisdiction"), a.get("clinician.profession")
    if not code or not profession or not rules.has_jurisdiction(str(code)):
        return set()
    from consentgen.documents.content import required_elements
    from consentgen.documents.manifest import load_manifest
    from consentgen.law.resolve import resolve

    law = resolve(rules.load_jurisdiction(str(code)), str(profession), set(a.get("services") or ()))
    wanted = required_elements(law)
    return {field for element, field in load_manifest("consent").from_answers if element in wanted}


def _extra(field: str) -> Callable[[dict[str, Any]], bool]:
    return lambda a: bool(a.get("extras")) or field in required_fields(a)


def _check_years(value: str) -> str | None:
    if not value.strip().isdigit() or not 0 <= int(value) <= 70:
        return "type a whole number of years, like 8"
    return None


EXTRAS = (
    ("clinician.education", "Your education (degrees and schools):", "Education"),
    ("clinician.experience_years", "Years of experience as a therapist (a number):", "Years of experience"),
    ("clinician.approach", "Your approach to therapy, in a sentence or two:", "Approach"),
    ("policies.fees", "Your fees (for example: a 50-minute session is $150):", "Fees"),
    ("policies.cancellation", "Your cancellation and missed-session policy:", "Cancellation policy"),
    ("policies.payment_and_collections", "How clients pay, and what happens to unpaid bills:", "Payment policy"),
    ("policies.refunds", "Your refund policy:", "Refund policy"),
    ("policies.after_hours_contact", "How clients can reach you between sessions:", "Between sessions"),
    ("policies.ending_therapy", "How therapy ends (for example, a last session to review progress):",
     "Ending therapy"),
    ("clinician.npi", "Your National Provider Identifier (NPI, 10 digits; printed on the good faith estimate):",
     "NPI"),
    ("practice.tin", "Your practice's employer identification number (EIN, like 12-3456789; printed on the "
     "good faith estimate):", "EIN"),
)
EXTRA_CHECKS: dict[str, Callable[[str], str | None]] = {"clinician.experience_years": _check_years,
                                                       "clinician.npi": ans.check_npi,
                                                       "practice.tin": ans.check_tin}


def _supervised(a: dict[str, Any]) -> bool:
    return bool(a.get("supervised"))



def _language_choices() -> tuple[tuple[str, str], ...]:
    """The form-language picker, from the language registry: each language, then the source language
    with each other one ("Both: one English and one Spanish form")."""
    from consentgen.model.languages import REGISTRY, SOURCE_LANGUAGE

    source = REGISTRY[SOURCE_LANGUAGE]
    alone = tuple((code, lang.label) for code, lang in REGISTRY.items())
    both = tuple((f"{SOURCE_LANGUAGE},{code}", f"Both: one {source.english_name} and one {lang.english_name} form")
                 for code, lang in REGISTRY.items() if code != SOURCE_LANGUAGE)
    return alone + both


def _translation_questions() -> tuple[Question, ...]:
    """For each form language other than English, the clinician's own texts in it: asked only when the form
    is made in that language and the English text was given (saved under ``translations.LANG``)."""
    from consentgen.model.languages import REGISTRY, SOURCE_LANGUAGE

    def wanted(code: str, key: str) -> Callable[[dict[str, Any]], bool]:
        return lambda a: code in str(a.get("form.language") or "").split(",") and bool(a.get(key))

    return tuple(
        Question(f"translations.{code}.{key}", f"{label}, in {lang.english_name} (what clients read on the "
                 f"{lang.english_name} form; press Enter to leave it in English):",
                 label=f"{label} ({lang.english_name})", required=False, when=wanted(code, key))
        for code, lang in REGISTRY.items() if code != SOURCE_LANGUAGE
        for key, _, label in EXTRAS if not key.endswith("experience_years"))

QUESTIONS: tuple[Question, ...] = (
    Question("practice.name", "Practice name (as it should appear on the form):", label='Practice name'),
    Question("practice.address", "Practice address (one line, commas between parts):", label='Address'),
    Question("practice.phone", "Practice phone:", label='Phone', check=ans.check_phone),
    Question("practice.email", "Practice email:", label='Email', check=ans.check_email),
    Question("practice.website", "Website (optional, press Enter to skip):",
             label='Website', required=False, check=ans.check_website),
    Question("clinician.name", "Your full name:", label='Your name'),
    Question("clinician.credentials", "Your credentials (for example PhD, LMFT, LCSW):", label='Credentials'),
    Question("clinician.profession", "Your profession:", label='Profession', kind="select",
             choices=tuple((k, v.capitalize()) for k, v in PROFESSIONS.items()),
             suggest=lambda a: _profession_from_credentials(a.get("clinician.credentials"))),
    Question("clinician.license", "Your license or registration number:",
             label='License number', check=ans.check_license),
    Question("supervised", "Are you an associate, intern or trainee working under a supervisor?",
             label='Under supervision',
             kind="confirm", default=False),
    Question("clinician.supervisor.name", "Supervisor's full name:", label='Supervisor', when=_supervised),
    Question("clinician.supervisor.credentials", "Supervisor's credentials:",
             label="Supervisor's credentials", when=_supervised),
    Question("clinician.supervisor.license", "Supervisor's license number:",
             label="Supervisor's license", check=ans.check_license,
             when=_supervised),
    Question("jurisdiction", "State where your clients are (type a code like CA or a state name):", label='State',
             kind="autocomplete", check=check_jurisdiction),
    Question("services", "Which services does this form cover?", label='Services', kind="checkbox",
             choices=tuple(SERVICES.items()), default=("individual",),
             instruction="(Space to select, Enter to confirm)"),
    Question("form.language", "Language of the form your clients read:", label="Form language", kind="select",
             choices=_language_choices(),
             default="en"),
    Question("policies.secrets", "Your secrets policy for couples and family therapy:",
             label='Secrets policy', kind="select",
             choices=(("no_secrets", "No secrets: private disclosures may be brought into joint sessions"),
                      ("limited_secrets", "Limited secrets: kept private unless they harm the therapy")),
             when=lambda a: "couples_family" in (a.get("services") or ())),
    Question("extras", "Add your education, approach, fees and office policies to the form? "
             "(Your state's rules ask for some of them; those questions come anyway.)",
             label="Practice details", kind="confirm", default=False),
    *(Question(key, message + " (optional; press Enter to skip)", label=label, required=False,
               check=EXTRA_CHECKS.get(key), when=_extra(key))
      for key, message, label in EXTRAS),
    *_translation_questions(),
)
BY_KEY = {q.key: q for q in QUESTIONS}


def flatten(practice: Practice) -> dict[str, Any]:
    """Turn a Practice into the wizard's answers (for --from and for edits)."""
    data = practice.to_dict()
    flat: dict[str, Any] = {}
    for section in ("practice", "clinician"):
        for key, value in data[section].items():
            if key == "supervisor":
                for sub, sval in value.items():
                    flat[f"clinician.supervisor.{sub}"] = sval
            else:
                flat[f"{section}.{key}"] = value
    flat["practice.address"] = one_line(practice.practice.address)
    flat["_address_lines"] = practice.practice.address
    flat["_keep"] = {k: v for k, v in data.items() if k in ("branding", "templates")}
    for code, texts in (data.get("translations") or {}).items():  # each own text's translation is a question
        for group, values in texts.items():
            for key, value in values.items():
                flat[f"translations.{code}.{group}.{key}"] = value
    if practice.practice.logo:
        flat["_keep_logo"] = practice.practice.logo
    flat["supervised"] = practice.clinician.supervisor is not None
    flat["jurisdiction"] = practice.jurisdiction
    flat["services"] = tuple(practice.services.chosen())
    flat["policies.secrets"] = practice.policies.secrets
    for key, value in (data.get("policies") or {}).items():
        flat[f"policies.{key}"] = value
    flat["extras"] = any(flat.get(key) not in (None, "") for key, _, _ in EXTRAS)
    if practice.clinician.experience_years is not None:
        flat["clinician.experience_years"] = str(practice.clinician.experience_years)
    if practice.form.date:
        flat["form.date"] = practice.form.date.isoformat()
    from consentgen.model.options import LANGUAGES

    # the question's choices name languages in their usual order ("es,en" is offered as "en,es")
    flat["form.language"] = ",".join(sorted(practice.form.languages, key=LANGUAGES.index))
    return flat


def one_line(address: str) -> str:
    """An address on one line, parts separated by commas (how the wizard asks for it)."""
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())


def to_mapping(flat: dict[str, Any]) -> dict[str, Any]:
    """Build an answers-file mapping from the wizard's flat answers."""
    out: dict[str, Any] = {"practice": {}, "clinician": {}, **flat.get("_keep", {})}
    if flat.get("_keep_logo"):
        out["practice"]["logo"] = flat["_keep_logo"]
    for key, value in flat.items():
        if key.startswith("_") or key in ("supervised", "extras") or value in (None, ""):
            continue
        if key == "clinician.experience_years":
            value = int(value)
        if key == "practice.address" and flat.get("_address_lines") and value == one_line(flat["_address_lines"]):
            out["practice"]["address"] = flat["_address_lines"]  # unchanged: keep the original line breaks
            continue
        if key.startswith("clinician.supervisor.") and not flat.get("supervised"):
            continue
        if key == "policies.secrets" and "couples_family" not in (flat.get("services") or ()):
            continue
        if key == "form.language" and value == "en":  # the default: answers files stay as they were
            continue
        if key == "services":
            out["services"] = {name: name in value for name in SERVICES}
            continue
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out
