"""Errors the user may see. Each carries one Thai sentence saying what is wrong and where."""

from __future__ import annotations


class CoopDeskError(Exception):
    """Base for every expected failure; str(e) is the sentence shown to the user."""

    exit_code = 1
    code = "E_GENERIC"

    def __init__(self, message: str, *, details: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details


class PermissionDenied(CoopDeskError):
    code = "E_PERMISSION"


class NotFound(CoopDeskError):
    code = "E_NOT_FOUND"


class ValidationError(CoopDeskError):
    code = "E_INVALID"

    def __init__(self, message: str, *, field: str | None = None, details: str | None = None):
        super().__init__(message, details=details)
        self.field = field


class LockedError(CoopDeskError):
    """The record is approved (or otherwise frozen) and cannot be changed."""

    code = "E_LOCKED"


class AuthError(CoopDeskError):
    code = "E_AUTH"

    def __init__(self, message: str, *, retry_after: float = 0.0):
        super().__init__(message)
        self.retry_after = retry_after


class DatabaseError(CoopDeskError):
    """The database file cannot be used (too new, corrupt, not a CoopDesk file)."""

    code = "E_DATABASE"
    exit_code = 3


class FileFormatError(CoopDeskError):
    """An input file (xlsx, package) cannot be read at all; nothing was imported."""

    code = "E_FILE"
    exit_code = 2
