"""Build-time artefacts: what crampcheck would otherwise work out from its shipped tables on
every run, worked out once by ``scripts/build_artefacts.py`` and committed in the package.

Each artefact is a zip of ``.npy`` arrays (``numpy.load`` reads it) whose ``meta`` member is
UTF-8 JSON holding, among other things, a digest of every file it was built from. A reader
passes the digest of those files as they are now: when they differ (an input was edited after
the build) the artefact is not used and the caller works the answer out in-process, so an
artefact can make crampcheck slower when it is stale, never wrong. ``tests/test_artefacts.py``
fails until it is rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from functools import cache
from typing import Any

import numpy as np


def package_root() -> Any:
    from importlib import resources

    return resources.files("crampcheck")


@cache
def file_digest(rel: str) -> str:
    """SHA-256 of a file of the package (``rel`` relative to ``crampcheck/``); once per
    process (files of an installed package do not change while it runs)."""
    return hashlib.sha256(package_root().joinpath(rel).read_bytes()).hexdigest()


def inputs_digest(rels: tuple[str, ...] | list[str]) -> str:
    """One digest over the names and contents of several package files."""
    h = hashlib.sha256()
    for rel in rels:
        h.update(f"{rel}\0{file_digest(rel)}\0".encode())
    return h.hexdigest()


def pack_meta(meta: dict[str, Any]) -> np.ndarray:
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def unpack_meta(array: np.ndarray) -> dict[str, Any]:
    return json.loads(bytes(array).decode("utf-8"))


def pack_lines(texts: list[str]) -> np.ndarray:
    """Strings (none holding a newline) as one UTF-8 blob, newline-separated."""
    if any("\n" in t for t in texts):
        raise ValueError("a string holds a newline: it cannot be packed as a line")
    return np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)


def unpack_lines(array: np.ndarray, n: int) -> list[str]:
    """The ``n`` strings of :func:`pack_lines`."""
    return bytes(array).decode("utf-8").split("\n") if n else []


def write_npz(path: Any, arrays: dict[str, np.ndarray]) -> None:
    """``numpy.savez_compressed`` with fixed member order and dates: the same arrays give the
    same bytes, so a rebuild with unchanged inputs leaves the committed file as it is."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def read_npz(rel: str, digest: str | None) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """(meta, arrays) of the artefact at ``rel`` (relative to ``crampcheck/``), or None when it
    is missing or was built from other inputs than ``digest`` (None: do not check)."""
    path = package_root().joinpath(rel)
    if not path.is_file():
        return None
    with path.open("rb") as fh, np.load(fh) as npz:
        meta = unpack_meta(npz["meta"])
        if digest is not None and meta.get("digest") != digest:
            return None
        arrays = {k: npz[k] for k in npz.files if k != "meta"}
    return meta, arrays
