"""Taxonomy sources: the generated test taxonomy, verification of the SEC's files, resolve order.

The SEC's real files cannot be here, so verification is tested with small made-up files whose
digests are monkeypatched into `OFFICIAL_FILES`. Those digests are TEST-ONLY data: they say
nothing about the SEC's files.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from riskward.disclosure import taxonomy, testtaxonomy
from riskward.disclosure.elements import DEI_ELEMENTS, Kind, Use, all_elements
from riskward.disclosure.taxonomy import (
    OfficialFile,
    build_test_taxonomy,
    read_archive,
    resolve_taxonomy,
    verify_official,
)
from riskward.lib.errors import InvalidInput

XS = "{http://www.w3.org/2001/XMLSchema}"
LINK = "{http://www.xbrl.org/2003/linkbase}"
XLINK = "{http://www.w3.org/1999/xlink}"
XBRLI_PERIOD = "{http://www.xbrl.org/2003/instance}periodType"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse(path: Path) -> etree._Element:
    return etree.parse(str(path), PARSER).getroot()


def declared(root: etree._Element) -> dict[str, etree._Element]:
    return {e.get("name"): e for e in root.iter(f"{XS}element")}


def labels(root: etree._Element) -> dict[str, str]:
    """Concept id -> standard label text, following loc -> labelArc -> label."""
    link = next(root.iter(f"{LINK}labelLink"))
    locs = {loc.get(f"{XLINK}label"): loc.get(f"{XLINK}href") for loc in link.iter(f"{LINK}loc")}
    texts = {lab.get(f"{XLINK}label"): lab.text for lab in link.iter(f"{LINK}label")}
    return {
        locs[arc.get(f"{XLINK}from")].lstrip("#"): texts[arc.get(f"{XLINK}to")]
        for arc in link.iter(f"{LINK}labelArc")
    }


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RISKWARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RISKWARD_SEC_TAXONOMY", raising=False)
    return tmp_path / "data"


# -- the generated test taxonomy ------------------------------------------------------------


def test_test_taxonomy_declares_every_cyd_element_with_its_type(tmp_path: Path) -> None:
    tax = build_test_taxonomy(tmp_path, 2024)
    root = parse(tax.url_map[testtaxonomy.cyd_url(2024)])
    assert root.get("targetNamespace") == "http://xbrl.sec.gov/cyd/2024"
    elements = declared(root)
    for element in all_elements():
        node = elements[element.name]
        expected = "xbrli:booleanItemType" if element.kind is Kind.FLAG else None
        assert node.get("type") == (expected or "dtr-types:textBlockItemType")
        assert node.get("substitutionGroup") == "xbrli:item"
        assert node.get(XBRLI_PERIOD) == "duration"
        assert node.get("nillable") == "true"
        assert node.get("abstract") == "false"
    abstracts = {name for name, node in elements.items() if node.get("abstract") == "true"}
    assert set(elements) == {e.name for e in all_elements()} | abstracts


def test_text_blocks_use_the_dtr_types_schema_arelle_ships(tmp_path: Path) -> None:
    root = parse(build_test_taxonomy(tmp_path, 2024).url_map[testtaxonomy.cyd_url(2024)])
    assert root.nsmap["dtr-types"] == testtaxonomy.DTR_TYPES
    imports = {i.get("namespace"): i.get("schemaLocation") for i in root.iter(f"{XS}import")}
    location = imports[testtaxonomy.DTR_TYPES]
    import arelle

    cached = Path(arelle.__file__).parent / "resources/cache" / location.replace("://", "/")
    assert b'name="textBlockItemType"' in cached.read_bytes()


def test_every_cyd_element_carries_its_standard_label(tmp_path: Path) -> None:
    root = parse(build_test_taxonomy(tmp_path, 2025).url_map[testtaxonomy.cyd_url(2025)])
    found = labels(root)
    for element in all_elements():
        assert found[f"cyd_{element.name}"] == element.label


def test_test_dei_declares_every_dei_element_with_its_type(tmp_path: Path) -> None:
    root = parse(build_test_taxonomy(tmp_path, 2024).url_map[testtaxonomy.dei_url(2024)])
    assert root.get("targetNamespace") == "http://xbrl.sec.gov/dei/2024"
    elements = declared(root)
    assert set(elements) == set(DEI_ELEMENTS)
    for name, type_ in DEI_ELEMENTS.items():
        assert elements[name].get("type") == type_
        period = "instant" if name in testtaxonomy.DEI_INSTANT else "duration"
        assert elements[name].get(XBRLI_PERIOD) == period
    assert set(labels(root)) == {f"dei_{name}" for name in DEI_ELEMENTS}


def test_every_generated_file_says_it_is_unofficial(tmp_path: Path) -> None:
    tax = build_test_taxonomy(tmp_path, 2024)
    assert set(tax.url_map) == set(testtaxonomy.required_urls(2024))
    assert not tax.official
    assert "UNOFFICIAL" in tax.description
    for path in tax.url_map.values():
        comments = [c.text for c in etree.parse(str(path), PARSER).xpath("/comment()")]
        assert f" {testtaxonomy.COMMENT} " in comments, path


def test_entry_points_import_cyd_and_the_annual_one_presents_the_annual_elements(
    tmp_path: Path,
) -> None:
    tax = build_test_taxonomy(tmp_path, 2024)
    for name in ("af-sub", "8k-sub", "6k-sub"):
        root = parse(tax.url_map[testtaxonomy.cyd_url(2024, name)])
        assert root.get("targetNamespace") == testtaxonomy.entry_point_namespace(2024, name)
        imports = [(i.get("namespace"), i.get("schemaLocation")) for i in root.iter(f"{XS}import")]
        assert imports == [("http://xbrl.sec.gov/cyd/2024", "cyd-2024.xsd")]
    root = parse(tax.url_map[testtaxonomy.cyd_url(2024, "af-sub")])
    role = next(root.iter(f"{LINK}roleType"))
    assert role.findtext(f"{LINK}definition") == (
        "Cybersecurity Risk Management and Strategy Disclosure"
    )
    link = next(root.iter(f"{LINK}presentationLink"))
    assert link.get(f"{XLINK}role") == role.get("roleURI")
    children = [arc.get(f"{XLINK}to") for arc in link.iter(f"{LINK}presentationArc")]
    assert children == [e.name for e in all_elements() if e.use is Use.ANNUAL]


def test_generation_is_deterministic_and_leaves_unchanged_files_alone(tmp_path: Path) -> None:
    first = build_test_taxonomy(tmp_path / "a", 2024)
    stamps = {url: path.stat().st_mtime_ns for url, path in first.url_map.items()}
    again = build_test_taxonomy(tmp_path / "a", 2024)
    other = build_test_taxonomy(tmp_path / "b", 2024)
    for url, path in first.url_map.items():
        assert path.read_bytes() == other.url_map[url].read_bytes()
        assert again.url_map[url].stat().st_mtime_ns == stamps[url]


def test_a_changed_file_is_regenerated(tmp_path: Path) -> None:
    path = build_test_taxonomy(tmp_path, 2024).url_map[testtaxonomy.cyd_url(2024)]
    original = path.read_bytes()
    path.write_bytes(b"tampered")
    build_test_taxonomy(tmp_path, 2024)
    assert path.read_bytes() == original


def test_unsupported_year_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="2023"):
        build_test_taxonomy(tmp_path, 2023)


# -- verifying the SEC's files (with TEST-ONLY digests of made-up files) ----------------------


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish(monkeypatch: pytest.MonkeyPatch, *rows: tuple[str, int, str, bytes]) -> None:
    """TEST-ONLY: replace the published table with digests of made-up content."""
    table = {
        name: OfficialFile(name, year, kind, len(data), digest(data))
        for name, year, kind, data in rows
    }
    monkeypatch.setattr(taxonomy, "OFFICIAL_FILES", table)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def official_bundle(year: int) -> bytes:
    """TEST-ONLY stand-in for the SEC's <year>.zip: the generated files laid out by URL path."""
    files = testtaxonomy.generate(year)
    return zip_of({url.removeprefix("https://"): data for url, data in files.items()})


