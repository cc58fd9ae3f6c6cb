"""Nothing lost, nothing written where it does not belong (issue 22; redteam.md of 2026-12-06).

Each test reproduces one finding: a client's copy replaced or moved (O14, O15, O16, B2), files moved or
written outside the output folder (B1, B4, B5), and a failed row's good forms set aside (normal use).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pypdf
import pytest
from consentgen import RenderOptions
from consentgen.batch import run_batch
from consentgen.errors import OutputError
from consentgen.files.protect import check_replaceable, protected_reason
from consentgen.inputs.answers import read_practice
from consentgen.pipeline import generate

from .conftest import EXAMPLES
from .test_batch import CLINIC, write

TODAY = dt.date(2026, 11, 22)
ROSTER = "name,credentials,profession,license\nDana Whitfield,PhD,psychologist,PSY 31415\nGrace Kim,LCSW,lcsw,LCSW 8\n"
HTML = RenderOptions(format="html")
# The same clinicians with new license numbers: every form changes, so a run with it replaces them all (the
# same roster again would leave every form as it was).
RELICENSED = ROSTER.replace("PSY 31415", "PSY 31416").replace("LCSW 8\n", "LCSW 9\n")


_MADE: list[bytes] = []  # the form, rendered once for this module (a PDF render is the slow part of these tests)


def _form(tmp_path, name="form.pdf"):
    """A form consentgen made, as it wrote it: rendered once, then written and remembered as ``generate`` does."""
    from consentgen.files.made import remember

    path = tmp_path / name
    if not _MADE:
        generate(read_practice(EXAMPLES[0]), path, RenderOptions(client_type="individual"), today=TODAY)
        _MADE.append(path.read_bytes())
        return path
    path.write_bytes(_MADE[0])
    remember(_MADE[0])
    return path


def _filled(path):
    writer = pypdf.PdfWriter(clone_from=str(path))
    writer.update_page_form_field_values(None, {"client_name": "Jane Client"}, auto_regenerate=False)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_an_untouched_form_consentgen_made_is_replaced_and_anything_else_is_not(tmp_path):
    path = _form(tmp_path)
    assert protected_reason(path) is None  # byte-identical to what consentgen wrote
    path.write_bytes(path.read_bytes() + b"\n")  # one byte more: a changed copy
    assert "changed after consentgen made it" in protected_reason(path)
    other = tmp_path / "notes.html"
    other.write_text("<p>my notes</p>")
    assert "was not made by consentgen" in protected_reason(other)
    with pytest.raises(OutputError, match="not replaced"):
        check_replaceable(other, force=False)
    check_replaceable(other, force=True)
    same = b"<p>same bytes</p>"
    other.write_bytes(same)
    assert protected_reason(other, new=same) is None  # identical to what is about to be written


def test_o14_a_filled_copy_behind_a_byte_order_mark_is_not_replaced(tmp_path):
    path = _form(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + _filled(path))
    assert "filled-in field (client_name)" in protected_reason(path)
    path.write_bytes(b"\r\n" + _filled(_form(tmp_path, "b.pdf")))
    assert protected_reason(path)


def test_o15_a_copy_signed_with_annotations_and_saved_whole_is_not_replaced(tmp_path):
    path = _form(tmp_path)
    writer = pypdf.PdfWriter(clone_from=str(path))
    from pypdf.annotations import FreeText

    writer.add_annotation(page_number=len(writer.pages) - 1,
                          annotation=FreeText(text="Jane Client", rect=(50, 50, 200, 80)))
    buffer = io.BytesIO()
    writer.write(buffer)  # a full rewrite: one %%EOF, no filled field
    path.write_bytes(buffer.getvalue())
    assert "notes or a signature drawn on it (FreeText)" in protected_reason(path)


def test_o16_a_flattened_copy_is_not_replaced(tmp_path):
    path = _form(tmp_path)
    writer = pypdf.PdfWriter(clone_from=str(path))
    writer.flatten = True
    for page in writer.pages:  # fields removed, /Creator kept: what a viewer's "flatten" saves
        if "/Annots" in page:
            del page["/Annots"]
    if "/AcroForm" in writer._root_object:
        del writer._root_object["/AcroForm"]
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    assert protected_reason(path)


def _batch(tmp_path, roster_text=ROSTER, out=None, day=TODAY, name="roster.csv"):
    out = out or tmp_path / "out"
    return out, run_batch(CLINIC, write(tmp_path, roster_text, name), out, today=day, jobs=1, options=HTML)


def test_b1_a_planted_manifest_moves_nothing_from_outside_the_folder(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.docx").write_text("thesis")
    out = tmp_path / "forms"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"forms": [
        {"file": "../victim/thesis.docx"}, {"file": str(victim / "thesis.docx")}, {"file": "a/../../victim/x"}]}))
    _batch(tmp_path, out=out)
    assert (victim / "thesis.docx").read_text() == "thesis"
    assert not (out / "superseded").exists() and not (tmp_path / "victim" / "superseded").exists()


def test_b2_a_client_copy_left_in_place_is_never_moved_over_another(tmp_path):
    out, _ = _batch(tmp_path)
    jane = out / "dana-whitfield" / "individual.html"
    jane.write_text("Jane Client (signed copy)")
    earlier = out / "superseded" / "dana-whitfield" / "individual.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("John Earlier Client")
    _, result = _batch(tmp_path, "name,credentials,profession,license\nGrace Kim,LCSW,lcsw,LCSW 8\n", out,
                       name="r2.csv")
    assert jane.read_text() == "Jane Client (signed copy)"  # left in place: not made by consentgen
    assert earlier.read_text() == "John Earlier Client"
    assert any("left in place" in line for line in result.notices)
    kept = [f for f in json.loads((out / "manifest.json").read_text())["forms"] if f["status"] == "kept"]
    assert "dana-whitfield/individual.html" in {f["file"] for f in kept}
    # an unchanged form of Dana's was set aside, beside the older one, never over it
    assert (out / "superseded" / "dana-whitfield" / "couple_family.html").is_file()


def test_set_aside_forms_never_overwrite_what_is_in_superseded(tmp_path):
    out, _ = _batch(tmp_path)
    old = out / "superseded" / "grace-kim" / "individual.html"
    old.parent.mkdir(parents=True)
    old.write_text("an older set-aside form")
    _batch(tmp_path, "name,credentials,profession,license\nDana Whitfield,PhD,psychologist,PSY 31415\n", out,
           name="r2.csv")
    assert old.read_text() == "an older set-aside form"
    assert (out / "superseded" / "grace-kim" / "individual (2).html").is_file()


def test_b4_a_superseded_link_takes_nothing_outside_the_folder(tmp_path):
    out, _ = _batch(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "superseded").symlink_to(elsewhere)
    _, result = _batch(tmp_path, "name,credentials,profession,license\nDana Whitfield,PhD,psychologist,PSY 31415\n",
                       out, name="r2.csv")
    assert list(elsewhere.iterdir()) == []
    assert (out / "grace-kim" / "individual.html").is_file()  # left where it was, and said so
    assert any("superseded" in line and "link" in line for line in result.notices)


def test_b5_a_clinician_folder_that_is_a_link_is_not_written_through(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    (private / "individual.html").write_text("private")
    (out / "dana-whitfield").symlink_to(private)
    _, result = _batch(tmp_path, out=out)
    assert (private / "individual.html").read_text() == "private" and len(list(private.iterdir())) == 1
    assert any("dana-whitfield" in line and "link" in line for line in result.failed)
    assert (out / "grace-kim" / "individual.html").is_file()  # the other row still written


def test_a_failed_row_keeps_its_earlier_forms_in_place_marked_not_refreshed(tmp_path):
    out, first = _batch(tmp_path)
    dana = out / "dana-whitfield" / "individual.html"
    before = dana.read_bytes()
    typo = ROSTER.replace("Grace Kim,LCSW,lcsw", "Grace Kim,LCSW,LSCW").replace("Dana Whitfield", "Dana Whitfield")
    typo = typo.replace("psychologist,PSY 31415", "psychologsit,PSY 31415")
    _, result = _batch(tmp_path, typo, out, day=TODAY + dt.timedelta(days=1), name="typo.csv")
    assert dana.read_bytes() == before and not (out / "superseded").exists()
    forms = json.loads((out / "manifest.json").read_text())["forms"]
    assert {f["status"] for f in forms if f["file"].startswith("dana-whitfield/")} == {"not refreshed"}
    assert result.failures and len(result.kept) == 4


def test_a_missing_translation_stops_only_its_language(tmp_path, monkeypatch):
    from consentgen.law import translations

    out, _ = _batch(tmp_path, ROSTER.replace("name,credentials,profession,license",
                                             "name,credentials,profession,license,language").replace(
        "31415\n", "31415,\"en,es\"\n").replace("LCSW 8\n", "LCSW 8,en\n"), name="bilingual.csv")
    english = (out / "dana-whitfield" / "individual.html").read_bytes()
    real = translations.Translator.__call__

    def broken(self, key, english_text):
        if self.language == "es":
            from consentgen.errors import DataFileError, Problem

            raise DataFileError("jurisdictions/locale/es/US-CA.yaml", [Problem(key, "stale")])
        return real(self, key, english_text)

    monkeypatch.setattr(translations.Translator, "__call__", broken)
    _, result = _batch(tmp_path, "name,credentials,profession,license,language\n"
                                 "Dana Whitfield,PhD,psychologist,PSY 31415,\"en,es\"\nGrace Kim,LCSW,lcsw,LCSW 8,en\n",
                       out, day=TODAY + dt.timedelta(days=1), name="b2.csv")
    assert (out / "dana-whitfield" / "individual.html").read_bytes() == english  # the same page: left as it was
    assert (out / "dana-whitfield" / "individual-es.html").is_file()  # the Spanish kept in place
    statuses = {f["file"]: f["status"] for f in json.loads((out / "manifest.json").read_text())["forms"]}
    assert statuses["dana-whitfield/individual.html"] == "unchanged"
    assert statuses["dana-whitfield/individual-es.html"] == "not refreshed"
    assert result.failures


def test_the_list_of_what_consentgen_made_lives_in_the_state_folder(tmp_path):
    from consentgen.files import made
    from consentgen.files.output import write_atomic

    write_atomic(tmp_path / "form.html", b"<p>made here</p>")  # this test's own file, whatever ran before it
    assert str(made.state_dir()) == os.environ["CONSENTGEN_STATE_DIR"]
    assert (made.state_dir() / "made.txt").is_file()
    assert made.digest(b"<p>made here</p>") in made.known()


def test_b20_a_header_of_many_duplicate_columns_is_refused_quickly(tmp_path):
    from consentgen.errors import DataFileError
    from consentgen.inputs.roster import read_roster

    path = tmp_path / "dupes.csv"
    path.write_text("credentials,profession,license," + ",".join(["name"] * 200_000) + "\n")
    with pytest.raises(DataFileError, match="name"):  # the duplicate check was quadratic: this hung for minutes
        read_roster(path)


def test_b22_a_malformed_earlier_manifest_is_ignored(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"forms": 5}')
    _, result = _batch(tmp_path, out=out)
    assert result.written and not result.failures
    (out / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    _, result = _batch(tmp_path, out=out, name="r2.csv")
    assert result.written


# The red team's attacks on the list and the moves (2026-12-07, after the first fixes).

def _state(tmp_path, monkeypatch):
    folder = tmp_path / "state"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("CONSENTGEN_STATE_DIR", str(folder))
    return folder


def test_p1_p2_a_list_that_is_a_device_pipe_or_huge_file_is_ignored(tmp_path, monkeypatch):
    from consentgen.files import made

    folder = _state(tmp_path, monkeypatch)
    (folder / "made.txt").symlink_to("/dev/zero")
    assert made.known() == set()
    made.remember(b"x")  # neither hangs nor follows the link
    (folder / "made.txt").unlink()
    os.mkfifo(folder / "made.txt")
    assert made.known() == set()
    made.remember(b"x")  # O_NONBLOCK: no hang on a pipe
    (folder / "made.txt").unlink()
    with open(folder / "made.txt", "wb") as handle:
        handle.truncate(1 << 30)  # a 1 GB sparse file: only the newest part is read
    assert made.known() == set()


def test_p3_trimming_never_writes_through_a_planted_link(tmp_path, monkeypatch):
    from consentgen.files import made

    folder = _state(tmp_path, monkeypatch)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (folder / "made.tmp").symlink_to(victim)
    (folder / "made.txt").write_text("".join(f"{i:064x} 1\n" for i in range(made.KEEP + 10)))
    made.remember(b"new form")
    assert victim.read_text() == "precious"
    assert not (folder / "made.txt").is_symlink() and made.digest(b"new form") in made.known()
    (folder / "made.txt").unlink()
    (folder / "made.txt").symlink_to(victim)  # appending through a link is refused too
    made.remember(b"another")
    assert victim.read_text() == "precious"


def test_p6_a_list_in_a_folder_others_can_write_is_not_trusted(tmp_path, monkeypatch):
    from consentgen.files import made

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("CONSENTGEN_STATE_DIR", str(shared))
    path = tmp_path / "signed.pdf"
    path.write_bytes(b"%PDF-1.7 a client's signed copy")
    (shared / "made.txt").write_text(f"{made.digest(path.read_bytes())} 1\n")
    assert made.known() == set() and protected_reason(path)


def test_p4_a_copy_saved_over_the_target_after_the_check_is_still_kept(tmp_path):
    from consentgen.files.output import write_atomic
    from consentgen.files.protect import guard_for

    path = _form(tmp_path)
    new = b"%PDF-1.7 the new form"
    check_replaceable(path, force=False, new=new)  # passes: the file is consentgen's own
    path.write_bytes(path.read_bytes() + b"% signature: Jane Client\n")  # a viewer saves in the meantime
    with pytest.raises(OutputError, match="not replaced"):
        write_atomic(path, new, guard_for(new))
    assert path.read_bytes().endswith(b"Jane Client\n")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cg-")]  # nothing left aside


def test_p5_batch_checks_each_form_again_as_it_moves_it_in(tmp_path, monkeypatch):
    from consentgen.batch import run

    out, _ = _batch(tmp_path)
    target = out / "dana-whitfield" / "individual.html"
    real = run.keep_protected

    def then_a_client_saves(plan, staged, result, force, hashes):  # the copy arrives after the first check
        kept = real(plan, staged, result, force, hashes)
        target.write_text("Jane Client (signed copy)")
        return kept

    monkeypatch.setattr(run, "keep_protected", then_a_client_saves)
    _, result = _batch(tmp_path, RELICENSED, out=out, name="r2.csv")
    assert target.read_text() == "Jane Client (signed copy)"
    assert any("dana-whitfield/individual.html" in line and "not replaced" in line for line in result.failed)
    assert json.loads((out / "manifest.json").read_text())["forms"]  # the run finished, with its manifest


def test_b2_b4_a_folder_in_the_way_or_a_link_in_superseded_fails_only_its_files(tmp_path):
    out, _ = _batch(tmp_path)
    (out / "grace-kim" / "individual.html").unlink()
    (out / "grace-kim" / "individual.html").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "superseded").mkdir()
    (out / "superseded" / "dana-whitfield").symlink_to(outside)
    _, result = _batch(tmp_path, "name,credentials,profession,license\nGrace Kim,LCSW,lcsw,LCSW 8\n", out,
                       name="r2.csv")
    assert list(outside.iterdir()) == []
    assert (out / "manifest.json").is_file() and (out / "grace-kim" / "couple_family.html").is_file()
    assert any("grace-kim/individual.html" in line for line in result.failed)
    assert (out / "dana-whitfield" / "individual.html").is_file()  # not set aside through the link


def test_b5_a_second_batch_into_the_same_folder_is_refused_at_once(tmp_path):
    import fcntl

    out, _ = _batch(tmp_path)
    with open(out / ".cg-batch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(OutputError, match="another batch is writing into this folder"):
            _batch(tmp_path, out=out, name="r2.csv")
    assert (out / "manifest.json").is_file()


def test_b10_b11_b14_b17_names_that_collide_or_are_reserved(tmp_path):
    from consentgen.batch import slug

    assert slug("Superseded") == "superseded-clinician" and slug("CON") == "con-clinician"  # B14, B11
    assert slug("Com1") == "com1-clinician" and slug("Dana") == "dana"
    roster = ("name,credentials,profession,license\nAnn Lee PSY 2,PhD,psychologist,X 9\n"
              "Ann Lee,PhD,psychologist,PSY 1\nAnn Lee,LCSW,social_worker,PSY 2\n\"Ann\nLee\",PhD,psychologist,Z 1\n")
    _, result = _batch(tmp_path, roster, name="c2.csv")
    text = "\n".join(result.failed)
    assert "same name and license" not in text and "a different clinician" in text  # B10: the true reason
    assert all("Ann\nLee" not in line for line in result.failed)  # B17: no cell starts a new output line


def _snapshot(folder):
    """Every file under ``folder`` with its bytes (what a user would find there)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Grace Kim is in both rosters, with a new license number here: her forms change, so this run replaces them.
