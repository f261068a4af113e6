"""Claims in the (possibly edited) narrative, checked against the record of the fiscal year.

Each rule is a small function that finds one kind of claim by pattern, sentence by sentence, and
says where the record contradicts it. Add a rule by writing one more function and listing it in
RULES. An "error" contradicts the record (approval is blocked); a "warning" asks for a look.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.urls import reverse

from riskward.core.models import Organization
from riskward.disclosure import narrative, record, year_record
from riskward.disclosure.year_record import YearRecord
from riskward.governance.models import Committee
from riskward.program.models import Drill

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    """A claim of the text the record does not bear out, and the page that shows why."""

    element: str
    claim: str
    message: str
    severity: str  # "error" | "warning"
    evidence_url: str


@dataclass(frozen=True)
class Sentence:
    element: str
    text: str


@dataclass(frozen=True)
class Claims:
    """The texts cut into sentences, with the record they are checked against."""

    rec: YearRecord
    sentences: tuple[Sentence, ...]

    def matching(self, pattern: re.Pattern[str]) -> Iterator[tuple[Sentence, re.Match[str]]]:
        """Each sentence that makes the claim, once, with the claim's first match."""
        for sentence in self.sentences:
            if match := pattern.search(sentence.text):
                yield sentence, match


def split_sentences(texts: Mapping[str, str]) -> tuple[Sentence, ...]:
    return tuple(
        Sentence(element, part.strip())
        for element, text in texts.items()
        for part in re.split(r"(?<=[.!?])\s+|\n+", text or "")
        if part.strip()
    )


def finding(sentence: Sentence, message: str, url: str, severity: str = ERROR) -> Finding:
    claim = sentence.text if len(sentence.text) <= 300 else sentence.text[:299] + "…"
    return Finding(sentence.element, claim, message, severity, url)


def _day(value: object) -> str:
    return f"{value:%Y-%m-%d}"


# --- the rules --------------------------------------------------------------------------------

QUARTERLY_TRAINING = re.compile(
    r"\bquarterly\b[^.]*\btraining\b|\btraining\b[^.]*\b(?:every|each) quarter\b", re.I
)


def quarterly_training(claims: Claims) -> Iterator[Finding]:
    """ "Quarterly training", but a fiscal quarter passed without a session."""
    rec = claims.rec
    url = reverse("program:training_by_quarter") + f"?year={rec.year}"
    gaps = [q for q in rec.quarters if not q.sessions]
    for sentence, _ in claims.matching(QUARTERLY_TRAINING):
        for quarter in gaps:
            yield finding(
                sentence,
                f"{quarter.label} ({_day(quarter.starts_on)} to {_day(quarter.ends_on)}) has no "
                "training session in the record.",
                url,
            )


REPORT_CADENCE = re.compile(
    r"\breport[^.]*?\b(?P<freq>(?:at least )?once a year|annually|yearly|every year|each year"
    r"|twice a year|semi-annually|quarterly|every quarter)\b",
    re.I,
)
EXPECTED_REPORTS = {"twice a year": 2, "semi-annually": 2, "quarterly": 4, "every quarter": 4}


def _named_committees(rec: YearRecord, text: str) -> list[Committee]:
    lowered = text.lower()
    return [c for c in rec.committees if c.name.lower() in lowered]


def committee_reports(claims: Claims) -> Iterator[Finding]:
    """Reports to a committee "at least once a year" (twice, quarterly), but fewer in the year."""
    rec = claims.rec
    for sentence, match in claims.matching(REPORT_CADENCE):
        if not re.search(r"committee|board", sentence.text, re.I):
            continue
        frequency = match["freq"].lower().removeprefix("at least ")
        expected = EXPECTED_REPORTS.get(frequency, 1)
        bodies = _named_committees(rec, sentence.text) or rec.delegated_committees or rec.boards
        for body in bodies:
            count = sum(1 for r in rec.reports if r.committee_id == body.pk)
            if count < expected:
                yield finding(
                    sentence,
                    f"The text says the {body.name} receives reports {match['freq']}, but the "
                    f"record has {count} cybersecurity report(s) to it in {rec.label}.",
                    body.get_absolute_url(),
                )


ANNUAL_ASSESSMENTS = re.compile(
    r"\bannual (?:security )?assessments?\b|\bassessed annually\b"
    r"|\bassessments? (?:every|each) year\b",
    re.I,
)


