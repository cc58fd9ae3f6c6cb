"""render --certify and verify: a certification signature allows filling in and signing, and flags anything else
(issue 27). Keys and certificates are made in the test; pyHanko is the optional ``sign`` extra."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pypdf
import pytest

from .conftest import EXAMPLES
from .test_cli import run

pytest.importorskip("pyhanko")
pytestmark = pytest.mark.pdf
PASSWORD = "correct horse battery staple"


def _key_and_cert(name: str) -> tuple[object, object]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """The clinician's key as a PKCS#12 file and as an encrypted PEM key with its certificate; a client's key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    folder = tmp_path_factory.mktemp("keys")
    key, cert = _key_and_cert("Jo Park, LPC")
    (folder / "jo.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"jo", key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    (folder / "jo-key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(PASSWORD.encode())))
    (folder / "jo-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    client_key, client_cert = _key_and_cert("Sam Client")
    (folder / "client.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"client", client_key, client_cert, None, serialization.NoEncryption()))
    return folder


def _certified(tmp_path, monkeypatch, keys, *key_args, password=PASSWORD):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    out = tmp_path / "form.pdf"
    done = run("render", EXAMPLES[0], "-o", out, "--for", "individual", *key_args)
    return out, done


@pytest.fixture(scope="module")
def issued(keys, tmp_path_factory):
    """One form certified with jo.p12, rendered once for the module (a render and a signature cost a second or
    more); each test that only reads or edits a copy takes it from here (issue 23: share expensive fixtures)."""
    folder = tmp_path_factory.mktemp("issued")
    with pytest.MonkeyPatch.context() as patch:
        out, done = _certified(folder, patch, keys, "--certify", keys / "jo.p12")
    assert done.returncode == 0, done.stderr
    return out, done


def _copy_of(issued, tmp_path):
    out = tmp_path / "form.pdf"
    out.write_bytes(issued[0].read_bytes())
    return out, issued[1]


def _verdict(path):
    done = run("verify", path, "--json")
    return done.returncode, json.loads(done.stdout)[0]


def _fill_incrementally(path: Path, out: Path, values: dict[str, str]) -> Path:
    """What a viewer does when a client types into the fields and saves: an incremental update that sets the
    fields' values and nothing else."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with path.open("rb") as source:
        writer = IncrementalPdfFileWriter(io.BytesIO(source.read()))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if str(field.get("/T")) in values:
            field["/V"] = generic.TextStringObject(values[str(field["/T"])])
            writer.update_container(field)
    with out.open("wb") as handle:
        writer.write(handle)
    return out


def test_a_certified_form_is_as_issued_and_its_certification_holds(tmp_path, keys, issued):
    out, done = _copy_of(issued, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Certifying with the key of Jo Park, LPC" in done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    status, verdict = _verdict(out)
    assert status == 0 and verdict["pages_as_issued"]
    fingerprint = verdict["certification"].pop("fingerprint")
    assert len(fingerprint) == 16 and fingerprint in done.stderr  # the render said it; compare it with your own
    assert verdict["certification"] == {"holder": "Jo Park, LPC", "intact": True, "trusted": False,
                                        "changes_since": "none", "record_replaced": False, "holds": True}
    assert not verdict["added_fields"]  # the certification's own field is not reported as added
    text = run("verify", out).stdout
    assert "certification: intact, by Jo Park, LPC (a certificate no authority this computer trusts" in text


def test_filling_in_and_signing_keep_the_certification(tmp_path, monkeypatch, keys):
    out, _ = _certified(tmp_path, monkeypatch, keys, "--certify", keys / "jo-key.pem",
                        "--certify-cert", keys / "jo-cert.pem")
    filled = _fill_incrementally(out, tmp_path / "filled.pdf", {"client_typed": "Sam Client",
                                                                "client_date": "12/7/26"})
    status, verdict = _verdict(filled)
    assert status == 0, verdict
    assert verdict["certification"]["holds"] and not verdict["certification"]["record_replaced"]
    assert verdict["signers"][0]["typed_name"] == "Sam Client"

    # the client signs the form's own signature field with a certificate (pyHanko, as a signing app would)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(keys / "client.p12"), passphrase=None)
    signed = tmp_path / "signed.pdf"
    with filled.open("rb") as source, signed.open("wb") as target:
        signers.sign_pdf(IncrementalPdfFileWriter(source, strict=False),
                         signers.PdfSignatureMetadata(field_name="client_signature"), signer=signer, output=target)
    status, verdict = _verdict(signed)
    assert status == 0 and verdict["certification"]["holds"], verdict
    client = next(s for s in verdict["signers"] if s["signer"] == "client")
    assert client["certificate_signature"] and client["certificate_intact"]
    assert "a certificate signature: intact, by Sam Client" in client["how"]


def test_an_edit_after_certifying_breaks_it_and_the_exit_status_says_so(tmp_path, keys, issued):
    out, _ = _copy_of(issued, tmp_path)
    writer = pypdf.PdfWriter(out, incremental=True)  # an editor saving a changed paragraph, incrementally
    page = writer.pages[0]
    content = page.get_contents()
    content.set_data(content.get_data() + b"\nq 1 1 1 rg 50 500 400 40 re f Q")  # white box over a paragraph
    page.replace_contents(content)
    edited = tmp_path / "edited.pdf"
    with edited.open("wb") as handle:
        writer.write(handle)
    status, verdict = _verdict(edited)
    assert status == 7 and not verdict["certification"]["holds"] and verdict["changed_pages"] == [1]

    rewritten = tmp_path / "rewritten.pdf"  # a tool that writes the whole file anew
    pypdf.PdfWriter(clone_from=pypdf.PdfReader(out)).write(rewritten)
    status, verdict = _verdict(rewritten)
    assert status == 7, verdict
    assert verdict["certification"] is None or not verdict["certification"]["holds"]
    assert "CHANGED" in run("verify", rewritten).stdout


def test_a_record_swapped_in_after_certifying_cannot_vouch_for_edited_pages(tmp_path, keys, issued):
    """The page hashes are read as the certification signed them: an edit that also rewrites the attached record
    in a later revision is caught."""
    import hashlib

    out, _ = _copy_of(issued, tmp_path)
    writer = pypdf.PdfWriter(out, incremental=True)
    page = writer.pages[0]
    content = page.get_contents()
    content.set_data(content.get_data() + b"\nq 1 1 1 rg 50 500 400 40 re f Q")
    page.replace_contents(content)
    record = json.loads(pypdf.PdfReader(out).attachments["consentgen-record.json"][0])
    record["pages"][0] = hashlib.sha256(content.get_data()).hexdigest()
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[names.index("consentgen-record.json") + 1].get_object()
    spec["/EF"]["/F"].get_object().set_data(json.dumps(record).encode())
    swapped = tmp_path / "swapped.pdf"
    with swapped.open("wb") as handle:
        writer.write(handle)
    status, verdict = _verdict(swapped)
    # the swapped record matches the edited page, but the record and the page as certified do not
    assert verdict["certification"]["record_replaced"] and not verdict["certification"]["holds"]
    assert not verdict["pages_as_issued"] and verdict["changed_pages"] == [1]
    assert status == 7


def test_edits_a_page_content_hash_misses_break_the_certification(tmp_path, keys, issued):
    """Review H1/H2: text made invisible through a page's resources, and bytes appended after certifying (which
    hide the signature from pyHanko), each break the certification."""
    from pypdf.generic import DictionaryObject, FloatObject, NameObject

    out, _ = _copy_of(issued, tmp_path)
    writer = pypdf.PdfWriter(out, incremental=True)
    resources = writer.pages[0]["/Resources"].get_object()
    states = resources.get("/ExtGState")
    states = states.get_object() if states is not None else DictionaryObject()
    for name in list(states):
        state = states[name].get_object()
        state[NameObject("/ca")] = FloatObject(0)  # every fill transparent: the page's text disappears
        state[NameObject("/CA")] = FloatObject(0)
    invisible = tmp_path / "invisible.pdf"
    with invisible.open("wb") as handle:
        writer.write(handle)
    status, verdict = _verdict(invisible)
    assert status == 7 and not verdict["certification"]["holds"] and 1 in verdict["changed_pages"]

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(out.read_bytes() + b"%" + b"x" * 2048 + b"\n")
    status, verdict = _verdict(junk)
    assert status == 7 and verdict["certification"] is None and verdict["certification_unreadable"]


def test_a_certification_removed_later_is_caught_from_the_record(tmp_path, keys, issued):
    """Review M4: the record says the form was issued certified (and by which key), so a copy rewritten without
    the certification is not taken for an uncertified form."""
    from pypdf.generic import ArrayObject, NameObject

    out, _ = _copy_of(issued, tmp_path)
    record = json.loads(pypdf.PdfReader(out).attachments["consentgen-record.json"][0])
    assert record["certified_by"].startswith("certified by Jo Park, LPC (certificate SHA-256 ")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(out))
    root = writer._root_object
    del root["/Perms"]
    form = root["/AcroForm"]
    form[NameObject("/Fields")] = ArrayObject(
        [f for f in form["/Fields"] if f.get_object().get("/T") != "consentgen_certification"])
    for page in writer.pages:
        if "/Annots" in page:
            page[NameObject("/Annots")] = ArrayObject(
                [a for a in page["/Annots"] if a.get_object().get("/T") != "consentgen_certification"])
    stripped = tmp_path / "stripped.pdf"
    writer.write(stripped)
    status, verdict = _verdict(stripped)
    assert status == 7 and verdict["certification"] is None and verdict["certification_removed"]
    assert "that certification has been removed" in run("verify", stripped).stdout


def test_a_key_that_does_not_match_its_certificate_or_has_expired_is_refused(tmp_path, monkeypatch, keys):
    from cryptography.hazmat.primitives import serialization

    other, _ = _key_and_cert("Someone Else")
    (tmp_path / "other-key.pem").write_bytes(other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    out, done = _certified(tmp_path, monkeypatch, keys, "--certify", tmp_path / "other-key.pem",
                           "--certify-cert", keys / "jo-cert.pem")
    assert done.returncode != 0 and "do not belong together" in done.stderr and not out.exists()


def test_a_wrong_password_or_a_missing_certificate_makes_nothing(tmp_path, monkeypatch, keys):
    out, done = _certified(tmp_path, monkeypatch, keys, "--certify", keys / "jo.p12", password="wrong")
    assert done.returncode != 0 and not out.exists()
    assert "cannot be opened as a signing key" in done.stderr and "Traceback" not in done.stderr
    out, done = _certified(tmp_path, monkeypatch, keys, "--certify", keys / "jo-key.pem")
    assert done.returncode != 0 and "needs its certificate too" in done.stderr and not out.exists()
    html = run("render", EXAMPLES[0], "-o", tmp_path / "form.html", "--for", "individual",
               "--certify", keys / "jo.p12")
    assert html.returncode == 2 and "only a PDF can be certified" in html.stderr


def test_a_clinic_batch_certifies_every_form_with_one_password(tmp_path, monkeypatch, keys):
    """batch --certify: the key is loaded once in the main process (the password asked once, before any form is
    made); every PDF in the folder is certified and verifies."""
    from .conftest import ROOT

    roster = tmp_path / "roster.csv"
    roster.write_text("name,credentials,profession,license,jurisdiction\nAnn Lee,PhD,psychologist,PSY 2,US-OH\n"
                      "Bo Chan,LPC,counselor,C 7,US-NY\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    out = tmp_path / "forms"
    done = run("batch", ROOT / "examples" / "clinic.yaml", roster, "-o", out, "--jobs", "1",
               "--certify", keys / "jo.p12")
    assert done.returncode == 0, done.stderr
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) >= 2
    done = run("verify", *pdfs, "--json")
    assert done.returncode == 0, done.stdout
    assert all(v["certification"]["holds"] for v in json.loads(done.stdout))


def test_certifying_a_folder_made_without_it_replaces_every_form(tmp_path, monkeypatch, keys):
    """Review H3: a batch run again with --certify over uncertified forms certifies them all (the key is part of
    how a form was written), and a run with the same key again leaves them as they are."""
    from .conftest import ROOT

    roster = tmp_path / "roster.csv"
    roster.write_text("name,credentials,profession,license,jurisdiction\nAnn Lee,PhD,psychologist,PSY 2,US-OH\n",
                      encoding="utf-8")
    out = tmp_path / "forms"
    args = ("batch", ROOT / "examples" / "clinic.yaml", roster, "-o", out, "--jobs", "1")
    assert run(*args).returncode == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    done = run(*args, "--certify", keys / "jo.p12")
    assert done.returncode == 0 and "0 unchanged" in done.stdout, done.stdout
    assert all(json.loads(run("verify", p, "--json").stdout)[0]["certification"] for p in out.rglob("*.pdf"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    again = run(*args, "--certify", keys / "jo.p12")
    assert again.returncode == 0 and "0 changed" in again.stdout, again.stdout
