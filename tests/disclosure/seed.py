"""The seed: the EDGAR rendering of the Form 20-F Item 16K this project was created from.

It is third-party text, so it is read from the shared folder beside the repository, never copied
into it; tests that need it are skipped (and say why) on a machine without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_NAME = "000_fadd27941013917f.txt"
PLACES = (
    Path(__file__).resolve().parents[3] / "shared" / "seed",  # beside this checkout
    Path("/work/shared/seed"),  # a clone elsewhere on the same machine (CI)
)


def _find() -> Path | None:
    return next((place / SEED_NAME for place in PLACES if (place / SEED_NAME).is_file()), None)


SEED_PATH = _find()
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8") if SEED_PATH else ""
needs_seed = pytest.mark.skipif(SEED_PATH is None, reason="the shared seed page is not here")
