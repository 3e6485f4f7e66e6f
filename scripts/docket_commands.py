"""init, case show/history, export events, verify."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from domain.application import Docket
from domain.case import Case
from domain.records import event_record, plain
from domain.vocabulary import Actor, actor_for
from projections import schema
from scripts.cli import UsageError
from scripts.context import Progress, document_store, iso_date, open_docket, positive_int, settings
from scripts.rulebook_data import kz_non_working_days


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = subparsers.add_parser("init", help="create the event store and read models, adopt the default rulebook (idempotent)")
    init.set_defaults(func=cmd_init)

    case = subparsers.add_parser("case", help="look at one case")
    case_sub = case.add_subparsers(dest="case_command", required=True, metavar="SUBCOMMAND")
    show = case_sub.add_parser("show", help="the case now, at a version, or as it stood on a date")
    show.add_argument("docket_number")
    when = show.add_mutually_exclusive_group()
    when.add_argument("--version", type=int, help="as it stood after its N-th event")
    when.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="as it stood at the end of that day (Asia/Almaty)")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument("--as", dest="as_user", metavar="USER", help="read as this web account (needed for a sealed case, R11; the view is recorded)")
    show.set_defaults(func=cmd_case_show)
    history = case_sub.add_parser("history", help="every event of the case, oldest first")
    history.add_argument("docket_number")
    history.add_argument("--format", choices=("text", "json"), default="text")
    history.add_argument("--as", dest="as_user", metavar="USER", help="read as this web account (needed for a sealed case, R11; the view is recorded)")
    history.set_defaults(func=cmd_case_history)
    from scripts.act_commands import register_sheet

    register_sheet(case_sub, iso_date)

    export = subparsers.add_parser("export", help="export data")
    export_sub = export.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    events = export_sub.add_parser("events", help="every stored event as JSON Lines, in log order (DOMAIN.md section 5)")
    events.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    events.add_argument("--after", type=int, default=0, metavar="POSITION", help="only events after this log position")
    events.set_defaults(func=cmd_export_events)

    imports = subparsers.add_parser("import", help="load data")
    import_sub = imports.add_subparsers(dest="import_command", required=True, metavar="WHAT")
    load = import_sub.add_parser(
        "events",
        help="load an export (medcourt export events) into a new, empty store, re-checking every rule and re-sealing the hash chains",
    )
    load.add_argument("--input", "-i", metavar="FILE", help="read FILE instead of standard input")
    load.add_argument("--batch-size", type=positive_int, default=2000, metavar="N", help="events per transaction (default 2000)")
    load.add_argument("--resume", action="store_true", help="continue an import that stopped: the events already stored must be the export's first ones")
    load.set_defaults(func=cmd_import_events)

    key = subparsers.add_parser("key", help="the encryption key of the event store")
    key_sub = key.add_subparsers(dest="key_command", required=True, metavar="ACTION")
    key_sub.add_parser("generate", help="print a new random key (for MEDCOURT_CIPHER_KEY)").set_defaults(func=cmd_key_generate, own_key_handling=True)
    key_sub.add_parser("rotate", help="start writing with a new key; events written before stay readable").set_defaults(func=cmd_key_rotate)

    verify = subparsers.add_parser("verify", help="replay every aggregate and re-check every rule on the recorded history")
    verify.set_defaults(func=cmd_verify)


def cmd_init(args: argparse.Namespace) -> int:
    current = settings()
    docket = open_docket(current, create_tables=True)
    adopted = docket.install_default_rulebook(kz_non_working_days())
    schema.upgrade(current)  # the read models' tables (Alembic, idempotent)
    where = current.database_url and "PostgreSQL" or f"SQLite under {current.var_dir}"
    print(f"Event store ready ({where}); rulebook {'adopted (default version of 2015-01-01)' if adopted else 'already in place'}.")
    return 0


def case_summary(case: Case) -> dict[str, Any]:
    """The case as a plain record (what `case show --format json` prints)."""
    state = {k: v for k, v in vars(case).items() if not k.startswith("_")}
    return {"docket_number": case.docket_number, "version": case.version, "modified_at": plain(case.modified_on), **plain(state)}


OPERATOR = Actor(user="medcourt-cli", role="operator")
"""Who reads on the command line without ``--as``: the unsealed docket only (R11)."""


def reader(args: argparse.Namespace, docket: Docket, what: str) -> Actor:
    """The actor a CLI read is made as, after checking R11 for the case: the account named by
    ``--as`` (its role, court and judge), whose reads of a sealed case are recorded like a page view."""
    if not getattr(args, "as_user", None):
        docket.read_case(args.docket_number, OPERATOR, what)
        return OPERATOR
    from projections.db import views_engine
    from web.accounts import AccountStore

    current = settings()
    store = AccountStore(views_engine(current))
    account = store.find(args.as_user)
    if account is None or not account.active:
        raise UsageError(f"medcourt: --as {args.as_user}: no active account of that name")
    actor = actor_for(account.username, account.role, account.court, account.judge_id)

    def record(docket_number: str, who: Actor, page: str) -> None:
        store.record_sealed_view(docket_number, username=who["user"], role=who["role"], court=who.get("court"), page=page, remote_addr=None)

    docket.on_sealed_view = record
    docket.read_case(args.docket_number, actor, what)
    return actor


def cmd_case_show(args: argparse.Namespace) -> int:
    docket = open_docket()
    reader(args, docket, "cli:case show")
    if args.version is not None:
        case = docket.case_at_version(args.docket_number, args.version)
    elif args.as_of is not None:
        case = docket.case_as_of(args.docket_number, args.as_of)
    else:
        case = docket.case(args.docket_number)
    if args.format == "json":
        json.dump(case_summary(case), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(render_case(case))
    return 0


def render_case(case: Case) -> str:
    lines = [
        f"{case.docket_number}  ({case.track}, {case.court}, {case.specialty.replace('_', ' ')})  version {case.version}",
        f"  status:    {case.status.replace('_', ' ')}{'  [SEALED: ' + (case.seal_reason or '') + ']' if case.sealed else ''}",
        f"  received:  {case.received_on}   incident: {case.incident_date}   alleged harm: {case.alleged_harm}",
        f"  claimant:  {case.claimant['name']} ({case.claimant['relation']})",
    ]
    for r in case.respondents:
        ident = f"certificate {r['certificate_no']}" if r["kind"] == "specialist" else f"BIN {r['bin']}"
        lines.append(f"  respondent {r['id']}: {r['name']} ({r['kind']}, {ident})")
    if case.claimed:
        lines.append("  claimed:   " + ", ".join(f"{h.replace('_', ' ')} {v:,.2f} KZT" for h, v in case.claimed.items()))
    lines.append(f"  judge:     {case.judge_name or '-'}")
    for e in case.examinations.values():
        report = e["report"]
        extra = f", report {report['received_on']}: care met {report['standard_of_care_met']}, causation {report['causation']}" if report else ""
        lines.append(f"  examination {e['id']}: {e['kind']} due {e['due_on']} [{e['status']}]{extra}")
    for h in case.hearings.values():
        lines.append(f"  hearing {h['id']}: {h['starts_at'].astimezone(__import__('domain.clock', fromlist=['COURT_TZ']).COURT_TZ):%Y-%m-%d %H:%M} room {h['courtroom']} [{h['status']}] {h['purpose']}")
    for m in case.mediations:
        lines.append(f"  mediation {m['id']}: {m['mediator_name']} due {m['due_on']} -> {m['outcome'] or 'open'}")
    for d in case.documents.values():
        lines.append(f"  document {d['id']}: {d['kind']} '{d['title']}' received {d['received_on']} ({d['size']} bytes)")
    if case.ruling:
        r = case.ruling
        lines.append(f"  ruling {r['ruling_id']}: {r['disposition'].replace('_', ' ')} on {r['decided_on']}" + (f", finding {r['finding']}, harm found {r['harm_found']}" if r["finding"] else ""))
        if r["compensation"]:
            lines.append("    payable: " + ", ".join(f"{h.replace('_', ' ')} {v:,.2f} KZT" for h, v in r["payable"].items()))
    for a in case.appeals.values():
        lines.append(f"  appeal {a['id']}: filed {a['filed_on']} by {a['appellant']} -> {a['outcome'] or 'pending'}")
    if case.in_force_on:
        lines.append(f"  in legal force since {case.in_force_on}")
    if case.transferred_from or case.transferred_to:
        lines.append(f"  transferred from {case.transferred_from or '-'} to {case.transferred_to or '-'}")
    return "\n".join(lines)


def cmd_case_history(args: argparse.Namespace) -> int:
    docket = open_docket()
    reader(args, docket, "cli:case history")
    records = docket.case_history(args.docket_number)
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for record in records:
        data = dict(record["data"])
        actor = data.pop("actor", None) or {}
        who = f"{actor.get('user', '?')} ({actor.get('role', '?')})"
        details = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in data.items() if v not in (None, [], {}, ""))
        print(f"{record['version']:>4}  {record['recorded_at']}  {record['type']:<28} {who:<24} {details[:160]}")
    return 0


def cmd_export_events(args: argparse.Namespace) -> int:
    docket = open_docket()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    progress = Progress("exported events", total=docket.log_head() - args.after, stream=sys.stderr) if args.output else None
    sealed: set[str] = set()  # ids of the cases sealed as far as the export has gone: few, so memory stays flat
    try:
        for position, domain_event in docket.iter_log(after=args.after, batch=1000):
            record = event_record(domain_event, position)
            if record["type"] == "CaseSealed":
                sealed.add(record["aggregate_id"])
            elif record["type"] == "CaseUnsealed":
                sealed.discard(record["aggregate_id"])
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            if progress:
                progress.advance()
    finally:
        if args.output:
            out.close()
        record_exported_sealed_cases(docket, sealed)
    if progress:
        progress.done()
    return 0


def record_exported_sealed_cases(docket: Docket, case_ids: set[str]) -> None:
    """R11: an export shows sealed cases whole, so it is recorded as a view of each one it wrote while sealed,
    like a page view, by the command line's operator."""
    if not case_ids:
        return
    from projections.db import views_engine
    from web.accounts import AccountStore

    current = settings()
    schema.upgrade(current)  # the audit table, also where the read models were never built (as `import events` does)
    store = AccountStore(views_engine(current))
    for case_id in sorted(case_ids):
        number = docket.repository.get(UUID(case_id)).docket_number
        store.record_sealed_view(number, username=OPERATOR["user"], role=OPERATOR["role"], court=None, page="cli:export events", remote_addr=None)