def test_a_file_matching_the_published_digest_is_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = b"<xs:schema/> made-up content standing in for cyd-2025.xsd"
    publish(monkeypatch, ("cyd-2025.xsd", 2025, "xsd", content))
    (tmp_path / "cyd-2025.xsd").write_bytes(content)
    (tmp_path / "README.txt").write_text("not a schema: ignored")
    [verified] = verify_official(tmp_path)
    assert verified.name == "cyd-2025.xsd"
    assert verified.path == tmp_path / "cyd-2025.xsd"
    assert verified.official.url == "https://xbrl.sec.gov/cyd/2025/cyd-2025.xsd"


def test_a_mismatching_digest_names_the_file_and_both_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = b"the published content"
    publish(monkeypatch, ("2024.zip", 2024, "bundle", expected))
    supplied = b"something else of the same length"[: len(expected)]
    (tmp_path / "2024.zip").write_bytes(supplied)
    with pytest.raises(InvalidInput) as raised:
        verify_official(tmp_path)
    message = raised.value.message
    assert message.startswith("2024.zip:")
    assert digest(expected) in message and digest(supplied) in message
    assert raised.value.field == "RISKWARD_SEC_TAXONOMY"


def test_a_made_up_file_fails_against_the_real_table(tmp_path: Path) -> None:
    (tmp_path / "cyd-af-sub-2025.xsd").write_bytes(b"<xs:schema/>")
    real = taxonomy.OFFICIAL_FILES["cyd-af-sub-2025.xsd"]
    with pytest.raises(InvalidInput, match=f"cyd-af-sub-2025.xsd: .*{real.sha256}"):
        verify_official(tmp_path / "cyd-af-sub-2025.xsd")


