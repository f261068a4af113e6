"""Reading framework data: the files bundled in `riskward/frameworks/` and customers' text CSVs.

Pure parsing, no database. Everything read is checked (types, required fields, parents before
children), because a silently half-read catalog would corrupt every assessment built on it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from riskward.controls.models import Framework, Requirement
from riskward.lib.errors import DomainError, InvalidInput

Kind = Requirement.Kind
MAX_DATA_BYTES = 10 * 1024 * 1024
MAX_TEXT_ROWS = 5000
TITLE_LENGTH = 300
NIST_FILE = "NIST_CSF_v2.0_catalog.json"


class CatalogError(DomainError):
    """A bundled framework file is missing or malformed: the installation is broken."""

    status = 500


@dataclass(frozen=True)
class Item:
    """One requirement as the data file states it; `parent_ref` is None at the top."""

    ref_id: str
    title: str
    kind: str
    parent_ref: str | None
    sort_key: str
    depth: int
    description: str = ""
    withdrawn: bool = False


@dataclass(frozen=True)
class Catalog:
    key: str
    name: str
    version: str
    source_note: str
    items: tuple[Item, ...]


def clip(text: str, length: int = TITLE_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def data_bytes(key: str, filename: str) -> bytes:
    """A bundled file's bytes; `key` names its folder under riskward/frameworks/."""
    resource = resources.files("riskward").joinpath("frameworks").joinpath(key).joinpath(filename)
    try:
        data = resource.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise CatalogError(
            f"frameworks/{key}/{filename} is missing from this installation"
        ) from None
    if len(data) > MAX_DATA_BYTES:
        raise CatalogError(f"frameworks/{key}/{filename} is larger than expected; refusing it")
    return data


# --- NIST CSF 2.0 (OSCAL JSON) ----------------------------------------------------------------


def _dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CatalogError(f"{NIST_FILE}: {where} should be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CatalogError(f"{NIST_FILE}: {where} should be a list")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{NIST_FILE}: {where} should be a non-empty string")
    return value.strip()


def _prose(node: dict[str, Any], name: str, where: str) -> list[str]:
    """The prose of every part called `name` (empty prose is kept out)."""
    found = []
    for index, part in enumerate(_list(node.get("parts"), f"{where}.parts")):
        part = _dict(part, f"{where}.parts[{index}]")
        prose = part.get("prose")
        if part.get("name") == name and isinstance(prose, str) and prose.strip():
            found.append(prose.strip())
    return found


def _ordered(nodes: list[Any], where: str) -> Iterator[tuple[int, dict[str, Any], str]]:
    """Children in NIST's order: by OSCAL sort-id, then file order (sort-ids may repeat)."""

    def sort_id(node: dict[str, Any]) -> tuple[int, ...]:
        for prop in _list(node.get("props"), "props"):
            if not isinstance(prop, dict):
                continue
            value = prop.get("value")
            if prop.get("name") != "sort-id" or not isinstance(value, str):
                continue
            if re.fullmatch(r"\d{1,9}(\.\d{1,9})*", value):
                return tuple(int(part) for part in value.split("."))
        return (10**9,)

    checked = [(i, _dict(node, f"{where}[{i}]")) for i, node in enumerate(nodes)]
    ranked = sorted(checked, key=lambda pair: (sort_id(pair[1]), pair[0]))
    for rank, (index, node) in enumerate(ranked, start=1):
        yield rank, node, f"{where}[{index}]"


def _nist_subcategories(category: dict[str, Any], parent: Item, where: str) -> Iterator[Item]:
    subcategories = _list(category.get("controls"), f"{where}.controls")
    for rank, sub, at in _ordered(subcategories, f"{where}.controls"):
        ref_id = _text(sub.get("id"), f"{at}.id")
        statement = " ".join(_prose(sub, "statement", at))
        examples = _prose(sub, "example", at)
        description = statement
        if examples:
            description += "\n\nImplementation examples:\n" + "\n".join(f"- {e}" for e in examples)
        yield Item(
            ref_id=ref_id,
            title=clip(statement or ref_id),
            kind=Kind.SUBCATEGORY,
            parent_ref=parent.ref_id,
            sort_key=f"{parent.sort_key}.{rank:04d}",
            depth=2,
            description=description,
            withdrawn=not examples,  # SOURCES.md: active iff it has an Implementation Example
        )


