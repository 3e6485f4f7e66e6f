"""The document store the web serves from: see projections/documents.py (encrypted, content-addressed)."""

from __future__ import annotations

from projections.documents import (
    MEDIA_TYPES,
    DocumentDamaged,
    DocumentStore,
    StagedDocument,
    StoredDocument,
    cipher_keys,
    extension_for,
    sniff_media_type,
)

__all__ = ["MEDIA_TYPES", "DocumentDamaged", "DocumentStore", "StagedDocument", "StoredDocument", "cipher_keys", "extension_for", "sniff_media_type"]
