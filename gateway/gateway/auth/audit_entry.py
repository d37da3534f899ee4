"""What the access guard records of a request in the access log: who, which route, which
object (the rule's ``object_id``, else the route's only path parameter, else the id of
the object the answer names), which jurisdiction (the territory checked, else the
answer's ``jurisdiction``), why (the reason code) and the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.auth.request_parts import short_str
from gateway.auth.roles import Principal
from gateway.auth.rules import Rule, dig

OBJECT_ID_FIELDS = ("id", "alert_id", "referral_id", "attribution_id", "device_id", "notice_id")


@dataclass
class Verdict:
    """What the guard learnt about one request, for the audit entry."""

    action: str
    principal: Principal
    object_id: str | None = None
    jurisdiction: str | None = None
    reason: str | None = None
    request_id: str | None = None


def audit_object_id(rule: Rule, path_params: dict[str, Any]) -> str | None:
    """The object a request is about: the rule's ``object_id`` path parameter, else the
    route's only path parameter (every route on one object is logged with its id)."""
    if rule.object_id and rule.object_id in path_params:
        return short_str(str(path_params[rule.object_id]))
    if len(path_params) == 1:
        return short_str(str(next(iter(path_params.values()))))
    return None


def answer_object_id(rule: Rule, data: Any) -> str | None:
    """The object named by the answer (a creation): the rule's field, else a usual id field."""
    for name in (rule.object_id, *OBJECT_ID_FIELDS) if rule.object_id else OBJECT_ID_FIELDS:
        found = short_str(dig(data, name)) if name else None
        if found:
            return found
    return None
