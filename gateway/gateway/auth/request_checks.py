"""The checks the access guard makes before a route runs: the territory named by the
query, the path or the body, or learnt from the owning service (lookup)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request

from gateway.auth.request_parts import (
    DuplicateKey,
    Refusal,
    recipient_refusal,
    territory_refusal,
    unique_keys,
)
from gateway.auth.roles import Principal
from gateway.auth.rules import Locate, Rule, Source, dig
from tgd_contracts.errors import ERRORS, ErrorCode, TgdError


class RequestChecks:
    async def _check_request(
        self, request: Request, rule: Rule, principal: Principal, path_params: dict[str, Any], v: Any
    ) -> Refusal | None:
        """Why the request is refused, or None."""
        parsed_body: Any = None
        if any(loc.source in (Source.BODY, Source.RECIPIENT) for loc in rule.territory):
            raw = await request.body()  # read once: FastAPI's own parse reads the same bytes
            try:
                parsed_body = json.loads(raw, object_pairs_hook=unique_keys)
            except DuplicateKey:  # the route might read another copy of the key than the guard did
                detail = {"location": "body", "type": "duplicate_key", "message": "a key appears twice"}
                return ErrorCode.INVALID_REQUEST, [detail]
            except ValueError:
                return None  # not JSON: the route refuses it (400) before anything is read
            if not isinstance(parsed_body, dict):
                return None  # not an object: the route refuses it (422)
        rpc = request.app.state.rpc
        query = parse_qs(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        answers: dict[tuple[str, ...], Any] = {}  # one call per (service, method, keyword, path parameter)
        for loc in rule.territory:
            if loc.source is Source.ANSWER:
                continue
            if loc.source is Source.NATIONAL:
                if not principal.national:
                    return (ErrorCode.FORBIDDEN, None)
                continue
            if loc.source is Source.RECIPIENT:
                refusal = recipient_refusal(principal, dig(parsed_body, loc.field))
                if refusal is not None:
                    return refusal
                continue
            if loc.source is Source.LOOKUP:
                value = await self._lookup(rpc, loc, path_params, answers)
                if value is None or not loc.covered(principal, value):
                    return (rule.not_found, None)
                if loc.kind in ("jurisdiction", "department"):
                    v.jurisdiction = value
                continue
            if loc.source is Source.QUERY:
                values = query.get(loc.field, [])
                if not values and not loc.required:
                    continue
                value: Any = values[0] if len(values) == 1 else None
            elif loc.source is Source.PATH:
                value = path_params.get(loc.field)
            else:
                value = dig(parsed_body, loc.field)
            refusal = territory_refusal(loc, principal, value)
            if refusal is not None:
                return refusal
            if loc.kind in ("jurisdiction", "department"):
                v.jurisdiction = value
        return None

    async def _lookup(
        self, rpc: Any, loc: Locate, path_params: dict[str, Any], answers: dict[tuple[str, ...], Any]
    ) -> str | None:
        """The territory of the object named in the path, from its owning service (None: no such object)."""
        assert loc.lookup is not None
        service, method, keyword = loc.lookup
        key = (*loc.lookup, loc.field)
        if key not in answers:
            object_id = path_params.get(loc.field)
            try:
                answers[key] = await rpc.call(service, method, **{keyword: object_id})
            except TgdError as exc:
                if ERRORS[exc.code].http_status != 404:
                    raise
                answers[key] = None
        found = answers[key]
        if found is None:
            return None
        value = dig(found, loc.lookup_field)
        return value if isinstance(value, str) else None