def read_records(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each non-blank line of an export; a line that is not a record is refused."""
    from domain.replay import ImportRefused

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise ImportRefused(f"line {number}: not a JSON record ({error})") from None
        if not isinstance(record, dict) or not {"aggregate", "aggregate_id", "version", "type", "recorded_at", "data"} <= record.keys():
            raise ImportRefused(f"line {number}: not an exported event (aggregate, aggregate_id, version, type, recorded_at, data)")
        yield number, record


def cmd_import_events(args: argparse.Namespace) -> int:
    from domain.replay import import_log

    current = settings()
    docket = open_docket(current, create_tables=True)
    schema.upgrade(current)  # the read models' tables, so that 'projections run' can follow
    source = open(args.input, encoding="utf-8") if args.input else sys.stdin  # noqa: SIM115
    progress = Progress("imported events")
    try:
        report = import_log(docket, read_records(source), batch_size=args.batch_size, on_batch=progress.advance, resume=args.resume)
    finally:
        if args.input:
            source.close()
    elapsed = progress.done()
    rate = report.events / elapsed if elapsed else 0.0
    kept = "every event at its exported position" if not report.renumbered else f"{report.renumbered} events at a new position (the source's log had gaps)"
    print(f"Imported {report.events} events in {report.transactions} transactions ({rate:,.0f} events/s), {report.snapshots} snapshots; {kept}.")
    print("Fill the read models with: medcourt projections run --until-caught-up")
    return 0


def cmd_key_generate(args: argparse.Namespace) -> int:
    from projections.keys import new_key

    print(new_key())
    return 0


def cmd_key_rotate(args: argparse.Namespace) -> int:
    from projections.keys import rotate

    try:
        path, retired = rotate(settings().var_dir)
    except ValueError as error:
        raise UsageError(f"medcourt key rotate: {error}") from None
    # The documents follow the event store's key: each file is re-encrypted under the new one.
    documents = document_store(settings()).rotate_keys()
    print(f"New key in use ({path}); {retired} older key(s) kept there for reading; {documents} document(s) re-encrypted. Back the file up.")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from domain.verification import verify_docket
    from projections.documents import verify_documents
    from scripts.act_commands import verify_acts

    current = settings()
    docket = open_docket(current)
    progress = Progress("verified aggregates")
    report = verify_docket(docket, on_aggregate=lambda: progress.advance())
    progress.done()
    for violation in report.violations:
        print(f"VIOLATION {violation}", file=sys.stderr)
    acts = verify_acts(docket, current)
    for problem in acts.problems:
        print(f"VIOLATION act {problem}", file=sys.stderr)
    print(report.summary())
    checked, damaged = verify_documents(docket, document_store(current))
    for problem in damaged:
        print(f"VIOLATION {problem}", file=sys.stderr)
    print(f"Verified {checked} documents against their sha256 on the docket: {'clean' if not damaged else f'{len(damaged)} violation(s)'}.")
    print(f"Checked {acts.acts} judicial act(s), {acts.signed} signed: {'clean' if not acts.problems else f'{len(acts.problems)} violation(s)'}.")
    return 1 if report.violations or damaged or acts.problems else 0
