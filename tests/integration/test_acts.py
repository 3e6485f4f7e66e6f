"""Judicial acts: a ruling rendered as a PDF in kk, ru and en, filed into its case, signed, and checked
by ``verify_acts`` (what ``medcourt verify`` runs) against the docket and the judge's certificate."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from domain import clock
from domain.errors import InvalidValue
from projections import acts
from projections.keys import new_key
from projections.signatures import CertificateStore, check_signed
from tests.integration.act_support import PASSPHRASE, judge_pkcs12
from tests.unit.conftest import JUDGE, NOW, Court, in_memory_docket, set_up_court
from web.documents import DocumentStore


@dataclass
class Chambers:
    court: Court
    store: DocumentStore
    certificates: CertificateStore
    number: str


@pytest.fixture
def chambers(tmp_path: Path) -> Iterator[Chambers]:
    """A civil case with a liability ruling (two heads awarded, 10% contributory fault), at the pinned instant."""
    with clock.frozen_at(NOW):
        court = set_up_court(in_memory_docket())
        number = court.ready_for_merits("civil")
        court.rule_liable(
            number, compensation={"real_damage": "400000", "moral_harm": "250000.50"}, contributory_fault_pct="10",
            reasoning="The operation was performed without the required imaging.",
        )
        yield Chambers(court, DocumentStore(tmp_path / "documents", 10 * 1024 * 1024, (new_key(), [])), CertificateStore(tmp_path / "certificates"), number)


def stored_bytes(chambers: Chambers, sha256: str) -> bytes:
    """A filed document's content, as the store hands it out (decrypted and checked)."""
    return b"".join(chambers.store.iter_bytes(sha256))


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace (line breaks, no-break spaces) as single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def request_for(chambers: Chambers, language: str, public: bool = False) -> acts.ActRequest:
    return acts.ActRequest(chambers.number, chambers.court.app.case(chambers.number).version, language, public)


def test_the_act_is_written_in_russian_with_amounts_in_figures_and_words(chambers: Chambers) -> None:
    text = pdf_text(acts.render_act(chambers.court.app, request_for(chambers, "ru")))
    assert f"Дело № {chambers.number}" in text
    assert "Судья: Aigerim Sadykova" in text
    assert "Вывод: ненадлежащее оказание медицинской помощи" in text
    assert "присуждено 400 000,00 KZT (четыреста тысяч тенге, ноль тиынов)" in text
    assert "225 000,45 KZT (двести двадцать пять тысяч тенге, сорок пять тиынов)" in text
    assert "Стандарт медицинской помощи соблюдён: нет" in text
    assert "Dr Yerlan Ivanov" in text
    assert "до 03.04.2025 включительно" in text  # a civil appeal window of one month from 3 March 2025


def test_the_act_is_written_in_kazakh(chambers: Chambers) -> None:
    text = pdf_text(acts.render_act(chambers.court.app, request_for(chambers, "kk")))
    assert "СОТ ШЕШІМІ" in text and "Қазақстан Республикасының атынан" in text
    assert "360 000,00 KZT (үш жүз алпыс мың теңге, нөл тиын)" in text
    assert "мамандық: хирургия" in text


def test_rendering_the_same_events_again_gives_the_same_bytes(chambers: Chambers) -> None:
    request = request_for(chambers, "kk")
    first = acts.render_act(chambers.court.app, request)
    with clock.frozen_at(NOW.replace(year=2026)):  # a year later: nothing in the act moves
        assert acts.render_act(chambers.court.app, request) == first
    assert acts.ActRequest.found_in(first) == request


def test_the_public_copy_pseudonymises_people_but_names_organizations(chambers: Chambers) -> None:
    text = pdf_text(acts.render_act(chambers.court.app, request_for(chambers, "en", public=True)))
    assert "Aliya Bekova" not in text and "Serik Nurlanov" not in text and "KZ-SP-0001" not in text
    assert "City Hospital No. 4" in text and "Public copy" in text


def test_an_act_in_a_language_the_court_does_not_write_is_refused(chambers: Chambers) -> None:
    with clock.frozen_at(NOW), pytest.raises(InvalidValue, match="one of: kk, ru, en"):
        acts.file_act(chambers.court.app, chambers.store, chambers.number, language="de", actor=JUDGE)


