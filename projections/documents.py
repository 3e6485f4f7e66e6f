"""The content-addressed document store: each file is kept once, under its sha256, encrypted.

The docket's ``DocumentFiled`` event holds only the hash; the bytes live under
``settings.documents_dir/ab/cd/<sha256>``. An upload is streamed to a temporary
file while it is hashed, measured and encrypted, refused past the size limit,
checked against the media types the court accepts (by its first bytes, not by
what the browser claims), and moved into place only when the filing it belongs
to was recorded (``stage`` ... ``commit``): a refused upload leaves nothing.
Reading decrypts and re-hashes the file, so a damaged or replaced file is never
served as the filed document.

Encryption at rest uses the event store's key (projections/keys.py) with AES-GCM,
in chunks so that a 20 MB upload never sits in memory (the STREAM construction):

    header  = b"MCDOC1" + key id (8 bytes: sha256 of the key) + nonce prefix (7 random bytes)
    chunk i = AES-GCM(key, nonce = prefix + i (4 bytes) + last (1 byte), aad = header)

Each chunk holds ``CHUNK`` bytes of the file (the last one fewer) and its 16-byte tag; the
counter stops chunks from being reordered, the last flag stops the file from being cut short.
The key id says which key (current or retired) opened the file; ``rotate_keys`` re-encrypts
every file under the current key after ``medcourt key rotate``. Files stored in clear by an
earlier version (no header) are still read, and checked, and ``rotate_keys`` encrypts them.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher

from domain.errors import InvalidValue, NotFound

if TYPE_CHECKING:
    from domain.application import Docket

CHUNK = 64 * 1024
TAG = 16
MAGIC = b"MCDOC1"
HEADER = len(MAGIC) + 8 + 7
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")

# Media types the court accepts, with the file name endings that go with them.
MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/tiff": (".tif", ".tiff"),
    "text/plain": (".txt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
}


class DocumentDamaged(Exception):
    """A stored file no longer matches the hash it was filed under, or cannot be decrypted."""


@dataclass(frozen=True)
class StoredDocument:
    sha256: str
    size: int
    media_type: str


def sniff_media_type(head: bytes, filename: str) -> str | None:
    """The media type of a file from its first bytes (and, for ZIP-based and text files, its name)."""
    name = filename.lower()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"PK\x03\x04") and name.endswith(".docx"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if name.endswith(".txt") and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # The first bytes may end inside a multi-byte character.
            if error.start < len(head) - 3:
                return None
        return "text/plain"
    return None


def key_id(raw_key: bytes) -> bytes:
    return hashlib.sha256(raw_key).digest()[:8]


def _raw(key: str) -> bytes:
    raw: bytes = AESCipher({"CIPHER_KEY": key.strip()}).key  # type: ignore[arg-type]
    return raw


def _with_lookahead(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each chunk with whether it is the last one."""
    previous = next(chunks, None)
    while previous is not None:
        following = next(chunks, None)
        yield previous, following is None
        previous = following


