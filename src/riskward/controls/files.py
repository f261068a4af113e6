"""Evidence files: checking an upload before it is stored, and sending it back safely.

The file name and the browser's content type are claims; the bytes decide. A file whose
extension disagrees with its sniffed content is refused, so nothing stored can later be served
as something else. Downloads are always attachments with `nosniff` and a sandboxing CSP.
"""

from __future__ import annotations

import codecs
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.text import get_valid_filename

from riskward.lib.errors import InvalidInput, NotFound

TEXT = "text/plain"
HTML = "text/html"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OFFICE = {"docx": DOCX, "xlsx": XLSX, "pptx": PPTX}
ZIP_FAMILY = frozenset({ZIP, DOCX, XLSX, PPTX})

# Extension -> the sniffed types its content may have. Office files are ZIP containers.
ALLOWED: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "png": frozenset({"image/png"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "gif": frozenset({"image/gif"}),
    "docx": ZIP_FAMILY,
    "xlsx": ZIP_FAMILY,
    "pptx": ZIP_FAMILY,
    "zip": ZIP_FAMILY,
    "txt": frozenset({TEXT}),
    "csv": frozenset({TEXT}),
}
# What the file is stored and served as, whatever the browser said.
SERVED_AS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    **OFFICE,
    "zip": ZIP,
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
# Where an Office container keeps its main part; a ZIP without it is not that document.
OFFICE_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    extension: str
    content_type: str
    size: int
    sha256: str


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    scaled = float(size)
    for unit in ("KB", "MB", "GB"):
        scaled /= 1024
        if scaled < 1024 or unit == "GB":
            break
    return f"{scaled:.1f} {unit}"


def safe_filename(name: str | None) -> str:
    """The last path part of the client's name, reduced to safe characters."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        cleaned = "evidence"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(cleaned) > 150:
        return f"{stem[: 149 - len(ext)]}.{ext}"
    return cleaned[:150]


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = bytes(upload.read(SNIFF_BYTES))
    upload.seek(0)
    return head


def _is_text(upload: UploadedFile) -> bool:
    """No NUL or stray control bytes anywhere, and valid UTF-8 (or GB18030) throughout."""
    controls = bytes(set(range(32)) - {9, 10, 12, 13}) + b"\x7f"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            upload.seek(0)
            for chunk in upload.chunks():
                if any(byte in chunk for byte in controls):
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            upload.seek(0)
        return True
    return False


def _zip_has(upload: UploadedFile, part: str) -> bool:
    """Only the ZIP directory is read; nothing is extracted."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def sniff(upload: UploadedFile) -> str | None:
    """The content's type from its bytes: a MIME type, `text/plain`, `text/html` or None."""
    head = _head(upload)
    guessed = filetype.guess(head)
    if guessed is not None:
        return str(guessed.mime)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(MARKUP):
        return HTML
    return TEXT if head and _is_text(upload) else None


def _describe(mime: str | None) -> str:
    names = {TEXT: "plain text", HTML: "HTML/markup", None: "unrecognised binary data"}
    return names.get(mime, mime or "")


def check_upload(upload: UploadedFile, max_bytes: int, field: str = "file") -> CheckedFile:
    """Refuse what is too large, empty, not allowed or mislabelled; hash what is accepted."""
    filename = safe_filename(upload.name)
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension not in ALLOWED:
        shown = f".{extension} files" if extension else "Files without an extension"
        allowed = ", ".join(sorted(ALLOWED))
        raise InvalidInput(f"{field}: {shown} are not accepted; allowed: {allowed}", field)
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(f"{field}: the file is empty", field)
    if size > max_bytes:
        raise InvalidInput(
            f"{field}: the file is {human_size(size)}; the limit is {human_size(max_bytes)}",
            field,
        )
    sniffed = sniff(upload)
    if sniffed not in ALLOWED[extension] or (
        extension in OFFICE_PART and not _zip_has(upload, OFFICE_PART[extension])
    ):
        raise InvalidInput(
            f"{field}: the name says .{extension} but the content is {_describe(sniffed)}; "
            "the file was not stored",
            field,
        )
    return CheckedFile(filename, extension, SERVED_AS[extension], size, _sha256(upload))


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def download_response(evidence: Any) -> FileResponse:
    """The stored file as an attachment that no browser will render or sniff."""
    if evidence.kind != "file" or not evidence.file:
        raise NotFound("This evidence is a link, not a file.")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise NotFound("The stored file is missing; ask an administrator to restore it.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.filename or PurePosixPath(evidence.file.name).name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
