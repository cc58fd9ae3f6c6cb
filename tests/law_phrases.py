"""The law-to-words table: each sentence a form prints that depends on the law, and the field values it needs.

Each row is (English words, Spanish words, section, predicate on the resolved law and the edition). The
matrix tests assert, for every jurisdiction x profession x edition x language, that a row's words are in
its section exactly when its predicate holds: a sentence never prints whose field is unset or says
something else, and a field's value never goes unsaid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Law = Any
Check = Callable[[Law, str], bool]


def _steps(law: Law) -> set[str]:
    return set(law.duty.discharge) | {s for option in law.duty.discharge_options for s in option}


def _alone(law: Law) -> bool:
    return law.minors.consent in ("age", "any_age_with_conditions")


def _access(law: Law) -> set[str]:
    bands = law.minors.parent_records_by_age
    found = {b.access for b in bands} if bands else {law.minors.parent_records}
    if _alone(law) and law.minors.parent_records_when_minor_consents:
        found.add(law.minors.parent_records_when_minor_consents)
    return found


def _short_access(law: Law) -> str:
    """What the short version says of a parent's record access: 'by_age' where the law sets age bands."""
    return "by_age" if law.minors.parent_records_by_age else str(law.minors.parent_records)


def _duty_known(law: Law) -> bool:
    return law.duty.kind in ("mandatory", "permissive")


def _elder_known(law: Law) -> bool:
    return law.elder.kind in ("mandatory", "permissive")


def _self(law: Law) -> bool:
    return law.self_harm.kind in ("mandatory", "permissive", "federal_only") and bool(law.self_harm.may_tell)


def _after(law: Law, edition: str) -> str:
    return str(law.after_death.decides(edition == "minor"))


def ages_named(law: Law) -> str:
    """The ages a minor edition may say 'under N' of: the age of majority, and the consent age where the law makes
    a minor of that age an adult for health care (consent_scope all_care)."""
    ages = {law.minors.age_of_majority}
    if law.minors.consent_scope == "all_care" and law.minors.consent_age:
        ages.add(law.minors.consent_age)
    return "|".join(str(a) for a in sorted(ages))


def _minor(check: Check) -> Check:
    return lambda law, edition: edition == "minor" and check(law, edition)


def _told(*values: str) -> Check:
    """The minor edition, where a minor may agree alone and the law's parent_told is one of ``values``."""
    return _minor(lambda law, e: _alone(law) and law.minors.parent_told in values)


# Sections, by the words that open and close them.
SECTIONS = {
    "en": {
        "threats": ("If you threaten to harm someone else", "Courts and lawsuits"),
        "self": ("If you may seriously harm yourself If", "If you threaten to harm someone else"),
        "elder": ("If a child may be abused or neglected", "If you may seriously harm yourself If"),
        "parents": ("What your parents or guardians will learn", "If your parents are separated"),
        "signatures": ("Your signature", "Laws behind this form"),
        "short": ("The short version", "About me"),
        "records": ("Your right to see your records", "How long I keep records"),
        "retention": ("How long I keep records", "If you have a concern"),
        "death": ("Your privacy does not end", "When I may or must share without your permission"),
    },
    "es": {
        "threats": ("Si usted amenaza con hacerle daño a otra persona", "Jueces y demandas"),
        "self": ("Si usted corre el riesgo de hacerse daño grave Si",
                 "Si usted amenaza con hacerle daño a otra persona"),
        "elder": ("Si un niño puede estar sufriendo abuso o negligencia",
                  "Si usted corre el riesgo de hacerse daño grave Si"),
        "parents": ("Lo que sabrán sus padres o tutores", "Si sus padres están separados"),
        "signatures": ("Su firma", "Leyes en las que se basa este formulario"),
        "short": ("En resumen", "Sobre mí"),
        "records": ("Su derecho a ver su expediente", "Cuánto tiempo guardo"),
        "retention": ("Cuánto tiempo guardo", "Si algo le preocupa"),
        "death": ("Su privacidad no termina", "Cuándo puedo o debo compartir información sin su permiso"),
    },
}

