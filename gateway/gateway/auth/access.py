"""THE access table: one line per route, ``"METHOD /path": rule`` (who may do what, and
where the territory of what it touches is found). A route that is not here is refused to
everyone (403) and fails gateway/tests/test_authorisation_matrix.py, generated from the
app's routes and this table. :mod:`gateway.auth.rules` has ``allow`` and the locators.
The administrator (R.ADMIN) never reads personal data.

To add a route: (1) a line here: its roles; where its territory is found (query/body
before it runs; ``lookup(service, method, path_param)`` of the owning service when it
CHANGES an object named in the path, adding a small read RPC to that service if none
returns the jurisdiction; ``answer(...)`` for a read); ``personal=True`` when it touches
a person's data; ``object_id`` and the service's ``not_found`` code; (2) a fake answer
for each service method it (and its lookup) calls (dev/tgd_testkit/fake_*.py); (3) a
body ``Sample`` (gateway/tests/lifecycle_samples.py, fixed path ids) when it takes a
body; (4) e2e tests call it with ``auth_headers`` of the right partner; (5) the README's
routes x roles table.
"""

from __future__ import annotations

from typing import Any

from gateway.auth.roles import Role as R
from gateway.auth.rules import (
    PUBLIC,
    Rule,
    allow,
    answer,
    body,
    lookup,
    nationwide,
    query,
    recipient_is_caller,
)
from gateway.contract.docs import ASSETS
from tgd_contracts.errors import ErrorCode as E


def reads(object_id: str, not_found: E) -> dict[str, Any]:
    """A read of one object named in the path: the answer's jurisdiction must be the
    caller's (else the same 404 as a missing object, so a guessed id confirms nothing)."""
    return {"territory": [answer("jurisdiction")], "personal": True, "object_id": object_id, "not_found": not_found}


def changes(service: str, method: str, object_id: str, not_found: E, personal: bool = True) -> dict[str, Any]:
    """A change to one object named in the path: its jurisdiction is asked of the owning
    service BEFORE the change (a foreign or guessed id is a plain 404, nothing changes)."""
    territory = [lookup(service, method, object_id)]
    return {"territory": territory, "personal": personal, "object_id": object_id, "not_found": not_found}


READS_REFERRAL = reads("referral_id", E.REFERRAL_NOT_FOUND)
READS_ATTRIBUTION = reads("attribution_id", E.ATTRIBUTION_NOT_FOUND)
READS_ALERT = reads("alert_id", E.ALERT_NOT_FOUND)
# a route on a referral's measure: the jurisdiction comes from the evaluation service
ON_REFERRAL = changes("evaluation", "get_measure", "referral_id", E.REFERRAL_NOT_FOUND)
# a change to the referral itself: its jurisdiction comes from the referral service
ON_REFERRAL_RECORD = changes("referral", "get_referral", "referral_id", E.REFERRAL_NOT_FOUND)
ON_ATTRIBUTION = changes("evaluation", "get_attribution", "attribution_id", E.ATTRIBUTION_NOT_FOUND)
ON_DEVICE = changes("device", "get_device", "device_id", E.DEVICE_NOT_FOUND)
ON_ALERT = changes("alert", "get_alert", "alert_id", E.ALERT_NOT_FOUND)
# a notice (forces informed) is acknowledged by the unit it was addressed to, and only by it
BY_ITS_UNIT = {
    **changes("notify", "get_notice", "notice_id", E.NOTICE_NOT_FOUND),
    "territory": [body("unit_code", kind="unit")]
    + [lookup("notify", "get_notice", "notice_id", field=f, kind=k)  # type: ignore[arg-type]
       for f, k in (("unit_code", "unit"), ("department", "department"), ("audience", "force"))],
}  # fmt: skip
# a court's lists: the query names the court, foreign items of the answer are withheld
COURT_LIST = [query("jurisdiction"), answer("items[].jurisdiction")]
# a terminal as it is handled (restitution, transfer, retirement): no personal data, but
# every call is in the access log
HANDLES_DEVICE = {**ON_DEVICE, "personal": False, "audited": True}
# counts and delays of a jurisdiction, small counts suppressed at the source: no record, no identity
OBSERVATORY_STATISTICS = allow(R.OBSERVATORY, R.PROSECUTOR, R.TELEASSISTANCE, territory=[query("jurisdiction")])

SENDERS = (R.REFERRER, R.ASSOCIATION, R.PROSECUTOR, R.POLICE, R.GENDARMERIE)
RECEIPT_READERS = (R.REFERRER, R.POLICE, R.GENDARMERIE)  # the others read the record

