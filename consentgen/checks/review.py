"""What a clinician must know about a document before handing it out: its review warnings.

One line per rule the document rests on that is unknown, open or not yet confirmed, per element the
state requires that the form lacks, and per own text printed untranslated; and a one-cell summary
for the batch manifest. The front ends print these (``frontends/report.py`` groups them); batch
workers compute them beside each form, so warnings reach whoever hands the forms out.
"""

from __future__ import annotations

import re

from consentgen.documents.document import Document
from consentgen.law import load
from consentgen.law.view import Basis
from consentgen.law.vocabulary import RULE_WORDS

ELEMENT_WORDS = {
    "fees": "your fees (fee schedule)", "cancellation": "your cancellation policy",
    "payment_and_collections": "your payment and collection policy", "refund_policy": "your refund policy",
    "after_hours_contact": "how clients reach you between sessions", "ending_therapy": "how therapy ends",
    "education": "your education", "experience_years": "your years of experience",
    "therapeutic_approach": "your approach to therapy", "board_contact": "the board's address and phone number",
}


def _content_items(doc: Document) -> list[str]:
    """Each element state rules require that this form will not carry, and how to supply it."""
    by_element: dict[str, tuple[list[str], str | None]] = {}
    for gap in getattr(doc, "content_gaps", ()):
        rules, _ = by_element.setdefault(gap.element, ([], gap.field))
        if gap.rule.cite not in rules:
            rules.append(gap.rule.cite)
    lines = []
    for element, (rules, field) in by_element.items():
        what = ELEMENT_WORDS.get(element, element.replace("_", " "))
        who = " and ".join(rules) + (" require " if len(rules) > 1 else " requires ")
        if field:
            lines.append(f"{who}{what} in what the client gets; add {field} to the answers and the form will "
                         "carry it.")
        else:
            lines.append(f"{who}{what}, which this form does not contain; give it to the client in writing.")
    return lines


def _own_text_items(doc: Document) -> list[str]:
    """A form in another language that prints the clinician's own texts (fees, education, ...) as written."""
    from consentgen.documents.document import untranslated_message

    if not doc.english_texts:
        return []
    return [untranslated_message(doc.language, sorted(doc.english_texts), printed=True)]


# The open questions a form words neutrally, as a clinician reads them.
QUESTION_WORDS = {
    "parent_told": "whether a parent is told when a teen agrees to therapy alone",
    "parent_records": "a parent's right to see a teen's records",
    "parent_signs": "whether a parent must sign for a teen",
    "capacity": "whether the child-abuse reporting duty covers what you learn outside your work",
    "trigger": "what kind of threat brings the duty to protect into play",
    "who_minor": "who decides about a teen's records after the teen's death",
}
MINOR_ONLY = {"who_minor"}  # questions only the minor edition words


def review_items(doc: Document) -> list[str]:
    """For one document: one line per rule it rests on that is unknown, open or unconfirmed: what it means, what to do.

    The maintainers' research notes stay out of these lines (``jurisdictions show CODE --notes`` has them). A
    packet's lines are its documents' lines, each once.
    """
    if doc.members:
        return list(dict.fromkeys(line for member in doc.members for line in review_items(member)))
    lines = []
    state, code = load.name_of(doc.law.code), doc.law.code
    for name, basis in doc.used_bases().items():
        if basis.status == "unknown":
            lines.append(f"{RULE_WORDS[name]}: not yet in consentgen's data, so the form only says it depends on "
                         f"{state} law; explain to clients what applies.")
        elif basis.status == "needs_review":
            lines.append(f"{RULE_WORDS[name]}: not yet confirmed against the official text; the form states it and "
                         f"marks it \"not yet verified\" in its law list; confirm it before use "
                         f"(consentgen jurisdictions show {code} --notes).")
        for field, _question in basis.questions:
            if field in MINOR_ONLY and doc.client_type != "minor":
                continue
            lines.append(f"{QUESTION_WORDS.get(field, field.replace('_', ' '))}: not yet settled in consentgen's "
                         f"data, so the form says it depends on {state} law; explain to clients what applies.")
    for words, basis in _federal_rules(doc):
        if basis.status == "needs_review":
            lines.append(f"federal rule '{words}': not yet confirmed against the official text; the form marks it "
                         "\"not yet verified\" in its law list; the reason: "
                         f"consentgen jurisdictions show {code} --notes.")
    for ref in doc.unverified:
        if ref.topic.startswith(("disclosure:", "content:")) and ref.status == "needs_review":
            lines.append(f"'{ref.topic.split(':', 1)[1]}': not yet confirmed against the official text; confirm it "
                         f"before use (consentgen jurisdictions show {code} --notes).")
    titles = {r.english_title: r.cite for r in doc.law.required_content if r.separate_document}
    lines += [f"{cite} requires a separate {title.lower()}; the form tells the client it comes with this form, so "
              "hand it over with the form." for title, cite in titles.items()]
    lines += _content_items(doc)
    lines += _own_text_items(doc)
    lines += _supervision_items(doc)
    lines += _estimate_items(doc)
    licensed_in = doc.practice.clinician.license_state
    if licensed_in and licensed_in != doc.law.code:
        lines.append(f"the license is from {load.name_of(licensed_in)}, but the form is for clients in "
                     f"{load.name_of(doc.law.code)}; check that your license lets you see clients there (telehealth "
                     "across state lines usually needs a license where the client is). The form says where you are "
                     "licensed.")
    return lines


