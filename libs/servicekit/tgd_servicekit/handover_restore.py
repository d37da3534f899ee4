"""What every service's ``restore_handover`` RPC shares (reprise d'un ressort, docs/handover.md):
a restored record is written once; the same record again changes nothing; a record that
exists with other content is refused, never merged nor overwritten. Pure."""

from __future__ import annotations

import json
from typing import Any

from tgd_contracts.errors import ErrorCode, TgdError

RESTORED = "restored"
UNCHANGED = "unchanged"


class RestoreConflict(TgdError):
    """A record of the archive exists on this platform with other content: nothing written."""

    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


class RestoreRefused(TgdError):
    """The part handed to a restore is not one this service can restore."""

    code = ErrorCode.INVALID_REQUEST


def same(stored: Any, incoming: Any) -> bool:
    """Equal as JSON (datetimes and enums compared in their wire form)."""
    return json.dumps(stored, sort_keys=True, default=str) == json.dumps(incoming, sort_keys=True, default=str)


def outcome(kind: str, key: str, stored: Any | None, incoming: Any) -> str | None:
    """None: not there yet (write it); UNCHANGED: there already, the same; else RestoreConflict."""
    if stored is None:
        return None
    if same(stored, incoming):
        return UNCHANGED
    raise RestoreConflict(f"{kind} {key} exists on this platform with other content: not restored.")


def records_of(part: Any, service: str, *names: str) -> list[Any]:
    """The named records of ``service``'s evidence part, or RestoreRefused."""
    if not isinstance(part, dict) or part.get("service") != service or not isinstance(part.get("records"), dict):
        raise RestoreRefused(f"not a {service} part of a hand-over archive.")
    records = part["records"]
    missing = [n for n in names if n not in records]
    if missing:
        raise RestoreRefused(f"the {service} part lacks {', '.join(missing)}.")
    return [records[n] for n in names]
