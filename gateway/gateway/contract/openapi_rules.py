"""What generated clients need from the OpenAPI document, applied to the whole document
in one pass after FastAPI built it (so route modules stay plain FastAPI):

- an ``oauth2`` client-credentials scheme beside ``bearer`` (clients fetch and refresh
  tokens themselves);
- ASCII tag names, French in their descriptions (:data:`TAGS`);
- no FastAPI ``HTTPValidationError`` (invalid input is ``ErrorBody`` 422 ``invalid_request``), and
  only the statuses a route can answer (no 413/415 without a body, no 422 without input);
- ``Idempotency-Key`` declared where :mod:`gateway.contract.idempotency` honours it
  (``X-Access-Reason`` is declared by :mod:`gateway.auth.openapi`, from the access table);
- a schema for every success media type (text for CSV and SVG, binary for PNG, one event of an
  event stream);
- open enumerations in answers (:func:`open_enums`): new values may appear.
"""

from __future__ import annotations

from typing import Any

from gateway.contract.idempotency import IDEMPOTENCY_HEADER, idempotent_route
from gateway.contract.open_enums import open_enums, refs_in

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
TOKEN_URL = "/v1/oauth/token"  # noqa: S105 (a path, not a secret)

TAG_DESCRIPTIONS = {
    "authentication": "Jetons d'accès (OAuth2 client credentials).",
    "referrals": "Signalements adressés à l'association référente.",
    "measures": "Réquisition, évaluation du danger, consentement, décision, renouvellement, retrait.",
    "devices": "Téléassistance : parc de terminaux, fiche navette, appels test.",
    "notices": "Information des forces de l'ordre et accusés de réception.",
    "device-alerts": "Plateforme de téléassistance : déclenchement d'alerte, positions.",
    "alerts": "Régulation de l'alerte par l'opérateur ; accusés et compte rendu des partenaires.",
    "partners": "Côté partenaires : déménagement, rappels, annuaire des référents, ressorts et grilles.",
    "evidence": "Pièces pour le parquet et droit d'accès (archives signées).",
    "audit": "Journal des accès.",
    "observatory": "Observatoire : agrégats anonymisés par ressort et période.",
    "court-statistics": "Chiffres exacts du ressort et totaux du département : parquet et comité de pilotage.",
    "reference": "Données de référence publiées : ressorts, grilles d'évaluation, destinataires.",
    "operations": "Santé du service.",
}
TAGS: list[dict[str, str]] = [{"name": name, "description": text} for name, text in TAG_DESCRIPTIONS.items()]

TEXT_SCHEMAS = {
    "text/csv": {"type": "string", "description": "CSV, UTF-8, comma-separated, one header line."},
    "text/event-stream": {
        "type": "object",
        "description": "One Server-Sent Event: `event` names it, `data` is a JSON document.",
        "properties": {
            "event": {"type": "string"},
            "data": {"type": "string", "contentMediaType": "application/json"},
            "id": {"type": "string"},
            "retry": {"type": "integer"},
        },
    },
    "image/svg+xml": {"type": "string", "description": "An SVG document."},
    "image/png": {"type": "string", "format": "binary"},
}


def security_schemes() -> dict[str, Any]:
    return {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": f"A token from POST {TOKEN_URL}.",
        },
        "oauth2": {
            "type": "oauth2",
            "description": "Client credentials (RFC 6749 §4.4): the registered client's id and secret give a "
            "short-lived token carrying its role and jurisdictions.",
            "flows": {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": {}}},
        },
    }


def idempotency_header(required: bool) -> dict[str, Any]:
    return {
        "name": IDEMPOTENCY_HEADER,
        "in": "header",
        "required": required,
        "description": "8-128 of A-Z a-z 0-9 _ . : -, chosen by the client, scoped to it. A retry with the same "
        "key and body returns the first answer (the same status and body); the same key with another body is "
        "409 idempotency_key_reused. " + ("Required." if required else "Optional; without it, a retry repeats."),
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{8,128}$"},
    }


def declare_header(operation: dict[str, Any], header: dict[str, Any]) -> None:
    params = operation.setdefault("parameters", [])
    for param in params:
        if param.get("in") == "header" and param.get("name", "").lower() == header["name"].lower():
            param.update({k: v for k, v in header.items() if k != "required" or v})
            return
    params.append(header)


def type_media(responses: dict[str, Any]) -> None:
    for status, response in responses.items():
        content = response.get("content")
        if not status.startswith("2") or not content:
            continue
        typed = [mt for mt, c in content.items() if c.get("schema")]
        for media_type in list(content):
            if content[media_type].get("schema"):
                continue
            if media_type in TEXT_SCHEMAS:
                content[media_type]["schema"] = TEXT_SCHEMAS[media_type]
            elif typed:  # FastAPI's default application/json beside a declared vendor type
                del content[media_type]
        if "application/json" in content and any(mt.endswith("+json") for mt in content):
            del content["application/json"]  # the route answers its vendor type only


def drop_impossible_statuses(operation: dict[str, Any]) -> None:
    """Only the statuses a route can answer: no 413/415 without a body, no 422 without input."""
    responses = operation["responses"]
    if "requestBody" not in operation:
        responses.pop("413", None)
        responses.pop("415", None)
        if not operation.get("parameters"):
            responses.pop("422", None)


def drop_unused_validation_schemas(spec: dict[str, Any]) -> None:
    schemas = spec.get("components", {}).get("schemas", {})
    used = refs_in(spec.get("paths", {})) | {r for s in schemas.values() for r in refs_in(s)}
    for name in ("HTTPValidationError", "ValidationError"):
        if name not in used - {name}:
            schemas.pop(name, None)


def apply(spec: dict[str, Any]) -> dict[str, Any]:
    spec.setdefault("components", {}).setdefault("securitySchemes", {}).update(security_schemes())
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            type_media(responses)
            drop_impossible_statuses(operation)
            if operation.get("security") == [{"bearer": []}]:
                operation["security"] = [{"bearer": []}, {"oauth2": []}]
            mode = idempotent_route(method.upper(), path)
            if mode is not None:
                declare_header(operation, idempotency_header(required=mode == "required"))
    drop_unused_validation_schemas(spec)
    open_enums(spec)
    return spec