def _federal_rules(doc: Document) -> list[tuple[str, Basis]]:
    """The federal rules a document rests on, each with its name in words ('privacy notice') and its basis."""
    return [(topic.split(":", 1)[1].replace("_", " "), basis) for topic, basis in doc.rests_on
            if topic.startswith("federal:")]


def _estimate_items(doc: Document) -> list[str]:
    """A good faith estimate without the identifiers or fees the answers could fill: what stays blank to write."""
    if doc.kind != "good-faith-estimate":
        return []
    p = doc.practice
    lines = []
    if not p.clinician.npi or not p.practice.tin:
        missing = [name for name, value in (("your NPI (clinician.npi)", p.clinician.npi),
                                            ("the practice's EIN (practice.tin)", p.practice.tin)) if not value]
        them = "them" if len(missing) > 1 else "it"
        lines.append(f"the estimate leaves {' and '.join(missing)} blank to write in by hand; add {them} to the "
                     f"answers to print {them}.")
    if not p.policies.fee_schedule:
        lines.append("the estimate's service rows are blank because the answers give no policies.fee_schedule "
                     "(service, code, minutes, charge); add it to print your services and charges.")
    rule = doc.law.federal.get("good_faith_estimate")
    duties = rule.facts.get("practice_duties") if rule else None
    if duties:  # what the rule asks of the practice that no form can do (from the federal data)
        lines.append(f"the estimate is one part of the federal duty; also {duties}.")
    return lines


# Words that mark a clinician in training in most states' titles; used only when the state's data names none.
_TRAINEE = re.compile(r"\b(?:associate|intern|trainee|resident|provisional|limited permit|pre-?licensed?)\b", re.I)


def _norm(text: str) -> str:
    """Credentials compared as the roster writes them: no dots, separators and hyphens as spaces, upper case."""
    return " " + " ".join(re.sub(r"[.,;/()\-]+", " ", text.replace(".", "")).upper().split()) + " "


def _supervision_items(doc: Document) -> list[str]:
    """A clinician whose credentials mark a supervised title in the state (its data, with citations), or look
    like a trainee's, and who names no supervisor: the form would not say who supervises (issue 25)."""
    clinician = doc.practice.clinician
    if clinician.supervisor is not None or not clinician.credentials:
        return []
    state = load.name_of(doc.law.code)
    held = _norm(clinician.credentials)
    for title in doc.law.supervised_titles:
        if any(_norm(name) in held for name in (title.title, *title.abbreviations)):
            cite = "; ".join(title.basis.citations) or f"{state}'s data"
            return [f"the credentials '{clinician.credentials}' name the title {title.title}, which in {state} "
                    f"means practice under supervision ({cite}), but no supervisor is named: add supervisor_name, "
                    "supervisor_credentials and supervisor_license (clinician.supervisor in an answers file) so "
                    "the form says who supervises, or correct the credentials."]
    if _TRAINEE.search(clinician.credentials):
        return [f"the credentials '{clinician.credentials}' look like those of a clinician in training, but no "
                "supervisor is named: if you practice under supervision, add supervisor_name, "
                "supervisor_credentials and supervisor_license so the form says who supervises."]
    return []


def review_summary(doc: Document) -> str:
    """The manifest's ``review`` cell: the rules this form rests on that are unknown or not yet confirmed.

    ``unknown: records; needs review: duty to protect, minors' consent``, or empty when every rule it
    rests on is verified.
    """
    groups: dict[str, list[str]] = {"unknown": [], "needs review": [], "open question": []}
    for part in doc.members or (doc,):  # a packet: its documents' rules
        _summary_groups(part, groups)
    return "; ".join(f"{label}: {', '.join(dict.fromkeys(names))}" for label, names in groups.items() if names)


def _summary_groups(doc: Document, groups: dict[str, list[str]]) -> None:
    """Add one document's unknown, unconfirmed and open rules to ``groups``."""
    for name, basis in doc.used_bases().items():
        if basis.status == "unknown":
            groups["unknown"].append(RULE_WORDS[name])
        elif basis.status == "needs_review":
            groups["needs review"].append(RULE_WORDS[name])
        groups["open question"] += [QUESTION_WORDS.get(f, f.replace("_", " ")) for f, _ in basis.questions]
    for ref in doc.unverified:
        if ref.topic.startswith(("disclosure:", "content:")) and ref.status == "needs_review":
            groups["needs review"].append(ref.topic.split(":", 1)[1])
    for words, basis in _federal_rules(doc):  # the notice's and the estimate's federal rules, among others
        if basis.status != "verified":
            groups["needs review"].append(f"federal {words}")
