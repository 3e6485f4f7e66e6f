"""Encryption at rest: key generation, rotation with old events still readable."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.persistence import MapperDeserialisationError

from domain.application import Docket
from projections.keys import key_file
from projections.settings import Settings
from scripts.cli import main
from tests.integration.test_event_store import civil_claim


def test_init_generates_a_key_under_var_and_says_to_back_it_up(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    path = key_file(settings.var_dir)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert "Back it up" in capsys.readouterr().err
    assert main(["init"]) == 0
    assert "Back it up" not in capsys.readouterr().err


def test_after_rotation_old_events_stay_readable_and_new_ones_use_the_new_key(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    before = Docket(env=settings.event_store_env())
    old_case = before.file_case(**civil_claim(date(2026, 3, 2)))["docket_number"]
    old_key = key_file(settings.var_dir).read_text().split()[0]

    assert main(["key", "rotate"]) == 0
    assert "1 older key(s) kept" in capsys.readouterr().out
    after = Docket(env=settings.event_store_env())
    new_case = after.file_case(**civil_claim(date(2026, 3, 2)))["docket_number"]
    assert after.case(old_case).docket_number == old_case
    assert after.case(new_case).docket_number == new_case
    assert main(["verify"]) == 0

    # Only the old key: the new case cannot be read, which shows it was written with the new key.
    only_old = {**settings.event_store_env(), "CIPHER_KEY": old_key, "CIPHER_OLD_KEYS": ""}
    with pytest.raises(MapperDeserialisationError):
        Docket(env=only_old).case(new_case)
