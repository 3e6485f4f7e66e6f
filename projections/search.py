"""Docket search by words: the folded text a case is found by, and the query that finds it without a scan.

Each case row keeps ``search_text``: its docket number, every party's name,
certificate number and BIN, and its summary, Unicode-normalized (NFKC) and case-folded in Python, so
Kazakh and Russian names (Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І, Ё...) match whatever case they are
typed in, on either database and whatever its locale. A query matches the cases whose
text contains every one of its words. The text is indexed where it lives:

- PostgreSQL: a trigram GIN index (``pg_trgm``, ``gin_trgm_ops``) answers ``LIKE '%word%'``;
- SQLite: an FTS5 table with the ``trigram`` tokenizer (``cases_fts``, kept in step with
  ``cases`` by triggers) answers ``MATCH '"word"'``; words shorter than three characters,
  which trigrams cannot index, are checked on the rows the longer words found.

Revision ``0007_search`` creates both and fills ``search_text`` for cases projected before it.

The public docket searches its own text, ``public_text`` (``public_search_text``): only what the
public docket shows by name, the docket number and the organizations and authorities with their
BINs, never a person; indexed the same way (``ix_cases_public_text_trgm``, ``cases_public_fts``;
revision ``0009_scale``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, literal, select, text

from projections import tables as t

TRIGRAM = 3
SEARCH_INDEXES = frozenset({"ix_cases_search_text_trgm", "ix_cases_public_text_trgm"})  # PostgreSQL's; SQLite's are FTS5 tables
FTS_TABLES = {"search_text": "cases_fts", "public_text": "cases_public_fts"}  # SQLite: the FTS5 table indexing each column


def fold(value: str) -> str:
    """Text as the search compares it: NFKC, case-folded, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def words(query: str) -> list[str]:
    """The distinct folded words of a query, in order."""
    return list(dict.fromkeys(fold(query).split()))


def case_search_text(docket_number: str, parties: Iterable[dict[str, Any]], summary: str = "") -> str:
    """The text a case is found by: its docket number, each party's name, certificate number and BIN, its summary."""
    pieces = [docket_number]
    for party in parties:
        pieces.extend(str(party[key]) for key in ("name", "certificate_no", "bin") if party.get(key))
    pieces.append(summary)
    return fold(" ".join(pieces))


def public_search_text(docket_number: str, parties: Iterable[dict[str, Any]]) -> str:
    """The text the public finds a case by: its docket number and the names and BINs of the parties the public
    docket names (organizations and authorities, ``projections.queries.pseudonym``); people are left out."""
    pieces = [docket_number]
    for party in parties:
        if party.get("kind") == "organization" or party.get("role") == "authority":
            pieces.extend(str(party[key]) for key in ("name", "bin") if party.get(key))
    return fold(" ".join(pieces))


def with_corrected(search_text: str, value: str) -> str:
    """After a corrected name or summary: the case is found by the corrected and the recorded text alike
    (the docket keeps both, and so does its history)."""
    folded = fold(value)
    return search_text if f" {folded} " in f" {search_text} " else f"{search_text} {folded}"


def searchable(query: str) -> bool:
    """No name or number holds a control character (or a lone surrogate): such a search matches nothing.
    (PostgreSQL refuses NUL in a parameter.)"""
    return not any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF or ord(ch) == 0x7F for ch in query)


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_match(dialect: str, query: str, column_name: str = "search_text") -> ColumnElement[bool] | None:
    """SQL for "the case's text (``search_text``, or the public docket's ``public_text``) contains every
    word of ``query``", served by the dialect's index. None when the query has no words."""
    found = words(query)
    if not found:
        return None
    if not searchable(query):
        return false()
    column = t.cases.c[column_name]
    fts = FTS_TABLES[column_name]
    if dialect == "sqlite":
        long_words = [w for w in found if len(w) >= TRIGRAM]
        short = [func.instr(column, literal(w)) > 0 for w in found if len(w) < TRIGRAM]
        if not long_words:
            return and_(*short)
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        indexed = t.cases.c.case_id.in_(
            select(text("cases.case_id")).select_from(text(f"{fts} JOIN cases ON cases.rowid = {fts}.rowid"))
            .where(text(f"{fts} MATCH :match").bindparams(match=match))
        )
        return and_(indexed, *short)
    return and_(*(column.like(f"%{_like_escaped(w)}%", escape="\\") for w in found))