OTHERS = ("name,credentials,profession,license\nGrace Kim,LCSW,lcsw,LCSW 88\nAmir Haddad,LPC,lpc,LPC 77\n"
          "Rosa Diaz,LMFT,lmft,LMFT 90\nLee Park,PhD,psychologist,PSY 4\n")


@pytest.mark.parametrize(("where", "after"), [
    ("consentgen.files.output.os.link", 3),  # B7: while the new forms are moved in
    ("consentgen.files.moves.os.link", 1),  # while earlier forms are set aside
    ("consentgen.files.moves.os.rename", 12),  # while the new manifest is moved in (the last renames)
])
def test_b7_a_full_disk_at_any_step_leaves_the_folder_as_it_was(tmp_path, monkeypatch, where, after):
    out, _ = _batch(tmp_path)
    before = _snapshot(out)
    real = __import__("os").link if where.endswith("link") else __import__("os").rename
    calls = {"n": 0}

    def full_disk(*args, **kwargs):  # the disk fills at that step (putting things back needs no room)
        calls["n"] += 1
        if calls["n"] == after + 1:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(where, full_disk)
    with pytest.raises(OutputError, match="No space left on device.*nothing in .* was changed"):
        _batch(tmp_path, OTHERS, out, name="r2.csv")
    monkeypatch.undo()
    assert calls["n"] > after, "the failure was never reached"
    assert _snapshot(out) == before
    assert not (out / ".cg-staging").exists() and not list(out.rglob(".cg-aside-*"))
    _, result = _batch(tmp_path, OTHERS, out, name="r2.csv")  # with room again, the run completes
    assert {f["file"].split("/")[0] for f in result.written} == {"grace-kim", "amir-haddad", "rosa-diaz", "lee-park"}


