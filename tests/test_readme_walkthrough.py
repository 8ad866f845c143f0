"""The README's journal walkthrough, run as written on a fresh journal: every command is read
from the README's code blocks (nothing here repeats them), so the README cannot drift from
what works. Relative days make it work on any date."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def section(title: str, until: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(title)
    return text[start:text.index(until, start + len(title))]


def commands(text: str) -> list[list[str]]:
    """The ``crampcheck …`` lines of the code blocks in ``text`` (comments dropped)."""
    out = []
    for block in re.findall(r"```\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if not line or line.startswith("#") or line.startswith("export "):
                continue
            args = shlex.split(line)
            assert args[0] == "crampcheck", line
            out.append(args[1:])
    return out


def test_the_journal_walkthrough_works_on_a_fresh_journal(cli, tmp_path: Path) -> None:
    text = section("## Keeping a journal", "### Imports from trackers")
    export = re.search(r"export CRAMPCHECK_DB=(\S+)", text)
    assert export, "the walkthrough sets CRAMPCHECK_DB"
    db = tmp_path / Path(os.path.expanduser(export[1])).name
    outputs: dict[str, str] = {}
    cmds = commands(text)
    assert len(cmds) >= 20
    for args in cmds:
        result = cli.invoke(*args, env={"CRAMPCHECK_DB": str(db), "COLUMNS": "120"})
        assert result.exit_code == 0, (args, result.output)
        outputs.setdefault(" ".join(args[:1]), "")
        outputs[" ".join(args[:1])] += result.output
    # a non-empty history, assessment and plan
    history = outputs["history"]
    assert len(re.findall(r"│ \d{4}-\d\d-\d\d │", history)) == 3, history
    assert "nothing recorded" not in history
    assess = outputs["assess"]
    assert "Daily intake (mean of 3 diary day(s)" in assess, assess
    assert "No food diary was given" not in assess
    plan = outputs["plan"]
    additions = re.findall(r"^- .+→", plan, flags=re.M)
    assert additions, plan
    assert "none needed or none possible" not in plan
    # the correction commands did what the README says
    assert "changed f6" in outputs["edit"] and "3 large eggs" in outputs["edit"]
    assert "moved f7 to the trash" in outputs["delete"] and "restored f7" in outputs["restore"]


@pytest.mark.parametrize("title, until", [("### Imports from trackers", "### Where is my data")])
def test_the_import_examples_run(cli, tmp_path: Path, title: str, until: str) -> None:
    root = README.parent
    db = tmp_path / "j.db"
    cwd = os.getcwd()
    os.chdir(root)  # the examples use paths relative to the repository
    try:
        for args in commands(section(title, until)):
            if args[0] in ("export", "backup"):
                args = [args[0], str(tmp_path / Path(args[1]).name)]
            if args[:2] == ["import", "undo"]:
                args = [*args, "--yes"]
            result = cli.invoke(*args, "--db", str(db))
            assert result.exit_code == 0, (args, result.output)
    finally:
        os.chdir(cwd)
