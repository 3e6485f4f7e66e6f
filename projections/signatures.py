"""Judges' signatures on acts: PKCS#12 certificates kept per judge, PAdES signing and its check (pyHanko).

``medcourt judge certificate import`` checks that a judge's PKCS#12 file opens with its passphrase
and holds a key and certificate, then keeps it under ``<var>/certificates/<judge id>.p12`` (the file
stays protected by its passphrase, which Medcourt never stores: the judge types it to sign) with the
public certificate beside it (``.pem``) for checking signatures. Signing appends an incremental
revision to the act (``/ETSI.CAdES.detached``, SHA-256), so the unsigned act's bytes stay the first
revision of the signed file; ``check_signed`` requires the signature to be intact, to cover the
whole file and to have been made with the certificate imported for the case's judge.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from domain.errors import InvalidValue, NotFound

FIELD_NAME = "JudgeSignature"
T = TypeVar("T")


@dataclass(frozen=True)
class Certificate:
    judge_id: str
    subject: str
    fingerprint: str  # sha256 of the DER certificate
    not_after: datetime


def _load_pkcs12(data: bytes, passphrase: str) -> Any:
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        loaded = pkcs12.load_pkcs12(data, passphrase.encode() if passphrase else None)
    except ValueError:
        raise InvalidValue("The certificate file does not open with this passphrase (or is not a PKCS#12 file)", field="passphrase") from None
    if loaded.key is None or loaded.cert is None:
        raise InvalidValue("The PKCS#12 file holds no private key and certificate", field="file")
    return loaded


def _describe(judge_id: str, certificate: Any) -> Certificate:
    from cryptography.hazmat.primitives.serialization import Encoding

    der = certificate.public_bytes(Encoding.DER)
    return Certificate(judge_id, certificate.subject.rfc4514_string(), hashlib.sha256(der).hexdigest(), certificate.not_valid_after_utc)


class CertificateStore:
    """Each judge's imported PKCS#12 file (passphrase-protected) and public certificate."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _paths(self, judge_id: str) -> tuple[Path, Path]:
        safe = "".join(c for c in str(judge_id) if c.isalnum() or c == "-")
        if not safe:
            raise NotFound("Not a judge id")
        return self.root / f"{safe}.p12", self.root / f"{safe}.pem"

    def import_pkcs12(self, judge_id: str, data: bytes, passphrase: str, now: datetime) -> Certificate:
        from cryptography.hazmat.primitives.serialization import Encoding

        loaded = _load_pkcs12(data, passphrase)
        certificate = loaded.cert.certificate
        if certificate.not_valid_after_utc < now:
            raise InvalidValue(f"The certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}", field="file")
        self.root.mkdir(parents=True, exist_ok=True)
        p12_path, pem_path = self._paths(judge_id)
        pem = certificate.public_bytes(Encoding.PEM)
        described = _describe(judge_id, certificate)
        # Every certificate a judge ever imported is kept: acts signed before a renewal still verify.
        kept = pem_path.with_name(f"{pem_path.stem}.{described.fingerprint[:16]}.pem")
        for path, content in ((p12_path, data), (pem_path, pem), (kept, pem)):
            temp = path.with_suffix(".tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            os.replace(temp, path)
        return described

    def certificate(self, judge_id: str) -> Certificate | None:
        pem = self.public_pem(judge_id)
        if pem is None:
            return None
        from cryptography import x509

        return _describe(judge_id, x509.load_pem_x509_certificate(pem))

    def public_pem(self, judge_id: str) -> bytes | None:
        _, pem_path = self._paths(judge_id)
        return pem_path.read_bytes() if pem_path.is_file() else None

    def all_public_pems(self, judge_id: str) -> list[bytes]:
        """Every certificate imported for the judge, the current one first."""
        _, pem_path = self._paths(judge_id)
        kept = sorted(self.root.glob(f"{pem_path.stem}.*.pem")) if self.root.is_dir() else []
        current = [pem_path.read_bytes()] if pem_path.is_file() else []
        return current + [p.read_bytes() for p in kept if p.read_bytes() not in current]

    def pkcs12(self, judge_id: str) -> bytes:
        p12_path, _ = self._paths(judge_id)
        if not p12_path.is_file():
            raise NotFound("No signing certificate is imported for this judge: 'medcourt judge certificate import'", field="passphrase")
        return p12_path.read_bytes()


def _outside_event_loop(work: Callable[[], T]) -> T:
    """Run ``work`` here, or in a worker thread when this thread runs an asyncio loop: pyHanko's
    synchronous calls start a loop of their own, which a running loop forbids."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign_pdf(data: bytes, pkcs12_data: bytes, passphrase: str, *, reason: str, location: str) -> bytes:
    """The PDF with a PAdES signature appended as an incremental revision."""
    return _outside_event_loop(lambda: _sign_pdf(data, pkcs12_data, passphrase, reason=reason, location=location))


def _sign_pdf(data: bytes, pkcs12_data: bytes, passphrase: str, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    _load_pkcs12(pkcs12_data, passphrase)  # a wrong passphrase is the judge's mistake, said plainly
    signer = signers.SimpleSigner.load_pkcs12_data(pkcs12_data, other_certs=(), passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise InvalidValue("The certificate file cannot be used for signing", field="passphrase")
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", reason=reason, location=location,
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


def is_signed(data: bytes) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return bool(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    except Exception:  # noqa: BLE001 - unreadable: not a signed act
        return False


@dataclass
class SignatureCheck:
    signed: bool
    signer: str = ""
    fingerprint: str = ""
    problems: list[str] = field(default_factory=list)


def check_signed(data: bytes, expected: bytes | list[bytes] | None) -> SignatureCheck:
    """Whether the PDF's signatures are intact, cover the whole file, and were made with one of the
    ``expected`` certificates (PEM)."""
    pems = [expected] if isinstance(expected, bytes) else list(expected or [])
    return _outside_event_loop(lambda: _check_signed(data, pems))


def _check_signed(data: bytes, expected_pems: list[bytes]) -> SignatureCheck:
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as error:  # noqa: BLE001 - an unreadable file is the finding
        return SignatureCheck(signed=True, problems=[f"the signed file cannot be read ({type(error).__name__})"])
    if not signatures:
        return SignatureCheck(signed=False)
    roots = []
    for pem in expected_pems:
        _, _, der = asn1_pem.unarmor(pem)
        roots.append(asn1_x509.Certificate.load(der))
    check = SignatureCheck(signed=True)
    for signature in signatures:
        try:
            status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots, allow_fetching=False))
        except Exception as error:  # noqa: BLE001
            check.problems.append(f"the signature cannot be validated ({type(error).__name__}: {error})")
            continue
        cert = signature.signer_cert
        check.signer = cert.subject.human_friendly
        check.fingerprint = hashlib.sha256(cert.dump()).hexdigest()
        if not (status.intact and status.valid):
            check.problems.append("the signature does not match the signed bytes (altered after signing)")
        elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            check.problems.append("bytes were added after the signature")
        if not roots:
            check.problems.append("no certificate is imported for the case's judge to check the signature against")
        elif not status.trusted:
            check.problems.append(f"signed with a certificate ({check.signer}) other than the one imported for the case's judge")
    return check
