"""A PKCS#12 certificate made for the tests (cryptography's x509 builder), to sign acts with."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = "judge-secret"
# Fixed validity wide enough for any pinned test date (tests never read the real date).
VALID_FROM = datetime(2000, 1, 1, tzinfo=UTC)
VALID_TO = datetime(2099, 12, 31, tzinfo=UTC)


def judge_pkcs12(name: str, passphrase: str = PASSPHRASE) -> bytes:
    """A self-signed signing certificate and its key, as a judge's PKCS#12 file."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")])
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(VALID_FROM).not_valid_after(VALID_TO)
        .add_extension(usage, critical=True).sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, certificate, None, serialization.BestAvailableEncryption(passphrase.encode()),
    )