def _nist_items(catalog: dict[str, Any]) -> Iterator[Item]:
    groups = _list(catalog.get("groups"), "catalog.groups")
    for rank, group, at in _ordered(groups, "catalog.groups"):
        function = Item(
            ref_id=_text(group.get("id"), f"{at}.id"),
            title=clip(_text(group.get("title"), f"{at}.title")),
            kind=Kind.FUNCTION,
            parent_ref=None,
            sort_key=f"{rank:04d}",
            depth=0,
            description=" ".join(_prose(group, "overview", at)),
        )
        yield function
        categories = _list(group.get("controls"), f"{at}.controls")
        for rank2, category, at2 in _ordered(categories, f"{at}.controls"):
            statement = " ".join(_prose(category, "statement", at2))
            item = Item(
                ref_id=_text(category.get("id"), f"{at2}.id"),
                title=clip(_text(category.get("title"), f"{at2}.title")),
                kind=Kind.CATEGORY,
                parent_ref=function.ref_id,
                sort_key=f"{function.sort_key}.{rank2:04d}",
                depth=1,
                description=statement,
                withdrawn=not statement,  # SOURCES.md: active iff its statement has prose
            )
            yield item
            yield from _nist_subcategories(category, item, at2)


def _nist(key: str) -> Catalog:
    try:
        document = json.loads(data_bytes(key, NIST_FILE))
    except (ValueError, RecursionError) as error:
        raise CatalogError(f"{NIST_FILE} is not valid JSON: {error}") from None
    catalog = _dict(_dict(document, "the document").get("catalog"), "catalog")
    metadata = _dict(catalog.get("metadata"), "catalog.metadata")
    items = tuple(_nist_items(catalog))
    if not items:
        raise CatalogError(f"{NIST_FILE}: the catalog has no groups")
    version = metadata.get("version")
    return Catalog(
        key=key,
        name="NIST Cybersecurity Framework 2.0",
        version=f"CSF 2.0, OSCAL catalog {version}" if isinstance(version, str) else "CSF 2.0",
        source_note="NIST OSCAL content (usnistgov/oscal-content), public domain in the US and "
        "CC0 1.0 worldwide. Bundled with attribution to NIST; no endorsement implied. "
        "See frameworks/nist-csf-2.0/SOURCES.md.",
        items=items,
    )


# --- Riskward tree CSV (ISO/IEC 27001 Annex A, MLPS 2.0 Level 3) -----------------------------

TREE_COLUMNS = ("ref_id", "parent_ref_id", "kind", "title", "description")


