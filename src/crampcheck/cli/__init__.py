"""The ``crampcheck`` command line (Typer + Rich).

The commands are plain functions in this package's modules; this module puts them on one app,
in the order ``crampcheck --help`` lists them:

- :mod:`.core` — ``nutrients``, ``assess``, ``plan``, ``serve``, ``report``;
- :mod:`.journal` — ``log``, ``cramp``, ``history``, ``import``, ``export``, ``backup``,
  ``trends`` and the groups ``profile``, ``meds``, ``conditions``, ``supplements``,
  ``symptoms``, ``labs``;
- :mod:`.entries` — ``entries``, ``edit``, ``delete``, ``trash``, ``restore``, ``imports``,
  ``info`` and the group ``cramps``;
- :mod:`.foods` — the group ``foods`` (``search``, ``show``, ``pin``, ``pins``, ``unpin``);
- :mod:`.common` — JSON output, the one-line error, the journal options.

Every command runs inside :class:`crampcheck.boundary.SafeGroup`: bad input prints
``error: …`` and exits 2. The heavy modules (food matcher, numpy, FastAPI) are imported inside
the commands that use them.
"""

from __future__ import annotations

import copy
import os
import sys
from typing import Annotated

import typer

from ..boundary import SafeGroup
from . import core, entries, foods, journal
from .common import emit_json

__all__ = ["app", "emit_json", "main"]

app = typer.Typer(no_args_is_help=True, cls=SafeGroup,
                  help="Link leg cramps to calcium, magnesium and other intake, medicines and "
                       "exercise, with every statement sourced and graded.")


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"crampcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """Link leg cramps to calcium, magnesium and other intake, medicines and exercise, with
    every statement sourced and graded."""


COMMANDS = (
    ("nutrients", core.nutrients_cmd), ("assess", core.assess_cmd), ("plan", core.plan_cmd),
    ("serve", core.serve_cmd), ("report", core.report_cmd),
    ("log", journal.log), ("cramp", journal.cramp), ("history", journal.history),
    ("import", journal.import_), ("export", journal.export_), ("backup", journal.backup_),
    ("trends", journal.trends_),
    ("entries", entries.entries_), ("edit", entries.edit_), ("delete", entries.delete_),
    ("trash", entries.trash_), ("restore", entries.restore_), ("imports", entries.imports_),
    ("info", entries.info_),
)
GROUPS = (
    ("foods", foods.foods_app), ("profile", journal.profile_app), ("meds", journal.meds_app),
    ("conditions", journal.conditions_app), ("supplements", journal.supplements_app),
    ("symptoms", journal.symptoms_app), ("labs", journal.labs_app),
    ("cramps", entries.cramps_app),
)

for _name, _callback in COMMANDS:
    app.command(_name)(_callback)
for _name, _group in GROUPS:
    app.add_typer(_group, name=_name)


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run for ``args``: when they start with a top-level command, a copy of the
    app that holds that command only, so Typer builds one command rather than all forty
    (30–90 ms a run); otherwise (no command, an option, a group such as ``foods``, shell
    completion) the whole app. The command, its options and its messages are the same."""
    if not args or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return app
    from typer.main import get_command_name

    for info in app.registered_commands:
        name = info.name or get_command_name(info.callback.__name__)
        if name == args[0]:
            single = copy.copy(app)
            single.registered_commands = [info]
            single.registered_groups = []
            return single
    return app


def main() -> None:
    _app_for(sys.argv[1:])()
