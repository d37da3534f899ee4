"""Checking what an RPC caller sent, with the service's own expected errors.

Every service validates RPC payloads against their contract models and refuses
malformed ids; the error class is the service's (named after the error code), the
message never quotes the submitted values (they may be personal data).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.handlers import error_locations

Model = TypeVar("Model", bound=BaseModel)
Found = TypeVar("Found")


def validated(model: type[Model], payload: Any, error: type[TgdError]) -> Model:
    """``model`` validated from ``payload``, or ``error`` naming the invalid fields' locations."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise error("Invalid fields: " + ", ".join(error_locations(exc))) from None


def short_id(value: Any, error: type[TgdError], message: str | None = None) -> str:
    """An id is a string of 1 to 64 characters; anything else raises ``error``."""
    if not isinstance(value, str) or not 1 <= len(value) <= 64:
        raise error(message)
    return value


class InvalidRequest(TgdError):
    """What a caller sent does not hold (the services' ``invalid_request``)."""

    code = ErrorCode.INVALID_REQUEST


def parse(model: type[Model], payload: Any) -> Model:
    """``model`` validated from an RPC payload, or :class:`InvalidRequest`."""
    return validated(model, payload, InvalidRequest)


def check_id(value: Any) -> str:
    """An id from an RPC caller (1 to 64 characters), or :class:`InvalidRequest`."""
    return short_id(value, InvalidRequest, "Ids are strings of 1 to 64 characters.")


def found(value: Found | None, missing: type[TgdError]) -> Found:
    """What a lookup found for the caller, or ``missing`` (the service's not-found error)
    when it found nothing (None)."""
    if value is None:
        raise missing()
    return value
