"""Reading the demo's CSV tables (shipped in `riskward/demo/data/`) as lists of dicts."""

from __future__ import annotations

import csv
import io
from importlib import resources


def raw(name: str) -> bytes:
    """The bytes of `data/<name>.csv`, for a loader that goes through a user-facing importer."""
    return resources.files("riskward.demo.data").joinpath(f"{name}.csv").read_bytes()


def read(name: str) -> list[dict[str, str]]:
    """Rows of `data/<name>.csv`, keyed by the header line; cells stripped."""
    text = raw(name).decode("utf-8")
    return [
        {key: (value or "").strip() for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


def split(cell: str) -> list[str]:
    """A multi-valued cell: items separated by semicolons."""
    return [item.strip() for item in cell.split(";") if item.strip()]


def optional_int(cell: str) -> int | None:
    return int(cell) if cell else None


def yes(cell: str) -> bool:
    return cell.lower() in {"yes", "true", "1"}
