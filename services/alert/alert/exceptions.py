"""Expected errors of the alert service, named after their contract error codes."""

from tgd_contracts.errors import ErrorCode, TgdError


class InvalidRequest(TgdError):
    code = ErrorCode.INVALID_REQUEST


class AlertNotFound(TgdError):
    code = ErrorCode.ALERT_NOT_FOUND


class AlertStateConflict(TgdError):
    code = ErrorCode.ALERT_STATE_CONFLICT


class UnknownQuestion(TgdError):
    code = ErrorCode.UNKNOWN_QUESTION


class NoOpenAlert(TgdError):
    code = ErrorCode.NO_OPEN_ALERT


class RetentionOver(TgdError):
    code = ErrorCode.RETENTION_OVER


class NotAddressed(AlertNotFound):
    """An acknowledgement or an outcome from a partner the alert was never dispatched to:
    the same answer as a missing alert (a guessed id confirms nothing), the alert untouched."""


class AttributionNotYetPlaced(Exception):
    """A device event of an attribution the read model cannot place yet (the previous
    attribution has not been seen to end): the event is requeued and retried."""
