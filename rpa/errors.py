"""The robot's typed errors: retry a `PortalError`, report a `BusinessError`, stop for a `LoginNeeded`.

Flows decide by type, never by parsing messages: a `PortalError` (the portal failed, was slow or
logged us out) is worth another try; a `BusinessError` (the data or the portal's answer says no) is
reported and never retried; `LoginNeeded` stops one account and lets the others go on.
"""

from __future__ import annotations

from enum import StrEnum


class KatipError(Exception):
    """Base of every error the robot raises on purpose."""

    def __reduce__(self) -> tuple[object, ...]:
        # Copied and pickled whole (a worker on another machine sends its errors back), whatever the
        # subclass's own constructor takes.
        return _rebuilt, (type(self), str(self), dict(self.__dict__))


def _rebuilt(cls: type[KatipError], message: str, state: dict[str, object]) -> KatipError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ConfigError(KatipError):
    """Settings or accounts.yaml are wrong; the message says which field and what to do."""


class LoginNeeded(KatipError):
    """This account cannot log in unattended right now; a person must run `katip login`."""

    def __init__(self, account: str, reason: str) -> None:
        super().__init__(f"Account '{account}' needs a login ({reason}): run `katip login --account {account}`.")
        self.account = account
        self.reason = reason


class PortalErrorKind(StrEnum):
    """Why the portal failed us."""

    SYSTEM_ERROR = "SystemError500"
    MAINTENANCE = "Maintenance503"
    TIMEOUT = "PortalTimeout"
    SESSION_EXPIRED = "SessionExpired"
    STALE_FORM = "StaleForm"
    UNEXPECTED = "UnexpectedPage"
    UNREACHABLE = "Unreachable"


class PortalError(KatipError):
    """The portal failed, answered too slowly or showed something unexpected: worth a retry."""

    def __init__(self, message: str, kind: PortalErrorKind = PortalErrorKind.UNEXPECTED, page: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.page = page


class SessionExpired(PortalError):
    """Oturumunuzun süresi doldu: log in again, then retry."""

    def __init__(self, message: str, page: str = "") -> None:
        super().__init__(message, PortalErrorKind.SESSION_EXPIRED, page)


class BusinessError(KatipError):
    """The portal (or our own check) refused the data: report it, never retry it."""

    def __init__(self, message: str, page: str = "") -> None:
        super().__init__(message)
        self.page = page


class LoginFailed(BusinessError):
    """e-Devlet refused the number, the password or the two-step code (the portal's text inside)."""


class AccountBlocked(LoginFailed):
    """e-Devlet refuses this user for good until a person changes something there (two-step verification
    off): a run reports it as blocked with the portal's reason instead of asking for a login again."""

    def __init__(self, account: str, reason: str, page: str = "") -> None:
        super().__init__(f"Hesap '{account}' engelli / account '{account}' is blocked by the portal: {reason}", page)
        self.account = account
        self.reason = reason


class AccessDenied(BusinessError):
    """Bu işyerine erişim yetkiniz bulunmamaktadır.: this account may not use that workplace."""


class WorkplaceNotListed(AccessDenied):
    """The workplace is not in this account's list (maybe after a refresh it will be)."""


class NothingToApprove(BusinessError):
    """Bu sözleşme için bekleyen bir onay bulunmamaktadır.: already decided; flows treat it as done."""


class BulkUpdateTooSoon(BusinessError):
    """Toplu güncelleme en fazla 10 dakikada bir yapılabilir.: a bulk update is already recent."""


class FormRejected(BusinessError):
    """The portal refused a form; `field_errors` holds its texts, one per field."""

    def __init__(self, message: str, field_errors: list[str], page: str = "") -> None:
        super().__init__(message, page)
        self.field_errors = field_errors
