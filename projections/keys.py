"""Encryption at rest: the event store's key, its rotation, and the cipher that reads old keys.

Event payloads are compressed (zlib) and then encrypted with AES-GCM by
eventsourcing's mapper. The key comes from ``MEDCOURT_CIPHER_KEY`` (base64 of 32
bytes) or from a key file: ``MEDCOURT_CIPHER_KEY_FILE``, by default
``var/cipher.key``. The file's first line is the current key; lines below it are
retired keys, still used to read events written before a rotation (``medcourt key
rotate``). Lose the key and the docket cannot be read: back it up apart from the data.

A key is created only for a store that holds no events (``medcourt init`` on a new
installation); a store with events and no key, or with a key that cannot decrypt
it, is refused (``MissingKey``, ``WrongKey``: the command line's exit 2), so that no
process ever writes new events under a second key beside data it cannot read.
A key is named by its fingerprint (``fingerprint``): backups record it, and
``medcourt restore`` refuses a key that does not match.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher

KEY_BYTES = 32


class KeyProblem(Exception):
    """The installation's key is missing or does not read its event store (one line, for exit 2)."""


class MissingKey(KeyProblem):
    pass


class WrongKey(KeyProblem):
    pass


def raw_key(key: str) -> bytes:
    raw: bytes = AESCipher({"CIPHER_KEY": key.strip()}).key  # type: ignore[arg-type]
    return raw


def fingerprint(key: str) -> str:
    """A key's public name: the first 16 hex digits of the sha256 of its bytes (never the key itself)."""
    return "sha256:" + hashlib.sha256(raw_key(key)).hexdigest()[:16]


class RotatingAESCipher(AESCipher):
    """AES-GCM (the ``cryptography`` package) that encrypts with ``CIPHER_KEY`` and decrypts with
    it or any of ``CIPHER_OLD_KEYS``. Stored as nonce + tag + ciphertext, like eventsourcing's ciphers."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        old = [k for k in (environment.get("CIPHER_OLD_KEYS") or "").split(",") if k.strip()]
        # One AESGCM per key, built once: constructing it per event costs more than decrypting.
        self.current = AESGCM(self.key)
        self.readers = [self.current, *(AESGCM(AESCipher({"CIPHER_KEY": k.strip()}).key) for k in old)]  # type: ignore[arg-type]

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        sealed = self.current.encrypt(nonce, plaintext, None)
        return nonce + sealed[-16:] + sealed[:-16]

    def decrypt(self, ciphertext: bytes) -> bytes:
        nonce, tag, body = ciphertext[:12], ciphertext[12:28], ciphertext[28:]
        if len(nonce) != 12 or len(tag) != 16:
            raise ValueError("Damaged cipher text")
        # Written before a rotation? GCM authentication tells a wrong key from the right one.
        for reader in self.readers:
            try:
                return reader.decrypt(nonce, body + tag, None)
            except InvalidTag:
                continue
        raise ValueError("Cipher text cannot be authenticated with any known key (altered, or a key is missing)")


def key_file(var_dir: Path) -> Path:
    return Path(os.environ.get("MEDCOURT_CIPHER_KEY_FILE") or var_dir / "cipher.key")


def new_key() -> str:
    return AESCipher.create_key(num_bytes=KEY_BYTES)


def _write_exclusively(path: Path, text: str) -> bool:
    """Create ``path`` with ``text`` unless it exists (two processes starting at once agree on one key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return True


def load_keys(var_dir: Path, *, create: bool = False) -> tuple[str, list[str]]:
    """(current key, retired keys): from the environment, else the key file; ``create`` makes the
    file if it is missing (only for a store without events), else a missing key is ``MissingKey``."""
    from_env = os.environ.get("MEDCOURT_CIPHER_KEY")
    if from_env:
        retired = [k for k in os.environ.get("MEDCOURT_CIPHER_OLD_KEYS", "").split(",") if k]
        return from_env.strip(), retired
    path = key_file(var_dir)
    if not path.exists() and not create:
        raise MissingKey(
            f"the event store holds events but there is no key ({path} is missing and MEDCOURT_CIPHER_KEY is not set): "
            "restore the key that encrypted it; a new key cannot read it"
        )
    if create and _write_exclusively(path, new_key() + "\n"):
        print(
            f"medcourt: generated the encryption key {path}. Back it up apart from the data: without it the docket cannot be read.",
            file=sys.stderr,
        )
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return lines[0], lines[1:]


def check_key_reads_store(docket: Any) -> None:
    """``WrongKey`` unless the first and the latest stored events decrypt with the keys in use."""
    recorder = docket.recorder
    last = recorder.max_notification_id()
    if not last:
        return
    for position in {1, last}:
        found = recorder.select_notifications(start=position, limit=1)
        if not found:
            continue
        try:
            docket.mapper.to_domain_event(found[0])
        except ValueError:
            keys = [docket.env.get("CIPHER_KEY") or "", *(docket.env.get("CIPHER_OLD_KEYS") or "").split(",")]
            names = ", ".join(fingerprint(k) for k in keys if k.strip())
            raise WrongKey(
                f"the key(s) in use ({names}) cannot decrypt the event store (event {found[0].id}): "
                "set the key that encrypted it (the backup manifest names its fingerprint); nothing was changed"
            ) from None


def rotate(var_dir: Path) -> tuple[Path, int]:
    """Put a new current key at the top of the key file, keeping the old ones for reading."""
    if os.environ.get("MEDCOURT_CIPHER_KEY"):
        raise ValueError("The key comes from MEDCOURT_CIPHER_KEY: rotate by setting a new one and moving the old one to MEDCOURT_CIPHER_OLD_KEYS")
    current, retired = load_keys(var_dir)
    path = key_file(var_dir)
    keys = [new_key(), current, *retired]
    temporary = path.with_suffix(".new")
    temporary.write_text("\n".join(keys) + "\n")
    temporary.chmod(0o600)
    temporary.replace(path)
    return path, len(keys) - 1
