"""Document the access table in the OpenAPI spec: the bearer scheme on every
protected operation and the error responses the access guard can give (401, 403,
400 for a missing reason, the 404 that hides foreign objects, 429)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gateway.auth.reasons import REASON_PATTERN, REASONS
from gateway.auth.rules import Rule
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def guard_errors(rule: Rule) -> dict[int | str, dict[str, Any]]:
    if rule.public:
        return error_responses(ErrorCode.RATE_LIMITED)
    codes = [ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED]
    if rule.reason_required or rule.personal:
        codes.append(ErrorCode.REASON_REQUIRED)
    if rule.checks_answer:
        codes.append(rule.not_found)
    return error_responses(*codes)


def reason_parameter(required: bool) -> dict[str, Any]:
    codes = ", ".join(f"`{code}` ({meaning})" for code, meaning in REASONS.items())
    return {
        "name": "X-Access-Reason",
        "in": "header",
        "required": required,
        "description": "Why this access (recorded in the access log): a code, optionally followed by "
        f"`:` and a reference (a case or ticket number, never a name). Codes: {codes}. "
        "Anything else is refused with 400 `reason_required`.",
        "schema": {"type": "string", "pattern": REASON_PATTERN, "maxLength": 105},
    }


def merge(responses: dict[str, Any], added: dict[int | str, dict[str, Any]], error_ref: dict[str, str]) -> None:
    for status, spec in added.items():
        key = str(status)
        if key not in responses:
            responses[key] = {
                "description": spec["description"],
                "content": {"application/json": {"schema": error_ref}},
            }
        elif spec["description"] not in responses[key].get("description", ""):
            codes = spec["description"].removeprefix("Error: ")
            responses[key]["description"] += ", " + codes


def install_openapi(app: FastAPI, table: dict[str, Rule]) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes, tags=app.openapi_tags
        )
        components = spec.setdefault("components", {})
        components.setdefault("securitySchemes", {})["bearer"] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A token from POST /v1/oauth/token.",
        }
        error_ref = {"$ref": "#/components/schemas/ErrorBody"}
        for path, operations in spec.get("paths", {}).items():
            for method, operation in operations.items():
                if method not in HTTP_METHODS:
                    continue
                rule = table.get(f"{method.upper()} {path}")
                if rule is None:
                    continue
                if not rule.public:
                    operation["security"] = [{"bearer": []}]
                    roles = ", ".join(sorted(r.value for r in rule.roles))
                    operation["description"] = (operation.get("description", "") + f"\n\nRoles: {roles}.").strip()
                merge(operation.setdefault("responses", {}), guard_errors(rule), error_ref)
                if rule.personal or rule.reason_required:
                    operation.setdefault("parameters", []).append(reason_parameter(rule.reason_required))
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
