"""JSON in and out without surprises.

Out: :func:`dumps` never writes the non-JSON literals ``NaN``, ``Infinity`` or ``-Infinity``;
a value that is not a finite number is written as ``null`` (unknown), which is what every
crampcheck contract already means by ``null``.

In: :func:`loads` checks the size and the nesting depth before parsing (Python's parser
recurses once per level, so 100,000 nested brackets would exhaust the stack), refuses an
object that gives the same key twice (naming the key: the second would silently replace the
first), and turns the ``NaN``/``Infinity`` literals and integers too long to be a number into
values the field checks then refuse by name (``person.age must be …``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import InputError
from .limits import MAX_FILE_BYTES, MAX_JSON_DEPTH

_DAY = re.compile(r"^\s*\d{4}-?\d{1,2}-?\d{1,2}\s*$")
MAX_INT_DIGITS = 30  # longer integers are read as float (and then as out of range)


def finite(obj: Any) -> Any:
    """``obj`` with every float that is not finite replaced by ``None`` (recursively)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps`` that writes ``null`` for NaN and infinities (and never the literals)."""
    kwargs.setdefault("ensure_ascii", False)
    default = kwargs.pop("default", None)
    if default is not None:
        try:  # in one pass: what ``default`` makes of an object is made finite too
            return json.dumps(finite(obj), allow_nan=False,
                              default=lambda o: finite(default(o)), **kwargs)
        except (TypeError, ValueError):  # keys json cannot sort or write as they are
            obj = json.loads(json.dumps(obj, default=default, allow_nan=True))
    return json.dumps(finite(obj), allow_nan=False, **kwargs)


_STRUCTURE = re.compile(r'[\[\]{}"\\]')


def depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in JSON text (brackets inside strings ignored).

    Only the characters that matter are visited (a regular expression finds them), so a
    32 MB file of text is scanned in a fraction of a second.
    """
    deepest = level = 0
    in_string = False
    escaped_at = -1
    for m in _STRUCTURE.finditer(text):
        pos, ch = m.start(), m.group()
        if pos == escaped_at:
            continue
        if in_string:
            if ch == "\\":
                escaped_at = pos + 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            level += 1
            if level > deepest:
                deepest = level
        elif ch in "]}":
            level -= 1
    return deepest


class DuplicateKey(ValueError):
    def __init__(self, key: str, where: str) -> None:
        self.key, self.where = key, where
        super().__init__(f"{where}the key {key!r} is given twice")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateKey(k, "")
        out[k] = v
    return out


def _int(text: str) -> int | float:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= MAX_INT_DIGITS else float(text)


def _constant(name: str) -> float:
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def loads(text: str, *, source: str | None = None, max_bytes: int = MAX_FILE_BYTES,
          max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON text a person gave, with the checks of the module docstring.

    Raises
    ------
    InputError
        Too large, nested too deeply, not JSON (with line and column), or a key given twice.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(f"is {size:,} bytes; at most {max_bytes:,}", source=source)
    d = depth(text)
    if d > max_depth:
        raise InputError(f"is nested {d} levels deep; at most {max_depth}", source=source)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_int,
                          parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno,
                         source=source) from None
    except DuplicateKey as exc:
        if _DAY.match(exc.key):
            raise InputError(f"diary: the day {exc.key!r} is given twice (the second list "
                             "would replace the first; put all of its foods in one list)",
                             source=source) from None
        raise InputError(f"the key {exc.key!r} is given twice in one object (the second "
                         "would replace the first; merge them)", source=source) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"is not JSON crampcheck can read ({exc})", source=source) from None
