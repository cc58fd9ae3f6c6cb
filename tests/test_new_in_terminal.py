"""`consentgen new` end to end in a real pseudo-terminal, as a user runs it."""

from __future__ import annotations

import os
import pty
import select
import shutil
import sys
import time

import pytest

from .conftest import EXAMPLES, ROOT

pytestmark = [pytest.mark.pdf, pytest.mark.slow]


class Terminal:
    """A child process on a pseudo-terminal, with expect/send helpers and a hard timeout."""

    def __init__(self, args, cwd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.environ["PYTHONPATH"] = str(ROOT)
            os.environ["TERM"] = "xterm"
            os.execv(sys.executable, [sys.executable, "-m", "consentgen", *args])
        self.seen = ""

    def expect(self, text, timeout=30):
        end = time.monotonic() + timeout
        while text not in self.seen:
            if time.monotonic() > end:
                raise AssertionError(f"did not see {text!r}; screen so far:\n{self.seen[-2000:]}")
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        return self

    def send(self, keys):
        os.write(self.fd, keys.encode())
        time.sleep(0.15)
        return self

    def wait(self, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if ready:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
            except OSError:
                pass
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        raise AssertionError("process did not finish:\n" + self.seen[-2000:])


def test_new_from_existing_answers_writes_answers_and_form(tmp_path):
    term = Terminal(["new", "--from", str(EXAMPLES[0]), "--answers", "consentgen.yaml"], tmp_path)
    term.expect("What next?").send("\r")
    term.expect("editions of the form should I make").send("\r")  # both editions are ticked to begin with
    assert term.wait() == 0, term.seen
    assert (tmp_path / "consentgen.yaml").exists()
    assert "date:" in (tmp_path / "consentgen.yaml").read_text()  # the form date is saved
    for edition in ("individual", "couple_family"):  # the example offers two editions
        assert (tmp_path / f"consent-form-{edition}.pdf").read_bytes().startswith(b"%PDF-")
    assert "Saved your answers" in term.seen and "not legal advice" in term.seen


def test_new_never_overwrites_answers_without_asking(tmp_path):
    existing = tmp_path / "consentgen.yaml"
    shutil.copy(EXAMPLES[1], existing)
    before = existing.read_bytes()
    term = Terminal(["new", "--from", str(EXAMPLES[0]), "--answers", "consentgen.yaml"], tmp_path)
    term.expect("What next?").send("\r")
    term.expect("already exists. Replace it?").send("\r")  # default: no
    assert term.wait() == 130
    assert "Cancelled; nothing was written." in term.seen
    assert existing.read_bytes() == before and not (tmp_path / "consent-form.pdf").exists()


def test_ctrl_c_in_the_first_question(tmp_path):
    term = Terminal(["new"], tmp_path)
    term.expect("Practice name").send("Half typed").send("\x03")
    assert term.wait() == 130
    assert "Cancelled; nothing was written." in term.seen
    assert list(tmp_path.iterdir()) == []


def test_new_asks_which_editions_and_makes_only_those(tmp_path):
    term = Terminal(["new", "--from", str(EXAMPLES[0]), "--answers", "a.yaml"], tmp_path)
    term.expect("What next?").send("\r")
    term.expect("Couples and families").send(" ")  # untick the first (individual adults)
    term.send("\r")
    assert term.wait() == 0, term.seen
    assert (tmp_path / "consent-form.pdf").read_bytes().startswith(b"%PDF-")  # one edition: the plain name
    assert not (tmp_path / "consent-form-individual.pdf").exists()
    assert "Re-render any time" in term.seen


def test_new_for_one_edition_does_not_ask(tmp_path):
    term = Terminal(["new", "--from", str(EXAMPLES[0]), "--answers", "a.yaml", "--for", "individual"], tmp_path)
    term.expect("What next?").send("\r")
    assert term.wait() == 0, term.seen
    assert "editions of the form should I make" not in term.seen
    assert (tmp_path / "consent-form.pdf").read_bytes().startswith(b"%PDF-")


def test_new_from_a_file_saves_back_to_it_after_asking_and_asks_before_replacing_a_form(tmp_path):
    answers = tmp_path / "practice.yaml"
    shutil.copy(EXAMPLES[0], answers)
    (tmp_path / "consent-form.pdf").write_bytes(b"an older form")
    term = Terminal(["new", "--from", "practice.yaml", "--for", "individual"], tmp_path)
    term.expect("What next?").send("\r")
    term.expect("practice.yaml already exists. Replace it?").send("y")
    term.expect("consent-form.pdf already exists and may be a client's copy").send("y")  # not made by consentgen
    assert term.wait() == 0, term.seen
    assert "Saved your answers to practice.yaml" in term.seen and "date:" in answers.read_text()
    assert not (tmp_path / "consentgen.yaml").exists()
    assert (tmp_path / "consent-form.pdf").read_bytes().startswith(b"%PDF-")


def test_new_into_a_folder_writes_each_edition_there(tmp_path):
    """`new -o DIR/` (which --help offers) used to ask every question, then fail and save nothing (issue 22)."""
    answers = tmp_path / "practice.yaml"
    shutil.copy(EXAMPLES[0], answers)
    term = Terminal(["new", "--from", "practice.yaml", "--for", "individual", "-o", "forms/", "--force"], tmp_path)
    term.expect("What next?").send("\r")
    assert term.wait() == 0, term.seen
    assert (tmp_path / "forms" / "individual.pdf").read_bytes().startswith(b"%PDF-")
    assert "date:" in answers.read_text()


def test_new_refuses_an_output_it_cannot_write_before_asking_anything(tmp_path):
    term = Terminal(["new", "-o", "form.docx"], tmp_path)
    assert term.wait() != 0
    assert "unknown output type" in term.seen and "questions about your practice" not in term.seen


@pytest.mark.parametrize(("args", "says"), [
    (["--packet", "-o", "papers.html"], "a packet is one bound PDF"),
    (["--packet", "--document", "release"], "--packet binds every document"),
])
def test_new_refuses_a_packet_it_cannot_make_before_asking_anything(tmp_path, args, says):
    """Review of the change (L12): these were refused only after every question had been answered."""
    term = Terminal(["new", *args], tmp_path)
    assert term.wait() != 0
    assert says in term.seen and "questions about your practice" not in term.seen


def test_new_keeps_the_answers_when_the_form_cannot_be_written(tmp_path):
    answers = tmp_path / "practice.yaml"
    shutil.copy(EXAMPLES[0], answers)
    (tmp_path / "taken").write_text("a file where the folder should be")
    term = Terminal(["new", "--from", "practice.yaml", "--answers", "mine.yaml", "--for", "individual",
                     "-o", "taken/forms/"], tmp_path)
    term.expect("What next?").send("\r")
    assert term.wait() == 3, term.seen
    assert "Your answers are saved in mine.yaml" in term.seen and "Traceback" not in term.seen
    assert "date:" in (tmp_path / "mine.yaml").read_text()
