"""The answers file (YAML): read, validate and write a Practice."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from consentgen.errors import DataFileError, Problem
from consentgen.files.assets import read_logo
from consentgen.files.output import write_atomic
from consentgen.files.yamlfile import dump_yaml, read_yaml
from consentgen.law import load as rules
from consentgen.model.options import LANGUAGE_HINT, LANGUAGE_PATTERN, LANGUAGES, SOURCE_LANGUAGE, parse_languages
from consentgen.model.practice import (
    POLICY_TEXTS,
    PROFESSIONS,
    SECRETS_POLICIES,
    SERVICES,
    Branding,
    Clinician,
    Fee,
    FormOptions,
    Policies,
    Practice,
    PracticeInfo,
    Services,
    Supervisor,
)
from consentgen.model.validate import INVALID, Bool, Custom, Date, Field, Int, ListOf, MapOf, Money, Record, Text

EMAIL_RE = re.compile(r"[^@\s<>\"']+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE_CHARS_RE = re.compile(r"[0-9+()\-. ]+(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?", re.IGNORECASE)
LICENSE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .#/\-]{1,39}")
WEBSITE_RE = re.compile(
    r"(https?://)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+(?::\d+)?(/[^\s<>\"]*)?")


def check_email(value: str) -> str | None:
    """Return an error message for a bad email address, else None."""
    if not EMAIL_RE.fullmatch(value):
        return f"'{value}' is not an email address (expected something like name@example.com)"
    return None


def check_phone(value: str) -> str | None:
    """Return an error message for a bad phone number, else None."""
    main = re.split(r"(?i)\s*(?:ext\.?|x)\s*[0-9]", value)[0]
    digits = re.sub(r"\D", "", main)
    if not PHONE_CHARS_RE.fullmatch(value):
        return f"'{value}' is not a phone number (use digits, e.g. 555-123-4567 or +1 555 123 4567)"
    if main.strip().startswith("+") and not main.strip().startswith("+1"):  # another country: its own length
        if not 7 <= len(digits) <= 15:
            return f"'{value}' is not a phone number (an international number has 7 to 15 digits after the +)"
        return None
    national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    if len(national) != 10:
        return (f"'{value}' is not a full US phone number: it needs 10 digits with the area code "
                "(e.g. 555-123-4567, with 'ext. 12' after it if needed); for another country, start with + and "
                "the country code")
    return None


def check_license(value: str) -> str | None:
    """Return an error message for a bad license number, else None."""
    if not LICENSE_RE.fullmatch(value):
        return (f"'{value}' is not a license number (2 to 40 letters, digits, spaces, '.', '#', '/' or '-', "
                "e.g. PSY 12345)")
    return None


def check_website(value: str) -> str | None:
    """Return an error message for a bad website address, else None."""
    if not WEBSITE_RE.fullmatch(value):
        return f"'{value}' is not a website address (e.g. https://www.example.com)"
    return None


def check_npi(value: str) -> str | None:
    """Return an error message for a bad National Provider Identifier, else None.

    An NPI is 10 digits whose last is a Luhn check digit computed with the prefix 80840 (the
    card-issuer prefix the NPI standard uses), so a mistyped digit is caught here.
    """
    digits = _digits(value) or ""
    if not re.fullmatch(r"[12][0-9]{9}", digits):
        return f"'{value}' is not an NPI (10 digits starting with 1 or 2, e.g. 1234567893)"
    total = 0
    for i, char in enumerate(reversed("80840" + digits)):
        n = int(char)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    if total % 10:
        return f"'{value}' is not a valid NPI: its check digit does not match (a digit mistyped?)"
    return None


def check_tin(value: str) -> str | None:
    """Return an error message for a bad taxpayer identification number, else None (an EIN only: a
    Social Security number does not belong on a form a client takes home)."""
    if re.fullmatch(r"[0-9]{3}-[0-9]{2}-[0-9]{4}", value.strip()):
        return ("looks like a Social Security number; use the practice's employer identification number "
                "(EIN, written 12-3456789), since the estimate is handed to clients")
    if re.fullmatch(r"[0-9]{9}", value.strip()):
        return (f"'{value}': write the EIN with its dash, 12-3456789 (nine digits alone could be a Social "
                "Security number, which does not belong on a form a client takes home)")
    if not re.fullmatch(r"[0-9]{2}-[0-9]{7}", value.strip()):
        return f"'{value}' is not an EIN (9 digits, written 12-3456789)"
    return None


def check_jurisdiction(value: str) -> str | None:
    """Return an error message (with a suggestion) for an unknown code, else None."""
    if rules.has_jurisdiction(value):
        return None
    return rules.unknown_message(value)


NAME = Text(max_len=120)
PATH_TEXT = Text(max_len=500)  # a logo or templates path, as a file writes it
SUPERVISOR = Record({
    "name": Field(NAME),
    "credentials": Field(Text(max_len=60)),
    "license": Field(Custom(check_license, max_len=40)),
})
CLINICIAN = Record({
    "name": Field(NAME),
    "credentials": Field(Text(max_len=60)),
    "profession": Field(Text(choices=tuple(PROFESSIONS))),
    "license": Field(Custom(check_license, max_len=40)),
    "supervisor": Field(SUPERVISOR, required=False),
    "license_state": Field(Custom(check_jurisdiction, max_len=20), required=False),
    "education": Field(Text(max_len=400, multiline=True), required=False),
    "experience_years": Field(Int(0, 70), required=False),
    "approach": Field(Text(max_len=800, multiline=True), required=False),
    "npi": Field(Custom(check_npi, max_len=20), required=False),
})
PRACTICE = Record({
    "name": Field(NAME),
    "address": Field(Text(max_len=300, multiline=True)),
    "phone": Field(Custom(check_phone, max_len=40)),
    "email": Field(Custom(check_email, max_len=254)),
    "website": Field(Custom(check_website, max_len=200), required=False),
    "logo": Field(PATH_TEXT, required=False),
    "privacy_contact": Field(Text(max_len=120), required=False),
    "tin": Field(Custom(check_tin, max_len=20), required=False),
})
SERVICES_SPEC = Record({name: Field(Bool(), required=False, default=(name == "individual")) for name in SERVICES})
FORM = Record({"date": Field(Date(), required=False),
               "language": Field(Text(max_len=20, pattern=LANGUAGE_PATTERN, hint=LANGUAGE_HINT), required=False)})
POLICY_TEXT = Text(max_len=1200, multiline=True)
FEE = Record({
    "service": Field(Text(max_len=80)),
    "charge": Field(Money()),
    "code": Field(Text(max_len=12, pattern=r"[0-9A-Z]{5}(?:-[0-9A-Z]{2})?",
                       hint="must be a 5-character CPT or HCPCS code like 90837 (a modifier after a dash)"),
                  required=False),
    "minutes": Field(Int(1, 600), required=False),
})
POLICIES = Record({"secrets": Field(Text(choices=SECRETS_POLICIES), required=False, default="no_secrets"),
                   **{name: Field(POLICY_TEXT, required=False) for name in POLICY_TEXTS},
                   "part2_records": Field(Bool(), required=False, default=False),
                   "self_pay": Field(Bool(), required=False, default=True),
                   "fee_schedule": Field(ListOf(FEE, max_items=20), required=False, default=list)})
# The clinician's own texts in another form language: translations.es.policies.fees, ... A form in
# that language prints these instead of the texts above (which are printed as written otherwise).
OWN_TEXTS = Record({
    "clinician": Field(Record({"education": Field(Text(max_len=400, multiline=True), required=False),
                               "approach": Field(Text(max_len=800, multiline=True), required=False)}),
                       required=False, default=dict),
    "policies": Field(Record({name: Field(POLICY_TEXT, required=False) for name in POLICY_TEXTS}),
                      required=False, default=dict),
})
_OTHER_LANGUAGES = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
TRANSLATIONS = MapOf(OWN_TEXTS, key_pattern="|".join(_OTHER_LANGUAGES),
                     key_hint=f"is not a language a form can be translated into ({', '.join(_OTHER_LANGUAGES)}; "
                              f"{SOURCE_LANGUAGE} is the texts as written)")
BRANDING = Record({"accent_color": Field(Text(max_len=7, pattern=r"#[0-9A-Fa-f]{6}",
                                              hint="must be a colour written #RRGGBB, e.g. #1f4e79"), required=False)})


def _fields(require_clinician: bool) -> dict[str, Field]:
    fields = {
        "practice": Field(PRACTICE),
        "clinician": Field(CLINICIAN, required=require_clinician),
        "jurisdiction": Field(Custom(check_jurisdiction, max_len=20)),
        "services": Field(SERVICES_SPEC, required=False, default=dict),
        "policies": Field(POLICIES, required=False, default=dict),
        "form": Field(FORM, required=False, default=dict),
        "branding": Field(BRANDING, required=False, default=dict),
        "templates": Field(PATH_TEXT, required=False),
        "translations": Field(TRANSLATIONS, required=False, default=dict),
    }
    return fields


def _check_services(data: dict[str, Any], path: str, problems: list[Problem]) -> None:
    services = data.get("services") or {}
    if services and not any(services.values()):
        problems.append(Problem("services", "switch on at least one service (for example individual: true)"))


ANSWERS = Record(_fields(True), check_all=_check_services)
CLINIC = Record({k: v for k, v in _fields(False).items() if k != "clinician"}, check_all=_check_services)


def build_practice(data: dict[str, Any]) -> Practice:
    """Build a Practice from an already validated answers mapping."""
    clin = data["clinician"]
    sup = clin.get("supervisor")
    services = {name: data["services"].get(name, name == "individual") for name in SERVICES}
    return Practice(
        practice=PracticeInfo(**{**data["practice"], "tin": _ein(data["practice"].get("tin"))}),
        clinician=Clinician(
            name=clin["name"], credentials=clin["credentials"], profession=clin["profession"],
            license=clin["license"], supervisor=Supervisor(**sup) if sup else None,
            license_state=rules.normalize_code(clin["license_state"]) if clin.get("license_state") else None,
            education=clin.get("education"), experience_years=clin.get("experience_years"),
            approach=clin.get("approach"), npi=_digits(clin.get("npi")),
        ),
        jurisdiction=rules.normalize_code(data["jurisdiction"]),  # us-ca, CA, US_CA: one spelling
        services=Services(**services),
        policies=Policies(secrets=(data["policies"] or {}).get("secrets", "no_secrets"),
                          **{name: (data["policies"] or {}).get(name) for name in POLICY_TEXTS},
                          part2_records=bool((data["policies"] or {}).get("part2_records")),
                          self_pay=(data["policies"] or {}).get("self_pay", True) is not False,
                          fee_schedule=tuple(Fee(**fee) for fee in (data["policies"] or {}).get("fee_schedule") or ())),
        form=FormOptions(date=data["form"].get("date"), language=_languages_text(data["form"].get("language"))),
        branding=Branding(accent_color=(data.get("branding") or {}).get("accent_color")),
        templates=data.get("templates"),
        translations={lang: {group: {k: v for k, v in (texts.get(group) or {}).items() if v}
                             for group in ("clinician", "policies") if texts.get(group)}
                      for lang, texts in (data.get("translations") or {}).items()},
    )


def _digits(text: str | None) -> str | None:
    """An identifier without the spaces or dashes it was typed with."""
    return re.sub(r"[\s-]", "", text) if text else None


def _ein(text: str | None) -> str | None:
    """An EIN written the usual way, 12-3456789."""
    digits = re.sub(r"\D", "", text or "")
    return f"{digits[:2]}-{digits[2:]}" if digits else None


def _languages_text(text: str | None) -> str | None:
    """The form languages as one canonical text ('en,es'), or None for the default (English)."""
    return ",".join(parse_languages(text)) or None


def _resolve_path(value: str | None, base: Path | None) -> Path | None:
    """A path from a data file, relative to that file's folder."""
    if not value:
        return None
    path = Path(value).expanduser()
    return base / path if not path.is_absolute() and base is not None else path