def test_a_filed_act_is_a_ruling_document_whose_hash_the_docket_holds_and_verify_rechecks(chambers: Chambers) -> None:
    docket = chambers.court.app
    with clock.frozen_at(NOW):
        receipt = acts.file_act(docket, chambers.store, chambers.number, language="ru", actor=JUDGE)
    document = docket.case(chambers.number).documents[receipt["id"]]
    assert (document["kind"], document["media_type"], document["sha256"]) == ("ruling", "application/pdf", receipt["sha256"])
    assert document["title"] == "Судебный акт (ru)"
    report = acts.verify_acts(docket, chambers.store, chambers.certificates)
    assert (report.acts, report.signed, report.problems) == (1, 0, [])


def test_a_judge_signs_the_act_and_verify_checks_the_signature(chambers: Chambers) -> None:
    docket = chambers.court.app
    with clock.frozen_at(NOW):
        chambers.certificates.import_pkcs12(chambers.court.judge, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, clock.now())
        unsigned = acts.file_act(docket, chambers.store, chambers.number, language="kk", actor=JUDGE)
        signed = acts.sign_act(docket, chambers.store, chambers.certificates, chambers.number, unsigned["id"], PASSPHRASE, actor=JUDGE)
    data = stored_bytes(chambers, signed["sha256"])
    check = check_signed(data, chambers.certificates.public_pem(chambers.court.judge))
    assert (check.signed, check.problems) == (True, [])
    assert "Aigerim Sadykova" in check.signer
    assert data.startswith(stored_bytes(chambers, unsigned["sha256"]))  # the act is the first revision
    assert docket.case(chambers.number).documents[signed["id"]]["title"] == "Сот актісі (kk, қол қойылған)"
    report = acts.verify_acts(docket, chambers.store, chambers.certificates)
    assert (report.acts, report.signed, report.problems) == (2, 1, [])


def test_signing_with_a_wrong_passphrase_or_without_a_certificate_is_refused(chambers: Chambers) -> None:
    docket = chambers.court.app
    with clock.frozen_at(NOW):
        unsigned = acts.file_act(docket, chambers.store, chambers.number, language="ru", actor=JUDGE)
        with pytest.raises(Exception, match="No signing certificate is imported"):
            acts.sign_act(docket, chambers.store, chambers.certificates, chambers.number, unsigned["id"], PASSPHRASE, actor=JUDGE)
        chambers.certificates.import_pkcs12(chambers.court.judge, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, clock.now())
        with pytest.raises(InvalidValue, match="does not open with this passphrase"):
            acts.sign_act(docket, chambers.store, chambers.certificates, chambers.number, unsigned["id"], "guess", actor=JUDGE)


def test_verify_reports_an_act_whose_stored_bytes_were_altered(chambers: Chambers) -> None:
    docket = chambers.court.app
    with clock.frozen_at(NOW):
        receipt = acts.file_act(docket, chambers.store, chambers.number, language="ru", actor=JUDGE)
    path = chambers.store.path_for(receipt["sha256"])  # the file as kept (encrypted at rest)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    report = acts.verify_acts(docket, chambers.store, chambers.certificates)
    assert len(report.problems) == 1 and "does not match the docket's sha256" in report.problems[0]


def test_verify_reports_an_act_that_the_events_do_not_render(chambers: Chambers) -> None:
    # Someone files, as the act, a PDF claiming to be it but with other words in it.
    docket = chambers.court.app
    request = request_for(chambers, "en")
    forged = acts.render_lines([("t", "JUDGMENT"), ("p", "Claim dismissed.")], request, NOW)
    stored = chambers.store.put(io.BytesIO(forged), "act.pdf")
    with clock.frozen_at(NOW):
        docket.file_document(chambers.number, kind="ruling", title="Judicial act (en)", filed_by="x", received_on=clock.today(),
                             sha256=stored.sha256, size=stored.size, media_type=stored.media_type, actor=JUDGE)
    report = acts.verify_acts(docket, chambers.store, chambers.certificates)
    assert len(report.problems) == 1 and "differs from what the docket's events render" in report.problems[0]


