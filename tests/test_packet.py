"""The first-session packet (issue 26): one PDF per edition binding the consent form, the privacy notice, the good
faith estimate (when the practice sees self-pay clients) and a release, after a table of contents; each document
keeps its own page numbers and its own fields; the command line, the web page and batch make it."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import subprocess
import zipfile

import pytest
import yaml
from consentgen.documents.document import build_document
from consentgen.documents.manifest import load_manifest
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model.options import RenderOptions, form_file_name
from consentgen.pipeline import packet_members

from .conftest import EXAMPLES, ROOT

TODAY = dt.date(2026, 11, 22)


def _practice(valid_answers, **policies):
    answers = copy.deepcopy(valid_answers)
    answers["policies"] = policies
    return parse_practice(answers, "answers")


def _members(practice, client_type=None):
    cover = build_document(practice, rules.load_jurisdiction(practice.jurisdiction), today=TODAY, version="t",
                           options=RenderOptions(document="packet", client_type=client_type))
    return [doc.kind for doc in packet_members(practice, cover, RenderOptions(document="packet"), today=TODAY)]


def test_the_packet_binds_the_documents_its_manifest_names_in_order(valid_answers):
    assert _members(_practice(valid_answers)) == ["consent", "privacy-notice", "good-faith-estimate", "release"]
    assert _members(_practice(valid_answers, self_pay=False)) == ["consent", "privacy-notice", "release"]
    manifest = load_manifest("packet")
    assert manifest.client_types == load_manifest("consent").client_types  # one packet per consent edition
    assert not manifest.signers  # only the packet's documents are signed


def test_a_packet_has_its_own_file_names_beside_the_consent_forms():
    assert form_file_name("minor", "packet", "es", "pdf") == "packet-minor-es.pdf"
    assert form_file_name("minor", "consent", "en", "pdf") == "minor.pdf"
    assert form_file_name(None, "packet", "en", "pdf") == "packet.pdf"


def test_a_packet_cover_says_verified_only_if_every_document_is(valid_answers):
    from consentgen.pipeline import render

    practice = _practice(valid_answers)
    doc, _ = render(practice, RenderOptions(document="packet", format="html"), today=TODAY)
    members = packet_members(practice, doc, RenderOptions(document="packet"), today=TODAY)
    assert [m.kind for m in doc.members] == [m.kind for m in members]
    assert doc.all_verified == all(m.all_verified for m in members)
    assert not doc.all_verified  # some federal rules of the notice and the estimate are not yet confirmed


def _page_texts(path):
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")


@pytest.mark.pdf
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_render_packet_writes_one_bound_pdf_per_edition(example, tmp_path):
    import pypdf

    from .test_cli import run

    out = run("render", str(example), "--packet", "-o", str(tmp_path) + "/")
    assert out.returncode == 0, out.stderr
    made = sorted(tmp_path.glob("packet-*.pdf"))
    practice = yaml.safe_load(example.read_text(encoding="utf-8"))
    assert made and all(p.name.startswith("packet-") for p in made)
    path = made[-1]
    reader = pypdf.PdfReader(str(path))
    pages = _page_texts(path)
    cover = pages[0]
    printed_id = re.findall(r"Wrote (\S+) .*?ID (\w+)\)", out.stdout)
    assert f"ID {dict(printed_id)[str(path)]}" in cover  # the ID the command printed is the one on the cover
    # the cover's table of contents: each document's first page starts its own numbering ("Page 1 of N"),
    # and the last page of each range is its "Page N of N"
    ranges = [(int(a), int(b or a)) for a, b in re.findall(r"\s(\d+)(?:-(\d+))?\s{2,}", cover)]
    assert ranges and ranges[0][0] == 2 and ranges[-1][1] == len(reader.pages)
    for first, last in ranges:
        count = last - first + 1
        assert f"Page 1 of {count}" in pages[first - 1], (path.name, first, last)
        assert f"Page {count} of {count}" in pages[last - 1], (path.name, first, last)
    fields = reader.get_fields()
    assert {name.split("-", 1)[0] for name in fields} <= {"consent", "privacy", "good", "release"}
    assert "consent-client_signature" in fields and "privacy-notice-client_signature" in fields
    assert fields["consent-client_signature"]["/FT"] == "/Sig"
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged
    assert str(root["/AcroForm"].get("/NeedAppearances", False)).lower() == "false"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Notice of Privacy Practices" in titles and len(titles) >= 4
    assert (practice.get("policies") or {}).get("self_pay", True) == any("Good Faith" in t for t in titles)
    checked = run("verify", str(path))
    assert checked.returncode == 0 and checked.stdout.startswith("AS ISSUED"), checked.stdout
    assert "consent-client:" in checked.stdout and "client_birth" not in checked.stdout  # signers, not dates
    current = run("outdated", str(path))
    assert current.returncode == 0 and current.stdout.startswith("current"), current.stdout


@pytest.mark.pdf
def test_a_spanish_packet_and_the_refusals(tmp_path):
    from .test_cli import run

    example = ROOT / "examples" / "ca-solo-psychologist.yaml"
    out = run("render", str(example), "--packet", "--language", "es", "--for", "individual",
              "-o", str(tmp_path / "p.pdf"))
    assert out.returncode == 0, out.stderr
    assert "Sus documentos para la primera sesión" in _page_texts(tmp_path / "p.pdf")[0]
    bad = run("render", str(example), "--packet", "--document", "release", "-o", str(tmp_path) + "/")
    assert bad.returncode == 2 and "--packet" in bad.stderr
    html = run("render", str(example), "--packet", "--for", "individual", "-o", str(tmp_path / "p.html"))
    assert html.returncode != 0 and "one bound PDF" in html.stderr and not (tmp_path / "p.html").exists()


@pytest.mark.pdf
def test_the_web_page_previews_and_downloads_the_packet(tmp_path, monkeypatch):
    from .test_web_round_trip import _client, _files

    monkeypatch.chdir(tmp_path)
    path = _files(tmp_path)
    client = _client(tmp_path)
    opened = client.post("/api/open", content=path.read_bytes()).json()
    body = {"answers": opened["answers"], "base": opened["base"], "document": "packet"}
    preview = client.post("/api/preview", json=body)
    assert preview.status_code == 200, preview.text
    assert 'data-document="privacy-notice"' in preview.json()["html"]
    made = client.post("/api/pdf-all", json=body)
    assert made.status_code == 200, made.text
    names = zipfile.ZipFile(io.BytesIO(made.content)).namelist()
    assert names and all(name.startswith("packet") and name.endswith(".pdf") for name in names)


def _two_clinicians(tmp_path):
    """The example roster's first and last clinicians (two states, two professions): a packet renders four
    documents per edition, so the batch tests keep to two rows."""
    lines = (ROOT / "examples" / "roster.csv").read_text(encoding="utf-8").splitlines()
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join([lines[0], lines[1], lines[-1]]) + "\n", encoding="utf-8")
    return str(ROOT / "examples" / "clinic.yaml"), str(roster)


@pytest.mark.pdf
@pytest.mark.slow
def test_batch_packet_writes_a_packet_per_clinician_and_edition(tmp_path):
    from .test_cli import run

    clinic, roster = _two_clinicians(tmp_path)
    out = run("batch", clinic, roster, "--packet", "-o", str(tmp_path / "forms"))
    assert out.returncode == 0, out.stderr
    made = sorted(p.relative_to(tmp_path / "forms").as_posix() for p in (tmp_path / "forms").rglob("*.pdf"))
    assert len({p.split("/")[0] for p in made}) == 2, made  # a folder per clinician
    assert made and all(p.split("/")[1].startswith("packet-") for p in made)
    again = run("batch", clinic, roster, "--packet", "-o", str(tmp_path / "forms"))
    assert again.returncode == 0 and f"{len(made)} unchanged" in again.stdout, again.stdout


def test_review_of_the_change_a_packet_shows_its_own_id_and_its_fields_are_unique(valid_answers):
    """M5: the ID printed and recorded is the one on the cover and in the PDF's metadata; M7/L9: no two fields of
    a packet share a name (the estimate had two 'client_name' fields, one typed into would fill the other)."""
    from consentgen.pipeline import render
    from consentgen.render import packet

    practice = _practice(valid_answers)
    doc, made = render(practice, RenderOptions(document="packet", format="html"), today=TODAY)
    assert made.fingerprint in made.data.decode("utf-8")  # the preview shows the packet's ID
    pages = [packet._own_fields(packet.render_page(m, RenderOptions().output).html, m.kind) for m in doc.members]
    packet._check_unique(pages)  # raises on a name used twice
    with pytest.raises(Exception, match="two fields named"):
        packet._check_unique([pages[0], pages[0]])


def test_review_of_the_change_the_manifest_review_cell_names_federal_rules(valid_answers):
    """M3: the manifest's review cell was empty ('verified') for a good faith estimate whose federal rules are not."""
    from consentgen.checks.review import review_summary
    from consentgen.pipeline import make_bound_document

    practice = _practice(valid_answers)
    estimate = make_bound_document(practice, RenderOptions(document="good-faith-estimate"), today=TODAY)
    assert "federal good faith estimate" in review_summary(estimate)
    bound = make_bound_document(practice, RenderOptions(document="packet"), today=TODAY)
    cell = review_summary(bound)
    assert "federal privacy notice" in cell and "federal dispute resolution" in cell


