"""Expected errors of the notify service, named after their contract error codes."""

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.requests import InvalidRequest


class NoticeNotFound(TgdError):
    code = ErrorCode.NOTICE_NOT_FOUND


class AttributionNotFound(TgdError):
    code = ErrorCode.ATTRIBUTION_NOT_FOUND


class InvalidState(TgdError):
    code = ErrorCode.INVALID_STATE


class UnknownJurisdiction(TgdError):
    code = ErrorCode.UNKNOWN_JURISDICTION


class ReminderNotFound(TgdError):
    code = ErrorCode.REMINDER_NOT_FOUND


EXPECTED = (InvalidRequest, NoticeNotFound, AttributionNotFound, InvalidState, UnknownJurisdiction, ReminderNotFound)
