"""consentgen outdated: a form made before a rule changed is found, from a PDF and from a manifest."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
import yaml
from consentgen.files import assets
from consentgen.law import load

from .conftest import EXAMPLES, ROOT
from .test_cli import run


@pytest.fixture
def edited_data(tmp_path, monkeypatch):
    """A copy of the jurisdiction data that the test may edit, used by everything loaded after the call."""
    data = tmp_path / "jurisdictions"
    shutil.copytree(assets.jurisdictions_dir(), data)

    def use() -> None:
        monkeypatch.setattr(load, "jurisdictions_dir", lambda: data)
        load._catalogue.cache_clear()

    yield data, use
    load._catalogue.cache_clear()


def _edit(path, rule, **values):
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data[rule].update(values)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.pdf
def test_a_pdf_made_before_a_rule_change_is_outdated(tmp_path, edited_data):
    data, use = edited_data
    answers = yaml.safe_load(EXAMPLES[0].read_text())
    answers.update(jurisdiction="US-OH", services={"individual": True, "minors": True})
    path = tmp_path / "oh.yaml"
    path.write_text(yaml.safe_dump(answers))
    assert run("render", path, "--for", "minor", "-o", tmp_path / "minor.pdf").returncode == 0
    out = run("outdated", tmp_path / "minor.pdf")
    assert out.returncode == 0 and "current" in out.stdout and "0 of 1" in out.stdout
    _edit(data / "US-OH.yaml", "minors", consent_age=16, verified_on="2026-12-01")
    use()
    out = run("outdated", tmp_path / "minor.pdf")
    assert out.returncode == 5, out.stdout + out.stderr
    assert "OUTDATED" in out.stdout and "US-OH minors' consent: consent age changed (rule verified 2026-12-01)" \
        in out.stdout
    report = json.loads(run("outdated", tmp_path / "minor.pdf", "--json").stdout)
    assert report[0]["outdated"] and report[0]["changes"][0]["rule"] == "US-OH:minors"


def test_a_batch_manifest_names_the_forms_whose_law_changed(tmp_path, edited_data):
    from consentgen import RenderOptions
    from consentgen.batch import run_batch
    from consentgen.outdated import check_outdated

    data, use = edited_data
    roster = tmp_path / "roster.csv"
    roster.write_text("name,credentials,profession,license,jurisdiction\nAnn Lee,PhD,psychologist,PSY 2,US-OH\n"
                      "Bo Chan,LPC,counselor,C 7,US-NY\n")
    out = tmp_path / "out"
    run_batch(ROOT / "examples" / "clinic.yaml", roster, out, RenderOptions(format="html"),
              today=dt.date(2026, 11, 22), jobs=1)
    assert not any(s.outdated for s in check_outdated(out / "manifest.json"))
    _edit(data / "US-OH.yaml", "duty_to_protect", imminent=False)
    use()
    statuses = check_outdated(out / "manifest.json")
    stale = {s.form for s in statuses if s.outdated}
    assert stale and all(name.startswith("ann-lee/") for name in stale)  # New York's forms are unchanged
    assert any("duty to protect: imminent changed" in c.summary() for s in statuses for c in s.changes)


def test_outdated_refuses_files_without_records(tmp_path):
    bad = tmp_path / "manifest.json"
    bad.write_text(json.dumps({"forms": [{"file": "a/b.pdf"}]}))
    out = run("outdated", bad)
    assert out.returncode == 1 and "record: is missing" in out.stderr and "Traceback" not in out.stderr


def _with_record(source, record_bytes, target):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=str(source))
    names = writer._root_object.get("/Names")
    if names is not None and "/EmbeddedFiles" in names:
        del names["/EmbeddedFiles"]
    writer.add_attachment("consentgen-record.json", record_bytes)
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


@pytest.mark.pdf
@pytest.mark.parametrize("record, message", [
    (b"this is not json", "is not JSON"),  # O1
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),  # O2
    (json.dumps({"jurisdiction": "US-CA", "rules": ["a", "b"]}).encode(), "rules: is not an object"),  # O3
    (json.dumps({"jurisdiction": "US-CA", "rules": {"x": "y"}}).encode(), "rules: is not an object"),
    (json.dumps({"jurisdiction": "US", "rules": {}}).encode(), "not a state code"),  # O4
    (json.dumps({"jurisdiction": "US-CA", "profession": "astronaut", "rules": {}}).encode(), "not a profession"),
    (json.dumps({"jurisdiction": "US-CA", "services": "telehealth", "rules": {}}).encode(), "services"),  # O6
    (b"null", "is not an object"),  # O18
])
def test_a_malformed_record_gets_a_message_not_a_traceback(tmp_path, record, message):
    form = tmp_path / "form.pdf"
    assert run("render", EXAMPLES[0], "--for", "individual", "-o", form).returncode == 0
    bad = _with_record(form, record, tmp_path / "bad.pdf")
    out = run("outdated", bad)
    assert out.returncode == 1 and message in out.stderr and "unexpectedly" not in out.stderr, out.stderr


def test_outdated_refuses_devices_pipes_and_huge_files_before_reading_them(tmp_path):
    import os

    (tmp_path / "zero.pdf").symlink_to("/dev/zero")  # O7
    os.mkfifo(tmp_path / "fifo.pdf")  # O9
    with open(tmp_path / "sparse.pdf", "wb") as handle:  # O8: 3 GB, sparse
        handle.write(b"%PDF-1.7\n")
        handle.truncate(3 << 30)
    for name, message in (("zero.pdf", "not a regular file"), ("fifo.pdf", "not a regular file"),
                          ("sparse.pdf", "too large")):
        out = run("outdated", tmp_path / name)
        assert out.returncode == 1 and message in out.stderr, (name, out.stderr)


@pytest.mark.pdf
def test_a_record_in_a_pdf_consentgen_did_not_make_is_not_believed(tmp_path):
    import io

    import pypdf

    form = tmp_path / "form.pdf"
    assert run("render", EXAMPLES[0], "--for", "individual", "-o", form).returncode == 0
    record = pypdf.PdfReader(str(form)).attachments["consentgen-record.json"][0]
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_metadata({"/Creator": "Microsoft Word"})
    writer.add_attachment("consentgen-record.json", record)
    buffer = io.BytesIO()
    writer.write(buffer)
    (tmp_path / "word.pdf").write_bytes(buffer.getvalue())
    out = run("outdated", tmp_path / "word.pdf")
    assert out.returncode == 1 and "cannot be trusted" in out.stderr  # O5


def test_a_large_clinics_manifest_is_read(tmp_path):
    """O13: a manifest over 1 MB (any batch over about 50 clinicians) was refused."""
    form = {"file": "x/individual.pdf", "record": {"jurisdiction": "US-CA", "profession": "psychologist",
                                                    "services": ["individual"], "rules": {}}, "pad": "p" * 20_000}
    (tmp_path / "manifest.json").write_text(json.dumps({"forms": [form] * 100}))
    out = run("outdated", tmp_path / "manifest.json", "--json")
    assert out.returncode in (0, 5) and "too large" not in out.stderr, out.stderr


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_missing_file_is_named_the_same_way_with_or_without_json(tmp_path, capsys, json_flag):
    """O19: `outdated` on a file that is not there says so, in both modes, with the usage-error status."""
    from consentgen.frontends.cli import main

    missing = tmp_path / "gone.pdf"
    assert main(["outdated", str(missing), *json_flag]) == 1
    err = capsys.readouterr().err
    assert f"{missing}: cannot be read (No such file or directory)" in err and "Traceback" not in err


def _clinic_batch(tmp_path, day=dt.date(2026, 11, 22)):
    from consentgen import RenderOptions
    from consentgen.batch import run_batch

    roster = tmp_path / "roster.csv"
    roster.write_text("name,credentials,profession,license,jurisdiction,minors\n"
                      "Ann Lee,PhD,psychologist,PSY 2,US-OH,yes\nBo Chan,LPC,counselor,C 7,US-NY,\n")
    out = tmp_path / "out"
    run_batch(ROOT / "examples" / "clinic.yaml", roster, out, RenderOptions(format="html"), today=day, jobs=1)
    return out, roster


def test_outdated_explains_each_change_with_old_and_new_values_and_the_new_wording(tmp_path, edited_data):
    """Issue 25: per changed rule, the old and new value and the sentence the client will now read; the command
    that makes the forms again; and a plain sentence about clients who already signed."""
    data, use = edited_data
    out, roster = _clinic_batch(tmp_path)
    before = yaml.safe_load((data / "US-OH.yaml").read_text())["minors"]
    _edit(data / "US-OH.yaml", "minors", consent_age=16, verified_on="2026-12-01")
    use()
    done = run("outdated", out / "manifest.json")
    assert done.returncode == 5, done.stderr
    text = done.stdout
    assert f"consent age: {before['consent_age']} -> 16" in text
    now = text.split("The form now says:", 1)[1]
    assert "16" in now.split("\n\n")[0]  # the minor edition's new sentence names the new age
    assert f"consentgen batch {ROOT / 'examples' / 'clinic.yaml'} {roster} -o {out}" in text
    assert "no rule on whether they must sign the new one" in text
    assert text.count("The form now says:") == 1  # one explanation, however many forms share it
    report = json.loads(run("outdated", out / "manifest.json", "--json", "--only-outdated").stdout)
    assert report and all(item["outdated"] for item in report)
    change = report[0]["changes"][0]
    assert change["values"] == [{"field": "consent_age", "old": json.dumps(before["consent_age"]), "new": "16"}]
    assert "16" in change["now_says"] and report[0]["rerender"].startswith("consentgen batch ")


def test_outdated_takes_several_files_and_folders_and_can_list_only_outdated(tmp_path, edited_data):
    data, use = edited_data
    out, _ = _clinic_batch(tmp_path)
    (tmp_path / "second").mkdir()
    other, _ = _clinic_batch(tmp_path / "second")
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "signed.pdf").write_bytes(b"%PDF-1.4 not ours")
    duty = yaml.safe_load((data / "US-NY.yaml").read_text())["duty_to_protect"]
    _edit(data / "US-NY.yaml", "duty_to_protect", imminent=not duty.get("imminent"))
    use()
    done = run("outdated", out, other / "manifest.json", tmp_path / "scans", "--only-outdated")
    assert done.returncode == 5, done.stderr
    listed = [line for line in done.stdout.splitlines() if line.startswith(("OUTDATED", "current"))]
    bo_chan = len(list((out / "bo-chan").glob("*.html")))
    assert len(listed) == 2 * bo_chan and all(line.startswith("OUTDATED  bo-chan/") for line in listed)
    assert "signed.pdf: skipped:" in done.stderr  # a scan in a folder is named, not fatal
    assert "current   ann-lee/" in run("outdated", out).stdout  # without the option, current forms are listed


def test_the_rerender_hint_makes_each_document_type_again_with_its_option(tmp_path):
    """Review of the change (M2): following the hint for a packet made a consent form; the hint now names
    --packet or --document for each document type that is outdated."""
    from consentgen.outdated import rerender_hint

    source = {"clinic": "clinic.yaml", "roster": "roster.csv"}
    manifest = tmp_path / "forms" / "manifest.json"
    made_again = f"consentgen batch clinic.yaml roster.csv -o {manifest.parent}"
    assert rerender_hint(manifest, source, ["packet"]) == f"{made_again} --packet"
    both = rerender_hint(manifest, source, ["consent", "release"])
    assert both == (f"consentgen batch clinic.yaml roster.csv -o {manifest.parent} and "
                    f"consentgen batch clinic.yaml roster.csv -o {manifest.parent} --document release")
    assert rerender_hint(tmp_path / "p.pdf", None, ["packet"]).endswith("-o " + str(tmp_path / "p.pdf") + " --packet")


def test_an_outdated_packet_says_what_its_documents_now_say():
    """Review of the change (L14): 'The form now says' was empty for a packet (its cover has no rule blocks);
    the wording now comes from the documents it binds."""
    from consentgen.outdated import new_wording

    record = {"jurisdiction": "US-TX", "profession": "counselor", "services": ["individual"],
              "client_type": "individual", "language": "en", "document": "packet"}
    said = new_wording(record, {"self_harm", "duty_to_protect"})
    assert "harming yourself" in said["self_harm"] and "threat" in said["duty_to_protect"]


def test_a_form_made_before_a_new_rule_every_edition_cites_is_outdated(tmp_path):
    """A form whose record predates a rule the document now cites in every edition (records after death) is
    reported: the form would now carry a sentence it lacks. A rule only some editions cite is not."""
    from consentgen import RenderOptions
    from consentgen.batch import run_batch
    from consentgen.outdated import check_outdated

    roster = tmp_path / "roster.csv"
    roster.write_text("name,credentials,profession,license,jurisdiction\nAnn Lee,PhD,psychologist,PSY 2,US-OH\n")
    out = tmp_path / "out"
    run_batch(ROOT / "examples" / "clinic.yaml", roster, out, RenderOptions(format="html"),
              today=dt.date(2026, 11, 22), jobs=1)
    manifest = out / "manifest.json"
    data = json.loads(manifest.read_text())
    for form in data["forms"]:  # as made by a version without the rule
        form["record"]["rules"].pop("US-OH:records_after_death")
    manifest.write_text(json.dumps(data))
    statuses = check_outdated(manifest)
    assert statuses and all(s.outdated for s in statuses)
    assert all(any(c.kind == "added" and c.key == "US-OH:records_after_death" for c in s.changes) for s in statuses)
    assert not any(c.key.endswith(":minors") for s in statuses for c in s.changes)