def test_verify_reports_a_signature_altered_or_made_with_another_certificate(chambers: Chambers) -> None:
    docket = chambers.court.app
    with clock.frozen_at(NOW):
        chambers.certificates.import_pkcs12(chambers.court.judge, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, clock.now())
        unsigned = acts.file_act(docket, chambers.store, chambers.number, language="ru", actor=JUDGE)
        signed = acts.sign_act(docket, chambers.store, chambers.certificates, chambers.number, unsigned["id"], PASSPHRASE, actor=JUDGE)
        data = stored_bytes(chambers, signed["sha256"])
        # 1. The signature's bytes altered (the signature value is the long hex string of /Contents), then filed anew.
        start = data.index(b"/Contents <") + len(b"/Contents <") + 400
        altered = data[:start] + (b"0" if data[start:start + 1] != b"0" else b"1") + data[start + 1:]
        # 2. The same act signed by someone holding another certificate in the judge's name.
        from projections.signatures import sign_pdf

        unsigned_bytes = stored_bytes(chambers, unsigned["sha256"])
        impostor = sign_pdf(unsigned_bytes, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, reason="x", location="y")
        for forged in (altered, impostor):
            stored = chambers.store.put(io.BytesIO(forged), "act.pdf")
            docket.file_document(chambers.number, kind="ruling", title="signed", filed_by="x", received_on=clock.today(),
                                 sha256=stored.sha256, size=stored.size, media_type=stored.media_type, actor=JUDGE)
    problems = acts.verify_acts(docket, chambers.store, chambers.certificates).problems
    assert len(problems) == 2
    assert "signature" in problems[0]
    assert "other than the one imported for the case's judge" in problems[1]


def test_the_sheet_names_people_never_by_id_and_shows_corrections_beside_what_they_correct(chambers: Chambers) -> None:
    from projections.sheet import Names, docket_sheet

    docket = chambers.court.app
    judge_id = chambers.court.judge
    with clock.frozen_at(NOW):
        docket.correct_entry(chambers.number, corrects_version=1, reason="misspelt", corrections={"claimant_name": "Aliya Bekovа"}, actor={"user": "clerk-1", "role": "clerk", "court": "ALA"})
    records = docket.case_history(chambers.number)
    # A demo-style actor ("judge:<id prefix>") is the judge whose id that is; accounts give display names.
    records[-2]["data"]["actor"] = {"user": f"judge:{judge_id[:8]}", "role": "judge"}
    names = Names(records, {"clerk-1": "Dana Clerk"}.get)
    sheet = docket_sheet(records, chambers.number, as_of=None, names=names)
    assert [e.who for e in sheet.entries][:2] == ["Dana Clerk", "Dana Clerk"]
    assert sheet.entries[-2].who == "Aigerim Sadykova"
    assert sheet.entries[0].corrected_by == [sheet.entries[-1].number]
    assert sheet.entries[0].corrections == ["Correction of entry 1: claimant's name: Aliya Bekovа (reason: misspelt)."]
    assert not any(judge_id in e.text or chambers.court.expert in e.text for e in sheet.entries)


def test_acts_signed_before_a_certificate_is_renewed_still_verify(chambers: Chambers) -> None:
    docket = chambers.court.app
    with clock.frozen_at(NOW):
        chambers.certificates.import_pkcs12(chambers.court.judge, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, clock.now())
        first = acts.file_act(docket, chambers.store, chambers.number, language="ru", actor=JUDGE)
        acts.sign_act(docket, chambers.store, chambers.certificates, chambers.number, first["id"], PASSPHRASE, actor=JUDGE)
        renewed = chambers.certificates.import_pkcs12(chambers.court.judge, judge_pkcs12("Aigerim Sadykova", "new-secret"), "new-secret", clock.now())
        second = acts.file_act(docket, chambers.store, chambers.number, language="kk", actor=JUDGE)
        acts.sign_act(docket, chambers.store, chambers.certificates, chambers.number, second["id"], "new-secret", actor=JUDGE)
    assert chambers.certificates.certificate(chambers.court.judge) == renewed
    assert len(chambers.certificates.all_public_pems(chambers.court.judge)) == 2
    report = acts.verify_acts(docket, chambers.store, chambers.certificates)
    assert (report.acts, report.signed, report.problems) == (4, 2, [])
