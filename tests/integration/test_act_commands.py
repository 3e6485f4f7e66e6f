"""The command line for acts and sheets, on SQLite and PostgreSQL: `judge certificate import`,
`verify` over filed and signed acts, and `case sheet --as-of`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from domain import clock
from projections import acts
from projections.settings import Settings
from projections.signatures import CertificateStore
from scripts.cli import main
from scripts.context import document_store, open_docket
from tests.integration.act_support import PASSPHRASE, judge_pkcs12
from tests.unit.conftest import CLERK, JUDGE, NOW, TODAY, Court, at, set_up_court

RULED_ON = TODAY + timedelta(days=1)


@pytest.fixture
def ruled(settings: Settings, capsys: pytest.CaptureFixture[str]) -> tuple[Court, str]:
    """An initialised installation with one civil case ruled on (its history spread over two days)."""
    assert main(["init"]) == 0
    capsys.readouterr()
    court = set_up_court(open_docket(settings))
    with clock.frozen_at(NOW):
        number = court.file_assigned("civil")
        court.app.correct_entry(number, corrects_version=1, reason="typo in the summary", corrections={"summary": "Bile duct injury"}, actor=CLERK)
    with at(RULED_ON):
        court.report(number, court.order_examination(number))
        court.rule_liable(number)
    return court, number


def test_verify_checks_filed_and_signed_acts_and_fails_on_altered_bytes(settings: Settings, ruled: tuple[Court, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    court, number = ruled
    # The judge's certificate is imported from a PKCS#12 file, its passphrase from the environment.
    p12 = tmp_path / "judge.p12"
    p12.write_bytes(judge_pkcs12("Aigerim Sadykova"))
    monkeypatch.setenv("MEDCOURT_CERT_PASSPHRASE", "wrong")
    assert main(["judge", "certificate", "import", "--judge", court.judge, "--file", str(p12)]) == 2
    assert "does not open with this passphrase" in capsys.readouterr().err
    monkeypatch.setenv("MEDCOURT_CERT_PASSPHRASE", PASSPHRASE)
    assert main(["judge", "certificate", "import", "--judge", court.judge, "--file", str(p12)]) == 0
    assert "Signing certificate of judge Aigerim Sadykova imported" in capsys.readouterr().out
    # The act is filed and signed; verify re-renders it and checks the signature.
    store = document_store(settings)
    with at(RULED_ON):
        unsigned = acts.file_act(court.app, store, number, language="ru", actor=JUDGE)
        signed = acts.sign_act(court.app, store, CertificateStore(settings.var_dir / "certificates"), number, unsigned["id"], PASSPHRASE, actor=JUDGE)
    assert main(["verify"]) == 0
    assert "Checked 2 judicial act(s), 1 signed: clean." in capsys.readouterr().out
    # One byte of the signed act changed in the store: verify fails and names the act.
    path = store.path_for(signed["sha256"])
    data = bytearray(path.read_bytes())
    data[100] ^= 0x20
    path.write_bytes(bytes(data))
    assert main(["verify"]) == 1
    captured = capsys.readouterr()
    assert f"VIOLATION act {number} {signed['id']}: the act's file does not match the docket's sha256" in captured.err
    assert "1 violation(s)" in captured.out


def test_case_sheet_lists_entries_by_name_in_plain_words_as_of_a_date(ruled: tuple[Court, str], capsys: pytest.CaptureFixture[str]) -> None:
    court, number = ruled
    assert main(["case", "sheet", number, "--as-of", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert f"Docket sheet of case {number} as of the end of {TODAY}" in out
    assert "Case filed: civil, surgery; claimant Aliya Bekova" in out
    assert "Judge Aigerim Sadykova assigned." in out
    assert "corrected by entry 3: Correction of entry 1: summary: Bile duct injury (reason: typo in the summary)." in out
    assert "Ruling" not in out  # the ruling came the next day
    assert court.judge not in out
    assert main(["case", "sheet", number, "--format", "json"]) == 0
    sheet = json.loads(capsys.readouterr().out)
    kinds = [e["kind"] for e in sheet["entries"]]
    assert kinds[-1] == "RulingIssued" and [e["number"] for e in sheet["entries"]] == list(range(1, len(kinds) + 1))
    assert sheet["entries"][-1]["text"].startswith(f"Ruling of {RULED_ON.isoformat()} by judge Aigerim Sadykova: liability found.")


def test_case_sheet_before_the_case_was_filed_is_a_usage_error(ruled: tuple[Court, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, number = ruled
    assert main(["case", "sheet", number, "--as-of", "2001-01-01"]) == 2
    assert capsys.readouterr().err.strip().endswith("was not yet on the docket on 2001-01-01")


def test_a_restored_backup_keeps_the_signed_acts_verifiable(settings: Settings, ruled: tuple[Court, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    if settings.database_url is not None:
        pytest.skip("restoring PostgreSQL is covered by test_backup.py; the certificates travel the same way on both")
    court, number = ruled
    certificates = CertificateStore(settings.var_dir / "certificates")
    store = document_store(settings)
    with at(RULED_ON):
        certificates.import_pkcs12(court.judge, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, clock.now())
        unsigned = acts.file_act(court.app, store, number, language="kk", actor=JUDGE)
        acts.sign_act(court.app, store, certificates, number, unsigned["id"], PASSPHRASE, actor=JUDGE)
    assert main(["backup", str(tmp_path / "backup"), "--include-key"]) == 0
    monkeypatch.setenv("MEDCOURT_VAR", str(tmp_path / "restored"))
    assert main(["restore", str(tmp_path / "backup")]) == 0
    capsys.readouterr()
    assert main(["verify"]) == 0
    assert "Checked 2 judicial act(s), 1 signed: clean." in capsys.readouterr().out