def annual_assessments(claims: Claims) -> Iterator[Finding]:
    """ "Completed annual assessments", but a certification lacks a passed engagement in a year."""
    rec = claims.rec
    held = [
        c
        for c in rec.held_certifications
        if c.assessment_frequency_months == 12
        and year_record.fiscal_year_of(rec.org, c.obtained_on) < rec.year
    ]
    for sentence, _ in claims.matching(ANNUAL_ASSESSMENTS):
        for certification in held:
            missing = year_record.missing_assessment_years(rec.org, certification, rec.year)
            if missing:
                years = ", ".join(str(y) for y in missing)
                yield finding(
                    sentence,
                    f"{certification}: no passed assessor engagement finished in fiscal year "
                    f"{years}.",
                    certification.get_absolute_url(),
                )


CERTIFICATION = re.compile(r"\bcertifications?\b", re.I)


def lapsed_certifications(claims: Claims) -> Iterator[Finding]:
    """A certification the text names had expired (or was surrendered) before the year end."""
    rec = claims.rec
    for sentence, _ in claims.matching(CERTIFICATION):
        lowered = sentence.text.lower()
        for certification in rec.certifications:
            if narrative.scheme_name(certification).lower() not in lowered:
                continue
            if certification.expires_on and certification.expires_on < rec.end:
                problem = f"expired on {_day(certification.expires_on)}"
            elif not certification.is_active:
                problem = "is marked inactive (surrendered)"
            else:
                continue
            yield finding(
                sentence,
                f"{certification} {problem}, before the end of {rec.label}.",
                certification.get_absolute_url(),
            )


DRILLS = re.compile(r"\bdrills?\b(?:[^.]*?\borganized by (?:the )?(?P<by>[^,.;]+))?", re.I)


def drills(claims: Claims) -> Iterator[Finding]:
    """Drills claimed, but none in the year (or none organized by the body the text names)."""
    rec = claims.rec
    url = reverse("program:drill_list")
    external = [d for d in rec.drills if d.organizer_kind == Drill.OrganizerKind.EXTERNAL]
    for sentence, match in claims.matching(DRILLS):
        if not rec.drills:
            yield finding(sentence, f"No drill is recorded in {rec.label}.", url)
            continue
        by = (match["by"] or "").strip().lower()
        if by and not any(by in d.organizer.lower() or d.organizer.lower() in by for d in external):
            yield finding(
                sentence, f"No drill organized by the {by} is recorded in {rec.label}.", url
            )


NOT_MATERIAL = re.compile(r"\b(?:not experienced any|no)\b[^.]*\bmaterially affect", re.I)


def material_incidents(claims: Claims) -> Iterator[Finding]:
    """ "Not experienced any ... materially affected", but an incident was determined material."""
    incidents = claims.rec.material_incidents
    if not incidents:
        return
    names = "; ".join(f"{i} (determined material on {_day(i.determined_on)})" for i in incidents)
    for sentence, _ in claims.matching(NOT_MATERIAL):
        yield finding(
            sentence,
            f"The record has incidents determined material in {claims.rec.label}: {names}.",
            incidents[0].get_absolute_url(),
        )


MATERIALITY = re.compile(r"\bmaterially affect", re.I)
NEGATION = re.compile(r"\b(?:not|no|never|none)\b", re.I)
HYPOTHETICAL = re.compile(r"\b(?:could|may|might|would)\b", re.I)


def materiality_flag(claims: Claims) -> Iterator[Finding]:
    """The materiality sentence says the opposite of the computed flag."""
    rec = claims.rec
    flag = record.materially_affected(rec)
    url = reverse("incidents:incident_list")
    for sentence, _ in claims.matching(MATERIALITY):
        if HYPOTHETICAL.search(sentence.text):
            continue
        denies = bool(NEGATION.search(sentence.text))
        if denies and flag.value and not rec.material_incidents:  # incidents: rule above
            yield finding(sentence, f"The flag is true: {flag.reason}", url)
        elif not denies and not flag.value:
            yield finding(sentence, f"The flag is false: {flag.reason}", url, WARNING)


COMMITTEE_PHRASE = re.compile(r"((?:[\w'\u2019&-]+\s+){0,4})((?:sub)?committee)\b", re.I)
# Words that end a committee's name when reading backwards, and qualifiers that name none.
STOPWORDS = {
    *("a", "an", "the", "our", "its", "their", "his", "her", "of", "to", "from", "by", "and"),
    *("or", "with", "that", "which", "is", "are", "was", "were", "for", "in", "on", "at"),
    *("such", "this", "each", "any", "one", "other"),
}
GENERIC = {"board", "delegated", "responsible", "relevant", "designated"}


