"""Documents at rest (issue 14): encrypted with the event store's key, streamed, checked by verify,
re-encrypted by key rotation; an upload refused for any reason leaves no file."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from projections.documents import DocumentDamaged, DocumentStore
from projections.keys import load_keys
from scripts.cli import main
from tests.integration.test_hostile_input import client_as, files_under, upload_api, upload_form
from tests.integration.web_support import PDF, Court, make_app, seed
from web.api.tokens import TokenStore

EVIDENCE = PDF + b"% the patient's record: blood type AB-, diagnosis withheld\n" * 50


@pytest.fixture(name="site")
def site_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Flask, Court, dict[str, str]]]:
    monkeypatch.setenv("MEDCOURT_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    app = make_app(tmp_path / "var")
    court = seed(app)
    store: TokenStore = app.extensions["medcourt_api_tokens"]
    tokens = {name: store.create(name, name="documents", created_by="tests")[0] for name in ("clerk", "analyst")}
    yield app, court, tokens
    app.extensions["medcourt"].close()


def stored_files(app: Flask) -> set[Path]:
    root = app.extensions["medcourt"].settings.documents_dir
    return {p for p in files_under(root) if p.parent.name != "incoming"}


def test_a_filed_document_is_encrypted_on_disk_and_downloads_as_filed(site: tuple[Flask, Court, dict[str, str]]) -> None:
    app, court, tokens = site
    before = stored_files(app)
    assert upload_api(app.test_client(), tokens["clerk"], court.open_case, EVIDENCE, "record.pdf").status_code == 200
    (path,) = stored_files(app) - before
    on_disk = path.read_bytes()
    assert path.name == hashlib.sha256(EVIDENCE).hexdigest()
    assert b"blood type" not in on_disk and b"%PDF" not in on_disk and on_disk.startswith(b"MCDOC1")
    case = app.extensions["medcourt"].docket.case(court.open_case)
    newest = max(case.documents, key=lambda d: int(d[1:]))
    download = client_as(app, "clerk").get(f"/cases/{court.open_case}/documents/{newest}")
    assert download.status_code == 200 and download.get_data() == EVIDENCE


def test_an_analysts_refused_upload_leaves_no_file(site: tuple[Flask, Court, dict[str, str]]) -> None:
    # The probe's request: an analyst posts a document through the API; 403, and var/documents unchanged.
    app, court, tokens = site
    root = app.extensions["medcourt"].settings.var_dir
    before = files_under(root)
    response = upload_api(app.test_client(), tokens["analyst"], court.open_case, EVIDENCE, "record.pdf")
    assert response.status_code == 403
    assert {p for p in files_under(root) - before if p.suffix not in (".db-wal", ".db-shm", ".db-journal")} == set()


def test_a_document_refused_by_the_docket_leaves_no_file(site: tuple[Flask, Court, dict[str, str]]) -> None:
    # A valid file, but a filing the docket refuses (received in the future): nothing stays on disk.
    app, court, _ = site
    before = stored_files(app)
    client = client_as(app, "clerk")
    response = upload_form(client, court.open_case, EVIDENCE, "record.pdf")
    assert response.status_code in (302, 303)  # accepted once, to prove the form works
    accepted = stored_files(app) - before
    future = client.post(
        f"/cases/{court.open_case}/documents/new",
        data={"file": (io.BytesIO(EVIDENCE + b"% another\n"), "other.pdf"), "kind": "evidence", "title": "Exhibit", "filed_by": "claimant",
              "received_on": "2999-01-01", "csrf_token": upload_csrf(client, court.open_case)},
        content_type="multipart/form-data",
    )
    assert future.status_code == 422
    assert stored_files(app) - before == accepted


def upload_csrf(client: object, number: str) -> str:
    from tests.integration.web_support import csrf_token

    return csrf_token(client, f"/cases/{number}/documents/new")  # type: ignore[arg-type]


def test_a_20_mb_upload_is_streamed_not_held_in_memory(tmp_path: Path) -> None:
    key = load_keys(tmp_path, create=True)
    store = DocumentStore(tmp_path / "documents", 20 * 1024 * 1024, key)

    class Upload(io.RawIOBase):
        """20 MB of a PDF produced on demand, as a socket delivers it."""

        def __init__(self) -> None:
            self.left = 20 * 1024 * 1024 - len(PDF)
            self.head = PDF

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            if self.head:
                chunk, self.head = self.head, b""
                return chunk
            size = min(size if size > 0 else 65536, self.left)
            self.left -= size
            return b"%" * size

    tracemalloc.start()
    with store.stage(Upload(), "big.pdf") as staged:
        staged.commit()
    chunks = store.iter_bytes(staged.sha256)
    total = sum(len(c) for c in chunks)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total == staged.size == 20 * 1024 * 1024
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes"


def test_verify_checks_every_document_against_the_docket(site: tuple[Flask, Court, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    app, court, tokens = site
    assert main(["verify"]) == 0
    assert "documents against their sha256" in capsys.readouterr().out
    assert upload_api(app.test_client(), tokens["clerk"], court.open_case, EVIDENCE, "record.pdf").status_code == 200
    path = app.extensions["medcourt"].documents.path_for(hashlib.sha256(EVIDENCE).hexdigest())

    # One byte changed on disk: the authentication fails, verify names the case and document.
    damaged = bytearray(path.read_bytes())
    damaged[100] ^= 1
    path.write_bytes(bytes(damaged))
    assert main(["verify"]) == 1
    assert court.open_case in capsys.readouterr().err
    with pytest.raises(DocumentDamaged):
        app.extensions["medcourt"].documents.check(path.name)

    # The file gone: named too.
    path.unlink()
    assert main(["verify"]) == 1
    assert "not in the store" in capsys.readouterr().err


def test_key_rotation_re_encrypts_every_document_under_the_new_key(site: tuple[Flask, Court, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    app, court, tokens = site
    assert upload_api(app.test_client(), tokens["clerk"], court.open_case, EVIDENCE, "record.pdf").status_code == 200
    var = app.extensions["medcourt"].settings.var_dir
    old_key = load_keys(var)[0]
    before = {p: p.read_bytes() for p in stored_files(app)}
    assert main(["key", "rotate"]) == 0
    assert f"{len(before)} document(s) re-encrypted" in capsys.readouterr().out
    assert all(p.read_bytes() != content for p, content in before.items())

    # The documents no longer need the old key (events written before the rotation still do).
    new_key, retired = load_keys(var)
    assert retired == [old_key]
    only_new = DocumentStore(app.extensions["medcourt"].settings.documents_dir, 1 << 30, (new_key, []))
    for path in before:
        only_new.check(path.name)
    assert b"".join(only_new.iter_bytes(hashlib.sha256(EVIDENCE).hexdigest())) == EVIDENCE
    old_only = DocumentStore(app.extensions["medcourt"].settings.documents_dir, 1 << 30, (old_key, []))
    with pytest.raises(DocumentDamaged):
        old_only.check(next(iter(before)).name)
