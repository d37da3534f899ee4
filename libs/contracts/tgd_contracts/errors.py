"""One table of error codes, shared by services (which raise them) and the gateway
(which maps them to HTTP statuses).

A service raises :class:`TgdError` (or a subclass named after the code); nameko
serialises the exception's string form, which is a JSON object
``{"error": CODE, "message": ...}`` so that the gateway can recover the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_REQUEST = "invalid_request"
    MALFORMED_JSON = "malformed_json"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    MISSING_IDEMPOTENCY_KEY = "missing_idempotency_key"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    UNKNOWN_JURISDICTION = "unknown_jurisdiction"
    REFERRAL_NOT_FOUND = "referral_not_found"
    NOT_FOUND = "not_found"
    ALERT_NOT_FOUND = "alert_not_found"
    ALERT_STATE_CONFLICT = "alert_state_conflict"
    UNKNOWN_QUESTION = "unknown_question"
    NO_OPEN_ALERT = "no_open_alert"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    SERVICE_UNAVAILABLE = "service_unavailable"
    SERVICE_TIMEOUT = "service_timeout"
    INTERNAL_ERROR = "internal_error"
    # attribution lifecycle
    ATTRIBUTION_NOT_FOUND = "attribution_not_found"
    INVALID_STATE = "invalid_state"
    CONSENT_REQUIRED = "consent_required"
    AUTHOR_INCARCERATED = "author_incarcerated"
    NOT_ELIGIBLE = "not_eligible"
    ORIENTATION_RECORDED = "orientation_recorded"
    RENEWAL_LIMIT_REACHED = "renewal_limit_reached"
    UNKNOWN_INSTRUMENT = "unknown_instrument"
    RISK_LEVEL_LOWERED = "risk_level_lowered"
    DEVICE_NOT_FOUND = "device_not_found"
    DEVICE_ALREADY_REGISTERED = "device_already_registered"
    DEVICE_INACTIVE = "device_inactive"
    NOTICE_NOT_FOUND = "notice_not_found"
    HOME_OUTSIDE_DEPARTMENT = "home_outside_department"
    REMINDER_NOT_FOUND = "reminder_not_found"
    # devices as they are handled (transfer, replacement, retirement)
    COURT_OUTSIDE_DEPARTMENT = "court_outside_department"
    OUT_OF_STOCK = "out_of_stock"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate_limited"
    INVALID_CLIENT = "invalid_client"
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
    REASON_REQUIRED = "reason_required"
    REQUEST_TIMEOUT = "request_timeout"
    TOO_MANY_STREAMS = "too_many_streams"
    # retention (arrêté du 22 avril 2015)
    RETENTION_OVER = "retention_over"


@dataclass(frozen=True)
class ErrorSpec:
    http_status: int
    description: str


ERRORS: dict[ErrorCode, ErrorSpec] = {
    ErrorCode.INVALID_REQUEST: ErrorSpec(422, "The request does not match the contract."),
    ErrorCode.MALFORMED_JSON: ErrorSpec(400, "The request body is not valid JSON."),
    ErrorCode.PAYLOAD_TOO_LARGE: ErrorSpec(413, "The request body exceeds the size limit."),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: ErrorSpec(415, "The request body must be application/json."),
    ErrorCode.MISSING_IDEMPOTENCY_KEY: ErrorSpec(400, "The Idempotency-Key header is required on this route."),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: ErrorSpec(
        409, "This idempotency key was already used with a different request body."
    ),
    ErrorCode.UNKNOWN_JURISDICTION: ErrorSpec(422, "The jurisdiction (ressort du tribunal judiciaire) is not known."),
    ErrorCode.REFERRAL_NOT_FOUND: ErrorSpec(404, "No referral (signalement) has this id."),
    ErrorCode.NOT_FOUND: ErrorSpec(404, "No such route."),
    ErrorCode.ALERT_NOT_FOUND: ErrorSpec(404, "No alert has this id."),
    ErrorCode.ALERT_STATE_CONFLICT: ErrorSpec(409, "The alert is not in a state that allows this action."),
    ErrorCode.UNKNOWN_QUESTION: ErrorSpec(422, "The question or answer is not in the qualification script."),
    ErrorCode.NO_OPEN_ALERT: ErrorSpec(404, "This device has no open alert to attach the position to."),
    ErrorCode.METHOD_NOT_ALLOWED: ErrorSpec(405, "This method is not allowed on this route."),
    ErrorCode.SERVICE_UNAVAILABLE: ErrorSpec(503, "A backing service or the broker is unreachable."),
    ErrorCode.SERVICE_TIMEOUT: ErrorSpec(504, "A backing service did not answer in time."),
    ErrorCode.INTERNAL_ERROR: ErrorSpec(500, "An unexpected error occurred; it has been logged."),
    ErrorCode.ATTRIBUTION_NOT_FOUND: ErrorSpec(404, "No attribution (décision d'attribution) has this id."),
    ErrorCode.INVALID_STATE: ErrorSpec(
        409, "This step is not allowed in the measure's current state (e.g. a second decision)."
    ),
    ErrorCode.CONSENT_REQUIRED: ErrorSpec(
        409, "An attribution requires the beneficiary's recorded consent (consentement)."
    ),
    ErrorCode.AUTHOR_INCARCERATED: ErrorSpec(409, "No attribution while the author is in prison (auteur incarcéré)."),
    ErrorCode.ORIENTATION_RECORDED: ErrorSpec(409, "This orientation (same kind, same date) is already recorded."),
    ErrorCode.NOT_ELIGIBLE: ErrorSpec(
        422, "The eligibility facts do not allow an attribution (conjugal violence or rape, author separated)."
    ),
    ErrorCode.RENEWAL_LIMIT_REACHED: ErrorSpec(
        409, "The jurisdiction's limit of renewals (renouvellements) is reached."
    ),
    ErrorCode.UNKNOWN_INSTRUMENT: ErrorSpec(422, "The risk-assessment instrument or its version is not known."),
    ErrorCode.RISK_LEVEL_LOWERED: ErrorSpec(
        422, "A professional may raise the level computed by the grid, never lower it."
    ),
    ErrorCode.DEVICE_NOT_FOUND: ErrorSpec(404, "No device (terminal) has this id."),
    ErrorCode.DEVICE_ALREADY_REGISTERED: ErrorSpec(409, "A device with this IMEI is already registered."),
    ErrorCode.DEVICE_INACTIVE: ErrorSpec(409, "This device is not handed over to a beneficiary."),
    ErrorCode.NOTICE_NOT_FOUND: ErrorSpec(404, "No notice (information des forces) has this id for this unit."),
    ErrorCode.HOME_OUTSIDE_DEPARTMENT: ErrorSpec(
        409,
        "The new home is outside the department of the court that decided the measure: the measure must be "
        "transferred to that department's parquet; nothing was changed.",
    ),
    ErrorCode.COURT_OUTSIDE_DEPARTMENT: ErrorSpec(
        409,
        "A terminal moves only between the courts of one department (the convention with the teleassistance "
        "operator is departmental); nothing was changed.",
    ),
    ErrorCode.OUT_OF_STOCK: ErrorSpec(
        409,
        "No terminal in the court's stock: the parquet and the teleassistance operator are reminded; nothing "
        "else was changed.",
    ),
    ErrorCode.REMINDER_NOT_FOUND: ErrorSpec(404, "No reminder (rappel) has this id for this partner."),
    ErrorCode.UNAUTHENTICATED: ErrorSpec(401, "A valid bearer token is required (POST /v1/oauth/token)."),
    ErrorCode.FORBIDDEN: ErrorSpec(403, "Your role or your jurisdictions do not give access to this."),
    ErrorCode.RATE_LIMITED: ErrorSpec(429, "Too many requests from this client; retry after the delay given."),
    ErrorCode.INVALID_CLIENT: ErrorSpec(401, "Unknown client, wrong secret or disabled client."),
    ErrorCode.UNSUPPORTED_GRANT_TYPE: ErrorSpec(400, "Only the client_credentials grant is supported."),
    ErrorCode.REASON_REQUIRED: ErrorSpec(
        400, "This access must state its purpose in the X-Access-Reason header: a code of the list, then :reference."
    ),
    ErrorCode.REQUEST_TIMEOUT: ErrorSpec(408, "The request body did not arrive in time."),
    ErrorCode.TOO_MANY_STREAMS: ErrorSpec(429, "Too many open event streams for this client or for the gateway."),
    ErrorCode.RETENTION_OVER: ErrorSpec(
        409, "The 3-day retention of these positions is over: they are purged and cannot be kept longer."
    ),
}


class TgdError(Exception):
    """An expected error carrying a code from :data:`ERRORS`."""

    code: ErrorCode = ErrorCode.INTERNAL_ERROR

    def __init__(self, message: str | None = None, code: ErrorCode | None = None):
        if code is not None:
            self.code = code
        self.message = message or ERRORS[self.code].description
        super().__init__(self.message)

    def __str__(self) -> str:
        return json.dumps({"error": str(self.code), "message": self.message})


def parse_remote_error(value: str) -> tuple[ErrorCode, str] | None:
    """Recover (code, message) from the string form of a :class:`TgdError`."""
    try:
        body = json.loads(value)
        return ErrorCode(body["error"]), str(body["message"])
    except (ValueError, TypeError, KeyError):
        return None