def test_b7_if_even_putting_back_fails_every_earlier_file_is_still_in_the_folder_and_named(tmp_path, monkeypatch):
    """The worst case: the disk refuses the undo too. Nothing is deleted: the message names where each
    earlier file is kept, and the staging folder that holds some of them stays."""
    out, _ = _batch(tmp_path)
    before_named = _snapshot(out)
    before = set(before_named.values())
    real = __import__("os").rename
    calls = {"n": 0}

    def full_disk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 12:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr("consentgen.files.moves.os.rename", full_disk)
    with pytest.raises(OutputError, match="could not be put back.*it is kept as") as info:
        _batch(tmp_path, OTHERS, out, name="r2.csv")
    monkeypatch.undo()
    assert before <= set(_snapshot(out).values())  # every earlier file's bytes are still in the folder
    assert (out / ".cg-staging" / "replaced").is_dir() and ".cg-staging" in info.value.message
    _, result = _batch(tmp_path, OTHERS, out, name="r3.csv")  # the next run puts them back first (its journal)
    assert any("its changes were undone first" in line for line in result.notices)
    forms = {data for name, data in before_named.items() if name.startswith("dana-whitfield/")}
    assert forms <= set(_snapshot(out).values())  # the earlier forms: put back, then set aside by the new run
    # (Grace Kim's earlier forms were replaced by her new ones: her license changed, see OTHERS)
    assert not (out / ".cg-staging").exists()


