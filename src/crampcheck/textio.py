"""Reading user files with errors a person can act on."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from .errors import InputError
from .limits import MAX_FILE_BYTES


def read_text(path: str, *, max_bytes: int | None = None) -> str:
    """Text of a file (``-`` is standard input), with errors a person can act on.

    Only a regular file (or ``-``) is read: a FIFO with no writer would wait for ever and a
    device such as ``/dev/zero`` never ends. More than ``max_bytes`` is refused, from a file
    or from standard input, without reading the rest.
    """
    if max_bytes is None:
        max_bytes = MAX_FILE_BYTES
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            p = Path(path)
            # stat first: opening a FIFO would block until something writes to it
            mode = p.stat().st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                raise InputError("is not a regular file (a pipe, device or socket); give a "
                                 "file, or '-' and send the text on standard input",
                                 source=path)
            with open(p, "rb", opener=_nonblocking) as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the stat
                    raise InputError("is not a regular file", source=path)
                data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError("no such file", source=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", source=path) from None
    if len(data) > max_bytes:
        raise InputError(f"is larger than {max_bytes // (1024 * 1024)} MB; crampcheck reads "
                         "files up to that size", source="stdin" if path == "-" else path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"is not UTF-8 text (byte {exc.start})", line=line,
                         source=path) from None
    if "\x00" in text:
        raise InputError("looks like a binary file, not text", source=path)
    return text


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
