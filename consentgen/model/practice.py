"""The practice model: who is giving the form, where, and which services it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from consentgen.model.options import SOURCE_LANGUAGE, parse_languages

PROFESSIONS: dict[str, str] = {
    "psychologist": "psychologist",
    "counselor": "professional counselor",
    "social_worker": "clinical social worker",
    "marriage_family_therapist": "marriage and family therapist",
    "psychiatrist": "psychiatrist",
}

# What a roster's profession cell may say: the slug, the wizard's label, or a common license
# or degree abbreviation (case and punctuation ignored). Names only; no legal facts.
PROFESSION_ALIASES: dict[str, str] = {
    **{label: slug for slug, label in PROFESSIONS.items()},
    "licensed professional counselor": "counselor", "mental health counselor": "counselor",
    "lpc": "counselor", "lpcc": "counselor", "lcpc": "counselor", "lmhc": "counselor", "lcmhc": "counselor",
    "lpca": "counselor", "lpc-s": "counselor", "lpc-a": "counselor", "lmhca": "counselor", "lcmhca": "counselor",
    "social worker": "social_worker", "lcsw": "social_worker", "licsw": "social_worker", "lmsw": "social_worker",
    "lsw": "social_worker", "lcsw-c": "social_worker", "acsw": "social_worker", "asw": "social_worker",
    "lmft": "marriage_family_therapist", "mft": "marriage_family_therapist", "amft": "marriage_family_therapist",
    "lamft": "marriage_family_therapist", "mfti": "marriage_family_therapist",
    "marriage and family therapist": "marriage_family_therapist", "family therapist": "marriage_family_therapist",
    "phd psychologist": "psychologist", "psyd": "psychologist", "phd": "psychologist", "lp": "psychologist",
    "licensed psychologist": "psychologist", "md": "psychiatrist", "do": "psychiatrist",
    "md psychiatrist": "psychiatrist",
}


def profession_from(text: str) -> str:
    """The profession slug a roster cell names, or the text unchanged (then validation explains)."""
    key = " ".join(text.strip().lower().replace(".", "").replace("/", " ").split())
    if key in PROFESSIONS:
        return key
    return PROFESSION_ALIASES.get(key, text)


SERVICES: dict[str, str] = {
    "individual": "Individual therapy",
    "couples_family": "Couples or family therapy",
    "group": "Group therapy",
    "minors": "Therapy with clients under 18",
    "telehealth": "Telehealth (video or phone sessions)",
    "insurance": "Billing health insurance",
}


@dataclass(frozen=True)
class Supervisor:
    """The licensed supervisor of an associate, intern or trainee."""

    name: str
    credentials: str
    license: str


@dataclass(frozen=True)
class Clinician:
    """The clinician who gives the form to the client."""

    name: str
    credentials: str
    profession: str
    license: str
    supervisor: Supervisor | None = None
    license_state: str | None = None  # the state that issued the license (a code like US-OH), if not the clients'
    education: str | None = None  # degrees and schools, as the clinician writes them
    experience_years: int | None = None
    approach: str | None = None  # the clinician's approach to therapy, in their own words
    npi: str | None = None  # the clinician's National Provider Identifier (10 digits), for the good faith estimate

    @property
    def profession_label(self) -> str:
        """Plain-language name of the profession."""
        return PROFESSIONS[self.profession]


@dataclass(frozen=True)
class PracticeInfo:
    """The practice's contact details, printed in the letterhead."""

    name: str
    address: str
    phone: str
    email: str
    website: str | None = None
    logo: str | None = None
    privacy_contact: str | None = None  # who answers privacy questions (the notice's contact), if not the clinician
    tin: str | None = None  # the practice's taxpayer identification number (an EIN, NN-NNNNNNN), for the estimate


@dataclass(frozen=True)
class Services:
    """Which services the form covers (each switches sections on)."""

    individual: bool = True
    couples_family: bool = False
    group: bool = False
    minors: bool = False
    telehealth: bool = False
    insurance: bool = False

    def chosen(self) -> list[str]:
        """Names of the services switched on, in the canonical order."""
        return [name for name in SERVICES if getattr(self, name)]