ACCESS: dict[str, Rule] = {
    # operations and documentation
    "GET /health": PUBLIC,
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /docs/oauth2-redirect": PUBLIC,
    "GET /redoc": PUBLIC,
    # the docs' own JavaScript, CSS and icon (gateway/contract/docs.py: no CDN)
    **{f"GET /docs/static/{name}": PUBLIC for name in ASSETS},
    "POST /v1/oauth/token": PUBLIC,
    "POST /v1/oauth/revoke": PUBLIC,  # the token itself is the credential (RFC 7009): the console's logout
    # referrals (signalements): the referral service answers each sender its view (the
    # association and the parquet the record, the others a receipt without identity)
    "POST /v1/referrals": allow(
        *SENDERS, territory=[body("jurisdiction")], personal=True, object_id="id", projected=RECEIPT_READERS
    ),
    "GET /v1/referrals/{referral_id}": allow(R.ASSOCIATION, R.PROSECUTOR, **READS_REFERRAL),
    "GET /v1/referrals": allow(R.ASSOCIATION, R.PROSECUTOR, territory=COURT_LIST, personal=True),
    # the measure (évaluation, décision)
    "POST /v1/referrals/{referral_id}/requisition": allow(R.PROSECUTOR, **ON_REFERRAL),
    "POST /v1/referrals/{referral_id}/evaluation-report": allow(R.ASSOCIATION, **ON_REFERRAL),
    "POST /v1/referrals/{referral_id}/consent": allow(R.PROSECUTOR, R.ASSOCIATION, **ON_REFERRAL),
    "POST /v1/referrals/{referral_id}/decision": allow(R.PROSECUTOR, **ON_REFERRAL),
    "GET /v1/referrals/{referral_id}/measure": allow(R.PROSECUTOR, R.ASSOCIATION, **READS_REFERRAL),
    "GET /v1/attributions/{attribution_id}": allow(R.PROSECUTOR, R.ASSOCIATION, **READS_ATTRIBUTION),
    "POST /v1/attributions/{attribution_id}/renewal": allow(R.PROSECUTOR, **ON_ATTRIBUTION),
    "POST /v1/attributions/{attribution_id}/withdrawal": allow(R.PROSECUTOR, **ON_ATTRIBUTION),
    # the device side (téléassistance): stock and test calls are the operator's; the fiche navette the parquet's
    "POST /v1/devices": allow(R.TELEASSISTANCE, territory=[body("jurisdiction")]),
    "GET /v1/devices": allow(
        R.TELEASSISTANCE,
        R.PROSECUTOR,
        territory=[query("jurisdiction"), answer("jurisdiction"), answer("items[].jurisdiction")],
    ),
    # a returned terminal goes back to stock only once collected and reset (restitution)
    "POST /v1/devices/{device_id}/recovery": allow(R.TELEASSISTANCE, **HANDLES_DEVICE),
    # the stock as it is handled: the operator (it holds the terminals) or the parquet of the
    # terminal's court (transfert to a court of the same department, retrait du parc)
    "POST /v1/devices/{device_id}/transfer": allow(R.TELEASSISTANCE, R.PROSECUTOR, **HANDLES_DEVICE),
    "POST /v1/devices/{device_id}/retirement": allow(R.TELEASSISTANCE, R.PROSECUTOR, **HANDLES_DEVICE),
    # her lost or broken terminal replaced: the operator or the parquet; the hand-over is
    # recorded by the association, whose member is present (seed 002 §D)
    "POST /v1/attributions/{attribution_id}/device-replacement": allow(
        R.TELEASSISTANCE, R.PROSECUTOR, **ON_ATTRIBUTION
    ),
    "POST /v1/attributions/{attribution_id}/hand-over": allow(R.ASSOCIATION, **ON_ATTRIBUTION),
    "POST /v1/devices/{device_id}/test-calls": allow(R.TELEASSISTANCE, **ON_DEVICE),
    "POST /v1/attributions/{attribution_id}/fiche-navette": allow(R.PROSECUTOR, **ON_ATTRIBUTION),
    "GET /v1/attributions/{attribution_id}/device": allow(
        R.PROSECUTOR, R.ASSOCIATION, R.TELEASSISTANCE, **ON_ATTRIBUTION
    ),
    "POST /v1/notices/{notice_id}/acknowledgement": allow(R.POLICE, R.GENDARMERIE, **BY_ITS_UNIT),
    "GET /v1/attributions/{attribution_id}/notices": allow(R.PROSECUTOR, R.ASSOCIATION, **ON_ATTRIBUTION),
    # the parquet's and the association's screens (console/): a court's measures, one in full
    "GET /v1/measures": allow(R.PROSECUTOR, R.ASSOCIATION, territory=COURT_LIST),
    "GET /v1/referrals/{referral_id}/measure/record": allow(R.PROSECUTOR, R.ASSOCIATION, **READS_REFERRAL),
    # the association's follow-up of the beneficiary (contacts de suivi); the parquet reads it
    "POST /v1/referrals/{referral_id}/contacts": allow(R.ASSOCIATION, **ON_REFERRAL_RECORD),
    "GET /v1/referrals/{referral_id}/contacts": allow(R.ASSOCIATION, R.PROSECUTOR, **READS_REFERRAL),
    # what became of the referral (orientations): the association and the parquet record them, as
    # themselves (recorded_as), and read them; how to reach her safely and the referrer's contact:
    # the association records them (personal data, read back through GET /v1/referrals/{referral_id})
    "POST /v1/referrals/{referral_id}/orientations": allow(R.ASSOCIATION, R.PROSECUTOR, **ON_REFERRAL_RECORD),
    "GET /v1/referrals/{referral_id}/orientations": allow(R.ASSOCIATION, R.PROSECUTOR, **READS_REFERRAL),
    "POST /v1/referrals/{referral_id}/contact-details": allow(R.ASSOCIATION, **ON_REFERRAL_RECORD),
    # a whole court at once for the association's screen (ids and dates, no identity)
    "GET /v1/device-assignments": allow(R.PROSECUTOR, R.ASSOCIATION, territory=COURT_LIST),
    "GET /v1/follow-ups": allow(R.PROSECUTOR, R.ASSOCIATION, territory=[query("jurisdiction"), answer("jurisdiction")]),
    # the observatory: anonymised aggregates only; the statistics are also the teleassistance
    # platform's (its operators see them in the console: /console/stats)
    "GET /v1/observatory/referrals": allow(R.OBSERVATORY, R.PROSECUTOR, territory=[query("jurisdiction")]),
    "GET /v1/observatory/statistics": OBSERVATORY_STATISTICS,
    "GET /v1/observatory/statistics.csv": OBSERVATORY_STATISTICS,
    "GET /v1/observatory/plots/{name}.{fmt}": OBSERVATORY_STATISTICS,
    # exact counts of a court and its department's totals (no record, no identity, nothing
    # suppressed): the court's parquet and the department's steering committee (comité de
    # pilotage), who know these women already; the observatory reads the anonymised lines above
    "GET /v1/court-statistics": allow(R.PROSECUTOR, R.STEERING_COMMITTEE, territory=[query("jurisdiction")]),
    # a court handed over to another teleassistance operator (docs/handover.md): its parquet,
    # which controls the processing, with a reason; the archive is sealed for the receiving
    # operator configured by the platform, so neither the parquet nor a carrier can read it
    "POST /v1/handovers": allow(R.PROSECUTOR, territory=[body("jurisdiction")], personal=True, reason_required=True),
    # the access log: the administrator (all) and the competent prosecutor's office (its jurisdictions)
    "GET /v1/audit": allow(R.ADMIN, R.PROSECUTOR, territory=[query("jurisdiction", required=False)]),
}


