"""The repository documents itself: docs/ARCHITECTURE.md names only files that exist, and no
file points to a document outside the repository."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "crampcheck"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"

# Written in pieces so that this file does not match itself.
OUTSIDE = [re.compile(p, re.IGNORECASE) for p in (
    r"DESIGN" r"\.md",
    r"\.\./" r"shared",
    r"\bshared/" r"seed",
    r"/work/" r"(shared|main|notes|briefing)",
    r"the design " r"document",
)]
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".html", ".css", ".js", ".json", ".csv", ".cfg",
                 ".ini", ".yml", ".yaml", ".tsv", ".sh", ""}
SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".cache", ".tox",
             ".venv", "venv", "node_modules", "build", "dist"}
# A path written in backticks: words, dots, dashes, slashes and `*`, with a file suffix or a
# trailing slash (`knowledge/data/labs.toml`, `journal/formats/`, `sources_*.toml`).
PATH = re.compile(r"`([\w*-]+(?:/[\w.*-]+)*(?:\.(?:py|toml|md|html|css|js|json|txt|csv|db|npz|npy"
                  r"|tsv\.gz|txt\.gz)|/))`")


def _repository_text_files() -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(ROOT):
        # caches and tools' folders (".hypothesis", ".pytest_cache", …) are not the project's
        # files: only ".ci" of the dot-folders is
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")
                   and (d == ".ci" or not d.startswith("."))
                   and Path(folder, d) != ROOT / "tests" / "output"]
        for name in names:
            if name in SKIP_DIRS:  # a worktree's `.git` is a file
                continue
            path = Path(folder) / name
            if path.suffix in TEXT_SUFFIXES and path.stat().st_size < 2_000_000:
                files.append(path)
    return files


def test_the_file_walk_sees_the_sources_and_the_docs() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _repository_text_files()}
    assert {"README.md", "docs/ARCHITECTURE.md", "src/crampcheck/knowledge/data/sources.toml",
            "tests/test_docs.py"} <= names


def test_the_outside_patterns_match_what_they_should() -> None:
    planted = ["see DESIGN" ".md", "in ../" "shared/x", "(shared/" "seed/)",
               "the design " "document says"]
    assert all(any(p.search(t) for p in OUTSIDE) for t in planted)
    assert not any(p.search("docs/ARCHITECTURE.md, section 5") for p in OUTSIDE)


def test_no_file_refers_to_a_document_outside_the_repository() -> None:
    found = []
    for path in _repository_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for n, line in enumerate(text.splitlines(), 1):
            if any(p.search(line) for p in OUTSIDE):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not found, "references to files outside the repository:\n" + "\n".join(found)


def _written_paths() -> list[str]:
    return sorted(set(PATH.findall(ARCHITECTURE.read_text(encoding="utf-8"))))


def test_the_path_reader_finds_paths_and_only_paths() -> None:
    sample = ("`knowledge/data/labs.toml` `journal/formats/` `sources_*.toml` `tests/test_x.py` "
              "`import crampcheck.knowledge` `crampcheck.nutrients` `--json` `[[tests]]`")
    assert PATH.findall(sample) == ["knowledge/data/labs.toml", "journal/formats/",
                                    "sources_*.toml", "tests/test_x.py"]
    assert len(_written_paths()) > 80


def _exists(written: str) -> bool:
    for base in (ROOT, PACKAGE):
        if "*" in written:
            if any(base.glob(written)):
                return True
        elif (base / written).exists():
            return True
    return False


@pytest.mark.parametrize("written", _written_paths())
def test_every_path_in_the_architecture_document_exists(written: str) -> None:
    assert _exists(written), (f"docs/ARCHITECTURE.md names {written!r}, which is neither in the "
                              "repository root nor in src/crampcheck/")
