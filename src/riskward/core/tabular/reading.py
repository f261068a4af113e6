"""Reading an uploaded CSV or XLSX into header and rows, refusing anything else."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

import filetype

from riskward.lib.errors import InvalidInput

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# An XLSX is a zip: bound what it may unpack to, so a small upload cannot expand into gigabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls and other Office 97 files


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


def refused(message: str) -> InvalidInput:
    return InvalidInput(message, "file")


def read_rows(data: bytes, filename: str = "") -> Sheet:
    """The header and data rows of a CSV (UTF-8; comma, semicolon or tab) or XLSX (first sheet).

    The format is told by the bytes; a name that contradicts them is refused, as is anything
    that is neither. Cells are read as values, never evaluated: a formula stays its text.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise refused(f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB; split it.")
    if not data.strip():
        raise refused("The file is empty.")
    if _file_kind(data, filename) == "xlsx":
        return _xlsx_sheet(data)
    return _csv_sheet(data)


def _file_kind(data: bytes, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix and suffix not in TEXT_SUFFIXES | {".xlsx"}:
        raise refused(f"Only CSV and XLSX files can be imported, not {suffix} files.")
    if data.startswith(b"PK\x03\x04"):
        if suffix in TEXT_SUFFIXES:
            raise refused(f"The file is named {suffix} but is a zip archive; rename it .xlsx.")
        return "xlsx"
    if suffix == ".xlsx":
        raise refused("The file is named .xlsx but is not an XLSX workbook.")
    if data.startswith(OLE_MAGIC):
        raise refused("This is an old Excel .xls workbook; save it as .xlsx or CSV UTF-8.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refused("The file is UTF-16 text; save it as CSV UTF-8.")
    guessed = filetype.guess(data)
    if guessed is not None or b"\x00" in data[:8192]:
        kind = f"a {guessed.extension.upper()}" if guessed is not None else "a binary"
        raise refused(f"This is {kind} file, not CSV or XLSX.")
    return "csv"


def _csv_sheet(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refused(
            "The file is not UTF-8 text; in your spreadsheet choose Save As, CSV UTF-8."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # ties (one column) fall back to a comma
    try:
        return _sheet(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise refused(f"The CSV could not be read: {error}.") from None


def _xlsx_sheet(data: bytes) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise refused("The file is a damaged zip archive, not a readable XLSX workbook.") from None
    if "xl/workbook.xml" not in names:
        raise refused("This zip archive is not an XLSX workbook.")
    if unpacked > MAX_UNPACKED_BYTES:
        raise refused(f"The workbook unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB.")
    unreadable = "The workbook could not be read; open and save it again in a spreadsheet program."
    try:
        import openpyxl  # imported when used: it costs every process start ~0.4 s otherwise

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for malformed parts
        raise refused(unreadable) from None
    try:
        return _sheet(book.worksheets[0].iter_rows(values_only=True))
    except InvalidInput:
        raise
    except Exception:
        raise refused(unreadable) from None
    finally:
        book.close()


def _sheet(records: Iterable[Sequence[Any]]) -> Sheet:
    """Headers and the non-blank rows, read as a stream: formatted-but-empty rows cost nothing."""
    lines = iter(records)
    first = next(lines, None)
    if first is None or not any(text_of(cell) for cell in first):
        raise refused("The first row must hold the column headers.")
    headers = [text_of(cell) for cell in first]
    while not headers[-1]:
        headers.pop()
    rows: list[Row] = []
    for number, cells in enumerate(lines, start=2):
        if any(text_of(cell) for cell in cells):
            if len(rows) == MAX_ROWS:
                raise refused(f"The file has more than {MAX_ROWS:,} rows; split it.")
            rows.append(Row(number, tuple(cells)))
    return Sheet(tuple(headers), tuple(rows))


def text_of(value: Any) -> str:
    """A cell as text; the quote our exports put before formula-like text is taken off again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def norm(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()
