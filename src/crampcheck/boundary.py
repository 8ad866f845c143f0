"""The one error boundary of the command line: no Python traceback reaches a person.

Every command of the ``crampcheck`` app (the main commands, the journal's and ``foods``) runs
inside :meth:`SafeGroup.invoke`:

- a :class:`~crampcheck.errors.CrampcheckError` (bad input) prints ``error: …`` on one line and
  exits 2;
- an error of the machine rather than of crampcheck (a file that cannot be written, a full
  disk, a read-only or locked journal) prints what is wrong with which file, exit 2;
- anything else is a bug: one line, ``crampcheck hit an unexpected error: …; please report it
  with the command``, exit 1. ``CRAMPCHECK_DEBUG=1`` shows the traceback instead.

The web app has the same boundary in :mod:`crampcheck.web.app` (a 500 page or JSON without a
traceback).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from .errors import CrampcheckError

DEBUG_ENV = "CRAMPCHECK_DEBUG"
REPORT = "please report it with the command"


def _passthrough() -> tuple[type[BaseException], ...]:
    """Exceptions the command-line framework handles itself (usage errors, exits, Ctrl+C).

    Typer 0.28 carries its own copy of click (``typer._click``); earlier versions use click.
    Click itself is looked at only when something has imported it (importing it for nothing
    costs 20 ms a command)."""
    classes: list[type[BaseException]] = [typer.Exit, typer.Abort, SystemExit,
                                          KeyboardInterrupt, GeneratorExit]
    for name in ("typer._click.exceptions", "click.exceptions"):
        if name.startswith("click.") and "click" not in sys.modules:
            continue
        try:
            module = __import__(name, fromlist=["ClickException"])
        except ImportError:
            continue
        classes += [getattr(module, n) for n in ("ClickException", "Exit", "Abort")
                    if hasattr(module, n)]
    return tuple(classes)


PASSTHROUGH = _passthrough()


def debug() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_os_error(exc: OSError) -> str:
    """What an operating-system error means for the file it names, on one line."""
    name = exc.filename if exc.filename is not None else ""
    if exc.errno == errno.EEXIST and name and os.path.isfile(name):
        return f"{name}: is a file, not a folder"
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "not permitted",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EEXIST: "it already exists (or a part of the path is a file, not a folder)",
        errno.EISDIR: "it is a folder, not a file",
        errno.ENOENT: "no such file or folder",
        errno.ENAMETOOLONG: "the name is too long",
    }.get(exc.errno or -1, exc.strerror or type(exc).__name__)
    return f"{name}: {reason}" if name else reason


def describe_sqlite_error(exc: sqlite3.Error, path: str | None = None) -> str | None:
    """A message for SQLite errors that come from the file or the machine, else ``None``."""
    msg = str(exc).lower()
    where = f"the journal {path}" if path else "the journal"
    if "readonly" in msg or "read-only" in msg:
        return (f"{where} is read-only: crampcheck can read it but not change it (check the "
                "file's permissions, or copy it with 'crampcheck backup')")
    if "locked" in msg or "busy" in msg:
        return f"{where} is busy (another crampcheck is writing to it); try again"
    if "disk is full" in msg or "database or disk is full" in msg:
        return f"{where} cannot grow: the disk is full"
    if "unable to open" in msg:
        return f"cannot open {where} (its folder may not exist or may not be writable)"
    if "disk i/o" in msg:
        return f"{where} could not be read or written (a disk or file-system error)"
    if "not a database" in msg or "malformed" in msg or "no such table" in msg:
        return f"{where} is not a crampcheck journal, or it is damaged ({exc})"
    return None


def unexpected(exc: BaseException) -> str:
    return (f"crampcheck hit an unexpected error: {type(exc).__name__}: "
            f"{_short(str(exc)) or 'no details'}; {REPORT}")


def handle(exc: Exception) -> int:
    """Print the one line for ``exc`` on stderr; return the exit code."""
    if isinstance(exc, CrampcheckError):
        typer.echo(f"error: {_short(str(exc), 2000)}", err=True)
        return 2
    if isinstance(exc, OSError):
        typer.echo(f"error: {describe_os_error(exc)}", err=True)
        return 2
    if isinstance(exc, sqlite3.Error):
        described = describe_sqlite_error(exc)
        if described is not None:
            typer.echo(f"error: {described}", err=True)
            return 2
    if isinstance(exc, MemoryError):
        typer.echo("error: the input is too large for the memory of this machine", err=True)
        return 2
    typer.echo(unexpected(exc), err=True)
    return 1


class SafeGroup(TyperGroup):
    """The Typer group of the ``crampcheck`` app, with the boundary around every command."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PASSTHROUGH:
            raise
        except Exception as exc:  # the boundary: one line, never a traceback
            if debug() or (isinstance(exc, OSError) and exc.errno == errno.EPIPE):
                raise
            code = handle(exc)
            sys.stderr.flush()
            raise typer.Exit(code) from None
