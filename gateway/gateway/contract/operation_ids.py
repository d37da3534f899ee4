"""Stable, readable ``operationId``s: what generated clients name their functions.

The rule (checked by gateway/tests/test_openapi_contract.py for every operation):
lowerCamelCase ASCII, starting with a verb of :data:`VERBS`, unique in the document.
``OPERATION_IDS`` names each route once, by method and path, so that renaming a Python
function never renames a partner's client call; a route missing from the table gets the
lowerCamelCase of its function name, which must follow the same rule.
"""

from __future__ import annotations

import re

from fastapi.routing import APIRoute

VERBS = frozenset(
    "get list create register record request file decide renew withdraw acknowledge report take answer "
    "dispatch redirect qualify close trigger authorise export stream issue send revoke".split()
)
NAME_RE = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)*$")

OPERATION_IDS: dict[str, str] = {
    "GET /health": "getHealth",
    "POST /v1/oauth/token": "issueToken",
    "POST /v1/oauth/revoke": "revokeToken",
    # the partners' screens (console/): one court at a time
    "GET /v1/measures": "listMeasures",
    "GET /v1/referrals/{referral_id}/measure/record": "getMeasureRecord",
    "GET /v1/alert-history": "listAlertHistory",
    "POST /v1/referrals/{referral_id}/contacts": "recordContact",
    "GET /v1/referrals/{referral_id}/contacts": "listContacts",
    "GET /v1/device-assignments": "listDeviceAssignments",
    "GET /v1/follow-ups": "listFollowUps",
    "POST /v1/devices/{device_id}/recovery": "recordDeviceRecovery",
    "POST /v1/devices/{device_id}/transfer": "recordDeviceTransfer",
    "POST /v1/devices/{device_id}/retirement": "recordDeviceRetirement",
    "POST /v1/attributions/{attribution_id}/device-replacement": "recordDeviceReplacement",
    "POST /v1/attributions/{attribution_id}/hand-over": "recordHandOver",
    # referrals and the measure
    "POST /v1/referrals": "createReferral",
    "GET /v1/referrals": "listReferrals",
    "GET /v1/referrals/{referral_id}": "getReferral",
    "POST /v1/referrals/{referral_id}/orientations": "recordOrientation",
    "GET /v1/referrals/{referral_id}/orientations": "listOrientations",
    "POST /v1/referrals/{referral_id}/contact-details": "recordContactDetails",
    "POST /v1/referrals/{referral_id}/requisition": "requestEvaluation",
    "POST /v1/referrals/{referral_id}/evaluation-report": "fileEvaluationReport",
    "POST /v1/referrals/{referral_id}/consent": "recordConsent",
    "POST /v1/referrals/{referral_id}/decision": "decideAttribution",
    "GET /v1/referrals/{referral_id}/measure": "getMeasure",
    "GET /v1/attributions/{attribution_id}": "getAttribution",
    "POST /v1/attributions/{attribution_id}/renewal": "renewAttribution",
    "POST /v1/attributions/{attribution_id}/withdrawal": "withdrawAttribution",
    # devices and notices
    "POST /v1/devices": "registerDevice",
    "GET /v1/devices": "listDevices",
    "POST /v1/attributions/{attribution_id}/fiche-navette": "sendFicheNavette",
    "GET /v1/attributions/{attribution_id}/device": "getAssignment",
    "POST /v1/devices/{device_id}/test-calls": "recordTestCall",
    "POST /v1/notices/{notice_id}/acknowledgement": "acknowledgeNotice",
    "GET /v1/attributions/{attribution_id}/notices": "getNotices",
    # alerts
    "POST /v1/device-alerts": "triggerAlert",
    "POST /v1/device-alerts/positions": "recordPosition",
    "GET /v1/device-alerts/devices/{device_id}": "getDeviceRouting",
    "GET /v1/alerts": "listOpenAlerts",
    "GET /v1/alerts/stream": "streamOpenAlerts",
    "GET /v1/alerts/script": "getQualificationScript",
    "GET /v1/alerts/{alert_id}": "getAlert",
    "POST /v1/alerts/{alert_id}/take": "takeAlert",
    "POST /v1/alerts/{alert_id}/answers": "answerQuestion",
    "POST /v1/alerts/{alert_id}/dispatch": "dispatchAlert",
    "POST /v1/alerts/{alert_id}/redirect": "redirectAlert",
    "POST /v1/alerts/{alert_id}/qualification": "qualifyAlert",
    "POST /v1/alerts/{alert_id}/close": "closeAlert",
    "POST /v1/alerts/{alert_id}/acknowledgements": "acknowledgeAlert",
    "POST /v1/alerts/{alert_id}/outcome": "reportOutcome",
    "POST /v1/alerts/{alert_id}/position-retention": "authorisePositionRetention",
    # evidence, audit, observatory, reference data
    "GET /v1/evidence/alerts/{alert_id}": "exportAlertEvidence",
    "GET /v1/evidence/measures/{referral_id}": "exportMeasureEvidence",
    "GET /v1/subject-access/{referral_id}": "exportSubjectAccess",
    "GET /v1/subject-access/{referral_id}/readers": "listSubjectReaders",
    "GET /v1/audit": "listAuditEntries",
    "GET /v1/observatory/referrals": "getReferralCounts",
    "GET /v1/observatory/statistics": "getStatistics",
    "GET /v1/court-statistics": "getCourtStatistics",
    "POST /v1/handovers": "exportCourtHandover",
    "GET /v1/observatory/statistics.csv": "getStatisticsCsv",
    "GET /v1/observatory/plots/{name}.{fmt}": "getStatisticsPlot",
    "GET /v1/courts": "listCourts",
    "GET /v1/instruments": "listRiskInstruments",
    "GET /v1/audiences": "listPartnerAudiences",
    # the partners' side (gateway/routes/partners.py)
    "POST /v1/attributions/{attribution_id}/home": "recordHomeChange",
    "POST /v1/attributions/{attribution_id}/author-release": "reportAuthorRelease",
    "GET /v1/reminders": "listReminders",
    "POST /v1/reminders/{reminder_id}/acknowledgement": "acknowledgeReminder",
    "GET /v1/referents": "listReferents",
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def operation_id(route: APIRoute) -> str:
    """FastAPI's ``generate_unique_id_function``: the table's name, else the function's."""
    for method in sorted(route.methods):
        found = OPERATION_IDS.get(f"{method} {route.path_format}")
        if found:
            return found
    return camel(route.name)


def follows_rule(name: str) -> bool:
    words = re.findall(r"^[a-z]+", name)
    return bool(NAME_RE.match(name)) and bool(words) and words[0] in VERBS
