"""The annual disclosure's ten text blocks, drafted from the record of one fiscal year.

Each block is a small function over `YearRecord`; the wording lives in the module-level strings
and phrase functions below, so a change of style is one edit here. A sentence is written only
when the record supports it: a claim the record cannot show is left out, not invented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from riskward.controls.models import Certification
from riskward.core.models import Organization
from riskward.disclosure import record, year_record
from riskward.disclosure.elements import (
    TEXT_BOARD_COMMITTEE,
    TEXT_BOARD_OVERSIGHT,
    TEXT_EXPERTISE,
    TEXT_INFORMING_COMMITTEE,
    TEXT_INFORMING_MANAGEMENT,
    TEXT_INTEGRATED,
    TEXT_MATERIALLY_AFFECTED,
    TEXT_POSITIONS_RESPONSIBLE,
    TEXT_PROCESSES,
    TEXT_ROLE_OF_MANAGEMENT,
)
from riskward.governance.models import CommitteeReport, ResponsibilityAssignment
from riskward.program.models import Drill
from riskward.risks.models import Risk

YearRecord = year_record.YearRecord

STRATEGY_HEADING = "Cybersecurity Risk Management Strategy"
PRACTICE_HEADING = "Cybersecurity Risk Management Practice"
# Where the annual report's risk factors are, when the disclosure does not say more precisely.
RISK_FACTORS: dict[str, str] = {
    Organization.FilerType.FOREIGN_20F: "“Item 3. Key Information—3.D. Risk Factors”",
    Organization.FilerType.DOMESTIC_10K: "“Item 1A. Risk Factors”",
}
# The disclosure names a protection scheme without the programme's acronym.
SCHEME_PREFIXES = ("MLPS ",)
# Pronoun and verbs for "... possesses extensive knowledge"; "they" where the record is silent.
PRONOUNS = {
    "he": ("he", "possesses", "has"),
    "she": ("she", "possesses", "has"),
    "they": ("they", "possess", "have"),
}
CADENCES = {
    1: "at least monthly",
    3: "at least quarterly",
    6: "at least twice a year",
    12: "at least once a year",
    24: "at least every two years",
}
NOT_MATERIAL = (
    "In {period}, we have not experienced any cybersecurity incidents or cybersecurity threats "
    "that have materially affected or are reasonably likely to materially affect our business "
    "strategy, results of operations, or financial condition."
)
MATERIAL_INCIDENTS = (
    "In {period}, we determined that {incidents} materially affected or {verb} reasonably likely "
    "to materially affect our business strategy, results of operations, or financial condition."
)
LIKELY_RISKS = (
    "Our quantified risk analysis shows that {risks} {verb} reasonably likely to cause a loss "
    "above our materiality threshold."
)
CAVEAT = (
    "However, despite our abovementioned efforts, as the complexity of cybersecurity threats "
    "continues to evolve, there may still persist vulnerabilities in the cybersecurity risk "
    "prevention and network information system protection measures. Even with a meticulously "
    "crafted and implemented prevention mechanism, we may not be able to completely eliminate all "
    "risks from cybersecurity threats{ai}.{emerging} Consequently, these potential cybersecurity "
    "incidents could introduce new risks to our business operations in the future. For more "
    "information about these risks, please see {reference}."
)
AI_CLAUSE = (
    ", including those risks caused by improper use of artificial intelligence technology by "
    "third-parties"
)
EMERGING = (
    " Moreover, we may not be able to predict new type of cybersecurity threats amidst rapid "
    "technological advancements, which could result in our inability to timely implement "
    "effective preventive measures."
)
AI_THREAT = re.compile(r"\bAI\b|artificial intelligence|deepfake|\bLLM\b|machine learning", re.I)
THIRD_PARTIES = (
    "qualified third parties for assessment, identification, or management of material risks "
    "from cybersecurity threats"
)


# --- phrases ----------------------------------------------------------------------------------


def english_join(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b, and c" (the serial comma, as the disclosure writes lists)."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def lower_name(name: str) -> str:
    """A name used as a common noun: "Technical Support" -> "technical support"; "IT" stays."""
    return " ".join(w if sum(c.isupper() for c in w) > 1 else w.lower() for w in name.split())


def sentence_lower(text: str) -> str:
    """Lower-case the first word of sentence-case text; a Proper Name In Title Case stays."""
    first, _, rest = text.strip().partition(" ")
    if rest and rest != rest.lower():
        return text.strip()
    return " ".join(filter(None, [lower_name(first), rest]))


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def cadence_phrase(months: int | None) -> str:
    if not months:
        return ""
    return CADENCES.get(months, f"at least every {months} months")


def years_phrase(years: int) -> str:
    """19 -> "near 20", 22 -> "over 20", 20 -> "20": how experience is rounded in prose."""
    if years < 5 or years % 5 == 0:
        return str(years)
    if years % 5 == 4:
        return f"near {years + 1}"
    return f"over {years - years % 5}"


def departments_phrase(names: Iterable[str]) -> str:
    """ "internal audit and internal control departments"."""
    bare = [lower_name(n.removesuffix(" Department").removesuffix(" department")) for n in names]
    return english_join(bare) + (" department" if len(bare) == 1 else " departments")


def position(assignment: ResponsibilityAssignment) -> tuple[str, str]:
    """(determiner, noun): ("the", "head of our research and development team")."""
    department = assignment.person.department
    title = assignment.title.strip()
    if department is not None and title.lower() == f"head of {department.name.lower()}":
        return "the", f"head of our {lower_name(department.name)} team"
    return "our", lower_name(title)


def pronoun(assignment: ResponsibilityAssignment) -> tuple[str, str, str]:
    """(pronoun, "possess(es)", "has/have") for the person; Person records a pronoun once it can."""
    value = str(getattr(assignment.person, "pronoun", "") or "they").strip().lower()
    return PRONOUNS.get(value, PRONOUNS["they"])


def scheme_name(certification: Certification) -> str:
    scheme = certification.scheme.strip()
    for prefix in SCHEME_PREFIXES:
        scheme = scheme.removeprefix(prefix)
    return scheme


def certification_phrase(certification: Certification, determiner: str = "") -> str:
    """ "a Level 3 certification for Information System Security Protection"."""
    level = certification.level.strip()
    determiner = determiner or article(level or "certification")
    named = f"{level} certification" if level else "certification"
    return f"{determiner} {named} for {scheme_name(certification)}"


def issuer_name(certification: Certification) -> str:
    issuer = certification.issuer.split(" (")[0].strip()
    return issuer if issuer.lower().startswith("the ") or not issuer else f"the {issuer}"


# --- paragraphs -------------------------------------------------------------------------------


def integration_paragraph(rec: YearRecord) -> str:
    sentences = []
    if record.integrated(rec).value:
        sentences.append(
            "Cybersecurity risk management is an integral part of our overall risk management "
            "program."
        )
    if any(row["assessed"] for row in rec.risk_categories):
        sentences.append(
            "Currently, we have implemented a comprehensive risk management process to identify, "
            "oversee, assess, and manage material risks related to cybersecurity threats."
        )
    if rec.control_profile["total"] and rec.method_controls["response"]:
        sentences.append(
            "We have also devised corresponding management measures to prevent, oversee, "
            "mitigate, and rectify material cybersecurity incidents."
        )
    return " ".join(sentences)


def training_method(rec: YearRecord) -> str:
    if not rec.training:
        return ""
    quarterly = all(q.sessions for q in rec.quarters)
    return f"providing {'quarterly ' if quarterly else ''}cybersecurity training for employees"


def drills_method(drills: Sequence[Drill]) -> str:
    external = [d for d in drills if d.organizer_kind == Drill.OrganizerKind.EXTERNAL]
    organizers = list(dict.fromkeys(f"the {sentence_lower(d.organizer)}" for d in external))
    parts = []
    if len(external) < len(drills):
        parts.append("conducting internal cybersecurity drills")
    if organizers:
        parts.append(
            f"participating in cybersecurity drills organized by {english_join(organizers)}"
        )
    return " and ".join(parts)


def methods(rec: YearRecord) -> list[str]:
    """The program's methods, in the disclosure's order, each only where the record shows it."""
    controls = rec.method_controls
    bounty = "and reward " if controls["bounty"] else ""
    found = [
        (rec.control_profile["technical"], "implementing technical safeguard measures"),
        (
            rec.held_certifications or rec.has_compliance_assessments,
            "establishing and adhering to compliance procedures",
        ),
        (
            controls["disclosure"] + controls["bounty"],
            f"implementing vulnerability discovery {bounty}mechanisms",
        ),
        (controls["monitoring"], "conducting real-time monitoring of our network"),
        (
            record.third_party_oversight(rec).value,
            "evaluating cybersecurity measures of third-party suppliers",
        ),
        (
            controls["response"],
            "maintaining a robust response mechanism for cybersecurity incidents",
        ),
        (True, training_method(rec)),
        (True, drills_method(rec.drills)),
    ]
    return [text for shown, text in found if shown and text]


def defense_paragraph(rec: YearRecord) -> str:
    profile = rec.control_profile
    sources = [name for name in ("internal", "external") if profile[name]]
    sentences = []
    if sources:
        both = "both " if len(sources) == 2 else ""
        sentences.append(
            "We have established a comprehensive cybersecurity defense system to effectively "
            f"mitigate {both}{english_join(sources)} cybersecurity risks."
        )
    if found := methods(rec):
        sentences.append(
            "We employ various methods to manage cybersecurity risks and safeguard information "
            f"security. These methods include {english_join(found)}."
        )
    if performance := [d for d in rec.departments if _monitors_performance(d.responsibilities)]:
        names = english_join([lower_name(d.name) for d in performance])
        plural = len(performance) > 1
        sentences.append(
            f"In particular, our {names} {'departments' if plural else 'department'} regularly "
            f"{'monitor' if plural else 'monitors'} the performance of our platforms, applications "
            "and infrastructure, which enables us to swiftly respond to any potential "
            "cybersecurity vulnerabilities and mitigate associated threats."
        )
    return " ".join(sentences)


def _monitors_performance(text: str) -> bool:
    lowered = text.lower()
    return "monitor" in lowered and "performance" in lowered


def materiality_paragraph(rec: YearRecord) -> str:
    if not record.materially_affected(rec).value:
        return NOT_MATERIAL.format(period=rec.label)
    sentences = []
    if incidents := rec.material_incidents:
        titles = english_join([f"the {sentence_lower(i.title)}" for i in incidents])
        verb = "is" if len(incidents) == 1 else "are"
        sentences.append(MATERIAL_INCIDENTS.format(period=rec.label, incidents=titles, verb=verb))
    if likely := rec.exceedances:
        risks = english_join([f"the risk of {sentence_lower(e.risk.title)}" for e in likely])
        sentences.append(LIKELY_RISKS.format(risks=risks, verb="is" if len(likely) == 1 else "are"))
    return " ".join(sentences)


def missing_years(rec: YearRecord, certification: Certification) -> list[int] | None:
    """Fiscal years since it was obtained without a passed assessment; None if not annual."""
    if certification.assessment_frequency_months != 12:
        return None
    return year_record.missing_assessment_years(rec.org, certification, rec.year)


def certifications_sentence(rec: YearRecord) -> str:
    held = rec.held_certifications
    if not held:
        return ""
    items = []
    for certification in held:
        item = f"{certification_phrase(certification)} in {certification.obtained_on.year}"
        if issuer := issuer_name(certification):
            item += f" in accordance with the standards promulgated by {issuer}"
        items.append(item)
    checked = [
        missing_years(rec, c)
        for c in held
        if year_record.fiscal_year_of(rec.org, c.obtained_on) < rec.year
    ]
    annual = [years for years in checked if years is not None]
    if annual and not any(annual):  # every annual assessment since was passed
        items.append(
            "successfully completed annual assessments for the relevant security certifications "
            "in the subsequent years"
        )
    return f"Additionally, we obtained {english_join(items)}."


def ai_risks(rec: YearRecord) -> list[Risk]:
    """Emerging risks of third parties misusing AI (an external or supplier threat)."""
    return [
        r
        for r in rec.emerging_risks
        if r.threat_source != Risk.ThreatSource.INTERNAL
        and AI_THREAT.search(f"{r.title} {r.threat}")
    ]


def caveat_paragraph(rec: YearRecord, reference: str) -> str:
    return CAVEAT.format(
        ai=AI_CLAUSE if ai_risks(rec) else "",
        emerging=EMERGING if rec.emerging_risks else "",
        reference=reference,
    )


# --- governance and management ----------------------------------------------------------------


def _senders(reports: Sequence[CommitteeReport]) -> str:
    """Who reported: "our internal audit and internal control departments"."""
    departments = sorted({r.from_department.name for r in reports if r.from_department})
    people = list(
        dict.fromkeys(
            lower_name(r.from_person.title or r.from_person.name)
            for r in reports
            if r.from_department is None and r.from_person is not None
        )
    )
    parts = [f"our {departments_phrase(departments)}"] if departments else []
    return english_join(parts + [f"our {title}" for title in people])


def informing_committee(rec: YearRecord) -> str:
    sentences = []
    for committee in rec.delegated_committees or rec.boards:
        name, cadence = (
            lower_name(committee.name),
            cadence_phrase(committee.reporting_cadence_months),
        )
        when = f" {cadence}" if cadence else ""
        senders = _senders([r for r in rec.reports if r.committee_id == committee.pk])
        if senders:
            sentences.append(
                f"Supported by {senders}, the {name} receives reports concerning cybersecurity "
                f"from {senders}{when}."
            )
        elif cadence:
            sentences.append(f"The {name} is to receive reports concerning cybersecurity{when}.")
    return " ".join(sentences)


def board_oversight(rec: YearRecord) -> str:
    sentences = [
        f"Our {lower_name(board.name)} has overall oversight responsibility for our risk "
        "assessment and management of crises resulting from material risk events."
        for board in rec.boards[:1]
    ]
    if delegated := rec.delegated_committees:
        names = english_join([lower_name(c.name) for c in delegated])
        verb = "is" if len(delegated) == 1 else "are"
        sentences.append(
            f"Our {names} {verb} delegated to oversee our cybersecurity-related management."
        )
    sentences.append(informing_committee(rec))
    return " ".join(s for s in sentences if s)


def board_committee(rec: YearRecord) -> str:
    return english_join([lower_name(c.name) for c in rec.delegated_committees])


def positions_responsible(rec: YearRecord) -> str:
    if (primary := rec.primary_responsibility) is not None:
        return position(primary)[1]
    return board_committee(rec)


def responsibility_sentence(primary: ResponsibilityAssignment) -> str:
    determiner, noun = position(primary)
    duties = (
        sentence_lower(primary.duties.strip().rstrip(".")) or "management of cybersecurity risks"
    )
    duties = duties if duties.startswith("the ") else f"the {duties}"
    return f"{capitalized(determiner)} {noun} is responsible for {duties}."


def expertise_sentence(primary: ResponsibilityAssignment) -> str:
    subject, possesses, has = pronoun(primary)
    area = sentence_lower(primary.expertise.split(":")[0].split(".")[0])
    if primary.years_experience is None:
        return f"{capitalized(subject)} {has} experience in {area}." if area else ""
    field = f"in {area}" if area else "in the field"
    return (
        f"With {years_phrase(primary.years_experience)} years of experience {field}, {subject} "
        f"{possesses} extensive knowledge and skills in cybersecurity."
    )


def expertise(rec: YearRecord) -> str:
    if (primary := rec.primary_responsibility) is None:
        return ""
    return " ".join(s for s in (responsibility_sentence(primary), expertise_sentence(primary)) if s)


def monitoring_departments(rec: YearRecord) -> str:
    found = [
        d.name
        for d in rec.departments
        if year_record.mentions_cyber(d.responsibilities)
        and "monitor" in d.responsibilities.lower()
    ]
    if not found:
        return ""
    return (
        f"Departments such as the {departments_phrase(found)} are responsible for overseeing the "
        "day-to-day operations of cybersecurity risk monitoring within our group."
    )


def third_parties_sentence(rec: YearRecord) -> str:
    if not rec.engagements:
        return ""
    annual = [
        c
        for c in rec.held_certifications
        if year_record.fiscal_year_of(rec.org, c.obtained_on) < rec.year
        and missing_years(rec, c) == []
    ]
    if not annual:
        return f"In {rec.label}, we engaged {THIRD_PARTIES}."
    first = annual[0]
    return (
        f"We have engaged {THIRD_PARTIES} annually, subject to the requirements in connection "
        f"with {certification_phrase(first, 'our')} since {first.obtained_on.year}."
    )


def role_of_management(rec: YearRecord) -> str:
    parts = [expertise(rec), monitoring_departments(rec), third_parties_sentence(rec)]
    return " ".join(p for p in parts if p)


def informing_management(rec: YearRecord) -> str:
    if (primary := rec.primary_responsibility) is None:
        return ""
    _, noun = position(primary)
    below = [r for r in rec.responsibilities if r.reports_to_person_id == primary.person_id]
    sentences = []
    if below:
        titles = english_join([lower_name(r.title) for r in below])
        verb = "reports" if len(below) == 1 else "report"
        sentences.append(f"Our {titles} {verb} to the {noun} on cybersecurity risks.")
    if (committee := primary.reports_to_committee) is not None:
        sentences.append(
            f"The {noun} reports to the {lower_name(committee.name)} on cybersecurity risks."
        )
    if determined := [i for i in rec.incidents if i.determined_on]:
        sentences.append(
            "Cybersecurity incidents are recorded and each receives a materiality determination; "
            f"{_count(len(determined), 'incident')} {'was' if len(determined) == 1 else 'were'} "
            f"determined in {rec.label}."
        )
    return " ".join(sentences)


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- the ten blocks ---------------------------------------------------------------------------


def risk_factors_reference(org: Organization) -> str:
    where = RISK_FACTORS.get(org.filer_type, RISK_FACTORS[Organization.FilerType.DOMESTIC_10K])
    return f"{where} in this annual report"


def processes(rec: YearRecord, reference: str) -> str:
    practice = " ".join(p for p in (materiality_paragraph(rec), certifications_sentence(rec)) if p)
    paragraphs = [
        STRATEGY_HEADING,
        integration_paragraph(rec),
        defense_paragraph(rec),
        PRACTICE_HEADING,
        practice,
        caveat_paragraph(rec, reference),
    ]
    return "\n".join(p for p in paragraphs if p)


def integrated(rec: YearRecord) -> str:
    return "\n".join(p for p in (integration_paragraph(rec), defense_paragraph(rec)) if p)


BLOCKS: dict[str, Callable[[YearRecord], str]] = {
    TEXT_INTEGRATED: integrated,
    TEXT_MATERIALLY_AFFECTED: materiality_paragraph,
    TEXT_BOARD_OVERSIGHT: board_oversight,
    TEXT_BOARD_COMMITTEE: board_committee,
    TEXT_INFORMING_COMMITTEE: informing_committee,
    TEXT_ROLE_OF_MANAGEMENT: role_of_management,
    TEXT_POSITIONS_RESPONSIBLE: positions_responsible,
    TEXT_EXPERTISE: expertise,
    TEXT_INFORMING_MANAGEMENT: informing_management,
}


def draft_texts(
    org: Organization,
    year: int,
    *,
    risk_factors: str | None = None,
    rec: YearRecord | None = None,
) -> dict[str, str]:
    """The ten text blocks for fiscal year `year`; an empty string where the record says nothing.

    `risk_factors` names where the annual report's risk factors are (e.g. the heading and page);
    by default the form's risk-factor item.
    """
    rec = rec or YearRecord(org, year)
    texts = {TEXT_PROCESSES: processes(rec, risk_factors or risk_factors_reference(org))}
    texts.update({name: block(rec) for name, block in BLOCKS.items()})
    return texts
