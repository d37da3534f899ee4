"""How a route declares its access rule: which roles may call it, where the
jurisdiction (or department) of what it touches is found, whether it touches
personal data (then every call is audited), and which roles get a projection of the
answer (applied by the route or the owning service, never by the guard).

Locators: ``query("jurisdiction")``, ``path("code")``, ``body("jurisdiction")`` are
checked before the route runs (403 when outside the caller's territory);
``answer("jurisdiction")`` on a national caller's route only records the answer's
jurisdiction in the access log (a national caller covers every jurisdiction);
``answer("jurisdiction")`` is checked on the service's answer before it is returned
(the same 404 as a missing object, so that a guessed id confirms nothing);
``answer("items[].jurisdiction")`` drops foreign items from a list.
A route that CHANGES an object named in its path must learn the object's territory
before the change: ``lookup("referral", "get_referral", "referral_id")`` asks the
owning service first (404 when missing or foreign, and the change never happens).

Kinds: ``jurisdiction`` (tribunal judiciaire), ``department``, ``unit`` (the caller's
own force unit, exactly: a directorate token without a unit covers no unit),
``force`` (the value must be the caller's role: a notice's audience) and ``audience``
(the value is a partner audience that must be the caller's: ``parquet`` is the
prosecutor's, a reminder's audience).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from gateway.auth.roles import Principal, Role
from tgd_contracts.errors import ErrorCode

Kind = Literal["jurisdiction", "department", "unit", "force", "audience"]
#: the partner audience (tgd_contracts.partners.Audience) each role receives messages as
AUDIENCE_OF_ROLE: dict[Role, str] = {
    Role.PROSECUTOR: "parquet",
    Role.ASSOCIATION: "association",
    Role.TELEASSISTANCE: "teleassistance",
    Role.POLICE: "police",
    Role.GENDARMERIE: "gendarmerie",
    Role.SPIP: "spip",
    Role.BAV: "bav",
}


class Source(StrEnum):
    QUERY = "query"
    PATH = "path"
    BODY = "body"
    ANSWER = "answer"
    LOOKUP = "lookup"
    NATIONAL = "national"  # the caller must cover every jurisdiction (the national platform)
    RECIPIENT = "recipient"  # body.recipient must be the caller itself (audience, territory, unit)


@dataclass(frozen=True)
class Locate:
    source: Source
    field: str
    kind: Kind = "jurisdiction"
    required: bool = True
    lookup: tuple[str, str, str] | None = None  # (service, method, keyword argument) for LOOKUP
    lookup_field: str = "jurisdiction"

    def covered(self, principal: Principal, value: object) -> bool:
        if self.kind == "unit":
            return principal.unit is not None and value == principal.unit
        if self.kind == "force":
            return value == principal.role.value
        if self.kind == "audience":
            return value is not None and value == AUDIENCE_OF_ROLE.get(principal.role)
        if self.kind == "department":
            return principal.covers_department(value)
        return principal.covers_jurisdiction(value)


def query(name: str, kind: Literal["jurisdiction", "department"] = "jurisdiction", required: bool = True) -> Locate:
    return Locate(Source.QUERY, name, kind, required)


def path(name: str, kind: Literal["jurisdiction", "department"] = "jurisdiction") -> Locate:
    return Locate(Source.PATH, name, kind)


def body(dotted: str, kind: Kind = "jurisdiction") -> Locate:
    return Locate(Source.BODY, dotted, kind)


def answer(dotted: str, kind: Literal["jurisdiction", "department"] = "jurisdiction") -> Locate:
    return Locate(Source.ANSWER, dotted, kind)


def lookup(
    service: str,
    method: str,
    path_param: str,
    field: str = "jurisdiction",
    keyword: str | None = None,
    kind: Kind = "jurisdiction",
) -> Locate:
    """Before the route runs, call ``service.method(keyword=<path_param value>)`` and read
    ``field`` (several lookups of one route with the same call make one call)."""
    return Locate(Source.LOOKUP, path_param, kind, True, (service, method, keyword or path_param), field)


def nationwide() -> Locate:
    """For the teleassistance platform's own routes, where what is touched has no known
    jurisdiction before the call (an alert from an unknown device is never refused): the
    caller must be a national client."""
    return Locate(Source.NATIONAL, "*")


def recipient_is_caller(field: str = "recipient") -> Locate:
    """A partner's reply names the recipient it answers as (``{audience, territory,
    unit}``): it must be the caller (its role, a territory it covers: department for the
    forces, jurisdiction for the association; its own unit when the token names one)."""
    return Locate(Source.RECIPIENT, field)


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    territory: tuple[Locate, ...] = ()
    personal: bool = False
    reason_required: bool = False
    # the roles that get a projection of the answer without personal data (the route or the
    # owning service applies it; the authorisation matrix checks that they see none)
    projected: frozenset[Role] = frozenset()
    object_id: str | None = None  # path parameter or answer field naming the object, for the audit
    not_found: ErrorCode = ErrorCode.NOT_FOUND
    public: bool = False
    rate_limited: bool = True  # False only where a refusal could cost a life (an alert trigger)
    audited: bool = False  # recorded in the access log even without personal data (a partner's reply)

    @property
    def recorded(self) -> bool:
        return self.personal or self.audited

    @property
    def checks_answer(self) -> bool:
        return any(loc.source in (Source.ANSWER, Source.LOOKUP) for loc in self.territory)


PUBLIC = Rule(roles=frozenset(), public=True)


def allow(
    *roles: Role,
    territory: tuple[Locate, ...] | list[Locate] = (),
    personal: bool = False,
    reason_required: bool = False,
    projected: tuple[Role, ...] = (),
    object_id: str | None = None,
    not_found: ErrorCode = ErrorCode.NOT_FOUND,
    rate_limited: bool = True,
    audited: bool = False,
) -> Rule:
    if not roles:
        raise ValueError("allow() needs at least one role; use PUBLIC for a public route")
    if Role.ADMIN in roles and personal:
        raise ValueError("the administrator never reads personal data")
    if not territory and not ({*roles} <= {Role.ADMIN}):
        raise ValueError("a route for partners must say where its jurisdiction is found (territory=[...])")
    return Rule(
        frozenset(roles),
        tuple(territory),
        personal,
        reason_required,
        frozenset(projected),
        object_id,
        not_found,
        rate_limited=rate_limited,
        audited=audited,
    )


def dig(value: Any, dotted: str) -> Any:
    """``dig({"a": {"b": 1}}, "a.b") == 1``; None when any step is missing."""
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
