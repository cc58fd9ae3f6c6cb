"""The practice logo: embedded as data, checked at the boundary, never fetched from elsewhere."""

from __future__ import annotations

import base64
import io
import zlib

import pypdf
import pytest
from consentgen.errors import DataFileError, RenderError
from consentgen.inputs.answers import read_practice
from consentgen.pipeline import make_form

from tests.conftest import render_bytes as render_document


def png_bytes() -> bytes:
    def chunk(kind, data):
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))
    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (4).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def answers_with_logo(tmp_path, write_yaml, valid_answers, logo_name, content):
    (tmp_path / logo_name).write_bytes(content)
    valid_answers["practice"]["logo"] = logo_name
    return write_yaml(valid_answers)


def test_png_logo_is_embedded_as_data(tmp_path, write_yaml, valid_answers, today):
    path = answers_with_logo(tmp_path, write_yaml, valid_answers, "logo.png", png_bytes())
    practice = read_practice(path)
    form = make_form(practice, today=today)
    assert form.logo.startswith("data:image/png;base64,")
    assert base64.b64decode(form.logo.split(",", 1)[1]) == png_bytes()
    html = render_document(form, "html").decode()
    assert 'alt="Test Practice logo"' in html and str(tmp_path) not in html


@pytest.mark.pdf
def test_logo_renders_in_pdf(tmp_path, write_yaml, valid_answers, today):
    path = answers_with_logo(tmp_path, write_yaml, valid_answers, "logo.png", png_bytes())
    data = render_document(make_form(read_practice(path), today=today), "pdf")
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert page["/Resources"].get("/XObject"), "no image on page 1"


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("logo.png", b"not an image at all", "must be a PNG, JPEG or SVG"),
    ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "too large"),
])
def test_bad_logos_are_refused(tmp_path, write_yaml, valid_answers, name, content, expected):
    path = answers_with_logo(tmp_path, write_yaml, valid_answers, name, content)
    with pytest.raises(DataFileError) as info:
        read_practice(path)
    assert f"{path}: practice.logo: " in info.value.message and expected in info.value.message


def test_missing_logo(write_yaml, valid_answers):
    valid_answers["practice"]["logo"] = "nowhere.png"
    with pytest.raises(DataFileError, match="practice.logo: file not found"):
        read_practice(write_yaml(valid_answers))


@pytest.mark.pdf
def test_svg_logo_cannot_fetch_other_files(tmp_path, write_yaml, valid_answers, today):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" ' \
          b'height="10"><image xlink:href="file:///etc/hostname" width="10" height="10"/></svg>'
    path = answers_with_logo(tmp_path, write_yaml, valid_answers, "logo.svg", svg)
    with pytest.raises(RenderError) as info:
        render_document(make_form(read_practice(path), today=today), "pdf")
    assert "PDF not written" in info.value.message and "data:image/svg+xml (embedded data)" in info.value.message
    assert len(info.value.message) < 600
