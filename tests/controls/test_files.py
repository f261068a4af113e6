"""Upload checks: the bytes decide the type; a name that lies is refused, naming the field."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest

from riskward.controls import files
from riskward.lib.errors import InvalidInput
from tests.controls import samples

LIMIT = 1024 * 1024


def xlsx() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["control", "result"])
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "served_as"),
    [
        ("report.pdf", samples.PDF, "application/pdf"),
        ("diagram.png", samples.png(), "image/png"),
        ("minutes.docx", samples.office("word/document.xml"), files.DOCX),
        ("register.xlsx", xlsx(), files.XLSX),
        ("deck.pptx", samples.office("ppt/presentation.xml"), files.PPTX),
        ("logs.zip", samples.plain_zip(), files.ZIP),
        ("notes.TXT", samples.TEXT, "text/plain; charset=utf-8"),
        ("export.csv", samples.CSV_GBK, "text/csv; charset=utf-8"),
    ],
)
def test_allowed_files_are_accepted_and_hashed(name, content, served_as):
    checked = files.check_upload(samples.upload(name, content), LIMIT)
    assert checked.content_type == served_as
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)
    assert checked.filename == name


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("invoice.pdf", samples.EXE, "application/x-msdownload"),
        ("photo.png", samples.HTML, "HTML/markup"),
        ("readme.txt", samples.HTML, "HTML/markup"),
        ("scan.jpg", samples.PDF, "application/pdf"),
        ("minutes.docx", samples.plain_zip(), "application/zip"),  # a ZIP without word/ parts
        ("notes.txt", b"abc\x00\x01\x02binary", "unrecognised binary data"),
        ("data.csv", samples.png(), "image/png"),
    ],
)
def test_mislabelled_file_is_refused_naming_the_field(name, content, said):
    with pytest.raises(InvalidInput) as error:
        files.check_upload(samples.upload(name, content, "application/pdf"), LIMIT)
    assert error.value.field == "file"
    assert f"the name says .{name.rsplit('.', 1)[1].lower()}" in error.value.message
    assert said in error.value.message


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "image.svg", "no-extension"])
def test_types_outside_the_allowlist_are_refused(name):
    with pytest.raises(InvalidInput, match="not accepted") as error:
        files.check_upload(samples.upload(name, samples.PDF), LIMIT)
    assert error.value.field == "file"


def test_too_large_is_refused_with_both_sizes():
    with pytest.raises(InvalidInput) as error:
        files.check_upload(samples.upload("big.pdf", samples.PDF + b" " * 2048), 1024)
    assert error.value.field == "file"
    assert "2.1 KB" in error.value.message and "limit is 1.0 KB" in error.value.message


def test_empty_file_is_refused():
    with pytest.raises(InvalidInput, match="empty"):
        files.check_upload(samples.upload("empty.txt", b""), LIMIT)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Q3 review.pdf", "Q3_review.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("..", "evidence"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),  # 150 characters in all
    ],
)
def test_client_file_names_are_reduced_to_a_safe_base_name(given, kept):
    assert files.safe_filename(given) == kept


def test_human_size():
    assert files.human_size(512) == "512 bytes"
    assert files.human_size(25 * 1024 * 1024) == "25.0 MB"