def committee_phrases(text: str) -> Iterator[str]:
    """Committee names in a text, e.g. "audit committee" from "Our audit committee is ..."."""
    for match in COMMITTEE_PHRASE.finditer(text):
        words = match[1].split()
        kept: list[str] = []
        for word in reversed(words):
            if word.lower() in STOPWORDS or word.lower().endswith(("'s", "\u2019s")):
                break
            kept.insert(0, word.lower())
        if kept and not set(kept) <= GENERIC:
            yield " ".join([*kept, match[2].lower()])


def named_committees(claims: Claims) -> Iterator[Finding]:
    """The text names a committee the record does not have."""
    names = [c.name.lower() for c in claims.rec.committees]
    url = reverse("governance:committee_list")
    for sentence in claims.sentences:
        for phrase in dict.fromkeys(committee_phrases(sentence.text)):
            if not any(name == phrase or name.endswith(" " + phrase) for name in names):
                yield finding(sentence, f"No committee named “{phrase}” is in the record.", url)


EXPERIENCE = re.compile(
    r"\b(?:(?P<q>near|nearly|almost|about|approximately|around|over|more than)\s+)?"
    r"(?P<n>\d{1,2})(?P<plus>\+)?\s+years['\u2019]?\s+(?:of\s+)?(?:\w+\s+)?(?:experience|expertise)",
    re.I,
)


def matches_years(qualifier: str, stated: int, plus: bool, actual: int) -> bool:
    """Does `actual` bear out "near 20", "over 15", "about 10", "20+" or "20" years?"""
    qualifier = qualifier.lower()
    if plus or qualifier in ("over", "more than"):
        return actual > stated or (plus and actual == stated)
    if qualifier in ("near", "nearly", "almost"):
        return stated - 2 <= actual <= stated
    if qualifier in ("about", "approximately", "around"):
        return abs(actual - stated) <= 2
    return actual == stated


def years_of_experience(claims: Claims) -> Iterator[Finding]:
    """Years of experience stated in the text, against the responsible people's records."""
    rec = claims.rec
    primary = rec.primary_responsibility
    people = [r for r in rec.responsibilities if r.years_experience is not None]
    url = primary.get_absolute_url() if primary else reverse("governance:responsibility_list")
    for sentence, match in claims.matching(EXPERIENCE):
        stated = f"{match['q'] + ' ' if match['q'] else ''}{match['n']}{match['plus'] or ''}"
        if not people:
            yield finding(
                sentence,
                "The text states years of experience, but no responsibility records them.",
                url,
                WARNING,
            )
            continue
        n, plus = int(match["n"]), bool(match["plus"])
        if not any(
            matches_years(match["q"] or "", n, plus, r.years_experience or 0) for r in people
        ):
            recorded = ", ".join(f"{r.person}: {r.years_experience}" for r in people)
            yield finding(
                sentence,
                f"The text states {stated} years of experience; the record has {recorded}.",
                url,
            )


THIRD_PARTY_ENGAGED = re.compile(r"\bengaged\b[^.]*\bthird[- ]part(?:y|ies)\b", re.I)


def third_party_engagements(claims: Claims) -> Iterator[Finding]:
    """Third parties said to be engaged, but no assessor engagement ran in the year."""
    rec = claims.rec
    if rec.engagements:
        return
    for sentence, _ in claims.matching(THIRD_PARTY_ENGAGED):
        yield finding(
            sentence,
            f"No third-party assessor engagement is recorded in {rec.label}.",
            reverse("controls:engagement_list"),
        )


Rule = Callable[[Claims], Iterator[Finding]]
RULES: list[Rule] = [
    quarterly_training,
    committee_reports,
    annual_assessments,
    lapsed_certifications,
    drills,
    material_incidents,
    materiality_flag,
    named_committees,
    years_of_experience,
    third_party_engagements,
]


def check_claims(
    org: Organization, year: int, texts: Mapping[str, str], rec: YearRecord | None = None
) -> list[Finding]:
    """Every rule's findings for the texts of fiscal year `year`, in rule order."""
    claims = Claims(rec or YearRecord(org, year), split_sentences(texts))
    return [found for rule in RULES for found in rule(claims)]