def test_the_estimate_prints_and_fills_with_one_fingerprint(valid_answers):
    """A form's ID is the same printed or fillable (the estimate's table used a line the ID did not ignore)."""
    from consentgen.pipeline import render

    practice = _practice(valid_answers)
    ids = {render(practice, RenderOptions(document="good-faith-estimate", format="html", fields=fields),
                  today=TODAY)[1].fingerprint for fields in (True, False)}
    assert len(ids) == 1


@pytest.mark.pdf
@pytest.mark.slow
def test_packets_and_consent_forms_share_a_folder_and_a_dry_run_agrees(tmp_path):
    """H1, M2: a dry run of packets after a packet run says unchanged (it failed with a template error); a plain
    batch and a packet batch in one folder leave each other's files where they are, unchanged run after run."""
    from .test_cli import run

    (clinic, roster), out = _two_clinicians(tmp_path), tmp_path / "f"
    assert run("batch", clinic, roster, "-o", str(out)).returncode == 0
    forms = len(list(out.rglob("*.pdf")))
    assert forms >= 3  # two clinicians, one of them with two editions
    assert run("batch", clinic, roster, "--packet", "-o", str(out)).returncode == 0
    dry = run("batch", clinic, roster, "--packet", "--dry-run", "-o", str(out))
    assert dry.returncode == 0 and f"0 to replace, {forms} unchanged; 0 to set aside" in dry.stdout, dry.stdout
    again = run("batch", clinic, roster, "-o", str(out))
    assert again.returncode == 0 and f"{forms} unchanged" in again.stdout and "superseded" not in again.stdout, \
        again.stdout
    assert len(list(out.rglob("*.pdf"))) == 2 * forms and not (out / "superseded").exists()
