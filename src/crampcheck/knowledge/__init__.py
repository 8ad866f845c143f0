"""The knowledge base: domain facts kept as data files, loaded and validated on first use.

Every file in ``knowledge/data/`` is TOML. Each file holds arrays of tables ("entries"); every
entry carries ``source`` (one id, or a list of ids, from ``sources.toml``) and ``grade`` (``A``,
``B`` or ``C``; what each means: docs/ARCHITECTURE.md, section 5). ``sources.toml`` and
``sources_*.toml`` are the registry: ``[sources.<id>]`` tables with ``title``, ``publisher``,
``year`` and ``url``.

Adding a drug, a condition or a synonym is a data edit, not a code change.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from ..errors import KnowledgeError
from ..models import GRADES, Citation

DATA_PACKAGE = "crampcheck.knowledge"
T = TypeVar("T")


def _data_dir():
    return resources.files(DATA_PACKAGE).joinpath("data")


def data_files() -> list[str]:
    """Names (without ``.toml``) of every knowledge file shipped."""
    return sorted(
        p.name[: -len(".toml")] for p in _data_dir().iterdir() if p.name.endswith(".toml")
    )


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``data/<name>.toml``; raises KnowledgeError naming the file on bad TOML."""
    path = _data_dir().joinpath(f"{name}.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KnowledgeError(f"no knowledge file {name}.toml") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{name}.toml: {exc}") from exc


@cache
def ratio_band() -> tuple[float, float]:
    """The calcium:magnesium intake band crampcheck reports against (``plan_foods.toml``):
    a range around the article's 2:1, which is widely quoted but not a DRI."""
    entry = load("plan_foods")["ratio_band"][0]
    return float(entry["low"]), float(entry["high"])


def is_registry(name: str) -> bool:
    return name == "sources" or name.startswith("sources_")


@cache
def sources() -> dict[str, dict[str, Any]]:
    """The source registry: id -> {title, publisher, year, url}.

    It is the union of ``sources.toml`` and every ``sources_*.toml``; an id defined twice
    is an error.
    """
    merged: dict[str, dict[str, Any]] = {}
    for name in data_files():
        if not is_registry(name):
            continue
        for sid, src in load(name).get("sources", {}).items():
            if sid in merged:
                raise KnowledgeError(f"{name}.toml: source id {sid!r} is defined twice")
            merged[sid] = dict(src)
    return merged


def source_ids(entry: dict[str, Any]) -> list[str]:
    raw = entry.get("source")
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list):
        return list(dict.fromkeys(str(s) for s in raw))
    return []


def citations(entry: dict[str, Any]) -> list[Citation]:
    """The citations of one knowledge entry (one per source id, all at the entry's grade)."""
    grade = str(entry.get("grade", ""))
    return [Citation(source_id=s, grade=grade) for s in source_ids(entry)]


def parse_entries(name: str, key: str, parse: Callable[[dict[str, Any]], T], what: str
                  ) -> tuple[T, ...]:
    """Every ``[[key]]`` entry of ``name.toml`` through ``parse``; ids must be unique."""
    items = tuple(parse(raw) for raw in load(name).get(key, []))
    ids = [getattr(item, "id", None) for item in items]
    if len(set(ids)) != len(ids):
        raise KnowledgeError(f"{name}.toml: duplicate {what} id")
    return items


def by_id(items: tuple[T, ...], item_id: str) -> T:
    """The item whose ``id`` is ``item_id``; KeyError for an unknown id."""
    for item in items:
        if getattr(item, "id", None) == item_id:
            return item
    raise KeyError(item_id)


def iter_entries(doc: Any, path: str = ""):
    """Yield ``(path, entry)`` for every table in an array of tables in ``doc``.

    Plain tables are searched at any depth; tables nested inside an entry belong to that
    entry and share its source and grade.
    """
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from iter_entries(value, f"{path}.{key}" if path else key)
    elif isinstance(doc, list):
        for i, item in enumerate(doc):
            if isinstance(item, dict):
                yield f"{path}[{i}]", item


def validate(name: str) -> list[str]:
    """Problems in one file: entries without a source or grade, or citing unknown sources.

    A table marked ``entry = false`` is plain data (a unit list, say) and is skipped.
    """
    problems: list[str] = []
    known = sources()
    doc = load(name)
    for path, entry in iter_entries(doc):
        if entry.get("entry") is False:
            continue
        ids = source_ids(entry)
        if not ids:
            problems.append(f"{name}.toml {path}: no source")
        for key, value in entry.items():  # sources_low, sources_high: cited for one state
            if key.startswith("sources_") and isinstance(value, list):
                ids = ids + [str(v) for v in value]
        for sid in ids:
            if sid not in known:
                problems.append(f"{name}.toml {path}: source {sid!r} is not in sources.toml")
        if entry.get("grade") not in GRADES:
            problems.append(f"{name}.toml {path}: grade must be one of A, B, C")
    return problems


def validate_all() -> list[str]:
    problems: list[str] = []
    urls: dict[str, str] = {}
    for sid, src in sources().items():
        for key in ("title", "publisher", "year", "url"):
            if key not in src:
                problems.append(f"sources.toml {sid}: missing {key}")
        url = str(src.get("url", "")).rstrip("/").split("#")[0]
        if url in urls:
            problems.append(f"sources {urls[url]} and {sid} are the same document ({url})")
        urls.setdefault(url, sid)
    for name in data_files():
        if not is_registry(name):
            problems.extend(validate(name))
    return problems
