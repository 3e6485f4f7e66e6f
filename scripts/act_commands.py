"""judge certificate import; case sheet; the acts part of verify."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from scripts.cli import UsageError
from scripts.context import open_docket, settings

if TYPE_CHECKING:
    from domain.application import Docket
    from projections.acts import ActsReport
    from projections.settings import Settings
    from projections.signatures import CertificateStore
    from web.accounts import AccountStore

PASSPHRASE_ENV = "MEDCOURT_CERT_PASSPHRASE"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    judge = subparsers.add_parser("judge", help="judges' signing certificates")
    judge_sub = judge.add_subparsers(dest="judge_command", required=True, metavar="WHAT")
    certificate = judge_sub.add_parser("certificate", help="a judge's PKCS#12 signing certificate")
    certificate_sub = certificate.add_subparsers(dest="certificate_command", required=True, metavar="ACTION")
    imported = certificate_sub.add_parser(
        "import", help=f"keep a judge's PKCS#12 file for signing acts (passphrase from ${PASSPHRASE_ENV}, else asked)",
    )
    imported.add_argument("--judge", required=True, metavar="JUDGE_ID", help="the judge's id (medcourt's registry)")
    imported.add_argument("--file", required=True, type=Path, metavar="PATH", help="the .p12/.pfx file")
    imported.set_defaults(func=cmd_certificate_import)


def register_sheet(case_sub: argparse._SubParsersAction[argparse.ArgumentParser], date_type: object) -> None:
    sheet = case_sub.add_parser("sheet", help="the docket sheet: every entry numbered, dated, who recorded it, in plain words")
    sheet.add_argument("docket_number")
    sheet.add_argument("--as-of", type=date_type, metavar="YYYY-MM-DD", help="as it stood at the end of that day (Asia/Almaty)")  # type: ignore[arg-type]
    sheet.add_argument("--format", choices=("text", "json"), default="text")
    sheet.add_argument("--as", dest="as_user", metavar="USER", help="read as this web account (needed for a sealed case, R11; the view is recorded)")
    sheet.set_defaults(func=cmd_case_sheet)


def _passphrase() -> str:
    given = os.environ.get(PASSPHRASE_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UsageError(f"medcourt judge certificate import: set {PASSPHRASE_ENV} to the file's passphrase")
    return getpass.getpass("Passphrase of the PKCS#12 file: ")


def cmd_certificate_import(args: argparse.Namespace) -> int:
    from domain import clock

    current = settings()
    judge = open_docket(current).judge(args.judge)  # NotFound: exit 2 with the reason
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise UsageError(f"medcourt judge certificate import: cannot read {args.file}: {error.strerror}") from None
    certificate = certificates_of(current).import_pkcs12(str(judge.id), data, _passphrase(), clock.now())
    print(f"Signing certificate of judge {judge.name} imported: {certificate.subject}, valid to {certificate.not_after:%Y-%m-%d}, sha256 {certificate.fingerprint[:16]}...")
    return 0


def certificates_of(current: Settings) -> CertificateStore:
    from projections.signatures import CertificateStore

    return CertificateStore(current.var_dir / "certificates")


def cmd_case_sheet(args: argparse.Namespace) -> int:
    from projections.sheet import Names, docket_sheet

    current = settings()
    docket = open_docket(current)
    # R11: a sealed case only --as a user who may see it, and that view is recorded (as `case show` does).
    from scripts.docket_commands import reader

    reader(args, docket, "cli:case sheet")
    case = docket.case(args.docket_number)
    records = docket.case_history(case.docket_number)
    accounts = _accounts(current)

    def user_name(username: str) -> str | None:
        found = accounts.find(username) if accounts is not None else None
        return found.display_name if found else None

    sheet = docket_sheet(records, case.docket_number, as_of=args.as_of, names=Names(records, user_name))
    if not sheet.entries:
        raise UsageError(f"medcourt case sheet: case {case.docket_number} was not yet on the docket on {args.as_of}")
    if args.format == "json":
        json.dump({"docket_number": sheet.docket_number, "as_of": args.as_of and args.as_of.isoformat(), "entries": [asdict(e) for e in sheet.entries]},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    from projections.sheet import PlainFormats

    formats = PlainFormats()
    print(f"Docket sheet of case {sheet.docket_number}" + (f" as of the end of {args.as_of}" if args.as_of else "") + " (times Asia/Almaty)")
    for entry in sheet.entries:
        print(f"{entry.number:>4}  {formats.instant(entry.recorded_at)}  {entry.who} ({entry.role})")
        print(f"      {entry.text}")
        for number, text in zip(entry.corrected_by, entry.corrections, strict=True):
            print(f"      corrected by entry {number}: {text}")
    return 0


def _accounts(current: Settings) -> AccountStore | None:
    from argon2 import PasswordHasher

    from projections.db import views_engine
    from web.accounts import AccountStore

    store = AccountStore(views_engine(current), PasswordHasher(time_cost=1, memory_cost=1024))
    return store if store.has_schema() else None


def verify_acts(docket: Docket, current: Settings) -> ActsReport:
    """Every filed act re-checked: its file's hash, its re-rendering, its signature."""
    from projections.acts import verify_acts as check
    from scripts.context import document_store

    return check(docket, document_store(current), certificates_of(current))