def test_r5_b1_ctrl_c_while_forms_are_moved_in_undoes_every_move(tmp_path, monkeypatch):
    """Red team round 5, B1: a real SIGINT in the middle of the move-in is held until the current step
    ends, then every move is undone and the run says so truthfully."""
    import signal

    from consentgen.errors import WizardAborted
    from consentgen.files import moves

    out, _ = _batch(tmp_path)
    before = _snapshot(out)
    real = moves.install
    calls = {"n": 0}

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C here
        return real(*args, **kwargs)

    monkeypatch.setattr(moves, "install", interrupted)
    with pytest.raises(WizardAborted, match="Cancelled; nothing in .* was changed"):
        _batch(tmp_path, OTHERS, out, name="r2.csv")
    assert calls["n"] >= 3 and _snapshot(out) == before
    assert not list(out.rglob(".cg-aside-*")) and not (out / ".cg-staging").exists()


@pytest.mark.slow
def test_r5_b2_a_run_killed_outright_is_undone_by_the_next_one(tmp_path):
    """Red team round 5, B2: kill -9 in the middle of the move-in leaves a journal; the next run puts every
    earlier file back before it starts, and says so."""
    import subprocess
    import sys
    import textwrap

    from consentgen.batch.folder import clear_staging

    out, _ = _batch(tmp_path)
    before = _snapshot(out)
    roster = write(tmp_path, OTHERS, "r2.csv")
    script = textwrap.dedent(f"""
        import datetime as dt, os
        from consentgen import RenderOptions
        from consentgen.batch import run_batch
        from consentgen.files import moves
        real, calls = moves.install, {{"n": 0}}
        def dying(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 4:
                os._exit(9)  # killed outright: no handler, no finally
            return real(*args, **kwargs)
        moves.install = dying
        run_batch({str(CLINIC)!r}, {str(roster)!r}, {str(out)!r}, today=dt.date(2026, 11, 22), jobs=1,
                  options=RenderOptions(format="html"))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env={**os.environ})
    assert done.returncode == 9, done.stderr
    assert _snapshot(out) != before  # the killed run left the folder half-changed
    notices = clear_staging(out)
    assert any("its changes were undone first" in line for line in notices)
    assert {k: v for k, v in _snapshot(out).items() if k != ".cg-batch.lock"} == before  # the lock stays: harmless


def test_r5_b6_a_manifest_the_clinic_edited_is_kept_beside_the_new_one(tmp_path):
    out, _ = _batch(tmp_path)
    edited = (out / "manifest.csv").read_text(encoding="utf-8-sig").replace("\r\n", ",my notes\r\n", 1)
    (out / "manifest.csv").write_text(edited, encoding="utf-8")
    _, result = _batch(tmp_path, out=out)
    assert (out / "manifest (edited).csv").read_text(encoding="utf-8") == edited
    assert any("was changed since consentgen wrote it" in line for line in result.notices)


def test_r5_b8_undoing_never_deletes_a_copy_saved_over_a_new_form_during_the_run(tmp_path, monkeypatch):
    from consentgen.files import moves

    out, _ = _batch(tmp_path)
    real = moves.install
    calls = {"n": 0}
    saved = {}

    def client_saves_then_disk_fills(new, target, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            first = saved["target"]
            first.unlink()
            first.write_text("Jane Client (signed copy, saved during the run)")
            raise OSError(28, "No space left on device")
        result = real(new, target, *args, **kwargs)
        saved.setdefault("target", target)
        return result

    monkeypatch.setattr(moves, "install", client_saves_then_disk_fills)
    with pytest.raises(OutputError, match="changed after this run put it there"):
        _batch(tmp_path, RELICENSED, out=out)
    assert saved["target"].read_text() == "Jane Client (signed copy, saved during the run)"


def test_r5_b7_a_lock_on_a_removed_lock_file_is_not_a_lock(tmp_path, monkeypatch):
    """Red team round 5, B7: a run that locked a lock file another run had just removed must not think it
    holds the folder; it locks the file that is there."""
    import fcntl

    from consentgen.batch import folder

    out = tmp_path / "out"
    out.mkdir()
    stale = tmp_path / "removed-lock"
    real_open = os.open
    calls = {"n": 0}

    def first_one_stale(path, *args, **kwargs):
        calls["n"] += 1
        return real_open(stale if calls["n"] == 1 else path, *args, **kwargs)

    monkeypatch.setattr(folder.os, "open", first_one_stale)
    with folder.locked(out):
        monkeypatch.undo()
        other = os.open(out / folder.LOCK, os.O_RDWR)
        with pytest.raises(OSError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the real lock file is the one held
        os.close(other)
    assert calls["n"] == 2


@pytest.mark.slow
def test_r5_b3_ctrl_c_from_a_terminal_during_rendering_ends_the_run_and_its_workers(tmp_path):
    """Round 5, B3: a terminal sends Ctrl-C to the whole process group; the workers ignore it, the main
    process stops them, the run says "Cancelled" and leaves nothing behind (no worker, no staging)."""
    import signal
    import subprocess
    import sys
    import time

    rows = "".join(f"Clinician {chr(65 + i)} Test,PhD,psychologist,PSY {100 + i}\n" for i in range(16))
    roster = write(tmp_path, "name,credentials,profession,license\n" + rows, "big.csv")
    for attempt in range(3):
        out = tmp_path / f"out{attempt}"
        run = subprocess.Popen([sys.executable, "-m", "consentgen", "batch", str(CLINIC), str(roster), "-o", str(out),
                                "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
        staging = out / ".cg-staging"
        for _ in range(600):  # until the workers have written a first form
            if staging.is_dir() and any(p.suffix == ".pdf" for p in staging.rglob("*")):
                break
            time.sleep(0.05)
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            _, err = run.communicate(timeout=60)  # a hang, not a timing target
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            raise AssertionError("the batch hung after Ctrl-C") from None
        assert run.returncode != 0 and "Cancelled" in err and "Traceback" not in err, err
        for _ in range(100):  # no worker is left running (an exited one is reaped within moments)
            try:
                os.killpg(run.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("a worker of the cancelled batch is still running")
        assert not staging.exists() and not list(out.rglob("*.pdf"))
