"""Validation of RPC arguments, shared by the device service's entrypoints."""

from __future__ import annotations

from typing import Any

from device.exceptions import InvalidRequest
from tgd_servicekit.requests import short_id, validated


def parse(model: Any, payload: Any) -> Any:
    return validated(model, payload, InvalidRequest)


def check_id(value: Any) -> str:
    return short_id(value, InvalidRequest, "Ids are strings of 1 to 64 characters.")
