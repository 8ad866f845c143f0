"""Errors that carry a message a person can act on (and the line it concerns)."""

from __future__ import annotations


class CrampcheckError(Exception):
    """Base class: the CLI prints ``str(error)`` on one line and exits 2."""


class InputError(CrampcheckError):
    """Bad user input. ``line`` is 1-based when the input came from a file."""

    def __init__(self, message: str, *, line: int | None = None, source: str | None = None):
        self.message = message
        self.line = line
        self.source = source
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source and self.line is not None:
            where = f"{self.source}, line {self.line}: "
        elif self.line is not None:
            where = f"line {self.line}: "
        elif self.source:
            where = f"{self.source}: "
        return f"{where}{self.message}"


class KnowledgeError(CrampcheckError):
    """A knowledge data file is malformed (a bug in the shipped data, caught by tests)."""
