"""Comparing our disclosure with peers': flags side by side, text length, key terms and gaps."""

from __future__ import annotations

import json

import pytest

from riskward.disclosure import elements as el
from riskward.disclosure import peers
from riskward.disclosure.facts import FactValue
from riskward.lib.errors import InvalidInput

OURS: dict[str, FactValue] = {
    el.FLAG_INTEGRATED: True,
    el.FLAG_THIRD_PARTY_ENGAGED: True,
    el.FLAG_MATERIALLY_AFFECTED: False,
    el.TEXT_PROCESSES: "We provide quarterly training.\nWe monitor our network.",
    el.TEXT_BOARD_OVERSIGHT: "The audit committee oversees cybersecurity.",
}
PEER_A: dict[str, FactValue] = {
    el.FLAG_INTEGRATED: True,
    el.FLAG_THIRD_PARTY_ENGAGED: False,
    el.FLAG_REPORT_TO_BOARD: True,
    el.TEXT_PROCESSES: "Third parties run annual pen-testing; we follow ISO/IEC 27001 and NIST.",
    el.TEXT_BOARD_OVERSIGHT: "Our Chief Information Security Officer reports to the audit "
    "committee each quarter.",
}
PEER_B: dict[str, FactValue] = {
    el.FLAG_MATERIALLY_AFFECTED: True,
    el.TEXT_PROCESSES: "A bug bounty program and tabletop exercises complement penetration tests.",
}


def compare_three() -> peers.Comparison:
    return peers.compare([("Ours", OURS), ("Peer A", PEER_A), ("Peer B", PEER_B)])


def test_the_six_flags_side_by_side_with_missing_as_none() -> None:
    comparison = compare_three()

    assert comparison.filers == ("Ours", "Peer A", "Peer B")
    flags = {row.element: row.values for row in comparison.flags}
    assert list(flags) == [e.name for e in el.annual_elements() if e.is_flag]
    assert len(flags) == 6
    assert flags[el.FLAG_INTEGRATED] == (True, True, None)
    assert flags[el.FLAG_THIRD_PARTY_ENGAGED] == (True, False, None)
    assert flags[el.FLAG_MATERIALLY_AFFECTED] == (False, None, True)
    assert flags[el.FLAG_REPORT_TO_BOARD] == (None, True, None)


def test_disagreement_lists_only_peers_whose_tagged_flag_differs() -> None:
    rows = {row.element: row for row in compare_three().flags}

    assert rows[el.FLAG_THIRD_PARTY_ENGAGED].disagree == ("Peer A",)
    assert rows[el.FLAG_MATERIALLY_AFFECTED].disagree == ("Peer B",)
    assert rows[el.FLAG_INTEGRATED].disagree == ()
    assert rows[el.FLAG_REPORT_TO_BOARD].disagree == ()  # ours is untagged: nothing to differ


def test_each_text_block_has_its_word_count_and_key_terms() -> None:
    rows = {row.element: row for row in compare_three().texts}

    ours, peer_a, peer_b = rows[el.TEXT_PROCESSES].cells
    assert ours is not None and peer_a is not None and peer_b is not None
    assert ours.words == len(str(OURS[el.TEXT_PROCESSES]).split()) == 8
    assert ours.key_terms == ("quarterly", "training", "monitoring")
    assert peer_a.key_terms == ("annual", "third-party", "penetration test", "ISO 27001", "NIST")
    assert peer_b.key_terms == (
        "penetration test",
        "bug bounty",
        "tabletop",
        "drills and exercises",
    )
    assert rows[el.TEXT_BOARD_OVERSIGHT].cells[2] is None
    assert [row.element for row in compare_three().texts] == [
        e.name for e in el.annual_elements() if not e.is_flag
    ]


