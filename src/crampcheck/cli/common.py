"""What every command module shares: JSON output, the one-line error, the journal options and an
open journal that turns bad input into ``error: …`` and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import CrampcheckError, InputError

DbOpt = Annotated[Path | None, typer.Option(
    "--db", envvar="CRAMPCHECK_DB", show_envvar=True,
    help="The journal file (default: crampcheck/journal.db in your data directory).")]
PersonOpt = Annotated[str, typer.Option("--person", help="Whose journal (several people can "
                                                          "share one file).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DaysOpt = Annotated[int, typer.Option("--days", min=1, help="How many days, ending --end.")]
EndOpt = Annotated[str | None, typer.Option("--end", help="Last day of the window "
                                                          "(YYYY-MM-DD, today, yesterday or "
                                                          "-N; default today).")]


def emit_json(obj: Any) -> None:
    """``obj`` as indented JSON on stdout (NaN and infinities as ``null``)."""
    from ..jsonsafe import dumps

    sys.stdout.write(dumps(obj, indent=2) + "\n")


def emit(obj: Any) -> None:
    """Like :func:`emit_json`, writing what JSON has no type for (a date) as its ``str``."""
    from ..jsonsafe import dumps

    sys.stdout.write(dumps(obj, indent=2, default=str) + "\n")


def fail(exc: CrampcheckError) -> None:
    """``error: …`` on stderr and exit code 2."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


def fmt(v: float | None, digits: int = 0) -> str:
    return "—" if v is None else f"{v:,.{digits}f}"


@contextmanager
def open_journal(db: Path | None, *, create: bool = True) -> Iterator[Any]:
    """An open journal; :class:`CrampcheckError` becomes a one-line error and exit code 2."""
    import sqlite3

    from ..boundary import describe_sqlite_error
    from ..journal.db import connect, default_db_path

    conn = None
    path = Path(db or default_db_path())
    new = create and not path.exists()
    try:
        conn = connect(path, create=create)
        if new:  # say once where a new journal went (stderr: --json output stays clean)
            typer.echo(f"created a new journal at {path.resolve()}", err=True)
        yield conn
    except CrampcheckError as exc:
        fail(exc)
    except sqlite3.Error as exc:  # read-only, locked, full disk: say which journal
        described = describe_sqlite_error(exc, str(path))
        if described is None:
            raise
        fail(InputError(described))
    finally:
        if conn is not None:
            conn.close()