def test_the_table_holds_every_file_the_sec_publishes_for_cyd() -> None:
    names = set(taxonomy.OFFICIAL_FILES)
    loose = {f"cyd-{stem}2025.xsd" for stem in ("", "6k-sub-", "8k-sub-", "af-", "af-sub-", "cr-")}
    assert loose | {"cyd-entire-2025.xsd", "cyd-2024.zip", "2024.zip", "2025.zip"} == names


@pytest.mark.parametrize(
    ("entries", "match"),
    [
        ({"cyd-2024.xsd": b"<xs:schema/>"}, "cyd-2024.xsd: the SEC published no digest"),
        ({"notes.txt": b"hello"}, "holds none of the SEC files"),
    ],
)
def test_a_directory_without_verifiable_files_is_refused(
    tmp_path: Path, entries: dict[str, bytes], match: str
) -> None:
    for name, data in entries.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(InvalidInput, match=match):
        verify_official(tmp_path)


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file or directory"):
        verify_official(tmp_path / "absent")


# -- archive layouts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "member",
    [
        "dei/2024/dei-2024.xsd",
        "xbrl.sec.gov/dei/2024/dei-2024.xsd",
        "2024/xbrl.sec.gov/dei/2024/dei-2024.xsd",
        "2024/dei-2024.xsd",
        "dei-2024.xsd",
    ],
)
def test_archive_members_map_to_their_sec_url(member: str) -> None:
    files = read_archive("2024.zip", zip_of({member: b"x", "META-INF/catalog.xml": b"<c/>"}))
    assert files == {"https://xbrl.sec.gov/dei/2024/dei-2024.xsd": b"x"}


def test_a_flat_cyd_zip_and_a_nested_zip_are_read() -> None:
    flat = zip_of({"cyd-af-sub-2024.xsd": b"a", "cyd-2024.xsd": b"b"})
    files = read_archive("2024.zip", zip_of({"cyd/2024/cyd-2024.zip": flat, "readme.pdf": b""}))
    assert files == {
        "https://xbrl.sec.gov/cyd/2024/cyd-af-sub-2024.xsd": b"a",
        "https://xbrl.sec.gov/cyd/2024/cyd-2024.xsd": b"b",
    }


@pytest.mark.parametrize(
    "members",
    [{"taxonomies/dei.xsd": b"x"}, {"readme.txt": b"x"}, {"../dei/2024/dei-2024.xsd": b"x"}],
)
def test_an_unknown_archive_layout_is_a_clear_error(members: dict[str, bytes]) -> None:
    with pytest.raises(InvalidInput, match=r"2025\.zip: unknown archive layout"):
        read_archive("2025.zip", zip_of(members))


# -- resolve order ----------------------------------------------------------------------------


def test_without_the_setting_the_test_taxonomy_is_used(data_dir: Path) -> None:
    tax = resolve_taxonomy(2024)
    assert not tax.official
    assert all(path.is_relative_to(data_dir / "taxonomy" / "test") for path in tax.url_map.values())


def test_with_the_setting_the_verified_official_files_are_used(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = official_bundle(2025)
    publish(monkeypatch, ("2025.zip", 2025, "bundle", bundle))
    supplied = tmp_path / "sec"
    supplied.mkdir()
    (supplied / "2025.zip").write_bytes(bundle)
    monkeypatch.setenv("RISKWARD_SEC_TAXONOMY", str(supplied))
    tax = resolve_taxonomy(2025)
    assert tax.official and tax.year == 2025
    assert "2025.zip" in tax.description
    expected = testtaxonomy.generate(2025)
    assert set(tax.url_map) == set(expected)
    for url, path in tax.url_map.items():
        assert path.is_relative_to(data_dir / "taxonomy" / "official")
        assert path.read_bytes() == expected[url]


def test_a_source_argument_overrides_the_setting(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = official_bundle(2024)
    publish(monkeypatch, ("2024.zip", 2024, "bundle", bundle))
    (tmp_path / "2024.zip").write_bytes(bundle)
    monkeypatch.setenv("RISKWARD_SEC_TAXONOMY", str(tmp_path / "elsewhere"))
    assert resolve_taxonomy(2024, source=tmp_path / "2024.zip").official


def test_official_files_without_dei_are_refused_naming_what_is_missing(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cyd = {
        url.rsplit("/", 1)[1]: data
        for url, data in testtaxonomy.generate(2024).items()
        if "/cyd/" in url
    }
    flat = zip_of(cyd)
    publish(monkeypatch, ("cyd-2024.zip", 2024, "cyd-zip", flat))
    (tmp_path / "cyd-2024.zip").write_bytes(flat)
    with pytest.raises(InvalidInput, match=r"lack https://xbrl.sec.gov/dei/2024/dei-2024.xsd"):
        resolve_taxonomy(2024, source=tmp_path)


def test_official_files_of_another_year_are_refused(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = official_bundle(2025)
    publish(monkeypatch, ("2025.zip", 2025, "bundle", bundle))
    (tmp_path / "2025.zip").write_bytes(bundle)
    with pytest.raises(InvalidInput, match="no official SEC taxonomy file for 2024"):
        resolve_taxonomy(2024, source=tmp_path)