SECRETS_POLICIES = ("no_secrets", "limited_secrets")


@dataclass(frozen=True)
class Fee:
    """One line of the practice's fee schedule: a service, its billing code, length and charge (dollars)."""

    service: str
    charge: str  # dollars with cents, "150.00"
    code: str | None = None  # a CPT or HCPCS code, e.g. 90837
    minutes: int | None = None


@dataclass(frozen=True)
class Policies:
    """Practice policies the form states (only where the clinician has a choice)."""

    secrets: str = "no_secrets"
    fees: str | None = None
    cancellation: str | None = None
    payment_and_collections: str | None = None
    refunds: str | None = None
    after_hours_contact: str | None = None
    ending_therapy: str | None = None
    part2_records: bool = False  # the practice holds federally protected substance use disorder records
    self_pay: bool = True  # the practice sees clients who pay for themselves (uninsured, or not using insurance)
    fee_schedule: tuple[Fee, ...] = ()  # structured fees (the good faith estimate's rows)

    def given(self) -> list[str]:
        """The names of the written policies the practice gave (the secrets choice aside)."""
        return [name for name in POLICY_TEXTS if getattr(self, name)]


POLICY_TEXTS = ("fees", "cancellation", "payment_and_collections", "refunds", "after_hours_contact",
                "ending_therapy")


@dataclass(frozen=True)
class Branding:
    """Presentation choices of a practice or clinic (no legal content)."""

    accent_color: str | None = None


@dataclass(frozen=True)
class FormOptions:
    """Options of the form itself."""

    date: dt.date | None = None
    language: str | None = None  # the form language(s) as written: "es", or "en,es" for both

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages to render in (English when none was given)."""
        return parse_languages(self.language) or (SOURCE_LANGUAGE,)


@dataclass(frozen=True)
class Practice:
    """Everything the answers file says: the input of the pipeline."""

    practice: PracticeInfo
    clinician: Clinician
    jurisdiction: str
    services: Services = field(default_factory=Services)
    policies: Policies = field(default_factory=Policies)
    form: FormOptions = field(default_factory=FormOptions)
    branding: Branding = field(default_factory=Branding)
    templates: str | None = None
    # The clinician's own texts in other form languages: {"es": {"policies": {"fees": ...}, "clinician": {...}}}
    translations: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def in_language(self, language: str) -> Practice:
        """The practice as a form in ``language`` prints it: its own texts in that language where given."""
        own = self.translations.get(language) or {}
        if not own:
            return self
        clinician: dict[str, Any] = dict(own.get("clinician", {}))  # only education and approach (validated)
        policies: dict[str, Any] = dict(own.get("policies", {}))  # only the policy texts (validated)
        return replace(self, clinician=replace(self.clinician, **clinician),
                       policies=replace(self.policies, **policies))

    def untranslated(self, language: str) -> list[str]:
        """The answers fields of the clinician's own text that a form in ``language`` prints as written."""
        own = self.translations.get(language) or {}
        found = [f"policies.{name}" for name in self.policies.given() if name not in own.get("policies", {})]
        found += [f"clinician.{name}" for name in ("education", "approach")
                  if getattr(self.clinician, name) and name not in own.get("clinician", {})]
        return found

    def to_dict(self) -> dict[str, Any]:
        """Return the answers-file mapping (optional empty values left out)."""
        data = asdict(self)

        def prune(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: prune(v) for k, v in value.items() if v is not None}
            if isinstance(value, dt.date):
                return value.isoformat()
            return value

        result: dict[str, Any] = prune(data)
        for key in ("form", "policies", "branding", "translations"):
            if not result.get(key):
                result.pop(key, None)
        if result.get("policies", {}).get("part2_records") is False:
            result["policies"].pop("part2_records")
        if result.get("policies", {}).get("self_pay") is True:
            result["policies"].pop("self_pay")
        if "policies" in result:
            fees = result["policies"].pop("fee_schedule", ())
            if fees:
                result["policies"]["fee_schedule"] = [prune(dict(fee)) for fee in fees]
        if result.get("policies") == {"secrets": "no_secrets"} and not self.services.couples_family:
            result.pop("policies")
        return result
