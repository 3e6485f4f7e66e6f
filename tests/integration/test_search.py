"""Docket search by words: Kazakh and Russian names in any case, every word must match, and an index answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, create_engine, text

from domain import clock
from domain.application import Docket
from projections import queries, schema
from projections.projector import Projector
from projections.queries import Viewer
from projections.search import fold, text_match, words
from projections.settings import Settings

TODAY = date(2025, 3, 3)
CLERK = {"user": "clerk", "role": "clerk", "court": "ALA"}
ADMIN = Viewer("admin")
HOSPITAL = {"kind": "organization", "name": "Қалалық аурухана № 4", "bin": "123456789012"}


def civil(claimant: str, respondents: list[dict[str, str]], summary: str = "") -> dict[str, object]:
    return dict(
        track="civil", court="ALA", received_on=TODAY - timedelta(days=5), specialty="surgery", alleged_harm="serious",
        incident_date=TODAY - timedelta(days=60), claimant={"name": claimant}, respondents=respondents,
        claimed={"real_damage": "500000"}, summary=summary, actor=CLERK,
    )


@pytest.fixture
def docket_and_views(settings: Settings) -> Iterator[tuple[Docket, Engine, dict[str, str]]]:
    docket = Docket(env=settings.event_store_env(create_tables=True))
    schema.upgrade(settings)
    filed = {}
    with clock.frozen_at(datetime.combine(TODAY, time(9), tzinfo=clock.COURT_TZ)):
        docket.install_default_rulebook()
        filed["kazakh"] = docket.file_case(**civil("Әйгерім Нұрғалиқызы", [HOSPITAL]))["docket_number"]
        filed["russian"] = docket.file_case(**civil("Ёлкин Пётр Семёнович", [{"kind": "specialist", "name": "Ирина ЩЕРБАКОВА", "certificate_no": "KZ-SP-0042"}]))["docket_number"]
        filed["latin"] = docket.file_case(**civil(
            "Aigerim Sadykova", [{"kind": "organization", "name": "Private Clinic 'Densaulyk-2'", "bin": "210987654321"}],
            summary="Перфорация кишечника после лапароскопии",
        ))["docket_number"]
        filed["corrected"] = docket.file_case(**civil("Ахметов Ерлан", [HOSPITAL]))["docket_number"]
        docket.correct_entry(filed["corrected"], corrects_version=1, reason="Misspelt", corrections={"claimant_name": "Ахмедов Ерлан"}, actor=CLERK)
        docket.correct_entry(filed["corrected"], corrects_version=1, reason="Incomplete", corrections={"summary": "Осложнение после аппендэктомии"}, actor=CLERK)
    with Projector(settings, docket=docket) as projector:
        projector.catch_up()
    engine = create_engine(settings.views_url)
    yield docket, engine, filed
    engine.dispose()
    docket.close()


def found(engine: Engine, query: str) -> set[str]:
    with engine.connect() as conn:
        return {item["docket_number"] for item in queries.search_cases(conn, ADMIN, text=query).items}


def test_words_are_folded_for_every_alphabet() -> None:
    assert fold("  ӘЙГЕРІМ   Нұрғалиқызы ") == "әйгерім нұрғалиқызы"
    assert words("Ёлкин ёлкин  ПЁТР") == ["ёлкин", "пётр"]
    assert text_match("sqlite", "   ") is None


def test_kazakh_and_russian_names_match_in_any_case(docket_and_views: tuple[Docket, Engine, dict[str, str]]) -> None:
    _, engine, filed = docket_and_views
    assert found(engine, "ӘЙГЕРІМ") == {filed["kazakh"]}
    assert found(engine, "нұрғали") == {filed["kazakh"]}  # part of a word
    assert found(engine, "щербакова") == {filed["russian"]}
    assert found(engine, "ПЁТР ёлкин") == {filed["russian"]}  # every word, in any order
    assert found(engine, "аурухана") == {filed["kazakh"], filed["corrected"]}
    assert found(engine, "AIGERIM densaulyk") == {filed["latin"]}
    assert found(engine, "ЛАПАРОСКОПИИ перфорация") == {filed["latin"]}  # words of the summary


def test_every_word_must_match_and_short_words_count_too(docket_and_views: tuple[Docket, Engine, dict[str, str]]) -> None:
    _, engine, filed = docket_and_views
    assert found(engine, "Щербакова Әйгерім") == set()
    assert found(engine, "аурухана 4") == {filed["kazakh"], filed["corrected"]}
    assert found(engine, "аурухана ю") == set()  # a one-letter word no party has
    assert found(engine, "kz-sp-0042") == {filed["russian"]}
    assert found(engine, "210987654321") == {filed["latin"]}
    assert found(engine, filed["russian"].lower()) == {filed["russian"]}
    assert found(engine, "100%") == set()  # LIKE wildcards are words, not patterns


def test_a_corrected_name_or_summary_is_found_and_so_is_the_recorded_one(docket_and_views: tuple[Docket, Engine, dict[str, str]]) -> None:
    _, engine, filed = docket_and_views
    assert found(engine, "ахмедов") == {filed["corrected"]}
    assert found(engine, "ахметов") == {filed["corrected"]}
    assert found(engine, "аппендэктомии") == {filed["corrected"]}


def test_the_search_is_answered_by_an_index_not_a_scan(settings: Settings, docket_and_views: tuple[Docket, Engine, dict[str, str]]) -> None:
    _, engine, _ = docket_and_views
    with engine.connect() as conn:
        condition = text_match(conn.dialect.name, "щербакова")
        assert condition is not None
        compiled = condition.compile(conn, compile_kwargs={"literal_binds": True})
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN SELECT case_id FROM cases WHERE {compiled}")))
            assert "VIRTUAL TABLE INDEX" in plan and "SCAN cases " not in plan + " "
        else:
            conn.execute(text("SET enable_seqscan = off"))  # a handful of rows: make the planner show what it would use at scale
            plan = " ".join(row[0] for row in conn.execute(text(f"EXPLAIN SELECT case_id FROM cases WHERE {compiled}")))
            assert "ix_cases_search_text_trgm" in plan


def test_revision_0007_makes_cases_projected_before_it_searchable(settings: Settings, docket_and_views: tuple[Docket, Engine, dict[str, str]]) -> None:
    _, engine, filed = docket_and_views
    engine.dispose()
    # Back to before the search index (the column and index go), then up again: the rows are filled from case_parties.
    schema.downgrade(settings, to="0006_statistics")
    schema.upgrade(settings)
    assert found(engine, "щербакова") == {filed["russian"]}
    assert found(engine, "нұрғали қалалық") == {filed["kazakh"]}
    assert found(engine, "перфорация") == {filed["latin"]}
