"""Round trip: facts written as Inline XBRL by the writer read back identically by the importer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from riskward.disclosure.facts import Cover, FactSet, FactValue, Form
from riskward.disclosure.importers import import_filing
from riskward.disclosure.ixbrl import build_filing
from tests.disclosure.seed import SEED_NAME, SEED_PATH, needs_seed
from tests.disclosure.synthetic import EXPECTED_FACTS

SEED = SEED_PATH or Path(SEED_NAME)  # a missing file: the tests that need it are skipped


def cover(form: Form) -> Cover:
    return Cover(
        form=form,
        registrant_name="Example Holdings Ltd.",
        cik="0000123456",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
    )


def round_trip(facts: dict[str, FactValue], form: Form, year: int) -> None:
    package = build_filing(FactSet(cover=cover(form), facts=dict(facts), taxonomy_year=year))

    filing = import_filing(package.document, package.document_name)

    assert filing.facts == facts
    assert filing.format == "inline-xbrl"
    assert (filing.registrant_name, filing.cik, filing.form) == (
        "Example Holdings Ltd.",
        "0000123456",
        str(form),
    )
    assert filing.period_end == date(2024, 12, 31)
    assert filing.taxonomy_year == year
    assert filing.notes == ()


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("form", [Form.FORM_10K, Form.FORM_20F])
def test_synthetic_facts_survive_writing_and_reading(form: Form, year: int) -> None:
    round_trip(EXPECTED_FACTS, form, year)


@needs_seed
@pytest.mark.parametrize("year", [2024, 2025])
def test_the_seed_read_from_text_survives_writing_and_reading(year: int) -> None:
    seed = import_filing(SEED.read_bytes(), SEED.name)

    round_trip(seed.facts, Form.FORM_20F, year)
