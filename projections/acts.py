"""Judicial acts: a ruling rendered as a PDF document, filed into its case, and re-checked later.

Where this lives and why: rendering needs third-party libraries (fpdf2, num2words) and fonts, so
it cannot be in ``domain/``; it reads the docket only through the application services
(``Docket.case_at_version``, its event store) and files the act through ``Docket.file_document``
and the document store it is handed (``web.documents.DocumentStore`` or anything with the same
``put``/``iter_bytes``), so the web's ruling page, the command line and ``medcourt verify`` all
share it, and whatever the document store does to files (encryption at rest) applies to acts too.

An act is built from the events alone: the case as it stood at a docket entry (the ruling, or a
later correction of it), the names recorded in those events and the rulebook version in force on the
incident date (the one the ruling's checks applied). Rendering is deterministic: the PDF's dates are the entry's recording instant,
its file id derives from its content, its fonts are Debian's DejaVu (``fonts-dejavu-core``) and its
words come from ``projections.act_wording`` (frozen, not the UI catalogs). So re-rendering from the
same events gives the same bytes, and ``medcourt verify`` checks each filed act against its sha256
in the docket. Each act says what it was rendered from in its PDF keywords (``ActRequest.marker``).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

from domain import clock
from domain.errors import InvalidValue, NotFound
from domain.rulebook import RulebookVersion
from domain.vocabulary import Actor
from projections.act_wording import LANGUAGES, PHRASES, VOCABULARY

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from domain.application import Docket, Receipt
    from domain.case import Case
    from projections.signatures import CertificateStore

ACT_FORMAT = "1"  # bump when the layout or the wording changes (older acts then no longer re-render)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}
MEDIA_TYPE = "application/pdf"
DOCUMENT_FILED_TOPIC = "domain.case:Case.DocumentFiled"
MARKER = re.compile(rb"medcourt-act/(\d+) docket=([A-Z0-9-]+) entry=(\d+) lang=([a-z]{2}) copy=(official|public)")


class StoredFile(Protocol):
    sha256: str
    size: int
    media_type: str


class Store(Protocol):
    """What acts need of the document store (``web.documents.DocumentStore``)."""

    def put(self, stream: IO[bytes], filename: str, expected_sha256: str | None = None) -> Any: ...

    def iter_bytes(self, sha256: str) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class ActRequest:
    """Which act: the case as of docket entry ``entry``, in ``language``, official or public copy."""

    docket_number: str
    entry: int
    language: str
    public: bool = False

    def marker(self) -> str:
        copy = "public" if self.public else "official"
        return f"medcourt-act/{ACT_FORMAT} docket={self.docket_number} entry={self.entry} lang={self.language} copy={copy}"

    @classmethod
    def found_in(cls, data: bytes) -> ActRequest | None:
        """The request an act was rendered from, read from its keywords (the first revision's)."""
        found = MARKER.search(data)
        if found is None or found.group(1).decode() != ACT_FORMAT:
            return None
        return cls(found.group(2).decode(), int(found.group(3)), found.group(4).decode(), found.group(5) == b"public")


def fonts_available() -> bool:
    return all((FONT_DIR / name).is_file() for name in FONTS.values())


# --- the words --------------------------------------------------------------------------------------------------


class Words:
    """The act's phrases, vocabulary, numbers, dates and amounts in one language."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise InvalidValue(f"An act is written in one of: {', '.join(LANGUAGES)}", field="language")
        self.language = language

    def __call__(self, key: str, **values: Any) -> str:
        return PHRASES[key][self.language].format(**values)

    def term(self, kind: str, value: str | None) -> str:
        if not value:
            return PHRASES["none"][self.language]
        entry = VOCABULARY.get(kind, {}).get(value)
        return entry[self.language] if entry else value.replace("_", " ")

    def day(self, value: date) -> str:
        return value.strftime("%d.%m.%Y")

    def number(self, value: Decimal, places: int = 2) -> str:
        text = f"{value:,.{places}f}".replace(",", "\u00a0")
        return text if self.language == "en" else text.replace(".", ",")

    def amount(self, value: Decimal) -> str:
        """Figures and words: ``1 500 000,50 KZT (бір миллион бес жүз мың теңге, 50 тиын)``."""
        return f"{self.number(value)} KZT ({self.amount_in_words(value)})"

    def amount_in_words(self, value: Decimal) -> str:
        from num2words import num2words

        value = value.quantize(Decimal("0.01"))
        if self.language == "en":  # num2words has no KZT for English
            whole, tiyn = divmod(int(value * 100), 100)
            return f"{num2words(whole, lang='en')} tenge, {tiyn:02d} tiyn"
        return str(num2words(value, lang="kz" if self.language == "kk" else "ru", to="currency", currency="KZT"))

    def count_in_words(self, value: Decimal) -> str:
        from num2words import num2words

        lang = {"kk": "kz", "ru": "ru", "en": "en"}[self.language]
        return str(num2words(int(value) if value == value.to_integral_value() else value, lang=lang))


# --- what an act is made of ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActSources:
    case: Case
    recorded_at: datetime
    rulebook: RulebookVersion


def ruling_state(docket: Docket, request: ActRequest) -> ActSources:
    """The case at the act's entry, the entry's recording instant and the rulebook version that applies."""
    case = docket.case_at_version(request.docket_number, request.entry)
    if case.ruling is None or case.status == "pending":
        raise InvalidValue(f"Case {case.docket_number} had no ruling in force at entry {request.entry}", field="entry")
    stored = list(cast("Iterable[Any]", docket.events.get(case.id, gt=request.entry - 1, lte=request.entry)))
    recorded_at = stored[0].timestamp
    # Rulebook versions are effective-dated: the law in force on the incident date is chosen by date,
    # as the ruling's own checks chose it (and as ``medcourt verify`` re-applies them).
    return ActSources(case, recorded_at, docket.rulebook_on(case.incident_date))


def _parties(case: Case, public: bool) -> dict[str, Any]:
    """Names as the act shows them: as recorded, or (public copy) pseudonymised as on the public docket."""
    from projections.queries import pseudonym

    case_id = str(case.id)

    def shown(role: str, kind: str, name: str, position: int, ref: str | None = None) -> str:
        if not public:
            return name
        return pseudonym(case_id, {"role": role, "kind": kind, "name": name, "position": position, "party_ref": ref})

    position = 0
    claimant = shown("claimant", "person", case.claimant["name"], position)
    respondents = {}
    for respondent in case.respondents:
        position += 1
        respondents[respondent["id"]] = {**respondent, "shown": shown("respondent", respondent["kind"], respondent["name"], position, respondent["id"])}
    if case.authority:
        position += 1
    representatives = []
    for representative in case.representatives:
        position += 1
        representatives.append(shown("representative", "person", representative["name"], position))
    return {"claimant": claimant, "respondents": respondents, "representatives": representatives}


def act_lines(sources: ActSources, request: ActRequest) -> list[tuple[str, str]]:
    """The act as (style, text) lines: style ``h`` heading, ``t`` title, ``p`` paragraph, ``s`` small."""
    w = Words(request.language)
    case, rulebook = sources.case, sources.rulebook
    ruling = case.ruling
    assert ruling is not None
    parties = _parties(case, request.public)
    lines: list[tuple[str, str]] = [
        ("s", w("court", region=w.term("court", case.court))),
        ("t", w("title")),
        ("c", w("in_the_name")),
        ("p", w("case_no", number=case.docket_number)),
        ("p", w("decided_on", date=w.day(ruling["decided_on"]))),
        ("p", w("track", track=w.term("track", case.track))),
        ("p", w("judge", name=case.judge_name or ruling.get("judge_id") or "—")),
    ]
    if request.public:
        lines.append(("s", w("public_copy")))
    lines.append(("h", w("parties")))
    lines.append(("p", w("claimant", name=f"{parties['claimant']} ({w.term('relation', case.claimant.get('relation'))})")))
    for respondent in parties["respondents"].values():
        if respondent["kind"] == "specialist":
            ident = w("certificate", value="***" if request.public else respondent["certificate_no"])
        else:
            ident = w("bin", value=respondent["bin"])
        lines.append(("p", w("respondent", id=respondent["id"], name=respondent["shown"], kind=w.term("respondent_kind", respondent["kind"]), ident=ident)))
    if case.authority:
        lines.append(("p", w("authority", kind=w.term("authority", case.authority["kind"]), name=case.authority["name"])))
    for name in parties["representatives"]:
        lines.append(("p", w("representative", name=name)))
    lines.append(("h", w("claims")))
    lines.append(("p", w("incident", incident=w.day(case.incident_date), received=w.day(case.received_on), specialty=w.term("specialty", case.specialty))))
    lines.append(("p", w("alleged_harm", harm=w.term("harm", case.alleged_harm))))
    for head, amount in case.claimed.items():
        lines.append(("p", w("claimed", head=w.term("head", head), amount=w.amount(amount))))
    if case.summary and not request.public:
        lines.append(("p", w("summary", text=case.summary)))
    lines.append(("h", w("experts")))
    reported = [e for e in case.examinations.values() if e.get("report")]
    for examination in reported:
        report = examination["report"]
        experts = ", ".join(e["name"] for e in examination["experts"])
        lines.append(("p", w("examination", id=examination["id"], kind=w.term("examination_kind", examination["kind"]), experts=experts, received=w.day(report["received_on"]))))
        lines.append(("p", w("conclusions", soc=w.term("answer", report["standard_of_care_met"]), causation=w.term("answer", report["causation"]), harm=w.term("harm", report["harm_found"]))))
        if report.get("summary"):
            lines.append(("p", report["summary"]))
    if not reported:
        lines.append(("p", w("no_reports")))
    lines.append(("h", w("established")))
    if ruling.get("finding"):
        lines.append(("p", w("finding", finding=w.term("finding", ruling["finding"]))))
    if ruling.get("harm_found"):
        lines.append(("p", w("harm_found", harm=w.term("harm", ruling["harm_found"]))))
    if ruling.get("reasoning"):
        lines.append(("h", w("reasoning")))
        lines.extend(("p", paragraph) for paragraph in ruling["reasoning"].splitlines() if paragraph.strip())
    lines.append(("h", w("decided")))
    lines.append(("p", w("disposition", disposition=w.term("disposition", ruling["disposition"]))))
    respondents = parties["respondents"]
    if ruling.get("liable_respondents"):
        names = ", ".join(respondents[r]["shown"] if r in respondents else r for r in ruling["liable_respondents"])
        lines.append(("p", w("liable", names=names)))
    mci = rulebook.mci_on(case.incident_date)
    fined = False
    for sanction in ruling.get("sanctions") or []:
        name = respondents.get(sanction["respondent_id"], {}).get("shown", sanction["respondent_id"])
        kind = w.term("sanction", sanction["kind"])
        if sanction.get("amount_mci") is not None:
            fined = True
            units = Decimal(sanction["amount_mci"])
            lines.append(("p", w("fine", name=name, mci=w.number(units, 0 if units == units.to_integral_value() else 2), mci_words=w.count_in_words(units), amount=w.amount((units * mci).quantize(Decimal("0.01"))))))
        elif sanction.get("months"):
            lines.append(("p", w("term", name=name, kind=kind, months=sanction["months"])))
        else:
            lines.append(("p", w("sanction", name=name, kind=kind)))
    if fined:
        lines.append(("s", w("mci_rate", amount=w.amount(mci))))
    for head, awarded in (ruling.get("compensation") or {}).items():
        lines.append(("p", w("awarded", head=w.term("head", head), awarded=w.amount(awarded), payable=w.amount(ruling["payable"][head]))))
    if ruling.get("compensation") and ruling.get("contributory_fault_pct"):
        lines.append(("p", w("fault", pct=w.number(Decimal(ruling["contributory_fault_pct"]), 0))))
    if ruling.get("insurer_compensation") is not None:
        lines.append(("p", w("insurer", amount=w.amount(ruling["insurer_compensation"]))))
    if case.transferred_to and ruling["disposition"] == "transferred":
        lines.append(("p", w("transferred", number=case.transferred_to)))
    if ruling.get("recommendation"):
        lines.append(("p", w("recommendation", text=ruling["recommendation"])))
    deadline = rulebook.appeal_deadline(case.track, ruling["decided_on"])
    lines.append(("h", ""))
    lines.append(("p", w("appeal", deadline=w.day(deadline), region=w.term("court", case.court))))
    lines.append(("h", ""))
    lines.append(("p", w("signature", name=case.judge_name or "—")))
    lines.append(("s", w("footer", entry=request.entry)))
    return lines


def render_act(docket: Docket, request: ActRequest) -> bytes:
    """The act's PDF bytes: the same for the same events, whenever it is rendered."""
    sources = ruling_state(docket, request)
    return render_lines(act_lines(sources, request), request, sources.recorded_at)


def render_lines(lines: list[tuple[str, str]], request: ActRequest, recorded_at: datetime) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    if not fonts_available():
        raise NotFound(f"The act's fonts are missing from {FONT_DIR}: install Debian's fonts-dejavu-core")
    pdf = FPDF(format="A4")
    pdf.set_creation_date(recorded_at)
    pdf.set_title(f"{request.docket_number} {PHRASES['title'][request.language]}")
    pdf.set_subject(request.docket_number)
    pdf.set_keywords(request.marker())
    pdf.set_creator("Medcourt")
    pdf.set_producer(f"Medcourt acts {ACT_FORMAT}")
    pdf.set_lang(request.language)
    # The file id derives from the act's identity, not from a random or time-based value.
    digest = hashlib.md5(request.marker().encode(), usedforsecurity=False).hexdigest()
    pdf.file_id = lambda: f"<{digest}><{digest}>"  # type: ignore[method-assign]
    for style, name in FONTS.items():
        pdf.add_font("Act", style, str(FONT_DIR / name))
    pdf.set_margins(20, 18, 15)
    pdf.add_page()
    for style, text in lines:
        if style == "t":
            pdf.set_font("Act", "B", 15)
            pdf.multi_cell(0, 9, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif style == "c":
            pdf.set_font("Act", "", 10)
            pdf.multi_cell(0, 6, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(3)
        elif style == "h":
            pdf.ln(3)
            if text:
                pdf.set_font("Act", "B", 11.5)
                pdf.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif style == "s":
            pdf.set_font("Act", "", 8.5)
            pdf.multi_cell(0, 5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.set_font("Act", "", 10.5)
            pdf.multi_cell(0, 6, text[:1].upper() + text[1:], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


# --- filing and checking --------------------------------------------------------------------------------------------


def act_title(request: ActRequest, signed: bool = False) -> str:
    words = {"kk": "Сот актісі", "ru": "Судебный акт", "en": "Judicial act"}[request.language]
    copy = {"kk": "жария көшірме", "ru": "публичная копия", "en": "public copy"}[request.language] if request.public else ""
    mark = {"kk": "қол қойылған", "ru": "подписан", "en": "signed"}[request.language] if signed else ""
    extras = ", ".join(x for x in (request.language, copy, mark) if x)
    return f"{words} ({extras})"


def file_act(docket: Docket, store: Store, docket_number: str, *, language: str, public: bool = False, actor: Actor) -> Receipt:
    """Render the act of the case's ruling as the case stands now and file it as a ``ruling`` document."""
    case = docket.case(docket_number)
    if case.ruling is None or case.status == "pending":
        raise InvalidValue(f"Case {case.docket_number} has no ruling to render", field="language")
    request = ActRequest(case.docket_number, case.version, language, public)
    Words(language)  # refuses a language acts are not written in
    data = render_act(docket, request)
    stored = store.put(io.BytesIO(data), f"{case.docket_number}-act-{language}.pdf")
    receipt = docket.file_document(
        case.docket_number, kind="ruling", title=act_title(request), filed_by=case.judge_name or "court",
        received_on=clock.today(), sha256=stored.sha256, size=stored.size, media_type=stored.media_type, actor=actor,
    )
    receipt["sha256"] = stored.sha256
    return receipt


def acts_of(case: Case) -> list[dict[str, Any]]:
    """The case's filed PDF rulings (acts rendered here and any other filed ruling), oldest first."""
    return [d for d in case.documents.values() if d["kind"] == "ruling" and d["media_type"] == MEDIA_TYPE]


def check_act(docket: Docket, store: Store, certificates: CertificateStore, docket_number: str, document: dict[str, Any]) -> tuple[ActRequest | None, bytes, list[str]]:
    """Check one filed act: its file still has the docket's sha256; when Medcourt rendered it, its
    first revision is byte for byte what the events render; anything after that revision is a
    judge's signature, intact, covering the whole file and made with the certificate imported for
    the ruling's judge. Returns the request the act was rendered from (None for a ruling filed from
    elsewhere), its bytes and the problems found."""
    from projections.signatures import check_signed

    where = f"{docket_number} {document['id']}"
    try:
        data = b"".join(store.iter_bytes(document["sha256"]))  # decrypted and checked against its sha256
    except Exception as error:  # noqa: BLE001 - a missing or damaged file is the finding
        return None, b"", [f"{where}: the act's file does not match the docket's sha256 {document['sha256'][:12]}... ({error})"]
    request = ActRequest.found_in(data)
    if request is None:
        return None, data, []
    if request.docket_number != docket_number:
        return request, data, [f"{where}: the act names case {request.docket_number}"]
    try:
        sources = ruling_state(docket, request)
        expected = render_lines(act_lines(sources, request), request, sources.recorded_at)
    except Exception as error:  # noqa: BLE001
        return request, data, [f"{where}: the act cannot be rendered again from the events ({error})"]
    if data == expected:
        return request, data, []
    if not data.startswith(expected):
        return request, data, [f"{where}: the act differs from what the docket's events render (entry {request.entry}, {request.language})"]
    judge_id = (sources.case.ruling or {}).get("judge_id")
    signature = check_signed(data, certificates.all_public_pems(judge_id) if judge_id else None)
    if not signature.signed:
        return request, data, [f"{where}: bytes were appended to the act, and they are not a signature"]
    return request, data, [f"{where}: {problem}" for problem in signature.problems]


def sign_act(
    docket: Docket, store: Store, certificates: CertificateStore, docket_number: str, document_id: str, passphrase: str, *, actor: Actor,
) -> Receipt:
    """Sign a filed, unsigned act with the certificate imported for the case's judge and file the signed act."""
    from projections.signatures import is_signed, sign_pdf

    case = docket.case(docket_number)
    document = case.documents.get(document_id)
    if document is None or document not in acts_of(case):
        raise NotFound(f"Case {case.docket_number} has no act {document_id}", field="document_id")
    request, data, problems = check_act(docket, store, certificates, case.docket_number, document)
    if request is None:
        raise InvalidValue("Only acts rendered by Medcourt can be signed here", field="document_id")
    if problems:
        raise InvalidValue(problems[0], field="document_id")
    if is_signed(data):
        raise InvalidValue(f"Act {document_id} is already signed", field="document_id")
    judge_id = (case.ruling or {}).get("judge_id") or case.judge_id
    if not judge_id:
        raise InvalidValue("The ruling names no judge to sign it", field="document_id")
    signed = sign_pdf(
        data, certificates.pkcs12(judge_id), passphrase,
        reason=f"{case.docket_number} {document_id}", location=VOCABULARY["court"][case.court]["en"],
    )
    stored = store.put(io.BytesIO(signed), f"{case.docket_number}-act-{request.language}-signed.pdf")
    receipt = docket.file_document(
        case.docket_number, kind="ruling", title=act_title(request, signed=True), filed_by=case.judge_name or "court",
        received_on=clock.today(), sha256=stored.sha256, size=stored.size, media_type=stored.media_type, actor=actor,
    )
    receipt["sha256"] = stored.sha256
    return receipt


@dataclass
class ActsReport:
    acts: int = 0
    signed: int = 0
    problems: list[str] = field(default_factory=list)


def cases_with_acts(docket: Docket) -> list[Any]:
    """Ids of the cases that have a PDF ruling filed, from the log's ``DocumentFiled`` entries."""
    found: dict[Any, None] = {}
    position = 0
    while notifications := docket.recorder.select_notifications(start=position, limit=1000, inclusive_of_start=False, topics=[DOCUMENT_FILED_TOPIC]):
        for notification in notifications:
            event: Any = docket.mapper.to_domain_event(notification)
            if event.kind == "ruling" and event.media_type == MEDIA_TYPE:
                found[event.originator_id] = None
        position = notifications[-1].id
    return list(found)


def verify_acts(docket: Docket, store: Store, certificates: CertificateStore) -> ActsReport:
    """``medcourt verify``'s check of every filed act."""
    from projections.signatures import is_signed

    report = ActsReport()
    for case_id in cases_with_acts(docket):
        case: Any = docket.repository.get(case_id)
        for document in acts_of(case):
            request, data, problems = check_act(docket, store, certificates, case.docket_number, document)
            if request is None and not problems:
                continue  # a ruling filed from elsewhere: the store's hash check is all there is
            report.acts += 1
            report.signed += 1 if data and is_signed(data) else 0
            report.problems.extend(problems)
    return report
