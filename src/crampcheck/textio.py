"""Reading user files with errors a person can act on."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError


def read_text(path: str) -> str:
    """Text of a file (``-`` is standard input), with errors a person can act on."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", source=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"is not UTF-8 text (byte {exc.start})", line=line,
                         source=path) from None
    if "\x00" in text:
        raise InputError("looks like a binary file, not text", source=path)
    return text