def _resolve_templates(data: dict[str, Any], base: Path | None, problems: list[Problem]) -> None:
    path = _resolve_path(data.get("templates"), base)
    if path is None:
        return
    if not path.is_dir():
        problems.append(Problem("templates", f"folder not found: {path}"))
        return
    data["templates"] = str(path.resolve())


def _resolve_logo(data: dict[str, Any], base: Path | None, problems: list[Problem]) -> None:
    path = _resolve_path(data["practice"].get("logo"), base)
    if path is None:
        return
    if not path.is_file():
        problems.append(Problem("practice.logo", f"file not found: {path}"))
        return
    try:
        read_logo(path)
    except DataFileError as exc:
        problems.append(Problem("practice.logo", exc.problems[0].message))
        return
    data["practice"]["logo"] = str(path.resolve())


def _validated(spec: Record, raw: Any, filename: str, base: Path | None,
               problems: list[Problem] | None = None) -> dict[str, Any]:
    """Check ``raw`` against ``spec`` and resolve its paths; raise DataFileError listing every problem."""
    problems = list(problems or [])
    data = spec.check(raw, "", problems) if not problems else INVALID
    if data is not INVALID and not problems:
        _resolve_logo(data, base, problems)
        _resolve_templates(data, base, problems)
    if data is INVALID or problems:
        raise DataFileError(filename, problems or [Problem("", "is not valid")])
    result: dict[str, Any] = data
    return result


