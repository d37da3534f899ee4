"""Expected errors of the alert service, named after their contract error codes, and
the check of an alert's id. ``InvalidRequest`` and ``parse`` are the ones every service
shares (:mod:`tgd_servicekit.requests`)."""

from typing import Any

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.requests import InvalidRequest, parse, short_id


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


def check_id(alert_id: Any) -> str:
    """An id of the expected form, else :class:`AlertNotFound`: a malformed id names no
    alert (unlike :func:`tgd_servicekit.requests.check_id`, which answers ``invalid_request``)."""
    return short_id(alert_id, AlertNotFound)


__all__ = [
    "EXPECTED",
    "RETENTION_EXPECTED",
    "AlertNotFound",
    "AlertStateConflict",
    "AttributionNotYetPlaced",
    "InvalidRequest",
    "NoOpenAlert",
    "NotAddressed",
    "RetentionOver",
    "UnknownQuestion",
    "check_id",
    "parse",
]

#: the errors an entrypoint of the alert service answers with (logged as expected, not as failures)
EXPECTED = (InvalidRequest, AlertNotFound, AlertStateConflict, UnknownQuestion, NoOpenAlert)
RETENTION_EXPECTED = (InvalidRequest, AlertNotFound, RetentionOver)