# -- the alert pipeline ------------------------------------------------------------
# The teleassistance platform is one national service: its device platform and its
# operators act before an alert's jurisdiction is known (an alert from an unknown device
# is recorded, never refused), so their routes require a national client.
# A press of the alert key is never refused for volume: no rate limit on triggers and positions
# (the client is authenticated and national; a burst of alerts is exactly when it matters).
DEVICE_PLATFORM = allow(R.TELEASSISTANCE, territory=[nationwide()], personal=True, rate_limited=False)
PLATFORM_READ = allow(R.TELEASSISTANCE, territory=[nationwide()])
# an operator's action on one alert (take, answer, dispatch, redirect, qualify, close): the
# access log gets the alert id and its jurisdiction (from the answer; the caller is national)
ON_OPEN_ALERT = allow(R.TELEASSISTANCE, **{**READS_ALERT, "territory": [nationwide(), answer("jurisdiction")]})
# a partner answers only as itself (its role, territory and unit), and only about what was
# dispatched to it (the alert service checks its deliveries: anyone else gets the same 404
# as a missing alert); every call, accepted or refused, is in the access log (the routes
# answer a receipt, not the alert record)
AS_RECIPIENT: dict[str, Any] = {
    "territory": [recipient_is_caller()],
    "object_id": "alert_id",
    "not_found": E.ALERT_NOT_FOUND,
    "audited": True,
}
ACCESS.update({
    "POST /v1/device-alerts": DEVICE_PLATFORM,  # déclenchement
    "POST /v1/device-alerts/positions": DEVICE_PLATFORM,  # position (géolocalisation)
    "GET /v1/device-alerts/devices/{device_id}": PLATFORM_READ,
    "GET /v1/alerts": PLATFORM_READ,  # open alerts: no identity
    "GET /v1/alerts/script": PLATFORM_READ,  # trame de questions fermées
    "GET /v1/alerts/stream": PLATFORM_READ,
    "GET /v1/alerts/{alert_id}": allow(R.TELEASSISTANCE, R.PROSECUTOR, **READS_ALERT),
    **{f"POST /v1/alerts/{{alert_id}}/{step}": ON_OPEN_ALERT
       for step in ("take", "answers", "dispatch", "redirect", "qualification", "close")},
    "POST /v1/alerts/{alert_id}/acknowledgements": allow(R.POLICE, R.GENDARMERIE, R.ASSOCIATION, **AS_RECIPIENT),
    "POST /v1/alerts/{alert_id}/outcome": allow(R.POLICE, R.GENDARMERIE, **AS_RECIPIENT),
    # the alerts of its court, with their outcome (no identity, no position): the parquet's screen
    "GET /v1/alert-history": allow(R.PROSECUTOR, territory=[query("jurisdiction"), answer("jurisdiction")]),
    # retention (arrêté du 22 avril 2015): the competent prosecutor's office authorises keeping
    # an alert's positions 8 days instead of 3
    "POST /v1/alerts/{alert_id}/position-retention": allow(
        R.PROSECUTOR, **changes("alert", "alert_territory", "alert_id", E.ALERT_NOT_FOUND)
    ),
})  # fmt: skip

