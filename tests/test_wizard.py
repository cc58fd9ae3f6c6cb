"""The wizard: scripted answers, real keystrokes through prompt_toolkit pipes, Ctrl-C, no TTY."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from consentgen.errors import WizardAborted
from consentgen.frontends.wizard import CANCELLED, Prompter, ask_practice
from consentgen.inputs.answers import read_practice

from .conftest import EXAMPLES, ROOT

BASE = {
    "practice.name": "Quiet Harbor Counseling", "practice.address": "9 Elm St, Salem, OR 97301",
    "practice.phone": "503-555-0100", "practice.email": "hi@quietharbor.example.com", "practice.website": None,
    "clinician.name": "Jo Park", "clinician.credentials": "LPC", "clinician.profession": "counselor",
    "clinician.license": "C1234", "supervised": False, "jurisdiction": "US-TX",
    "services": ("individual", "minors"),
}


class Scripted:
    """A fake prompter: answers from a dict, a list of review choices, a log of what was asked."""

    def __init__(self, answers, reviews=("save",)):
        self.answers = dict(answers)
        self.reviews = list(reviews)
        self.asked = []

    def ask(self, question, current):
        self.asked.append(question.key)
        value = self.answers.get(question.key, current)
        if isinstance(value, Exception):
            raise value
        return value

    def review(self, summary):
        self.summary = summary
        return self.reviews.pop(0)


def test_scripted_answers_make_a_practice():
    prompter = Scripted(BASE)
    practice = ask_practice(prompter=prompter, echo=lambda s: None)
    assert practice.clinician.name == "Jo Park" and practice.jurisdiction == "US-TX"
    assert practice.services.minors and not practice.services.group
    assert "clinician.supervisor.name" not in prompter.asked
    assert "policies.secrets" not in prompter.asked


def test_supervisor_questions_only_for_supervised_clinicians():
    prompter = Scripted({**BASE, "supervised": True, "clinician.supervisor.name": "Ann Lee",
                         "clinician.supervisor.credentials": "LPC-S", "clinician.supervisor.license": "S555"})
    practice = ask_practice(prompter=prompter, echo=lambda s: None)
    assert practice.clinician.supervisor.name == "Ann Lee"


def test_summary_lets_the_user_change_one_answer_without_starting_over():
    prompter = Scripted(BASE, reviews=["clinician.name", "save"])
    original_ask = prompter.ask

    def ask(question, current):
        if question.key == "clinician.name" and prompter.asked.count("clinician.name") == 1:
            prompter.asked.append(question.key)
            return "Jo Park-Lee"
        return original_ask(question, current)

    prompter.ask = ask
    practice = ask_practice(prompter=prompter, echo=lambda s: None)
    assert practice.clinician.name == "Jo Park-Lee"
    assert prompter.asked.count("practice.name") == 1


def test_turning_on_couples_asks_the_secrets_policy_on_edit():
    prompter = Scripted(BASE, reviews=["services", "save"])
    answers = iter([("individual", "minors"), ("individual", "couples_family")])
    prompter.answers["services"] = None
    original = prompter.ask

    def ask(question, current):
        if question.key == "services":
            prompter.asked.append("services")
            return next(answers)
        if question.key == "policies.secrets":
            prompter.asked.append("policies.secrets")
            return "limited_secrets"
        return original(question, current)

    prompter.ask = ask
    practice = ask_practice(prompter=prompter, echo=lambda s: None)
    assert practice.services.couples_family and practice.policies.secrets == "limited_secrets"


def test_start_from_existing_file_keeps_its_values():
    start = read_practice(EXAMPLES[0])
    prompter = Scripted({}, reviews=["save"])
    practice = ask_practice(start, prompter=prompter, echo=lambda s: None)
    assert practice.practice == start.practice and practice.clinician == start.clinician
    assert practice.services == start.services
    assert prompter.asked == []  # straight to the summary


def test_start_from_file_then_change_one_answer():
    start = read_practice(EXAMPLES[0])
    prompter = Scripted({"clinician.license": "PSY 99999"}, reviews=["clinician.license", "save"])
    practice = ask_practice(start, prompter=prompter, echo=lambda s: None)
    assert practice.clinician.license == "PSY 99999" and prompter.asked == ["clinician.license"]
    assert practice.practice.address == start.practice.address


def test_cancel_from_review_and_interrupts():
    with pytest.raises(WizardAborted, match="nothing was written"):
        ask_practice(prompter=Scripted(BASE, reviews=["cancel"]), echo=lambda s: None)


# Real questionary prompts fed through a prompt_toolkit pipe (keys as a user would type them).

ENTER, DOWN, SPACE, CTRL_C, CTRL_D = "\r", "\x1b[B", " ", "\x03", "\x04"


def run_keys(keys, start=None, timeout=20):
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    result = {}

    def target():
        try:
            with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
                pipe.send_text(keys)
                result["value"] = ask_practice(start, prompter=Prompter(), echo=lambda s: None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "wizard waited for more input (a validator rejected a scripted answer?)"
    return result


def test_real_prompts_with_keystrokes():
    keys = "".join([
        "Quiet Harbor Counseling" + ENTER, "9 Elm St, Salem, OR 97301" + ENTER, "503-555-0100" + ENTER,
        "not-an-email" + "\x7f" * 12 + "hi@quietharbor.example.com" + ENTER,  # invalid first, then fixed
        ENTER,  # no website
        "Jo Park" + ENTER, "LPC" + ENTER,
        ENTER,  # profession: counselor, chosen already from the credentials "LPC"
        "C1234" + ENTER,
        "n" + ENTER,  # not supervised: "n" waits for Enter (the Enter does not fall through to the state)
        "Tex" + ENTER,  # the start of one state's name is enough
        DOWN * 3 + SPACE + ENTER,  # services: individual (pre-checked) + minors
        DOWN + ENTER,  # form language: Spanish
        ENTER,  # no practice details (default no; Texas asks for none)
        ENTER,  # review: save
    ])
    result = run_keys(keys)
    assert "error" not in result, result.get("error")
    practice = result["value"]
    assert practice.practice.email == "hi@quietharbor.example.com"
    assert practice.clinician.profession == "counselor"
    assert practice.jurisdiction == "US-TX"
    assert practice.services.minors and practice.services.individual
    assert practice.form.languages == ("es",) and practice.to_dict()["form"]["language"] == "es"


def test_state_name_is_accepted():
    keys = "".join(["P" + ENTER, "A" + ENTER, "5035550100" + ENTER, "a@b.co" + ENTER, ENTER, "N" + ENTER,
                    "PhD" + ENTER, ENTER, "PSY 1" + ENTER, ENTER, "California" + ENTER, ENTER, ENTER, ENTER, ENTER])
    result = run_keys(keys)
    assert "error" not in result, result.get("error")
    assert result["value"].jurisdiction == "US-CA"


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D])
def test_ctrl_c_and_ctrl_d_cancel(key):
    result = run_keys("Quiet Harbor" + ENTER + key)
    assert isinstance(result.get("error"), WizardAborted)
    assert result["error"].message == CANCELLED


@pytest.mark.slow
def test_new_without_a_terminal_points_to_render(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "consentgen", "new"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, cwd=tmp_path, timeout=30,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2
    assert "consentgen render" in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())


def test_practice_details_are_asked_only_where_the_state_requires_them_or_the_user_wants_them():
    prompter = Scripted(BASE)  # Texas counselor: no state rule asks for them, and the user says no
    ask_practice(prompter=prompter, echo=lambda s: None)
    assert "extras" in prompter.asked and "policies.fees" not in prompter.asked
    oregon = {**BASE, "jurisdiction": "US-OR", "extras": False, "clinician.education": "MA, Portland State",
              "clinician.approach": "CBT", "policies.fees": "$150 a session", "clinician.experience_years": "12"}
    prompter = Scripted(oregon)  # ORS 675.755 asks an LPC for education, approach and fees
    practice = ask_practice(prompter=prompter, echo=lambda s: None)
    assert {"clinician.education", "clinician.approach", "policies.fees"} <= set(prompter.asked)
    assert "policies.cancellation" not in prompter.asked  # not required there, and not wanted
    assert practice.policies.fees == "$150 a session" and practice.clinician.education == "MA, Portland State"
    prompter = Scripted({**BASE, "extras": True, "clinician.experience_years": "8",
                         "policies.cancellation": "24 hours' notice"})
    practice = ask_practice(prompter=prompter, echo=lambda s: None)
    assert practice.clinician.experience_years == 8 and practice.policies.cancellation == "24 hours' notice"
    again = ask_practice(practice, prompter=Scripted({}, reviews=["save"]), echo=lambda s: None)
    assert again.policies == practice.policies and again.clinician == practice.clinician  # --from keeps them


def test_a_spanish_form_asks_the_spanish_of_each_own_text_and_keeps_it():
    """Issue 24: with Spanish among the form languages, each own text asked in English is asked in Spanish
    too, shown at the summary, saved under translations.es, and kept when the file is opened again."""
    answers = {**BASE, "form.language": "en,es", "extras": True, "policies.fees": "$150 a session",
               "clinician.approach": "CBT, with homework",
               "translations.es.policies.fees": "$150 por sesión",
               "translations.es.clinician.approach": "TCC, con tareas"}
    prompter = Scripted(answers)
    practice = ask_practice(prompter=prompter, echo=lambda s: None)
    assert {"translations.es.policies.fees", "translations.es.clinician.approach"} <= set(prompter.asked)
    assert "translations.es.policies.cancellation" not in prompter.asked  # no English text, nothing to translate
    shown = dict(prompter.summary)
    assert shown["translations.es.policies.fees"] == "Fees (Spanish): $150 por sesión"
    assert shown["policies.fees"] == "Fees: $150 a session"  # both, at the summary
    assert practice.translations["es"] == {"policies": {"fees": "$150 por sesión"},
                                           "clinician": {"approach": "TCC, con tareas"}}
    english_only = Scripted({**answers, "form.language": "en"})
    ask_practice(prompter=english_only, echo=lambda s: None)
    assert not [key for key in english_only.asked if key.startswith("translations.")]
    again = ask_practice(practice, prompter=Scripted({}, reviews=["save"]), echo=lambda s: None)
    assert again.translations == practice.translations


def test_the_wizard_helpers_accept_what_a_person_types():
    """Issue 25: a unique start of a state's name, credentials that name one profession, US phone numbers with
    their area code (international ones by their own length)."""
    from consentgen.frontends.questions import _profession_from_credentials, resolve_jurisdiction
    from consentgen.inputs.answers import check_phone

    assert resolve_jurisdiction("Tex") == "US-TX" and resolve_jurisdiction("new") is None  # four states
    assert resolve_jurisdiction("north d") == "US-ND"
    assert _profession_from_credentials("LPC") == "counselor"
    assert _profession_from_credentials("PhD") == "psychologist"
    assert _profession_from_credentials("LCSW, LMFT") is None  # two professions: the person chooses
    for good in ("555-123-4567", "(555) 123-4567", "+1 555 123 4567", "1-555-123-4567", "555-123-4567 ext. 12",
                 "+44 20 7946 0958"):
        assert check_phone(good) is None, good
    for bad in ("555-1234", "123-4567 x2", "+1 555 1234", "55512345678"):
        assert check_phone(bad), bad
