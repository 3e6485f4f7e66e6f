"""Kazakh, Russian and English: the chosen language, local formats, and the court's words.

The language is the signed-in user's choice (stored on the account), else the
one picked on the sign-in page (kept in the session), else the browser's
preference. Dates, times and money are formatted for that language by Babel;
times are shown in the court's time zone (Asia/Almaty, R12).

Catalogs ship as ``.po`` files under ``web/translations`` and are compiled to
``.mo`` when the app starts if they are missing or older than their source.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import request, session
from flask_babel import format_date, format_decimal, format_time, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

if TYPE_CHECKING:
    from flask_babel import LazyString

LANGUAGES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "ru"
TRANSLATIONS_SOURCE = Path(__file__).parent / "translations"

log = logging.getLogger(__name__)


def select_locale() -> str:
    if current_user and current_user.is_authenticated:
        language: str = current_user.language
        if language in LANGUAGES:
            return language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def compile_catalogs(source: Path = TRANSLATIONS_SOURCE) -> Path:
    """Compile every ``.po`` under ``source`` whose ``.mo`` is missing or stale; return the folder
    Flask-Babel should read (``source`` itself, or a temporary copy when it is read-only)."""
    target = source
    for po_path in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            _compile(po_path, mo_path)
        except OSError:
            target = Path(tempfile.mkdtemp(prefix="medcourt-translations-"))
            break
    else:
        return target
    for po_path in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        out = target / po_path.relative_to(source).with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        _compile(po_path, out)
    log.info("translations compiled into %s", target)
    return target


def _compile(po_path: Path, mo_path: Path) -> None:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)


# --- formats ----------------------------------------------------------------------------------------


def fmt_date(value: date | str | None) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value  # what someone typed (``2026-02-30``): shown as typed, escaped by the template
    return str(format_date(value, "medium"))


def fmt_datetime(value: datetime | str | None) -> str:
    """An instant in the court's time zone, in the reader's format."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return f"{format_date(value, 'medium')} {format_time(value, 'short')}"


def fmt_time(value: datetime) -> str:
    return str(format_time(value, "short"))


def fmt_money(value: Decimal | str | None) -> str:
    if value in (None, ""):
        return "—"
    # Locale digits and separators, always the tenge sign after the amount, as Kazakhstan writes it.
    return f"{format_decimal(Decimal(str(value)), format='#,##0.00')}\u00a0₸"


def fmt_number(value: Any) -> str:
    return str(format_decimal(value))


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


# --- the court's words -----------------------------------------------------------------------------