def _fixed_size(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    """The same bytes in pieces of exactly ``size`` (the last may be shorter): reads may return less."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


def _read_chunks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


class DocumentCipher:
    """Chunked AES-GCM with the current key; opens files sealed with any known key."""

    def __init__(self, current: str, retired: list[str] | tuple[str, ...] = ()) -> None:
        raw = _raw(current)
        self.current_id = key_id(raw)
        self.current = AESGCM(raw)
        self.readers = {key_id(r): AESGCM(r) for r in (raw, *(_raw(k) for k in retired if k.strip()))}

    @staticmethod
    def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
        return prefix + struct.pack(">IB", index, 1 if last else 0)

    def seal(self, chunks: Iterator[bytes], out: IO[bytes]) -> None:
        header = MAGIC + self.current_id + os.urandom(7)
        prefix = header[-7:]
        out.write(header)
        for index, (chunk, last) in enumerate(_with_lookahead(_fixed_size(chunks, CHUNK))):
            out.write(self.current.encrypt(self._nonce(prefix, index, last), chunk, header))

    def open(self, stream: IO[bytes]) -> Iterator[bytes]:
        header = stream.read(HEADER)
        if not header.startswith(MAGIC):
            # Stored in clear before documents were encrypted: read as it is (still hash-checked).
            yield header
            yield from _read_chunks(stream, CHUNK)
            return
        reader = self.readers.get(header[len(MAGIC) : len(MAGIC) + 8])
        if reader is None or len(header) != HEADER:
            raise DocumentDamaged("The file was encrypted with a key this installation does not hold")
        prefix = header[-7:]
        ended = False
        for index, (sealed, last) in enumerate(_with_lookahead(_fixed_size(_read_chunks(stream, CHUNK + TAG), CHUNK + TAG))):
            try:
                yield reader.decrypt(self._nonce(prefix, index, last), sealed, header)
            except InvalidTag:
                raise DocumentDamaged("The file fails its authentication (altered, cut short or reordered)") from None
            ended = last
        if not ended:
            raise DocumentDamaged("The file is empty")

    def sealed_with_current(self, path: Path) -> bool:
        with path.open("rb") as stored:
            header = stored.read(HEADER)
        return header.startswith(MAGIC) and header[len(MAGIC) : len(MAGIC) + 8] == self.current_id


class StagedDocument:
    """An accepted upload, encrypted in a temporary file: ``commit()`` once its filing is recorded.
    Leaving the ``with`` block without committing removes it."""

    def __init__(self, store: DocumentStore, temp: Path, stored: StoredDocument) -> None:
        self.store = store
        self.temp = temp
        self.document = stored
        self.sha256, self.size, self.media_type = stored.sha256, stored.size, stored.media_type

    def commit(self) -> StoredDocument:
        target = self.store.path_for(self.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            self.temp.unlink(missing_ok=True)  # the same content was filed before
        else:
            os.replace(self.temp, target)
        return self.document

    def __enter__(self) -> StagedDocument:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.temp.unlink(missing_ok=True)


class DocumentStore:
    def __init__(self, root: Path, max_bytes: int, keys: tuple[str, list[str]]) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.cipher = DocumentCipher(keys[0], keys[1])

    def path_for(self, sha256: str) -> Path:
        if not SHA256_PATTERN.match(sha256):
            raise NotFound("Not a document hash")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _incoming(self) -> Path:
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        return incoming

    def stage(self, stream: IO[bytes], filename: str, expected_sha256: str | None = None) -> StagedDocument:
        """Check and encrypt an upload into a temporary file; refuse it (``InvalidValue`` on field
        ``file``) if it is empty, too large, of a type the court does not accept, or does not match
        ``expected_sha256``. Nothing stays on disk unless the result is committed."""
        digest = hashlib.sha256()
        seen = {"size": 0, "head": b""}

        def measured() -> Iterator[bytes]:
            while chunk := stream.read(CHUNK):
                seen["size"] += len(chunk)  # type: ignore[operator]
                if seen["size"] > self.max_bytes:  # type: ignore[operator]
                    raise InvalidValue(f"The file is larger than the limit of {self.max_bytes // (1024 * 1024)} MB", field="file")
                head = seen["head"]
                assert isinstance(head, bytes)
                if len(head) < 512:
                    seen["head"] = head + chunk[: 512 - len(head)]
                digest.update(chunk)
                yield chunk

        fd, temp_name = tempfile.mkstemp(dir=self._incoming())
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                self.cipher.seal(measured(), out)
            size, head = seen["size"], seen["head"]
            assert isinstance(size, int) and isinstance(head, bytes)
            if size == 0:
                raise InvalidValue("The file is empty", field="file")
            media_type = sniff_media_type(head, filename)
            if media_type is None:
                raise InvalidValue(
                    "The court accepts PDF, PNG, JPEG, TIFF, plain text (.txt) and Word (.docx) files; this file is none of them",
                    field="file",
                )
            if not filename.lower().endswith(MEDIA_TYPES[media_type]):
                raise InvalidValue(f"The file's name ends in a way that does not match its content ({media_type})", field="file")
            sha256 = digest.hexdigest()
            if expected_sha256 and expected_sha256.strip().lower() != sha256:
                raise InvalidValue(
                    f"The file's sha256 is {sha256}, not the {expected_sha256.strip()} given: it was damaged or is another file",
                    field="sha256",
                )
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return StagedDocument(self, temp, StoredDocument(sha256=sha256, size=size, media_type=media_type))

    def put(self, stream: IO[bytes], filename: str, expected_sha256: str | None = None) -> StoredDocument:
        """Stage and commit at once (for files that need no filing, such as a restore)."""
        with self.stage(stream, filename, expected_sha256) as staged:
            return staged.commit()

    def _plain_chunks(self, sha256: str) -> Iterator[bytes]:
        path = self.path_for(sha256)
        if not path.is_file():
            raise NotFound("The file of this document is not in the store")
        with path.open("rb") as stored:
            yield from self.cipher.open(stored)

    def check(self, sha256: str, size: int | None = None) -> None:
        """Decrypt and re-hash the stored file: ``NotFound`` if missing, ``DocumentDamaged`` if it fails."""
        digest = hashlib.sha256()
        length = 0
        for chunk in self._plain_chunks(sha256):
            digest.update(chunk)
            length += len(chunk)
        if digest.hexdigest() != sha256 or (size is not None and length != size):
            raise DocumentDamaged(f"The stored file {sha256} fails its checksum")

    def iter_bytes(self, sha256: str) -> Iterator[bytes]:
        """The file's content; checked whole before the first byte is handed out."""
        self.check(sha256)
        yield from self._plain_chunks(sha256)

    def stored_hashes(self) -> Iterator[str]:
        if self.root.is_dir():
            for path in sorted(self.root.glob("??/??/*")):
                if SHA256_PATTERN.match(path.name):
                    yield path.name

    def rotate_keys(self) -> int:
        """Re-encrypt every file not sealed with the current key (and any stored in clear); the count."""
        count = 0
        for sha256 in self.stored_hashes():
            path = self.path_for(sha256)
            if self.cipher.sealed_with_current(path):
                continue
            self.check(sha256)
            fd, temp_name = tempfile.mkstemp(dir=self._incoming())
            try:
                with os.fdopen(fd, "wb") as out:
                    self.cipher.seal(self._plain_chunks(sha256), out)
                os.replace(temp_name, path)
            finally:
                Path(temp_name).unlink(missing_ok=True)
            count += 1
        return count


def verify_documents(docket: Docket, store: DocumentStore) -> tuple[int, list[str]]:
    """Every ``DocumentFiled`` of the log against the store: the file is there, decrypts, and has the
    sha256 and size the docket recorded. (documents checked, one line per problem)."""
    checked, problems = 0, []
    position = 0
    while notifications := docket.recorder.select_notifications(start=position, limit=2000, inclusive_of_start=False):
        for notification in notifications:
            if not notification.topic.endswith(".DocumentFiled"):
                continue
            event: Any = docket.mapper.to_domain_event(notification)  # unreadable events are verify_docket's finding
            checked += 1
            try:
                store.check(event.sha256, event.size)
            except (NotFound, DocumentDamaged) as error:
                case: Any = docket.repository.get(event.originator_id)
                problems.append(f"{case.docket_number} v{event.originator_version} DocumentFiled {event.document_id}: {error}")
        position = notifications[-1].id
    return checked, problems


def cipher_keys(event_store_env: dict[str, str]) -> tuple[str, list[str]]:
    """The document store's keys are the event store's: (current, retired) from its environment."""
    return event_store_env["CIPHER_KEY"], [k for k in event_store_env.get("CIPHER_OLD_KEYS", "").split(",") if k.strip()]


def extension_for(media_type: str) -> str:
    return MEDIA_TYPES.get(media_type, (".bin",))[0]
