"""What the access guard reads of a request: territory codes, recipients, JSON bodies
whose keys must be unique, and where a list sits in an answer."""

from __future__ import annotations

import re
from typing import Any

from gateway.auth.roles import Principal
from gateway.auth.rules import Locate
from tgd_contracts.errors import ErrorCode
from tgd_contracts.jurisdictions import is_known_jurisdiction
from tgd_contracts.partners import Audience

Refusal = tuple[ErrorCode, list[dict[str, str]] | None]
CODE_RE = re.compile(r"^[a-z0-9-]{1,40}$")


def territory_refusal(loc: Locate, principal: Principal, value: Any) -> Refusal | None:
    """Missing or malformed: 422; an unknown jurisdiction: 422 (it holds nothing); outside the caller's: 403."""
    if not isinstance(value, str) or not CODE_RE.match(value):
        kind = "missing" if value is None else "string_pattern_mismatch"
        where = f"{loc.source.value}.{loc.field}"
        return ErrorCode.INVALID_REQUEST, [
            {"location": where, "type": kind, "message": f"a {loc.kind} code is required"}
        ]
    if loc.kind == "jurisdiction" and not is_known_jurisdiction(value):
        return ErrorCode.UNKNOWN_JURISDICTION, None
    if not loc.covered(principal, value):
        return ErrorCode.FORBIDDEN, None
    return None


def recipient_refusal(principal: Principal, recipient: Any) -> Refusal | None:
    """The recipient a partner answers as must be itself (see ``rules.recipient_is_caller``)."""
    if not isinstance(recipient, dict):
        return None  # malformed: the route's validation answers 422
    audience, territory, unit = recipient.get("audience"), recipient.get("territory"), recipient.get("unit")
    if not all(isinstance(v, str) for v in (audience, territory, unit)) or audience not in {r.value for r in Audience}:
        return None  # malformed: the route's validation answers 422
    if audience != principal.role.value:
        return ErrorCode.FORBIDDEN, None
    covered = (
        principal.covers_jurisdiction(territory)
        if audience == "association"
        else (principal.covers_department(territory))
    )
    if not covered or (principal.unit is not None and unit != principal.unit):
        return ErrorCode.FORBIDDEN, None
    return None


class DuplicateKey(Exception):
    pass


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise DuplicateKey()
    return dict(pairs)


def short_str(value: Any) -> str | None:
    return value[:64] if isinstance(value, str) and value else None


def set_path(data: Any, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[part]
    data[last] = value
