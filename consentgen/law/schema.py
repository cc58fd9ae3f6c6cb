"""The shape of a jurisdiction file, and the checks every rule must pass.

Python holds no legal facts: this module only checks the shape of the data and that
every rule points at a citation and a source that the file declares.

Over 400 lines: one record per kind of rule, kept in one file so a rule's whole shape reads in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from consentgen.errors import Problem
from consentgen.law.vocabulary import QUESTION_FIELDS, RULE_NAMES, is_unknown
from consentgen.model.practice import PROFESSIONS, SERVICES
from consentgen.model.validate import Bool, Date, Field, Int, ListOf, MapOf, Nullable, Record, Text, join

FEDERAL_CODE = "US"
CODE_RE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
KINDS_DUTY = ("mandatory", "permissive", "none", "unknown")
KINDS_ELDER = ("mandatory", "permissive", "none", "unknown")
KINDS_SELF_HARM = ("mandatory", "permissive", "federal_only", "unknown")
# A condition a state permission to disclose for danger to self adds to the danger itself: none, or that the client
# also refuses the treatment offered (Oklahoma's psychologists' statute; the state file cites it), or an emergency
# evaluation law's conditions (a mental illness, a voluntary evaluation refused, likely serious harm soon: Florida).
SELF_HARM_CONDITIONS = ("none", "refuses_treatment", "involuntary_exam")
PROFESSION_KEYS = tuple(PROFESSIONS)
# When a child-abuse duty applies: at any time, to what the clinician learns in their work, while treating a client,
# or only for a child the clinician examines, counsels or treats in their work (child_seen: Iowa).
CHILD_CAPACITY = ("any", "professional", "treatment", "child_seen", "unknown")

CITATIONS = ListOf(Text(max_len=300), unique=True)
SOURCE_IDS = ListOf(Text(max_len=80), unique=True)
NOTE = Text(max_len=3000, multiline=True)
CLIENT_NOTE = Text(max_len=600, multiline=True)


DISCHARGE_STEPS = ("warn_victim", "notify_police", "notify_medical", "notify_mental_health", "notify_victim_guardian",
                   "notify_authorities",
                   "notify_crisis_service", "notify_designated_clinician", "hospitalization", "treatment",
                   "notify_others")
# Whom a clinician may tell, without consent, when a client may seriously harm themself. 'family_on_request':
# limited information to a close relative who helps with the client's care, only when that relative asks (as in
# Wisconsin's records statute), narrower than 'family' (contacting a family member).
# medical_personnel_emergency: doctors or hospital staff treating the client in a medical emergency, when the client
# cannot consent (Wisconsin's rule); family_members: family only, where the rule names no one else close to the client
# (Nevada social workers' rule); hospitalization: seeking the client's involuntary admission to a hospital (a step a
# state's duty names), which tells hospital staff; law_enforcement_intent_ability: the police, only when the client
# seems to mean it and be able to do it (Iowa's law-enforcement disclosure section).
SELF_HARM_CONTACTS = ("emergency_services", "medical_personnel", "medical_personnel_emergency",
                      "mental_health_personnel", "law_enforcement", "law_enforcement_intent_ability", "family",
                      "family_members", "family_on_request", "others_who_can_help", "hospitalization")
# Words of a statute's threat test beyond its trigger: an explicit threat, a specific one, one against a clearly
# identified victim (Louisiana's duty statute), apparent intent and ability to carry it out.
THREAT_TERMS = ("explicit", "specific", "clearly_identified", "intent_and_ability")
# serious_risk_identifiable_victim: the duty arises when the clinician believes the client poses a serious risk of
# physical harm to an identifiable person, whether or not the client made a threat (Vermont's Peck duty, New
# Jersey's second ground).
TRIGGERS = ("serious_threat_identifiable_victim", "serious_threat_any_person", "serious_risk_identifiable_victim",
            "imminent_danger", "other", "unknown")


def _rule(**fields: Field) -> dict[str, Field]:
    return {
        **fields,
        "client_note": Field(CLIENT_NOTE, required=False),
        "client_note_for": Field(ListOf(_enum(*PROFESSION_KEYS), unique=True), required=False, default=list),
        # Further notes for some professions only, printed after client_note.
        "client_notes_by_profession": Field(ListOf(Record({
            "for": Field(ListOf(_enum(*PROFESSION_KEYS), min_items=1, unique=True)),
            "text": Field(CLIENT_NOTE),
        })), required=False, default=list),
        "notes": Field(NOTE, required=False),
        "citations": Field(CITATIONS, required=False, default=list),
        "sources": Field(SOURCE_IDS, required=False, default=list),
        # Where a profession's rule is another statute: that profession's own citations and sources, which
        # replace the rule's on its forms (so no form cites another profession's rule).
        "cites_by_profession": Field(MapOf(Record({
            "citations": Field(CITATIONS),
            "sources": Field(SOURCE_IDS),
        }), key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
        "verified_on": Field(Date()),
        # How far the rule was verified, always said by a person: there is no default.
        "status": Field(_enum("verified", "needs_review")),
        "review_reason": Field(Text(max_len=600, multiline=True), required=False),
        # For each field left 'unknown': the open question, as a clinician's warning names it.
        "open_questions": Field(MapOf(Text(max_len=400), key_pattern=r"[a-z_.]+"), required=False, default=dict),
    }


def _enum(*choices: str) -> Text:
    return Text(choices=choices, max_len=60)


SOURCE = Record({
    "label": Field(Text(max_len=300)),
    "url": Field(Text(max_len=600, pattern=r"https?://\S+", hint="must be an http(s) URL")),
    "type": Field(_enum("primary", "secondary")),
    # Where the text behind an official `url` was actually read, when that was a verbatim copy of the
    # official text (an official code's bulk release, eCFR's own output kept on GitHub): the copy and the
    # date of the text it holds. Shown in `jurisdictions show --notes`; never on a client's form.
    "read_in": Field(Record({
        "url": Field(Text(max_len=600, pattern=r"https?://\S+", hint="must be an http(s) URL")),
        "as_of": Field(Date()),
        "note": Field(Text(max_len=400), required=False),
    }), required=False),
})

DUTY = Record(_rule(
    kind=Field(_enum(*KINDS_DUTY)),
    trigger=Field(_enum(*TRIGGERS)),
    # Further words of the statute's threat test (an explicit threat; apparent intent and ability...).
    threat_terms=Field(ListOf(_enum(*THREAT_TERMS), unique=True), required=False, default=list),
    # 'liability_limit': the statute only limits liability and says how any duty is discharged (it does
    # not itself create a duty); the form then says what the clinician will do, not what the law requires.
    framing=Field(_enum("duty", "liability_limit"), required=False),
    discharge=Field(ListOf(_enum(*DISCHARGE_STEPS), unique=True), required=False, default=list),
    # How the listed steps discharge the duty: any one of them, all of them, or one of the
    # named combinations in discharge_options (each a list of steps that go together).
    discharge_how=Field(_enum("any_one", "all", "options", "unknown"), required=False, default="unknown"),
    discharge_options=Field(ListOf(ListOf(_enum(*DISCHARGE_STEPS), min_items=1, unique=True)), required=False,
                            default=list),
    # The professions the discharge steps (and discharge_how) come from, when the statute naming them
    # does not cover every profession; others get no list of steps.
    discharge_for=Field(ListOf(_enum(*PROFESSION_KEYS), unique=True), required=False, default=list),
    # Whether the statute's trigger requires the threatened harm to be imminent.
    imminent=Field(Nullable(Bool()), required=False),
    by_profession=Field(MapOf(_enum(*KINDS_DUTY), key_pattern="|".join(PROFESSION_KEYS)),
                        required=False, default=dict),
    # A profession's own wording of the duty, where its statute differs (each field replaces the rule's).
    by_profession_fields=Field(MapOf(Record({
        "trigger": Field(_enum(*TRIGGERS), required=False),
        "imminent": Field(Nullable(Bool()), required=False),
        "threat_terms": Field(ListOf(_enum(*THREAT_TERMS), unique=True), required=False),
        "framing": Field(_enum("duty", "liability_limit"), required=False),
        "discharge": Field(ListOf(_enum(*DISCHARGE_STEPS), unique=True), required=False),
        "discharge_how": Field(_enum("any_one", "all", "options", "unknown"), required=False),
        "discharge_options": Field(ListOf(ListOf(_enum(*DISCHARGE_STEPS), min_items=1, unique=True)),
                                   required=False),
    }), key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
))
CHILD = Record(_rule(
    reporters=Field(_enum("professionals", "all_persons", "unknown")),
    threshold=Field(_enum("suspicion", "belief", "unknown")),
    report_to=Field(ListOf(_enum("child_protective_services", "law_enforcement", "state_hotline"),
                           unique=True), required=False, default=list),
    # When the duty applies: at any time, when acting in a professional capacity, or only
    # for what is learned while treating a client.
    capacity=Field(_enum(*CHILD_CAPACITY)),
    # The duty also covers a child who is likely to be abused or neglected (a risk, not only a harm done: Maine).
    includes_likely=Field(Bool(), required=False, default=False),
    # Professions the statute excuses from reporting what a client said in a privileged communication.
    privileged_excused_for=Field(ListOf(_enum(*PROFESSION_KEYS), unique=True), required=False, default=list),
    by_profession_fields=Field(MapOf(Record({
        "capacity": Field(_enum(*CHILD_CAPACITY), required=False),
    }), key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
))
ELDER = Record(_rule(
    kind=Field(_enum(*KINDS_ELDER)),
    # disabled_adults_without_help: an adult with a disability who cannot get the care or protection they need and has
    # no one able and willing to help (North Carolina's "in need of protective services").
    covers=Field(ListOf(_enum("elders", "dependent_adults", "vulnerable_adults", "disabled_adults",
                              "disabled_adults_without_help", "incapacitated_adults"), unique=True),
                 required=False, default=list),
    elder_age=Field(Nullable(Int(50, 90)), required=False),
    # 'impaired': the statute covers older people only when they are also impaired or infirm.
    elder_condition=Field(Nullable(_enum("impaired")), required=False),
    # 'in_my_care': the duty reaches only an adult the clinician has responsibility for the care of (Arizona);
    # 'in_my_work': only an adult the clinician examines, counsels or treats in their work (Iowa).
    scope=Field(_enum("any", "in_my_care", "in_my_work"), required=False, default="any"),
    # What starts the duty: a suspicion (the default wording), reason to believe, or knowledge (or seeing conditions
    # likely to lead to abuse: North Dakota).
    threshold=Field(_enum("suspicion", "belief", "knowledge"), required=False, default="suspicion"),
    report_to_how=Field(_enum("any_one", "all", "unknown"), required=False, default="unknown"),
    privileged_excused_for=Field(ListOf(_enum(*PROFESSION_KEYS), unique=True), required=False, default=list),
    report_to=Field(ListOf(_enum("adult_protective_services", "law_enforcement",
                                 "long_term_care_ombudsman", "state_hotline"), unique=True),
                    required=False, default=list),
    by_profession=Field(MapOf(_enum(*KINDS_ELDER), key_pattern="|".join(PROFESSION_KEYS)),
                        required=False, default=dict),
))
# Minors: is a parent told when a minor consents alone (yes: the law has the parent told or involved;
# no: never without the minor's consent; unless_risk: not unless there is a serious risk to life or health;
# unless_risk_told_first: the same, and the minor is told before the parent (Ohio);
# discretion: the clinician may tell, with or without the minor's consent; discretion_unless_harmful: the same,
# except where telling would harm the minor or keep them from care (Maryland's minor-consent statute);
# summary_unless_harmful: a summary of the care, if the clinician decides it will not seriously harm the minor
# (New Mexico); not_applicable: no minor consents alone)?
PARENT_INVOLVEMENT = ("required", "required_unless_inappropriate", "not_required", "unknown")
PARENT_TOLD = ("yes", "unless_inappropriate", "no", "unless_risk", "unless_risk_told_first",
               "unless_essential_to_health", "unless_necessary", "discretion", "discretion_unless_harmful",
               "summary_unless_harmful",
               "on_request", "not_applicable", "unknown")
# A parent's access to a minor's records: full (a right to see them), full_except_harmful, unless_minor_objects,
# limited (some information, not the whole record), minor_controls (the minor decides who sees them),
# clinician_judgment (the clinician decides on a request).
PARENT_RECORDS = ("full", "full_except_harmful", "unless_minor_objects", "limited", "minor_controls",
                  "clinician_judgment", "unknown")
# Does a parent or guardian sign the consent: always, or only when a parent consents (a minor who consents alone
# signs alone)?
PARENT_SIGNS = ("required", "when_parent_consents", "unknown")
MINORS = Record(_rule(
    consent_age=Field(Nullable(Int(0, 21), unknown_ok=True)),  # 0: any age, with conditions
    session_limit=Field(Nullable(Int(1, 100)), required=False),
    # What a minor of consent_age may agree to alone: all_care where the law makes them an adult for health care
    # before the age of majority; absent, the form says only "some outpatient counseling" (it promises less).
    consent_scope=Field(_enum("all_care"), required=False),
    conditions=Field(NOTE, required=False),
    parent_involvement=Field(_enum(*PARENT_INVOLVEMENT), required=False, default="unknown"),
    parent_told=Field(_enum(*PARENT_TOLD)),
    parent_records=Field(_enum(*PARENT_RECORDS)),
    # Where the law sets parents' access by the minor's age (e.g. under 12 / 12 and older).
    parent_records_by_age=Field(ListOf(Record({
        "from_age": Field(Int(0, 21), required=False),
        "to_age": Field(Int(0, 21), required=False),
        "access": Field(_enum(*PARENT_RECORDS)),
    })), required=False, default=list),
    # A parent's access when the minor consented alone, where the law makes it differ from parent_records.
    parent_records_when_minor_consents=Field(_enum(*PARENT_RECORDS), required=False),
    parent_signs=Field(_enum(*PARENT_SIGNS)),
    by_profession=Field(MapOf(Nullable(Int(0, 21), unknown_ok=True), key_pattern="|".join(PROFESSION_KEYS)),
                        required=False, default=dict),
    # A profession's own values of the parent fields, where its statute differs (e.g. physicians).
    by_profession_fields=Field(MapOf(Record({
        "parent_involvement": Field(_enum(*PARENT_INVOLVEMENT), required=False),
        "parent_told": Field(_enum(*PARENT_TOLD), required=False),
        "parent_records": Field(_enum(*PARENT_RECORDS), required=False),
        "parent_records_when_minor_consents": Field(_enum(*PARENT_RECORDS), required=False),
        "parent_signs": Field(_enum(*PARENT_SIGNS), required=False),
    }), key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
))
SELF_HARM = Record(_rule(
    # 'mandatory': state law requires the clinician to act (and names the people in may_tell, or its steps lead to
    # them); 'permissive': state law lets the clinician tell the people in may_tell; 'federal_only': the state is
    # silent (or points to the federal privacy rule) and only that rule allows it; 'unknown': not read.
    kind=Field(_enum(*KINDS_SELF_HARM)),
    kind_by_profession=Field(MapOf(_enum(*KINDS_SELF_HARM), key_pattern="|".join(PROFESSION_KEYS)),
                             required=False, default=dict),
    may_tell=Field(ListOf(_enum(*SELF_HARM_CONTACTS), unique=True)),
    may_tell_by_profession=Field(MapOf(ListOf(_enum(*SELF_HARM_CONTACTS), unique=True),
                                       key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
    condition=Field(_enum(*SELF_HARM_CONDITIONS), required=False, default="none"),
    condition_by_profession=Field(MapOf(_enum(*SELF_HARM_CONDITIONS), key_pattern="|".join(PROFESSION_KEYS)),
                                  required=False, default=dict),
))
AGE_OF_MAJORITY = Record(_rule(age=Field(Int(16, 21))))
# Who decides about a client's records after the client dies (authorizes disclosure, sees them, holds the
# privilege): personal_representative (the executor, administrator or legal representative of the estate; also
# where the state's law was searched and is silent, so only the federal rule applies: state_silent),
# personal_representative_or_family (the representative, and family members in an order the law sets),
# personal_representative_or_beneficiary (the representative, another person authorized to sue for the client, or a
# beneficiary of an insurance policy on the client's life or health: a licensing-act pattern in several states),
# parent_or_guardian (a deceased minor's parent or guardian).
# personal_representative_family_or_beneficiary (both: family members in an order the law sets, and a person
# authorized to sue or an insurance beneficiary, where a general records statute and a licensing act both apply).
AFTER_DEATH_WHO = ("personal_representative", "personal_representative_or_family",
                   "personal_representative_or_beneficiary", "personal_representative_family_or_beneficiary",
                   "parent_or_guardian", "unknown")
# Relatives a state gives their own right to a copy of a deceased client's records, whoever decides about them
# (Louisiana's health-records statute: the surviving spouse, the parents, the children).
AFTER_DEATH_KIN = ("spouse", "parents", "children")
_KIN = ListOf(_enum(*AFTER_DEATH_KIN), unique=True)
RECORDS_AFTER_DEATH = Record(_rule(
    who=Field(_enum(*AFTER_DEATH_WHO)),  # an adult client
    who_minor=Field(_enum(*AFTER_DEATH_WHO)),  # a client who dies as a minor
    state_silent=Field(Bool(), required=False, default=False),
    family_copy=Field(_KIN, required=False, default=list),  # an adult client's relatives with that right
    family_copy_minor=Field(Nullable(_KIN), required=False),  # a minor's (None: the same as family_copy)
    by_profession_fields=Field(MapOf(Record({
        "who": Field(_enum(*AFTER_DEATH_WHO), required=False),
        "who_minor": Field(_enum(*AFTER_DEATH_WHO), required=False),
        "family_copy": Field(_KIN, required=False),
        "family_copy_minor": Field(Nullable(_KIN), required=False),
    }), key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
))
# How soon a client's request to see their records must be answered: a state deadline, or only the federal one
# (the state's law was read and sets none shorter), or not yet read.
REFUSAL = ("federal", "narrower", "none", "unknown")
ACCESS_DEADLINE = Record(_rule(
    kind=Field(_enum("state", "federal", "unknown")),
    # May the clinician refuse a client's own request on the federal ground of danger to life or safety?
    # federal: the state's law was read and gives no stronger right; narrower: it allows refusal only on a narrower
    # ground, which the rule's client note states; none: it gives access without any such ground.
    refusal=Field(_enum(*REFUSAL)),
    days=Field(Nullable(Int(1, 90)), required=False),
    unit=Field(_enum("days", "working_days"), required=False),
    by_profession_fields=Field(MapOf(Record({
        "kind": Field(_enum("state", "federal", "unknown"), required=False),
        "days": Field(Nullable(Int(1, 90)), required=False),
        "unit": Field(_enum("days", "working_days"), required=False),
        "refusal": Field(_enum(*REFUSAL), required=False),
    }), key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
))
RETENTION = Record({
    "professions": Field(ListOf(_enum("all", *PROFESSION_KEYS), min_items=1, unique=True)),
    "years": Field(Int(1, 100)),
    "minors": Field(Text(max_len=300), required=False),
    # A shorter record the rule keeps longer than the full one (e.g. a treatment summary), with how long: printed
    # after the full record's period so the form never says everything is destroyed when part must be kept.
    "summary": Field(Text(max_len=300), required=False),
    # What the years count from: the last session (the default) or the day each record is made (rules that count
    # "from the date of the service" or from when each item was created, as Kansas's physicians' rule).
    "counted_from": Field(_enum("last_session", "record_made"), required=False, default="last_session"),
    # The rule this entry comes from (a form cites only the entries of its own profession).
    "citations": Field(CITATIONS, required=False, default=list),
    "sources": Field(SOURCE_IDS, required=False, default=list),
})
RECORDS = Record(_rule(retention=Field(ListOf(RETENTION), required=False, default=list)))
BOARD = Record({
    "name": Field(Text(max_len=200)),
    "url": Field(Text(max_len=300, pattern=r"https?://\S+", hint="must be an http(s) URL")),
    "sources": Field(SOURCE_IDS, required=False, default=list),
    "notes": Field(NOTE, required=False),
})
APPLIES = Record({
    "services": Field(ListOf(_enum(*SERVICES), unique=True), required=False, default=list),
    "professions": Field(ListOf(_enum("all", *PROFESSION_KEYS), unique=True), required=False, default=list),
})
# How a state's release requirement changes the release form itself, beyond its own text (a vocabulary; the
# state file says which its law asks for): calendar_end_date = the end must be a date, not an event;
# no_redisclosure = the recipient may not share it again without consent; signed_revocation = a cancellation
# must be written and signed (an email alone is not enough).
RELEASE_FORM_CHANGES = ("calendar_end_date", "no_redisclosure", "signed_revocation")
DISCLOSURE = Record(_rule(
    id=Field(Text(max_len=80, pattern=r"[a-z0-9][a-z0-9-]*", hint="must be a lowercase slug")),
    title=Field(Text(max_len=120)),
    applies_to=Field(APPLIES, required=False, default=dict),
    client_text=Field(Text(max_len=1500, multiline=True)),
    form_changes=Field(ListOf(_enum(*RELEASE_FORM_CHANGES), unique=True), required=False, default=list),
))

# What a state's rule may require a consent or disclosure document to contain. The ids name kinds
# of content (a vocabulary, not legal facts); each state file says which its rules require.
CONTENT_ELEMENTS = (
    "therapist_identity", "license_and_credentials", "education", "experience_years", "therapeutic_approach",
    "training_and_ce", "supervision_status", "fees", "fees_before_service", "payment_and_collections",
    "refund_policy", "cancellation", "after_hours_contact", "ending_therapy", "confidentiality_limits",
    "records_access", "treatment_plan_rights", "right_to_refuse_or_withdraw", "right_to_terminate",
    "second_opinion", "complaint_process", "board_contact", "nondiscrimination", "sexual_intimacy_statement",
    "telehealth_risks", "emergency_procedures", "signatures", "procedures_risks_benefits", "treatment_purpose",
    "course_of_treatment", "code_of_ethics_adherence",
)
REQUIRED_CONTENT = Record(_rule(
    id=Field(Text(max_len=80, pattern=r"[a-z0-9][a-z0-9-]*", hint="must be a lowercase slug")),
    title=Field(Text(max_len=120)),
    applies_to=Field(APPLIES, required=False, default=dict),
    elements=Field(ListOf(_enum(*CONTENT_ELEMENTS), min_items=1, unique=True)),
    # Whether the rule asks for a document of its own (e.g. a professional disclosure statement).
    separate_document=Field(Bool(), required=False, default=False),
))

# A title the state's law gives a clinician who may practice only under supervision (an associate, intern,
# trainee, limited or provisional licensee): batch, check and render warn when such credentials come without
# a supervisor. Not printed on a client's form.
SUPERVISED_TITLE = Record(_rule(
    profession=Field(_enum(*PROFESSION_KEYS)),
    title=Field(Text(max_len=120)),
    abbreviations=Field(ListOf(Text(max_len=60, pattern=r"[A-Za-z][A-Za-z0-9 .\-]*",
                                    hint="letters, digits, spaces, '.' or '-'"), unique=True),
                        required=False, default=list),
))


def _declared_sources(name: str, rule: dict[str, Any], declared: set[str], problems: list[Problem]) -> None:
    """Every source id a rule names (itself, per profession, per retention entry) is declared."""
    named = [("sources", rule.get("sources", []))]
    named += [(f"cites_by_profession.{k}.sources", c.get("sources", []))
              for k, c in (rule.get("cites_by_profession") or {}).items()]
    named += [(f"retention[{i}].sources", e.get("sources", [])) for i, e in enumerate(rule.get("retention") or [])]
    for where, ids in named:
        problems += [Problem(join(name, where), f"'{sid}' is not declared under sources") for sid in ids
                     if sid not in declared]


def _open_questions(name: str, base: str, rule: dict[str, Any], problems: list[Problem]) -> None:
    """Each field a form words that is left 'unknown' names its open question (plain or dotted key)."""
    questions = rule.get("open_questions") or {}
    values = [rule] + list((rule.get("by_profession_fields") or {}).values())
    kinds = {rule.get("kind"), *(rule.get("by_profession") or {}).values()}
    for key in QUESTION_FIELDS.get(base, ()):
        if key == "trigger" and not kinds & {"mandatory", "permissive"}:
            continue  # no duty for anyone, so no trigger to state
        asked = key in questions or any(q.endswith(f".{key}") for q in questions)
        if any(v.get(key) == "unknown" for v in values) and not asked and not is_unknown(base, rule):
            problems.append(Problem(join(name, f"open_questions.{key}"),
                                    "is 'unknown': say in open_questions what is still to be read"))


def _check_rule(name: str, rule: dict[str, Any], declared: set[str], problems: list[Problem]) -> None:
    """One rule: its citations, sources, dates, review reason and open questions."""
    base = name.split("[")[0]
    _declared_sources(name, rule, declared, problems)
    if not is_unknown(base, rule):
        if not rule.get("citations"):
            problems.append(Problem(join(name, "citations"), "a rule needs at least one citation"))
        if not rule.get("sources"):
            problems.append(Problem(join(name, "sources"), "a rule needs at least one source"))
        if rule.get("status") == "needs_review" and not rule.get("review_reason"):
            problems.append(Problem(join(name, "review_reason"), "a rule that needs review must say why"))
    elif not rule.get("notes"):
        problems.append(Problem(join(name, "notes"), "an unknown rule must say in notes what is missing"))
    if rule.get("verified_on") and rule["verified_on"] > dt.date.today():
        problems.append(Problem(join(name, "verified_on"), "is in the future"))
    _open_questions(name, base, rule, problems)
    _check_values(name, base, rule, problems)


def _check_values(name: str, base: str, rule: dict[str, Any], problems: list[Problem]) -> None:
    """Values that need a companion: a state deadline its days, a narrower refusal its client note, and a
    minor-only answer kept out of the adult field (each per profession too)."""
    own = [(f"by_profession_fields.{p}.", v) for p, v in (rule.get("by_profession_fields") or {}).items()]
    if base == "access_deadline":  # a profession's values read with the state's for what it leaves out
        for where, value in [("", rule)] + [(w, {**rule, **v}) for w, v in own]:
            if value.get("kind") == "state" and not value.get("days"):
                problems.append(Problem(join(name, f"{where}days"), "a state deadline needs its number of days"))
            if value.get("refusal") == "narrower" and not rule.get("client_note"):
                problems.append(Problem(join(name, "client_note"),
                                        "refusal 'narrower' needs a client note that states the state's ground"))
    if base == "records_after_death":
        for where, value in [("", rule)] + own:
            if value.get("who") == "parent_or_guardian":
                problems.append(Problem(join(name, f"{where}who"), "parent_or_guardian is for a minor (who_minor)"))


def _cross_checks(data: dict[str, Any], path: str, problems: list[Problem]) -> None:
    """Every rule cites and points at declared sources; dates are not in the future."""
    declared = set(data.get("sources") or {})
    rules: list[tuple[str, dict[str, Any]]] = [(n, data[n]) for n in RULE_NAMES if data.get(n)]
    rules += [(f"other_disclosures[{i}]", d) for i, d in enumerate(data.get("other_disclosures") or [])]
    rules += [(f"required_content[{i}]", d) for i, d in enumerate(data.get("required_content") or [])]
    rules += [(f"release_requirements[{i}]", d) for i, d in enumerate(data.get("release_requirements") or [])]
    rules += [(f"supervised_titles[{i}]", d) for i, d in enumerate(data.get("supervised_titles") or [])]
    rules += [(f"rules.{k}", v) for k, v in (data.get("rules") or {}).items()]
    for name, rule in rules:
        _check_rule(name, rule, declared, problems)
    for prof, board in (data.get("boards") or {}).items():
        for sid in board.get("sources", []):
            if sid not in declared:
                problems.append(Problem(f"boards.{prof}.sources", f"'{sid}' is not declared under sources"))
        if not board.get("sources"):
            problems.append(Problem(f"boards.{prof}.sources", "a board needs at least one source"))
    if data.get("verified_on") and data["verified_on"] > dt.date.today():
        problems.append(Problem("verified_on", "is in the future"))
    ids = [d["id"] for d in data.get("other_disclosures") or []]
    if len(ids) != len(set(ids)):
        problems.append(Problem("other_disclosures", "two disclosures share an id"))


HEAD = {
    "code": Field(Text(max_len=10, pattern=CODE_RE.pattern, hint="must be a code like US-CA")),
    "name": Field(Text(max_len=100)),
    "paper": Field(_enum("letter", "a4")),
    "verified_on": Field(Date()),
    "sources": Field(MapOf(SOURCE, min_items=1)),
}
STATE = Record({
    **HEAD,
    "parent": Field(Text(max_len=10, pattern=CODE_RE.pattern, hint="must be a code like US")),
    "duty_to_protect": Field(DUTY),
    "self_harm": Field(SELF_HARM),
    "child_abuse_reporting": Field(CHILD),
    "elder_abuse_reporting": Field(ELDER),
    "age_of_majority": Field(AGE_OF_MAJORITY),
    "minors": Field(MINORS),
    "records": Field(RECORDS),
    "access_deadline": Field(ACCESS_DEADLINE),
    "records_after_death": Field(RECORDS_AFTER_DEATH),
    "boards": Field(MapOf(BOARD, key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
    "other_disclosures": Field(ListOf(DISCLOSURE), required=False, default=list),
    "required_content": Field(ListOf(REQUIRED_CONTENT), required=False, default=list),
    # What a state adds to a release of information (for example for mental-health records).
    "release_requirements": Field(ListOf(DISCLOSURE), required=False, default=list),
    "supervised_titles": Field(ListOf(SUPERVISED_TITLE), required=False, default=list),
}, check_all=_cross_checks)

FACT = Text(max_len=200)
FEDERAL_RULE = Record(_rule(facts=Field(MapOf(FACT, key_pattern=r"[a-z_]+"), required=False, default=dict)))
FEDERAL_RULES = ("serious_threat", "abuse_reports", "court_orders", "treatment_payment", "self_pay_restriction",
                 "records_access", "psychotherapy_notes", "after_death", "part2", "crisis_line",
                 "complaints", "health_oversight", "defense", "authorization", "part2_consent",
                 "electronic_signature", "privacy_notice", "uses_without_authorization", "part2_notice",
                 "good_faith_estimate", "dispute_resolution")
FEDERAL = Record({
    **HEAD,
    "rules": Field(Record({name: Field(FEDERAL_RULE) for name in FEDERAL_RULES})),
}, check_all=_cross_checks)


