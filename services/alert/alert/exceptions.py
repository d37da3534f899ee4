"""Expected errors of the alert service, named after their contract error codes, and
the two checks that refuse a request with them."""

from typing import Any

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.requests import short_id, validated


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


def parse(model: Any, payload: Any) -> Any:
    """A request validated against its contract model, else :class:`InvalidRequest`."""
    return validated(model, payload, InvalidRequest)


def check_id(alert_id: Any) -> str:
    """An id of the expected form, else :class:`AlertNotFound` (a malformed id names nothing)."""
    return short_id(alert_id, AlertNotFound)
