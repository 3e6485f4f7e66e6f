"""The content-addressed document store: each file is kept once, under its sha256.

The docket's ``DocumentFiled`` event holds only the hash; the bytes live under
``settings.documents_dir/ab/cd/<sha256>``. An upload is streamed to a temporary
file while it is hashed and measured, refused past the size limit, checked
against the media types the court accepts (by its first bytes, not by what the
browser claims), and moved into place atomically. Reading re-hashes the file,
so a damaged or replaced file is never served as the filed document.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from domain.errors import InvalidValue, NotFound

if TYPE_CHECKING:
    from collections.abc import Iterator

CHUNK = 64 * 1024
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
    """A stored file no longer matches the hash it was filed under."""


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


class DocumentStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_for(self, sha256: str) -> Path:
        if not SHA256_PATTERN.match(sha256):
            raise NotFound("Not a document hash")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: IO[bytes], filename: str, expected_sha256: str | None = None) -> StoredDocument:
        """Store an upload; refuse it (``InvalidValue`` on field ``file``) if it is empty, too large,
        of a type the court does not accept, or does not match ``expected_sha256``."""
        self.root.mkdir(parents=True, exist_ok=True)
        incoming = self.root / "incoming"
        incoming.mkdir(exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        head = b""
        fd, temp_name = tempfile.mkstemp(dir=incoming)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise InvalidValue(
                            f"The file is larger than the limit of {self.max_bytes // (1024 * 1024)} MB", field="file"
                        )
                    if len(head) < 512:
                        head += chunk[: 512 - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise InvalidValue("The file is empty", field="file")
            media_type = sniff_media_type(head, filename)
            if media_type is None:
                raise InvalidValue(
                    "The court accepts PDF, PNG, JPEG, TIFF, plain text (.txt) and Word (.docx) files; this file is none of them",
                    field="file",
                )
            if not filename.lower().endswith(MEDIA_TYPES[media_type]):
                raise InvalidValue(
                    f"The file's name ends in a way that does not match its content ({media_type})", field="file"
                )
            sha256 = digest.hexdigest()
            if expected_sha256 and expected_sha256.strip().lower() != sha256:
                raise InvalidValue(
                    f"The file's sha256 is {sha256}, not the {expected_sha256.strip()} given: it was damaged or is another file",
                    field="sha256",
                )
            target = self.path_for(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                temp.unlink()
            else:
                os.replace(temp, target)
            return StoredDocument(sha256=sha256, size=size, media_type=media_type)
        finally:
            if temp.exists():
                temp.unlink()

    def verified_path(self, sha256: str) -> Path:
        """The stored file, after checking that its content still has this hash."""
        path = self.path_for(sha256)
        if not path.is_file():
            raise NotFound("The file of this document is not in the store")
        digest = hashlib.sha256()
        with path.open("rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise DocumentDamaged(f"The stored file {sha256} fails its checksum")
        return path

    def iter_bytes(self, sha256: str) -> Iterator[bytes]:
        path = self.verified_path(sha256)
        with path.open("rb") as stored:
            while chunk := stored.read(CHUNK):
                yield chunk


def extension_for(media_type: str) -> str:
    return MEDIA_TYPES.get(media_type, (".bin",))[0]