def parse_practice(raw: Any, filename: str, *, base: Path | None = None) -> Practice:
    """Validate a loaded answers mapping; raise DataFileError listing every problem.

    ``base`` is the folder relative paths (the logo) are resolved against.
    """
    return build_practice(_validated(ANSWERS, raw, filename, base))


def read_practice(path: str | Path) -> Practice:
    """Read and validate an answers file.

    Raises:
        DataFileError: the file is missing, malformed or has invalid fields.
    """
    path = Path(path)
    return parse_practice(read_yaml(path), str(path), base=path.parent)


def render_answers(practice: Practice, paths: dict[str, str] | None = None) -> str:
    """Return the answers file text for ``practice``.

    ``paths``: the logo and templates paths as a file wrote them (``logo``, ``templates``), kept as written
    where they could not be resolved here (the web page, which reads no paths from disk).
    """
    header = ("# consentgen answers file: edit and re-render with\n"
              "#   consentgen render THIS_FILE -o consent-form.pdf\n")
    data = practice.to_dict()
    if paths and paths.get("logo"):
        data["practice"]["logo"] = paths["logo"]
    if paths and paths.get("templates"):
        data["templates"] = paths["templates"]
    return header + dump_yaml(data)


def write_practice(practice: Practice, path: str | Path) -> Path:
    """Write ``practice`` as an answers file (atomically)."""
    return write_atomic(Path(path), render_answers(practice))


def read_clinic(path: str | Path) -> dict[str, Any]:
    """Read a clinic file (an answers file without ``clinician``) and return its checked mapping.

    Paths in it (logo, templates) are made absolute, so each roster row can reuse it.
    """
    path = Path(path)
    raw = read_yaml(path)
    problems: list[Problem] = []
    if isinstance(raw, dict) and "clinician" in raw:
        problems.append(Problem("clinician", "a clinic file has no clinician; clinicians come from the roster"))
    return _validated(CLINIC, raw, str(path), path.parent, problems)
