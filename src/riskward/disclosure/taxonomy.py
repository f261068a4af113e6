"""Where the cyd and dei schemas come from: the SEC's own files, verified, or the test taxonomy.

Order: (1) official SEC files the user supplies through RISKWARD_SEC_TAXONOMY (a directory of the
loose 2025 xsd files and/or the zips, or one zip), each checked against the size and SHA-256 the
SEC published (`OFFICIAL_FILES`); (2) otherwise Riskward's generated, UNOFFICIAL test taxonomy.
Official files are never shipped or downloaded. No Django imports: validation runs in plain Python.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from riskward.disclosure import testtaxonomy
from riskward.disclosure.elements import SUPPORTED_YEARS
from riskward.lib import env
from riskward.lib.errors import InvalidInput

FIELD = "RISKWARD_SEC_TAXONOMY"
SEC_HOST = "xbrl.sec.gov"


@dataclass(frozen=True)
class OfficialFile:
    """A file the SEC publishes, with the size and SHA-256 it published it with."""

    name: str
    year: int
    kind: str  # "xsd": one loose schema; "cyd-zip": flat zip of the cyd schemas; "bundle": all
    size: int
    sha256: str

    @property
    def url(self) -> str:
        if self.kind == "bundle":
            return f"https://{SEC_HOST}/{self.name}"
        return f"https://{SEC_HOST}/cyd/{self.year}/{self.name}"


# The one table of the SEC's published sizes and digests (shared/data/sec/README.md).
# fmt: off
_PUBLISHED = (
    # name, year, kind, bytes, SHA-256
    ("cyd-2024.zip", 2024, "cyd-zip", 16_356,
     "a52a1ab486257a5497a8ca4573a5d81a558c1fabcc1e858fabb769de658c3719"),
    ("cyd-2025.xsd", 2025, "xsd", 52_366,
     "da7e6f4447191c4e62f07ffef156348bf7683fb717743b29316ef2f09688e57e"),
    ("cyd-6k-sub-2025.xsd", 2025, "xsd", 26_130,
     "6ae880e18f03b8a4d6048fa445ba7da219d8eeac6d6ed72479b5f50bbc77a3bc"),
    ("cyd-8k-sub-2025.xsd", 2025, "xsd", 26_130,
     "6cd008fa9bdab4e0eed8ebcc4dcfd3c52580a1cff806dd24d42d990dab15e5af"),
    ("cyd-af-2025.xsd", 2025, "xsd", 11_802,
     "456e41cd3e86fb8a9f497f9175945c2260a52c5bc2829d8c4eeda95673c85ff4"),
    ("cyd-af-sub-2025.xsd", 2025, "xsd", 31_457,
     "b8255b4f6224dc9c523908ca014c4839b5c633a5478132cb7d81474d7113a0db"),
    ("cyd-cr-2025.xsd", 2025, "xsd", 7_666,
     "8a05e855611bfbe57486f086e78aaebd00567ff50dcfa5a40b6a0defed435651"),
    ("cyd-entire-2025.xsd", 2025, "xsd", 52_326,
     "49d2dd9dad441ee137fbad06c17f225c94755134234b1d7db1b409b9d544a40f"),
    ("2024.zip", 2024, "bundle", 1_084_829,
     "418477e806d5a2d6b21376a26c01fc373d549dae8d18f223a6ebddf80680bdf0"),
    ("2025.zip", 2025, "bundle", 1_201_089,
     "6a963051af02ff458e02669549bd55f9d547281724f3b4e053cb0157be8121e4"),
)
# fmt: on
OFFICIAL_FILES: dict[str, OfficialFile] = {row[0]: OfficialFile(*row) for row in _PUBLISHED}
# A more specific source overrides a broader one for the same URL.
_PRECEDENCE = {"bundle": 0, "cyd-zip": 1, "xsd": 2}


@dataclass(frozen=True)
class VerifiedFile:
    """A user-supplied file whose size and SHA-256 match the SEC's published values."""

    path: Path
    official: OfficialFile

    @property
    def name(self) -> str:
        return self.official.name


@dataclass(frozen=True)
class Taxonomy:
    """The schemas a filing is validated against: every https://xbrl.sec.gov URL -> local file."""

    year: int
    official: bool
    url_map: dict[str, Path]
    description: str


