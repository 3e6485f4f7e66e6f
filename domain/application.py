"""The application services: one command per user action, one query per question.

Web views, API endpoints, the CLI and the worker all call these methods with plain
values. Each command checks who may act, loads the aggregates it needs, lets them
apply the rules, saves everything it changed in one transaction and returns a
receipt (docket number, case version and the write's position in the event log,
so a reader can wait for projections to catch up). A concurrent write to the
same aggregate is retried a few times on fresh state before it is reported.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, LRUCache
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from domain import clock, rules
from domain.base import CourtAggregate, seal_chain
from domain.calendar import CourtCalendar, calendar_id
from domain.case import Case, case_id_for
from domain.docket_numbers import DocketSequence, is_docket_number, sequence_id
from domain.errors import ConcurrentChange, DomainError, InvalidValue, NotFound
from domain.permissions import ensure_permitted
from domain.registry import Expert, Judge, Mediator
from domain.rulebook import DEFAULT_EFFECTIVE_FROM, DEFAULT_SOURCES, RULEBOOK_ID, Rulebook, RulebookVersion, default_parameters
from domain.vocabulary import MERITS_DISPOSITIONS, SYSTEM, TRACKS, Actor

T = TypeVar("T")
LAST_DAY = date.max - timedelta(days=1)
Receipt = dict[str, Any]


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def apply_events(aggregate: Any, events: Iterable[Any]) -> Any:
    """Each event's ``mutate`` in turn: the library's ``project_aggregate`` without its assertion that
    each event satisfies a runtime-checkable Protocol, a check that cost more than applying the event
    (a quarter of a large demo's simulation)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Docket(Application[UUID]):
    """The docket of Kazakhstan's specialized medical courts."""

    name = "Docket"
    snapshotting_intervals: ClassVar[dict[Any, int]] = {
        Case: 50,
        CourtCalendar: 100,
        DocketSequence: 200,
    }
    # Many clerks filing in one court at once all meet on that court's docket sequence: allow
    # enough attempts for a crowd, with jittered back-off so they stop colliding.
    conflict_attempts = 40

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # --- plumbing ---------------------------------------------------------------------------------

    def _retrying(self, command: Callable[[], T]) -> T:
        """Run ``command`` (which loads, decides and saves) again on fresh state if another
        writer saved the same aggregate first; report a conflict that persists."""
        for attempt in range(self.conflict_attempts):
            self._loaded_by_command().clear()
            try:
                return command()
            except IntegrityError:
                self._forget_unsaved_changes(saving=True)
                time.sleep(random.uniform(0, min(0.25, 0.002 * 2**attempt)))
            except Exception:
                self._forget_unsaved_changes()
                raise
        raise ConcurrentChange(
            "Someone else changed this record at the same moment several times in a row; reload and try again"
        )

    def _forget_unsaved_changes(self, *, saving: bool = False) -> None:
        """A command failed: drop what it may have changed in cached aggregates. Only a cache handed out
        without copies (``DEEPCOPY_FROM_AGGREGATE_CACHE=n``, the in-memory demo) can hold such changes,
        and only in the aggregates this thread loaded since its last command began (``_load`` notes
        them); the next read rebuilds those from their stored events. Evicting the whole cache instead
        made every failed step of a large demo rebuild thousands of aggregates; evicting those a refused
        command only read rebuilt a court's whole calendar on each refused hearing."""
        loaded = self._loaded_by_command()
        cache = self.repository.cache
        if cache is not None and not self.repository.deepcopy_from_cache:
            for aggregate_id in loaded:
                entry = cache.cache.get(aggregate_id)
                cached = entry[LRUCache.RESULT] if isinstance(cache, LRUCache) and entry is not None else entry
                # An aggregate changes only by triggering events: one with none pending is as stored (a failed
                # save has taken them out of pending: ``saving`` then forgets every aggregate loaded).
                if cached is not None and (saving or getattr(cached, "pending_events", None)):
                    cache.get(aggregate_id, evict=True)
        loaded.clear()

    _command_state = threading.local()

    def _loaded_by_command(self) -> set[UUID]:
        loaded: set[UUID] | None = getattr(self._command_state, "loaded", None)
        if loaded is None:
            loaded = self._command_state.loaded = set()
        return loaded

    def _load(self, aggregate_id: UUID, **options: Any) -> Any:
        """An aggregate from the repository, rebuilt by ``apply_events``; noted for ``_forget_unsaved_changes``."""
        read_only = options.get("deepcopy_from_cache") is False  # the caller only reads it
        if self.repository.cache is not None and not self.repository.deepcopy_from_cache and not read_only:
            self._loaded_by_command().add(aggregate_id)
        return self.repository.get(aggregate_id, projector_func=apply_events, **options)

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        # Every event is sealed into its aggregate's hash chain just before it is stored.
        pending: list[Any] = []
        for obj in objs:
            if isinstance(obj, CourtAggregate) and obj.pending_events:
                seal_chain(obj)
                pending.extend(obj.pending_events)
        try:
            return super().save(*objs, **kwargs)
        except IntegrityError:
            # The database may have committed this very write and then lost the connection before
            # saying so; the store's own retry of the insert then meets it. Retrying the command on
            # fresh state would record it a second time: if what is stored is this write, it is done.
            if pending and all(self._stored_already(event) for event in pending):
                return []
            raise

    def _stored_already(self, event: Any) -> bool:
        """Whether exactly this event (same fields, instant and chain hash) is the one stored at its version."""
        stored = list(self.events.get(event.originator_id, gt=event.originator_version - 1, lte=event.originator_version))
        return len(stored) == 1 and type(stored[0]) is type(event) and vars(stored[0]) == vars(event)

    def _saved(self, *aggregates: Aggregate, **extra: Any) -> Receipt:
        recordings = self.save(*aggregates)
        case = next((a for a in aggregates if isinstance(a, Case)), None)
        # No recordings: the write was found stored after a lost connection; the log's head is past it.
        position = max((r.notification.id for r in recordings), default=None) if recordings else self.log_head()
        receipt: Receipt = {"position": position}
        if case is not None:
            receipt.update(docket_number=case.docket_number, version=case.version)
        receipt.update(extra)
        return receipt

    def _get(self, cls: type[T], aggregate_id: UUID, what: str) -> T:
        try:
            aggregate: Any = self._load(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"No {what} with id {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"No {what} with id {aggregate_id}")
        return aggregate

    def case(self, docket_number: str) -> Case:
        """The case now."""
        docket_number = docket_number.strip().upper()
        if not is_docket_number(docket_number):
            raise NotFound(f"'{docket_number}' is not a docket number (like ALA-2026-C-00042)", field="docket_number")
        try:
            aggregate: Any = self._load(case_id_for(docket_number))
        except AggregateNotFoundError:
            # The same answer as for a sealed case the reader may not see (R11).
            raise NotFound(code="R11.not_on_docket", field="docket_number", docket_number=docket_number) from None
        assert isinstance(aggregate, Case)
        return aggregate

    # Called with (docket number, actor, what was read) for every read of a sealed case (R11);
    # whoever runs the application (web, CLI) sets it to record the view where views are kept.
    on_sealed_view: Callable[[str, Actor, str], None] | None = None

    def read_case(self, docket_number: str, actor: Actor, what: str) -> Case:
        """The case now, for ``actor``: a sealed case they may not see is not found (R11), and every
        read of a sealed case is recorded through ``on_sealed_view``."""
        case = self.case(docket_number)
        rules.ensure_may_see_case(case.docket_number, case.court, case.judge_id, case.sealed, actor)
        if case.sealed and self.on_sealed_view is not None:
            self.on_sealed_view(case.docket_number, actor, what)
        return case

    def _acting_on(self, case: Case, actor: Actor, action: str) -> None:
        """R11 then R14, for every command on a case: a sealed case the actor may not see stays
        unseen, and the actor must be one who acts on this case."""
        rules.ensure_may_see_case(case.docket_number, case.court, case.judge_id, case.sealed, actor)
        rules.ensure_actor_may_act(actor, action, case.court, case.judge_id, case.docket_number)

    def judge(self, judge_id: str | UUID) -> Judge:
        return self._get(Judge, _uuid(judge_id, "judge"), "judge")

    def expert(self, expert_id: str | UUID) -> Expert:
        return self._get(Expert, _uuid(expert_id, "experts"), "expert")

    def mediator(self, mediator_id: str | UUID) -> Mediator:
        return self._get(Mediator, _uuid(mediator_id, "mediator"), "mediator")

    def rulebook(self, *, copy: bool = True) -> Rulebook:
        """The rulebook; ``copy=False`` (only to read it) skips the copy out of an aggregate cache."""
        try:
            aggregate: Any = self._load(RULEBOOK_ID, deepcopy_from_cache=copy)
        except AggregateNotFoundError:
            raise NotFound("No rulebook has been adopted yet: run 'medcourt init'") from None
        assert isinstance(aggregate, Rulebook)
        return aggregate

    def rulebook_on(self, day: date) -> RulebookVersion:
        return self.rulebook(copy=False).in_force_on(day)  # read on every ruling and deadline: not copied

    def _calendar(self, court: str, actor: Actor) -> CourtCalendar:
        try:
            aggregate: Any = self._load(calendar_id(court))
        except AggregateNotFoundError:
            return CourtCalendar(court=court, actor=actor)
        assert isinstance(aggregate, CourtCalendar)
        return aggregate

    def _case_command(self, action: str, docket_number: str, actor: Actor, change: Callable[[Case], Any], **extra: Any) -> Receipt:
        ensure_permitted(actor, action)

        def attempt() -> Receipt:
            case = self.case(docket_number)
            self._acting_on(case, actor, action)
            result = change(case)
            return self._saved(case, **({"id": result} if isinstance(result, str) else {}), **extra)

        return self._retrying(attempt)

    # --- rulebook and registries ----------------------------------------------------------------------

    def install_default_rulebook(self, public_holidays: Iterable[date] = ()) -> bool:
        """Adopt the shipped default rulebook if none exists yet (idempotent). True if it was adopted now.
        ``public_holidays`` are the non-working days of R17 (the CLI reads them from the ``holidays`` package)."""
        try:
            self.rulebook()
            return False
        except NotFound:
            pass
        rulebook = Rulebook(actor=SYSTEM)
        rulebook.adopt_version(DEFAULT_EFFECTIVE_FROM, default_parameters(public_holidays), DEFAULT_SOURCES, SYSTEM)
        try:
            self.save(rulebook)
        except IntegrityError:
            return False  # another process installed it at the same moment
        return True

    def adopt_rulebook_version(self, effective_from: date, parameters: dict[str, Any], sources: dict[str, str], actor: Actor) -> Receipt:
        ensure_permitted(actor, "adopt_rulebook_version")

        def attempt() -> Receipt:
            rulebook = self.rulebook()
            rulebook.adopt_version(effective_from, parameters, sources, actor)
            return self._saved(rulebook)

        return self._retrying(attempt)

    def register_judge(self, name: str, court: str, actor: Actor, *, entry_id: UUID | None = None) -> Receipt:
        ensure_permitted(actor, "register_judge")
        judge = Judge.register(name, court, actor, entry_id=entry_id)
        return self._saved(judge, id=str(judge.id))

    def certify_judge(self, judge_id: str, valid_from: date, valid_to: date | None, course: str, actor: Actor) -> Receipt:
        ensure_permitted(actor, "certify_judge")

        def attempt() -> Receipt:
            judge = self.judge(judge_id)
            judge.certify(valid_from, valid_to, course, actor)
            return self._saved(judge, id=str(judge.id))

        return self._retrying(attempt)

    def retire_judge(self, judge_id: str, retired_on: date, actor: Actor) -> Receipt:
        ensure_permitted(actor, "retire_judge")

        def attempt() -> Receipt:
            judge = self.judge(judge_id)
            judge.retire(retired_on, actor)
            return self._saved(judge, id=str(judge.id))

        return self._retrying(attempt)

    def register_expert(
        self, name: str, specialties: list[str], qualification: str, certificate_no: str | None, actor: Actor, *, entry_id: UUID | None = None
    ) -> Receipt:
        ensure_permitted(actor, "register_expert")
        expert = Expert.register(name, specialties, qualification, certificate_no, actor, entry_id=entry_id)
        return self._saved(expert, id=str(expert.id))

    def declare_affiliation(self, expert_id: str, bin_: str, organization: str, valid_from: date, valid_to: date | None, actor: Actor) -> Receipt:
        ensure_permitted(actor, "declare_affiliation")

        def attempt() -> Receipt:
            expert = self.expert(expert_id)
            expert.declare_affiliation(bin_, organization, valid_from, valid_to, actor)
            return self._saved(expert, id=str(expert.id))

        return self._retrying(attempt)

    def register_mediator(self, name: str, court: str, organization: str, actor: Actor, *, entry_id: UUID | None = None) -> Receipt:
        ensure_permitted(actor, "register_mediator")
        mediator = Mediator.register(name, court, organization, actor, entry_id=entry_id)
        return self._saved(mediator, id=str(mediator.id))

    # --- filing -------------------------------------------------------------------------------------------

    def file_case(
        self,
        *,
        track: str,
        court: str,
        received_on: date,
        specialty: str,
        alleged_harm: str,
        incident_date: date,
        claimant: dict[str, Any],
        respondents: list[dict[str, Any]],
        actor: Actor,
        authority: dict[str, Any] | None = None,
        representatives: list[dict[str, Any]] | None = None,
        claimed: dict[str, Any] | None = None,
        summary: str = "",
        transferred_from: str | None = None,
    ) -> Receipt:
        """Docket a new case under the next number of its court, year and track (R13)."""
        rules.ensure_actor_may_act(actor, "file_case", court, None, "")

        def attempt() -> Receipt:
            sequence = self._sequence(court, received_on.year, track, actor)
            case = Case.file(
                docket_number=sequence.issue_next(actor),
                track=track, court=court, received_on=received_on, specialty=specialty,
                alleged_harm=alleged_harm, incident_date=incident_date, claimant=claimant,
                respondents=respondents, authority=authority, representatives=representatives or [],
                claimed=claimed or {}, summary=summary, transferred_from=transferred_from, actor=actor,
            )
            return self._saved(case, sequence)

        return self._retrying(attempt)

    def _sequence(self, court: str, year: int, track: str, actor: Actor) -> DocketSequence:
        try:
            aggregate: Any = self._load(sequence_id(court, year, track))
        except AggregateNotFoundError:
            from domain.case import one_of
            from domain.vocabulary import COURTS

            one_of(track, TRACKS, field="track", what="track")
            one_of(court, COURTS, field="court", what="court")
            return DocketSequence(court=court, year=year, track=track, actor=actor)
        assert isinstance(aggregate, DocketSequence)
        return aggregate

    def file_document(self, docket_number: str, *, kind: str, title: str, filed_by: str, received_on: date, sha256: str, size: int, media_type: str, actor: Actor) -> Receipt:
        return self._case_command(
            "file_document", docket_number, actor,
            lambda case: case.file_document(kind=kind, title=title, filed_by=filed_by, received_on=received_on, sha256=sha256, size=size, media_type=media_type, actor=actor),
        )

    def correct_entry(self, docket_number: str, *, corrects_version: int, reason: str, corrections: dict[str, Any], actor: Actor) -> Receipt:
        def change(case: Case) -> None:
            entry_type = self.event_type_at(case.id, corrects_version)
            case.correct_entry(corrects_version=corrects_version, entry_type=entry_type, reason=reason, corrections=corrections, actor=actor)

        return self._case_command("correct_entry", docket_number, actor, change)

    def event_type_at(self, case_id: UUID, version: int) -> str:
        events = list(self.events.get(case_id, gt=version - 1, lte=version))
        if not events:
            raise NotFound(f"This case has no entry number {version}", field="corrects_version")
        return type(events[0]).__name__

    # --- judges ----------------------------------------------------------------------------------------------

    def assign_judge(self, docket_number: str, judge_id: str, actor: Actor) -> Receipt:
        return self._case_command("assign_judge", docket_number, actor, lambda case: case.assign_judge(self.judge(judge_id), actor))

    def recuse_judge(self, docket_number: str, reason: str, actor: Actor) -> Receipt:
        ensure_permitted(actor, "recuse_judge")

        def attempt() -> Receipt:
            # A recused judge keeps no hearings in the case: their bookings are cancelled.
            case = self.case(docket_number)
            self._acting_on(case, actor, "recuse_judge")
            calendar = self._calendar(case.court, actor)
            self._cancel_open_hearings(case, calendar, "the judge recused", actor)
            case.recuse_judge(reason, actor)
            return self._saved(case, calendar)

        return self._retrying(attempt)

    # --- expert examinations ------------------------------------------------------------------------------------

    def order_examination(self, docket_number: str, *, kind: str, questions: list[str], expert_ids: list[str], due_on: date, actor: Actor) -> Receipt:
        return self._case_command(
            "order_examination", docket_number, actor,
            lambda case: case.order_examination(
                kind=kind, questions=questions, experts=[self.expert(e) for e in expert_ids], due_on=due_on, actor=actor,
                non_working_days=self.rulebook_on(clock.today()).non_working_days,
            ),
        )

    def submit_expert_report(self, docket_number: str, *, examination_id: str, received_on: date, standard_of_care_met: str, causation: str, harm_found: str, summary: str = "", document_id: str | None = None, actor: Actor) -> Receipt:
        return self._case_command(
            "submit_expert_report", docket_number, actor,
            lambda case: case.submit_expert_report(examination_id=examination_id, received_on=received_on, standard_of_care_met=standard_of_care_met, causation=causation, harm_found=harm_found, summary=summary, document_id=document_id, actor=actor),
        )

    def withdraw_examination(self, docket_number: str, examination_id: str, reason: str, actor: Actor) -> Receipt:
        return self._case_command("withdraw_examination", docket_number, actor, lambda case: case.withdraw_examination(examination_id, reason, actor))

    # --- hearings -------------------------------------------------------------------------------------------------

    def schedule_hearing(self, docket_number: str, *, starts_at: datetime, courtroom: str, purpose: str, actor: Actor, duration_minutes: int = 60) -> Receipt:
        ensure_permitted(actor, "schedule_hearing")
        starts_at = _aware(starts_at, "starts_at")

        def attempt() -> Receipt:
            case = self.case(docket_number)
            self._acting_on(case, actor, "schedule_hearing")
            calendar = self._calendar(case.court, actor)
            hearing_id = case.schedule_hearing(starts_at=starts_at, duration_minutes=duration_minutes, courtroom=courtroom, purpose=purpose, actor=actor)
            assert case.judge_id is not None and case.judge_name is not None
            calendar.book(case.docket_number, hearing_id, case.judge_id, case.judge_name, courtroom.strip(), starts_at, duration_minutes, actor, self._may_name(actor))
            return self._saved(case, calendar, id=hearing_id)

        return self._retrying(attempt)

    def reschedule_hearing(self, docket_number: str, hearing_id: str, *, starts_at: datetime, reason: str, actor: Actor) -> Receipt:
        ensure_permitted(actor, "reschedule_hearing")
        starts_at = _aware(starts_at, "starts_at")

        def attempt() -> Receipt:
            case = self.case(docket_number)
            self._acting_on(case, actor, "reschedule_hearing")
            calendar = self._calendar(case.court, actor)
            case.reschedule_hearing(hearing_id, starts_at, reason, actor)
            hearing = case.hearings[hearing_id]
            assert case.judge_id is not None and case.judge_name is not None
            calendar.book(case.docket_number, hearing_id, case.judge_id, case.judge_name, hearing["courtroom"], starts_at, hearing["duration_minutes"], actor, self._may_name(actor))
            return self._saved(case, calendar, id=hearing_id)

        return self._retrying(attempt)

    def hold_hearing(self, docket_number: str, hearing_id: str, *, minutes_summary: str, actor: Actor) -> Receipt:
        return self._hearing_ends("hold_hearing", docket_number, hearing_id, actor, lambda case: case.hold_hearing(hearing_id, minutes_summary, actor))

    def cancel_hearing(self, docket_number: str, hearing_id: str, *, reason: str, actor: Actor) -> Receipt:
        return self._hearing_ends("cancel_hearing", docket_number, hearing_id, actor, lambda case: case.cancel_hearing(hearing_id, reason, actor))

    def _hearing_ends(self, action: str, docket_number: str, hearing_id: str, actor: Actor, change: Callable[[Case], None]) -> Receipt:
        ensure_permitted(actor, action)

        def attempt() -> Receipt:
            case = self.case(docket_number)
            self._acting_on(case, actor, action)
            calendar = self._calendar(case.court, actor)
            change(case)
            calendar.release(case.docket_number, hearing_id, actor)
            return self._saved(case, calendar, id=hearing_id)

        return self._retrying(attempt)

    def _may_name(self, actor: Actor) -> Callable[[str], bool]:
        """Whether a clash message may name the other case: never a sealed one the actor may not see (R11)."""

        def may_name(docket_number: str) -> bool:
            try:
                other = self.case(docket_number)
                rules.ensure_may_see_case(other.docket_number, other.court, other.judge_id, other.sealed, actor)
            except NotFound:
                return False
            return True

        return may_name

    def _cancel_open_hearings(self, case: Case, calendar: CourtCalendar, reason: str, actor: Actor) -> None:
        for hearing in list(case.hearings.values()):
            if hearing["status"] == "scheduled":
                case.cancel_hearing(hearing["id"], reason, actor)
                calendar.release(case.docket_number, hearing["id"], actor)

    # --- mediation ----------------------------------------------------------------------------------------------------

    def refer_to_mediation(self, docket_number: str, *, mediator_id: str, due_on: date, actor: Actor) -> Receipt:
        return self._case_command("refer_to_mediation", docket_number, actor, lambda case: case.refer_to_mediation(self.mediator(mediator_id), due_on, actor))

    def conclude_mediation(self, docket_number: str, *, outcome: str, concluded_on: date, actor: Actor) -> Receipt:
        return self._case_command("conclude_mediation", docket_number, actor, lambda case: case.conclude_mediation(outcome, concluded_on, actor))

    # --- rulings, appeals, legal force ------------------------------------------------------------------------------------

    def check_ruling(self, docket_number: str, draft: dict[str, Any], actor: Actor | None = None) -> list[DomainError]:
        """Every rule that would refuse this ruling now, without recording anything (for the ruling form)."""
        case = self.case(docket_number)
        try:
            if actor is not None:
                self._acting_on(case, actor, "issue_ruling")
            if case.status != "pending":
                rules.ensure_case_open(case, "issue a ruling")
            judge = self._ruling_judge(case, actor) if actor is not None else (self.judge(case.judge_id) if case.judge_id else None)
            ruling = case.normalize_ruling({**draft, "decided_on": draft.get("decided_on") or clock.today()})
        except DomainError as error:
            return [error]
        return rules.ruling_refusals(case, ruling, judge, self.rulebook_on(case.incident_date), clock.today())

    def _ruling_judge(self, case: Case, actor: Actor) -> Judge | None:
        """R5 is checked against the judge who rules: the acting judge's registry entry (R14 already
        refused a judge who is not the assigned one)."""
        judge_id = actor.get("judge_id") if actor["role"] == "judge" else case.judge_id
        return self.judge(judge_id) if judge_id else None

    def issue_ruling(self, docket_number: str, draft: dict[str, Any], actor: Actor) -> Receipt:
        """Record the final ruling. Open hearings are cancelled; pending examinations are withdrawn
        (a merits ruling is refused while any is pending); a transfer files the requalified case."""
        ensure_permitted(actor, "issue_ruling")

        def attempt() -> Receipt:
            case = self.case(docket_number)
            self._acting_on(case, actor, "issue_ruling")
            judge = self._ruling_judge(case, actor)
            rulebook = self.rulebook_on(case.incident_date)
            draft_now = dict(draft)
            changed: list[Aggregate] = [case]
            new_case: Case | None = None
            if draft.get("disposition") == "transferred" and draft.get("transferred_to_track") in TRACKS and draft.get("transferred_to_track") != case.track:
                year = case.normalize_ruling(draft)["decided_on"].year  # the draft's date, checked
                # The requalified case is received on the ruling's date, and numbered in that year.
                sequence = self._sequence(case.court, year, draft["transferred_to_track"], actor)
                draft_now["transferred_to"] = sequence.issue_next(actor)
                changed.append(sequence)
            ruling = case.normalize_ruling(draft_now)
            rules.check_ruling(case, ruling, judge, rulebook, clock.today())
            calendar = self._calendar(case.court, actor)
            self._cancel_open_hearings(case, calendar, "the case was decided", actor)
            if ruling["disposition"] not in MERITS_DISPOSITIONS:
                for examination in list(case.examinations.values()):
                    if examination["status"] == "ordered":
                        case.withdraw_examination(examination["id"], "the case was decided without a ruling on the merits", actor)
            case.issue_ruling(draft_now, judge, rulebook, actor)
            changed.append(calendar)
            if ruling["disposition"] == "transferred":
                new_case = Case.file(
                    docket_number=draft_now["transferred_to"], track=ruling["transferred_to_track"], court=case.court,
                    received_on=ruling["decided_on"], specialty=case.specialty,
                    alleged_harm=ruling["harm_found"] or case.alleged_harm, incident_date=case.incident_date,
                    claimant=case.claimant, respondents=case.respondents,
                    authority=transferred_authority(case, ruling["transferred_to_track"], draft),
                    representatives=case.representatives,
                    claimed=(draft.get("transferred_claimed") or case.claimed) if ruling["transferred_to_track"] == "civil" else {},
                    summary=case.summary, transferred_from=case.docket_number, actor=actor,
                )
                changed.append(new_case)
            receipt = self._saved(*changed)
            receipt.update(docket_number=case.docket_number, version=case.version)
            if new_case is not None:
                receipt["transferred_to"] = new_case.docket_number
            return receipt

        return self._retrying(attempt)

    def file_appeal(self, docket_number: str, *, filed_on: date, appellant: str, actor: Actor) -> Receipt:
        return self._case_command(
            "file_appeal", docket_number, actor,
            lambda case: case.file_appeal(filed_on, appellant, self.rulebook_on(case.ruling["decided_on"] if case.ruling else clock.today()), actor),
        )

    def decide_appeal(self, docket_number: str, *, outcome: str, decided_on: date, actor: Actor) -> Receipt:
        return self._case_command("decide_appeal", docket_number, actor, lambda case: case.decide_appeal(outcome, decided_on, actor))

    def enter_into_force(self, docket_number: str, actor: Actor = SYSTEM) -> Receipt:
        return self._case_command(
            "enter_into_force", docket_number, actor,
            lambda case: case.enter_into_force(self.rulebook_on(case.ruling["decided_on"] if case.ruling else clock.today()), actor).isoformat(),
        )

    def reopen_case(self, docket_number: str, *, reopened_on: date, reason: str, actor: Actor) -> Receipt:
        return self._case_command("reopen_case", docket_number, actor, lambda case: case.reopen(reopened_on, reason, actor))

    def seal_case(self, docket_number: str, *, reason: str, actor: Actor) -> Receipt:
        return self._case_command("seal_case", docket_number, actor, lambda case: case.seal(reason, actor))

    def unseal_case(self, docket_number: str, *, reason: str, actor: Actor) -> Receipt:
        return self._case_command("unseal_case", docket_number, actor, lambda case: case.unseal(reason, actor))

    # --- queries -------------------------------------------------------------------------------------------------------

    def case_at_version(self, docket_number: str, version: int) -> Case:
        """The case as it stood after its ``version``-th event."""
        current = self.case(docket_number)
        if not 1 <= version <= current.version:
            raise NotFound(f"Case {current.docket_number} has versions 1 to {current.version}; there is no version {version}", field="version")
        aggregate: Any = self._load(current.id, version=version)
        assert isinstance(aggregate, Case)
        return aggregate

    def case_as_of(self, docket_number: str, moment: date | datetime) -> Case:
        """The case as it stood at the end of court-local ``moment`` (a date) or at an instant."""
        current = self.case(docket_number)
        # The last day of the calendar has no day after it to end at; no event is recorded that late anyway.
        cutoff = clock.end_of_local_day(min(moment, LAST_DAY)) if not isinstance(moment, datetime) else _aware(moment, "as_of")
        version = 0
        for stored in cast(Iterable[Any], self.events.get(current.id)):
            if stored.timestamp >= cutoff if not isinstance(moment, datetime) else stored.timestamp > cutoff:
                break
            version = stored.originator_version
        if version == 0:
            shown = moment.isoformat()
            raise NotFound(f"Case {current.docket_number} was not yet on the docket on {shown}", field="as_of")
        return self.case_at_version(docket_number, version)

    def case_history(self, docket_number: str) -> list[dict[str, Any]]:
        """Every event of the case, oldest first, as plain records."""
        from domain.records import event_record

        current = self.case(docket_number)
        return [event_record(e) for e in self.events.get(current.id)]

    def log_head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def iter_log(self, after: int = 0, batch: int = 500, stop: int | None = None) -> Iterator[tuple[int, Any]]:
        """Stream (position, domain event) from the global log, after ``after``, in constant memory."""
        position = after
        while True:
            notifications = self.recorder.select_notifications(start=position, limit=batch, stop=stop, inclusive_of_start=False)
            if not notifications:
                return
            for notification in notifications:
                yield notification.id, self.mapper.to_domain_event(notification)
            position = notifications[-1].id


def transferred_authority(case: Case, track: str, draft: dict[str, Any]) -> dict[str, Any] | None:
    """Who prosecutes or inspects the requalified case: as given in the ruling, else carried over,
    else (for a criminal case) the prosecutor's office of the court's region."""
    from domain.vocabulary import COURTS

    if track == "civil":
        return None
    given = draft.get("transferred_authority")
    if given:
        return dict(given)
    if track == "criminal":
        if case.authority and case.authority.get("kind") == "prosecutor":
            return case.authority
        return {"kind": "prosecutor", "name": f"Prosecutor's office of {COURTS[case.court]}"}
    return case.authority


def _uuid(value: str | UUID, field: str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(f"'{value}' is not a registry id", field=field) from None


def _aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None:
        # A time typed at the court is court-local.
        moment = moment.replace(tzinfo=clock.COURT_TZ)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # the first hours of year 1, court-local: before any instant there is
        raise InvalidValue(f"{moment:%Y-%m-%d %H:%M} is not a time the court can record", field=field) from None


__all__ = ["Docket", "InvalidValue", "Receipt"]
