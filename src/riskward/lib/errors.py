"""Domain errors, mapped to HTTP responses once (in `riskward.api`) and to messages in views."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the program was broken; `field` names the input at fault when there is one."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class ImportRejected(DomainError):
    """An import found bad rows; nothing was written. `problems` lists (row, column, message)."""

    status = 422

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported")
        self.problems = problems