ROWS: list[tuple[str, str, str, Check]] = [
    # The minor edition's short version answers "will you tell my parents?" from the parents' record access.
    ("Will I tell your parents?", "¿Se lo diré a sus padres?", "short", _minor(lambda law, e: True)),
    ("depends on your age. The part for people under", "depende de su edad. La parte para menores", "short",
     _minor(lambda law, e: _short_access(law) == "by_age")),
    ("The law lets them see your records, so I cannot promise", "La ley les permite ver su expediente", "short",
     _minor(lambda law, e: _short_access(law) in ("full", "full_except_harmful"))),
    ("They may see your records unless you object", "salvo que usted se oponga", "short",
     _minor(lambda law, e: _short_access(law) == "unless_minor_objects")),
    ("I will not tell them the details of what you say", "No les diré los detalles", "short",
     _minor(lambda law, e: _short_access(law) in ("limited", "minor_controls"))),
    ("I decide what they may see in your records", "Yo decido lo que pueden ver", "short",
     _minor(lambda law, e: _short_access(law) == "clinician_judgment")),
    ("law. I will explain it before we start.", "Lo que pueden ver en su expediente depende de la ley", "short",
     _minor(lambda law, e: _short_access(law) == "unknown")),
    ("may agree to some outpatient counseling on their own", "puede aceptar por su cuenta algunos servicios",
     "short", _minor(lambda law, e: _alone(law) and law.minors.consent_scope != "all_care")),
    ("may agree to their own health care, including counseling", "puede aceptar por su cuenta su propia atención",
     "short", _minor(lambda law, e: _alone(law) and law.minors.consent_scope == "all_care")),
    ("you can start without them knowing", "puede empezar sin que ellos lo sepan", "short",
     _told("no")),
    ("I will not tell them without your OK, except in the few cases", "no les diré nada sin su permiso, salvo en",
     "short", _told("unless_risk", "unless_risk_told_first", "unless_essential_to_health",
                    "unless_necessary", "on_request")),
    ("the law lets me give them a summary of your care", "la ley me permite darles un resumen de su atención", "short",
     _told("summary_unless_harmful")),
    ("other rules decide what they may see", "otras reglas deciden lo que pueden ver", "short",
     _minor(lambda law, e: _alone(law) and bool(law.minors.parent_records_when_minor_consents)
            and law.minors.parent_records_when_minor_consents != law.minors.parent_records
            and not law.minors.parent_records_by_age)),
    ("the law lets me tell them about it", "la ley me permite contarles", "short",
     _told("discretion", "discretion_unless_harmful")),
    ("unless I believe that would harm you or keep you from getting help",
     "salvo que yo crea que eso le haría daño a usted o le impediría recibir ayuda", "short",
     _told("discretion_unless_harmful")),
    ("the law says they should usually be involved", "la ley dice que, por lo general, deberían participar", "short",
     _told("unless_inappropriate")),
    ("the law requires me to tell them about it", "la ley me exige contarles", "short",
     _told("yes")),
    # Threats to others: the kind, its framing, the statute's threat words and its steps.
    ("the law requires me to act to protect that person", "la ley me exige actuar para proteger a esa persona",
     "threats", lambda law, e: law.duty.kind == "mandatory" and law.duty.framing == "duty"),
    ("law describes", "de las formas que describe la ley", "threats",
     lambda law, e: law.duty.kind == "mandatory" and law.duty.framing == "liability_limit"),
    ("the law allows me to share information to protect that person",
     "la ley me permite compartir información para proteger a esa persona", "threats",
     lambda law, e: law.duty.kind == "permissive"),
    ("law does not require me to warn anyone", "no me exige advertir a nadie", "threats",
     lambda law, e: law.duty.kind == "none"),
    ("What I may share, and with whom, depends on", "Lo que puedo compartir, y con quién, depende de", "threats",
     lambda law, e: law.duty.kind == "unknown"),
    ("warn the person at risk", "advertir a la persona en riesgo", "threats",
     lambda law, e: law.duty.kind == "none" or (_duty_known(law) and "warn_victim" in _steps(law))),
    ("tell medical staff", "avisar al personal médico", "threats",
     lambda law, e: _duty_known(law) and "notify_medical" in _steps(law)),
    ("tell another person who can help prevent harm", "avisar a otra persona que pueda ayudar a evitar el daño",
     "threats", lambda law, e: _duty_known(law) and "notify_others" in _steps(law)),
    ("help arrange a hospital stay", "ayudar a organizar una estadía en el hospital", "threats",
     lambda law, e: _duty_known(law) and "hospitalization" in _steps(law)),
    ("stated plainly", "dicha con claridad", "threats",
     lambda law, e: _duty_known(law) and "explicit" in law.duty.threat_terms),
    ("made against a person who is clearly identified", "contra una persona claramente identificada", "threats",
     lambda law, e: _duty_known(law) and "clearly_identified" in law.duty.threat_terms),
    ("seem to mean it and be able to carry it out", "parece que usted quiere y puede cumplir", "threats",
     lambda law, e: _duty_known(law) and "intent_and_ability" in law.duty.threat_terms),
    ("If you make a serious threat to hurt someone, the law requires me to act to protect them.",
     "Si usted hace una amenaza seria de hacerle daño a alguien, la ley me exige actuar para proteger a esa persona.",
     "short", lambda law, e: law.duty.kind == "mandatory" and law.duty.framing == "duty"
     and law.duty.trigger != "serious_risk_identifiable_victim"),
    ("even without a threat, the law requires me to act to protect them", "incluso sin una amenaza, la ley me exige",
     "short", lambda law, e: law.duty.kind == "mandatory" and law.duty.framing == "duty"
     and law.duty.trigger == "serious_risk_identifiable_victim"),
    ("even if you have not made a threat", "aunque usted no haya hecho una amenaza", "threats",
     lambda law, e: law.duty.kind == "mandatory" and law.duty.framing == "duty"
     and law.duty.trigger == "serious_risk_identifiable_victim"),
    # Danger to self: whom the law lets me tell, or a sentence that names no one.
    ("law allows me to share information to keep you safe", "me permite compartir información para que esté a salvo",
     "self", lambda law, e: _self(law) and law.self_harm.kind == "permissive"
     and law.self_harm.condition != "involuntary_exam"),
    ("law requires me to act to keep you safe. I may:", "me exige actuar para que esté a salvo. Puedo:", "self",
     lambda law, e: _self(law) and law.self_harm.kind == "mandatory"),
    ("If you may seriously harm yourself, the law requires me to act", "la ley me exige actuar para protegerle",
     "short", lambda law, e: _self(law) and law.self_harm.kind == "mandatory"),
    ("If you may seriously harm yourself, I may act", "puedo actuar para protegerle", "short",
     lambda law, e: not (_self(law) and law.self_harm.kind == "mandatory")),
    ("tell the police, if you seem to mean to harm yourself", "avisar a la policía, si parece que usted quiere", "self",
     lambda law, e: _self(law) and "law_enforcement_intent_ability" in law.self_harm.may_tell),
    ("ask a hospital to admit you, even if you do not agree", "pedir que un hospital le interne", "self",
     lambda law, e: _self(law) and "hospitalization" in law.self_harm.may_tell),
    ("law lets me start an emergency evaluation", "me permite iniciar una evaluación de emergencia", "self",
     lambda law, e: _self(law) and law.self_harm.kind == "permissive"
     and law.self_harm.condition == "involuntary_exam"),
    ("federal privacy law allows me to share information with people who can help keep you safe",
     "la ley federal de privacidad me permite compartir información con personas que pueden ayudar a protegerle",
     "self", lambda law, e: _self(law) and law.self_harm.kind == "federal_only"),
    ("and you will not accept the treatment you need", "y usted no acepta el tratamiento que necesita", "self",
     lambda law, e: _self(law) and law.self_harm.kind == "permissive"
     and law.self_harm.condition == "refuses_treatment"),
    ("Whom I may tell without your OK depends on", "A quién puedo avisar sin su aprobación depende de", "self",
     lambda law, e: not _self(law)),
    ("contact a family member", "comunicarme con un familiar", "self",
     lambda law, e: _self(law) and "family" in law.self_harm.may_tell),
    ("contact members of your family", "comunicarme con miembros de su familia", "self",
     lambda law, e: _self(law) and "family_members" in law.self_harm.may_tell),
    ("give limited information to a close relative", "dar información limitada a un familiar cercano", "self",
     lambda law, e: _self(law) and "family_on_request" in law.self_harm.may_tell),
    ("call 911 or a crisis team", "llamar al 911 o a un equipo de crisis", "self",
     lambda law, e: _self(law) and "emergency_services" in law.self_harm.may_tell),
    ("tell doctors or hospital staff", "avisar a médicos o al personal del hospital", "self",
     lambda law, e: _self(law) and bool({"medical_personnel", "medical_personnel_emergency"}
                                        & set(law.self_harm.may_tell))),
    ("who treat you in a medical emergency, if you cannot agree yourself or the emergency leaves no time",
     "que le atiendan en una emergencia médica, si usted no puede dar su aprobación o la emergencia no deja", "self",
     lambda law, e: _self(law) and "medical_personnel_emergency" in law.self_harm.may_tell),
    ("tell other mental health professionals", "avisar a otros profesionales de salud mental", "self",
     lambda law, e: _self(law) and "mental_health_personnel" in law.self_harm.may_tell),
    # Records: what the years count from (the last session, or the day each record is made).
    ("years after our last session", "años después de nuestra última sesión", "retention",
     lambda law, e: any(r.counted_from == "last_session" for r in law.records.retention)),
    ("years after it is made", "años a partir de la fecha en que se crea", "retention",
     lambda law, e: any(r.counted_from == "record_made" for r in law.records.retention)),
    # Records: a shorter record some rules keep longer than the full one (Maine's psychologists' treatment summary).
    ("except a short summary of your treatment, which I keep", "salvo un resumen breve de su tratamiento, que guardo",
     "retention",
     lambda law, e: any(r.summary for r in law.records.retention)),
    # Records: how soon a request to see them is answered.
    ("working days.", "días hábiles.", "records",
     lambda law, e: law.access_deadline.kind == "state" and law.access_deadline.unit == "working_days"),
    ("within the time federal and", "dentro del plazo que permiten la ley federal", "records",
     lambda law, e: law.access_deadline.kind == "unknown"),
    # Records: whether a client's own request may be refused on the federal ground of danger.
    ("In rare cases, I may refuse if seeing the record", "En casos poco comunes, puedo negarme", "records",
     lambda law, e: law.access_deadline.refusal == "federal"),
    ("even where federal law would let me refuse", "incluso cuando la ley federal me permitiría negarme", "records",
     lambda law, e: law.access_deadline.refusal == "none"),
    ("Federal law lets me refuse in rare cases", "la ley federal me permite negarme si", "records",
     lambda law, e: law.access_deadline.refusal == "unknown"),
    ("lets me refuse in fewer cases than federal law does", "me permite negarme en menos casos que la ley federal",
     "records", lambda law, e: law.access_deadline.refusal == "narrower"),
    # Adults: who is covered, and a sentence that promises nothing where the kind is unknown.
    ("who has trouble caring for themselves", "tiene dificultades para cuidarse", "elder",
     lambda law, e: _elder_known(law) and law.elder.elder_condition == "impaired" and "elders" in law.elder.covers),
    ("an adult with a disability", "una persona adulta con una discapacidad", "elder",
     lambda law, e: _elder_known(law) and bool({"disabled_adults", "disabled_adults_without_help"}
                                               & set(law.elder.covers))),
    ("has no one able and willing to help", "no tiene a nadie capaz y dispuesto a ayudarle", "elder",
     lambda law, e: _elder_known(law) and "disabled_adults_without_help" in law.elder.covers),
    ("who has no one able to help them", "que no tiene a nadie que le ayude", "short",
     lambda law, e: law.elder.kind in ("mandatory", "permissive", "none")
     and "disabled_adults_without_help" in law.elder.covers),
    ("frail older", "frágil", "short",
     lambda law, e: law.elder.kind != "unknown" and law.elder.elder_condition == "impaired"
     and "elders" in law.elder.covers),
    ("is likely to be abused or neglected", "es probable que sufra abuso o", "elder",
     lambda law, e: law.child.includes_likely),
    ("is likely to be abused or neglected", "es probable que sufra abuso o descuido", "short",
     lambda law, e: law.child.includes_likely),
    ("I have reason to believe they are being abused", "tengo motivos para creer que esa persona sufre", "elder",
     lambda law, e: law.elder.kind == "mandatory" and law.elder.scope in ("in_my_care", "in_my_work")
     and law.elder.threshold == "belief"),
    ("If I have reason to believe that", "Si tengo motivos para creer que", "elder",
     lambda law, e: law.child.threshold == "belief"
     or (law.elder.kind == "mandatory" and law.elder.scope == "any" and law.elder.threshold == "belief")),
    ("I see them in conditions that would likely lead to it", "en condiciones que probablemente lleven a ello", "elder",
     lambda law, e: law.elder.kind == "mandatory" and law.elder.threshold == "knowledge"),
    ("in my work, I examine, counsel or treat", "en mi trabajo, examino, aconsejo o trato a", "elder",
     lambda law, e: law.elder.kind == "mandatory" and law.elder.scope == "in_my_work"),
    ("If I counsel or treat", "Si en mi trabajo aconsejo o trato a", "short",
     lambda law, e: law.elder.kind == "mandatory" and law.elder.scope == "in_my_work"),
    ("If I am responsible for the care of", "Si estoy a cargo del cuidado de", "elder",
     lambda law, e: law.elder.kind == "mandatory" and law.elder.scope == "in_my_care"),
    ("is in my care, I must report it", "está a mi cuidado, debo reportarlo", "short",
     lambda law, e: law.elder.kind == "mandatory" and law.elder.scope == "in_my_care"),
    ("Whether I must or may report the abuse", "Si debo o puedo reportar el abuso", "elder",
     lambda law, e: law.elder.kind == "unknown"),
    ("This applies to what I learn in my work.", "Esto se aplica a lo que sé por mi trabajo.", "elder",
     lambda law, e: law.child.capacity == "professional"),
    ("This applies to what I learn while treating a client.",
     "Esto se aplica a lo que sé mientras atiendo a un cliente.", "elder",
     lambda law, e: law.child.capacity == "treatment"),
    ("This applies to a child I examine, counsel or treat in my work.",
     "Esto se aplica a un niño o niña que examino, aconsejo o trato en mi trabajo.", "elder",
     lambda law, e: law.child.capacity == "child_seen"),
    ("This applies to a child I see in my work.", "Esto se aplica a un niño o niña que veo en mi trabajo.", "short",
     lambda law, e: law.child.capacity == "child_seen"),
    # Minors: what a parent is told and may see, and who signs.
    ("you can start without your parent or guardian knowing",
     "puede empezar sin que su padre, madre o tutor legal lo sepa", "parents",
     _told("no")),
    ("I will not tell your parent or guardian without your OK, unless there is a serious risk",
     "sin su aprobación, a menos que haya un riesgo grave", "parents",
     _told("unless_risk")),
    ("unless it is essential to your life or health", "a menos que sea esencial para su vida o su salud", "parents",
     _told("unless_essential_to_health")),
    ("unless you object and I find a strong reason to refuse", "a menos que usted se oponga y yo encuentre",
     "parents", _minor(lambda law, e: "unless_minor_objects" in _access(law))),
    ("unless I decide it is truly necessary", "a menos que yo decida que es realmente necesario", "parents",
     _told("unless_necessary")),
    ("I may hold back parts that could cause you or someone else serious harm",
     "Puedo retener las partes que podrían causarle a usted o a otra persona un daño grave", "parents",
     _minor(lambda law, e: "full_except_harmful" in _access(law))),
    ("law still lets me tell your parent or guardian", "aun así me permite hablarle de su consejería", "parents",
     _told("discretion", "discretion_unless_harmful")),
    ("even without your OK, unless I believe that would harm you",
     "incluso sin su aprobación, salvo que yo crea que eso", "parents",
     _told("discretion_unless_harmful")),
    ("there is a strong need because you or someone else is likely to be harmed",
     "es muy necesario porque es probable que usted u otra persona sufra daño", "parents",
     _told("unless_risk_told_first")),
    ("a summary of your care, even without your OK", "un resumen de su atención a su padre", "parents",
     _told("summary_unless_harmful")),
    ("I will not tell your parent or guardian on my own", "no se lo diré por mi cuenta a su padre", "parents",
     _told("on_request")),
    ("law lets me decide what your parent or guardian may see", "me permite decidir qué puede ver su padre",
     "parents", _minor(lambda law, e: "clinician_judgment" in _access(law))),
    ("law says your parent or guardian should be involved in it", "su padre, madre o tutor legal debería participar",
     "parents", _told("unless_inappropriate")),
    ("law requires me to tell your parent or guardian about it", "me exige que se lo diga a su padre", "parents",
     _told("yes")),
    ("what your parent or guardian may learn depends on", "lo que su padre, madre o tutor legal puede saber depende",
     "parents", _told("unknown", "not_applicable")),
    ("gives your parent or guardian a right to see your records",
     "le da a su padre, madre o tutor legal el derecho a ver su expediente", "parents",
     _minor(lambda law, e: bool(_access(law) & {"full", "full_except_harmful"}))),
    ("can get some information, but not your whole record", "puede recibir alguna información, pero no todo su",
     "parents", _minor(lambda law, e: "limited" in _access(law))),
    ("lets you decide who may see your records", "le permite decidir quién puede ver su expediente", "parents",
     _minor(lambda law, e: "minor_controls" in _access(law))),
    ("may see in your records depends on", "puede ver en su expediente depende", "parents",
     _minor(lambda law, e: "unknown" in _access(law))),
    ("I will not share the details of what you tell me", "No compartiré los detalles de lo que me cuente", "parents",
     _minor(lambda law, e: bool(_access(law) & {"limited", "minor_controls"}))),
    # After a client's death: who decides about the records (a minor's own value in the minor edition).
    ("your parent or guardian makes decisions about your records",
     "su padre, madre o tutor legal tomará las decisiones sobre su expediente", "death",
     lambda law, e: _after(law, e) == "parent_or_guardian"),
    ("the person the law puts in charge of your affairs", "Si usted muere, la persona que quede a cargo de sus asuntos",
     "death", lambda law, e: e == "minor" and _after(law, e).startswith("personal_representative")),
    ("such as the executor of your will", "Por ejemplo, el albacea de su testamento", "death",
     lambda law, e: e != "minor" and _after(law, e).startswith("personal_representative")),
    ("a close family member may make these decisions", "un familiar cercano puede tomar estas decisiones", "death",
     lambda law, e: _after(law, e) in ("personal_representative_or_family",
                                       "personal_representative_family_or_beneficiary")),
    ("a beneficiary of your life or health insurance", "un beneficiario de su seguro de vida o de salud", "death",
     lambda law, e: _after(law, e) in ("personal_representative_or_beneficiary",
                                       "personal_representative_family_or_beneficiary")),
    # Relatives with their own right to a copy of a deceased client's records (a minor's own list in that edition).
    ("the right to get a copy of your records", "el derecho a obtener una copia del expediente que tengo sobre usted",
     "death",
     lambda law, e: bool(law.after_death.copies(e == "minor"))),
    ("your husband or wife", "su esposo o esposa", "death",
     lambda law, e: "spouse" in law.after_death.copies(e == "minor")),
    ("your parents", "sus padres", "death",
     lambda law, e: "parents" in law.after_death.copies(e == "minor")),
    ("your children", "sus hijos", "death",
     lambda law, e: "children" in law.after_death.copies(e == "minor")),
    ("Who makes decisions about your records after your death depends on",
     "Quién toma las decisiones sobre su expediente después de su muerte depende", "death",
     lambda law, e: _after(law, e) == "unknown"),
    ("signs alone", "firma sola", "signatures",
     _minor(lambda law, e: law.minors.parent_signs == "when_parent_consents")),
    ("(if needed for a client under", "(si hace falta, para un cliente menor de", "signatures",
     _minor(lambda law, e: law.minors.parent_signs == "unknown")),
]
# Sentences no form may print any more: each once stood where the data was silent.
NEVER = {
    "en": ["I will tell your parent or guardian general things", "tell others who can help prevent harm",
           "some not yet verified", "as the law allows or requires",
           "I might call 988 or 911", "I will tell the people who need to know"],
    "es": ["Le diré a su padre, madre o tutor legal cosas generales",
           "avisar a otras personas que puedan ayudar a evitar el daño", "algunas aún sin verificar",
           "según lo permita o lo exija la ley", "se lo diré a las personas que necesitan saberlo"],
}


def without_state_notes(page: str) -> str:
    """A rendered form without the states' own notes (their wording is checked by must/may parity instead)."""
    return re.sub(r'<p class="state-note">.*?</p>', " ", page, flags=re.S)


def section(text: str, language: str, name: str) -> str:
    """The words of one section of a form's text ('' when the form has no such section)."""
    start, end = SECTIONS[language][name]
    if start not in text:
        return ""
    return text.split(start, 1)[1].split(end, 1)[0]


def check_form(text: str, law: Law, edition: str, language: str, where: str) -> None:
    """Every row's words are in its section exactly when the law calls for them; no retired sentence prints."""
    index = 0 if language == "en" else 1
    for row in ROWS:
        words, part, wanted = row[index], row[2], row[3]
        shown = words in section(text, language, part)
        assert shown == wanted(law, edition), (where, language, words, "printed" if shown else "missing")
    for words in NEVER[language]:
        assert words not in text, (where, language, words)