VOCABULARY: dict[str, dict[str, LazyString]] = {
    "track": {"administrative": _l("administrative"), "civil": _l("civil"), "criminal": _l("criminal")},
    "harm": {"none": _l("none (potential harm)"), "minor": _l("minor"), "moderate": _l("moderate"), "serious": _l("serious"), "death": _l("death")},
    "finding": {
        "incident": _l("incident"), "medical_error": _l("medical error"), "malpractice": _l("malpractice"),
        "no_causation": _l("no causation"), "unfounded": _l("unfounded"),
    },
    "disposition": {
        "liability_found": _l("liability found"), "no_liability": _l("no liability"), "settled": _l("settled"),
        "withdrawn": _l("withdrawn"), "terminated": _l("terminated"), "transferred": _l("transferred"),
    },
    "status": {"pending": _l("pending"), "decided": _l("decided"), "appealed": _l("under appeal"), "in_force": _l("in legal force")},
    "head": {"real_damage": _l("real damage"), "lost_profit": _l("lost profit"), "moral_harm": _l("moral harm")},
    "respondent_kind": {"specialist": _l("specialist"), "organization": _l("organization")},
    "relation": {"patient": _l("patient"), "relative": _l("relative"), "heir": _l("heir"), "representative": _l("representative")},
    "authority": {"prosecutor": _l("prosecutor"), "inspectorate": _l("inspectorate")},
    "sanction": {
        "fine": _l("fine"), "certificate_withdrawal": _l("certificate withdrawal"), "licence_suspension": _l("licence suspension"),
        "licence_revocation": _l("licence revocation"), "imprisonment": _l("imprisonment"),
    },
    "document_kind": {
        "claim": _l("claim"), "response": _l("response"), "motion": _l("motion"), "evidence": _l("evidence"),
        "medical_record": _l("medical record"), "expert_report": _l("expert report"), "protocol": _l("protocol"),
        "indictment": _l("indictment"), "settlement_agreement": _l("settlement agreement"), "ruling": _l("ruling"), "other": _l("other"),
    },
    "examination_kind": {"forensic_medical": _l("forensic medical"), "commission": _l("commission"), "complex": _l("complex")},
    "examination_status": {"ordered": _l("pending"), "reported": _l("reported"), "withdrawn": _l("withdrawn")},
    "hearing_status": {"scheduled": _l("scheduled"), "held": _l("held"), "cancelled": _l("cancelled")},
    "answer": {"yes": _l("yes"), "no": _l("no"), "partly": _l("partly"), "undetermined": _l("undetermined")},
    "mediation_outcome": {"settled": _l("settled"), "failed": _l("failed"), "withdrawn": _l("withdrawn")},
    "appeal_outcome": {"upheld": _l("upheld"), "modified": _l("modified"), "reversed": _l("reversed"), "remanded": _l("remanded")},
    "reopen_reason": {"remand": _l("remand"), "set_aside": _l("ruling set aside")},
    "seal_reason": {"minor": _l("a minor is involved"), "sensitive_diagnosis": _l("sensitive diagnosis"), "court_order": _l("court order")},
    "role": {"clerk": _l("clerk"), "judge": _l("judge"), "analyst": _l("analyst"), "admin": _l("administrator"), "system": _l("system")},
    "specialty": {
        "surgery": _l("surgery"), "obstetrics_gynecology": _l("obstetrics and gynecology"), "anesthesiology": _l("anesthesiology"),
        "pediatrics": _l("pediatrics"), "therapy": _l("therapy"), "cardiology": _l("cardiology"), "oncology": _l("oncology"),
        "traumatology": _l("traumatology"), "dentistry": _l("dentistry"), "emergency_medicine": _l("emergency medicine"),
        "neurology": _l("neurology"), "ophthalmology": _l("ophthalmology"),
    },
    "court": {
        "AST": _l("Astana"), "ALA": _l("Almaty (city)"), "SHY": _l("Shymkent"), "ABA": _l("Abai"), "AKM": _l("Akmola"),
        "AKT": _l("Aktobe"), "ALM": _l("Almaty region"), "ATY": _l("Atyrau"), "VKO": _l("East Kazakhstan"), "ZHM": _l("Jambyl"),
        "ZHT": _l("Jetisu"), "ZKO": _l("West Kazakhstan"), "KAR": _l("Karaganda"), "KOS": _l("Kostanay"), "KZY": _l("Kyzylorda"),
        "MAN": _l("Mangystau"), "PAV": _l("Pavlodar"), "SKO": _l("North Kazakhstan"), "TUR": _l("Turkistan"), "ULY": _l("Ulytau"),
    },
    "event": {
        "CaseFiled": _l("Case filed"), "DocumentFiled": _l("Document filed"), "DocketEntryCorrected": _l("Entry corrected"),
        "JudgeAssigned": _l("Judge assigned"), "JudgeRecused": _l("Judge recused"),
        "ExpertExaminationOrdered": _l("Examination ordered"), "ExpertReportSubmitted": _l("Expert report submitted"),
        "ExpertExaminationWithdrawn": _l("Examination withdrawn"), "HearingScheduled": _l("Hearing scheduled"),
        "HearingRescheduled": _l("Hearing rescheduled"), "HearingHeld": _l("Hearing held"), "HearingCancelled": _l("Hearing cancelled"),
        "MediationReferred": _l("Referred to mediation"), "MediationConcluded": _l("Mediation concluded"),
        "RulingIssued": _l("Ruling issued"), "AppealFiled": _l("Appeal filed"), "AppealDecided": _l("Appeal decided"),
        "RulingEnteredIntoForce": _l("Ruling entered into force"), "CaseReopened": _l("Case reopened"),
        "CaseSealed": _l("Case sealed"), "CaseUnsealed": _l("Case unsealed"),
    },
    "refusal": {
        "TrackHarmMismatch": _l("Track and harm must agree (R1)"),
        "LiabilityNotForThisRespondent": _l("Liability must fit the kind of respondent (R2)"),
        "LiabilityWithoutMalpractice": _l("Liability requires a finding of malpractice (R3)"),
        "SanctionNotAllowed": _l("Sanction not allowed or above the cap (R4)"),
        "RulingNotReady": _l("The case is not ready for this ruling (R5)"),
        "ExpertNotIndependent": _l("The expert is not independent (R6)"),
        "HearingNotSchedulable": _l("The hearing cannot be scheduled (R7)"),
        "CaseClosed": _l("The case is closed to this action (R8)"),
        "AppealNotAllowed": _l("The appeal is not allowed (R8)"),
        "CompensationAboveClaim": _l("Compensation above the claim (R9)"),
        "MediationNotAllowed": _l("Mediation not allowed (R10)"),
        "InvalidMoney": _l("Money is in KZT with at most two decimals (R12)"),
    },
}


def label(kind: str, value: Any) -> str:
    """The reader's word for a vocabulary value (the raw value when it has none)."""
    if value in (None, ""):
        return "—"
    found = VOCABULARY.get(kind, {}).get(str(value))
    return str(found) if found is not None else str(value).replace("_", " ")


def choices(kind: str) -> list[tuple[str, str]]:
    return [(key, str(text)) for key, text in VOCABULARY[kind].items()]