def resolve_taxonomy(year: int, source: Path | None = None) -> Taxonomy:
    """The official taxonomy from `source` or RISKWARD_SEC_TAXONOMY, else the test taxonomy."""
    _check_year(year)
    if source is None:
        configured = env.text(env.SEC_TAXONOMY)
        source = Path(configured).expanduser() if configured else None
    if source is not None:
        return official_taxonomy(year, source)
    return build_test_taxonomy(cache_dir() / "test", year)


def cache_dir() -> Path:
    """Generated and unpacked taxonomies live under RISKWARD_DATA_DIR, never in the package."""
    return env.path(env.DATA_DIR) / "taxonomy"


def build_test_taxonomy(dest: Path, year: int) -> Taxonomy:
    """Generate (or refresh) the UNOFFICIAL test taxonomy for `year` under `dest`."""
    _check_year(year)
    url_map = _write_tree(dest, testtaxonomy.generate(year))
    description = (
        f"{testtaxonomy.COMMENT} (taxonomy year {year}). A filing validated against it is "
        "checked for structure only and is never ready to file."
    )
    return Taxonomy(year=year, official=False, url_map=url_map, description=description)


def official_taxonomy(year: int, source: Path) -> Taxonomy:
    """Verify the SEC files in `source`, unpack the `year` ones and map their URLs."""
    _check_year(year)
    verified = [item for item in _read_verified(source) if item[0].official.year == year]
    if not verified:
        raise InvalidInput(
            f"{source}: no official SEC taxonomy file for {year}; supply {_names_for(year)}",
            field=FIELD,
        )
    verified.sort(key=lambda item: (_PRECEDENCE[item[0].official.kind], item[0].name))
    files: dict[str, bytes] = {}
    for item, data in verified:
        files.update(_official_contents(item.official, data))
    _require(year, files, source)
    key = hashlib.sha256(repr(sorted((u, _digest(d)) for u, d in files.items())).encode())
    url_map = _write_tree(cache_dir() / "official" / key.hexdigest()[:16], files)
    names = ", ".join(item.name for item, _data in verified)
    description = f"Official SEC taxonomy {year}, verified by size and SHA-256: {names}"
    return Taxonomy(year=year, official=True, url_map=url_map, description=description)


def verify_official(path: Path) -> list[VerifiedFile]:
    """Check every SEC file in `path` (a file or a directory) against the published table."""
    return [item for item, _data in _read_verified(path)]


def _read_verified(path: Path) -> list[tuple[VerifiedFile, bytes]]:
    """Verified files with the very bytes that were hashed, so nothing changes in between."""
    if path.is_file():
        return [_verify_file(path)]
    if not path.is_dir():
        raise InvalidInput(f"{path}: no such file or directory", field=FIELD)
    found = [_verify_file(p) for p in sorted(path.iterdir()) if _is_candidate(p)]
    if not found:
        raise InvalidInput(
            f"{path}: holds none of the SEC files Riskward can verify "
            f"({', '.join(sorted(OFFICIAL_FILES))})",
            field=FIELD,
        )
    return found


def _is_candidate(path: Path) -> bool:
    # A loose schema we have no digest for is an error, not something to skip silently.
    return path.is_file() and (path.name in OFFICIAL_FILES or path.suffix == ".xsd")


def _verify_file(path: Path) -> tuple[VerifiedFile, bytes]:
    official = OFFICIAL_FILES.get(path.name)
    if official is None:
        raise InvalidInput(
            f"{path.name}: the SEC published no digest for this file, so it cannot be "
            f"verified; supply one of {', '.join(sorted(OFFICIAL_FILES))}",
            field=FIELD,
        )
    data = path.read_bytes()
    found = _digest(data)
    if found != official.sha256 or len(data) != official.size:
        raise InvalidInput(
            f"{path.name}: not the SEC's published file: expected {official.size} bytes with "
            f"SHA-256 {official.sha256}, found {len(data)} bytes with SHA-256 {found}",
            field=FIELD,
        )
    return VerifiedFile(path=path, official=official), data


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _official_contents(official: OfficialFile, data: bytes) -> dict[str, bytes]:
    if official.kind == "xsd":
        return {official.url: data}
    return read_archive(official.name, data)