def _tree_rows(key: str, filename: str, kinds: set[str]) -> Iterator[Item]:
    where = f"frameworks/{key}/{filename}"
    try:
        text = data_bytes(key, filename).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogError(f"{where} is not UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    if tuple(reader.fieldnames or ()) != TREE_COLUMNS:
        raise CatalogError(f"{where}: the header must be {','.join(TREE_COLUMNS)}")
    seen: dict[str, Item] = {}
    children: dict[str | None, int] = {}
    number = 1  # the header; rows are numbered as a spreadsheet shows them
    try:
        for number, row in enumerate(reader, start=2):
            item = _tree_item(row, seen, children, kinds, f"{where}, row {number}")
            seen[item.ref_id] = item
            yield item
    except csv.Error as error:
        raise CatalogError(f"{where}, row {number + 1}: {error}") from None


def _tree_item(
    row: dict[str, Any],
    seen: dict[str, Item],
    children: dict[str | None, int],
    kinds: set[str],
    line: str,
) -> Item:
    ref_id, parent_ref = (row.get("ref_id") or "").strip(), (row.get("parent_ref_id") or "").strip()
    kind, title = (row.get("kind") or "").strip(), (row.get("title") or "").strip()
    if not ref_id or ref_id in seen:
        raise CatalogError(f"{line}: ref_id is empty or repeated")
    if kind not in kinds:
        raise CatalogError(f"{line}: kind must be one of {', '.join(sorted(kinds))}")
    if not title or len(title) > TITLE_LENGTH:
        raise CatalogError(f"{line}: title must have 1 to {TITLE_LENGTH} characters")
    parent = seen.get(parent_ref) if parent_ref else None
    if parent_ref and parent is None:
        raise CatalogError(f"{line}: parent {parent_ref} must come before its children")
    rank = children[parent_ref or None] = children.get(parent_ref or None, 0) + 1
    return Item(
        ref_id=ref_id,
        title=title,
        kind=kind,
        parent_ref=parent.ref_id if parent else None,
        sort_key=f"{parent.sort_key}.{rank:04d}" if parent else f"{rank:04d}",
        depth=parent.depth + 1 if parent else 0,
        description=(row.get("description") or "").strip(),
    )


def _iso(key: str) -> Catalog:
    items = tuple(_tree_rows(key, "annex-a.csv", {Kind.THEME, Kind.CONTROL}))
    return Catalog(
        key=key,
        name="ISO/IEC 27001:2022 Annex A",
        version="2022",
        source_note="Control identifiers of ISO/IEC 27001:2022 Annex A with Riskward's own "
        "one-line descriptions (not ISO text). Import your licensed text to add the official "
        "wording. See frameworks/iso-27001-2022/README.md.",
        items=items,
    )


def _mlps(key: str) -> Catalog:
    items = tuple(_tree_rows(key, "structure.csv", {Kind.SECURITY_CLASS, Kind.CONTROL_POINT}))
    return Catalog(
        key=key,
        name="MLPS 2.0 Level 3 (GB/T 22239-2019)",
        version="GB/T 22239-2019, Level 3 general requirements",
        source_note="Structure only: the 10 security classes and their control points as names. "
        "The standard's requirement text is copyrighted; import it from your licensed copy. "
        "See frameworks/mlps-2.0-l3/README.md.",
        items=items,
    )


READERS: dict[str, Callable[[str], Catalog]] = {
    Framework.Key.NIST_CSF_2: _nist,
    Framework.Key.ISO_27001_2022: _iso,
    Framework.Key.MLPS_2_L3: _mlps,
}


def read_catalog(key: str) -> Catalog:
    """The framework `key` as its bundled data file states it (raises for an unknown key)."""
    reader = READERS.get(key)
    if reader is None:
        known = ", ".join(READERS)
        raise InvalidInput(f"key: no framework {key!r}; Riskward bundles {known}", "key")
    return reader(key)


# --- Customers' requirement text (CSV ref_id,text) -------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which Chinese spreadsheet exports often use."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("file: the CSV must be UTF-8 or GB18030 text", "file")


def read_text_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a `ref_id,text` CSV; the header is row 1 as a spreadsheet shows it."""
    if b"\x00" in data:
        raise InvalidInput("file: this is not a CSV text file", "file")
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""), strict=True)
    columns = {name.strip().lower() for name in reader.fieldnames or () if name}
    if not {"ref_id", "text"} <= columns:
        raise InvalidInput("file: the first row must name the columns ref_id and text", "file")
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            clean = {(k or "").strip().lower(): (v or "") for k, v in row.items() if k}
            rows.append({"ref_id": clean.get("ref_id", ""), "text": clean.get("text", "")})
            if len(rows) > MAX_TEXT_ROWS:
                raise InvalidInput(f"file: more than {MAX_TEXT_ROWS} rows", "file")
    except csv.Error as error:
        raise InvalidInput(f"file: row {len(rows) + 2}: {error}", "file") from None
    return rows


def available() -> Iterable[tuple[str, str]]:
    """(key, label) of every framework Riskward bundles."""
    return [(key, Framework.Key(key).label) for key in READERS]
