"""``medcourt``: the command line of the docket.

Each command module registers its sub-commands; errors a user can fix end with
exit code 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from domain.errors import DomainError
from domain.messages import language_of
from projections.keys import KeyProblem

# Each module has ``register(subparsers)``; its commands set ``func(args) -> int``.
COMMAND_MODULES = (
    "scripts.docket_commands",
    "scripts.demo",
    "scripts.backup",
    "scripts.bench",
    "scripts.projection_commands",
    "scripts.worker",
    "scripts.token_commands",
    "scripts.web_commands",
    "scripts.act_commands",
)


class UsageError(Exception):
    """Bad input on the command line: exit 2, one line on stderr."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="medcourt", description="Docket of Kazakhstan's specialized medical courts.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def cli_language() -> str:
    """The language of refusals on the command line: ``MEDCOURT_LANG``, else the locale's ``LANG``
    (kk, ru or en); English when neither names one of the court's languages."""
    return language_of(os.environ.get("MEDCOURT_LANG") or os.environ.get("LANG"))


def _is_storage_error(error: Exception) -> bool:
    import psycopg
    from eventsourcing.persistence import PersistenceError
    from sqlalchemy.exc import OperationalError, ProgrammingError

    return isinstance(error, PersistenceError | OperationalError | ProgrammingError | psycopg.Error)


def _key_reads_the_store() -> None:
    """Every command but ``init``, ``key generate`` and ``restore`` (which check keys their own way)
    runs only with a key that decrypts the store: never a new key beside data it cannot read."""
    from domain.application import Docket
    from projections.keys import check_key_reads_store
    from projections.settings import load_settings

    current = load_settings()
    if not current.store_holds_events():
        return
    probe = Docket(env=current.event_store_env(create_tables=False))
    try:
        check_key_reads_store(probe)
    finally:
        probe.close()  # its connections are not the command's to keep


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not getattr(args, "own_key_handling", False):
            _key_reads_the_store()
        return int(args.func(args) or 0)
    except KeyProblem as error:
        print(f"medcourt: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    except UsageError as error:
        print(str(error).splitlines()[0], file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"medcourt: {error.message_in(cli_language())}".splitlines()[0], file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `medcourt export events | head`: the reader has all it wanted.
        sys.stderr.close()
        return 0
    except Exception as error:
        # The store unreachable or not set up: say so in one line rather than a traceback.
        if not _is_storage_error(error):
            raise
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(f"medcourt: the database cannot be used ({first}); is it running, and has 'medcourt init' been run?", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