def read_archive(name: str, data: bytes) -> dict[str, bytes]:
    """The schemas and linkbases in an SEC zip, by their https://xbrl.sec.gov URL.

    Accepted layouts: flat (cyd-2024.zip: `cyd-2024.xsd` ...), by URL path
    (`dei/2024/dei-2024.xsd`, optionally under `xbrl.sec.gov/` or a `2024/` folder), and zips
    nested one level inside. Anything else is an unknown layout and an error naming the member.
    """
    files: dict[str, bytes] = {}
    unplaced: list[str] = []
    for member, content in _members(data, nested=True):
        url = member_url(member)
        if url is None:
            # Package metadata (META-INF/catalog.xml) is not a schema; an unplaced schema is.
            if member.lower().endswith(".xsd"):
                unplaced.append(member)
        elif files.setdefault(url, content) != content:
            raise InvalidInput(f"{name}: two different files for {url}", field=FIELD)
    if unplaced or not files:
        shown = ", ".join(unplaced[:3]) or "no SEC schema found"
        raise InvalidInput(
            f"{name}: unknown archive layout ({shown}); expected the SEC's files by URL path "
            "(e.g. dei/2024/dei-2024.xsd) or a flat zip of cyd schemas",
            field=FIELD,
        )
    return files


def _members(data: bytes, nested: bool, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput(f"{prefix or 'archive'}: not a zip file", field=FIELD) from None
    with archive:
        for info in archive.infolist():
            member = prefix + info.filename.replace("\\", "/")
            if info.is_dir():
                continue
            if nested and member.lower().endswith(".zip"):
                yield from _members(archive.read(info), nested=False, prefix=member + "/")
            elif member.lower().endswith((".xsd", ".xml")):
                yield member, archive.read(info)


_YEAR = re.compile(r"^\d{4}$")
_FAMILY = re.compile(r"^[a-z][a-z0-9]*$")
_FLAT = re.compile(r"^([a-z][a-z0-9]*)-(?:[a-z0-9_-]*-)?(\d{4})(?:[._-][a-z0-9._-]*)?$")


def member_url(member: str) -> str | None:
    """The https://xbrl.sec.gov URL an archive member stands for, or None if it cannot tell."""
    parts = [p for p in PurePosixPath(member).parts if p not in ("", "/")]
    if not parts or any(p in (".", "..") for p in parts):
        return None
    if SEC_HOST in parts:
        parts = parts[parts.index(SEC_HOST) + 1 :]
    if len(parts) >= 3 and _YEAR.match(parts[-2]) and _FAMILY.match(parts[-3]):
        family, year, file = parts[-3:]
    else:
        match = _FLAT.match(parts[-1])
        if match is None:
            return None
        family, year, file = match.group(1), match.group(2), parts[-1]
    return f"https://{SEC_HOST}/{family}/{year}/{file}"


def _require(year: int, files: dict[str, bytes], source: Path) -> None:
    missing = [url for url in testtaxonomy.required_urls(year) if url not in files]
    if missing:
        raise InvalidInput(
            f"{source}: the official {year} files lack {', '.join(missing)}; supply "
            f"{_names_for(year)}",
            field=FIELD,
        )


def _names_for(year: int) -> str:
    return " and ".join(sorted(f.name for f in OFFICIAL_FILES.values() if f.year == year))


def _check_year(year: int) -> None:
    if year not in SUPPORTED_YEARS:
        supported = ", ".join(str(y) for y in SUPPORTED_YEARS)
        raise InvalidInput(f"Taxonomy year {year} is not supported ({supported})", "taxonomy_year")


def _write_tree(dest: Path, files: dict[str, bytes]) -> dict[str, Path]:
    """Lay files out by URL path under `dest`; rewrite only what changed, atomically."""
    url_map: dict[str, Path] = {}
    for url, data in sorted(files.items()):
        target = dest.joinpath(*_url_parts(url))
        url_map[url] = target
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, data)
    return url_map


def _url_parts(url: str) -> Iterable[str]:
    host_path = url.split("://", 1)[1]
    parts = host_path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise InvalidInput(f"{url}: not a plain file URL", field=FIELD)
    return parts


def _atomic_write(target: Path, data: bytes) -> None:
    # Two processes may generate the same file; a reader never sees a half-written schema.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
