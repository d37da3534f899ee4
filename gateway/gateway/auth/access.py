"""THE access table: one line per route, ``"METHOD /path": rule``. A route that is
not here is refused to everyone (403) and fails the authorisation-matrix test
(gateway/tests/test_authorisation_matrix.py), which is generated from the app's
routes and this table. See :mod:`gateway.auth.rules` for ``allow`` and the locators.

Roles: R.PROSECUTOR, R.ASSOCIATION, R.TELEASSISTANCE, R.POLICE, R.GENDARMERIE,
R.OBSERVATORY, R.REFERRER, R.ADMIN (the administrator never reads personal data).
"""

from __future__ import annotations

from typing import Any

from gateway.auth.roles import Role as R
from gateway.auth.rules import PUBLIC, Rule, allow, answer, body, nationwide, query, recipient_is_caller
from tgd_contracts.errors import ErrorCode


def referral_receipt(referral: Any) -> Any:
    """What a referrer (or a force that referred) gets back: routing facts, no identity."""
    if not isinstance(referral, dict):
        return referral
    kind = referral.get("referrer", {}).get("kind") if isinstance(referral.get("referrer"), dict) else None
    keys = ("id", "status", "received_at", "urgency", "jurisdiction")
    return {**{k: referral.get(k) for k in keys}, "referrer_kind": kind}


ACCESS: dict[str, Rule] = {
    # operations and documentation
    "GET /health": PUBLIC,
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /docs/oauth2-redirect": PUBLIC,
    "GET /redoc": PUBLIC,
    "POST /v1/oauth/token": PUBLIC,
    # referrals (signalements)
    "POST /v1/referrals": allow(
        R.REFERRER,
        R.ASSOCIATION,
        R.PROSECUTOR,
        R.POLICE,
        R.GENDARMERIE,
        territory=[body("jurisdiction")],
        personal=True,
        object_id="id",
        views={R.REFERRER: referral_receipt, R.POLICE: referral_receipt, R.GENDARMERIE: referral_receipt},
    ),
    "GET /v1/referrals/{referral_id}": allow(
        R.ASSOCIATION,
        R.PROSECUTOR,
        territory=[answer("jurisdiction")],
        personal=True,
        object_id="referral_id",
        not_found=ErrorCode.REFERRAL_NOT_FOUND,
    ),
    "GET /v1/referrals": allow(
        R.ASSOCIATION,
        R.PROSECUTOR,
        territory=[query("jurisdiction"), answer("items[].jurisdiction")],
        personal=True,
    ),
    # the observatory: anonymised aggregates only
    "GET /v1/observatory/referrals": allow(R.OBSERVATORY, R.PROSECUTOR, territory=[query("jurisdiction")]),
    # the access log: the administrator (all) and the competent prosecutor's office (its jurisdictions)
    "GET /v1/audit": allow(R.ADMIN, R.PROSECUTOR, territory=[query("jurisdiction", required=False)]),
}

# -- the alert pipeline ------------------------------------------------------------
# The teleassistance platform is one national service: its device platform and its
# operators act before an alert's jurisdiction is known (an alert from an unknown device
# is recorded, never refused), so their routes require a national client.
PLATFORM = allow(R.TELEASSISTANCE, territory=[nationwide()], personal=True)
PLATFORM_READ = allow(R.TELEASSISTANCE, territory=[nationwide()])
ALERT_ACCESS: dict[str, Rule] = {
    "POST /v1/device-alerts": PLATFORM,  # déclenchement
    "POST /v1/device-alerts/positions": PLATFORM,  # position (géolocalisation)
    "GET /v1/device-alerts/devices/{device_id}": PLATFORM_READ,
    "GET /v1/alerts": PLATFORM_READ,  # open alerts: no identity
    "GET /v1/alerts/script": PLATFORM_READ,  # trame de questions fermées
    "GET /v1/alerts/stream": PLATFORM_READ,
    "GET /v1/alerts/{alert_id}": allow(
        R.TELEASSISTANCE,
        R.PROSECUTOR,
        territory=[answer("jurisdiction")],
        personal=True,
        object_id="alert_id",
        not_found=ErrorCode.ALERT_NOT_FOUND,
    ),
    "POST /v1/alerts/{alert_id}/take": PLATFORM,
    "POST /v1/alerts/{alert_id}/answers": PLATFORM,
    "POST /v1/alerts/{alert_id}/dispatch": PLATFORM,
    "POST /v1/alerts/{alert_id}/redirect": PLATFORM,
    "POST /v1/alerts/{alert_id}/qualification": PLATFORM,
    "POST /v1/alerts/{alert_id}/close": PLATFORM,
    # a partner answers only as itself (its role, territory and unit)
    # (the routes answer a receipt, not the alert record)
    "POST /v1/alerts/{alert_id}/acknowledgements": allow(
        R.POLICE,
        R.GENDARMERIE,
        R.ASSOCIATION,
        territory=[recipient_is_caller()],
        object_id="alert_id",
        not_found=ErrorCode.ALERT_NOT_FOUND,
    ),
    "POST /v1/alerts/{alert_id}/outcome": allow(
        R.POLICE,
        R.GENDARMERIE,
        territory=[recipient_is_caller()],
        object_id="alert_id",
        not_found=ErrorCode.ALERT_NOT_FOUND,
    ),
}
ACCESS.update(ALERT_ACCESS)
