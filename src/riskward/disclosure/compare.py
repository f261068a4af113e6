"""Two versions of a disclosure side by side, with word-level changes marked.

The result is plain data (segments of unchanged, removed and added words); templates render it
with auto-escaping, so no HTML is built here.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from riskward.disclosure.elements import all_elements


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class CompareRow:
    label: str
    left: Any
    right: Any
    changed: bool
    left_segments: tuple[Segment, ...]
    right_segments: tuple[Segment, ...]


def word_diff(left: str, right: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Each side as segments; words only on one side are marked removed (left) or added."""
    a, b = left.split(" "), right.split(" ")
    left_out: list[Segment] = []
    right_out: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left_out.append(Segment("same", " ".join(a[i1:i2])))
            right_out.append(Segment("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            left_out.append(Segment("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            right_out.append(Segment("added", " ".join(b[j1:j2])))
    return tuple(left_out), tuple(right_out)


def side_by_side(left: Mapping[str, Any], right: Mapping[str, Any]) -> list[CompareRow]:
    """Every element either side has, in presentation order."""
    rows = []
    for element in all_elements():
        if element.name not in left and element.name not in right:
            continue
        a, b = left.get(element.name), right.get(element.name)
        if isinstance(a, str) or isinstance(b, str):
            left_segments, right_segments = word_diff(str(a or ""), str(b or ""))
        else:
            left_segments = right_segments = ()
        rows.append(CompareRow(element.label, a, b, a != b, left_segments, right_segments))
    return rows