def test_gaps_are_terms_peers_mention_and_ours_does_not() -> None:
    comparison = compare_three()

    gaps = {gap.term: gap.peers for gap in comparison.gaps}
    assert gaps["penetration test"] == ("Peer A", "Peer B")
    assert gaps["CISO"] == ("Peer A",)
    assert gaps["bug bounty"] == ("Peer B",)
    assert "quarterly" not in gaps  # Peer A says "each quarter", but ours says it too
    assert "audit committee" not in gaps
    assert comparison.gaps[0].term == "penetration test"  # the most peers first
    row = next(r for r in comparison.texts if r.element == el.TEXT_BOARD_OVERSIGHT)
    assert {g.term: g.peers for g in row.gaps} == {"quarterly": ("Peer A",), "CISO": ("Peer A",)}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We hired a CISO.", ("CISO",)),
        ("Our chief information security officer reports.", ("CISO",)),
        ("We use Cisco routers and a ciso-like role.", ()),
        ("Artificial intelligence and AI tools.", ("artificial intelligence",)),
        ("He said it was fair.", ()),
        ("Certified to ISO 27001 and SOC 2 Type II.", ("ISO 27001", "SOC 2", "certification")),
        ("Level 3 of the Multi-Level Protection Scheme (MLPS 2.0).", ("MLPS",)),
        ("Table-top drills once a year.", ("annual", "tabletop", "drills and exercises")),
    ],
)
def test_key_terms_match_whole_phrases_and_acronyms_by_case(text: str, found: tuple[str]) -> None:
    assert peers.key_terms(text) == found


def test_frequent_words_skip_stopwords_and_words_every_disclosure_uses() -> None:
    text = "Cybersecurity risk: our vendors and vendors' vendors; suppliers audit suppliers. Audit!"

    summary = peers.summarize(text)

    # "cybersecurity", "risk" (every disclosure's words), "our", "and" (stopwords) are left out;
    # ties are alphabetical.
    assert summary.frequent == (("vendors", 3), ("audit", 2), ("suppliers", 2))
    assert summary.words == 11


def test_incident_text_blocks_appear_only_when_a_filer_has_them() -> None:
    incident = {el.INCIDENT_NATURE: "Ransomware encrypted file servers."}

    with_incident = peers.compare([("Ours", OURS), ("Peer", incident)])
    without = compare_three()

    assert el.INCIDENT_NATURE in [row.element for row in with_incident.texts]
    assert el.INCIDENT_NATURE not in [row.element for row in without.texts]


def test_comparing_nothing_or_mistyped_values_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as empty:
        peers.compare([])
    with pytest.raises(InvalidInput) as mistyped:
        peers.compare([("Ours", OURS), ("Peer", {el.FLAG_INTEGRATED: "yes"})])

    assert empty.value.field == "filings"
    assert mistyped.value.field == el.FLAG_INTEGRATED
    assert mistyped.value.message.startswith("Peer: ")


def test_unknown_elements_in_a_filing_are_ignored() -> None:
    comparison = peers.compare([("Ours", {**OURS, "SomethingElse": 3})])  # type: ignore[dict-item]

    # Vocabulary order, across all text blocks.
    assert comparison.key_terms == (("quarterly", "audit committee", "training", "monitoring"),)


def test_json_and_text_renderings() -> None:
    comparison = compare_three()

    data = json.loads(json.dumps(peers.as_json(comparison)))
    text = peers.as_text(comparison)

    assert data["columns"] == ["Ours", "Peer A", "Peer B"]
    engaged = next(f for f in data["flags"] if f["element"] == el.FLAG_THIRD_PARTY_ENGAGED)
    assert engaged["values"] == [True, False, None]
    assert data["gaps"][0] == {"term": "penetration test", "peers": ["Peer A", "Peer B"]}
    assert {"term": "CISO", "phrases": ["CISO", "chief information security officer"]} in data[
        "vocabulary"
    ]
    row = next(line for line in text.splitlines() if line.startswith("Third Party Engaged"))
    assert row.split("|")[1:] == [" yes                      ", " no                       ", " -"]
    assert "  penetration test: Peer A, Peer B" in text