# -- evidence and the right of access (docs/evidence.md): the competent prosecutor's
# office exports; ids, roles and times of the readers: also the administrator (national)
ACCESS.update({
    "GET /v1/evidence/alerts/{alert_id}": allow(R.PROSECUTOR, **ON_ALERT),
    "GET /v1/evidence/measures/{referral_id}": allow(R.PROSECUTOR, **ON_REFERRAL),
    "GET /v1/subject-access/{referral_id}": allow(R.PROSECUTOR, **ON_REFERRAL),
    "GET /v1/subject-access/{referral_id}/readers": allow(R.ADMIN, R.PROSECUTOR, **{**ON_REFERRAL, "personal": False}),
})  # fmt: skip

# -- the partners' side of a measure (gateway/routes/partners.py) --------------------
# Her move changes the fiche navette: the parquet (which sent it) and the association
# (which follows her) report it, on an attribution of their court. Reminders: each
# partner reads (the route keeps its own audience's) and acknowledges only its own.
REMINDER_READERS = (R.PROSECUTOR, R.ASSOCIATION, R.TELEASSISTANCE, R.BAV)
# the author's release: the SPIP or the parquet reports it, as itself (body.source)
AS_SOURCE = {**ON_ATTRIBUTION, "territory": [*ON_ATTRIBUTION["territory"], body("source", kind="audience")]}
ACCESS.update({
    "POST /v1/attributions/{attribution_id}/home": allow(R.PROSECUTOR, R.ASSOCIATION, **ON_ATTRIBUTION),
    "GET /v1/reminders": allow(
        *REMINDER_READERS,
        territory=[query("jurisdiction"), answer("jurisdiction"), answer("items[].jurisdiction")],
        projected=REMINDER_READERS,
    ),
    "POST /v1/reminders/{reminder_id}/acknowledgement": allow(
        *REMINDER_READERS,
        territory=[
            lookup("notify", "get_reminder", "reminder_id"),
            lookup("notify", "get_reminder", "reminder_id", field="audience", kind="audience"),
        ],
        object_id="reminder_id",
        not_found=E.REMINDER_NOT_FOUND,
    ),
    "GET /v1/referents": allow(R.PROSECUTOR, R.ASSOCIATION, territory=[query("jurisdiction")]),
    "POST /v1/attributions/{attribution_id}/author-release": allow(R.SPIP, R.PROSECUTOR, **AS_SOURCE),
    # reference data, no personal data: the courts and the risk grids' items
    "GET /v1/courts": PUBLIC,
    "GET /v1/instruments": PUBLIC,
    "GET /v1/audiences": PUBLIC,  # the partner exchange's audiences (gateway/contract/reference.py)
    # the old address of the operator console: it moved to its own process (console/,
    # docs/console.md); the gateway only redirects there for a while (routes/console_redirect.py)
    "GET /console": PUBLIC,
    "GET /console/{rest}": PUBLIC,
})  # fmt: skip
